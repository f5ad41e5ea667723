//! System-level queries clients send first: the software version.

use crate::ocip::value::{OciRequest, Recovery};
use crate::{oci_command, oci_response};

oci_command! {
    /// The software version of the application server.
    pub struct SystemSoftwareVersionGetRequest {}
}

oci_response! {
    /// The version, e.g. `25.0_1.1234` on a real R25 server.
    pub struct SystemSoftwareVersionGetResponse {
        req version: String = "version",
    }
}

impl OciRequest for SystemSoftwareVersionGetRequest {
    type Response = SystemSoftwareVersionGetResponse;
    fn recovery(&self) -> Recovery {
        Recovery::Resend
    }
}
