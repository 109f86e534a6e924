//! Eligibility for a summit programme: one member's, with the explanation
//! of every point, and the list that bulk issuance takes passes from.

pub mod json;
mod list;
mod member;
pub mod rules;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(member::member_eligibility)
        .service(list::eligible_members);
}
