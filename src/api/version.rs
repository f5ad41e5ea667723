//! BroadWorks's software version, asked once a session is logged in
//! (`SystemSoftwareVersionGetRequest`): logged, shown on `/health`, and compared with the loaded
//! catalog's release. The probe never logs in by itself: it waits for the pool to hold a
//! logged-in session, so a refused password is never tried again on its account.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::ocip::commands::SystemSoftwareVersionGetRequest;
use crate::ocip::Pool;

/// How often the probe looks for a logged-in session until it has the version.
const PROBE_EVERY: Duration = Duration::from_secs(2);

/// The version BroadWorks reported, once it did.
pub type SoftwareVersion = Arc<OnceLock<String>>;

/// Asks BroadWorks its version as soon as the pool has a session (at once when it has one);
/// logs it, and warns when its major release is not the catalog's (`release`, e.g. `R25`).
pub async fn probe(pool: Arc<Pool>, release: String, version: SoftwareVersion) {
    while !read(&pool, &release, &version).await {
        tokio::time::sleep(PROBE_EVERY).await;
    }
}

/// One try: whether the version is known now. Sends nothing unless a session is logged in.
pub async fn read(pool: &Pool, release: &str, version: &SoftwareVersion) -> bool {
    if version.get().is_some() {
        return true;
    }
    if pool.health().logged_in == 0 {
        return false;
    }
    match pool.call(&SystemSoftwareVersionGetRequest {}).await {
        Ok(answer) => {
            let found = answer.version;
            if release_matches(release, &found) {
                tracing::info!(version = %found, schema = %release, "BroadWorks software version");
            } else {
                tracing::warn!(version = %found, schema = %release, "BroadWorks runs another release than the loaded OCI schema: give its schema with --schema (see `ocigw schema compile`)");
            }
            let _ = version.set(found);
            true
        }
        Err(e) => {
            tracing::debug!(error = %e, "software version not read yet");
            false
        }
    }
}

/// Whether a software version (`25.0_1.1234`) belongs to a release (`R25`): same major number.
pub fn release_matches(release: &str, version: &str) -> bool {
    let major = |s: &str| -> String { s.chars().take_while(char::is_ascii_digit).collect() };
    let release_major = major(release.trim_start_matches(['R', 'r']));
    !release_major.is_empty() && release_major == major(version)
}

#[cfg(test)]
mod tests {
    use super::release_matches;

    #[test]
    fn the_major_number_decides() {
        assert!(release_matches("R25", "25.0_1.1234"));
        assert!(!release_matches("R25", "24.0_1.944"));
        assert!(!release_matches("R2", "25.0"));
        assert!(!release_matches("unknown", "25.0"));
    }
}
