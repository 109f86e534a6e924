//! `GET /v1/members`: signed-in members find public volunteers by skill, language and region.

use liaison_tests::{assert_problem, body, Member, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Five members with public or private profiles, searched by Eli: Ana (FR,
/// translation and speaking, fr and en), Bea (like Ana, but private), Cid
/// (DE, translation, pt-BR), Dan (JP, translation, fr) and Eli (FR,
/// mentoring, fr): `(ana, cid, dan, eli)`.
async fn volunteers(app: &TestApp) -> (Member, Member, Member, Member) {
    app.staff_with_two_regions().await;
    let ana = app.member("Ana").await;
    app.set_profile(
        &ana,
        &json!({"skills": ["translation", "speaking"], "languages": ["fr", "en"], "country": "FR"}),
    )
    .await;
    let bea = app.member("Bea").await;
    app.set_profile(&bea, &json!({"skills": ["translation"], "languages": ["fr"], "country": "FR", "profile_public": false})).await;
    let cid = app.member("Cid").await;
    app.set_profile(
        &cid,
        &json!({"skills": ["translation"], "languages": ["pt-BR"], "country": "DE"}),
    )
    .await;
    let dan = app.member("Dan").await;
    app.set_profile(
        &dan,
        &json!({"skills": ["translation"], "languages": ["fr"], "country": "JP"}),
    )
    .await;
    let eli = app.member("Eli").await;
    app.set_profile(
        &eli,
        &json!({"skills": ["mentoring"], "languages": ["fr"], "country": "FR"}),
    )
    .await;
    (ana, cid, dan, eli)
}

/// The member ids of a search page.
fn found_ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|m| m["id"].as_str().expect("id").to_owned())
        .collect()
}

/// `GET /v1/members{query}` by `member`, asserting 200.
async fn search(app: &TestApp, member: &Member, query: &str) -> Value {
    let response = app
        .get(&format!("/v1/members{query}"), Some(&member.token))
        .await;
    assert_eq!(response.status(), StatusCode::OK, "{query}");
    body(response).await
}

#[tokio::test]
async fn members_find_public_volunteers_by_skill_language_and_region() {
    let app = TestApp::spawn().await;
    let (ana, cid, dan, eli) = volunteers(&app).await;
    let found = search(&app, &eli, "?skill=translation&language=fr&region=europe").await;
    assert_eq!(found_ids(&found), [ana.id.to_string()], "{found}");
    assert_eq!(found["items"][0]["display_name"], "Ana");
    assert!(
        found["items"][0].get("email").is_none(),
        "no email in a public profile"
    );
    let mut translators = found_ids(&search(&app, &eli, "?skill=Translation").await);
    translators.sort();
    let mut expected = vec![ana.id.to_string(), cid.id.to_string(), dan.id.to_string()];
    expected.sort();
    assert_eq!(translators, expected, "private profiles never appear");
    assert_eq!(
        found_ids(&search(&app, &eli, "?language=pt").await),
        [cid.id.to_string()],
        "pt finds pt-BR"
    );
    assert_eq!(
        found_ids(&search(&app, &eli, "?language=pt-br").await),
        [cid.id.to_string()]
    );
    assert_eq!(
        found_ids(&search(&app, &eli, "?language=p").await),
        Vec::<String>::new()
    );
    assert_eq!(
        found_ids(&search(&app, &eli, "?skill=translation&region=asia").await),
        [dan.id.to_string()]
    );
}

#[tokio::test]
async fn the_volunteer_search_pages_its_results() {
    let app = TestApp::spawn().await;
    let (_, _, _, eli) = volunteers(&app).await;
    let first = search(&app, &eli, "?skill=translation&limit=2").await;
    assert_eq!(found_ids(&first).len(), 2);
    let cursor = first["next_cursor"]
        .as_str()
        .expect("a next cursor")
        .to_owned();
    let response = app
        .get(
            &format!("/v1/members?skill=translation&limit=2&cursor={cursor}"),
            Some(&eli.token),
        )
        .await;
    let second = body(response).await;
    assert_eq!(found_ids(&second).len(), 1);
    assert_eq!(second["next_cursor"], Value::Null);
}

#[tokio::test]
async fn the_volunteer_search_is_for_signed_in_members() {
    let app = TestApp::spawn().await;
    let response = app.get("/v1/members?skill=translation", None).await;
    assert_problem(response, 401, "unauthenticated").await;
}

#[tokio::test]
async fn a_bad_limit_on_the_volunteer_search_is_400() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let response = app.get("/v1/members?limit=0", Some(&ada.token)).await;
    assert_problem(response, 400, "malformed_request").await;
}
