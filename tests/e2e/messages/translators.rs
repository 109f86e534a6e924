//! `GET /v1/messages/{id}/translators?language=`: volunteers in the targeted regions.

use liaison_tests::{assert_problem, body, id_of, Member, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn volunteer(
    app: &TestApp,
    name: &str,
    country: &str,
    languages: &[&str],
    skills: &[&str],
    public: bool,
) -> Member {
    let member = app.member(name).await;
    app.set_profile(
        &member,
        &json!({"country": country, "languages": languages, "skills": skills, "profile_public": public}),
    )
    .await;
    member
}

fn names(page: &Value) -> Vec<String> {
    let mut names: Vec<String> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|t| t["display_name"].as_str().map(str::to_owned))
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn the_author_finds_volunteers_with_the_language_and_skill_in_the_targeted_regions() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (ambassador, _) = app.ambassador(&staff, "Amina", "europe").await;
    volunteer(&app, "Camille", "FR", &["fr", "en"], &["translation"], true).await;
    volunteer(
        &app,
        "Jules",
        "DE",
        &["fr-CA"],
        &["translation", "operations"],
        true,
    )
    .await;
    volunteer(&app, "Hidden", "FR", &["fr"], &["translation"], false).await;
    volunteer(&app, "Yuki", "JP", &["fr", "ja"], &["translation"], true).await;
    volunteer(&app, "Noskill", "FR", &["fr"], &["operations"], true).await;
    volunteer(&app, "Hans", "DE", &["de"], &["translation"], true).await;
    let europe = id_of(&app.message(&ambassador, json!(["europe"])).await);
    let response = app
        .get(
            &format!("/v1/messages/{europe}/translators?language=fr"),
            Some(&ambassador.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = body(response).await;
    assert_eq!(names(&page), ["Camille", "Jules"]);
    let camille = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|t| t["display_name"] == "Camille")
        .cloned()
        .expect("Camille");
    assert_eq!(camille["country"], "FR");
    assert_eq!(camille["skills"], json!(["translation"]));
    assert!(camille.get("email").is_none());
    let all = id_of(&app.message(&staff, json!("all")).await);
    let page = body(
        app.get(
            &format!("/v1/messages/{all}/translators?language=FR"),
            Some(&staff.token),
        )
        .await,
    )
    .await;
    assert_eq!(names(&page), ["Camille", "Jules", "Yuki"]);
    let first = body(
        app.get(
            &format!("/v1/messages/{all}/translators?language=fr&limit=2"),
            Some(&staff.token),
        )
        .await,
    )
    .await;
    assert_eq!(first["items"].as_array().map(Vec::len), Some(2));
    assert!(first["next_cursor"].is_string());
}

#[tokio::test]
async fn only_the_author_and_staff_look_for_translators_with_a_language() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let message = id_of(&app.message(&staff, json!("all")).await);
    let path = format!("/v1/messages/{message}/translators?language=fr");
    assert_problem(app.get(&path, None).await, 401, "unauthenticated").await;
    let other = app.member("Other").await;
    assert_problem(app.get(&path, Some(&other.token)).await, 403, "forbidden").await;
    for bad in ["", "?language=not%20a%20tag"] {
        let response = app
            .get(
                &format!("/v1/messages/{message}/translators{bad}"),
                Some(&staff.token),
            )
            .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
}
