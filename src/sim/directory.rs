//! The simulator's in-memory directory: providers, groups, departments, users, numbers and
//! hunt groups, with the lookups BroadWorks's rules need.

use std::collections::{BTreeMap, HashMap};

use crate::ocip::commands::{
    DepartmentKey, EnterpriseDepartmentKey, GroupDepartmentKey, HuntOptions, HuntPolicy,
};
use crate::ocip::Secret;
use crate::sim::data::{DataFile, DepartmentData, DEFAULT_SOFTWARE_VERSION};
use crate::sim::error::SimError;
use crate::sim::number::Dn;

/// A service provider or enterprise.
#[derive(Debug, Clone)]
pub struct Provider {
    /// Display name.
    pub name: Option<String>,
    /// Whether agents may come from any group of it.
    pub enterprise: bool,
    /// Enterprise-level departments.
    pub departments: Vec<DepartmentData>,
}

/// A group.
#[derive(Debug, Clone)]
pub struct Group {
    /// Service provider id.
    pub service_provider: String,
    /// Group id.
    pub id: String,
    /// Display name.
    pub name: Option<String>,
    /// Default domain.
    pub domain: String,
    /// Calling line id number.
    pub calling_line_id: Option<Dn>,
    /// Calling line id name.
    pub calling_line_id_name: Option<String>,
    /// Time zone.
    pub time_zone: String,
    /// National prefix.
    pub national_prefix: String,
    /// Assigned numbers.
    pub numbers: Vec<Dn>,
    /// Group departments.
    pub departments: Vec<DepartmentData>,
    /// User limit.
    pub user_limit: i32,
    /// Whether list "Phone Number" cells are national (a real-server quirk).
    pub list_numbers_national: bool,
}

/// A department reference as stored on users and hunt groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DepartmentRef {
    /// A department of the owner's group.
    Group(String),
    /// A department of the owner's enterprise.
    Enterprise(String),
}

/// A user.
#[derive(Debug, Clone)]
pub struct User {
    /// Service provider id.
    pub service_provider: String,
    /// Group id.
    pub group: String,
    /// Last name.
    pub last_name: String,
    /// First name.
    pub first_name: String,
    /// Hiragana last name.
    pub hiragana_last_name: Option<String>,
    /// Hiragana first name.
    pub hiragana_first_name: Option<String>,
    /// Number.
    pub phone_number: Option<Dn>,
    /// Extension.
    pub extension: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Department.
    pub department: Option<DepartmentRef>,
}

/// One agent of a hunt group and its weight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agent {
    /// User id.
    pub user_id: String,
    /// Weighted call distribution weight.
    pub weight: i32,
}

/// A hunt group instance.
#[derive(Debug, Clone, Default)]
pub struct HuntGroup {
    /// Service provider id.
    pub service_provider: String,
    /// Group id.
    pub group: String,
    /// Profile name.
    pub name: String,
    /// Calling line id last name.
    pub clid_last_name: String,
    /// Calling line id first name.
    pub clid_first_name: String,
    /// Hiragana last name.
    pub hiragana_last_name: Option<String>,
    /// Hiragana first name.
    pub hiragana_first_name: Option<String>,
    /// Number.
    pub phone_number: Option<Dn>,
    /// Extension.
    pub extension: Option<String>,
    /// Password (never returned).
    pub password: Option<Secret>,
    /// Department.
    pub department: Option<DepartmentRef>,
    /// Language.
    pub language: Option<String>,
    /// Time zone.
    pub time_zone: Option<String>,
    /// SIP aliases.
    pub aliases: Vec<String>,
    /// Public user identity.
    pub public_user_identity: Option<String>,
    /// Calling line id number, as given.
    pub clid_phone_number: Option<String>,
    /// The options, as the Add set them and Modifies changed them.
    pub options: HuntOptions,
    /// Agents in hunt order.
    pub agents: Vec<Agent>,
    /// Active flag.
    pub active: bool,
}

/// The whole directory.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    /// Administrators and their passwords.
    pub admins: HashMap<String, Secret>,
    /// Providers by id.
    pub providers: BTreeMap<String, Provider>,
    /// Groups by (provider, group).
    pub groups: BTreeMap<(String, String), Group>,
    /// Users by id.
    pub users: BTreeMap<String, User>,
    /// Hunt groups by service user id.
    pub hunt_groups: BTreeMap<String, HuntGroup>,
    /// What SystemSoftwareVersionGetRequest answers.
    pub software_version: String,
}

impl Directory {
    /// Builds and checks a directory from a data file; errors name the bad entry.
    pub fn from_data(data: &DataFile) -> Result<Self, String> {
        let mut dir = Directory {
            software_version: data
                .software_version
                .clone()
                .unwrap_or_else(|| DEFAULT_SOFTWARE_VERSION.to_owned()),
            ..Directory::default()
        };
        for admin in &data.admins {
            dir.admins
                .insert(admin.user.clone(), Secret::new(admin.password.clone()));
        }
        for sp in &data.service_providers {
            dir.providers.insert(
                sp.id.clone(),
                Provider {
                    name: sp.name.clone(),
                    enterprise: sp.enterprise,
                    departments: sp.departments.clone(),
                },
            );
        }
        for g in &data.groups {
            if !dir.providers.contains_key(&g.service_provider) {
                return Err(format!(
                    "group {}: unknown service provider {}",
                    g.id, g.service_provider
                ));
            }
            let parse = |n: &str| {
                Dn::parse_canonical(n)
                    .ok_or_else(|| format!("group {}: number '{n}' is not +CC-NNNN", g.id))
            };
            let numbers = g
                .numbers
                .iter()
                .map(|n| parse(n))
                .collect::<Result<_, _>>()?;
            let calling_line_id = g
                .calling_line_id_phone_number
                .as_deref()
                .map(parse)
                .transpose()?;
            dir.groups.insert(
                (g.service_provider.clone(), g.id.clone()),
                Group {
                    service_provider: g.service_provider.clone(),
                    id: g.id.clone(),
                    name: g.name.clone(),
                    domain: g.domain.clone(),
                    calling_line_id,
                    calling_line_id_name: g.calling_line_id_name.clone(),
                    time_zone: g.time_zone.clone(),
                    national_prefix: g.national_prefix.clone(),
                    numbers,
                    departments: g.departments.clone(),
                    user_limit: g.user_limit,
                    list_numbers_national: g.list_numbers_national,
                },
            );
        }
        for u in &data.users {
            dir.add_user_from_data(u)?;
        }
        for h in &data.hunt_groups {
            dir.add_hunt_group_from_data(h)?;
        }
        Ok(dir)
    }

    fn add_user_from_data(&mut self, u: &crate::sim::data::UserData) -> Result<(), String> {
        let group = self.group(&u.service_provider, &u.group).map_err(|_| {
            format!(
                "user {}: unknown group {}/{}",
                u.id, u.service_provider, u.group
            )
        })?;
        let phone_number = match &u.phone_number {
            Some(n) => Some(
                self.claim_number(group, n, &u.id)
                    .map_err(|e| format!("user {}: {}", u.id, e.text))?,
            ),
            None => None,
        };
        let department = match &u.department {
            Some(name) => {
                let dept = if u.enterprise_department {
                    DepartmentRef::Enterprise(name.clone())
                } else {
                    DepartmentRef::Group(name.clone())
                };
                self.check_department(&u.service_provider, &u.group, &dept)
                    .map_err(|e| format!("user {}: {}", u.id, e.text))?;
                Some(dept)
            }
            None => None,
        };
        if self.user_id_taken(&u.id) {
            return Err(format!("user {}: duplicate user id", u.id));
        }
        self.users.insert(
            u.id.clone(),
            User {
                service_provider: u.service_provider.clone(),
                group: u.group.clone(),
                last_name: u.last_name.clone(),
                first_name: u.first_name.clone(),
                hiragana_last_name: u.hiragana_last_name.clone(),
                hiragana_first_name: u.hiragana_first_name.clone(),
                phone_number,
                extension: u.extension.clone(),
                email: u.email.clone(),
                department,
            },
        );
        Ok(())
    }

    fn add_hunt_group_from_data(
        &mut self,
        h: &crate::sim::data::HuntGroupData,
    ) -> Result<(), String> {
        let context = |e: SimError| format!("hunt group {}: {}", h.service_user_id, e.text);
        let group = self.group(&h.service_provider, &h.group).map_err(context)?;
        let phone_number = h
            .phone_number
            .as_deref()
            .map(|n| self.claim_number(group, n, &h.service_user_id))
            .transpose()
            .map_err(context)?;
        let policy = HuntPolicy::parse(&h.policy).ok_or_else(|| {
            format!(
                "hunt group {}: unknown policy {}",
                h.service_user_id, h.policy
            )
        })?;
        let hunt_group = HuntGroup {
            service_provider: h.service_provider.clone(),
            group: h.group.clone(),
            name: h.name.clone(),
            clid_last_name: h.name.clone(),
            clid_first_name: h.name.clone(),
            phone_number,
            extension: h.extension.clone(),
            options: HuntOptions {
                policy,
                ..HuntOptions::spec_defaults()
            },
            agents: h
                .agents
                .iter()
                .map(|a| Agent {
                    user_id: a.clone(),
                    weight: 0,
                })
                .collect(),
            active: h.active,
            ..HuntGroup::default()
        };
        for agent in &h.agents {
            self.check_agent(&hunt_group, agent).map_err(context)?;
        }
        if self.user_id_taken(&h.service_user_id) {
            return Err(format!(
                "hunt group {}: duplicate user id",
                h.service_user_id
            ));
        }
        self.hunt_groups
            .insert(h.service_user_id.clone(), hunt_group);
        Ok(())
    }

    /// The group `group_id` of provider `sp`, or the BroadWorks error for whichever is unknown.
    pub fn group(&self, sp: &str, group_id: &str) -> Result<&Group, SimError> {
        if !self.providers.contains_key(sp) {
            return Err(SimError::provider_not_found(sp));
        }
        self.groups
            .get(&(sp.to_owned(), group_id.to_owned()))
            .ok_or_else(|| SimError::group_not_found(group_id))
    }

    /// Whether a user or a service instance already has this id.
    pub fn user_id_taken(&self, id: &str) -> bool {
        self.users.contains_key(id) || self.hunt_groups.contains_key(id)
    }

    /// Finds the group number a client designated, checking it is free (or already held by
    /// `holder`).
    pub fn claim_number(&self, group: &Group, text: &str, holder: &str) -> Result<Dn, SimError> {
        let dn = group
            .numbers
            .iter()
            .find(|dn| dn.matches(text, &group.national_prefix))
            .ok_or_else(|| SimError::number_not_assigned(text))?;
        match self.number_holder(dn) {
            Some(other) if other != holder => Err(SimError::number_in_use(text)),
            _ => Ok(dn.clone()),
        }
    }

    /// Who holds a number: a user or a hunt group.
    pub fn number_holder(&self, dn: &Dn) -> Option<&str> {
        let user = self
            .users
            .iter()
            .find(|(_, u)| u.phone_number.as_ref() == Some(dn))
            .map(|(id, _)| id.as_str());
        let hunt = || {
            self.hunt_groups
                .iter()
                .find(|(_, h)| h.phone_number.as_ref() == Some(dn))
                .map(|(id, _)| id.as_str())
        };
        user.or_else(hunt)
    }

    /// Checks an extension is free in the group (or held by `holder`).
    pub fn check_extension(
        &self,
        sp: &str,
        group: &str,
        extension: &str,
        holder: &str,
    ) -> Result<(), SimError> {
        let in_group = |s: &str, g: &str| s == sp && g == group;
        let taken = self.users.iter().any(|(id, u)| {
            id != holder
                && in_group(&u.service_provider, &u.group)
                && u.extension.as_deref() == Some(extension)
        }) || self.hunt_groups.iter().any(|(id, h)| {
            id != holder
                && in_group(&h.service_provider, &h.group)
                && h.extension.as_deref() == Some(extension)
        });
        if taken {
            return Err(SimError::extension_in_use(extension));
        }
        if !extension.bytes().all(|b| b.is_ascii_digit()) {
            return Err(SimError::validation(format!(
                "extension: '{extension}' is not a string of digits"
            )));
        }
        Ok(())
    }

    /// Checks a department exists for an owner in `sp`/`group`.
    pub fn check_department(
        &self,
        sp: &str,
        group: &str,
        dept: &DepartmentRef,
    ) -> Result<(), SimError> {
        let found = match dept {
            DepartmentRef::Group(name) => self
                .groups
                .get(&(sp.to_owned(), group.to_owned()))
                .is_some_and(|g| g.departments.iter().any(|d| &d.name == name)),
            DepartmentRef::Enterprise(name) => self
                .providers
                .get(sp)
                .is_some_and(|p| p.departments.iter().any(|d| &d.name == name)),
        };
        if found {
            Ok(())
        } else {
            Err(SimError::department_not_found(match dept {
                DepartmentRef::Group(n) | DepartmentRef::Enterprise(n) => n,
            }))
        }
    }

    /// Resolves a wire department key for an owner in `sp`/`group`.
    pub fn department_from_key(
        &self,
        sp: &str,
        group: &str,
        key: &DepartmentKey,
    ) -> Result<DepartmentRef, SimError> {
        let dept = match key {
            DepartmentKey::Group(k) if k.service_provider_id == sp && k.group_id == group => {
                DepartmentRef::Group(k.name.clone())
            }
            DepartmentKey::Enterprise(k) if k.service_provider_id == sp => {
                DepartmentRef::Enterprise(k.name.clone())
            }
            other => return Err(SimError::department_not_found(other.name())),
        };
        self.check_department(sp, group, &dept)?;
        Ok(dept)
    }

    /// The wire key of a stored department.
    pub fn department_key(sp: &str, group: &str, dept: &DepartmentRef) -> DepartmentKey {
        match dept {
            DepartmentRef::Group(name) => DepartmentKey::Group(GroupDepartmentKey {
                service_provider_id: sp.to_owned(),
                group_id: group.to_owned(),
                name: name.clone(),
            }),
            DepartmentRef::Enterprise(name) => DepartmentKey::Enterprise(EnterpriseDepartmentKey {
                service_provider_id: sp.to_owned(),
                name: name.clone(),
            }),
        }
    }

    /// The full path of a department: `parent \ child`.
    pub fn department_path(&self, sp: &str, group: &str, dept: &DepartmentRef) -> String {
        let (list, name) = match dept {
            DepartmentRef::Group(name) => (
                self.groups
                    .get(&(sp.to_owned(), group.to_owned()))
                    .map(|g| g.departments.as_slice()),
                name,
            ),
            DepartmentRef::Enterprise(name) => (
                self.providers.get(sp).map(|p| p.departments.as_slice()),
                name,
            ),
        };
        let list = list.unwrap_or_default();
        let mut path = vec![name.clone()];
        let mut current = name.clone();
        while let Some(parent) = list
            .iter()
            .find(|d| d.name == current)
            .and_then(|d| d.parent.clone())
        {
            if path.contains(&parent) || path.len() > 16 {
                break; // a loop in the data file; stop rather than spin
            }
            path.insert(0, parent.clone());
            current = parent;
        }
        path.join(" \\ ")
    }

    /// The parent department's name, if any.
    pub fn department_parent(&self, sp: &str, group: &str, dept: &DepartmentRef) -> Option<String> {
        let (list, name) = match dept {
            DepartmentRef::Group(name) => (
                self.groups
                    .get(&(sp.to_owned(), group.to_owned()))
                    .map(|g| g.departments.clone()),
                name,
            ),
            DepartmentRef::Enterprise(name) => {
                (self.providers.get(sp).map(|p| p.departments.clone()), name)
            }
        };
        list?.into_iter().find(|d| &d.name == name)?.parent
    }

    /// Checks `agent` may be an agent of `hunt_group`: an existing user of the same group, or of
    /// any group of the same enterprise.
    pub fn check_agent(&self, hunt_group: &HuntGroup, agent: &str) -> Result<(), SimError> {
        let user = self
            .users
            .get(agent)
            .ok_or_else(|| SimError::user_not_found(agent))?;
        let enterprise = self
            .providers
            .get(&hunt_group.service_provider)
            .is_some_and(|p| p.enterprise);
        let same_group =
            user.service_provider == hunt_group.service_provider && user.group == hunt_group.group;
        let same_enterprise = enterprise && user.service_provider == hunt_group.service_provider;
        if same_group || same_enterprise {
            Ok(())
        } else {
            Err(SimError::agent_not_allowed(agent))
        }
    }
}
