//! APIO JSON ⇄ OCI commands: plain functions from one data type to another, testable without
//! sockets. Depends only on `ocip`.

pub mod hunt_group;
pub mod input;
pub mod json;
pub mod numbers;
pub mod render;
pub mod rest_value;
pub mod suid;

/// A request value that cannot be translated, with the field it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field path in the request, e.g. `serviceInstanceProfile.phoneNumber`.
    pub field: String,
    /// What is wrong, for a person.
    pub message: String,
    /// Whether the field is not part of the payload at all (rather than holding a bad value).
    pub unknown: bool,
}

impl FieldError {
    /// An error about `field`.
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            message: message.into(),
            unknown: false,
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Every bad field of one request (never empty), in the order the fields were checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// The first error.
    pub fn first(&self) -> &FieldError {
        &self.0[0]
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let texts: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&texts.join("; "))
    }
}

impl From<FieldError> for FieldErrors {
    fn from(e: FieldError) -> Self {
        Self(vec![e])
    }
}

/// Collects the errors of many independent checks, so one answer names every bad field.
#[derive(Debug, Default)]
pub struct Checks(Vec<FieldError>);

impl Checks {
    /// The value of a check that passed, or `T::default()` after noting the error.
    pub fn take<T: Default>(&mut self, result: Result<T, FieldError>) -> T {
        result.unwrap_or_else(|e| {
            self.note(e);
            T::default()
        })
    }

    /// Notes the errors of a nested set of checks.
    pub fn take_all<T: Default>(&mut self, result: Result<T, FieldErrors>) -> T {
        result.unwrap_or_else(|errors| {
            errors.0.into_iter().for_each(|e| self.note(e));
            T::default()
        })
    }

    /// Notes an error once, however many checks find it.
    pub fn note(&mut self, error: FieldError) {
        if !self.0.contains(&error) {
            self.0.push(error);
        }
    }

    /// `value` when every check passed, else every error.
    pub fn finish<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(FieldErrors(self.0))
        }
    }
}
