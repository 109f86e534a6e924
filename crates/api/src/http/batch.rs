//! Reading one item of a bulk batch (an event sync, a contribution import)
//! field by field, so that a field of the wrong type is named
//! (`events[6].starts_at`) and the other fields are still checked: the
//! batch answers one 422 listing every bad field.

use liaison_domain::error::Errors;
use liaison_domain::FieldError;
use serde_json::{Map, Value};

/// Item `i` of the list `list`, being read.
pub struct BatchItem<'a> {
    prefix: String,
    map: &'a Map<String, Value>,
    /// Whether every text field read so far had the right type.
    pub ok: bool,
}

impl<'a> BatchItem<'a> {
    /// The item, or `None` (recorded) when it is not a JSON object (`what`
    /// names what each item should be, e.g. "each event").
    pub fn of(
        list: &str,
        i: usize,
        value: &'a Value,
        what: &str,
        errors: &mut Errors,
    ) -> Option<Self> {
        let prefix = format!("{list}[{i}]");
        match value {
            Value::Object(map) => Some(Self {
                prefix,
                map,
                ok: true,
            }),
            _ => {
                errors.push(FieldError::new(
                    prefix,
                    "invalid_type",
                    format!("{what} is a JSON object"),
                ));
                None
            }
        }
    }

    /// The raw value of `field`.
    pub fn get(&self, field: &str) -> Option<&'a Value> {
        self.map.get(field)
    }

    /// Records that `field` is invalid (`code`, `message`).
    pub fn reject(&self, field: &str, code: &str, message: &str, errors: &mut Errors) {
        errors.push(FieldError::new(
            format!("{}.{field}", self.prefix),
            code,
            message,
        ));
    }

    /// A string field: `None` when absent or null (recorded when
    /// `required`), or of another type (recorded; the item is then not `ok`).
    pub fn text(&mut self, field: &str, required: bool, errors: &mut Errors) -> Option<String> {
        match self.map.get(field) {
            Some(Value::String(s)) => Some(s.clone()),
            None | Some(Value::Null) if !required => None,
            None | Some(Value::Null) => {
                self.ok = false;
                self.reject(field, "invalid_type", "required", errors);
                None
            }
            Some(_) => {
                self.ok = false;
                self.reject(field, "invalid_type", "must be a string", errors);
                None
            }
        }
    }
}
