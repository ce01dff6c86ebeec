//! The operator's routes, behind the admin token (`serve --admin-token-file`), used by
//! `isoshard admin`:
//! - `GET /api/admin/players`: every player's CPU, bucket, rooms, last error, state;
//! - `POST /api/admin/players/{name}/{ban|unban|reset-code|reset-room}`;
//! - `POST /api/admin/tick-rate {"tickMs": N}`, `POST /api/admin/pause`, `…/resume`;
//! - `POST /api/admin/bots {"kind": "miner-hauler", "count": N}`;
//! - `POST /api/admin/backup {"to": "/path/to/new/dir"}` (a directory on the shard's host);
//! - `POST /api/admin/world` edits the running world between ticks.
//!
//! Body: `{"addRooms": [{"room": "E40S40", "status": "novice"}]}` (status defaults to
//! normal; places already on the map are skipped) or
//! `{"grantCredits": {"username": "alice", "credits": 12.5}}`. The edit is snapshotted and
//! recorded like a player joining, so recovery and replays see it.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use isoshard_world::{RoomCoord, RoomSpec, RoomStatus};
use serde::Deserialize;
use serde_json::json;

use super::api::{bad, parse, ApiError, ApiResult, AppState};
use super::auth::constant_time_eq;
use super::shard_thread::{AdminEdit, AdminOp, Command};

/// Rooms one request may add (a 10 000-room world is grown in a few requests, and one
/// request cannot stall the shard thread for long).
const MAX_ROOMS_PER_REQUEST: usize = 2_500;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct EditBody {
    add_rooms: Option<Vec<RoomBody>>,
    grant_credits: Option<GrantBody>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoomBody {
    room: String,
    status: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GrantBody {
    username: String,
    credits: f64,
}

fn is_admin(s: &AppState, headers: &HeaderMap) -> bool {
    let given = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|a| a.strip_prefix("Bearer "));
    matches!((&s.admin_token, given), (Some(admin), Some(g)) if constant_time_eq(admin.as_bytes(), g.trim().as_bytes()))
}

fn require_admin(s: &AppState, headers: &HeaderMap) -> ApiResult<()> {
    if is_admin(s, headers) {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "an admin token is required",
        ))
    }
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/admin/world", post(edit_world))
        .route("/api/admin/players", get(players))
        .route("/api/admin/players/{name}/{action}", post(player_action))
        .route("/api/admin/tick-rate", post(tick_rate))
        .route(
            "/api/admin/pause",
            post(|s, h| run(s, h, AdminOp::Pause(true))),
        )
        .route(
            "/api/admin/resume",
            post(|s, h| run(s, h, AdminOp::Pause(false))),
        )
        .route("/api/admin/bots", post(bots))
        .route("/api/admin/backup", post(backup))
}

/// Runs `op` on the shard thread and answers what it did.
async fn run(State(s): State<AppState>, headers: HeaderMap, op: AdminOp) -> ApiResult {
    require_admin(&s, &headers)?;
    let done = s.command(|reply| Command::Admin { op, reply }).await?;
    Ok(Json(json!({ "ok": 1, "done": done })))
}

/// Every player as the last published tick shows them.
async fn players(State(s): State<AppState>, headers: HeaderMap) -> ApiResult {
    require_admin(&s, &headers)?;
    let p = s.now();
    let list: Vec<_> = p
        .accounts
        .values()
        .map(|a| {
            let hold = p.holdings.players.get(&a.id);
            json!({
                "id": a.id,
                "name": a.name,
                "cpu": { "limit": a.cpu_limit_ms, "used": a.cpu_used_ms, "bucket": a.bucket },
                "rooms": hold.map(|h| h.rooms.iter().map(|(r, _)| r.clone()).collect::<Vec<_>>()).unwrap_or_default(),
                "level": a.controller_level,
                "creeps": a.creeps,
                "lastError": a.last_errors.last(),
                "suspended": a.suspended,
                "banned": a.banned,
                "codeVersion": a.code_version,
                "activeBranch": a.active_branch,
            })
        })
        .collect();
    Ok(Json(json!({ "ok": 1, "tick": p.tick, "players": list })))
}

async fn player_action(
    state: State<AppState>,
    headers: HeaderMap,
    Path((name, action)): Path<(String, String)>,
) -> ApiResult {
    let op = match action.as_str() {
        "ban" => AdminOp::Ban { name, banned: true },
        "unban" => AdminOp::Ban {
            name,
            banned: false,
        },
        "reset-code" => AdminOp::ResetCode { name },
        "reset-room" => AdminOp::ResetRoom { name },
        other => {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                format!("no player action {other:?} (ban, unban, reset-code, reset-room)"),
            ))
        }
    };
    run(state, headers, op).await
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TickRateBody {
    tick_ms: u64,
}

async fn tick_rate(state: State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let b: TickRateBody = parse(&body)?;
    if b.tick_ms > 3_600_000 {
        return Err(bad("tickMs must be at most an hour (3600000)"));
    }
    run(state, headers, AdminOp::TickRate { ms: b.tick_ms }).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BotsBody {
    kind: Option<String>,
    count: Option<usize>,
}

async fn bots(state: State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let b: BotsBody = parse(&body)?;
    let op = AdminOp::AddBots {
        kind: b.kind.unwrap_or_else(|| "miner-hauler".into()),
        count: b.count.unwrap_or(1),
    };
    run(state, headers, op).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BackupBody {
    to: std::path::PathBuf,
}

async fn backup(state: State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let b: BackupBody = parse(&body)?;
    if !b.to.is_absolute() {
        return Err(bad(
            "give the backup directory as an absolute path on the shard's host",
        ));
    }
    run(state, headers, AdminOp::Backup { to: b.to }).await
}

fn status_of(name: Option<&str>) -> ApiResult<RoomStatus> {
    Ok(match name.unwrap_or("normal") {
        "normal" => RoomStatus::Normal,
        "novice" => RoomStatus::Novice,
        "respawn" => RoomStatus::Respawn,
        "closed" => RoomStatus::Closed,
        other => return Err(bad(format!("unknown room status {other:?}"))),
    })
}

fn edit_of(body: EditBody) -> ApiResult<AdminEdit> {
    match (body.add_rooms, body.grant_credits) {
        (Some(rooms), None) => {
            if rooms.is_empty() || rooms.len() > MAX_ROOMS_PER_REQUEST {
                return Err(bad(format!(
                    "addRooms takes 1 to {MAX_ROOMS_PER_REQUEST} rooms"
                )));
            }
            let specs = rooms
                .iter()
                .map(|r| {
                    let coord = RoomCoord::parse(&r.room)
                        .ok_or_else(|| bad(format!("{:?} is not a room name", r.room)))?;
                    Ok(RoomSpec {
                        coord,
                        status: status_of(r.status.as_deref())?,
                    })
                })
                .collect::<ApiResult<Vec<_>>>()?;
            Ok(AdminEdit::AddRooms(specs))
        }
        (None, Some(g)) => {
            let milli = g.credits * 1000.0;
            if !(milli.is_finite() && milli >= 1.0 && milli <= 1e15) {
                return Err(bad("credits must be a positive number (at most 10^12)"));
            }
            Ok(AdminEdit::GrantCredits {
                username: g.username,
                milli: milli.round() as u64,
            })
        }
        _ => Err(bad("give exactly one of addRooms or grantCredits")),
    }
}

pub(crate) async fn edit_world(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    require_admin(&s, &headers)?;
    let edit = edit_of(parse(&body)?)?;
    s.command(|reply| Command::EditWorld { edit, reply })
        .await?;
    Ok(Json(json!({ "ok": 1 })))
}
