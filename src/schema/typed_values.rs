//! The values a JSON command holds of given simple types (`ServiceProviderId`, `GroupId`,
//! `UserId`), wherever they sit: what the REST layer reads to decide a token's scope.

use serde_json::{Map, Value};

use crate::schema::catalog::{Catalog, TypeRef};
use crate::schema::encode::{COMMAND_KEY, XSI_TYPE_KEY};
use crate::schema::model::{ComplexType, ElementDecl, Particle};

/// Every `(type name, value)` in `command` whose simple type is one of `types`, in document
/// order. The command must already have passed the catalog's checks.
pub fn values_of_types(
    catalog: &Catalog,
    command: &Value,
    types: &[&str],
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let ty = command
        .get(COMMAND_KEY)
        .and_then(Value::as_str)
        .and_then(|name| catalog.complex(name));
    if let (Some(ty), Some(obj)) = (ty, command.as_object()) {
        object(catalog, ty, obj, types, &mut out);
    }
    out
}

fn object(
    catalog: &Catalog,
    ty: &ComplexType,
    obj: &Map<String, Value>,
    types: &[&str],
    out: &mut Vec<(String, String)>,
) {
    for (key, value) in obj {
        if key == COMMAND_KEY || key == XSI_TYPE_KEY {
            continue;
        }
        if let Some(e) = find(&ty.content, key) {
            match value {
                Value::Array(items) => items.iter().for_each(|v| one(catalog, e, v, types, out)),
                v => one(catalog, e, v, types, out),
            }
        }
    }
}

fn one(
    catalog: &Catalog,
    e: &ElementDecl,
    value: &Value,
    types: &[&str],
    out: &mut Vec<(String, String)>,
) {
    match (catalog.ty(e.type_id), value) {
        (TypeRef::Simple(st), Value::String(s)) if types.contains(&st.name.as_str()) => {
            out.push((st.name.clone(), s.clone()));
        }
        (TypeRef::Complex(ct), Value::Object(obj)) => {
            let concrete = obj
                .get(XSI_TYPE_KEY)
                .and_then(Value::as_str)
                .and_then(|t| catalog.complex(t))
                .unwrap_or(ct);
            object(catalog, concrete, obj, types, out);
        }
        _ => {}
    }
}

fn find<'c>(content: &'c [Particle], name: &str) -> Option<&'c ElementDecl> {
    content.iter().find_map(|p| match p {
        Particle::Element(e) if e.name == name => Some(e),
        Particle::Element(_) => None,
        Particle::Choice(g) | Particle::Sequence(g) => find(&g.items, name),
    })
}
