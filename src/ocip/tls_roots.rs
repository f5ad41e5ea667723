//! The system's CA bundle parsed once per TLS client instead of twice.
//!
//! `native_tls::TlsConnector::new` (OpenSSL backend) loads trust anchors twice over: OpenSSL's
//! own default file (`SslConnector::builder` calls `set_default_verify_paths`), then the bundle
//! `openssl-probe` finds. On Debian, Ubuntu and most distributions the two are one file, a bundle
//! of some 140 certificates that takes 50–70 ms to parse on a small VM: a sixth of a 1000-row
//! TLS bulk run against a BroadWorks 10 ms away. native-tls has no setting that skips either load.
//!
//! [`load_system_roots_once`] makes OpenSSL's load find nothing (`SSL_CERT_FILE` set to an empty
//! path, which OpenSSL fails to open and ignores, and which `openssl-probe` passes over because it
//! does not exist), so the bundle is parsed once, by native-tls's own load. It does so only when
//! both would load the same file (`SSL_CERT_FILE` or OpenSSL's default on one side, the bundle in
//! the system's usual place on the other), so what is trusted does not change: the same bundle,
//! the same certificate directories, and any `--ca-file` on top.

use std::path::{Path, PathBuf};

/// The variable OpenSSL and `openssl-probe` read the CA file from.
const CERT_FILE_VAR: &str = "SSL_CERT_FILE";

/// Arranges for the system CA bundle to be parsed once per TLS connector, when the file OpenSSL
/// loads (`SSL_CERT_FILE`, or its built-in default) is the file `openssl-probe` finds in the
/// system's usual places. Trust is unchanged; see the module documentation. Otherwise, as when
/// `SSL_CERT_FILE` names a bundle of the user's own, nothing changes.
///
/// Must be called before the process starts any thread: it sets an environment variable.
pub fn load_system_roots_once() {
    let set_by_user = std::env::var_os(CERT_FILE_VAR);
    let openssl_file = match &set_by_user {
        Some(file) if file.is_empty() => return,
        Some(file) => PathBuf::from(file),
        None => match openssl_default_cert_file() {
            Some(file) => file,
            None => return,
        },
    };
    // With the variable empty, the probe looks where it would with no variable at all.
    std::env::set_var(CERT_FILE_VAR, "");
    let probed = openssl_probe::probe().cert_file;
    if !probed.is_some_and(|probed| same_file(&openssl_file, &probed)) {
        match set_by_user {
            Some(file) => std::env::set_var(CERT_FILE_VAR, file),
            None => std::env::remove_var(CERT_FILE_VAR),
        }
    }
}

/// OpenSSL's default CA file, `OPENSSLDIR/cert.pem`, from the library's own build settings
/// (`OpenSSL_version(OPENSSL_DIR)` prints `OPENSSLDIR: "/usr/lib/ssl"`).
fn openssl_default_cert_file() -> Option<PathBuf> {
    let dir = openssl::version::dir()
        .strip_prefix("OPENSSLDIR: \"")?
        .strip_suffix('"')?;
    Some(Path::new(dir).join("cert.pem"))
}

/// Whether two paths name one existing file (after following links).
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openssl_names_its_default_ca_file() {
        let file = openssl_default_cert_file().expect("OPENSSLDIR is set in this OpenSSL build");
        assert_eq!(file.file_name().and_then(|n| n.to_str()), Some("cert.pem"));
        assert!(file.is_absolute(), "{}", file.display());
    }

    #[test]
    fn a_file_is_itself_and_a_missing_file_is_nothing() {
        let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
        assert!(same_file(&here, &here));
        assert!(!same_file(&here, &here.with_file_name("Cargo.lock")));
        assert!(!same_file(Path::new(""), Path::new("")));
    }
}
