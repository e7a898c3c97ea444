//! Workplace end to end: users and groups against the sandbox, through the facade, and the
//! proof that `modify` keeps data a bare update loses.

mod common;

use common::{WP, entries, sandbox, unique, wp};
use yeastar::Error;
use yeastar::workplace::{CreateGroup, CreateUser, InviteStatus, ListGroups, ListUsers, Role, UpdateGroup, UpdateUser};
use yeastar_sandbox::{Fault, FaultRule, Method};

const ALL_USERS: u64 = 1_000_127;
const SALES: u64 = 1_000_128;

#[tokio::test]
async fn get_member_54164() {
    let sb = sandbox().await;
    let leo = wp(&sb).users().get(54164).await.unwrap();
    assert_eq!(leo.member_id, Some(54164));
    assert_eq!(leo.user_id, Some(2_871_964_560_412_737_536));
    assert_eq!(leo.email.as_deref(), Some("leo@yeastar.com"));
    assert_eq!(leo.first_name.as_deref(), Some("Leo"));
    assert_eq!(leo.last_name.as_deref(), Some("Ball"));
    assert_eq!(leo.group_ids.as_deref(), Some(&[ALL_USERS][..]));
    assert_eq!(leo.role_name, Some(Role::Administrator));
    assert_eq!(leo.preferred_building_name.as_deref(), Some("Yeastar"));
    assert_eq!(leo.preferred_floor_name.as_deref(), Some("2F"));
    assert_eq!(leo.phone.as_deref(), Some("1325698753"));
    assert_eq!(leo.id_code.as_deref(), Some("XZXXtest6701"));
    assert_eq!(leo.invite_status, Some(InviteStatus::Added));
    assert_eq!(
        entries(&sb, &Method::GET, &format!("{WP}/user/user_detail/54164")).len(),
        1
    );
}

#[tokio::test]
async fn get_unknown_member_is_a_404() {
    let sb = sandbox().await;
    let err = wp(&sb).users().get(1).await.unwrap_err();
    let api = err.api_error().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!((api.status, api.code.as_deref()), (404, Some("USER_NOT_FOUND")));
}

#[tokio::test]
async fn list_users_pages_and_searches() {
    let sb = sandbox().await;
    let client = wp(&sb);
    let all = client
        .users()
        .list(ListUsers::new().page_size(1))
        .items()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<u64> = all.iter().filter_map(|u| u.member_id).collect();
    assert_eq!(ids, [54164, 54165]);
    assert!(entries(&sb, &Method::GET, &format!("{WP}/user/user_list")).len() >= 2);

    let amy = client
        .users()
        .list(ListUsers::new().query("amy"))
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(amy.len(), 1);
    assert_eq!(amy[0].last_name.as_deref(), Some("Chen"));
    assert_eq!(amy[0].invite_status, Some(InviteStatus::Invite));
    // Search by group name.
    let sales = client
        .users()
        .list(ListUsers::new().query("sales"))
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(sales.len(), 1);
    assert_eq!(sales[0].member_id, Some(54165));
}

#[tokio::test]
async fn create_get_and_delete_a_user() {
    let sb = sandbox().await;
    let client = wp(&sb);
    let email = format!("{}@example.com", unique("wp-"));
    let created = client
        .users()
        .create(
            CreateUser::new(&email, "Nia", [ALL_USERS, SALES], Role::User, "Yeastar")
                .last_name("Long")
                .preferred_floor_name("3F")
                .phone("555-0100")
                .id_code("NL-1"),
        )
        .await
        .unwrap();
    let ids = created.id.expect("the new ids");
    let id = ids.member_id;
    assert!(ids.user_id.is_some());
    assert!(created.request_id.is_some());
    assert_eq!(entries(&sb, &Method::POST, &format!("{WP}/user/user_create")).len(), 1);

    let user = client.users().get(id).await.unwrap();
    assert_eq!(user.email.as_deref(), Some(email.as_str()));
    assert_eq!(user.first_name.as_deref(), Some("Nia"));
    assert_eq!(user.last_name.as_deref(), Some("Long"));
    assert_eq!(user.group_ids.as_deref(), Some(&[ALL_USERS, SALES][..]));
    assert_eq!(user.role_name, Some(Role::User));
    assert_eq!(user.preferred_building_name.as_deref(), Some("Yeastar"));
    assert_eq!(user.preferred_floor_name.as_deref(), Some("3F"));
    assert_eq!(user.phone.as_deref(), Some("555-0100"));
    assert_eq!(user.id_code.as_deref(), Some("NL-1"));
    assert_eq!(user.invite_status, Some(InviteStatus::Outer));

    let removed = client.users().delete(id).await.unwrap();
    assert_eq!((removed.id, removed.already_absent), (Some(id), false));
    let err = client.users().get(id).await.unwrap_err();
    assert_eq!(err.status(), Some(404), "{err:?}");
    // A first attempt that finds nothing is an error (not "already absent").
    let err = client.users().delete(id).await.unwrap_err();
    assert_eq!(err.status(), Some(404), "{err:?}");
    assert_eq!(
        entries(&sb, &Method::DELETE, &format!("{WP}/user/user_remove/{id}")).len(),
        2
    );
}

#[tokio::test]
async fn create_is_validated_by_the_server_and_by_the_sdk() {
    let sb = sandbox().await;
    let client = wp(&sb);
    let create = |email: &str, building: &str| CreateUser::new(email, "X", [ALL_USERS], Role::User, building);

    let err = client
        .users()
        .create(create("leo@yeastar.com", "Yeastar"))
        .await
        .unwrap_err();
    assert_eq!(
        err.api_error().and_then(|a| a.code.as_deref()),
        Some("EMAIL_ALREADY_EXISTS")
    );
    let err = client
        .users()
        .create(create("x@example.com", "Nowhere"))
        .await
        .unwrap_err();
    assert_eq!(
        err.api_error().and_then(|a| a.code.as_deref()),
        Some("BUILDING_NOT_FOUND")
    );
    let err = client
        .users()
        .create(create("x@example.com", "Yeastar").preferred_floor_name("9F"))
        .await
        .unwrap_err();
    assert_eq!(err.api_error().and_then(|a| a.code.as_deref()), Some("FLOOR_NOT_FOUND"));
    let err = client
        .users()
        .create(CreateUser::new("x@example.com", "X", [ALL_USERS], "Janitor", "Yeastar"))
        .await
        .unwrap_err();
    assert_eq!(err.api_error().and_then(|a| a.code.as_deref()), Some("ROLE_NOT_FOUND"));
    assert_eq!(entries(&sb, &Method::POST, &format!("{WP}/user/user_create")).len(), 4);

    // Required fields are checked before sending.
    let err = client
        .users()
        .create(CreateUser::new("x@example.com", "X", [], Role::User, "Yeastar"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput { ref field, .. } if field == "groupIds"),
        "{err:?}"
    );
    assert_eq!(entries(&sb, &Method::POST, &format!("{WP}/user/user_create")).len(), 4);
    // A custom role that exists is accepted.
    client
        .users()
        .create(CreateUser::new(
            "desk@example.com",
            "Desk",
            [ALL_USERS],
            "Receptionist",
            "Annex",
        ))
        .await
        .unwrap();
}

#[tokio::test]
async fn modify_keeps_every_untouched_field() {
    let sb = sandbox().await;
    let client = wp(&sb);
    let before = client.users().get(54164).await.unwrap();
    client
        .users()
        .modify(54164, |u| u.email = "leo-new-email@yeastar.com".into())
        .await
        .unwrap();
    let after = client.users().get(54164).await.unwrap();
    let mut expected = before.clone();
    expected.email = Some("leo-new-email@yeastar.com".into());
    assert_eq!(after, expected);
    // Read, then one full write.
    let put = entries(&sb, &Method::PUT, &format!("{WP}/user/user_update"));
    assert_eq!(put.len(), 1);
    let body = put[0].json().unwrap();
    assert_eq!(body["memberId"], 54164);
    assert_eq!(body["lastName"], "Ball");
    assert_eq!(body["phone"], "1325698753");
    assert_eq!(body["preferredFloorName"], "2F");
    assert_eq!(body["idCode"], "XZXXtest6701");

    // A second modify that adds a group keeps the new email too.
    client.users().modify(54164, |u| u.group_ids.push(SALES)).await.unwrap();
    let again = client.users().get(54164).await.unwrap();
    expected.group_ids = Some(vec![ALL_USERS, SALES]);
    assert_eq!(again, expected);
}

#[tokio::test]
async fn a_bare_update_loses_the_optional_fields_it_omits() {
    let sb = sandbox().await;
    let client = wp(&sb);
    let before = client.users().get(54164).await.unwrap();
    assert!(before.last_name.is_some() && before.phone.is_some() && before.id_code.is_some());
    client
        .users()
        .update(UpdateUser::new(
            54164,
            "leo@yeastar.com",
            "Leo",
            [ALL_USERS],
            Role::Administrator,
            "Yeastar",
        ))
        .await
        .unwrap();
    let after = client.users().get(54164).await.unwrap();
    // The sandbox, like Workplace, reset what the update left out.
    assert_eq!(after.last_name, None);
    assert_eq!(after.phone, None);
    assert_eq!(after.preferred_floor_name, None);
    assert_eq!(after.id_code, None);
    // What was sent stayed.
    assert_eq!(after.email, before.email);
    assert_eq!(after.role_name, before.role_name);
    assert_eq!(after.member_id, before.member_id);
    assert_eq!(after.user_id, before.user_id);
}

#[tokio::test]
async fn modify_of_an_unknown_member_writes_nothing() {
    let sb = sandbox().await;
    let client = wp(&sb);
    let err = client
        .users()
        .modify(777, |u| u.phone = Some("1".into()))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404), "{err:?}");
    assert!(entries(&sb, &Method::PUT, &format!("{WP}/user/user_update")).is_empty());
    // Changing the member id inside modify is refused, nothing written.
    let err = client.users().modify(54164, |u| u.member_id = 54165).await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    assert!(entries(&sb, &Method::PUT, &format!("{WP}/user/user_update")).is_empty());
}

#[tokio::test]
async fn groups_list_get_create_update_delete() {
    let sb = sandbox().await;
    let client = wp(&sb);
    let groups = client
        .groups()
        .list(ListGroups::new())
        .items()
        .try_collect()
        .await
        .unwrap();
    let names: Vec<_> = groups.iter().filter_map(|g| g.group_name.as_deref()).collect();
    assert_eq!(names, ["Yeastar Demo Co.", "Sales"]);
    let sales = client.groups().get(SALES).await.unwrap();
    assert_eq!(sales.group_name.as_deref(), Some("Sales"));
    let filtered = client
        .groups()
        .list(ListGroups::new().group_name("sal"))
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(filtered.len(), 1);

    // Create with a member: the member's groups include it.
    let name = unique("Support-");
    let created = client
        .groups()
        .create(CreateGroup::new(&name).member_ids([54165]))
        .await
        .unwrap();
    let gid = created.id.expect("a group id");
    assert_eq!(
        client.groups().get(gid).await.unwrap().group_name.as_deref(),
        Some(name.as_str())
    );
    let amy = client.users().get(54165).await.unwrap();
    assert!(amy.group_ids.unwrap().contains(&gid));

    // Duplicate names are refused.
    let err = client.groups().create(CreateGroup::new("Sales")).await.unwrap_err();
    assert_eq!(
        err.api_error().and_then(|a| a.code.as_deref()),
        Some("GROUP_NAME_ALREADY_EXISTS")
    );

    let updated = client
        .groups()
        .update(UpdateGroup::new(gid, "Customer Care"))
        .await
        .unwrap();
    assert_eq!(updated.id, Some(gid));
    assert_eq!(
        client.groups().get(gid).await.unwrap().group_name.as_deref(),
        Some("Customer Care")
    );
    let put = &entries(&sb, &Method::PUT, &format!("{WP}/user/group_update"))[0];
    assert_eq!(
        put.json().unwrap(),
        serde_json::json!({"groupId": gid, "groupName": "Customer Care"})
    );

    // A group with members cannot be deleted; an empty one can.
    let err = client.groups().delete(gid).await.unwrap_err();
    assert_eq!(err.api_error().and_then(|a| a.code.as_deref()), Some("GROUP_NOT_EMPTY"));
    let empty = client
        .groups()
        .create(CreateGroup::new(unique("Empty-")))
        .await
        .unwrap();
    let eid = empty.id.unwrap();
    let deleted = client.groups().delete(eid).await.unwrap();
    assert_eq!(deleted.id, Some(eid));
    let err = client.groups().get(eid).await.unwrap_err();
    assert_eq!(err.api_error().and_then(|a| a.code.as_deref()), Some("GROUP_NOT_FOUND"));

    let groups = client
        .groups()
        .list(ListGroups::new().page_size(1))
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(groups.len(), 3);
}

/// Issue 12 item 7, end to end: the sandbox deletes the user, then drops the connection without
/// answering; the SDK retries the DELETE, the sandbox answers 404 USER_NOT_FOUND, and the call
/// succeeds with `already_absent`. The same for a group.
#[tokio::test]
async fn a_delete_whose_answer_was_lost_is_reported_already_absent() {
    let sb = sandbox().await;
    let client = wp(&sb);
    let email = format!("{}@example.com", unique("wp-lost-"));
    let id = client
        .users()
        .create(CreateUser::new(&email, "Lou", [ALL_USERS], Role::User, "Yeastar"))
        .await
        .unwrap()
        .id
        .unwrap()
        .member_id;
    let path = format!("{WP}/user/user_remove/{id}");
    sb.faults()
        .push(FaultRule::new(Method::DELETE, &path).sequence([Fault::DropAfterHandling]));
    let done = client.users().delete(id).await.unwrap();
    assert!(done.already_absent, "{done:?}");
    assert_eq!(done.id, Some(id));
    let attempts = entries(&sb, &Method::DELETE, &path);
    assert_eq!(attempts.len(), 2);
    assert_eq!(attempts[1].status, Some(404));
    assert_eq!(client.users().get(id).await.unwrap_err().status(), Some(404));

    let gid = client
        .groups()
        .create(CreateGroup::new(unique("Lost-")))
        .await
        .unwrap()
        .id
        .unwrap();
    let path = format!("{WP}/user/group_delete/{gid}");
    sb.faults()
        .push(FaultRule::new(Method::DELETE, &path).sequence([Fault::DropAfterHandling]));
    let done = client.groups().delete(gid).await.unwrap();
    assert!(done.already_absent, "{done:?}");
    assert_eq!(entries(&sb, &Method::DELETE, &path).len(), 2);
}
