//! Any command as JSON: `POST /api/v1/oci/commands` (answers, schema violations, scopes) and
//! the `oci call`, `oci describe` and `schema diff` commands, over a real gateway and simulator.

use serde_json::{json, Value};

use crate::common::{run_ocigw, start_sim, TestGateway, GROUP_TOKEN, SYSTEM_TOKEN, TENANT_TOKEN};

const PATH: &str = "/api/v1/oci/commands";

fn hunt_group_add(agent: &str) -> Value {
    json!({
        "command": "GroupHuntGroupAddInstanceRequest20",
        "serviceProviderId": "ApioSpTest", "groupId": "ApioGrpTest",
        "serviceUserId": "raw.hg@apiotest.example.com",
        "serviceInstanceProfile": {"name": "Raw", "callingLineIdLastName": "Raw", "callingLineIdFirstName": "HG"},
        "policy": "Regular", "huntAfterNoAnswer": false, "noAnswerNumberOfRings": 5,
        "forwardAfterTimeout": false, "forwardTimeoutSeconds": 0,
        "agentUserId": [agent],
        "allowCallWaitingForAgents": false, "useSystemHuntGroupCLIDSetting": true,
        "includeHuntGroupNameInCLID": true, "enableNotReachableForwarding": false,
        "makeBusyWhenNotReachable": false, "allowMembersToControlGroupBusy": false,
        "enableGroupBusy": false, "applyGroupBusyWhenTerminatingToAgent": false
    })
}

#[tokio::test]
async fn commands_are_answered_in_order_as_json() {
    let gw = TestGateway::start().await;
    let body = json!([
        {"command": "GroupGetListInServiceProviderRequest", "serviceProviderId": "ApioSpTest"},
        {"command": "GroupHuntGroupGetInstanceListRequest", "serviceProviderId": "ApioSpTest", "groupId": "nope"}
    ]);
    let r = gw.call("POST", PATH, Some(body)).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let answers = r.json();
    assert_eq!(
        answers[0]["command"],
        "GroupGetListInServiceProviderResponse"
    );
    assert_eq!(answers[0]["groupTable"][0]["groupId"], "ApioGrpTest");
    assert_eq!(answers[0]["groupTable"][1]["groupId"], "ApioGrpTest2");
    assert_eq!(answers[1]["command"], "ErrorResponse");
    assert_eq!(
        answers[1]["summaryEnglish"],
        "[Error 4101] Group not found: nope"
    );

    // A hunt group created through the raw endpoint is there for the REST API.
    let r = gw
        .call(
            "POST",
            PATH,
            Some(hunt_group_add("test.user4000@apiotest.example.com")),
        )
        .await;
    assert_eq!(r.json(), json!([{"command": "SuccessResponse"}]));
    let r = gw
        .call(
            "GET",
            &format!("{}/raw.hg@apiotest.example.com/", crate::common::HG),
            None,
        )
        .await;
    assert_eq!(r.json()["serviceInstanceProfile"]["name"], "Raw");
}

#[tokio::test]
async fn a_command_that_breaks_the_schema_is_refused_with_every_violation() {
    let gw = TestGateway::start().await;
    let mut add = hunt_group_add("test.user4000@apiotest.example.com");
    add["serviceInstanceProfile"]["name"] = json!("x".repeat(31));
    add["policy"] = json!("Weightd");
    add["queueLength"] = json!(3);
    add.as_object_mut().unwrap().remove("groupId");
    let r = gw.call("POST", PATH, Some(add)).await;
    assert_eq!(r.status, 400);
    let errors = r.json()["errors"].clone();
    let found: Vec<(String, String)> = errors
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let field = e["details"]["field"].as_str().unwrap().to_owned();
            (field, e["message"].as_str().unwrap().to_owned())
        })
        .collect();
    let expect = |field: &str, message: &str| (field.to_owned(), message.to_owned());
    assert_eq!(
        found,
        vec![
            expect("groupId", "required"),
            expect("serviceInstanceProfile.name", "length 31 is outside 1..30"),
            expect(
                "policy",
                "'Weightd' is not one of Circular, Regular, Simultaneous, Uniform, Weighted"
            ),
            expect(
                "queueLength",
                "not an element of GroupHuntGroupAddInstanceRequest20"
            ),
        ]
    );
    assert_eq!(errors[3]["details"]["code"], "unknown_field");
    // Nothing reached the simulator: no hunt group was made.
    assert_eq!(crate::common::hunt_group_count(&gw.sim), 0);

    let sixteen: Vec<Value> = (0..16)
        .map(|_| json!({"command": "GroupGetListInServiceProviderRequest", "serviceProviderId": "ApioSpTest"}))
        .collect();
    let r = gw.call("POST", PATH, Some(Value::Array(sixteen))).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["errors"][0]["message"],
        "16 commands, at most 15 in one call"
    );
    let r = gw
        .call(
            "POST",
            PATH,
            Some(json!({"command": "GroupHuntGroupAddInstanceRequest"})),
        )
        .await;
    assert_eq!(
        r.json()["errors"][0]["message"],
        "'GroupHuntGroupAddInstanceRequest' is not a command of R25"
    );
}

#[tokio::test]
async fn tenant_and_group_tokens_send_only_commands_inside_their_scope() {
    let gw = TestGateway::start().await;
    let sp = |sp: &str| json!({"command": "GroupGetListInServiceProviderRequest", "serviceProviderId": sp});
    let group = |sp: &str, g: &str| json!({"command": "GroupGetRequest22V5", "serviceProviderId": sp, "groupId": g});
    let user = |id: &str| json!({"command": "UserGetRequest23V2", "userId": id});
    // (command, allowed for the tenant token ApioSpTest, allowed for the group token ApioGrpTest)
    let cases: Vec<(Value, bool, bool)> = vec![
        (group("ApioSpTest", "ApioGrpTest"), true, true),
        (group("ApioSpTest", "ApioGrpTest2"), true, false),
        (group("DemoSp", "DemoGrp"), false, false),
        (sp("ApioSpTest"), true, false),
        (sp("DemoSp"), false, false),
        (
            json!({"command": "ServiceProviderGetRequest22V4", "serviceProviderId": "ApioSpTest"}),
            true,
            false,
        ),
        (
            json!({"command": "SystemSoftwareVersionGetRequest"}),
            false,
            false,
        ),
        (
            json!({"command": "SystemDomainGetListRequest"}),
            false,
            false,
        ),
        (user("test.user4000@apiotest.example.com"), true, true),
        (user("test1.user5001@apiotest.example.com"), true, false),
        (user("john.doe@demo.example.com"), false, false),
        (user("nobody@apiotest.example.com"), false, false),
        (
            json!({"command": "GroupHuntGroupGetInstanceListRequest", "serviceProviderId": "ApioSpTest", "groupId": "ApioGrpTest"}),
            true,
            true,
        ),
        (
            hunt_group_add("test.user4000@apiotest.example.com"),
            true,
            true,
        ),
        (hunt_group_add("john.doe@demo.example.com"), false, false),
        (
            hunt_group_add("test1.user5001@apiotest.example.com"),
            true,
            false,
        ),
        (
            json!({"command": "GroupDnGetAssignmentListRequest18", "serviceProviderId": "ApioSpTest", "groupId": "ApioGrpTest"}),
            true,
            true,
        ),
        (
            json!({"command": "UserGetListInGroupRequest", "serviceProviderId": "ApioSpTest", "GroupId": "ApioGrpTest2"}),
            true,
            false,
        ),
        (
            json!({"command": "EnterpriseDepartmentGetListRequest", "enterpriseId": "ApioSpTest", "includeGroupDepartments": true}),
            true,
            false,
        ),
        (
            json!({"command": "EnterpriseDepartmentGetListRequest", "enterpriseId": "DemoSp", "includeGroupDepartments": true}),
            false,
            false,
        ),
        (
            json!({"command": "ResellerGetRequest22", "resellerId": "r1"}),
            false,
            false,
        ),
        (
            json!({"command": "UserGetListInServiceProviderRequest", "serviceProviderExternalId": "x"}),
            false,
            false,
        ),
        (
            json!({"command": "UserModifyRequest22", "userId": "test.user4000@apiotest.example.com", "lastName": "Renamed"}),
            true,
            true,
        ),
        (
            json!({"command": "UserModifyRequest22", "userId": "jane.smith@demo.example.com", "lastName": "Renamed"}),
            false,
            false,
        ),
        (
            json!([
                group("ApioSpTest", "ApioGrpTest"),
                group("DemoSp", "DemoGrp")
            ]),
            false,
            false,
        ),
    ];
    assert!(cases.len() >= 20);
    let mut many = hunt_group_add("test.user4000@apiotest.example.com");
    // 51 agents and the service user id.
    many["agentUserId"] = json!((0..51)
        .map(|i| format!("u{i}@apiotest.example.com"))
        .collect::<Vec<_>>());
    let before = gw.sim.commands_seen();
    let r = gw.call_as(TENANT_TOKEN, "POST", PATH, Some(many)).await;
    assert_eq!(r.status, 403);
    assert_eq!(
        r.json()["errors"][0]["message"],
        "GroupHuntGroupAddInstanceRequest20 names 52 user ids; a tenant or group token may name at most 50 in one command (each is looked up)"
    );
    assert_eq!(
        gw.sim.commands_seen(),
        before,
        "nothing was looked up or sent"
    );
    for (command, tenant_ok, group_ok) in &cases {
        for (token, allowed) in [(TENANT_TOKEN, tenant_ok), (GROUP_TOKEN, group_ok)] {
            let r = gw.call_as(token, "POST", PATH, Some(command.clone())).await;
            let expected = if *allowed { 200 } else { 403 };
            assert_eq!(
                r.status,
                expected,
                "{token} {command}: {}",
                String::from_utf8_lossy(&r.body)
            );
        }
        let r = gw
            .call_as(SYSTEM_TOKEN, "POST", PATH, Some(command.clone()))
            .await;
        assert_eq!(
            r.status,
            200,
            "system {command}: {}",
            String::from_utf8_lossy(&r.body)
        );
    }
}

#[tokio::test]
async fn oci_call_describe_and_schema_diff_from_the_command_line() {
    let sim = start_sim().await;
    let host = sim.addr().to_string();
    let command =
        r#"{"command": "GroupGetListInServiceProviderRequest", "serviceProviderId": "ApioSpTest"}"#;
    let out = run_ocigw(
        &["oci", "call", command, "--host", &host, "--user", "admin"],
        Some("admin"),
    )
    .await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["command"], "GroupGetListInServiceProviderResponse");
    assert_eq!(answer["groupTable"][0]["groupName"], "APIO Test Group");

    let refused = r#"{"command": "GroupGetRequest22V5", "serviceProviderId": "ApioSpTest", "groupId": "nope"}"#;
    let out = run_ocigw(
        &["oci", "call", refused, "--host", &host, "--user", "admin"],
        Some("admin"),
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        answer["summaryEnglish"],
        "[Error 4101] Group not found: nope"
    );

    let bad = r#"{"command": "GroupGetRequest22V5", "serviceProviderId": "ApioSpTest"}"#;
    let out = run_ocigw(
        &["oci", "call", bad, "--host", &host, "--user", "admin"],
        Some("admin"),
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("  groupId: required"), "{stderr}");

    let out = run_ocigw(
        &["oci", "describe", "GroupHuntGroupAddInstanceRequest20"],
        None,
    )
    .await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("\"noAnswerNumberOfRings\": integer HuntNoAnswerRings (required): 1..20"),
        "{text}"
    );
    assert!(text.contains("\"policy\": string HuntPolicy (required): one of Circular, Regular, Simultaneous, Uniform, Weighted"));

    let out = run_ocigw(
        &["schema", "diff", "embedded", "schemas/oci/R25.json"],
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "embedded (R25) and schemas/oci/R25.json (R25) declare the same commands and types\n"
    );
}
