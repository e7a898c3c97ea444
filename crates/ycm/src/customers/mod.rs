//! YCM customers: `/dm/open_api/v1/customers`.

mod model;
mod requests;

use std::fmt;

use yeastar_transport::{Error, Pages, Result, WriteResult};

pub use self::model::{Customer, CustomerPage};
pub use self::requests::{
    CreateCustomer, CreatedCustomer, DeleteCustomers, GetCustomer, ListCustomers, UpdateCustomer,
};
use crate::client::Client;

/// The YCM customer API of a [`Client`] (see [`Client::customers`]).
#[derive(Clone, Copy)]
pub struct Customers<'a> {
    client: &'a Client,
}

impl fmt::Debug for Customers<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Customers").finish_non_exhaustive()
    }
}

impl<'a> Customers<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// Queries one customer (`GET /dm/open_api/v1/customers/{customerId}`).
    pub async fn get(&self, customer_id: u64) -> Result<Customer> {
        self.client.send(&GetCustomer::new(customer_id)).await
    }

    /// Every customer, as a lazy stream read page by page (`GET /dm/open_api/v1/customers`).
    pub fn list(&self, query: ListCustomers) -> Pages<Customer> {
        self.client.pages(query)
    }

    /// Creates a customer (`POST /dm/open_api/v1/customers`); the result carries the new id.
    pub async fn create(&self, customer: CreateCustomer) -> Result<WriteResult<u64>> {
        self.client.send(&customer).await
    }

    /// Replaces a customer (`PUT /dm/open_api/v1/customers/{customerId}`): fields not sent are
    /// emptied by YCM. See [`UpdateCustomer`], or [`Customers::modify`] to change a few fields.
    pub async fn update(&self, update: UpdateCustomer) -> Result<WriteResult> {
        self.client.send(&update).await
    }

    /// Changes some fields of a customer and keeps the others.
    ///
    /// Reads the customer, builds the complete [`UpdateCustomer`] from it (fields this SDK does
    /// not model included, in [`UpdateCustomer::extra`]), lets `edit` change it, then sends the
    /// whole record. Changing only the email thus keeps the name, numbers, address and remark.
    ///
    /// - **No version check**: YCM has no version or ETag, so a change made by someone else
    ///   between the read and the write is overwritten.
    /// - A required field (`firstName`, `company`, `email`) missing from the record as read
    ///   and left empty by `edit` fails with [`Error::InvalidInput`]; nothing is written.
    /// - `edit` must not change `customer_id` (that is refused).
    ///
    /// ```no_run
    /// # async fn demo(client: yeastar_ycm::Client) -> yeastar_ycm::Result<()> {
    /// client.customers().modify(50329401, |c| c.email = "leo.ball@example.com".into()).await?;
    /// # Ok(()) }
    /// ```
    pub async fn modify(&self, customer_id: u64, edit: impl FnOnce(&mut UpdateCustomer)) -> Result<WriteResult> {
        let current = self.get(customer_id).await?;
        if current.customer_id.is_some_and(|id| id != customer_id) {
            return Err(Error::invalid_input(
                "customerId",
                "the query answered for another customer; nothing was written",
            ));
        }
        let mut update = UpdateCustomer::from_customer(customer_id, &current);
        edit(&mut update);
        if update.customer_id != customer_id {
            // Writing this customer's data onto another one would corrupt it.
            return Err(Error::invalid_input(
                "customerId",
                "modify cannot change the customer id",
            ));
        }
        self.update(update).await
    }

    /// Deletes customers (`DELETE /dm/open_api/v1/customers`, bulk). Customers still associated
    /// with a Cloud PBX cannot be deleted.
    pub async fn delete(&self, delete: DeleteCustomers) -> Result<WriteResult> {
        self.client.send(&delete).await
    }
}
