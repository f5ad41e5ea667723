//! A simple value checked against its type's facets, as the schema's rules say; the same checks
//! run on what ocigw sends and on what it receives.

use std::borrow::Cow;

use regex::Regex;

use crate::schema::model::{Builtin, SimpleType};

/// The rule `text` breaks as a value of `st`, or `None` when it is valid.
pub fn check_text(st: &SimpleType, patterns: &[Regex], text: &str) -> Option<String> {
    // Printable ASCII (most values) holds no character XML forbids, and needs no collapse when
    // it has no space at either end and no two spaces in a row.
    let printable = text.bytes().all(|b| (0x20..0x7F).contains(&b));
    if !printable {
        if let Some(c) = text.chars().find(|&c| !is_xml_char(c)) {
            return Some(format!(
                "character U+{:04X} cannot be carried by XML",
                c as u32
            ));
        }
    }
    let base = st.base.unwrap_or(Builtin::String);
    let collapsed = match base {
        Builtin::String | Builtin::NormalizedString => Cow::Borrowed(text),
        _ if printable && !needs_collapse_ascii(text) => Cow::Borrowed(text),
        _ => collapse(text),
    };
    let value: &str = &collapsed;
    if let Some(rule) = check_lexical(base, value) {
        return Some(rule);
    }
    if !st.enumeration.is_empty() && !st.enumeration.iter().any(|e| e == value) {
        return Some(format!(
            "'{value}' is not one of {}",
            listing(&st.enumeration)
        ));
    }
    let length = if value.is_ascii() {
        value.len()
    } else {
        value.chars().count()
    };
    if let Some(n) = st.length {
        if length != n as usize {
            return Some(format!("length {length} is not {n}"));
        }
    }
    let (min, max) = (st.min_length, st.max_length);
    if min.is_some_and(|m| length < m as usize) || max.is_some_and(|m| length > m as usize) {
        return Some(format!(
            "length {length} is outside {}..{}",
            min.unwrap_or(0),
            max.map_or(String::new(), |m| m.to_string())
        ));
    }
    if st.min_inclusive.is_some() || st.max_inclusive.is_some() {
        if let Some(rule) = check_range(st, value) {
            return Some(rule);
        }
    }
    if !patterns.is_empty() && !patterns.iter().any(|p| p.is_match(value)) {
        return Some(format!(
            "'{value}' does not match {}",
            st.pattern.join(" or ")
        ));
    }
    None
}

/// Whether printable ASCII text changes under collapse: a space at an end, or two in a row.
fn needs_collapse_ascii(text: &str) -> bool {
    let b = text.as_bytes();
    b.first() == Some(&b' ') || b.last() == Some(&b' ') || b.windows(2).any(|w| w == b"  ")
}

/// Whether XML 1.0 can carry `c` at all.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The schema's whiteSpace collapse: runs of white space become one space, none at the ends
/// (borrowed when there is nothing to change).
pub fn collapse(text: &str) -> Cow<'_, str> {
    let trimmed = text.trim_matches(is_xml_space);
    if !trimmed.contains(|c: char| is_xml_space(c) && c != ' ') && !trimmed.contains("  ") {
        return Cow::Borrowed(trimmed);
    }
    Cow::Owned(
        trimmed
            .split(is_xml_space)
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
    )
}

fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

fn listing(values: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut out = values
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if values.len() > SHOWN {
        out.push_str(&format!(", … ({} values)", values.len()));
    }
    out
}

fn check_lexical(base: Builtin, value: &str) -> Option<String> {
    let ok = match base {
        Builtin::Int => value.parse::<i32>().is_ok(),
        Builtin::Long => value.parse::<i64>().is_ok(),
        Builtin::Boolean => matches!(value, "true" | "false" | "1" | "0"),
        Builtin::Decimal => is_decimal(value),
        Builtin::Float => value.parse::<f32>().is_ok() || matches!(value, "INF" | "-INF" | "NaN"),
        Builtin::Date => is_date(value).is_some_and(|rest| rest.is_empty() || is_zone(rest)),
        Builtin::DateTime => is_date_time(value),
        Builtin::NmToken => {
            !value.is_empty()
                && value
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'))
        }
        Builtin::Base64Binary => value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b' ')),
        _ => true,
    };
    (!ok).then(|| format!("'{value}' is not a valid {}", base.xsd_name()))
}

fn is_decimal(value: &str) -> bool {
    let digits = value.strip_prefix(['-', '+']).unwrap_or(value);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next().unwrap_or("");
    (!whole.is_empty() || !fraction.is_empty())
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// `YYYY-MM-DD` at the start of `value`: what follows it, or `None`.
fn is_date(value: &str) -> Option<&str> {
    let rest = value.strip_prefix('-').unwrap_or(value);
    let year_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    let b = rest.as_bytes();
    let ok = year_len >= 4
        && b.get(year_len) == Some(&b'-')
        && digits(b, year_len + 1, 2)
        && b.get(year_len + 3) == Some(&b'-')
        && digits(b, year_len + 4, 2);
    ok.then(|| &rest[year_len + 6..])
}

fn is_date_time(value: &str) -> bool {
    let Some(rest) = is_date(value) else {
        return false;
    };
    let b = rest.as_bytes();
    if !(b.first() == Some(&b'T')
        && digits(b, 1, 2)
        && b.get(3) == Some(&b':')
        && digits(b, 4, 2)
        && b.get(6) == Some(&b':')
        && digits(b, 7, 2))
    {
        return false;
    }
    let mut rest = &rest[9..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &fraction[n..];
    }
    rest.is_empty() || is_zone(rest)
}

fn is_zone(zone: &str) -> bool {
    let b = zone.as_bytes();
    zone == "Z"
        || (b.len() == 6
            && matches!(b[0], b'+' | b'-')
            && digits(b, 1, 2)
            && b[3] == b':'
            && digits(b, 4, 2))
}

fn digits(b: &[u8], at: usize, n: usize) -> bool {
    b.get(at..at + n)
        .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
}

fn check_range(st: &SimpleType, value: &str) -> Option<String> {
    let number = value.parse::<f64>().ok()?;
    let bound = |b: &Option<String>| b.as_deref().and_then(|v| v.parse::<f64>().ok());
    let (min, max) = (bound(&st.min_inclusive), bound(&st.max_inclusive));
    let below = min.is_some_and(|m| number < m);
    let above = max.is_some_and(|m| number > m);
    (below || above).then(|| match (&st.min_inclusive, &st.max_inclusive) {
        (Some(lo), Some(hi)) => format!("{value} is outside {lo}..{hi}"),
        (Some(lo), None) => format!("{value} is below the minimum {lo}"),
        (None, Some(hi)) => format!("{value} is above the maximum {hi}"),
        (None, None) => unreachable!("a bound was broken"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(f: impl FnOnce(&mut SimpleType)) -> SimpleType {
        let mut st = SimpleType::builtin(Builtin::Token);
        f(&mut st);
        st
    }

    #[test]
    fn lengths_ranges_and_enumerations_name_the_rule() {
        let name = token(|s| {
            s.min_length = Some(1);
            s.max_length = Some(30);
        });
        assert_eq!(
            check_text(&name, &[], &"x".repeat(31)).unwrap(),
            "length 31 is outside 1..30"
        );
        assert_eq!(
            check_text(&name, &[], ""),
            Some("length 0 is outside 1..30".into())
        );
        assert_eq!(check_text(&name, &[], "  Sales  "), None);
        let rings = SimpleType {
            base: Some(Builtin::Int),
            min_inclusive: Some("1".into()),
            max_inclusive: Some("20".into()),
            ..SimpleType::default()
        };
        assert_eq!(
            check_text(&rings, &[], "21").unwrap(),
            "21 is outside 1..20"
        );
        assert_eq!(
            check_text(&rings, &[], "x").unwrap(),
            "'x' is not a valid xs:int"
        );
        let policy = token(|s| s.enumeration = vec!["Circular".into(), "Regular".into()]);
        assert_eq!(
            check_text(&policy, &[], "Weightd").unwrap(),
            "'Weightd' is not one of Circular, Regular"
        );
    }

    #[test]
    fn dates_and_characters() {
        let date = SimpleType::builtin(Builtin::Date);
        assert_eq!(check_text(&date, &[], "2024-02-29"), None);
        assert!(check_text(&date, &[], "2024-2-29").is_some());
        let dt = SimpleType::builtin(Builtin::DateTime);
        assert_eq!(check_text(&dt, &[], "2024-02-29T10:00:00.5+01:00"), None);
        assert!(check_text(&dt, &[], "2024-02-29 10:00:00").is_some());
        let s = SimpleType::builtin(Builtin::String);
        assert_eq!(
            check_text(&s, &[], "a\u{0}b").unwrap(),
            "character U+0000 cannot be carried by XML"
        );
    }
}
