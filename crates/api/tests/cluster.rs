//! Three `liaison serve` processes on one database, as `scripts/cluster.sh`
//! starts them behind a load balancer: every rule that spans requests holds
//! across them (quotas and one pass per member, idempotency, rate limits).
//! The outbox across processes is `outbox_processes.rs`.

use std::sync::OnceLock;

use futures_util::future::join_all;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{json, Value};
use tokio::sync::Mutex;

mod common;

use common::{
    admin_token, drop_database, free_port, liaison, migrated_database, scalar, wait_ready, Serve,
};

/// One cluster at a time: three servers each are enough for the machine.
fn one_at_a_time() -> &'static Mutex<()> {
    static LOCK: OnceLock<Mutex<()>> = OnceLock::new();
    LOCK.get_or_init(|| Mutex::new(()))
}

/// Three servers on a fresh database with an admin; dropped, they stop.
struct Cluster {
    name: String,
    db: DatabaseConnection,
    bases: Vec<String>,
    _servers: Vec<Serve>,
    token: String,
    client: reqwest::Client,
}

impl Cluster {
    async fn start(rate_limit: u32) -> Self {
        let (name, url) = migrated_database("liaison_cluster").await;
        let admin = liaison(&url, &["create-admin", "--email", "root@example.org"], 0)
            .env("LIAISON_ADMIN_PASSWORD", "correct horse battery")
            .output()
            .expect("create admin");
        assert!(admin.status.success());
        let mut servers = Vec::new();
        let mut bases = Vec::new();
        for _ in 0..3 {
            let port = free_port();
            servers.push(Serve(
                liaison(&url, &["serve"], port)
                    .env("LIAISON_DB_MAX_CONNECTIONS", "8")
                    .env("LIAISON_AUTH_RATE_LIMIT", rate_limit.to_string())
                    .env("LIAISON_RATE_LIMIT_WINDOW_SECS", "600")
                    .spawn()
                    .expect("start a server"),
            ));
            bases.push(format!("http://127.0.0.1:{port}"));
        }
        for base in &bases {
            wait_ready(base).await;
        }
        let client = reqwest::Client::new();
        let token = admin_token(&client, &bases[0]).await;
        let db = Database::connect(url).await.expect("connect");
        Self {
            name,
            db,
            bases,
            _servers: servers,
            token,
            client,
        }
    }

    /// The server call `i` goes to: round robin, as a load balancer would.
    fn base(&self, i: usize) -> &str {
        &self.bases[i % self.bases.len()]
    }

    async fn stop(self) {
        self.db.close().await.expect("close");
        drop(self._servers);
        drop_database(&self.name).await;
    }
}

#[tokio::test]
async fn three_hundred_issue_calls_over_three_processes_never_exceed_the_quota_nor_give_two_passes()
{
    let _one = one_at_a_time().lock().await;
    let cluster = Cluster::start(10_000).await;
    // 150 verified members; a programme of 100 places.
    cluster
        .db
        .execute_unprepared(
            "INSERT INTO members (id, email, password_hash, display_name, email_verified_at)
             SELECT uuid_generate_v7(), 'm' || g || '@example.org', 'x', 'Member ' || g, now() FROM generate_series(1, 150) g",
        )
        .await
        .expect("members");
    let today = chrono::Utc::now().date_naive();
    let summit: Value = cluster
        .client
        .post(format!("{}/v1/summits", cluster.base(0)))
        .bearer_auth(&cluster.token)
        .json(
            &json!({"name": "Race summit", "city": "Lisbon", "starts_on": today, "ends_on": today,
                      "eligibility_cutoff": today, "programs": [{"program": "acc", "quota": 100}]}),
        )
        .send()
        .await
        .expect("create summit")
        .json()
        .await
        .expect("summit");
    let summit = summit["id"].as_str().expect("summit id").to_owned();
    let members: Vec<String> = {
        let rows = cluster
            .db
            .query_all(sea_orm::Statement::from_string(
                cluster.db.get_database_backend(),
                "SELECT id::text AS id FROM members WHERE email LIKE 'm%@example.org' ORDER BY id",
            ))
            .await
            .expect("members");
        rows.iter()
            .map(|r| r.try_get::<String>("", "id").expect("id"))
            .collect()
    };
    // Every member is asked for twice, by different processes.
    let calls = (0..300).map(|i| {
        cluster
            .client
            .post(format!("{}/v1/summits/{summit}/passes", cluster.base(i)))
            .bearer_auth(&cluster.token)
            .json(&json!({"program": "acc", "member_id": members[i % 150], "reason": "race"}))
            .send()
    });
    let mut created = 0;
    let mut refused = 0;
    for response in join_all(calls).await {
        let response = response.expect("issue");
        match response.status().as_u16() {
            201 => created += 1,
            409 => refused += 1,
            other => panic!(
                "unexpected {other}: {}",
                response.text().await.unwrap_or_default()
            ),
        }
    }
    assert_eq!(
        (created, refused),
        (100, 200),
        "exactly the quota, the rest refused"
    );
    let live = scalar(
        &cluster.db,
        "SELECT count(*)::bigint AS n FROM passes WHERE status <> 'revoked'",
    )
    .await;
    assert_eq!(live, 100, "0 over the quota");
    let doubled = scalar(
        &cluster.db,
        "SELECT count(*)::bigint AS n FROM (SELECT member_id FROM passes GROUP BY 1 HAVING count(*) > 1) d",
    )
    .await;
    assert_eq!(doubled, 0, "0 duplicates");
    cluster.stop().await;
}

#[tokio::test]
async fn one_idempotency_key_sent_to_three_processes_at_once_acts_once() {
    let _one = one_at_a_time().lock().await;
    let cluster = Cluster::start(10_000).await;
    let body = json!({"slug": "europe", "name": "Europe", "countries": ["FR", "DE"], "ambassador_seats": 3});
    let calls = (0..30).map(|i| {
        cluster
            .client
            .post(format!("{}/v1/regions", cluster.base(i)))
            .bearer_auth(&cluster.token)
            .header("Idempotency-Key", "one-region")
            .json(&body)
            .send()
    });
    let mut bodies = Vec::new();
    for response in join_all(calls).await {
        let response = response.expect("create");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        match status {
            201 => bodies.push(text),
            // Still running in another process: retry later, nothing done twice.
            409 => assert!(text.contains("idempotency"), "{text}"),
            other => panic!("unexpected {other}: {text}"),
        }
    }
    assert!(!bodies.is_empty());
    assert!(
        bodies.iter().all(|b| b == &bodies[0]),
        "every 201 is the first answer"
    );
    let regions = scalar(
        &cluster.db,
        "SELECT count(*)::bigint AS n FROM regions WHERE slug = 'europe'",
    )
    .await;
    assert_eq!(regions, 1, "acted once");
    let audited = scalar(
        &cluster.db,
        "SELECT count(*)::bigint AS n FROM audit_log WHERE action = 'region.created'",
    )
    .await;
    assert_eq!(audited, 1);
    cluster.stop().await;
}

#[tokio::test]
async fn the_auth_rate_limit_is_shared_by_the_three_processes() {
    let _one = one_at_a_time().lock().await;
    // The admin's own sign-in counts too.
    let limit = 30;
    let cluster = Cluster::start(limit).await;
    let calls = (0..150).map(|i| {
        cluster
            .client
            .post(format!("{}/v1/auth/token", cluster.base(i)))
            .json(
                &json!({"email": format!("nobody{i}@example.org"), "password": "not the password"}),
            )
            .send()
    });
    let mut accepted = 1; // the admin's sign-in
    for response in join_all(calls).await {
        match response.expect("sign in").status().as_u16() {
            429 => {}
            401 => accepted += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert!(
        accepted as f64 <= 1.1 * f64::from(limit),
        "{accepted} accepted against a limit of {limit} for the three processes together"
    );
    assert!(
        accepted >= limit as usize,
        "the limit itself is served: {accepted}"
    );
    cluster.stop().await;
}
