//! Phone numbers between BroadWorks and JSON.
//!
//! Responses carry E.164 (`+3225126778`) whatever form BroadWorks used: `+32-25126778` in tables,
//! national digits plus a separate country code in profiles, and — on some servers — national
//! digits alone in list tables (the GROUP_NUMBERS_USE_CC_CLI workaround reads those as national
//! numbers of the group's country). Requests go to BroadWorks as `+CC-NNNN`.

/// Country calling codes of two digits (ITU-T E.164 assignments); `1` and `7` are the one-digit
/// codes and every other code has three digits. The codes are prefix-free, so this is enough to
/// split any E.164 number.
const TWO_DIGIT_CODES: [u16; 44] = [
    20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56,
    57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
];

/// The country code at the start of E.164 digits (without `+`).
pub fn split_country_code(digits: &str) -> Option<(&str, &str)> {
    if digits.len() < 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let len = match digits.as_bytes()[0] {
        b'1' | b'7' => 1,
        _ if TWO_DIGIT_CODES.contains(&digits[..2].parse().ok()?) => 2,
        b'0' => return None,
        _ => 3,
    };
    Some((&digits[..len], &digits[len..]))
}

/// Normalizes what BroadWorks returned to E.164: `+32-25126778` and `+3225126778` become
/// `+3225126778`. A number without `+` is national: it is completed with `national_cc` (the
/// group's country, when the workaround is on) or returned as it is. Empty stays empty.
pub fn to_e164(number: &str, national_cc: Option<&str>) -> String {
    let number = number.trim();
    if number.is_empty() {
        return String::new();
    }
    if let Some(rest) = number.strip_prefix('+') {
        let digits: String = rest.chars().filter(|c| c.is_ascii_digit()).collect();
        return format!("+{digits}");
    }
    match national_cc {
        Some(cc) if number.bytes().all(|b| b.is_ascii_digit()) => {
            format!("+{cc}{}", number.trim_start_matches('0'))
        }
        _ => number.to_owned(),
    }
}

/// A profile number (national digits and a separate country code) as E.164.
pub fn profile_to_e164(national: Option<&str>, country_code: Option<&str>) -> String {
    match (
        national.map(str::trim).filter(|n| !n.is_empty()),
        country_code,
    ) {
        (Some(n), _) if n.starts_with('+') => to_e164(n, None),
        (Some(n), Some(cc)) => format!("+{cc}{}", n.trim_start_matches('0')),
        (Some(n), None) => n.to_owned(),
        (None, _) => String::new(),
    }
}

/// An E.164 number from a client (`+3225126778`, spaces and dashes allowed) in the form
/// BroadWorks takes for a DN: `+32-25126778`. Numbers without `+` are passed as written
/// (national numbers are BroadWorks's to interpret).
pub fn to_broadworks(number: &str) -> Result<String, String> {
    let number = number.trim();
    let Some(rest) = number.strip_prefix('+') else {
        if number.chars().all(|c| c.is_ascii_digit()) && !number.is_empty() {
            return Ok(number.to_owned());
        }
        return Err(format!(
            "'{number}' is not a phone number (E.164 like +3225126778 expected)"
        ));
    };
    let digits: String = rest
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    let (cc, national) = split_country_code(&digits)
        .ok_or_else(|| format!("'{number}' is not an E.164 number (like +3225126778)"))?;
    if digits.len() > 15 {
        return Err(format!("'{number}' has more than 15 digits"));
    }
    Ok(format!("+{cc}-{national}"))
}

/// The parts used by service user id rules: (E.164 without `+`, country code, national number
/// with a leading 0).
pub fn rule_parts(e164: &str) -> Option<(String, String, String)> {
    let digits = e164.strip_prefix('+')?;
    let (cc, national) = split_country_code(digits)?;
    Some((digits.to_owned(), cc.to_owned(), format!("0{national}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_broadworks_forms_to_e164() {
        assert_eq!(to_e164("+32-25126778", None), "+3225126778");
        assert_eq!(to_e164("+3225126778", None), "+3225126778");
        assert_eq!(to_e164("+1-2125550101", Some("32")), "+12125550101");
        assert_eq!(to_e164("", Some("32")), "");
        assert_eq!(to_e164("25126778", None), "25126778");
        assert_eq!(to_e164("25126778", Some("32")), "+3225126778");
        assert_eq!(to_e164("025126778", Some("32")), "+3225126778");
        assert_eq!(profile_to_e164(Some("25126778"), Some("32")), "+3225126778");
        assert_eq!(profile_to_e164(None, Some("32")), "");
    }

    #[test]
    fn splits_country_codes() {
        assert_eq!(split_country_code("3225126778"), Some(("32", "25126778")));
        assert_eq!(split_country_code("12125550101"), Some(("1", "2125550101")));
        assert_eq!(split_country_code("81355555555"), Some(("81", "355555555")));
        assert_eq!(split_country_code("35212345678"), Some(("352", "12345678")));
        assert_eq!(split_country_code("0123"), None);
        assert_eq!(split_country_code("32a1"), None);
    }

    #[test]
    fn client_numbers_go_out_as_cc_dash_national() {
        assert_eq!(to_broadworks("+3225126778").unwrap(), "+32-25126778");
        assert_eq!(to_broadworks("+32 2 512 67 78").unwrap(), "+32-25126778");
        assert_eq!(to_broadworks("025126778").unwrap(), "025126778");
        assert!(to_broadworks("+32abc").is_err());
        assert!(to_broadworks("call me").is_err());
        assert!(to_broadworks("+1234567890123456").is_err());
    }

    #[test]
    fn rule_parts_of_a_number() {
        assert_eq!(
            rule_parts("+3225126778"),
            Some(("3225126778".into(), "32".into(), "025126778".into()))
        );
    }
}
