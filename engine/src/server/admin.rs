//! The operator's routes, behind the admin token (`serve --admin-token-file`):
//! `POST /api/admin/world` edits the running world between ticks.
//!
//! Body: `{"addRooms": [{"room": "E40S40", "status": "novice"}]}` (status defaults to
//! normal; places already on the map are skipped) or
//! `{"grantCredits": {"username": "alice", "credits": 12.5}}`. The edit is snapshotted and
//! recorded like a player joining, so recovery and replays see it.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use isoshard_world::{RoomCoord, RoomSpec, RoomStatus};
use serde::Deserialize;
use serde_json::json;

use super::api::{bad, parse, ApiError, ApiResult, AppState};
use super::auth::constant_time_eq;
use super::shard_thread::{AdminEdit, Command};

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
    if !is_admin(&s, &headers) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "an admin token is required",
        ));
    }
    let edit = edit_of(parse(&body)?)?;
    s.command(|reply| Command::EditWorld { edit, reply })
        .await?;
    Ok(Json(json!({ "ok": 1 })))
}
