//! `POST /v1/recognition-programs/{slug}/rules/preview`: a draft tried
//! against a summit's real data; nothing written.

use chrono::Duration;
use liaison_tests::{
    assert_problem, body, count, cutoff, error_fields, exec, id_of, summit, verified_run, Member,
    TestApp,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::program;

/// acc v1 as a draft: the same rules as the summit applies.
async fn current_rules(app: &TestApp) -> Value {
    let acc = program(app, "acc").await;
    let v1 = &acc["rules"][0];
    json!({"window_days": v1["window_days"], "threshold_points": v1["threshold_points"], "kinds": v1["kinds"]})
}

/// A member with `n` verified `event_organized` (2 points each under acc v1) before the cutoff.
async fn organizer_of(app: &TestApp, name: &str, n: i64, country: Option<&str>) -> Member {
    let member = app.member(name).await;
    verified_run(
        app,
        member.id,
        "event_organized",
        cutoff() - Duration::days(60),
        n,
    )
    .await;
    let country = country.map_or("NULL".to_owned(), |c| format!("'{c}'"));
    exec(
        &app.db,
        &format!(
            "UPDATE members SET country = {country} WHERE id = '{}'",
            member.id
        ),
    )
    .await;
    member
}

/// Staff, a summit offering acc (threshold 10) and four members: Ana 12
/// points and Ben 10 (Europe), Cho 8 (Asia), Dee 20 (no region).
async fn four_members_at_a_summit(app: &TestApp) -> (Member, String, [Member; 4]) {
    let staff = app.staff_with_two_regions().await;
    let id = id_of(&summit(app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    let ana = organizer_of(app, "Ana", 6, Some("FR")).await;
    let ben = organizer_of(app, "Ben", 5, Some("DE")).await;
    let cho = organizer_of(app, "Cho", 4, Some("JP")).await;
    let dee = organizer_of(app, "Dee", 10, None).await;
    (staff, id, [ana, ben, cho, dee])
}

async fn preview(
    app: &TestApp,
    token: Option<&str>,
    summit: &str,
    rules: &Value,
) -> reqwest::Response {
    app.post(
        "/v1/recognition-programs/acc/rules/preview",
        token,
        &json!({"summit_id": summit, "rules": rules}),
    )
    .await
}

fn members_of(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|m| m["member_id"].as_str().expect("member").to_owned())
        .collect()
}

#[tokio::test]
async fn a_draft_identical_to_the_current_version_gains_and_loses_nobody() {
    let app = TestApp::spawn().await;
    let (staff, summit_id, _) = four_members_at_a_summit(&app).await;
    let rules = current_rules(&app).await;
    let response = preview(&app, Some(&staff.token), &summit_id, &rules).await;
    assert_eq!(response.status(), StatusCode::OK);
    let p = body(response).await;
    assert_eq!(p["program"], "acc");
    assert_eq!(p["current_version"], 1);
    assert_eq!(p["total"]["current"]["eligible"], 3);
    assert_eq!(p["total"]["draft"]["eligible"], 3);
    assert_eq!(
        (p["total"]["gained"].as_i64(), p["total"]["lost"].as_i64()),
        (Some(0), Some(0))
    );
    assert_eq!(p["gained"], json!([]));
    assert_eq!(p["lost"], json!([]));
    // Points of the eligible (10, 12, 20): quartiles as percentile_cont.
    assert_eq!(
        p["total"]["current"]["quartiles"],
        json!({"q1": 11.0, "median": 12.0, "q3": 16.0})
    );
    assert_eq!(
        p["total"]["draft"]["quartiles"],
        p["total"]["current"]["quartiles"]
    );
    let regions: Vec<(Value, i64)> = p["regions"]
        .as_array()
        .expect("regions")
        .iter()
        .map(|r| {
            (
                r["region"].clone(),
                r["current"]["eligible"].as_i64().expect("eligible"),
            )
        })
        .collect();
    assert_eq!(
        regions,
        [(json!("europe"), 2), (Value::Null, 1)],
        "Asia has nobody eligible under either"
    );
}

#[tokio::test]
async fn raising_the_threshold_only_loses_members_and_lowering_it_only_gains() {
    let app = TestApp::spawn().await;
    let (staff, summit_id, [_, ben, cho, _]) = four_members_at_a_summit(&app).await;
    let mut rules = current_rules(&app).await;
    rules["threshold_points"] = json!(11);
    let p = body(preview(&app, Some(&staff.token), &summit_id, &rules).await).await;
    assert_eq!(members_of(&p["lost"]), [ben.id.to_string()]);
    assert_eq!(p["gained"], json!([]));
    assert_eq!(p["lost"][0]["current_points"], 10);
    assert_eq!(p["lost"][0]["draft_points"], 10);
    assert_eq!(p["lost"][0]["region"], "europe");
    assert_eq!(
        (
            p["total"]["current"]["eligible"].as_i64(),
            p["total"]["draft"]["eligible"].as_i64()
        ),
        (Some(3), Some(2))
    );
    let europe = &p["regions"][0];
    assert_eq!(
        (europe["region"].as_str(), europe["lost"].as_i64()),
        (Some("europe"), Some(1))
    );

    rules["threshold_points"] = json!(8);
    let p = body(preview(&app, Some(&staff.token), &summit_id, &rules).await).await;
    assert_eq!(members_of(&p["gained"]), [cho.id.to_string()]);
    assert_eq!(p["lost"], json!([]));
    assert_eq!(p["regions"][0]["region"], "asia");
    assert_eq!(p["regions"][0]["gained"], 1);

    // A draft that changes the points: event_organized worth 1 makes all but Dee lose.
    let mut cheaper = current_rules(&app).await;
    for k in cheaper["kinds"].as_array_mut().expect("kinds") {
        if k["kind"] == "event_organized" {
            k["points"] = json!(1);
        }
    }
    let p = body(preview(&app, Some(&staff.token), &summit_id, &cheaper).await).await;
    assert_eq!(p["total"]["lost"], 2);
    assert_eq!(p["total"]["draft"]["eligible"], 1);
}

#[tokio::test]
async fn the_preview_as_csv_lists_who_gains_and_loses() {
    let app = TestApp::spawn().await;
    let (staff, summit_id, [_, ben, _, _]) = four_members_at_a_summit(&app).await;
    let mut rules = current_rules(&app).await;
    rules["threshold_points"] = json!(11);
    let response = app
        .call(
            reqwest::Method::POST,
            "/v1/recognition-programs/acc/rules/preview",
            Some(&staff.token),
        )
        .header("Accept", "text/csv")
        .json(&json!({"summit_id": summit_id, "rules": rules}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"]
        .to_str()
        .is_ok_and(|t| t.starts_with("text/csv")));
    let text = response.text().await.expect("csv");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "member_id,display_name,region,change,current_points,draft_points"
    );
    assert_eq!(lines[1], format!("{},Ben,europe,lost,10,10", ben.id));
    assert_eq!(lines.len(), 2);
}

#[tokio::test]
async fn a_preview_writes_nothing() {
    let app = TestApp::spawn().await;
    let (staff, summit_id, _) = four_members_at_a_summit(&app).await;
    let before = (
        count(&app.db, "program_rules").await,
        count(&app.db, "audit_log").await,
        count(&app.db, "passes").await,
    );
    let mut rules = current_rules(&app).await;
    rules["threshold_points"] = json!(11);
    let response = preview(&app, Some(&staff.token), &summit_id, &rules).await;
    assert_eq!(response.status(), StatusCode::OK);
    let after = (
        count(&app.db, "program_rules").await,
        count(&app.db, "audit_log").await,
        count(&app.db, "passes").await,
    );
    assert_eq!(before, after);
    assert_eq!(
        program(&app, "acc").await["rules"].as_array().map(Vec::len),
        Some(1)
    );
}

#[tokio::test]
async fn only_staff_preview_and_bad_drafts_name_every_field() {
    let app = TestApp::spawn().await;
    let (staff, summit_id, [ana, ..]) = four_members_at_a_summit(&app).await;
    let rules = current_rules(&app).await;
    assert_problem(
        preview(&app, None, &summit_id, &rules).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(
        preview(&app, Some(&ana.token), &summit_id, &rules).await,
        403,
        "forbidden",
    )
    .await;
    let response = app
        .post(
            "/v1/recognition-programs/nope/rules/preview",
            Some(&staff.token),
            &json!({"summit_id": summit_id, "rules": rules}),
        )
        .await;
    assert_problem(response, 404, "not_found").await;
    let bad = json!({"window_days": 0, "threshold_points": 10, "kinds": [{"kind": "juggling", "points": 2, "max_count": 1}]});
    let problem = assert_problem(
        preview(
            &app,
            Some(&staff.token),
            "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e50",
            &bad,
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        error_fields(&problem),
        ["rules.window_days", "rules.kinds[0].kind", "summit_id"]
    );
    // A summit that offers only aoc.
    let aoc_only = id_of(&summit(&app, &staff, json!([{"program": "aoc", "quota": 5}])).await);
    let problem = assert_problem(
        preview(&app, Some(&staff.token), &aoc_only, &rules).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "program_not_offered");
}
