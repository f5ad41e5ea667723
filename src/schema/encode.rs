//! Any command as JSON → OCI-P XML, in schema order, every rule of the catalog checked first.
//!
//! The JSON form: `{"command": "<type>", …elements}`; an element that may repeat is an array, a
//! complex element an object (`"xsi:type"` names the concrete type of an abstract one), `null`
//! is `xsi:nil`, a missing key an absent element; booleans are JSON booleans, integers JSON
//! numbers, every other simple value a string; an OCITable (answers only) is an array of rows
//! keyed by lowerCamelCase headings. A command that breaks a rule writes nothing and gets every
//! violation with its JSON path.

use serde_json::{Map, Value};

use crate::ocip::xml::XmlWriter;
use crate::schema::catalog::{Catalog, TypeRef};
use crate::schema::check::check_text;
use crate::schema::headings::heading_of;
use crate::schema::model::{Builtin, ComplexType, ElementDecl, Group, Particle, SimpleType};
use crate::schema::path::{JsonPath, Violation};
use crate::schema::walk::{each_element, has_element};

/// The JSON key naming a command's type.
pub const COMMAND_KEY: &str = "command";
/// The JSON key naming the concrete type of an element whose type is abstract.
pub const XSI_TYPE_KEY: &str = "xsi:type";

/// Writes `command` (one command as JSON) as a `<command>` element; on any violation nothing
/// is written and every violation is returned.
pub fn encode_command(
    catalog: &Catalog,
    command: &Value,
    w: &mut XmlWriter,
) -> Result<(), Vec<Violation>> {
    let start = w.len();
    let mut encoder = Encoder {
        catalog,
        w,
        violations: Vec::new(),
        headings: &[],
    };
    encoder.command(command);
    if encoder.violations.is_empty() {
        Ok(())
    } else {
        let violations = std::mem::take(&mut encoder.violations);
        w.truncate(start);
        Err(violations)
    }
}

/// The command type a JSON command names, checked to be a concrete command of the catalog.
pub fn command_type<'c>(
    catalog: &'c Catalog,
    command: &Value,
) -> Result<&'c ComplexType, Violation> {
    let root = JsonPath::Root;
    let obj = command
        .as_object()
        .ok_or_else(|| Violation::new(&root, "a command must be a JSON object"))?;
    let at = JsonPath::Key(&root, COMMAND_KEY);
    let name = match obj.get(COMMAND_KEY) {
        Some(Value::String(name)) => name,
        Some(_) => return Err(Violation::new(&at, "must be a string")),
        None => {
            return Err(Violation::new(
                &at,
                "required: the command's type, e.g. GroupGetRequest14sp7",
            ))
        }
    };
    match catalog.complex(name) {
        Some(c) if !c.is_abstract && catalog.derives_from(name, "OCICommand") => Ok(c),
        _ => Err(Violation::new(&at, unknown_command(catalog, name))),
    }
}

fn unknown_command(catalog: &Catalog, name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let near = catalog
        .commands()
        .iter()
        .find(|c| c.request.to_ascii_lowercase() == lower);
    match near {
        Some(c) => format!(
            "'{name}' is not a command of {}; did you mean {}?",
            catalog.release(),
            c.request
        ),
        None => format!("'{name}' is not a command of {}", catalog.release()),
    }
}

struct Encoder<'c, 'w> {
    catalog: &'c Catalog,
    w: &'w mut XmlWriter,
    violations: Vec<Violation>,
    /// The headings the catalog knows for the command's tables.
    headings: &'c [String],
}

impl<'c> Encoder<'c, '_> {
    fn violation(&mut self, path: &JsonPath<'_>, rule: impl Into<String>) {
        self.violations.push(Violation::new(path, rule));
    }

    fn command(&mut self, command: &Value) {
        let ty = match command_type(self.catalog, command) {
            Ok(ty) => ty,
            Err(v) => return self.violations.push(v),
        };
        let Some(obj) = command.as_object() else {
            return;
        };
        self.headings = &ty.headings;
        match ty.name.as_str() {
            "SuccessResponse" => self.w.raw("<command echo=\"\" xsi:type=\"c:SuccessResponse\" xmlns:c=\"C\" xmlns=\"\">"),
            "ErrorResponse" => self.w.raw("<command type=\"Error\" echo=\"\" xsi:type=\"c:ErrorResponse\" xmlns:c=\"C\" xmlns=\"\">"),
            name => {
                self.w.raw("<command xsi:type=\"");
                self.w.raw(name);
                self.w.raw("\" xmlns=\"\">");
            }
        }
        let mark = self.w.len();
        let root = JsonPath::Root;
        self.object(obj, ty, &root);
        self.close_or_empty("command", mark);
    }

    /// Closes an element opened when `mark` bytes were written: as `<name …/>` when nothing
    /// was written inside it since.
    fn close_or_empty(&mut self, name: &str, mark: usize) {
        if self.w.len() == mark {
            self.w.truncate(mark - 1);
            self.w.raw("/>");
        } else {
            self.w.close(name);
        }
    }

    fn object(&mut self, obj: &Map<String, Value>, ty: &'c ComplexType, path: &JsonPath<'_>) {
        let mut used = 0;
        for p in &ty.content {
            used += self.particle(obj, p, path, true, 1);
        }
        let own_keys = obj.len()
            - usize::from(obj.contains_key(XSI_TYPE_KEY))
            - usize::from(matches!(path, JsonPath::Root) && obj.contains_key(COMMAND_KEY));
        if used < own_keys {
            for key in obj.keys() {
                let special =
                    key == XSI_TYPE_KEY || (matches!(path, JsonPath::Root) && key == COMMAND_KEY);
                if !special && !has_element(&ty.content, key) {
                    let at = JsonPath::Key(path, key);
                    self.violation(&at, format!("not an element of {}", ty.name));
                }
            }
        }
    }

    /// Writes one particle; returns how many keys of `obj` it used.
    fn particle(
        &mut self,
        obj: &Map<String, Value>,
        p: &'c Particle,
        path: &JsonPath<'_>,
        required: bool,
        repeat: u32,
    ) -> usize {
        match p {
            Particle::Element(e) => self.element(obj, e, path, required, repeat),
            Particle::Sequence(g) => {
                let present = group_present(obj, g);
                let required = (required && g.min > 0) || present;
                let repeat = repeat.saturating_mul(g.max);
                g.items
                    .iter()
                    .map(|item| self.particle(obj, item, path, required, repeat))
                    .sum()
            }
            Particle::Choice(g) => self.choice(obj, g, path, required, repeat),
        }
    }

    fn choice(
        &mut self,
        obj: &Map<String, Value>,
        g: &'c Group,
        path: &JsonPath<'_>,
        required: bool,
        repeat: u32,
    ) -> usize {
        let repeat = repeat.saturating_mul(g.max);
        if repeat > 1 {
            // Each occurrence may take another branch: every branch given is written.
            return g
                .items
                .iter()
                .filter(|b| particle_present(obj, b))
                .map(|b| self.particle(obj, b, path, true, repeat))
                .sum();
        }
        // Branches may share element names: the branch with the most keys given is the one.
        let mut best: Option<(&'c Particle, usize)> = None;
        for branch in &g.items {
            let n = present_count(obj, branch);
            if n > 0 && best.is_none_or(|(_, m)| n > m) {
                best = Some((branch, n));
            }
        }
        let Some((branch, _)) = best else {
            if required && g.min > 0 && !g.items.iter().any(emptiable) {
                let names = branch_names(g);
                self.violation(path, format!("one of {} is required", names.join(", ")));
            }
            return 0;
        };
        let used = self.particle(obj, branch, path, true, repeat);
        let mut stray = Vec::new();
        each_element(&g.items, &mut |e| {
            if obj.contains_key(&e.name)
                && !has_element(std::slice::from_ref(branch), &e.name)
                && !stray.contains(&e.name)
            {
                stray.push(e.name.clone());
            }
        });
        if !stray.is_empty() {
            let rule = format!(
                "only one of {} may be given, not {} as well",
                first_name(branch),
                stray.join(", ")
            );
            self.violation(path, rule);
        }
        used + stray.len()
    }

    fn element(
        &mut self,
        obj: &Map<String, Value>,
        e: &'c ElementDecl,
        path: &JsonPath<'_>,
        required: bool,
        repeat: u32,
    ) -> usize {
        let at = JsonPath::Key(path, &e.name);
        let Some(value) = obj.get(&e.name) else {
            if required && e.min > 0 {
                self.violation(&at, "required");
            }
            return 0;
        };
        let max = e.max.saturating_mul(repeat);
        if max <= 1 {
            self.value(e, value, &at);
            return 1;
        }
        let Some(items) = value.as_array() else {
            self.violation(&at, "must be an array (the element may repeat)");
            return 1;
        };
        let min = if required { e.min } else { 0 };
        let n = items.len();
        if n < min as usize {
            self.violation(&at, format!("{n} items, at least {min} required"));
        } else if n > max as usize {
            self.violation(&at, format!("{n} items, at most {max} allowed"));
        }
        for (i, item) in items.iter().enumerate() {
            let at = JsonPath::Index(&at, i);
            self.value(e, item, &at);
        }
        1
    }

    fn value(&mut self, e: &'c ElementDecl, value: &Value, path: &JsonPath<'_>) {
        if value.is_null() {
            if e.nillable {
                self.w.nil(&e.name);
            } else {
                self.violation(path, "null is not allowed (the element is not nillable)");
            }
            return;
        }
        match self.catalog.ty(e.type_id) {
            TypeRef::Simple(st) => self.simple(e, st, value, path),
            TypeRef::Complex(ct) if ct.name == "OCITable" => self.table(e, value, path),
            TypeRef::Complex(ct) => self.complex(e, ct, value, path),
        }
    }

    fn simple(&mut self, e: &ElementDecl, st: &SimpleType, value: &Value, path: &JsonPath<'_>) {
        let base = st.base.unwrap_or(Builtin::String);
        let number;
        let text: &str = match (base, value) {
            (Builtin::AnyType, Value::Object(o)) if o.is_empty() => {
                self.w.leaf(&e.name, "");
                return;
            }
            (Builtin::AnyType, Value::Bool(true)) => {
                self.w.leaf(&e.name, "");
                return;
            }
            (Builtin::AnyType, _) => return self.violation(path, "must be {} (an empty element)"),
            (Builtin::Boolean, Value::Bool(b)) => {
                if *b {
                    "true"
                } else {
                    "false"
                }
            }
            (Builtin::Boolean, _) => {
                return self.violation(path, "must be a boolean (true or false)")
            }
            (Builtin::Int | Builtin::Long, Value::Number(n)) if n.is_i64() => {
                number = n.to_string();
                &number
            }
            (Builtin::Int | Builtin::Long, _) => return self.violation(path, "must be an integer"),
            (_, Value::String(s)) => s,
            _ => return self.violation(path, "must be a string"),
        };
        if let Some(rule) = check_text(st, self.catalog.patterns(e.type_id), text) {
            return self.violation(path, rule);
        }
        if let Some(fixed) = &e.fixed {
            if text != fixed {
                return self.violation(path, format!("must be {fixed} (a fixed value)"));
            }
        }
        self.w.leaf(&e.name, text);
    }

    fn complex(
        &mut self,
        e: &ElementDecl,
        ct: &'c ComplexType,
        value: &Value,
        path: &JsonPath<'_>,
    ) {
        let Some(obj) = value.as_object() else {
            return self.violation(path, format!("must be an object ({})", ct.name));
        };
        let (ty, named) = match obj.get(XSI_TYPE_KEY) {
            Some(Value::String(t)) => match self.catalog.concrete_named(e.type_id, t) {
                Some(ty) => (ty, true),
                None => {
                    let at = JsonPath::Key(path, XSI_TYPE_KEY);
                    let rule = format!("'{t}' is not one of {}", self.concrete_names(e.type_id));
                    return self.violation(&at, rule);
                }
            },
            Some(_) => {
                let at = JsonPath::Key(path, XSI_TYPE_KEY);
                return self.violation(&at, "must be a string");
            }
            None if ct.is_abstract => {
                let at = JsonPath::Key(path, XSI_TYPE_KEY);
                let rule = format!("required: one of {}", self.concrete_names(e.type_id));
                return self.violation(&at, rule);
            }
            None => (ct, false),
        };
        if named {
            self.w.open_typed(&e.name, &ty.name);
        } else {
            self.w.open(&e.name);
        }
        let mark = self.w.len();
        self.object(obj, ty, path);
        self.close_or_empty(&e.name, mark);
    }

    fn concrete_names(&self, id: usize) -> String {
        self.catalog
            .concrete_names(id)
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn table(&mut self, e: &ElementDecl, value: &Value, path: &JsonPath<'_>) {
        let Some(rows) = value.as_array() else {
            return self.violation(path, "must be an array of rows (a table)");
        };
        let mut keys: Vec<&str> = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            let Some(row) = row.as_object() else {
                let at = JsonPath::Index(path, i);
                return self.violation(&at, "a row must be an object keyed by column");
            };
            for key in row.keys() {
                if !keys.contains(&key.as_str()) {
                    keys.push(key);
                }
            }
        }
        self.w.open(&e.name);
        if keys.is_empty() {
            match self.headings {
                [] => self.w.leaf("colHeading", "Name"),
                known => known.iter().for_each(|h| self.w.leaf("colHeading", h)),
            }
        }
        for key in &keys {
            let heading = heading_of(key, self.headings);
            self.w.leaf("colHeading", &heading);
        }
        for (i, row) in rows.iter().filter_map(Value::as_object).enumerate() {
            self.w.open("row");
            for key in &keys {
                let cell = match row.get(*key) {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Bool(b)) => b.to_string(),
                    Some(Value::Number(n)) => n.to_string(),
                    Some(_) => {
                        let row_at = JsonPath::Index(path, i);
                        let at = JsonPath::Key(&row_at, key);
                        self.violation(&at, "a cell must be a string");
                        String::new()
                    }
                };
                self.w.leaf("col", &cell);
            }
            self.w.close("row");
        }
        self.w.close(&e.name);
    }
}

fn particle_present(obj: &Map<String, Value>, p: &Particle) -> bool {
    match p {
        Particle::Element(e) => obj.contains_key(&e.name),
        Particle::Choice(g) | Particle::Sequence(g) => group_present(obj, g),
    }
}

fn present_count(obj: &Map<String, Value>, p: &Particle) -> usize {
    let mut n = 0;
    each_element(std::slice::from_ref(p), &mut |e| {
        n += usize::from(obj.contains_key(&e.name))
    });
    n
}

fn group_present(obj: &Map<String, Value>, g: &Group) -> bool {
    g.items.iter().any(|p| particle_present(obj, p))
}

/// Whether a particle may be left out entirely.
pub fn emptiable(p: &Particle) -> bool {
    match p {
        Particle::Element(e) => e.min == 0,
        Particle::Sequence(g) => g.min == 0 || g.items.iter().all(emptiable),
        Particle::Choice(g) => g.min == 0 || g.items.iter().any(emptiable),
    }
}

fn first_name(p: &Particle) -> String {
    let mut names = Vec::new();
    each_element(std::slice::from_ref(p), &mut |e| names.push(e.name.clone()));
    match names.len() {
        0 => "(nothing)".to_owned(),
        1 => names.remove(0),
        _ => format!("({})", names.join(" + ")),
    }
}

fn branch_names(g: &Group) -> Vec<String> {
    g.items.iter().map(first_name).collect()
}
