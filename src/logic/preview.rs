//! What an insight tile draws from its cached `result`: a small line chart for trends, a big
//! number, funnel bars or the first rows of a table. Plain data; the tile view renders it.

use serde_json::Value;

use crate::logic::format::number;

/// Width and height of the line chart's SVG `viewBox`.
pub const CHART_W: f64 = 100.0;
pub const CHART_H: f64 = 40.0;
const MAX_SERIES: usize = 5;
const MAX_ROWS: usize = 5;

#[derive(Clone, Debug, PartialEq)]
pub enum Preview {
    /// Series label and the SVG `points` of its polyline.
    Lines(Vec<(String, String)>),
    /// Label and formatted value.
    Number(String, String),
    /// Step name, share of the first step (0–100) and formatted count.
    Bars(Vec<(String, f64, String)>),
    Table(Vec<String>, Vec<Vec<String>>),
    /// No cached result to show.
    Empty,
}

/// The preview for an insight of `kind_label` (see `format::insight_kind_label`).
pub fn preview(kind_label: &str, query: &Value, result: &Value, columns: &Value) -> Preview {
    let Some(items) = result.as_array().filter(|a| !a.is_empty()) else {
        return Preview::Empty;
    };
    let label = |item: &Value| {
        [
            &item["custom_name"],
            &item["label"],
            &item["name"],
            &item["action"]["name"],
        ]
        .into_iter()
        .find_map(|v| v.as_str().filter(|s| !s.is_empty()))
        .unwrap_or("Series")
        .to_string()
    };
    let display = query["source"]["trendsFilter"]["display"].as_str();
    match kind_label {
        "Trends" if display == Some("BoldNumber") => {
            let item = &items[0];
            let value = item["aggregated_value"]
                .as_f64()
                .or_else(|| {
                    Some(
                        item["data"]
                            .as_array()?
                            .iter()
                            .filter_map(Value::as_f64)
                            .sum(),
                    )
                })
                .unwrap_or(0.0);
            Preview::Number(label(item), number(value))
        }
        "Trends" | "Stickiness" | "Lifecycle" => {
            let series: Vec<(String, Vec<f64>)> = items
                .iter()
                .take(MAX_SERIES)
                .filter_map(|item| {
                    let data = item["data"].as_array()?;
                    Some((
                        label(item),
                        data.iter().map(|v| v.as_f64().unwrap_or(0.0)).collect(),
                    ))
                })
                .collect();
            let values = series.iter().flat_map(|(_, d)| d.iter().copied());
            let (low, high) = values.fold((0f64, 0f64), |(l, h), v| (l.min(v), h.max(v)));
            let span = if high > low { high - low } else { 1.0 };
            let lines: Vec<_> = series
                .into_iter()
                .map(|(name, data)| {
                    let step = CHART_W / (data.len().max(2) - 1) as f64;
                    let points = data
                        .iter()
                        .enumerate()
                        .map(|(i, v)| {
                            let y = CHART_H - (v - low) / span * CHART_H;
                            format!("{},{}", (i as f64 * step) as i64, y as i64)
                        })
                        .collect::<Vec<_>>()
                        .join(" ");
                    (name, points)
                })
                .collect();
            if lines.is_empty() {
                Preview::Empty
            } else {
                Preview::Lines(lines)
            }
        }
        "Funnels" => {
            let first = items[0]["count"].as_f64().unwrap_or(0.0).max(1.0);
            Preview::Bars(
                items
                    .iter()
                    .map(|step| {
                        let count = step["count"].as_f64().unwrap_or(0.0);
                        (
                            label(step),
                            (count / first * 100.0).clamp(0.0, 100.0),
                            number(count),
                        )
                    })
                    .collect(),
            )
        }
        _ => {
            let header: Vec<String> = columns
                .as_array()
                .map(|c| c.iter().map(cell).collect())
                .unwrap_or_default();
            let rows = items
                .iter()
                .take(MAX_ROWS)
                .map(|row| match row {
                    Value::Array(cells) => cells.iter().map(cell).collect(),
                    Value::Object(map) => map
                        .iter()
                        .filter(|(_, v)| !v.is_array() && !v.is_object())
                        .map(|(_, v)| cell(v))
                        .collect(),
                    other => vec![cell(other)],
                })
                .collect();
            Preview::Table(header, rows)
        }
    }
}

fn cell(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => number(n.as_f64().unwrap_or(0.0)),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn trends_become_lines_scaled_into_the_box() {
        let result =
            json!([{"label": "signups", "data": [0, 5, 10]}, {"label": "b", "data": [10]}]);
        let Preview::Lines(lines) = preview("Trends", &json!({}), &result, &Value::Null) else {
            panic!("lines");
        };
        assert_eq!(lines[0], ("signups".into(), "0,40 50,20 100,0".into()));
        assert_eq!(lines[1].0, "b");
    }

    #[test]
    fn bold_number_funnel_table_and_empty() {
        let query = json!({"source": {"trendsFilter": {"display": "BoldNumber"}}});
        assert_eq!(
            preview(
                "Trends",
                &query,
                &json!([{"label": "Revenue", "aggregated_value": 1234.5}]),
                &Value::Null
            ),
            Preview::Number("Revenue".into(), "1,234.50".into())
        );
        assert_eq!(
            preview(
                "Funnels",
                &Value::Null,
                &json!([{"name": "a", "count": 200}, {"name": "b", "count": 50}]),
                &Value::Null
            ),
            Preview::Bars(vec![
                ("a".into(), 100.0, "200".into()),
                ("b".into(), 25.0, "50".into())
            ])
        );
        assert_eq!(
            preview(
                "SQL",
                &Value::Null,
                &json!([["/", 12], ["/a", null]]),
                &json!(["path", "views"])
            ),
            Preview::Table(
                vec!["path".into(), "views".into()],
                vec![vec!["/".into(), "12".into()], vec!["/a".into(), "".into()]]
            )
        );
        assert_eq!(
            preview("Trends", &Value::Null, &Value::Null, &Value::Null),
            Preview::Empty
        );
        assert_eq!(
            preview("Trends", &Value::Null, &json!([]), &Value::Null),
            Preview::Empty
        );
    }
}
