//! `ocigw schema compile`: the official XSD of a release compiled into a catalog.
//!
//! Every named and anonymous type becomes a [`SimpleType`] (its built-in base and every facet,
//! inherited ones included) or a [`ComplexType`] (its content in schema order, an extension's
//! base content first). Every concrete type derived from `OCIRequest` is a command; its response
//! types are the response type names its documentation mentions (else the same name with
//! `Response`, else `SuccessResponse`). Table headings are the quoted names a response's
//! documentation gives after "heading". No documentation text is kept.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use crate::schema::headings::key_of;
use crate::schema::model::{
    Builtin, CatalogData, CommandDef, ComplexType, ElementDecl, Group, Particle, SimpleType,
    UNBOUNDED,
};
use crate::schema::xsd_tree::{entry_of, read_schema_files, XsdNode};

/// Compiles the schema whose entry is `path` (a folder holding `OCISchemaAS.xsd`, or the entry
/// file itself). `release` names the release; `None` infers it from the schema's text.
pub fn compile(path: &Path, release: Option<&str>) -> Result<CatalogData, String> {
    let entry = if path.is_dir() {
        entry_of(path)?
    } else {
        path.to_path_buf()
    };
    let roots = read_schema_files(&entry)?;
    let mut compiler = Compiler::default();
    for root in &roots {
        for node in &root.children {
            compiler.top_level(node)?;
        }
    }
    let release = match release {
        Some(r) => r.to_owned(),
        None => compiler.inferred_release(),
    };
    compiler.finish(release)
}

#[derive(Default)]
struct Compiler {
    /// Simple types as declared: base name and own facets.
    simple: BTreeMap<String, (String, SimpleType)>,
    /// Complex types as declared: base, whether it extends, own content.
    complex: BTreeMap<String, RawComplex>,
    /// Documentation of each named complex type, read for responses and headings only.
    docs: HashMap<String, String>,
    /// The highest release number the documentation mentions.
    release_major: u32,
}

struct RawComplex {
    base: Option<String>,
    extends: bool,
    is_abstract: bool,
    content: Vec<Particle>,
}

impl Compiler {
    fn top_level(&mut self, node: &XsdNode) -> Result<(), String> {
        let Some(name) = node.attr("name") else {
            return Ok(());
        };
        match node.name.as_str() {
            "complexType" => {
                let doc = node.documentation();
                self.note_release(&doc);
                self.docs.insert(name.to_owned(), doc);
                self.complex_type(name, node)
            }
            "simpleType" => self.simple_type(name, node),
            _ => Ok(()),
        }
    }

    fn note_release(&mut self, doc: &str) {
        let bytes = doc.as_bytes();
        for (i, _) in doc.match_indices('R') {
            if i > 0 && bytes[i - 1].is_ascii_alphanumeric() {
                continue;
            }
            let digits: String = doc[i + 1..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            let after = bytes.get(i + 1 + digits.len()).copied().unwrap_or(b' ');
            if after.is_ascii_alphabetic() {
                continue;
            }
            if let Ok(n) = digits.parse::<u32>() {
                if (10..100).contains(&n) {
                    self.release_major = self.release_major.max(n);
                }
            }
        }
    }

    fn inferred_release(&self) -> String {
        if self.release_major == 0 {
            "unknown".to_owned()
        } else {
            format!("R{}", self.release_major)
        }
    }

    fn simple_type(&mut self, name: &str, node: &XsdNode) -> Result<(), String> {
        let restriction = node
            .child("restriction")
            .ok_or_else(|| format!("simple type {name}: only restrictions are supported"))?;
        let base = restriction
            .attr("base")
            .ok_or_else(|| format!("simple type {name}: restriction without a base"))?;
        let mut own = SimpleType {
            name: name.to_owned(),
            ..SimpleType::default()
        };
        for facet in &restriction.children {
            let value = facet.attr("value").unwrap_or_default().to_owned();
            let number = || {
                value
                    .parse::<u32>()
                    .map_err(|_| format!("simple type {name}: {} {value:?}", facet.name))
            };
            match facet.name.as_str() {
                "enumeration" => own.enumeration.push(value.clone()),
                "length" => own.length = Some(number()?),
                "minLength" => own.min_length = Some(number()?),
                "maxLength" => own.max_length = Some(number()?),
                "minInclusive" => own.min_inclusive = Some(value.clone()),
                "maxInclusive" => own.max_inclusive = Some(value.clone()),
                "pattern" => own.pattern.push(value.clone()),
                "whiteSpace" => own.white_space = Some(value.clone()),
                "annotation" => {}
                other => return Err(format!("simple type {name}: facet {other} not supported")),
            }
        }
        self.simple
            .insert(name.to_owned(), (local(base).to_owned(), own));
        Ok(())
    }

    fn complex_type(&mut self, name: &str, node: &XsdNode) -> Result<(), String> {
        let is_abstract = node.attr("abstract") == Some("true");
        let (base, extends, body) = match node.child("complexContent") {
            Some(content) => {
                let (derivation, extends) = match content.child("extension") {
                    Some(e) => (e, true),
                    None => (
                        content.child("restriction").ok_or_else(|| {
                            format!("complex type {name}: complexContent without a derivation")
                        })?,
                        false,
                    ),
                };
                let base = derivation.attr("base").map(|b| local(b).to_owned());
                (base, extends, derivation)
            }
            None => (None, false, node),
        };
        let mut content = Vec::new();
        for child in &body.children {
            match child.name.as_str() {
                "sequence" | "choice" => {
                    let particle = self.particle(name, child)?;
                    content.extend(unwrap_sequence(particle));
                }
                "simpleContent" => {
                    return Err(format!("complex type {name}: simpleContent not supported"))
                }
                _ => {}
            }
        }
        self.complex.insert(
            name.to_owned(),
            RawComplex {
                base,
                extends,
                is_abstract,
                content,
            },
        );
        Ok(())
    }

    fn particle(&mut self, owner: &str, node: &XsdNode) -> Result<Particle, String> {
        let (min, max) = occurs(owner, node)?;
        match node.name.as_str() {
            "element" => Ok(Particle::Element(self.element(owner, node, min, max)?)),
            "sequence" | "choice" => {
                let mut items = Vec::new();
                for child in &node.children {
                    if matches!(child.name.as_str(), "element" | "sequence" | "choice") {
                        items.push(self.particle(owner, child)?);
                    }
                }
                let group = Group { min, max, items };
                Ok(if node.name == "choice" {
                    Particle::Choice(group)
                } else {
                    Particle::Sequence(group)
                })
            }
            other => Err(format!("complex type {owner}: <xs:{other}> not supported")),
        }
    }

    fn element(
        &mut self,
        owner: &str,
        node: &XsdNode,
        min: u32,
        max: u32,
    ) -> Result<ElementDecl, String> {
        let name = node
            .attr("name")
            .ok_or_else(|| format!("complex type {owner}: an element without a name"))?;
        let ty = match node.attr("type") {
            Some(t) => qualified_type(t),
            None => {
                let anonymous = self.anonymous_name(owner, name);
                if let Some(complex) = node.child("complexType") {
                    self.complex_type(&anonymous, complex)?;
                    anonymous
                } else if let Some(simple) = node.child("simpleType") {
                    self.simple_type(&anonymous, simple)?;
                    anonymous
                } else {
                    Builtin::AnyType.xsd_name().to_owned()
                }
            }
        };
        Ok(ElementDecl {
            name: name.to_owned(),
            ty,
            min,
            max,
            nillable: node.attr("nillable") == Some("true"),
            fixed: node.attr("fixed").map(str::to_owned),
            default: node.attr("default").map(str::to_owned),
            type_id: 0,
        })
    }

    fn anonymous_name(&self, owner: &str, element: &str) -> String {
        let base = format!("{owner}.{element}");
        let mut name = base.clone();
        let mut n = 2;
        while self.complex.contains_key(&name) || self.simple.contains_key(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        name
    }

    fn finish(self, release: String) -> Result<CatalogData, String> {
        let simple = self.resolve_simple()?;
        let known_simple: HashSet<&str> = simple.iter().map(|s| s.name.as_str()).collect();
        let mut complex = Vec::with_capacity(self.complex.len());
        let mut flattened: HashMap<String, Vec<Particle>> = HashMap::new();
        for name in self.complex.keys() {
            let content = self.flatten(name, &mut flattened, 0)?;
            let raw = &self.complex[name];
            complex.push(ComplexType {
                name: name.clone(),
                content,
                base: raw.base.clone(),
                is_abstract: raw.is_abstract,
                headings: Vec::new(),
            });
        }
        for c in &complex {
            check_types(c, &known_simple, &self.complex)?;
        }
        let derives = |name: &str, root: &str| derives_from(&self.complex, name, root);
        let response_names: Vec<String> = complex
            .iter()
            .filter(|c| !c.is_abstract && derives(&c.name, "OCIResponse"))
            .map(|c| c.name.clone())
            .collect();
        let responses: HashSet<&str> = response_names.iter().map(String::as_str).collect();
        for c in &mut complex {
            if responses.contains(c.name.as_str()) && has_table(&c.content) {
                c.headings = headings_in(self.docs.get(&c.name).map_or("", String::as_str));
            }
        }
        let mut commands = Vec::new();
        for c in &complex {
            if c.is_abstract || !derives(&c.name, "OCIRequest") {
                continue;
            }
            let doc = self.docs.get(&c.name).map_or("", String::as_str);
            commands.push(CommandDef {
                request: c.name.clone(),
                responses: responses_of(&c.name, doc, &responses),
            });
        }
        Ok(CatalogData {
            release,
            simple,
            complex,
            commands,
        })
    }

    fn resolve_simple(&self) -> Result<Vec<SimpleType>, String> {
        let builtins = [
            Builtin::String,
            Builtin::NormalizedString,
            Builtin::Token,
            Builtin::NmToken,
            Builtin::Int,
            Builtin::Long,
            Builtin::Boolean,
            Builtin::DateTime,
            Builtin::Date,
            Builtin::Decimal,
            Builtin::Float,
            Builtin::Base64Binary,
            Builtin::AnyType,
        ];
        let mut out: Vec<SimpleType> = builtins.into_iter().map(SimpleType::builtin).collect();
        for name in self.simple.keys() {
            out.push(self.resolve_one(name, 0)?);
        }
        Ok(out)
    }

    fn resolve_one(&self, name: &str, depth: usize) -> Result<SimpleType, String> {
        if depth > 32 {
            return Err(format!("simple type {name}: its bases form a loop"));
        }
        let (base, own) = self
            .simple
            .get(name)
            .ok_or_else(|| format!("unknown simple type {name}"))?;
        let mut resolved = match base.strip_prefix("xs:") {
            Some(b) => SimpleType {
                base: Some(
                    Builtin::from_xsd(b)
                        .ok_or_else(|| format!("simple type {name}: base xs:{b} not supported"))?,
                ),
                ..SimpleType::default()
            },
            None => self.resolve_one(base, depth + 1)?,
        };
        resolved.name = own.name.clone();
        if !own.enumeration.is_empty() {
            resolved.enumeration = own.enumeration.clone();
        }
        if !own.pattern.is_empty() {
            resolved.pattern = own.pattern.clone();
        }
        macro_rules! inherit {
            ($($f:ident),*) => { $( if own.$f.is_some() { resolved.$f = own.$f.clone(); } )* };
        }
        inherit!(
            length,
            min_length,
            max_length,
            min_inclusive,
            max_inclusive,
            white_space
        );
        Ok(resolved)
    }

    fn flatten(
        &self,
        name: &str,
        done: &mut HashMap<String, Vec<Particle>>,
        depth: usize,
    ) -> Result<Vec<Particle>, String> {
        if let Some(content) = done.get(name) {
            return Ok(content.clone());
        }
        if depth > 64 {
            return Err(format!("complex type {name}: its bases form a loop"));
        }
        let raw = self
            .complex
            .get(name)
            .ok_or_else(|| format!("unknown complex type {name}"))?;
        let mut content = match (&raw.base, raw.extends) {
            (Some(base), true) => self.flatten(base, done, depth + 1)?,
            _ => Vec::new(),
        };
        content.extend(raw.content.iter().cloned());
        done.insert(name.to_owned(), content.clone());
        Ok(content)
    }
}

/// A type reference as the catalog writes it: built-ins keep `xs:`, other prefixes go.
fn qualified_type(t: &str) -> String {
    match t.strip_prefix("xs:") {
        Some(_) => t.to_owned(),
        None => local(t).to_owned(),
    }
}

fn local(name: &str) -> &str {
    if name.starts_with("xs:") {
        return name;
    }
    name.rsplit(':').next().unwrap_or(name)
}

fn occurs(owner: &str, node: &XsdNode) -> Result<(u32, u32), String> {
    let parse = |attr: &str| -> Result<u32, String> {
        match node.attr(attr) {
            None => Ok(1),
            Some("unbounded") => Ok(UNBOUNDED),
            Some(v) => v
                .parse()
                .map_err(|_| format!("complex type {owner}: {attr}={v:?}")),
        }
    };
    Ok((parse("minOccurs")?, parse("maxOccurs")?))
}

/// A type's top-level sequence occurring once is its content itself.
fn unwrap_sequence(particle: Particle) -> Vec<Particle> {
    match particle {
        Particle::Sequence(g) if g.min == 1 && g.max == 1 => g.items,
        other => vec![other],
    }
}

fn derives_from(complex: &BTreeMap<String, RawComplex>, name: &str, root: &str) -> bool {
    let mut current = name;
    for _ in 0..64 {
        if current == root {
            return true;
        }
        match complex.get(current).and_then(|c| c.base.as_deref()) {
            Some(base) => current = base,
            None => return false,
        }
    }
    false
}

fn check_types(
    c: &ComplexType,
    simple: &HashSet<&str>,
    complex: &BTreeMap<String, RawComplex>,
) -> Result<(), String> {
    let mut result = Ok(());
    crate::schema::walk::each_element(&c.content, &mut |e| {
        if result.is_ok() && !simple.contains(e.ty.as_str()) && !complex.contains_key(&e.ty) {
            result = Err(format!(
                "complex type {}: element {} has unknown type {}",
                c.name, e.name, e.ty
            ));
        }
    });
    result
}

fn has_table(content: &[Particle]) -> bool {
    let mut found = false;
    crate::schema::walk::each_element(content, &mut |e| found |= e.ty == "OCITable");
    found
}

/// The quoted names after the first "heading" of a response's documentation.
fn headings_in(doc: &str) -> Vec<String> {
    let lower = doc.to_ascii_lowercase();
    let Some(start) = lower.find("heading") else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    let mut parts = doc[start..].split('"');
    parts.next();
    while let Some(quoted) = parts.next() {
        let heading = quoted.split_whitespace().collect::<Vec<_>>().join(" ");
        let key = key_of(&heading);
        let plausible = heading.len() < 80
            && heading.starts_with(|c: char| c.is_ascii_uppercase() || c.is_ascii_digit());
        if plausible && !key.is_empty() && !out.iter().any(|h| key_of(h) == key) {
            out.push(heading);
        }
        parts.next();
    }
    out
}

/// The response types a request's documentation names, in the order named.
fn responses_of(request: &str, doc: &str, responses: &HashSet<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in doc.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word != "ErrorResponse" && responses.contains(word) && !out.iter().any(|o| o == word) {
            out.push(word.to_owned());
        }
    }
    if out.is_empty() {
        let by_name = match request.rfind("Request") {
            Some(i) => format!("{}Response{}", &request[..i], &request[i + 7..]),
            None => String::new(),
        };
        out.push(if responses.contains(by_name.as_str()) {
            by_name
        } else {
            "SuccessResponse".to_owned()
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_the_quoted_names_after_heading() {
        let doc = "Response to X. Contains a table with column headings: \"User Id\", \"Last\n  Name\" and \"User Id\".";
        assert_eq!(headings_in(doc), vec!["User Id", "Last Name"]);
        assert!(headings_in("no table \"here\"").is_empty());
    }

    #[test]
    fn responses_come_from_the_documentation_else_the_name() {
        let known: HashSet<&str> = ["FooGetResponse22", "SuccessResponse"]
            .into_iter()
            .collect();
        assert_eq!(
            responses_of(
                "FooGetRequest22",
                "The response is either FooGetResponse22 or ErrorResponse.",
                &known
            ),
            vec!["FooGetResponse22"]
        );
        assert_eq!(
            responses_of("FooGetRequest22", "", &known),
            vec!["FooGetResponse22"]
        );
        assert_eq!(
            responses_of("FooAddRequest", "", &known),
            vec!["SuccessResponse"]
        );
    }
}
