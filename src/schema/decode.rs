//! Any OCI-P command (request or answer) → JSON, read in schema order and checked by the
//! catalog. What breaks the schema is reported beside the JSON, never silently repaired.

use serde_json::{Map, Number, Value};

use crate::ocip::xml::Element;
use crate::schema::catalog::{Catalog, TypeRef};
use crate::schema::check::check_text;
use crate::schema::encode::{emptiable, COMMAND_KEY, XSI_TYPE_KEY};
use crate::schema::headings::key_of;
use crate::schema::model::{Builtin, ComplexType, ElementDecl, Group, Particle};
use crate::schema::path::{JsonPath, Violation};
use crate::schema::walk::{each_element, has_element};

/// A command read as JSON, with what in it broke the schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The command as JSON (`{"command": "<type>", …}`).
    pub value: Value,
    /// Every rule the command broke, empty when it is valid.
    pub violations: Vec<Violation>,
}

/// Reads a `<command xsi:type="…">` element as JSON.
pub fn decode_command(catalog: &Catalog, command: &Element<'_>) -> Decoded {
    let mut decoder = Decoder {
        catalog,
        violations: Vec::new(),
    };
    let root = JsonPath::Root;
    let type_name = command.xsi_type().unwrap_or("");
    let mut out = Map::new();
    out.insert(COMMAND_KEY.to_owned(), Value::String(type_name.to_owned()));
    match catalog.complex(type_name) {
        Some(ty) if !ty.is_abstract && catalog.derives_from(type_name, "OCICommand") => {
            decoder.object(&command.children, ty, &root, &mut out);
        }
        _ => {
            let at = JsonPath::Key(&root, COMMAND_KEY);
            let rule = if type_name.is_empty() {
                "the command has no xsi:type".to_owned()
            } else {
                format!("'{type_name}' is not a command of {}", catalog.release())
            };
            decoder.violations.push(Violation::new(&at, rule));
        }
    }
    Decoded {
        value: Value::Object(out),
        violations: decoder.violations,
    }
}

struct Decoder<'c> {
    catalog: &'c Catalog,
    violations: Vec<Violation>,
}

impl<'c> Decoder<'c> {
    fn violation(&mut self, path: &JsonPath<'_>, rule: impl Into<String>) {
        self.violations.push(Violation::new(path, rule));
    }

    fn object(
        &mut self,
        children: &[Element<'_>],
        ty: &'c ComplexType,
        path: &JsonPath<'_>,
        out: &mut Map<String, Value>,
    ) {
        let mut pos = 0;
        for p in &ty.content {
            self.particle(children, &mut pos, p, out, path, true, 1);
        }
        for child in &children[pos..] {
            let at = JsonPath::Key(path, child.name);
            let rule = if has_element(&ty.content, child.name) {
                "out of schema order (or repeated too often)".to_owned()
            } else {
                format!("not an element of {}", ty.name)
            };
            self.violation(&at, rule);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn particle(
        &mut self,
        children: &[Element<'_>],
        pos: &mut usize,
        p: &'c Particle,
        out: &mut Map<String, Value>,
        path: &JsonPath<'_>,
        required: bool,
        repeat: u32,
    ) {
        match p {
            Particle::Element(e) => self.element(children, pos, e, out, path, required, repeat),
            Particle::Sequence(g) => {
                let inner = repeat.saturating_mul(g.max);
                let mut n = 0;
                while n < g.max && children.get(*pos).is_some_and(|c| starts(p, c.name)) {
                    for item in &g.items {
                        self.particle(children, pos, item, out, path, true, inner);
                    }
                    n += 1;
                }
                if n == 0 && required && g.min > 0 && !emptiable(p) {
                    for item in &g.items {
                        self.particle(children, pos, item, out, path, true, inner);
                    }
                }
            }
            Particle::Choice(g) => self.choice(children, pos, g, out, path, required, repeat),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn choice(
        &mut self,
        children: &[Element<'_>],
        pos: &mut usize,
        g: &'c Group,
        out: &mut Map<String, Value>,
        path: &JsonPath<'_>,
        required: bool,
        repeat: u32,
    ) {
        let inner = repeat.saturating_mul(g.max);
        let mut n = 0;
        while n < g.max {
            let Some(next) = children.get(*pos) else {
                break;
            };
            let Some(branch) = g.items.iter().find(|b| starts(b, next.name)) else {
                break;
            };
            self.particle(children, pos, branch, out, path, true, inner);
            n += 1;
        }
        if n == 0 && required && g.min > 0 && !g.items.iter().any(emptiable) {
            let mut names = Vec::new();
            each_element(&g.items, &mut |e| names.push(e.name.clone()));
            self.violation(path, format!("one of {} is required", names.join(", ")));
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn element(
        &mut self,
        children: &[Element<'_>],
        pos: &mut usize,
        e: &'c ElementDecl,
        out: &mut Map<String, Value>,
        path: &JsonPath<'_>,
        required: bool,
        repeat: u32,
    ) {
        let many = e.max.saturating_mul(repeat) > 1;
        let at = JsonPath::Key(path, &e.name);
        let mut count = 0;
        while count < e.max {
            let Some(child) = children.get(*pos).filter(|c| c.name == e.name) else {
                break;
            };
            if many {
                let slot = out
                    .entry(e.name.clone())
                    .or_insert_with(|| Value::Array(Vec::new()));
                let index = slot.as_array().map_or(0, Vec::len);
                let item_at = JsonPath::Index(&at, index);
                let value = self.value(e, child, &item_at);
                if let Value::Array(items) = slot {
                    items.push(value);
                }
            } else {
                let value = self.value(e, child, &at);
                out.insert(e.name.clone(), value);
            }
            count += 1;
            *pos += 1;
        }
        if count < e.min && required {
            self.violation(&at, "required");
        }
    }

    fn value(&mut self, e: &'c ElementDecl, el: &Element<'_>, path: &JsonPath<'_>) -> Value {
        if el.is_nil() {
            if !e.nillable {
                self.violation(path, "xsi:nil on an element that is not nillable");
            }
            return Value::Null;
        }
        match self.catalog.ty(e.type_id) {
            TypeRef::Simple(st) => {
                if !el.children.is_empty() {
                    self.violation(path, "must hold text, not elements");
                }
                let text = el.text.as_ref();
                if let Some(rule) = check_text(st, self.catalog.patterns(e.type_id), text) {
                    self.violation(path, rule);
                }
                if let Some(fixed) = e.fixed.as_deref().filter(|f| *f != text.trim()) {
                    self.violation(path, format!("must be {fixed} (a fixed value)"));
                }
                simple_json(st.base.unwrap_or(Builtin::String), text)
            }
            TypeRef::Complex(ct) if ct.name == "OCITable" => self.table(el, path),
            TypeRef::Complex(ct) => self.complex(e, ct, el, path),
        }
    }

    fn complex(
        &mut self,
        e: &ElementDecl,
        ct: &'c ComplexType,
        el: &Element<'_>,
        path: &JsonPath<'_>,
    ) -> Value {
        let mut out = Map::new();
        let ty = match el.xsi_type() {
            Some(t) => {
                out.insert(XSI_TYPE_KEY.to_owned(), Value::String(t.to_owned()));
                match self.catalog.concrete_named(e.type_id, t) {
                    Some(c) => c,
                    None => {
                        let at = JsonPath::Key(path, XSI_TYPE_KEY);
                        self.violation(&at, format!("'{t}' is not a concrete type of {}", ct.name));
                        return Value::Object(out);
                    }
                }
            }
            None if ct.is_abstract => {
                let at = JsonPath::Key(path, XSI_TYPE_KEY);
                self.violation(&at, format!("required: {} is abstract", ct.name));
                return Value::Object(out);
            }
            None => ct,
        };
        self.object(&el.children, ty, path, &mut out);
        Value::Object(out)
    }

    fn table(&mut self, el: &Element<'_>, path: &JsonPath<'_>) -> Value {
        let keys: Vec<String> = el
            .children
            .iter()
            .filter(|c| c.name == "colHeading")
            .map(|c| key_of(&c.text))
            .collect();
        if keys.is_empty() {
            self.violation(path, "a table without colHeading");
        }
        let mut rows = Vec::new();
        for (i, row) in el.children.iter().filter(|c| c.name == "row").enumerate() {
            let cells: Vec<&Element<'_>> =
                row.children.iter().filter(|c| c.name == "col").collect();
            if cells.len() != keys.len() {
                let at = JsonPath::Index(path, i);
                self.violation(
                    &at,
                    format!("{} cells for {} headings", cells.len(), keys.len()),
                );
            }
            let mut object = Map::with_capacity(keys.len());
            for (k, c) in keys.iter().zip(cells) {
                object.insert(k.clone(), Value::String(c.text.clone().into_owned()));
            }
            rows.push(Value::Object(object));
        }
        Value::Array(rows)
    }
}

/// A simple value's JSON: booleans and integers as JSON, an empty element as `{}`, the rest as
/// the text itself.
fn simple_json(base: Builtin, text: &str) -> Value {
    match base {
        Builtin::Boolean => match text.trim() {
            "true" | "1" => Value::Bool(true),
            "false" | "0" => Value::Bool(false),
            _ => Value::String(text.to_owned()),
        },
        Builtin::Int | Builtin::Long => text.trim().parse::<i64>().map_or_else(
            |_| Value::String(text.to_owned()),
            |n| Value::Number(Number::from(n)),
        ),
        Builtin::AnyType => Value::Object(Map::new()),
        _ => Value::String(text.to_owned()),
    }
}

/// Whether `p` can begin with an element named `name`.
fn starts(p: &Particle, name: &str) -> bool {
    match p {
        Particle::Element(e) => e.name == name,
        Particle::Choice(g) => g.items.iter().any(|b| starts(b, name)),
        Particle::Sequence(g) => {
            for item in &g.items {
                if starts(item, name) {
                    return true;
                }
                if !emptiable(item) {
                    return false;
                }
            }
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocip::xml::parse;

    fn decode(xml: &str) -> Decoded {
        let wrapped = format!(
            "<r xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:c=\"C\">{xml}</r>"
        );
        let root = parse(&wrapped).expect("well-formed");
        decode_command(&Catalog::embedded(), &root.children[0])
    }

    #[test]
    fn breaks_of_the_schema_are_named_beside_the_json() {
        let d = decode(
            "<command xsi:type=\"GroupGetRequest22V5\"><groupId>G</groupId><serviceProviderId>S</serviceProviderId><extra/></command>",
        );
        // The ids are one branch of a choice, in that order: out of order, no branch begins.
        assert_eq!(
            d.value,
            serde_json::json!({"command": "GroupGetRequest22V5"})
        );
        let rules: Vec<String> = d.violations.iter().map(ToString::to_string).collect();
        assert_eq!(
            rules,
            vec![
                "one of serviceProviderId, groupId, groupExternalId is required",
                "groupId: out of schema order (or repeated too often)",
                "serviceProviderId: out of schema order (or repeated too often)",
                "extra: not an element of GroupGetRequest22V5",
            ]
        );
        let d = decode(
            "<command xsi:type=\"UserGetRequest23V2\"><userId>u@x</userId><userId>v@x</userId></command>",
        );
        assert_eq!(d.value["userId"], "u@x");
        assert_eq!(
            d.violations[0].to_string(),
            "userId: out of schema order (or repeated too often)"
        );
        let d = decode("<command xsi:type=\"c:SuccessResponse\"/>");
        assert_eq!(d.value, serde_json::json!({"command": "SuccessResponse"}));
        assert!(d.violations.is_empty());
        let d = decode("<command xsi:type=\"NoSuchRequest\"><a/></command>");
        assert_eq!(
            d.violations[0].to_string(),
            "command: 'NoSuchRequest' is not a command of R25"
        );
        let d =
            decode("<command xsi:type=\"UserGetRequest23V2\"><userId xsi:nil=\"true\"/></command>");
        assert_eq!(d.value["userId"], serde_json::Value::Null);
        assert_eq!(
            d.violations[0].to_string(),
            "userId: xsi:nil on an element that is not nillable"
        );
    }
}
