//! What each row sends: a body that is valid for the caller the row allows,
//! so that a 422 never stands where an authorization answer should be.
//!
//! `{name}` in a string is filled from the world, `{actor}` with the
//! column's code (for what must be unique per request: slugs, emails) and
//! `{refresh}` with the column's own refresh token.
//!
//! Rows that would hurt the world if they succeeded are sent so that the
//! handler refuses them only *after* authorization: `DELETE /v1/me` and
//! `POST /v1/me/password` give a wrong password (422 `wrong_password`), so no
//! actor erases itself or loses its token, and the answer still shows the
//! caller got past authorization. The rows that delete (`{doomed_event}`,
//! `{doomed_webhook}`, the organizer `{co}`) are re-armed before each actor
//! by [`rearm`], so every actor meets the resource as the first one did.

use liaison_tests::{
    answer, application_request, claim_request, current_period, event_request, feedback_request,
    id_of, import_row, message_request, open_cycle_request, report_request, summit_request,
    translation_request, PASSWORD,
};
use reqwest::Method;
use serde_json::{json, Value};

use super::matrix::Row;
use super::world::World;

/// Rules a programme version may have: talks and organized events.
fn rules() -> Value {
    json!({"window_days": 365, "threshold_points": 10, "kinds": [
        {"kind": "event_organized", "points": 2, "max_count": 12},
        {"kind": "talk_given", "points": 3, "max_count": 4},
    ]})
}

/// The body `row` sends, if any (before its names are filled in).
pub fn body(row: &Row) -> Option<Value> {
    let token48 = "0".repeat(48);
    let body = match (row.method, row.path) {
        ("POST", "/v1/auth/register") => json!({"email": "new-{actor}@example.org",
            "password": PASSWORD, "display_name": "New {actor}", "country": "FR"}),
        ("POST", "/v1/auth/token") => json!({"email": "{member_email}", "password": PASSWORD}),
        ("POST", "/v1/auth/refresh") => json!({"refresh_token": "{refresh}"}),
        ("POST", "/v1/auth/logout") => json!({"refresh_token": "not-a-refresh-token-of-{actor}"}),
        ("POST", "/v1/auth/verify-email") => json!({"token": token48}),
        ("POST", "/v1/auth/password-reset") => json!({"email": "{member_email}"}),
        ("POST", "/v1/auth/password-reset/confirm") => {
            json!({"token": token48, "password": "a new and long passphrase"})
        }
        ("PATCH", "/v1/me") => json!({"city": "Lyon"}),
        ("DELETE", "/v1/me") => json!({"password": "not the password at all"}),
        ("POST", "/v1/me/password") => {
            json!({"current": "not the password at all", "new": "a new and long passphrase"})
        }
        ("PATCH", "/v1/me/notifications") => json!({"mail": {"feedback.status_changed": false}}),
        ("DELETE", "/v1/members/{victim}") => json!({"reason": "asked by mail (ticket 4411)"}),
        ("PUT", "/v1/members/{spare}/roles") => json!({"roles": ["staff"]}),
        ("POST", "/v1/service-accounts") => {
            json!({"name": "script of {actor}", "scopes": ["passes:read"]})
        }
        ("POST", "/v1/regions") => json!({"slug": "r-{actor}", "name": "Region {actor}",
            "countries": [], "ambassador_seats": 3}),
        ("PATCH", "/v1/regions/{region}") => json!({"ambassador_seats": 6}),
        ("POST", "/v1/groups") => json!({"name": "Group {actor}", "slug": "g-{actor}",
            "country": "FR", "city": "Lyon", "description": "A meetup of operators.",
            "links": ["https://example.org/meetup"], "coc_accepted": true}),
        ("PATCH", "/v1/groups/{group}" | "/v1/groups/{pending}") => {
            json!({"description": "Monthly meetup, now with a hands-on track."})
        }
        ("POST", "/v1/groups/{pending_review}/review") => {
            json!({"decision": "approve", "reason": "Welcome!"})
        }
        ("POST", "/v1/groups/{status_group}/status") => {
            json!({"status": "inactive", "reason": "No meetup for a while."})
        }
        ("POST", "/v1/groups/{group}/organizers") => json!({"member_id": "{newcomer}"}),
        ("POST", "/v1/groups/{group}/events") => event_request(10, "scheduled", None),
        ("PATCH", "/v1/events/{event}") => json!({"title": "Running upgrades without downtime"}),
        ("PUT", "/v1/groups/{group}/events/sync") => {
            let mut event = event_request(20, "scheduled", None);
            event["external_id"] = json!("meetup-{actor}");
            json!({"source": "meetup", "mode": "upsert", "events": [event]})
        }
        ("POST", "/v1/ambassador-cycles") => open_cycle_request(None, None),
        ("PATCH", "/v1/ambassador-cycles/{cycle_patch}") => {
            json!({"name": "2027 ambassadors, renamed"})
        }
        ("POST", "/v1/ambassador-cycles/{cycle}/applications") => application_request("europe"),
        ("PATCH", "/v1/applications/{draft}") => json!({"ideas": answer(90)}),
        ("PUT", "/v1/applications/{application}/review") => json!({
            "scores": {"track_record": 4, "geography": 3, "impact": 5}, "comment": "Strong record."}),
        ("POST", "/v1/applications/{to_decide}/decision") => {
            json!({"outcome": "declined", "reason": "Another candidate this time."})
        }
        ("PATCH", "/v1/ambassadors/{retiring}") => {
            json!({"status": "ended", "reason": "Stepped down to focus on the meetup."})
        }
        ("POST", "/v1/ambassadors/{ambassadorship}/reports") => report_request(&current_period()),
        ("POST", "/v1/messages") => message_request(json!(["europe"])),
        ("PATCH", "/v1/messages/{message}") => {
            json!({"title": "The 2027.1 release is out: upgrade guide inside"})
        }
        ("POST", "/v1/messages/{message}/acknowledgements") => json!({"group_id": "{group}"}),
        ("POST", "/v1/messages/{message}/translations") => translation_request("de"),
        ("POST", "/v1/translations/{translation}/decision") => {
            json!({"outcome": "accepted", "note": "Merci !"})
        }
        ("POST", "/v1/feedback") => feedback_request("Quota errors do not say which quota"),
        ("POST", "/v1/feedback/{feedback}/votes") => json!({}),
        ("POST", "/v1/feedback/{to_triage}/triage") => {
            json!({"status": "triaged", "note": "Reproduced on 2026.1."})
        }
        ("POST", "/v1/components") => {
            json!({"slug": "c-{actor}", "name": "Component {actor}", "description": ""})
        }
        ("POST", "/v1/contribution-kinds") => {
            json!({"slug": "k_{actor}", "name": "Kind {actor}", "description": ""})
        }
        ("POST", "/v1/recognition-programs") => json!({"slug": "p-{actor}",
            "name": "Programme {actor}", "description": "", "rules": rules()}),
        ("POST", "/v1/recognition-programs/{program}/rules") => rules(),
        ("POST", "/v1/recognition-programs/{program}/rules/preview") => {
            json!({"summit_id": "{summit}", "rules": rules()})
        }
        ("POST", "/v1/contributions") => claim_request("talk_given"),
        ("POST", "/v1/contributions/import") => json!({"source": "ask-{actor}", "dry_run": false,
            "contributions": [import_row("answer-{actor}", "{member_email}")]}),
        ("POST", "/v1/contributions/{claim}/verification") => {
            json!({"decision": "verified", "note": "Saw the talk."})
        }
        ("POST", "/v1/summits") => summit_request(json!([{"program": "acc", "quota": 5}])),
        ("PATCH", "/v1/summits/{summit}") => json!({"programs": [{"program": "acc", "quota": 50}]}),
        ("POST", "/v1/summits/{summit}/passes/issue") => {
            json!({"program": "acc", "dry_run": false})
        }
        ("POST", "/v1/summits/{summit}/passes") => {
            json!({"member_id": "{guest}", "program": "acc", "reason": "Keynote speaker"})
        }
        ("POST", "/v1/passes/redeem" | "/v1/passes/check") => json!({"code": "{pass_code}"}),
        ("POST", "/v1/passes/{pass_to_revoke}/revoke") => {
            json!({"reason": "Issued to the wrong person"})
        }
        ("POST", "/v1/summits/{summit}/appeals") => {
            json!({"program": "acc", "message": "My meetups were on luma, not on meetup."})
        }
        ("POST", "/v1/appeals/{appeal}/decision") => {
            json!({"outcome": "denied", "reason": "The luma events are not verified."})
        }
        ("POST", "/v1/webhooks") => json!({"url": "{hook_url}", "events": ["event.created"],
            "group_ids": ["{group}"]}),
        ("PATCH", "/v1/webhooks/{webhook}") => {
            json!({"events": ["event.created", "event.updated"]})
        }
        _ => return None,
    };
    Some(body)
}

/// `value` with every `{name}` of its strings replaced from `names`.
pub fn fill(value: &Value, names: &dyn Fn(&str) -> Option<String>) -> Value {
    match value {
        Value::String(s) => Value::String(fill_text(s, names)),
        Value::Array(items) => Value::Array(items.iter().map(|v| fill(v, names)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), fill(v, names)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `text` with every `{name}` replaced from `names`; panics on an unknown name.
pub fn fill_text(text: &str, names: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 1..start + len];
        out.push_str(&rest[..start]);
        out.push_str(
            &names(name).unwrap_or_else(|| panic!("`{{{name}}}` in `{text}` is not in the world")),
        );
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out
}

/// Before each actor's request of a row that deletes, a fresh resource for
/// it to delete: answers the names to use instead of the world's.
pub async fn rearm(world: &World, row: &Row) -> Vec<(&'static str, String)> {
    match (row.method, row.path) {
        ("DELETE", "/v1/groups/{group}/organizers/{co}") => {
            let path = format!("/v1/groups/{}/organizers", world.names["group"]);
            // Back as an organizer (201), or still one (409).
            let _ = world
                .app
                .call(Method::POST, &path, Some(&world.olga.token))
                .json(&json!({"member_id": world.names["co"]}))
                .send()
                .await
                .expect("re-add the co-organizer");
            vec![]
        }
        ("DELETE", "/v1/events/{doomed_event}") => {
            let path = format!("/v1/groups/{}/events", world.names["group"]);
            let request = event_request(30, "scheduled", None);
            let event = world.as_olga(Method::POST, &path, Some(&request)).await;
            vec![("doomed_event", id_of(&event))]
        }
        ("DELETE", "/v1/webhooks/{doomed_webhook}") => {
            let request = json!({"url": world.receiver.url, "events": ["event.created"],
                                 "group_ids": [world.names["group"]]});
            let hook = world
                .as_olga(Method::POST, "/v1/webhooks", Some(&request))
                .await;
            vec![("doomed_webhook", id_of(&hook))]
        }
        _ => vec![],
    }
}
