//! Seeded insights: realistic PostHog query nodes (trends, funnels, retention, paths, stickiness,
//! lifecycle, HogQL tables) and plausible cached results in the shapes PostHog's query runners return.
//! All numbers come from a seeded generator, so every seed is identical.

use serde_json::{json, Value};
use time::{Date, Duration, Month};

/// A small deterministic generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..=high`.
    pub fn range(&mut self, low: i64, high: i64) -> i64 {
        low + (self.next() % (high - low + 1) as u64) as i64
    }

    /// `len` characters from `alphabet`.
    pub fn token(&mut self, alphabet: &str, len: usize) -> String {
        let chars: Vec<char> = alphabet.chars().collect();
        (0..len)
            .map(|_| chars[(self.next() % chars.len() as u64) as usize])
            .collect()
    }
}

/// An insight to seed: what the `insights` row holds besides ids, owners and dates.
pub struct InsightSpec {
    pub name: Option<&'static str>,
    pub derived_name: Option<&'static str>,
    pub description: &'static str,
    pub query: Value,
    pub result: Value,
    pub columns: Value,
    pub types: Value,
}

/// A function that builds one kind of insight.
pub type Builder = fn(&mut Rng) -> InsightSpec;

/// The last day the seeded results cover.
fn last_day() -> Date {
    Date::from_calendar_date(2025, Month::November, 16).expect("valid date")
}

/// `count` days ending on [`last_day`], `step` days apart.
fn axis(count: i64, step: i64) -> (Vec<String>, Vec<String>) {
    (0..count)
        .rev()
        .map(|i| {
            let day = last_day() - Duration::days(i * step);
            let label = format!(
                "{}-{}-{}",
                day.day(),
                &format!("{:?}", day.month())[..3],
                day.year()
            );
            (label, day.to_string())
        })
        .unzip()
}

fn events_node(event: &str, math: &str) -> Value {
    json!({"kind": "EventsNode", "event": event, "name": event, "math": math})
}

fn viz(source: Value) -> Value {
    json!({"kind": "InsightVizNode", "source": source})
}

fn spec(
    name: Option<&'static str>,
    derived_name: Option<&'static str>,
    query: Value,
    result: Value,
) -> InsightSpec {
    InsightSpec {
        name,
        derived_name,
        description: "",
        query,
        result,
        columns: Value::Null,
        types: Value::Null,
    }
}

/// One trends series over an axis, with a gentle trend and noise.
fn series(
    rng: &mut Rng,
    event: &str,
    math: &str,
    label: &str,
    base: i64,
    days: &(Vec<String>, Vec<String>),
) -> Value {
    let data: Vec<i64> = (0..days.0.len() as i64)
        .map(|i| (base + base * i / 20 + rng.range(-base / 6, base / 6)).max(0))
        .collect();
    let count: i64 = data.iter().sum();
    json!({
        "action": {"id": event, "type": "events", "order": 0, "name": event, "custom_name": null,
                   "math": math, "math_property": null, "properties": {}},
        "label": label,
        "count": count,
        "data": data,
        "labels": days.0,
        "days": days.1,
    })
}

fn trends(
    rng: &mut Rng,
    name: Option<&'static str>,
    derived_name: Option<&'static str>,
    events: &[(&str, i64)],
    math: &str,
    interval: &str,
    display: &str,
) -> InsightSpec {
    let (count, step, date_from) = match interval {
        "week" => (12, 7, "-90d"),
        "month" => (12, 30, "-1y"),
        _ => (14, 1, "-14d"),
    };
    let days = axis(count, step);
    let result: Vec<Value> = events
        .iter()
        .enumerate()
        .map(|(order, (event, base))| {
            let mut s = series(rng, event, math, event, *base, &days);
            s["action"]["order"] = json!(order);
            s
        })
        .collect();
    let query = viz(json!({
        "kind": "TrendsQuery",
        "series": events.iter().map(|(e, _)| events_node(e, math)).collect::<Vec<_>>(),
        "interval": interval,
        "dateRange": {"date_from": date_from},
        "trendsFilter": {"display": display},
    }));
    spec(name, derived_name, query, Value::Array(result))
}

fn breakdown(
    rng: &mut Rng,
    name: Option<&'static str>,
    derived_name: Option<&'static str>,
    event: &str,
    property: &str,
    values: &[(&str, i64)],
    display: &str,
) -> InsightSpec {
    let days = axis(14, 1);
    let result: Vec<Value> = values
        .iter()
        .map(|(value, base)| {
            let mut s = series(
                rng,
                event,
                "total",
                &format!("{event} - {value}"),
                *base,
                &days,
            );
            s["breakdown_value"] = json!(value);
            s["aggregated_value"] = s["count"].clone();
            s
        })
        .collect();
    let query = viz(json!({
        "kind": "TrendsQuery",
        "series": [events_node(event, "total")],
        "interval": "day",
        "dateRange": {"date_from": "-14d"},
        "breakdownFilter": {"breakdown": property, "breakdown_type": "event"},
        "trendsFilter": {"display": display},
    }));
    spec(name, derived_name, query, Value::Array(result))
}

fn funnel(
    rng: &mut Rng,
    name: Option<&'static str>,
    derived_name: Option<&'static str>,
    steps: &[&str],
) -> InsightSpec {
    let mut count = rng.range(4000, 9000);
    let result: Vec<Value> = steps
        .iter()
        .enumerate()
        .map(|(order, step)| {
            if order > 0 {
                count = count * rng.range(35, 80) / 100;
            }
            json!({
                "action_id": step, "name": step, "custom_name": null, "order": order, "count": count,
                "type": "events",
                "average_conversion_time": (order > 0).then(|| rng.range(60, 86400) as f64),
                "median_conversion_time": (order > 0).then(|| rng.range(30, 43200) as f64),
            })
        })
        .collect();
    let query = viz(json!({
        "kind": "FunnelsQuery",
        "series": steps.iter().map(|s| events_node(s, "total")).collect::<Vec<_>>(),
        "dateRange": {"date_from": "-30d"},
        "funnelsFilter": {"funnelVizType": "steps", "funnelWindowInterval": 14, "funnelWindowIntervalUnit": "day"},
    }));
    spec(name, derived_name, query, Value::Array(result))
}

fn retention(
    rng: &mut Rng,
    name: Option<&'static str>,
    derived_name: Option<&'static str>,
    period: &str,
) -> InsightSpec {
    let cohorts = 8;
    let step = if period == "Week" { 7 } else { 1 };
    let (_, days) = axis(cohorts, step);
    let result: Vec<Value> = (0..cohorts as usize)
        .map(|i| {
            let start = rng.range(300, 900);
            let values: Vec<Value> = (0..cohorts as usize - i)
                .map(|k| json!({"count": if k == 0 { start } else { start * rng.range(15, 45) / 100 / (k as i64).clamp(1, 3) }}))
                .collect();
            json!({"values": values, "label": format!("{period} {i}"), "date": format!("{}T00:00:00Z", days[i])})
        })
        .collect();
    let query = viz(json!({
        "kind": "RetentionQuery",
        "dateRange": {"date_from": "-8w"},
        "retentionFilter": {
            "period": period, "totalIntervals": cohorts, "retentionType": "retention_first_time",
            "targetEntity": {"id": "user signed up", "type": "events", "name": "user signed up"},
            "returningEntity": {"id": "$pageview", "type": "events", "name": "$pageview"},
        },
    }));
    spec(name, derived_name, query, Value::Array(result))
}

fn paths(
    rng: &mut Rng,
    name: Option<&'static str>,
    derived_name: Option<&'static str>,
) -> InsightSpec {
    let links = [
        ("1_/", "2_/pricing"),
        ("1_/", "2_/docs"),
        ("1_/", "2_/signup"),
        ("2_/pricing", "3_/signup"),
        ("2_/docs", "3_/docs/getting-started"),
        ("3_/signup", "4_/onboarding"),
    ];
    let result: Vec<Value> = links
        .iter()
        .map(|(source, target)| {
            json!({"source": source, "target": target, "value": rng.range(80, 2400),
                   "average_conversion_time": rng.range(2000, 90000) as f64})
        })
        .collect();
    let query = viz(json!({
        "kind": "PathsQuery",
        "dateRange": {"date_from": "-7d"},
        "pathsFilter": {"includeEventTypes": ["$pageview"], "startPoint": "/", "stepLimit": 5},
    }));
    spec(name, derived_name, query, Value::Array(result))
}

fn stickiness(rng: &mut Rng, name: Option<&'static str>, event: &str) -> InsightSpec {
    let labels: Vec<String> = (1..=7)
        .map(|d| format!("{d} day{}", if d == 1 { "" } else { "s" }))
        .collect();
    let data: Vec<i64> = (1..=7).map(|d| rng.range(200, 1200) / d).collect();
    let result = json!([{
        "action": {"id": event, "type": "events", "order": 0, "name": event, "math": "total"},
        "label": event, "count": data.iter().sum::<i64>(), "data": data, "labels": labels,
        "days": (1..=7).collect::<Vec<_>>(),
    }]);
    let query = viz(json!({
        "kind": "StickinessQuery",
        "series": [events_node(event, "total")],
        "interval": "day",
        "dateRange": {"date_from": "-7d"},
        "stickinessFilter": {"display": "ActionsLineGraph"},
    }));
    spec(name, None, query, result)
}

fn lifecycle(rng: &mut Rng, name: Option<&'static str>, event: &str) -> InsightSpec {
    let days = axis(8, 7);
    let result: Vec<Value> = ["new", "returning", "resurrecting", "dormant"]
        .iter()
        .map(|status| {
            let sign = if *status == "dormant" { -1 } else { 1 };
            let data: Vec<i64> = (0..8).map(|_| sign * rng.range(50, 600)).collect();
            json!({
                "action": {"id": event, "type": "events", "order": 0, "name": event, "math": "total"},
                "label": format!("{event} - {status}"), "status": status,
                "count": data.iter().sum::<i64>(), "data": data, "labels": days.0, "days": days.1,
            })
        })
        .collect();
    let query = viz(json!({
        "kind": "LifecycleQuery",
        "series": [events_node(event, "total")],
        "interval": "week",
        "dateRange": {"date_from": "-8w"},
        "lifecycleFilter": {"showValuesOnSeries": false},
    }));
    spec(name, None, query, Value::Array(result))
}

fn hogql_table(
    name: Option<&'static str>,
    derived_name: Option<&'static str>,
    sql: &str,
    columns: &[(&str, &str)],
    rows: Vec<Value>,
) -> InsightSpec {
    InsightSpec {
        columns: columns.iter().map(|(c, _)| json!(c)).collect(),
        types: columns.iter().map(|(c, t)| json!([c, t])).collect(),
        ..spec(
            name,
            derived_name,
            json!({"kind": "DataTableNode", "source": {"kind": "HogQLQuery", "query": sql}}),
            Value::Array(rows),
        )
    }
}

/// Weekly signups, a line graph.
pub fn weekly_signups(rng: &mut Rng) -> InsightSpec {
    trends(
        rng,
        Some("Weekly signups"),
        None,
        &[("user signed up", 420)],
        "total",
        "week",
        "ActionsLineGraph",
    )
}

/// Daily active users.
pub fn daily_active_users(rng: &mut Rng) -> InsightSpec {
    trends(
        rng,
        Some("Daily active users"),
        None,
        &[("$pageview", 2600)],
        "dau",
        "day",
        "ActionsLineGraph",
    )
}

/// Pageviews per day.
pub fn pageviews(rng: &mut Rng) -> InsightSpec {
    trends(
        rng,
        Some("Pageviews"),
        None,
        &[("$pageview", 9800)],
        "total",
        "day",
        "ActionsLineGraph",
    )
}

/// Total revenue as one big number.
pub fn total_revenue(rng: &mut Rng) -> InsightSpec {
    let mut s = trends(
        rng,
        Some("Total revenue (30 days)"),
        None,
        &[("purchase completed", 1800)],
        "sum",
        "day",
        "BoldNumber",
    );
    if let Some(first) = s.result.get_mut(0) {
        first["aggregated_value"] = first["count"].clone();
    }
    s
}

/// Signups and activations, stacked areas.
pub fn signups_vs_activations(rng: &mut Rng) -> InsightSpec {
    trends(
        rng,
        Some("Signups vs activations"),
        None,
        &[("user signed up", 380), ("user activated", 190)],
        "total",
        "week",
        "ActionsAreaGraph",
    )
}

/// Monthly active users, bars.
pub fn monthly_active_users(rng: &mut Rng) -> InsightSpec {
    trends(
        rng,
        Some("Monthly active users"),
        None,
        &[("$pageview", 41000)],
        "monthly_active",
        "month",
        "ActionsBar",
    )
}

/// Pageviews by browser, unnamed (PostHog derives the name).
pub fn pageviews_by_browser(rng: &mut Rng) -> InsightSpec {
    breakdown(
        rng,
        None,
        Some("Pageview count by Browser"),
        "$pageview",
        "$browser",
        &[
            ("Chrome", 5200),
            ("Safari", 2100),
            ("Firefox", 800),
            ("Edge", 450),
        ],
        "ActionsBar",
    )
}

/// Traffic sources as a pie.
pub fn traffic_sources(rng: &mut Rng) -> InsightSpec {
    breakdown(
        rng,
        Some("Traffic sources"),
        None,
        "$pageview",
        "utm_source",
        &[
            ("google", 3000),
            ("newsletter", 900),
            ("twitter", 600),
            ("hacker-news", 1400),
        ],
        "ActionsPie",
    )
}

/// Top countries as a table.
pub fn top_countries(rng: &mut Rng) -> InsightSpec {
    breakdown(
        rng,
        Some("Top countries"),
        None,
        "$pageview",
        "$geoip_country_code",
        &[
            ("US", 4100),
            ("GB", 1300),
            ("DE", 1100),
            ("IN", 900),
            ("BR", 500),
        ],
        "ActionsTable",
    )
}

/// Devices, unnamed.
pub fn devices(rng: &mut Rng) -> InsightSpec {
    breakdown(
        rng,
        None,
        Some("Pageview count by Device type"),
        "$pageview",
        "$device_type",
        &[("Desktop", 6200), ("Mobile", 3100), ("Tablet", 400)],
        "ActionsBarValue",
    )
}

/// Signup to purchase conversion steps.
pub fn signup_to_purchase(rng: &mut Rng) -> InsightSpec {
    funnel(
        rng,
        Some("Signup to purchase"),
        None,
        &["user signed up", "plan selected", "purchase completed"],
    )
}

/// Onboarding steps, unnamed.
pub fn onboarding_steps(rng: &mut Rng) -> InsightSpec {
    funnel(
        rng,
        None,
        Some("user signed up → project created → first event ingested → invite sent"),
        &[
            "user signed up",
            "project created",
            "first event ingested",
            "invite sent",
        ],
    )
}

/// Checkout conversion steps.
pub fn checkout_steps(rng: &mut Rng) -> InsightSpec {
    funnel(
        rng,
        Some("Checkout conversion"),
        None,
        &["cart viewed", "checkout started", "purchase completed"],
    )
}

/// Weekly retention.
pub fn weekly_retention(rng: &mut Rng) -> InsightSpec {
    retention(rng, Some("Weekly retention"), None, "Week")
}

/// Daily retention, unnamed.
pub fn daily_retention(rng: &mut Rng) -> InsightSpec {
    retention(
        rng,
        None,
        Some("Retention of users who did user signed up"),
        "Day",
    )
}

/// Paths from the home page.
pub fn paths_from_home(rng: &mut Rng) -> InsightSpec {
    paths(rng, Some("User paths from the home page"), None)
}

/// Stickiness of dashboard views.
pub fn dashboard_stickiness(rng: &mut Rng) -> InsightSpec {
    stickiness(rng, Some("Dashboard view stickiness"), "dashboard viewed")
}

/// User lifecycle.
pub fn user_lifecycle(rng: &mut Rng) -> InsightSpec {
    lifecycle(rng, Some("User lifecycle"), "$pageview")
}

/// Recent signups, a HogQL table.
pub fn recent_signups(rng: &mut Rng) -> InsightSpec {
    let plans = ["free", "pay-as-you-go", "enterprise"];
    let rows = (0..6)
        .map(|i| {
            json!([
                format!("user{}@example.com", rng.range(100, 999)),
                plans[(i % 3) as usize],
                format!(
                    "2025-11-{:02}T{:02}:{:02}:00Z",
                    16 - i,
                    rng.range(8, 20),
                    rng.range(0, 59)
                ),
            ])
        })
        .collect();
    hogql_table(
        Some("Recent signups"),
        None,
        "SELECT person.properties.email, properties.plan, timestamp FROM events WHERE event = 'user signed up' ORDER BY timestamp DESC LIMIT 6",
        &[("person.properties.email", "String"), ("properties.plan", "String"), ("timestamp", "DateTime")],
        rows,
    )
}

/// Revenue by plan, a HogQL table without a name.
pub fn revenue_by_plan(rng: &mut Rng) -> InsightSpec {
    let rows = ["enterprise", "pay-as-you-go", "free"]
        .iter()
        .map(|plan| {
            json!([
                plan,
                rng.range(1000, 90000) as f64 + 0.5,
                rng.range(10, 900)
            ])
        })
        .collect();
    hogql_table(
        None,
        Some("SELECT properties.plan, sum(properties.revenue), count() FROM events"),
        "SELECT properties.plan AS plan, sum(toFloat(properties.revenue)) AS revenue, count() AS purchases FROM events WHERE event = 'purchase completed' GROUP BY plan ORDER BY revenue DESC",
        &[("plan", "String"), ("revenue", "Float64"), ("purchases", "UInt64")],
        rows,
    )
}

/// Average session duration.
pub fn session_duration(rng: &mut Rng) -> InsightSpec {
    let mut s = trends(
        rng,
        Some("Average session duration"),
        None,
        &[("$pageview", 320)],
        "avg",
        "day",
        "ActionsLineGraph",
    );
    s.query["source"]["series"][0]["math_property"] = json!("$session_duration");
    s.description = "Seconds, averaged over sessions that saw a page.";
    s
}

/// Errors per day.
pub fn errors(rng: &mut Rng) -> InsightSpec {
    trends(
        rng,
        Some("Exceptions per day"),
        None,
        &[("$exception", 60)],
        "total",
        "day",
        "ActionsBar",
    )
}

/// Feature flag calls.
pub fn flag_calls(rng: &mut Rng) -> InsightSpec {
    trends(
        rng,
        Some("Feature flag calls"),
        None,
        &[("$feature_flag_called", 15000)],
        "total",
        "day",
        "ActionsLineGraph",
    )
}

/// The 21 insights of "Product KPIs", in tile order.
pub const PRODUCT_KPIS: [Builder; 21] = [
    weekly_signups,
    daily_active_users,
    total_revenue,
    signups_vs_activations,
    monthly_active_users,
    pageviews_by_browser,
    traffic_sources,
    top_countries,
    devices,
    signup_to_purchase,
    onboarding_steps,
    checkout_steps,
    weekly_retention,
    daily_retention,
    paths_from_home,
    dashboard_stickiness,
    user_lifecycle,
    recent_signups,
    revenue_by_plan,
    session_duration,
    errors,
];
