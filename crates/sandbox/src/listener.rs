//! The TCP listener, whose connections a handler can kill (see [`Fault::DropConnection`]).
//!
//! [`Fault::DropConnection`]: crate::Fault::DropConnection

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::connect_info::Connected;
use axum::response::Response;
use axum::serve::{IncomingStream, Listener};
use http::header;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// A connection's address and its "drop me" switch (axum's `ConnectInfo`).
#[derive(Debug, Clone)]
pub(crate) struct ConnMeta {
    pub(crate) addr: SocketAddr,
    killed: Arc<AtomicBool>,
}

impl ConnMeta {
    /// A response never written: the killed socket fails the write and hyper closes it.
    pub(crate) fn kill(&self) -> Response {
        self.killed.store(true, Ordering::Release);
        let mut resp = Response::new(Body::empty());
        *resp.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
        resp.headers_mut()
            .insert(header::CONNECTION, http::HeaderValue::from_static("close"));
        resp
    }
}

/// A TCP listener whose connections can be killed from a handler.
#[derive(Debug)]
pub(crate) struct SandboxListener(pub(crate) TcpListener);

/// A TCP stream that fails every read and write once its connection is killed, so that hyper
/// closes the socket without writing the response.
#[derive(Debug)]
pub(crate) struct KillableIo {
    inner: TcpStream,
    killed: Arc<AtomicBool>,
}

fn aborted() -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionAborted,
        "connection dropped by a sandbox fault",
    )
}

impl AsyncRead for KillableIo {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        if self.killed.load(Ordering::Acquire) {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for KillableIo {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        if self.killed.load(Ordering::Acquire) {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.killed.load(Ordering::Acquire) {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

impl Listener for SandboxListener {
    type Io = KillableIo;
    type Addr = ConnMeta;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.0.accept().await {
                Ok((stream, addr)) => {
                    let _ = stream.set_nodelay(true);
                    let killed = Arc::new(AtomicBool::new(false));
                    return (
                        KillableIo {
                            inner: stream,
                            killed: killed.clone(),
                        },
                        ConnMeta { addr, killed },
                    );
                }
                // Out of file descriptors and the like: wait a little instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(ConnMeta {
            addr: self.0.local_addr()?,
            killed: Arc::new(AtomicBool::new(false)),
        })
    }
}

impl Connected<IncomingStream<'_, SandboxListener>> for ConnMeta {
    fn connect_info(stream: IncomingStream<'_, SandboxListener>) -> Self {
        stream.remote_addr().clone()
    }
}
