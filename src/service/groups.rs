//! Group information the translation needs (domain, calling line id country, departments),
//! fetched once per group from BroadWorks and kept until it expires.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

use crate::ocip::commands::{DepartmentRow, GroupDepartmentGetListRequest18, GroupGetRequest22V5};
use crate::ocip::Pool;
use crate::service::error::ServiceError;
use crate::translate::hunt_group::{DepartmentInfo, GroupContext};
use crate::translate::numbers::{split_country_code, to_e164};

/// Cached group contexts by (tenant, group).
#[derive(Debug)]
pub struct GroupCache {
    ttl: Duration,
    use_cc_cli: bool,
    entries: Mutex<HashMap<(String, String), (Instant, GroupContext)>>,
}

impl GroupCache {
    /// An empty cache whose entries live `ttl`.
    pub fn new(ttl: Duration, use_cc_cli: bool) -> Self {
        Self {
            ttl,
            use_cc_cli,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The context of a group, from the cache or BroadWorks (404 when it does not exist).
    pub async fn get(
        &self,
        pool: &Pool,
        tenant: &str,
        group: &str,
    ) -> Result<GroupContext, ServiceError> {
        let key = (tenant.to_owned(), group.to_owned());
        if let Some((at, ctx)) = self.entries.lock().await.get(&key) {
            if at.elapsed() < self.ttl {
                return Ok(ctx.clone());
            }
        }
        let ctx = self.fetch(pool, tenant, group).await?;
        self.entries
            .lock()
            .await
            .insert(key, (Instant::now(), ctx.clone()));
        Ok(ctx)
    }

    async fn fetch(
        &self,
        pool: &Pool,
        tenant: &str,
        group: &str,
    ) -> Result<GroupContext, ServiceError> {
        let profile = pool
            .call(&GroupGetRequest22V5 {
                service_provider_id: tenant.to_owned(),
                group_id: group.to_owned(),
            })
            .await
            .map_err(|e| ServiceError::oci(e, Some(group)))?;
        let departments = pool
            .call(&GroupDepartmentGetListRequest18 {
                service_provider_id: tenant.to_owned(),
                group_id: group.to_owned(),
                include_enterprise_departments: true,
            })
            .await
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
