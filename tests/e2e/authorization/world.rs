//! The one world the matrix runs in: two regions, a group in each with its
//! organizer, an ambassador of each region, staff, admin, a plain member
//! who owns the member-side resources, a key per scope, and every resource
//! a path of the table names — all made through the API, as clients would.
//!
//! Each resource that a row changes in a way that would change another
//! row's answer has a row of its own (`{to_submit}`, `{to_triage}`,
//! `{status_group}`, …), so rows do not depend on their order and run side
//! by side.

use std::collections::HashMap;

use liaison_tests::{
    api_key, application_request, claim_request, due_period, id_of, manual_pass, report_request,
    string_of, summit, Member, Receiver, TestApp,
};
use reqwest::{Method, Response};
use serde_json::{json, Value};
use uuid::Uuid;

use super::matrix::{ACTORS, KEY_SCOPES};

/// A marker in the text of Mia's applications, claim and appeal: private
/// text no public answer may carry.
pub const MARKER: &str = "private-marker-7f3a";

/// The world of one run.
pub struct World {
    pub app: TestApp,
    /// Per actor column: the bearer credential (`None` for anonymous).
    pub tokens: Vec<Option<String>>,
    /// Per actor column: a live refresh token of Mia's, for `POST /v1/auth/refresh`.
    pub refresh: Vec<String>,
    /// `{name}` → value, for paths and bodies.
    pub names: HashMap<&'static str, String>,
    /// Emails, codes, keys, tokens, secrets and private text of the world.
    pub secrets: Vec<String>,
    /// Olga, organizer of `{group}`: re-arms the rows that delete.
    pub olga: Member,
    /// Where Olga's webhooks point.
    pub receiver: Receiver,
}

/// Asserts a 2xx (naming `what` and the body otherwise) and answers the JSON body.
pub async fn created(response: Response, what: &str) -> Value {
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    assert!(status.is_success(), "{what}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

impl World {
    /// A JSON request as Olga (with a fresh `Idempotency-Key`), answering the JSON body of a 2xx.
    pub async fn as_olga(&self, method: Method, path: &str, request: Option<&Value>) -> Value {
        let mut builder = self
            .app
            .call(method, path, Some(&self.olga.token))
            .header("Idempotency-Key", Uuid::new_v4().to_string());
        if let Some(request) = request {
            builder = builder.json(request);
        }
        created(builder.send().await.expect("request"), path).await
    }
}

/// Builds the world on a fresh app.
pub async fn build() -> World {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR", "DE"], 5).await;
    app.region(&staff, "asia", &["JP"], 5).await;
    let mut names: HashMap<&'static str, String> = HashMap::new();
    names.insert("region", "europe".into());

    let mia = app.member("Mia Member").await;
    let olga = app.member("Olga Organizer").await;
    let otto = app.member("Otto Organizer").await;
    let group = app
        .approved_group(&staff, &olga, "lyon-operators", "FR")
        .await;
    app.approved_group(&staff, &otto, "tokyo-operators", "JP")
        .await;
    let (ana, ambassadorship) = app.ambassador(&staff, "Ana Ambassador", "europe").await;
    let (ben, _) = app.ambassador(&staff, "Ben Ambassador", "asia").await;
    let (rita, retiring) = app.ambassador(&staff, "Rita Retiring", "europe").await;
    names.insert("member", mia.id.to_string());
    names.insert("member_email", mia.email.clone());
    names.insert("group", group.clone());
    names.insert("ambassadorship", id_of(&ambassadorship));
    names.insert("retiring", id_of(&retiring));

    let mut keys = Vec::new();
    for scope in KEY_SCOPES {
        let groups: &[&str] = if scope == "groups:sync" {
            &[&group]
        } else {
            &[]
        };
        keys.push(api_key(&app, &[scope], groups).await);
    }
    let spare_account = created(
        app.post(
            "/v1/service-accounts",
            Some(&admin.token),
            &json!({"name": "spare script", "scopes": ["passes:read"]}),
        )
        .await,
        "spare service account",
    )
    .await;
    names.insert("service_account", id_of(&spare_account));

    // Members who are no column: targets of rows that act on a member.
    let cora = app.member("Cora Co-organizer").await;
    app.add_co_organizer(&olga, &group, &cora).await;
    let newcomer = app.member("Nora Newcomer").await;
    let private = app.member("Pia Private").await;
    app.set_profile(&private, &json!({"profile_public": false}))
        .await;
    let victim = app.member("Vic Erased").await;
    let spare = app.member("Sid Spare").await;
    let guest = app.member("Gus Guest").await;
    names.insert("co", cora.id.to_string());
    names.insert("newcomer", newcomer.id.to_string());
    names.insert("private", private.id.to_string());
    names.insert("victim", victim.id.to_string());
    names.insert("spare", spare.id.to_string());
    names.insert("guest", guest.id.to_string());
    let calendar = created(
        app.post("/v1/me/calendar-token", Some(&cora.token), &json!({}))
            .await,
        "calendar token",
    )
    .await;
    names.insert("cal_token", string_of(&calendar["token"]));

    // Groups and events: pending ones are seen by Olga, Ana and staff only.
    let pending = id_of(&app.group(&olga, "lyon-pending", "FR").await);
    let pending_review = id_of(&app.group(&olga, "lyon-review", "FR").await);
    let status_group = app.approved_group(&staff, &olga, "lyon-status", "FR").await;
    let event = app.group_event(&olga, &group, 10, "scheduled", None).await;
    let pending_event = app
        .group_event(&olga, &pending, 10, "scheduled", None)
        .await;
    names.insert("pending", pending);
    names.insert("pending_review", pending_review);
    names.insert("status_group", status_group);
    names.insert("event", id_of(&event));
    names.insert("pending_event", id_of(&pending_event));

    // The ambassador programme: Mia's applications, one per cycle.
    let mut cycles = Vec::new();
    for _ in 0..6 {
        cycles.push(id_of(&app.cycle(&staff, None, None).await));
    }
    let apply = |cycle: String| {
        let app = &app;
        let mia = &mia;
        async move {
            let mut request = application_request("europe");
            request["why_apply"] = json!(format!(
                "{MARKER}: I run the Lyon operators meetup and want to help other cities."
            ));
            let path = format!("/v1/ambassador-cycles/{cycle}/applications");
            id_of(&created(app.post(&path, Some(&mia.token), &request).await, "apply").await)
        }
    };
    let application = apply(cycles[0].clone()).await;
    app.submit(&mia, &application).await;
    let draft = apply(cycles[1].clone()).await;
    let to_submit = apply(cycles[2].clone()).await;
    let to_withdraw = apply(cycles[3].clone()).await;
    app.submit(&mia, &to_withdraw).await;
    let to_decide = apply(cycles[4].clone()).await;
    app.submit(&mia, &to_decide).await;
    names.insert("cycle", cycles[0].clone());
    names.insert("cycle_patch", cycles[5].clone());
    names.insert("application", application);
    names.insert("draft", draft);
    names.insert("to_submit", to_submit);
    names.insert("to_withdraw", to_withdraw);
    names.insert("to_decide", to_decide);

    // Ana's activity report for the quarter now due (her term stretched to cover it).
    app.serve_since_long_ago(&ambassadorship).await;
    let report = app
        .file_report(
            &ana,
            &id_of(&ambassadorship),
            &Uuid::new_v4().to_string(),
            &report_request(&due_period()),
        )
        .await;
    created(report, "file the due report").await;
    names.insert("period", due_period());

    // Recognition: two summits, Mia's passes, her appeal and her claim.
    let programs = json!([{"program": "acc", "quota": 10}]);
    let first = id_of(&summit(&app, &staff, programs.clone()).await);
    let second = id_of(&summit(&app, &staff, programs).await);
    let pass = manual_pass(&app, &staff, &first, mia.id).await;
    let doomed_pass = manual_pass(&app, &staff, &second, mia.id).await;
    let appeal = created(
        app.post(
            &format!("/v1/summits/{first}/appeals"),
            Some(&mia.token),
            &json!({"program": "acc", "message": format!("{MARKER}: my meetups were on luma.")}),
        )
        .await,
        "file an appeal",
    )
    .await;
    let mut claim = claim_request("talk_given");
    claim["group_id"] = json!(group);
    claim["title"] = json!(format!("{MARKER}: a talk at the Lyon meetup"));
    let claim = created(
        app.post("/v1/contributions", Some(&mia.token), &claim)
            .await,
        "claim",
    )
    .await;
    names.insert("program", "acc".into());
    names.insert("summit", first);
    names.insert("pass_code", string_of(&pass["code"]));
    names.insert("pass_to_revoke", id_of(&doomed_pass));
    names.insert("appeal", id_of(&appeal));
    names.insert("claim", id_of(&claim));

    // Feedback by Mia: one to read and vote on, one to triage, one duplicate to restore.
    let item = id_of(
        &app.feedback(&mia, "Live migration times out on large instances")
            .await,
    );
    let to_triage = id_of(
        &app.feedback(&mia, "The dashboard is slow with many projects")
            .await,
    );
    let duplicate = id_of(
        &app.feedback(&mia, "Live migration of big instances times out")
            .await,
    );
    let marked = app
        .triage(
            &staff,
            &duplicate,
            json!({"status": "duplicate", "duplicate_of": item}),
        )
        .await;
    created(marked, "mark a duplicate").await;
    names.insert("feedback", item);
    names.insert("to_triage", to_triage);
    names.insert("duplicate", duplicate);

    // Ana's key message, and Mia's translation of it.
    let message = id_of(&app.message(&ana, json!(["europe"])).await);
    let translation = id_of(&app.translation(&mia, &message, "fr").await);
    names.insert("message", message);
    names.insert("translation", translation);

    // Olga's webhook on her group, and a delivery of it.
    let receiver = Receiver::start();
    names.insert("hook_url", receiver.url.clone());
    let hook = created(
        app.subscribe(
            Some(&olga),
            &json!({"url": receiver.url, "events": ["event.created"], "group_ids": [group]}),
        )
        .await,
        "subscribe",
    )
    .await;
    let webhook = id_of(&hook);
    let delivery = created(
        app.post(
            &format!("/v1/webhooks/{webhook}/ping"),
            Some(&olga.token),
            &json!({}),
        )
        .await,
        "ping",
    )
    .await;
    names.insert("webhook", webhook);
    names.insert("delivery", id_of(&delivery));

    // A refresh token per column, each good for one rotation.
    let mut refresh = Vec::new();
    for _ in ACTORS {
        refresh.push(app.sign_in(mia.id, &mia.email).await.refresh_token);
    }

    let members = [
        &admin, &staff, &mia, &olga, &otto, &ana, &ben, &rita, &cora, &newcomer, &private, &victim,
        &spare, &guest,
    ];
    let mut secrets: Vec<String> = members.iter().map(|m| m.email.clone()).collect();
    secrets.extend(members.iter().map(|m| m.refresh_token.clone()));
    secrets.extend(refresh.iter().cloned());
    secrets.extend(keys.iter().cloned());
    secrets.push(string_of(&spare_account["api_key"]));
    secrets.push(string_of(&hook["secret"]));
    secrets.push(string_of(&calendar["token"]));
    for code in [&pass["code"], &doomed_pass["code"]] {
        let code = string_of(code);
        secrets.push(code.replace('-', ""));
        secrets.push(code);
    }
    secrets.push(MARKER.into());
    // The members the register row creates.
    secrets.extend(ACTORS.iter().map(|a| format!("new-{a}@example.org")));

    let mut tokens: Vec<Option<String>> = vec![
        None,
        Some(mia.token.clone()),
        Some(olga.token.clone()),
        Some(otto.token.clone()),
        Some(ana.token.clone()),
        Some(ben.token.clone()),
        Some(staff.token.clone()),
        Some(admin.token.clone()),
    ];
    tokens.extend(keys.into_iter().map(Some));
    assert_eq!(tokens.len(), ACTORS.len(), "a credential per column");
    World {
        app,
        tokens,
        refresh,
        names,
        secrets,
        olga,
        receiver,
    }
}
