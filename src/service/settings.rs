//! The hunt group settings the API runs with, resolved and checked once at start-up.

use std::collections::HashMap;
use std::time::Duration;

use serde_json::Value;

use crate::config::Config;
use crate::translate::hunt_group::{basic_template, merge};
use crate::translate::json::HuntGroupInput;
use crate::translate::suid::{SuidRule, DEFAULT_RULE};

/// Resolved hunt group settings.
#[derive(Debug, Clone)]
pub struct HuntGroupSettings {
    /// SUID_HUNT_GROUP_AUTO_GENERATE.
    pub auto_generate: bool,
    /// SUID_HUNT_GROUP_RULE, parsed.
    pub rule: SuidRule,
    /// SERVICE_USERS_UPDATE_ID_PHONE_NUMBER.
    pub update_id_on_phone_change: bool,
    /// GROUP_NUMBERS_USE_CC_CLI.
    pub use_cc_cli: bool,
    /// How long group information is cached.
    pub group_cache_ttl: Duration,
    /// Templates by name, `basic` included: each the full set of defaults it applies.
    pub templates: HashMap<String, Value>,
    /// `[api] extra_domains`: by tenant, the domains besides a group's own that restricted
    /// callers may create ids in.
    pub extra_domains: HashMap<String, Vec<String>>,
}

/// How many times a generated service user id that already exists is generated again.
pub const SUID_ATTEMPTS: usize = 5;

impl HuntGroupSettings {
    /// Resolves and checks the settings: a bad rule or template is an error now.
    pub fn from_config(config: &Config) -> Result<Self, String> {
        let rule_text = config
            .suid_hunt_group_rule
            .clone()
            .unwrap_or_else(|| DEFAULT_RULE.to_owned());
        let rule = SuidRule::parse(&rule_text).map_err(|e| format!("SUID_HUNT_GROUP_RULE: {e}"))?;
        let mut templates = HashMap::from([("basic".to_owned(), basic_template())]);
        for (name, fields) in &config.templates {
            let mut template = basic_template();
            merge(&mut template, fields.clone());
            serde_json::from_value::<HuntGroupInput>(template.clone())
                .map_err(|e| format!("template '{name}': {e}"))?;
            if template.get("templateName").is_some() {
                return Err(format!(
                    "template '{name}': a template cannot name a template"
                ));
            }
            templates.insert(name.clone(), template);
        }
        Ok(Self {
            auto_generate: config.suid_hunt_group_auto_generate.unwrap_or(false),
            rule,
            update_id_on_phone_change: config.service_users_update_id_phone_number.unwrap_or(false),
            use_cc_cli: config.group_numbers_use_cc_cli.unwrap_or(false),
            group_cache_ttl: Duration::from_secs(config.group_info_cache_seconds.unwrap_or(300)),
            templates,
            extra_domains: config.api.extra_domains.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_placeholders_and_bad_templates_fail_at_start() {
        let mut config = Config {
            suid_hunt_group_rule: Some("{{nope}}@{{domain}}".into()),
            ..Config::default()
        };
        let err = HuntGroupSettings::from_config(&config).unwrap_err();
        assert!(
            err.starts_with("SUID_HUNT_GROUP_RULE: unknown placeholder {{nope}}"),
            "{err}"
        );
        config.suid_hunt_group_rule = None;
        config
            .templates
            .insert("bad".into(), serde_json::json!({"queueLength": 3}));
        let err = HuntGroupSettings::from_config(&config).unwrap_err();
        assert!(
            err.contains("template 'bad'") && err.contains("queueLength"),
            "{err}"
        );
    }

    #[test]
    fn templates_build_on_basic() {
        let mut config = Config::default();
        config
            .templates
            .insert("sales".into(), serde_json::json!({"policy": "Circular"}));
        let s = HuntGroupSettings::from_config(&config).unwrap();
        assert_eq!(s.templates["sales"]["policy"], "Circular");
        assert_eq!(s.templates["sales"]["noAnswerNumberOfRings"], 5);
        assert_eq!(s.templates["basic"]["policy"], "Regular");
        assert!(!s.auto_generate);
    }
}
