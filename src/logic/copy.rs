//! "Copy to project…": where a copy may go (the page's Content-Security-Policy decides which
//! hosts the browser lets Dashdeck reach) and where the finished copy opens.

/// The `?dialog=` value of the copy dialog.
pub const COPY: &str = "copy";

/// Whether the policy (the `content` of index.html's CSP meta tag) lets `fetch` reach
/// `target` (an origin such as `https://eu.posthog.com`) from a page at `page_origin`.
/// `connect-src` decides, else `default-src`; without either anything goes.
pub fn csp_allows(policy: &str, page_origin: &str, target: &str) -> bool {
    let directive = |name: &str| {
        policy.split(';').find_map(|d| {
            let mut words = d.split_whitespace();
            words
                .next()
                .filter(|w| w.eq_ignore_ascii_case(name))
                .map(|_| words.map(str::to_string).collect::<Vec<_>>())
        })
    };
    let Some(sources) = directive("connect-src").or_else(|| directive("default-src")) else {
        return true;
    };
    let Some(target) = Origin::parse(target) else {
        return false;
    };
    let page = Origin::parse(page_origin);
    sources.iter().any(|source| match source.as_str() {
        "'self'" => page.as_ref() == Some(&target),
        "*" => target.scheme.starts_with("http"),
        s if s.ends_with(':') && !s.contains('/') => scheme_ok(&s[..s.len() - 1], &target.scheme),
        s => host_source_matches(s, page.as_ref(), &target),
    })
}

/// The connect-src (or default-src) list of a policy, to quote when it refuses a host.
pub fn connect_sources(policy: &str) -> String {
    policy
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("connect-src"))
        .or_else(|| {
            policy
                .split(';')
                .map(str::trim)
                .find(|d| d.starts_with("default-src"))
        })
        .unwrap_or("")
        .to_string()
}

/// The sentence for a host the CSP refuses: a blocked fetch looks like any network error.
pub fn csp_refusal(host: &str, policy: &str) -> String {
    format!(
        "This Dashdeck's Content-Security-Policy does not allow connecting to {host} \
         ({}), so the browser would block every request to it. Whoever hosts Dashdeck can add \
         the host at build time (CSP_CONNECT_SRC={host} make build).",
        connect_sources(policy)
    )
}

/// Where PostHog's own UI shows a dashboard, for a copy made on another instance.
pub fn posthog_dashboard_url(host: &str, project_id: i64, dashboard_id: i64) -> String {
    format!(
        "{}/project/{project_id}/dashboard/{dashboard_id}",
        host.trim_end_matches('/')
    )
}

#[derive(Debug, PartialEq)]
struct Origin {
    scheme: String,
    host: String,
    port: u16,
}

impl Origin {
    fn parse(url: &str) -> Option<Self> {
        let (scheme, rest) = url.split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        let authority = rest.split('/').next()?.to_ascii_lowercase();
        let (host, port) = split_port(&authority);
        let port = match port {
            Some(p) => p.parse().ok()?,
            None => default_port(&scheme)?,
        };
        Some(Self {
            scheme,
            host: host.to_string(),
            port,
        })
    }
}

fn split_port(authority: &str) -> (&str, Option<&str>) {
    match authority.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => (host, Some(port)),
        _ => (authority, None),
    }
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        _ => None,
    }
}

/// CSP3: a source scheme also allows its secure upgrade (`http:` allows https).
fn scheme_ok(source: &str, target: &str) -> bool {
    let source = source.to_ascii_lowercase();
    source == target
        || (source == "http" && target == "https")
        || (source == "ws" && target == "wss")
}

/// `[scheme://]host[:port][/path]` with `*.` host and `:*` port wildcards.
fn host_source_matches(source: &str, page: Option<&Origin>, target: &Origin) -> bool {
    let source = source.to_ascii_lowercase();
    let (scheme, rest) = match source.split_once("://") {
        Some((s, rest)) => (Some(s.to_string()), rest),
        None => (None, source.as_str()),
    };
    let scheme_matches = match &scheme {
        Some(s) => scheme_ok(s, &target.scheme),
        None => page.is_some_and(|p| scheme_ok(&p.scheme, &target.scheme)),
    };
    let authority = rest.split('/').next().unwrap_or("");
    let (host, port) = split_port(authority);
    let host_matches = match host.strip_prefix("*.") {
        Some(suffix) => target.host.ends_with(&format!(".{suffix}")),
        None => host == "*" || host == target.host,
    };
    let port_matches = match port {
        Some("*") => true,
        Some(p) => p.parse() == Ok(target.port),
        // The scheme's default port, or 443 after an http → https upgrade.
        None => {
            let scheme = scheme.as_deref().unwrap_or(&target.scheme);
            default_port(scheme) == Some(target.port)
                || (scheme_ok(scheme, &target.scheme)
                    && default_port(&target.scheme) == Some(target.port))
        }
    };
    scheme_matches && host_matches && port_matches
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
        connect-src 'self' https://us.posthog.com https://eu.posthog.com; img-src 'self' data:";
    const PAGE: &str = "https://dashdeck.example.com";

    #[test]
    fn the_shipped_policy_allows_the_clouds_and_the_page_only() {
        assert!(csp_allows(SHIPPED, PAGE, "https://us.posthog.com"));
        assert!(csp_allows(SHIPPED, PAGE, "https://eu.posthog.com"));
        assert!(csp_allows(SHIPPED, PAGE, PAGE));
        assert!(!csp_allows(SHIPPED, PAGE, "https://posthog.example.com"));
        assert!(!csp_allows(SHIPPED, PAGE, "http://us.posthog.com:8000"));
        assert!(!csp_allows(SHIPPED, PAGE, "http://127.0.0.1:8000"));
    }

    #[test]
    fn an_added_host_is_allowed_with_its_port() {
        let policy = SHIPPED.replace("connect-src ", "connect-src http://127.0.0.1:9001 ");
        assert!(csp_allows(&policy, PAGE, "http://127.0.0.1:9001"));
        assert!(!csp_allows(&policy, PAGE, "http://127.0.0.1:9002"));
        let any_port = SHIPPED.replace("connect-src ", "connect-src http://127.0.0.1:* ");
        assert!(csp_allows(&any_port, PAGE, "http://127.0.0.1:9002"));
    }

    #[test]
    fn wildcards_schemes_and_fallbacks() {
        let policy = "connect-src *.posthog.example.com https:";
        assert!(csp_allows(policy, PAGE, "https://eu.posthog.example.com"));
        assert!(csp_allows(policy, PAGE, "https://anything.org"));
        assert!(!csp_allows(policy, PAGE, "http://anything.org"));
        assert!(csp_allows("connect-src *", PAGE, "http://a.b"));
        assert!(csp_allows("connect-src http:", PAGE, "https://a.b"));
        assert!(!csp_allows("connect-src 'none'", PAGE, PAGE));
        // Without connect-src, default-src decides; without both, nothing is limited.
        assert!(!csp_allows(
            "default-src 'self'",
            PAGE,
            "https://us.posthog.com"
        ));
        assert!(csp_allows("img-src 'self'", PAGE, "https://us.posthog.com"));
        // A scheme-less host takes the page's scheme (and its upgrade).
        assert!(csp_allows("connect-src host.com", PAGE, "https://host.com"));
        assert!(csp_allows(
            "connect-src host.com",
            "http://x",
            "https://host.com"
        ));
        assert!(!csp_allows("connect-src host.com", PAGE, "http://host.com"));
        assert!(!csp_allows(SHIPPED, PAGE, "not a url"));
    }

    #[test]
    fn the_refusal_names_the_host_and_the_setting() {
        let text = csp_refusal("http://10.0.0.5:8000", SHIPPED);
        assert!(text.contains("http://10.0.0.5:8000"), "{text}");
        assert!(
            text.contains("connect-src 'self' https://us.posthog.com"),
            "{text}"
        );
        assert!(text.contains("CSP_CONNECT_SRC"), "{text}");
    }

    #[test]
    fn copies_on_another_host_open_in_posthog() {
        assert_eq!(
            posthog_dashboard_url("https://eu.posthog.com/", 2, 41),
            "https://eu.posthog.com/project/2/dashboard/41"
        );
    }
}
