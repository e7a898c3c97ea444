//! The Workplace adapter end to end against the sandbox: group names, full-object updates,
//! the face-image note, faults, invalid files, export.
#![cfg(feature = "workplace")]

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};
use yeastar_bulk::workplace::WorkplaceAdapter;
use yeastar_bulk::{Error, Format, Importer, Options, Outcome, Report, write_records};
use yeastar_sandbox::{DEMO_WP_CLIENT_ID, DEMO_WP_CLIENT_SECRET, Fault, FaultRule, Method, Sandbox, SandboxConfig};
use yeastar_workplace::{Client, Credentials, ListUsers, RetryPolicy};

const WP: &str = "/services/openapi/v1.0/user";
const CREATE: &str = "/services/openapi/v1.0/user/user_create";
const UPDATE: &str = "/services/openapi/v1.0/user/user_update";
const PNG: &str = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

fn client(sandbox: &Sandbox) -> Client {
    Client::builder()
        .base_url(sandbox.base_url())
        .credentials(Credentials::client(DEMO_WP_CLIENT_ID, DEMO_WP_CLIENT_SECRET))
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

fn importer(sandbox: &Sandbox) -> Importer<WorkplaceAdapter> {
    Importer::new(WorkplaceAdapter::new(client(sandbox)))
}

async fn import(sandbox: &Sandbox, input: &str) -> Result<Report, Error> {
    let importer = importer(sandbox);
    let plan = importer.plan(importer.parse(input.as_bytes(), Format::Csv)?).await?;
    importer.apply(plan, &options()).await
}

fn writes(sandbox: &Sandbox) -> usize {
    sandbox.journal_count(&Method::POST, CREATE) + sandbox.journal_count(&Method::PUT, UPDATE)
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
async fn users_through_lost_answers_503s_resets_and_429s_exactly_once() {
    let sandbox = Sandbox::start(SandboxConfig::default().with_seed(5)).await.unwrap();
    let mut input = String::from("email,firstName,lastName,groupNames,roleName,preferredBuildingName,phone\n");
    input.push_str("amy@yeastar.com,Amy,Chen,Sales,User,Annex,555-0100\n");
    for i in 0..120 {
        input.push_str(&format!(
            "staff{i}@acme.example,Staff{i},Acme,Yeastar Demo Co.;Sales,User,Yeastar,555-{i:04}\n"
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
        .push(FaultRule::new(Method::POST, CREATE).random(31, faults.clone()));
    sandbox
        .faults()
        .push(FaultRule::new(Method::PUT, UPDATE).random(32, faults));
    sandbox
        .faults()
        .push(FaultRule::new(Method::GET, WP).random(33, [(10, Fault::Status(503)), (5, Fault::DropConnection)]));
    let report = import(&sandbox, &input).await.unwrap();
    assert!(report.stopped.is_none(), "{:?}", report.stopped);
    let n = |o: Outcome| report.rows.iter().filter(|r| r.outcome == o).count();
    assert_eq!((n(Outcome::Created), n(Outcome::Updated)), (120, 1));
    assert_eq!(report.notes.len(), 1, "{:?}", report.notes);
    sandbox.faults().clear();
    let state = users(&sandbox).await;
    for (i, r) in report.rows.iter().enumerate().skip(1) {
        let found = &state[&r.key];
        assert_eq!(found.len(), 1, "{}", r.key);
        let i = i - 1;
        let u = &found[0];
        assert_eq!(
            (&u["firstName"], &u["groupIds"], &u["roleName"], &u["phone"]),
            (
                &json!(format!("Staff{i}")),
                &json!([1000127, 1000128]),
                &json!("User"),
                &json!(format!("555-{i:04}"))
            )
        );
        assert_eq!(r.id.as_deref(), Some(u["memberId"].to_string().as_str()));
    }
    // Amy's groups, building and role were sent back with her new phone: nothing was reset.
    let amy = &state["amy@yeastar.com"][0];
    assert_eq!(
        (&amy["groupIds"], &amy["preferredFloorName"], &amy["phone"]),
        (&json!([1000128]), &json!("G"), &json!("555-0100"))
    );
    let before = writes(&sandbox);
    let again = import(&sandbox, &input).await.unwrap();
    assert_eq!(again.summary.unchanged, 121, "{}", again.summary);
    assert_eq!(writes(&sandbox), before);
}

#[tokio::test]
async fn an_update_sends_the_whole_user_read_again_and_the_plan_counts_images_at_risk() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let input = format!(
        "email,firstName,phone,imageBase64\n\
         leo@yeastar.com,Leo,1325698700,\n\
         amy@yeastar.com,Amy,1325698701,\"{PNG}\"\n\
         new@acme.example,New,,\n"
    );
    let importer = importer(&sandbox);
    let rows = importer.parse(input.as_bytes(), Format::Csv).unwrap();
    // new@ lacks the fields a create needs.
    let Err(Error::Invalid(invalid)) = importer.plan(rows).await else {
        panic!()
    };
    let named: Vec<(u64, Option<&str>)> = invalid.problems.iter().map(|p| (p.line, p.field.as_deref())).collect();
    assert_eq!(
        named,
        [
            (4, Some("groupIds")),
            (4, Some("roleName")),
            (4, Some("preferredBuildingName"))
        ]
    );

    let input = input.lines().take(3).collect::<Vec<_>>().join("\n");
    let plan = importer
        .plan(importer.parse(input.as_bytes(), Format::Csv).unwrap())
        .await
        .unwrap();
    let json = serde_json::to_value(&plan).unwrap();
    assert_eq!(
        json["notes"],
        json!([
            "1 update may clear a face image: Workplace never returns face images and an update sends the \
                whole user, so a user's image is kept only when the row sets imageBase64"
        ])
    );
    assert_eq!(json["rows"][1]["changes"], json!(["phone", "imageBase64"]));
    let report = importer.apply(plan, &options()).await.unwrap();
    assert_eq!(report.summary.updated, 2);
    assert_eq!(report.notes.len(), 1);
    let journal = sandbox.journal();
    let leo: Vec<_> = journal
        .iter()
        .filter(|e| e.path.ends_with("/user_detail/54164") || (e.path == UPDATE && e.body.contains("54164")))
        .map(|e| (e.method.as_str(), e.json()))
        .collect();
    // Read again, then the whole user written back with the new phone.
    assert_eq!(leo.len(), 2, "{leo:?}");
    assert_eq!(leo[0].0, "GET");
    assert_eq!(
        leo[1],
        (
            "PUT",
            Some(
                json!({"memberId": 54164, "email": "leo@yeastar.com", "firstName": "Leo", "lastName": "Ball",
                        "groupIds": [1000127], "roleName": "Administrator", "preferredBuildingName": "Yeastar",
                        "preferredFloorName": "2F", "phone": "1325698700", "idCode": "XZXXtest6701"})
            )
        )
    );
    let amy = journal
        .iter()
        .find(|e| e.path == UPDATE && e.body.contains("54165"))
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(amy["imageBase64"], json!(PNG));
    assert_eq!(amy["groupIds"], json!([1000127, 1000128]));
}

#[tokio::test]
async fn group_names_are_resolved_once_and_unknown_names_are_invalid() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let input = "email,firstName,groupNames,groupIds,roleName,preferredBuildingName\n\
                 a@acme.example,A,sales; yeastar demo co.,,User,Yeastar\n\
                 b@acme.example,B,Marketing,,User,Yeastar\n\
                 c@acme.example,C,Sales,1000127,User,Yeastar\n";
    let Error::Invalid(invalid) = import(&sandbox, input).await.unwrap_err() else {
        panic!()
    };
    let named: Vec<(u64, Option<&str>)> = invalid.problems.iter().map(|p| (p.line, p.field.as_deref())).collect();
    assert_eq!(named, [(3, Some("groupNames")), (4, Some("groupNames"))]);
    assert!(
        invalid.problems[0]
            .message
            .contains("no Workplace group is named \"Marketing\" (groups: Sales, Yeastar Demo Co.)"),
        "{invalid}"
    );
    assert_eq!(writes(&sandbox), 0);
    assert_eq!(
        sandbox.journal_count(&Method::GET, "/services/openapi/v1.0/user/group_list"),
        1
    );

    let report = import(&sandbox, &input.lines().take(2).collect::<Vec<_>>().join("\n"))
        .await
        .unwrap();
    assert!(report.complete());
    let body = sandbox
        .journal()
        .into_iter()
        .find(|e| e.path == CREATE)
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(body["groupIds"], json!([1000128, 1000127]));
}

#[tokio::test]
async fn an_unmodified_export_writes_nothing() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let importer = importer(&sandbox);
    let records = importer.export().await.unwrap();
    for format in [Format::Csv, Format::Jsonl] {
        let mut out = Vec::new();
        write_records(&mut out, format, &importer.schema().export_columns(), &records).unwrap();
        let text = String::from_utf8(out).unwrap();
        if format == Format::Csv {
            assert_eq!(
                text,
                "email,firstName,lastName,groupIds,roleName,preferredBuildingName,preferredFloorName,phone,idCode\n\
                 leo@yeastar.com,Leo,Ball,1000127,Administrator,Yeastar,2F,1325698753,XZXXtest6701\n\
                 amy@yeastar.com,Amy,Chen,1000127;1000128,User,Annex,G,1325698754,\n"
            );
        }
        let plan = importer
            .plan(importer.parse(text.as_bytes(), format).unwrap())
            .await
            .unwrap();
        assert_eq!((plan.create, plan.update, plan.unchanged), (0, 0, 2), "{format}");
        assert!(plan.notes.is_empty());
    }
}
