//! Which Yeastar cloud a client talks to, and what a product crate tells the transport about it.

use std::fmt;
use std::sync::Arc;

use crate::auth::TokenSource;
use crate::client::Client;

/// One of the Yeastar cloud OpenAPIs.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Product {
    /// Yeastar Partner Portal (`openapi.partner.yeastar.com`).
    PartnerPortal,
    /// Yeastar Central Management (`ycm.yeastar.com`).
    Ycm,
    /// Yeastar Workplace (`workplace.yeastar.com`, `eu.workplace.yeastar.com`).
    Workplace,
}

impl Product {
    /// A short, stable, lower-case name (`partner-portal`, `ycm`, `workplace`), used in tracing.
    pub fn as_str(self) -> &'static str {
        match self {
            Product::PartnerPortal => "partner-portal",
            Product::Ycm => "ycm",
            Product::Workplace => "workplace",
        }
    }
}

impl fmt::Display for Product {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Product::PartnerPortal => "Partner Portal",
            Product::Ycm => "YCM",
            Product::Workplace => "Workplace",
        })
    }
}

/// What a product crate tells the transport about its API: its name, default host, token
/// endpoint and the client type that [`ClientBuilder::build`](crate::ClientBuilder::build) returns.
pub trait ProductSpec: Send + Sync + 'static {
    /// The product.
    const PRODUCT: Product;
    /// The production base URL used when the caller sets none.
    const DEFAULT_BASE_URL: &'static str;
    /// The product's client, a thin typed wrapper around the transport [`Client`].
    type Client: From<Client>;
    /// The product's token endpoint.
    fn token_source() -> Arc<dyn TokenSource>;
}
