//! The lookups for a create (regions, domains, firmware) and the DID / shared-trunk helpers,
//! with the doc examples.

mod common;

use common::*;
use httpmock::prelude::*;
use serde_json::json;
use yeastar_ycm::{Error, ListDomains, ListFirmware, ListUsableDids, TrunkType};

#[tokio::test]
async fn regions_doc_example() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let regions = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/dm/open_api/v1/cluster/regions")
                .header("authorization", bearer());
            then.status(200).json_body(json!({
                "data": [
                    {"regionId": 1, "region": "China(GuangDong)"},
                    {"regionId": 2, "region": "China(Shanghai)"},
                    {"regionId": 3, "region": "India(Mumbai)"},
                    {"regionId": 4, "region": "Asia Pacific(Singapore)"}
                ],
                "requestId": "cc4673ad-0cda-46d6-bba7-8984b15979a7", "status": "Success", "time": 1664274776
            }));
        })
        .await;
    let list = client(&server).regions().list().await.unwrap();
    let names: Vec<_> = list
        .iter()
        .map(|r| (r.region_id.unwrap(), r.region.as_deref().unwrap()))
        .collect();
    assert_eq!(
        names,
        [
            (1, "China(GuangDong)"),
            (2, "China(Shanghai)"),
            (3, "India(Mumbai)"),
            (4, "Asia Pacific(Singapore)")
        ]
    );
    regions.assert_calls_async(1).await;
}

#[tokio::test]
async fn domains_doc_example_sends_comma_separated_region_ids() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let domains = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/dm/open_api/v1/cluster/domains")
                .query_param("regionIds", "3,4");
            then.status(200).json_body(success(Some(json!([
                {"regionId": 3, "domainId": 1, "domain": "test.yeastarcloud.com"},
                {"regionId": 3, "domainId": 2, "domain": "test2.yeastarcloud.com"}
            ]))));
        })
        .await;
    let client = client(&server);
    let list = client.domains().list(ListDomains::new([3, 4])).await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(
        (list[1].region_id, list[1].domain_id, list[1].domain.as_deref()),
        (Some(3), Some(2), Some("test2.yeastarcloud.com"))
    );
    domains.assert_calls_async(1).await;
    // `regionIds` is required.
    let err = client.domains().list(ListDomains::new([])).await.unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput { ref field, .. } if field == "regionIds"),
        "{err}"
    );
    domains.assert_calls_async(1).await;
}

#[tokio::test]
async fn firmware_doc_example() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let firmware = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/dm/open_api/v1/firmware")
                .query_param("type", "pbx")
                .query_param("regionIds", "16");
            then.status(200).json_body(success(Some(json!([
                {"versionId": 764, "version": "84.8.0.25", "regionIds": [16, "17"]}
            ]))));
        })
        .await;
    let all = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/dm/open_api/v1/firmware")
                .query_param("type", "pbx")
                .query_param_missing("regionIds");
            then.status(200).json_body(success(Some(json!([]))));
        })
        .await;
    let client = client(&server);
    let list = client
        .firmware()
        .list(ListFirmware::new().region_ids([16]))
        .await
        .unwrap();
    assert_eq!(list[0].version_id, Some(764));
    assert_eq!(list[0].version.as_deref(), Some("84.8.0.25"));
    assert_eq!(list[0].region_ids, [16, 17]);
    assert!(client.firmware().list(ListFirmware::new()).await.unwrap().is_empty());
    firmware.assert_calls_async(1).await;
    all.assert_calls_async(1).await;
}

#[tokio::test]
async fn shared_trunks_doc_examples() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let acl = server
        .mock_async(|when, then| {
            when.method(GET).path("/dm/open_api/v1/shared_trunk/name/acl");
            then.status(200).body(
                r#"{ "data": [ { "id": 325, "name": "A1_07L3RG", "type": "register" }, { "id": 7863, "name": "register_2PNG39", "type": "register" }, { "id": 111269, "name": "register_1U4CZ4", "type": "did_based" }, { "id": 111270, "name": "register_2V03D2", "type": "register" }, { "id": 112129, "name": "register_5FOV41", "type": "register" } ], "requestId": "e1e7c70b1709dbaef13dfae2bf0a0cae", "status": "Success", "time": 1766552825 }"#,
            );
        })
        .await;
    let used = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/dm/open_api/v1/shared_trunk/pbx/used")
                .query_param("cloudPbxId", "4769");
            then.status(200)
                .json_body(success(Some(json!({"sharedTrunkIds": [6680]}))));
        })
        .await;
    let client = client(&server);
    let trunks = client.shared_trunks().list().await.unwrap();
    assert_eq!(trunks.len(), 5);
    assert_eq!(
        (trunks[2].id, trunks[2].name.as_deref(), trunks[2].trunk_type.clone()),
        (Some(111269), Some("register_1U4CZ4"), Some(TrunkType::DidBased))
    );
    assert_eq!(client.shared_trunks().assigned(4769).await.unwrap(), [6680]);
    acl.assert_calls_async(1).await;
    used.assert_calls_async(1).await;
}

#[tokio::test]
async fn usable_dids_doc_example_answers_an_array_though_typed_an_object() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let usable = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/dm/open_api/v1/did_management/usable")
                .query_param("trunkId", "112129")
                .query_param("cloudPbxId", "358868");
            then.status(200).json_body(success(Some(
                json!([{"id": 1186852, "did": "83"}, {"id": 1186853, "did": "84"}]),
            )));
        })
        .await;
    // As the doc types it: one object.
    let single = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/dm/open_api/v1/did_management/usable")
                .query_param("trunkId", "112129")
                .query_param("userId", "13331");
            then.status(200).json_body(success(Some(
                json!({"id": "1186854", "did": "+4410001100010", "didName": "London"}),
            )));
        })
        .await;
    let client = client(&server);
    let dids = client
        .dids()
        .usable(ListUsableDids::new(112129).cloud_pbx_id(358868))
        .await
        .unwrap();
    let got: Vec<_> = dids
        .iter()
        .map(|d| (d.id.unwrap(), d.did.as_deref().unwrap()))
        .collect();
    assert_eq!(got, [(1186852, "83"), (1186853, "84")]);
    let one = client
        .dids()
        .usable(ListUsableDids::new(112129).user_id(13331))
        .await
        .unwrap();
    assert_eq!(
        (one.len(), one[0].id, one[0].did_name.as_deref()),
        (1, Some(1186854), Some("London"))
    );
    // PBX and user together are refused before sending.
    let err = client
        .dids()
        .usable(ListUsableDids::new(1).cloud_pbx_id(2).user_id(3))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err}");
    usable.assert_calls_async(1).await;
    single.assert_calls_async(1).await;
}

#[tokio::test]
async fn assigned_dids_doc_example_keeps_the_list_as_sent() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let assigned = server
        .mock_async(|when, then| {
            when.method(GET).path("/dm/open_api/v1/did_management/4768/did");
            then.status(200)
                .json_body(success(Some(json!({"didIds": [2, 3, 2, 3, 11, 10, 9, 8, 3]}))));
        })
        .await;
    assert_eq!(
        client(&server).dids().assigned(4768).await.unwrap(),
        [2, 3, 2, 3, 11, 10, 9, 8, 3]
    );
    assigned.assert_calls_async(1).await;
}
