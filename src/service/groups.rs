//! Group information the translation needs (domain, calling line id country, departments),
//! fetched once per group from BroadWorks (one fetch however many requests ask at once) and kept
//! until it expires.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{Mutex, OnceCell};

use crate::ocip::commands::{
    AvailableUserRow, DepartmentRow, DnRow, GroupDepartmentGetListRequest18,
    GroupDnGetAssignmentListRequest18, GroupGetRequest22V5,
    GroupHuntGroupGetAvailableUserListRequest, GroupHuntGroupGetInstanceListRequest, HuntGroupRow,
    OciTable, SearchCriteriaExactUserGroup,
};
use crate::ocip::Pool;
use crate::service::error::ServiceError;
use crate::translate::hunt_group::{DepartmentInfo, GroupContext};
use crate::translate::numbers::{split_country_code, to_e164};

/// Values by key that live `ttl`, each fetched once however many callers ask for it at the same
/// time (the others wait for the one fetch instead of sending their own).
#[derive(Debug)]
pub struct SingleFlight<K, V> {
    ttl: Duration,
    entries: Mutex<HashMap<K, Flight<V>>>,
}

/// One key's value: fetched once, with the time it was fetched.
type Flight<V> = Arc<OnceCell<(Instant, V)>>;

impl<K: std::hash::Hash + Eq + Clone, V: Clone> SingleFlight<K, V> {
    /// An empty cache whose values live `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The value of `key`, from the cache or the future `fetch` makes (a failed fetch is not
    /// kept). The fetch is made only when needed, and boxed: a read's future is large, and a
    /// cache hit (nearly every call) should not carry or copy its space.
    pub async fn get<E, F, Fut>(&self, key: &K, fetch: F) -> Result<V, E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<V, E>>,
    {
        let cell = {
            let mut entries = self.entries.lock().await;
            let fresh = entries
                .get(key)
                .filter(|cell| cell.get().is_none_or(|(at, _)| at.elapsed() < self.ttl))
                .cloned();
            fresh.unwrap_or_else(|| {
                let cell = Arc::new(OnceCell::new());
                entries.insert(key.clone(), cell.clone());
                cell
            })
        };
        let (_, value) = cell
            .get_or_try_init(|| async { Ok((Instant::now(), Box::pin(fetch()).await?)) })
            .await?;
        Ok(value.clone())
    }
}

/// How long the users that may be agents of a group are kept, for dry-run checks.
const AVAILABLE_USERS_TTL: Duration = Duration::from_secs(10);

/// A group's numbers as the dry-run checks need them: E.164 digit ranges (`start`..=`end`, one
/// number when equal) and who holds them (empty when free).
pub type NumberHolders = Arc<Vec<(String, String, String)>>;

/// Cached group contexts (and, briefly, the users that may be agents and the numbers' holders)
/// by (tenant, group).
#[derive(Debug)]
pub struct GroupCache {
    use_cc_cli: bool,
    contexts: SingleFlight<(String, String), GroupContext>,
    available: SingleFlight<(String, String), Arc<HashSet<String>>>,
    numbers: SingleFlight<(String, String), NumberHolders>,
    extensions: SingleFlight<(String, String), Arc<HashMap<String, String>>>,
    /// The hunt groups each group had at its last list read: an id known to be a member is read
    /// with the list in one document (the list still decides).
    members: std::sync::Mutex<HashMap<(String, String), HashSet<String>>>,
}

impl GroupCache {
    /// An empty cache whose contexts live `ttl`.
    pub fn new(ttl: Duration, use_cc_cli: bool) -> Self {
        Self {
            use_cc_cli,
            contexts: SingleFlight::new(ttl),
            available: SingleFlight::new(AVAILABLE_USERS_TTL),
            numbers: SingleFlight::new(AVAILABLE_USERS_TTL),
            extensions: SingleFlight::new(AVAILABLE_USERS_TTL),
            members: Default::default(),
        }
    }

    /// Notes the hunt groups of a group from a fresh list (replacing what was known).
    pub fn note_members(&self, tenant: &str, group: &str, table: &OciTable) {
        let ids = table
            .typed::<HuntGroupRow>()
            .map(|row| row.service_user_id)
            .collect();
        if let Ok(mut members) = self.members.lock() {
            members.insert((tenant.to_owned(), group.to_owned()), ids);
        }
    }

    /// Whether the last list of the group named this hunt group.
    pub fn known_member(&self, tenant: &str, group: &str, service_user_id: &str) -> bool {
        self.members.lock().is_ok_and(|members| {
            members
                .get(&(tenant.to_owned(), group.to_owned()))
                .is_some_and(|ids| ids.contains(service_user_id))
        })
    }

    /// The context of a group, from the cache or BroadWorks (404 when it does not exist).
    pub async fn get(
        &self,
        pool: &Pool,
        tenant: &str,
        group: &str,
    ) -> Result<GroupContext, ServiceError> {
        let key = (tenant.to_owned(), group.to_owned());
        self.contexts
            .get(&key, || self.fetch(pool, tenant, group))
            .await
    }

    /// The ids of the users that may be agents of the group's hunt groups (kept for a few
    /// seconds: a bulk dry run reads them once per group, not once per row).
    pub async fn available_users(
        &self,
        pool: &Pool,
        tenant: &str,
        group: &str,
    ) -> Result<Arc<HashSet<String>>, ServiceError> {
        let key = (tenant.to_owned(), group.to_owned());
        let fetch = || async {
            let request = GroupHuntGroupGetAvailableUserListRequest {
                service_provider_id: tenant.to_owned(),
                group_id: group.to_owned(),
                ..Default::default()
            };
            let table = pool
                .call(&request)
                .await
                .map_err(|e| ServiceError::oci(e, Some(group)))?
                .user_table;
            Ok(Arc::new(
                table
                    .typed::<AvailableUserRow>()
                    .map(|r| r.user_id)
                    .collect(),
            ))
        };
        self.available.get(&key, fetch).await
    }

    /// The group's numbers and their holders (kept for a few seconds, like the available users).
    pub async fn number_holders(
        &self,
        pool: &Pool,
        tenant: &str,
        group: &str,
    ) -> Result<NumberHolders, ServiceError> {
        let key = (tenant.to_owned(), group.to_owned());
        let fetch = || async {
            let request = GroupDnGetAssignmentListRequest18 {
                service_provider_id: tenant.to_owned(),
                group_id: group.to_owned(),
                response_size_limit: None,
            };
            let table = pool
                .call(&request)
                .await
                .map_err(|e| ServiceError::oci(e, Some(group)))?
                .dn_table;
            let digits = |n: &str| to_e164(n.trim(), None).trim_start_matches('+').to_owned();
            Ok(Arc::new(
                table
                    .typed::<DnRow>()
                    .map(|row| {
                        let (start, end) = row
                            .phone_numbers
                            .split_once(" - ")
                            .unwrap_or((&row.phone_numbers, &row.phone_numbers));
                        (digits(start), digits(end), row.user_id)
                    })
                    .collect(),
            ))
        };
        self.numbers.get(&key, fetch).await
    }

    /// The extensions used in the group (by its users and its hunt groups), and by whom (kept
    /// for a few seconds, like the available users).
    pub async fn extension_holders(
        &self,
        pool: &Pool,
        tenant: &str,
        group: &str,
    ) -> Result<Arc<HashMap<String, String>>, ServiceError> {
        let key = (tenant.to_owned(), group.to_owned());
        let fetch = || async {
            let users = GroupHuntGroupGetAvailableUserListRequest {
                service_provider_id: tenant.to_owned(),
                group_id: group.to_owned(),
                search_criteria_exact_user_group: Some(SearchCriteriaExactUserGroup {
                    service_provider_id: tenant.to_owned(),
                    group_id: group.to_owned(),
                }),
                ..Default::default()
            };
            let hunt_groups = GroupHuntGroupGetInstanceListRequest {
                service_provider_id: tenant.to_owned(),
                group_id: group.to_owned(),
                group_department_name: None,
            };
            let (users, hunt_groups) = tokio::join!(pool.call(&users), pool.call(&hunt_groups));
            let users = users
                .map_err(|e| ServiceError::oci(e, Some(group)))?
                .user_table;
            let hunt_groups = hunt_groups
                .map_err(|e| ServiceError::oci(e, Some(group)))?
                .hunt_group_table;
            let held = users
                .typed::<AvailableUserRow>()
                .map(|r| (r.extension, r.user_id))
                .chain(
                    hunt_groups
                        .typed::<HuntGroupRow>()
                        .map(|r| (r.extension, r.service_user_id)),
                )
                .filter(|(extension, _)| !extension.is_empty())
                .collect();
            Ok(Arc::new(held))
        };
        self.extensions.get(&key, fetch).await
    }

    async fn fetch(
        &self,
        pool: &Pool,
        tenant: &str,
        group: &str,
    ) -> Result<GroupContext, ServiceError> {
        let get = GroupGetRequest22V5 {
            service_provider_id: tenant.to_owned(),
            group_id: group.to_owned(),
        };
        let list = GroupDepartmentGetListRequest18 {
            service_provider_id: tenant.to_owned(),
            group_id: group.to_owned(),
            include_enterprise_departments: true,
        };
        // Both in one document: one round trip on one session.
        let (profile, departments) = pool.call_two(&get, &list).await;
        let profile = profile.map_err(|e| ServiceError::oci(e, Some(group)))?;
        let departments = departments
            .map_err(|e| ServiceError::oci(e, Some(group)))?
            .department_table;
        let country_code = profile
            .calling_line_id_phone_number
            .as_deref()
            .map(|n| to_e164(n, None))
            .and_then(|e164| {
                e164.strip_prefix('+')
                    .and_then(split_country_code)
                    .map(|(cc, _)| cc.to_owned())
            });
        Ok(GroupContext {
            tenant_id: tenant.to_owned(),
            group_id: group.to_owned(),
            domain: profile.default_domain,
            country_code,
            departments: departments
                .typed::<DepartmentRow>()
                .map(|row| DepartmentInfo {
                    enterprise: row.is_enterprise_department == "true",
                    name: row.department_name,
                    full_path: row.full_path_name,
                })
                .collect(),
            use_cc_cli: self.use_cc_cli,
        })
    }
}
