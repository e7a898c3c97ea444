//! YCM end to end: every SDK endpoint against the sandbox, through the facade.

mod common;

use common::{entries, sandbox, unique, ycm};
use serde_json::Value;
use yeastar::Error;
use yeastar::transport::{Endpoint, Meta, Request};
use yeastar::ycm::{
    CreateUser, DeleteUsers, HighAvailability, ListSubordinates, ListUsers, PbxCreationLimit, ResellerPackage, Sort,
    TwoFactorAuthentication, UpdateSubscription, UpdateUser, UserType, YcmEnvelope,
};
use yeastar_sandbox::Method;

const USERS: &str = "/dm/open_api/v1/users";
const LIST: &str = "/dm/open_api/v2/users";
const SUBORDINATES: &str = "/dm/open_api/v1/user_info/subordinates";

/// `GET /dm/open_api/v1/users/{id}` decoded as raw JSON, to see fields the SDK's `User` does
/// not model (the sandbox shows `pbxCreationLimit` for resellers).
struct RawUser(u64);

impl Endpoint for RawUser {
    type Envelope = YcmEnvelope;
    type Data = Value;
    type Output = Value;

    fn request(&self) -> yeastar::Result<Request> {
        Ok(Request::get("/dm/open_api/v1/users/{userId}").path_param("userId", self.0))
    }

    fn output(data: Value, _: &Meta<'_>) -> yeastar::Result<Value> {
        Ok(data)
    }
}

fn package() -> ResellerPackage {
    ResellerPackage::new(100, 20, 10, 5)
        .high_availability(HighAvailability::Unsubscribed)
        .total_custom_domains(1)
}

#[tokio::test]
async fn get_user_13329() {
    let sb = sandbox().await;
    let user = ycm(&sb).users().get(13329).await.unwrap();
    assert_eq!(user.user_id, Some(13329));
    assert_eq!(user.user_type, Some(UserType::Reseller));
    assert_eq!(user.company.as_deref(), Some("Old Company Name"));
    assert_eq!(user.email.as_deref(), Some("rita.reseller@example.com"));
    assert_eq!(user.created_cloud_pbx, Some(2));
    assert_eq!(
        user.two_factor_authentication_enable,
        Some(TwoFactorAuthentication::Enable)
    );
    let gets = entries(&sb, &Method::GET, "/dm/open_api/v1/users/13329");
    assert_eq!(gets.len(), 1);
    assert!(gets[0].header("user-agent").unwrap().starts_with("yeastar-rust/"));
}

#[tokio::test]
async fn get_unknown_user_is_a_404_api_error() {
    let sb = sandbox().await;
    let err = ycm(&sb).users().get(99999).await.unwrap_err();
    let api = err.api_error().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!(api.status, 404);
    assert_eq!(api.code.as_deref(), Some("1000015"));
    assert!(api.request_id.is_some());
}

#[tokio::test]
async fn list_users_pages_lazily_in_order() {
    let sb = sandbox().await;
    let client = ycm(&sb);
    let users = client
        .users()
        .list(ListUsers::new().page_size(2))
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<u64> = users.iter().map(|u| u.user_id.unwrap()).collect();
    assert_eq!(ids, [13329, 13330, 13331, 13332, 13333]);
    // 5 users in pages of 2: pages 1, 2, 3.
    let pages = entries(&sb, &Method::GET, LIST);
    assert_eq!(pages.len(), 3);
    assert!(pages[2].query.as_deref().unwrap().contains("pageNumber=3"));

    let desc = client
        .users()
        .list(ListUsers::new().sort(Sort::descending("userId")))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(desc.first().and_then(|u| u.user_id), Some(13333));
    assert_eq!(desc.len(), 5);

    let all = client.users().list(ListUsers::new()).try_collect().await.unwrap();
    assert_eq!(all.len(), 5);
    assert_eq!(
        all.iter()
            .filter(|u| u.user_type == Some(UserType::MyColleague))
            .count(),
        2
    );
}

#[tokio::test]
async fn list_page_reports_the_totals() {
    let sb = sandbox().await;
    let page = ycm(&sb)
        .send(&ListUsers::new().page_size(2).page_number(3))
        .await
        .unwrap();
    assert_eq!(page.total, Some(5));
    assert_eq!(page.page_number, Some(3));
    assert_eq!(page.page_size, Some(2));
    assert_eq!(page.list.len(), 1);
    assert_eq!(page.list[0].user_id, Some(13333));
}

#[tokio::test]
async fn create_get_update_delete_a_reseller() {
    let sb = sandbox().await;
    let client = ycm(&sb);
    let email = format!("{}@reseller.example", unique("ycm-"));
    let created = client
        .users()
        .create(
            CreateUser::reseller("Acme Telecom", "Ada", &email, package())
                .last_name("Lovelace")
                .phone("0592-1")
                .mobile("138")
                .address("Xiamen")
                .remark("e2e"),
        )
        .await
        .unwrap();
    assert!(created.id.unwrap() >= 13400, "{created:?}");
    assert!(created.request_id.is_some());
    let posts = entries(&sb, &Method::POST, USERS);
    assert_eq!(posts.len(), 1);
    let body = posts[0].json().unwrap();
    assert_eq!(body["userType"], "Reseller");
    assert_eq!(body["minimumExtPerPBX"], 5);
    assert_eq!(body["highAvailability"], "unsubscribed");

    let id = created.id.unwrap();
    let user = client.users().get(id).await.unwrap();
    assert_eq!(user.email.as_deref(), Some(email.as_str()));
    assert_eq!(user.company.as_deref(), Some("Acme Telecom"));
    assert_eq!(user.first_name.as_deref(), Some("Ada"));
    assert_eq!(user.last_name.as_deref(), Some("Lovelace"));
    assert_eq!(user.user_type, Some(UserType::Reseller));
    assert_eq!(user.created_cloud_pbx, Some(0));

    // Update some fields; YCM keeps the ones left out.
    client
        .users()
        .update(UpdateUser::new(id).company("Acme Renamed").remark("updated"))
        .await
        .unwrap();
    let after = client.users().get(id).await.unwrap();
    assert_eq!(after.company.as_deref(), Some("Acme Renamed"));
    assert_eq!(after.remark.as_deref(), Some("updated"));
    let mut expected = user.clone();
    expected.company = after.company.clone();
    expected.remark = after.remark.clone();
    assert_eq!(after, expected);
    let put = &entries(&sb, &Method::PUT, USERS)[0];
    assert_eq!(put.path, format!("{USERS}/{id}"));
    assert_eq!(
        put.json().unwrap(),
        serde_json::json!({"company": "Acme Renamed", "remark": "updated"})
    );

    // The listing sees it.
    let all = client.users().list(ListUsers::new()).try_collect().await.unwrap();
    assert!(all.iter().any(|u| u.user_id == Some(id)));

    // Deleting with the wrong type is refused and deletes nothing.
    let err = client
        .users()
        .delete(DeleteUsers::new(UserType::MyColleague, [id]))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400), "{err:?}");
    client.users().get(id).await.unwrap();

    client
        .users()
        .delete(DeleteUsers::new(UserType::Reseller, [id]))
        .await
        .unwrap();
    let err = client.users().get(id).await.unwrap_err();
    assert_eq!(err.status(), Some(404), "{err:?}");
    let deletes = entries(&sb, &Method::DELETE, USERS);
    assert_eq!(deletes.len(), 2);
    assert_eq!(
        deletes[1].json().unwrap(),
        serde_json::json!({"userType": "Reseller", "userIds": [id]})
    );
}

#[tokio::test]
async fn delete_several_colleagues_at_once() {
    let sb = sandbox().await;
    let client = ycm(&sb);
    client
        .users()
        .delete(DeleteUsers::new(UserType::MyColleague, [13330, 13333]))
        .await
        .unwrap();
    let left: Vec<u64> = client
        .users()
        .list(ListUsers::new())
        .try_collect()
        .await
        .unwrap()
        .iter()
        .filter_map(|u| u.user_id)
        .collect();
    assert_eq!(left, [13329, 13331, 13332]);
    let err = client
        .users()
        .delete(DeleteUsers::new(UserType::Reseller, []))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    assert_eq!(entries(&sb, &Method::DELETE, USERS).len(), 1);
}

#[tokio::test]
async fn create_errors() {
    let sb = sandbox().await;
    let client = ycm(&sb);
    // Duplicate email: refused by YCM, sent once.
    let err = client
        .users()
        .create(CreateUser::reseller(
            "Dup",
            "Rita",
            "rita.reseller@example.com",
            package(),
        ))
        .await
        .unwrap_err();
    let api = err.api_error().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!((api.status, api.code.as_deref()), (400, Some("1000019")));
    // A reseller without a package never leaves the process.
    let err = client
        .users()
        .create(CreateUser::new(UserType::Reseller, "Ada", "ada@example.com").company("Acme"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    assert_eq!(entries(&sb, &Method::POST, USERS).len(), 1);
}

#[tokio::test]
async fn pbx_creation_limit_is_validated_and_stored() {
    let sb = sandbox().await;
    let client = ycm(&sb);
    let limit = |v: Value| v["pbxCreationLimit"].clone();
    assert_eq!(limit(client.send(&RawUser(13329)).await.unwrap()), "");

    // 13329 owns 2 Cloud PBXs: a limit of 1 is refused by the server.
    let err = client
        .users()
        .update(UpdateUser::new(13329).pbx_creation_limit_count(1))
        .await
        .unwrap_err();
    let api = err.api_error().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!(api.status, 400);
    assert!(
        api.message.as_deref().unwrap_or("").contains("pbxCreationLimit"),
        "{api:?}"
    );
    assert_eq!(limit(client.send(&RawUser(13329)).await.unwrap()), "");

    client
        .users()
        .update(UpdateUser::new(13329).pbx_creation_limit(PbxCreationLimit::new(5).unwrap()))
        .await
        .unwrap();
    assert_eq!(limit(client.send(&RawUser(13329)).await.unwrap()), 5);

    client
        .users()
        .update(UpdateUser::new(13329).pbx_creation_limit_count(2))
        .await
        .unwrap();
    assert_eq!(limit(client.send(&RawUser(13329)).await.unwrap()), 2);

    client
        .users()
        .update(UpdateUser::new(13329).unlimited_pbx_creation())
        .await
        .unwrap();
    assert_eq!(limit(client.send(&RawUser(13329)).await.unwrap()), "");
    let bodies: Vec<Value> = entries(&sb, &Method::PUT, USERS)
        .iter()
        .map(|e| e.json().unwrap())
        .collect();
    assert_eq!(
        bodies,
        [
            serde_json::json!({"pbxCreationLimit": 1}),
            serde_json::json!({"pbxCreationLimit": 5}),
            serde_json::json!({"pbxCreationLimit": 2}),
            serde_json::json!({"pbxCreationLimit": ""}),
        ]
    );

    // 0 is refused before sending.
    let err = client
        .users()
        .update(UpdateUser::new(13329).pbx_creation_limit_count(0))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput { ref field, .. } if field == "pbxCreationLimit"),
        "{err:?}"
    );
    assert_eq!(entries(&sb, &Method::PUT, USERS).len(), 4);
}

#[tokio::test]
async fn two_factor_authentication_can_be_disabled() {
    let sb = sandbox().await;
    let client = ycm(&sb);
    let before = client.users().get(13329).await.unwrap();
    assert_eq!(
        before.two_factor_authentication_enable,
        Some(TwoFactorAuthentication::Enable)
    );
    client
        .users()
        .update(UpdateUser::new(13329).disable_two_factor_authentication())
        .await
        .unwrap();
    let after = client.users().get(13329).await.unwrap();
    assert_eq!(
        after.two_factor_authentication_enable,
        Some(TwoFactorAuthentication::Disable)
    );
    assert_eq!(after.company, before.company);
    assert_eq!(
        entries(&sb, &Method::PUT, USERS)[0].json().unwrap(),
        serde_json::json!({"twoFactorAuthenticationEnable": "disable"})
    );
}

#[tokio::test]
async fn subscription_updates_persist_and_only_recordings_cannot_shrink() {
    let sb = sandbox().await;
    let client = ycm(&sb);
    client
        .users()
        .update_subscription(
            UpdateSubscription::new(13329, 120, 60, 600, 6).high_availability(HighAvailability::Subscribed),
        )
        .await
        .unwrap();
    let put = &entries(&sb, &Method::PUT, "/dm/open_api/v1/users/13329/subscription_info")[0];
    assert_eq!(
        put.json().unwrap(),
        serde_json::json!({"totalExtensions": 120, "totalConcurrentCalls": 60, "totalRecordings": 600,
            "minimumExtPerPbx": 6, "highAvailability": "subscribed"})
    );
    // Fewer extensions are allowed; fewer recording minutes are not (the docs forbid only that).
    client
        .users()
        .update_subscription(UpdateSubscription::new(13329, 110, 60, 600, 6))
        .await
        .unwrap();
    let err = client
        .users()
        .update_subscription(UpdateSubscription::new(13329, 110, 60, 500, 6))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400), "{err:?}");
    // A colleague has no subscription.
    let err = client
        .users()
        .update_subscription(UpdateSubscription::new(13330, 1, 1, 1, 1))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400), "{err:?}");
}

#[tokio::test]
async fn subordinates_are_the_resellers() {
    let sb = sandbox().await;
    let client = ycm(&sb);
    let subs = client
        .subordinates()
        .list(ListSubordinates::new().page_size(2))
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<u64> = subs.iter().filter_map(|s| s.user_id).collect();
    assert_eq!(ids, [13329, 13331, 13332]);
    assert_eq!(entries(&sb, &Method::GET, SUBORDINATES).len(), 2);
    assert_eq!(subs[0].user_email.as_deref(), Some("rita.reseller@example.com"));
    assert_eq!(subs[0].user_name.as_deref(), Some("Rita Reseller"));

    let vera = client
        .subordinates()
        .list(ListSubordinates::new().query("vera"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(vera.len(), 1);
    assert_eq!(vera[0].user_id, Some(13332));

    let page = client
        .send(&ListSubordinates::new().page_size(1).page_number(2))
        .await
        .unwrap();
    assert_eq!(page.total, Some(3));
    assert_eq!(page.list.len(), 1);
    assert_eq!(page.list[0].user_id, Some(13331));

    // A new reseller becomes a subordinate.
    let created = client
        .users()
        .create(CreateUser::reseller("New", "Nina", "nina@new.example", package()))
        .await
        .unwrap();
    let subs = client
        .subordinates()
        .list(ListSubordinates::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(subs.len(), 4);
    assert!(subs.iter().any(|s| s.user_id == created.id));
}
