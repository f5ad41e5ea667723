//! What every list handler of the simulator shares: text search criteria and the response size
//! limit.

use crate::ocip::commands::limits::{check_range, RESPONSE_SIZE_LIMIT};
use crate::ocip::commands::SearchCriteriaText;
use crate::sim::error::SimError;

/// Whether `value` meets every criterion (BroadWorks ANDs the criteria of a request).
pub fn all(criteria: &[SearchCriteriaText], value: &str) -> bool {
    criteria.iter().all(|c| c.matches(value))
}

/// How many rows a `responseSizeLimit` allows (every row when absent); out of the schema's
/// range is refused as the schema refuses it.
pub fn size_limit(limit: Option<i32>) -> Result<usize, SimError> {
    match limit {
        None => Ok(usize::MAX),
        Some(n) => {
            check_range("responseSizeLimit", n, RESPONSE_SIZE_LIMIT)?;
            Ok(usize::try_from(n).unwrap_or(usize::MAX))
        }
    }
}
