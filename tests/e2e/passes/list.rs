//! `GET /v1/summits/{id}/passes`: filtered, paged, and exported as CSV.

use liaison_tests::{
    api_key, assert_problem, body, id_of, manual_pass, string_of, summit, without_delivery, TestApp,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use super::{five_passes, Listed};

/// `GET /v1/summits/{id}/passes{query}` as `token`, asserting 200.
async fn pass_page(app: &TestApp, id: &str, query: &str, token: &str) -> Value {
    let response = app
        .get(&format!("/v1/summits/{id}/passes{query}"), Some(token))
        .await;
    assert_eq!(response.status(), StatusCode::OK, "list {query}");
    body(response).await
}

/// The ids of a page's items, in order.
fn pass_ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(id_of)
        .collect()
}

#[tokio::test]
async fn a_passes_read_key_sees_emails_only_with_the_members_email_scope() {
    // Arrange
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let holder = app.member("Hana Holder").await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    manual_pass(&app, &staff, &id, holder.id).await;
    let export = |token: String| {
        let (app, id) = (&app, id.clone());
        async move {
            let response = app
                .call(
                    Method::GET,
                    &format!("/v1/summits/{id}/passes"),
                    Some(&token),
                )
                .header("Accept", "text/csv")
                .send()
                .await
                .expect("csv");
            assert_eq!(response.status(), StatusCode::OK);
            let text = response.text().await.expect("csv text");
            let row: Vec<String> = text
                .lines()
                .nth(1)
                .expect("one pass")
                .split(',')
                .map(str::to_owned)
                .collect();
            (text.lines().next().map(str::to_owned), row[2].clone())
        }
    };
    let header = Some(
        "id,member_id,email,display_name,program,code,status,points,origin,issued_at".to_owned(),
    );
    // Act and assert: the same columns for all, the email only for some.
    let reader = api_key(&app, &["passes:read"], &[]).await;
    assert_eq!(export(reader).await, (header.clone(), String::new()));
    let mailer = api_key(&app, &["passes:read", "members:email"], &[]).await;
    assert_eq!(export(mailer).await, (header.clone(), holder.email.clone()));
    assert_eq!(
        export(staff.token.clone()).await,
        (header, holder.email.clone())
    );
}

#[tokio::test]
async fn staff_and_readers_list_a_summits_passes_filtered_by_programme_and_status() {
    let app = TestApp::spawn().await;
    let Listed {
        staff,
        reader,
        id,
        passes,
        ..
    } = five_passes(&app).await;
    let all = pass_page(&app, &id, "", &staff.token).await;
    assert_eq!(all["items"].as_array().map(Vec::len), Some(5));
    assert_eq!(all["next_cursor"], Value::Null);
    // The same page for a reader; each pass's `delivery` moves on its own as its mail goes out.
    let as_reader = pass_page(&app, &id, "", &reader).await;
    let bare = |page: &Value| -> Vec<Value> {
        page["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(without_delivery)
            .collect()
    };
    assert_eq!(bare(&as_reader), bare(&all));
    assert_eq!(
        pass_ids(&pass_page(&app, &id, "?program=acc", &reader).await).len(),
        3
    );
    assert_eq!(
        pass_ids(&pass_page(&app, &id, "?program=aoc", &reader).await).len(),
        2
    );
    assert_eq!(
        pass_ids(&pass_page(&app, &id, "?status=redeemed", &reader).await),
        [id_of(&passes[0])]
    );
    assert_eq!(
        pass_ids(&pass_page(&app, &id, "?status=revoked", &reader).await),
        [id_of(&passes[4])]
    );
    assert_eq!(
        pass_ids(&pass_page(&app, &id, "?status=issued", &reader).await).len(),
        3
    );
    assert_eq!(
        pass_ids(&pass_page(&app, &id, "?program=aoc&status=issued", &reader).await),
        [id_of(&passes[3])]
    );
}

#[tokio::test]
async fn a_summits_passes_page_in_a_stable_order_covering_each_once() {
    let app = TestApp::spawn().await;
    let Listed { staff, id, .. } = five_passes(&app).await;
    let all = pass_page(&app, &id, "", &staff.token).await;
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..10 {
        let path = match &cursor {
            Some(c) => format!("/v1/summits/{id}/passes?limit=2&cursor={c}"),
            None => format!("/v1/summits/{id}/passes?limit=2"),
        };
        let page = body(app.get(&path, Some(&staff.token)).await).await;
        assert!(page["items"].as_array().expect("items").len() <= 2);
        seen.extend(pass_ids(&page));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, pass_ids(&all));
}

#[tokio::test]
async fn a_summits_passes_export_as_csv_with_emails_for_a_members_email_key() {
    let app = TestApp::spawn().await;
    let Listed {
        staff,
        people,
        outsider,
        id,
        passes,
        ..
    } = five_passes(&app).await;
    // A header and one row per pass, with the member's email for a key that
    // was given `members:email`.
    let mailer = api_key(&app, &["passes:read", "members:email"], &[]).await;
    let csv = app
        .call(
            Method::GET,
            &format!("/v1/summits/{id}/passes"),
            Some(&mailer),
        )
        .header("Accept", "text/csv")
        .send()
        .await
        .expect("csv");
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-type"]
        .to_str()
        .expect("content type")
        .starts_with("text/csv"));
    let text = csv.text().await.expect("csv text");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "id,member_id,email,display_name,program,code,status,points,origin,issued_at"
    );
    assert_eq!(lines.len(), 6, "{text}");
    for (person, pass) in people.iter().zip(&passes) {
        let row = lines
            .iter()
            .find(|l| l.starts_with(&id_of(pass)))
            .unwrap_or_else(|| panic!("a row for {pass}"));
        assert!(row.contains(&person.email), "{row}");
        assert!(row.contains(&string_of(&pass["code"])), "{row}");
    }
    assert!(!text.contains(&outsider.email), "only this summit's passes");
    let acc_csv = app
        .call(
            Method::GET,
            &format!("/v1/summits/{id}/passes?program=acc"),
            Some(&staff.token),
        )
        .header("Accept", "text/csv")
        .send()
        .await
        .expect("csv")
        .text()
        .await
        .expect("csv text");
    assert_eq!(acc_csv.lines().count(), 4, "{acc_csv}");
}

#[tokio::test]
async fn only_staff_and_passes_read_keys_list_a_summits_passes() {
    let app = TestApp::spawn().await;
    let Listed {
        issuer, people, id, ..
    } = five_passes(&app).await;
    let path = format!("/v1/summits/{id}/passes");
    assert_problem(app.get(&path, None).await, 401, "unauthenticated").await;
    assert_problem(
        app.get(&path, Some(&people[0].token)).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(app.get(&path, Some(&issuer)).await, 403, "forbidden").await;
}

#[tokio::test]
async fn an_unknown_status_filter_on_a_summits_passes_is_400() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    assert_problem(
        app.get(
            &format!("/v1/summits/{id}/passes?status=lost"),
            Some(&staff.token),
        )
        .await,
        400,
        "malformed_request",
    )
    .await;
}

#[tokio::test]
async fn the_passes_of_an_unknown_summit_are_404() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    assert_problem(
        app.get(
            &format!("/v1/summits/{}/passes", Uuid::now_v7()),
            Some(&staff.token),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

/// Found by schemathesis: the pass's `delivery` and the webhook log's
/// delivery were both `DeliveryView`, so the document described a pass's
/// `{status, at}` with the webhook delivery's schema, and every listed pass
/// broke it.
#[tokio::test]
async fn a_pass_delivery_is_documented_as_the_status_and_time_it_is() {
    let doc = liaison_tests::document();
    let view = liaison_tests::component(&doc, "PassView");
    let delivery = &view["properties"]["delivery"]["oneOf"][1];
    assert_eq!(delivery["$ref"], "#/components/schemas/PassDelivery");
    let schema = liaison_tests::component(&doc, "PassDelivery");
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let holder = app.member("Hana Holder").await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 2}])).await);
    let pass = manual_pass(&app, &staff, &id, holder.id).await;
    let mut keys: Vec<&String> = pass["delivery"]
        .as_object()
        .expect("delivery")
        .keys()
        .collect();
    keys.sort();
    let mut documented: Vec<&String> = schema["properties"]
        .as_object()
        .expect("props")
        .keys()
        .collect();
    documented.sort();
    assert_eq!(keys, documented);
}
