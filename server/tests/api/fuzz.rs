//! Generated requests against every write endpoint (and the list's query string): whatever the
//! body, the answer is never a 5xx and always PostHog-shaped JSON. Deterministic (fixed seed), so a
//! failure names a case that can be replayed; the new era is used, whose `move_tile` has no
//! deliberate 500.

use std::sync::Arc;

use reqwest::{Method, StatusCode};
use serde_json::{json, Map, Value};

use crate::common::{start, Server, ADA, ADA_SESSION};

/// xorshift64*: enough randomness for inputs, and the same sequence on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Field names the handlers read, so generated objects reach their validation.
const KEYS: [&str; 44] = [
    "name",
    "description",
    "pinned",
    "tags",
    "tiles",
    "filters",
    "restriction_level",
    "deleted",
    "use_template",
    "use_dashboard",
    "delete_insights",
    "duplicate_tiles",
    "quick_filter_ids",
    "breakdown_colors",
    "data_color_theme_id",
    "last_accessed_at",
    "text",
    "body",
    "id",
    "layouts",
    "sm",
    "x",
    "y",
    "w",
    "h",
    "color",
    "insight",
    "tile",
    "to_dashboard",
    "user_uuid",
    "level",
    "access_level",
    "organization_member",
    "role",
    "enabled",
    "query",
    "dashboards",
    "variables",
    "template_name",
    "dashboard_description",
    "dashboard_filters",
    "type",
    "settings",
    "kind",
];

fn scalar(rng: &mut Rng) -> Value {
    match rng.below(22) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(false),
        3 => json!(0),
        4 => json!(1),
        5 => json!(-1),
        6 => json!(*rng.pick(&[2, 3, 21, 37, 42, 99_999])),
        7 => json!(i64::MAX),
        8 => json!(i64::MIN),
        9 => json!(u64::MAX),
        10 => json!(*rng.pick(&[1.5, -0.0, 1e308, -1e-308])),
        11 => json!(""),
        12 => json!(*rng.pick(&["1", "-1", "abc", "true", "null", "3.5", "@current"])),
        13 => json!("0191c7a2-5b1e-7000-8f3a-6d2c1e4b9a01"),
        14 => json!("x".repeat(rng.below(1000))),
        15 => json!("<script>alert(1)</script>\u{0}\u{202e}🦔"),
        16 => json!(*rng.pick(&["2024-01-01T00:00:00Z", "not a date", "9999-99-99"])),
        17 => json!(*rng.pick(&["DEFAULT_APP", "WEBSITE_TRAFFIC", "view", "editor", "none"])),
        18 => json!(*rng.pick(&["TrendsQuery", "InsightVizNode", "DataTableNode", "blue"])),
        19 => json!(rng.next() as i64),
        20 => json!(rng.below(50)),
        _ => json!(*rng.pick(KEYS.as_slice())),
    }
}

fn value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth == 0 { 1 } else { 4 }) {
        0 | 1 => scalar(rng),
        2 => Value::Array((0..rng.below(4)).map(|_| value(rng, depth - 1)).collect()),
        _ => object(rng, depth - 1),
    }
}

fn object(rng: &mut Rng, depth: usize) -> Value {
    let mut map = Map::new();
    for _ in 0..rng.below(6) {
        let key = if rng.below(10) == 0 {
            format!("unknown_{}", rng.below(5))
        } else {
            rng.pick(KEYS.as_slice()).to_string()
        };
        map.insert(key, value(rng, depth));
    }
    Value::Object(map)
}

/// A request body: mostly JSON objects, sometimes other JSON, sometimes broken bytes.
fn body(rng: &mut Rng) -> (Vec<u8>, &'static str) {
    const JSON: &str = "application/json";
    match rng.below(20) {
        0 => (value(rng, 3).to_string().into_bytes(), JSON),
        1 => {
            let mut text = object(rng, 3).to_string().into_bytes();
            text.truncate(rng.below(text.len() + 1));
            (text, JSON)
        }
        2 => ((0..rng.below(64)).map(|_| rng.next() as u8).collect(), JSON),
        3 => (b"{\"name\": \"\xff\xfe\"}".to_vec(), JSON),
        4 => {
            let depth = 1000 + rng.below(20_000);
            (
                format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes(),
                JSON,
            )
        }
        5 => (
            b"name=a&tags=b&tags=c&pinned=true".to_vec(),
            "application/x-www-form-urlencoded",
        ),
        6 => (b"name: x".to_vec(), "text/plain"),
        _ => (object(rng, 3).to_string().into_bytes(), JSON),
    }
}

/// A write endpoint of project 1, with an id among the seeded dashboards (some soft-deleted or in
/// other projects), insights or none.
fn endpoint(rng: &mut Rng) -> (Method, String, &'static str) {
    let d = 1 + rng.below(44);
    let base = "/api/projects/1";
    let (method, path, key) = match rng.below(12) {
        0 => (Method::POST, format!("{base}/dashboards/"), ADA),
        1 | 2 => (Method::PATCH, format!("{base}/dashboards/{d}/"), ADA),
        3 => (Method::PUT, format!("{base}/dashboards/{d}/"), ADA),
        4 => (
            Method::PATCH,
            format!("{base}/dashboards/{d}/move_tile/"),
            ADA,
        ),
        5 => (
            Method::PATCH,
            format!("{base}/dashboards/{d}/sharing/"),
            ADA,
        ),
        6 => (
            Method::POST,
            format!("{base}/dashboards/{d}/sharing/refresh/"),
            ADA,
        ),
        7 => (
            Method::POST,
            format!("{base}/dashboards/{d}/collaborators/"),
            ADA,
        ),
        8 => (
            Method::PUT,
            format!("{base}/dashboards/{d}/access_controls/"),
            ADA,
        ),
        9 => (Method::POST, format!("{base}/insights/"), ADA),
        10 => (
            Method::PATCH,
            format!("{base}/insights/{}/", 1 + rng.below(60)),
            ADA,
        ),
        // Personal API keys may not call it; Ada's session reaches the template parser.
        _ => (
            Method::POST,
            format!("{base}/dashboards/create_from_template_json/"),
            ADA_SESSION,
        ),
    };
    (method, path, key)
}

/// A list URL with generated paging and filters.
fn list_query(rng: &mut Rng) -> String {
    let values = [
        "-1",
        "abc",
        "0",
        "1",
        "18446744073709551615",
        "18446744073709551616",
        "9223372036854775807",
        "",
        "%00",
    ];
    let mut query = String::new();
    for _ in 0..1 + rng.below(4) {
        let key = rng.pick(&["limit", "offset", "search", "tags", "creation_mode", "x"]);
        query.push_str(&format!("{key}={}&", rng.pick(&values)));
    }
    format!("/api/projects/1/dashboards/?{query}")
}

/// Fails unless `status` and `text` are an answer PostHog could give.
fn check_shape(case: &str, status: StatusCode, text: &str) {
    assert!(!status.is_server_error(), "{case} → {status}: {text}");
    let body: Value =
        serde_json::from_str(text).unwrap_or_else(|_| panic!("{case} → not JSON: {text}"));
    if status.is_client_error() {
        for field in ["type", "code", "detail", "attr"] {
            assert!(
                body.get(field).is_some(),
                "{case} → {status} without `{field}`: {text}"
            );
        }
        assert!(
            body["detail"].is_string() && body["type"].is_string(),
            "{case} → {text}"
        );
    } else {
        assert!(body.is_object() || body.is_array(), "{case} → {text}");
    }
}

const CASES: usize = 5000;
const WORKERS: u64 = 6;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn generated_requests_never_get_a_server_error_or_an_unshaped_body() {
    let server = Arc::new(start().await);
    let workers: Vec<_> = (0..WORKERS)
        .map(|worker| {
            let server = server.clone();
            tokio::spawn(async move {
                let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (worker + 1));
                for case in 0..CASES / WORKERS as usize {
                    send_case(&server, &mut rng, &format!("worker {worker} case {case}")).await;
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.expect("a case failed");
    }
}

async fn send_case(server: &Server, rng: &mut Rng, case: &str) {
    let request = if rng.below(10) == 0 {
        let path = list_query(rng);
        let case = format!("{case}: GET {path}");
        (server.request(Method::GET, &path, Some(ADA)), case)
    } else {
        let (method, path, key) = endpoint(rng);
        let (bytes, content_type) = body(rng);
        let shown = String::from_utf8_lossy(&bytes[..bytes.len().min(300)]).into_owned();
        let case = format!("{case}: {method} {path} {content_type} {shown}");
        let request = server
            .request(method, &path, Some(key))
            .header("content-type", content_type)
            .body(bytes);
        (request, case)
    };
    let reply = server.send(request.0).await;
    check_shape(&request.1, reply.status, &reply.text);
}
