//! One hunt group, one path: the same hunt group given as a REST body and as a bulk row is the
//! same command, and the same bad value is refused with the same message, the field named as the
//! user wrote it (JSON path for REST, column for bulk). Sheets as people save them.

use serde_json::{json, Value};

use crate::common::{TestGateway, SYSTEM_TOKEN};
use ocigw::bulk::run::RowResult;

const HG: &str = "/api/v1/tenants/ApioSpTest/groups/ApioGrpTest/services/hunt_groups/";
const HEADER: &str = "operation,serviceProviderId,groupId,serviceUserId,serviceInstanceProfile.name,serviceInstanceProfile.callingLineIdLastName,policy,noAnswerNumberOfRings,forwardToPhoneNumber,agentUserId[0],agentUserId[1]";

async fn bulk(gw: &TestGateway, sheet: &str) -> Value {
    let r = crate::bulk::request_csv(gw, SYSTEM_TOKEN, "", sheet.as_bytes()).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    r.json()
}

#[tokio::test]
async fn a_rest_body_and_a_bulk_row_make_the_same_hunt_group() {
    let gw = TestGateway::start().await;
    let created = gw
        .call(
            "POST",
            HG,
            Some(json!({
                "serviceUserId": "same1",
                "serviceInstanceProfile": {"name": "Équipe Ventes", "cliLastName": "Ventes"},
                "policy": "Circular",
                "noAnswerNumberOfRings": 3,
                "forwardToPhoneNumber": "+3225126799",
                "agents": ["test.user4000@apiotest.example.com", "test1.user5001@apiotest.example.com"]
            })),
        )
        .await;
    assert_eq!(
        created.status,
        201,
        "{}",
        String::from_utf8_lossy(&created.body)
    );
    let sheet = format!("{HEADER}\nhunt.group.create,ApioSpTest,ApioGrpTest,same2,Équipe Ventes,Ventes,Circular,3,+3225126799,test.user4000@apiotest.example.com,test1.user5001@apiotest.example.com\n");
    let results = bulk(&gw, &sheet).await;
    let row = &results["results"][0];
    assert_eq!(row["success"], true, "{row}");
    // A bare id gets the group's domain in bulk as in REST; Latin-1 names render.
    assert_eq!(
        row["command"]["serviceUserId"],
        "same2@apiotest.example.com"
    );
    assert_eq!(
        row["command"]["serviceInstanceProfile"]["name"],
        "Équipe Ventes"
    );
    assert_eq!(
        row["command"]["serviceInstanceProfile"]["callingLineIdFirstName"],
        "Équipe Ventes"
    );
    let dir = gw.sim.shared().directory.lock().unwrap();
    let one = format!("{:?}", dir.hunt_groups["same1@apiotest.example.com"]);
    let two = format!("{:?}", dir.hunt_groups["same2@apiotest.example.com"]);
    assert_eq!(one, two, "both front ends sent the same command");
}

#[tokio::test]
async fn the_same_bad_value_is_refused_the_same_way_naming_the_field_as_written() {
    let gw = TestGateway::start().await;
    let uri = "sip:a-very-long-forward-destination@example.com";
    let refused = gw
        .call(
            "POST",
            HG,
            Some(json!({
                "serviceUserId": "bad1",
                "serviceInstanceProfile": {"name": "Bad", "cliLastName": "L".repeat(31)},
                "forwardToPhoneNumber": uri,
                "agents": ["test.user4000@apiotest.example.com"]
            })),
        )
        .await;
    assert_eq!(refused.status, 400);
    let errors = refused.json()["errors"].clone();
    let fields: Vec<&str> = errors
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["details"]["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["serviceInstanceProfile.cliLastName", "forwardToPhoneNumber"]
    );
    assert_eq!(
        errors[1]["message"],
        "forwardToPhoneNumber: length 47 is outside 1..30 characters"
    );
    let sheet = format!(
        "{HEADER}\nhunt.group.create,ApioSpTest,ApioGrpTest,bad2,Bad,{},Regular,5,{uri},test.user4000@apiotest.example.com,\n",
        "L".repeat(31)
    );
    let results = bulk(&gw, &sheet).await;
    assert_eq!(
        results["results"][0]["error"],
        format!("line 2, column serviceInstanceProfile.callingLineIdLastName, value '{}': length 31 is outside 1..30 characters; column forwardToPhoneNumber, value '{uri}': length 47 is outside 1..30 characters", "L".repeat(31))
    );
    assert_eq!(crate::common::hunt_group_count(&gw.sim), 0);
}

async fn dry_run(sheet: &[u8]) -> Vec<RowResult> {
    crate::bulk::run_sheet(sheet, true).await.0
}

#[tokio::test]
async fn crlf_and_lf_sheets_give_the_same_lines_and_quotes_are_reported_as_quotes() {
    let lf = "operation,serviceProviderId,groupId,serviceUserId,agentUserId[0]\nhunt.group.create,MyServiceProvider,SalesGroup,a,john.doe@company.com\n\nhunt.group.create,MyServiceProvider,SalesGroup,b,nobody@company.com\nhunt.group.create,MyServiceProvider,SalesGroup,\"c,john.doe@company.com\n";
    let crlf = lf.replace('\n', "\r\n");
    let lines = |results: &[RowResult]| -> Vec<(Option<u64>, Option<String>)> {
        results.iter().map(|r| (r.line, r.error.clone())).collect()
    };
    let from_lf = lines(&dry_run(lf.as_bytes()).await);
    let from_crlf = lines(&dry_run(crlf.as_bytes()).await);
    assert_eq!(from_lf, from_crlf);
    assert_eq!(
        from_lf,
        [
            (Some(2), None),
            (Some(4), Some("line 4, column agentUserId[0], value 'nobody@company.com': nobody@company.com is not a user of group SalesGroup (or of its enterprise) that may be an agent".into())),
            (Some(5), Some("line 5, column -: a quote opened on line 5 is not closed before the line ends (a cell cannot hold a line break): close the quote".into())),
        ]
    );
}

#[tokio::test]
async fn a_report_other_than_json_or_csv_is_refused_before_anything_runs() {
    let out = crate::common::run_ocigw(
        &[
            "bulk",
            "create",
            "fixtures/bulk/published-template.csv",
            "--report",
            "out.txt",
        ],
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(
        "--report out.txt: the report is written as JSON or CSV; name it FILE.json or FILE.csv"
    ));
}

#[tokio::test]
async fn the_http_edge_answers_in_the_api_shape() {
    let gw = TestGateway::start().await;
    let base = HG.trim_end_matches('/');
    for path in [
        base.to_owned(),
        format!("{base}/"),
        "/openapi.json/".to_owned(),
    ] {
        assert_eq!(gw.call("GET", &path, None).await.status, 200, "{path}");
    }
    // serde's words become the API's.
    let r = gw
        .call(
            "POST",
            HG,
            Some(json!({"serviceUserId": "x", "noAnswerNumberOfRings": "five"})),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_details()["field"], "noAnswerNumberOfRings");
    assert_eq!(
        r.json()["errors"][0]["message"],
        "noAnswerNumberOfRings: must be an integer (found string \"five\")"
    );
    // A path that cannot be decoded is a 400 in the error shape, not axum's plain text.
    let r = gw.call("GET", &format!("{base}/%FF"), None).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_details()["code"], "invalid_value");
    // A bare id in the path is completed with the group's domain, as in a create.
    let created = gw
        .call(
            "POST",
            HG,
            Some(json!({"serviceUserId": "bare", "serviceInstanceProfile": {"name": "Bare"}, "agents": ["test.user4000@apiotest.example.com"]})),
        )
        .await;
    assert_eq!(created.status, 201);
    let got = gw.call("GET", &format!("{base}/bare"), None).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.json()["serviceUserId"], "bare@apiotest.example.com");
    assert_eq!(
        gw.call("DELETE", &format!("{base}/bare/"), None)
            .await
            .status,
        200
    );
}

/// A gateway whose OCI-P exchanges are recorded into `dir`, in front of a fresh simulator.
async fn recorded_gateway(
    dir: &std::path::Path,
) -> (
    ocigw::api::server::Gateway,
    ocigw::sim::SimServer,
    std::sync::Arc<ocigw::ocip::record::Recorder>,
) {
    let _ = std::fs::remove_dir_all(dir);
    let sim = crate::common::start_sim().await;
    let recorder = std::sync::Arc::new(ocigw::ocip::record::Recorder::start(dir).unwrap());
    let mut oci = crate::common::admin_options(&sim);
    oci.recorder = Some(recorder.clone());
    let options = crate::common::system_gateway_options(oci);
    let gateway = ocigw::api::server::Gateway::start(options).await.unwrap();
    (gateway, sim, recorder)
}

/// The Add command of a request document, from its start tag to its end tag.
fn add_command(document: &[u8]) -> &[u8] {
    let start = memchr::memmem::find(
        document,
        br#"<command xsi:type="GroupHuntGroupAddInstanceRequest20""#,
    )
    .expect("an Add in the document");
    let end = start
        + memchr::memmem::find(&document[start..], b"</command>").expect("the Add's end tag")
        + b"</command>".len();
    &document[start..end]
}

/// The request document of the recorded Add (the first document of its exchange file).
fn recorded_add(dir: &std::path::Path) -> Vec<u8> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.to_string_lossy()
                .ends_with("GroupHuntGroupAddInstanceRequest20.xml")
        })
        .collect();
    assert_eq!(files.len(), 1, "one Add recorded in {}", dir.display());
    let bytes = std::fs::read(files.remove(0)).unwrap();
    ocigw::fixture::split_documents(&bytes).unwrap().remove(0)
}

#[tokio::test]
async fn a_rest_body_and_a_bulk_row_send_the_same_bytes() {
    let root = crate::common::scratch_path("one-path");
    let (rest_dir, bulk_dir) = (root.join("rest"), root.join("bulk"));
    let (rest, _rest_sim, rest_recorder) = recorded_gateway(&rest_dir).await;
    let (bulk, _bulk_sim, bulk_recorder) = recorded_gateway(&bulk_dir).await;
    let created = crate::http::request(
        rest.addr(),
        "POST",
        HG,
        Some(SYSTEM_TOKEN),
        Some(
            json!({
                "serviceUserId": "bytes",
                "serviceInstanceProfile": {"name": "Équipe Ventes", "cliLastName": "Ventes", "phoneNumber": "+32 2 512 67 15"},
                "policy": "Weighted Call Distribution",
                "noAnswerNumberOfRings": 3,
                "agents": ["test.user4000@apiotest.example.com", "", "test1.user5001@apiotest.example.com"]
            })
            .to_string()
            .as_bytes(),
        ),
    )
    .await;
    assert_eq!(
        created.status,
        201,
        "{}",
        String::from_utf8_lossy(&created.body)
    );
    let sheet = "operation,serviceProviderId,groupId,serviceUserId,serviceInstanceProfile.name,serviceInstanceProfile.callingLineIdLastName,serviceInstanceProfile.phoneNumber,policy,noAnswerNumberOfRings,agentUserId[0],agentUserId[1],agentUserId[2]\nhunt.group.create,ApioSpTest,ApioGrpTest,bytes,Équipe Ventes,Ventes,+32 2 512 67 15,Weighted Call Distribution,3,test.user4000@apiotest.example.com,,test1.user5001@apiotest.example.com\n";
    let r = crate::http::request_with_type(
        bulk.addr(),
        "POST",
        "/api/v1/bulk/hunt_groups/",
        Some(SYSTEM_TOKEN),
        "text/csv",
        Some(sheet.as_bytes()),
    )
    .await;
    assert_eq!(r.json()["results"][0]["success"], true, "{}", r.json());
    rest_recorder.flush(std::time::Duration::from_secs(5));
    bulk_recorder.flush(std::time::Duration::from_secs(5));
    // The REST create's document carries its read-back after the Add; the Add is the same.
    let (rest_document, bulk_document) = (recorded_add(&rest_dir), recorded_add(&bulk_dir));
    let (from_rest, from_bulk) = (add_command(&rest_document), add_command(&bulk_document));
    assert_eq!(
        String::from_utf8_lossy(from_rest),
        String::from_utf8_lossy(from_bulk)
    );
    assert_eq!(from_rest, from_bulk, "byte for byte");
    let end_tag = b"</BroadsoftDocument>".len();
    assert!(
        rest_document.starts_with(&bulk_document[..bulk_document.len() - end_tag]),
        "the same document up to the Add's end"
    );
    assert!(
        from_rest.windows(3).any(|w| w == b"\xc9qu"),
        "Latin-1 on the wire"
    );
}

#[tokio::test]
async fn a_dry_run_knows_numbers_that_are_taken_or_not_the_groups() {
    let gw = TestGateway::start().await;
    let sheet = "operation,serviceProviderId,groupId,serviceUserId,serviceInstanceProfile.phoneNumber,agentUserId[0]
hunt.group.create,ApioSpTest,ApioGrpTest,n1,+32 2 512 67 01,test.user4000@apiotest.example.com
hunt.group.create,ApioSpTest,ApioGrpTest,n2,+3225126799,test.user4000@apiotest.example.com
hunt.group.create,ApioSpTest,ApioGrpTest,n3,+3225126712,test.user4000@apiotest.example.com
";
    let with_extension = "operation,serviceProviderId,groupId,serviceUserId,serviceInstanceProfile.extension,agentUserId[0]
hunt.group.create,ApioSpTest,ApioGrpTest,e1,4000,test.user4000@apiotest.example.com
hunt.group.create,ApioSpTest,ApioGrpTest,e2,4999,test.user4000@apiotest.example.com
";
    let dry = crate::bulk::request_csv(&gw, SYSTEM_TOKEN, "?dry_run=true", sheet.as_bytes())
        .await
        .json();
    let errors: Vec<Value> = dry["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["error"].clone())
        .collect();
    assert_eq!(
        errors,
        [
            json!("line 2, column serviceInstanceProfile.phoneNumber, value '+32 2 512 67 01': +32-25126701 is already used by anna.peeters@apiotest.example.com"),
            json!("line 3, column serviceInstanceProfile.phoneNumber, value '+3225126799': +32-25126799 is not a number of group ApioGrpTest"),
            Value::Null,
        ]
    );
    let real = crate::bulk::request_csv(&gw, SYSTEM_TOKEN, "", sheet.as_bytes())
        .await
        .json();
    assert_eq!(
        crate::common::successes(&dry),
        crate::common::successes(&real),
        "dry run and real run agree"
    );
    // An extension a user of the group holds.
    let dry = crate::bulk::request_csv(
        &gw,
        SYSTEM_TOKEN,
        "?dry_run=true",
        with_extension.as_bytes(),
    )
    .await
    .json();
    assert_eq!(
        dry["results"][0]["error"],
        "line 2, column serviceInstanceProfile.extension, value '4000': 4000 is already used by test.user4000@apiotest.example.com"
    );
    let real = crate::bulk::request_csv(&gw, SYSTEM_TOKEN, "", with_extension.as_bytes())
        .await
        .json();
    assert_eq!(
        crate::common::successes(&dry),
        crate::common::successes(&real)
    );
    assert_eq!(crate::common::successes(&real), [false, true]);
}
