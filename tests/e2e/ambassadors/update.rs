//! `PATCH /v1/ambassadors/{id}`: staff end or remove an ambassadorship; its powers end at once.

use liaison_tests::{assert_problem, body, count, error_fields, id_of, TestApp};
use reqwest::StatusCode;
use serde_json::json;

use super::{change, listed};

#[tokio::test]
async fn staff_end_an_ambassadorship_with_a_reason() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (ana, ambassadorship) = app.ambassador(&staff, "Ana", "europe").await;
    let id = id_of(&ambassadorship);
    let response = change(
        &app,
        Some(&staff.token),
        &id,
        &json!({"status": "ended", "reason": "  Stepped down to focus on the Lyon meetup.  "}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let ended = body(response).await;
    assert_eq!(ended["status"], "ended");
    assert_eq!(
        ended["status_reason"],
        "Stepped down to focus on the Lyon meetup."
    );
    assert_eq!(ended["term_start"], ambassadorship["term_start"]);
    assert_eq!(ended["term_end"], ambassadorship["term_end"]);
    assert_eq!(app.ambassadorship_of(&ana).await, ended);
    assert_eq!(
        listed(&app, "/v1/regions/europe/ambassadors").await,
        Vec::<String>::new()
    );
    let response = app
        .get(
            &format!("/v1/audit-log?entity_type=ambassadorship&entity_id={id}"),
            Some(&staff.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let actions: Vec<String> = body(response).await["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["action"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        actions,
        ["ambassadorship.status_changed", "ambassadorship.created"]
    );
}

#[tokio::test]
async fn staff_remove_an_ambassador_and_their_powers_end_at_once() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (amir, ambassadorship) = app.ambassador(&staff, "Amir", "europe").await;
    let cycle = id_of(&app.cycle(&staff, None, None).await);
    let ada = app.member("Ada").await;
    let application = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    let bob = app.member("Bob").await;
    let other = id_of(&app.submitted_application(&bob, &cycle, "europe").await);
    let list = format!("/v1/ambassador-cycles/{cycle}/applications");
    // Active: they list, read and review applications.
    assert_eq!(
        app.get(&list, Some(&amir.token)).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.send_review(&amir, &application, (4, 4, 4))
            .await
            .status(),
        StatusCode::CREATED
    );
    let response = change(
        &app,
        Some(&staff.token),
        &id_of(&ambassadorship),
        &json!({"status": "removed", "reason": "Breach of the code of conduct."}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await["status"], "removed");
    // Removed: the same token no longer carries an ambassador's powers.
    assert_problem(app.get(&list, Some(&amir.token)).await, 403, "forbidden").await;
    assert_problem(
        app.get(&format!("/v1/applications/{other}"), Some(&amir.token))
            .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.send_review(&amir, &other, (1, 1, 1)).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.send_review(&amir, &application, (1, 1, 1)).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(count(&app.db, "application_reviews").await, 1);
    assert_eq!(
        listed(&app, "/v1/ambassadors?status=removed").await,
        [amir.id.to_string()]
    );
    assert_eq!(
        listed(&app, "/v1/regions/europe/ambassadors").await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn a_stale_if_match_is_412_and_the_current_etag_ends_the_ambassadorship() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (ana, ambassadorship) = app.ambassador(&staff, "Ana", "europe").await;
    let id = id_of(&ambassadorship);
    let response = app.get(&format!("/v1/ambassadors/{id}"), None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let tag = response.headers()["etag"]
        .to_str()
        .expect("etag")
        .to_owned();
    assert_eq!(body(response).await, ambassadorship);
    let change = json!({"status": "ended", "reason": "Term served."});
    let path = format!("/v1/ambassadors/{id}");
    assert_problem(
        app.patch_if_match(&path, &staff.token, Some("\"stale\""), &change)
            .await,
        412,
        "precondition_failed",
    )
    .await;
    assert_eq!(
        app.ambassadorship_of(&ana).await,
        ambassadorship,
        "unchanged"
    );
    let ended = app
        .patch_if_match(&path, &staff.token, Some(&tag), &change)
        .await;
    assert_eq!(ended.status(), StatusCode::OK);
    assert_eq!(body(ended).await["status"], "ended");
}

#[tokio::test]
async fn ending_an_ambassadorship_twice_is_409_invalid_transition() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (ana, ambassadorship) = app.ambassador(&staff, "Ana", "europe").await;
    let id = id_of(&ambassadorship);
    let response = change(
        &app,
        Some(&staff.token),
        &id,
        &json!({"status": "ended", "reason": "Term served."}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let ended = body(response).await;
    for status in ["ended", "removed"] {
        assert_problem(
            change(
                &app,
                Some(&staff.token),
                &id,
                &json!({"status": status, "reason": "Again."}),
            )
            .await,
            409,
            "invalid_transition",
        )
        .await;
    }
    assert_eq!(app.ambassadorship_of(&ana).await, ended);
}

#[tokio::test]
async fn an_invalid_change_is_422_naming_status_and_reason_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (ana, ambassadorship) = app.ambassador(&staff, "Ana", "europe").await;
    let id = id_of(&ambassadorship);
    let audit_before = count(&app.db, "audit_log").await;
    let problem = assert_problem(
        change(
            &app,
            Some(&staff.token),
            &id,
            &json!({"status": "active", "reason": "  "}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["status", "reason"]);
    let problem = assert_problem(
        change(
            &app,
            Some(&staff.token),
            &id,
            &json!({"status": "removed", "reason": ""}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["reason"]);
    let problem = assert_problem(
        change(
            &app,
            Some(&staff.token),
            &id,
            &json!({"status": "retired", "reason": "Unknown status."}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["status"]);
    assert_eq!(app.ambassadorship_of(&ana).await, ambassadorship);
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
}

#[tokio::test]
async fn only_staff_end_or_remove_ambassadorships() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (ana, ambassadorship) = app.ambassador(&staff, "Ana", "europe").await;
    let (ben, _) = app.ambassador(&staff, "Ben", "europe").await;
    let id = id_of(&ambassadorship);
    let request = json!({"status": "removed", "reason": "Not my call."});
    let member = app.member("Mia").await;
    for caller in [&member, &ana, &ben] {
        assert_problem(
            change(&app, Some(&caller.token), &id, &request).await,
            403,
            "forbidden",
        )
        .await;
    }
    assert_problem(
        change(&app, None, &id, &request).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(
        change(
            &app,
            Some(&staff.token),
            &uuid::Uuid::now_v7().to_string(),
            &request,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(app.ambassadorship_of(&ana).await, ambassadorship);
    assert_eq!(
        listed(&app, "/v1/regions/europe/ambassadors").await.len(),
        2
    );
}

/// Found by schemathesis: the document offered every `AmbassadorStatus`,
/// `active` included, which a `PATCH` refuses (above).
#[tokio::test]
async fn the_document_offers_only_the_statuses_a_patch_may_set() {
    let doc = liaison_tests::document();
    let patch = liaison_tests::component(&doc, "AmbassadorPatch");
    let status = liaison_tests::resolved(&doc, &patch["properties"]["status"]);
    assert_eq!(status["enum"], json!(["ended", "removed"]));
}
