//! `DELETE /v1/groups/{id}/organizers/{member_id}`: removing organizers, never the last one.

use liaison_tests::{
    assert_problem, count, id_of, organizers_of, patch_group, remove_organizer, Member, TestApp,
};
use reqwest::StatusCode;
use serde_json::json;

/// A provisional group organized by exactly `a` (lead) and `b` (co).
async fn two_organizer_group(
    app: &TestApp,
    staff: &Member,
    a: &Member,
    b: &Member,
    slug: &str,
) -> String {
    let group = app.provisional_group(staff, a, slug, "FR").await;
    let id = id_of(&group);
    app.add_co_organizer(a, &id, b).await;
    id
}

/// Fires `rounds` concurrent removals, alternating "a removes b" and "b
/// removes a"; returns the statuses.
async fn remove_each_other(
    app: &TestApp,
    id: &str,
    a: &Member,
    b: &Member,
    rounds: usize,
) -> Vec<u16> {
    let calls = (0..rounds).map(|i| {
        let (caller, target) = if i % 2 == 0 { (a, b) } else { (b, a) };
        async move {
            remove_organizer(app, Some(&caller.token), id, target.id)
                .await
                .status()
                .as_u16()
        }
    });
    futures_util::future::join_all(calls).await
}

#[tokio::test]
async fn only_organizers_remove_organizers() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let eve = app.member("Eve").await;
    let group = app
        .provisional_group(&staff, &ada, "lyon-operators", "FR")
        .await;
    let id = id_of(&group);
    app.add_co_organizer(&ada, &id, &ben).await;
    let response = remove_organizer(&app, None, &id, ben.id).await;
    assert_problem(response, 401, "unauthenticated").await;
    let response = remove_organizer(&app, Some(&eve.token), &id, ben.id).await;
    assert_problem(response, 403, "forbidden").await;
    assert_eq!(count(&app.db, "group_organizers").await, 2);
    assert_eq!(organizers_of(&app, None, &id).await.len(), 2);
}

#[tokio::test]
async fn an_organizer_removes_a_co_organizer_once() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let group = app
        .provisional_group(&staff, &ada, "lyon-operators", "FR")
        .await;
    let id = id_of(&group);
    app.add_co_organizer(&ada, &id, &ben).await;
    let response = remove_organizer(&app, Some(&ada.token), &id, ben.id).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        organizers_of(&app, None, &id).await,
        [(ada.id.to_string(), "lead".to_owned())]
    );
    // Ben is no organizer any more: removing him again finds nothing.
    let response = remove_organizer(&app, Some(&ada.token), &id, ben.id).await;
    assert_problem(response, 404, "not_found").await;
    assert_eq!(
        app.audited(&staff, "group", "group.organizer_removed")
            .await,
        1
    );
}

#[tokio::test]
async fn the_last_organizer_cannot_leave() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let group = app
        .provisional_group(&staff, &ada, "lyon-operators", "FR")
        .await;
    let id = id_of(&group);
    let response = remove_organizer(&app, Some(&ada.token), &id, ada.id).await;
    assert_problem(response, 409, "last_organizer").await;
    assert_eq!(count(&app.db, "group_organizers").await, 1);
    assert_eq!(
        organizers_of(&app, None, &id).await,
        [(ada.id.to_string(), "lead".to_owned())]
    );
    assert_eq!(
        app.audited(&staff, "group", "group.organizer_removed")
            .await,
        0
    );
}

#[tokio::test]
async fn when_the_lead_leaves_the_longest_serving_organizer_becomes_lead() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let cy = app.member("Cy").await;
    let group = app
        .provisional_group(&staff, &ada, "lyon-operators", "FR")
        .await;
    let id = id_of(&group);
    app.add_co_organizer(&ada, &id, &ben).await;
    app.add_co_organizer(&ada, &id, &cy).await;
    let response = remove_organizer(&app, Some(&ada.token), &id, ada.id).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        organizers_of(&app, None, &id).await,
        [
            (ben.id.to_string(), "lead".to_owned()),
            (cy.id.to_string(), "co".to_owned())
        ]
    );
    // Ada no longer organizes it: she may not edit it.
    let response = patch_group(&app, Some(&ada.token), &id, None, &json!({"name": "Mine"})).await;
    assert_problem(response, 403, "forbidden").await;
}

#[tokio::test]
async fn two_organizers_removing_each_other_at_once_leave_exactly_one() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    for (slug, rounds) in [
        ("pair-one", 2),
        ("pair-two", 2),
        ("pair-three", 10),
        ("pair-four", 10),
    ] {
        let id = two_organizer_group(&app, &staff, &ada, &ben, slug).await;
        let statuses = remove_each_other(&app, &id, &ada, &ben, rounds).await;
        assert_eq!(
            statuses.iter().filter(|s| **s == 204).count(),
            1,
            "exactly one removal succeeds: {statuses:?}"
        );
        assert!(
            statuses.iter().all(|s| matches!(s, 204 | 403 | 404 | 409)),
            "the others are refused: {statuses:?}"
        );
        let left = organizers_of(&app, None, &id).await;
        assert_eq!(left.len(), 1, "{slug}: {left:?}");
        assert_eq!(left[0].1, "lead", "the one left leads");
        assert!(
            left[0].0 == ada.id.to_string() || left[0].0 == ben.id.to_string(),
            "{left:?}"
        );
    }
    assert_eq!(count(&app.db, "group_organizers").await, 4);
    assert_eq!(
        app.audited(&staff, "group", "group.organizer_removed")
            .await,
        4
    );
}
