//! Typed client for the [Yeastar Partner Portal OpenAPI](https://help.yeastar.com/en/pp-ptr/developer-guide/):
//! access tokens, subordinate users (customers), billing contacts and the country list.
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
//! Partner Portal has no delete endpoint (customers are removed by the account manager).
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

mod auth;
pub mod billing;
mod client;
pub mod countries;
mod envelope;
pub mod users;

pub use crate::auth::{ACCESS_TOKEN_LIFETIME, PpTokenSource, REFRESH_TOKEN_LIFETIME, TOKEN_PATH};
pub use crate::billing::{BillingContact, BillingContacts, ListBillingContacts};
pub use crate::client::{Client, ClientBuilder, ERROR_CODES, PartnerPortal};
pub use crate::countries::{Countries, Country, CountryPage, CountrySort, ListCountries};
#[doc(hidden)]
pub use crate::envelope::ItemList;
pub use crate::envelope::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PagedList, PpEnvelope};
pub use crate::users::{CreateUser, EditUser, GetUser, ListUsers, TaxType, User, UserType, Users};
pub use yeastar_transport::common::*;
