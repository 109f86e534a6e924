//! The main erasure: every count others see is kept, and no trace of the
//! person is left in any public answer, CSV or other member's export.

use super::*;

#[tokio::test]
async fn an_erased_member_leaves_every_count_as_it_was_and_no_trace_of_their_person() {
    let w = world().await;
    let app = &w.app;
    let (staff, olga, group) = (&w.staff, &w.organizer, w.group.as_str());
    let (amir, ambassadorship) = app.ambassador(staff, "Amir Ambassador", "europe").await;
    let ambassadorship = id_of(&ambassadorship);
    let bob = app.member("Bob Bystander").await;

    // Erin: a distinctive profile, co-organizer with a held event, a vote,
    // a verified claim, points enough for a pass, a redeemed pass.
    let erin = app.member("Erin Erasedperson").await;
    app.set_profile(
        &erin,
        &json!({"city": "Quuxtown", "bio": "Zyxwv runs a meetup.", "affiliation": "Plughcorp",
                "skills": ["translation"], "languages": ["fr"]}),
    )
    .await;
    let markers = [
        erin.email.clone(),
        "Erasedperson".to_owned(),
        "Quuxtown".to_owned(),
        "Zyxwv".to_owned(),
        "Plughcorp".to_owned(),
    ];
    app.add_co_organizer(olga, group, &erin).await;
    let event = id_of(&app.held_event(&erin, group, 3).await);
    let claimed = claim(
        app,
        &erin,
        &json!({"kind": "talk_given", "occurred_on": today() - Days::days(10),
                "title": "Erasedperson spoke in Quuxtown", "evidence_url": "https://example.org/zyxwv"}),
    )
    .await;
    let response = app
        .post(
            &format!("/v1/contributions/{}/verification", id_of(&claimed)),
            Some(&staff.token),
            &json!({"decision": "verified", "note": "Seen it"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "verify the claim");
    verified_run(
        app,
        erin.id,
        "event_organized",
        cutoff() - Days::days(40),
        6,
    )
    .await;
    let item = id_of(&app.feedback(&bob, "Live migration fails with NUMA").await);
    assert_eq!(app.vote(&erin, &item).await.status(), StatusCode::OK);
    let erins_item = id_of(&app.feedback(&erin, "Volumes stuck in detaching").await);
    let summit_id = id_of(&summit(app, staff, json!([{"program": "acc", "quota": 10}])).await);
    let pass = manual_pass(app, staff, &summit_id, erin.id).await;
    redeem(app, staff, &pass).await;
    pass_mails_expanded(app).await;

    // What others read, before.
    let item_path = format!("/v1/feedback/{item}");
    let erins_item_path = format!("/v1/feedback/{erins_item}");
    let event_path = format!("/v1/events/{event}");
    let events_path = format!("/v1/groups/{group}/events");
    let health_path = format!("/v1/groups/{group}/health");
    let draft_path = format!(
        "/v1/ambassadors/{ambassadorship}/reports/draft?period={}",
        current_period()
    );
    let verified_path = format!(
        "/v1/contributions?member={}&status=verified&limit=200",
        erin.id
    );
    let profile_path = format!("/v1/members/{}", erin.id);
    let organizers_path = format!("/v1/groups/{group}/organizers");
    let passes_path = format!("/v1/summits/{summit_id}/passes");
    let eligibility_path = format!("/v1/summits/{summit_id}/eligibility?program=acc");
    let search_path = "/v1/members?skill=translation&limit=200";

    let votes = app.votes_of(&bob, &item).await;
    assert_eq!(votes, 1);
    let item_before = json_of(app, Some(&bob.token), &item_path).await;
    let erins_item_before = json_of(app, Some(&bob.token), &erins_item_path).await;
    let event_before = json_of(app, None, &event_path).await;
    let events_before = json_of(app, None, &events_path).await;
    let health_before = json_of(app, None, &health_path).await;
    assert_eq!(health_before["organizers"], 2);
    let quota_before = programme_quota(app, &summit_id, "acc").await;
    assert_eq!(quota_before["used"], 1);
    let draft_before = json_of(app, Some(&staff.token), &draft_path).await;
    let verified_before = json_of(app, Some(&staff.token), &verified_path).await["items"]
        .as_array()
        .expect("items")
        .len();
    assert_eq!(verified_before, 8, "6 arranged, 1 claimed, 1 for the event");
    let feedback_csv_before = csv_of(app, &bob.token, "/v1/feedback").await;
    let olga_before = export_of(app, olga).await;
    let bob_before = export_of(app, &bob).await;
    let amir_before = export_of(app, &amir).await;
    // Each place below showed something of Erin's person, so its silence
    // afterwards means something.
    for (surface, text) in [
        (
            "profile",
            text_of(app, Some(&bob.token), &profile_path).await,
        ),
        ("organizers", text_of(app, None, &organizers_path).await),
        ("search", text_of(app, Some(&bob.token), search_path).await),
        ("passes CSV", csv_of(app, &staff.token, &passes_path).await),
        (
            "eligibility CSV",
            csv_of(app, &staff.token, &eligibility_path).await,
        ),
        (
            "audit CSV",
            csv_of(app, &staff.token, "/v1/audit-log").await,
        ),
    ] {
        assert!(leaked(&text, &markers).is_some(), "{surface} shows Erin");
    }
    assert!(rows_of(app, "account_tokens", "member_id", erin.id, "").await > 0);
    assert!(rows_of(app, "outbox", "member_id", erin.id, "").await > 0);

    let response = erase_me(app, &erin, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(response.text().await.expect("body").is_empty());

    // (a) Every count others see is as it was.
    assert_eq!(app.votes_of(&bob, &item).await, votes);
    assert_eq!(
        json_of(app, Some(&bob.token), &item_path).await,
        item_before
    );
    assert_eq!(
        json_of(app, Some(&bob.token), &erins_item_path).await,
        erins_item_before,
        "Erin's item stays, under her (now anonymous) id"
    );
    assert_eq!(json_of(app, None, &event_path).await, event_before);
    assert_eq!(json_of(app, None, &events_path).await, events_before);
    let health_after = json_of(app, None, &health_path).await;
    assert_eq!(event_figures(&health_after), event_figures(&health_before));
    assert_eq!(health_after["organizers"], 1, "Erin's role went with her");
    assert_eq!(programme_quota(app, &summit_id, "acc").await, quota_before);
    assert_eq!(
        json_of(app, Some(&staff.token), &draft_path).await["metrics"],
        draft_before["metrics"]
    );
    let verified_after = json_of(app, Some(&staff.token), &verified_path).await;
    let verified_after = verified_after["items"].as_array().expect("items");
    assert_eq!(verified_after.len(), verified_before, "kept as counts");
    assert!(
        verified_after
            .iter()
            .all(|c| c["title"] == "" && c["evidence_url"].is_null()),
        "{verified_after:?}"
    );
    assert_eq!(
        csv_of(app, &bob.token, "/v1/feedback").await,
        feedback_csv_before
    );
    let passes = json_of(app, Some(&staff.token), &passes_path).await;
    assert_eq!(passes["items"][0]["id"], pass["id"]);
    assert_eq!(
        passes["items"][0]["status"], "redeemed",
        "a redeemed pass stays"
    );

    // (b) Nothing of Erin's person in any answer or export.
    for token in [Some(bob.token.as_str()), None] {
        assert_problem(app.get(&profile_path, token).await, 404, "not_found").await;
    }
    let seen_by_staff = json_of(app, Some(&staff.token), &profile_path).await;
    assert_eq!(seen_by_staff["display_name"], "former member");
    assert_eq!(seen_by_staff["email"], "");
    assert_eq!(
        (
            &seen_by_staff["city"],
            &seen_by_staff["bio"],
            &seen_by_staff["affiliation"]
        ),
        (&Value::Null, &Value::Null, &Value::Null)
    );
    assert_eq!(seen_by_staff["roles"], json!([]));
    assert!(
        !organizers_of(app, None, group)
            .await
            .iter()
            .any(|(id, _)| *id == erin.id.to_string()),
        "Erin organizes no more"
    );
    let audit_csv = csv_of(app, &staff.token, "/v1/audit-log").await;
    for (surface, text) in [
        ("profile as staff", seen_by_staff.to_string()),
        ("organizers", text_of(app, None, &organizers_path).await),
        ("search", text_of(app, Some(&bob.token), search_path).await),
        ("item", text_of(app, Some(&bob.token), &item_path).await),
        (
            "Erin's item",
            text_of(app, Some(&bob.token), &erins_item_path).await,
        ),
        ("event", text_of(app, None, &event_path).await),
        ("events", text_of(app, None, &events_path).await),
        (
            "claims",
            text_of(app, Some(&staff.token), &verified_path).await,
        ),
        (
            "feedback CSV",
            csv_of(app, &bob.token, "/v1/feedback").await,
        ),
        ("passes CSV", csv_of(app, &staff.token, &passes_path).await),
        (
            "eligibility CSV",
            csv_of(app, &staff.token, &eligibility_path).await,
        ),
        ("audit CSV", audit_csv.clone()),
    ] {
        assert_eq!(leaked(&text, &markers), None, "{surface}: {text}");
    }
    assert!(
        !csv_of(app, &staff.token, &eligibility_path)
            .await
            .contains(&erin.id.to_string()),
        "an erased member is eligible for nothing"
    );
    let audit = json_of(
        app,
        Some(&staff.token),
        &format!(
            "/v1/audit-log?entity_type=member&entity_id={}&limit=200",
            erin.id
        ),
    )
    .await;
    let entries = audit["items"].as_array().expect("items");
    let erased = entries
        .iter()
        .find(|e| e["action"] == "member.erased")
        .expect("the erasure is audited");
    assert_eq!(erased["actor_id"], erin.id.to_string());
    assert_eq!(erased["summary"], json!({"by": "self", "reason": null}));
    let updated = entries
        .iter()
        .find(|e| e["action"] == "member.profile_updated")
        .expect("the profile change stays audited, by id");
    assert_eq!(updated["summary"], json!({"erased": true}));
    // Sessions, mails and one-time tokens are gone.
    assert_eq!(
        rows_of(app, "account_tokens", "member_id", erin.id, "").await,
        0
    );
    assert_eq!(rows_of(app, "outbox", "member_id", erin.id, "").await, 0);
    assert_eq!(
        rows_of(
            app,
            "refresh_tokens",
            "member_id",
            erin.id,
            " AND revoked_at IS NULL"
        )
        .await,
        0
    );
    assert_eq!(
        rows_of(app, "feedback_votes", "member_id", erin.id, "").await,
        1,
        "the vote stays"
    );

    // (c) Others' exports are as they were.
    assert_eq!(export_of(app, olga).await, olga_before);
    assert_eq!(export_of(app, &bob).await, bob_before);
    assert_eq!(export_of(app, &amir).await, amir_before);

    // (d) Erin cannot come back in; her address may start afresh.
    assert_problem(
        app.post(
            "/v1/auth/token",
            None,
            &json!({"email": erin.email, "password": PASSWORD}),
        )
        .await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(
        app.get("/v1/me", Some(&erin.token)).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(
        app.post(
            "/v1/auth/refresh",
            None,
            &json!({"refresh_token": erin.refresh_token}),
        )
        .await,
        401,
        "unauthenticated",
    )
    .await;
    let response = app
        .post(
            "/v1/auth/register",
            None,
            &json!({"email": erin.email, "password": PASSWORD, "display_name": "Erin Again"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let again: Uuid = body(response).await["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("a new member id");
    assert_ne!(again, erin.id);
    let newcomer = app.sign_in(again, &erin.email).await;
    let fresh = me(app, &newcomer).await;
    assert_eq!(fresh["display_name"], "Erin Again");
    assert_eq!(fresh["city"], Value::Null);
    assert_eq!(
        export_of(app, &newcomer).await["contributions"],
        json!([]),
        "nothing of the erased account comes back"
    );
}
