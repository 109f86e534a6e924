//! Activity reports: filing one as the ambassador, and placing data in a
//! past quarter (a test cannot wait for a quarter to pass).

use chrono::{Datelike, Duration, NaiveDate, Utc};
use reqwest::{Method, Response};
use serde_json::{json, Value};

use crate::{exec, id_of, Member, TestApp};

/// A quarter `YYYY-Qn` and its first day, written independently of the
/// server's code so the tests check it.
fn quarter_of(day: NaiveDate) -> (i32, u32) {
    (day.year(), day.month0() / 3 + 1)
}

fn first_day(year: i32, q: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, q * 3 - 2, 1).expect("a quarter's first day")
}

fn previous(year: i32, q: u32) -> (i32, u32) {
    if q == 1 {
        (year - 1, 4)
    } else {
        (year, q - 1)
    }
}

/// The quarter of today.
pub fn current_period() -> String {
    let (y, q) = quarter_of(Utc::now().date_naive());
    format!("{y}-Q{q}")
}

/// The quarter whose report is due today: the previous one once 30 days
/// have passed since it ended, else the one before.
pub fn due_period() -> String {
    let today = Utc::now().date_naive();
    let (y, q) = quarter_of(today);
    let (py, pq) = previous(y, q);
    let (y, q) = if today >= first_day(y, q) + Duration::days(30) {
        (py, pq)
    } else {
        previous(py, pq)
    };
    format!("{y}-Q{q}")
}

/// A report of `period` with a summary and a highlight.
pub fn report_request(period: &str) -> Value {
    json!({"period": period, "summary": "Seven meetups across four cities.", "highlights": ["Lyon reached 104"]})
}

impl TestApp {
    /// `POST /v1/ambassadors/{id}/reports` as `who` with an idempotency key.
    pub async fn file_report(
        &self,
        who: &Member,
        ambassadorship: &str,
        key: &str,
        request: &Value,
    ) -> Response {
        self.call(
            Method::POST,
            &format!("/v1/ambassadors/{ambassadorship}/reports"),
            Some(&who.token),
        )
        .header("Idempotency-Key", key)
        .json(request)
        .send()
        .await
        .expect("request")
    }

    /// Stretches an ambassadorship's term to have begun 400 days ago (so it
    /// covers the quarter now due) and to end in 100 days.
    pub async fn serve_since_long_ago(&self, ambassadorship: &Value) {
        exec(
            &self.db,
            &format!(
                "UPDATE ambassadorships SET term_start = current_date - 400, term_end = current_date + 100 WHERE id = '{}'",
                id_of(ambassadorship)
            ),
        )
        .await;
    }
}
