//! The columns of the hunt group sheet, and how a header cell names one: camelCase or
//! snake_case, dot notation for the profile, `[N]` for aliases and agents.

use serde_json::Value;

use crate::translate::json::HuntGroupInput;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text.
    Text,
    /// `true`/`false`, any case.
    Bool,
    /// A whole number.
    Int,
    /// One of a repeated list (`alias[N]`, `agentUserId[N]`).
    Indexed,
}

/// One column: its canonical name (camelCase, dot notation, without `[N]`), what it holds,
/// and the field of the REST body (`HuntGroupInput`) its cells become (`None` for the columns
/// that say where the row goes).
pub type ColumnDef = (&'static str, Kind, Option<&'static str>);

/// The columns that say where a row goes; every other column is a field of the REST body.
const ROUTING: [&str; 3] = ["operation", "serviceProviderId", "groupId"];

/// Where the bulk sheet names a REST field differently (the bulk spec's column names).
const RENAMES: [(&str, &str); 3] = [
    (
        "serviceInstanceProfile.cliLastName",
        "serviceInstanceProfile.callingLineIdLastName",
    ),
    (
        "serviceInstanceProfile.cliFirstName",
        "serviceInstanceProfile.callingLineIdFirstName",
    ),
    ("agents", "agentUserId"),
];

/// The columns: the routing columns, then one per field of the REST body as its JSON Schema
/// (generated from `HuntGroupInput`) lists them — so a field added to the REST body is a column
/// of the sheet too. Objects other than the profile (a department) have no column.
pub static COLUMNS: std::sync::LazyLock<Vec<ColumnDef>> = std::sync::LazyLock::new(|| {
    let mut columns: Vec<ColumnDef> = ROUTING.iter().map(|n| (*n, Kind::Text, None)).collect();
    let schema = schemars::schema_for!(HuntGroupInput);
    let root = schema.as_value();
    let defs = &root["$defs"];
    let properties = |object: &Value| -> Vec<(String, Value)> {
        let object = match object.get("$ref").and_then(Value::as_str) {
            Some(r) => &defs[r.trim_start_matches("#/$defs/")],
            None => object,
        };
        object["properties"]
            .as_object()
            .map(|p| p.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    };
    for (name, field) in properties(root) {
        match kind_of(&field) {
            Some(kind) => columns.push(column(name, kind)),
            None if name == "serviceInstanceProfile" => {
                let profile = field["anyOf"]
                    .as_array()
                    .and_then(|a| a.iter().find(|s| s.get("$ref").is_some()))
                    .cloned()
                    .unwrap_or(Value::Null);
                for (inner, inner_field) in properties(&profile) {
                    if let Some(kind) = kind_of(&inner_field) {
                        columns.push(column(format!("{name}.{inner}"), kind));
                    }
                }
            }
            None => {}
        }
    }
    columns
});

/// A column for the REST field `path` (names live as long as the program: the list is built
/// once).
fn column(path: String, kind: Kind) -> ColumnDef {
    let name = RENAMES
        .iter()
        .find(|(field, _)| *field == path)
        .map_or_else(|| leak(path.clone()), |(_, column)| *column);
    (name, kind, Some(leak(path)))
}

fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

/// What a column of this JSON Schema holds; `None` for an object.
fn kind_of(schema: &Value) -> Option<Kind> {
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if types.contains(&"boolean") {
        Some(Kind::Bool)
    } else if types.contains(&"integer") {
        Some(Kind::Int)
    } else if types.contains(&"array") {
        Some(Kind::Indexed)
    } else if types.contains(&"string") {
        Some(Kind::Text)
    } else {
        None
    }
}

/// The column a REST field path comes from (`serviceInstanceProfile.cliLastName` →
/// `serviceInstanceProfile.callingLineIdLastName`), for the list columns without the index.
pub fn column_of_field(field: &str) -> Option<&'static str> {
    let (outer, inner) = split_path(field);
    position_of_field(outer, inner).map(|at| COLUMNS[at].0)
}

/// A dotted name or path split at its first dot: `agents` → `("agents", None)`,
/// `serviceInstanceProfile.name` → `("serviceInstanceProfile", Some("name"))`. A plain byte
/// scan: names are short, and `str::split_once` with a char pattern cost more than the map
/// lookups it serves (this runs for every column of every bulk row).
pub fn split_path(path: &str) -> (&str, Option<&str>) {
    match path.bytes().position(|b| b == b'.') {
        Some(dot) => (&path[..dot], Some(&path[dot + 1..])),
        None => (path, None),
    }
}

/// A REST field path as [`split_path`] splits it.
type FieldPath<'a> = (&'a str, Option<&'a str>);

/// The columns that are REST fields, by their split field path: each key of a body finds its
/// column by one hash (foldhash: a few instructions for a short name, where SipHash or a
/// binary search over the names took some 250).
static BY_FIELD: std::sync::LazyLock<
    std::collections::HashMap<FieldPath<'static>, usize, foldhash::fast::FixedState>,
> = std::sync::LazyLock::new(|| {
    COLUMNS
        .iter()
        .enumerate()
        .filter_map(|(i, (_, _, json))| Some((split_path((*json)?), i)))
        .collect()
});

/// The columns by name (`serviceInstanceProfile.name`, `agentUserId`), as [`BY_FIELD`] holds
/// them by field.
static BY_NAME: std::sync::LazyLock<
    std::collections::HashMap<&'static str, usize, foldhash::fast::FixedState>,
> = std::sync::LazyLock::new(|| {
    COLUMNS
        .iter()
        .enumerate()
        .map(|(i, (name, _, _))| (*name, i))
        .collect()
});

/// The position in [`COLUMNS`] of the column named `name`.
pub fn position_of_column(name: &str) -> Option<usize> {
    BY_NAME.get(name).copied()
}

/// The position in [`COLUMNS`] of the REST field `outer` (`inner` = `None`) or
/// `outer.inner`.
pub fn position_of_field(outer: &str, inner: Option<&str>) -> Option<usize> {
    // The map's keys are 'static; read as a map of shorter-lived keys (it is covariant in them)
    // it takes the borrowed path as it is.
    let by_field: &std::collections::HashMap<FieldPath<'_>, usize, _> = &BY_FIELD;
    by_field.get(&(outer, inner)).copied()
}

/// A parsed header cell: the canonical name, its kind and, for lists, the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Canonical name, e.g. `serviceInstanceProfile.alias`.
    pub name: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// `N` of `[N]`.
    pub index: Option<usize>,
}

impl Column {
    /// The name as the template writes it (`agentUserId[3]`).
    pub fn label(&self) -> String {
        match self.index {
            Some(i) => format!("{}[{i}]", self.name),
            None => self.name.to_owned(),
        }
    }
}

/// Lower case without `_`: how camelCase and snake_case spellings meet.
fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Parses a header cell (or a JSON key path); `None` when it names no known column.
pub fn parse(header: &str) -> Option<Column> {
    let header = header.trim();
    let (path, index) = match header.strip_suffix(']').and_then(|h| h.rsplit_once('[')) {
        Some((path, n)) => (path, Some(n.trim().parse::<usize>().ok()?)),
        None => (header, None),
    };
    let folded: Vec<String> = path.split('.').map(fold).collect();
    let (name, kind, _) = COLUMNS.iter().find(|(name, _, _)| {
        let parts: Vec<String> = name.split('.').map(fold).collect();
        parts == folded
    })?;
    match (kind, index) {
        (Kind::Indexed, Some(_)) | (Kind::Text | Kind::Bool | Kind::Int, None) => Some(Column {
            name,
            kind: *kind,
            index,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_snake_dots_and_indexes() {
        let c = parse("serviceInstanceProfile.callingLineIdLastName").unwrap();
        assert_eq!(c.name, "serviceInstanceProfile.callingLineIdLastName");
        assert_eq!(
            parse("service_instance_profile.calling_line_id_last_name"),
            Some(c)
        );
        let c = parse("agent_user_id[12]").unwrap();
        assert_eq!((c.name, c.index), ("agentUserId", Some(12)));
        assert_eq!(c.label(), "agentUserId[12]");
        assert_eq!(
            parse("use_system_hunt_group_clid_setting").unwrap().name,
            "useSystemHuntGroupCLIDSetting"
        );
        assert_eq!(
            parse("serviceInstanceProfile.alias[2]").unwrap().index,
            Some(2)
        );
        assert_eq!(parse("agentUserId"), None, "a list column needs its index");
        assert_eq!(parse("policy[1]"), None);
        assert_eq!(parse("queueLength"), None);
    }

    #[test]
    fn every_field_finds_its_own_column_and_no_other() {
        let mut fields = 0;
        for (at, (_, _, json)) in COLUMNS.iter().enumerate() {
            let Some(json) = json else { continue };
            let (outer, inner) = split_path(json);
            assert_eq!(position_of_field(outer, inner), Some(at), "{json}");
            fields += 1;
        }
        assert!(fields > 30, "{fields}");
        assert_eq!(
            position_of_field("serviceInstanceProfile", Some("nope")),
            None
        );
        assert_eq!(position_of_field("nope", None), None);
        assert_eq!(position_of_field("serviceInstanceProfile", None), None);
        for (at, (name, _, _)) in COLUMNS.iter().enumerate() {
            assert_eq!(position_of_column(name), Some(at), "{name}");
        }
        assert_eq!(position_of_column("nope"), None);
    }

    #[test]
    fn the_columns_are_the_rest_body_s_fields() {
        let names: Vec<&str> = COLUMNS.iter().map(|(n, _, _)| *n).collect();
        for expected in [
            "operation",
            "serviceUserId",
            "serviceInstanceProfile.callingLineIdLastName",
            "serviceInstanceProfile.alias",
            "noAnswerNumberOfRings",
            "agentUserId",
            "templateName",
            "active",
        ] {
            assert!(names.contains(&expected), "{expected} in {names:?}");
        }
        assert!(!names.contains(&"serviceInstanceProfile.department"));
        let kind = |name: &str| COLUMNS.iter().find(|c| c.0 == name).map(|c| c.1);
        assert_eq!(kind("agentUserId"), Some(Kind::Indexed));
        assert_eq!(kind("huntAfterNoAnswer"), Some(Kind::Bool));
        assert_eq!(kind("forwardTimeoutSeconds"), Some(Kind::Int));
        assert_eq!(
            column_of_field("serviceInstanceProfile.cliFirstName"),
            Some("serviceInstanceProfile.callingLineIdFirstName")
        );
    }

    #[test]
    fn the_shipped_template_has_every_column() {
        let header = include_str!("../../schemas/bulk/hunt.group.create.csv");
        let cells: Vec<&str> = header.trim().split(',').collect();
        assert_eq!(cells.len(), 43);
        for cell in &cells {
            assert!(parse(cell).is_some(), "{cell}");
        }
    }
}
