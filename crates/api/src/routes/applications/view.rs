use sea_orm::ConnectionTrait;

use liaison_persistence::applications::{self, Application};

use super::json::{base_view, summary, ApplicationView, ReviewView, ScoreSummary};
use crate::auth::Caller;
use crate::error::ApiError;

/// One application as the caller may see it.
pub async fn render_application(
    db: &impl ConnectionTrait,
    caller: &Caller,
    a: Application,
) -> Result<ApplicationView, ApiError> {
    let m = applications::means_of(db, a.id).await?;
    let me = caller.actor.member();
    let staff = me.is_some_and(|m| m.is_staff());
    let reviews = if staff || me.is_some_and(|m| !m.ambassador_of.is_empty()) {
        applications::reviews_of(db, a.id).await?
    } else {
        vec![]
    };
    let mut view = base_view(a, summary(m.reviews, m.track_record, m.geography, m.impact));
    let my_id = me.map(|m| m.id);
    view.my_review = reviews
        .iter()
        .find(|r| Some(r.reviewer_id) == my_id)
        .cloned()
        .map(ReviewView::from);
    if staff {
        view.reviews = Some(reviews.into_iter().map(ReviewView::from).collect());
    }
    Ok(view)
}

/// A page of applications with their means, in one query for the page.
pub async fn render_applications(
    db: &impl ConnectionTrait,
    list: Vec<Application>,
) -> Result<Vec<ApplicationView>, ApiError> {
    let means = applications::means_for(db, list.iter().map(|a| a.id).collect()).await?;
    Ok(list
        .into_iter()
        .map(|a| {
            let m = means.iter().find(|m| m.application_id == a.id);
            let s = m
                .map(|m| summary(m.reviews, m.track_record, m.geography, m.impact))
                .unwrap_or(ScoreSummary {
                    reviews: 0,
                    means: None,
                });
            base_view(a, s)
        })
        .collect())
}
