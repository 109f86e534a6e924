//! Activity reports: an ambassador's quarter, drafted from the region's
//! data and filed once.

mod draft;
mod file;
mod get;
pub mod json;
mod list;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(draft::draft_report)
        .service(file::file_report)
        .service(get::get_report)
        .service(list::list_reports);
}

use chrono::Utc;
use liaison_domain::report::Quarter;
use liaison_persistence::ambassadorships::{self, Ambassadorship};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::error::ApiError;

/// The ambassadorship a report path names.
async fn ambassadorship(
    db: &impl ConnectionTrait,
    id: Uuid,
    lock: bool,
) -> Result<Ambassadorship, ApiError> {
    ambassadorships::find(db, id, Quarter::last_due(Utc::now()), lock)
        .await?
        .ok_or(ApiError::NotFound)
}
