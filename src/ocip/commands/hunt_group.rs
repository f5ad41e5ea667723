//! The hunt group commands: add, get, modify, delete, list, available agents, weighted call
//! distribution and the active flag.

use crate::ocip::commands::limits::*;
use crate::ocip::commands::{
    OciTable, SearchCriteriaExactUserDepartment, SearchCriteriaExactUserGroup, SearchCriteriaText,
    ServiceInstanceAddProfile, ServiceInstanceModifyProfile, ServiceInstanceReadProfile19sp1,
    SuccessResponse,
};
use crate::ocip::document::decode_command;
use crate::ocip::error::DecodeError;
use crate::ocip::value::{Nillable, Node, OciElement, OciRequest, Probe, Recovery};
use crate::ocip::xml::ElementSink;
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
    fn write_element<W: ElementSink>(&self, w: &mut W, name: &str) {
        w.leaf(name, self.as_str());
    }
    fn read_element(e: Node<'_, '_>) -> Result<Self, DecodeError> {
        crate::ocip::value::read_text(e, Self::from_text)
    }
    const FROM_TEXT: Option<crate::ocip::value::FromText<Self>> = Some(Self::from_text);
}

impl HuntPolicy {
    /// The policy an element's text names.
    fn from_text(text: &str) -> Result<Self, DecodeError> {
        Self::parse(text.trim()).ok_or_else(|| {
            DecodeError::new(format!(
                "'{text}' is not a hunt policy (Circular, Regular, Simultaneous, Uniform, Weighted)"
            ))
        })
    }
}

/// The option elements of a hunt group, declared once, in schema order around the agents.
///
/// Each entry is `add_kind modify_kind rust_name: Type = "element" => default;` — its kind in
/// the Add command and the Get answer (`req`, or `opt` where the element may be absent), its
/// kind in the Modify command (`opt`, or `nil` where Modify can clear it with `xsi:nil`), its
/// validated schema type, and the spec's default for a create (the bulk sheet's defaults;
/// `None` for the optional elements). The doc comments describe the field wherever it appears
/// (the REST JSON Schemas and the OpenAPI document take them).
///
/// `hunt_group_options!(callback)` hands the list to `callback!`, which generates one form of a
/// hunt group from it: the commands below, the REST payloads (`translate::json`) and, through
/// [`HuntOptions`], the simulator's store. Adding an element is one line here (plus, for a new
/// schema type, its validated type in `limits` and its REST form in `translate::rest_value`).
macro_rules! hunt_group_options {
    ($callback:ident) => {
        $callback! {
            before_agents: [
                /// How calls are distributed (on input also "Weighted Call Distribution").
                req opt policy: $crate::ocip::commands::HuntPolicy = "policy"
                    => $crate::ocip::commands::HuntPolicy::Regular;
                /// Hunt to the next agent after no answer.
                req opt hunt_after_no_answer: bool = "huntAfterNoAnswer" => true;
                /// Rings before hunting on (1..20).
                req opt no_answer_number_of_rings: $crate::ocip::commands::limits::HuntNoAnswerRings
                    = "noAnswerNumberOfRings"
                    => {
                        const DEFAULT: $crate::ocip::commands::limits::HuntNoAnswerRings =
                            $crate::ocip::commands::limits::HuntNoAnswerRings::of(5);
                        DEFAULT
                    };
                /// Forward calls after a timeout.
                req opt forward_after_timeout: bool = "forwardAfterTimeout" => false;
                /// Seconds before forwarding (0..7200).
                req opt forward_timeout_seconds: $crate::ocip::commands::limits::HuntForwardTimeoutSeconds
                    = "forwardTimeoutSeconds"
                    => {
                        const DEFAULT: $crate::ocip::commands::limits::HuntForwardTimeoutSeconds =
                            $crate::ocip::commands::limits::HuntForwardTimeoutSeconds::of(10);
                        DEFAULT
                    };
                /// Forward destination, E.164 or a SIP URI (`OutgoingDN`); `""` or `null` removes it.
                opt nil forward_to_phone_number: $crate::ocip::commands::limits::OutgoingDn
                    = "forwardToPhoneNumber" => None;
            ]
            after_agents: [
                /// Call waiting for agents.
                req opt allow_call_waiting_for_agents: bool = "allowCallWaitingForAgents" => true;
                /// Use the system's hunt group calling line id setting.
                req opt use_system_hunt_group_clid_setting: bool = "useSystemHuntGroupCLIDSetting" => true;
                /// Include the hunt group name in the calling line id.
                req opt include_hunt_group_name_in_clid: bool = "includeHuntGroupNameInCLID" => true;
                /// Forward when no agent is reachable.
                req opt enable_not_reachable_forwarding: bool = "enableNotReachableForwarding" => false;
                /// Not-reachable destination, E.164 or a SIP URI; `""` or `null` removes it.
                opt nil not_reachable_forward_to_phone_number: $crate::ocip::commands::limits::OutgoingDnOrSipUri
                    = "notReachableForwardToPhoneNumber" => None;
                /// Busy when no agent is reachable.
                req opt make_busy_when_not_reachable: bool = "makeBusyWhenNotReachable" => false;
                /// Agents may set the group busy.
                req opt allow_members_to_control_group_busy: bool = "allowMembersToControlGroupBusy" => false;
                /// The group is busy.
                req opt enable_group_busy: bool = "enableGroupBusy" => false;
                /// Apply group busy to calls that terminate to an agent.
                req opt apply_group_busy_when_terminating_to_agent: bool
                    = "applyGroupBusyWhenTerminatingToAgent" => false;
                /// Network class of service.
                opt opt network_class_of_service: $crate::ocip::commands::limits::NetworkClassOfServiceName
                    = "networkClassOfService" => None;
            ]
        }
    };
}
pub(crate) use hunt_group_options;

/// Sets one option from a Modify's change, by its kinds in [`hunt_group_options!`].
macro_rules! apply_change {
    (req opt, $to:expr, $change:expr) => {
        if let Some(v) = $change {
            $to = v;
        }
    };
    (opt opt, $to:expr, $change:expr) => {
        if let Some(v) = $change {
            $to = Some(v);
        }
    };
    (opt nil, $to:expr, $change:expr) => {
        match $change {
            Some(Nillable::Set(v)) => $to = Some(v),
            Some(Nillable::Nil) => $to = None,
            None => {}
        }
    };
}

/// Whether one option agrees between what was sent and what was found: required options must;
/// optional ones are not compared (a server may fill them in with its own defaults).
macro_rules! same_option {
    (req, $a:expr, $b:expr) => {
        $a == $b
    };
    (opt, $a:expr, $b:expr) => {
        true
    };
}

/// The hunt group's commands and [`HuntOptions`], from the list of [`hunt_group_options!`].
macro_rules! hunt_group_commands {
    (
        before_agents: [ $( $(#[$bdoc:meta])* $bk:ident $bm:ident $bf:ident : $bt:ty = $bx:literal => $bd:expr; )* ]
        after_agents: [ $( $(#[$adoc:meta])* $ak:ident $am:ident $af:ident : $at:ty = $ax:literal => $ad:expr; )* ]
    ) => {
        oci_command! {
            /// Adds a hunt group instance to a group.
            pub struct GroupHuntGroupAddInstanceRequest20 {
                req service_provider_id: String = "serviceProviderId",
                req group_id: String = "groupId",
                req service_user_id: String = "serviceUserId",
                req service_instance_profile: ServiceInstanceAddProfile = "serviceInstanceProfile",
                $( $(#[$bdoc])* $bk $bf: $bt = $bx, )*
                list agent_user_id: String = "agentUserId",
                $( $(#[$adoc])* $ak $af: $at = $ax, )*
            }
        }

        oci_response! {
            /// A hunt group instance. Agents, in hunt order, are the rows of `agent_user_table`
            /// ([`AgentRow`]), whose "Weight" column is the weighted call distribution weight.
            pub struct GroupHuntGroupGetInstanceResponse20 {
                req service_instance_profile: ServiceInstanceReadProfile19sp1 = "serviceInstanceProfile",
                $( $(#[$bdoc])* $bk $bf: $bt = $bx, )*
                req agent_user_table: OciTable = "agentUserTable",
                $( $(#[$adoc])* $ak $af: $at = $ax, )*
            }
        }

        oci_command! {
            /// Changes a hunt group instance; absent fields stay as they are.
            pub struct GroupHuntGroupModifyInstanceRequest {
                req service_user_id: String = "serviceUserId",
                opt service_instance_profile: ServiceInstanceModifyProfile = "serviceInstanceProfile",
                $( $(#[$bdoc])* $bm $bf: $bt = $bx, )*
                nil agent_user_id_list: ReplacementUserIdList = "agentUserIdList",
                $( $(#[$adoc])* $am $af: $at = $ax, )*
            }
        }

        /// A hunt group's options: every element of the Add command and the Get answer but the
        /// ids, the profile and the agents. The simulator stores them as they are.
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct HuntOptions {
            $( $(#[$bdoc])* pub $bf: $crate::oci_struct!(@ty $bk $bt), )*
            $( $(#[$adoc])* pub $af: $crate::oci_struct!(@ty $ak $at), )*
        }

        /// The options a Modify changes (`None`: unchanged; `Nil`: removed).
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct HuntOptionChanges {
            $( $(#[$bdoc])* pub $bf: $crate::oci_struct!(@ty $bm $bt), )*
            $( $(#[$adoc])* pub $af: $crate::oci_struct!(@ty $am $at), )*
        }

        impl HuntOptions {
            /// The spec's defaults for a create (the bulk sheet's; the `basic` template).
            pub fn spec_defaults() -> Self {
                Self { $( $bf: $bd, )* $( $af: $ad, )* }
            }

            /// Applies a Modify's changes.
            pub fn apply(&mut self, changes: HuntOptionChanges) {
                $( apply_change!($bk $bm, self.$bf, changes.$bf); )*
                $( apply_change!($ak $am, self.$af, changes.$af); )*
            }

            /// Whether `found` has the required options these have (the optional ones a server
            /// may fill in with its own defaults, so they are not compared).
            pub fn same_required(&self, found: &Self) -> bool {
                true $( && same_option!($bk, self.$bf, found.$bf) )*
                    $( && same_option!($ak, self.$af, found.$af) )*
            }
        }

        impl GroupHuntGroupAddInstanceRequest20 {
            /// The Add of a hunt group from its parts.
            pub fn new(
                service_provider_id: String,
                group_id: String,
                service_user_id: String,
                service_instance_profile: ServiceInstanceAddProfile,
                options: HuntOptions,
                agent_user_id: Vec<String>,
            ) -> Self {
                Self {
                    service_provider_id,
                    group_id,
                    service_user_id,
                    service_instance_profile,
                    agent_user_id,
                    $( $bf: options.$bf, )*
                    $( $af: options.$af, )*
                }
            }

            /// The options it sets.
            pub fn options(&self) -> HuntOptions {
                HuntOptions { $( $bf: self.$bf.clone(), )* $( $af: self.$af.clone(), )* }
            }
        }

        impl GroupHuntGroupGetInstanceResponse20 {
            /// The Get answer for a hunt group's parts.
            pub fn new(
                service_instance_profile: ServiceInstanceReadProfile19sp1,
                options: HuntOptions,
                agent_user_table: OciTable,
            ) -> Self {
                Self {
                    service_instance_profile,
                    agent_user_table,
                    $( $bf: options.$bf, )*
                    $( $af: options.$af, )*
                }
            }

            /// The options it reads.
            pub fn options(&self) -> HuntOptions {
                HuntOptions { $( $bf: self.$bf.clone(), )* $( $af: self.$af.clone(), )* }
            }
        }

        impl GroupHuntGroupModifyInstanceRequest {
            /// The Modify of a hunt group from its parts.
            pub fn new(
                service_user_id: String,
                service_instance_profile: Option<ServiceInstanceModifyProfile>,
                changes: HuntOptionChanges,
                agent_user_id_list: Option<Nillable<ReplacementUserIdList>>,
            ) -> Self {
                Self {
                    service_user_id,
                    service_instance_profile,
                    agent_user_id_list,
                    $( $bf: changes.$bf, )*
                    $( $af: changes.$af, )*
                }
            }

            /// The option changes it carries.
            pub fn changes(&self) -> HuntOptionChanges {
                HuntOptionChanges { $( $bf: self.$bf.clone(), )* $( $af: self.$af.clone(), )* }
            }
        }
    };
}

hunt_group_options!(hunt_group_commands);

oci_command! {
    /// Reads one hunt group instance.
    pub struct GroupHuntGroupGetInstanceRequest20 {
        req service_user_id: String = "serviceUserId",
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
        GroupHuntGroupGetInstanceResponse20::new(
            ServiceInstanceReadProfile19sp1 {
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
            self.options(),
            agent_user_table,
        )
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
            && self.options().same_required(&found.options())
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
            decode_command::<GroupHuntGroupGetInstanceResponse20>(answer)
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
