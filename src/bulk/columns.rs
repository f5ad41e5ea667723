//! The columns of the hunt group sheet, and how a header cell names one: camelCase or
//! snake_case, dot notation for the profile, `[N]` for aliases and agents.

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

/// The columns, in template order: canonical name (camelCase, dot notation, without `[N]`),
/// kind, and the field of the REST body (`HuntGroupInput`) the cell becomes (`None` for the
/// columns that say where the row goes). `templateName` is ocigw's own: a row may name a
/// template as a REST body does.
pub const COLUMNS: [(&str, Kind, Option<&str>); 35] = [
    ("operation", Kind::Text, None),
    ("serviceProviderId", Kind::Text, None),
    ("groupId", Kind::Text, None),
    ("serviceUserId", Kind::Text, Some("serviceUserId")),
    (
        "serviceInstanceProfile.name",
        Kind::Text,
        Some("serviceInstanceProfile.name"),
    ),
    (
        "serviceInstanceProfile.callingLineIdLastName",
        Kind::Text,
        Some("serviceInstanceProfile.cliLastName"),
    ),
    (
        "serviceInstanceProfile.callingLineIdFirstName",
        Kind::Text,
        Some("serviceInstanceProfile.cliFirstName"),
    ),
    (
        "serviceInstanceProfile.hiraganaLastName",
        Kind::Text,
        Some("serviceInstanceProfile.hiraganaLastName"),
    ),
    (
        "serviceInstanceProfile.hiraganaFirstName",
        Kind::Text,
        Some("serviceInstanceProfile.hiraganaFirstName"),
    ),
    (
        "serviceInstanceProfile.phoneNumber",
        Kind::Text,
        Some("serviceInstanceProfile.phoneNumber"),
    ),
    (
        "serviceInstanceProfile.extension",
        Kind::Text,
        Some("serviceInstanceProfile.extension"),
    ),
    (
        "serviceInstanceProfile.password",
        Kind::Text,
        Some("serviceInstanceProfile.password"),
    ),
    (
        "serviceInstanceProfile.language",
        Kind::Text,
        Some("serviceInstanceProfile.language"),
    ),
    (
        "serviceInstanceProfile.timeZone",
        Kind::Text,
        Some("serviceInstanceProfile.timeZone"),
    ),
    (
        "serviceInstanceProfile.alias",
        Kind::Indexed,
        Some("serviceInstanceProfile.alias"),
    ),
    (
        "serviceInstanceProfile.publicUserIdentity",
        Kind::Text,
        Some("serviceInstanceProfile.publicUserIdentity"),
    ),
    (
        "serviceInstanceProfile.callingLineIdPhoneNumber",
        Kind::Text,
        Some("serviceInstanceProfile.callingLineIdPhoneNumber"),
    ),
    ("policy", Kind::Text, Some("policy")),
    ("huntAfterNoAnswer", Kind::Bool, Some("huntAfterNoAnswer")),
    (
        "noAnswerNumberOfRings",
        Kind::Int,
        Some("noAnswerNumberOfRings"),
    ),
    (
        "forwardAfterTimeout",
        Kind::Bool,
        Some("forwardAfterTimeout"),
    ),
    (
        "forwardTimeoutSeconds",
        Kind::Int,
        Some("forwardTimeoutSeconds"),
    ),
    (
        "allowCallWaitingForAgents",
        Kind::Bool,
        Some("allowCallWaitingForAgents"),
    ),
    (
        "useSystemHuntGroupCLIDSetting",
        Kind::Bool,
        Some("useSystemHuntGroupCLIDSetting"),
    ),
    (
        "includeHuntGroupNameInCLID",
        Kind::Bool,
        Some("includeHuntGroupNameInCLID"),
    ),
    (
        "enableNotReachableForwarding",
        Kind::Bool,
        Some("enableNotReachableForwarding"),
    ),
    (
        "makeBusyWhenNotReachable",
        Kind::Bool,
        Some("makeBusyWhenNotReachable"),
    ),
    (
        "allowMembersToControlGroupBusy",
        Kind::Bool,
        Some("allowMembersToControlGroupBusy"),
    ),
    ("enableGroupBusy", Kind::Bool, Some("enableGroupBusy")),
    (
        "applyGroupBusyWhenTerminatingToAgent",
        Kind::Bool,
        Some("applyGroupBusyWhenTerminatingToAgent"),
    ),
    (
        "forwardToPhoneNumber",
        Kind::Text,
        Some("forwardToPhoneNumber"),
    ),
    (
        "notReachableForwardToPhoneNumber",
        Kind::Text,
        Some("notReachableForwardToPhoneNumber"),
    ),
    (
        "networkClassOfService",
        Kind::Text,
        Some("networkClassOfService"),
    ),
    ("agentUserId", Kind::Indexed, Some("agents")),
    ("templateName", Kind::Text, Some("templateName")),
];

/// The column a REST field path comes from (`serviceInstanceProfile.cliLastName` →
/// `serviceInstanceProfile.callingLineIdLastName`), for the list columns without the index.
pub fn column_of_field(field: &str) -> Option<&'static str> {
    COLUMNS
        .iter()
        .find(|(_, _, json)| *json == Some(field))
        .map(|(name, _, _)| *name)
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
    fn the_shipped_template_has_every_column() {
        let header = include_str!("../../schemas/bulk/hunt.group.create.csv");
        let cells: Vec<&str> = header.trim().split(',').collect();
        assert_eq!(cells.len(), 43);
        for cell in &cells {
            assert!(parse(cell).is_some(), "{cell}");
        }
    }
}
