//! Selecting an application: the region's seats and the cycle's
//! affiliation cap are checked under the cycle's lock, and the
//! ambassadorship they allow is created.

use chrono::{Months, Utc};
use serde_json::json;
use uuid::Uuid;

use liaison_domain::ambassador::affiliation_key;
use liaison_domain::audit::AuditEvent;
use liaison_persistence::ambassadorships::{self, NewAmbassadorship};
use liaison_persistence::applications::{self, Application};
use liaison_persistence::cycles::{self, Cycle};

use crate::error::ApiError;
use crate::http::command::Command;

/// Takes a seat for `a` in `cycle` (whose row the caller has locked): 409
/// `seats_full` or `affiliation_cap_reached` when none is left; answers the
/// new ambassadorship's id.
pub(crate) async fn select(
    cmd: &Command<'_>,
    cycle: &Cycle,
    a: &Application,
) -> Result<Uuid, ApiError> {
    let txn = cmd.txn();
    let regions = cycles::regions_of(txn, vec![cycle.id]).await?;
    let seats = regions
        .iter()
        .find(|r| r.region_id == a.region_id)
        .map(|r| r.seats)
        .unwrap_or(0);
    let key = affiliation_key(a.affiliation.as_deref());
    let (in_region, with_affiliation) =
        applications::selected_counts(txn, cycle.id, a.region_id, key.clone()).await?;
    if in_region >= seats as i64 {
        return Err(ApiError::conflict(
            "seats_full",
            format!("all {seats} seats of {} are filled", a.region_slug),
        ));
    }
    if let (Some(cap), Some(key)) = (cycle.max_per_affiliation, key) {
        if with_affiliation >= cap as i64 {
            return Err(ApiError::conflict(
                "affiliation_cap_reached",
                format!(
                    "{cap} ambassadors affiliated with {key} are already selected in this cycle"
                ),
            ));
        }
    }
    let start = Utc::now().date_naive();
    let end = start
        .checked_add_months(Months::new(cycle.term_months as u32))
        .ok_or_else(|| ApiError::Internal("term end overflow".into()))?;
    let ambassadorship = ambassadorships::insert(
        txn,
        NewAmbassadorship {
            member_id: a.member_id,
            region_id: a.region_id,
            cycle_id: cycle.id,
            application_id: a.id,
            term_start: start,
            term_end: end,
        },
    )
    .await?;
    cmd.audit(AuditEvent::new("ambassadorship.created", "ambassadorship", ambassadorship, json!({"member_id": a.member_id, "region": a.region_slug, "term_start": start, "term_end": end}))).await?;
    Ok(ambassadorship)
}
