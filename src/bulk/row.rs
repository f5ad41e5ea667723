//! One row of a sheet (or one object of JSON data): its cells, the spec's defaults, checks that
//! name the column and the value, and the OCI command it becomes.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::bulk::columns::{Column, Kind};
use crate::ocip::commands::limits::{self, check_len, check_range, Bounds};
use crate::ocip::commands::{
    GroupHuntGroupAddInstanceRequest20, HuntPolicy, ServiceInstanceAddProfile,
};
use crate::ocip::Secret;
use crate::translate::hunt_group::parse_policy;
use crate::translate::numbers::to_broadworks;

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
                let text = match cell {
                    Cell::Text(t) => t.trim().to_owned(),
                    Cell::Bool(b) => b.to_string(),
                    Cell::Int(n) => n.to_string(),
                };
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

/// What is wrong with a row: where, which column, which value, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The row's result index.
    pub index: usize,
    /// Where the row came from.
    pub origin: Origin,
    /// The column (template name).
    pub column: String,
    /// The offending value, when there is one.
    pub value: Option<String>,
    /// Why it is refused.
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.origin {
            Origin::Line(line) => write!(f, "line {line}, column {}", self.column)?,
            Origin::Item(item) => write!(f, "item {item}, field {}", self.column)?,
        }
        if let Some(value) = &self.value {
            write!(f, ", value '{value}'")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A checked row: the data with defaults applied, and its command.
#[derive(Debug, Clone)]
pub struct CheckedRow {
    /// The row's data, defaults applied, in the template's camelCase shape.
    pub data: Value,
    /// The command to send.
    pub command: GroupHuntGroupAddInstanceRequest20,
    /// Why the command must not be sent although it could be built (a default BroadWorks
    /// refuses).
    pub problem: Option<RowError>,
}

/// The documented defaults of what a row leaves out.
pub mod defaults {
    /// `serviceInstanceProfile.name`
    pub const NAME: &str = "Test Group Name";
    /// `serviceInstanceProfile.callingLineIdLastName` (31 characters: longer than BroadWorks's
    /// 30, so a row relying on it is refused before sending, naming the column).
    pub const CLID_LAST_NAME: &str = "Test Calling Lined Id Last Name";
    /// `serviceInstanceProfile.callingLineIdFirstName` (32 characters, as above).
    pub const CLID_FIRST_NAME: &str = "Test Calling Lined Id First Name";
    /// Options: (column, value).
    pub const BOOLS: [(&str, bool); 10] = [
        ("huntAfterNoAnswer", true),
        ("forwardAfterTimeout", false),
        ("allowCallWaitingForAgents", true),
        ("useSystemHuntGroupCLIDSetting", true),
        ("includeHuntGroupNameInCLID", true),
        ("enableNotReachableForwarding", false),
        ("makeBusyWhenNotReachable", false),
        ("allowMembersToControlGroupBusy", false),
        ("enableGroupBusy", false),
        ("applyGroupBusyWhenTerminatingToAgent", false),
    ];
    /// `noAnswerNumberOfRings`
    pub const RINGS: i64 = 5;
    /// `forwardTimeoutSeconds`
    pub const TIMEOUT: i64 = 10;
}

struct Checker<'r> {
    row: &'r RowInput,
    problems: std::cell::RefCell<Vec<RowError>>,
}

impl Checker<'_> {
    fn error(&self, column: &str, value: Option<String>, message: impl Into<String>) -> RowError {
        RowError {
            index: self.row.index,
            origin: self.row.origin,
            column: column.to_owned(),
            value,
            message: message.into(),
        }
    }

    fn text(&self, column: &str) -> Option<String> {
        match self.row.cells.get(column)? {
            Cell::Text(t) => Some(t.trim().to_owned()),
            Cell::Bool(b) => Some(b.to_string()),
            Cell::Int(n) => Some(n.to_string()),
        }
    }

    fn checked(&self, column: &str, value: String, bounds: Bounds) -> Result<String, RowError> {
        check_len(column, &value, bounds).map_err(|m| {
            self.error(
                column,
                Some(value.clone()),
                m.replacen(&format!("{column}: "), "", 1),
            )
        })?;
        Ok(value)
    }

    fn opt_text(&self, column: &str, bounds: Bounds) -> Result<Option<String>, RowError> {
        self.text(column)
            .map(|v| self.checked(column, v, bounds))
            .transpose()
    }

    fn required(&self, column: &str, bounds: Bounds) -> Result<String, RowError> {
        let value = self
            .text(column)
            .ok_or_else(|| self.error(column, None, "required, and empty"))?;
        self.checked(column, value, bounds)
    }

    /// The cell, or the documented default. A default BroadWorks would refuse is recorded as
    /// the row's problem (the command is still built, so the result shows it).
    fn with_default(
        &self,
        column: &str,
        default: &str,
        bounds: Bounds,
    ) -> Result<String, RowError> {
        match self.text(column) {
            Some(v) => self.checked(column, v, bounds),
            None => {
                if let Err(e) = self.checked(column, default.to_owned(), bounds) {
                    self.problems.borrow_mut().push(RowError {
                        message: format!(
                            "{} (this is the documented default, which BroadWorks refuses: fill in the column)",
                            e.message
                        ),
                        ..e
                    });
                }
                Ok(default.to_owned())
            }
        }
    }

    fn number(&self, column: &str) -> Result<Option<String>, RowError> {
        let Some(value) = self.text(column) else {
            return Ok(None);
        };
        let dn = to_broadworks(&value).map_err(|m| self.error(column, Some(value.clone()), m))?;
        self.checked(column, dn, limits::DN).map(Some)
    }

    fn destination(&self, column: &str) -> Result<Option<String>, RowError> {
        match self.text(column) {
            Some(v) if v.contains('@') || v.starts_with("sip:") => {
                self.checked(column, v, limits::SIP_URI).map(Some)
            }
            Some(v) => {
                let dn = to_broadworks(&v).map_err(|m| self.error(column, Some(v.clone()), m))?;
                self.checked(column, dn, limits::OUTGOING_DN).map(Some)
            }
            None => Ok(None),
        }
    }

    fn boolean(&self, column: &str, default: bool) -> Result<bool, RowError> {
        match self.row.cells.get(column) {
            None => Ok(default),
            Some(Cell::Bool(b)) => Ok(*b),
            Some(Cell::Text(t)) => match t.trim().to_ascii_lowercase().as_str() {
                "true" => Ok(true),
                "false" => Ok(false),
                _ => Err(self.error(column, Some(t.clone()), "not a boolean (true or false)")),
            },
            Some(Cell::Int(n)) => {
                Err(self.error(column, Some(n.to_string()), "not a boolean (true or false)"))
            }
        }
    }

    fn integer(&self, column: &str, default: i64, bounds: Bounds) -> Result<i32, RowError> {
        let (value, shown) = match self.row.cells.get(column) {
            None => (default, default.to_string()),
            Some(Cell::Int(n)) => (*n, n.to_string()),
            Some(Cell::Text(t)) => (
                t.trim()
                    .parse::<i64>()
                    .map_err(|_| self.error(column, Some(t.clone()), "not an integer"))?,
                t.clone(),
            ),
            Some(Cell::Bool(b)) => {
                return Err(self.error(column, Some(b.to_string()), "not an integer"))
            }
        };
        let value = i32::try_from(value)
            .map_err(|_| self.error(column, Some(shown.clone()), "out of range"))?;
        check_range(column, value, bounds).map_err(|m| {
            self.error(
                column,
                Some(shown),
                m.replacen(&format!("{column}: {value} "), "", 1),
            )
        })?;
        Ok(value)
    }
}

/// Checks a row, applies the defaults and builds its command.
pub fn check(row: &RowInput) -> Result<CheckedRow, RowError> {
    let c = Checker {
        row,
        problems: Default::default(),
    };
    let operation = c.required("operation", (1, 64))?;
    if operation != OPERATION {
        return Err(c.error("operation", Some(operation), format!("must be {OPERATION}")));
    }
    let sp = c.required("serviceProviderId", limits::ENTITY_ID)?;
    let group = c.required("groupId", limits::ENTITY_ID)?;
    let suid = c.required("serviceUserId", limits::USER_ID)?;
    let p = "serviceInstanceProfile.";
    let col = |name: &str| format!("{p}{name}");
    let profile = ServiceInstanceAddProfile {
        name: c.with_default(&col("name"), defaults::NAME, limits::PROFILE_NAME)?,
        calling_line_id_last_name: c.with_default(
            &col("callingLineIdLastName"),
            defaults::CLID_LAST_NAME,
            limits::PROFILE_NAME,
        )?,
        calling_line_id_first_name: c.with_default(
            &col("callingLineIdFirstName"),
            defaults::CLID_FIRST_NAME,
            limits::PROFILE_NAME,
        )?,
        hiragana_last_name: c.opt_text(&col("hiraganaLastName"), limits::PROFILE_NAME)?,
        hiragana_first_name: c.opt_text(&col("hiraganaFirstName"), limits::PROFILE_NAME)?,
        phone_number: c.number(&col("phoneNumber"))?,
        extension: c.opt_text(&col("extension"), limits::EXTENSION)?,
        password: c
            .opt_text(&col("password"), limits::PASSWORD)?
            .map(Secret::new),
        department: None,
        language: c.opt_text(&col("language"), limits::LANGUAGE)?,
        time_zone: c.opt_text(&col("timeZone"), limits::TIME_ZONE)?,
        alias: row
            .aliases
            .iter()
            .map(|(i, a)| c.checked(&format!("{p}alias[{i}]"), a.clone(), limits::SIP_URI))
            .collect::<Result<_, _>>()?,
        public_user_identity: c.opt_text(&col("publicUserIdentity"), limits::SIP_URI)?,
        calling_line_id_phone_number: c.number(&col("callingLineIdPhoneNumber"))?,
    };
    if profile.alias.len() > limits::MAX_ALIASES {
        return Err(c.error(
            &col("alias"),
            None,
            format!(
                "{} aliases, at most {} allowed",
                profile.alias.len(),
                limits::MAX_ALIASES
            ),
        ));
    }
    let policy = match c.text("policy") {
        None => HuntPolicy::Regular,
        Some(text) => parse_policy(&text).map_err(|e| c.error("policy", Some(text), e.message))?,
    };
    let agents: Vec<String> = row
        .agents
        .iter()
        .map(|(i, a)| c.checked(&format!("agentUserId[{i}]"), a.clone(), limits::USER_ID))
        .collect::<Result<_, _>>()?;
    if agents.is_empty() {
        return Err(c.error("agentUserId[0]", None, "at least one agent is required"));
    }
    let flag = |name: &str| {
        let default = defaults::BOOLS.iter().any(|(n, d)| *n == name && *d);
        c.boolean(name, default)
    };
    let command = GroupHuntGroupAddInstanceRequest20 {
        service_provider_id: sp,
        group_id: group,
        service_user_id: suid,
        service_instance_profile: profile,
        policy,
        hunt_after_no_answer: flag("huntAfterNoAnswer")?,
        no_answer_number_of_rings: c.integer(
            "noAnswerNumberOfRings",
            defaults::RINGS,
            limits::NO_ANSWER_RINGS,
        )?,
        forward_after_timeout: flag("forwardAfterTimeout")?,
        forward_timeout_seconds: c.integer(
            "forwardTimeoutSeconds",
            defaults::TIMEOUT,
            limits::FORWARD_TIMEOUT_SECONDS,
        )?,
        forward_to_phone_number: c.destination("forwardToPhoneNumber")?,
        agent_user_id: agents,
        allow_call_waiting_for_agents: flag("allowCallWaitingForAgents")?,
        use_system_hunt_group_clid_setting: flag("useSystemHuntGroupCLIDSetting")?,
        include_hunt_group_name_in_clid: flag("includeHuntGroupNameInCLID")?,
        enable_not_reachable_forwarding: flag("enableNotReachableForwarding")?,
        not_reachable_forward_to_phone_number: c.destination("notReachableForwardToPhoneNumber")?,
        make_busy_when_not_reachable: flag("makeBusyWhenNotReachable")?,
        allow_members_to_control_group_busy: flag("allowMembersToControlGroupBusy")?,
        enable_group_busy: flag("enableGroupBusy")?,
        apply_group_busy_when_terminating_to_agent: flag("applyGroupBusyWhenTerminatingToAgent")?,
        network_class_of_service: c
            .opt_text("networkClassOfService", limits::NETWORK_CLASS_OF_SERVICE)?,
    };
    let problem = c.problems.borrow_mut().drain(..).next();
    Ok(CheckedRow {
        data: data_of(&command, &c),
        command,
        problem,
    })
}

/// The row's data with defaults applied, as the template names it (passwords masked).
fn data_of(cmd: &GroupHuntGroupAddInstanceRequest20, c: &Checker<'_>) -> Value {
    let p = &cmd.service_instance_profile;
    let mut profile = Map::new();
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            profile.insert(k.to_owned(), v);
        }
    };
    put("name", Some(json!(p.name)));
    put(
        "callingLineIdLastName",
        Some(json!(p.calling_line_id_last_name)),
    );
    put(
        "callingLineIdFirstName",
        Some(json!(p.calling_line_id_first_name)),
    );
    put(
        "hiraganaLastName",
        p.hiragana_last_name.as_ref().map(|v| json!(v)),
    );
    put(
        "hiraganaFirstName",
        p.hiragana_first_name.as_ref().map(|v| json!(v)),
    );
    put(
        "phoneNumber",
        c.text("serviceInstanceProfile.phoneNumber")
            .map(Value::from),
    );
    put("extension", p.extension.as_ref().map(|v| json!(v)));
    put("password", p.password.as_ref().map(|_| json!("***")));
    put("language", p.language.as_ref().map(|v| json!(v)));
    put("timeZone", p.time_zone.as_ref().map(|v| json!(v)));
    put("alias", Some(json!(p.alias)));
    put(
        "publicUserIdentity",
        p.public_user_identity.as_ref().map(|v| json!(v)),
    );
    put(
        "callingLineIdPhoneNumber",
        c.text("serviceInstanceProfile.callingLineIdPhoneNumber")
            .map(Value::from),
    );
    let mut data = json!({
        "operation": OPERATION,
        "serviceProviderId": cmd.service_provider_id,
        "groupId": cmd.group_id,
        "serviceUserId": cmd.service_user_id,
        "serviceInstanceProfile": profile,
        "policy": cmd.policy.as_str(),
        "huntAfterNoAnswer": cmd.hunt_after_no_answer,
        "noAnswerNumberOfRings": cmd.no_answer_number_of_rings,
        "forwardAfterTimeout": cmd.forward_after_timeout,
        "forwardTimeoutSeconds": cmd.forward_timeout_seconds,
        "allowCallWaitingForAgents": cmd.allow_call_waiting_for_agents,
        "useSystemHuntGroupCLIDSetting": cmd.use_system_hunt_group_clid_setting,
        "includeHuntGroupNameInCLID": cmd.include_hunt_group_name_in_clid,
        "enableNotReachableForwarding": cmd.enable_not_reachable_forwarding,
        "makeBusyWhenNotReachable": cmd.make_busy_when_not_reachable,
        "allowMembersToControlGroupBusy": cmd.allow_members_to_control_group_busy,
        "enableGroupBusy": cmd.enable_group_busy,
        "applyGroupBusyWhenTerminatingToAgent": cmd.apply_group_busy_when_terminating_to_agent,
        "agentUserId": cmd.agent_user_id,
    });
    for (key, column) in [
        ("forwardToPhoneNumber", "forwardToPhoneNumber"),
        (
            "notReachableForwardToPhoneNumber",
            "notReachableForwardToPhoneNumber",
        ),
        ("networkClassOfService", "networkClassOfService"),
    ] {
        if let Some(v) = c.text(column) {
            data[key] = Value::from(v);
        }
    }
    data
}

/// The row as given (no defaults), for the result of a row that fails its checks.
pub fn raw_data(row: &RowInput) -> Value {
    let mut data = Map::new();
    for (name, cell) in &row.cells {
        let value = match cell {
            Cell::Text(t) => Value::from(t.as_str()),
            Cell::Bool(b) => Value::from(*b),
            Cell::Int(n) => Value::from(*n),
        };
        let value = if name.ends_with(".password") {
            json!("***")
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
    Value::Object(data)
}
