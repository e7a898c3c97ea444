//! `cargo xtask public-api [--check]`: the public items of each library crate, one per line, in
//! `crates/<crate>/public-api.txt`, so that a change to the public API shows in review.
//!
//! The listing comes from rustdoc's JSON output (an unstable format, enabled on the stable
//! toolchain with `RUSTC_BOOTSTRAP=1`): the crate is walked from its root through public
//! modules and re-exports, as a user sees it; `#[doc(hidden)]` items are left out, as rustdoc
//! leaves them out. `--check` (run by `cargo xtask ci`) fails when a file is out of date.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// (package, library name, directory).
pub(crate) const CRATES: [(&str, &str, &str); 5] = [
    ("yeastar-transport", "yeastar_transport", "crates/transport"),
    (
        "yeastar-partner-portal",
        "yeastar_partner_portal",
        "crates/partner-portal",
    ),
    ("yeastar-ycm", "yeastar_ycm", "crates/ycm"),
    ("yeastar-workplace", "yeastar_workplace", "crates/workplace"),
    ("yeastar-bulk", "yeastar_bulk", "crates/bulk"),
];

pub(crate) fn run(check: bool) -> Result<(), String> {
    let mut stale = Vec::new();
    for (package, lib, dir) in CRATES {
        if !Path::new(dir).join("Cargo.toml").exists() {
            continue;
        }
        let listing = listing(package, lib)?;
        let file = Path::new(dir).join("public-api.txt");
        let current = std::fs::read_to_string(&file).unwrap_or_default();
        if current == listing {
            continue;
        }
        if check {
            stale.push(file.display().to_string());
        } else {
            std::fs::write(&file, &listing).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
            eprintln!("updated {}", file.display());
        }
    }
    if stale.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the public API changed: run `cargo xtask public-api` and commit the listing ({})",
            stale.join(", ")
        ))
    }
}

fn listing(package: &str, lib: &str) -> Result<String, String> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "rustdoc",
            "-q",
            "-p",
            package,
            "--lib",
            "--",
            "-Z",
            "unstable-options",
            "--output-format",
            "json",
        ])
        .env("RUSTC_BOOTSTRAP", "1")
        .status()
        .map_err(|e| format!("cannot run cargo rustdoc: {e}"))?;
    if !status.success() {
        return Err(format!("cargo rustdoc -p {package} failed"));
    }
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
    let path = Path::new(&target).join("doc").join(format!("{lib}.json"));
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = BTreeSet::new();
    let walker = Walker { doc: &doc };
    let root = doc["root"].to_string();
    walker.module(&root, lib, &mut out, 0);
    let mut text = format!("# The public API of {package} (cargo xtask public-api)\n");
    for line in out {
        text.push_str(&line);
        text.push('\n');
    }
    Ok(text)
}

struct Walker<'a> {
    doc: &'a Value,
}

impl Walker<'_> {
    fn item(&self, id: &str) -> Option<&Value> {
        self.doc["index"].get(id)
    }

    fn module(&self, id: &str, path: &str, out: &mut BTreeSet<String>, depth: usize) {
        let Some(module) = self.item(id) else { return };
        if depth > 16 {
            return;
        }
        for child in module["inner"]["module"]["items"].as_array().into_iter().flatten() {
            let child_id = child.to_string();
            let Some(item) = self.item(&child_id) else { continue };
            if item["visibility"] != "public" {
                continue;
            }
            if let Some(u) = item["inner"].get("use") {
                let target = u["id"].as_u64().map(|i| i.to_string());
                let name = u["name"].as_str().unwrap_or_default();
                match target.as_deref().and_then(|t| self.item(t).map(|i| (t, i))) {
                    Some((t, target_item)) if u["is_glob"] == true => {
                        if target_item["inner"].get("module").is_some() {
                            self.module(t, path, out, depth + 1);
                        }
                    }
                    Some((t, _)) => self.emit(t, &format!("{path}::{name}"), out, depth),
                    // An item of another crate.
                    None => {
                        out.insert(format!(
                            "pub use {path}::{name} = {}",
                            u["source"].as_str().unwrap_or("?")
                        ));
                    }
                }
                continue;
            }
            let name = item["name"].as_str().unwrap_or_default();
            self.emit(&child_id, &format!("{path}::{name}"), out, depth);
        }
    }

    fn emit(&self, id: &str, path: &str, out: &mut BTreeSet<String>, depth: usize) {
        let Some(item) = self.item(id) else { return };
        let inner = &item["inner"];
        let Some((kind, body)) = inner.as_object().and_then(|o| o.iter().next()) else {
            return;
        };
        match kind.as_str() {
            "module" => {
                out.insert(format!("pub mod {path}"));
                self.module(id, path, out, depth + 1);
            }
            "struct" => {
                out.insert(format!("pub struct {path}{}", generics(&body["generics"])));
                for field in body["kind"]["plain"]["fields"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .chain(body["kind"]["tuple"].as_array().into_iter().flatten())
                {
                    if let Some(f) = self.item(&field.to_string())
                        && f["visibility"] == "public"
                    {
                        let name = f["name"].as_str().unwrap_or("?");
                        out.insert(format!("pub field {path}::{name}: {}", ty(&f["inner"]["struct_field"])));
                    }
                }
                self.impls(body, path, out);
            }
            "enum" => {
                out.insert(format!("pub enum {path}{}", generics(&body["generics"])));
                for v in body["variants"].as_array().into_iter().flatten() {
                    if let Some(v) = self.item(&v.to_string()) {
                        out.insert(format!("pub variant {path}::{}", v["name"].as_str().unwrap_or("?")));
                    }
                }
                self.impls(body, path, out);
            }
            "trait" => {
                out.insert(format!("pub trait {path}"));
                for m in body["items"].as_array().into_iter().flatten() {
                    if let Some(m) = self.item(&m.to_string()) {
                        out.insert(format!("pub trait item {path}::{}", signature(m)));
                    }
                }
            }
            "function" => {
                out.insert(format!("pub fn {path}{}", fn_sig(body)));
            }
            "constant" => {
                out.insert(format!("pub const {path}: {}", ty(&body["type"])));
            }
            "static" => {
                out.insert(format!("pub static {path}: {}", ty(&body["type"])));
            }
            "type_alias" => {
                out.insert(format!("pub type {path} = {}", ty(&body["type"])));
            }
            "macro" => {
                out.insert(format!("pub macro {}!", item["name"].as_str().unwrap_or("?")));
            }
            other => {
                out.insert(format!("pub {other} {path}"));
            }
        }
    }

    fn impls(&self, body: &Value, path: &str, out: &mut BTreeSet<String>) {
        for imp in body["impls"].as_array().into_iter().flatten() {
            let Some(imp) = self.item(&imp.to_string()) else {
                continue;
            };
            let i = &imp["inner"]["impl"];
            if i["is_synthetic"] == true || !i["blanket_impl"].is_null() {
                continue;
            }
            match &i["trait"] {
                tr if tr.is_object() => {
                    out.insert(format!("impl {} for {path}", path_ty(tr)));
                }
                _ => {
                    for m in i["items"].as_array().into_iter().flatten() {
                        if let Some(m) = self.item(&m.to_string())
                            && m["visibility"] == "public"
                        {
                            out.insert(format!("pub fn {path}::{}", signature(m)));
                        }
                    }
                }
            }
        }
    }
}

fn signature(item: &Value) -> String {
    let name = item["name"].as_str().unwrap_or("?");
    match item["inner"].as_object().and_then(|o| o.iter().next()) {
        Some((k, body)) if k == "function" => format!("{name}{}", fn_sig(body)),
        Some((k, body)) if k == "assoc_type" => format!("type {name}{}", bounds(&body["bounds"])),
        Some((k, body)) if k == "assoc_const" => format!("const {name}: {}", ty(&body["type"])),
        _ => name.to_owned(),
    }
}

fn fn_sig(body: &Value) -> String {
    let sig = &body["sig"];
    let mut s = String::new();
    if body["header"]["is_async"] == true {
        s.push_str(" async");
    }
    s.push_str(&generics(&body["generics"]));
    s.push('(');
    let inputs: Vec<String> = sig["inputs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let name = p[0].as_str().unwrap_or("_");
            if name == "self" {
                match &p[1] {
                    Value::Object(o) if o.contains_key("borrowed_ref") => {
                        if p[1]["borrowed_ref"]["is_mutable"] == true {
                            "&mut self".into()
                        } else {
                            "&self".into()
                        }
                    }
                    _ => "self".into(),
                }
            } else {
                format!("{name}: {}", ty(&p[1]))
            }
        })
        .collect();
    s.push_str(&inputs.join(", "));
    s.push(')');
    if !sig["output"].is_null() {
        let _ = write!(s, " -> {}", ty(&sig["output"]));
    }
    s
}

fn generics(g: &Value) -> String {
    let params: Vec<String> = g["params"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["kind"].get("lifetime").is_none())
        .filter(|p| p["kind"]["type"]["is_synthetic"] != true)
        .map(|p| {
            let name = p["name"].as_str().unwrap_or("?").to_owned();
            match p["kind"]["type"]["bounds"].as_array() {
                Some(b) if !b.is_empty() => format!("{name}{}", bounds(&p["kind"]["type"]["bounds"])),
                _ => name,
            }
        })
        .collect();
    if params.is_empty() {
        String::new()
    } else {
        format!("<{}>", params.join(", "))
    }
}

fn bounds(b: &Value) -> String {
    let list: Vec<String> = b
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| b.get("trait_bound").map(|t| path_ty(&t["trait"])))
        .collect();
    if list.is_empty() {
        String::new()
    } else {
        format!(": {}", list.join(" + "))
    }
}

fn path_ty(p: &Value) -> String {
    let name = p["path"].as_str().unwrap_or("?");
    let args = &p["args"]["angle_bracketed"];
    let mut parts: Vec<String> = args["args"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| {
            if let Some(t) = a.get("type") {
                Some(ty(t))
            } else {
                a.get("const").map(|c| c["expr"].as_str().unwrap_or("_").to_owned())
            }
        })
        .collect();
    for c in args["constraints"].as_array().into_iter().flatten() {
        let rhs = &c["binding"]["equality"]["type"];
        parts.push(format!("{} = {}", c["name"].as_str().unwrap_or("?"), ty(rhs)));
    }
    if parts.is_empty() {
        name.to_owned()
    } else {
        format!("{name}<{}>", parts.join(", "))
    }
}

fn ty(t: &Value) -> String {
    let Some((k, v)) = t.as_object().and_then(|o| o.iter().next()) else {
        return "?".into();
    };
    match k.as_str() {
        "resolved_path" => path_ty(v),
        "primitive" | "generic" => v.as_str().unwrap_or("?").to_owned(),
        "borrowed_ref" => {
            let m = if v["is_mutable"] == true { "mut " } else { "" };
            format!("&{m}{}", ty(&v["type"]))
        }
        "tuple" => format!(
            "({})",
            v.as_array()
                .into_iter()
                .flatten()
                .map(ty)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        "slice" => format!("[{}]", ty(v)),
        "array" => format!("[{}; {}]", ty(&v["type"]), v["len"].as_str().unwrap_or("_")),
        "impl_trait" => format!("impl {}", bounds(v).trim_start_matches(": ")),
        "dyn_trait" => format!(
            "dyn {}",
            v["traits"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|t| path_ty(&t["trait"]))
                .collect::<Vec<_>>()
                .join(" + ")
        ),
        "qualified_path" => format!("{}::{}", ty(&v["self_type"]), v["name"].as_str().unwrap_or("?")),
        "raw_pointer" => format!("*{}", ty(&v["type"])),
        "function_pointer" => "fn(..)".into(),
        "infer" => "_".into(),
        other => other.to_owned(),
    }
}
