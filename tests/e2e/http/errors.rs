//! Problem documents for what the framework would answer in its own words; request ids.

use liaison_tests::{assert_problem, count, error_fields, TestApp};
use reqwest::Method;

#[tokio::test]
async fn an_unknown_route_is_a_problem_404_with_a_request_id() {
    let app = TestApp::spawn().await;
    let problem = assert_problem(app.get("/v1/nothing-here", None).await, 404, "not_found").await;
    assert!(problem["request_id"]
        .as_str()
        .is_some_and(|id| !id.is_empty()));
}

#[tokio::test]
async fn a_client_request_id_is_echoed() {
    let app = TestApp::spawn().await;
    let response = app
        .request(Method::GET, "/v1/regions")
        .header("X-Request-Id", "client-abc-123")
        .send()
        .await
        .expect("request");
    assert_eq!(response.headers()["x-request-id"], "client-abc-123");
}

#[tokio::test]
async fn a_request_id_that_could_forge_log_lines_is_replaced() {
    let app = TestApp::spawn().await;
    let response = app
        .request(Method::GET, "/v1/nothing")
        .header("X-Request-Id", "bad id\"with quotes")
        .send()
        .await
        .expect("request");
    let id = response.headers()["x-request-id"]
        .to_str()
        .expect("id")
        .to_owned();
    assert_ne!(id, "bad id\"with quotes");
    let problem = assert_problem(response, 404, "not_found").await;
    assert_eq!(problem["request_id"], id.as_str());
}

#[tokio::test]
async fn malformed_json_is_400_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let response = app
        .request(Method::POST, "/v1/auth/register")
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .expect("request");
    assert_problem(response, 400, "malformed_request").await;
    assert_eq!(count(&app.db, "members").await, 0);
}

#[tokio::test]
async fn a_missing_or_mistyped_field_is_422_naming_it_and_writes_nothing() {
    let app = TestApp::spawn().await;
    for (body, field, code) in [
        ("{\"email\": 42}", "email", "invalid_type"),
        (
            "{\"email\": \"ada@example.org\", \"display_name\": \"Ada\"}",
            "password",
            "required",
        ),
    ] {
        let response = app
            .request(Method::POST, "/v1/auth/register")
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("request");
        let problem = assert_problem(response, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), [field], "{body}");
        assert_eq!(problem["errors"][0]["code"], code);
    }
    assert_eq!(count(&app.db, "members").await, 0);
}

#[tokio::test]
async fn a_body_that_is_not_json_is_415() {
    let app = TestApp::spawn().await;
    let response = app
        .request(Method::POST, "/v1/auth/register")
        .header("content-type", "text/plain")
        .body("email=a@b.org")
        .send()
        .await
        .expect("request");
    assert_problem(response, 415, "unsupported_media_type").await;
    assert_eq!(count(&app.db, "members").await, 0);
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_413() {
    let app = TestApp::spawn().await;
    let big = format!("{{\"email\": \"{}\"}}", "a".repeat(1_100_000));
    let response = app
        .request(Method::POST, "/v1/auth/register")
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .expect("request");
    assert_problem(response, 413, "payload_too_large").await;
    assert_eq!(count(&app.db, "members").await, 0);
}

#[tokio::test]
async fn bad_paging_values_are_400_naming_the_parameter() {
    let app = TestApp::spawn().await;
    let problem = assert_problem(
        app.get("/v1/regions?limit=0", None).await,
        400,
        "malformed_request",
    )
    .await;
    assert_eq!(liaison_tests::error_fields(&problem), ["limit"]);
    assert_problem(
        app.get("/v1/regions?limit=201", None).await,
        400,
        "malformed_request",
    )
    .await;
    assert_problem(
        app.get("/v1/regions?limit=ten", None).await,
        400,
        "malformed_request",
    )
    .await;
    let problem = assert_problem(
        app.get("/v1/regions?cursor=not-a-cursor", None).await,
        400,
        "malformed_request",
    )
    .await;
    assert_eq!(liaison_tests::error_fields(&problem), ["cursor"]);
}
