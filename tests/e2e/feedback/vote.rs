//! `POST, DELETE /v1/feedback/{id}/votes`: one vote per member.

use futures_util::future::join_all;
use liaison_tests::{assert_problem, count, id_of, TestApp};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn voting_twice_is_a_no_op_and_delete_withdraws_the_vote() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let id = id_of(&app.feedback(&ada, "Live migration times out").await);
    assert_eq!(app.vote(&ben, &id).await.status(), StatusCode::OK);
    assert_eq!(app.vote(&ben, &id).await.status(), StatusCode::OK);
    assert_eq!(app.votes_of(&ada, &id).await, 1);
    let gone = app
        .request(reqwest::Method::DELETE, &format!("/v1/feedback/{id}/votes"))
        .bearer_auth(&ben.token)
        .send()
        .await
        .expect("delete");
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.votes_of(&ada, &id).await, 0);
    assert_problem(
        app.post(&format!("/v1/feedback/{id}/votes"), None, &json!({}))
            .await,
        401,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn a_vote_on_behalf_of_a_group_needs_one_of_its_organizers() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let lyon = id_of(&app.provisional_group(&staff, &ada, "lyon-ops", "FR").await);
    let id = id_of(&app.feedback(&ben, "Live migration times out").await);
    let path = format!("/v1/feedback/{id}/votes");
    let problem = assert_problem(
        app.post(&path, Some(&ben.token), &json!({"group_id": lyon}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "group_id");
    assert_eq!(count(&app.db, "feedback_votes").await, 0);
    assert_eq!(
        app.post(&path, Some(&ada.token), &json!({"group_id": lyon}))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(app.votes_of(&ada, &id).await, 1);
}

#[tokio::test]
async fn race_fifty_members_voting_at_once_count_exactly() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let id = id_of(&app.feedback(&ada, "Live migration times out").await);
    let mut voters = Vec::new();
    for i in 0..50 {
        voters.push(app.member(&format!("Voter {i}")).await);
    }
    let answers = join_all(voters.iter().map(|v| app.vote(v, &id))).await;
    assert!(answers.iter().all(|r| r.status() == StatusCode::OK));
    assert_eq!(app.votes_of(&ada, &id).await, 50);
}

#[tokio::test]
async fn race_one_member_voting_twenty_times_at_once_votes_once() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let id = id_of(&app.feedback(&ada, "Live migration times out").await);
    let answers = join_all((0..20).map(|_| app.vote(&ben, &id))).await;
    assert!(answers.iter().all(|r| r.status() == StatusCode::OK));
    assert_eq!(app.votes_of(&ada, &id).await, 1);
    assert_eq!(count(&app.db, "feedback_votes").await, 1);
}

#[tokio::test]
async fn a_vote_needs_no_body_but_a_malformed_one_is_refused() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let id = id_of(&app.feedback(&ada, "Live migration times out").await);
    let path = format!("/v1/feedback/{id}/votes");
    let wrong = app
        .post(&path, Some(&ben.token), &json!({"group_id": 5}))
        .await;
    assert_problem(wrong, 422, "validation_failed").await;
    assert_eq!(app.votes_of(&ada, &id).await, 0);
    let bare = app
        .request(reqwest::Method::POST, &path)
        .bearer_auth(&ben.token)
        .send()
        .await
        .expect("post");
    assert_eq!(bare.status(), StatusCode::OK);
    assert_eq!(app.votes_of(&ada, &id).await, 1);
}

/// Found by schemathesis: the body was documented as required, and then as
/// `null`-able; a vote without a body is a plain vote, and `null` is no body.
#[tokio::test]
async fn the_vote_body_is_documented_as_optional_and_a_request_without_one_votes() {
    let doc = liaison_tests::document();
    let body = &liaison_tests::operation(&doc, "post", "/v1/feedback/{id}/votes")["requestBody"];
    assert!(body["required"].is_null() || body["required"] == false);
    assert_eq!(
        body["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/VoteRequest"
    );
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let item = id_of(&app.feedback(&ada, "Live migration times out").await);
    let path = format!("/v1/feedback/{item}/votes");
    let response = app
        .call(reqwest::Method::POST, &path, Some(&ben.token))
        .send()
        .await
        .expect("vote");
    assert_eq!(response.status(), StatusCode::OK);
    let refused = app
        .call(reqwest::Method::POST, &path, Some(&ben.token))
        .header("Content-Type", "application/json")
        .body("null")
        .send()
        .await
        .expect("vote");
    assert_problem(refused, 422, "validation_failed").await;
}
