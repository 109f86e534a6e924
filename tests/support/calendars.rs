//! Reading calendar feeds as a subscriber would: with a real iCalendar
//! parser (Python's `icalendar`, installed by `.ci/run`), through
//! `ics_check.py` beside this file.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

/// Parses a feed with `icalendar`; panics (never skips) when Python or the
/// package is missing, or when the feed does not parse.
pub fn parse_ics(text: &str) -> Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/support/ics_check.py");
    let mut child = Command::new("python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs (the calendar tests need it and its `icalendar` package)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("feed written to the parser");
    let out = child.wait_with_output().expect("parser finished");
    assert!(
        out.status.success(),
        "the iCalendar parser refused the feed (is `icalendar` installed? `.ci/run` installs it): {}\n--- feed ---\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the parser's JSON")
}
