//! Hunt groups from OCI answers to the REST payloads: E.164 numbers, department objects, the
//! active flag from the list. Plain functions, no I/O.

use crate::ocip::commands::*;
use crate::timezone;
use crate::translate::hunt_group::GroupContext;
use crate::translate::json::*;
use crate::translate::numbers::{profile_to_e164, to_e164};

/// The JSON of a department key.
pub fn department_json(key: &DepartmentKey) -> DepartmentJson {
    match key {
        DepartmentKey::Group(k) => DepartmentJson {
            tenant_id: Some(k.service_provider_id.clone()),
            group_id: Some(k.group_id.clone()),
            department_name: k.name.clone(),
            full_path_name: None,
        },
        DepartmentKey::Enterprise(k) => DepartmentJson {
            tenant_id: Some(k.service_provider_id.clone()),
            group_id: None,
            department_name: k.name.clone(),
            full_path_name: None,
        },
    }
}

/// A department from a table's "Department" text (its full path), via the group's department
/// list (which holds the enterprise's departments too). One it does not hold belongs to another
/// group the table does not name: it is given by name and path only, with no `tenantId` or
/// `groupId`, never passed off as an enterprise department.
fn department_from_path(ctx: &GroupContext, path: &str) -> Option<DepartmentJson> {
    if path.is_empty() {
        return None;
    }
    let info = ctx
        .departments
        .iter()
        .find(|d| d.full_path == path || d.name == path);
    Some(match info {
        Some(d) => DepartmentJson {
            tenant_id: Some(ctx.tenant_id.clone()),
            group_id: (!d.enterprise).then(|| ctx.group_id.clone()),
            department_name: d.name.clone(),
            full_path_name: Some(d.full_path.clone()),
        },
        None => DepartmentJson {
            tenant_id: None,
            group_id: None,
            department_name: path.rsplit(" \\ ").next().unwrap_or(path).to_owned(),
            full_path_name: Some(path.to_owned()),
        },
    })
}

/// The agents of an agent table (or the users of an available-user table, whose missing
/// columns read as empty); `with_weight` adds the "Weight" column.
pub fn agents_json(ctx: &GroupContext, table: &OciTable, with_weight: bool) -> Vec<AgentJson> {
    table
        .typed::<AgentRow>()
        .map(|row| {
            let department = if row.department_name.is_empty() {
                department_from_path(ctx, &row.department)
            } else {
                Some(DepartmentJson {
                    tenant_id: Some(ctx.tenant_id.clone()),
                    group_id: (row.department_type != "Enterprise").then(|| {
                        Some(row.group_id.clone())
                            .filter(|g| !g.is_empty())
                            .unwrap_or_else(|| ctx.group_id.clone())
                    }),
                    department_name: row.department_name.clone(),
                    full_path_name: Some(row.department.clone()).filter(|p| !p.is_empty()),
                })
            };
            AgentJson {
                weight: with_weight.then(|| row.weight.trim().parse().unwrap_or(0)),
                phone_number: to_e164(&row.phone_number, list_cc(ctx)),
                department,
                user_id: row.user_id,
                last_name: row.last_name,
                first_name: row.first_name,
                extension: row.extension,
                email_address: row.email_address,
            }
        })
        .collect()
}

/// The country code used to complete national numbers in lists (GROUP_NUMBERS_USE_CC_CLI).
fn list_cc(ctx: &GroupContext) -> Option<&str> {
    ctx.use_cc_cli
        .then_some(ctx.country_code.as_deref())
        .flatten()
}

/// A hunt group from its Get response and active flag.
pub fn hunt_group_json(
    ctx: &GroupContext,
    service_user_id: &str,
    r: &GroupHuntGroupGetInstanceResponse20,
    active: bool,
) -> HuntGroupJson {
    let p = &r.service_instance_profile;
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let time_zone = opt(&p.time_zone);
    let display = p
        .time_zone_display_name
        .clone()
        .or_else(|| timezone::display_name(&time_zone))
        .unwrap_or_default();
    let profile = ProfileJson {
        name: p.name.clone(),
        cli_last_name: p.calling_line_id_last_name.clone(),
        cli_first_name: p.calling_line_id_first_name.clone(),
        hiragana_last_name: opt(&p.hiragana_last_name),
        hiragana_first_name: opt(&p.hiragana_first_name),
        language: opt(&p.language),
        phone_number: profile_to_e164(p.phone_number.as_deref(), p.country_code.as_deref()),
        extension: opt(&p.extension),
        department: p.department.as_ref().map(department_json),
        public_user_identity: opt(&p.public_user_identity),
        time_zone,
        time_zone_display_name: display,
        alias: p.alias.clone(),
        calling_line_id_phone_number: to_e164(
            &opt(&p.calling_line_id_phone_number),
            ctx.country_code.as_deref(),
        ),
    };
    HuntGroupJson::new(
        service_user_id.to_owned(),
        profile,
        &r.options(),
        agents_json(ctx, &r.agent_user_table, true),
        active,
    )
}

/// The hunt group list from its table.
pub fn list_json(ctx: &GroupContext, table: &OciTable) -> HuntGroupListJson {
    HuntGroupListJson {
        hunt_groups: table
            .typed::<HuntGroupRow>()
            .map(|row| HuntGroupSummaryJson {
                phone_number: to_e164(&row.phone_number, list_cc(ctx)),
                department: department_from_path(ctx, &row.department),
                active: row.is_active == "true",
                service_user_id: row.service_user_id,
                name: row.name,
                extension: row.extension,
                policy: row.policy,
            })
            .collect(),
    }
}

/// Whether the list table says `service_user_id` is active (`None` when it is not listed).
pub fn active_in_list(table: &OciTable, service_user_id: &str) -> Option<bool> {
    table
        .typed::<HuntGroupRow>()
        .find(|row| row.service_user_id == service_user_id)
        .map(|row| row.is_active == "true")
}

/// The available users from their table.
pub fn available_json(ctx: &GroupContext, table: &OciTable) -> AvailableUsersJson {
    AvailableUsersJson {
        available_users: agents_json(ctx, table, false),
    }
}
