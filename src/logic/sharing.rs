//! Sharing and collaborator rules: public link and embed code with their options, who the
//! collaborator picker offers, and PostHog's refusals as sentences.

use serde_json::{json, Value};

use crate::api::sharing::{Collaborator, Member};
use crate::api::ApiError;
use crate::logic::format::user_display_name as name;
use crate::logic::list_query::encode_component;

/// The panels a dashboard opens through `?dialog=`.
pub const SHARING: &str = "sharing";
pub const COLLABORATORS: &str = "collaborators";

/// Admin membership level: project admins may always edit and restrict.
pub const ADMIN_LEVEL: i64 = 8;

/// PostHog's wording of the two restriction levels.
pub const LEVELS: [(i64, &str); 2] = [
    (21, "Everyone in the project can edit"),
    (37, "Only those invited to this dashboard can edit"),
];

pub const ROTATE_NOTE: &str =
    "Rotating issues a new link. The current link keeps working for 5 minutes and then stops.";
pub const REENABLE_NOTE: &str =
    "Turning sharing off stops the link at once; turning it on again issues a new link.";

/// The `?dialog=` value of a query string (`?a=b&dialog=sharing`), if any.
pub fn dialog_of(search: &str) -> Option<&str> {
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("dialog="))
        .filter(|v| !v.is_empty())
}

/// The sharing options PostHog keeps in `settings`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ShareOptions {
    pub whitelabel: bool,
    pub no_header: bool,
    pub legend: bool,
    /// `light`, `dark` or `system` (the default: no parameter).
    pub theme: String,
}

impl ShareOptions {
    /// Reads `settings` (null, or an object with unknown keys) tolerantly.
    pub fn from_settings(settings: &Value) -> Self {
        let flag = |key| settings.get(key).and_then(Value::as_bool).unwrap_or(false);
        let theme = settings.get("theme").and_then(Value::as_str);
        Self {
            whitelabel: flag("whitelabel"),
            no_header: flag("noHeader"),
            legend: flag("legend"),
            theme: theme.unwrap_or("system").to_string(),
        }
    }

    /// `settings` as PATCHed: the other keys PostHog returned are kept.
    pub fn to_settings(&self, previous: &Value) -> Value {
        let mut settings = previous.as_object().cloned().unwrap_or_default();
        for (key, on) in [
            ("whitelabel", self.whitelabel),
            ("noHeader", self.no_header),
            ("legend", self.legend),
        ] {
            settings.insert(key.into(), json!(on));
        }
        settings.insert("theme".into(), json!(self.theme));
        Value::Object(settings)
    }

    /// The query string the options add to a link (empty for the defaults).
    pub fn query(&self) -> String {
        let mut parts: Vec<String> = [
            ("whitelabel", self.whitelabel),
            ("noHeader", self.no_header),
            ("legend", self.legend),
        ]
        .iter()
        .filter(|(_, on)| *on)
        .map(|(key, _)| format!("{key}=true"))
        .collect();
        if self.theme == "light" || self.theme == "dark" {
            parts.push(format!("theme={}", self.theme));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

/// `<host>/shared/<token>` with the options.
pub fn share_url(host: &str, token: &str, options: &ShareOptions) -> String {
    let token = encode_component(token);
    format!(
        "{}/shared/{token}{}",
        host.trim_end_matches('/'),
        options.query()
    )
}

/// `<host>/embedded/<token>` with the options.
pub fn embed_url(host: &str, token: &str, options: &ShareOptions) -> String {
    let token = encode_component(token);
    format!(
        "{}/embedded/{token}{}",
        host.trim_end_matches('/'),
        options.query()
    )
}

/// The `<iframe>` to paste into another page.
pub fn embed_code(host: &str, token: &str, options: &ShareOptions) -> String {
    let src = embed_url(host, token, options).replace('&', "&amp;");
    format!("<iframe width=\"100%\" height=\"600\" frameborder=\"0\" allowfullscreen src=\"{src}\"></iframe>")
}

/// Why a member cannot be added, or `None` when they can.
pub fn cannot_add(
    member: &Member,
    owner_id: Option<i64>,
    collaborators: &[Collaborator],
) -> Option<&'static str> {
    if owner_id == Some(member.user.id) {
        Some("owns the dashboard, so can already edit it")
    } else if member.level >= ADMIN_LEVEL {
        Some("is a project admin, so can already edit it")
    } else if collaborators.iter().any(|c| c.user.id == member.user.id) {
        Some("is already a collaborator")
    } else {
        None
    }
}

/// The collaborator picker: members matching `query` (name or email) who can be added, and the
/// matching members it hides with the reason.
pub fn picker<'a>(
    members: &'a [Member],
    owner_id: Option<i64>,
    collaborators: &[Collaborator],
    query: &str,
) -> (Vec<&'a Member>, Vec<(String, &'static str)>) {
    let query = query.trim().to_lowercase();
    let mut addable = Vec::new();
    let mut hidden = Vec::new();
    for member in members {
        let who = name(&member.user);
        if !query.is_empty()
            && !who.to_lowercase().contains(&query)
            && !member.user.email.to_lowercase().contains(&query)
        {
            continue;
        }
        match cannot_add(member, owner_id, collaborators) {
            Some(reason) => hidden.push((who, reason)),
            None => addable.push(member),
        }
    }
    (addable, hidden)
}

/// The sentence for a refused sharing change.
pub fn sharing_refusal(error: &ApiError) -> String {
    match error {
        ApiError::Forbidden { detail } if detail.contains("Public sharing is disabled") => {
            "Public sharing is turned off for this organization. An organization admin can allow it in PostHog's organization settings.".into()
        }
        ApiError::Forbidden { detail } if detail.contains("edit permissions") => {
            "You can't change sharing: you don't have edit rights to this dashboard.".into()
        }
        ApiError::MissingScope { scope } if scope.starts_with("sharing_configuration") => format!(
            "This personal API key lacks the '{scope}' scope, so it can show the sharing settings but not change them."
        ),
        other => other.user_message(),
    }
}

/// The sentence for a refused collaborator change concerning `who`.
pub fn collaborator_refusal(error: &ApiError, who: &str) -> String {
    let detail = match error {
        ApiError::Validation { detail, .. } | ApiError::Forbidden { detail } => detail.as_str(),
        other => return other.user_message(),
    };
    if detail.contains("lowest restriction level") {
        "Collaborators only matter when only those invited can edit: switch the restriction level first.".into()
    } else if detail.contains("inherent access") {
        format!(
            "{who} can already edit: the dashboard owner and project admins need no invitation."
        )
    } else if detail.contains("already is a collaborator") {
        format!("{who} is already a collaborator.")
    } else if detail.contains("no access to the project") {
        format!("{who} has no access to this project, so cannot be invited.")
    } else if detail.contains("does not exist") {
        format!("{who} no longer exists or is deactivated.")
    } else if detail.contains("edit permissions") {
        "You can't change collaborators: you don't have edit rights to this dashboard.".into()
    } else if detail.contains("access to the project") {
        "You don't have access to this project.".into()
    } else {
        error.user_message()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::models::UserBasic;

    fn person(id: i64, first: &str, email: &str) -> UserBasic {
        UserBasic {
            id,
            uuid: format!("u{id}"),
            first_name: first.into(),
            last_name: String::new(),
            email: email.into(),
        }
    }

    fn member(id: i64, first: &str, level: i64) -> Member {
        Member {
            id: format!("m{id}"),
            user: person(id, first, &format!("{}@x.example", first.to_lowercase())),
            level,
        }
    }

    #[test]
    fn dialog_param() {
        assert_eq!(dialog_of("?dialog=sharing"), Some("sharing"));
        assert_eq!(
            dialog_of("?edit=1&dialog=collaborators"),
            Some("collaborators")
        );
        assert_eq!(dialog_of("?dialog="), None);
        assert_eq!(dialog_of(""), None);
    }

    #[test]
    fn links_follow_options() {
        let mut o = ShareOptions::from_settings(&Value::Null);
        assert_eq!(o.theme, "system");
        assert_eq!(
            share_url("https://h.example/", "tok", &o),
            "https://h.example/shared/tok"
        );
        assert_eq!(
            embed_url("https://h.example", "tok", &o),
            "https://h.example/embedded/tok"
        );
        o.whitelabel = true;
        o.legend = true;
        o.theme = "dark".into();
        assert_eq!(
            share_url("https://h.example", "tok", &o),
            "https://h.example/shared/tok?whitelabel=true&legend=true&theme=dark"
        );
        let code = embed_code("https://h.example", "a b", &o);
        assert!(code.starts_with("<iframe"), "{code}");
        assert!(code.contains("src=\"https://h.example/embedded/a%20b?whitelabel=true&amp;legend=true&amp;theme=dark\""), "{code}");
        o.theme = "system".into();
        o.no_header = true;
        assert_eq!(o.query(), "?whitelabel=true&noHeader=true&legend=true");
    }

    #[test]
    fn settings_round_trip_and_keep_unknown_keys() {
        let saved = json!({"whitelabel": true, "theme": "light", "detailed": true});
        let o = ShareOptions::from_settings(&saved);
        assert!(o.whitelabel && !o.legend && !o.no_header);
        assert_eq!(o.theme, "light");
        let out = o.to_settings(&saved);
        assert_eq!(out["detailed"], json!(true));
        assert_eq!(out["noHeader"], json!(false));
        assert_eq!(ShareOptions::from_settings(&out), o);
        assert_eq!(
            ShareOptions::from_settings(&json!("junk")),
            ShareOptions::from_settings(&Value::Null)
        );
    }

    #[test]
    fn picker_hides_who_cannot_be_added() {
        let members = vec![
            member(1, "Ada", 8),
            member(2, "Grace", 1),
            member(3, "Alan", 1),
            member(4, "Kate", 1),
            member(5, "Marg", 15),
        ];
        let collaborators = vec![Collaborator {
            user: person(3, "Alan", "alan@x.example"),
            level: 37,
            added_at: String::new(),
        }];
        let (addable, hidden) = picker(&members, Some(4), &collaborators, "");
        assert_eq!(
            addable.iter().map(|m| m.user.id).collect::<Vec<_>>(),
            vec![2]
        );
        assert_eq!(hidden.len(), 4);
        assert!(hidden.contains(&("Kate".into(), "owns the dashboard, so can already edit it")));
        assert!(hidden.contains(&("Ada".into(), "is a project admin, so can already edit it")));
        assert!(hidden.contains(&("Alan".into(), "is already a collaborator")));
        let (addable, hidden) = picker(&members, Some(4), &collaborators, "GRACE@");
        assert_eq!((addable.len(), hidden.len()), (1, 0));
        let (addable, hidden) = picker(&members, Some(4), &collaborators, "zz");
        assert!(addable.is_empty() && hidden.is_empty());
    }

    #[test]
    fn names() {
        assert_eq!(name(&person(1, " Ada ", "a@x")), "Ada");
        assert_eq!(name(&person(1, "", "a@x")), "a@x");
        assert_eq!(name(&person(1, "", "")), "Unknown user");
    }

    #[test]
    fn refusals_are_sentences() {
        let v = |d: &str| ApiError::Validation {
            attr: None,
            detail: d.into(),
        };
        let f = |d: &str| ApiError::Forbidden { detail: d.into() };
        assert!(collaborator_refusal(
            &v("Cannot add collaborators to a dashboard on the lowest restriction level."),
            "Al"
        )
        .contains("switch the restriction level"));
        assert!(collaborator_refusal(&v("Cannot add collaborators that already have inherent access (the dashboard owner or a project admins)."), "Ada").starts_with("Ada can already edit"));
        assert_eq!(
            collaborator_refusal(&v("User already is a collaborator."), "Al"),
            "Al is already a collaborator."
        );
        assert!(collaborator_refusal(
            &v("Cannot add collaborators that have no access to the project."),
            "Li"
        )
        .starts_with("Li has no access"));
        assert!(collaborator_refusal(
            &f("You don't have edit permissions for this dashboard."),
            "Al"
        )
        .starts_with("You can't change collaborators"));
        assert!(collaborator_refusal(
            &v("Cannot remove collaborators from a dashboard on the lowest restriction level."),
            "Al"
        )
        .contains("switch the restriction level"));
        assert!(
            sharing_refusal(&f("Public sharing is disabled for this organization."))
                .starts_with("Public sharing is turned off")
        );
        assert!(
            sharing_refusal(&f("You don't have edit permissions for this dashboard."))
                .starts_with("You can't change sharing")
        );
        let scope = ApiError::MissingScope {
            scope: "sharing_configuration:write".into(),
        };
        assert!(sharing_refusal(&scope).contains("'sharing_configuration:write' scope"));
        assert_eq!(
            sharing_refusal(&ApiError::Network),
            ApiError::Network.user_message()
        );
    }
}
