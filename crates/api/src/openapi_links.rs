//! OpenAPI links: how the answer of one operation feeds the next (a created
//! group's `id` into `GET /v1/groups/{id_or_slug}`, a resource's `ETag` into
//! its `PATCH`'s `If-Match`). Clients and tools that follow links (the
//! stateful phase of schemathesis, in the e2e suite) chain calls with them.
//!
//! One table, so the chains read at a glance; `add_links` puts each on its
//! response, and a test checks that every link names a real operation and
//! only parameters that operation has.

use std::collections::BTreeMap;

use utoipa::openapi::extensions::Extensions;
use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::path::Operation;
use utoipa::openapi::{OpenApi, RefOr};

/// A link: from the `status` answer of operation `from`, call `to` with
/// `parameters` (name, runtime expression). A parameter name is the
/// target's own, qualified (`header.If-Match`) where it is not in the path.
pub struct LinkSpec {
    pub from: &'static str,
    pub status: &'static str,
    pub to: &'static str,
    pub parameters: &'static [(&'static str, &'static str)],
}

const fn link(
    from: &'static str,
    status: &'static str,
    to: &'static str,
    parameters: &'static [(&'static str, &'static str)],
) -> LinkSpec {
    LinkSpec {
        from,
        status,
        to,
        parameters,
    }
}

const ID: &[(&str, &str)] = &[("id", "$response.body#/id")];
const SLUG: &[(&str, &str)] = &[("slug", "$response.body#/slug")];
const GROUP: &[(&str, &str)] = &[("id_or_slug", "$response.body#/id")];
/// A `GET` of one resource into its `PATCH`: the same path, its `ETag`.
const SAME_ID_IF_MATCH: &[(&str, &str)] = &[
    ("id", "$request.path.id"),
    ("header.If-Match", "$response.header.ETag"),
];

/// Every link of the document.
pub const LINKS: &[LinkSpec] = &[
    // Groups, their events and organizers.
    link("register_group", "201", "get_group", GROUP),
    link("register_group", "201", "update_group", GROUP),
    link("register_group", "201", "review_group", ID),
    link("register_group", "201", "change_group_status", ID),
    link("register_group", "201", "group_health", ID),
    link("register_group", "201", "list_organizers", ID),
    link("register_group", "201", "add_organizer", ID),
    link("register_group", "201", "create_event", ID),
    link("register_group", "201", "list_events", ID),
    link("register_group", "201", "sync_events", ID),
    link(
        "get_group",
        "200",
        "update_group",
        &[
            ("id_or_slug", "$request.path.id_or_slug"),
            ("header.If-Match", "$response.header.ETag"),
        ],
    ),
    link("create_event", "201", "get_event", ID),
    link("create_event", "201", "update_event", ID),
    link("create_event", "201", "delete_event", ID),
    link("get_event", "200", "update_event", SAME_ID_IF_MATCH),
    link(
        "add_organizer",
        "201",
        "remove_organizer",
        &[
            ("id", "$request.path.id"),
            ("member_id", "$response.body#/member_id"),
        ],
    ),
    // Regions.
    link("create_region", "201", "get_region", SLUG),
    link("create_region", "201", "update_region", SLUG),
    link("create_region", "201", "region_ambassadors", SLUG),
    link("create_region", "201", "region_dashboard", SLUG),
    link(
        "get_region",
        "200",
        "update_region",
        &[
            ("slug", "$request.path.slug"),
            ("header.If-Match", "$response.header.ETag"),
        ],
    ),
    // The ambassador programme.
    link("create_cycle", "201", "get_cycle", ID),
    link("create_cycle", "201", "update_cycle", ID),
    link("create_cycle", "201", "apply", ID),
    link("create_cycle", "201", "list_applications", ID),
    link("create_cycle", "201", "get_proposal", ID),
    link("get_cycle", "200", "update_cycle", SAME_ID_IF_MATCH),
    link("apply", "201", "get_application", ID),
    link("apply", "201", "edit_application", ID),
    link("apply", "201", "submit_application", ID),
    link("apply", "201", "withdraw_application", ID),
    link("submit_application", "200", "review_application", ID),
    link("submit_application", "200", "decide_application", ID),
    link(
        "file_report",
        "201",
        "get_report",
        &[
            ("id", "$response.body#/ambassador_id"),
            ("period", "$response.body#/period"),
        ],
    ),
    // Recognition, summits, passes and appeals.
    link("create_program", "201", "get_program", SLUG),
    link("create_program", "201", "publish_rules", SLUG),
    link("create_program", "201", "preview_rules", SLUG),
    link("claim_contribution", "201", "verify_contribution", ID),
    link("create_summit", "201", "get_summit", ID),
    link("create_summit", "201", "update_summit", ID),
    link("create_summit", "201", "eligible_members", ID),
    link("create_summit", "201", "list_passes", ID),
    link("create_summit", "201", "manual_pass", ID),
    link("create_summit", "201", "issue_passes", ID),
    link("create_summit", "201", "list_appeals", ID),
    link("create_summit", "201", "file_appeal", ID),
    link("get_summit", "200", "update_summit", SAME_ID_IF_MATCH),
    link("manual_pass", "201", "revoke_pass", ID),
    link("file_appeal", "201", "decide_appeal", ID),
    // Feedback.
    link("submit_feedback", "201", "get_feedback", ID),
    link("submit_feedback", "201", "vote", ID),
    link("submit_feedback", "201", "withdraw_vote", ID),
    link("submit_feedback", "201", "triage_feedback", ID),
    link("submit_feedback", "201", "feedback_history", ID),
    // Key messages and their translations.
    link("create_message", "201", "get_message", ID),
    link("create_message", "201", "update_message", ID),
    link("create_message", "201", "acknowledge_message", ID),
    link("create_message", "201", "list_translations", ID),
    link("create_message", "201", "propose_translation", ID),
    link("create_message", "201", "message_translators", ID),
    link("get_message", "200", "update_message", SAME_ID_IF_MATCH),
    link("propose_translation", "201", "get_translation", ID),
    link("propose_translation", "201", "decide_translation", ID),
    // Webhooks and API keys.
    link("create_webhook", "201", "get_webhook", ID),
    link("create_webhook", "201", "update_webhook", ID),
    link("create_webhook", "201", "delete_webhook", ID),
    link("create_webhook", "201", "ping_webhook", ID),
    link("create_webhook", "201", "list_deliveries", ID),
    link("get_webhook", "200", "update_webhook", SAME_ID_IF_MATCH),
    link(
        "create_service_account",
        "201",
        "revoke_service_account",
        ID,
    ),
    // Accounts.
    link("register", "201", "get_member", ID),
];

/// A link's name in the document: `update_group` → `UpdateGroup`.
fn name_of(operation: &str) -> String {
    operation
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn operations(doc: &mut OpenApi) -> BTreeMap<String, &mut Operation> {
    let mut ops = BTreeMap::new();
    for item in doc.paths.paths.values_mut() {
        for op in [
            item.get.as_mut(),
            item.post.as_mut(),
            item.put.as_mut(),
            item.patch.as_mut(),
            item.delete.as_mut(),
        ]
        .into_iter()
        .flatten()
        {
            if let Some(id) = op.operation_id.clone() {
                ops.insert(id, op);
            }
        }
    }
    ops
}

/// Puts every link of [`LINKS`] on its response.
pub fn add_links(doc: &mut OpenApi) {
    let mut ops = operations(doc);
    for spec in LINKS {
        let Some(op) = ops.get_mut(spec.from) else {
            continue;
        };
        let Some(RefOr::T(response)) = op.responses.responses.get_mut(spec.status) else {
            continue;
        };
        // utoipa 5.5 serialises `Link::operation_id` as `operation_id`;
        // OpenAPI (and every tool) reads `operationId`. The one extension
        // entry is written under the spec's own name instead.
        let mut operation_id = Extensions::default();
        operation_id.insert("operationId".to_owned(), spec.to.into());
        let link = spec
            .parameters
            .iter()
            .fold(
                LinkBuilder::new().extensions(Some(operation_id)),
                |l, (name, value)| l.parameter(*name, *value),
            )
            .build();
        response.links.insert(name_of(spec.to), RefOr::T(link));
    }
}

#[cfg(test)]
mod tests {
    use super::name_of;

    #[test]
    fn a_link_is_named_after_its_target() {
        assert_eq!(name_of("update_group"), "UpdateGroup");
        assert_eq!(name_of("apply"), "Apply");
    }
}
