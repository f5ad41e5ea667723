//! Bulk creation of hunt groups from a CSV sheet or JSON data: rows → checked commands (with the
//! spec's defaults) → run concurrently over the session pool, each row on its own, with a result
//! per row streamed to a report.

pub mod columns;
pub mod data;
pub mod input;
pub mod json_items;
pub mod report;
pub mod row;
pub mod run;
pub mod sheet;
