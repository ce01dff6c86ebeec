//! `isoshard serve`: a shard with the HTTP/WebSocket API on one tokio runtime.
//!
//! The shard runs on a thread of its own ([`runner`]); handlers read the last published tick
//! or send it commands. A tick is published (and announced on `/api/stream`) only after its
//! sled commit is flushed.

pub(crate) mod admin;
pub(crate) mod api;
pub(crate) mod auth;
pub(crate) mod code_api;
pub(crate) mod holdings;
pub(crate) mod joining_api;
mod leaderboard_api;
mod manual_api;
mod map_view;
mod market_api;
mod messages_api;
mod metrics;
mod open_shard;
pub(crate) mod rate_limits;
pub(crate) mod screeps_api;
pub(crate) mod screeps_objects;
pub(crate) mod shard_thread;
mod slow_ticks;
pub(crate) mod socket;
pub(crate) mod stream;
mod tokens_api;

pub use crate::http_serve::HttpLimits;
pub use open_shard::{History, DEFAULT_ROOMS, DEFAULT_SEED};
pub use rate_limits::RateLimits;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use isoshard_player_api::PlayerRuntimeOptions;
use tokio::sync::{broadcast, watch};

use crate::error::{EngineError, Result};
use crate::inspector_endpoint::{InspectorEndpoint, InspectorTarget, TargetSource, TokenCheck};
use crate::shard::Shard;
use api::{router, AppState};
use shard_thread::{Command, Published, ShardThread};

/// Options for [`serve`].
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub data: PathBuf,
    pub bind: SocketAddr,
    /// Minimum tick duration.
    pub tick: Duration,
    pub preloads: Vec<PathBuf>,
    /// Players get lodash as `_`.
    pub lodash: bool,
    pub admin_token_file: Option<PathBuf>,
    pub open_registration: bool,
    /// Registration places the player in a random free room; otherwise they choose one
    /// (`/api/game/place-spawn`), as on Screeps.
    pub auto_place: bool,
    /// World seed of a new shard ([`DEFAULT_SEED`] when `None`); refused when it differs
    /// from an existing shard's.
    pub seed: Option<u64>,
    /// Rooms per side of a new shard ([`DEFAULT_ROOMS`] when `None`); refused when it
    /// differs from an existing shard's.
    pub rooms: Option<u32>,
    /// `Game.cpu.limit` of every player; applies to an existing shard too.
    pub cpu_limit_ms: i64,
    /// History kept in the data directory.
    pub history: History,
    /// Keep the shard in Redis (`None`: sled in `data`, which keeps the recording either way).
    pub redis: Option<crate::storage::RedisOptions>,
    /// Runner processes (`None`: players run on home threads in this process).
    pub runners: Option<crate::runner::ProcessHostOptions>,
    /// Serve the Chrome DevTools Protocol here: each player may attach to their own isolate
    /// (`ws://ADDR/ws/player-NAME?token=TOKEN`). Needs in-process players (`runners: None`).
    pub inspect: Option<SocketAddr>,
    /// Connection caps and timeouts.
    pub http: HttpLimits,
    /// Open `/api/stream` WebSockets at most (per client: `http.max_per_client`).
    pub max_streams: usize,
    /// Per-client rate limits.
    pub rate_limits: RateLimits,
}

impl Default for ServeOptions {
    /// A new 5×5 shard in `./isoshard-data` on 127.0.0.1:21025, one tick a second, players
    /// in runner processes, closed registration.
    fn default() -> Self {
        ServeOptions {
            data: PathBuf::from("isoshard-data"),
            bind: SocketAddr::from(([127, 0, 0, 1], 21025)),
            tick: Duration::from_secs(1),
            preloads: Vec::new(),
            lodash: true,
            admin_token_file: None,
            open_registration: false,
            auto_place: false,
            seed: None,
            rooms: None,
            cpu_limit_ms: 100,
            history: History::default(),
            redis: None,
            runners: Some(crate::runner::ProcessHostOptions::default()),
            inspect: None,
            http: HttpLimits::default(),
            max_streams: 1024,
            rate_limits: RateLimits::default(),
        }
    }
}

/// Commands waiting for the shard thread at most; more get 503 (busy).
const COMMAND_QUEUE: usize = 1024;

fn runtime_options(preloads: &[PathBuf], lodash: bool) -> Result<PlayerRuntimeOptions> {
    Ok(PlayerRuntimeOptions {
        preloads: crate::demo::read_preloads(preloads)?,
        lodash,
        ..PlayerRuntimeOptions::default()
    })
}

/// Opens the shard in `options.data` (creating it if empty) and serves until SIGTERM/SIGINT,
/// then finishes the current tick, flushes and returns.
///
/// # Errors
/// Usage errors, storage failures, a port that cannot be bound.
pub async fn serve(options: ServeOptions) -> Result<()> {
    let (listener, _) = crate::net::listen(options.bind).await?;
    serve_on(listener, options, shutdown_signal()).await
}

/// Runs the shard and its API on `listener` until `shutdown` resolves, then finishes the
/// current tick and returns (`options.bind` is ignored). Embedders and tests bind port 0
/// themselves and pass any future (mini-redis' `run(listener, shutdown)` shape).
///
/// # Errors
/// As [`serve`], without the bind errors.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    options: ServeOptions,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<()> {
    std::fs::create_dir_all(&options.data)
        .map_err(|e| EngineError::io(format!("cannot create {}", options.data.display()))(e))?;
    let admin_token = match &options.admin_token_file {
        Some(f) => {
            let t = std::fs::read_to_string(f)
                .map_err(EngineError::io(format!("cannot read {}", f.display())))?;
            let t = t.trim().to_string();
            if t.len() < 16 {
                return Err(EngineError::Usage(
                    "the admin token must be at least 16 characters".into(),
                ));
            }
            Some(Arc::<str>::from(t))
        }
        None => None,
    };
    let (mut shard, existing) = open_shard::open_or_create(&options)?;
    let (publish_tx, publish_rx) = watch::channel(Published::default());
    // Kept alive for the server's life: dropping it stops the endpoint.
    let inspector = match options.inspect {
        Some(addr) => {
            let runners = options.runners.clone();
            Some(inspect_players(&mut shard, addr, publish_rx.clone(), runners).await?)
        }
        None => {
            if let Some(r) = &options.runners {
                shard.use_runner_processes(r.clone())?;
            }
            None
        }
    };
    tracing::info!(tick = shard.time(), resumed = existing, "shard ready");
    let (command_tx, command_rx) = std::sync::mpsc::sync_channel(COMMAND_QUEUE);
    let (announce_tx, _) = broadcast::channel(stream::ANNOUNCE_QUEUE);
    let (health_tx, health_rx) = watch::channel(shard_thread::Health {
        committed_tick: shard.time(),
        tick_ms: options.tick.as_millis() as u64,
        ..Default::default()
    });
    let (health_rx_for_stop, health_rx_after) = (health_rx.clone(), health_rx.clone());
    let metrics = metrics::ShardMetrics::new(options.data.clone());
    let shard_thread = ShardThread::new(
        shard,
        options.tick,
        options.auto_place,
        shard_thread::ShardThreadLinks {
            commands: command_rx,
            publish: publish_tx,
            announce: announce_tx.clone(),
            health: health_tx,
            metrics: metrics.clone(),
        },
    );
    let shard_handle = std::thread::Builder::new()
        .name("isoshard-shard".into())
        .spawn(move || shard_thread.run())
        .map_err(EngineError::io("cannot start the shard thread"))?;
    let (stopping_tx, stopping_rx) = watch::channel(false);
    let state = AppState {
        published: publish_rx,
        health: health_rx,
        announce: announce_tx,
        commands: command_tx.clone(),
        stopping: stopping_rx,
        streams: stream::StreamSlots::new(options.max_streams, options.http.max_per_client),
        limits: Arc::new(rate_limits::Limiters::new(options.rate_limits)),
        open_registration: options.open_registration,
        admin_token,
        inspector: inspector.as_ref().map(|e| e.addr()),
        metrics,
        room_watchers: Arc::default(),
    };
    let local = listener
        .local_addr()
        .map_err(EngineError::io("reading the listener's address"))?;
    // Printed once the shard is ready; tools and tests read this line to find the port.
    tracing::info!(%local, "listening");
    eprintln!("isoshard serving on http://{local}");
    let app = router(state, options.http.body_timeout);
    let mut shard_health = health_rx_for_stop;
    crate::http_serve::serve_http(listener, app, options.http, async move {
        // The operator's signal, or the shard thread stopping for good on its own.
        tokio::select! {
            () = shutdown => {}
            _ = shard_health.wait_for(|h| h.stopped.is_some()) => {}
        }
        // Streams send their Close frames while the connections wind down.
        let _ = stopping_tx.send(true);
    })
    .await;
    let stopped_for_good = health_rx_after.borrow().stopped.clone();
    // Finish the current tick, then stop; the shard flushes on drop. (A full queue makes
    // this wait for the shard thread to take a command, which it does between attempts.)
    let shard = tokio::task::spawn_blocking(move || {
        let _ = command_tx.send(Command::Shutdown);
        shard_handle.join()
    })
    .await
    .map_err(|_| EngineError::ThreadPanicked("shard join"))?
    .map_err(|_| EngineError::ThreadPanicked("shard"))?;
    let pending = shard.pending_commit();
    tracing::info!(tick = shard.time(), "shard stopped");
    drop(shard);
    if let Some(why) = stopped_for_good {
        return Err(EngineError::Storage(format!("the shard stopped: {why}")));
    }
    match pending {
        // Stopping loudly: the operator must know the last tick was not kept.
        Some(tick) => Err(EngineError::CommitPending { tick }),
        None => Ok(()),
    }
}

/// Resolves on Ctrl-C or SIGTERM (what operators and service managers send).
pub(crate) async fn shutdown_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = async { if let Some(t) = term.as_mut() { t.recv().await; } else { std::future::pending::<()>().await } } => {}
    }
}

/// Only the owner's API tokens open their isolate.
fn owner_check(owner: &str, accounts: watch::Receiver<Published>) -> TokenCheck {
    let owner = owner.to_string();
    Arc::new(move |token: &str| {
        accounts
            .borrow()
            .accounts
            .get(&owner)
            .is_some_and(|a| !a.banned && auth::token_matches(&a.tokens, token))
    })
}

/// Starts the DevTools endpoint and makes every player runtime attachable by its owner: in
/// this process (thread isolation), or relayed to the runner that hosts it (`runners`).
async fn inspect_players(
    shard: &mut Shard,
    addr: SocketAddr,
    accounts: watch::Receiver<Published>,
    runners: Option<crate::runner::ProcessHostOptions>,
) -> Result<Arc<InspectorEndpoint>> {
    let endpoint = Arc::new(InspectorEndpoint::bind(addr).await?);
    let targets = endpoint.clone();
    let offer = move |name: &str, source: TargetSource| {
        targets.add_target(
            &format!("player-{name}"),
            InspectorTarget {
                title: format!("isoshard player {name}"),
                source,
                trust: isoshard_scripting::InspectorTrust::Untrusted,
                authorize: Some(owner_check(name, accounts.clone())),
            },
        );
    };
    match runners {
        Some(r) => shard.use_inspectable_runner_processes(
            r,
            Arc::new(move |name, player, relay| {
                offer(name, TargetSource::Relay(relay.clone(), player));
            }),
        )?,
        None => shard.inspect_players(Arc::new(move |name, isolate| {
            offer(name, TargetSource::Isolate(isolate.clone()));
        }))?,
    }
    // Tools and tests read this line.
    eprintln!("isoshard inspector on ws://{}", endpoint.addr());
    Ok(endpoint)
}
