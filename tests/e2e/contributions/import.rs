//! `POST /v1/contributions/import`: batches from other tools, identified by
//! (source, external_id), verified by their importer, atomic, idempotent.

use futures_util::future::join_all;
use liaison_tests::{
    api_key, assert_problem, body, count, error_fields, import_batch, import_row, scalar,
    send_import, today, Member, TestApp,
};
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

use super::listed;

/// The contributions imported from `source`.
async fn imported(app: &TestApp, source: &str) -> i64 {
    scalar(
        &app.db,
        &format!("SELECT count(*)::bigint AS n FROM contributions WHERE source = '{source}'"),
    )
    .await
}

/// The counts of an answer, as a tuple.
fn counts(answer: &Value) -> (i64, i64, i64) {
    (
        answer["created"].as_i64().unwrap_or(-1),
        answer["updated"].as_i64().unwrap_or(-1),
        answer["unchanged"].as_i64().unwrap_or(-1),
    )
}

/// A request body of `rows` from `source`.
fn batch(source: &str, dry_run: bool, rows: &[Value]) -> Value {
    json!({"source": source, "dry_run": dry_run, "contributions": rows})
}

#[tokio::test]
async fn an_import_creates_a_repeat_changes_nothing_and_a_changed_row_updates_its_contribution() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let ada = app.member("Ada").await;
    let bo = app.member("Bo").await;
    let rows = vec![
        import_row("a-1", &ada.email),
        import_row("a-2", &ada.email),
        import_row("b-1", &bo.email),
    ];

    let first = import_batch(&app, &staff.token, "ask-openstack", &rows).await;
    assert_eq!(counts(&first), (3, 0, 0));
    assert_eq!(first["unknown_members"], json!([]));

    // Read back as staff: verified, with its source and external id.
    let ada_list = listed(&app, &staff, &format!("&member={}", ada.id)).await;
    assert_eq!(ada_list.len(), 2);
    for c in &ada_list {
        assert_eq!(c["status"], "verified");
        assert_eq!(c["source"], "ask-openstack");
        assert_eq!(c["derived"], false);
        assert!(c["decided_at"].is_string());
    }
    let mut external: Vec<&str> = ada_list
        .iter()
        .filter_map(|c| c["external_id"].as_str())
        .collect();
    external.sort();
    assert_eq!(external, ["a-1", "a-2"]);
    // The staff member is the verifier.
    assert_eq!(
        scalar(
            &app.db,
            &format!(
                "SELECT count(*)::bigint AS n FROM contributions WHERE source = 'ask-openstack'
                 AND verified_by = '{}' AND verified_by_service_account IS NULL AND status = 'verified'",
                staff.id
            )
        )
        .await,
        3
    );

    // The same batch again (another key) changes nothing.
    let again = import_batch(&app, &staff.token, "ask-openstack", &rows).await;
    assert_eq!(counts(&again), (0, 0, 3));

    // One row changed and one new: one updated, one created, two unchanged.
    let mut changed = rows.clone();
    changed[1]["title"] = json!("Answered question a-2, edited");
    changed.push(import_row("b-2", &bo.email));
    let third = import_batch(&app, &staff.token, "ask-openstack", &changed).await;
    assert_eq!(counts(&third), (1, 1, 2));
    assert_eq!(imported(&app, "ask-openstack").await, 4);
    let titles: Vec<String> = listed(&app, &staff, &format!("&member={}", ada.id))
        .await
        .iter()
        .filter_map(|c| c["title"].as_str().map(str::to_owned))
        .collect();
    assert!(titles.contains(&"Answered question a-2, edited".to_owned()));

    // Another source with the same external ids is another set of contributions.
    let other = import_batch(&app, &staff.token, "ops-meetups", &rows).await;
    assert_eq!(counts(&other), (3, 0, 0));
    assert_eq!(count(&app.db, "contributions").await, 7);
}

#[tokio::test]
async fn a_retry_with_the_same_key_replays_the_first_answer_and_another_body_is_409() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let ada = app.member("Ada").await;
    let request = batch("ask-openstack", false, &[import_row("a-1", &ada.email)]);
    let first = send_import(&app, Some(&staff.token), Some("batch-1"), &request).await;
    assert_eq!(first.status(), StatusCode::OK);
    let first = first.bytes().await.expect("body");
    let replay = send_import(&app, Some(&staff.token), Some("batch-1"), &request).await;
    assert_eq!(replay.status(), StatusCode::OK);
    assert_eq!(replay.bytes().await.expect("body"), first);
    assert_eq!(imported(&app, "ask-openstack").await, 1);

    let other = batch("ask-openstack", false, &[import_row("a-2", &ada.email)]);
    let reused = send_import(&app, Some(&staff.token), Some("batch-1"), &other).await;
    assert_problem(reused, 409, "idempotency_key_reused").await;
    assert_eq!(imported(&app, "ask-openstack").await, 1);
}

#[tokio::test]
async fn a_dry_run_counts_what_would_happen_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let ada = app.member("Ada").await;
    let rows = vec![
        import_row("a-1", &ada.email),
        import_row("a-2", &ada.email),
        import_row("x-1", "nobody@example.net"),
    ];
    let audit_before = count(&app.db, "audit_log").await;

    // A dry run needs no key, and stores none.
    let dry = send_import(&app, Some(&staff.token), None, &batch("src", true, &rows)).await;
    assert_eq!(dry.status(), StatusCode::OK);
    let dry = body(dry).await;
    assert_eq!(counts(&dry), (2, 0, 0));
    assert_eq!(dry["unknown_members"][0]["index"], 2);
    assert_eq!(count(&app.db, "contributions").await, 0);
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
    assert_eq!(count(&app.db, "idempotency_keys").await, 0);

    import_batch(&app, &staff.token, "src", &rows).await;
    let mut changed = rows.clone();
    changed[0]["occurred_on"] = json!(today() - chrono::Duration::days(20));
    changed.push(import_row("a-3", &ada.email));
    let key = Uuid::new_v4().to_string();
    let dry = send_import(
        &app,
        Some(&staff.token),
        Some(&key),
        &batch("src", true, &changed),
    )
    .await;
    assert_eq!(counts(&body(dry).await), (1, 1, 1));
    assert_eq!(imported(&app, "src").await, 2);
    assert_eq!(
        scalar(
            &app.db,
            &format!(
                "SELECT count(*)::bigint AS n FROM contributions WHERE external_id = 'a-1'
                 AND occurred_on = '{}'",
                today() - chrono::Duration::days(10)
            )
        )
        .await,
        1
    );
    // The key of the dry run is still free for the real call.
    let real = send_import(
        &app,
        Some(&staff.token),
        Some(&key),
        &batch("src", false, &changed),
    )
    .await;
    assert_eq!(real.status(), StatusCode::OK);
    assert_eq!(counts(&body(real).await), (1, 1, 1));
}

#[tokio::test]
async fn unknown_members_are_listed_and_skipped_and_known_members_emails_are_never_echoed() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let ada = app.member("Ada").await;
    let bo = app.member("Bo").await;
    let mut by_id = import_row("b-1", "");
    by_id["member_id"] = json!(bo.id);
    by_id.as_object_mut().map(|o| o.remove("email"));
    let mut unknown_id = import_row("z-2", "");
    unknown_id["member_id"] = json!(Uuid::now_v7());
    unknown_id.as_object_mut().map(|o| o.remove("email"));
    let rows = vec![
        import_row("a-1", &ada.email),
        import_row("z-1", "Nobody@Example.net"),
        by_id,
        unknown_id.clone(),
    ];
    let response = send_import(
        &app,
        Some(&staff.token),
        Some("k"),
        &batch("ask-openstack", false, &rows),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("body");
    assert!(!text.to_lowercase().contains(&ada.email), "{text}");
    assert!(!text.contains(&bo.id.to_string()), "{text}");
    let answer: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(counts(&answer), (2, 0, 0));
    assert_eq!(
        answer["unknown_members"],
        json!([
            {"index": 1, "email": "nobody@example.net", "member_id": null},
            {"index": 3, "email": null, "member_id": unknown_id["member_id"]},
        ])
    );
    // Skipped, not guessed: only Ada's and Bo's rows exist.
    assert_eq!(imported(&app, "ask-openstack").await, 2);
    assert_eq!(
        scalar(
            &app.db,
            &format!(
                "SELECT count(*)::bigint AS n FROM contributions WHERE member_id IN ('{}', '{}')",
                ada.id, bo.id
            )
        )
        .await,
        2
    );
}

#[tokio::test]
async fn emails_match_whatever_their_case() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let ada = app.member("Ada").await;
    let shouted = format!("  {}  ", ada.email.to_uppercase());
    let answer = import_batch(&app, &staff.token, "src", &[import_row("a-1", &shouted)]).await;
    assert_eq!(counts(&answer), (1, 0, 0));
    assert_eq!(answer["unknown_members"], json!([]));
    let mine = listed(&app, &ada, "").await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["external_id"], "a-1");
}

#[tokio::test]
async fn only_staff_and_keys_with_contributions_import_may_import() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let request = batch("src", false, &[import_row("a-1", &ada.email)]);

    let anonymous = send_import(&app, None, Some("k1"), &request).await;
    assert_problem(anonymous, 401, "unauthenticated").await;
    let member = send_import(&app, Some(&ada.token), Some("k2"), &request).await;
    assert_problem(member, 403, "forbidden").await;
    let reader = api_key(&app, &["passes:read", "members:email"], &[]).await;
    let keyed = send_import(&app, Some(&reader), Some("k3"), &request).await;
    assert_problem(keyed, 403, "forbidden").await;
    // Even a dry run.
    let dry = send_import(&app, Some(&reader), None, &batch("src", true, &[])).await;
    assert_problem(dry, 403, "forbidden").await;
    assert_eq!(count(&app.db, "contributions").await, 0);
}

#[tokio::test]
async fn a_key_with_contributions_import_imports_and_is_recorded_as_the_verifier() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let key = api_key(&app, &["contributions:import"], &[]).await;
    let answer = import_batch(&app, &key, "ops-meetups", &[import_row("m-1", &ada.email)]).await;
    assert_eq!(counts(&answer), (1, 0, 0));
    assert_eq!(
        scalar(
            &app.db,
            "SELECT count(*)::bigint AS n FROM contributions c
             JOIN service_accounts s ON s.id = c.verified_by_service_account
             WHERE c.source = 'ops-meetups' AND c.verified_by IS NULL AND s.scopes = '{contributions:import}'"
        )
        .await,
        1
    );
    let audit = scalar(
        &app.db,
        "SELECT count(*)::bigint AS n FROM audit_log WHERE action = 'contributions.imported'
         AND actor_type = 'service_account' AND entity_id = 'ops-meetups'",
    )
    .await;
    assert_eq!(audit, 1);
    let mine = listed(&app, &ada, "").await;
    assert_eq!(mine[0]["status"], "verified");
    assert_eq!(mine[0]["source"], "ops-meetups");
}

#[tokio::test]
async fn an_import_without_an_idempotency_key_is_400_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let ada = app.member("Ada").await;
    let request = batch("src", false, &[import_row("a-1", &ada.email)]);
    let response = send_import(&app, Some(&staff.token), None, &request).await;
    let problem = assert_problem(response, 400, "malformed_request").await;
    assert_eq!(error_fields(&problem), ["idempotency-key"]);
    assert_eq!(count(&app.db, "contributions").await, 0);
}

#[tokio::test]
async fn invalid_rows_are_one_422_naming_every_field_by_index_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let ada = app.member("Ada").await;
    let mut rows: Vec<Value> = (0..9)
        .map(|i| import_row(&format!("r-{i}"), &ada.email))
        .collect();
    rows[0]["occurred_on"] = json!(today() + chrono::Duration::days(1));
    rows[1]["kind"] = json!("karma");
    rows[2]["evidence_url"] = json!("ftp://ask.example.org/a/1");
    rows[3].as_object_mut().map(|o| o.remove("email"));
    rows[4]["group_id"] = json!(Uuid::now_v7());
    rows[5]["title"] = json!("ok");
    rows[6]["occurred_on"] = json!("14/10/2026");
    rows[7]["external_id"] = json!("r-8");
    rows[8]["email"] = json!("not an email");
    rows.push(import_row("fine", &ada.email));
    let response = send_import(
        &app,
        Some(&staff.token),
        Some("k"),
        &batch("src", false, &rows),
    )
    .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    let mut fields = error_fields(&problem);
    fields.sort();
    assert_eq!(
        fields,
        [
            "contributions[0].occurred_on",
            "contributions[1].kind",
            "contributions[2].evidence_url",
            "contributions[3].member_id",
            "contributions[4].group_id",
            "contributions[5].title",
            "contributions[6].occurred_on",
            "contributions[8].email",
            "contributions[8].external_id",
        ]
    );
    assert_eq!(count(&app.db, "contributions").await, 0);
    // The same key is free again once the data is fixed.
    let fixed = batch("src", false, &[import_row("fine", &ada.email)]);
    let retried = send_import(&app, Some(&staff.token), Some("k"), &fixed).await;
    assert_eq!(retried.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_bad_source_no_rows_or_more_than_5000_rows_is_a_422() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let row = import_row("a-1", "ada@example.org");
    for (request, field) in [
        (batch("manual", false, std::slice::from_ref(&row)), "source"),
        (
            batch("Ask OpenStack", false, std::slice::from_ref(&row)),
            "source",
        ),
        (batch("src", false, &[]), "contributions"),
        (
            batch("src", false, &vec![row.clone(); 5001]),
            "contributions",
        ),
    ] {
        let key = Uuid::new_v4().to_string();
        let response = send_import(&app, Some(&staff.token), Some(&key), &request).await;
        let problem = assert_problem(response, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), [field], "{}", request["source"]);
    }
    // A row of the wrong type is named too.
    let wrong = batch(
        "src",
        false,
        &[json!({"external_id": 7, "email": "ada@example.org"})],
    );
    let response = send_import(&app, Some(&staff.token), Some("w"), &wrong).await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    let mut fields = error_fields(&problem);
    fields.sort();
    assert_eq!(
        fields,
        [
            "contributions[0].external_id",
            "contributions[0].kind",
            "contributions[0].occurred_on",
            "contributions[0].title",
        ]
    );
    assert_eq!(count(&app.db, "contributions").await, 0);
}

#[tokio::test]
async fn concurrent_overlapping_imports_from_one_source_make_no_duplicates_and_their_counts_add_up()
{
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let members: Vec<Member> = join_all((0..5).map(|i| {
        let app = &app;
        async move { app.member(&format!("Op {i}")).await }
    }))
    .await;
    // Four batches of 200 rows over 500 distinct ids: batch k holds ids
    // 100k..100k+200, so each overlaps the next by half; each batch titles
    // its rows differently, so the overlaps update.
    let batches: Vec<Vec<Value>> = (0..4)
        .map(|k| {
            (100 * k..100 * k + 200)
                .map(|n| {
                    let mut row = import_row(&format!("q-{n}"), &members[n % 5].email);
                    row["title"] = json!(format!("Answer {n}, as batch {k} saw it"));
                    row
                })
                .collect()
        })
        .collect();
    let second = app.second_server().await;
    let answers: Vec<Value> = join_all(batches.iter().enumerate().map(|(k, rows)| {
        let app = &app;
        let token = staff.token.clone();
        let base = if k % 2 == 0 {
            app.address.clone()
        } else {
            second.clone()
        };
        async move {
            let response = app
                .client
                .post(format!("{base}/v1/contributions/import"))
                .bearer_auth(token)
                .header("Idempotency-Key", format!("race-{k}"))
                .json(&batch("ask-openstack", false, rows))
                .send()
                .await
                .expect("import");
            assert_eq!(response.status(), StatusCode::OK, "batch {k}");
            body(response).await
        }
    }))
    .await;
    let created: i64 = answers.iter().map(|a| counts(a).0).sum();
    assert_eq!(created, 500, "{answers:?}");
    for a in &answers {
        let (c, u, n) = counts(a);
        assert_eq!(c + u + n, 200, "{a}");
    }
    assert_eq!(imported(&app, "ask-openstack").await, 500);
    assert_eq!(
        scalar(
            &app.db,
            "SELECT count(DISTINCT external_id)::bigint AS n FROM contributions WHERE source = 'ask-openstack'"
        )
        .await,
        500
    );
}

/// Runs `examples/import_contributions.py` with `args`; its exit success and stdout.
async fn run_example(args: Vec<String>) -> (bool, String) {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/import_contributions.py"
    );
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("python3")
            .arg(script)
            .args(args)
            .output()
    })
    .await
    .expect("join")
    .expect("run python3");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.is_empty() || !output.status.success(), "{stderr}");
    (output.status.success(), format!("{stdout}{stderr}"))
}

#[tokio::test]
async fn the_example_script_imports_a_csv_in_batches_and_a_rerun_changes_nothing() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let bo = app.member("Bo").await;
    let key = api_key(&app, &["contributions:import"], &[]).await;
    let day = today() - chrono::Duration::days(30);
    let csv = std::env::temp_dir().join(format!("liaison-import-{}.csv", Uuid::new_v4().simple()));
    std::fs::write(
        &csv,
        format!(
            "email,kind,date,title,url,external_id\n\
             {},talk_given,{day},Answered: live migration,https://ask.example.org/a/1,a-1\n\
             {},talk_given,{day},Answered: Ceph backends,https://ask.example.org/a/2,a-2\n\
             nobody@example.net,talk_given,{day},Answered: quotas,,a-3\n\
             {},talk_given,{day},\"Answered: cells, v2\",,a-4\n",
            ada.email.to_uppercase(),
            bo.email,
            ada.email,
        ),
    )
    .expect("write csv");
    let args = |extra: &[&str]| -> Vec<String> {
        [
            "--api",
            app.address.as_str(),
            "--token",
            key.as_str(),
            "--source",
            "auc-karma",
            "--csv",
            csv.to_str().unwrap_or_default(),
            "--batch-size",
            "2",
        ]
        .iter()
        .chain(extra)
        .map(|s| (*s).to_owned())
        .collect()
    };

    let (ok, out) = run_example(args(&[])).await;
    assert!(ok, "{out}");
    assert!(
        out.contains("unknown member, line 4: nobody@example.net"),
        "{out}"
    );
    assert!(
        out.contains("imported: 3 created, 0 updated, 0 unchanged, 1 unknown members"),
        "{out}"
    );
    assert_eq!(imported(&app, "auc-karma").await, 3);
    assert_eq!(
        scalar(
            &app.db,
            "SELECT count(*)::bigint AS n FROM contributions WHERE title = 'Answered: cells, v2'"
        )
        .await,
        1
    );

    // Run again: the batches' keys replay their first answers, and nothing is added.
    let (ok, out) = run_example(args(&[])).await;
    assert!(ok, "{out}");
    assert_eq!(imported(&app, "auc-karma").await, 3);
    // A dry run (no key kept) shows every row unchanged.
    let (ok, out) = run_example(args(&["--dry-run"])).await;
    assert!(ok, "{out}");
    assert!(
        out.contains("would be (dry run): 0 created, 0 updated, 3 unchanged, 1 unknown members"),
        "{out}"
    );
    let _ = std::fs::remove_file(&csv);
}
