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
