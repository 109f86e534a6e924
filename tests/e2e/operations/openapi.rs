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

/// Found by schemathesis: the URL screen answers 400 to a query holding a
/// NUL on every route, and a `DELETE` with a body (an erasure confirmed by
/// password) refuses a bad body as any other write does; neither was said.
#[tokio::test]
async fn every_operation_documents_400_and_a_delete_with_a_body_its_body_errors() {
    let doc = document();
    let mut deletes_with_a_body = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            assert!(
                op["responses"]["400"].is_object(),
                "{method} {path} lacks 400"
            );
            if method == "delete" && op.get("requestBody").is_some() {
                deletes_with_a_body += 1;
                for status in ["413", "415", "422"] {
                    assert!(
                        op["responses"][status].is_object(),
                        "{method} {path}: {status}"
                    );
                }
            }
        }
    }
    assert_eq!(
        deletes_with_a_body, 2,
        "DELETE /v1/me and /v1/members/{{id}}"
    );
    let app = TestApp::spawn().await;
    for path in ["/v1/me?x=%00", "/healthz?x=%00", "/v1/regions?cursor=%00"] {
        let response = app.get(path, None).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
    }
}

/// The operation ids of the document, each with its parameters as a link
/// names them (`id`, `header.If-Match`).
fn link_targets(doc: &serde_json::Value) -> std::collections::BTreeMap<String, Vec<String>> {
    operations(doc)
        .into_iter()
        .map(|(_, _, op)| {
            let names = op["parameters"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(|p| match p["in"].as_str() {
                    Some("path") => p["name"].as_str().unwrap_or_default().to_owned(),
                    other => format!(
                        "{}.{}",
                        other.unwrap_or_default(),
                        p["name"].as_str().unwrap_or_default()
                    ),
                })
                .collect();
            (
                op["operationId"].as_str().unwrap_or_default().to_owned(),
                names,
            )
        })
        .collect()
}

#[tokio::test]
async fn every_link_names_an_operation_and_parameters_it_has() {
    let doc = document();
    let targets = link_targets(&doc);
    let mut links = 0;
    for (method, path, op) in operations(&doc) {
        for (status, response) in op["responses"].as_object().expect("responses") {
            for (name, link) in response["links"].as_object().into_iter().flatten() {
                links += 1;
                let target = link["operationId"].as_str().unwrap_or_default();
                let params = targets
                    .get(target)
                    .unwrap_or_else(|| panic!("{method} {path} {status} {name}: no {target}"));
                for (param, expression) in link["parameters"].as_object().expect("parameters") {
                    assert!(params.contains(param), "{name}: {target} has no {param}");
                    let expression = expression.as_str().unwrap_or_default();
                    assert!(
                        expression.starts_with("$response.body#/")
                            || expression.starts_with("$response.header.")
                            || expression.starts_with("$request.path."),
                        "{name}: {expression}"
                    );
                }
                assert!(
                    link.get("operation_id").is_none(),
                    "{name}: spelled as OpenAPI spells it"
                );
            }
        }
    }
    assert!(links >= 70, "{links} links");
    // The creates that have a resource to read back link to it.
    for (path, to) in [
        ("/v1/groups", "GetGroup"),
        ("/v1/groups/{id}/events", "GetEvent"),
        ("/v1/summits", "GetSummit"),
        ("/v1/summits/{id}/passes", "RevokePass"),
        ("/v1/regions", "GetRegion"),
        ("/v1/ambassador-cycles", "GetCycle"),
        ("/v1/ambassador-cycles/{id}/applications", "GetApplication"),
        ("/v1/messages", "GetMessage"),
        ("/v1/messages/{id}/translations", "GetTranslation"),
        ("/v1/feedback", "GetFeedback"),
        ("/v1/webhooks", "GetWebhook"),
        ("/v1/recognition-programs", "GetProgram"),
    ] {
        assert!(
            doc["paths"][path]["post"]["responses"]["201"]["links"][to].is_object(),
            "POST {path} links to {to}"
        );
    }
}

/// Follows a link the way a client does: its expression on the answer.
#[tokio::test]
async fn a_created_group_is_read_back_and_patched_through_its_links() {
    let doc = document();
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let created = app
        .post(
            "/v1/groups",
            Some(&ada.token),
            &liaison_tests::group_request("lyon-ops", "FR"),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created = body(created).await;
    let links = &doc["paths"]["/v1/groups"]["post"]["responses"]["201"]["links"];
    let pointer = links["GetGroup"]["parameters"]["id_or_slug"]
        .as_str()
        .and_then(|e| e.strip_prefix("$response.body#"))
        .expect("a body pointer");
    let id = created
        .pointer(pointer)
        .and_then(|v| v.as_str())
        .expect("id");
    let read = app.get(&format!("/v1/groups/{id}"), Some(&ada.token)).await;
    assert_eq!(read.status(), StatusCode::OK);
    // GET → PATCH carries the ETag into If-Match.
    let to_patch =
        &doc["paths"]["/v1/groups/{id_or_slug}"]["get"]["responses"]["200"]["links"]["UpdateGroup"];
    assert_eq!(
        to_patch["parameters"]["header.If-Match"],
        "$response.header.ETag"
    );
    let tag = read.headers()["etag"].to_str().expect("etag").to_owned();
    let patched = app
        .patch_if_match(
            &format!("/v1/groups/{id}"),
            &ada.token,
            Some(&tag),
            &serde_json::json!({"city": "Lyon"}),
        )
        .await;
    assert_eq!(patched.status(), StatusCode::OK);
}

/// Found by schemathesis: the document said "a string" where the server
/// parses a value type, so clients following it were refused with 422s.
/// Each value type is a component, described as its parser reads it.
#[tokio::test]
async fn value_types_are_components_stated_as_the_server_parses_them() {
    use liaison_api::openapi_values as values;
    let doc = document();
    let schemas = &doc["components"]["schemas"];
    let countries = schemas["CountryCode"]["enum"].as_array().expect("codes");
    assert_eq!(countries.len(), 249);
    assert!(countries.contains(&"FR".into()) && !countries.contains(&"AA".into()));
    assert_eq!(schemas["Slug"]["pattern"], values::SLUG_PATTERN);
    assert_eq!(schemas["Quarter"]["pattern"], values::QUARTER_PATTERN);
    assert_eq!(
        schemas["LanguageTag"]["pattern"],
        values::LANGUAGE_TAG_PATTERN
    );
    assert_eq!(schemas["EmailAddress"]["pattern"], values::email_pattern());
    assert_eq!(
        schemas["RoleName"]["enum"],
        serde_json::json!(["staff", "admin"])
    );
    let scopes: Vec<&str> = liaison_domain::Scope::ALL
        .iter()
        .map(|s| s.as_str())
        .collect();
    assert_eq!(schemas["ScopeName"]["enum"], serde_json::json!(scopes));
    // A trimmed text states the server's white space and its trimmed length.
    assert_eq!(
        schemas["RegisterRequest"]["properties"]["display_name"]["pattern"],
        values::trimmed_between(1, Some(100))
    );
    let app = TestApp::spawn().await;
    let register = |country: &str, name: &str| {
        serde_json::json!({"email": format!("{}@example.org", uuid::Uuid::new_v4()), "password": liaison_tests::PASSWORD,
            "display_name": name, "country": country})
    };
    let first = countries[0].as_str().expect("code");
    let last = countries[248].as_str().expect("code");
    for (country, name, status) in [
        (first, "Ada", 201),
        (last, " Ada ", 201),
        ("AA", "Ada", 422),
    ] {
        let response = app
            .post("/v1/auth/register", None, &register(country, name))
            .await;
        assert_eq!(response.status().as_u16(), status, "{country} {name:?}");
    }
}
