//! `yeastar`: command-line administration of Yeastar Partner Portal, YCM and Workplace users.
//! Everything lives in the `yeastar_cli` library (so that `cargo xtask man` can read the command
//! line); this is its entry point.

fn main() -> std::process::ExitCode {
    yeastar_cli::main()
}
