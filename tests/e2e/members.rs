//! Own profile (`/v1/me`) with ETags, other members' profiles and their
//! visibility, and roles set by admins.

use liaison_tests::{assert_problem, body, count, error_fields, Member, TestApp};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

/// The `ETag` header of a response.
fn etag(response: &Response) -> String {
    response.headers()["etag"]
        .to_str()
        .expect("ETag header")
        .to_owned()
}

/// `PATCH /v1/me` with an optional `If-Match`.
async fn patch_me(app: &TestApp, who: &Member, if_match: Option<&str>, patch: &Value) -> Response {
    let mut request = app.call(Method::PATCH, "/v1/me", Some(&who.token));
    if let Some(tag) = if_match {
        request = request.header("If-Match", tag);
    }
    request.json(patch).send().await.expect("request")
}

/// The caller's own profile as `GET /v1/me` returns it.
async fn me(app: &TestApp, who: &Member) -> Value {
    let response = app.get("/v1/me", Some(&who.token)).await;
    assert_eq!(response.status(), StatusCode::OK, "GET /v1/me");
    body(response).await
}

/// `PUT /v1/members/{id}/roles`.
async fn put_roles(app: &TestApp, token: Option<&str>, member: &Member, roles: &Value) -> Response {
    app.send_json(
        Method::PUT,
        &format!("/v1/members/{}/roles", member.id),
        token,
        &json!({ "roles": roles }),
    )
    .await
}

/// A member's roles, as the admin reads them.
async fn roles_of(app: &TestApp, admin: &Member, member: &Member) -> Value {
    let response = app
        .get(&format!("/v1/members/{}", member.id), Some(&admin.token))
        .await;
    assert_eq!(response.status(), StatusCode::OK, "read {}", member.email);
    body(response).await["roles"].clone()
}

#[tokio::test]
async fn reading_ones_own_profile_shows_the_private_fields_and_an_etag() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let response = app.get("/v1/me", Some(&ada.token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let tag = etag(&response);
    assert!(tag.starts_with('"') && tag.ends_with('"'), "{tag}");
    let profile = body(response).await;
    assert_eq!(profile["id"], ada.id.to_string());
    assert_eq!(profile["email"], ada.email.as_str());
    assert_eq!(profile["roles"], json!([]));
    assert_eq!(profile["display_name"], "Ada");
    assert_eq!(profile["country"], "FR");
    assert_eq!(profile["profile_public"], true);
    // Reading again without a change gives the same tag.
    assert_eq!(etag(&app.get("/v1/me", Some(&ada.token)).await), tag);
}

/// The API key of a new service account: known to the API, but no member.
async fn a_service_account_key(app: &TestApp) -> String {
    let admin = app.admin().await;
    let created = body(
        app.post(
            "/v1/service-accounts",
            Some(&admin.token),
            &json!({"name": "script", "scopes": ["passes:read"]}),
        )
        .await,
    )
    .await;
    created["api_key"].as_str().expect("api key").to_owned()
}

#[tokio::test]
async fn reading_ones_own_profile_needs_a_signed_in_member() {
    let app = TestApp::spawn().await;
    assert_problem(app.get("/v1/me", None).await, 401, "unauthenticated").await;
    // An API key is known but is not a member: it may not have a profile.
    let key = a_service_account_key(&app).await;
    assert_problem(app.get("/v1/me", Some(&key)).await, 403, "forbidden").await;
}

#[tokio::test]
async fn changing_ones_own_profile_needs_a_signed_in_member() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let response = app
        .send_json(Method::PATCH, "/v1/me", None, &json!({"city": "Lyon"}))
        .await;
    assert_problem(response, 401, "unauthenticated").await;
    let key = a_service_account_key(&app).await;
    let response = app
        .send_json(
            Method::PATCH,
            "/v1/me",
            Some(&key),
            &json!({"city": "Lyon"}),
        )
        .await;
    assert_problem(response, 403, "forbidden").await;
    assert_eq!(me(&app, &ada).await["city"], Value::Null);
}

#[tokio::test]
async fn patching_ones_profile_changes_the_fields_sent_and_keeps_the_others() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let response = patch_me(
        &app,
        &ada,
        None,
        &json!({
            "city": "  Lyon ", "affiliation": "independent", "bio": "Runs the Lyon meetup.",
            "languages": ["fr", "en", "pt-BR", "fr"], "skills": ["Translation", "speaking"]
        }),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let returned_tag = etag(&response);
    let patched = body(response).await;
    assert_eq!(patched["city"], "Lyon");
    assert_eq!(patched["languages"], json!(["fr", "en", "pt-BR"]));
    assert_eq!(patched["skills"], json!(["translation", "speaking"]));
    let response = app.get("/v1/me", Some(&ada.token)).await;
    assert_eq!(etag(&response), returned_tag);
    let profile = body(response).await;
    assert_eq!(profile, patched);
    assert_eq!(profile["display_name"], "Ada");
    assert_eq!(profile["country"], "FR");
    assert_eq!(profile["affiliation"], "independent");
    assert_eq!(profile["bio"], "Runs the Lyon meetup.");
}

#[tokio::test]
async fn null_clears_a_profile_field_while_an_absent_field_stays() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let response = patch_me(
        &app,
        &ada,
        None,
        &json!({"city": "Lyon", "affiliation": "independent"}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = patch_me(&app, &ada, None, &json!({"city": null, "country": null})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let profile = me(&app, &ada).await;
    assert_eq!(profile["city"], Value::Null);
    assert_eq!(profile["country"], Value::Null);
    assert_eq!(profile["affiliation"], "independent");
}

#[tokio::test]
async fn a_stale_if_match_is_412_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let stale = etag(&app.get("/v1/me", Some(&ada.token)).await);
    // Another device changes the profile meanwhile.
    let response = patch_me(&app, &ada, None, &json!({"city": "Lyon"})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let current = etag(&response);
    assert_ne!(current, stale);
    let response = patch_me(&app, &ada, Some(&stale), &json!({"city": "Paris"})).await;
    assert_problem(response, 412, "precondition_failed").await;
    let response = app.get("/v1/me", Some(&ada.token)).await;
    assert_eq!(etag(&response), current);
    assert_eq!(body(response).await["city"], "Lyon");
}

#[tokio::test]
async fn the_current_etag_lets_a_patch_through() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let current = etag(&app.get("/v1/me", Some(&ada.token)).await);
    let response = patch_me(&app, &ada, Some(&current), &json!({"city": "Paris"})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let next = etag(&response);
    assert_ne!(next, current);
    // The new tag works for the next change; the old one no longer does.
    let response = patch_me(&app, &ada, Some(&next), &json!({"bio": "Hello."})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = patch_me(&app, &ada, Some(&current), &json!({"bio": "Bye."})).await;
    assert_problem(response, 412, "precondition_failed").await;
    let profile = me(&app, &ada).await;
    assert_eq!(profile["city"], "Paris");
    assert_eq!(profile["bio"], "Hello.");
}

#[tokio::test]
async fn an_invalid_profile_patch_names_every_bad_field_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let before = me(&app, &ada).await;
    let response = patch_me(
        &app,
        &ada,
        None,
        &json!({
            "city": "Lyon", "country": "XX", "languages": ["fr", "not a tag!"], "skills": ["no spaces"]
        }),
    )
    .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(
        error_fields(&problem),
        ["country", "languages[1]", "skills[0]"]
    );
    assert_eq!(me(&app, &ada).await, before);
    let response = patch_me(
        &app,
        &ada,
        None,
        &json!({"display_name": "", "bio": "b".repeat(2001)}),
    )
    .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["display_name", "bio"]);
    assert_eq!(me(&app, &ada).await, before);
}

#[tokio::test]
async fn a_blank_display_name_is_refused_like_at_registration() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    // Registration trims and refuses an empty name; a patch must not sneak one in.
    let response = patch_me(&app, &ada, None, &json!({"display_name": "   "})).await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["display_name"]);
    assert_eq!(me(&app, &ada).await["display_name"], "Ada");
}

#[tokio::test]
async fn a_public_profile_shows_others_no_email_or_roles() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let bob = app.member("Bob").await;
    let path = format!("/v1/members/{}", ada.id);
    for token in [Some(bob.token.as_str()), None] {
        let response = app.get(&path, token).await;
        assert_eq!(response.status(), StatusCode::OK);
        let profile = body(response).await;
        assert_eq!(profile["id"], ada.id.to_string());
        assert_eq!(profile["display_name"], "Ada");
        assert_eq!(profile["country"], "FR");
        let fields = profile.as_object().expect("object");
        assert!(!fields.contains_key("email"), "{profile}");
        assert!(!fields.contains_key("roles"), "{profile}");
    }
}

#[tokio::test]
async fn the_member_and_staff_see_the_email_and_roles() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let staff = app.staff().await;
    let path = format!("/v1/members/{}", ada.id);
    let own = body(app.get(&path, Some(&ada.token)).await).await;
    assert_eq!(own["email"], ada.email.as_str());
    assert_eq!(own["roles"], json!([]));
    let response = app.get(&path, Some(&staff.token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let seen_by_staff = body(response).await;
    assert_eq!(seen_by_staff["email"], ada.email.as_str());
    assert_eq!(seen_by_staff["roles"], json!([]));
    let staff_profile = body(
        app.get(&format!("/v1/members/{}", staff.id), Some(&ada.token))
            .await,
    )
    .await;
    assert!(staff_profile.get("roles").is_none(), "{staff_profile}");
}

#[tokio::test]
async fn a_private_profile_is_404_to_others_but_visible_to_the_member_and_staff() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let bob = app.member("Bob").await;
    let staff = app.staff().await;
    let response = patch_me(&app, &ada, None, &json!({"profile_public": false})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let path = format!("/v1/members/{}", ada.id);
    assert_problem(app.get(&path, Some(&bob.token)).await, 404, "not_found").await;
    assert_problem(app.get(&path, None).await, 404, "not_found").await;
    let own = app.get(&path, Some(&ada.token)).await;
    assert_eq!(own.status(), StatusCode::OK);
    assert_eq!(body(own).await["profile_public"], false);
    let seen_by_staff = app.get(&path, Some(&staff.token)).await;
    assert_eq!(seen_by_staff.status(), StatusCode::OK);
    assert_eq!(body(seen_by_staff).await["email"], ada.email.as_str());
    // Public again: others see it again.
    let response = patch_me(&app, &ada, None, &json!({"profile_public": true})).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(app.get(&path, None).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_unknown_or_malformed_member_id_is_404() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    assert_problem(
        app.get("/v1/members/not-a-uuid", Some(&ada.token)).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get(&format!("/v1/members/{}", uuid::Uuid::now_v7()), None)
            .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_bad_token_reading_a_profile_is_401_not_an_anonymous_read() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let path = format!("/v1/members/{}", ada.id);
    assert_problem(
        app.get(&path, Some("not-a-token")).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(app.get(&path, None).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_admin_sets_a_members_roles() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ada = app.member("Ada").await;
    let response = put_roles(&app, Some(&admin.token), &ada, &json!(["staff"])).await;
    assert_eq!(response.status(), StatusCode::OK);
    let updated = body(response).await;
    assert_eq!(updated["id"], ada.id.to_string());
    assert_eq!(updated["roles"], json!(["staff"]));
    assert_eq!(me(&app, &ada).await["roles"], json!(["staff"]));
    // The roles replace the current ones.
    let response = put_roles(&app, Some(&admin.token), &ada, &json!(["admin", "staff"])).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        roles_of(&app, &admin, &ada).await,
        json!(["staff", "admin"])
    );
    let response = put_roles(&app, Some(&admin.token), &ada, &json!([])).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(roles_of(&app, &admin, &ada).await, json!([]));
}

#[tokio::test]
async fn only_admins_set_roles() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let staff = app.staff().await;
    let ada = app.member("Ada").await;
    let bob = app.member("Bob").await;
    let grant = json!(["staff"]);
    assert_problem(
        put_roles(&app, Some(&staff.token), &ada, &grant).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        put_roles(&app, Some(&bob.token), &ada, &grant).await,
        403,
        "forbidden",
    )
    .await;
    // Not even for oneself.
    assert_problem(
        put_roles(&app, Some(&ada.token), &ada, &json!(["admin"])).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        put_roles(&app, None, &ada, &grant).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(roles_of(&app, &admin, &ada).await, json!([]));
}

#[tokio::test]
async fn an_unknown_role_is_422_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ada = app.member("Ada").await;
    let audit_before = count(&app.db, "audit_log").await;
    let response = put_roles(&app, Some(&admin.token), &ada, &json!(["staff", "root"])).await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["roles[1]"]);
    assert_eq!(roles_of(&app, &admin, &ada).await, json!([]));
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
}

#[tokio::test]
async fn roles_of_an_unknown_member_are_404() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let response = app
        .send_json(
            Method::PUT,
            &format!("/v1/members/{}/roles", uuid::Uuid::now_v7()),
            Some(&admin.token),
            &json!({"roles": ["staff"]}),
        )
        .await;
    assert_problem(response, 404, "not_found").await;
    let response = app
        .send_json(
            Method::PUT,
            "/v1/members/not-a-uuid/roles",
            Some(&admin.token),
            &json!({"roles": ["staff"]}),
        )
        .await;
    assert_problem(response, 404, "not_found").await;
}

#[tokio::test]
async fn the_last_admin_cannot_lose_the_admin_role() {
    let app = TestApp::spawn().await;
    let root = app.admin().await;
    let response = put_roles(&app, Some(&root.token), &root, &json!(["staff"])).await;
    let problem = assert_problem(response, 409, "last_admin").await;
    assert!(problem["detail"].is_string());
    assert_eq!(me(&app, &root).await["roles"], json!(["admin", "staff"]));
    // With a second admin, the first may step down; then the second is the last.
    let ada = app.member("Ada").await;
    let response = put_roles(&app, Some(&root.token), &ada, &json!(["admin"])).await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = put_roles(&app, Some(&root.token), &root, &json!(["staff"])).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(me(&app, &root).await["roles"], json!(["staff"]));
    let response = put_roles(&app, Some(&ada.token), &ada, &json!([])).await;
    assert_problem(response, 409, "last_admin").await;
    assert_eq!(me(&app, &ada).await["roles"], json!(["admin"]));
}

#[tokio::test]
async fn a_role_change_takes_effect_at_once_for_the_same_token() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ada = app.member("Ada").await;
    let region =
        json!({"slug": "europe", "name": "Europe", "countries": ["FR"], "ambassador_seats": 3});
    assert_problem(
        app.post("/v1/regions", Some(&ada.token), &region).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(count(&app.db, "regions").await, 0);
    let response = put_roles(&app, Some(&admin.token), &ada, &json!(["staff"])).await;
    assert_eq!(response.status(), StatusCode::OK);
    // The same access token, issued before the change, now acts as staff.
    let response = app.post("/v1/regions", Some(&ada.token), &region).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = put_roles(&app, Some(&admin.token), &ada, &json!([])).await;
    assert_eq!(response.status(), StatusCode::OK);
    let other = json!({"slug": "asia", "name": "Asia", "countries": ["JP"], "ambassador_seats": 3});
    assert_problem(
        app.post("/v1/regions", Some(&ada.token), &other).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(count(&app.db, "regions").await, 1);
}

#[tokio::test]
async fn admins_demoting_themselves_at_once_leave_exactly_one_admin() {
    let app = TestApp::spawn().await;
    let root = app.admin().await;
    let mut admins = vec![root.clone()];
    for name in ["Ada", "Bob", "Cy", "Dee"] {
        admins.push(app.member_with_roles(name, &["admin"]).await);
    }
    let no_roles = json!([]);
    let calls = admins
        .iter()
        .map(|a| put_roles(&app, Some(&a.token), a, &no_roles));
    let responses = futures_util::future::join_all(calls).await;
    let mut refused = 0;
    for response in responses {
        if response.status() != StatusCode::OK {
            assert_problem(response, 409, "last_admin").await;
            refused += 1;
        }
    }
    assert_eq!(refused, 1, "exactly the last one is refused");
    assert_eq!(
        count(&app.db, "members WHERE 'admin' = ANY(roles)").await,
        1,
        "one admin remains"
    );
}

#[tokio::test]
async fn concurrent_profile_patches_with_one_etag_let_exactly_one_through() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let tag = etag(&app.get("/v1/me", Some(&ada.token)).await);
    let changes: Vec<Value> = (0..10)
        .map(|i| json!({"city": format!("City {i}")}))
        .collect();
    let calls = changes.iter().map(|c| patch_me(&app, &ada, Some(&tag), c));
    let responses = futures_util::future::join_all(calls).await;
    let mut winner = None;
    for (i, response) in responses.into_iter().enumerate() {
        if response.status() == StatusCode::OK {
            assert!(
                winner.is_none(),
                "a second writer got through with a stale ETag"
            );
            winner = Some(format!("City {i}"));
        } else {
            assert_problem(response, 412, "precondition_failed").await;
        }
    }
    let winner = winner.expect("one writer wins");
    assert_eq!(me(&app, &ada).await["city"], winner.as_str());
}
