//! `isoshard replay serve`: a web viewer that plays a recording (play/pause, step, seek to a
//! tick). It reads segment files only — never the shard's database — so it can watch a live
//! shard's recording while the shard appends to it, and it never writes anything.
//!
//! One [`Playback`] serves every request: playing forward costs one world tick per step;
//! seeking elsewhere restores the nearest snapshot (at most `segment_ticks` ticks away).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parking_lot::Mutex;

use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use isoshard_replays::{Playback, ReplayError};
use isoshard_world::GameWorld;
use serde_json::{json, Value};

use crate::error::{EngineError, Result};

/// What `replay serve` needs.
#[derive(Debug, Clone)]
pub struct ReplayViewerOptions {
    /// A data directory (its `replay/`) or a recording directory.
    pub data: PathBuf,
    pub bind: SocketAddr,
}

#[derive(Clone)]
struct ViewerState {
    playback: Arc<Mutex<Playback>>,
    /// Terrain never changes during a recording: encoded once per room.
    terrain: Arc<BTreeMap<String, String>>,
}

/// A JSON error: 400 for a malformed request, 404 for ticks or rooms the recording does not
/// hold, 500 for a damaged recording (the message names the file and tick).
struct ViewerError(StatusCode, String);

impl IntoResponse for ViewerError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

impl From<ReplayError> for ViewerError {
    fn from(e: ReplayError) -> Self {
        let status = match e {
            ReplayError::OutOfRange { .. } | ReplayError::UnknownRoom(_) => StatusCode::NOT_FOUND,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ViewerError(status, e.to_string())
    }
}

type ViewerResult = std::result::Result<Json<Value>, ViewerError>;

fn parse_tick(raw: &str) -> std::result::Result<u64, ViewerError> {
    raw.parse().map_err(|_| {
        ViewerError(
            StatusCode::BAD_REQUEST,
            format!("tick must be a non-negative integer, got {raw:?}"),
        )
    })
}

impl ViewerState {
    /// Runs `f` on the shared playback on a blocking thread (seeking re-simulates ticks).
    async fn with_playback<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Playback) -> std::result::Result<T, ViewerError> + Send + 'static,
    ) -> std::result::Result<T, ViewerError> {
        let playback = self.playback.clone();
        tokio::task::spawn_blocking(move || {
            // A panic while seeking leaves the playback consistent (it drops its cursor on
            // errors); parking_lot's lock does not poison, so the next request proceeds.
            f(&mut playback.lock())
        })
        .await
        .map_err(|e| ViewerError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
    }

    /// Runs `f` on the world at `tick`.
    async fn at<T: Send + 'static>(
        &self,
        tick: u64,
        f: impl FnOnce(&GameWorld, &Playback) -> std::result::Result<T, ViewerError> + Send + 'static,
    ) -> std::result::Result<T, ViewerError> {
        self.with_playback(move |p| {
            p.seek(tick)?;
            let p = &*p;
            let world = p.current_world().ok_or_else(|| {
                ViewerError(StatusCode::INTERNAL_SERVER_ERROR, "no world loaded".into())
            })?;
            f(world, p)
        })
        .await
    }
}

fn open(data: &Path) -> Result<(Playback, BTreeMap<String, String>)> {
    let dir = crate::replay_cli::recording_dir(data);
    let mut playback = Playback::open(&dir)?;
    let (first, _) = playback.range()?;
    let world = playback.seek(first)?;
    let terrain = world
        .map()
        .rooms
        .iter()
        .map(|r| (r.name.clone(), r.terrain.encode()))
        .collect();
    Ok((playback, terrain))
}

/// The viewer's routes over the recording in `data`.
///
/// # Errors
/// A missing recording, or one whose first segment cannot be read (the error names the file).
pub fn router(data: &Path) -> Result<Router> {
    let (playback, terrain) = open(data)?;
    let state = ViewerState {
        playback: Arc::new(Mutex::new(playback)),
        terrain: Arc::new(terrain),
    };
    Ok(Router::new()
        .route("/", get(crate::web::replay_page))
        .route("/room_canvas.js", get(crate::web::room_canvas_js))
        .route("/viewer.css", get(crate::web::viewer_css))
        .route("/api/range", get(range))
        .route("/api/ticks/{tick}", get(tick_summary))
        .route("/api/ticks/{tick}/rooms/{name}", get(room_at))
        .route("/api/rooms/{name}/terrain", get(terrain_of))
        .fallback(|| async { ViewerError(StatusCode::NOT_FOUND, "no such endpoint".into()) })
        .with_state(state))
}

/// Serves the viewer until Ctrl-C or SIGTERM. Prints `isoshard replay viewer on http://ADDR`
/// on stderr once listening (tools read the port from it).
///
/// # Errors
/// An unusable recording or address.
pub async fn serve(options: ReplayViewerOptions) -> Result<()> {
    let app = router(&options.data)?;
    let (listener, local) = crate::net::listen(options.bind).await?;
    tracing::info!(%local, data = %options.data.display(), "replay viewer listening");
    eprintln!("isoshard replay viewer on http://{local}");
    axum::serve(listener, app)
        .with_graceful_shutdown(crate::server::shutdown_signal())
        .await
        .map_err(EngineError::io("the replay viewer failed"))
}

async fn range(State(s): State<ViewerState>) -> ViewerResult {
    let (first, last) = s
        .with_playback(|p| p.range().map_err(ViewerError::from))
        .await?;
    Ok(Json(json!({ "first_tick": first, "last_tick": last })))
}

/// The tick's hash, rooms, each player's rooms and creep count, and the intents that
/// produced this state.
async fn tick_summary(State(s): State<ViewerState>, UrlPath(raw): UrlPath<String>) -> ViewerResult {
    let tick = parse_tick(&raw)?;
    s.at(tick, |world, playback| {
        let views = world.views();
        let mut creeps: BTreeMap<&str, usize> = BTreeMap::new();
        for room in views.rooms.values() {
            for o in room.objects.iter().filter(|o| o.kind == "creep") {
                if let Some(owner) = &o.owner {
                    *creeps.entry(owner.as_str()).or_default() += 1;
                }
            }
        }
        let names: BTreeMap<_, _> = world.players().iter().map(|p| (p.id, &p.name)).collect();
        // In the JavaScript form players write: ids read as they do in the rooms.
        let intents: BTreeMap<&str, Vec<Value>> = playback
            .last_intents()
            .map(|batch| {
                batch
                    .by_player
                    .iter()
                    .filter_map(|(id, list)| {
                        let js = list.iter().map(isoshard_player_api::intent_js).collect();
                        names.get(id).map(|n| (n.as_str(), js))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let cpu: BTreeMap<isoshard_world::PlayerId, u64> =
            playback.last_cpu_us().iter().copied().collect();
        let players: Vec<Value> = views
            .players
            .values()
            .map(|p| {
                json!({
                    "name": p.username,
                    "rooms": p.rooms,
                    "creeps": creeps.get(p.username.as_str()).copied().unwrap_or(0),
                    "cpu_ms": cpu.get(&p.player).map(|us| *us as f64 / 1000.0),
                })
            })
            .collect();
        Ok(Json(json!({
            "tick": world.time(),
            "state_hash": world.state_hash().to_hex(),
            "rooms": views.rooms.keys().collect::<Vec<_>>(),
            "players": players,
            "intents": intents,
            "intents_by_room": intents_by_room(world, playback.last_intents()),
        })))
    })
    .await
}

/// How many intents were given through objects in each room (`(market)` for orders, `(gone)`
/// for objects that did not survive the tick).
fn intents_by_room(
    world: &isoshard_world::GameWorld,
    batch: Option<&isoshard_world::IntentBatch>,
) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    let Some(batch) = batch else { return out };
    let rooms: BTreeMap<isoshard_world::ObjectId, String> = world
        .records()
        .into_iter()
        .map(|o| (o.id, world.map().get(o.pos.room).name.clone()))
        .collect();
    for intent in batch.by_player.values().flatten() {
        let room = match intent.actor() {
            isoshard_world::IntentActor::Object(id) => {
                rooms.get(&id).cloned().unwrap_or_else(|| "(gone)".into())
            }
            isoshard_world::IntentActor::Room(name) => name.to_string(),
            isoshard_world::IntentActor::Account => "(market)".into(),
        };
        *out.entry(room).or_default() += 1;
    }
    out
}

async fn room_at(
    State(s): State<ViewerState>,
    UrlPath((raw, name)): UrlPath<(String, String)>,
) -> ViewerResult {
    let tick = parse_tick(&raw)?;
    s.at(tick, move |world, _| {
        world
            .room_view(&name)
            .map(|r| Json(json!(r)))
            .ok_or_else(|| ReplayError::UnknownRoom(name).into())
    })
    .await
}

async fn terrain_of(State(s): State<ViewerState>, UrlPath(name): UrlPath<String>) -> ViewerResult {
    s.terrain
        .get(&name)
        .map(|t| Json(json!({ "room": name, "terrain": t })))
        .ok_or_else(|| ReplayError::UnknownRoom(name).into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use isoshard_world::{Intent, IntentBatch, ObjectKind, WorldConfig};

    #[test]
    fn intents_count_in_the_room_of_the_object_that_gave_them() {
        let mut world = isoshard_world::GameWorld::new(WorldConfig::default()).unwrap();
        let p = world.add_player("alice").unwrap();
        let spawn = world
            .records()
            .into_iter()
            .find(|o| matches!(o.kind, ObjectKind::Spawn(_)))
            .unwrap();
        let home = world.map().get(spawn.pos.room).name.clone();
        let mut batch = IntentBatch::new();
        batch.extend(
            p,
            [
                Intent::CancelSpawning { spawn: spawn.id },
                Intent::CreateConstructionSite {
                    room: "E9S9".into(),
                    x: 1,
                    y: 1,
                    structure: isoshard_world::StructureKind::Road,
                },
                Intent::Suicide {
                    creep: isoshard_world::ObjectId(u64::MAX),
                },
            ],
        );
        let counts = intents_by_room(&world, Some(&batch));
        assert_eq!(counts.get(&home), Some(&1));
        assert_eq!(counts.get("E9S9"), Some(&1));
        assert_eq!(counts.get("(gone)"), Some(&1));
    }
}
