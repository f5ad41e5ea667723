//! Typed input from JSON values, with errors that name the field as the client wrote it and say
//! what the field must hold in words ("must be an integer"), not in serde's terms.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::ocip::xml::chars;
use crate::translate::FieldError;

/// Deserializes a JSON value into `T`, naming the field of the first error. A text holding a
/// character XML 1.0 forbids is refused here, naming its field: it is never replaced and never
/// sent.
pub fn typed<T: DeserializeOwned>(value: &Value) -> Result<T, FieldError> {
    xml_characters(value, "")?;
    // The plain read first: tracking the path of every value costs a third of the read, and
    // only an error needs it, so a value that fails is read again with its path tracked.
    if let Ok(typed) = T::deserialize(value) {
        return Ok(typed);
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { String::new() } else { path };
        let inner = e.inner().to_string();
        if inner.starts_with("unknown field") {
            return FieldError {
                unknown: true,
                ..FieldError::new(
                    &field,
                    format!("unknown field '{field}': it is not part of this payload"),
                )
            };
        }
        let message = plain_words(&inner);
        FieldError::new(
            &field,
            if field.is_empty() {
                message
            } else {
                format!("{field}: {message}")
            },
        )
    })
}

/// Refuses any text of `value` (at `path`) holding a character XML 1.0 forbids.
pub fn xml_characters(value: &Value, path: &str) -> Result<(), FieldError> {
    // Nearly every body is clean: checked first without writing a field path per key.
    if !has_forbidden_text(value) {
        return Ok(());
    }
    first_forbidden_text(value, path)
}

/// Whether any text of `value` holds a character XML 1.0 forbids.
fn has_forbidden_text(value: &Value) -> bool {
    match value {
        Value::String(text) => chars::first_forbidden(text).is_some(),
        Value::Array(items) => items.iter().any(has_forbidden_text),
        Value::Object(map) => map.values().any(has_forbidden_text),
        _ => false,
    }
}

/// The first text of `value` holding a character XML 1.0 forbids, named by its field path.
fn first_forbidden_text(value: &Value, path: &str) -> Result<(), FieldError> {
    match value {
        Value::String(text) => match chars::first_forbidden(text) {
            Some((at, c)) => Err(FieldError::new(path, chars::describe(at, c))),
            None => Ok(()),
        },
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| first_forbidden_text(item, &format!("{path}[{i}]"))),
        Value::Object(map) => map.iter().try_for_each(|(key, item)| {
            let path = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            first_forbidden_text(item, &path)
        }),
        _ => Ok(()),
    }
}

/// serde's `invalid type: string "five", expected i32` as `must be an integer (found "five")`.
fn plain_words(serde_message: &str) -> String {
    let Some(rest) = serde_message.strip_prefix("invalid type: ") else {
        return match serde_message.strip_prefix("missing field ") {
            Some(field) => format!("{} is required", field.trim_matches('`')),
            None => serde_message.to_owned(),
        };
    };
    let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
    let expected = expected.split(" at line").next().unwrap_or(expected);
    let wanted = match expected {
        "i32" | "i64" | "u32" | "u64" | "usize" => "an integer",
        "a boolean" => "true or false",
        "a string" => "a text",
        "a sequence" => "a list",
        e if e.starts_with("struct ") || e == "a map" => "an object",
        e if e.starts_with("untagged enum AgentRef") => "a user id or an agent object",
        _ => expected,
    };
    format!("must be {wanted} (found {found})")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translate::json::HuntGroupInput;
    use serde_json::json;

    #[test]
    fn errors_say_what_the_field_must_hold() {
        let e = typed::<HuntGroupInput>(&json!({"noAnswerNumberOfRings": "five"})).unwrap_err();
        assert_eq!(e.field, "noAnswerNumberOfRings");
        assert_eq!(
            e.message,
            "noAnswerNumberOfRings: must be an integer (found string \"five\")"
        );
        let e = typed::<HuntGroupInput>(&json!({"huntAfterNoAnswer": 1})).unwrap_err();
        assert_eq!(
            e.message,
            "huntAfterNoAnswer: must be true or false (found integer `1`)"
        );
        let e = typed::<HuntGroupInput>(&json!({"serviceInstanceProfile": {"name": "a\u{1b}b"}}))
            .unwrap_err();
        assert_eq!(e.field, "serviceInstanceProfile.name");
        assert_eq!(
            e.message,
            "character U+001B at position 1 is not allowed (XML 1.0 cannot carry it)"
        );
        let e = typed::<HuntGroupInput>(&json!({"agents": ["ok@x", "\u{ffff}"]})).unwrap_err();
        assert_eq!(e.field, "agents[1]");
        let e = typed::<HuntGroupInput>(&json!({"queueLength": 1})).unwrap_err();
        assert!(e.unknown);
        assert_eq!(e.field, "queueLength");
    }
}
