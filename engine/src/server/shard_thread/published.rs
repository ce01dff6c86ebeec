//! What the shard thread hands to the HTTP handlers: the last committed tick as they show
//! it, the shard's health and metrics, and the announcement streamed to subscribers.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::code_bundle::CodeBundle;

/// A player as the API shows them.
#[derive(Debug, Clone, Serialize)]
pub struct AccountView {
    pub id: u32,
    pub name: String,
    #[serde(skip)]
    pub tokens: Vec<crate::storage::ApiToken>,
    #[serde(skip)]
    pub password_hash: Option<String>,
    #[serde(skip)]
    pub code: Arc<CodeBundle>,
    pub code_version: u64,
    pub cpu_used_ms: f64,
    pub cpu_limit_ms: i64,
    pub bucket: i64,
    pub heap_bytes: u64,
    pub controller_level: u8,
    /// The player's flags (`Shard::flags_json`), for the socket's room messages.
    #[serde(skip)]
    pub flags_json: Arc<str>,
    /// Global control points (Screeps' user `gcl`).
    pub gcl: u64,
    pub creeps: usize,
    pub last_errors: Arc<[String]>,
    pub console: Arc<[String]>,
    #[serde(skip)]
    pub memory: Arc<String>,
    /// `Game.notify` messages, newest last: `{tick, message}` (no e-mail is sent).
    pub notifications: Vec<serde_json::Value>,
    /// The visuals the player drew in its last tick (room or `map`, Screeps' visual text).
    #[serde(skip)]
    pub visuals: Arc<[(String, String)]>,
    pub suspended: Option<String>,
    /// Banned by the operator (`isoshard admin ban`).
    pub banned: bool,
    /// The branch whose code runs.
    pub active_branch: String,
    /// `Game.resources` (pixels) and market credits in thousandths, for the socket's
    /// `user:<id>/resources`.
    #[serde(skip)]
    pub resources: std::collections::BTreeMap<String, u64>,
    #[serde(skip)]
    pub credits_milli: u64,
    #[serde(skip)]
    pub badge: Option<crate::storage::Badge>,
    /// The mailbox, oldest first (`/api/user/messages/*`, the socket's message channels).
    #[serde(skip)]
    pub messages: Arc<[crate::storage::StoredMessage]>,
}

impl AccountView {
    /// The badge as every user document shows it (`{}` before the player chose one).
    pub fn badge_json(&self) -> serde_json::Value {
        self.badge
            .as_ref()
            .map_or_else(|| serde_json::json!({}), crate::storage::Badge::to_json)
    }
}

/// One committed tick, published after the commit is durable.
#[derive(Debug, Clone, Default)]
pub struct Published {
    pub tick: u64,
    pub state_hash: String,
    /// Room name → room view (JSON).
    pub rooms: Arc<BTreeMap<String, serde_json::Value>>,
    pub terrain: Arc<BTreeMap<String, String>>,
    /// Every room's status (`normal`, `novice`, `respawn`, `closed`), by name.
    pub statuses: Arc<BTreeMap<String, &'static str>>,
    /// Who holds which room.
    pub holdings: Arc<crate::server::holdings::Holdings>,
    pub changed_rooms: Vec<String>,
    /// By player name.
    pub accounts: Arc<BTreeMap<String, AccountView>>,
    /// Console lines produced this tick, by player id.
    pub console: Arc<BTreeMap<u32, Vec<String>>>,
    /// The market's orders and prices, and each player's own orders and power.
    pub market: Arc<MarketPublished>,
}

/// What `/api/game/market/*` and the leaderboard read of the market.
#[derive(Debug, Clone, Default)]
pub struct MarketPublished {
    /// Active orders, everyone's.
    pub orders: Vec<isoshard_world::orders::OrderView>,
    /// Price history by resource and day.
    pub history: Vec<isoshard_world::orders::HistoryView>,
    /// Each player's own orders (inactive ones too), by player id.
    pub mine: BTreeMap<u32, Vec<isoshard_world::orders::OrderView>>,
    /// Each player's processed power (`Game.gpl` points), by player id.
    pub power: BTreeMap<u32, u64>,
    /// Each player's credit changes, oldest first (`/api/user/money-history`), and the
    /// market's count of them when copied.
    pub money: Arc<BTreeMap<u32, Vec<serde_json::Value>>>,
    pub money_changes: u64,
}

impl MarketPublished {
    /// The market as published after a tick; the credit histories are copied only when they
    /// changed since `previous`.
    pub fn of(
        views: &isoshard_world::WorldViews,
        world: &isoshard_world::GameWorld,
        previous: &MarketPublished,
    ) -> Self {
        let (market, map) = (world.market(), world.map());
        let money = match previous.money_changes == market.money_changes {
            true => previous.money.clone(),
            false => Arc::new(
                market
                    .money
                    .iter()
                    .map(|(p, log)| {
                        let docs = log
                            .iter()
                            .map(|e| crate::server::market_api::money_doc(e, p.0, map))
                            .collect();
                        (p.0, docs)
                    })
                    .collect(),
            ),
        };
        MarketPublished {
            money,
            money_changes: market.money_changes,
            orders: views.orders.clone(),
            history: views.history.clone(),
            mine: views
                .players
                .iter()
                .map(|(id, v)| (id.0, v.market.orders.clone()))
                .collect(),
            power: views
                .players
                .iter()
                .map(|(id, v)| (id.0, v.market.power))
                .collect(),
        }
    }
}

/// Whether ticks are committing, for `/api/health` and `/metrics`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Health {
    /// The newest tick committed by this process (0 before the first).
    pub committed_tick: u64,
    /// Failed commit attempts since the process started.
    pub commit_failures: u64,
    /// Set while a tick's commit is failing.
    pub failing: Option<CommitFailure>,
    /// Ticking is paused by the operator.
    pub paused: bool,
    /// The minimum tick duration now, in ms (`isoshard admin tick-rate` changes it).
    pub tick_ms: u64,
    /// The shard stopped ticking for good, and why: another coordinator took it over, or
    /// the store lost ticks this process had committed. The server then stops too.
    pub stopped: Option<String>,
}

/// A commit that is failing and being retried.
#[derive(Debug, Clone, Serialize)]
pub struct CommitFailure {
    pub tick: u64,
    #[serde(with = "unix_seconds")]
    pub since: std::time::SystemTime,
    pub attempts: u64,
    pub error: String,
}

mod unix_seconds {
    pub fn serialize<S: serde::Serializer>(
        t: &std::time::SystemTime,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let secs = t
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or(0.0);
        s.serialize_f64(secs)
    }
}

/// A tick announcement for WebSocket subscribers: only what the stream sends, shared, so
/// the announcements a slow subscriber holds back pin no room views or accounts.
#[derive(Debug, Clone)]
pub struct Announcement {
    pub tick: u64,
    pub state_hash: Arc<str>,
    pub changed_rooms: Arc<[String]>,
    /// Console lines produced this tick, by player id.
    pub console: Arc<BTreeMap<u32, Vec<String>>>,
    /// Results of console commands run this tick, by player id.
    pub results: Arc<BTreeMap<u32, Vec<String>>>,
    /// Visuals drawn this tick, by player id (players who drew any).
    pub visuals: Arc<BTreeMap<u32, Arc<[(String, String)]>>>,
}
