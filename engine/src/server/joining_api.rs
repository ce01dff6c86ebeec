//! Joining a shard as on Screeps (backend-local `lib/game/api/game.js` place-spawn,
//! `user.js` respawn): a registered player looks at the map, picks a free room and places
//! their first spawn; later they may respawn and place again; meanwhile they may summon
//! invaders into their rooms to test them (`create-invader`, `remove-invader`). Each is a
//! world edit, recorded so replays and recovery apply it between the same ticks.

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use isoshard_world::{PlayerId, WorldEdit};
use serde::Deserialize;
use serde_json::{json, Value};

use super::api::{bad, parse, ApiError, ApiResult, AppState};
use super::shard_thread::Command;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/authmod", get(authmod))
        .route("/api/register/check-username", get(check_username))
        .route("/api/register/check-email", get(check_email))
        .route("/api/register/submit", post(register_submit))
        .route("/api/game/place-spawn", post(place_spawn))
        .route("/api/user/respawn", post(respawn))
        .route(
            "/api/user/respawn-prohibited-rooms",
            get(respawn_prohibited_rooms),
        )
        .route("/api/game/gen-unique-object-name", post(gen_unique_name))
        .route(
            "/api/game/check-unique-object-name",
            post(check_unique_name),
        )
        .route("/api/game/create-invader", post(create_invader))
        .route("/api/game/remove-invader", post(remove_invader))
}

#[derive(Deserialize)]
struct InvaderBody {
    #[serde(flatten)]
    at: super::manual_api::Spot,
    #[serde(default)]
    size: String,
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    boosted: Value,
}

/// Screeps' `create-invader`: an invader (`size` small|big, `type` Melee|Ranged|Healer) in a
/// room you own or reserve, to test your defence. It appears between two ticks.
async fn create_invader(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    use isoshard_world::npc::InvaderKind;
    let me = s.caller(&headers, None)?;
    let b: InvaderBody = parse(&body)?;
    let (Some(x), Some(y)) = (coordinate(&b.at.x), coordinate(&b.at.y)) else {
        return Err(bad("invalid params"));
    };
    let kind = match (b.size.as_str(), b.kind.as_str()) {
        ("small", "Melee") => InvaderKind::SmallMelee,
        ("small", "Ranged") => InvaderKind::SmallRanged,
        ("small", "Healer") => InvaderKind::SmallHealer,
        ("big", "Melee") => InvaderKind::BigMelee,
        ("big", "Ranged") => InvaderKind::BigRanged,
        ("big", "Healer") => InvaderKind::BigHealer,
        _ => {
            return Err(bad(
                "invalid params: size small|big, type Melee|Ranged|Healer",
            ))
        }
    };
    // JavaScript truthiness, as Screeps' `if (request.body.boosted)`.
    let boosted = match &b.boosted {
        Value::Bool(v) => *v,
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0 && !n.is_nan()),
        Value::String(v) => !v.is_empty(),
        Value::Null => false,
        _ => true,
    };
    let edit = WorldEdit::SummonInvader {
        player: PlayerId(me.id),
        room: b.at.room,
        x,
        y,
        kind,
        boosted,
    };
    join(&s, me.id, edit).await?;
    Ok(Json(json!({ "ok": 1 })))
}

#[derive(Deserialize)]
struct RemoveInvaderBody {
    #[serde(rename = "_id")]
    id: String,
}

/// Screeps' `remove-invader`: only an invader you summoned.
async fn remove_invader(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let b: RemoveInvaderBody = parse(&body)?;
    let object = isoshard_world::ObjectId::from_js(&b.id).ok_or_else(|| bad("invalid object"))?;
    let edit = WorldEdit::RemoveInvader {
        player: PlayerId(me.id),
        object,
    };
    join(&s, me.id, edit).await?;
    Ok(Json(json!({ "ok": 1 })))
}

async fn join(s: &AppState, player: u32, edit: WorldEdit) -> ApiResult<()> {
    s.command(|reply| Command::Join {
        player: PlayerId(player),
        edit,
        reply,
    })
    .await
}

/// A coordinate as Screeps reads it (`parseInt` of a number or a numeric string).
fn coordinate(v: &Value) -> Option<u8> {
    let n = match v {
        Value::Number(n) => n.as_i64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    u8::try_from(n).ok().filter(|n| *n <= 49)
}

#[derive(Deserialize)]
struct PlaceSpawn {
    room: String,
    x: Value,
    y: Value,
    name: Option<String>,
}

async fn place_spawn(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let body: PlaceSpawn = parse(&body)?;
    let (Some(x), Some(y)) = (coordinate(&body.x), coordinate(&body.y)) else {
        return Err(bad("invalid params"));
    };
    let name = body.name.unwrap_or_else(|| "Spawn1".into());
    if name.is_empty() || name.chars().count() > 50 {
        return Err(bad("invalid params"));
    }
    let edit = WorldEdit::PlaceSpawn {
        player: PlayerId(me.id),
        room: body.room,
        x,
        y,
        name,
    };
    join(&s, me.id, edit).await?;
    Ok(Json(json!({ "ok": 1, "newbie": true })))
}

/// Only a player who has something to lose may respawn (Screeps: "invalid status").
async fn respawn(State(s): State<AppState>, headers: HeaderMap) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let status = s
        .now()
        .holdings
        .players
        .get(&me.id)
        .map_or("empty", |h| h.world_status());
    if status == "empty" {
        return Err(ApiError::new(StatusCode::CONFLICT, "invalid status"));
    }
    join(
        &s,
        me.id,
        WorldEdit::Respawn {
            player: PlayerId(me.id),
        },
    )
    .await?;
    Ok(Json(json!({ "ok": 1 })))
}

async fn respawn_prohibited_rooms(State(s): State<AppState>, headers: HeaderMap) -> ApiResult {
    s.caller(&headers, None)?;
    Ok(Json(json!({ "ok": 1, "rooms": [] })))
}

#[derive(Deserialize)]
struct NameBody {
    #[serde(rename = "type")]
    kind: String,
    name: Option<String>,
}

/// The names of the player's spawns (Screeps counts spawn construction sites too; a site
/// here does not carry the name a spawn will get, so only built spawns count).
fn spawn_names(s: &AppState, player: u32) -> Vec<String> {
    let p = s.now();
    let Some(me) = p.accounts.values().find(|a| a.id == player) else {
        return Vec::new();
    };
    p.rooms
        .values()
        .flat_map(|room| room["objects"].as_array().cloned().unwrap_or_default())
        .filter(|o| o["type"] == "spawn" && o["owner"] == me.name.as_str())
        .filter_map(|o| o["name"].as_str().map(str::to_string))
        .collect()
}

async fn gen_unique_name(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let body: NameBody = parse(&body)?;
    if body.kind != "spawn" {
        return Err(bad("invalid params"));
    }
    let taken = spawn_names(&s, me.id);
    let name = (1..)
        .map(|n| format!("Spawn{n}"))
        .find(|n| !taken.contains(n))
        .unwrap_or_default();
    Ok(Json(json!({ "ok": 1, "name": name })))
}

async fn check_unique_name(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let body: NameBody = parse(&body)?;
    let Some(name) = body.name.filter(|_| body.kind == "spawn") else {
        return Err(bad("invalid params"));
    };
    if spawn_names(&s, me.id).contains(&name) {
        return Err(ApiError::new(StatusCode::CONFLICT, "name exists"));
    }
    Ok(Json(json!({ "ok": 1 })))
}

/// What the Screeps client asks to learn how to sign in: screepsmod-auth's answer (name and
/// password; no Steam or GitHub).
async fn authmod(State(s): State<AppState>) -> Json<Value> {
    Json(json!({
        "ok": 1, "name": "screepsmod-auth", "version": env!("CARGO_PKG_VERSION"),
        "allowRegistration": s.open_registration, "steam": false, "github": false,
    }))
}

#[derive(Deserialize)]
struct UsernameQuery {
    username: Option<String>,
}

/// Whether a name is free and well formed, as registration will judge it.
async fn check_username(State(s): State<AppState>, Query(q): Query<UsernameQuery>) -> ApiResult {
    let name = q.username.unwrap_or_default();
    if !super::shard_thread::valid_username(&name) {
        return Err(bad("invalid username"));
    }
    if s.now().accounts.contains_key(&name) {
        return Err(ApiError::new(StatusCode::CONFLICT, "exists"));
    }
    Ok(Json(json!({ "ok": 1 })))
}

/// No e-mail is kept: any address is accepted.
async fn check_email() -> Json<Value> {
    Json(json!({ "ok": 1 }))
}

#[derive(Deserialize)]
struct Submit {
    username: String,
    password: String,
    modules: Option<std::collections::BTreeMap<String, Value>>,
}

/// Screeps' registration form (screeps-api `register.submit`): an account with a password,
/// and its first code when given.
async fn register_submit(
    State(s): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let body: Submit = parse(&body)?;
    let code = match body.modules {
        Some(modules) => Some(super::api::modules_of(super::api::CodeBody {
            modules,
            branch: None,
        })?),
        None => None,
    };
    let (player, _token) =
        super::api::register_account(&s, peer, &headers, body.username, Some(body.password))
            .await?;
    if let Some(code) = code {
        s.command(|reply| Command::SetCode {
            player,
            code,
            reply,
        })
        .await?;
    }
    Ok(Json(json!({ "ok": 1 })))
}
