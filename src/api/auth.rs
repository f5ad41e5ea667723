//! Bearer tokens and their scopes. A request without a valid token is 401; one outside its
//! token's scope is 403 and never reaches BroadWorks.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::api::error::{ApiError, ErrorCode};
use crate::api::state::AppState;
use crate::config::TokenSettings;

/// What a token may reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Everything.
    System,
    /// One tenant and all its groups.
    Tenant(String),
    /// One group of one tenant.
    Group {
        /// Tenant id.
        tenant: String,
        /// Group id.
        group: String,
    },
}

impl Scope {
    /// Whether the scope covers `tenant` (and `group`, when given).
    pub fn covers(&self, tenant: &str, group: Option<&str>) -> bool {
        match self {
            Self::System => true,
            Self::Tenant(t) => t == tenant,
            Self::Group {
                tenant: t,
                group: g,
            } => t == tenant && group.is_some_and(|group| g == group),
        }
    }
}

/// Shortest token accepted.
pub const MIN_TOKEN_LEN: usize = 8;

/// Refuses a token that could never match, or is too easy to guess: blank, shorter than
/// [`MIN_TOKEN_LEN`], or holding white space (a presented token is trimmed).
pub fn check_token(token: &str) -> Result<(), String> {
    if token.chars().any(char::is_whitespace) {
        return Err("a token cannot contain spaces or other white space".into());
    }
    if token.chars().count() < MIN_TOKEN_LEN {
        return Err(format!("a token needs at least {MIN_TOKEN_LEN} characters"));
    }
    Ok(())
}

/// The configured tokens.
#[derive(Clone, Default)]
pub struct Tokens {
    entries: Vec<(String, Scope, String)>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tokens({} configured)", self.entries.len())
    }
}

impl Tokens {
    /// Tokens from the settings; a group without a tenant is an error.
    pub fn from_settings(settings: &[TokenSettings]) -> Result<Self, String> {
        let mut entries = Vec::new();
        for (i, t) in settings.iter().enumerate() {
            let name = t
                .name
                .clone()
                .unwrap_or_else(|| format!("token #{}", i + 1));
            check_token(&t.token).map_err(|e| format!("{name}: {e}"))?;
            let scope = match (&t.tenant, &t.group) {
                (None, None) => Scope::System,
                (Some(tenant), None) => Scope::Tenant(tenant.clone()),
                (Some(tenant), Some(group)) => Scope::Group {
                    tenant: tenant.clone(),
                    group: group.clone(),
                },
                (None, Some(_)) => return Err(format!("{name}: a group scope needs its tenant")),
            };
            entries.push((t.token.clone(), scope, name));
        }
        Ok(Self { entries })
    }

    /// Adds a token.
    pub fn add(&mut self, token: String, scope: Scope, name: &str) {
        self.entries.push((token, scope, name.to_owned()));
    }

    /// The scope and name of a presented token. Every token is compared in full, so timing
    /// does not tell how much of a guess was right.
    pub fn check(&self, presented: &str) -> Option<(&Scope, &str)> {
        let mut found = None;
        for (token, scope, name) in &self.entries {
            if constant_time_eq(token.as_bytes(), presented.as_bytes()) {
                found = Some((scope, name.as_str()));
            }
        }
        found
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The token's scope.
    pub scope: Scope,
    /// The token's name, for logs.
    pub name: String,
}

impl Caller {
    /// 403 unless the caller's scope covers `tenant`/`group`.
    pub fn require(&self, tenant: &str, group: Option<&str>) -> Result<(), ApiError> {
        if self.scope.covers(tenant, group) {
            return Ok(());
        }
        let target = match group {
            Some(g) => format!("group {g} of tenant {tenant}"),
            None => format!("tenant {tenant}"),
        };
        Err(ApiError::new(
            ErrorCode::Forbidden,
            format!("the token '{}' does not give access to {target}", self.name),
        ))
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        // Failed authentications are limited per client address, checked before the token so
        // a guesser that is over the limit learns nothing, right guess or wrong.
        let address = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|info| info.0.ip().to_string())
            .unwrap_or_default();
        if !state.auth_failures.has_room(&address) {
            return Err(ApiError::new(
                ErrorCode::RateLimited,
                "too many failed authentications from this address; wait a little",
            ));
        }
        let unauthorized = |message: &str| {
            state.auth_failures.allow(&address);
            ApiError::new(ErrorCode::Unauthorized, message.to_owned())
        };
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .ok_or_else(|| unauthorized("missing Authorization: Bearer <token> header"))?;
        let token = header
            .to_str()
            .ok()
            .and_then(|h| {
                h.strip_prefix("Bearer ")
                    .or_else(|| h.strip_prefix("bearer "))
            })
            .map(str::trim)
            .ok_or_else(|| unauthorized("the Authorization header must be 'Bearer <token>'"))?;
        let (scope, name) = state
            .tokens
            .check(token)
            .ok_or_else(|| unauthorized("unknown bearer token"))?;
        if !state.limiter.allow(name) {
            return Err(ApiError::new(
                ErrorCode::RateLimited,
                format!("the token '{name}' sends more requests than allowed; slow down"),
            ));
        }
        Ok(Self {
            scope: scope.clone(),
            name: name.to_owned(),
        })
    }
}
