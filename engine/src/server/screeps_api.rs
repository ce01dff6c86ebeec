//! The Screeps private server's HTTP API, as the Screeps client and community tools call it
//! (screeps-api, rollup-plugin-screeps, multimeter, Grafana agents): the response shapes of
//! screeps/backend-local's `lib/game/api/{user,game}.js`, each answer `{ok: 1, …}`, a
//! refusal a JSON `{error}` with a 4xx status.
//!
//! Memory writes and console expressions are not applied here: like Screeps, they become
//! console commands that run in the player's own isolate at their next tick.

use std::io::Write;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use isoshard_world::PlayerId;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::api::{bad, parse, ApiError, ApiResult, AppState};
use super::shard_thread::Command;

/// Longest console expression, as Screeps measures it (its JSON text).
const MAX_EXPRESSION_JSON: usize = 1024;
/// Largest value `POST /api/user/memory` writes (its JSON text), as Screeps.
const MAX_MEMORY_WRITE_JSON: usize = 1024 * 1024;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/user/name", get(user_name))
        .route("/api/user/world-status", get(world_status))
        .route("/api/user/world-start-room", get(world_start_room))
        .route("/api/user/rooms", get(user_rooms))
        .route("/api/user/find", get(user_find))
        .route("/api/game/room-overview", get(room_overview))
        .route("/api/user/stats", get(user_stats))
        .route("/api/user/overview", get(overview))
        .route("/api/user/console", post(console))
        .route("/api/user/memory", get(get_memory).post(post_memory))
        .route(
            "/api/user/memory-segment",
            get(get_segment).post(post_segment),
        )
        .route("/api/game/time", get(time))
        .route("/api/game/tick", get(tick))
        .route("/api/game/world-size", get(world_size))
        .route("/api/game/room-terrain", get(room_terrain))
        .route("/api/game/room-status", get(room_status))
        .route("/api/game/room-objects", get(room_objects_route))
        .route("/api/game/map-stats", post(map_stats))
}

fn not_found(what: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, what)
}

async fn user_name(State(s): State<AppState>, headers: HeaderMap) -> ApiResult {
    let me = s.caller(&headers, None)?;
    Ok(Json(json!({ "ok": 1, "username": me.name })))
}

async fn world_status(State(s): State<AppState>, headers: HeaderMap) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let p = s.now();
    let status = p
        .holdings
        .players
        .get(&me.id)
        .map_or("empty", |h| h.world_status());
    Ok(Json(json!({ "ok": 1, "status": status })))
}

/// The player's best room, else the busiest room (most owned objects), else the first.
async fn world_start_room(State(s): State<AppState>, headers: HeaderMap) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let p = s.now();
    let own = p
        .holdings
        .players
        .get(&me.id)
        .and_then(|h| h.rooms.first())
        .map(|(r, _)| r.clone());
    let busiest = p
        .holdings
        .rooms
        .iter()
        .max_by_key(|(_, h)| h.level)
        .map(|(r, _)| r.clone());
    let room = own
        .or(busiest)
        .or_else(|| p.terrain.keys().next().cloned())
        .unwrap_or_default();
    Ok(Json(json!({ "ok": 1, "room": [room] })))
}

#[derive(Deserialize)]
struct IdQuery {
    id: Option<String>,
}

#[derive(Deserialize)]
struct FindQuery {
    username: Option<String>,
    id: Option<String>,
}

/// A user by name (any case) or id, without signing in, as Screeps: id, name, badge, GCL
/// points and power processed.
async fn user_find(State(s): State<AppState>, Query(q): Query<FindQuery>) -> ApiResult {
    let p = s.now();
    let found = match (&q.id, &q.username) {
        (Some(id), _) => p.accounts.values().find(|a| a.id.to_string() == *id),
        (None, Some(name)) => p
            .accounts
            .values()
            .find(|a| a.name.eq_ignore_ascii_case(name)),
        (None, None) => return Err(bad("username or id: say whom to find")),
    };
    let a = found.ok_or_else(|| not_found("user not found"))?;
    let power = p.market.power.get(&a.id).copied().unwrap_or(0);
    Ok(Json(json!({
        "ok": 1,
        "user": { "_id": a.id.to_string(), "username": a.name, "badge": a.badge_json(), "gcl": a.gcl, "power": power }
    })))
}

/// A room's owner; the statistics Screeps' private server leaves empty are empty here too.
async fn room_overview(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<RoomQuery>,
) -> ApiResult {
    s.caller(&headers, None)?;
    let p = s.now();
    let room = q.room.unwrap_or_default();
    if !p.terrain.contains_key(&room) {
        return Err(not_found("invalid room"));
    }
    let owner = p
        .holdings
        .rooms
        .get(&room)
        .and_then(|h| h.owner)
        .and_then(|id| p.accounts.values().find(|a| a.id == id))
        .map(|a| json!({ "username": a.name, "badge": a.badge_json() }));
    Ok(Json(json!({
        "ok": 1, "owner": owner, "stats": {}, "statsMax": {}, "totals": {}
    })))
}

#[derive(Deserialize)]
struct StatsQuery {
    interval: Option<String>,
}

/// Screeps' private server keeps no per-user statistics and answers `{stats: {}}` for a valid
/// interval (8, 180 or 1440 minutes); so does this one.
async fn user_stats(Query(q): Query<StatsQuery>) -> ApiResult {
    match q.interval.as_deref() {
        Some("8" | "180" | "1440") => Ok(Json(json!({ "ok": 1, "stats": {} }))),
        _ => Err(bad("invalid params: interval is 8, 180 or 1440")),
    }
}

/// Anyone's owned rooms, highest level first (no sign-in, as Screeps).
async fn user_rooms(State(s): State<AppState>, Query(q): Query<IdQuery>) -> ApiResult {
    let p = s.now();
    let id: u32 =
        q.id.as_deref()
            .and_then(|i| i.parse().ok())
            .ok_or_else(|| bad("id: a user id is needed"))?;
    let rooms: Vec<&String> = p
        .holdings
        .players
        .get(&id)
        .map(|h| h.rooms.iter().map(|(r, _)| r).collect())
        .unwrap_or_default();
    Ok(Json(json!({ "ok": 1, "rooms": rooms })))
}

/// The player's rooms; the statistics Screeps' private server leaves empty are empty here too.
async fn overview(State(s): State<AppState>, headers: HeaderMap) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let p = s.now();
    let rooms: Vec<&String> = p
        .holdings
        .players
        .get(&me.id)
        .map(|h| h.rooms.iter().map(|(r, _)| r).collect())
        .unwrap_or_default();
    Ok(Json(
        json!({ "ok": 1, "rooms": rooms, "stats": {}, "statsMax": {}, "totals": {}, "gametimes": [] }),
    ))
}

pub(crate) async fn queue_command(
    s: &AppState,
    player: u32,
    expression: String,
    hidden: bool,
) -> ApiResult<()> {
    s.command(|reply| Command::Console {
        player: PlayerId(player),
        expression,
        hidden,
        reply,
    })
    .await
}

#[derive(Deserialize)]
struct ConsoleBody {
    expression: Value,
}

async fn console(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let me = s.caller(&headers, None)?;
    s.limits.memory(me.id)?;
    let body: ConsoleBody = parse(&body)?;
    let Value::String(expression) = body.expression else {
        return Err(bad("expression: a string is needed"));
    };
    if Value::String(expression.clone()).to_string().len() > MAX_EXPRESSION_JSON {
        return Err(bad("expression size is too large"));
    }
    queue_command(&s, me.id, expression.clone(), false).await?;
    Ok(Json(json!({
        "ok": 1,
        "result": { "ok": 1, "n": 1 },
        "ops": [{ "user": me.id.to_string(), "expression": expression }],
        "insertedCount": 1,
    })))
}

#[derive(Deserialize)]
struct PathQuery {
    path: Option<String>,
}

/// `Memory` or the value at a dotted path, as `gz:` + base64 of its gzipped JSON (what
/// screeps-api and Grafana agents unpack); `data` is absent where the path leads nowhere.
async fn get_memory(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<PathQuery>,
) -> ApiResult {
    let me = s.caller(&headers, None)?;
    s.limits.memory(me.id)?;
    let memory = me.memory.clone();
    // Parsing and compressing up to 2 MB is blocking work.
    let data = tokio::task::spawn_blocking(move || memory_at(&memory, q.path.as_deref()))
        .await
        .map_err(|_| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "memory read failed"))?;
    Ok(Json(match data {
        MemoryRead::Value(gz) => json!({ "ok": 1, "data": gz }),
        MemoryRead::Undefined => json!({ "ok": 1 }),
        MemoryRead::BadPath => json!({ "ok": 1, "data": "Incorrect memory path" }),
    }))
}

enum MemoryRead {
    Value(String),
    Undefined,
    BadPath,
}

/// Walks `path` as Screeps' `curPointer = curPointer[part]` does: a missing key is
/// undefined, and a step past undefined is an incorrect path.
fn memory_at(memory: &str, path: Option<&str>) -> MemoryRead {
    let root: Value = if memory.trim().is_empty() {
        Value::Object(Map::new())
    } else {
        match serde_json::from_str(memory) {
            Ok(v) => v,
            Err(_) => return MemoryRead::BadPath,
        }
    };
    let mut at = Some(&root);
    for part in path
        .filter(|p| !p.is_empty())
        .into_iter()
        .flat_map(|p| p.split('.'))
    {
        at = match at {
            None => return MemoryRead::BadPath,
            Some(Value::Object(m)) => m.get(part),
            Some(Value::Array(a)) => part.parse::<usize>().ok().and_then(|i| a.get(i)),
            Some(_) => None,
        };
    }
    match at {
        None => MemoryRead::Undefined,
        Some(v) => MemoryRead::Value(gz_base64(&v.to_string())),
    }
}

/// `gz:` + base64 of the gzipped text.
fn gz_base64(text: &str) -> String {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(text.as_bytes());
    let bytes = enc.finish().unwrap_or_default();
    format!(
        "gz:{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

#[derive(Deserialize)]
struct MemoryWrite {
    path: Option<String>,
    value: Option<Value>,
}

/// Writes `value` at `path` (deletes it when `value` is absent; replaces all of `Memory`
/// without a path), as a hidden console command: the player's next tick applies it, so the
/// write never races the player's own.
async fn post_memory(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let me = s.caller(&headers, None)?;
    s.limits.memory(me.id)?;
    let body: MemoryWrite = parse(&body)?;
    let value = body.value.map(|v| v.to_string());
    if value
        .as_ref()
        .is_some_and(|v| v.len() > MAX_MEMORY_WRITE_JSON)
    {
        return Err(bad("memory size is too large"));
    }
    let expression = memory_write_expression(body.path.as_deref(), value.as_deref());
    queue_command(&s, me.id, expression, true).await?;
    Ok(Json(json!({ "ok": 1 })))
}

/// The expression Screeps' `POST /api/user/memory` runs; keys are written as JSON strings,
/// so no key can end the expression.
fn memory_write_expression(path: Option<&str>, value: Option<&str>) -> String {
    match path.filter(|p| !p.is_empty()) {
        Some(path) => {
            let target: String = path
                .split('.')
                .map(|k| format!("[{}]", Value::String(k.to_string())))
                .collect();
            match value {
                Some(v) => format!("Memory{target} = {v}"),
                None => format!("delete Memory{target}"),
            }
        }
        None => format!(
            "for (var i in Memory) {{ delete Memory[i]; }} Object.assign(Memory, {});",
            value.unwrap_or("undefined")
        ),
    }
}

#[derive(Deserialize)]
struct SegmentQuery {
    segment: Option<String>,
}

fn segment_id(raw: Option<&str>) -> ApiResult<u8> {
    raw.and_then(|s| s.trim().parse::<u8>().ok())
        .filter(|id| *id <= 99)
        .ok_or_else(|| bad("segment: a number from 0 to 99 is needed"))
}

async fn get_segment(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<SegmentQuery>,
) -> ApiResult {
    let me = s.caller(&headers, None)?;
    s.limits.memory(me.id)?;
    let id = segment_id(q.segment.as_deref())?;
    let text = s
        .command(|reply| Command::ReadSegment {
            player: PlayerId(me.id),
            id,
            reply,
        })
        .await?;
    Ok(Json(json!({ "ok": 1, "data": text })))
}

#[derive(Deserialize)]
struct SegmentWrite {
    segment: Value,
    data: Value,
}

async fn post_segment(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let me = s.caller(&headers, None)?;
    s.limits.memory(me.id)?;
    let body: SegmentWrite = parse(&body)?;
    let id = segment_id(Some(&match body.segment {
        Value::String(s) => s,
        other => other.to_string(),
    }))?;
    let Value::String(text) = body.data else {
        return Err(bad("data: a string is needed"));
    };
    s.command(|reply| Command::WriteSegment {
        player: PlayerId(me.id),
        id,
        text,
        reply,
    })
    .await?;
    Ok(Json(json!({ "ok": 1 })))
}

async fn time(State(s): State<AppState>) -> Json<Value> {
    Json(json!({ "ok": 1, "time": s.now().tick }))
}

/// The shard's minimum tick duration in milliseconds.
async fn tick(State(s): State<AppState>) -> Json<Value> {
    Json(json!({ "ok": 1, "tick": s.health.borrow().tick_ms }))
}

/// Rooms along x and y: the map's extent, as `Game.map.getWorldSize()` counts it.
async fn world_size(State(s): State<AppState>) -> Json<Value> {
    let p = s.now();
    let coords: Vec<_> = p
        .terrain
        .keys()
        .filter_map(|n| isoshard_world::RoomCoord::parse(n))
        .collect();
    let extent = |f: fn(&isoshard_world::RoomCoord) -> i32| {
        let lo = coords.iter().map(f).min().unwrap_or(0);
        let hi = coords.iter().map(f).max().unwrap_or(-1);
        hi - lo + 1
    };
    Json(json!({ "ok": 1, "width": extent(|c| c.x), "height": extent(|c| c.y) }))
}

#[derive(Deserialize)]
struct RoomQuery {
    room: Option<String>,
    encoded: Option<String>,
}

/// A room's terrain: the encoded string (`encoded` set), else every wall and swamp tile.
async fn room_terrain(State(s): State<AppState>, Query(q): Query<RoomQuery>) -> ApiResult {
    let room = q.room.ok_or_else(|| bad("room: a room name is needed"))?;
    let p = s.now();
    let terrain = p
        .terrain
        .get(&room)
        .ok_or_else(|| not_found("invalid room"))?;
    // Screeps tests `request.query.encoded` for truth: any non-empty value, `0` too.
    let encoded = q.encoded.as_deref().is_some_and(|e| !e.is_empty());
    if encoded {
        return Ok(Json(json!({ "ok": 1, "terrain": [{
            "_id": room, "room": room, "terrain": terrain, "type": "terrain"
        }] })));
    }
    let tiles: Vec<Value> = terrain
        .bytes()
        .enumerate()
        .filter_map(|(i, b)| {
            let kind = match b {
                b'1' | b'3' => "wall",
                b'2' => "swamp",
                _ => return None,
            };
            Some(json!({ "room": room, "x": i % 50, "y": i / 50, "type": kind }))
        })
        .collect();
    Ok(Json(json!({ "ok": 1, "terrain": tiles })))
}

/// A room's objects in Screeps' document form, with their owners' names.
async fn room_objects_route(State(s): State<AppState>, Query(q): Query<RoomQuery>) -> ApiResult {
    let room = q.room.ok_or_else(|| bad("room: a room name is needed"))?;
    let p = s.now();
    let view = p
        .rooms
        .get(&room)
        .ok_or_else(|| not_found("invalid room"))?;
    let by_name: std::collections::BTreeMap<String, u32> = p
        .accounts
        .values()
        .map(|a| (a.name.clone(), a.id))
        .collect();
    let objects = super::screeps_objects::room_objects(
        view,
        p.tick,
        &super::screeps_objects::UserIds { by_name: &by_name },
    );
    let mut users = Map::new();
    for o in objects.values() {
        if let Some(id) = o.get("user").and_then(Value::as_str) {
            users.insert(id.to_string(), super::socket::user_doc(&p, id));
        }
    }
    let objects: Vec<Value> = objects.into_iter().map(|(_, o)| o).collect();
    Ok(Json(json!({ "ok": 1, "objects": objects, "users": users })))
}

async fn room_status(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<RoomQuery>,
) -> ApiResult {
    s.caller(&headers, None)?;
    let room = q.room.ok_or_else(|| bad("room: a room name is needed"))?;
    let p = s.now();
    let status = p
        .statuses
        .get(&room)
        .ok_or_else(|| not_found("invalid room"))?;
    Ok(Json(
        json!({ "ok": 1, "room": { "_id": room, "status": status } }),
    ))
}

#[derive(Deserialize)]
struct MapStatsBody {
    rooms: Vec<String>,
    #[serde(rename = "statName")]
    stat_name: String,
}

/// Status and owner of each room asked for (the per-room statistics Screeps' private server
/// leaves empty are empty here too), and the owners' names.
async fn map_stats(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    s.caller(&headers, None)?;
    let body: MapStatsBody = parse(&body)?;
    let digits = body
        .stat_name
        .trim_start_matches(|c: char| !c.is_ascii_digit());
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("invalid params"));
    }
    if body.rooms.len() > 2500 {
        return Err(bad("at most 2 500 rooms at a time"));
    }
    let p = s.now();
    let mut stats = Map::new();
    let mut owners = std::collections::BTreeSet::new();
    for room in &body.rooms {
        let Some(status) = p.statuses.get(room) else {
            continue;
        };
        let mut entry = json!({ "status": status });
        if let Some(hold) = p.holdings.rooms.get(room) {
            if let Some(owner) = hold.owner {
                entry["own"] = json!({ "user": owner.to_string(), "level": hold.level });
                owners.insert(owner);
            }
        }
        stats.insert(room.clone(), entry);
    }
    let users: Map<String, Value> = p
        .accounts
        .values()
        .filter(|a| owners.contains(&a.id))
        .map(|a| {
            (
                a.id.to_string(),
                json!({ "_id": a.id.to_string(), "username": a.name, "badge": a.badge_json() }),
            )
        })
        .collect();
    Ok(Json(
        json!({ "ok": 1, "gameTime": p.tick, "stats": stats, "statsMax": {}, "users": users }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn gunzip(data: &str) -> String {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data.strip_prefix("gz:").unwrap())
            .unwrap();
        let mut out = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn memory_paths_read_as_screeps_walks_them() {
        let memory = r#"{"stats":{"cpu":3,"list":[7,8]},"n":1}"#;
        let MemoryRead::Value(all) = memory_at(memory, None) else {
            panic!("no value")
        };
        assert_eq!(gunzip(&all), memory);
        let MemoryRead::Value(cpu) = memory_at(memory, Some("stats.cpu")) else {
            panic!("no value")
        };
        assert_eq!(gunzip(&cpu), "3");
        let MemoryRead::Value(second) = memory_at(memory, Some("stats.list.1")) else {
            panic!("no value")
        };
        assert_eq!(gunzip(&second), "8");
        assert!(matches!(
            memory_at(memory, Some("missing")),
            MemoryRead::Undefined
        ));
        assert!(matches!(
            memory_at(memory, Some("n.x")),
            MemoryRead::Undefined
        ));
        assert!(matches!(
            memory_at(memory, Some("missing.deeper")),
            MemoryRead::BadPath
        ));
        assert!(matches!(memory_at("", None), MemoryRead::Value(_)));
    }

    #[test]
    fn a_memory_write_key_cannot_break_out_of_its_expression() {
        assert_eq!(
            memory_write_expression(Some("a.b"), Some("5")),
            r#"Memory["a"]["b"] = 5"#
        );
        assert_eq!(
            memory_write_expression(Some("x\"]; while(1){}; //"), None),
            r#"delete Memory["x\"]; while(1){}; //"]"#
        );
        assert!(memory_write_expression(None, Some(r#"{"k":1}"#))
            .ends_with(r#"Object.assign(Memory, {"k":1});"#));
    }
}
