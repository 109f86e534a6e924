//! Duplicates: marking one moves its votes to the canonical item without
//! counting anyone twice; restoring gives them back.

use futures_util::future::join_all;
use liaison_tests::{assert_problem, body, error_fields, id_of, Member, TestApp};
use reqwest::StatusCode;
use serde_json::json;

async fn voters(app: &TestApp, n: usize) -> Vec<Member> {
    let mut all = Vec::new();
    for i in 0..n {
        all.push(app.member(&format!("Voter {i}")).await);
    }
    all
}

#[tokio::test]
async fn marking_a_duplicate_moves_its_votes_once_and_restoring_gives_them_back() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let v = voters(&app, 4).await;
    let a = id_of(
        &app.feedback(&ada, "Live migration times out on large instances")
            .await,
    );
    let b = id_of(
        &app.feedback(&ada, "Live migration timeout on big instances")
            .await,
    );
    for (voter, item) in [(&v[0], &a), (&v[1], &a), (&v[1], &b), (&v[2], &b)] {
        assert_eq!(app.vote(voter, item).await.status(), StatusCode::OK);
    }
    let marked = app
        .triage(
            &staff,
            &b,
            json!({"status": "duplicate", "duplicate_of": a}),
        )
        .await;
    assert_eq!(marked.status(), StatusCode::OK);
    assert_eq!(body(marked).await["duplicate_of"], a.as_str());
    assert_eq!(
        app.votes_of(&ada, &a).await,
        3,
        "v0, v1 and v2: v1 counts once"
    );
    assert_eq!(app.votes_of(&ada, &b).await, 0);
    // A vote on the duplicate counts for its canonical item.
    let counted = body(app.vote(&v[3], &b).await).await;
    assert_eq!(
        (counted["id"].as_str(), counted["votes"].as_i64()),
        (Some(a.as_str()), Some(4))
    );
    let restored = app
        .post(
            &format!("/v1/feedback/{b}/restore"),
            Some(&staff.token),
            &json!({}),
        )
        .await;
    assert_eq!(restored.status(), StatusCode::OK);
    let restored = body(restored).await;
    assert_eq!(restored["status"], "new");
    assert_eq!(restored["votes"], 2, "its own votes: v1 and v2");
    assert_eq!(app.votes_of(&ada, &a).await, 3, "v0, v1 and v3");
    assert_problem(
        app.post(
            &format!("/v1/feedback/{b}/restore"),
            Some(&staff.token),
            &json!({}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
}

#[tokio::test]
async fn a_duplicate_of_itself_or_closing_a_cycle_is_422_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let a = id_of(&app.feedback(&ada, "Live migration times out").await);
    let b = id_of(&app.feedback(&ada, "Live migration hangs forever").await);
    let c = id_of(&app.feedback(&ada, "Live migration never ends").await);
    let problem = assert_problem(
        app.triage(
            &staff,
            &a,
            json!({"status": "duplicate", "duplicate_of": a}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["duplicate_of"]);
    assert_eq!(
        app.triage(
            &staff,
            &b,
            json!({"status": "duplicate", "duplicate_of": a})
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.triage(
            &staff,
            &c,
            json!({"status": "duplicate", "duplicate_of": b})
        )
        .await
        .status(),
        StatusCode::OK
    );
    // a → c would close a → c → b → a.
    let problem = assert_problem(
        app.triage(
            &staff,
            &a,
            json!({"status": "duplicate", "duplicate_of": c}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["duplicate_of"]);
    let read = body(
        app.get(&format!("/v1/feedback/{a}"), Some(&ada.token))
            .await,
    )
    .await;
    assert_eq!(read["status"], "new");
    let missing = json!({"status": "duplicate"});
    let problem = assert_problem(
        app.triage(&staff, &a, missing).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["duplicate_of"]);
}

#[tokio::test]
async fn race_a_duplicate_marking_with_new_votes_loses_none_and_counts_none_twice() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let v = voters(&app, 20).await;
    let a = id_of(&app.feedback(&ada, "Live migration times out").await);
    let b = id_of(&app.feedback(&ada, "Live migration hangs forever").await);
    // Every voter votes on both items while b is marked a duplicate of a.
    let mut calls = Vec::new();
    for voter in &v {
        calls.push(app.vote(voter, &a));
        calls.push(app.vote(voter, &b));
    }
    let marking = app.triage(
        &staff,
        &b,
        json!({"status": "duplicate", "duplicate_of": a}),
    );
    let (answers, marked) = futures_util::join!(join_all(calls), marking);
    assert_eq!(marked.status(), StatusCode::OK);
    assert!(answers.iter().all(|r| r.status() == StatusCode::OK));
    assert_eq!(app.votes_of(&ada, &a).await, 20);
    assert_eq!(app.votes_of(&ada, &b).await, 0);
}

#[tokio::test]
async fn only_the_regions_ambassadors_and_staff_restore_a_duplicate() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let a = id_of(&app.feedback(&ada, "Live migration times out").await);
    let b = id_of(&app.feedback(&ben, "Live migration hangs forever").await);
    app.triage(
        &staff,
        &b,
        json!({"status": "duplicate", "duplicate_of": a}),
    )
    .await;
    let path = format!("/v1/feedback/{b}/restore");
    assert_problem(
        app.post(&path, Some(&ada.token), &json!({})).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post(&path, None, &json!({})).await,
        401,
        "unauthenticated",
    )
    .await;
    let read = body(
        app.get(&format!("/v1/feedback/{b}"), Some(&ada.token))
            .await,
    )
    .await;
    assert_eq!(read["status"], "duplicate");
}
