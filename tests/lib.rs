//! Test harness: the real app over HTTP on a real PostgreSQL database.
//!
//! A template database is migrated once (per set of migration sources, under
//! an advisory lock so parallel test processes agree); each test gets its own
//! copy (`CREATE DATABASE … TEMPLATE …`), dropped when the test ends. There is
//! no fallback: without PostgreSQL every test fails loudly.

use std::time::Duration;

use liaison_api::settings::{Argon2Params, JwtSigning, Limits, Secret, Settings, TrustedProxies};
use liaison_api::Application;
use migration::{Migrator, MigratorTrait};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{json, Value};
use sha2_shim::hash_sources;
use tokio::sync::OnceCell;
use uuid::Uuid;

/// The server that holds the test databases; `LIAISON_TEST_DATABASE_SERVER` overrides it.
pub fn server_url() -> String {
    std::env::var("LIAISON_TEST_DATABASE_SERVER")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// The secret the test apps sign tokens with (tests forge tokens with it).
pub const JWT_SECRET: &str = "test-secret-of-a-reasonable-length-0123456789";
/// Password of members created by [`TestApp::member`].
pub const PASSWORD: &str = "correct horse battery";

mod sha2_shim {
    use std::collections::hash_map::DefaultHasher;
    use std::hash::{Hash, Hasher};

    /// A stable fingerprint of the migration sources, so a changed migration gets a new template.
    pub fn hash_sources() -> String {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/src");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        let mut hasher = DefaultHasher::new();
        for f in files {
            std::fs::read(&f).unwrap_or_default().hash(&mut hasher);
        }
        format!("{:016x}", hasher.finish())
    }
}

static TEMPLATE: OnceCell<String> = OnceCell::const_new();

async fn admin_connection() -> DatabaseConnection {
    Database::connect(format!("{}/postgres", server_url()))
        .await
        .unwrap_or_else(|e| {
            panic!(
                "PostgreSQL is required for the test suite ({}): {e}",
                server_url()
            )
        })
}

async fn template() -> String {
    TEMPLATE
        .get_or_init(|| async {
            let name = format!("liaison_tpl_{}", hash_sources());
            let admin = admin_connection().await;
            // Session-level advisory lock: one process builds the template, others wait.
            admin
                .execute_unprepared("SELECT pg_advisory_lock(7355608)")
                .await
                .expect("advisory lock");
            let exists = admin
                .query_one(Statement::from_sql_and_values(
                    admin.get_database_backend(),
                    "SELECT 1 FROM pg_database WHERE datname = $1",
                    [name.clone().into()],
                ))
                .await
                .expect("look up template")
                .is_some();
            if !exists {
                let building = format!("{name}_building");
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
                    .await
                    .expect("drop stale template");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {building}"))
                    .await
                    .expect("create template");
                let db = Database::connect(format!("{}/{building}", server_url()))
                    .await
                    .expect("connect template");
                Migrator::up(&db, None).await.expect("migrate template");
                db.close().await.expect("close template");
                // Renamed only once complete, so nobody copies a half-migrated template.
                admin
                    .execute_unprepared(&format!("ALTER DATABASE {building} RENAME TO {name}"))
                    .await
                    .expect("rename template");
            }
            admin
                .execute_unprepared("SELECT pg_advisory_unlock(7355608)")
                .await
                .expect("advisory unlock");
            admin.close().await.expect("close admin");
            name
        })
        .await
        .clone()
}

/// Creates a fresh database copied from the migrated template.
pub async fn fresh_database() -> String {
    let template = template().await;
    let name = format!("liaison_test_{}", Uuid::new_v4().simple());
    let admin = admin_connection().await;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
        .await
        .expect("create test database");
    admin.close().await.expect("close admin");
    name
}

/// Settings as a deployer would give them, with cheap Argon2 parameters and a known JWT secret.
pub fn test_settings(database_url: String) -> Settings {
    Settings {
        host: "127.0.0.1".into(),
        port: 0,
        workers: Some(2),
        database_url: Secret(database_url),
        // Six tests run at once, some with a second server: 6 × (6 + 6 + 3)
        // connections stays under PostgreSQL's default limit of 100. Races
        // queue for a connection rather than fail, hence the long timeout.
        db_max_connections: 6,
        db_acquire_timeout: Duration::from_secs(10),
        jwt: JwtSigning::Hs256(Secret(JWT_SECRET.into())),
        jwt_issuer: "liaison".into(),
        jwt_audience: "liaison-api".into(),
        access_token_ttl: Duration::from_secs(900),
        refresh_token_ttl_days: 30,
        argon2: Argon2Params {
            memory_kib: 1024,
            iterations: 1,
            parallelism: 1,
        },
        cors_origins: vec!["https://frontend.example".into()],
        auth_rate_limit: 10_000,
        rate_limit_window_secs: 60,
        trusted_proxies: TrustedProxies::None,
        limits: Limits::default(),
        log_json: false,
    }
}

/// A running app on its own database.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    /// The test database's name.
    pub db_name: String,
    /// A pool on the test database, for arranging data and reading back.
    pub db: DatabaseConnection,
    /// The HTTP client.
    pub client: reqwest::Client,
    /// The settings the app was started with.
    pub settings: Settings,
}

/// A signed-in member.
#[derive(Debug, Clone)]
pub struct Member {
    pub id: Uuid,
    pub email: String,
    pub token: String,
    pub refresh_token: String,
}

impl TestApp {
    /// Starts the app with the default test settings.
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// Starts the app after `adjust` changes the test settings.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Settings)) -> Self {
        let db_name = fresh_database().await;
        let url = format!("{}/{db_name}", server_url());
        let mut settings = test_settings(url.clone());
        adjust(&mut settings);
        let app = Application::build(settings.clone())
            .await
            .expect("build app");
        let address = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run());
        let mut options = sea_orm::ConnectOptions::new(url);
        options.max_connections(3).sqlx_logging(false);
        let db = Database::connect(options)
            .await
            .expect("connect test database");
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Self {
            address,
            db_name,
            db,
            client,
            settings,
        }
    }

    /// A second, independent server (its own pool and workers) on this
    /// test's database, for races that must hold across servers; answers its
    /// base address. Locks and counters live in PostgreSQL, so what holds
    /// between these two holds between processes.
    pub async fn second_server(&self) -> String {
        let app = Application::build(self.settings.clone())
            .await
            .expect("build second server");
        let address = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run());
        address
    }

    /// The database URL of this test's database.
    pub fn database_url(&self) -> String {
        format!("{}/{}", server_url(), self.db_name)
    }

    /// A request to `path` (relative to the server).
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.address))
    }

    /// A request with an optional bearer token.
    pub fn call(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let builder = self.request(method, path);
        match token {
            Some(token) => builder.bearer_auth(token),
            None => builder,
        }
    }

    /// GET with an optional token.
    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.call(Method::GET, path, token)
            .send()
            .await
            .expect("request")
    }

    /// A JSON request with an optional token.
    pub async fn send_json(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: &Value,
    ) -> Response {
        self.call(method, path, token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// PATCH JSON with a token and an optional `If-Match`.
    pub async fn patch_if_match(
        &self,
        path: &str,
        token: &str,
        if_match: Option<&str>,
        body: &Value,
    ) -> Response {
        let mut request = self.call(Method::PATCH, path, Some(token)).json(body);
        if let Some(tag) = if_match {
            request = request.header("If-Match", tag);
        }
        request.send().await.expect("request")
    }

    /// POST JSON with an optional token.
    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.send_json(Method::POST, path, token, body).await
    }

    /// Registers and signs in a member.
    pub async fn member(&self, name: &str) -> Member {
        let email = format!(
            "{}-{}@example.org",
            name.to_lowercase().replace(' ', "."),
            Uuid::new_v4().simple()
        );
        let response = self
            .post(
                "/v1/auth/register",
                None,
                &json!({"email": email, "password": PASSWORD, "display_name": name, "country": "FR"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "register {name}");
        let id: Uuid = body(response).await["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("member id");
        self.sign_in(id, &email).await
    }

    /// Signs in an existing member.
    pub async fn sign_in(&self, id: Uuid, email: &str) -> Member {
        let response = self
            .post(
                "/v1/auth/token",
                None,
                &json!({"email": email, "password": PASSWORD}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "sign in {email}");
        let tokens = body(response).await;
        Member {
            id,
            email: email.to_owned(),
            token: tokens["access_token"]
                .as_str()
                .expect("access token")
                .to_owned(),
            refresh_token: tokens["refresh_token"]
                .as_str()
                .expect("refresh token")
                .to_owned(),
        }
    }

    /// Signs in with any email and password; returns the access token.
    pub async fn sign_in_with(&self, email: &str, password: &str) -> String {
        let response = self
            .post(
                "/v1/auth/token",
                None,
                &json!({"email": email, "password": password}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "sign in {email}");
        body(response).await["access_token"]
            .as_str()
            .expect("access token")
            .to_owned()
    }

    /// A member with the given roles, granted the way an operator would:
    /// `liaison create-admin` for the first admin, then `PUT /v1/members/{id}/roles`.
    pub async fn member_with_roles(&self, name: &str, roles: &[&str]) -> Member {
        let admin = self.admin().await;
        let member = self.member(name).await;
        let response = self
            .send_json(
                Method::PUT,
                &format!("/v1/members/{}/roles", member.id),
                Some(&admin.token),
                &json!({ "roles": roles }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "grant roles");
        member
    }

    /// The admin created by the `create-admin` command.
    pub async fn admin(&self) -> Member {
        let email = "root@liaison.example";
        let id =
            liaison_api::commands::create_admin(&self.db, &self.settings, email, PASSWORD, "Root")
                .await
                .expect("create admin");
        self.sign_in(id, email).await
    }

    /// The audit entries staff read for `entity_type` (newest first, up to 200).
    pub async fn audit_entries(&self, staff: &Member, entity_type: &str) -> Vec<Value> {
        let response = self
            .get(
                &format!("/v1/audit-log?entity_type={entity_type}&limit=200"),
                Some(&staff.token),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "read the audit log");
        body(response).await["items"]
            .as_array()
            .expect("items")
            .clone()
    }

    /// How many `action` entries staff read in the audit log for `entity_type`.
    pub async fn audited(&self, staff: &Member, entity_type: &str, action: &str) -> usize {
        self.audit_entries(staff, entity_type)
            .await
            .iter()
            .filter(|e| e["action"] == action)
            .count()
    }

    /// A staff member.
    pub async fn staff(&self) -> Member {
        self.member_with_roles("Sam Staff", &["staff"]).await
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let name = self.db_name.clone();
        // Dropping needs async work; do it on a runtime of its own so it also
        // runs while the test's runtime is shutting down.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                if let Ok(admin) = Database::connect(format!("{}/postgres", server_url())).await {
                    let _ = admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                    let _ = admin.close().await;
                }
            });
        })
        .join();
    }
}

/// The JSON body of a response.
pub async fn body(response: Response) -> Value {
    response.json().await.expect("JSON body")
}

/// Asserts a problem response: status, `code`, content type and request id; returns the body.
pub async fn assert_problem(response: Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status().as_u16(), status, "status");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        content_type, "application/problem+json",
        "problem content type"
    );
    let request_id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let problem = body(response).await;
    assert_eq!(problem["code"], code, "problem code in {problem}");
    assert_eq!(problem["status"], status, "problem status");
    assert_eq!(problem["type"], format!("urn:liaison:problem:{code}"));
    assert!(problem["title"].is_string() && problem["detail"].is_string());
    assert_eq!(
        problem["request_id"].as_str().map(str::to_owned),
        request_id,
        "request id in body and header"
    );
    problem
}

/// The `field`s named in a problem's `errors`.
pub fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| e["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Counts rows of a table, for read-backs that prove nothing was written.
pub async fn count(db: &DatabaseConnection, table: &str) -> i64 {
    db.query_one(Statement::from_string(
        db.get_database_backend(),
        format!("SELECT count(*)::bigint AS n FROM {table}"),
    ))
    .await
    .expect("count")
    .and_then(|row| row.try_get::<i64>("", "n").ok())
    .expect("count row")
}

/// A TCP proxy in front of PostgreSQL that a test can cut and restore, to
/// make the database unreachable for one app without disturbing the others.
pub struct DbProxy {
    port: u16,
    accept_loop: std::sync::Mutex<Option<tokio::task::JoinHandle<()>>>,
}

fn database_address() -> String {
    std::env::var("LIAISON_TEST_DATABASE_ADDR").unwrap_or_else(|_| "127.0.0.1:5432".into())
}

impl DbProxy {
    /// Starts forwarding from a free local port.
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind proxy");
        let port = listener.local_addr().expect("proxy address").port();
        Self {
            port,
            accept_loop: std::sync::Mutex::new(Some(Self::serve(listener))),
        }
    }

    fn serve(listener: tokio::net::TcpListener) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            // Connections live in this set: aborting the loop drops the set,
            // which aborts every forwarded connection at once.
            let mut connections = tokio::task::JoinSet::new();
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else {
                    continue;
                };
                connections.spawn(async move {
                    if let Ok(mut outbound) =
                        tokio::net::TcpStream::connect(database_address()).await
                    {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        })
    }

    /// The proxy's port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Drops every connection and stops listening: the database is unreachable.
    pub fn cut(&self) {
        if let Some(handle) = self.accept_loop.lock().ok().and_then(|mut h| h.take()) {
            handle.abort();
        }
    }

    /// Listens again on the same port.
    pub async fn restore(&self) {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.port))
            .await
            .expect("rebind proxy");
        if let Ok(mut slot) = self.accept_loop.lock() {
            *slot = Some(Self::serve(listener));
        }
    }
}

// ---------------------------------------------------------------------------
// Ambassador programme: arranging regions, cycles, applications, reviews and
// ambassadors through the API, as a client would.
// ---------------------------------------------------------------------------

/// The `id` of a JSON resource, as text.
pub fn id_of(resource: &Value) -> String {
    resource["id"]
        .as_str()
        .unwrap_or_else(|| panic!("an `id` in {resource}"))
        .to_owned()
}

/// An answer of exactly `len` characters (the rule is 50–5000).
pub fn answer(len: usize) -> String {
    let sentence = "I run the local operators meetup and translate the docs. ";
    // Ends with a letter, so trimming never shortens it.
    let mut text: String = sentence
        .chars()
        .cycle()
        .take(len.saturating_sub(1))
        .collect();
    if len > 0 {
        text.push('x');
    }
    text
}

/// A valid application to `region`: three answers and two links.
pub fn application_request(region: &str) -> Value {
    json!({
        "region": region,
        "why_apply": answer(120),
        "participation": answer(200),
        "ideas": answer(80),
        "links": ["https://example.org/meetup", "https://example.org/talk"],
    })
}

/// The body of an open cycle: opened yesterday, closing in 30 days, weights
/// 2/1/1, 12-month terms; `regions` as `(slug, seats)` (`None`: every region
/// with its default seats).
pub fn open_cycle_request(
    regions: Option<&[(&str, i32)]>,
    max_per_affiliation: Option<i32>,
) -> Value {
    // Whole seconds, so what is read back compares equal to what was sent.
    let now = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 0);
    let mut request = json!({
        "name": "2027 ambassadors",
        "opens_at": now - chrono::Duration::days(1),
        "closes_at": now + chrono::Duration::days(30),
        "weights": {"track_record": 2.0, "geography": 1.0, "impact": 1.0},
        "max_per_affiliation": max_per_affiliation,
        "term_months": 12,
    });
    if let Some(regions) = regions {
        request["regions"] = regions
            .iter()
            .map(|(slug, seats)| json!({"region": slug, "seats": seats}))
            .collect();
    }
    request
}

impl TestApp {
    /// Creates a region as `staff`, asserting 201; returns it.
    pub async fn region(
        &self,
        staff: &Member,
        slug: &str,
        countries: &[&str],
        seats: i32,
    ) -> Value {
        let response = self
            .post(
                "/v1/regions",
                Some(&staff.token),
                &json!({"slug": slug, "name": format!("Region {slug}"), "countries": countries, "ambassador_seats": seats}),
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "create region {slug}"
        );
        body(response).await
    }

    /// Opens a cycle as `staff` (see [`open_cycle_request`]), asserting 201; returns it.
    pub async fn cycle(
        &self,
        staff: &Member,
        regions: Option<&[(&str, i32)]>,
        max_per_affiliation: Option<i32>,
    ) -> Value {
        let request = open_cycle_request(regions, max_per_affiliation);
        let response = self
            .post("/v1/ambassador-cycles", Some(&staff.token), &request)
            .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "open cycle {request}"
        );
        body(response).await
    }

    /// Sets a member's affiliation with `PATCH /v1/me`.
    pub async fn set_affiliation(&self, member: &Member, affiliation: &str) {
        let response = self
            .send_json(
                Method::PATCH,
                "/v1/me",
                Some(&member.token),
                &json!({ "affiliation": affiliation }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "set affiliation");
    }

    /// A draft application by `member` to `region` of a cycle, asserting 201; returns it.
    pub async fn application(&self, member: &Member, cycle_id: &str, region: &str) -> Value {
        let response = self
            .post(
                &format!("/v1/ambassador-cycles/{cycle_id}/applications"),
                Some(&member.token),
                &application_request(region),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "apply");
        body(response).await
    }

    /// Submits an application as its applicant, asserting 200; returns it.
    pub async fn submit(&self, member: &Member, application_id: &str) -> Value {
        let response = self
            .post(
                &format!("/v1/applications/{application_id}/submit"),
                Some(&member.token),
                &json!({}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "submit");
        body(response).await
    }

    /// A submitted application by `member`; returns it.
    pub async fn submitted_application(
        &self,
        member: &Member,
        cycle_id: &str,
        region: &str,
    ) -> Value {
        let draft = self.application(member, cycle_id, region).await;
        self.submit(member, &id_of(&draft)).await
    }

    /// `PUT /v1/applications/{id}/review` with `(track_record, geography, impact)`.
    pub async fn send_review(
        &self,
        reviewer: &Member,
        application_id: &str,
        scores: (i64, i64, i64),
    ) -> Response {
        self.send_json(
            Method::PUT,
            &format!("/v1/applications/{application_id}/review"),
            Some(&reviewer.token),
            &json!({
                "scores": {"track_record": scores.0, "geography": scores.1, "impact": scores.2},
                "comment": "Reviewed in the test suite.",
            }),
        )
        .await
    }

    /// A review that must succeed (200 or 201); returns it.
    pub async fn review(
        &self,
        reviewer: &Member,
        application_id: &str,
        scores: (i64, i64, i64),
    ) -> Value {
        let response = self.send_review(reviewer, application_id, scores).await;
        assert!(
            matches!(response.status(), StatusCode::OK | StatusCode::CREATED),
            "review answered {}",
            response.status()
        );
        body(response).await
    }

    /// `POST /v1/applications/{id}/decision`.
    pub async fn send_decision(
        &self,
        staff: &Member,
        application_id: &str,
        outcome: &str,
        reason: &str,
    ) -> Response {
        self.post(
            &format!("/v1/applications/{application_id}/decision"),
            Some(&staff.token),
            &json!({"outcome": outcome, "reason": reason}),
        )
        .await
    }

    /// A decision that must succeed; returns the decided application.
    pub async fn decide(&self, staff: &Member, application_id: &str, outcome: &str) -> Value {
        let response = self
            .send_decision(staff, application_id, outcome, "Decided in the test suite.")
            .await;
        assert_eq!(response.status(), StatusCode::OK, "decide {outcome}");
        body(response).await
    }

    /// The ambassadorship created for an application, from `GET /v1/ambassadors`.
    pub async fn ambassadorship_of(&self, member: &Member) -> Value {
        let response = self.get("/v1/ambassadors?limit=200", None).await;
        assert_eq!(response.status(), StatusCode::OK, "list ambassadors");
        body(response).await["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|a| a["member_id"] == member.id.to_string())
            .cloned()
            .unwrap_or_else(|| panic!("an ambassadorship of {}", member.id))
    }

    /// A new active ambassador of `region`, made the only way there is: a
    /// cycle of its own (only that region, 1000 seats), an application,
    /// submission, and staff selecting it. Returns the member and the
    /// ambassadorship.
    pub async fn ambassador(&self, staff: &Member, name: &str, region: &str) -> (Member, Value) {
        let member = self.member(name).await;
        let cycle = self.cycle(staff, Some(&[(region, 1000)]), None).await;
        let application = self
            .submitted_application(&member, &id_of(&cycle), region)
            .await;
        self.decide(staff, &id_of(&application), "selected").await;
        let ambassadorship = self.ambassadorship_of(&member).await;
        assert_eq!(ambassadorship["status"], "active");
        (member, ambassadorship)
    }
}

// ---- groups helpers ----
// User groups and their events, arranged through the API as a client would.

/// A valid registration of a group `slug` in `country`, code of conduct accepted.
pub fn group_request(slug: &str, country: &str) -> Value {
    json!({
        "name": format!("Group {slug}"),
        "slug": slug,
        "country": country,
        "city": "Lyon",
        "description": "Monthly meetup of people who run the software in production.",
        "links": ["https://example.org/meetup"],
        "coc_accepted": true,
    })
}

/// The body of an event starting `days_from_now` days from now (negative: in
/// the past), lasting two hours.
pub fn event_request(days_from_now: i64, status: &str, attendee_count: Option<i32>) -> Value {
    let starts_at = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 0)
        + chrono::Duration::days(days_from_now);
    json!({
        "title": format!("Meetup {days_from_now}"),
        "starts_at": starts_at,
        "ends_at": starts_at + chrono::Duration::hours(2),
        "city": "Lyon",
        "country": "FR",
        "status": status,
        "attendee_count": attendee_count,
    })
}

impl TestApp {
    /// Registers a group (see [`group_request`]) as `owner`, asserting 201; returns it.
    pub async fn group(&self, owner: &Member, slug: &str, country: &str) -> Value {
        let response = self
            .post(
                "/v1/groups",
                Some(&owner.token),
                &group_request(slug, country),
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "register group {slug}"
        );
        body(response).await
    }

    /// Approves a pending group as `reviewer`, asserting 200; returns it.
    pub async fn approve(&self, reviewer: &Member, group_id: &str) -> Value {
        let response = self
            .post(
                &format!("/v1/groups/{group_id}/review"),
                Some(&reviewer.token),
                &json!({"decision": "approve", "reason": "Welcome!"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "approve group");
        body(response).await
    }

    /// Creates an event of a group as `organizer` (see [`event_request`]), asserting 201; returns it.
    pub async fn group_event(
        &self,
        organizer: &Member,
        group_id: &str,
        days_from_now: i64,
        status: &str,
        attendee_count: Option<i32>,
    ) -> Value {
        let response = self
            .post(
                &format!("/v1/groups/{group_id}/events"),
                Some(&organizer.token),
                &event_request(days_from_now, status, attendee_count),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "create event");
        body(response).await
    }

    /// An event held `days_ago` days ago with 20 attendees; returns it.
    pub async fn held_event(&self, organizer: &Member, group_id: &str, days_ago: i64) -> Value {
        self.group_event(organizer, group_id, -days_ago, "held", Some(20))
            .await
    }

    /// Adds `member` as a co-organizer of a group, as `organizer`, asserting 201.
    pub async fn add_co_organizer(&self, organizer: &Member, group_id: &str, member: &Member) {
        let response = self
            .post(
                &format!("/v1/groups/{group_id}/organizers"),
                Some(&organizer.token),
                &json!({"member_id": member.id}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "add organizer");
    }
}
