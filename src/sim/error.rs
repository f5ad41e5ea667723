//! The simulator's refusals, in BroadWorks style (`[Error NNNN] text`).
//!
//! Codes 4008 (user not found), 4962 (invalid password) and 6004 (request validation error)
//! are the ones seen in captures of real servers. The others were chosen for the simulator and
//! are stable: tests and clients may rely on them, but a real server may use other numbers.

use crate::ocip::commands::ErrorResponse;

/// A refusal: code, summary text and optional detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimError {
    /// BroadWorks-style error number.
    pub code: i32,
    /// Summary text without the `[Error N]` prefix.
    pub text: String,
    /// Detail, e.g. which element failed validation.
    pub detail: Option<String>,
}

impl SimError {
    fn new(code: i32, text: impl Into<String>) -> Self {
        Self {
            code,
            text: text.into(),
            detail: None,
        }
    }

    /// The ErrorResponse to send.
    pub fn to_response(&self) -> ErrorResponse {
        ErrorResponse::new(self.code, &self.text, self.detail.clone())
    }

    /// 6004: the request does not match the schema (order, type, range, unknown command).
    pub fn validation(detail: impl Into<String>) -> Self {
        Self {
            detail: Some(detail.into()),
            ..Self::new(6004, "OCI XML Request validation error")
        }
    }

    /// 4990: the command is not one the simulator implements and no recording (`--answers`)
    /// matches it; `why` names the closest recording and how it differs.
    pub fn no_recorded_answer(why: impl Into<String>) -> Self {
        Self {
            detail: Some(why.into()),
            ..Self::new(4990, "No recorded answer matches this request")
        }
    }

    /// 4962: wrong password or unknown administrator (BroadWorks does not say which).
    pub fn invalid_password() -> Self {
        Self::new(4962, "Invalid password")
    }

    /// 4963: a plain-text password login (LoginRequest22V5) over plain TCP.
    pub fn plain_login_needs_tls() -> Self {
        Self::new(
            4963,
            "Login with a plain-text password needs a TLS connection (use AuthenticationRequest and LoginRequest14sp4)",
        )
    }

    /// 4003: a command other than authentication before a successful login.
    pub fn not_logged_in(command: &str) -> Self {
        Self::new(
            4003,
            format!("Not authenticated: log in before sending {command}"),
        )
    }

    /// 4003: the session expired (fault injection); log in again.
    pub fn session_expired() -> Self {
        Self::new(4003, "Not authenticated: the session expired, log in again")
    }

    /// 4966: logins are refused for now (fault injection).
    pub fn logins_refused() -> Self {
        Self::new(
            4966,
            "Login refused: the server does not accept logins at the moment",
        )
    }

    /// 4008: no user or service instance with this id.
    pub fn user_not_found(id: &str) -> Self {
        Self::new(4008, format!("User not found: {id}"))
    }

    /// 4010: the user id is taken by a user or a service instance.
    pub fn user_exists(id: &str) -> Self {
        Self::new(4010, format!("User already exists: {id}"))
    }

    /// 4100: unknown service provider or enterprise.
    pub fn provider_not_found(id: &str) -> Self {
        Self::new(4100, format!("Service Provider not found: {id}"))
    }

    /// 4101: unknown group in the service provider.
    pub fn group_not_found(id: &str) -> Self {
        Self::new(4101, format!("Group not found: {id}"))
    }

    /// 4102: unknown department.
    pub fn department_not_found(name: &str) -> Self {
        Self::new(4102, format!("Department not found: {name}"))
    }

    /// 4200: the number is not assigned to the group.
    pub fn number_not_assigned(number: &str) -> Self {
        Self::new(
            4200,
            format!("Phone number not assigned to the group: {number}"),
        )
    }

    /// 4201: the number is assigned but already used by a user or service.
    pub fn number_in_use(number: &str) -> Self {
        Self::new(4201, format!("Phone number already in use: {number}"))
    }

    /// 4202: the extension is already used in the group.
    pub fn extension_in_use(extension: &str) -> Self {
        Self::new(4202, format!("Extension already in use: {extension}"))
    }

    /// 4203: the agent is not a user of the group (or of its enterprise).
    pub fn agent_not_allowed(agent: &str) -> Self {
        Self::new(
            4203,
            format!("Agent is not in the group or enterprise of the hunt group: {agent}"),
        )
    }

    /// 4204: the agent is listed twice.
    pub fn agent_repeated(agent: &str) -> Self {
        Self::new(4204, format!("Agent listed more than once: {agent}"))
    }

    /// 4205: a weight for a user who is not an agent of the hunt group.
    pub fn not_an_agent(agent: &str) -> Self {
        Self::new(
            4205,
            format!("User is not an agent of this hunt group: {agent}"),
        )
    }

    /// 4206: the service user id has no domain part.
    pub fn user_id_needs_domain(id: &str) -> Self {
        Self::new(4206, format!("The user id must contain a domain: {id}"))
    }

    /// 4207: unknown time zone.
    pub fn time_zone_unknown(zone: &str) -> Self {
        Self::new(4207, format!("Time zone not supported: {zone}"))
    }
}

impl From<String> for SimError {
    /// A schema validation failure described by `detail`.
    fn from(detail: String) -> Self {
        Self::validation(detail)
    }
}
