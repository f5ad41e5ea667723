//! `/openapi.json`: every endpoint of [`crate::api::routes::endpoints`] (the table the router is
//! built from), with the payload schemas generated from the types ([`crate::api::schemas`]) as
//! components and the error answers from [`ErrorCode`].

use axum::Json;
use serde_json::{json, Map, Value};

use crate::api::error::ErrorCode;
use crate::api::routes::{endpoints, error_payload, Endpoint, Payload};

/// The OpenAPI 3.1 document, with `server` (the address it is served from) as its server.
pub fn document_for(server: Option<&str>) -> Value {
    let mut doc = document();
    if let Some(server) = server {
        doc["servers"] = json!([{"url": server, "description": "this gateway"}]);
    }
    doc
}

/// The OpenAPI 3.1 document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for endpoint in endpoints() {
        let item = paths
            .entry(endpoint.path.clone())
            .or_insert_with(|| path_item(&endpoint.path));
        item[endpoint.method.as_str().to_ascii_lowercase()] = operation(&endpoint);
    }
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
            "schemas": crate::api::schemas::components(),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    })
}

/// Serves the document, naming the address it was asked at (the `Host` header) as its server,
/// so "Try it out" in an API page calls this gateway.
pub async fn openapi(headers: axum::http::HeaderMap) -> Json<Value> {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && !h.contains(['/', ' ', '"']));
    Json(document_for(host.map(|h| format!("http://{h}")).as_deref()))
}

/// A path item with the path's parameters (every `{name}` of it).
fn path_item(path: &str) -> Value {
    let parameters: Vec<Value> = path
        .split('/')
        .filter_map(|part| part.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect();
    if parameters.is_empty() {
        json!({})
    } else {
        json!({ "parameters": parameters })
    }
}

fn operation(e: &Endpoint) -> Value {
    let (status, payload) = &e.response;
    let mut success = response("success", payload);
    if let Some(json) = success["content"].get_mut("application/json") {
        if !e.answer_examples.is_empty() {
            json["examples"] = e
                .answer_examples
                .iter()
                .map(|(name, value)| {
                    let summary = format!("the REST spec's example answer ({name})");
                    (
                        name.to_string(),
                        json!({"summary": summary, "value": value}),
                    )
                })
                .collect();
        }
    }
    let mut responses = json!({ status.to_string(): success });
    if let Some((status, description, payload)) = &e.also {
        responses[status.to_string()] = response(description, payload);
    }
    if !e.public {
        add_errors(&mut responses);
    }
    let mut op = json!({
        "operationId": e.operation_id,
        "summary": e.summary,
        "responses": responses,
    });
    if !e.query.is_empty() {
        op["parameters"] = e
            .query
            .iter()
            .map(|(name, kind)| json!({"name": name, "in": "query", "required": false, "schema": {"type": kind}}))
            .collect();
    }
    if let Some((payload, required)) = &e.request {
        let mut content = content(payload);
        if let (Some(example), Some(json)) = (&e.example, content.get_mut("application/json")) {
            json["examples"] =
                json!({"spec": {"summary": "the REST spec's example", "value": example}});
        }
        op["requestBody"] = json!({"required": required, "content": content});
    }
    if e.public {
        op["security"] = json!([]);
    }
    op
}

fn content(payload: &Payload) -> Value {
    match payload {
        Payload::Json(name) => {
            json!({"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}})
        }
        Payload::Other(content) => content.clone(),
    }
}

fn response(description: &str, payload: &Payload) -> Value {
    json!({"description": description, "content": content(payload)})
}

/// The error answers, one per status, each listing the error codes it carries.
fn add_errors(responses: &mut Value) {
    let mut by_status: Map<String, Value> = Map::new();
    for code in ErrorCode::ALL {
        let status = code.status().as_str().to_owned();
        let entry = by_status
            .entry(status)
            .or_insert_with(|| json!({"content": content(&error_payload())}));
        let described = entry["description"].as_str().unwrap_or_default();
        let description = if described.is_empty() {
            format!("{}: {}", code.as_str(), code.reason())
        } else {
            format!("{described}; {}: {}", code.as_str(), code.reason())
        };
        entry["description"] = Value::from(description);
    }
    for (status, response) in by_status {
        responses[status] = response;
    }
}
