//! One module per resource; `configure` mounts them all under `/v1`.

pub mod ambassadors;
pub mod appeals;
pub mod applications;
pub mod audit;
pub mod auth;
pub mod calendars;
pub mod components;
pub mod contribution_kinds;
pub mod contributions;
pub mod cycles;
pub mod dashboard;
pub mod directory;
pub mod eligibility;
pub mod events;
pub mod feedback;
pub mod groups;
pub mod health;
pub mod members;
pub mod messages;
pub mod notifications;
pub mod organizers;
pub mod passes;
pub mod recognition_programs;
pub mod regions;
pub mod reports;
pub mod service_accounts;
pub mod summits;
pub mod translations;
pub mod webhooks;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every `/v1` resource.
pub fn configure(cfg: &mut ServiceConfig) {
    auth::configure(cfg);
    members::configure(cfg);
    notifications::configure(cfg);
    service_accounts::configure(cfg);
    regions::configure(cfg);
    audit::configure(cfg);
    cycles::configure(cfg);
    applications::configure(cfg);
    ambassadors::configure(cfg);
    reports::configure(cfg);
    dashboard::configure(cfg);
    groups::configure(cfg);
    organizers::configure(cfg);
    directory::configure(cfg);
    events::configure(cfg);
    calendars::configure(cfg);
    contribution_kinds::configure(cfg);
    recognition_programs::configure(cfg);
    contributions::configure(cfg);
    summits::configure(cfg);
    eligibility::configure(cfg);
    passes::configure(cfg);
    appeals::configure(cfg);
    components::configure(cfg);
    feedback::configure(cfg);
    messages::configure(cfg);
    translations::configure(cfg);
    webhooks::configure(cfg);
}

/// Deserialises a field that may be absent (leave as is), `null` (clear) or a value.
pub(crate) fn double_option<'de, T, D>(de: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    serde::Deserialize::deserialize(de).map(Some)
}
