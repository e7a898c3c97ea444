//! The purchased-product endpoints as request values.

use yeastar_transport::{Endpoint, Meta, Request, Result, validate};

use super::model::{ActivationCode, Licence, LicencePage};
use crate::envelope::{DEFAULT_PAGE_SIZE, PpEnvelope, check_page};

/// `GET` one page of the purchased products of a product.
pub const LIST_LICENCES_PATH: &str = "/product/openapi/instance_product/v1/client/instance_product_list";
/// `GET` one purchased product.
pub const GET_LICENCE_PATH: &str = "/product/openapi/instance_product/v1/detail";
/// `GET` the activation code of a P-Series Software Edition.
pub const ACTIVATION_CODE_PATH: &str = "/product/openapi/instance_product/v1/activation_code";

/// The product id of P-Series Software Edition, the only product with an activation code.
pub const SOFTWARE_EDITION_PRODUCT_ID: u32 = 12;

/// `GET /product/openapi/instance_product/v1/client/instance_product_list?pageSize&pageNo&productId`:
/// the purchased products ("licences") of one product, one page per request.
/// [`Licences::list`](super::Licences::list) reads every page lazily, [`DEFAULT_PAGE_SIZE`]
/// (25) at a time unless set. `productId` is required.
///
/// ```
/// use yeastar_partner_portal::ListLicences;
/// let cloud_pbxs = ListLicences::new(13).page_size(50);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListLicences {
    product_id: u32,
    page_no: Option<u32>,
    page_size: Option<u32>,
}

impl ListLicences {
    /// The purchased products of product `product_id` (13: Cloud PBX, 12: Software Edition, …).
    pub fn new(product_id: u32) -> Self {
        Self {
            product_id,
            page_no: None,
            page_size: None,
        }
    }

    yeastar_transport::setters! {
        /// 1-based; for a listing, the first page read.
        page_no = u32 => "pageNo",
        /// At least 1 (default 25).
        page_size = u32 => "pageSize",
    }
}

impl Endpoint for ListLicences {
    type Envelope = PpEnvelope;
    type Data = Option<LicencePage>;
    type Output = LicencePage;

    fn request(&self) -> Result<Request> {
        check_page(self.page_no, self.page_size)?;
        Ok(Request::get(LIST_LICENCES_PATH)
            .query_opt("pageSize", self.page_size)
            .query_opt("pageNo", self.page_no)
            .query("productId", self.product_id))
    }

    fn output(page: Option<LicencePage>, _: &Meta<'_>) -> Result<LicencePage> {
        Ok(page.unwrap_or_default())
    }
}

yeastar_transport::list_endpoint!(ListLicences => Licence, paged(page_no, page_size, DEFAULT_PAGE_SIZE));

/// `GET /product/openapi/instance_product/v1/detail?productNo&productId`: one purchased
/// product, by its SN and product id (both required; a blank SN is refused before sending).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetLicence {
    product_no: String,
    product_id: u32,
}

impl GetLicence {
    /// The purchased product `product_no` (its SN) of product `product_id`.
    pub fn new(product_no: impl Into<String>, product_id: u32) -> Self {
        Self {
            product_no: product_no.into(),
            product_id,
        }
    }
}

impl Endpoint for GetLicence {
    type Envelope = PpEnvelope;
    type Data = Licence;
    type Output = Licence;

    fn request(&self) -> Result<Request> {
        validate::required("productNo", &self.product_no)?;
        Ok(Request::get(GET_LICENCE_PATH)
            .query("productNo", &self.product_no)
            .query("productId", self.product_id))
    }

    fn output(licence: Licence, _: &Meta<'_>) -> Result<Licence> {
        Ok(licence)
    }
}

/// `GET /product/openapi/instance_product/v1/activation_code?productNo&productId=12`: the
/// activation code of a P-Series Software Edition (online activation only). The SDK sends
/// `productId=12` itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetActivationCode {
    product_no: String,
}

impl GetActivationCode {
    /// The activation code of the Software Edition `product_no` (its SN).
    pub fn new(product_no: impl Into<String>) -> Self {
        Self {
            product_no: product_no.into(),
        }
    }
}

impl Endpoint for GetActivationCode {
    type Envelope = PpEnvelope;
    type Data = ActivationCode;
    type Output = ActivationCode;

    fn request(&self) -> Result<Request> {
        validate::required("productNo", &self.product_no)?;
        Ok(Request::get(ACTIVATION_CODE_PATH)
            .query("productNo", &self.product_no)
            .query("productId", SOFTWARE_EDITION_PRODUCT_ID))
    }

    fn output(code: ActivationCode, _: &Meta<'_>) -> Result<ActivationCode> {
        Ok(code)
    }
}
