//! The OpenAPI document: served as committed, complete and consistent.

use liaison_tests::{body, TestApp};
use reqwest::StatusCode;

/// The lists that stream every row as CSV with `Accept: text/csv`.
const CSV_LISTS: [&str; 6] = [
    "/v1/audit-log",
    "/v1/feedback",
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

fn document() -> serde_json::Value {
    serde_json::from_str(&liaison_api::openapi::document_json()).expect("json")
}

/// Every `/v1` operation as `(method, path, operation)`.
fn operations(doc: &serde_json::Value) -> Vec<(String, String, serde_json::Value)> {
    let paths = doc["paths"].as_object().expect("paths");
    paths
        .iter()
        .filter(|(path, _)| path.starts_with("/v1/"))
        .flat_map(|(path, item)| {
            let item = item.as_object().expect("item").clone();
            item.into_iter()
                .map(move |(method, op)| (method, path.clone(), op))
        })
        .collect()
}

#[tokio::test]
async fn every_v1_operation_documents_401_for_a_bad_token() {
    for (method, path, op) in operations(&document()) {
        assert!(
            op["responses"].get("401").is_some(),
            "{method} {path} lacks 401"
        );
    }
}

#[tokio::test]
async fn every_operation_taking_an_idempotency_key_documents_its_reuse_as_409() {
    let mut seen = 0;
    for (method, path, op) in operations(&document()) {
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        if params.iter().any(|p| p["name"] == "Idempotency-Key") {
            seen += 1;
            let conflict = op["responses"]["409"]["description"]
                .as_str()
                .unwrap_or_default();
            assert!(
                conflict.contains("Idempotency-Key"),
                "{method} {path}: {conflict}"
            );
        }
    }
    assert!(seen >= 17, "{seen} operations take a key");
}

#[tokio::test]
async fn operations_that_need_credentials_declare_security() {
    let doc = document();
    for (path, method) in [
        ("/v1/summits/{id}/eligibility", "get"),
        ("/v1/summits/{id}/eligibility/{member}", "get"),
        ("/v1/summits/{id}/passes/issue", "post"),
        ("/v1/passes/redeem", "post"),
        ("/v1/summits/{id}/passes", "get"),
    ] {
        let op = &doc["paths"][path][method];
        assert_eq!(
            op["security"][0]["bearer"],
            serde_json::json!([]),
            "{method} {path}"
        );
    }
}

#[tokio::test]
async fn every_single_resource_get_documents_if_none_match_and_304() {
    let doc = document();
    let mut with_304: Vec<String> = operations(&doc)
        .into_iter()
        .filter(|(method, _, op)| method == "get" && op["responses"].get("304").is_some())
        .map(|(_, _, op)| op["operationId"].as_str().unwrap_or_default().to_owned())
        .collect();
    with_304.sort();
    let mut expected = [
        "directory",
        "draft_report",
        "feedback_summary",
        "get_ambassador",
        "get_application",
        "get_cycle",
        "get_event",
        "group_calendar",
        "personal_calendar",
        "region_calendar",
        "get_feedback",
        "get_group",
        "get_me",
        "get_member",
        "get_message",
        "get_program",
        "get_proposal",
        "get_region",
        "get_report",
        "get_summit",
        "get_translation",
        "get_webhook",
        "group_health",
        "group_messages",
        "region_dashboard",
        "list_events",
        "member_eligibility",
        "my_notifications",
    ];
    expected.sort();
    assert_eq!(with_304, expected);
}

#[tokio::test]
async fn the_documented_redeem_example_is_a_valid_code() {
    let example = document()["components"]["schemas"]["RedeemRequest"]["example"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        liaison_domain::pass::PassCode::parse(&example).is_ok(),
        "{example}"
    );
}

#[tokio::test]
async fn statuses_are_enums_and_slugs_have_their_pattern() {
    let doc = document();
    let schemas = &doc["components"]["schemas"];
    for (name, values) in [
        ("PassStatus", vec!["issued", "redeemed", "revoked"]),
        ("AppealStatus", vec!["open", "granted", "denied"]),
        (
            "GroupStatus",
            vec!["pending", "provisional", "official", "rejected", "inactive"],
        ),
        ("EventStatus", vec!["scheduled", "held", "cancelled"]),
        (
            "ContributionStatus",
            vec!["pending", "verified", "rejected"],
        ),
        ("AmbassadorStatus", vec!["active", "ended", "removed"]),
        (
            "ApplicationStatus",
            vec!["draft", "submitted", "selected", "declined", "withdrawn"],
        ),
        (
            "FeedbackStatus",
            vec![
                "new",
                "triaged",
                "forwarded",
                "acknowledged",
                "resolved",
                "duplicate",
                "rejected",
            ],
        ),
        (
            "FeedbackKind",
            vec!["bug", "pain_point", "feature_request", "praise", "question"],
        ),
        ("Severity", vec!["low", "medium", "high", "critical"]),
        ("OrganizerRole", vec!["lead", "co"]),
        (
            "TranslationStatus",
            vec!["proposed", "accepted", "rejected"],
        ),
        ("TranslationOutcome", vec!["accepted", "rejected"]),
        ("DisabledReason", vec!["gone", "failing", "by_owner"]),
        ("DeliveryStatus", vec!["pending", "sent", "failed"]),
    ] {
        assert_eq!(schemas[name]["enum"], serde_json::json!(values), "{name}");
    }
    // The webhook event types are the domain's names, every one of them.
    let names: Vec<&str> = liaison_domain::webhook::WebhookEvent::ALL
        .iter()
        .map(|e| e.as_str())
        .collect();
    assert_eq!(
        schemas["WebhookEventType"]["enum"],
        serde_json::json!(names)
    );
    let slug = &schemas["CreateRegion"]["properties"]["slug"];
    assert_eq!(slug["maxLength"], 64);
    assert!(slug["pattern"].is_string());
    assert_eq!(
        schemas["CreateRegion"]["properties"]["ambassador_seats"]["maximum"],
        1000
    );
}
