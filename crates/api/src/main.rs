//! The `liaison` binary: `serve`, `migrate`, `openapi`, `create-admin`, `seed-demo`.

use std::io::BufRead;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use liaison_api::settings::Settings;
use liaison_api::{commands, openapi, Application};
use liaison_persistence::database;

/// Only for comparing allocators (see `scripts/bench-floods.sh`): glibc's is
/// the default, measured to hold memory as well under floods.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "liaison",
    version,
    about = "Liaison: the API of an open-source foundation's community programme"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the database if missing, migrate it, and serve HTTP.
    Serve,
    /// Create the database if missing and apply pending migrations.
    Migrate,
    /// Deliver the outbox (mail, webhooks) without serving HTTP, until
    /// SIGINT or SIGTERM. Every `serve` process dispatches too; this is for
    /// deployers who want the work apart.
    Worker,
    /// Print the OpenAPI document.
    Openapi,
    /// Create the first admin (or make a member admin). Password from
    /// LIAISON_ADMIN_PASSWORD, else the first line of standard input.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Administrator")]
        name: String,
    },
    /// Load a small demo data set (regions, staff, members); safe to re-run.
    SeedDemo,
}

fn init_tracing(json: bool) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().flatten_event(true).init();
    } else {
        builder.init();
    }
}

async fn prepared_pool(settings: &Settings) -> Result<sea_orm::DatabaseConnection, String> {
    database::ensure_database(&settings.database_url.0)
        .await
        .map_err(|e| format!("cannot create the database: {e}"))?;
    let db = database::connect(&settings.database_url.0, &settings.pool())
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    database::migrate(&db)
        .await
        .map_err(|e| format!("migration failed: {e}"))?;
    Ok(db)
}

async fn run(cli: Cli) -> Result<(), String> {
    if let Command::Openapi = cli.command {
        print!("{}", openapi::document_json());
        return Ok(());
    }
    // Logging first, so that warnings while reading settings are seen.
    init_tracing(std::env::var("LIAISON_LOG_FORMAT").as_deref() != Ok("text"));
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    let db = prepared_pool(&settings).await?;
    match cli.command {
        Command::Openapi => Ok(()),
        Command::Migrate => {
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::Worker => {
            let dispatcher = liaison_api::outbox::Dispatcher::start(
                db,
                &settings.database_url.0,
                settings.outbox.clone(),
            );
            tracing::info!("dispatching the outbox");
            stopped().await;
            tracing::info!("stopping: finishing the delivery in hand");
            dispatcher.stop().await;
            Ok(())
        }
        Command::Serve => {
            let app =
                Application::build_with_pool(settings.clone(), db).map_err(|e| e.to_string())?;
            tracing::info!(host = %settings.host, port = app.port(), "listening");
            app.run().await.map_err(|e| e.to_string())
        }
        Command::CreateAdmin { email, name } => {
            let password = match std::env::var("LIAISON_ADMIN_PASSWORD") {
                Ok(p) if !p.is_empty() => p,
                _ => {
                    eprintln!("password for {email}:");
                    let mut line = String::new();
                    std::io::stdin()
                        .lock()
                        .read_line(&mut line)
                        .map_err(|e| e.to_string())?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let id = commands::create_admin(&db, &settings, &email, &password, &name)
                .await
                .map_err(|e| e.to_string())?;
            println!("{id}");
            Ok(())
        }
        Command::SeedDemo => {
            let (regions, members) = commands::seed_demo(&db, &settings)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "seeded {regions} regions and {members} members (password `{}`; staff@liaison.example is staff)",
                commands::DEMO_PASSWORD
            );
            Ok(())
        }
    }
}

/// Waits for SIGINT or SIGTERM.
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[actix_web::main]
async fn main() -> ExitCode {
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("liaison: {message}");
            ExitCode::FAILURE
        }
    }
}
