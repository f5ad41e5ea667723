//! The OpenAPI document of every command of a catalog (`/openapi/oci.json`): one operation per
//! request type (`POST /api/v1/oci/commands/{command}`), its request and answer schemas, and a
//! JSON Schema component for every type, all generated from the catalog.

use serde_json::{json, Map, Value};

use crate::schema::catalog::{Catalog, TypeRef};
use crate::schema::encode::{COMMAND_KEY, XSI_TYPE_KEY};
use crate::schema::headings::key_of;
use crate::schema::model::{Builtin, ComplexType, ElementDecl, Particle, SimpleType, UNBOUNDED};

/// The path of one command's operation.
pub const COMMAND_PATH: &str = "/api/v1/oci/commands/";

/// The OpenAPI 3.1 document of `catalog`'s commands.
pub fn document(catalog: &Catalog) -> Value {
    let mut schemas = Map::new();
    for c in &catalog.data().complex {
        if c.name != "OCITable" && c.name != "OCITableRow" {
            schemas.insert(component_name(&c.name), complex_schema(catalog, c));
        }
    }
    for s in &catalog.data().simple {
        if !s.name.starts_with("xs:") {
            schemas.insert(component_name(&s.name), simple_schema(s));
        }
    }
    let error_ref = json!({"$ref": "#/components/schemas/ErrorResponse"});
    let mut paths = Map::new();
    for command in catalog.commands() {
        let answers: Vec<Value> = command
            .responses
            .iter()
            .map(|r| json!({"$ref": format!("#/components/schemas/{}", component_name(r))}))
            .chain(std::iter::once(error_ref.clone()))
            .collect();
        let operation = json!({
            "operationId": command.request,
            "summary": format!("{} → {}", command.request, command.responses.join(" or ")),
            "tags": [tag_of(&command.request)],
            "requestBody": {
                "required": true,
                "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{}", component_name(&command.request))}}},
            },
            "responses": {
                "200": {"description": "BroadWorks's answer (an ErrorResponse when it refused)", "content": {"application/json": {"schema": {"oneOf": answers}}}},
                "400": {"description": "the command breaks the schema (every violation named; nothing sent)"},
                "403": {"description": "the command is outside the token's scope"},
            },
        });
        paths.insert(
            format!("{COMMAND_PATH}{}", command.request),
            json!({"post": operation}),
        );
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": format!("ocigw OCI-P commands ({})", catalog.release()),
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Every command of the loaded BroadWorks OCI schema as JSON: elements spelled as in the schema, an element that may repeat is an array, a complex element an object (\"xsi:type\" names the concrete type of an abstract one), null is xsi:nil, booleans and integers are JSON ones, every other value a string; a table is an array of rows keyed by its headings in lowerCamelCase. POST /api/v1/oci/commands takes one command or an array of at most 15.",
        },
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    })
}

/// A command's family for grouping in the page: `Group`, `User`, `System`, …
fn tag_of(request: &str) -> String {
    let end = request[1..]
        .find(|c: char| c.is_ascii_uppercase())
        .map_or(request.len(), |i| i + 1);
    request[..end].to_owned()
}

/// A component name OpenAPI accepts (anonymous types hold a dot, which it allows).
fn component_name(name: &str) -> String {
    name.replace(
        |c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')),
        "_",
    )
}

/// The JSON Schema of a simple type (facets as JSON Schema keywords).
pub fn simple_schema(st: &SimpleType) -> Value {
    let base = st.base.unwrap_or(Builtin::String);
    let mut s = Map::new();
    match base {
        Builtin::Boolean => {
            s.insert("type".into(), json!("boolean"));
        }
        Builtin::Int | Builtin::Long => {
            s.insert("type".into(), json!("integer"));
            let bound = |b: &Option<String>| b.as_deref().and_then(|v| v.parse::<i64>().ok());
            if let Some(min) = bound(&st.min_inclusive) {
                s.insert("minimum".into(), json!(min));
            }
            if let Some(max) = bound(&st.max_inclusive) {
                s.insert("maximum".into(), json!(max));
            }
        }
        Builtin::AnyType => {
            s.insert("type".into(), json!("object"));
            s.insert("maxProperties".into(), json!(0));
        }
        _ => {
            s.insert("type".into(), json!("string"));
            if let Some(n) = st.length {
                s.insert("minLength".into(), json!(n));
                s.insert("maxLength".into(), json!(n));
            }
            if let Some(n) = st.min_length {
                s.insert("minLength".into(), json!(n));
            }
            if let Some(n) = st.max_length {
                s.insert("maxLength".into(), json!(n));
            }
            if !st.enumeration.is_empty() {
                s.insert("enum".into(), json!(st.enumeration));
            }
            if let [one] = st.pattern.as_slice() {
                s.insert("pattern".into(), json!(format!("^(?:{one})$")));
            }
            let format = match base {
                Builtin::Date => Some("date"),
                Builtin::DateTime => Some("date-time"),
                _ => None,
            };
            if let Some(f) = format {
                s.insert("format".into(), json!(f));
            }
        }
    }
    Value::Object(s)
}

/// The JSON Schema of a complex type (a command's includes its `command` key).
pub fn complex_schema(catalog: &Catalog, ct: &ComplexType) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    if catalog.derives_from(&ct.name, "OCICommand") {
        properties.insert(COMMAND_KEY.into(), json!({"const": ct.name}));
        required.push(json!(COMMAND_KEY));
    }
    if !ct.is_abstract && ct.base.is_some() {
        properties.insert(XSI_TYPE_KEY.into(), json!({"const": ct.name}));
    }
    for p in &ct.content {
        particle(catalog, ct, p, true, 1, &mut properties, &mut required);
    }
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

fn particle(
    catalog: &Catalog,
    owner: &ComplexType,
    p: &Particle,
    required_context: bool,
    repeat: u32,
    properties: &mut Map<String, Value>,
    required: &mut Vec<Value>,
) {
    match p {
        Particle::Element(e) => {
            let schema = element_schema(catalog, owner, e, repeat);
            properties.insert(e.name.clone(), schema);
            if required_context && e.min > 0 && !required.contains(&json!(e.name)) {
                required.push(json!(e.name));
            }
        }
        Particle::Sequence(g) => {
            for item in &g.items {
                let inner = required_context && g.min > 0;
                particle(
                    catalog,
                    owner,
                    item,
                    inner,
                    repeat.saturating_mul(g.max),
                    properties,
                    required,
                );
            }
        }
        Particle::Choice(g) => {
            for item in &g.items {
                particle(
                    catalog,
                    owner,
                    item,
                    false,
                    repeat.saturating_mul(g.max),
                    properties,
                    required,
                );
            }
        }
    }
}

fn element_schema(catalog: &Catalog, owner: &ComplexType, e: &ElementDecl, repeat: u32) -> Value {
    let mut one = match catalog.ty(e.type_id) {
        TypeRef::Simple(st) if st.name.starts_with("xs:") => simple_schema(st),
        TypeRef::Simple(st) => reference(&st.name),
        TypeRef::Complex(ct) if ct.name == "OCITable" => {
            let columns: Map<String, Value> = owner
                .headings
                .iter()
                .map(|h| (key_of(h), json!({"type": "string", "description": h})))
                .collect();
            json!({"type": "array", "items": {"type": "object", "properties": columns, "additionalProperties": {"type": "string"}}})
        }
        TypeRef::Complex(ct) if ct.is_abstract => {
            let variants: Vec<Value> = catalog
                .concrete_names(e.type_id)
                .map(|name| json!({"allOf": [reference(name)], "required": [XSI_TYPE_KEY]}))
                .collect();
            json!({"oneOf": variants})
        }
        TypeRef::Complex(ct) => reference(&ct.name),
    };
    if let Some(fixed) = &e.fixed {
        one = json!({"allOf": [one], "const": fixed_value(catalog, e, fixed)});
    }
    if e.nillable {
        one = json!({"anyOf": [one, {"type": "null"}]});
    }
    let max = e.max.saturating_mul(repeat);
    if max > 1 {
        let mut array = json!({"type": "array", "items": one, "minItems": e.min});
        if max != UNBOUNDED {
            array["maxItems"] = json!(max);
        }
        return array;
    }
    one
}

fn fixed_value(catalog: &Catalog, e: &ElementDecl, fixed: &str) -> Value {
    match catalog.ty(e.type_id) {
        TypeRef::Simple(st) if st.base == Some(Builtin::Boolean) => json!(fixed == "true"),
        _ => json!(fixed),
    }
}

fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{}", component_name(name))})
}
