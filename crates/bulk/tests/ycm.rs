//! The YCM adapter end to end against the sandbox: 500 rows through lost answers, 503s,
//! resets and 429s; invalid files; export and round trip; the request bodies on the wire.
#![cfg(feature = "ycm")]

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};
use yeastar_bulk::ycm::YcmAdapter;
use yeastar_bulk::{Action, Error, Format, Importer, Options, Outcome, Report, write_records};
use yeastar_sandbox::{DEMO_YCM_CLIENT_ID, DEMO_YCM_CLIENT_SECRET, Fault, FaultRule, Method, Sandbox, SandboxConfig};
use yeastar_ycm::{Client, CreateUser, Credentials, ListUsers, ResellerPackage, RetryPolicy};

const USERS: &str = "/dm/open_api/v1/users";

fn client(sandbox: &Sandbox) -> Client {
    Client::builder()
        .base_url(sandbox.base_url())
        .credentials(Credentials::client(DEMO_YCM_CLIENT_ID, DEMO_YCM_CLIENT_SECRET))
        .retry(
            RetryPolicy::default()
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(20)),
        )
        .attempt_timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn options() -> Options {
    Options::new()
        .concurrency(8)
        .backoff(Duration::from_millis(2), Duration::from_millis(50))
        .max_attempts(10)
}

/// Every user of the sandbox, by lower-case email (a faultless client).
async fn users(sandbox: &Sandbox) -> BTreeMap<String, Vec<Value>> {
    let mut by_email: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for u in client(sandbox)
        .users()
        .list(ListUsers::new().page_size(50))
        .try_collect()
        .await
        .unwrap()
    {
        let v = serde_json::to_value(&u).unwrap();
        by_email.entry(u.email.unwrap().to_lowercase()).or_default().push(v);
    }
    by_email
}

fn writes(sandbox: &Sandbox) -> usize {
    sandbox.journal_count(&Method::POST, USERS) + sandbox.journal_count(&Method::PUT, USERS)
}

async fn import(sandbox: &Sandbox, input: &str, options: &Options) -> Result<Report, Error> {
    let importer = Importer::new(YcmAdapter::new(client(sandbox)));
    let rows = importer.parse(input.as_bytes(), Format::Csv)?;
    let plan = importer.plan(rows).await?;
    importer.apply(plan, options).await
}

const HEADER: &str = "email,userType,company,firstName,lastName,phone,remark,totalExtensions,totalConcurrentCalls,totalRecordings,minimumExtPerPBX\n";

fn reseller_row(i: usize, company: &str) -> String {
    format!(
        "reseller{i}@acme.example,Reseller,{company},First{i},Last {i},0592-{i:04},\"row {i}, quoted\",100,20,10,5\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_rows_through_lost_answers_503s_resets_and_429s_exactly_once() {
    let sandbox = Sandbox::start(SandboxConfig::default().with_seed(7)).await.unwrap();
    // 50 of the 500 exist already, with other values: they are updates.
    let seed_client = client(&sandbox);
    for i in 0..50 {
        seed_client
            .users()
            .create(
                CreateUser::reseller(
                    "Old Co",
                    format!("First{i}"),
                    format!("reseller{i}@acme.example"),
                    ResellerPackage::new(1, 1, 1, 1),
                )
                .last_name("Old"),
            )
            .await
            .unwrap();
    }
    let mut input = String::from(HEADER);
    for i in 0..500 {
        input.push_str(&reseller_row(i, "Acme"));
    }
    // Faults on every write and read: creates processed with their answer lost, 503s,
    // connections reset before anything happened, 429s; the same on updates and listings.
    let faults = [
        (6, Fault::DropAfterHandling),
        (6, Fault::Status(503)),
        (4, Fault::DropConnection),
        (
            6,
            Fault::TooManyRequests {
                retry_after: Duration::ZERO,
            },
        ),
    ];
    sandbox
        .faults()
        .push(FaultRule::new(Method::POST, USERS).random(11, faults.clone()));
    sandbox
        .faults()
        .push(FaultRule::new(Method::PUT, USERS).random(12, faults.clone()));
    sandbox.faults().push(
        FaultRule::new(Method::GET, "/dm/open_api/v2/users")
            .random(13, [(10, Fault::Status(503)), (5, Fault::DropConnection)]),
    );
    let report = import(&sandbox, &input, &options()).await.unwrap();
    assert!(report.stopped.is_none(), "{:?}", report.stopped);
    let n = |o: Outcome| report.rows.iter().filter(|r| r.outcome == o).count();
    assert_eq!(
        (n(Outcome::Created), n(Outcome::Updated), report.rows.len()),
        (450, 50, 500)
    );

    // The faults really happened.
    let journal = sandbox.journal();
    let fault_count = |method: &str, what: &str| {
        journal
            .iter()
            .filter(|e| {
                e.method == method && e.path == USERS && e.fault.as_deref().is_some_and(|f| f.starts_with(what))
            })
            .count()
    };
    for what in ["DropAfterHandling", "Status(503)", "DropConnection", "TooManyRequests"] {
        assert!(fault_count("POST", what) > 3, "{what}: {}", fault_count("POST", what));
    }
    assert!(report.rate_limited > 0);
    assert!(
        report.rows.iter().any(|r| r.reconciled),
        "some lost creates were found applied"
    );

    // Every key exists exactly once, with the row's fields; the report matches the state.
    sandbox.faults().clear();
    let state = users(&sandbox).await;
    for (i, r) in report.rows.iter().enumerate() {
        let found = &state[&r.key];
        assert_eq!(found.len(), 1, "{} exists {} times", r.key, found.len());
        let u = &found[0];
        assert_eq!(r.id.as_deref(), Some(u["userId"].to_string().as_str()), "{}", r.key);
        assert_eq!(r.line, i as u64 + 2);
        assert_eq!(
            (
                &u["company"],
                &u["firstName"],
                &u["lastName"],
                &u["phone"],
                &u["remark"]
            ),
            (
                &json!("Acme"),
                &json!(format!("First{i}")),
                &json!(format!("Last {i}")),
                &json!(format!("0592-{i:04}")),
                &json!(format!("row {i}, quoted"))
            ),
            "{}",
            r.key
        );
        if i < 50 {
            assert_eq!(r.outcome, Outcome::Updated);
            assert_eq!(r.changes, ["company", "lastName", "phone", "remark"], "{}", r.key);
        }
    }
    // No create was processed twice: the sandbox refuses a second user with an email, and
    // each processed create added one user.
    let processed_creates = journal
        .iter()
        .filter(|e| e.method == "POST" && e.path == USERS && e.status == Some(200))
        .count();
    assert_eq!(processed_creates, 50 + 450);

    // The same import again writes nothing (faults back on).
    sandbox
        .faults()
        .push(FaultRule::new(Method::GET, "/dm/open_api/v2/users").random(14, [(10, Fault::Status(503))]));
    let before = writes(&sandbox);
    let again = import(&sandbox, &input, &options()).await.unwrap();
    assert_eq!(again.summary.unchanged, 500, "{}", again.summary);
    assert_eq!(writes(&sandbox), before);
}

#[tokio::test]
async fn an_invalid_file_writes_nothing_and_names_every_bad_row() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let input = format!(
        "{HEADER}\
         ok@acme.example,Reseller,Acme,Ok,,,,100,20,10,5\n\
         not-an-email,Reseller,Acme,Bad,,,,100,20,10,5\n\
         ten@acme.example,Reseller,Acme,Ten,,,,ten,20,10,5\n\
         partner@acme.example,Partner,Acme,P,,,,100,20,10,5\n\
         ok@ACME.example,Reseller,Acme,Twice,,,,100,20,10,5\n"
    );
    let err = import(&sandbox, &input, &options()).await.unwrap_err();
    let Error::Invalid(invalid) = err else { panic!("{err}") };
    let named: Vec<(u64, Option<&str>)> = invalid.problems.iter().map(|p| (p.line, p.field.as_deref())).collect();
    assert_eq!(
        named,
        [
            (2, Some("email")),
            (3, Some("email")),
            (4, Some("totalExtensions")),
            (5, Some("userType")),
            (6, Some("email"))
        ]
    );
    // Rows that parse but cannot be applied are found by the plan: a missing first name, a
    // package without all four counts, a user type that cannot change (13329 is a reseller,
    // 13330 a colleague), two-factor authentication turned on.
    let input = "email,userType,company,firstName,totalExtensions,twoFactorAuthenticationEnable\n\
                 new@acme.example,Reseller,Acme,,100,\n\
                 new2@acme.example,Reseller,Acme,New,100,\n\
                 colin@yeastar-demo.com,Reseller,,,,\n\
                 mia@yeastar-demo.com,My Colleague,,,,enable\n\
                 new3@acme.example,Reseller,,New,,\n";
    let err = import(&sandbox, input, &options()).await.unwrap_err();
    let Error::Invalid(invalid) = err else { panic!("{err}") };
    let named: Vec<(u64, Option<&str>)> = invalid.problems.iter().map(|p| (p.line, p.field.as_deref())).collect();
    assert_eq!(
        named,
        [
            (2, Some("firstName")),
            (3, Some("totalConcurrentCalls")),
            (4, Some("userType")),
            (5, Some("twoFactorAuthenticationEnable")),
            (6, Some("company")),
        ],
        "{invalid}"
    );
    assert!(
        invalid.to_string().contains("the user has \"My Colleague\""),
        "{invalid}"
    );
    assert_eq!(writes(&sandbox), 0, "nothing was written");
}

#[tokio::test]
async fn requests_carry_exactly_the_rows_fields() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    // 13329 (Rita) gets a new company only; the package columns of an existing user are
    // ignored (YCM cannot read them back); the new user is created with its package.
    let input = "email,userType,company,firstName,totalExtensions,totalConcurrentCalls,totalRecordings,minimumExtPerPBX,highAvailability\n\
                 rita.reseller@example.com,Reseller,New Company Name,Rita,100,50,20,5,\n\
                 ada@acme.example,reseller,Acme,Ada,100,20,10,5,subscribed\n";
    let importer = Importer::new(YcmAdapter::new(client(&sandbox)));
    let plan = importer
        .plan(importer.parse(input.as_bytes(), Format::Csv).unwrap())
        .await
        .unwrap();
    assert_eq!(
        serde_json::to_value(&plan).unwrap(),
        json!({
            "product": "ycm", "create": 1, "update": 1, "unchanged": 0, "notes": [],
            "rows": [
                {"line": 2, "key": "rita.reseller@example.com", "action": "update", "changes": ["company"],
                 "ignored": ["totalExtensions", "totalConcurrentCalls", "totalRecordings", "minimumExtPerPBX"], "id": "13329"},
                {"line": 3, "key": "ada@acme.example", "action": "create",
                 "changes": ["company", "email", "firstName", "highAvailability", "minimumExtPerPBX", "totalConcurrentCalls",
                             "totalExtensions", "totalRecordings", "userType"]}
            ]
        })
    );
    assert_eq!(plan.rows[0].action, Action::Update);
    let report = importer.apply(plan, &options()).await.unwrap();
    assert!(report.complete());
    let bodies: Vec<(String, String, Value)> = sandbox
        .journal()
        .into_iter()
        .filter(|e| e.method == "POST" || e.method == "PUT")
        .filter(|e| e.path.starts_with(USERS))
        .map(|e| (e.method.clone(), e.path.clone(), e.json().unwrap()))
        .collect();
    assert_eq!(bodies.len(), 2);
    assert!(bodies.contains(&(
        "PUT".into(),
        "/dm/open_api/v1/users/13329".into(),
        json!({"company": "New Company Name"})
    )));
    assert!(bodies.contains(&(
        "POST".into(),
        USERS.into(),
        json!({"userType": "Reseller", "company": "Acme", "firstName": "Ada", "email": "ada@acme.example",
               "totalExtensions": 100, "totalConcurrentCalls": 20, "totalRecordings": 10, "minimumExtPerPBX": 5,
               "highAvailability": "subscribed"})
    )));
    let ada = report.rows.iter().find(|r| r.key == "ada@acme.example").unwrap();
    assert_eq!(ada.id.as_deref(), Some("13400"));
    assert!(ada.request_id.as_deref().is_some_and(|id| id.len() == 32), "{ada:?}");
}

#[tokio::test]
async fn an_unmodified_export_imports_as_unchanged_and_an_edited_column_is_one_update() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let importer = Importer::new(YcmAdapter::new(client(&sandbox)));
    let records = importer.export().await.unwrap();
    assert_eq!(records.len(), 5);
    for format in [Format::Csv, Format::Jsonl] {
        let mut out = Vec::new();
        write_records(&mut out, format, &importer.schema().export_columns(), &records).unwrap();
        let text = String::from_utf8(out).unwrap();
        if format == Format::Csv {
            assert_eq!(
                text.lines().next().unwrap(),
                "email,userType,company,firstName,lastName,phone,mobile,address,remark,twoFactorAuthenticationEnable"
            );
            assert!(text.contains("rita.reseller@example.com,Reseller,Old Company Name,Rita,Reseller,0592-5503301,13800000000,\"Xiamen, Fujian\",,enable"), "{text}");
        }
        let plan = importer
            .plan(importer.parse(text.as_bytes(), format).unwrap())
            .await
            .unwrap();
        assert_eq!((plan.create, plan.update, plan.unchanged), (0, 0, 5), "{format}");
        let report = importer.apply(plan, &options()).await.unwrap();
        assert_eq!(report.summary.unchanged, 5);
        assert_eq!(writes(&sandbox), 0);

        // Edit one column of one row: one update of that field.
        let edited = text.replacen("Old Company Name", "Renamed Ltd", 1);
        let plan = importer
            .plan(importer.parse(edited.as_bytes(), format).unwrap())
            .await
            .unwrap();
        assert_eq!((plan.update, plan.unchanged), (1, 4));
        let row = plan.rows.iter().find(|r| r.action == Action::Update).unwrap();
        assert_eq!(row.changes, ["company"]);
        importer.apply(plan, &options()).await.unwrap();
        assert_eq!(sandbox.journal_count(&Method::PUT, "/dm/open_api/v1/users/13329"), 1);
        // Back to the original for the other format.
        let restore = text.clone();
        let plan = importer
            .plan(importer.parse(restore.as_bytes(), format).unwrap())
            .await
            .unwrap();
        importer.apply(plan, &options()).await.unwrap();
        sandbox.clear_journal();
    }
}

#[tokio::test]
async fn the_two_factor_switch_can_be_turned_off() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let input = "email,userType,twoFactorAuthenticationEnable\nrita.reseller@example.com,Reseller,disable\n\
                 tom@telecom-partner.example,reseller,DISABLE\n";
    let report = import(&sandbox, input, &options()).await.unwrap();
    assert_eq!(report.summary.updated, 2);
    let puts: Vec<Value> = sandbox
        .journal()
        .iter()
        .filter(|e| e.method == "PUT")
        .map(|e| e.json().unwrap())
        .collect();
    assert_eq!(puts, vec![json!({"twoFactorAuthenticationEnable": "disable"}); 2]);
    let again = import(&sandbox, input, &options()).await.unwrap();
    assert_eq!(again.summary.unchanged, 2);
}
