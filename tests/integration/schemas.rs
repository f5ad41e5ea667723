//! The JSON Schemas of the REST payloads: generated from the types, the copy in `schemas/rest/`
//! current (`OCIGW_BLESS=1 cargo test schemas` rewrites it), the spec's request and answer
//! examples checked against their schemas, real answers against the output schemas.

use std::path::PathBuf;

use serde_json::{json, Value};

use crate::common::crate_path;
use ocigw::api::schemas::{components, file_text};

/// Validates `value` against component `name`; the instance paths of every error (an unknown
/// or missing property by its own path).
pub fn violations(name: &str, value: &Value) -> Vec<String> {
    let root = json!({
        "$ref": format!("#/components/schemas/{name}"),
        "components": {"schemas": components()},
    });
    let validator = jsonschema::validator_for(&root).expect("the generated schemas compile");
    let mut paths: Vec<String> = validator
        .iter_errors(value)
        .flat_map(|e| match &e.kind {
            // An unknown property is named by its own path, not its object's.
            jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
                unexpected
                    .iter()
                    .map(|name| format!("{}/{name}", e.instance_path))
                    .collect()
            }
            // So is a missing required one.
            jsonschema::error::ValidationErrorKind::Required { property } => {
                vec![format!(
                    "{}/{}",
                    e.instance_path,
                    property.as_str().unwrap_or_default()
                )]
            }
            _ => vec![e.instance_path.to_string()],
        })
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// Fails unless `value` is valid for component `name`, naming every violation.
pub fn assert_valid(name: &str, value: &Value) {
    let found = violations(name, value);
    assert!(found.is_empty(), "{name}: invalid at {found:?}: {value}");
}

#[test]
fn the_schemas_in_the_repo_are_generated_from_the_types() {
    let dir = crate_path("schemas/rest");
    let generated = components();
    if std::env::var_os("OCIGW_BLESS").is_some() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|x| x == "json") {
                std::fs::remove_file(path).unwrap();
            }
        }
        for (name, schema) in &generated {
            std::fs::write(dir.join(format!("{name}.json")), file_text(schema)).unwrap();
        }
    }
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let names: Vec<String> = generated.keys().cloned().collect();
    assert_eq!(
        on_disk, names,
        "schemas/rest/ is stale: run OCIGW_BLESS=1 cargo test schemas"
    );
    for (name, schema) in &generated {
        let path: PathBuf = dir.join(format!("{name}.json"));
        assert!(
            std::fs::read_to_string(&path).unwrap() == file_text(schema),
            "{} is stale: run OCIGW_BLESS=1 cargo test schemas",
            path.display()
        );
    }
}

#[test]
fn the_schemas_carry_the_schema_limits() {
    let c = components();
    let profile = &c["ProfileInput"]["properties"];
    assert_eq!(profile["name"]["maxLength"], 30);
    assert_eq!(profile["alias"]["maxItems"], 3);
    let input = &c["HuntGroupInput"]["properties"];
    assert_eq!(input["noAnswerNumberOfRings"]["maximum"], 20);
    assert_eq!(input["forwardToPhoneNumber"]["maxLength"], 30);
    assert_eq!(input["notReachableForwardToPhoneNumber"]["maxLength"], 161);
    assert_eq!(
        input["policy"]["enum"],
        json!([
            "Circular",
            "Regular",
            "Simultaneous",
            "Uniform",
            "Weighted",
            "Weighted Call Distribution",
            null
        ]),
        "null leaves the policy out (the template's or the current one stays)"
    );
    assert_eq!(c["HuntGroupInput"]["additionalProperties"], false);
}

/// Checks every example of a `fixtures/rest/` directory against the schema it names: exactly
/// the fields it lists as `invalid` or `missing` are refused, and the example as the gateway
/// documents it (`spec_example`: without the first, with the second) is valid. Returns how many
/// it checked.
fn check_spec_examples(dir: &str) -> usize {
    let mut checked = 0;
    for entry in std::fs::read_dir(crate_path(dir)).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let example: Value = serde_json::from_str(&text).unwrap();
        let schema = example["schema"].as_str().unwrap();
        let mut expected: Vec<String> = example["invalid"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_owned())
            .chain(
                example["missing"]
                    .as_object()
                    .into_iter()
                    .flat_map(|m| m.keys().cloned()),
            )
            .collect();
        expected.sort();
        assert_eq!(
            violations(schema, &example["body"]),
            expected,
            "{}",
            path.display()
        );
        let documented = ocigw::api::routes::spec_example(&text).unwrap();
        // Without its placeholder user ids, the spec's weights request has no user id left: the
        // document does not carry it, so it need not be valid.
        if example["schema"] != "WeightedDistributionInput" {
            assert_valid(schema, &documented);
        }
        checked += 1;
    }
    checked
}

#[test]
fn every_request_example_of_the_spec_is_checked_against_its_schema() {
    let checked = check_spec_examples("fixtures/rest/spec-requests");
    assert_eq!(checked, 4, "the spec has four request bodies");
}

#[test]
fn every_answer_example_of_the_spec_is_checked_against_its_schema() {
    let checked = check_spec_examples("fixtures/rest/spec-answers");
    assert_eq!(
        checked, 5,
        "the spec prints five answers: instance, list, available users (twice), weights"
    );
}
