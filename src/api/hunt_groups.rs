//! The hunt group endpoints: create, list, get, update, delete, available agents and weighted
//! distribution. Each handler extracts, checks the token's scope and calls the hunt group
//! service; every failure is an [`ApiError`]. The service's futures are boxed: they are large
//! (a pooled OCI-P exchange and its recovery), and axum moves a handler's future several times
//! before it completes, which copied them whole on every request.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::State;

use crate::api::extract::{ApiPath, ApiQuery};
use axum::http::StatusCode;
use axum::Json;
use serde_json::Value;

use crate::api::auth::{Caller, Scope};
use crate::api::body;
use crate::api::error::{ApiError, ErrorCode};
use crate::api::state::AppState;
use crate::translate::json::*;

type GroupPath = ApiPath<(String, String)>;
type HuntGroupPath = ApiPath<(String, String, String)>;

/// `POST …/hunt_groups/`: 201 with the hunt group as GET returns it.
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((tenant, group)): GroupPath,
    request: Body,
) -> Result<(StatusCode, Json<HuntGroupJson>), ApiError> {
    let bytes = body::read(request, &state, state.max_body_bytes).await?;
    let value = body::json_value(&bytes)?.ok_or_else(|| {
        ApiError::invalid("serviceInstanceProfile", "the request needs a JSON body")
    })?;
    caller.require(&tenant, Some(&group))?;
    let restricted = caller.scope != Scope::System;
    let json = Box::pin(state.hunt_groups.create(&tenant, &group, value, restricted)).await?;
    Ok((StatusCode::CREATED, Json(json)))
}

/// `GET …/hunt_groups/`.
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((tenant, group)): GroupPath,
) -> Result<Json<HuntGroupListJson>, ApiError> {
    caller.require(&tenant, Some(&group))?;
    Ok(Json(
        Box::pin(state.hunt_groups.list(&tenant, &group)).await?,
    ))
}

/// `GET …/hunt_groups/{service_user_id}/`.
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((tenant, group, suid)): HuntGroupPath,
) -> Result<Json<HuntGroupJson>, ApiError> {
    caller.require(&tenant, Some(&group))?;
    Ok(Json(
        Box::pin(state.hunt_groups.get(&tenant, &group, &suid)).await?,
    ))
}

/// `PUT …/hunt_groups/{service_user_id}/`: changes only what the body carries.
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((tenant, group, suid)): HuntGroupPath,
    request: Body,
) -> Result<Json<HuntGroupJson>, ApiError> {
    let input: HuntGroupInput = body::parse(request, &state).await?;
    caller.require(&tenant, Some(&group))?;
    Ok(Json(
        Box::pin(state.hunt_groups.update(&tenant, &group, &suid, input)).await?,
    ))
}

/// `DELETE …/hunt_groups/{service_user_id}/`.
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((tenant, group, suid)): HuntGroupPath,
) -> Result<Json<Value>, ApiError> {
    caller.require(&tenant, Some(&group))?;
    Box::pin(state.hunt_groups.delete(&tenant, &group, &suid)).await?;
    Ok(Json(Value::Object(Default::default())))
}

/// `GET …/hunt_groups/users/available/`: filters as query parameters or a JSON body.
pub async fn available(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((tenant, group)): GroupPath,
    ApiQuery(query): ApiQuery<HashMap<String, String>>,
    request: Body,
) -> Result<Json<AvailableUsersJson>, ApiError> {
    let bytes = body::read(request, &state, state.max_body_bytes).await?;
    let mut filter: AvailableUsersFilter = match body::json_value(&bytes)? {
        Some(value) => body::typed(value)?,
        None => AvailableUsersFilter::default(),
    };
    apply_query(&mut filter, &query)?;
    caller.require(&tenant, Some(&group))?;
    Ok(Json(
        Box::pin(state.hunt_groups.available(&tenant, &group, &filter)).await?,
    ))
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
                    code: ErrorCode::UnknownField,
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
    ApiPath((tenant, group, suid)): HuntGroupPath,
) -> Result<Json<WeightedDistributionJson>, ApiError> {
    caller.require(&tenant, Some(&group))?;
    Ok(Json(
        Box::pin(state.hunt_groups.weights(&tenant, &group, &suid)).await?,
    ))
}

/// `PUT …/hunt_groups/{service_user_id}/weighted_distribution/`: agents not listed get 0.
pub async fn put_weights(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((tenant, group, suid)): HuntGroupPath,
    request: Body,
) -> Result<Json<WeightedDistributionJson>, ApiError> {
    let input: WeightedDistributionInput = body::parse(request, &state).await?;
    caller.require(&tenant, Some(&group))?;
    Ok(Json(
        Box::pin(
            state
                .hunt_groups
                .set_weights(&tenant, &group, &suid, &input),
        )
        .await?,
    ))
}
