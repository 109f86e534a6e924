//! User groups: a member registers one (pending, visible only to its
//! organizers, its region's ambassadors and staff); an ambassador of the
//! region or staff reviews it; promotion to official checks its data; its
//! organizers edit it and manage each other; health, the attention list, the
//! group list (JSON and CSV), the public directory and the volunteer search.

use liaison_tests::{
    assert_problem, body, count, error_fields, group_request, id_of, Member, TestApp,
};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

/// Staff and two regions: `europe` (FR, DE) and `asia` (JP).
async fn setup(app: &TestApp) -> Member {
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR", "DE"], 5).await;
    app.region(&staff, "asia", &["JP"], 5).await;
    staff
}

/// A group registered by `owner` and approved by `reviewer`: provisional.
async fn provisional(
    app: &TestApp,
    reviewer: &Member,
    owner: &Member,
    slug: &str,
    country: &str,
) -> Value {
    let group = app.group(owner, slug, country).await;
    app.approve(reviewer, &id_of(&group)).await
}

/// `GET /v1/groups/{id_or_slug}`.
async fn read(app: &TestApp, token: Option<&str>, id_or_slug: &str) -> Response {
    app.get(&format!("/v1/groups/{id_or_slug}"), token).await
}

/// A group as `token` reads it, asserting 200.
async fn read_ok(app: &TestApp, token: Option<&str>, id_or_slug: &str) -> Value {
    let response = read(app, token, id_or_slug).await;
    assert_eq!(response.status(), StatusCode::OK, "read {id_or_slug}");
    body(response).await
}

/// `POST /v1/groups/{id}/review`.
async fn review(
    app: &TestApp,
    token: Option<&str>,
    id: &str,
    decision: &str,
    reason: Option<&str>,
) -> Response {
    let mut request = json!({ "decision": decision });
    if let Some(reason) = reason {
        request["reason"] = json!(reason);
    }
    app.post(&format!("/v1/groups/{id}/review"), token, &request)
        .await
}

/// `POST /v1/groups/{id}/status`.
async fn change_status(
    app: &TestApp,
    token: Option<&str>,
    id: &str,
    status: &str,
    reason: &str,
) -> Response {
    app.post(
        &format!("/v1/groups/{id}/status"),
        token,
        &json!({"status": status, "reason": reason}),
    )
    .await
}

/// `PATCH /v1/groups/{id}` with an optional `If-Match`.
async fn patch(
    app: &TestApp,
    token: Option<&str>,
    id: &str,
    if_match: Option<&str>,
    changes: &Value,
) -> Response {
    let mut request = app.call(Method::PATCH, &format!("/v1/groups/{id}"), token);
    if let Some(tag) = if_match {
        request = request.header("If-Match", tag);
    }
    request.json(changes).send().await.expect("request")
}

/// `DELETE /v1/groups/{id}/organizers/{member_id}`.
async fn remove(app: &TestApp, token: Option<&str>, id: &str, member: Uuid) -> Response {
    app.call(
        Method::DELETE,
        &format!("/v1/groups/{id}/organizers/{member}"),
        token,
    )
    .send()
    .await
    .expect("request")
}

/// The organizers of a group as `(member_id, role)`, asserting 200.
async fn organizers(app: &TestApp, token: Option<&str>, id: &str) -> Vec<(String, String)> {
    let response = app.get(&format!("/v1/groups/{id}/organizers"), token).await;
    assert_eq!(response.status(), StatusCode::OK, "list organizers");
    body(response)
        .await
        .as_array()
        .expect("an array of organizers")
        .iter()
        .map(|o| {
            (
                o["member_id"].as_str().expect("member_id").to_owned(),
                o["role"].as_str().expect("role").to_owned(),
            )
        })
        .collect()
}

/// A group's health as `token` reads it, asserting 200.
async fn health(app: &TestApp, token: Option<&str>, id: &str) -> Value {
    let response = app.get(&format!("/v1/groups/{id}/health"), token).await;
    assert_eq!(response.status(), StatusCode::OK, "read health");
    body(response).await
}

/// The slugs of the `items` of a list (or of a bare array).
fn slugs_of(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .or_else(|| list.as_array())
        .expect("items")
        .iter()
        .map(|g| g["slug"].as_str().expect("slug").to_owned())
        .collect()
}

/// The slugs `GET /v1/groups{query}` lists for `token`, asserting 200.
async fn listed(app: &TestApp, token: Option<&str>, query: &str) -> Vec<String> {
    let response = app.get(&format!("/v1/groups{query}"), token).await;
    assert_eq!(response.status(), StatusCode::OK, "list {query}");
    slugs_of(&body(response).await)
}

/// The `ETag` header of a response.
fn etag(response: &Response) -> String {
    response.headers()["etag"]
        .to_str()
        .expect("ETag header")
        .to_owned()
}

/// The `flags` of a health document.
fn flags(health: &Value) -> Vec<String> {
    health["flags"]
        .as_array()
        .expect("flags")
        .iter()
        .map(|f| f.as_str().expect("flag").to_owned())
        .collect()
}

/// The `(field, code)` pairs of a problem's `errors`.
fn error_codes(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["field"].as_str().expect("field").to_owned(),
                e["code"].as_str().expect("code").to_owned(),
            )
        })
        .collect()
}

/// The message of the error on `field`.
fn message_of(problem: &Value, field: &str) -> String {
    problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .find(|e| e["field"] == field)
        .and_then(|e| e["message"].as_str())
        .unwrap_or_else(|| panic!("an error on {field} in {problem}"))
        .to_owned()
}

/// Sets a member's profile with `PATCH /v1/me`, asserting 200.
async fn set_profile(app: &TestApp, member: &Member, profile: &Value) {
    let response = app
        .send_json(Method::PATCH, "/v1/me", Some(&member.token), profile)
        .await;
    assert_eq!(response.status(), StatusCode::OK, "set profile {profile}");
}

#[tokio::test]
async fn private_organizers_are_listed_only_to_themselves_and_staff() {
    // Arrange
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let ada = app.member("Ada").await;
    let pia = app.member("Pia Private").await;
    set_profile(&app, &pia, &json!({"profile_public": false})).await;
    let lyon = provisional(&app, &staff, &ada, "lyon-ops", "FR").await;
    let path = format!("/v1/groups/{}/organizers", id_of(&lyon));
    app.add_co_organizer(&ada, &id_of(&lyon), &pia).await;
    let listed = |token: Option<String>| {
        let path = path.clone();
        let app = &app;
        async move {
            let response = app.get(&path, token.as_deref()).await;
            assert_eq!(response.status(), StatusCode::OK);
            let organizers = body(response).await;
            let mut ids: Vec<String> = organizers
                .as_array()
                .expect("organizers")
                .iter()
                .map(|o| o["member_id"].as_str().expect("member_id").to_owned())
                .collect();
            ids.sort();
            ids
        }
    };
    let mut both = vec![ada.id.to_string(), pia.id.to_string()];
    both.sort();
    // Act and assert
    assert_eq!(listed(None).await, [ada.id.to_string()], "anonymous");
    assert_eq!(
        listed(Some(ada.token.clone())).await,
        [ada.id.to_string()],
        "another organizer"
    );
    assert_eq!(listed(Some(pia.token.clone())).await, both, "herself");
    assert_eq!(listed(Some(staff.token.clone())).await, both, "staff");
}

// ---------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_member_registers_a_pending_group_and_becomes_its_lead_organizer() {
    // Arrange
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
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
        organizers(&app, Some(&ada.token), &id).await,
        [(ada.id.to_string(), "lead".to_owned())]
    );
    assert_eq!(count(&app.db, "groups").await, 1);
    assert_eq!(count(&app.db, "group_organizers").await, 1);
    assert_eq!(app.audited(&staff, "group", "group.registered").await, 1);
}

#[tokio::test]
async fn a_group_in_a_country_of_no_region_has_no_region() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
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
async fn a_taken_slug_is_409_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
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
    setup(&app).await;
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
    setup(&app).await;
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
    setup(&app).await;
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

/// `PATCH /v1/regions/{slug}` by staff with new countries, asserting 200.
async fn redraw(app: &TestApp, staff: &Member, slug: &str, countries: &[&str]) {
    let response = app
        .send_json(
            Method::PATCH,
            &format!("/v1/regions/{slug}"),
            Some(&staff.token),
            &json!({ "countries": countries }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "redraw {slug}");
}

// domain.md "Regions": "A group's and a member's region follow from their
// country." The two tests below fail today: `groups.region_id` is copied
// from `region_countries` when the group is registered or its country is
// edited, and nothing updates it when staff create a region or change a
// region's countries.

#[tokio::test]
async fn a_group_joins_the_region_its_country_is_later_added_to() {
    // Arrange: a pending group in BR, which is in no region yet.
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let rio = app.group(&ada, "rio-ops", "BR").await;
    assert_eq!(rio["region"], Value::Null);
    // Act: staff create a region holding BR, and give it an ambassador.
    app.region(&staff, "americas", &["BR"], 3).await;
    let (luiza, _) = app.ambassador(&staff, "Luiza", "americas").await;
    // Assert: the group is in americas, and americas' ambassador reviews it.
    assert_eq!(
        read_ok(&app, Some(&staff.token), "rio-ops").await["region"],
        "americas",
        "a BR group belongs to the region that now holds BR"
    );
    assert_eq!(
        listed(&app, Some(&staff.token), "?region=americas").await,
        ["rio-ops"]
    );
    let response = review(&app, Some(&luiza.token), &id_of(&rio), "approve", None).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "the region's ambassador reviews it"
    );
}

#[tokio::test]
async fn a_group_leaves_a_region_its_country_is_removed_from() {
    // Arrange: a public group in DE, in europe.
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let berlin = provisional(&app, &staff, &ada, "berlin-ops", "DE").await;
    assert_eq!(berlin["region"], "europe");
    // Act: DE leaves europe and joins a new region.
    redraw(&app, &staff, "europe", &["FR"]).await;
    app.region(&staff, "central", &["DE"], 3).await;
    // Assert
    assert_eq!(
        read_ok(&app, None, "berlin-ops").await["region"],
        "central",
        "a DE group belongs to the region that now holds DE"
    );
    assert_eq!(
        listed(&app, None, "?region=europe").await,
        Vec::<String>::new()
    );
    let response = app
        .get("/v1/regions/central/groups/attention", Some(&staff.token))
        .await;
    assert_eq!(slugs_of(&body(response).await), ["berlin-ops"]);
}

// ---------------------------------------------------------------------------
// Visibility of pending groups
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_pending_group_is_404_for_anonymous_other_members_and_other_regions_ambassadors() {
    // Arrange
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let eve = app.member("Eve").await;
    let (kenji, _) = app.ambassador(&staff, "Kenji", "asia").await;
    let group = app.group(&ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    // Act / Assert
    for (who, token) in [
        ("anonymous", None),
        ("another member", Some(eve.token.as_str())),
        (
            "an ambassador of another region",
            Some(kenji.token.as_str()),
        ),
    ] {
        for path in [
            format!("/v1/groups/{id}"),
            "/v1/groups/lyon-operators".to_owned(),
            format!("/v1/groups/{id}/health"),
            format!("/v1/groups/{id}/organizers"),
            format!("/v1/groups/{id}/events"),
        ] {
            let response = app.get(&path, token).await;
            assert_problem(response, 404, "not_found").await;
        }
        assert_eq!(
            listed(&app, token, "").await,
            Vec::<String>::new(),
            "{who} does not list it"
        );
    }
}

#[tokio::test]
async fn a_pending_group_is_seen_by_its_organizers_its_regions_ambassadors_and_staff() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    let group = app.group(&ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    // Another region's pending group, which only staff and its organizer see.
    let tokyo = app.group(&ada, "tokyo-operators", "JP").await;
    assert_eq!(
        listed(&app, Some(&marie.token), "").await,
        ["lyon-operators"]
    );
    assert_problem(
        read(&app, Some(&marie.token), &id_of(&tokyo)).await,
        404,
        "not_found",
    )
    .await;
    for (who, member) in [
        ("organizer", &ada),
        ("ambassador", &marie),
        ("staff", &staff),
    ] {
        let token = Some(member.token.as_str());
        assert_eq!(read_ok(&app, token, &id).await, group, "{who} by id");
        assert_eq!(
            read_ok(&app, token, "lyon-operators").await,
            group,
            "{who} by slug"
        );
        assert_eq!(health(&app, token, &id).await["organizers"], 1, "{who}");
        assert_eq!(organizers(&app, token, &id).await.len(), 1, "{who}");
        let response = app.get(&format!("/v1/groups/{id}/events"), token).await;
        assert_eq!(response.status(), StatusCode::OK, "{who} reads events");
        assert_eq!(body(response).await["items"], json!([]));
        let expected: &[&str] = if who == "ambassador" {
            &["lyon-operators"]
        } else {
            &["lyon-operators", "tokyo-operators"]
        };
        assert_eq!(listed(&app, token, "").await, expected, "{who} lists it");
    }
}

#[tokio::test]
async fn an_unknown_group_is_404_by_slug_or_id_even_to_staff() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    assert_problem(
        read(&app, Some(&staff.token), "no-such-group").await,
        404,
        "not_found",
    )
    .await;
    let unknown = Uuid::new_v4().to_string();
    assert_problem(
        read(&app, Some(&staff.token), &unknown).await,
        404,
        "not_found",
    )
    .await;
}

// ---------------------------------------------------------------------------
// Review
// ---------------------------------------------------------------------------

#[tokio::test]
async fn an_ambassador_of_the_region_approves_a_pending_group_without_a_reason() {
    // Arrange
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    let group = app.group(&ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    // Act
    let response = review(&app, Some(&marie.token), &id, "approve", None).await;
    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let approved = body(response).await;
    assert_eq!(approved["status"], "provisional");
    assert_eq!(approved["status_reason"], Value::Null);
    // Now public: anyone reads and lists it.
    assert_eq!(read_ok(&app, None, &id).await, approved);
    assert_eq!(listed(&app, None, "").await, ["lyon-operators"]);
    assert_eq!(app.audited(&staff, "group", "group.reviewed").await, 1);
    let entry = app
        .audit_entries(&staff, "group")
        .await
        .into_iter()
        .find(|e| e["action"] == "group.reviewed")
        .expect("a review entry");
    assert_eq!(entry["entity_id"], id);
    assert_eq!(entry["actor_id"], marie.id.to_string());
}

/// Staff, Ada's pending group in FR and Marie, an ambassador of `europe`:
/// `(staff, ada, marie, group)`.
async fn a_pending_group_and_its_ambassador(app: &TestApp) -> (Member, Member, Member, Value) {
    let staff = setup(app).await;
    let ada = app.member("Ada").await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    let group = app.group(&ada, "lyon-operators", "FR").await;
    (staff, ada, marie, group)
}

/// Marie rejects the group with a reason, asserting 200; returns it.
async fn reject_with_a_reason(app: &TestApp, marie: &Member, id: &str) -> Value {
    let response = review(
        app,
        Some(&marie.token),
        id,
        "reject",
        Some("Please join the Lyon group that already exists."),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    body(response).await
}

#[tokio::test]
async fn a_rejection_without_a_reason_is_422_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let (_, ada, marie, group) = a_pending_group_and_its_ambassador(&app).await;
    let id = id_of(&group);
    let audit_before = count(&app.db, "audit_log").await;
    for reason in [None, Some(""), Some("   ")] {
        let response = review(&app, Some(&marie.token), &id, "reject", reason).await;
        let problem = assert_problem(response, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), ["reason"], "reason {reason:?}");
    }
    assert_eq!(
        read_ok(&app, Some(&ada.token), &id).await,
        group,
        "still pending"
    );
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
}

#[tokio::test]
async fn a_rejected_group_is_hidden_from_the_public_but_not_from_its_organizer() {
    let app = TestApp::spawn().await;
    let (_, ada, marie, group) = a_pending_group_and_its_ambassador(&app).await;
    let id = id_of(&group);
    let rejected = reject_with_a_reason(&app, &marie, &id).await;
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(
        rejected["status_reason"],
        "Please join the Lyon group that already exists."
    );
    assert_problem(read(&app, None, &id).await, 404, "not_found").await;
    assert_eq!(read_ok(&app, Some(&ada.token), &id).await, rejected);
}

#[tokio::test]
async fn a_rejected_group_is_not_reviewed_again() {
    let app = TestApp::spawn().await;
    let (_, ada, marie, group) = a_pending_group_and_its_ambassador(&app).await;
    let id = id_of(&group);
    reject_with_a_reason(&app, &marie, &id).await;
    let response = review(&app, Some(&marie.token), &id, "approve", None).await;
    assert_problem(response, 409, "invalid_transition").await;
    assert_eq!(
        read_ok(&app, Some(&ada.token), &id).await["status"],
        "rejected"
    );
}

#[tokio::test]
async fn a_rejected_group_changes_to_no_other_status() {
    let app = TestApp::spawn().await;
    let (_, ada, marie, group) = a_pending_group_and_its_ambassador(&app).await;
    let id = id_of(&group);
    reject_with_a_reason(&app, &marie, &id).await;
    for status in ["provisional", "official", "inactive"] {
        let response =
            change_status(&app, Some(&marie.token), &id, status, "Second thoughts.").await;
        assert_problem(response, 409, "invalid_transition").await;
    }
    assert_eq!(
        read_ok(&app, Some(&ada.token), &id).await["status"],
        "rejected"
    );
}

#[tokio::test]
async fn an_ambassador_of_another_region_gets_404_on_a_pending_group_and_403_on_a_public_one() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    let (kenji, _) = app.ambassador(&staff, "Kenji", "asia").await;
    let group = app.group(&ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    // Pending: Kenji cannot even see it.
    let response = review(&app, Some(&kenji.token), &id, "approve", None).await;
    assert_problem(response, 404, "not_found").await;
    assert_eq!(
        read_ok(&app, Some(&ada.token), &id).await["status"],
        "pending"
    );
    // Public: he sees it, but may not change it.
    app.approve(&marie, &id).await;
    let response = change_status(&app, Some(&kenji.token), &id, "inactive", "Dormant.").await;
    assert_problem(response, 403, "forbidden").await;
    let response = review(&app, Some(&kenji.token), &id, "reject", Some("No.")).await;
    assert_problem(response, 403, "forbidden").await;
    assert_eq!(read_ok(&app, None, &id).await["status"], "provisional");
    assert_eq!(
        app.audited(&staff, "group", "group.status_changed").await,
        0
    );
}

#[tokio::test]
async fn an_ambassador_whose_term_ended_no_longer_sees_or_reviews_pending_groups() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let (marie, ambassadorship) = app.ambassador(&staff, "Marie", "europe").await;
    let group = app.group(&ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    read_ok(&app, Some(&marie.token), &id).await;
    let response = app
        .send_json(
            Method::PATCH,
            &format!("/v1/ambassadors/{}", id_of(&ambassadorship)),
            Some(&staff.token),
            &json!({"status": "ended", "reason": "Stepped down."}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_problem(read(&app, Some(&marie.token), &id).await, 404, "not_found").await;
    let response = review(&app, Some(&marie.token), &id, "approve", None).await;
    assert_problem(response, 404, "not_found").await;
    let response = app
        .get("/v1/regions/europe/groups/attention", Some(&marie.token))
        .await;
    assert_problem(response, 403, "forbidden").await;
    assert_eq!(read_ok(&app, Some(&ada.token), &id).await, group);
}

#[tokio::test]
async fn nobody_reviews_a_group_they_organize() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    // Marie, an ambassador of europe, registers a group in her own region.
    let group = app.group(&marie, "paris-operators", "FR").await;
    let id = id_of(&group);
    let response = review(&app, Some(&marie.token), &id, "approve", None).await;
    assert_problem(response, 403, "forbidden").await;
    assert_eq!(read_ok(&app, Some(&marie.token), &id).await, group);
    assert_eq!(app.audited(&staff, "group", "group.reviewed").await, 0);
}

#[tokio::test]
async fn nobody_changes_the_status_of_a_group_they_organize() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    let group = app.group(&marie, "paris-operators", "FR").await;
    let id = id_of(&group);
    // Not even once another reviewer approved it.
    app.approve(&staff, &id).await;
    let response = change_status(&app, Some(&marie.token), &id, "inactive", "Pausing.").await;
    assert_problem(response, 403, "forbidden").await;
    assert_eq!(read_ok(&app, None, &id).await["status"], "provisional");
}

#[tokio::test]
async fn reviewing_a_group_that_is_not_pending_is_409() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    let group = provisional(&app, &marie, &ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    for decision in ["approve", "reject"] {
        let response = review(&app, Some(&marie.token), &id, decision, Some("Again.")).await;
        assert_problem(response, 409, "invalid_transition").await;
    }
    assert_eq!(read_ok(&app, None, &id).await, group);
    assert_eq!(app.audited(&staff, "group", "group.reviewed").await, 1);
}

#[tokio::test]
async fn members_and_anonymous_callers_do_not_review() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let eve = app.member("Eve").await;
    let pending = app.group(&ada, "lyon-operators", "FR").await;
    let pending_id = id_of(&pending);
    // Anonymous: 401.
    let response = review(&app, None, &pending_id, "approve", None).await;
    assert_problem(response, 401, "unauthenticated").await;
    // Another member: 404 on a pending group.
    let response = review(&app, Some(&eve.token), &pending_id, "approve", None).await;
    assert_problem(response, 404, "not_found").await;
    // Its own organizer: 403.
    let response = review(&app, Some(&ada.token), &pending_id, "approve", None).await;
    assert_problem(response, 403, "forbidden").await;
    // Nothing changed.
    assert_eq!(read_ok(&app, Some(&ada.token), &pending_id).await, pending);
    assert_eq!(app.audited(&staff, "group", "group.reviewed").await, 0);
}

#[tokio::test]
async fn members_and_anonymous_callers_do_not_change_a_groups_status() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let eve = app.member("Eve").await;
    let public = provisional(&app, &staff, &ada, "paris-operators", "FR").await;
    let public_id = id_of(&public);
    // Anonymous: 401.
    let response = change_status(&app, None, &public_id, "inactive", "Dormant.").await;
    assert_problem(response, 401, "unauthenticated").await;
    // Another member: 403 on a public group.
    let response = change_status(&app, Some(&eve.token), &public_id, "inactive", "Dormant.").await;
    assert_problem(response, 403, "forbidden").await;
    // Its own organizer: 403.
    let response = change_status(&app, Some(&ada.token), &public_id, "inactive", "Dormant.").await;
    assert_problem(response, 403, "forbidden").await;
    // Nothing changed.
    assert_eq!(read_ok(&app, None, &public_id).await, public);
    assert_eq!(app.audited(&staff, "group", "group.reviewed").await, 1);
    assert_eq!(
        app.audited(&staff, "group", "group.status_changed").await,
        0
    );
}

#[tokio::test]
async fn staff_review_groups_even_in_a_country_of_no_region() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let brazil = app.group(&ada, "sao-paulo-ops", "BR").await;
    let france = app.group(&ada, "lyon-operators", "FR").await;
    let response = review(
        &app,
        Some(&staff.token),
        &id_of(&brazil),
        "approve",
        Some("Welcome!"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await["status_reason"], "Welcome!");
    let response = review(
        &app,
        Some(&staff.token),
        &id_of(&france),
        "reject",
        Some("Duplicate of an existing group."),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        read_ok(&app, None, "sao-paulo-ops").await["status"],
        "provisional"
    );
    assert_eq!(
        read_ok(&app, Some(&staff.token), "lyon-operators").await["status"],
        "rejected"
    );
    assert_eq!(app.audited(&staff, "group", "group.reviewed").await, 2);
}

// ---------------------------------------------------------------------------
// Status changes and promotion
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_refused_promotion_lists_every_unmet_criterion_with_its_measured_value() {
    // Arrange: one organizer, two held events, code of conduct not accepted.
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    let mut request = group_request("lyon-operators", "FR");
    request["coc_accepted"] = json!(false);
    let response = app.post("/v1/groups", Some(&ada.token), &request).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let id = id_of(&body(response).await);
    let group = app.approve(&marie, &id).await;
    app.held_event(&ada, &id, 10).await;
    app.held_event(&ada, &id, 40).await;
    let audit_before = count(&app.db, "audit_log").await;
    // Act
    let response = change_status(&app, Some(&marie.token), &id, "official", "Doing great.").await;
    // Assert
    let problem = assert_problem(response, 409, "promotion_criteria_unmet").await;
    assert_eq!(
        error_codes(&problem),
        [
            ("organizers".to_owned(), "too_few_organizers".to_owned()),
            ("events".to_owned(), "too_few_held_events".to_owned()),
            (
                "coc_accepted".to_owned(),
                "code_of_conduct_not_accepted".to_owned()
            ),
        ]
    );
    assert!(
        message_of(&problem, "organizers").starts_with("1 organizer(s)"),
        "{problem}"
    );
    assert!(
        message_of(&problem, "events").starts_with("2 event(s)"),
        "{problem}"
    );
    assert_eq!(read_ok(&app, None, &id).await, group, "still provisional");
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
}

#[tokio::test]
async fn a_group_that_meets_the_criteria_is_promoted_to_official() {
    // Arrange: a co-organizer, three held events within the year (one marked
    // held afterwards with PATCH), the code of conduct accepted.
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    let group = provisional(&app, &marie, &ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    app.add_co_organizer(&ada, &id, &ben).await;
    app.held_event(&ada, &id, 30).await;
    app.held_event(&ben, &id, 120).await;
    let past = app.group_event(&ada, &id, -300, "scheduled", None).await;
    // Not yet: the third event was never marked held.
    let response = change_status(&app, Some(&marie.token), &id, "official", "Ready.").await;
    let problem = assert_problem(response, 409, "promotion_criteria_unmet").await;
    assert_eq!(error_fields(&problem), ["events"]);
    assert!(message_of(&problem, "events").starts_with("2 event(s)"));
    let response = app
        .send_json(
            Method::PATCH,
            &format!("/v1/events/{}", id_of(&past)),
            Some(&ada.token),
            &json!({"status": "held", "attendee_count": 42}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    // Act
    let response = change_status(
        &app,
        Some(&marie.token),
        &id,
        "official",
        "Three meetups this year and two organizers.",
    )
    .await;
    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let official = body(response).await;
    assert_eq!(official["status"], "official");
    assert_eq!(
        official["status_reason"],
        "Three meetups this year and two organizers."
    );
    assert_eq!(read_ok(&app, None, &id).await, official);
    assert_eq!(
        listed(&app, None, "?status=official").await,
        ["lyon-operators"]
    );
    let entries = app.audit_entries(&staff, "group").await;
    let changed: Vec<&Value> = entries
        .iter()
        .filter(|e| e["action"] == "group.status_changed")
        .collect();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0]["entity_id"], id);
    assert_eq!(changed[0]["summary"]["from"], "provisional");
    assert_eq!(changed[0]["summary"]["to"], "official");
}

#[tokio::test]
async fn a_held_event_older_than_365_days_does_not_count_for_promotion() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let group = provisional(&app, &staff, &ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    app.add_co_organizer(&ada, &id, &ben).await;
    app.held_event(&ada, &id, 5).await;
    app.held_event(&ada, &id, 200).await;
    app.held_event(&ada, &id, 400).await;
    // Also not counted: a cancelled event and a scheduled one.
    app.group_event(&ada, &id, -20, "cancelled", None).await;
    app.group_event(&ada, &id, 20, "scheduled", None).await;
    let response = change_status(&app, Some(&staff.token), &id, "official", "Ready.").await;
    let problem = assert_problem(response, 409, "promotion_criteria_unmet").await;
    assert_eq!(
        error_codes(&problem),
        [("events".to_owned(), "too_few_held_events".to_owned())]
    );
    assert!(
        message_of(&problem, "events").starts_with("2 event(s) held in the last 365 days"),
        "{problem}"
    );
    assert_eq!(read_ok(&app, None, &id).await["status"], "provisional");
    assert_eq!(health(&app, None, &id).await["held_last_365_days"], 2);
}

#[tokio::test]
async fn an_official_group_goes_inactive_and_back_to_provisional_never_straight_to_official() {
    // Arrange: an official group.
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    let group = provisional(&app, &marie, &ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    app.add_co_organizer(&ada, &id, &ben).await;
    for days_ago in [10, 50, 100] {
        app.held_event(&ada, &id, days_ago).await;
    }
    let response = change_status(&app, Some(&marie.token), &id, "official", "Ready.").await;
    assert_eq!(response.status(), StatusCode::OK);
    // official → inactive
    let response = change_status(
        &app,
        Some(&marie.token),
        &id,
        "inactive",
        "No meetups lately.",
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let inactive = body(response).await;
    assert_eq!(inactive["status"], "inactive");
    assert_eq!(
        read_ok(&app, None, &id).await,
        inactive,
        "an inactive group stays public"
    );
    // inactive → official is not a transition.
    let response = change_status(&app, Some(&marie.token), &id, "official", "Back.").await;
    assert_problem(response, 409, "invalid_transition").await;
    assert_eq!(read_ok(&app, None, &id).await, inactive);
    // inactive → provisional
    let response = change_status(&app, Some(&staff.token), &id, "provisional", "Restarted.").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await["status"], "provisional");
    // provisional → provisional and pending → anything are not transitions either.
    let response = change_status(&app, Some(&staff.token), &id, "provisional", "Again.").await;
    assert_problem(response, 409, "invalid_transition").await;
    let pending = app.group(&ben, "paris-operators", "FR").await;
    let response = change_status(
        &app,
        Some(&staff.token),
        &id_of(&pending),
        "inactive",
        "No.",
    )
    .await;
    assert_problem(response, 409, "invalid_transition").await;
    assert_eq!(
        read_ok(&app, Some(&staff.token), "paris-operators").await["status"],
        "pending"
    );
    assert_eq!(
        app.audited(&staff, "group", "group.status_changed").await,
        3
    );
}

#[tokio::test]
async fn a_status_change_needs_a_reason() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let group = provisional(&app, &staff, &ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    for reason in ["", "   "] {
        let response = change_status(&app, Some(&staff.token), &id, "inactive", reason).await;
        let problem = assert_problem(response, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), ["reason"], "reason {reason:?}");
    }
    let response =
        change_status(&app, Some(&staff.token), &id, "inactive", &"x".repeat(2001)).await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["reason"]);
    // Without the field at all, it is named just the same.
    let response = app
        .post(
            &format!("/v1/groups/{id}/status"),
            Some(&staff.token),
            &json!({"status": "inactive"}),
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["reason"]);
    assert_eq!(read_ok(&app, None, &id).await, group);
    assert_eq!(
        app.audited(&staff, "group", "group.status_changed").await,
        0
    );
}

// ---------------------------------------------------------------------------
// Editing
// ---------------------------------------------------------------------------

/// Ada edits her provisional group with its current `ETag`, asserting 200;
/// returns the group's id, the tag before and the edited group with its tag.
async fn edit_with_if_match(
    app: &TestApp,
    staff: &Member,
    ada: &Member,
) -> (String, String, Value, String) {
    let group = provisional(app, staff, ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    let response = read(app, Some(&ada.token), &id).await;
    let tag = etag(&response);
    let response = patch(
        app,
        Some(&ada.token),
        &id,
        Some(&tag),
        &json!({"name": "Lyon Ops", "city": "Villeurbanne", "description": "Now monthly.", "links": [], "coc_accepted": false}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let new_tag = etag(&response);
    (id, tag, body(response).await, new_tag)
}

#[tokio::test]
async fn an_organizer_edits_a_group_with_if_match() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let (id, tag, edited, new_tag) = edit_with_if_match(&app, &staff, &ada).await;
    assert_ne!(new_tag, tag);
    assert_eq!(edited["name"], "Lyon Ops");
    assert_eq!(edited["city"], "Villeurbanne");
    assert_eq!(edited["description"], "Now monthly.");
    assert_eq!(edited["links"], json!([]));
    assert_eq!(edited["coc_accepted"], false);
    assert_eq!(edited["slug"], "lyon-operators", "the slug stays");
    assert_eq!(edited["status"], "provisional");
    let response = read(&app, None, &id).await;
    assert_eq!(etag(&response), new_tag);
    assert_eq!(body(response).await, edited);
    assert_eq!(app.audited(&staff, "group", "group.updated").await, 1);
}

#[tokio::test]
async fn a_stale_if_match_on_a_group_is_412_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let (id, tag, edited, _) = edit_with_if_match(&app, &staff, &ada).await;
    // A writer holding the old tag is refused and changes nothing.
    let response = patch(
        &app,
        Some(&ada.token),
        &id,
        Some(&tag),
        &json!({"name": "Stale"}),
    )
    .await;
    assert_problem(response, 412, "precondition_failed").await;
    assert_eq!(read_ok(&app, None, &id).await, edited);
    assert_eq!(app.audited(&staff, "group", "group.updated").await, 1);
}

#[tokio::test]
async fn changing_the_country_moves_the_group_to_the_countrys_region() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let group = provisional(&app, &staff, &ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    for (country, region) in [
        ("jp", json!("asia")),
        ("BR", Value::Null),
        ("DE", json!("europe")),
    ] {
        let response = patch(
            &app,
            Some(&ada.token),
            &id,
            None,
            &json!({ "country": country }),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK, "move to {country}");
        let moved = body(response).await;
        assert_eq!(moved["country"], country.to_uppercase());
        assert_eq!(moved["region"], region, "{country}");
        assert_eq!(read_ok(&app, None, &id).await["region"], region);
    }
    assert_eq!(
        listed(&app, None, "?region=europe").await,
        ["lyon-operators"]
    );
    assert_eq!(
        listed(&app, None, "?region=asia").await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn only_organizers_edit_a_group() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let eve = app.member("Eve").await;
    let public = provisional(&app, &staff, &ada, "lyon-operators", "FR").await;
    let pending = app.group(&ada, "paris-operators", "FR").await;
    let change = json!({"name": "Taken over"});
    let response = patch(&app, None, &id_of(&public), None, &change).await;
    assert_problem(response, 401, "unauthenticated").await;
    let response = patch(&app, Some(&eve.token), &id_of(&public), None, &change).await;
    assert_problem(response, 403, "forbidden").await;
    let response = patch(&app, Some(&eve.token), &id_of(&pending), None, &change).await;
    assert_problem(response, 404, "not_found").await;
    assert_eq!(read_ok(&app, None, &id_of(&public)).await, public);
    assert_eq!(
        read_ok(&app, Some(&ada.token), &id_of(&pending)).await,
        pending
    );
    assert_eq!(app.audited(&staff, "group", "group.updated").await, 0);
}

#[tokio::test]
async fn an_invalid_edit_names_every_bad_field_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let group = provisional(&app, &staff, &ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    let response = patch(
        &app,
        Some(&ada.token),
        &id,
        None,
        &json!({"name": "x", "country": "ZZ", "city": "", "links": ["not a link"]}),
    )
    .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    let mut fields = error_fields(&problem);
    fields.sort();
    assert_eq!(fields, ["city", "country", "links[0]", "name"]);
    assert_eq!(read_ok(&app, None, &id).await, group);
    assert_eq!(app.audited(&staff, "group", "group.updated").await, 0);
}

// ---------------------------------------------------------------------------
// Organizers
// ---------------------------------------------------------------------------

#[tokio::test]
async fn an_organizer_adds_a_co_organizer() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let group = provisional(&app, &staff, &ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    let response = app
        .post(
            &format!("/v1/groups/{id}/organizers"),
            Some(&ada.token),
            &json!({"member_id": ben.id}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let listed_now: Vec<(String, String)> = body(response)
        .await
        .as_array()
        .expect("organizers")
        .iter()
        .map(|o| {
            (
                o["member_id"].as_str().expect("member_id").to_owned(),
                o["role"].as_str().expect("role").to_owned(),
            )
        })
        .collect();
    let expected = vec![
        (ada.id.to_string(), "lead".to_owned()),
        (ben.id.to_string(), "co".to_owned()),
    ];
    assert_eq!(listed_now, expected);
    assert_eq!(organizers(&app, None, &id).await, expected);
    assert_eq!(
        app.audited(&staff, "group", "group.organizer_added").await,
        1
    );
}

#[tokio::test]
async fn adding_an_organizer_twice_is_409_even_by_a_co_organizer() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let group = provisional(&app, &staff, &ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    app.add_co_organizer(&ada, &id, &ben).await;
    let expected = vec![
        (ada.id.to_string(), "lead".to_owned()),
        (ben.id.to_string(), "co".to_owned()),
    ];
    // The new co-organizer may add organizers too; adding Ben again is a conflict.
    let response = app
        .post(
            &format!("/v1/groups/{id}/organizers"),
            Some(&ben.token),
            &json!({"member_id": ben.id}),
        )
        .await;
    assert_problem(response, 409, "already_exists").await;
    assert_eq!(count(&app.db, "group_organizers").await, 2);
    assert_eq!(organizers(&app, None, &id).await, expected);
    assert_eq!(
        app.audited(&staff, "group", "group.organizer_added").await,
        1
    );
}

#[tokio::test]
async fn adding_an_unknown_member_is_422_on_member_id() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let group = provisional(&app, &staff, &ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    let response = app
        .post(
            &format!("/v1/groups/{id}/organizers"),
            Some(&ada.token),
            &json!({"member_id": Uuid::new_v4()}),
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["member_id"]);
    assert_eq!(count(&app.db, "group_organizers").await, 1);
    assert_eq!(organizers(&app, None, &id).await.len(), 1);
}

#[tokio::test]
async fn only_organizers_add_organizers() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let eve = app.member("Eve").await;
    let group = provisional(&app, &staff, &ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    app.add_co_organizer(&ada, &id, &ben).await;
    let path = format!("/v1/groups/{id}/organizers");
    let response = app.post(&path, None, &json!({"member_id": eve.id})).await;
    assert_problem(response, 401, "unauthenticated").await;
    let response = app
        .post(&path, Some(&eve.token), &json!({"member_id": eve.id}))
        .await;
    assert_problem(response, 403, "forbidden").await;
    // On a pending group, a stranger sees nothing at all.
    let pending = app.group(&ada, "paris-operators", "FR").await;
    let response = app
        .post(
            &format!("/v1/groups/{}/organizers", id_of(&pending)),
            Some(&eve.token),
            &json!({"member_id": eve.id}),
        )
        .await;
    assert_problem(response, 404, "not_found").await;
    assert_eq!(count(&app.db, "group_organizers").await, 3);
    assert_eq!(organizers(&app, None, &id).await.len(), 2);
}

#[tokio::test]
async fn only_organizers_remove_organizers() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let eve = app.member("Eve").await;
    let group = provisional(&app, &staff, &ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    app.add_co_organizer(&ada, &id, &ben).await;
    let response = remove(&app, None, &id, ben.id).await;
    assert_problem(response, 401, "unauthenticated").await;
    let response = remove(&app, Some(&eve.token), &id, ben.id).await;
    assert_problem(response, 403, "forbidden").await;
    assert_eq!(count(&app.db, "group_organizers").await, 2);
    assert_eq!(organizers(&app, None, &id).await.len(), 2);
}

#[tokio::test]
async fn an_organizer_removes_a_co_organizer_once() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let group = provisional(&app, &staff, &ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    app.add_co_organizer(&ada, &id, &ben).await;
    let response = remove(&app, Some(&ada.token), &id, ben.id).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        organizers(&app, None, &id).await,
        [(ada.id.to_string(), "lead".to_owned())]
    );
    // Ben is no organizer any more: removing him again finds nothing.
    let response = remove(&app, Some(&ada.token), &id, ben.id).await;
    assert_problem(response, 404, "not_found").await;
    assert_eq!(
        app.audited(&staff, "group", "group.organizer_removed")
            .await,
        1
    );
}

#[tokio::test]
async fn the_last_organizer_cannot_leave() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let group = provisional(&app, &staff, &ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    let response = remove(&app, Some(&ada.token), &id, ada.id).await;
    assert_problem(response, 409, "last_organizer").await;
    assert_eq!(count(&app.db, "group_organizers").await, 1);
    assert_eq!(
        organizers(&app, None, &id).await,
        [(ada.id.to_string(), "lead".to_owned())]
    );
    assert_eq!(
        app.audited(&staff, "group", "group.organizer_removed")
            .await,
        0
    );
}

#[tokio::test]
async fn when_the_lead_leaves_the_longest_serving_organizer_becomes_lead() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let cy = app.member("Cy").await;
    let group = provisional(&app, &staff, &ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    app.add_co_organizer(&ada, &id, &ben).await;
    app.add_co_organizer(&ada, &id, &cy).await;
    let response = remove(&app, Some(&ada.token), &id, ada.id).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        organizers(&app, None, &id).await,
        [
            (ben.id.to_string(), "lead".to_owned()),
            (cy.id.to_string(), "co".to_owned())
        ]
    );
    // Ada no longer organizes it: she may not edit it.
    let response = patch(&app, Some(&ada.token), &id, None, &json!({"name": "Mine"})).await;
    assert_problem(response, 403, "forbidden").await;
}

/// A provisional group organized by exactly `a` (lead) and `b` (co).
async fn two_organizer_group(
    app: &TestApp,
    staff: &Member,
    a: &Member,
    b: &Member,
    slug: &str,
) -> String {
    let group = provisional(app, staff, a, slug, "FR").await;
    let id = id_of(&group);
    app.add_co_organizer(a, &id, b).await;
    id
}

/// Fires `rounds` concurrent removals, alternating "a removes b" and "b
/// removes a"; returns the statuses.
async fn remove_each_other(
    app: &TestApp,
    id: &str,
    a: &Member,
    b: &Member,
    rounds: usize,
) -> Vec<u16> {
    let calls = (0..rounds).map(|i| {
        let (caller, target) = if i % 2 == 0 { (a, b) } else { (b, a) };
        async move {
            remove(app, Some(&caller.token), id, target.id)
                .await
                .status()
                .as_u16()
        }
    });
    futures_util::future::join_all(calls).await
}

#[tokio::test]
async fn two_organizers_removing_each_other_at_once_leave_exactly_one() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    for (slug, rounds) in [
        ("pair-one", 2),
        ("pair-two", 2),
        ("pair-three", 10),
        ("pair-four", 10),
    ] {
        let id = two_organizer_group(&app, &staff, &ada, &ben, slug).await;
        let statuses = remove_each_other(&app, &id, &ada, &ben, rounds).await;
        assert_eq!(
            statuses.iter().filter(|s| **s == 204).count(),
            1,
            "exactly one removal succeeds: {statuses:?}"
        );
        assert!(
            statuses.iter().all(|s| matches!(s, 204 | 403 | 404 | 409)),
            "the others are refused: {statuses:?}"
        );
        let left = organizers(&app, None, &id).await;
        assert_eq!(left.len(), 1, "{slug}: {left:?}");
        assert_eq!(left[0].1, "lead", "the one left leads");
        assert!(
            left[0].0 == ada.id.to_string() || left[0].0 == ben.id.to_string(),
            "{left:?}"
        );
    }
    assert_eq!(count(&app.db, "group_organizers").await, 4);
    assert_eq!(
        app.audited(&staff, "group", "group.organizer_removed")
            .await,
        4
    );
}

// ---------------------------------------------------------------------------
// Health and the attention list
// ---------------------------------------------------------------------------

#[tokio::test]
async fn health_figures_and_flags_follow_the_groups_data() {
    // Arrange: a new group with no events and one organizer.
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let group = provisional(&app, &staff, &ada, "lyon-operators", "FR").await;
    let id = id_of(&group);
    let fresh = health(&app, None, &id).await;
    assert_eq!(
        fresh,
        json!({
            "held_last_90_days": 0, "held_last_365_days": 0, "average_attendance": null, "organizers": 1,
            "last_event_at": null, "next_event_at": null, "feedback_last_365_days": 0,
            "flags": ["no_event_180d", "single_organizer", "no_upcoming_event"],
        })
    );
    // Old events only: still no event in 180 days.
    app.group_event(&ada, &id, -200, "held", Some(10)).await;
    app.group_event(&ada, &id, -500, "held", Some(90)).await;
    let old = health(&app, None, &id).await;
    assert_eq!(old["held_last_90_days"], 0);
    assert_eq!(old["held_last_365_days"], 1);
    assert_eq!(old["average_attendance"], 10.0);
    assert!(flags(&old).contains(&"no_event_180d".to_owned()), "{old}");
    // Act: recent held events, an upcoming one, a co-organizer.
    let recent = app.group_event(&ada, &id, -10, "held", Some(30)).await;
    app.group_event(&ada, &id, -100, "held", Some(51)).await;
    app.group_event(&ada, &id, -15, "cancelled", None).await;
    let after_held = health(&app, None, &id).await;
    assert_eq!(
        flags(&after_held),
        ["single_organizer", "no_upcoming_event"],
        "{after_held}"
    );
    let next = app.group_event(&ada, &id, 20, "scheduled", None).await;
    app.group_event(&ada, &id, 40, "scheduled", None).await;
    app.group_event(&ada, &id, 5, "cancelled", None).await;
    app.add_co_organizer(&ada, &id, &ben).await;
    // Assert
    let healthy = health(&app, None, &id).await;
    assert_eq!(healthy["held_last_90_days"], 1);
    assert_eq!(healthy["held_last_365_days"], 3);
    // (10 + 30 + 51) / 3, rounded to one decimal.
    assert_eq!(healthy["average_attendance"], 30.3);
    assert_eq!(healthy["organizers"], 2);
    assert_eq!(healthy["last_event_at"], recent["starts_at"]);
    assert_eq!(healthy["next_event_at"], next["starts_at"]);
    assert_eq!(flags(&healthy), Vec::<String>::new());
    // The flags come back when the data changes: the upcoming events are cancelled.
    let events = body(
        app.get(&format!("/v1/groups/{id}/events?limit=200"), None)
            .await,
    )
    .await;
    for event in events["items"].as_array().expect("items") {
        if event["status"] == "scheduled" {
            let response = app
                .send_json(
                    Method::PATCH,
                    &format!("/v1/events/{}", id_of(event)),
                    Some(&ben.token),
                    &json!({"status": "cancelled"}),
                )
                .await;
            assert_eq!(response.status(), StatusCode::OK);
        }
    }
    let response = remove(&app, Some(&ben.token), &id, ben.id).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let again = health(&app, None, &id).await;
    assert_eq!(flags(&again), ["single_organizer", "no_upcoming_event"]);
    assert_eq!(again["next_event_at"], Value::Null);
}

/// A healthy provisional group: two organizers, a recent held event, an upcoming one.
async fn healthy_group(
    app: &TestApp,
    staff: &Member,
    owner: &Member,
    co: &Member,
    slug: &str,
    country: &str,
) -> String {
    let group = provisional(app, staff, owner, slug, country).await;
    let id = id_of(&group);
    app.add_co_organizer(owner, &id, co).await;
    app.held_event(owner, &id, 20).await;
    app.group_event(owner, &id, 10, "scheduled", None).await;
    assert_eq!(flags(&health(app, None, &id).await), Vec::<String>::new());
    id
}

#[tokio::test]
async fn the_attention_list_shows_the_flagged_active_groups_of_the_region_only() {
    // Arrange
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    healthy_group(&app, &staff, &ada, &ben, "healthy-lyon", "FR").await;
    // Flagged, provisional, in europe (DE): listed.
    provisional(&app, &staff, &ada, "quiet-berlin", "DE").await;
    // Flagged but official: listed.
    let official = healthy_group(&app, &staff, &ada, &ben, "official-paris", "FR").await;
    app.held_event(&ada, &official, 40).await;
    app.held_event(&ada, &official, 60).await;
    let response = change_status(&app, Some(&staff.token), &official, "official", "Ready.").await;
    assert_eq!(response.status(), StatusCode::OK);
    let events = body(
        app.get(&format!("/v1/groups/{official}/events"), None)
            .await,
    )
    .await;
    let upcoming = events["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|e| e["status"] == "scheduled")
        .cloned()
        .expect("an upcoming event");
    let response = app
        .send_json(
            Method::PATCH,
            &format!("/v1/events/{}", id_of(&upcoming)),
            Some(&ada.token),
            &json!({"status": "cancelled"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    // Flagged but not active: pending, rejected, inactive.
    app.group(&ada, "pending-lille", "FR").await;
    let rejected = app.group(&ada, "rejected-nice", "FR").await;
    let response = review(
        &app,
        Some(&staff.token),
        &id_of(&rejected),
        "reject",
        Some("No."),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let inactive = provisional(&app, &staff, &ada, "inactive-lyon", "FR").await;
    let response = change_status(
        &app,
        Some(&staff.token),
        &id_of(&inactive),
        "inactive",
        "Dormant.",
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    // Flagged, active, but in another region or in none.
    provisional(&app, &staff, &ada, "quiet-tokyo", "JP").await;
    provisional(&app, &staff, &ada, "quiet-rio", "BR").await;
    // Act
    for reader in [&marie, &staff] {
        let response = app
            .get("/v1/regions/europe/groups/attention", Some(&reader.token))
            .await;
        // Assert
        assert_eq!(response.status(), StatusCode::OK);
        let list = body(response).await;
        assert_eq!(slugs_of(&list), ["official-paris", "quiet-berlin"]);
        let items = list.as_array().expect("an array");
        assert_eq!(items[0]["status"], "official");
        assert_eq!(flags(&items[0]["health"]), ["no_upcoming_event"]);
        assert_eq!(
            flags(&items[1]["health"]),
            ["no_event_180d", "single_organizer", "no_upcoming_event"]
        );
    }
    let response = app
        .get("/v1/regions/asia/groups/attention", Some(&staff.token))
        .await;
    assert_eq!(slugs_of(&body(response).await), ["quiet-tokyo"]);
}

#[tokio::test]
async fn the_attention_list_is_for_the_regions_ambassadors_and_staff() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let (kenji, _) = app.ambassador(&staff, "Kenji", "asia").await;
    provisional(&app, &staff, &ada, "quiet-berlin", "DE").await;
    let path = "/v1/regions/europe/groups/attention";
    assert_problem(app.get(path, None).await, 401, "unauthenticated").await;
    assert_problem(app.get(path, Some(&ada.token)).await, 403, "forbidden").await;
    assert_problem(app.get(path, Some(&kenji.token)).await, 403, "forbidden").await;
    // Kenji reads his own region's list.
    let response = app
        .get("/v1/regions/asia/groups/attention", Some(&kenji.token))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await, json!([]));
}

#[tokio::test]
async fn the_attention_list_of_an_unknown_region_is_404() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let response = app
        .get("/v1/regions/nowhere/groups/attention", Some(&staff.token))
        .await;
    assert_problem(response, 404, "not_found").await;
}

// ---------------------------------------------------------------------------
// The group list
// ---------------------------------------------------------------------------

/// Registers a group with its own name and city.
async fn named_group(
    app: &TestApp,
    owner: &Member,
    slug: &str,
    name: &str,
    city: &str,
    country: &str,
) -> Value {
    let mut request = group_request(slug, country);
    request["name"] = json!(name);
    request["city"] = json!(city);
    let response = app.post("/v1/groups", Some(&owner.token), &request).await;
    assert_eq!(response.status(), StatusCode::CREATED, "register {slug}");
    body(response).await
}

#[tokio::test]
async fn the_group_list_filters_by_region_country_status_and_words() {
    // Arrange
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    for (slug, name, city, country) in [
        ("berlin-ops", "Berlin Operators", "Berlin", "DE"),
        ("lyon-ops", "Lyon Operators", "Lyon", "FR"),
        ("paris-k8s", "Cloud Natives", "Paris", "FR"),
        ("tokyo-ops", "Tokyo Operators", "Tokyo", "JP"),
        ("rio-ops", "Rio Operators", "Rio de Janeiro", "BR"),
    ] {
        let group = named_group(&app, &ada, slug, name, city, country).await;
        app.approve(&staff, &id_of(&group)).await;
    }
    let response = change_status(
        &app,
        Some(&staff.token),
        "paris-k8s",
        "inactive",
        "Dormant.",
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    named_group(&app, &ada, "lille-ops", "Lille Operators", "Lille", "FR").await;
    // Act / Assert
    assert_eq!(
        listed(&app, None, "").await,
        [
            "berlin-ops",
            "lyon-ops",
            "paris-k8s",
            "rio-ops",
            "tokyo-ops"
        ]
    );
    assert_eq!(
        listed(&app, None, "?region=europe").await,
        ["berlin-ops", "lyon-ops", "paris-k8s"]
    );
    assert_eq!(
        listed(&app, None, "?country=fr").await,
        ["lyon-ops", "paris-k8s"]
    );
    assert_eq!(listed(&app, None, "?status=inactive").await, ["paris-k8s"]);
    assert_eq!(
        listed(&app, None, "?status=pending").await,
        Vec::<String>::new()
    );
    assert_eq!(
        listed(&app, Some(&staff.token), "?status=pending").await,
        ["lille-ops"]
    );
    assert_eq!(
        listed(&app, Some(&ada.token), "?country=FR&status=pending").await,
        ["lille-ops"],
        "its organizer lists it"
    );
    assert_eq!(
        listed(&app, None, "?q=operat").await.len(),
        4,
        "words in the name"
    );
    assert_eq!(
        listed(&app, None, "?q=PARIS").await,
        ["paris-k8s"],
        "words in the city"
    );
    assert_eq!(listed(&app, None, "?q=janeiro").await, ["rio-ops"]);
    assert_eq!(
        listed(&app, None, "?q=%25").await,
        Vec::<String>::new(),
        "% is literal"
    );
    assert_eq!(
        listed(&app, None, "?region=europe&status=provisional&q=lyon").await,
        ["lyon-ops"]
    );
    assert_eq!(
        listed(&app, None, "?region=nowhere").await,
        Vec::<String>::new()
    );
    // Every item carries its health.
    let page = body(app.get("/v1/groups?country=DE", None).await).await;
    assert_eq!(page["items"][0]["health"]["organizers"], 1);
    assert_eq!(page["items"][0]["region"], "europe");
}

#[tokio::test]
async fn group_pages_walk_every_visible_group_once() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    for slug in ["e-ops", "c-ops", "a-ops", "d-ops", "b-ops"] {
        provisional(&app, &staff, &ada, slug, "FR").await;
    }
    let mut slugs = Vec::new();
    let mut pages = 0;
    let mut path = "/v1/groups?limit=2".to_owned();
    loop {
        let response = app.get(&path, None).await;
        assert_eq!(response.status(), StatusCode::OK);
        let page = body(response).await;
        let items = slugs_of(&page);
        assert!(items.len() <= 2);
        slugs.extend(items);
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/v1/groups?limit=2&cursor={cursor}"),
            None => break,
        }
        assert!(pages < 10, "pagination does not end");
    }
    assert_eq!(slugs, ["a-ops", "b-ops", "c-ops", "d-ops", "e-ops"]);
    assert_eq!(pages, 3);
    let page = body(app.get("/v1/groups?limit=5", None).await).await;
    assert_eq!(slugs_of(&page).len(), 5);
    assert_eq!(page["next_cursor"], Value::Null);
}

#[tokio::test]
async fn bad_group_list_parameters_are_400() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    provisional(&app, &staff, &ada, "lyon-ops", "FR").await;
    for query in [
        "?status=bogus",
        "?country=XX",
        "?country=France",
        "?limit=0",
        "?limit=201",
        "?cursor=not-a-cursor!",
    ] {
        let response = app.get(&format!("/v1/groups{query}"), None).await;
        assert_problem(response, 400, "malformed_request").await;
    }
}

#[tokio::test]
async fn groups_export_as_csv_with_health_columns_for_the_visible_groups() {
    // Arrange
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let ada = app.member("Ada").await;
    let lyon = provisional(&app, &staff, &ada, "lyon-ops", "FR").await;
    app.held_event(&ada, &id_of(&lyon), 10).await;
    provisional(&app, &staff, &ada, "rio-ops", "BR").await;
    app.group(&ada, "pending-ops", "DE").await;
    let csv = |token: Option<String>| {
        let app = &app;
        async move {
            let response = app
                .call(Method::GET, "/v1/groups", token.as_deref())
                .header("Accept", "text/csv")
                .send()
                .await
                .expect("request");
            assert_eq!(response.status(), StatusCode::OK);
            let content_type = response.headers()["content-type"]
                .to_str()
                .expect("content type")
                .to_owned();
            assert!(content_type.starts_with("text/csv"), "{content_type}");
            response.text().await.expect("csv")
        }
    };
    // Act
    let text = csv(None).await;
    // Assert
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "id,slug,name,status,country,city,region,organizers,held_last_90_days,held_last_365_days,average_attendance,last_event_at,next_event_at,flags"
    );
    assert_eq!(lines.len(), 3, "a header and the two public groups: {text}");
    let lyon_row: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(lyon_row.len(), 14, "{}", lines[1]);
    assert_eq!(lyon_row[0], id_of(&lyon));
    assert_eq!(
        &lyon_row[1..10],
        [
            "lyon-ops",
            "Group lyon-ops",
            "provisional",
            "FR",
            "Lyon",
            "europe",
            "1",
            "1",
            "1"
        ]
    );
    assert_eq!(
        lyon_row[10].parse::<f64>().expect("average attendance"),
        20.0
    );
    assert!(!lyon_row[11].is_empty(), "last event");
    assert_eq!(lyon_row[12], "", "no next event");
    assert_eq!(lyon_row[13], "single_organizer no_upcoming_event");
    let rio_row: Vec<&str> = lines[2].split(',').collect();
    assert_eq!(rio_row[1], "rio-ops");
    assert_eq!(rio_row[6], "", "no region");
    assert_eq!(
        rio_row[13],
        "no_event_180d single_organizer no_upcoming_event"
    );
    // Staff also get the pending group.
    let text = csv(Some(staff.token.clone())).await;
    let slugs: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).expect("slug"))
        .collect();
    assert_eq!(slugs, ["lyon-ops", "pending-ops", "rio-ops"]);
}

// ---------------------------------------------------------------------------
// The directory and the volunteer search
// ---------------------------------------------------------------------------

#[tokio::test]
async fn the_directory_of_a_country_shows_its_region_ambassadors_and_public_groups() {
    // Arrange
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    let (kenji, _) = app.ambassador(&staff, "Kenji", "asia").await;
    let (olaf, olafs) = app.ambassador(&staff, "Olaf", "europe").await;
    let response = app
        .send_json(
            Method::PATCH,
            &format!("/v1/ambassadors/{}", id_of(&olafs)),
            Some(&staff.token),
            &json!({"status": "ended", "reason": "Moved on."}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let ada = app.member("Ada").await;
    let pia = app.member("Pia Private").await;
    set_profile(&app, &pia, &json!({"profile_public": false})).await;
    let lyon = provisional(&app, &staff, &ada, "lyon-ops", "FR").await;
    app.add_co_organizer(&ada, &id_of(&lyon), &pia).await;
    app.group(&ada, "pending-ops", "FR").await;
    provisional(&app, &staff, &ada, "berlin-ops", "DE").await;
    // Act
    let response = app.get("/v1/directory?country=fr", None).await;
    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let directory = body(response).await;
    assert_eq!(directory["country"], "FR");
    assert_eq!(directory["region"]["slug"], "europe");
    assert_eq!(directory["region"]["name"], "Region europe");
    let ambassadors: Vec<&str> = directory["ambassadors"]
        .as_array()
        .expect("ambassadors")
        .iter()
        .map(|a| a["member_id"].as_str().expect("member_id"))
        .collect();
    assert_eq!(ambassadors, [marie.id.to_string()]);
    assert!(!ambassadors.contains(&kenji.id.to_string().as_str()));
    assert!(
        !ambassadors.contains(&olaf.id.to_string().as_str()),
        "only active ambassadors"
    );
    let groups = directory["groups"].as_array().expect("groups");
    assert_eq!(groups.len(), 1, "public groups of FR only: {directory}");
    assert_eq!(groups[0]["slug"], "lyon-ops");
    assert_eq!(groups[0]["private_organizers"], 1);
    let named = groups[0]["organizers"].as_array().expect("organizers");
    assert_eq!(named.len(), 1);
    assert_eq!(named[0]["member_id"], ada.id.to_string());
    assert_eq!(named[0]["display_name"], "Ada");
    assert!(
        !directory.to_string().contains(&pia.id.to_string()),
        "a private organizer is not named"
    );
}

#[tokio::test]
async fn the_directory_of_a_country_in_no_region_is_empty() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    app.ambassador(&staff, "Marie", "europe").await;
    let ada = app.member("Ada").await;
    provisional(&app, &staff, &ada, "lyon-ops", "FR").await;
    let response = app.get("/v1/directory?country=BR", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let brazil = body(response).await;
    assert_eq!(brazil["region"], Value::Null);
    assert_eq!(brazil["ambassadors"], json!([]));
    assert_eq!(brazil["groups"], json!([]));
}

#[tokio::test]
async fn the_directory_needs_a_known_country() {
    let app = TestApp::spawn().await;
    setup(&app).await;
    for path in [
        "/v1/directory",
        "/v1/directory?country=XX",
        "/v1/directory?country=FRA",
    ] {
        let response = app.get(path, None).await;
        assert_problem(response, 400, "malformed_request").await;
    }
}

/// Five members with public or private profiles, searched by Eli: Ana (FR,
/// translation and speaking, fr and en), Bea (like Ana, but private), Cid
/// (DE, translation, pt-BR), Dan (JP, translation, fr) and Eli (FR,
/// mentoring, fr): `(ana, cid, dan, eli)`.
async fn volunteers(app: &TestApp) -> (Member, Member, Member, Member) {
    setup(app).await;
    let ana = app.member("Ana").await;
    set_profile(
        app,
        &ana,
        &json!({"skills": ["translation", "speaking"], "languages": ["fr", "en"], "country": "FR"}),
    )
    .await;
    let bea = app.member("Bea").await;
    set_profile(app, &bea, &json!({"skills": ["translation"], "languages": ["fr"], "country": "FR", "profile_public": false})).await;
    let cid = app.member("Cid").await;
    set_profile(
        app,
        &cid,
        &json!({"skills": ["translation"], "languages": ["pt-BR"], "country": "DE"}),
    )
    .await;
    let dan = app.member("Dan").await;
    set_profile(
        app,
        &dan,
        &json!({"skills": ["translation"], "languages": ["fr"], "country": "JP"}),
    )
    .await;
    let eli = app.member("Eli").await;
    set_profile(
        app,
        &eli,
        &json!({"skills": ["mentoring"], "languages": ["fr"], "country": "FR"}),
    )
    .await;
    (ana, cid, dan, eli)
}

/// The member ids of a search page.
fn found_ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|m| m["id"].as_str().expect("id").to_owned())
        .collect()
}

/// `GET /v1/members{query}` by `member`, asserting 200.
async fn search(app: &TestApp, member: &Member, query: &str) -> Value {
    let response = app
        .get(&format!("/v1/members{query}"), Some(&member.token))
        .await;
    assert_eq!(response.status(), StatusCode::OK, "{query}");
    body(response).await
}

#[tokio::test]
async fn members_find_public_volunteers_by_skill_language_and_region() {
    let app = TestApp::spawn().await;
    let (ana, cid, dan, eli) = volunteers(&app).await;
    let found = search(&app, &eli, "?skill=translation&language=fr&region=europe").await;
    assert_eq!(found_ids(&found), [ana.id.to_string()], "{found}");
    assert_eq!(found["items"][0]["display_name"], "Ana");
    assert!(
        found["items"][0].get("email").is_none(),
        "no email in a public profile"
    );
    let mut translators = found_ids(&search(&app, &eli, "?skill=Translation").await);
    translators.sort();
    let mut expected = vec![ana.id.to_string(), cid.id.to_string(), dan.id.to_string()];
    expected.sort();
    assert_eq!(translators, expected, "private profiles never appear");
    assert_eq!(
        found_ids(&search(&app, &eli, "?language=pt").await),
        [cid.id.to_string()],
        "pt finds pt-BR"
    );
    assert_eq!(
        found_ids(&search(&app, &eli, "?language=pt-br").await),
        [cid.id.to_string()]
    );
    assert_eq!(
        found_ids(&search(&app, &eli, "?language=p").await),
        Vec::<String>::new()
    );
    assert_eq!(
        found_ids(&search(&app, &eli, "?skill=translation&region=asia").await),
        [dan.id.to_string()]
    );
}

#[tokio::test]
async fn the_volunteer_search_pages_its_results() {
    let app = TestApp::spawn().await;
    let (_, _, _, eli) = volunteers(&app).await;
    let first = search(&app, &eli, "?skill=translation&limit=2").await;
    assert_eq!(found_ids(&first).len(), 2);
    let cursor = first["next_cursor"]
        .as_str()
        .expect("a next cursor")
        .to_owned();
    let response = app
        .get(
            &format!("/v1/members?skill=translation&limit=2&cursor={cursor}"),
            Some(&eli.token),
        )
        .await;
    let second = body(response).await;
    assert_eq!(found_ids(&second).len(), 1);
    assert_eq!(second["next_cursor"], Value::Null);
}

#[tokio::test]
async fn the_volunteer_search_is_for_signed_in_members() {
    let app = TestApp::spawn().await;
    let response = app.get("/v1/members?skill=translation", None).await;
    assert_problem(response, 401, "unauthenticated").await;
}

#[tokio::test]
async fn a_bad_limit_on_the_volunteer_search_is_400() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let response = app.get("/v1/members?limit=0", Some(&ada.token)).await;
    assert_problem(response, 400, "malformed_request").await;
}

// ---------------------------------------------------------------------------
// Audit
// ---------------------------------------------------------------------------

#[tokio::test]
async fn registering_reviewing_and_changing_status_are_audited_with_their_actor() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
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
    let response = change_status(&app, Some(&marie.token), &id, "official", "Ready.").await;
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

#[tokio::test]
async fn members_do_not_read_the_audit_log_of_their_group() {
    let app = TestApp::spawn().await;
    setup(&app).await;
    let ada = app.member("Ada").await;
    app.group(&ada, "lyon-operators", "FR").await;
    let response = app
        .get("/v1/audit-log?entity_type=group", Some(&ada.token))
        .await;
    assert_problem(response, 403, "forbidden").await;
}
