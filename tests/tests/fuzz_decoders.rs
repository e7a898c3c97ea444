//! Issue 9, item 2: fuzzing every response decoder and envelope of the three products.
//!
//! Every endpoint's `Envelope::open` + `Endpoint::decode` (driven through
//! `RawResponse::new(..)`), the transport's `PlainJson` envelope, and the three token
//! sources (whose decoders are private, so they are driven end to end through a
//! `ScriptedHttp` client) are fed arbitrary bytes, truncated doc examples, doc examples with
//! values replaced by other types / nulls / huge numbers, arbitrary JSON, deep nesting and
//! huge bodies. The `Pages` stream of each product (Partner Portal countries, YCM users,
//! Workplace users) is driven end to end against a scripted server with hostile page metadata
//! (issue 12, item 9): counts of `u64::MAX`, 0, negative, strings, missing; lists longer or
//! shorter than declared; the same page repeated.
//!
//! Property: no panic, no stack overflow; the answer is `Ok(value)` or a clear
//! `Decode` / `UnexpectedResponse` / `Api` error (token paths: also `Auth`, and `Config` for a
//! token that cannot be an HTTP header) whose `Display` is non-empty and shorter than 2 KiB.
//!
//! The number of random cases is scalable: `YEASTAR_FUZZ_CASES` (default 100000) is the total
//! budget of random cases, split between the properties below. For a long run:
//! `YEASTAR_FUZZ_CASES=1000000 cargo test -p yeastar-tests --release --test fuzz_decoders -- --nocapture`.

use std::fmt::Debug;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::Value;
use yeastar::partner_portal as pp;
use yeastar::workplace as wp;
use yeastar::ycm;
use yeastar::{Credentials, Error, RetryPolicy};
use yeastar_transport::reexports::{HeaderMap, StatusCode};
use yeastar_transport::test_util::{Reply, ScriptedHttp};
use yeastar_transport::{Endpoint, Envelope, Meta, PlainJson, Product, RawResponse, Request, Secret};

/// The longest `Display` accepted for an error (excerpts are capped at 200 characters).
const MAX_DISPLAY: usize = 2048;

/// Total random cases (all properties together); `YEASTAR_FUZZ_CASES` overrides it.
fn total_cases() -> u64 {
    std::env::var("YEASTAR_FUZZ_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(100_000)
}

/// This property's share (per mille) of the random-case budget.
fn cases(per_mille: u64) -> u32 {
    u32::try_from((total_cases() * per_mille / 1000).max(1)).unwrap_or(u32::MAX)
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..Config::default()
    })
}

// ---------------------------------------------------------------------------------------------
// Decoders under test

type DecodeFn = fn(&RawResponse<'_>) -> Result<(), Error>;

/// Decodes exactly as the client does (the envelope's one-pass fast path, else `open`); the
/// output's `Debug` is formatted too (it must not panic either). Whenever the fast path
/// succeeds, the tolerant path must agree with it: one answer, whichever path reads it.
fn decode<E: Endpoint>(raw: &RawResponse<'_>) -> Result<(), Error>
where
    E::Output: Debug,
{
    let out = output::<E>(raw)?;
    let fast = format!("{out:?}");
    let tolerant = <E::Envelope as Envelope>::open(raw).and_then(|p| {
        let meta = p.meta();
        E::output(p.json()?, &meta)
    });
    match tolerant {
        Ok(t) => assert_eq!(format!("{t:?}"), fast, "the two decode paths disagree"),
        Err(e) => panic!("the fast path decoded what the tolerant path refuses: {e}"),
    }
    std::hint::black_box(fast);
    Ok(())
}

/// The endpoint's output, decoded as the client does.
fn output<E: Endpoint>(raw: &RawResponse<'_>) -> Result<E::Output, Error> {
    yeastar_transport::decode_response::<E>(raw)
}

/// The transport's `PlainJson` envelope with an arbitrary JSON output.
struct PlainValue;

impl Endpoint for PlainValue {
    type Envelope = PlainJson;
    type Data = Value;
    type Output = Value;
    fn request(&self) -> yeastar::Result<Request> {
        Ok(Request::get("/plain"))
    }
    fn output(data: Value, _: &Meta<'_>) -> yeastar::Result<Value> {
        Ok(data)
    }
}

/// `PlainJson` with a token-shaped output (what an OAuth token source would read).
struct PlainToken;

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct TokenShape {
    access_token: Secret,
    #[serde(default)]
    refresh_token: Option<Secret>,
    #[serde(default, deserialize_with = "yeastar_transport::lenient::opt_u64")]
    expires_in: Option<u64>,
}

impl Endpoint for PlainToken {
    type Envelope = PlainJson;
    type Data = TokenShape;
    type Output = TokenShape;
    fn request(&self) -> yeastar::Result<Request> {
        Ok(Request::post("/token").sensitive())
    }
    fn output(data: TokenShape, _: &Meta<'_>) -> yeastar::Result<TokenShape> {
        Ok(data)
    }
}

struct Target {
    name: &'static str,
    product: Product,
    decode: DecodeFn,
    /// Whether the response is marked sensitive (token endpoints).
    sensitive: bool,
}

macro_rules! target {
    ($product:expr, $ty:ty) => {
        Target {
            name: stringify!($ty),
            product: $product,
            decode: decode::<$ty>,
            sensitive: false,
        }
    };
}

fn targets() -> Vec<Target> {
    use Product::{PartnerPortal as P, Workplace as W, Ycm as Y};
    vec![
        target!(P, pp::users::GetUser),
        target!(P, pp::users::ListUsers),
        target!(P, pp::users::CreateUser),
        target!(P, pp::users::EditUser),
        target!(P, pp::billing::ListBillingContacts),
        target!(P, pp::countries::ListCountries),
        target!(Y, ycm::GetUser),
        target!(Y, ycm::ListUsers),
        target!(Y, ycm::CreateUser),
        target!(Y, ycm::UpdateUser),
        target!(Y, ycm::DeleteUsers),
        target!(Y, ycm::UpdateSubscription),
        target!(Y, ycm::ListSubordinates),
        target!(W, wp::ListUsers),
        target!(W, wp::GetUser),
        target!(W, wp::DeleteUser),
        target!(W, wp::CreateUser),
        target!(W, wp::UpdateUser),
        target!(W, wp::ListGroups),
        target!(W, wp::GetGroup),
        target!(W, wp::CreateGroup),
        target!(W, wp::UpdateGroup),
        target!(W, wp::DeleteGroup),
        // The token endpoints of YCM and Workplace answer plain JSON.
        target!(Y, PlainValue),
        Target {
            sensitive: true,
            ..target!(Y, PlainToken)
        },
        Target {
            sensitive: true,
            ..target!(W, PlainToken)
        },
    ]
}

// ---------------------------------------------------------------------------------------------
// Doc examples and realistic bodies (the seeds of the mutations)

const PP_EXAMPLES: &[&str] = &[
    // Query Subordinate User (doc example, verbatim).
    r#"{
    "code": "success",
    "detailMessage": "",
    "requestId": "8d5872d2a673fbf0b34ea878204933f1",
    "result": {
        "city": "Xiamen",
        "company": "Company Example",
        "country": "Chad",
        "email": "color123@yeastar.com",
        "firstName": "Example",
        "lastName": "LALA",
        "partnerId": "3076915454489739264",
        "phoneNumber": "13600930000",
        "remark": "grrrrrrrrrg",
        "stateProvince": "Fujian",
        "street": "Siming",
        "taxNum": "VAT_number:",
        "userType": "Enduser",
        "zipCode": "361000"
    },
    "status": 200
}"#,
    // Edit Subordinate User (doc example, verbatim).
    r#"{
    "code": "success",
    "detailMessage": "",
    "requestId": "99b4f26bbcc625b98e4d4cc8658b3aeb",
    "result": true,
    "status": 200
}"#,
    r#"{"code":"parameter_validation_failed","detailMessage":"Key: 'yeastarId' Error:Field validation for 'yeastarId' failed on the 'email' tag","requestId":"a1","result":{"field":"yeastarId","tag":"email"},"status":400}"#,
    r#"{"code":"success","detailMessage":"","requestId":"r","result":[{"partnerId":3076915454489739264,"email":"a@b.co","userType":"Customer","company":"名前株式会社"},{"email":"c@d.co","userType":""}],"status":200}"#,
    r#"{"code":"success","requestId":"r","result":{"results":[{"billingContactId":"1","emailAddress":"bill@x.co","firstName":"B"}],"total":1},"status":200}"#,
    r#"{"code":"success","requestId":"r","result":{"count":2,"pageNo":1,"pageSize":25,"results":[{"id":1,"code":"AF","name":"Afghanistan"},{"id":"2","code":"TD","name":"Chad"}],"total":2,"totalPage":1},"status":200}"#,
    r#"{"code":"success","detailMessage":"","requestId":"r","result":{"expiresIn":"1800","refreshToken":"RT-SECRET-MARKER","token":"AT-SECRET-MARKER","tokenHead":"Bearer "},"status":200}"#,
    r#"{"code":"token_expired","detailMessage":"token expired","requestId":"r","result":false,"status":401}"#,
];

const YCM_EXAMPLES: &[&str] = &[
    // Update User (doc example, verbatim).
    r#"{
  "requestId": "bed793ceb96f19a58177b53a3097a1d8",
  "status": "Success",
  "time": 1664437503
}"#,
    r#"{"data":{"userId":13329,"company":"Yeastar","firstName":"Leo","lastName":"L","email":"leo@yeastar.com","phone":"","mobile":"","address":"","remark":"","createdCloudPbx":2,"createdReseller":"0","userType":"Reseller","twoFactorAuthenticationEnable":"disable"},"requestId":"r","status":"Success","time":1664437503}"#,
    r#"{"data":{"pageSize":50,"pageNumber":1,"total":"2","list":[{"userId":13329,"userType":"My Colleague"},{"userId":"13330","userType":"Hosting User","email":"x@y.z"}]},"requestId":"r","status":"Success","time":1}"#,
    r#"{"data":{"userId":13400},"requestId":"r","status":"Success","time":"1639012740"}"#,
    r#"{"data":{"pageSize":50,"pageNumber":1,"total":1,"list":[{"userId":13329,"userName":"Leo","userEmail":"leo@yeastar.com"}]},"requestId":"r","Status":"Success","time":1}"#,
    r#"{"requestId":"r","status":"Failed","errcode":10003,"errmsg":"User not exist","time":1}"#,
    r#"{"status":"Failed","error":{"code":"E42","message":"Nope"},"data":{"errorCode":7,"msg":"bad"}}"#,
    // ysId-sized ids (> i64::MAX) must fit.
    r#"{"data":{"userId":17896360390850257349,"ysId":17896360390850257349},"status":"Success","time":1}"#,
    r#"{"access_token":"AT-SECRET-MARKER","token_type":"bearer","refresh_token":"RT-SECRET-MARKER","expires_in":1799,"scope":"all","jti":"4f1c-9a"}"#,
    r#"{"error":"invalid_client","error_description":"Bad client credentials"}"#,
];

const WP_EXAMPLES: &[&str] = &[
    // Update User (doc example, verbatim).
    r#"{
    "data": {
        "memberId": 54164
    },
    "status": "Success",
    "requestId": "531c47596e916ba22a0f5ad76df24074"
}"#,
    r#"{"data":{"userId":2871964560412737536,"memberId":54164,"inviteStatus":"added","email":"leo@yeastar.com","firstName":"Leo","lastName":"Ye","groupIds":[1000127,"1000128",""],"roleName":"User","preferredBuildingName":"Yeastar","preferredFloorName":"1F","phone":"123","idCode":"A1"},"status":"Success","requestId":"r"}"#,
    r#"{"data":{"pageNo":1,"pageSize":50,"total":2,"list":[{"memberId":54164,"roleName":"Administrator"},{"memberId":"54165","inviteStatus":"invite"}]},"status":"Success","requestId":"r"}"#,
    r#"{"data":{"pageNo":"1","pageSize":50,"total":1,"list":[{"groupId":1000127,"groupName":"Sales"}]},"status":"Success","requestId":"r"}"#,
    r#"{"data":{"groupId":"1000200"},"status":"Success","requestId":"r"}"#,
    r#"{"data":{"userId":1,"memberId":54200},"status":"Success","requestId":"r"}"#,
    r#"{"status":"Failed","requestId":"r1","errMsg":"ACCESS_DENIED","detailMsg":"Request method 'PUT' not supported"}"#,
    r#"{"status":500,"error":"Internal Server Error","path":"/services/openapi/v1.0/user/user_list"}"#,
    r#"{"access_token":"AT-SECRET-MARKER","refresh_token":"RT-SECRET-MARKER","expires_in":86400}"#,
];

fn examples(product: Product) -> &'static [&'static str] {
    match product {
        Product::PartnerPortal => PP_EXAMPLES,
        Product::Ycm => YCM_EXAMPLES,
        _ => WP_EXAMPLES,
    }
}

/// Every key the models and envelopes know: mutations reuse them so that wrong types land on
/// real fields, not only on ignored ones.
const KEYS: &[&str] = &[
    "code",
    "detailMessage",
    "requestId",
    "result",
    "status",
    "Status",
    "data",
    "time",
    "errMsg",
    "detailMsg",
    "errcode",
    "errmsg",
    "error",
    "message",
    "list",
    "results",
    "records",
    "total",
    "count",
    "pageNo",
    "pageSize",
    "pageNumber",
    "totalPage",
    "partnerId",
    "email",
    "userType",
    "company",
    "firstName",
    "lastName",
    "phoneNumber",
    "country",
    "taxNum",
    "id",
    "name",
    "billingContactId",
    "userId",
    "memberId",
    "groupIds",
    "groupId",
    "groupName",
    "roleName",
    "inviteStatus",
    "createdCloudPbx",
    "twoFactorAuthenticationEnable",
    "userName",
    "userEmail",
    "access_token",
    "refresh_token",
    "expires_in",
    "token",
    "refreshToken",
    "expiresIn",
    "ysId",
];

/// Hostile scalars, as raw JSON text (some cannot be a `serde_json::Value`: `1e400`, `-0`).
const HOSTILE: &[&str] = &[
    "null",
    "true",
    "false",
    "0",
    "-0",
    "-1",
    "1.5",
    "-0.0",
    "1e400",
    "-1e400",
    "1E2",
    "4e-400",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "17896360390850257349",
    "18446744073709551615",
    "18446744073709551616",
    "123456789012345678901234567890123456789012345678901234567890",
    r#""""#,
    r#"" ""#,
    r#""abc""#,
    r#"" 42 ""#,
    r#""-7""#,
    r#""17896360390850257349""#,
    r#""18446744073709551616""#,
    r#""1e400""#,
    r#""NaN""#,
    r#""success""#,
    r#""Failed""#,
    r#""\u0000\n\t""#,
    r#""\ud800""#,
    r#""名前""#,
    "[]",
    "{}",
    "[null]",
    "[[]]",
    r#"{"":null}"#,
    r#"["1",2,-3,4.5,"x",{}]"#,
];

// ---------------------------------------------------------------------------------------------
// The check

#[derive(Default)]
struct Tally {
    cases: AtomicU64,
    ok: AtomicU64,
    api: AtomicU64,
    decode: AtomicU64,
    unexpected: AtomicU64,
    auth: AtomicU64,
    config: AtomicU64,
    other: AtomicU64,
}

impl Tally {
    fn add(&self, outcome: &Result<(), Error>) {
        self.cases.fetch_add(1, Ordering::Relaxed);
        let slot = match outcome {
            Ok(()) => &self.ok,
            Err(Error::Api(_)) => &self.api,
            Err(Error::Decode(_)) => &self.decode,
            Err(Error::UnexpectedResponse(_)) => &self.unexpected,
            Err(Error::Auth(_)) => &self.auth,
            Err(Error::Config(_)) => &self.config,
            Err(_) => &self.other,
        };
        slot.fetch_add(1, Ordering::Relaxed);
    }

    fn report(&self, name: &str, started: Instant) -> u64 {
        let g = |a: &AtomicU64| a.load(Ordering::Relaxed);
        eprintln!(
            "[fuzz] {name}: {} cases in {:.1?} (ok {}, api {}, decode {}, unexpected {}, auth {}, config {}, other {})",
            g(&self.cases),
            started.elapsed(),
            g(&self.ok),
            g(&self.api),
            g(&self.decode),
            g(&self.unexpected),
            g(&self.auth),
            g(&self.config),
            g(&self.other)
        );
        g(&self.cases)
    }
}

/// A clear error: one of the expected kinds (`Api`, `Decode`, `UnexpectedResponse`, plus
/// `extra`), a non-empty and bounded `Display`, a `Debug` that formats, and, for answers that
/// carry secrets, no token in either.
fn check_error(e: &Error, extra: &[&str], sensitive: bool) -> Result<(), TestCaseError> {
    let kind = match e {
        Error::Api(_) => "Api",
        Error::Decode(_) => "Decode",
        Error::UnexpectedResponse(_) => "UnexpectedResponse",
        Error::Auth(_) => "Auth",
        Error::Config(_) => "Config",
        _ => "other",
    };
    prop_assert!(
        ["Api", "Decode", "UnexpectedResponse"].contains(&kind) || extra.contains(&kind),
        "unexpected error kind {kind}: {e}"
    );
    let shown = e.to_string();
    prop_assert!(!shown.trim().is_empty(), "empty Display for {e:?}");
    prop_assert!(
        shown.len() < MAX_DISPLAY,
        "Display of {} bytes (max {MAX_DISPLAY}): {}…",
        shown.len(),
        shown.chars().take(300).collect::<String>()
    );
    let debug = format!("{e:?}");
    prop_assert!(!debug.is_empty());
    if sensitive {
        for marker in ["AT-SECRET-MARKER", "RT-SECRET-MARKER", "CLIENT-SECRET-MARKER"] {
            prop_assert!(
                !shown.contains(marker) && !debug.contains(marker),
                "{marker} leaked: {debug}"
            );
        }
    }
    Ok(())
}

fn run_one(t: &Target, status: u16, body: &[u8], tally: &Tally) -> Result<(), TestCaseError> {
    let headers = HeaderMap::new();
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let raw = RawResponse::new(t.product, status, &headers, body, t.sensitive);
    let outcome = (t.decode)(&raw);
    tally.add(&outcome);
    match &outcome {
        Ok(()) => Ok(()),
        Err(e) => check_error(e, &[], t.sensitive).map_err(|f| TestCaseError::fail(format!("{}: {f}", t.name))),
    }
}

fn fail_loudly(t: &Target, status: u16, body: &[u8], r: Result<(), TestCaseError>) {
    if let Err(e) = r {
        let shown = String::from_utf8_lossy(&body[..body.len().min(400)]);
        panic!("{} (HTTP {status}) failed on body {shown:?}: {e}", t.name);
    }
}

fn status_strategy() -> impl Strategy<Value = u16> {
    prop_oneof![
        4 => Just(200u16),
        1 => prop::sample::select(vec![201u16, 204, 400, 401, 403, 404, 405, 429, 500, 502, 503]),
        1 => 100u16..=599,
    ]
}

fn target_strategy(n: usize) -> impl Strategy<Value = usize> {
    0..n
}

// ---------------------------------------------------------------------------------------------
// Raw JSON generators

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

fn raw_scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(HOSTILE).prop_map(str::to_owned),
        any::<bool>().prop_map(|b| b.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| if f.is_finite() {
            format!("{f:e}")
        } else {
            "1e999".into()
        }),
        "-?[1-9][0-9]{15,45}",
        "-?[0-9]{1,3}(\\.[0-9]{1,4})?[eE][+-]?[0-9]{1,4}",
        prop::sample::select(KEYS).prop_map(json_string),
        ".{0,16}".prop_map(|s| json_string(&s)),
        prop::sample::select(vec![
            "success",
            "Success",
            "SUCCESS",
            " success ",
            "Failed",
            "failed",
            "true",
            "1"
        ])
        .prop_map(json_string),
    ]
}

fn raw_key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(KEYS).prop_map(str::to_owned),
        1 => ".{0,12}",
    ]
}

/// Arbitrary JSON text (valid), biased towards the keys and values the decoders care about.
fn raw_json() -> impl Strategy<Value = String> {
    raw_scalar().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec((raw_key(), inner), 0..5).prop_map(|kv| {
                let fields: Vec<String> = kv.iter().map(|(k, v)| format!("{}:{v}", json_string(k))).collect();
                format!("{{{}}}", fields.join(","))
            }),
        ]
    })
}

// ---------------------------------------------------------------------------------------------
// Tree surgery on the examples: replace or delete a node, with raw text for the replacement

#[derive(Debug, Clone)]
enum Seg {
    Key(String),
    Idx(usize),
}

fn node_paths(v: &Value, prefix: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    out.push(prefix.clone());
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                prefix.push(Seg::Key(k.clone()));
                node_paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                prefix.push(Seg::Idx(i));
                node_paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn node_mut<'a>(v: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    let mut cur = v;
    for seg in path {
        cur = match seg {
            Seg::Key(k) => cur.as_object_mut()?.get_mut(k)?,
            Seg::Idx(i) => cur.as_array_mut()?.get_mut(*i)?,
        };
    }
    Some(cur)
}

fn delete(v: &mut Value, path: &[Seg]) {
    let Some((last, parent)) = path.split_last() else {
        *v = Value::Null;
        return;
    };
    match (node_mut(v, parent), last) {
        (Some(Value::Object(map)), Seg::Key(k)) => {
            map.remove(k);
        }
        (Some(Value::Array(items)), Seg::Idx(i)) if *i < items.len() => {
            items.remove(*i);
        }
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Replace(usize, String),
    Delete(usize),
}

/// Applies the mutations (node selectors taken modulo the current node count) and returns the
/// body text, with raw replacements spliced in where a `Value` could not hold them.
fn mutate(example: &str, mutations: &[Mutation]) -> String {
    let mut value: Value = serde_json::from_str(example).expect("examples are JSON");
    let mut holes = Vec::new();
    for m in mutations {
        let mut paths = Vec::new();
        node_paths(&value, &mut Vec::new(), &mut paths);
        match m {
            Mutation::Replace(sel, raw) => {
                let path = &paths[sel % paths.len()];
                let marker = format!("@@HOLE{}@@", holes.len());
                if let Some(node) = node_mut(&mut value, path) {
                    *node = Value::String(marker.clone());
                    holes.push((marker, raw.clone()));
                }
            }
            Mutation::Delete(sel) => delete(&mut value, &paths[sel % paths.len()]),
        }
    }
    let mut text = value.to_string();
    for (marker, raw) in holes.iter().rev() {
        text = text.replace(&json_string(marker), raw);
    }
    text
}

// ---------------------------------------------------------------------------------------------
// Properties over the envelope + endpoint decoders

#[test]
fn arbitrary_bytes_never_panic() {
    let started = Instant::now();
    let targets = targets();
    let tally = Tally::default();
    // Bytes of any value, and bytes from a JSON-ish alphabet that get deeper into the parsers.
    let jsonish = prop::collection::vec(
        prop::sample::select(b"{}[]\":,.-+0123456789eE \\ntrulfasu\xff\xc3\xa9".to_vec()),
        0..200,
    );
    let jsonish = (any::<bool>(), jsonish).prop_map(|(open, v)| if open { [b"{".to_vec(), v].concat() } else { v });
    let bytes = prop_oneof![prop::collection::vec(any::<u8>(), 0..300), jsonish];
    let strategy = (target_strategy(targets.len()), status_strategy(), bytes);
    runner(cases(250))
        .run(&strategy, |(t, status, body)| {
            run_one(&targets[t], status, &body, &tally)
        })
        .unwrap();
    tally.report("arbitrary bytes", started);
}

#[test]
fn truncated_examples_at_every_offset() {
    let started = Instant::now();
    let tally = Tally::default();
    for t in targets() {
        for example in examples(t.product) {
            let bytes = example.as_bytes();
            for cut in 0..bytes.len() {
                for status in [200, 500] {
                    fail_loudly(&t, status, &bytes[..cut], run_one(&t, status, &bytes[..cut], &tally));
                }
            }
            // The whole example decodes or fails cleanly too.
            fail_loudly(&t, 200, bytes, run_one(&t, 200, bytes, &tally));
        }
    }
    let n = tally.report("truncated examples (every offset, HTTP 200 and 500)", started);
    assert!(n > 10_000, "{n}");
    assert!(tally.decode.load(Ordering::Relaxed) + tally.unexpected.load(Ordering::Relaxed) > 0);
}

#[test]
fn every_value_replaced_by_every_hostile_scalar() {
    let started = Instant::now();
    let tally = Tally::default();
    for t in targets() {
        for example in examples(t.product) {
            let value: Value = serde_json::from_str(example).unwrap();
            let mut paths = Vec::new();
            node_paths(&value, &mut Vec::new(), &mut paths);
            for sel in 0..paths.len() {
                for raw in HOSTILE {
                    let body = mutate(example, &[Mutation::Replace(sel, (*raw).to_owned())]);
                    fail_loudly(&t, 200, body.as_bytes(), run_one(&t, 200, body.as_bytes(), &tally));
                }
                let body = mutate(example, &[Mutation::Delete(sel)]);
                fail_loudly(&t, 200, body.as_bytes(), run_one(&t, 200, body.as_bytes(), &tally));
            }
        }
    }
    let n = tally.report("each value replaced by each hostile scalar, or deleted", started);
    assert!(n > 10_000, "{n}");
}

/// Every scalar of an example replaced at once by `null` (then by `""`, `0`, `{}`, `[]`).
#[test]
fn nulls_and_wrong_types_everywhere() {
    fn replace_leaves(v: &mut Value, with: &Value) {
        match v {
            Value::Object(map) => map.values_mut().for_each(|c| replace_leaves(c, with)),
            Value::Array(items) => items.iter_mut().for_each(|c| replace_leaves(c, with)),
            leaf => *leaf = with.clone(),
        }
    }
    fn replace_containers(v: &mut Value, with: &Value, depth: usize) {
        let children: Vec<&mut Value> = match v {
            Value::Object(map) => map.values_mut().collect(),
            Value::Array(items) => items.iter_mut().collect(),
            _ => Vec::new(),
        };
        for c in children {
            if depth > 0 && (c.is_object() || c.is_array()) {
                *c = with.clone();
            } else {
                replace_containers(c, with, depth + 1);
            }
        }
    }
    let started = Instant::now();
    let tally = Tally::default();
    let fillers = [
        Value::Null,
        Value::String(String::new()),
        Value::from(0),
        Value::from(-1),
        Value::from(u64::MAX),
        Value::from(1.5),
        Value::Bool(true),
        serde_json::json!({}),
        serde_json::json!([]),
        serde_json::json!(["x"]),
    ];
    for t in targets() {
        for example in examples(t.product) {
            for filler in &fillers {
                let mut v: Value = serde_json::from_str(example).unwrap();
                replace_leaves(&mut v, filler);
                let body = v.to_string();
                for status in [200, 400] {
                    fail_loudly(
                        &t,
                        status,
                        body.as_bytes(),
                        run_one(&t, status, body.as_bytes(), &tally),
                    );
                }
                let mut v: Value = serde_json::from_str(example).unwrap();
                replace_containers(&mut v, filler, 0);
                let body = v.to_string();
                fail_loudly(&t, 200, body.as_bytes(), run_one(&t, 200, body.as_bytes(), &tally));
            }
        }
    }
    tally.report("nulls / wrong types everywhere", started);
}

#[test]
fn mutated_examples() {
    let started = Instant::now();
    let targets = targets();
    let tally = Tally::default();
    let mutation = prop_oneof![
        4 => (any::<usize>(), raw_json()).prop_map(|(s, raw)| Mutation::Replace(s, raw)),
        1 => any::<usize>().prop_map(Mutation::Delete),
    ];
    let strategy = (
        target_strategy(targets.len()),
        any::<usize>(),
        status_strategy(),
        prop::collection::vec(mutation, 1..4),
    )
        .prop_map(move |(t, ex, status, mutations)| {
            let product = targets_product(t);
            let examples = examples(product);
            let body = mutate(examples[ex % examples.len()], &mutations);
            (t, status, body)
        });
    runner(cases(350))
        .run(&strategy, |(t, status, body)| {
            run_one(&targets[t], status, body.as_bytes(), &tally)
        })
        .unwrap();
    tally.report(
        "mutated examples (1-3 nodes replaced by arbitrary JSON or deleted)",
        started,
    );
    assert!(
        tally.ok.load(Ordering::Relaxed) > 0,
        "the mutations should not break everything"
    );
    assert!(
        tally.decode.load(Ordering::Relaxed) > 0,
        "the mutations should break something"
    );
}

/// The product of target number `t` (the strategies cannot borrow the target list).
fn targets_product(t: usize) -> Product {
    targets()[t].product
}

#[test]
fn arbitrary_json_as_the_data_of_a_success_envelope() {
    let started = Instant::now();
    let targets = targets();
    let tally = Tally::default();
    let strategy = (target_strategy(targets.len()), raw_json(), raw_json());
    runner(cases(150))
        .run(&strategy, |(t, data, extra)| {
            let target = &targets[t];
            let body = match target.product {
                Product::PartnerPortal => {
                    format!(r#"{{"code":"success","requestId":{extra},"result":{data},"status":200}}"#)
                }
                Product::Ycm if target.sensitive || target.name == "PlainValue" => data.clone(),
                Product::Ycm => format!(r#"{{"data":{data},"requestId":"r","status":"Success","time":{extra}}}"#),
                _ if target.sensitive => data.clone(),
                _ => format!(r#"{{"data":{data},"status":"Success","requestId":{extra}}}"#),
            };
            run_one(target, 200, body.as_bytes(), &tally)
        })
        .unwrap();
    tally.report("arbitrary JSON as data/result", started);
}

// ---------------------------------------------------------------------------------------------
// Deep nesting, huge numbers, huge bodies

/// Runs `f` on a thread with the stack of a tokio worker (2 MiB): a stack overflow would abort
/// the whole test process, so passing proves there is none.
fn on_worker_sized_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    on_worker_sized_stack(|| {
        let tally = Tally::default();
        let started = Instant::now();
        let depth = 10_000;
        let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let objects = format!("{}null{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
        let unclosed = "[".repeat(100_000);
        let just_under = format!("{}{}", "[".repeat(120), "]".repeat(120));
        let mut bodies = Vec::new();
        for nested in [&arrays, &objects, &unclosed, &just_under] {
            bodies.push(nested.clone());
            bodies.push(format!(r#"{{"code":"success","result":{nested}}}"#));
            bodies.push(format!(r#"{{"code":"failed","result":{nested}}}"#));
            bodies.push(format!(r#"{{"data":{nested},"status":"Success"}}"#));
            bodies.push(format!(r#"{{"data":{nested},"status":"Failed"}}"#));
            bodies.push(format!(
                r#"{{"data":{{"list":[{{"userId":{nested}}}]}},"status":"Success"}}"#
            ));
            bodies.push(format!(r#"{{"access_token":"AT-SECRET-MARKER","x":{nested}}}"#));
        }
        for t in targets() {
            for body in &bodies {
                for status in [200, 500] {
                    fail_loudly(
                        &t,
                        status,
                        body.as_bytes(),
                        run_one(&t, status, body.as_bytes(), &tally),
                    );
                }
            }
        }
        tally.report("deep nesting (10,000 arrays/objects, 100,000 unclosed)", started);
        // 10,000 levels exceed serde_json's recursion limit (128): never a success.
        let headers = HeaderMap::new();
        let body = format!(r#"{{"data":{arrays},"status":"Success"}}"#);
        let raw = RawResponse::new(Product::Workplace, StatusCode::OK, &headers, body.as_bytes(), false);
        let err = decode::<PlainValue>(&raw).unwrap_err();
        assert!(err.to_string().contains("recursion limit"), "{err}");
    });
}

#[test]
fn huge_numbers_are_values_or_clear_errors() {
    let headers = HeaderMap::new();
    let run = |product: Product, body: &str, f: DecodeFn| {
        let raw = RawResponse::new(product, StatusCode::OK, &headers, body.as_bytes(), false);
        f(&raw)
    };
    // YCM ysId exceeds i64 but fits u64: ids decode.
    let body = r#"{"data":{"userId":17896360390850257349},"status":"Success","time":17896360390850257349}"#;
    let headers2 = HeaderMap::new();
    let raw = RawResponse::new(Product::Ycm, StatusCode::OK, &headers2, body.as_bytes(), false);
    let user = output::<ycm::GetUser>(&raw).unwrap();
    assert_eq!(user.user_id, Some(17_896_360_390_850_257_349));
    let created = output::<ycm::CreateUser>(&raw).unwrap();
    assert_eq!(created.id, Some(17_896_360_390_850_257_349));
    // Beyond u64, negative, fractional, 1e400: clear decode errors naming the field.
    for n in ["18446744073709551616", "-1", "1.5", "1e400", "-0.5"] {
        let body = format!(r#"{{"data":{{"userId":{n}}},"status":"Success"}}"#);
        let err = run(Product::Ycm, &body, decode::<ycm::GetUser>).unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{n}: {err}");
        assert!(err.to_string().contains("data.userId"), "{n}: {err}");
    }
    // -0 is zero.
    let body = r#"{"data":{"memberId":-0},"status":"Success"}"#;
    let raw = RawResponse::new(Product::Workplace, StatusCode::OK, &headers, body.as_bytes(), false);
    let user = output::<wp::GetUser>(&raw).unwrap();
    assert_eq!(user.member_id, Some(0));
    // Partner Portal ids are kept as text, whatever their size.
    let body = r#"{"code":"success","result":{"partnerId":123456789012345678901234567890}}"#;
    let raw = RawResponse::new(Product::PartnerPortal, StatusCode::OK, &headers, body.as_bytes(), false);
    let user = output::<pp::users::GetUser>(&raw).unwrap();
    assert!(
        user.partner_id
            .as_deref()
            .is_some_and(|p| p.starts_with("12345678901234568")),
        "{user:?}"
    );
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A 10 MB body of 50,000 users decodes in reasonable time and memory.
#[test]
fn ten_megabyte_bodies_stay_reasonable() {
    let user = r#"{"userId":13329,"company":"Yeastar Information Technology","firstName":"Leo","lastName":"Lee","email":"leo.lee@example.yeastar.com","phone":"+86 592 5503301","mobile":"","address":"Xiamen, Fujian, China","remark":"remark remark","userType":"Reseller"}"#;
    let n = 10 * 1024 * 1024 / user.len() + 1;
    let list = vec![user; n].join(",");
    let before = peak_rss_kib();
    let headers = HeaderMap::new();
    let started = Instant::now();
    let body = format!(r#"{{"data":{{"pageSize":50,"pageNumber":1,"total":{n},"list":[{list}]}},"status":"Success"}}"#);
    assert!(body.len() >= 10 * 1024 * 1024);
    let raw = RawResponse::new(Product::Ycm, StatusCode::OK, &headers, body.as_bytes(), false);
    let page = output::<ycm::ListUsers>(&raw).unwrap();
    assert_eq!(page.list.len(), n);
    // The same body truncated by one byte fails cleanly, and so does a broken last item.
    let raw = RawResponse::new(
        Product::Ycm,
        StatusCode::OK,
        &headers,
        &body.as_bytes()[..body.len() - 1],
        false,
    );
    let err = decode::<ycm::ListUsers>(&raw).unwrap_err();
    assert!(err.to_string().len() < MAX_DISPLAY, "{}", err.to_string().len());
    let last = body.rfind(r#""userId":13329"#).unwrap();
    let broken = format!(r#"{}"userId":"x"{}"#, &body[..last], &body[last + 14..]);
    let raw = RawResponse::new(Product::Ycm, StatusCode::OK, &headers, broken.as_bytes(), false);
    let err = decode::<ycm::ListUsers>(&raw).unwrap_err();
    assert!(
        err.to_string().contains(&format!("data.list[{}].userId", n - 1)),
        "{err}"
    );
    // Workplace and Partner Portal lists of the same size.
    let wp_body = format!(r#"{{"data":{{"list":[{list}]}},"status":"Success"}}"#);
    let raw = RawResponse::new(Product::Workplace, StatusCode::OK, &headers, wp_body.as_bytes(), false);
    decode::<wp::ListUsers>(&raw).unwrap();
    let pp_body = format!(r#"{{"code":"success","result":[{list}]}}"#);
    let raw = RawResponse::new(
        Product::PartnerPortal,
        StatusCode::OK,
        &headers,
        pp_body.as_bytes(),
        false,
    );
    decode::<pp::users::ListUsers>(&raw).unwrap();
    let elapsed = started.elapsed();
    let grown_mib = match (before, peak_rss_kib()) {
        (Some(a), Some(b)) => b.saturating_sub(a) / 1024,
        _ => 0,
    };
    eprintln!("[fuzz] 10 MB bodies: 3 products x 10 MB decoded in {elapsed:.1?}, peak RSS grew by {grown_mib} MiB");
    assert!(elapsed < Duration::from_secs(60), "{elapsed:?}");
    // Body (10 MB) + a copy + 50,000 decoded users: a few hundred MiB at most.
    assert!(grown_mib < 1024, "peak RSS grew by {grown_mib} MiB");
}

/// The `Display` of every error stays short even when the server sends huge strings: in error
/// codes and messages, in ids of the wrong type, in keys.
#[test]
fn huge_strings_give_bounded_error_messages() {
    let huge = "x".repeat(1024 * 1024);
    let cases: Vec<(Product, String, DecodeFn)> = vec![
        (
            Product::PartnerPortal,
            format!(r#"{{"code":"{huge}","detailMessage":"{huge}","requestId":"{huge}"}}"#),
            decode::<pp::users::GetUser>,
        ),
        (
            Product::PartnerPortal,
            format!(r#"{{"code":"success","result":"{huge}"}}"#),
            decode::<pp::users::ListUsers>,
        ),
        (
            Product::Ycm,
            format!(r#"{{"status":"Failed","errmsg":"{huge}","requestId":"{huge}"}}"#),
            decode::<ycm::GetUser>,
        ),
        (
            Product::Ycm,
            format!(r#"{{"data":{{"userId":"{huge}"}},"status":"Success"}}"#),
            decode::<ycm::GetUser>,
        ),
        (
            Product::Ycm,
            format!(r#"{{"data":{{"list":"{huge}"}},"status":"Success"}}"#),
            decode::<ycm::ListUsers>,
        ),
        (
            Product::Workplace,
            format!(r#"{{"status":"Failed","errMsg":"{huge}","detailMsg":"{huge}"}}"#),
            decode::<wp::GetUser>,
        ),
        (
            Product::Workplace,
            format!(r#"{{"data":{{"{huge}":[}}"#),
            decode::<wp::GetUser>,
        ),
    ];
    let mut failures = Vec::new();
    for (product, body, f) in cases {
        let headers = HeaderMap::new();
        let raw = RawResponse::new(product, StatusCode::OK, &headers, body.as_bytes(), false);
        let err = f(&raw).unwrap_err();
        let len = err.to_string().len();
        if len >= MAX_DISPLAY {
            failures.push(format!("{product}: Display of {len} bytes for {}", &body[..60]));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

// ---------------------------------------------------------------------------------------------
// Token answers, end to end through a scripted client (the token decoders are private)

#[derive(Clone, Copy, Debug)]
enum TokenProduct {
    Pp,
    Ycm,
    Wp,
}

impl TokenProduct {
    fn token_path(self) -> &'static str {
        match self {
            TokenProduct::Pp => "/auth/openapi/v1/oauth/token",
            TokenProduct::Ycm => "/dm/open_api/oauth/token",
            TokenProduct::Wp => "/services/openapi/v1.0/authentication/get_token",
        }
    }

    fn examples(self) -> Vec<&'static str> {
        let token = |e: &&&str| e.contains("SECRET-MARKER") || e.contains("invalid_client") || e.contains("Failed");
        match self {
            TokenProduct::Pp => PP_EXAMPLES.iter().filter(token).copied().collect(),
            TokenProduct::Ycm => YCM_EXAMPLES.iter().filter(token).copied().collect(),
            TokenProduct::Wp => WP_EXAMPLES.iter().filter(token).copied().collect(),
        }
    }

    fn api_answer(self) -> &'static str {
        match self {
            TokenProduct::Pp => PP_EXAMPLES[0],
            TokenProduct::Ycm => YCM_EXAMPLES[1],
            TokenProduct::Wp => WP_EXAMPLES[1],
        }
    }

    /// One authenticated call through a fresh client whose token endpoint answers `body`.
    async fn call(self, status: u16, body: Vec<u8>) -> yeastar::Result<()> {
        let token_path = self.token_path();
        let api = self.api_answer();
        let http = Arc::new(ScriptedHttp::new(move |req| {
            if req.uri.path() == token_path {
                Reply::raw(status, body.clone())
            } else {
                Reply::json(200, api)
            }
        }));
        let credentials = Credentials::client("fuzz-client", "CLIENT-SECRET-MARKER");
        let retry = RetryPolicy::disabled();
        let base = "https://fuzz.example";
        match self {
            TokenProduct::Pp => {
                let c = pp::Client::builder()
                    .base_url(base)
                    .credentials(credentials)
                    .retry(retry)
                    .http_client(http)
                    .build()?;
                c.users().get("color123@yeastar.com").await.map(drop)
            }
            TokenProduct::Ycm => {
                let c = ycm::Client::builder()
                    .base_url(base)
                    .credentials(credentials)
                    .retry(retry)
                    .http_client(http)
                    .build()?;
                c.users().get(13329).await.map(drop)
            }
            TokenProduct::Wp => {
                let c = wp::Client::builder()
                    .base_url(base)
                    .credentials(credentials)
                    .retry(retry)
                    .http_client(http)
                    .build()?;
                c.users().get(54164).await.map(drop)
            }
        }
    }
}

fn token_answers(product: TokenProduct) {
    let started = Instant::now();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let tally = Tally::default();
    let examples = product.examples();
    let n = examples.len();
    let body = prop_oneof![
        3 => (0..n, prop::collection::vec((any::<usize>(), raw_json()).prop_map(|(s, r)| Mutation::Replace(s, r)), 1..3))
            .prop_map(move |(i, m)| mutate(examples[i], &m).into_bytes()),
        1 => (0..n, any::<prop::sample::Index>()).prop_map({
            let examples = product.examples();
            move |(i, cut)| {
                let b = examples[i].as_bytes();
                b[..cut.index(b.len() + 1)].to_vec()
            }
        }),
        1 => prop::collection::vec(any::<u8>(), 0..64),
    ];
    let strategy = (status_strategy(), body);
    runner(cases(50))
        .run(&strategy, |(status, body)| {
            let outcome = rt.block_on(product.call(status, body));
            tally.add(&outcome);
            match &outcome {
                Ok(()) => Ok(()),
                Err(e) => check_error(e, &["Auth", "Config"], true),
            }
        })
        .unwrap();
    tally.report(&format!("{product:?} token answers, end to end"), started);
    assert!(
        tally.ok.load(Ordering::Relaxed) > 0,
        "some token answers must be usable"
    );
}

#[test]
fn pp_token_answers() {
    token_answers(TokenProduct::Pp);
}

#[test]
fn ycm_token_answers() {
    token_answers(TokenProduct::Ycm);
}

#[test]
fn workplace_token_answers() {
    token_answers(TokenProduct::Wp);
}

// ---------------------------------------------------------------------------------------------
// Paging (issue 12, item 9): hostile page metadata through the real `Pages` stream of each
// product, against a scripted server

/// The paged list of each product driven here: Partner Portal countries
/// (`result{pageNo, pageSize, total, count, totalPage, results}`), YCM users
/// (`data{pageNumber, pageSize, total, list}`) and Workplace users (`data{pageNo, pageSize,
/// total, list}`).
#[derive(Clone, Copy, Debug)]
enum PagedProduct {
    Pp,
    Ycm,
    Wp,
}

const PAGED: [PagedProduct; 3] = [PagedProduct::Pp, PagedProduct::Ycm, PagedProduct::Wp];

/// The page size the stream asks for.
const PAGE_SIZE: u64 = 3;
/// The cap on pages set on the fuzzed streams (`Pages::max_pages`), so that a case costs at
/// most this many requests; the default cap is checked separately.
const FUZZ_MAX_PAGES: u64 = 12;

/// Hostile metadata values: absent (`None`), null, zero, negative, huge, fractional, strings,
/// other types.
fn hostile_meta() -> impl Strategy<Value = Option<Value>> {
    // Numbers the paging arithmetic must survive (absent, zero, small, huge)...
    let numbers: Vec<Option<Value>> = vec![
        None,
        Some(serde_json::json!(0)),
        Some(serde_json::json!(1)),
        Some(serde_json::json!(2)),
        Some(serde_json::json!(3)),
        Some(serde_json::json!(7)),
        Some(serde_json::json!(u32::MAX)),
        Some(serde_json::json!(u64::MAX - 1)),
        Some(serde_json::json!(u64::MAX)),
        Some(serde_json::json!("7")),
        Some(serde_json::json!("18446744073709551615")),
    ];
    // ...and values that are not a count at all (a clear `Decode`, or ignored when lenient).
    let wrong: Vec<Option<Value>> = vec![
        Some(Value::Null),
        Some(serde_json::json!(-1)),
        Some(serde_json::json!(i64::MIN)),
        Some(serde_json::json!(1.5)),
        Some(serde_json::json!(1e30)),
        Some(serde_json::json!("-1")),
        Some(serde_json::json!("abc")),
        Some(serde_json::json!("")),
        Some(serde_json::json!(true)),
        Some(serde_json::json!([])),
        Some(serde_json::json!({})),
    ];
    prop_oneof![6 => prop::sample::select(numbers), 1 => prop::sample::select(wrong)]
}

/// How the page number is echoed.
#[derive(Clone, Debug)]
enum Echo {
    /// Not at all.
    Absent,
    /// The page asked for.
    Asked,
    /// Always this value (`1`: the same page repeated).
    Fixed(Option<Value>),
    /// The page asked for plus this (a server that skips or goes back).
    Shifted(i64),
}

#[derive(Clone, Debug)]
enum ListShape {
    /// A list of this many items per page, cycled (shorter, equal to or longer than the page
    /// size; 0 ends the listing).
    Lengths(Vec<usize>),
    /// `null` where the list goes.
    Null,
    /// No list field.
    Missing,
    /// Not a list (a number, a string, an object).
    NotAList(Value),
}

#[derive(Clone, Debug)]
struct PageScript {
    total: Option<Value>,
    count: Option<Value>,
    total_page: Option<Value>,
    page_size: Option<Value>,
    echo: Echo,
    list: ListShape,
}

fn page_script() -> impl Strategy<Value = PageScript> {
    let echo = prop_oneof![
        1 => Just(Echo::Absent),
        2 => Just(Echo::Asked),
        1 => hostile_meta().prop_map(Echo::Fixed),
        1 => (-2i64..=2).prop_map(Echo::Shifted),
    ];
    let list = prop_oneof![
        6 => prop::collection::vec(
            prop_oneof![Just(0usize), Just(PAGE_SIZE as usize), 1..(2 * PAGE_SIZE as usize + 2)],
            1..5
        )
        .prop_map(ListShape::Lengths),
        1 => Just(ListShape::Null),
        1 => Just(ListShape::Missing),
        1 => prop_oneof![
            Just(serde_json::json!(3)),
            Just(serde_json::json!("list")),
            Just(serde_json::json!({"a": 1}))
        ]
        .prop_map(ListShape::NotAList),
    ];
    (
        hostile_meta(),
        hostile_meta(),
        hostile_meta(),
        hostile_meta(),
        echo,
        list,
    )
        .prop_map(|(total, count, total_page, page_size, echo, list)| PageScript {
            total,
            count,
            total_page,
            page_size,
            echo,
            list,
        })
}

impl PagedProduct {
    fn path(self) -> &'static str {
        match self {
            PagedProduct::Pp => "/user/openapi/area/v1/page",
            PagedProduct::Ycm => "/dm/open_api/v2/users",
            PagedProduct::Wp => "/services/openapi/v1.0/user/user_list",
        }
    }

    fn page_param(self) -> &'static str {
        match self {
            PagedProduct::Ycm => "pageNumber",
            _ => "pageNo",
        }
    }

    fn item(self, i: u64) -> Value {
        match self {
            PagedProduct::Pp => serde_json::json!({"id": i, "code": "TD", "name": "Chad"}),
            PagedProduct::Ycm => serde_json::json!({"userId": i, "userType": "Reseller"}),
            PagedProduct::Wp => serde_json::json!({"memberId": i, "roleName": "User"}),
        }
    }

    /// The answer to a request for page `asked` (the `n`-th request of the case).
    fn answer(self, s: &PageScript, asked: u64, n: usize) -> String {
        let mut data = serde_json::Map::new();
        let mut put = |k: &str, v: &Option<Value>| {
            if let Some(v) = v {
                data.insert(k.to_owned(), v.clone());
            }
        };
        let echo = match &s.echo {
            Echo::Absent => None,
            Echo::Asked => Some(serde_json::json!(asked)),
            Echo::Fixed(v) => v.clone(),
            Echo::Shifted(d) => Some(serde_json::json!(asked as i64 + d)),
        };
        put(self.page_param(), &echo);
        put("pageSize", &s.page_size);
        put("total", &s.total);
        if let PagedProduct::Pp = self {
            put("count", &s.count);
            put("totalPage", &s.total_page);
        }
        let list_key = if let PagedProduct::Pp = self { "results" } else { "list" };
        match &s.list {
            ListShape::Lengths(lens) => {
                let len = lens[n % lens.len()] as u64;
                let items: Vec<Value> = (0..len).map(|i| self.item(asked * 100 + i)).collect();
                data.insert(list_key.to_owned(), Value::Array(items));
            }
            ListShape::Null => {
                data.insert(list_key.to_owned(), Value::Null);
            }
            ListShape::Missing => {}
            ListShape::NotAList(v) => {
                data.insert(list_key.to_owned(), v.clone());
            }
        }
        let data = Value::Object(data);
        match self {
            PagedProduct::Pp => serde_json::json!({"code": "success", "detailMessage": "", "requestId": "r", "result": data, "status": 200}),
            PagedProduct::Ycm => serde_json::json!({"data": data, "requestId": "r", "status": "Success", "time": 1}),
            PagedProduct::Wp => serde_json::json!({"data": data, "status": "Success", "requestId": "r"}),
        }
        .to_string()
    }

    /// A scripted server answering `script` for this product's list; counts the page requests.
    fn server(self, script: PageScript) -> (Arc<ScriptedHttp>, Arc<AtomicU64>) {
        let requests = Arc::new(AtomicU64::new(0));
        let seen = requests.clone();
        let http = Arc::new(ScriptedHttp::new(move |req| {
            assert_eq!(req.uri.path(), self.path(), "only the list is requested");
            let n = seen.fetch_add(1, Ordering::Relaxed) as usize;
            let query = req.uri.query().unwrap_or_default();
            let asked = query
                .split('&')
                .find_map(|kv| kv.strip_prefix(self.page_param()).and_then(|v| v.strip_prefix('=')))
                .and_then(|v| v.parse::<u64>().ok())
                .expect("every page request names its page");
            assert!(
                query.contains(&format!("pageSize={PAGE_SIZE}")),
                "the page size asked for is the caller's: {query}"
            );
            Reply::json(200, self.answer(&script, asked, n))
        }));
        (http, requests)
    }

    /// Reads the whole listing through the product's real `Pages` stream (items), with
    /// `max_pages` when given (else the default cap).
    async fn collect(self, http: Arc<ScriptedHttp>, max_pages: Option<u64>) -> yeastar::Result<usize> {
        let credentials = Credentials::access_token("fuzz-access-token");
        let base = "https://fuzz.example";
        let retry = RetryPolicy::disabled();
        let size = PAGE_SIZE as u32;
        macro_rules! drain {
            ($pages:expr) => {{
                let pages = $pages;
                let pages = match max_pages {
                    Some(n) => pages.max_pages(n),
                    None => pages,
                };
                pages.try_collect().await.map(|v| v.len())
            }};
        }
        match self {
            PagedProduct::Pp => {
                let c = pp::Client::builder()
                    .base_url(base)
                    .credentials(credentials)
                    .retry(retry)
                    .http_client(http)
                    .build()?;
                drain!(c.countries().list(pp::countries::ListCountries::new().page_size(size)))
            }
            PagedProduct::Ycm => {
                let c = ycm::Client::builder()
                    .base_url(base)
                    .credentials(credentials)
                    .retry(retry)
                    .http_client(http)
                    .build()?;
                drain!(c.users().list(ycm::ListUsers::new().page_size(size)))
            }
            PagedProduct::Wp => {
                let c = wp::Client::builder()
                    .base_url(base)
                    .credentials(credentials)
                    .retry(retry)
                    .http_client(http)
                    .build()?;
                drain!(c.users().list(wp::ListUsers::new().page_size(size)))
            }
        }
    }
}

/// Hostile page metadata never panics, never makes an endless stream (at most the cap's number
/// of page requests), and ends in the items read or a clear `Paging` / `Decode` error.
#[test]
fn hostile_page_metadata_through_every_products_pages() {
    let started = Instant::now();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (ok, paging, decode, requests_total, max_requests) = (
        AtomicU64::new(0),
        AtomicU64::new(0),
        AtomicU64::new(0),
        AtomicU64::new(0),
        AtomicU64::new(0),
    );
    let strategy = (0..PAGED.len(), page_script());
    runner(cases(30))
        .run(&strategy, |(p, script)| {
            let product = PAGED[p];
            let (http, requests) = product.server(script.clone());
            let outcome = rt.block_on(product.collect(http, Some(FUZZ_MAX_PAGES)));
            let sent = requests.load(Ordering::Relaxed);
            requests_total.fetch_add(sent, Ordering::Relaxed);
            max_requests.fetch_max(sent, Ordering::Relaxed);
            prop_assert!(sent >= 1, "{product:?}: the first page is always asked for");
            prop_assert!(
                sent <= FUZZ_MAX_PAGES,
                "{product:?}: {sent} page requests (cap {FUZZ_MAX_PAGES}) for {script:?}"
            );
            match &outcome {
                Ok(items) => {
                    ok.fetch_add(1, Ordering::Relaxed);
                    prop_assert!(*items as u64 <= sent * (2 * PAGE_SIZE + 1), "{items} items");
                }
                Err(e @ Error::Paging { .. }) => {
                    paging.fetch_add(1, Ordering::Relaxed);
                    let shown = e.to_string();
                    prop_assert!(!shown.trim().is_empty() && shown.len() < MAX_DISPLAY, "{shown}");
                }
                Err(e @ Error::Decode(_)) => {
                    decode.fetch_add(1, Ordering::Relaxed);
                    check_error(e, &[], false)?;
                }
                Err(e) => prop_assert!(false, "{product:?}: {e:?} for {script:?}"),
            }
            Ok(())
        })
        .unwrap();
    let g = |a: &AtomicU64| a.load(Ordering::Relaxed);
    eprintln!(
        "[fuzz] hostile page metadata through Pages (PP countries, YCM users, Workplace users): {} cases in {:.1?} \
         (ok {}, paging {}, decode {}); page requests {} in all, at most {} in one case (cap {FUZZ_MAX_PAGES})",
        g(&ok) + g(&paging) + g(&decode),
        started.elapsed(),
        g(&ok),
        g(&paging),
        g(&decode),
        g(&requests_total),
        g(&max_requests),
    );
    assert!(
        g(&ok) > 0 && g(&paging) > 0 && g(&decode) > 0,
        "every outcome is reached"
    );
}

/// The worst servers, deterministically, with the DEFAULT cap (no `max_pages` set by the
/// caller): a declared total of `u64::MAX` with full pages and no page echo ends with
/// `Error::Paging` after exactly `DEFAULT_MAX_PAGES` requests; the same page repeated (echoing
/// page 1) ends at the second request; a list longer than declared, a short page, and a total
/// of 0 end at once.
#[test]
fn the_worst_paging_servers_are_bounded_with_the_default_cap() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let full = ListShape::Lengths(vec![PAGE_SIZE as usize]);
    let script = |total: Option<Value>, echo: Echo, list: ListShape| PageScript {
        total,
        count: None,
        total_page: None,
        page_size: Some(serde_json::json!(PAGE_SIZE)),
        echo,
        list,
    };
    for product in PAGED {
        // The same page, again and again, echoed as page 1.
        let (http, requests) = product.server(script(
            Some(serde_json::json!(u64::MAX)),
            Echo::Fixed(Some(serde_json::json!(1))),
            full.clone(),
        ));
        let e = rt.block_on(product.collect(http, None)).unwrap_err();
        assert!(
            matches!(&e, Error::Paging { message, .. } if message.contains("asked for page 2")),
            "{product:?}: {e}"
        );
        assert_eq!(requests.load(Ordering::Relaxed), 2, "{product:?}");
        // More items than declared: the declared total ends the listing.
        let (http, requests) = product.server(script(
            Some(serde_json::json!(4)),
            Echo::Asked,
            ListShape::Lengths(vec![2 * PAGE_SIZE as usize]),
        ));
        assert_eq!(
            rt.block_on(product.collect(http, None)).unwrap(),
            2 * PAGE_SIZE as usize
        );
        assert_eq!(requests.load(Ordering::Relaxed), 1, "{product:?}");
        // A total of 0 with items: the items are kept, nothing more is asked for.
        let (http, requests) = product.server(script(Some(serde_json::json!(0)), Echo::Asked, full.clone()));
        assert_eq!(rt.block_on(product.collect(http, None)).unwrap(), PAGE_SIZE as usize);
        assert_eq!(requests.load(Ordering::Relaxed), 1, "{product:?}");
    }
    // u64::MAX items announced, pages full and unnumbered: the default cap ends it.
    let started = Instant::now();
    let (http, requests) = PagedProduct::Ycm.server(script(Some(serde_json::json!(u64::MAX)), Echo::Absent, full));
    let e = rt.block_on(PagedProduct::Ycm.collect(http, None)).unwrap_err();
    assert!(matches!(&e, Error::Paging { .. }), "{e}");
    assert_eq!(
        requests.load(Ordering::Relaxed),
        yeastar_transport::DEFAULT_MAX_PAGES,
        "{e}"
    );
    eprintln!(
        "[fuzz] total u64::MAX, full unnumbered pages: {} requests with the default cap in {:.1?}: {e}",
        requests.load(Ordering::Relaxed),
        started.elapsed()
    );
}

/// Found by `mutated_examples`: an envelope sent as a JSON array was read by the fast path
/// (serde reads a struct from an array, by position) but refused by the tolerant path. Every
/// decoder now gives one answer for it, whichever path reads it.
#[test]
fn an_array_is_never_read_as_an_envelope() {
    let tally = Tally::default();
    for body in [
        r#"[" success ","D",{"data":62106969913575105451469,"roleName":6420177346864371184,"lastName":"failed"}]"#,
        r#"["success","","r",{"email":"a@b.c"},200]"#,
        r#"[{"userId":1},"r","Success",1]"#,
        r#"[{"memberId":1},"Success","r"]"#,
    ] {
        for t in targets() {
            run_one(&t, 200, body.as_bytes(), &tally).unwrap();
        }
    }
}
