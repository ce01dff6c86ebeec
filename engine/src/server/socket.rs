//! `/socket`: the Screeps server's socket, which the Screeps client, screeps-api and
//! screeps-multimeter speak (screeps/backend-local `lib/game/socket/*.js`). Both forms the
//! client accepts: SockJS framing over a WebSocket (`/socket/{server}/{session}/websocket`,
//! with `/socket/info`) and the raw WebSocket (`/socket/websocket`).
//!
//! The server greets with `time <ms>` and `protocol 14`; the client sends `auth <token>`,
//! `subscribe <channel>`, `unsubscribe <channel>` and `gzip on|off`. Channels: `room:<name>`
//! (the room's objects, then Screeps' diffs), `roomMap2:<name>` (the world map's positions by
//! kind and owner, `map_view.rs`), `user:<id>/console`, `/cpu`, `/memory/<path>`,
//! `/code`, `/set-active-branch`, `/resources`, `/newMessage` and `/message:<respondent>`
//! (`messages_api.rs`; a player's own only), and
//! `server-message` (accepted; a shard has no server messages to send). Updates other than the console
//! go out at most every [`UPDATE_THROTTLE`], as Screeps' `socketUpdateThrottle`; a player
//! watches at most [`ROOMS_PER_USER`] rooms at a time over all their connections, as Screeps'
//! `USER_LIMIT` (screeps/backend-local `socket/rooms.js`).
//!
//! Bounded per connection: a send that does not complete within `stream::SEND_TIMEOUT` drops
//! the client, incoming messages are capped in size and count, and the connection counts
//! against the same caps as `/api/stream`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine as _;
use serde_json::{json, Map, Value};
use tokio::sync::broadcast;

use super::api::{ApiError, AppState};
use super::map_view::map_view;
use super::screeps_objects::{diff, room_objects, UserIds};
use super::shard_thread::{Announcement, Published};
use super::stream::SEND_TIMEOUT;

/// Screeps' `socketUpdateThrottle`: room, CPU and Memory updates at most this often.
pub const UPDATE_THROTTLE: Duration = Duration::from_millis(200);
/// Screeps' `USER_LIMIT`: rooms one user watches at once, over all their connections.
pub const ROOMS_PER_USER: usize = 2;

/// How many rooms each user watches, over all their connections.
#[derive(Default)]
pub(crate) struct RoomWatchers(parking_lot::Mutex<BTreeMap<u32, usize>>);

impl RoomWatchers {
    /// Counts one more room for `user`, unless they watch [`ROOMS_PER_USER`] already.
    fn try_add(&self, user: u32) -> bool {
        let mut watched = self.0.lock();
        let n = watched.entry(user).or_default();
        if *n >= ROOMS_PER_USER {
            return false;
        }
        *n += 1;
        true
    }

    fn remove(&self, user: u32, rooms: usize) {
        let mut watched = self.0.lock();
        if let Some(n) = watched.get_mut(&user) {
            *n = n.saturating_sub(rooms);
            if *n == 0 {
                watched.remove(&user);
            }
        }
    }
}
/// Memory paths one connection watches (Screeps sends the first 50 of a user's).
pub const MEMORY_PATHS_PER_CONNECTION: usize = 50;
/// Subscriptions of any kind per connection.
pub const SUBSCRIPTIONS_PER_CONNECTION: usize = 64;
/// Largest message a client may send.
pub const MAX_CLIENT_MESSAGE: usize = 16 * 1024;
/// Failed `auth` attempts before the connection is closed.
const MAX_FAILED_AUTHS: u32 = 5;
/// SockJS heartbeat.
const HEARTBEAT: Duration = Duration::from_secs(25);

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/socket/info", get(info))
        .route("/socket/websocket", get(raw))
        .route("/socket/{server}/{session}/websocket", get(sockjs))
}

/// SockJS' info: WebSocket transport, no cookies.
async fn info() -> Json<Value> {
    let entropy = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    Json(
        json!({ "websocket": true, "origins": ["*:*"], "cookie_needed": false, "entropy": entropy }),
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Framing {
    Raw,
    SockJs,
}

async fn raw(
    State(s): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ws: WebSocketUpgrade,
) -> Response {
    open(s, peer, ws, Framing::Raw)
}

async fn sockjs(
    State(s): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path((server, session)): Path<(String, String)>,
    ws: WebSocketUpgrade,
) -> Response {
    // SockJS: the server id is a short number, the session id has no dots.
    let server_ok = !server.is_empty() && server.len() <= 8;
    let session_ok = !session.is_empty() && session.len() <= 64 && !session.contains('.');
    if !server_ok || !session_ok {
        return ApiError::new(StatusCode::NOT_FOUND, "no such socket session").into_response();
    }
    open(s, peer, ws, Framing::SockJs)
}

fn open(s: AppState, peer: SocketAddr, ws: WebSocketUpgrade, framing: Framing) -> Response {
    let Some(slot) = s.streams.take(Some(peer.ip())) else {
        return ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many open sockets; try again later",
        )
        .into_response();
    };
    let rx = s.announce.subscribe();
    ws.max_message_size(MAX_CLIENT_MESSAGE)
        .on_upgrade(move |socket| async move {
            Connection::new(s, framing).run(socket, rx).await;
            drop(slot);
        })
}

/// One client's state.
struct Connection {
    state: AppState,
    framing: Framing,
    user: Option<u32>,
    failed_auths: u32,
    gzip: bool,
    subs: BTreeSet<String>,
    /// The room objects last sent, per watched room (diffs are against them).
    rooms: BTreeMap<String, Map<String, Value>>,
    /// Rooms watched on the world map (`roomMap2:<room>`).
    map_rooms: BTreeSet<String>,
    /// User ids whose names this connection has been sent.
    users_sent: BTreeSet<String>,
    /// The code version and active branch last sent on `user:<id>/code` and
    /// `/set-active-branch`.
    code_seen: u64,
    branch_seen: String,
    mailbox: super::messages_api::MailboxWatch,
    last_update: Option<Instant>,
    /// Messages to send, in order.
    out: Vec<String>,
}

enum Flow {
    Continue,
    Close,
}

impl Connection {
    fn new(state: AppState, framing: Framing) -> Self {
        Connection {
            state,
            framing,
            user: None,
            failed_auths: 0,
            gzip: false,
            subs: BTreeSet::new(),
            rooms: BTreeMap::new(),
            map_rooms: BTreeSet::new(),
            users_sent: BTreeSet::new(),
            code_seen: 0,
            branch_seen: String::new(),
            mailbox: Default::default(),
            last_update: None,
            out: Vec::new(),
        }
    }

    async fn run(mut self, mut socket: WebSocket, mut rx: broadcast::Receiver<Announcement>) {
        let stopping = self.state.stopping.clone();
        if self.framing == Framing::SockJs && send(&mut socket, "o".into()).await.is_err() {
            return;
        }
        let now_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        self.out.push(format!("time {now_ms}"));
        self.out.push("protocol 14".into());
        let mut heartbeat = tokio::time::interval(HEARTBEAT);
        heartbeat.tick().await;
        loop {
            if self.flush(&mut socket).await.is_err() {
                return;
            }
            tokio::select! {
                incoming = socket.recv() => match incoming {
                    Some(Ok(Message::Text(text))) => {
                        if let Flow::Close = self.on_message(&text) {
                            let _ = self.flush(&mut socket).await;
                            return;
                        }
                    }
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                    Some(Ok(_)) => {}
                },
                announced = rx.recv() => match announced {
                    Ok(a) => self.on_tick(&a),
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                _ = heartbeat.tick(), if self.framing == Framing::SockJs => {
                    if send(&mut socket, "h".into()).await.is_err() {
                        return;
                    }
                }
                () = crate::http_serve::stopped(stopping.clone()) => {
                    let close = CloseFrame { code: 1001, reason: "server shutting down".into() };
                    let _ = tokio::time::timeout(Duration::from_secs(1), socket.send(Message::Close(Some(close)))).await;
                    return;
                }
            }
        }
    }

    /// Sends what is queued: one frame per message (raw), or one SockJS `a[…]` frame.
    async fn flush(&mut self, socket: &mut WebSocket) -> Result<(), ()> {
        if self.out.is_empty() {
            return Ok(());
        }
        let messages: Vec<String> = std::mem::take(&mut self.out)
            .into_iter()
            .map(|m| if self.gzip { gzipped(m) } else { m })
            .collect();
        match self.framing {
            Framing::Raw => {
                for m in messages {
                    send(socket, m).await?;
                }
                Ok(())
            }
            Framing::SockJs => send(socket, format!("a{}", Value::from(messages))).await,
        }
    }

    fn on_message(&mut self, text: &str) -> Flow {
        let commands: Vec<String> = match self.framing {
            Framing::Raw => vec![text.to_string()],
            // SockJS clients send a JSON array of strings (or one string); anything else is
            // a broken client, and SockJS closes on it.
            Framing::SockJs => match serde_json::from_str::<Value>(text) {
                Ok(Value::Array(items)) if items.iter().all(Value::is_string) => items
                    .into_iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect(),
                Ok(Value::String(one)) => vec![one],
                _ => return Flow::Close,
            },
        };
        for command in commands.iter().take(SUBSCRIPTIONS_PER_CONNECTION) {
            if let Flow::Close = self.on_command(command.trim()) {
                return Flow::Close;
            }
        }
        Flow::Continue
    }

    fn on_command(&mut self, command: &str) -> Flow {
        if let Some(token) = command.strip_prefix("auth ") {
            match self.state.caller(&HeaderMap::new(), Some(token.trim())) {
                Ok(account) => {
                    if self.user.is_some_and(|u| u != account.id) {
                        self.release_rooms();
                    }
                    self.user = Some(account.id);
                    self.code_seen = account.code_version;
                    self.branch_seen = account.active_branch.clone();
                    self.mailbox = super::messages_api::MailboxWatch::baseline(&account);
                    self.out.push(format!("auth ok {}", token.trim()));
                }
                Err(_) => {
                    self.out.push("auth failed".into());
                    self.failed_auths += 1;
                    if self.failed_auths >= MAX_FAILED_AUTHS {
                        return Flow::Close;
                    }
                }
            }
        } else if let Some(channel) = command.strip_prefix("subscribe ") {
            self.subscribe(channel.trim());
        } else if let Some(channel) = command.strip_prefix("unsubscribe ") {
            let channel = channel.trim();
            self.subs.remove(channel);
            if let Some(room) = channel.strip_prefix("room:") {
                if self.rooms.remove(room).is_some() {
                    if let Some(me) = self.user {
                        self.state.room_watchers.remove(me, 1);
                    }
                }
            }
            if let Some(room) = channel.strip_prefix("roomMap2:") {
                self.map_rooms.remove(room);
            }
        } else if command == "gzip on" {
            self.gzip = true;
        } else if command == "gzip off" {
            self.gzip = false;
        }
        Flow::Continue
    }

    /// Adds a channel the client may watch; as Screeps, a channel it may not is ignored.
    fn subscribe(&mut self, channel: &str) {
        if self.subs.contains(channel) || self.subs.len() >= SUBSCRIPTIONS_PER_CONNECTION {
            return;
        }
        let p = self.state.now();
        if channel == "server-message" {
            self.subs.insert(channel.into());
            return;
        }
        let Some(me) = self.user else { return };
        if let Some(room) = channel.strip_prefix("room:") {
            if !p.terrain.contains_key(room) {
                return;
            }
            if !self.state.room_watchers.try_add(me) {
                self.out.push(event(
                    &format!("err@room:{room}"),
                    json!("subscribe limit reached"),
                ));
                return;
            }
            self.subs.insert(channel.into());
            self.rooms.insert(room.into(), Map::new());
            self.send_room(&p, room);
            return;
        }
        if let Some(room) = channel.strip_prefix("roomMap2:") {
            if p.terrain.contains_key(room) {
                self.subs.insert(channel.into());
                self.map_rooms.insert(room.into());
                self.send_map_room(&p, room);
            }
            return;
        }
        let Some(rest) = channel.strip_prefix(&format!("user:{me}/")) else {
            return;
        };
        let memory_paths = self.subs.iter().filter(|c| c.contains("/memory/")).count();
        let allowed = match rest {
            "console" | "cpu" | "code" | "resources" | "set-active-branch" | "newMessage" => true,
            r if r.starts_with("memory/") => memory_paths < MEMORY_PATHS_PER_CONNECTION,
            r => r.starts_with("message:"),
        };
        if !allowed {
            return;
        }
        self.subs.insert(channel.into());
        if rest == "cpu" {
            let memory = account(&p, me).map_or(0, |a| a.memory.len());
            self.out
                .push(event(channel, json!({ "cpu": 0, "memory": memory })));
        }
    }

    fn on_tick(&mut self, a: &Announcement) {
        let Some(me) = self.user else { return };
        let console = format!("user:{me}/console");
        if self.subs.contains(&console) {
            let log = a.console.get(&me).cloned().unwrap_or_default();
            let results = a.results.get(&me).cloned().unwrap_or_default();
            if !log.is_empty() || !results.is_empty() {
                self.out.push(event(
                    &console,
                    json!({ "messages": { "log": log, "results": results } }),
                ));
            }
        }
        if self
            .last_update
            .is_some_and(|t| t.elapsed() < UPDATE_THROTTLE)
        {
            return;
        }
        self.last_update = Some(Instant::now());
        let p = self.state.now();
        let rooms: Vec<String> = self.rooms.keys().cloned().collect();
        for room in rooms {
            self.send_room(&p, &room);
        }
        let map_rooms: Vec<String> = self.map_rooms.iter().cloned().collect();
        for room in map_rooms {
            self.send_map_room(&p, &room);
        }
        self.send_user_channels(&p, me);
    }

    fn send_user_channels(&mut self, p: &Published, me: u32) {
        let Some(acct) = account(p, me) else { return };
        let subs = &self.subs;
        for (channel, data) in self.mailbox.changes(acct, |c| subs.contains(c)) {
            self.out.push(event(&channel, data));
        }
        let prefix = format!("user:{me}/");
        let mut memory: Option<Value> = None;
        let channels: Vec<String> = self
            .subs
            .iter()
            .filter(|c| c.starts_with(&prefix))
            .cloned()
            .collect();
        for channel in channels {
            let rest = &channel[prefix.len()..];
            if rest == "cpu" {
                let cpu = acct.cpu_used_ms.ceil() as u64;
                let message = json!({ "cpu": cpu, "memory": acct.memory.len() });
                self.out.push(event(&channel, message));
            } else if rest == "code" && acct.code_version != self.code_seen {
                self.code_seen = acct.code_version;
                let message = json!({ "branch": acct.active_branch, "modules": acct.code.modules, "timestamp": acct.code_version, "hash": Value::Null });
                self.out.push(event(&channel, message));
            } else if rest == "set-active-branch" && acct.active_branch != self.branch_seen {
                self.branch_seen = acct.active_branch.clone();
                let message = json!({ "activeName": "activeWorld", "branch": acct.active_branch });
                self.out.push(event(&channel, message));
            } else if rest == "resources" {
                // Screeps: the account's resources with the credits in whole units.
                let mut message = json!(acct.resources);
                message["credits"] = json!(acct.credits_milli as f64 / 1000.0);
                self.out.push(event(&channel, message));
            } else if let Some(path) = rest.strip_prefix("memory/") {
                let root = memory.get_or_insert_with(|| {
                    serde_json::from_str(&acct.memory).unwrap_or_else(|_| json!({}))
                });
                self.out
                    .push(event(&channel, json!(memory_text(root, path))));
            }
        }
    }

    /// Stops watching every room (the connection ends, or another user signs in on it).
    fn release_rooms(&mut self) {
        if let Some(me) = self.user {
            self.state.room_watchers.remove(me, self.rooms.len());
        }
        for room in std::mem::take(&mut self.rooms).into_keys() {
            self.subs.remove(&format!("room:{room}"));
        }
    }

    /// The world map's view of `room` (whole each time, as Screeps sends it).
    fn send_map_room(&mut self, p: &Published, room: &str) {
        let view = match p.rooms.get(room) {
            Some(view) => {
                let by_name: BTreeMap<String, u32> = p
                    .accounts
                    .values()
                    .map(|a| (a.name.clone(), a.id))
                    .collect();
                map_view(&room_objects(view, p.tick, &UserIds { by_name: &by_name }))
            }
            None => json!({}),
        };
        self.out.push(event(&format!("roomMap2:{room}"), view));
    }

    /// The room's objects as a diff against what this connection last got (all of them the
    /// first time), with the names of users it has not been sent yet.
    fn send_room(&mut self, p: &Published, room: &str) {
        let Some(view) = p.rooms.get(room) else {
            return;
        };
        let by_name: BTreeMap<String, u32> = p
            .accounts
            .values()
            .map(|a| (a.name.clone(), a.id))
            .collect();
        let objects = room_objects(view, p.tick, &UserIds { by_name: &by_name });
        let before = self.rooms.get(room).cloned().unwrap_or_default();
        let changes = diff(&before, &objects);
        let mut users = Map::new();
        for o in objects.values() {
            let Some(id) = o.get("user").and_then(Value::as_str) else {
                continue;
            };
            if self.users_sent.insert(id.to_string()) {
                users.insert(id.to_string(), user_doc(p, id));
            }
        }
        let mut message =
            json!({ "objects": changes, "gameTime": p.tick, "info": { "mode": "world" } });
        if let Some(flags) = self
            .user
            .and_then(|me| account(p, me))
            .and_then(|a| room_flags(&a.flags_json, room))
        {
            message["flags"] = json!(flags);
        }
        if !users.is_empty() {
            message["users"] = Value::Object(users);
        }
        self.rooms.insert(room.to_string(), objects);
        self.out.push(event(&format!("room:{room}"), message));
    }
}

impl Drop for Connection {
    /// A closed connection's rooms count against its user no more.
    fn drop(&mut self) {
        self.release_rooms();
    }
}

/// The player's flags in `room` as Screeps stores them for the client: `name~color~
/// secondaryColor~x~y` joined by `|`, with `|` and `~` in names escaped as `$VLINE$` and
/// `$TILDE$` (screeps/engine `processor/intents/room/create-flag.js`); `None` without any.
fn room_flags(flags_json: &str, room: &str) -> Option<String> {
    let flags: Vec<Value> = serde_json::from_str(flags_json).ok()?;
    let here: Vec<String> = flags
        .iter()
        .filter(|f| f[3] == room)
        .map(|f| {
            let name = f[0]
                .as_str()
                .unwrap_or("")
                .replace('|', "$VLINE$")
                .replace('~', "$TILDE$");
            format!("{name}~{}~{}~{}~{}", f[1], f[2], f[4], f[5])
        })
        .collect();
    (!here.is_empty()).then(|| here.join("|"))
}

fn account(p: &Published, id: u32) -> Option<&super::shard_thread::AccountView> {
    p.accounts.values().find(|a| a.id == id)
}

/// A user as Screeps' room messages and room objects list them (NPCs by their fixed ids).
pub(crate) fn user_doc(p: &Published, id: &str) -> Value {
    let player = id.parse().ok().and_then(|n| account(p, n));
    let name = match id {
        "2" => Some("Invader".to_string()),
        "3" => Some("Source Keeper".to_string()),
        _ => player.map(|a| a.name.clone()),
    };
    let badge = player.map_or_else(|| json!({}), |a| a.badge_json());
    json!({ "_id": id, "username": name, "badge": badge })
}

/// `[channel, data]` as Screeps writes it.
fn event(channel: &str, data: Value) -> String {
    json!([channel, data]).to_string()
}

/// `"" + Memory.a.b` as Screeps' socket sends it, or its error text.
fn memory_text(root: &Value, path: &str) -> String {
    let mut at = Some(root);
    for part in path.split('.') {
        at = match at {
            None => return "Incorrect memory path".into(),
            Some(Value::Object(m)) => m.get(part),
            Some(Value::Array(a)) => part.parse::<usize>().ok().and_then(|i| a.get(i)),
            Some(_) => None,
        };
    }
    at.map_or_else(|| "undefined".into(), js_string)
}

/// JavaScript's `String(value)` for JSON values.
fn js_string(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|i| {
                if i.is_null() {
                    String::new()
                } else {
                    js_string(i)
                }
            })
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(_) => "[object Object]".into(),
    }
}

/// Screeps' `gzip on`: `gz:` + base64 of the zlib-deflated message, when shorter.
fn gzipped(message: String) -> String {
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let _ = enc.write_all(message.as_bytes());
    let packed = format!(
        "gz:{}",
        base64::engine::general_purpose::STANDARD.encode(enc.finish().unwrap_or_default())
    );
    if packed.len() < message.len() {
        packed
    } else {
        message
    }
}

async fn send(socket: &mut WebSocket, text: String) -> Result<(), ()> {
    match tokio::time::timeout(SEND_TIMEOUT, socket.send(Message::Text(text.into()))).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) => Err(()),
        Err(_) => {
            tracing::info!("socket client dropped: it did not read for {SEND_TIMEOUT:?}");
            Err(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_paths_read_as_screeps_socket_prints_them() {
        let root = json!({ "a": { "b": 5, "list": [1, null, "x"], "o": {} }, "s": "text" });
        assert_eq!(memory_text(&root, "a.b"), "5");
        assert_eq!(memory_text(&root, "a.list"), "1,,x");
        assert_eq!(memory_text(&root, "a.o"), "[object Object]");
        assert_eq!(memory_text(&root, "s"), "text");
        assert_eq!(memory_text(&root, "nothing"), "undefined");
        assert_eq!(
            memory_text(&root, "nothing.deeper"),
            "Incorrect memory path"
        );
    }

    #[test]
    fn a_rooms_flags_read_as_screeps_stores_them_with_names_escaped() {
        let flags =
            r#"[["a|b~c",1,3,"W1N1",10,12],["home",2,2,"W1N1",1,2],["far",1,1,"W2N2",3,3]]"#;
        assert_eq!(
            room_flags(flags, "W1N1").as_deref(),
            Some("a$VLINE$b$TILDE$c~1~3~10~12|home~2~2~1~2")
        );
        assert_eq!(room_flags(flags, "W9N9"), None);
    }

    #[test]
    fn gzip_only_when_it_is_shorter() {
        assert_eq!(gzipped("short".into()), "short");
        let long = "x".repeat(1000);
        assert!(gzipped(long).starts_with("gz:"));
    }
}
