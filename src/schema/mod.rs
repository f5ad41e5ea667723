//! The OCI-P schema of a release as a catalog: compiled from the official XSD, loaded at run
//! time (the embedded R25 or `--schema`), and the one declaration of every command, element,
//! order, type and limit that ocigw encodes, decodes and checks.

pub mod catalog;
pub mod check;
pub mod compile;
pub mod decode;
pub mod describe;
pub mod diff;
pub mod encode;
pub mod exchange;
pub mod headings;
pub mod model;
pub mod openapi;
pub mod path;
pub mod sample;
pub mod typed_values;
pub mod walk;
pub mod xsd_tree;

pub use catalog::{Catalog, TypeRef};
pub use model::CatalogData;
