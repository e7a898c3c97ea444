//! The Cloud PBX model (`PBX_Info`), its enums and the small answers of the PBX endpoints.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use yeastar_transport::api_enum;
use yeastar_transport::lenient::{opt_i64, opt_string, opt_u64};

use crate::envelope::{PagedList, u64_vec};

api_enum! {
    /// The running status of a Cloud PBX (`pbxStatus`).
    ///
    /// \[I\] Creation is asynchronous: a new PBX is `Provisioning`, then `Running`; a started
    /// PBX goes `Starting` → `Running`.
    pub enum PbxStatus {
        /// `Stopped`.
        Stopped => "Stopped",
        /// `Starting`.
        Starting => "Starting",
        /// `Running`.
        Running => "Running",
        /// `Upgrading`.
        Upgrading => "Upgrading",
        /// `Restoring` (restoring data).
        Restoring => "Restoring",
        /// `Provisioning` (being deployed).
        Provisioning => "Provisioning",
    }
}

api_enum! {
    /// Whether a Cloud PBX was activated by its customer (`activationStatus`).
    pub enum ActivationStatus {
        /// `Activated`.
        Activated => "Activated",
        /// `Unactivated`.
        Unactivated => "Unactivated",
    }
}

api_enum! {
    /// The plan of a Cloud PBX (`plan`).
    pub enum Plan {
        /// `Enterprise Plan` (includes 120 AI transcription minutes).
        EnterprisePlan => "Enterprise Plan",
        /// `Ultimate Plan` (includes 240 AI transcription minutes).
        UltimatePlan => "Ultimate Plan",
        /// `Upgrading to Ultimate Plan` (read only; listed on the English query-one page).
        UpgradingToUltimatePlan => "Upgrading to Ultimate Plan",
    }
}

api_enum! {
    /// A feature switch of a Cloud PBX (`recordingStatus`, `upgradeInPbx`, `im`,
    /// `passwordlessLogin`, …).
    pub enum Toggle {
        /// `Enabled`.
        Enabled => "Enabled",
        /// `Disabled`.
        Disabled => "Disabled",
    }
}

impl From<bool> for Toggle {
    fn from(on: bool) -> Self {
        if on { Toggle::Enabled } else { Toggle::Disabled }
    }
}

api_enum! {
    /// The type of a Cloud PBX (`type`).
    pub enum PbxType {
        /// `Trial`.
        Trial => "Trial",
        /// `Commercial`.
        Commercial => "Commercial",
    }
}

/// Who created a Cloud PBX (`creator`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Creator {
    /// First name.
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Email.
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// A Cloud PBX (`PBX_Info`), as the list, query-one and query-by-URL endpoints answer it.
///
/// Every field is optional: YCM may leave any out, and the documented field list is cut off
/// after `passwordlessLogin` (\[UNKNOWN\] the rest). `im`, `allowSuperiorPasswordlessLogin`
/// and `provisioningViaTemplate` are not in the visible part of `PBX_Info` \[I\]; they are read
/// when present, so that [`CloudPbxs::modify`](super::CloudPbxs::modify) can resend them.
/// Fields this SDK does not model are kept in [`CloudPbx::extra`].
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudPbx {
    /// The PBX id (`cloudPbxId`, a Long; an Integer or a String on some pages: all accepted).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub cloud_pbx_id: Option<u64>,
    /// Running status (`pbxStatus`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pbx_status: Option<PbxStatus>,
    /// Activation status (`activationStatus`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activation_status: Option<ActivationStatus>,
    /// Name.
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Serial number (`sn`).
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub sn: Option<String>,
    /// Plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<Plan>,
    /// When the plan expires (`planExpirationDate`, Unix seconds).
    #[serde(default, deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub plan_expiration_date: Option<i64>,
    /// Extensions (`extensionCapacity`).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub extension_capacity: Option<u64>,
    /// Concurrent calls (`concurrentCallCapacity`).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub concurrent_call_capacity: Option<u64>,
    /// Whether call recording is on (`recordingStatus`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording_status: Option<Toggle>,
    /// Call recording minutes (`recordingCapacity`).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub recording_capacity: Option<u64>,
    /// AI transcription minutes (`transcriptionCapacity`; newer pages).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub transcription_capacity: Option<u64>,
    /// AI transcription minutes included in the plan (`transcriptionCapacityPlan`).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub transcription_capacity_plan: Option<u64>,
    /// AI transcription minutes added on top of the plan (`transcriptionCapacityAddon`).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub transcription_capacity_addon: Option<u64>,
    /// AI transcription minutes used (`usedTranscription`).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub used_transcription: Option<u64>,
    /// Region **name** (`region`, not an id).
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The PBX's URL (`url`: sub-domain and domain, e.g. `cloud.example.yeastar.com`).
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Trial or commercial (`type`).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub pbx_type: Option<PbxType>,
    /// When the PBX expires (`expirationDate`, Unix seconds).
    #[serde(default, deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub expiration_date: Option<i64>,
    /// Firmware version (`version`).
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Who created it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator: Option<Creator>,
    /// When it was created (`createTime`, Unix seconds).
    #[serde(default, deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub create_time: Option<i64>,
    /// Firmware upgrades on the PBX side (`upgradeInPbx`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upgrade_in_pbx: Option<Toggle>,
    /// Passwordless login (`passwordlessLogin`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passwordless_login: Option<Toggle>,
    /// Internal chat (`im`) \[I\]: not in the visible part of `PBX_Info`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub im: Option<Toggle>,
    /// Passwordless login for the superior account (`allowSuperiorPasswordlessLogin`) \[I\].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_superior_passwordless_login: Option<Toggle>,
    /// Provisioning through a template (`provisioningViaTemplate`) \[I\].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioning_via_template: Option<Toggle>,
    /// Fields of the answer this SDK version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One page of Cloud PBXs.
pub type CloudPbxPage = PagedList<CloudPbx>;

/// The status of a Cloud PBX (`GET …/instances/{cloudPbxId}/status`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PbxStatusInfo {
    /// The PBX id.
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub cloud_pbx_id: Option<u64>,
    /// Running status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pbx_status: Option<PbxStatus>,
    /// Activation status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activation_status: Option<ActivationStatus>,
}

/// How a customer activates an unactivated Cloud PBX (`GET …/activation_info`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivationInfo {
    /// The PBX id (typed Integer on this page).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub cloud_pbx_id: Option<u64>,
    /// The activation URL (valid for 7 days).
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub activation_url: Option<String>,
    /// The activation code (usable once).
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub activation_code: Option<String>,
}

/// The DIDs of one shared trunk bound to a Cloud PBX (`Trunk_DID_Relation`: `{trunkId,
/// didIds}`), for [`CreateCloudPbx::trunk_did_relations`](super::CreateCloudPbx::trunk_did_relations)
/// and [`UpdateDidBindings`](super::UpdateDidBindings).
///
/// ```
/// use yeastar_ycm::TrunkDidRelation;
/// let r = TrunkDidRelation::new(6681, [50036, 50044]);
/// assert_eq!(serde_json::to_string(&r).unwrap(), r#"{"trunkId":6681,"didIds":[50036,50044]}"#);
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrunkDidRelation {
    /// The shared trunk.
    pub trunk_id: u64,
    /// The DIDs of that trunk.
    #[serde(default, deserialize_with = "u64_vec")]
    pub did_ids: Vec<u64>,
}

impl TrunkDidRelation {
    /// The DIDs `did_ids` of trunk `trunk_id`.
    pub fn new(trunk_id: u64, did_ids: impl IntoIterator<Item = u64>) -> Self {
        Self {
            trunk_id,
            did_ids: did_ids.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_response_results_example_decodes() {
        let pbx: CloudPbx = serde_json::from_value(json!({
            "cloudPbxId": 7715, "pbxStatus": "Running", "activationStatus": "Activated",
            "name": "Yeastar P-Series Cloud PBX", "sn": "3658B4311196XXXX", "plan": "Enterprise Plan",
            "planExpirationDate": 1667035676, "extensionCapacity": 20, "concurrentCallCapacity": 5,
            "recordingStatus": "Enabled", "recordingCapacity": 500, "region": "China(Guangdong)",
            "url": "cloud.example.yeastar.com", "type": "Commercial", "version": "84.8.0.25",
            "creator": {"firstName": "Leo", "lastName": "Ball", "email": "leo@yeastar.com"},
            "createTime": 1635737324, "upgradeInPbx": "Enabled", "passwordlessLogin": "Disabled"
        }))
        .unwrap();
        assert_eq!(pbx.cloud_pbx_id, Some(7715));
        assert_eq!(pbx.pbx_status, Some(PbxStatus::Running));
        assert_eq!(pbx.plan, Some(Plan::EnterprisePlan));
        assert_eq!(pbx.pbx_type, Some(PbxType::Commercial));
        assert_eq!(pbx.recording_capacity, Some(500));
        assert_eq!(pbx.creator.unwrap().email.as_deref(), Some("leo@yeastar.com"));
        assert_eq!(pbx.passwordless_login, Some(Toggle::Disabled));
        assert!(pbx.extra.is_empty());
    }

    #[test]
    fn drifting_types_and_new_values_are_read() {
        let pbx: CloudPbx = serde_json::from_value(json!({
            "cloudPbxId": "116671", "pbxStatus": "Migrating", "extensionCapacity": "30", "im": "Enabled",
            "receptionistCapacity": 2
        }))
        .unwrap();
        assert_eq!(pbx.cloud_pbx_id, Some(116671));
        assert_eq!(pbx.pbx_status, Some(PbxStatus::Unknown("Migrating".into())));
        assert_eq!(pbx.extension_capacity, Some(30));
        assert_eq!(pbx.im, Some(Toggle::Enabled));
        assert_eq!(pbx.extra.get("receptionistCapacity"), Some(&json!(2)));
        let r: TrunkDidRelation = serde_json::from_value(json!({"trunkId": 6681, "didIds": ["50036", 50044]})).unwrap();
        assert_eq!(r.did_ids, [50036, 50044]);
    }
}
