//! `GET, PATCH, DELETE /v1/webhooks/{id}` and `GET /v1/webhooks`: its owner and admins.

use liaison_tests::{assert_problem, body, count, etag, page_ids, Receiver, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn an_organizer_manages_their_own_subscription_and_nobody_else_sees_it() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let admin = app.admin().await;
    let olga = app.member("Olga").await;
    let stranger = app.member("Stan").await;
    let group = app.approved_group(&staff, &olga, "lyon-ops", "FR").await;
    let receiver = Receiver::start();
    let id = app
        .webhook(
            &olga,
            &receiver,
            json!({"events": ["event.created"], "group_ids": [group]}),
        )
        .await;
    let path = format!("/v1/webhooks/{id}");
    let got = app.get(&path, Some(&olga.token)).await;
    assert_eq!(got.status(), StatusCode::OK);
    let tag = etag(&got);
    let not_modified = app
        .call(Method::GET, &path, Some(&olga.token))
        .header("If-None-Match", &tag)
        .send()
        .await
        .expect("get");
    assert_eq!(not_modified.status(), StatusCode::NOT_MODIFIED);
    assert_problem(
        app.get(&path, Some(&stranger.token)).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(
        app.get(&path, Some(&admin.token)).await.status(),
        StatusCode::OK
    );

    // Lists: one's own; everyone's for admins.
    assert_eq!(
        page_ids(&body(app.get("/v1/webhooks", Some(&olga.token)).await).await),
        vec![id.clone()]
    );
    // Webhooks are for admins and organizers (api.md).
    assert_problem(
        app.get("/v1/webhooks", Some(&stranger.token)).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(
        page_ids(&body(app.get("/v1/webhooks", Some(&admin.token)).await).await),
        vec![id.clone()]
    );

    let stale = app
        .patch_if_match(
            &path,
            &olga.token,
            Some("\"stale\""),
            &json!({"events": ["event.updated"]}),
        )
        .await;
    assert_problem(stale, 412, "precondition_failed").await;
    let changed = app
        .patch_if_match(
            &path,
            &olga.token,
            Some(&tag),
            &json!({"events": ["event.updated", "event.cancelled"]}),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_eq!(
        body(changed).await["events"],
        json!(["event.updated", "event.cancelled"])
    );
    // An organizer cannot widen the filter to every group.
    let widened = app
        .patch_if_match(&path, &olga.token, None, &json!({"group_ids": []}))
        .await;
    assert_problem(widened, 403, "forbidden").await;
    let bad = app
        .patch_if_match(&path, &olga.token, None, &json!({"url": "gopher://x"}))
        .await;
    assert_problem(bad, 422, "validation_failed").await;

    assert_problem(
        app.call(Method::DELETE, &path, Some(&stranger.token))
            .send()
            .await
            .expect("delete"),
        404,
        "not_found",
    )
    .await;
    let deleted = app
        .call(Method::DELETE, &path, Some(&olga.token))
        .send()
        .await
        .expect("delete");
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(count(&app.db, "webhook_subscriptions").await, 0);
}
