//! Group lookups the REST layer needs: the group profile (domain, calling line id number) and
//! its departments (full path names).

use crate::ocip::commands::OciTable;
use crate::ocip::value::{Ignored, OciRequest, Recovery};
use crate::{oci_command, oci_response, oci_table_row};

oci_command! {
    /// The profile of one group.
    pub struct GroupGetRequest22V5 {
        req service_provider_id: String = "serviceProviderId",
        req group_id: String = "groupId",
    }
}

oci_response! {
    /// A group's profile. The calling line id number gives the group's country.
    pub struct GroupGetResponse22V5 {
        req default_domain: String = "defaultDomain",
        req user_limit: i32 = "userLimit",
        req user_count: i32 = "userCount",
        opt group_name: String = "groupName",
        opt calling_line_id_name: String = "callingLineIdName",
        opt calling_line_id_phone_number: String = "callingLineIdPhoneNumber",
        opt calling_line_id_display_phone_number: String = "callingLineIdDisplayPhoneNumber",
        req time_zone: String = "timeZone",
        req time_zone_display_name: String = "timeZoneDisplayName",
        opt location_dialing_code: String = "locationDialingCode",
        list contact: Ignored = "contact",
        list address: Ignored = "address",
        opt service_policy: String = "servicePolicy",
        opt call_processing_slice_id: String = "callProcessingSliceId",
        opt provisioning_slice_id: String = "provisioningSliceId",
        opt subscriber_partition: String = "subscriberPartition",
        opt preferred_data_center: String = "preferredDataCenter",
        opt reseller_id: String = "resellerId",
        opt default_user_calling_line_id_phone_number: String = "defaultUserCallingLineIdPhoneNumber",
        req service_provider_id: String = "serviceProviderId",
        req group_id: String = "groupId",
        opt group_external_id: String = "groupExternalId",
    }
}

oci_command! {
    /// The departments of a group, optionally with those of its enterprise.
    pub struct GroupDepartmentGetListRequest18 {
        req service_provider_id: String = "serviceProviderId",
        req group_id: String = "groupId",
        req include_enterprise_departments: bool = "includeEnterpriseDepartments",
    }
}

oci_response! {
    /// Columns: "Is Enterprise Department", "Department Name", "Full Path Name",
    /// "Calling Line Id Name", "Calling Line Id Phone Number".
    pub struct GroupDepartmentGetListResponse18 {
        req department_table: OciTable = "departmentTable",
    }
}

oci_table_row! {
    /// A row of [`GroupDepartmentGetListResponse18`].
    pub struct DepartmentRow {
        is_enterprise_department = "Is Enterprise Department",
        department_name = "Department Name",
        full_path_name = "Full Path Name",
        calling_line_id_name = "Calling Line Id Name",
        calling_line_id_phone_number = "Calling Line Id Phone Number",
    }
}

oci_command! {
    /// Lists the group's directory numbers and who holds each (the simplest form: no search
    /// criteria).
    pub struct GroupDnGetAssignmentListRequest18 {
        req service_provider_id: String = "serviceProviderId",
        req group_id: String = "groupId",
        opt response_size_limit: i32 = "responseSizeLimit",
    }
}

oci_response! {
    /// Rows: [`DnRow`].
    pub struct GroupDnGetAssignmentListResponse18 {
        req dn_table: OciTable = "dnTable",
    }
}

oci_table_row! {
    /// A row of [`GroupDnGetAssignmentListResponse18`]: one number, or a range `A - B` of
    /// numbers with the same assignment; "User Id" is whoever holds it (empty when free).
    pub struct DnRow {
        phone_numbers = "Phone Numbers",
        department = "Department",
        activated = "Activated",
        user_id = "User Id",
        last_name = "Last Name",
        first_name = "First Name",
        extension = "Extension",
        email_address = "Email Address",
        user_type = "User Type",
        country_code = "Country Code",
        national_prefix = "National Prefix",
    }
}

impl OciRequest for GroupDnGetAssignmentListRequest18 {
    type Response = GroupDnGetAssignmentListResponse18;
    fn recovery(&self) -> Recovery {
        Recovery::Resend
    }
}

impl OciRequest for GroupGetRequest22V5 {
    type Response = GroupGetResponse22V5;
    fn recovery(&self) -> Recovery {
        Recovery::Resend
    }
}
impl OciRequest for GroupDepartmentGetListRequest18 {
    type Response = GroupDepartmentGetListResponse18;
    fn recovery(&self) -> Recovery {
        Recovery::Resend
    }
}
