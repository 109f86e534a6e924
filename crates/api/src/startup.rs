//! One way to start the app: `Application::build(settings)` binds the port
//! (0 picks a free one, as the tests do) and returns it; `main` and every
//! test use it.

use std::future::ready;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_http::{Extensions, HttpService, KeepAlive};
use actix_server::Server;
use actix_service::{fn_service, map_config, IntoServiceFactory, ServiceFactoryExt};
use actix_web::dev::AppConfig;
use actix_web::error::DispatchError;
use actix_web::middleware::from_fn;
use actix_web::rt::net::TcpStream;
use actix_web::{web, App};
use sea_orm::DatabaseConnection;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use liaison_persistence::database;

use crate::auth::passwords::Passwords;
use crate::auth::tokens::TokenKeys;
use crate::http::connection::Connection;
use crate::http::extract::KnownPaths;
use crate::http::gate::Gates;
use crate::http::{cors, etag, extract, screen};
use crate::metrics::Metrics;
use crate::middleware;
use crate::openapi;
use crate::settings::Settings;
use crate::state::AppState;

/// A bound, not yet running, server.
pub struct Application {
    port: u16,
    server: Server,
    state: AppState,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("bind: {0}")]
    Bind(#[from] std::io::Error),
    #[error(transparent)]
    Keys(#[from] crate::auth::tokens::KeyError),
    #[error(transparent)]
    Passwords(#[from] crate::auth::passwords::PoolError),
}

impl Application {
    /// Connects to the database (which must exist and be migrated) and binds.
    pub async fn build(settings: Settings) -> Result<Self, StartError> {
        let db = database::connect(&settings.database_url.0, &settings.pool()).await?;
        Self::build_with_pool(settings, db)
    }

    /// Binds with an existing pool.
    ///
    /// The server is assembled from actix's parts rather than `HttpServer`
    /// so that each accepted connection is wrapped in
    /// [`Connection`](crate::http::connection::Connection) (codec-level
    /// errors become problem documents) and counted for `/metrics`.
    pub fn build_with_pool(
        settings: Settings,
        mut db: DatabaseConnection,
    ) -> Result<Self, StartError> {
        let listener = TcpListener::bind((settings.host.as_str(), settings.port))?;
        let local = listener.local_addr()?;
        let port = local.port();
        let metrics = Arc::new(Metrics::default());
        // Every statement the pool runs (transactions inherit the
        // callback), so a benchmark can show how many a request costs.
        let statements = metrics.statements();
        db.set_metric_callback(move |_| {
            statements.inc();
        });
        let state = AppState {
            db,
            tokens: Arc::new(TokenKeys::from_settings(&settings)?),
            passwords: Arc::new(Passwords::start(&settings.hashing())?),
            gates: Arc::new(Gates::new(&settings.limits)),
            summaries: Arc::new(crate::http::memo::Memo::new(settings.limits.summary_cache)),
            known: Arc::new(crate::auth::known::KnownMembers::new(
                settings.limits.caller_cache,
            )),
            settings: Arc::new(settings),
            metrics,
        };
        let workers = state
            .settings
            .workers
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        let app_state = state.clone();
        // The document is built once from the same `register` the router
        // uses. Swagger UI (which also serves `/v1/openapi.json`) is mounted
        // before the `/v1` scope, which would otherwise claim that path.
        let document = openapi::document();
        let known_paths = web::Data::new(KnownPaths::from_document(&document));
        let server = actix_server::Server::build()
            .workers(workers)
            .shutdown_timeout(10)
            .listen("liaison", listener, move || {
                let state = app_state.clone();
                let metrics = Arc::clone(&state.metrics);
                let max_url_bytes = state.settings.limits.max_url_bytes;
                let app = App::new()
                    .app_data(web::Data::new(state.clone()))
                    .app_data(known_paths.clone())
                    .app_data(extract::json_config(extract::JSON_LIMIT))
                    .app_data(extract::query_config())
                    .app_data(extract::path_config())
                    .wrap(from_fn(etag::not_modified))
                    .wrap(cors::cors(&state.settings.cors_origins))
                    .wrap(from_fn(screen::screen_url))
                    .wrap(from_fn(middleware::observe::observe))
                    .service(web::redirect("/docs", "/docs/").permanent())
                    .service(
                        SwaggerUi::new("/docs/{_:.*}").url("/v1/openapi.json", document.clone()),
                    );
                let app = openapi::register(app.into_utoipa_app())
                    .into_app()
                    .default_service(web::to(extract::not_found));
                let http = HttpService::build()
                    .keep_alive(KeepAlive::Timeout(Duration::from_secs(5)))
                    .client_request_timeout(Duration::from_secs(5))
                    .client_disconnect_timeout(Duration::from_secs(1))
                    .local_addr(local)
                    .on_connect_ext(move |_: &Connection<TcpStream>, ext: &mut Extensions| {
                        ext.insert(metrics.connection_opened());
                    })
                    .h1(map_config(
                        app.into_factory()
                            .map_err(|err: actix_web::Error| err.error_response()),
                        |_| AppConfig::default(),
                    ));
                fn_service(move |io: TcpStream| {
                    let _ = io.set_nodelay(true);
                    let peer = io.peer_addr().ok();
                    ready(Ok::<_, DispatchError>((
                        Connection::new(io, max_url_bytes),
                        peer,
                    )))
                })
                .and_then(http)
            })?
            .run();
        Ok(Self {
            port,
            server,
            state,
        })
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Runs until stopped, dispatching the outbox and purging expired
    /// idempotency keys, rate-limit windows and the webhook delivery log
    /// past 30 days every ten minutes.
    pub async fn run(self) -> std::io::Result<()> {
        self.run_until(std::future::pending()).await
    }

    /// As [`Application::run`], stopping gracefully also when `stop`
    /// resolves (the binary's own signal listener, which hears a signal
    /// that arrived before the server's).
    pub async fn run_until(
        self,
        stop: impl std::future::Future<Output = ()>,
    ) -> std::io::Result<()> {
        let db = self.state.db.clone();
        let janitor = tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(600));
            loop {
                tick.tick().await;
                if let Err(err) = liaison_persistence::idempotency::purge_expired(&db).await {
                    tracing::warn!(error = %err, "purging idempotency keys failed");
                }
                if let Err(err) = liaison_persistence::rate_limits::purge_stale(&db).await {
                    tracing::warn!(error = %err, "purging rate limits failed");
                }
                // The webhook delivery log is kept 30 days.
                if let Err(err) = liaison_persistence::webhooks::purge_log(&db).await {
                    tracing::warn!(error = %err, "purging the webhook delivery log failed");
                }
            }
        });
        let listener = self
            .state
            .known
            .clone()
            .listen(self.state.settings.database_url.0.clone());
        let dispatcher = crate::outbox::Dispatcher::start(
            self.state.db.clone(),
            &self.state.settings.database_url.0,
            self.state.settings.outbox.clone(),
        );
        let handle = self.server.handle();
        let mut server = self.server;
        let result = tokio::select! {
            result = &mut server => result,
            // The server must be polled while it stops, hence the join.
            () = stop => tokio::join!(handle.stop(true), server).1,
        };
        janitor.abort();
        listener.abort();
        // After the server has stopped taking requests: the delivery in hand
        // finishes, and the other claimed rows are let go for another process.
        dispatcher.stop().await;
        result
    }
}
