//! The simulator's hunt group commands, with BroadWorks's rules: schema limits (error 6004),
//! unknown provider/group/instance, duplicate ids, agents outside the group or enterprise,
//! numbers not assigned to the group or already used, extensions in use.
//! A refused request changes nothing.

use std::collections::HashSet;

use crate::ocip::commands::limits::{self, check_len, plain};
use crate::ocip::commands::*;
use crate::ocip::value::Nillable;
use crate::sim::directory::{Agent, DepartmentRef, Directory, Group, HuntGroup, User};
use crate::sim::error::SimError;
use crate::sim::search::{all, size_limit};
use crate::timezone;

/// GroupHuntGroupAddInstanceRequest20.
pub fn add(
    dir: &mut Directory,
    r: GroupHuntGroupAddInstanceRequest20,
) -> Result<SuccessResponse, SimError> {
    check_len(
        "serviceProviderId",
        &r.service_provider_id,
        limits::ENTITY_ID,
    )?;
    check_len("groupId", &r.group_id, limits::ENTITY_ID)?;
    check_len("serviceUserId", &r.service_user_id, limits::USER_ID)?;
    check_alias_count(r.service_instance_profile.alias.len())?;
    for agent in &r.agent_user_id {
        check_len("agentUserId", agent, limits::USER_ID)?;
    }
    let sp = r.service_provider_id.clone();
    let group_id = r.group_id.clone();
    let suid = r.service_user_id.clone();
    dir.group(&sp, &group_id)?;
    if !suid.contains('@') {
        return Err(SimError::user_id_needs_domain(&suid));
    }
    if dir.user_id_taken(&suid) {
        return Err(SimError::user_exists(&suid));
    }
    let options = r.options();
    let p = r.service_instance_profile;
    let mut hg = HuntGroup {
        service_provider: sp,
        group: group_id,
        name: p.name.into(),
        clid_last_name: p.calling_line_id_last_name.into(),
        clid_first_name: p.calling_line_id_first_name.into(),
        hiragana_last_name: plain(p.hiragana_last_name),
        hiragana_first_name: plain(p.hiragana_first_name),
        password: p.password,
        language: plain(p.language),
        aliases: p.alias.into_iter().map(Into::into).collect(),
        public_user_identity: plain(p.public_user_identity),
        clid_phone_number: plain(p.calling_line_id_phone_number),
        options,
        active: true,
        ..HuntGroup::default()
    };
    set_number(dir, &mut hg, p.phone_number.as_deref(), &suid)?;
    set_extension(dir, &mut hg, plain(p.extension), &suid)?;
    set_department(dir, &mut hg, p.department.as_ref())?;
    set_time_zone(&mut hg, plain(p.time_zone))?;
    hg.agents = agents_from(dir, &hg, &r.agent_user_id, &[])?;
    dir.hunt_groups.insert(suid, hg);
    Ok(SuccessResponse)
}

/// GroupHuntGroupGetInstanceRequest20.
pub fn get(
    dir: &Directory,
    r: GroupHuntGroupGetInstanceRequest20,
) -> Result<GroupHuntGroupGetInstanceResponse20, SimError> {
    let hg = find(dir, &r.service_user_id)?;
    let group = dir.group(&hg.service_provider, &hg.group)?;
    let profile = ServiceInstanceReadProfile19sp1 {
        name: hg.name.clone(),
        calling_line_id_last_name: hg.clid_last_name.clone(),
        calling_line_id_first_name: hg.clid_first_name.clone(),
        hiragana_last_name: hg.hiragana_last_name.clone(),
        hiragana_first_name: hg.hiragana_first_name.clone(),
        phone_number: hg.phone_number.as_ref().map(|dn| dn.national.clone()),
        extension: hg.extension.clone(),
        country_code: hg.phone_number.as_ref().map(|dn| dn.country_code.clone()),
        national_prefix: hg
            .phone_number
            .as_ref()
            .map(|_| group.national_prefix.clone()),
        department: hg
            .department
            .as_ref()
            .map(|d| Directory::department_key(&hg.service_provider, &hg.group, d)),
        language: hg.language.clone(),
        time_zone: hg.time_zone.clone(),
        time_zone_display_name: hg.time_zone.as_deref().and_then(timezone::display_name),
        alias: hg.aliases.clone(),
        public_user_identity: hg.public_user_identity.clone(),
        calling_line_id_phone_number: hg.clid_phone_number.clone(),
    };
    let table = OciTable::of(hg.agents.iter().filter_map(|agent| {
        let user = dir.users.get(&agent.user_id)?;
        Some(agent_row(dir, &agent.user_id, user, agent.weight))
    }));
    Ok(GroupHuntGroupGetInstanceResponse20::new(
        profile,
        hg.options.clone(),
        table,
    ))
}

/// GroupHuntGroupModifyInstanceRequest. Builds the changed instance on a copy and stores it only
/// when every change is valid.
pub fn modify(
    dir: &mut Directory,
    r: GroupHuntGroupModifyInstanceRequest,
) -> Result<SuccessResponse, SimError> {
    let suid = r.service_user_id.clone();
    let mut hg = find(dir, &suid)?.clone();
    hg.options.apply(r.changes());
    if let Some(p) = r.service_instance_profile {
        apply_profile(dir, &mut hg, p, &suid)?;
    }
    match r.agent_user_id_list {
        Some(Nillable::Set(list)) => {
            for agent in &list.user_id {
                check_len("userId", agent, limits::USER_ID)?;
            }
            if list.user_id.is_empty() {
                return Err(SimError::validation(
                    "agentUserIdList: needs at least one <userId> (use xsi:nil to clear)",
                ));
            }
            hg.agents = agents_from(dir, &hg, &list.user_id, &hg.agents)?;
        }
        Some(Nillable::Nil) => hg.agents.clear(),
        None => {}
    }
    dir.hunt_groups.insert(suid, hg);
    Ok(SuccessResponse)
}

/// GroupHuntGroupDeleteInstanceRequest.
pub fn delete(
    dir: &mut Directory,
    r: GroupHuntGroupDeleteInstanceRequest,
) -> Result<SuccessResponse, SimError> {
    dir.hunt_groups
        .remove(&r.service_user_id)
        .map(|_| SuccessResponse)
        .ok_or_else(|| SimError::user_not_found(&r.service_user_id))
}

/// GroupHuntGroupGetInstanceListRequest.
pub fn list(
    dir: &Directory,
    r: GroupHuntGroupGetInstanceListRequest,
) -> Result<GroupHuntGroupGetInstanceListResponse, SimError> {
    let group = dir.group(&r.service_provider_id, &r.group_id)?;
    let mut rows = Vec::new();
    for (suid, hg) in &dir.hunt_groups {
        if hg.service_provider != group.service_provider || hg.group != group.id {
            continue;
        }
        let dept_name = hg.department.as_ref().map(|d| match d {
            DepartmentRef::Group(n) | DepartmentRef::Enterprise(n) => n.clone(),
        });
        if let Some(filter) = &r.group_department_name {
            if dept_name.as_ref() != Some(filter) {
                continue;
            }
        }
        rows.push(HuntGroupRow {
            service_user_id: suid.clone(),
            name: hg.name.clone(),
            phone_number: table_number(group, hg.phone_number.as_ref()),
            extension: hg.extension.clone().unwrap_or_default(),
            department: hg
                .department
                .as_ref()
                .map(|d| dir.department_path(&hg.service_provider, &hg.group, d))
                .unwrap_or_default(),
            is_active: hg.active.to_string(),
            policy: hg.options.policy.as_str().to_owned(),
        });
    }
    Ok(GroupHuntGroupGetInstanceListResponse {
        hunt_group_table: OciTable::of(rows),
    })
}

/// GroupHuntGroupGetAvailableUserListRequest: users of the group, or of every group of its
/// enterprise, filtered by the search criteria.
pub fn available_users(
    dir: &Directory,
    r: GroupHuntGroupGetAvailableUserListRequest,
) -> Result<GroupHuntGroupGetAvailableUserListResponse, SimError> {
    let group = dir.group(&r.service_provider_id, &r.group_id)?;
    let limit = size_limit(r.response_size_limit)?;
    let enterprise = dir
        .providers
        .get(&group.service_provider)
        .is_some_and(|p| p.enterprise);
    let mut rows: Vec<AvailableUserRow> = Vec::new();
    for (id, user) in &dir.users {
        let in_scope = user.service_provider == group.service_provider
            && (enterprise || user.group == group.id);
        if !in_scope || !user_matches(dir, &r, id, user) {
            continue;
        }
        rows.push(agent_row(dir, id, user, 0).into());
        if rows.len() >= limit {
            break;
        }
    }
    Ok(GroupHuntGroupGetAvailableUserListResponse {
        user_table: OciTable::of(rows),
    })
}

/// GroupHuntGroupModifyInstanceWeightedCallDistributionRequest: listed agents get their weight,
/// the others 0.
pub fn modify_weights(
    dir: &mut Directory,
    r: GroupHuntGroupModifyInstanceWeightedCallDistributionRequest,
) -> Result<SuccessResponse, SimError> {
    let hg = find(dir, &r.service_user_id)?;
    let mut seen = HashSet::new();
    for w in &r.agent_weight {
        if !hg.agents.iter().any(|a| a.user_id == w.agent_user_id) {
            return Err(SimError::not_an_agent(&w.agent_user_id));
        }
        if !seen.insert(&w.agent_user_id) {
            return Err(SimError::agent_repeated(&w.agent_user_id));
        }
    }
    let agents = hg
        .agents
        .iter()
        .map(|a| Agent {
            user_id: a.user_id.clone(),
            weight: r
                .agent_weight
                .iter()
                .find(|w| w.agent_user_id == a.user_id)
                .map_or(0, |w| w.weight.into()),
        })
        .collect();
    if let Some(hg) = dir.hunt_groups.get_mut(&r.service_user_id) {
        hg.agents = agents;
    }
    Ok(SuccessResponse)
}

/// GroupHuntGroupModifyActiveInstanceListRequest: all listed instances must exist.
pub fn modify_active(
    dir: &mut Directory,
    r: GroupHuntGroupModifyActiveInstanceListRequest,
) -> Result<SuccessResponse, SimError> {
    for a in &r.service_activation {
        find(dir, &a.service_user_id)?;
    }
    for a in r.service_activation {
        if let Some(hg) = dir.hunt_groups.get_mut(&a.service_user_id) {
            hg.active = a.is_active;
        }
    }
    Ok(SuccessResponse)
}

/// UserModifyUserIdRequest, for hunt groups: the instance keeps everything but its id.
pub fn modify_user_id(
    dir: &mut Directory,
    r: UserModifyUserIdRequest,
) -> Result<SuccessResponse, SimError> {
    check_len("newUserId", &r.new_user_id, limits::USER_ID)?;
    if dir.users.contains_key(&r.user_id) {
        return Err(SimError::validation(
            "the simulator renames hunt groups only, not users",
        ));
    }
    find(dir, &r.user_id)?;
    if !r.new_user_id.contains('@') {
        return Err(SimError::user_id_needs_domain(&r.new_user_id));
    }
    if dir.user_id_taken(&r.new_user_id) {
        return Err(SimError::user_exists(&r.new_user_id));
    }
    if let Some(hg) = dir.hunt_groups.remove(&r.user_id) {
        dir.hunt_groups.insert(r.new_user_id, hg);
    }
    Ok(SuccessResponse)
}

fn find<'d>(dir: &'d Directory, suid: &str) -> Result<&'d HuntGroup, SimError> {
    dir.hunt_groups
        .get(suid)
        .ok_or_else(|| SimError::user_not_found(suid))
}

fn apply_nillable<T>(target: &mut Option<T>, change: Option<Nillable<T>>) {
    match change {
        Some(Nillable::Set(v)) => *target = Some(v),
        Some(Nillable::Nil) => *target = None,
        None => {}
    }
}

/// The one rule on aliases their type cannot carry: how many there may be. Every value's own
/// rules are checked by its type as the command is decoded (6004 when broken).
fn check_alias_count(count: usize) -> Result<(), SimError> {
    if count > limits::MAX_ALIASES {
        return Err(SimError::validation(format!(
            "alias: {count} aliases, at most {} allowed",
            limits::MAX_ALIASES
        )));
    }
    Ok(())
}

/// A typed clearable value as the directory keeps it.
fn nil_text<T: Into<String>>(value: Option<Nillable<T>>) -> Option<Nillable<String>> {
    value.map(|v| match v {
        Nillable::Set(v) => Nillable::Set(v.into()),
        Nillable::Nil => Nillable::Nil,
    })
}

fn apply_profile(
    dir: &Directory,
    hg: &mut HuntGroup,
    p: ServiceInstanceModifyProfile,
    suid: &str,
) -> Result<(), SimError> {
    if let Some(Nillable::Set(list)) = &p.sip_alias_list {
        check_alias_count(list.sip_alias.len())?;
    }
    macro_rules! set {
        ($($src:ident => $dst:ident),*) => { $( if let Some(v) = p.$src { hg.$dst = v.into(); } )* };
    }
    set!(name => name, calling_line_id_last_name => clid_last_name, calling_line_id_first_name => clid_first_name);
    if let Some(v) = p.hiragana_last_name {
        hg.hiragana_last_name = Some(v.into());
    }
    if let Some(v) = p.hiragana_first_name {
        hg.hiragana_first_name = Some(v.into());
    }
    if let Some(v) = p.password {
        hg.password = Some(v);
    }
    if let Some(v) = p.language {
        hg.language = Some(v.into());
    }
    match p.phone_number {
        Some(Nillable::Set(n)) => set_number(dir, hg, Some(&n), suid)?,
        Some(Nillable::Nil) => hg.phone_number = None,
        None => {}
    }
    match p.extension {
        Some(Nillable::Set(e)) => set_extension(dir, hg, Some(e.into()), suid)?,
        Some(Nillable::Nil) => hg.extension = None,
        None => {}
    }
    match p.department {
        Some(Nillable::Set(key)) => set_department(dir, hg, Some(&key))?,
        Some(Nillable::Nil) => hg.department = None,
        None => {}
    }
    if p.time_zone.is_some() {
        set_time_zone(hg, plain(p.time_zone))?;
    }
    match p.sip_alias_list {
        Some(Nillable::Set(list)) => {
            hg.aliases = list.sip_alias.into_iter().map(Into::into).collect()
        }
        Some(Nillable::Nil) => hg.aliases.clear(),
        None => {}
    }
    apply_nillable(
        &mut hg.public_user_identity,
        nil_text(p.public_user_identity),
    );
    apply_nillable(
        &mut hg.clid_phone_number,
        nil_text(p.calling_line_id_phone_number),
    );
    Ok(())
}

fn set_number(
    dir: &Directory,
    hg: &mut HuntGroup,
    number: Option<&str>,
    suid: &str,
) -> Result<(), SimError> {
    hg.phone_number = match number {
        Some(n) => {
            let group = dir.group(&hg.service_provider, &hg.group)?;
            Some(dir.claim_number(group, n, suid)?)
        }
        None => None,
    };
    Ok(())
}

fn set_extension(
    dir: &Directory,
    hg: &mut HuntGroup,
    extension: Option<String>,
    suid: &str,
) -> Result<(), SimError> {
    if let Some(e) = &extension {
        dir.check_extension(&hg.service_provider, &hg.group, e, suid)?;
    }
    hg.extension = extension;
    Ok(())
}

fn set_department(
    dir: &Directory,
    hg: &mut HuntGroup,
    key: Option<&DepartmentKey>,
) -> Result<(), SimError> {
    hg.department = key
        .map(|k| dir.department_from_key(&hg.service_provider, &hg.group, k))
        .transpose()?;
    Ok(())
}

fn set_time_zone(hg: &mut HuntGroup, zone: Option<String>) -> Result<(), SimError> {
    if let Some(z) = &zone {
        if timezone::display_name(z).is_none() {
            return Err(SimError::time_zone_unknown(z));
        }
    }
    hg.time_zone = zone;
    Ok(())
}

/// The new agent list: each id valid and listed once; agents kept from `previous` keep their
/// weight, new ones start at 0.
fn agents_from(
    dir: &Directory,
    hg: &HuntGroup,
    ids: &[String],
    previous: &[Agent],
) -> Result<Vec<Agent>, SimError> {
    let mut seen = HashSet::new();
    ids.iter()
        .map(|id| {
            dir.check_agent(hg, id)?;
            if !seen.insert(id) {
                return Err(SimError::agent_repeated(id));
            }
            let weight = previous
                .iter()
                .find(|a| &a.user_id == id)
                .map_or(0, |a| a.weight);
            Ok(Agent {
                user_id: id.clone(),
                weight,
            })
        })
        .collect()
}

/// A number as list tables show it: `+CC-NNNN`, or national when the group has the quirk on.
fn table_number(group: &Group, dn: Option<&crate::sim::number::Dn>) -> String {
    match dn {
        Some(dn) if group.list_numbers_national => dn.national.clone(),
        Some(dn) => dn.to_string(),
        None => String::new(),
    }
}

/// One row of the agent table (its columns are a superset of every user table's).
pub fn agent_row(dir: &Directory, id: &str, user: &User, weight: i32) -> AgentRow {
    let group = dir
        .groups
        .get(&(user.service_provider.clone(), user.group.clone()));
    let (dept_path, dept_name, dept_type, parent, parent_type) = match &user.department {
        Some(d) => {
            let (name, kind) = match d {
                DepartmentRef::Group(n) => (n.clone(), "Group"),
                DepartmentRef::Enterprise(n) => (n.clone(), "Enterprise"),
            };
            let parent = dir.department_parent(&user.service_provider, &user.group, d);
            let parent_type = if parent.is_some() { kind } else { "" };
            (
                dir.department_path(&user.service_provider, &user.group, d),
                name,
                kind.to_owned(),
                parent.unwrap_or_default(),
                parent_type.to_owned(),
            )
        }
        None => Default::default(),
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    AgentRow {
        user_id: id.to_owned(),
        last_name: user.last_name.clone(),
        first_name: user.first_name.clone(),
        hiragana_last_name: opt(&user.hiragana_last_name),
        hiragana_first_name: opt(&user.hiragana_first_name),
        weight: weight.to_string(),
        phone_number: group
            .map_or_else(String::new, |g| table_number(g, user.phone_number.as_ref())),
        extension: opt(&user.extension),
        department: dept_path,
        email_address: opt(&user.email),
        is_phone_number_activated: user.phone_number.is_some().to_string(),
        country_code: user
            .phone_number
            .as_ref()
            .map(|dn| dn.country_code.clone())
            .unwrap_or_default(),
        national_prefix: match (&user.phone_number, group) {
            (Some(_), Some(g)) => g.national_prefix.clone(),
            _ => String::new(),
        },
        department_name: dept_name,
        department_type: dept_type,
        parent_department: parent,
        parent_department_type: parent_type,
        group_id: user.group.clone(),
        group_name: group.and_then(|g| g.name.clone()).unwrap_or_default(),
    }
}

fn user_matches(
    dir: &Directory,
    r: &GroupHuntGroupGetAvailableUserListRequest,
    id: &str,
    user: &User,
) -> bool {
    let dn = user
        .phone_number
        .as_ref()
        .map(|d| d.e164())
        .unwrap_or_default();
    let extension = user.extension.clone().unwrap_or_default();
    let exact_group = r
        .search_criteria_exact_user_group
        .as_ref()
        .is_none_or(|g| g.service_provider_id == user.service_provider && g.group_id == user.group);
    let exact_dept = r
        .search_criteria_exact_user_department
        .as_ref()
        .is_none_or(|c| {
            let wanted =
                dir.department_from_key(&user.service_provider, &user.group, &c.department_key);
            wanted.is_ok_and(|w| user.department.as_ref() == Some(&w))
        });
    all(&r.search_criteria_user_last_name, &user.last_name)
        && all(&r.search_criteria_user_first_name, &user.first_name)
        && all(&r.search_criteria_user_id, id)
        && all(&r.search_criteria_dn, &dn)
        && all(&r.search_criteria_extension, &extension)
        && exact_group
        && exact_dept
}
