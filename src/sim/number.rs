//! Directory numbers as BroadWorks keeps them: a country code and a national number.
//! Tables show them as `+CC-NNNN`; scalar profile elements as the national digits with a
//! separate country code.

use std::fmt;

/// A directory number.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Dn {
    /// Country code digits, e.g. `32`.
    pub country_code: String,
    /// National significant number, e.g. `25126778`.
    pub national: String,
}

impl Dn {
    /// Parses the data file's form `+CC-NNNN`.
    pub fn parse_canonical(text: &str) -> Option<Self> {
        let (cc, national) = text.strip_prefix('+')?.split_once('-')?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        (digits(cc) && cc.len() <= 3 && digits(national)).then(|| Self {
            country_code: cc.to_owned(),
            national: national.to_owned(),
        })
    }

    /// E.164 without separator: `+3225126778`.
    pub fn e164(&self) -> String {
        format!("+{}{}", self.country_code, self.national)
    }

    /// Whether a number as a client wrote it (`+32-25126778`, `+3225126778`, `25126778`, or
    /// with the national prefix `025126778`) designates this number.
    pub fn matches(&self, text: &str, national_prefix: &str) -> bool {
        let text = text.trim();
        if let Some(rest) = text.strip_prefix('+') {
            let compact: String = rest.chars().filter(|c| *c != '-').collect();
            return compact == format!("{}{}", self.country_code, self.national);
        }
        text == self.national
            || (!national_prefix.is_empty()
                && text.strip_prefix(national_prefix) == Some(self.national.as_str()))
    }
}

impl fmt::Display for Dn {
    /// The table form `+CC-NNNN`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+{}-{}", self.country_code, self.national)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_matches_every_form() {
        let dn = Dn::parse_canonical("+32-25126778").unwrap();
        assert_eq!(dn.to_string(), "+32-25126778");
        assert_eq!(dn.e164(), "+3225126778");
        for form in ["+32-25126778", "+3225126778", "25126778", "025126778"] {
            assert!(dn.matches(form, "0"), "{form}");
        }
        assert!(!dn.matches("+3325126778", "0"));
        assert!(Dn::parse_canonical("3225126778").is_none());
        assert!(Dn::parse_canonical("+32-2512a").is_none());
    }
}
