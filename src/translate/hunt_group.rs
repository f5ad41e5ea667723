//! Hunt groups between the REST payloads and the OCI commands: plain functions, no I/O.

use serde_json::Value;

use crate::ocip::commands::limits::{self, OciText, ServiceInstanceProfileName, SipUri, TimeZone};
use crate::ocip::commands::*;
use crate::ocip::value::Nillable;
use crate::ocip::Secret;
use crate::timezone;
use crate::translate::json::*;
use crate::translate::rest_value::{number, typed, typed_int};
use crate::translate::{Checks, FieldError, FieldErrors};

pub use crate::translate::render::*;

/// What translation needs to know about the group the hunt group lives in.
#[derive(Debug, Clone, Default)]
pub struct GroupContext {
    /// Tenant (service provider) id.
    pub tenant_id: String,
    /// Group id.
    pub group_id: String,
    /// The group's default domain.
    pub domain: String,
    /// Country code of the group's calling line id number.
    pub country_code: Option<String>,
    /// The group's departments (and its enterprise's).
    pub departments: Vec<DepartmentInfo>,
    /// GROUP_NUMBERS_USE_CC_CLI: read national list numbers as numbers of the group's country.
    pub use_cc_cli: bool,
}

/// One department as listed by BroadWorks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentInfo {
    /// Name.
    pub name: String,
    /// `parent \ child` path.
    pub full_path: String,
    /// Whether it is an enterprise department.
    pub enterprise: bool,
}

/// The built-in `basic` template: the spec's defaults for every hunt group option (declared
/// with the options, in `hunt_group_options!`).
pub fn basic_template() -> Value {
    options_template(&HuntOptions::spec_defaults())
}

/// Deep-merges `over` into `base`: objects merge key by key, anything else replaces.
pub fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(base), Value::Object(over)) => {
            for (key, value) in over {
                match base.get_mut(&key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, over) => *base = over,
    }
}

/// A text of the schema type `T`, checked by that type, as a plain string (for the command
/// fields the schema types as `String`).
fn text<T: OciText + Into<String>>(field: &str, value: &str) -> Result<String, FieldError> {
    typed::<T>(field, value).map(Into::into)
}

/// A department object as the OCI key, checked against the path's tenant.
pub fn department_key(
    ctx: &GroupContext,
    dept: &DepartmentJson,
) -> Result<DepartmentKey, FieldError> {
    let field = "serviceInstanceProfile.department";
    let name =
        text::<limits::DepartmentName>(&format!("{field}.departmentName"), &dept.department_name)?;
    let tenant = dept
        .tenant_id
        .clone()
        .unwrap_or_else(|| ctx.tenant_id.clone());
    if tenant != ctx.tenant_id {
        return Err(FieldError::new(
            &format!("{field}.tenantId"),
            format!(
                "the department must belong to tenant {}, not {tenant}",
                ctx.tenant_id
            ),
        ));
    }
    Ok(match &dept.group_id {
        Some(group) => DepartmentKey::Group(GroupDepartmentKey {
            service_provider_id: tenant,
            group_id: group.clone(),
            name,
        }),
        None => DepartmentKey::Enterprise(EnterpriseDepartmentKey {
            service_provider_id: tenant,
            name,
        }),
    })
}

fn time_zone_checked(profile: &ProfileInput) -> Result<Option<TimeZone>, FieldError> {
    let field = "serviceInstanceProfile.timeZoneDisplayName";
    match (&profile.time_zone, &profile.time_zone_display_name) {
        (Some(zone), Some(display)) => {
            let zone: TimeZone = typed("serviceInstanceProfile.timeZone", zone)?;
            match timezone::display_name(&zone) {
                Some(expected) if &expected == display => Ok(Some(zone)),
                Some(expected) => Err(FieldError::new(
                    field,
                    format!("'{display}' does not match timeZone {zone}, whose display name is '{expected}'"),
                )),
                None => Ok(Some(zone)),
            }
        }
        (Some(zone), None) => Ok(Some(typed("serviceInstanceProfile.timeZone", zone)?)),
        (None, Some(_)) => Err(FieldError::new(field, "timeZoneDisplayName needs timeZone")),
        (None, None) => Ok(None),
    }
}

/// Agent ids from the request: empty ids dropped, each checked (the field names the agent's
/// position in the request, empty ones counted).
pub fn agent_ids(agents: &[AgentRef]) -> Result<Vec<String>, FieldErrors> {
    if agents.len() > limits::MAX_AGENTS {
        return Err(FieldError::new(
            "agents",
            format!(
                "{} agents given, at most {} allowed",
                agents.len(),
                limits::MAX_AGENTS
            ),
        )
        .into());
    }
    let mut c = Checks::default();
    let ids = agents
        .iter()
        .enumerate()
        .map(|(i, a)| (i, a.user_id().trim()))
        .filter(|(_, a)| !a.is_empty())
        .map(|(i, a)| c.take(text::<limits::UserId>(&format!("agents[{i}]"), a)))
        .collect();
    c.finish(ids)
}

/// An optional text: absent or empty (as GET answers carry it) means "not given".
fn some_text<T: OciText>(value: &Option<String>, field: &str) -> Result<Option<T>, FieldError> {
    value
        .as_deref()
        .filter(|v| !v.trim().is_empty())
        .map(|v| typed(field, v))
        .transpose()
}

/// A clearable value: `None` untouched, `Some(None)` or `Some("")` cleared, else converted.
fn clearable<T>(
    value: &Option<Option<String>>,
    convert: impl Fn(&str) -> Result<T, FieldError>,
) -> Result<Option<Nillable<T>>, FieldError> {
    match value {
        None => Ok(None),
        Some(None) => Ok(Some(Nillable::Nil)),
        Some(Some(v)) if v.trim().is_empty() => Ok(Some(Nillable::Nil)),
        Some(Some(v)) => convert(v).map(|v| Some(Nillable::Set(v))),
    }
}

fn set_value<T>(value: Option<Nillable<T>>) -> Option<T> {
    match value {
        Some(Nillable::Set(v)) => Some(v),
        _ => None,
    }
}

fn required<T: Clone>(value: &Option<T>, field: &str) -> Result<T, FieldError> {
    value
        .clone()
        .ok_or_else(|| FieldError::new(field, format!("{field} is required")))
}

/// The Add command for a create whose defaults (template) are already merged in. The calling
/// line id names default to the name (the spec's documented defaults exceed BroadWorks's 30
/// characters; see the README). Every bad field is reported, not only the first.
pub fn build_add(
    ctx: &GroupContext,
    input: &HuntGroupInput,
    service_user_id: &str,
) -> Result<GroupHuntGroupAddInstanceRequest20, FieldErrors> {
    let mut c = Checks::default();
    let p = input.service_instance_profile.clone().unwrap_or_default();
    let name: ServiceInstanceProfileName = c.take(
        required(&p.name, "serviceInstanceProfile.name")
            .and_then(|n| typed("serviceInstanceProfile.name", &n)),
    );
    let cli_default = name.to_string();
    let checked = c.take_all(modify_profile(ctx, &p));
    let profile = ServiceInstanceAddProfile {
        calling_line_id_last_name: c.take(typed(
            "serviceInstanceProfile.cliLastName",
            p.cli_last_name.as_deref().unwrap_or(&cli_default),
        )),
        calling_line_id_first_name: c.take(typed(
            "serviceInstanceProfile.cliFirstName",
            p.cli_first_name.as_deref().unwrap_or(&cli_default),
        )),
        name,
        hiragana_last_name: checked.hiragana_last_name,
        hiragana_first_name: checked.hiragana_first_name,
        phone_number: set_value(checked.phone_number),
        extension: set_value(checked.extension),
        password: checked.password,
        department: match checked.department {
            Some(Nillable::Set(key)) => Some(key),
            _ => None,
        },
        language: checked.language,
        time_zone: checked.time_zone,
        alias: match checked.sip_alias_list {
            Some(Nillable::Set(list)) => list.sip_alias,
            _ => Vec::new(),
        },
        public_user_identity: set_value(checked.public_user_identity),
        calling_line_id_phone_number: set_value(checked.calling_line_id_phone_number),
    };
    let options = input.options(&mut c);
    let agents = c.take_all(agent_ids(input.agents.as_deref().unwrap_or_default()));
    let add = GroupHuntGroupAddInstanceRequest20::new(
        ctx.tenant_id.clone(),
        ctx.group_id.clone(),
        c.take(text::<limits::UserId>("serviceUserId", service_user_id)),
        profile,
        options,
        agents,
    );
    c.finish(add)
}

fn aliases(alias: &Option<Vec<String>>) -> Result<Vec<SipUri>, FieldErrors> {
    let list = alias.clone().unwrap_or_default();
    if list.len() > limits::MAX_ALIASES {
        return Err(FieldError::new(
            "serviceInstanceProfile.alias",
            format!(
                "{} aliases given, at most {} allowed",
                list.len(),
                limits::MAX_ALIASES
            ),
        )
        .into());
    }
    let mut c = Checks::default();
    let checked = list
        .iter()
        .enumerate()
        .map(|(i, a)| c.take(typed(&format!("serviceInstanceProfile.alias[{i}]"), a)))
        .collect();
    c.finish(checked)
}

/// The profile fields of a request, checked and converted: absent untouched, `null` or `""`
/// cleared where the schema allows it. The create takes the set values from it too.
fn modify_profile(
    ctx: &GroupContext,
    p: &ProfileInput,
) -> Result<ServiceInstanceModifyProfile, FieldErrors> {
    let mut c = Checks::default();
    let profile = ServiceInstanceModifyProfile {
        name: c.take(some_text(&p.name, "serviceInstanceProfile.name")),
        calling_line_id_last_name: c.take(some_text(
            &p.cli_last_name,
            "serviceInstanceProfile.cliLastName",
        )),
        calling_line_id_first_name: c.take(some_text(
            &p.cli_first_name,
            "serviceInstanceProfile.cliFirstName",
        )),
        hiragana_last_name: c.take(some_text(
            &p.hiragana_last_name,
            "serviceInstanceProfile.hiraganaLastName",
        )),
        hiragana_first_name: c.take(some_text(
            &p.hiragana_first_name,
            "serviceInstanceProfile.hiraganaFirstName",
        )),
        phone_number: c.take(clearable(&p.phone_number, |v| {
            number("serviceInstanceProfile.phoneNumber", v)
        })),
        extension: c.take(clearable(&p.extension, |v| {
            typed("serviceInstanceProfile.extension", v)
        })),
        password: c
            .take(
                p.password
                    .as_deref()
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| text::<limits::Password>("serviceInstanceProfile.password", v))
                    .transpose(),
            )
            .map(Secret::new),
        department: match &p.department {
            None => None,
            Some(None) => Some(Nillable::Nil),
            Some(Some(d)) => c.take(department_key(ctx, d).map(|k| Some(Nillable::Set(k)))),
        },
        language: c.take(some_text(&p.language, "serviceInstanceProfile.language")),
        time_zone: c.take(time_zone_checked(p)),
        sip_alias_list: match &p.alias {
            None => None,
            Some(list) if list.is_empty() => Some(Nillable::Nil),
            Some(_) => c.take_all(
                aliases(&p.alias)
                    .map(|sip_alias| Some(Nillable::Set(ReplacementSIPAliasList { sip_alias }))),
            ),
        },
        public_user_identity: c.take(clearable(&p.public_user_identity, |v| {
            typed("serviceInstanceProfile.publicUserIdentity", v)
        })),
        calling_line_id_phone_number: c.take(clearable(&p.calling_line_id_phone_number, |v| {
            number("serviceInstanceProfile.callingLineIdPhoneNumber", v)
        })),
    };
    c.finish(profile)
}

/// The Modify command for an update, or `None` when the update changes nothing it covers.
pub fn build_modify(
    ctx: &GroupContext,
    service_user_id: &str,
    input: &HuntGroupInput,
) -> Result<Option<GroupHuntGroupModifyInstanceRequest>, FieldErrors> {
    if input.template_name.is_some() {
        return Err(FieldError::new("templateName", "templateName applies to create only").into());
    }
    let mut c = Checks::default();
    let profile = match &input.service_instance_profile {
        None => None,
        Some(p) => {
            let modify = c.take_all(modify_profile(ctx, p));
            (modify != ServiceInstanceModifyProfile::default()).then_some(modify)
        }
    };
    let agents = match &input.agents {
        None => None,
        Some(list) => {
            let ids = c.take_all(agent_ids(list));
            Some(if ids.is_empty() {
                Nillable::Nil
            } else {
                Nillable::Set(ReplacementUserIdList { user_id: ids })
            })
        }
    };
    let changes = input.option_changes(&mut c);
    let modify = GroupHuntGroupModifyInstanceRequest::new(
        service_user_id.to_owned(),
        profile,
        changes,
        agents,
    );
    let modify = c.finish(modify)?;
    let unchanged = GroupHuntGroupModifyInstanceRequest {
        service_user_id: service_user_id.to_owned(),
        ..Default::default()
    };
    Ok((modify != unchanged).then_some(modify))
}

/// The available-users request for the filters.
pub fn available_request(
    ctx: &GroupContext,
    filter: &AvailableUsersFilter,
) -> Result<GroupHuntGroupGetAvailableUserListRequest, FieldError> {
    let mut group = filter
        .sensitive_user_group_equals
        .as_ref()
        .map(|g| {
            Ok(SearchCriteriaExactUserGroup {
                service_provider_id: text::<limits::ServiceProviderId>(
                    "sensitiveUserGroupEquals.tenantId",
                    g.tenant_id.as_deref().unwrap_or(&ctx.tenant_id),
                )?,
                group_id: text::<limits::GroupId>("sensitiveUserGroupEquals.groupId", &g.group_id)?,
            })
        })
        .transpose()?;
    if filter.same_group_only == Some(true) {
        if group.as_ref().is_some_and(|g| g.group_id != ctx.group_id) {
            return Err(FieldError::new(
                "sensitiveUserGroupEquals",
                "sameGroupOnly and sensitiveUserGroupEquals name different groups",
            ));
        }
        group = Some(SearchCriteriaExactUserGroup {
            service_provider_id: ctx.tenant_id.clone(),
            group_id: ctx.group_id.clone(),
        });
    }
    let department = filter
        .sensitive_department_equals
        .as_ref()
        .map(|d| {
            department_key(ctx, d).map(|k| SearchCriteriaExactUserDepartment { department_key: k })
        })
        .transpose()
        .map_err(|e| FieldError::new("sensitiveDepartmentEquals", e.message))?;
    Ok(GroupHuntGroupGetAvailableUserListRequest {
        service_provider_id: ctx.tenant_id.clone(),
        group_id: ctx.group_id.clone(),
        search_criteria_exact_user_department: department,
        search_criteria_exact_user_group: group,
        ..Default::default()
    })
}

/// The weighted distribution request.
pub fn weights_request(
    service_user_id: &str,
    input: &WeightedDistributionInput,
) -> Result<GroupHuntGroupModifyInstanceWeightedCallDistributionRequest, FieldError> {
    let agent_weight = input
        .agents
        .iter()
        .enumerate()
        .map(|(i, a)| {
            Ok(HuntAgentWeight {
                agent_user_id: text::<limits::UserId>(&format!("agents[{i}].userId"), &a.user_id)?,
                weight: typed_int(&format!("agents[{i}].weight"), a.weight)?,
            })
        })
        .collect::<Result<_, FieldError>>()?;
    Ok(
        GroupHuntGroupModifyInstanceWeightedCallDistributionRequest {
            service_user_id: service_user_id.to_owned(),
            agent_weight,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocip::commands::limits::OciInt;
    use serde_json::json;

    fn ctx() -> GroupContext {
        GroupContext {
            tenant_id: "ApioSpTest".into(),
            group_id: "ApioGrpTest".into(),
            domain: "apiotest.example.com".into(),
            country_code: Some("32".into()),
            departments: vec![DepartmentInfo {
                name: "test_department_initial".into(),
                full_path: "test_department_parent_1 \\ test_department_initial".into(),
                enterprise: false,
            }],
            use_cc_cli: true,
        }
    }

    fn input(value: Value) -> HuntGroupInput {
        let mut base = basic_template();
        merge(&mut base, value);
        serde_json::from_value(base).unwrap()
    }

    #[test]
    fn create_with_defaults_numbers_and_department() {
        let add = build_add(
            &ctx(),
            &input(json!({
                "serviceInstanceProfile": {
                    "name": "Sales",
                    "phoneNumber": "+3225126710",
                    "department": {"tenantId": "ApioSpTest", "groupId": "ApioGrpTest", "departmentName": "test_department_initial"},
                    "timeZone": "Europe/Brussels",
                    "timeZoneDisplayName": "(GMT+01:00) Europe/Brussels"
                },
                "policy": "Weighted Call Distribution",
                "agents": ["", "a@x", ""]
            })),
            "sales@apiotest.example.com",
        )
        .unwrap();
        assert_eq!(
            add.service_instance_profile
                .calling_line_id_last_name
                .as_str(),
            "Sales"
        );
        assert_eq!(
            add.service_instance_profile.phone_number.as_deref(),
            Some("+32-25126710")
        );
        assert!(
            matches!(add.service_instance_profile.department, Some(DepartmentKey::Group(ref k)) if k.name == "test_department_initial")
        );
        assert_eq!(add.policy, HuntPolicy::Weighted);
        assert_eq!(add.agent_user_id, ["a@x"]);
        assert_eq!(add.no_answer_number_of_rings.get(), 5);
        assert!(add.hunt_after_no_answer);
    }

    #[test]
    fn bad_values_name_their_field() {
        let cases = [
            (
                json!({"serviceInstanceProfile": {"name": "x"}, "noAnswerNumberOfRings": 21}),
                "noAnswerNumberOfRings",
            ),
            (
                json!({"serviceInstanceProfile": {"name": "x"}, "forwardTimeoutSeconds": -1}),
                "forwardTimeoutSeconds",
            ),
            (
                json!({"serviceInstanceProfile": {}}),
                "serviceInstanceProfile.name",
            ),
            (
                json!({"serviceInstanceProfile": {"name": "x", "phoneNumber": "+32abc"}}),
                "serviceInstanceProfile.phoneNumber",
            ),
            (
                json!({"serviceInstanceProfile": {"name": "x", "timeZone": "Europe/Brussels", "timeZoneDisplayName": "(GMT) Brussels"}}),
                "serviceInstanceProfile.timeZoneDisplayName",
            ),
            (
                json!({"serviceInstanceProfile": {"name": "x"}, "policy": "Random"}),
                "policy",
            ),
            (
                json!({"serviceInstanceProfile": {"name": "x".repeat(31)}}),
                "serviceInstanceProfile.name",
            ),
        ];
        for (value, field) in cases {
            let err = build_add(&ctx(), &input(value.clone()), "s@d")
                .unwrap_err()
                .first()
                .clone();
            assert_eq!(err.field, field, "{value}: {}", err.message);
        }
    }

    #[test]
    fn update_builds_only_what_it_carries() {
        let update: HuntGroupInput = serde_json::from_value(json!({"active": false})).unwrap();
        assert_eq!(build_modify(&ctx(), "s@d", &update).unwrap(), None);
        let update: HuntGroupInput = serde_json::from_value(json!({
            "serviceInstanceProfile": {"language": "French", "phoneNumber": ""},
            "agents": ["", ""]
        }))
        .unwrap();
        let m = build_modify(&ctx(), "s@d", &update).unwrap().unwrap();
        let p = m.service_instance_profile.unwrap();
        assert_eq!(p.language.as_deref(), Some("French"));
        assert_eq!(p.phone_number, Some(Nillable::Nil));
        assert_eq!(m.agent_user_id_list, Some(Nillable::Nil));
        assert_eq!(m.policy, None);
    }

    #[test]
    fn list_numbers_are_e164_with_the_national_workaround() {
        let rows =
            [("a@d", "+32-25126710"), ("b@d", "25126711"), ("c@d", "")].map(|(suid, number)| {
                HuntGroupRow {
                    service_user_id: suid.into(),
                    name: "N".into(),
                    phone_number: number.into(),
                    department: "test_department_parent_1 \\ test_department_initial".into(),
                    is_active: "true".into(),
                    policy: "Regular".into(),
                    ..HuntGroupRow::default()
                }
            });
        let table = OciTable::of(rows);
        let list = list_json(&ctx(), &table);
        let numbers: Vec<&str> = list
            .hunt_groups
            .iter()
            .map(|h| h.phone_number.as_str())
            .collect();
        assert_eq!(numbers, ["+3225126710", "+3225126711", ""]);
        assert_eq!(
            list.hunt_groups[0]
                .department
                .as_ref()
                .unwrap()
                .department_name,
            "test_department_initial"
        );
        let mut off = ctx();
        off.use_cc_cli = false;
        assert_eq!(
            list_json(&off, &table).hunt_groups[1].phone_number,
            "25126711"
        );
    }
}
