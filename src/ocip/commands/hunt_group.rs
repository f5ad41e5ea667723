//! The hunt group commands: add, get, modify, delete, list, available agents, weighted call
//! distribution and the active flag.

use crate::ocip::commands::limits::*;
use crate::ocip::commands::{
    OciTable, SearchCriteriaExactUserDepartment, SearchCriteriaExactUserGroup, SearchCriteriaText,
    ServiceInstanceAddProfile, ServiceInstanceModifyProfile, ServiceInstanceReadProfile19sp1,
    SuccessResponse,
};
use crate::ocip::error::DecodeError;
use crate::ocip::value::{OciCommand, OciElement, OciRequest, Probe, Recovery};
use crate::ocip::xml::{Element, XmlWriter};
use crate::{oci_command, oci_response, oci_struct, oci_table_row};

/// How calls are distributed among the agents (`HuntPolicy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HuntPolicy {
    /// Round robin, starting after the last agent who took a call.
    Circular,
    /// In list order, always from the first agent.
    #[default]
    Regular,
    /// All agents at once.
    Simultaneous,
    /// To the agent idle the longest.
    Uniform,
    /// By configured weight.
    Weighted,
}

impl HuntPolicy {
    /// Every policy, in schema order.
    pub const ALL: [HuntPolicy; 5] = [
        Self::Circular,
        Self::Regular,
        Self::Simultaneous,
        Self::Uniform,
        Self::Weighted,
    ];

    /// The OCI name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Circular => "Circular",
            Self::Regular => "Regular",
            Self::Simultaneous => "Simultaneous",
            Self::Uniform => "Uniform",
            Self::Weighted => "Weighted",
        }
    }

    /// Parses the OCI name (exact case, as the schema's enumeration).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

impl OciElement for HuntPolicy {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.leaf(name, self.as_str());
    }
    fn read_element(e: &Element<'_>) -> Result<Self, DecodeError> {
        let text = String::read_element(e)?;
        Self::parse(text.trim()).ok_or_else(|| {
            DecodeError::new(format!(
                "'{text}' is not a hunt policy (Circular, Regular, Simultaneous, Uniform, Weighted)"
            ))
        })
    }
}

oci_command! {
    /// Adds a hunt group instance to a group.
    pub struct GroupHuntGroupAddInstanceRequest20 {
        req service_provider_id: String = "serviceProviderId",
        req group_id: String = "groupId",
        req service_user_id: String = "serviceUserId",
        req service_instance_profile: ServiceInstanceAddProfile = "serviceInstanceProfile",
        req policy: HuntPolicy = "policy",
        req hunt_after_no_answer: bool = "huntAfterNoAnswer",
        req no_answer_number_of_rings: HuntNoAnswerRings = "noAnswerNumberOfRings",
        req forward_after_timeout: bool = "forwardAfterTimeout",
        req forward_timeout_seconds: HuntForwardTimeoutSeconds = "forwardTimeoutSeconds",
        opt forward_to_phone_number: OutgoingDn = "forwardToPhoneNumber",
        list agent_user_id: String = "agentUserId",
        req allow_call_waiting_for_agents: bool = "allowCallWaitingForAgents",
        req use_system_hunt_group_clid_setting: bool = "useSystemHuntGroupCLIDSetting",
        req include_hunt_group_name_in_clid: bool = "includeHuntGroupNameInCLID",
        req enable_not_reachable_forwarding: bool = "enableNotReachableForwarding",
        opt not_reachable_forward_to_phone_number: OutgoingDnOrSipUri = "notReachableForwardToPhoneNumber",
        req make_busy_when_not_reachable: bool = "makeBusyWhenNotReachable",
        req allow_members_to_control_group_busy: bool = "allowMembersToControlGroupBusy",
        req enable_group_busy: bool = "enableGroupBusy",
        req apply_group_busy_when_terminating_to_agent: bool = "applyGroupBusyWhenTerminatingToAgent",
        opt network_class_of_service: NetworkClassOfServiceName = "networkClassOfService",
    }
}

oci_command! {
    /// Reads one hunt group instance.
    pub struct GroupHuntGroupGetInstanceRequest20 {
        req service_user_id: String = "serviceUserId",
    }
}

oci_response! {
    /// A hunt group instance. Agents, in hunt order, are the rows of `agent_user_table`, whose
    /// "Weight" column is the weighted call distribution weight.
    pub struct GroupHuntGroupGetInstanceResponse20 {
        req service_instance_profile: ServiceInstanceReadProfile19sp1 = "serviceInstanceProfile",
        req policy: HuntPolicy = "policy",
        req hunt_after_no_answer: bool = "huntAfterNoAnswer",
        req no_answer_number_of_rings: i32 = "noAnswerNumberOfRings",
        req forward_after_timeout: bool = "forwardAfterTimeout",
        req forward_timeout_seconds: i32 = "forwardTimeoutSeconds",
        opt forward_to_phone_number: String = "forwardToPhoneNumber",
        req agent_user_table: OciTable = "agentUserTable",
        req allow_call_waiting_for_agents: bool = "allowCallWaitingForAgents",
        req use_system_hunt_group_clid_setting: bool = "useSystemHuntGroupCLIDSetting",
        req include_hunt_group_name_in_clid: bool = "includeHuntGroupNameInCLID",
        req enable_not_reachable_forwarding: bool = "enableNotReachableForwarding",
        opt not_reachable_forward_to_phone_number: String = "notReachableForwardToPhoneNumber",
        req make_busy_when_not_reachable: bool = "makeBusyWhenNotReachable",
        req allow_members_to_control_group_busy: bool = "allowMembersToControlGroupBusy",
        req enable_group_busy: bool = "enableGroupBusy",
        req apply_group_busy_when_terminating_to_agent: bool = "applyGroupBusyWhenTerminatingToAgent",
        opt network_class_of_service: String = "networkClassOfService",
    }
}

oci_table_row! {
    /// A row of the agent table of [`GroupHuntGroupGetInstanceResponse20`] (agents in hunt
    /// order; "Weight" is the weighted call distribution weight).
    pub struct AgentRow {
        user_id = "User Id",
        last_name = "Last Name",
        first_name = "First Name",
        hiragana_last_name = "Hiragana Last Name",
        hiragana_first_name = "Hiragana First Name",
        weight = "Weight",
        phone_number = "Phone Number",
        extension = "Extension",
        department = "Department",
        email_address = "Email Address",
        is_phone_number_activated = "Is Phone Number Activated",
        country_code = "Country Code",
        national_prefix = "National Prefix",
        department_name = "Department Name",
        department_type = "Department Type",
        parent_department = "Parent Department",
        parent_department_type = "Parent Department Type",
        group_id = "Group Id",
        group_name = "Group Name",
    }
}

oci_struct! {
    /// A list of user ids that replaces the current one (nil clears it).
    pub struct ReplacementUserIdList {
        list user_id: String = "userId",
    }
}

oci_command! {
    /// Changes a hunt group instance; absent fields stay as they are.
    pub struct GroupHuntGroupModifyInstanceRequest {
        req service_user_id: String = "serviceUserId",
        opt service_instance_profile: ServiceInstanceModifyProfile = "serviceInstanceProfile",
        opt policy: HuntPolicy = "policy",
        opt hunt_after_no_answer: bool = "huntAfterNoAnswer",
        opt no_answer_number_of_rings: HuntNoAnswerRings = "noAnswerNumberOfRings",
        opt forward_after_timeout: bool = "forwardAfterTimeout",
        opt forward_timeout_seconds: HuntForwardTimeoutSeconds = "forwardTimeoutSeconds",
        nil forward_to_phone_number: OutgoingDn = "forwardToPhoneNumber",
        nil agent_user_id_list: ReplacementUserIdList = "agentUserIdList",
        opt allow_call_waiting_for_agents: bool = "allowCallWaitingForAgents",
        opt use_system_hunt_group_clid_setting: bool = "useSystemHuntGroupCLIDSetting",
        opt include_hunt_group_name_in_clid: bool = "includeHuntGroupNameInCLID",
        opt enable_not_reachable_forwarding: bool = "enableNotReachableForwarding",
        nil not_reachable_forward_to_phone_number: OutgoingDnOrSipUri = "notReachableForwardToPhoneNumber",
        opt make_busy_when_not_reachable: bool = "makeBusyWhenNotReachable",
        opt allow_members_to_control_group_busy: bool = "allowMembersToControlGroupBusy",
        opt enable_group_busy: bool = "enableGroupBusy",
        opt apply_group_busy_when_terminating_to_agent: bool = "applyGroupBusyWhenTerminatingToAgent",
        opt network_class_of_service: NetworkClassOfServiceName = "networkClassOfService",
    }
}

oci_command! {
    /// Deletes a hunt group instance.
    pub struct GroupHuntGroupDeleteInstanceRequest {
        req service_user_id: String = "serviceUserId",
    }
}

oci_command! {
    /// Lists the hunt groups of a group, optionally of one department.
    pub struct GroupHuntGroupGetInstanceListRequest {
        req service_provider_id: String = "serviceProviderId",
        req group_id: String = "groupId",
        opt group_department_name: String = "groupDepartmentName",
    }
}

oci_response! {
    /// Rows: [`HuntGroupRow`].
    pub struct GroupHuntGroupGetInstanceListResponse {
        req hunt_group_table: OciTable = "huntGroupTable",
    }
}

oci_table_row! {
    /// A row of [`GroupHuntGroupGetInstanceListResponse`].
    pub struct HuntGroupRow {
        service_user_id = "Service User Id",
        name = "Name",
        phone_number = "Phone Number",
        extension = "Extension",
        department = "Department",
        is_active = "Is Active",
        policy = "Policy",
    }
}

oci_command! {
    /// Lists the users that may become agents of a hunt group in this group.
    pub struct GroupHuntGroupGetAvailableUserListRequest {
        req service_provider_id: String = "serviceProviderId",
        req group_id: String = "groupId",
        opt response_size_limit: i32 = "responseSizeLimit",
        list search_criteria_user_last_name: SearchCriteriaText = "searchCriteriaUserLastName",
        list search_criteria_user_first_name: SearchCriteriaText = "searchCriteriaUserFirstName",
        opt search_criteria_exact_user_department: SearchCriteriaExactUserDepartment = "searchCriteriaExactUserDepartment",
        opt search_criteria_exact_user_group: SearchCriteriaExactUserGroup = "searchCriteriaExactUserGroup",
        list search_criteria_user_id: SearchCriteriaText = "searchCriteriaUserId",
        list search_criteria_dn: SearchCriteriaText = "searchCriteriaDn",
        list search_criteria_extension: SearchCriteriaText = "searchCriteriaExtension",
    }
}

oci_response! {
    /// Rows: [`AvailableUserRow`].
    pub struct GroupHuntGroupGetAvailableUserListResponse {
        req user_table: OciTable = "userTable",
    }
}

oci_table_row! {
    /// A row of [`GroupHuntGroupGetAvailableUserListResponse`].
    pub struct AvailableUserRow {
        user_id = "User Id",
        last_name = "Last Name",
        first_name = "First Name",
        hiragana_last_name = "Hiragana Last Name",
        hiragana_first_name = "Hiragana First Name",
        phone_number = "Phone Number",
        extension = "Extension",
        department = "Department",
        email_address = "Email Address",
    }
}

impl From<AgentRow> for AvailableUserRow {
    /// The columns an available user shares with an agent.
    fn from(a: AgentRow) -> Self {
        Self {
            user_id: a.user_id,
            last_name: a.last_name,
            first_name: a.first_name,
            hiragana_last_name: a.hiragana_last_name,
            hiragana_first_name: a.hiragana_first_name,
            phone_number: a.phone_number,
            extension: a.extension,
            department: a.department,
            email_address: a.email_address,
        }
    }
}

oci_struct! {
    /// One agent's weighted call distribution weight (0..100).
    pub struct HuntAgentWeight {
        req agent_user_id: String = "agentUserId",
        req weight: HuntWeight = "weight",
    }
}

oci_command! {
    /// Sets agents' weights; agents not listed get weight 0.
    pub struct GroupHuntGroupModifyInstanceWeightedCallDistributionRequest {
        req service_user_id: String = "serviceUserId",
        list agent_weight: HuntAgentWeight = "agentWeight",
    }
}

oci_struct! {
    /// Whether one service instance is active.
    pub struct ServiceActivation {
        req service_user_id: String = "serviceUserId",
        req is_active: bool = "isActive",
    }
}

oci_command! {
    /// Activates or deactivates hunt group instances (read back from the list's "Is Active").
    pub struct GroupHuntGroupModifyActiveInstanceListRequest {
        list service_activation: ServiceActivation = "serviceActivation",
    }
}

impl GroupHuntGroupAddInstanceRequest20 {
    /// The read that finds the instance this Add creates.
    pub fn probe(&self) -> GroupHuntGroupGetInstanceRequest20 {
        GroupHuntGroupGetInstanceRequest20 {
            service_user_id: self.service_user_id.clone(),
        }
    }

    /// The instance this Add makes, as a Get would read it back (the agent table holds the
    /// agents' ids only, with weight 0): what the gateway answers when the read-back after a
    /// create fails although the create succeeded.
    pub fn as_found(&self) -> GroupHuntGroupGetInstanceResponse20 {
        let p = self.service_instance_profile.clone();
        let agent_user_table = OciTable::of(self.agent_user_id.iter().map(|id| AgentRow {
            user_id: id.clone(),
            weight: "0".into(),
            ..AgentRow::default()
        }));
        GroupHuntGroupGetInstanceResponse20 {
            service_instance_profile: ServiceInstanceReadProfile19sp1 {
                name: p.name.into(),
                calling_line_id_last_name: p.calling_line_id_last_name.into(),
                calling_line_id_first_name: p.calling_line_id_first_name.into(),
                hiragana_last_name: plain(p.hiragana_last_name),
                hiragana_first_name: plain(p.hiragana_first_name),
                phone_number: plain(p.phone_number),
                extension: plain(p.extension),
                country_code: None,
                national_prefix: None,
                department: p.department,
                language: plain(p.language),
                time_zone: plain(p.time_zone),
                time_zone_display_name: None,
                alias: p.alias.into_iter().map(String::from).collect(),
                public_user_identity: plain(p.public_user_identity),
                calling_line_id_phone_number: plain(p.calling_line_id_phone_number),
            },
            policy: self.policy,
            hunt_after_no_answer: self.hunt_after_no_answer,
            no_answer_number_of_rings: self.no_answer_number_of_rings.into(),
            forward_after_timeout: self.forward_after_timeout,
            forward_timeout_seconds: self.forward_timeout_seconds.into(),
            forward_to_phone_number: plain(self.forward_to_phone_number.clone()),
            agent_user_table,
            allow_call_waiting_for_agents: self.allow_call_waiting_for_agents,
            use_system_hunt_group_clid_setting: self.use_system_hunt_group_clid_setting,
            include_hunt_group_name_in_clid: self.include_hunt_group_name_in_clid,
            enable_not_reachable_forwarding: self.enable_not_reachable_forwarding,
            not_reachable_forward_to_phone_number: plain(
                self.not_reachable_forward_to_phone_number.clone(),
            ),
            make_busy_when_not_reachable: self.make_busy_when_not_reachable,
            allow_members_to_control_group_busy: self.allow_members_to_control_group_busy,
            enable_group_busy: self.enable_group_busy,
            apply_group_busy_when_terminating_to_agent: self
                .apply_group_busy_when_terminating_to_agent,
            network_class_of_service: plain(self.network_class_of_service.clone()),
        }
    }

    /// Whether `found` is the instance this Add makes (names, policy, options and agents as
    /// sent), rather than one that held the id before.
    pub fn made(&self, found: &GroupHuntGroupGetInstanceResponse20) -> bool {
        let (p, f) = (
            &self.service_instance_profile,
            &found.service_instance_profile,
        );
        let agents: Vec<String> = found
            .agent_user_table
            .typed::<AgentRow>()
            .map(|row| row.user_id)
            .collect();
        p.name.as_str() == f.name
            && p.calling_line_id_last_name.as_str() == f.calling_line_id_last_name
            && p.calling_line_id_first_name.as_str() == f.calling_line_id_first_name
            && self.policy == found.policy
            && self.hunt_after_no_answer == found.hunt_after_no_answer
            && self.no_answer_number_of_rings.get() == found.no_answer_number_of_rings
            && self.forward_timeout_seconds.get() == found.forward_timeout_seconds
            && agents
                == self
                    .agent_user_id
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
    }
}

impl OciRequest for GroupHuntGroupAddInstanceRequest20 {
    type Response = SuccessResponse;
    fn recovery(&self) -> Recovery {
        let expected = self.clone();
        Recovery::Creates(Probe::new(&self.probe()).confirming(move |answer| {
            GroupHuntGroupGetInstanceResponse20::read_command(answer)
                .is_ok_and(|found| expected.made(&found))
        }))
    }
}
impl OciRequest for GroupHuntGroupGetInstanceRequest20 {
    type Response = GroupHuntGroupGetInstanceResponse20;
    fn recovery(&self) -> Recovery {
        Recovery::Resend
    }
}
impl OciRequest for GroupHuntGroupModifyInstanceRequest {
    type Response = SuccessResponse;
    fn recovery(&self) -> Recovery {
        Recovery::Updates(Probe::new(&GroupHuntGroupGetInstanceRequest20 {
            service_user_id: self.service_user_id.clone(),
        }))
    }
}
impl OciRequest for GroupHuntGroupDeleteInstanceRequest {
    type Response = SuccessResponse;
    fn recovery(&self) -> Recovery {
        Recovery::Deletes(Probe::new(&GroupHuntGroupGetInstanceRequest20 {
            service_user_id: self.service_user_id.clone(),
        }))
    }
}
impl OciRequest for GroupHuntGroupGetInstanceListRequest {
    type Response = GroupHuntGroupGetInstanceListResponse;
    fn recovery(&self) -> Recovery {
        Recovery::Resend
    }
}
impl OciRequest for GroupHuntGroupGetAvailableUserListRequest {
    type Response = GroupHuntGroupGetAvailableUserListResponse;
    fn recovery(&self) -> Recovery {
        Recovery::Resend
    }
}
impl OciRequest for GroupHuntGroupModifyInstanceWeightedCallDistributionRequest {
    type Response = SuccessResponse;
    fn recovery(&self) -> Recovery {
        Recovery::Updates(Probe::new(&GroupHuntGroupGetInstanceRequest20 {
            service_user_id: self.service_user_id.clone(),
        }))
    }
}
impl OciRequest for GroupHuntGroupModifyActiveInstanceListRequest {
    type Response = SuccessResponse;
    fn recovery(&self) -> Recovery {
        Recovery::Resend
    }
}
