//! The API page in a real browser: headless Chromium, driven over WebDriver (chromedriver, plain
//! HTTP) against a running gateway. The page lists every operation of `/openapi.json`, and an
//! authorised "Try it out" of the hunt group list shows the directory's hunt group.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them and sets
//! `OCIGW_BROWSER_TESTS=1`, which makes their absence a failure); elsewhere the test says it is
//! skipped.

use std::net::SocketAddr;
use std::process::Stdio;
use std::time::Duration;

use serde_json::{json, Value};

use crate::common::{TestGateway, HG, SYSTEM_TOKEN};

/// A WebDriver session of a chromedriver this test started.
struct Browser {
    driver: tokio::process::Child,
    addr: SocketAddr,
    session: String,
}

impl Browser {
    async fn start() -> Option<Self> {
        let found = |p: &str| std::path::Path::new(p).exists();
        if !found("/usr/bin/chromium") || !found("/usr/bin/chromedriver") {
            assert!(
                std::env::var_os("OCIGW_BROWSER_TESTS").is_none(),
                "OCIGW_BROWSER_TESTS is set but chromium or chromedriver is missing"
            );
            eprintln!("browser test skipped: install Debian's chromium and chromium-driver");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = tokio::process::Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver starts");
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(addr).await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut browser = Self {
            driver,
            addr,
            session: String::new(),
        };
        let created = browser
            .call(
                "POST",
                "/session",
                json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
                    "binary": "/usr/bin/chromium",
                    "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                             "--disable-dev-shm-usage", "--window-size=1280,2400"]
                }}}}),
            )
            .await;
        browser.session = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {created}"))
            .to_owned();
        Some(browser)
    }

    /// One WebDriver command. chromedriver keeps the connection open whatever the request
    /// says, so the answer is read by its Content-Length.
    async fn call(&self, method: &str, path: &str, body: Value) -> Value {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let body = if method == "POST" {
            body.to_string()
        } else {
            String::new()
        };
        let mut tcp = tokio::net::TcpStream::connect(self.addr).await.unwrap();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        );
        tcp.write_all(head.as_bytes()).await.unwrap();
        let mut raw = Vec::new();
        let mut chunk = vec![0u8; 16 * 1024];
        loop {
            let n = tcp.read(&mut chunk).await.unwrap();
            assert!(n > 0, "chromedriver closed the connection");
            raw.extend_from_slice(&chunk[..n]);
            let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
                continue;
            };
            let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if raw.len() >= end + 4 + length {
                let value: Value =
                    serde_json::from_slice(&raw[end + 4..end + 4 + length]).unwrap_or(Value::Null);
                return value["value"].clone();
            }
        }
    }

    async fn session_call(&self, method: &str, path: &str, body: Value) -> Value {
        let path = format!("/session/{}{path}", self.session);
        self.call(method, &path, body).await
    }

    /// The elements matching a CSS selector, waiting up to 10 s for at least `at_least`.
    async fn find_all(&self, css: &str, at_least: usize) -> Vec<String> {
        for _ in 0..100 {
            let found = self
                .session_call(
                    "POST",
                    "/elements",
                    json!({"using": "css selector", "value": css}),
                )
                .await;
            let ids: Vec<String> = found
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|e| e.as_object()?.values().next()?.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            if ids.len() >= at_least {
                return ids;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no {css} on the page after 10 s");
    }

    async fn find(&self, css: &str) -> String {
        self.find_all(css, 1).await.remove(0)
    }

    async fn click(&self, css: &str) {
        let element = self.find(css).await;
        self.session_call("POST", &format!("/element/{element}/click"), json!({}))
            .await;
    }

    async fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css).await;
        self.session_call("POST", &format!("/element/{element}/clear"), json!({}))
            .await;
        self.session_call(
            "POST",
            &format!("/element/{element}/value"),
            json!({"text": text}),
        )
        .await;
    }

    async fn text(&self, element: &str) -> String {
        self.session_call("GET", &format!("/element/{element}/text"), Value::Null)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Waits (up to 10 s) until an element's text contains `wanted`; the last text seen.
    async fn wait_text(&self, css: &str, wanted: &str) -> String {
        let mut last = String::new();
        for _ in 0..100 {
            for element in self.find_all(css, 1).await {
                last = self.text(&element).await;
                if last.contains(wanted) {
                    return last;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        last
    }

    async fn screenshot(&self, path: &std::path::Path) {
        use base64::Engine;
        let png = self.session_call("GET", "/screenshot", Value::Null).await;
        if let Some(data) = png.as_str() {
            if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(data) {
                let _ = std::fs::write(path, bytes);
            }
        }
    }

    async fn quit(mut self) {
        self.session_call("DELETE", "", Value::Null).await;
        let _ = self.driver.kill().await;
    }
}

#[tokio::test]
async fn the_api_page_lists_every_operation_and_tries_one_out() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let gw = TestGateway::start().await;
    let created = gw
        .call(
            "POST",
            &format!("{HG}/"),
            Some(json!({"serviceUserId": "browser.demo", "serviceInstanceProfile": {"name": "Browser Demo"},
                        "agents": ["test.user4000@apiotest.example.com"]})),
        )
        .await;
    assert_eq!(created.status, 201);
    let addr = gw.gateway.addr();
    browser
        .session_call(
            "POST",
            "/url",
            json!({"url": format!("http://{addr}/docs")}),
        )
        .await;

    // Every operation of the document is listed.
    let doc = crate::http::request(addr, "GET", "/openapi.json", None, None)
        .await
        .json();
    let operations: Vec<String> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| {
            item.as_object()
                .unwrap()
                .iter()
                .filter(|(k, _)| k.as_str() != "parameters")
                .map(|(_, op)| op["operationId"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    let listed = browser.find_all(".opblock", operations.len()).await;
    assert_eq!(listed.len(), operations.len());
    for id in &operations {
        browser.find(&format!("#operations-default-{id}")).await;
    }

    // Authorize with the token, then try out the hunt group list.
    browser.click(".btn.authorize").await;
    browser.type_into(".modal-ux input", SYSTEM_TOKEN).await;
    browser.click(".auth-btn-wrapper .btn.authorize").await;
    browser.click(".btn-done").await;
    browser
        .click("#operations-default-listHuntGroups .opblock-summary")
        .await;
    // The page opens operations ready to try (tryItOutEnabled): no "Try it out" click.
    browser
        .type_into(
            "#operations-default-listHuntGroups input[placeholder='tenant_id']",
            "ApioSpTest",
        )
        .await;
    browser
        .type_into(
            "#operations-default-listHuntGroups input[placeholder='group_id']",
            "ApioGrpTest",
        )
        .await;
    browser
        .click("#operations-default-listHuntGroups .execute")
        .await;
    let body = browser
        .wait_text(
            "#operations-default-listHuntGroups .live-responses-table .response-col_description",
            "browser.demo@apiotest.example.com",
        )
        .await;
    browser
        .screenshot(&crate::common::scratch_path("api-page.png"))
        .await;
    assert!(
        body.contains("browser.demo@apiotest.example.com") && body.contains("Browser Demo"),
        "the tried-out list: {body}"
    );
    browser.quit().await;
}
