//! YCM onboarding through the binary: customers, the Cloud PBX lifecycle (create and wait,
//! activation email, resize, customers, start/stop, delete) and the lookups, against the
//! sandbox (output, exit code, the requests sent from its journal, and its state read back
//! with the SDK) and httpmock (read-modify-write keeps unmodelled fields).

mod common;

use std::time::Duration;

use common::{P, Sb, Tty, run_env, run_pty};
use httpmock::Method::{GET, PUT};
use httpmock::MockServer;
use serde_json::{Value, json};
use yeastar_sandbox::SandboxConfig;
use yeastar_ycm::{Client, Credentials, PbxStatus};

/// A sandbox whose new PBXs provision in `provisioning` and start in 200 ms.
fn sandbox(provisioning: Duration) -> Sb {
    Sb::start_with(
        SandboxConfig::new()
            .with_ycm_provisioning_time(provisioning)
            .with_ycm_starting_time(Duration::from_millis(200)),
    )
}

/// An SDK client of the sandbox, to check its state independently of the CLI.
fn sdk(sb: &Sb) -> Client {
    let (id, secret) = P::Ycm.demo();
    Client::builder()
        .credentials(Credentials::client(id, secret))
        .base_url(sb.url())
        .build()
        .unwrap()
}

fn ycm(sb: &Sb, args: &[&str]) -> common::Run {
    let mut all = vec!["ycm"];
    all.extend_from_slice(args);
    sb.run(P::Ycm, &all)
}

/// The API calls (not token requests) as `METHOD path?query`.
fn calls(sb: &Sb) -> Vec<String> {
    sb.api_calls()
        .iter()
        .map(|c| match &c.query {
            Some(q) => format!("{} {}?{q}", c.method, c.path),
            None => format!("{} {}", c.method, c.path),
        })
        .collect()
}

const CREATE_PBX: &[&str] = &[
    "pbx",
    "create",
    "--name",
    "Analytical PBX",
    "--sub-domain",
    "engines",
    "--plan",
    "ultimate",
    "--type",
    "trial",
    "--extensions",
    "10",
    "--concurrent-calls",
    "4",
    "--recording-minutes",
    "100",
    "--upgrade-in-pbx",
    "enabled",
    "--im",
    "disabled",
];

/// `pbx create` of [`CREATE_PBX`] with sub-domain `sub_domain`, in region 3, for customer
/// 50086120, then `extra`.
fn create_pbx(sub_domain: &str, extra: &[&str]) -> Vec<String> {
    let placement = [
        "--region-id",
        "3",
        "--domain-id",
        "1",
        "--version-id",
        "764",
        "--customer-id",
        "50086120",
    ];
    CREATE_PBX
        .iter()
        .map(|a| if *a == "engines" { sub_domain } else { a })
        .chain(placement)
        .chain(extra.iter().copied())
        .map(str::to_owned)
        .collect()
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

#[test]
fn onboard_a_customer_end_to_end() {
    let sb = sandbox(Duration::from_millis(300));

    // 1. The customer.
    let created = ycm(
        &sb,
        &[
            "customer",
            "create",
            "--first-name",
            "Ada",
            "--company",
            "Analytical Engines Ltd",
            "--email",
            "ada@engines.example",
            "--city",
            "London",
        ],
    )
    .ok();
    let customer = created["customerId"].as_u64().expect("the new customer's id");
    assert!(created["requestId"].is_string(), "{created}");
    let call = sb.last_call();
    assert_eq!(
        (call.method.as_str(), call.path.as_str()),
        ("POST", "/dm/open_api/v1/customers")
    );
    assert_eq!(
        call.json().unwrap(),
        json!({"firstName": "Ada", "company": "Analytical Engines Ltd", "email": "ada@engines.example", "city": "London"})
    );

    // 2. Where it runs: region, domain, firmware.
    let regions = ycm(&sb, &["region", "list"]).ok();
    let region = regions
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["region"] == "India(Mumbai)")
        .unwrap()["regionId"]
        .as_u64()
        .unwrap();
    let region_arg = region.to_string();
    let domains = ycm(&sb, &["domain", "list", "--region-id", &region_arg]).ok();
    assert_eq!(
        calls(&sb).last().unwrap(),
        &format!("GET /dm/open_api/v1/cluster/domains?regionIds={region}")
    );
    assert!(
        domains.as_array().unwrap().iter().all(|d| d["regionId"] == region),
        "{domains}"
    );
    let domain = domains[0]["domainId"].as_u64().unwrap();
    let firmware = ycm(&sb, &["firmware", "list", "--region-id", &region_arg]).ok();
    assert_eq!(
        calls(&sb).last().unwrap(),
        &format!("GET /dm/open_api/v1/firmware?type=pbx&regionIds={region}")
    );
    let version = firmware[0]["versionId"].as_u64().unwrap();

    // 3. The Cloud PBX, waited for until it runs.
    sb.clear();
    let (domain_arg, version_arg, customer_arg) = (domain.to_string(), version.to_string(), customer.to_string());
    let mut args = CREATE_PBX.to_vec();
    args.extend([
        "--region-id",
        &region_arg,
        "--domain-id",
        &domain_arg,
        "--version-id",
        &version_arg,
        "--customer-id",
        &customer_arg,
        "--wait",
        "--poll-interval",
        "50ms",
    ]);
    let r = ycm(&sb, &args);
    let pbx = r.ok();
    assert_eq!(r.stderr, "", "no spinner on a pipe: {r:#?}");
    assert_eq!(pbx["pbxStatus"], "Running", "{pbx}");
    assert_eq!(pbx["url"], "engines.test.yeastarcloud.com");
    assert_eq!(pbx["plan"], "Ultimate Plan");
    let id = pbx["cloudPbxId"].as_u64().unwrap();
    let sent = sb.api_calls();
    assert_eq!(
        sent[0].json().unwrap(),
        json!({"name": "Analytical PBX", "plan": "Ultimate Plan", "extensionCapacity": 10, "concurrentCallCapacity": 4,
               "recordingStatus": "Enabled", "recordingCapacity": 100, "regionId": region, "subDomain": "engines",
               "domainId": domain, "versionId": version, "type": "Trial", "customerIds": [customer],
               "upgradeInPbx": "Enabled", "im": "Disabled"})
    );
    let polls = calls(&sb)
        .iter()
        .filter(|c| *c == &format!("GET /dm/open_api/v1/cloud_pbx/instances/{id}/status"))
        .count();
    assert!(polls >= 2, "polled while provisioning: {:?}", calls(&sb));
    assert_eq!(
        calls(&sb).last().unwrap(),
        &format!("GET /dm/open_api/v1/cloud_pbx/instances/{id}"),
        "the PBX is read once running"
    );

    // 4. The activation email, to every customer of the PBX.
    let id_arg = id.to_string();
    let emails = ycm(&sb, &["pbx", "activation-email", &id_arg]).ok();
    assert_eq!(emails, json!([{"email": "ada@engines.example"}]));
    let call = sb.last_call();
    assert_eq!(
        (call.method.as_str(), call.path.as_str()),
        (
            "POST",
            format!("/dm/open_api/v1/cloud_pbx/instances/{id}/activation_email").as_str()
        )
    );
    assert_eq!(call.json().unwrap(), json!({"customerIds": [customer]}));

    // 5. Resized: the capacities not given are kept.
    let done = ycm(
        &sb,
        &[
            "pbx",
            "resize",
            &id_arg,
            "--extensions",
            "30",
            "--recording-minutes",
            "600",
        ],
    )
    .ok();
    assert!(done["requestId"].is_string(), "{done}");
    let call = sb.last_call();
    assert_eq!(call.method, "PUT");
    assert_eq!(
        call.json().unwrap(),
        json!({"extensionCapacity": 30, "concurrentCallCapacity": 4, "recordingStatus": "Enabled", "recordingCapacity": 600})
    );

    // 6. Everything read back, through the CLI and straight from the sandbox.
    let pbx = ycm(&sb, &["pbx", "get", &id_arg]).ok();
    assert_eq!(
        (
            &pbx["extensionCapacity"],
            &pbx["concurrentCallCapacity"],
            &pbx["recordingCapacity"],
            &pbx["pbxStatus"]
        ),
        (&json!(30), &json!(4), &json!(600), &json!("Running"))
    );
    let c = ycm(&sb, &["customer", "get", &customer_arg]).ok();
    assert_eq!(
        (&c["firstName"], &c["company"], &c["email"], &c["city"]),
        (
            &json!("Ada"),
            &json!("Analytical Engines Ltd"),
            &json!("ada@engines.example"),
            &json!("London")
        )
    );
    let client = sdk(&sb);
    let (state, members) = sb.block_on(async {
        (
            client.cloud_pbxs().get(id).await.unwrap(),
            client.cloud_pbxs().customers(id).await.unwrap(),
        )
    });
    assert_eq!(state.pbx_status, Some(PbxStatus::Running));
    assert_eq!(
        (state.extension_capacity, state.recording_capacity),
        (Some(30), Some(600))
    );
    assert_eq!(members, [customer]);
}

#[test]
fn customer_commands() {
    let sb = Sb::start();
    let all = ycm(&sb, &["customer", "list", "--sort", "-customerId"]).ok();
    assert!(all.as_array().unwrap().len() >= 8, "{all}");
    assert_eq!(
        calls(&sb).last().unwrap(),
        "GET /dm/open_api/v1/customers?pageSize=50&pageNumber=1&sort=-customerId"
    );

    // An update changes the fields given and sends every other field as read.
    let before = ycm(&sb, &["customer", "get", "50086120"]).ok();
    let done = ycm(&sb, &["customer", "update", "50086120", "--email", "leo.b@example.com"]).ok();
    assert!(done["requestId"].is_string(), "{done}");
    let call = sb.last_call();
    assert_eq!(
        (call.method.as_str(), call.path.as_str()),
        ("PUT", "/dm/open_api/v1/customers/50086120")
    );
    let mut expected = before.clone();
    expected.as_object_mut().unwrap().remove("customerId");
    expected["email"] = json!("leo.b@example.com");
    assert_eq!(call.json().unwrap(), expected);
    let after = ycm(&sb, &["customer", "get", "50086120"]).ok();
    assert_eq!(after["email"], "leo.b@example.com");
    assert_eq!(after["businessNumber"], before["businessNumber"]);
    assert_eq!(after["remark"], before["remark"]);

    // Several ids at once.
    let done = ycm(&sb, &["customer", "delete", "50429525", "50429524"]).ok();
    assert!(done["requestId"].is_string(), "{done}");
    let call = sb.last_call();
    assert_eq!(
        (call.method.as_str(), call.path.as_str()),
        ("DELETE", "/dm/open_api/v1/customers")
    );
    assert_eq!(call.json().unwrap(), json!({"customerIds": [50429525, 50429524]}));
    ycm(&sb, &["customer", "get", "50429525"]).fails(1);
    // A customer of a PBX cannot be deleted: the API's answer, exit 1.
    let r = ycm(&sb, &["customer", "delete", "50086120"]);
    r.fails(1);
    assert!(r.stderr.contains("cannot be deleted"), "{r:#?}");
}

#[test]
fn bad_input_is_refused_before_anything_is_sent() {
    let sb = Sb::start();
    for args in [
        &[
            "customer",
            "create",
            "--first-name",
            "Ada",
            "--company",
            "X",
            "--email",
            "not-an-email",
        ][..],
        &[
            "customer",
            "create",
            "--first-name",
            " ",
            "--company",
            "X",
            "--email",
            "a@b.example",
        ],
        &["customer", "update", "50086120"],
        &["customer", "update", "50086120", "--email", "nope"],
        &["customer", "delete"],
        &["pbx", "update", "42100"],
        &["pbx", "update", "42100", "--name", ""],
        &["pbx", "resize", "42100"],
        &["pbx", "delete"],
        &["pbx", "get"],
        &["pbx", "get", "7715", "--url", "cloud.example.yeastar.com"],
        &["pbx", "customers", "42100", "--add", "50086120", "--remove", "50086120"],
        &["pbx", "wait", "7715", "--timeout", "0s"],
        // Past what the clock can add: refused, not a panic after the create.
        &["pbx", "wait", "7715", "--timeout", "500000000000y"],
        &["pbx", "wait", "7715", "--poll-interval", "soon"],
        &["pbx", "update", "42100", "--im", "maybe"],
    ] {
        let r = ycm(&sb, args);
        r.fails(2);
        assert!(sb.sandbox.journal().is_empty(), "{args:?} sent {:?}", calls(&sb));
    }
    // A create the SDK refuses (sub-domain), and ones clap refuses (no --im; an expiry
    // without --run-after-expiration).
    let r = ycm(&sb, &strs(&create_pbx("en gines!", &[])));
    r.fails(2);
    assert!(r.stderr.contains("subDomain"), "{r:#?}");
    let args = create_pbx("engines", &[]);
    let no_im: Vec<&str> = strs(&args)
        .into_iter()
        .filter(|a| !matches!(*a, "--im" | "disabled"))
        .collect();
    ycm(&sb, &no_im).fails(2);
    let r = ycm(&sb, &strs(&create_pbx("engines", &["--expiration-date", "1893456000"])));
    r.fails(2);
    assert!(r.stderr.contains("--run-after-expiration"), "{r:#?}");
    let r = ycm(
        &sb,
        &strs(&create_pbx("engines", &["--wait", "--timeout", "500000000000y"])),
    );
    r.fails(2);
    assert!(r.stderr.contains("--timeout"), "{r:#?}");
    assert!(sb.sandbox.journal().is_empty(), "{:?}", calls(&sb));
}

#[test]
fn pbx_commands() {
    let sb = sandbox(Duration::from_millis(300));
    let found = ycm(&sb, &["pbx", "list", "--search", "harbour"]).ok();
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found[0]["cloudPbxId"], 7738);
    assert_eq!(
        calls(&sb).last().unwrap(),
        "GET /dm/open_api/v2/cloud_pbx/instances?pageSize=50&pageNumber=1&search=harbour"
    );
    assert_eq!(ycm(&sb, &["pbx", "get", "7715"]).ok()["sn"], "3658B4311196XXXX");
    let by_url = ycm(&sb, &["pbx", "get", "--url", "cloud.example.yeastar.com"]).ok();
    assert_eq!(by_url["cloudPbxId"], 7715);
    assert_eq!(
        ycm(&sb, &["pbx", "status", "7715"]).ok(),
        json!({"cloudPbxId": 7715, "pbxStatus": "Running", "activationStatus": "Activated"})
    );

    // Update: one switch changed, every required one sent as read.
    ycm(&sb, &["pbx", "update", "42100", "--passwordless-login", "enabled"]).ok();
    let call = sb.last_call();
    assert_eq!(
        (call.method.as_str(), call.path.as_str()),
        ("PUT", "/dm/open_api/v1/cloud_pbx/instances/42100")
    );
    assert_eq!(
        call.json().unwrap(),
        json!({"name": "Example Company PBX", "upgradeInPbx": "Enabled", "im": "Enabled", "passwordlessLogin": "Enabled",
               "allowSuperiorPasswordlessLogin": "Disabled", "provisioningViaTemplate": "Disabled"})
    );

    // Stop, start, and wait until it runs again.
    ycm(&sb, &["pbx", "stop", "7715"]).ok();
    assert_eq!(sb.last_call().path, "/dm/open_api/v1/cloud_pbx/instances/7715/stop");
    assert_eq!(ycm(&sb, &["pbx", "status", "7715"]).ok()["pbxStatus"], "Stopped");
    ycm(&sb, &["pbx", "start", "7715"]).ok();
    assert_eq!(sb.last_call().method, "PUT");
    let pbx = ycm(
        &sb,
        &["pbx", "wait", "7715", "--poll-interval", "50ms", "--timeout", "10s"],
    )
    .ok();
    assert_eq!(pbx["pbxStatus"], "Running");
    ycm(&sb, &["pbx", "stop", "7715"]).ok();
    let pbx = ycm(
        &sb,
        &["pbx", "wait", "7715", "--until", "stopped", "--poll-interval", "50ms"],
    )
    .ok();
    assert_eq!(pbx["pbxStatus"], "Stopped");

    // Customers: listed; added and removed with one read-modify-write each.
    assert_eq!(
        ycm(&sb, &["pbx", "customers", "42100"]).ok(),
        json!({"cloudPbxId": 42100, "customerIds": [50329421, 50086182]})
    );
    sb.clear();
    let out = ycm(
        &sb,
        &["pbx", "customers", "42100", "--add", "50086120", "--remove", "50329421"],
    )
    .ok();
    assert_eq!(out["customerIds"], json!([50086182, 50086120]));
    assert_eq!(out["requestIds"].as_array().unwrap().len(), 2, "{out}");
    let puts: Vec<Value> = sb
        .api_calls()
        .iter()
        .filter(|c| c.method == "PUT")
        .map(|c| c.json().unwrap())
        .collect();
    assert_eq!(
        puts,
        [
            json!({"customerIds": [50329421, 50086182, 50086120]}),
            json!({"customerIds": [50086182, 50086120]})
        ]
    );
    // Nothing to change: no write.
    sb.clear();
    let out = ycm(&sb, &["pbx", "customers", "42100", "--add", "50086120"]).ok();
    assert_eq!(out, json!({"cloudPbxId": 42100, "customerIds": [50086182, 50086120]}));
    assert!(sb.api_calls().iter().all(|c| c.method == "GET"), "{:?}", calls(&sb));
    // Removing every customer is refused by the SDK before the write.
    let r = ycm(
        &sb,
        &[
            "pbx",
            "customers",
            "42100",
            "--remove",
            "50086182",
            "--remove",
            "50086120",
        ],
    );
    r.fails(2);
    assert!(sb.api_calls().iter().all(|c| c.method == "GET"), "{:?}", calls(&sb));

    // Activation email to the customers given.
    let emails = ycm(&sb, &["pbx", "activation-email", "42100", "--customer-id", "50086182"]).ok();
    assert_eq!(emails, json!([{"email": "amy@example.com"}]));

    // Several PBXs deleted at once.
    ycm(&sb, &["pbx", "delete", "43144", "43145"]).ok();
    let call = sb.last_call();
    assert_eq!(
        (call.method.as_str(), call.path.as_str()),
        ("DELETE", "/dm/open_api/v1/cloud_pbx/instances")
    );
    assert_eq!(call.json().unwrap(), json!({"cloudPbxIds": [43144, 43145]}));
    ycm(&sb, &["pbx", "get", "43144"]).fails(1);
}

#[test]
fn a_wait_that_times_out_says_the_last_status_and_exits_3() {
    let sb = sandbox(Duration::from_secs(3600));
    let created = ycm(&sb, &strs(&create_pbx("engines", &[]))).ok();
    let id = created["cloudPbxId"].as_u64().expect("the new PBX's id");
    let id_arg = id.to_string();
    let r = ycm(
        &sb,
        &["pbx", "wait", &id_arg, "--timeout", "300ms", "--poll-interval", "50ms"],
    );
    r.fails(3);
    assert!(
        r.stderr.contains(&format!("Cloud PBX {id} is not Running after")),
        "{r:#?}"
    );
    assert!(r.stderr.contains("the last status seen is Provisioning"), "{r:#?}");
    assert!(
        r.stderr.contains(&format!("yeastar ycm pbx wait {id}")),
        "a hint: {r:#?}"
    );
    // The same through create --wait (the new PBX's id is in the message).
    let wait = ["--wait", "--timeout", "200ms", "--poll-interval", "50ms"];
    let r = ycm(&sb, &strs(&create_pbx("engines2", &wait)));
    r.fails(3);
    assert!(
        r.stderr.contains("is not Running after") && r.stderr.contains("Provisioning"),
        "{r:#?}"
    );
    // The PBX exists whatever ended the wait: the error names it and warns not to create it
    // again (stdout stays empty, as on every failure).
    let new_id = r
        .stderr
        .split("Cloud PBX ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .expect("the new PBX's id in the error");
    assert_ne!(new_id, id_arg);
    let hint = r.stderr.lines().find(|l| l.starts_with("hint: ")).unwrap_or_default();
    assert!(
        hint.contains(&format!("Cloud PBX {new_id} was created: do not create it again"))
            && hint.contains(&format!("yeastar ycm pbx wait {new_id}")),
        "{r:#?}"
    );
}

#[test]
fn the_spinner_shows_only_on_a_terminal_stderr_outside_ci() {
    let sb = sandbox(Duration::from_millis(600));
    let (id, secret) = P::Ycm.demo();
    let url = sb.url();
    let env = [
        ("YEASTAR_BASE_URL", url.as_str()),
        ("YEASTAR_CLIENT_ID", id),
        ("YEASTAR_CLIENT_SECRET", secret),
    ];
    let create = |sub: &str| {
        let mut args = vec!["ycm".to_owned()];
        args.extend(create_pbx(sub, &["--wait", "--poll-interval", "50ms"]));
        args
    };
    let r = run_pty(&strs(&create("spin1")), &env, Tty::Stderr);
    assert_eq!(r.code, 0, "{r:#?}");
    assert_eq!(r.json()["pbxStatus"], "Running");
    assert!(
        r.stderr.contains("waiting for Cloud PBX ") && r.stderr.contains(" to be Running"),
        "{r:#?}"
    );
    // A pipe: nothing.
    let r = run_env(&strs(&create("spin2")), &env);
    assert_eq!(r.code, 0, "{r:#?}");
    assert_eq!(r.stderr, "");
    // A terminal in CI: nothing either.
    let ci: Vec<(&str, &str)> = env.iter().copied().chain([("CI", "true")]).collect();
    let r = run_pty(&strs(&create("spin3")), &ci, Tty::Stderr);
    assert_eq!(r.code, 0, "{r:#?}");
    assert_eq!(r.json()["pbxStatus"], "Running");
    assert!(!r.stderr.contains("waiting"), "{r:#?}");
}

#[test]
fn customer_update_keeps_fields_the_cli_does_not_know() {
    let server = MockServer::start();
    let get = server.mock(|when, then| {
        when.method(GET).path("/dm/open_api/v1/customers/7");
        then.status(200)
            .json_body(json!({"requestId": "r1", "status": "Success", "data": {
                "customerId": 7, "firstName": "Leo", "company": "Acme", "email": "leo@acme.example",
                "city": "Xiamen", "vatNumber": "CN-1", "tags": ["vip"]
            }}));
    });
    let put = server.mock(|when, then| {
        when.method(PUT)
            .path("/dm/open_api/v1/customers/7")
            .header("authorization", "Bearer t")
            .json_body(
                json!({"firstName": "Leo", "company": "Acme", "email": "leo@acme.example",
                              "city": "London", "vatNumber": "CN-1", "tags": ["vip"]}),
            );
        then.status(200)
            .json_body(json!({"requestId": "r2", "status": "Success", "time": 1700000000}));
    });
    let url = server.base_url();
    let r = run_env(
        &[
            "ycm",
            "customer",
            "update",
            "7",
            "--city",
            "London",
            "--access-token",
            "t",
            "--base-url",
            &url,
        ],
        &[],
    );
    assert_eq!(r.ok(), json!({"requestId": "r2", "time": 1700000000}));
    get.assert_calls(1);
    put.assert_calls(1);
}

#[test]
fn lookups_and_their_tables() {
    let sb = Sb::start();
    // Without --region-id: every region's domains, in one request.
    let domains = ycm(&sb, &["domain", "list"]).ok();
    assert_eq!(domains.as_array().unwrap().len(), 6, "{domains}");
    assert_eq!(
        calls(&sb)[calls(&sb).len() - 2..],
        [
            "GET /dm/open_api/v1/cluster/regions",
            "GET /dm/open_api/v1/cluster/domains?regionIds=1%2C2%2C3%2C4%2C16"
        ]
    );
    let firmware = ycm(&sb, &["firmware", "list"]).ok();
    assert_eq!(firmware.as_array().unwrap().len(), 2, "{firmware}");
    assert_eq!(calls(&sb).last().unwrap(), "GET /dm/open_api/v1/firmware?type=pbx");

    // CSV and tables lead with the columns an admin looks for first.
    let r = ycm(&sb, &["region", "list", "-o", "csv"]);
    assert_eq!(r.stdout.lines().next(), Some("regionId,region"), "{r:#?}");
    let r = ycm(&sb, &["firmware", "list", "-o", "csv"]);
    assert_eq!(r.stdout.lines().nth(1), Some("764,84.8.0.25,1;2;3;4;16"), "{r:#?}");
    let r = ycm(&sb, &["pbx", "list", "-o", "table"]);
    let header = r.stdout.lines().find(|l| l.contains("cloudPbxId")).expect("a header");
    let cols: Vec<&str> = header
        .split(['│', '┆'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        cols,
        [
            "cloudPbxId",
            "name",
            "pbxStatus",
            "activationStatus",
            "url",
            "plan",
            "extensionCapacity",
            "region"
        ]
    );
    let r = ycm(&sb, &["customer", "list", "-o", "csv"]);
    assert!(
        r.stdout
            .starts_with("customerId,firstName,lastName,company,email,city,"),
        "{r:#?}"
    );
}

#[test]
fn a_removal_that_fails_after_an_add_says_the_add_was_made() {
    // The customers read never change here, so the removal (of the only customer the server
    // shows) is refused by the SDK after the add was written.
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(GET).path("/dm/open_api/v1/cloud_pbx/instances/7/customers");
        then.status(200)
            .json_body(json!({"requestId": "r1", "status": "Success", "data": {"customerIds": [1]}}));
    });
    let add = server.mock(|when, then| {
        when.method(PUT)
            .path("/dm/open_api/v1/cloud_pbx/instances/7/customers")
            .json_body(json!({"customerIds": [1, 2]}));
        then.status(200)
            .json_body(json!({"requestId": "req-add", "status": "Success", "time": 1700000000}));
    });
    let url = server.base_url();
    let r = run_env(
        &[
            "ycm",
            "pbx",
            "customers",
            "7",
            "--add",
            "2",
            "--remove",
            "1",
            "--access-token",
            "t",
            "--base-url",
            &url,
        ],
        &[],
    );
    add.assert_calls(1);
    // Not exit 2 ("nothing was sent"): a write was made.
    r.fails(1);
    assert!(
        r.stderr.contains("customers 2 were added to Cloud PBX 7") && r.stderr.contains("req-add"),
        "{r:#?}"
    );
}
