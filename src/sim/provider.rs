//! The simulator's system and provider lookups: the software version, the service providers
//! and the groups of one of them.

use crate::ocip::commands::*;
use crate::sim::directory::Directory;
use crate::sim::error::SimError;
use crate::sim::search::{all, size_limit};

/// SystemSoftwareVersionGetRequest: the data file's `software_version`.
pub fn software_version(
    dir: &Directory,
    _: SystemSoftwareVersionGetRequest,
) -> Result<SystemSoftwareVersionGetResponse, SimError> {
    Ok(SystemSoftwareVersionGetResponse {
        version: dir.software_version.clone(),
    })
}

/// ServiceProviderGetListRequest: every provider and enterprise, by id, filtered.
pub fn service_providers(
    dir: &Directory,
    r: ServiceProviderGetListRequest,
) -> Result<ServiceProviderGetListResponse, SimError> {
    let limit = size_limit(r.response_size_limit)?;
    let rows = dir
        .providers
        .iter()
        .filter(|(id, p)| {
            let name = p.name.as_deref().unwrap_or_default();
            r.is_enterprise.is_none_or(|e| e == p.enterprise)
                && all(&r.search_criteria_service_provider_id, id)
                && all(&r.search_criteria_service_provider_name, name)
                && all(&r.search_criteria_reseller_id, "")
        })
        .take(limit)
        .map(|(id, p)| ServiceProviderRow {
            service_provider_id: id.clone(),
            service_provider_name: p.name.clone().unwrap_or_default(),
            is_enterprise: p.enterprise.to_string(),
            reseller_id: String::new(),
        });
    Ok(ServiceProviderGetListResponse {
        service_provider_table: OciTable::of(rows.collect::<Vec<_>>()),
    })
}

/// GroupGetListInServiceProviderRequest: the provider's groups, by id, filtered.
pub fn groups(
    dir: &Directory,
    r: GroupGetListInServiceProviderRequest,
) -> Result<GroupGetListInServiceProviderResponse, SimError> {
    if !dir.providers.contains_key(&r.service_provider_id) {
        return Err(SimError::provider_not_found(&r.service_provider_id));
    }
    let limit = size_limit(r.response_size_limit)?;
    let rows = dir
        .groups
        .values()
        .filter(|g| {
            g.service_provider == r.service_provider_id
                && all(&r.search_criteria_group_id, &g.id)
                && all(
                    &r.search_criteria_group_name,
                    g.name.as_deref().unwrap_or_default(),
                )
        })
        .take(limit)
        .map(|g| GroupListRow {
            group_id: g.id.clone(),
            group_name: g.name.clone().unwrap_or_default(),
            user_limit: g.user_limit.to_string(),
        });
    Ok(GroupGetListInServiceProviderResponse {
        group_table: OciTable::of(rows.collect::<Vec<_>>()),
    })
}
