//! The app under test: settings, starting a server on a fresh database, and
//! sending it requests.

use std::time::Duration;

use liaison_api::settings::{
    AccountSettings, Argon2Params, JwtSigning, Limits, OutboxSettings, Secret, Settings,
    TrustedProxies,
};
use liaison_api::Application;
use reqwest::{Method, RequestBuilder, Response};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::Value;

use crate::database::{database_url, fresh_database};

/// The secret the test apps sign tokens with (tests forge tokens with it).
pub const JWT_SECRET: &str = "test-secret-of-a-reasonable-length-0123456789";

/// The database name at the end of a URL.
fn database_url_name(url: &str) -> &str {
    url.rsplit('/').next().unwrap_or("liaison")
}

/// Settings as a deployer would give them, with cheap Argon2 parameters and a known JWT secret.
pub fn test_settings(database_url: String) -> Settings {
    let mail_dir =
        std::env::temp_dir().join(format!("liaison-mail-{}", database_url_name(&database_url)));
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
        // Every summary and caller read afresh, so a test reads what it just
        // wrote; their own tests turn them on.
        limits: Limits {
            summary_cache: Duration::ZERO,
            caller_cache: Duration::ZERO,
            ..Limits::default()
        },
        log_json: false,
        // A mail folder per test database, read back by the mail tests.
        outbox: OutboxSettings {
            mail_dir,
            poll: Duration::from_millis(100),
            lease: Duration::from_secs(5),
            smtp_url: None,
            mail_from: "Liaison <noreply@liaison.example>".into(),
            // Webhook receivers in the tests listen on 127.0.0.1 over http.
            webhook_allow_private: true,
        },
        accounts: AccountSettings::default(),
        db_startup_timeout: Duration::from_secs(30),
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

impl TestApp {
    /// Starts the app with the default test settings.
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// Starts the app after `adjust` changes the test settings.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Settings)) -> Self {
        let db_name = fresh_database().await;
        let url = database_url(&db_name);
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
        database_url(&self.db_name)
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
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.settings.outbox.mail_dir);
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
                if let Ok(admin) = Database::connect(database_url("postgres")).await {
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
