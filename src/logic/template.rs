//! PostHog dashboard templates (`api.md` §2.9): checked before sending, exported from a
//! dashboard, and turned into the key-allowed requests that rebuild one when
//! `create_from_template_json` refuses personal API keys.

use serde_json::{json, Map, Value};

use crate::api::models::{Dashboard, TileContent};

/// PostHog's limit on a text tile's body.
const TEXT_MAX: usize = 4000;

/// Parses pasted or uploaded text and checks it against PostHog's template schema; the
/// error names the exact place, e.g. `tiles[2].type: missing`.
pub fn parse(text: &str) -> Result<Value, String> {
    let template: Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "This is not valid JSON (line {}, column {}).",
            e.line(),
            e.column()
        )
    })?;
    validate(&template)?;
    Ok(template)
}

/// Checks a template value against the schema PostHog enforces, plus what its builder needs.
pub fn validate(template: &Value) -> Result<(), String> {
    let Some(fields) = template.as_object() else {
        return Err("The template must be a JSON object.".into());
    };
    let field = |key: &str, kind: &str, ok: fn(&Value) -> bool| match fields.get(key) {
        None => Err(format!("{key}: missing; a template needs a {kind}.")),
        Some(v) if !ok(v) => Err(format!("{key}: must be a {kind}.")),
        Some(_) => Ok(()),
    };
    field("template_name", "string", Value::is_string)?;
    field("dashboard_description", "string", Value::is_string)?;
    field("dashboard_filters", "object", Value::is_object)?;
    field("tiles", "list of tiles", Value::is_array)?;
    if let Some(tags) = fields.get("tags").filter(|t| !t.is_null()) {
        let strings = tags
            .as_array()
            .is_some_and(|t| t.iter().all(Value::is_string));
        if !strings {
            return Err("tags: must be a list of strings.".into());
        }
    }
    let tiles = fields["tiles"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    if tiles.is_empty() {
        return Err("tiles: empty; a template needs at least one tile.".into());
    }
    tiles
        .iter()
        .enumerate()
        .try_for_each(|(i, tile)| validate_tile(tile).map_err(|e| format!("tiles[{i}].{e}")))
}

fn validate_tile(tile: &Value) -> Result<(), String> {
    let Some(fields) = tile.as_object() else {
        return Err("type: the tile must be an object.".into());
    };
    let present = |key: &str| fields.get(key).filter(|v| !v.is_null());
    if present("layouts").is_some_and(|v| !v.is_object()) {
        return Err("layouts: must be an object keyed by breakpoint.".into());
    }
    if present("color").is_some_and(|v| !v.is_string()) {
        return Err("color: must be a string.".into());
    }
    match fields.get("type").and_then(Value::as_str) {
        None => Err("type: missing; use \"INSIGHT\" or \"TEXT\".".into()),
        Some("INSIGHT") if !present("query").is_some_and(Value::is_object) => {
            Err("query: an INSIGHT tile needs a query object.".into())
        }
        Some("TEXT") => match present("body").and_then(Value::as_str) {
            None => Err("body: a TEXT tile needs a body string.".into()),
            Some(body) if body.chars().count() > TEXT_MAX => {
                Err(format!("body: longer than {TEXT_MAX} characters."))
            }
            Some(_) => Ok(()),
        },
        Some("INSIGHT") => Ok(()),
        Some(other) => Err(format!(
            "type: \"{other}\" is not a tile type; use \"INSIGHT\" or \"TEXT\"."
        )),
    }
}

/// The dashboard as a template: name, description, filters, tags, and every insight and
/// text tile with its layouts and colour.
pub fn export(dashboard: &Dashboard) -> Value {
    let tiles: Vec<Value> = dashboard
        .tiles
        .iter()
        .filter_map(|tile| {
            let mut out = match tile.content() {
                TileContent::Insight(insight) => json!({
                    "type": "INSIGHT",
                    "name": insight.name,
                    "description": insight.description,
                    "query": insight.query,
                }),
                TileContent::Text(text) => json!({ "type": "TEXT", "body": text.body }),
                TileContent::Other => return None,
            };
            out["layouts"] = tile.layouts.clone();
            out["color"] = json!(tile.color);
            Some(out)
        })
        .collect();
    let filters = match &dashboard.filters {
        Value::Object(f) => f.clone(),
        _ => Map::new(),
    };
    json!({
        "template_name": dashboard.name.clone().unwrap_or_default(),
        "dashboard_description": dashboard.description,
        "dashboard_filters": filters,
        "tags": dashboard.tags,
        "tiles": tiles,
    })
}

/// A file name for the exported template.
pub fn file_name(dashboard: &Dashboard) -> String {
    let name: String = dashboard
        .name
        .as_deref()
        .unwrap_or("dashboard")
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    format!("{}-template.json", name.trim_matches('-'))
}

fn tiles_of<'a>(template: &'a Value, kind: &'a str) -> impl Iterator<Item = &'a Value> {
    template["tiles"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(move |t| t["type"] == kind)
}

/// Step 1 of the rebuild: the dashboard itself.
pub fn dashboard_body(template: &Value) -> Value {
    json!({
        "name": template["template_name"],
        "description": template["dashboard_description"],
        "filters": template["dashboard_filters"],
        "tags": template.get("tags").cloned().unwrap_or(json!([])),
    })
}

/// Step 2: one body per INSIGHT tile, placing it on the new dashboard.
pub fn insight_bodies(template: &Value, dashboard_id: i64) -> Vec<Value> {
    tiles_of(template, "INSIGHT")
        .map(|t| {
            json!({
                "name": t["name"],
                "description": t.get("description").cloned().unwrap_or(json!("")),
                "query": t["query"],
                "dashboards": [dashboard_id],
            })
        })
        .collect()
}

/// Step 3: the PATCH adding every text tile (nothing when there are none).
pub fn text_tiles_body(template: &Value) -> Option<Value> {
    let tiles: Vec<Value> = tiles_of(template, "TEXT")
        .map(|t| json!({ "text": { "body": t["body"] } }))
        .collect();
    (!tiles.is_empty()).then(|| json!({ "tiles": tiles }))
}

/// Step 4: the PATCH giving every created tile its template layouts and colour. Insight
/// tiles are matched by the insight ids created in step 2 (in order), text tiles by body.
pub fn display_body(template: &Value, created: &Dashboard, insight_ids: &[i64]) -> Value {
    let mut used = Vec::new();
    let mut insights = insight_ids.iter();
    let patches: Vec<Value> = template["tiles"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| {
            let tile = created.tiles.iter().find(|tile| {
                !used.contains(&tile.id)
                    && match (t["type"].as_str(), tile.content()) {
                        (Some("INSIGHT"), TileContent::Insight(i)) => {
                            insights.clone().next() == Some(&i.id)
                        }
                        (Some("TEXT"), TileContent::Text(x)) => t["body"] == x.body.as_str(),
                        _ => false,
                    }
            })?;
            if t["type"] == "INSIGHT" {
                insights.next();
            }
            used.push(tile.id);
            Some(json!({
                "id": tile.id,
                "layouts": t.get("layouts").cloned().unwrap_or(json!({})),
                "color": t.get("color").cloned().unwrap_or(Value::Null),
            }))
        })
        .collect();
    json!({ "tiles": patches })
}

/// How far a rebuild got: what exists if it stops midway, and where a retry resumes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Progress {
    pub dashboard_id: Option<i64>,
    pub insight_ids: Vec<i64>,
    pub texts_added: bool,
    pub finished: bool,
}

impl Progress {
    /// The step a rebuild is at (the one that failed when it stopped), e.g. "creating insight
    /// 2 of 3".
    pub fn step(&self, template: &Value) -> String {
        let total = tiles_of(template, "INSIGHT").count();
        let done = self.insight_ids.len();
        if self.dashboard_id.is_none() {
            "creating the dashboard".into()
        } else if done < total {
            format!("creating insight {} of {total}", done + 1)
        } else if !self.texts_added && text_tiles_body(template).is_some() {
            "adding the text tiles".into()
        } else {
            "setting the tiles' layouts and colours".into()
        }
    }

    /// "Created the dashboard and 1 of 3 insights; text tiles were not added yet."
    pub fn describe(&self, template: &Value) -> String {
        if self.dashboard_id.is_none() {
            return "Nothing was created.".into();
        }
        let total = tiles_of(template, "INSIGHT").count();
        let texts = if text_tiles_body(template).is_none() {
            ""
        } else if self.texts_added {
            "; text tiles were added"
        } else {
            "; text tiles were not added yet"
        };
        format!(
            "Created the dashboard and {} of {total} insights{texts}.",
            self.insight_ids.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template() -> Value {
        json!({
            "template_name": "Web", "dashboard_description": "d", "dashboard_filters": {},
            "tiles": [
                {"type": "INSIGHT", "name": "Views", "query": {"kind": "TrendsQuery"},
                 "layouts": {"sm": {"x": 0, "y": 0, "w": 6, "h": 5}}, "color": "blue"},
                {"type": "TEXT", "body": "## Hi", "layouts": {"sm": {"x": 6, "y": 0, "w": 6, "h": 2}}}
            ]
        })
    }

    #[test]
    fn a_valid_template_passes() {
        assert_eq!(validate(&template()), Ok(()));
        assert!(parse(&template().to_string()).is_ok());
    }

    #[test]
    fn each_problem_is_pointed_at() {
        type Break = fn(&mut Value);
        let cases: [(&str, Break); 9] = [
            ("template_name: missing", |t| {
                t.as_object_mut().unwrap().remove("template_name");
            }),
            ("dashboard_filters: must be a object", |t| {
                t["dashboard_filters"] = json!([])
            }),
            ("tiles: empty", |t| t["tiles"] = json!([])),
            ("tiles: must be a list", |t| t["tiles"] = json!({})),
            ("tiles[1].type: missing", |t| {
                t["tiles"][1].as_object_mut().unwrap().remove("type");
            }),
            ("tiles[0].type: \"CHART\"", |t| {
                t["tiles"][0]["type"] = json!("CHART")
            }),
            ("tiles[0].query", |t| t["tiles"][0]["query"] = Value::Null),
            ("tiles[1].body", |t| t["tiles"][1]["body"] = json!(3)),
            ("tags: must be a list of strings", |t| {
                t["tags"] = json!([1])
            }),
        ];
        for (expected, break_it) in cases {
            let mut t = template();
            break_it(&mut t);
            let error = validate(&t).unwrap_err();
            assert!(error.starts_with(expected), "{expected}: got {error}");
        }
        assert!(parse("{").unwrap_err().contains("line 1"));
        assert!(parse("[]").unwrap_err().contains("JSON object"));
    }

    fn created() -> Dashboard {
        serde_json::from_value(json!({"id": 9, "tiles": [
            {"id": 70, "text": {"body": "## Hi"}, "layouts": {}},
            {"id": 71, "insight": {"id": 500, "name": "Views", "query": {"kind": "TrendsQuery"}}, "layouts": {}}
        ]}))
        .unwrap()
    }

    #[test]
    fn the_rebuild_steps_reproduce_the_template() {
        let t = template();
        assert_eq!(dashboard_body(&t)["name"], "Web");
        let insights = insight_bodies(&t, 9);
        assert_eq!(insights.len(), 1);
        assert_eq!(insights[0]["dashboards"], json!([9]));
        assert_eq!(
            text_tiles_body(&t),
            Some(json!({"tiles": [{"text": {"body": "## Hi"}}]}))
        );
        let display = display_body(&t, &created(), &[500]);
        assert_eq!(
            display,
            json!({"tiles": [
                {"id": 71, "layouts": {"sm": {"x": 0, "y": 0, "w": 6, "h": 5}}, "color": "blue"},
                {"id": 70, "layouts": {"sm": {"x": 6, "y": 0, "w": 6, "h": 2}}, "color": null}
            ]})
        );
    }

    #[test]
    fn export_then_rebuild_is_lossless() {
        let mut dashboard = created();
        dashboard.name = Some("Web".into());
        dashboard.tiles[0].layouts = json!({"sm": {"x": 6, "y": 0, "w": 6, "h": 2}});
        dashboard.tiles[1].color = Some("blue".into());
        let exported = export(&dashboard);
        assert_eq!(validate(&exported), Ok(()));
        assert_eq!(exported["tiles"][0]["type"], "TEXT");
        assert_eq!(exported["tiles"][1]["color"], "blue");
        let display = display_body(&exported, &created(), &[500]);
        assert_eq!(display["tiles"][0]["layouts"], dashboard.tiles[0].layouts);
        assert_eq!(display["tiles"][1]["color"], "blue");
        assert_eq!(file_name(&dashboard), "Web-template.json");
    }

    #[test]
    fn progress_says_what_exists() {
        let t = template();
        assert_eq!(Progress::default().describe(&t), "Nothing was created.");
        let partial = Progress {
            dashboard_id: Some(9),
            ..Default::default()
        };
        assert_eq!(
            partial.describe(&t),
            "Created the dashboard and 0 of 1 insights; text tiles were not added yet."
        );
        let steps = [
            (Progress::default(), "creating the dashboard"),
            (partial.clone(), "creating insight 1 of 1"),
            (
                Progress {
                    insight_ids: vec![500],
                    ..partial.clone()
                },
                "adding the text tiles",
            ),
            (
                Progress {
                    insight_ids: vec![500],
                    texts_added: true,
                    ..partial
                },
                "setting the tiles' layouts and colours",
            ),
        ];
        for (progress, step) in steps {
            assert_eq!(progress.step(&t), step);
        }
    }
}
