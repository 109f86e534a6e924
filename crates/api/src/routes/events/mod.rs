//! Events: organizers create and update them one by one; group websites
//! push them in bulk (`PUT …/events/sync`); anyone follows the change feed.

pub mod access;
mod changes;
mod create;
mod delete;
mod get;
pub mod json;
mod list;
mod search;
mod sync;
mod update;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list::list_events)
        .service(search::search_events)
        .service(create::create_event)
        .service(sync::sync_events)
        .service(changes::event_changes)
        .route(
            "/events/changes",
            actix_web::web::route().to(changes::other_methods),
        )
        .service(get::get_event)
        .service(update::update_event)
        .service(delete::delete_event);
}
