//! Every endpoint of the HTTP API, declared once: method, path (as the REST spec writes it,
//! with its trailing slash), what it does, its payload types and its handler. The router
//! ([`crate::api::app`]) and `/openapi.json` ([`crate::api::openapi`]) are both built from
//! [`endpoints`], so the document cannot list an endpoint the gateway does not serve, nor miss
//! one it does.

use std::borrow::Cow;

use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{on, MethodFilter, MethodRouter};
use schemars::JsonSchema;

use crate::api::error::ErrorBody;
use crate::api::health::HealthJson;
use crate::api::state::AppState;
use crate::api::{bulk, health, hunt_groups, oci_commands, openapi};
use crate::bulk::run::BulkResults;
use crate::translate::json::*;

/// The hunt group endpoints' common path.
pub const HUNT_GROUPS: &str = "/api/v1/tenants/{tenant_id}/groups/{group_id}/services/hunt_groups";

/// What an endpoint takes or gives.
#[derive(Debug, Clone)]
pub enum Payload {
    /// JSON of a generated schema (`#/components/schemas/NAME`).
    Json(Cow<'static, str>),
    /// Anything else, described in words by its media types and schemas (OpenAPI JSON).
    Other(serde_json::Value),
}

/// The JSON payload of type `T`, named as its schema component.
pub fn json<T: JsonSchema>() -> Payload {
    Payload::Json(T::schema_name())
}

/// One endpoint of the API.
pub struct Endpoint {
    /// HTTP method.
    pub method: Method,
    /// Path as the REST spec writes it (`{name}` for path parameters); served with and without
    /// the trailing slash.
    pub path: String,
    /// A stable name for clients and generated code (OpenAPI `operationId`).
    pub operation_id: &'static str,
    /// What it does.
    pub summary: &'static str,
    /// The request body, if it takes one, and whether it must be given.
    pub request: Option<(Payload, bool)>,
    /// The REST spec's example request body, when it has one (`fixtures/rest/spec-requests/`).
    pub example: Option<serde_json::Value>,
    /// The REST spec's example answers (`fixtures/rest/spec-answers/`), each under a name
    /// saying what it answers.
    pub answer_examples: Vec<(&'static str, serde_json::Value)>,
    /// Query parameters: name and JSON type.
    pub query: &'static [(&'static str, &'static str)],
    /// Success status and answer.
    pub response: (u16, Payload),
    /// Another answer than the errors of [`crate::api::ErrorCode`]: status, description, payload.
    pub also: Option<(u16, &'static str, Payload)>,
    /// Whether it is served without a token.
    pub public: bool,
    /// The handler.
    pub handler: MethodRouter<AppState>,
}

impl Endpoint {
    fn new<H, T>(
        method: Method,
        path: impl Into<String>,
        operation_id: &'static str,
        summary: &'static str,
        response: (u16, Payload),
        handler: H,
    ) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        // Every method used below has a filter; GET is the fallback only for the impossible case.
        let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
        Self {
            method,
            path: path.into(),
            operation_id,
            summary,
            request: None,
            example: None,
            answer_examples: Vec::new(),
            query: &[],
            response,
            also: None,
            public: false,
            handler: on(filter, handler),
        }
    }

    fn body(mut self, payload: Payload, required: bool) -> Self {
        self.request = Some((payload, required));
        self
    }

    /// The spec's example request body, from a `fixtures/rest/spec-requests/` file.
    fn example(mut self, fixture: &str) -> Self {
        self.example = spec_example(fixture);
        self
    }

    /// One of the spec's example answers, from a `fixtures/rest/spec-answers/` file.
    fn answer_example(mut self, name: &'static str, fixture: &str) -> Self {
        self.answer_examples
            .extend(spec_example(fixture).map(|body| (name, body)));
        self
    }

    fn query(mut self, query: &'static [(&'static str, &'static str)]) -> Self {
        self.query = query;
        self
    }

    fn also(mut self, status: u16, description: &'static str, payload: Payload) -> Self {
        self.also = Some((status, description, payload));
        self
    }

    fn public(mut self) -> Self {
        self.public = true;
        self
    }

    /// The path the router serves (the trailing slash is trimmed before routing).
    pub fn route_path(&self) -> &str {
        match self.path.trim_end_matches('/') {
            "" => "/",
            trimmed => trimmed,
        }
    }
}

/// Every endpoint, in the order the document lists them.
pub fn endpoints() -> Vec<Endpoint> {
    let hg = |suffix: &str| format!("{HUNT_GROUPS}{suffix}");
    vec![
        Endpoint::new(
            Method::GET,
            hg("/"),
            "listHuntGroups",
            "List the hunt groups of a group",
            (200, json::<HuntGroupListJson>()),
            hunt_groups::list,
        )
        .answer_example("spec", include_str!("../../fixtures/rest/spec-answers/list.json")),
        Endpoint::new(
            Method::POST,
            hg("/"),
            "createHuntGroup",
            "Create a hunt group (defaults from templateName, built in: basic)",
            (201, json::<HuntGroupJson>()),
            hunt_groups::create,
        )
        .body(json::<HuntGroupInput>(), true)
        .example(include_str!("../../fixtures/rest/spec-requests/create.json"))
        .answer_example("spec", include_str!("../../fixtures/rest/spec-answers/get.json")),
        Endpoint::new(
            Method::GET,
            hg("/users/available/"),
            "listAvailableUsers",
            "Users that may become agents; filters as query parameters or JSON body",
            (200, json::<AvailableUsersJson>()),
            hunt_groups::available,
        )
        .query(&[
            ("sameGroupOnly", "boolean"),
            ("sensitiveDepartmentEquals", "string"),
            ("sensitiveUserGroupEquals", "string"),
        ])
        .body(json::<AvailableUsersFilter>(), false)
        .example(include_str!(
            "../../fixtures/rest/spec-requests/available-same-group.json"
        ))
        .answer_example("spec", include_str!("../../fixtures/rest/spec-answers/available.json"))
        .answer_example(
            "spec, sameGroupOnly",
            include_str!("../../fixtures/rest/spec-answers/available-same-group.json"),
        ),
        Endpoint::new(
            Method::GET,
            hg("/{service_user_id}/"),
            "getHuntGroup",
            "Get a hunt group",
            (200, json::<HuntGroupJson>()),
            hunt_groups::get,
        )
        .answer_example("spec", include_str!("../../fixtures/rest/spec-answers/get.json")),
        Endpoint::new(
            Method::PUT,
            hg("/{service_user_id}/"),
            "updateHuntGroup",
            "Update a hunt group (only the fields given; agents replaces the list; active toggles)",
            (200, json::<HuntGroupJson>()),
            hunt_groups::update,
        )
        .body(json::<HuntGroupInput>(), true)
        .example(include_str!("../../fixtures/rest/spec-requests/update.json"))
        .answer_example("spec", include_str!("../../fixtures/rest/spec-answers/get.json")),
        Endpoint::new(
            Method::DELETE,
            hg("/{service_user_id}/"),
            "deleteHuntGroup",
            "Delete a hunt group",
            (
                200,
                Payload::Other(
                    serde_json::json!({"application/json": {"schema": {"type": "object"}}}),
                ),
            ),
            hunt_groups::delete,
        ),
        Endpoint::new(
            Method::GET,
            hg("/{service_user_id}/weighted_distribution/"),
            "getWeights",
            "Get the agents' weights",
            (200, json::<WeightedDistributionJson>()),
            hunt_groups::get_weights,
        )
        .answer_example("spec", include_str!("../../fixtures/rest/spec-answers/weighted-distribution.json")),
        Endpoint::new(
            Method::PUT,
            hg("/{service_user_id}/weighted_distribution/"),
            "setWeights",
            "Set the agents' weights (agents not listed get 0)",
            (200, json::<WeightedDistributionJson>()),
            hunt_groups::put_weights,
        )
        .body(json::<WeightedDistributionInput>(), true)
        .answer_example("spec", include_str!("../../fixtures/rest/spec-answers/weighted-distribution.json")),
        Endpoint::new(
            Method::POST,
            "/api/v1/bulk/hunt_groups/",
            "bulkCreateHuntGroups",
            "Create hunt groups in bulk from a CSV sheet (text/csv) or JSON data (an array); one result per row; the token's scope is checked per row",
            (200, json::<BulkResults>()),
            bulk::create,
        )
        .query(&[("dry_run", "boolean")])
        .body(
            Payload::Other(serde_json::json!({
                "text/csv": {"schema": {"type": "string", "description": "the hunt.group.create sheet (see `ocigw bulk template hunt.group.create`)"}},
                "application/json": {"schema": {"type": "array", "items": {"type": "object"}, "description": "hunt group objects in the programmatic (snake_case) form"}},
            })),
            true,
        ),
        Endpoint::new(
            Method::POST,
            "/api/v1/oci/commands/",
            "sendOciCommands",
            "Send any command of the loaded OCI schema as JSON: one, or an array of at most 15 sent as one OCI-P document; every command is checked against the schema first (400 naming each violation, nothing sent) and against the token's scope (403); the answers come back as JSON in order (see /openapi/oci.json for every command's shape)",
            (
                200,
                Payload::Other(serde_json::json!({"application/json": {"schema": {"type": "array", "items": {"type": "object", "required": ["command"], "properties": {"command": {"type": "string"}}}}}})),
            ),
            oci_commands::call,
        )
        .body(
            Payload::Other(serde_json::json!({
                "application/json": {"schema": {"oneOf": [
                    {"type": "object", "required": ["command"], "properties": {"command": {"type": "string"}}},
                    {"type": "array", "maxItems": 15, "items": {"type": "object", "required": ["command"], "properties": {"command": {"type": "string"}}}}
                ]}},
            })),
            true,
        ),
        Endpoint::new(
            Method::POST,
            "/api/v1/oci/commands/{command}/",
            "sendOciCommand",
            "Send one command of the loaded OCI schema, named by the path, with its elements as the JSON body (the `command` key may be left out); 200 with its answer; every command's own operation is in /openapi/oci.json",
            (
                200,
                Payload::Other(serde_json::json!({"application/json": {"schema": {"type": "object", "required": ["command"], "properties": {"command": {"type": "string"}}}}})),
            ),
            oci_commands::call_one,
        )
        .body(
            Payload::Other(serde_json::json!({"application/json": {"schema": {"type": "object"}}})),
            true,
        ),
        Endpoint::new(
            Method::GET,
            "/openapi/oci.json",
            "ociOpenapi",
            "The OpenAPI document of every command of the loaded OCI schema (one operation per command), generated from the catalog",
            (
                200,
                Payload::Other(serde_json::json!({"application/json": {"schema": {"type": "object"}}})),
            ),
            oci_commands::openapi,
        )
        .public(),
        Endpoint::new(
            Method::GET,
            "/health",
            "health",
            "Whether the BroadWorks sessions are logged in (503 when degraded)",
            (200, json::<HealthJson>()),
            health::health,
        )
        .also(503, "degraded", json::<HealthJson>())
        .public(),
        Endpoint::new(
            Method::GET,
            "/metrics",
            "metrics",
            "Prometheus metrics: HTTP requests and latencies, OCI commands, latencies and BroadWorks error codes, sessions, logins, queue waits, bulk rows",
            (
                200,
                Payload::Other(serde_json::json!({"text/plain": {"schema": {"type": "string"}}})),
            ),
            health::metrics,
        )
        .public(),
        Endpoint::new(
            Method::GET,
            "/openapi.json",
            "openapi",
            "This document",
            (
                200,
                Payload::Other(serde_json::json!({"application/json": {"schema": {"type": "object"}}})),
            ),
            openapi::openapi,
        )
        .public(),
    ]
}

/// The `body` of a spec example fixture (`fixtures/rest/spec-*/`) as the gateway takes or gives
/// it: without the fields listed as `invalid` (the spec's own mistakes, refused by the gateway),
/// with the fields under `missing` (pointer to value: what the gateway always answers and the
/// spec's example leaves out).
pub fn spec_example(fixture: &str) -> Option<serde_json::Value> {
    let mut file = serde_json::from_str::<serde_json::Value>(fixture).ok()?;
    let mut body = file["body"].take();
    for pointer in file["invalid"].as_array().into_iter().flatten() {
        if let Some((parent, key)) = pointer.as_str().and_then(|p| p.rsplit_once('/')) {
            if let Some(object) = body.pointer_mut(parent).and_then(|p| p.as_object_mut()) {
                object.remove(key);
            }
        }
    }
    for (pointer, value) in file["missing"].as_object().into_iter().flatten() {
        if let Some((parent, key)) = pointer.rsplit_once('/') {
            if let Some(object) = body.pointer_mut(parent).and_then(|p| p.as_object_mut()) {
                object.insert(key.to_owned(), value.clone());
            }
        }
    }
    Some(body)
}

/// The payload of every error answer.
pub fn error_payload() -> Payload {
    json::<ErrorBody>()
}
