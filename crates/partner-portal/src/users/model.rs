//! The subordinate-user model: `User_Info` and its enums.

use serde::{Deserialize, Deserializer, Serialize};
use yeastar_transport::lenient::opt_string;

yeastar_transport::api_enum! {
    /// A user type.
    ///
    /// Users are written as [`UserType::Customer`] (the only value create and edit accept; the
    /// SDK sends it for you) and read back as [`UserType::Enduser`].
    pub enum UserType {
        /// `Enduser`: how customers read back on the list and detail endpoints.
        Enduser => "Enduser",
        /// `Customer`: the type sent on create and edit.
        Customer => "Customer",
    }
}

yeastar_transport::api_enum! {
    /// The kind of tax number sent with `taxNum` (`taxType`).
    pub enum TaxType {
        /// `VAT_number`.
        VatNumber => "VAT_number",
        /// `Tax_ID`.
        TaxId => "Tax_ID",
        /// `TIN_number`.
        TinNumber => "TIN_number",
        /// `RUC` (Peru).
        Ruc => "RUC",
        /// `CUIT` (Argentina).
        Cuit => "CUIT",
    }
}

/// An optional enum read from a string; `""` and `null` are none.
fn opt_enum<'de, D, T>(d: D) -> std::result::Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: From<String>,
{
    Ok(opt_string(d)?.filter(|s| !s.is_empty()).map(T::from))
}

/// A subordinate user as the API returns it (`User_Info`).
///
/// Every field may be missing or empty; empty strings are kept as they came (`Some("")`),
/// except `userType`, where an empty value reads as `None`.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct User {
    /// The user's unique ID (`partnerId`, a 19-digit number sent as a string).
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub partner_id: Option<String>,
    /// Email address (the Yeastar ID).
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// User type; customers read back as [`UserType::Enduser`].
    #[serde(deserialize_with = "opt_enum", skip_serializing_if = "Option::is_none")]
    pub user_type: Option<UserType>,
    /// Company.
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// First name.
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Phone number.
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Country (a name from the country list).
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// State / province.
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub state_province: Option<String>,
    /// City.
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Street.
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// ZIP / postal code.
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub zip_code: Option<String>,
    /// Tax identification number (as the API returns it, e.g. `VAT_number:` in the docs' example).
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub tax_num: Option<String>,
    /// Remark.
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn enums_round_trip_through_serde() {
        for (t, s) in [
            (TaxType::VatNumber, "VAT_number"),
            (TaxType::TaxId, "Tax_ID"),
            (TaxType::TinNumber, "TIN_number"),
            (TaxType::Ruc, "RUC"),
            (TaxType::Cuit, "CUIT"),
            (TaxType::Unknown("GST".into()), "GST"),
        ] {
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{s}\""));
            assert_eq!(serde_json::from_str::<TaxType>(&json).unwrap(), t);
            assert_eq!(t.as_str(), s);
            assert_eq!(s.parse::<TaxType>().unwrap(), t);
        }
        for (t, s) in [
            (UserType::Enduser, "Enduser"),
            (UserType::Customer, "Customer"),
            (UserType::Unknown("Reseller".into()), "Reseller"),
        ] {
            assert_eq!(serde_json::to_value(&t).unwrap(), json!(s));
            assert_eq!(serde_json::from_value::<UserType>(json!(s)).unwrap(), t);
            assert_eq!(t.to_string(), s);
        }
    }

    #[test]
    fn user_decodes_leniently() {
        let u: User = serde_json::from_value(json!({
            "partnerId": 3076915454489739264u64, "email": "", "userType": "", "firstName": null,
            "somethingNew": {"x": 1}
        }))
        .unwrap();
        assert_eq!(u.partner_id.as_deref(), Some("3076915454489739264"));
        assert_eq!((u.email.as_deref(), u.user_type, u.first_name), (Some(""), None, None));
    }
}
