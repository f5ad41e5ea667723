//! Every command of the embedded R25 catalog, both ways: one instance of each request and each
//! response type is generated here, as JSON and as the XML an independent writer (this file, not
//! the encoder) makes of it. The encoder must write exactly that XML from the JSON, and the
//! decoder must read the XML back into the same JSON with no violation. The documents go to
//! <target>/tmp/oci-dump/catalog-*, where `.ci/run` validates them with the official schema.

use std::fmt::Write as _;

use serde_json::{json, Map, Value};

use crate::common::scratch_path;
use ocigw::ocip::document::encode_document;
use ocigw::ocip::xml::{parse, XmlWriter};
use ocigw::schema::decode::decode_command;
use ocigw::schema::encode::encode_command;
use ocigw::schema::headings::key_of;
use ocigw::schema::model::{Builtin, ComplexType, ElementDecl, Particle};
use ocigw::schema::sample::sample_text;
use ocigw::schema::{Catalog, TypeRef};

/// The login family: commands sent before or instead of a session.
fn is_login_family(name: &str) -> bool {
    name.starts_with("AuthenticationRequest")
        || name.starts_with("LoginRequest")
        || name.starts_with("LogoutRequest")
}

/// Depth up to which optional elements are generated too.
const OPTIONAL_DEPTH: usize = 3;

struct Generator<'c> {
    catalog: &'c Catalog,
    headings: &'c [String],
}

impl<'c> Generator<'c> {
    /// A command of type `name` as (JSON, XML).
    fn command(&mut self, name: &str) -> (Value, String) {
        let ty = self.catalog.complex(name).expect("a command type");
        self.headings = &ty.headings;
        let mut obj = Map::new();
        obj.insert("command".into(), json!(name));
        let mut inner = String::new();
        self.content(&ty.content, &mut obj, &mut inner, 0);
        let open = match name {
            "SuccessResponse" => "<command echo=\"\" xsi:type=\"c:SuccessResponse\" xmlns:c=\"C\" xmlns=\"\"".to_owned(),
            "ErrorResponse" => "<command type=\"Error\" echo=\"\" xsi:type=\"c:ErrorResponse\" xmlns:c=\"C\" xmlns=\"\"".to_owned(),
            _ => format!("<command xsi:type=\"{name}\" xmlns=\"\""),
        };
        let xml = element_text(&open, "command", &inner);
        (Value::Object(obj), xml)
    }

    fn content(
        &mut self,
        content: &'c [Particle],
        obj: &mut Map<String, Value>,
        xml: &mut String,
        depth: usize,
    ) {
        for p in content {
            self.particle(p, obj, xml, depth, 1);
        }
    }

    fn particle(
        &mut self,
        p: &'c Particle,
        obj: &mut Map<String, Value>,
        xml: &mut String,
        depth: usize,
        repeat: u32,
    ) {
        match p {
            Particle::Element(e) => {
                if e.min == 0 && depth >= OPTIONAL_DEPTH {
                    return;
                }
                let count = e.min.max(1).min(e.max);
                let many = e.max.saturating_mul(repeat) > 1;
                let mut items = Vec::new();
                for _ in 0..count {
                    items.push(self.value(e, xml, depth));
                }
                let value = if many {
                    Value::Array(items)
                } else {
                    items.remove(0)
                };
                obj.insert(e.name.clone(), value);
            }
            Particle::Sequence(g) => {
                if g.min == 0 && depth >= OPTIONAL_DEPTH {
                    return;
                }
                for item in &g.items {
                    self.particle(item, obj, xml, depth, repeat.saturating_mul(g.max));
                }
            }
            Particle::Choice(g) => {
                if g.min == 0 && depth >= OPTIONAL_DEPTH {
                    return;
                }
                // The first branch that is an element or a group that writes something.
                if let Some(branch) = g.items.first() {
                    self.particle(branch, obj, xml, depth, repeat.saturating_mul(g.max));
                }
            }
        }
    }

    fn value(&mut self, e: &'c ElementDecl, xml: &mut String, depth: usize) -> Value {
        match self.catalog.ty(e.type_id) {
            TypeRef::Simple(st) => {
                let text = match &e.fixed {
                    Some(f) => f.clone(),
                    None => sample_text(st, self.catalog.patterns(e.type_id)),
                };
                if text.is_empty() {
                    write!(xml, "<{}/>", e.name).unwrap();
                } else {
                    write!(xml, "<{0}>{1}</{0}>", e.name, escape(&text)).unwrap();
                }
                match st.base.unwrap_or(Builtin::String) {
                    Builtin::Boolean => Value::Bool(text == "true"),
                    Builtin::Int | Builtin::Long => json!(text.parse::<i64>().unwrap()),
                    Builtin::AnyType => json!({}),
                    _ => Value::String(text),
                }
            }
            TypeRef::Complex(ct) if ct.name == "OCITable" => {
                let headings: Vec<String> = if self.headings.is_empty() {
                    vec!["Name".to_owned()]
                } else {
                    self.headings.to_vec()
                };
                let mut row = Map::new();
                write!(xml, "<{}>", e.name).unwrap();
                for h in &headings {
                    write!(xml, "<colHeading>{}</colHeading>", escape(h)).unwrap();
                }
                xml.push_str("<row>");
                for (i, h) in headings.iter().enumerate() {
                    let cell = format!("v{i}");
                    write!(xml, "<col>{cell}</col>").unwrap();
                    row.insert(key_of(h), Value::String(cell));
                }
                write!(xml, "</row></{}>", e.name).unwrap();
                json!([row])
            }
            TypeRef::Complex(ct) => {
                let (ty, typed): (&ComplexType, bool) = if ct.is_abstract {
                    let first = self.catalog.concrete_types(e.type_id)[0];
                    match self.catalog.ty(first) {
                        TypeRef::Complex(c) => (c, true),
                        TypeRef::Simple(_) => unreachable!(),
                    }
                } else {
                    (ct, false)
                };
                let mut obj = Map::new();
                if typed {
                    obj.insert("xsi:type".into(), json!(ty.name));
                }
                let mut inner = String::new();
                self.content(&ty.content, &mut obj, &mut inner, depth + 1);
                let open = if typed {
                    format!("<{} xsi:type=\"{}\"", e.name, ty.name)
                } else {
                    format!("<{}", e.name)
                };
                xml.push_str(&element_text(&open, &e.name, &inner));
                Value::Object(obj)
            }
        }
    }
}

/// `open>inner</name>`, or `open/>` when there is nothing inside.
fn element_text(open: &str, name: &str, inner: &str) -> String {
    if inner.is_empty() {
        format!("{open}/>")
    } else {
        format!("{open}>{inner}</{name}>")
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Writes the commands 15 to a document (as BroadWorks allows) into `dir`.
fn dump(dir: &str, commands: &[String]) {
    let dir = scratch_path("oci-dump").join(dir);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (i, chunk) in commands.chunks(15).enumerate() {
        let document = encode_document("catalog-session", |w| {
            for c in chunk {
                w.raw(c);
            }
        });
        std::fs::write(dir.join(format!("{i:04}.xml")), document).unwrap();
    }
}

/// Generates every type of `names`, checks encode and decode, and returns the XML.
fn both_ways(catalog: &Catalog, names: &[&str]) -> Vec<String> {
    let mut generator = Generator {
        catalog,
        headings: &[],
    };
    let mut failures = Vec::new();
    let mut documents = Vec::new();
    for name in names {
        let (value, expected) = generator.command(name);
        let mut w = XmlWriter::default();
        match encode_command(catalog, &value, &mut w) {
            Ok(()) => {
                let written = String::from_utf8(w.into_bytes()).unwrap();
                if written != expected {
                    failures.push(format!(
                        "{name}: encoded\n  {written}\nexpected\n  {expected}"
                    ));
                    continue;
                }
            }
            Err(violations) => {
                failures.push(format!("{name}: refused: {violations:?}"));
                continue;
            }
        }
        let wrapped =
            format!("<r xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">{expected}</r>");
        let root = parse(&wrapped).unwrap();
        let decoded = decode_command(catalog, &root.children[0]);
        if !decoded.violations.is_empty() || decoded.value != value {
            failures.push(format!(
                "{name}: decoded {} with {:?}, expected {value}",
                decoded.value, decoded.violations
            ));
            continue;
        }
        documents.push(expected);
    }
    assert!(
        failures.is_empty(),
        "{} of {} failed, the first: {}",
        failures.len(),
        names.len(),
        failures
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    documents
}

#[test]
fn every_request_encodes_to_the_independent_xml_and_decodes_back() {
    let catalog = Catalog::embedded();
    let names: Vec<&str> = catalog
        .commands()
        .iter()
        .map(|c| c.request.as_str())
        .filter(|n| !is_login_family(n))
        .collect();
    assert_eq!(catalog.release(), "R25");
    assert_eq!(catalog.commands().len(), 3989);
    let documents = both_ways(&catalog, &names);
    assert_eq!(documents.len(), names.len());
    dump("catalog-requests", &documents);
}

#[test]
fn every_response_decodes_to_json_and_encodes_back() {
    let catalog = Catalog::embedded();
    let mut names: Vec<&str> = catalog
        .commands()
        .iter()
        .flat_map(|c| c.responses.iter().map(String::as_str))
        .collect();
    names.push("ErrorResponse");
    names.sort_unstable();
    names.dedup();
    let documents = both_ways(&catalog, &names);
    assert_eq!(documents.len(), names.len());
    dump("catalog-responses", &documents);
}

#[test]
fn the_generated_openapi_schemas_accept_every_sampled_instance() {
    let catalog = Catalog::embedded();
    let document = ocigw::schema::openapi::document(&catalog);
    assert_eq!(document["paths"].as_object().unwrap().len(), 3989);
    let components = document["components"].clone();
    let mut generator = Generator {
        catalog: &catalog,
        headings: &[],
    };
    let mut sampled: Vec<&str> = catalog
        .commands()
        .iter()
        .step_by(97)
        .map(|c| c.request.as_str())
        .collect();
    sampled.push("GroupHuntGroupAddInstanceRequest20");
    sampled.push("GroupHuntGroupGetInstanceResponse20");
    for name in sampled {
        let (instance, _) = generator.command(name);
        let schema =
            json!({"$ref": format!("#/components/schemas/{name}"), "components": components});
        let validator = jsonschema::validator_for(&schema).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}\n{instance}");
        let mut wrong = instance.clone();
        wrong["notAnElement"] = json!(1);
        assert!(!validator.is_valid(&wrong), "{name} accepts an unknown key");
    }
}

/// Every `.xml` file under `dir`, sorted.
fn xml_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            xml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "xml") {
            out.push(path);
        }
    }
    out.sort();
}

/// The typed hunt group commands checked element by element against the catalog: every
/// document they wrote or read in the fixtures (recorded exchanges of every typed command, as
/// client and as simulator) reads through the catalog with no violation and comes back as the
/// same XML from its JSON.
#[test]
fn every_fixture_document_agrees_with_the_catalog() {
    let catalog = Catalog::embedded();
    let mut files = Vec::new();
    for dir in ["fixtures/oci", "fixtures/replay", "fixtures/answers"] {
        xml_files(&crate::common::crate_path(dir), &mut files);
    }
    let mut commands = 0;
    let mut types = std::collections::BTreeSet::new();
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        for document in ocigw::fixture::split_documents(&bytes).unwrap() {
            let text = ocigw::ocip::xml::charset::decode_document(&document).unwrap();
            if text.contains("{{") {
                continue; // a template of the replay (its values are filled in at run time)
            }
            let parsed = ocigw::ocip::document::ParsedDocument::parse(&text).unwrap();
            for command in parsed.commands() {
                let decoded = decode_command(&catalog, command);
                assert!(
                    decoded.violations.is_empty(),
                    "{}: {:?}",
                    file.display(),
                    decoded.violations
                );
                let mut w = XmlWriter::default();
                encode_command(&catalog, &decoded.value, &mut w).unwrap();
                // ISO-8859-1: each byte is the code point of its character.
                let again: String = w.into_bytes().into_iter().map(char::from).collect();
                let wrapped = format!(
                    "<r xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">{again}</r>"
                );
                let root = parse(&wrapped).unwrap();
                assert_eq!(
                    decode_command(&catalog, &root.children[0]).value,
                    decoded.value
                );
                types.insert(decoded.value["command"].as_str().unwrap().to_owned());
                commands += 1;
            }
        }
    }
    assert!(commands > 100, "{commands}");
    assert!(
        types.contains("GroupHuntGroupAddInstanceRequest20"),
        "{types:?}"
    );
    assert!(
        types.contains("GroupHuntGroupGetInstanceResponse20"),
        "{types:?}"
    );
}
