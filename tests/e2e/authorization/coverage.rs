//! The matrix cannot drift from the API: every operation of
//! `openapi/v1.json` has a row, and every row is an operation of it.

use serde_json::Value;

use super::matrix::{Row, ROWS};

/// The operations of the committed document, as `(METHOD, path)`.
fn operations() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/v1.json"))
        .expect("openapi/v1.json is committed");
    let document: Value = serde_json::from_str(&text).expect("openapi/v1.json is JSON");
    let mut out = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                out.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    out
}

/// The segments of a path, without its query.
fn segments(path: &str) -> Vec<&str> {
    path.split('?')
        .next()
        .unwrap_or_default()
        .split('/')
        .collect()
}

fn is_template(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

/// Whether `row` exercises the operation at `path`: a `{name}` of the row
/// stands for a parameter of the document; a literal segment of the row
/// (`me` in `eligibility/me`) fills a parameter only when `loose`.
fn exercises(row: &Row, path: &str, loose: bool) -> bool {
    let (mine, theirs) = (segments(row.path), segments(path));
    mine.len() == theirs.len()
        && mine
            .iter()
            .zip(&theirs)
            .all(|(m, t)| match (is_template(m), is_template(t)) {
                (true, true) => true,
                (false, false) => m == t,
                (false, true) => loose,
                (true, false) => false,
            })
}

/// The operation a row exercises: the one it matches segment for segment,
/// else the one whose parameter a literal segment of the row fills.
fn operation_of<'a>(row: &Row, operations: &'a [(String, String)]) -> Option<&'a (String, String)> {
    let method = if row.method == "CSV" {
        "GET"
    } else {
        row.method
    };
    let candidates = || operations.iter().filter(move |(m, _)| m == method);
    candidates()
        .find(|(_, p)| exercises(row, p, false))
        .or_else(|| candidates().find(|(_, p)| exercises(row, p, true)))
}

#[test]
fn every_operation_of_the_openapi_document_has_a_row_of_the_matrix() {
    let operations = operations();
    let covered: Vec<&(String, String)> = ROWS
        .iter()
        .filter_map(|row| operation_of(row, &operations))
        .collect();
    let missing: Vec<String> = operations
        .iter()
        .filter(|op| !covered.contains(op))
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        missing.is_empty(),
        "operations with no row in authorization/matrix.rs:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_row_of_the_matrix_is_an_operation_with_an_answer_per_actor() {
    let operations = operations();
    let strays: Vec<String> = ROWS
        .iter()
        .filter(|row| operation_of(row, &operations).is_none())
        .map(|row| format!("{} {}", row.method, row.path))
        .collect();
    assert!(
        strays.is_empty(),
        "rows that are no operation of openapi/v1.json:\n{}",
        strays.join("\n")
    );
    for row in ROWS {
        // Panics on a cell that is not ok, 401, 403 or 404, or a missing one.
        row.outcomes();
    }
    let mut seen = std::collections::HashSet::new();
    for row in ROWS {
        assert!(
            seen.insert((row.method, row.path)),
            "{} {} has two rows",
            row.method,
            row.path
        );
    }
}
