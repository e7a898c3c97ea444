//! `yeastar ycm customer …`

use yeastar_transport::validate;
use yeastar_ycm::{CreateCustomer, DeleteCustomers, ListCustomers, UpdateCustomer};

use super::client;
use crate::cli::{YcmCustomerCommand, YcmCustomerCreateArgs, YcmCustomerFields, YcmCustomerUpdateArgs};
use crate::commands::{CliError, CliResult, Ctx};
use crate::output::{columns, written};
use crate::progress;

pub(super) async fn run(ctx: &Ctx, command: YcmCustomerCommand) -> CliResult {
    let out = ctx.out();
    match command {
        YcmCustomerCommand::List { sort } => {
            let mut query = ListCustomers::new();
            if let Some(sort) = sort {
                query = query.sort(sort.as_str());
            }
            let all = progress::collect(client(ctx)?.customers().list(query), "customers").await?;
            out.list(&all, columns::YCM_CUSTOMER)
        }
        YcmCustomerCommand::Get { customer_id } => out.one(&client(ctx)?.customers().get(customer_id).await?),
        YcmCustomerCommand::Create(args) => {
            let done = client(ctx)?.customers().create(create_request(args)).await?;
            out.one(&written("customerId", &done))
        }
        YcmCustomerCommand::Update(args) => update(ctx, args).await,
        YcmCustomerCommand::Delete { customer_ids } => {
            let req = DeleteCustomers::new(customer_ids);
            out.one(&written("customerId", &client(ctx)?.customers().delete(req).await?))
        }
    }
}

fn create_request(a: YcmCustomerCreateArgs) -> CreateCustomer {
    let f = a.fields;
    let mut req = CreateCustomer::new(a.first_name, a.company, a.email);
    macro_rules! set {
        ($($field:ident),*) => {$(
            if let Some(v) = f.$field {
                req = req.$field(v);
            }
        )*};
    }
    set!(
        last_name,
        business_number,
        mobile_number,
        home_number,
        fax_number,
        zip_code,
        street,
        city,
        state,
        country,
        remark
    );
    req
}

/// Sets the optional fields given.
fn apply_fields(u: &mut UpdateCustomer, f: YcmCustomerFields) {
    macro_rules! set {
        ($($field:ident),*) => {$(
            if let Some(v) = f.$field {
                u.$field = Some(v);
            }
        )*};
    }
    set!(
        last_name,
        business_number,
        mobile_number,
        home_number,
        fax_number,
        zip_code,
        street,
        city,
        state,
        country,
        remark
    );
}

/// Read-modify-write through `Customers::modify`: every field not given keeps its value, and
/// fields the SDK does not model survive.
async fn update(ctx: &Ctx, a: YcmCustomerUpdateArgs) -> CliResult {
    // What can be checked is checked before connecting.
    if let Some(v) = &a.first_name {
        validate::required("firstName", v)?;
    }
    if let Some(v) = &a.company {
        validate::required("company", v)?;
    }
    if let Some(v) = &a.email {
        validate::email("email", v)?;
    }
    let YcmCustomerUpdateArgs {
        customer_id,
        first_name,
        company,
        email,
        fields,
    } = a;
    if first_name.is_none() && company.is_none() && email.is_none() && fields.is_empty() {
        return Err(CliError::usage(
            "nothing to change: give at least one field (--email, --company, --city, …)",
        ));
    }
    let client = client(ctx)?;
    let done = client
        .customers()
        .modify(customer_id, move |u| {
            if let Some(v) = first_name {
                u.first_name = v;
            }
            if let Some(v) = company {
                u.company = v;
            }
            if let Some(v) = email {
                u.email = v;
            }
            apply_fields(u, fields);
        })
        .await?;
    ctx.out().one(&done)
}
