//! Helpers: run the `yeastar` binary with a clean environment, an in-process sandbox, temp dirs.
#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::Value;
use yeastar_sandbox::{
    DEMO_PP_CLIENT_ID, DEMO_PP_CLIENT_SECRET, DEMO_WP_CLIENT_ID, DEMO_WP_CLIENT_SECRET, DEMO_YCM_CLIENT_ID,
    DEMO_YCM_CLIENT_SECRET, JournalEntry, Sandbox, SandboxConfig,
};

pub const BIN: &str = env!("CARGO_BIN_EXE_yeastar");

/// A directory removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "yeastar-cli-test-{}-{}-{tag}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn str(&self) -> &str {
        self.0.to_str().unwrap()
    }

    /// The files of `<dir>/yeastar/`, the token cache directory.
    pub fn cache_files(&self) -> Vec<PathBuf> {
        match std::fs::read_dir(self.0.join("yeastar")) {
            Ok(rd) => rd.map(|e| e.unwrap().path()).collect(),
            Err(_) => Vec::new(),
        }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The outcome of one run.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout as JSON (panics with the whole run when it is not).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:#?}"))
    }

    #[track_caller]
    pub fn ok(&self) -> Value {
        assert_eq!(self.code, 0, "{self:#?}");
        self.json()
    }

    #[track_caller]
    pub fn fails(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "{self:#?}");
        assert!(self.stdout.is_empty(), "nothing on stdout on failure: {self:#?}");
        assert!(
            self.stderr.lines().any(|l| l.starts_with("error: ")) || code == 2,
            "{self:#?}"
        );
        self
    }

    pub fn all_output(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// Runs `yeastar args…` with only `env` set (plus a fresh XDG_CACHE_HOME and HOME unless
/// `env` sets them), so that nothing from the developer's environment leaks in.
pub fn run_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let home = TempDir::new("home");
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("HOME", home.path())
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .args(args)
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("the binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn run(args: &[&str]) -> Run {
    run_env(args, &[])
}

/// Which demo credentials to use against the sandbox.
#[derive(Debug, Clone, Copy)]
pub enum P {
    Pp,
    Ycm,
    Wp,
}

impl P {
    pub fn demo(self) -> (&'static str, &'static str) {
        match self {
            P::Pp => (DEMO_PP_CLIENT_ID, DEMO_PP_CLIENT_SECRET),
            P::Ycm => (DEMO_YCM_CLIENT_ID, DEMO_YCM_CLIENT_SECRET),
            P::Wp => (DEMO_WP_CLIENT_ID, DEMO_WP_CLIENT_SECRET),
        }
    }
}

/// A sandbox served by a runtime of its own while the test thread runs the binary.
pub struct Sb {
    pub sandbox: Sandbox,
    rt: tokio::runtime::Runtime,
}

impl Sb {
    pub fn start() -> Self {
        Self::start_with(SandboxConfig::new())
    }

    pub fn start_with(config: SandboxConfig) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let sandbox = rt.block_on(Sandbox::start(config)).unwrap();
        Self { sandbox, rt }
    }

    /// Runs `f` on the sandbox's runtime (to read its state through an SDK client).
    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }

    pub fn url(&self) -> String {
        self.sandbox.base_url()
    }

    /// Runs a command against the sandbox with the product's demo credentials given as
    /// environment variables (the way an admin would).
    pub fn run(&self, p: P, args: &[&str]) -> Run {
        let (id, secret) = p.demo();
        let url = self.url();
        run_env(
            args,
            &[
                ("YEASTAR_BASE_URL", &url),
                ("YEASTAR_CLIENT_ID", id),
                ("YEASTAR_CLIENT_SECRET", secret),
            ],
        )
    }

    /// The journaled requests other than token requests.
    pub fn api_calls(&self) -> Vec<JournalEntry> {
        self.sandbox
            .journal()
            .into_iter()
            .filter(|e| !e.path.contains("oauth") && !e.path.contains("authentication"))
            .collect()
    }

    pub fn last_call(&self) -> JournalEntry {
        self.api_calls().pop().expect("a request was sent")
    }

    pub fn clear(&self) {
        self.sandbox.clear_journal();
    }
}

/// Which of the child's streams are a pseudo-terminal (the others are pipes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tty {
    Stdout,
    Stderr,
    /// stdin, stdout and stderr, and the child's controlling terminal (for prompts).
    All,
}

/// A pseudo-terminal: the master side, read by a thread into a shared buffer.
pub struct Pty {
    master: std::fs::File,
    pub slave_path: std::ffi::CString,
    buf: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Pty {
    pub fn open() -> Self {
        use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
        let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).expect("a pseudo-terminal");
        grantpt(&master).unwrap();
        unlockpt(&master).unwrap();
        rustix::termios::tcsetwinsize(
            &master,
            rustix::termios::Winsize {
                ws_row: 50,
                ws_col: 160,
                ws_xpixel: 0,
                ws_ypixel: 0,
            },
        )
        .unwrap();
        let slave_path = ptsname(&master, Vec::new()).unwrap();
        Self {
            master: std::fs::File::from(master),
            slave_path,
            buf: Default::default(),
            reader: None,
        }
    }

    pub fn slave(&self) -> std::fs::File {
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(self.slave_path.to_str().unwrap())
            .unwrap()
    }

    /// Starts reading the master side (after the child has the slave side).
    pub fn start_reading(&mut self) {
        use std::io::Read;
        let mut master = self.master.try_clone().unwrap();
        let buf = self.buf.clone();
        self.reader = Some(std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            // EIO once every slave side is closed.
            while let Ok(n) = master.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                buf.lock().unwrap().extend_from_slice(&chunk[..n]);
            }
        }));
    }

    /// What the child wrote so far, with the terminal's \r\n turned back into \n.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.buf.lock().unwrap()).replace("\r\n", "\n")
    }

    /// Waits (at most 20 s) until the output contains `needle`.
    pub fn wait_for(&self, needle: &str) {
        let start = std::time::Instant::now();
        while !self.text().contains(needle) {
            assert!(
                start.elapsed() < std::time::Duration::from_secs(20),
                "waited for {needle:?}; got {:?}",
                self.text()
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    /// Types `text` on the terminal's keyboard.
    pub fn type_text(&self, text: &str) {
        use std::io::Write;
        (&self.master).write_all(text.as_bytes()).unwrap();
    }

    pub fn finish(mut self) -> String {
        if let Some(r) = self.reader.take() {
            r.join().unwrap();
        }
        self.text()
    }
}

/// A child with some streams on a pseudo-terminal (and `TERM=xterm`).
pub struct PtyChild {
    pub child: std::process::Child,
    pub pty: Pty,
    _home: TempDir,
}

/// Spawns `yeastar args…` like [`run_env`], with `tty` streams on a pseudo-terminal.
pub fn spawn_pty(args: &[&str], env: &[(&str, &str)], tty: Tty) -> PtyChild {
    let home = TempDir::new("home");
    let mut pty = Pty::open();
    let mut cmd = match tty {
        // setsid --ctty makes the terminal the child's controlling terminal (for /dev/tty).
        Tty::All => {
            let mut c = Command::new("setsid");
            c.args(["--ctty", "--wait", BIN]);
            c
        }
        _ => Command::new(BIN),
    };
    cmd.env_clear()
        .env("HOME", home.path())
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env("TERM", "xterm")
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    match tty {
        Tty::Stdout => cmd.stdin(Stdio::null()).stdout(pty.slave()).stderr(Stdio::piped()),
        Tty::Stderr => cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(pty.slave()),
        Tty::All => cmd.stdin(pty.slave()).stdout(pty.slave()).stderr(pty.slave()),
    };
    let child = cmd.spawn().expect("the binary runs");
    // Our copies of the slave side are closed with `cmd`, so the reader sees the end.
    drop(cmd);
    pty.start_reading();
    PtyChild {
        child,
        pty,
        _home: home,
    }
}

/// Runs `yeastar args…` with `tty` on a pseudo-terminal; the terminal's text is in `stdout`
/// (for `Tty::Stdout` and `Tty::All`) or `stderr` (for `Tty::Stderr`).
pub fn run_pty(args: &[&str], env: &[(&str, &str)], tty: Tty) -> Run {
    use std::io::Read;
    let mut c = spawn_pty(args, env, tty);
    let mut piped = String::new();
    if let Some(mut s) = c.child.stdout.take() {
        s.read_to_string(&mut piped).unwrap();
    }
    if let Some(mut s) = c.child.stderr.take() {
        s.read_to_string(&mut piped).unwrap();
    }
    let status = c.child.wait().unwrap();
    let term = c.pty.finish();
    let (stdout, stderr) = match tty {
        Tty::Stderr => (piped, term),
        _ => (term, piped),
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout,
        stderr,
    }
}
