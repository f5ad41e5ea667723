//! `ocigw oci describe`: the JSON shape of a command and of its answers, with every type and
//! limit, as a person reads it.

use std::fmt::Write as _;

use crate::schema::catalog::{Catalog, TypeRef};
use crate::schema::headings::key_of;
use crate::schema::model::{Builtin, ComplexType, ElementDecl, Particle, SimpleType, UNBOUNDED};

/// The shape of `name` (a request, or any complex type such as a response or a concrete
/// subtype) and, for a request, of each of its answers.
pub fn describe(catalog: &Catalog, name: &str) -> Result<String, String> {
    let ty = catalog.complex(name).ok_or_else(|| {
        let lower = name.to_ascii_lowercase();
        let near: Vec<&str> = catalog
            .commands()
            .iter()
            .map(|c| c.request.as_str())
            .filter(|r| r.to_ascii_lowercase().contains(&lower))
            .take(10)
            .collect();
        match near.is_empty() {
            true => format!("'{name}' is not a command or type of {}", catalog.release()),
            false => format!(
                "'{name}' is not a command or type of {}; commands whose name contains it: {}",
                catalog.release(),
                near.join(", ")
            ),
        }
    })?;
    let mut out = String::new();
    let mut writer = Describer {
        catalog,
        out: &mut out,
        stack: Vec::new(),
        headings: &[],
    };
    match catalog.command(name) {
        Some(command) => {
            let _ = writeln!(
                writer.out,
                "{name} ({}): answered by {}, or ErrorResponse",
                catalog.release(),
                command.responses.join(" or ")
            );
            writer.command(ty);
            for response in &command.responses {
                if let Some(r) = catalog.complex(response) {
                    writer.out.push('\n');
                    writer.command(r);
                }
            }
        }
        None => writer.command(ty),
    }
    Ok(out)
}

struct Describer<'c, 'o> {
    catalog: &'c Catalog,
    out: &'o mut String,
    stack: Vec<&'c str>,
    headings: &'c [String],
}

impl<'c> Describer<'c, '_> {
    fn command(&mut self, ty: &'c ComplexType) {
        self.headings = &ty.headings;
        let _ = writeln!(self.out, "{{\n  \"command\": \"{}\"", ty.name);
        self.stack.push(&ty.name);
        self.content(&ty.content, 1);
        self.stack.pop();
        self.out.push_str("}\n");
    }

    fn content(&mut self, content: &'c [Particle], depth: usize) {
        for p in content {
            self.particle(p, depth, "");
        }
    }

    fn particle(&mut self, p: &'c Particle, depth: usize, mark: &str) {
        let indent = "  ".repeat(depth);
        match p {
            Particle::Element(e) => self.element(e, depth, mark),
            Particle::Choice(g) => {
                let _ = writeln!(
                    self.out,
                    "{indent}{mark}one of{}:",
                    occurs_note(g.min, g.max)
                );
                for branch in &g.items {
                    self.particle(branch, depth + 1, "| ");
                }
            }
            Particle::Sequence(g) => {
                let _ = writeln!(
                    self.out,
                    "{indent}{mark}together{}:",
                    occurs_note(g.min, g.max)
                );
                for item in &g.items {
                    self.particle(item, depth + 1, "");
                }
            }
        }
    }

    fn element(&mut self, e: &'c ElementDecl, depth: usize, mark: &str) {
        let indent = "  ".repeat(depth);
        let occurs = match (e.min, e.max) {
            (1, 1) => "required".to_owned(),
            (0, 1) => "optional".to_owned(),
            (min, max) => format!("array of {min}..{}", bound(max)),
        };
        let nil = if e.nillable { ", null clears it" } else { "" };
        let fixed = e
            .fixed
            .as_ref()
            .map(|f| format!(", always {f}"))
            .unwrap_or_default();
        let head = format!("{indent}{mark}\"{}\": ", e.name);
        match self.catalog.ty(e.type_id) {
            TypeRef::Simple(st) => {
                let patterns = self.catalog.patterns(e.type_id);
                let _ = writeln!(
                    self.out,
                    "{head}{} ({occurs}{nil}{fixed}){}",
                    kind(st),
                    limits(st, !patterns.is_empty())
                );
            }
            TypeRef::Complex(ct) if ct.name == "OCITable" => {
                let keys: Vec<String> = self.headings.iter().map(|h| key_of(h)).collect();
                let columns = match keys.is_empty() {
                    true => "its columns".to_owned(),
                    false => keys.join(", "),
                };
                let _ = writeln!(
                    self.out,
                    "{head}table: array of rows {{{columns}}} ({occurs})"
                );
            }
            TypeRef::Complex(ct) => {
                if ct.is_abstract {
                    let subtypes: Vec<&str> = self.catalog.concrete_names(e.type_id).collect();
                    let _ = writeln!(
                        self.out,
                        "{head}object {} ({occurs}{nil}): \"xsi:type\" one of {} (describe each by name)",
                        ct.name,
                        subtypes.join(", ")
                    );
                } else if self.stack.contains(&ct.name.as_str()) {
                    let _ = writeln!(
                        self.out,
                        "{head}object {} ({occurs}{nil}), as above",
                        ct.name
                    );
                } else {
                    let _ = writeln!(self.out, "{head}object {} ({occurs}{nil}) {{", ct.name);
                    self.stack.push(&ct.name);
                    self.content(&ct.content, depth + 1);
                    self.stack.pop();
                    let _ = writeln!(self.out, "{indent}}}");
                }
            }
        }
    }
}

fn bound(max: u32) -> String {
    if max == UNBOUNDED {
        "*".to_owned()
    } else {
        max.to_string()
    }
}

fn occurs_note(min: u32, max: u32) -> String {
    match (min, max) {
        (1, 1) => String::new(),
        (0, 1) => " (optional)".to_owned(),
        (min, max) => format!(" ({min}..{} times)", bound(max)),
    }
}

fn kind(st: &SimpleType) -> String {
    let json = match st.base.unwrap_or(Builtin::String) {
        Builtin::Boolean => "boolean",
        Builtin::Int | Builtin::Long => "integer",
        Builtin::AnyType => "{}",
        _ => "string",
    };
    if st.name.starts_with("xs:") {
        json.to_owned()
    } else {
        format!("{json} {}", st.name)
    }
}

fn limits(st: &SimpleType, patterned: bool) -> String {
    let mut parts = Vec::new();
    if !st.enumeration.is_empty() {
        parts.push(format!("one of {}", st.enumeration.join(", ")));
    }
    if let Some(n) = st.length {
        parts.push(format!("length {n}"));
    }
    if st.min_length.is_some() || st.max_length.is_some() {
        parts.push(format!(
            "length {}..{}",
            st.min_length.unwrap_or(0),
            st.max_length.map(|m| m.to_string()).unwrap_or_default()
        ));
    }
    if st.min_inclusive.is_some() || st.max_inclusive.is_some() {
        parts.push(format!(
            "{}..{}",
            st.min_inclusive.as_deref().unwrap_or(""),
            st.max_inclusive.as_deref().unwrap_or("")
        ));
    }
    if patterned {
        parts.push(format!("matches {}", st.pattern.join(" or ")));
    }
    match parts.is_empty() {
        true => String::new(),
        false => format!(": {}", parts.join("; ")),
    }
}
