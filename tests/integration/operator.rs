//! What an operator runs: the example configuration, tokens from the environment, the demo
//! directory from an installed binary.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};

use crate::common::{crate_path, run_ocigw, start_sim};
use ocigw::config::Config;
use ocigw::service::settings::HuntGroupSettings;

#[test]
fn the_example_configuration_loads_as_it_is() {
    let config = Config::load(&crate_path("ocigw.example.toml")).expect("the example loads");
    assert_eq!(config.oci.host.as_deref(), Some("bw.lab.example.com"));
    assert_eq!(config.oci.pool_size, Some(4));
    assert_eq!(config.api.bulk_max_rows, Some(100_000));
    let scopes: Vec<(Option<&str>, Option<&str>)> = config
        .api
        .tokens
        .iter()
        .map(|t| (t.tenant.as_deref(), t.group.as_deref()))
        .collect();
    assert_eq!(
        scopes,
        [
            (None, None),
            (Some("ApioSpTest"), None),
            (Some("ApioSpTest"), Some("ApioGrpTest"))
        ]
    );
    assert_eq!(config.templates["sales"]["policy"], "Circular");
    let settings = HuntGroupSettings::from_config(&config).expect("its settings are valid");
    assert_eq!(settings.templates["sales"]["noAnswerNumberOfRings"], 3);
    assert_eq!(
        settings.templates["sales"]["huntAfterNoAnswer"], true,
        "templates apply over basic"
    );
}

#[tokio::test]
async fn the_demo_directory_is_printed_by_the_binary() {
    let out = run_ocigw(&["sim", "--print-demo-data"], None).await;
    assert!(out.status.success());
    let file = std::fs::read(crate_path("fixtures/sim/demo.toml")).unwrap();
    assert_eq!(out.stdout, file);
}

/// `serve --host` with its tokens in OCIGW_API_TOKENS: no config file needed, and each token
/// keeps its scope.
#[tokio::test]
async fn serve_takes_its_tokens_from_the_environment() {
    let sim = start_sim().await;
    let port = sim.addr().port().to_string();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_ocigw"))
        .args([
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--user",
            "admin",
            "--listen",
            "127.0.0.1:0",
        ])
        .env("OCIGW_OCI_PASSWORD", "admin")
        .env(
            "OCIGW_API_TOKENS",
            "env-system-0001, env-group-0001 ApioSpTest ApioGrpTest2",
        )
        .env_remove("OCIGW_API_TOKENS_FILE")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("ocigw serve starts");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let url = tokio::time::timeout(Duration::from_secs(20), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(url) = line.strip_prefix("ocigw gateway listening on http://") {
                return url.trim().to_owned();
            }
        }
        panic!("serve ended without listening");
    })
    .await
    .expect("serve listens");
    let addr = url.parse().unwrap();
    let path = "/api/v1/tenants/ApioSpTest/groups/ApioGrpTest/services/hunt_groups/";
    let system = crate::http::request(addr, "GET", path, Some("env-system-0001"), None).await;
    assert_eq!(system.status, 200);
    let group = crate::http::request(addr, "GET", path, Some("env-group-0001"), None).await;
    assert_eq!(group.status, 403, "a group token outside its group");
    let none = crate::http::request(addr, "GET", path, Some("not-a-token-01"), None).await;
    assert_eq!(none.status, 401);
    child.kill().await.ok();
}

#[tokio::test]
async fn serve_without_any_token_says_where_tokens_go() {
    let sim = start_sim().await;
    let port = sim.addr().port().to_string();
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_ocigw"))
        .args([
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--user",
            "admin",
        ])
        .env("OCIGW_OCI_PASSWORD", "admin")
        .env_remove("OCIGW_API_TOKENS")
        .env_remove("OCIGW_API_TOKENS_FILE")
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("OCIGW_API_TOKENS"), "{stderr}");
}
