//! Authentication, login and logout commands.

use crate::ocip::commands::SuccessResponse;
use crate::ocip::options::Secret;
use crate::ocip::value::OciRequest;
use crate::{oci_command, oci_response};

oci_command! {
    /// First step of the signed-password login: asks for a nonce.
    pub struct AuthenticationRequest {
        req user_id: String = "userId",
    }
}

oci_response! {
    /// The nonce to sign the password with, and the algorithm (always MD5).
    pub struct AuthenticationResponse {
        req user_id: String = "userId",
        req nonce: String = "nonce",
        req password_algorithm: String = "passwordAlgorithm",
    }
}

oci_command! {
    /// Login with the signed password (`md5(nonce ":" sha1(password))`), the plain-TCP login.
    pub struct LoginRequest14sp4 {
        req user_id: String = "userId",
        opt signed_password: Secret = "signedPassword",
        opt plain_text_password: Secret = "plainTextPassword",
    }
}

oci_response! {
    /// Successful LoginRequest14sp4.
    pub struct LoginResponse14sp4 {
        req login_type: String = "loginType",
        req locale: String = "locale",
        req encoding: String = "encoding",
        opt group_id: String = "groupId",
        opt service_provider_id: String = "serviceProviderId",
        req is_enterprise: bool = "isEnterprise",
        opt password_expires_days: i32 = "passwordExpiresDays",
        req user_domain: String = "userDomain",
    }
}

oci_command! {
    /// Login with the plain password, used over TLS.
    pub struct LoginRequest22V5 {
        req user_id: String = "userId",
        opt password: Secret = "password",
        opt signed_password: Secret = "signedPassword",
    }
}

oci_response! {
    /// Successful LoginRequest22V5.
    pub struct LoginResponse22V5 {
        req login_type: String = "loginType",
        req locale: String = "locale",
        req encoding: String = "encoding",
        opt group_id: String = "groupId",
        opt service_provider_id: String = "serviceProviderId",
        req is_enterprise: bool = "isEnterprise",
        opt password_expires_days: i32 = "passwordExpiresDays",
        req user_domain: String = "userDomain",
        opt reseller_id: String = "resellerId",
        opt token_revocation_time: i64 = "tokenRevocationTime",
    }
}

oci_command! {
    /// Ends the session; either side may send it.
    pub struct LogoutRequest {
        req user_id: String = "userId",
        opt reason: String = "reason",
    }
}

impl OciRequest for AuthenticationRequest {
    type Response = AuthenticationResponse;
}
impl OciRequest for LoginRequest14sp4 {
    type Response = LoginResponse14sp4;
}
impl OciRequest for LoginRequest22V5 {
    type Response = LoginResponse22V5;
}
impl OciRequest for LogoutRequest {
    type Response = SuccessResponse;
}
