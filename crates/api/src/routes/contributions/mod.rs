//! Contributions: members claim them; organizers of the linked group,
//! ambassadors of the member's or the group's region, or staff verify them —
//! never the member. Some are derived from data, already verified; others
//! are imported in batches from other tools, verified by their importer.

mod access;
mod claim;
mod import;
pub mod json;
mod list;
mod mine;
mod verify;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(claim::claim_contribution)
        .service(import::import_contributions)
        .service(list::list_contributions)
        .service(verify::verify_contribution)
        .service(mine::my_contributions);
}
