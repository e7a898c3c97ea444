//! The country list (paged, lazy), the user list and the billing contact list.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{client, ok, token_mock};
use futures_util::StreamExt;
use httpmock::prelude::*;
use yeastar_partner_portal::countries::{Country, CountrySort, ListCountries};
use yeastar_partner_portal::users::UserType;
use yeastar_partner_portal::{Error, ListBillingContacts, ListUsers};

const COUNTRIES: &str = "/user/openapi/area/v1/page";
const NAMES: [&str; 7] = [
    "Chad",
    "Chile",
    "China",
    "Christmas Island",
    "Colombia",
    "Comoros",
    "Congo",
];

/// A country server: `NAMES` in pages of `pageSize`, with the documented page shape.
async fn country_server(server: &MockServer, calls: Arc<AtomicUsize>) {
    server
        .mock_async(move |when, then| {
            when.method(GET)
                .path(COUNTRIES)
                .query_param("sort", "name")
                .query_param("name", "C")
                .query_param_exists("pageNo")
                .query_param_exists("pageSize");
            then.respond_with(move |req| {
                calls.fetch_add(1, Ordering::SeqCst);
                let q = req.query_params_map();
                let page_no: usize = q["pageNo"].parse().unwrap();
                let size: usize = q["pageSize"].parse().unwrap();
                let results: Vec<_> = NAMES
                    .iter()
                    .enumerate()
                    .skip((page_no - 1) * size)
                    .take(size)
                    .map(|(i, n)| serde_json::json!({"code": &n[..2].to_uppercase(), "id": i + 1, "name": n}))
                    .collect();
                let total = NAMES.len();
                httpmock::HttpMockResponse::builder()
                    .status(200)
                    .body(ok(serde_json::json!({
                        "count": total,
                        "pageNo": page_no,
                        "pageSize": size,
                        "results": results,
                        "total": total,
                        "totalPage": total.div_ceil(size)
                    })))
                    .build()
            });
        })
        .await;
}

/// Several pages are read lazily, in order, and the stream stops at the last page.
#[tokio::test]
async fn country_list_pages_lazily_and_stops_at_the_last_page() {
    let server = MockServer::start_async().await;
    token_mock(&server, "tok-1", "rt-1").await;
    let calls = Arc::new(AtomicUsize::new(0));
    country_server(&server, calls.clone()).await;
    let client = client(&server);
    let query = ListCountries::new().sort(CountrySort::Name).name("C").page_size(3);

    let mut items = client.countries().list(query.clone()).items();
    let first = items.next().await.unwrap().unwrap();
    assert_eq!(first.name.as_deref(), Some("Chad"));
    assert_eq!(first.id, Some(1));
    assert_eq!(first.code.as_deref(), Some("CH"));
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "only the first page is read until needed"
    );
    let rest: Vec<Country> = items.map(|c| c.unwrap()).collect().await;
    let names: Vec<_> = rest.iter().filter_map(|c| c.name.as_deref()).collect();
    assert_eq!(names, &NAMES[1..]);
    assert_eq!(
        calls.load(Ordering::SeqCst),
        3,
        "7 countries in pages of 3: exactly 3 requests"
    );

    // The stream of pages.
    calls.store(0, Ordering::SeqCst);
    let mut pages = client.countries().list(query.clone());
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        sizes.push((page.page_no, page.items.len(), page.total_pages));
    }
    assert_eq!(
        sizes,
        [(Some(1), 3, Some(3)), (Some(2), 3, Some(3)), (Some(3), 1, Some(3))]
    );

    // One page, as returned.
    let page = client.send(&query.page_no(3)).await.unwrap();
    assert_eq!(
        (page.count, page.page_no, page.page_size, page.total, page.total_page),
        (Some(7), Some(3), Some(3), Some(7), Some(3))
    );
    assert_eq!(page.results.len(), 1);
}

/// A server that always says "more" is cut off with a paging error instead of looping forever.
#[tokio::test]
async fn a_country_server_that_never_stops_is_cut_off() {
    let server = MockServer::start_async().await;
    token_mock(&server, "tok-1", "rt-1").await;
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    server
        .mock_async(move |when, then| {
            when.method(GET).path(COUNTRIES);
            then.respond_with(move |_| {
                c.fetch_add(1, Ordering::SeqCst);
                // Ignores pageNo: always page 1, always full, always "more to come".
                httpmock::HttpMockResponse::builder()
                    .status(200)
                    .body(ok(serde_json::json!({
                        "pageNo": 1, "pageSize": 2,
                        "results": [{"id": 1, "name": "Chad"}, {"id": 2, "name": "Chile"}],
                        "totalPage": 1000
                    })))
                    .build()
            });
        })
        .await;
    let client = client(&server);
    let err = client
        .countries()
        .list(ListCountries::new().page_size(2))
        .try_collect()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Paging { .. }), "{err}");
    assert!(err.to_string().contains("asked for page 2"), "{err}");
    assert_eq!(calls.load(Ordering::SeqCst), 2);

    // Without any total or page number, full pages forever: the page cap applies.
    let server2 = MockServer::start_async().await;
    token_mock(&server2, "tok-1", "rt-1").await;
    let endless = server2
        .mock_async(|when, then| {
            when.method(GET).path(COUNTRIES);
            then.status(200).body(ok(
                serde_json::json!({"results": [{"name": "Chad"}, {"name": "Chile"}]}),
            ));
        })
        .await;
    let err = common::client(&server2)
        .countries()
        .list(ListCountries::new().page_size(2))
        .max_pages(5)
        .try_collect()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Paging { .. }), "{err}");
    endless.assert_calls_async(5).await;
}

/// Bad paging input is refused before sending.
#[tokio::test]
async fn bad_paging_input_sends_nothing() {
    let server = MockServer::start_async().await;
    let tokens = token_mock(&server, "tok-1", "rt-1").await;
    let any = server
        .mock_async(|when, then| {
            when.path(COUNTRIES);
            then.status(200).body(ok(serde_json::json!({"results": []})));
        })
        .await;
    let client = client(&server);
    let err = client.send(&ListCountries::new().page_size(0)).await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput { field, .. } if field == "pageSize"),
        "{err}"
    );
    let err = client.send(&ListCountries::new().page_no(0)).await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput { field, .. } if field == "pageNo"),
        "{err}"
    );
    // A listing names the product's own field, as a single page does.
    for (want, bad) in [
        ("pageNo", ListCountries::new().page_no(0)),
        ("pageSize", ListCountries::new().page_size(0)),
    ] {
        let mut stream = client.countries().list(bad).items();
        let err = stream.next().await.unwrap().unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput { field, .. } if field == want),
            "{err}"
        );
        assert!(stream.next().await.is_none(), "the stream ends after the error");
    }
    any.assert_calls_async(0).await;
    tokens.assert_calls_async(0).await;
}

/// The user list: an array of `User_Info`, with missing and empty fields tolerated.
#[tokio::test]
async fn user_list_decodes_partial_users() {
    let server = MockServer::start_async().await;
    token_mock(&server, "tok-1", "rt-1").await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/user/openapi/user/v1/client/partner_list")
                .header("authorization", "Bearer tok-1");
            then.status(200).body(ok(serde_json::json!([
                {"email": "color123@yeastar.com", "partnerId": "3076915454489739264", "userType": "Enduser", "unknownField": {"x": 1}},
                {"email": "", "partnerId": 3076915454489739265u64, "userType": "", "firstName": null},
                {},
                {"userType": "Reseller"}
            ])));
        })
        .await;
    let users = client(&server)
        .users()
        .list(ListUsers::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(users.len(), 4);
    assert_eq!(users[0].user_type, Some(UserType::Enduser));
    assert_eq!(users[0].partner_id.as_deref(), Some("3076915454489739264"));
    assert_eq!(
        users[1].partner_id.as_deref(),
        Some("3076915454489739265"),
        "a numeric id is read as text"
    );
    assert_eq!(users[1].email.as_deref(), Some(""));
    assert_eq!(users[1].user_type, None);
    assert_eq!(users[1].first_name, None);
    assert_eq!(users[2], Default::default());
    assert_eq!(users[3].user_type, Some(UserType::Unknown("Reseller".into())));
}

/// The billing contact list, in the array shape and in a wrapped shape; an empty result is no contacts.
#[tokio::test]
async fn billing_contacts_decode() {
    let server = MockServer::start_async().await;
    token_mock(&server, "tok-1", "rt-1").await;
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    server
        .mock_async(move |when, then| {
            when.method(GET)
                .path("/user/openapi/user/v1/client/billing_contact_list");
            then.respond_with(move |_| {
                let result = match c.fetch_add(1, Ordering::SeqCst) {
                    0 => serde_json::json!([{
                        "billingContactId": "3077000000000000001", "city": "Xiamen", "company": "Company Example",
                        "country": "Chad", "emailAddress": "billing@example.com", "firstName": "Bill",
                        "lastName": "Payer", "phoneNumber": "136", "remark": "", "stateProvince": "Fujian",
                        "street": "Siming", "taxNum": "1234", "zipCode": "361000"
                    }]),
                    1 => serde_json::json!({"results": [{"billingContactId": 42}], "total": 1}),
                    _ => serde_json::Value::Null,
                };
                httpmock::HttpMockResponse::builder()
                    .status(200)
                    .body(ok(result))
                    .build()
            });
        })
        .await;
    let client = client(&server);
    let contacts = || client.billing_contacts().list(ListBillingContacts::new()).try_collect();
    let contacts_1 = contacts().await.unwrap();
    assert_eq!(contacts_1.len(), 1);
    let b = &contacts_1[0];
    assert_eq!(b.billing_contact_id.as_deref(), Some("3077000000000000001"));
    assert_eq!(b.email_address.as_deref(), Some("billing@example.com"));
    assert_eq!(b.company.as_deref(), Some("Company Example"));
    assert_eq!(
        (b.first_name.as_deref(), b.last_name.as_deref()),
        (Some("Bill"), Some("Payer"))
    );
    assert_eq!(
        (b.country.as_deref(), b.state_province.as_deref(), b.city.as_deref()),
        (Some("Chad"), Some("Fujian"), Some("Xiamen"))
    );
    assert_eq!(
        (b.street.as_deref(), b.zip_code.as_deref()),
        (Some("Siming"), Some("361000"))
    );
    assert_eq!(
        (b.tax_num.as_deref(), b.remark.as_deref(), b.phone_number.as_deref()),
        (Some("1234"), Some(""), Some("136"))
    );

    let wrapped = contacts().await.unwrap();
    assert_eq!(wrapped[0].billing_contact_id.as_deref(), Some("42"));
    assert!(contacts().await.unwrap().is_empty());
}

/// A wrongly typed field is a decode error that names the item.
#[tokio::test]
async fn badly_typed_list_items_name_the_item() {
    let server = MockServer::start_async().await;
    token_mock(&server, "tok-1", "rt-1").await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/user/openapi/user/v1/client/partner_list");
            then.status(200).body(ok(
                serde_json::json!([{"email": "a@b.com"}, {"email": ["not", "text"]}]),
            ));
        })
        .await;
    let err = client(&server)
        .users()
        .list(ListUsers::new())
        .try_collect()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err}");
    assert!(err.to_string().contains("item [1]"), "{err}");
}

/// Issue 12 item 10: a list with no items is an empty list, never one blank item, whatever
/// empty shape the answer takes: `{"total":0,"list":null}`, `{}`, `"result":null`, no `result`
/// at all. Checked for the unpaged user and billing-contact lists and the paged country list
/// (one request each: the stream ends on the empty page).
#[tokio::test]
async fn empty_answers_are_empty_lists() {
    let bodies = [
        r#"{"code":"success","detailMessage":"","requestId":"r","result":{"total":0,"list":null},"status":200}"#,
        r#"{"code":"success","detailMessage":"","requestId":"r","result":{},"status":200}"#,
        r#"{"code":"success","detailMessage":"","requestId":"r","result":null,"status":200}"#,
        r#"{"code":"success","detailMessage":"","requestId":"r","status":200}"#,
    ];
    for body in bodies {
        let server = MockServer::start_async().await;
        token_mock(&server, "tok-1", "rt-1").await;
        let any = server
            .mock_async(|when, then| {
                when.method(GET).header("authorization", "Bearer tok-1");
                then.status(200).header("content-type", "application/json").body(body);
            })
            .await;
        let client = client(&server);
        let users = client.users().list(ListUsers::new()).try_collect().await;
        assert_eq!(users.unwrap(), [], "{body}");
        let contacts = client
            .billing_contacts()
            .list(ListBillingContacts::new())
            .try_collect()
            .await;
        assert_eq!(contacts.unwrap(), [], "{body}");
        let countries = client.countries().list(ListCountries::new()).try_collect().await;
        assert_eq!(countries.unwrap(), [], "{body}");
        // A single page, sent directly, is empty too.
        assert_eq!(client.send(&ListUsers::new()).await.unwrap(), [], "{body}");
        assert_eq!(client.send(&ListCountries::new()).await.unwrap().results, [], "{body}");
        any.assert_calls_async(5).await;
    }
}

/// The unpaged user list is read with one request, even when it holds exactly as many users
/// as a page of the country list would.
#[tokio::test]
async fn the_user_list_is_one_request() {
    let server = MockServer::start_async().await;
    token_mock(&server, "tok-1", "rt-1").await;
    let users: Vec<_> = (0..25)
        .map(|i| serde_json::json!({"email": format!("u{i}@x.com")}))
        .collect();
    let list = server
        .mock_async(|when, then| {
            when.method(GET).path("/user/openapi/user/v1/client/partner_list");
            then.status(200)
                .body(ok(serde_json::json!({"list": users, "total": 25})));
        })
        .await;
    let all = client(&server)
        .users()
        .list(ListUsers::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 25);
    assert_eq!(all[24].email.as_deref(), Some("u24@x.com"));
    list.assert_calls_async(1).await;
}
