//! One row of a sheet (or one object of JSON data): its cells, the REST body they make (so the
//! row goes through the same hunt group service as a REST create), the bulk spec's defaults, and
//! errors that name the column and the value.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::bulk::columns::{
    column_of_field, position_of_column, position_of_field, split_path, Column, Kind, COLUMNS,
};
use crate::ocip::commands::limits::OciText;
use crate::ocip::commands::GroupHuntGroupAddInstanceRequest20;
use crate::ocip::xml::json::{
    command_to_json, write_array, write_members, write_str, write_value, JsonText,
};
use crate::ocip::Secret;
use crate::translate::FieldErrors;

/// The only operation of this sheet.
pub const OPERATION: &str = "hunt.group.create";

/// A cell value: text from a sheet, or typed JSON from data.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text (sheets are all text).
    Text(String),
    /// A JSON boolean.
    Bool(bool),
    /// A JSON number.
    Int(i64),
}

impl Cell {
    /// The cell as text (sheet text trimmed).
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.trim().to_owned(),
            Cell::Bool(b) => b.to_string(),
            Cell::Int(n) => n.to_string(),
        }
    }
}

/// Where a row came from, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A sheet line (1-based, the header is line 1).
    Line(u64),
    /// An item of a JSON array (0-based).
    Item(usize),
}

/// A row's cells by column.
#[derive(Debug, Clone)]
pub struct RowInput {
    /// Result index (0-based, in input order).
    pub index: usize,
    /// Where it came from.
    pub origin: Origin,
    /// Cells by canonical column name.
    pub cells: BTreeMap<&'static str, Cell>,
    /// `agentUserId[N]` by N.
    pub agents: BTreeMap<usize, String>,
    /// `serviceInstanceProfile.alias[N]` by N.
    pub aliases: BTreeMap<usize, String>,
}

impl RowInput {
    /// An empty row.
    pub fn new(index: usize, origin: Origin) -> Self {
        Self {
            index,
            origin,
            cells: BTreeMap::new(),
            agents: BTreeMap::new(),
            aliases: BTreeMap::new(),
        }
    }

    /// Sets a cell; empty text is "not given".
    pub fn set(&mut self, column: &Column, cell: Cell) {
        if matches!(&cell, Cell::Text(t) if t.trim().is_empty()) {
            return;
        }
        match (column.kind, column.index) {
            (Kind::Indexed, Some(i)) => {
                let text = cell.text();
                if column.name == "agentUserId" {
                    self.agents.insert(i, text);
                } else {
                    self.aliases.insert(i, text);
                }
            }
            _ => {
                self.cells.insert(column.name, cell);
            }
        }
    }
}

/// One bad cell: its column, its value when there is one, and why it is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellProblem {
    /// The column (template name, with `[N]` for lists), or `-` for the row as a whole.
    pub column: String,
    /// The offending value, when there is one.
    pub value: Option<String>,
    /// Why it is refused.
    pub message: String,
}

/// What is wrong with a row: where, and every bad cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The row's result index.
    pub index: usize,
    /// Where the row came from.
    pub origin: Origin,
    /// Every bad cell (at least one).
    pub problems: Vec<CellProblem>,
}

impl RowError {
    /// A row error about one cell.
    pub fn single(
        index: usize,
        origin: Origin,
        column: &str,
        value: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            index,
            origin,
            problems: vec![CellProblem {
                column: column.to_owned(),
                value,
                message: message.into(),
            }],
        }
    }
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            match (i, self.origin) {
                (0, Origin::Line(line)) => write!(f, "line {line}, column {}", p.column)?,
                (0, Origin::Item(item)) => write!(f, "item {item}, field {}", p.column)?,
                (_, Origin::Line(_)) => write!(f, "; column {}", p.column)?,
                (_, Origin::Item(_)) => write!(f, "; field {}", p.column)?,
            }
            if let Some(value) = &p.value {
                write!(f, ", value '{value}'")?;
            }
            write!(f, ": {}", p.message)?;
        }
        Ok(())
    }
}

/// A row as the request the hunt group service takes: where it goes and its REST body.
#[derive(Debug, Clone)]
pub struct RowRequest {
    /// Service provider (tenant).
    pub tenant: String,
    /// Group.
    pub group: String,
    /// The REST body the row's cells make (no defaults yet).
    pub body: Value,
}

/// What the bulk spec documents for a row that leaves them out, beyond the template's options:
/// merged over the template and under the row. The calling line id names default to the name
/// (in the translation, for REST and bulk alike), not to the spec's 31- and 32-character texts
/// that BroadWorks refuses.
pub fn bulk_defaults() -> Value {
    json!({"serviceInstanceProfile": {"name": DEFAULT_NAME}})
}

/// `serviceInstanceProfile.name` of a row that leaves it out (the bulk spec's default).
pub const DEFAULT_NAME: &str = "Test Group Name";

impl RowInput {
    /// The cell of a column, as text.
    pub fn text(&self, column: &str) -> Option<String> {
        self.cells.get(column).map(Cell::text)
    }

    /// The row as a request: every cell converted to the REST body's type; the bad cells are
    /// left out of the body and returned, so the service can still name every other bad field.
    pub fn to_request(&self) -> (RowRequest, Vec<CellProblem>) {
        let mut problems = Vec::new();
        let mut problem = |column: &str, value: Option<String>, message: &str| {
            problems.push(CellProblem {
                column: column.to_owned(),
                value,
                message: message.to_owned(),
            })
        };
        match self.text("operation") {
            Some(op) if op == OPERATION => {}
            Some(op) => problem("operation", Some(op), &format!("must be {OPERATION}")),
            None => problem("operation", None, "required, and empty"),
        }
        let tenant = self.text("serviceProviderId").unwrap_or_default();
        let group = self.text("groupId").unwrap_or_default();
        for (column, value) in [("serviceProviderId", &tenant), ("groupId", &group)] {
            if value.is_empty() {
                problem(column, None, "required, and empty");
            }
        }
        if self.agents.is_empty() {
            problem("agentUserId[0]", None, "at least one agent is required");
        }
        // Room for the fields of a full row: the map does not grow while it is filled.
        let mut body = Value::Object(Map::with_capacity(32));
        // The row's cells by column position: one lookup per cell, not a search per column.
        let mut cells: Vec<Option<&Cell>> = vec![None; COLUMNS.len()];
        for (name, cell) in &self.cells {
            if let Some(at) = position_of_column(name) {
                cells[at] = Some(cell);
            }
        }
        for (&(name, kind, json_path), cell) in COLUMNS.iter().zip(cells) {
            let Some(path) = json_path else { continue };
            let value = match kind {
                Kind::Indexed => {
                    let list = if name == "agentUserId" {
                        &self.agents
                    } else {
                        &self.aliases
                    };
                    if list.is_empty() {
                        continue;
                    }
                    Value::from(list.values().cloned().collect::<Vec<_>>())
                }
                _ => match (cell, kind) {
                    (None, _) => continue,
                    (Some(cell), Kind::Bool) => match boolean(cell) {
                        Some(b) => Value::from(b),
                        None => {
                            problem(name, self.text(name), "not a boolean (true or false)");
                            continue;
                        }
                    },
                    (Some(cell), Kind::Int) => match integer(cell) {
                        Some(n) => Value::from(n),
                        None => {
                            problem(name, self.text(name), "not an integer");
                            continue;
                        }
                    },
                    (Some(cell), _) => Value::from(cell.text()),
                },
            };
            put(&mut body, path, value);
        }
        (
            RowRequest {
                tenant,
                group,
                body,
            },
            problems,
        )
    }

    /// A row error with these problems.
    pub fn error(&self, problems: Vec<CellProblem>) -> RowError {
        RowError {
            index: self.index,
            origin: self.origin,
            problems,
        }
    }

    /// The bad fields of the row's request, as bad cells: each REST field named by its column
    /// (list positions by their `[N]`), with the cell's value.
    pub fn problems_of(&self, errors: &FieldErrors) -> RowError {
        let problems = errors
            .0
            .iter()
            .map(|e| {
                let column = self.column_of(&e.field);
                let prefix = format!("{}: ", e.field);
                CellProblem {
                    value: self.cell_text(&column),
                    message: e
                        .message
                        .strip_prefix(&prefix)
                        .unwrap_or(&e.message)
                        .to_owned(),
                    column,
                }
            })
            .collect();
        RowError {
            index: self.index,
            origin: self.origin,
            problems,
        }
    }

    fn column_of(&self, field: &str) -> String {
        if let Some((list, rest)) = field.split_once('[') {
            let position: Option<usize> = rest.trim_end_matches(']').parse().ok();
            let cells = if list == "agents" {
                &self.agents
            } else {
                &self.aliases
            };
            if let (Some(column), Some(n)) = (
                column_of_field(list),
                position.and_then(|p| cells.keys().nth(p)),
            ) {
                return format!("{column}[{n}]");
            }
        }
        column_of_field(field).unwrap_or(field).to_owned()
    }

    fn cell_text(&self, column: &str) -> Option<String> {
        if let Some((list, rest)) = column.split_once('[') {
            let n: usize = rest.trim_end_matches(']').parse().ok()?;
            let cells = if list == "agentUserId" {
                &self.agents
            } else {
                &self.aliases
            };
            return cells.get(&n).cloned();
        }
        self.text(column)
    }
}

fn boolean(cell: &Cell) -> Option<bool> {
    match cell {
        Cell::Bool(b) => Some(*b),
        Cell::Text(t) => match t.trim().to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        Cell::Int(_) => None,
    }
}

fn integer(cell: &Cell) -> Option<i64> {
    match cell {
        Cell::Int(n) => Some(*n),
        Cell::Text(t) => t.trim().parse().ok(),
        Cell::Bool(_) => None,
    }
}

/// Sets `value` at a dotted path of a JSON object, making the objects on the way (a value
/// that is not an object on the way is replaced). One map lookup per level when the objects
/// exist: this runs for every column of every bulk row.
fn put(target: &mut Value, path: &str, value: Value) {
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Value::Object(map) = target else { return };
    match split_path(path) {
        (outer, Some(inner)) => match map.get_mut(outer) {
            Some(existing) => put(existing, inner, value),
            None => {
                let mut nested = Value::Object(Map::new());
                put(&mut nested, inner, value);
                map.insert(outer.to_owned(), nested);
            }
        },
        (_, None) => {
            map.insert(path.to_owned(), value);
        }
    }
}

/// What a result shows instead of a password, in its `data` and its `command`.
pub const MASKED: &str = "***";

/// The JSON view of the Add a row sends, for its result: the password masked as in `data`
/// (the report and the REST bulk answer never carry it).
pub fn command_of(command: &GroupHuntGroupAddInstanceRequest20) -> JsonText {
    if command.service_instance_profile.password.is_none() {
        return command_to_json(command);
    }
    let mut masked = command.clone();
    masked.service_instance_profile.password = Some(Secret::new(MASKED));
    command_to_json(&masked)
}

/// The result's `data`: the request as sent (template, defaults and the group's domain
/// applied), in the sheet's column shape; passwords masked.
///
/// Written as JSON text straight from where each value is (the merged body, the command):
/// the fields in column order, a dotted column's under its outer object, no map built.
pub fn data_of(
    row: &RowRequest,
    input: &Value,
    command: &GroupHuntGroupAddInstanceRequest20,
) -> JsonText {
    let mut fields = DataFields(Vec::with_capacity(COLUMNS.len()));
    fields.set("operation", None, DataValue::Text(OPERATION));
    fields.set("serviceProviderId", None, DataValue::Text(&row.tenant));
    fields.set("groupId", None, DataValue::Text(&row.group));
    // Each field of the body at its column's place: one pass over the body's keys (a hash
    // lookup each, `position_of_field`) instead of a map lookup per column.
    let mut found_at: Vec<Option<&Value>> = vec![None; COLUMNS.len()];
    for (outer, value) in input.as_object().into_iter().flatten() {
        if let Some(at) = position_of_field(outer, None) {
            found_at[at] = Some(value);
        }
        for (inner, value) in value.as_object().into_iter().flatten() {
            if let Some(at) = position_of_field(outer, Some(inner)) {
                found_at[at] = Some(value);
            }
        }
    }
    for (&(name, _, _), found) in COLUMNS.iter().zip(found_at) {
        let Some(found) = found else { continue };
        let value = if name.ends_with(".password") {
            DataValue::Text(MASKED)
        } else if name == "agentUserId" {
            DataValue::List(&command.agent_user_id)
        } else {
            DataValue::Json(found)
        };
        let (outer, inner) = split_path(name);
        // Each column once: no earlier field to replace.
        fields.0.push((outer, inner, value));
    }
    let p = &command.service_instance_profile;
    fields.set(
        "serviceUserId",
        None,
        DataValue::Text(&command.service_user_id),
    );
    for (inner, text) in [
        (
            "callingLineIdLastName",
            p.calling_line_id_last_name.as_str(),
        ),
        (
            "callingLineIdFirstName",
            p.calling_line_id_first_name.as_str(),
        ),
    ] {
        fields.set("serviceInstanceProfile", Some(inner), DataValue::Text(text));
    }
    fields.to_json()
}

/// A value of a result's `data`, borrowed from where it is.
enum DataValue<'a> {
    /// A value of the merged body.
    Json(&'a Value),
    /// A string.
    Text(&'a str),
    /// A list of strings.
    List(&'a [String]),
}

/// The fields of a result's `data` in the order they were first set, as (outer key, key in
/// the outer object, value); setting a field again replaces its value in place, as a map does.
struct DataFields<'a>(Vec<(&'a str, Option<&'a str>, DataValue<'a>)>);

impl<'a> DataFields<'a> {
    fn set(&mut self, outer: &'a str, inner: Option<&'a str>, value: DataValue<'a>) {
        match self
            .0
            .iter_mut()
            .find(|(o, i, _)| *o == outer && *i == inner)
        {
            Some(field) => field.2 = value,
            None => self.0.push((outer, inner, value)),
        }
    }

    /// The object's JSON text: each outer key once, at its first place, its members in the
    /// order set. Written as serde_json writes it (`json::write_value`), straight into the text.
    fn to_json(&self) -> JsonText {
        let mut out = Vec::with_capacity(1024);
        out.push(b'{');
        // The outer objects written (a plain field's key is set once).
        let mut objects: Vec<&str> = Vec::new();
        for (n, (outer, inner, value)) in self.0.iter().enumerate() {
            if inner.is_some() && objects.contains(outer) {
                continue;
            }
            if out.len() > 1 {
                out.push(b',');
            }
            write_str(outer, &mut out);
            out.push(b':');
            if inner.is_none() {
                value.write(&mut out);
                continue;
            }
            objects.push(outer);
            let members = self.0[n..].iter().filter(|(o, _, _)| o == outer);
            write_members(
                members.map(|(_, inner, value)| (inner.unwrap_or_default(), value)),
                &mut out,
                |value, out| value.write(out),
            );
        }
        out.push(b'}');
        JsonText::written(out)
    }
}

impl DataValue<'_> {
    /// Its JSON, as serde_json writes it.
    fn write(&self, out: &mut Vec<u8>) {
        match self {
            Self::Json(value) => write_value(value, out),
            Self::Text(text) => write_str(text, out),
            Self::List(items) => write_array(*items, out, |item, out| write_str(item, out)),
        }
    }
}

/// The row as given (no defaults), for the result of a row that fails its checks.
pub fn raw_data(row: &RowInput) -> JsonText {
    let mut data = Map::new();
    for (name, cell) in &row.cells {
        let value = match cell {
            Cell::Text(t) => Value::from(t.as_str()),
            Cell::Bool(b) => Value::from(*b),
            Cell::Int(n) => Value::from(*n),
        };
        let value = if name.ends_with(".password") {
            json!(MASKED)
        } else {
            value
        };
        match name.split_once('.') {
            Some((outer, inner)) => {
                let entry = data.entry(outer.to_owned()).or_insert_with(|| json!({}));
                entry[inner] = value;
            }
            None => {
                data.insert((*name).to_owned(), value);
            }
        }
    }
    if !row.aliases.is_empty() {
        let entry = data
            .entry("serviceInstanceProfile".to_owned())
            .or_insert_with(|| json!({}));
        entry["alias"] = json!(row.aliases.values().collect::<Vec<_>>());
    }
    data.insert(
        "agentUserId".to_owned(),
        json!(row.agents.values().collect::<Vec<_>>()),
    );
    JsonText::of(&Value::Object(data))
}
