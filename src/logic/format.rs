//! How dates, people and insight kinds read on screen.

use serde_json::Value;

use crate::api::models::UserBasic;

/// Rows shown at most in a tile's result summary.
const SUMMARY_ROWS: usize = 5;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "2025-10-02T09:14:03.518402Z" → "2 Oct 2025" (the UTC date PostHog sent); anything else
/// is returned unchanged.
pub fn date(iso: &str) -> String {
    let parts: Vec<&str> = iso.get(..10).unwrap_or("").split('-').collect();
    let parsed = match parts.as_slice() {
        [y, m, d] if y.len() == 4 => y
            .parse::<u32>()
            .ok()
            .zip(m.parse::<usize>().ok().filter(|m| (1..=12).contains(m)))
            .zip(d.parse::<u32>().ok().filter(|d| (1..=31).contains(d))),
        _ => None,
    };
    match parsed {
        Some(((year, month), day)) => format!("{day} {} {year}", MONTHS[month - 1]),
        None => iso.to_string(),
    }
}

/// "First Last", else the first name, else the email, else "Unknown user".
pub fn user_display_name(user: &UserBasic) -> String {
    let full = format!("{} {}", user.first_name.trim(), user.last_name.trim());
    let full = full.trim();
    if !full.is_empty() {
        full.to_string()
    } else if !user.email.trim().is_empty() {
        user.email.trim().to_string()
    } else {
        "Unknown user".into()
    }
}

/// The insight's kind as PostHog's UI names it, from `query.kind` and `query.source.kind`.
pub fn insight_kind_label(kind: Option<&str>, source_kind: Option<&str>) -> &'static str {
    match (kind, source_kind) {
        (Some("DataTableNode"), Some("HogQLQuery")) => "SQL",
        (Some("DataVisualizationNode" | "HogQLQuery"), _) => "SQL",
        (Some("DataTableNode"), _) => "Data table",
        (Some("InsightVizNode"), Some(source)) => query_label(source),
        (Some(kind), _) => query_label(kind),
        (None, _) => "Insight",
    }
}

fn query_label(kind: &str) -> &'static str {
    match kind {
        "TrendsQuery" => "Trends",
        "FunnelsQuery" => "Funnels",
        "RetentionQuery" => "Retention",
        "PathsQuery" => "Paths",
        "StickinessQuery" => "Stickiness",
        "LifecycleQuery" => "Lifecycle",
        "HogQLQuery" => "SQL",
        "EventsQuery" => "Events",
        "WebOverviewQuery" | "WebStatsTableQuery" => "Web analytics",
        _ => "Insight",
    }
}

/// A few "label: value" rows from an insight's cached result: the latest value of each
/// series for Trends, Stickiness and Lifecycle, the count of each step for Funnels.
pub fn result_summary(kind_label: &str, result: &Value) -> Vec<(String, String)> {
    let Some(items) = result.as_array() else {
        return Vec::new();
    };
    let row = |item: &Value| -> Option<(String, String)> {
        let (label, value) = match kind_label {
            "Trends" | "Stickiness" | "Lifecycle" => (
                text_of(&item["label"]).or_else(|| text_of(&item["action"]["name"])),
                item["data"].as_array().and_then(|data| data.last()),
            ),
            "Funnels" => (
                text_of(&item["custom_name"]).or_else(|| text_of(&item["name"])),
                Some(&item["count"]),
            ),
            _ => return None,
        };
        Some((label?, number(value?.as_f64()?)))
    };
    items.iter().filter_map(row).take(SUMMARY_ROWS).collect()
}

fn text_of(value: &Value) -> Option<String> {
    value.as_str().filter(|s| !s.is_empty()).map(str::to_string)
}

/// 1234567 → "1,234,567"; 12.345 → "12.35".
pub fn number(value: f64) -> String {
    // Integer maths only: float formatting would add kilobytes to the bundle.
    let hundredths = (value.abs() * 100.0).round() as u64;
    let cents = hundredths % 100;
    let digits = (hundredths / 100).to_string();
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if cents != 0 {
        grouped.push_str(&format!(".{cents:02}"));
    }
    if value < 0.0 && hundredths != 0 {
        grouped.insert(0, '-');
    }
    grouped
}

/// "1 dashboard" / "34 dashboards".
pub fn dashboard_count(count: u64) -> String {
    match count {
        1 => "1 dashboard".into(),
        n => format!("{n} dashboards"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(first: &str, last: &str, email: &str) -> UserBasic {
        UserBasic {
            id: 1,
            uuid: String::new(),
            first_name: first.into(),
            last_name: last.into(),
            email: email.into(),
        }
    }

    #[test]
    fn dates_read_like_posthog() {
        assert_eq!(date("2025-10-02T09:14:03.518402Z"), "2 Oct 2025");
        assert_eq!(date("2024-12-31"), "31 Dec 2024");
        assert_eq!(date("yesterday"), "yesterday");
        assert_eq!(date("2024-13-01T00:00:00Z"), "2024-13-01T00:00:00Z");
        assert_eq!(date(""), "");
    }

    #[test]
    fn names_fall_back_sensibly() {
        assert_eq!(
            user_display_name(&user("Ada", "Lovelace", "a@x")),
            "Ada Lovelace"
        );
        assert_eq!(user_display_name(&user("Bob", "", "b@x")), "Bob");
        assert_eq!(user_display_name(&user(" ", "", "c@x")), "c@x");
        assert_eq!(user_display_name(&user("", "", "")), "Unknown user");
    }

    #[test]
    fn insight_kinds() {
        let cases = [
            (Some("InsightVizNode"), Some("TrendsQuery"), "Trends"),
            (Some("InsightVizNode"), Some("FunnelsQuery"), "Funnels"),
            (Some("InsightVizNode"), Some("RetentionQuery"), "Retention"),
            (Some("InsightVizNode"), Some("PathsQuery"), "Paths"),
            (
                Some("InsightVizNode"),
                Some("StickinessQuery"),
                "Stickiness",
            ),
            (Some("InsightVizNode"), Some("LifecycleQuery"), "Lifecycle"),
            (Some("DataVisualizationNode"), Some("HogQLQuery"), "SQL"),
            (Some("DataTableNode"), Some("HogQLQuery"), "SQL"),
            (Some("DataTableNode"), Some("EventsQuery"), "Data table"),
            (Some("TrendsQuery"), None, "Trends"),
            (Some("SomethingNew"), None, "Insight"),
            (None, None, "Insight"),
        ];
        for (kind, source, label) in cases {
            assert_eq!(
                insight_kind_label(kind, source),
                label,
                "{kind:?} {source:?}"
            );
        }
    }

    #[test]
    fn trends_summary_takes_the_last_value_of_each_series() {
        let result = serde_json::json!([
            {"label": "user signed up", "data": [1, 2, 1234]},
            {"action": {"name": "$pageview"}, "data": [5.5, 12.345]},
            {"label": "no data"}
        ]);
        assert_eq!(
            result_summary("Trends", &result),
            [
                ("user signed up".to_string(), "1,234".to_string()),
                ("$pageview".to_string(), "12.35".to_string())
            ]
        );
    }

    #[test]
    fn funnels_summary_counts_each_step() {
        let result = serde_json::json!([
            {"name": "user signed up", "custom_name": null, "count": 8499},
            {"name": "purchase", "custom_name": "Bought", "count": 120}
        ]);
        assert_eq!(
            result_summary("Funnels", &result),
            [
                ("user signed up".to_string(), "8,499".to_string()),
                ("Bought".to_string(), "120".to_string())
            ]
        );
    }

    #[test]
    fn other_kinds_and_odd_results_give_no_summary() {
        assert!(result_summary("SQL", &serde_json::json!([["a", 1]])).is_empty());
        assert!(result_summary("Trends", &Value::Null).is_empty());
        assert!(result_summary("Trends", &serde_json::json!({"x": 1})).is_empty());
        assert_eq!(number(-1000.0), "-1,000");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(1234.5), "1,234.50");
        assert_eq!(number(-0.001), "0");
    }

    #[test]
    fn counts() {
        assert_eq!(dashboard_count(1), "1 dashboard");
        assert_eq!(dashboard_count(34), "34 dashboards");
        assert_eq!(dashboard_count(0), "0 dashboards");
    }
}
