//! `DELETE /v1/me` and `DELETE /v1/members/{id}`: erasure blanks what is the member's and keeps what others rely on.

use std::time::Duration;

use chrono::Duration as Days;
use liaison_tests::{
    assert_problem, body, claim, current_period, cutoff, error_fields, id_of, manual_pass,
    organizers_of, programme_quota, scalar, string_of, summit, today, verified_run, world, Member,
    TestApp, PASSWORD,
};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use super::me;

// Erasing, and reading back what was erased.

/// `DELETE /v1/me` as `who`, confirmed with `password`.
async fn erase_me(app: &TestApp, who: &Member, password: &str) -> Response {
    app.send_json(
        Method::DELETE,
        "/v1/me",
        Some(&who.token),
        &json!({ "password": password }),
    )
    .await
}

/// `DELETE /v1/members/{id}` as `token`, with `request` as the body.
async fn erase_member(app: &TestApp, token: &str, id: Uuid, request: &Value) -> Response {
    app.send_json(
        Method::DELETE,
        &format!("/v1/members/{id}"),
        Some(token),
        request,
    )
    .await
}

/// Whether the member's row is marked erased, read in SQL.
async fn is_erased(app: &TestApp, id: Uuid) -> bool {
    scalar(
        &app.db,
        &format!(
            "SELECT count(*)::bigint AS n FROM members WHERE id = '{id}' AND erased_at IS NOT NULL"
        ),
    )
    .await
        == 1
}

/// How many rows of `table` belong to the member (by `column`), read in SQL.
async fn rows_of(app: &TestApp, table: &str, column: &str, id: Uuid, extra: &str) -> i64 {
    scalar(
        &app.db,
        &format!("SELECT count(*)::bigint AS n FROM {table} WHERE {column} = '{id}'{extra}"),
    )
    .await
}

/// A GET as `token` that must answer 200; answers the body as text.
async fn text_of(app: &TestApp, token: Option<&str>, path: &str) -> String {
    let response = app.get(path, token).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    response.text().await.expect("body")
}

/// A GET as `token` that must answer 200; answers the JSON body.
async fn json_of(app: &TestApp, token: Option<&str>, path: &str) -> Value {
    let response = app.get(path, token).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    body(response).await
}

/// The CSV export of a list endpoint (`Accept: text/csv`) as `token`.
async fn csv_of(app: &TestApp, token: &str, path: &str) -> String {
    let response = app
        .call(Method::GET, path, Some(token))
        .header("Accept", "text/csv")
        .send()
        .await
        .expect("csv request");
    assert_eq!(response.status(), StatusCode::OK, "CSV of {path}");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    response.text().await.expect("csv body")
}

/// The member's export without its `exported_at`, to compare two moments.
async fn export_of(app: &TestApp, who: &Member) -> Value {
    let response = app.get("/v1/me/export", Some(&who.token)).await;
    assert_eq!(response.status(), StatusCode::OK, "export");
    let mut document = body(response).await;
    document
        .as_object_mut()
        .expect("an object")
        .remove("exported_at");
    document
}

/// The first of `markers` that `text` holds (case-insensitively), if any.
fn leaked<'a>(text: &str, markers: &'a [String]) -> Option<&'a String> {
    let text = text.to_lowercase();
    markers.iter().find(|m| text.contains(&m.to_lowercase()))
}

/// Waits (up to ten seconds) until the dispatcher has expanded every batch
/// of pass mails, so no mail row is written after the moment a test reads.
async fn pass_mails_expanded(app: &TestApp) {
    for _ in 0..100 {
        let open = scalar(
            &app.db,
            "SELECT count(*)::bigint AS n FROM outbox WHERE channel = 'batch' AND status = 'pending'",
        )
        .await;
        if open == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the pass mails were never expanded");
}

/// `POST /v1/passes/redeem` as staff, asserting 200.
async fn redeem(app: &TestApp, staff: &Member, pass: &Value) {
    let response = app
        .post(
            "/v1/passes/redeem",
            Some(&staff.token),
            &json!({"code": string_of(&pass["code"])}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "redeem");
}

/// The figures of the group that others read: its health without what
/// follows from the organizers (their number and the flags).
fn event_figures(health: &Value) -> Value {
    json!({
        "held_last_90_days": health["held_last_90_days"],
        "held_last_365_days": health["held_last_365_days"],
        "average_attendance": health["average_attendance"],
        "last_event_at": health["last_event_at"],
    })
}

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
async fn an_admin_erases_a_member_with_a_reason_recorded_in_the_audit_log() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let admin = app.admin().await;
    let ada = app.member("Ada").await;
    let before = me(&app, &ada).await;
    let reason = json!({"reason": "asked by mail on 2026-11-30 (ticket 4411)"});
    let entries_path = format!(
        "/v1/audit-log?entity_type=member&entity_id={}&limit=200",
        ada.id
    );
    let erasures = |entries: &Value| {
        entries["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|e| e["action"] == "member.erased")
            .cloned()
            .collect::<Vec<_>>()
    };

    // Refused: staff who are not admins, and an admin without a reason.
    assert_problem(
        erase_member(&app, &staff.token, ada.id, &reason).await,
        403,
        "forbidden",
    )
    .await;
    let missing = assert_problem(
        erase_member(&app, &admin.token, ada.id, &json!({})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&missing), ["reason"]);
    let blank = assert_problem(
        erase_member(&app, &admin.token, ada.id, &json!({"reason": "   "})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&blank), ["reason"]);
    assert!(!is_erased(&app, ada.id).await);
    assert_eq!(me(&app, &ada).await, before);
    assert_eq!(
        erasures(&json_of(&app, Some(&staff.token), &entries_path).await),
        Vec::<Value>::new()
    );

    let response = erase_member(&app, &admin.token, ada.id, &reason).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(is_erased(&app, ada.id).await);
    let recorded = erasures(&json_of(&app, Some(&staff.token), &entries_path).await);
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    assert_eq!(recorded[0]["actor_type"], "member");
    assert_eq!(recorded[0]["actor_id"], admin.id.to_string());
    assert_eq!(
        recorded[0]["summary"],
        json!({"by": "admin", "reason": "asked by mail on 2026-11-30 (ticket 4411)"})
    );
    assert_problem(
        app.get("/v1/me", Some(&ada.token)).await,
        401,
        "unauthenticated",
    )
    .await;

    // Erased already, or never there: 404.
    for id in [ada.id, Uuid::new_v4()] {
        assert_problem(
            erase_member(&app, &admin.token, id, &reason).await,
            404,
            "not_found",
        )
        .await;
    }
    assert_eq!(
        erasures(&json_of(&app, Some(&staff.token), &entries_path).await).len(),
        1,
        "erased once"
    );
}

/// The erasure by id is an admin's: a member naming their own id must
/// confirm with the password through `DELETE /v1/me` instead.
#[tokio::test]
async fn a_member_may_not_erase_themselves_by_id_without_the_password() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let before = me(&app, &ada).await;
    assert_problem(
        erase_member(&app, &ada.token, ada.id, &json!({"reason": "bye"})).await,
        403,
        "forbidden",
    )
    .await;
    assert!(!is_erased(&app, ada.id).await);
    assert_eq!(me(&app, &ada).await, before);
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
