//! The authorization matrix: every operation of `openapi/v1.json` × every
//! actor, in one table a reader takes in at a glance.
//!
//! Each row is a method, a path template and one answer per actor column.
//! `{name}` in a path is a resource of the world (`world.rs` says what each
//! one is); `CSV` is a `GET` sent with `Accept: text/csv`.
//!
//! Actor columns, and who owns what in the world:
//!
//! | code | actor |
//! | --- | --- |
//! | `an` | anonymous: no credentials |
//! | `me` | Mia, a plain member (of `europe`, by her country): owns the member-side resources — her applications, claim, feedback items, appeal, passes, translation, profile `{member}` |
//! | `oa` | Olga, organizer of `{group}` (and of `{pending}`, `{status_group}`, `{pending_review}`), owner of `{webhook}` |
//! | `ob` | Otto, organizer of another group (in `asia`) |
//! | `aa` | Ana, active ambassador of `{region}` (`europe`, the region of every resource above), author of `{message}` |
//! | `ab` | Ben, active ambassador of another region (`asia`) |
//! | `st` | staff |
//! | `ad` | admin |
//! | `ks` … `kc` | an API key per scope: `groups:sync` (listing `{group}`), `passes:read`, `passes:issue`, `passes:redeem`, `feedback:read`, `members:email`, `contributions:import` |
//!
//! Answers:
//!
//! - `401`: credentials needed and none given (api.md, Errors).
//! - `404`: the path names a resource the caller may not see — a pending
//!   group and what hangs off it, a private profile, someone else's
//!   application, claim, pass, appeal, eligibility or webhook, a draft a
//!   reviewer may not see yet, a service account (admins only). domain.md:
//!   "A resource the caller may not see answers 404, as if it did not exist."
//! - `403`: the caller may see it (or the path names nothing private) but
//!   may not do this. An API key is no member: outside what its scopes name
//!   it reads what anonymous reads and is refused 403 everywhere else, the
//!   same for every id, so it learns nothing about private resources either
//!   (the answer `service_accounts/scopes.rs` and `feedback/get.rs` pin).
//! - `ok`: the request **got past authorization**: any answer but 401, 403
//!   or 404 (and not a 5xx, which fails on its own). Usually a 2xx; a 409 or
//!   422 because an allowed actor before it already did the thing is fine.
//!
//! Who may do what is api.md's "who" column, read literally: where it says
//! "organizers" staff are not added; where staff may act it says so
//! ("region's ambassador, staff"). The sections follow api.md's.

/// One operation and what every actor gets.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// `GET`, `POST`, `PUT`, `PATCH`, `DELETE`, or `CSV` (a `GET` asking for `text/csv`).
    pub method: &'static str,
    /// The path, with `{name}` for the world's resources, and a query where the operation needs one.
    pub path: &'static str,
    /// One answer per column of [`ACTORS`], separated by spaces.
    pub expect: &'static str,
}

const fn row(method: &'static str, path: &'static str, expect: &'static str) -> Row {
    Row {
        method,
        path,
        expect,
    }
}

/// The columns, in the order of every row's answers.
pub const ACTORS: [&str; 15] = [
    "an", "me", "oa", "ob", "aa", "ab", "st", "ad", "ks", "kr", "ki", "kd", "kf", "ke", "kc",
];

/// The scope of each key column (`ks` … `kc`), in column order.
pub const KEY_SCOPES: [&str; 7] = [
    "groups:sync",
    "passes:read",
    "passes:issue",
    "passes:redeem",
    "feedback:read",
    "members:email",
    "contributions:import",
];

/// What a request got, as far as authorization goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Got past authorization (see the module doc).
    Ok,
    /// 401.
    Unauthenticated,
    /// 403.
    Forbidden,
    /// 404.
    NotFound,
}

impl Outcome {
    /// The answer a table cell names.
    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "ok" => Some(Self::Ok),
            "401" => Some(Self::Unauthenticated),
            "403" => Some(Self::Forbidden),
            "404" => Some(Self::NotFound),
            _ => None,
        }
    }

    /// The outcome of an HTTP status.
    pub fn of(status: u16) -> Self {
        match status {
            401 => Self::Unauthenticated,
            403 => Self::Forbidden,
            404 => Self::NotFound,
            _ => Self::Ok,
        }
    }

    /// As written in the table.
    pub fn code(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Unauthenticated => "401",
            Self::Forbidden => "403",
            Self::NotFound => "404",
        }
    }
}

impl Row {
    /// The expected outcome per actor column; panics on a malformed row.
    pub fn outcomes(&self) -> Vec<Outcome> {
        let cells: Vec<Outcome> = self
            .expect
            .split_whitespace()
            .map(|c| {
                Outcome::parse(c)
                    .unwrap_or_else(|| panic!("{} {}: unknown cell `{c}`", self.method, self.path))
            })
            .collect();
        assert_eq!(
            cells.len(),
            ACTORS.len(),
            "{} {}: one cell per actor",
            self.method,
            self.path
        );
        cells
    }
}

#[rustfmt::skip]
pub const ROWS: &[Row] = &[
    //   method    path                                                        an  me  oa  ob  aa  ab  st  ad  ks  kr  ki  kd  kf  ke  kc
    // Operations (api.md, Conventions)
    row("GET",    "/healthz",                                                " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("GET",    "/readyz",                                                 " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("GET",    "/metrics",                                                " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    // Accounts; Accounts and personal data
    row("POST",   "/v1/auth/register",                                       " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("POST",   "/v1/auth/token",                                          " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("POST",   "/v1/auth/refresh",                                        " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("POST",   "/v1/auth/logout",                                         "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("POST",   "/v1/auth/verify-email",                                   " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("POST",   "/v1/auth/verify-email/resend",                            "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("POST",   "/v1/auth/password-reset",                                 " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("POST",   "/v1/auth/password-reset/confirm",                         " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("GET",    "/v1/me",                                                  "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("PATCH",  "/v1/me",                                                  "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("DELETE", "/v1/me",                                                  "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("POST",   "/v1/me/password",                                         "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/me/export",                                           "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/me/notifications",                                    "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("PATCH",  "/v1/me/notifications",                                    "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/members/{member}",                                    " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("GET",    "/v1/members/{private}",                                   "404 404 404 404 404 404  ok  ok 404 404 404 404 404 404 404"),
    row("DELETE", "/v1/members/{victim}",                                    "401 403 403 403 403 403 403  ok 403 403 403 403 403 403 403"),
    row("PUT",    "/v1/members/{spare}/roles",                               "401 403 403 403 403 403 403  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/members?skill=translation",                           "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/service-accounts",                                    "401 403 403 403 403 403 403  ok 403 403 403 403 403 403 403"),
    row("POST",   "/v1/service-accounts",                                    "401 403 403 403 403 403 403  ok 403 403 403 403 403 403 403"),
    row("DELETE", "/v1/service-accounts/{service_account}",                  "401 404 404 404 404 404 404  ok 403 403 403 403 403 403 403"),
    // Regions and directory
    row("GET",    "/v1/regions",                                             " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("CSV",    "/v1/regions",                                             " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("POST",   "/v1/regions",                                             "401 403 403 403 403 403  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/regions/{region}",                                    " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("PATCH",  "/v1/regions/{region}",                                    "401 403 403 403 403 403  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/regions/{region}/ambassadors",                        " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("GET",    "/v1/directory?country=FR",                                " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    // Groups and events
    row("POST",   "/v1/groups",                                              "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/groups",                                              " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("CSV",    "/v1/groups",                                              " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("GET",    "/v1/groups/{group}",                                      " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("GET",    "/v1/groups/{pending}",                                    "404 404  ok 404  ok 404  ok  ok 404 404 404 404 404 404 404"),
    row("PATCH",  "/v1/groups/{group}",                                      "401 403  ok 403 403 403 403 403 403 403 403 403 403 403 403"),
    row("PATCH",  "/v1/groups/{pending}",                                    "401 404  ok 404 403 404 403 403 403 403 403 403 403 403 403"),
    row("POST",   "/v1/groups/{pending_review}/review",                      "401 404 403 404  ok 404  ok  ok 403 403 403 403 403 403 403"),
    row("POST",   "/v1/groups/{status_group}/status",                        "401 403 403 403  ok 403  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/groups/{group}/organizers",                           " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("GET",    "/v1/groups/{pending}/organizers",                         "404 404  ok 404  ok 404  ok  ok 404 404 404 404 404 404 404"),
    row("POST",   "/v1/groups/{group}/organizers",                           "401 403  ok 403 403 403 403 403 403 403 403 403 403 403 403"),
    row("DELETE", "/v1/groups/{group}/organizers/{co}",                      "401 403  ok 403 403 403 403 403 403 403 403 403 403 403 403"),
    row("GET",    "/v1/groups/{group}/health",                               " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("GET",    "/v1/groups/{pending}/health",                             "404 404  ok 404  ok 404  ok  ok 404 404 404 404 404 404 404"),
    row("GET",    "/v1/regions/{region}/groups/attention",                   "401 403 403 403  ok 403  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/groups/{group}/events",                               " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("GET",    "/v1/groups/{pending}/events",                             "404 404  ok 404  ok 404  ok  ok 404 404 404 404 404 404 404"),
    row("POST",   "/v1/groups/{group}/events",                               "401 403  ok 403 403 403 403 403 403 403 403 403 403 403 403"),
    row("GET",    "/v1/events/{event}",                                      " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("GET",    "/v1/events/{pending_event}",                              "404 404  ok 404  ok 404  ok  ok 404 404 404 404 404 404 404"),
    row("PATCH",  "/v1/events/{event}",                                      "401 403  ok 403 403 403 403 403 403 403 403 403 403 403 403"),
    row("DELETE", "/v1/events/{doomed_event}",                               "401 403  ok 403 403 403 403 403 403 403 403 403 403 403 403"),
    row("PUT",    "/v1/groups/{group}/events/sync",                          "401 403  ok 403 403 403 403 403  ok 403 403 403 403 403 403"),
    row("GET",    "/v1/events/changes",                                      " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("GET",    "/v1/events",                                              " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("GET",    "/v1/groups/{group}/events.ics",                           " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("GET",    "/v1/groups/{pending}/events.ics",                         "404 404  ok 404  ok 404  ok  ok 404 404 404 404 404 404 404"),
    row("GET",    "/v1/regions/{region}/events.ics",                         " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("GET",    "/v1/me/calendar.ics?token={cal_token}",                   " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("GET",    "/v1/me/calendar.ics",                                     "401 401 401 401 401 401 401 401 401 401 401 401 401 401 401"),
    row("POST",   "/v1/me/calendar-token",                                   "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("DELETE", "/v1/me/calendar-token",                                   "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    // Ambassador programme
    row("GET",    "/v1/ambassador-cycles",                                   " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("POST",   "/v1/ambassador-cycles",                                   "401 403 403 403 403 403  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/ambassador-cycles/{cycle}",                           " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("PATCH",  "/v1/ambassador-cycles/{cycle_patch}",                     "401 403 403 403 403 403  ok  ok 403 403 403 403 403 403 403"),
    row("POST",   "/v1/ambassador-cycles/{cycle}/applications",              "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/ambassador-cycles/{cycle}/applications",              "401 403 403 403  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/applications/{application}",                          "401  ok 404 404  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/applications/{draft}",                                "401  ok 404 404 404 404  ok  ok 403 403 403 403 403 403 403"),
    row("PATCH",  "/v1/applications/{draft}",                                "401  ok 404 404 404 404 403 403 403 403 403 403 403 403 403"),
    row("POST",   "/v1/applications/{to_submit}/submit",                     "401  ok 404 404 404 404 403 403 403 403 403 403 403 403 403"),
    row("POST",   "/v1/applications/{to_withdraw}/withdraw",                 "401  ok 404 404 403 403 403 403 403 403 403 403 403 403 403"),
    row("PUT",    "/v1/applications/{application}/review",                   "401 403 404 404  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/ambassador-cycles/{cycle}/proposal",                  "401 403 403 403 403 403  ok  ok 403 403 403 403 403 403 403"),
    row("POST",   "/v1/applications/{to_decide}/decision",                   "401 403 404 404 403 403  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/me/applications",                                     "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/ambassadors",                                         " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("GET",    "/v1/ambassadors/{ambassadorship}",                        " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("PATCH",  "/v1/ambassadors/{retiring}",                              "401 403 403 403 403 403  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/ambassadors/{ambassadorship}/reports/draft",          "401 403 403 403  ok 403  ok  ok 403 403 403 403 403 403 403"),
    row("POST",   "/v1/ambassadors/{ambassadorship}/reports",                "401 403 403 403  ok 403 403 403 403 403 403 403 403 403 403"),
    row("GET",    "/v1/ambassadors/{ambassadorship}/reports",                " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("GET",    "/v1/ambassadors/{ambassadorship}/reports/{period}",       " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("GET",    "/v1/regions/{region}/dashboard",                          "401 403 403 403  ok 403  ok  ok 403 403 403 403 403 403 403"),
    // Key messages
    row("GET",    "/v1/messages",                                            " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("POST",   "/v1/messages",                                            "401 403 403 403  ok 403  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/messages/{message}",                                  " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("PATCH",  "/v1/messages/{message}",                                  "401 403 403 403  ok 403  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/groups/{group}/messages",                             " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("GET",    "/v1/groups/{pending}/messages",                           "404 404  ok 404  ok 404  ok  ok 404 404 404 404 404 404 404"),
    row("POST",   "/v1/messages/{message}/acknowledgements",                 "401 403  ok 403 403 403 403 403 403 403 403 403 403 403 403"),
    row("GET",    "/v1/messages/{message}/translations",                     " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("POST",   "/v1/messages/{message}/translations",                     "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/messages/{message}/translators?language=fr",          "401 403 403 403  ok 403  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/translations/{translation}",                          " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("POST",   "/v1/translations/{translation}/decision",                 "401 403 403 403  ok 403  ok  ok 403 403 403 403 403 403 403"),
    // Feedback
    row("POST",   "/v1/feedback",                                            "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/feedback",                                            "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403  ok 403 403"),
    row("CSV",    "/v1/feedback",                                            "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403  ok 403 403"),
    row("GET",    "/v1/feedback/{feedback}",                                 "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403  ok 403 403"),
    row("POST",   "/v1/feedback/{feedback}/votes",                           "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("DELETE", "/v1/feedback/{feedback}/votes",                           "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("POST",   "/v1/feedback/{to_triage}/triage",                         "401 403 403 403  ok 403  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/feedback/summary?group_by=component",                 " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("GET",    "/v1/feedback/similar?q=migration",                        "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/feedback/{feedback}/history",                         "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403  ok 403 403"),
    row("POST",   "/v1/feedback/{duplicate}/restore",                        "401 403 403 403  ok 403  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/components",                                          " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("POST",   "/v1/components",                                          "401 403 403 403 403 403  ok  ok 403 403 403 403 403 403 403"),
    // Recognition and passes
    row("GET",    "/v1/contribution-kinds",                                  " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("POST",   "/v1/contribution-kinds",                                  "401 403 403 403 403 403  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/recognition-programs",                                " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("POST",   "/v1/recognition-programs",                                "401 403 403 403 403 403  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/recognition-programs/{program}",                      " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("POST",   "/v1/recognition-programs/{program}/rules",                "401 403 403 403 403 403  ok  ok 403 403 403 403 403 403 403"),
    row("POST",   "/v1/recognition-programs/{program}/rules/preview",        "401 403 403 403 403 403  ok  ok 403 403 403 403 403 403 403"),
    row("POST",   "/v1/contributions",                                       "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/contributions",                                       "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("POST",   "/v1/contributions/{claim}/verification",                  "401 403  ok 404  ok 404  ok  ok 403 403 403 403 403 403 403"),
    row("POST",   "/v1/contributions/import",                                "401 403 403 403 403 403  ok  ok 403 403 403 403 403 403  ok"),
    row("GET",    "/v1/summits",                                             " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("POST",   "/v1/summits",                                             "401 403 403 403 403 403  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/summits/{summit}",                                    " ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"),
    row("PATCH",  "/v1/summits/{summit}",                                    "401 403 403 403 403 403  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/summits/{summit}/eligibility/{member}?program=acc",   "401  ok 404 404 404 404  ok  ok 403  ok 403 403 403 403 403"),
    row("GET",    "/v1/summits/{summit}/eligibility/me?program=acc",         "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/summits/{summit}/eligibility?program=acc",            "401 403 403 403 403 403  ok  ok 403  ok 403 403 403 403 403"),
    row("CSV",    "/v1/summits/{summit}/eligibility?program=acc",            "401 403 403 403 403 403  ok  ok 403  ok 403 403 403 403 403"),
    row("POST",   "/v1/summits/{summit}/passes/issue",                       "401 403 403 403 403 403  ok  ok 403 403  ok 403 403 403 403"),
    row("POST",   "/v1/summits/{summit}/passes",                             "401 403 403 403 403 403  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/summits/{summit}/passes",                             "401 403 403 403 403 403  ok  ok 403  ok 403 403 403 403 403"),
    row("CSV",    "/v1/summits/{summit}/passes",                             "401 403 403 403 403 403  ok  ok 403  ok 403 403 403 403 403"),
    row("GET",    "/v1/me/passes",                                           "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/me/contributions",                                    "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("POST",   "/v1/passes/redeem",                                       "401 403 403 403 403 403  ok  ok 403 403 403  ok 403 403 403"),
    row("POST",   "/v1/passes/check",                                        "401 403 403 403 403 403  ok  ok 403 403 403  ok 403 403 403"),
    row("POST",   "/v1/passes/{pass_to_revoke}/revoke",                      "401 403 404 404 404 404  ok  ok 403 403 403 403 403 403 403"),
    row("POST",   "/v1/summits/{summit}/appeals",                            "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/summits/{summit}/appeals",                            "401 403 403 403 403 403  ok  ok 403 403 403 403 403 403 403"),
    row("POST",   "/v1/appeals/{appeal}/decision",                           "401 403 404 404 404 404  ok  ok 403 403 403 403 403 403 403"),
    // Notifications and webhooks
    row("POST",   "/v1/webhooks",                                            "401 403  ok 403 403 403 403  ok 403 403 403 403 403 403 403"),
    // Every member here organises a group by now (the `POST /v1/groups` row,
    // far above, made one each); one who organises none is 403
    // (webhooks/manage.rs).
    row("GET",    "/v1/webhooks",                                            "401  ok  ok  ok  ok  ok  ok  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/webhooks/{webhook}",                                  "401 404  ok 404 404 404 404  ok 403 403 403 403 403 403 403"),
    row("PATCH",  "/v1/webhooks/{webhook}",                                  "401 404  ok 404 404 404 404  ok 403 403 403 403 403 403 403"),
    row("DELETE", "/v1/webhooks/{doomed_webhook}",                           "401 404  ok 404 404 404 404  ok 403 403 403 403 403 403 403"),
    row("POST",   "/v1/webhooks/{webhook}/ping",                             "401 404  ok 404 404 404 404  ok 403 403 403 403 403 403 403"),
    row("GET",    "/v1/webhooks/{webhook}/deliveries",                       "401 404  ok 404 404 404 404  ok 403 403 403 403 403 403 403"),
    row("POST",   "/v1/webhooks/{webhook}/deliveries/{delivery}/retry",      "401 404  ok 404 404 404 404  ok 403 403 403 403 403 403 403"),
    // Audit
    row("GET",    "/v1/audit-log",                                           "401 403 403 403 403 403  ok  ok 403 403 403 403 403 403 403"),
    row("CSV",    "/v1/audit-log",                                           "401 403 403 403 403 403  ok  ok 403 403 403 403 403 403 403"),
];
