//! Contract test: every fixture set under fixtures/oci (and fixtures/oci-schema-violations) runs
//! through the replay code of `ocigw replay` against a fresh simulator, and every answer must
//! equal the recorded one (session id and nonce excepted). With OCIGW_BLESS=1 the answers that
//! differ are rewritten from the simulator instead: review the diff before committing.

use std::time::Duration;

use crate::common;
use ocigw::replay::{self, Outcome, ReplayOptions};

async fn check_fixture_root(root: &str) -> usize {
    let bless = std::env::var_os("OCIGW_BLESS").is_some();
    let sets = replay::load(&common::crate_path(root)).expect("fixtures load");
    assert!(!sets.is_empty(), "no fixture set under {root}");
    let mut failures = Vec::new();
    let mut exchanges = 0;
    for set in &sets {
        let sim = common::start_sim().await;
        let mut connect = common::admin_options(&sim);
        connect.call_timeout = Duration::from_secs(5);
        let options = ReplayOptions {
            connect,
            update: bless,
        };
        let reports = replay::run_set(set, &options)
            .await
            .unwrap_or_else(|e| panic!("set {}: {e}", set.case.name));
        assert_eq!(
            reports.len(),
            set.case.exchanges.len(),
            "set {} stopped early: {reports:?}",
            set.case.name
        );
        for report in reports {
            exchanges += 1;
            if report.outcome != Outcome::Same && !bless {
                failures.push(format!(
                    "{}: {:?}\n  actual: {}",
                    report.file.display(),
                    report.outcome,
                    String::from_utf8_lossy(&report.actual)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "fixture mismatches:\n{}",
        failures.join("\n")
    );
    exchanges
}

#[tokio::test]
async fn simulator_answers_every_fixture_as_recorded() {
    let exchanges = check_fixture_root("fixtures/oci").await;
    assert!(exchanges >= 50, "only {exchanges} exchanges checked");
}

#[tokio::test]
async fn simulator_refuses_schema_violations_as_recorded() {
    let exchanges = check_fixture_root("fixtures/oci-schema-violations").await;
    assert_eq!(exchanges, 9);
}
