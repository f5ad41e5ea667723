//! Search criteria used by the list requests (available users of a hunt group).

use crate::oci_struct;
use crate::ocip::commands::DepartmentKey;

oci_struct! {
    /// A text criterion: `mode` is `Starts With`, `Contains` or `Equal To`.
    pub struct SearchCriteriaText {
        req mode: String = "mode",
        req value: String = "value",
        req is_case_insensitive: bool = "isCaseInsensitive",
    }
}

impl SearchCriteriaText {
    /// Whether `candidate` matches this criterion.
    pub fn matches(&self, candidate: &str) -> bool {
        let (candidate, value) = if self.is_case_insensitive {
            (candidate.to_lowercase(), self.value.to_lowercase())
        } else {
            (candidate.to_owned(), self.value.clone())
        };
        match self.mode.as_str() {
            "Starts With" => candidate.starts_with(&value),
            "Contains" => candidate.contains(&value),
            _ => candidate == value,
        }
    }
}

oci_struct! {
    /// Users of exactly this department.
    pub struct SearchCriteriaExactUserDepartment {
        req department_key: DepartmentKey = "departmentKey",
    }
}

oci_struct! {
    /// Users of exactly this group.
    pub struct SearchCriteriaExactUserGroup {
        req service_provider_id: String = "serviceProviderId",
        req group_id: String = "groupId",
    }
}

/// The search modes the schema allows.
pub const SEARCH_MODES: [&str; 3] = ["Starts With", "Contains", "Equal To"];
