//! One application's life: the applicant reads, edits, submits or withdraws
//! it; staff and active ambassadors review it (never their own, never a
//! colleague's); staff decide it, which makes an ambassadorship. The
//! applicant sees the means, never who reviewed.

use chrono::{DateTime, Duration, Months, NaiveDate, Utc};
use liaison_tests::{
    answer, assert_problem, body, count, error_fields, id_of, open_cycle_request, Member, TestApp,
};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

/// The `ETag` header of a response.
fn etag(response: &Response) -> String {
    response.headers()["etag"]
        .to_str()
        .expect("ETag header")
        .to_owned()
}

/// A timestamp of a JSON field.
fn at(value: &Value) -> DateTime<Utc> {
    value
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("a timestamp, got {value}"))
}

/// A date of a JSON field.
fn date(value: &Value) -> NaiveDate {
    value
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("a date, got {value}"))
}

/// An application as `member` reads it, asserting 200.
async fn read(app: &TestApp, member: &Member, id: &str) -> Value {
    let response = app
        .get(&format!("/v1/applications/{id}"), Some(&member.token))
        .await;
    assert_eq!(response.status(), StatusCode::OK, "read application {id}");
    body(response).await
}

/// `PATCH /v1/applications/{id}` with an optional `If-Match`.
async fn edit(
    app: &TestApp,
    token: Option<&str>,
    id: &str,
    if_match: Option<&str>,
    changes: &Value,
) -> Response {
    let mut request = app.call(Method::PATCH, &format!("/v1/applications/{id}"), token);
    if let Some(tag) = if_match {
        request = request.header("If-Match", tag);
    }
    request.json(changes).send().await.expect("request")
}

/// `POST /v1/applications/{id}/{action}` (submit, withdraw).
async fn act(app: &TestApp, token: Option<&str>, id: &str, action: &str) -> Response {
    app.post(
        &format!("/v1/applications/{id}/{action}"),
        token,
        &json!({}),
    )
    .await
}

/// Staff, a `europe` region (FR, 3 seats) and an open cycle over it.
async fn setup(app: &TestApp) -> (Member, String) {
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let cycle = app.cycle(&staff, None, None).await;
    (staff, id_of(&cycle))
}

// --- reading ----------------------------------------------------------------

#[tokio::test]
async fn the_applicant_reads_their_draft_with_an_etag() {
    let app = TestApp::spawn().await;
    let (_, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let draft = app.application(&ada, &cycle, "europe").await;
    let id = id_of(&draft);
    let response = app
        .get(&format!("/v1/applications/{id}"), Some(&ada.token))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get("etag").is_some());
    assert_eq!(body(response).await, draft);
}

#[tokio::test]
async fn staff_read_a_draft_with_its_reviews() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let draft = app.application(&ada, &cycle, "europe").await;
    let as_staff = read(&app, &staff, &id_of(&draft)).await;
    assert_eq!(as_staff["reviews"], json!([]), "staff see the reviews");
}

#[tokio::test]
async fn an_ambassador_reads_an_application_once_submitted_and_without_its_reviews() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let (ambassador, _) = app.ambassador(&staff, "Amir Ambassador", "europe").await;
    let ada = app.member("Ada").await;
    let draft = app.application(&ada, &cycle, "europe").await;
    let id = id_of(&draft);
    // A draft is the applicant's work in progress: reviewers who are not
    // staff see it once submitted.
    assert_problem(
        app.get(&format!("/v1/applications/{id}"), Some(&ambassador.token))
            .await,
        404,
        "not_found",
    )
    .await;
    app.submit(&ada, &id).await;
    let as_ambassador = read(&app, &ambassador, &id).await;
    assert!(as_ambassador.get("reviews").is_none(), "{as_ambassador}");
    assert_eq!(as_ambassador["status"], "submitted");
    assert_eq!(as_ambassador["why_apply"], draft["why_apply"]);
}

#[tokio::test]
async fn another_member_gets_404_and_an_anonymous_caller_401_on_a_submitted_application() {
    let app = TestApp::spawn().await;
    let (_, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let id = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    let bob = app.member("Bob").await;
    assert_problem(
        app.get(&format!("/v1/applications/{id}"), Some(&bob.token))
            .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get(&format!("/v1/applications/{id}"), None).await,
        401,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn an_unknown_application_is_404() {
    let app = TestApp::spawn().await;
    let (staff, _) = setup(&app).await;
    assert_problem(
        app.get(
            &format!("/v1/applications/{}", uuid::Uuid::now_v7()),
            Some(&staff.token),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

// --- editing ----------------------------------------------------------------

#[tokio::test]
async fn the_applicant_edits_a_draft_and_absent_fields_stay() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let draft = app.application(&ada, &cycle, "europe").await;
    let id = id_of(&draft);
    let current = etag(
        &app.get(&format!("/v1/applications/{id}"), Some(&ada.token))
            .await,
    );
    let ideas = answer(300);
    let response = edit(
        &app,
        Some(&ada.token),
        &id,
        Some(&current),
        &json!({"ideas": ideas, "links": ["https://example.org/new"]}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let returned_tag = etag(&response);
    let edited = body(response).await;
    assert_eq!(edited["ideas"], ideas);
    assert_eq!(edited["links"], json!(["https://example.org/new"]));
    assert_eq!(edited["why_apply"], draft["why_apply"]);
    assert_eq!(edited["participation"], draft["participation"]);
    assert_eq!(edited["status"], "draft");
    let response = app
        .get(&format!("/v1/applications/{id}"), Some(&ada.token))
        .await;
    assert_eq!(etag(&response), returned_tag);
    assert_eq!(body(response).await, edited);
    assert_eq!(
        app.audited(&staff, "application", "application.edited")
            .await,
        1
    );
}

#[tokio::test]
async fn an_invalid_edit_names_every_bad_field_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let (_, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let draft = app.application(&ada, &cycle, "europe").await;
    let id = id_of(&draft);
    let links: Vec<String> = (0..11)
        .map(|i| format!("https://example.org/{i}"))
        .collect();
    let response = edit(
        &app,
        Some(&ada.token),
        &id,
        None,
        &json!({"why_apply": answer(49), "participation": answer(5001), "ideas": answer(60), "links": links}),
    )
    .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(
        error_fields(&problem),
        ["why_apply", "participation", "links"]
    );
    assert_eq!(read(&app, &ada, &id).await, draft);
}

#[tokio::test]
async fn editing_a_submitted_application_is_409_invalid_transition() {
    let app = TestApp::spawn().await;
    let (_, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let submitted = app.submitted_application(&ada, &cycle, "europe").await;
    let id = id_of(&submitted);
    let response = edit(
        &app,
        Some(&ada.token),
        &id,
        None,
        &json!({"ideas": answer(90)}),
    )
    .await;
    assert_problem(response, 409, "invalid_transition").await;
    assert_eq!(read(&app, &ada, &id).await, submitted);
}

#[tokio::test]
async fn only_the_applicant_edits_an_application() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let draft = app.application(&ada, &cycle, "europe").await;
    let id = id_of(&draft);
    let changes = json!({"ideas": answer(90)});
    let bob = app.member("Bob").await;
    assert_problem(
        edit(&app, Some(&bob.token), &id, None, &changes).await,
        404,
        "not_found",
    )
    .await;
    // Staff see it, but it is not theirs to write.
    assert_problem(
        edit(&app, Some(&staff.token), &id, None, &changes).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        edit(&app, None, &id, None, &changes).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(read(&app, &ada, &id).await, draft);
}

#[tokio::test]
async fn a_stale_if_match_on_an_application_is_412_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let (_, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let draft = app.application(&ada, &cycle, "europe").await;
    let id = id_of(&draft);
    let stale = etag(
        &app.get(&format!("/v1/applications/{id}"), Some(&ada.token))
            .await,
    );
    let first = answer(70);
    let response = edit(&app, Some(&ada.token), &id, None, &json!({"ideas": first})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = edit(
        &app,
        Some(&ada.token),
        &id,
        Some(&stale),
        &json!({"ideas": answer(90), "why_apply": answer(90)}),
    )
    .await;
    assert_problem(response, 412, "precondition_failed").await;
    let now = read(&app, &ada, &id).await;
    assert_eq!(now["ideas"], first);
    assert_eq!(now["why_apply"], draft["why_apply"]);
}

// --- submitting and withdrawing -----------------------------------------------

#[tokio::test]
async fn submitting_a_draft_while_the_cycle_is_open_marks_it_submitted() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let draft = app.application(&ada, &cycle, "europe").await;
    let id = id_of(&draft);
    // The affiliation counted is the one at submission.
    app.set_affiliation(&ada, "Acme Cloud").await;
    let before = Utc::now() - Duration::seconds(5);
    let response = act(&app, Some(&ada.token), &id, "submit").await;
    assert_eq!(response.status(), StatusCode::OK);
    let submitted = body(response).await;
    assert_eq!(submitted["status"], "submitted");
    let submitted_at = at(&submitted["submitted_at"]);
    assert!(
        before <= submitted_at && submitted_at <= Utc::now() + Duration::seconds(5),
        "{submitted_at}"
    );
    assert_eq!(submitted["affiliation"], "Acme Cloud");
    assert_eq!(read(&app, &ada, &id).await, submitted);
    assert_eq!(
        app.audited(&staff, "application", "application.submitted")
            .await,
        1
    );
}

#[tokio::test]
async fn submitting_twice_is_409_invalid_transition() {
    let app = TestApp::spawn().await;
    let (_, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let submitted = app.submitted_application(&ada, &cycle, "europe").await;
    let id = id_of(&submitted);
    assert_problem(
        act(&app, Some(&ada.token), &id, "submit").await,
        409,
        "invalid_transition",
    )
    .await;
    assert_eq!(read(&app, &ada, &id).await, submitted);
}

#[tokio::test]
async fn submitting_after_the_cycle_closes_is_409_cycle_closed() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let draft = app.application(&ada, &cycle, "europe").await;
    let id = id_of(&draft);
    let now = Utc::now();
    let response = app
        .send_json(
            Method::PATCH,
            &format!("/v1/ambassador-cycles/{cycle}"),
            Some(&staff.token),
            &json!({"opens_at": now - Duration::days(10), "closes_at": now - Duration::hours(1)}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await["open"], false);
    assert_problem(
        act(&app, Some(&ada.token), &id, "submit").await,
        409,
        "cycle_closed",
    )
    .await;
    let now = read(&app, &ada, &id).await;
    assert_eq!(now["status"], "draft");
    assert_eq!(now["submitted_at"], Value::Null);
    assert_eq!(
        app.audited(&staff, "application", "application.submitted")
            .await,
        0
    );
}

#[tokio::test]
async fn the_applicant_withdraws_a_submitted_application_once() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let submitted = app.submitted_application(&ada, &cycle, "europe").await;
    let id = id_of(&submitted);
    let response = act(&app, Some(&ada.token), &id, "withdraw").await;
    assert_eq!(response.status(), StatusCode::OK);
    let withdrawn = body(response).await;
    assert_eq!(withdrawn["status"], "withdrawn");
    assert_eq!(withdrawn["submitted_at"], submitted["submitted_at"]);
    assert_eq!(read(&app, &ada, &id).await, withdrawn);
    for action in ["withdraw", "submit"] {
        assert_problem(
            act(&app, Some(&ada.token), &id, action).await,
            409,
            "invalid_transition",
        )
        .await;
    }
    assert_eq!(
        app.audited(&staff, "application", "application.withdrawn")
            .await,
        1
    );
}

#[tokio::test]
async fn the_applicant_withdraws_a_draft() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let bob = app.member("Bob").await;
    let draft = app.application(&bob, &cycle, "europe").await;
    let response = act(&app, Some(&bob.token), &id_of(&draft), "withdraw").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await["status"], "withdrawn");
    assert_eq!(
        app.audited(&staff, "application", "application.withdrawn")
            .await,
        1
    );
}

#[tokio::test]
async fn withdrawing_a_selected_application_is_409_invalid_transition() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let submitted = app.submitted_application(&ada, &cycle, "europe").await;
    let id = id_of(&submitted);
    let selected = app.decide(&staff, &id, "selected").await;
    assert_problem(
        act(&app, Some(&ada.token), &id, "withdraw").await,
        409,
        "invalid_transition",
    )
    .await;
    assert_eq!(read(&app, &ada, &id).await["status"], "selected");
    assert_eq!(read(&app, &staff, &id).await, selected);
    assert_eq!(count(&app.db, "ambassadorships").await, 1);
}

/// Asserts that only the applicant may `action` a draft: another member gets
/// 404, staff 403, an anonymous caller 401, and the draft stays as it was.
async fn only_the_applicant_may(action: &str) {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let draft = app.application(&ada, &cycle, "europe").await;
    let id = id_of(&draft);
    let bob = app.member("Bob").await;
    assert_problem(
        act(&app, Some(&bob.token), &id, action).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        act(&app, Some(&staff.token), &id, action).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(act(&app, None, &id, action).await, 401, "unauthenticated").await;
    assert_eq!(read(&app, &ada, &id).await, draft);
}

#[tokio::test]
async fn only_the_applicant_submits() {
    only_the_applicant_may("submit").await;
}

#[tokio::test]
async fn only_the_applicant_withdraws() {
    only_the_applicant_may("withdraw").await;
}

// --- reviews ------------------------------------------------------------------

#[tokio::test]
async fn staff_review_a_submitted_application_and_a_resent_review_replaces_it() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let id = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    let response = app.send_review(&staff, &id, (4, 3, 5)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let review = body(response).await;
    assert_eq!(review["reviewer_id"], staff.id.to_string());
    assert_eq!(
        review["scores"],
        json!({"track_record": 4, "geography": 3, "impact": 5})
    );
    assert_eq!(review["comment"], "Reviewed in the test suite.");
    let response = app
        .send_json(
            Method::PUT,
            &format!("/v1/applications/{id}/review"),
            Some(&staff.token),
            &json!({"scores": {"track_record": 2, "geography": 0, "impact": 1}, "comment": "  On second thoughts.  "}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let replaced = body(response).await;
    assert_eq!(
        replaced["scores"],
        json!({"track_record": 2, "geography": 0, "impact": 1})
    );
    assert_eq!(replaced["comment"], "On second thoughts.");
    assert_eq!(count(&app.db, "application_reviews").await, 1);
    let seen = read(&app, &staff, &id).await;
    assert_eq!(seen["reviews"], json!([replaced]));
    assert_eq!(seen["my_review"], replaced);
    assert_eq!(
        seen["scores"],
        json!({"reviews": 1, "means": {"track_record": 2.0, "geography": 0.0, "impact": 1.0}})
    );
    assert_eq!(
        app.audited(&staff, "application", "application.reviewed")
            .await,
        1
    );
    assert_eq!(
        app.audited(&staff, "application", "application.review_replaced")
            .await,
        1
    );
}

#[tokio::test]
async fn an_active_ambassador_may_review_and_sees_only_their_own_review() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let (ambassador, _) = app.ambassador(&staff, "Amir Ambassador", "europe").await;
    let ada = app.member("Ada").await;
    let id = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    let response = app.send_review(&ambassador, &id, (5, 4, 3)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let mine = body(response).await;
    app.review(&staff, &id, (1, 2, 3)).await;
    let seen = read(&app, &ambassador, &id).await;
    assert_eq!(seen["my_review"], mine);
    assert!(seen.get("reviews").is_none(), "{seen}");
    let text = seen.to_string();
    assert!(!text.contains(&staff.id.to_string()), "{text}");
    assert_eq!(seen["scores"]["reviews"], 2);
    assert_eq!(count(&app.db, "application_reviews").await, 2);
}

#[tokio::test]
async fn a_plain_member_may_not_review() {
    let app = TestApp::spawn().await;
    let (_, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let id = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    let bob = app.member("Bob").await;
    // Bob cannot see Ada's application at all; Ada sees hers but is no reviewer.
    assert_problem(
        app.send_review(&bob, &id, (5, 5, 5)).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.send_review(&ada, &id, (5, 5, 5)).await,
        403,
        "forbidden",
    )
    .await;
    let response = app
        .send_json(
            Method::PUT,
            &format!("/v1/applications/{id}/review"),
            None,
            &json!({"scores": {"track_record": 5, "geography": 5, "impact": 5}}),
        )
        .await;
    assert_problem(response, 401, "unauthenticated").await;
    assert_eq!(count(&app.db, "application_reviews").await, 0);
    assert_eq!(read(&app, &ada, &id).await["scores"]["reviews"], 0);
}

#[tokio::test]
async fn reviewing_ones_own_application_is_403_conflict_of_interest() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    // Staff who applied.
    let own = id_of(&app.submitted_application(&staff, &cycle, "europe").await);
    let problem = assert_problem(
        app.send_review(&staff, &own, (5, 5, 5)).await,
        403,
        "conflict_of_interest",
    )
    .await;
    assert!(problem["detail"]
        .as_str()
        .is_some_and(|d| d.contains("own")));
    // An ambassador applying again in another cycle.
    let (ambassador, _) = app.ambassador(&staff, "Amir Ambassador", "europe").await;
    let again = id_of(
        &app.submitted_application(&ambassador, &cycle, "europe")
            .await,
    );
    assert_problem(
        app.send_review(&ambassador, &again, (5, 5, 5)).await,
        403,
        "conflict_of_interest",
    )
    .await;
    assert_eq!(count(&app.db, "application_reviews").await, 0);
    // Each may still review the other's.
    app.review(&staff, &again, (3, 3, 3)).await;
    app.review(&ambassador, &own, (3, 3, 3)).await;
    assert_eq!(count(&app.db, "application_reviews").await, 2);
}

#[tokio::test]
async fn sharing_the_applicants_affiliation_in_any_case_is_403_conflict_of_interest() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    app.set_affiliation(&staff, "Acme").await;
    let ada = app.member("Ada").await;
    app.set_affiliation(&ada, "acme ").await;
    let ada_app = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    let problem = assert_problem(
        app.send_review(&staff, &ada_app, (5, 5, 5)).await,
        403,
        "conflict_of_interest",
    )
    .await;
    assert!(problem["detail"]
        .as_str()
        .is_some_and(|d| d.contains("affiliation")));
    // A reviewer of another company is fine.
    let bob = app.member("Bob").await;
    app.set_affiliation(&bob, "Globex").await;
    let bob_app = id_of(&app.submitted_application(&bob, &cycle, "europe").await);
    assert_eq!(
        app.send_review(&staff, &bob_app, (4, 4, 4)).await.status(),
        StatusCode::CREATED
    );
    // Two independents are not colleagues.
    let kim = app.member_with_roles("Kim Staff", &["staff"]).await;
    app.set_affiliation(&kim, "Independent").await;
    let cleo = app.member("Cleo").await;
    app.set_affiliation(&cleo, "independent").await;
    let cleo_app = id_of(&app.submitted_application(&cleo, &cycle, "europe").await);
    assert_eq!(
        app.send_review(&kim, &cleo_app, (3, 3, 3)).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(count(&app.db, "application_reviews").await, 2);
    assert_eq!(read(&app, &staff, &ada_app).await["reviews"], json!([]));
}

#[tokio::test]
async fn scores_outside_0_to_5_are_422_naming_each_and_write_nothing() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let id = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    let audit_before = count(&app.db, "audit_log").await;
    let problem = assert_problem(
        app.send_review(&staff, &id, (6, -1, 5)).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        error_fields(&problem),
        ["scores.track_record", "scores.geography"]
    );
    let response = app
        .send_json(
            Method::PUT,
            &format!("/v1/applications/{id}/review"),
            Some(&staff.token),
            &json!({"scores": {"track_record": 0, "geography": 5, "impact": 99}, "comment": "x".repeat(5001)}),
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["scores.impact", "comment"]);
    assert_eq!(count(&app.db, "application_reviews").await, 0);
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
    let seen = read(&app, &staff, &id).await;
    assert_eq!(seen["reviews"], json!([]));
    assert_eq!(seen["scores"], json!({"reviews": 0, "means": null}));
}

#[tokio::test]
async fn reviewing_a_draft_or_a_withdrawn_application_is_409_invalid_transition() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let draft = id_of(&app.application(&ada, &cycle, "europe").await);
    assert_problem(
        app.send_review(&staff, &draft, (3, 3, 3)).await,
        409,
        "invalid_transition",
    )
    .await;
    let bob = app.member("Bob").await;
    let withdrawn = id_of(&app.submitted_application(&bob, &cycle, "europe").await);
    assert_eq!(
        act(&app, Some(&bob.token), &withdrawn, "withdraw")
            .await
            .status(),
        StatusCode::OK
    );
    assert_problem(
        app.send_review(&staff, &withdrawn, (3, 3, 3)).await,
        409,
        "invalid_transition",
    )
    .await;
    assert_eq!(count(&app.db, "application_reviews").await, 0);
}

#[tokio::test]
async fn the_applicant_sees_the_means_but_never_who_reviewed() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let kim = app.member_with_roles("Kim Staff", &["staff"]).await;
    let ada = app.member("Ada").await;
    let id = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    app.review(&staff, &id, (4, 2, 5)).await;
    app.review(&kim, &id, (3, 5, 4)).await;
    let means = json!({"track_record": 3.5, "geography": 3.5, "impact": 4.5});
    let response = app
        .get(&format!("/v1/applications/{id}"), Some(&ada.token))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("body");
    let seen: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(seen["scores"], json!({"reviews": 2, "means": means}));
    assert!(seen.get("reviews").is_none(), "{text}");
    assert!(seen.get("my_review").is_none(), "{text}");
    for reviewer in [&staff, &kim] {
        assert!(!text.contains(&reviewer.id.to_string()), "{text}");
    }
    let response = app.get("/v1/me/applications", Some(&ada.token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("body");
    let page: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(page["items"][0]["scores"]["means"], means);
    for reviewer in [&staff, &kim] {
        assert!(!text.contains(&reviewer.id.to_string()), "{text}");
    }
    // Staff see who reviewed.
    let as_staff = read(&app, &staff, &id).await;
    let reviewers: Vec<&str> = as_staff["reviews"]
        .as_array()
        .expect("reviews")
        .iter()
        .filter_map(|r| r["reviewer_id"].as_str())
        .collect();
    assert_eq!(reviewers, [staff.id.to_string(), kim.id.to_string()]);
    assert_eq!(as_staff["scores"]["means"], means);
}

// --- decisions ------------------------------------------------------------------

#[tokio::test]
async fn selecting_an_application_creates_an_ambassadorship_for_the_cycles_term() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let mut request = open_cycle_request(None, None);
    request["term_months"] = json!(18);
    let response = app
        .post("/v1/ambassador-cycles", Some(&staff.token), &request)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let cycle = id_of(&body(response).await);
    let ada = app.member("Ada").await;
    let id = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    let response = app
        .send_decision(&staff, &id, "selected", "  Rank 1 in Europe.  ")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let decided = body(response).await;
    assert_eq!(decided["status"], "selected");
    assert_eq!(decided["decision_reason"], "Rank 1 in Europe.");
    assert!(decided["decided_at"].is_string());
    // The applicant sees the outcome and the reason.
    let seen = read(&app, &ada, &id).await;
    assert_eq!(seen["status"], "selected");
    assert_eq!(seen["decision_reason"], "Rank 1 in Europe.");
    let response = app.get("/v1/ambassadors", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let list = body(response).await;
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    let ambassador = &items[0];
    assert_eq!(ambassador["member_id"], ada.id.to_string());
    assert_eq!(ambassador["display_name"], "Ada");
    assert_eq!(ambassador["region"], "europe");
    assert_eq!(ambassador["cycle_id"], cycle.as_str());
    assert_eq!(ambassador["status"], "active");
    assert_eq!(ambassador["status_reason"], Value::Null);
    let start = date(&ambassador["term_start"]);
    let today = Utc::now().date_naive();
    assert!(
        start == today || start + Duration::days(1) == today,
        "{start}"
    );
    assert_eq!(
        Some(date(&ambassador["term_end"])),
        start.checked_add_months(Months::new(18))
    );
    let response = app.get("/v1/regions/europe/ambassadors", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await["items"], json!([ambassador]));
    assert_eq!(count(&app.db, "ambassadorships").await, 1);
}

#[tokio::test]
async fn a_decision_without_a_reason_is_422_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let submitted = app.submitted_application(&ada, &cycle, "europe").await;
    let id = id_of(&submitted);
    for reason in ["", "   "] {
        let problem = assert_problem(
            app.send_decision(&staff, &id, "declined", reason).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(error_fields(&problem), ["reason"]);
    }
    let problem = assert_problem(
        app.send_decision(&staff, &id, "selected", "").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["reason"]);
    assert_eq!(read(&app, &ada, &id).await, submitted);
}

#[tokio::test]
async fn declining_with_a_reason_makes_no_ambassadorship() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let id = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    let response = app
        .send_decision(&staff, &id, "declined", "Another applicant covers Lyon.")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let seen = read(&app, &ada, &id).await;
    assert_eq!(seen["status"], "declined");
    assert_eq!(seen["decision_reason"], "Another applicant covers Lyon.");
    assert_eq!(count(&app.db, "ambassadorships").await, 0);
    let list = body(app.get("/v1/ambassadors", None).await).await;
    assert_eq!(list["items"], json!([]));
}

#[tokio::test]
async fn selecting_beyond_the_regions_seats_is_409_seats_full() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let cycle = id_of(&app.cycle(&staff, Some(&[("europe", 1)]), None).await);
    let ada = app.member("Ada").await;
    let bob = app.member("Bob").await;
    let first = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    let second = app.submitted_application(&bob, &cycle, "europe").await;
    app.decide(&staff, &first, "selected").await;
    let audit_before = count(&app.db, "audit_log").await;
    assert_problem(
        app.send_decision(&staff, &id_of(&second), "selected", "Strong record.")
            .await,
        409,
        "seats_full",
    )
    .await;
    assert_eq!(read(&app, &bob, &id_of(&second)).await, second);
    assert_eq!(count(&app.db, "ambassadorships").await, 1);
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
    // Declining still works when the seats are full.
    app.decide(&staff, &id_of(&second), "declined").await;
}

#[tokio::test]
async fn selecting_beyond_the_affiliation_cap_is_409_affiliation_cap_reached() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    app.region(&staff, "asia", &["JP"], 3).await;
    let cycle = id_of(&app.cycle(&staff, None, Some(1)).await);
    let ada = app.member("Ada").await;
    app.set_affiliation(&ada, "Acme").await;
    let bob = app.member("Bob").await;
    app.set_affiliation(&bob, "ACME").await;
    let first = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    // The cap runs across the cycle, not per region.
    let second = app.submitted_application(&bob, &cycle, "asia").await;
    app.decide(&staff, &first, "selected").await;
    assert_problem(
        app.send_decision(&staff, &id_of(&second), "selected", "Strong record.")
            .await,
        409,
        "affiliation_cap_reached",
    )
    .await;
    assert_eq!(read(&app, &bob, &id_of(&second)).await, second);
    assert_eq!(count(&app.db, "ambassadorships").await, 1);
}

#[tokio::test]
async fn independents_are_no_affiliation_and_all_of_them_are_selected_under_a_cap() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let cycle = id_of(&app.cycle(&staff, None, Some(1)).await);
    let ada = app.member("Ada").await;
    app.set_affiliation(&ada, "Acme").await;
    let cleo = app.member("Cleo").await;
    app.set_affiliation(&cleo, "independent").await;
    let dan = app.member("Dan").await;
    app.set_affiliation(&dan, "independent").await;
    let first = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    app.decide(&staff, &first, "selected").await;
    for member in [&cleo, &dan] {
        let id = id_of(&app.submitted_application(member, &cycle, "europe").await);
        app.decide(&staff, &id, "selected").await;
    }
    assert_eq!(count(&app.db, "ambassadorships").await, 3);
}

#[tokio::test]
async fn deciding_a_draft_or_a_decided_application_is_409_invalid_transition() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let draft = app.application(&ada, &cycle, "europe").await;
    for outcome in ["selected", "declined"] {
        assert_problem(
            app.send_decision(&staff, &id_of(&draft), outcome, "Too early.")
                .await,
            409,
            "invalid_transition",
        )
        .await;
    }
    assert_eq!(read(&app, &ada, &id_of(&draft)).await, draft);
    let bob = app.member("Bob").await;
    let id = id_of(&app.submitted_application(&bob, &cycle, "europe").await);
    app.decide(&staff, &id, "selected").await;
    for outcome in ["selected", "declined"] {
        assert_problem(
            app.send_decision(&staff, &id, outcome, "Again.").await,
            409,
            "invalid_transition",
        )
        .await;
    }
    assert_eq!(read(&app, &bob, &id).await["status"], "selected");
    assert_eq!(count(&app.db, "ambassadorships").await, 1);
}

#[tokio::test]
async fn only_staff_decide() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let (ambassador, _) = app.ambassador(&staff, "Amir Ambassador", "europe").await;
    let ada = app.member("Ada").await;
    let submitted = app.submitted_application(&ada, &cycle, "europe").await;
    let id = id_of(&submitted);
    let ambassadorships_before = count(&app.db, "ambassadorships").await;
    assert_problem(
        app.send_decision(&ambassador, &id, "selected", "I like them.")
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.send_decision(&ada, &id, "selected", "I like me.").await,
        403,
        "forbidden",
    )
    .await;
    let bob = app.member("Bob").await;
    assert_problem(
        app.send_decision(&bob, &id, "selected", "Why not.").await,
        404,
        "not_found",
    )
    .await;
    let response = app
        .post(
            &format!("/v1/applications/{id}/decision"),
            None,
            &json!({"outcome": "selected", "reason": "Anonymous."}),
        )
        .await;
    assert_problem(response, 401, "unauthenticated").await;
    assert_eq!(read(&app, &ada, &id).await, submitted);
    assert_eq!(
        count(&app.db, "ambassadorships").await,
        ambassadorships_before
    );
}

#[tokio::test]
async fn selecting_writes_the_decision_and_the_ambassadorship_to_the_audit_log() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let id = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    app.decide(&staff, &id, "selected").await;
    let ambassadorship = app.ambassadorship_of(&ada).await;
    let decided: Vec<Value> = app
        .audit_entries(&staff, "application")
        .await
        .into_iter()
        .filter(|e| e["action"] == "application.decided")
        .collect();
    assert_eq!(decided.len(), 1, "{decided:?}");
    assert_eq!(decided[0]["entity_id"], id.as_str());
    assert_eq!(decided[0]["actor_id"], staff.id.to_string());
    assert_eq!(decided[0]["summary"]["outcome"], "selected");
    assert_eq!(
        decided[0]["summary"]["ambassadorship_id"],
        ambassadorship["id"]
    );
    let created: Vec<Value> = app
        .audit_entries(&staff, "ambassadorship")
        .await
        .into_iter()
        .filter(|e| e["action"] == "ambassadorship.created")
        .collect();
    assert_eq!(created.len(), 1, "{created:?}");
    assert_eq!(created[0]["entity_id"], ambassadorship["id"]);
    assert_eq!(created[0]["actor_id"], staff.id.to_string());
    assert_eq!(created[0]["summary"]["member_id"], ada.id.to_string());
}

// --- the caller's own applications ----------------------------------------------

#[tokio::test]
async fn my_applications_lists_only_the_callers_own_newest_first() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let second_cycle = id_of(&app.cycle(&staff, None, None).await);
    let ada = app.member("Ada").await;
    let bob = app.member("Bob").await;
    let ada_first = app.application(&ada, &cycle, "europe").await;
    let bob_only = app.submitted_application(&bob, &cycle, "europe").await;
    let ada_second = app
        .submitted_application(&ada, &second_cycle, "europe")
        .await;
    let response = app.get("/v1/me/applications", Some(&ada.token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = body(response).await;
    let items = page["items"].as_array().expect("items");
    let ids: Vec<String> = items.iter().map(id_of).collect();
    assert_eq!(ids, [id_of(&ada_second), id_of(&ada_first)]);
    assert_eq!(items[0]["status"], "submitted");
    assert_eq!(items[1]["status"], "draft");
    assert_eq!(page["next_cursor"], Value::Null);
    let page = body(app.get("/v1/me/applications", Some(&bob.token)).await).await;
    let ids: Vec<String> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(id_of)
        .collect();
    assert_eq!(ids, [id_of(&bob_only)]);
    let cleo = app.member("Cleo").await;
    let page = body(app.get("/v1/me/applications", Some(&cleo.token)).await).await;
    assert_eq!(page["items"], json!([]));
}

#[tokio::test]
async fn my_applications_need_a_signed_in_member() {
    let app = TestApp::spawn().await;
    assert_problem(
        app.get("/v1/me/applications", None).await,
        401,
        "unauthenticated",
    )
    .await;
}

// --- races ------------------------------------------------------------------

#[tokio::test]
async fn concurrent_selections_for_the_last_seat_let_exactly_one_through() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let cycle = id_of(&app.cycle(&staff, Some(&[("europe", 1)]), None).await);
    let mut applications = Vec::new();
    for i in 0..10 {
        let member = app.member(&format!("Applicant {i}")).await;
        let id = id_of(&app.submitted_application(&member, &cycle, "europe").await);
        applications.push((member, id));
    }
    let calls = applications
        .iter()
        .map(|(_, id)| app.send_decision(&staff, id, "selected", "First come."));
    let responses = futures_util::future::join_all(calls).await;
    let mut winners = Vec::new();
    for ((member, id), response) in applications.iter().zip(responses) {
        if response.status() == StatusCode::OK {
            winners.push((member.clone(), id.clone()));
        } else {
            assert_problem(response, 409, "seats_full").await;
        }
    }
    assert_eq!(winners.len(), 1, "exactly one selection wins the seat");
    assert_eq!(count(&app.db, "ambassadorships").await, 1);
    let (winner, winner_id) = &winners[0];
    assert_eq!(app.ambassadorship_of(winner).await["status"], "active");
    for (member, id) in &applications {
        let expected = if id == winner_id {
            "selected"
        } else {
            "submitted"
        };
        assert_eq!(read(&app, member, id).await["status"], expected);
    }
}

#[tokio::test]
async fn concurrent_reviews_by_one_reviewer_leave_one_review() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let id = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    let scores: Vec<(i64, i64, i64)> = (0..10).map(|i| (i % 6, (i + 1) % 6, (i + 2) % 6)).collect();
    let calls = scores.iter().map(|s| app.send_review(&staff, &id, *s));
    let responses = futures_util::future::join_all(calls).await;
    let mut created = 0;
    for response in responses {
        match response.status() {
            StatusCode::CREATED => created += 1,
            StatusCode::OK => {}
            other => panic!("a review answered {other}: {}", body(response).await),
        }
    }
    assert_eq!(created, 1, "one review is new, the others replace it");
    assert_eq!(count(&app.db, "application_reviews").await, 1);
    let seen = read(&app, &staff, &id).await;
    let reviews = seen["reviews"].as_array().expect("reviews");
    assert_eq!(reviews.len(), 1);
    let last = &reviews[0]["scores"];
    assert!(
        scores
            .iter()
            .any(|s| *last == json!({"track_record": s.0, "geography": s.1, "impact": s.2})),
        "the stored review is one of those sent: {last}"
    );
    assert_eq!(seen["scores"]["reviews"], 1);
}
