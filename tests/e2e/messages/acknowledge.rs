//! `POST /v1/messages/{id}/acknowledgements`: organizers acknowledge once per group.

use futures_util::future::join_all;
use liaison_tests::{assert_problem, body, count, error_fields, id_of, TestApp};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn an_organizer_acknowledges_once_per_group() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let lea = app.member("Lea").await;
    let lyon = app.approved_group(&staff, &lea, "lyon-ops", "FR").await;
    let co = app.member("Co").await;
    app.add_co_organizer(&lea, &lyon, &co).await;
    let message = id_of(&app.message(&staff, json!(["europe"])).await);
    let first = app.acknowledge(&lea, &message, &lyon).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    assert_eq!(
        first.headers()["location"],
        format!("/v1/messages/{message}").as_str()
    );
    let first = body(first).await;
    assert_eq!(first["group_id"], lyon);
    assert_eq!(first["member_id"], lea.id.to_string());
    let again = app.acknowledge(&co, &message, &lyon).await;
    assert_eq!(again.status(), StatusCode::OK, "a no-op");
    assert_eq!(body(again).await, first, "the first acknowledgement");
    assert_eq!(count(&app.db, "message_acknowledgements").await, 1);
    assert_eq!(
        app.audited(&staff, "message", "message.acknowledged").await,
        1
    );
}

#[tokio::test]
async fn twenty_concurrent_acknowledgements_of_one_group_count_once() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let lea = app.member("Lea").await;
    let lyon = app.approved_group(&staff, &lea, "lyon-ops", "FR").await;
    let message = id_of(&app.message(&staff, json!("all")).await);
    let statuses: Vec<StatusCode> =
        join_all((0..20).map(|_| app.acknowledge(&lea, &message, &lyon)))
            .await
            .iter()
            .map(|r| r.status())
            .collect();
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        19,
        "{statuses:?}"
    );
    assert_eq!(count(&app.db, "message_acknowledgements").await, 1);
    let view = body(
        app.get(&format!("/v1/messages/{message}"), Some(&staff.token))
            .await,
    )
    .await;
    let europe = view["acknowledgements"]
        .as_array()
        .expect("acknowledgements")
        .iter()
        .find(|r| r["region"] == "europe")
        .cloned()
        .expect("europe");
    assert_eq!(
        (europe["groups"].clone(), europe["acknowledged"].clone()),
        (json!(1), json!(1))
    );
}

#[tokio::test]
async fn only_the_groups_organizers_acknowledge() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let lea = app.member("Lea").await;
    let lyon = app.approved_group(&staff, &lea, "lyon-ops", "FR").await;
    let message = id_of(&app.message(&staff, json!(["europe"])).await);
    let path = format!("/v1/messages/{message}/acknowledgements");
    assert_problem(
        app.post(&path, None, &json!({"group_id": lyon})).await,
        401,
        "unauthenticated",
    )
    .await;
    let other = app.member("Other").await;
    assert_problem(
        app.acknowledge(&other, &message, &lyon).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.acknowledge(&staff, &message, &lyon).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.acknowledge(&lea, &uuid::Uuid::now_v7().to_string(), &lyon)
            .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(count(&app.db, "message_acknowledgements").await, 0);
}

#[tokio::test]
async fn a_group_outside_the_audience_unknown_or_not_active_is_422() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let lea = app.member("Lea").await;
    let tokyo = app.approved_group(&staff, &lea, "tokyo-ops", "JP").await;
    let pending = id_of(&app.group(&lea, "nice-ops", "FR").await);
    let message = id_of(&app.message(&staff, json!(["europe"])).await);
    for (group, code) in [
        (tokyo, "not_in_audience"),
        (pending, "inactive_group"),
        (uuid::Uuid::now_v7().to_string(), "unknown_group"),
    ] {
        let problem = assert_problem(
            app.acknowledge(&lea, &message, &group).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(error_fields(&problem), ["group_id"]);
        assert_eq!(problem["errors"][0]["code"], code);
    }
    let problem = assert_problem(
        app.post(
            &format!("/v1/messages/{message}/acknowledgements"),
            Some(&lea.token),
            &json!({}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["group_id"]);
    assert_eq!(count(&app.db, "message_acknowledgements").await, 0);
}
