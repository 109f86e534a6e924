//! The mail a pass holder gets: every issuer (bulk, manual, appeal) queues
//! it through here, so the code reaches its member whichever way it came.

use serde_json::json;
use uuid::Uuid;

use liaison_domain::webhook::WebhookEvent;
use liaison_persistence::passes::Pass;
use liaison_persistence::webhooks::{Published, Regions};

use crate::error::ApiError;
use crate::http::command::Command;

/// Queues the code mail of every pass (one row for them all, expanded
/// into a mail each after the commit, with what the holder needs to know of
/// the summit) and tells the webhook subscriptions.
pub(crate) async fn mail_issued(cmd: &Command<'_>, passes: &[Pass]) -> Result<(), ApiError> {
    if passes.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = passes.iter().map(|p| p.id).collect();
    cmd.mail_pass_codes(&ids).await?;
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
