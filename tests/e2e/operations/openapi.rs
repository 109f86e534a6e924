//! The OpenAPI document: served as committed, complete and consistent.

use liaison_tests::{body, TestApp};
use reqwest::StatusCode;

/// The lists that stream every row as CSV with `Accept: text/csv`.
const CSV_LISTS: [&str; 5] = [
    "/v1/audit-log",
    "/v1/groups",
    "/v1/regions",
    "/v1/summits/{id}/eligibility",
    "/v1/summits/{id}/passes",
];

#[tokio::test]
async fn the_served_document_is_the_committed_one() {
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/v1.json"))
            .expect("openapi/v1.json is committed");
    let generated = liaison_api::openapi::document_json();
    assert!(
        committed == generated,
        "openapi/v1.json is stale: run `cargo run -p liaison-api --bin liaison -- openapi > openapi/v1.json`"
    );
    let app = TestApp::spawn().await;
    let served = body(app.get("/v1/openapi.json", None).await).await;
    let committed: serde_json::Value = serde_json::from_str(&committed).expect("committed JSON");
    assert_eq!(served, committed);
    assert_eq!(served["openapi"], "3.1.0");
}

#[tokio::test]
async fn every_operation_documents_its_errors_with_examples() {
    let doc: serde_json::Value =
        serde_json::from_str(&liaison_api::openapi::document_json()).expect("json");
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.contains_key("/v1/regions") && paths.contains_key("/v1/auth/token"));
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("item") {
            let responses = op["responses"].as_object().expect("responses");
            assert!(responses.contains_key("503"), "{method} {path} lacks 503");
            for (status, response) in responses {
                if let Some(problem) = response["content"].get("application/problem+json") {
                    assert!(
                        problem.get("example").is_some(),
                        "{method} {path} {status} lacks an example"
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn operation_ids_are_unique() {
    let doc: serde_json::Value =
        serde_json::from_str(&liaison_api::openapi::document_json()).expect("json");
    let mut ids: Vec<String> = doc["paths"]
        .as_object()
        .expect("paths")
        .values()
        .flat_map(|item| {
            item.as_object()
                .expect("item")
                .values()
                .filter_map(|op| op["operationId"].as_str().map(str::to_owned))
        })
        .collect();
    let total = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), total, "duplicate operationId in {ids:?}");
}

#[tokio::test]
async fn every_schema_reference_resolves() {
    let text = liaison_api::openapi::document_json();
    let doc: serde_json::Value = serde_json::from_str(&text).expect("json");
    let have = doc["components"]["schemas"].as_object().expect("schemas");
    let missing: Vec<&str> = text
        .split("#/components/schemas/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|name| !have.contains_key(*name))
        .collect();
    assert!(missing.is_empty(), "dangling $ref: {missing:?}");
}

#[tokio::test]
async fn the_document_declares_text_csv_on_exactly_the_csv_lists() {
    let doc: serde_json::Value =
        serde_json::from_str(&liaison_api::openapi::document_json()).expect("document");
    let mut declared: Vec<String> = doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .filter(|(_, item)| !item["get"]["responses"]["200"]["content"]["text/csv"].is_null())
        .map(|(path, _)| path.clone())
        .collect();
    declared.sort();
    assert_eq!(declared, CSV_LISTS);
}

#[tokio::test]
async fn each_csv_list_streams_csv_with_its_header_row_to_staff() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let today = chrono::Utc::now().date_naive();
    let summit = body(
        app.post(
            "/v1/summits",
            Some(&staff.token),
            &serde_json::json!({"name": "CSV summit", "city": "Lisbon", "starts_on": today + chrono::Duration::days(90),
                    "ends_on": today + chrono::Duration::days(92), "eligibility_cutoff": today,
                    "programs": [{"program": "acc", "quota": 10}]}),
        )
        .await,
    )
    .await;
    let id = summit["id"].as_str().expect("summit id");
    for list in CSV_LISTS {
        let path = format!("{}?program=acc", list.replace("{id}", id));
        let response = app
            .call(reqwest::Method::GET, &path, Some(&staff.token))
            .header("Accept", "text/csv")
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .is_ok_and(|t| t.starts_with("text/csv")),
            "{path}"
        );
        let text = response.text().await.expect("csv");
        assert!(
            text.lines().next().is_some_and(|h| h.contains(',')),
            "{path}: {text}"
        );
    }
}
