//! Why a hunt group operation failed, independent of the front end: REST maps it to a status
//! and the error envelope, bulk to a row's error text.

use crate::ocip::OciError;
use crate::translate::{FieldError, FieldErrors};

/// A failed operation.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The input cannot be sent: every bad field, named as the client wrote it.
    #[error("{0}")]
    Invalid(FieldErrors),
    /// The hunt group (or group, tenant) does not exist, known without a write.
    #[error("{0}")]
    NotFound(String),
    /// The caller may not do this here (an id outside the domains its token allows).
    #[error("{message}")]
    OutOfScope {
        /// The field at fault.
        field: String,
        /// Why.
        message: String,
    },
    /// The id is already taken, known without a write (a dry run's read found it).
    #[error("{0}")]
    AlreadyExists(String),
    /// BroadWorks refused, or could not be reached; `subject` is the id the request is about,
    /// so a "not found" about it is told apart from one about something the request names.
    #[error("{error}")]
    Oci {
        /// The OCI-P failure.
        error: Box<OciError>,
        /// The id the request is about.
        subject: Option<String>,
    },
}

impl ServiceError {
    /// An OCI-P failure of a request about `subject`.
    pub fn oci(error: OciError, subject: Option<&str>) -> Self {
        Self::Oci {
            error: Box::new(error),
            subject: subject.map(str::to_owned),
        }
    }

    /// One bad field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(FieldError::new(field, message).into())
    }
}

impl From<FieldErrors> for ServiceError {
    fn from(e: FieldErrors) -> Self {
        Self::Invalid(e)
    }
}

impl From<FieldError> for ServiceError {
    fn from(e: FieldError) -> Self {
        Self::Invalid(e.into())
    }
}
