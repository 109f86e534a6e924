//! `DELETE /v1/me`: passes, handovers, the password, and signing in first.

use super::*;

#[tokio::test]
async fn an_unredeemed_pass_is_revoked_and_its_place_in_the_quota_freed() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let holder = app.member("Hana Holder").await;
    let summit_id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    let pass = manual_pass(&app, &staff, &summit_id, holder.id).await;
    let before = programme_quota(&app, &summit_id, "acc").await;
    assert_eq!(
        (&before["used"], &before["remaining"]),
        (&json!(1), &json!(9))
    );

    let response = erase_me(&app, &holder, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);

    let after = programme_quota(&app, &summit_id, "acc").await;
    assert_eq!(
        (&after["used"], &after["remaining"]),
        (&json!(0), &json!(10))
    );
    let listed = json_of(
        &app,
        Some(&staff.token),
        &format!("/v1/summits/{summit_id}/passes"),
    )
    .await;
    assert_eq!(listed["items"][0]["id"], pass["id"]);
    assert_eq!(listed["items"][0]["status"], "revoked");
    assert_eq!(
        rows_of(
            &app,
            "passes",
            "member_id",
            holder.id,
            " AND status = 'revoked' AND revoke_reason = 'the member erased their account'"
        )
        .await,
        1
    );
    // Told of as any revocation: audited, with the member as the actor.
    assert_eq!(
        scalar(
            &app.db,
            &format!(
                "SELECT count(*) AS n FROM audit_log WHERE action = 'pass.revoked' AND entity_id = '{}'
                   AND actor_id = '{}'",
                string_of(&pass["id"]),
                holder.id
            ),
        )
        .await,
        1
    );
    // The freed place goes to someone else.
    let next = app.member("Nico Next").await;
    manual_pass(&app, &staff, &summit_id, next.id).await;
    assert_eq!(programme_quota(&app, &summit_id, "acc").await["used"], 1);
}

#[tokio::test]
async fn a_lead_organizer_is_asked_to_hand_over_first_and_nothing_changes() {
    let w = world().await;
    let app = &w.app;
    let olga = &w.organizer;
    let before = me(app, olga).await;

    let problem = assert_problem(
        erase_me(app, olga, PASSWORD).await,
        409,
        "handover_required",
    )
    .await;
    assert_eq!(error_fields(&problem), [format!("groups/{}", w.group)]);
    assert_eq!(problem["errors"][0]["code"], "lead_organizer");

    assert!(!is_erased(app, olga.id).await);
    assert_eq!(me(app, olga).await, before, "the same token still works");
    assert_eq!(
        organizers_of(app, None, &w.group).await,
        [(olga.id.to_string(), "lead".to_owned())]
    );
    app.sign_in_with(&olga.email, PASSWORD).await;
}

#[tokio::test]
async fn an_active_ambassador_and_the_last_admin_are_asked_to_hand_over_first() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let (amir, ambassadorship) = app.ambassador(&staff, "Amir Ambassador", "europe").await;
    let admin = app.admin().await;

    let problem = assert_problem(
        erase_me(&app, &amir, PASSWORD).await,
        409,
        "handover_required",
    )
    .await;
    assert_eq!(
        error_fields(&problem),
        [format!("ambassadorships/{}", id_of(&ambassadorship))]
    );
    assert_eq!(problem["errors"][0]["code"], "ambassador");
    let problem = assert_problem(
        erase_me(&app, &admin, PASSWORD).await,
        409,
        "handover_required",
    )
    .await;
    assert_eq!(error_fields(&problem), ["roles"]);
    assert_eq!(problem["errors"][0]["code"], "last_admin");

    for who in [&amir, &admin] {
        assert!(!is_erased(&app, who.id).await);
        assert_eq!(me(&app, who).await["id"], who.id.to_string());
    }
    assert_eq!(app.ambassadorship_of(&amir).await["status"], "active");
    assert_eq!(me(&app, &admin).await["roles"], json!(["admin", "staff"]));
}

#[tokio::test]
async fn a_wrong_password_is_422_and_erases_nothing() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let before = me(&app, &ada).await;

    let problem = assert_problem(
        erase_me(&app, &ada, "not my password at all").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["password"]);
    assert_eq!(problem["errors"][0]["code"], "wrong_password");

    assert!(!is_erased(&app, ada.id).await);
    assert_eq!(me(&app, &ada).await, before);
    app.sign_in_with(&ada.email, PASSWORD).await;
}

#[tokio::test]
async fn erasing_ones_account_needs_a_signed_in_member() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    assert_problem(
        app.send_json(
            Method::DELETE,
            "/v1/me",
            None,
            &json!({ "password": PASSWORD }),
        )
        .await,
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(
        scalar(
            &app.db,
            "SELECT count(*)::bigint AS n FROM members WHERE erased_at IS NOT NULL"
        )
        .await,
        0
    );
    assert_eq!(me(&app, &ada).await["id"], ada.id.to_string());
}

/// Found by schemathesis: a `DELETE` with a body refuses a body that is not
/// JSON (400) or not `application/json` (415), and its document said neither.
#[tokio::test]
async fn a_body_that_is_not_json_is_400_and_not_json_typed_415_and_both_are_documented() {
    let doc = liaison_tests::document();
    for (method, path) in [("delete", "/v1/me"), ("delete", "/v1/members/{id}")] {
        let responses = &liaison_tests::operation(&doc, method, path)["responses"];
        assert!(
            responses["400"].is_object() && responses["415"].is_object(),
            "{path}"
        );
    }
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let send = |content_type: &'static str, body: &'static str| {
        app.call(Method::DELETE, "/v1/me", Some(&ada.token))
            .header("Content-Type", content_type)
            .body(body)
            .send()
    };
    let response = send("application/json", "{not json")
        .await
        .expect("request");
    assert_problem(response, 400, "malformed_request").await;
    let response = send("text/plain", "password").await.expect("request");
    assert_problem(response, 415, "unsupported_media_type").await;
    assert_eq!(
        app.get("/v1/me", Some(&ada.token)).await.status(),
        StatusCode::OK
    );
}
