//! Every command against the in-process sandbox: output, exit code and the request sent (from
//! the sandbox's journal).

mod common;

use common::{P, Sb, run, run_env};
use serde_json::json;

#[test]
fn readme_command_works_with_nothing_set_up() {
    let r = run(&["--sandbox", "partner-portal", "user", "get", "color123@yeastar.com"]);
    let user = r.ok();
    assert_eq!(user["email"], "color123@yeastar.com");
    assert_eq!(user["partnerId"], "3076915454489739264");
    assert_eq!(user["company"], "Company Example");
    assert_eq!(user["zipCode"], "361000", "API field names");
    assert!(r.stderr.is_empty(), "{r:#?}");
    // The aliases and the other products work the same way.
    assert_eq!(run(&["--sandbox", "ycm", "user", "get", "13329"]).ok()["userId"], 13329);
    assert_eq!(
        run(&["wp", "--sandbox", "user", "get", "54164"]).ok()["memberId"],
        54164
    );
    assert_eq!(
        run_env(&["pp", "user", "list"], &[("YEASTAR_SANDBOX", "true")]).ok()[0]["email"],
        "color123@yeastar.com"
    );
}

#[test]
fn partner_portal_commands() {
    let sb = Sb::start();
    let users = sb.run(P::Pp, &["pp", "user", "list"]).ok();
    let emails: Vec<_> = users.as_array().unwrap().iter().map(|u| u["email"].clone()).collect();
    assert_eq!(emails, [json!("color123@yeastar.com"), json!("yaya@yeastar.com")]);
    assert_eq!(sb.last_call().path, "/user/openapi/user/v1/client/partner_list");

    sb.clear();
    let out = sb
        .run(
            P::Pp,
            &[
                "partner-portal",
                "user",
                "create",
                "--yeastar-id",
                "ada@example.com",
                "--company",
                "Example Ltd",
                "--country",
                "Chad",
                "--first-name",
                "Ada",
                "--tax-type",
                "VAT_number",
                "--tax-num",
                "1234",
            ],
        )
        .ok();
    assert_eq!(out["result"], true);
    assert!(out["requestId"].is_string(), "{out}");
    let call = sb.last_call();
    assert_eq!(
        (call.method.as_str(), call.path.as_str()),
        ("POST", "/user/openapi/user/v1/client/save_user")
    );
    assert_eq!(
        call.json().unwrap(),
        json!({"yeastarId": "ada@example.com", "userType": "Customer", "company": "Example Ltd",
               "country": "Chad", "firstName": "Ada", "taxType": "VAT_number", "taxNum": "1234"})
    );

    let out = sb
        .run(
            P::Pp,
            &[
                "pp",
                "user",
                "edit",
                "ada@example.com",
                "--city",
                "Xiamen",
                "--remark",
                "vip",
            ],
        )
        .ok();
    assert_eq!(out["result"], true);
    assert_eq!(
        sb.last_call().json().unwrap(),
        json!({"yeastarId": "ada@example.com", "userType": "Customer", "city": "Xiamen", "remark": "vip"})
    );
    let ada = sb.run(P::Pp, &["pp", "user", "get", "ada@example.com"]).ok();
    assert_eq!(
        (ada["city"].as_str(), ada["firstName"].as_str()),
        (Some("Xiamen"), Some("Ada"))
    );
    assert_eq!(
        sb.last_call().path,
        "/user/openapi/user/v1/subordinate_user/ada@example.com"
    );

    // Every page of the country list in one array.
    let countries = sb.run(P::Pp, &["pp", "country", "list"]).ok();
    assert_eq!(countries.as_array().unwrap().len(), 46);
    assert!(countries.as_array().unwrap().iter().any(|c| c["name"] == "Chad"));
    assert!(
        sb.api_calls()
            .iter()
            .filter(|c| c.path == "/user/openapi/area/v1/page")
            .count()
            >= 2
    );

    let contacts = sb.run(P::Pp, &["pp", "billing-contact", "list"]).ok();
    assert_eq!(contacts.as_array().unwrap().len(), 1);
}

#[test]
fn partner_portal_errors() {
    let sb = Sb::start();
    // The API's refusal: exit 1, stderr names product, status, code, message, request id.
    let r = sb.run(P::Pp, &["pp", "user", "get", "nobody@example.com"]);
    r.fails(1);
    assert!(r.stderr.contains("Partner Portal API error"), "{r:#?}");
    assert!(r.stderr.contains("HTTP "), "{r:#?}");
    assert!(r.stderr.contains("request id"), "{r:#?}");

    // Rejected before sending: a Yeastar ID that is not an email; an edit without fields.
    sb.clear();
    let r = sb.run(P::Pp, &["pp", "user", "edit", "not-an-email", "--city", "X"]);
    r.fails(2);
    assert!(r.stderr.contains("yeastarId"), "{r:#?}");
    let r = sb.run(P::Pp, &["pp", "user", "edit", "ada@example.com"]);
    r.fails(2);
    let r = sb.run(
        P::Pp,
        &[
            "pp",
            "user",
            "create",
            "--yeastar-id",
            "a@b.co",
            "--company",
            "C",
            "--country",
            "Chad",
        ],
    );
    r.fails(2);
    assert!(r.stderr.contains("firstName"), "{r:#?}");
    assert!(
        sb.sandbox.journal().is_empty(),
        "nothing sent: {:?}",
        sb.sandbox.journal()
    );

    // A wrong client secret: authentication failure, exit 3.
    let r = run_env(
        &["pp", "user", "list"],
        &[
            ("YEASTAR_BASE_URL", &sb.url()),
            ("YEASTAR_CLIENT_ID", "pp-demo-client"),
            ("YEASTAR_CLIENT_SECRET", "wrong-secret"),
        ],
    );
    r.fails(3);
    assert!(!r.all_output().contains("wrong-secret"), "{r:#?}");
}

#[test]
fn ycm_commands() {
    let sb = Sb::start();
    let user = sb.run(P::Ycm, &["ycm", "user", "get", "13329"]).ok();
    assert_eq!(user["userType"], "Reseller");
    assert_eq!(user["twoFactorAuthenticationEnable"], "enable");
    assert_eq!(sb.last_call().path, "/dm/open_api/v1/users/13329");

    let users = sb.run(P::Ycm, &["ycm", "user", "list", "--sort", "-userId"]).ok();
    let ids: Vec<u64> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["userId"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [13333, 13332, 13331, 13330, 13329]);
    assert_eq!(
        sb.last_call().query.as_deref(),
        Some("pageSize=50&pageNumber=1&sort=-userId")
    );

    sb.clear();
    let created = sb
        .run(
            P::Ycm,
            &[
                "ycm",
                "user",
                "create",
                "--user-type",
                "reseller",
                "--first-name",
                "Ada",
                "--email",
                "ada@acme.example",
                "--company",
                "Acme",
                "--total-extensions",
                "100",
                "--total-concurrent-calls",
                "20",
                "--total-recordings",
                "10",
                "--minimum-ext-per-pbx",
                "5",
            ],
        )
        .ok();
    let new_id = created["userId"].as_u64().unwrap();
    assert!(new_id >= 13400, "{created}");
    assert!(created["requestId"].is_string());
    assert_eq!(
        sb.last_call().json().unwrap(),
        json!({"userType": "Reseller", "company": "Acme", "firstName": "Ada", "email": "ada@acme.example",
               "totalExtensions": 100, "totalConcurrentCalls": 20, "totalRecordings": 10, "minimumExtPerPBX": 5})
    );

    let id = new_id.to_string();
    let out = sb
        .run(
            P::Ycm,
            &[
                "ycm",
                "user",
                "update",
                &id,
                "--company",
                "Acme 2",
                "--disable-two-factor-auth",
                "--pbx-creation-limit",
                "unlimited",
            ],
        )
        .ok();
    assert!(out["requestId"].is_string(), "{out}");
    // A WriteResult: the request id and YCM's server time, nothing else.
    let keys: Vec<&String> = out.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["requestId", "time"], "{out}");
    let call = sb.last_call();
    assert_eq!(
        (call.method.as_str(), call.path.clone()),
        ("PUT", format!("/dm/open_api/v1/users/{id}"))
    );
    assert_eq!(
        call.json().unwrap(),
        json!({"company": "Acme 2", "twoFactorAuthenticationEnable": "disable", "pbxCreationLimit": ""})
    );
    let back = sb.run(P::Ycm, &["ycm", "user", "get", &id]).ok();
    assert_eq!(
        (back["company"].as_str(), back["firstName"].as_str()),
        (Some("Acme 2"), Some("Ada"))
    );

    let out = sb
        .run(P::Ycm, &["ycm", "user", "delete", "--user-type", "Reseller", &id])
        .ok();
    assert!(out["requestId"].is_string());
    let call = sb.last_call();
    assert_eq!(
        (call.method.as_str(), call.path.as_str()),
        ("DELETE", "/dm/open_api/v1/users")
    );
    assert_eq!(
        call.json().unwrap(),
        json!({"userType": "Reseller", "userIds": [new_id]})
    );
    sb.run(P::Ycm, &["ycm", "user", "get", &id]).fails(1);

    let subs = sb.run(P::Ycm, &["ycm", "subordinate", "list"]).ok();
    assert!(!subs.as_array().unwrap().is_empty());
}

#[test]
fn ycm_input_rejected_before_sending() {
    let sb = Sb::start();
    for args in [
        &["ycm", "user", "update", "13329", "--pbx-creation-limit", "0"][..],
        &["ycm", "user", "update", "13329", "--pbx-creation-limit", "lots"],
        &["ycm", "user", "update", "13329"],
        &["ycm", "user", "delete", "--user-type", "Partner", "13329"],
        &["ycm", "user", "delete", "--user-type", "Reseller"],
        &["ycm", "user", "get", "not-a-number"],
        &[
            "ycm",
            "user",
            "create",
            "--user-type",
            "reseller",
            "--first-name",
            "A",
            "--email",
            "a@b.c",
            "--company",
            "C",
        ],
        &[
            "ycm",
            "user",
            "create",
            "--user-type",
            "reseller",
            "--first-name",
            "A",
            "--email",
            "a@b.c",
            "--company",
            "C",
            "--total-extensions",
            "1",
        ],
        &[
            "ycm",
            "user",
            "create",
            "--user-type",
            "my-colleague",
            "--first-name",
            "A",
            "--email",
            "not-an-email",
        ],
    ] {
        sb.run(P::Ycm, args).fails(2);
    }
    assert!(
        sb.sandbox.journal().is_empty(),
        "nothing sent: {:?}",
        sb.sandbox.journal()
    );
}

#[test]
fn workplace_update_of_only_the_email_keeps_every_other_field() {
    let sb = Sb::start();
    let before = sb.run(P::Wp, &["workplace", "user", "get", "54164"]).ok();
    let out = sb
        .run(
            P::Wp,
            &["wp", "user", "update", "54164", "--email", "leo-new@yeastar.com"],
        )
        .ok();
    assert_eq!(out["memberId"], json!(54164));
    assert_eq!(out["requestId"].as_str().map(str::len), Some(32), "{out}");
    let calls = sb.api_calls();
    let update = calls.last().unwrap();
    assert_eq!(
        (update.method.as_str(), update.path.as_str()),
        ("PUT", "/services/openapi/v1.0/user/user_update")
    );
    assert_eq!(
        update.json().unwrap(),
        json!({"memberId": 54164, "email": "leo-new@yeastar.com", "firstName": "Leo", "lastName": "Ball",
               "groupIds": [1000127], "roleName": "Administrator", "preferredBuildingName": "Yeastar",
               "preferredFloorName": "2F", "phone": "1325698753", "idCode": "XZXXtest6701"})
    );
    let after = sb.run(P::Wp, &["wp", "user", "get", "54164"]).ok();
    let mut expected = before.clone();
    expected["email"] = json!("leo-new@yeastar.com");
    assert_eq!(after, expected);
}

#[test]
fn workplace_user_commands() {
    let sb = Sb::start();
    let image = common::TempDir::new("img");
    let png = image.path().join("face.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let png = png.to_str().unwrap();

    let all = sb.run(P::Wp, &["wp", "user", "list"]).ok();
    assert_eq!(all.as_array().unwrap().len(), 2);
    let amy = sb.run(P::Wp, &["wp", "user", "list", "--query", "Amy"]).ok();
    assert_eq!(amy.as_array().unwrap().len(), 1);
    assert_eq!(amy[0]["memberId"], 54165);

    let created = sb
        .run(
            P::Wp,
            &[
                "wp",
                "user",
                "create",
                "--email",
                "eve@example.com",
                "--first-name",
                "Eve",
                "--group-id",
                "1000127",
                "--group-id",
                "1000128",
                "--role-name",
                "User",
                "--preferred-building-name",
                "Annex",
                "--preferred-floor-name",
                "G",
                "--image",
                png,
                "--send-invite-email",
                "false",
            ],
        )
        .ok();
    let member = created["memberId"].as_u64().unwrap();
    assert!(
        created["userId"].is_u64() && created["requestId"].is_string(),
        "{created}"
    );
    assert_eq!(
        sb.last_call().json().unwrap(),
        json!({"email": "eve@example.com", "firstName": "Eve", "groupIds": [1000127, 1000128], "roleName": "User",
               "preferredBuildingName": "Annex", "preferredFloorName": "G",
               "imageBase64": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==", "sendInviteEmail": false})
    );

    let id = member.to_string();
    let out = sb
        .run(
            P::Wp,
            &[
                "wp",
                "user",
                "update",
                &id,
                "--group-id",
                "1000128",
                "--last-name",
                "Stone",
                "--phone",
                "123",
            ],
        )
        .ok();
    assert_eq!(out["memberId"], json!(member));
    assert!(out["requestId"].is_string(), "{out}");
    let eve = sb.run(P::Wp, &["wp", "user", "get", &id]).ok();
    assert_eq!(eve["groupIds"], json!([1000128]));
    assert_eq!(
        (eve["lastName"].as_str(), eve["preferredFloorName"].as_str()),
        (Some("Stone"), Some("G"))
    );
    assert_eq!(eve["email"], "eve@example.com");

    let out = sb.run(P::Wp, &["wp", "user", "delete", &id]).ok();
    assert_eq!(out["memberId"], member);
    let call = sb.last_call();
    assert_eq!(
        (call.method.as_str(), call.path.clone()),
        ("DELETE", format!("/services/openapi/v1.0/user/user_remove/{id}"))
    );
    let r = sb.run(P::Wp, &["wp", "user", "get", &id]);
    r.fails(1);
    assert!(r.stderr.contains("Workplace API error"), "{r:#?}");

    // Rejected before sending: no field, an unreadable or non-image file, an invalid boolean.
    sb.clear();
    sb.run(P::Wp, &["wp", "user", "update", "54164"]).fails(2);
    sb.run(
        P::Wp,
        &["wp", "user", "update", "54164", "--image", "/nonexistent/face.png"],
    )
    .fails(2);
    let not_image = image.path().join("face.gif");
    std::fs::write(&not_image, b"GIF89a....").unwrap();
    let r = sb.run(
        P::Wp,
        &["wp", "user", "update", "54164", "--image", not_image.to_str().unwrap()],
    );
    r.fails(2);
    assert!(r.stderr.contains("imageBase64"), "{r:#?}");
    sb.run(
        P::Wp,
        &["wp", "user", "update", "54164", "--send-invite-email", "maybe"],
    )
    .fails(2);
    sb.run(
        P::Wp,
        &[
            "wp",
            "user",
            "create",
            "--email",
            "x@y.z",
            "--first-name",
            "X",
            "--role-name",
            "User",
            "--preferred-building-name",
            "Y",
        ],
    )
    .fails(2);
    assert!(
        sb.sandbox.journal().is_empty(),
        "nothing sent: {:?}",
        sb.sandbox.journal()
    );
}

#[test]
fn workplace_group_commands() {
    let sb = Sb::start();
    let groups = sb.run(P::Wp, &["wp", "group", "list"]).ok();
    assert_eq!(
        groups,
        json!([{"groupId": 1000127, "groupName": "Yeastar Demo Co."}, {"groupId": 1000128, "groupName": "Sales"}])
    );
    let sales = sb.run(P::Wp, &["wp", "group", "list", "--name", "Sales"]).ok();
    assert_eq!(sales, json!([{"groupId": 1000128, "groupName": "Sales"}]));
    assert!(sb.last_call().query.unwrap().contains("groupName=Sales"));
    assert_eq!(
        sb.run(P::Wp, &["wp", "group", "get", "1000128"]).ok(),
        json!({"groupId": 1000128, "groupName": "Sales"})
    );

    let created = sb
        .run(
            P::Wp,
            &["wp", "group", "create", "--name", "Support", "--member-id", "54165"],
        )
        .ok();
    let gid = created["groupId"].as_u64().unwrap();
    assert!(created["requestId"].is_string());
    assert_eq!(
        sb.last_call().json().unwrap(),
        json!({"groupName": "Support", "memberIds": [54165]})
    );
    let g = gid.to_string();
    assert_eq!(
        sb.run(P::Wp, &["wp", "group", "update", &g, "--name", "Help desk"])
            .ok()["groupId"],
        gid
    );
    assert_eq!(
        sb.last_call().json().unwrap(),
        json!({"groupId": gid, "groupName": "Help desk"})
    );
    assert_eq!(
        sb.run(P::Wp, &["wp", "group", "get", &g]).ok()["groupName"],
        "Help desk"
    );
    // Only an empty group can be deleted: the API's refusal is exit 1.
    let r = sb.run(P::Wp, &["wp", "group", "delete", &g]);
    r.fails(1);
    assert!(
        r.stderr.contains("GROUP_NOT_EMPTY") && r.stderr.contains("HTTP 400"),
        "{r:#?}"
    );
    let empty = sb.run(P::Wp, &["wp", "group", "create", "--name", "Empty"]).ok()["groupId"]
        .as_u64()
        .unwrap();
    assert_eq!(sb.last_call().json().unwrap(), json!({"groupName": "Empty"}));
    let e = empty.to_string();
    assert_eq!(sb.run(P::Wp, &["wp", "group", "delete", &e]).ok()["groupId"], empty);
    let call = sb.last_call();
    assert_eq!(
        (call.method.as_str(), call.path.clone()),
        ("DELETE", format!("/services/openapi/v1.0/user/group_delete/{e}"))
    );
    sb.run(P::Wp, &["wp", "group", "get", &e]).fails(1);
    sb.run(P::Wp, &["wp", "group", "create", "--name", " "]).fails(2);
}

#[test]
fn no_secret_or_token_in_output_with_rust_log_trace() {
    let sb = Sb::start();
    for (p, args) in [
        (P::Pp, &["pp", "user", "get", "color123@yeastar.com"][..]),
        (P::Ycm, &["ycm", "user", "update", "13329", "--remark", "x"]),
        (P::Wp, &["wp", "user", "update", "54164", "--phone", "1"]),
    ] {
        let (id, secret) = p.demo();
        let url = sb.url();
        let r = run_env(
            args,
            &[
                ("RUST_LOG", "trace"),
                ("YEASTAR_BASE_URL", &url),
                ("YEASTAR_CLIENT_ID", id),
                ("YEASTAR_CLIENT_SECRET", secret),
                ("YEASTAR_NO_TOKEN_CACHE", "true"),
            ],
        );
        assert_eq!(r.code, 0, "{r:#?}");
        assert!(r.stderr.contains("yeastar.call"), "tracing is on: {r:#?}");
        let all = r.all_output();
        assert!(!all.contains(secret), "{all}");
        // The sandbox's tokens start with the product's prefix followed by hex.
        for prefix in [
            "Bearer pp",
            "Bearer ycm",
            "Bearer wp",
            "access_token",
            "refresh_token\":\"",
        ] {
            assert!(!all.contains(prefix), "{prefix} in {all}");
        }
    }
    // --sandbox: the embedded sandbox's own logs are in the output too.
    let r = run_env(&["--sandbox", "wp", "user", "get", "54164"], &[("RUST_LOG", "trace")]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert!(!r.all_output().contains("wp-demo-secret"), "{r:#?}");
    assert!(!r.all_output().contains("Bearer wp"), "{r:#?}");
}

#[test]
fn rust_log_unset_means_a_quiet_stderr() {
    let r = run(&["--sandbox", "ycm", "user", "get", "13329"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.stderr, "");
}

#[test]
fn sandbox_command_serves_until_interrupted() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let home = common::TempDir::new("serve");
    let mut child = Command::new(common::BIN)
        .args(["sandbox", "--port", "0"])
        .env_clear()
        .env("HOME", home.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let url = first
        .strip_prefix("Yeastar sandbox listening on ")
        .expect(&first)
        .to_owned();
    let rest: Vec<String> = lines
        .by_ref()
        .take_while(|l| !l.as_ref().unwrap().starts_with("Press Ctrl-C"))
        .map(Result::unwrap)
        .collect();
    let banner = rest.join("\n");
    for cred in [
        "pp-demo-client",
        "pp-demo-secret",
        "ycm-demo-client",
        "ycm-demo-secret",
        "wp-demo-client",
        "wp-demo-secret",
    ] {
        assert!(banner.contains(cred), "{banner}");
    }
    let r = run_env(
        &["ycm", "user", "get", "13329"],
        &[
            ("YEASTAR_BASE_URL", &url),
            ("YEASTAR_CLIENT_ID", "ycm-demo-client"),
            ("YEASTAR_CLIENT_SECRET", "ycm-demo-secret"),
        ],
    );
    assert_eq!(r.ok()["userId"], 13329);
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let r = run(&["pp", "user", "get", "x@y.z"]);
    r.fails(2);
    assert!(
        r.stderr.contains("--sandbox"),
        "the message suggests the sandbox: {r:#?}"
    );
    run(&["frobnicate"]).fails(2);
    // A false-ish YEASTAR_SANDBOX is off.
    run_env(&["pp", "user", "list"], &[("YEASTAR_SANDBOX", "false")]).fails(2);
    run_env(&["pp", "user", "list"], &[("YEASTAR_SANDBOX", "0")]).fails(2);
    run(&["ycm", "user", "get"]).fails(2);
    run(&["--region", "mars", "wp", "user", "get", "1"]).fails(2);
    let r = run_env(&["pp", "user", "list"], &[("YEASTAR_CLIENT_ID", "only-the-id")]);
    r.fails(2);
    // An insecure base URL is a configuration error, found before sending.
    let r = run_env(
        &["ycm", "user", "get", "1"],
        &[
            ("YEASTAR_BASE_URL", "http://example.com"),
            ("YEASTAR_ACCESS_TOKEN", "t"),
        ],
    );
    r.fails(2);
    let help = run_env(
        &["--help"],
        &[
            ("YEASTAR_CLIENT_SECRET", "hunter2-secret"),
            ("YEASTAR_ACCESS_TOKEN", "tok-hunter2"),
        ],
    );
    assert_eq!(help.code, 0);
    assert!(
        help.stdout.contains("--client-secret") && help.stdout.contains("Exit codes"),
        "{help:#?}"
    );
    assert!(!help.all_output().contains("hunter2"), "{help:#?}");
    for sub in [
        &["pp", "user", "create", "--help"][..],
        &["ycm", "user", "update", "--help"],
        &["wp", "user", "update", "--help"],
    ] {
        let h = run_env(sub, &[("YEASTAR_CLIENT_SECRET", "hunter2-secret")]);
        assert_eq!(h.code, 0, "{h:#?}");
        assert!(!h.all_output().contains("hunter2"), "{h:#?}");
    }
    assert_eq!(run(&["--version"]).code, 0);
}

#[test]
fn workplace_event_commands() {
    let sb = Sb::start();
    let done = sb
        .run(
            P::Wp,
            &[
                "wp",
                "event",
                "subscribe",
                "--event-type",
                "MEETING_CREATED",
                "--event-type",
                "MEETING_UPDATED",
            ],
        )
        .ok();
    assert!(done["requestId"].is_string(), "{done}");
    assert_eq!(done["eventTypes"], json!(["MEETING_CREATED", "MEETING_UPDATED"]));
    let call = sb.last_call();
    assert_eq!(
        (call.method.as_str(), call.path.as_str()),
        ("POST", "/services/openapi/v1.0/integration/subscribe")
    );
    assert_eq!(
        call.json().unwrap(),
        json!({"eventTypes": ["MEETING_CREATED", "MEETING_UPDATED"]})
    );
    assert_eq!(
        sb.sandbox.workplace_subscription(),
        Some(vec!["MEETING_CREATED".into(), "MEETING_UPDATED".into()])
    );

    assert_eq!(
        sb.run(P::Wp, &["wp", "event", "subscribe", "--all"]).ok()["eventTypes"],
        json!(["ALL"])
    );
    assert_eq!(sb.last_call().json().unwrap(), json!({"eventTypes": ["ALL"]}));
    assert_eq!(sb.sandbox.workplace_subscription(), Some(vec!["ALL".into()]));

    let done = sb.run(P::Wp, &["wp", "event", "cancel"]).ok();
    assert!(done["requestId"].is_string(), "{done}");
    let call = sb.last_call();
    assert_eq!(
        (call.method.as_str(), call.path.as_str()),
        ("DELETE", "/services/openapi/v1.0/integration/cancel_subscribe")
    );
    assert_eq!(sb.sandbox.workplace_subscription(), None);

    // Refused before anything is sent: no type, a misspelt type, ALL with others, both flags.
    sb.clear();
    sb.run(P::Wp, &["wp", "event", "subscribe"]).fails(2);
    let r = sb.run(P::Wp, &["wp", "event", "subscribe", "--event-type", "meeting_created"]);
    r.fails(2);
    assert!(r.stderr.contains("eventTypes"), "{r:#?}");
    sb.run(
        P::Wp,
        &[
            "wp",
            "event",
            "subscribe",
            "--event-type",
            "ALL",
            "--event-type",
            "MEETING_CREATED",
        ],
    )
    .fails(2);
    sb.run(
        P::Wp,
        &["wp", "event", "subscribe", "--all", "--event-type", "MEETING_CREATED"],
    )
    .fails(2);
    assert!(sb.sandbox.journal().is_empty(), "{:?}", sb.sandbox.journal());
}
