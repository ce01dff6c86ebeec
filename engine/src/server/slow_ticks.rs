//! Slow ticks in the log: a tick slower than the tick rate allows (and than
//! [`SLOW_TICK_FLOOR`]) is logged with where its time went; more within a minute are counted
//! into the next line, so a shard that is slow all the time logs once a minute, not per tick.

use std::time::{Duration, Instant};

use crate::shard::TickSummary;

/// Ticks faster than this are never called slow (a shard at `--tick-ms 0` runs flat out).
pub(crate) const SLOW_TICK_FLOOR: Duration = Duration::from_millis(500);
const REPORT_EVERY: Duration = Duration::from_secs(60);

#[derive(Default)]
pub(crate) struct SlowTicks {
    last_report: Option<Instant>,
    /// Slow ticks since the last line.
    unreported: u64,
}

impl SlowTicks {
    /// Notes a committed tick; logs when it was slow and no line went out this minute.
    pub(crate) fn observe(&mut self, summary: &TickSummary, tick_every: Duration) {
        if summary.duration <= tick_every.max(SLOW_TICK_FLOOR) {
            return;
        }
        self.unreported += 1;
        let now = Instant::now();
        if self
            .last_report
            .is_some_and(|at| now.duration_since(at) < REPORT_EVERY)
        {
            return;
        }
        let t = &summary.timings;
        let ms = |ns: u64| ns / 1_000_000;
        tracing::warn!(
            tick = summary.tick,
            ms = summary.duration.as_millis() as u64,
            budget_ms = tick_every.as_millis() as u64,
            views_ms = ms(t.views_ns),
            players_ms = ms(t.players_ns),
            world_ms = ms(t.world_ns),
            commit_ms = ms(t.commit_ns),
            slow_ticks = self.unreported,
            "slow tick"
        );
        self.unreported = 0;
        self.last_report = Some(now);
    }
}
