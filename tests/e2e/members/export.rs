//! `GET /v1/me/export`: everything held about the signed-in member, as one JSON download.

use std::collections::BTreeSet;

use liaison_tests::{
    api_key, assert_problem, at, claim, claim_request, id_of, manual_pass, string_of, summit,
    world, Member, TestApp,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// The sections of a `liaison-export/1` document.
const SECTIONS: &[&str] = &[
    "format",
    "exported_at",
    "profile",
    "applications",
    "reviews_written",
    "ambassadorships",
    "organizer_roles",
    "contributions",
    "passes",
    "appeals",
    "feedback",
    "votes",
    "messages",
    "translations",
    "acknowledgements",
    "webhooks",
    "calendar_token_created_at",
    "audit",
];

/// The export of `who`, asserting 200; answers the body as text (to search)
/// and as JSON.
async fn export_text(app: &TestApp, who: &Member) -> (String, Value) {
    let response = app.get("/v1/me/export", Some(&who.token)).await;
    assert_eq!(response.status(), StatusCode::OK, "export");
    let text = response.text().await.expect("export body");
    let document = serde_json::from_str(&text).expect("the export is JSON");
    (text, document)
}

/// A section of the export, as an array.
fn section<'a>(document: &'a Value, name: &str) -> &'a Vec<Value> {
    document[name]
        .as_array()
        .unwrap_or_else(|| panic!("section {name} is an array in {document}"))
}

/// The `action`s of the export's audit entries.
fn audited_actions(document: &Value) -> BTreeSet<String> {
    section(document, "audit")
        .iter()
        .map(|e| string_of(&e["action"]))
        .collect()
}

#[tokio::test]
async fn the_export_holds_the_members_own_data_in_one_document_as_a_download() {
    let w = world().await;
    let app = &w.app;
    let ada = app.member("Ada Exporter").await;
    app.set_profile(
        &ada,
        &json!({"city": "Villeurbanne", "bio": "Runs the Lyon operators meetup."}),
    )
    .await;
    let claimed = claim(app, &ada, &claim_request("talk_given")).await;
    let bob = app.member("Bob Bystander").await;
    let bobs_item = app.feedback(&bob, "Live migration fails with NUMA").await;
    assert_eq!(
        app.vote(&ada, &id_of(&bobs_item)).await.status(),
        StatusCode::OK
    );
    let adas_item = app.feedback(&ada, "Dashboard login loops forever").await;
    let summit_id = id_of(&summit(app, &w.staff, json!([{"program": "acc", "quota": 10}])).await);
    let pass = manual_pass(app, &w.staff, &summit_id, ada.id).await;
    app.add_co_organizer(&w.organizer, &w.group, &ada).await;

    let response = app.get("/v1/me/export", Some(&ada.token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        header("content-type").starts_with("application/json"),
        "{}",
        header("content-type")
    );
    assert_eq!(
        header("content-disposition"),
        format!("attachment; filename=\"liaison-export-{}.json\"", ada.id)
    );
    assert_eq!(header("cache-control"), "no-store");
    let text = response.text().await.expect("export body");
    let document: Value = serde_json::from_str(&text).expect("the export is JSON");

    let keys: BTreeSet<&str> = document
        .as_object()
        .expect("one object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, SECTIONS.iter().copied().collect::<BTreeSet<_>>());
    assert_eq!(document["format"], "liaison-export/1");
    at(&document["exported_at"]);

    let profile = &document["profile"];
    assert_eq!(profile["id"], ada.id.to_string());
    assert_eq!(profile["email"], ada.email.as_str());
    assert_eq!(profile["display_name"], "Ada Exporter");
    assert_eq!(profile["country"], "FR");
    assert_eq!(profile["city"], "Villeurbanne");
    assert_eq!(profile["bio"], "Runs the Lyon operators meetup.");
    assert_eq!(profile["roles"], json!([]));
    at(&profile["email_verified_at"]);

    let contributions = section(&document, "contributions");
    assert_eq!(contributions.len(), 1, "{contributions:?}");
    assert_eq!(contributions[0]["id"], claimed["id"]);
    assert_eq!(contributions[0]["title"], claimed["title"]);
    assert_eq!(contributions[0]["evidence_url"], claimed["evidence_url"]);
    assert_eq!(contributions[0]["status"], "pending");

    let feedback = section(&document, "feedback");
    assert_eq!(feedback.len(), 1, "only the items Ada filed: {feedback:?}");
    assert_eq!(feedback[0]["id"], adas_item["id"]);
    assert_eq!(feedback[0]["title"], "Dashboard login loops forever");
    assert_eq!(feedback[0]["body"], adas_item["body"]);

    let votes = section(&document, "votes");
    assert_eq!(votes.len(), 1, "{votes:?}");
    assert_eq!(votes[0]["feedback_id"], bobs_item["id"]);

    let passes = section(&document, "passes");
    assert_eq!(passes.len(), 1, "{passes:?}");
    assert_eq!(passes[0]["id"], pass["id"]);
    assert_eq!(passes[0]["summit_id"], summit_id.as_str());
    assert_eq!(passes[0]["program"], "acc");
    assert_eq!(passes[0]["origin"], "manual");
    assert_eq!(passes[0]["status"], "issued");
    assert_eq!(
        string_of(&passes[0]["code"]),
        string_of(&pass["code"]).replace('-', ""),
        "the pass's code, as stored"
    );

    let roles = section(&document, "organizer_roles");
    assert_eq!(roles.len(), 1, "{roles:?}");
    assert_eq!(roles[0]["group_id"], w.group.as_str());
    assert_eq!(roles[0]["role"], "co");
    assert_eq!(roles[0]["group_name"], "Group lyon-operators");

    for empty in [
        "applications",
        "reviews_written",
        "ambassadorships",
        "appeals",
        "messages",
        "translations",
        "acknowledgements",
        "webhooks",
    ] {
        assert_eq!(section(&document, empty).len(), 0, "{empty}");
    }
    assert_eq!(document["calendar_token_created_at"], Value::Null);

    // The audit entries where Ada acted, and only those: staff issued the
    // pass and Olga added her as organizer, which are theirs.
    let actions = audited_actions(&document);
    for own in [
        "member.registered",
        "member.signed_in",
        "member.profile_updated",
        "contribution.claimed",
        "feedback.voted",
        "feedback.submitted",
    ] {
        assert!(actions.contains(own), "{own} in {actions:?}");
    }
    for theirs in ["pass.issued", "group.organizer_added", "summit.created"] {
        assert!(!actions.contains(theirs), "{theirs} in {actions:?}");
    }
    let updated = section(&document, "audit")
        .iter()
        .find(|e| e["action"] == "member.profile_updated")
        .expect("the profile change");
    assert_eq!(updated["entity_id"], ada.id.to_string());
    assert_eq!(updated["summary"]["city"], "Villeurbanne");

    // Nothing of the others: Bob's email and item, the staff member's name.
    for foreign in [
        bob.email.as_str(),
        "Live migration fails with NUMA",
        w.staff.email.as_str(),
        w.organizer.email.as_str(),
    ] {
        assert!(!text.contains(foreign), "{foreign} in the export of Ada");
    }
}

#[tokio::test]
async fn an_applications_reviews_appear_as_means_never_by_reviewer() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let cycle = id_of(&app.cycle(&staff, None, None).await);
    let (amir, _) = app.ambassador(&staff, "Amir Ambassador", "europe").await;
    let ada = app.member("Ada Applicant").await;
    let application = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    app.review(&staff, &application, (4, 3, 5)).await;
    app.review(&amir, &application, (2, 4, 3)).await;

    let (text, document) = export_text(&app, &ada).await;
    let applications = section(&document, "applications");
    assert_eq!(applications.len(), 1, "{applications:?}");
    let mine = &applications[0];
    assert_eq!(mine["id"], application.as_str());
    assert_eq!(mine["status"], "submitted");
    assert!(
        mine["why_apply"]
            .as_str()
            .is_some_and(|t| t.starts_with("I run the local operators meetup")),
        "{mine}"
    );
    let reviews = &mine["reviews"];
    let fields: BTreeSet<&str> = reviews
        .as_object()
        .expect("reviews as one object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        fields,
        BTreeSet::from([
            "count",
            "track_record_mean",
            "geography_mean",
            "impact_mean"
        ])
    );
    assert_eq!(reviews["count"], 2);
    let mean = |name: &str| reviews[name].as_f64().expect("a mean");
    assert_eq!(mean("track_record_mean"), 3.0);
    assert_eq!(mean("geography_mean"), 3.5);
    assert_eq!(mean("impact_mean"), 4.0);
    // Neither reviewer shows, by id, name, email or comment, anywhere.
    for reviewer in [
        staff.id.to_string(),
        amir.id.to_string(),
        staff.email.clone(),
        amir.email.clone(),
        "Sam Staff".to_owned(),
        "Amir Ambassador".to_owned(),
        "Reviewed in the test suite.".to_owned(),
    ] {
        assert!(!text.contains(&reviewer), "{reviewer} in {text}");
    }
    assert_eq!(section(&document, "reviews_written").len(), 0);

    // The reviewer's own export holds the review they wrote, comment and all.
    let (_, theirs) = export_text(&app, &amir).await;
    let written = section(&theirs, "reviews_written");
    assert_eq!(written.len(), 1, "{written:?}");
    assert_eq!(written[0]["application_id"], application.as_str());
    assert_eq!(
        (
            &written[0]["track_record"],
            &written[0]["geography"],
            &written[0]["impact"]
        ),
        (&json!(2), &json!(4), &json!(3))
    );
    assert_eq!(written[0]["comment"], "Reviewed in the test suite.");
}

#[tokio::test]
async fn the_export_needs_a_signed_in_member() {
    let app = TestApp::spawn().await;
    assert_problem(app.get("/v1/me/export", None).await, 401, "unauthenticated").await;
    // An API key is no member: it has nothing to export.
    let key = api_key(&app, &["passes:read"], &[]).await;
    assert_problem(app.get("/v1/me/export", Some(&key)).await, 403, "forbidden").await;
}
