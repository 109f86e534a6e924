//! `GET /v1/ambassadors/{id}/reports/draft?period=`: the quarter's figures of the region.

use liaison_tests::{
    assert_problem, body, claim, claim_request, exec, id_of, manual_pass, summit, TestApp,
};
use reqwest::StatusCode;
use serde_json::json;

/// Everything the draft counts, placed in 2026-Q3 for `europe` (FR, DE),
/// with one of each just outside: the quarter before, the quarter after,
/// or another region.
#[tokio::test]
async fn the_draft_fills_the_quarter_from_data() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (ana, ambassadorship) = app.ambassador(&staff, "Ana", "europe").await;
    let ambassadorship = id_of(&ambassadorship);
    let owner = app.member("Owner").await;
    let lyon = app.approved_group(&staff, &owner, "lyon-ops", "FR").await;
    let berlin = app.approved_group(&staff, &owner, "berlin-ops", "DE").await;
    let tokyo = app.approved_group(&staff, &owner, "tokyo-ops", "JP").await;
    exec(&app.db, &format!(
        "UPDATE groups SET created_at = '2026-08-01T10:00:00Z' WHERE id IN ('{lyon}', '{tokyo}');
         UPDATE groups SET created_at = '2026-06-30T23:59:59Z' WHERE id = '{berlin}';
         UPDATE groups SET status = 'official', official_at = '2026-09-10T10:00:00Z' WHERE id = '{lyon}';
         UPDATE groups SET status = 'official', official_at = '2026-10-01T00:00:00Z' WHERE id = '{berlin}';"
    ))
    .await;
    // Held events: two in the quarter, one on the first instant of the next, one in Asia.
    let mut events = Vec::new();
    for (group, attendance) in [(&lyon, 40), (&berlin, 100), (&lyon, 7), (&tokyo, 500)] {
        events.push(id_of(
            &app.group_event(&owner, group, -1, "held", Some(attendance))
                .await,
        ));
    }
    for (event, at) in events.iter().zip([
        "2026-07-01T00:00:00Z",
        "2026-09-30T23:00:00Z",
        "2026-10-01T00:00:00Z",
        "2026-08-01T00:00:00Z",
    ]) {
        exec(&app.db, &format!(
            "UPDATE events SET starts_at = '{at}', ends_at = '{at}'::timestamptz + interval '2 hours' WHERE id = '{event}'"
        ))
        .await;
    }
    // Feedback by French members: two filed in Q3 (one triaged in Q3, one voted twice), one in Q2.
    let voted = app.feedback(&owner, "Live migration fails with NUMA").await;
    let triaged = app.feedback(&owner, "Dashboard login loops forever").await;
    let earlier = app.feedback(&owner, "Volumes stuck in detaching").await;
    for voter in ["Vic", "Val"] {
        let voter = app.member(voter).await;
        assert_eq!(
            app.vote(&voter, &id_of(&voted)).await.status(),
            StatusCode::OK
        );
    }
    let response = app
        .triage(&ana, &id_of(&triaged), json!({"status": "triaged"}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    exec(
        &app.db,
        &format!(
            "UPDATE feedback SET created_at = '2026-08-15T00:00:00Z' WHERE id IN ('{}', '{}');
         UPDATE feedback SET created_at = '2026-06-15T00:00:00Z' WHERE id = '{}';
         UPDATE feedback_history SET changed_at = '2026-09-01T00:00:00Z';",
            id_of(&voted),
            id_of(&triaged),
            id_of(&earlier)
        ),
    )
    .await;
    // A claim verified in Q3, and a pass issued in Q3, both of the French owner.
    let claimed = claim(&app, &owner, &claim_request("talk_given")).await;
    let response = app
        .post(
            &format!("/v1/contributions/{}/verification", id_of(&claimed)),
            Some(&staff.token),
            &json!({"decision": "verified", "note": "Seen it"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let summit_id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 5}])).await);
    let pass = manual_pass(&app, &staff, &summit_id, owner.id).await;
    exec(
        &app.db,
        &format!(
            "UPDATE contributions SET decided_at = '2026-07-20T00:00:00Z' WHERE id = '{}';
         UPDATE passes SET issued_at = '2026-09-20T00:00:00Z' WHERE id = '{}';",
            id_of(&claimed),
            id_of(&pass)
        ),
    )
    .await;

    let response = app
        .get(
            &format!("/v1/ambassadors/{ambassadorship}/reports/draft?period=2026-Q3"),
            Some(&ana.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let draft = body(response).await;
    assert_eq!(draft["period"], "2026-Q3");
    assert_eq!(draft["region"], "europe");
    assert_eq!(draft["starts_at"], "2026-07-01T00:00:00Z");
    assert_eq!(draft["ends_at"], "2026-10-01T00:00:00Z");
    assert_eq!(draft["report_id"], json!(null));
    let m = &draft["metrics"];
    assert_eq!(m["events_held"], 2, "{m}");
    assert_eq!(m["attendance"], 140);
    assert_eq!(
        m["new_groups"], 1,
        "Lyon; Berlin was the quarter before, Tokyo is in Asia"
    );
    assert_eq!(
        m["groups_made_official"], 1,
        "Lyon; Berlin on the next quarter's first instant"
    );
    assert_eq!(m["feedback_submitted"], 2);
    assert_eq!(m["feedback_triaged"], 1);
    assert_eq!(m["contributions_verified"], 1);
    assert_eq!(m["passes_issued"], 1);
    let largest: Vec<i64> = m["largest_events"]
        .as_array()
        .expect("largest events")
        .iter()
        .map(|e| e["attendee_count"].as_i64().expect("attendance"))
        .collect();
    assert_eq!(largest, [100, 40]);
    assert_eq!(m["most_voted_feedback"][0]["id"], voted["id"]);
    assert_eq!(m["most_voted_feedback"][0]["votes"], 2);

    // Staff read it too; the quarter after holds the third event.
    let response = app
        .get(
            &format!("/v1/ambassadors/{ambassadorship}/reports/draft?period=2026-Q4"),
            Some(&staff.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let q4 = body(response).await;
    assert_eq!(q4["metrics"]["events_held"], 1);
    assert_eq!(q4["metrics"]["groups_made_official"], 1);
}

#[tokio::test]
async fn only_the_ambassador_and_staff_draft() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (_, ambassadorship) = app.ambassador(&staff, "Ana", "europe").await;
    let (ben, _) = app.ambassador(&staff, "Ben", "europe").await;
    let path = format!(
        "/v1/ambassadors/{}/reports/draft?period=2026-Q3",
        id_of(&ambassadorship)
    );
    assert_problem(app.get(&path, None).await, 401, "unauthenticated").await;
    assert_problem(app.get(&path, Some(&ben.token)).await, 403, "forbidden").await;
    let missing = "/v1/ambassadors/0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e30/reports/draft";
    assert_problem(app.get(missing, Some(&staff.token)).await, 404, "not_found").await;
}

#[tokio::test]
async fn a_malformed_or_future_period_is_refused() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (ana, ambassadorship) = app.ambassador(&staff, "Ana", "europe").await;
    let base = format!("/v1/ambassadors/{}/reports/draft", id_of(&ambassadorship));
    for (period, code) in [
        ("2026-Q5", "invalid_period"),
        ("2026Q3", "invalid_period"),
        ("2999-Q1", "future_period"),
    ] {
        let problem = assert_problem(
            app.get(&format!("{base}?period={period}"), Some(&ana.token))
                .await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], "period", "{period}");
        assert_eq!(problem["errors"][0]["code"], code, "{period}");
    }
    // Without a period, the previous quarter.
    let response = app.get(&base, Some(&ana.token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(body(response).await["period"]
        .as_str()
        .is_some_and(|p| p.len() == 7));
}

/// Found by schemathesis: `[0-9]{4}-Q[1-4]` let `0069-Q1` through, and
/// quarters start in 1970; the document now names the `Quarter` it parses.
#[tokio::test]
async fn a_quarter_before_1970_is_invalid_as_the_document_says() {
    let doc = liaison_tests::document();
    for (method, path, name) in [
        ("get", "/v1/ambassadors/{id}/reports/draft", "period"),
        ("get", "/v1/ambassadors/{id}/reports/{period}", "period"),
    ] {
        let op = liaison_tests::operation(&doc, method, path);
        let schema = liaison_tests::parameter_schema(&doc, op, name);
        assert_eq!(
            schema["pattern"],
            liaison_api::openapi_values::QUARTER_PATTERN,
            "{path}"
        );
    }
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (ana, ambassadorship) = app.ambassador(&staff, "Ana", "europe").await;
    let base = format!("/v1/ambassadors/{}/reports/draft", id_of(&ambassadorship));
    for period in ["0069-Q1", "1969-Q4"] {
        let response = app
            .get(&format!("{base}?period={period}"), Some(&ana.token))
            .await;
        let problem = assert_problem(response, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["code"], "invalid_period", "{period}");
    }
}
