//! Workplace records and their seed (member 54164 of the documentation example).

use std::collections::BTreeMap;

use serde_json::{Value, json};

/// A Workplace member.
#[derive(Debug, Clone, Default)]
pub(crate) struct Member {
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

impl Member {
    /// `User_Info`, exactly the documented fields.
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
pub(crate) const COMPANY: &str = "Yeastar Demo Co.";
/// The id of the "All Users" group.
pub(crate) const ALL_USERS_GROUP: u64 = 1_000_127;

/// Workplace's records.
#[derive(Debug)]
pub(crate) struct Data {
    pub(crate) members: BTreeMap<u64, Member>,
    pub(crate) groups: BTreeMap<u64, String>,
    /// Buildings and their floors (managed in the admin portal; no API).
    pub(crate) buildings: Vec<(&'static str, Vec<&'static str>)>,
    pub(crate) roles: Vec<&'static str>,
    pub(crate) next_member_id: u64,
    pub(crate) next_user_id: u64,
    pub(crate) next_group_id: u64,
    /// The event types subscribed to (`integration/subscribe`), `["ALL"]` for every event;
    /// `None` before a subscription or after a cancellation.
    pub(crate) subscription: Option<Vec<String>>,
}

impl Data {
    pub(crate) fn seeded() -> Self {
        let members = [
            Member {
                user_id: 2_871_964_560_412_737_536,
                member_id: 54164,
                invite_status: "added".into(),
                email: "leo@yeastar.com".into(),
                first_name: "Leo".into(),
                last_name: Some("Ball".into()),
                group_ids: vec![ALL_USERS_GROUP],
                role_name: "Administrator".into(),
                preferred_building_name: "Yeastar".into(),
                preferred_floor_name: Some("2F".into()),
                phone: Some("1325698753".into()),
                image_base64: None,
                id_code: Some("XZXXtest6701".into()),
            },
            Member {
                user_id: 2_871_964_560_412_737_537,
                member_id: 54165,
                invite_status: "invite".into(),
                email: "amy@yeastar.com".into(),
                first_name: "Amy".into(),
                last_name: Some("Chen".into()),
                group_ids: vec![ALL_USERS_GROUP, 1_000_128],
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
        let groups = [(ALL_USERS_GROUP, COMPANY.to_owned()), (1_000_128, "Sales".to_owned())]
            .into_iter()
            .collect();
        Self {
            members,
            groups,
            buildings: vec![("Yeastar", vec!["1F", "2F", "3F"]), ("Annex", vec!["G"])],
            roles: vec!["Administrator", "User", "Receptionist"],
            next_member_id: 54200,
            next_user_id: 2_871_964_560_412_737_600,
            next_group_id: 1_000_200,
            subscription: None,
        }
    }
}
