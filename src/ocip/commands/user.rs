//! User-level commands that also apply to virtual users such as hunt groups.

use crate::oci_command;
use crate::ocip::commands::{GroupHuntGroupGetInstanceRequest20, SuccessResponse};
use crate::ocip::value::{OciRequest, Probe, Recovery};

oci_command! {
    /// Changes the user id of a real or virtual user (a hunt group's service user id).
    pub struct UserModifyUserIdRequest {
        req user_id: String = "userId",
        req new_user_id: String = "newUserId",
    }
}

impl OciRequest for UserModifyUserIdRequest {
    type Response = SuccessResponse;
    /// The rename happened if the new id exists (ocigw renames hunt groups only, so the probe
    /// reads the hunt group).
    fn recovery(&self) -> Recovery {
        Recovery::Creates(Probe::new(&GroupHuntGroupGetInstanceRequest20 {
            service_user_id: self.new_user_id.clone(),
        }))
    }
}
