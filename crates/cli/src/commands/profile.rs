//! `yeastar profile list|show|add`.

use std::io::{BufRead, Write};

use serde_json::{Map, Value, json};
use yeastar_transport::Product;

use super::{CliError, CliResult, Ctx, non_empty};
use crate::cli::{OutputFormat, ProfileAddArgs, ProfileCommand};
use crate::config::{Config, PRODUCTS, ProductDoc, default_path};
use crate::output::columns;
use crate::term;

pub(crate) fn run(ctx: &Ctx, command: ProfileCommand) -> CliResult {
    match command {
        ProfileCommand::List => {
            let config = ctx.config()?;
            let rows: Vec<Value> = config
                .profile_names()
                .map(|name| {
                    json!({
                        "name": name,
                        "default": name == config.default_profile(),
                        "products": config.products_of(name).iter().map(|p| p.as_str()).collect::<Vec<_>>(),
                    })
                })
                .collect();
            if rows.is_empty() {
                let where_ = config
                    .path()
                    .map_or("no config file".to_owned(), |p| p.display().to_string());
                term::warn(format_args!(
                    "no profiles ({where_}); add one with `yeastar profile add NAME --product P`"
                ));
            }
            ctx.out().list(&rows, columns::PROFILE)
        }
        ProfileCommand::Show { name } => {
            let config = ctx.config()?;
            let name = match name {
                Some(n) => config.choose(Some(&n))?,
                None => config.choose(ctx.global.profile.as_deref())?,
            }
            .ok_or_else(|| {
                CliError::usage("no profile is in use").with_hint("name one: `yeastar profile show NAME`")
            })?;
            show(ctx, config, &name)
        }
        ProfileCommand::Add(args) => add(ctx, args),
    }
}

/// A product's settings as shown: secrets redacted; the variable's name and the command, which
/// are not secrets, as written.
fn shown(doc: &ProductDoc) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let fields = [
        ("client_id", &doc.client_id),
        (
            "client_secret",
            &doc.client_secret.as_ref().map(|_| "<redacted>".to_owned()),
        ),
        ("client_secret_env", &doc.client_secret_env),
        ("client_secret_command", &doc.client_secret_command),
        ("base_url", &doc.base_url),
    ];
    for (k, v) in fields {
        if let Some(v) = v {
            out.push((k, v.clone()));
        }
    }
    if let Some(r) = doc.region {
        out.push(("region", r.as_str().to_owned()));
    }
    out
}

fn show(ctx: &Ctx, config: &Config, name: &str) -> CliResult {
    let products: Vec<(Product, ProductDoc)> = PRODUCTS
        .into_iter()
        .filter_map(|p| config.product(name, p).map(|d| (p, d)))
        .collect();
    match ctx.out().format() {
        OutputFormat::Json | OutputFormat::Jsonl => {
            let mut map = Map::new();
            map.insert("name".into(), json!(name));
            map.insert("default".into(), json!(name == config.default_profile()));
            for (p, d) in &products {
                let settings: Map<String, Value> =
                    shown(d).into_iter().map(|(k, v)| (k.to_owned(), json!(v))).collect();
                map.insert(p.as_str().into(), Value::Object(settings));
            }
            ctx.out().one(&Value::Object(map))
        }
        OutputFormat::Table | OutputFormat::Csv => {
            let rows: Vec<Value> = products
                .iter()
                .flat_map(|(p, d)| {
                    shown(d)
                        .into_iter()
                        .map(move |(k, v)| json!({"product": p.as_str(), "setting": k, "value": v}))
                })
                .collect();
            ctx.out().list(&rows, columns::PROFILE_SETTING)
        }
    }
}

fn prompt_line(prompt: &str) -> CliResult<String> {
    let mut err = std::io::stderr();
    let _ = write!(err, "{prompt}");
    let _ = err.flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::usage(format!("cannot read the answer: {e}")))?;
    Ok(line.trim().to_owned())
}

fn add(ctx: &Ctx, args: ProfileAddArgs) -> CliResult {
    let g = &ctx.global;
    let product = Product::from(args.product);
    let path = g
        .config
        .clone()
        .or_else(default_path)
        .ok_or_else(|| CliError::usage("no config file location: pass --config PATH (or set HOME)"))?;
    let config = Config::load_or_empty(path)?;
    if args.name.trim().is_empty() {
        return Err(CliError::usage("the profile name is empty"));
    }
    let ask = term::stdin_is_terminal();
    let client_id = match non_empty(&g.client_id) {
        Some(id) => id.to_owned(),
        None if ask => prompt_line(&format!("{} client id: ", product))?,
        None => {
            return Err(CliError::usage("--client-id (or YEASTAR_CLIENT_ID) is required")
                .with_hint("on a terminal, yeastar asks for it"));
        }
    };
    if client_id.is_empty() {
        return Err(CliError::usage("the client id is empty"));
    }
    let mut doc = ProductDoc {
        client_id: Some(client_id),
        base_url: non_empty(&g.base_url).map(str::to_owned),
        // Like everywhere, --region only means something to Workplace.
        region: g.region.filter(|_| product == Product::Workplace),
        ..ProductDoc::default()
    };
    if let Some(var) = args.client_secret_env.filter(|v| !v.is_empty()) {
        doc.client_secret_env = Some(var);
    } else if let Some(cmd) = args.client_secret_command.filter(|c| !c.is_empty()) {
        doc.client_secret_command = Some(cmd);
    } else if let Some(secret) = non_empty(&g.client_secret) {
        doc.client_secret = Some(secret.to_owned());
    } else if ask {
        let secret = rpassword::prompt_password(format!("{product} client secret (not shown): "))
            .map_err(|e| CliError::usage(format!("cannot read the secret: {e}")))?;
        if secret.is_empty() {
            return Err(CliError::usage("the client secret is empty"));
        }
        doc.client_secret = Some(secret);
    } else {
        return Err(CliError::usage("no client secret given").with_hint(
            "pass --client-secret-env VAR or --client-secret-command CMD (nothing secret is stored), or set \
             YEASTAR_CLIENT_SECRET; on a terminal, yeastar asks for it",
        ));
    }
    let path = config.save_product(&args.name, product, &doc, args.default)?;
    term::note(format_args!(
        "saved [profiles.{}.{}] in {} (mode 0600)",
        args.name,
        product.as_str(),
        path.display()
    ));
    Ok(())
}
