//! Ids of 19 digits and more (plans, services, orders, partners), read exactly.
//!
//! Partner Portal's plan, service and order ids are numbers such as `3048571730026938368`:
//! beyond the 53 bits of a floating-point number, and some may exceed `u64`. The SDK keeps them
//! as strings. A JSON string is taken as it is; a JSON number is taken from its **raw token**
//! (the digits as they were sent), so no value is rounded, whatever its size. This works
//! because every Partner Portal answer is decoded straight from the response text; the models
//! using it therefore have no `#[serde(flatten)]` map (which would buffer the token).

use serde::de::{Deserialize, Deserializer, Error as _};
use yeastar_transport::reexports::RawValue;

/// An id read as a string from a JSON string or a JSON integer of any size, exactly; `null`,
/// absent and `""` are none. Anything else (a fraction, an object) is a decode error.
pub(crate) fn opt_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let Some(raw) = Option::<Box<RawValue>>::deserialize(d)? else {
        return Ok(None);
    };
    let text = raw.get().trim();
    if text.starts_with('"') {
        let s: String = serde_json::from_str(text).map_err(D::Error::custom)?;
        return Ok(Some(s).filter(|s| !s.is_empty()));
    }
    if text == "null" {
        return Ok(None);
    }
    let digits = text.strip_prefix('-').unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(Some(text.to_owned()));
    }
    Err(D::Error::custom(format!(
        "expected an id (a string or an integer), found {text}"
    )))
}

/// Whether `s` is a non-empty run of ASCII digits (how the API's Long ids look).
pub(crate) fn is_numeric(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Checks that `value`, an id the API types as a number, is made of digits only.
pub(crate) fn check_numeric(field: &str, value: &str) -> yeastar_transport::Result<()> {
    if is_numeric(value) {
        return Ok(());
    }
    Err(yeastar_transport::Error::invalid_input(
        field,
        format!("{field} must be a number (digits only), got {value:?}"),
    ))
}

/// Checks that `value`, an id the API types as a Java `Long`, is digits that fit one
/// (at most 9223372036854775807).
pub(crate) fn check_long(field: &str, value: &str) -> yeastar_transport::Result<()> {
    check_numeric(field, value)?;
    if value.parse::<i64>().is_err() {
        return Err(yeastar_transport::Error::invalid_input(
            field,
            format!("{field} {value} is too large for a Long (at most {})", i64::MAX),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct T {
        #[serde(default, deserialize_with = "super::opt_id")]
        id: Option<String>,
    }

    fn id(json: &str) -> Result<Option<String>, serde_json::Error> {
        serde_json::from_str::<T>(json).map(|t| t.id)
    }

    #[test]
    fn numbers_of_any_size_keep_every_digit() {
        for n in [
            "3048571730026938368",
            "9223372036854775807",
            "9223372036854775808",
            "18446744073709551615",
            "18446744073709551616",
            "123456789012345678901234567890",
        ] {
            assert_eq!(id(&format!(r#"{{"id":{n}}}"#)).unwrap().as_deref(), Some(n), "{n}");
            assert_eq!(id(&format!(r#"{{"id":"{n}"}}"#)).unwrap().as_deref(), Some(n), "{n}");
            // The same from a byte slice, as the envelope reads answers.
            let t: T = serde_json::from_slice(format!(r#"{{"id": {n} }}"#).as_bytes()).unwrap();
            assert_eq!(t.id.as_deref(), Some(n));
        }
        // Floating point would have changed the digits.
        assert_ne!(
            serde_json::from_str::<serde_json::Value>("18446744073709551616")
                .unwrap()
                .to_string(),
            "18446744073709551616"
        );
    }

    #[test]
    fn empty_and_bad_values() {
        assert_eq!(id(r#"{"id":null}"#).unwrap(), None);
        assert_eq!(id(r#"{"id":""}"#).unwrap(), None);
        assert_eq!(id("{}").unwrap(), None);
        assert_eq!(id(r#"{"id":"PO-7"}"#).unwrap().as_deref(), Some("PO-7"));
        for bad in [r#"{"id":1.5}"#, r#"{"id":3e18}"#, r#"{"id":{"a":1}}"#, r#"{"id":true}"#] {
            assert!(id(bad).is_err(), "{bad}");
        }
    }
}
