//! `POST /v1/regions`: creating a region, taken slugs and countries, validation, races.

use liaison_tests::{assert_problem, body, count, error_fields, region_request, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::{create, read};

#[tokio::test]
async fn staff_create_a_region_with_sorted_upper_case_countries() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let response = app
        .post(
            "/v1/regions",
            Some(&staff.token),
            &json!({"slug": "europe", "name": " Europe ", "countries": ["gb", "FR", "de"], "ambassador_seats": 3}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()["location"], "/v1/regions/europe");
    assert!(response.headers().get("etag").is_some());
    let created = body(response).await;
    assert_eq!(created["slug"], "europe");
    assert_eq!(created["name"], "Europe");
    assert_eq!(created["countries"], json!(["DE", "FR", "GB"]));
    assert_eq!(created["ambassador_seats"], 3);
    // Anyone reads it back, with an ETag.
    let response = app.get("/v1/regions/europe", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get("etag").is_some());
    assert_eq!(body(response).await, created);
    let member = app.member("Ada").await;
    let list = body(app.get("/v1/regions", Some(&member.token)).await).await;
    assert_eq!(list["items"], json!([created]));
    assert_eq!(list["next_cursor"], Value::Null);
    assert_eq!(count(&app.db, "region_countries").await, 3);
}

#[tokio::test]
async fn an_admin_may_create_regions_too() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    create(&app, &admin.token, &region_request("africa", &["KE"])).await;
    assert_eq!(read(&app, "africa").await["countries"], json!(["KE"]));
}

#[tokio::test]
async fn a_taken_region_slug_is_409_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let europe = create(&app, &staff.token, &region_request("europe", &["FR"])).await;
    let response = app
        .post(
            "/v1/regions",
            Some(&staff.token),
            &region_request("europe", &["DE"]),
        )
        .await;
    assert_problem(response, 409, "already_exists").await;
    assert_eq!(count(&app.db, "regions").await, 1);
    assert_eq!(count(&app.db, "region_countries").await, 1);
    assert_eq!(read(&app, "europe").await, europe);
    // DE was not claimed by the failed request: another region may take it.
    create(&app, &staff.token, &region_request("central", &["DE"])).await;
}

#[tokio::test]
async fn a_country_of_another_region_is_409_country_taken_on_create() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    create(&app, &staff.token, &region_request("europe", &["FR", "DE"])).await;
    let audit_before = count(&app.db, "audit_log").await;
    let response = app
        .post(
            "/v1/regions",
            Some(&staff.token),
            &region_request("west", &["ES", "FR", "DE"]),
        )
        .await;
    let problem = assert_problem(response, 409, "country_taken").await;
    assert_eq!(error_fields(&problem), ["countries", "countries"]);
    let detail = problem["detail"].as_str().expect("detail");
    assert!(
        detail.contains("FR") && detail.contains("DE") && !detail.contains("ES"),
        "{detail}"
    );
    assert_problem(app.get("/v1/regions/west", None).await, 404, "not_found").await;
    assert_eq!(count(&app.db, "regions").await, 1);
    assert_eq!(count(&app.db, "region_countries").await, 2);
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
    assert_eq!(read(&app, "europe").await["countries"], json!(["DE", "FR"]));
}

#[tokio::test]
async fn invalid_regions_name_every_bad_field_and_write_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let audit_before = count(&app.db, "audit_log").await;
    let response = app
        .post(
            "/v1/regions",
            Some(&staff.token),
            &json!({"slug": "Bad Slug", "name": "x", "countries": ["FR", "XX", "fr"], "ambassador_seats": -1}),
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(
        error_fields(&problem),
        [
            "slug",
            "name",
            "countries[1]",
            "countries[2]",
            "ambassador_seats"
        ]
    );
    let response = app
        .post(
            "/v1/regions",
            Some(&staff.token),
            &json!({"slug": "-europe", "name": "N".repeat(101), "countries": [], "ambassador_seats": 1001}),
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["slug", "name", "ambassador_seats"]);
    assert_eq!(count(&app.db, "regions").await, 0);
    assert_eq!(count(&app.db, "region_countries").await, 0);
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
    let list = body(app.get("/v1/regions", None).await).await;
    assert_eq!(list["items"], json!([]));
}

#[tokio::test]
async fn only_staff_create_regions() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let ada = app.member("Ada").await;
    let europe = create(&app, &staff.token, &region_request("europe", &["FR"])).await;
    let asia = region_request("asia", &["JP"]);
    assert_problem(
        app.post("/v1/regions", Some(&ada.token), &asia).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post("/v1/regions", None, &asia).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(count(&app.db, "regions").await, 1);
    assert_problem(app.get("/v1/regions/asia", None).await, 404, "not_found").await;
    assert_eq!(read(&app, "europe").await, europe);
}

#[tokio::test]
async fn concurrent_claims_of_one_country_give_it_to_exactly_one_region() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let requests: Vec<Value> = (0..20)
        .map(|i| region_request(&format!("region-{i:02}"), &["FR"]))
        .collect();
    let calls = requests
        .iter()
        .map(|r| app.post("/v1/regions", Some(&staff.token), r));
    let responses = futures_util::future::join_all(calls).await;
    let mut created = 0;
    let mut winner = None;
    for (i, response) in responses.into_iter().enumerate() {
        if response.status() == StatusCode::CREATED {
            created += 1;
            winner = Some(format!("region-{i:02}"));
        } else {
            assert_problem(response, 409, "country_taken").await;
        }
    }
    assert_eq!(created, 1, "exactly one region gets FR");
    assert_eq!(count(&app.db, "regions").await, 1);
    assert_eq!(count(&app.db, "region_countries").await, 1);
    let winner = winner.expect("a winner");
    assert_eq!(read(&app, &winner).await["countries"], json!(["FR"]));
}

#[tokio::test]
async fn an_integer_written_as_2_0_is_read_as_2() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let response = app
        .post(
            "/v1/regions",
            Some(&staff.token),
            &json!({"slug": "europe", "name": "Europe", "countries": ["FR"], "ambassador_seats": 2.0}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(body(response).await["ambassador_seats"], 2);
    let fraction = app
        .post(
            "/v1/regions",
            Some(&staff.token),
            &json!({"slug": "asia", "name": "Asia", "countries": ["JP"], "ambassador_seats": 2.5}),
        )
        .await;
    let problem = assert_problem(fraction, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["ambassador_seats"]);
    assert_eq!(count(&app.db, "regions").await, 1);
}
