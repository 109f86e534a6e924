//! `GET /v1/regions/{slug}/ambassadors`: a region's serving ambassadors.

use liaison_tests::{assert_problem, body, TestApp};

use super::{listed, three_ambassadors_one_ended};

#[tokio::test]
async fn a_regions_page_lists_its_active_ambassadors_only() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (ana, _, cho) = three_ambassadors_one_ended(&app, &staff).await;
    assert_eq!(
        listed(&app, "/v1/regions/europe/ambassadors").await,
        [ana.as_str()]
    );
    assert_eq!(listed(&app, "/v1/regions/asia/ambassadors").await, [cho]);
}

#[tokio::test]
async fn the_ambassadors_of_an_unknown_region_are_404() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    app.ambassador(&staff, "Ana", "europe").await;
    assert_problem(
        app.get("/v1/regions/nowhere/ambassadors", None).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_term_that_has_run_out_is_not_on_its_regions_page() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (_, ambassadorship) = app.ambassador(&staff, "Amir", "europe").await;
    assert_eq!(
        listed(&app, "/v1/regions/europe/ambassadors").await.len(),
        1
    );
    app.age_the_term(&ambassadorship).await;
    let serving = body(app.get("/v1/regions/europe/ambassadors", None).await).await;
    assert_eq!(
        serving["items"].as_array().map(Vec::len),
        Some(0),
        "{serving}"
    );
}
