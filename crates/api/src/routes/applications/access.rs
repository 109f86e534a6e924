use sea_orm::ConnectionTrait;
use uuid::Uuid;

use liaison_domain::application::{ApplicationEvent, ApplicationStatus};
use liaison_domain::policy::{can, Action, Resource};
use liaison_persistence::applications::{self, Application};

use crate::auth::Caller;
use crate::error::ApiError;

/// Loads an application the caller may see (else 404).
pub(crate) async fn visible(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
    lock: bool,
) -> Result<Application, ApiError> {
    let a = applications::find(db, id, lock)
        .await?
        .ok_or(ApiError::NotFound)?;
    // A draft is the applicant's work in progress: reviewers who are not
    // staff do not see it until it is submitted.
    let hidden_draft = a.status == ApplicationStatus::Draft
        && caller
            .actor
            .member()
            .is_some_and(|m| m.id != a.member_id && !m.is_staff());
    let readable = can(
        &caller.actor,
        Action::Read,
        Resource::Application {
            applicant: a.member_id,
        },
    );
    if readable && !hidden_draft {
        Ok(a)
    } else {
        Err(ApiError::NotFound)
    }
}

pub(crate) fn transition(
    a: &Application,
    event: ApplicationEvent,
) -> Result<ApplicationStatus, ApiError> {
    a.status.apply(event).map_err(|e| {
        ApiError::conflict(
            "invalid_transition",
            format!(
                "cannot {} an application that is {}",
                format!("{:?}", e.event).to_lowercase(),
                e.from.as_str()
            ),
        )
    })
}
