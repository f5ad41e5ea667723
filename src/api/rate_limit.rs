//! A per-token rate limit: a token bucket for each token, refilled at the configured rate with a
//! burst of twice the rate. Over the limit is 429; BroadWorks never sees the request.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Default requests per second per token.
pub const DEFAULT_RATE: u32 = 100;

/// The buckets of every token.
#[derive(Debug)]
pub struct RateLimiter {
    rate: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    /// `per_second` requests per second per token (0: no limit).
    pub fn new(per_second: u32) -> Self {
        Self {
            rate: f64::from(per_second),
            burst: f64::from(per_second) * 2.0,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from `token`'s bucket; `false` when it is empty.
    pub fn allow(&self, token: &str) -> bool {
        if self.rate <= 0.0 {
            return true;
        }
        let Ok(mut buckets) = self.buckets.lock() else {
            return true;
        };
        let now = Instant::now();
        let (tokens, at) = buckets.entry(token.to_owned()).or_insert((self.burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * self.rate).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
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
