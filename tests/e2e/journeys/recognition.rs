//! A monthly meetup's organizer earns an Active Community Contributor pass, no commit needed.

use chrono::{Duration, Utc};
use liaison_tests::{assert_problem, body, id_of, Member, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn held_meetups(
    app: &TestApp,
    staff: &Member,
    organizer: &Member,
    slug: &str,
    count: i64,
) -> String {
    let group = app.approved_group(staff, organizer, slug, "FR").await;
    let events: Vec<Value> = (0..count)
        .map(|n| {
            let start = Utc::now() - Duration::days(30 * (n + 1));
            json!({"external_id": format!("m{n}"), "title": format!("Monthly meetup {n}"), "starts_at": start,
                   "ends_at": start + Duration::hours(3), "status": "held", "attendee_count": 100})
        })
        .collect();
    let synced = app
        .call(
            Method::PUT,
            &format!("/v1/groups/{group}/events/sync"),
            Some(&organizer.token),
        )
        .header("Idempotency-Key", format!("sync-{slug}"))
        .json(&json!({"source": "meetup", "mode": "upsert", "events": events}))
        .send()
        .await
        .expect("sync");
    assert_eq!(synced.status(), StatusCode::OK);
    group
}

#[tokio::test]
async fn a_monthly_meetup_organizer_earns_a_pass_that_is_redeemed_once() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let operator = app.member("Olga Operator").await;
    let dabbler = app.member("Dan Dabbler").await;
    held_meetups(&app, &staff, &operator, "lyon-ops", 12).await;
    held_meetups(&app, &staff, &dabbler, "paris-ops", 2).await;

    // Syncing held events derived verified `event_organized` contributions.
    let mine = body(
        app.get("/v1/me/contributions?limit=200", Some(&operator.token))
            .await,
    )
    .await;
    let items = mine["items"].as_array().expect("items");
    assert_eq!(items.len(), 12);
    assert!(items.iter().all(|c| c["kind"] == "event_organized"
        && c["status"] == "verified"
        && c["derived"] == true));

    let cutoff = Utc::now().date_naive();
    let summit = app
        .post(
            "/v1/summits",
            Some(&staff.token),
            &json!({"name": "Summit 2027", "city": "Lisbon", "starts_on": cutoff + Duration::days(60),
                    "ends_on": cutoff + Duration::days(62), "eligibility_cutoff": cutoff,
                    "programs": [{"program": "acc", "quota": 1}]}),
        )
        .await;
    assert_eq!(summit.status(), StatusCode::CREATED);
    let summit = id_of(&body(summit).await);

    let explained = body(
        app.get(
            &format!("/v1/summits/{summit}/eligibility/me?program=acc"),
            Some(&operator.token),
        )
        .await,
    )
    .await;
    assert_eq!(explained["eligible"], true, "{explained}");
    assert_eq!(explained["points"], 24);
    let short = body(
        app.get(
            &format!("/v1/summits/{summit}/eligibility/me?program=acc"),
            Some(&dabbler.token),
        )
        .await,
    )
    .await;
    assert_eq!(short["eligible"], false);
    assert_eq!(short["points_missing"], 6);

    let all = body(
        app.get(
            &format!("/v1/summits/{summit}/eligibility?program=acc"),
            Some(&staff.token),
        )
        .await,
    )
    .await["items"]
        .clone();
    assert_eq!(all.as_array().map(Vec::len), Some(1), "{all}");

    let issue = |key: &str, dry_run: bool| {
        app.call(
            Method::POST,
            &format!("/v1/summits/{summit}/passes/issue"),
            Some(&staff.token),
        )
        .header("Idempotency-Key", key.to_owned())
        .json(&json!({"program": "acc", "dry_run": dry_run}))
        .send()
    };
    let dry = body(issue("dry", true).await.expect("dry run")).await;
    assert_eq!(dry["issued_count"], 1);
    assert_eq!(
        body(app.get(&format!("/v1/summits/{summit}"), None).await).await["programs"][0]["used"],
        0
    );
    let first = issue("real", false).await.expect("issue");
    assert_eq!(first.status(), StatusCode::OK);
    let first = body(first).await;
    assert_eq!(first["issued_count"], 1);
    let code = first["issued"][0]["pass"]["code"]
        .as_str()
        .expect("code")
        .to_owned();
    let replay = body(issue("real", false).await.expect("replay")).await;
    assert_eq!(replay, first);
    let again = body(issue("again", false).await.expect("again")).await;
    assert_eq!(again["issued_count"], 0);

    let passes = body(app.get("/v1/me/passes", Some(&operator.token)).await).await["items"].clone();
    assert_eq!(passes[0]["code"], code.as_str());

    let typo = format!("{}X", &code[..code.len() - 1]);
    let bad_check = if typo == code {
        format!("{}Y", &code[..code.len() - 1])
    } else {
        typo
    };
    assert_problem(
        app.post(
            "/v1/passes/redeem",
            Some(&staff.token),
            &json!({"code": bad_check}),
        )
        .await,
        422,
        "invalid_code",
    )
    .await;
    let redeemed = app
        .post(
            "/v1/passes/redeem",
            Some(&staff.token),
            &json!({"code": code.to_lowercase().replace('-', " ")}),
        )
        .await;
    assert_eq!(redeemed.status(), StatusCode::OK);
    assert_problem(
        app.post(
            "/v1/passes/redeem",
            Some(&staff.token),
            &json!({"code": code}),
        )
        .await,
        409,
        "already_redeemed",
    )
    .await;

    let pass_id = passes[0]["id"].as_str().expect("pass id").to_owned();
    let revoked = app
        .post(
            &format!("/v1/passes/{pass_id}/revoke"),
            Some(&staff.token),
            &json!({"reason": "duplicate badge"}),
        )
        .await;
    assert_eq!(revoked.status(), StatusCode::OK);
    assert_problem(
        app.post(
            "/v1/passes/redeem",
            Some(&staff.token),
            &json!({"code": code}),
        )
        .await,
        410,
        "revoked",
    )
    .await;
    assert_eq!(
        body(app.get(&format!("/v1/summits/{summit}"), None).await).await["programs"][0]
            ["remaining"],
        1
    );
}
