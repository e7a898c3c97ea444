//! The in-memory state and its seed (the records from the documentation examples).

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::time::Instant;

use serde_json::{Value, json};

use crate::Product;
use crate::fault::XorShift;

/// An issued token.
#[derive(Debug, Clone)]
pub(crate) struct Issued {
    pub(crate) product: Product,
    pub(crate) client_id: String,
    pub(crate) expires: Instant,
}

/// A YCM token bucket.
#[derive(Debug, Clone)]
pub(crate) struct Bucket {
    pub(crate) tokens: u32,
    pub(crate) last_refill: Instant,
}

/// Partner Portal subordinate user (customer).
#[derive(Debug, Clone, Default)]
pub(crate) struct PpUser {
    pub(crate) city: String,
    pub(crate) company: String,
    pub(crate) country: String,
    pub(crate) email: String,
    pub(crate) first_name: String,
    pub(crate) last_name: String,
    pub(crate) partner_id: String,
    pub(crate) phone_number: String,
    pub(crate) remark: String,
    pub(crate) state_province: String,
    pub(crate) street: String,
    pub(crate) tax_num: String,
    /// Written but never read back: `User_Info` has no `taxType`.
    pub(crate) tax_type: String,
    pub(crate) zip_code: String,
}

impl PpUser {
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "city": self.city,
            "company": self.company,
            "country": self.country,
            "email": self.email,
            "firstName": self.first_name,
            "lastName": self.last_name,
            "partnerId": self.partner_id,
            "phoneNumber": self.phone_number,
            "remark": self.remark,
            "stateProvince": self.state_province,
            "street": self.street,
            "taxNum": self.tax_num,
            // Written as "Customer", read back as "Enduser" (documented quirk).
            "userType": "Enduser",
            "zipCode": self.zip_code,
        })
    }
}

/// YCM reseller package.
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
pub(crate) struct YcmUser {
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

impl YcmUser {
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

/// A Workplace member.
#[derive(Debug, Clone, Default)]
pub(crate) struct WpMember {
    pub(crate) user_id: u64,
    pub(crate) member_id: u64,
    pub(crate) invite_status: String,
    pub(crate) email: String,
    pub(crate) first_name: String,
    pub(crate) last_name: Option<String>,
    pub(crate) group_ids: Vec<u64>,
    pub(crate) role_name: String,
    pub(crate) preferred_building_name: String,
    pub(crate) preferred_floor_name: Option<String>,
    pub(crate) phone: Option<String>,
    /// Stored (and reset by an update that omits it) but, as in `User_Info`, never returned.
    #[allow(dead_code)]
    pub(crate) image_base64: Option<String>,
    pub(crate) id_code: Option<String>,
}

impl WpMember {
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "userId": self.user_id,
            "memberId": self.member_id,
            "inviteStatus": self.invite_status,
            "email": self.email,
            "firstName": self.first_name,
            "lastName": self.last_name,
            "groupIds": self.group_ids,
            "roleName": self.role_name,
            "preferredBuildingName": self.preferred_building_name,
            "preferredFloorName": self.preferred_floor_name,
            "phone": self.phone,
            "idCode": self.id_code,
        })
    }
}

/// The company name under which Workplace shows the "All Users" group.
pub(crate) const WP_COMPANY: &str = "Yeastar Demo Co.";
/// The id of the "All Users" group.
pub(crate) const WP_ALL_USERS_GROUP: u64 = 1_000_127;

/// Everything the sandbox knows.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) rng: XorShift,
    pub(crate) access_tokens: HashMap<String, Issued>,
    pub(crate) refresh_tokens: HashMap<String, Issued>,
    pub(crate) ycm_failures: HashMap<IpAddr, u32>,
    pub(crate) ycm_blocked: HashMap<IpAddr, ()>,
    pub(crate) buckets: HashMap<String, Bucket>,

    pub(crate) pp_users: Vec<PpUser>,
    pub(crate) pp_billing_contacts: Vec<Value>,
    pub(crate) pp_countries: Vec<(u32, &'static str, &'static str)>,
    pub(crate) next_partner_id: u64,

    pub(crate) ycm_users: BTreeMap<u64, YcmUser>,
    pub(crate) next_ycm_user_id: u64,

    pub(crate) wp_members: BTreeMap<u64, WpMember>,
    pub(crate) wp_groups: BTreeMap<u64, String>,
    pub(crate) wp_buildings: Vec<(&'static str, Vec<&'static str>)>,
    pub(crate) wp_roles: Vec<&'static str>,
    pub(crate) next_wp_member_id: u64,
    pub(crate) next_wp_user_id: u64,
    pub(crate) next_wp_group_id: u64,
}

const COUNTRIES: &[(&str, &str)] = &[
    ("AR", "Argentina"),
    ("AU", "Australia"),
    ("AT", "Austria"),
    ("BE", "Belgium"),
    ("BR", "Brazil"),
    ("CA", "Canada"),
    ("TD", "Chad"),
    ("CL", "Chile"),
    ("CN", "China"),
    ("CO", "Colombia"),
    ("CZ", "Czech Republic"),
    ("DK", "Denmark"),
    ("EG", "Egypt"),
    ("FI", "Finland"),
    ("FR", "France"),
    ("DE", "Germany"),
    ("GR", "Greece"),
    ("HK", "Hong Kong"),
    ("IN", "India"),
    ("ID", "Indonesia"),
    ("IE", "Ireland"),
    ("IT", "Italy"),
    ("JP", "Japan"),
    ("MY", "Malaysia"),
    ("MX", "Mexico"),
    ("NL", "Netherlands"),
    ("NZ", "New Zealand"),
    ("NG", "Nigeria"),
    ("NO", "Norway"),
    ("PE", "Peru"),
    ("PH", "Philippines"),
    ("PL", "Poland"),
    ("PT", "Portugal"),
    ("SA", "Saudi Arabia"),
    ("SG", "Singapore"),
    ("ZA", "South Africa"),
    ("KR", "South Korea"),
    ("ES", "Spain"),
    ("SE", "Sweden"),
    ("CH", "Switzerland"),
    ("TH", "Thailand"),
    ("TR", "Turkey"),
    ("AE", "United Arab Emirates"),
    ("GB", "United Kingdom"),
    ("US", "United States"),
    ("VN", "Vietnam"),
];

impl State {
    pub(crate) fn seeded(seed: u64) -> Self {
        let pp_users = vec![
            PpUser {
                city: "Xiamen".into(),
                company: "Company Example".into(),
                country: "Chad".into(),
                email: "color123@yeastar.com".into(),
                first_name: "Example".into(),
                last_name: "LALA".into(),
                partner_id: "3076915454489739264".into(),
                phone_number: "13600930000".into(),
                remark: "grrrrrrrrrg".into(),
                state_province: "Fujian".into(),
                street: "Siming".into(),
                tax_num: "VAT_number:".into(),
                tax_type: String::new(),
                zip_code: "361000".into(),
            },
            PpUser {
                city: "Shenzhen".into(),
                company: "Yaya Trading".into(),
                country: "China".into(),
                email: "yaya@yeastar.com".into(),
                first_name: "Yaya".into(),
                last_name: "Chen".into(),
                partner_id: "3076915454489739265".into(),
                phone_number: "13700000001".into(),
                remark: String::new(),
                state_province: "Guangdong".into(),
                street: "Nanshan".into(),
                tax_num: String::new(),
                tax_type: String::new(),
                zip_code: "518000".into(),
            },
        ];
        let pp_billing_contacts = vec![json!({
            "billingContactId": "3081512345678901248",
            "city": "Xiamen",
            "company": "Partner Example Ltd.",
            "country": "China",
            "emailAddress": "billing@partner-example.com",
            "firstName": "Bill",
            "lastName": "Payer",
            "phoneNumber": "13900000000",
            "remark": "",
            "stateProvince": "Fujian",
            "street": "Software Park",
            "taxNum": "91350200MA00000000",
            "zipCode": "361000",
        })];
        let pp_countries = COUNTRIES
            .iter()
            .enumerate()
            .map(|(i, &(code, name))| (i as u32 + 1, code, name))
            .collect();

        let reseller = |user_id, company: &str, first: &str, last: &str, email: &str, pbx| YcmUser {
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
        let colleague = |user_id, first: &str, last: &str, email: &str| YcmUser {
            user_id,
            company: "Yeastar Demo Co.".into(),
            first_name: first.into(),
            last_name: last.into(),
            email: email.into(),
            user_type: "My Colleague".into(),
            two_factor: "disable".into(),
            ..YcmUser::default()
        };
        let ycm_users = [
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

        let wp_members = [
            WpMember {
                user_id: 2_871_964_560_412_737_536,
                member_id: 54164,
                invite_status: "added".into(),
                email: "leo@yeastar.com".into(),
                first_name: "Leo".into(),
                last_name: Some("Ball".into()),
                group_ids: vec![WP_ALL_USERS_GROUP],
                role_name: "Administrator".into(),
                preferred_building_name: "Yeastar".into(),
                preferred_floor_name: Some("2F".into()),
                phone: Some("1325698753".into()),
                image_base64: None,
                id_code: Some("XZXXtest6701".into()),
            },
            WpMember {
                user_id: 2_871_964_560_412_737_537,
                member_id: 54165,
                invite_status: "invite".into(),
                email: "amy@yeastar.com".into(),
                first_name: "Amy".into(),
                last_name: Some("Chen".into()),
                group_ids: vec![WP_ALL_USERS_GROUP, 1_000_128],
                role_name: "User".into(),
                preferred_building_name: "Annex".into(),
                preferred_floor_name: Some("G".into()),
                phone: Some("1325698754".into()),
                image_base64: None,
                id_code: None,
            },
        ]
        .into_iter()
        .map(|m| (m.member_id, m))
        .collect();
        let wp_groups = [
            (WP_ALL_USERS_GROUP, WP_COMPANY.to_owned()),
            (1_000_128, "Sales".to_owned()),
        ]
        .into_iter()
        .collect();

        Self {
            rng: XorShift::new(seed),
            access_tokens: HashMap::new(),
            refresh_tokens: HashMap::new(),
            ycm_failures: HashMap::new(),
            ycm_blocked: HashMap::new(),
            buckets: HashMap::new(),
            pp_users,
            pp_billing_contacts,
            pp_countries,
            next_partner_id: 3_076_915_454_489_739_300,
            ycm_users,
            next_ycm_user_id: 13400,
            wp_members,
            wp_groups,
            wp_buildings: vec![("Yeastar", vec!["1F", "2F", "3F"]), ("Annex", vec!["G"])],
            wp_roles: vec!["Administrator", "User", "Receptionist"],
            next_wp_member_id: 54200,
            next_wp_user_id: 2_871_964_560_412_737_600,
            next_wp_group_id: 1_000_200,
        }
    }

    /// `n` random bytes as lowercase hex.
    pub(crate) fn hex(&mut self, bytes: usize) -> String {
        let mut s = String::with_capacity(bytes * 2);
        while s.len() < bytes * 2 {
            s.push_str(&format!("{:016x}", self.rng.next_u64()));
        }
        s.truncate(bytes * 2);
        s
    }

    /// A fresh 32-hex-digit request id.
    pub(crate) fn request_id(&mut self) -> String {
        self.hex(16)
    }
}
