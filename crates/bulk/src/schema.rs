//! The fields a product's rows may hold: their API names, value types and how they can be
//! written, and the one conversion of a cell or JSON value into the API's value.

use std::fmt;

use serde_json::Value;
use yeastar_transport::{Product, validate};

use crate::csv::LIST_SEPARATOR;

/// The values a field takes.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text (numbers in JSON input are taken as their text: phone numbers often are).
    Text,
    /// An email address (checked like the SDK checks one before sending).
    Email,
    /// A whole number from 0 to `max`.
    Integer {
        /// The largest value.
        max: u64,
    },
    /// `true` or `false`.
    Bool,
    /// One of these values (matched ignoring case, written in this casing).
    Enum(&'static [&'static str]),
    /// A list of whole numbers (`;`-separated in a CSV cell).
    IntegerList,
    /// A list of texts (`;`-separated in a CSV cell).
    TextList,
}

impl Kind {
    /// A whole number that fits the API's 32-bit integers.
    pub const U32: Kind = Kind::Integer { max: u32::MAX as u64 };
    /// A whole number that fits the API's 64-bit ids.
    pub const U64: Kind = Kind::Integer { max: u64::MAX };
}

/// How a field can be written.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The key a row is matched by (an email address): required in every row, unique in a file.
    Key,
    /// Read back, compared, and sent when it differs.
    Updatable,
    /// Read back and set when the user is created, but the API cannot change it afterwards: a
    /// row with a different value for an existing user is invalid.
    Immutable,
    /// Sent when the user is created; the API never returns it, so it cannot be compared and
    /// is not sent for an existing user (the plan lists it as ignored).
    CreateOnly,
    /// Read back, compared and sent when it differs, but the API cannot set it when creating a
    /// user (the plan lists it as ignored on a create; a later import applies it).
    UpdateOnly,
    /// Sent when the user is created and with every update of the user; the API never returns
    /// it, so it is never compared and never causes an update by itself (Workplace's face
    /// image, which an update that leaves it out may clear).
    WriteOnly,
    /// Only in the input: the adapter turns it into another field before planning (Workplace
    /// `groupNames` into `groupIds`).
    InputOnly,
}

/// One field of a product's rows.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The API's name, in the API's casing (the CSV header and the JSON key).
    pub name: &'static str,
    /// Its values.
    pub kind: Kind,
    /// How it can be written.
    pub access: Access,
    /// Whether a row that creates a user must set it.
    pub required_on_create: bool,
    /// Another column name accepted for it (Partner Portal's key: `yeastarId` for `email`).
    pub alias: Option<&'static str>,
}

impl Field {
    /// A field that is optional on create.
    pub const fn new(name: &'static str, kind: Kind, access: Access) -> Self {
        Self {
            name,
            kind,
            access,
            required_on_create: false,
            alias: None,
        }
    }

    /// The same field, also accepted under the column name `alias`.
    pub const fn alias(mut self, alias: &'static str) -> Self {
        self.alias = Some(alias);
        self
    }

    /// The same field, required when a user is created.
    pub const fn required(mut self) -> Self {
        self.required_on_create = true;
        self
    }

    /// Whether the API returns the field (so that it is exported and compared).
    pub fn readable(&self) -> bool {
        matches!(
            self.access,
            Access::Key | Access::Updatable | Access::Immutable | Access::UpdateOnly
        )
    }
}

/// The fields of one product's rows.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schema {
    /// The product.
    pub product: Product,
    /// The fields, in the order of an export's columns.
    pub fields: &'static [Field],
}

impl Schema {
    /// A schema of `fields`; exactly one must be the [`Access::Key`].
    pub const fn new(product: Product, fields: &'static [Field]) -> Self {
        Self { product, fields }
    }

    /// The field named `name` (exactly, in the API's casing), or whose alias it is.
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .or_else(|| self.fields.iter().find(|f| f.alias == Some(name)))
    }

    /// The key field.
    pub fn key(&self) -> &'static Field {
        // Every schema of this crate has one key; a schema without one is a bug caught by tests.
        self.fields
            .iter()
            .find(|f| f.access == Access::Key)
            .unwrap_or(&self.fields[0])
    }

    /// The columns of an export: the fields the API returns, in schema order.
    pub fn export_columns(&self) -> Vec<String> {
        self.fields
            .iter()
            .filter(|f| f.readable())
            .map(|f| f.name.to_owned())
            .collect()
    }

    /// A message for an unknown column: the closest name when it differs only in case or
    /// punctuation, else every name.
    pub(crate) fn unknown_column(&self, name: &str) -> String {
        let simple = |s: &str| -> String {
            s.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect()
        };
        let wanted = simple(name);
        match self.fields.iter().find(|f| simple(f.name) == wanted) {
            Some(f) => format!(
                "unknown column {name:?}: did you mean {:?}? (names are the API's, case-sensitive)",
                f.name
            ),
            None => format!(
                "unknown column {name:?}; the {} columns are: {}",
                self.product,
                self.fields.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
            ),
        }
    }
}

/// Why a value was refused (the field is named by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadValue(pub(crate) String);

impl fmt::Display for BadValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The API value of one input value (a CSV cell as a string, or a JSON value): `None` when it
/// is empty (an empty cell, `""`, `null` or `[]` leaves the field as it is).
pub(crate) fn coerce(field: &Field, value: &Value) -> Result<Option<Value>, BadValue> {
    let bad = |what: &str| Err(BadValue(format!("{what} (got {})", shown(value))));
    match value {
        Value::Null => return Ok(None),
        Value::String(s) if s.trim().is_empty() => return Ok(None),
        Value::Array(a) if a.is_empty() => return Ok(None),
        _ => {}
    }
    match field.kind {
        Kind::Text => match value {
            Value::String(s) => Ok(Some(Value::String(s.trim().to_owned()))),
            Value::Number(n) => Ok(Some(Value::String(n.to_string()))),
            _ => bad("must be text"),
        },
        Kind::Email => match value {
            Value::String(s) => {
                let s = s.trim();
                validate::email(field.name, s).map_err(|e| BadValue(invalid_message(e)))?;
                Ok(Some(Value::String(s.to_owned())))
            }
            _ => bad("must be an email address"),
        },
        Kind::Integer { max } => match integer(value, max) {
            Some(n) => Ok(Some(Value::from(n))),
            None => bad(&format!("must be a whole number from 0 to {max}")),
        },
        Kind::Bool => match value {
            Value::Bool(b) => Ok(Some(Value::Bool(*b))),
            Value::String(s) if s.trim().eq_ignore_ascii_case("true") => Ok(Some(Value::Bool(true))),
            Value::String(s) if s.trim().eq_ignore_ascii_case("false") => Ok(Some(Value::Bool(false))),
            _ => bad("must be true or false"),
        },
        Kind::Enum(values) => {
            let text = match value {
                Value::String(s) => s.trim(),
                _ => return bad(&format!("must be one of {}", values.join(", "))),
            };
            match values.iter().find(|v| v.eq_ignore_ascii_case(text)) {
                Some(v) => Ok(Some(Value::String((*v).to_owned()))),
                None => bad(&format!("must be one of {}", values.join(", "))),
            }
        }
        Kind::IntegerList => {
            let items = list_items(value)
                .ok_or_else(|| BadValue(format!("must be a list of whole numbers (got {})", shown(value))))?;
            let mut out = Vec::with_capacity(items.len());
            for item in &items {
                match integer(item, u64::MAX) {
                    Some(n) => out.push(Value::from(n)),
                    None => return bad("must be a list of whole numbers separated by ';'"),
                }
            }
            Ok((!out.is_empty()).then_some(Value::Array(out)))
        }
        Kind::TextList => {
            let items =
                list_items(value).ok_or_else(|| BadValue(format!("must be a list of texts (got {})", shown(value))))?;
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::String(s) => out.push(Value::String(s.trim().to_owned())),
                    Value::Number(n) => out.push(Value::String(n.to_string())),
                    _ => return bad("must be a list of texts"),
                }
            }
            Ok((!out.is_empty()).then_some(Value::Array(out)))
        }
    }
}

/// The message of an SDK `InvalidInput` error, without the field (named by the caller).
pub(crate) fn invalid_message(e: yeastar_transport::Error) -> String {
    match e {
        yeastar_transport::Error::InvalidInput { message, .. } => message,
        other => other.to_string(),
    }
}

/// A value as shown in a message: strings quoted, cut to 60 characters.
fn shown(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(60).collect::<String>())
    } else {
        text
    }
}

fn integer(value: &Value, max: u64) -> Option<u64> {
    let n = match value {
        Value::Number(n) => n.as_u64()?,
        Value::String(s) => {
            let s = s.trim();
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            s.parse().ok()?
        }
        _ => return None,
    };
    (n <= max).then_some(n)
}

/// The items of a list: a JSON array, or a cell of `;`-separated items (empty items dropped).
fn list_items(value: &Value) -> Option<Vec<Value>> {
    match value {
        Value::Array(items) => Some(items.clone()),
        Value::String(s) => Some(
            s.split(LIST_SEPARATOR)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_owned()))
                .collect(),
        ),
        Value::Number(_) => Some(vec![value.clone()]),
        _ => None,
    }
}

/// Whether a row's value (already coerced) equals what the API holds, in the field's terms:
/// emails and enum values ignore case, lists ignore order, a number read as a string is the
/// same number, and an absent value differs from any value.
pub(crate) fn same(field: &Field, wanted: &Value, current: Option<&Value>) -> bool {
    let Some(current) = current else {
        return false;
    };
    match coerce(field, current) {
        Ok(Some(current)) => match (field.kind, wanted, &current) {
            (Kind::Email | Kind::Enum(_), Value::String(a), Value::String(b)) => a.eq_ignore_ascii_case(b),
            (Kind::IntegerList | Kind::TextList, Value::Array(a), Value::Array(b)) => sorted(a) == sorted(b),
            _ => *wanted == current,
        },
        // The API holds nothing (or something this crate cannot read): a set value differs.
        _ => false,
    }
}

fn sorted(items: &[Value]) -> Vec<String> {
    let mut v: Vec<String> = items.iter().map(Value::to_string).collect();
    v.sort();
    v.dedup();
    v
}

/// The normalised key of a row (emails are matched ignoring case and surrounding blanks).
pub(crate) fn key_of(value: &str) -> String {
    value.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const TEXT: Field = Field::new("firstName", Kind::Text, Access::Updatable);
    const NUM: Field = Field::new("totalExtensions", Kind::U32, Access::CreateOnly);
    const ENUM: Field = Field::new("userType", Kind::Enum(&["Reseller", "My Colleague"]), Access::Immutable);
    const IDS: Field = Field::new("groupIds", Kind::IntegerList, Access::Updatable);
    const MAIL: Field = Field::new("email", Kind::Email, Access::Key);

    #[test]
    fn empty_values_leave_the_field_alone() {
        for empty in [json!(null), json!(""), json!("  "), json!([])] {
            assert_eq!(coerce(&TEXT, &empty), Ok(None), "{empty}");
            assert_eq!(coerce(&IDS, &empty), Ok(None), "{empty}");
        }
        assert_eq!(coerce(&IDS, &json!(" ; ")), Ok(None));
    }

    #[test]
    fn cells_and_json_values_become_api_values() {
        assert_eq!(coerce(&TEXT, &json!(" Ada ")), Ok(Some(json!("Ada"))));
        assert_eq!(coerce(&TEXT, &json!(13600930000u64)), Ok(Some(json!("13600930000"))));
        assert_eq!(coerce(&NUM, &json!("100")), Ok(Some(json!(100))));
        assert_eq!(coerce(&NUM, &json!(100)), Ok(Some(json!(100))));
        assert_eq!(coerce(&ENUM, &json!("my colleague")), Ok(Some(json!("My Colleague"))));
        assert_eq!(
            coerce(&IDS, &json!("1000127; 1000128")),
            Ok(Some(json!([1000127, 1000128])))
        );
        assert_eq!(
            coerce(&IDS, &json!([1000127, "1000128"])),
            Ok(Some(json!([1000127, 1000128])))
        );
        assert_eq!(
            coerce(&MAIL, &json!(" ada@example.com ")),
            Ok(Some(json!("ada@example.com")))
        );
    }

    #[test]
    fn wrong_values_are_refused_with_what_was_expected() {
        let msg = |f: &Field, v: Value| coerce(f, &v).unwrap_err().0;
        assert_eq!(
            msg(&NUM, json!("ten")),
            "must be a whole number from 0 to 4294967295 (got \"ten\")"
        );
        assert!(msg(&NUM, json!(-1)).starts_with("must be a whole number"));
        assert!(msg(&NUM, json!(1.5)).starts_with("must be a whole number"));
        assert!(msg(&NUM, json!("4294967296")).starts_with("must be a whole number"));
        assert_eq!(
            msg(&ENUM, json!("Partner")),
            "must be one of Reseller, My Colleague (got \"Partner\")"
        );
        assert!(msg(&IDS, json!("1;x")).contains("whole numbers"));
        assert!(
            msg(&MAIL, json!("ada@")).contains("domain"),
            "{}",
            msg(&MAIL, json!("ada@"))
        );
        assert_eq!(msg(&TEXT, json!({"a": 1})), "must be text (got {\"a\":1})");
    }

    #[test]
    fn comparison_follows_the_field() {
        assert!(same(&MAIL, &json!("Ada@Example.com"), Some(&json!("ada@example.com"))));
        assert!(same(&IDS, &json!([2, 1]), Some(&json!([1, 2]))));
        assert!(same(&NUM, &json!(5), Some(&json!("5"))));
        assert!(!same(&TEXT, &json!("Ada"), Some(&json!("ada"))));
        assert!(!same(&TEXT, &json!("Ada"), None));
        assert!(!same(&TEXT, &json!("Ada"), Some(&json!(null))));
        assert!(!same(&TEXT, &json!("Ada"), Some(&json!(""))));
    }
}
