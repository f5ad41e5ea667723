//! The REST API end to end: gateway on port 0 in front of the simulator on port 0, every
//! endpoint, success and failure, scopes, numbers both ways, service user id generation and
//! renumbering, the national-number workaround.

use serde_json::{json, Value};

use crate::common::{demo_directory, TestGateway, GROUP2_TOKEN, HG, SYSTEM_TOKEN, TENANT_TOKEN};
use crate::http::request;
use ocigw::config::Config;

/// The spec's create example, with real agent ids and a free number.
fn spec_create() -> Value {
    json!({
        "serviceUserId": "APIOTestHuntGroup",
        "serviceInstanceProfile": {
            "name": "APIO Test Hunt Group",
            "cliLastName": "Last Test",
            "cliFirstName": "First Test",
            "department": {
                "tenantId": "ApioSpTest",
                "groupId": "ApioGrpTest",
                "departmentName": "test_department_initial"
            },
            "language": "English",
            "timeZone": "Europe/Brussels",
            "timeZoneDisplayName": "(GMT+01:00) Europe/Brussels",
            "phoneNumber": "+3225126711"
        },
        "policy": "Regular",
        "agents": ["test.user4000@apiotest.example.com", "", "test1.user5001@apiotest.example.com"],
        "active": true,
        "templateName": "basic"
    })
}

const SUID: &str = "APIOTestHuntGroup@apiotest.example.com";

fn one(suid: &str) -> String {
    format!("{HG}/{suid}/")
}

#[tokio::test]
async fn create_get_list_update_delete_with_exact_values() {
    let gw = TestGateway::start().await;
    let created = gw
        .call("POST", &format!("{HG}/"), Some(spec_create()))
        .await;
    assert_eq!(
        created.status,
        201,
        "{}",
        String::from_utf8_lossy(&created.body)
    );
    let body = created.json();
    assert_eq!(
        body,
        json!({
            "serviceUserId": SUID,
            "serviceInstanceProfile": {
                "name": "APIO Test Hunt Group",
                "cliLastName": "Last Test",
                "cliFirstName": "First Test",
                "hiraganaLastName": "",
                "hiraganaFirstName": "",
                "language": "English",
                "phoneNumber": "+3225126711",
                "extension": "",
                "department": {"tenantId": "ApioSpTest", "groupId": "ApioGrpTest", "departmentName": "test_department_initial"},
                "publicUserIdentity": "",
                "timeZone": "Europe/Brussels",
                "timeZoneDisplayName": "(GMT+01:00) Europe/Brussels",
                "alias": [],
                "callingLineIdPhoneNumber": ""
            },
            "policy": "Regular",
            "huntAfterNoAnswer": true,
            "allowMembersToControlGroupBusy": false,
            "notReachableForwardToPhoneNumber": "",
            "enableNotReachableForwarding": false,
            "makeBusyWhenNotReachable": false,
            "agents": [
                {
                    "userId": "test.user4000@apiotest.example.com",
                    "lastName": "Test", "firstName": "Test", "weight": 0,
                    "phoneNumber": "", "extension": "4000",
                    "department": {
                        "tenantId": "ApioSpTest", "groupId": "ApioGrpTest",
                        "departmentName": "test_department_initial",
                        "fullPathName": "test_department_parent_1 \\ test_department_initial"
                    },
                    "emailAddress": "test.user4000@apiotest.example.com"
                },
                {
                    "userId": "test1.user5001@apiotest.example.com",
                    "lastName": "Test1", "firstName": "Test1", "weight": 0,
                    "phoneNumber": "+3225126778", "extension": "5001", "emailAddress": ""
                }
            ],
            "useSystemHuntGroupCLIDSetting": true,
            "noAnswerNumberOfRings": 5,
            "enableGroupBusy": false,
            "forwardToPhoneNumber": "",
            "forwardTimeoutSeconds": 10,
            "forwardAfterTimeout": false,
            "allowCallWaitingForAgents": true,
            "applyGroupBusyWhenTerminatingToAgent": false,
            "includeHuntGroupNameInCLID": true,
            "networkClassOfService": "",
            "active": true
        })
    );
    // A POST answers what a GET answers; the path works with and without its trailing slash.
    let got = gw.call("GET", &format!("{HG}/{SUID}"), None).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.json(), body);
    assert!(got.header("x-request-id").is_some_and(|id| id.len() == 16));

    let list = gw.call("GET", HG, None).await;
    assert_eq!(list.status, 200);
    assert_eq!(
        list.json(),
        json!({"hunt_groups": [{
            "serviceUserId": SUID,
            "name": "APIO Test Hunt Group",
            "phoneNumber": "+3225126711",
            "extension": "",
            "department": {
                "tenantId": "ApioSpTest", "groupId": "ApioGrpTest",
                "departmentName": "test_department_initial",
                "fullPathName": "test_department_parent_1 \\ test_department_initial"
            },
            "active": true,
            "policy": "Regular"
        }]})
    );

    let updated = gw
        .call(
            "PUT",
            &one(SUID),
            Some(json!({
                "serviceInstanceProfile": {"language": "French", "extension": "4711"},
                "agents": ["anna.peeters@apiotest.example.com"],
                "noAnswerNumberOfRings": 3,
                "forwardToPhoneNumber": "+3225126799",
                "policy": "Weighted Call Distribution"
            })),
        )
        .await;
    assert_eq!(
        updated.status,
        200,
        "{}",
        String::from_utf8_lossy(&updated.body)
    );
    let u = updated.json();
    assert_eq!(u["serviceInstanceProfile"]["language"], "French");
    assert_eq!(u["serviceInstanceProfile"]["extension"], "4711");
    assert_eq!(
        u["serviceInstanceProfile"]["name"], "APIO Test Hunt Group",
        "untouched"
    );
    assert_eq!(u["agents"].as_array().unwrap().len(), 1);
    assert_eq!(
        u["agents"][0]["userId"],
        "anna.peeters@apiotest.example.com"
    );
    assert_eq!(u["agents"][0]["phoneNumber"], "+3225126701");
    assert_eq!(u["noAnswerNumberOfRings"], 3);
    assert_eq!(u["forwardToPhoneNumber"], "+3225126799");
    assert_eq!(u["policy"], "Weighted");
    assert_eq!(u["forwardTimeoutSeconds"], 10, "untouched");

    let deleted = gw.call("DELETE", &one(SUID), None).await;
    assert_eq!(deleted.status, 200);
    let gone = gw.call("GET", &one(SUID), None).await;
    assert_eq!(gone.status, 404);
    assert_eq!(gone.error_details()["code"], "not_found");
    // Membership is checked first: the same answer whether the id exists elsewhere or not.
    assert_eq!(
        gone.json()["errors"][0]["message"],
        format!("no hunt group {SUID} in group ApioGrpTest of tenant ApioSpTest")
    );
    assert_eq!(gw.call("DELETE", &one(SUID), None).await.status, 404);
    assert_eq!(
        gw.call("GET", HG, None).await.json(),
        json!({"hunt_groups": []})
    );
}

#[tokio::test]
async fn a_put_that_only_toggles_active_changes_nothing_else() {
    let gw = TestGateway::start().await;
    let before = gw.call("POST", HG, Some(spec_create())).await.json();
    let commands = gw.sim.commands_seen();
    let after = gw
        .call("PUT", &one(SUID), Some(json!({"active": false})))
        .await;
    assert_eq!(after.status, 200);
    let mut expected = before.clone();
    expected["active"] = json!(false);
    assert_eq!(after.json(), expected);
    // Existence check (get + list), the active flag, and the answer (get + list): no Modify.
    assert_eq!(gw.sim.commands_seen() - commands, 5);
    let list = gw.call("GET", HG, None).await.json();
    assert_eq!(list["hunt_groups"][0]["active"], false);
    let back = gw
        .call("PUT", &one(SUID), Some(json!({"active": true})))
        .await
        .json();
    assert_eq!(back, before);
}

#[tokio::test]
async fn a_get_answer_edited_and_sent_back_as_a_put_works() {
    let gw = TestGateway::start().await;
    let mut body = gw.call("POST", HG, Some(spec_create())).await.json();
    body["serviceInstanceProfile"]["name"] = json!("Renamed via GET body");
    let r = gw.call("PUT", &one(SUID), Some(body.clone())).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json(), body);
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_nothing_reaches_broadworks() {
    let gw = TestGateway::start().await;
    gw.call("GET", HG, None).await; // warm the group cache
    let commands = gw.sim.commands_seen();
    let cases: Vec<(Value, u16, &str, &str)> = vec![
        (
            json!({"serviceInstanceProfile": {"name": "x"}, "queueLength": 10}),
            400,
            "unknown_field",
            "queueLength",
        ),
        (
            json!({"serviceInstanceProfile": {"name": "x", "colour": 1}}),
            400,
            "unknown_field",
            "serviceInstanceProfile.colour",
        ),
        (
            json!({"serviceInstanceProfile": {"name": "x"}, "noAnswerNumberOfRings": 25}),
            400,
            "invalid_value",
            "noAnswerNumberOfRings",
        ),
        (
            json!({"serviceInstanceProfile": {"name": "x"}, "forwardTimeoutSeconds": 7201}),
            400,
            "invalid_value",
            "forwardTimeoutSeconds",
        ),
        (
            json!({"serviceInstanceProfile": {"name": "x"}, "huntAfterNoAnswer": "yes"}),
            400,
            "invalid_value",
            "huntAfterNoAnswer",
        ),
        (
            json!({"serviceInstanceProfile": {"name": "x", "phoneNumber": "+32 abc"}}),
            400,
            "invalid_value",
            "serviceInstanceProfile.phoneNumber",
        ),
        (
            json!({"serviceInstanceProfile": {"name": "x", "timeZone": "Europe/Brussels", "timeZoneDisplayName": "(GMT+02:00) Europe/Brussels"}}),
            400,
            "invalid_value",
            "serviceInstanceProfile.timeZoneDisplayName",
        ),
        (
            json!({"serviceInstanceProfile": {"name": "x"}, "policy": "Random"}),
            400,
            "invalid_value",
            "policy",
        ),
        (
            json!({"serviceInstanceProfile": {"name": "x"}, "templateName": "nope"}),
            400,
            "invalid_value",
            "templateName",
        ),
        (
            json!({"serviceInstanceProfile": {"cliLastName": "x"}, "serviceUserId": "a"}),
            400,
            "invalid_value",
            "serviceInstanceProfile.name",
        ),
        (
            json!({"serviceInstanceProfile": {"name": "x"}}),
            400,
            "invalid_value",
            "serviceUserId",
        ),
    ];
    for (body, status, code, field) in cases {
        let mut body = body;
        if body.get("serviceUserId").is_none() && field != "serviceUserId" {
            body["serviceUserId"] = json!("bad.hunt");
        }
        let r = gw.call("POST", HG, Some(body.clone())).await;
        assert_eq!(
            r.status,
            status,
            "{body}: {}",
            String::from_utf8_lossy(&r.body)
        );
        assert_eq!(r.error_details()["code"], code, "{body}");
        assert_eq!(r.error_details()["field"], field, "{body}");
        assert!(!r.json()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .is_empty());
    }
    let malformed = request(
        gw.gateway.addr(),
        "POST",
        HG,
        Some(SYSTEM_TOKEN),
        Some(b"{\"serviceUserId\": "),
    )
    .await;
    assert_eq!(malformed.status, 400);
    assert_eq!(malformed.error_details()["code"], "malformed_json");
    let huge = vec![b' '; 70 * 1024];
    let too_large = request(
        gw.gateway.addr(),
        "POST",
        HG,
        Some(SYSTEM_TOKEN),
        Some(&huge),
    )
    .await;
    assert_eq!(too_large.status, 413);
    assert_eq!(too_large.error_details()["code"], "body_too_large");
    let put = gw
        .call("PUT", &one("x@y"), Some(json!({"queueLength": 10})))
        .await;
    assert_eq!(put.status, 400);
    assert_eq!(put.error_details()["field"], "queueLength");
    assert_eq!(
        gw.sim.commands_seen(),
        commands,
        "nothing was sent to BroadWorks"
    );
}

#[tokio::test]
async fn unknown_ids_are_404_and_duplicates_409_with_broadworks_words() {
    let gw = TestGateway::start().await;
    let r = gw
        .call(
            "GET",
            "/api/v1/tenants/ApioSpTest/groups/NoSuchGroup/services/hunt_groups/",
            None,
        )
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        r.error_details()["broadworksSummary"],
        "[Error 4101] Group not found: NoSuchGroup"
    );
    let r = gw
        .call(
            "GET",
            "/api/v1/tenants/NoSuchSp/groups/G/services/hunt_groups/",
            None,
        )
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        gw.call("GET", &one("ghost@apiotest.example.com"), None)
            .await
            .status,
        404
    );
    assert_eq!(
        gw.call(
            "PUT",
            &one("ghost@apiotest.example.com"),
            Some(json!({"active": false}))
        )
        .await
        .status,
        404
    );
    assert_eq!(gw.call("POST", HG, Some(spec_create())).await.status, 201);
    let dup = gw.call("POST", HG, Some(spec_create())).await;
    assert_eq!(dup.status, 409);
    assert_eq!(dup.error_details()["code"], "already_exists");
    assert_eq!(dup.error_details()["broadworksCode"], 4010);
    // An agent BroadWorks does not know is the request's fault, not a missing resource.
    let mut body = spec_create();
    body["serviceUserId"] = json!("other.hunt");
    body["serviceInstanceProfile"]["phoneNumber"] = json!("");
    body["agents"] = json!(["ghost@apiotest.example.com"]);
    let r = gw.call("POST", HG, Some(body)).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_details()["code"], "broadworks_refused");
    assert_eq!(
        r.error_details()["broadworksSummary"],
        "[Error 4008] User not found: ghost@apiotest.example.com"
    );
    // A hunt group of another group is not reachable through this group's path.
    let other_group = "/api/v1/tenants/ApioSpTest/groups/ApioGrpTest2/services/hunt_groups";
    assert_eq!(
        gw.call("GET", &format!("{other_group}/{SUID}/"), None)
            .await
            .status,
        404
    );
    assert_eq!(
        gw.call("DELETE", &format!("{other_group}/{SUID}/"), None)
            .await
            .status,
        404
    );
    assert_eq!(
        gw.call("GET", &one(SUID), None).await.status,
        200,
        "still there"
    );
}

#[tokio::test]
async fn tokens_are_checked_and_scopes_enforced_before_broadworks() {
    let gw = TestGateway::start().await;
    let addr = gw.gateway.addr();
    let none = request(addr, "GET", HG, None, None).await;
    assert_eq!(none.status, 401);
    assert_eq!(none.error_details()["code"], "unauthorized");
    assert_eq!(
        request(addr, "GET", HG, Some("wrong-token-123"), None)
            .await
            .status,
        401
    );
    let before = gw.sim.commands_seen();
    let demo_hg = "/api/v1/tenants/DemoSp/groups/DemoGrp/services/hunt_groups/";
    let r = gw.call_as(TENANT_TOKEN, "GET", demo_hg, None).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.error_details()["code"], "forbidden");
    let r = gw.call_as(GROUP2_TOKEN, "GET", HG, None).await;
    assert_eq!(r.status, 403);
    let r = gw
        .call_as(GROUP2_TOKEN, "POST", HG, Some(spec_create()))
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(
        gw.sim.commands_seen(),
        before,
        "refused requests never reach BroadWorks"
    );
    assert_eq!(gw.call_as(TENANT_TOKEN, "GET", HG, None).await.status, 200);
    let group2 = "/api/v1/tenants/ApioSpTest/groups/ApioGrpTest2/services/hunt_groups/";
    assert_eq!(
        gw.call_as(GROUP2_TOKEN, "GET", group2, None).await.status,
        200
    );
    assert_eq!(
        gw.call_as(SYSTEM_TOKEN, "GET", demo_hg, None).await.status,
        200
    );
}

#[tokio::test]
async fn generated_service_user_ids_follow_the_rule() {
    let config = Config {
        suid_hunt_group_auto_generate: Some(true),
        ..Config::default()
    };
    let gw = TestGateway::start_with(demo_directory(), config).await;
    let mut body = spec_create();
    body.as_object_mut().unwrap().remove("serviceUserId");
    body["serviceInstanceProfile"]["phoneNumber"] = json!("");
    let r = gw.call("POST", HG, Some(body)).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let id = r.json()["serviceUserId"].as_str().unwrap().to_owned();
    let digits = id
        .strip_prefix("ApioGrpTest_hg")
        .and_then(|r| r.strip_suffix("@apiotest.example.com"))
        .unwrap_or_else(|| panic!("{id}"));
    assert_eq!(digits.len(), 4);
    assert!(digits.bytes().all(|b| b.is_ascii_digit()), "{id}");
    assert_eq!(gw.call("GET", &one(&id), None).await.status, 200);
}

#[tokio::test]
async fn a_generated_id_that_exists_is_generated_again_a_bounded_number_of_times() {
    let config = Config {
        suid_hunt_group_auto_generate: Some(true),
        suid_hunt_group_rule: Some("hg{{RND_1}}@{{domain}}".into()),
        ..Config::default()
    };
    let mut directory = demo_directory();
    // Every id the rule can produce is taken.
    for digit in 0..10 {
        let hg = ocigw::sim::directory::HuntGroup {
            service_provider: "ApioSpTest".into(),
            group: "ApioGrpTest".into(),
            name: format!("taken {digit}"),
            active: true,
            ..Default::default()
        };
        directory
            .hunt_groups
            .insert(format!("hg{digit}@apiotest.example.com"), hg);
    }
    let gw = TestGateway::start_with(directory, config).await;
    assert_eq!(gw.call("GET", HG, None).await.status, 200); // warms the group cache
    let body = json!({"serviceInstanceProfile": {"name": "Fresh"}});
    let before = gw.sim.documents_seen();
    let r = gw.call("POST", HG, Some(body.clone())).await;
    assert_eq!(r.status, 409);
    assert_eq!(r.error_details()["code"], "already_exists");
    assert_eq!(
        gw.sim.documents_seen() - before,
        5,
        "five attempts (each an Add with its read-back), then 409"
    );
    // Free one id: a create now succeeds with it (a clash is simply generated again).
    gw.sim
        .shared()
        .directory
        .lock()
        .unwrap()
        .hunt_groups
        .remove("hg7@apiotest.example.com");
    let mut created = None;
    for _ in 0..30 {
        let r = gw.call("POST", HG, Some(body.clone())).await;
        if r.status == 201 {
            created = Some(r.json()["serviceUserId"].clone());
            break;
        }
        assert_eq!(r.status, 409);
    }
    assert_eq!(
        created,
        Some(json!("hg7@apiotest.example.com")),
        "150 attempts at 1 in 10 each: fails once in seven million runs"
    );
}

#[tokio::test]
async fn changing_the_number_renumbers_the_service_user_id() {
    let config = Config {
        suid_hunt_group_auto_generate: Some(true),
        suid_hunt_group_rule: Some("hg{{national_no_0}}@{{domain}}".into()),
        service_users_update_id_phone_number: Some(true),
        ..Config::default()
    };
    let gw = TestGateway::start_with(demo_directory(), config).await;
    let body =
        json!({"serviceInstanceProfile": {"name": "Renumbered", "phoneNumber": "+3225126712"}});
    let r = gw.call("POST", HG, Some(body)).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(
        r.json()["serviceUserId"],
        "hg025126712@apiotest.example.com"
    );
    let r = gw
        .call(
            "PUT",
            &one("hg025126712@apiotest.example.com"),
            Some(json!({"serviceInstanceProfile": {"phoneNumber": "+3225126713"}})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(
        r.json()["serviceUserId"],
        "hg025126713@apiotest.example.com"
    );
    assert_eq!(
        r.json()["serviceInstanceProfile"]["phoneNumber"],
        "+3225126713"
    );
    assert_eq!(
        gw.call("GET", &one("hg025126712@apiotest.example.com"), None)
            .await
            .status,
        404
    );
    assert_eq!(
        gw.call("GET", &one("hg025126713@apiotest.example.com"), None)
            .await
            .status,
        200
    );
    // A change that leaves the number alone keeps the id.
    let r = gw
        .call(
            "PUT",
            &one("hg025126713@apiotest.example.com"),
            Some(json!({"serviceInstanceProfile": {"name": "Same"}})),
        )
        .await;
    assert_eq!(
        r.json()["serviceUserId"],
        "hg025126713@apiotest.example.com"
    );
}

#[tokio::test]
async fn national_list_numbers_are_completed_with_the_group_country() {
    let mut directory = demo_directory();
    for group in directory.groups.values_mut() {
        group.list_numbers_national = true;
    }
    let body = json!({"serviceUserId": "nat.hunt", "serviceInstanceProfile": {"name": "National", "phoneNumber": "+3225126714"}, "agents": ["anna.peeters@apiotest.example.com"]});
    // Workaround on: national list numbers read as Belgian.
    let on = Config {
        group_numbers_use_cc_cli: Some(true),
        ..Config::default()
    };
    let gw = TestGateway::start_with(directory.clone(), on).await;
    assert_eq!(gw.call("POST", HG, Some(body.clone())).await.status, 201);
    let list = gw.call("GET", HG, None).await.json();
    assert_eq!(list["hunt_groups"][0]["phoneNumber"], "+3225126714");
    let got = gw
        .call("GET", &one("nat.hunt@apiotest.example.com"), None)
        .await
        .json();
    assert_eq!(got["agents"][0]["phoneNumber"], "+3225126701");
    // Off: the national number is passed on as BroadWorks gave it.
    let gw = TestGateway::start_with(directory, Config::default()).await;
    assert_eq!(gw.call("POST", HG, Some(body)).await.status, 201);
    let list = gw.call("GET", HG, None).await.json();
    assert_eq!(list["hunt_groups"][0]["phoneNumber"], "25126714");
}

#[tokio::test]
async fn weighted_distribution_get_and_put() {
    let gw = TestGateway::start().await;
    gw.call("POST", HG, Some(spec_create())).await;
    let path = format!("{HG}/{SUID}/weighted_distribution/");
    let r = gw
        .call(
            "PUT",
            &path,
            Some(json!({"agents": [
                {"userId": "test.user4000@apiotest.example.com", "weight": 60},
                {"userId": "test1.user5001@apiotest.example.com", "weight": 40}
            ]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let weights: Vec<(String, i64)> = r.json()["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["userId"].as_str().unwrap().to_owned(),
                a["weight"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        weights,
        [
            ("test.user4000@apiotest.example.com".to_owned(), 60),
            ("test1.user5001@apiotest.example.com".to_owned(), 40)
        ]
    );
    let got = gw.call("GET", path.trim_end_matches('/'), None).await;
    assert_eq!(got.json(), r.json());
    assert_eq!(got.json()["agents"][1]["phoneNumber"], "+3225126778");
    // Agents not listed get 0.
    let r = gw
        .call("PUT", &path, Some(json!({"agents": [{"userId": "test1.user5001@apiotest.example.com", "weight": 100}]})))
        .await;
    assert_eq!(r.json()["agents"][0]["weight"], 0);
    assert_eq!(r.json()["agents"][1]["weight"], 100);
    let bad = gw
        .call(
            "PUT",
            &path,
            Some(json!({"agents": [{"userId": "x@y", "weight": 101}]})),
        )
        .await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.error_details()["field"], "agents[0].weight");
    let not_agent = gw
        .call(
            "PUT",
            &path,
            Some(json!({"agents": [{"userId": "anna.peeters@apiotest.example.com", "weight": 5}]})),
        )
        .await;
    assert_eq!(not_agent.status, 400);
    assert_eq!(not_agent.error_details()["broadworksCode"], 4205);
    let missing = gw
        .call("GET", &format!("{HG}/ghost@x/weighted_distribution/"), None)
        .await;
    assert_eq!(missing.status, 404);
}

fn user_ids(r: &crate::http::Response) -> Vec<String> {
    r.json()["available_users"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", String::from_utf8_lossy(&r.body)))
        .iter()
        .map(|u| u["userId"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn available_users_with_every_filter() {
    let gw = TestGateway::start().await;
    let path = format!("{HG}/users/available/");
    let all = gw.call("GET", &path, None).await;
    assert_eq!(all.status, 200);
    assert_eq!(user_ids(&all).len(), 10, "the whole enterprise");
    let u4000 = all.json()["available_users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["extension"] == "4000")
        .cloned()
        .unwrap();
    assert_eq!(
        u4000,
        json!({
            "userId": "test.user4000@apiotest.example.com", "lastName": "Test", "firstName": "Test",
            "phoneNumber": "", "extension": "4000",
            "department": {
                "tenantId": "ApioSpTest", "groupId": "ApioGrpTest",
                "departmentName": "test_department_initial",
                "fullPathName": "test_department_parent_1 \\ test_department_initial"
            },
            "emailAddress": "test.user4000@apiotest.example.com"
        })
    );
    let same = gw
        .call("GET", &format!("{path}?sameGroupOnly=true"), None)
        .await;
    assert_eq!(user_ids(&same).len(), 6);
    let same_body = gw
        .call("GET", &path, Some(json!({"sameGroupOnly": true})))
        .await;
    assert_eq!(user_ids(&same_body), user_ids(&same));
    let dept = gw
        .call("GET", &path, Some(json!({"sensitiveDepartmentEquals": {"tenantId": "ApioSpTest", "groupId": "ApioGrpTest", "departmentName": "test_department_initial"}})))
        .await;
    assert_eq!(user_ids(&dept), ["test.user4000@apiotest.example.com"]);
    let dept_query = gw
        .call(
            "GET",
            &format!("{path}?sensitiveDepartmentEquals=enterprise_operations"),
            None,
        )
        .await;
    assert_eq!(user_ids(&dept_query), ["chloe.dubois@apiotest.example.com"]);
    let other_group = gw
        .call(
            "GET",
            &format!("{path}?sensitiveUserGroupEquals=ApioGrpTest2"),
            None,
        )
        .await;
    assert_eq!(user_ids(&other_group).len(), 4);
    let bad = gw.call("GET", &format!("{path}?colour=red"), None).await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.error_details()["field"], "colour");
}

#[tokio::test]
async fn templates_from_the_config_apply_before_the_request() {
    let mut config = Config::default();
    config.templates.insert(
        "support".into(),
        json!({"policy": "Circular", "noAnswerNumberOfRings": 2, "serviceInstanceProfile": {"language": "Dutch"}}),
    );
    let gw = TestGateway::start_with(demo_directory(), config).await;
    let mut body = spec_create();
    body["templateName"] = json!("support");
    body.as_object_mut().unwrap().remove("policy");
    let r = gw.call("POST", HG, Some(body)).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let j = r.json();
    assert_eq!(j["policy"], "Circular");
    assert_eq!(j["noAnswerNumberOfRings"], 2);
    assert_eq!(
        j["serviceInstanceProfile"]["language"], "English",
        "the request wins"
    );
    assert_eq!(j["huntAfterNoAnswer"], true, "basic under every template");
}

#[tokio::test]
async fn health_and_openapi_describe_the_service() {
    let gw = TestGateway::start().await;
    let health = request(gw.gateway.addr(), "GET", "/health", None, None).await;
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["status"], "ok");
    assert_eq!(health.json()["broadworks"]["poolSize"], 2);
    assert_eq!(health.json()["broadworks"]["sessionsLoggedIn"], 2);
    let doc = request(gw.gateway.addr(), "GET", "/openapi.json", None, None)
        .await
        .json();
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    for suffix in [
        "/",
        "/users/available/",
        "/{service_user_id}/",
        "/{service_user_id}/weighted_distribution/",
    ] {
        let full = format!(
            "/api/v1/tenants/{{tenant_id}}/groups/{{group_id}}/services/hunt_groups{suffix}"
        );
        assert!(paths.contains(&&full), "{full} missing from {paths:?}");
    }
    // Every field of real answers is described by its schema.
    gw.call("POST", HG, Some(spec_create())).await;
    let schemas = &doc["components"]["schemas"];
    let answers = [
        ("HuntGroup", gw.call("GET", &one(SUID), None).await.json()),
        ("HuntGroupList", gw.call("GET", HG, None).await.json()),
        (
            "AvailableUsers",
            gw.call("GET", &format!("{HG}/users/available/"), None)
                .await
                .json(),
        ),
        (
            "WeightedDistribution",
            gw.call("GET", &format!("{HG}/{SUID}/weighted_distribution/"), None)
                .await
                .json(),
        ),
        ("Error", gw.call("GET", &one("ghost@x"), None).await.json()),
    ];
    assert!(schemas["HuntGroup"].is_object());
    for (schema, answer) in answers {
        crate::schemas::assert_valid(schema, &answer);
    }
    crate::schemas::assert_valid("Health", &health.json());
    // The document's components are the generated schemas.
    assert_eq!(
        doc["components"]["schemas"],
        Value::Object(ocigw::api::schemas::components())
    );
}

/// A gateway with one system token in front of whatever listens at `oci`.
async fn gateway_to(oci: ocigw::ocip::ConnectOptions) -> ocigw::api::server::Gateway {
    let mut options = crate::common::system_gateway_options(oci);
    options.max_body_bytes = 1024;
    ocigw::api::server::Gateway::start(options)
        .await
        .expect("the gateway starts, BroadWorks up or not")
}

#[tokio::test]
async fn broadworks_down_is_503_and_too_slow_is_504() {
    // Nothing listens on this port any more.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let mut options = ocigw::ocip::ConnectOptions::new(
        "127.0.0.1",
        port,
        "admin",
        ocigw::ocip::Secret::new("admin"),
    );
    options.connect_timeout = std::time::Duration::from_millis(500);
    let gateway = gateway_to(options).await;
    let r = request(gateway.addr(), "GET", HG, Some(SYSTEM_TOKEN), None).await;
    assert_eq!(r.status, 503);
    assert_eq!(r.error_details()["code"], "broadworks_unavailable");
    let health = request(gateway.addr(), "GET", "/health", None, None).await;
    assert_eq!(health.status, 503);
    assert_eq!(health.json()["status"], "degraded");

    // A peer that answers logins, then never again: 504.
    let slow = crate::framing::silent_after_login_peer().await;
    let mut options = ocigw::ocip::ConnectOptions::new(
        "127.0.0.1",
        slow.port(),
        "admin",
        ocigw::ocip::Secret::new("admin"),
    );
    options.call_timeout = std::time::Duration::from_millis(300);
    let gateway = gateway_to(options).await;
    let r = request(gateway.addr(), "GET", HG, Some(SYSTEM_TOKEN), None).await;
    assert_eq!(r.status, 504, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.error_details()["code"], "broadworks_timeout");
}

/// The router and the document come from one table; this checks the result from the outside:
/// every method of every documented path is served (with and without the trailing slash), has
/// an operationId, and an undocumented method is refused.
#[tokio::test]
async fn every_documented_operation_is_served() {
    let gw = TestGateway::start().await;
    let addr = gw.gateway.addr();
    let doc = request(addr, "GET", "/openapi.json", None, None)
        .await
        .json();
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let concrete = path
            .replace("{tenant_id}", "ApioSpTest")
            .replace("{group_id}", "ApioGrpTest")
            .replace("{service_user_id}", "ghost");
        for (method, op) in item.as_object().unwrap() {
            if method == "parameters" {
                continue;
            }
            assert!(op["operationId"].is_string(), "{method} {path}");
            for p in [concrete.clone(), concrete.trim_end_matches('/').to_owned()] {
                let p = if p.is_empty() { "/".to_owned() } else { p };
                let r = request(addr, &method.to_uppercase(), &p, Some(SYSTEM_TOKEN), None).await;
                let not_routed = r.status == 405
                    || (r.status == 404
                        && String::from_utf8_lossy(&r.body).contains("no such endpoint"));
                assert!(!not_routed, "{method} {p}: {}", r.status);
            }
            operations += 1;
        }
    }
    assert_eq!(operations, 15);
    let r = request(addr, "DELETE", "/health", None, None).await;
    assert_eq!(r.status, 405, "an undocumented method is not served");
}

/// `/openapi.json` names the address it was fetched from as its server, and carries the REST
/// spec's request examples (without the fields the gateway refuses) and answer examples, each
/// valid for its schema.
#[tokio::test]
async fn the_document_names_its_server_and_carries_the_spec_examples() {
    let gw = TestGateway::start().await;
    let addr = gw.gateway.addr();
    let doc = request(addr, "GET", "/openapi.json", None, None)
        .await
        .json();
    assert_eq!(doc["servers"][0]["url"], format!("http://{addr}"));
    let base = "/api/v1/tenants/{tenant_id}/groups/{group_id}/services/hunt_groups";
    let example = |path: &str, method: &str| {
        doc["paths"][format!("{base}{path}")][method]["requestBody"]["content"]["application/json"]
            ["examples"]["spec"]["value"]
            .clone()
    };
    let create = example("/", "post");
    assert!(
        create["serviceInstanceProfile"]["name"].is_string(),
        "{create}"
    );
    crate::schemas::assert_valid("HuntGroupInput", &create);
    let update = example("/{service_user_id}/", "put");
    assert!(
        update.is_object() && update.get("queueLength").is_none(),
        "{update}"
    );
    crate::schemas::assert_valid("HuntGroupInput", &update);
    // Answers: every example of a success answer is valid for the answer's schema.
    let mut answers = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(responses) = op["responses"].as_object() else {
                continue; // the path's parameters
            };
            for (status, response) in responses {
                let json = &response["content"]["application/json"];
                let Some(examples) = json["examples"].as_object() else {
                    continue;
                };
                let schema = json["schema"]["$ref"].as_str().unwrap();
                let schema = schema.trim_start_matches("#/components/schemas/");
                for (name, example) in examples {
                    crate::schemas::assert_valid(schema, &example["value"]);
                    answers.push(format!("{method} {path} {status} {name}"));
                }
            }
        }
    }
    answers.sort();
    let p = |s: &str| s.replace("…", base);
    assert_eq!(
        answers,
        [
            p("get …/ 200 spec"),
            p("get …/users/available/ 200 spec"),
            p("get …/users/available/ 200 spec, sameGroupOnly"),
            p("get …/{service_user_id}/ 200 spec"),
            p("get …/{service_user_id}/weighted_distribution/ 200 spec"),
            p("post …/ 201 spec"),
            p("put …/{service_user_id}/ 200 spec"),
            p("put …/{service_user_id}/weighted_distribution/ 200 spec"),
        ]
    );
    let get = &doc["paths"][format!("{base}/{{service_user_id}}/")]["get"]["responses"]["200"]
        ["content"]["application/json"]["examples"]["spec"]["value"];
    assert_eq!(get["agents"][1]["phoneNumber"], "+3225126778");
    assert_eq!(get["noAnswerNumberOfRings"], 5);
    // The create example works as it is.
    let created = gw.call("POST", &format!("{HG}/"), Some(create)).await;
    assert_eq!(
        created.status,
        201,
        "{}",
        String::from_utf8_lossy(&created.body)
    );
}
