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
