//! `isoshard serve`'s settings from three places: flags, `ISOSHARD_…` environment variables
//! (clap's `env`) and a TOML file (`--config`), in that order of precedence, then the
//! defaults. One struct serves as both the flags and the file (the file's keys are the flags'
//! long names), so a setting cannot exist in one and not the other.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;
use isoshard_engine::runner::ProcessHostOptions;
use isoshard_engine::server::{History, HttpLimits, RateLimits, ServeOptions};
use isoshard_engine::RedisOptions;
use serde::Deserialize;

use crate::isolation::{Isolation, IsolationArgs};

/// How log lines are written.
#[derive(Clone, Copy, Debug, Default, clap::ValueEnum, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum LogFormat {
    /// One line per event, for people.
    #[default]
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Every `serve` setting; each is optional here and has its default in [`resolve`].
#[derive(Args, Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ServeArgs {
    /// A TOML file of settings (keys: these flags' long names, e.g. `tick-ms = 500`).
    #[arg(long, env = "ISOSHARD_CONFIG")]
    #[serde(skip)]
    pub config: Option<PathBuf>,
    /// Data directory (sled database and recording); created if missing, resumed if not.
    /// Required, from a flag, the environment or the file.
    #[arg(long, env = "ISOSHARD_DATA")]
    pub data: Option<PathBuf>,
    /// Address of the HTTP API [default: 127.0.0.1:21025].
    #[arg(long, env = "ISOSHARD_BIND")]
    pub bind: Option<SocketAddr>,
    /// Minimum tick duration in milliseconds [default: 1000].
    #[arg(long, env = "ISOSHARD_TICK_MS")]
    pub tick_ms: Option<u64>,
    /// File holding the admin token (admin API and CLI, registration when it is closed).
    #[arg(long, env = "ISOSHARD_ADMIN_TOKEN_FILE")]
    pub admin_token_file: Option<PathBuf>,
    /// Anyone may register [default: false].
    #[arg(long, env = "ISOSHARD_OPEN_REGISTRATION", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub open_registration: Option<bool>,
    /// Place each new player in a random free room at registration (the demo's way),
    /// instead of letting them choose one with `/api/game/place-spawn` (Screeps' way)
    /// [default: false].
    #[arg(long, env = "ISOSHARD_AUTO_PLACE", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub auto_place: Option<bool>,
    /// World seed of a new shard [default: 1]; fixed once the shard exists.
    #[arg(long, env = "ISOSHARD_SEED")]
    pub seed: Option<u64>,
    /// Rooms per side of a new shard [default: 5]; fixed once the shard exists.
    #[arg(long, env = "ISOSHARD_ROOMS")]
    pub rooms: Option<u32>,
    /// A script evaluated in every player's context before player code. Repeatable (in the
    /// environment: comma-separated).
    #[arg(long = "preload", env = "ISOSHARD_PRELOAD", value_delimiter = ',')]
    pub preload: Option<Vec<PathBuf>>,
    /// Do not give players lodash 3.10.1 as `_` [default: false].
    #[arg(long, env = "ISOSHARD_NO_LODASH", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub no_lodash: Option<bool>,
    /// Game.cpu.limit per player, in ms [default: 100]; applies to an existing shard at the
    /// next start.
    #[arg(long, env = "ISOSHARD_CPU_LIMIT_MS")]
    pub cpu_limit_ms: Option<i64>,
    /// Where players' isolates run [default: process].
    #[arg(long, value_enum, env = "ISOSHARD_ISOLATION")]
    pub isolation: Option<Isolation>,
    /// Runner processes with `--isolation process` [default: cores].
    #[arg(long, env = "ISOSHARD_RUNNERS")]
    pub runners: Option<usize>,
    /// A world snapshot every this many ticks [default: 100].
    #[arg(long, env = "ISOSHARD_SNAPSHOT_EVERY")]
    pub snapshot_every: Option<u64>,
    /// Snapshots kept, with the ticks after the oldest; 0 keeps all [default: 9].
    #[arg(long, env = "ISOSHARD_KEEP_SNAPSHOTS")]
    pub keep_snapshots: Option<usize>,
    /// Keep at least this many of the newest ticks in the recording (DATA/replay); 0: no
    /// tick bound [default: 0].
    #[arg(long, env = "ISOSHARD_REPLAY_KEEP_TICKS")]
    pub replay_keep_ticks: Option<u64>,
    /// Keep the recording within this many MiB, deleting its oldest segments; 0: no size
    /// bound [default: 256].
    #[arg(long, env = "ISOSHARD_REPLAY_KEEP_MB")]
    pub replay_keep_mb: Option<u64>,
    /// Serve the Chrome DevTools Protocol here (e.g. 127.0.0.1:9229): every player can
    /// debug their own bot with their API token. With `--isolation process` (the default)
    /// sessions are relayed to the runner hosting the player; each player isolate then has
    /// an OS thread of its own.
    #[arg(long, env = "ISOSHARD_INSPECT")]
    pub inspect: Option<SocketAddr>,
    /// Log lines as text or JSON [default: text].
    #[arg(long, value_enum, env = "ISOSHARD_LOG_FORMAT")]
    pub log_format: Option<LogFormat>,
    /// What to log, as `RUST_LOG` takes it (the environment's `RUST_LOG` wins over the file)
    /// [default: info].
    #[arg(long, env = "RUST_LOG")]
    pub log: Option<String>,
    /// Open HTTP connections at most [default: 512].
    #[arg(long, env = "ISOSHARD_MAX_CONNECTIONS")]
    pub max_connections: Option<usize>,
    /// Open HTTP connections, and open streams, per client address at most [default: 64].
    #[arg(long, env = "ISOSHARD_MAX_CONNECTIONS_PER_CLIENT")]
    pub max_connections_per_client: Option<usize>,
    /// Open `/api/stream` WebSockets at most [default: 1024].
    #[arg(long, env = "ISOSHARD_MAX_STREAMS")]
    pub max_streams: Option<usize>,
    /// Seconds a client has to send a request head (and to start the next one on a
    /// kept-alive connection); also the idle timeout [default: 10].
    #[arg(long, env = "ISOSHARD_HEADER_TIMEOUT_S")]
    pub header_timeout_s: Option<u64>,
    /// Seconds a client has to send a request body [default: 30].
    #[arg(long, env = "ISOSHARD_BODY_TIMEOUT_S")]
    pub body_timeout_s: Option<u64>,
    /// Sign-in attempts per client address per minute, and wrong passwords per account
    /// [default: 20].
    #[arg(long, env = "ISOSHARD_SIGN_INS_PER_MINUTE")]
    pub sign_ins_per_minute: Option<u32>,
    /// Registrations per client address per minute (admin registrations are exempt)
    /// [default: 5].
    #[arg(long, env = "ISOSHARD_REGISTRATIONS_PER_MINUTE")]
    pub registrations_per_minute: Option<u32>,
    /// Code uploads per player per minute [default: 30].
    #[arg(long, env = "ISOSHARD_UPLOADS_PER_MINUTE")]
    pub uploads_per_minute: Option<u32>,
    /// Where the shard is kept: `sled` (in the data directory) or a Redis URL
    /// (`redis://[:password@]host[:port][/db]`, `redis+unix:///path`) [default: sled].
    /// The data directory keeps the recording either way.
    #[arg(long, env = "ISOSHARD_STORAGE")]
    pub storage: Option<String>,
    /// The AOF the Redis server must run with: `always` (loses nothing), `everysec` (a crash
    /// of the Redis host loses up to ~2 s of ticks) or `unchecked` [default: always].
    #[arg(long, env = "ISOSHARD_REDIS_DURABILITY")]
    pub redis_durability: Option<String>,
    /// The coordinator lease in Redis lapses this long after its holder stops [default: 10000].
    #[arg(long, env = "ISOSHARD_LEASE_MS")]
    pub lease_ms: Option<u64>,
    /// Wait for the lease when another coordinator holds the shard, and take over when it
    /// stops (Redis storage only).
    #[arg(long, env = "ISOSHARD_STANDBY", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub standby: Option<bool>,
    /// Run players on runner hosts (`isoshard runner-host`) that offer lanes through this
    /// Redis; --runners is then the number of lanes the shard uses.
    #[arg(long, env = "ISOSHARD_RUNNER_HOSTS")]
    pub runner_hosts: Option<String>,
    /// Memory, segment and console requests per player per minute [default: 120].
    #[arg(long, env = "ISOSHARD_MEMORY_REQUESTS_PER_MINUTE")]
    pub memory_requests_per_minute: Option<u32>,
    /// Messages a player may send to other players per minute [default: 10].
    #[arg(long, env = "ISOSHARD_MESSAGES_PER_MINUTE")]
    pub messages_per_minute: Option<u32>,
}

/// What `serve` runs with, all sources merged.
pub struct ServeSettings {
    pub options: ServeOptions,
    pub log_format: LogFormat,
    pub log: String,
    /// Where the settings came from, for the log.
    pub config_file: Option<PathBuf>,
}

/// Reads the TOML file `path`.
fn read_file(path: &Path) -> Result<ServeArgs, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the config file {}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("config file {}: {e}", path.display()))
}

/// `first` where set, else `second` (flags and environment over the file).
macro_rules! merged {
    ($first:ident, $second:ident; $($field:ident),* $(,)?) => {
        ServeArgs {
            config: $first.config.clone(),
            $($field: $first.$field.take().or($second.$field.take()),)*
        }
    };
}

/// Merges flags and environment (`given`) over the file named by `--config`, then applies
/// the defaults. A relative path inside the file is taken from the file's directory.
///
/// # Errors
/// An unreadable or invalid file (unknown keys included), no data directory.
pub fn resolve(mut given: ServeArgs) -> Result<ServeSettings, String> {
    let mut file = match &given.config {
        Some(path) => {
            let mut file = read_file(path)?;
            let base = path.parent().unwrap_or(Path::new("."));
            for p in [&mut file.data, &mut file.admin_token_file]
                .into_iter()
                .flatten()
            {
                *p = base.join(&*p);
            }
            for p in file.preload.iter_mut().flatten() {
                *p = base.join(&*p);
            }
            file
        }
        None => ServeArgs::default(),
    };
    let s = merged!(given, file; data, bind, tick_ms, admin_token_file, open_registration,
        auto_place, seed, rooms, preload, no_lodash, cpu_limit_ms, isolation, runners,
        snapshot_every, keep_snapshots, replay_keep_ticks, replay_keep_mb, inspect, log_format,
        log, max_connections, max_connections_per_client, max_streams, header_timeout_s,
        body_timeout_s, sign_ins_per_minute, registrations_per_minute, uploads_per_minute,
        memory_requests_per_minute, messages_per_minute, storage, redis_durability, lease_ms, standby,
        runner_hosts);
    let data = s.data.clone().ok_or(
        "no data directory: give --data, ISOSHARD_DATA or `data = \"…\"` in the config file",
    )?;
    let (log_format, log) = (
        s.log_format.unwrap_or_default(),
        s.log.clone().unwrap_or_else(|| "info".into()),
    );
    let redis = redis_of(&s)?;
    if s.runner_hosts.is_some() && s.isolation == Some(Isolation::Thread) {
        return Err(
            "--runner-hosts runs players in runner processes: drop --isolation thread".into(),
        );
    }
    Ok(ServeSettings {
        options: ServeOptions {
            redis,
            ..options_of(s, data)
        },
        log_format,
        log,
        config_file: given.config,
    })
}

/// The Redis store `--storage` names, if it names one.
fn redis_of(s: &ServeArgs) -> Result<Option<RedisOptions>, String> {
    let url = match s.storage.as_deref() {
        None | Some("sled") => {
            if s.standby == Some(true) {
                return Err("--standby needs Redis storage (--storage redis://…)".into());
            }
            return Ok(None);
        }
        Some(url) if url.starts_with("redis") => url,
        Some(other) => {
            return Err(format!(
                "unknown storage {other:?}: `sled` or a redis:// URL"
            ))
        }
    };
    let defaults = RedisOptions::new(url);
    Ok(Some(RedisOptions {
        durability: match s.redis_durability.as_deref() {
            Some(d) => d.parse()?,
            None => defaults.durability,
        },
        lease_ttl: s
            .lease_ms
            .map_or(defaults.lease_ttl, |ms| Duration::from_millis(ms.max(100))),
        standby: s.standby.unwrap_or(false),
        ..defaults
    }))
}

fn options_of(s: ServeArgs, data: PathBuf) -> ServeOptions {
    let defaults = ServeOptions::default();
    let limits = HttpLimits::default();
    let rates = RateLimits::default();
    let history = History::default();
    let zero_is_none = |n: u64| (n > 0).then_some(n);
    let isolation = IsolationArgs {
        isolation: s.isolation,
        runners: s.runners,
    };
    ServeOptions {
        data,
        bind: s.bind.unwrap_or(defaults.bind),
        tick: s
            .tick_ms
            .map_or(defaults.tick, |ms| Duration::from_millis(ms.max(1))),
        preloads: s.preload.unwrap_or_default(),
        lodash: !s.no_lodash.unwrap_or(false),
        admin_token_file: s.admin_token_file,
        open_registration: s.open_registration.unwrap_or(false),
        auto_place: s.auto_place.unwrap_or(false),
        seed: s.seed,
        rooms: s.rooms,
        cpu_limit_ms: s.cpu_limit_ms.unwrap_or(defaults.cpu_limit_ms),
        history: History {
            snapshot_every: s.snapshot_every.unwrap_or(history.snapshot_every).max(1),
            keep_snapshots: match s.keep_snapshots {
                Some(0) => None,
                Some(n) => Some(n),
                None => history.keep_snapshots,
            },
            replay_keep_ticks: s.replay_keep_ticks.and_then(zero_is_none),
            replay_keep_bytes: match s.replay_keep_mb {
                Some(mb) => zero_is_none(mb.saturating_mul(1 << 20)),
                None => history.replay_keep_bytes,
            },
        },
        redis: None,
        runners: isolation
            .runners(Isolation::Process)
            .map(|r| ProcessHostOptions {
                remote: s.runner_hosts.clone(),
                ..r
            }),
        inspect: s.inspect,
        http: HttpLimits {
            max_connections: s.max_connections.unwrap_or(limits.max_connections).max(1),
            max_per_client: s
                .max_connections_per_client
                .unwrap_or(limits.max_per_client)
                .max(1),
            header_timeout: s
                .header_timeout_s
                .map_or(limits.header_timeout, |t| Duration::from_secs(t.max(1))),
            body_timeout: s
                .body_timeout_s
                .map_or(limits.body_timeout, |t| Duration::from_secs(t.max(1))),
            ..limits
        },
        max_streams: s.max_streams.unwrap_or(defaults.max_streams).max(1),
        rate_limits: RateLimits {
            sign_ins_per_minute: s.sign_ins_per_minute.unwrap_or(rates.sign_ins_per_minute),
            registrations_per_minute: s
                .registrations_per_minute
                .unwrap_or(rates.registrations_per_minute),
            uploads_per_minute: s.uploads_per_minute.unwrap_or(rates.uploads_per_minute),
            memory_requests_per_minute: s
                .memory_requests_per_minute
                .unwrap_or(rates.memory_requests_per_minute),
            messages_per_minute: s.messages_per_minute.unwrap_or(rates.messages_per_minute),
        },
    }
}
