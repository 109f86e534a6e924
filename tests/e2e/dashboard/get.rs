//! `GET /v1/regions/{slug}/dashboard`: everything waiting on the region's
//! ambassadors, in one call, for them and staff only.

use liaison_tests::{assert_problem, body, claim, claim_request, due_period, exec, id_of, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

fn ids(panel: &Value, key: &str) -> Vec<String> {
    panel["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i[key].as_str().expect("an id").to_owned())
        .collect()
}

#[tokio::test]
async fn the_dashboard_shows_what_waits_on_the_region() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (ana, ambassadorship) = app.ambassador(&staff, "Ana", "europe").await;
    app.serve_since_long_ago(&ambassadorship).await;
    let owner = app.member("Owner").await;
    let pending = id_of(&app.group(&owner, "porto-ops", "FR").await);
    let lonely = app.approved_group(&staff, &owner, "lyon-ops", "FR").await;
    let acked = app.approved_group(&staff, &owner, "paris-ops", "FR").await;
    let _asian = app.group(&owner, "tokyo-ops", "JP").await;
    let item = id_of(&app.feedback(&owner, "Live migration fails with NUMA").await);
    let claimed = id_of(&claim(&app, &owner, &claim_request("talk_given")).await);
    // Two live messages to Europe (one Paris acknowledged), one expired, one to Asia only.
    exec(&app.db, &format!(
        "INSERT INTO messages (id, author_id, title, body, audience_all, expires_at, created_at) VALUES
           ('00000000-0000-7000-8000-000000000001', '{staff}', 'Call for summit speakers', 'Send talks', true, NULL, now() - interval '1 hour'),
           ('00000000-0000-7000-8000-000000000002', '{staff}', 'Translate the guide', 'Help', false, now() + interval '1 day', now()),
           ('00000000-0000-7000-8000-000000000003', '{staff}', 'Old news here', 'Gone', true, now() - interval '1 day', now()),
           ('00000000-0000-7000-8000-000000000004', '{staff}', 'Tokyo only news', 'Asia', false, NULL, now());
         INSERT INTO message_regions (message_id, region_id)
           SELECT '00000000-0000-7000-8000-000000000002'::uuid, id FROM regions WHERE slug = 'europe'
           UNION ALL SELECT '00000000-0000-7000-8000-000000000004'::uuid, id FROM regions WHERE slug = 'asia';
         INSERT INTO message_acknowledgements (message_id, group_id, member_id)
           VALUES ('00000000-0000-7000-8000-000000000001', '{acked}', '{owner}');",
        staff = staff.id,
        owner = owner.id,
    ))
    .await;

    let response = app
        .get("/v1/regions/europe/dashboard", Some(&ana.token))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let dashboard = body(response).await;
    assert_eq!(dashboard["region"], "europe");
    assert_eq!(dashboard["pending_registrations"]["total"], 1);
    assert_eq!(ids(&dashboard["pending_registrations"], "id"), [pending]);
    let flagged = ids(&dashboard["flagged_groups"], "slug");
    assert_eq!(
        flagged,
        ["lyon-ops", "paris-ops"],
        "one organizer, no event"
    );
    assert!(dashboard["flagged_groups"]["items"][0]["flags"]
        .as_array()
        .is_some_and(|f| f.iter().any(|f| f == "single_organizer")));
    assert_eq!(ids(&dashboard["untriaged_feedback"], "id"), [item]);
    assert_eq!(ids(&dashboard["pending_contributions"], "id"), [claimed]);
    let unacked = &dashboard["unacknowledged_messages"];
    assert_eq!(unacked["total"], 2);
    assert_eq!(
        ids(unacked, "group_id"),
        [lonely.clone(), acked.clone()],
        "most unacknowledged first"
    );
    let titles = |i: usize| -> Vec<String> {
        unacked["items"][i]["messages"]
            .as_array()
            .expect("messages")
            .iter()
            .map(|m| m["title"].as_str().expect("title").to_owned())
            .collect()
    };
    assert_eq!(
        titles(0),
        ["Translate the guide", "Call for summit speakers"]
    );
    assert_eq!(titles(1), ["Translate the guide"]);
    let ambassadors = dashboard["ambassadors"].as_array().expect("ambassadors");
    assert_eq!(ambassadors.len(), 1);
    assert_eq!(ambassadors[0]["ambassador_id"], ambassadorship["id"]);
    assert_eq!(ambassadors[0]["due_period"], due_period().as_str());
    assert_eq!(ambassadors[0]["overdue"], true);
    assert_eq!(ambassadors[0]["last_report_period"], Value::Null);

    // Staff read it too; an empty region answers empty panels.
    let asia = body(
        app.get("/v1/regions/asia/dashboard", Some(&staff.token))
            .await,
    )
    .await;
    assert_eq!(asia["pending_registrations"]["total"], 1);
    assert_eq!(asia["untriaged_feedback"]["total"], 0);
    assert_eq!(asia["untriaged_feedback"]["items"], serde_json::json!([]));
    assert_eq!(asia["ambassadors"], serde_json::json!([]));
}

#[tokio::test]
async fn only_the_regions_ambassadors_and_staff_read_the_dashboard() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (cho, _) = app.ambassador(&staff, "Cho", "asia").await;
    let member = app.member("Dee").await;
    let path = "/v1/regions/europe/dashboard";
    assert_problem(app.get(path, None).await, 401, "unauthenticated").await;
    assert_problem(app.get(path, Some(&member.token)).await, 403, "forbidden").await;
    assert_problem(app.get(path, Some(&cho.token)).await, 403, "forbidden").await;
    assert_problem(
        app.get("/v1/regions/nowhere/dashboard", Some(&staff.token))
            .await,
        404,
        "not_found",
    )
    .await;
}
