//! One way to start the app: `Application::build(settings)` binds the port
//! (0 picks a free one, as the tests do) and returns it; `main` and every
//! test use it.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};
use sea_orm::DatabaseConnection;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use liaison_persistence::database::{self, PoolSettings};

use crate::auth::tokens::TokenKeys;
use crate::http::{cors, extract};
use crate::metrics::Metrics;
use crate::openapi;
use crate::request_id;
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
}

impl Application {
    /// Connects to the database (which must exist and be migrated) and binds.
    pub async fn build(settings: Settings) -> Result<Self, StartError> {
        let db = database::connect(
            &settings.database_url.0,
            &PoolSettings {
                max_connections: settings.db_max_connections,
                acquire_timeout: settings.db_acquire_timeout,
            },
        )
        .await?;
        Self::build_with_pool(settings, db)
    }

    /// Binds with an existing pool.
    pub fn build_with_pool(settings: Settings, db: DatabaseConnection) -> Result<Self, StartError> {
        let listener = TcpListener::bind((settings.host.as_str(), settings.port))?;
        let port = listener.local_addr()?.port();
        let state = AppState {
            db,
            tokens: Arc::new(TokenKeys::from_settings(&settings)?),
            settings: Arc::new(settings),
            metrics: Arc::new(Metrics::default()),
        };
        let workers = state.settings.workers;
        let app_state = state.clone();
        // The document is built once from the same `register` the router
        // uses. Swagger UI (which also serves `/v1/openapi.json`) is mounted
        // before the `/v1` scope, which would otherwise claim that path.
        let document = openapi::document();
        let mut server = HttpServer::new(move || {
            let app = App::new()
                .app_data(web::Data::new(app_state.clone()))
                .app_data(extract::json_config(extract::JSON_LIMIT))
                .app_data(extract::query_config())
                .app_data(extract::path_config())
                .wrap(cors::cors(&app_state.settings.cors_origins))
                .wrap(from_fn(request_id::observe))
                .service(SwaggerUi::new("/docs/{_:.*}").url("/v1/openapi.json", document.clone()));
            openapi::register(app.into_utoipa_app())
                .into_app()
                .default_service(web::to(extract::not_found))
        })
        .shutdown_timeout(10)
        .listen(listener)?;
        if let Some(workers) = workers {
            server = server.workers(workers);
        }
        Ok(Self {
            port,
            server: server.run(),
            state,
        })
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Runs until stopped, purging expired idempotency keys and rate-limit
    /// windows every ten minutes.
    pub async fn run(self) -> std::io::Result<()> {
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
            }
        });
        let result = self.server.await;
        janitor.abort();
        result
    }
}
