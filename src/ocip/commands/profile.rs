//! Service instance profiles and department keys, shared by the hunt group commands.

use crate::oci_struct;
use crate::ocip::commands::limits::*;
use crate::ocip::error::DecodeError;
use crate::ocip::options::Secret;
use crate::ocip::value::{Node, OciElement, OciFields};
use crate::ocip::xml::ElementSink;

oci_struct! {
    /// A department defined in a group.
    pub struct GroupDepartmentKey {
        req service_provider_id: String = "serviceProviderId",
        req group_id: String = "groupId",
        req name: String = "name",
    }
}

oci_struct! {
    /// A department defined at enterprise level.
    pub struct EnterpriseDepartmentKey {
        req service_provider_id: String = "serviceProviderId",
        req name: String = "name",
    }
}

/// The abstract DepartmentKey: on the wire it carries `xsi:type` naming the concrete key.
#[derive(Debug, Clone, PartialEq)]
pub enum DepartmentKey {
    /// `xsi:type="GroupDepartmentKey"`
    Group(GroupDepartmentKey),
    /// `xsi:type="EnterpriseDepartmentKey"`
    Enterprise(EnterpriseDepartmentKey),
}

impl Default for DepartmentKey {
    fn default() -> Self {
        Self::Group(GroupDepartmentKey::default())
    }
}

impl DepartmentKey {
    /// The department's name.
    pub fn name(&self) -> &str {
        match self {
            Self::Group(k) => &k.name,
            Self::Enterprise(k) => &k.name,
        }
    }

    /// The service provider (enterprise) the department belongs to.
    pub fn service_provider_id(&self) -> &str {
        match self {
            Self::Group(k) => &k.service_provider_id,
            Self::Enterprise(k) => &k.service_provider_id,
        }
    }
}

impl OciElement for DepartmentKey {
    fn write_element<W: ElementSink>(&self, w: &mut W, name: &str) {
        match self {
            Self::Group(k) => {
                w.open_typed(name, "GroupDepartmentKey");
                k.write_fields(w);
            }
            Self::Enterprise(k) => {
                w.open_typed(name, "EnterpriseDepartmentKey");
                k.write_fields(w);
            }
        }
        w.close(name);
    }

    fn write_nil<W: ElementSink>(w: &mut W, name: &str) {
        w.nil_typed(name, "GroupDepartmentKey");
    }

    fn read_element(e: Node<'_, '_>) -> Result<Self, DecodeError> {
        let group =
            match e.xsi_type() {
                Some("GroupDepartmentKey") => true,
                Some("EnterpriseDepartmentKey") => false,
                Some(other) => {
                    return Err(DecodeError::new(format!(
                        "'{other}' is not a department key type"
                    )))
                }
                None => return Err(DecodeError::new(
                    "a department key needs xsi:type GroupDepartmentKey or EnterpriseDepartmentKey",
                )),
            };
        if group {
            GroupDepartmentKey::read_content(e).map(Self::Group)
        } else {
            EnterpriseDepartmentKey::read_content(e).map(Self::Enterprise)
        }
    }
}

oci_struct! {
    /// The profile of a new service instance (hunt group, call center…).
    pub struct ServiceInstanceAddProfile {
        req name: ServiceInstanceProfileName = "name",
        req calling_line_id_last_name: CallingLineIdLastName = "callingLineIdLastName",
        req calling_line_id_first_name: CallingLineIdFirstName = "callingLineIdFirstName",
        opt hiragana_last_name: HiraganaLastName = "hiraganaLastName",
        opt hiragana_first_name: HiraganaFirstName = "hiraganaFirstName",
        opt phone_number: Dn = "phoneNumber",
        opt extension: Extension17 = "extension",
        opt password: Secret = "password",
        opt department: DepartmentKey = "department",
        opt language: Language = "language",
        opt time_zone: TimeZone = "timeZone",
        list alias: SipUri = "alias",
        opt public_user_identity: SipUri = "publicUserIdentity",
        opt calling_line_id_phone_number: Dn = "callingLineIdPhoneNumber",
    }
}

oci_struct! {
    /// A list of SIP aliases that replaces the current one.
    pub struct ReplacementSIPAliasList {
        list sip_alias: SipUri = "sipAlias",
    }
}

oci_struct! {
    /// Changes to a service instance profile; absent fields stay as they are, nil clears.
    pub struct ServiceInstanceModifyProfile {
        opt name: ServiceInstanceProfileName = "name",
        opt calling_line_id_last_name: CallingLineIdLastName = "callingLineIdLastName",
        opt calling_line_id_first_name: CallingLineIdFirstName = "callingLineIdFirstName",
        opt hiragana_last_name: HiraganaLastName = "hiraganaLastName",
        opt hiragana_first_name: HiraganaFirstName = "hiraganaFirstName",
        nil phone_number: Dn = "phoneNumber",
        nil extension: Extension17 = "extension",
        opt password: Secret = "password",
        nil department: DepartmentKey = "department",
        opt language: Language = "language",
        opt time_zone: TimeZone = "timeZone",
        nil sip_alias_list: ReplacementSIPAliasList = "sipAliasList",
        nil public_user_identity: SipUri = "publicUserIdentity",
        nil calling_line_id_phone_number: Dn = "callingLineIdPhoneNumber",
    }
}

oci_struct! {
    /// A service instance profile as read back (GroupHuntGroupGetInstanceResponse20).
    pub struct ServiceInstanceReadProfile19sp1 {
        req name: String = "name",
        req calling_line_id_last_name: String = "callingLineIdLastName",
        req calling_line_id_first_name: String = "callingLineIdFirstName",
        opt hiragana_last_name: String = "hiraganaLastName",
        opt hiragana_first_name: String = "hiraganaFirstName",
        opt phone_number: String = "phoneNumber",
        opt extension: String = "extension",
        opt country_code: String = "countryCode",
        opt national_prefix: String = "nationalPrefix",
        opt department: DepartmentKey = "department",
        opt language: String = "language",
        opt time_zone: String = "timeZone",
        opt time_zone_display_name: String = "timeZoneDisplayName",
        list alias: String = "alias",
        opt public_user_identity: String = "publicUserIdentity",
        opt calling_line_id_phone_number: String = "callingLineIdPhoneNumber",
    }
}
