//! The hunt group service: plain async functions over the session pool that take typed input
//! and return typed output. Every front end (the REST handlers, the bulk runner) calls these, so
//! a hunt group given as a REST body or as a sheet row becomes the same command bytes.

pub mod error;
pub mod groups;
pub mod hunt_group;
pub mod settings;

pub use error::ServiceError;
pub use hunt_group::{Created, HuntGroups, Mode};
