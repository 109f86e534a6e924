//! `POST /v1/translations/{id}/decision`: the author or staff accept or reject.

use futures_util::future::join_all;
use liaison_tests::{assert_problem, body, error_fields, id_of, scalar, TestApp};
use reqwest::StatusCode;
use serde_json::json;

async fn localizations(app: &TestApp) -> i64 {
    scalar(
        &app.db,
        "SELECT count(*)::bigint AS n FROM contributions WHERE kind = 'localization' AND status = 'verified'",
    )
    .await
}

#[tokio::test]
async fn accepting_a_translation_gives_its_translator_one_localization_contribution() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (ambassador, _) = app.ambassador(&staff, "Amina", "europe").await;
    let message = id_of(&app.message(&ambassador, json!(["europe"])).await);
    let camille = app.member("Camille").await;
    let proposed = app.translation(&camille, &message, "fr").await;
    let response = app
        .decide_translation(&ambassador, &id_of(&proposed), "accepted")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let accepted = body(response).await;
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["decided_by"], ambassador.id.to_string());
    assert_eq!(accepted["note"], "Thanks!");
    assert_eq!(localizations(&app).await, 1);
    let derived = scalar(
        &app.db,
        &format!(
            "SELECT count(*)::bigint AS n FROM contributions WHERE member_id = '{}' AND derived_from = 'translation:{message}:fr'",
            camille.id
        ),
    )
    .await;
    assert_eq!(derived, 1);
    let read = body(
        app.get_in(&format!("/v1/messages/{message}"), None, "fr")
            .await,
    )
    .await;
    assert_eq!(read["title"], "La version 2027.1 est sortie");
    let rejected = app.translation(&camille, &message, "de").await;
    let response = app
        .decide_translation(&staff, &id_of(&rejected), "rejected")
        .await;
    assert_eq!(body(response).await["status"], "rejected");
    assert_eq!(localizations(&app).await, 1, "a rejection earns nothing");
    assert_eq!(
        app.audited(&staff, "message", "message.translation_decided")
            .await,
        2
    );
}

#[tokio::test]
async fn a_decided_translation_is_not_decided_again() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let message = id_of(&app.message(&staff, json!("all")).await);
    let camille = app.member("Camille").await;
    let t = id_of(&app.translation(&camille, &message, "fr").await);
    assert_eq!(
        app.decide_translation(&staff, &t, "rejected")
            .await
            .status(),
        StatusCode::OK
    );
    assert_problem(
        app.decide_translation(&staff, &t, "accepted").await,
        409,
        "invalid_transition",
    )
    .await;
    assert_eq!(localizations(&app).await, 0);
}

#[tokio::test]
async fn a_second_translation_into_an_accepted_language_is_refused() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let message = id_of(&app.message(&staff, json!("all")).await);
    let camille = app.member("Camille").await;
    let jules = app.member("Jules").await;
    let first = id_of(&app.translation(&camille, &message, "fr").await);
    let second = id_of(&app.translation(&jules, &message, "fr").await);
    assert_eq!(
        app.decide_translation(&staff, &first, "accepted")
            .await
            .status(),
        StatusCode::OK
    );
    assert_problem(
        app.decide_translation(&staff, &second, "accepted").await,
        409,
        "already_exists",
    )
    .await;
    assert_eq!(localizations(&app).await, 1);
    let still = body(app.get(&format!("/v1/translations/{second}"), None).await).await;
    assert_eq!(still["status"], "proposed");
    assert_eq!(
        app.decide_translation(&staff, &second, "rejected")
            .await
            .status(),
        StatusCode::OK,
        "it can still be rejected"
    );
}

#[tokio::test]
async fn concurrent_acceptances_into_one_language_make_one_contribution() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let message = id_of(&app.message(&staff, json!("all")).await);
    let mut proposals = Vec::new();
    for name in ["Camille", "Jules", "Lou", "Maud"] {
        let translator = app.member(name).await;
        proposals.push(id_of(&app.translation(&translator, &message, "fr").await));
    }
    // Every proposal twice at once: one acceptance wins the language.
    let attempts: Vec<&String> = proposals.iter().chain(proposals.iter()).collect();
    let responses = join_all(
        attempts
            .iter()
            .map(|t| app.decide_translation(&staff, t, "accepted")),
    )
    .await;
    let mut statuses: Vec<u16> = Vec::new();
    for response in responses {
        let status = response.status().as_u16();
        if status == 409 {
            let problem = body(response).await;
            assert!(
                ["already_exists", "invalid_transition"]
                    .contains(&problem["code"].as_str().unwrap_or_default()),
                "{problem}"
            );
        }
        statuses.push(status);
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        7,
        "{statuses:?}"
    );
    assert_eq!(localizations(&app).await, 1);
    let accepted = scalar(
        &app.db,
        "SELECT count(*)::bigint AS n FROM message_translations WHERE status = 'accepted'",
    )
    .await;
    assert_eq!(accepted, 1);
}

#[tokio::test]
async fn only_the_author_or_staff_decide_and_never_on_their_own_translation() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (ambassador, _) = app.ambassador(&staff, "Amina", "europe").await;
    let message = id_of(&app.message(&ambassador, json!(["europe"])).await);
    let own = id_of(&app.translation(&ambassador, &message, "fr").await);
    let path = format!("/v1/translations/{own}/decision");
    assert_problem(
        app.post(&path, None, &json!({"outcome": "accepted"})).await,
        401,
        "unauthenticated",
    )
    .await;
    let other = app.member("Other").await;
    assert_problem(
        app.decide_translation(&other, &own, "accepted").await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.decide_translation(&ambassador, &own, "accepted").await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.decide_translation(&staff, &uuid::Uuid::now_v7().to_string(), "accepted")
            .await,
        404,
        "not_found",
    )
    .await;
    let read = body(app.get(&format!("/v1/translations/{own}"), None).await).await;
    assert_eq!(read["status"], "proposed");
    assert_eq!(
        app.decide_translation(&staff, &own, "accepted")
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(localizations(&app).await, 1);
}

#[tokio::test]
async fn an_invalid_decision_names_its_field_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let message = id_of(&app.message(&staff, json!("all")).await);
    let camille = app.member("Camille").await;
    let t = id_of(&app.translation(&camille, &message, "fr").await);
    let path = format!("/v1/translations/{t}/decision");
    for (bad, field) in [
        (json!({"outcome": "maybe"}), "outcome"),
        (json!({"note": "Why not"}), "outcome"),
        (json!({"outcome": "accepted", "note": "  "}), "note"),
        (
            json!({"outcome": "accepted", "note": "x".repeat(2001)}),
            "note",
        ),
    ] {
        let problem = assert_problem(
            app.post(&path, Some(&staff.token), &bad).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(error_fields(&problem), [field], "{bad}");
    }
    let read = body(app.get(&format!("/v1/translations/{t}"), None).await).await;
    assert_eq!(read["status"], "proposed");
    assert_eq!(localizations(&app).await, 0);
}
