//! `GET /v1/regions`: pages in slug order and the CSV export.

use liaison_tests::{body, region_request, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::Value;

use super::{create, read};

/// The slugs of every region, walking the pages.
async fn all_slugs(app: &TestApp, limit: u32) -> (Vec<String>, usize) {
    let mut slugs = Vec::new();
    let mut pages = 0;
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/regions?limit={limit}&cursor={c}"),
            None => format!("/v1/regions?limit={limit}"),
        };
        let response = app.get(&path, None).await;
        assert_eq!(response.status(), StatusCode::OK);
        let page = body(response).await;
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= limit as usize, "{page}");
        slugs.extend(
            items
                .iter()
                .map(|r| r["slug"].as_str().expect("slug").to_owned()),
        );
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => {
                assert_eq!(page["next_cursor"], Value::Null);
                return (slugs, pages);
            }
        }
        assert!(pages < 50, "pagination does not end");
    }
}

#[tokio::test]
async fn pages_walk_every_region_once_in_slug_order() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    for (slug, country) in [
        ("oceania", "AU"),
        ("africa", "KE"),
        ("europe", "FR"),
        ("asia", "JP"),
        ("americas", "US"),
    ] {
        create(&app, &staff.token, &region_request(slug, &[country])).await;
    }
    let (slugs, pages) = all_slugs(&app, 2).await;
    assert_eq!(
        slugs,
        ["africa", "americas", "asia", "europe", "oceania"],
        "stable slug order, each once"
    );
    assert_eq!(pages, 3);
    // The same walk gives the same result.
    assert_eq!(all_slugs(&app, 2).await.0, slugs);
    let (slugs, pages) = all_slugs(&app, 5).await;
    assert_eq!(slugs.len(), 5);
    assert_eq!(pages, 1, "a full last page ends with a null cursor");
}

#[tokio::test]
async fn regions_export_as_csv_with_a_header_row_and_one_row_each() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    create(&app, &staff.token, &region_request("europe", &["FR", "DE"])).await;
    create(&app, &staff.token, &region_request("asia", &["JP"])).await;
    create(&app, &staff.token, &region_request("antarctica", &[])).await;
    let response = app
        .request(Method::GET, "/v1/regions")
        .header("Accept", "text/csv")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"]
        .to_str()
        .expect("content type")
        .to_owned();
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    let text = response.text().await.expect("csv");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "id,slug,name,countries,ambassador_seats");
    assert_eq!(lines.len(), 4, "{text}");
    let europe = read(&app, "europe").await;
    assert_eq!(lines[1].split(',').nth(1), Some("antarctica"));
    assert_eq!(lines[2].split(',').nth(1), Some("asia"));
    assert_eq!(
        lines[3],
        format!(
            "{},europe,Region europe,DE FR,3",
            europe["id"].as_str().expect("id")
        )
    );
}

#[tokio::test]
async fn an_empty_csv_export_still_has_its_header_row() {
    let app = TestApp::spawn().await;
    let response = app
        .request(Method::GET, "/v1/regions")
        .header("Accept", "text/csv")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("csv");
    // A script reading columns by name must not break when there are no rows.
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        ["id,slug,name,countries,ambassador_seats"],
        "{text:?}"
    );
}
