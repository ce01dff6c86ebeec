//! A player's own API tokens (`/api/user/tokens`): list them, create a named one (optionally
//! expiring; the secret is shown once), revoke one by id. Signed in by any live token of the
//! account or by password (Basic auth).
//!
//! - `GET /api/user/tokens` → `{ok, tokens: [{id, name, created, expires}]}` (unix seconds);
//! - `POST /api/user/tokens {"name": "deploy", "expiresInDays": 90}` → `{ok, token, id}`;
//! - `POST /api/user/tokens/revoke {"id": "…"}` and `DELETE /api/user/tokens/{id}` → `{ok}`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::api::{bad, parse, ApiResult, AppState};
use super::auth::token_hash;
use super::shard_thread::{AccountOp, Command};

/// Longest a token name may be.
const MAX_NAME: usize = 64;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/user/tokens", get(list).post(create))
        .route("/api/user/tokens/revoke", post(revoke_by_body))
        .route("/api/user/tokens/{id}", delete(revoke_by_path))
}

async fn list(State(s): State<AppState>, headers: HeaderMap) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let now = crate::shard::unix_now();
    let tokens: Vec<_> = me
        .tokens
        .iter()
        .filter(|t| t.is_live(now))
        .map(
            |t| json!({ "id": t.id(), "name": t.name, "created": t.created, "expires": t.expires }),
        )
        .collect();
    Ok(Json(json!({ "ok": 1, "tokens": tokens })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CreateBody {
    name: String,
    expires_in_days: Option<u64>,
}

async fn create(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let b: CreateBody = parse(&body)?;
    let name = b.name.trim().to_string();
    if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        return Err(bad(format!(
            "a token name is 1 to {MAX_NAME} printable characters"
        )));
    }
    if name == crate::shard::SIGN_IN_TOKEN {
        return Err(bad("\"sign-in\" names the tokens sign-in hands out"));
    }
    if b.expires_in_days == Some(0) || b.expires_in_days.is_some_and(|d| d > 3650) {
        return Err(bad(
            "expiresInDays is 1 to 3650 (leave it out for no expiry)",
        ));
    }
    let op = AccountOp::CreateToken {
        name,
        expires_in_days: b.expires_in_days,
    };
    let player = isoshard_world::PlayerId(me.id);
    let token = s
        .command(|reply| Command::Account { player, op, reply })
        .await?;
    let id = token_hash(&token)[..16].to_string();
    Ok(Json(json!({ "ok": 1, "token": token, "id": id })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RevokeBody {
    id: String,
}

async fn revoke(s: AppState, headers: HeaderMap, id: String) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let player = isoshard_world::PlayerId(me.id);
    let op = AccountOp::RevokeToken { id };
    s.command(|reply| Command::Account { player, op, reply })
        .await?;
    Ok(Json(json!({ "ok": 1 })))
}

async fn revoke_by_body(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let b: RevokeBody = parse(&body)?;
    revoke(s, headers, b.id).await
}

async fn revoke_by_path(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    revoke(s, headers, id).await
}
