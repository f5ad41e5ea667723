//! Bulk over HTTP as a stream: results go out as they complete (JSON or NDJSON), the sheet is
//! read from the body as rows are needed, `[api] bulk_max_rows` bounds a request and one bulk
//! request runs per token at a time.

use serde_json::Value;
use tokio::io::AsyncWriteExt;

use crate::common::{demo_directory, TestGateway, SYSTEM_TOKEN};
use crate::http::request_with_headers;

fn sheet(rows: usize) -> String {
    let mut sheet = "operation,serviceProviderId,groupId,serviceUserId,agentUserId[0]\n".to_owned();
    for i in 0..rows {
        sheet.push_str(&format!(
            "hunt.group.create,ApioSpTest,ApioGrpTest,stream{i},test.user4000@apiotest.example.com\n"
        ));
    }
    sheet
}

/// Posts `body` to the bulk endpoint (`query`: "?dry_run=true" or "") with extra headers.
async fn post(
    gw: &TestGateway,
    query: &str,
    headers: &[(&str, &str)],
    content_type: &str,
    body: &[u8],
) -> crate::http::Response {
    request_with_headers(
        gw.gateway.addr(),
        "POST",
        &format!("/api/v1/bulk/hunt_groups/{query}"),
        Some(SYSTEM_TOKEN),
        headers,
        content_type,
        Some(body),
    )
    .await
}

async fn gateway(max_rows: usize) -> TestGateway {
    let mut config = ocigw::config::Config::default();
    config.api.bulk_max_rows = Some(max_rows);
    TestGateway::start_with(demo_directory(), config).await
}

#[tokio::test]
async fn ndjson_is_one_result_per_line_then_the_summary() {
    let gw = gateway(100).await;
    let r = post(
        &gw,
        "?dry_run=true",
        &[("Accept", "application/x-ndjson")],
        "text/csv",
        sheet(3).as_bytes(),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/x-ndjson"));
    let lines: Vec<Value> = String::from_utf8(r.body)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    for (i, line) in lines[..3].iter().enumerate() {
        assert_eq!(line["index"], i);
        assert_eq!(line["success"], true, "{line}");
    }
    assert_eq!(lines[3]["summary"]["total"], 3);
    assert_eq!(lines[3]["summary"]["dryRun"], true);
}

#[tokio::test]
async fn a_sheet_longer_than_bulk_max_rows_runs_its_first_rows_and_says_so() {
    let gw = gateway(3).await;
    let r = post(&gw, "", &[], "text/csv", sheet(6).as_bytes()).await;
    assert_eq!(r.status, 200);
    let body = r.json();
    let results = body["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    assert_eq!(
        results[3]["error"],
        "line 5, column -: the input has more than 3 rows (the limit [api] bulk_max_rows); this row and the rest were not run"
    );
    assert_eq!(body["summary"]["succeeded"], 3);
    assert_eq!(crate::common::hunt_group_count(&gw.sim), 3);
}

#[tokio::test]
async fn one_bulk_request_per_token_at_a_time() {
    let gw = gateway(100).await;
    let addr = gw.gateway.addr();
    // A first request whose body is still arriving holds the token's bulk slot.
    let mut first = tokio::net::TcpStream::connect(addr).await.unwrap();
    let body = sheet(2);
    let head = format!(
        "POST /api/v1/bulk/hunt_groups/ HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nAuthorization: Bearer {SYSTEM_TOKEN}\r\nContent-Type: text/csv\r\nContent-Length: {}\r\n\r\n",
        body.len() + 1000
    );
    first.write_all(head.as_bytes()).await.unwrap();
    first.write_all(body.as_bytes()).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let second = post(&gw, "", &[], "text/csv", sheet(1).as_bytes()).await;
    assert_eq!(second.status, 429);
    assert_eq!(second.error_details()["code"], "rate_limited");
    // When the first ends (its client gives up), the token may run again.
    drop(first);
    let mut ok = false;
    for _ in 0..50 {
        let again = post(&gw, "?dry_run=true", &[], "text/csv", sheet(1).as_bytes()).await;
        if again.status == 200 {
            ok = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(ok, "the slot is given back when the first request ends");
}

#[tokio::test]
async fn a_json_array_body_is_read_item_by_item() {
    let gw = gateway(100).await;
    let item = |id: &str| {
        format!(
            r#"{{"operation": "hunt.group.create", "service_provider_id": "ApioSpTest", "group_id": "ApioGrpTest", "service_user_id": "{id}", "agent_user_id": ["test.user4000@apiotest.example.com"]}}"#
        )
    };
    let body = format!("[{}, {}, {{\"broken\": ]", item("json1"), item("json2"));
    let r = post(
        &gw,
        "?dry_run=true",
        &[],
        "application/json",
        body.as_bytes(),
    )
    .await;
    assert_eq!(r.status, 200);
    let results = r.json()["results"].clone();
    assert_eq!(results[0]["success"], true, "{results}");
    assert_eq!(results[1]["success"], true);
    assert!(results[2]["error"]
        .as_str()
        .unwrap()
        .starts_with("item 2, field -: the input stopped: the JSON array is not closed"));
    // Not an array at all: refused before anything runs.
    let r = post(&gw, "", &[], "application/json", b"{\"a\": 1}").await;
    assert_eq!(r.status, 400);
}
