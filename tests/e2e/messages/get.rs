//! `GET /v1/messages/{id}`: in the reader's language, with acknowledgements for the author and staff.

use liaison_tests::{assert_problem, body, etag, id_of, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;

fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

#[tokio::test]
async fn a_reader_gets_the_translation_accept_language_prefers_else_the_original() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let message = id_of(&app.message(&staff, json!("all")).await);
    let camille = app.member("Camille").await;
    let accepted = app
        .accepted_translation(&staff, &camille, &message, "fr")
        .await;
    let path = format!("/v1/messages/{message}");

    let french = app.get_in(&path, None, "fr-CA, en;q=0.5").await;
    assert_eq!(french.status(), StatusCode::OK);
    assert_eq!(header(&french, "content-language").as_deref(), Some("fr"));
    assert!(header(&french, "vary").is_some_and(|v| v.contains("Accept-Language")));
    let french = body(french).await;
    assert_eq!(french["title"], "La version 2027.1 est sortie");
    assert_eq!(french["language"], "fr");
    assert_eq!(french["original_language"], "en");
    assert_eq!(french["translation_id"], accepted["id"]);
    assert_eq!(french["available_languages"], json!(["fr"]));

    let english = app.get_in(&path, None, "en, fr;q=0.8").await;
    assert_eq!(header(&english, "content-language").as_deref(), Some("en"));
    assert_eq!(body(english).await["title"], "The 2027.1 release is out");
    let german = body(app.get_in(&path, None, "de").await).await;
    assert_eq!(
        german["title"], "The 2027.1 release is out",
        "else the original"
    );
    assert_eq!(german["translation_id"], json!(null));
    let plain = body(app.get(&path, None).await).await;
    assert_eq!(plain["language"], "en");
}

#[tokio::test]
async fn an_original_of_unknown_language_says_null_and_sends_no_content_language() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let mut request = liaison_tests::message_request(json!("all"));
    request["language"] = json!(null);
    let message = body(app.publish(Some(&staff), &request).await).await;
    let response = app
        .get_in(&format!("/v1/messages/{}", id_of(&message)), None, "fr")
        .await;
    assert_eq!(header(&response, "content-language"), None);
    assert_eq!(body(response).await["language"], json!(null));
}

#[tokio::test]
async fn the_author_and_staff_see_acknowledgements_per_targeted_region_others_do_not() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (ambassador, _) = app.ambassador(&staff, "Amina", "europe").await;
    let lea = app.member("Lea").await;
    let lyon = app.approved_group(&staff, &lea, "lyon-ops", "FR").await;
    let paris = app.approved_group(&staff, &lea, "paris-ops", "FR").await;
    app.group(&lea, "nice-ops", "FR").await; // pending: not counted
    let message = id_of(&app.message(&ambassador, json!(["europe"])).await);
    assert_eq!(
        app.acknowledge(&lea, &message, &lyon).await.status(),
        StatusCode::CREATED
    );
    let path = format!("/v1/messages/{message}");
    for reader in [&ambassador, &staff] {
        let view = body(app.get(&path, Some(&reader.token)).await).await;
        assert_eq!(
            view["acknowledgements"],
            json!([{"region": "europe", "groups": 2, "acknowledged": 1,
                    "not_acknowledged": [{"id": paris, "slug": "paris-ops", "name": "Group paris-ops"}]}])
        );
    }
    for token in [None, Some(lea.token.as_str())] {
        let view = body(app.get(&path, token).await).await;
        assert!(view.get("acknowledgements").is_none(), "{view}");
    }
    let to_all = id_of(&app.message(&staff, json!("all")).await);
    let view = body(
        app.get(&format!("/v1/messages/{to_all}"), Some(&staff.token))
            .await,
    )
    .await;
    let regions: Vec<&str> = view["acknowledgements"]
        .as_array()
        .expect("acknowledgements")
        .iter()
        .filter_map(|r| r["region"].as_str())
        .collect();
    assert_eq!(
        regions,
        ["asia", "europe"],
        "every region for an all-region message"
    );
    assert_eq!(view["acknowledgements"][0]["groups"], 0);
    let _ = lyon;
}

#[tokio::test]
async fn a_current_etag_answers_304_and_an_unknown_message_404() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let message = id_of(&app.message(&staff, json!("all")).await);
    let path = format!("/v1/messages/{message}");
    let tag = etag(&app.get(&path, None).await);
    let again = app
        .call(Method::GET, &path, None)
        .header("If-None-Match", &tag)
        .send()
        .await
        .expect("request");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_problem(
        app.get(&format!("/v1/messages/{}", uuid::Uuid::now_v7()), None)
            .await,
        404,
        "not_found",
    )
    .await;
}
