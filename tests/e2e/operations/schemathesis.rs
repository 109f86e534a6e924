//! schemathesis (from PyPI, pinned in `.ci/run`) against `openapi/v1.json`
//! and the live server with the demo data, anonymously, as a member and as
//! an admin: every check it has, in every phase (examples, coverage,
//! fuzzing, stateful link-following), must find nothing.
//!
//! What it may drop, and why, is in `tests/schemathesis/` (the config and
//! its `filter_failure` hook), and so is the number of examples. A run that
//! fails prints schemathesis's own report, with a `curl` line per failure.
//! `LIAISON_SCHEMATHESIS_EXAMPLES` (examples per operation and phase) and
//! `LIAISON_SCHEMATHESIS_SEED` widen or vary a run by hand.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use liaison_api::commands::{create_admin, seed_demo, DEMO_PASSWORD};
use liaison_tests::TestApp;

/// The version `.ci/run` installs: the config and hooks are written for it.
const VERSION: &str = "4.32.5";

/// The seed, so that a failure reproduces.
const SEED: &str = "20261201";

fn repo(path: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join(path)
}

fn schemathesis(args: &[&str]) -> Command {
    let mut command = Command::new("schemathesis");
    command
        .args(args)
        .env("SCHEMATHESIS_HOOKS", repo("tests/schemathesis/hooks.py"))
        .env("NO_COLOR", "1")
        .current_dir(std::env::temp_dir());
    command
}

/// Runs every check as `who` (`token`: a bearer token, or anonymous);
/// panics with schemathesis's report unless it found nothing.
async fn run(app: &TestApp, who: &'static str, token: Option<String>) {
    let document = repo("openapi/v1.json");
    let config = repo("tests/schemathesis/schemathesis.toml");
    let examples = std::env::var("LIAISON_SCHEMATHESIS_EXAMPLES").ok();
    let seed = std::env::var("LIAISON_SCHEMATHESIS_SEED").unwrap_or_else(|_| SEED.to_owned());
    let url = app.address.clone();
    let started = Instant::now();
    let output = tokio::task::spawn_blocking(move || {
        let mut args = vec![
            "--config-file".to_owned(),
            config.display().to_string(),
            "run".to_owned(),
            document.display().to_string(),
            "--url".to_owned(),
            url,
            "--checks".to_owned(),
            "all".to_owned(),
            "--mode".to_owned(),
            "all".to_owned(),
            "--phases".to_owned(),
            "examples,coverage,fuzzing,stateful".to_owned(),
            "--seed".to_owned(),
            seed,
            "--workers".to_owned(),
            "2".to_owned(),
            "--no-color".to_owned(),
        ];
        if let Some(examples) = examples {
            args.push("--max-examples".to_owned());
            args.push(examples);
        }
        if let Some(token) = token {
            args.push("--header".to_owned());
            args.push(format!("Authorization: Bearer {token}"));
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        schemathesis(&args)
            .output()
            .unwrap_or_else(|e| panic!("schemathesis {VERSION} (`pip install schemathesis=={VERSION}`, done by .ci/run): {e}"))
    })
    .await
    .expect("join");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "schemathesis as {who} found something ({:?}):\n{report}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!(
        "schemathesis as {who}: clean in {:.0?}; {}",
        started.elapsed(),
        report
            .lines()
            .rfind(|l| l.contains(" in ") && l.starts_with('='))
            .unwrap_or_default()
    );
}

#[tokio::test]
async fn schemathesis_finds_nothing_anonymously_as_a_member_or_as_an_admin() {
    let installed = Command::new("schemathesis")
        .arg("--version")
        .output()
        .unwrap_or_else(|e| {
            panic!("schemathesis is not installed (`pip install schemathesis=={VERSION}`, done by .ci/run): {e}")
        });
    let installed = String::from_utf8_lossy(&installed.stdout).into_owned();
    assert!(
        installed.contains(VERSION),
        "schemathesis {VERSION} is pinned (.ci/run); found {installed}"
    );
    let app = TestApp::spawn().await;
    seed_demo(&app.db, &app.settings).await.expect("seed demo");
    // Not the document's example password (`correct horse battery`, which
    // the examples phase sends to `POST /v1/me/password` as `current`).
    let password = "an admin password of the schemathesis run";
    let email = "root@liaison.example";
    create_admin(&app.db, &app.settings, email, password, "Root")
        .await
        .expect("create admin");
    let admin = app.sign_in_with(email, password).await;
    let member = app
        .sign_in_with("amara@liaison.example", DEMO_PASSWORD)
        .await;
    // The admin runs last: what it changes (roles, erasures) cannot reach
    // the other two runs' accounts mid-run.
    run(&app, "anonymous", None).await;
    run(&app, "a member", Some(member)).await;
    run(&app, "an admin", Some(admin)).await;
}
