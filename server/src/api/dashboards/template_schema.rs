//! `DashboardTemplateCreationJSONSchemaParser`: a template is checked against PostHog's
//! `dashboard_template_schema.json`, and the first error is reported the way Python's `jsonschema`
//! words it (message, failing keyword, schema and instance), as a non-field 400.
//!
//! Only the keywords that schema uses are implemented: `type`, `enum`, `required`, `minItems`,
//! `anyOf`, `properties`, `items`. Like `jsonschema.validate`, the shallowest error wins.

use serde_json::Value;

use crate::error::ApiError;

const SCHEMA: &str = include_str!("dashboard_template_schema.json");

/// One step of a path: an object key or a list index.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

#[derive(Debug)]
struct SchemaError {
    message: String,
    keyword: &'static str,
    schema_path: Vec<Step>,
    instance_path: Vec<Step>,
}

/// Checks `template`; `Err` is PostHog's 400 with the jsonschema text as `detail`.
pub fn validate(template: &Value) -> Result<(), ApiError> {
    let schema: Value = serde_json::from_str(SCHEMA).expect("the bundled schema is JSON");
    let mut errors = Vec::new();
    check(
        template,
        &schema,
        &mut Vec::new(),
        &mut Vec::new(),
        &mut errors,
    );
    // The first of the shallowest errors, as `best_match` picks it.
    let Some(best) = errors.into_iter().min_by_key(|e| e.instance_path.len()) else {
        return Ok(());
    };
    let schema_at = resolve(&schema, &best.schema_path);
    let instance_at = resolve(template, &best.instance_path);
    Err(ApiError::invalid_input(
        format!(
            "{}\n\nFailed validating {} in schema{}:\n    {}\n\nOn instance{}:\n    {}",
            best.message,
            python_repr(&Value::String(best.keyword.into())),
            subscripts(&best.schema_path),
            python_repr(schema_at),
            subscripts(&best.instance_path),
            python_repr(instance_at),
        ),
        None,
    ))
}

fn check(
    value: &Value,
    schema: &Value,
    schema_path: &mut Vec<Step>,
    instance_path: &mut Vec<Step>,
    errors: &mut Vec<SchemaError>,
) {
    let mut fail = |message: String, keyword| {
        errors.push(SchemaError {
            message,
            keyword,
            schema_path: schema_path.clone(),
            instance_path: instance_path.clone(),
        })
    };
    if let Some(types) = type_names(&schema["type"]) {
        if !types.iter().any(|t| is_type(value, t)) {
            let wanted: Vec<String> = types.iter().map(|t| format!("'{t}'")).collect();
            fail(
                format!(
                    "{} is not of type {}",
                    python_repr(value),
                    wanted.join(", ")
                ),
                "type",
            );
            return;
        }
    }
    if let Some(options) = schema["enum"].as_array() {
        if !options.contains(value) {
            fail(
                format!(
                    "{} is not one of {}",
                    python_repr(value),
                    python_repr(&schema["enum"])
                ),
                "enum",
            );
        }
    }
    if let (Some(object), Some(required)) = (value.as_object(), schema["required"].as_array()) {
        for key in required.iter().filter_map(Value::as_str) {
            if !object.contains_key(key) {
                fail(format!("'{key}' is a required property"), "required");
            }
        }
    }
    if let (Some(items), Some(min)) = (value.as_array(), schema["minItems"].as_u64()) {
        if (items.len() as u64) < min {
            let message = if min == 1 {
                format!("{} should be non-empty", python_repr(value))
            } else {
                format!("{} is too short", python_repr(value))
            };
            fail(message, "minItems");
        }
    }
    if let Some(options) = schema["anyOf"].as_array() {
        let matches_one = options.iter().any(|option| {
            let mut inner = Vec::new();
            check(value, option, &mut Vec::new(), &mut Vec::new(), &mut inner);
            inner.is_empty()
        });
        if !matches_one {
            fail(
                format!(
                    "{} is not valid under any of the given schemas",
                    python_repr(value)
                ),
                "anyOf",
            );
        }
    }
    if let (Some(object), Some(properties)) = (value.as_object(), schema["properties"].as_object())
    {
        for (key, property) in properties {
            if let Some(child) = object.get(key) {
                schema_path.extend([Step::Key("properties".into()), Step::Key(key.clone())]);
                instance_path.push(Step::Key(key.clone()));
                check(child, property, schema_path, instance_path, errors);
                instance_path.pop();
                schema_path.truncate(schema_path.len() - 2);
            }
        }
    }
    if let (Some(items), Some(item_schema)) = (value.as_array(), schema.get("items")) {
        for (index, item) in items.iter().enumerate() {
            schema_path.push(Step::Key("items".into()));
            instance_path.push(Step::Index(index));
            check(item, item_schema, schema_path, instance_path, errors);
            instance_path.pop();
            schema_path.pop();
        }
    }
}

fn type_names(types: &Value) -> Option<Vec<&str>> {
    match types {
        Value::String(t) => Some(vec![t.as_str()]),
        Value::Array(list) => Some(list.iter().filter_map(Value::as_str).collect()),
        _ => None,
    }
}

fn is_type(value: &Value, name: &str) -> bool {
    match name {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        _ => true,
    }
}

fn resolve<'v>(mut value: &'v Value, path: &[Step]) -> &'v Value {
    for step in path {
        value = match step {
            Step::Key(key) => &value[key.as_str()],
            Step::Index(index) => &value[*index],
        };
    }
    value
}

/// `['properties']['tiles']` for a path, as jsonschema prints it.
fn subscripts(path: &[Step]) -> String {
    path.iter()
        .map(|step| match step {
            Step::Key(key) => format!("[{}]", python_repr(&Value::String(key.clone()))),
            Step::Index(index) => format!("[{index}]"),
        })
        .collect()
}

/// Python's `repr` of the value `json.loads` would build (dict keys sorted, as `pprint` does).
fn python_repr(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            let escaped = s
                .replace('\\', "\\\\")
                .replace('\'', "\\'")
                .replace('\n', "\\n");
            format!("'{escaped}'")
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(python_repr).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(object) => {
            let entries: Vec<String> = object
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}: {}",
                        python_repr(&Value::String(k.clone())),
                        python_repr(v)
                    )
                })
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn missing_fields_are_reported_like_jsonschema() {
        let err = validate(&json!({"not a": "template"})).unwrap_err();
        let text = format!("{err:?}");
        assert!(text.contains("'template_name' is a required property"));
        assert!(text.contains("Failed validating 'required' in schema"));
        assert!(text.contains("{'not a': 'template'}"));
    }

    #[test]
    fn tiles_must_be_a_non_empty_list_of_objects() {
        let base =
            json!({"template_name": "t", "dashboard_description": "", "dashboard_filters": {}});
        let mut empty = base.clone();
        empty["tiles"] = json!([]);
        let text = format!("{:?}", validate(&empty).unwrap_err());
        assert!(text.contains("[] should be non-empty"), "{text}");
        assert!(text.contains("in schema['properties']['tiles']"), "{text}");
        let mut bad_tile = base.clone();
        bad_tile["tiles"] = json!([{"type": "TEXT"}, 5]);
        let text = format!("{:?}", validate(&bad_tile).unwrap_err());
        assert!(text.contains("5 is not of type 'object'"), "{text}");
        assert!(text.contains("On instance['tiles'][1]"), "{text}");
        let mut ok = base;
        ok["tiles"] = json!([{"type": "TEXT", "body": "hi"}]);
        ok["variables"] = Value::Null;
        assert!(validate(&ok).is_ok());
    }
}
