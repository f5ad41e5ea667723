//! Contract test: every fixture case under fixtures/oci (and fixtures/oci-schema-violations)
//! is sent to a fresh simulator on one connection, and every answer must equal the recorded one
//! (session id and nonce excepted). With OCIGW_BLESS=1 the recorded answers are rewritten from
//! the simulator instead: review the diff before committing.

use std::time::Duration;

use crate::common;
use ocigw::fixture::{load_cases, write_exchange};
use ocigw::replay::run_case;

async fn check_fixture_root(root: &str) -> usize {
    let bless = std::env::var_os("OCIGW_BLESS").is_some();
    let cases = load_cases(&common::crate_path(root)).expect("fixtures load");
    assert!(!cases.is_empty(), "no fixture case under {root}");
    let mut failures = Vec::new();
    let mut exchanges = 0;
    for case in &cases {
        let sim = common::start_sim().await;
        let addr = sim.addr().to_string();
        let outcomes = run_case(&addr, case, "admin", Duration::from_secs(5))
            .await
            .unwrap_or_else(|e| panic!("case {}: {e}", case.name));
        for (outcome, exchange) in outcomes.iter().zip(&case.exchanges) {
            exchanges += 1;
            if bless && !outcome.differences.is_empty() {
                write_exchange(&exchange.path, &exchange.request, &outcome.actual).unwrap();
            } else if !outcome.differences.is_empty() {
                failures.push(format!(
                    "{}:\n  {}\n  actual: {}",
                    outcome.path.display(),
                    outcome.differences.join("\n  "),
                    String::from_utf8_lossy(&outcome.actual)
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
