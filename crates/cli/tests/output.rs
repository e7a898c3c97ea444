//! Output formats on a pseudo-terminal and on a pipe; progress and colour only on a terminal.

mod common;

use common::{Run, Sb, TempDir, Tty, run_env, run_pty};
use httpmock::Method::GET;
use httpmock::MockServer;
use serde_json::{Value, json};

/// The sandbox's YCM users as JSON (read through a pipe, the script path).
fn ycm_users(sb: &Sb) -> Vec<Value> {
    let r = sb.run(common::P::Ycm, &["ycm", "user", "list"]);
    r.ok().as_array().unwrap().clone()
}

fn sandbox_env(sb: &Sb) -> Vec<(&'static str, String)> {
    let (id, secret) = common::P::Ycm.demo();
    vec![
        ("YEASTAR_BASE_URL", sb.url()),
        ("YEASTAR_CLIENT_ID", id.to_owned()),
        ("YEASTAR_CLIENT_SECRET", secret.to_owned()),
    ]
}

fn run_in(sb: &Sb, args: &[&str], tty: Option<Tty>) -> Run {
    let env = sandbox_env(sb);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    match tty {
        Some(t) => run_pty(args, &env, t),
        None => run_env(args, &env),
    }
}

#[track_caller]
fn assert_table(out: &str, users: &[Value]) {
    let lines: Vec<&str> = out.lines().collect();
    // Header: the columns an admin looks for first, in that order, and only those.
    let header = lines.iter().find(|l| l.contains("userId")).expect("a header row");
    let cols: Vec<&str> = header
        .split(['│', '┆'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        cols,
        ["userId", "email", "firstName", "lastName", "company", "userType"],
        "{out}"
    );
    for u in users {
        let row = lines
            .iter()
            .find(|l| l.contains(u["email"].as_str().unwrap()))
            .unwrap_or_else(|| panic!("a row for {u}: {out}"));
        assert!(row.contains(&u["userId"].to_string()), "{row}");
        assert!(row.contains(u["userType"].as_str().unwrap()), "{row}");
        assert!(!row.contains("twoFactor"), "{row}");
    }
    assert!(serde_json::from_str::<Value>(out).is_err(), "not JSON: {out}");
}

#[test]
fn default_is_a_table_on_a_terminal_and_json_on_a_pipe() {
    let sb = Sb::start();
    let users = ycm_users(&sb);
    assert!(users.len() >= 3, "{users:?}");

    let r = run_in(&sb, &["ycm", "user", "list"], Some(Tty::Stdout));
    assert_eq!(r.code, 0, "{r:#?}");
    assert_table(&r.stdout, &users);

    let r = run_in(&sb, &["ycm", "user", "list"], None);
    assert_eq!(r.json(), Value::Array(users.clone()));

    // One record on a terminal: a field/value table of every field.
    let r = run_in(&sb, &["ycm", "user", "get", "13329"], Some(Tty::Stdout));
    assert_eq!(r.code, 0, "{r:#?}");
    let u = users.iter().find(|u| u["userId"] == 13329).unwrap();
    for (k, v) in u.as_object().unwrap() {
        let line = r
            .stdout
            .lines()
            .find(|l| l.split(['│', '┆']).nth(1).map(str::trim) == Some(k.as_str()))
            .unwrap_or_else(|| panic!("{k}: {}", r.stdout));
        let shown = v.as_str().map_or(v.to_string(), str::to_owned);
        assert!(line.contains(&shown), "{line}");
    }
}

#[test]
fn every_format_is_the_same_on_a_terminal_and_on_a_pipe() {
    let sb = Sb::start();
    let users = ycm_users(&sb);
    for tty in [Some(Tty::Stdout), None] {
        // json: one array.
        let r = run_in(&sb, &["ycm", "user", "list", "-o", "json"], tty);
        assert_eq!(r.json(), Value::Array(users.clone()), "{tty:?}");

        // jsonl: one user per line.
        let r = run_in(&sb, &["ycm", "user", "list", "--output", "jsonl"], tty);
        assert_eq!(r.code, 0, "{r:#?}");
        let lines: Vec<Value> = r.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines, users, "{tty:?}");
        let r = run_in(&sb, &["ycm", "user", "get", "13329", "-o", "jsonl"], tty);
        assert_eq!(r.stdout.lines().count(), 1, "{r:#?}");
        assert_eq!(serde_json::from_str::<Value>(&r.stdout).unwrap()["userId"], 13329);

        // table, asked for.
        let r = run_in(&sb, &["ycm", "user", "list", "-o", "table"], tty);
        assert_eq!(r.code, 0, "{r:#?}");
        assert_table(&r.stdout, &users);

        // csv: a header of the API's field names (preferred first), one row per user.
        let r = run_in(&sb, &["ycm", "user", "list", "-o", "csv"], tty);
        assert_eq!(r.code, 0, "{r:#?}");
        let mut rows = csv_rows(&r.stdout);
        let header = rows.remove(0);
        assert_eq!(
            header[..6],
            ["userId", "email", "firstName", "lastName", "company", "userType"]
        );
        assert_eq!(rows.len(), users.len());
        for (row, u) in rows.iter().zip(&users) {
            for (k, cell) in header.iter().zip(row) {
                let want = match &u[k] {
                    Value::Null => String::new(),
                    Value::String(s) => s.clone(),
                    v => v.to_string(),
                };
                assert_eq!(cell, &want, "{k} of {u}");
            }
        }
    }
}

/// CSV rows read by hand: quoted fields, commas, doubled quotes (what the `csv` crate writes),
/// so that the test does not trust the writer to read itself.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for line in text.lines() {
        let mut fields = Vec::new();
        let mut cur = String::new();
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    cur.push('"');
                    chars.next();
                }
                ('"', _) => quoted = !quoted,
                (',', false) => fields.push(std::mem::take(&mut cur)),
                (c, _) => cur.push(c),
            }
        }
        fields.push(cur);
        rows.push(fields);
    }
    rows
}

#[test]
fn lists_in_csv_are_joined_with_semicolons() {
    let sb = Sb::start();
    let (id, secret) = common::P::Wp.demo();
    let url = sb.url();
    let r = run_env(
        &["wp", "user", "list", "-o", "csv"],
        &[
            ("YEASTAR_BASE_URL", &url),
            ("YEASTAR_CLIENT_ID", id),
            ("YEASTAR_CLIENT_SECRET", secret),
        ],
    );
    assert_eq!(r.code, 0, "{r:#?}");
    let header = r.stdout.lines().next().unwrap();
    assert!(
        header.starts_with("memberId,email,firstName,lastName,roleName,groupIds,inviteStatus"),
        "{header}"
    );
    assert!(r.stdout.contains(",1000127;1000128,"), "{}", r.stdout);
}

/// YCM's token endpoint on a mock server.
fn ycm_token(server: &MockServer) {
    server.mock(|when, then| {
        when.method(httpmock::Method::POST).path("/dm/open_api/oauth/token");
        then.status(200)
            .json_body(json!({"access_token": "AT-p", "token_type": "bearer", "expires_in": 1800}));
    });
}

/// The environment pointing the CLI at a mock server, with a cache of its own.
fn mock_env<'a>(url: &'a str, cache: &'a TempDir) -> [(&'static str, &'a str); 4] {
    [
        ("YEASTAR_BASE_URL", url),
        ("YEASTAR_CLIENT_ID", "id"),
        ("YEASTAR_CLIENT_SECRET", "secret"),
        ("XDG_CACHE_HOME", cache.str()),
    ]
}

/// Two pages of YCM users on a mock server.
fn two_pages(server: &MockServer) {
    ycm_token(server);
    for (n, list) in [(1, json!([{"userId": 1}, {"userId": 2}])), (2, json!([{"userId": 3}]))] {
        server.mock(move |when, then| {
            when.method(GET)
                .path("/dm/open_api/v2/users")
                .query_param("pageNumber", n.to_string());
            then.status(200).json_body(json!({"requestId": "r", "status": "Success",
                "data": {"pageSize": 2, "pageNumber": n, "total": 3, "list": list}}));
        });
    }
}

#[test]
fn progress_only_when_stderr_is_a_terminal_and_more_than_one_page_is_read() {
    let server = MockServer::start();
    two_pages(&server);
    let url = server.base_url();
    let cache = TempDir::new("cache");
    let env = mock_env(&url, &cache);
    let r = run_pty(&["ycm", "user", "list"], &env, Tty::Stderr);
    assert_eq!(r.code, 0, "{r:#?}");
    assert_eq!(r.json(), json!([{"userId": 1}, {"userId": 2}, {"userId": 3}]));
    assert!(r.stderr.contains("reading users"), "{r:#?}");
    // On a pipe: nothing on stderr.
    let r = run_env(&["ycm", "user", "list"], &env);
    assert_eq!(r.json(), json!([{"userId": 1}, {"userId": 2}, {"userId": 3}]));
    assert_eq!(r.stderr, "");
    // One page on a terminal: no progress.
    let sb = Sb::start();
    let r = run_in(&sb, &["ycm", "user", "list"], Some(Tty::Stderr));
    assert_eq!(r.code, 0, "{r:#?}");
    assert_eq!(r.stderr, "", "{r:#?}");
}

#[test]
fn export_shows_a_spinner_only_on_a_terminal() {
    let server = MockServer::start();
    ycm_token(&server);
    // A slow listing, so that the spinner (ticking every 120 ms) is drawn at least once.
    server.mock(|when, then| {
        when.method(GET).path("/dm/open_api/v2/users");
        then.status(200).delay(std::time::Duration::from_millis(600)).json_body(
            json!({"requestId": "r", "status": "Success",
                "data": {"pageSize": 50, "pageNumber": 1, "total": 1,
                         "list": [{"userId": 1, "email": "a@example.com", "userType": "Reseller"}]}}),
        );
    });
    let url = server.base_url();
    let cache = TempDir::new("cache");
    let env = mock_env(&url, &cache);
    let r = run_pty(&["ycm", "user", "export", "--format", "jsonl"], &env, Tty::Stderr);
    assert_eq!(r.code, 0, "{r:#?}");
    assert!(r.stdout.contains("a@example.com"), "{r:#?}");
    assert!(r.stderr.contains("reading every user"), "{r:#?}");
    // On a pipe: the same export, nothing on stderr.
    let r = run_env(&["ycm", "user", "export", "--format", "jsonl"], &env);
    assert_eq!(r.code, 0, "{r:#?}");
    assert!(r.stdout.contains("a@example.com"), "{r:#?}");
    assert_eq!(r.stderr, "", "{r:#?}");
}

#[test]
fn errors_are_coloured_only_on_a_terminal_without_no_color() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(GET).path("/dm/open_api/v1/users/9");
        then.status(200)
            .json_body(json!({"requestId": "r9", "status": "Failed", "errcode": 40004, "errmsg": "USER NOT EXIST"}));
    });
    let url = server.base_url();
    let args = ["ycm", "user", "get", "9", "--access-token", "t", "--base-url", &url];
    let r = run_pty(&args, &[], Tty::Stderr);
    assert_eq!(r.code, 1, "{r:#?}");
    assert!(
        r.stderr.contains("\x1b[") && r.stderr.contains("USER NOT EXIST"),
        "{r:#?}"
    );
    let r = run_pty(&args, &[("NO_COLOR", "1")], Tty::Stderr);
    assert_eq!(r.code, 1, "{r:#?}");
    assert!(r.stderr.starts_with("error: ") && !r.stderr.contains('\x1b'), "{r:#?}");
    let r = run_env(&args, &[("TERM", "xterm")]);
    assert_eq!(r.code, 1, "{r:#?}");
    assert!(r.stderr.starts_with("error: ") && !r.stderr.contains('\x1b'), "{r:#?}");
}

#[test]
fn server_text_reaches_a_terminal_stdout_without_escape_sequences() {
    // A first name that would retitle the window and clear the screen, and a field name of the
    // same (table headers come from the records' keys when no preferred column is there).
    let evil = "X\u{1b}]0;pwned\u{7}\u{1b}[2JY";
    let server = MockServer::start();
    ycm_token(&server);
    server.mock(|when, then| {
        when.method(GET).path("/dm/open_api/v2/users");
        then.status(200).json_body(json!({"requestId": "r", "status": "Success",
            "data": {"pageSize": 10, "pageNumber": 1, "total": 3,
                     "list": [{"userId": 1, "firstName": evil}, {"userId": 2, "firstName": "A\u{1b}]0;never closed"},
                              {"userId": 3, "firstName": "Bob"}]}}));
    });
    server.mock(|when, then| {
        when.method(GET).path("/dm/open_api/v2/cloud_pbx/instances");
        then.status(200).json_body(json!({"requestId": "r", "status": "Success",
            "data": {"pageSize": 10, "pageNumber": 1, "total": 1,
                     "list": [{"sn": "S1", format!("{evil}column"): "v"}]}}));
    });
    let url = server.base_url();
    let cache = TempDir::new("cache");
    let env = mock_env(&url, &cache);
    for args in [
        &["ycm", "user", "list", "-o", "csv"][..],
        &["ycm", "user", "list", "-o", "table"],
        &["ycm", "pbx", "list", "-o", "table"],
        &["ycm", "pbx", "list", "-o", "csv"],
    ] {
        let r = run_pty(args, &env, Tty::Stdout);
        assert_eq!(r.code, 0, "{args:?}: {r:#?}");
        assert!(r.stdout.contains("XY"), "{args:?}: {r:#?}");
        // A sequence left open hides nothing after its own line.
        if args[1] == "user" {
            assert!(r.stdout.contains("Bob"), "{args:?}: {r:#?}");
        }
        assert!(
            !r.stdout.contains('\u{1b}') && !r.stdout.contains('\u{7}'),
            "{args:?}: {:?}",
            r.stdout
        );
    }
    // Through a pipe, CSV keeps the data as it is (an export must not change it).
    let r = run_env(&["ycm", "user", "list", "-o", "csv"], &env);
    assert!(r.stdout.contains(evil), "{r:#?}");
}
