//! A TypeScript client generated from `openapi/v1.json` (openapi-typescript
//! and openapi-fetch, from the npm registry) type-checks under `strict` and
//! runs a foundation's journey against the live server.

use std::process::{Command, Output};

use liaison_tests::{TestApp, PASSWORD};

const CLIENT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../clients/typescript");

async fn run(
    program: &'static str,
    args: &'static [&'static str],
    env: Vec<(&'static str, String)>,
) -> Output {
    tokio::task::spawn_blocking(move || {
        let output = Command::new(program)
            .args(args)
            .envs(env)
            .current_dir(CLIENT)
            .output()
            .unwrap_or_else(|e| {
                panic!(
                    "{program} (Node.js and `npm ci` in clients/typescript, done by .ci/run): {e}"
                )
            });
        assert!(
            output.status.success(),
            "{program} {args:?}:\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        output
    })
    .await
    .expect("join")
}

#[tokio::test]
async fn the_generated_typescript_client_type_checks_and_signs_in_lists_groups_issues_and_redeems_a_pass(
) {
    let app = TestApp::spawn().await;
    app.admin().await;
    // Generated from the committed document, then checked and built strictly.
    run(
        "npx",
        &[
            "openapi-typescript",
            "../../openapi/v1.json",
            "-o",
            "schema.d.ts",
        ],
        vec![],
    )
    .await;
    run("npx", &["tsc", "-p", "."], vec![]).await;
    let journey = run(
        "node",
        &["dist/journey.js"],
        vec![
            ("LIAISON_URL", app.address.clone()),
            ("LIAISON_EMAIL", "root@liaison.example".into()),
            ("LIAISON_PASSWORD", PASSWORD.into()),
        ],
    )
    .await;
    let out = String::from_utf8_lossy(&journey.stdout);
    assert!(out.contains("groups: 0"), "{out}");
    assert!(out.contains(": redeemed"), "{out}");
}
