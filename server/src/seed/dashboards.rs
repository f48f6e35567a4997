//! Seeded dashboards, tiles, insights, text cards, tags and sharing configurations.
//!
//! # Project 1 "Hogflix Web": 34 live dashboards (ids 1–34) + id 35 soft-deleted
//! - 1 **Product KPIs** — pinned, tags `kpi`, `weekly`, shared, by Ada; 24 tiles: a header text
//!   card, 21 insights (trends line/area/bar/pie/table/bold number, breakdowns, funnels,
//!   retention, paths, stickiness, lifecycle, two HogQL `DataTableNode`s; four have `name: null`
//!   and a `derived_name`), a notes card and a card whose markdown is hostile (`<script>`,
//!   `<img onerror>`, a `javascript:` link). Tiles sit on a 12-column `sm` grid without overlaps,
//!   except "Total revenue (30 days)" (no layouts at all) and "User paths from the home page"
//!   (`sm` without `y`).
//! - 2 **Website traffic** — pinned, tag `marketing`, shared, 4 insight tiles.
//! - 3 "Marketing funnel", 4 "Signup funnel", 5 "Checkout funnel" — the only dashboards whose name,
//!   description or tags contain "funnel".
//! - 6 "Engineering health", 7 "Finance overview", 8 "Executive summary" (shared), 9 "Growth
//!   experiments" — restriction level 37, created by Ada: Grace (read-only key) sees
//!   `effective_privilege_level` 21.
//! - Shared: 1, 2, 8, 31 ("Experiment results"). Tags used: kpi, weekly, marketing, growth,
//!   engineering, finance.
//! - 27 has `name: null`; 28 has a 400-character name; 29 is right-to-left Arabic with emoji.
//! - The "Weekly signups" insight of Product KPIs is also on "Executive summary".
//! - Creators vary over users 1–5; `created_at` runs from 2024-02 to 2025-10.
//!
//! # Project 2 "Hogflix Mobile": ids 36–40. # Project 3 "Other Org Site": ids 41–42.

use rusqlite::{params, Connection};
use serde_json::{json, Value};

use super::insights::{self as ins, Builder, Rng};
use super::users::{ADA, ALAN, GRACE, KATHERINE, LINUS, MARGARET};
use crate::db::dashboards::{self, NewDashboard};
use crate::db::tiles::{self, Insight, Text, Tile};
use crate::permissions::ONLY_COLLABORATORS_CAN_EDIT;

/// When the seeded caches were last refreshed.
const LAST_REFRESH: &str = "2025-11-17T07:45:00.000000Z";

enum Name {
    Text(&'static str),
    Null,
    /// A name of exactly 400 characters, the longest PostHog accepts.
    Longest,
}

enum Tiles {
    ProductKpis,
    Insights(&'static [Builder]),
}

struct Spec {
    team: i64,
    name: Name,
    description: &'static str,
    creator: i64,
    created_at: &'static str,
    tiles: Tiles,
    tags: &'static [&'static str],
    pinned: bool,
    restricted: bool,
    shared: bool,
    deleted: bool,
    /// A text card added after the insights.
    note: Option<&'static str>,
}

fn d(
    team: i64,
    name: Name,
    creator: i64,
    created_at: &'static str,
    tiles: &'static [Builder],
) -> Spec {
    Spec {
        team,
        name,
        description: "",
        creator,
        created_at,
        tiles: Tiles::Insights(tiles),
        tags: &[],
        pinned: false,
        restricted: false,
        shared: false,
        deleted: false,
        note: None,
    }
}

impl Spec {
    fn about(self, description: &'static str) -> Self {
        Self {
            description,
            ..self
        }
    }
    fn tags(self, tags: &'static [&'static str]) -> Self {
        Self { tags, ..self }
    }
    fn pinned(self) -> Self {
        Self {
            pinned: true,
            ..self
        }
    }
    fn restricted(self) -> Self {
        Self {
            restricted: true,
            ..self
        }
    }
    fn shared(self) -> Self {
        Self {
            shared: true,
            ..self
        }
    }
    fn deleted(self) -> Self {
        Self {
            deleted: true,
            ..self
        }
    }
    fn note(self, body: &'static str) -> Self {
        Self {
            note: Some(body),
            ..self
        }
    }
}

fn specs() -> Vec<Spec> {
    use Name::*;
    vec![
        Spec {
            tiles: Tiles::ProductKpis,
            ..d(
                1,
                Text("Product KPIs"),
                ADA,
                "2024-02-12T10:14:03.518402Z",
                &[],
            )
        }
        .about("Weekly product health: acquisition, activation, retention and revenue.")
        .tags(&["kpi", "weekly"])
        .pinned()
        .shared(),
        d(
            1,
            Text("Website traffic"),
            KATHERINE,
            "2024-03-04T08:02:57.781020Z",
            &[
                ins::pageviews,
                ins::traffic_sources,
                ins::top_countries,
                ins::devices,
            ],
        )
        .about("Where visitors come from and what they read.")
        .tags(&["marketing"])
        .pinned()
        .shared(),
        d(
            1,
            Text("Marketing funnel"),
            GRACE,
            "2024-03-21T14:22:10.440871Z",
            &[ins::signup_to_purchase, ins::traffic_sources],
        )
        .about("From first visit to paying customer.")
        .tags(&["marketing", "growth"]),
        d(
            1,
            Text("Signup funnel"),
            ALAN,
            "2024-04-09T11:40:00.000000Z",
            &[ins::onboarding_steps, ins::weekly_signups],
        )
        .about("Where new users drop off while signing up.")
        .tags(&["growth"]),
        d(
            1,
            Text("Checkout funnel"),
            MARGARET,
            "2024-04-30T16:05:12.000000Z",
            &[ins::checkout_steps],
        )
        .tags(&["finance"]),
        d(
            1,
            Text("Engineering health"),
            ADA,
            "2024-05-14T09:30:00.000000Z",
            &[ins::errors, ins::flag_calls],
        )
        .about("Exceptions and flag evaluations. Owned by the platform team.")
        .tags(&["engineering"])
        .restricted(),
        d(
            1,
            Text("Finance overview"),
            ADA,
            "2024-06-03T13:00:00.000000Z",
            &[ins::total_revenue, ins::revenue_by_plan],
        )
        .tags(&["finance"])
        .restricted(),
        d(
            1,
            Text("Executive summary"),
            ADA,
            "2024-06-25T07:15:00.000000Z",
            &[ins::monthly_active_users],
        )
        .about("The numbers the board asks about.")
        .restricted()
        .shared(),
        d(
            1,
            Text("Growth experiments"),
            ADA,
            "2024-07-15T10:45:00.000000Z",
            &[ins::signups_vs_activations],
        )
        .tags(&["growth"])
        .restricted(),
        d(
            1,
            Text("Release quality"),
            ALAN,
            "2024-08-02T15:20:00.000000Z",
            &[ins::errors],
        )
        .tags(&["engineering"]),
        d(
            1,
            Text("Customer support"),
            GRACE,
            "2024-08-19T09:00:00.000000Z",
            &[],
        )
        .about("Ticket volume and response times."),
        d(
            1,
            Text("Mobile web usage"),
            KATHERINE,
            "2024-09-05T12:10:00.000000Z",
            &[ins::devices],
        ),
        d(
            1,
            Text("Onboarding"),
            ALAN,
            "2024-09-23T08:55:00.000000Z",
            &[ins::daily_retention],
        )
        .tags(&["growth"]),
        d(
            1,
            Text("Retention deep dive"),
            GRACE,
            "2024-10-10T17:30:00.000000Z",
            &[
                ins::weekly_retention,
                ins::daily_retention,
                ins::user_lifecycle,
            ],
        )
        .about("Cohorts, lifecycle and who comes back."),
        d(
            1,
            Text("Pricing page"),
            MARGARET,
            "2024-10-28T11:11:00.000000Z",
            &[ins::paths_from_home],
        )
        .tags(&["marketing"]),
        d(
            1,
            Text("Feature flags rollout"),
            ADA,
            "2024-11-14T14:00:00.000000Z",
            &[ins::flag_calls],
        )
        .tags(&["engineering"]),
        d(
            1,
            Text("Search analytics"),
            ALAN,
            "2024-12-02T10:00:00.000000Z",
            &[],
        ),
        d(
            1,
            Text("Content engagement"),
            KATHERINE,
            "2024-12-19T16:45:00.000000Z",
            &[ins::dashboard_stickiness],
        )
        .tags(&["marketing"]),
        d(
            1,
            Text("Billing & invoices"),
            MARGARET,
            "2025-01-08T09:40:00.000000Z",
            &[ins::revenue_by_plan],
        )
        .tags(&["finance"]),
        d(
            1,
            Text("API usage"),
            ALAN,
            "2025-01-27T13:25:00.000000Z",
            &[ins::pageviews],
        )
        .tags(&["engineering"]),
        d(
            1,
            Text("Weekly business review"),
            KATHERINE,
            "2025-02-13T08:00:00.000000Z",
            &[ins::weekly_signups, ins::total_revenue],
        )
        .about("Reviewed every Monday at 10:00.")
        .tags(&["kpi"])
        .note("## Agenda\n1. Signups\n2. Revenue\n3. Open questions"),
        d(
            1,
            Text("Marketing campaigns Q1 2025"),
            GRACE,
            "2025-03-03T10:30:00.000000Z",
            &[ins::traffic_sources],
        )
        .tags(&["marketing"]),
        d(
            1,
            Text("SEO performance"),
            GRACE,
            "2025-03-20T12:00:00.000000Z",
            &[ins::top_countries],
        )
        .tags(&["marketing"]),
        d(
            1,
            Text("Infrastructure costs"),
            ADA,
            "2025-04-07T09:05:00.000000Z",
            &[],
        )
        .tags(&["engineering", "finance"]),
        d(
            1,
            Text("Sales pipeline"),
            MARGARET,
            "2025-04-24T15:50:00.000000Z",
            &[],
        )
        .about("Deals by stage, from the CRM export."),
        d(
            1,
            Text("Partner referrals"),
            KATHERINE,
            "2025-05-12T11:35:00.000000Z",
            &[ins::traffic_sources],
        )
        .tags(&["growth"]),
        d(1, Null, ALAN, "2025-05-29T10:20:00.000000Z", &[])
            .about("Created through the API without a name."),
        d(
            1,
            Longest,
            GRACE,
            "2025-06-16T09:10:00.000000Z",
            &[ins::pageviews],
        ),
        d(
            1,
            Text("📊 لوحة المبيعات — المبيعات الشهرية 🚀"),
            KATHERINE,
            "2025-07-03T13:45:00.000000Z",
            &[ins::weekly_signups],
        )
        .about("مؤشرات الأداء الرئيسية للمبيعات 🌍"),
        d(
            1,
            Text("Data warehouse sync"),
            ALAN,
            "2025-07-21T07:30:00.000000Z",
            &[],
        )
        .tags(&["engineering"]),
        d(
            1,
            Text("Experiment results"),
            GRACE,
            "2025-08-07T14:15:00.000000Z",
            &[ins::signups_vs_activations, ins::dashboard_stickiness],
        )
        .tags(&["growth"])
        .shared(),
        d(
            1,
            Text("Community & events"),
            KATHERINE,
            "2025-08-25T18:00:00.000000Z",
            &[],
        )
        .tags(&["marketing"]),
        d(
            1,
            Text("Churn analysis"),
            MARGARET,
            "2025-09-11T10:00:00.000000Z",
            &[ins::user_lifecycle, ins::weekly_retention],
        ),
        d(
            1,
            Text("Team standup"),
            ADA,
            "2025-10-06T08:45:00.000000Z",
            &[ins::daily_active_users],
        ),
        d(
            1,
            Text("Old retired dashboard"),
            ADA,
            "2024-01-20T12:00:00.000000Z",
            &[ins::pageviews],
        )
        .deleted(),
        d(
            2,
            Text("Mobile KPIs"),
            ADA,
            "2024-05-02T09:00:00.000000Z",
            &[ins::daily_active_users],
        )
        .pinned(),
        d(
            2,
            Text("App store reviews"),
            GRACE,
            "2024-08-14T10:00:00.000000Z",
            &[],
        ),
        d(
            2,
            Text("Crash reports"),
            ALAN,
            "2024-11-20T11:00:00.000000Z",
            &[ins::errors],
        )
        .tags(&["engineering"]),
        d(
            2,
            Text("Push notifications"),
            KATHERINE,
            "2025-02-25T12:00:00.000000Z",
            &[ins::weekly_signups],
        )
        .tags(&["growth"]),
        d(
            2,
            Text("iOS vs Android"),
            MARGARET,
            "2025-06-30T13:00:00.000000Z",
            &[ins::devices],
        ),
        d(
            3,
            Text("Other Org overview"),
            LINUS,
            "2024-09-01T09:00:00.000000Z",
            &[ins::pageviews],
        ),
        d(
            3,
            Text("Other Org signups"),
            LINUS,
            "2025-01-15T09:00:00.000000Z",
            &[ins::weekly_signups],
        ),
    ]
}

const HEADER_CARD: &str =
    "# Product KPIs\nThe numbers we review **every Monday**. Internal users are excluded.";
const NOTES_CARD: &str = "### How to read this\n- Revenue is in USD, net of refunds.\n- Retention counts a user as back after any pageview.";
/// Markdown an attacker could have saved: the app must render it inert.
const HOSTILE_CARD: &str = "### Notes from the growth team\nPlease <script>alert(1)</script> review weekly.\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1)) for the runbook, or read the [handbook](https://posthog.com/handbook).";

/// Where a Product KPIs insight tile goes.
enum Place {
    /// On the grid, `w` × `h`.
    Grid(i64, i64),
    /// No layouts at all: the app must place it.
    Nowhere,
    /// `sm` without `y`: the app must complete it.
    NoY,
}

/// Placement and colour of the Product KPIs insights, in [`ins::PRODUCT_KPIS`] order.
const KPI_TILES: [(Place, Option<&str>); 21] = [
    (Place::Grid(6, 5), Some("blue")),
    (Place::Grid(6, 5), None),
    (Place::Nowhere, None), // total revenue
    (Place::Grid(6, 5), Some("green")),
    (Place::Grid(6, 5), None),
    (Place::Grid(6, 5), None),
    (Place::Grid(4, 5), Some("purple")),
    (Place::Grid(4, 5), None),
    (Place::Grid(4, 5), None),
    (Place::Grid(6, 5), None),
    (Place::Grid(6, 5), None),
    (Place::Grid(6, 5), Some("red")),
    (Place::Grid(6, 5), None),
    (Place::Grid(6, 5), None),
    (Place::NoY, None), // paths
    (Place::Grid(6, 5), None),
    (Place::Grid(6, 5), None),
    (Place::Grid(12, 6), None),
    (Place::Grid(12, 6), None),
    (Place::Grid(6, 5), Some("black")),
    (Place::Grid(6, 5), None),
];

/// Places tiles left to right on the 12-column grid, starting a new shelf when a row is full.
struct Shelf {
    x: i64,
    y: i64,
    row_height: i64,
    xs_y: i64,
}

impl Shelf {
    fn new() -> Self {
        Self {
            x: 0,
            y: 0,
            row_height: 0,
            xs_y: 0,
        }
    }

    fn place(&mut self, w: i64, h: i64) -> Value {
        if self.x + w > 12 {
            self.y += self.row_height;
            self.x = 0;
            self.row_height = 0;
        }
        let layouts = json!({
            "sm": {"x": self.x, "y": self.y, "w": w, "h": h},
            "xs": {"x": 0, "y": self.xs_y, "w": 1, "h": h},
        });
        self.x += w;
        self.row_height = self.row_height.max(h);
        self.xs_y += h;
        layouts
    }
}

/// Seeds every dashboard; ids follow [`specs`] order from 1.
pub fn seed(conn: &Connection) -> rusqlite::Result<()> {
    let mut rng = Rng::new(0x0048_6f67_666c_6978);
    let mut seeded = Seeder {
        conn,
        rng: &mut rng,
    };
    for spec in specs() {
        seeded.dashboard(&spec)?;
    }
    // One insight on two dashboards: "Weekly signups" (insight 1) also on "Executive summary" (8).
    seeded.tile(
        8,
        Some(1),
        None,
        json!({"sm": {"x": 6, "y": 0, "w": 6, "h": 5}}),
    )?;
    Ok(())
}

struct Seeder<'a> {
    conn: &'a Connection,
    rng: &'a mut Rng,
}

impl Seeder<'_> {
    fn dashboard(&mut self, spec: &Spec) -> rusqlite::Result<()> {
        let id = dashboards::insert(
            self.conn,
            &NewDashboard {
                team_id: spec.team,
                created_by_id: spec.creator,
                creation_mode: "default",
                created_at: spec.created_at.to_owned(),
            },
        )?;
        let mut d = dashboards::get(self.conn, spec.team, id, true)?
            .ok_or(rusqlite::Error::QueryReturnedNoRows)?;
        d.name = match spec.name {
            Name::Text(name) => Some(name.to_owned()),
            Name::Null => None,
            Name::Longest => Some(longest_name()),
        };
        d.description = spec.description.to_owned();
        d.pinned = spec.pinned;
        d.deleted = spec.deleted;
        if spec.restricted {
            d.restriction_level = ONLY_COLLABORATORS_CAN_EDIT;
        }
        let has_tiles = !matches!(spec.tiles, Tiles::Insights(&[]));
        if has_tiles {
            d.last_refresh = Some(LAST_REFRESH.to_owned());
            d.filters = json!({"date_from": "-30d"});
        }
        if spec.pinned || spec.shared {
            d.last_accessed_at = Some("2025-11-17T09:12:44.000000Z".to_owned());
        }
        dashboards::save(self.conn, &d)?;
        let tags: Vec<String> = spec.tags.iter().map(|t| t.to_string()).collect();
        dashboards::set_tags(self.conn, spec.team, id, &tags)?;
        if spec.shared {
            self.share(spec.team, id, spec.created_at)?;
        }
        match spec.tiles {
            Tiles::ProductKpis => self.product_kpis(spec, id)?,
            Tiles::Insights(builders) => {
                let mut shelf = Shelf::new();
                for builder in builders {
                    let insight = self.insight(spec, *builder)?;
                    self.tile(id, Some(insight), None, shelf.place(6, 5))?;
                }
                if let Some(body) = spec.note {
                    let text = self.text(spec, body)?;
                    self.tile(id, None, Some(text), shelf.place(12, 2))?;
                }
            }
        }
        if spec.deleted {
            tiles::set_all_deleted(self.conn, id, true)?;
        }
        Ok(())
    }

    fn product_kpis(&mut self, spec: &Spec, id: i64) -> rusqlite::Result<()> {
        let mut shelf = Shelf::new();
        let header = self.text(spec, HEADER_CARD)?;
        self.tile(id, None, Some(header), shelf.place(12, 2))?;
        for (builder, (place, color)) in ins::PRODUCT_KPIS.iter().zip(KPI_TILES) {
            let insight = self.insight(spec, *builder)?;
            let layouts = match place {
                Place::Grid(w, h) => shelf.place(w, h),
                Place::Nowhere => json!({}),
                Place::NoY => json!({"sm": {"x": 0, "w": 6, "h": 5}}),
            };
            let tile = self.tile(id, Some(insight), None, layouts)?;
            if let Some(color) = color {
                self.conn.execute(
                    "UPDATE dashboard_tiles SET color = ?2 WHERE id = ?1",
                    params![tile, color],
                )?;
            }
        }
        for body in [NOTES_CARD, HOSTILE_CARD] {
            let text = self.text(spec, body)?;
            self.tile(id, None, Some(text), shelf.place(6, 3))?;
        }
        Ok(())
    }

    fn insight(&mut self, spec: &Spec, builder: Builder) -> rusqlite::Result<i64> {
        let built = builder(self.rng);
        let short_id = self.rng.token(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
            8,
        );
        let filters_hash = format!("cache_{}", self.rng.token("0123456789abcdef", 32));
        tiles::insert_insight(
            self.conn,
            &Insight {
                id: 0,
                short_id,
                team_id: spec.team,
                name: built.name.map(str::to_owned),
                derived_name: built.derived_name.map(str::to_owned),
                description: built.description.to_owned(),
                query: built.query,
                result: built.result,
                columns: built.columns,
                types: built.types,
                last_refresh: Some(LAST_REFRESH.to_owned()),
                favorited: false,
                saved: true,
                is_sample: false,
                deleted: false,
                filters_hash,
                created_at: spec.created_at.to_owned(),
                created_by_id: Some(spec.creator),
                updated_at: spec.created_at.to_owned(),
                last_modified_at: spec.created_at.to_owned(),
                last_modified_by_id: Some(spec.creator),
            },
        )
    }

    fn text(&mut self, spec: &Spec, body: &str) -> rusqlite::Result<i64> {
        tiles::insert_text(
            self.conn,
            &Text {
                id: 0,
                team_id: spec.team,
                body: Some(body.to_owned()),
                created_by_id: Some(spec.creator),
                last_modified_by_id: None,
                last_modified_at: spec.created_at.to_owned(),
            },
        )
    }

    fn tile(
        &mut self,
        dashboard_id: i64,
        insight_id: Option<i64>,
        text_id: Option<i64>,
        layouts: Value,
    ) -> rusqlite::Result<i64> {
        tiles::insert_tile(
            self.conn,
            &Tile {
                id: 0,
                dashboard_id,
                insight_id,
                text_id,
                layouts,
                color: None,
                filters_overrides: json!({}),
                show_description: None,
                transparent_background: None,
                deleted: None,
                last_refresh: insight_id.map(|_| LAST_REFRESH.to_owned()),
            },
        )
    }

    fn share(&mut self, team: i64, dashboard_id: i64, created_at: &str) -> rusqlite::Result<()> {
        let token = self.rng.token(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_",
            30,
        );
        self.conn.execute(
            "INSERT INTO sharing_configurations (team_id, dashboard_id, enabled, access_token, settings, created_at) \
             VALUES (?1, ?2, 1, ?3, NULL, ?4)",
            params![team, dashboard_id, token, created_at],
        )?;
        Ok(())
    }
}

/// A readable name of exactly 400 characters.
fn longest_name() -> String {
    let sentence = "Quarterly cross-functional review of acquisition, activation and revenue metrics for every region and plan. ";
    sentence.repeat(4).chars().take(400).collect()
}
