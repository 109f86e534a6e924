//! User groups: registration, review by the region's ambassador, status
//! changes and promotion, health and the region's attention list.

pub mod access;
mod attention;
mod get;
mod health;
pub mod json;
mod list;
mod register;
mod review;
mod status;
mod transition;
mod update;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(register::register_group)
        .service(list::list_groups)
        .service(get::get_group)
        .service(update::update_group)
        .service(review::review_group)
        .service(status::change_group_status)
        .service(health::group_health)
        .service(attention::attention_list);
}
