//! A typed client for the [Yeastar Partner Portal OpenAPI](https://help.yeastar.com/en/pp-ptr/developer-guide/):
//! access tokens and the subordinate-user (customer) API, billing contacts and the country list.
//!
//! Built on [`yeastar_transport`], which does the HTTP, token caching and refreshing, retries,
//! timeouts and tracing. This crate describes the Partner Portal: its [envelope], its
//! [token endpoint](auth) and its endpoints as typed values.
//!
//! ```no_run
//! use yeastar_partner_portal::users::{CreateUser, EditUser};
//! use yeastar_partner_portal::{Client, Credentials};
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
//! // Create one (never retried), then edit it (retried on transient failures).
//! client
//!     .users()
//!     .create(CreateUser::new("new.customer@example.com", "Example Ltd", "Chad").first_name("Ada"))
//!     .await?;
//! client.users().edit(EditUser::new("new.customer@example.com").tax_num("1234")).await?;
//!
//! // Every country, page by page, lazily.
//! use yeastar_partner_portal::countries::ListCountries;
//! let countries = client.countries().list(ListCountries::new()).try_collect().await?;
//! println!("{} countries", countries.len());
//! # Ok(()) }
//! ```
//!
//! # Errors
//!
//! Every call returns [`Result`]. An answer whose `code` is not `success` is
//! [`Error::Api`] with the `code` verbatim, `detailMessage`, `requestId`, the HTTP status and the
//! `result` details (see [`PpEnvelope`]). Caller mistakes caught before sending (a Yeastar ID that
//! is not an email, a create without a name, a blank required field) are
//! [`Error::InvalidInput`], and nothing is sent.
//!
//! # Retries
//!
//! Reads and [`EditUser`](users::EditUser) (which only sets fields) are retried on transient
//! failures; [`CreateUser`](users::CreateUser) is never sent twice.

pub mod auth;
pub mod billing;
mod client;
pub mod countries;
mod de;
pub mod envelope;
pub mod users;

use std::sync::Arc;

pub use crate::auth::PpTokenSource;
pub use crate::client::{Client, ClientBuilder};
pub use crate::envelope::PpEnvelope;
pub use yeastar_transport::{
    ApiError, AuthError, AuthErrorKind, Credentials, Endpoint, Error, Items, Page, Pages, Result, RetryPolicy, Secret,
    Timeouts,
};

/// The Partner Portal product, for [`yeastar_transport::ClientBuilder`].
#[derive(Debug, Clone, Copy, Default)]
pub struct PartnerPortal;

impl yeastar_transport::ProductSpec for PartnerPortal {
    const PRODUCT: yeastar_transport::Product = yeastar_transport::Product::PartnerPortal;
    const DEFAULT_BASE_URL: &'static str = "https://openapi.partner.yeastar.com";
    type Client = Client;

    fn token_source() -> Arc<dyn yeastar_transport::TokenSource> {
        Arc::new(PpTokenSource)
    }
}

#[cfg(test)]
mod tests {
    use super::countries::CountrySort;
    use super::users::{TaxType, UserType};

    #[test]
    fn enums_round_trip_through_serde() {
        for (t, s) in [
            (TaxType::VatNumber, "VAT_number"),
            (TaxType::TaxId, "Tax_ID"),
            (TaxType::TinNumber, "TIN_number"),
            (TaxType::Ruc, "RUC"),
            (TaxType::Cuit, "CUIT"),
            (TaxType::Unknown("GST".into()), "GST"),
        ] {
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{s}\""));
            assert_eq!(serde_json::from_str::<TaxType>(&json).unwrap(), t);
            assert_eq!(t.as_str(), s);
            assert_eq!(s.parse::<TaxType>().unwrap(), t);
        }
        for (t, s) in [
            (UserType::Enduser, "Enduser"),
            (UserType::Customer, "Customer"),
            (UserType::Unknown("Reseller".into()), "Reseller"),
        ] {
            assert_eq!(serde_json::to_value(&t).unwrap(), serde_json::json!(s));
            assert_eq!(serde_json::from_value::<UserType>(serde_json::json!(s)).unwrap(), t);
            assert_eq!(t.to_string(), s);
        }
        assert_eq!(CountrySort::NameDesc.as_str(), "-name");
        assert_eq!(CountrySort::from("id"), CountrySort::Unknown("id".into()));
    }
}
