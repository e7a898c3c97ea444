//! The exact requests on the wire (httpmock), outputs and exit codes; the token cache file;
//! secrets at RUST_LOG=trace.

mod common;

use common::{Run, TempDir, run_env};
use httpmock::Method::{DELETE, GET, POST, PUT};
use httpmock::{Mock, MockServer};
use serde_json::{Value, json};

const UA: &str = concat!("yeastar-rust/0.1.0 yeastar-cli/", env!("CARGO_PKG_VERSION"));
const ID: &str = "cli-test-client";
const SECRET: &str = "cli-test-SECRET-7f3a";
const ACCESS: &str = "AT-7c1e5d-access";
const REFRESH: &str = "RT-99b2c4-refresh";

const PP_TOKEN: &str = "/auth/openapi/v1/oauth/token";
const YCM_TOKEN: &str = "/dm/open_api/oauth/token";
const WP_TOKEN: &str = "/services/openapi/v1.0/authentication/get_token";
const WP: &str = "/services/openapi/v1.0/user";

/// Runs against `server` with client credentials and the cache in `cache`.
fn run_with(server: &MockServer, cache: &TempDir, args: &[&str], extra: &[(&str, &str)]) -> Run {
    let url = server.base_url();
    let mut env = vec![
        ("YEASTAR_BASE_URL", url.as_str()),
        ("YEASTAR_CLIENT_ID", ID),
        ("YEASTAR_CLIENT_SECRET", SECRET),
        ("XDG_CACHE_HOME", cache.str()),
    ];
    env.extend_from_slice(extra);
    run_env(args, &env)
}

fn run(server: &MockServer, args: &[&str]) -> Run {
    run_with(server, &TempDir::new("cache"), args, &[])
}

fn pp_ok(result: Value) -> Value {
    json!({"code": "success", "detailMessage": "", "requestId": "pp-req-1", "result": result, "status": 200})
}

fn ycm_ok(data: Option<Value>) -> Value {
    let mut v = json!({"requestId": "ycm-req-1", "status": "Success", "time": 1664437503});
    if let Some(d) = data {
        v["data"] = d;
    }
    v
}

fn wp_ok(data: Value) -> Value {
    json!({"data": data, "status": "Success", "requestId": "wp-req-1"})
}

fn pp_token(server: &MockServer) -> Mock<'_> {
    server.mock(|when, then| {
        when.method(POST)
            .path(PP_TOKEN)
            .header("user-agent", UA)
            .form_urlencoded_tuple("client_id", ID)
            .form_urlencoded_tuple("client_secret", SECRET)
            .form_urlencoded_tuple("grant_type", "pp_credentials");
        then.status(200).json_body(pp_ok(
            json!({"token": ACCESS, "refreshToken": REFRESH, "expiresIn": "1800", "tokenHead": "Bearer "}),
        ));
    })
}

fn ycm_token(server: &MockServer) -> Mock<'_> {
    server.mock(|when, then| {
        when.method(POST)
            .path(YCM_TOKEN)
            .header("user-agent", UA)
            .form_urlencoded_tuple("grant_type", "client_credentials")
            .form_urlencoded_tuple("client_id", ID)
            .form_urlencoded_tuple("client_secret", SECRET);
        then.status(200).json_body(
            json!({"access_token": ACCESS, "refresh_token": REFRESH, "token_type": "bearer", "expires_in": 1800}),
        );
    })
}

fn wp_token(server: &MockServer) -> Mock<'_> {
    server.mock(|when, then| {
        when.method(POST)
            .path(WP_TOKEN)
            .form_urlencoded_tuple("client_id", ID)
            .form_urlencoded_tuple("client_secret", SECRET);
        then.status(200)
            .json_body(json!({"access_token": ACCESS, "refresh_token": REFRESH, "expires_in": 86400}));
    })
}

const BEARER: &str = "Bearer AT-7c1e5d-access";

#[test]
fn partner_portal_wire() {
    let server = MockServer::start();
    let token = pp_token(&server);
    let user = json!({"partnerId": "3076915454489739264", "email": "color123@yeastar.com", "userType": "Enduser",
                      "company": "Company Example", "zipCode": "361000"});
    let get = server.mock(|when, then| {
        when.method(GET)
            .path("/user/openapi/user/v1/subordinate_user/color123@yeastar.com")
            .header("authorization", BEARER)
            .header("user-agent", UA);
        then.status(200).json_body(pp_ok(user.clone()));
    });
    assert_eq!(run(&server, &["pp", "user", "get", "color123@yeastar.com"]).ok(), user);
    get.assert_calls(1);

    let list = server.mock(|when, then| {
        when.method(GET)
            .path("/user/openapi/user/v1/client/partner_list")
            .header("authorization", BEARER);
        then.status(200)
            .json_body(pp_ok(json!([user.clone(), {"email": "yaya@yeastar.com"}])));
    });
    assert_eq!(
        run(&server, &["pp", "user", "list"]).ok(),
        json!([user.clone(), {"email": "yaya@yeastar.com"}])
    );
    list.assert_calls(1);

    let create = server.mock(|when, then| {
        when.method(POST)
            .path("/user/openapi/user/v1/client/save_user")
            .header("authorization", BEARER)
            .header("content-type", "application/json")
            .json_body(
                json!({"yeastarId": "new@example.com", "userType": "Customer", "company": "Example Ltd",
                              "country": "Chad", "lastName": "Lovelace", "phoneNumber": "123",
                              "sendUserActivationEmail": true}),
            );
        then.status(200).json_body(pp_ok(json!(true)));
    });
    let out = run(
        &server,
        &[
            "pp",
            "user",
            "create",
            "--yeastar-id",
            "new@example.com",
            "--company",
            "Example Ltd",
            "--country",
            "Chad",
            "--last-name",
            "Lovelace",
            "--phone-number",
            "123",
            "--send-activation-email",
            "true",
        ],
    )
    .ok();
    assert_eq!(out, json!({"result": true, "requestId": "pp-req-1"}));
    create.assert_calls(1);

    // Every edit field, with the documented spellings.
    let edit = server.mock(|when, then| {
        when.method(POST)
            .path("/user/openapi/user/v1/client/edit_user")
            .json_body(json!({
            "yeastarId": "yaya@yeastar.com", "userType": "Customer", "company": "C", "firstName": "F",
            "lastName": "L", "phoneNumber": "P", "stateProvince": "S", "city": "Ci", "street": "St",
            "zipCode": "Z", "taxType": "Tax_ID", "taxNum": "T", "remark": "R"}));
        then.status(200).json_body(pp_ok(json!(true)));
    });
    let out = run(
        &server,
        &[
            "pp",
            "user",
            "edit",
            "yaya@yeastar.com",
            "--company",
            "C",
            "--first-name",
            "F",
            "--last-name",
            "L",
            "--phone-number",
            "P",
            "--state-province",
            "S",
            "--city",
            "Ci",
            "--street",
            "St",
            "--zip-code",
            "Z",
            "--tax-type",
            "Tax_ID",
            "--tax-num",
            "T",
            "--remark",
            "R",
        ],
    )
    .ok();
    assert_eq!(out["result"], true);
    edit.assert_calls(1);

    // `result: false` is an API error (the change was not made): exit 1, the request id on
    // stderr, nothing on stdout.
    let refused = server.mock(|when, then| {
        when.method(POST)
            .path("/user/openapi/user/v1/client/edit_user")
            .json_body_includes(r#"{"remark":"no"}"#);
        then.status(200).json_body(pp_ok(json!(false)));
    });
    let r = run(&server, &["pp", "user", "edit", "yaya@yeastar.com", "--remark", "no"]);
    r.fails(1);
    assert!(
        r.stderr.contains("result: false") && r.stderr.contains("pp-req-1"),
        "{r:#?}"
    );
    refused.assert_calls(1);

    // The API's error: exit 1 with everything an admin needs on stderr.
    let err = server.mock(|when, then| {
        when.method(GET)
            .path("/user/openapi/user/v1/subordinate_user/ghost@example.com");
        then.status(400).json_body(
            json!({"code": "user_not_found", "detailMessage": "the user does not exist",
                                          "requestId": "7249dc0e1f", "status": 400}),
        );
    });
    let r = run(&server, &["pp", "user", "get", "ghost@example.com"]);
    r.fails(1);
    for part in [
        "Partner Portal",
        "HTTP 400",
        "user_not_found",
        "the user does not exist",
        "7249dc0e1f",
    ] {
        assert!(r.stderr.contains(part), "{part}: {r:#?}");
    }
    err.assert_calls(1);
    // One token per run (each run above had its own empty cache).
    token.assert_calls(6);
}

#[test]
fn ycm_wire() {
    let server = MockServer::start();
    ycm_token(&server);
    let get = server.mock(|when, then| {
        when.method(GET)
            .path("/dm/open_api/v1/users/13329")
            .header("authorization", BEARER)
            .header("user-agent", UA);
        then.status(200).json_body(ycm_ok(Some(
            json!({"userId": "13329", "company": "Acme", "createdCloudPbx": "2",
                                                       "userType": "Reseller", "somethingNew": 1}),
        )));
    });
    assert_eq!(
        run(&server, &["ycm", "user", "get", "13329"]).ok(),
        json!({"userId": 13329, "company": "Acme", "createdCloudPbx": 2, "userType": "Reseller"})
    );
    get.assert_calls(1);

    // Every page, one array.
    let page1 = server.mock(|when, then| {
        when.method(GET)
            .path("/dm/open_api/v2/users")
            .query_param("pageSize", "50")
            .query_param("pageNumber", "1");
        then.status(200).json_body(ycm_ok(Some(
            json!({"pageSize": 2, "pageNumber": 1, "total": 3, "list": [{"userId": 1}, {"userId": 2}]}),
        )));
    });
    let page2 = server.mock(|when, then| {
        when.method(GET)
            .path("/dm/open_api/v2/users")
            .query_param("pageSize", "50")
            .query_param("pageNumber", "2");
        then.status(200).json_body(ycm_ok(Some(
            json!({"pageSize": 2, "pageNumber": 2, "total": 3, "list": [{"userId": 3}]}),
        )));
    });
    assert_eq!(
        run(&server, &["ycm", "user", "list"]).ok(),
        json!([{"userId": 1}, {"userId": 2}, {"userId": 3}])
    );
    page1.assert_calls(1);
    page2.assert_calls(1);

    let create = server.mock(|when, then| {
        when.method(POST).path("/dm/open_api/v1/users").json_body(json!({
            "userType": "Reseller", "company": "Acme", "firstName": "Ada", "lastName": "L", "email": "a@acme.example",
            "phone": "1", "mobile": "2", "address": "3", "remark": "4", "totalExtensions": 100,
            "totalConcurrentCalls": 20, "totalRecordings": 10, "minimumExtPerPBX": 5, "totalUltimatePlan": 1,
            "highAvailability": "subscribed", "totalCustomDomains": 2, "totalTranscription": 3, "totalConnections": 4}));
        then.status(200).json_body(ycm_ok(Some(json!({"userId": 13400}))));
    });
    let out = run(
        &server,
        &[
            "ycm",
            "user",
            "create",
            // A reseller: the only user type with every package field (a BYOI hosting user
            // has no ultimate plan, transcription or remote connections).
            "--user-type",
            "Reseller",
            "--first-name",
            "Ada",
            "--email",
            "a@acme.example",
            "--company",
            "Acme",
            "--last-name",
            "L",
            "--phone",
            "1",
            "--mobile",
            "2",
            "--address",
            "3",
            "--remark",
            "4",
            "--total-extensions",
            "100",
            "--total-concurrent-calls",
            "20",
            "--total-recordings",
            "10",
            "--minimum-ext-per-pbx",
            "5",
            "--total-ultimate-plan",
            "1",
            "--high-availability",
            "subscribed",
            "--total-custom-domains",
            "2",
            "--total-transcription",
            "3",
            "--total-connections",
            "4",
        ],
    )
    .ok();
    assert_eq!(
        out,
        json!({"userId": 13400, "requestId": "ycm-req-1", "time": 1664437503})
    );
    create.assert_calls(1);

    let update = server.mock(|when, then| {
        when.method(PUT).path("/dm/open_api/v1/users/13329").json_body(json!({
            "company": "c", "firstName": "f", "lastName": "l", "email": "e@x.y", "phone": "p", "mobile": "m",
            "address": "a", "remark": "r", "twoFactorAuthenticationEnable": "disable", "pbxCreationLimit": 3}));
        then.status(200).json_body(ycm_ok(None));
    });
    let out = run(
        &server,
        &[
            "ycm",
            "user",
            "update",
            "13329",
            "--company",
            "c",
            "--first-name",
            "f",
            "--last-name",
            "l",
            "--email",
            "e@x.y",
            "--phone",
            "p",
            "--mobile",
            "m",
            "--address",
            "a",
            "--remark",
            "r",
            "--disable-two-factor-auth",
            "--pbx-creation-limit",
            "3",
        ],
    )
    .ok();
    assert_eq!(out, json!({"requestId": "ycm-req-1", "time": 1664437503}));
    update.assert_calls(1);

    let delete = server.mock(|when, then| {
        when.method(DELETE)
            .path("/dm/open_api/v1/users")
            .json_body(json!({"userType": "My Colleague", "userIds": [13330, 13333]}));
        then.status(200).json_body(ycm_ok(None));
    });
    let out = run(
        &server,
        &["ycm", "user", "delete", "--user-type", "my-colleague", "13330", "13333"],
    )
    .ok();
    assert_eq!(out, json!({"requestId": "ycm-req-1", "time": 1664437503}));
    delete.assert_calls(1);

    // YCM's "Failed" status on HTTP 200 is an API error.
    let failed = server.mock(|when, then| {
        when.method(GET).path("/dm/open_api/v1/users/404");
        then.status(200)
            .json_body(json!({"requestId": "r-failed", "status": "Failed", "errcode": 40004,
                                          "errmsg": "USER NOT EXIST"}));
    });
    let r = run(&server, &["ycm", "user", "get", "404"]);
    r.fails(1);
    assert!(
        r.stderr.contains("YCM") && r.stderr.contains("USER NOT EXIST") && r.stderr.contains("r-failed"),
        "{r:#?}"
    );
    failed.assert_calls(1);
}

#[test]
fn pbx_creation_limit_0_exits_2_and_sends_nothing() {
    let server = MockServer::start();
    let token = ycm_token(&server);
    let update = server.mock(|when, then| {
        when.method(PUT).path("/dm/open_api/v1/users/13329");
        then.status(200).json_body(ycm_ok(None));
    });
    let r = run(
        &server,
        &["ycm", "user", "update", "13329", "--pbx-creation-limit", "0"],
    );
    r.fails(2);
    assert!(r.stderr.contains("pbx-creation-limit"), "{r:#?}");
    update.assert_calls(0);
    token.assert_calls(0);

    // `unlimited` is sent as "".
    let unlimited = server.mock(|when, then| {
        when.method(PUT)
            .path("/dm/open_api/v1/users/13330")
            .json_body(json!({"pbxCreationLimit": ""}));
        then.status(200).json_body(ycm_ok(None));
    });
    run(
        &server,
        &["ycm", "user", "update", "13330", "--pbx-creation-limit", "unlimited"],
    )
    .ok();
    unlimited.assert_calls(1);
}

#[test]
fn workplace_wire() {
    let server = MockServer::start();
    wp_token(&server);
    let leo = json!({"userId": 3000001, "memberId": 54164, "inviteStatus": "added", "email": "leo@yeastar.com",
                     "firstName": "Leo", "lastName": "Ball", "groupIds": [1000127], "roleName": "Administrator",
                     "preferredBuildingName": "Yeastar", "preferredFloorName": "2F", "phone": "1325698753",
                     "idCode": "XZXXtest6701"});
    let detail = server.mock(|when, then| {
        when.method(GET)
            .path(format!("{WP}/user_detail/54164"))
            .header("authorization", BEARER);
        then.status(200).json_body(wp_ok(leo.clone()));
    });
    assert_eq!(run(&server, &["wp", "user", "get", "54164"]).ok(), leo);
    detail.assert_calls(1);

    let list = server.mock(|when, then| {
        when.method(GET)
            .path(format!("{WP}/user_list"))
            .query_param("pageNo", "1")
            .query_param("pageSize", "50")
            .query_param("query", "Leo Ball");
        then.status(200).json_body(wp_ok(
            json!({"pageNo": 1, "pageSize": 50, "total": 1, "list": [leo.clone()]}),
        ));
    });
    assert_eq!(
        run(&server, &["wp", "user", "list", "--query", "Leo Ball"]).ok(),
        json!([leo.clone()])
    );
    list.assert_calls(1);

    // Read-modify-write: the whole user is sent back with only the email changed.
    let update = server.mock(|when, then| {
        when.method(PUT).path(format!("{WP}/user_update")).json_body(json!({
            "memberId": 54164, "email": "leo-new-email@yeastar.com", "firstName": "Leo", "lastName": "Ball",
            "groupIds": [1000127], "roleName": "Administrator", "preferredBuildingName": "Yeastar",
            "preferredFloorName": "2F", "phone": "1325698753", "idCode": "XZXXtest6701"}));
        then.status(200).json_body(wp_ok(json!({"memberId": 54164})));
    });
    let out = run(
        &server,
        &["wp", "user", "update", "54164", "--email", "leo-new-email@yeastar.com"],
    )
    .ok();
    assert_eq!(out, json!({"memberId": 54164, "requestId": "wp-req-1"}));
    update.assert_calls(1);
    detail.assert_calls(2);

    let create = server.mock(|when, then| {
        when.method(POST).path(format!("{WP}/user_create")).json_body(json!({
            "email": "amy@example.com", "firstName": "Amy", "lastName": "Chen", "groupIds": [1, 2],
            "roleName": "Front Desk", "preferredBuildingName": "Annex", "preferredFloorName": "G", "phone": "9",
            "idCode": "ID9", "sendInviteEmail": true}));
        then.status(200)
            .json_body(wp_ok(json!({"userId": 3000009, "memberId": 54199})));
    });
    let out = run(
        &server,
        &[
            "wp",
            "user",
            "create",
            "--email",
            "amy@example.com",
            "--first-name",
            "Amy",
            "--last-name",
            "Chen",
            "--group-id",
            "1",
            "--group-id",
            "2",
            "--role-name",
            "Front Desk",
            "--preferred-building-name",
            "Annex",
            "--preferred-floor-name",
            "G",
            "--phone",
            "9",
            "--id-code",
            "ID9",
            "--send-invite-email",
            "true",
        ],
    )
    .ok();
    assert_eq!(
        out,
        json!({"userId": 3000009, "memberId": 54199, "requestId": "wp-req-1"})
    );
    create.assert_calls(1);

    let remove = server.mock(|when, then| {
        when.method(DELETE).path(format!("{WP}/user_remove/54199"));
        then.status(200).json_body(wp_ok(json!({"memberId": 54199})));
    });
    assert_eq!(
        run(&server, &["wp", "user", "delete", "54199"]).ok(),
        json!({"memberId": 54199, "requestId": "wp-req-1"})
    );
    remove.assert_calls(1);

    let groups = server.mock(|when, then| {
        when.method(GET)
            .path(format!("{WP}/group_list"))
            .query_param("pageNo", "1")
            .query_param("groupName", "Sales");
        then.status(200).json_body(wp_ok(
            json!({"pageNo": 1, "total": 1, "list": [{"groupId": 8, "groupName": "Sales"}]}),
        ));
    });
    assert_eq!(
        run(&server, &["wp", "group", "list", "--name", "Sales"]).ok(),
        json!([{"groupId": 8, "groupName": "Sales"}])
    );
    groups.assert_calls(1);
    let group_get = server.mock(|when, then| {
        when.method(GET).path(format!("{WP}/group_detail/8"));
        then.status(200)
            .json_body(wp_ok(json!({"groupId": "8", "groupName": "Sales"})));
    });
    assert_eq!(
        run(&server, &["wp", "group", "get", "8"]).ok(),
        json!({"groupId": 8, "groupName": "Sales"})
    );
    group_get.assert_calls(1);
    let group_create = server.mock(|when, then| {
        when.method(POST)
            .path(format!("{WP}/group_create"))
            .json_body(json!({"groupName": "Ops", "memberIds": [1, 2]}));
        then.status(200).json_body(wp_ok(json!({"groupId": 9})));
    });
    assert_eq!(
        run(
            &server,
            &[
                "wp",
                "group",
                "create",
                "--name",
                "Ops",
                "--member-id",
                "1",
                "--member-id",
                "2"
            ]
        )
        .ok(),
        json!({"groupId": 9, "requestId": "wp-req-1"})
    );
    group_create.assert_calls(1);
    let group_update = server.mock(|when, then| {
        when.method(PUT)
            .path(format!("{WP}/group_update"))
            .json_body(json!({"groupId": 9, "groupName": "Ops 2"}));
        then.status(200).json_body(wp_ok(json!({"groupId": 9})));
    });
    assert_eq!(
        run(&server, &["wp", "group", "update", "9", "--name", "Ops 2"]).ok()["groupId"],
        9
    );
    group_update.assert_calls(1);
    let group_delete = server.mock(|when, then| {
        when.method(DELETE).path(format!("{WP}/group_delete/9"));
        then.status(200).json_body(wp_ok(json!({"groupId": 9})));
    });
    assert_eq!(run(&server, &["wp", "group", "delete", "9"]).ok()["groupId"], 9);
    group_delete.assert_calls(1);
}

#[test]
fn access_token_is_used_as_is_and_no_token_is_requested() {
    let server = MockServer::start();
    let token = ycm_token(&server);
    let get = server.mock(|when, then| {
        when.method(GET)
            .path("/dm/open_api/v1/users/1")
            .header("authorization", "Bearer given-token-42");
        then.status(200).json_body(ycm_ok(Some(json!({"userId": 1}))));
    });
    let cache = TempDir::new("cache");
    let url = server.base_url();
    let r = run_env(
        &["ycm", "user", "get", "1"],
        &[
            ("YEASTAR_BASE_URL", url.as_str()),
            ("YEASTAR_ACCESS_TOKEN", "given-token-42"),
            ("XDG_CACHE_HOME", cache.str()),
        ],
    );
    assert_eq!(r.ok(), json!({"userId": 1}));
    get.assert_calls(1);
    token.assert_calls(0);
    assert!(cache.cache_files().is_empty(), "no cache file for a given token");

    // The flag wins over the environment.
    let other = server.mock(|when, then| {
        when.method(GET)
            .path("/dm/open_api/v1/users/2")
            .header("authorization", "Bearer flag-token");
        then.status(200).json_body(ycm_ok(Some(json!({"userId": 2}))));
    });
    let r = run_env(
        &[
            "ycm",
            "user",
            "get",
            "2",
            "--access-token",
            "flag-token",
            "--base-url",
            &url,
        ],
        &[
            ("YEASTAR_BASE_URL", "http://127.0.0.1:9"),
            ("YEASTAR_ACCESS_TOKEN", "env-token"),
        ],
    );
    assert_eq!(r.ok(), json!({"userId": 2}));
    other.assert_calls(1);

    // A token the API refuses: authentication failure, exit 3.
    let refused = server.mock(|when, then| {
        when.method(GET).path("/dm/open_api/v1/users/3");
        then.status(401)
            .json_body(json!({"requestId": "r401", "status": "Failed", "errmsg": "invalid token"}));
    });
    let r = run_env(
        &[
            "ycm",
            "user",
            "get",
            "3",
            "--base-url",
            &url,
            "--access-token",
            "stale-token",
        ],
        &[],
    );
    r.fails(3);
    assert!(!r.all_output().contains("stale-token"), "{r:#?}");
    refused.assert_calls(1);
}

#[test]
fn token_cache_file_is_private_secret_free_and_reused() {
    use std::os::unix::fs::PermissionsExt;
    let server = MockServer::start();
    let token = ycm_token(&server);
    let get = server.mock(|when, then| {
        when.method(GET)
            .path("/dm/open_api/v1/users/13329")
            .header("authorization", BEARER);
        then.status(200).json_body(ycm_ok(Some(json!({"userId": 13329}))));
    });
    let cache = TempDir::new("cache");
    for _ in 0..2 {
        let r = run_with(&server, &cache, &["ycm", "user", "get", "13329"], &[]);
        assert_eq!(r.ok(), json!({"userId": 13329}));
        assert_eq!(r.stderr, "");
    }
    get.assert_calls(2);
    token.assert_calls(1);

    let files = cache.cache_files();
    assert_eq!(files.len(), 1, "{files:?}");
    let file = &files[0];
    assert!(
        file.file_name().unwrap().to_str().unwrap().starts_with("ycm-"),
        "{file:?}"
    );
    assert_eq!(std::fs::metadata(file).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(
        std::fs::metadata(cache.path().join("yeastar"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o700
    );
    let text = std::fs::read_to_string(file).unwrap();
    assert!(!text.contains(SECRET), "{text}");
    let stored: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(stored["accessToken"], ACCESS);
    assert_eq!(stored["refreshToken"], REFRESH);
    assert_eq!(stored["clientId"], ID);
    assert_eq!(stored["baseUrl"], server.base_url());
    assert!(stored["accessExpiresAt"].as_u64().unwrap() > 0);

    // --no-token-cache: neither read nor written.
    let r = run_with(
        &server,
        &cache,
        &["ycm", "user", "get", "13329", "--no-token-cache"],
        &[],
    );
    r.ok();
    token.assert_calls(2);
    assert_eq!(std::fs::read_to_string(file).unwrap(), text);

    // Another client id is another file (and another token). YCM refuses an unknown client
    // with its documented code 1000033 (HTTP 401): an authentication failure, exit 3.
    let refused = server.mock(|when, then| {
        when.method(POST)
            .path(YCM_TOKEN)
            .form_urlencoded_tuple("client_id", "someone-else");
        then.status(401).json_body(json!({
            "requestId": "r-refused", "status": "Failed", "errcode": 1000033, "errmsg": "INVALID_CLIENT"
        }));
    });
    let r = run_with(
        &server,
        &cache,
        &["ycm", "user", "get", "13329"],
        &[("YEASTAR_CLIENT_ID", "someone-else")],
    );
    r.fails(3);
    refused.assert_calls(1);
    let tokens: Vec<_> = cache
        .cache_files()
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "json"))
        .collect();
    assert_eq!(tokens.len(), 1, "no token stored for a refused client: {tokens:?}");
}

#[test]
fn a_corrupt_cache_file_only_warns() {
    let server = MockServer::start();
    let token = wp_token(&server);
    let get = server.mock(|when, then| {
        when.method(GET)
            .path(format!("{WP}/group_detail/8"))
            .header("authorization", BEARER);
        then.status(200)
            .json_body(wp_ok(json!({"groupId": 8, "groupName": "Sales"})));
    });
    let cache = TempDir::new("cache");
    run_with(&server, &cache, &["wp", "group", "get", "8"], &[]).ok();
    let file = cache.cache_files().pop().unwrap();
    std::fs::write(&file, "{\"version\": 1, \"accessToken\": \"AT-leaked").unwrap();
    let r = run_with(&server, &cache, &["wp", "group", "get", "8"], &[]);
    assert_eq!(r.ok(), json!({"groupId": 8, "groupName": "Sales"}));
    assert!(r.stderr.starts_with("warning: ignoring the token cache file"), "{r:#?}");
    assert!(
        !r.stderr.contains("AT-leaked"),
        "the file's content is not echoed: {r:#?}"
    );
    token.assert_calls(2);
    // Rewritten whole and valid.
    let stored: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(stored["accessToken"], ACCESS);

    // Unreadable (a directory in its place): a warning, and the write fails with a warning too.
    std::fs::remove_file(&file).unwrap();
    std::fs::create_dir(&file).unwrap();
    let r = run_with(&server, &cache, &["wp", "group", "get", "8"], &[]);
    assert_eq!(r.ok()["groupId"], 8);
    assert!(r.stderr.contains("warning: ignoring the token cache file"), "{r:#?}");
    assert!(
        r.stderr.contains("warning: cannot write the token cache file"),
        "{r:#?}"
    );
    get.assert_calls(3);
}

#[test]
fn no_secret_or_token_at_rust_log_trace() {
    let server = MockServer::start();
    pp_token(&server);
    let get = server.mock(|when, then| {
        when.method(GET)
            .path("/user/openapi/user/v1/subordinate_user/color123@yeastar.com")
            .header("authorization", BEARER);
        then.status(200)
            .json_body(pp_ok(json!({"email": "color123@yeastar.com"})));
    });
    let cache = TempDir::new("cache");
    // First run mints and stores the token; second run reads it from the cache.
    for _ in 0..2 {
        let r = run_with(
            &server,
            &cache,
            &["pp", "user", "get", "color123@yeastar.com"],
            &[("RUST_LOG", "trace")],
        );
        assert_eq!(r.code, 0, "{r:#?}");
        assert!(r.stderr.contains("yeastar.call"), "tracing is on: {r:#?}");
        let all = r.all_output();
        for secret in [SECRET, ACCESS, REFRESH] {
            assert!(!all.contains(secret), "{secret} leaked: {all}");
        }
    }
    get.assert_calls(2);
    // A refused secret, at trace level.
    let refused = server.mock(|when, then| {
        when.method(POST)
            .path(PP_TOKEN)
            .form_urlencoded_tuple("client_secret", "wrong-SECRET-1");
        then.status(401)
            .json_body(json!({"code": "invalid_client", "detailMessage": "bad client", "status": 401}));
    });
    let r = run_with(
        &server,
        &TempDir::new("cache"),
        &["pp", "user", "list"],
        &[("RUST_LOG", "trace"), ("YEASTAR_CLIENT_SECRET", "wrong-SECRET-1")],
    );
    r.fails(3);
    assert!(!r.all_output().contains("wrong-SECRET-1"), "{r:#?}");
    refused.assert_calls(1);
}

/// The error body of `product` with `echo` in every field the SDK reads: Partner Portal
/// `code`, `detailMessage`, `requestId`, `result`; YCM `errcode`, `errmsg`, `requestId`, `data`
/// (and OAuth's `error`, `error_description` on its token endpoint); Workplace `errMsg`,
/// `detailMsg`, `requestId`.
fn echo_body(product: &str, status: u16, echo: &str) -> Value {
    let text = format!("Invalid credentials or token: {echo}");
    match product {
        "pp" => {
            json!({"code": echo, "detailMessage": text, "requestId": echo, "result": {"message": text}, "status": status})
        }
        "ycm" => json!({"status": "Failed", "errcode": echo, "errmsg": text, "requestId": echo, "time": 1,
                        "data": {"errmsg": text}, "error": echo, "error_description": text}),
        _ => json!({"status": "Failed", "errMsg": echo, "detailMsg": text, "requestId": echo}),
    }
}

/// Issue 12 item 2 (CLI output): servers that echo the access token, the refresh token and the
/// client secret in the fields the SDK reads; the CLI's stderr (and everything it prints at
/// RUST_LOG=trace) shows those fields with the secret replaced, never the secret.
#[test]
fn echoed_secrets_never_reach_the_cli_output() {
    const WRONG: &str = "cli-WRONG-secret-5d0c";
    for product in ["pp", "ycm", "wp"] {
        let server = MockServer::start();
        let (args, api_path, refresh_path): (&[&str], &str, &str) = match product {
            "pp" => {
                pp_token(&server);
                (
                    &["pp", "user", "get", "color123@yeastar.com"],
                    "/user/openapi/user/v1/subordinate_user/color123@yeastar.com",
                    PP_TOKEN,
                )
            }
            "ycm" => {
                ycm_token(&server);
                (
                    &["ycm", "user", "get", "13329"],
                    "/dm/open_api/v1/users/13329",
                    YCM_TOKEN,
                )
            }
            _ => {
                wp_token(&server);
                (
                    &["wp", "user", "get", "54164"],
                    "/services/openapi/v1.0/user/user_detail/54164",
                    "/services/openapi/v1.0/authentication/refresh_token",
                )
            }
        };
        // The access token is rejected, echoed; the refresh is refused, echoing the refresh
        // token; the client credentials give the same token, rejected again: exit 3.
        let rejected = server.mock(|when, then| {
            when.method(GET).path(api_path).header("authorization", BEARER);
            then.status(401).json_body(echo_body(product, 401, ACCESS));
        });
        let refresh = server.mock(|when, then| {
            when.method(POST)
                .path(refresh_path)
                .form_urlencoded_tuple("refresh_token", REFRESH);
            then.status(400).json_body(echo_body(product, 400, REFRESH));
        });
        let r = run_with(&server, &TempDir::new("cache"), args, &[("RUST_LOG", "trace")]);
        r.fails(3);
        rejected.assert_calls(2);
        refresh.assert_calls(1);
        let all = r.all_output();
        for secret in [SECRET, ACCESS, REFRESH] {
            assert!(!all.contains(secret), "{product}: {secret} leaked:\n{all}");
        }
        let error = r.stderr.lines().find(|l| l.starts_with("error:")).unwrap_or_default();
        assert!(
            error.contains("[redacted]"),
            "{product}: the echo is shown, scrubbed: {r:#?}"
        );

        // A wrong secret, refused by a token endpoint that echoes it.
        let token_path = if product == "wp" { WP_TOKEN } else { refresh_path };
        let refused = server.mock(|when, then| {
            when.method(POST)
                .path(token_path)
                .form_urlencoded_tuple("client_secret", WRONG);
            then.status(401).json_body(echo_body(product, 401, WRONG));
        });
        let r = run_with(
            &server,
            &TempDir::new("cache"),
            args,
            &[("RUST_LOG", "trace"), ("YEASTAR_CLIENT_SECRET", WRONG)],
        );
        r.fails(3);
        refused.assert_calls(1);
        assert!(!r.all_output().contains(WRONG), "{product}: {r:#?}");
        let error = r.stderr.lines().find(|l| l.starts_with("error:")).unwrap_or_default();
        assert!(error.contains("[redacted]"), "{product}: {r:#?}");

        // A static token answered with a 403 that echoes it: exit 1, scrubbed.
        let forbidden = server.mock(|when, then| {
            when.method(GET)
                .path(api_path)
                .header("authorization", "Bearer static-TOKEN-e41a");
            then.status(403).json_body(echo_body(product, 403, "static-TOKEN-e41a"));
        });
        let mut static_args = args.to_vec();
        static_args.extend(["--access-token", "static-TOKEN-e41a"]);
        let r = run_with(&server, &TempDir::new("cache"), &static_args, &[("RUST_LOG", "trace")]);
        r.fails(1);
        forbidden.assert_calls(1);
        assert!(!r.all_output().contains("static-TOKEN-e41a"), "{product}: {r:#?}");
        let error = r.stderr.lines().find(|l| l.starts_with("error:")).unwrap_or_default();
        assert!(error.contains("[redacted]"), "{product}: {r:#?}");
    }
}

#[test]
fn unexpected_answers_and_unreachable_hosts() {
    let server = MockServer::start();
    ycm_token(&server);
    // A proxy's HTML page: the server answered, exit 1.
    server.mock(|when, then| {
        when.method(GET).path("/dm/open_api/v1/users/7");
        then.status(404)
            .header("content-type", "text/html")
            .body("<html>Not Found</html>");
    });
    let r = run(&server, &["ycm", "user", "get", "7"]);
    r.fails(1);
    assert!(r.stderr.contains("HTTP 404"), "{r:#?}");

    // Nothing listening: transport failure, exit 3.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let r = run_env(
        &["ycm", "user", "get", "7", "--base-url", &url, "--access-token", "t"],
        &[],
    );
    r.fails(3);
    assert!(r.stderr.contains("YCM"), "{r:#?}");
}
