//! YCM records and their seed (user 13329 of the documentation example).

use std::collections::BTreeMap;

use serde_json::{Value, json};

/// A reseller's package.
#[derive(Debug, Clone, Default)]
pub(crate) struct Subscription {
    pub(crate) total_extensions: i64,
    pub(crate) total_concurrent_calls: i64,
    pub(crate) total_recordings: i64,
    pub(crate) minimum_ext_per_pbx: i64,
    pub(crate) high_availability: Option<String>,
    pub(crate) total_custom_domains: Option<i64>,
}

/// A YCM user.
#[derive(Debug, Clone, Default)]
pub(crate) struct User {
    pub(crate) user_id: u64,
    pub(crate) company: String,
    pub(crate) first_name: String,
    pub(crate) last_name: String,
    pub(crate) email: String,
    pub(crate) phone: String,
    pub(crate) mobile: String,
    pub(crate) address: String,
    pub(crate) remark: String,
    pub(crate) created_cloud_pbx: i64,
    pub(crate) user_type: String,
    pub(crate) two_factor: String,
    /// `None` = no limit (`""` on the wire).
    pub(crate) pbx_creation_limit: Option<i64>,
    pub(crate) subscription: Option<Subscription>,
}

impl User {
    /// `User_Info` (plus the undocumented `pbxCreationLimit` of resellers).
    pub(crate) fn to_json(&self) -> Value {
        let mut v = json!({
            "userId": self.user_id,
            "company": self.company,
            "firstName": self.first_name,
            "lastName": self.last_name,
            "email": self.email,
            "phone": self.phone,
            "mobile": self.mobile,
            "address": self.address,
            "remark": self.remark,
            "createdCloudPbx": self.created_cloud_pbx,
            "userType": self.user_type,
            "twoFactorAuthenticationEnable": self.two_factor,
        });
        if self.user_type == "Reseller" {
            // Not in the documented User_Info; shown so that an update can be observed.
            v["pbxCreationLimit"] = self.pbx_creation_limit.map_or(json!(""), |n| json!(n));
        }
        v
    }
}

/// YCM's records.
#[derive(Debug)]
pub(crate) struct Data {
    pub(crate) users: BTreeMap<u64, User>,
    pub(crate) next_user_id: u64,
}

impl Data {
    pub(crate) fn seeded() -> Self {
        let reseller = |user_id, company: &str, first: &str, last: &str, email: &str, pbx| User {
            user_id,
            company: company.into(),
            first_name: first.into(),
            last_name: last.into(),
            email: email.into(),
            phone: "0592-5503301".into(),
            mobile: "13800000000".into(),
            address: "Xiamen, Fujian".into(),
            remark: String::new(),
            created_cloud_pbx: pbx,
            user_type: "Reseller".into(),
            two_factor: "enable".into(),
            pbx_creation_limit: None,
            subscription: Some(Subscription {
                total_extensions: 100,
                total_concurrent_calls: 50,
                total_recordings: 20,
                minimum_ext_per_pbx: 5,
                high_availability: Some("unsubscribed".into()),
                total_custom_domains: Some(1),
            }),
        };
        let colleague = |user_id, first: &str, last: &str, email: &str| User {
            user_id,
            company: "Yeastar Demo Co.".into(),
            first_name: first.into(),
            last_name: last.into(),
            email: email.into(),
            user_type: "My Colleague".into(),
            two_factor: "disable".into(),
            ..User::default()
        };
        let users = [
            reseller(
                13329,
                "Old Company Name",
                "Rita",
                "Reseller",
                "rita.reseller@example.com",
                2,
            ),
            colleague(13330, "Colin", "Colleague", "colin@yeastar-demo.com"),
            reseller(
                13331,
                "Telecom Partner Ltd.",
                "Tom",
                "Partner",
                "tom@telecom-partner.example",
                0,
            ),
            reseller(13332, "Cloud Voice Inc.", "Vera", "Voice", "vera@cloudvoice.example", 5),
            colleague(13333, "Mia", "Manager", "mia@yeastar-demo.com"),
        ]
        .into_iter()
        .map(|u| (u.user_id, u))
        .collect();
        Self {
            users,
            next_user_id: 13400,
        }
    }
}
