//! The service providers (enterprises) of the system and the groups of one of them.

use crate::ocip::commands::{OciTable, SearchCriteriaText};
use crate::ocip::value::{OciRequest, Recovery};
use crate::{oci_command, oci_response, oci_table_row};

oci_command! {
    /// The service providers and enterprises, filtered by the search criteria.
    pub struct ServiceProviderGetListRequest {
        opt is_enterprise: bool = "isEnterprise",
        opt response_size_limit: i32 = "responseSizeLimit",
        list search_criteria_service_provider_id: SearchCriteriaText = "searchCriteriaServiceProviderId",
        list search_criteria_service_provider_name: SearchCriteriaText = "searchCriteriaServiceProviderName",
        list search_criteria_reseller_id: SearchCriteriaText = "searchCriteriaResellerId",
    }
}

oci_response! {
    /// Rows: [`ServiceProviderRow`].
    pub struct ServiceProviderGetListResponse {
        req service_provider_table: OciTable = "serviceProviderTable",
    }
}

oci_table_row! {
    /// A row of [`ServiceProviderGetListResponse`] ("Reseller Id" is an AS data mode column).
    pub struct ServiceProviderRow {
        service_provider_id = "Service Provider Id",
        service_provider_name = "Service Provider Name",
        is_enterprise = "Is Enterprise",
        reseller_id = "Reseller Id",
    }
}

oci_command! {
    /// The groups of a service provider, filtered by the search criteria.
    pub struct GroupGetListInServiceProviderRequest {
        req service_provider_id: String = "serviceProviderId",
        opt response_size_limit: i32 = "responseSizeLimit",
        list search_criteria_group_id: SearchCriteriaText = "searchCriteriaGroupId",
        list search_criteria_group_name: SearchCriteriaText = "searchCriteriaGroupName",
    }
}

oci_response! {
    /// Rows: [`GroupListRow`].
    pub struct GroupGetListInServiceProviderResponse {
        req group_table: OciTable = "groupTable",
    }
}

oci_table_row! {
    /// A row of [`GroupGetListInServiceProviderResponse`].
    pub struct GroupListRow {
        group_id = "Group Id",
        group_name = "Group Name",
        user_limit = "User Limit",
    }
}

impl OciRequest for ServiceProviderGetListRequest {
    type Response = ServiceProviderGetListResponse;
    fn recovery(&self) -> Recovery {
        Recovery::Resend
    }
}

impl OciRequest for GroupGetListInServiceProviderRequest {
    type Response = GroupGetListInServiceProviderResponse;
    fn recovery(&self) -> Recovery {
        Recovery::Resend
    }
}
