//! User-level commands that also apply to virtual users such as hunt groups.

use crate::oci_command;
use crate::ocip::commands::SuccessResponse;
use crate::ocip::value::OciRequest;

oci_command! {
    /// Changes the user id of a real or virtual user (a hunt group's service user id).
    pub struct UserModifyUserIdRequest {
        req user_id: String = "userId",
        req new_user_id: String = "newUserId",
    }
}

impl OciRequest for UserModifyUserIdRequest {
    type Response = SuccessResponse;
}
