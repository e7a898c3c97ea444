//! The CLI's edges against hostile servers and environments (issue 12, CLI items; issue 13, the
//! CLI's commands): refused secrets remembered across runs, an untrusted cache directory,
//! symbolic links, server text on stderr, the image size cap, the subscription command, the
//! face-image warning.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::{Run, TempDir, run_env};
use httpmock::Method::{GET, POST, PUT};
use httpmock::{Mock, MockServer};
use serde_json::{Value, json};

const YCM_TOKEN: &str = "/dm/open_api/oauth/token";
const ID: &str = "hardening-client";
const GOOD: &str = "good-SECRET-1";
const WRONG: &str = "wrong-SECRET-9";

fn ycm_token<'a>(server: &'a MockServer, secret: &str, token: &str) -> Mock<'a> {
    server.mock(|when, then| {
        when.method(POST)
            .path(YCM_TOKEN)
            .form_urlencoded_tuple("client_id", ID)
            .form_urlencoded_tuple("client_secret", secret);
        then.status(200)
            .json_body(json!({"access_token": token, "token_type": "bearer", "expires_in": 1800}));
    })
}

fn ycm_refusal<'a>(server: &'a MockServer, secret: &str) -> Mock<'a> {
    server.mock(|when, then| {
        when.method(POST)
            .path(YCM_TOKEN)
            .form_urlencoded_tuple("client_secret", secret);
        then.status(401)
            .json_body(json!({"error": "invalid_client", "error_description": "Bad client credentials"}));
    })
}

fn ycm_get<'a>(server: &'a MockServer, token: &str) -> Mock<'a> {
    server.mock(|when, then| {
        when.method(GET)
            .path("/dm/open_api/v1/users/1")
            .header("authorization", format!("Bearer {token}"));
        then.status(200)
            .json_body(json!({"requestId": "r", "status": "Success", "data": {"userId": 1}}));
    })
}

fn run_ycm(server: &MockServer, cache: &TempDir, secret: &str, extra: &[&str]) -> Run {
    let url = server.base_url();
    let mut args = vec!["ycm", "user", "get", "1"];
    args.extend_from_slice(extra);
    run_env(
        &args,
        &[
            ("YEASTAR_BASE_URL", &url),
            ("YEASTAR_CLIENT_ID", ID),
            ("YEASTAR_CLIENT_SECRET", secret),
            ("XDG_CACHE_HOME", cache.str()),
        ],
    )
}

#[test]
fn a_refused_secret_is_remembered_across_runs() {
    let server = MockServer::start();
    let refused = ycm_refusal(&server, WRONG);
    let cache = TempDir::new("cache");
    // Six runs, as a cron job would: one token request.
    for run in 0..6 {
        let r = run_ycm(&server, &cache, WRONG, &[]);
        r.fails(3);
        assert!(!r.all_output().contains(WRONG), "{r:#?}");
        let hint = r.stderr.lines().find(|l| l.starts_with("hint: ")).expect("a hint");
        // The command the hint gives works (plain `auth status` would meet the same memory),
        // and it names where the secret came from: the variable, not a profile.
        assert!(hint.contains("`yeastar ycm auth status --no-token-cache`"), "{r:#?}");
        assert!(hint.contains("YEASTAR_CLIENT_SECRET"), "{r:#?}");
        if run == 0 {
            assert!(hint.contains("not sent again before 20"), "{r:#?}");
        } else {
            let error = r.stderr.lines().next().unwrap();
            assert!(
                error.contains("was refused at 20") && error.contains("it is not sent again before 20"),
                "{r:#?}"
            );
            assert!(error.contains("(in 9m") || error.contains("(in 10m"), "{error}");
            assert!(hint.contains("a different secret is tried at once"), "{hint}");
        }
    }
    refused.assert_calls(1);
    // Following the hint shows the status (and asks once more, as asked).
    let url = server.base_url();
    let r = run_env(
        &["ycm", "auth", "status", "--no-token-cache"],
        &[
            ("YEASTAR_BASE_URL", &url),
            ("YEASTAR_CLIENT_ID", ID),
            ("YEASTAR_CLIENT_SECRET", WRONG),
            ("XDG_CACHE_HOME", cache.str()),
        ],
    );
    assert_eq!(r.code, 3, "{r:#?}");
    assert_eq!(r.json()["token"], "failed", "{r:#?}");
    assert_eq!(r.json()["clientId"], ID, "{r:#?}");
    assert!(!r.all_output().contains(WRONG), "{r:#?}");
    refused.assert_calls(2);
    // Nothing on disk holds the secret.
    for f in cache.cache_files() {
        let bytes = std::fs::read(&f).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains(WRONG), "{f:?}");
        assert_eq!(
            std::fs::metadata(&f).unwrap().permissions().mode() & 0o777,
            0o600,
            "{f:?}"
        );
    }

    // A different secret is tried at once.
    let token = ycm_token(&server, GOOD, "AT-good");
    let get = ycm_get(&server, "AT-good");
    assert_eq!(run_ycm(&server, &cache, GOOD, &[]).ok()["userId"], 1);
    token.assert_calls(1);
    get.assert_calls(1);

    // --no-token-cache neither reads nor writes the memory: every run asks.
    for _ in 0..2 {
        run_ycm(&server, &cache, WRONG, &["--no-token-cache"]).fails(3);
    }
    refused.assert_calls(4);
    // And the remembered refusal still holds for the cached runs.
    run_ycm(&server, &cache, WRONG, &[]).fails(3);
    refused.assert_calls(4);
}

#[test]
fn a_cache_directory_others_can_write_is_not_used() {
    let server = MockServer::start();
    let token = ycm_token(&server, GOOD, "AT-1");
    let get = ycm_get(&server, "AT-1");
    let cache = TempDir::new("cache");
    let dir = cache.path().join("yeastar");
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    for _ in 0..2 {
        let r = run_ycm(&server, &cache, GOOD, &[]);
        assert_eq!(r.ok()["userId"], 1);
        assert!(
            r.stderr.starts_with("warning: not using the token cache: ")
                && r.stderr.contains("can be written by group or others (mode 777)"),
            "{r:#?}"
        );
    }
    token.assert_calls(2);
    get.assert_calls(2);
    assert!(cache.cache_files().is_empty(), "{:?}", cache.cache_files());

    // Owned by someone else (only root can arrange that here).
    if rustix::process::geteuid().is_root() {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        std::os::unix::fs::chown(&dir, Some(4242), None).unwrap();
        let r = run_ycm(&server, &cache, GOOD, &[]);
        assert_eq!(r.ok()["userId"], 1);
        assert!(r.stderr.contains("is owned by another user (uid 4242"), "{r:#?}");
        token.assert_calls(3);
        assert!(cache.cache_files().is_empty());
    }

    // A private directory: used.
    std::os::unix::fs::chown(&dir, Some(rustix::process::geteuid().as_raw()), None).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    let before = if rustix::process::geteuid().is_root() { 3 } else { 2 };
    for _ in 0..2 {
        let r = run_ycm(&server, &cache, GOOD, &[]);
        assert_eq!(r.ok()["userId"], 1);
        assert_eq!(r.stderr, "");
    }
    token.assert_calls(before + 1);
}

#[test]
fn a_cache_file_replaced_by_a_symbolic_link_is_not_followed() {
    let server = MockServer::start();
    let token = ycm_token(&server, GOOD, "AT-1");
    ycm_get(&server, "AT-1");
    let cache = TempDir::new("cache");
    run_ycm(&server, &cache, GOOD, &[]).ok();
    let file = cache.cache_files().pop().unwrap();
    // The token file moved elsewhere and linked into place.
    let elsewhere = cache.path().join("elsewhere.json");
    std::fs::rename(&file, &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &file).unwrap();
    let target = std::fs::read(&elsewhere).unwrap();
    let r = run_ycm(&server, &cache, GOOD, &[]);
    assert_eq!(r.ok()["userId"], 1);
    assert!(r.stderr.contains("it is a symbolic link"), "{r:#?}");
    token.assert_calls(2);
    assert_eq!(std::fs::read(&elsewhere).unwrap(), target, "the target is not written");
    assert!(!std::fs::symlink_metadata(&file).unwrap().file_type().is_symlink());
}

/// A rejected cached token is replaced in the cache. (That the file is removed when no new token
/// can be had needs the transport to call `TokenStore::clear`; `clear` itself is unit-tested in
/// token_cache.rs.)
#[test]
fn a_rejected_cached_token_is_replaced_in_the_cache() {
    let server = MockServer::start();
    let cache = TempDir::new("cache");
    let mut old = ycm_token(&server, GOOD, "AT-old");
    // Run 1 caches AT-old.
    let mut first = ycm_get(&server, "AT-old");
    run_ycm(&server, &cache, GOOD, &[]).ok();
    first.delete();
    old.delete();
    // The API now rejects AT-old; the token endpoint issues AT-new.
    let rejected = server.mock(|when, then| {
        when.method(GET)
            .path("/dm/open_api/v1/users/1")
            .header("authorization", "Bearer AT-old");
        then.status(401)
            .json_body(json!({"requestId": "r401", "status": "Failed", "errcode": 1000036, "errmsg": "INVALID_TOKEN"}));
    });
    let new = ycm_token(&server, GOOD, "AT-new");
    let ok = ycm_get(&server, "AT-new");
    let r = run_ycm(&server, &cache, GOOD, &[]);
    assert_eq!(r.ok()["userId"], 1, "{r:#?}");
    rejected.assert_calls(1);
    new.assert_calls(1);
    ok.assert_calls(1);
    let file = cache
        .cache_files()
        .into_iter()
        .find(|f| f.extension().is_some_and(|e| e == "json"));
    let file = file.unwrap();
    let stored: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(stored["accessToken"], "AT-new");
}

/// Issue 12 item 1 (CLI part): an RFC 6750 rejection — `401`, an EMPTY body and
/// `WWW-Authenticate: Bearer error="invalid_token"`, no envelope to decode — of the cached token
/// makes the CLI refresh it with the cached refresh token, replay the call once, and replace the
/// dead token in the cache file.
#[test]
fn an_empty_401_with_a_bearer_challenge_refreshes_and_replaces_the_cached_token() {
    let server = MockServer::start();
    let cache = TempDir::new("cache-bearer");
    // Run 1 caches AT-old and RT-old.
    let mut issue = server.mock(|when, then| {
        when.method(POST)
            .path(YCM_TOKEN)
            .form_urlencoded_tuple("grant_type", "client_credentials")
            .form_urlencoded_tuple("client_secret", GOOD);
        then.status(200).json_body(
            json!({"access_token": "AT-old", "refresh_token": "RT-old", "token_type": "bearer", "expires_in": 1800}),
        );
    });
    let mut first = ycm_get(&server, "AT-old");
    run_ycm(&server, &cache, GOOD, &[]).ok();
    issue.assert_calls(1);
    first.assert_calls(1);
    first.delete();
    issue.delete();
    // The API now answers AT-old with a bare bearer challenge.
    let rejected = server.mock(|when, then| {
        when.method(GET)
            .path("/dm/open_api/v1/users/1")
            .header("authorization", "Bearer AT-old");
        then.status(401)
            .header("www-authenticate", r#"Bearer error="invalid_token""#)
            .body("");
    });
    let refresh = server.mock(|when, then| {
        when.method(POST)
            .path(YCM_TOKEN)
            .body("grant_type=refresh_token&refresh_token=RT-old");
        then.status(200).json_body(
            json!({"access_token": "AT-new", "refresh_token": "RT-new", "token_type": "bearer", "expires_in": 1800}),
        );
    });
    let credentials = ycm_token(&server, GOOD, "AT-other");
    let ok = ycm_get(&server, "AT-new");
    let r = run_ycm(&server, &cache, GOOD, &[]);
    assert_eq!(r.ok()["userId"], 1, "{r:#?}");
    rejected.assert_calls(1);
    refresh.assert_calls(1);
    credentials.assert_calls(0);
    ok.assert_calls(1);
    let files: Vec<_> = cache
        .cache_files()
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "json"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let stored: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(stored["accessToken"], "AT-new", "{text}");
    assert!(!text.contains("AT-old") && !text.contains("RT-old"), "{text}");

    // Run 3 uses the new token from the cache: no token request at all.
    let r = run_ycm(&server, &cache, GOOD, &[]);
    assert_eq!(r.ok()["userId"], 1, "{r:#?}");
    rejected.assert_calls(1);
    refresh.assert_calls(1);
    ok.assert_calls(2);
}

#[test]
fn server_text_on_stderr_is_stripped_of_escape_sequences_and_control_characters() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(GET).path("/dm/open_api/v1/users/5");
        then.status(200)
            .json_body(json!({"requestId": "r\x1b[31m5", "status": "Failed", "errcode": 40004,
            "errmsg": "bad\x1b[2Juser\x1b]0;pwned title\x07 gone\nerror: fake second line\r\x08\x00"}));
    });
    let url = server.base_url();
    let r = run_env(
        &["ycm", "user", "get", "5", "--base-url", &url, "--access-token", "t"],
        &[],
    );
    r.fails(1);
    for bad in ['\x1b', '\x07', '\x08', '\0', '\r'] {
        assert!(!r.stderr.contains(bad), "{bad:?} in {:?}", r.stderr);
    }
    assert!(
        r.stderr.contains("baduser gone error: fake second line"),
        "{:?}",
        r.stderr
    );
    assert!(!r.stderr.contains("pwned"), "{:?}", r.stderr);
    assert_eq!(
        r.stderr.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{:?}",
        r.stderr
    );
}

#[test]
fn an_image_is_read_at_most_to_the_size_cap() {
    let server = MockServer::start();
    let any = server.mock(|_, then| {
        then.status(500);
    });
    let url = server.base_url();
    // /dev/zero never ends: reading it whole would never finish.
    for args in [
        &["wp", "user", "update", "54164", "--image", "/dev/zero"][..],
        &[
            "wp",
            "user",
            "create",
            "--email",
            "a@example.com",
            "--first-name",
            "A",
            "--group-id",
            "1",
            "--role-name",
            "User",
            "--preferred-building-name",
            "B",
            "--image",
            "/dev/zero",
        ][..],
    ] {
        let mut all = args.to_vec();
        all.extend(["--base-url", &url, "--access-token", "t"]);
        let r = run_env(&all, &[]);
        r.fails(2);
        assert!(r.stderr.contains("/dev/zero is larger than 2048 KiB"), "{r:#?}");
    }
    any.assert_calls(0);
}

#[test]
fn workplace_update_warns_that_the_face_image_may_be_cleared() {
    let server = MockServer::start();
    let url = server.base_url();
    let leo = json!({"memberId": 54164, "email": "leo@yeastar.com", "firstName": "Leo", "groupIds": [1],
                     "roleName": "User", "preferredBuildingName": "Yeastar"});
    server.mock(|when, then| {
        when.method(GET).path("/services/openapi/v1.0/user/user_detail/54164");
        then.status(200)
            .json_body(json!({"status": "Success", "requestId": "r", "data": leo}));
    });
    let update = |with_image: bool| {
        server.mock(move |when, then| {
            let when = when.method(PUT).path("/services/openapi/v1.0/user/user_update");
            if with_image {
                when.body_includes("\"imageBase64\":\"data:image/png;base64,");
            } else {
                when.body_excludes("imageBase64");
            }
            then.status(200)
                .json_body(json!({"status": "Success", "requestId": "r", "data": {"memberId": 54164}}));
        })
    };
    let (without, with) = (update(false), update(true));
    let base = [
        "wp",
        "user",
        "update",
        "54164",
        "--base-url",
        &url,
        "--access-token",
        "t",
    ];
    let mut args = base.to_vec();
    args.extend(["--first-name", "Leonard"]);
    let r = run_env(&args, &[]);
    assert_eq!(r.ok()["memberId"], 54164);
    assert!(
        r.stderr
            .starts_with("warning: Workplace cannot return a user's face image, so this update may clear it")
            && r.stderr.contains("--image FILE"),
        "{r:#?}"
    );
    // With an image: no warning, and the image is sent.
    let dir = TempDir::new("img");
    let png = dir.path().join("face.png");
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend_from_slice(&[0u8; 64]);
    std::fs::write(&png, &bytes).unwrap();
    let mut args = base.to_vec();
    args.extend(["--image", png.to_str().unwrap()]);
    let r = run_env(&args, &[]);
    assert_eq!(r.ok()["memberId"], 54164);
    assert_eq!(r.stderr, "");
    without.assert_calls(1);
    with.assert_calls(1);
}

#[test]
fn ycm_user_subscription_sends_all_four_totals_and_refuses_fewer() {
    let server = MockServer::start();
    let token = ycm_token(&server, GOOD, "AT-1");
    let put = server.mock(|when, then| {
        when.method(PUT)
            .path("/dm/open_api/v1/users/13329/subscription_info")
            .header("authorization", "Bearer AT-1")
            .json_body(
                json!({"totalExtensions": 100, "totalConcurrentCalls": 20, "totalRecordings": 10,
                              "minimumExtPerPbx": 5}),
            );
        then.status(200)
            .json_body(json!({"requestId": "sub-1", "status": "Success", "time": 1664437503}));
    });
    let all = [
        ("--total-extensions", "100"),
        ("--total-concurrent-calls", "20"),
        ("--total-recordings", "10"),
        ("--minimum-ext-per-pbx", "5"),
    ];
    let cache = TempDir::new("cache");
    let args = |skip: Option<usize>| -> Vec<String> {
        let mut a = vec!["user".to_owned(), "subscription".to_owned(), "13329".to_owned()];
        for (i, (k, v)) in all.iter().enumerate() {
            if Some(i) != skip {
                a.push((*k).to_owned());
                a.push((*v).to_owned());
            }
        }
        a
    };
    for (skip, (flag, _)) in all.iter().enumerate() {
        let a = args(Some(skip));
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let r = run_ycm_args(&server, &cache, &a);
        r.fails(2);
        assert!(r.stderr.contains(flag), "{r:#?}");
    }
    put.assert_calls(0);
    token.assert_calls(0);
    let a = args(None);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    assert_eq!(
        run_ycm_args(&server, &cache, &a).ok(),
        json!({"requestId": "sub-1", "time": 1664437503})
    );
    put.assert_calls(1);
}

fn run_ycm_args(server: &MockServer, cache: &TempDir, args: &[&str]) -> Run {
    let url = server.base_url();
    let mut all = vec!["ycm"];
    all.extend_from_slice(args);
    run_env(
        &all,
        &[
            ("YEASTAR_BASE_URL", &url),
            ("YEASTAR_CLIENT_ID", ID),
            ("YEASTAR_CLIENT_SECRET", GOOD),
            ("XDG_CACHE_HOME", cache.str()),
        ],
    )
}
