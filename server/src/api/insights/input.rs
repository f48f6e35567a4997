//! The writable fields of `InsightSerializer` the stand-in supports.

use serde_json::Value;

use crate::api::fields::{self, python_type, Fields};
use crate::error::ApiError;

/// A validated create/update body. `None` = not sent (left unchanged).
#[derive(Debug, Default)]
pub struct InsightInput {
    pub name: Option<Option<String>>,
    pub description: Option<String>,
    /// A query node object, or null.
    pub query: Option<Value>,
    pub saved: Option<bool>,
    pub favorited: Option<bool>,
    pub deleted: Option<bool>,
    /// Dashboard ids the insight should be on (the whole set).
    pub dashboards: Option<Vec<i64>>,
}

impl InsightInput {
    /// Validates `body`; the first failing field wins.
    pub fn parse(body: &Value) -> Result<Self, ApiError> {
        let f = Fields::new(fields::object(body)?, "");
        Ok(Self {
            name: f.char("name", Some(400), true)?,
            description: f
                .char("description", Some(400), true)?
                .map(Option::unwrap_or_default),
            query: query(&f)?,
            saved: f.boolean("saved", false)?.flatten(),
            favorited: f.boolean("favorited", false)?.flatten(),
            deleted: f.boolean("deleted", false)?.flatten(),
            dashboards: dashboard_ids(&f)?,
        })
    }
}

fn query(f: &Fields) -> Result<Option<Value>, ApiError> {
    match f.raw("query") {
        None => Ok(None),
        Some(q @ (Value::Null | Value::Object(_))) => Ok(Some(q.clone())),
        Some(_) => Err(ApiError::invalid_input(
            "Query must be a JSON object.",
            Some("query"),
        )),
    }
}

/// `PrimaryKeyRelatedField(many=True)`: a list of ids (numbers or numeric strings).
fn dashboard_ids(f: &Fields) -> Result<Option<Vec<i64>>, ApiError> {
    let Some(items) = f.list("dashboards")? else {
        return Ok(None);
    };
    items
        .iter()
        .map(|item| {
            let id = match item {
                Value::Number(n) => n.as_i64(),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            };
            id.ok_or_else(|| {
                ApiError::validation(
                    "incorrect_type",
                    format!(
                        "Incorrect type. Expected pk value, received {}.",
                        python_type(item)
                    ),
                    Some("dashboards"),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_are_checked() {
        let input =
            InsightInput::parse(&json!({"name": "A", "dashboards": [1, "2"], "query": null}))
                .unwrap();
        assert_eq!(input.dashboards, Some(vec![1, 2]));
        assert_eq!(input.query, Some(Value::Null));
        let err = InsightInput::parse(&json!({"dashboards": [{"id": 1}]})).unwrap_err();
        assert_eq!(
            err,
            ApiError::validation(
                "incorrect_type",
                "Incorrect type. Expected pk value, received dict.",
                Some("dashboards")
            )
        );
        assert!(InsightInput::parse(&json!({"query": "SELECT 1"})).is_err());
    }
}
