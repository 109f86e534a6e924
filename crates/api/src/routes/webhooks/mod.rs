//! Webhook subscriptions: admins subscribe a URL to event types, organizers
//! for their own groups; deliveries are signed, logged 30 days, pinged and
//! retried by hand.

mod create;
mod delete;
mod deliveries;
mod get;
pub mod json;
mod list;
mod ping;
mod retry;
mod update;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create::create_webhook)
        .service(list::list_webhooks)
        .service(get::get_webhook)
        .service(update::update_webhook)
        .service(delete::delete_webhook)
        .service(ping::ping_webhook)
        .service(deliveries::list_deliveries)
        .service(retry::retry_delivery);
}

use liaison_domain::error::Errors;
use liaison_domain::webhook::{may_manage, may_subscribe, parse_events, WebhookUrl};
use liaison_persistence::webhooks::{self, Fields, Subscription};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::auth::Caller;
use crate::error::ApiError;

/// Checks a subscription's fields (nothing is written before): a URL
/// (https unless private targets are allowed), known event types, known
/// groups (all organized by the caller unless admin: 403), a known region.
pub(crate) async fn fields(
    db: &impl ConnectionTrait,
    caller: &Caller,
    allow_private: bool,
    url: &str,
    events: &[String],
    group_ids: &[Uuid],
    region: Option<&str>,
) -> Result<Fields, ApiError> {
    let me = caller.member()?;
    let mut errors = Errors::new();
    let url = errors.take(WebhookUrl::parse("url", url, allow_private));
    let events = errors.take(parse_events(events));
    if group_ids.len() > 100 {
        errors.push(liaison_domain::FieldError::new(
            "group_ids",
            "length",
            "at most 100 groups",
        ));
    }
    let mut groups = group_ids.to_vec();
    groups.sort();
    groups.dedup();
    let known = webhooks::existing_groups(db, &groups).await?;
    for (i, g) in group_ids.iter().enumerate() {
        if !known.contains(g) {
            errors.push(liaison_domain::FieldError::new(
                format!("group_ids[{i}]"),
                "unknown_group",
                "no such group",
            ));
        }
    }
    let region_id = match region {
        None => None,
        Some(slug) => {
            let id = webhooks::region_id(db, slug).await?;
            if id.is_none() {
                errors.push(liaison_domain::FieldError::new(
                    "region",
                    "unknown_region",
                    format!("no region `{slug}`"),
                ));
            }
            id
        }
    };
    errors.finish()?;
    let organized = webhooks::organized(db, me.id, &groups).await?;
    caller.permit(
        may_subscribe(me.is_admin(), &groups, organized),
        "admins subscribe to anything; an organizer only with group_ids of groups they organize",
    )?;
    let (Some(url), Some(events)) = (url, events) else {
        return Err(ApiError::Internal("checked webhook fields lost".into()));
    };
    Ok(Fields {
        url: url.url,
        events,
        group_ids: groups,
        region_id,
    })
}

/// The subscription `id` if the caller may manage it (its owner, admins);
/// 404 otherwise, so others do not learn it exists.
pub(crate) async fn managed(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
    lock: bool,
) -> Result<Subscription, ApiError> {
    let me = caller.member()?;
    match webhooks::find(db, id, lock).await? {
        Some(s) if may_manage(me.is_admin(), me.id, s.owner_id) => Ok(s),
        _ => Err(ApiError::NotFound),
    }
}
