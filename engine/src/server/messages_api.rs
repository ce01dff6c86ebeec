//! A player's badge and messages between players, with the shapes of screeps/backend-local
//! (`api/user.js` `POST /badge`, `api/user-messages.js`). The socket pushes new messages on
//! `user:<id>/newMessage` and `user:<id>/message:<respondent>` (`socket.rs`).

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::api::{bad, parse, ApiResult, AppState};
use super::shard_thread::{AccountOp, AccountView, Command};
use crate::storage::Badge;
use isoshard_world::PlayerId;

/// Messages `/api/user/messages/list` shows per respondent (Screeps' limit).
const LIST_LIMIT: usize = 100;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/user/badge", post(set_badge))
        .route("/api/user/messages/send", post(send))
        .route("/api/user/messages/list", get(list))
        .route("/api/user/messages/index", get(index))
        .route("/api/user/messages/mark-read", post(mark_read))
        .route("/api/user/messages/unread-count", get(unread_count))
}

async fn account_op(s: &AppState, me: &AccountView, op: AccountOp) -> ApiResult {
    let player = PlayerId(me.id);
    s.command(|reply| Command::Account { player, op, reply })
        .await?;
    Ok(Json(json!({ "ok": 1 })))
}

#[derive(Deserialize)]
struct BadgeBody {
    badge: Value,
}

/// A `#rrggbb` colour, as Screeps' `/^#[a-f0-9]{6}/i` (which also takes a longer string).
fn color(v: &Value) -> Option<String> {
    let c = v.as_str()?;
    let hex = c.strip_prefix('#')?.get(..6)?;
    hex.chars()
        .all(|d| d.is_ascii_hexdigit())
        .then(|| format!("#{}", hex.to_ascii_lowercase()))
}

/// Screeps' checks: a pattern 1..=24 (custom badges are not offered here), three colours, a
/// parameter in -100..=100.
fn badge_of(v: &Value) -> Option<Badge> {
    let pattern = v.get("type")?.as_u64().filter(|t| (1..=24).contains(t))?;
    let param = match v.get("param")? {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    if !(-100.0..=100.0).contains(&param) {
        return None;
    }
    let colors = [
        color(v.get("color1")?)?,
        color(v.get("color2")?)?,
        color(v.get("color3")?)?,
    ];
    let flip = v.get("flip").is_some_and(|f| match f {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => !s.is_empty(),
        _ => false,
    });
    Some(Badge {
        pattern: pattern as u8,
        colors,
        param,
        flip,
    })
}

async fn set_badge(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let b: BadgeBody = parse(&body)?;
    let badge = badge_of(&b.badge).ok_or_else(|| bad("invalid params"))?;
    account_op(&s, &me, AccountOp::SetBadge(badge)).await
}

#[derive(Deserialize)]
struct SendBody {
    respondent: Value,
    text: Value,
}

async fn send(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let b: SendBody = parse(&body)?;
    let text = b
        .text
        .as_str()
        .filter(|t| t.encode_utf16().count() <= crate::shard::MESSAGE_TEXT_LIMIT)
        .ok_or_else(|| bad("text too long"))?
        .to_string();
    let to = b
        .respondent
        .as_str()
        .and_then(|r| r.parse::<u32>().ok())
        .filter(|id| *id != me.id && s.now().accounts.values().any(|a| a.id == *id))
        .ok_or_else(|| bad("invalid respondent"))?;
    s.limits.message(me.id)?;
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let op = AccountOp::SendMessage {
        to: PlayerId(to),
        text,
        now_ms,
    };
    account_op(&s, &me, op).await
}

#[derive(Deserialize)]
struct ListQuery {
    respondent: Option<String>,
}

/// The last 100 messages with one respondent, oldest first.
async fn list(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let with = q.respondent.unwrap_or_default();
    let mut messages: Vec<Value> = me
        .messages
        .iter()
        .rev()
        .filter(|m| m.respondent.to_string() == with)
        .take(LIST_LIMIT)
        .map(|m| m.to_json(me.id))
        .collect();
    messages.reverse();
    Ok(Json(json!({ "ok": 1, "messages": messages })))
}

/// The newest message with each respondent, newest first, and who they are.
async fn index(State(s): State<AppState>, headers: HeaderMap) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let p = s.now();
    let mut messages = Vec::new();
    let mut users = Map::new();
    for m in me.messages.iter().rev() {
        let id = m.respondent.to_string();
        if users.contains_key(&id) {
            continue;
        }
        users.insert(id.clone(), user_of(&p, &id));
        messages.push(json!({ "_id": id, "message": m.to_json(me.id) }));
    }
    Ok(Json(
        json!({ "ok": 1, "messages": messages, "users": users }),
    ))
}

/// Id, name and badge of a player (a respondent who has left reads as `null` name).
fn user_of(p: &super::shard_thread::Published, id: &str) -> Value {
    let doc = super::socket::user_doc(p, id);
    json!({ "_id": id, "username": doc["username"], "badge": doc["badge"] })
}

#[derive(Deserialize)]
struct MarkReadBody {
    id: Value,
}

async fn mark_read(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let b: MarkReadBody = parse(&body)?;
    let id = b.id.as_str().ok_or_else(|| bad("invalid id"))?.to_string();
    account_op(&s, &me, AccountOp::MarkMessageRead { id }).await
}

async fn unread_count(State(s): State<AppState>, headers: HeaderMap) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let count = me
        .messages
        .iter()
        .filter(|m| !m.outgoing && m.unread)
        .count();
    Ok(Json(json!({ "ok": 1, "count": count })))
}

/// What one socket connection has shown of its player's mailbox, so each publish pushes only
/// what changed: a new message on `message:<respondent>` (and `newMessage` when it came in),
/// a message read as `{_id, unread: false}` (Screeps' socket events).
#[derive(Default)]
pub(crate) struct MailboxWatch {
    shown: Option<std::sync::Arc<[crate::storage::StoredMessage]>>,
    unread: std::collections::BTreeMap<String, bool>,
}

impl MailboxWatch {
    /// Starts from the mailbox as it is: what is already there is not pushed.
    pub(crate) fn baseline(acct: &AccountView) -> Self {
        let mut watch = MailboxWatch::default();
        watch.remember(acct);
        watch
    }

    fn remember(&mut self, acct: &AccountView) {
        self.unread = acct
            .messages
            .iter()
            .map(|m| (m.id.clone(), m.unread))
            .collect();
        self.shown = Some(acct.messages.clone());
    }

    /// `(channel, data)` events for what changed since the last call, on the channels
    /// `subscribed` says the connection watches.
    pub(crate) fn changes(
        &mut self,
        acct: &AccountView,
        subscribed: impl Fn(&str) -> bool,
    ) -> Vec<(String, Value)> {
        if self
            .shown
            .as_ref()
            .is_some_and(|s| std::sync::Arc::ptr_eq(s, &acct.messages))
        {
            return Vec::new();
        }
        let me = acct.id;
        let mut events = Vec::new();
        for m in acct.messages.iter() {
            let channel = format!("user:{me}/message:{}", m.respondent);
            let update = match self.unread.get(&m.id) {
                None => Some(json!({ "message": m.to_json(me) })),
                Some(was) if *was && !m.unread => {
                    Some(json!({ "message": { "_id": m.id, "unread": false } }))
                }
                Some(_) => None,
            };
            let Some(data) = update else { continue };
            let is_new = !self.unread.contains_key(&m.id);
            if subscribed(&channel) {
                events.push((channel, data.clone()));
            }
            let new_message = format!("user:{me}/newMessage");
            if is_new && !m.outgoing && subscribed(&new_message) {
                events.push((new_message, data));
            }
        }
        self.remember(acct);
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges_are_checked_as_screeps_checks_them() {
        let good = json!({"type": 3, "color1": "#AABBCC", "color2": "#000000", "color3": "#ffffffff", "param": "-40", "flip": 1});
        let b = badge_of(&good).expect("valid");
        assert_eq!(b.colors[0], "#aabbcc");
        assert_eq!(b.colors[2], "#ffffff");
        assert_eq!(b.param, -40.0);
        assert!(b.flip);
        for bad in [
            json!({"type": 0, "color1": "#000000", "color2": "#000000", "color3": "#000000", "param": 0}),
            json!({"type": 25, "color1": "#000000", "color2": "#000000", "color3": "#000000", "param": 0}),
            json!({"type": {"path1": "M0"}, "color1": "#000000", "color2": "#000000", "color3": "#000000", "param": 0}),
            json!({"type": 1, "color1": "red", "color2": "#000000", "color3": "#000000", "param": 0}),
            json!({"type": 1, "color1": "#000000", "color2": "#000000", "color3": "#000000", "param": 101}),
            json!({"type": 1, "color1": "#000000", "color2": "#000000", "color3": "#000000"}),
        ] {
            assert!(badge_of(&bad).is_none(), "{bad}");
        }
    }
}
