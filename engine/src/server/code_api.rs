//! A player's code and its branches through the Screeps API (backend-local
//! `lib/game/api/user.js`): `/api/user/code` per branch (`$activeWorld` names the running
//! one), `branches`, `clone-branch`, `set-active-branch`, `delete-branch`. What
//! rollup-plugin-screeps, grunt-screeps and the client's script editor call.
//!
//! There is no simulation on a shard: the active branch is reported active for both world
//! and simulation, and choosing a simulation branch is refused with a clear error.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use isoshard_world::PlayerId;
use serde::Deserialize;
use serde_json::{json, Value};

use super::api::{bad, modules_of, parse, ApiResult, AppState, CodeBody};
use super::shard_thread::{BranchOp, BranchReply, Command};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/user/code", post(post_code).get(get_code))
        .route("/api/user/branches", get(branches))
        .route("/api/user/clone-branch", post(clone_branch))
        .route("/api/user/set-active-branch", post(set_active_branch))
        .route("/api/user/delete-branch", post(delete_branch))
}

async fn branch(s: &AppState, player: u32, op: BranchOp) -> ApiResult<BranchReply> {
    s.command(|reply| Command::Branch {
        player: PlayerId(player),
        op,
        reply,
    })
    .await
}

fn now_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

/// Uploads to a branch (default `$activeWorld`); a branch that does not exist is refused,
/// as Screeps refuses it.
async fn post_code(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let body: CodeBody = parse(&body)?;
    let name = body.branch.clone().unwrap_or_else(|| "$activeWorld".into());
    if name.chars().count() > 64 {
        return Err(bad("branch name too long"));
    }
    let code = modules_of(body)?;
    s.limits.upload(me.id)?;
    branch(&s, me.id, BranchOp::Write { branch: name, code }).await?;
    Ok(Json(json!({ "ok": 1, "timestamp": now_ms() as u64 })))
}

#[derive(Deserialize)]
struct BranchQuery {
    branch: Option<String>,
}

async fn get_code(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<BranchQuery>,
) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let name = q.branch.unwrap_or_else(|| "$activeWorld".into());
    let BranchReply::Code(Some(code)) = branch(&s, me.id, BranchOp::Read(name.clone())).await?
    else {
        return Err(bad("no code"));
    };
    let shown = if name.starts_with('$') {
        match branch(&s, me.id, BranchOp::List).await? {
            BranchReply::List(l) => l.active,
            _ => name,
        }
    } else {
        name
    };
    Ok(Json(
        json!({ "ok": 1, "branch": shown, "modules": code.modules }),
    ))
}

/// Every branch by name; the running one is `activeWorld` (and `activeSim`). Unlike
/// Screeps, the list does not carry each branch's modules: `GET /api/user/code?branch=`
/// reads one.
async fn branches(State(s): State<AppState>, headers: HeaderMap) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let BranchReply::List(list) = branch(&s, me.id, BranchOp::List).await? else {
        return Err(bad("no branches"));
    };
    let items: Vec<Value> = list
        .names
        .iter()
        .map(|n| {
            let active = *n == list.active;
            let modules = list.modules.get(n).cloned().unwrap_or_default();
            json!({ "_id": format!("{}-{n}", me.id), "branch": n, "activeWorld": active, "activeSim": active, "user": me.id.to_string(), "modules": modules })
        })
        .collect();
    Ok(Json(json!({ "ok": 1, "list": items })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CloneBody {
    branch: Option<String>,
    new_name: String,
    default_modules: Option<std::collections::BTreeMap<String, Value>>,
}

async fn clone_branch(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let body: CloneBody = parse(&body)?;
    let default = match body.default_modules {
        Some(modules) => Some(modules_of(CodeBody {
            modules,
            branch: None,
        })?),
        None => None,
    };
    s.limits.upload(me.id)?;
    // Screeps clones from a branch only when one is named (rollup-plugin-screeps sends "").
    let op = BranchOp::Clone {
        from: body.branch.filter(|b| !b.is_empty()),
        new_name: body.new_name,
        default,
    };
    branch(&s, me.id, op).await?;
    Ok(Json(json!({ "ok": 1, "timestamp": now_ms() as u64 })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ActiveBody {
    branch: String,
    active_name: String,
}

async fn set_active_branch(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let body: ActiveBody = parse(&body)?;
    match body.active_name.as_str() {
        "activeWorld" => {}
        "activeSim" => return Err(bad("this server has no simulation to run a branch in")),
        _ => return Err(bad("invalid params")),
    }
    branch(&s, me.id, BranchOp::SetActive(body.branch)).await?;
    Ok(Json(json!({ "ok": 1 })))
}

#[derive(Deserialize)]
struct DeleteBody {
    branch: String,
}

async fn delete_branch(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let body: DeleteBody = parse(&body)?;
    branch(&s, me.id, BranchOp::Delete(body.branch)).await?;
    Ok(Json(json!({ "ok": 1, "timestamp": now_ms() as u64 })))
}
