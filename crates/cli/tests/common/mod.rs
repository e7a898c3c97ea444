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
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let sandbox = rt.block_on(Sandbox::start(SandboxConfig::new())).unwrap();
        Self { sandbox, rt }
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
