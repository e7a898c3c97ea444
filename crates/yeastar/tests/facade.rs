//! The facade exposes each product only behind its feature, and the shared types always.

use yeastar::{Credentials, Error, RetryPolicy, Secret};

#[test]
fn shared_types_are_the_transports() {
    // The same type, not a look-alike: errors from any product are `yeastar::Error`.
    let e: yeastar::transport::Error = Error::invalid_input("yeastarId", "not an email");
    assert_eq!(e.to_string(), "invalid input: yeastarId: not an email");
    assert!(!format!("{:?}", Credentials::client("id", "top-secret")).contains("top-secret"));
    assert_eq!(format!("{}", Secret::new("tok")), "[redacted]");
    assert_eq!(RetryPolicy::default().max_attempts, 3);
}

#[cfg(feature = "partner-portal")]
#[test]
fn partner_portal_client_targets_the_documented_host() {
    let c = yeastar::partner_portal::Client::builder()
        .credentials(Credentials::client("id", "secret"))
        .build()
        .unwrap();
    assert_eq!(c.transport().config().base_url, "https://openapi.partner.yeastar.com");
    assert_eq!(c.transport().product(), yeastar::Product::PartnerPortal);
}

#[cfg(feature = "ycm")]
#[test]
fn ycm_client_targets_the_documented_host() {
    let c = yeastar::ycm::Client::builder()
        .credentials(Credentials::client("id", "secret"))
        .build()
        .unwrap();
    assert_eq!(c.transport().config().base_url, "https://ycm.yeastar.com");
    assert_eq!(c.transport().product(), yeastar::Product::Ycm);
}

#[cfg(feature = "workplace")]
#[test]
fn workplace_clients_target_the_global_and_eu_hosts() {
    use yeastar::workplace::{Client, Region};
    let global = Client::builder()
        .credentials(Credentials::client("id", "secret"))
        .build()
        .unwrap();
    assert_eq!(global.transport().config().base_url, "https://workplace.yeastar.com");
    let eu = Client::builder_for_region(Region::Eu)
        .credentials(Credentials::client("id", "secret"))
        .build()
        .unwrap();
    assert_eq!(eu.transport().config().base_url, "https://eu.workplace.yeastar.com");
}

/// Each product re-exports the transport's common names, as the same types: a value from one
/// product's name is accepted under another product's name (checked by the compiler).
#[cfg(all(feature = "partner-portal", feature = "ycm", feature = "workplace"))]
#[test]
fn every_product_exposes_the_same_common_names() {
    use yeastar::{partner_portal as pp, workplace as wp, ycm};
    let written: ycm::WriteResult<u64> = wp::WriteResult::default();
    let _: pp::WriteResult<u64> = written;
    let options: pp::CallOptions = wp::CallOptions::new();
    let _: ycm::CallOptions = options;
    let policy: wp::RetryPolicy = pp::RetryPolicy::disabled().with_jitter(ycm::Jitter::fixed(1.0));
    assert_eq!(policy.max_attempts, 1);
    let e: pp::Error = wp::Error::invalid_input("x", "y");
    assert!(matches!(e, ycm::Error::InvalidInput { .. }));
    let kind: pp::ApiErrorKind = wp::ApiErrorKind::NotFound;
    assert_eq!(kind, ycm::ApiErrorKind::NotFound);
    // And the same constant names for the token endpoints.
    assert_eq!(pp::REFRESH_TOKEN_LIFETIME, ycm::REFRESH_TOKEN_LIFETIME);
    assert_ne!(wp::ACCESS_TOKEN_LIFETIME, pp::ACCESS_TOKEN_LIFETIME);
    assert!(
        [pp::TOKEN_PATH, ycm::TOKEN_PATH, wp::TOKEN_PATH]
            .iter()
            .all(|p| p.starts_with('/'))
    );
}

#[cfg(all(feature = "bulk", feature = "ycm"))]
#[test]
fn bulk_imports_reach_the_enabled_products() {
    use yeastar::bulk::{Format, Importer, ycm::YcmAdapter};
    let client = yeastar::ycm::Client::builder()
        .credentials(Credentials::client("id", "secret"))
        .build()
        .unwrap();
    let importer = Importer::new(YcmAdapter::new(client));
    let rows = importer
        .parse(b"email,userType,firstName\nada@example.com,Reseller,Ada\n", Format::Csv)
        .unwrap();
    assert_eq!(rows[0].key, "ada@example.com");
    assert_eq!(importer.schema().product, yeastar::Product::Ycm);
}
