//! Reading request fields with Django REST framework's coercions and error messages, so that a
//! wrong type gets the same 400 (`code`, `detail`, `attr`) a live PostHog gives.

use serde_json::{Map, Value};

use crate::error::ApiError;

/// The body as an object, or DRF's "Expected a dictionary" error.
pub fn object(body: &Value) -> Result<&Map<String, Value>, ApiError> {
    body.as_object().ok_or_else(|| {
        ApiError::invalid_input(
            format!(
                "Invalid data. Expected a dictionary, but got {}.",
                python_type(body)
            ),
            None,
        )
    })
}

/// The Python type name DRF puts in its messages for a JSON value.
pub fn python_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

/// Whether `s` is a hyphenated UUID, as DRF's `UUIDField` accepts it here.
pub fn is_uuid(s: &str) -> bool {
    let hex: String = s.chars().filter(|c| *c != '-').collect();
    hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit()) && s.len() == 36
}

/// Python truthiness, which PostHog's views use on raw body values (`if request.data.get(...)`).
pub fn truthy(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
    }
}

/// DRF `BooleanField` parsing: booleans, 0/1 and the usual strings ("true", "off", ...).
pub fn parse_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_i64() {
            Some(1) => Some(true),
            Some(0) => Some(false),
            _ => None,
        },
        Value::String(s) => match s.as_str() {
            "t" | "T" | "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on"
            | "On" | "ON" | "1" => Some(true),
            "f" | "F" | "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off"
            | "Off" | "OFF" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// The fields of one JSON object, with the `attr` path prefix errors are reported under.
pub struct Fields<'a> {
    object: &'a Map<String, Value>,
    prefix: String,
}

impl<'a> Fields<'a> {
    /// Fields of `object`; errors name `prefix__field` (or just `field` when `prefix` is empty).
    pub fn new(object: &'a Map<String, Value>, prefix: &str) -> Self {
        Self {
            object,
            prefix: prefix.to_owned(),
        }
    }

    /// The `attr` of `key`.
    pub fn attr(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_owned()
        } else {
            format!("{}__{key}", self.prefix)
        }
    }

    /// The raw value of `key`, if sent.
    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        self.object.get(key)
    }

    fn null_error(&self, key: &str) -> ApiError {
        ApiError::validation("null", "This field may not be null.", Some(&self.attr(key)))
    }

    /// `CharField`: strings, and numbers turned into strings. Outer `None` = not sent;
    /// inner `None` = null (only if `nullable`).
    pub fn char(
        &self,
        key: &str,
        max_length: Option<usize>,
        nullable: bool,
    ) -> Result<Option<Option<String>>, ApiError> {
        let text = match self.raw(key) {
            None => return Ok(None),
            Some(Value::Null) if nullable => return Ok(Some(None)),
            Some(Value::Null) => return Err(self.null_error(key)),
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            Some(_) => {
                return Err(ApiError::invalid_input(
                    "Not a valid string.",
                    Some(&self.attr(key)),
                ))
            }
        };
        if let Some(max) = max_length {
            if text.chars().count() > max {
                return Err(ApiError::validation(
                    "max_length",
                    format!("Ensure this field has no more than {max} characters."),
                    Some(&self.attr(key)),
                ));
            }
        }
        Ok(Some(Some(text)))
    }

    /// `BooleanField`; with `nullable`, null reads as `Some(None)`.
    pub fn boolean(&self, key: &str, nullable: bool) -> Result<Option<Option<bool>>, ApiError> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Null) if nullable => Ok(Some(None)),
            Some(Value::Null) => Err(self.null_error(key)),
            Some(value) => parse_bool(value).map(|b| Some(Some(b))).ok_or_else(|| {
                ApiError::invalid_input("Must be a valid boolean.", Some(&self.attr(key)))
            }),
        }
    }

    /// `IntegerField`, accepting integral numbers and numeric strings.
    pub fn integer(&self, key: &str, nullable: bool) -> Result<Option<Option<i64>>, ApiError> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Null) if nullable => Ok(Some(None)),
            Some(Value::Null) => Err(self.null_error(key)),
            Some(value) => integer_of(value).map(|i| Some(Some(i))).ok_or_else(|| {
                ApiError::invalid_input("A valid integer is required.", Some(&self.attr(key)))
            }),
        }
    }

    /// `ChoiceField` over integer choices (e.g. restriction levels 21 and 37).
    pub fn int_choice(&self, key: &str, choices: &[i64]) -> Result<Option<i64>, ApiError> {
        let Some(value) = self.raw(key) else {
            return Ok(None);
        };
        if value.is_null() {
            return Err(self.null_error(key));
        }
        match integer_of(value) {
            Some(choice) if choices.contains(&choice) => Ok(Some(choice)),
            _ => {
                let shown = match value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                Err(ApiError::validation(
                    "invalid_choice",
                    format!("\"{shown}\" is not a valid choice."),
                    Some(&self.attr(key)),
                ))
            }
        }
    }

    /// `ListField`: the list itself (items unchecked), or DRF's "not a list" error.
    pub fn list(&self, key: &str) -> Result<Option<&'a Vec<Value>>, ApiError> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Null) => Err(self.null_error(key)),
            Some(Value::Array(items)) => Ok(Some(items)),
            Some(other) => Err(ApiError::validation(
                "not_a_list",
                format!(
                    "Expected a list of items but got type \"{}\".",
                    python_type(other)
                ),
                Some(&self.attr(key)),
            )),
        }
    }

    /// `ListField(child=CharField())`: a list of strings (numbers become strings).
    pub fn string_list(&self, key: &str) -> Result<Option<Vec<String>>, ApiError> {
        let Some(items) = self.list(key)? else {
            return Ok(None);
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(s) => Ok(s.clone()),
                Value::Number(n) => Ok(n.to_string()),
                _ => Err(ApiError::invalid_input(
                    "Not a valid string.",
                    Some(&format!("{}__{i}", self.attr(key))),
                )),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }
}

fn integer_of(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(value: &Value) -> Fields<'_> {
        Fields::new(value.as_object().unwrap(), "")
    }

    #[test]
    fn booleans_accept_drf_strings() {
        let body = json!({"a": "true", "b": 0, "c": "maybe"});
        assert_eq!(fields(&body).boolean("a", false).unwrap(), Some(Some(true)));
        assert_eq!(
            fields(&body).boolean("b", false).unwrap(),
            Some(Some(false))
        );
        let err = fields(&body).boolean("c", false).unwrap_err();
        assert_eq!(
            err,
            ApiError::invalid_input("Must be a valid boolean.", Some("c"))
        );
    }

    #[test]
    fn char_enforces_max_length_and_types() {
        let body = json!({"name": "x".repeat(401), "n": 5, "bad": [1]});
        let err = fields(&body).char("name", Some(400), true).unwrap_err();
        assert_eq!(
            err,
            ApiError::validation(
                "max_length",
                "Ensure this field has no more than 400 characters.",
                Some("name")
            )
        );
        assert_eq!(
            fields(&body).char("n", None, false).unwrap(),
            Some(Some("5".into()))
        );
        assert!(fields(&body).char("bad", None, false).is_err());
    }

    #[test]
    fn choices_report_the_input() {
        let body = json!({"level": 5});
        let err = fields(&body).int_choice("level", &[21, 37]).unwrap_err();
        assert_eq!(
            err,
            ApiError::validation(
                "invalid_choice",
                "\"5\" is not a valid choice.",
                Some("level")
            )
        );
    }

    #[test]
    fn truthiness_follows_python() {
        assert!(!truthy(Some(&json!([]))));
        assert!(!truthy(Some(&json!(0))));
        assert!(truthy(Some(&json!("x"))));
        assert!(truthy(Some(&json!([1]))));
    }
}
