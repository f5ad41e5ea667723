//! Typed OCI-P commands and responses, one file per family. Each type declares its fields once,
//! in the order of the official schema; encoding and decoding both follow from that declaration.

pub mod generic;
pub mod group;
pub mod hunt_group;
pub mod limits;
pub mod login;
pub mod profile;
pub mod provider;
pub mod search;
pub mod system;
pub mod table;
pub mod user;

pub use generic::{ErrorResponse, SuccessResponse};
pub use group::*;
pub use hunt_group::*;
pub use login::*;
pub use profile::*;
pub use provider::*;
pub use search::*;
pub use system::*;
pub use table::{OciTable, TableRow};
pub use user::*;
