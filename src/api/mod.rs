//! The HTTP front end (axum): the APIO-style hunt group REST API over the OCI-P session pool,
//! `/health` and `/openapi.json`. Nothing here builds or parses XML.

pub mod auth;
pub mod body;
pub mod bulk;
pub mod docs;
pub mod error;
pub mod extract;
pub mod health;
pub mod hunt_groups;
pub mod listener;
pub mod oci_commands;
pub mod oci_scope;
pub mod openapi;
pub mod rate_limit;
pub mod routes;
pub mod schemas;
pub mod server;
pub mod state;
pub mod version;

use axum::http::{HeaderName, Request};
use axum::routing::get;
use axum::Router;
use tower::Layer;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::normalize_path::{NormalizePath, NormalizePathLayer};
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

pub use error::{ApiError, ErrorCode};
pub use state::AppState;

const REQUEST_ID: &str = "x-request-id";

/// The whole HTTP application: the routes, with trailing slashes trimmed before routing (so
/// every path works with and without one) and a panic answered as a 500 in the error shape.
pub fn app(state: AppState) -> NormalizePath<Router> {
    NormalizePathLayer::trim_trailing_slash().layer(router(state))
}

/// What connections beyond `[api] max_connections` get: `/health` as usual (so monitoring
/// still sees the gateway), anything else a 503 telling the client to come back.
pub fn overflow_app(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health::health))
        .fallback(|| async {
            ApiError::new(
                ErrorCode::TooManyConnections,
                "the gateway serves as many connections as it may; try again shortly",
            )
        })
        .with_state(state)
}

/// The endpoints of [`routes::endpoints`], with the error shape for unknown paths, panics
/// answered as 500, request ids and request logs.
fn router(state: AppState) -> Router {
    let router = routes::endpoints()
        .into_iter()
        .fold(Router::new(), |router, endpoint| {
            let path = endpoint.route_path().to_owned();
            router.route(&path, endpoint.handler)
        });
    let cors = cors_layer(&state.cors_origins);
    // The API page is not part of the API the document describes.
    let router = router
        .route("/docs", get(docs::page))
        .route("/docs/{*file}", get(docs::file));
    router
        .fallback(|| async { ApiError::not_found("no such endpoint; see /openapi.json") })
        .with_state(state)
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(axum::middleware::from_fn(record_request))
        .layer(tower::util::option_layer(cors))
        .layer(axum::middleware::from_fn(request_id_scope))
        .layer(PropagateRequestIdLayer::new(HeaderName::from_static(REQUEST_ID)))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let id = request
                .headers()
                .get(REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", request_id = %id, method = %request.method(), path = %request.uri().path())
        }).on_response(DefaultOnResponse::new().level(Level::INFO)))
        .layer(SetRequestIdLayer::new(HeaderName::from_static(REQUEST_ID), RandomRequestId))
        .layer(axum::middleware::from_fn(drop_unsafe_request_id))
}

/// Drops a client's `x-request-id` that is not safe to log and record as it is (see
/// [`crate::ocip::record::is_safe_request_id`]): the request then gets a generated one.
async fn drop_unsafe_request_id(
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let unsafe_id = request.headers().get_all(REQUEST_ID).iter().any(|v| {
        !v.to_str()
            .is_ok_and(crate::ocip::record::is_safe_request_id)
    });
    if unsafe_id {
        request.headers_mut().remove(REQUEST_ID);
    }
    next.run(request).await
}

/// CORS for the configured origins (`[api] cors_origins`): their pages may call every endpoint
/// with a bearer token. `None` (no header at all) when no origin is configured.
fn cors_layer(origins: &[String]) -> Option<tower_http::cors::CorsLayer> {
    use axum::http::{header, HeaderValue, Method};
    let origins: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok())
        .collect();
    if origins.is_empty() {
        return None;
    }
    Some(
        tower_http::cors::CorsLayer::new()
            .allow_origin(origins)
            .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
            .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
            .expose_headers([HeaderName::from_static(REQUEST_ID)])
            .max_age(std::time::Duration::from_secs(600)),
    )
}

/// A handler that panicked: a 500 in the API's error shape (the panic's text goes to the log,
/// never to the client).
fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    let text = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = %text, "a request handler panicked");
    use axum::response::IntoResponse;
    ApiError::new(
        ErrorCode::Internal,
        "the gateway failed on this request; it has been logged",
    )
    .into_response()
}

/// Request ids: 16 random hex digits, unless the client sent `x-request-id`.
#[derive(Clone, Copy)]
struct RandomRequestId;

impl MakeRequestId for RandomRequestId {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        let id = format!("{:016x}", rand::random::<u64>());
        id.parse().ok().map(RequestId::new)
    }
}

/// Records each request in the metrics under its route (the path pattern, so ids do not make
/// new series; unknown paths count as `unmatched`).
async fn record_request(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let started = std::time::Instant::now();
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let response = next.run(request).await;
    crate::telemetry::http_request(
        &route,
        &method,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

/// Makes the request id known to the OCI layer (recordings carry it) for the whole request.
async fn request_id_scope(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    crate::ocip::record::REQUEST_ID
        .scope(id, next.run(request))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_a_500_in_the_error_shape() {
        let response = panic_response(Box::new("boom"));
        assert_eq!(
            response.status(),
            axum::http::StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
