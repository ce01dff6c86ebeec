//! Where players' isolates run: the flags `serve` and `demo` share.

use clap::Args;

/// Where players' isolates run.
#[derive(Clone, Copy, Debug, clap::ValueEnum, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Isolation {
    /// Supervised runner processes: a V8 abort takes down one runner, not the shard.
    Process,
    /// Home threads in the shard's own process.
    Thread,
}

/// How players' code is isolated (`serve` and `demo`).
#[derive(Args)]
pub struct IsolationArgs {
    /// Where players' isolates run [default: process for serve, thread for demo].
    #[arg(long, value_enum)]
    pub isolation: Option<Isolation>,
    /// Runner processes with `--isolation process` (default: cores).
    #[arg(long)]
    pub runners: Option<usize>,
}

impl IsolationArgs {
    /// Runner-process options, or `None` for in-process home threads.
    pub fn runners(
        &self,
        default: Isolation,
    ) -> Option<isoshard_engine::runner::ProcessHostOptions> {
        if self.isolation.unwrap_or(default) != Isolation::Process {
            return None;
        }
        let mut o = isoshard_engine::runner::ProcessHostOptions::default();
        if let Some(n) = self.runners {
            o.runners = n.max(1);
        }
        Some(o)
    }
}
