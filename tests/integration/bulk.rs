//! Bulk creation: the spec's examples, every kind of bad cell, a mixed sheet, dry run, the
//! published template with its hint row, JSON data, and the REST endpoint against the CLI.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::common::{
    service_for, start_sim, start_spec_sim, TestGateway, GROUP2_TOKEN, SYSTEM_TOKEN,
};
use ocigw::bulk::input;
use ocigw::bulk::run::{run, RowResult, RunOptions};

const MINIMAL: &str = "operation,serviceProviderId,groupId,serviceUserId,serviceInstanceProfile.name,agentUserId[0],agentUserId[1]
hunt.group.create,MyServiceProvider,SalesGroup,sales-hunt@company.com,Sales Hunt Group,john.doe@company.com,jane.smith@company.com
";

const FULL: &str = "operation,serviceProviderId,groupId,serviceUserId,serviceInstanceProfile.name,serviceInstanceProfile.callingLineIdLastName,serviceInstanceProfile.callingLineIdFirstName,policy,huntAfterNoAnswer,noAnswerNumberOfRings,agentUserId[0],agentUserId[1],agentUserId[2]
hunt.group.create,MyServiceProvider,SalesGroup,sales-hunt@company.com,Sales Hunt Group,Sales,Team,Regular,true,5,john.doe@company.com,jane.smith@company.com,bob.wilson@company.com
hunt.group.create,MyServiceProvider,SupportGroup,support-hunt@company.com,Support Hunt Group,Support,Team,Circular,true,3,support1@company.com,support2@company.com,
";

/// Runs a sheet against a fresh simulator holding the spec examples' directory.
pub async fn run_sheet(sheet: &[u8], dry_run: bool) -> (Vec<RowResult>, ocigw::sim::SimServer) {
    run_sheet_with(sheet, dry_run, 15).await
}

/// [`run_sheet`] with `batch` rows per OCI-P document.
pub async fn run_sheet_with(
    sheet: &[u8],
    dry_run: bool,
    batch: usize,
) -> (Vec<RowResult>, ocigw::sim::SimServer) {
    let sim = start_spec_sim().await;
    let (rows, _) = input::csv(std::io::Cursor::new(sheet.to_vec())).expect("header");
    let options = RunOptions {
        dry_run,
        concurrency: 30,
        batch,
        gate: None,
        restricted: false,
    };
    let mut results = Vec::new();
    run(rows, service_for(&sim), options, |r| {
        results.push(r.clone())
    })
    .await;
    (results, sim)
}

async fn dry_run(sheet: &str) -> Vec<RowResult> {
    run_sheet(sheet.as_bytes(), true).await.0
}

/// The command a row of the spec's examples must produce, as JSON (the columns of its table).
#[allow(clippy::too_many_arguments)]
fn expected_command(
    sp: &str,
    group: &str,
    suid: &str,
    name: &str,
    last: &str,
    first: &str,
    policy: &str,
    rings: i32,
    agents: &[&str],
) -> Value {
    let agents: Value = if agents.len() == 1 {
        json!(agents[0])
    } else {
        json!(agents)
    };
    json!({
        "type": "GroupHuntGroupAddInstanceRequest20",
        "serviceProviderId": sp,
        "groupId": group,
        "serviceUserId": suid,
        "serviceInstanceProfile": {"name": name, "callingLineIdLastName": last, "callingLineIdFirstName": first},
        "policy": policy,
        "huntAfterNoAnswer": "true",
        "noAnswerNumberOfRings": rings.to_string(),
        "forwardAfterTimeout": "false",
        "forwardTimeoutSeconds": "10",
        "agentUserId": agents,
        "allowCallWaitingForAgents": "true",
        "useSystemHuntGroupCLIDSetting": "true",
        "includeHuntGroupNameInCLID": "true",
        "enableNotReachableForwarding": "false",
        "makeBusyWhenNotReachable": "false",
        "allowMembersToControlGroupBusy": "false",
        "enableGroupBusy": "false",
        "applyGroupBusyWhenTerminatingToAgent": "false"
    })
}

#[tokio::test]
async fn a_password_is_sent_but_masked_in_the_result_and_the_report() {
    let sheet = "operation,serviceProviderId,groupId,serviceUserId,serviceInstanceProfile.name,serviceInstanceProfile.password,agentUserId[0]
hunt.group.create,MyServiceProvider,SalesGroup,masked.hunt@company.com,Masked,Pw-S3cret-77,john.doe@company.com
";
    let (results, sim) = run_sheet(sheet.as_bytes(), false).await;
    assert!(results[0].success, "{:?}", results[0].error);
    assert_eq!(
        results[0].data.to_value()["serviceInstanceProfile"]["password"],
        "***"
    );
    assert_eq!(
        results[0].command.to_value()["serviceInstanceProfile"]["password"],
        "***"
    );
    let report = serde_json::to_string(&results).unwrap();
    assert!(!report.contains("Pw-S3cret-77"), "{report}");
    // What BroadWorks got is the password itself.
    let directory = sim.shared().directory.lock().unwrap().clone();
    let stored = directory.hunt_groups["masked.hunt@company.com"]
        .password
        .as_ref()
        .map(|p| p.expose().to_owned());
    assert_eq!(stored.as_deref(), Some("Pw-S3cret-77"));
}

#[tokio::test]
async fn the_minimal_example_gets_exactly_the_documented_defaults() {
    let results = dry_run(MINIMAL).await;
    assert_eq!(results.len(), 1);
    let r = &results[0];
    // The text itself: the fields in the sheet's column order.
    assert_eq!(
        r.data.as_text(),
        json!({
            "operation": "hunt.group.create",
            "serviceProviderId": "MyServiceProvider",
            "groupId": "SalesGroup",
            "serviceUserId": "sales-hunt@company.com",
            "serviceInstanceProfile": {
                "name": "Sales Hunt Group",
                "callingLineIdLastName": "Sales Hunt Group",
                "callingLineIdFirstName": "Sales Hunt Group"
            },
            "policy": "Regular",
            "huntAfterNoAnswer": true,
            "noAnswerNumberOfRings": 5,
            "forwardAfterTimeout": false,
            "forwardTimeoutSeconds": 10,
            "agentUserId": ["john.doe@company.com", "jane.smith@company.com"],
            "allowCallWaitingForAgents": true,
            "useSystemHuntGroupCLIDSetting": true,
            "includeHuntGroupNameInCLID": true,
            "enableNotReachableForwarding": false,
            "makeBusyWhenNotReachable": false,
            "allowMembersToControlGroupBusy": false,
            "enableGroupBusy": false,
            "applyGroupBusyWhenTerminatingToAgent": false
        })
        .to_string()
    );
    // The calling line id names default to the name: the spec's documented defaults (31 and 32
    // characters) never fit BroadWorks's 30.
    assert_eq!(
        r.command.to_value(),
        expected_command(
            "MyServiceProvider",
            "SalesGroup",
            "sales-hunt@company.com",
            "Sales Hunt Group",
            "Sales Hunt Group",
            "Sales Hunt Group",
            "Regular",
            5,
            &["john.doe@company.com", "jane.smith@company.com"],
        )
    );
    assert!(r.success, "{r:?}");
    // The real run creates it, with every default visible in BroadWorks's own answer.
    let (results, sim) = run_sheet(MINIMAL.as_bytes(), false).await;
    assert!(results[0].success, "{:?}", results[0]);
    let session = crate::common::admin_session(&sim).await;
    let got = session
        .call(&ocigw::ocip::commands::GroupHuntGroupGetInstanceRequest20 {
            service_user_id: "sales-hunt@company.com".into(),
        })
        .await
        .unwrap();
    let p = &got.service_instance_profile;
    assert_eq!(
        (
            p.name.as_str(),
            p.calling_line_id_last_name.as_str(),
            p.calling_line_id_first_name.as_str()
        ),
        ("Sales Hunt Group", "Sales Hunt Group", "Sales Hunt Group")
    );
    assert_eq!(got.policy, ocigw::ocip::commands::HuntPolicy::Regular);
    assert!(got.hunt_after_no_answer && got.allow_call_waiting_for_agents);
    assert_eq!(
        (
            i32::from(got.no_answer_number_of_rings),
            i32::from(got.forward_timeout_seconds)
        ),
        (5, 10)
    );
    assert!(got.use_system_hunt_group_clid_setting && got.include_hunt_group_name_in_clid);
    assert!(
        !got.forward_after_timeout && !got.enable_group_busy && !got.make_busy_when_not_reachable
    );
    assert_eq!(got.agent_user_table.row_count(), 2);
    session.logout().await;
}

#[tokio::test]
async fn the_full_example_gives_exactly_its_commands() {
    let results = dry_run(FULL).await;
    assert_eq!(results.len(), 2);
    assert!(
        results.iter().all(|r| r.success && r.error.is_none()),
        "{results:?}"
    );
    assert_eq!(results[0].line, Some(2));
    assert_eq!(
        results[0].command.to_value(),
        expected_command(
            "MyServiceProvider",
            "SalesGroup",
            "sales-hunt@company.com",
            "Sales Hunt Group",
            "Sales",
            "Team",
            "Regular",
            5,
            &[
                "john.doe@company.com",
                "jane.smith@company.com",
                "bob.wilson@company.com"
            ],
        )
    );
    assert_eq!(
        results[1].command.to_value(),
        expected_command(
            "MyServiceProvider",
            "SupportGroup",
            "support-hunt@company.com",
            "Support Hunt Group",
            "Support",
            "Team",
            "Circular",
            3,
            &["support1@company.com", "support2@company.com"],
        )
    );
    assert_eq!(results[1].response, json!(""));
}

#[tokio::test]
async fn every_kind_of_bad_cell_is_reported_with_line_column_and_value() {
    let header = "operation,serviceProviderId,groupId,serviceUserId,serviceInstanceProfile.name,serviceInstanceProfile.callingLineIdLastName,serviceInstanceProfile.callingLineIdFirstName,serviceInstanceProfile.phoneNumber,policy,huntAfterNoAnswer,noAnswerNumberOfRings,forwardTimeoutSeconds,agentUserId[0]";
    let ok = "MyServiceProvider,SalesGroup";
    let agent = "john.doe@company.com";
    let rows = [
        (format!("hunt.group.create,{ok},a1,N,L,F,,Regular,yes,5,10,{agent}"), "line 2, column huntAfterNoAnswer, value 'yes': not a boolean (true or false)"),
        (format!("hunt.group.create,{ok},a2,N,L,F,,Regular,true,five,10,{agent}"), "line 3, column noAnswerNumberOfRings, value 'five': not an integer"),
        (format!("hunt.group.create,{ok},a3,N,L,F,,Regular,true,21,10,{agent}"), "line 4, column noAnswerNumberOfRings, value '21': 21 is outside 1..20"),
        (format!("hunt.group.create,{ok},a4,N,L,F,,Regular,true,5,-1,{agent}"), "line 5, column forwardTimeoutSeconds, value '-1': -1 is outside 0..7200"),
        (format!("hunt.group.create,{ok},a5,N,L,F,,Random,true,5,10,{agent}"), "line 6, column policy, value 'Random': 'Random' is not a policy: Circular, Regular, Simultaneous, Uniform, Weighted (or Weighted Call Distribution)"),
        (format!("hunt.group.create,{ok},a6,N,L,F,+32 abc,Regular,true,5,10,{agent}"), "line 7, column serviceInstanceProfile.phoneNumber, value '+32 abc': '+32 abc' is not an E.164 number (like +3225126778)"),
        (format!("hunt.group.create,{ok},a7,N,L,F,,Regular,true,5,10,"), "line 8, column agentUserId[0]: at least one agent is required"),
        (format!("user.create,{ok},a8,N,L,F,,Regular,true,5,10,{agent}"), "line 9, column operation, value 'user.create': must be hunt.group.create"),
        (format!("hunt.group.create,{ok},,N,L,F,,Regular,true,5,10,{agent}"), "line 10, column serviceUserId: serviceUserId is required (or enable SUID_HUNT_GROUP_AUTO_GENERATE)"),
        (format!("hunt.group.create,{ok},a10,NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN,L,F,,Regular,true,5,10,{agent}"), "line 11, column serviceInstanceProfile.name, value 'NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN': length 31 is outside 1..30 characters"),
        (format!("hunt.group.create,{ok},a11,N,L,F,,Regular,true,5,10,{agent},extra"), "line 12, column -: 14 cells for 13 columns in the header"),
        (format!("hunt.group.create,{ok},a12,N,L,F,,weighted call distribution,TRUE,5,10,{agent}"), ""),
        // Every bad cell of a row, not only the first.
        (format!("hunt.group.create,{ok},a13,N,L,F,+32 abc,Regular,maybe,21,10,{agent}"), "line 14, column huntAfterNoAnswer, value 'maybe': not a boolean (true or false); column serviceInstanceProfile.phoneNumber, value '+32 abc': '+32 abc' is not an E.164 number (like +3225126778); column noAnswerNumberOfRings, value '21': 21 is outside 1..20"),
        // Known without writing: the agent is not in the group.
        (format!("hunt.group.create,{ok},a14,N,L,F,,Regular,true,5,10,ghost@company.com"), "line 15, column agentUserId[0], value 'ghost@company.com': ghost@company.com is not a user of group SalesGroup (or of its enterprise) that may be an agent"),
    ];
    let mut sheet = format!("{header}\n");
    for (row, _) in &rows {
        sheet.push_str(row);
        sheet.push('\n');
    }
    let results = dry_run(&sheet).await;
    assert_eq!(
        results.len(),
        rows.len(),
        "one result per row, nothing lost"
    );
    for (i, (result, (_, expected))) in results.iter().zip(&rows).enumerate() {
        assert_eq!(result.index, i);
        if expected.is_empty() {
            assert!(result.success, "{result:?}");
            assert_eq!(result.command.to_value()["policy"], "Weighted");
        } else {
            assert_eq!(result.error.as_deref(), Some(*expected), "row {i}");
            assert!(!result.success);
        }
    }
    // Sheet-level problems are errors before any row.
    let Err(err) = input::csv(std::io::Cursor::new(b"operation,queueLength\n".to_vec())) else {
        panic!("an unknown column is an error");
    };
    assert!(
        matches!(&err, input::InputError::UnknownColumn { name, column: 2 } if name == "queueLength"),
        "{err}"
    );
    // Bytes that are not UTF-8 fail their row only.
    let mut bad = format!("{header}\n").into_bytes();
    bad.extend_from_slice(b"hunt.group.create,S,G,a@d,N\xff,L\xfe,F,,Regular,true,5,10,x@d\n");
    let (results, _) = run_sheet(&bad, true).await;
    assert_eq!(
        results[0].error.as_deref(),
        Some("line 2, column serviceInstanceProfile.name, value 'N\u{fffd}': not UTF-8 text (save the sheet as UTF-8); column serviceInstanceProfile.callingLineIdLastName, value 'L\u{fffd}': not UTF-8 text (save the sheet as UTF-8)")
    );
}

fn write_file(name: &str, content: &[u8]) -> PathBuf {
    let dir = crate::common::scratch_path("bulk-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

/// The published template (with its hint row), UTF-8 BOM, and rows good and bad.
fn mixed_sheet() -> Vec<u8> {
    // The template the other SDK publishes, with its row of type hints.
    let template = std::fs::read_to_string(crate::common::crate_path(
        "fixtures/bulk/published-template.csv",
    ))
    .unwrap();
    let mut sheet = "\u{feff}".to_owned() + template.trim_end() + "\n";
    let row = |suid: &str,
               name: &str,
               hiragana: &str,
               phone: &str,
               policy: &str,
               rings: &str,
               agents: &[&str]| {
        let mut agent_cells = agents.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();
        agent_cells.resize(8, String::new());
        format!(
            "hunt.group.create,ApioSpTest,ApioGrpTest,{suid},{name},Bulk,Team,{hiragana},,{phone},,,,,,,,,,{policy},,{rings},,,,,,,,,,,,,,{}\n",
            agent_cells.join(",")
        )
    };
    sheet += &row(
        "good1@apiotest.example.com",
        "Good One",
        "セールス",
        "+3225126717",
        "Weighted Call Distribution",
        "3",
        &[
            "test.user4000@apiotest.example.com",
            "",
            "taro.yamada@apiotest.example.com",
        ],
    );
    sheet += &row(
        "good2@apiotest.example.com",
        "Good Two",
        "",
        "",
        "Circular",
        "",
        &["test1.user5001@apiotest.example.com"],
    );
    sheet += &row(
        "refused@apiotest.example.com",
        "Refused",
        "",
        "",
        "Regular",
        "",
        &["ghost@apiotest.example.com"],
    );
    sheet += &row(
        "invalid@apiotest.example.com",
        "Invalid",
        "",
        "",
        "Regular",
        "twenty",
        &["test.user4000@apiotest.example.com"],
    );
    sheet += &row(
        "test.user4000@apiotest.example.com",
        "Taken Id",
        "",
        "",
        "Regular",
        "",
        &["test.user4000@apiotest.example.com"],
    );
    sheet.into_bytes()
}

fn without_timing(mut report: Value) -> Value {
    report["summary"]["seconds"] = json!(0);
    report
}

fn read_report(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[tokio::test]
async fn a_mixed_sheet_gives_one_result_per_row_and_the_cli_and_rest_agree() {
    let sheet = write_file("mixed.csv", &mixed_sheet());
    let report = crate::common::scratch_path("bulk-tests/mixed-report.json");
    // CLI against a simulator of ours.
    let sim = start_sim().await;
    let port = sim.addr().port().to_string();
    let out = crate::common::run_ocigw(
        &[
            "bulk",
            "create",
            sheet.to_str().unwrap(),
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--user",
            "admin",
            "--report",
            report.to_str().unwrap(),
        ],
        Some("admin"),
    )
    .await;
    assert_eq!(
        out.status.code(),
        Some(1),
        "some rows failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("note: line 2 holds the template's type hints"),
        "{stdout}"
    );
    assert!(stdout.contains("5 rows: 2 created, 3 failed"), "{stdout}");
    let cli = read_report(&report);
    let results = cli["results"].as_array().unwrap();
    let outcome: Vec<(u64, bool)> = results
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["success"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        outcome,
        [(3, true), (4, true), (5, false), (6, false), (7, false)]
    );
    assert_eq!(
        results[2]["error"],
        "[Error 4008] User not found: ghost@apiotest.example.com"
    );
    assert_eq!(results[2]["response"]["errorCode"], 4008);
    assert_eq!(
        results[3]["error"],
        "line 6, column noAnswerNumberOfRings, value 'twenty': not an integer"
    );
    assert_eq!(results[3]["command"], Value::Null);
    assert_eq!(
        results[4]["error"],
        "[Error 4010] User already exists: test.user4000@apiotest.example.com"
    );
    // Exactly the good rows exist, with their hiragana intact and the display policy mapped.
    {
        let dir = sim.shared().directory.lock().unwrap();
        assert_eq!(dir.hunt_groups.len(), 2);
        let good = &dir.hunt_groups["good1@apiotest.example.com"];
        assert_eq!(good.hiragana_last_name.as_deref(), Some("セールス"));
        assert_eq!(
            good.options.policy,
            ocigw::ocip::commands::HuntPolicy::Weighted
        );
        assert_eq!(good.agents.len(), 2);
        assert_eq!(
            good.phone_number.as_ref().map(|d| d.to_string()).as_deref(),
            Some("+32-25126717")
        );
    }
    // The REST endpoint on a fresh gateway gives the same results for the same sheet.
    let gw = TestGateway::start().await;
    let r = request_csv(&gw, SYSTEM_TOKEN, "", &mixed_sheet()).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(without_timing(r.json()), without_timing(cli.clone()));
    let doc = crate::http::request(gw.gateway.addr(), "GET", "/openapi.json", None, None)
        .await
        .json();
    assert!(doc["paths"]["/api/v1/bulk/hunt_groups/"]["post"].is_object());
    crate::schemas::assert_valid("BulkResults", &cli);
}

/// Posts a CSV sheet to the bulk endpoint with `token` and `query` (`?dry_run=true`, or "").
pub async fn request_csv(
    gw: &TestGateway,
    token: &str,
    query: &str,
    body: &[u8],
) -> crate::http::Response {
    let path = format!("/api/v1/bulk/hunt_groups/{query}");
    crate::http::request_with_type(
        gw.gateway.addr(),
        "POST",
        &path,
        Some(token),
        "text/csv",
        Some(body),
    )
    .await
}

#[tokio::test]
async fn a_dry_run_sends_nothing_from_the_cli_or_rest() {
    let sheet = write_file("dry.csv", &mixed_sheet());
    let sim = start_sim().await;
    let port = sim.addr().port().to_string();
    let out = crate::common::run_ocigw(
        &[
            "bulk",
            "create",
            sheet.to_str().unwrap(),
            "--dry-run",
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--user",
            "admin",
        ],
        Some("admin"),
    )
    .await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The dry run reads (the unknown agent, the id taken by a user) and agrees with the real run
    // row for row; it writes nothing.
    assert!(
        stdout.contains("5 rows: 2 valid, 3 failed (dry run: nothing sent)"),
        "{stdout}"
    );
    assert_eq!(crate::common::hunt_group_count(&sim), 0);
    let gw = TestGateway::start().await;
    let r = request_csv(&gw, SYSTEM_TOKEN, "?dry_run=true", &mixed_sheet()).await;
    assert_eq!(r.status, 200);
    let dry = r.json();
    assert_eq!(dry["summary"]["dryRun"], true);
    assert_eq!(dry["summary"]["succeeded"], 2);
    assert_eq!(crate::common::hunt_group_count(&gw.sim), 0);
    let real = request_csv(&gw, SYSTEM_TOKEN, "", &mixed_sheet())
        .await
        .json();
    assert_eq!(
        crate::common::successes(&dry),
        crate::common::successes(&real),
        "dry run and real run agree on every row"
    );
    assert_eq!(
        crate::common::successes(&real),
        [true, true, false, false, false]
    );
}

#[tokio::test]
async fn json_data_in_the_programmatic_form_matches_the_sheet() {
    let data = json!([
        {
            "operation": "hunt.group.create",
            "service_provider_id": "MyServiceProvider",
            "group_id": "SalesGroup",
            "service_user_id": "sales-hunt@company.com",
            "service_instance_profile": {"name": "Sales Hunt Group", "calling_line_id_last_name": "Sales", "calling_line_id_first_name": "Team"},
            "policy": "Regular",
            "hunt_after_no_answer": true,
            "no_answer_number_of_rings": 5,
            "agent_user_id": ["john.doe@company.com", "jane.smith@company.com", "bob.wilson@company.com"]
        },
        {
            "operation": "hunt.group.create",
            "service_provider_id": "MyServiceProvider",
            "group_id": "SupportGroup",
            "service_user_id": "support-hunt@company.com",
            "service_instance_profile": {"name": "Support Hunt Group", "calling_line_id_last_name": "Support", "calling_line_id_first_name": "Team"},
            "policy": "Circular",
            "hunt_after_no_answer": true,
            "no_answer_number_of_rings": 3,
            "agent_user_id": ["support1@company.com", "support2@company.com"]
        },
        {"operation": "hunt.group.create", "queue_length": 3}
    ]);
    let (rows, _) =
        input::json_stream(std::io::Cursor::new(data.to_string().into_bytes())).unwrap();
    let sim = start_spec_sim().await;
    let mut results = Vec::new();
    run(
        rows,
        service_for(&sim),
        RunOptions {
            dry_run: true,
            concurrency: 2,
            batch: 15,
            gate: None,
            restricted: false,
        },
        |r| results.push(r.clone()),
    )
    .await;
    let sheet = dry_run(FULL).await;
    assert_eq!(results[0].command, sheet[0].command);
    assert_eq!(results[1].command, sheet[1].command);
    assert_eq!(
        results[2].error.as_deref(),
        Some("item 2, field queue_length: unknown field 'queue_length'")
    );
    // The file form through the CLI, against `ocigw sim` with the spec's directory: created.
    let path = write_file("data.json", data.to_string().as_bytes());
    let port = sim.addr().port().to_string();
    let out = crate::common::run_ocigw(
        &[
            "bulk",
            "create",
            path.to_str().unwrap(),
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--user",
            "admin",
        ],
        Some("admin"),
    )
    .await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("3 rows: 2 created, 1 failed"), "{stdout}");
    let dir = sim.shared().directory.lock().unwrap();
    assert_eq!(dir.hunt_groups.len(), 2);
}

#[tokio::test]
async fn rest_checks_each_row_against_the_token_scope() {
    let gw = TestGateway::start().await;
    let sheet = "operation,serviceProviderId,groupId,serviceUserId,serviceInstanceProfile.name,serviceInstanceProfile.callingLineIdLastName,serviceInstanceProfile.callingLineIdFirstName,agentUserId[0]
hunt.group.create,ApioSpTest,ApioGrpTest,g1@apiotest.example.com,G1,G,One,test.user4000@apiotest.example.com
hunt.group.create,ApioSpTest,ApioGrpTest2,g2@apiotest.example.com,G2,G,Two,test1.user5001@apiotest.example.com
";
    let r = request_csv(&gw, GROUP2_TOKEN, "", sheet.as_bytes()).await;
    assert_eq!(r.status, 200);
    let results = r.json()["results"].clone();
    assert_eq!(results[0]["success"], false);
    assert!(results[0]["error"]
        .as_str()
        .unwrap()
        .contains("does not give access to group ApioGrpTest of tenant ApioSpTest"));
    assert_eq!(results[1]["success"], true);
    let dir = gw.sim.shared().directory.lock().unwrap();
    assert!(dir.hunt_groups.contains_key("g2@apiotest.example.com"));
    assert!(!dir.hunt_groups.contains_key("g1@apiotest.example.com"));
}

#[tokio::test]
async fn the_template_command_prints_the_shipped_header() {
    let out = crate::common::run_ocigw(&["bulk", "template", "hunt.group.create"], None).await;
    assert!(out.status.success());
    let shipped = std::fs::read_to_string(crate::common::crate_path(
        "schemas/bulk/hunt.group.create.csv",
    ))
    .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), shipped);
    assert!(shipped.starts_with(
        "operation,serviceProviderId,groupId,serviceUserId,serviceInstanceProfile.name,"
    ));
    let out = crate::common::run_ocigw(&["bulk", "template", "user.create"], None).await;
    assert_eq!(out.status.code(), Some(2));
}
