//! The permission policy: `can(actor, action, resource)`.
//!
//! One pure function decides every permission so the rules of `domain.md`
//! ("Who acts") are read in one place. Visibility (what answers 404) is
//! decided by [`can_see`]; a visible resource the caller may not act on
//! answers 403.

use uuid::Uuid;

use crate::actor::{Actor, Scope};
use crate::group::GroupStatus;

/// Something a caller wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read a resource.
    Read,
    /// Read fields only the owner and staff see (email, roles).
    ReadPrivate,
    /// Create a resource.
    Create,
    /// Change a resource.
    Update,
    /// Remove or revoke a resource.
    Delete,
    /// Score an application.
    Review,
    /// Select or decline an application; end or remove an ambassadorship.
    Decide,
}

/// What the action is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// A member's profile.
    Member {
        /// The member's id.
        id: Uuid,
        /// Whether the member chose a public profile.
        profile_public: bool,
    },
    /// A member's programme roles.
    MemberRoles,
    /// Service accounts and their keys.
    ServiceAccounts,
    /// A region (or the list of regions).
    Region,
    /// The audit log.
    AuditLog,
    /// Ambassador cycles.
    Cycle,
    /// An application to a cycle.
    Application {
        /// The applicant.
        applicant: Uuid,
    },
    /// A cycle's ranked proposal.
    Proposal,
    /// An ambassadorship.
    Ambassadorship {
        /// The ambassador.
        member: Uuid,
    },
    /// A contribution claimed by (or derived for) a member.
    Contribution {
        /// The contributor.
        member: Uuid,
        /// The contributor's region (by country).
        member_region: Option<Uuid>,
        /// The linked group's region.
        group_region: Option<Uuid>,
        /// Whether the caller organises the linked group.
        caller_organizes_group: bool,
    },
    /// A user group (and its organizers and events).
    Group {
        /// Its status.
        status: GroupStatus,
        /// The region its country belongs to, if any.
        region: Option<Uuid>,
        /// Whether the caller is one of its organizers.
        caller_organizes: bool,
    },
}

/// Whether `actor` may take `action` on `resource`.
pub fn can(actor: &Actor, action: Action, resource: Resource) -> bool {
    // Judging others' work is an act of trust: it waits for a verified email.
    if matches!(action, Action::Review | Action::Decide) && !is_trusted(actor) {
        return false;
    }
    let member = actor.member();
    let staff = member.is_some_and(|m| m.is_staff());
    let admin = member.is_some_and(|m| m.is_admin());
    let is_self = |id: Uuid| member.is_some_and(|m| m.id == id);
    let ambassador = member.is_some_and(|m| !m.ambassador_of.is_empty());
    match (resource, action) {
        (Resource::Member { profile_public, id }, Action::Read) => {
            profile_public || is_self(id) || staff
        }
        (Resource::Member { id, .. }, Action::ReadPrivate) => is_self(id) || staff,
        (Resource::Member { id, .. }, Action::Update) => is_self(id),
        // Erasure by id is an admin's, on request; a member erases their own
        // account with their password (`DELETE /v1/me`), not through this.
        (Resource::Member { .. }, Action::Delete) => admin,
        (Resource::Member { .. }, _) => false,
        (Resource::MemberRoles, Action::Read) => staff,
        (Resource::MemberRoles, _) => admin,
        (Resource::ServiceAccounts, _) => admin,
        (Resource::Region, Action::Read) => true,
        (Resource::Region, Action::Create | Action::Update) => staff,
        (Resource::Region, _) => false,
        (Resource::AuditLog, Action::Read) => staff,
        (Resource::AuditLog, _) => false,
        (Resource::Cycle, Action::Read) => true,
        (Resource::Cycle, Action::Create | Action::Update) => staff,
        (Resource::Cycle, _) => false,
        // Reviewers are staff and active ambassadors (of any region): they
        // see applications; only the applicant edits, submits or withdraws.
        (Resource::Application { applicant }, Action::Read) => {
            is_self(applicant) || staff || ambassador
        }
        (Resource::Application { applicant }, Action::Create | Action::Update) => {
            is_self(applicant)
        }
        (Resource::Application { .. }, Action::Review) => staff || ambassador,
        (Resource::Application { .. }, Action::Decide) => staff,
        (Resource::Application { .. }, _) => false,
        (Resource::Proposal, Action::Read) => staff,
        (Resource::Proposal, _) => false,
        (Resource::Ambassadorship { .. }, Action::Read) => true,
        (Resource::Ambassadorship { .. }, Action::Decide | Action::Update) => staff,
        (Resource::Ambassadorship { member }, Action::Create) => is_self(member) || staff,
        (Resource::Ambassadorship { .. }, _) => false,
        (
            Resource::Contribution {
                member: contributor,
                member_region,
                group_region,
                caller_organizes_group,
            },
            action,
        ) => {
            let ambassador_here = [member_region, group_region]
                .into_iter()
                .flatten()
                .any(|r| member.is_some_and(|m| m.is_ambassador_of(r)));
            let verifier = staff || caller_organizes_group || ambassador_here;
            match action {
                Action::Read => is_self(contributor) || verifier,
                Action::Create => is_self(contributor),
                // Nobody verifies their own contribution.
                Action::Decide | Action::Review => verifier && !is_self(contributor),
                _ => false,
            }
        }
        (
            Resource::Group {
                status,
                region,
                caller_organizes,
            },
            action,
        ) => {
            let region_ambassador =
                region.is_some_and(|r| member.is_some_and(|m| m.is_ambassador_of(r)));
            match action {
                // A pending or rejected group is seen by its organizers, the
                // region's ambassadors and staff only.
                Action::Read => {
                    status.is_public() || caller_organizes || region_ambassador || staff
                }
                // A group is its organizers' own: staff moderate it through
                // review and status (api.md), they do not edit it.
                Action::Update | Action::Create | Action::Delete => caller_organizes,
                // Nobody decides on their own case: organizers do not review their group.
                Action::Review | Action::Decide => {
                    (region_ambassador || staff) && !caller_organizes
                }
                Action::ReadPrivate => caller_organizes || staff,
            }
        }
    }
}

/// Whether the caller may see the resource at all; an invisible one answers 404.
pub fn can_see(actor: &Actor, resource: Resource) -> bool {
    can(actor, Action::Read, resource)
}

/// Whether the actor is a staff member (admins are staff): who runs the
/// programme's own resources (summits, passes by hand, appeals, kinds).
pub fn is_staff(actor: &Actor) -> bool {
    actor.member().is_some_and(|m| m.is_staff())
}

/// Whether the actor may act on trust (verify claims, triage, review,
/// decide): any member who verified their email, and every API key (its
/// scopes decide the rest).
pub fn is_trusted(actor: &Actor) -> bool {
    match actor {
        Actor::Member(m) => m.verified,
        Actor::Service(_) => true,
        Actor::Anonymous => false,
    }
}

/// Whether the actor may triage a feedback item of `region` written by
/// `author`: staff, or an active ambassador of the region; never its author;
/// and, as any act of trust, with a verified email.
pub fn may_triage(actor: &Actor, region: Option<Uuid>, author: Uuid) -> bool {
    is_trusted(actor)
        && actor.member().is_some_and(|m| {
            m.id != author && (m.is_staff() || region.is_some_and(|r| m.is_ambassador_of(r)))
        })
}

/// Whether the actor reads feedback: any member, or a `feedback:read` key.
pub fn may_read_feedback(actor: &Actor) -> bool {
    actor.member().is_some() || has_scope(actor, Scope::FeedbackRead)
}

/// Whether the actor publishes key messages at all: staff, or an active
/// ambassador (of some region).
pub fn may_publish_messages(actor: &Actor) -> bool {
    actor
        .member()
        .is_some_and(|m| m.is_staff() || !m.ambassador_of.is_empty())
}

/// Whether the actor may publish to an audience (`None`: every region;
/// else these regions' ids): staff to any; an active ambassador only to
/// regions they serve, never to all.
pub fn may_publish_to(actor: &Actor, regions: Option<&[Uuid]>) -> bool {
    actor.member().is_some_and(|m| {
        m.is_staff()
            || regions.is_some_and(|rs| {
                !m.ambassador_of.is_empty() && rs.iter().all(|r| m.is_ambassador_of(*r))
            })
    })
}

/// Whether the actor manages a key message of `author` (edits it, sees its
/// acknowledgements and translators, decides its translations): the
/// author and staff.
pub fn may_manage_message(actor: &Actor, author: Uuid) -> bool {
    actor
        .member()
        .is_some_and(|m| m.id == author || m.is_staff())
}

/// Whether the actor decides a translation by `translator` of a message of
/// `author`: who manages the message, never the translator themselves.
pub fn may_decide_translation(actor: &Actor, author: Uuid, translator: Uuid) -> bool {
    may_manage_message(actor, author) && actor.member().is_some_and(|m| m.id != translator)
}

/// Whether the actor sees members' emails in listings that carry them:
/// staff, or a key given `members:email` explicitly. (A member sees their
/// own email through their profile.)
pub fn may_see_emails(actor: &Actor) -> bool {
    is_staff(actor) || has_scope(actor, Scope::MembersEmail)
}

/// Whether the actor is staff, or a key carrying `scope` (the pass
/// scripts' endpoints: eligibility, issuance, redemption, listings).
pub fn staff_or_scope(actor: &Actor, scope: Scope) -> bool {
    is_staff(actor) || has_scope(actor, scope)
}

/// Whether the actor may push a group's events in bulk: its organizers and
/// staff, or a `groups:sync` key listing the group.
pub fn may_sync(actor: &Actor, group: Uuid, caller_organizes: bool) -> bool {
    match actor {
        Actor::Service(_) => may_sync_group(actor, group),
        Actor::Member(_) => caller_organizes,
        Actor::Anonymous => false,
    }
}

/// Whether a service account's key carries `scope`.
pub fn has_scope(actor: &Actor, scope: Scope) -> bool {
    matches!(actor, Actor::Service(s) if s.scopes.contains(&scope))
}

/// Whether the actor may push events for `group`: an API key with
/// `groups:sync` limited to the groups listed on it.
pub fn may_sync_group(actor: &Actor, group: Uuid) -> bool {
    matches!(actor, Actor::Service(s) if s.scopes.contains(&Scope::GroupsSync) && s.group_ids.contains(&group))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actor::{MemberActor, Role, ServiceActor};
    use std::collections::BTreeSet;

    fn member(roles: &[Role]) -> Actor {
        Actor::Member(MemberActor {
            id: Uuid::now_v7(),
            roles: roles.iter().copied().collect(),
            ambassador_of: BTreeSet::new(),
            verified: true,
        })
    }

    fn service(scopes: &[Scope], groups: &[Uuid]) -> Actor {
        Actor::Service(ServiceActor {
            id: Uuid::now_v7(),
            scopes: scopes.iter().copied().collect(),
            group_ids: groups.iter().copied().collect(),
        })
    }

    #[test]
    fn anyone_reads_regions_but_only_staff_change_them() {
        assert!(can(&Actor::Anonymous, Action::Read, Resource::Region));
        assert!(!can(&member(&[]), Action::Create, Resource::Region));
        assert!(can(
            &member(&[Role::Staff]),
            Action::Create,
            Resource::Region
        ));
        assert!(can(
            &member(&[Role::Admin]),
            Action::Update,
            Resource::Region
        ));
        assert!(!can(
            &service(&Scope::ALL, &[]),
            Action::Update,
            Resource::Region
        ));
    }

    #[test]
    fn admin_implies_staff_but_staff_does_not_imply_admin() {
        assert!(can(
            &member(&[Role::Admin]),
            Action::Read,
            Resource::AuditLog
        ));
        assert!(!can(
            &member(&[Role::Staff]),
            Action::Update,
            Resource::MemberRoles
        ));
        assert!(!can(
            &member(&[Role::Staff]),
            Action::Create,
            Resource::ServiceAccounts
        ));
        assert!(can(
            &member(&[Role::Admin]),
            Action::Create,
            Resource::ServiceAccounts
        ));
    }

    #[test]
    fn a_private_profile_is_seen_by_its_owner_and_staff_only() {
        let owner = member(&[]);
        let id = owner.member().map(|m| m.id).unwrap_or_default();
        let profile = Resource::Member {
            id,
            profile_public: false,
        };
        assert!(can_see(&owner, profile));
        assert!(can(&owner, Action::ReadPrivate, profile));
        assert!(!can_see(&member(&[]), profile));
        assert!(!can_see(&Actor::Anonymous, profile));
        assert!(can(&member(&[Role::Staff]), Action::ReadPrivate, profile));
        let public = Resource::Member {
            id,
            profile_public: true,
        };
        assert!(can_see(&Actor::Anonymous, public));
        assert!(!can(&Actor::Anonymous, Action::ReadPrivate, public));
        assert!(!can(&member(&[Role::Admin]), Action::Update, public));
    }

    #[test]
    fn a_sync_key_is_limited_to_its_groups() {
        let mine = Uuid::now_v7();
        assert!(staff_or_scope(&member(&[Role::Staff]), Scope::PassesRead));
        assert!(staff_or_scope(
            &service(&[Scope::PassesRead], &[]),
            Scope::PassesRead
        ));
        assert!(!staff_or_scope(
            &service(&[Scope::PassesIssue], &[]),
            Scope::PassesRead
        ));
        assert!(!staff_or_scope(&member(&[]), Scope::PassesRead));
        assert!(may_see_emails(&member(&[Role::Staff])));
        assert!(!may_see_emails(&member(&[])));
        assert!(!may_see_emails(&service(&[Scope::PassesRead], &[])));
        assert!(may_see_emails(&service(
            &[Scope::PassesRead, Scope::MembersEmail],
            &[]
        )));
        let key = service(&[Scope::GroupsSync], &[mine]);
        assert!(may_sync_group(&key, mine));
        assert!(!may_sync_group(&key, Uuid::now_v7()));
        assert!(!may_sync_group(
            &service(&[Scope::PassesRead], &[mine]),
            mine
        ));
        assert!(has_scope(&key, Scope::GroupsSync));
        assert!(!has_scope(&member(&[Role::Admin]), Scope::GroupsSync));
    }

    #[test]
    fn applications_are_seen_by_applicant_and_reviewers_and_decided_by_staff() {
        let applicant = member(&[]);
        let id = applicant.member().map(|m| m.id).unwrap_or_default();
        let app = Resource::Application { applicant: id };
        let ambassador = Actor::Member(MemberActor {
            id: Uuid::now_v7(),
            roles: BTreeSet::new(),
            ambassador_of: [Uuid::now_v7()].into_iter().collect(),
            verified: true,
        });
        assert!(can(&applicant, Action::Read, app));
        assert!(can(&applicant, Action::Update, app));
        assert!(!can(&applicant, Action::Decide, app));
        assert!(!can(&member(&[]), Action::Read, app));
        assert!(can(&ambassador, Action::Read, app));
        assert!(can(&ambassador, Action::Review, app));
        assert!(!can(&ambassador, Action::Decide, app));
        assert!(!can(&ambassador, Action::Update, app));
        assert!(can(&member(&[Role::Staff]), Action::Decide, app));
        assert!(!can(&ambassador, Action::Read, Resource::Proposal));
        assert!(can(&Actor::Anonymous, Action::Read, Resource::Cycle));
        assert!(!can(&ambassador, Action::Create, Resource::Cycle));
    }

    #[test]
    fn a_pending_group_is_seen_by_its_organizers_region_ambassadors_and_staff() {
        let region = Uuid::now_v7();
        let pending = |organizes| Resource::Group {
            status: GroupStatus::Pending,
            region: Some(region),
            caller_organizes: organizes,
        };
        let ambassador = Actor::Member(MemberActor {
            id: Uuid::now_v7(),
            roles: BTreeSet::new(),
            ambassador_of: [region].into_iter().collect(),
            verified: true,
        });
        let elsewhere = Actor::Member(MemberActor {
            id: Uuid::now_v7(),
            roles: BTreeSet::new(),
            ambassador_of: [Uuid::now_v7()].into_iter().collect(),
            verified: true,
        });
        assert!(!can_see(&Actor::Anonymous, pending(false)));
        assert!(!can_see(&member(&[]), pending(false)));
        assert!(can_see(&member(&[]), pending(true)));
        assert!(can_see(&ambassador, pending(false)));
        assert!(!can_see(&elsewhere, pending(false)));
        assert!(can(&ambassador, Action::Review, pending(false)));
        assert!(
            !can(&ambassador, Action::Review, pending(true)),
            "nobody reviews their own group"
        );
        assert!(!can(&elsewhere, Action::Review, pending(false)));
        assert!(can(&member(&[Role::Staff]), Action::Review, pending(false)));
        assert!(!can(&ambassador, Action::Update, pending(false)));
        let public = Resource::Group {
            status: GroupStatus::Official,
            region: None,
            caller_organizes: false,
        };
        assert!(can_see(&Actor::Anonymous, public));
    }

    #[test]
    fn contributions_are_verified_by_organizers_ambassadors_or_staff_never_the_member() {
        let region = Uuid::now_v7();
        let staff = member(&[Role::Staff]);
        let staff_id = staff.member().map(|m| m.id).unwrap_or_default();
        let theirs = |organizes| Resource::Contribution {
            member: Uuid::now_v7(),
            member_region: Some(region),
            group_region: None,
            caller_organizes_group: organizes,
        };
        let ambassador = Actor::Member(MemberActor {
            id: Uuid::now_v7(),
            roles: BTreeSet::new(),
            ambassador_of: [region].into_iter().collect(),
            verified: true,
        });
        assert!(can(&ambassador, Action::Decide, theirs(false)));
        assert!(can(&member(&[]), Action::Decide, theirs(true)));
        assert!(!can(&member(&[]), Action::Decide, theirs(false)));
        assert!(can(&staff, Action::Decide, theirs(false)));
        let own = Resource::Contribution {
            member: staff_id,
            member_region: Some(region),
            group_region: None,
            caller_organizes_group: true,
        };
        assert!(
            !can(&staff, Action::Decide, own),
            "nobody verifies their own contribution"
        );
        assert!(can(&staff, Action::Read, own));
    }

    #[test]
    fn staff_publish_anywhere_and_ambassadors_only_to_the_regions_they_serve() {
        let europe = Uuid::now_v7();
        let asia = Uuid::now_v7();
        let ambassador = Actor::Member(MemberActor {
            id: Uuid::now_v7(),
            roles: BTreeSet::new(),
            ambassador_of: [europe].into_iter().collect(),
            verified: true,
        });
        let staff = member(&[Role::Staff]);
        assert!(may_publish_messages(&ambassador) && may_publish_messages(&staff));
        assert!(!may_publish_messages(&member(&[])));
        assert!(!may_publish_messages(&Actor::Anonymous));
        assert!(!may_publish_messages(&service(&Scope::ALL, &[])));
        assert!(may_publish_to(&ambassador, Some(&[europe])));
        assert!(!may_publish_to(&ambassador, Some(&[europe, asia])));
        assert!(!may_publish_to(&ambassador, None), "`all` is for staff");
        assert!(may_publish_to(&staff, None));
        assert!(may_publish_to(&staff, Some(&[asia])));
        assert!(!may_publish_to(&member(&[]), Some(&[])));
    }

    #[test]
    fn a_message_is_managed_by_its_author_and_staff_and_nobody_accepts_their_own_translation() {
        let author = member(&[]);
        let author_id = author.member().map(|m| m.id).unwrap_or_default();
        let staff = member(&[Role::Staff]);
        let staff_id = staff.member().map(|m| m.id).unwrap_or_default();
        let other = Uuid::now_v7();
        assert!(may_manage_message(&author, author_id));
        assert!(may_manage_message(&staff, author_id));
        assert!(!may_manage_message(&member(&[]), author_id));
        assert!(!may_manage_message(&Actor::Anonymous, author_id));
        assert!(may_decide_translation(&author, author_id, other));
        assert!(!may_decide_translation(&author, author_id, author_id));
        assert!(!may_decide_translation(&staff, author_id, staff_id));
        assert!(may_decide_translation(&staff, author_id, other));
    }

    #[test]
    fn nobody_anonymous_reads_the_audit_log() {
        assert!(!can(&Actor::Anonymous, Action::Read, Resource::AuditLog));
        assert!(!can(&member(&[]), Action::Read, Resource::AuditLog));
        assert!(!can(
            &service(&Scope::ALL, &[]),
            Action::Read,
            Resource::AuditLog
        ));
    }
}
