//! Values read out of JSON resources.

use serde_json::Value;

/// The `id` of a JSON resource, as text.
pub fn id_of(resource: &Value) -> String {
    resource["id"]
        .as_str()
        .unwrap_or_else(|| panic!("an `id` in {resource}"))
        .to_owned()
}
