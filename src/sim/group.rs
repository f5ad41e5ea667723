//! The simulator's group lookups: the group profile and its departments.

use crate::ocip::commands::*;
use crate::sim::directory::{DepartmentRef, Directory};
use crate::sim::error::SimError;
use crate::timezone;

/// GroupGetRequest22V5.
pub fn get(dir: &Directory, r: GroupGetRequest22V5) -> Result<GroupGetResponse22V5, SimError> {
    let g = dir.group(&r.service_provider_id, &r.group_id)?;
    let user_count = dir
        .users
        .values()
        .filter(|u| u.service_provider == g.service_provider && u.group == g.id)
        .count();
    Ok(GroupGetResponse22V5 {
        default_domain: g.domain.clone(),
        user_limit: g.user_limit,
        user_count: i32::try_from(user_count).unwrap_or(i32::MAX),
        group_name: g.name.clone(),
        calling_line_id_name: g.calling_line_id_name.clone(),
        calling_line_id_phone_number: g.calling_line_id.as_ref().map(ToString::to_string),
        time_zone: g.time_zone.clone(),
        time_zone_display_name: timezone::display_name(&g.time_zone)
            .unwrap_or_else(|| g.time_zone.clone()),
        service_provider_id: g.service_provider.clone(),
        group_id: g.id.clone(),
        ..GroupGetResponse22V5::default()
    })
}

/// GroupDepartmentGetListRequest18.
pub fn departments(
    dir: &Directory,
    r: GroupDepartmentGetListRequest18,
) -> Result<GroupDepartmentGetListResponse18, SimError> {
    let g = dir.group(&r.service_provider_id, &r.group_id)?;
    let mut rows = Vec::new();
    let mut push = |dept: DepartmentRef, name: &str, enterprise: bool| {
        rows.push(DepartmentRow {
            is_enterprise_department: enterprise.to_string(),
            department_name: name.to_owned(),
            full_path_name: dir.department_path(&g.service_provider, &g.id, &dept),
            ..DepartmentRow::default()
        });
    };
    if r.include_enterprise_departments {
        if let Some(p) = dir
            .providers
            .get(&g.service_provider)
            .filter(|p| p.enterprise)
        {
            for d in &p.departments {
                push(DepartmentRef::Enterprise(d.name.clone()), &d.name, true);
            }
        }
    }
    for d in &g.departments {
        push(DepartmentRef::Group(d.name.clone()), &d.name, false);
    }
    Ok(GroupDepartmentGetListResponse18 {
        department_table: OciTable::of(rows),
    })
}

/// GroupDnGetAssignmentListRequest18: every number of the group, one row each, with its holder.
pub fn dn_assignments(
    dir: &Directory,
    r: GroupDnGetAssignmentListRequest18,
) -> Result<GroupDnGetAssignmentListResponse18, SimError> {
    let g = dir.group(&r.service_provider_id, &r.group_id)?;
    let rows = g.numbers.iter().map(|dn| {
        let holder = dir.number_holder(dn);
        let user = holder.and_then(|id| dir.users.get(id));
        let hunt_group = holder.and_then(|id| dir.hunt_groups.get(id));
        DnRow {
            phone_numbers: dn.to_string(),
            activated: "true".into(),
            user_id: holder.unwrap_or_default().to_owned(),
            last_name: user
                .map(|u| u.last_name.clone())
                .or_else(|| hunt_group.map(|h| h.name.clone()))
                .unwrap_or_default(),
            first_name: user
                .map(|u| u.first_name.clone())
                .or_else(|| hunt_group.map(|_| "Hunt Group".to_owned()))
                .unwrap_or_default(),
            user_type: match (user, hunt_group) {
                (Some(_), _) => "Normal".into(),
                (None, Some(_)) => "Hunt Group".into(),
                _ => String::new(),
            },
            country_code: dn.country_code.clone(),
            national_prefix: g.national_prefix.clone(),
            ..DnRow::default()
        }
    });
    Ok(GroupDnGetAssignmentListResponse18 {
        dn_table: OciTable::of(rows.collect::<Vec<_>>()),
    })
}
