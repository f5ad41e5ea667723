//! `/metrics` counts what happened, exactly: HTTP requests by route and status, OCI-P commands
//! by type and BroadWorks's error codes, logins, and bulk rows by outcome. A binary of its own:
//! the metrics recorder is process-wide, and other tests would add to the counts.

use std::net::SocketAddr;

/// The integration tests' HTTP client (this test binary uses part of it).
#[path = "integration/http.rs"]
#[allow(dead_code)]
mod http;

use ocigw::api::auth::{Scope, Tokens};
use ocigw::api::server::{Gateway, GatewayOptions};
use ocigw::ocip::{ConnectOptions, Secret};
use ocigw::sim::{DataFile, Directory, SimConfig, SimServer};

const TOKEN: &str = "metrics-token-0001";
const HG: &str = "/api/v1/tenants/ApioSpTest/groups/ApioGrpTest/services/hunt_groups";
const HG_ROUTE: &str = "/api/v1/tenants/{tenant_id}/groups/{group_id}/services/hunt_groups";

/// One request with the token and a body of type `kind` (none when empty): status and body.
async fn call(addr: SocketAddr, method: &str, path: &str, kind: &str, body: &str) -> (u16, String) {
    let body = (!body.is_empty()).then_some(body.as_bytes());
    let r = http::request_with_type(addr, method, path, Some(TOKEN), kind, body).await;
    (r.status, String::from_utf8_lossy(&r.body).into_owned())
}

/// The value of the series `name` whose labels include every one of `labels`.
fn value(metrics: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    metrics
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter(|l| l.starts_with(&format!("{name}{{")) || l.starts_with(&format!("{name} ")))
        .find(|l| {
            labels
                .iter()
                .all(|(k, v)| l.contains(&format!("{k}=\"{v}\"")))
        })
        .and_then(|l| l.rsplit(' ').next()?.parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_metrics_count_what_happened() {
    let directory = Directory::from_data(&DataFile::demo()).unwrap();
    let sim = SimServer::start(SimConfig::new(
        SocketAddr::from(([127, 0, 0, 1], 0)),
        directory,
    ))
    .await
    .unwrap();
    let mut tokens = Tokens::default();
    tokens.add(TOKEN.into(), Scope::System, "metrics");
    let oci = ConnectOptions::new(
        "127.0.0.1",
        sim.addr().port(),
        "admin",
        Secret::new("admin"),
    );
    let options = GatewayOptions {
        pool_size: 2,
        ..GatewayOptions::on_loopback(oci, tokens).unwrap()
    };
    let gateway = Gateway::start(options).await.unwrap();
    let addr = gateway.addr();
    let json = "application/json";
    let body = r#"{"serviceUserId":"metrics.hg","serviceInstanceProfile":{"name":"M"},"agents":["test.user4000@apiotest.example.com"]}"#;

    assert_eq!(call(addr, "GET", &format!("{HG}/"), json, "").await.0, 200);
    assert_eq!(
        call(addr, "POST", &format!("{HG}/"), json, body).await.0,
        201
    );
    assert_eq!(
        call(addr, "POST", &format!("{HG}/"), json, body).await.0,
        409
    );
    assert_eq!(
        call(addr, "GET", &format!("{HG}/nowhere@x/"), json, "")
            .await
            .0,
        404
    );
    let sheet = "operation,serviceProviderId,groupId,serviceUserId,serviceInstanceProfile.name,agentUserId[1]\n\
                 hunt.group.create,ApioSpTest,ApioGrpTest,metrics.bulk,B,test.user4000@apiotest.example.com\n\
                 hunt.group.create,ApioSpTest,ApioGrpTest,metrics.bad,B,nobody@apiotest.example.com\n";
    let (status, _) = call(addr, "POST", "/api/v1/bulk/hunt_groups/", "text/csv", sheet).await;
    assert_eq!(status, 200);

    // Made-up methods (an attacker's, unauthenticated) all count as one label value, `other`.
    for i in 0..200 {
        let method = format!("BREW{i:03}{}", "X".repeat(200));
        let status = http::request(addr, &method, "/health", None, None)
            .await
            .status;
        assert_eq!(status, 405, "{method}");
    }

    let (status, metrics) = call(addr, "GET", "/metrics", json, "").await;
    assert_eq!(status, 200);
    assert!(!metrics.contains("BREW"), "a made-up method became a label");
    assert_eq!(
        value(
            &metrics,
            "ocigw_http_requests_total",
            &[("method", "other")]
        ),
        Some(200.0),
        "{metrics}"
    );
    let route = |suffix: &str| format!("{HG_ROUTE}{suffix}");
    let http = |route: &str, method: &str, status: &str| {
        value(
            &metrics,
            "ocigw_http_requests_total",
            &[("route", route), ("method", method), ("status", status)],
        )
    };
    assert_eq!(http(&route(""), "GET", "200"), Some(1.0));
    assert_eq!(http(&route(""), "POST", "201"), Some(1.0));
    assert_eq!(http(&route(""), "POST", "409"), Some(1.0));
    assert_eq!(http(&route("/{service_user_id}"), "GET", "404"), Some(1.0));
    assert_eq!(
        value(
            &metrics,
            "ocigw_http_request_duration_seconds_count",
            &[("route", &route("")), ("method", "POST")]
        ),
        Some(2.0)
    );
    assert_eq!(
        value(
            &metrics,
            "ocigw_oci_errors_total",
            &[
                ("command", "GroupHuntGroupAddInstanceRequest20"),
                ("code", "4010")
            ]
        ),
        Some(1.0),
        "{metrics}"
    );
    assert_eq!(
        value(
            &metrics,
            "ocigw_bulk_rows_total",
            &[("outcome", "succeeded"), ("dry_run", "false")]
        ),
        Some(1.0)
    );
    assert_eq!(
        value(
            &metrics,
            "ocigw_bulk_rows_total",
            &[("outcome", "failed"), ("dry_run", "false")]
        ),
        Some(1.0)
    );
    assert_eq!(
        value(&metrics, "ocigw_oci_logins_total", &[("result", "ok")]),
        Some(2.0)
    );
    assert_eq!(value(&metrics, "ocigw_oci_pool_size", &[]), Some(2.0));
    assert_eq!(
        value(&metrics, "ocigw_oci_sessions_logged_in", &[]),
        Some(2.0)
    );
    assert!(value(&metrics, "ocigw_oci_queue_wait_seconds_count", &[]).unwrap_or(0.0) >= 5.0);
    assert!(metrics.contains("# TYPE ocigw_oci_command_duration_seconds histogram"));
    gateway.shutdown().await;
}
