//! The REST payloads, with the field names and shapes of the APIO hunt group API.
//!
//! Inputs refuse unknown fields (a stray `queueLength` is an error naming it); outputs follow the
//! order of the spec's examples and carry `""` for absent text, as APIO clients expect.

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use crate::ocip::commands::limits;

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
    #[schemars(length(min = limits::DEPARTMENT_NAME.0, max = limits::DEPARTMENT_NAME.1))]
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
    #[schemars(length(min = limits::PROFILE_NAME.0, max = limits::PROFILE_NAME.1))]
    pub name: Option<String>,
    /// Calling line id last name.
    #[schemars(length(min = limits::PROFILE_NAME.0, max = limits::PROFILE_NAME.1))]
    pub cli_last_name: Option<String>,
    /// Calling line id first name.
    #[schemars(length(min = limits::PROFILE_NAME.0, max = limits::PROFILE_NAME.1))]
    pub cli_first_name: Option<String>,
    /// Hiragana last name.
    #[schemars(length(min = limits::PROFILE_NAME.0, max = limits::PROFILE_NAME.1))]
    pub hiragana_last_name: Option<String>,
    /// Hiragana first name.
    #[schemars(length(min = limits::PROFILE_NAME.0, max = limits::PROFILE_NAME.1))]
    pub hiragana_first_name: Option<String>,
    /// Phone number, E.164; `""` or `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schemars(with = "Option<String>")]
    pub phone_number: Option<Option<String>>,
    /// Extension; `""` or `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schemars(with = "Option<String>")]
    #[schemars(length(min = limits::EXTENSION.0, max = limits::EXTENSION.1))]
    pub extension: Option<Option<String>>,
    /// Voice portal password (never returned).
    #[schemars(length(min = limits::PASSWORD.0, max = limits::PASSWORD.1))]
    pub password: Option<String>,
    /// Department; `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schemars(with = "Option<DepartmentJson>")]
    pub department: Option<Option<DepartmentJson>>,
    /// Language.
    #[schemars(length(min = limits::LANGUAGE.0, max = limits::LANGUAGE.1))]
    pub language: Option<String>,
    /// Time zone, e.g. `Europe/Brussels`.
    #[schemars(length(min = limits::TIME_ZONE.0, max = limits::TIME_ZONE.1))]
    pub time_zone: Option<String>,
    /// Accepted when it agrees with `timeZone`.
    pub time_zone_display_name: Option<String>,
    /// SIP aliases (up to 3).
    #[schemars(length(max = limits::MAX_ALIASES), inner(length(min = limits::SIP_URI.0, max = limits::SIP_URI.1)))]
    pub alias: Option<Vec<String>>,
    /// Public user identity; `""` or `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schemars(with = "Option<String>")]
    #[schemars(length(max = limits::SIP_URI.1))]
    pub public_user_identity: Option<Option<String>>,
    /// Calling line id number, E.164; `""` or `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schemars(with = "Option<String>")]
    pub calling_line_id_phone_number: Option<Option<String>>,
}

/// A hunt group on input: the body of POST (create) and PUT (update).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "HuntGroupInput")]
pub struct HuntGroupInput {
    /// Service user id; generated on create when SUID_HUNT_GROUP_AUTO_GENERATE is on.
    #[schemars(length(max = limits::USER_ID.1))]
    pub service_user_id: Option<String>,
    /// Profile.
    pub service_instance_profile: Option<ProfileInput>,
    /// Circular, Regular, Simultaneous, Uniform, Weighted (or "Weighted Call Distribution").
    #[schemars(extend("enum" = crate::translate::hunt_group::policy_input_names()))]
    pub policy: Option<String>,
    /// Hunt to the next agent after no answer.
    pub hunt_after_no_answer: Option<bool>,
    /// Rings before hunting on (1..20).
    #[schemars(range(min = limits::NO_ANSWER_RINGS.0, max = limits::NO_ANSWER_RINGS.1))]
    pub no_answer_number_of_rings: Option<i32>,
    /// Forward after a timeout.
    pub forward_after_timeout: Option<bool>,
    /// Timeout before forwarding (0..7200).
    #[schemars(range(min = limits::FORWARD_TIMEOUT_SECONDS.0, max = limits::FORWARD_TIMEOUT_SECONDS.1))]
    pub forward_timeout_seconds: Option<i32>,
    /// Forward destination; `""` or `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schemars(with = "Option<String>")]
    #[schemars(length(max = limits::OUTGOING_DN.1))]
    pub forward_to_phone_number: Option<Option<String>>,
    /// Agents in hunt order, as ids or as the agent objects GET returns; replaces the list.
    /// Empty ids are dropped.
    #[schemars(length(max = limits::MAX_AGENTS))]
    pub agents: Option<Vec<AgentRef>>,
    /// Call waiting for agents.
    pub allow_call_waiting_for_agents: Option<bool>,
    /// Use the system CLID setting.
    #[serde(rename = "useSystemHuntGroupCLIDSetting")]
    pub use_system_hunt_group_clid_setting: Option<bool>,
    /// Include the hunt group name in the CLID.
    #[serde(rename = "includeHuntGroupNameInCLID")]
    pub include_hunt_group_name_in_clid: Option<bool>,
    /// Forward when not reachable.
    pub enable_not_reachable_forwarding: Option<bool>,
    /// Not-reachable destination; `""` or `null` removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schemars(with = "Option<String>")]
    #[schemars(length(max = limits::SIP_URI.1))]
    pub not_reachable_forward_to_phone_number: Option<Option<String>>,
    /// Busy when not reachable.
    pub make_busy_when_not_reachable: Option<bool>,
    /// Members may control group busy.
    pub allow_members_to_control_group_busy: Option<bool>,
    /// Group busy.
    pub enable_group_busy: Option<bool>,
    /// Apply group busy when terminating to an agent.
    pub apply_group_busy_when_terminating_to_agent: Option<bool>,
    /// Network class of service.
    #[schemars(length(min = limits::NETWORK_CLASS_OF_SERVICE.0, max = limits::NETWORK_CLASS_OF_SERVICE.1))]
    pub network_class_of_service: Option<String>,
    /// Whether the instance is active.
    pub active: Option<bool>,
    /// Template of defaults applied before these fields (create only).
    pub template_name: Option<String>,
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

/// A hunt group on output (GET, and the answer to POST and PUT).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "HuntGroup")]
pub struct HuntGroupJson {
    /// Service user id.
    pub service_user_id: String,
    /// Profile.
    pub service_instance_profile: ProfileJson,
    /// Policy (OCI name).
    pub policy: String,
    /// Hunt after no answer.
    pub hunt_after_no_answer: bool,
    /// Members control group busy.
    pub allow_members_to_control_group_busy: bool,
    /// Not-reachable destination.
    pub not_reachable_forward_to_phone_number: String,
    /// Not-reachable forwarding.
    pub enable_not_reachable_forwarding: bool,
    /// Busy when not reachable.
    pub make_busy_when_not_reachable: bool,
    /// Agents in hunt order.
    pub agents: Vec<AgentJson>,
    /// Use the system CLID setting.
    #[serde(rename = "useSystemHuntGroupCLIDSetting")]
    pub use_system_hunt_group_clid_setting: bool,
    /// Rings before hunting on.
    pub no_answer_number_of_rings: i32,
    /// Group busy.
    pub enable_group_busy: bool,
    /// Forward destination.
    pub forward_to_phone_number: String,
    /// Timeout before forwarding.
    pub forward_timeout_seconds: i32,
    /// Forward after timeout.
    pub forward_after_timeout: bool,
    /// Call waiting for agents.
    pub allow_call_waiting_for_agents: bool,
    /// Apply group busy when terminating to an agent.
    pub apply_group_busy_when_terminating_to_agent: bool,
    /// Include the name in the CLID.
    #[serde(rename = "includeHuntGroupNameInCLID")]
    pub include_hunt_group_name_in_clid: bool,
    /// Network class of service.
    pub network_class_of_service: String,
    /// Active flag.
    pub active: bool,
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
    #[schemars(length(min = limits::USER_ID.0, max = limits::USER_ID.1))]
    pub user_id: String,
    /// Weight (0..100).
    #[schemars(range(min = limits::WEIGHT.0, max = limits::WEIGHT.1))]
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
