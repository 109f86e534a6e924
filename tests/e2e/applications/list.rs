//! `GET /v1/ambassador-cycles/{id}/applications`: for staff and active ambassadors, with filters.

use liaison_tests::{assert_problem, body, id_of, page_ids, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn an_ambassador_whose_term_has_run_out_may_not_list_applications() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (amir, ambassadorship) = app.ambassador(&staff, "Amir", "europe").await;
    let cycle = id_of(&app.cycle(&staff, None, None).await);
    let list = format!("/v1/ambassador-cycles/{cycle}/applications");
    assert_eq!(
        app.get(&list, Some(&amir.token)).await.status(),
        StatusCode::OK
    );
    app.age_the_term(&ambassadorship).await;
    assert_problem(app.get(&list, Some(&amir.token)).await, 403, "forbidden").await;
}

#[tokio::test]
async fn the_applications_of_an_unknown_cycle_are_404() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let unknown = uuid::Uuid::now_v7();
    assert_problem(
        app.get(
            &format!("/v1/ambassador-cycles/{unknown}/applications"),
            Some(&staff.token),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn staff_and_active_ambassadors_list_a_cycles_applications_with_filters() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    app.region(&staff, "asia", &["JP"], 3).await;
    let (ambassador, _) = app.ambassador(&staff, "Amir Ambassador", "asia").await;
    let cycle = app.cycle(&staff, None, None).await;
    let cycle_id = id_of(&cycle);
    let ada = app.member("Ada").await;
    let bob = app.member("Bob").await;
    let cho = app.member("Cho").await;
    let draft = app.application(&ada, &cycle_id, "europe").await;
    let europe = app.submitted_application(&bob, &cycle_id, "europe").await;
    let asia = app.submitted_application(&cho, &cycle_id, "asia").await;
    let path = format!("/v1/ambassador-cycles/{cycle_id}/applications");
    // Staff see drafts too; an ambassador sees submitted work only.
    for (token, expected) in [
        (
            &staff.token,
            vec![id_of(&draft), id_of(&europe), id_of(&asia)],
        ),
        (&ambassador.token, vec![id_of(&europe), id_of(&asia)]),
    ] {
        let response = app.get(&path, Some(token)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let page = body(response).await;
        assert_eq!(page_ids(&page), expected, "oldest first");
        assert_eq!(page["next_cursor"], Value::Null);
        assert!(page["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|a| a.get("reviews").is_none()));
    }
    let page = body(
        app.get(&format!("{path}?status=draft"), Some(&ambassador.token))
            .await,
    )
    .await;
    assert_eq!(page["items"], json!([]));
    let page = body(
        app.get(&format!("{path}?status=draft"), Some(&staff.token))
            .await,
    )
    .await;
    assert_eq!(page_ids(&page), [id_of(&draft)]);
    let page = body(
        app.get(&format!("{path}?region=europe"), Some(&staff.token))
            .await,
    )
    .await;
    assert_eq!(page_ids(&page), [id_of(&draft), id_of(&europe)]);
    let page = body(
        app.get(&format!("{path}?status=submitted"), Some(&staff.token))
            .await,
    )
    .await;
    assert_eq!(page_ids(&page), [id_of(&europe), id_of(&asia)]);
    let page = body(
        app.get(
            &format!("{path}?region=europe&status=submitted"),
            Some(&staff.token),
        )
        .await,
    )
    .await;
    assert_eq!(page_ids(&page), [id_of(&europe)]);
    let page = body(
        app.get(&format!("{path}?limit=2"), Some(&staff.token))
            .await,
    )
    .await;
    assert_eq!(page_ids(&page), [id_of(&draft), id_of(&europe)]);
    let cursor = page["next_cursor"].as_str().expect("cursor");
    let page = body(
        app.get(
            &format!("{path}?limit=2&cursor={cursor}"),
            Some(&staff.token),
        )
        .await,
    )
    .await;
    assert_eq!(page_ids(&page), [id_of(&asia)]);
}

#[tokio::test]
async fn members_may_not_list_a_cycles_applications() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let cycle = app.cycle(&staff, None, None).await;
    let ada = app.member("Ada").await;
    app.submitted_application(&ada, &id_of(&cycle), "europe")
        .await;
    let path = format!("/v1/ambassador-cycles/{}/applications", id_of(&cycle));
    // Not even an applicant: they read their own at /v1/me/applications.
    assert_problem(app.get(&path, Some(&ada.token)).await, 403, "forbidden").await;
    let bob = app.member("Bob").await;
    assert_problem(app.get(&path, Some(&bob.token)).await, 403, "forbidden").await;
    assert_problem(app.get(&path, None).await, 401, "unauthenticated").await;
}

#[tokio::test]
async fn an_unknown_status_filter_on_a_cycles_applications_is_400() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let cycle = app.cycle(&staff, None, None).await;
    let path = format!("/v1/ambassador-cycles/{}/applications", id_of(&cycle));
    assert_problem(
        app.get(&format!("{path}?status=bogus"), Some(&staff.token))
            .await,
        400,
        "malformed_request",
    )
    .await;
}
