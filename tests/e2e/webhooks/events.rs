//! What the changes of today tell: events, group statuses, key messages and
//! passes fan out to the subscriptions whose type, group and region filters
//! match, in the change's transaction.

use liaison_tests::{
    body, change_group_status, id_of, manual_pass, message_request, summit, Receiver, TestApp,
};
use serde_json::{json, Value};

/// The deliveries queued for subscription `id`, as `(event type, data)`.
async fn queued(app: &TestApp, id: &str) -> Vec<(String, Value)> {
    use sea_orm::{ConnectionTrait, Statement};
    let rows = app
        .db
        .query_all(Statement::from_string(
            app.db.get_database_backend(),
            format!("SELECT topic, payload FROM outbox WHERE webhook_id = '{id}' AND topic <> 'webhook.ping' ORDER BY id"),
        ))
        .await
        .expect("outbox");
    rows.iter()
        .map(|r| {
            let payload: Value = r.try_get("", "payload").expect("payload");
            (
                r.try_get("", "topic").expect("topic"),
                payload["data"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn events_reach_the_subscriptions_whose_type_group_and_region_match() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let admin = app.admin().await;
    let olga = app.member("Olga").await;
    let lyon = app.approved_group(&staff, &olga, "lyon-ops", "FR").await;
    let tokyo = app.approved_group(&staff, &olga, "tokyo-ops", "JP").await;
    let receiver = Receiver::start();
    let every = app
        .webhook(
            &admin,
            &receiver,
            json!({"events": ["event.created", "event.updated"]}),
        )
        .await;
    let of_lyon = app
        .webhook(
            &olga,
            &receiver,
            json!({"events": ["event.created"], "group_ids": [lyon]}),
        )
        .await;
    let of_asia = app
        .webhook(
            &admin,
            &receiver,
            json!({"events": ["event.created"], "region": "asia"}),
        )
        .await;
    let groups_only = app
        .webhook(
            &admin,
            &receiver,
            json!({"events": ["group.status_changed"]}),
        )
        .await;

    let in_lyon = app.group_event(&olga, &lyon, 10, "scheduled", None).await;
    let in_tokyo = app.group_event(&olga, &tokyo, 10, "scheduled", None).await;

    let titles = |rows: Vec<(String, Value)>| {
        rows.into_iter()
            .map(|(t, d)| (t, d["id"].clone()))
            .collect::<Vec<_>>()
    };
    let created = |e: &Value| ("event.created".to_owned(), json!(id_of(e)));
    assert_eq!(
        titles(queued(&app, &every).await),
        vec![created(&in_lyon), created(&in_tokyo)]
    );
    assert_eq!(
        titles(queued(&app, &of_lyon).await),
        vec![created(&in_lyon)]
    );
    assert_eq!(
        titles(queued(&app, &of_asia).await),
        vec![created(&in_tokyo)]
    );
    assert!(queued(&app, &groups_only).await.is_empty(), "another type");

    let moved = change_group_status(
        &app,
        Some(&staff.token),
        &tokyo,
        "inactive",
        "No meetup for a year",
    )
    .await;
    assert_eq!(moved.status(), 200);
    let told = queued(&app, &groups_only).await;
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].0, "group.status_changed");
    assert_eq!(told[0].1["group_id"], tokyo);
    assert_eq!(told[0].1["to"], "inactive");
    // Every delivery arrives signed.
    let got = receiver.wait_for(5).await;
    assert!(got.iter().all(|r| r.verified));
}

#[tokio::test]
async fn a_key_message_and_a_pass_are_told_to_their_subscribers() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let admin = app.admin().await;
    let receiver = Receiver::start();
    let europe = app
        .webhook(
            &admin,
            &receiver,
            json!({"events": ["message.published"], "region": "europe"}),
        )
        .await;
    let passes = app
        .webhook(
            &admin,
            &receiver,
            json!({"events": ["pass.issued", "pass.revoked"]}),
        )
        .await;
    let to_asia = app
        .publish(Some(&staff), &message_request(json!(["asia"])))
        .await;
    assert_eq!(to_asia.status(), 201);
    let to_all = body(
        app.publish(Some(&staff), &message_request(json!("all")))
            .await,
    )
    .await;
    let told = queued(&app, &europe).await;
    assert_eq!(
        told.len(),
        1,
        "a message to all regions concerns europe; one to asia does not"
    );
    assert_eq!(told[0].1["message_id"], to_all["id"]);

    let holder = app.member("Hana Holder").await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    let pass = manual_pass(&app, &staff, &id, holder.id).await;
    let told = queued(&app, &passes).await;
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].0, "pass.issued");
    assert_eq!(told[0].1["pass_id"], pass["id"]);
    assert!(
        told[0].1.get("code").is_none(),
        "a webhook never carries the pass code"
    );
}

#[tokio::test]
async fn a_bulk_sync_tells_each_created_changed_and_cancelled_event_once() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let admin = app.admin().await;
    let olga = app.member("Olga").await;
    let lyon = app.approved_group(&staff, &olga, "lyon-ops", "FR").await;
    let receiver = Receiver::start();
    let hook = app
        .webhook(
            &admin,
            &receiver,
            json!({"events": ["event.created", "event.updated", "event.cancelled"]}),
        )
        .await;
    let starts = chrono::Utc::now() + chrono::Duration::days(7);
    let event = |external_id: &str, title: &str| {
        json!({"external_id": external_id, "title": title, "starts_at": starts,
               "ends_at": starts + chrono::Duration::hours(2), "city": "Lyon", "country": "FR", "status": "scheduled"})
    };
    let sync = |key: &'static str, events: Value| {
        let (app, lyon, token) = (&app, lyon.clone(), olga.token.clone());
        async move {
            let response = app
                .call(
                    reqwest::Method::PUT,
                    &format!("/v1/groups/{lyon}/events/sync"),
                    Some(&token),
                )
                .header("Idempotency-Key", key)
                .json(&json!({"source": "meetup", "mode": "snapshot", "events": events}))
                .send()
                .await
                .expect("sync");
            assert_eq!(response.status(), 200, "sync {key}");
        }
    };
    sync(
        "s1",
        json!([
            event("a", "Meetup A"),
            event("b", "Meetup B"),
            event("c", "Meetup C")
        ]),
    )
    .await;
    // b changes, c leaves the snapshot (cancelled), a stays as it is.
    sync(
        "s2",
        json!([event("a", "Meetup A"), event("b", "Meetup B, new room")]),
    )
    .await;
    let mut told: Vec<String> = queued(&app, &hook)
        .await
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    told.sort();
    assert_eq!(
        told,
        vec![
            "event.cancelled",
            "event.created",
            "event.created",
            "event.created",
            "event.updated"
        ],
        "nothing for the unchanged event"
    );
}

#[tokio::test]
async fn a_revoked_pass_is_told() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let admin = app.admin().await;
    let receiver = Receiver::start();
    let hook = app
        .webhook(
            &admin,
            &receiver,
            json!({"events": ["pass.revoked", "pass.redeemed"]}),
        )
        .await;
    let holder = app.member("Hana Holder").await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    let pass = manual_pass(&app, &staff, &id, holder.id).await;
    let revoked = app
        .post(
            &format!("/v1/passes/{}/revoke", id_of(&pass)),
            Some(&staff.token),
            &json!({"reason": "Issued twice"}),
        )
        .await;
    assert_eq!(revoked.status(), 200);
    let told = queued(&app, &hook).await;
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].0, "pass.revoked");
    assert_eq!(told[0].1["status"], "revoked");
}

#[tokio::test]
async fn a_triaged_feedback_item_and_a_redeemed_pass_are_told() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let admin = app.admin().await;
    let receiver = Receiver::start();
    let hook = app
        .webhook(
            &admin,
            &receiver,
            json!({"events": ["feedback.status_changed", "pass.redeemed"]}),
        )
        .await;
    let author = app.member("Ana Author").await;
    let item = app
        .feedback(&author, "Live migration fails on large instances")
        .await;
    let triaged = app
        .triage(&staff, &id_of(&item), json!({"status": "triaged"}))
        .await;
    assert_eq!(triaged.status(), 200);
    let holder = app.member("Hana Holder").await;
    let summit_id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    let pass = manual_pass(&app, &staff, &summit_id, holder.id).await;
    let redeemed = app
        .post(
            "/v1/passes/redeem",
            Some(&staff.token),
            &json!({"code": pass["code"]}),
        )
        .await;
    assert_eq!(redeemed.status(), 200);
    let told = queued(&app, &hook).await;
    assert_eq!(told.len(), 2, "{told:?}");
    assert_eq!(told[0].0, "feedback.status_changed");
    assert_eq!(told[0].1["feedback_id"], item["id"]);
    assert_eq!(
        (told[0].1["from"].clone(), told[0].1["to"].clone()),
        (json!("new"), json!("triaged"))
    );
    assert_eq!(told[1].0, "pass.redeemed");
    assert_eq!(told[1].1["pass_id"], pass["id"]);
}
