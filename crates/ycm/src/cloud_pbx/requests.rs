//! The Cloud PBX endpoints as request values.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use yeastar_transport::lenient::{opt_string, opt_u64};
use yeastar_transport::{Endpoint, Error, Meta, Request, Result, WriteResult, validate};

use super::model::{ActivationInfo, CloudPbx, CloudPbxPage, PbxStatusInfo, PbxType, Plan, Toggle, TrunkDidRelation};
use crate::envelope::{DEFAULT_PAGE_SIZE, Sort, YcmEnvelope, check_page, u64_vec};

const INSTANCE: &str = "/dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}";

/// A write that answers no data.
fn written(meta: &Meta<'_>) -> Result<WriteResult> {
    Ok(WriteResult::from_meta(meta))
}

/// Refuses a value this SDK read from the API but does not know: it is never sent back.
fn known_toggle(field: &str, value: &Toggle) -> Result<()> {
    match value {
        Toggle::Unknown(v) => Err(Error::invalid_input(field, format!("{v:?} is not Enabled or Disabled"))),
        _ => Ok(()),
    }
}

fn need_toggle(field: &str, value: &Option<Toggle>) -> Result<()> {
    match value {
        None => Err(Error::invalid_input(field, "is required")),
        Some(v) => known_toggle(field, v),
    }
}

fn opt_toggle(field: &str, value: &Option<Toggle>) -> Result<()> {
    value.as_ref().map_or(Ok(()), |v| known_toggle(field, v))
}

/// Customer ids are required wherever the docs list them. \[I\] An empty list is refused
/// before sending: a Cloud PBX is created for, and stays with, at least one customer.
fn need_ids(field: &str, ids: &[u64]) -> Result<()> {
    if ids.is_empty() {
        return Err(Error::invalid_input(field, "at least one id is required"));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Reads

/// `GET /dm/open_api/v2/cloud_pbx/instances`: Cloud PBXs, one page per request.
/// [`CloudPbxs::list`](super::CloudPbxs::list) reads every page lazily.
///
/// `sort` takes `cloudPbxId` or `createTime` (`-` for descending; YCM orders by create time
/// when it is omitted). `search` is a keyword (\[UNKNOWN\] which fields it matches).
///
/// ```
/// use yeastar_ycm::{ListCloudPbxs, Sort};
/// let q = ListCloudPbxs::new().search("acme").sort(Sort::descending("createTime"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListCloudPbxs {
    page_size: Option<u32>,
    page_number: Option<u32>,
    sort: Option<Sort>,
    search: Option<String>,
}

impl ListCloudPbxs {
    /// All Cloud PBXs.
    pub fn new() -> Self {
        Self::default()
    }

    yeastar_transport::setters! {
        /// 1..=50.
        page_size = u32 => "pageSize",
        /// 1-based; for a listing, the first page read.
        page_number = u32 => "pageNumber",
        /// `cloudPbxId` or `createTime`, ascending or descending (any other field is refused
        /// before sending).
        sort: Sort => "sort",
        /// A search keyword; empty means all.
        search: String => "search",
    }
}

impl Endpoint for ListCloudPbxs {
    type Envelope = YcmEnvelope;
    type Data = CloudPbxPage;
    type Output = CloudPbxPage;

    fn request(&self) -> Result<Request> {
        check_page(self.page_number, self.page_size)?;
        if let Some(sort) = &self.sort
            && !PBX_SORT_FIELDS.contains(&sort.field())
        {
            return Err(Error::invalid_input(
                "sort",
                format!("Cloud PBXs sort by cloudPbxId or createTime, not {:?}", sort.field()),
            ));
        }
        Ok(Request::get("/dm/open_api/v2/cloud_pbx/instances")
            .query_opt("pageSize", self.page_size)
            .query_opt("pageNumber", self.page_number)
            .query_opt("sort", self.sort.as_ref())
            .query_opt("search", self.search.as_deref().filter(|s| !s.is_empty())))
    }

    fn output(page: CloudPbxPage, _: &Meta<'_>) -> Result<CloudPbxPage> {
        Ok(page)
    }
}

/// The fields the PBX list sorts by (the docs name these two).
const PBX_SORT_FIELDS: [&str; 2] = ["cloudPbxId", "createTime"];

yeastar_transport::list_endpoint!(ListCloudPbxs => CloudPbx, paged(page_number, page_size, DEFAULT_PAGE_SIZE));

/// Declares a GET of one PBX resource: `$name { cloud_pbx_id }` at `$path`, answering `$data`
/// as `$out` through `$map`.
macro_rules! pbx_get {
    ($(#[$meta:meta])* $name:ident, $path:literal, $data:ty => $out:ty, $map:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            cloud_pbx_id: u64,
        }

        impl $name {
            /// For Cloud PBX `cloud_pbx_id`.
            pub fn new(cloud_pbx_id: u64) -> Self {
                Self { cloud_pbx_id }
            }
        }

        impl Endpoint for $name {
            type Envelope = YcmEnvelope;
            type Data = $data;
            type Output = $out;

            fn request(&self) -> Result<Request> {
                Ok(Request::get($path).path_param("cloudPbxId", self.cloud_pbx_id))
            }

            fn output(data: $data, meta: &Meta<'_>) -> Result<$out> {
                $map(data, meta)
            }
        }
    };
}

pbx_get! {
    /// `GET /dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}`: one Cloud PBX.
    GetCloudPbx, "/dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}", CloudPbx => CloudPbx,
    |pbx, _: &Meta<'_>| Ok(pbx)
}

pbx_get! {
    /// `GET /dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/status`: the running and
    /// activation status (the cheap call to poll after create, start and stop).
    GetPbxStatus, "/dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/status", PbxStatusInfo => PbxStatusInfo,
    |status, _: &Meta<'_>| Ok(status)
}

pbx_get! {
    /// `GET /dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/activation_info`: the activation
    /// URL (valid 7 days) and code (usable once) of an **unactivated** Cloud PBX.
    GetActivationInfo, "/dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/activation_info",
    ActivationInfo => ActivationInfo,
    |info, _: &Meta<'_>| Ok(info)
}

pbx_get! {
    /// `GET /dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/customers`: the ids of the
    /// customers associated with a Cloud PBX (`data: {customerIds}`).
    GetPbxCustomers, "/dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/customers", CustomerIds => Vec<u64>,
    |ids: CustomerIds, _: &Meta<'_>| Ok(ids.customer_ids)
}

pbx_get! {
    /// `GET /dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/password_free_login_url`: a URL
    /// that logs in to the PBX without a password (`data: {passwordFreeLoginUrl}`).
    GetPasswordlessLoginUrl, "/dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/password_free_login_url",
    LoginUrl => String,
    |url: LoginUrl, meta: &Meta<'_>| url
        .password_free_login_url
        .ok_or_else(|| meta.decode_error("passwordFreeLoginUrl", "the URL is missing"))
}

/// `data: {customerIds}`.
#[doc(hidden)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerIds {
    #[serde(default, deserialize_with = "u64_vec")]
    customer_ids: Vec<u64>,
}

/// `data: {passwordFreeLoginUrl}`.
#[doc(hidden)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginUrl {
    #[serde(default, deserialize_with = "opt_string")]
    password_free_login_url: Option<String>,
}

/// `GET /dm/open_api/v1/cloud_pbx/instances/get?url={url}`: one Cloud PBX by its URL (e.g.
/// `cloud.example.yeastar.com`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetCloudPbxByUrl {
    url: String,
}

impl GetCloudPbxByUrl {
    /// The PBX whose URL is `url`.
    pub fn new(url: impl Into<String>) -> Self {
        Self { url: url.into() }
    }
}

impl Endpoint for GetCloudPbxByUrl {
    type Envelope = YcmEnvelope;
    type Data = CloudPbx;
    type Output = CloudPbx;

    fn request(&self) -> Result<Request> {
        validate::required("url", &self.url)?;
        Ok(Request::get("/dm/open_api/v1/cloud_pbx/instances/get").query("url", self.url.trim()))
    }

    fn output(pbx: CloudPbx, _: &Meta<'_>) -> Result<CloudPbx> {
        Ok(pbx)
    }
}

// ---------------------------------------------------------------------------------------------
// Capacity

/// The four capacities of a Cloud PBX, all required on create and on resize.
///
/// ```
/// use yeastar_ycm::{Capacity, Toggle};
/// // The resize example: 30 extensions, 15 concurrent calls, 600 recording minutes.
/// let c = Capacity::new(30, 15, Toggle::Enabled, 600);
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Capacity {
    /// Extensions (`extensionCapacity`).
    pub extension_capacity: u64,
    /// Concurrent calls (`concurrentCallCapacity`).
    pub concurrent_call_capacity: u64,
    /// Call recording on or off (`recordingStatus`).
    pub recording_status: Toggle,
    /// Call recording minutes (`recordingCapacity`; on create, 0 turns recording off).
    pub recording_capacity: u64,
}

impl Capacity {
    /// The four capacities.
    pub fn new(
        extension_capacity: u64,
        concurrent_call_capacity: u64,
        recording_status: Toggle,
        recording_capacity: u64,
    ) -> Self {
        Self {
            extension_capacity,
            concurrent_call_capacity,
            recording_status,
            recording_capacity,
        }
    }

    /// The capacities of `pbx` as read, or the API name of the first one missing.
    pub fn from_pbx(pbx: &CloudPbx) -> std::result::Result<Self, &'static str> {
        Ok(Self {
            extension_capacity: pbx.extension_capacity.ok_or("extensionCapacity")?,
            concurrent_call_capacity: pbx.concurrent_call_capacity.ok_or("concurrentCallCapacity")?,
            recording_status: pbx.recording_status.clone().ok_or("recordingStatus")?,
            recording_capacity: pbx.recording_capacity.ok_or("recordingCapacity")?,
        })
    }

    fn check(&self) -> Result<()> {
        known_toggle("recordingStatus", &self.recording_status)
    }
}

// ---------------------------------------------------------------------------------------------
// Create

/// Where a new Cloud PBX runs: the ids of its region, domain and firmware, from
/// [`Regions::list`](crate::Regions::list), [`Domains::list`](crate::Domains::list) and
/// [`Firmware::list`](crate::Firmware::list).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    /// `regionId`.
    pub region_id: u64,
    /// `domainId`.
    pub domain_id: u64,
    /// `versionId` (the firmware).
    pub version_id: u64,
}

impl Placement {
    /// Region, domain and firmware ids.
    pub fn new(region_id: u64, domain_id: u64, version_id: u64) -> Self {
        Self {
            region_id,
            domain_id,
            version_id,
        }
    }
}

/// `POST /dm/open_api/v1/cloud_pbx/instances`: creates a Cloud PBX.
///
/// Required (checked before sending): a name, a sub-domain of digits, letters and `-` (the
/// URL is sub-domain + domain), the [`Placement`], plan (`Enterprise Plan` or `Ultimate
/// Plan`), type, the four [`Capacity`] values, at least one customer, and the
/// `upgradeInPbx` and `im` switches; `allowRunAfterExpirationDate` is required when
/// `expirationDate` is set. Not idempotent: never sent twice by the transport.
///
/// The answer is \[UNKNOWN\] (the doc page is cut off); \[I\] most likely `data:
/// {cloudPbxId}`. [`CloudPbxs::create`](super::CloudPbxs::create) falls back to a search by
/// sub-domain when it carries no id. Creation is asynchronous \[I\]: the PBX is
/// `Provisioning` until it runs ([`CloudPbxs::wait_until_running`](super::CloudPbxs::wait_until_running)).
///
/// ```
/// use yeastar_ycm::{Capacity, CreateCloudPbx, PbxType, Placement, Plan, Toggle};
/// let create = CreateCloudPbx::new(
///     "Acme PBX", "acme", Placement::new(3, 1, 764), Plan::EnterprisePlan, PbxType::Commercial,
///     Capacity::new(20, 5, Toggle::Enabled, 500), [50086120],
/// )
/// .upgrade_in_pbx(Toggle::Enabled)
/// .im(Toggle::Enabled);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateCloudPbx {
    name: String,
    plan: Plan,
    #[serde(flatten)]
    capacity: Capacity,
    #[serde(skip_serializing_if = "Option::is_none")]
    transcription_capacity: Option<u64>,
    region_id: u64,
    sub_domain: String,
    domain_id: u64,
    version_id: u64,
    #[serde(rename = "type")]
    pbx_type: PbxType,
    #[serde(skip_serializing_if = "Option::is_none")]
    expiration_date: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    allow_run_after_expiration_date: Option<bool>,
    customer_ids: Vec<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trunk_did_relations: Option<Vec<TrunkDidRelation>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    upgrade_in_pbx: Option<Toggle>,
    #[serde(skip_serializing_if = "Option::is_none")]
    im: Option<Toggle>,
    #[serde(skip_serializing_if = "Option::is_none")]
    passwordless_login: Option<Toggle>,
    #[serde(skip_serializing_if = "Option::is_none")]
    allow_superior_passwordless_login: Option<Toggle>,
    #[serde(skip_serializing_if = "Option::is_none")]
    provisioning_via_template: Option<Toggle>,
}

impl CreateCloudPbx {
    /// A Cloud PBX with the required values; set `upgrade_in_pbx` and `im` too (required).
    pub fn new(
        name: impl Into<String>,
        sub_domain: impl Into<String>,
        placement: Placement,
        plan: Plan,
        pbx_type: PbxType,
        capacity: Capacity,
        customer_ids: impl IntoIterator<Item = u64>,
    ) -> Self {
        Self {
            name: name.into(),
            plan,
            capacity,
            transcription_capacity: None,
            region_id: placement.region_id,
            sub_domain: sub_domain.into(),
            domain_id: placement.domain_id,
            version_id: placement.version_id,
            pbx_type,
            expiration_date: None,
            allow_run_after_expiration_date: None,
            customer_ids: customer_ids.into_iter().collect(),
            trunk_did_relations: None,
            upgrade_in_pbx: None,
            im: None,
            passwordless_login: None,
            allow_superior_passwordless_login: None,
            provisioning_via_template: None,
        }
    }

    /// The sub-domain (what [`CloudPbxs::create`](super::CloudPbxs::create) searches for when
    /// the answer carries no id).
    pub fn sub_domain(&self) -> &str {
        &self.sub_domain
    }

    yeastar_transport::setters! {
        /// Extra AI transcription minutes on top of the plan (firmware 84.19.0.110+; 0 = none).
        transcription_capacity = u64 => "transcriptionCapacity",
        /// Unix seconds; requires `allow_run_after_expiration_date`.
        expiration_date = i64 => "expirationDate",
        /// Whether the PBX keeps running after `expirationDate`.
        allow_run_after_expiration_date = bool => "allowRunAfterExpirationDate",
        /// Firmware 84.19.0.22+.
        trunk_did_relations: Vec<TrunkDidRelation> => "trunkDidRelations",
        /// Required.
        upgrade_in_pbx: Toggle => "upgradeInPbx",
        /// Required (effective on firmware 84.12.0.32+).
        im: Toggle => "im",
        passwordless_login: Toggle => "passwordlessLogin",
        /// Only effective with `passwordlessLogin` enabled.
        allow_superior_passwordless_login: Toggle => "allowSuperiorPasswordlessLogin",
        provisioning_via_template: Toggle => "provisioningViaTemplate",
    }

    fn validate(&self) -> Result<()> {
        validate::required("name", &self.name)?;
        validate::required("subDomain", &self.sub_domain)?;
        if !self.sub_domain.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(Error::invalid_input(
                "subDomain",
                "only digits, letters and hyphens (-) are allowed",
            ));
        }
        if !matches!(self.plan, Plan::EnterprisePlan | Plan::UltimatePlan) {
            return Err(Error::invalid_input(
                "plan",
                format!(
                    "{:?} cannot be created: use Enterprise Plan or Ultimate Plan",
                    self.plan.as_str()
                ),
            ));
        }
        if let PbxType::Unknown(t) = &self.pbx_type {
            return Err(Error::invalid_input(
                "type",
                format!("{t:?} is not Trial or Commercial"),
            ));
        }
        self.capacity.check()?;
        if self.expiration_date.is_some() && self.allow_run_after_expiration_date.is_none() {
            return Err(Error::invalid_input(
                "allowRunAfterExpirationDate",
                "is required when expirationDate is set",
            ));
        }
        need_ids("customerIds", &self.customer_ids)?;
        need_toggle("upgradeInPbx", &self.upgrade_in_pbx)?;
        need_toggle("im", &self.im)?;
        opt_toggle("passwordlessLogin", &self.passwordless_login)?;
        opt_toggle(
            "allowSuperiorPasswordlessLogin",
            &self.allow_superior_passwordless_login,
        )?;
        opt_toggle("provisioningViaTemplate", &self.provisioning_via_template)
    }
}

impl Endpoint for CreateCloudPbx {
    type Envelope = YcmEnvelope;
    // The answer is undocumented: read whatever `data` is, and look for the id in it.
    type Data = Option<Value>;
    type Output = WriteResult<u64>;

    fn request(&self) -> Result<Request> {
        self.validate()?;
        Ok(Request::post("/dm/open_api/v1/cloud_pbx/instances").json(self))
    }

    fn output(data: Option<Value>, meta: &Meta<'_>) -> Result<WriteResult<u64>> {
        Ok(WriteResult::from_meta(meta).with_id(data.as_ref().and_then(created_id)))
    }
}

/// The new PBX's id in a create answer: `{cloudPbxId}` or `{id}` (number or string), or the
/// id itself.
fn created_id(data: &Value) -> Option<u64> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Created {
        #[serde(default, deserialize_with = "opt_u64")]
        cloud_pbx_id: Option<u64>,
        #[serde(default, deserialize_with = "opt_u64")]
        id: Option<u64>,
    }
    match data {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        Value::Object(_) => Created::deserialize(data).ok().and_then(|c| c.cloud_pbx_id.or(c.id)),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Update

/// `PUT /dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}`: sets the name and feature switches
/// of a Cloud PBX.
///
/// `name`, `upgradeInPbx`, `im`, `passwordlessLogin` and `allowSuperiorPasswordlessLogin` are
/// all required (a missing one is refused before sending), so to change one switch, use
/// [`CloudPbxs::modify`](super::CloudPbxs::modify), which starts from the PBX as read.
/// `provisioningViaTemplate`, `pbxApi` and `trunkConfigurationAccess` (the last needs the
/// "Trunk Configuration Access" permission, firmware 84.21.0.66+) are optional.
///
/// ```
/// use yeastar_ycm::{Toggle, UpdateCloudPbx};
/// // The doc example disables passwordless login on PBX 42100.
/// let u = UpdateCloudPbx::new(42100, "Yeastar P-Series Cloud PBX", Toggle::Enabled, Toggle::Enabled,
///     Toggle::Disabled, Toggle::Disabled);
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateCloudPbx {
    /// The PBX (the path parameter).
    #[serde(skip)]
    pub cloud_pbx_id: u64,
    /// Name (required).
    pub name: String,
    /// `upgradeInPbx` (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upgrade_in_pbx: Option<Toggle>,
    /// `im` (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub im: Option<Toggle>,
    /// `passwordlessLogin` (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passwordless_login: Option<Toggle>,
    /// `allowSuperiorPasswordlessLogin` (required; effective with passwordless login on).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_superior_passwordless_login: Option<Toggle>,
    /// `provisioningViaTemplate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisioning_via_template: Option<Toggle>,
    /// `pbxApi` (newer pages).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pbx_api: Option<Toggle>,
    /// `trunkConfigurationAccess` (newer pages).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trunk_configuration_access: Option<Toggle>,
}

impl UpdateCloudPbx {
    /// A complete update with every required value.
    pub fn new(
        cloud_pbx_id: u64,
        name: impl Into<String>,
        upgrade_in_pbx: Toggle,
        im: Toggle,
        passwordless_login: Toggle,
        allow_superior_passwordless_login: Toggle,
    ) -> Self {
        Self {
            cloud_pbx_id,
            name: name.into(),
            upgrade_in_pbx: Some(upgrade_in_pbx),
            im: Some(im),
            passwordless_login: Some(passwordless_login),
            allow_superior_passwordless_login: Some(allow_superior_passwordless_login),
            provisioning_via_template: None,
            pbx_api: None,
            trunk_configuration_access: None,
        }
    }

    /// The update that resends `pbx` as read (the start of a read-modify-write). A required
    /// value the PBX as read lacks stays `None`; sending then fails with
    /// [`Error::InvalidInput`] naming it, unless you set it.
    pub fn from_pbx(cloud_pbx_id: u64, pbx: &CloudPbx) -> Self {
        let flag = |name: &str| match pbx.extra.get(name) {
            Some(Value::String(s)) => Some(Toggle::from(s.as_str())),
            _ => None,
        };
        Self {
            cloud_pbx_id,
            name: pbx.name.clone().unwrap_or_default(),
            upgrade_in_pbx: pbx.upgrade_in_pbx.clone(),
            im: pbx.im.clone(),
            passwordless_login: pbx.passwordless_login.clone(),
            allow_superior_passwordless_login: pbx.allow_superior_passwordless_login.clone(),
            provisioning_via_template: pbx.provisioning_via_template.clone(),
            pbx_api: flag("pbxApi"),
            trunk_configuration_access: flag("trunkConfigurationAccess"),
        }
    }
}

impl Endpoint for UpdateCloudPbx {
    type Envelope = YcmEnvelope;
    type Data = ();
    type Output = WriteResult;

    fn request(&self) -> Result<Request> {
        validate::required("name", &self.name)?;
        need_toggle("upgradeInPbx", &self.upgrade_in_pbx)?;
        need_toggle("im", &self.im)?;
        need_toggle("passwordlessLogin", &self.passwordless_login)?;
        need_toggle(
            "allowSuperiorPasswordlessLogin",
            &self.allow_superior_passwordless_login,
        )?;
        opt_toggle("provisioningViaTemplate", &self.provisioning_via_template)?;
        opt_toggle("pbxApi", &self.pbx_api)?;
        opt_toggle("trunkConfigurationAccess", &self.trunk_configuration_access)?;
        Ok(Request::put(INSTANCE)
            .path_param("cloudPbxId", self.cloud_pbx_id)
            .json(self))
    }

    fn output((): (), meta: &Meta<'_>) -> Result<WriteResult> {
        written(meta)
    }
}

// ---------------------------------------------------------------------------------------------
// Start, stop, resize

/// `PUT /dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/start` (no body): starts a Cloud
/// PBX. \[I\] It is `Starting`, then `Running`: see
/// [`CloudPbxs::wait_until_running`](super::CloudPbxs::wait_until_running).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartCloudPbx {
    cloud_pbx_id: u64,
}

/// `PUT /dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/stop` (no body): stops a Cloud PBX.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopCloudPbx {
    cloud_pbx_id: u64,
}

macro_rules! pbx_put_no_body {
    ($name:ident, $path:literal) => {
        impl $name {
            /// For Cloud PBX `cloud_pbx_id`.
            pub fn new(cloud_pbx_id: u64) -> Self {
                Self { cloud_pbx_id }
            }
        }

        impl Endpoint for $name {
            type Envelope = YcmEnvelope;
            type Data = ();
            type Output = WriteResult;

            fn request(&self) -> Result<Request> {
                Ok(Request::put($path).path_param("cloudPbxId", self.cloud_pbx_id))
            }

            fn output((): (), meta: &Meta<'_>) -> Result<WriteResult> {
                written(meta)
            }
        }
    };
}

pbx_put_no_body!(StartCloudPbx, "/dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/start");
pbx_put_no_body!(StopCloudPbx, "/dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/stop");

/// `PUT /dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/capacity`: resizes a Cloud PBX. All
/// four capacities are required (even to change one: see
/// [`CloudPbxs::modify_capacity`](super::CloudPbxs::modify_capacity)). YCM refuses to reduce
/// the recording minutes (newer page); the other capacities may go down.
///
/// ```
/// use yeastar_ycm::{Capacity, ResizeCloudPbx, Toggle};
/// // The doc example: resize PBX 42100's recording to 600 minutes.
/// let r = ResizeCloudPbx::new(42100, Capacity::new(30, 15, Toggle::Enabled, 600));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResizeCloudPbx {
    cloud_pbx_id: u64,
    capacity: Capacity,
}

impl ResizeCloudPbx {
    /// Resizes PBX `cloud_pbx_id` to `capacity`.
    pub fn new(cloud_pbx_id: u64, capacity: Capacity) -> Self {
        Self { cloud_pbx_id, capacity }
    }
}

impl Endpoint for ResizeCloudPbx {
    type Envelope = YcmEnvelope;
    type Data = ();
    type Output = WriteResult;

    fn request(&self) -> Result<Request> {
        self.capacity.check()?;
        Ok(
            Request::put("/dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/capacity")
                .path_param("cloudPbxId", self.cloud_pbx_id)
                .json(&self.capacity),
        )
    }

    fn output((): (), meta: &Meta<'_>) -> Result<WriteResult> {
        written(meta)
    }
}

// ---------------------------------------------------------------------------------------------
// Delete

/// `DELETE /dm/open_api/v1/cloud_pbx/instances` with the JSON body `{cloudPbxIds}`: deletes
/// Cloud PBXs (the doc example's unquoted key is sent as valid JSON). An empty list is refused
/// before sending; a retry that finds them gone reports `already_absent`. \[UNKNOWN\] whether
/// a running PBX must be stopped first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteCloudPbxs {
    cloud_pbx_ids: Vec<u64>,
}

impl DeleteCloudPbxs {
    /// Deletes the PBXs `cloud_pbx_ids`.
    pub fn new(cloud_pbx_ids: impl IntoIterator<Item = u64>) -> Self {
        Self {
            cloud_pbx_ids: cloud_pbx_ids.into_iter().collect(),
        }
    }
}

impl Endpoint for DeleteCloudPbxs {
    type Envelope = YcmEnvelope;
    type Data = ();
    type Output = WriteResult;

    fn request(&self) -> Result<Request> {
        need_ids("cloudPbxIds", &self.cloud_pbx_ids)?;
        Ok(Request::delete("/dm/open_api/v1/cloud_pbx/instances").json(self))
    }

    fn output((): (), meta: &Meta<'_>) -> Result<WriteResult> {
        written(meta)
    }

    fn already_absent(&self, meta: &Meta<'_>) -> Option<WriteResult> {
        Some(WriteResult::already_absent(meta, None))
    }
}

// ---------------------------------------------------------------------------------------------
// Customers of a PBX, activation emails

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct CustomerIdsBody {
    customer_ids: Vec<u64>,
}

/// `PUT /dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/customers` with `{customerIds}`:
/// **replaces** the customers of a Cloud PBX with exactly these (to add one, send the current
/// ones too, as the doc example does; or use [`CloudPbxs::add_customers`](super::CloudPbxs::add_customers)).
///
/// ```
/// use yeastar_ycm::UpdatePbxCustomers;
/// // The doc example: PBX 41567 has 50329411; add 50086182.
/// let u = UpdatePbxCustomers::new(41567, [50329411, 50086182]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdatePbxCustomers {
    cloud_pbx_id: u64,
    body: CustomerIdsBody,
}

impl UpdatePbxCustomers {
    /// PBX `cloud_pbx_id` will have exactly `customer_ids` (at least one \[I\]).
    pub fn new(cloud_pbx_id: u64, customer_ids: impl IntoIterator<Item = u64>) -> Self {
        Self {
            cloud_pbx_id,
            body: CustomerIdsBody {
                customer_ids: customer_ids.into_iter().collect(),
            },
        }
    }
}

impl Endpoint for UpdatePbxCustomers {
    type Envelope = YcmEnvelope;
    type Data = ();
    type Output = WriteResult;

    fn request(&self) -> Result<Request> {
        need_ids("customerIds", &self.body.customer_ids)?;
        Ok(
            Request::put("/dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/customers")
                .path_param("cloudPbxId", self.cloud_pbx_id)
                .json(&self.body),
        )
    }

    fn output((): (), meta: &Meta<'_>) -> Result<WriteResult> {
        written(meta)
    }
}

/// `POST /dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/activation_email` with
/// `{customerIds}`: emails the activation link to customers of the PBX; answers the addresses
/// the emails went to (`data: {accountList}`). \[I\] The customers should be associated with the
/// PBX. Not idempotent (each call sends emails).
///
/// ```
/// use yeastar_ycm::SendActivationEmails;
/// // The doc example.
/// let s = SendActivationEmails::new(42100, [50329421, 50086182]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendActivationEmails {
    cloud_pbx_id: u64,
    body: CustomerIdsBody,
}

impl SendActivationEmails {
    /// Sends the activation email of PBX `cloud_pbx_id` to `customer_ids`.
    pub fn new(cloud_pbx_id: u64, customer_ids: impl IntoIterator<Item = u64>) -> Self {
        Self {
            cloud_pbx_id,
            body: CustomerIdsBody {
                customer_ids: customer_ids.into_iter().collect(),
            },
        }
    }
}

/// `data: {accountList}`.
#[doc(hidden)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountList {
    #[serde(default)]
    account_list: Option<Vec<String>>,
}

impl Endpoint for SendActivationEmails {
    type Envelope = YcmEnvelope;
    type Data = Option<AccountList>;
    type Output = Vec<String>;

    fn request(&self) -> Result<Request> {
        need_ids("customerIds", &self.body.customer_ids)?;
        Ok(
            Request::post("/dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/activation_email")
                .path_param("cloudPbxId", self.cloud_pbx_id)
                .json(&self.body),
        )
    }

    fn output(data: Option<AccountList>, _: &Meta<'_>) -> Result<Vec<String>> {
        Ok(data.and_then(|d| d.account_list).unwrap_or_default())
    }
}

// ---------------------------------------------------------------------------------------------
// DID bindings

/// `PUT /dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/did` with `{trunkDidRelations}`:
/// **replaces** the DIDs bound to a Cloud PBX (an empty list clears them all). Firmware
/// 84.19.0.22+.
///
/// ```
/// use yeastar_ycm::{TrunkDidRelation, UpdateDidBindings};
/// // The doc example: PBX 4808, trunk 6681, DIDs 50036 and 50044.
/// let u = UpdateDidBindings::new(4808, [TrunkDidRelation::new(6681, [50036, 50044])]);
/// let clear = UpdateDidBindings::clear(4808);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateDidBindings {
    cloud_pbx_id: u64,
    body: DidBindingsBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct DidBindingsBody {
    trunk_did_relations: Vec<TrunkDidRelation>,
}

impl UpdateDidBindings {
    /// PBX `cloud_pbx_id` will have exactly these DIDs.
    pub fn new(cloud_pbx_id: u64, relations: impl IntoIterator<Item = TrunkDidRelation>) -> Self {
        Self {
            cloud_pbx_id,
            body: DidBindingsBody {
                trunk_did_relations: relations.into_iter().collect(),
            },
        }
    }

    /// Removes every DID from PBX `cloud_pbx_id` (`"trunkDidRelations": []`).
    pub fn clear(cloud_pbx_id: u64) -> Self {
        Self::new(cloud_pbx_id, [])
    }
}

impl Endpoint for UpdateDidBindings {
    type Envelope = YcmEnvelope;
    type Data = ();
    type Output = WriteResult;

    fn request(&self) -> Result<Request> {
        Ok(Request::put("/dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/did")
            .path_param("cloudPbxId", self.cloud_pbx_id)
            .json(&self.body))
    }

    fn output((): (), meta: &Meta<'_>) -> Result<WriteResult> {
        written(meta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body<E: Endpoint>(ep: &E) -> Value {
        serde_json::from_slice(ep.request().unwrap().json_body().unwrap()).unwrap()
    }

    fn field<E: Endpoint>(ep: &E) -> String {
        match ep.request().unwrap_err() {
            Error::InvalidInput { field, .. } => field,
            other => panic!("{other}"),
        }
    }

    fn create() -> CreateCloudPbx {
        CreateCloudPbx::new(
            "Acme",
            "acme-01",
            Placement::new(3, 1, 764),
            Plan::EnterprisePlan,
            PbxType::Commercial,
            Capacity::new(20, 5, Toggle::Enabled, 500),
            [50086120],
        )
        .upgrade_in_pbx(Toggle::Enabled)
        .im(Toggle::Disabled)
    }

    #[test]
    fn the_pbx_list_sorts_only_by_the_documented_fields() {
        let q = ListCloudPbxs::new()
            .sort(Sort::descending("createTime"))
            .request()
            .unwrap();
        assert_eq!(
            q.path_and_query().unwrap(),
            "/dm/open_api/v2/cloud_pbx/instances?sort=-createTime"
        );
        let q = ListCloudPbxs::new().sort("cloudPbxId").request().unwrap();
        assert_eq!(
            q.path_and_query().unwrap(),
            "/dm/open_api/v2/cloud_pbx/instances?sort=cloudPbxId"
        );
        assert_eq!(field(&ListCloudPbxs::new().sort("-name")), "sort");
    }

    #[test]
    fn create_sends_the_documented_fields_only() {
        assert_eq!(
            body(&create()),
            json!({"name":"Acme","plan":"Enterprise Plan","extensionCapacity":20,"concurrentCallCapacity":5,
                   "recordingStatus":"Enabled","recordingCapacity":500,"regionId":3,"subDomain":"acme-01",
                   "domainId":1,"versionId":764,"type":"Commercial","customerIds":[50086120],
                   "upgradeInPbx":"Enabled","im":"Disabled"})
        );
        assert!(!create().request().unwrap().is_idempotent());
    }

    #[test]
    fn create_is_checked_before_sending() {
        assert_eq!(
            field(&create().upgrade_in_pbx(Toggle::Unknown("On".into()))),
            "upgradeInPbx"
        );
        let no_im = CreateCloudPbx::new(
            "A",
            "a",
            Placement::new(1, 1, 1),
            Plan::UltimatePlan,
            PbxType::Trial,
            Capacity::new(1, 1, Toggle::Disabled, 0),
            [1],
        )
        .upgrade_in_pbx(Toggle::Enabled);
        assert_eq!(field(&no_im), "im");
        assert_eq!(
            field(&create().expiration_date(1_700_000_000)),
            "allowRunAfterExpirationDate"
        );
        assert!(
            create()
                .expiration_date(1_700_000_000)
                .allow_run_after_expiration_date(false)
                .request()
                .is_ok()
        );
        let bad_sub = CreateCloudPbx {
            sub_domain: "acme.example".into(),
            ..create()
        };
        assert_eq!(field(&bad_sub), "subDomain");
        let no_customer = CreateCloudPbx {
            customer_ids: vec![],
            ..create()
        };
        assert_eq!(field(&no_customer), "customerIds");
        let read_only_plan = CreateCloudPbx {
            plan: Plan::UpgradingToUltimatePlan,
            ..create()
        };
        assert_eq!(field(&read_only_plan), "plan");
    }

    #[test]
    fn the_created_id_is_found_in_any_likely_shape() {
        for (data, id) in [
            (json!({"cloudPbxId": 42}), Some(42)),
            (json!({"cloudPbxId": "42"}), Some(42)),
            (json!({"id": 43}), Some(43)),
            (json!(44), Some(44)),
            (json!("45"), Some(45)),
            (json!({}), None),
            (json!([1]), None),
        ] {
            assert_eq!(created_id(&data), id, "{data}");
        }
    }

    #[test]
    fn update_requires_every_documented_switch() {
        let full = UpdateCloudPbx::new(
            42100,
            "P",
            Toggle::Enabled,
            Toggle::Enabled,
            Toggle::Disabled,
            Toggle::Disabled,
        );
        assert_eq!(
            body(&full),
            json!({"name":"P","upgradeInPbx":"Enabled","im":"Enabled","passwordlessLogin":"Disabled",
                   "allowSuperiorPasswordlessLogin":"Disabled"})
        );
        let mut missing = full.clone();
        missing.im = None;
        assert_eq!(field(&missing), "im");
        let mut unnamed = full;
        unnamed.name = " ".into();
        assert_eq!(field(&unnamed), "name");
    }

    #[test]
    fn id_lists_are_required() {
        assert_eq!(field(&DeleteCloudPbxs::new([])), "cloudPbxIds");
        assert_eq!(field(&UpdatePbxCustomers::new(1, [])), "customerIds");
        assert_eq!(field(&SendActivationEmails::new(1, [])), "customerIds");
        assert_eq!(body(&UpdateDidBindings::clear(4808)), json!({"trunkDidRelations": []}));
    }

    #[test]
    fn queries() {
        let r = ListCloudPbxs::new()
            .search("acme corp")
            .sort("-createTime")
            .page_size(10)
            .request()
            .unwrap();
        assert_eq!(
            r.path_and_query().unwrap(),
            "/dm/open_api/v2/cloud_pbx/instances?pageSize=10&sort=-createTime&search=acme+corp"
        );
        let r = GetCloudPbxByUrl::new("cloud.example.yeastar.com").request().unwrap();
        assert_eq!(
            r.path_and_query().unwrap(),
            "/dm/open_api/v1/cloud_pbx/instances/get?url=cloud.example.yeastar.com"
        );
        assert_eq!(field(&GetCloudPbxByUrl::new("")), "url");
    }
}
