//! Messages as a reader gets them: in the language `Accept-Language`
//! chooses among the original and the accepted translations (one query for
//! every message of a page), with `Content-Language` and
//! `Vary: Accept-Language` so that caches keep one copy per language.

use std::collections::HashMap;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use liaison_domain::message::negotiate;
use liaison_domain::policy::may_manage_message;
use liaison_persistence::messages::{self, Message, Translation};

use super::json::{AllRegions, AudienceDto, MessageView, RegionAcknowledgementsView};
use crate::auth::Caller;
use crate::error::ApiError;

/// The request's `Accept-Language`, if it is text.
pub fn accept_language(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
}

/// `m` in the language `wanted` chooses among its original and `accepted`.
fn view(m: Message, accepted: &[Translation], wanted: Option<&str>) -> MessageView {
    let mut held: Vec<&str> = m.language.as_deref().into_iter().collect();
    held.extend(accepted.iter().map(|t| t.language.as_str()));
    let chosen = negotiate(wanted, &held)
        .and_then(|language| accepted.iter().find(|t| t.language == language));
    let (title, body, language, translation_id) = match chosen {
        Some(t) => (
            t.title.clone(),
            t.body.clone(),
            Some(t.language.clone()),
            Some(t.id),
        ),
        None => (m.title, m.body, m.language.clone(), None),
    };
    MessageView {
        id: m.id,
        author_id: m.author_id,
        title,
        body,
        link: m.link,
        audience: if m.audience_all {
            AudienceDto::All(AllRegions::All)
        } else {
            AudienceDto::Regions(m.regions)
        },
        language,
        original_language: m.language,
        translation_id,
        available_languages: accepted.iter().map(|t| t.language.clone()).collect(),
        languages: m.languages,
        expires_at: m.expires_at,
        active: m.active,
        created_at: m.created_at,
        updated_at: m.updated_at,
        acknowledgements: None,
    }
}

/// Each message in the reader's language, in order; the accepted
/// translations of all of them are read in one query.
pub async fn views(
    db: &impl ConnectionTrait,
    wanted: Option<&str>,
    rows: Vec<Message>,
) -> Result<Vec<MessageView>, ApiError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut by_message: HashMap<Uuid, Vec<Translation>> = HashMap::new();
    for t in messages::accepted(db, rows.iter().map(|m| m.id).collect()).await? {
        by_message.entry(t.message_id).or_default().push(t);
    }
    Ok(rows
        .into_iter()
        .map(|m| {
            let accepted = by_message.remove(&m.id).unwrap_or_default();
            view(m, &accepted, wanted)
        })
        .collect())
}

/// One message as `caller` reads it: in their language, with the
/// acknowledgements per targeted region for its author and staff.
pub async fn single(
    db: &impl ConnectionTrait,
    caller: &Caller,
    wanted: Option<&str>,
    m: Message,
) -> Result<MessageView, ApiError> {
    let manages = may_manage_message(&caller.actor, m.author_id);
    let id = m.id;
    let mut view = views(db, wanted, vec![m])
        .await?
        .pop()
        .ok_or(ApiError::NotFound)?;
    if manages {
        let acks = messages::acknowledgements(db, id).await?;
        view.acknowledgements = Some(
            acks.into_iter()
                .map(RegionAcknowledgementsView::from)
                .collect(),
        );
    }
    Ok(view)
}

/// Adds `Vary: Accept-Language` and, when known, `Content-Language`.
pub fn with_language(mut response: HttpResponse, language: Option<&str>) -> HttpResponse {
    let headers = response.headers_mut();
    headers.append(header::VARY, HeaderValue::from_static("Accept-Language"));
    if let Some(value) = language.and_then(|l| HeaderValue::from_str(l).ok()) {
        headers.insert(header::CONTENT_LANGUAGE, value);
    }
    response
}
