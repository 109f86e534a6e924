//! The authorization matrix (issue 17, Security): every endpoint × every
//! actor answers as `matrix.rs` says — 404 for what the caller may not see,
//! 403 for what they may see but not do — and no public answer, JSON or
//! CSV, carries an email or another private value of the world.
//!
//! `matrix.rs` is the table; `world.rs` the one world a run builds;
//! `bodies.rs` what each row sends; `run.rs` how a row is run and judged;
//! `coverage.rs` keeps the table and `openapi/v1.json` in step.
//!
//! `LIAISON_MATRIX_DUMP=1` prints every answer (status, problem code and
//! the start of the body), to see why a cell differs.

mod bodies;
mod coverage;
mod matrix;
mod run;
mod world;

use std::time::Instant;

use futures_util::{stream, StreamExt};

use matrix::{ACTORS, ROWS};
use run::Findings;

/// Rows run side by side, each its actors one after the other.
const ROWS_AT_ONCE: usize = 4;

#[tokio::test]
async fn every_actor_gets_the_answer_of_the_matrix_and_no_public_answer_leaks_private_data() {
    let started = Instant::now();
    let world = world::build().await;
    let built = started.elapsed();
    let results: Vec<Findings> = stream::iter(ROWS)
        .map(|row| run::run(&world, row))
        .buffered(ROWS_AT_ONCE)
        .collect()
        .await;
    let mut findings = Findings::default();
    for f in results {
        findings.extend(f);
    }
    eprintln!(
        "authorization matrix: {} rows × {} actors in {:.1?} (world built in {:.1?})",
        ROWS.len(),
        ACTORS.len(),
        started.elapsed(),
        built
    );
    let mut report = String::new();
    for (title, lines) in [
        ("answers that differ from the matrix", &findings.mismatches),
        (
            "server errors (they hide the authorization outcome)",
            &findings.errors,
        ),
        ("private values in public answers", &findings.leaks),
    ] {
        if !lines.is_empty() {
            report.push_str(&format!(
                "\n{title} ({}):\n  {}\n",
                lines.len(),
                lines.join("\n  ")
            ));
        }
    }
    assert!(report.is_empty(), "{report}");
}
