//! What a BroadWorks refusal means, decided by its error code: one table of known codes, and
//! the English summary only as a fallback for codes the table does not know. Callers (the pool's
//! recovery, the REST layer, bulk) match on [`Refusal`], never on BroadWorks's wording, which
//! changes between releases and locales.

use crate::ocip::commands::ErrorResponse;

/// The meaning of an `ErrorResponse` for whoever sent the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Something the request names does not exist (a user, service instance, group, provider,
    /// department).
    NotFound,
    /// The id the request would create is already taken.
    AlreadyExists,
    /// The request is well formed but its values are refused (schema violation, number not
    /// assigned or in use, agent not allowed…).
    Invalid,
    /// The session is not (or no longer) logged in.
    NotAuthenticated,
    /// The login itself was refused (wrong password, unknown administrator, logins refused).
    LoginRefused,
    /// A code this table does not know and whose text says nothing we recognise.
    Other,
}

/// Codes whose meaning is known. 4008, 4962 and 6004 come from captures of real servers; the
/// others are the simulator's own (see `sim/error.rs`), stable and documented in the README.
const KNOWN: [(i32, Refusal); 19] = [
    (4003, Refusal::NotAuthenticated),
    (4008, Refusal::NotFound),
    (4010, Refusal::AlreadyExists),
    (4100, Refusal::NotFound),
    (4101, Refusal::NotFound),
    (4102, Refusal::NotFound),
    (4200, Refusal::Invalid),
    (4201, Refusal::Invalid),
    (4202, Refusal::Invalid),
    (4203, Refusal::Invalid),
    (4204, Refusal::Invalid),
    (4205, Refusal::Invalid),
    (4206, Refusal::Invalid),
    (4207, Refusal::Invalid),
    (4962, Refusal::LoginRefused),
    (4963, Refusal::LoginRefused),
    (4966, Refusal::LoginRefused),
    (6004, Refusal::Invalid),
    (6003, Refusal::Invalid),
];

/// Codes that say the refused request's *container* (its service provider or group) is
/// unknown, as opposed to something named inside the request.
const CONTAINER_NOT_FOUND: [i32; 2] = [4100, 4101];

/// Whether `code` is one of the codes this table knows (what a metric may name).
pub fn is_known_code(code: i32) -> bool {
    KNOWN.iter().any(|(known, _)| *known == code)
}

/// Classifies a refusal: by code when the code is known, else by the English summary.
pub fn classify(error: &ErrorResponse) -> Refusal {
    if let Some(code) = error.code() {
        if let Some((_, refusal)) = KNOWN.iter().find(|(known, _)| *known == code) {
            return *refusal;
        }
    }
    let text = error.summary_english.to_ascii_lowercase();
    if text.contains("already exists") || text.contains("duplicate") {
        Refusal::AlreadyExists
    } else if text.contains("not found") {
        Refusal::NotFound
    } else if text.contains("not authenticated") || text.contains("session expired") {
        Refusal::NotAuthenticated
    } else {
        Refusal::Other
    }
}

/// Whether the refusal says the request's service provider or group does not exist.
pub fn container_not_found(error: &ErrorResponse) -> bool {
    match error.code() {
        Some(code) if KNOWN.iter().any(|(known, _)| *known == code) => {
            CONTAINER_NOT_FOUND.contains(&code)
        }
        _ => {
            let text = error.summary_english.to_ascii_lowercase();
            text.contains("group not found") || text.contains("service provider not found")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_decide_and_text_is_only_a_fallback() {
        // A known code wins over misleading text.
        let e = ErrorResponse::new(4010, "Der Benutzer existiert bereits", None);
        assert_eq!(classify(&e), Refusal::AlreadyExists);
        let e = ErrorResponse::new(4008, "Utilisateur introuvable", None);
        assert_eq!(classify(&e), Refusal::NotFound);
        let e = ErrorResponse::new(4201, "Phone number already exists elsewhere", None);
        assert_eq!(classify(&e), Refusal::Invalid);
        // An unknown code falls back to the English text.
        let e = ErrorResponse::new(9999, "Trunk group not found", None);
        assert_eq!(classify(&e), Refusal::NotFound);
        let e = ErrorResponse::new(9998, "Something else", None);
        assert_eq!(classify(&e), Refusal::Other);
        assert!(container_not_found(&ErrorResponse::new(4101, "x", None)));
        assert!(!container_not_found(&ErrorResponse::new(
            4008,
            "Group not found",
            None
        )));
    }
}
