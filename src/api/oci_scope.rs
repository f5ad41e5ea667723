//! Whether a token may send a raw OCI command: a system token any; a tenant or group token only
//! commands every one of whose tenant, group and user ids lies in its scope. `System*` commands,
//! and commands whose scope cannot be decided, are 403 before anything is sent.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::api::auth::Scope;
use crate::ocip::commands::UserGetRequest23V2;
use crate::ocip::{OciError, Pool};
use crate::schema::encode::COMMAND_KEY;
use crate::schema::typed_values::values_of_types;
use crate::schema::Catalog;

/// Most distinct user ids a tenant or group token's command may name: each is looked up.
pub const MAX_USER_LOOKUPS: usize = 50;

/// The simple types that name a tenant, a group and a user in every release.
const SCOPE_TYPES: [&str; 5] = [
    "ServiceProviderId",
    "GroupId",
    "UserId",
    "ResellerId",
    "ResellerId22",
];

/// Why a command is outside the token's scope, or `Ok` when it is inside. User ids are looked
/// up (UserGetRequest23V2) to find their tenant and group; an id BroadWorks does not know as a
/// user (a new user, a service instance) is accepted only in a command that also names a
/// tenant (and, for a group token, a group) inside the scope.
pub async fn check(
    scope: &Scope,
    catalog: &Catalog,
    pool: &Pool,
    command: &Value,
) -> Result<(), String> {
    let (tenant, group) = match scope {
        Scope::System => return Ok(()),
        Scope::Tenant(t) => (t.as_str(), None),
        Scope::Group { tenant, group } => (tenant.as_str(), Some(group.as_str())),
    };
    let name = command
        .get(COMMAND_KEY)
        .and_then(Value::as_str)
        .unwrap_or("");
    if name.starts_with("System") {
        return Err(format!(
            "{name} is a system command: it needs a system token"
        ));
    }
    let values = values_of_types(catalog, command, &SCOPE_TYPES);
    let of = |ty: &str| -> BTreeSet<&str> {
        values
            .iter()
            .filter(|(t, _)| t == ty)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let (tenants, groups, users) = (of("ServiceProviderId"), of("GroupId"), of("UserId"));
    if values.iter().any(|(t, _)| t.starts_with("ResellerId")) {
        return Err(format!("{name} names a reseller: it needs a system token"));
    }
    if let Some(t) = tenants.iter().find(|t| **t != tenant) {
        return Err(format!(
            "{name} names tenant {t}, outside the token's scope"
        ));
    }
    if let Some(g) = group {
        if let Some(other) = groups.iter().find(|x| **x != g) {
            return Err(format!(
                "{name} names group {other}, outside the token's scope"
            ));
        }
        if !tenants.is_empty() && groups.is_empty() {
            return Err(format!(
                "{name} reaches the whole tenant {tenant}; a group token reaches its group only"
            ));
        }
    }
    let named_in_scope = !tenants.is_empty() && (group.is_none() || !groups.is_empty());
    if users.is_empty() && !named_in_scope {
        return Err(format!(
            "the scope of {name} cannot be decided (it names no tenant, group or user)"
        ));
    }
    if users.len() > MAX_USER_LOOKUPS {
        return Err(format!(
            "{name} names {} user ids; a tenant or group token may name at most {MAX_USER_LOOKUPS} in one command (each is looked up)",
            users.len()
        ));
    }
    for user in users {
        match pool
            .call(&UserGetRequest23V2 {
                user_id: user.to_owned(),
            })
            .await
        {
            Ok(found) => {
                let inside = found.service_provider_id == tenant
                    && group.is_none_or(|g| found.group_id == g);
                if !inside {
                    return Err(format!(
                        "{name} names user {user}, outside the token's scope"
                    ));
                }
            }
            Err(OciError::Refused { .. }) if named_in_scope => {}
            Err(OciError::Refused { .. }) => {
                return Err(format!(
                    "the scope of {name} cannot be decided: BroadWorks knows no user {user}"
                ))
            }
            Err(e) => return Err(format!("the scope of {name} cannot be decided: {e}")),
        }
    }
    Ok(())
}
