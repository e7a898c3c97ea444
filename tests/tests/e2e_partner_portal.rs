//! Partner Portal end to end: every SDK endpoint against the sandbox, through the facade.

mod common;

use common::{entries, pp, sandbox, unique};
use yeastar::Error;
use yeastar::partner_portal::countries::{CountrySort, ListCountries};
use yeastar::partner_portal::users::{CreateUser, EditUser, TaxType, UserType};
use yeastar::partner_portal::{ListBillingContacts, ListUsers};
use yeastar_sandbox::Method;

const CREATE: &str = "/user/openapi/user/v1/client/save_user";
const EDIT: &str = "/user/openapi/user/v1/client/edit_user";
const COUNTRY_PAGE: &str = "/user/openapi/area/v1/page";

#[tokio::test]
async fn get_user_returns_the_documented_example() {
    let sb = sandbox().await;
    let client = pp(&sb);
    let user = client.users().get("color123@yeastar.com").await.unwrap();
    assert_eq!(user.email.as_deref(), Some("color123@yeastar.com"));
    assert_eq!(user.partner_id.as_deref(), Some("3076915454489739264"));
    assert_eq!(user.company.as_deref(), Some("Company Example"));
    assert_eq!(user.country.as_deref(), Some("Chad"));
    assert_eq!(user.city.as_deref(), Some("Xiamen"));
    assert_eq!(user.first_name.as_deref(), Some("Example"));
    assert_eq!(user.last_name.as_deref(), Some("LALA"));
    assert_eq!(user.state_province.as_deref(), Some("Fujian"));
    assert_eq!(user.zip_code.as_deref(), Some("361000"));
    assert_eq!(user.tax_num.as_deref(), Some("VAT_number:"));
    // Written as Customer, read back as Enduser.
    assert_eq!(user.user_type, Some(UserType::Enduser));
    // The id is one path segment; the journal shows the encoded form.
    let gets = entries(&sb, &Method::GET, "/user/openapi/user/v1/subordinate_user/");
    assert_eq!(gets.len(), 1);
    assert_eq!(gets[0].status, Some(200));
    assert!(gets[0].header("user-agent").unwrap().contains("yeastar-e2e"));
}

#[tokio::test]
async fn get_unknown_user_is_an_api_error_404() {
    let sb = sandbox().await;
    let err = pp(&sb).users().get("nobody@example.com").await.unwrap_err();
    let api = err.api_error().unwrap_or_else(|| panic!("api error expected: {err:?}"));
    assert_eq!(api.status, 404);
    assert_eq!(api.code.as_deref(), Some("user_not_found"));
    assert!(api.request_id.is_some());
    // Not retried: a 404 is final.
    assert_eq!(
        entries(&sb, &Method::GET, "/user/openapi/user/v1/subordinate_user/").len(),
        1
    );
}

#[tokio::test]
async fn list_users_returns_the_seeded_customers() {
    let sb = sandbox().await;
    let users = pp(&sb).users().list(ListUsers::new()).try_collect().await.unwrap();
    let emails: Vec<_> = users.iter().filter_map(|u| u.email.as_deref()).collect();
    assert_eq!(emails, ["color123@yeastar.com", "yaya@yeastar.com"]);
    assert!(users.iter().all(|u| u.user_type == Some(UserType::Enduser)));
}

#[tokio::test]
async fn create_then_get_then_list_a_customer() {
    let sb = sandbox().await;
    let client = pp(&sb);
    let email = format!("{}@example.com", unique("pp-new-"));
    let created = client
        .users()
        .create(
            CreateUser::new(&email, "Example Ltd", "Germany")
                .first_name("Ada")
                .last_name("Lovelace")
                .phone_number("+49 30 1234")
                .state_province("Berlin")
                .city("Berlin")
                .street("Unter den Linden 1")
                .zip_code("10117")
                .tax_type(TaxType::VatNumber)
                .tax_num("DE123456789")
                .remark("e2e")
                .send_user_activation_email(false),
        )
        .await
        .unwrap();
    assert!(created.request_id.is_some(), "{created:?}");
    assert_eq!(created.id, None, "Partner Portal returns no id");

    let creates = entries(&sb, &Method::POST, CREATE);
    assert_eq!(creates.len(), 1);
    let body = creates[0].json().unwrap();
    assert_eq!(body["userType"], "Customer");
    assert_eq!(body["yeastarId"], email.as_str());
    assert_eq!(body["taxType"], "VAT_number");
    assert_eq!(body["sendUserActivationEmail"], false);

    let user = client.users().get(&email).await.unwrap();
    assert_eq!(user.company.as_deref(), Some("Example Ltd"));
    assert_eq!(user.country.as_deref(), Some("Germany"));
    assert_eq!(user.first_name.as_deref(), Some("Ada"));
    assert_eq!(user.last_name.as_deref(), Some("Lovelace"));
    assert_eq!(user.phone_number.as_deref(), Some("+49 30 1234"));
    assert_eq!(user.city.as_deref(), Some("Berlin"));
    assert_eq!(user.street.as_deref(), Some("Unter den Linden 1"));
    assert_eq!(user.zip_code.as_deref(), Some("10117"));
    assert_eq!(user.tax_num.as_deref(), Some("DE123456789"));
    assert_eq!(user.remark.as_deref(), Some("e2e"));
    assert_eq!(user.user_type, Some(UserType::Enduser));
    let partner_id = user.partner_id.clone().expect("a new partnerId");
    assert_ne!(partner_id, "3076915454489739264");

    let users = client.users().list(ListUsers::new()).try_collect().await.unwrap();
    assert_eq!(users.len(), 3);
    assert!(users.iter().any(|u| u.email.as_deref() == Some(email.as_str())));
}

#[tokio::test]
async fn create_errors_are_reported_and_never_retried() {
    let sb = sandbox().await;
    let client = pp(&sb);

    // Duplicate Yeastar ID: the API refuses it, the SDK sends it once.
    let err = client
        .users()
        .create(CreateUser::new("yaya@yeastar.com", "Dup", "China").first_name("Yaya"))
        .await
        .unwrap_err();
    let api = err.api_error().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!((api.status, api.code.as_deref()), (400, Some("user_already_exists")));

    // Unknown country: server-side validation with the failing field in the details.
    let err = client
        .users()
        .create(CreateUser::new("new@example.com", "Co", "Atlantis").first_name("A"))
        .await
        .unwrap_err();
    let api = err.api_error().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!(api.status, 400);
    assert_eq!(api.code.as_deref(), Some("parameter_validation_failed"));
    assert_eq!(api.details.as_ref().unwrap()["field"], "country");
    assert_eq!(entries(&sb, &Method::POST, CREATE).len(), 2);

    // Caller mistakes never leave the process.
    let err = client
        .users()
        .create(CreateUser::new("not-an-email", "Co", "Chad").first_name("A"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput { ref field, .. } if field == "yeastarId"),
        "{err:?}"
    );
    let err = client
        .users()
        .create(CreateUser::new("nameless@example.com", "Co", "Chad"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput { ref field, .. } if field == "firstName"),
        "{err:?}"
    );
    assert_eq!(entries(&sb, &Method::POST, CREATE).len(), 2);
    assert_eq!(
        client.users().list(ListUsers::new()).try_collect().await.unwrap().len(),
        2
    );
}

#[tokio::test]
async fn edit_changes_only_the_fields_sent() {
    let sb = sandbox().await;
    let client = pp(&sb);
    let before = client.users().get("color123@yeastar.com").await.unwrap();
    let ok = client
        .users()
        .edit(
            EditUser::new("color123@yeastar.com")
                .company("Company Renamed")
                .city("Fuzhou")
                .tax_type(TaxType::TaxId)
                .tax_num("TAX-1"),
        )
        .await
        .unwrap();
    assert!(ok.request_id.is_some(), "{ok:?}");
    let edits = entries(&sb, &Method::POST, EDIT);
    assert_eq!(edits.len(), 1);
    let body = edits[0].json().unwrap();
    assert_eq!(body["userType"], "Customer");
    // Only the fields set are sent: nothing else, and never null.
    let mut keys: Vec<_> = body.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(keys, ["city", "company", "taxNum", "taxType", "userType", "yeastarId"]);

    let after = client.users().get("color123@yeastar.com").await.unwrap();
    assert_eq!(after.company.as_deref(), Some("Company Renamed"));
    assert_eq!(after.city.as_deref(), Some("Fuzhou"));
    assert_eq!(after.tax_num.as_deref(), Some("TAX-1"));
    // Everything else is unchanged.
    let mut expected = before.clone();
    expected.company = after.company.clone();
    expected.city = after.city.clone();
    expected.tax_num = after.tax_num.clone();
    assert_eq!(after, expected);
}

#[tokio::test]
async fn edit_of_an_unknown_user_is_a_404() {
    let sb = sandbox().await;
    let err = pp(&sb)
        .users()
        .edit(EditUser::new("ghost@example.com").city("Nowhere"))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404), "{err:?}");
    assert_eq!(entries(&sb, &Method::POST, EDIT).len(), 1);
}

#[tokio::test]
async fn billing_contacts_are_listed() {
    let sb = sandbox().await;
    let contacts = pp(&sb)
        .billing_contacts()
        .list(ListBillingContacts::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(contacts.len(), 1);
    let c = &contacts[0];
    assert_eq!(c.billing_contact_id.as_deref(), Some("3081512345678901248"));
    assert_eq!(c.email_address.as_deref(), Some("billing@partner-example.com"));
    assert_eq!(c.company.as_deref(), Some("Partner Example Ltd."));
    assert_eq!(c.first_name.as_deref(), Some("Bill"));
    assert_eq!(c.tax_num.as_deref(), Some("91350200MA00000000"));
}

#[tokio::test]
async fn one_page_of_countries_carries_the_totals() {
    let sb = sandbox().await;
    let page = pp(&sb)
        .send(&ListCountries::new().page_no(2).page_size(10))
        .await
        .unwrap();
    assert_eq!(page.total, Some(46));
    assert_eq!(page.total_page, Some(5));
    assert_eq!(page.page_no, Some(2));
    assert_eq!(page.page_size, Some(10));
    assert_eq!(page.results.len(), 10);
    assert_eq!(page.results[0].id, Some(11));
    let query = entries(&sb, &Method::GET, COUNTRY_PAGE)[0].query.clone().unwrap();
    assert!(query.contains("pageNo=2") && query.contains("pageSize=10"), "{query}");
}

#[tokio::test]
async fn country_paging_reads_every_page_lazily() {
    let sb = sandbox().await;
    let client = pp(&sb);
    let mut items = client.countries().list(ListCountries::new().page_size(10)).items();
    // Nothing is requested before the stream is polled.
    assert_eq!(entries(&sb, &Method::GET, COUNTRY_PAGE).len(), 0);
    let first = items.next().await.unwrap().unwrap();
    assert_eq!(first.name.as_deref(), Some("Argentina"));
    assert_eq!(entries(&sb, &Method::GET, COUNTRY_PAGE).len(), 1);
    let mut all = vec![first];
    while let Some(c) = items.next().await {
        all.push(c.unwrap());
    }
    assert_eq!(all.len(), 46);
    let ids: Vec<i64> = all.iter().map(|c| c.id.unwrap()).collect();
    assert_eq!(ids, (1..=46).collect::<Vec<_>>());
    // 46 countries in pages of 10: exactly 5 requests, no extra empty page.
    assert_eq!(entries(&sb, &Method::GET, COUNTRY_PAGE).len(), 5);
    assert!(
        all.iter()
            .any(|c| c.name.as_deref() == Some("Chad") && c.code.as_deref() == Some("TD"))
    );
}

#[tokio::test]
async fn country_filter_and_sort_are_applied_across_pages() {
    let sb = sandbox().await;
    let client = pp(&sb);
    let names: Vec<String> = client
        .countries()
        .list(ListCountries::new().name("ch").sort(CountrySort::NameDesc).page_size(2))
        .try_collect()
        .await
        .unwrap()
        .into_iter()
        .filter_map(|c| c.name)
        .collect();
    assert!(names.len() >= 3, "{names:?}");
    assert!(names.iter().all(|n| n.to_lowercase().contains("ch")), "{names:?}");
    let mut sorted = names.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(names, sorted);
    assert!(names.contains(&"Chad".to_owned()) && names.contains(&"China".to_owned()));

    let err = client
        .countries()
        .list(ListCountries::new().page_no(0))
        .try_collect()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
}
