//! The templates every PostHog instance has without a `DashboardTemplate` row
//! (`DASHBOARD_TEMPLATES` in `posthog/helpers/dashboard_templates.py`), in the same JSON shape as
//! `create_from_template_json` takes, so both go through [`super::templates::create_from_template`].

use serde_json::{json, Value};

/// The template for a `use_template` key, if it is built in.
pub fn builtin(key: &str) -> Option<Value> {
    match key {
        "DEFAULT_APP" => Some(default_app()),
        "WEBSITE_TRAFFIC" => Some(website_traffic()),
        _ => None,
    }
}

/// `{"sm": …, "xs": …}` for a tile at (`x`, `y`) of `w` × `h` on the 12-column grid.
fn layouts(index: usize, x: i64, y: i64, w: i64, h: i64) -> Value {
    json!({
        "sm": {"i": index.to_string(), "x": x, "y": y, "w": w, "h": h, "minW": 3, "minH": 5},
        "xs": {"i": index.to_string(), "x": 0, "y": y, "w": 1, "h": h, "minW": 1, "minH": 5},
    })
}

fn viz(source: Value) -> Value {
    json!({"kind": "InsightVizNode", "source": source})
}

fn pageviews(math: &str) -> Value {
    json!([{"kind": "EventsNode", "event": "$pageview", "name": "$pageview", "math": math}])
}

fn trends(series: Value, interval: &str, date_from: &str, display: &str) -> Value {
    viz(json!({
        "kind": "TrendsQuery",
        "series": series,
        "interval": interval,
        "dateRange": {"date_from": date_from},
        "trendsFilter": {"display": display},
        "filterTestAccounts": true,
    }))
}

fn breakdown_trends(property: &str, math: &str, display: &str) -> Value {
    let mut query = trends(pageviews(math), "day", "-14d", display);
    query["source"]["breakdownFilter"] = json!({"breakdown": property, "breakdown_type": "event"});
    query
}

fn insight(
    name: &str,
    description: &str,
    color: &str,
    query: Value,
    place: (usize, i64, i64, i64, i64),
) -> Value {
    let (index, x, y, w, h) = place;
    json!({
        "type": "INSIGHT",
        "name": name,
        "description": description,
        "color": color,
        "query": query,
        "layouts": layouts(index, x, y, w, h),
    })
}

/// "Product analytics" (`DashboardTemplate.original_template()`), the `DEFAULT_APP` key.
fn default_app() -> Value {
    let retention = viz(json!({
        "kind": "RetentionQuery",
        "retentionFilter": {
            "period": "Week",
            "totalIntervals": 11,
            "retentionType": "retention_first_time",
            "targetEntity": {"id": "$pageview", "type": "events"},
            "returningEntity": {"id": "$pageview", "type": "events"},
        },
        "dateRange": {"date_from": "-7d"},
        "filterTestAccounts": true,
    }));
    let lifecycle = viz(json!({
        "kind": "LifecycleQuery",
        "series": pageviews("total"),
        "interval": "week",
        "dateRange": {"date_from": "-30d"},
        "filterTestAccounts": true,
    }));
    let funnel = viz(json!({
        "kind": "FunnelsQuery",
        "series": [
            {"kind": "EventsNode", "event": "$pageview", "name": "$pageview"},
            {"kind": "EventsNode", "event": "$pageview", "name": "$pageview"},
            {"kind": "EventsNode", "event": "$pageview", "name": "$pageview"},
        ],
        "breakdownFilter": {"breakdown": "$browser", "breakdown_type": "event"},
        "funnelsFilter": {"funnelVizType": "steps", "funnelWindowInterval": 14, "funnelWindowIntervalUnit": "day"},
        "dateRange": {"date_from": "-30d"},
        "filterTestAccounts": true,
    }));
    json!({
        "template_name": "Product analytics",
        "dashboard_description": "",
        "dashboard_filters": {},
        "tags": [],
        "tiles": [
            insight("Daily active users (DAUs)", "Shows the number of unique users that use your app every day.",
                "blue", trends(pageviews("dau"), "day", "-30d", "ActionsLineGraph"), (0, 0, 0, 6, 5)),
            insight("Weekly active users (WAUs)", "Shows the number of unique users that use your app every week.",
                "green", trends(pageviews("dau"), "week", "-90d", "ActionsLineGraph"), (1, 6, 0, 6, 5)),
            insight("Retention", "Weekly retention of your users.",
                "blue", retention, (2, 6, 5, 6, 5)),
            insight("Growth accounting", "How many of your users are new, returning, resurrecting, or dormant each week.",
                "purple", lifecycle, (3, 0, 5, 6, 5)),
            insight("Referring domain (last 14 days)", "Shows the most common referring domains for your users over the past 14 days.",
                "black", breakdown_trends("$referring_domain", "dau", "ActionsBarValue"), (4, 0, 10, 6, 5)),
            insight("Pageview funnel, by browser", "This example funnel shows how many of your users have completed 3 page views, broken down by browser.",
                "green", funnel, (5, 6, 10, 6, 5)),
        ],
    })
}

/// "Website traffic" (`_create_website_dashboard`), the `WEBSITE_TRAFFIC` key.
fn website_traffic() -> Value {
    let mut sessions = trends(
        json!([{"kind": "EventsNode", "event": "$pageview", "name": "$pageview", "math": "unique_session"}]),
        "day",
        "-7d",
        "BoldNumber",
    );
    sessions["source"]["compareFilter"] = json!({"compare": true});
    let duration = trends(
        json!([{"kind": "EventsNode", "event": null, "name": "All events", "math": "median",
                "math_property": "$session_duration"}]),
        "day",
        "-7d",
        "BoldNumber",
    );
    json!({
        "template_name": "Website traffic",
        "dashboard_description": "",
        "dashboard_filters": {"date_from": "-30d"},
        "tags": [],
        "tiles": [
            insight("Website Unique Users (Total)", "Shows the number of unique users that use your app every day.",
                "blue", trends(pageviews("dau"), "day", "-7d", "BoldNumber"), (0, 0, 0, 6, 5)),
            insight("Website Page Views (Total)", "", "green",
                trends(pageviews("total"), "day", "-7d", "BoldNumber"), (1, 6, 0, 6, 5)),
            insight("Website Sessions (Total)", "", "purple", sessions, (2, 0, 5, 6, 5)),
            insight("Session Duration (Median)", "", "black", duration, (3, 6, 5, 6, 5)),
            insight("Website Usage Trends", "Shows the number of unique users and page views over time.", "blue",
                trends(json!([pageviews("dau")[0], pageviews("total")[0]]), "day", "-30d", "ActionsLineGraph"),
                (4, 0, 10, 12, 5)),
            insight("Top Website Pages (Overall)", "", "black",
                breakdown_trends("$pathname", "dau", "ActionsBarValue"), (5, 0, 15, 6, 5)),
            insight("Top Referring Domains", "", "black",
                breakdown_trends("$referring_domain", "dau", "ActionsBarValue"), (6, 6, 15, 6, 5)),
            insight("World Map (Unique Users)", "", "blue",
                breakdown_trends("$geoip_country_code", "dau", "WorldMap"), (7, 0, 20, 12, 8)),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_pass_the_template_schema() {
        for key in ["DEFAULT_APP", "WEBSITE_TRAFFIC"] {
            let template = builtin(key).unwrap();
            assert!(
                super::super::template_schema::validate(&template).is_ok(),
                "{key}"
            );
        }
        assert!(builtin("NOPE").is_none());
    }
}
