//! The request id: the task-local that holds it while a request runs (so
//! that any problem document rendered during it carries the id), its header,
//! and which client-sent ids are kept. A leaf module: the middleware that
//! sets it lives in `middleware::observe`.

use std::future::Future;

use actix_web::http::header::HeaderValue;

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The header carrying the id.
pub const HEADER: &str = "x-request-id";

/// The id of the request being handled, if any.
pub fn current() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// The id of a request, stored in its extensions.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Runs `work` with `id` as the current request id.
pub async fn scope<F: Future>(id: String, work: F) -> F::Output {
    REQUEST_ID.scope(id, work).await
}

/// A client-sent id, kept when it is 1–128 characters that cannot forge a log line.
pub fn accept_client_id(value: &HeaderValue) -> Option<String> {
    let text = value.to_str().ok()?;
    let sane = (1..=128).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
    sane.then(|| text.to_owned())
}
