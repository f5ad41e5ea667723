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

/// Canonical column names (camelCase, dot notation, without `[N]`), in template order.
pub const COLUMNS: [(&str, Kind); 34] = [
    ("operation", Kind::Text),
    ("serviceProviderId", Kind::Text),
    ("groupId", Kind::Text),
    ("serviceUserId", Kind::Text),
    ("serviceInstanceProfile.name", Kind::Text),
    ("serviceInstanceProfile.callingLineIdLastName", Kind::Text),
    ("serviceInstanceProfile.callingLineIdFirstName", Kind::Text),
    ("serviceInstanceProfile.hiraganaLastName", Kind::Text),
    ("serviceInstanceProfile.hiraganaFirstName", Kind::Text),
    ("serviceInstanceProfile.phoneNumber", Kind::Text),
    ("serviceInstanceProfile.extension", Kind::Text),
    ("serviceInstanceProfile.password", Kind::Text),
    ("serviceInstanceProfile.language", Kind::Text),
    ("serviceInstanceProfile.timeZone", Kind::Text),
    ("serviceInstanceProfile.alias", Kind::Indexed),
    ("serviceInstanceProfile.publicUserIdentity", Kind::Text),
    (
        "serviceInstanceProfile.callingLineIdPhoneNumber",
        Kind::Text,
    ),
    ("policy", Kind::Text),
    ("huntAfterNoAnswer", Kind::Bool),
    ("noAnswerNumberOfRings", Kind::Int),
    ("forwardAfterTimeout", Kind::Bool),
    ("forwardTimeoutSeconds", Kind::Int),
    ("allowCallWaitingForAgents", Kind::Bool),
    ("useSystemHuntGroupCLIDSetting", Kind::Bool),
    ("includeHuntGroupNameInCLID", Kind::Bool),
    ("enableNotReachableForwarding", Kind::Bool),
    ("makeBusyWhenNotReachable", Kind::Bool),
    ("allowMembersToControlGroupBusy", Kind::Bool),
    ("enableGroupBusy", Kind::Bool),
    ("applyGroupBusyWhenTerminatingToAgent", Kind::Bool),
    ("forwardToPhoneNumber", Kind::Text),
    ("notReachableForwardToPhoneNumber", Kind::Text),
    ("networkClassOfService", Kind::Text),
    ("agentUserId", Kind::Indexed),
];

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
    let (name, kind) = COLUMNS.iter().find(|(name, _)| {
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
