//! Partner Portal specifics on top of `yeastar_transport::lenient`: enums where `""` means none,
//! and list results whose shape is undocumented.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// An optional enum read from a string; `""` and `null` are none.
pub(crate) fn opt_enum<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: From<String>,
{
    Ok(yeastar_transport::lenient::opt_string(d)?
        .filter(|s| !s.is_empty())
        .map(T::from))
}

/// Reads a list result tolerantly: an array, a single object (one item), `null` (no items), or
/// an object wrapping the array under `results`, `list`, `records` or `data`.
pub(crate) fn list_value(value: Value) -> Value {
    match value {
        Value::Null => Value::Array(Vec::new()),
        Value::Array(_) => value,
        Value::Object(mut map) => {
            for key in ["results", "list", "records", "data"] {
                if matches!(map.get(key), Some(Value::Array(_))) {
                    return map.remove(key).unwrap_or_default();
                }
            }
            Value::Array(vec![Value::Object(map)])
        }
        other => other,
    }
}

/// A list read with [`list_value`]'s tolerance; an item that fails names its index.
pub(crate) struct Listish<T>(pub(crate) Vec<T>);

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for Listish<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match list_value(Value::deserialize(d)?) {
            Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    serde_json::from_value(item).map_err(|e| serde::de::Error::custom(format!("item [{i}]: {e}")))
                })
                .collect::<Result<Vec<T>, D::Error>>()
                .map(Listish),
            other => Err(serde::de::Error::custom(format!("expected a list, found {other}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use yeastar_transport::lenient::{opt_i64, opt_string, opt_u64};

    #[derive(Deserialize, Debug)]
    struct T {
        #[serde(default, deserialize_with = "opt_string")]
        s: Option<String>,
        #[serde(default, deserialize_with = "opt_u64")]
        u: Option<u64>,
        #[serde(default, deserialize_with = "opt_i64")]
        i: Option<i64>,
    }

    #[test]
    fn numbers_and_strings_are_both_accepted() {
        let t: T = serde_json::from_value(json!({"s": 3076915454489739264u64, "u": "17", "i": -3})).unwrap();
        assert_eq!(t.s.as_deref(), Some("3076915454489739264"));
        assert_eq!(t.u, Some(17));
        assert_eq!(t.i, Some(-3));
        let t: T = serde_json::from_value(json!({"s": null, "u": "", "i": "42"})).unwrap();
        assert_eq!((t.s, t.u, t.i), (None, None, Some(42)));
        let t: T = serde_json::from_value(json!({})).unwrap();
        assert_eq!((t.s, t.u, t.i), (None, None, None));
        assert!(serde_json::from_value::<T>(json!({"u": "x"})).is_err());
        assert!(serde_json::from_value::<T>(json!({"s": {"a": 1}})).is_err());
    }

    #[test]
    fn lists_come_in_several_shapes() {
        assert_eq!(list_value(json!(null)), json!([]));
        assert_eq!(list_value(json!([1])), json!([1]));
        assert_eq!(list_value(json!({"a": 1})), json!([{"a": 1}]));
        assert_eq!(list_value(json!({"results": [1, 2], "total": 2})), json!([1, 2]));
    }
}
