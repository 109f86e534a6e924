//! `POST /v1/groups/{id}/organizers`: organizers add co-organizers.

use liaison_tests::{assert_problem, body, count, error_fields, id_of, organizers_of, TestApp};
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

#[tokio::test]
async fn an_organizer_adds_a_co_organizer() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let group = app
        .provisional_group(&staff, &ada, "lyon-operators", "FR")
        .await;
    let id = id_of(&group);
    let response = app
        .post(
            &format!("/v1/groups/{id}/organizers"),
            Some(&ada.token),
            &json!({"member_id": ben.id}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let added = body(response).await;
    assert_eq!(added["member_id"], ben.id.to_string());
    assert_eq!(added["role"], "co");
    assert_eq!(added["display_name"], "Ben");
    assert!(added["added_at"].is_string());
    let expected = vec![
        (ada.id.to_string(), "lead".to_owned()),
        (ben.id.to_string(), "co".to_owned()),
    ];
    assert_eq!(organizers_of(&app, None, &id).await, expected);
    assert_eq!(
        app.audited(&staff, "group", "group.organizer_added").await,
        1
    );
}

#[tokio::test]
async fn adding_a_member_with_a_private_profile_answers_without_their_name() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let pia = app.member("Pia Private").await;
    app.set_profile(&pia, &json!({"profile_public": false}))
        .await;
    let id = id_of(&app.provisional_group(&staff, &ada, "lyon-ops", "FR").await);
    let response = app
        .post(
            &format!("/v1/groups/{id}/organizers"),
            Some(&ada.token),
            &json!({"member_id": pia.id}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let added = body(response).await;
    assert_eq!(added["member_id"], pia.id.to_string());
    assert_eq!(added["display_name"], serde_json::Value::Null);
}

#[tokio::test]
async fn adding_an_organizer_twice_is_409_even_by_a_co_organizer() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let group = app
        .provisional_group(&staff, &ada, "lyon-operators", "FR")
        .await;
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
    assert_eq!(organizers_of(&app, None, &id).await, expected);
    assert_eq!(
        app.audited(&staff, "group", "group.organizer_added").await,
        1
    );
}

#[tokio::test]
async fn adding_an_unknown_member_is_422_on_member_id() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let group = app
        .provisional_group(&staff, &ada, "lyon-operators", "FR")
        .await;
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
    assert_eq!(organizers_of(&app, None, &id).await.len(), 1);
}

#[tokio::test]
async fn only_organizers_add_organizers() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let eve = app.member("Eve").await;
    let group = app
        .provisional_group(&staff, &ada, "lyon-operators", "FR")
        .await;
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
    assert_eq!(organizers_of(&app, None, &id).await.len(), 2);
}
