//! Checks on the connect form's fields, before any request is made.

/// The two PostHog Cloud regions offered as presets.
pub const US_CLOUD: &str = "https://us.posthog.com";
pub const EU_CLOUD: &str = "https://eu.posthog.com";

/// Normalises the host field: trimmed, http(s) only, no trailing slash.
pub fn parse_host(input: &str) -> Result<String, String> {
    let host = input.trim().trim_end_matches('/');
    if host.is_empty() {
        return Err("Enter the PostHog host, e.g. https://us.posthog.com.".into());
    }
    let lower = host.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or("The host must be an http:// or https:// URL, e.g. https://us.posthog.com.")?;
    let authority = rest.split('/').next().unwrap_or("");
    let valid_authority = !authority.is_empty()
        && !authority.contains('@')
        && authority
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._:[]".contains(c));
    if !valid_authority || host.contains(['?', '#', ' ']) {
        return Err("This is not a valid URL. Use a host such as https://us.posthog.com.".into());
    }
    Ok(host.to_string())
}

/// Checks the personal API key field and returns the trimmed key.
pub fn parse_api_key(input: &str) -> Result<String, String> {
    let key = input.trim();
    if key.is_empty() {
        return Err("Enter a personal API key (it starts with phx_).".into());
    }
    if key.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("The key cannot contain spaces.".into());
    }
    Ok(key.to_string())
}

/// Checks an OAuth client id as PostHog reads one (a client metadata document's URL): https
/// (http only on localhost/127.0.0.1), with a path, without query or fragment.
pub fn parse_client_id(input: &str) -> Result<(), String> {
    let host = parse_host(input).map_err(|_| "it must be an https URL.".to_string())?;
    let rest = host.split_once("://").map_or("", |(_, rest)| rest);
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let hostname = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    let local = matches!(hostname, "localhost" | "127.0.0.1" | "[::1]");
    if !(host.starts_with("https://") || local) {
        return Err("it must be an https URL (http only on localhost).".into());
    }
    if path.is_empty() {
        return Err("it must name the document's path, e.g. /oauth-client.json.".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_ids_are_document_urls() {
        assert!(parse_client_id("https://app.example/oauth-client.json").is_ok());
        assert!(parse_client_id("http://127.0.0.1:8080/oauth-client.json").is_ok());
        assert!(parse_client_id("http://app.example/oauth-client.json").is_err());
        assert!(parse_client_id("https://app.example/").is_err());
        assert!(parse_client_id("https://app.example/c.json?x").is_err());
        assert!(parse_client_id("dashdeck").is_err());
    }

    #[test]
    fn hosts_are_normalised() {
        assert_eq!(parse_host(" https://us.posthog.com/ ").unwrap(), US_CLOUD);
        assert_eq!(
            parse_host("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            parse_host("https://posthog.example.com/sub//").unwrap(),
            "https://posthog.example.com/sub"
        );
        assert_eq!(
            parse_host("http://[::1]:8000").unwrap(),
            "http://[::1]:8000"
        );
    }

    #[test]
    fn bad_hosts_are_refused() {
        for bad in [
            "",
            "   ",
            "us.posthog.com",
            "ftp://x.y",
            "javascript:alert(1)",
            "https://",
            "https://user@evil.com",
            "https://a b.com",
            "not a url",
        ] {
            assert!(parse_host(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn keys_are_checked() {
        assert_eq!(parse_api_key("  phx_abc  ").unwrap(), "phx_abc");
        assert!(parse_api_key("").is_err());
        assert!(parse_api_key("phx_a b").is_err());
    }
}
