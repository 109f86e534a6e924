//! Members' profiles and roles. Email and roles are private: the member and
//! staff see them. A private profile is invisible (404) to everyone else.

use actix_web::{get, patch, put, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use validator::Validate;

use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_domain::member::{parse_languages, parse_roles, parse_skills};
use liaison_domain::policy::{can, Action, Resource};
use liaison_domain::values::CountryCode;
use liaison_domain::Invalid;
use liaison_persistence::audit;
use liaison_persistence::members::{self, Member, ProfileChanges};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::screen::Json;
use crate::http::{etag, reply, validate};
use crate::routes::double_option;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_me)
        .service(patch_me)
        .service(get_member)
        .service(set_member_roles);
}

/// A member's profile. `email` and `roles` appear only for the member and staff.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "display_name": "Ada Lovelace", "country": "GB", "city": "London",
    "affiliation": "independent", "bio": "Runs the London operators meetup.", "languages": ["en", "fr"],
    "skills": ["operations", "speaking"], "profile_public": true, "created_at": "2026-11-23T10:00:00Z",
    "email": "ada@example.org", "roles": []
}))]
pub struct MemberView {
    pub id: Uuid,
    pub display_name: String,
    pub country: Option<String>,
    pub city: Option<String>,
    /// Company, or `independent`.
    pub affiliation: Option<String>,
    pub bio: Option<String>,
    /// BCP 47 tags.
    pub languages: Vec<String>,
    pub skills: Vec<String>,
    pub profile_public: bool,
    pub created_at: DateTime<Utc>,
    /// Private: the member and staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Private: the member and staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<String>>,
}

impl MemberView {
    /// The public view.
    pub fn public(m: &Member) -> Self {
        Self {
            id: m.id,
            display_name: m.display_name.clone(),
            country: m.country.clone(),
            city: m.city.clone(),
            affiliation: m.affiliation.clone(),
            bio: m.bio.clone(),
            languages: m.languages.clone(),
            skills: m.skills.clone(),
            profile_public: m.profile_public,
            created_at: m.created_at,
            email: None,
            roles: None,
        }
    }

    /// The view with private fields.
    pub fn private(m: &Member) -> Self {
        Self {
            email: Some(m.email.clone()),
            roles: Some(m.roles.clone()),
            ..Self::public(m)
        }
    }

    fn for_caller(m: &Member, caller: &Caller) -> Self {
        let resource = Resource::Member {
            id: m.id,
            profile_public: m.profile_public,
        };
        if can(&caller.actor, Action::ReadPrivate, resource) {
            Self::private(m)
        } else {
            Self::public(m)
        }
    }
}

/// The caller's own profile.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Own profile, with private fields and an ETag", body = MemberView),
        (status = 401, description = "Not signed in")
    )
)]
#[get("/me")]
pub async fn get_me(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?;
    let member = members::find(&state.db, me.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    reply::resource(&MemberView::private(&member))
}

/// Changes to one's profile; absent fields stay, `null` clears.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema, Validate)]
#[schema(example = json!({"city": "Lyon", "languages": ["fr", "en"], "skills": ["translation"], "profile_public": true}))]
pub struct ProfilePatch {
    /// 1–100 characters (after trimming).
    pub display_name: Option<String>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>)]
    pub country: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>)]
    pub city: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>)]
    pub affiliation: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>)]
    pub bio: Option<Option<String>>,
    pub languages: Option<Vec<String>>,
    pub skills: Option<Vec<String>>,
    pub profile_public: Option<bool>,
}

fn bounded(
    field: &str,
    value: &Option<Option<String>>,
    max: usize,
    errors: &mut Errors,
) -> Option<Option<String>> {
    match value {
        None => None,
        Some(None) => Some(None),
        Some(Some(text)) => {
            let trimmed = text.trim();
            if trimmed.chars().count() > max {
                errors.push(liaison_domain::FieldError::new(
                    field,
                    "length",
                    format!("at most {max} characters"),
                ));
                None
            } else if trimmed.is_empty() {
                Some(None)
            } else {
                Some(Some(trimmed.to_owned()))
            }
        }
    }
}

fn parse_patch(patch: &ProfilePatch) -> Result<ProfileChanges, Invalid> {
    let mut errors = Errors::new();
    for e in validate::field_errors(patch) {
        errors.push(e);
    }
    let country = match &patch.country {
        None => None,
        Some(None) => Some(None),
        Some(Some(c)) => errors
            .take(CountryCode::parse("country", c))
            .map(|c| Some(c.as_str().to_owned())),
    };
    let changes = ProfileChanges {
        display_name: patch
            .display_name
            .as_deref()
            .and_then(|n| errors.take(liaison_domain::values::text_len("display_name", n, 1, 100))),
        country,
        city: bounded("city", &patch.city, 100, &mut errors),
        affiliation: bounded("affiliation", &patch.affiliation, 100, &mut errors),
        bio: bounded("bio", &patch.bio, 2000, &mut errors),
        languages: patch
            .languages
            .as_deref()
            .and_then(|l| errors.take(parse_languages(l))),
        skills: patch
            .skills
            .as_deref()
            .and_then(|s| errors.take(parse_skills(s))),
        profile_public: patch.profile_public,
    };
    errors.finish()?;
    Ok(changes)
}

/// Changes one's profile. Honours `If-Match` with the `ETag` of `GET /v1/me`.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    request_body = ProfilePatch,
    params(("If-Match" = Option<String>, Header, description = "ETag of the profile as last read")),
    responses(
        (status = 200, description = "The changed profile", body = MemberView),
        (status = 401, description = "Not signed in"),
        (status = 412, description = "The profile changed since it was read"),
        (status = 422, description = "Invalid fields")
    )
)]
#[patch("/me")]
pub async fn patch_me(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    body: Json<ProfilePatch>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?;
    let changes = parse_patch(&body)?;
    let txn = state.db.begin().await?;
    let member = members::find_for_update(&txn, me.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    etag::check_if_match(&req, &etag::of_value(&MemberView::private(&member))?)?;
    let updated = members::update_profile(&txn, member, changes).await?;
    audit::record(
        &txn,
        &caller.audit(),
        AuditEvent::new(
            "member.profile_updated",
            "member",
            updated.id,
            serde_json::to_value(&*body).unwrap_or_default(),
        ),
    )
    .await?;
    txn.commit().await?;
    reply::resource(&MemberView::private(&updated))
}

/// A member's profile: public fields for everyone, private ones for the member and staff.
#[utoipa::path(
    tag = "accounts",
    params(("id" = Uuid, Path, description = "Member id")),
    responses(
        (status = 200, description = "The profile", body = MemberView),
        (status = 404, description = "No such member, or the profile is private")
    )
)]
#[get("/members/{id}")]
pub async fn get_member(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let member = members::find(&state.db, *id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let resource = Resource::Member {
        id: member.id,
        profile_public: member.profile_public,
    };
    if !can(&caller.actor, Action::Read, resource) {
        return Err(ApiError::NotFound);
    }
    reply::resource(&MemberView::for_caller(&member, &caller))
}

/// The roles to give a member (replacing the current ones).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"roles": ["staff"]}))]
pub struct RolesRequest {
    /// `staff` and/or `admin`.
    pub roles: Vec<String>,
}

/// Sets a member's roles (admins only). The last admin cannot lose the role.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    request_body = RolesRequest,
    params(("id" = Uuid, Path, description = "Member id")),
    responses(
        (status = 200, description = "The member with their new roles", body = MemberView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not an admin"),
        (status = 404, description = "No such member"),
        (status = 409, description = "It would leave no admin (`last_admin`)"),
        (status = 422, description = "Unknown role")
    )
)]
#[put("/members/{id}/roles")]
pub async fn set_member_roles(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<RolesRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    if !can(&caller.actor, Action::Update, Resource::MemberRoles) {
        return Err(ApiError::forbidden("only admins assign roles"));
    }
    let roles: Vec<String> = parse_roles(&body.roles)?
        .into_iter()
        .map(|r| r.as_str().to_owned())
        .collect();
    let txn = state.db.begin().await?;
    // Serialise role changes so two admins demoting each other cannot both succeed.
    txn.execute(Statement::from_string(
        DbBackend::Postgres,
        "SELECT pg_advisory_xact_lock(hashtext('liaison:member_roles'))",
    ))
    .await?;
    let member = members::find_for_update(&txn, *id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let was_admin = member.roles.iter().any(|r| r == "admin");
    if was_admin && !roles.iter().any(|r| r == "admin") {
        let admins = txn
            .query_one(Statement::from_string(
                DbBackend::Postgres,
                "SELECT count(*)::bigint AS n FROM members WHERE 'admin' = ANY(roles)",
            ))
            .await?
            .and_then(|row| row.try_get::<i64>("", "n").ok())
            .unwrap_or(0);
        if admins <= 1 {
            return Err(ApiError::conflict(
                "last_admin",
                "this is the last admin; make another admin first",
            ));
        }
    }
    let before = member.roles.clone();
    let updated = members::set_roles(&txn, member, roles.clone()).await?;
    audit::record(
        &txn,
        &caller.audit(),
        AuditEvent::new(
            "member.roles_changed",
            "member",
            updated.id,
            json!({"from": before, "to": roles}),
        ),
    )
    .await?;
    txn.commit().await?;
    reply::resource(&MemberView::private(&updated))
}
