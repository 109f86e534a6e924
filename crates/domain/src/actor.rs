//! Who is acting: an anonymous visitor, a member with roles, or a service
//! account holding an API key with scopes.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

use crate::error::Invalid;

/// A programme-wide role granted by an admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the programme: regions, cycles, summits, passes, audit.
    Staff,
    /// Everything staff may do, plus members' roles and service accounts.
    Admin,
}

impl Role {
    /// The role's stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Staff => "staff",
            Role::Admin => "admin",
        }
    }
}

impl FromStr for Role {
    type Err = Invalid;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "staff" => Ok(Role::Staff),
            "admin" => Ok(Role::Admin),
            other => Err(Invalid::one(
                "roles",
                "unknown_role",
                format!("unknown role `{other}`: expected `staff` or `admin`"),
            )),
        }
    }
}

/// What an API key may do; a key does nothing its scopes do not name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Scope {
    /// Push events of the groups listed on the key.
    #[serde(rename = "groups:sync")]
    GroupsSync,
    /// Read eligibility and passes.
    #[serde(rename = "passes:read")]
    PassesRead,
    /// Issue passes in bulk.
    #[serde(rename = "passes:issue")]
    PassesIssue,
    /// Redeem pass codes at the door.
    #[serde(rename = "passes:redeem")]
    PassesRedeem,
    /// Read feedback items.
    #[serde(rename = "feedback:read")]
    FeedbackRead,
    /// See members' emails where a listing carries them (pass exports).
    /// Emails are for the member and staff: a key sees them only with this.
    #[serde(rename = "members:email")]
    MembersEmail,
    /// Import contributions in batches (`POST /v1/contributions/import`),
    /// matching members by email; the key is recorded as their verifier.
    #[serde(rename = "contributions:import")]
    ContributionsImport,
}

impl Scope {
    /// Every scope, in a stable order.
    pub const ALL: [Scope; 7] = [
        Scope::GroupsSync,
        Scope::PassesRead,
        Scope::PassesIssue,
        Scope::PassesRedeem,
        Scope::FeedbackRead,
        Scope::MembersEmail,
        Scope::ContributionsImport,
    ];

    /// The scope's stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::GroupsSync => "groups:sync",
            Scope::PassesRead => "passes:read",
            Scope::PassesIssue => "passes:issue",
            Scope::PassesRedeem => "passes:redeem",
            Scope::FeedbackRead => "feedback:read",
            Scope::MembersEmail => "members:email",
            Scope::ContributionsImport => "contributions:import",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scope {
    type Err = Invalid;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Scope::ALL
            .into_iter()
            .find(|scope| scope.as_str() == s)
            .ok_or_else(|| Invalid::one("scopes", "unknown_scope", format!("unknown scope `{s}`")))
    }
}

/// The caller of a request, as far as the rules care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// No credentials.
    Anonymous,
    /// A registered person.
    Member(MemberActor),
    /// A foundation script or a group website holding an API key.
    Service(ServiceActor),
}

/// A member acting, with what the policy needs to know of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberActor {
    /// The member's id.
    pub id: Uuid,
    /// Programme-wide roles.
    pub roles: BTreeSet<Role>,
    /// Regions where the member holds an active ambassadorship.
    pub ambassador_of: BTreeSet<Uuid>,
    /// Whether the member verified their email: acts of trust (verifying
    /// claims, triaging, reviewing) wait for it.
    pub verified: bool,
}

/// A service account acting through its API key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceActor {
    /// The service account's id.
    pub id: Uuid,
    /// What the key may do.
    pub scopes: BTreeSet<Scope>,
    /// Groups a `groups:sync` key may push events for.
    pub group_ids: BTreeSet<Uuid>,
}

impl MemberActor {
    /// Staff, or admin (which implies staff).
    pub fn is_staff(&self) -> bool {
        self.roles.contains(&Role::Staff) || self.is_admin()
    }

    /// Admin.
    pub fn is_admin(&self) -> bool {
        self.roles.contains(&Role::Admin)
    }

    /// Holds an active ambassadorship in `region`.
    pub fn is_ambassador_of(&self, region: Uuid) -> bool {
        self.ambassador_of.contains(&region)
    }
}

impl Actor {
    /// The member behind the request, if any.
    pub fn member(&self) -> Option<&MemberActor> {
        match self {
            Actor::Member(member) => Some(member),
            _ => None,
        }
    }

    /// The actor's kind and id as recorded in the audit log.
    pub fn audit_identity(&self) -> (&'static str, Option<Uuid>) {
        match self {
            Actor::Anonymous => ("anonymous", None),
            Actor::Member(m) => ("member", Some(m.id)),
            Actor::Service(s) => ("service_account", Some(s.id)),
        }
    }
}
