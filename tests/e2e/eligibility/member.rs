//! `GET /v1/summits/{id}/eligibility/{member}`: one member's explanation.

use liaison_tests::{
    api_key, assert_problem, cutoff, error_fields, explanation, id_of, manual_pass, organizer,
    summit, verified_run, Member, TestApp,
};
use serde_json::{json, Value};
use uuid::Uuid;

use super::{before_cutoff, contribution, eve_on_the_edges};

/// One kind's line of an explanation.
fn kind_line<'a>(explained: &'a Value, kind: &str) -> &'a Value {
    explained["kinds"]
        .as_array()
        .expect("kinds")
        .iter()
        .find(|k| k["kind"] == kind)
        .unwrap_or_else(|| panic!("a line for {kind} in {explained}"))
}

/// Olga (12 points) and a summit with an `acc` quota of 10: `(staff, olga, summit id)`.
async fn olga_at_a_summit(app: &TestApp) -> (Member, Member, String) {
    let staff = app.staff().await;
    let olga = organizer(app, "Olga Organizer", 100, 6).await;
    let id = id_of(&summit(app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    (staff, olga, id)
}

#[tokio::test]
async fn an_explanation_counts_the_window_and_caps_the_most_recent() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let cut = cutoff();
    let (eve, id) = eve_on_the_edges(&app, &staff).await;
    let explained = explanation(&app, &eve.token, &id, "me", "acc").await;
    assert_eq!(explained["member_id"], eve.id.to_string());
    assert_eq!(explained["program"], "acc");
    assert_eq!(explained["rules_version"], 1);
    assert_eq!(explained["window_start"], before_cutoff(364).to_string());
    assert_eq!(explained["cutoff"], cut.to_string());
    assert_eq!(
        kind_line(&explained, "event_organized"),
        &json!({"kind": "event_organized", "verified": 2, "counted": 2, "capped": 0, "points_each": 2, "points": 4}),
        "cutoff − 365 and cutoff + 1 are out, cutoff − 364 and the cutoff are in"
    );
    assert_eq!(
        kind_line(&explained, "talk_given"),
        &json!({"kind": "talk_given", "verified": 6, "counted": 4, "capped": 2, "points_each": 3, "points": 12})
    );
    assert_eq!(kind_line(&explained, "documentation")["verified"], 0);
    assert_eq!(
        explained["pending"], 1,
        "only the pending claim in the window"
    );
    assert_eq!(explained["points"], 16);
    assert_eq!(explained["threshold_points"], 10);
    assert_eq!(explained["points_missing"], 0);
    assert_eq!(explained["eligible"], true);
    assert_eq!(explained["has_pass"], false);
    // The most recent talks count (−200, −150, −100, −50): with the day −364
    // event the running total reaches 10 on day −100 (the oldest would have
    // reached it on day −200).
    assert_eq!(explained["reached_on"], before_cutoff(100).to_string());
}

#[tokio::test]
async fn an_explanation_short_of_the_threshold_says_what_is_missing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    let dan = app.member("Dan Dabbler").await;
    verified_run(&app, dan.id, "event_organized", before_cutoff(20), 2).await;
    contribution(&app, dan.id, "mentoring", before_cutoff(3), "pending").await;
    let short = explanation(&app, &dan.token, &id, "me", "acc").await;
    assert_eq!(short["eligible"], false);
    assert_eq!(short["points"], 4);
    assert_eq!(short["points_missing"], 6);
    assert_eq!(short["pending"], 1);
    assert_eq!(short["reached_on"], Value::Null);
    let nobody = app.member("Nina Nothing").await;
    let empty = explanation(&app, &nobody.token, &id, "me", "acc").await;
    assert_eq!(empty["points"], 0);
    assert_eq!(empty["points_missing"], 10);
    assert!(empty["kinds"]
        .as_array()
        .expect("kinds")
        .iter()
        .all(|k| k["verified"] == 0 && k["points"] == 0));
}

#[tokio::test]
async fn an_explanation_says_when_the_member_holds_a_pass() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let (eve, id) = eve_on_the_edges(&app, &staff).await;
    assert_eq!(
        explanation(&app, &eve.token, &id, "me", "acc").await["has_pass"],
        false
    );
    manual_pass(&app, &staff, &id, eve.id).await;
    assert_eq!(
        explanation(&app, &eve.token, &id, "me", "acc").await["has_pass"],
        true
    );
}

#[tokio::test]
async fn only_the_member_staff_and_passes_read_keys_read_an_explanation() {
    let app = TestApp::spawn().await;
    let (staff, olga, id) = olga_at_a_summit(&app).await;
    let other = app.member("Nosy Neighbour").await;
    let reader = api_key(&app, &["passes:read"], &[]).await;
    let issuer = api_key(&app, &["passes:issue"], &[]).await;
    let path = format!("/v1/summits/{id}/eligibility/{}?program=acc", olga.id);
    assert_problem(app.get(&path, None).await, 401, "unauthenticated").await;
    assert_problem(
        app.get(
            &format!("/v1/summits/{id}/eligibility/me?program=acc"),
            None,
        )
        .await,
        401,
        "unauthenticated",
    )
    .await;
    // Someone else's eligibility is not theirs to see: as if it did not exist.
    assert_problem(app.get(&path, Some(&other.token)).await, 404, "not_found").await;
    assert_problem(app.get(&path, Some(&issuer)).await, 403, "forbidden").await;
    let own = explanation(&app, &olga.token, &id, "me", "acc").await;
    assert_eq!(own["points"], 12);
    let by_id = explanation(&app, &olga.token, &id, &olga.id.to_string(), "acc").await;
    assert_eq!(by_id, own);
    assert_eq!(
        explanation(&app, &staff.token, &id, &olga.id.to_string(), "acc").await,
        own
    );
    assert_eq!(
        explanation(&app, &reader, &id, &olga.id.to_string(), "acc").await,
        own
    );
}

#[tokio::test]
async fn the_explanation_of_an_unknown_member_or_at_an_unknown_summit_is_404() {
    let app = TestApp::spawn().await;
    let (staff, olga, id) = olga_at_a_summit(&app).await;
    assert_problem(
        app.get(
            &format!(
                "/v1/summits/{id}/eligibility/{}?program=acc",
                Uuid::now_v7()
            ),
            Some(&staff.token),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get(
            &format!("/v1/summits/{}/eligibility/me?program=acc", Uuid::now_v7()),
            Some(&olga.token),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn an_explanation_needs_a_programme_of_the_summit() {
    let app = TestApp::spawn().await;
    let (_, olga, id) = olga_at_a_summit(&app).await;
    for program in ["aoc", "nope"] {
        let problem = assert_problem(
            app.get(
                &format!("/v1/summits/{id}/eligibility/me?program={program}"),
                Some(&olga.token),
            )
            .await,
            400,
            "malformed_request",
        )
        .await;
        assert_eq!(error_fields(&problem), ["program"]);
    }
    assert_problem(
        app.get(
            &format!("/v1/summits/{id}/eligibility/me"),
            Some(&olga.token),
        )
        .await,
        400,
        "malformed_request",
    )
    .await;
}
