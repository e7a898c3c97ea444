//! `yeastar <product> user import` and `user export`, run as the real binary against a sandbox
//! served by a runtime of its own (so that it outlives a killed CLI): reports against the
//! sandbox's state, writes counted in the sandbox's journal, exit codes, stdout kept clean,
//! and runs killed with SIGKILL at random points, then run again.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{BIN, P, Run, Sb, TempDir, Tty, run_pty};
use serde_json::{Value, json};
use yeastar_sandbox::{Fault, FaultRule, Method};

const YCM_USERS: &str = "/dm/open_api/v1/users";
const PP_SAVE: &str = "/user/openapi/user/v1/client/save_user";
const PP_EDIT: &str = "/user/openapi/user/v1/client/edit_user";
const WP_CREATE: &str = "/services/openapi/v1.0/user/user_create";
const WP_UPDATE: &str = "/services/openapi/v1.0/user/user_update";

/// What the tests need to know about a product.
#[derive(Debug, Clone, Copy)]
struct Prod {
    p: P,
    cmd: &'static str,
    /// The user id's field in a listed user.
    id: &'static str,
    /// The requests that write (method, path prefix).
    writes: &'static [(&'static str, &'static str)],
}

const YCM: Prod = Prod {
    p: P::Ycm,
    cmd: "ycm",
    id: "userId",
    writes: &[("POST", YCM_USERS), ("PUT", YCM_USERS)],
};
const PP: Prod = Prod {
    p: P::Pp,
    cmd: "pp",
    id: "partnerId",
    writes: &[("POST", PP_SAVE), ("POST", PP_EDIT)],
};
const WP: Prod = Prod {
    p: P::Wp,
    cmd: "wp",
    id: "memberId",
    writes: &[("POST", WP_CREATE), ("PUT", WP_UPDATE)],
};

/// The write requests the sandbox received since its journal was last cleared.
fn writes(sb: &Sb, prod: Prod) -> usize {
    sb.api_calls()
        .iter()
        .filter(|e| prod.writes.iter().any(|(m, p)| e.method == *m && e.path.starts_with(p)))
        .count()
}

/// `yeastar args…` against the sandbox with the product's demo credentials, `home` as HOME
/// and XDG_CACHE_HOME under it (so that runs sharing `home` share the default journal).
fn command(sb: &Sb, p: P, home: &Path, args: &[&str]) -> Command {
    let (id, secret) = p.demo();
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("HOME", home)
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("YEASTAR_BASE_URL", sb.url())
        .env("YEASTAR_CLIENT_ID", id)
        .env("YEASTAR_CLIENT_SECRET", secret)
        .args(args);
    cmd
}

fn run_with(mut cmd: Command, stdin: Option<&str>) -> Run {
    cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("the binary runs");
    if let Some(text) = stdin {
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn bulk(sb: &Sb, prod: Prod, home: &Path, args: &[&str]) -> Run {
    let mut all = vec![prod.cmd, "user"];
    all.extend_from_slice(args);
    run_with(command(sb, prod.p, home, &all), None)
}

/// Every user of the product in the sandbox, by lower-case email (through `user list`).
fn users(sb: &Sb, prod: Prod) -> BTreeMap<String, Vec<Value>> {
    let list = sb.run(prod.p, &[prod.cmd, "user", "list", "-o", "json"]).ok();
    let mut by_email: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for u in list.as_array().unwrap() {
        let email = u["email"].as_str().unwrap().to_lowercase();
        by_email.entry(email).or_default().push(u.clone());
    }
    by_email
}

fn jsonl(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l:?}")))
        .collect()
}

/// The report's (key, outcome) pairs, in row order.
fn outcomes(report: &[Value]) -> Vec<(String, String)> {
    report
        .iter()
        .map(|r| {
            (
                r["key"].as_str().unwrap().to_owned(),
                r["outcome"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(k, o)| ((*k).to_owned(), (*o).to_owned())).collect()
}

/// Checks each report line against the sandbox: the user exists exactly once, with the
/// report's id.
fn report_matches_state(sb: &Sb, prod: Prod, report: &[Value]) -> BTreeMap<String, Vec<Value>> {
    let state = users(sb, prod);
    for r in report {
        let key = r["key"].as_str().unwrap().to_lowercase();
        let found = state.get(&key).unwrap_or_else(|| panic!("{key} is missing: {r}"));
        assert_eq!(found.len(), 1, "{key} exists {} times", found.len());
        let id = &found[0][prod.id];
        let id = id.as_str().map_or_else(|| id.to_string(), str::to_owned);
        match r["id"].as_str() {
            Some(reported) => assert_eq!(reported, id, "{r}"),
            // Partner Portal's answer to a create carries no id.
            None => assert_eq!((prod.cmd, &r["outcome"]), ("pp", &json!("created")), "{r}"),
        }
    }
    state
}

const YCM_CSV: &str = "\
email,userType,company,firstName,lastName,phone,totalExtensions,totalConcurrentCalls,totalRecordings,minimumExtPerPBX
ada@acme.example,Reseller,Acme Telecom,Ada,Lovelace,+44 20 7946 0001,100,20,10,5
grace@navy.example,Reseller,Navy Voice,Grace,Hopper,,50,10,10,5
rita.reseller@example.com,Reseller,New Company Name,,,,,,,
";

const PP_CSV: &str = "\
email,company,country,firstName,lastName,phoneNumber,city,taxType,taxNum
it@example-gmbh.example,Example GmbH,Germany,Ada,Meyer,+49 30 123456,Berlin,VAT_number,DE123456789
color123@yeastar.com,Company Example,Chad,,,,Fuzhou,,
yaya@yeastar.com,,,,,,,,
";

const WP_CSV: &str = "\
email,firstName,lastName,groupNames,roleName,preferredBuildingName,preferredFloorName,phone
leo@yeastar.com,Leo,Ball,Yeastar Demo Co.;Sales,Administrator,Yeastar,2F,1325698753
amy.new@acme.example,Amy,Chen,Sales,User,Annex,G,
";

#[test]
fn import_per_product_reports_the_sandbox_state_and_a_second_run_writes_nothing() {
    type Check = fn(&BTreeMap<String, Vec<Value>>);
    type Case = (Prod, &'static str, &'static [(&'static str, &'static str)], Check);
    let cases: [Case; 3] = [
        (
            YCM,
            YCM_CSV,
            &[
                ("ada@acme.example", "created"),
                ("grace@navy.example", "created"),
                ("rita.reseller@example.com", "updated"),
            ],
            |state| {
                let ada = &state["ada@acme.example"][0];
                assert_eq!(
                    (&ada["company"], &ada["lastName"], &ada["phone"], &ada["userType"]),
                    (
                        &json!("Acme Telecom"),
                        &json!("Lovelace"),
                        &json!("+44 20 7946 0001"),
                        &json!("Reseller")
                    )
                );
                // Empty cells left Rita's other fields as they were.
                let rita = &state["rita.reseller@example.com"][0];
                assert_eq!(
                    (&rita["company"], &rita["firstName"]),
                    (&json!("New Company Name"), &json!("Rita"))
                );
            },
        ),
        (
            PP,
            PP_CSV,
            &[
                ("it@example-gmbh.example", "created"),
                ("color123@yeastar.com", "updated"),
                ("yaya@yeastar.com", "unchanged"),
            ],
            |state| {
                let it = &state["it@example-gmbh.example"][0];
                assert_eq!(
                    (&it["company"], &it["city"], &it["taxNum"]),
                    (&json!("Example GmbH"), &json!("Berlin"), &json!("DE123456789"))
                );
                let color = &state["color123@yeastar.com"][0];
                assert_eq!(
                    (&color["city"], &color["company"]),
                    (&json!("Fuzhou"), &json!("Company Example"))
                );
            },
        ),
        (
            WP,
            WP_CSV,
            &[("leo@yeastar.com", "updated"), ("amy.new@acme.example", "created")],
            |state| {
                let amy = &state["amy.new@acme.example"][0];
                assert_eq!(
                    (&amy["firstName"], &amy["roleName"], &amy["preferredBuildingName"]),
                    (&json!("Amy"), &json!("User"), &json!("Annex"))
                );
                assert_eq!(amy["groupIds"].as_array().unwrap().len(), 1, "{amy}");
                assert_eq!(state["leo@yeastar.com"][0]["groupIds"].as_array().unwrap().len(), 2);
            },
        ),
    ];
    for (prod, csv, expected, check) in cases {
        let sb = Sb::start();
        let home = TempDir::new("home");
        let dir = TempDir::new("bulk");
        let file = dir.path().join("users.csv");
        std::fs::write(&file, csv).unwrap();
        let report_path = dir.path().join("report.jsonl");
        let r = bulk(
            &sb,
            prod,
            home.path(),
            &[
                "import",
                file.to_str().unwrap(),
                "--report",
                report_path.to_str().unwrap(),
            ],
        );
        assert_eq!(r.code, 0, "{r:#?}");
        assert!(r.stdout.is_empty(), "stdout stays clean: {r:#?}");
        let report = jsonl(&std::fs::read_to_string(&report_path).unwrap());
        assert_eq!(outcomes(&report), pairs(expected), "{}", prod.cmd);
        let lines: Vec<u64> = report.iter().map(|r| r["line"].as_u64().unwrap()).collect();
        assert_eq!(lines, (2..2 + expected.len() as u64).collect::<Vec<_>>());
        check(&report_matches_state(&sb, prod, &report));
        // The summary is the last line of stderr.
        let created = expected.iter().filter(|(_, o)| *o == "created").count();
        let summary = r.stderr.lines().last().unwrap();
        assert!(
            summary.starts_with(&format!("created {created}, ")) && summary.ends_with(" s"),
            "{r:#?}"
        );
        if prod.cmd == "wp" {
            assert!(r.stderr.contains("note: 1 update may clear a face image"), "{r:#?}");
        }
        // The journal of a completed run is removed.
        assert_eq!(journals(home.path()), Vec::<String>::new());

        // The same import again: every row unchanged, not one write.
        sb.clear();
        let again = bulk(
            &sb,
            prod,
            home.path(),
            &[
                "import",
                file.to_str().unwrap(),
                "--report",
                report_path.to_str().unwrap(),
            ],
        );
        assert_eq!(again.code, 0, "{again:#?}");
        let report = jsonl(&std::fs::read_to_string(&report_path).unwrap());
        assert!(report.iter().all(|r| r["outcome"] == "unchanged"), "{report:?}");
        assert_eq!(writes(&sb, prod), 0, "{}: {:#?}", prod.cmd, sb.api_calls());
        assert!(!sb.api_calls().is_empty(), "the state was read");
    }
}

/// The journals left in the default place.
fn journals(home: &Path) -> Vec<String> {
    match std::fs::read_dir(home.join("cache").join("yeastar")) {
        Ok(rd) => rd
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("bulk-"))
            .collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn dry_run_prints_the_plan_and_writes_nothing() {
    let sb = Sb::start();
    let home = TempDir::new("home");
    let dir = TempDir::new("bulk");
    let file = dir.path().join("resellers.csv");
    std::fs::write(&file, YCM_CSV).unwrap();
    let r = bulk(&sb, YCM, home.path(), &["import", file.to_str().unwrap(), "--dry-run"]);
    let plan = r.ok();
    assert_eq!(
        (&plan["product"], &plan["create"], &plan["update"], &plan["unchanged"]),
        (&json!("ycm"), &json!(2), &json!(1), &json!(0))
    );
    assert_eq!(
        plan["rows"][2],
        json!({"line": 4, "key": "rita.reseller@example.com", "action": "update", "changes": ["company"], "id": "13329"})
    );
    assert_eq!(plan["rows"][0]["action"], "create");
    assert_eq!(writes(&sb, YCM), 0, "{:#?}", sb.api_calls());
    assert!(!users(&sb, YCM).contains_key("ada@acme.example"));
    // --dry-run and --report cannot go together (the plan has the stdout).
    bulk(
        &sb,
        YCM,
        home.path(),
        &["import", file.to_str().unwrap(), "--dry-run", "--report", "-"],
    )
    .fails(2);
}

#[test]
fn a_report_path_that_cannot_be_written_is_refused_before_anything_is_sent() {
    let sb = Sb::start();
    let home = TempDir::new("home");
    let dir = TempDir::new("bulk");
    let file = dir.path().join("resellers.csv");
    std::fs::write(&file, YCM_CSV).unwrap();
    let bad = dir.path().join("no-such-dir").join("r.jsonl");
    let r = bulk(
        &sb,
        YCM,
        home.path(),
        &["import", file.to_str().unwrap(), "--report", bad.to_str().unwrap()],
    );
    r.fails(2);
    assert!(r.stderr.contains("no-such-dir"), "{r:#?}");
    assert_eq!(writes(&sb, YCM), 0, "{:#?}", sb.api_calls());
    // A run that ends before its report (here: the journal cannot be opened) leaves the last
    // report as it was.
    let good = dir.path().join("r.jsonl");
    std::fs::write(&good, "last run\n").unwrap();
    let no_journal = dir.path().join("no-such-dir").join("j");
    let r = bulk(
        &sb,
        YCM,
        home.path(),
        &[
            "import",
            file.to_str().unwrap(),
            "--report",
            good.to_str().unwrap(),
            "--journal",
            no_journal.to_str().unwrap(),
        ],
    );
    assert_ne!(r.code, 0, "{r:#?}");
    assert_eq!(std::fs::read_to_string(&good).unwrap(), "last run\n");
    assert_eq!(writes(&sb, YCM), 0, "{:#?}", sb.api_calls());
    // A writable path: the run goes through and the report replaces the last one.
    let r = bulk(
        &sb,
        YCM,
        home.path(),
        &["import", file.to_str().unwrap(), "--report", good.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{r:#?}");
    assert_eq!(jsonl(&std::fs::read_to_string(&good).unwrap()).len(), 3);
}

#[test]
fn an_invalid_file_exits_2_names_every_bad_row_and_sends_nothing() {
    let sb = Sb::start();
    let home = TempDir::new("home");
    let dir = TempDir::new("bulk");
    let file = dir.path().join("bad.csv");
    std::fs::write(
        &file,
        "email,userType,company,firstName,totalExtensions\n\
         ok@acme.example,Reseller,Acme,Ok,1\n\
         not-an-email,Reseller,Acme,A,1\n\
         ok2@acme.example,Partner,Acme,B,1\n\
         ok3@acme.example,Reseller,Acme,C,lots\n\
         ok@acme.example,Reseller,Acme,Twice,1\n",
    )
    .unwrap();
    sb.clear();
    let r = bulk(&sb, YCM, home.path(), &["import", file.to_str().unwrap()]);
    r.fails(2);
    for bad in [
        "line 2 (ok@acme.example): email:",
        "line 3 (not-an-email): email:",
        "line 4 (ok2@acme.example): userType:",
        "line 5 (ok3@acme.example): totalExtensions:",
        "line 6 (ok@acme.example): email:",
    ] {
        assert!(r.stderr.contains(bad), "{bad}: {r:#?}");
    }
    assert!(
        r.stderr
            .contains("error: invalid input, nothing was written: 5 problems in 5 rows"),
        "{r:#?}"
    );
    // Checked before connecting: not even a token was requested.
    assert_eq!(sb.sandbox.journal(), Vec::new());

    // Rows that are only invalid against the current state (a new user without the fields a
    // create needs; a user type YCM cannot change): exit 2, both named, nothing written.
    std::fs::write(
        &file,
        "email,userType,firstName\n\
         new@acme.example,,\n\
         rita.reseller@example.com,My Colleague,\n\
         fine@acme.example,My Colleague,Fine\n",
    )
    .unwrap();
    let r = bulk(&sb, YCM, home.path(), &["import", file.to_str().unwrap()]);
    r.fails(2);
    assert!(
        r.stderr.contains("line 2 (new@acme.example): userType: is required"),
        "{r:#?}"
    );
    assert!(
        r.stderr.contains("line 2 (new@acme.example): firstName: is required"),
        "{r:#?}"
    );
    assert!(
        r.stderr
            .contains("line 3 (rita.reseller@example.com): userType: cannot be changed"),
        "{r:#?}"
    );
    assert!(!r.stderr.contains("line 4"), "{r:#?}");
    assert_eq!(writes(&sb, YCM), 0, "{:#?}", sb.api_calls());

    // Bad arguments: exit 2 before anything is sent.
    sb.clear();
    bulk(&sb, YCM, home.path(), &["import", "missing.csv"]).fails(2);
    bulk(&sb, YCM, home.path(), &["import", "users.txt"]).fails(2);
    bulk(
        &sb,
        YCM,
        home.path(),
        &["import", file.to_str().unwrap(), "--concurrency", "0"],
    )
    .fails(2);
    bulk(
        &sb,
        YCM,
        home.path(),
        &["import", file.to_str().unwrap(), "--rate", "-1"],
    )
    .fails(2);
    assert_eq!(sb.sandbox.journal(), Vec::new());
}

#[test]
fn export_then_import_writes_nothing_and_an_edited_column_is_one_update() {
    for (prod, who) in [
        (YCM, "rita.reseller@example.com"),
        (PP, "color123@yeastar.com"),
        (WP, "leo@yeastar.com"),
    ] {
        let sb = Sb::start();
        let home = TempDir::new("home");
        let dir = TempDir::new("bulk");
        let csv = dir.path().join("users.csv");
        let r = bulk(&sb, prod, home.path(), &["export", csv.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{r:#?}");
        let n = users(&sb, prod).len();
        assert!(r.stderr.contains(&format!("exported {n} users to")), "{r:#?}");
        // JSON Lines on stdout: the same users.
        let jsonl_out = bulk(&sb, prod, home.path(), &["export", "--format", "jsonl"]);
        assert_eq!(jsonl_out.code, 0, "{jsonl_out:#?}");
        assert_eq!(jsonl(&jsonl_out.stdout).len(), n);
        let jsonl_file = dir.path().join("users.jsonl");
        std::fs::write(&jsonl_file, &jsonl_out.stdout).unwrap();

        sb.clear();
        for file in [&csv, &jsonl_file] {
            let r = bulk(
                &sb,
                prod,
                home.path(),
                &["import", file.to_str().unwrap(), "--report", "-"],
            );
            assert_eq!(r.code, 0, "{r:#?}");
            let report = jsonl(&r.stdout);
            assert_eq!(report.len(), n);
            assert!(
                report.iter().all(|r| r["outcome"] == "unchanged"),
                "{}: {report:?}",
                prod.cmd
            );
        }
        assert_eq!(writes(&sb, prod), 0, "{}: {:#?}", prod.cmd, sb.api_calls());

        // Edit one column of one user: one update of that field, nothing else.
        let text = std::fs::read_to_string(&csv).unwrap();
        let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
        let col = header.iter().position(|c| *c == "lastName").unwrap();
        let edited: Vec<String> = text
            .lines()
            .map(|l| {
                if !l.starts_with(who) {
                    return l.to_owned();
                }
                let mut cells: Vec<&str> = l.split(',').collect();
                cells[col] = "Edited";
                cells.join(",")
            })
            .collect();
        std::fs::write(&csv, edited.join("\n") + "\n").unwrap();
        let r = bulk(
            &sb,
            prod,
            home.path(),
            &["import", csv.to_str().unwrap(), "--report", "-"],
        );
        assert_eq!(r.code, 0, "{r:#?}");
        let report = jsonl(&r.stdout);
        let updated: Vec<&Value> = report.iter().filter(|r| r["outcome"] != "unchanged").collect();
        assert_eq!(updated.len(), 1, "{report:?}");
        assert_eq!(
            (&updated[0]["key"], &updated[0]["changes"]),
            (&json!(who), &json!(["lastName"]))
        );
        assert_eq!(writes(&sb, prod), 1);
        assert_eq!(users(&sb, prod)[who][0]["lastName"], "Edited");
    }
}

#[test]
fn report_to_stdout_is_the_only_thing_on_stdout_and_stdin_is_read() {
    let sb = Sb::start();
    let home = TempDir::new("home");
    let mut cmd = command(
        &sb,
        P::Ycm,
        home.path(),
        &["ycm", "user", "import", "-", "--format", "csv", "--report", "-"],
    );
    cmd.env("YEASTAR_OUTPUT", "table");
    let r = run_with(cmd, Some(YCM_CSV));
    assert_eq!(r.code, 0, "{r:#?}");
    let report = jsonl(&r.stdout);
    assert_eq!(
        outcomes(&report),
        pairs(&[
            ("ada@acme.example", "created"),
            ("grace@navy.example", "created"),
            ("rita.reseller@example.com", "updated"),
        ])
    );
    assert!(report[0]["requestId"].is_string(), "{report:?}");
    // Not a terminal: no progress bar, only the summary on stderr.
    assert_eq!(r.stderr.lines().count(), 1, "{r:#?}");
    assert!(
        r.stderr.starts_with("created 2, updated 1, unchanged 0, failed 0 in "),
        "{r:#?}"
    );

    // A CSV report when the path ends in .csv.
    let dir = TempDir::new("bulk");
    let csv = dir.path().join("report.csv");
    let r = run_with(
        command(
            &sb,
            P::Ycm,
            home.path(),
            &[
                "ycm",
                "user",
                "import",
                "-",
                "--format",
                "csv",
                "--report",
                csv.to_str().unwrap(),
            ],
        ),
        Some(YCM_CSV),
    );
    assert_eq!(r.code, 0, "{r:#?}");
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("line,key,action,outcome,requestId,id,changes,error,resumed,reconciled")
    );
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("2,ada@acme.example,unchanged,unchanged,"),
        "{text}"
    );
    // Without --format, stdin's format cannot be told.
    let r = run_with(
        command(&sb, P::Ycm, home.path(), &["ycm", "user", "import", "-"]),
        Some(YCM_CSV),
    );
    r.fails(2);
    assert!(r.stderr.contains("--format"), "{r:#?}");
}

#[test]
fn rows_refused_by_the_api_exit_1_and_the_others_are_applied() {
    let sb = Sb::start();
    let home = TempDir::new("home");
    // The first create is refused with the API's error envelope.
    sb.sandbox
        .faults()
        .push(FaultRule::new(Method::POST, YCM_USERS).sequence([Fault::Status(400)]));
    let r = run_with(
        command(
            &sb,
            P::Ycm,
            home.path(),
            &[
                "ycm",
                "user",
                "import",
                "-",
                "--format",
                "csv",
                "--report",
                "-",
                "--concurrency",
                "1",
            ],
        ),
        Some(YCM_CSV),
    );
    assert_eq!(r.code, 1, "{r:#?}");
    let report = jsonl(&r.stdout);
    assert_eq!(
        outcomes(&report),
        pairs(&[
            ("ada@acme.example", "failed"),
            ("grace@navy.example", "created"),
            ("rita.reseller@example.com", "updated"),
        ])
    );
    assert!(report[0]["error"].as_str().unwrap().contains("HTTP 400"), "{report:?}");
    assert!(r.stderr.contains("line 2 (ada@acme.example): failed: "), "{r:#?}");
    assert!(
        r.stderr.contains("created 1, updated 1, unchanged 0, failed 1 in "),
        "{r:#?}"
    );
    assert!(r.stderr.contains("error: 1 row was refused by the API"), "{r:#?}");
    let state = users(&sb, YCM);
    assert!(!state.contains_key("ada@acme.example") && state.contains_key("grace@navy.example"));
}

#[test]
fn an_authentication_failure_stops_the_run_with_exit_3_and_a_rerun_resumes() {
    let sb = Sb::start();
    let home = TempDir::new("home");
    // Every create is answered 401 with an empty body, as a gateway would.
    sb.sandbox
        .faults()
        .push(FaultRule::new(Method::POST, YCM_USERS).always(Fault::BearerChallenge));
    let args = ["ycm", "user", "import", "-", "--format", "csv", "--report", "-"];
    let r = run_with(command(&sb, P::Ycm, home.path(), &args), Some(YCM_CSV));
    assert_eq!(r.code, 3, "{r:#?}");
    let report = jsonl(&r.stdout);
    assert_eq!(report.len(), 3, "the report covers every row: {report:?}");
    assert!(
        report.iter().any(|r| r["outcome"] == "skipped"),
        "rows left undone are skipped: {report:?}"
    );
    assert!(
        r.stderr.contains("error: the import stopped before every row was done"),
        "{r:#?}"
    );
    assert!(
        r.stderr.contains("run the same command again to resume (journal "),
        "{r:#?}"
    );
    assert_eq!(journals(home.path()).len(), 1, "the journal is kept for the next run");
    // Fixed: the same command finishes the job.
    sb.sandbox.faults().clear();
    let r = run_with(command(&sb, P::Ycm, home.path(), &args), Some(YCM_CSV));
    assert_eq!(r.code, 0, "{r:#?}");
    let report = jsonl(&r.stdout);
    assert!(
        report
            .iter()
            .all(|r| r["outcome"] == "created" || r["outcome"] == "updated"),
        "{report:?}"
    );
    assert_eq!(journals(home.path()), Vec::<String>::new());
}

#[test]
fn a_progress_bar_on_stderr_only_when_it_is_a_terminal() {
    let sb = Sb::start();
    sb.sandbox
        .faults()
        .push(FaultRule::new(Method::POST, YCM_USERS).with_latency(Duration::from_millis(40)));
    let dir = TempDir::new("bulk");
    let file = dir.path().join("resellers.csv");
    let mut csv = String::from(
        "email,userType,company,firstName,totalExtensions,totalConcurrentCalls,totalRecordings,minimumExtPerPBX\n",
    );
    for i in 0..10 {
        csv.push_str(&format!("r{i}@acme.example,Reseller,Acme,R{i},10,2,1,1\n"));
    }
    std::fs::write(&file, csv).unwrap();
    let (id, secret) = P::Ycm.demo();
    let url = sb.url();
    let r = run_pty(
        &["ycm", "user", "import", file.to_str().unwrap(), "--concurrency", "1"],
        &[
            ("YEASTAR_BASE_URL", &url),
            ("YEASTAR_CLIENT_ID", id),
            ("YEASTAR_CLIENT_SECRET", secret),
        ],
        Tty::Stderr,
    );
    assert_eq!(r.code, 0, "{r:#?}");
    assert!(r.stderr.contains("/10 rows"), "the bar was drawn: {r:#?}");
    assert!(
        r.stderr.contains("created 10, updated 0, unchanged 0, failed 0 in "),
        "{r:#?}"
    );
    assert!(r.stdout.is_empty(), "{r:#?}");
}

/// The SIGKILL proof: the real binary is killed at random points (after a random number of
/// creates reached the sandbox, or after a random delay), possibly twice, then the same
/// command is run to the end. Every key exists exactly once, the sandbox processed exactly one
/// create per row, and the final report covers every row as created (resumed from the journal
/// where the killed run did it).
#[test]
fn import_killed_with_sigkill_at_random_points_then_rerun_creates_every_user_exactly_once() {
    const ROWS: usize = 80;
    let mut landed_mid_run = 0;
    let mut resumed_rows = 0;
    for seed in [1u64, 2, 3, 4, 5, 6] {
        let mut rng = fastrand::Rng::with_seed(seed);
        let sb = Sb::start();
        // Slow creates, so that kills land mid-run.
        sb.sandbox
            .faults()
            .push(FaultRule::new(Method::POST, YCM_USERS).with_latency(Duration::from_millis(15)));
        let home = TempDir::new("home");
        let dir = TempDir::new("kill");
        let file = dir.path().join("resellers.csv");
        let mut csv = String::from(
            "email,userType,company,firstName,lastName,totalExtensions,totalConcurrentCalls,totalRecordings,minimumExtPerPBX\n",
        );
        for i in 0..ROWS {
            csv.push_str(&format!(
                "s{seed}-r{i}@acme.example,Reseller,Acme {i},First{i},Last{i},10,2,1,1\n"
            ));
        }
        std::fs::write(&file, &csv).unwrap();
        let report_path = dir.path().join("report.jsonl");
        let args = [
            "ycm",
            "user",
            "import",
            file.to_str().unwrap(),
            "--report",
            report_path.to_str().unwrap(),
        ];
        let creates = || sb.sandbox.journal_count(&Method::POST, YCM_USERS);
        // A run that finished before its kill completed the job: the runs after it find
        // every row unchanged.
        let mut finished = false;
        for _ in 0..rng.usize(1..=2) {
            let mut child = command(&sb, P::Ycm, home.path(), &args)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let start = Instant::now();
            if rng.bool() {
                let after = creates() + rng.usize(1..ROWS / 2);
                while creates() < after
                    && child.try_wait().unwrap().is_none()
                    && start.elapsed() < Duration::from_secs(10)
                {
                    std::thread::sleep(Duration::from_millis(1));
                }
            } else {
                std::thread::sleep(Duration::from_millis(rng.u64(20..400)));
            }
            // Child::kill is SIGKILL on Unix.
            let _ = child.kill();
            let status = child.wait().unwrap();
            let done = creates();
            match status.code() {
                None if done > 0 && done < ROWS => landed_mid_run += 1,
                None => {}
                Some(code) => {
                    assert_eq!(code, 0, "seed {seed}: a run that was not killed succeeds");
                    finished = true;
                    break;
                }
            }
        }
        let expected = if finished { "unchanged" } else { "created" };
        let r = run_with(command(&sb, P::Ycm, home.path(), &args), None);
        assert_eq!(r.code, 0, "seed {seed}: {r:#?}");
        let report = jsonl(&std::fs::read_to_string(&report_path).unwrap());
        assert_eq!(report.len(), ROWS, "seed {seed}");
        for (i, row) in report.iter().enumerate() {
            assert_eq!(row["line"], json!(i + 2), "seed {seed}");
            assert_eq!(row["key"], json!(format!("s{seed}-r{i}@acme.example")), "seed {seed}");
            assert_eq!(
                row["outcome"], expected,
                "seed {seed}: every row was created, by this run or a killed one: {row}"
            );
        }
        resumed_rows += report.iter().filter(|r| r["resumed"] == true).count();
        let state = report_matches_state(&sb, YCM, &report);
        for i in 0..ROWS {
            assert_eq!(
                state[&format!("s{seed}-r{i}@acme.example")][0]["company"],
                json!(format!("Acme {i}")),
                "seed {seed}"
            );
        }
        let processed = sb
            .sandbox
            .journal()
            .iter()
            .filter(|e| e.method == "POST" && e.path == YCM_USERS && e.status == Some(200))
            .count();
        assert_eq!(processed, ROWS, "seed {seed}: one create processed per row");
        assert_eq!(journals(home.path()), Vec::<String>::new(), "seed {seed}");
    }
    eprintln!("{landed_mid_run} kills landed mid-run; {resumed_rows} rows reported from the journals");
    // The kills really interrupted runs that had written some rows and not all of them.
    assert!(landed_mid_run >= 3, "only {landed_mid_run} kills landed mid-run");
    assert!(resumed_rows > 0, "the final reports took rows from the journal");
}
