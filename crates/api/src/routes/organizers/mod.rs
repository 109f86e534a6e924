//! A group's organizers: the list (private profiles hidden as everywhere
//! else), adding a co-organizer, and leaving or removing one.

mod add;
pub mod json;
mod list;
mod remove;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list::list_organizers)
        .service(add::add_organizer)
        .service(remove::remove_organizer);
}
