//! The purchase (pricing) endpoints as request values.

use yeastar_transport::{Endpoint, Error, Meta, Request, Result, validate};

use super::model::{PlanInfo, Product, ProductOffering, PurchaseType};
use crate::envelope::{ItemList, PpEnvelope};
use crate::id::check_numeric;

/// `GET` the products the account may subscribe to.
pub const LIST_PRODUCTS_PATH: &str = "/pricing/openapi/purchase/v1/product_list";
/// `GET` the plans and services of one product.
pub const PRODUCT_OFFERING_PATH: &str = "/pricing/openapi/purchase/v1/purchase_product_info";
/// `GET` one plan, for a trial, a subscription or a renewal.
pub const PLAN_INFO_PATH: &str = "/pricing/openapi/purchase/v1/{purchaseType}/plan_info/{pricingPlanId}";
/// `GET` one add-on (service), for a trial, a subscription or a renewal.
pub const ADD_ON_INFO_PATH: &str = "/pricing/openapi/purchase/v1/{purchaseType}/add_on_info/{pricingServiceId}";

/// Linkus Cloud Service and P-Series Plan for Appliance Edition are bought per device: their
/// pricing queries need the device's SN (`productNo`).
const NEEDS_PRODUCT_NO: [u32; 2] = [9, 11];

pub(crate) fn check_product_no(product_id: u32, product_no: Option<&str>) -> Result<()> {
    if NEEDS_PRODUCT_NO.contains(&product_id) && !validate::is_filled(product_no) {
        return Err(Error::invalid_input(
            "productNo",
            format!("productNo (the device SN) is required for product {product_id}"),
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Products

/// `GET /pricing/openapi/purchase/v1/product_list`: the products the account may subscribe
/// to. No parameters, not paged: [`Products::list`](super::Products::list) reads one page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListProducts {
    _private: (),
}

impl ListProducts {
    /// Every available product.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Endpoint for ListProducts {
    type Envelope = PpEnvelope;
    type Data = ItemList<Product>;
    type Output = Vec<Product>;

    fn request(&self) -> Result<Request> {
        Ok(Request::get(LIST_PRODUCTS_PATH))
    }

    fn output(list: ItemList<Product>, _: &Meta<'_>) -> Result<Vec<Product>> {
        Ok(list.0)
    }
}

yeastar_transport::list_endpoint!(ListProducts => Product, unpaged);

// ---------------------------------------------------------------------------------------------
// Plans and services of a product

/// `GET /pricing/openapi/purchase/v1/purchase_product_info?productId&productNo`: the plans and
/// services the account may subscribe to or try for one product.
///
/// `productNo` (the device SN) is required for Linkus Cloud Service (9) and P-Series Plan for
/// Appliance Edition (11); checked before sending.
///
/// ```
/// use yeastar_partner_portal::GetProductOffering;
/// let cloud_pbx = GetProductOffering::new(13);
/// let linkus = GetProductOffering::new(9).product_no("3658B4311196XXXX");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetProductOffering {
    product_id: u32,
    product_no: Option<String>,
}

impl GetProductOffering {
    /// The offering of product `product_id`.
    pub fn new(product_id: u32) -> Self {
        Self {
            product_id,
            product_no: None,
        }
    }

    yeastar_transport::setters! {
        /// The device SN; required for products 9 and 11.
        product_no: String => "productNo",
    }
}

impl Endpoint for GetProductOffering {
    type Envelope = PpEnvelope;
    type Data = ProductOffering;
    type Output = ProductOffering;

    fn request(&self) -> Result<Request> {
        check_product_no(self.product_id, self.product_no.as_deref())?;
        Ok(Request::get(PRODUCT_OFFERING_PATH)
            .query("productId", self.product_id)
            .query_opt("productNo", self.product_no.as_deref()))
    }

    fn output(offering: ProductOffering, _: &Meta<'_>) -> Result<ProductOffering> {
        Ok(offering)
    }
}

// ---------------------------------------------------------------------------------------------
// Plan and add-on details

/// `GET /pricing/openapi/purchase/v1/{trial|purchase|renew}/plan_info/{pricingPlanId}` and
/// `…/add_on_info/{pricingServiceId}`: one plan or add-on, as offered for a trial, a
/// subscription or a renewal.
///
/// The id is a 19-digit number kept as a string (checked to be digits); `productNo` is required
/// for products 9 and 11. [`PurchaseType::Switch`] has no detail endpoint and is refused.
///
/// ```
/// use yeastar_partner_portal::{GetPlanInfo, PurchaseType};
/// let enterprise = GetPlanInfo::plan(PurchaseType::Purchase, "3048571730026938368", 13);
/// let recording = GetPlanInfo::add_on(PurchaseType::Renew, "3048573759449317376", 13);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetPlanInfo {
    add_on: bool,
    purchase_type: PurchaseType,
    id: String,
    product_id: u32,
    product_no: Option<String>,
}

impl GetPlanInfo {
    /// Plan `pricing_plan_id` of product `product_id`.
    pub fn plan(purchase_type: PurchaseType, pricing_plan_id: impl Into<String>, product_id: u32) -> Self {
        Self {
            add_on: false,
            purchase_type,
            id: pricing_plan_id.into(),
            product_id,
            product_no: None,
        }
    }

    /// Add-on (service) `pricing_service_id` of product `product_id`.
    pub fn add_on(purchase_type: PurchaseType, pricing_service_id: impl Into<String>, product_id: u32) -> Self {
        Self {
            add_on: true,
            ..Self::plan(purchase_type, pricing_service_id, product_id)
        }
    }

    yeastar_transport::setters! {
        /// The device SN; required for products 9 and 11.
        product_no: String => "productNo",
    }
}

impl Endpoint for GetPlanInfo {
    type Envelope = PpEnvelope;
    type Data = PlanInfo;
    type Output = PlanInfo;

    fn request(&self) -> Result<Request> {
        let (template, id_name) = if self.add_on {
            (ADD_ON_INFO_PATH, "pricingServiceId")
        } else {
            (PLAN_INFO_PATH, "pricingPlanId")
        };
        if !matches!(
            self.purchase_type,
            PurchaseType::Trial | PurchaseType::Purchase | PurchaseType::Renew
        ) {
            return Err(Error::invalid_input(
                "purchaseType",
                format!(
                    "details exist for trial, purchase and renew, not {}",
                    self.purchase_type
                ),
            ));
        }
        check_numeric(id_name, &self.id)?;
        check_product_no(self.product_id, self.product_no.as_deref())?;
        Ok(Request::get(template)
            .path_param("purchaseType", &self.purchase_type)
            .path_param(id_name, &self.id)
            .query("productId", self.product_id)
            .query_opt("productNo", self.product_no.as_deref()))
    }

    fn output(plan: PlanInfo, _: &Meta<'_>) -> Result<PlanInfo> {
        Ok(plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_checks() {
        let r = GetPlanInfo::add_on(PurchaseType::Trial, "3048573759449317376", 9)
            .product_no("SN 1")
            .request()
            .unwrap();
        assert_eq!(
            r.path_and_query().unwrap(),
            "/pricing/openapi/purchase/v1/trial/add_on_info/3048573759449317376?productId=9&productNo=SN+1"
        );
        for bad in [
            GetPlanInfo::plan(PurchaseType::Switch, "1", 13),
            GetPlanInfo::plan(PurchaseType::Purchase, "12a", 13),
            GetPlanInfo::plan(PurchaseType::Purchase, "", 13),
            GetPlanInfo::plan(PurchaseType::Purchase, "1", 11),
        ] {
            assert!(matches!(bad.request(), Err(Error::InvalidInput { .. })), "{bad:?}");
        }
        assert!(GetProductOffering::new(9).request().is_err());
        assert_eq!(
            GetProductOffering::new(13).request().unwrap().path_and_query().unwrap(),
            "/pricing/openapi/purchase/v1/purchase_product_info?productId=13"
        );
    }
}
