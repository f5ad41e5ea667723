//! Hunt groups from JSON data: an array of objects in the programmatic form of the bulk spec
//! (snake_case, nested `service_instance_profile`, `agent_user_id` and `alias` as arrays);
//! camelCase keys are accepted too.

use std::io::Read;

use serde_json::Value;

use crate::bulk::columns;
use crate::bulk::input::InputError;
use crate::bulk::json_items::JsonItems;
use crate::bulk::row::{Cell, Origin, RowError, RowInput};

/// The rows of a JSON array read from a stream, one item at a time: an item that is not valid
/// JSON is that row's error; an array cut short ends the rows with an error row.
pub fn stream_rows<R: Read>(
    input: R,
) -> Result<impl Iterator<Item = Result<RowInput, RowError>>, InputError> {
    let items = JsonItems::open(input)?;
    Ok(items.enumerate().map(|(index, item)| {
        let error =
            |message: String| RowError::single(index, Origin::Item(index), "-", None, message);
        let bytes = item.map_err(|e| error(format!("the input stopped: {e}")))?;
        let value: Value =
            serde_json::from_slice(&bytes).map_err(|e| error(format!("not valid JSON: {e}")))?;
        row(index, value)
    }))
}

fn row(index: usize, item: Value) -> Result<RowInput, RowError> {
    let error = |column: &str, message: String| {
        RowError::single(index, Origin::Item(index), column, None, message)
    };
    let Value::Object(map) = item else {
        return Err(error("-", "not an object".into()));
    };
    let mut row = RowInput::new(index, Origin::Item(index));
    for (key, value) in map {
        match value {
            Value::Object(inner) => {
                for (inner_key, inner_value) in inner {
                    let path = format!("{key}.{inner_key}");
                    put(&mut row, &path, inner_value).map_err(|m| error(&path, m))?;
                }
            }
            other => put(&mut row, &key, other).map_err(|m| error(&key, m))?,
        }
    }
    Ok(row)
}

fn put(row: &mut RowInput, path: &str, value: Value) -> Result<(), String> {
    if let Value::Array(items) = value {
        for (i, item) in items.into_iter().enumerate() {
            let column = columns::parse(&format!("{path}[{i}]"))
                .ok_or_else(|| format!("unknown list field '{path}'"))?;
            row.set(&column, cell(item)?);
        }
        return Ok(());
    }
    let column = columns::parse(path).ok_or_else(|| format!("unknown field '{path}'"))?;
    row.set(&column, cell(value)?);
    Ok(())
}

fn cell(value: Value) -> Result<Cell, String> {
    match value {
        Value::String(s) => Ok(Cell::Text(s)),
        Value::Bool(b) => Ok(Cell::Bool(b)),
        Value::Number(n) => n
            .as_i64()
            .map(Cell::Int)
            .ok_or_else(|| format!("{n} is not a whole number")),
        Value::Null => Ok(Cell::Text(String::new())),
        other => Err(format!("unexpected value {other}")),
    }
}
