//! Rust SDK for Yeastar's cloud OpenAPIs.
//!
//! Each product lives behind a feature (all on by default):
//!
//! | feature | module | API |
//! |---|---|---|
//! | `partner-portal` | [`partner_portal`] | Yeastar Partner Portal: a partner's subordinate users (customers) |
//! | `ycm` | [`ycm`] | Yeastar Central Management: users, resellers, cloud PBXs |
//! | `workplace` | [`workplace`] | Yeastar Workplace: users, groups, event subscription and webhooks |
//! | `bulk` | [`bulk`] | bulk import and export of users, for the products enabled alongside |
//!
//! Turning a feature off removes that product crate from the build entirely. The types every
//! product shares (errors, credentials, retry and timeout settings) are re-exported at the root.

pub use yeastar_transport::common::*;
pub use yeastar_transport::{
    DecodeError, Product, TimeoutKind, TransportError, TransportErrorKind, UnexpectedResponse,
};

/// The transport crate itself, for custom HTTP implementations, token stores and endpoints.
pub use yeastar_transport as transport;

/// Yeastar Partner Portal OpenAPI.
#[cfg(feature = "partner-portal")]
pub use yeastar_partner_portal as partner_portal;

/// Yeastar Central Management (YCM) OpenAPI.
#[cfg(feature = "ycm")]
pub use yeastar_ycm as ycm;

/// Yeastar Workplace OpenAPI.
#[cfg(feature = "workplace")]
pub use yeastar_workplace as workplace;

/// Bulk import and export of users: validated, planned, paced to the rate limit, exactly
/// once, resumable (one adapter per product enabled alongside).
#[cfg(feature = "bulk")]
pub use yeastar_bulk as bulk;

/// The README's examples, compiled as doctests.
#[cfg(all(
    doctest,
    feature = "partner-portal",
    feature = "ycm",
    feature = "workplace",
    feature = "bulk"
))]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
