//! The entries that changes write (who, which request, what), and that failures write none.

use liaison_tests::{
    assert_problem, change_group_status, count, id_of, region_request, Member, TestApp,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::{actions, create_region, entries, request_id};

#[tokio::test]
async fn creating_a_region_records_who_did_it_in_which_request() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let (europe, request) = create_region(&app, &staff, "europe", "FR").await;
    let region_id = europe["id"].as_str().expect("id");
    let found = entries(
        &app,
        &staff,
        &format!("entity_type=region&entity_id={region_id}"),
    )
    .await;
    assert_eq!(found.len(), 1, "{found:?}");
    let entry = &found[0];
    assert_eq!(entry["action"], "region.created");
    assert_eq!(entry["actor_type"], "member");
    assert_eq!(entry["actor_id"], staff.id.to_string());
    assert_eq!(entry["entity_type"], "region");
    assert_eq!(entry["entity_id"], region_id);
    assert_eq!(entry["request_id"], request.as_str());
    assert_eq!(entry["summary"]["slug"], "europe");
    assert_eq!(entry["summary"]["countries"], json!(["FR"]));
    assert!(entry["occurred_at"].is_string() && entry["id"].is_string());
}

#[tokio::test]
async fn a_client_request_id_is_the_one_recorded() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let response = app
        .call(Method::POST, "/v1/regions", Some(&staff.token))
        .header("X-Request-Id", "import-run-42")
        .json(&region_request("europe", &["FR"]))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(request_id(&response), "import-run-42");
    let found = entries(&app, &staff, "entity_type=region").await;
    assert_eq!(found[0]["request_id"], "import-run-42");
}

#[tokio::test]
async fn changing_roles_records_the_change_with_its_request_id() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ada = app.member("Ada").await;
    let response = app
        .send_json(
            Method::PUT,
            &format!("/v1/members/{}/roles", ada.id),
            Some(&admin.token),
            &json!({"roles": ["staff"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let request = request_id(&response);
    let found = entries(
        &app,
        &admin,
        &format!("entity_type=member&entity_id={}&actor={}", ada.id, admin.id),
    )
    .await;
    assert_eq!(actions(&found), ["member.roles_changed"]);
    let entry = &found[0];
    assert_eq!(entry["actor_type"], "member");
    assert_eq!(entry["actor_id"], admin.id.to_string());
    assert_eq!(entry["entity_type"], "member");
    assert_eq!(entry["entity_id"], ada.id.to_string());
    assert_eq!(entry["request_id"], request.as_str());
    assert_eq!(entry["summary"], json!({"from": [], "to": ["staff"]}));
}

#[tokio::test]
async fn failed_requests_write_no_audit_entry() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let staff = app.staff().await;
    let ada = app.member("Ada").await;
    create_region(&app, &staff, "europe", "FR").await;
    let before = count(&app.db, "audit_log").await;
    let latest = entries(&app, &admin, "limit=1").await;

    // 422: invalid region.
    let response = app
        .post(
            "/v1/regions",
            Some(&staff.token),
            &region_request("Bad Slug", &["XX"]),
        )
        .await;
    assert_problem(response, 422, "validation_failed").await;
    // 409: taken slug, taken country.
    let response = app
        .post(
            "/v1/regions",
            Some(&staff.token),
            &region_request("europe", &["DE"]),
        )
        .await;
    assert_problem(response, 409, "already_exists").await;
    let response = app
        .post(
            "/v1/regions",
            Some(&staff.token),
            &region_request("west", &["FR"]),
        )
        .await;
    assert_problem(response, 409, "country_taken").await;
    // 403: a member creating a region.
    let response = app
        .post(
            "/v1/regions",
            Some(&ada.token),
            &region_request("asia", &["JP"]),
        )
        .await;
    assert_problem(response, 403, "forbidden").await;
    // 422 and 409 on roles.
    let roles = |who: &Member| format!("/v1/members/{}/roles", who.id);
    let response = app
        .send_json(
            Method::PUT,
            &roles(&ada),
            Some(&admin.token),
            &json!({"roles": ["root"]}),
        )
        .await;
    assert_problem(response, 422, "validation_failed").await;
    let response = app
        .send_json(
            Method::PUT,
            &roles(&admin),
            Some(&admin.token),
            &json!({"roles": []}),
        )
        .await;
    assert_problem(response, 409, "last_admin").await;
    // 422 on the profile; 412 on a region.
    let response = app
        .send_json(
            Method::PATCH,
            "/v1/me",
            Some(&ada.token),
            &json!({"country": "XX"}),
        )
        .await;
    assert_problem(response, 422, "validation_failed").await;
    let response = app
        .call(Method::PATCH, "/v1/regions/europe", Some(&staff.token))
        .header("If-Match", "\"stale\"")
        .json(&json!({"ambassador_seats": 1}))
        .send()
        .await
        .expect("request");
    assert_problem(response, 412, "precondition_failed").await;
    // 422 on a service account.
    let response = app
        .post(
            "/v1/service-accounts",
            Some(&admin.token),
            &json!({"name": "x", "scopes": ["nope"]}),
        )
        .await;
    assert_problem(response, 422, "validation_failed").await;

    assert_eq!(count(&app.db, "audit_log").await, before);
    assert_eq!(entries(&app, &admin, "limit=1").await, latest);
}

#[tokio::test]
async fn registering_reviewing_and_changing_status_are_audited_with_their_actor() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    let group = app.group(&ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    app.approve(&marie, &id).await;
    app.add_co_organizer(&ada, &id, &ben).await;
    for days_ago in [10, 20, 30] {
        app.held_event(&ada, &id, days_ago).await;
    }
    let response = change_group_status(&app, Some(&marie.token), &id, "official", "Ready.").await;
    assert_eq!(response.status(), StatusCode::OK);
    let entries = app.audit_entries(&staff, "group").await;
    let entry = |action: &str| -> Value {
        entries
            .iter()
            .find(|e| e["action"] == action && e["entity_id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("an entry {action} in {entries:?}"))
    };
    let registered = entry("group.registered");
    assert_eq!(registered["actor_id"], ada.id.to_string());
    assert_eq!(registered["summary"]["slug"], "lyon-operators");
    assert_eq!(registered["summary"]["region"], "europe");
    let reviewed = entry("group.reviewed");
    assert_eq!(reviewed["actor_id"], marie.id.to_string());
    assert_eq!(reviewed["summary"]["to"], "provisional");
    let promoted = entry("group.status_changed");
    assert_eq!(promoted["actor_id"], marie.id.to_string());
    assert_eq!(promoted["summary"]["to"], "official");
    assert_eq!(promoted["summary"]["reason"], "Ready.");
    assert!(entry("group.organizer_added")["summary"]["member_id"] == ben.id.to_string());
}
