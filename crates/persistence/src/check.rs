//! `liaison check`: looks for half-applied changes after a crash or a
//! restart, one set-based statement per rule, each answering the rows that
//! break it (at most 20 shown, all counted).

use sea_orm::{ConnectionTrait, FromQueryResult};

use crate::error::Error;
use crate::stmt;

/// A rule and what breaks it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub violations: i64,
    /// Up to 20 of them, named by id.
    pub examples: Vec<String>,
}

#[derive(FromQueryResult)]
struct Row {
    violations: i64,
    examples: Vec<String>,
}

/// Each rule: a name, and a query answering one `id` text per violation.
const RULES: &[(&str, &str)] = &[
    (
        "every quota holds",
        "SELECT sp.summit_id || '/' || sp.program AS id FROM summit_programs sp
         WHERE sp.quota < (SELECT count(*) FROM passes p WHERE p.summit_id = sp.summit_id AND p.program = sp.program AND p.status <> 'revoked')",
    ),
    (
        "no member holds two passes at a summit",
        "SELECT summit_id || '/' || member_id AS id FROM passes WHERE status <> 'revoked' GROUP BY summit_id, member_id HAVING count(*) > 1",
    ),
    (
        "every bulk issuance is audited with its count",
        "SELECT COALESCE(p.summit_id, a.summit_id) || '/' || COALESCE(p.program, a.program) AS id
         FROM (SELECT summit_id, program, count(*) AS n FROM passes WHERE origin = 'bulk' GROUP BY 1, 2) p
         FULL JOIN (SELECT entity_id::uuid AS summit_id, summary->>'program' AS program, sum((summary->>'count')::bigint) AS n
                    FROM audit_log WHERE action = 'passes.issued' GROUP BY 1, 2) a
           ON a.summit_id = p.summit_id AND a.program = p.program
         WHERE COALESCE(p.n, 0) <> COALESCE(a.n, 0)",
    ),
    (
        "every pass issued by hand or on appeal is audited",
        "SELECT p.id::text AS id FROM passes p WHERE p.origin <> 'bulk'
           AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.action = 'pass.issued' AND a.entity_type = 'pass' AND a.entity_id = p.id::text)",
    ),
    (
        "every redemption and revocation is audited",
        "SELECT p.id::text AS id FROM passes p WHERE p.status IN ('redeemed', 'revoked')
           AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity_type = 'pass' AND a.entity_id = p.id::text
                             AND a.action = CASE p.status WHEN 'redeemed' THEN 'pass.redeemed' ELSE 'pass.revoked' END)",
    ),
    (
        "every outbox row is delivered or due",
        // Sent means a successful attempt on record; pending is always due
        // (a lease that ran out is claimable again); failed was given up.
        "SELECT o.id::text AS id FROM outbox o
         WHERE (o.status = 'sent' AND (o.sent_at IS NULL OR NOT EXISTS (SELECT 1 FROM outbox_attempts a WHERE a.outbox_id = o.id AND a.ok)))
            OR (o.status = 'pending' AND o.next_attempt_at IS NULL)",
    ),
    (
        // A sync (or any event write) writes the event and its change-feed
        // entry in one transaction: an event the feed never told of is half
        // of one.
        "every event write is in the change feed",
        "SELECT e.id::text AS id FROM events e WHERE NOT EXISTS (SELECT 1 FROM event_changes c WHERE c.event_id = e.id)",
    ),
];

/// Runs every rule; the findings, one per rule, in order.
pub async fn consistency(db: &impl ConnectionTrait) -> Result<Vec<Finding>, Error> {
    let mut findings = Vec::with_capacity(RULES.len());
    for (rule, sql) in RULES {
        let wrapped = format!(
            "SELECT count(*)::bigint AS violations, COALESCE((array_agg(id ORDER BY id))[1:20], '{{}}') AS examples FROM ({sql}) v"
        );
        let row = Row::find_by_statement(stmt(&wrapped, vec![]))
            .one(db)
            .await?
            .unwrap_or(Row {
                violations: 0,
                examples: vec![],
            });
        findings.push(Finding {
            rule,
            violations: row.violations,
            examples: row.examples,
        });
    }
    Ok(findings)
}
