//! The JSON Schemas of the REST payloads, generated from the very types the handlers take and
//! return (schemars, with the schema's limits taken from `ocip::commands::limits`), so the
//! document cannot drift from the code. `/openapi.json` carries them as components;
//! `schemas/rest/` holds a copy for readers, written by `OCIGW_BLESS=1 cargo test schemas` and
//! checked by a test that fails when it is stale.

use schemars::generate::SchemaSettings;
use schemars::JsonSchema;
use serde_json::{Map, Value};

use crate::api::error::ErrorBody;
use crate::api::health::HealthJson;
use crate::bulk::run::BulkResults;
use crate::translate::json::*;

/// Every payload schema, by component name (`#/components/schemas/NAME`).
pub fn components() -> Map<String, Value> {
    let mut settings = SchemaSettings::draft2020_12();
    settings.definitions_path = "/components/schemas".into();
    settings.meta_schema = None;
    let mut generator = settings.into_generator();
    fn root<T: JsonSchema>(generator: &mut schemars::SchemaGenerator) {
        generator.subschema_for::<T>();
    }
    root::<HuntGroupInput>(&mut generator);
    root::<HuntGroupJson>(&mut generator);
    root::<HuntGroupListJson>(&mut generator);
    root::<AvailableUsersFilter>(&mut generator);
    root::<AvailableUsersJson>(&mut generator);
    root::<WeightedDistributionInput>(&mut generator);
    root::<WeightedDistributionJson>(&mut generator);
    root::<BulkResults>(&mut generator);
    root::<HealthJson>(&mut generator);
    root::<ErrorBody>(&mut generator);
    let mut components = generator.take_definitions(true);
    components.sort_keys();
    components
}

/// The text of `schemas/rest/NAME.json` for a component: pretty JSON and a final newline.
pub fn file_text(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}
