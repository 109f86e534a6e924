//! The rules a summit applies to one of its programmes.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use liaison_domain::recognition::{KindRule, Rules};
use liaison_persistence::recognition_programs;
use liaison_persistence::summits::{self, Quota, Summit};

use crate::error::ApiError;

/// The summit, its quota for `program` and the rules version it pinned:
/// 404 without the summit, 400 when it does not offer the programme.
pub async fn summit_rules(
    db: &impl ConnectionTrait,
    summit: Uuid,
    program: &str,
) -> Result<(Summit, Quota, Rules), ApiError> {
    let s = summits::find(db, summit).await?.ok_or(ApiError::NotFound)?;
    let q = summits::quotas(db, vec![summit])
        .await?
        .into_iter()
        .find(|q| q.program == program)
        .ok_or_else(|| ApiError::bad_param("program", "not offered at this summit"))?;
    let (versions, kinds) = recognition_programs::rules(db, Some(vec![program.to_owned()])).await?;
    let v = versions
        .iter()
        .find(|v| v.version == q.rules_version)
        .ok_or_else(|| ApiError::Internal("summit's rules version missing".into()))?;
    let rules = Rules {
        window_days: v.window_days,
        threshold_points: v.threshold_points,
        kinds: kinds
            .iter()
            .filter(|k| k.version == v.version)
            .map(|k| {
                let rule = KindRule {
                    points: k.points,
                    max_count: k.max_count,
                };
                (k.kind.clone(), rule)
            })
            .collect(),
    };
    Ok((s, q, rules))
}
