//! The in-memory state: tokens, security counters, rate-limit buckets, and each product's
//! records (seeded from the documentation examples in `pp::data`, `ycm::data`, `wp::data`).

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::time::Instant;

use crate::Product;
use crate::fault::XorShift;
use crate::{pp, wp, ycm};

/// An issued token.
#[derive(Debug, Clone)]
pub(crate) struct Issued {
    pub(crate) product: Product,
    pub(crate) client_id: String,
    pub(crate) expires: Instant,
}

/// A token bucket of the rate limit.
#[derive(Debug, Clone)]
pub(crate) struct Bucket {
    pub(crate) tokens: u32,
    pub(crate) last_refill: Instant,
}

/// Everything the sandbox knows.
#[derive(Debug)]
pub(crate) struct Db {
    pub(crate) rng: XorShift,
    pub(crate) access_tokens: HashMap<String, Issued>,
    pub(crate) refresh_tokens: HashMap<String, Issued>,
    pub(crate) ycm_failures: HashMap<IpAddr, u32>,
    pub(crate) ycm_blocked: HashSet<IpAddr>,
    /// Per product and caller (client id, or `ip:…` without a valid token).
    pub(crate) buckets: HashMap<(Product, String), Bucket>,
    pub(crate) pp: pp::data::Data,
    pub(crate) ycm: ycm::data::Data,
    pub(crate) wp: wp::data::Data,
}

impl Db {
    pub(crate) fn seeded(seed: u64) -> Self {
        Self {
            rng: XorShift::new(seed),
            access_tokens: HashMap::new(),
            refresh_tokens: HashMap::new(),
            ycm_failures: HashMap::new(),
            ycm_blocked: HashSet::new(),
            buckets: HashMap::new(),
            pp: pp::data::Data::seeded(),
            ycm: ycm::data::Data::seeded(),
            wp: wp::data::Data::seeded(),
        }
    }

    /// `n` random bytes as lowercase hex.
    pub(crate) fn hex(&mut self, bytes: usize) -> String {
        let mut s = String::with_capacity(bytes * 2);
        while s.len() < bytes * 2 {
            s.push_str(&format!("{:016x}", self.rng.next_u64()));
        }
        s.truncate(bytes * 2);
        s
    }

    /// A fresh 32-hex-digit request id.
    pub(crate) fn request_id(&mut self) -> String {
        self.hex(16)
    }
}
