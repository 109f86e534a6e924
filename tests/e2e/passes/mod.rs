//! Passes: bulk issuance, manual passes, lists, redemption and revocation.

mod check;
mod issue;
mod issue_races;
mod list;
mod manual;
mod mine;
mod redeem;
mod revoke;

use futures_util::future::join_all;
use liaison_domain::pass;
use liaison_tests::{
    api_key, body, id_of, manual_pass, scalar, send_manual_pass, string_of, summit, Member, TestApp,
};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

// Arranging and reading back, for the files of this folder.

/// A well-formed code (valid check character) that no pass holds.
fn unknown_code() -> String {
    let mut values = [0u8; 15];
    for (i, v) in values.iter_mut().enumerate() {
        *v = (i as u8 * 7 + 3) % 32;
    }
    pass::display(&pass::from_random(&values))
}

/// The same code with another check character.
fn with_wrong_check(code: &str) -> String {
    let last = code.chars().last().expect("a last character");
    let other = pass::ALPHABET
        .iter()
        .map(|&b| b as char)
        .find(|&c| c != last)
        .expect("another character");
    format!("{}{other}", &code[..code.len() - 1])
}

/// A door key, a reading key, and two manual passes (Hana's and Otto's) at
/// a summit: `(staff, door, reader, hana, hana's pass, otto's pass)`.
async fn two_passes_and_a_door(app: &TestApp) -> (Member, String, String, Member, Value, Value) {
    let staff = app.staff().await;
    let door = api_key(app, &["passes:redeem"], &[]).await;
    let reader = api_key(app, &["passes:read"], &[]).await;
    let holder = app.member("Hana Holder").await;
    let other = app.member("Otto Other").await;
    let id = id_of(&summit(app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    let pass = manual_pass(app, &staff, &id, holder.id).await;
    let other_pass = manual_pass(app, &staff, &id, other.id).await;
    (staff, door, reader, holder, pass, other_pass)
}

/// Members registered concurrently, their names `prefix 0`, `prefix 1`, …
async fn members(app: &TestApp, prefix: &str, n: usize) -> Vec<Member> {
    let mut all = Vec::new();
    for chunk in (0..n).collect::<Vec<_>>().chunks(10) {
        let batch = join_all(chunk.iter().map(|i| {
            let name = format!("{prefix} {i}");
            async move { app.member(&name).await }
        }))
        .await;
        all.extend(batch);
    }
    all
}

/// Members holding more than one live pass at any summit, counted in SQL.
async fn members_with_two_live_passes(app: &TestApp) -> i64 {
    scalar(
        &app.db,
        "SELECT count(*)::bigint AS n FROM (SELECT summit_id, member_id FROM passes WHERE status <> 'revoked'
         GROUP BY 1, 2 HAVING count(*) > 1) AS twice",
    )
    .await
}

/// Redeems a code as `token`.
async fn redeem(app: &TestApp, token: &str, code: &str) -> Response {
    app.post("/v1/passes/redeem", Some(token), &json!({"code": code}))
        .await
}

/// Five holders of passes at a summit with `acc` and `aoc` (three acc, two
/// aoc; the first redeemed, the last revoked), an outsider holding a pass
/// at another summit, and a reading and an issuing key.
struct Listed {
    staff: Member,
    reader: String,
    issuer: String,
    people: Vec<Member>,
    outsider: Member,
    id: String,
    other_summit: String,
    passes: Vec<Value>,
}

async fn five_passes(app: &TestApp) -> Listed {
    let staff = app.staff().await;
    let reader = api_key(app, &["passes:read"], &[]).await;
    let issuer = api_key(app, &["passes:issue"], &[]).await;
    let people = members(app, "Holder", 5).await;
    let outsider = app.member("Oli Outsider").await;
    let id = id_of(
        &summit(
            app,
            &staff,
            json!([{"program": "acc", "quota": 10}, {"program": "aoc", "quota": 10}]),
        )
        .await,
    );
    let other_summit = id_of(&summit(app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    manual_pass(app, &staff, &other_summit, outsider.id).await;
    let mut passes = Vec::new();
    for (i, person) in people.iter().enumerate() {
        let program = if i < 3 { "acc" } else { "aoc" };
        let response = send_manual_pass(app, &staff, &id, person.id, program).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        passes.push(body(response).await);
    }
    let redeemed = redeem(app, &staff.token, &string_of(&passes[0]["code"])).await;
    assert_eq!(redeemed.status(), StatusCode::OK);
    let revoked = app
        .post(
            &format!("/v1/passes/{}/revoke", id_of(&passes[4])),
            Some(&staff.token),
            &json!({"reason": "cannot come"}),
        )
        .await;
    assert_eq!(revoked.status(), StatusCode::OK);
    Listed {
        staff,
        reader,
        issuer,
        people,
        outsider,
        id,
        other_summit,
        passes,
    }
}

/// A JSON request to the server at `base`; answers the status and the body
/// (JSON, or `null` when empty).
async fn post_at(
    app: &TestApp,
    base: &str,
    token: &str,
    path: &str,
    key: Option<&str>,
    request: &Value,
) -> (StatusCode, Value) {
    let mut builder = app
        .client
        .post(format!("{base}{path}"))
        .bearer_auth(token)
        .json(request);
    if let Some(key) = key {
        builder = builder.header("Idempotency-Key", key);
    }
    let response = builder.send().await.expect("request");
    let status = response.status();
    let bytes = response.bytes().await.expect("body");
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}
