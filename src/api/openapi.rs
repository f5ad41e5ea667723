//! `/openapi.json`: every endpoint, with the payload schemas generated from the types
//! ([`crate::api::schemas`]) as components and the error answers from [`ErrorCode`].

use axum::Json;
use serde_json::{json, Map, Value};

use crate::api::error::ErrorCode;

/// The OpenAPI 3.1 document.
pub fn document() -> Value {
    let components = crate::api::schemas::components();
    let base = "/api/v1/tenants/{tenant_id}/groups/{group_id}/services/hunt_groups";
    let group_params = json!([param("tenant_id"), param("group_id")]);
    let hg_params = json!([
        param("tenant_id"),
        param("group_id"),
        param("service_user_id")
    ]);
    let mut paths = Map::new();
    paths.insert(format!("{base}/"), json!({
        "parameters": group_params,
        "get": op("List the hunt groups of a group", None, "200", "HuntGroupList"),
        "post": op("Create a hunt group (defaults from templateName, built in: basic)", Some("HuntGroupInput"), "201", "HuntGroup"),
    }));
    paths.insert(
        format!("{base}/users/available/"),
        json!({
            "parameters": group_params,
            "get": {
                "summary": "Users that may become agents; filters as query parameters or JSON body",
                "parameters": [
                    query("sameGroupOnly", "boolean"),
                    query("sensitiveDepartmentEquals", "string"),
                    query("sensitiveUserGroupEquals", "string"),
                ],
                "requestBody": body("AvailableUsersFilter", false),
                "responses": responses("200", "AvailableUsers"),
            },
        }),
    );
    paths.insert(format!("{base}/{{service_user_id}}/"), json!({
        "parameters": hg_params,
        "get": op("Get a hunt group", None, "200", "HuntGroup"),
        "put": op("Update a hunt group (only the fields given; agents replaces the list; active toggles)", Some("HuntGroupInput"), "200", "HuntGroup"),
        "delete": {
            "summary": "Delete a hunt group",
            "responses": merge_responses(json!({"200": {"description": "deleted", "content": {"application/json": {"schema": {"type": "object"}}}}})),
        },
    }));
    paths.insert(format!("{base}/{{service_user_id}}/weighted_distribution/"), json!({
        "parameters": hg_params,
        "get": op("Get the agents' weights", None, "200", "WeightedDistribution"),
        "put": op("Set the agents' weights (agents not listed get 0)", Some("WeightedDistributionInput"), "200", "WeightedDistribution"),
    }));
    paths.insert("/api/v1/bulk/hunt_groups/".to_owned(), json!({
        "post": {
            "summary": "Create hunt groups in bulk from a CSV sheet (text/csv) or JSON data (an array); one result per row; the token's scope is checked per row",
            "parameters": [query("dry_run", "boolean")],
            "requestBody": {"required": true, "content": {
                "text/csv": {"schema": {"type": "string", "description": "the hunt.group.create sheet (see `ocigw bulk template hunt.group.create`)"}},
                "application/json": {"schema": {"type": "array", "items": {"type": "object"}, "description": "hunt group objects in the programmatic (snake_case) form"}},
            }},
            "responses": responses("200", "BulkResults"),
        },
    }));
    paths.insert("/metrics".to_owned(), json!({
        "get": {
            "summary": "The session pool in the Prometheus text format (no token needed)",
            "security": [],
            "responses": {"200": {"description": "metrics", "content": {"text/plain": {"schema": {"type": "string"}}}}},
        },
    }));
    paths.insert("/health".to_owned(), json!({
        "get": {
            "summary": "Whether the BroadWorks sessions are logged in (no token needed)",
            "security": [],
            "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}},
                "503": {"description": "degraded", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}},
            },
        },
    }));
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "ocigw hunt group API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "APIO-style JSON REST API in front of BroadWorks OCI-P. Paths take an optional trailing slash.",
        },
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    })
}

/// Serves the document.
pub async fn openapi() -> Json<Value> {
    Json(document())
}

fn param(name: &str) -> Value {
    json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}})
}

fn query(name: &str, kind: &str) -> Value {
    json!({"name": name, "in": "query", "required": false, "schema": {"type": kind}})
}

fn body(schema: &str, required: bool) -> Value {
    json!({"required": required, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
}

fn responses(status: &str, schema: &str) -> Value {
    merge_responses(json!({
        status: {"description": "success", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}}
    }))
}

fn merge_responses(mut success: Value) -> Value {
    let error = json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let mut by_status: Map<String, Value> = Map::new();
    for code in ErrorCode::ALL {
        let status = code.status().as_str().to_owned();
        let entry = by_status.entry(status).or_insert_with(|| error.clone());
        let described = entry["description"].as_str().unwrap_or_default();
        let description = if described.is_empty() {
            format!("{}: {}", code.as_str(), code.reason())
        } else {
            format!("{described}; {}: {}", code.as_str(), code.reason())
        };
        entry["description"] = Value::from(description);
    }
    for (status, response) in by_status {
        success[status] = response;
    }
    success
}

fn op(summary: &str, request: Option<&str>, status: &str, schema: &str) -> Value {
    let mut op = json!({"summary": summary, "responses": responses(status, schema)});
    if let Some(request) = request {
        op["requestBody"] = body(request, true);
    }
    op
}
