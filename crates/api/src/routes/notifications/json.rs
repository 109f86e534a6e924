//! Mail choices as clients read and send them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use liaison_domain::outbox::Topic;

/// Which mails a member gets.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "mail": {"application.decided": true, "appeal.decided": true, "group.reviewed": true,
             "contribution.decided": true, "feedback.status_changed": false},
    "always": ["pass.issued"]
}))]
pub struct NotificationsView {
    /// Each optional mail, on or off.
    pub mail: BTreeMap<String, bool>,
    /// Mails that always go (pass codes; later, account mails).
    pub always: Vec<String>,
}

impl NotificationsView {
    /// From the topics the member turned off.
    pub fn of(off: &[Topic]) -> Self {
        Self {
            mail: Topic::optional()
                .map(|t| (t.as_str().to_owned(), !off.contains(&t)))
                .collect(),
            always: Topic::ALL
                .iter()
                .filter(|t| !t.is_optional())
                .map(|t| t.as_str().to_owned())
                .collect(),
        }
    }
}

/// Mails to turn on or off; those left out keep their setting.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"mail": {"feedback.status_changed": false}}))]
pub struct NotificationsPatch {
    /// Optional mails only: one that always goes, or no mail at all, is a 422.
    #[schema(schema_with = mail_choices)]
    pub mail: BTreeMap<String, bool>,
}

/// `{"<mail>": true | false}` for the optional mails, and nothing else.
fn mail_choices() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, Type};
    Topic::optional()
        .fold(ObjectBuilder::new(), |object, topic| {
            object.property(
                topic.as_str(),
                ObjectBuilder::new().schema_type(Type::Boolean),
            )
        })
        .additional_properties(Some(AdditionalProperties::FreeForm(false)))
        .build()
}
