//! `GET /v1/groups`: filters, pages and the CSV export of the visible groups.

use liaison_tests::{
    assert_problem, body, change_group_status, group_request, id_of, Member, TestApp,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::{listed, slugs_of};

/// Registers a group with its own name and city.
async fn named_group(
    app: &TestApp,
    owner: &Member,
    slug: &str,
    name: &str,
    city: &str,
    country: &str,
) -> Value {
    let mut request = group_request(slug, country);
    request["name"] = json!(name);
    request["city"] = json!(city);
    let response = app.post("/v1/groups", Some(&owner.token), &request).await;
    assert_eq!(response.status(), StatusCode::CREATED, "register {slug}");
    body(response).await
}

#[tokio::test]
async fn the_group_list_filters_by_region_country_status_and_words() {
    // Arrange
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    for (slug, name, city, country) in [
        ("berlin-ops", "Berlin Operators", "Berlin", "DE"),
        ("lyon-ops", "Lyon Operators", "Lyon", "FR"),
        ("paris-k8s", "Cloud Natives", "Paris", "FR"),
        ("tokyo-ops", "Tokyo Operators", "Tokyo", "JP"),
        ("rio-ops", "Rio Operators", "Rio de Janeiro", "BR"),
    ] {
        let group = named_group(&app, &ada, slug, name, city, country).await;
        app.approve(&staff, &id_of(&group)).await;
    }
    let response = change_group_status(
        &app,
        Some(&staff.token),
        "paris-k8s",
        "inactive",
        "Dormant.",
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    named_group(&app, &ada, "lille-ops", "Lille Operators", "Lille", "FR").await;
    // Act / Assert
    assert_eq!(
        listed(&app, None, "").await,
        [
            "berlin-ops",
            "lyon-ops",
            "paris-k8s",
            "rio-ops",
            "tokyo-ops"
        ]
    );
    assert_eq!(
        listed(&app, None, "?region=europe").await,
        ["berlin-ops", "lyon-ops", "paris-k8s"]
    );
    assert_eq!(
        listed(&app, None, "?country=fr").await,
        ["lyon-ops", "paris-k8s"]
    );
    assert_eq!(listed(&app, None, "?status=inactive").await, ["paris-k8s"]);
    assert_eq!(
        listed(&app, None, "?status=pending").await,
        Vec::<String>::new()
    );
    assert_eq!(
        listed(&app, Some(&staff.token), "?status=pending").await,
        ["lille-ops"]
    );
    assert_eq!(
        listed(&app, Some(&ada.token), "?country=FR&status=pending").await,
        ["lille-ops"],
        "its organizer lists it"
    );
    assert_eq!(
        listed(&app, None, "?q=operat").await.len(),
        4,
        "words in the name"
    );
    assert_eq!(
        listed(&app, None, "?q=PARIS").await,
        ["paris-k8s"],
        "words in the city"
    );
    assert_eq!(listed(&app, None, "?q=janeiro").await, ["rio-ops"]);
    assert_eq!(
        listed(&app, None, "?q=%25").await,
        Vec::<String>::new(),
        "% is literal"
    );
    assert_eq!(
        listed(&app, None, "?region=europe&status=provisional&q=lyon").await,
        ["lyon-ops"]
    );
    assert_eq!(
        listed(&app, None, "?region=nowhere").await,
        Vec::<String>::new()
    );
    // Every item carries its health.
    let page = body(app.get("/v1/groups?country=DE", None).await).await;
    assert_eq!(page["items"][0]["health"]["organizers"], 1);
    assert_eq!(page["items"][0]["region"], "europe");
}

#[tokio::test]
async fn group_pages_walk_every_visible_group_once() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    for slug in ["e-ops", "c-ops", "a-ops", "d-ops", "b-ops"] {
        app.provisional_group(&staff, &ada, slug, "FR").await;
    }
    let mut slugs = Vec::new();
    let mut pages = 0;
    let mut path = "/v1/groups?limit=2".to_owned();
    loop {
        let response = app.get(&path, None).await;
        assert_eq!(response.status(), StatusCode::OK);
        let page = body(response).await;
        let items = slugs_of(&page);
        assert!(items.len() <= 2);
        slugs.extend(items);
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/v1/groups?limit=2&cursor={cursor}"),
            None => break,
        }
        assert!(pages < 10, "pagination does not end");
    }
    assert_eq!(slugs, ["a-ops", "b-ops", "c-ops", "d-ops", "e-ops"]);
    assert_eq!(pages, 3);
    let page = body(app.get("/v1/groups?limit=5", None).await).await;
    assert_eq!(slugs_of(&page).len(), 5);
    assert_eq!(page["next_cursor"], Value::Null);
}

#[tokio::test]
async fn bad_group_list_parameters_are_400() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    app.provisional_group(&staff, &ada, "lyon-ops", "FR").await;
    for query in [
        "?status=bogus",
        "?country=XX",
        "?country=France",
        "?limit=0",
        "?limit=201",
        "?cursor=not-a-cursor!",
    ] {
        let response = app.get(&format!("/v1/groups{query}"), None).await;
        assert_problem(response, 400, "malformed_request").await;
    }
}

#[tokio::test]
async fn groups_export_as_csv_with_health_columns_for_the_visible_groups() {
    // Arrange
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let lyon = app.provisional_group(&staff, &ada, "lyon-ops", "FR").await;
    app.held_event(&ada, &id_of(&lyon), 10).await;
    app.provisional_group(&staff, &ada, "rio-ops", "BR").await;
    app.group(&ada, "pending-ops", "DE").await;
    let csv = |token: Option<String>| {
        let app = &app;
        async move {
            let response = app
                .call(Method::GET, "/v1/groups", token.as_deref())
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
            response.text().await.expect("csv")
        }
    };
    // Act
    let text = csv(None).await;
    // Assert
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "id,slug,name,status,country,city,region,organizers,held_last_90_days,held_last_365_days,average_attendance,last_event_at,next_event_at,flags"
    );
    assert_eq!(lines.len(), 3, "a header and the two public groups: {text}");
    let lyon_row: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(lyon_row.len(), 14, "{}", lines[1]);
    assert_eq!(lyon_row[0], id_of(&lyon));
    assert_eq!(
        &lyon_row[1..10],
        [
            "lyon-ops",
            "Group lyon-ops",
            "provisional",
            "FR",
            "Lyon",
            "europe",
            "1",
            "1",
            "1"
        ]
    );
    assert_eq!(
        lyon_row[10].parse::<f64>().expect("average attendance"),
        20.0
    );
    assert!(!lyon_row[11].is_empty(), "last event");
    assert_eq!(lyon_row[12], "", "no next event");
    assert_eq!(lyon_row[13], "single_organizer no_upcoming_event");
    let rio_row: Vec<&str> = lines[2].split(',').collect();
    assert_eq!(rio_row[1], "rio-ops");
    assert_eq!(rio_row[6], "", "no region");
    assert_eq!(
        rio_row[13],
        "no_event_180d single_organizer no_upcoming_event"
    );
    // Staff also get the pending group.
    let text = csv(Some(staff.token.clone())).await;
    let slugs: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).expect("slug"))
        .collect();
    assert_eq!(slugs, ["lyon-ops", "pending-ops", "rio-ops"]);
}
