//! `PUT /v1/members/{id}/roles`: admins set roles; the last admin stays; changes act at once.

use liaison_tests::{assert_problem, body, count, error_fields, Member, TestApp};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

use super::me;

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
