//! Checks made before anything is sent, shared by every product crate (the APIs' own messages
//! are less precise, and a create that fails server-side may still have cost a round trip).

use crate::error::{Error, Result};

/// An email address (a Yeastar ID is one): no whitespace, exactly one `@`, a non-empty local part
/// and a domain of non-empty dot-separated labels with at least one dot. Deliberately loose
/// beyond that: the server has the final word.
pub fn email(field: &str, value: &str) -> Result<()> {
    let bad = |why: &str| Err(Error::invalid_input(field, format!("{why} (got {value:?})")));
    if value.is_empty() {
        return Err(Error::invalid_input(field, "is required"));
    }
    if value.len() > 254 {
        return Err(Error::invalid_input(
            field,
            "is longer than an email address can be (254)",
        ));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("must be an email address without whitespace");
    }
    let mut parts = value.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return bad("must be an email address with exactly one '@'");
    };
    if local.is_empty() {
        return bad("must be an email address with a name before the '@'");
    }
    if !domain.contains('.') || domain.split('.').any(str::is_empty) {
        return bad("must be an email address with a domain such as example.com after the '@'");
    }
    Ok(())
}

/// A required text field: present and not blank.
pub fn required(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid_input(field, "is required and must not be blank"));
    }
    Ok(())
}

/// Whether an optional text field holds something other than blanks.
pub fn is_filled(value: Option<&str>) -> bool {
    value.is_some_and(|v| !v.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_must_look_like_emails() {
        for ok in [
            "yaya@yeastar.com",
            "color123@yeastar.com",
            "a.b+c@sub.example.co",
            "名前@例え.jp",
        ] {
            assert!(email("yeastarId", ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "yaya",
            "yaya@",
            "@yeastar.com",
            "yaya@yeastar",
            "ya ya@yeastar.com",
            " yaya@yeastar.com",
            "yaya@yeastar.com\n",
            "a@b@yeastar.com",
            "yaya@.com",
            "yaya@yeastar.",
            "yaya@yeastar..com",
        ] {
            let err = email("yeastarId", bad).unwrap_err();
            assert!(
                matches!(&err, Error::InvalidInput { field, .. } if field == "yeastarId"),
                "{bad:?}: {err}"
            );
        }
    }

    #[test]
    fn required_fields_must_not_be_blank() {
        assert!(required("company", "Acme").is_ok());
        assert!(required("company", "").is_err());
        assert!(required("company", " \t").is_err());
        assert!(is_filled(Some("x")));
        assert!(!is_filled(Some("  ")));
        assert!(!is_filled(None));
    }
}
