//! `PATCH /v1/groups/{id}`: organizers edit a group.

use liaison_tests::{
    assert_problem, body, error_fields, etag, id_of, patch_group, Member, TestApp,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::{listed, read, read_ok};

/// Ada edits her provisional group with its current `ETag`, asserting 200;
/// returns the group's id, the tag before and the edited group with its tag.
async fn edit_with_if_match(
    app: &TestApp,
    staff: &Member,
    ada: &Member,
) -> (String, String, Value, String) {
    let group = app
        .provisional_group(staff, ada, "lyon-operators", "FR")
        .await;
    let id = id_of(&group);
    let response = read(app, Some(&ada.token), &id).await;
    let tag = etag(&response);
    let response = patch_group(
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
    let staff = app.staff_with_two_regions().await;
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
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let (id, tag, edited, _) = edit_with_if_match(&app, &staff, &ada).await;
    // A writer holding the old tag is refused and changes nothing.
    let response = patch_group(
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
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let group = app
        .provisional_group(&staff, &ada, "lyon-operators", "FR")
        .await;
    let id = id_of(&group);
    for (country, region) in [
        ("jp", json!("asia")),
        ("BR", Value::Null),
        ("DE", json!("europe")),
    ] {
        let response = patch_group(
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
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let eve = app.member("Eve").await;
    let public = app
        .provisional_group(&staff, &ada, "lyon-operators", "FR")
        .await;
    let pending = app.group(&ada, "paris-operators", "FR").await;
    let change = json!({"name": "Taken over"});
    let response = patch_group(&app, None, &id_of(&public), None, &change).await;
    assert_problem(response, 401, "unauthenticated").await;
    let response = patch_group(&app, Some(&eve.token), &id_of(&public), None, &change).await;
    assert_problem(response, 403, "forbidden").await;
    let response = patch_group(&app, Some(&eve.token), &id_of(&pending), None, &change).await;
    assert_problem(response, 404, "not_found").await;
    assert_eq!(read_ok(&app, None, &id_of(&public)).await, public);
    assert_eq!(
        read_ok(&app, Some(&ada.token), &id_of(&pending)).await,
        pending
    );
    assert_eq!(app.audited(&staff, "group", "group.updated").await, 0);
}

#[tokio::test]
async fn an_invalid_group_edit_names_every_bad_field_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let group = app
        .provisional_group(&staff, &ada, "lyon-operators", "FR")
        .await;
    let id = id_of(&group);
    let response = patch_group(
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
