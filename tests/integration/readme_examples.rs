//! The README's examples of the schema catalog's tools, run exactly as written (with `ocigw` on
//! the PATH, `$TOKEN` and `$GW` naming a gateway started here).

use std::path::Path;

use crate::common::{crate_path, TestGateway, SYSTEM_TOKEN};

/// The lines of the README's block between `<!-- oci-examples` and `<!-- /oci-examples -->`.
fn examples() -> Vec<String> {
    let readme = std::fs::read_to_string(crate_path("README.md")).unwrap();
    let start = readme
        .find("<!-- oci-examples")
        .expect("the README has the examples");
    let end = readme
        .find("<!-- /oci-examples -->")
        .expect("the block ends");
    readme[start..end]
        .lines()
        .filter(|l| l.starts_with("ocigw ") || l.starts_with("curl "))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn the_readme_examples_of_any_oci_command_run_as_written() {
    let gw = TestGateway::start().await;
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_ocigw")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let lines = examples();
    assert_eq!(lines.len(), 4, "{lines:?}");
    let expected = [
        "\"command\": \"GroupGetListInServiceProviderResponse\"",
        "\"noAnswerNumberOfRings\": integer HuntNoAnswerRings (required): 1..20",
        "declare the same commands and types",
        "\"command\":\"GroupHuntGroupGetInstanceListResponse\"",
    ];
    for (line, expect) in lines.iter().zip(expected) {
        let out = tokio::process::Command::new("bash")
            .args(["-c", line])
            .current_dir(crate_path(""))
            .env("PATH", &path)
            .env("TOKEN", SYSTEM_TOKEN)
            .env("GW", format!("http://{}", gw.gateway.addr()))
            .env_remove("OCIGW_OCI_PASSWORD")
            .output()
            .await
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{line}\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains(expect), "{line}: {stdout}");
    }
}
