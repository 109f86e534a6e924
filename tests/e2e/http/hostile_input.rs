//! Hostile input refused where it enters: NUL characters, long URLs and headers, deep or huge JSON.

use liaison_tests::{assert_problem, body, count, error_fields, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use uuid::Uuid;

/// Sends raw bytes on one connection and reads what comes back until the
/// server closes it or says nothing more for a second.
async fn raw_exchange(app: &TestApp, request: &[u8]) -> String {
    let address = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    // The server may answer and stop reading before all of a huge head is sent.
    let _ = stream.write_all(request).await;
    let mut answer = Vec::new();
    let mut chunk = [0u8; 65536];
    while let Ok(Ok(n)) =
        tokio::time::timeout(std::time::Duration::from_secs(1), stream.read(&mut chunk)).await
    {
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&chunk[..n]);
    }
    String::from_utf8_lossy(&answer).into_owned()
}

/// The status and the JSON body of the last answer in `raw`.
fn last_answer(raw: &str) -> (u16, String, Value) {
    let start = raw
        .rfind("HTTP/1.1 ")
        .unwrap_or_else(|| panic!("an HTTP answer in {raw:?}"));
    let answer = &raw[start..];
    let (head, body) = answer
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("head and body in {raw:?}"));
    let status = head[9..12].parse().expect("status");
    let value = serde_json::from_str(body).unwrap_or(Value::Null);
    (status, head.to_ascii_lowercase(), value)
}

/// Every string in `value` with a NUL appended.
fn poisoned(value: &Value) -> Value {
    match value {
        Value::String(s) => Value::String(format!("{s}\u{0}")),
        Value::Array(items) => Value::Array(items.iter().map(poisoned).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), poisoned(v))).collect())
        }
        other => other.clone(),
    }
}

/// The example body of an operation, from the document.
fn example_body(doc: &Value, op: &Value) -> Value {
    let content = &op["requestBody"]["content"]["application/json"];
    if !content["example"].is_null() {
        return content["example"].clone();
    }
    let schema = &content["schema"];
    let resolved = schema["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .map(|name| &doc["components"]["schemas"][name])
        .unwrap_or(schema);
    if !resolved["example"].is_null() {
        return resolved["example"].clone();
    }
    let mut body = serde_json::Map::new();
    if let Some(properties) = resolved["properties"].as_object() {
        for name in properties.keys() {
            body.insert(name.clone(), json!("text"));
        }
    }
    Value::Object(body)
}

#[tokio::test]
async fn a_nul_sent_to_every_operation_of_the_document_never_answers_5xx() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let doc: Value =
        serde_json::from_str(&liaison_api::openapi::document_json()).expect("the document");
    let mut failures = Vec::new();
    let mut sent = 0;
    for (template, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("operations") {
            let Ok(method) = Method::from_bytes(method.to_uppercase().as_bytes()) else {
                continue;
            };
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            let with = |value: &str| {
                let mut path = template.clone();
                for p in params.iter().filter(|p| p["in"] == "path") {
                    let name = p["name"].as_str().unwrap_or_default();
                    path = path.replace(&format!("{{{name}}}"), value);
                }
                path
            };
            let query: Vec<String> = params
                .iter()
                .filter(|p| p["in"] == "query")
                .filter_map(|p| p["name"].as_str())
                .map(|name| format!("{name}=a%00b"))
                .collect();
            let plain = with(&Uuid::now_v7().to_string());
            let mut requests = vec![
                (with("a%00b"), None),
                (format!("{plain}?{}", query.join("&")), None),
            ];
            if !op["requestBody"].is_null() {
                requests.push((plain.clone(), Some(poisoned(&example_body(&doc, op)))));
            }
            for (path, body) in requests {
                let mut request = app
                    .call(method.clone(), &path, Some(&admin.token))
                    .header("Idempotency-Key", Uuid::new_v4().to_string());
                if let Some(body) = &body {
                    request = request.json(body);
                }
                let response = request.send().await.expect("request");
                sent += 1;
                if response.status().is_server_error() {
                    failures.push(format!("{method} {path} → {}", response.status()));
                }
            }
        }
    }
    assert!(sent > 150, "the document has operations ({sent} requests)");
    assert!(failures.is_empty(), "5xx answers: {failures:#?}");
}

#[tokio::test]
async fn a_nul_in_a_json_string_is_a_422_naming_the_field_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let member = app.member("Nul Tester").await;
    let before = body(app.get("/v1/me", Some(&member.token)).await).await;
    let response = app
        .send_json(
            Method::PATCH,
            "/v1/me",
            Some(&member.token),
            &json!({"bio": "a\u{0}b", "city": "Ly\u{0}on"}),
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), vec!["bio", "city"]);
    assert_eq!(problem["errors"][0]["code"], "nul_character");
    let after = body(app.get("/v1/me", Some(&member.token)).await).await;
    assert_eq!(after, before, "nothing was written");
}

#[tokio::test]
async fn a_nul_in_a_sign_in_is_a_422_naming_the_email() {
    let app = TestApp::spawn().await;
    let response = app
        .post(
            "/v1/auth/token",
            None,
            &json!({"email": "a\u{0}@example.org", "password": "whatever it is"}),
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), vec!["email"]);
}

#[tokio::test]
async fn a_nul_in_a_registration_is_a_422_and_registers_nobody() {
    let app = TestApp::spawn().await;
    let response = app
        .post(
            "/v1/auth/register",
            None,
            &json!({"email": "ada@example.org", "password": "correct horse battery", "display_name": "Ad\u{0}a"}),
        )
        .await;
    assert_problem(response, 422, "validation_failed").await;
    assert_eq!(count(&app.db, "members").await, 0);
}

#[tokio::test]
async fn a_nul_in_a_path_is_404() {
    let app = TestApp::spawn().await;
    assert_problem(app.get("/v1/regions/%00", None).await, 404, "not_found").await;
    assert_problem(
        app.get("/v1/regions/eu%00rope", None).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_nul_in_a_query_value_is_400_naming_it() {
    let app = TestApp::spawn().await;
    let problem = assert_problem(
        app.get("/v1/groups?region=%00", None).await,
        400,
        "malformed_request",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["region"]);
}

#[tokio::test]
async fn a_cursor_that_decodes_to_a_nul_is_400() {
    let app = TestApp::spawn().await;
    // A cursor is opaque base64 JSON: one that decodes to a NUL was made up.
    use base64::Engine;
    let cursor = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("\"euro\\u0000pe\"");
    let problem = assert_problem(
        app.get(&format!("/v1/regions?cursor={cursor}"), None).await,
        400,
        "malformed_request",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["cursor"]);
}

#[tokio::test]
async fn a_url_over_the_limit_is_a_414_problem() {
    let app = TestApp::spawn().await;
    let long = format!("/v1/regions?x={}", "a".repeat(20_000));
    let problem = assert_problem(app.get(&long, None).await, 414, "uri_too_long").await;
    assert!(problem["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("8192"));
}

#[tokio::test]
async fn a_100_kb_url_is_a_problem_document_even_on_a_reused_connection() {
    let app = TestApp::spawn().await;
    let long = format!(
        "GET /v1/regions?x={} HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "a".repeat(100_000)
    );
    let (status, head, problem) = last_answer(&raw_exchange(&app, long.as_bytes()).await);
    assert_eq!(status, 400, "{head}");
    assert!(
        head.contains("content-type: application/problem+json"),
        "{head}"
    );
    assert_eq!(problem["code"], "malformed_request", "{problem}");
    assert!(problem["request_id"].is_string());
    // The same after an ordinary request on the same connection.
    let mut both = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n".to_vec();
    both.extend_from_slice(long.as_bytes());
    let raw = raw_exchange(&app, &both).await;
    assert!(
        raw.starts_with("HTTP/1.1 200 OK"),
        "{}",
        &raw[..200.min(raw.len())]
    );
    let (status, _, problem) = last_answer(&raw);
    assert_eq!(
        (status, problem["code"].as_str()),
        (400, Some("malformed_request"))
    );
}

#[tokio::test]
async fn headers_over_128_kib_are_a_431_problem_document() {
    let app = TestApp::spawn().await;
    let request = format!(
        "GET /v1/regions HTTP/1.1\r\nHost: localhost\r\nX-Big: {}\r\n\r\n",
        "a".repeat(140_000)
    );
    let (status, head, problem) = last_answer(&raw_exchange(&app, request.as_bytes()).await);
    assert_eq!(status, 431, "{head}");
    assert_eq!(problem["code"], "request_header_fields_too_large");
    assert_eq!(app.get("/healthz", None).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn deeply_nested_json_is_refused_and_the_server_stays_up() {
    let app = TestApp::spawn().await;
    // 100,000 levels as the body, and as a field that holds any JSON.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let response = app
        .request(Method::POST, "/v1/auth/register")
        .header("content-type", "application/json")
        .body(deep.clone())
        .send()
        .await
        .expect("request");
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(
        error_fields(&problem),
        ["[0]"],
        "read by position, as serde does"
    );
    let response = app
        .request(Method::POST, "/v1/auth/register")
        .header("content-type", "application/json")
        .body(format!("{{\"email\": {deep}}}"))
        .send()
        .await
        .expect("request");
    assert_problem(response, 422, "validation_failed").await;
    assert_eq!(count(&app.db, "members").await, 0);
    assert_eq!(app.get("/healthz", None).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_huge_array_gets_a_bounded_list_of_errors_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let regions_before = count(&app.db, "regions").await;
    let countries: Vec<String> = (0..100_000).map(|i| format!("Q{}", i % 10)).collect();
    let response = app
        .post(
            "/v1/regions",
            Some(&staff.token),
            &json!({"slug": "everywhere", "name": "Everywhere", "countries": countries, "ambassador_seats": 1}),
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    let listed = problem["errors"].as_array().map_or(0, Vec::len);
    assert!((1..=100).contains(&listed), "{listed} errors listed");
    assert_eq!(count(&app.db, "regions").await, regions_before);
}

#[tokio::test]
async fn a_huge_string_is_a_422_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let response = app
        .post(
            "/v1/auth/register",
            None,
            &json!({"email": "ada@example.org", "password": "correct horse battery", "display_name": "a".repeat(900_000)}),
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), vec!["display_name"]);
    assert_eq!(count(&app.db, "members").await, 0);
}
