//! Plausible values that satisfy a simple type's facets: what `oci describe` shows as an
//! example, and what a generated instance of a command holds.

use regex::Regex;

use crate::schema::model::{Builtin, SimpleType};

/// A short valid value of `st`, the same on every call: its first enumeration value, else one
/// built to fit its length, range and pattern.
pub fn sample_text(st: &SimpleType, patterns: &[Regex]) -> String {
    if let Some(first) = st.enumeration.first() {
        return first.clone();
    }
    if !patterns.is_empty() {
        const CANDIDATES: [&str; 9] = ["0", "1", "0000", "*", "A", "AAA", "00", "15", ""];
        if let Some(c) = CANDIDATES
            .iter()
            .find(|c| patterns.iter().any(|p| p.is_match(c)))
        {
            return (*c).to_owned();
        }
    }
    match st.base.unwrap_or(Builtin::String) {
        Builtin::Boolean => "true".to_owned(),
        Builtin::Int | Builtin::Long | Builtin::Decimal | Builtin::Float => number(st),
        Builtin::Date => "2024-01-01".to_owned(),
        Builtin::DateTime => "2024-01-01T00:00:00".to_owned(),
        Builtin::Base64Binary => "AAAA".to_owned(),
        Builtin::AnyType => String::new(),
        Builtin::String | Builtin::NormalizedString | Builtin::Token | Builtin::NmToken => {
            let len = st
                .length
                .unwrap_or_else(|| st.min_length.unwrap_or(1).max(1))
                .min(st.max_length.unwrap_or(u32::MAX));
            "a".repeat(len as usize)
        }
    }
}

fn number(st: &SimpleType) -> String {
    let parse = |b: &Option<String>| b.as_deref().and_then(|v| v.parse::<i64>().ok());
    let mut n = 1;
    if let Some(min) = parse(&st.min_inclusive) {
        n = n.max(min);
    }
    if let Some(max) = parse(&st.max_inclusive) {
        n = n.min(max);
    }
    n.to_string()
}
