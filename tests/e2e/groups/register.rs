//! `POST /v1/groups`: a member registers a pending group and leads it.

use liaison_tests::{
    assert_problem, body, count, error_fields, group_request, id_of, organizers_of, TestApp,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::{listed, read_ok};

#[tokio::test]
async fn a_member_registers_a_pending_group_and_becomes_its_lead_organizer() {
    // Arrange
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let mut request = group_request("lyon-operators", "fr");
    request["name"] = json!(" Lyon Operators ");
    // Act
    let response = app.post("/v1/groups", Some(&ada.token), &request).await;
    // Assert
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let created = body(response).await;
    let id = id_of(&created);
    assert_eq!(location, format!("/v1/groups/{id}"));
    assert_eq!(created["status"], "pending");
    assert_eq!(created["slug"], "lyon-operators");
    assert_eq!(created["name"], "Lyon Operators");
    assert_eq!(created["country"], "FR");
    assert_eq!(
        created["region"], "europe",
        "the region follows the country"
    );
    assert_eq!(created["coc_accepted"], true);
    assert_eq!(created["links"], json!(["https://example.org/meetup"]));
    assert_eq!(created["status_reason"], Value::Null);
    // Read back by id and by slug, as its organizer.
    assert_eq!(read_ok(&app, Some(&ada.token), &id).await, created);
    assert_eq!(
        read_ok(&app, Some(&ada.token), "lyon-operators").await,
        created
    );
    assert_eq!(
        organizers_of(&app, Some(&ada.token), &id).await,
        [(ada.id.to_string(), "lead".to_owned())]
    );
    assert_eq!(count(&app.db, "groups").await, 1);
    assert_eq!(count(&app.db, "group_organizers").await, 1);
    assert_eq!(app.audited(&staff, "group", "group.registered").await, 1);
}

#[tokio::test]
async fn a_group_in_a_country_of_no_region_has_no_region() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let created = app.group(&ada, "sao-paulo-ops", "BR").await;
    assert_eq!(created["region"], Value::Null);
    assert_eq!(created["country"], "BR");
    assert_eq!(
        read_ok(&app, Some(&staff.token), &id_of(&created)).await["region"],
        Value::Null
    );
}

#[tokio::test]
async fn a_taken_group_slug_is_409_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let first = app.group(&ada, "lyon-operators", "FR").await;
    let audit_before = count(&app.db, "audit_log").await;
    let response = app
        .post(
            "/v1/groups",
            Some(&ben.token),
            &group_request("lyon-operators", "DE"),
        )
        .await;
    assert_problem(response, 409, "already_exists").await;
    assert_eq!(count(&app.db, "groups").await, 1);
    assert_eq!(count(&app.db, "group_organizers").await, 1);
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
    assert_eq!(
        read_ok(&app, Some(&staff.token), "lyon-operators").await,
        first
    );
}

#[tokio::test]
async fn an_invalid_registration_names_every_bad_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let audit_before = count(&app.db, "audit_log").await;
    let response = app
        .post(
            "/v1/groups",
            Some(&ada.token),
            &json!({
                "name": "Lyon Operators",
                "slug": "Lyon Operators!",
                "country": "ZZ",
                "city": "  ",
                "links": ["https://example.org/ok", "ftp://example.org/bad"],
                "coc_accepted": true,
            }),
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    let fields = error_fields(&problem);
    for field in ["slug", "country", "city", "links[1]"] {
        assert!(fields.contains(&field.to_owned()), "{field} in {problem}");
    }
    assert_eq!(fields.len(), 4, "only the bad fields: {problem}");
    // Slugs that break the pattern one way each.
    for slug in ["a", "-lyon", "lyon-", "lyon_ops", &"x".repeat(65)] {
        let response = app
            .post("/v1/groups", Some(&ada.token), &group_request(slug, "FR"))
            .await;
        let problem = assert_problem(response, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), ["slug"], "slug {slug:?}");
    }
    assert_eq!(count(&app.db, "groups").await, 0);
    assert_eq!(count(&app.db, "group_organizers").await, 0);
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
    assert_eq!(
        listed(&app, Some(&ada.token), "").await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn registering_a_group_needs_a_signed_in_member() {
    let app = TestApp::spawn().await;
    app.staff_with_two_regions().await;
    let response = app
        .post("/v1/groups", None, &group_request("lyon-operators", "FR"))
        .await;
    assert_problem(response, 401, "unauthenticated").await;
    let response = app
        .post(
            "/v1/groups",
            Some("not-a-token"),
            &group_request("lyon-operators", "FR"),
        )
        .await;
    assert_problem(response, 401, "unauthenticated").await;
    assert_eq!(count(&app.db, "groups").await, 0);
    assert_eq!(count(&app.db, "group_organizers").await, 0);
}

#[tokio::test]
async fn a_registration_retried_with_its_idempotency_key_registers_one_group() {
    let app = TestApp::spawn().await;
    app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let send = |request: Value| {
        let app = &app;
        let token = ada.token.clone();
        async move {
            app.call(Method::POST, "/v1/groups", Some(&token))
                .header("Idempotency-Key", "register-lyon-1")
                .json(&request)
                .send()
                .await
                .expect("request")
        }
    };
    let first = send(group_request("lyon-operators", "FR")).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first = body(first).await;
    let again = send(group_request("lyon-operators", "FR")).await;
    assert_eq!(
        again.status(),
        StatusCode::CREATED,
        "replayed, not a 409 on the slug"
    );
    assert_eq!(body(again).await, first);
    let other = send(group_request("paris-operators", "FR")).await;
    assert_problem(other, 409, "idempotency_key_reused").await;
    assert_eq!(count(&app.db, "groups").await, 1);
    assert_eq!(count(&app.db, "group_organizers").await, 1);
}
