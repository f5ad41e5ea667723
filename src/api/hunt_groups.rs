//! The hunt group endpoints: create, list, get, update, delete, available agents and weighted
//! distribution. Handlers translate with `translate` and talk through the pool; every failure
//! is an [`ApiError`].

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::Value;

use crate::api::auth::Caller;
use crate::api::body;
use crate::api::error::ApiError;
use crate::api::settings::SUID_ATTEMPTS;
use crate::api::state::AppState;
use crate::ocip::commands::*;
use crate::ocip::value::Nillable;
use crate::translate::hunt_group::{self as t, GroupContext};
use crate::translate::json::*;
use crate::translate::numbers::{profile_to_e164, to_e164};
use crate::translate::suid::SuidContext;

type GroupPath = Path<(String, String)>;
type HuntGroupPath = Path<(String, String, String)>;

async fn context(
    state: &AppState,
    caller: &Caller,
    tenant: &str,
    group: &str,
) -> Result<GroupContext, ApiError> {
    caller.require(tenant, Some(group))?;
    state.groups.get(&state.pool, tenant, group).await
}

/// The full hunt group: Get plus its active flag from the list.
async fn fetch(
    state: &AppState,
    ctx: &GroupContext,
    suid: &str,
) -> Result<(GroupHuntGroupGetInstanceResponse20, HuntGroupJson), ApiError> {
    let got = state
        .pool
        .call(&GroupHuntGroupGetInstanceRequest20 {
            service_user_id: suid.to_owned(),
        })
        .await
        .map_err(|e| ApiError::from_oci(e, Some(suid)))?;
    let table = list_table(state, ctx).await?;
    let active = t::active_in_list(&table, suid).ok_or_else(|| {
        ApiError::not_found(format!(
            "hunt group {suid} is not in group {} of tenant {}",
            ctx.group_id, ctx.tenant_id
        ))
    })?;
    let json = t::hunt_group_json(ctx, suid, &got, active);
    Ok((got, json))
}

async fn list_table(state: &AppState, ctx: &GroupContext) -> Result<OciTable, ApiError> {
    Ok(state
        .pool
        .call(&GroupHuntGroupGetInstanceListRequest {
            service_provider_id: ctx.tenant_id.clone(),
            group_id: ctx.group_id.clone(),
            group_department_name: None,
        })
        .await
        .map_err(|e| ApiError::from_oci(e, Some(&ctx.group_id)))?
        .hunt_group_table)
}

async fn set_active(state: &AppState, suid: &str, active: bool) -> Result<(), ApiError> {
    state
        .pool
        .call(&GroupHuntGroupModifyActiveInstanceListRequest {
            service_activation: vec![ServiceActivation {
                service_user_id: suid.to_owned(),
                is_active: active,
            }],
        })
        .await
        .map(|_| ())
        .map_err(|e| ApiError::from_oci(e, Some(suid)))
}

/// `POST …/hunt_groups/`: 201 with the hunt group as GET returns it.
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path((tenant, group)): GroupPath,
    request: Body,
) -> Result<(StatusCode, Json<HuntGroupJson>), ApiError> {
    let bytes = body::read(request, &state, state.max_body_bytes).await?;
    let value = body::json_value(&bytes)?.ok_or_else(|| {
        ApiError::invalid("serviceInstanceProfile", "the request needs a JSON body")
    })?;
    // Check the request alone first, so errors name the request's own fields.
    let own: HuntGroupInput = body::typed(value.clone())?;
    let template_name = own.template_name.as_deref().unwrap_or("basic");
    let mut merged = state
        .settings
        .templates
        .get(template_name)
        .cloned()
        .ok_or_else(|| {
            let mut known: Vec<&str> = state
                .settings
                .templates
                .keys()
                .map(String::as_str)
                .collect();
            known.sort_unstable();
            ApiError::invalid(
                "templateName",
                format!(
                    "unknown template '{template_name}' (known: {})",
                    known.join(", ")
                ),
            )
        })?;
    t::merge(&mut merged, value);
    let input: HuntGroupInput = body::typed(merged)?;
    let ctx = context(&state, &caller, &tenant, &group).await?;
    // Validate everything before anything is sent.
    t::build_add(&ctx, &input, "check@validation")?;
    let suid = match input
        .service_user_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(id) if id.contains('@') => id.to_owned(),
        Some(id) => format!("{id}@{}", ctx.domain),
        None if state.settings.auto_generate => String::new(),
        None => {
            return Err(ApiError::invalid(
                "serviceUserId",
                "serviceUserId is required (or enable SUID_HUNT_GROUP_AUTO_GENERATE)",
            ))
        }
    };
    let suid = if suid.is_empty() {
        create_generated(&state, &ctx, &input).await?
    } else {
        let add = t::build_add(&ctx, &input, &suid)?;
        state
            .pool
            .call(&add)
            .await
            .map_err(|e| ApiError::from_oci(e, None))?;
        suid
    };
    if input.active == Some(false) {
        set_active(&state, &suid, false).await?;
    }
    let (_, json) = fetch(&state, &ctx, &suid).await?;
    Ok((StatusCode::CREATED, Json(json)))
}

/// Creates with a generated id, generating again (a bounded number of times) when BroadWorks
/// says the id exists.
async fn create_generated(
    state: &AppState,
    ctx: &GroupContext,
    input: &HuntGroupInput,
) -> Result<String, ApiError> {
    let profile = input.service_instance_profile.clone().unwrap_or_default();
    let phone = match &profile.phone_number {
        Some(Some(p)) if !p.trim().is_empty() => Some(to_e164(p, ctx.country_code.as_deref())),
        _ => None,
    };
    let extension = profile.extension.clone().flatten();
    let suid_ctx = SuidContext {
        tenant_id: &ctx.tenant_id,
        group_id: &ctx.group_id,
        domain: &ctx.domain,
        name: profile.name.as_deref(),
        extension: extension.as_deref(),
        phone_number_e164: phone.as_deref(),
    };
    let attempts = if state.settings.rule.is_random() {
        SUID_ATTEMPTS
    } else {
        1
    };
    let mut last = None;
    for _ in 0..attempts {
        let suid = state
            .settings
            .rule
            .render(&suid_ctx)
            .map_err(|m| ApiError::invalid("serviceUserId", m))?;
        let add = t::build_add(ctx, input, &suid)?;
        match state.pool.call(&add).await {
            Ok(_) => return Ok(suid),
            Err(e) => {
                let error = ApiError::from_oci(e, None);
                if error.status != StatusCode::CONFLICT {
                    return Err(error);
                }
                tracing::info!(service_user_id = %suid, "generated service user id exists; generating another");
                last = Some(error);
            }
        }
    }
    Err(last.unwrap_or_else(|| {
        ApiError::invalid("serviceUserId", "could not generate a free service user id")
    }))
}

/// `GET …/hunt_groups/`.
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path((tenant, group)): GroupPath,
) -> Result<Json<HuntGroupListJson>, ApiError> {
    let ctx = context(&state, &caller, &tenant, &group).await?;
    let table = list_table(&state, &ctx).await?;
    Ok(Json(t::list_json(&ctx, &table)))
}

/// `GET …/hunt_groups/{service_user_id}/`.
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path((tenant, group, suid)): HuntGroupPath,
) -> Result<Json<HuntGroupJson>, ApiError> {
    let ctx = context(&state, &caller, &tenant, &group).await?;
    Ok(Json(fetch(&state, &ctx, &suid).await?.1))
}

/// `PUT …/hunt_groups/{service_user_id}/`: changes only what the body carries.
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path((tenant, group, suid)): HuntGroupPath,
    request: Body,
) -> Result<Json<HuntGroupJson>, ApiError> {
    let input: HuntGroupInput = body::parse(request, &state).await?;
    if let Some(id) = input.service_user_id.as_deref().filter(|id| *id != suid) {
        return Err(ApiError::invalid(
            "serviceUserId",
            format!("serviceUserId '{id}' differs from the path's '{suid}'; the id changes only with the phone number rule"),
        ));
    }
    let ctx = context(&state, &caller, &tenant, &group).await?;
    let modify = t::build_modify(&ctx, &suid, &input)?;
    let (current, _) = fetch(&state, &ctx, &suid).await?;
    if let Some(modify) = &modify {
        state
            .pool
            .call(modify)
            .await
            .map_err(|e| ApiError::from_oci(e, Some(&suid)))?;
    }
    let final_id = match renumbered_id(&state, &ctx, &suid, &current, modify.as_ref())? {
        Some(new_id) => {
            state
                .pool
                .call(&UserModifyUserIdRequest {
                    user_id: suid.clone(),
                    new_user_id: new_id.clone(),
                })
                .await
                .map_err(|e| ApiError::from_oci(e, Some(&suid)))?;
            tracing::info!(old = %suid, new = %new_id, "service user id follows the new phone number");
            new_id
        }
        None => suid,
    };
    if let Some(active) = input.active {
        set_active(&state, &final_id, active).await?;
    }
    Ok(Json(fetch(&state, &ctx, &final_id).await?.1))
}

/// The new service user id when SERVICE_USERS_UPDATE_ID_PHONE_NUMBER applies to this update.
fn renumbered_id(
    state: &AppState,
    ctx: &GroupContext,
    suid: &str,
    current: &GroupHuntGroupGetInstanceResponse20,
    modify: Option<&GroupHuntGroupModifyInstanceRequest>,
) -> Result<Option<String>, ApiError> {
    let settings = &state.settings;
    if !settings.update_id_on_phone_change || !settings.rule.uses_phone_number() {
        return Ok(None);
    }
    let Some(profile) = modify.and_then(|m| m.service_instance_profile.as_ref()) else {
        return Ok(None);
    };
    let Some(Nillable::Set(new_number)) = &profile.phone_number else {
        return Ok(None);
    };
    let p = &current.service_instance_profile;
    let old = profile_to_e164(p.phone_number.as_deref(), p.country_code.as_deref());
    let new = to_e164(new_number, ctx.country_code.as_deref());
    if old == new {
        return Ok(None);
    }
    let name = profile.name.clone().unwrap_or_else(|| p.name.clone());
    let extension = match &profile.extension {
        Some(Nillable::Set(e)) => Some(e.clone()),
        Some(Nillable::Nil) => None,
        None => p.extension.clone(),
    };
    let id = settings
        .rule
        .render(&SuidContext {
            tenant_id: &ctx.tenant_id,
            group_id: &ctx.group_id,
            domain: &ctx.domain,
            name: Some(&name),
            extension: extension.as_deref(),
            phone_number_e164: Some(&new),
        })
        .map_err(|m| ApiError::invalid("serviceInstanceProfile.phoneNumber", m))?;
    Ok((id != suid).then_some(id))
}

/// `DELETE …/hunt_groups/{service_user_id}/`.
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path((tenant, group, suid)): HuntGroupPath,
) -> Result<Json<Value>, ApiError> {
    let ctx = context(&state, &caller, &tenant, &group).await?;
    // Only hunt groups of this group may be deleted through this path.
    let table = list_table(&state, &ctx).await?;
    if t::active_in_list(&table, &suid).is_none() {
        return Err(ApiError::not_found(format!(
            "no hunt group {suid} in group {group} of tenant {tenant}"
        )));
    }
    state
        .pool
        .call(&GroupHuntGroupDeleteInstanceRequest {
            service_user_id: suid.clone(),
        })
        .await
        .map_err(|e| ApiError::from_oci(e, Some(&suid)))?;
    Ok(Json(Value::Object(Default::default())))
}

/// `GET …/hunt_groups/users/available/`: filters as query parameters or a JSON body.
pub async fn available(
    State(state): State<AppState>,
    caller: Caller,
    Path((tenant, group)): GroupPath,
    Query(query): Query<HashMap<String, String>>,
    request: Body,
) -> Result<Json<AvailableUsersJson>, ApiError> {
    let bytes = body::read(request, &state, state.max_body_bytes).await?;
    let mut filter: AvailableUsersFilter = match body::json_value(&bytes)? {
        Some(value) => body::typed(value)?,
        None => AvailableUsersFilter::default(),
    };
    apply_query(&mut filter, &query)?;
    let ctx = context(&state, &caller, &tenant, &group).await?;
    let request = t::available_request(&ctx, &filter)?;
    let table = state
        .pool
        .call(&request)
        .await
        .map_err(|e| ApiError::from_oci(e, Some(&group)))?
        .user_table;
    Ok(Json(t::available_json(&ctx, &table)))
}

/// Query parameters of the available-users filter: `sameGroupOnly=true`, and the objects as
/// JSON text or plain names (`sensitiveDepartmentEquals=Sales`, `sensitiveUserGroupEquals=G`).
fn apply_query(
    filter: &mut AvailableUsersFilter,
    query: &HashMap<String, String>,
) -> Result<(), ApiError> {
    for (key, value) in query {
        match key.as_str() {
            "sameGroupOnly" => {
                filter.same_group_only = Some(match value.to_ascii_lowercase().as_str() {
                    "true" | "1" | "yes" => true,
                    "false" | "0" | "no" => false,
                    _ => return Err(ApiError::invalid("sameGroupOnly", format!("'{value}' is not true or false"))),
                })
            }
            "sensitiveDepartmentEquals" => {
                filter.sensitive_department_equals = Some(if value.trim_start().starts_with('{') {
                    body::typed(body::json_value(value.as_bytes())?.unwrap_or_default())
                        .map_err(|e| ApiError { field: Some(key.clone()), ..e })?
                } else {
                    DepartmentJson { department_name: value.clone(), ..Default::default() }
                })
            }
            "sensitiveUserGroupEquals" => {
                filter.sensitive_user_group_equals = Some(if value.trim_start().starts_with('{') {
                    body::typed(body::json_value(value.as_bytes())?.unwrap_or_default())
                        .map_err(|e| ApiError { field: Some(key.clone()), ..e })?
                } else {
                    UserGroupJson { tenant_id: None, group_id: value.clone() }
                })
            }
            other => {
                return Err(ApiError {
                    code: "unknown_field",
                    ..ApiError::invalid(other, format!("unknown query parameter {other} (known: sameGroupOnly, sensitiveDepartmentEquals, sensitiveUserGroupEquals)"))
                })
            }
        }
    }
    Ok(())
}

/// `GET …/hunt_groups/{service_user_id}/weighted_distribution/`.
pub async fn get_weights(
    State(state): State<AppState>,
    caller: Caller,
    Path((tenant, group, suid)): HuntGroupPath,
) -> Result<Json<WeightedDistributionJson>, ApiError> {
    let ctx = context(&state, &caller, &tenant, &group).await?;
    let (_, json) = fetch(&state, &ctx, &suid).await?;
    Ok(Json(WeightedDistributionJson {
        agents: json.agents,
    }))
}

/// `PUT …/hunt_groups/{service_user_id}/weighted_distribution/`: agents not listed get 0.
pub async fn put_weights(
    State(state): State<AppState>,
    caller: Caller,
    Path((tenant, group, suid)): HuntGroupPath,
    request: Body,
) -> Result<Json<WeightedDistributionJson>, ApiError> {
    let input: WeightedDistributionInput = body::parse(request, &state).await?;
    let ctx = context(&state, &caller, &tenant, &group).await?;
    let command = t::weights_request(&suid, &input)?;
    fetch(&state, &ctx, &suid).await?;
    state
        .pool
        .call(&command)
        .await
        .map_err(|e| ApiError::from_oci(e, Some(&suid)))?;
    let (_, json) = fetch(&state, &ctx, &suid).await?;
    Ok(Json(WeightedDistributionJson {
        agents: json.agents,
    }))
}
