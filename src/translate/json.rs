//! The REST payloads, with the field names and shapes of the APIO hunt group API.
//!
//! Inputs refuse unknown fields (a stray `queueLength` is an error naming it); outputs follow the
//! order of the spec's examples and carry `""` for absent text, as APIO clients expect.

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use crate::ocip::commands::hunt_group::hunt_group_options;
use crate::ocip::commands::limits;
use crate::ocip::commands::{HuntOptionChanges, HuntOptions};
use crate::translate::rest_value::{
    rest_clearable, rest_optional, rest_required, RequiredText, RestInt, RestText, RestValue,
};
use crate::translate::Checks;

/// A department reference: group-level when `groupId` is present, enterprise-level when only
/// `tenantId` is. On output, a department of another group that the answer does not name (an
/// available user's, say) carries neither: name and path only.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "Department")]
pub struct DepartmentJson {
    /// Tenant (service provider / enterprise) id; defaults to the path's tenant on input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// Group id, for a group department.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// Department name.
    #[schemars(with = "RequiredText<limits::DepartmentName>")]
    pub department_name: String,
    /// `parent \ child` path; output only (accepted and ignored on input).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_path_name: Option<String>,
}

/// `serviceInstanceProfile` on input (create or update). On update, `null` clears a value.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "ProfileInput")]
pub struct ProfileInput {
    /// Hunt group name.
    #[schemars(with = "Option<RestText<limits::ServiceInstanceProfileName>>")]
    pub name: Option<String>,
    /// Calling line id last name.
    #[schemars(with = "Option<RestText<limits::CallingLineIdLastName>>")]
    pub cli_last_name: Option<String>,
    /// Calling line id first name.
    #[schemars(with = "Option<RestText<limits::CallingLineIdFirstName>>")]
    pub cli_first_name: Option<String>,
    /// Hiragana last name.
    #[schemars(with = "Option<RestText<limits::HiraganaLastName>>")]
    pub hiragana_last_name: Option<String>,
    /// Hiragana first name.
    #[schemars(with = "Option<RestText<limits::HiraganaFirstName>>")]
    pub hiragana_first_name: Option<String>,
    /// Phone number, E.164; `""` or `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schemars(with = "Option<String>")]
    pub phone_number: Option<Option<String>>,
    /// Extension; `""` or `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schemars(with = "Option<RestText<limits::Extension17>>")]
    pub extension: Option<Option<String>>,
    /// Voice portal password (never returned).
    #[schemars(with = "Option<RestText<limits::Password>>")]
    pub password: Option<String>,
    /// Department; `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schemars(with = "Option<DepartmentJson>")]
    pub department: Option<Option<DepartmentJson>>,
    /// Language.
    #[schemars(with = "Option<RestText<limits::Language>>")]
    pub language: Option<String>,
    /// Time zone, e.g. `Europe/Brussels`.
    #[schemars(with = "Option<RestText<limits::TimeZone>>")]
    pub time_zone: Option<String>,
    /// Accepted when it agrees with `timeZone`.
    pub time_zone_display_name: Option<String>,
    /// SIP aliases (up to 3).
    #[schemars(with = "Option<Vec<RestText<limits::SipUri>>>", length(max = limits::MAX_ALIASES))]
    pub alias: Option<Vec<String>>,
    /// Public user identity; `""` or `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schemars(with = "Option<RestText<limits::SipUri>>")]
    pub public_user_identity: Option<Option<String>>,
    /// Calling line id number, E.164; `""` or `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schemars(with = "Option<String>")]
    pub calling_line_id_phone_number: Option<Option<String>>,
}

/// One option of a create or of an update from its REST value, by its kind in
/// `hunt_group_options!`: required, optional, or clearable.
macro_rules! option_from_rest {
    (req, $t:ty, $field:expr, $v:expr) => {
        rest_required::<$t>($field, $v)
    };
    (opt, $t:ty, $field:expr, $v:expr) => {
        rest_optional::<$t>($field, $v)
    };
    (nil, $t:ty, $field:expr, $v:expr) => {
        rest_clearable::<$t>($field, $v)
    };
}

/// One option's REST value on output (an absent optional one as `""`).
macro_rules! option_to_rest {
    (req, $t:ty, $v:expr) => {
        <$t as RestValue>::to_rest(&$v)
    };
    (opt, $t:ty, $v:expr) => {
        $v.as_ref()
            .map(<$t as RestValue>::to_rest)
            .unwrap_or_default()
    };
}

/// One option in a template: required ones always, optional ones when set.
macro_rules! option_into_template {
    (req, $t:ty, $map:ident, $xml:literal, $v:expr) => {
        $map.insert($xml.into(), rest_json(<$t as RestValue>::to_rest(&$v)));
    };
    (opt, $t:ty, $map:ident, $xml:literal, $v:expr) => {
        if let Some(v) = &$v {
            $map.insert($xml.into(), rest_json(<$t as RestValue>::to_rest(v)));
        }
    };
}

/// The hunt group's REST payloads, from the list of `hunt_group_options!`: every option is a
/// field of the input (absent: not given; `null`: removed where the schema allows it) and of the
/// output, under its OCI element name.
macro_rules! hunt_group_payloads {
    (
        before_agents: [ $( $(#[$bdoc:meta])* $bk:ident $bm:ident $bf:ident : $bt:ty = $bx:literal => $bd:expr; )* ]
        after_agents: [ $( $(#[$adoc:meta])* $ak:ident $am:ident $af:ident : $at:ty = $ax:literal => $ad:expr; )* ]
    ) => {
        /// A hunt group on input: the body of POST (create) and PUT (update).
        #[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
        #[serde(deny_unknown_fields, rename_all = "camelCase")]
        #[schemars(rename = "HuntGroupInput")]
        pub struct HuntGroupInput {
            /// Service user id; generated on create when SUID_HUNT_GROUP_AUTO_GENERATE is on.
            #[schemars(with = "Option<RestText<limits::UserId>>")]
            pub service_user_id: Option<String>,
            /// Profile.
            pub service_instance_profile: Option<ProfileInput>,
            $(
                $(#[$bdoc])*
                #[serde(default, rename = $bx, deserialize_with = "double_option")]
                pub $bf: Option<Option<<$bt as RestValue>::Json>>,
            )*
            /// Agents in hunt order, as ids or as the agent objects GET returns; replaces the
            /// list. Empty ids are dropped.
            #[schemars(length(max = limits::MAX_AGENTS))]
            pub agents: Option<Vec<AgentRef>>,
            $(
                $(#[$adoc])*
                #[serde(default, rename = $ax, deserialize_with = "double_option")]
                pub $af: Option<Option<<$at as RestValue>::Json>>,
            )*
            /// Whether the instance is active.
            pub active: Option<bool>,
            /// Template of defaults applied before these fields (create only).
            pub template_name: Option<String>,
        }

        impl HuntGroupInput {
            /// The options of a create (its template already merged in): every required option
            /// must be given. Every bad option is noted in `checks`.
            pub fn options(&self, checks: &mut Checks) -> HuntOptions {
                HuntOptions {
                    $( $bf: checks.take(option_from_rest!($bk, $bt, $bx, &self.$bf)), )*
                    $( $af: checks.take(option_from_rest!($ak, $at, $ax, &self.$af)), )*
                }
            }

            /// The options an update changes. Every bad option is noted in `checks`.
            pub fn option_changes(&self, checks: &mut Checks) -> HuntOptionChanges {
                HuntOptionChanges {
                    $( $bf: checks.take(option_from_rest!($bm, $bt, $bx, &self.$bf)), )*
                    $( $af: checks.take(option_from_rest!($am, $at, $ax, &self.$af)), )*
                }
            }
        }

        /// A hunt group on output (GET, and the answer to POST and PUT).
        #[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
        #[serde(rename_all = "camelCase")]
        #[schemars(rename = "HuntGroup")]
        pub struct HuntGroupJson {
            /// Service user id.
            pub service_user_id: String,
            /// Profile.
            pub service_instance_profile: ProfileJson,
            $(
                $(#[$bdoc])*
                #[serde(rename = $bx)]
                pub $bf: <$bt as RestValue>::Json,
            )*
            /// Agents in hunt order.
            pub agents: Vec<AgentJson>,
            $(
                $(#[$adoc])*
                #[serde(rename = $ax)]
                pub $af: <$at as RestValue>::Json,
            )*
            /// Active flag.
            pub active: bool,
        }

        impl HuntGroupJson {
            /// A hunt group's answer from its parts.
            pub fn new(
                service_user_id: String,
                service_instance_profile: ProfileJson,
                options: &HuntOptions,
                agents: Vec<AgentJson>,
                active: bool,
            ) -> Self {
                Self {
                    service_user_id,
                    service_instance_profile,
                    agents,
                    active,
                    $( $bf: option_to_rest!($bk, $bt, options.$bf), )*
                    $( $af: option_to_rest!($ak, $at, options.$af), )*
                }
            }
        }

        /// The options as REST fields of a template: the required ones, and the optional ones
        /// that are set.
        pub fn options_template(options: &HuntOptions) -> serde_json::Value {
            let mut map = serde_json::Map::new();
            $( option_into_template!($bk, $bt, map, $bx, options.$bf); )*
            $( option_into_template!($ak, $at, map, $ax, options.$af); )*
            serde_json::Value::Object(map)
        }
    };
}

hunt_group_options!(hunt_group_payloads);

/// A REST value as JSON (every REST form serializes; a failure would be a bug, shown as null).
fn rest_json<J: Serialize>(value: J) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}

/// An agent named in a request: its user id, or an agent object as GET returns it (so a GET
/// answer can be edited and sent back; only `userId` is used, weights are set through
/// `weighted_distribution`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "AgentRef")]
pub enum AgentRef {
    /// `"user@domain"`
    Id(String),
    /// `{"userId": "user@domain", …}`
    Object(Box<AgentObjectInput>),
}

impl AgentRef {
    /// The agent's user id.
    pub fn user_id(&self) -> &str {
        match self {
            Self::Id(id) => id,
            Self::Object(o) => &o.user_id,
        }
    }
}

/// The agent object of a GET answer, accepted on input.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "AgentObjectInput")]
pub struct AgentObjectInput {
    /// User id.
    pub user_id: String,
    /// Ignored on input.
    pub last_name: Option<String>,
    /// Ignored on input.
    pub first_name: Option<String>,
    /// Ignored on input (see weighted_distribution).
    pub weight: Option<i32>,
    /// Ignored on input.
    pub phone_number: Option<String>,
    /// Ignored on input.
    pub extension: Option<String>,
    /// Ignored on input.
    pub department: Option<DepartmentJson>,
    /// Ignored on input.
    pub email_address: Option<String>,
}

/// `serviceInstanceProfile` on output.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "Profile")]
pub struct ProfileJson {
    /// Name.
    pub name: String,
    /// Calling line id last name.
    pub cli_last_name: String,
    /// Calling line id first name.
    pub cli_first_name: String,
    /// Hiragana last name.
    pub hiragana_last_name: String,
    /// Hiragana first name.
    pub hiragana_first_name: String,
    /// Language.
    pub language: String,
    /// Phone number, E.164.
    pub phone_number: String,
    /// Extension.
    pub extension: String,
    /// Department, when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<DepartmentJson>,
    /// Public user identity.
    pub public_user_identity: String,
    /// Time zone.
    pub time_zone: String,
    /// Time zone display name, e.g. `(GMT+01:00) Europe/Brussels`.
    pub time_zone_display_name: String,
    /// SIP aliases.
    pub alias: Vec<String>,
    /// Calling line id number, E.164.
    pub calling_line_id_phone_number: String,
}

/// An agent (or an available user) on output.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "Agent")]
pub struct AgentJson {
    /// User id.
    pub user_id: String,
    /// Last name.
    pub last_name: String,
    /// First name.
    pub first_name: String,
    /// Weighted call distribution weight (agents only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<i32>,
    /// Phone number, E.164.
    pub phone_number: String,
    /// Extension.
    pub extension: String,
    /// Department, when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<DepartmentJson>,
    /// Email address.
    pub email_address: String,
}

/// One entry of the hunt group list.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "HuntGroupSummary")]
pub struct HuntGroupSummaryJson {
    /// Service user id.
    pub service_user_id: String,
    /// Name.
    pub name: String,
    /// Phone number, E.164.
    pub phone_number: String,
    /// Extension.
    pub extension: String,
    /// Department, when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<DepartmentJson>,
    /// Active flag.
    pub active: bool,
    /// Policy.
    pub policy: String,
}

/// `GET …/hunt_groups/`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(rename = "HuntGroupList")]
pub struct HuntGroupListJson {
    /// The hunt groups.
    pub hunt_groups: Vec<HuntGroupSummaryJson>,
}

/// `GET …/users/available/`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(rename = "AvailableUsers")]
pub struct AvailableUsersJson {
    /// Users that may become agents.
    pub available_users: Vec<AgentJson>,
}

/// `GET …/weighted_distribution/`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(rename = "WeightedDistribution")]
pub struct WeightedDistributionJson {
    /// Agents with their weights.
    pub agents: Vec<AgentJson>,
}

/// One agent's weight on input.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "AgentWeightInput")]
pub struct AgentWeightInput {
    /// Agent user id.
    #[schemars(with = "RequiredText<limits::UserId>")]
    pub user_id: String,
    /// Weight (0..100).
    #[schemars(with = "RestInt<limits::HuntWeight>")]
    pub weight: i32,
}

/// `PUT …/weighted_distribution/`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "WeightedDistributionInput")]
pub struct WeightedDistributionInput {
    /// Weights; agents not listed get 0.
    pub agents: Vec<AgentWeightInput>,
}

/// Filters of `GET …/users/available/` (query parameters or JSON body).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "AvailableUsersFilter")]
pub struct AvailableUsersFilter {
    /// Only users of the hunt group's own group.
    pub same_group_only: Option<bool>,
    /// Only users of this department.
    pub sensitive_department_equals: Option<DepartmentJson>,
    /// Only users of this group.
    pub sensitive_user_group_equals: Option<UserGroupJson>,
}

/// A group reference in a filter.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "UserGroup")]
pub struct UserGroupJson {
    /// Tenant; defaults to the path's tenant.
    pub tenant_id: Option<String>,
    /// Group id.
    pub group_id: String,
}

/// Distinguishes an absent field (`None`) from an explicit `null` (`Some(None)`).
fn double_option<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
