//! Ambassador cycles: staff open them; anyone reads them, with the ranked
//! proposal of who should be chosen.

mod create;
mod get;
pub mod json;
mod list;
mod proposal;
mod update;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create::create_cycle)
        .service(list::list_cycles)
        .service(get::get_cycle)
        .service(update::update_cycle)
        .service(proposal::get_proposal);
}
