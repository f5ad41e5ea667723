//! The simulator's user lookups: the users of a group and one user's profile.

use crate::ocip::commands::*;
use crate::sim::directory::Directory;
use crate::sim::error::SimError;
use crate::sim::hunt_group::agent_row;
use crate::sim::search::{all, size_limit};
use crate::timezone;

/// The language of every simulated user (the data file has no per-user language).
const LANGUAGE: &str = "English";

/// UserGetListInGroupRequest: the group's users, by id, filtered.
pub fn users_in_group(
    dir: &Directory,
    r: UserGetListInGroupRequest,
) -> Result<UserGetListInGroupResponse, SimError> {
    let group = dir.group(&r.service_provider_id, &r.group_id)?;
    let limit = size_limit(r.response_size_limit)?;
    let department = r
        .search_criteria_exact_user_department
        .as_ref()
        .map(|c| dir.department_from_key(&group.service_provider, &group.id, &c.department_key))
        .transpose()?;
    let mut rows = Vec::new();
    for (id, user) in &dir.users {
        if user.service_provider != group.service_provider || user.group != group.id {
            continue;
        }
        let dn = user.phone_number.as_ref().map(|d| d.e164());
        let matches = all(&r.search_criteria_user_last_name, &user.last_name)
            && all(&r.search_criteria_user_first_name, &user.first_name)
            && all(&r.search_criteria_dn, dn.as_deref().unwrap_or_default())
            && all(
                &r.search_criteria_email_address,
                user.email.as_deref().unwrap_or_default(),
            )
            && all(&r.search_criteria_user_id, id)
            && all(&r.search_criteria_user_external_id, "")
            && all(
                &r.search_criteria_extension,
                user.extension.as_deref().unwrap_or_default(),
            )
            && department
                .as_ref()
                .is_none_or(|d| user.department.as_ref() == Some(d))
            // No simulated user is in a trunk group or has a person id.
            && r
                .search_criteria_exact_user_in_trunk_group
                .as_ref()
                .is_none_or(|c| !c.user_in_trunk_group)
            && r.search_criteria_exact_user_person_id.is_none();
        if !matches {
            continue;
        }
        rows.push(UserListRow::from(agent_row(dir, id, user, 0)));
        if rows.len() >= limit {
            break;
        }
    }
    Ok(UserGetListInGroupResponse {
        user_table: OciTable::of(rows),
    })
}

/// UserGetRequest23V2: a user's profile. Numbers are national digits with the country code
/// apart; the country code is the number's, else the group's calling line id's, else 1 (as
/// BroadWorks falls back to the system default).
pub fn get(dir: &Directory, r: UserGetRequest23V2) -> Result<UserGetResponse23V2, SimError> {
    let user = dir
        .users
        .get(&r.user_id)
        .ok_or_else(|| SimError::user_not_found(&r.user_id))?;
    let group = dir.group(&user.service_provider, &user.group)?;
    let country_code = user
        .phone_number
        .as_ref()
        .or(group.calling_line_id.as_ref())
        .map_or_else(|| "1".to_owned(), |dn| dn.country_code.clone());
    let default_alias = if r.user_id.contains('@') {
        r.user_id.clone()
    } else {
        format!("{}@{}", r.user_id, group.domain)
    };
    Ok(UserGetResponse23V2 {
        service_provider_id: user.service_provider.clone(),
        group_id: user.group.clone(),
        user_id: r.user_id.clone(),
        last_name: user.last_name.clone(),
        first_name: user.first_name.clone(),
        calling_line_id_last_name: user.last_name.clone(),
        calling_line_id_first_name: user.first_name.clone(),
        hiragana_last_name: user.hiragana_last_name.clone(),
        hiragana_first_name: user.hiragana_first_name.clone(),
        phone_number: user.phone_number.as_ref().map(|dn| dn.national.clone()),
        extension: user.extension.clone(),
        department: user
            .department
            .as_ref()
            .map(|d| Directory::department_key(&user.service_provider, &user.group, d)),
        department_full_path: user
            .department
            .as_ref()
            .map(|d| dir.department_path(&user.service_provider, &user.group, d)),
        language: LANGUAGE.to_owned(),
        time_zone: group.time_zone.clone(),
        time_zone_display_name: timezone::display_name(&group.time_zone)
            .unwrap_or_else(|| group.time_zone.clone()),
        default_alias,
        email_address: user.email.clone(),
        country_code,
        national_prefix: Some(group.national_prefix.clone()).filter(|p| !p.is_empty()),
        allow_video: true,
        ..UserGetResponse23V2::default()
    })
}
