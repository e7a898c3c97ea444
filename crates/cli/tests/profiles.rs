//! Profiles: a temporary config file; per-product credentials and hosts; flags and environment
//! override each setting; bad files; permissions; secrets from the environment and commands;
//! `profile list|show|add`; `auth status|token`.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use common::{Run, TempDir, Tty, run_env, spawn_pty};
use httpmock::Method::{GET, POST};
use httpmock::{Mock, MockServer};
use serde_json::{Value, json};

const PP_TOKEN: &str = "/auth/openapi/v1/oauth/token";
const YCM_TOKEN: &str = "/dm/open_api/oauth/token";
const WP_TOKEN: &str = "/services/openapi/v1.0/authentication/get_token";

fn pp_token<'a>(server: &'a MockServer, id: &str, secret: &str, token: &str) -> Mock<'a> {
    server.mock(|when, then| {
        when.method(POST)
            .path(PP_TOKEN)
            .form_urlencoded_tuple("client_id", id)
            .form_urlencoded_tuple("client_secret", secret);
        then.status(200)
            .json_body(json!({"code": "success", "status": 200, "requestId": "t",
            "result": {"token": token, "expiresIn": "1800", "tokenHead": "Bearer "}}));
    })
}

fn ycm_token<'a>(server: &'a MockServer, id: &str, secret: &str, token: &str) -> Mock<'a> {
    server.mock(|when, then| {
        when.method(POST)
            .path(YCM_TOKEN)
            .form_urlencoded_tuple("client_id", id)
            .form_urlencoded_tuple("client_secret", secret);
        then.status(200)
            .json_body(json!({"access_token": token, "token_type": "bearer", "expires_in": 1800}));
    })
}

fn wp_token<'a>(server: &'a MockServer, id: &str, secret: &str, token: &str) -> Mock<'a> {
    server.mock(|when, then| {
        when.method(POST)
            .path(WP_TOKEN)
            .form_urlencoded_tuple("client_id", id)
            .form_urlencoded_tuple("client_secret", secret);
        then.status(200)
            .json_body(json!({"access_token": token, "expires_in": 86400}));
    })
}

fn ycm_user<'a>(server: &'a MockServer, token: &str) -> Mock<'a> {
    server.mock(|when, then| {
        when.method(GET)
            .path("/dm/open_api/v1/users/1")
            .header("authorization", format!("Bearer {token}"));
        then.status(200)
            .json_body(json!({"requestId": "r", "status": "Success", "data": {"userId": 1}}));
    })
}

/// A home directory with a config file.
struct Home {
    dir: TempDir,
}

impl Home {
    fn new(config: &str) -> Self {
        let dir = TempDir::new("profiles");
        let h = Self { dir };
        std::fs::create_dir_all(h.config_path().parent().unwrap()).unwrap();
        std::fs::write(h.config_path(), config).unwrap();
        std::fs::set_permissions(h.config_path(), std::fs::Permissions::from_mode(0o600)).unwrap();
        h
    }

    fn config_path(&self) -> PathBuf {
        self.dir.path().join("config").join("yeastar").join("config.toml")
    }

    /// Runs with this home (the config file in its default place) and `env`.
    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let config = self.dir.path().join("config");
        let cache = self.dir.path().join("cache");
        let mut all = vec![
            ("XDG_CONFIG_HOME", config.to_str().unwrap()),
            ("XDG_CACHE_HOME", cache.to_str().unwrap()),
        ];
        all.extend_from_slice(env);
        run_env(args, &all)
    }
}

#[test]
fn each_product_uses_its_own_credentials_and_host_from_the_profile() {
    let (pp, ycm, wp) = (MockServer::start(), MockServer::start(), MockServer::start());
    let secret_file = TempDir::new("secret");
    let secret_path = secret_file.path().join("pp-secret");
    std::fs::write(&secret_path, "pp-SECRET-from-command\n").unwrap();
    let home = Home::new(&format!(
        r#"default_profile = "acme"

[profiles.acme.partner-portal]
client_id = "acme-pp"
client_secret_command = "cat '{}'"
base_url = "{}"

[profiles.acme.ycm]
client_id = "acme-ycm"
client_secret = "acme-ycm-SECRET-literal"
base_url = "{}"

[profiles.acme.workplace]
client_id = "acme-wp"
client_secret_env = "ACME_WP_SECRET"
base_url = "{}"

[profiles.globex.ycm]
client_id = "globex-ycm"
client_secret = "globex-ycm-SECRET"
base_url = "{}"
"#,
        secret_path.display(),
        pp.base_url(),
        ycm.base_url(),
        wp.base_url(),
        ycm.base_url(),
    ));
    let pp_t = pp_token(&pp, "acme-pp", "pp-SECRET-from-command", "AT-pp");
    let pp_get = pp.mock(|when, then| {
        when.method(GET)
            .path("/user/openapi/user/v1/subordinate_user/a@example.com")
            .header("authorization", "Bearer AT-pp");
        then.status(200).json_body(
            json!({"code": "success", "status": 200, "requestId": "r", "result": {"email": "a@example.com"}}),
        );
    });
    let ycm_t = ycm_token(&ycm, "acme-ycm", "acme-ycm-SECRET-literal", "AT-ycm");
    let ycm_get = ycm_user(&ycm, "AT-ycm");
    let wp_t = wp_token(&wp, "acme-wp", "wp-SECRET-from-env", "AT-wp");
    let wp_get = wp.mock(|when, then| {
        when.method(GET)
            .path("/services/openapi/v1.0/user/group_detail/8")
            .header("authorization", "Bearer AT-wp");
        then.status(200)
            .json_body(json!({"status": "Success", "requestId": "r", "data": {"groupId": 8}}));
    });
    let env = [("ACME_WP_SECRET", "wp-SECRET-from-env"), ("RUST_LOG", "trace")];

    let r = home.run(&["pp", "user", "get", "a@example.com"], &env);
    assert_eq!(r.ok()["email"], "a@example.com");
    let r2 = home.run(&["ycm", "user", "get", "1"], &env);
    assert_eq!(r2.ok()["userId"], 1);
    let r3 = home.run(&["wp", "group", "get", "8"], &env);
    assert_eq!(r3.ok()["groupId"], 8);
    for (m, n) in [
        (&pp_t, 1),
        (&pp_get, 1),
        (&ycm_t, 1),
        (&ycm_get, 1),
        (&wp_t, 1),
        (&wp_get, 1),
    ] {
        m.assert_calls(n);
    }
    // Neither the secret from the environment nor the command's output is ever shown, even at
    // RUST_LOG=trace.
    for r in [&r, &r2, &r3] {
        assert!(r.stderr.contains("yeastar.call"), "tracing is on: {r:#?}");
        for secret in [
            "pp-SECRET-from-command",
            "wp-SECRET-from-env",
            "acme-ycm-SECRET-literal",
        ] {
            assert!(!r.all_output().contains(secret), "{secret} leaked: {r:#?}");
        }
    }

    // --profile and YEASTAR_PROFILE choose another profile; the flag wins.
    let globex_t = ycm_token(&ycm, "globex-ycm", "globex-ycm-SECRET", "AT-globex");
    let globex_get = ycm_user(&ycm, "AT-globex");
    home.run(&["ycm", "user", "get", "1", "--profile", "globex"], &[]).ok();
    home.run(&["ycm", "user", "get", "1"], &[("YEASTAR_PROFILE", "globex")])
        .ok();
    home.run(
        &["ycm", "user", "get", "1", "--profile", "acme"],
        &[("YEASTAR_PROFILE", "globex")],
    )
    .ok();
    globex_t.assert_calls(1);
    globex_get.assert_calls(2);
    ycm_get.assert_calls(2);

    // A profile that does not exist: exit 2, nothing sent.
    let r = home.run(&["ycm", "user", "get", "1", "--profile", "initech"], &[]);
    r.fails(2);
    assert!(r.stderr.contains("no profile `initech`"), "{r:#?}");
    assert!(r.stderr.contains("yeastar profile list"), "{r:#?}");
    // A missing variable or a failing command: exit 2, with the profile named.
    let r = home.run(&["wp", "group", "get", "8"], &[]);
    r.fails(2);
    assert!(
        r.stderr.contains("ACME_WP_SECRET") && r.stderr.contains("profile `acme`"),
        "{r:#?}"
    );
    std::fs::remove_file(&secret_path).unwrap();
    let r = home.run(&["pp", "user", "get", "a@example.com"], &[]);
    r.fails(2);
    assert!(r.stderr.contains("client_secret_command of profile `acme`"), "{r:#?}");
    wp_t.assert_calls(1);
    pp_t.assert_calls(1);
}

#[test]
fn flags_and_environment_override_each_setting() {
    let server = MockServer::start();
    let other = MockServer::start();
    let home = Home::new(
        r#"[profiles.default.ycm]
client_id = "p-id"
client_secret = "p-secret"
base_url = "http://127.0.0.1:9"
"#,
    );
    let url = server.base_url();
    let other_url = other.base_url();
    let get = ycm_user(&server, "AT");
    let other_get = ycm_user(&other, "AT");
    // (flags, environment, the credentials the token request must carry, on the other server)
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], (&'a str, &'a str), bool);
    let cases: [Case<'_>; 7] = [
        // base URL: environment over profile; flag over environment.
        (&[], &[("YEASTAR_BASE_URL", &url)], ("p-id", "p-secret"), false),
        (
            &["--base-url", &other_url],
            &[("YEASTAR_BASE_URL", &url)],
            ("p-id", "p-secret"),
            true,
        ),
        // client id: environment over profile (the profile's secret stays); flag over environment.
        (
            &[],
            &[("YEASTAR_BASE_URL", &url), ("YEASTAR_CLIENT_ID", "e-id")],
            ("e-id", "p-secret"),
            false,
        ),
        (
            &["--client-id", "f-id"],
            &[("YEASTAR_BASE_URL", &url), ("YEASTAR_CLIENT_ID", "e-id")],
            ("f-id", "p-secret"),
            false,
        ),
        // client secret: the same.
        (
            &[],
            &[("YEASTAR_BASE_URL", &url), ("YEASTAR_CLIENT_SECRET", "e-secret")],
            ("p-id", "e-secret"),
            false,
        ),
        (
            &["--client-secret", "f-secret"],
            &[("YEASTAR_BASE_URL", &url), ("YEASTAR_CLIENT_SECRET", "e-secret")],
            ("p-id", "f-secret"),
            false,
        ),
        // The profile alone (its base URL, overridden here by the flag only).
        (&["--base-url", &url], &[], ("p-id", "p-secret"), false),
    ];
    for (i, (flags, env, (id, secret), on_other)) in cases.into_iter().enumerate() {
        let s = if on_other { &other } else { &server };
        let mut token = ycm_token(s, id, secret, "AT");
        let mut args = vec!["ycm", "user", "get", "1", "--no-token-cache"];
        args.extend_from_slice(flags);
        let r = home.run(&args, env);
        assert_eq!(r.ok()["userId"], 1, "case {i}");
        token.assert_calls(1);
        token.delete();
    }
    get.assert_calls(6);
    other_get.assert_calls(1);
    // An access token given by flag or environment replaces the profile's credentials.
    let r = home.run(
        &["ycm", "user", "get", "1", "--base-url", &url],
        &[("YEASTAR_ACCESS_TOKEN", "AT")],
    );
    assert_eq!(r.ok()["userId"], 1);
    get.assert_calls(7);
}

#[test]
fn a_bad_file_names_the_line_and_exits_2() {
    let server = MockServer::start();
    let token = ycm_token(&server, "x", "y", "AT");
    let url = server.base_url();
    for (text, line, word) in [
        (
            "[profiles.acme.ycm]\nclient_id = \"x\"\nclient_secert = \"y-TYPO-SECRET\"\n",
            3,
            "client_secert",
        ),
        ("# tenants\n\n[profiles.acme.ycn]\nclient_id = \"x\"\n", 3, "ycn"),
        ("[profiles.acme.ycm]\nclient_id = \"x\"\nregion = \"eu\"\n", 3, "region"),
        (
            "[profiles.acme.ycm]\nclient_id = \"x\"\nclient_secret = \"y\"\nclient_secret_env = \"V\"\n",
            4,
            "client_secret_env",
        ),
        ("default_profile = \"nope\"\n", 1, "nope"),
        ("[profiles.acme.ycm]\nclient_id = x\n", 2, ""),
    ] {
        let home = Home::new(text);
        let r = home.run(
            &["ycm", "user", "get", "1", "--base-url", &url, "--profile", "acme"],
            &[],
        );
        r.fails(2);
        let path = home.config_path();
        let at = format!("{}:{line}:", path.display());
        assert!(r.stderr.contains(&at), "{at}: {r:#?}");
        assert!(r.stderr.contains(word), "{word}: {r:#?}");
        assert!(!r.stderr.contains("TYPO-SECRET"), "{r:#?}");
        // --config names the same file from elsewhere.
        let r = run_env(
            &[
                "--config",
                path.to_str().unwrap(),
                "ycm",
                "user",
                "get",
                "1",
                "--base-url",
                &url,
            ],
            &[],
        );
        r.fails(2);
        assert!(r.stderr.contains(&at), "{r:#?}");
    }
    // A config file named explicitly must exist.
    let r = run_env(&["--config", "/nonexistent/yeastar.toml", "profile", "list"], &[]);
    r.fails(2);
    assert!(r.stderr.contains("/nonexistent/yeastar.toml"), "{r:#?}");
    token.assert_calls(0);
}

#[test]
fn a_secret_in_a_file_others_can_read_warns() {
    let server = MockServer::start();
    ycm_token(&server, "id", "file-secret", "AT");
    ycm_user(&server, "AT");
    let url = server.base_url();
    let home = Home::new(&format!(
        "[profiles.default.ycm]\nclient_id = \"id\"\nclient_secret = \"file-secret\"\nbase_url = \"{url}\"\n"
    ));
    let path = home.config_path();
    for (mode, warns) in [(0o640, true), (0o604, true), (0o600, false), (0o400, false)] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        let r = home.run(&["ycm", "user", "get", "1"], &[]);
        assert_eq!(r.ok()["userId"], 1);
        let expected = format!("run chmod 600 {}", path.display());
        assert_eq!(
            r.stderr.starts_with("warning: ") && r.stderr.contains(&expected),
            warns,
            "{mode:o}: {r:#?}"
        );
        assert!(!r.stderr.contains("file-secret"), "{r:#?}");
    }
    // No secret in the file: no warning whatever its mode.
    std::fs::write(
        &path,
        format!("[profiles.default.ycm]\nclient_id = \"id\"\nclient_secret_env = \"S\"\nbase_url = \"{url}\"\n"),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let r = home.run(&["ycm", "user", "get", "1"], &[("S", "file-secret")]);
    assert_eq!(r.ok()["userId"], 1);
    assert_eq!(r.stderr, "");
}

#[test]
fn a_config_file_others_can_write_is_refused() {
    // Whoever can write the file chooses the base URL the secret goes to and the command that
    // produces it (run as you): like ssh, the CLI refuses such a file.
    let server = MockServer::start();
    let any = server.mock(|when, then| {
        when.is_true(|_| true);
        then.status(500);
    });
    let url = server.base_url();
    let scratch = TempDir::new("scratch");
    let marker = scratch.path().join("ran");
    let home = Home::new(&format!(
        "[profiles.default.ycm]\nclient_id = \"id\"\nclient_secret_command = \"touch {} && echo s\"\nbase_url = \"{url}\"\n",
        marker.display()
    ));
    let path = home.config_path();
    for mode in [0o666, 0o620, 0o602] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        let r = home.run(&["ycm", "user", "get", "1"], &[]);
        r.fails(2);
        assert!(
            r.stderr.contains("can be written by group or others")
                && r.stderr.contains(&format!("chmod go-w {}", path.display())),
            "{mode:o}: {r:#?}"
        );
        assert!(!marker.exists(), "{mode:o}: the command ran");
    }
    any.assert_calls(0);
    // `profile add` does not adopt such a file either (it would rewrite it as the user's own).
    let r = home.run(
        &[
            "profile",
            "add",
            "x",
            "--product",
            "ycm",
            "--client-id",
            "i",
            "--client-secret-env",
            "V",
        ],
        &[],
    );
    r.fails(2);
    assert!(r.stderr.contains("can be written by group or others"), "{r:#?}");
    // Owned by another (non-root) user, whatever its mode (only root can arrange that here).
    if rustix::process::geteuid().is_root() {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::os::unix::fs::chown(&path, Some(4242), None).unwrap();
        let r = home.run(&["ycm", "user", "get", "1"], &[]);
        r.fails(2);
        assert!(r.stderr.contains("is owned by another user (uid 4242"), "{r:#?}");
        assert!(!marker.exists(), "the command ran");
        std::os::unix::fs::chown(&path, Some(0), None).unwrap();
    }
    any.assert_calls(0);
    // Readable by others but not writable: used.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let r = home.run(&["ycm", "auth", "status", "--no-token-cache"], &[]);
    assert!(marker.exists(), "{r:#?}");
}

#[test]
fn profile_add_list_and_show_without_a_terminal() {
    let home = Home::new(
        "# my tenants\n\n[profiles.acme.ycm]\nclient_id = \"acme-ycm\" # from the YCM console\nclient_secret_env = \"ACME_YCM\"\n",
    );
    let path = home.config_path();
    // Flags (and YEASTAR_* variables) without a terminal.
    let r = home.run(
        &[
            "profile",
            "add",
            "globex",
            "--product",
            "workplace",
            "--client-id",
            "globex-wp",
            "--region",
            "eu",
            "--default",
        ],
        &[("YEASTAR_CLIENT_SECRET", "globex-wp-SECRET")],
    );
    assert_eq!(r.code, 0, "{r:#?}");
    assert!(r.stderr.contains("saved [profiles.globex.workplace]"), "{r:#?}");
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("# my tenants\n\n[profiles.acme.ycm]"),
        "comments kept: {text}"
    );
    assert!(text.contains("# from the YCM console"), "{text}");
    assert!(text.contains("default_profile = \"globex\""), "{text}");
    assert!(text.contains("[profiles.globex.workplace]"), "{text}");
    let r = home.run(
        &[
            "profile",
            "add",
            "globex",
            "--product",
            "partner-portal",
            "--client-id",
            "globex-pp",
            "--client-secret-command",
            "pass show yeastar/globex-pp",
            "--base-url",
            "https://pp.example",
        ],
        &[],
    );
    assert_eq!(r.code, 0, "{r:#?}");

    let r = home.run(&["profile", "list"], &[]);
    assert_eq!(
        r.ok(),
        json!([
            {"name": "acme", "default": false, "products": ["ycm"]},
            {"name": "globex", "default": true, "products": ["partner-portal", "workplace"]}
        ])
    );
    // `show` without a name: the profile in use (the default).
    let r = home.run(&["profile", "show"], &[]);
    assert_eq!(
        r.ok(),
        json!({"name": "globex", "default": true,
               "partner-portal": {"client_id": "globex-pp", "client_secret_command": "pass show yeastar/globex-pp",
                                  "base_url": "https://pp.example"},
               "workplace": {"client_id": "globex-wp", "client_secret": "<redacted>", "region": "eu"}})
    );
    let r = home.run(&["profile", "show", "globex", "-o", "csv"], &[]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert!(r.stdout.starts_with("product,setting,value\n"), "{r:#?}");
    assert!(r.stdout.contains("workplace,client_secret,<redacted>\n"), "{r:#?}");
    assert!(!r.all_output().contains("globex-wp-SECRET"), "{r:#?}");

    // No secret and no terminal to ask on: exit 2, the file unchanged.
    let before = std::fs::read_to_string(&path).unwrap();
    let r = home.run(&["profile", "add", "x", "--product", "ycm", "--client-id", "i"], &[]);
    r.fails(2);
    assert!(r.stderr.contains("--client-secret-env"), "{r:#?}");
    let r = home.run(&["profile", "add", "x", "--product", "ycm"], &[]);
    r.fails(2);
    assert!(r.stderr.contains("--client-id"), "{r:#?}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
}

#[test]
fn profile_add_prompts_on_a_terminal_and_does_not_echo_the_secret() {
    let home = TempDir::new("prompt");
    let config = home.path().join("new").join("config.toml");
    let mut c = spawn_pty(
        &[
            "--config",
            config.to_str().unwrap(),
            "profile",
            "add",
            "acme",
            "--product",
            "ycm",
        ],
        &[],
        Tty::All,
    );
    c.pty.wait_for("YCM client id: ");
    c.pty.type_text("typed-client-id\n");
    c.pty.wait_for("YCM client secret (not shown): ");
    c.pty.type_text("typed-SECRET-42\n");
    let status = c.child.wait().unwrap();
    let screen = c.pty.finish();
    assert!(status.success(), "{screen}");
    assert!(screen.contains("typed-client-id"), "the id is echoed: {screen}");
    assert!(!screen.contains("typed-SECRET-42"), "the secret is not: {screen}");
    assert!(screen.contains("saved [profiles.acme.ycm]"), "{screen}");
    let text = std::fs::read_to_string(&config).unwrap();
    let parsed: Value = {
        // The file is read back by the CLI itself.
        let r = run_env(&["--config", config.to_str().unwrap(), "profile", "show", "acme"], &[]);
        assert!(!r.all_output().contains("typed-SECRET-42"));
        r.ok()
    };
    assert_eq!(
        parsed,
        json!({"name": "acme", "default": false, "ycm": {"client_id": "typed-client-id", "client_secret": "<redacted>"}})
    );
    assert!(text.contains("client_secret = \"typed-SECRET-42\""), "{text}");
    assert_eq!(std::fs::metadata(&config).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(
        std::fs::metadata(config.parent().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o700
    );
}

#[test]
fn auth_status_and_token() {
    let server = MockServer::start();
    let url = server.base_url();
    let home = Home::new(&format!(
        "[profiles.acme.ycm]\nclient_id = \"acme-ycm\"\nclient_secret_env = \"S\"\nbase_url = \"{url}\"\n"
    ));
    let token = ycm_token(&server, "acme-ycm", "good", "AT-status-1");
    let env = [("S", "good"), ("YEASTAR_PROFILE", "acme")];
    let r = home.run(&["ycm", "auth", "status"], &env);
    let s = r.ok();
    assert_eq!(s["profile"], "acme");
    assert_eq!(s["product"], "ycm");
    assert_eq!(s["baseUrl"], url);
    assert_eq!(s["clientId"], "acme-ycm");
    assert_eq!(s["credentialsFrom"], "profile `acme` (ycm): client_secret_env");
    assert_eq!(s["token"], "obtained");
    assert!(s["tokenExpiresAt"].as_str().unwrap().ends_with('Z'), "{s}");
    assert!(s.get("cachedTokenExpiresAt").is_none(), "nothing cached yet: {s}");
    assert!(!r.all_output().contains("AT-status-1") && !r.all_output().contains("good\""));
    // The second time the cached token is reported, and no token is requested.
    let s = home.run(&["ycm", "auth", "status"], &env).ok();
    assert_eq!(s["cachedTokenExpiresAt"], s["tokenExpiresAt"], "{s}");
    token.assert_calls(1);

    // auth token: the bare token on stdout, for $(…); JSON on request.
    let r = home.run(&["ycm", "auth", "token"], &env);
    assert_eq!((r.code, r.stdout.as_str()), (0, "AT-status-1\n"), "{r:#?}");
    let j = home.run(&["ycm", "auth", "token", "-o", "json"], &env).ok();
    assert_eq!(j["accessToken"], "AT-status-1");
    assert!(j["expiresAt"].is_string());
    token.assert_calls(1);

    // Refused credentials: exit 3, the status still shown, and what to do next.
    server.mock(|when, then| {
        when.method(POST)
            .path(YCM_TOKEN)
            .form_urlencoded_tuple("client_secret", "bad");
        then.status(401)
            .json_body(json!({"error": "invalid_client", "error_description": "Bad client credentials"}));
    });
    let r = home.run(
        &["ycm", "auth", "status", "--no-token-cache"],
        &[("S", "bad"), ("YEASTAR_PROFILE", "acme")],
    );
    assert_eq!(r.code, 3, "{r:#?}");
    assert_eq!(r.json()["token"], "failed");
    assert!(r.stderr.contains("error: "), "{r:#?}");
    assert!(
        r.stderr.contains(
            "hint: check the client id and secret (profile `acme` (ycm): client_secret_env): `yeastar ycm auth status`"
        ),
        "{r:#?}"
    );
}
