//! `GET /v1/ambassador-cycles/{id}/proposal`: the ranked proposal per region, for staff.

use liaison_tests::{assert_problem, body, id_of, Member, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A cycle whose `europe` region has 2 seats and an affiliation cap of 1,
/// weights 2/1/1, with (by expected order) submitted applications:
/// `ana` (Acme, two reviews, score 4.25), `ben` ("acme", 4.0), `cleo`
/// (independent, 3.0), `dev` (Globex, 2.0, submitted before `fay`), `fay`
/// (Initech, 2.0, applied before `dev`), `eve` (no reviews); plus a draft
/// and a withdrawn application that never appear.
struct ProposalFixture {
    staff: Member,
    cycle: String,
    ana: String,
    ben: String,
    cleo: String,
    dev: String,
    fay: String,
    eve: String,
}

async fn proposal_fixture(app: &TestApp) -> ProposalFixture {
    let staff = app.staff().await;
    let kim = app.member_with_roles("Kim Staff", &["staff"]).await;
    app.region(&staff, "europe", &["FR"], 5).await;
    let cycle = id_of(&app.cycle(&staff, Some(&[("europe", 2)]), Some(1)).await);
    let mut people = Vec::new();
    for (name, affiliation) in [
        ("Ana", Some("Acme")),
        ("Ben", Some("acme")),
        ("Cleo", Some("independent")),
        ("Fay", Some("Initech")),
        ("Dev", Some("Globex")),
        ("Eve", None),
    ] {
        let member = app.member(name).await;
        if let Some(affiliation) = affiliation {
            app.set_affiliation(&member, affiliation).await;
        }
        people.push(member);
    }
    let mut drafts = Vec::new();
    for member in &people {
        drafts.push(id_of(&app.application(member, &cycle, "europe").await));
    }
    // Dev submits before Fay although Fay applied first.
    for i in [0, 1, 2, 4, 3, 5] {
        app.submit(&people[i], &drafts[i]).await;
    }
    let [ana, ben, cleo, fay, dev, eve] = <[String; 6]>::try_from(drafts).expect("six");
    app.review(&staff, &ana, (5, 5, 5)).await;
    app.review(&kim, &ana, (5, 3, 1)).await;
    app.review(&staff, &ben, (4, 4, 4)).await;
    app.review(&staff, &cleo, (3, 3, 3)).await;
    app.review(&staff, &dev, (2, 2, 2)).await;
    app.review(&staff, &fay, (2, 2, 2)).await;
    // Neither a draft nor a withdrawn application is ranked.
    let drafter = app.member("Dora").await;
    app.application(&drafter, &cycle, "europe").await;
    let quitter = app.member("Quinn").await;
    let withdrawn = app.submitted_application(&quitter, &cycle, "europe").await;
    let response = app
        .post(
            &format!("/v1/applications/{}/withdraw", id_of(&withdrawn)),
            Some(&quitter.token),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    ProposalFixture {
        staff,
        cycle,
        ana,
        ben,
        cleo,
        dev,
        fay,
        eve,
    }
}

/// The proposal as staff read it.
async fn read_proposal(app: &TestApp, staff: &Member, cycle: &str) -> Value {
    let response = app
        .get(
            &format!("/v1/ambassador-cycles/{cycle}/proposal"),
            Some(&staff.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    body(response).await
}

/// `(application_id, rank, score, proposed, reason)` of a proposal row.
type Row = (String, Value, Value, bool, String);

/// The rows of a region's proposal.
fn rows(region: &Value) -> Vec<Row> {
    region["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["application_id"].as_str().expect("id").to_owned(),
                r["rank"].clone(),
                r["score"].clone(),
                r["proposed"].as_bool().expect("proposed"),
                r["reason"].as_str().expect("reason").to_owned(),
            )
        })
        .collect()
}

fn row(id: &str, rank: Value, score: Value, proposed: bool, reason: &str) -> Row {
    (id.to_owned(), rank, score, proposed, reason.to_owned())
}

#[tokio::test]
async fn the_proposal_of_an_unknown_cycle_is_404() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let unknown = uuid::Uuid::now_v7();
    assert_problem(
        app.get(
            &format!("/v1/ambassador-cycles/{unknown}/proposal"),
            Some(&staff.token),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn the_proposal_ranks_by_weighted_score_fills_the_seats_and_skips_a_capped_affiliation() {
    let app = TestApp::spawn().await;
    let f = proposal_fixture(&app).await;
    let proposal = read_proposal(&app, &f.staff, &f.cycle).await;
    assert_eq!(proposal["cycle_id"], f.cycle.as_str());
    assert_eq!(proposal["max_per_affiliation"], 1);
    let regions = proposal["regions"].as_array().expect("regions");
    assert_eq!(regions.len(), 1);
    let europe = &regions[0];
    assert_eq!(europe["region"], "europe");
    assert_eq!(europe["seats"], 2);
    assert_eq!(europe["selected"], 0);
    assert_eq!(
        rows(europe),
        [
            row(&f.ana, json!(1), json!(4.25), true, "rank 1, 2 seats"),
            row(
                &f.ben,
                json!(2),
                json!(4.0),
                false,
                "skipped: affiliation cap of 1 reached"
            ),
            row(&f.cleo, json!(3), json!(3.0), true, "rank 3, 2 seats"),
            // A tie: the earlier submission first, although Fay applied first.
            row(
                &f.dev,
                json!(4),
                json!(2.0),
                false,
                "rank 4: all 2 seats filled"
            ),
            row(
                &f.fay,
                json!(5),
                json!(2.0),
                false,
                "rank 5: all 2 seats filled"
            ),
            row(
                &f.eve,
                Value::Null,
                Value::Null,
                false,
                "unranked: no reviews"
            ),
        ]
    );
    let first = &europe["rows"][0];
    assert_eq!(first["reviews"], 2);
    assert_eq!(
        first["means"],
        json!({"track_record": 5.0, "geography": 4.0, "impact": 3.0})
    );
    assert_eq!(first["affiliation"], "Acme");
    let unranked = &europe["rows"][5];
    assert_eq!(unranked["reviews"], 0);
    assert_eq!(unranked["means"], Value::Null);
    // Reading is repeatable.
    assert_eq!(read_proposal(&app, &f.staff, &f.cycle).await, proposal);
}

#[tokio::test]
async fn the_proposal_counts_selected_applications_against_the_seats_and_the_cap() {
    let app = TestApp::spawn().await;
    let f = proposal_fixture(&app).await;
    app.decide(&f.staff, &f.ana, "selected").await;
    let proposal = read_proposal(&app, &f.staff, &f.cycle).await;
    let europe = &proposal["regions"][0];
    assert_eq!(europe["selected"], 1);
    assert_eq!(
        rows(europe),
        [
            row(
                &f.ben,
                json!(1),
                json!(4.0),
                false,
                "skipped: affiliation cap of 1 reached"
            ),
            row(&f.cleo, json!(2), json!(3.0), true, "rank 2, 2 seats"),
            row(
                &f.dev,
                json!(3),
                json!(2.0),
                false,
                "rank 3: all 2 seats filled"
            ),
            row(
                &f.fay,
                json!(4),
                json!(2.0),
                false,
                "rank 4: all 2 seats filled"
            ),
            row(
                &f.eve,
                Value::Null,
                Value::Null,
                false,
                "unranked: no reviews"
            ),
        ]
    );
}

#[tokio::test]
async fn only_staff_read_the_proposal() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let (ambassador, _) = app.ambassador(&staff, "Amir Ambassador", "europe").await;
    let cycle = app.cycle(&staff, None, None).await;
    let ada = app.member("Ada").await;
    app.submitted_application(&ada, &id_of(&cycle), "europe")
        .await;
    let path = format!("/v1/ambassador-cycles/{}/proposal", id_of(&cycle));
    assert_problem(
        app.get(&path, Some(&ambassador.token)).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(app.get(&path, Some(&ada.token)).await, 403, "forbidden").await;
    assert_problem(app.get(&path, None).await, 401, "unauthenticated").await;
    let proposal = read_proposal(&app, &staff, &id_of(&cycle)).await;
    assert_eq!(
        proposal["regions"][0]["rows"][0]["reason"],
        "unranked: no reviews"
    );
}
