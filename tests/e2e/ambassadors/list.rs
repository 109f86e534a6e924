//! `GET /v1/ambassadors`: newest first, filtered by region and status, page by page.

use liaison_tests::{assert_problem, body, TestApp};

use super::{listed, three_ambassadors_one_ended};

#[tokio::test]
async fn anyone_lists_ambassadors_newest_first_filtered_by_region_and_status() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (ana, ben, cho) = three_ambassadors_one_ended(&app, &staff).await;
    assert_eq!(
        listed(&app, "/v1/ambassadors").await,
        [cho.clone(), ben.clone(), ana.clone()],
        "newest first"
    );
    assert_eq!(
        listed(&app, "/v1/ambassadors?region=europe").await,
        [ben.clone(), ana.clone()]
    );
    assert_eq!(
        listed(&app, "/v1/ambassadors?status=active").await,
        [cho.clone(), ana.clone()]
    );
    assert_eq!(
        listed(&app, "/v1/ambassadors?region=europe&status=ended").await,
        [ben.as_str()]
    );
    assert_eq!(
        listed(&app, "/v1/ambassadors?region=nowhere").await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn the_ambassador_list_pages_with_a_cursor() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (ana, _, _) = three_ambassadors_one_ended(&app, &staff).await;
    let response = app.get("/v1/ambassadors?limit=2", None).await;
    let page = body(response).await;
    assert_eq!(page["items"].as_array().map(Vec::len), Some(2));
    let cursor = page["next_cursor"].as_str().expect("cursor");
    assert_eq!(
        listed(&app, &format!("/v1/ambassadors?limit=2&cursor={cursor}")).await,
        [ana]
    );
}

#[tokio::test]
async fn an_unknown_status_or_a_garbage_cursor_on_the_ambassador_list_is_400() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    app.ambassador(&staff, "Ana", "europe").await;
    assert_problem(
        app.get("/v1/ambassadors?status=bogus", None).await,
        400,
        "malformed_request",
    )
    .await;
    assert_problem(
        app.get("/v1/ambassadors?cursor=garbage", None).await,
        400,
        "malformed_request",
    )
    .await;
}
