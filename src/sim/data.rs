//! The simulator's data file (TOML): service providers and enterprises, groups with their domain,
//! calling line id number, departments and assigned numbers, users, administrators and existing
//! hunt groups. `fixtures/sim/demo.toml` is the demo directory and the format's reference.

use std::path::Path;

use serde::Deserialize;

/// The demo directory shipped with ocigw, used when no data file is given.
pub const DEMO_DATA: &str = include_str!("../../fixtures/sim/demo.toml");

/// A whole data file.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct DataFile {
    /// Administrators allowed to log in.
    #[serde(default)]
    pub admins: Vec<AdminData>,
    /// Service providers and enterprises.
    #[serde(default)]
    pub service_providers: Vec<ProviderData>,
    /// Groups.
    #[serde(default)]
    pub groups: Vec<GroupData>,
    /// Users (agents).
    #[serde(default)]
    pub users: Vec<UserData>,
    /// Hunt groups that exist at start.
    #[serde(default)]
    pub hunt_groups: Vec<HuntGroupData>,
    /// Faults to inject (see `ocigw sim --help`).
    #[serde(default)]
    pub faults: crate::sim::faults::FaultSettings,
    /// What SystemSoftwareVersionGetRequest answers ([`DEFAULT_SOFTWARE_VERSION`] when absent).
    pub software_version: Option<String>,
}

/// The software version the simulator reports unless the data file says otherwise: an R25
/// version in the form real servers give (`release_patch.build`).
pub const DEFAULT_SOFTWARE_VERSION: &str = "25.0_1.0";

/// An administrator.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminData {
    /// Login id.
    pub user: String,
    /// Password.
    pub password: String,
}

/// A service provider, or an enterprise when `enterprise` is true.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderData {
    /// Service provider id.
    pub id: String,
    /// Display name (the "Service Provider Name" column of the provider list).
    pub name: Option<String>,
    /// Whether it is an enterprise (agents may then come from any of its groups).
    #[serde(default)]
    pub enterprise: bool,
    /// Enterprise-level departments.
    #[serde(default)]
    pub departments: Vec<DepartmentData>,
}

/// A department; `parent` names another department of the same level.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepartmentData {
    /// Department name.
    pub name: String,
    /// Parent department name.
    pub parent: Option<String>,
}

/// A group.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupData {
    /// Owning service provider or enterprise.
    pub service_provider: String,
    /// Group id.
    pub id: String,
    /// Display name.
    pub name: Option<String>,
    /// Default domain.
    pub domain: String,
    /// Calling line id number, `+CC-NNNN`; its country code is the group's country.
    pub calling_line_id_phone_number: Option<String>,
    /// Calling line id name.
    pub calling_line_id_name: Option<String>,
    /// Time zone (e.g. `Europe/Brussels`).
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
    /// National prefix of the group's country.
    #[serde(default = "default_national_prefix")]
    pub national_prefix: String,
    /// Numbers assigned to the group, each `+CC-NNNN`.
    #[serde(default)]
    pub numbers: Vec<String>,
    /// Group-level departments.
    #[serde(default)]
    pub departments: Vec<DepartmentData>,
    /// Most users the group may hold.
    #[serde(default = "default_user_limit")]
    pub user_limit: i32,
    /// Quirk seen on some real servers: "Phone Number" cells of list responses carry the
    /// national number without country code. Off by default.
    #[serde(default)]
    pub list_numbers_national: bool,
}

/// A user, which may become a hunt group agent.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserData {
    /// User id, `user@domain`.
    pub id: String,
    /// Service provider of the user's group.
    pub service_provider: String,
    /// Group.
    pub group: String,
    /// Last name.
    pub last_name: String,
    /// First name.
    pub first_name: String,
    /// Hiragana last name.
    pub hiragana_last_name: Option<String>,
    /// Hiragana first name.
    pub hiragana_first_name: Option<String>,
    /// Number, `+CC-NNNN`, assigned to the group.
    pub phone_number: Option<String>,
    /// Extension.
    pub extension: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Department name (group-level unless `enterprise_department`).
    pub department: Option<String>,
    /// Whether `department` is an enterprise-level department.
    #[serde(default)]
    pub enterprise_department: bool,
}

/// A hunt group present at start (most fields default as the bulk defaults do).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HuntGroupData {
    /// Service provider.
    pub service_provider: String,
    /// Group.
    pub group: String,
    /// Service user id.
    pub service_user_id: String,
    /// Profile name.
    pub name: String,
    /// Policy (OCI name).
    #[serde(default = "default_policy")]
    pub policy: String,
    /// Number, `+CC-NNNN`.
    pub phone_number: Option<String>,
    /// Extension.
    pub extension: Option<String>,
    /// Agents in hunt order.
    #[serde(default)]
    pub agents: Vec<String>,
    /// Whether the instance is active.
    #[serde(default = "default_true")]
    pub active: bool,
}

fn default_time_zone() -> String {
    "Europe/Brussels".to_owned()
}
fn default_national_prefix() -> String {
    "0".to_owned()
}
fn default_user_limit() -> i32 {
    1000
}
fn default_policy() -> String {
    "Regular".to_owned()
}
fn default_true() -> bool {
    true
}

impl DataFile {
    /// Parses a data file's text.
    pub fn parse(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    /// Reads and parses a data file; errors name the file.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read simulator data file {}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The demo directory.
    pub fn demo() -> Self {
        // The demo file is part of the binary and covered by tests; a parse failure is a bug.
        Self::parse(DEMO_DATA).expect("the embedded demo data file parses")
    }
}
