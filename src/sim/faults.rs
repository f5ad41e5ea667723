//! Fault injection: the simulator as the faulty peer a gateway must survive. Every fault is
//! decided by a random generator seeded per connection from one seed, so a test run repeats.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

/// Which faults to inject (`[faults]` in the data file, `ocigw sim` options, or `PUT /faults`
/// of the control API).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSettings {
    /// Seed of the per-connection generators (0 when absent).
    pub seed: Option<u64>,
    /// Close each connection after answering its Nth command.
    pub drop_after_commands: Option<u64>,
    /// Probability of closing the connection instead of executing a command.
    pub drop_probability: Option<f64>,
    /// Probability of executing a command, then closing without answering.
    pub drop_after_execute_probability: Option<f64>,
    /// Delay of a delayed answer, in milliseconds.
    pub delay_ms: Option<u64>,
    /// Probability that an answer is delayed (1 when only `delay_ms` is given).
    pub delay_probability: Option<f64>,
    /// Sessions expire this many seconds after their login.
    pub session_expiry_seconds: Option<u64>,
    /// Logins are refused for this many seconds after the simulator starts.
    pub refuse_logins_seconds: Option<u64>,
    /// Probability of answering with a malformed document.
    pub garbage_probability: Option<f64>,
    /// Probability of sending half the answer, then closing.
    pub truncate_probability: Option<f64>,
}

impl FaultSettings {
    /// Whether any fault is configured.
    pub fn any(&self) -> bool {
        *self
            != Self {
                seed: self.seed,
                ..Self::default()
            }
    }

    /// Checks probabilities are within 0..=1.
    pub fn check(&self) -> Result<(), String> {
        for (name, p) in [
            ("drop_probability", self.drop_probability),
            (
                "drop_after_execute_probability",
                self.drop_after_execute_probability,
            ),
            ("delay_probability", self.delay_probability),
            ("garbage_probability", self.garbage_probability),
            ("truncate_probability", self.truncate_probability),
        ] {
            if let Some(p) = p {
                if !(0.0..=1.0).contains(&p) {
                    return Err(format!("{name}: {p} is not a probability between 0 and 1"));
                }
            }
        }
        Ok(())
    }
}

fn rng_for(settings: &FaultSettings, index: u64) -> StdRng {
    StdRng::seed_from_u64(settings.seed.unwrap_or(0) ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// What to do with one received document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Answer normally (after `delay`).
    Answer {
        /// Wait before answering.
        delay: Duration,
    },
    /// Close without executing.
    DropBefore,
    /// Execute, then close without answering.
    DropAfter,
    /// Execute, answer with a malformed document.
    Garbage,
    /// Execute, send half the answer and close.
    Truncate,
}

/// The simulator's fault settings, which the control API may change while connections run:
/// each connection picks a change up before its next document.
#[derive(Debug)]
pub struct LiveFaults {
    current: RwLock<(Arc<FaultSettings>, Instant)>,
    generation: AtomicU64,
}

impl LiveFaults {
    /// Faults in force from now.
    pub fn new(settings: FaultSettings) -> Self {
        Self {
            current: RwLock::new((Arc::new(settings), Instant::now())),
            generation: AtomicU64::new(0),
        }
    }

    /// The settings and since when they apply.
    pub fn current(&self) -> (Arc<FaultSettings>, Instant) {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Replaces the settings from now on (refused when a probability is out of range).
    /// Timed faults (`refuse_logins_seconds`) count from now.
    pub fn set(&self, settings: FaultSettings) -> Result<(), String> {
        settings.check()?;
        let mut current = self.current.write().unwrap_or_else(|p| p.into_inner());
        *current = (Arc::new(settings), Instant::now());
        self.generation.fetch_add(1, Ordering::Release);
        Ok(())
    }

    fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }
}

impl Default for LiveFaults {
    fn default() -> Self {
        Self::new(FaultSettings::default())
    }
}

/// The fault state of one connection.
#[derive(Debug)]
pub struct ConnectionFaults {
    settings: Arc<FaultSettings>,
    rng: StdRng,
    commands: u64,
    started: Instant,
    index: u64,
    generation: u64,
}

impl ConnectionFaults {
    /// Faults for connection number `index`, from the settings in force.
    pub fn new(live: &LiveFaults, index: u64) -> Self {
        let generation = live.generation();
        let (settings, started) = live.current();
        Self {
            rng: rng_for(&settings, index),
            settings,
            commands: 0,
            started,
            index,
            generation,
        }
    }

    /// Picks up settings changed since the last document: the generator restarts from the
    /// seed and the command count from zero.
    pub fn refresh(&mut self, live: &LiveFaults) {
        if live.generation() != self.generation {
            *self = Self::new(live, self.index);
        }
    }

    fn roll(&mut self, p: Option<f64>) -> bool {
        match p {
            Some(p) if p > 0.0 => self.rng.gen_bool(p.min(1.0)),
            _ => false,
        }
    }

    /// Decides the fate of the next document.
    pub fn decide(&mut self) -> Action {
        self.commands += 1;
        if self.roll(self.settings.drop_probability) {
            return Action::DropBefore;
        }
        if self.roll(self.settings.drop_after_execute_probability) {
            return Action::DropAfter;
        }
        if self.roll(self.settings.garbage_probability) {
            return Action::Garbage;
        }
        if self.roll(self.settings.truncate_probability) {
            return Action::Truncate;
        }
        let delay_p = self.settings.delay_probability.unwrap_or(1.0);
        let delay = match self.settings.delay_ms {
            Some(ms) => {
                if self.roll(Some(delay_p)) {
                    Duration::from_millis(ms)
                } else {
                    Duration::ZERO
                }
            }
            None => Duration::ZERO,
        };
        Action::Answer { delay }
    }

    /// Whether the connection closes after answering this command.
    pub fn close_after_answer(&self) -> bool {
        self.settings
            .drop_after_commands
            .is_some_and(|n| self.commands >= n)
    }

    /// Whether logins are being refused now.
    pub fn refusing_logins(&self) -> bool {
        self.settings
            .refuse_logins_seconds
            .is_some_and(|s| self.started.elapsed() < Duration::from_secs(s))
    }

    /// Whether a session logged in at `at` has expired.
    pub fn expired(&self, at: Instant) -> bool {
        self.settings
            .session_expiry_seconds
            .is_some_and(|s| at.elapsed() >= Duration::from_secs(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_faults() {
        let settings = FaultSettings {
            seed: Some(7),
            drop_probability: Some(0.2),
            delay_ms: Some(5),
            delay_probability: Some(0.3),
            ..Default::default()
        };
        let live = LiveFaults::new(settings.clone());
        let run = |index| {
            let mut f = ConnectionFaults::new(&live, index);
            (0..200).map(|_| f.decide()).collect::<Vec<_>>()
        };
        assert_eq!(run(3), run(3));
        assert_ne!(run(3), run(4));
        let actions = run(3);
        let drops = actions.iter().filter(|a| **a == Action::DropBefore).count();
        assert!(
            (20..=60).contains(&drops),
            "{drops} drops of 200 at p = 0.2"
        );
        assert!(settings.any());
        assert!(!FaultSettings {
            seed: Some(1),
            ..Default::default()
        }
        .any());
        assert!(FaultSettings {
            drop_probability: Some(1.5),
            ..Default::default()
        }
        .check()
        .is_err());
    }
}
