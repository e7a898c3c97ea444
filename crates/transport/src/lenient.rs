//! Lenient deserialisers for response fields whose JSON type Yeastar documents loosely.
//!
//! The docs type ids as Long in one place and String or Integer in another, send `expiresIn` as
//! a string, and leave many fields possibly empty. Response models use these with
//! `#[serde(default, deserialize_with = "…")]` so that a type drift becomes a value, not a
//! failed call. They read straight from the deserializer (no intermediate `Value`), except
//! [`opt_lifetime`], which reads a token answer's one field once per token.
//!
//! ```
//! use serde::Deserialize;
//! use yeastar_transport::lenient;
//!
//! #[derive(Deserialize)]
//! struct User {
//!     #[serde(default, deserialize_with = "lenient::opt_u64")]
//!     member_id: Option<u64>,
//!     #[serde(default, deserialize_with = "lenient::opt_string")]
//!     partner_id: Option<String>,
//! }
//! let u: User = serde_json::from_str(r#"{"member_id":"54164","partner_id":3076915454489739264}"#).unwrap();
//! assert_eq!(u.member_id, Some(54164));
//! assert_eq!(u.partner_id.as_deref(), Some("3076915454489739264"));
//! ```

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

struct U64Visitor;

impl<'de> Visitor<'de> for U64Visitor {
    type Value = Option<u64>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a non-negative integer or a numeric string")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        u64::try_from(v)
            .map(Some)
            .map_err(|_| E::custom(format!("{v} is negative")))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // Some JSON writers emit 123.0; anything with a fraction is not an integer.
        if v >= 0.0 && v.fract() == 0.0 && v < u64::MAX as f64 {
            Ok(Some(v as u64))
        } else {
            Err(E::custom(format!("{v} is not a non-negative integer")))
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let t = v.trim();
        if t.is_empty() {
            return Ok(None);
        }
        t.parse()
            .map(Some)
            .map_err(|_| E::custom(format!("{v:?} is not a non-negative integer")))
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

struct I64Visitor;

impl<'de> Visitor<'de> for I64Visitor {
    type Value = Option<i64>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer or a numeric string")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        i64::try_from(v)
            .map(Some)
            .map_err(|_| E::custom(format!("{v} is too large")))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        if v.fract() == 0.0 && v.abs() < i64::MAX as f64 {
            Ok(Some(v as i64))
        } else {
            Err(E::custom(format!("{v} is not an integer")))
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let t = v.trim();
        if t.is_empty() {
            return Ok(None);
        }
        t.parse()
            .map(Some)
            .map_err(|_| E::custom(format!("{v:?} is not an integer")))
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

struct StringVisitor;

impl<'de> Visitor<'de> for StringVisitor {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, a number or a boolean")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

struct BoolVisitor;

impl<'de> Visitor<'de> for BoolVisitor {
    type Value = Option<bool>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean, \"true\"/\"false\" or 1/0")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        match v {
            0 => Ok(Some(false)),
            1 => Ok(Some(true)),
            _ => Err(E::custom(format!("{v} is not a boolean"))),
        }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.visit_u64(u64::try_from(v).map_err(|_| E::custom(format!("{v} is not a boolean")))?)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        match v.trim() {
            "" => Ok(None),
            t if t.eq_ignore_ascii_case("true") || t == "1" => Ok(Some(true)),
            t if t.eq_ignore_ascii_case("false") || t == "0" => Ok(Some(false)),
            _ => Err(E::custom(format!("{v:?} is not a boolean"))),
        }
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// `Option<u64>` from a number, a numeric string, `""` (none), `null` or a missing field.
pub fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    d.deserialize_any(U64Visitor)
}

/// A token lifetime in seconds (`expires_in`, `expiresIn`): a number or a numeric string from
/// 1 s to about 31 years, fractions cut. Anything else — missing, zero, negative, huge, text, an
/// object — is `None`, so that the product's documented default applies: the token was issued,
/// and failing the whole answer would only ask for another one (a zero lifetime would ask on
/// every call).
pub fn opt_lifetime<'de, D: Deserializer<'de>>(d: D) -> Result<Option<std::time::Duration>, D::Error> {
    let secs = match serde_json::Value::deserialize(d)? {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    Ok(secs
        .filter(|s| s.is_finite() && (1.0..1e9).contains(s))
        .map(|s| std::time::Duration::from_secs(s as u64)))
}

/// `Option<i64>` from a number, a numeric string, `""` (none), `null` or a missing field.
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    d.deserialize_any(I64Visitor)
}

/// `Option<String>` from a string, a number or a boolean (kept as its JSON text), `null` or a
/// missing field.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(StringVisitor)
}

/// `Option<String>` from any JSON value: a string's text, or the JSON text of anything else
/// (an array, an object, `1e400`). For free text the SDK only shows (messages, request ids),
/// which must never make an answer undecodable.
pub fn opt_any_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let raw: Option<Box<serde_json::value::RawValue>> = Deserialize::deserialize(d)?;
    Ok(raw.map(|raw| {
        let text = raw.get();
        serde_json::from_str::<String>(text).unwrap_or_else(|_| text.to_owned())
    }))
}

/// A list where `null` (or, with `#[serde(default)]`, a missing field) means empty.
pub fn vec_or_null<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// `Option<bool>` from `true`/`false`, `"true"`/`"false"`, `1`/`0`, `""` (none) or `null`.
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    d.deserialize_any(BoolVisitor)
}

/// `Option<Vec<u64>>` whose items are numbers or numeric strings (empty strings are skipped).
pub fn opt_u64_vec<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u64>>, D::Error> {
    struct VecVisitor;
    impl<'de> Visitor<'de> for VecVisitor {
        type Value = Option<Vec<u64>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array of integers")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            struct Item(Option<u64>);
            impl<'de> serde::Deserialize<'de> for Item {
                fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    opt_u64(d).map(Item)
                }
            }
            // Bounded pre-allocation: a hostile size hint must not allocate unboundedly.
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
            while let Some(Item(v)) = seq.next_element()? {
                out.extend(v);
            }
            Ok(Some(out))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    }
    d.deserialize_any(VecVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    struct T {
        #[serde(default, deserialize_with = "opt_u64")]
        u: Option<u64>,
        #[serde(default, deserialize_with = "opt_i64")]
        i: Option<i64>,
        #[serde(default, deserialize_with = "opt_string")]
        s: Option<String>,
        #[serde(default, deserialize_with = "opt_bool")]
        b: Option<bool>,
        #[serde(default, deserialize_with = "opt_u64_vec")]
        v: Option<Vec<u64>>,
    }

    fn t(json: &str) -> Result<T, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn numbers_and_strings_are_both_accepted() {
        let x = t(r#"{"u":"54164","i":-3,"s":3076915454489739264,"b":"true","v":[1000127,"1000128",""]}"#).unwrap();
        assert_eq!(x.u, Some(54164));
        assert_eq!(x.i, Some(-3));
        assert_eq!(x.s.as_deref(), Some("3076915454489739264"));
        assert_eq!(x.b, Some(true));
        assert_eq!(x.v, Some(vec![1000127, 1000128]));
        // ysId-sized numbers (> i64::MAX) fit u64.
        assert_eq!(
            t(r#"{"u":17896360390850257349}"#).unwrap().u,
            Some(17896360390850257349)
        );
        assert_eq!(t(r#"{"u":54164.0,"b":0}"#).unwrap().u, Some(54164));
    }

    #[test]
    fn empty_null_and_missing_are_none() {
        let x = t(r#"{"u":"","i":null,"s":null,"b":"","v":null}"#).unwrap();
        assert_eq!((x.u, x.i, x.s, x.b, x.v), (None, None, None, None, None));
        let x = t("{}").unwrap();
        assert_eq!((x.u, x.i, x.s, x.b, x.v), (None, None, None, None, None));
    }

    #[test]
    fn wrong_types_are_errors_not_panics() {
        for bad in [
            r#"{"u":"abc"}"#,
            r#"{"u":-1}"#,
            r#"{"u":1.5}"#,
            r#"{"i":"x"}"#,
            r#"{"i":18446744073709551615}"#,
            r#"{"s":{"a":1}}"#,
            r#"{"b":"maybe"}"#,
            r#"{"b":7}"#,
            r#"{"v":{"a":1}}"#,
            r#"{"v":[{"a":1}]}"#,
        ] {
            assert!(t(bad).is_err(), "{bad}");
        }
    }
}
