//! Members: accounts, profiles and roles.

use chrono::Utc;
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait, FromQueryResult, IntoActiveModel, QuerySelect};

use crate::error::{classify, Error};
use crate::stmt;

/// The `members` table.
pub mod entity {
    use sea_orm::entity::prelude::*;

    /// A member row.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "members")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub email: String,
        pub password_hash: String,
        pub display_name: String,
        pub country: Option<String>,
        pub city: Option<String>,
        pub affiliation: Option<String>,
        pub bio: Option<String>,
        pub languages: Vec<String>,
        pub skills: Vec<String>,
        pub profile_public: bool,
        pub roles: Vec<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        /// When the member proved they read mail at `email`; none until then.
        pub email_verified_at: Option<DateTimeUtc>,
        /// The last password change or reset: older access tokens are refused.
        pub password_changed_at: Option<DateTimeUtc>,
        /// When the account was erased (its personal fields are blank).
        pub erased_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub use entity::Model as Member;

/// The unique index on `lower(email)`.
pub const EMAIL_KEY: &str = "members_email_key";

/// A member to create.
#[derive(Debug, Clone)]
pub struct NewMember {
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    pub country: Option<String>,
    pub roles: Vec<String>,
    /// Whether the email counts as verified from the start (an admin the
    /// operator creates vouches for their own address).
    pub verified: bool,
}

/// Inserts a member; a taken email fails with `Error::Duplicate(EMAIL_KEY)`.
#[tracing::instrument(skip_all)]
pub async fn insert(db: &impl ConnectionTrait, new: NewMember) -> Result<Member, Error> {
    let now = Utc::now();
    entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(new.email),
        password_hash: Set(new.password_hash),
        display_name: Set(new.display_name),
        country: Set(new.country),
        city: Set(None),
        affiliation: Set(None),
        bio: Set(None),
        languages: Set(vec![]),
        skills: Set(vec![]),
        profile_public: Set(true),
        roles: Set(new.roles),
        created_at: Set(now),
        updated_at: Set(now),
        email_verified_at: Set(new.verified.then_some(now)),
        password_changed_at: Set(None),
        erased_at: Set(None),
    }
    .insert(db)
    .await
    .map_err(classify)
}

/// A member by id.
#[tracing::instrument(skip(db))]
pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Member>, Error> {
    Ok(entity::Entity::find_by_id(id).one(db).await?)
}

/// A member by id, locked for the rest of the transaction.
#[tracing::instrument(skip(db))]
pub async fn find_for_update(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Member>, Error> {
    Ok(entity::Entity::find_by_id(id)
        .lock_exclusive()
        .one(db)
        .await?)
}

/// A member by (normalised) email; never an erased one.
#[tracing::instrument(skip_all)]
pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<Member>, Error> {
    Ok(entity::Entity::find()
        .filter(
            Expr::expr(sea_orm::sea_query::Func::lower(Expr::col(
                entity::Column::Email,
            )))
            .eq(email.to_lowercase()),
        )
        .filter(entity::Column::ErasedAt.is_null())
        .one(db)
        .await?)
}

/// Profile fields a member may change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ProfileChanges {
    pub display_name: Option<String>,
    pub country: Option<Option<String>>,
    pub city: Option<Option<String>>,
    pub affiliation: Option<Option<String>>,
    pub bio: Option<Option<String>>,
    pub languages: Option<Vec<String>>,
    pub skills: Option<Vec<String>>,
    pub profile_public: Option<bool>,
}

/// Applies profile changes to a member.
#[tracing::instrument(skip_all)]
pub async fn update_profile(
    db: &impl ConnectionTrait,
    member: Member,
    changes: ProfileChanges,
) -> Result<Member, Error> {
    let mut active = member.into_active_model();
    if let Some(v) = changes.display_name {
        active.display_name = Set(v);
    }
    if let Some(v) = changes.country {
        active.country = Set(v);
    }
    if let Some(v) = changes.city {
        active.city = Set(v);
    }
    if let Some(v) = changes.affiliation {
        active.affiliation = Set(v);
    }
    if let Some(v) = changes.bio {
        active.bio = Set(v);
    }
    if let Some(v) = changes.languages {
        active.languages = Set(v);
    }
    if let Some(v) = changes.skills {
        active.skills = Set(v);
    }
    if let Some(v) = changes.profile_public {
        active.profile_public = Set(v);
    }
    active.updated_at = Set(Utc::now());
    Ok(active.update(db).await?)
}

/// Replaces a member's roles.
#[tracing::instrument(skip(db))]
pub async fn set_roles(
    db: &impl ConnectionTrait,
    member: Member,
    roles: Vec<String>,
) -> Result<Member, Error> {
    let mut active = member.into_active_model();
    active.roles = Set(roles);
    active.updated_at = Set(Utc::now());
    Ok(active.update(db).await?)
}

/// Serialises role changes for the rest of the transaction, so that two
/// admins demoting each other cannot both succeed.
pub async fn lock_roles(db: &impl ConnectionTrait) -> Result<(), Error> {
    db.execute(stmt(
        "SELECT pg_advisory_xact_lock(hashtext('liaison:member_roles'))",
        vec![],
    ))
    .await?;
    Ok(())
}

/// How many members hold `role`.
pub async fn count_with_role(db: &impl ConnectionTrait, role: &str) -> Result<i64, Error> {
    Ok(db
        .query_one(stmt(
            "SELECT count(*)::bigint AS n FROM members WHERE $1 = ANY(roles)",
            vec![role.into()],
        ))
        .await?
        .and_then(|row| row.try_get::<i64>("", "n").ok())
        .unwrap_or(0))
}
/// Replaces a member's password hash with the same password's (new
/// parameters): nothing is revoked.
#[tracing::instrument(skip_all)]
pub async fn set_password_hash(
    db: &impl ConnectionTrait,
    member: Member,
    hash: String,
) -> Result<Member, Error> {
    let mut active = member.into_active_model();
    active.password_hash = Set(hash);
    active.updated_at = Set(Utc::now());
    Ok(active.update(db).await?)
}

/// Sets a new password: every refresh token is revoked and access tokens
/// issued before now are refused, in one statement.
pub async fn change_password(
    db: &impl ConnectionTrait,
    member: Uuid,
    hash: String,
) -> Result<(), Error> {
    db.execute(stmt(
        "WITH revoked AS (
           UPDATE refresh_tokens SET revoked_at = now() WHERE member_id = $1 AND revoked_at IS NULL
         )
         UPDATE members SET password_hash = $2, password_changed_at = now(), updated_at = now()
         WHERE id = $1 AND erased_at IS NULL",
        vec![member.into(), hash.into()],
    ))
    .await?;
    Ok(())
}

/// A public profile found by the volunteer search.
#[derive(Debug, Clone, PartialEq, Eq, sea_orm::FromQueryResult)]
pub struct Volunteer {
    pub id: Uuid,
    pub display_name: String,
    pub country: Option<String>,
    pub city: Option<String>,
    pub affiliation: Option<String>,
    pub bio: Option<String>,
    pub languages: Vec<String>,
    pub skills: Vec<String>,
    pub profile_public: bool,
    pub created_at: DateTimeUtc,
}

/// Members with public profiles who volunteer a skill and/or speak a language,
/// optionally in a region (by their country), oldest first after `after`.
pub async fn search(
    db: &impl ConnectionTrait,
    skill: Option<String>,
    language: Option<String>,
    region: Option<String>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Volunteer>, Error> {
    use sea_orm::FromQueryResult;
    Ok(Volunteer::find_by_statement(stmt("SELECT m.id, m.display_name, m.country, m.city, m.affiliation, m.bio, m.languages, m.skills, m.profile_public, m.created_at
         FROM members m
         WHERE m.profile_public AND m.erased_at IS NULL
           AND ($1::text IS NULL OR $1 = ANY(m.skills))
           AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM unnest(m.languages) l WHERE lower(l) = lower($2) OR lower(l) LIKE lower($2) || '-%'))
           AND ($3::text IS NULL OR m.country IN (SELECT rc.country FROM region_countries rc JOIN regions r ON r.id = rc.region_id WHERE r.slug = $3))
           AND ($4::uuid IS NULL OR m.id > $4)
         ORDER BY m.id LIMIT $5",
        [skill.into(), language.into(), region.into(), after.into(), (limit as i64).into()],
    ))
    .all(db)
    .await?)
}

/// What the permission policy needs of a member, in one query: roles and the
/// regions where they hold an ambassadorship running on `today`.
#[derive(Debug, Clone, PartialEq, Eq, sea_orm::FromQueryResult)]
pub struct ActorFacts {
    pub roles: Vec<String>,
    pub ambassador_of: Vec<Uuid>,
    pub verified: bool,
    /// Access tokens issued before this second are refused.
    pub tokens_valid_from: Option<i64>,
}

/// The actor facts of a member, or `None` when the member no longer exists
/// (or was erased).
pub async fn actor_facts(
    db: &impl ConnectionTrait,
    id: Uuid,
    today: chrono::NaiveDate,
) -> Result<Option<ActorFacts>, Error> {
    use sea_orm::FromQueryResult;
    Ok(ActorFacts::find_by_statement(stmt("SELECT m.roles,
                ARRAY(SELECT DISTINCT a.region_id FROM ambassadorships a
                      WHERE a.member_id = m.id AND a.status = 'active' AND a.term_start <= $2 AND $2 < a.term_end) AS ambassador_of,
                m.email_verified_at IS NOT NULL AS verified,
                floor(extract(epoch FROM m.password_changed_at))::bigint AS tokens_valid_from
         FROM members m WHERE m.id = $1 AND m.erased_at IS NULL",
        [id.into(), today.into()],
    ))
    .one(db)
    .await?)
}

/// How to reach a member: id, email and display name.
#[derive(Debug, Clone, FromQueryResult)]
pub struct Contact {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
}

/// The contacts of several members, in one query.
pub async fn contacts(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<Vec<Contact>, Error> {
    Ok(Contact::find_by_statement(stmt(
        "SELECT id, email, display_name FROM members WHERE id = ANY($1)",
        vec![ids.into()],
    ))
    .all(db)
    .await?)
}

/// The channel triggers on `members` and `ambassadorships` notify with the
/// member's id when what the permission policy reads of them changes.
pub const ACTOR_CHANGES: &str = "liaison_actors";
