//! `yeastar partner-portal …`

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde_json::{Value, json};
use yeastar_bulk::partner_portal::PartnerPortalAdapter;
use yeastar_partner_portal::{
    Client, CreateOrder, CreateUser, EditUser, ListBillingContacts, ListCountries, ListLicences, ListOrders,
    ListProducts, ListUsers, OperationType, OrderItem, PartnerPortal, PceOrder, PurchaseType, TaxType, WriteResult,
};
use yeastar_transport::{Product, ProductSpec};

use super::{CliError, CliResult, Ctx};
use crate::cli::{
    PpBillingCommand, PpCommand, PpCountryCommand, PpCreateArgs, PpEditArgs, PpProfileArgs, PpUserCommand,
};
use crate::output::{Output, columns, object, written};
use crate::progress;

pub(crate) async fn run(ctx: &Ctx, command: PpCommand) -> CliResult {
    // Check what can be checked before connecting.
    if let PpCommand::User(PpUserCommand::Edit(edit)) = &command
        && edit.company.is_none()
        && edit.profile.is_empty()
    {
        return Err(CliError::usage(
            "nothing to change: give at least one field (--company, --first-name, …)",
        ));
    }
    let product = Product::PartnerPortal;
    let conn = ctx.connect(product, ctx.settings(product)?, PartnerPortal::DEFAULT_BASE_URL)?;
    let client = conn.configure(Client::builder()).build()?;
    let out = ctx.out();
    match command {
        PpCommand::User(PpUserCommand::Get { yeastar_id }) => out.one(&client.users().get(yeastar_id).await?)?,
        PpCommand::User(PpUserCommand::List) => {
            let all = progress::collect(client.users().list(ListUsers::new()), "users").await?;
            out.list(&all, columns::PP_USER)?;
        }
        PpCommand::User(PpUserCommand::Create(args)) => {
            write_result(out, client.users().create(create_request(args)).await?)?;
        }
        PpCommand::User(PpUserCommand::Edit(args)) => {
            write_result(out, client.users().edit(edit_request(args)).await?)?;
        }
        // Connecting sends nothing: the file is still read and checked before any request.
        PpCommand::User(PpUserCommand::Import(args)) => {
            let adapter = PartnerPortalAdapter::new(client);
            super::bulk::import(&yeastar_bulk::partner_portal::SCHEMA, args, || Ok((conn, adapter))).await?;
        }
        PpCommand::User(PpUserCommand::Export(args)) => {
            super::bulk::export(args, || Ok((conn, PartnerPortalAdapter::new(client)))).await?;
        }
        PpCommand::Country(PpCountryCommand::List { name }) => {
            let mut query = ListCountries::new();
            if let Some(name) = name {
                query = query.name(name);
            }
            let all = progress::collect(client.countries().list(query), "countries").await?;
            out.list(&all, columns::PP_COUNTRY)?;
        }
        PpCommand::BillingContact(PpBillingCommand::List) => {
            let list = client.billing_contacts().list(ListBillingContacts::new());
            out.list(
                &progress::collect(list, "billing contacts").await?,
                columns::PP_BILLING_CONTACT,
            )?;
        }
        PpCommand::Auth(cmd) => super::auth::run(ctx, &conn, client.transport(), cmd).await?,
        PpCommand::Product(cmd) => run_catalog(out, &client, PpCatalog::Product(cmd)).await?,
        PpCommand::Order(cmd) => run_catalog(out, &client, PpCatalog::Order(cmd)).await?,
        PpCommand::Licence(cmd) => run_catalog(out, &client, PpCatalog::Licence(cmd)).await?,
    }
    Ok(())
}

/// Prints `{"result": true, "requestId": …}`, as Partner Portal answers a write that was made
/// (`result: false` is an API error, reported on stderr with exit 1).
fn write_result(out: Output, done: WriteResult) -> CliResult {
    out.one(&object([
        ("result", Some(json!(true))),
        ("requestId", done.request_id.map(Into::into)),
    ]))
}

macro_rules! apply_profile {
    ($req:expr, $p:expr) => {{
        let p: PpProfileArgs = $p;
        let mut r = $req;
        if let Some(v) = p.first_name {
            r = r.first_name(v);
        }
        if let Some(v) = p.last_name {
            r = r.last_name(v);
        }
        if let Some(v) = p.phone_number {
            r = r.phone_number(v);
        }
        if let Some(v) = p.state_province {
            r = r.state_province(v);
        }
        if let Some(v) = p.city {
            r = r.city(v);
        }
        if let Some(v) = p.street {
            r = r.street(v);
        }
        if let Some(v) = p.zip_code {
            r = r.zip_code(v);
        }
        if let Some(v) = p.tax_type {
            r = r.tax_type(TaxType::from(v.as_str()));
        }
        if let Some(v) = p.tax_num {
            r = r.tax_num(v);
        }
        if let Some(v) = p.remark {
            r = r.remark(v);
        }
        r
    }};
}

fn create_request(args: PpCreateArgs) -> CreateUser {
    let mut req = apply_profile!(
        CreateUser::new(args.yeastar_id, args.company, args.country),
        args.profile
    );
    if let Some(send) = args.send_activation_email {
        req = req.send_user_activation_email(send);
    }
    req
}

fn edit_request(args: PpEditArgs) -> EditUser {
    let mut req = EditUser::new(args.yeastar_id);
    if let Some(c) = args.company {
        req = req.company(c);
    }
    apply_profile!(req, args.profile)
}

// ------------------------------------------------------------------------------------------------
// Products, orders, licences

/// The table columns of products, orders and licences.
const PRODUCT_COLUMNS: &[&str] = &["productId", "name", "offeringId"];
const ORDER_COLUMNS: &[&str] = &[
    "id",
    "orderNo",
    "orderStatus",
    "productId",
    "operationType",
    "createTime",
];
const LICENCE_COLUMNS: &[&str] = &["productNo", "productId", "productName", "activationStatus", "comment"];

/// `yeastar pp product …`
#[derive(Debug, Subcommand)]
pub(crate) enum PpProductCommand {
    /// Lists the products you may subscribe to.
    #[command(after_help = "Example:\n  yeastar pp product list")]
    List,
}

/// `yeastar pp order …`
#[derive(Debug, Subcommand)]
pub(crate) enum PpOrderCommand {
    /// Creates an order (never sent twice), from flags or from a JSON file.
    #[command(
        after_help = "Examples:\n  yeastar pp order create --operation purchase_plan --product-id 13 \\\n    \
        --billing-id 3081512345678901248 --plan 3048571730026938368:20 \\\n    \
        --pbx-name \"Acme HQ\" --region-id 1 --domain-id 11\n  \
        yeastar pp order create --file order.json"
    )]
    Create(Box<PpOrderArgs>),
    /// Lists every order (all pages).
    #[command(after_help = "Example:\n  yeastar pp order list -o table")]
    List,
    /// Shows one order, by id or order number.
    #[command(after_help = "Example:\n  yeastar pp order get 3100000000000000001")]
    Get {
        /// The order's id or order number.
        id: String,
    },
}

/// `yeastar pp licence …`
#[derive(Debug, Subcommand)]
pub(crate) enum PpLicenceCommand {
    /// Lists the purchased products of a product (all pages).
    #[command(after_help = "Example:\n  yeastar pp licence list --product-id 13")]
    List {
        /// The product (13 Cloud PBX, 12 Software Edition, 9 Linkus, …).
        #[arg(long)]
        product_id: u32,
    },
    /// Shows one purchased product, by SN.
    #[command(after_help = "Example:\n  yeastar pp licence get 3658B4311196XXXX --product-id 13")]
    Get {
        /// The SN (productNo).
        product_no: String,
        /// The product id.
        #[arg(long)]
        product_id: u32,
    },
}

/// `yeastar pp order create` arguments.
#[derive(Debug, Args)]
pub(crate) struct PpOrderArgs {
    /// The order as the API takes it (JSON); no other flag is allowed with it.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["operation", "product_id", "billing_id"])]
    file: Option<PathBuf>,
    /// operationType: purchase_plan, purchase_service, trial_plan, renew_plan, …
    #[arg(long, value_name = "TYPE", required_unless_present = "file")]
    operation: Option<String>,
    /// productId (13 Cloud PBX, 12 Software Edition, …).
    #[arg(long, required_unless_present = "file")]
    product_id: Option<u32>,
    /// billingId (from `pp billing-contact list`).
    #[arg(long, value_name = "ID", required_unless_present = "file")]
    billing_id: Option<String>,
    /// The existing product's SN (for renewals, switches, add-ons).
    #[arg(long, value_name = "SN")]
    product_no: Option<String>,
    /// The customer's partnerId (assignId).
    #[arg(long, value_name = "ID")]
    assign_id: Option<String>,
    /// Purchase order number.
    #[arg(long)]
    po_number: Option<String>,
    /// The plan, as ID or ID:QUANTITY.
    #[arg(long, value_name = "ID[:QTY]")]
    plan: Option<String>,
    /// A service, as ID or ID:QUANTITY (repeatable; linked to --plan, or to --connection-plan).
    #[arg(long, value_name = "ID[:QTY]")]
    service: Vec<String>,
    /// The current plan a service is for, when no --plan is ordered.
    #[arg(long, value_name = "ID")]
    connection_plan: Option<String>,
    /// purchaseType of every item (purchase, renew, switch, trial).
    #[arg(long, value_name = "TYPE")]
    purchase_type: Option<String>,
    /// billingModel of every item (e.g. recurring).
    #[arg(long)]
    billing_model: Option<String>,
    /// billingCycle of every item (e.g. annually).
    #[arg(long)]
    billing_cycle: Option<String>,
    /// multiCycle of every item.
    #[arg(long)]
    multi_cycle: Option<u32>,
    /// Cloud PBX: its name in YCM.
    #[arg(long)]
    pbx_name: Option<String>,
    /// Cloud PBX: the region id (`pp region`… see the SDK's region list).
    #[arg(long, value_name = "ID")]
    region_id: Option<String>,
    /// Cloud PBX: the domain id within the region (pbxSubDomainId).
    #[arg(long, value_name = "ID")]
    domain_id: Option<String>,
}

pub(crate) async fn run_catalog(out: Output, client: &Client, command: PpCatalog) -> CliResult {
    match command {
        PpCatalog::Product(PpProductCommand::List) => {
            let all = progress::collect(client.products().list(ListProducts::new()), "products").await?;
            out.list(&all, PRODUCT_COLUMNS)
        }
        PpCatalog::Order(PpOrderCommand::Create(args)) => {
            let order = order_request(*args)?;
            let done = client.orders().create(order).await?;
            out.one(&written("id", &done))
        }
        PpCatalog::Order(PpOrderCommand::List) => {
            let all = progress::collect(client.orders().list(ListOrders::new()), "orders").await?;
            out.list(&all, ORDER_COLUMNS)
        }
        PpCatalog::Order(PpOrderCommand::Get { id }) => out.one(&client.orders().get(id).await?),
        PpCatalog::Licence(PpLicenceCommand::List { product_id }) => {
            let list = client.licences().list(ListLicences::new(product_id));
            out.list(&progress::collect(list, "licences").await?, LICENCE_COLUMNS)
        }
        PpCatalog::Licence(PpLicenceCommand::Get { product_no, product_id }) => {
            out.one(&client.licences().get(product_no, product_id).await?)
        }
    }
}

/// The product, order and licence commands.
pub(crate) enum PpCatalog {
    Product(PpProductCommand),
    Order(PpOrderCommand),
    Licence(PpLicenceCommand),
}

/// `ID` or `ID:QUANTITY`.
fn item_arg(flag: &str, text: &str) -> Result<(String, Option<u32>), CliError> {
    match text.split_once(':') {
        None => Ok((text.to_owned(), None)),
        Some((id, qty)) => qty
            .parse()
            .map(|q| (id.to_owned(), Some(q)))
            .map_err(|_| CliError::usage(format!("{flag} {text}: the quantity after ':' must be a number"))),
    }
}

fn order_request(args: PpOrderArgs) -> Result<CreateOrder, CliError> {
    if let Some(path) = &args.file {
        let text = std::fs::read_to_string(path)
            .map_err(|e| CliError::usage(format!("cannot read {}: {e}", path.display())))?;
        let value: Value =
            serde_json::from_str(&text).map_err(|e| CliError::usage(format!("{} is not JSON: {e}", path.display())))?;
        return order_from_json(&value).map_err(|m| CliError::usage(format!("{}: {m}", path.display())));
    }
    let (Some(op), Some(product_id), Some(billing_id)) = (args.operation, args.product_id, args.billing_id) else {
        return Err(CliError::usage(
            "--operation, --product-id and --billing-id are required",
        ));
    };
    if args.plan.is_none() && args.service.is_empty() {
        return Err(CliError::usage("give --plan or --service"));
    }
    let common = |mut item: OrderItem| {
        if let Some(v) = &args.purchase_type {
            item = item.purchase_type(PurchaseType::from(v.as_str()));
        }
        if let Some(v) = &args.billing_model {
            item = item.billing_model(v.clone());
        }
        if let Some(v) = &args.billing_cycle {
            item = item.billing_cycle(v.clone());
        }
        if let Some(v) = args.multi_cycle {
            item = item.multi_cycle(v);
        }
        item
    };
    let mut order = CreateOrder::new(OperationType::from(op.as_str()), product_id, billing_id);
    let mut connection = args.connection_plan.clone();
    if let Some(plan) = &args.plan {
        let (id, qty) = item_arg("--plan", plan)?;
        connection = Some(id.clone());
        let mut item = OrderItem::plan(id);
        if let Some(q) = qty {
            item = item.quantity(q);
        }
        order = order.item(common(item));
    }
    for s in &args.service {
        let (id, qty) = item_arg("--service", s)?;
        let mut item = OrderItem::service(id);
        if let Some(c) = &connection {
            item = item.connection_plan_id(c.clone());
        }
        if let Some(q) = qty {
            item = item.quantity(q);
        }
        order = order.item(common(item));
    }
    if let Some(v) = args.product_no {
        order = order.product_no(v);
    }
    if let Some(v) = args.assign_id {
        order = order.assign_id(v);
    }
    if let Some(v) = args.po_number {
        order = order.po_number(v);
    }
    match (args.pbx_name, args.region_id, args.domain_id) {
        (None, None, None) => {}
        (Some(name), Some(region), Some(domain)) => order = order.pce(PceOrder::new(name, region, domain)),
        _ => {
            return Err(CliError::usage(
                "a Cloud PBX needs --pbx-name, --region-id and --domain-id together",
            ));
        }
    }
    Ok(order)
}

/// An order file: the API's body (`operationType`, `productId`, `billingId`, `serviceList`,
/// `orderPceSpecialRequest`, …). Ids may be strings or numbers.
fn order_from_json(v: &Value) -> Result<CreateOrder, String> {
    let text = |v: &Value, key: &str| -> Option<String> {
        match v.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let need = |v: &Value, key: &str| text(v, key).ok_or_else(|| format!("`{key}` is required"));
    let product_id: u32 = need(v, "productId")?
        .parse()
        .map_err(|_| "`productId` must be a number".to_owned())?;
    let mut order = CreateOrder::new(
        OperationType::from(need(v, "operationType")?.as_str()),
        product_id,
        need(v, "billingId")?,
    );
    if let Some(s) = text(v, "productNo") {
        order = order.product_no(s);
    }
    if let Some(s) = text(v, "assignId") {
        order = order.assign_id(s);
    }
    if let Some(s) = text(v, "poNumber") {
        order = order.po_number(s);
    }
    let Some(Value::Array(items)) = v.get("serviceList") else {
        return Err("`serviceList` must be an array".into());
    };
    for i in items {
        let id = need(i, "serviceId")?;
        let mut item = match text(i, "serviceType").as_deref() {
            Some("plan") => OrderItem::plan(id),
            Some("service") => OrderItem::service(id),
            _ => return Err("`serviceType` must be plan or service".into()),
        };
        let number = |key: &str| -> Result<Option<u32>, String> {
            text(i, key)
                .map(|s| s.parse().map_err(|_| format!("`{key}` must be a number")))
                .transpose()
        };
        if let Some(s) = text(i, "connectionPlanId") {
            item = item.connection_plan_id(s);
        }
        if let Some(q) = number("quantity")? {
            item = item.quantity(q);
        }
        if let Some(s) = text(i, "purchaseType") {
            item = item.purchase_type(PurchaseType::from(s.as_str()));
        }
        if let Some(s) = text(i, "billingModel") {
            item = item.billing_model(s);
        }
        if let Some(s) = text(i, "billingCycle") {
            item = item.billing_cycle(s);
        }
        if let Some(q) = number("multiCycle")? {
            item = item.multi_cycle(q);
        }
        order = order.item(item);
    }
    if let Some(pce) = v.get("orderPceSpecialRequest").filter(|p| !p.is_null()) {
        let Value::Object(map) = pce else {
            return Err("`orderPceSpecialRequest` must be an object".into());
        };
        let mut block = PceOrder::new(
            need(pce, "pbxName")?,
            need(pce, "regionId")?,
            need(pce, "pbxSubDomainId")?,
        );
        for (k, val) in map {
            if !["pbxName", "regionId", "pbxSubDomainId"].contains(&k.as_str()) {
                block = block.field(k.clone(), val.clone());
            }
        }
        order = order.pce(block);
    }
    Ok(order)
}
