//! Login: the signed-password flow, every refusal, commands before login, logout.

use crate::common::{self, admin_options, admin_session, error_summary, start_sim, Raw};
use ocigw::ocip::auth::{sha1_hex, signed_password};
use ocigw::ocip::commands::*;
use ocigw::ocip::{OciError, Secret, Session};

#[tokio::test]
async fn signed_password_login_succeeds() {
    let sim = start_sim().await;
    let session = admin_session(&sim).await;
    assert_eq!(session.login_info().login_type, "System");
    assert_eq!(session.login_info().encoding, "ISO-8859-1");
    assert!(!session.is_closed());
    // AuthenticationRequest + LoginRequest14sp4.
    assert_eq!(sim.commands_seen(), 2);
}

#[tokio::test]
async fn wrong_password_is_refused_naming_the_user_never_the_password() {
    let sim = start_sim().await;
    let mut opts = admin_options(&sim);
    opts.password = Secret::new("hunter2-wrong");
    let err = Session::connect(&opts).await.unwrap_err();
    let OciError::LoginRefused { user, error } = &err else {
        panic!("expected LoginRefused, got {err:?}");
    };
    assert_eq!(user, "admin");
    assert_eq!(error.code(), Some(4962));
    let message = format!("{err} {err:?}");
    assert!(message.contains("'admin'"), "{message}");
    assert!(
        message.contains("[Error 4962] Invalid password"),
        "{message}"
    );
    for secret in ["hunter2-wrong", &sha1_hex("hunter2-wrong")] {
        assert!(!message.contains(secret), "password leaked: {message}");
    }
}

#[tokio::test]
async fn unknown_user_is_refused_like_a_wrong_password() {
    let sim = start_sim().await;
    let mut opts = admin_options(&sim);
    opts.user = "nobody".to_owned();
    let err = Session::connect(&opts).await.unwrap_err();
    assert!(
        matches!(&err, OciError::LoginRefused { user, error } if user == "nobody" && error.code() == Some(4962)),
        "{err:?}"
    );
}

#[tokio::test]
async fn added_administrators_can_log_in() {
    let mut directory = common::demo_directory();
    directory
        .admins
        .insert("ops".to_owned(), Secret::new("s3cret:with:colons"));
    let sim =
        common::start_sim_with(ocigw::sim::SimConfig::new(common::loopback(), directory)).await;
    let mut opts = admin_options(&sim);
    opts.user = "ops".to_owned();
    opts.password = Secret::new("s3cret:with:colons");
    Session::connect(&opts).await.expect("ops logs in");
}

#[tokio::test]
async fn commands_before_login_and_after_a_failed_login_are_refused() {
    let sim = start_sim().await;
    let mut raw = Raw::connect(sim.addr()).await;
    let list = GroupHuntGroupGetInstanceListRequest {
        service_provider_id: "ApioSpTest".into(),
        group_id: "ApioGrpTest".into(),
        group_department_name: None,
    };
    let answer = raw.call(&list).await;
    assert_eq!(
        error_summary(&answer),
        "[Error 4003] Not authenticated: log in before sending GroupHuntGroupGetInstanceListRequest"
    );
    // A signed password computed for another nonce is refused, and still no command passes.
    let auth = raw
        .call(&AuthenticationRequest {
            user_id: "admin".into(),
        })
        .await;
    assert_eq!(common::command_types(&auth), ["AuthenticationResponse"]);
    let login = LoginRequest14sp4 {
        user_id: "admin".into(),
        signed_password: Some(Secret::new(signed_password("0", "admin"))),
        plain_text_password: None,
    };
    assert_eq!(
        error_summary(&raw.call(&login).await),
        "[Error 4962] Invalid password"
    );
    assert!(error_summary(&raw.call(&list).await).starts_with("[Error 4003]"));
}

#[tokio::test]
async fn plain_password_login_needs_tls() {
    let sim = start_sim().await;
    let mut opts = admin_options(&sim);
    opts.login = ocigw::ocip::LoginMethod::Plain;
    let err = Session::connect(&opts).await.unwrap_err();
    assert!(matches!(err, OciError::Options(_)), "{err:?}");
    assert_eq!(sim.commands_seen(), 0, "nothing may be sent");
}

#[tokio::test]
async fn logout_closes_the_session() {
    let sim = start_sim().await;
    let session = admin_session(&sim).await;
    session.logout().await;
    assert!(session.is_closed());
    let err = session
        .call(&GroupHuntGroupGetInstanceRequest20 {
            service_user_id: "x@y".into(),
        })
        .await
        .unwrap_err();
    assert!(matches!(err, OciError::Closed), "{err:?}");
    // Authentication, login, logout.
    assert_eq!(sim.commands_seen(), 3);
}

#[tokio::test]
async fn a_connection_that_does_not_log_in_is_closed_in_time() {
    let mut config =
        ocigw::sim::SimConfig::new(crate::common::loopback(), crate::common::demo_directory());
    config.login_timeout = std::time::Duration::from_millis(300);
    let sim = crate::common::start_sim_with(config).await;
    let mut raw = crate::common::Raw::connect(sim.addr()).await;
    let started = std::time::Instant::now();
    let closed = tokio::time::timeout(std::time::Duration::from_secs(5), raw.recv()).await;
    assert!(
        matches!(closed, Ok(None)),
        "closed, not answered: {closed:?}"
    );
    assert!(started.elapsed() >= std::time::Duration::from_millis(250));
    // A logged-in connection stays open past the login timeout.
    let session = crate::common::admin_session(&sim).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(session
        .call(
            &ocigw::ocip::commands::GroupHuntGroupGetInstanceListRequest {
                service_provider_id: "ApioSpTest".into(),
                group_id: "ApioGrpTest".into(),
                group_department_name: None,
            }
        )
        .await
        .is_ok());
}

#[tokio::test]
async fn three_failed_logins_close_the_connection() {
    use ocigw::ocip::commands::{AuthenticationRequest, LoginRequest14sp4};
    let sim = crate::common::start_sim().await;
    let mut raw = crate::common::Raw::connect(sim.addr()).await;
    for attempt in 1..=ocigw::sim::connection::MAX_FAILED_LOGINS {
        raw.call(&AuthenticationRequest {
            user_id: "admin".into(),
        })
        .await;
        let answer = raw
            .call(&LoginRequest14sp4 {
                user_id: "admin".into(),
                signed_password: Some(ocigw::ocip::Secret::new("wrong")),
                plain_text_password: None,
            })
            .await;
        assert!(
            crate::common::error_summary(&answer).starts_with("[Error 4962]"),
            "attempt {attempt}"
        );
    }
    assert!(raw.recv().await.is_none(), "closed after the third failure");
}
