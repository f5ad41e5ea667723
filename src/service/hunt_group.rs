//! The hunt group operations over the session pool: create (prepare, check, execute), get, list,
//! update, delete, weighted distribution and available agents. REST handlers and the bulk runner
//! call these and only these, so both front ends send the same commands and refuse the same
//! input with the same field named.

use std::sync::Arc;

use serde_json::Value;

use crate::ocip::commands::limits::{self, check_len};
use crate::ocip::commands::*;
use crate::ocip::value::{Nillable, OciRequest};
use crate::ocip::{classify, OciError, Pool, Refusal};
use crate::service::error::ServiceError;
use crate::service::groups::GroupCache;
use crate::service::settings::{HuntGroupSettings, SUID_ATTEMPTS};
use crate::timezone;
use crate::translate::hunt_group::{self as t, GroupContext};
use crate::translate::input::typed;
use crate::translate::json::*;
use crate::translate::numbers::{profile_to_e164, to_e164};
use crate::translate::suid::SuidContext;
use crate::translate::{Checks, FieldError};

/// The service: the pool, the settings and the group information cache.
pub struct HuntGroups {
    pool: Arc<Pool>,
    settings: Arc<HuntGroupSettings>,
    groups: GroupCache,
}

/// Whether a create is sent or only checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Send the command.
    Send,
    /// Check everything a real run would (reading from BroadWorks), send nothing.
    DryRun,
}

/// A create, checked and built, ready to be sent.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The group it goes into.
    pub ctx: GroupContext,
    /// The input with the template and defaults merged in, as JSON (the REST body shape).
    pub input_json: Value,
    /// The same, typed.
    pub input: HuntGroupInput,
    /// The Add command (with a generated id when the input had none).
    pub command: GroupHuntGroupAddInstanceRequest20,
    /// Whether the id was generated (then a clash generates another).
    pub generated: bool,
}

impl Prepared {
    /// Whether the create asks for an inactive hunt group (`active: false`; absent is active),
    /// which takes a second command after the Add.
    pub fn inactive(&self) -> bool {
        self.input.active == Some(false)
    }
}

/// A hunt group read back: its Get answer and its JSON (or why it could not be read).
type ReadBack = Result<(GroupHuntGroupGetInstanceResponse20, HuntGroupJson), ServiceError>;

/// What a create did.
#[derive(Debug, Clone)]
pub struct Created {
    /// The service user id created.
    pub service_user_id: String,
    /// The Add command sent.
    pub command: GroupHuntGroupAddInstanceRequest20,
}

impl HuntGroups {
    /// The service over `pool` with `settings`.
    pub fn new(pool: Arc<Pool>, settings: Arc<HuntGroupSettings>) -> Self {
        let groups = GroupCache::new(settings.group_cache_ttl, settings.use_cc_cli);
        Self {
            pool,
            settings,
            groups,
        }
    }

    /// How many documents may be in flight at once: the pool's sessions.
    pub fn sessions(&self) -> usize {
        self.pool.health().size
    }

    /// The session pool.
    pub fn pool(&self) -> &Arc<Pool> {
        &self.pool
    }

    /// The settings.
    pub fn settings(&self) -> &HuntGroupSettings {
        &self.settings
    }

    /// What translation needs to know about a group (cached). The ids are checked against the
    /// schema's lengths before anything is sent.
    pub async fn context(&self, tenant: &str, group: &str) -> Result<GroupContext, ServiceError> {
        let mut c = Checks::default();
        c.take(
            check_len("tenantId", tenant, limits::ENTITY_ID)
                .map_err(|m| FieldError::new("tenantId", m)),
        );
        c.take(
            check_len("groupId", group, limits::ENTITY_ID)
                .map_err(|m| FieldError::new("groupId", m)),
        );
        c.finish(())?;
        self.groups.get(&self.pool, tenant, group).await
    }

    /// A create body with its template and `defaults` merged in. The body alone is checked
    /// first, so errors name the client's own fields.
    pub fn with_defaults(
        &self,
        body: Value,
        defaults: Option<&Value>,
    ) -> Result<(HuntGroupInput, Value), ServiceError> {
        // The template is chosen before the merge; a templateName that is not a string is
        // reported by the typed reading of the merged body below.
        let template_name = body
            .get("templateName")
            .and_then(Value::as_str)
            .unwrap_or("basic");
        let mut merged = self
            .settings
            .templates
            .get(template_name)
            .cloned()
            .ok_or_else(|| {
                let mut known: Vec<&str> =
                    self.settings.templates.keys().map(String::as_str).collect();
                known.sort_unstable();
                ServiceError::invalid(
                    "templateName",
                    format!(
                        "unknown template '{template_name}' (known: {})",
                        known.join(", ")
                    ),
                )
            })?;
        if let Some(defaults) = defaults {
            t::merge(&mut merged, defaults.clone());
        }
        t::merge(&mut merged, body);
        let input: HuntGroupInput = typed(&merged)?;
        Ok((input, merged))
    }

    /// Checks and builds a create: template and defaults, the group's context (read, cached),
    /// the id completed with the group's domain or generated, every field checked. A
    /// `restricted` caller (a tenant or group token) may only create ids in the group's domain
    /// or the tenant's `[api] extra_domains`.
    pub async fn prepare_create(
        &self,
        tenant: &str,
        group: &str,
        body: Value,
        defaults: Option<&Value>,
        restricted: bool,
    ) -> Result<Prepared, ServiceError> {
        let (input, input_json) = self.with_defaults(body, defaults)?;
        let ctx = self.context(tenant, group).await?;
        let given = input
            .service_user_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let (id, generated) = match given {
            Some(id) => (full_id(&ctx, id), false),
            None if self.settings.auto_generate => (self.generate_id(&ctx, &input)?, true),
            None => {
                return Err(ServiceError::invalid(
                    "serviceUserId",
                    "serviceUserId is required (or enable SUID_HUNT_GROUP_AUTO_GENERATE)",
                ))
            }
        };
        if id.matches('@').count() > 1 {
            // `x@their.domain@our.domain` would pass a check of the part after the last `@`.
            return Err(ServiceError::invalid(
                "serviceUserId",
                format!("'{id}' holds more than one '@' (a service user id is user@domain)"),
            ));
        }
        if restricted {
            self.check_domain(&ctx, &id)?;
        }
        let command = t::build_add(&ctx, &input, &id)?;
        Ok(Prepared {
            ctx,
            input_json,
            input,
            command,
            generated,
        })
    }

    /// Refuses an id outside the group's domain and the tenant's extra domains.
    fn check_domain(&self, ctx: &GroupContext, id: &str) -> Result<(), ServiceError> {
        let domain = id.rsplit_once('@').map_or("", |(_, d)| d);
        let extra = self.settings.extra_domains.get(&ctx.tenant_id);
        let allowed = domain.eq_ignore_ascii_case(&ctx.domain)
            || extra.is_some_and(|list| list.iter().any(|d| d.eq_ignore_ascii_case(domain)));
        if allowed {
            return Ok(());
        }
        let mut domains = vec![ctx.domain.clone()];
        domains.extend(extra.into_iter().flatten().cloned());
        Err(ServiceError::OutOfScope {
            field: "serviceUserId".into(),
            message: format!(
                "'{domain}' is not a domain this token may create ids in (allowed: {})",
                domains.join(", ")
            ),
        })
    }

    /// The checks of a dry run for several prepared creates (up to 15): whether each id is
    /// taken is asked in one document (one round trip for all), the group's lists come from
    /// the cache; one result per create, in order, each on its own.
    pub async fn check_creates(&self, batch: &[Prepared]) -> Vec<Result<(), ServiceError>> {
        let probes: Vec<GroupHuntGroupGetInstanceRequest20> =
            batch.iter().map(|p| p.command.probe()).collect();
        let existing = self
            .pool
            .call_many(&probes.iter().collect::<Vec<_>>())
            .await;
        let checks = batch
            .iter()
            .zip(existing)
            .map(|(prepared, existing)| self.check_create(prepared, existing));
        futures::future::join_all(checks).await
    }

    /// The checks of a dry run that need reads but no write, `existing` being the answer to
    /// the Get of the id: the id is free, every agent may join the group's hunt groups, the
    /// number and extension are free, the department and the time zone exist.
    async fn check_create(
        &self,
        prepared: &Prepared,
        existing: Result<GroupHuntGroupGetInstanceResponse20, OciError>,
    ) -> Result<(), ServiceError> {
        let cmd = &prepared.command;
        let id = &cmd.service_user_id;
        let ctx = &prepared.ctx;
        let number = cmd.service_instance_profile.phone_number.as_ref();
        let extension = cmd.service_instance_profile.extension.as_ref();
        let (allowed, holders, extensions) = tokio::join!(
            self.groups
                .available_users(&self.pool, &ctx.tenant_id, &ctx.group_id),
            only_if(
                number.is_some(),
                self.groups
                    .number_holders(&self.pool, &ctx.tenant_id, &ctx.group_id)
            ),
            only_if(
                extension.is_some(),
                self.groups
                    .extension_holders(&self.pool, &ctx.tenant_id, &ctx.group_id)
            )
        );
        match existing {
            Ok(_) if !prepared.generated => {
                return Err(ServiceError::AlreadyExists(format!(
                    "the service user id {id} is already in use"
                )))
            }
            Ok(_) => {}
            Err(e) if refused_as(&e, Refusal::NotFound) => {}
            Err(e) => return Err(ServiceError::oci(e, Some(id))),
        }
        let allowed = allowed?;
        let mut c = Checks::default();
        if !prepared.generated && allowed.contains(id) {
            return Err(ServiceError::AlreadyExists(format!(
                "the service user id {id} is already a user's id"
            )));
        }
        let agents = prepared.input.agents.as_deref().unwrap_or_default();
        for (i, agent) in agents.iter().enumerate() {
            let agent = agent.user_id().trim();
            if !agent.is_empty() && !allowed.contains(agent) {
                c.note(FieldError::new(
                    &format!("agents[{i}]"),
                    format!(
                        "{agent} is not a user of group {} (or of its enterprise) that may be an agent",
                        prepared.ctx.group_id
                    ),
                ));
            }
        }
        let profile = &cmd.service_instance_profile;
        if let (Some(number), Some(holders)) = (number, holders?) {
            c.take(number_is_free(&ctx.group_id, number, &holders));
        }
        if let (Some(extension), Some(held)) = (extension, extensions?) {
            if let Some(holder) = held.get(&extension.to_string()) {
                c.note(FieldError::new(
                    "serviceInstanceProfile.extension",
                    format!("{extension} is already used by {holder}"),
                ));
            }
        }
        if let Some(key) = &profile.department {
            let enterprise = matches!(key, DepartmentKey::Enterprise(_));
            let known = prepared
                .ctx
                .departments
                .iter()
                .any(|d| d.name == key.name() && d.enterprise == enterprise);
            if !known {
                c.note(FieldError::new(
                    "serviceInstanceProfile.department.departmentName",
                    format!(
                        "no department '{}' in group {}",
                        key.name(),
                        prepared.ctx.group_id
                    ),
                ));
            }
        }
        if let Some(zone) = &profile.time_zone {
            if timezone::display_name(zone).is_none() {
                c.note(FieldError::new(
                    "serviceInstanceProfile.timeZone",
                    format!("'{zone}' is not a time zone BroadWorks knows"),
                ));
            }
        }
        c.finish(()).map_err(ServiceError::from)
    }

    /// Sends a prepared create (generating another id, a bounded number of times, when a
    /// generated one is taken), then applies `active: false` if asked.
    pub async fn execute_create(&self, prepared: Prepared) -> Result<Created, ServiceError> {
        let (command, _) = self.send_add(&prepared, false).await?;
        self.finish_create(command, prepared.inactive()).await
    }

    /// Sends a prepared create's Add, generating another id (a bounded number of times) when a
    /// generated one is taken; answers the Add sent. With `read_back`, the group's list and
    /// the Get of the new hunt group go in the Add's document (one round trip), and their
    /// outcome comes too.
    async fn send_add(
        &self,
        prepared: &Prepared,
        read_back: bool,
    ) -> Result<(GroupHuntGroupAddInstanceRequest20, Option<ReadBack>), ServiceError> {
        let attempts = if prepared.generated && self.settings.rule.is_random() {
            SUID_ATTEMPTS
        } else {
            1
        };
        let mut command = prepared.command.clone();
        let mut attempt = 1;
        loop {
            let sent = if read_back {
                let id = command.service_user_id.clone();
                self.write_then_fetch(&prepared.ctx, &id, &command)
                    .await
                    .map(Some)
            } else {
                self.pool.call(&command).await.map(|_| None)
            };
            match sent {
                Ok(read) => return Ok((command, read)),
                Err(e) => {
                    let taken = refused_as(&e, Refusal::AlreadyExists);
                    if !taken || attempt >= attempts {
                        return Err(ServiceError::oci(e, None));
                    }
                    tracing::info!(service_user_id = %command.service_user_id, "generated service user id exists; generating another");
                    command.service_user_id = self.generate_id(&prepared.ctx, &prepared.input)?;
                    attempt += 1;
                }
            }
        }
    }

    /// Sends the Adds of several prepared creates in one document (up to 15) and finishes each
    /// as [`HuntGroups::execute_create`] does; one result per create, in order, each on its own.
    /// The hunt groups asked for inactive get their flag in one more document, once their Adds
    /// have succeeded (never with them: a refused Add's id may be another group's).
    pub async fn execute_creates(
        &self,
        batch: Vec<Prepared>,
    ) -> Vec<Result<Created, ServiceError>> {
        let commands: Vec<&GroupHuntGroupAddInstanceRequest20> =
            batch.iter().map(|p| &p.command).collect();
        let answers = self.pool.call_many(&commands).await;
        let mut results = Vec::with_capacity(batch.len());
        let mut asleep = Vec::new();
        for (prepared, answer) in batch.into_iter().zip(answers) {
            results.push(match answer {
                Ok(_) => {
                    if prepared.inactive() {
                        asleep.push((results.len(), prepared.command.service_user_id.clone()));
                    }
                    Ok(Created {
                        service_user_id: prepared.command.service_user_id.clone(),
                        command: prepared.command,
                    })
                }
                // A generated id that exists: the single path generates another.
                Err(e)
                    if prepared.generated
                        && self.settings.rule.is_random()
                        && refused_as(&e, Refusal::AlreadyExists) =>
                {
                    self.execute_create(prepared).await
                }
                Err(e) => Err(ServiceError::oci(e, None)),
            });
        }
        if !asleep.is_empty() {
            let requests: Vec<_> = asleep
                .iter()
                .map(|(_, id)| active_request(id, false))
                .collect();
            let answers = self
                .pool
                .call_many(&requests.iter().collect::<Vec<_>>())
                .await;
            for ((i, id), answer) in asleep.iter().zip(answers) {
                if let Err(e) = answer {
                    results[*i] = Err(ServiceError::oci(e, Some(id)));
                }
            }
        }
        results
    }

    /// What follows a successful Add: the active flag, when the create asks for an inactive one.
    async fn finish_create(
        &self,
        command: GroupHuntGroupAddInstanceRequest20,
        inactive: bool,
    ) -> Result<Created, ServiceError> {
        let id = command.service_user_id.clone();
        if inactive {
            self.set_active(&id, false).await?;
        }
        Ok(Created {
            service_user_id: id,
            command,
        })
    }

    /// Creates a hunt group from a REST body and answers it as GET does.
    pub async fn create(
        &self,
        tenant: &str,
        group: &str,
        body: Value,
        restricted: bool,
    ) -> Result<HuntGroupJson, ServiceError> {
        let prepared = self
            .prepare_create(tenant, group, body, None, restricted)
            .await?;
        let ctx = prepared.ctx.clone();
        let active = !prepared.inactive();
        // The last write carries the read-back: the Add, or the active flag that follows it.
        let (command, read) = self.send_add(&prepared, active).await?;
        let id = &command.service_user_id;
        let read = match read {
            Some(read) => read,
            None => self
                .write_then_fetch(&ctx, id, &active_request(id, false))
                .await
                .map_err(|e| ServiceError::oci(e, Some(id)))?,
        };
        match read {
            Ok((_, json)) => Ok(json),
            // Created, but the read-back broke: a 201 from what was sent beats an error that
            // would make the client create it again.
            Err(ServiceError::Oci { error, .. }) if error.server_error().is_none() => {
                tracing::warn!(service_user_id = %id, error = %error, "created; reading it back failed, answering from what was sent");
                Ok(t::hunt_group_json(&ctx, id, &command.as_found(), active))
            }
            Err(e) => Err(e),
        }
    }

    fn generate_id(
        &self,
        ctx: &GroupContext,
        input: &HuntGroupInput,
    ) -> Result<String, ServiceError> {
        let profile = input.service_instance_profile.clone().unwrap_or_default();
        let phone = match &profile.phone_number {
            Some(Some(p)) if !p.trim().is_empty() => Some(to_e164(p, ctx.country_code.as_deref())),
            _ => None,
        };
        let extension = profile.extension.clone().flatten();
        self.settings
            .rule
            .render(&SuidContext {
                tenant_id: &ctx.tenant_id,
                group_id: &ctx.group_id,
                domain: &ctx.domain,
                name: profile.name.as_deref(),
                extension: extension.as_deref(),
                phone_number_e164: phone.as_deref(),
            })
            .map_err(|m| ServiceError::invalid("serviceUserId", m))
    }

    /// The full hunt group: the list (to check that the hunt group belongs to this group, and
    /// for its active flag), then Get. An id the group's last list named is read with a fresh
    /// list in one document (one round trip); any other id only after the list says it belongs.
    async fn fetch(&self, ctx: &GroupContext, suid: &str) -> ReadBack {
        let get = GroupHuntGroupGetInstanceRequest20 {
            service_user_id: suid.to_owned(),
        };
        // Membership first: nothing about an id outside this group is asked of BroadWorks, and
        // the answer is the same whether it exists elsewhere or not.
        if self
            .groups
            .known_member(&ctx.tenant_id, &ctx.group_id, suid)
        {
            let (list, got) = self.pool.call_two(&list_request(ctx), &get).await;
            return self.read_back(ctx, suid, list, got);
        }
        let table = self.list_table(ctx).await?;
        let active = t::active_in_list(&table, suid).ok_or_else(|| not_in_group(ctx, suid))?;
        let got = self
            .pool
            .call(&get)
            .await
            .map_err(|e| ServiceError::oci(e, Some(suid)))?;
        let json = t::hunt_group_json(ctx, suid, &got, active);
        Ok((got, json))
    }

    /// Sends `write` with the read-back of hunt group `suid` (the group's list and its Get)
    /// in one document: one round trip for what takes two one by one. The outer error is the
    /// write's (the read-back is then dropped); the inner result is the read-back's, as
    /// [`HuntGroups::fetch`] gives it.
    async fn write_then_fetch<W: OciRequest>(
        &self,
        ctx: &GroupContext,
        suid: &str,
        write: &W,
    ) -> Result<ReadBack, OciError> {
        let get = GroupHuntGroupGetInstanceRequest20 {
            service_user_id: suid.to_owned(),
        };
        let (_, list, got) = self
            .pool
            .write_then_read_two(write, &list_request(ctx), &get)
            .await?;
        Ok(self.read_back(ctx, suid, list, got))
    }

    /// The hunt group from the group's list and its Get, answered together: the list decides
    /// membership (and is noted) and gives the active flag.
    fn read_back(
        &self,
        ctx: &GroupContext,
        suid: &str,
        list: Result<GroupHuntGroupGetInstanceListResponse, OciError>,
        got: Result<GroupHuntGroupGetInstanceResponse20, OciError>,
    ) -> ReadBack {
        let table = list
            .map_err(|e| ServiceError::oci(e, Some(&ctx.group_id)))?
            .hunt_group_table;
        self.groups
            .note_members(&ctx.tenant_id, &ctx.group_id, &table);
        let active = t::active_in_list(&table, suid).ok_or_else(|| not_in_group(ctx, suid))?;
        let got = got.map_err(|e| ServiceError::oci(e, Some(suid)))?;
        let json = t::hunt_group_json(ctx, suid, &got, active);
        Ok((got, json))
    }

    /// The group's hunt group list (noting its members).
    async fn list_table(&self, ctx: &GroupContext) -> Result<OciTable, ServiceError> {
        let table = self
            .pool
            .call(&list_request(ctx))
            .await
            .map_err(|e| ServiceError::oci(e, Some(&ctx.group_id)))?
            .hunt_group_table;
        self.groups
            .note_members(&ctx.tenant_id, &ctx.group_id, &table);
        Ok(table)
    }

    async fn set_active(&self, suid: &str, active: bool) -> Result<(), ServiceError> {
        self.pool
            .call(&active_request(suid, active))
            .await
            .map(|_| ())
            .map_err(|e| ServiceError::oci(e, Some(suid)))
    }

    /// The hunt groups of a group.
    pub async fn list(&self, tenant: &str, group: &str) -> Result<HuntGroupListJson, ServiceError> {
        let ctx = self.context(tenant, group).await?;
        let table = self.list_table(&ctx).await?;
        Ok(t::list_json(&ctx, &table))
    }

    /// One hunt group (a bare id is completed with the group's domain).
    pub async fn get(
        &self,
        tenant: &str,
        group: &str,
        suid: &str,
    ) -> Result<HuntGroupJson, ServiceError> {
        let ctx = self.context(tenant, group).await?;
        Ok(self.fetch(&ctx, &path_id(&ctx, suid)?).await?.1)
    }

    /// Changes what `input` carries; answers the hunt group as GET does.
    pub async fn update(
        &self,
        tenant: &str,
        group: &str,
        suid: &str,
        input: HuntGroupInput,
    ) -> Result<HuntGroupJson, ServiceError> {
        let ctx = self.context(tenant, group).await?;
        let suid = path_id(&ctx, suid)?;
        if let Some(id) = input
            .service_user_id
            .as_deref()
            .filter(|id| full_id(&ctx, id) != suid)
        {
            return Err(ServiceError::invalid(
                "serviceUserId",
                format!("serviceUserId '{id}' differs from the path's '{suid}'; the id changes only with the phone number rule"),
            ));
        }
        let modify = t::build_modify(&ctx, &suid, &input)?;
        let (current, _) = self.fetch(&ctx, &suid).await?;
        let new_id = self.renumbered_id(&ctx, &suid, &current, modify.as_ref())?;
        let final_id = new_id.clone().unwrap_or_else(|| suid.clone());
        let renumber = new_id.map(|new_user_id| UserModifyUserIdRequest {
            user_id: suid.clone(),
            new_user_id,
        });
        let active = input.active.map(|active| active_request(&final_id, active));
        // The writes go one after the other (a refused one stops those after it); the last
        // carries the read-back in its document, one round trip less.
        let refused = |e| ServiceError::oci(e, Some(&suid));
        if let (Some(modify), true) = (&modify, renumber.is_some() || active.is_some()) {
            self.pool.call(modify).await.map_err(refused)?;
        }
        if let (Some(renumber), true) = (&renumber, active.is_some()) {
            self.pool.call(renumber).await.map_err(refused)?;
        }
        let read = if let Some(active) = &active {
            self.write_then_fetch(&ctx, &final_id, active)
                .await
                .map_err(|e| ServiceError::oci(e, Some(&final_id)))?
        } else if let Some(renumber) = &renumber {
            self.write_then_fetch(&ctx, &final_id, renumber)
                .await
                .map_err(refused)?
        } else if let Some(modify) = &modify {
            self.write_then_fetch(&ctx, &final_id, modify)
                .await
                .map_err(refused)?
        } else {
            self.fetch(&ctx, &final_id).await
        }?;
        if renumber.is_some() {
            tracing::info!(old = %suid, new = %final_id, "service user id follows the new phone number");
        }
        Ok(read.1)
    }

    /// The new service user id when SERVICE_USERS_UPDATE_ID_PHONE_NUMBER applies to an update.
    fn renumbered_id(
        &self,
        ctx: &GroupContext,
        suid: &str,
        current: &GroupHuntGroupGetInstanceResponse20,
        modify: Option<&GroupHuntGroupModifyInstanceRequest>,
    ) -> Result<Option<String>, ServiceError> {
        let settings = &self.settings;
        if !settings.update_id_on_phone_change || !settings.rule.uses_phone_number() {
            return Ok(None);
        }
        let Some(profile) = modify.and_then(|m| m.service_instance_profile.as_ref()) else {
            return Ok(None);
        };
        let Some(Nillable::Set(new_number)) = &profile.phone_number else {
            return Ok(None);
        };
        let p = &current.service_instance_profile;
        let old = profile_to_e164(p.phone_number.as_deref(), p.country_code.as_deref());
        let new = to_e164(new_number, ctx.country_code.as_deref());
        if old == new {
            return Ok(None);
        }
        let name = profile
            .name
            .clone()
            .map_or_else(|| p.name.clone(), String::from);
        let extension = match &profile.extension {
            Some(Nillable::Set(e)) => Some(e.to_string()),
            Some(Nillable::Nil) => None,
            None => p.extension.clone(),
        };
        let id = settings
            .rule
            .render(&SuidContext {
                tenant_id: &ctx.tenant_id,
                group_id: &ctx.group_id,
                domain: &ctx.domain,
                name: Some(&name),
                extension: extension.as_deref(),
                phone_number_e164: Some(&new),
            })
            .map_err(|m| ServiceError::invalid("serviceInstanceProfile.phoneNumber", m))?;
        Ok((id != suid).then_some(id))
    }

    /// Deletes a hunt group of this group.
    pub async fn delete(&self, tenant: &str, group: &str, suid: &str) -> Result<(), ServiceError> {
        let ctx = self.context(tenant, group).await?;
        let suid = path_id(&ctx, suid)?;
        let table = self.list_table(&ctx).await?;
        if t::active_in_list(&table, &suid).is_none() {
            return Err(not_in_group(&ctx, &suid));
        }
        self.pool
            .call(&GroupHuntGroupDeleteInstanceRequest {
                service_user_id: suid.clone(),
            })
            .await
            .map(|_| ())
            .map_err(|e| ServiceError::oci(e, Some(&suid)))
    }

    /// The agents with their weights.
    pub async fn weights(
        &self,
        tenant: &str,
        group: &str,
        suid: &str,
    ) -> Result<WeightedDistributionJson, ServiceError> {
        let agents = self.get(tenant, group, suid).await?.agents;
        Ok(WeightedDistributionJson { agents })
    }

    /// Sets the weights (agents not listed get 0) and answers them.
    pub async fn set_weights(
        &self,
        tenant: &str,
        group: &str,
        suid: &str,
        input: &WeightedDistributionInput,
    ) -> Result<WeightedDistributionJson, ServiceError> {
        let ctx = self.context(tenant, group).await?;
        let suid = path_id(&ctx, suid)?;
        let command = t::weights_request(&suid, input)?;
        self.fetch(&ctx, &suid).await?;
        let (_, json) = self
            .write_then_fetch(&ctx, &suid, &command)
            .await
            .map_err(|e| ServiceError::oci(e, Some(&suid)))??;
        Ok(WeightedDistributionJson {
            agents: json.agents,
        })
    }

    /// The users that may become agents.
    pub async fn available(
        &self,
        tenant: &str,
        group: &str,
        filter: &AvailableUsersFilter,
    ) -> Result<AvailableUsersJson, ServiceError> {
        let ctx = self.context(tenant, group).await?;
        let request = t::available_request(&ctx, filter)?;
        let table = self
            .pool
            .call(&request)
            .await
            .map_err(|e| ServiceError::oci(e, Some(group)))?
            .user_table;
        Ok(t::available_json(&ctx, &table))
    }
}

/// Whether `number` is one of the group's and nobody holds it (or says why not, naming the
/// field).
fn number_is_free(
    group: &str,
    number: &str,
    holders: &[(String, String, String)],
) -> Result<(), FieldError> {
    let field = "serviceInstanceProfile.phoneNumber";
    let digits = to_e164(number, None).trim_start_matches('+').to_owned();
    let within = |start: &str, end: &str| {
        digits.len() == start.len() && start <= digits.as_str() && digits.as_str() <= end
    };
    match holders.iter().find(|(start, end, _)| within(start, end)) {
        None => Err(FieldError::new(
            field,
            format!("{number} is not a number of group {group}"),
        )),
        Some((_, _, holder)) if !holder.is_empty() => Err(FieldError::new(
            field,
            format!("{number} is already used by {holder}"),
        )),
        Some(_) => Ok(()),
    }
}

/// Reads `read` only when it is `needed` (the future is not even polled otherwise).
async fn only_if<T>(
    needed: bool,
    read: impl std::future::Future<Output = Result<T, ServiceError>>,
) -> Result<Option<T>, ServiceError> {
    if needed {
        read.await.map(Some)
    } else {
        Ok(None)
    }
}

/// Whether BroadWorks refused with this meaning.
fn refused_as(error: &OciError, refusal: Refusal) -> bool {
    error.server_error().is_some_and(|e| classify(e) == refusal)
}

/// The id of a path, completed as [`full_id`] and checked against the schema's `UserId`
/// length before anything is sent.
fn path_id(ctx: &GroupContext, id: &str) -> Result<String, ServiceError> {
    let id = full_id(ctx, id);
    check_len("serviceUserId", &id, limits::USER_ID)
        .map_err(|m| ServiceError::invalid("serviceUserId", m))?;
    Ok(id)
}

/// A service user id as BroadWorks needs it: a bare id gets `@` and the group's domain.
pub fn full_id(ctx: &GroupContext, id: &str) -> String {
    let id = id.trim();
    if id.contains('@') {
        id.to_owned()
    } else {
        format!("{id}@{}", ctx.domain)
    }
}

fn not_in_group(ctx: &GroupContext, suid: &str) -> ServiceError {
    ServiceError::NotFound(format!(
        "no hunt group {suid} in group {} of tenant {}",
        ctx.group_id, ctx.tenant_id
    ))
}

/// Sets one hunt group active or inactive.
fn active_request(suid: &str, active: bool) -> GroupHuntGroupModifyActiveInstanceListRequest {
    GroupHuntGroupModifyActiveInstanceListRequest {
        service_activation: vec![ServiceActivation {
            service_user_id: suid.to_owned(),
            is_active: active,
        }],
    }
}

/// The list of a group's hunt groups.
fn list_request(ctx: &GroupContext) -> GroupHuntGroupGetInstanceListRequest {
    GroupHuntGroupGetInstanceListRequest {
        service_provider_id: ctx.tenant_id.clone(),
        group_id: ctx.group_id.clone(),
        group_department_name: None,
    }
}
