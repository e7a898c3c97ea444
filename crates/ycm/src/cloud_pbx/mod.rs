//! YCM Cloud PBX instances: `/dm/open_api/v{1,2}/cloud_pbx/instances`.

mod model;
mod requests;
mod wait;

use std::fmt;

use tokio::time::{Instant, sleep};
use yeastar_transport::{Error, Pages, Result, WriteResult};

pub use self::model::{
    ActivationInfo, ActivationStatus, CloudPbx, CloudPbxPage, Creator, PbxStatus, PbxStatusInfo, PbxType, Plan, Toggle,
    TrunkDidRelation,
};
pub use self::requests::{
    AccountList, Capacity, CreateCloudPbx, CustomerIds, DeleteCloudPbxs, GetActivationInfo, GetCloudPbx,
    GetCloudPbxByUrl, GetPasswordlessLoginUrl, GetPbxCustomers, GetPbxStatus, ListCloudPbxs, LoginUrl, Placement,
    ResizeCloudPbx, SendActivationEmails, StartCloudPbx, StopCloudPbx, UpdateCloudPbx, UpdateDidBindings,
    UpdatePbxCustomers,
};
pub use self::wait::{WaitError, WaitOptions};
use crate::client::Client;

/// The Cloud PBX API of a [`Client`] (see [`Client::cloud_pbxs`]).
///
/// ```no_run
/// # async fn demo(client: yeastar_ycm::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use yeastar_ycm::{Capacity, CreateCloudPbx, PbxType, Placement, Plan, Toggle};
/// let pbxs = client.cloud_pbxs();
/// let created = pbxs
///     .create(
///         CreateCloudPbx::new("Acme", "acme", Placement::new(3, 1, 764), Plan::EnterprisePlan,
///             PbxType::Commercial, Capacity::new(20, 5, Toggle::Enabled, 500), [50086120])
///             .upgrade_in_pbx(Toggle::Enabled)
///             .im(Toggle::Enabled),
///     )
///     .await?;
/// let id = created.id.expect("the new PBX's id");
/// let pbx = pbxs.wait_until_running(id, Duration::from_secs(15 * 60)).await?;
/// println!("{:?} runs at {:?}", pbx.name, pbx.url);
/// # Ok(()) }
/// ```
#[derive(Clone, Copy)]
pub struct CloudPbxs<'a> {
    client: &'a Client,
}

impl fmt::Debug for CloudPbxs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CloudPbxs").finish_non_exhaustive()
    }
}

impl<'a> CloudPbxs<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// Every Cloud PBX matching `query`, as a lazy stream read page by page
    /// (`GET /dm/open_api/v2/cloud_pbx/instances`).
    pub fn list(&self, query: ListCloudPbxs) -> Pages<CloudPbx> {
        self.client.pages(query)
    }

    /// One Cloud PBX (`GET …/instances/{cloudPbxId}`).
    pub async fn get(&self, cloud_pbx_id: u64) -> Result<CloudPbx> {
        self.client.send(&GetCloudPbx::new(cloud_pbx_id)).await
    }

    /// One Cloud PBX by its URL (`GET …/instances/get?url=`).
    pub async fn get_by_url(&self, url: impl Into<String>) -> Result<CloudPbx> {
        self.client.send(&GetCloudPbxByUrl::new(url)).await
    }

    /// The running and activation status (`GET …/instances/{cloudPbxId}/status`).
    pub async fn status(&self, cloud_pbx_id: u64) -> Result<PbxStatusInfo> {
        self.client.send(&GetPbxStatus::new(cloud_pbx_id)).await
    }

    /// The activation URL and code of an unactivated PBX (`GET …/activation_info`).
    pub async fn activation_info(&self, cloud_pbx_id: u64) -> Result<ActivationInfo> {
        self.client.send(&GetActivationInfo::new(cloud_pbx_id)).await
    }

    /// Creates a Cloud PBX (`POST /dm/open_api/v1/cloud_pbx/instances`); the result carries
    /// the new id.
    ///
    /// The answer of this endpoint is undocumented. When it carries no id, the PBX is looked up
    /// with a `search` for its sub-domain, and the one whose URL starts with `{subDomain}.` is
    /// taken. If none or several match, or the search fails, the result's `id` is `None`: the
    /// PBX was created all the same, so this is still `Ok` (never create it again without
    /// looking).
    pub async fn create(&self, pbx: CreateCloudPbx) -> Result<WriteResult<u64>> {
        let sub_domain = pbx.sub_domain().to_owned();
        let created = self.client.send(&pbx).await?;
        if created.id.is_some() {
            return Ok(created);
        }
        // An error here must not read as a failed create: the caller would create it twice.
        let id = self.find_by_sub_domain(&sub_domain).await.ok().flatten();
        Ok(created.with_id(id))
    }

    /// The id of the one PBX whose URL is `{sub_domain}.…`, among the results of a search.
    async fn find_by_sub_domain(&self, sub_domain: &str) -> Result<Option<u64>> {
        let prefix = format!("{}.", sub_domain.to_ascii_lowercase());
        let found = self.list(ListCloudPbxs::new().search(sub_domain)).try_collect().await?;
        let mut ids = found.iter().filter_map(|pbx| {
            let url = pbx.url.as_deref()?.to_ascii_lowercase();
            let host = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
            host.starts_with(&prefix).then_some(pbx.cloud_pbx_id).flatten()
        });
        Ok(match (ids.next(), ids.next()) {
            (Some(id), None) => Some(id),
            _ => None,
        })
    }

    /// Sets the name and switches (`PUT …/instances/{cloudPbxId}`): every required switch must
    /// be set. See [`CloudPbxs::modify`] to change one.
    pub async fn update(&self, update: UpdateCloudPbx) -> Result<WriteResult> {
        self.client.send(&update).await
    }

    /// Changes some switches of a Cloud PBX and keeps the others: reads the PBX, builds the
    /// complete [`UpdateCloudPbx`] from it, lets `edit` change it, sends it.
    ///
    /// - No version check: a change made by someone else in between is overwritten.
    /// - A required switch the PBX as read does not report (\[I\] `im` and
    ///   `allowSuperiorPasswordlessLogin` are not in the documented part of `PBX_Info`) and that
    ///   `edit` leaves unset fails with [`Error::InvalidInput`] naming it; nothing is written.
    /// - `edit` must not change `cloud_pbx_id` (that is refused).
    ///
    /// ```no_run
    /// # async fn demo(client: yeastar_ycm::Client) -> yeastar_ycm::Result<()> {
    /// use yeastar_ycm::Toggle;
    /// client.cloud_pbxs().modify(42100, |u| u.passwordless_login = Some(Toggle::Disabled)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn modify(&self, cloud_pbx_id: u64, edit: impl FnOnce(&mut UpdateCloudPbx)) -> Result<WriteResult> {
        let current = self.get(cloud_pbx_id).await?;
        check_same(cloud_pbx_id, current.cloud_pbx_id)?;
        let mut update = UpdateCloudPbx::from_pbx(cloud_pbx_id, &current);
        edit(&mut update);
        if update.cloud_pbx_id != cloud_pbx_id {
            return Err(Error::invalid_input(
                "cloudPbxId",
                "modify cannot change the Cloud PBX id",
            ));
        }
        self.update(update).await
    }

    /// Starts a Cloud PBX (`PUT …/start`).
    pub async fn start(&self, cloud_pbx_id: u64) -> Result<WriteResult> {
        self.client.send(&StartCloudPbx::new(cloud_pbx_id)).await
    }

    /// Stops a Cloud PBX (`PUT …/stop`).
    pub async fn stop(&self, cloud_pbx_id: u64) -> Result<WriteResult> {
        self.client.send(&StopCloudPbx::new(cloud_pbx_id)).await
    }

    /// Resizes a Cloud PBX (`PUT …/capacity`, all four capacities).
    pub async fn resize(&self, resize: ResizeCloudPbx) -> Result<WriteResult> {
        self.client.send(&resize).await
    }

    /// Changes some capacities and keeps the others: reads the PBX, lets `edit` change its
    /// [`Capacity`], sends all four. A capacity the PBX as read lacks, or fewer recording
    /// minutes than it has (YCM refuses to reduce them), fails with [`Error::InvalidInput`]
    /// naming the field; nothing is written.
    ///
    /// ```no_run
    /// # async fn demo(client: yeastar_ycm::Client) -> yeastar_ycm::Result<()> {
    /// // The doc example: PBX 42100's recording to 600 minutes.
    /// client.cloud_pbxs().modify_capacity(42100, |c| c.recording_capacity = 600).await?;
    /// # Ok(()) }
    /// ```
    pub async fn modify_capacity(&self, cloud_pbx_id: u64, edit: impl FnOnce(&mut Capacity)) -> Result<WriteResult> {
        let current = self.get(cloud_pbx_id).await?;
        check_same(cloud_pbx_id, current.cloud_pbx_id)?;
        let mut capacity = Capacity::from_pbx(&current)
            .map_err(|field| Error::invalid_input(field, "missing from the Cloud PBX as read; nothing was written"))?;
        let minutes = capacity.recording_capacity;
        edit(&mut capacity);
        if capacity.recording_capacity < minutes {
            return Err(Error::invalid_input(
                "recordingCapacity",
                format!(
                    "YCM does not allow reducing the call recording minutes ({minutes} to {}); nothing was written",
                    capacity.recording_capacity
                ),
            ));
        }
        self.resize(ResizeCloudPbx::new(cloud_pbx_id, capacity)).await
    }

    /// Deletes Cloud PBXs (`DELETE /dm/open_api/v1/cloud_pbx/instances`, bulk).
    pub async fn delete(&self, delete: DeleteCloudPbxs) -> Result<WriteResult> {
        self.client.send(&delete).await
    }

    /// The ids of the customers of a Cloud PBX (`GET …/customers`).
    pub async fn customers(&self, cloud_pbx_id: u64) -> Result<Vec<u64>> {
        self.client.send(&GetPbxCustomers::new(cloud_pbx_id)).await
    }

    /// Replaces the customers of a Cloud PBX (`PUT …/customers`).
    pub async fn update_customers(&self, update: UpdatePbxCustomers) -> Result<WriteResult> {
        self.client.send(&update).await
    }

    /// Adds customers to a Cloud PBX: reads its customers and sends them with the new ones
    /// (each id once, the current ones first). Nothing is sent when all are there already
    /// (the result then has no request id). No version check: a concurrent change in between
    /// is overwritten.
    pub async fn add_customers(
        &self,
        cloud_pbx_id: u64,
        customer_ids: impl IntoIterator<Item = u64>,
    ) -> Result<WriteResult> {
        let current = self.customers(cloud_pbx_id).await?;
        let mut ids = dedup(current.iter().copied());
        let before = ids.len();
        for id in customer_ids {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        if ids.len() == before {
            return Ok(WriteResult::default());
        }
        self.update_customers(UpdatePbxCustomers::new(cloud_pbx_id, ids)).await
    }

    /// Removes customers from a Cloud PBX: reads its customers and sends the others. Nothing
    /// is sent when none of them is associated. Removing every customer is refused before
    /// sending (\[I\] a PBX keeps at least one). No version check.
    pub async fn remove_customers(
        &self,
        cloud_pbx_id: u64,
        customer_ids: impl IntoIterator<Item = u64>,
    ) -> Result<WriteResult> {
        let current = self.customers(cloud_pbx_id).await?;
        let remove: Vec<u64> = customer_ids.into_iter().collect();
        let current = dedup(current.into_iter());
        let keep: Vec<u64> = current.iter().copied().filter(|id| !remove.contains(id)).collect();
        if keep.len() == current.len() {
            return Ok(WriteResult::default());
        }
        self.update_customers(UpdatePbxCustomers::new(cloud_pbx_id, keep)).await
    }

    /// Emails the activation link to customers of the PBX (`POST …/activation_email`);
    /// returns the addresses the emails went to.
    pub async fn send_activation_emails(
        &self,
        cloud_pbx_id: u64,
        customer_ids: impl IntoIterator<Item = u64>,
    ) -> Result<Vec<String>> {
        self.client
            .send(&SendActivationEmails::new(cloud_pbx_id, customer_ids))
            .await
    }

    /// A passwordless login URL for the PBX (`GET …/password_free_login_url`).
    pub async fn passwordless_login_url(&self, cloud_pbx_id: u64) -> Result<String> {
        self.client.send(&GetPasswordlessLoginUrl::new(cloud_pbx_id)).await
    }

    /// Replaces the DIDs bound to a Cloud PBX (`PUT …/did`).
    pub async fn update_dids(&self, update: UpdateDidBindings) -> Result<WriteResult> {
        self.client.send(&update).await
    }

    /// Waits until the PBX is `Running` (after a create or a start), polling the status
    /// endpoint with backoff ([`WaitOptions::new`]), then returns the PBX as read.
    ///
    /// Fails with [`WaitError::TimedOut`] carrying the last status seen. Transient failures of
    /// a poll (already retried by the transport) do not end the wait; other errors do. Uses
    /// tokio's clock, so tests run with paused time.
    pub async fn wait_until_running(
        &self,
        cloud_pbx_id: u64,
        timeout: std::time::Duration,
    ) -> std::result::Result<CloudPbx, WaitError> {
        self.wait_for(cloud_pbx_id, PbxStatus::Running, WaitOptions::new(timeout))
            .await
    }

    /// Waits until the PBX's status is `target` (e.g. `Stopped` after a stop), polling as
    /// `options` says, then returns the PBX as read. See [`CloudPbxs::wait_until_running`].
    pub async fn wait_for(
        &self,
        cloud_pbx_id: u64,
        target: PbxStatus,
        options: WaitOptions,
    ) -> std::result::Result<CloudPbx, WaitError> {
        let start = Instant::now();
        // A timeout past what the clock can hold (Duration::MAX) is capped as the transport's are.
        let deadline = start + options.timeout.min(yeastar_transport::MAX_TIME_LIMIT);
        let mut interval = options.initial_interval;
        let mut last_status = None;
        let mut polls = 0u32;
        loop {
            match self.status(cloud_pbx_id).await {
                Ok(info) => {
                    polls = polls.saturating_add(1);
                    if info.pbx_status.as_ref() == Some(&target) {
                        return Ok(self.get(cloud_pbx_id).await?);
                    }
                    last_status = info.pbx_status.or(last_status);
                }
                Err(e) if e.is_retryable() => {}
                Err(e) => return Err(WaitError::Call(e)),
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(WaitError::TimedOut {
                    cloud_pbx_id,
                    target,
                    last_status,
                    waited: now - start,
                    polls,
                });
            }
            sleep(interval.min(deadline - now)).await;
            interval = options.next_interval(interval);
        }
    }
}

fn check_same(asked: u64, answered: Option<u64>) -> Result<()> {
    if answered.is_some_and(|id| id != asked) {
        return Err(Error::invalid_input(
            "cloudPbxId",
            "the query answered for another Cloud PBX; nothing was written",
        ));
    }
    Ok(())
}

/// `ids` without repeats, in their first order.
fn dedup(ids: impl Iterator<Item = u64>) -> Vec<u64> {
    let mut out = Vec::new();
    for id in ids {
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}
