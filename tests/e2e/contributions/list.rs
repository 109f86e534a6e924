//! `GET /v1/contributions`: each caller sees the claims that are theirs to see.

use liaison_tests::{
    assert_problem, body, claim, claim_request, error_fields, id_of, Member, TestApp,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::{
    a_past_scheduled_event, ids, ids_of, items, linked_claim, listed, mine, patched, set_country,
    verify,
};

/// Staff, regions `europe` (FR) and `dach` (DE), Alice (FR) and Bob (DE),
/// an approved group in FR; four claims, oldest first: Alice's talk
/// (verified), her linked mentoring, Bob's localization (rejected) and his
/// linked talk.
struct Claims {
    staff: Member,
    alice: Member,
    bob: Member,
    group: String,
    a1: Value,
    a2: Value,
    b1: Value,
    b2: Value,
}

async fn four_claims(app: &TestApp) -> Claims {
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    app.region(&staff, "dach", &["DE"], 3).await;
    let lead = app.member("Lea Lead").await;
    let alice = app.member("Alice").await;
    let bob = app.member("Bob").await;
    set_country(app, &bob, "DE").await;
    let group = app.approved_group(&staff, &lead, "lyon-ops", "FR").await;
    let a1 = claim(app, &alice, &claim_request("talk_given")).await;
    let a2 = claim(app, &alice, &linked_claim("mentoring", &group, None)).await;
    let b1 = claim(app, &bob, &claim_request("localization")).await;
    let b2 = claim(app, &bob, &linked_claim("talk_given", &group, None)).await;
    let response = verify(app, Some(&staff.token), &id_of(&a1), "verified", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = verify(
        app,
        Some(&staff.token),
        &id_of(&b1),
        "rejected",
        Some("No evidence"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    Claims {
        staff,
        alice,
        bob,
        group,
        a1,
        a2,
        b1,
        b2,
    }
}

#[tokio::test]
async fn members_see_only_their_own_contributions() {
    let app = TestApp::spawn().await;
    let alice = app.member("Alice").await;
    let bob = app.member("Bob").await;
    let a1 = claim(&app, &alice, &claim_request("talk_given")).await;
    let a2 = claim(&app, &alice, &claim_request("mentoring")).await;
    let b1 = claim(&app, &bob, &claim_request("localization")).await;

    assert_eq!(ids(&listed(&app, &alice, "").await), ids_of(&[&a1, &a2]));
    assert_eq!(ids(&listed(&app, &bob, "").await), ids_of(&[&b1]));
    // Asking for someone else's finds nothing.
    assert!(listed(&app, &alice, &format!("&member={}", bob.id))
        .await
        .is_empty());
}

#[tokio::test]
async fn listing_contributions_needs_a_signed_in_member() {
    let app = TestApp::spawn().await;
    assert_problem(
        app.get("/v1/contributions", None).await,
        401,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn organizers_see_the_claims_linked_to_their_group() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let lead = app.member("Lea Lead").await;
    let stranger_lead = app.member("Sol Stranger").await;
    let member = app.member("Mia Member").await;
    let group = app.approved_group(&staff, &lead, "lyon-ops", "FR").await;
    let other = app
        .approved_group(&staff, &stranger_lead, "paris-ops", "FR")
        .await;
    let linked = claim(&app, &member, &linked_claim("talk_given", &group, None)).await;
    let elsewhere = claim(&app, &member, &linked_claim("talk_given", &other, None)).await;
    let unlinked = claim(&app, &member, &claim_request("mentoring")).await;

    assert_eq!(ids(&listed(&app, &lead, "").await), ids_of(&[&linked]));
    assert_eq!(
        ids(&listed(&app, &stranger_lead, "").await),
        ids_of(&[&elsewhere])
    );
    assert_eq!(
        ids(&listed(&app, &lead, &format!("&group={group}")).await),
        ids_of(&[&linked])
    );
    assert!(listed(&app, &lead, &format!("&group={other}"))
        .await
        .is_empty());
    assert_eq!(
        ids(&listed(&app, &member, "").await),
        ids_of(&[&linked, &elsewhere, &unlinked])
    );
    // The organizer's own list is not the claimant's.
    assert!(mine(&app, &lead).await.is_empty());
}

#[tokio::test]
async fn ambassadors_see_the_claims_of_their_region() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    app.region(&staff, "dach", &["DE"], 3).await;
    let (ambassador, _) = app.ambassador(&staff, "Amy Ambassador", "europe").await;
    let (dach_ambassador, _) = app.ambassador(&staff, "Dirk Ambassador", "dach").await;
    set_country(&app, &dach_ambassador, "DE").await;
    let french = app.member("Fleur French").await;
    let german = app.member("Greta German").await;
    set_country(&app, &german, "DE").await;
    let nowhere = app.member("Nina Nowhere").await;
    set_country(&app, &nowhere, "JP").await;
    let fr = claim(&app, &french, &claim_request("talk_given")).await;
    let de = claim(&app, &german, &claim_request("talk_given")).await;
    let jp = claim(&app, &nowhere, &claim_request("talk_given")).await;

    assert_eq!(ids(&listed(&app, &ambassador, "").await), ids_of(&[&fr]));
    assert_eq!(
        ids(&listed(&app, &dach_ambassador, "").await),
        ids_of(&[&de])
    );
    assert_eq!(
        ids(&listed(&app, &ambassador, "&region=europe").await),
        ids_of(&[&fr])
    );
    assert!(listed(&app, &ambassador, "&region=dach").await.is_empty());
    assert_eq!(
        ids(&listed(&app, &staff, "").await),
        ids_of(&[&fr, &de, &jp])
    );
}

#[tokio::test]
async fn staff_see_every_contribution_and_filter_them() {
    let app = TestApp::spawn().await;
    let Claims {
        staff,
        alice,
        bob,
        group,
        a1,
        a2,
        b1,
        b2,
    } = four_claims(&app).await;
    assert_eq!(
        ids(&listed(&app, &staff, "").await),
        ids_of(&[&a1, &a2, &b1, &b2])
    );
    assert_eq!(
        ids(&listed(&app, &staff, &format!("&member={}", alice.id)).await),
        ids_of(&[&a1, &a2])
    );
    assert_eq!(
        ids(&listed(&app, &staff, "&status=pending").await),
        ids_of(&[&a2, &b2])
    );
    assert_eq!(
        ids(&listed(&app, &staff, "&status=verified").await),
        ids_of(&[&a1])
    );
    assert_eq!(
        ids(&listed(&app, &staff, "&status=rejected").await),
        ids_of(&[&b1])
    );
    assert_eq!(
        ids(&listed(&app, &staff, &format!("&group={group}")).await),
        ids_of(&[&a2, &b2])
    );
    // The region is the member's or the group's.
    assert_eq!(
        ids(&listed(&app, &staff, "&region=europe").await),
        ids_of(&[&a1, &a2, &b2])
    );
    assert_eq!(
        ids(&listed(&app, &staff, "&region=dach").await),
        ids_of(&[&b1, &b2])
    );
    assert_eq!(
        ids(&listed(
            &app,
            &staff,
            &format!("&region=dach&status=pending&member={}", bob.id)
        )
        .await),
        ids_of(&[&b2])
    );
}

#[tokio::test]
async fn staff_page_through_contributions_newest_first_without_repeats() {
    let app = TestApp::spawn().await;
    let Claims { staff, a1, .. } = four_claims(&app).await;
    let first = app
        .get("/v1/contributions?limit=3", Some(&staff.token))
        .await;
    let first = body(first).await;
    assert_eq!(first["items"].as_array().map(Vec::len), Some(3));
    let cursor = first["next_cursor"].as_str().expect("a next cursor");
    let rest = items(
        &app,
        &staff.token,
        &format!("/v1/contributions?limit=3&cursor={cursor}"),
    )
    .await;
    assert_eq!(rest.len(), 1);
    assert_eq!(id_of(&rest[0]), id_of(&a1), "the oldest comes last");
}

#[tokio::test]
async fn an_unknown_status_region_or_member_filter_on_contributions_is_400() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let problem = assert_problem(
        app.get("/v1/contributions?status=approved", Some(&staff.token))
            .await,
        400,
        "malformed_request",
    )
    .await;
    assert!(problem["detail"]
        .as_str()
        .is_some_and(|d| d.contains("status") || d.contains("approved")));
    let problem = assert_problem(
        app.get("/v1/contributions?region=atlantis", Some(&staff.token))
            .await,
        400,
        "malformed_request",
    )
    .await;
    assert_eq!(error_fields(&problem), ["region"]);
    assert_problem(
        app.get("/v1/contributions?member=not-a-uuid", Some(&staff.token))
            .await,
        400,
        "malformed_request",
    )
    .await;
}

#[tokio::test]
async fn staff_list_derived_contributions_as_verified() {
    let app = TestApp::spawn().await;
    let (staff, lead, _, _, event) = a_past_scheduled_event(&app).await;
    patched(
        &app,
        &lead,
        &id_of(&event),
        &json!({"status": "held", "attendee_count": 80}),
    )
    .await;
    assert_eq!(listed(&app, &staff, "&status=verified").await.len(), 2);
}
