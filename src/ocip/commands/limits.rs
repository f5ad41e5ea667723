//! Value limits of the official schema (R25) for the hunt group fields, so the simulator can
//! refuse what BroadWorks refuses and the front ends can reject bad input before sending it.
//! Lengths count characters of the whitespace-collapsed token.

/// Inclusive `(min, max)` of a length or a number.
pub type Bounds = (i64, i64);

/// `ServiceProviderId`, `GroupId`.
pub const ENTITY_ID: Bounds = (1, 30);
/// `UserId` (service user ids and agents): `user@domain`.
pub const USER_ID: Bounds = (1, 161);
/// `ServiceInstanceProfileName`, `CallingLineIdLastName`/`FirstName`, hiragana names.
pub const PROFILE_NAME: Bounds = (1, 30);
/// `DN`: a phone number.
pub const DN: Bounds = (1, 23);
/// `OutgoingDN`: forward-to number.
pub const OUTGOING_DN: Bounds = (1, 30);
/// `OutgoingDNorSIPURI`, `SIPURI`: aliases, public identity, not-reachable forward.
pub const SIP_URI: Bounds = (1, 161);
/// `Extension17`.
pub const EXTENSION: Bounds = (2, 20);
/// `Password`.
pub const PASSWORD: Bounds = (1, 60);
/// `Language`.
pub const LANGUAGE: Bounds = (1, 40);
/// `TimeZone`.
pub const TIME_ZONE: Bounds = (1, 127);
/// `NetworkClassOfServiceName`.
pub const NETWORK_CLASS_OF_SERVICE: Bounds = (1, 40);
/// `DepartmentName`.
pub const DEPARTMENT_NAME: Bounds = (1, 50);
/// `HuntNoAnswerRings`.
pub const NO_ANSWER_RINGS: Bounds = (1, 20);
/// `HuntForwardTimeoutSeconds`.
pub const FORWARD_TIMEOUT_SECONDS: Bounds = (0, 7200);
/// `HuntWeight`.
pub const WEIGHT: Bounds = (0, 100);
/// Most SIP aliases a service instance may have.
pub const MAX_ALIASES: usize = 3;
/// Most agents ocigw sends for one hunt group. The schema leaves `agentUserId` unbounded; this
/// is ocigw's own bound, far above what a hunt group is used with, so a request cannot make the
/// gateway build and send an arbitrarily large command.
pub const MAX_AGENTS: usize = 1000;

/// Checks a token's length; the error names the element and the allowed range.
pub fn check_len(element: &str, value: &str, (min, max): Bounds) -> Result<(), String> {
    let len = value
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .count() as i64;
    if len < min || len > max {
        return Err(format!(
            "{element}: length {len} is outside {min}..{max} characters"
        ));
    }
    Ok(())
}

/// Checks a number's range; the error names the element and the allowed range.
pub fn check_range(element: &str, value: i32, (min, max): Bounds) -> Result<(), String> {
    let v = i64::from(value);
    if v < min || v > max {
        return Err(format!("{element}: {value} is outside {min}..{max}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_and_ranges() {
        assert!(check_len("name", "Sales", PROFILE_NAME).is_ok());
        assert_eq!(
            check_len("name", &"x".repeat(31), PROFILE_NAME).unwrap_err(),
            "name: length 31 is outside 1..30 characters"
        );
        assert!(check_len("name", "セールス", PROFILE_NAME).is_ok());
        assert!(check_range("noAnswerNumberOfRings", 20, NO_ANSWER_RINGS).is_ok());
        assert_eq!(
            check_range("noAnswerNumberOfRings", 21, NO_ANSWER_RINGS).unwrap_err(),
            "noAnswerNumberOfRings: 21 is outside 1..20"
        );
    }
}
