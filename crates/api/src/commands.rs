//! The binary's maintenance commands: `create-admin` and `seed-demo`.

use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};
use serde_json::json;

use liaison_domain::audit::AuditEvent;
use liaison_domain::member::Registration;
use liaison_domain::recognition::ContributionStatus;
use liaison_domain::region::RegionSpec;
use liaison_domain::summit::{OfferedProgram, SummitSpec};
use liaison_persistence::audit::{self, AuditActor};
use liaison_persistence::members::{self, NewMember, ProfileChanges};
use liaison_persistence::regions;

use crate::auth::passwords;
use crate::error::ApiError;
use crate::settings::Settings;

fn system() -> AuditActor {
    AuditActor {
        actor_type: "system",
        actor_id: None,
        request_id: None,
    }
}

/// What a command failed with.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error("{0}")]
    Api(#[from] ApiError),
    #[error("invalid input: {0:?}")]
    Invalid(liaison_domain::Invalid),
    #[error(transparent)]
    Passwords(#[from] passwords::PoolError),
}

/// A password pool of one worker, for commands run once from the shell.
fn one_worker(settings: &Settings) -> Result<passwords::Passwords, passwords::PoolError> {
    passwords::Passwords::start(&crate::settings::HashingSettings {
        workers: 1,
        ..settings.hashing()
    })
}

impl From<liaison_persistence::Error> for CommandError {
    fn from(e: liaison_persistence::Error) -> Self {
        CommandError::Api(e.into())
    }
}

impl From<sea_orm::DbErr> for CommandError {
    fn from(e: sea_orm::DbErr) -> Self {
        CommandError::Api(e.into())
    }
}

/// Creates the first admin, or makes an existing member admin (and staff).
pub async fn create_admin(
    db: &DatabaseConnection,
    settings: &Settings,
    email: &str,
    password: &str,
    display_name: &str,
) -> Result<uuid::Uuid, CommandError> {
    let registration =
        Registration::parse(email, password, display_name, None).map_err(CommandError::Invalid)?;
    let txn = db.begin().await?;
    let member = match members::find_by_email(&txn, registration.email.as_str()).await? {
        Some(existing) => {
            let mut roles = existing.roles.clone();
            for role in ["admin", "staff"] {
                if !roles.iter().any(|r| r == role) {
                    roles.push(role.to_owned());
                }
            }
            members::set_roles(&txn, existing, roles).await?
        }
        None => {
            let password_hash = one_worker(settings)?
                .hash(registration.password.clone())
                .await?;
            members::insert(
                &txn,
                NewMember {
                    email: registration.email.as_str().to_owned(),
                    password_hash,
                    display_name: registration.display_name.clone(),
                    country: None,
                    roles: vec!["admin".into(), "staff".into()],
                    verified: true,
                },
            )
            .await?
        }
    };
    audit::record(
        &txn,
        &system(),
        AuditEvent::new(
            "member.roles_changed",
            "member",
            member.id,
            json!({"to": member.roles, "by": "create-admin"}),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(member.id)
}

/// The password of every demo member.
pub const DEMO_PASSWORD: &str = "liaison-demo-password";

const DEMO_REGIONS: &[(&str, &str, &[&str], i32)] = &[
    (
        "europe",
        "Europe",
        &[
            "AT", "BE", "CH", "CZ", "DE", "DK", "ES", "FI", "FR", "GB", "IE", "IT", "NL", "NO",
            "PL", "PT", "SE",
        ],
        4,
    ),
    ("north-america", "North America", &["CA", "MX", "US"], 3),
    (
        "latin-america",
        "Latin America",
        &["AR", "BR", "CL", "CO", "PE", "UY"],
        2,
    ),
    (
        "asia-pacific",
        "Asia Pacific",
        &["AU", "CN", "ID", "IN", "JP", "KR", "NZ", "SG", "TW", "VN"],
        4,
    ),
    (
        "africa",
        "Africa",
        &["EG", "GH", "KE", "MA", "NG", "RW", "ZA"],
        2,
    ),
];

/// (email, name, country, city, affiliation, languages, skills, roles)
type DemoMember = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);

const DEMO_MEMBERS: &[DemoMember] = &[
    (
        "staff@liaison.example",
        "Sam Staff",
        "BE",
        "Brussels",
        "Foundation",
        &["en", "fr"],
        &["operations"],
        &["staff"],
    ),
    (
        "amara@liaison.example",
        "Amara Okafor",
        "NG",
        "Lagos",
        "independent",
        &["en", "yo"],
        &["operations", "speaking"],
        &[],
    ),
    (
        "lucia@liaison.example",
        "Lucía Fernández",
        "AR",
        "Buenos Aires",
        "Acme Cloud",
        &["es", "pt", "en"],
        &["translation", "mentoring"],
        &[],
    ),
    (
        "kenji@liaison.example",
        "Kenji Watanabe",
        "JP",
        "Tokyo",
        "independent",
        &["ja", "en"],
        &["speaking", "documentation"],
        &[],
    ),
    (
        "marie@liaison.example",
        "Marie Dubois",
        "FR",
        "Lyon",
        "Acme Cloud",
        &["fr", "en"],
        &["translation"],
        &[],
    ),
    (
        "priya@liaison.example",
        "Priya Raman",
        "IN",
        "Bengaluru",
        "Stackworks",
        &["en", "ta", "hi"],
        &["operations", "mentoring"],
        &[],
    ),
    (
        "jonas@liaison.example",
        "Jonas Berg",
        "SE",
        "Stockholm",
        "independent",
        &["sv", "en"],
        &["operations"],
        &[],
    ),
    (
        "ana@liaison.example",
        "Ana Souza",
        "BR",
        "São Paulo",
        "Stackworks",
        &["pt", "en"],
        &["speaking", "translation"],
        &[],
    ),
];

/// Loads a small realistic data set; running it again changes nothing.
pub async fn seed_demo(
    db: &DatabaseConnection,
    settings: &Settings,
) -> Result<(usize, usize), CommandError> {
    let txn = db.begin().await?;
    let mut regions_created = 0;
    for (slug, name, countries, seats) in DEMO_REGIONS {
        if regions::find_by_slug(&txn, slug, false).await?.is_some() {
            continue;
        }
        let countries: Vec<String> = countries.iter().map(|c| (*c).to_owned()).collect();
        let spec =
            RegionSpec::parse(slug, name, &countries, *seats).map_err(CommandError::Invalid)?;
        let codes: Vec<String> = spec
            .countries
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect();
        let region = regions::insert(
            &txn,
            spec.slug.as_str(),
            &spec.name,
            spec.ambassador_seats,
            &codes,
        )
        .await?;
        audit::record(
            &txn,
            &system(),
            AuditEvent::new(
                "region.created",
                "region",
                region.id,
                json!({"slug": slug, "by": "seed-demo"}),
            ),
        )
        .await?;
        regions_created += 1;
    }
    let password_hash = one_worker(settings)?.hash(DEMO_PASSWORD.to_owned()).await?;
    let mut members_created = 0;
    for (email, name, country, city, affiliation, languages, skills, roles) in DEMO_MEMBERS {
        if members::find_by_email(&txn, email).await?.is_some() {
            continue;
        }
        let member = members::insert(
            &txn,
            NewMember {
                email: (*email).to_owned(),
                password_hash: password_hash.clone(),
                display_name: (*name).to_owned(),
                country: Some((*country).to_owned()),
                roles: roles.iter().map(|r| (*r).to_owned()).collect(),
                verified: true,
            },
        )
        .await?;
        let member = members::update_profile(
            &txn,
            member,
            ProfileChanges {
                city: Some(Some((*city).to_owned())),
                affiliation: Some(Some((*affiliation).to_owned())),
                languages: Some(languages.iter().map(|l| (*l).to_owned()).collect()),
                skills: Some(skills.iter().map(|s| (*s).to_owned()).collect()),
                ..Default::default()
            },
        )
        .await?;
        audit::record(
            &txn,
            &system(),
            AuditEvent::new(
                "member.registered",
                "member",
                member.id,
                json!({"by": "seed-demo"}),
            ),
        )
        .await?;
        members_created += 1;
    }
    seed_recognition(&txn).await?;
    txn.commit().await?;
    Ok((regions_created, members_created))
}

/// The demo summit's name: seeding it again is a no-op.
const DEMO_SUMMIT: &str = "Community Summit 2027";

/// The demo summit and contributions: some members eligible for `acc` or
/// `aoc`, some short of it, one with a claim still pending.
async fn seed_recognition(txn: &impl ConnectionTrait) -> Result<(), CommandError> {
    if liaison_persistence::summits::named(txn, DEMO_SUMMIT).await? {
        return Ok(());
    }
    let offered = |program: &str, quota| OfferedProgram {
        program: program.into(),
        rules_version: 1,
        quota,
    };
    let spec = SummitSpec {
        name: DEMO_SUMMIT.into(),
        city: "Lisbon".into(),
        starts_on: chrono::NaiveDate::from_ymd_opt(2027, 5, 10).unwrap_or_default(),
        ends_on: chrono::NaiveDate::from_ymd_opt(2027, 5, 12).unwrap_or_default(),
        eligibility_cutoff: chrono::Utc::now().date_naive(),
        programs: vec![offered("acc", 3), offered("aoc", 2)],
    };
    let summit = liaison_persistence::summits::insert(txn, &spec).await?;
    // (email, kind, how many, status): one row per month going back.
    let plan = [
        (
            "amara@liaison.example",
            "event_organized",
            12,
            ContributionStatus::Verified,
        ),
        (
            "lucia@liaison.example",
            "localization",
            5,
            ContributionStatus::Verified,
        ),
        (
            "ana@liaison.example",
            "talk_given",
            4,
            ContributionStatus::Verified,
        ),
        (
            "priya@liaison.example",
            "ops_meetup_moderated",
            4,
            ContributionStatus::Verified,
        ),
        (
            "jonas@liaison.example",
            "question_answered",
            6,
            ContributionStatus::Verified,
        ),
        (
            "kenji@liaison.example",
            "talk_given",
            2,
            ContributionStatus::Verified,
        ),
        (
            "kenji@liaison.example",
            "documentation",
            1,
            ContributionStatus::Pending,
        ),
    ];
    liaison_persistence::contributions::seed_monthly(txn, &plan).await?;
    audit::record(
        txn,
        &system(),
        AuditEvent::new(
            "summit.created",
            "summit",
            summit,
            json!({"by": "seed-demo"}),
        ),
    )
    .await?;
    Ok(())
}

/// Loads the large data set (`crates/api/sql/seed-large.sql`: 100,000
/// members, 20 regions, 2,000 groups, 50,000 events, 200,000 feedback items,
/// 1,000,000 contributions), deterministic, in one transaction; `false`
/// when it is there already.
pub async fn seed_large(db: &DatabaseConnection) -> Result<bool, CommandError> {
    let txn = db.begin().await?;
    let present = txn
        .query_one(sea_orm::Statement::from_string(
            txn.get_database_backend(),
            "SELECT 1 AS n FROM regions WHERE slug = 'scale-is'",
        ))
        .await?
        .is_some();
    if present {
        return Ok(false);
    }
    // Bulk statements run longer than a request's.
    txn.execute_unprepared("SET LOCAL statement_timeout = 0")
        .await?;
    txn.execute_unprepared(include_str!("../sql/seed-large.sql"))
        .await?;
    txn.commit().await?;
    // Statistics for the planner, and the visibility map that lets
    // eligibility read its index alone (autovacuum would, later).
    db.execute_unprepared("VACUUM ANALYZE").await?;
    Ok(true)
}
