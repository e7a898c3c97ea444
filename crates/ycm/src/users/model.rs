//! The YCM user model: `User_Info`, its enums, the PBX creation limit and the reseller package.

use std::num::NonZeroU32;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use yeastar_transport::lenient::opt_u64;
use yeastar_transport::{Error, Result, api_enum};

use crate::envelope::PagedList;

api_enum! {
    /// The type of a YCM user (`userType`). The standard edition knows `My Colleague` and
    /// `Reseller`; the BYOI edition `My Colleague` and `Hosting User`.
    ///
    /// ```
    /// use yeastar_ycm::UserType;
    /// assert_eq!(UserType::from("Hosting User"), UserType::HostingUser);
    /// assert_eq!(UserType::Reseller.as_str(), "Reseller");
    /// assert_eq!(UserType::from("Partner"), UserType::Unknown("Partner".into()));
    /// ```
    pub enum UserType {
        /// `My Colleague`: an account of your own organisation.
        MyColleague => "My Colleague",
        /// `Reseller` (standard edition).
        Reseller => "Reseller",
        /// `Hosting User` (BYOI edition).
        HostingUser => "Hosting User",
    }
}

api_enum! {
    /// Whether two-factor authentication is on for a user (`twoFactorAuthenticationEnable`).
    pub enum TwoFactorAuthentication {
        /// `enable`.
        Enable => "enable",
        /// `disable`.
        Disable => "disable",
    }
}

api_enum! {
    /// Whether a reseller package includes high availability (`highAvailability`).
    pub enum HighAvailability {
        /// `subscribed`.
        Subscribed => "subscribed",
        /// `unsubscribed`.
        Unsubscribed => "unsubscribed",
    }
}

/// The most Cloud PBXs a reseller may own (`pbxCreationLimit`).
///
/// On the wire it is an integer, where the empty string `""` means "no limit"; the doc forbids
/// 0, so a limit is a [`NonZeroU32`].
///
/// ```
/// use yeastar_ycm::PbxCreationLimit;
/// assert_eq!(serde_json::to_string(&PbxCreationLimit::Unlimited).unwrap(), r#""""#);
/// assert_eq!(serde_json::to_string(&PbxCreationLimit::new(5).unwrap()).unwrap(), "5");
/// assert!(PbxCreationLimit::new(0).is_err());
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PbxCreationLimit {
    /// No limit (sent as `""`).
    Unlimited,
    /// At most this many PBXs. YCM also refuses a value below the number the reseller
    /// already owns.
    Limit(NonZeroU32),
}

impl PbxCreationLimit {
    /// A limit of `count` PBXs; 0 is refused with [`Error::InvalidInput`] (field
    /// `pbxCreationLimit`), as the doc forbids it.
    pub fn new(count: u32) -> Result<Self> {
        NonZeroU32::new(count).map(Self::Limit).ok_or_else(|| {
            Error::invalid_input(
                "pbxCreationLimit",
                "0 is not allowed: the limit must be at least 1, or unlimited (sent as \"\")",
            )
        })
    }

    /// The limit, or `None` when unlimited.
    pub fn get(self) -> Option<u32> {
        match self {
            Self::Unlimited => None,
            Self::Limit(n) => Some(n.get()),
        }
    }
}

impl From<NonZeroU32> for PbxCreationLimit {
    fn from(n: NonZeroU32) -> Self {
        Self::Limit(n)
    }
}

impl Serialize for PbxCreationLimit {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Self::Unlimited => s.serialize_str(""),
            Self::Limit(n) => s.serialize_u32(n.get()),
        }
    }
}

impl<'de> Deserialize<'de> for PbxCreationLimit {
    /// Reads `""` as unlimited, and a positive number or numeric string as a limit.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        let n = match Value::deserialize(d)? {
            Value::String(s) if s.trim().is_empty() => return Ok(Self::Unlimited),
            Value::String(s) => s.trim().parse::<u64>().ok(),
            Value::Number(n) => n.as_u64(),
            _ => None,
        };
        n.and_then(|n| u32::try_from(n).ok())
            .and_then(NonZeroU32::new)
            .map(Self::Limit)
            .ok_or_else(|| D::Error::custom("expected \"\" (no limit) or a positive integer"))
    }
}

/// A YCM user (`User_Info`). Every field is optional: YCM may leave any out.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// The user id (`userId`, a Long; accepted as a number or a numeric string).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub user_id: Option<u64>,
    /// Company name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// First name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Mobile number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
    /// Address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// How many Cloud PBXs the user created (`createdCloudPbx`).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub created_cloud_pbx: Option<u64>,
    /// How many resellers a hosting user created (`createdReseller`, BYOI edition).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub created_reseller: Option<u64>,
    /// The user type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_type: Option<UserType>,
    /// Whether two-factor authentication is on (`twoFactorAuthenticationEnable`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub two_factor_authentication_enable: Option<TwoFactorAuthentication>,
}

/// One page of users.
pub type UserPage = PagedList<User>;

/// The service package of a reseller (standard edition, "Reseller Package") or hosting user
/// (BYOI edition, "Hosting Package"), sent when it is created. The four counts of
/// [`ResellerPackage::new`] are required; the rest are optional. `totalUltimatePlan`,
/// `totalTranscription` and `totalConnections` exist only in the standard edition.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResellerPackage {
    /// Total extensions (`totalExtensions`).
    pub total_extensions: u32,
    /// Total concurrent calls (`totalConcurrentCalls`).
    pub total_concurrent_calls: u32,
    /// Total recordings (`totalRecordings`).
    pub total_recordings: u32,
    /// Minimum extensions per PBX (`minimumExtPerPBX`, spelled so on create).
    #[serde(rename = "minimumExtPerPBX")]
    pub minimum_ext_per_pbx: u32,
    /// Ultimate-plan PBXs (`totalUltimatePlan`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_ultimate_plan: Option<u32>,
    /// High availability (`highAvailability`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub high_availability: Option<HighAvailability>,
    /// Custom domains (`totalCustomDomains`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_custom_domains: Option<u32>,
    /// Transcription (`totalTranscription`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_transcription: Option<u32>,
    /// Connections (`totalConnections`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_connections: Option<u32>,
}

impl ResellerPackage {
    /// A package with the four required counts.
    pub fn new(
        total_extensions: u32,
        total_concurrent_calls: u32,
        total_recordings: u32,
        minimum_ext_per_pbx: u32,
    ) -> Self {
        Self {
            total_extensions,
            total_concurrent_calls,
            total_recordings,
            minimum_ext_per_pbx,
            total_ultimate_plan: None,
            high_availability: None,
            total_custom_domains: None,
            total_transcription: None,
            total_connections: None,
        }
    }

    yeastar_transport::setters! {
        /// Standard edition only.
        total_ultimate_plan = u32 => "totalUltimatePlan",
        high_availability: HighAvailability => "highAvailability",
        total_custom_domains = u32 => "totalCustomDomains",
        /// Standard edition only.
        total_transcription = u32 => "totalTranscription",
        /// Standard edition only (Remote Management).
        total_connections = u32 => "totalConnections",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn enums_round_trip_and_keep_unknown_values() {
        for (t, s) in [
            (UserType::MyColleague, "My Colleague"),
            (UserType::Reseller, "Reseller"),
            (UserType::HostingUser, "Hosting User"),
            (UserType::Unknown("Distributor".into()), "Distributor"),
        ] {
            assert_eq!(serde_json::to_value(&t).unwrap(), json!(s));
            assert_eq!(serde_json::from_value::<UserType>(json!(s)).unwrap(), t);
            assert_eq!(t.to_string(), s);
        }
        assert_eq!(
            serde_json::from_value::<TwoFactorAuthentication>(json!("enable")).unwrap(),
            TwoFactorAuthentication::Enable
        );
        assert_eq!(
            serde_json::from_value::<TwoFactorAuthentication>(json!(true)).unwrap(),
            TwoFactorAuthentication::Unknown("true".into())
        );
        assert_eq!(
            serde_json::to_value(HighAvailability::Subscribed).unwrap(),
            json!("subscribed")
        );
    }

    #[test]
    fn pbx_creation_limit_wire_format() {
        assert_eq!(serde_json::to_value(PbxCreationLimit::Unlimited).unwrap(), json!(""));
        assert_eq!(
            serde_json::to_value(PbxCreationLimit::new(5).unwrap()).unwrap(),
            json!(5)
        );
        for (v, want) in [
            (json!(""), PbxCreationLimit::Unlimited),
            (json!(7), PbxCreationLimit::new(7).unwrap()),
            (json!("7"), PbxCreationLimit::new(7).unwrap()),
        ] {
            assert_eq!(serde_json::from_value::<PbxCreationLimit>(v).unwrap(), want);
        }
        for bad in [json!(0), json!("0"), json!(-1), json!("x"), json!(1.5), json!(u64::MAX)] {
            assert!(
                serde_json::from_value::<PbxCreationLimit>(bad.clone()).is_err(),
                "{bad}"
            );
        }
        let err = PbxCreationLimit::new(0).unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput { field, .. } if field == "pbxCreationLimit"),
            "{err}"
        );
        assert_eq!(PbxCreationLimit::Unlimited.get(), None);
    }

    #[test]
    fn user_decodes_leniently() {
        let u: User = serde_json::from_value(json!({
            "userId": "13329", "company": "Acme", "createdCloudPbx": "2", "userType": "Hosting User",
            "twoFactorAuthenticationEnable": "disable", "somethingNew": {"x": 1}, "remark": null
        }))
        .unwrap();
        assert_eq!(u.user_id, Some(13329));
        assert_eq!(u.created_cloud_pbx, Some(2));
        assert_eq!(u.user_type, Some(UserType::HostingUser));
        assert_eq!(
            u.two_factor_authentication_enable,
            Some(TwoFactorAuthentication::Disable)
        );
        assert_eq!(u.remark, None);
    }
}
