//! Hostile servers on loopback: a body dripped one byte at a time, an endless body, an
//! untrusted TLS certificate. Real sockets and real (sub-second) time.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use yeastar_transport::{Client, Credentials, Error, RetryPolicy, TimeoutKind, TransportErrorKind};

/// Accepts connections and hands each to `serve` (after reading the request head).
async fn raw_server<F, Fut>(serve: F) -> String
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let serve = Arc::new(serve);
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let serve = serve.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if sock.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                serve(sock).await;
            });
        }
    });
    format!("http://{addr}")
}

fn static_client(base: &str) -> yeastar_transport::ClientBuilder<TestProduct> {
    builder(base).credentials(Credentials::access_token(ACCESS))
}

#[tokio::test]
async fn a_server_dripping_one_byte_at_a_time_hits_the_attempt_timeout() {
    let connections = Arc::new(AtomicU64::new(0));
    let seen = connections.clone();
    let base = raw_server(move |mut sock| {
        seen.fetch_add(1, Ordering::SeqCst);
        async move {
            let body = ok_json("1");
            let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n", body.len());
            let _ = sock.write_all(head.as_bytes()).await;
            for b in body.bytes() {
                if sock.write_all(&[b]).await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    })
    .await;
    let client: Client = static_client(&base)
        .attempt_timeout(Duration::from_millis(300))
        .retry(
            RetryPolicy::default()
                .with_max_attempts(2)
                .with_initial_backoff(Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = client.send(&GetThing("1".into())).await.unwrap_err();
    let Error::RetriesExhausted { last, .. } = &err else {
        panic!("{err}")
    };
    assert!(
        matches!(
            **last,
            Error::Timeout {
                kind: TimeoutKind::Attempt,
                ..
            }
        ),
        "{last}"
    );
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    assert_eq!(
        connections.load(Ordering::SeqCst),
        2,
        "a GET is retried once per allowed attempt"
    );
}

#[tokio::test]
async fn an_endless_chunked_body_stops_at_the_cap() {
    let written = Arc::new(AtomicU64::new(0));
    let count = written.clone();
    let base = raw_server(move |mut sock| {
        let count = count.clone();
        async move {
            let _ = sock
                .write_all(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
                .await;
            let chunk = vec![b' '; 64 * 1024];
            let framed = [format!("{:x}\r\n", chunk.len()).into_bytes(), chunk, b"\r\n".to_vec()].concat();
            // Up to 1 GiB, unless the client hangs up first.
            for _ in 0..(1u64 << 30) / (64 * 1024) {
                if sock.write_all(&framed).await.is_err() {
                    return;
                }
                count.fetch_add(64 * 1024, Ordering::SeqCst);
            }
        }
    })
    .await;
    let cap = 1024 * 1024;
    let client: Client = static_client(&base).max_body_bytes(cap).build().unwrap();
    let err = client.send(&GetThing("1".into())).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.kind == TransportErrorKind::BodyTooLarge),
        "{err}"
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    let sent = written.load(Ordering::SeqCst);
    // The server could only write what the socket buffers and the capped read absorbed.
    assert!(sent < 64 * 1024 * 1024, "client kept reading: {sent} bytes written");
}

/// Serves `body` with chunked encoding, `parts` chunks written apart (so that they arrive as
/// separate reads).
async fn chunked_server(body: String, parts: usize) -> String {
    raw_server(move |mut sock| {
        let body = body.clone();
        async move {
            let _ = sock
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n")
                .await;
            let bytes = body.as_bytes();
            let step = bytes.len().div_ceil(parts);
            for piece in bytes.chunks(step) {
                let framed = [format!("{:x}\r\n", piece.len()).as_bytes(), piece, b"\r\n"].concat();
                let _ = sock.write_all(&framed).await;
                let _ = sock.flush().await;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            let _ = sock.write_all(b"0\r\n\r\n").await;
        }
    })
    .await
}

#[tokio::test]
async fn a_body_in_several_chunks_is_read_whole_and_the_cap_counts_every_chunk() {
    // The reader keeps a body that comes in one piece as it is and joins one that does not:
    // the joined body must be the whole answer, in order.
    let long = "x".repeat(3000);
    let body = ok_json(&format!(r#"{{"id":"1","note":"{long}"}}"#));
    let base = chunked_server(body.clone(), 4).await;
    let client: Client = static_client(&base).build().unwrap();
    let data = client.send(&GetThing("1".into())).await.unwrap();
    assert_eq!(data, serde_json::json!({"id": "1", "note": long}));

    // Exactly at the cap, in four chunks: accepted.
    let client: Client = static_client(&base).max_body_bytes(body.len()).build().unwrap();
    client.send(&GetThing("1".into())).await.unwrap();

    // One byte under: refused, although no single chunk is over the cap.
    let client: Client = static_client(&base).max_body_bytes(body.len() - 1).build().unwrap();
    let err = client.send(&GetThing("1".into())).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.kind == TransportErrorKind::BodyTooLarge),
        "{err}"
    );
}

#[tokio::test]
async fn a_declared_huge_body_is_refused_before_reading() {
    let base = raw_server(|mut sock| async move {
        let _ = sock
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 1073741824\r\n\r\n{")
            .await;
        tokio::time::sleep(Duration::from_secs(5)).await;
    })
    .await;
    let client: Client = static_client(&base).build().unwrap();
    let started = std::time::Instant::now();
    let err = client.send(&GetThing("1".into())).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.kind == TransportErrorKind::BodyTooLarge),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn an_untrusted_certificate_is_a_clear_tls_error_and_never_ignored() {
    let dir = std::env::temp_dir().join(format!("yeastar-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (key, cert) = (dir.join("key.pem"), dir.join("cert.pem"));
    let made = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl is needed for the TLS test (Debian package openssl)");
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = std::process::Command::new("openssl")
        .args(["s_server", "-quiet", "-www", "-accept", &port.to_string()])
        .arg("-key")
        .arg(&key)
        .arg("-cert")
        .arg(&cert)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let client: Client = static_client(&format!("https://127.0.0.1:{port}")).build().unwrap();
    let result = client.send(&GetThing("1".into())).await;
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
    let err = result.unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("expected a TLS error, got {err}")
    };
    assert_eq!(t.kind, TransportErrorKind::Tls, "{err}");
    assert!(err.to_string().to_lowercase().contains("certificate"), "{err}");
    assert!(!err.is_retryable());
    eprintln!("TLS error as users see it: {err}");
}
