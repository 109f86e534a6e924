"""Schemathesis hooks for Liaison: the failures it may drop, and why.

Loaded by `tests/e2e/operations/schemathesis.rs` (with SCHEMATHESIS_HOOKS).
Everything else schemathesis finds fails the run.

`positive_data_acceptance` (ST202) sends requests the document calls valid and
expects them accepted. Some rules of the API cannot be stated in JSON Schema:
they depend on what the database holds, on the clock, or on two fields at
once. A request that breaks only such rules is refused, rightly, with the
problem code below; only those refusals are dropped, and only when *every*
error of the answer is one of them. The API's answers to these requests are
tested in the e2e suite (named beside each rule).
"""

import json
import re

import schemathesis
from hypothesis.internal import lambda_sources

# CPython 3.11 (3.11.7 here) can raise `SystemError: AST constructor recursion
# depth mismatch` from `ast.parse` deep in a stack; Hypothesis parses
# schemathesis's own source that way only to *name* a filter's lambda in a
# repr, and the error then stops the coverage phase of an operation (seen on
# GET /v1/ambassador-cycles). Only that naming is given a fallback.
_describe = lambda_sources._lambda_description


def _described_even_on_the_interpreter_bug(f):
    try:
        return _describe(f)
    except SystemError as error:
        if "AST constructor recursion depth mismatch" not in str(error):
            raise
        return "lambda: <unknown>"


lambda_sources._lambda_description = _described_even_on_the_interpreter_bug

# (status, problem `errors[].code`, field regex, reason). A field regex
# matches the whole field name (`contributions[3].group_id`).
STATE_RULES = [
    # Opaque cursors: base64url JSON of the last row's key; a generated string
    # was never issued (tests/e2e/http/errors.rs, hostile_input.rs).
    (400, "invalid_parameter", r"cursor", "a cursor the API did not issue"),
    # Two parameters at once: `from` after `to`, `since` after `until`.
    (400, "invalid_parameter", r"from|since", "a time window that ends before it starts"),
    # GET /v1/summits/{id}/eligibility?program=: a programme the summit does not offer.
    (400, "invalid_parameter", r"program", "a programme the summit does not offer"),
    # GET /v1/contributions?region=: a well-formed slug of no region.
    (400, "invalid_parameter", r"region", "no such region"),
    # Mailed, single-use secrets (tests/e2e/auth/verify_email.rs, password_reset.rs).
    (422, "invalid_token", r"token", "a token that was never mailed"),
    # The password policy's list of common passwords (tests/e2e/members/password.rs).
    (422, "common_password", r"password|new", "one of the 10,000 most common passwords"),
    # The caller's own current password, confirming a change or an erasure.
    (422, "wrong_password", r"current|password", "not the caller's password"),
    # References to rows that must exist: ids and slugs of other resources.
    (422, "unknown_group", r".*group_ids?(\[\d+\])?", "no such group"),
    (422, "unknown_event", r".*event_id", "no such event"),
    (422, "unknown_member", r".*member_id", "no such member"),
    (422, "unknown_kind", r".*kind", "no such contribution kind"),
    (422, "unknown_summit", r"summit_id", "no such summit"),
    (422, "unknown_program", r".*program", "no such recognition programme"),
    (422, "unknown_region", r".*region|audience\[\d+\]", "no such region"),
    (422, "unknown_component", r"component", "no such component"),
    # Who may name a group: only its organizers link feedback or votes to it.
    (422, "not_an_organizer", r"group_id", "the caller does not organize that group"),
    # Two fields at once.
    (422, "before_opens_at", r".*closes_at", "a cycle closing before it opens"),
    (422, "before_starts_at", r".*ends_at", "an event ending before it starts"),
    (422, "before_starts_on", r".*ends_on", "a summit ending before it starts"),
    (422, "not_held", r".*attendee_count", "attendance of an event that is not `held`"),
    (422, "required", r"reason|note|group_ids|duplicate_of|upstream_url|contributions\[\d+\]\.member_id", "required by the value of another field"),
    (422, "unexpected", r"group_ids", "groups on a key whose scopes take none"),
    (422, "not_in_cycle", r"region", "a region the cycle does not recruit in"),
    (422, "same_as_original", r"language", "a translation into the message's own language"),
    # Reserved names: `manual` is the source of events entered by hand.
    (422, "reserved", r"source", "the reserved source `manual`"),
    # IANA time zone names: the database's several hundred, not restated.
    (422, "invalid_timezone", r".*timezone", "not an IANA time zone"),
    # The clock: an expiry in the past, a report for a quarter not begun.
    (422, "in_past", r"expires_at", "an expiry in the past"),
    (422, "in_future", r".*occurred_on", "a contribution dated after today"),
    (422, "future_period", r"period", "a quarter that has not begun"),
    (422, "outside_term", r"period", "a quarter outside the ambassador's term"),
    # Deployment settings: `http://` webhook targets only where private ones are allowed.
    (422, "https_required", r"url", "an http:// target where the deployment requires https"),
    # Within one batch: the same external id twice, an email of two members.
    (422, "duplicate", r"contributions\[\d+\]\.external_id", "an id twice in one import"),
    (422, "duplicate", r"(rules\.)?kinds\[\d+\]\.kind", "a contribution kind twice in one rules version"),
    (422, "ambiguous", r"contributions\[\d+\]\.email", "an email matching no single member"),
    (422, "duplicate", r"events\[\d+\]\.external_id", "an event twice in one sync"),
    (422, "not_of_group", r"event_id", "an event of another group"),
    (422, "all_zero", r"weights", "ranking weights that are all zero"),
    # JSON Schema counts `12.0` an integer; the API reads integers as serde
    # does, without a fraction (`must be a whole number`).
    (422, "invalid_type", r".*_count|.*points|max|seats|.*limit|node_count", "an integer written with a fraction"),
    # Pass codes end with a check character (tests/e2e/passes/check.rs).
    (422, "invalid_code", r"code", "a pass code whose check character is wrong"),
]

# Whole answers whose problem `code` alone says the request was right in
# form: `If-Match` with a tag the resource never had (tests/e2e/summits/update.rs).
STATE_PROBLEMS = {412: "precondition_failed"}


def _problem(response):
    try:
        body = json.loads(response.content)
    except (ValueError, TypeError):
        return None
    return body if isinstance(body, dict) else None


def state_rule_refusal(status, problem):
    """Whether the answer refuses the request only for rules the schema cannot state."""
    if problem is None:
        return False
    if STATE_PROBLEMS.get(status) == problem.get("code"):
        return True
    errors = problem.get("errors") or []
    if not errors:
        return False
    return all(
        any(
            status == rule_status
            and error.get("code") == code
            and re.fullmatch(field, str(error.get("field", "")))
            for rule_status, code, field, _ in STATE_RULES
        )
        for error in errors
    )


# The characters the server trims (Rust's White_Space), as the document
# names them in its trimmed-text pattern (crates/api/src/openapi_values.rs).
WS = r"\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
TRIMMED = re.compile(
    "Value not matching the '"
    + re.escape(f"^[^{WS}]")
    + r"(\(?\[\\s\\S\](\*|\{\d+,\d*\}))"
    + re.escape(f"[^{WS}]")
    + r"(\)\?)?\$' pattern"
)


def trimmed_text_accepted(failure):
    """A text sent with white space around it, which the document's pattern
    leaves out (it states the stored form, lengths included) and the server
    trims and accepts. Any other value breaking that pattern has the wrong
    length once trimmed, or is blank, and is refused."""
    return TRIMMED.search(failure.message) is not None


@schemathesis.hook
def filter_failure(context, failure, case, response):
    if response is None:
        return True
    if failure.code == "ST201":
        return not trimmed_text_accepted(failure)
    if failure.code == "ST202":
        return not state_rule_refusal(response.status_code, _problem(response))
    return True
