//! User-level commands: the users of a group, one user's profile, and the rename that also
//! applies to virtual users such as hunt groups.

use crate::ocip::commands::{
    AgentRow, DepartmentKey, GroupHuntGroupGetInstanceRequest20, OciTable,
    SearchCriteriaExactUserDepartment, SearchCriteriaText, SuccessResponse,
};
use crate::ocip::value::{Ignored, OciRequest, Probe, Recovery};
use crate::{oci_command, oci_response, oci_struct, oci_table_row};

oci_command! {
    /// Changes the user id of a real or virtual user (a hunt group's service user id).
    pub struct UserModifyUserIdRequest {
        req user_id: String = "userId",
        req new_user_id: String = "newUserId",
    }
}

impl OciRequest for UserModifyUserIdRequest {
    type Response = SuccessResponse;
    /// The rename happened if the new id exists (ocigw renames hunt groups only, so the probe
    /// reads the hunt group).
    fn recovery(&self) -> Recovery {
        Recovery::Creates(Probe::new(&GroupHuntGroupGetInstanceRequest20 {
            service_user_id: self.new_user_id.clone(),
        }))
    }
}

oci_command! {
    /// The users of a group, filtered by the search criteria.
    pub struct UserGetListInGroupRequest {
        req service_provider_id: String = "serviceProviderId",
        req group_id: String = "GroupId",
        opt response_size_limit: i32 = "responseSizeLimit",
        list search_criteria_user_last_name: SearchCriteriaText = "searchCriteriaUserLastName",
        list search_criteria_user_first_name: SearchCriteriaText = "searchCriteriaUserFirstName",
        list search_criteria_dn: SearchCriteriaText = "searchCriteriaDn",
        list search_criteria_email_address: SearchCriteriaText = "searchCriteriaEmailAddress",
        opt search_criteria_exact_user_department: SearchCriteriaExactUserDepartment = "searchCriteriaExactUserDepartment",
        opt search_criteria_exact_user_in_trunk_group: SearchCriteriaExactUserInTrunkGroup = "searchCriteriaExactUserInTrunkGroup",
        list search_criteria_user_id: SearchCriteriaText = "searchCriteriaUserId",
        list search_criteria_user_external_id: SearchCriteriaText = "searchCriteriaUserExternalId",
        opt search_criteria_exact_user_person_id: SearchCriteriaExactUserPersonId = "searchCriteriaExactUserPersonId",
        list search_criteria_extension: SearchCriteriaText = "searchCriteriaExtension",
    }
}

oci_struct! {
    /// Users in (or not in) a trunk group.
    pub struct SearchCriteriaExactUserInTrunkGroup {
        req user_in_trunk_group: bool = "userInTrunkGroup",
    }
}

oci_struct! {
    /// Users with exactly this person id.
    pub struct SearchCriteriaExactUserPersonId {
        req user_person_id: String = "userPersonId",
    }
}

oci_response! {
    /// Rows: [`UserListRow`].
    pub struct UserGetListInGroupResponse {
        req user_table: OciTable = "userTable",
    }
}

oci_table_row! {
    /// A row of [`UserGetListInGroupResponse`] ("Country Code" and "National Prefix" are AS
    /// data mode columns).
    pub struct UserListRow {
        user_id = "User Id",
        last_name = "Last Name",
        first_name = "First Name",
        department = "Department",
        phone_number = "Phone Number",
        phone_number_activated = "Phone Number Activated",
        email_address = "Email Address",
        hiragana_last_name = "Hiragana Last Name",
        hiragana_first_name = "Hiragana First Name",
        in_trunk_group = "In Trunk Group",
        extension = "Extension",
        country_code = "Country Code",
        national_prefix = "National Prefix",
    }
}

impl From<AgentRow> for UserListRow {
    /// The columns a group's user shares with an agent; an agent row has no "In Trunk Group"
    /// column, so the user is taken as not in one.
    fn from(a: AgentRow) -> Self {
        Self {
            user_id: a.user_id,
            last_name: a.last_name,
            first_name: a.first_name,
            department: a.department,
            phone_number: a.phone_number,
            phone_number_activated: a.is_phone_number_activated,
            email_address: a.email_address,
            hiragana_last_name: a.hiragana_last_name,
            hiragana_first_name: a.hiragana_first_name,
            in_trunk_group: false.to_string(),
            extension: a.extension,
            country_code: a.country_code,
            national_prefix: a.national_prefix,
        }
    }
}

oci_command! {
    /// One user's profile.
    pub struct UserGetRequest23V2 {
        req user_id: String = "userId",
    }
}

oci_response! {
    /// A user's profile. The phone numbers are national digits; `countryCode` goes with them.
    pub struct UserGetResponse23V2 {
        req service_provider_id: String = "serviceProviderId",
        req group_id: String = "groupId",
        req user_id: String = "userId",
        req last_name: String = "lastName",
        req first_name: String = "firstName",
        req calling_line_id_last_name: String = "callingLineIdLastName",
        req calling_line_id_first_name: String = "callingLineIdFirstName",
        opt name_dialing_name: Ignored = "nameDialingName",
        opt hiragana_last_name: String = "hiraganaLastName",
        opt hiragana_first_name: String = "hiraganaFirstName",
        opt phone_number: String = "phoneNumber",
        opt extension: String = "extension",
        opt calling_line_id_phone_number: String = "callingLineIdPhoneNumber",
        opt department: DepartmentKey = "department",
        opt department_full_path: String = "departmentFullPath",
        req language: String = "language",
        req time_zone: String = "timeZone",
        req time_zone_display_name: String = "timeZoneDisplayName",
        req default_alias: String = "defaultAlias",
        list alias: String = "alias",
        opt access_device_endpoint: Ignored = "accessDeviceEndpoint",
        opt trunk_addressing: Ignored = "trunkAddressing",
        opt title: String = "title",
        opt pager_phone_number: String = "pagerPhoneNumber",
        opt mobile_phone_number: String = "mobilePhoneNumber",
        opt email_address: String = "emailAddress",
        opt yahoo_id: String = "yahooId",
        opt address_location: String = "addressLocation",
        opt address: Ignored = "address",
        req country_code: String = "countryCode",
        opt national_prefix: String = "nationalPrefix",
        opt network_class_of_service: String = "networkClassOfService",
        opt office_zone_name: String = "officeZoneName",
        opt primary_zone_name: String = "primaryZoneName",
        opt imp_id: String = "impId",
        list alternate_user_id: Ignored = "alternateUserId",
        req allow_video: bool = "allowVideo",
        opt reseller_id: String = "resellerId",
        opt service_provider_external_id: String = "serviceProviderExternalId",
        opt group_external_id: String = "groupExternalId",
        opt user_external_id: String = "userExternalId",
        opt user_person_id: String = "userPersonId",
        opt is_place: bool = "isPlace",
        opt location_dialing_code: String = "locationDialingCode",
    }
}

impl OciRequest for UserGetListInGroupRequest {
    type Response = UserGetListInGroupResponse;
    fn recovery(&self) -> Recovery {
        Recovery::Resend
    }
}

impl OciRequest for UserGetRequest23V2 {
    type Response = UserGetResponse23V2;
    fn recovery(&self) -> Recovery {
        Recovery::Resend
    }
}
