//! Help that fits a screen, on every command; completion scripts.

mod common;

use common::run;

/// Every command path below the top (`["ycm"]`, `["ycm", "user"]`, `["ycm", "user", "get"]`, …).
fn command_paths() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
        for sc in cmd.get_subcommands().filter(|c| c.get_name() != "help") {
            let mut path = prefix.to_vec();
            path.push(sc.get_name().to_owned());
            out.push(path.clone());
            walk(sc, &path, out);
        }
    }
    let mut out = Vec::new();
    walk(&yeastar_cli::command(), &[], &mut out);
    out
}

const GLOBAL_FLAGS: [&str; 10] = [
    "--output",
    "--profile",
    "--config",
    "--base-url",
    "--access-token",
    "--client-id",
    "--client-secret",
    "--region",
    "--sandbox",
    "--no-token-cache",
];

#[test]
fn every_subcommand_help_fits_40_lines_lists_its_own_arguments_first_and_has_an_example() {
    let paths = command_paths();
    assert!(paths.len() >= 40, "{paths:?}");
    for path in &paths {
        for flag in ["--help", "-h"] {
            let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
            args.push(flag);
            let r = run(&args);
            assert_eq!(r.code, 0, "{r:#?}");
            let lines = r.stdout.lines().count();
            assert!(
                lines <= 40,
                "`yeastar {}` has {lines} lines:\n{}",
                args.join(" "),
                r.stdout
            );
            assert!(r.stdout.contains("Example"), "no example: `yeastar {}`", args.join(" "));
            // The global options: once, briefly, at the end, not as option entries.
            let brief = r
                .stdout
                .lines()
                .position(|l| l.starts_with("Global options (see `yeastar --help`)"))
                .unwrap_or_else(|| panic!("{}", r.stdout));
            assert_eq!(brief + 1, lines, "the brief list comes last: {}", r.stdout);
            for g in GLOBAL_FLAGS {
                let entry = r.stdout.lines().find(|l| {
                    let l = l.trim_start();
                    l.starts_with(&format!("{g} ")) || l.starts_with(&format!("-o, {g} "))
                });
                assert_eq!(entry, None, "{g} listed in `yeastar {}`", args.join(" "));
                assert!(r.stdout.lines().last().unwrap().contains(g), "{g}");
            }
        }
    }
}

/// The YCM onboarding commands of issue 16 exist (and so are walked by the test above).
#[test]
fn the_ycm_onboarding_commands_are_there() {
    let paths = command_paths();
    let mut expected: Vec<Vec<&str>> = ["list", "get", "create", "update", "delete"]
        .iter()
        .map(|v| vec!["ycm", "customer", v])
        .collect();
    for v in [
        "list",
        "get",
        "status",
        "create",
        "update",
        "start",
        "stop",
        "resize",
        "delete",
        "customers",
        "activation-email",
        "wait",
    ] {
        expected.push(vec!["ycm", "pbx", v]);
    }
    for lookup in ["region", "domain", "firmware"] {
        expected.push(vec!["ycm", lookup, "list"]);
    }
    for path in expected {
        assert!(paths.iter().any(|p| p == &path), "no `yeastar {}`", path.join(" "));
    }
}

#[test]
fn the_top_help_lists_every_global_option_in_full() {
    let r = run(&["--help"]);
    assert_eq!(r.code, 0);
    for g in GLOBAL_FLAGS {
        assert!(
            r.stdout
                .lines()
                .any(|l| l.trim_start().starts_with(g) || l.contains(&format!(", {g}"))),
            "{g}: {}",
            r.stdout
        );
    }
    assert!(r.stdout.contains("Exit codes"), "{}", r.stdout);
}

#[test]
fn global_options_are_accepted_after_any_subcommand() {
    // Hidden from the subcommand's help, still parsed there.
    let r = run(&[
        "--sandbox",
        "ycm",
        "user",
        "get",
        "13329",
        "-o",
        "jsonl",
        "--no-token-cache",
    ]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert_eq!(r.stdout.lines().count(), 1, "{r:#?}");
    let r = run(&["ycm", "user", "get", "13329", "--sandbox", "--output", "json"]);
    assert_eq!(r.json()["userId"], 13329, "{r:#?}");
}

#[test]
fn completion_scripts_for_every_shell() {
    for (shell, marker) in [
        ("bash", "_yeastar()"),
        ("zsh", "#compdef yeastar"),
        ("fish", "complete -c yeastar"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[yeastar]"),
    ] {
        let r = run(&["completions", shell]);
        assert_eq!(r.code, 0, "{r:#?}");
        assert!(
            r.stdout.contains(marker),
            "{shell}: {}",
            &r.stdout[..r.stdout.len().min(300)]
        );
        // Deep subcommands and the global options (which complete after any subcommand).
        for word in [
            "subscription",
            "no-token-cache",
            "client-secret",
            "customer",
            "activation-email",
            "firmware",
        ] {
            assert!(r.stdout.contains(word), "{shell}: {word}");
        }
    }
    run(&["completions", "tcsh"]).fails(2);
}
