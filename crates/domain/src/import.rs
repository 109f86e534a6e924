//! Imported contributions (`domain.md` "Imported contributions"): the
//! activity that proves ops work lives in other tools, so staff or a
//! `contributions:import` key push it in batches. A row is identified by
//! (`source`, `external_id`), names its member by id or by email (never
//! both, so nothing is guessed when they disagree), and obeys the same rules
//! as a member's claim (`Claim::parse`). A batch is atomic: every bad field
//! of every row is reported at once, by index.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use uuid::Uuid;

use crate::error::{Errors, FieldError, Invalid};
use crate::recognition::Claim;
use crate::values::Email;

/// Most rows in one import.
pub const MAX_IMPORT_ROWS: usize = 5000;

/// Longest `external_id`.
const MAX_EXTERNAL_ID: usize = 200;

/// How a row names its member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberRef {
    /// By member id.
    Id(Uuid),
    /// By email (matched case-insensitively: `Email` is lower-cased).
    Email(Email),
}

/// One row as read from the request, before its rules are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowInput {
    pub external_id: String,
    pub member_id: Option<Uuid>,
    pub email: Option<String>,
    pub kind: String,
    pub occurred_on: NaiveDate,
    pub title: String,
    pub evidence_url: Option<String>,
    pub group_id: Option<Uuid>,
}

/// A row that obeys every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    /// The row's index in the request (for `unknown_members`).
    pub index: usize,
    pub external_id: String,
    pub member: MemberRef,
    pub claim: Claim,
    pub group_id: Option<Uuid>,
}

/// The batch's source: a slug-like name of the tool the data comes from
/// (`ask-openstack`, `ops-meetups`). `manual` is refused: it names claims
/// made one by one.
pub fn parse_source(raw: &str) -> Result<String, Invalid> {
    if raw == "manual" {
        return Err(Invalid::one(
            "source",
            "reserved",
            "`manual` is for contributions claimed one by one",
        ));
    }
    crate::event::parse_source(raw)
}

/// Checks a batch: 1–[`MAX_IMPORT_ROWS`] rows (`total` counts the rows that
/// could not even be read), each with a unique `external_id`, exactly one of
/// `member_id` and `email`, a group among `known_groups`, and a valid claim.
/// Field errors are named `contributions[i].field`.
pub fn check_batch(
    rows: Vec<(usize, RowInput)>,
    total: usize,
    known_kinds: &[String],
    known_groups: &BTreeSet<Uuid>,
    today: NaiveDate,
) -> Result<Vec<ImportRow>, Invalid> {
    if total == 0 {
        return Err(Invalid::one(
            "contributions",
            "required",
            "at least one contribution",
        ));
    }
    if total > MAX_IMPORT_ROWS {
        return Err(Invalid::one(
            "contributions",
            "too_many",
            format!("at most {MAX_IMPORT_ROWS} contributions per import (got {total})"),
        ));
    }
    let mut errors = Errors::new();
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(rows.len());
    let mut valid = Vec::with_capacity(rows.len());
    for (i, row) in rows {
        let at = |field: &str| format!("contributions[{i}].{field}");
        let external_id = row.external_id.trim().to_owned();
        if external_id.is_empty() || external_id.chars().count() > MAX_EXTERNAL_ID {
            errors.push(FieldError::new(
                at("external_id"),
                "length",
                format!("1–{MAX_EXTERNAL_ID} characters"),
            ));
        } else if let Some(first) = seen.insert(external_id.clone(), i) {
            errors.push(FieldError::new(
                at("external_id"),
                "duplicate",
                format!("also used by contributions[{first}]"),
            ));
        }
        let member = match (row.member_id, row.email.as_deref()) {
            (Some(id), None) => Some(MemberRef::Id(id)),
            (None, Some(email)) => match Email::parse(&at("email"), email) {
                Ok(email) => Some(MemberRef::Email(email)),
                Err(Invalid(e)) => {
                    e.into_iter().for_each(|e| errors.push(e));
                    None
                }
            },
            (None, None) => {
                errors.push(FieldError::new(
                    at("member_id"),
                    "required",
                    "give the member's id or email",
                ));
                None
            }
            (Some(_), Some(_)) => {
                errors.push(FieldError::new(
                    at("email"),
                    "ambiguous",
                    "give the member's id or email, not both",
                ));
                None
            }
        };
        if let Some(group) = row.group_id {
            if !known_groups.contains(&group) {
                errors.push(FieldError::new(
                    at("group_id"),
                    "unknown_group",
                    "no such group",
                ));
            }
        }
        let claim = Claim::parse(
            &row.kind,
            row.occurred_on,
            &row.title,
            row.evidence_url.as_deref(),
            known_kinds,
            today,
        )
        .map_err(|Invalid(e)| {
            Invalid(
                e.into_iter()
                    .map(|f| FieldError {
                        field: at(&f.field),
                        ..f
                    })
                    .collect(),
            )
        });
        if let (Some(claim), Some(member)) = (errors.take(claim), member) {
            valid.push(ImportRow {
                index: i,
                external_id,
                member,
                claim,
                group_id: row.group_id,
            });
        }
    }
    errors.finish()?;
    Ok(valid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default()
    }

    fn row(external_id: &str) -> RowInput {
        RowInput {
            external_id: external_id.to_owned(),
            member_id: None,
            email: Some("Ada@Example.org".to_owned()),
            kind: "talk_given".to_owned(),
            occurred_on: today() - Duration::days(3),
            title: "Answered a question on live migration".to_owned(),
            evidence_url: Some("https://ask.example.org/q/1".to_owned()),
            group_id: None,
        }
    }

    fn check(rows: Vec<RowInput>) -> Result<Vec<ImportRow>, Invalid> {
        let total = rows.len();
        let groups = BTreeSet::from([Uuid::nil()]);
        check_batch(
            rows.into_iter().enumerate().collect(),
            total,
            &["talk_given".to_owned()],
            &groups,
            today(),
        )
    }

    fn fields(result: Result<Vec<ImportRow>, Invalid>) -> Vec<String> {
        result
            .err()
            .map(|e| e.0.into_iter().map(|f| f.field).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_valid_row_names_its_member_by_a_lower_cased_email() {
        let rows = check(vec![row("q-1")]).unwrap_or_default();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            rows[0].member,
            MemberRef::Email(
                Email::parse("email", "ada@example.org").unwrap_or_else(|_| {
                    unreachable!("a valid address");
                })
            )
        );
        assert_eq!(rows[0].claim.kind, "talk_given");
    }

    #[test]
    fn every_bad_field_of_every_row_is_named_by_index() {
        let mut future = row("q-1");
        future.occurred_on = today() + Duration::days(1);
        future.kind = "nope".into();
        let mut nobody = row("q-2");
        nobody.email = None;
        nobody.evidence_url = Some("ftp://x".into());
        let mut both = row("q-3");
        both.member_id = Some(Uuid::nil());
        both.group_id = Some(Uuid::max());
        let mut twice = row("q-1");
        twice.title = "x".into();
        assert_eq!(
            fields(check(vec![future, nobody, both, twice])),
            [
                "contributions[0].kind",
                "contributions[0].occurred_on",
                "contributions[1].member_id",
                "contributions[1].evidence_url",
                "contributions[2].email",
                "contributions[2].group_id",
                "contributions[3].external_id",
                "contributions[3].title",
            ]
        );
    }

    #[test]
    fn a_batch_holds_one_to_five_thousand_rows() {
        assert_eq!(fields(check(vec![])), ["contributions"]);
        let many: Vec<RowInput> = (0..=MAX_IMPORT_ROWS).map(|i| row(&i.to_string())).collect();
        assert_eq!(fields(check(many)), ["contributions"]);
        let most: Vec<RowInput> = (0..MAX_IMPORT_ROWS).map(|i| row(&i.to_string())).collect();
        assert_eq!(check(most).map(|r| r.len()).ok(), Some(MAX_IMPORT_ROWS));
    }

    #[test]
    fn a_source_is_slug_like_and_never_manual() {
        assert!(parse_source("ask-openstack").is_ok());
        assert!(parse_source("manual").is_err());
        assert!(parse_source("Ask OpenStack").is_err());
    }
}
