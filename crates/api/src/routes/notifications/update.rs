use actix_web::{patch, web, HttpResponse};
use serde_json::json;

use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_domain::outbox::Topic;
use liaison_domain::FieldError;
use liaison_persistence::outbox;

use super::json::{NotificationsPatch, NotificationsView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Turns optional mails on or off (the member). A mail that always goes
/// (`pass.issued`) or an unknown name is a 422 naming `mail.<name>`.
#[utoipa::path(
    tag = "members",
    security(("bearer" = [])),
    request_body = NotificationsPatch,
    responses(
        (status = 200, description = "The choices now", body = NotificationsView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "An API key (choices are a member's)"),
        (status = 422, description = "A mail that cannot be turned off (`always_sent`) or no such mail (`unknown_mail`)")
    )
)]
#[patch("/me/notifications")]
pub async fn update_my_notifications(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<NotificationsPatch>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?.id;
    let mut errors = Errors::new();
    let mut changes = Vec::new();
    for (name, on) in &body.mail {
        match name.parse::<Topic>() {
            Ok(topic) if topic.is_optional() => changes.push((topic, *on)),
            Ok(_) => errors.push(FieldError::new(
                format!("mail.{name}"),
                "always_sent",
                "this mail always goes",
            )),
            Err(_) => errors.push(FieldError::new(
                format!("mail.{name}"),
                "unknown_mail",
                format!("no mail `{name}`; see GET /v1/me/notifications"),
            )),
        }
    }
    errors.finish()?;
    let cmd = Command::open(&state.db, &caller).await?;
    let mut off = outbox::mail_off(cmd.txn(), me).await?;
    for (topic, on) in changes {
        off.retain(|t| *t != topic);
        if !on {
            off.push(topic);
        }
    }
    off.sort_by_key(|t| t.as_str());
    outbox::set_mail_off(cmd.txn(), me, &off).await?;
    cmd.audit(AuditEvent::new(
        "member.notifications_changed",
        "member",
        me,
        json!({"off": off.iter().map(|t| t.as_str()).collect::<Vec<_>>()}),
    ))
    .await?;
    cmd.finish(Reply::ok(&NotificationsView::of(&off))?).await
}
