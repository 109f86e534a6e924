//! Settings, read once from the environment. Every variable is documented in
//! the README and `.env.example`, with the default used when it is unset.

use std::fmt;
use std::time::Duration;

/// A secret that never prints.
#[derive(Clone)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// How access tokens are signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwtSigning {
    /// HMAC-SHA256 with a shared secret (`LIAISON_JWT_SECRET`).
    Hs256(Secret),
    /// RSA or Ed25519 with PEM keys (`LIAISON_JWT_PRIVATE_KEY_FILE`, `LIAISON_JWT_PUBLIC_KEY_FILE`).
    Asymmetric {
        /// `RS256` or `EdDSA`.
        algorithm: String,
        /// PEM of the signing key.
        private_pem: Secret,
        /// PEM of the verifying key.
        public_pem: String,
    },
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl Eq for Secret {}

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy)]
pub struct Argon2Params {
    /// Memory in KiB (`LIAISON_ARGON2_MEMORY_KIB`, default 19456 = 19 MiB, OWASP's minimum).
    pub memory_kib: u32,
    /// Passes (`LIAISON_ARGON2_ITERATIONS`, default 2).
    pub iterations: u32,
    /// Lanes (`LIAISON_ARGON2_PARALLELISM`, default 1).
    pub parallelism: u32,
}

/// How the password pool runs (see `auth::passwords`).
#[derive(Debug, Clone, Copy)]
pub struct HashingSettings {
    /// The cost of every new hash.
    pub argon2: Argon2Params,
    /// `LIAISON_HASH_WORKERS`: threads that hash and verify, default one per CPU.
    pub workers: usize,
    /// How long a sign-in waits for a free worker before 503 (`LIAISON_QUEUE_WAIT_MS`).
    pub wait: Duration,
    /// `LIAISON_HASH_PRIORITY`: how the workers are scheduled, default `idle`.
    pub priority: HashPriority,
}

/// Bounds on work that a flood could otherwise grow without limit. Each
/// class runs at most so many requests at once; the rest wait up to
/// `queue_wait`, then answer 503 `unavailable` with `Retry-After`.
#[derive(Debug, Clone)]
pub struct Limits {
    /// `LIAISON_HASH_WORKERS`, default one per CPU.
    pub hash_workers: usize,
    /// `LIAISON_HASH_PRIORITY`, default `idle`.
    pub hash_priority: HashPriority,
    /// `LIAISON_QUEUE_WAIT_MS`, default 1000.
    pub queue_wait: Duration,
    /// `LIAISON_MAX_CSV_EXPORTS`: CSV exports streaming at once, default 4.
    pub csv_exports: usize,
    /// `LIAISON_MAX_SYNCS`: bulk event syncs running at once, default 4.
    pub syncs: usize,
    /// `LIAISON_MAX_FEED_READS`: change-feed pages read at once, default 16.
    pub feed_reads: usize,
    /// `LIAISON_STATEMENT_TIMEOUT_MS`: longest SQL statement of an ordinary request, default 5000.
    pub statement_timeout: Duration,
    /// `LIAISON_BULK_STATEMENT_TIMEOUT_MS`: longest statement of bulk work
    /// (syncs, eligibility lists, bulk issuance), default 60000.
    pub bulk_statement_timeout: Duration,
    /// `LIAISON_MAX_URL_BYTES`: longest request target, default 8192 (414 beyond).
    pub max_url_bytes: usize,
    /// `LIAISON_SUMMARY_CACHE_SECS`: how long a feedback summary is served
    /// as computed, default 10; 0 computes every one.
    pub summary_cache: Duration,
    /// `LIAISON_CALLER_CACHE_SECS`: how long a member's roles may be kept for
    /// reads, default 30 (a change is heard at once; this bounds the rest);
    /// 0 reads them on every request.
    pub caller_cache: Duration,
}

fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            hash_workers: cpus(),
            hash_priority: HashPriority::Idle,
            queue_wait: Duration::from_millis(1000),
            csv_exports: 4,
            syncs: 4,
            feed_reads: 16,
            statement_timeout: Duration::from_millis(5_000),
            bulk_statement_timeout: Duration::from_millis(60_000),
            max_url_bytes: 8_192,
            summary_cache: Duration::from_secs(10),
            caller_cache: Duration::from_secs(30),
        }
    }
}

/// How the password workers are scheduled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashPriority {
    /// `idle` (Linux `SCHED_IDLE`): any other runnable thread of the machine
    /// goes first, at once. Under a sign-in flood, cheap requests keep their
    /// latency; when the cores are saturated by other work, sign-ins wait
    /// (then 503) rather than slow everything else.
    Idle,
    /// A nice value, 0–19 (`0` is the ordinary priority). A lower-weight
    /// thread still runs its whole time slice once scheduled, so this
    /// protects other requests' throughput but not their tail latency.
    Nice(i32),
}

impl std::str::FromStr for HashPriority {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        match raw.trim() {
            "idle" => Ok(Self::Idle),
            n => match n.parse::<i32>() {
                Ok(nice) if (0..=19).contains(&nice) => Ok(Self::Nice(nice)),
                _ => Err(format!("`{n}` is neither `idle` nor a nice value 0–19")),
            },
        }
    }
}

/// Which proxies in front of the server are trusted to say who the client is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TrustedProxies {
    /// None: the client is the socket's peer, `X-Forwarded-For` is ignored.
    #[default]
    None,
    /// This many proxies, each appending the address it saw: the client is
    /// the entry this many places from the right of `X-Forwarded-For`.
    Hops(usize),
    /// Proxies at these addresses: from the right, entries in these networks
    /// are skipped, and the first other one is the client. Only a peer in
    /// these networks is believed at all.
    Networks(Vec<ipnet::IpNet>),
}

impl std::str::FromStr for TrustedProxies {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.is_empty() || raw == "0" || raw.eq_ignore_ascii_case("none") {
            return Ok(Self::None);
        }
        if let Ok(hops) = raw.parse::<usize>() {
            return Ok(Self::Hops(hops));
        }
        raw.split(',')
            .map(|part| {
                let part = part.trim();
                part.parse::<ipnet::IpNet>()
                    .or_else(|_| part.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map_err(|_| format!("`{part}` is neither a hop count nor an address or CIDR"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self::Networks)
    }
}

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `LIAISON_HOST`, default `127.0.0.1`.
    pub host: String,
    /// `LIAISON_PORT`, default 8080; 0 picks a free port.
    pub port: u16,
    /// `LIAISON_WORKERS`, default the number of CPUs.
    pub workers: Option<usize>,
    /// `DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/liaison`.
    pub database_url: Secret,
    /// `LIAISON_DB_MAX_CONNECTIONS`, default 20.
    pub db_max_connections: u32,
    /// `LIAISON_DB_ACQUIRE_TIMEOUT_SECS`, default 3.
    pub db_acquire_timeout: Duration,
    /// Access-token signing; `LIAISON_JWT_ALGORITHM` (default `HS256`).
    pub jwt: JwtSigning,
    /// `LIAISON_JWT_ISSUER`, default `liaison`.
    pub jwt_issuer: String,
    /// `LIAISON_JWT_AUDIENCE`, default `liaison-api`.
    pub jwt_audience: String,
    /// `LIAISON_ACCESS_TOKEN_TTL_SECS`, default 900 (15 minutes).
    pub access_token_ttl: Duration,
    /// `LIAISON_REFRESH_TOKEN_TTL_DAYS`, default 30.
    pub refresh_token_ttl_days: i64,
    /// Password hashing cost.
    pub argon2: Argon2Params,
    /// `LIAISON_CORS_ORIGINS`: comma-separated origins, `*` for any; default none.
    pub cors_origins: Vec<String>,
    /// `LIAISON_AUTH_RATE_LIMIT`: requests per window and client on `/v1/auth/*`, default 30.
    pub auth_rate_limit: u32,
    /// `LIAISON_RATE_LIMIT_WINDOW_SECS`, default 60.
    pub rate_limit_window_secs: u32,
    /// `LIAISON_TRUSTED_PROXIES`: a hop count or CIDRs, default none.
    /// (`LIAISON_TRUST_FORWARDED_FOR=true`, the older setting, means one hop.)
    pub trusted_proxies: TrustedProxies,
    /// Bounds under floods.
    pub limits: Limits,
    /// `LIAISON_LOG_FORMAT`: `json` (default) or `text`.
    pub log_json: bool,
    /// Delivering what the outbox holds.
    pub outbox: OutboxSettings,
    /// Verification and reset mails.
    pub accounts: AccountSettings,
    /// `LIAISON_DB_STARTUP_TIMEOUT_SECS`, default 30: how long a start waits
    /// for PostgreSQL to answer, one log line per attempt, before giving up.
    pub db_startup_timeout: Duration,
}

/// What the account mails link to, and how often a reset may be asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSettings {
    /// `LIAISON_APP_URL`, default `http://localhost:3000`: the frontend the
    /// mails link to (`/verify-email?token=…`, `/reset-password?token=…`).
    pub app_url: String,
    /// `LIAISON_RESET_PER_EMAIL_PER_HOUR`, default 3: reset mails per
    /// address and hour; more requests are answered 202 as ever, and mail nothing.
    pub resets_per_email: u32,
    /// `LIAISON_RESET_PER_CLIENT_PER_HOUR`, default 10: reset requests per
    /// client address and hour, beyond which the answer is 429.
    pub resets_per_client: u32,
}

impl Default for AccountSettings {
    fn default() -> Self {
        Self {
            app_url: "http://localhost:3000".into(),
            resets_per_email: 3,
            resets_per_client: 10,
        }
    }
}

impl AccountSettings {
    fn from_env() -> Result<Self, SettingsError> {
        let d = Self::default();
        Ok(Self {
            app_url: var("LIAISON_APP_URL")
                .map_or(d.app_url, |u| u.trim_end_matches('/').to_owned()),
            resets_per_email: parsed("LIAISON_RESET_PER_EMAIL_PER_HOUR", d.resets_per_email)?,
            resets_per_client: parsed("LIAISON_RESET_PER_CLIENT_PER_HOUR", d.resets_per_client)?,
        })
    }
}

/// How the dispatcher delivers the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxSettings {
    /// `LIAISON_MAIL_DIR`, default `.liaison/mail`: with no SMTP server
    /// configured, each mail is written there as `<delivery id>.eml`.
    pub mail_dir: std::path::PathBuf,
    /// `LIAISON_OUTBOX_POLL_MS`, default 500: how often an idle dispatcher
    /// looks for retries coming due (a commit of new rows wakes it at once).
    pub poll: Duration,
    /// `LIAISON_OUTBOX_LEASE_SECS`, default 60: how long a claimed row is
    /// held; a process that dies lets go of its rows when the lease runs out.
    pub lease: Duration,
    /// `LIAISON_SMTP_URL`, default none (mail goes to `mail_dir`):
    /// `smtps://user:password@host:465`, `smtp://user:password@host:587?tls=required`
    /// (STARTTLS), or `smtp://host:25` (plain, for a local relay).
    pub smtp_url: Option<Secret>,
    /// `LIAISON_MAIL_FROM`, default `Liaison <noreply@liaison.example>`.
    pub mail_from: String,
    /// `LIAISON_WEBHOOK_ALLOW_PRIVATE`, default `false`: when `true`, webhook
    /// targets may be `http://` and resolve to private, loopback or
    /// link-local addresses (tests, a receiver on the same network).
    pub webhook_allow_private: bool,
}

impl Default for OutboxSettings {
    fn default() -> Self {
        Self {
            mail_dir: ".liaison/mail".into(),
            poll: Duration::from_millis(500),
            lease: Duration::from_secs(60),
            smtp_url: None,
            mail_from: "Liaison <noreply@liaison.example>".into(),
            webhook_allow_private: false,
        }
    }
}

impl OutboxSettings {
    fn from_env() -> Result<Self, SettingsError> {
        let d = Self::default();
        Ok(Self {
            mail_dir: var("LIAISON_MAIL_DIR").map_or(d.mail_dir, Into::into),
            poll: millis("LIAISON_OUTBOX_POLL_MS", d.poll)?,
            lease: Duration::from_secs(
                parsed("LIAISON_OUTBOX_LEASE_SECS", d.lease.as_secs())?.max(1),
            ),
            smtp_url: var("LIAISON_SMTP_URL")
                .map(|url| match crate::outbox::mail::smtp_transport(&url) {
                    Ok(_) => Ok(Secret(url)),
                    Err(message) => Err(SettingsError {
                        name: "LIAISON_SMTP_URL",
                        message,
                    }),
                })
                .transpose()?,
            mail_from: var("LIAISON_MAIL_FROM").unwrap_or(d.mail_from),
            webhook_allow_private: parsed(
                "LIAISON_WEBHOOK_ALLOW_PRIVATE",
                d.webhook_allow_private,
            )?,
        })
    }
}

/// A setting that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("setting {name}: {message}")]
pub struct SettingsError {
    name: &'static str,
    message: String,
}

fn var(name: &'static str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parsed<T: std::str::FromStr>(name: &'static str, default: T) -> Result<T, SettingsError>
where
    T::Err: fmt::Display,
{
    match var(name) {
        None => Ok(default),
        Some(raw) => raw.trim().parse().map_err(|e: T::Err| SettingsError {
            name,
            message: format!("cannot parse `{raw}`: {e}"),
        }),
    }
}

fn read_file(name: &'static str) -> Result<String, SettingsError> {
    let path = var(name).ok_or(SettingsError {
        name,
        message: "required when LIAISON_JWT_ALGORITHM is RS256 or EdDSA".into(),
    })?;
    std::fs::read_to_string(&path).map_err(|e| SettingsError {
        name,
        message: format!("cannot read {path}: {e}"),
    })
}

/// The database the server uses when `DATABASE_URL` is unset.
pub const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/liaison";

fn millis(name: &'static str, default: Duration) -> Result<Duration, SettingsError> {
    parsed(name, default.as_millis() as u64).map(Duration::from_millis)
}

impl Limits {
    /// Reads the limits from the environment.
    pub fn from_env() -> Result<Self, SettingsError> {
        let d = Self::default();
        Ok(Self {
            hash_workers: parsed("LIAISON_HASH_WORKERS", d.hash_workers)?.max(1),
            hash_priority: parsed("LIAISON_HASH_PRIORITY", d.hash_priority)?,
            queue_wait: millis("LIAISON_QUEUE_WAIT_MS", d.queue_wait)?,
            csv_exports: parsed("LIAISON_MAX_CSV_EXPORTS", d.csv_exports)?.max(1),
            syncs: parsed("LIAISON_MAX_SYNCS", d.syncs)?.max(1),
            feed_reads: parsed("LIAISON_MAX_FEED_READS", d.feed_reads)?.max(1),
            statement_timeout: millis("LIAISON_STATEMENT_TIMEOUT_MS", d.statement_timeout)?,
            bulk_statement_timeout: millis(
                "LIAISON_BULK_STATEMENT_TIMEOUT_MS",
                d.bulk_statement_timeout,
            )?,
            max_url_bytes: parsed("LIAISON_MAX_URL_BYTES", d.max_url_bytes)?,
            summary_cache: Duration::from_secs(parsed(
                "LIAISON_SUMMARY_CACHE_SECS",
                d.summary_cache.as_secs(),
            )?),
            caller_cache: Duration::from_secs(parsed(
                "LIAISON_CALLER_CACHE_SECS",
                d.caller_cache.as_secs(),
            )?),
        })
    }
}

impl Settings {
    /// The database pool's settings.
    pub fn pool(&self) -> liaison_persistence::database::PoolSettings {
        liaison_persistence::database::PoolSettings {
            max_connections: self.db_max_connections,
            acquire_timeout: self.db_acquire_timeout,
            statement_timeout: self.limits.statement_timeout,
        }
    }

    /// How the password pool runs.
    pub fn hashing(&self) -> HashingSettings {
        HashingSettings {
            argon2: self.argon2,
            workers: self.limits.hash_workers,
            wait: self.limits.queue_wait,
            priority: self.limits.hash_priority,
        }
    }

    /// Reads settings from the environment.
    pub fn from_env() -> Result<Self, SettingsError> {
        let jwt = match var("LIAISON_JWT_ALGORITHM").as_deref().unwrap_or("HS256") {
            "HS256" => JwtSigning::Hs256(Secret(var("LIAISON_JWT_SECRET").unwrap_or_else(|| {
                // Tokens then die with the process, and processes do not share
                // them: fine for a try-out, documented as unfit for production.
                tracing::warn!(
                    "LIAISON_JWT_SECRET is unset: using a random secret for this process"
                );
                crate::auth::secrets::random_token(48)
            }))),
            alg @ ("RS256" | "EdDSA") => JwtSigning::Asymmetric {
                algorithm: alg.to_owned(),
                private_pem: Secret(read_file("LIAISON_JWT_PRIVATE_KEY_FILE")?),
                public_pem: read_file("LIAISON_JWT_PUBLIC_KEY_FILE")?,
            },
            other => {
                return Err(SettingsError {
                    name: "LIAISON_JWT_ALGORITHM",
                    message: format!("`{other}` is not one of HS256, RS256, EdDSA"),
                })
            }
        };
        Ok(Self {
            host: var("LIAISON_HOST").unwrap_or_else(|| "127.0.0.1".into()),
            port: parsed("LIAISON_PORT", 8080)?,
            workers: var("LIAISON_WORKERS")
                .map(|_| parsed("LIAISON_WORKERS", 1))
                .transpose()?,
            database_url: Secret(
                var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            ),
            db_max_connections: parsed("LIAISON_DB_MAX_CONNECTIONS", 20)?,
            db_acquire_timeout: Duration::from_secs(parsed("LIAISON_DB_ACQUIRE_TIMEOUT_SECS", 3)?),
            jwt,
            jwt_issuer: var("LIAISON_JWT_ISSUER").unwrap_or_else(|| "liaison".into()),
            jwt_audience: var("LIAISON_JWT_AUDIENCE").unwrap_or_else(|| "liaison-api".into()),
            access_token_ttl: Duration::from_secs(parsed("LIAISON_ACCESS_TOKEN_TTL_SECS", 900)?),
            refresh_token_ttl_days: parsed("LIAISON_REFRESH_TOKEN_TTL_DAYS", 30)?,
            argon2: Argon2Params {
                memory_kib: parsed("LIAISON_ARGON2_MEMORY_KIB", 19_456)?,
                iterations: parsed("LIAISON_ARGON2_ITERATIONS", 2)?,
                parallelism: parsed("LIAISON_ARGON2_PARALLELISM", 1)?,
            },
            cors_origins: var("LIAISON_CORS_ORIGINS")
                .map(|v| {
                    v.split(',')
                        .map(|o| o.trim().to_owned())
                        .filter(|o| !o.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            auth_rate_limit: parsed("LIAISON_AUTH_RATE_LIMIT", 30)?,
            rate_limit_window_secs: parsed("LIAISON_RATE_LIMIT_WINDOW_SECS", 60)?,
            trusted_proxies: match var("LIAISON_TRUSTED_PROXIES") {
                Some(_) => parsed("LIAISON_TRUSTED_PROXIES", TrustedProxies::None)?,
                None if parsed("LIAISON_TRUST_FORWARDED_FOR", false)? => TrustedProxies::Hops(1),
                None => TrustedProxies::None,
            },
            limits: Limits::from_env()?,
            log_json: var("LIAISON_LOG_FORMAT").as_deref() != Some("text"),
            outbox: OutboxSettings::from_env()?,
            accounts: AccountSettings::from_env()?,
            db_startup_timeout: Duration::from_secs(parsed("LIAISON_DB_STARTUP_TIMEOUT_SECS", 30)?),
        })
    }
}
