//! `GET /v1/recognition-programs/{slug}`.

use liaison_tests::{assert_problem, body, TestApp};

use super::program;

#[tokio::test]
async fn one_programme_reads_the_same_as_in_the_list() {
    let app = TestApp::spawn().await;
    let programs = body(app.get("/v1/recognition-programs", None).await).await["items"].clone();
    let programs = programs.as_array().expect("a page of programmes");
    assert_eq!(&program(&app, "acc").await, &programs[0]);
    assert_eq!(&program(&app, "aoc").await, &programs[1]);
}

#[tokio::test]
async fn an_unknown_programme_is_404() {
    let app = TestApp::spawn().await;
    assert_problem(
        app.get("/v1/recognition-programs/nope", None).await,
        404,
        "not_found",
    )
    .await;
}
