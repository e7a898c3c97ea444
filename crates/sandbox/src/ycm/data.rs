//! YCM records and their seed (user 13329, customers, Cloud PBXs, regions, domains, firmware,
//! shared trunks and DIDs of the documentation examples).

use std::collections::BTreeMap;
use std::time::Instant;

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
    pub(crate) customers: BTreeMap<u64, Customer>,
    pub(crate) next_customer_id: u64,
    pub(crate) pbxs: BTreeMap<u64, Pbx>,
    pub(crate) next_pbx_id: u64,
    pub(crate) regions: Vec<(u64, String)>,
    /// `(regionId, domainId, domain)`.
    pub(crate) domains: Vec<(u64, u64, String)>,
    /// `(versionId, version, regionIds)`.
    pub(crate) firmware: Vec<(u64, String, Vec<u64>)>,
    /// `(id, name, type)`.
    pub(crate) trunks: Vec<(u64, String, String)>,
    pub(crate) dids: BTreeMap<u64, Did>,
}

/// The customer fields in the documented order (`Customer_Info`, after `customerId`).
pub(crate) const CUSTOMER_FIELDS: [&str; 14] = [
    "firstName",
    "lastName",
    "company",
    "email",
    "businessNumber",
    "mobileNumber",
    "homeNumber",
    "faxNumber",
    "zipCode",
    "street",
    "city",
    "state",
    "country",
    "remark",
];

/// A YCM customer: the documented fields, each possibly empty (an update that omits a field
/// sets it to NULL).
#[derive(Debug, Clone, Default)]
pub(crate) struct Customer {
    pub(crate) customer_id: u64,
    /// By documented name (see [`CUSTOMER_FIELDS`]); absent = NULL.
    pub(crate) fields: BTreeMap<&'static str, String>,
}

impl Customer {
    pub(crate) fn get(&self, field: &str) -> Option<&str> {
        self.fields.get(field).map(String::as_str)
    }

    /// `Customer_Info`: every documented field, `null` when empty.
    pub(crate) fn to_json(&self) -> Value {
        let mut v = serde_json::Map::new();
        v.insert("customerId".into(), json!(self.customer_id));
        for f in CUSTOMER_FIELDS {
            v.insert(f.into(), self.fields.get(f).map_or(Value::Null, |s| json!(s)));
        }
        Value::Object(v)
    }
}

/// A state change in progress: `to` from `at` on (creation's `Provisioning` → `Running`, a
/// start's `Starting` → `Running`).
#[derive(Debug, Clone)]
pub(crate) struct Transition {
    pub(crate) at: Instant,
    pub(crate) to: &'static str,
}

/// A Cloud PBX.
#[derive(Debug, Clone)]
pub(crate) struct Pbx {
    pub(crate) id: u64,
    pub(crate) status: &'static str,
    pub(crate) transition: Option<Transition>,
    pub(crate) activated: bool,
    pub(crate) name: String,
    pub(crate) sn: String,
    pub(crate) plan: String,
    pub(crate) plan_expiration_date: i64,
    pub(crate) extension_capacity: i64,
    pub(crate) concurrent_call_capacity: i64,
    pub(crate) recording_status: String,
    pub(crate) recording_capacity: i64,
    pub(crate) transcription_addon: i64,
    pub(crate) region: String,
    pub(crate) url: String,
    pub(crate) pbx_type: String,
    pub(crate) expiration_date: Option<i64>,
    pub(crate) allow_run_after_expiration_date: Option<bool>,
    pub(crate) version: String,
    pub(crate) create_time: i64,
    /// `upgradeInPbx`, `passwordlessLogin`, `im`, `allowSuperiorPasswordlessLogin`,
    /// `provisioningViaTemplate`, `pbxApi`, `trunkConfigurationAccess`: `Enabled`/`Disabled`.
    pub(crate) switches: BTreeMap<&'static str, String>,
    pub(crate) customer_ids: Vec<u64>,
    pub(crate) activation_code: String,
}

/// The feature switches of a PBX; the first five are always shown.
pub(crate) const SWITCHES: [&str; 7] = [
    "upgradeInPbx",
    "passwordlessLogin",
    "im",
    "allowSuperiorPasswordlessLogin",
    "provisioningViaTemplate",
    "pbxApi",
    "trunkConfigurationAccess",
];

impl Pbx {
    /// Applies a finished transition.
    pub(crate) fn settle(&mut self, now: Instant) {
        if let Some(t) = &self.transition
            && now >= t.at
        {
            self.status = t.to;
            self.transition = None;
        }
    }

    /// Plan-included AI transcription minutes: Enterprise 120, Ultimate 240.
    fn transcription_plan(&self) -> i64 {
        if self.plan == "Ultimate Plan" { 240 } else { 120 }
    }

    /// `PBX_Info`: the documented fields, plus the switches `im`,
    /// `allowSuperiorPasswordlessLogin` and `provisioningViaTemplate` (and `pbxApi` /
    /// `trunkConfigurationAccess` once set) and `allowRunAfterExpirationDate` (with an
    /// expiration date), which the cut-off field list may hold.
    pub(crate) fn to_json(&self) -> Value {
        let mut v = json!({
            "cloudPbxId": self.id,
            "pbxStatus": self.status,
            "activationStatus": if self.activated { "Activated" } else { "Unactivated" },
            "name": self.name,
            "sn": self.sn,
            "plan": self.plan,
            "planExpirationDate": self.plan_expiration_date,
            "extensionCapacity": self.extension_capacity,
            "concurrentCallCapacity": self.concurrent_call_capacity,
            "recordingStatus": self.recording_status,
            "recordingCapacity": self.recording_capacity,
            "transcriptionCapacity": self.transcription_plan() + self.transcription_addon,
            "transcriptionCapacityPlan": self.transcription_plan(),
            "transcriptionCapacityAddon": self.transcription_addon,
            "usedTranscription": 0,
            "region": self.region,
            "url": self.url,
            "type": self.pbx_type,
            "version": self.version,
            "creator": {"firstName": "Leo", "lastName": "Ball", "email": "leo@yeastar.com"},
            "createTime": self.create_time,
        });
        if let Some(e) = self.expiration_date {
            v["expirationDate"] = json!(e);
            v["allowRunAfterExpirationDate"] = json!(self.allow_run_after_expiration_date.unwrap_or(false));
        }
        for (i, s) in SWITCHES.iter().enumerate() {
            match self.switches.get(s) {
                Some(value) => v[*s] = json!(value),
                None if i < 5 => v[*s] = json!("Disabled"),
                None => {}
            }
        }
        v
    }
}

/// A DID of a shared trunk, maybe bound to a Cloud PBX.
#[derive(Debug, Clone)]
pub(crate) struct Did {
    pub(crate) id: u64,
    pub(crate) did: String,
    pub(crate) did_name: String,
    pub(crate) trunk_id: u64,
    pub(crate) cloud_pbx_id: Option<u64>,
}

impl Data {
    pub(crate) fn trunk_name(&self, id: u64) -> Option<&str> {
        self.trunks.iter().find(|t| t.0 == id).map(|t| t.1.as_str())
    }

    /// The DIDs bound to PBX `id`, as a DID event lists them (every value a string).
    pub(crate) fn did_infos(&self, pbx: u64) -> Vec<Value> {
        self.dids
            .values()
            .filter(|d| d.cloud_pbx_id == Some(pbx))
            .map(|d| {
                json!({
                    "did": d.did,
                    "didId": d.id.to_string(),
                    "trunkId": d.trunk_id.to_string(),
                    "trunkName": self.trunk_name(d.trunk_id).unwrap_or_default(),
                })
            })
            .collect()
    }
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
        let (customers, pbxs, dids) = (seed_customers(), seed_pbxs(), seed_dids());
        Self {
            users,
            next_user_id: 13400,
            customers,
            next_customer_id: 50500000,
            pbxs,
            next_pbx_id: 420000,
            regions: [
                (1, "China(GuangDong)"),
                (2, "China(Shanghai)"),
                (3, "India(Mumbai)"),
                (4, "Asia Pacific(Singapore)"),
                (16, "Europe(Frankfurt)"),
            ]
            .into_iter()
            .map(|(id, name)| (id, name.to_owned()))
            .collect(),
            domains: [
                (1, 5, "gd.yeastarcloud.cn"),
                (2, 6, "sh.yeastarcloud.cn"),
                (3, 1, "test.yeastarcloud.com"),
                (3, 2, "test2.yeastarcloud.com"),
                (4, 3, "sg.yeastarcloud.com"),
                (16, 4, "eu.yeastarcloud.com"),
            ]
            .into_iter()
            .map(|(r, d, name)| (r, d, name.to_owned()))
            .collect(),
            firmware: vec![
                (764, "84.8.0.25".to_owned(), vec![1, 2, 3, 4, 16]),
                (812, "84.19.0.110".to_owned(), vec![3, 4, 16]),
            ],
            trunks: [
                (325, "A1_07L3RG", "register"),
                (6680, "register_4KD21A", "register"),
                (6681, "register_9QX07B", "register"),
                (7863, "register_2PNG39", "register"),
                (111269, "register_1U4CZ4", "did_based"),
                (111270, "register_2V03D2", "register"),
                (112129, "register_5FOV41", "register"),
            ]
            .into_iter()
            .map(|(id, name, t)| (id, name.to_owned(), t.to_owned()))
            .collect(),
            dids,
        }
    }
}

fn seed_customers() -> BTreeMap<u64, Customer> {
    let c = |id, first: &str, last: &str, company: &str, email: &str, city: &str| {
        let mut fields = BTreeMap::new();
        for (k, v) in [
            ("firstName", first),
            ("lastName", last),
            ("company", company),
            ("email", email),
            ("city", city),
        ] {
            if !v.is_empty() {
                fields.insert(k, v.to_owned());
            }
        }
        (
            id,
            Customer {
                customer_id: id,
                fields,
            },
        )
    };
    let mut customers: BTreeMap<u64, Customer> = [
        c(50086120, "Leo", "Ball", "Example Company", "leo@example.com", "Xiamen"),
        c(50086182, "Amy", "Chen", "Example Company", "amy@example.com", "Xiamen"),
        c(
            50086283,
            "Tom",
            "Wu",
            "Harbour Logistics",
            "tom@harbour.example",
            "Singapore",
        ),
        c(50329401, "Leo", "Ball", "Example Company", "leo.ball@example.com", ""),
        c(
            50329411,
            "Mia",
            "Lopez",
            "Sunrise Dental",
            "mia@sunrise.example",
            "Mumbai",
        ),
        c(50329421, "Raj", "Patel", "Example Company", "raj@example.com", "Mumbai"),
        c(50429524, "Ann", "Lee", "Old Tenant B", "ann@tenant-b.example", ""),
        c(50429525, "Bob", "Ray", "Old Tenant A", "bob@tenant-a.example", ""),
    ]
    .into_iter()
    .collect();
    if let Some(leo) = customers.get_mut(&50086120) {
        for (k, v) in [
            ("businessNumber", "0592-5503301"),
            ("mobileNumber", "13800000000"),
            ("zipCode", "361000"),
            ("street", "Software Park Phase III"),
            ("state", "Fujian"),
            ("country", "China"),
            ("remark", "Seeded from the query-a-specific-customer example"),
        ] {
            leo.fields.insert(k, v.to_owned());
        }
    }
    customers
}

fn seed_pbxs() -> BTreeMap<u64, Pbx> {
    let base = |id: u64, name: &str, sn: &str, url: &str, customers: Vec<u64>| Pbx {
        id,
        status: "Running",
        transition: None,
        activated: true,
        name: name.to_owned(),
        sn: sn.to_owned(),
        plan: "Enterprise Plan".into(),
        plan_expiration_date: 1667035676,
        extension_capacity: 20,
        concurrent_call_capacity: 5,
        recording_status: "Enabled".into(),
        recording_capacity: 500,
        transcription_addon: 0,
        region: "China(Guangdong)".into(),
        url: url.to_owned(),
        pbx_type: "Commercial".into(),
        expiration_date: None,
        allow_run_after_expiration_date: None,
        version: "84.8.0.25".into(),
        create_time: 1635737324,
        switches: [
            ("upgradeInPbx", "Enabled"),
            ("passwordlessLogin", "Disabled"),
            ("im", "Enabled"),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.to_owned()))
        .collect(),
        customer_ids: customers,
        activation_code: String::new(),
    };
    let mut pbxs = vec![
        // The "Response Results" example.
        base(
            7715,
            "Yeastar P-Series Cloud PBX",
            "3658B4311196XXXX",
            "cloud.example.yeastar.com",
            vec![50086120],
        ),
        base(
            7738,
            "Harbour Logistics PBX",
            "3658B4311197AAAA",
            "harbour.test.yeastarcloud.com",
            vec![50086283],
        ),
        base(
            41567,
            "Sunrise Dental PBX",
            "3658B4311198BBBB",
            "sunrise.test.yeastarcloud.com",
            vec![50329411],
        ),
        base(
            42100,
            "Example Company PBX",
            "3658B4311199CCCC",
            "example.test.yeastarcloud.com",
            vec![50329421, 50086182],
        ),
        base(
            43144,
            "Old Tenant PBX A",
            "3658B431119ADDDD",
            "tenant-a.test.yeastarcloud.com",
            vec![50329401],
        ),
        base(
            43145,
            "Old Tenant PBX B",
            "3658B431119BEEEE",
            "tenant-b.test.yeastarcloud.com",
            vec![50329401],
        ),
        base(
            116671,
            "Unactivated PBX",
            "3658B431119CFFFF",
            "unactivatedpbx.example.yeastarcloud.com",
            vec![50086120],
        ),
        base(
            389283,
            "Passwordless PBX",
            "3658B431119D0000",
            "support.test.yeastarcloud.com",
            vec![50086120],
        ),
        base(
            4768,
            "DID PBX",
            "36XXXXXXXXXXXXZK",
            "did.test.yeastarcloud.com",
            vec![50086120],
        ),
        base(
            4769,
            "Trunk PBX",
            "36XXXXXXXXXXXXKH",
            "trunk.test.yeastarcloud.com",
            vec![50086120],
        ),
        base(
            4808,
            "DID Binding PBX",
            "3658B431119E1111",
            "binding.test.yeastarcloud.com",
            vec![50086120],
        ),
    ];
    for p in &mut pbxs {
        match p.id {
            43144 | 43145 => p.status = "Stopped",
            116671 => {
                p.activated = false;
                p.activation_code = "ACT116671".into();
            }
            389283 => {
                p.switches.insert("passwordlessLogin", "Enabled".into());
            }
            _ => {}
        }
    }
    pbxs.into_iter().map(|p| (p.id, p)).collect()
}

fn seed_dids() -> BTreeMap<u64, Did> {
    let d = |id, did: &str, name: &str, trunk_id, pbx| Did {
        id,
        did: did.to_owned(),
        did_name: name.to_owned(),
        trunk_id,
        cloud_pbx_id: pbx,
    };
    let mut dids = vec![
        d(1186852, "83", "", 112129, None),
        d(1186853, "84", "", 112129, None),
        d(50036, "+442079461101", "London_DIDs", 6681, None),
        d(50044, "+442079461105", "London_DIDs", 6681, None),
        d(12, "+4410001100012", "Trunk PBX", 6680, Some(4769)),
    ];
    for id in [2, 3, 8, 9, 10, 11] {
        dids.push(d(
            id,
            &format!("+44100011000{id:02}"),
            "London Support",
            6680,
            Some(4768),
        ));
    }
    dids.into_iter().map(|d| (d.id, d)).collect()
}
