//! Service user id rules (SUID_HUNT_GROUP_RULE), e.g. `{{group_id}}_hg{{RND_4}}@{{domain}}`.
//!
//! A rule is parsed once at start-up: an unknown placeholder is a configuration error then, not
//! a surprise on the first create.

use rand::Rng;

/// The default rule.
pub const DEFAULT_RULE: &str = "{{group_id}}_hg{{RND_4}}@{{domain}}";

/// One placeholder's source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Var {
    GroupId,
    TenantId,
    Domain,
    Name,
    Extension,
    PhoneNumberE164,
    CountryCode,
    NationalNo0,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Var(Var),
    Random(usize),
}

/// A parsed rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuidRule {
    parts: Vec<Part>,
}

/// The values a rule may use.
#[derive(Debug, Clone, Default)]
pub struct SuidContext<'a> {
    /// Tenant (service provider) id.
    pub tenant_id: &'a str,
    /// Group id.
    pub group_id: &'a str,
    /// The group's default domain.
    pub domain: &'a str,
    /// Hunt group name.
    pub name: Option<&'a str>,
    /// Extension.
    pub extension: Option<&'a str>,
    /// Phone number, E.164 (`+3225126778`).
    pub phone_number_e164: Option<&'a str>,
}

impl SuidRule {
    /// Parses a rule; unknown or malformed placeholders are errors naming them.
    pub fn parse(rule: &str) -> Result<Self, String> {
        let mut parts = Vec::new();
        let mut rest = rule;
        while let Some(start) = rest.find("{{") {
            if start > 0 {
                parts.push(Part::Literal(rest[..start].to_owned()));
            }
            let after = &rest[start + 2..];
            let end = after
                .find("}}")
                .ok_or_else(|| format!("unclosed '{{{{' in service user id rule '{rule}'"))?;
            parts.push(placeholder(after[..end].trim(), rule)?);
            rest = &after[end + 2..];
        }
        if !rest.is_empty() {
            parts.push(Part::Literal(rest.to_owned()));
        }
        if parts.is_empty() {
            return Err("the service user id rule is empty".to_owned());
        }
        Ok(Self { parts })
    }

    /// Whether the rule uses the phone number (so a new number means a new id).
    pub fn uses_phone_number(&self) -> bool {
        self.parts.iter().any(|p| {
            matches!(
                p,
                Part::Var(Var::PhoneNumberE164 | Var::CountryCode | Var::NationalNo0)
            )
        })
    }

    /// Whether the rule has random parts (so a clash can be retried with another id).
    pub fn is_random(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Random(_)))
    }

    /// Renders an id; a placeholder without a value is an error naming it.
    pub fn render(&self, ctx: &SuidContext<'_>) -> Result<String, String> {
        let phone = ctx
            .phone_number_e164
            .filter(|p| !p.is_empty())
            .and_then(super::numbers::rule_parts);
        let mut rng = rand::thread_rng();
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(s) => out.push_str(s),
                Part::Random(n) => {
                    (0..*n).for_each(|_| out.push(char::from(b'0' + rng.gen_range(0..10u8))))
                }
                Part::Var(var) => {
                    let value = match var {
                        Var::GroupId => Some(ctx.group_id.to_owned()),
                        Var::TenantId => Some(ctx.tenant_id.to_owned()),
                        Var::Domain => Some(ctx.domain.to_owned()),
                        Var::Name => ctx.name.map(sanitize),
                        Var::Extension => ctx.extension.map(str::to_owned),
                        Var::PhoneNumberE164 => phone.as_ref().map(|p| p.0.clone()),
                        Var::CountryCode => phone.as_ref().map(|p| p.1.clone()),
                        Var::NationalNo0 => phone.as_ref().map(|p| p.2.clone()),
                    };
                    let value = value.filter(|v| !v.is_empty()).ok_or_else(|| {
                        format!(
                            "the service user id rule uses {{{{{}}}}} but the hunt group has none",
                            var_name(*var)
                        )
                    })?;
                    out.push_str(&value);
                }
            }
        }
        Ok(out)
    }
}

fn placeholder(name: &str, rule: &str) -> Result<Part, String> {
    if let Some(n) = name.strip_prefix("RND_") {
        return match n.parse::<usize>() {
            Ok(n) if (1..=32).contains(&n) => Ok(Part::Random(n)),
            _ => Err(format!(
                "{{{{{name}}}}} in service user id rule '{rule}': RND_N needs N from 1 to 32"
            )),
        };
    }
    let var = match name {
        "group_id" => Var::GroupId,
        "tenant_id" => Var::TenantId,
        "domain" => Var::Domain,
        "name" => Var::Name,
        "extension" => Var::Extension,
        "phone_number_e164" => Var::PhoneNumberE164,
        "country_code" => Var::CountryCode,
        "national_no_0" => Var::NationalNo0,
        _ => {
            return Err(format!(
                "unknown placeholder {{{{{name}}}}} in service user id rule '{rule}' (known: group_id, tenant_id, domain, name, extension, phone_number_e164, country_code, national_no_0, RND_N)"
            ))
        }
    };
    Ok(Part::Var(var))
}

fn var_name(var: Var) -> &'static str {
    match var {
        Var::GroupId => "group_id",
        Var::TenantId => "tenant_id",
        Var::Domain => "domain",
        Var::Name => "name",
        Var::Extension => "extension",
        Var::PhoneNumberE164 => "phone_number_e164",
        Var::CountryCode => "country_code",
        Var::NationalNo0 => "national_no_0",
    }
}

/// A name made fit for the user part of an id: letters, digits, `.`, `_`, `-`; spaces become `_`.
fn sanitize(name: &str) -> String {
    name.trim()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('_'),
            c if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') => Some(c),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> SuidContext<'static> {
        SuidContext {
            tenant_id: "ApioSpTest",
            group_id: "ApioGrpTest",
            domain: "apiotest.example.com",
            name: Some("Sales Team"),
            extension: Some("4100"),
            phone_number_e164: Some("+3225126710"),
        }
    }

    #[test]
    fn default_rule_renders_with_four_random_digits() {
        let rule = SuidRule::parse(DEFAULT_RULE).unwrap();
        let id = rule.render(&ctx()).unwrap();
        let random = id
            .strip_prefix("ApioGrpTest_hg")
            .and_then(|r| r.strip_suffix("@apiotest.example.com"))
            .unwrap();
        assert_eq!(random.len(), 4);
        assert!(random.bytes().all(|b| b.is_ascii_digit()));
        assert!(rule.is_random());
        assert!(!rule.uses_phone_number());
    }

    #[test]
    fn every_placeholder() {
        let rule = SuidRule::parse(
            "{{tenant_id}}.{{group_id}}.{{name}}.{{extension}}.{{phone_number_e164}}.{{country_code}}.{{national_no_0}}@{{domain}}",
        )
        .unwrap();
        assert_eq!(
            rule.render(&ctx()).unwrap(),
            "ApioSpTest.ApioGrpTest.Sales_Team.4100.3225126710.32.025126710@apiotest.example.com"
        );
        assert!(rule.uses_phone_number());
        assert_eq!(
            SuidRule::parse("x{{RND_12}}")
                .unwrap()
                .render(&ctx())
                .unwrap()
                .len(),
            13
        );
    }

    #[test]
    fn unknown_placeholders_and_missing_values_are_errors() {
        let err = SuidRule::parse("{{group}}@{{domain}}").unwrap_err();
        assert!(err.contains("unknown placeholder {{group}}"), "{err}");
        assert!(SuidRule::parse("{{RND_0}}").is_err());
        assert!(SuidRule::parse("{{domain").is_err());
        let rule = SuidRule::parse("hg{{national_no_0}}@{{domain}}").unwrap();
        let mut c = ctx();
        c.phone_number_e164 = None;
        let err = rule.render(&c).unwrap_err();
        assert!(err.contains("{{national_no_0}}"), "{err}");
    }
}
