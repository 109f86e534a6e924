use actix_web::{patch, web, HttpRequest, HttpResponse};

use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_domain::member::{parse_languages, parse_skills};
use liaison_domain::values::CountryCode;
use liaison_domain::Invalid;
use liaison_persistence::members::{self, ProfileChanges};

use super::json::{MemberView, ProfilePatch};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::http::{etag, validate};
use crate::state::AppState;

pub(crate) fn bounded(
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

pub(crate) fn parse_patch(patch: &ProfilePatch) -> Result<ProfileChanges, Invalid> {
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
    let cmd = Command::open(&state.db, &caller).await?;
    let member = members::find_for_update(cmd.txn(), me.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    etag::check_if_match(&req, &etag::of_value(&MemberView::private(&member))?)?;
    let updated = members::update_profile(cmd.txn(), member, changes).await?;
    cmd.audit(AuditEvent::new(
        "member.profile_updated",
        "member",
        updated.id,
        serde_json::to_value(&*body).unwrap_or_default(),
    ))
    .await?;
    cmd.finish(Reply::ok(&MemberView::private(&updated))?).await
}
