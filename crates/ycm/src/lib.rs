//! Typed client for the Yeastar Central Management (YCM) OpenAPI: access tokens, users,
//! customers, the Cloud PBX lifecycle, the lookups to create a Cloud PBX, and webhooks.
//!
//! ```no_run
//! use yeastar_ycm::{Client, Credentials, ListUsers, PbxCreationLimit, UpdateUser};
//!
//! # async fn demo() -> yeastar_ycm::Result<()> {
//! let client = Client::builder()
//!     .credentials(Credentials::client("client-id", "client-secret"))
//!     .build()?;
//!
//! // PUT /dm/open_api/v1/users/13329 {"company":"New Company Name"}
//! let done = client
//!     .users()
//!     .update(UpdateUser::new(13329).company("New Company Name"))
//!     .await?;
//! println!("request {:?} at {:?}", done.request_id, done.timestamp());
//!
//! // A reseller without a PBX creation limit, and without two-factor authentication.
//! client
//!     .users()
//!     .update(
//!         UpdateUser::new(13329)
//!             .pbx_creation_limit(PbxCreationLimit::Unlimited)
//!             .disable_two_factor_authentication(),
//!     )
//!     .await?;
//!
//! // Every user, read lazily 50 at a time.
//! let mut users = client.users().list(ListUsers::new()).items();
//! while let Some(user) = users.next().await {
//!     let user = user?;
//!     println!("{:?} {:?} {:?}", user.user_id, user.user_type, user.email);
//! }
//! # Ok(()) }
//! ```
//!
//! # What the crate handles for you
//! - **Tokens** ([`YcmTokenSource`]): `POST /dm/open_api/oauth/token` with the client
//!   credentials, then refresh tokens (15 days); the transport caches them, refreshes them
//!   before expiry and replays a call once after a rejected token. YCM blocks an IP after more
//!   than 5 failed authentications in a row, so a refused token request is never sent again by
//!   the same client: fix the credentials and build a new one.
//! - **The envelope** ([`YcmEnvelope`]): `{data, requestId, status, time}`. Only
//!   `status: "Success"` is a success; `"Failed"` is an [`Error::Api`] even on HTTP 200, with
//!   the request id to quote to Yeastar support. The documented error codes are read into
//!   [`ApiError::kind`]: 1000035/1000036 (token rejected: refreshed and replayed once),
//!   1000005/1000015 (not found), 1000040 (rate limit: retried after a backoff). Writes answer
//!   a [`WriteResult`] (request id, server time, the new id for creates).
//! - **Retries**: reads, updates and deletes are retried on transient failures; creates are
//!   never sent twice, and a create whose answer was lost is [`Error::OutcomeUnknown`].
//! - **Paging**: listings are lazy [`Pages`] streams, [`DEFAULT_PAGE_SIZE`] (50) items per
//!   page unless set; a page size above [`MAX_PAGE_SIZE`] (50) or a page 0 is refused.
//!
//! # Endpoints
//! | Operation | Call | Endpoint value |
//! |---|---|---|
//! | `GET /dm/open_api/v1/users/{userId}` | [`Users::get`] | [`GetUser`] |
//! | `GET /dm/open_api/v2/users` | [`Users::list`] | [`ListUsers`] |
//! | `POST /dm/open_api/v1/users` | [`Users::create`] | [`CreateUser`] |
//! | `PUT /dm/open_api/v1/users/{userId}` | [`Users::update`] | [`UpdateUser`] |
//! | `DELETE /dm/open_api/v1/users` | [`Users::delete`] | [`DeleteUsers`] |
//! | `PUT /dm/open_api/v1/users/{userId}/subscription_info` | [`Users::update_subscription`] | [`UpdateSubscription`] |
//! | `GET /dm/open_api/v1/user_info/subordinates` | [`Subordinates::list`] | [`ListSubordinates`] |
//! | `GET /dm/open_api/v1/customers` | [`Customers::list`] | [`ListCustomers`] |
//! | `GET /dm/open_api/v1/customers/{customerId}` | [`Customers::get`] | [`GetCustomer`] |
//! | `POST /dm/open_api/v1/customers` | [`Customers::create`] | [`CreateCustomer`] |
//! | `PUT /dm/open_api/v1/customers/{customerId}` | [`Customers::update`], [`Customers::modify`] | [`UpdateCustomer`] |
//! | `DELETE /dm/open_api/v1/customers` | [`Customers::delete`] | [`DeleteCustomers`] |
//! | `GET /dm/open_api/v2/cloud_pbx/instances` | [`CloudPbxs::list`] | [`ListCloudPbxs`] |
//! | `GET /dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}` | [`CloudPbxs::get`] | [`GetCloudPbx`] |
//! | `GET /dm/open_api/v1/cloud_pbx/instances/get?url=` | [`CloudPbxs::get_by_url`] | [`GetCloudPbxByUrl`] |
//! | `GET …/instances/{cloudPbxId}/status` | [`CloudPbxs::status`], [`CloudPbxs::wait_until_running`] | [`GetPbxStatus`] |
//! | `GET …/instances/{cloudPbxId}/activation_info` | [`CloudPbxs::activation_info`] | [`GetActivationInfo`] |
//! | `POST /dm/open_api/v1/cloud_pbx/instances` | [`CloudPbxs::create`] | [`CreateCloudPbx`] |
//! | `PUT …/instances/{cloudPbxId}` | [`CloudPbxs::update`], [`CloudPbxs::modify`] | [`UpdateCloudPbx`] |
//! | `PUT …/instances/{cloudPbxId}/start` | [`CloudPbxs::start`] | [`StartCloudPbx`] |
//! | `PUT …/instances/{cloudPbxId}/stop` | [`CloudPbxs::stop`] | [`StopCloudPbx`] |
//! | `PUT …/instances/{cloudPbxId}/capacity` | [`CloudPbxs::resize`], [`CloudPbxs::modify_capacity`] | [`ResizeCloudPbx`] |
//! | `DELETE /dm/open_api/v1/cloud_pbx/instances` | [`CloudPbxs::delete`] | [`DeleteCloudPbxs`] |
//! | `GET …/instances/{cloudPbxId}/customers` | [`CloudPbxs::customers`] | [`GetPbxCustomers`] |
//! | `PUT …/instances/{cloudPbxId}/customers` | [`CloudPbxs::update_customers`], [`CloudPbxs::add_customers`], [`CloudPbxs::remove_customers`] | [`UpdatePbxCustomers`] |
//! | `POST …/instances/{cloudPbxId}/activation_email` | [`CloudPbxs::send_activation_emails`] | [`SendActivationEmails`] |
//! | `GET …/instances/{cloudPbxId}/password_free_login_url` | [`CloudPbxs::passwordless_login_url`] | [`GetPasswordlessLoginUrl`] |
//! | `PUT …/instances/{cloudPbxId}/did` | [`CloudPbxs::update_dids`] | [`UpdateDidBindings`] |
//! | `GET /dm/open_api/v1/cluster/regions` | [`Regions::list`] | [`ListRegions`] |
//! | `GET /dm/open_api/v1/cluster/domains?regionIds=` | [`Domains::list`] | [`ListDomains`] |
//! | `GET /dm/open_api/v1/firmware?type=pbx` | [`Firmware::list`] | [`ListFirmware`] |
//! | `GET /dm/open_api/v1/shared_trunk/name/acl` | [`SharedTrunks::list`] | [`ListSharedTrunks`] |
//! | `GET /dm/open_api/v1/shared_trunk/pbx/used?cloudPbxId=` | [`SharedTrunks::assigned`] | [`GetAssignedTrunks`] |
//! | `GET /dm/open_api/v1/did_management/usable?trunkId=` | [`Dids::usable`] | [`ListUsableDids`] |
//! | `GET /dm/open_api/v1/did_management/{cloudPbxId}/did` | [`Dids::assigned`] | [`GetAssignedDids`] |
//!
//! Webhooks ("PCE Capacity Change", "PCE DID Change") are configured in the YCM interface, not
//! through the API; [`webhooks`] verifies and reads their deliveries. The documented error codes
//! are [`YcmErrorCode`], with predicates in [`YcmErrorExt`] (for example
//! [`YcmErrorExt::is_email_already_exists`]).
//!
//! # Onboarding a customer
//! ```no_run
//! use std::time::Duration;
//! use yeastar_ycm::{Capacity, CreateCloudPbx, CreateCustomer, ListDomains, ListFirmware, PbxType, Placement, Plan, Toggle};
//!
//! # async fn demo(client: yeastar_ycm::Client) -> Result<(), Box<dyn std::error::Error>> {
//! let customer = client.customers().create(CreateCustomer::new("Leo", "Example Company", "leo@example.com")).await?;
//! let customer_id = customer.id.expect("the new customer's id");
//! let region = client.regions().list().await?.remove(0).region_id.expect("a region id");
//! let domain = client.domains().list(ListDomains::new([region])).await?.remove(0).domain_id.expect("a domain id");
//! let firmware = client.firmware().list(ListFirmware::new().region_ids([region])).await?.remove(0).version_id.expect("a version id");
//! let created = client
//!     .cloud_pbxs()
//!     .create(
//!         CreateCloudPbx::new("Example PBX", "example", Placement::new(region, domain, firmware), Plan::EnterprisePlan,
//!             PbxType::Commercial, Capacity::new(20, 5, Toggle::Enabled, 500), [customer_id])
//!             .upgrade_in_pbx(Toggle::Enabled)
//!             .im(Toggle::Enabled),
//!     )
//!     .await?;
//! let pbx_id = created.id.expect("the new PBX's id");
//! client.cloud_pbxs().wait_until_running(pbx_id, Duration::from_secs(15 * 60)).await?;
//! client.cloud_pbxs().send_activation_emails(pbx_id, [customer_id]).await?;
//! # Ok(()) }
//! ```

mod auth;
mod client;
pub mod cloud_pbx;
pub mod customers;
pub mod dids;
pub mod domains;
mod envelope;
mod errors;
pub mod firmware;
pub mod regions;
pub mod shared_trunks;
pub mod subordinates;
pub mod users;
pub mod webhooks;

pub use crate::auth::{ACCESS_TOKEN_LIFETIME, REFRESH_TOKEN_LIFETIME, TOKEN_PATH, YcmTokenSource};
pub use crate::client::{Client, ClientBuilder, ERROR_CODES, Ycm};
pub use crate::cloud_pbx::{
    ActivationInfo, ActivationStatus, Capacity, CloudPbx, CloudPbxPage, CloudPbxs, CreateCloudPbx, Creator,
    DeleteCloudPbxs, GetActivationInfo, GetCloudPbx, GetCloudPbxByUrl, GetPasswordlessLoginUrl, GetPbxCustomers,
    GetPbxStatus, ListCloudPbxs, PbxStatus, PbxStatusInfo, PbxType, Placement, Plan, ResizeCloudPbx,
    SendActivationEmails, StartCloudPbx, StopCloudPbx, Toggle, TrunkDidRelation, UpdateCloudPbx, UpdateDidBindings,
    UpdatePbxCustomers, WaitError, WaitOptions,
};
pub use crate::customers::{
    CreateCustomer, Customer, CustomerPage, Customers, DeleteCustomers, GetCustomer, ListCustomers, UpdateCustomer,
};
pub use crate::dids::{Dids, GetAssignedDids, ListUsableDids, UsableDid};
pub use crate::domains::{Domain, Domains, ListDomains};
pub use crate::envelope::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PagedList, Sort, YcmEnvelope};
pub use crate::errors::{YcmErrorCode, YcmErrorExt};
pub use crate::firmware::{Firmware, FirmwareVersion, ListFirmware};
pub use crate::regions::{ListRegions, Region, Regions};
pub use crate::shared_trunks::{GetAssignedTrunks, ListSharedTrunks, SharedTrunk, SharedTrunks, TrunkType};
pub use crate::subordinates::{ListSubordinates, Subordinate, SubordinatePage, Subordinates};
pub use crate::users::{
    CreateUser, DeleteUsers, GetUser, HighAvailability, ListUsers, PbxCreationLimit, ResellerPackage,
    TwoFactorAuthentication, UpdateSubscription, UpdateUser, User, UserPage, UserType, Users,
};
pub use yeastar_transport::common::*;
