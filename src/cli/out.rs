//! Results on stdout. A reader that goes away (`ocigw replay --json | head -c1`) ends the output
//! quietly: the program finishes with its own exit status instead of panicking on the closed
//! pipe.

use std::io::Write;

/// Writes `text` and a new line to stdout; a closed stdout is not an error.
pub fn line(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out
        .write_all(text.as_bytes())
        .and_then(|_| out.write_all(b"\n"))
        .and_then(|_| out.flush());
}

/// Writes `text` as it is to stdout; a closed stdout is not an error.
pub fn text(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
}
