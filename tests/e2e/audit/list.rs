//! `GET /v1/audit-log`: filters, pages, CSV, and who may read it.

use chrono::{SecondsFormat, Utc};
use liaison_tests::{assert_problem, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::{actions, audit_page, create_region, entries};

#[tokio::test]
async fn filters_on_entity_actor_and_time_narrow_the_log() {
    let app = TestApp::spawn().await;
    let sam = app.staff().await;
    let kim = app.member_with_roles("Kim Staff", &["staff"]).await;
    let (europe, _) = create_region(&app, &sam, "europe", "FR").await;
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let between = Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let (asia, _) = create_region(&app, &kim, "asia", "JP").await;
    let response = app
        .send_json(
            Method::PATCH,
            "/v1/regions/europe",
            Some(&kim.token),
            &json!({"ambassador_seats": 5}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    let by_entity = entries(
        &app,
        &sam,
        &format!(
            "entity_type=region&entity_id={}",
            europe["id"].as_str().expect("id")
        ),
    )
    .await;
    assert_eq!(actions(&by_entity), ["region.updated", "region.created"]);

    let by_kim = entries(&app, &sam, &format!("entity_type=region&actor={}", kim.id)).await;
    assert_eq!(actions(&by_kim), ["region.updated", "region.created"]);
    assert_eq!(by_kim[1]["entity_id"], asia["id"]);
    assert!(by_kim.iter().all(|e| e["actor_id"] == kim.id.to_string()));

    let by_sam = entries(&app, &sam, &format!("entity_type=region&actor={}", sam.id)).await;
    assert_eq!(actions(&by_sam), ["region.created"]);
    assert_eq!(by_sam[0]["entity_id"], europe["id"]);

    let since = entries(&app, &sam, &format!("since={between}")).await;
    assert_eq!(actions(&since), ["region.updated", "region.created"]);
    assert_eq!(since[1]["entity_id"], asia["id"]);

    let nothing = entries(
        &app,
        &sam,
        &format!("entity_type=region&entity_id={}", uuid::Uuid::now_v7()),
    )
    .await;
    assert!(nothing.is_empty());
}

#[tokio::test]
async fn bad_audit_log_filters_are_400() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    for query in [
        "since=yesterday",
        "actor=not-a-uuid",
        "limit=0",
        "cursor=nope",
    ] {
        let response = app
            .get(&format!("/v1/audit-log?{query}"), Some(&staff.token))
            .await;
        assert_problem(response, 400, "malformed_request").await;
    }
}

#[tokio::test]
async fn the_log_is_newest_first_and_pages_without_gaps_or_repeats() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let slugs = ["one", "two", "three", "four", "five"];
    let countries = ["FR", "DE", "ES", "IT", "PT"];
    for (slug, country) in slugs.iter().zip(countries) {
        create_region(&app, &staff, slug, country).await;
    }
    let full = entries(&app, &staff, "entity_type=region").await;
    let newest_first: Vec<&str> = full
        .iter()
        .map(|e| e["summary"]["slug"].as_str().expect("slug"))
        .collect();
    assert_eq!(newest_first, ["five", "four", "three", "two", "one"]);
    let times: Vec<&str> = full
        .iter()
        .map(|e| e["occurred_at"].as_str().expect("time"))
        .collect();
    let parsed: Vec<chrono::DateTime<Utc>> =
        times.iter().map(|t| t.parse().expect("RFC 3339")).collect();
    assert!(parsed.windows(2).all(|w| w[0] >= w[1]), "{times:?}");

    let mut paged = Vec::new();
    let mut query = "entity_type=region&limit=2".to_owned();
    let mut pages = 0;
    loop {
        let page = audit_page(&app, &staff, &query).await;
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= 2);
        paged.extend(items.iter().cloned());
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(cursor) => query = format!("entity_type=region&limit=2&cursor={cursor}"),
            None => break,
        }
        assert!(pages < 10, "pagination does not end");
    }
    assert_eq!(pages, 3);
    assert_eq!(paged, full);
}

#[tokio::test]
async fn the_log_exports_as_csv_with_a_header_and_every_matching_entry() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let (_, first) = create_region(&app, &staff, "europe", "FR").await;
    let (_, second) = create_region(&app, &staff, "asia", "JP").await;
    let response = app
        .call(
            Method::GET,
            "/v1/audit-log?entity_type=region",
            Some(&staff.token),
        )
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
    assert_eq!(
        lines[0],
        "id,occurred_at,actor_type,actor_id,action,entity_type,entity_id,summary,request_id"
    );
    assert_eq!(lines.len(), 3, "{text}");
    // Newest first, like the JSON list.
    assert!(lines[1].contains("region.created") && lines[1].ends_with(&second));
    assert!(lines[2].contains("region.created") && lines[2].ends_with(&first));
    assert!(lines[1].contains(&staff.id.to_string()));
}

#[tokio::test]
async fn only_staff_read_the_audit_log() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ada = app.member("Ada").await;
    assert_problem(
        app.get("/v1/audit-log", Some(&ada.token)).await,
        403,
        "forbidden",
    )
    .await;
    let response = app
        .call(Method::GET, "/v1/audit-log", Some(&ada.token))
        .header("Accept", "text/csv")
        .send()
        .await
        .expect("request");
    assert_problem(response, 403, "forbidden").await;
    assert_problem(app.get("/v1/audit-log", None).await, 401, "unauthenticated").await;
    // Admins are staff.
    let log = entries(&app, &admin, "entity_type=member").await;
    assert!(!log.is_empty());
}

#[tokio::test]
async fn members_do_not_read_the_audit_log_of_their_group() {
    let app = TestApp::spawn().await;
    app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    app.group(&ada, "lyon-operators", "FR").await;
    let response = app
        .get("/v1/audit-log?entity_type=group", Some(&ada.token))
        .await;
    assert_problem(response, 403, "forbidden").await;
}
