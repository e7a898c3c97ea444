//! Issue 9, item 3: for any string id, the server sees exactly one path segment that decodes
//! back to that id; `""`, `.` and `..` (and, for Partner Portal ids, blank ones) are refused as
//! `InvalidInput` before anything is sent.
//!
//! Checked at the `Request::path_and_query()` level for many ids (the generic
//! `Request::path_param` and the real Partner Portal `GetUser` endpoint, the only one whose id
//! is a string; YCM and Workplace ids are `u64`), and through a real loopback server for a
//! sample, so that the whole stack (URI building, reqwest, `url` parsing, hyper) is covered.
//! `YEASTAR_FUZZ_CASES` (default 100000) scales the case counts like in `fuzz_decoders`.

use std::cell::Cell;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use yeastar::partner_portal::users::{GET_USER_PATH, GetUser};
use yeastar::partner_portal::{Client, Credentials, PpEnvelope};
use yeastar::{Error, RetryPolicy};
use yeastar_transport::{Endpoint, Meta, Request};

/// Any request under the Partner Portal envelope, its data ignored: the path builder's test
/// needs ids the typed endpoints would never build.
struct RawGet(Request);

impl Endpoint for RawGet {
    type Envelope = PpEnvelope;
    type Data = serde::de::IgnoredAny;
    type Output = ();

    fn request(&self) -> yeastar::Result<Request> {
        Ok(self.0.clone())
    }

    fn output(_: Self::Data, _: &Meta<'_>) -> yeastar::Result<()> {
        Ok(())
    }
}

fn total_cases() -> u64 {
    std::env::var("YEASTAR_FUZZ_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(100_000)
}

fn runner(cases: u64) -> TestRunner {
    TestRunner::new(Config {
        cases: u32::try_from(cases.max(1)).unwrap_or(u32::MAX),
        failure_persistence: None,
        ..Config::default()
    })
}

/// Ids: anything at all, and ids built from the pieces that break paths.
fn ids() -> impl Strategy<Value = String> {
    const PIECES: &[&str] = &[
        "/",
        "?",
        "#",
        "%",
        ".",
        "..",
        " ",
        "  ",
        "%2F",
        "%2f",
        "%2e",
        "%2E%2E",
        "%25",
        "%00",
        "%zz",
        "\\",
        "+",
        "&",
        "=",
        ";",
        ":",
        "@",
        "~",
        "-",
        "_",
        "!",
        "$",
        "'",
        "(",
        ")",
        "*",
        ",",
        "[",
        "]",
        "{partnerId}",
        "{id}",
        "a",
        "Z",
        "0",
        "9",
        "名前",
        "é",
        "😀",
        "\u{0}",
        "\r\n",
        "\t",
        "\u{7f}",
        "\u{85}",
        "\u{a0}",
        "\u{202e}",
        "\u{feff}",
        "\u{2028}",
        "?x=1",
        "#frag",
        "//",
        "./",
        "../",
        "/..",
        "color123@yeastar.com",
        "\u{ff0f}",
        "\u{2215}",
        "\u{fe52}",
    ];
    prop_oneof![
        2 => any::<String>(),
        3 => prop::collection::vec(prop::sample::select(PIECES), 1..7).prop_map(|p| p.concat()),
        1 => "[./%?# \\\\]{0,6}",
        1 => prop::sample::select(vec!["", ".", "..", "...", " ", " . ", ".%2e", "%2e%2e", "\t", "\u{3000}"])
            .prop_map(str::to_owned),
    ]
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The segment's bytes, checking that it holds only unreserved characters, `@` and `%HH`
/// escapes (upper-case hex), so that no URL parser can read it any other way.
fn decode_segment(segment: &str) -> Result<Vec<u8>, String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let (Some(h), Some(l)) = (
                    bytes.get(i + 1).copied().and_then(hex),
                    bytes.get(i + 2).copied().and_then(hex),
                ) else {
                    return Err(format!("bad escape at {i} in {segment:?}"));
                };
                out.push(h * 16 + l);
                i += 3;
            }
            b if b.is_ascii_alphanumeric() || b"-._~@".contains(&b) => {
                out.push(b);
                i += 1;
            }
            b => return Err(format!("raw byte {b:#04x} in segment {segment:?}")),
        }
    }
    Ok(out)
}

fn refused_everywhere(id: &str) -> bool {
    id.is_empty() || id == "." || id == ".."
}

/// `path` is `prefix` + one segment + `suffix`, and that segment decodes back to `id`.
fn check_one_segment(path: &str, prefix: &str, suffix: &str, id: &str) -> Result<(), TestCaseError> {
    prop_assert!(path.starts_with(prefix) && path.ends_with(suffix), "{path:?}");
    prop_assert!(path.len() >= prefix.len() + suffix.len(), "{path:?}");
    let segment = &path[prefix.len()..path.len() - suffix.len()];
    prop_assert!(!segment.contains(['/', '?', '#']), "{id:?} -> {path:?}");
    prop_assert!(
        segment != "." && segment != ".." && !segment.is_empty(),
        "{id:?} -> {path:?}"
    );
    let decoded = decode_segment(segment).map_err(TestCaseError::fail)?;
    prop_assert_eq!(decoded, id.as_bytes().to_vec(), "{:?} -> {:?}", id, path);
    Ok(())
}

const PP_PREFIX: &str = "/user/openapi/user/v1/subordinate_user/";

#[test]
fn any_id_is_one_segment_at_the_request_level() {
    let started = Instant::now();
    let cases = total_cases() / 4;
    let (generic, pp, refused) = (Cell::new(0u64), Cell::new(0u64), Cell::new(0u64));
    runner(cases)
        .run(&ids(), |id| {
            // Generic `Request::path_param`, with the segment in the middle of the path.
            let r = Request::get("/x/{id}/tail").path_param("id", &id).query("q", "1");
            match r.path_and_query() {
                Err(Error::InvalidInput { field, .. }) if refused_everywhere(&id) => prop_assert_eq!(field, "id"),
                Err(e) => return Err(TestCaseError::fail(format!("{id:?}: {e}"))),
                Ok(p) if refused_everywhere(&id) => return Err(TestCaseError::fail(format!("{id:?} accepted: {p}"))),
                Ok(p) => check_one_segment(&p, "/x/", "/tail?q=1", &id)?,
            }
            // The real Partner Portal endpoint (blank ids are refused by its own validation).
            let pp_refused = refused_everywhere(&id) || id.trim().is_empty();
            match GetUser::new(id.clone()).request().and_then(|r| r.path_and_query()) {
                Err(Error::InvalidInput { field, .. }) if pp_refused => {
                    prop_assert_eq!(field, "partnerId");
                    refused.set(refused.get() + 1);
                }
                Err(e) => return Err(TestCaseError::fail(format!("{id:?}: {e}"))),
                Ok(p) if pp_refused => return Err(TestCaseError::fail(format!("{id:?} accepted: {p}"))),
                Ok(p) => {
                    check_one_segment(&p, PP_PREFIX, "", &id)?;
                    pp.set(pp.get() + 1);
                }
            }
            generic.set(generic.get() + 1);
            Ok(())
        })
        .unwrap();
    let (generic, pp, refused) = (generic.get(), pp.get(), refused.get());
    eprintln!(
        "[paths] {generic} ids through Request::path_param and GetUser ({pp} accepted, {refused} refused) in {:.1?}",
        started.elapsed()
    );
    assert!(pp > 0 && refused > 0);
    assert_eq!(GET_USER_PATH, format!("{PP_PREFIX}{{partnerId}}"));
}

/// A loopback HTTP/1.1 server that records the raw request target of every request and
/// answers a Partner Portal user.
async fn capture_server() -> (String, Arc<Mutex<Vec<Vec<u8>>>>) {
    const BODY: &str = r#"{"code":"success","detailMessage":"","requestId":"r1","result":{"partnerId":"1","email":"a@b.co"},"status":200}"#;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let mut sock = BufReader::new(sock);
                loop {
                    let mut line = Vec::new();
                    if sock.read_until(b'\n', &mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    // Skip the headers (GETs have no body).
                    loop {
                        let mut header = Vec::new();
                        if sock.read_until(b'\n', &mut header).await.unwrap_or(0) == 0 {
                            return;
                        }
                        if header == b"\r\n" {
                            break;
                        }
                    }
                    let target = line.split(|b| *b == b' ').nth(1).unwrap_or_default().to_vec();
                    log.lock().unwrap().push(target);
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{BODY}",
                        BODY.len()
                    );
                    if sock.get_mut().write_all(answer.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (format!("http://{addr}"), seen)
}

#[test]
fn any_id_reaches_a_real_server_as_one_segment() {
    let started = Instant::now();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (base, seen) = rt.block_on(capture_server());
    let client = Client::builder()
        .base_url(&base)
        .credentials(Credentials::access_token("static-token"))
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let sent = Cell::new(0u64);
    let check = |id: &str, generic: bool| -> Result<(), TestCaseError> {
        let before = seen.lock().unwrap().len();
        let (expected, result) = if generic {
            let request = Request::get("/user/openapi/x/{id}/tail").path_param("id", id);
            let expected = request.path_and_query();
            let raw = RawGet(request);
            (expected, rt.block_on(client.transport().send(&raw)))
        } else {
            let expected = GetUser::new(id).request().and_then(|r| r.path_and_query());
            (expected, rt.block_on(client.users().get(id)).map(drop))
        };
        let after = seen.lock().unwrap().clone();
        match expected {
            Err(e) => {
                prop_assert!(matches!(e, Error::InvalidInput { .. }), "{id:?}: {e}");
                prop_assert!(matches!(result, Err(Error::InvalidInput { .. })), "{id:?}: {result:?}");
                prop_assert_eq!(after.len(), before, "{:?} was refused but reached the server", id);
            }
            Ok(path) => {
                result.map_err(|e| TestCaseError::fail(format!("{id:?}: {e}")))?;
                prop_assert_eq!(after.len(), before + 1, "{:?}: one request", id);
                let target = String::from_utf8_lossy(&after[before]).into_owned();
                prop_assert_eq!(&target, &path, "the server saw another path for {:?}", id);
                if generic {
                    check_one_segment(&target, "/user/openapi/x/", "/tail", id)?;
                } else {
                    check_one_segment(&target, PP_PREFIX, "", id)?;
                }
                sent.set(sent.get() + 1);
            }
        }
        Ok(())
    };
    // Named hostile ids first, then a random sample.
    for id in [
        "a/b",
        "../x",
        "..%2f",
        "%2e%2e",
        "a?b#c",
        "100%",
        "名前",
        "a b",
        "\0",
        "\r\nHost: evil.example",
        "...",
        ".a",
        "a.",
        "%",
        "%zz",
        "+",
        "color123@yeastar.com",
        "😀",
        "\u{202e}",
        "\\",
        "//",
        "a;b=c",
        "{partnerId}",
        "",
        ".",
        "..",
        " ",
    ] {
        for generic in [false, true] {
            check(id, generic).unwrap_or_else(|e| panic!("{id:?} (generic {generic}): {e}"));
        }
    }
    runner(total_cases() / 50)
        .run(&(ids(), any::<bool>()), |(id, generic)| check(&id, generic))
        .unwrap();
    let sent = sent.get();
    eprintln!(
        "[paths] {sent} requests with hostile ids reached a loopback server intact in {:.1?}",
        started.elapsed()
    );
    assert!(sent > 20);
}

/// The checker itself rejects what it must (so that the properties above can fail).
#[test]
fn the_checker_catches_bad_paths() {
    assert!(check_one_segment("/x/a/b/tail", "/x/", "/tail", "a/b").is_err());
    assert!(check_one_segment("/x/a%2fb/tail", "/x/", "/tail", "a/b").is_err());
    assert!(check_one_segment("/x/a b/tail", "/x/", "/tail", "a b").is_err());
    assert!(check_one_segment("/x/../tail", "/x/", "/tail", "..").is_err());
    assert!(check_one_segment("/x/a%2Fb/tail", "/x/", "/tail", "a/c").is_err());
    assert!(check_one_segment("/x/a%2Fb/tail", "/x/", "/tail", "a/b").is_ok());
}
