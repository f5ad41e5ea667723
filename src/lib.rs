//! ocigw: an OCI-P gateway for Cisco BroadWorks.
//!
//! The crate is layered as the design describes: [`ocip`] is the protocol (documents, framing,
//! login, sessions and typed commands) and knows nothing of HTTP; [`sim`] is a BroadWorks OCI-P
//! simulator built from the same codec seen from the server side; [`fixture`] loads and compares
//! recorded OCI exchanges; [`cli`] is the `ocigw` command line.

pub mod api;
pub mod bulk;
pub mod cli;
pub mod config;
pub mod fixture;
pub mod ocip;
pub mod replay;
pub mod schema;
pub mod service;
pub mod sim;
pub mod telemetry;
pub mod timezone;
pub mod translate;
