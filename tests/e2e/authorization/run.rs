//! Running a row: each actor sends it with its own credentials, the actors
//! the row denies first and the allowed ones after, so no denial can have
//! been masked by an allowed actor changing the resource first; then the
//! answers are compared with the table, and every public answer is checked
//! for private data.

use reqwest::Method;
use serde_json::Value;
use uuid::Uuid;

use super::bodies::{body, fill, fill_text, rearm};
use super::matrix::{Outcome, Row, ACTORS};
use super::world::World;

/// One actor's answer to one row.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    /// The problem's `code`, when the answer is a problem document.
    pub code: Option<String>,
    pub body: String,
}

/// What went wrong in a row.
#[derive(Debug, Default)]
pub struct Findings {
    /// `METHOD path  actor: expected X, got S code` lines.
    pub mismatches: Vec<String>,
    /// Answers that were 5xx: they hide the authorization outcome.
    pub errors: Vec<String>,
    /// Public answers carrying a private value.
    pub leaks: Vec<String>,
}

impl Findings {
    pub fn extend(&mut self, other: Findings) {
        self.mismatches.extend(other.mismatches);
        self.errors.extend(other.errors);
        self.leaks.extend(other.leaks);
    }
}

/// Sends `row` as actor `actor`, with `overrides` before the world's names.
pub async fn send(
    world: &World,
    row: &Row,
    actor: usize,
    overrides: &[(&'static str, String)],
) -> Answer {
    let names = |name: &str| -> Option<String> {
        if let Some((_, value)) = overrides.iter().find(|(n, _)| *n == name) {
            return Some(value.clone());
        }
        match name {
            "actor" => Some(ACTORS[actor].to_owned()),
            "refresh" => Some(world.refresh[actor].clone()),
            _ => world.names.get(name).cloned(),
        }
    };
    let path = fill_text(row.path, &names);
    let method = match row.method {
        "CSV" => Method::GET,
        other => other.parse().expect("an HTTP method"),
    };
    let writes = !matches!(method, Method::GET);
    let mut request = world
        .app
        .call(method, &path, world.tokens[actor].as_deref())
        .timeout(std::time::Duration::from_secs(30));
    if row.method == "CSV" {
        request = request.header("Accept", "text/csv");
    }
    if writes {
        request = request.header("Idempotency-Key", Uuid::new_v4().to_string());
    }
    if let Some(template) = body(row) {
        request = request.json(&fill(&template, &names));
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("{} {path} as {}: {e}", row.method, ACTORS[actor]));
    let status = response.status().as_u16();
    let body = response.text().await.unwrap_or_default();
    let code = serde_json::from_str::<Value>(&body)
        .ok()
        .and_then(|v| v["code"].as_str().map(str::to_owned));
    Answer { status, code, body }
}

/// Runs `row` for every actor and reports what differs from the table.
pub async fn run(world: &World, row: &Row) -> Findings {
    let expected = row.outcomes();
    let (denied, allowed): (Vec<usize>, Vec<usize>) =
        (0..ACTORS.len()).partition(|&a| expected[a] != Outcome::Ok);
    let mut findings = Findings::default();
    for actor in denied.into_iter().chain(allowed) {
        let overrides = rearm(world, row).await;
        let answer = send(world, row, actor, &overrides).await;
        let got = Outcome::of(answer.status);
        let what = format!(
            "{:6} {:52} {}: expected {}, got {}{}",
            row.method,
            row.path,
            ACTORS[actor],
            expected[actor].code(),
            answer.status,
            answer
                .code
                .as_deref()
                .map(|c| format!(" {c}"))
                .unwrap_or_default()
        );
        if std::env::var_os("LIAISON_MATRIX_DUMP").is_some() {
            eprintln!(
                "DUMP {what} | {}",
                answer.body.chars().take(200).collect::<String>()
            );
        }
        if answer.status >= 500 {
            findings.errors.push(what);
        } else if got != expected[actor] {
            findings.mismatches.push(what);
        }
        if actor == 0 && matches!(row.method, "GET" | "CSV") && (200..300).contains(&answer.status)
        {
            findings.leaks.extend(leaks(world, row, &answer));
        }
    }
    findings
}

/// The private values of the world that a public answer carries.
fn leaks(world: &World, row: &Row, answer: &Answer) -> Vec<String> {
    let text = answer.body.to_lowercase();
    world
        .secrets
        .iter()
        .filter(|secret| text.contains(&secret.to_lowercase()))
        .map(|secret| {
            format!(
                "{} {}: the public answer holds `{secret}`",
                row.method, row.path
            )
        })
        .collect()
}
