//! The OpenAPI document, as the binary prints it, and the parts of it
//! tests check against what the server does.

use serde_json::Value;

/// The document (`liaison openapi`, the committed `openapi/v1.json`).
pub fn document() -> Value {
    serde_json::from_str(&liaison_api::openapi::document_json()).expect("document JSON")
}

/// `value`, or what its `$ref` names.
pub fn resolved<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value["$ref"].as_str() {
        Some(reference) => {
            let pointer = reference.trim_start_matches('#');
            doc.pointer(pointer)
                .unwrap_or_else(|| panic!("{reference} resolves"))
        }
        None => value,
    }
}

/// The operation `method` (lower case) of `path`.
pub fn operation<'a>(doc: &'a Value, method: &str, path: &str) -> &'a Value {
    let op = &doc["paths"][path][method];
    assert!(op.is_object(), "{method} {path} is in the document");
    op
}

/// The schema of parameter `name` of an operation, `$ref` resolved.
pub fn parameter_schema<'a>(doc: &'a Value, op: &'a Value, name: &str) -> &'a Value {
    let parameter = op["parameters"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == name))
        .unwrap_or_else(|| panic!("parameter {name}"));
    resolved(doc, &parameter["schema"])
}

/// A component schema by name.
pub fn component<'a>(doc: &'a Value, name: &str) -> &'a Value {
    let schema = &doc["components"]["schemas"][name];
    assert!(schema.is_object(), "schema {name}");
    schema
}
