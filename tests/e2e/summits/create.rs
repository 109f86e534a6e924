//! `POST /v1/summits`: staff create a summit, which keeps the rules versions it was created with.

use chrono::Duration;
use liaison_tests::{
    assert_problem, body, count, cutoff, error_fields, explanation, id_of, issue_passes,
    issued_members, organizer, programme_quota, summit, summit_request, Member, TestApp,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A summit request with `acc` (300 places) and `aoc` (100 places).
fn two_programme_summit() -> Value {
    summit_request(json!([{"program": "acc", "quota": 300}, {"program": "aoc", "quota": 100}]))
}

/// Publishes `acc` rules version 2 (threshold 40), asserting 201.
async fn publish_acc_v2(app: &TestApp, staff: &Member) {
    let published = app
        .post(
            "/v1/recognition-programs/acc/rules",
            Some(&staff.token),
            &json!({"window_days": 365, "threshold_points": 40,
                    "kinds": [{"kind": "event_organized", "points": 2, "max_count": 12}]}),
        )
        .await;
    assert_eq!(published.status(), StatusCode::CREATED);
    assert_eq!(body(published).await["current_version"], 2);
}

#[tokio::test]
async fn only_staff_create_summits() {
    let app = TestApp::spawn().await;
    let member = app.member("Mia Member").await;
    let request = two_programme_summit();
    assert_problem(
        app.post("/v1/summits", None, &request).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(
        app.post("/v1/summits", Some(&member.token), &request).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(count(&app.db, "summits").await, 0);
}

#[tokio::test]
async fn staff_create_a_summit_whose_programmes_take_the_newest_rules() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let response = app
        .post("/v1/summits", Some(&staff.token), &two_programme_summit())
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let created = body(response).await;
    let id = id_of(&created);
    assert_eq!(location, format!("/v1/summits/{id}"));
    assert_eq!(created["name"], "Summit 2027");
    assert_eq!(created["city"], "Lisbon");
    assert_eq!(created["eligibility_cutoff"], cutoff().to_string());
    assert_eq!(
        created["programs"],
        json!([
            {"program": "acc", "rules_version": 1, "quota": 300, "used": 0, "remaining": 300},
            {"program": "aoc", "rules_version": 1, "quota": 100, "used": 0, "remaining": 100},
        ]),
        "rules_version defaults to the newest"
    );
    assert_eq!(count(&app.db, "summit_programs").await, 2);
    assert_eq!(app.audited(&staff, "summit", "summit.created").await, 1);
}

#[tokio::test]
async fn an_invalid_summit_names_every_bad_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let cut = cutoff();
    let request = json!({"name": "Summit 2027", "city": "Lisbon", "starts_on": cut + Duration::days(10),
        "ends_on": cut + Duration::days(9), "eligibility_cutoff": cut,
        "programs": [{"program": "nope", "quota": 10}, {"program": "acc", "rules_version": 7, "quota": 10},
                     {"program": "aoc", "quota": -1}]});
    let problem = assert_problem(
        app.post("/v1/summits", Some(&staff.token), &request).await,
        422,
        "validation_failed",
    )
    .await;
    let mut fields = error_fields(&problem);
    fields.sort();
    assert_eq!(
        fields,
        [
            "ends_on",
            "programs[0].program",
            "programs[1].rules_version",
            "programs[2].quota"
        ],
        "{problem}"
    );
    let codes: Vec<&str> = problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["code"].as_str())
        .collect();
    assert!(codes.contains(&"unknown_program"), "{problem}");
    assert!(codes.contains(&"unknown_version"), "{problem}");

    let none = assert_problem(
        app.post(
            "/v1/summits",
            Some(&staff.token),
            &summit_request(json!([])),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&none), ["programs"]);

    let twice = assert_problem(
        app.post(
            "/v1/summits",
            Some(&staff.token),
            &summit_request(
                json!([{"program": "acc", "quota": 1}, {"program": "acc", "quota": 2}]),
            ),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&twice), ["programs[1].program"]);

    assert_eq!(count(&app.db, "summits").await, 0);
    assert_eq!(count(&app.db, "summit_programs").await, 0);
    let listed = body(app.get("/v1/summits", None).await).await;
    assert_eq!(listed["items"], json!([]));
}

#[tokio::test]
async fn a_summit_keeps_the_rules_version_it_was_created_with() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let olga = organizer(&app, "Olga Organizer", 200, 6).await; // 12 points under v1
    let before = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    let v1 = explanation(&app, &olga.token, &before, "me", "acc").await;
    assert_eq!(v1["rules_version"], 1);
    assert_eq!(v1["eligible"], true);
    publish_acc_v2(&app, &staff).await;
    // The same explanation, the same eligible list, the same quota view.
    assert_eq!(
        explanation(&app, &olga.token, &before, "me", "acc").await,
        v1
    );
    assert_eq!(
        programme_quota(&app, &before, "acc").await["rules_version"],
        1
    );
    let eligible = body(
        app.get(
            &format!("/v1/summits/{before}/eligibility?program=acc"),
            Some(&staff.token),
        )
        .await,
    )
    .await["items"]
        .clone();
    assert_eq!(eligible.as_array().map(Vec::len), Some(1), "{eligible}");
    assert_eq!(eligible[0]["member_id"], olga.id.to_string());
    let issued = issue_passes(
        &app,
        &staff.token,
        &before,
        "after-v2",
        &json!({"program": "acc"}),
    )
    .await;
    assert_eq!(issued_members(&issued), [olga.id.to_string()]);
}

#[tokio::test]
async fn a_summit_created_after_new_rules_uses_them_unless_it_pins_a_version() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let olga = organizer(&app, "Olga Organizer", 200, 6).await; // 12 points under v1
    publish_acc_v2(&app, &staff).await;
    let after = summit(&app, &staff, json!([{"program": "acc", "quota": 10}])).await;
    assert_eq!(after["programs"][0]["rules_version"], 2);
    let after = id_of(&after);
    let v2 = explanation(&app, &olga.token, &after, "me", "acc").await;
    assert_eq!(v2["rules_version"], 2);
    assert_eq!(v2["threshold_points"], 40);
    assert_eq!(v2["eligible"], false);
    assert_eq!(v2["points"], 12);
    assert_eq!(v2["points_missing"], 28);
    let none = body(
        app.get(
            &format!("/v1/summits/{after}/eligibility?program=acc"),
            Some(&staff.token),
        )
        .await,
    )
    .await["items"]
        .clone();
    assert_eq!(none, json!([]));
    let pinned = summit(
        &app,
        &staff,
        json!([{"program": "acc", "rules_version": 1, "quota": 10}]),
    )
    .await;
    assert_eq!(pinned["programs"][0]["rules_version"], 1);
    assert_eq!(
        explanation(&app, &olga.token, &id_of(&pinned), "me", "acc").await["eligible"],
        true
    );
}
