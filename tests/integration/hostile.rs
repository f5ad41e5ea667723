//! Hostile input: XML injection through JSON and CSV fields, entity bombs on the wire, and the
//! per-token rate limit.

use serde_json::json;

use crate::common::{
    demo_directory, error_summary, start_sim, Raw, TestGateway, HG, SYSTEM_TOKEN, TENANT_TOKEN,
};
use ocigw::config::Config;

#[tokio::test]
async fn markup_in_json_fields_reaches_broadworks_as_inert_text() {
    let gw = TestGateway::start().await;
    let name = "</name><command>&x;<!DOCTYPE";
    let cli = "]]><![CDATA[\"'&amp;";
    let r = gw
        .call("POST", HG, Some(json!({"serviceUserId": "inject", "serviceInstanceProfile": {"name": name, "cliLastName": cli}})))
        .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["serviceInstanceProfile"]["name"], name);
    assert_eq!(r.json()["serviceInstanceProfile"]["cliLastName"], cli);
    let dir = gw.sim.shared().directory.lock().unwrap();
    let hg = &dir.hunt_groups["inject@apiotest.example.com"];
    assert_eq!(hg.name, name);
    assert_eq!(hg.clid_last_name, cli);
    assert_eq!(
        dir.hunt_groups.len(),
        1,
        "no second command was smuggled in"
    );
}

#[tokio::test]
async fn markup_in_csv_cells_reaches_broadworks_as_inert_text() {
    let gw = TestGateway::start().await;
    let sheet = "operation,serviceProviderId,groupId,serviceUserId,serviceInstanceProfile.name,serviceInstanceProfile.callingLineIdLastName,serviceInstanceProfile.callingLineIdFirstName,networkClassOfService,agentUserId[0]\nhunt.group.create,ApioSpTest,ApioGrpTest,csv.inject@apiotest.example.com,\"<a>&lol;</a>\",\"<!DOCTYPE x>\",F,\"<!ENTITY b \"\"c\"\">&b;\",test.user4000@apiotest.example.com\n";
    let r = crate::http::request_with_type(
        gw.gateway.addr(),
        "POST",
        "/api/v1/bulk/hunt_groups/",
        Some(SYSTEM_TOKEN),
        "text/csv",
        Some(sheet.as_bytes()),
    )
    .await;
    assert_eq!(
        r.json()["results"][0]["success"],
        true,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let dir = gw.sim.shared().directory.lock().unwrap();
    let hg = &dir.hunt_groups["csv.inject@apiotest.example.com"];
    assert_eq!(hg.name, "<a>&lol;</a>");
    assert_eq!(hg.clid_last_name, "<!DOCTYPE x>");
    assert_eq!(
        hg.options.network_class_of_service.as_deref(),
        Some("<!ENTITY b \"c\">&b;")
    );
}

#[tokio::test]
async fn entity_bombs_and_doctypes_are_refused_on_the_wire() {
    let sim = start_sim().await;
    let mut raw = Raw::connect(sim.addr()).await;
    let bomb = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><BroadsoftDocument protocol="OCI" xmlns="C"><sessionId xmlns="">s</sessionId><command xsi:type="AuthenticationRequest" xmlns="" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><userId>&lol3;</userId></command></BroadsoftDocument>"#;
    raw.send(bomb.as_bytes()).await;
    let answer = raw.recv().await.expect("an answer, not a crash");
    assert_eq!(
        error_summary(&answer),
        "[Error 6004] OCI XML Request validation error"
    );
    assert!(String::from_utf8_lossy(&answer).contains("DOCTYPE declarations are not allowed"));
    let external = r#"<?xml version="1.0"?><BroadsoftDocument protocol="OCI" xmlns="C"><sessionId xmlns="">s</sessionId><command xsi:type="AuthenticationRequest" xmlns="" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><userId>&xxe;</userId></command></BroadsoftDocument>"#;
    raw.send(external.as_bytes()).await;
    let answer = raw.recv().await.expect("still serving");
    assert_eq!(
        error_summary(&answer),
        "[Error 6004] OCI XML Request validation error"
    );
}

#[tokio::test]
async fn each_token_is_rate_limited_on_its_own() {
    let mut config = Config::default();
    config.api.rate_limit_per_second = Some(2);
    let gw = TestGateway::start_with(demo_directory(), config).await;
    let statuses: Vec<u16> = {
        let mut s = Vec::new();
        for _ in 0..6 {
            s.push(gw.call("GET", HG, None).await.status);
        }
        s
    };
    assert_eq!(
        &statuses[..4],
        [200, 200, 200, 200],
        "a burst of twice the rate"
    );
    assert!(statuses[4..].contains(&429), "{statuses:?}");
    let limited = gw.call("GET", HG, None).await;
    if limited.status == 429 {
        assert_eq!(limited.error_details()["code"], "rate_limited");
    }
    assert_eq!(
        gw.call_as(TENANT_TOKEN, "GET", HG, None).await.status,
        200,
        "other tokens are not affected"
    );
}

async fn gateway_with_limits(sim: &ocigw::sim::SimServer) -> ocigw::api::server::Gateway {
    let mut options = crate::common::system_gateway_options(crate::common::admin_options(sim));
    options.limits = ocigw::api::server::HttpLimits {
        header_read_timeout: std::time::Duration::from_millis(300),
        body_read_timeout: std::time::Duration::from_millis(300),
        max_head_bytes: 16 * 1024,
        ..Default::default()
    };
    ocigw::api::server::Gateway::start(options).await.unwrap()
}

#[tokio::test]
async fn slow_and_oversized_clients_are_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let sim = start_sim().await;
    let gw = gateway_with_limits(&sim).await;
    // A head that never ends: the connection is closed after the header timeout.
    let mut slow = tokio::net::TcpStream::connect(gw.addr()).await.unwrap();
    slow.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let started = std::time::Instant::now();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        slow.read_to_end(&mut buf),
    )
    .await;
    assert!(read.is_ok(), "the server closed the slow connection");
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
    // A body that never comes: 408.
    let mut slow = tokio::net::TcpStream::connect(gw.addr()).await.unwrap();
    let head = format!("POST {HG}/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {SYSTEM_TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{");
    slow.write_all(head.as_bytes()).await.unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(std::time::Duration::from_secs(5), slow.read(&mut buf))
        .await
        .unwrap()
        .unwrap();
    let answer = String::from_utf8_lossy(&buf[..n]);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("body_timeout"), "{answer}");
    // A head larger than allowed: 431, or the connection closed.
    let mut big = tokio::net::TcpStream::connect(gw.addr()).await.unwrap();
    let header = format!(
        "GET /health HTTP/1.1\r\nHost: x\r\nX-Filler: {}\r\n\r\n",
        "a".repeat(64 * 1024)
    );
    let _ = big.write_all(header.as_bytes()).await;
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), big.read_to_end(&mut buf))
        .await
        .unwrap();
    let answer = String::from_utf8_lossy(&buf);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 431"),
        "{answer}"
    );
}

/// Reads until the peer closes; how long that took (or `None` if it stayed open for `wait`).
async fn closed_within(
    tcp: &mut tokio::net::TcpStream,
    wait: std::time::Duration,
) -> Option<std::time::Duration> {
    use tokio::io::AsyncReadExt;
    let started = std::time::Instant::now();
    let mut buf = Vec::new();
    match tokio::time::timeout(wait, tcp.read_to_end(&mut buf)).await {
        Ok(_) => Some(started.elapsed()),
        Err(_) => None,
    }
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_on_time() {
    let sim = start_sim().await;
    let gw = gateway_with_limits(&sim).await;
    let mut idle = tokio::net::TcpStream::connect(gw.addr()).await.unwrap();
    let took = closed_within(&mut idle, std::time::Duration::from_secs(5))
        .await
        .expect("an idle connection is closed, not kept for good");
    assert!(took >= std::time::Duration::from_millis(250), "{took:?}");
}

#[tokio::test]
async fn at_the_connection_limit_health_still_answers_and_the_rest_is_refused() {
    use tokio::io::AsyncWriteExt;
    let sim = start_sim().await;
    let mut options = crate::common::system_gateway_options(crate::common::admin_options(&sim));
    options.limits.max_connections = 2;
    let gw = ocigw::api::server::Gateway::start(options).await.unwrap();
    let addr = gw.addr();
    // Two clients hold every slot with a head that is still arriving.
    let mut held = Vec::new();
    for _ in 0..2 {
        let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
        tcp.write_all(b"GET /health HTTP/1.1\r\n").await.unwrap();
        held.push(tcp);
    }
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let health = crate::http::request(addr, "GET", "/health", None, None).await;
    assert_eq!(health.status, 200, "/health answers beyond the limit");
    let other = crate::http::request(addr, "GET", "/openapi.json", None, None).await;
    assert_eq!(other.status, 503);
    assert_eq!(other.error_details()["code"], "too_many_connections");
    // Beyond the overflow slots too, connections are closed at once.
    let mut extra = Vec::new();
    for _ in 0..16 {
        let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
        tcp.write_all(b"GET /health HTTP/1.1\r\n").await.unwrap();
        extra.push(tcp);
    }
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let mut refused = tokio::net::TcpStream::connect(addr).await.unwrap();
    let took = closed_within(&mut refused, std::time::Duration::from_secs(1)).await;
    assert!(
        took.is_some(),
        "a connection beyond every slot is closed at once"
    );
    drop(held);
    drop(extra);
    // Slots come back when clients leave.
    let mut ok = false;
    for _ in 0..40 {
        if crate::http::request(addr, "GET", "/openapi.json", None, None)
            .await
            .status
            == 200
        {
            ok = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(ok);
}

#[tokio::test]
async fn characters_xml_forbids_are_refused_naming_the_field_and_never_sent() {
    let gw = TestGateway::start().await;
    let agent = "test.user4000@apiotest.example.com";
    let cases = [
        (
            serde_json::json!({"serviceUserId": "nul\u{0}x", "serviceInstanceProfile": {"name": "N"}, "agents": [agent]}),
            "serviceUserId",
            "character U+0000 at position 3 is not allowed (XML 1.0 cannot carry it)",
        ),
        (
            serde_json::json!({"serviceUserId": "c1", "serviceInstanceProfile": {"name": "a\u{1}b"}, "agents": [agent]}),
            "serviceInstanceProfile.name",
            "character U+0001 at position 1 is not allowed (XML 1.0 cannot carry it)",
        ),
        (
            serde_json::json!({"serviceUserId": "c2", "serviceInstanceProfile": {"name": "esc\u{1b}"}, "agents": [agent]}),
            "serviceInstanceProfile.name",
            "character U+001B at position 3 is not allowed (XML 1.0 cannot carry it)",
        ),
        (
            serde_json::json!({"serviceUserId": "c3", "serviceInstanceProfile": {"name": "x\u{ffff}"}, "agents": [agent]}),
            "serviceInstanceProfile.name",
            "character U+FFFF at position 1 is not allowed (XML 1.0 cannot carry it)",
        ),
        (
            serde_json::json!({"serviceUserId": "c4", "serviceInstanceProfile": {"name": "N"}, "agents": ["\u{fffe}"]}),
            "agents[0]",
            "character U+FFFE at position 0 is not allowed (XML 1.0 cannot carry it)",
        ),
    ];
    for (body, field, message) in cases {
        let r = gw.call("POST", &format!("{HG}/"), Some(body.clone())).await;
        assert_eq!(r.status, 400, "{body}");
        assert_eq!(r.error_details()["field"], field, "{body}");
        assert_eq!(r.json()["errors"][0]["message"], message, "{body}");
    }
    assert_eq!(crate::common::hunt_group_count(&gw.sim), 0);
    // In a path, and in a bulk cell (named by its column).
    let r = gw.call("GET", &format!("{HG}/nul%00x"), None).await;
    assert_eq!(r.status, 400);
    let sheet = format!("operation,serviceProviderId,groupId,serviceUserId,serviceInstanceProfile.name,agentUserId[0]\nhunt.group.create,ApioSpTest,ApioGrpTest,c5,bad\u{1b}name,{agent}\n");
    let r = crate::bulk::request_csv(&gw, SYSTEM_TOKEN, "", sheet.as_bytes()).await;
    assert_eq!(
        r.json()["results"][0]["error"],
        "line 2, column serviceInstanceProfile.name, value 'bad\u{1b}name': character U+001B at position 3 is not allowed (XML 1.0 cannot carry it)"
    );
    assert_eq!(crate::common::hunt_group_count(&gw.sim), 0);
}

#[tokio::test]
async fn the_simulator_refuses_forbidden_characters_raw_or_referenced() {
    let sim = start_sim().await;
    let mut raw = Raw::connect(sim.addr()).await;
    for user in ["&#65535;", "&#0;", "a\u{0}b", "&#x1B;"] {
        let doc = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><BroadsoftDocument protocol="OCI" xmlns="C"><sessionId xmlns="">s</sessionId><command xsi:type="AuthenticationRequest" xmlns="" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><userId>{user}</userId></command></BroadsoftDocument>"#
        );
        raw.send(doc.as_bytes()).await;
        let answer = raw.recv().await.expect("an answer");
        assert_eq!(
            error_summary(&answer),
            "[Error 6004] OCI XML Request validation error",
            "{user:?}"
        );
        let text = String::from_utf8_lossy(&answer);
        assert!(
            text.contains("not allowed") || text.contains("bad text"),
            "{user:?}: {text}"
        );
    }
}

#[tokio::test]
async fn oci_send_refuses_input_with_forbidden_characters() {
    let dir = crate::common::scratch_path("hostile-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("forbidden.xml");
    std::fs::write(
        &path,
        r#"<command xsi:type="GroupHuntGroupGetInstanceRequest20"><serviceUserId>x&#65535;</serviceUserId></command>"#,
    )
    .unwrap();
    let out = crate::common::run_ocigw(&["oci", "send", path.to_str().unwrap()], None).await;
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("character U+FFFF at position 1 is not allowed"),
        "{stderr}"
    );
}

#[tokio::test]
async fn restricted_tokens_stay_in_their_domains_and_learn_nothing_of_other_groups() {
    let mut config = Config::default();
    config
        .api
        .extra_domains
        .insert("ApioSpTest".into(), vec!["extra.example.com".into()]);
    let gw = TestGateway::start_with(demo_directory(), config).await;
    let agent = "test.user4000@apiotest.example.com";
    let body = |id: &str| json!({"serviceUserId": id, "serviceInstanceProfile": {"name": "N"}, "agents": [agent]});
    for token in [crate::common::TENANT_TOKEN, crate::common::GROUP_TOKEN] {
        let r = gw
            .call_as(
                token,
                "POST",
                &format!("{HG}/"),
                Some(body("evil@demo.example.com")),
            )
            .await;
        assert_eq!(r.status, 403, "{token}");
        assert_eq!(r.error_details()["field"], "serviceUserId");
        assert_eq!(
            r.json()["errors"][0]["message"],
            "'demo.example.com' is not a domain this token may create ids in (allowed: apiotest.example.com, extra.example.com)"
        );
        // Two `@`: the part after the last one is the token's domain, the id is not.
        let two = "x@demo.example.com@apiotest.example.com";
        let r = gw
            .call_as(token, "POST", &format!("{HG}/"), Some(body(two)))
            .await;
        assert_eq!(r.status, 400, "{token}");
        assert_eq!(r.error_details()["field"], "serviceUserId");
        assert_eq!(
            r.json()["errors"][0]["message"],
            "'x@demo.example.com@apiotest.example.com' holds more than one '@' (a service user id is user@domain)"
        );
    }
    let ok = gw
        .call_as(
            crate::common::GROUP_TOKEN,
            "POST",
            &format!("{HG}/"),
            Some(body("fine@extra.example.com")),
        )
        .await;
    assert_eq!(ok.status, 201, "{}", String::from_utf8_lossy(&ok.body));
    // The system token is not restricted.
    let r = gw
        .call(
            "POST",
            &format!("{HG}/"),
            Some(body("sys@demo.example.com")),
        )
        .await;
    assert_eq!(r.status, 201);
    // A hunt group of another group: the same 404 as an id that exists nowhere, and no Get sent.
    let other = "/api/v1/tenants/ApioSpTest/groups/ApioGrpTest2/services/hunt_groups";
    let created = gw.call("POST", &format!("{other}/"), Some(json!({"serviceUserId": "elsewhere", "serviceInstanceProfile": {"name": "E"}, "agents": ["test1.user5001@apiotest.example.com"]}))).await;
    assert_eq!(
        created.status,
        201,
        "{}",
        String::from_utf8_lossy(&created.body)
    );
    let before = gw.sim.commands_seen();
    let exists = gw
        .call(
            "GET",
            &format!("{HG}/elsewhere@apiotest.example.com/"),
            None,
        )
        .await;
    let nowhere = gw
        .call("GET", &format!("{HG}/nowhere@apiotest.example.com/"), None)
        .await;
    assert_eq!((exists.status, nowhere.status), (404, 404));
    let text = |r: &crate::http::Response, id: &str| {
        r.json()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .replace(id, "ID")
    };
    assert_eq!(
        text(&exists, "elsewhere@apiotest.example.com"),
        text(&nowhere, "nowhere@apiotest.example.com")
    );
    assert_eq!(
        gw.sim.commands_seen() - before,
        2,
        "only the two group lists were read"
    );
}

#[tokio::test]
async fn token_guessing_is_limited_per_address() {
    let gw = TestGateway::start().await;
    let mut statuses = Vec::new();
    for i in 0..25 {
        statuses.push(
            gw.call_as(&format!("guess-{i:08}"), "GET", HG, None)
                .await
                .status,
        );
    }
    assert_eq!(&statuses[..20], &[401; 20]);
    assert_eq!(&statuses[20..], &[429; 5]);
    // Over the limit, even the right token learns nothing until the address cools down.
    assert_eq!(gw.call("GET", HG, None).await.status, 429);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(gw.call("GET", HG, None).await.status, 200);
}

#[tokio::test]
async fn path_ids_and_agent_lists_are_bounded_before_sending() {
    let gw = TestGateway::start().await;
    let before = gw.sim.commands_seen();
    let long = "x".repeat(60_000);
    let r = gw.call("GET", &format!("{HG}/{long}/"), None).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_details()["field"], "serviceUserId");
    let agents: Vec<String> = (0..1001)
        .map(|i| format!("a{i}@apiotest.example.com"))
        .collect();
    let r = gw
        .call(
            "POST",
            &format!("{HG}/"),
            Some(json!({"serviceUserId": "many", "serviceInstanceProfile": {"name": "M"}, "agents": agents})),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_details()["field"], "agents");
    assert_eq!(
        r.json()["errors"][0]["message"],
        "1001 agents given, at most 1000 allowed"
    );
    // Only group lookups reached BroadWorks, never the oversized id or list.
    assert!(gw.sim.commands_seen() - before <= 2);
    // Tenant and group ids of the path are bounded too (30 characters), before anything is sent.
    let before = gw.sim.commands_seen();
    let path = format!(
        "/api/v1/tenants/{}/groups/ApioGrpTest/services/hunt_groups/",
        "t".repeat(40_000)
    );
    let r = gw.call("GET", &path, None).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_details()["field"], "tenantId");
    assert_eq!(gw.sim.commands_seen(), before);
}

#[tokio::test]
async fn a_demo_token_that_could_never_match_stops_the_start() {
    for token in ["        ", "short", "has space inside"] {
        let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_ocigw"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env("OCIGW_DEMO_TOKEN", token)
            .output()
            .await
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{token:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("OCIGW_DEMO_TOKEN: a token"),
            "{token:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[tokio::test]
async fn another_groups_department_is_not_passed_off_as_an_enterprise_one() {
    let gw = TestGateway::start().await;
    let users = gw
        .call("GET", &format!("{HG}/users/available/"), None)
        .await
        .json();
    let marc = users["available_users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["userId"] == "marc.maes@apiotest.example.com")
        .expect("a user of ApioGrpTest2 is available in the enterprise")
        .clone();
    assert_eq!(
        marc["department"],
        json!({"departmentName": "support", "fullPathName": "support"})
    );
    let chloe = users["available_users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["userId"] == "chloe.dubois@apiotest.example.com")
        .unwrap()
        .clone();
    assert_eq!(chloe["department"]["tenantId"], "ApioSpTest");
    assert!(
        chloe["department"].get("groupId").is_none(),
        "a real enterprise department"
    );
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let sim = start_sim().await;
    let mut options = crate::common::system_gateway_options(crate::common::admin_options(&sim));
    options.limits.idle_timeout = std::time::Duration::from_millis(400);
    let gw = ocigw::api::server::Gateway::start(options).await.unwrap();
    let mut tcp = tokio::net::TcpStream::connect(gw.addr()).await.unwrap();
    tcp.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tcp.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    // Nothing more is sent: the connection is closed, not kept for good.
    let took = closed_within(&mut tcp, std::time::Duration::from_secs(5))
        .await
        .expect("closed after the idle timeout");
    assert!(took >= std::time::Duration::from_millis(300), "{took:?}");
}

#[tokio::test]
async fn the_head_timeout_counts_from_the_accept_not_the_first_byte() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let sim = start_sim().await;
    let gw = gateway_with_limits(&sim).await; // head timeout 300 ms
    let mut tcp = tokio::net::TcpStream::connect(gw.addr()).await.unwrap();
    // Silent for 200 ms, then a head over 200 ms: within 300 ms of its first byte, but not of
    // the accept.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    for part in [&b"GET /health HT"[..], b"TP/1.1\r\nHost", b": x\r\n\r\n"] {
        let _ = tcp.write_all(part).await;
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(3),
        tcp.read_to_end(&mut answer),
    )
    .await;
    assert!(
        !String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"),
        "the head came too late after the accept: {}",
        String::from_utf8_lossy(&answer)
    );
}
