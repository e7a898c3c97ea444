//! A local, stateful, in-memory simulator of Yeastar's three cloud OpenAPIs: the Partner Portal
//! (PP), Yeastar Central Management (YCM) and Yeastar Workplace (WP).
//!
//! Yeastar offers no test environment, so this crate plays one. A single HTTP server (axum on
//! tokio) serves the three products side by side; their paths do not collide:
//!
//! | Product | Paths |
//! |---|---|
//! | Partner Portal | `/auth/openapi/…`, `/user/openapi/…` |
//! | YCM | `/dm/open_api/…` |
//! | Workplace | `/services/openapi/v1.0/…` |
//!
//! It behaves as the Yeastar documentation describes: each product's token flow (form bodies,
//! envelopes, lifetimes, rotating refresh tokens), each product's success and error envelope
//! (YCM with its documented error codes), validation as strict as the docs (required fields,
//! each page's spelling, `Content-Type`), paging and the quirks (PP writes `userType`
//! `Customer` and reads `Enduser`, YCM's `pbxCreationLimit` `""`, Workplace's update that
//! resets omitted fields, YCM's IP lockout after more than 5 failed authentications). The
//! data is seeded from the documentation examples (PP user `color123@yeastar.com`, YCM user
//! 13329, Workplace member 54164, …).
//!
//! # Endpoints
//!
//! Only the documented paths are served (not the typos of some doc examples, such as
//! `PUT /dm/open_api/v1/user/{userId}`). Unknown paths answer 404 and wrong methods 405, in
//! the envelope of the product that owns the path.
//!
//! | Product | Endpoint |
//! |---|---|
//! | PP | `POST /auth/openapi/v1/oauth/token` (`pp_credentials`, `refresh_token`) |
//! | PP | `GET /user/openapi/user/v1/client/partner_list`, `GET …/subordinate_user/{partnerId}` (the Yeastar ID) |
//! | PP | `POST /user/openapi/user/v1/client/save_user`, `POST …/client/edit_user` |
//! | PP | `GET /user/openapi/user/v1/client/billing_contact_list`, `GET /user/openapi/area/v1/page` |
//! | YCM | `POST /dm/open_api/oauth/token` (`client_credentials`, `refresh_token`) |
//! | YCM | `GET /dm/open_api/v2/users`, `GET`/`PUT /dm/open_api/v1/users/{userId}` |
//! | YCM | `POST`/`DELETE /dm/open_api/v1/users`, `PUT …/users/{userId}/subscription_info` |
//! | YCM | `GET /dm/open_api/v1/user_info/subordinates` |
//! | YCM | `GET`/`POST`/`DELETE /dm/open_api/v1/customers`, `GET`/`PUT …/customers/{customerId}` |
//! | YCM | `GET /dm/open_api/v2/cloud_pbx/instances`, `POST`/`DELETE /dm/open_api/v1/cloud_pbx/instances`, `GET …/instances/get?url=` |
//! | YCM | `GET`/`PUT …/instances/{cloudPbxId}`, `GET …/status`, `GET …/activation_info`, `PUT …/start`, `PUT …/stop`, `PUT …/capacity` |
//! | YCM | `GET`/`PUT …/instances/{cloudPbxId}/customers`, `POST …/activation_email`, `GET …/password_free_login_url`, `PUT …/did` |
//! | YCM | `GET /dm/open_api/v1/cluster/regions`, `…/cluster/domains?regionIds=`, `GET /dm/open_api/v1/firmware?type=pbx` |
//! | YCM | `GET /dm/open_api/v1/shared_trunk/name/acl`, `…/shared_trunk/pbx/used?cloudPbxId=`, `GET /dm/open_api/v1/did_management/usable`, `…/did_management/{cloudPbxId}/did` |
//! | WP | `POST /services/openapi/v1.0/authentication/get_token`, `…/refresh_token` |
//! | WP | `GET …/user/user_list`, `…/user_detail/{memberId}`, `POST …/user_create`, `PUT …/user_update`, `DELETE …/user_remove/{memberId}` |
//! | WP | `GET …/user/group_list`, `…/group_detail/{groupId}`, `POST …/group_create`, `PUT …/group_update`, `DELETE …/group_delete/{groupId}` |
//! | WP | `POST /services/openapi/v1.0/integration/subscribe`, `DELETE …/integration/cancel_subscribe` |
//!
//! The route tables live in `src/pp/mod.rs`, `src/ycm/mod.rs` and `src/wp/mod.rs`, with one
//! module per resource beside them (to add an endpoint: a route there, a handler in the
//! resource's module, its records in the product's `data.rs`).
//!
//! # For tests
//!
//! - A request journal ([`Sandbox::journal`], secrets redacted).
//! - Fault injection per route, per product's API calls or per token endpoint
//!   ([`FaultRule`]): error statuses, 429 with `Retry-After`, an HTML 502 page, latency,
//!   dropped connections, answers lost after the request took effect, seeded random faults,
//!   and hostile servers ([`Fault::BearerChallenge`], [`Fault::EchoSecret`],
//!   [`Fault::NoToken`], [`Fault::HtmlForbidden`], [`Fault::Hang`], a slow endpoint with
//!   [`Fault::Delay`]).
//! - Token-bucket rate limits per product ([`RateLimit`]; YCM's documented Burst / Rate /
//!   Interval), answered as the product answers.
//! - A [`ManualClock`] for token expiry, rate limits and the Cloud PBX lifecycle without
//!   sleeping.
//! - YCM webhooks ([`SandboxConfig::with_ycm_webhook`]): "PCE Capacity Change" on Cloud PBX
//!   creation and resize, "PCE DID Change" on DID bindings and deletion, POSTed as JSON arrays
//!   signed with `X-Signature` = Base64(HMAC-SHA256(body, secret)).
//! - Workplace events: subscriptions through the API, the Callback URI of the admin portal in
//!   [`SandboxConfig::with_wp_callback_uri`], meeting events made to happen with
//!   [`Sandbox::emit_workplace_event`] (the sandbox has no meetings) and the Test button's
//!   `WEBHOOK_TEST` with [`Sandbox::test_workplace_webhook`]; deliveries are retried 3 times
//!   like Workplace's ([`WpDelivery`]).
//!
//! # The Cloud PBX lifecycle
//!
//! A created Cloud PBX is `Provisioning` for [`SandboxConfig::with_ycm_provisioning_time`]
//! (3 s by default), then `Running` and `Unactivated`. Stop makes it `Stopped` at once; start
//! makes it `Starting` for [`SandboxConfig::with_ycm_starting_time`] (1 s), then `Running`.
//! Starting or stopping a PBX being provisioned is refused (1000004). A resize needs all four
//! capacities and refuses to reduce the recording minutes. A customer associated with a Cloud
//! PBX cannot be deleted (3000014, the code YCM documents for users). The PBX ids of new PBXs
//! start at 420000, customer ids at 50500000.
//!
//! # Example
//!
//! ```no_run
//! use yeastar_sandbox::{Sandbox, SandboxConfig, DEMO_YCM_CLIENT_ID, DEMO_YCM_CLIENT_SECRET};
//!
//! # async fn run() -> std::io::Result<()> {
//! let sandbox = Sandbox::start(SandboxConfig::default()).await?;
//! println!("YCM token endpoint: {}/dm/open_api/oauth/token", sandbox.base_url());
//! println!("client id {DEMO_YCM_CLIENT_ID}, secret {DEMO_YCM_CLIENT_SECRET}");
//! // … point an SDK client at `sandbox.base_url()` …
//! assert_eq!(sandbox.journal_count(&http::Method::POST, "/dm/open_api/v1/users"), 0);
//! # Ok(()) }
//! ```
//!
//! # Seeded data
//!
//! - **Partner Portal**: customers `color123@yeastar.com` (exactly the documentation example:
//!   Company Example, Chad, Xiamen, partnerId `3076915454489739264`, …) and `yaya@yeastar.com`;
//!   one billing contact; a list of 46 countries (Chad, China, Germany, France, United Kingdom,
//!   United States, …) for `/user/openapi/area/v1/page`.
//! - **YCM**: users 13329 (Reseller, 2 Cloud PBXs, no PBX creation limit), 13330 and 13333
//!   (`My Colleague`), 13331 (reseller, no Cloud PBX) and 13332 (reseller, 5 Cloud PBXs); the
//!   resellers are the subordinates. A user with Cloud PBXs cannot be deleted. New users get
//!   ids from 13400. Customers of the doc examples (50086120 Leo Ball, 50086182, 50086283,
//!   50329401, 50329411, 50329421, and the unattached 50429524 / 50429525); Cloud PBXs 7715
//!   (the "Response Results" example), 7738, 41567, 42100, 43144 and 43145 (stopped), 116671
//!   (unactivated), 389283, 4768 (DIDs 2, 3, 8–11 on trunk 6680), 4769 and 4808; regions 1–4
//!   of the example plus 16 `Europe(Frankfurt)`; domains 1 and 2 of region 3 as in the
//!   example, and one more per region; firmware 764 `84.8.0.25` and 812 `84.19.0.110`; the
//!   shared trunks of the example plus 6680 and 6681; DIDs 1186852/1186853 (trunk 112129) and
//!   50036/50044 (trunk 6681).
//! - **Workplace**: member 54164 (Leo Ball, `leo@yeastar.com`, group 1000127, Administrator,
//!   building Yeastar, floor 2F, phone 1325698753, idCode XZXXtest6701, `added`) and 54165 (Amy
//!   Chen, groups 1000127 and 1000128, User, Annex / G, `invite`); groups 1000127 (the "All
//!   Users" group, named after the company: `Yeastar Demo Co.`) and 1000128 `Sales`; buildings
//!   Yeastar (1F, 2F, 3F) and Annex (G); roles Administrator, User and Receptionist (custom).
//!
//! # Dropped connections
//!
//! [`Fault::DropConnection`] is implemented below hyper: every accepted socket is wrapped in a
//! stream with a kill switch. The handler reads and journals the request, flips the switch and
//! returns; the wrapper then fails every write, so hyper closes the socket before a single byte
//! of the response is sent. Clients see "connection closed before message completed".
//!
//! Values that the documentation leaves open (the key of YCM's error code, the HTTP status of
//! errors, …) are the simulator's own choices; they are listed in the docs of [`Sandbox`],
//! with the few undocumented fields the answers carry.

mod app;
mod auth;
mod clock;
mod config;
mod error;
mod extract;
mod fault;
mod journal;
mod listener;
mod middleware;
mod pp;
mod reply;
mod server;
mod state;
mod wp;
mod ycm;

pub use clock::ManualClock;
pub use config::{RateLimit, SandboxConfig, TokenLifetimes, YcmWebhook};
pub use fault::{EchoedSecret, Fault, FaultRule, Faults, NoTokenBody};
pub use http::Method;
pub use journal::JournalEntry;
pub use server::{Sandbox, serve};
pub use wp::events::WpDelivery;

/// Demo client id of the Partner Portal API.
pub const DEMO_PP_CLIENT_ID: &str = "pp-demo-client";
/// Demo client secret of the Partner Portal API.
pub const DEMO_PP_CLIENT_SECRET: &str = "pp-demo-secret";
/// Demo client id of the YCM API.
pub const DEMO_YCM_CLIENT_ID: &str = "ycm-demo-client";
/// Demo client secret of the YCM API.
pub const DEMO_YCM_CLIENT_SECRET: &str = "ycm-demo-secret";
/// Demo client id of the Workplace API.
pub const DEMO_WP_CLIENT_ID: &str = "wp-demo-client";
/// Demo client secret of the Workplace API.
pub const DEMO_WP_CLIENT_SECRET: &str = "wp-demo-secret";

/// One of the three simulated products.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Product {
    /// Yeastar Partner Portal (`/auth/openapi/…`, `/{module}/openapi/…`).
    PartnerPortal,
    /// Yeastar Central Management (`/dm/open_api/…`).
    Ycm,
    /// Yeastar Workplace (`/services/openapi/v1.0/…`).
    Workplace,
}

impl Product {
    /// The paths of the product's token endpoint(s).
    pub(crate) fn token_paths(self) -> &'static [&'static str] {
        match self {
            Product::PartnerPortal => &["/auth/openapi/v1/oauth/token"],
            Product::Ycm => &["/dm/open_api/oauth/token"],
            Product::Workplace => &[
                "/services/openapi/v1.0/authentication/get_token",
                "/services/openapi/v1.0/authentication/refresh_token",
            ],
        }
    }

    /// Which product serves `path`, if any.
    pub fn for_path(path: &str) -> Option<Product> {
        if path.starts_with("/dm/open_api/") {
            Some(Product::Ycm)
        } else if path.starts_with("/services/openapi/") {
            Some(Product::Workplace)
        } else if path.starts_with("/auth/openapi/") || path.split('/').nth(2) == Some("openapi") {
            Some(Product::PartnerPortal)
        } else {
            None
        }
    }
}
