//! `GET /v1/summits/{id}/eligibility`: every eligible member in issuance order, JSON and CSV.

use chrono::Duration;
use liaison_tests::{
    api_key, assert_problem, body, cutoff, explanation, id_of, organizer, string_of, summit,
    Member, TestApp,
};
use reqwest::{Method, StatusCode};
use serde_json::json;
use uuid::Uuid;

use super::{before_cutoff, eve_on_the_edges};

/// Six organizers, five of them eligible, and a summit with an `acc` quota
/// of 10: the staff member, the eligible members' ids in issuance order
/// (points desc, then the day the threshold was reached, then member id),
/// and the summit's id.
async fn five_eligible_of_six(app: &TestApp) -> (Member, Vec<String>, String) {
    let staff = app.staff().await;
    let p = organizer(app, "Pia Plenty", 100, 8).await; // 16 points
    let q = organizer(app, "Quinn Quick", 200, 6).await; // 12, reached day −196
    let r = organizer(app, "Rita Recent", 50, 6).await; // 12, reached day −46
    let s1 = organizer(app, "Sam Same", 30, 5).await; // 10, reached day −26
    let s2 = organizer(app, "Sue Same", 30, 5).await; // 10, reached day −26
    let _u = organizer(app, "Uma Under", 30, 4).await; // 8: not eligible
    let (first, second) = if s1.id < s2.id {
        (&s1, &s2)
    } else {
        (&s2, &s1)
    };
    let expected: Vec<String> = [&p, &q, &r, first, second]
        .iter()
        .map(|m| m.id.to_string())
        .collect();
    let id = id_of(&summit(app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    (staff, expected, id)
}

#[tokio::test]
async fn the_eligible_list_agrees_with_the_explanation() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let (eve, id) = eve_on_the_edges(&app, &staff).await;
    let listed = body(
        app.get(
            &format!("/v1/summits/{id}/eligibility?program=acc"),
            Some(&staff.token),
        )
        .await,
    )
    .await["items"]
        .clone();
    assert_eq!(
        listed,
        json!([{"member_id": eve.id.to_string(), "display_name": "Eve Edge", "points": 16,
                "reached_on": before_cutoff(100).to_string(), "has_pass": false}])
    );
    let explained = explanation(&app, &eve.token, &id, "me", "acc").await;
    assert_eq!(listed[0]["points"], explained["points"]);
    assert_eq!(listed[0]["reached_on"], explained["reached_on"]);
}

#[tokio::test]
async fn staff_and_readers_list_every_eligible_member_in_issuance_order() {
    let app = TestApp::spawn().await;
    let (staff, expected, id) = five_eligible_of_six(&app).await;
    let reader = api_key(&app, &["passes:read"], &[]).await;
    let path = format!("/v1/summits/{id}/eligibility?program=acc");
    for token in [&staff.token, &reader] {
        let response = app.get(&path, Some(token)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let listed = body(response).await;
        let rows = listed["items"].as_array().expect("a page");
        let ids: Vec<String> = rows.iter().map(|e| string_of(&e["member_id"])).collect();
        assert_eq!(ids, expected);
        let points: Vec<i64> = rows
            .iter()
            .map(|e| e["points"].as_i64().expect("points"))
            .collect();
        assert_eq!(points, [16, 12, 12, 10, 10]);
        assert_eq!(
            rows[1]["reached_on"],
            (cutoff() - Duration::days(196)).to_string()
        );
        assert_eq!(
            rows[2]["reached_on"],
            (cutoff() - Duration::days(46)).to_string()
        );
        assert_eq!(rows[0]["display_name"], "Pia Plenty");
    }
}

#[tokio::test]
async fn the_eligible_list_pages_in_issuance_order_covering_each_member_once() {
    let app = TestApp::spawn().await;
    let (staff, expected, id) = five_eligible_of_six(&app).await;
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..5 {
        let after = cursor
            .as_ref()
            .map_or(String::new(), |c| format!("&cursor={c}"));
        let path = format!("/v1/summits/{id}/eligibility?program=acc&limit=2{after}");
        let page = body(app.get(&path, Some(&staff.token)).await).await;
        let items = page["items"].as_array().expect("a page");
        assert!(items.len() <= 2, "{page}");
        seen.extend(items.iter().map(|e| string_of(&e["member_id"])));
        cursor = page["next_cursor"].as_str().map(str::to_owned);
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(seen, expected);
    let bad = format!("/v1/summits/{id}/eligibility?program=acc&limit=0");
    assert_problem(
        app.get(&bad, Some(&staff.token)).await,
        400,
        "malformed_request",
    )
    .await;
}

#[tokio::test]
async fn the_eligible_list_exports_as_csv_in_issuance_order() {
    let app = TestApp::spawn().await;
    let (_, expected, id) = five_eligible_of_six(&app).await;
    let reader = api_key(&app, &["passes:read"], &[]).await;
    let path = format!("/v1/summits/{id}/eligibility?program=acc");
    let csv = app
        .call(Method::GET, &path, Some(&reader))
        .header("Accept", "text/csv")
        .send()
        .await
        .expect("csv");
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-type"]
        .to_str()
        .expect("content type")
        .starts_with("text/csv"));
    let text = csv.text().await.expect("csv text");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "member_id,display_name,points,reached_on,has_pass"
    );
    assert_eq!(lines.len(), 6, "{text}");
    for (line, member) in lines[1..].iter().zip(&expected) {
        assert!(line.starts_with(member.as_str()), "{line} for {member}");
    }
    assert!(lines[1].contains(",Pia Plenty,16,"), "{}", lines[1]);
}

#[tokio::test]
async fn only_staff_and_passes_read_keys_list_the_eligible_members() {
    let app = TestApp::spawn().await;
    let (_, _, id) = five_eligible_of_six(&app).await;
    let issuer = api_key(&app, &["passes:issue"], &[]).await;
    let path = format!("/v1/summits/{id}/eligibility?program=acc");
    let member = app.member("Mia Member").await;
    assert_problem(app.get(&path, None).await, 401, "unauthenticated").await;
    assert_problem(app.get(&path, Some(&member.token)).await, 403, "forbidden").await;
    assert_problem(app.get(&path, Some(&issuer)).await, 403, "forbidden").await;
}

#[tokio::test]
async fn the_eligible_list_needs_a_programme_of_a_known_summit() {
    let app = TestApp::spawn().await;
    let (staff, _, id) = five_eligible_of_six(&app).await;
    assert_problem(
        app.get(
            &format!("/v1/summits/{id}/eligibility?program=aoc"),
            Some(&staff.token),
        )
        .await,
        400,
        "malformed_request",
    )
    .await;
    assert_problem(
        app.get(
            &format!("/v1/summits/{}/eligibility?program=acc", Uuid::now_v7()),
            Some(&staff.token),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}
