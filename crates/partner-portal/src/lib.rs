//! Typed client for the [Yeastar Partner Portal OpenAPI](https://help.yeastar.com/en/pp-ptr/developer-guide/):
//! access tokens, subordinate users (customers), billing contacts, the country list, products
//! and pricing, orders, regions and purchased products (licences).
//!
//! ```no_run
//! use yeastar_partner_portal::{Client, CreateUser, Credentials, EditUser, ListCountries};
//!
//! # async fn demo() -> yeastar_partner_portal::Result<()> {
//! let client = Client::builder()
//!     .credentials(Credentials::client("my-client-id", "my-client-secret"))
//!     .app_name("acme-onboarding/1.0")
//!     .build()?;
//!
//! // Query one customer by Yeastar ID.
//! let user = client.users().get("color123@yeastar.com").await?;
//! println!("{:?} works at {:?}", user.first_name, user.company);
//!
//! // Create one (never sent twice), then edit it (retried on transient failures).
//! client
//!     .users()
//!     .create(CreateUser::new("new.customer@example.com", "Example Ltd", "Chad").first_name("Ada"))
//!     .await?;
//! let done = client.users().edit(EditUser::new("new.customer@example.com").tax_num("1234")).await?;
//! println!("request {:?}", done.request_id);
//!
//! // Every country, page by page, lazily.
//! let countries = client.countries().list(ListCountries::new()).try_collect().await?;
//! println!("{} countries", countries.len());
//! # Ok(()) }
//! ```
//!
//! # What the crate handles for you
//! - **Tokens** ([`PpTokenSource`]): `POST /auth/openapi/v1/oauth/token` with the client
//!   credentials (`grant_type=pp_credentials`), then refresh tokens (15 days); the transport
//!   caches them, refreshes them before expiry and replays a call once after a rejected token
//!   (HTTP 401 or Spring's `invalid_token`). An explicit refusal of the credentials is final.
//! - **The envelope** ([`PpEnvelope`]): `{code, detailMessage, requestId, result, status}`.
//!   Only `code: "success"` is a success; any other code is an [`Error::Api`] even on HTTP 200,
//!   with the code verbatim, `detailMessage`, the request id and the `result` details. Writes
//!   answer a [`WriteResult`] (request id); `result: false` is an [`Error::Api`].
//! - **Retries**: reads and edits are retried on transient failures; creates are never sent
//!   twice, and a create whose answer was lost is [`Error::OutcomeUnknown`].
//! - **Paging**: listings are lazy [`Pages`] streams, [`DEFAULT_PAGE_SIZE`] (25) items per page
//!   unless set; page 0 and size 0 are refused ([`MAX_PAGE_SIZE`]: Partner Portal documents no
//!   maximum). The user and billing-contact lists are not paged: their stream reads one page,
//!   and an empty answer (`null`, `{}`, `{"total":0,"list":null}`) is no items.
//! - **Input checks**: a Yeastar ID that is not an email, a create without a name, a blank
//!   required field are [`Error::InvalidInput`], and nothing is sent.
//!
//! - **Big ids**: plan, service and order ids are 19-digit numbers; the SDK keeps them as
//!   strings, read exactly from the JSON text whether the API sends a string or a number of
//!   any size (never through floating point).
//!
//! Partner Portal has no delete endpoint (customers are removed by the account manager) and
//! no webhooks.
//!
//! # Orders and licences
//!
//! ```no_run
//! use yeastar_partner_portal::{
//!     CreateOrder, GetPlanInfo, GetProductOffering, ListLicences, ListRegions, OperationType, OrderItem,
//!     PceOrder, PurchaseType,
//! };
//!
//! # async fn demo(client: yeastar_partner_portal::Client) -> yeastar_partner_portal::Result<()> {
//! // What can be bought for a Cloud PBX (product 13), and at what terms.
//! let offering = client.products().offering(GetProductOffering::new(13)).await?;
//! let plan_id = offering.plan_list[0].id.clone().unwrap_or_default();
//! let plan = client.products().plan_info(GetPlanInfo::plan(PurchaseType::Purchase, &plan_id, 13)).await?;
//! println!("{:?}: {:?} {:?}", plan.name, plan.price, plan.currency_code);
//!
//! // Where it can run.
//! let regions = client.regions().list(ListRegions::new()).try_collect().await?;
//! let region = &regions[0];
//! let domain = region.region[0].pbx_sub_domain_id.clone().unwrap_or_default();
//!
//! // Order it for a customer (never sent twice).
//! let order = CreateOrder::new(OperationType::PurchasePlan, 13, "3081512345678901248")
//!     .assign_id("3076915454489739264")
//!     .item(OrderItem::plan(plan_id).quantity(20).purchase_type(PurchaseType::Purchase))
//!     .pce(PceOrder::new("Acme HQ", region.id.clone().unwrap_or_default(), domain));
//! let done = client.orders().create(order).await?;
//!
//! // Follow it, then read the licence (its SN is what YCM knows the PBX by).
//! if let Some(id) = done.id {
//!     let details = client.orders().get(id).await?;
//!     println!("{:?}", details.order_information.order_status);
//! }
//! let licences = client.licences().list(ListLicences::new(13)).try_collect().await?;
//! println!("{} Cloud PBX licences", licences.len());
//! # Ok(()) }
//! ```
//!
//! # Endpoints
//! | Operation | Call | Endpoint value |
//! |---|---|---|
//! | `GET /user/openapi/user/v1/subordinate_user/{partnerId}` | [`Users::get`] | [`GetUser`] |
//! | `GET /user/openapi/user/v1/client/partner_list` | [`Users::list`] | [`ListUsers`] |
//! | `POST /user/openapi/user/v1/client/save_user` | [`Users::create`] | [`CreateUser`] |
//! | `POST /user/openapi/user/v1/client/edit_user` | [`Users::edit`] | [`EditUser`] |
//! | `GET /user/openapi/user/v1/client/billing_contact_list` | [`BillingContacts::list`] | [`ListBillingContacts`] |
//! | `GET /user/openapi/area/v1/page` | [`Countries::list`] | [`ListCountries`] |
//! | `GET /pricing/openapi/purchase/v1/product_list` | [`Products::list`] | [`ListProducts`] |
//! | `GET /pricing/openapi/purchase/v1/purchase_product_info` | [`Products::offering`] | [`GetProductOffering`] |
//! | `GET /pricing/openapi/purchase/v1/{trial,purchase,renew}/plan_info/{pricingPlanId}` | [`Products::plan_info`] | [`GetPlanInfo::plan`] |
//! | `GET /pricing/openapi/purchase/v1/{trial,purchase,renew}/add_on_info/{pricingServiceId}` | [`Products::plan_info`] | [`GetPlanInfo::add_on`] |
//! | `POST /order/openapi/order/v1/save` | [`Orders::create`] | [`CreateOrder`] |
//! | `GET /order/openapi/order/v1/page` | [`Orders::list`] | [`ListOrders`] |
//! | `GET /order/openapi/order/v1/get/{id}` | [`Orders::get`] | [`GetOrder`] |
//! | `GET /product/openapi/instance/v1/region_list` | [`Regions::list`] | [`ListRegions`] |
//! | `GET /product/openapi/instance_product/v1/client/instance_product_list` | [`Licences::list`] | [`ListLicences`] |
//! | `GET /product/openapi/instance_product/v1/detail` | [`Licences::get`] | [`GetLicence`] |
//! | `GET /product/openapi/instance_product/v1/activation_code` | [`Licences::activation_code`] | [`GetActivationCode`] |

mod auth;
pub mod billing;
mod client;
pub mod countries;
mod envelope;
mod id;
pub mod licences;
pub mod orders;
pub mod products;
pub mod regions;
pub mod users;

pub use crate::auth::{ACCESS_TOKEN_LIFETIME, PpTokenSource, REFRESH_TOKEN_LIFETIME, TOKEN_PATH};
pub use crate::billing::{BillingContact, BillingContacts, ListBillingContacts};
pub use crate::client::{Client, ClientBuilder, ERROR_CODES, PartnerPortal};
pub use crate::countries::{Countries, Country, CountryPage, CountrySort, ListCountries};
#[doc(hidden)]
pub use crate::envelope::ItemList;
pub use crate::envelope::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PagedList, PpEnvelope};
pub use crate::licences::{
    ActivationCode, ActivationStatus, GetActivationCode, GetLicence, Licence, Licences, ListLicences,
};
pub use crate::orders::{
    CreateOrder, GetOrder, ListOrders, OperationType, Order, OrderDetails, OrderItem, OrderStatus, Orders, PceOrder,
    ServiceType,
};
pub use crate::products::{
    GetPlanInfo, GetProductOffering, ListProducts, PlanInfo, PricingItem, Product, ProductOffering, Products,
    PurchaseType,
};
pub use crate::regions::{ListRegions, Region, RegionDomain, Regions};
pub use crate::users::{CreateUser, EditUser, GetUser, ListUsers, TaxType, User, UserType, Users};
pub use yeastar_transport::common::*;
