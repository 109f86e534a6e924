//! Contribution kinds and recognition programmes with their versioned,
//! public, immutable rules.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use liaison_domain::audit::AuditEvent;
use liaison_domain::recognition::Rules;
use liaison_domain::values::{text_len, Slug};
use liaison_domain::{error::Errors, FieldError};
use liaison_persistence::recognition::{self, RuleKind, RuleVersion};

use crate::auth::Caller;
use crate::error::{ApiError, OnConstraint};
use crate::http::command::{Begun, Command, Key};
use crate::http::reply::{self, Reply};
use crate::http::screen::Json;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_kinds)
        .service(create_kind)
        .service(list_programs)
        .service(create_program)
        .service(get_program)
        .service(publish_rules);
}

/// A contribution kind.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"slug": "talk_given", "name": "Talk given", "description": "Spoke at a meetup, summit or conference"}))]
pub struct KindView {
    /// `[a-z][a-z0-9_]{1,63}`.
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// Every contribution kind.
#[utoipa::path(tag = "recognition", responses((status = 200, description = "Kinds by slug", body = Vec<KindView>)))]
#[get("/contribution-kinds")]
pub async fn list_kinds(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let kinds: Vec<KindView> = recognition::kinds(&state.db)
        .await?
        .into_iter()
        .map(|k| KindView {
            slug: k.slug,
            name: k.name,
            description: k.description,
        })
        .collect();
    reply::list(&kinds)
}

/// Adds a contribution kind (staff).
#[utoipa::path(
    tag = "recognition",
    security(("bearer" = [])),
    request_body = KindView,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h")),
    responses(
        (status = 201, description = "Added", body = KindView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
        (status = 409, description = "Slug taken (`already_exists`)"),
        (status = 422, description = "Invalid fields")
    )
)]
#[post("/contribution-kinds")]
pub async fn create_kind(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    body: Json<KindView>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff("add contribution kinds")?;
    let mut errors = Errors::new();
    let slug_ok = body.slug.len() >= 2
        && body.slug.len() <= 64
        && body.slug.starts_with(|c: char| c.is_ascii_lowercase())
        && body
            .slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !slug_ok {
        errors.push(FieldError::new(
            "slug",
            "invalid_slug",
            "2–64 characters of a-z, 0-9 and '_', starting with a letter",
        ));
    }
    let name = errors.take(text_len("name", &body.name, 2, 100));
    let description = errors.take(text_len("description", &body.description, 0, 1000));
    errors.finish()?;
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    let (name, description) = (name.unwrap_or_default(), description.unwrap_or_default());
    recognition::insert_kind(txn, &body.slug, &name, &description)
        .await
        .on_constraint("contribution_kinds_pkey", || {
            ApiError::conflict("already_exists", "a kind with this slug exists")
        })?;
    cmd.audit(AuditEvent::new(
        "contribution_kind.created",
        "contribution_kind",
        &body.slug,
        json!({"name": name}),
    ))
    .await?;
    let view = KindView {
        slug: body.slug.clone(),
        name,
        description,
    };
    cmd.finish(Reply::created(&view, "/v1/contribution-kinds".into())?)
        .await
}

/// Points of one kind in a rules version.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct KindPoints {
    pub kind: String,
    /// Points per counted contribution.
    pub points: i32,
    /// How many of the most recent contributions of this kind count.
    pub max_count: i32,
}

/// A published rules version (immutable).
#[derive(Debug, Serialize, ToSchema)]
pub struct RulesView {
    pub version: i32,
    pub window_days: i32,
    pub threshold_points: i32,
    pub kinds: Vec<KindPoints>,
    pub published_at: DateTime<Utc>,
}

/// A programme with all its rules versions.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "slug": "acc", "name": "Active Community Contributor", "description": "For people who build the community",
    "current_version": 1,
    "rules": [{"version": 1, "window_days": 365, "threshold_points": 10, "published_at": "2026-11-23T10:00:00Z",
               "kinds": [{"kind": "event_organized", "points": 2, "max_count": 12}, {"kind": "talk_given", "points": 3, "max_count": 4}]}]
}))]
pub struct ProgramView {
    pub slug: String,
    pub name: String,
    pub description: String,
    /// The newest version; summits keep the version they were created with.
    pub current_version: Option<i32>,
    pub rules: Vec<RulesView>,
}

pub(crate) fn render_rules(
    program: &str,
    versions: &[RuleVersion],
    kinds: &[RuleKind],
) -> Vec<RulesView> {
    versions
        .iter()
        .filter(|v| v.program == program)
        .map(|v| RulesView {
            version: v.version,
            window_days: v.window_days,
            threshold_points: v.threshold_points,
            published_at: v.published_at,
            kinds: kinds
                .iter()
                .filter(|k| k.program == program && k.version == v.version)
                .map(|k| KindPoints {
                    kind: k.kind.clone(),
                    points: k.points,
                    max_count: k.max_count,
                })
                .collect(),
        })
        .collect()
}

/// Every programme with its rules versions.
#[utoipa::path(tag = "recognition", responses((status = 200, description = "Programmes by slug", body = Vec<ProgramView>)))]
#[get("/recognition-programs")]
pub async fn list_programs(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let programs = recognition::programs(&state.db).await?;
    let (versions, kinds) = recognition::rules(&state.db, None).await?;
    let views: Vec<ProgramView> = programs
        .into_iter()
        .map(|p| {
            let rules = render_rules(&p.slug, &versions, &kinds);
            ProgramView {
                current_version: rules.last().map(|r| r.version),
                slug: p.slug,
                name: p.name,
                description: p.description,
                rules,
            }
        })
        .collect();
    reply::list(&views)
}

async fn program_view(
    db: &impl sea_orm::ConnectionTrait,
    slug: &str,
) -> Result<ProgramView, ApiError> {
    let p = recognition::program(db, slug, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let (versions, kinds) = recognition::rules(db, Some(vec![p.slug.clone()])).await?;
    let rules = render_rules(&p.slug, &versions, &kinds);
    Ok(ProgramView {
        current_version: rules.last().map(|r| r.version),
        slug: p.slug,
        name: p.name,
        description: p.description,
        rules,
    })
}

/// One programme with all its rules versions.
#[utoipa::path(
    tag = "recognition",
    params(("slug" = String, Path, description = "Programme slug, e.g. `acc`")),
    responses(
        (status = 200, description = "The programme", body = ProgramView),
        (status = 404, description = "No such programme")
    )
)]
#[get("/recognition-programs/{slug}")]
pub async fn get_program(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    reply::resource(&program_view(&state.db, &slug).await?)
}

/// Rules to publish as a new version.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"window_days": 365, "threshold_points": 10,
  "kinds": [{"kind": "event_organized", "points": 2, "max_count": 12}, {"kind": "talk_given", "points": 3, "max_count": 4}]}))]
pub struct RulesInput {
    pub window_days: i32,
    pub threshold_points: i32,
    pub kinds: Vec<KindPoints>,
}

/// A programme to create, with its first rules version.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"slug": "amc", "name": "Active Mentor Contributor", "description": "For mentors",
  "rules": {"window_days": 365, "threshold_points": 6, "kinds": [{"kind": "mentoring", "points": 2, "max_count": 6}]}}))]
pub struct CreateProgram {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub rules: RulesInput,
}

async fn check_rules(
    db: &impl sea_orm::ConnectionTrait,
    input: &RulesInput,
    prefix: &str,
    errors: &mut Errors,
) -> Result<(), ApiError> {
    let known: Vec<String> = recognition::kinds(db)
        .await?
        .into_iter()
        .map(|k| k.slug)
        .collect();
    let kinds: Vec<(String, i32, i32)> = input
        .kinds
        .iter()
        .map(|k| (k.kind.clone(), k.points, k.max_count))
        .collect();
    if let Err(liaison_domain::Invalid(list)) =
        Rules::parse(input.window_days, input.threshold_points, &kinds, &known)
    {
        for e in list {
            errors.push(FieldError {
                field: format!("{prefix}{}", e.field),
                ..e
            });
        }
    }
    Ok(())
}

/// Creates a programme with its first rules version (staff).
#[utoipa::path(
    tag = "recognition",
    security(("bearer" = [])),
    request_body = CreateProgram,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h")),
    responses(
        (status = 201, description = "Created", body = ProgramView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
        (status = 409, description = "Slug taken (`already_exists`)"),
        (status = 422, description = "Invalid fields, unknown kinds")
    )
)]
#[post("/recognition-programs")]
pub async fn create_program(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    body: Json<CreateProgram>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff("create programmes")?;
    let mut errors = Errors::new();
    errors.take(Slug::parse("slug", &body.slug));
    let name = errors
        .take(text_len("name", &body.name, 2, 100))
        .unwrap_or_default();
    let description = errors
        .take(text_len("description", &body.description, 0, 2000))
        .unwrap_or_default();
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    check_rules(txn, &body.rules, "rules.", &mut errors).await?;
    errors.finish()?;
    recognition::insert_program(txn, &body.slug, &name, &description)
        .await
        .on_constraint("recognition_programs_pkey", || {
            ApiError::conflict("already_exists", "a programme with this slug exists")
        })?;
    let kinds: Vec<(String, i32, i32)> = body
        .rules
        .kinds
        .iter()
        .map(|k| (k.kind.clone(), k.points, k.max_count))
        .collect();
    recognition::publish_rules(
        txn,
        &body.slug,
        body.rules.window_days,
        body.rules.threshold_points,
        &kinds,
    )
    .await?;
    cmd.audit(AuditEvent::new(
        "program.created",
        "recognition_program",
        &body.slug,
        serde_json::to_value(&*body).unwrap_or_default(),
    ))
    .await?;
    let view = program_view(txn, &body.slug).await?;
    cmd.finish(Reply::created(
        &view,
        format!("/v1/recognition-programs/{}", body.slug),
    )?)
    .await
}

/// Publishes a new rules version (staff). Earlier versions never change:
/// summits keep the version they were created with.
#[utoipa::path(
    tag = "recognition",
    security(("bearer" = [])),
    request_body = RulesInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h"), ("slug" = String, Path, description = "Programme slug")),
    responses(
        (status = 201, description = "The programme with its new version", body = ProgramView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
        (status = 404, description = "No such programme"),
        (status = 422, description = "Invalid rules")
    )
)]
#[post("/recognition-programs/{slug}/rules")]
pub async fn publish_rules(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    slug: web::Path<String>,
    body: Json<RulesInput>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff("publish rules")?;
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    // Locking the programme serialises version numbers.
    recognition::program(txn, &slug, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    let mut errors = Errors::new();
    check_rules(txn, &body, "", &mut errors).await?;
    errors.finish()?;
    let kinds: Vec<(String, i32, i32)> = body
        .kinds
        .iter()
        .map(|k| (k.kind.clone(), k.points, k.max_count))
        .collect();
    let version =
        recognition::publish_rules(txn, &slug, body.window_days, body.threshold_points, &kinds)
            .await?;
    cmd.audit(AuditEvent::new(
        "program.rules_published",
        "recognition_program",
        slug.as_str(),
        json!({"version": version, "rules": &*body}),
    ))
    .await?;
    let view = program_view(txn, &slug).await?;
    cmd.finish(Reply::created(
        &view,
        format!("/v1/recognition-programs/{slug}"),
    )?)
    .await
}
