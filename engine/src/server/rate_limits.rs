//! Per-client rate limits (governor's GCRA): sign-in attempts per address and per account,
//! registrations per address, code uploads per player. Over a limit the request is answered
//! `429 Too Many Requests` with `Retry-After` and costs the shard nothing: no password hash
//! is computed and no command reaches the shard thread.

use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Limits per minute (bursts of the same size).
#[derive(Debug, Clone, Copy)]
pub struct RateLimits {
    /// Sign-in attempts per client address, and wrong passwords per account name.
    pub sign_ins_per_minute: u32,
    /// Registrations per client address.
    pub registrations_per_minute: u32,
    /// Code uploads per player.
    pub uploads_per_minute: u32,
    /// Memory, segment and console requests per player (each parses, compresses or queues
    /// up to megabytes).
    pub memory_requests_per_minute: u32,
    /// Messages a player sends to other players.
    pub messages_per_minute: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            sign_ins_per_minute: 20,
            registrations_per_minute: 5,
            uploads_per_minute: 30,
            memory_requests_per_minute: 120,
            messages_per_minute: 10,
        }
    }
}

/// What was limited and how long until it is allowed again.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limited {
    pub what: &'static str,
    pub retry_after: Duration,
}

/// Keys a limiter tracks at most before idle ones are forgotten: bounds memory under a flood
/// from many addresses.
const TRACKED_KEYS: usize = 4096;

struct Limiter<K: Hash + Eq + Clone> {
    what: &'static str,
    inner: DefaultKeyedRateLimiter<K>,
}

impl<K: Hash + Eq + Clone> Limiter<K> {
    fn per_minute(what: &'static str, n: u32) -> Self {
        let n = NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN);
        Limiter {
            what,
            inner: RateLimiter::keyed(Quota::per_minute(n)),
        }
    }

    fn check(&self, key: &K) -> Result<(), Limited> {
        if self.inner.len() > TRACKED_KEYS {
            self.inner.retain_recent();
        }
        self.inner.check_key(key).map_err(|not_until| Limited {
            what: self.what,
            retry_after: not_until.wait_time_from(DefaultClock::default().now()),
        })
    }
}

/// The limiters of one server.
pub(crate) struct Limiters {
    sign_in_by_client: Limiter<IpAddr>,
    /// Wrong passwords per account name; over the limit the name is blocked (below).
    failures_by_name: Limiter<String>,
    /// Until when each over-limit name is refused without checking the password: governor
    /// cannot test a key without spending a unit, and a right password must not spend one.
    blocked_names: parking_lot::Mutex<std::collections::BTreeMap<String, std::time::Instant>>,
    register_by_client: Limiter<IpAddr>,
    upload_by_player: Limiter<u32>,
    memory_by_player: Limiter<u32>,
    message_by_player: Limiter<u32>,
}

impl Limiters {
    pub(crate) fn new(limits: RateLimits) -> Self {
        Limiters {
            sign_in_by_client: Limiter::per_minute("sign-in", limits.sign_ins_per_minute),
            failures_by_name: Limiter::per_minute("sign-in", limits.sign_ins_per_minute),
            blocked_names: Default::default(),
            register_by_client: Limiter::per_minute(
                "registration",
                limits.registrations_per_minute,
            ),
            upload_by_player: Limiter::per_minute("code upload", limits.uploads_per_minute),
            memory_by_player: Limiter::per_minute(
                "memory or console",
                limits.memory_requests_per_minute,
            ),
            message_by_player: Limiter::per_minute("message", limits.messages_per_minute),
        }
    }

    /// Before a sign-in attempt from `client` (`None` when the address is unknown, or for
    /// per-request credentials) for `name`: refused when the client made too many attempts or
    /// the name had too many wrong passwords, before any password is hashed.
    pub(crate) fn sign_in(&self, client: Option<IpAddr>, name: &str) -> Result<(), Limited> {
        if let Some(ip) = client {
            self.sign_in_by_client.check(&ip)?;
        }
        let now = std::time::Instant::now();
        let mut blocked = self.blocked_names.lock();
        match blocked.get(name) {
            Some(until) if *until > now => Err(Limited {
                what: "sign-in",
                retry_after: *until - now,
            }),
            Some(_) => {
                blocked.remove(name);
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// After a wrong password for `name`.
    pub(crate) fn wrong_password(&self, name: &str) {
        if let Err(limited) = self.failures_by_name.check(&name.to_string()) {
            let mut blocked = self.blocked_names.lock();
            if blocked.len() > TRACKED_KEYS {
                let now = std::time::Instant::now();
                blocked.retain(|_, until| *until > now);
            }
            blocked.insert(
                name.to_string(),
                std::time::Instant::now() + limited.retry_after,
            );
        }
    }

    pub(crate) fn register(&self, client: Option<IpAddr>) -> Result<(), Limited> {
        match client {
            Some(ip) => self.register_by_client.check(&ip),
            None => Ok(()),
        }
    }

    pub(crate) fn upload(&self, player: u32) -> Result<(), Limited> {
        self.upload_by_player.check(&player)
    }

    pub(crate) fn memory(&self, player: u32) -> Result<(), Limited> {
        self.memory_by_player.check(&player)
    }

    pub(crate) fn message(&self, player: u32) -> Result<(), Limited> {
        self.message_by_player.check(&player)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_over_the_limit_is_refused_with_a_wait_and_other_clients_are_not() {
        let limits = Limiters::new(RateLimits {
            sign_ins_per_minute: 3,
            registrations_per_minute: 2,
            uploads_per_minute: 1,
            memory_requests_per_minute: 1,
            messages_per_minute: 1,
        });
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        for _ in 0..2 {
            limits.register(Some(a)).unwrap();
        }
        let refused = limits.register(Some(a)).unwrap_err();
        assert_eq!(refused.what, "registration");
        assert!(
            refused.retry_after > Duration::ZERO && refused.retry_after <= Duration::from_secs(30)
        );
        limits.register(Some(b)).unwrap();
        limits.upload(7).unwrap();
        assert!(limits.upload(7).is_err());
        limits.upload(8).unwrap();
    }

    #[test]
    fn guessing_one_account_from_many_addresses_is_blocked_by_the_name() {
        let limits = Limiters::new(RateLimits {
            sign_ins_per_minute: 3,
            ..RateLimits::default()
        });
        for i in 0..4u8 {
            limits.sign_in(Some([10, 0, 1, i].into()), "alice").unwrap();
            limits.wrong_password("alice");
        }
        let refused = limits
            .sign_in(Some([10, 0, 1, 9].into()), "alice")
            .unwrap_err();
        assert!(refused.retry_after > Duration::ZERO);
        limits.sign_in(Some([10, 0, 1, 9].into()), "bob").unwrap();
    }

    #[test]
    fn right_passwords_spend_nothing_per_name() {
        let limits = Limiters::new(RateLimits {
            sign_ins_per_minute: 2,
            ..RateLimits::default()
        });
        for _ in 0..50 {
            limits.sign_in(None, "alice").unwrap();
        }
    }
}
