//! Screeps' CPU accounting (screeps/driver `lib/runtime/make.js`).

use serde::{Deserialize, Serialize};

/// Largest bucket.
pub const BUCKET_MAX: i64 = 10_000;
/// Largest per-tick limit.
pub const TICK_LIMIT_MAX: i64 = 500;
/// `PIXEL_CPU_COST`: what `Game.cpu.generatePixel` takes from the bucket.
pub const PIXEL_CPU_COST: i64 = 10_000;

/// One player's CPU limit and bucket, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CpuBudget {
    /// Per-tick allowance (`Game.cpu.limit`).
    pub limit: i64,
    /// Saved-up CPU (`Game.cpu.bucket`); starts full.
    pub bucket: i64,
}

impl CpuBudget {
    /// A full bucket with the given limit.
    pub fn new(limit_ms: i64) -> Self {
        CpuBudget {
            limit: limit_ms.max(1),
            bucket: BUCKET_MAX,
        }
    }

    /// `Game.cpu.tickLimit`: `min(500, bucket + limit)`.
    pub fn tick_limit(&self) -> i64 {
        (self.bucket + self.limit).clamp(0, TICK_LIMIT_MAX)
    }

    /// Whether the player's code is skipped this tick (only while the bucket is negative).
    pub fn skips(&self) -> bool {
        self.bucket < 0
    }

    /// Charges a tick that ran: `bucket = min(10000, bucket + limit - used)`.
    pub fn charge(&mut self, used_ms: f64) {
        let used = used_ms.ceil() as i64;
        self.bucket = (self.bucket + self.limit - used).min(BUCKET_MAX);
    }

    /// A skipped tick refills the bucket by `limit`.
    pub fn skip(&mut self) {
        self.bucket = (self.bucket + self.limit).min(BUCKET_MAX);
    }

    /// Takes `penalty_ms` out of the bucket (crashes).
    pub fn penalize(&mut self, penalty_ms: i64) {
        self.bucket -= penalty_ms;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_follows_screeps_arithmetic() {
        let mut b = CpuBudget::new(100);
        assert_eq!((b.bucket, b.tick_limit()), (10_000, 500));
        b.charge(500.0);
        assert_eq!(b.bucket, 9_600);
        b.charge(20.0);
        assert_eq!(b.bucket, 9_680);
        for _ in 0..10 {
            b.charge(0.0);
        }
        assert_eq!(b.bucket, 10_000, "capped");
        b.bucket = 50;
        assert_eq!(b.tick_limit(), 150);
        b.charge(200.0);
        assert_eq!(b.bucket, -50);
        assert!(b.skips());
        b.skip();
        assert_eq!(b.bucket, 50);
        assert!(!b.skips());
    }
}
