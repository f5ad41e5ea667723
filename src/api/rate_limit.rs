//! Token buckets by key: the per-token request limit (refilled at the configured rate, bursts of
//! twice the rate) and the per-address limit on failed authentications. Over a limit is 429;
//! BroadWorks never sees the request.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Default requests per second per token.
pub const DEFAULT_RATE: u32 = 100;

/// Failed authentications allowed per client address per second (after a burst of
/// [`FAILED_AUTH_BURST`]).
pub const FAILED_AUTH_PER_SECOND: f64 = 1.0;

/// Failed authentications a client address may make at once.
pub const FAILED_AUTH_BURST: f64 = 20.0;

/// Buckets kept before full (idle) ones are forgotten.
const MAX_BUCKETS: usize = 10_000;

/// The buckets of every key.
#[derive(Debug)]
pub struct RateLimiter {
    rate: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    /// `per_second` requests per second per key, bursts of twice that (0: no limit).
    pub fn new(per_second: u32) -> Self {
        Self::with_burst(f64::from(per_second), f64::from(per_second) * 2.0)
    }

    /// `rate` per second per key, bursts of `burst` (a rate of 0: no limit).
    pub fn with_burst(rate: f64, burst: f64) -> Self {
        Self {
            rate,
            burst,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// The limit on failed authentications per client address.
    pub fn failed_authentications() -> Self {
        Self::with_burst(FAILED_AUTH_PER_SECOND, FAILED_AUTH_BURST)
    }

    /// Takes one from `key`'s bucket; `false` when it is empty.
    pub fn allow(&self, key: &str) -> bool {
        self.with_bucket(key, |tokens| {
            if *tokens >= 1.0 {
                *tokens -= 1.0;
                true
            } else {
                false
            }
        })
    }

    /// Whether `key`'s bucket has one left, taking nothing.
    pub fn has_room(&self, key: &str) -> bool {
        self.with_bucket(key, |tokens| *tokens >= 1.0)
    }

    fn with_bucket(&self, key: &str, decide: impl FnOnce(&mut f64) -> bool) -> bool {
        if self.rate <= 0.0 {
            return true;
        }
        let Ok(mut buckets) = self.buckets.lock() else {
            return true;
        };
        let now = Instant::now();
        if buckets.len() >= MAX_BUCKETS && !buckets.contains_key(key) {
            let (rate, burst) = (self.rate, self.burst);
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * rate < burst
            });
        }
        let (tokens, at) = buckets.entry(key.to_owned()).or_insert((self.burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * self.rate).min(self.burst);
        *at = now;
        decide(tokens)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_refusals_per_token() {
        let limiter = RateLimiter::new(5);
        let allowed = (0..20).filter(|_| limiter.allow("a")).count();
        assert_eq!(allowed, 10, "the burst is twice the rate");
        assert!(limiter.allow("b"), "buckets are per token");
        assert!((0..100).all(|_| RateLimiter::new(0).allow("a")));
    }
}
