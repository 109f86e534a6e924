//! Members as clients send and read them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use liaison_domain::policy::{can, Action, Resource};
use liaison_persistence::members::Member;

use crate::auth::Caller;
use crate::routes::double_option;

/// A member's profile. `email` and `roles` appear only for the member and staff.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "display_name": "Ada Lovelace", "country": "GB", "city": "London",
    "affiliation": "independent", "bio": "Runs the London operators meetup.", "languages": ["en", "fr"],
    "skills": ["operations", "speaking"], "profile_public": true, "created_at": "2026-11-23T10:00:00Z",
    "email": "ada@example.org", "email_verified": true, "roles": []
}))]
pub struct MemberView {
    pub id: Uuid,
    pub display_name: String,
    pub country: Option<String>,
    pub city: Option<String>,
    /// Company, or `independent`.
    pub affiliation: Option<String>,
    pub bio: Option<String>,
    /// BCP 47 tags.
    pub languages: Vec<String>,
    pub skills: Vec<String>,
    pub profile_public: bool,
    pub created_at: DateTime<Utc>,
    /// Private: the member and staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Private: whether the email is verified (until it is, the member
    /// cannot verify others' claims, triage, review, or be issued a pass).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
    /// Private: the member and staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<String>>,
}

impl MemberView {
    /// The public view.
    pub fn public(m: &Member) -> Self {
        Self {
            id: m.id,
            display_name: m.display_name.clone(),
            country: m.country.clone(),
            city: m.city.clone(),
            affiliation: m.affiliation.clone(),
            bio: m.bio.clone(),
            languages: m.languages.clone(),
            skills: m.skills.clone(),
            profile_public: m.profile_public,
            created_at: m.created_at,
            email: None,
            email_verified: None,
            roles: None,
        }
    }

    /// The view with private fields.
    pub fn private(m: &Member) -> Self {
        Self {
            email: Some(m.email.clone()),
            email_verified: Some(m.email_verified_at.is_some()),
            roles: Some(m.roles.clone()),
            ..Self::public(m)
        }
    }

    pub fn for_caller(m: &Member, caller: &Caller) -> Self {
        let resource = Resource::Member {
            id: m.id,
            profile_public: m.profile_public,
        };
        if can(&caller.actor, Action::ReadPrivate, resource) {
            Self::private(m)
        } else {
            Self::public(m)
        }
    }
}

/// Changes to one's profile; absent fields stay, `null` clears.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema, Validate)]
#[schema(example = json!({"city": "Lyon", "languages": ["fr", "en"], "skills": ["translation"], "profile_public": true}))]
pub struct ProfilePatch {
    /// 1–100 characters (after trimming).
    #[schema(min_length = 1, max_length = 100, pattern = r"^\S([\s\S]*\S)?$")]
    pub display_name: Option<String>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<crate::openapi_values::CountryCode>)]
    pub country: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>)]
    pub city: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>)]
    pub affiliation: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>)]
    pub bio: Option<Option<String>>,
    /// At most 20.
    #[schema(max_items = 20, value_type = Option<Vec<crate::openapi_values::LanguageTag>>)]
    pub languages: Option<Vec<String>>,
    /// At most 30.
    #[schema(max_items = 30, value_type = Option<Vec<crate::openapi_values::Skill>>)]
    pub skills: Option<Vec<String>>,
    pub profile_public: Option<bool>,
}

/// The roles to give a member (replacing the current ones).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"roles": ["staff"]}))]
pub struct RolesRequest {
    /// `staff` and/or `admin`.
    #[schema(value_type = Vec<crate::openapi_values::RoleName>)]
    pub roles: Vec<String>,
}

/// The current password and a new one.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"current": "correct horse battery", "new": "a new and long passphrase"}))]
pub struct PasswordChange {
    pub current: String,
    /// 12–256 characters, not among the 10,000 most common passwords.
    #[schema(min_length = 12, max_length = 256)]
    pub new: String,
}

/// The password, confirming an erasure of one's own account.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"password": "correct horse battery"}))]
pub struct ErasureBySelf {
    pub password: String,
}

/// Why an admin erases an account (for the audit log).
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"reason": "the member asked by mail on 2026-11-30 (ticket 4411)"}))]
pub struct ErasureByAdmin {
    /// 1–2000 characters.
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}
