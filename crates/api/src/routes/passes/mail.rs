//! The mail a pass holder gets: every issuer (bulk, manual, appeal) queues
//! it through here, so the code reaches its member whichever way it came.

use serde_json::json;
use uuid::Uuid;

use liaison_domain::outbox::Topic;
use liaison_domain::webhook::WebhookEvent;
use liaison_persistence::passes::Pass;
use liaison_persistence::webhooks::{Published, Regions};
use liaison_persistence::{recognition_programs, summits};

use crate::error::ApiError;
use crate::http::command::Command;

/// Queues one `pass.issued` mail per pass (all of one summit and programme),
/// with the code and what the holder needs to know of the summit.
pub(crate) async fn mail_issued(
    cmd: &Command<'_>,
    summit: Uuid,
    program: &str,
    passes: &[Pass],
) -> Result<(), ApiError> {
    if passes.is_empty() {
        return Ok(());
    }
    let s = summits::find(cmd.txn(), summit)
        .await?
        .ok_or(ApiError::NotFound)?;
    let program_name = recognition_programs::find(cmd.txn(), program, false)
        .await?
        .map_or_else(|| program.to_owned(), |p| p.name);
    let mails: Vec<(Uuid, serde_json::Value)> = passes
        .iter()
        .map(|p| {
            (
                p.member_id,
                json!({"pass_id": p.id, "code": p.code.to_string(), "summit": s.name, "city": s.city,
                       "starts_on": s.starts_on, "ends_on": s.ends_on, "program": program,
                       "program_name": program_name}),
            )
        })
        .collect();
    cmd.mail(Topic::PassIssued, &mails).await?;
    publish(cmd, WebhookEvent::PassIssued, passes).await
}

/// Tells the webhook subscriptions of `event` about each pass (never its
/// code: a webhook is no place for a secret of the member's).
pub(crate) async fn publish(
    cmd: &Command<'_>,
    event: WebhookEvent,
    passes: &[Pass],
) -> Result<(), ApiError> {
    let items: Vec<Published> = passes
        .iter()
        .map(|p| Published {
            group_id: None,
            regions: Regions::OfGroup,
            data: json!({"pass_id": p.id, "summit_id": p.summit_id, "program": p.program,
                         "member_id": p.member_id, "status": p.status, "origin": p.origin,
                         "issued_at": p.issued_at, "redeemed_at": p.redeemed_at, "revoked_at": p.revoked_at}),
        })
        .collect();
    cmd.publish(event, &items).await
}
