//! Many sessions at once, and many tasks on one session: no cross-talk.

use crate::common::{admin_session, start_sim};
use crate::lifecycle::add_request;
use ocigw::ocip::commands::*;
use ocigw::ocip::Session;

async fn lifecycle(session: &Session, n: usize) {
    let suid = format!("hunt{n}@apiotest.example.com");
    let name = format!("Hunt group {n}");
    session
        .call(&add_request(
            &suid,
            &name,
            &["test.user4004@apiotest.example.com"],
        ))
        .await
        .unwrap_or_else(|e| panic!("add {n}: {e}"));
    let got = session
        .call(&GroupHuntGroupGetInstanceRequest20 {
            service_user_id: suid.clone(),
        })
        .await
        .unwrap();
    assert_eq!(got.service_instance_profile.name, name, "cross-talk on {n}");
    session
        .call(&GroupHuntGroupModifyInstanceRequest {
            service_user_id: suid.clone(),
            no_answer_number_of_rings: Some(((n % 20 + 1) as i32).try_into().unwrap()),
            ..Default::default()
        })
        .await
        .unwrap();
    let got = session
        .call(&GroupHuntGroupGetInstanceRequest20 {
            service_user_id: suid.clone(),
        })
        .await
        .unwrap();
    assert_eq!(
        i32::from(got.no_answer_number_of_rings),
        (n % 20 + 1) as i32
    );
    session
        .call(&GroupHuntGroupDeleteInstanceRequest {
            service_user_id: suid.clone(),
        })
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_sessions_each_run_a_lifecycle() {
    let sim = start_sim().await;
    let tasks: Vec<_> = (0..50)
        .map(|n| {
            let opts = crate::common::admin_options(&sim);
            tokio::spawn(async move {
                let session = Session::connect(&opts).await.expect("login");
                lifecycle(&session, n).await;
                session.logout().await;
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task succeeded");
    }
    let dir = sim.shared().directory.lock().unwrap();
    assert!(dir.hunt_groups.is_empty(), "every hunt group was deleted");
    // 50 × (auth, login, 5 commands, logout)
    drop(dir);
    assert_eq!(sim.commands_seen(), 50 * 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_session_shared_by_many_tasks_keeps_answers_apart() {
    let sim = start_sim().await;
    let session = admin_session(&sim).await;
    let tasks: Vec<_> = (100..120)
        .map(|n| {
            let session = session.clone();
            tokio::spawn(async move { lifecycle(&session, n).await })
        })
        .collect();
    for task in tasks {
        task.await.expect("task succeeded");
    }
    assert_eq!(crate::common::hunt_group_count(&sim), 0);
}

/// A caller that gives up while its document is on the wire does not leave the connection out
/// of step: the next caller gets its own answer, on the same session, and the abandoned write
/// happened once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_that_gives_up_mid_exchange_leaves_the_session_in_step() {
    let mut config =
        ocigw::sim::SimConfig::new(crate::common::loopback(), crate::common::demo_directory());
    config.faults.delay_ms = Some(150);
    let sim = crate::common::start_sim_with(config).await;
    let session = admin_session(&sim).await;
    let abandoned = "abandoned@apiotest.example.com";
    let gave_up = tokio::time::timeout(
        std::time::Duration::from_millis(40),
        session.call(&add_request(abandoned, "Abandoned", &[])),
    )
    .await;
    assert!(gave_up.is_err(), "the caller gave up before the answer");
    let get = GroupHuntGroupGetInstanceRequest20 {
        service_user_id: abandoned.into(),
    };
    let answer = session
        .call(&get)
        .await
        .expect("the next caller's own answer");
    assert_eq!(answer.service_instance_profile.name.as_str(), "Abandoned");
    assert!(!session.is_closed());
    assert_eq!(
        crate::common::hunt_group_count(&sim),
        1,
        "the write happened once"
    );
}
