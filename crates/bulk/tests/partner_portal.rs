//! The Partner Portal adapter end to end against the sandbox.
#![cfg(feature = "partner-portal")]

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};
use yeastar_bulk::partner_portal::PartnerPortalAdapter;
use yeastar_bulk::{Error, Format, Importer, Options, Outcome, Report, write_records};
use yeastar_partner_portal::{Client, Credentials, ListUsers, RetryPolicy};
use yeastar_sandbox::{DEMO_PP_CLIENT_ID, DEMO_PP_CLIENT_SECRET, Fault, FaultRule, Method, Sandbox, SandboxConfig};

const SAVE: &str = "/user/openapi/user/v1/client/save_user";
const EDIT: &str = "/user/openapi/user/v1/client/edit_user";

fn client(sandbox: &Sandbox) -> Client {
    Client::builder()
        .base_url(sandbox.base_url())
        .credentials(Credentials::client(DEMO_PP_CLIENT_ID, DEMO_PP_CLIENT_SECRET))
        .retry(
            RetryPolicy::default()
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(20)),
        )
        .build()
        .unwrap()
}

fn options() -> Options {
    Options::new()
        .concurrency(8)
        .backoff(Duration::from_millis(2), Duration::from_millis(50))
        .max_attempts(10)
}

fn importer(sandbox: &Sandbox) -> Importer<PartnerPortalAdapter> {
    Importer::new(PartnerPortalAdapter::new(client(sandbox)))
}

async fn import(sandbox: &Sandbox, input: &str) -> Result<Report, Error> {
    let importer = importer(sandbox);
    let plan = importer.plan(importer.parse(input.as_bytes(), Format::Csv)?).await?;
    importer.apply(plan, &options()).await
}

fn writes(sandbox: &Sandbox) -> usize {
    sandbox.journal_count(&Method::POST, SAVE) + sandbox.journal_count(&Method::POST, EDIT)
}

async fn users(sandbox: &Sandbox) -> BTreeMap<String, Vec<Value>> {
    let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for u in client(sandbox)
        .users()
        .list(ListUsers::new())
        .try_collect()
        .await
        .unwrap()
    {
        out.entry(u.email.clone().unwrap().to_lowercase())
            .or_default()
            .push(serde_json::to_value(u).unwrap());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customers_through_lost_answers_503s_resets_and_429s_exactly_once() {
    let sandbox = Sandbox::start(SandboxConfig::default().with_seed(3)).await.unwrap();
    let mut input = String::from("yeastarId,company,country,firstName,city,taxType\n");
    input.push_str("color123@yeastar.com,Renamed Example,Chad,Example,Xiamen,VAT_number\n");
    for i in 0..120 {
        input.push_str(&format!(
            "customer{i}@example.com,Customer {i} Ltd,Germany,Ada{i},Berlin,\n"
        ));
    }
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
        .push(FaultRule::new(Method::POST, SAVE).random(21, faults.clone()));
    sandbox
        .faults()
        .push(FaultRule::new(Method::POST, EDIT).random(22, faults));
    sandbox.faults().push(
        FaultRule::new(Method::GET, "/user/openapi/user/v1/")
            .random(23, [(10, Fault::Status(503)), (5, Fault::DropConnection)]),
    );
    let report = import(&sandbox, &input).await.unwrap();
    assert!(report.stopped.is_none(), "{:?}", report.stopped);
    let n = |o: Outcome| report.rows.iter().filter(|r| r.outcome == o).count();
    assert_eq!((n(Outcome::Created), n(Outcome::Updated)), (120, 1));
    let lost = sandbox
        .journal()
        .iter()
        .filter(|e| e.path == SAVE && e.fault.as_deref() == Some("DropAfterHandling"))
        .count();
    assert!(lost > 2, "{lost} lost answers");
    sandbox.faults().clear();
    let state = users(&sandbox).await;
    for (i, r) in report.rows.iter().enumerate() {
        let found = &state[&r.key];
        assert_eq!(found.len(), 1, "{}", r.key);
        if i > 0 {
            let i = i - 1;
            assert_eq!(
                (
                    &found[0]["company"],
                    &found[0]["country"],
                    &found[0]["firstName"],
                    &found[0]["city"]
                ),
                (
                    &json!(format!("Customer {i} Ltd")),
                    &json!("Germany"),
                    &json!(format!("Ada{i}")),
                    &json!("Berlin")
                )
            );
        }
    }
    assert_eq!(state["color123@yeastar.com"][0]["company"], json!("Renamed Example"));
    // Each lost create was looked up by its Yeastar ID.
    assert!(sandbox.journal_count(&Method::GET, "/user/openapi/user/v1/subordinate_user/") > 0);
    let before = writes(&sandbox);
    let again = import(&sandbox, &input).await.unwrap();
    assert_eq!(again.summary.unchanged, 121, "{}", again.summary);
    assert_eq!(writes(&sandbox), before);
}

#[tokio::test]
async fn requests_are_the_documented_bodies() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let input = "email,company,country,firstName,lastName,taxType,taxNum,sendUserActivationEmail\n\
                 color123@yeastar.com,Company Example,Chad,Example,LALA,Tax_ID,T-1,\n\
                 ada@example.com,Example Ltd,chad,Ada,,VAT_number,,false\n";
    let importer = importer(&sandbox);
    let plan = importer
        .plan(importer.parse(input.as_bytes(), Format::Csv).unwrap())
        .await
        .unwrap();
    let rows = serde_json::to_value(&plan).unwrap()["rows"].clone();
    assert_eq!(
        rows,
        json!([
            {"line": 2, "key": "color123@yeastar.com", "action": "update", "changes": ["taxNum", "taxType"],
             "id": "3076915454489739264"},
            {"line": 3, "key": "ada@example.com", "action": "create",
             "changes": ["company", "country", "email", "firstName", "sendUserActivationEmail", "taxType"]}
        ])
    );
    let report = importer.apply(plan, &options()).await.unwrap();
    assert!(report.complete(), "{:?}", report.rows);
    let bodies: Vec<(String, Value)> = sandbox
        .journal()
        .into_iter()
        .filter(|e| e.path == SAVE || e.path == EDIT)
        .map(|e| (e.path.clone(), e.json().unwrap()))
        .collect();
    assert_eq!(bodies.len(), 2);
    assert!(bodies.contains(&(
        EDIT.into(),
        json!({"yeastarId": "color123@yeastar.com", "userType": "Customer", "taxNum": "T-1", "taxType": "Tax_ID"})
    )));
    assert!(bodies.contains(&(
        SAVE.into(),
        json!({"yeastarId": "ada@example.com", "userType": "Customer", "company": "Example Ltd", "country": "chad",
               "firstName": "Ada", "taxType": "VAT_number", "sendUserActivationEmail": false})
    )));
}

#[tokio::test]
async fn an_invalid_file_names_every_bad_row_and_writes_nothing() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let input = "email,company,country,firstName,lastName,taxType,sendUserActivationEmail\n\
                 yaya@yeastar.com,Yaya Trading,Germany,,,,\n\
                 new@example.com,,Chad,New,,,\n\
                 new2@example.com,Co,Chad,,,,\n\
                 new3@example.com,Co,Chad,N,,GST,\n\
                 new4@example.com,Co,Chad,N,,,maybe\n";
    let err = import(&sandbox, input).await.unwrap_err();
    let Error::Invalid(invalid) = err else { panic!("{err}") };
    let named: Vec<(u64, Option<&str>)> = invalid.problems.iter().map(|p| (p.line, p.field.as_deref())).collect();
    // Line 5 and 6 fail when the file is read; lines 2–4 would fail at the plan, which only
    // runs for a file whose values are all valid.
    assert_eq!(named, [(5, Some("taxType")), (6, Some("sendUserActivationEmail"))]);
    let input = "email,company,country,firstName,lastName\n\
                 yaya@yeastar.com,Yaya Trading,Germany,,\n\
                 new@example.com,,Chad,New,\n\
                 new2@example.com,Co,Chad,,\n";
    let Error::Invalid(invalid) = import(&sandbox, input).await.unwrap_err() else {
        panic!()
    };
    let named: Vec<(u64, Option<&str>)> = invalid.problems.iter().map(|p| (p.line, p.field.as_deref())).collect();
    assert_eq!(
        named,
        [(2, Some("country")), (3, Some("company")), (4, Some("firstName"))],
        "{invalid}"
    );
    assert_eq!(writes(&sandbox), 0);
}

#[tokio::test]
async fn an_unmodified_export_writes_nothing() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let importer = importer(&sandbox);
    let records = importer.export().await.unwrap();
    let mut out = Vec::new();
    write_records(&mut out, Format::Csv, &importer.schema().export_columns(), &records).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(
        text.lines().next().unwrap(),
        "email,company,country,firstName,lastName,phoneNumber,stateProvince,city,street,zipCode,taxNum,remark"
    );
    let plan = importer
        .plan(importer.parse(text.as_bytes(), Format::Csv).unwrap())
        .await
        .unwrap();
    assert_eq!((plan.create, plan.update, plan.unchanged), (0, 0, 2));
    let edited = text.replace("Shenzhen", "Guangzhou");
    let plan = importer
        .plan(importer.parse(edited.as_bytes(), Format::Csv).unwrap())
        .await
        .unwrap();
    assert_eq!(plan.update, 1);
    assert_eq!(
        plan.rows.iter().find(|r| r.key == "yaya@yeastar.com").unwrap().changes,
        ["city"]
    );
}
