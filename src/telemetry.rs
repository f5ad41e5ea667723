//! The metrics `/metrics` serves (Prometheus text format), recorded through the `metrics` crate:
//! HTTP requests by route and status with their latency, OCI-P commands by type with their
//! latency and BroadWorks's error codes, logins, waits for a free session, and bulk rows by
//! outcome. One named function per measurement, so the names and labels live here only.

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

/// Latency buckets in seconds: loopback microseconds to a slow BroadWorks.
const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process-wide recorder (once); later calls return the same handle. `None` when
/// another recorder was installed first (metrics then go there).
pub fn install() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets(&BUCKETS)
                .ok()?
                .install_recorder()
                .ok()
        })
        .as_ref()
}

/// The metrics in the Prometheus text format, with the pool's gauges as they are now.
pub fn render(sessions_logged_in: usize, pool_size: usize) -> String {
    metrics::gauge!("ocigw_oci_sessions_logged_in").set(sessions_logged_in as f64);
    metrics::gauge!("ocigw_oci_pool_size").set(pool_size as f64);
    install().map(PrometheusHandle::render).unwrap_or_default()
}

/// The methods a `method` label may name; any other is `other`, so a client inventing
/// methods cannot grow the metrics without bound.
pub const METHODS: [&str; 7] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

/// `method` when it is a method of [`METHODS`], else `other`.
pub fn method_label(method: &str) -> &'static str {
    METHODS
        .iter()
        .find(|m| **m == method)
        .copied()
        .unwrap_or("other")
}

/// A BroadWorks error code as a label: the codes [`crate::ocip::refusal`] knows, `none` for an
/// ErrorResponse without a code, else `other` (codes come from the peer: a closed set).
pub fn error_code_label(code: Option<i32>) -> String {
    match code {
        None => "none".to_owned(),
        Some(c) if crate::ocip::refusal::is_known_code(c) => c.to_string(),
        Some(_) => "other".to_owned(),
    }
}

/// One HTTP request: its route (the path pattern), method, status and latency. Every label
/// comes from a closed set: routes are the router's patterns (or `unmatched`), methods those of
/// [`METHODS`] (or `other`), statuses three digits.
pub fn http_request(route: &str, method: &str, status: u16, elapsed: Duration) {
    let method = method_label(method);
    let labels = [
        ("route", route.to_owned()),
        ("method", method.to_owned()),
        ("status", status.to_string()),
    ];
    metrics::counter!("ocigw_http_requests_total", &labels).increment(1);
    metrics::histogram!(
        "ocigw_http_request_duration_seconds",
        "route" => route.to_owned(),
        "method" => method.to_owned()
    )
    .record(elapsed.as_secs_f64());
}

/// One OCI-P command's answer: `refused` holds BroadWorks's code when it refused it (labelled
/// by [`error_code_label`]), `None` when it succeeded.
pub fn oci_command(command: &str, elapsed: Duration, refused: Option<Option<i32>>) {
    metrics::counter!("ocigw_oci_commands_total", "command" => command.to_owned()).increment(1);
    metrics::histogram!(
        "ocigw_oci_command_duration_seconds",
        "command" => command.to_owned()
    )
    .record(elapsed.as_secs_f64());
    if let Some(code) = refused {
        let code = error_code_label(code);
        metrics::counter!(
            "ocigw_oci_errors_total",
            "command" => command.to_owned(),
            "code" => code
        )
        .increment(1);
    }
}

/// A document that got no answer (connection broken, timeout).
pub fn oci_exchange_failed(command: &str) {
    metrics::counter!("ocigw_oci_exchange_failures_total", "command" => command.to_owned())
        .increment(1);
}

/// A login attempt: `ok`, `refused` (by BroadWorks) or `failed` (connection, TLS).
pub fn login(result: &'static str) {
    metrics::counter!("ocigw_oci_logins_total", "result" => result).increment(1);
}

/// How long a call waited for a free session.
pub fn queue_wait(waited: Duration) {
    metrics::histogram!("ocigw_oci_queue_wait_seconds").record(waited.as_secs_f64());
}

/// One bulk row's outcome: `succeeded` or `failed`, and whether it was a dry run.
pub fn bulk_row(succeeded: bool, dry_run: bool) {
    metrics::counter!(
        "ocigw_bulk_rows_total",
        "outcome" => if succeeded { "succeeded" } else { "failed" },
        "dry_run" => if dry_run { "true" } else { "false" }
    )
    .increment(1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_come_from_closed_sets() {
        assert_eq!(method_label("GET"), "GET");
        assert_eq!(method_label("BREW"), "other");
        assert_eq!(method_label(&"X".repeat(4000)), "other");
        assert_eq!(error_code_label(Some(4008)), "4008");
        assert_eq!(error_code_label(Some(123456)), "other");
        assert_eq!(error_code_label(None), "none");
    }
}
