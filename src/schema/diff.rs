//! `ocigw schema diff`: what changed between two releases' catalogs — commands added and
//! removed, and every type whose elements, order, occurrences or facets changed.

use std::collections::{BTreeMap, BTreeSet};

use crate::schema::model::{CatalogData, ComplexType, ElementDecl, Particle, SimpleType};
use crate::schema::walk::each_element;

/// The differences between two catalogs, each list sorted by name.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Diff {
    /// Request types only the new release has.
    pub commands_added: Vec<String>,
    /// Request types only the old release has.
    pub commands_removed: Vec<String>,
    /// Types present in both whose declaration changed, with what changed.
    pub types_changed: Vec<(String, Vec<String>)>,
    /// Types (other than requests) only the new release has.
    pub types_added: Vec<String>,
    /// Types (other than requests) only the old release has.
    pub types_removed: Vec<String>,
}

impl Diff {
    /// Whether the two catalogs declare the same thing.
    pub fn is_empty(&self) -> bool {
        *self == Diff::default()
    }

    /// The report `schema diff` prints.
    pub fn render(&self, old: &str, new: &str) -> String {
        if self.is_empty() {
            return format!("{old} and {new} declare the same commands and types\n");
        }
        let mut out = format!("{old} → {new}\n");
        let mut list = |title: &str, sign: char, names: &[String]| {
            if !names.is_empty() {
                out.push_str(&format!("\n{title} ({}):\n", names.len()));
                for n in names {
                    out.push_str(&format!("  {sign} {n}\n"));
                }
            }
        };
        list("commands added", '+', &self.commands_added);
        list("commands removed", '-', &self.commands_removed);
        list("types added", '+', &self.types_added);
        list("types removed", '-', &self.types_removed);
        if !self.types_changed.is_empty() {
            out.push_str(&format!(
                "\ntypes changed ({}):\n",
                self.types_changed.len()
            ));
            for (name, changes) in &self.types_changed {
                out.push_str(&format!("  ~ {name}\n"));
                for c in changes {
                    out.push_str(&format!("      {c}\n"));
                }
            }
        }
        out
    }
}

/// Compares `old` with `new`.
pub fn diff(old: &CatalogData, new: &CatalogData) -> Diff {
    let requests = |c: &CatalogData| -> BTreeSet<String> {
        c.commands.iter().map(|c| c.request.clone()).collect()
    };
    let (old_requests, new_requests) = (requests(old), requests(new));
    let mut d = Diff {
        commands_added: new_requests.difference(&old_requests).cloned().collect(),
        commands_removed: old_requests.difference(&new_requests).cloned().collect(),
        ..Diff::default()
    };
    let simple = |c: &CatalogData| -> BTreeMap<String, SimpleType> {
        c.simple
            .iter()
            .map(|s| (s.name.clone(), s.clone()))
            .collect()
    };
    let complex = |c: &CatalogData| -> BTreeMap<String, ComplexType> {
        c.complex
            .iter()
            .map(|t| (t.name.clone(), t.clone()))
            .collect()
    };
    let (old_simple, new_simple) = (simple(old), simple(new));
    let (old_complex, new_complex) = (complex(old), complex(new));
    let is_request = |n: &String| old_requests.contains(n) || new_requests.contains(n);
    for name in old_simple.keys().chain(old_complex.keys()) {
        if !new_simple.contains_key(name) && !new_complex.contains_key(name) && !is_request(name) {
            d.types_removed.push(name.clone());
        }
    }
    for name in new_simple.keys().chain(new_complex.keys()) {
        if !old_simple.contains_key(name) && !old_complex.contains_key(name) && !is_request(name) {
            d.types_added.push(name.clone());
        }
    }
    for (name, a) in &old_simple {
        if let Some(b) = new_simple.get(name).filter(|b| *b != a) {
            d.types_changed.push((name.clone(), simple_changes(a, b)));
        }
    }
    for (name, a) in &old_complex {
        if let Some(b) = new_complex.get(name).filter(|b| *b != a) {
            d.types_changed.push((name.clone(), complex_changes(a, b)));
        }
    }
    d.types_added.sort();
    d.types_removed.sort();
    d.types_changed.sort();
    d
}

fn simple_changes(a: &SimpleType, b: &SimpleType) -> Vec<String> {
    let mut out = Vec::new();
    let mut facet = |name: &str, x: String, y: String| {
        if x != y {
            out.push(format!("{name}: {} → {}", shown(&x), shown(&y)));
        }
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let num = |v: &Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    facet("base", format!("{:?}", a.base), format!("{:?}", b.base));
    facet("length", num(&a.length), num(&b.length));
    facet("minLength", num(&a.min_length), num(&b.min_length));
    facet("maxLength", num(&a.max_length), num(&b.max_length));
    facet("minInclusive", opt(&a.min_inclusive), opt(&b.min_inclusive));
    facet("maxInclusive", opt(&a.max_inclusive), opt(&b.max_inclusive));
    facet("pattern", a.pattern.join(" | "), b.pattern.join(" | "));
    facet("whiteSpace", opt(&a.white_space), opt(&b.white_space));
    let added: Vec<&String> = b
        .enumeration
        .iter()
        .filter(|v| !a.enumeration.contains(v))
        .collect();
    let removed: Vec<&String> = a
        .enumeration
        .iter()
        .filter(|v| !b.enumeration.contains(v))
        .collect();
    if !added.is_empty() {
        out.push(format!("enumeration + {}", join(&added)));
    }
    if !removed.is_empty() {
        out.push(format!("enumeration - {}", join(&removed)));
    }
    out
}

fn join(values: &[&String]) -> String {
    values
        .iter()
        .map(|v| v.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn shown(v: &str) -> &str {
    if v.is_empty() {
        "(none)"
    } else {
        v
    }
}

fn complex_changes(a: &ComplexType, b: &ComplexType) -> Vec<String> {
    let elements = |t: &ComplexType| -> Vec<ElementDecl> {
        let mut out = Vec::new();
        each_element(&t.content, &mut |e| out.push(e.clone()));
        out
    };
    let (ea, eb) = (elements(a), elements(b));
    let mut out = Vec::new();
    for e in &eb {
        if !ea.iter().any(|x| x.name == e.name) {
            out.push(format!("+ {} ({})", e.name, element_summary(e)));
        }
    }
    for e in &ea {
        match eb.iter().find(|x| x.name == e.name) {
            None => out.push(format!("- {} ({})", e.name, element_summary(e))),
            Some(x) if element_summary(x) != element_summary(e) => out.push(format!(
                "~ {}: {} → {}",
                e.name,
                element_summary(e),
                element_summary(x)
            )),
            Some(_) => {}
        }
    }
    let order = |es: &[ElementDecl], other: &[ElementDecl]| -> Vec<String> {
        es.iter()
            .filter(|e| other.iter().any(|o| o.name == e.name))
            .map(|e| e.name.clone())
            .collect()
    };
    if out.is_empty() && order(&ea, &eb) != order(&eb, &ea) {
        out.push("element order changed".to_owned());
    }
    if a.is_abstract != b.is_abstract {
        out.push(format!("abstract: {} → {}", a.is_abstract, b.is_abstract));
    }
    if a.base != b.base {
        out.push(format!(
            "base: {} → {}",
            a.base.as_deref().unwrap_or("(none)"),
            b.base.as_deref().unwrap_or("(none)")
        ));
    }
    if out.is_empty() && structure(&a.content) != structure(&b.content) {
        out.push("choices or sequences changed".to_owned());
    }
    if out.is_empty() && a.headings != b.headings {
        out.push(format!(
            "table headings: {} → {}",
            a.headings.join(", "),
            b.headings.join(", ")
        ));
    }
    out
}

fn element_summary(e: &ElementDecl) -> String {
    let max = if e.max == u32::MAX {
        "*".to_owned()
    } else {
        e.max.to_string()
    };
    let nil = if e.nillable { ", nillable" } else { "" };
    format!("{}, {}..{max}{nil}", e.ty, e.min)
}

fn structure(content: &[Particle]) -> String {
    content
        .iter()
        .map(|p| match p {
            Particle::Element(e) => e.name.clone(),
            Particle::Choice(g) => format!("choice{}..{}({})", g.min, g.max, structure(&g.items)),
            Particle::Sequence(g) => format!("seq{}..{}({})", g.min, g.max, structure(&g.items)),
        })
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Catalog;

    #[test]
    fn a_release_against_itself_differs_in_nothing() {
        let data = Catalog::embedded().data().clone();
        assert!(diff(&data, &data).is_empty());
    }

    #[test]
    fn added_removed_and_changed_are_named() {
        let old = Catalog::embedded().data().clone();
        let mut new = old.clone();
        new.commands
            .retain(|c| c.request != "GroupHuntGroupDeleteInstanceRequest");
        let rings = new
            .simple
            .iter_mut()
            .find(|s| s.name == "HuntNoAnswerRings")
            .unwrap();
        rings.max_inclusive = Some("30".into());
        let add = new
            .complex
            .iter_mut()
            .find(|c| c.name == "GroupHuntGroupAddInstanceRequest20")
            .unwrap();
        add.content
            .retain(|p| !matches!(p, Particle::Element(e) if e.name == "networkClassOfService"));
        let d = diff(&old, &new);
        assert_eq!(
            d.commands_removed,
            vec!["GroupHuntGroupDeleteInstanceRequest"]
        );
        assert!(d.commands_added.is_empty());
        let changed: BTreeMap<_, _> = d.types_changed.iter().cloned().collect();
        assert_eq!(changed["HuntNoAnswerRings"], vec!["maxInclusive: 20 → 30"]);
        assert_eq!(
            changed["GroupHuntGroupAddInstanceRequest20"],
            vec!["- networkClassOfService (NetworkClassOfServiceName, 0..1)"]
        );
    }
}
