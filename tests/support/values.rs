//! Values read out of answers: ids, `ETag`s, timestamps, strings.

use chrono::{DateTime, Utc};
use reqwest::Response;
use serde_json::Value;

/// The `id` of a JSON resource, as text.
pub fn id_of(resource: &Value) -> String {
    resource["id"]
        .as_str()
        .unwrap_or_else(|| panic!("an `id` in {resource}"))
        .to_owned()
}

/// The ids of a list page's items, in order.
pub fn page_ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(id_of)
        .collect()
}

/// The `ETag` header of a response.
pub fn etag(response: &Response) -> String {
    response.headers()["etag"]
        .to_str()
        .expect("ETag header")
        .to_owned()
}

/// A timestamp of a JSON field.
pub fn at(value: &Value) -> DateTime<Utc> {
    value
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("a timestamp, got {value}"))
}

/// A JSON string field as text.
pub fn string_of(value: &Value) -> String {
    value
        .as_str()
        .unwrap_or_else(|| panic!("a string, not {value}"))
        .to_owned()
}
