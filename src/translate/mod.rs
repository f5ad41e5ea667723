//! APIO JSON ⇄ OCI commands: plain functions from one data type to another, testable without
//! sockets. Depends only on `ocip`.

pub mod hunt_group;
pub mod json;
pub mod numbers;
pub mod render;
pub mod suid;

/// A request value that cannot be translated, with the field it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field path in the request, e.g. `serviceInstanceProfile.phoneNumber`.
    pub field: String,
    /// What is wrong, for a person.
    pub message: String,
}

impl FieldError {
    /// An error about `field`.
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}
