//! What the Screeps client's room view does by hand: flags, construction sites, an object's
//! notifications and actions (screeps/backend-local `lib/game/api/game.js`).
//!
//! Screeps writes these straight into its database. Here they run as hidden console commands
//! in the player's own isolate at their next tick (as Screeps' own `POST /api/user/memory`
//! does), through the same player API a bot calls: the same checks, limits and return codes,
//! and nothing a player could not do from their code. So they take effect with the next tick
//! and answer `{ok: 1}` once queued; an action the game refuses changes nothing, silently, as
//! in Screeps, and `create-construction` cannot answer the new site's id.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::api::{bad, parse, ApiResult, AppState};
use super::screeps_api::queue_command;

/// Longest flag name the client may give (Screeps' `create-flag`).
const MAX_FLAG_NAME: usize = 60;
/// Longest construction site name (Screeps' `create-construction`).
const MAX_SITE_NAME: usize = 50;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/game/create-flag", post(create_flag))
        .route("/api/game/change-flag-color", post(change_flag_color))
        .route("/api/game/remove-flag", post(remove_flag))
        .route("/api/game/gen-unique-flag-name", post(gen_unique_flag_name))
        .route(
            "/api/game/check-unique-flag-name",
            post(check_unique_flag_name),
        )
        .route("/api/game/create-construction", post(create_construction))
        .route(
            "/api/game/set-notify-when-attacked",
            post(set_notify_when_attacked),
        )
        .route("/api/game/add-object-intent", post(add_object_intent))
}

/// A JavaScript string literal of `s` (JSON's is one).
fn js(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}

/// Runs `expression` for the caller at their next tick, hidden from their console.
async fn run_for_caller(s: &AppState, headers: &HeaderMap, expression: String) -> ApiResult {
    let me = s.caller(headers, None)?;
    s.limits.memory(me.id)?;
    queue_command(s, me.id, expression, true).await?;
    Ok(Json(json!({ "ok": 1 })))
}

fn room_of(s: &AppState, room: &str) -> ApiResult<String> {
    if s.now().terrain.contains_key(room) {
        Ok(room.to_string())
    } else {
        Err(bad("invalid room"))
    }
}

fn coordinate(v: &Value) -> ApiResult<u8> {
    v.as_u64()
        .filter(|c| *c <= 49)
        .map(|c| c as u8)
        .ok_or_else(|| bad("invalid params: x and y are 0 to 49"))
}

fn color(v: &Value) -> ApiResult<u8> {
    v.as_u64()
        .filter(|c| (1..=10).contains(c))
        .map(|c| c as u8)
        .ok_or_else(|| bad("invalid params: colors are 1 to 10"))
}

/// A position in a request body (`room`, `x`, `y`, each checked where it is used).
#[derive(Deserialize)]
pub(super) struct Spot {
    #[serde(default)]
    pub(super) room: String,
    #[serde(default)]
    pub(super) x: Value,
    #[serde(default)]
    pub(super) y: Value,
}

impl Spot {
    /// `new RoomPosition(x, y, room)` for a room of this world.
    fn position(&self, s: &AppState) -> ApiResult<String> {
        let (x, y) = (coordinate(&self.x)?, coordinate(&self.y)?);
        let room = js(&room_of(s, &self.room)?);
        Ok(format!("new RoomPosition({x}, {y}, {room})"))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FlagBody {
    #[serde(flatten)]
    spot: Spot,
    #[serde(default)]
    name: Value,
    #[serde(default)]
    color: Value,
    #[serde(default)]
    secondary_color: Value,
}

fn flag_name(v: &Value) -> ApiResult<String> {
    v.as_str()
        .filter(|n| !n.is_empty() && n.chars().count() <= MAX_FLAG_NAME)
        .map(str::to_string)
        .ok_or_else(|| bad("invalid params: a flag name of 1 to 60 characters"))
}

/// A flag there, or the flag of that name moved there and recoloured (Screeps replaces it).
async fn create_flag(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let b: FlagBody = parse(&body)?;
    let pos = b.spot.position(&s)?;
    let (c1, c2) = (color(&b.color)?, color(&b.secondary_color)?);
    let name = js(&flag_name(&b.name)?);
    let expression = format!(
        "(function () {{ var pos = {pos}, f = Game.flags[{name}]; \
         if (f) {{ f.setPosition(pos); return f.setColor({c1}, {c2}); }} \
         return pos.createFlag({name}, {c1}, {c2}); }})()"
    );
    run_for_caller(&s, &headers, expression).await
}

async fn change_flag_color(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let b: FlagBody = parse(&body)?;
    let (c1, c2) = (color(&b.color)?, color(&b.secondary_color)?);
    let name = js(&flag_name(&b.name)?);
    let expression = format!("Game.flags[{name}] && Game.flags[{name}].setColor({c1}, {c2})");
    run_for_caller(&s, &headers, expression).await
}

async fn remove_flag(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let b: FlagBody = parse(&body)?;
    let name = js(&flag_name(&b.name)?);
    let expression = format!("Game.flags[{name}] && Game.flags[{name}].remove()");
    run_for_caller(&s, &headers, expression).await
}

/// The caller's flag names.
fn flag_names(s: &AppState, headers: &HeaderMap) -> ApiResult<Vec<String>> {
    let me = s.caller(headers, None)?;
    let flags: Vec<Value> = serde_json::from_str(&me.flags_json).unwrap_or_default();
    Ok(flags
        .iter()
        .filter_map(|f| f[0].as_str().map(str::to_string))
        .collect())
}

async fn gen_unique_flag_name(State(s): State<AppState>, headers: HeaderMap) -> ApiResult {
    let names = flag_names(&s, &headers)?;
    let free = (1..)
        .map(|n| format!("Flag{n}"))
        .find(|n| !names.contains(n))
        .unwrap_or_default();
    Ok(Json(json!({ "ok": 1, "name": free })))
}

async fn check_unique_flag_name(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let b: FlagBody = parse(&body)?;
    let name = flag_name(&b.name)?;
    if flag_names(&s, &headers)?.contains(&name) {
        return Err(bad("name exists"));
    }
    Ok(Json(json!({ "ok": 1 })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConstructionBody {
    #[serde(flatten)]
    spot: Spot,
    #[serde(default)]
    structure_type: String,
    name: Option<Value>,
}

async fn create_construction(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let b: ConstructionBody = parse(&body)?;
    let pos = b.spot.position(&s)?;
    isoshard_world::StructureKind::parse(&b.structure_type)
        .and_then(|k| k.construction_cost())
        .ok_or_else(|| bad("invalid params: not a structure that can be built"))?;
    let name = match &b.name {
        None | Some(Value::Null) => None,
        Some(Value::String(n)) if n.chars().count() <= MAX_SITE_NAME => Some(js(n)),
        Some(_) => return Err(bad("invalid params: a name of at most 50 characters")),
    };
    if b.structure_type == "spawn" && name.is_none() {
        return Err(bad("invalid params: a spawn needs a name"));
    }
    let kind = js(&b.structure_type);
    let name = name.map(|n| format!(", {n}")).unwrap_or_default();
    let expression = format!("{pos}.createConstructionSite({kind}{name})");
    run_for_caller(&s, &headers, expression).await
}

#[derive(Deserialize)]
struct ObjectBody {
    #[serde(rename = "_id", default)]
    id: String,
    #[serde(default)]
    enabled: Value,
    #[serde(default)]
    name: String,
}

fn object_id(id: &str) -> ApiResult<String> {
    if id.is_empty() || id.len() > 32 || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(bad("invalid params: _id"));
    }
    Ok(js(id))
}

async fn set_notify_when_attacked(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let b: ObjectBody = parse(&body)?;
    let id = object_id(&b.id)?;
    let enabled = b.enabled.as_bool().unwrap_or(false);
    let expression = format!(
        "(function () {{ var o = Game.getObjectById({id}); \
         return o && o.notifyWhenAttacked ? o.notifyWhenAttacked({enabled}) : ERR_INVALID_TARGET; }})()"
    );
    run_for_caller(&s, &headers, expression).await
}

/// The client's object actions, by the intent names it sends, and the method each is.
const OBJECT_ACTIONS: [(&str, &str); 5] = [
    ("suicide", "suicide"),
    ("unclaim", "unclaim"),
    ("destroyStructure", "destroy"),
    ("removeConstructionSite", "remove"),
    ("activateSafeMode", "activateSafeMode"),
];

async fn add_object_intent(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let b: ObjectBody = parse(&body)?;
    let id = object_id(&b.id)?;
    let (_, method) = OBJECT_ACTIONS
        .iter()
        .find(|(intent, _)| *intent == b.name)
        .ok_or_else(|| bad(format!("invalid params: unknown intent {:?}", b.name)))?;
    let expression = format!(
        "(function () {{ var o = Game.getObjectById({id}); \
         return o && o.{method} ? o.{method}() : ERR_INVALID_TARGET; }})()"
    );
    run_for_caller(&s, &headers, expression).await
}
