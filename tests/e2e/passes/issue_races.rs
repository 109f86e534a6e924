//! Racing issuances: never over the quota, never two passes for one member.

use futures_util::future::join_all;
use liaison_tests::{
    api_key, appeals_of, body, count, cutoff, exec, file_appeal, id_of, issue_passes,
    issue_passes_at, live_passes, programme_quota, string_of, summit, TestApp,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::{members, members_with_two_live_passes, post_at};

/// Gives every member whose email starts with `prefix` four verified talks
/// (12 points under acc v1) in the window.
async fn talks_for(app: &TestApp, prefix: &str) {
    exec(
        &app.db,
        &format!(
            "INSERT INTO contributions (id, member_id, kind, occurred_on, title, status)
             SELECT gen_random_uuid(), m.id, 'talk_given', DATE '{}' - g * 10, 'talk', 'verified'
             FROM members m CROSS JOIN generate_series(1, 4) AS g WHERE m.email LIKE '{prefix}%'",
            cutoff()
        ),
    )
    .await;
}

#[tokio::test]
async fn race_fifty_concurrent_issuances_on_two_servers_never_exceed_the_quota() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let second = app.second_server().await;
    let issuer = api_key(&app, &["passes:issue"], &[]).await;
    members(&app, "Racer", 60).await;
    talks_for(&app, "racer.").await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 25}])).await);
    let eligible = body(
        app.get(
            &format!("/v1/summits/{id}/eligibility?program=acc&limit=200"),
            Some(&staff.token),
        )
        .await,
    )
    .await["items"]
        .clone();
    assert_eq!(eligible.as_array().map(Vec::len), Some(60));

    let app_ref = &app;
    let calls = (0..50).map(|i| {
        let base = if i % 2 == 0 {
            app_ref.address.clone()
        } else {
            second.clone()
        };
        let token = if i % 3 == 0 {
            staff.token.clone()
        } else {
            issuer.clone()
        };
        let path = format!("/v1/summits/{id}/passes/issue");
        async move {
            post_at(
                app_ref,
                &base,
                &token,
                &path,
                Some(&format!("race-{i}")),
                &json!({"program": "acc", "max": 3}),
            )
            .await
        }
    });
    let responses = join_all(calls).await;
    let mut issued_total = 0;
    for (status, answer) in &responses {
        assert_eq!(*status, StatusCode::OK, "{answer}");
        let n = answer["issued_count"].as_i64().expect("issued_count");
        assert!(n <= 3, "max 3: {answer}");
        assert!(answer["used"].as_i64().expect("used") <= 25, "{answer}");
        issued_total += n;
    }
    assert_eq!(
        issued_total, 25,
        "the sum of what the responses say was issued"
    );
    assert_eq!(live_passes(&app, &id, Some("acc")).await, 25);
    assert_eq!(count(&app.db, "passes").await, 25);
    assert_eq!(members_with_two_live_passes(&app).await, 0);
    assert_eq!(
        programme_quota(&app, &id, "acc").await,
        json!({"program": "acc", "rules_version": 1, "quota": 25, "used": 25, "remaining": 0})
    );
    let listed = body(
        app.get(
            &format!("/v1/summits/{id}/passes?limit=200"),
            Some(&staff.token),
        )
        .await,
    )
    .await;
    let holders: std::collections::BTreeSet<String> = listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|p| string_of(&p["member_id"]))
        .collect();
    assert_eq!(holders.len(), 25, "25 different members");
}

#[tokio::test]
async fn race_bulk_issuances_manual_passes_and_appeal_grants_share_one_quota() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let second = app.second_server().await;
    members(&app, "Bulk", 10).await;
    talks_for(&app, "bulk.").await;
    let guests = members(&app, "Guest", 6).await;
    let appellants = members(&app, "Appellant", 6).await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 5}])).await);
    let mut appeal_ids = Vec::new();
    for member in &appellants {
        let filed = file_appeal(&app, member, &id, "acc").await;
        assert_eq!(filed.status(), StatusCode::CREATED);
        appeal_ids.push(id_of(&body(filed).await));
    }

    let app_ref = &app;
    let base = |i: usize| {
        if i.is_multiple_of(2) {
            app_ref.address.clone()
        } else {
            second.clone()
        }
    };
    let mut calls: Vec<futures_util::future::LocalBoxFuture<'_, (&str, StatusCode, Value)>> =
        Vec::new();
    for i in 0..8 {
        let (base, token, path) = (
            base(i),
            staff.token.clone(),
            format!("/v1/summits/{id}/passes/issue"),
        );
        calls.push(Box::pin(async move {
            let (status, answer) = post_at(
                app_ref,
                &base,
                &token,
                &path,
                Some(&format!("mixed-{i}")),
                &json!({"program": "acc", "max": 2}),
            )
            .await;
            ("bulk", status, answer)
        }));
    }
    for (i, guest) in guests.iter().enumerate() {
        let (base, token, path) = (
            base(i + 1),
            staff.token.clone(),
            format!("/v1/summits/{id}/passes"),
        );
        let member_id = guest.id;
        calls.push(Box::pin(async move {
            let (status, answer) = post_at(
                app_ref,
                &base,
                &token,
                &path,
                None,
                &json!({"member_id": member_id, "program": "acc", "reason": "Speaker"}),
            )
            .await;
            ("manual", status, answer)
        }));
    }
    for (i, appeal_id) in appeal_ids.iter().enumerate() {
        let (base, token, path) = (
            base(i),
            staff.token.clone(),
            format!("/v1/appeals/{appeal_id}/decision"),
        );
        calls.push(Box::pin(async move {
            let (status, answer) = post_at(
                app_ref,
                &base,
                &token,
                &path,
                None,
                &json!({"outcome": "granted", "reason": "Verified"}),
            )
            .await;
            ("appeal", status, answer)
        }));
    }
    let responses = join_all(calls).await;

    let mut placed = 0;
    let mut granted = 0;
    for (what, status, answer) in &responses {
        match (*what, status.as_u16()) {
            ("bulk", 200) => placed += answer["issued_count"].as_i64().expect("issued_count"),
            ("manual", 201) => placed += 1,
            ("appeal", 200) => {
                assert_eq!(answer["status"], "granted");
                assert!(answer["pass_id"].is_string());
                placed += 1;
                granted += 1;
            }
            ("manual" | "appeal", 409) => assert_eq!(answer["code"], "quota_exhausted", "{answer}"),
            _ => panic!("{what} answered {status}: {answer}"),
        }
    }
    assert_eq!(placed, 5, "every place taken once: {responses:?}");
    assert_eq!(
        live_passes(&app, &id, None).await,
        5,
        "never more than the quota"
    );
    assert_eq!(members_with_two_live_passes(&app).await, 0);
    assert_eq!(programme_quota(&app, &id, "acc").await["remaining"], 0);
    let appeals = appeals_of(&app, &staff, &id).await;
    assert_eq!(
        appeals.iter().filter(|a| a["status"] == "granted").count(),
        granted
    );
    assert_eq!(
        appeals.iter().filter(|a| a["status"] == "open").count(),
        6 - granted,
        "refused grants leave their appeal open"
    );
}

#[tokio::test]
async fn race_twenty_calls_with_one_idempotency_key_issue_once() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let second = app.second_server().await;
    let issuer = api_key(&app, &["passes:issue"], &[]).await;
    members(&app, "Twin", 10).await;
    talks_for(&app, "twin.").await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 30}])).await);
    let app_ref = &app;
    let calls = (0..20).map(|i| {
        let base = if i % 2 == 0 {
            app_ref.address.clone()
        } else {
            second.clone()
        };
        let (issuer, id) = (issuer.clone(), id.clone());
        async move {
            let response = issue_passes_at(
                app_ref,
                &base,
                &issuer,
                &id,
                Some("the-one-key"),
                &json!({"program": "acc", "max": 10}),
            )
            .await;
            (response.status(), response.bytes().await.expect("body"))
        }
    });
    let responses = join_all(calls).await;
    for (status, bytes) in &responses {
        assert_eq!(
            *status,
            StatusCode::OK,
            "{}",
            String::from_utf8_lossy(bytes)
        );
        assert_eq!(bytes, &responses[0].1, "identical bodies");
    }
    let first: Value = serde_json::from_slice(&responses[0].1).expect("JSON");
    assert_eq!(first["issued_count"], 10);
    assert_eq!(count(&app.db, "passes").await, 10);
    assert_eq!(members_with_two_live_passes(&app).await, 0);
    assert_eq!(app.audited(&staff, "summit", "passes.issued").await, 1);
}

#[tokio::test]
async fn race_acc_and_aoc_issuances_never_give_a_member_two_passes() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let second = app.second_server().await;
    members(&app, "Dual", 30).await;
    // 4 moderated ops meetups + 2 talks: eligible for acc (14) and aoc (16).
    exec(
        &app.db,
        &format!(
            "INSERT INTO contributions (id, member_id, kind, occurred_on, title, status)
             SELECT gen_random_uuid(), m.id, k, DATE '{}' - g * 10, 'arranged', 'verified'
             FROM members m CROSS JOIN (VALUES ('ops_meetup_moderated', 4), ('talk_given', 2)) AS t(k, n)
             CROSS JOIN LATERAL generate_series(1, t.n) AS g WHERE m.email LIKE 'dual.%'",
            cutoff()
        ),
    )
    .await;
    let id = id_of(
        &summit(
            &app,
            &staff,
            json!([{"program": "acc", "quota": 20}, {"program": "aoc", "quota": 20}]),
        )
        .await,
    );
    let app_ref = &app;
    let calls = (0..20).map(|i| {
        let base = if i % 2 == 0 {
            app_ref.address.clone()
        } else {
            second.clone()
        };
        let program = if i % 4 < 2 { "acc" } else { "aoc" };
        let (token, path) = (
            staff.token.clone(),
            format!("/v1/summits/{id}/passes/issue"),
        );
        async move {
            post_at(
                app_ref,
                &base,
                &token,
                &path,
                Some(&format!("dual-{i}")),
                &json!({"program": program, "max": 5}),
            )
            .await
        }
    });
    for (status, answer) in join_all(calls).await {
        assert_eq!(status, StatusCode::OK, "{answer}");
    }
    assert_eq!(members_with_two_live_passes(&app).await, 0);
    assert!(live_passes(&app, &id, Some("acc")).await <= 20);
    assert!(live_passes(&app, &id, Some("aoc")).await <= 20);
    // Topping up gives everyone exactly one pass.
    issue_passes(
        &app,
        &staff.token,
        &id,
        "top-acc",
        &json!({"program": "acc"}),
    )
    .await;
    issue_passes(
        &app,
        &staff.token,
        &id,
        "top-aoc",
        &json!({"program": "aoc"}),
    )
    .await;
    assert_eq!(live_passes(&app, &id, None).await, 30);
    assert_eq!(members_with_two_live_passes(&app).await, 0);
}
