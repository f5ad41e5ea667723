//! Several commands per OCI-P document: each executed and answered on its own, recovered on its
//! own when the connection breaks, and bulk giving the same results whatever the batch size.

use std::sync::Arc;

use crate::bulk::run_sheet_with;
use crate::common::{
    admin_options, command_types, demo_directory, error_summary, hunt_group_count, loopback,
    raw_login, start_sim, start_sim_with, Raw,
};
use ocigw::ocip::commands::limits::{CallingLineIdFirstName, CallingLineIdLastName};
use ocigw::ocip::commands::*;
use ocigw::ocip::document::encode_document;
use ocigw::ocip::{OciCommand, Pool};
use ocigw::sim::faults::FaultSettings;
use ocigw::sim::SimConfig;

const DOMAIN: &str = "apiotest.example.com";

fn add(id: &str, agent: Option<&str>) -> GroupHuntGroupAddInstanceRequest20 {
    GroupHuntGroupAddInstanceRequest20::new(
        "ApioSpTest".into(),
        "ApioGrpTest".into(),
        format!("{id}@{DOMAIN}"),
        ServiceInstanceAddProfile {
            name: id.try_into().unwrap(),
            calling_line_id_last_name: CallingLineIdLastName::try_from(id).unwrap(),
            calling_line_id_first_name: CallingLineIdFirstName::try_from(id).unwrap(),
            ..Default::default()
        },
        HuntOptions::spec_defaults(),
        agent.map(|a| vec![a.to_owned()]).unwrap_or_default(),
    )
}

#[tokio::test]
async fn fifteen_adds_in_one_document_each_answered_on_its_own() {
    let sim = start_sim().await;
    let pool = Pool::new(admin_options(&sim), 1);
    let before = hunt_group_count(&sim);
    let adds: Vec<_> = (0..15)
        .map(|i| match i {
            // The same id as row 2: the second is a duplicate.
            5 => add("batch2", None),
            // An agent that does not exist.
            9 => add("batch9", Some(&format!("nobody@{DOMAIN}"))),
            _ => add(&format!("batch{i}"), None),
        })
        .collect();
    let results = pool.call_many(&adds.iter().collect::<Vec<_>>()).await;
    let failed: Vec<usize> = (0..15).filter(|&i| results[i].is_err()).collect();
    assert_eq!(failed, [5, 9], "{results:?}");
    let duplicate = results[5].as_ref().unwrap_err().to_string();
    assert!(duplicate.contains("4010"), "{duplicate}");
    assert_eq!(hunt_group_count(&sim), before + 13);
    assert_eq!(
        sim.commands_seen(),
        2 + 15,
        "login (2 commands) and one document of 15"
    );
}

#[tokio::test]
async fn a_document_of_sixteen_commands_is_refused_whole() {
    let sim = start_sim().await;
    let mut raw = Raw::connect(sim.addr()).await;
    raw_login(&mut raw).await;
    let before = hunt_group_count(&sim);
    let document = encode_document("s", |w| {
        for i in 0..16 {
            add(&format!("sixteen{i}"), None).write_command(w);
        }
    });
    raw.send(&document).await;
    let answer = raw.recv().await.expect("an answer");
    assert_eq!(command_types(&answer), ["ErrorResponse"]);
    assert_eq!(
        error_summary(&answer),
        "[Error 6004] OCI XML Request validation error"
    );
    let text = String::from_utf8_lossy(&answer);
    assert!(
        text.contains("16 commands in one document, at most 15 allowed"),
        "{text}"
    );
    assert_eq!(hunt_group_count(&sim), before, "nothing executed");
}

/// The simulator reads a document of Adds only straight from its text, and any other through
/// an element tree: the same Adds get the same answers, and leave the same hunt groups, either
/// way.
#[tokio::test]
async fn adds_are_answered_alike_read_straight_or_through_the_tree() {
    let adds: Vec<_> = [
        add("alike0", None),
        add("alike1", Some(&format!("nobody@{DOMAIN}"))),
        add("alike0", None),
        add("alike3", Some(&format!("test.user4000@{DOMAIN}"))),
        GroupHuntGroupAddInstanceRequest20 {
            group_id: "NoSuchGroup".into(),
            ..add("alike4", None)
        },
    ]
    .into();
    let list = GroupHuntGroupGetInstanceListRequest {
        service_provider_id: "ApioSpTest".into(),
        group_id: "ApioGrpTest".into(),
        group_department_name: None,
    };
    let mut answers = Vec::new();
    let mut texts = Vec::new();
    let mut hunt_groups = Vec::new();
    // Adds only (read straight), then the same Adds with a list after them (through the tree).
    for with_list in [false, true] {
        let sim = start_sim().await;
        let mut raw = Raw::connect(sim.addr()).await;
        raw_login(&mut raw).await;
        raw.send(&encode_document("alike", |w| {
            for add in &adds {
                add.write_command(w);
            }
            if with_list {
                list.write_command(w);
            }
        }))
        .await;
        let answer = String::from_utf8(raw.recv().await.expect("an answer")).unwrap();
        let mut types = command_types(answer.as_bytes());
        if with_list {
            let listed = types.pop();
            assert_eq!(
                listed.as_deref(),
                Some("GroupHuntGroupGetInstanceListResponse")
            );
        }
        answers.push(types);
        // The text of the Adds' answers: the document up to the list's answer, or its end.
        let end = if with_list {
            "<command"
        } else {
            "</BroadsoftDocument>"
        };
        texts.push(answer[..answer.rfind(end).unwrap()].to_owned());
        let directory = sim.shared().directory.lock().unwrap().clone();
        hunt_groups.push(directory.hunt_groups.keys().cloned().collect::<Vec<_>>());
    }
    assert_eq!(texts[0], texts[1]);
    assert_eq!(hunt_groups[0], hunt_groups[1]);
    assert_eq!(answers[0], answers[1]);
    assert_eq!(
        answers[0],
        [
            "SuccessResponse",
            "ErrorResponse",
            "ErrorResponse",
            "SuccessResponse",
            "ErrorResponse",
        ],
        "{}",
        texts[0]
    );
}

#[tokio::test]
async fn a_connection_broken_mid_batch_loses_and_doubles_nothing() {
    let mut config = SimConfig::new(loopback(), demo_directory());
    config.faults = FaultSettings {
        seed: Some(11),
        drop_after_execute_probability: Some(0.3),
        ..Default::default()
    };
    let sim = start_sim_with(config).await;
    let pool = Arc::new(Pool::new(admin_options(&sim), 2));
    let adds: Vec<_> = (0..60).map(|i| add(&format!("mid{i}"), None)).collect();
    let mut results = Vec::new();
    for chunk in adds.chunks(15) {
        results.extend(pool.call_many(&chunk.iter().collect::<Vec<_>>()).await);
    }
    let directory = sim.shared().directory.lock().unwrap().clone();
    for (add, result) in adds.iter().zip(&results) {
        let exists = directory.hunt_groups.contains_key(&add.service_user_id);
        assert_eq!(
            result.is_ok(),
            exists,
            "{}: answered {result:?}, exists: {exists}",
            add.service_user_id
        );
    }
    let created = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(created, 60, "every row recovered: {results:?}");
    assert!(
        sim.commands_seen() > 60 + 4,
        "the fault broke at least one document (commands seen: {})",
        sim.commands_seen()
    );
}

#[tokio::test]
async fn batch_1_and_batch_15_give_the_same_report() {
    let mut sheet = String::from(
        "operation,serviceProviderId,groupId,serviceUserId,serviceInstanceProfile.name,policy,agentUserId[1]\n",
    );
    for i in 0..40 {
        let agent = match i % 7 {
            3 => "ghost@company.com",
            _ => "john.doe@company.com",
        };
        let id = if i % 11 == 4 {
            "dup".to_owned()
        } else {
            format!("b{i}")
        };
        sheet.push_str(&format!(
            "hunt.group.create,MyServiceProvider,SalesGroup,{id}@company.com,Batch {i},Regular,{agent}\n"
        ));
    }
    let (one, _) = run_sheet_with(sheet.as_bytes(), false, 1).await;
    let (fifteen, sim) = run_sheet_with(sheet.as_bytes(), false, 15).await;
    assert_eq!(one.len(), 40);
    assert_eq!(one, fifteen);
    let failed = one.iter().filter(|r| !r.success).count();
    // Six rows name an unknown agent; three repeat the id "dup" that an earlier row created.
    assert_eq!(failed, 9);
    let before = hunt_group_count(&crate::common::start_spec_sim().await);
    assert_eq!(hunt_group_count(&sim) - before, 40 - failed);
}

/// A GET of a hunt group the group's last list named is one round trip: the fresh list (which
/// still decides membership and gives the active flag) and the Get in one document. An id the
/// gateway has not seen in the group is only read after the list says it belongs.
#[tokio::test]
async fn a_known_hunt_group_is_read_in_one_round_trip() {
    let gw = crate::common::TestGateway::start().await;
    let body = serde_json::json!({
        "serviceUserId": "one.trip",
        "serviceInstanceProfile": {"name": "One trip"},
        "agents": ["test.user4000@apiotest.example.com"]
    });
    let created = gw
        .call("POST", &format!("{}/", crate::common::HG), Some(body))
        .await;
    assert_eq!(created.status, 201);
    let path = format!("{}/one.trip@{DOMAIN}/", crate::common::HG);
    let (documents, commands) = (gw.sim.documents_seen(), gw.sim.commands_seen());
    let got = gw.call("GET", &path, None).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.json()["serviceInstanceProfile"]["name"], "One trip");
    assert_eq!(got.json()["active"], true);
    assert_eq!(
        (
            gw.sim.documents_seen() - documents,
            gw.sim.commands_seen() - commands
        ),
        (1, 2),
        "list and Get in one document"
    );
    // Deleted meanwhile (the gateway still remembers it): the fresh list decides, 404.
    assert_eq!(gw.call("DELETE", &path, None).await.status, 200);
    assert_eq!(gw.call("GET", &path, None).await.status, 404);
}

/// What one REST call costs on the wire: (documents, commands) the simulator received for it.
async fn wire_cost(
    gw: &crate::common::TestGateway,
    method: &str,
    path: &str,
    body: Option<serde_json::Value>,
) -> (crate::http::Response, (u64, u64)) {
    let (documents, commands) = (gw.sim.documents_seen(), gw.sim.commands_seen());
    let response = gw.call(method, path, body).await;
    let cost = (
        gw.sim.documents_seen() - documents,
        gw.sim.commands_seen() - commands,
    );
    (response, cost)
}

/// A write's read-back (the group's list and the Get) goes in the document of the write it
/// follows, as BroadWorks executes a document's commands in order: a create is one round trip,
/// an update or a weight change two (the check that the hunt group is the group's, then the
/// write). A refused write is answered with its refusal; what was read with it is dropped.
#[tokio::test]
async fn a_write_and_its_read_back_are_one_round_trip() {
    let gw = crate::common::TestGateway::start().await;
    let hg = crate::common::HG;
    // The group's details, read once and kept, are not what is measured.
    assert_eq!(gw.call("GET", &format!("{hg}/"), None).await.status, 200);
    let created = serde_json::json!({
        "serviceUserId": "written",
        "serviceInstanceProfile": {"name": "Written"},
        "agents": ["test.user4000@apiotest.example.com"]
    });
    let (r, cost) = wire_cost(&gw, "POST", &format!("{hg}/"), Some(created)).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(cost, (1, 3), "Add, list and Get in one document");
    assert_eq!(r.json()["serviceUserId"], format!("written@{DOMAIN}"));
    assert_eq!(r.json()["serviceInstanceProfile"]["name"], "Written");
    assert_eq!(r.json()["active"], true);

    // An inactive one: the Add, then the active flag with the read-back.
    let inactive = serde_json::json!({
        "serviceUserId": "asleep",
        "serviceInstanceProfile": {"name": "Asleep"},
        "active": false
    });
    let (r, cost) = wire_cost(&gw, "POST", &format!("{hg}/"), Some(inactive)).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(cost, (2, 4));
    assert_eq!(r.json()["active"], false);

    let path = format!("{hg}/written@{DOMAIN}/");
    let policy = serde_json::json!({"policy": "Circular"});
    let (r, cost) = wire_cost(&gw, "PUT", &path, Some(policy)).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(cost, (2, 5), "list and Get, then Modify, list and Get");
    assert_eq!(r.json()["policy"], "Circular");

    // Two writes: the first alone, the last with the read-back.
    let both = serde_json::json!({"serviceInstanceProfile": {"name": "Renamed"}, "active": false});
    let (r, cost) = wire_cost(&gw, "PUT", &path, Some(both)).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(cost, (3, 6));
    assert_eq!(r.json()["serviceInstanceProfile"]["name"], "Renamed");
    assert_eq!(r.json()["active"], false);

    let weights = serde_json::json!({"agents": [
        {"userId": "test.user4000@apiotest.example.com", "weight": 70}
    ]});
    let (r, cost) = wire_cost(
        &gw,
        "PUT",
        &format!("{path}weighted_distribution/"),
        Some(weights),
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(cost, (2, 5));
    assert_eq!(r.json()["agents"][0]["weight"], 70);

    // A refused write: its refusal, not the hunt group read with it; nothing changed.
    let unknown_agent = serde_json::json!({"agents": ["nobody.here@apiotest.example.com"]});
    let (r, cost) = wire_cost(&gw, "PUT", &path, Some(unknown_agent)).await;
    assert_eq!(cost, (2, 5));
    assert_eq!(r.status, 400, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.error_details()["code"], "broadworks_refused");
    assert_eq!(
        r.error_details()["broadworksSummary"],
        "[Error 4008] User not found: nobody.here@apiotest.example.com"
    );
    let got = gw.call("GET", &path, None).await;
    assert_eq!(
        got.json()["agents"][0]["userId"],
        "test.user4000@apiotest.example.com"
    );
    assert_eq!(got.json()["serviceInstanceProfile"]["name"], "Renamed");
}

/// How many more documents `a` received than `b`, logins apart, when both ran the same
/// commands: the pool logs in as many sessions as a run keeps busy at once, which varies, and
/// each login is two documents of one command; so the difference in commands is the logins'.
fn documents_apart(a: &ocigw::sim::SimServer, b: &ocigw::sim::SimServer) -> i64 {
    let documents = a.documents_seen() as i64 - b.documents_seen() as i64;
    let login_commands = a.commands_seen() as i64 - b.commands_seen() as i64;
    documents - login_commands
}

/// A dry run asks whether its rows' ids are taken in documents of `--batch` Gets, not one Get
/// per round trip; the results are those of `--batch 1`, row for row. Some ids exist already
/// (one in the directory, one repeated by a later row is not: a dry run writes nothing).
#[tokio::test]
async fn a_dry_run_asks_for_its_ids_a_batch_to_a_document() {
    let mut sheet = String::from(
        "operation,serviceProviderId,groupId,serviceUserId,serviceInstanceProfile.name,policy,agentUserId[1]\n",
    );
    for i in 0..40 {
        let agent = if i % 9 == 5 {
            "ghost@company.com"
        } else {
            "john.doe@company.com"
        };
        sheet.push_str(&format!(
            "hunt.group.create,MyServiceProvider,SalesGroup,d{i}@company.com,Dry {i},Regular,{agent}\n"
        ));
    }
    let (one, sim_one) = run_sheet_with(sheet.as_bytes(), true, 1).await;
    let (fifteen, sim_fifteen) = run_sheet_with(sheet.as_bytes(), true, 15).await;
    assert_eq!(one.len(), 40);
    assert_eq!(one, fifteen);
    let failed: Vec<usize> = one.iter().filter(|r| !r.success).map(|r| r.index).collect();
    assert_eq!(failed, [5, 14, 23, 32], "the rows naming an unknown agent");
    // The group's reads are the same; the Gets go 15 to a document: 3 documents, not 40.
    assert_eq!(documents_apart(&sim_one, &sim_fifteen), 40 - 3);
    let before = hunt_group_count(&crate::common::start_spec_sim().await);
    assert_eq!(hunt_group_count(&sim_fifteen), before, "nothing written");
}

/// The rows asked for inactive get their flag in one document per batch, after their Adds (a
/// row whose Add is refused gets none); the results and the directory are those of `--batch 1`.
#[tokio::test]
async fn inactive_rows_get_their_flag_a_batch_to_a_document() {
    let mut sheet = String::from(
        "operation,serviceProviderId,groupId,serviceUserId,serviceInstanceProfile.name,policy,active,agentUserId[1]\n",
    );
    for i in 0..20 {
        let active = if i % 2 == 0 { "false" } else { "true" };
        // Row 4 repeats row 2's id: its Add is refused, and nothing deactivates row 2's twice.
        let id = if i == 4 { 2 } else { i };
        sheet.push_str(&format!(
            "hunt.group.create,MyServiceProvider,SalesGroup,a{id}@company.com,Asleep {i},Regular,{active},john.doe@company.com\n"
        ));
    }
    let (one, sim_one) = run_sheet_with(sheet.as_bytes(), false, 1).await;
    let (fifteen, sim_fifteen) = run_sheet_with(sheet.as_bytes(), false, 15).await;
    assert_eq!(one, fifteen);
    let failed: Vec<usize> = one.iter().filter(|r| !r.success).map(|r| r.index).collect();
    assert_eq!(failed, [4], "the repeated id");
    // Batch 1: 20 Adds and 9 flags, one a document. Batch 15: two documents of Adds and two of
    // flags (rows 0..15 hold 7 created inactive ones, rows 15..20 two).
    assert_eq!(documents_apart(&sim_one, &sim_fifteen), 29 - 4);
    for sim in [&sim_one, &sim_fifteen] {
        let dir = sim.shared().directory.lock().unwrap();
        for i in (0..20).filter(|i| *i != 4) {
            let hg = &dir.hunt_groups[&format!("a{i}@company.com")];
            assert_eq!(hg.active, i % 2 == 1, "a{i}");
            assert_eq!(hg.name, format!("Asleep {i}"));
        }
    }
}
