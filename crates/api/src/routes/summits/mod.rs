//! Summits: staff create them with a quota per recognition programme, and
//! anyone reads them with what each quota has left.

mod create;
mod get;
pub mod json;
mod list;
mod update;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create::create_summit)
        .service(list::list_summits)
        .service(get::get_summit)
        .service(update::update_summit);
}
