use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde_json::json;

use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_domain::message::{
    canonical_language, check_expiry, parse_languages, parse_link, Audience, MessageText,
};
use liaison_domain::policy::{may_publish_messages, may_publish_to};
use liaison_domain::values::Slug;
use liaison_domain::webhook::WebhookEvent;
use liaison_domain::FieldError;
use liaison_persistence::messages::{self, NewMessage};
use liaison_persistence::webhooks::{Published, Regions};

use super::json::{AudienceDto, CreateMessage, MessageView};
use super::render;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::{Begun, Command, Key};
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Publishes a key message to the user groups (staff; an active ambassador to the regions they serve,
/// never `all`). The body is Markdown, stored exactly as sent and never rendered to HTML by the server.
/// Needs an `Idempotency-Key`.
#[utoipa::path(
    tag = "key messages",
    security(("bearer" = [])),
    request_body = CreateMessage,
    params(("Idempotency-Key" = String, Header, description = "Required: replays the first response for 24 h")),
    responses(
        (status = 201, description = "Published; `Location` names it", body = MessageView),
        (status = 400, description = "No `Idempotency-Key`"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Neither staff nor an active ambassador; an ambassador naming a region they do not serve, or `all`"),
        (status = 422, description = "Invalid fields: title, body, link, language, an unknown region (`audience[i]`), expires_at in the past, languages[i]")
    )
)]
#[post("/messages")]
pub async fn create_message(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    body: Json<CreateMessage>,
) -> Result<HttpResponse, ApiError> {
    caller.permit(
        may_publish_messages(&caller.actor),
        "only staff and active ambassadors publish key messages",
    )?;
    let me = caller.member()?.id;
    let mut errors = Errors::new();
    let text = errors.take(MessageText::parse(&body.title, &body.body));
    let link = body
        .link
        .as_deref()
        .and_then(|l| errors.take(parse_link(l)));
    let language = body
        .language
        .as_deref()
        .and_then(|l| errors.take(canonical_language("language", l)));
    let audience = match &body.audience {
        AudienceDto::All(_) => Some(Audience::All),
        AudienceDto::Regions(raw) => errors.take(Audience::regions(raw)),
    };
    if let Some(at) = body.expires_at {
        errors.take(check_expiry(at, Utc::now()));
    }
    let languages = errors.take(parse_languages(&body.languages));
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Required).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    // Unknown regions are named even when another entry is malformed.
    let region_ids = match &body.audience {
        AudienceDto::Regions(raw) => {
            let wanted: Vec<String> = raw
                .iter()
                .filter(|s| Slug::parse("audience", s).is_ok())
                .cloned()
                .collect();
            let found = messages::region_ids(txn, wanted).await?;
            for (i, slug) in raw.iter().enumerate() {
                let known = found.iter().any(|r| &r.slug == slug);
                if !known && Slug::parse("audience", slug).is_ok() {
                    errors.push(FieldError::new(
                        format!("audience[{i}]"),
                        "unknown_region",
                        format!("no region `{slug}`"),
                    ));
                }
            }
            let mut ids: Vec<_> = found.into_iter().map(|r| r.id).collect();
            ids.sort();
            Some(ids)
        }
        AudienceDto::All(_) => None,
    };
    errors.finish()?;
    caller.permit(
        may_publish_to(&caller.actor, region_ids.as_deref()),
        "an ambassador publishes only to the regions they serve; `all` is for staff",
    )?;
    let (Some(text), Some(_), Some(languages)) = (text, audience, languages) else {
        return Err(ApiError::Internal("checked message lost".into()));
    };
    let told_regions = match &region_ids {
        Some(ids) => Regions::These(ids.clone()),
        None => Regions::Every,
    };
    let id = messages::insert(
        txn,
        NewMessage {
            author_id: me,
            title: text.title,
            body: text.body,
            link,
            language,
            region_ids,
            expires_at: body.expires_at,
            languages,
        },
    )
    .await?;
    let message = messages::find(txn, id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    cmd.audit(AuditEvent::new(
        "message.published",
        "message",
        id,
        json!({"audience": body.audience, "title": message.title}),
    ))
    .await?;
    let told = Published {
        group_id: None,
        regions: told_regions,
        data: json!({"message_id": id, "title": message.title, "link": message.link, "language": message.language,
                     "audience": body.audience, "expires_at": message.expires_at}),
    };
    cmd.publish(WebhookEvent::MessagePublished, &[told]).await?;
    let view = render::single(txn, &caller, None, message).await?;
    cmd.finish(Reply::created(&view, format!("/v1/messages/{id}"))?)
        .await
}
