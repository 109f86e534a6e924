//! The `liaison` binary: `serve`, `migrate`, `worker`, `openapi`,
//! `create-admin`, `seed-demo`, `dev-db stop`.

use std::io::BufRead;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use liaison_api::settings::{Secret, Settings};
use liaison_api::{commands, devdb, first_start, openapi, Application};
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
    /// `--scale large` adds the realistic set the benchmarks use.
    SeedDemo {
        #[arg(long, value_enum, default_value_t = Scale::Small)]
        scale: Scale,
    },
    /// Look for half-applied changes (quotas, one pass per member, audit
    /// entries, the outbox, the change feed); prints a JSON report and
    /// exits 1 when a rule is broken.
    Check,
    /// The private PostgreSQL a first start made in `LIAISON_DATA_DIR`
    /// (default `./.liaison/postgres`) when no server was configured.
    DevDb {
        #[command(subcommand)]
        action: DevDbAction,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Scale {
    /// Five regions, a staff member and seven members.
    Small,
    /// Also 100,000 members, 20 regions, 2,000 groups, 50,000 events,
    /// 200,000 feedback items and 1,000,000 contributions.
    Large,
}

#[derive(Subcommand)]
enum DevDbAction {
    /// Stop its server, if one was left running.
    Stop,
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
    let url = &settings.database_url.0;
    first_start::wait_for_database(url, settings.db_startup_timeout).await?;
    database::ensure_database(url).await.map_err(|e| {
        format!("the database does not exist and cannot be created ({e}): create it, or give DATABASE_URL a user who may")
    })?;
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
    let mut stop = Stop::listen();
    // Logging first, so that warnings while reading settings are seen.
    init_tracing(std::env::var("LIAISON_LOG_FORMAT").as_deref() != Ok("text"));
    if let Command::DevDb {
        action: DevDbAction::Stop,
    } = cli.command
    {
        let db = devdb::DevDb::at(&first_start::data_dir())?;
        match db.stop()? {
            true => println!("stopped the private PostgreSQL in {}", db.dir().display()),
            false => println!("no private PostgreSQL runs in {}", db.dir().display()),
        }
        return Ok(());
    }
    // Decided before the settings are read, so its line comes first; kept
    // to the end of the command, which stops the cluster if it started it.
    let private = first_start::private_database()?;
    let mut settings = Settings::from_env().map_err(|e| e.to_string())?;
    if let Some(private) = &private {
        settings.database_url = Secret(private.url("liaison"));
    }
    let db = prepared_pool(&settings).await?;
    match cli.command {
        Command::Openapi | Command::DevDb { .. } => Ok(()),
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
            stop.wait().await;
            tracing::info!("stopping: finishing the delivery in hand");
            dispatcher.stop().await;
            Ok(())
        }
        Command::Serve => {
            let app =
                Application::build_with_pool(settings.clone(), db).map_err(|e| e.to_string())?;
            tracing::info!(host = %settings.host, port = app.port(), "listening");
            app.run_until(stop.wait()).await.map_err(|e| e.to_string())
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
        Command::Check => {
            let findings = liaison_persistence::check::consistency(&db)
                .await
                .map_err(|e| e.to_string())?;
            let broken: i64 = findings.iter().map(|f| f.violations).sum();
            let report = serde_json::json!({"ok": broken == 0, "checks": findings});
            println!(
                "{}",
                serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
            );
            if broken > 0 {
                return Err(format!("{broken} violation(s) found"));
            }
            Ok(())
        }
        Command::SeedDemo { scale } => {
            let (regions, members) = commands::seed_demo(&db, &settings)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "seeded {regions} regions and {members} members (password `{}`; staff@liaison.example is staff)",
                commands::DEMO_PASSWORD
            );
            if scale == Scale::Large {
                let started = std::time::Instant::now();
                let seeded = commands::seed_large(&db).await.map_err(|e| e.to_string())?;
                if seeded {
                    println!(
                        "seeded the large set in {:.0} s: 20 regions, 100,000 members, 2,000 groups, 50,000 events, 200,000 feedback items, 1,000,000 contributions",
                        started.elapsed().as_secs_f64()
                    );
                } else {
                    println!("the large set is there already");
                }
            }
            Ok(())
        }
    }
}

/// SIGINT and SIGTERM, listened for from the start: one that arrives while
/// the command is still starting (waiting for PostgreSQL, migrating) ends
/// it through the normal path, so a private PostgreSQL is stopped too,
/// instead of killing the process outright.
struct Stop {
    #[cfg(unix)]
    signals: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl Stop {
    fn listen() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Self {
                signals: signal(SignalKind::interrupt())
                    .and_then(|i| signal(SignalKind::terminate()).map(|t| (i, t)))
                    .ok(),
            }
        }
        #[cfg(not(unix))]
        Self {}
    }

    /// Waits for SIGINT or SIGTERM.
    async fn wait(&mut self) {
        #[cfg(unix)]
        match &mut self.signals {
            Some((interrupt, terminate)) => {
                tokio::select! {
                    _ = interrupt.recv() => {}
                    _ = terminate.recv() => {}
                }
            }
            None => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
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
