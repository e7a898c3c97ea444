//! Partner Portal records and their seed (the documentation example `color123@yeastar.com`).

use serde_json::{Value, json};

/// A subordinate user (customer).
#[derive(Debug, Clone, Default)]
pub(crate) struct User {
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

impl User {
    /// `User_Info`, exactly the documented fields.
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

/// The Partner Portal's records.
#[derive(Debug)]
pub(crate) struct Data {
    pub(crate) users: Vec<User>,
    pub(crate) billing_contacts: Vec<Value>,
    /// `(id, code, name)`.
    pub(crate) countries: Vec<(u32, &'static str, &'static str)>,
    pub(crate) next_partner_id: u64,
    pub(crate) catalog: Vec<super::catalog::CatalogProduct>,
    pub(crate) orders: Vec<super::orders::OrderRec>,
    pub(crate) licences: Vec<super::orders::LicenceRec>,
    pub(crate) next_order_id: u64,
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

impl Data {
    pub(crate) fn seeded() -> Self {
        let users = vec![
            User {
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
            User {
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
        let billing_contacts = vec![json!({
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
        let countries = COUNTRIES
            .iter()
            .enumerate()
            .map(|(i, &(code, name))| (i as u32 + 1, code, name))
            .collect();
        Self {
            users,
            billing_contacts,
            countries,
            next_partner_id: 3_076_915_454_489_739_300,
            catalog: super::catalog::seed(),
            orders: Vec::new(),
            // One Software Edition (with an activation code) and one Cloud PBX already bought.
            licences: vec![
                super::orders::LicenceRec {
                    product_no: "365800000000PSE1".into(),
                    product_id: 12,
                    product_name: "Software PBX".into(),
                    activation_code: "PSE1-7Q2M-9K4D".into(),
                    activation_status: "activated",
                    comment: "Lab".into(),
                    create_time: 1_700_000_000_000,
                },
                super::orders::LicenceRec {
                    product_no: "3658B4311196XXXX".into(),
                    product_id: 13,
                    product_name: "Cloud PBX".into(),
                    activation_code: String::new(),
                    activation_status: "activated",
                    comment: "Yeastar P-Series Cloud PBX".into(),
                    create_time: 1_700_000_000_000,
                },
            ],
            next_order_id: 3_100_000_000_000_000_000,
        }
    }
}
