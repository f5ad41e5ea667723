//! The OCI-P protocol: XML documents, framing on the byte stream, login and sessions, and the
//! typed commands. Nothing here knows about HTTP or hunt group business rules.

pub mod auth;
pub mod codec;
pub mod commands;
pub mod document;
pub mod error;
pub mod options;
pub mod pool;
pub mod record;
pub mod refusal;
pub mod session;
pub mod tls_roots;
pub mod transport;
pub mod value;
pub mod xml;

pub use codec::OciCodec;
pub use document::{encode_document, ParsedDocument};
pub use error::{DecodeError, OciError};
pub use options::{ConnectOptions, LoginMethod, Secret};
pub use pool::Pool;
pub use refusal::{classify, Refusal};
pub use session::Session;
pub use value::{OciCommand, OciRequest, Probe};
