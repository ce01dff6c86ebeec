//! HTTP routes: the isoshard JSON API, the Screeps-compatible subset deploy tools use, the
//! WebSocket stream, Prometheus metrics and the web viewer.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use base64::Engine as _;
use isoshard_world::PlayerId;
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::sync::{broadcast, oneshot, watch};

use crate::code_bundle::{CodeBundle, MAX_CODE_BYTES};
use crate::error::EngineError;
use crate::server::auth::{check_password, constant_time_eq, password_hash, PasswordCheck};
use crate::server::rate_limits::{Limited, Limiters};
use crate::server::shard_thread::{AccountView, Announcement, Command, Health, Published};
use crate::server::stream::StreamSlots;

/// Largest request body accepted (code uploads are checked against 5 MiB of source after).
pub const MAX_BODY: usize = MAX_CODE_BYTES + (1 << 20);

#[derive(Clone)]
pub(crate) struct AppState {
    pub published: watch::Receiver<Published>,
    pub health: watch::Receiver<Health>,
    pub announce: broadcast::Sender<Announcement>,
    /// Bounded: a full queue answers 503 instead of growing.
    pub commands: std::sync::mpsc::SyncSender<Command>,
    /// Becomes true when the server is shutting down (streams close).
    pub stopping: watch::Receiver<bool>,
    pub streams: Arc<StreamSlots>,
    pub limits: Arc<Limiters>,
    pub open_registration: bool,
    pub admin_token: Option<Arc<str>>,
    /// The DevTools endpoint, when `--inspect` is on.
    pub inspector: Option<std::net::SocketAddr>,
    pub metrics: Arc<super::metrics::ShardMetrics>,
    /// Rooms each user watches on `/socket`, over all their connections.
    pub room_watchers: Arc<super::socket::RoomWatchers>,
}

/// A JSON error with a status; never a 5xx for client mistakes.
pub(crate) struct ApiError {
    status: StatusCode,
    message: String,
    /// Seconds for `Retry-After` (rate limits, a failing commit).
    retry_after: Option<u64>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            retry_after: None,
        }
    }
}

impl From<Limited> for ApiError {
    fn from(l: Limited) -> Self {
        let secs = l.retry_after.as_secs_f64().ceil().max(1.0) as u64;
        ApiError {
            status: StatusCode::TOO_MANY_REQUESTS,
            message: format!("too many {} attempts; try again in {secs} s", l.what),
            retry_after: Some(secs),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(json!({ "error": self.message }))).into_response();
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
        }
        response
    }
}

pub(crate) fn bad(msg: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, msg.into())
}

fn unauthorized() -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "missing or invalid credentials")
}

pub(crate) type ApiResult<T = Json<Value>> = Result<T, ApiError>;

pub(crate) fn parse<T: for<'de> Deserialize<'de>>(body: &Bytes) -> ApiResult<T> {
    serde_json::from_slice(body).map_err(|e| bad(format!("malformed JSON: {e}")))
}

impl AppState {
    pub(crate) fn now(&self) -> Published {
        self.published.borrow().clone()
    }

    /// The caller's account: `Authorization: Bearer`, `X-Token` (+ optional `X-Username`), or
    /// HTTP Basic with name and password.
    /// The signed-in player (token, Basic auth or `query_token`); a banned one is refused.
    pub(crate) fn caller(
        &self,
        headers: &HeaderMap,
        query_token: Option<&str>,
    ) -> ApiResult<AccountView> {
        let me = self.any_caller(headers, query_token)?;
        if me.banned {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "this account is banned by the shard's operator",
            ));
        }
        Ok(me)
    }

    fn any_caller(&self, headers: &HeaderMap, query_token: Option<&str>) -> ApiResult<AccountView> {
        let p = self.now();
        let by_token = |token: &str| -> Option<AccountView> {
            p.accounts
                .values()
                .find(|a| super::auth::token_matches(&a.tokens, token))
                .cloned()
        };
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        if let Some(auth) = header("authorization") {
            if let Some(token) = auth.strip_prefix("Bearer ") {
                return by_token(token.trim()).ok_or_else(unauthorized);
            }
            if let Some(basic) = auth.strip_prefix("Basic ") {
                let decoded = base64::engine::general_purpose::STANDARD
                    .decode(basic.trim())
                    .map_err(|_| unauthorized())?;
                let text = String::from_utf8(decoded).map_err(|_| unauthorized())?;
                let (name, password) = text.split_once(':').ok_or_else(unauthorized)?;
                self.limits.sign_in(None, name)?;
                let acct = p.accounts.get(name).ok_or_else(unauthorized)?;
                let stored = acct.password_hash.as_deref().ok_or_else(unauthorized)?;
                // Sync, on an async worker: ~20 ms, bounded by the sign-in rate limit.
                return if check_password(stored, password) != PasswordCheck::Wrong {
                    Ok(acct.clone())
                } else {
                    self.limits.wrong_password(name);
                    Err(unauthorized())
                };
            }
        }
        if let Some(token) = header("x-token") {
            let acct = by_token(token.trim()).ok_or_else(unauthorized)?;
            // The screeps-api client sends the token itself as X-Username; the name or the id
            // are accepted too. Anything else names another user and is refused.
            if let Some(user) = header("x-username") {
                if user != acct.name && user != acct.id.to_string() && user != token.trim() {
                    return Err(unauthorized());
                }
            }
            return Ok(acct);
        }
        if let Some(token) = query_token {
            return by_token(token).ok_or_else(unauthorized);
        }
        Err(unauthorized())
    }

    pub(crate) async fn command<T>(
        &self,
        make: impl FnOnce(oneshot::Sender<crate::error::Result<T>>) -> Command,
    ) -> ApiResult<T> {
        let (tx, rx) = oneshot::channel();
        self.commands.try_send(make(tx)).map_err(|e| match e {
            std::sync::mpsc::TrySendError::Full(_) => ApiError {
                status: StatusCode::SERVICE_UNAVAILABLE,
                message: "the shard is busy; try again shortly".into(),
                retry_after: Some(1),
            },
            std::sync::mpsc::TrySendError::Disconnected(_) => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "shard is shutting down")
            }
        })?;
        match rx.await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(match e {
                EngineError::World(w) => ApiError::new(StatusCode::CONFLICT, w.to_string()),
                EngineError::InvalidCode(m) | EngineError::Usage(m) => bad(m),
                EngineError::UnknownPlayer(m) => {
                    ApiError::new(StatusCode::NOT_FOUND, format!("unknown player {m}"))
                }
                e @ EngineError::CommitPending { .. } => ApiError {
                    status: StatusCode::SERVICE_UNAVAILABLE,
                    message: e.to_string(),
                    retry_after: Some(5),
                },
                other => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, other.to_string()),
            }),
            Err(_) => Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "shard is shutting down",
            )),
        }
    }
}

pub(crate) fn router(state: AppState, body_timeout: std::time::Duration) -> Router {
    Router::new()
        .route("/", get(crate::web::live_page))
        .route("/room_canvas.js", get(crate::web::room_canvas_js))
        .route("/viewer.css", get(crate::web::viewer_css))
        .route("/api/register", post(register))
        .route("/api/code", put(put_code))
        .route("/api/me", get(me))
        .route("/api/user/visuals", get(user_visuals))
        .route("/api/world", get(world))
        .route("/api/rooms/{name}", get(room))
        .route("/api/rooms/{name}/terrain", get(terrain))
        .route("/api/stream", get(super::stream::stream))
        .route("/api/health", get(health))
        .route("/metrics", get(metrics))
        .route("/api/version", get(version))
        .route("/api/auth/signin", post(signin))
        .route("/api/auth/me", get(auth_me))
        .merge(super::screeps_api::routes())
        .merge(super::code_api::routes())
        .merge(super::admin::routes())
        .merge(super::tokens_api::routes())
        .merge(super::joining_api::routes())
        .merge(super::leaderboard_api::routes())
        .merge(super::manual_api::routes())
        .merge(super::messages_api::routes())
        .merge(super::market_api::routes())
        .merge(super::socket::routes())
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "no such endpoint") })
        // Refuses on Content-Length before reading (413), and caps chunked bodies too.
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_BODY))
        .layer(DefaultBodyLimit::disable())
        // A body trickled in slower than this is cut off (the handler answers 400).
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            body_timeout,
        ))
        .layer(
            tower_http::trace::TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(
                    tower_http::trace::DefaultOnResponse::new()
                        .level(tracing::Level::INFO)
                        .latency_unit(tower_http::LatencyUnit::Micros),
                )
                .on_failure(tower_http::trace::DefaultOnFailure::new().level(tracing::Level::WARN)),
        )
        .with_state(state)
}

/// The request log: one line per response at info (method, path, status, latency), failures
/// at warn. The path only: query strings carry tokens (`?token=` in viewer links).
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path()
    )
}

#[derive(Deserialize)]
struct RegisterBody {
    name: String,
    password: Option<String>,
}

async fn register(
    State(s): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let body: RegisterBody = parse(&body)?;
    let (player, token) = register_account(&s, peer, &headers, body.name, body.password).await?;
    Ok(Json(json!({ "player": player.0, "token": token })))
}

/// Registers an account (open registration, or the admin token), rate-limited per address.
pub(crate) async fn register_account(
    s: &AppState,
    peer: SocketAddr,
    headers: &HeaderMap,
    name: String,
    password: Option<String>,
) -> ApiResult<(PlayerId, String)> {
    let given = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|a| a.strip_prefix("Bearer "));
    let admin = matches!((&s.admin_token, given), (Some(admin), Some(g)) if constant_time_eq(admin.as_bytes(), g.trim().as_bytes()));
    // Open registration is limited per address, so one client cannot take every free room;
    // the operator's own registrations are not.
    if !s.open_registration && !admin {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "registration is closed; an admin token is required",
        ));
    }
    if !admin {
        s.limits.register(Some(peer.ip()))?;
    }
    let password_hash = match password {
        Some(password) => Some(
            tokio::task::spawn_blocking(move || password_hash(&password))
                .await
                .map_err(|_| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "hashing failed"))?
                .map_err(|e| bad(e.to_string()))?,
        ),
        None => None,
    };
    s.command(|reply| Command::Register {
        name,
        password_hash,
        reply,
    })
    .await
}

#[derive(Deserialize)]
pub(crate) struct CodeBody {
    pub modules: BTreeMap<String, Value>,
    #[serde(default)]
    pub branch: Option<String>,
}

pub(crate) fn modules_of(body: CodeBody) -> ApiResult<CodeBundle> {
    let mut modules = BTreeMap::new();
    for (name, v) in body.modules {
        match v {
            Value::String(s) => {
                modules.insert(name, s);
            }
            // Screeps tools send binary modules as {binary: base64}; this shard runs JS only.
            _ => return Err(bad(format!("module {name:?} is not JavaScript source"))),
        }
    }
    CodeBundle::new(modules).map_err(|e| bad(e.to_string()))
}

async fn set_code(s: &AppState, player: PlayerId, code: CodeBundle) -> ApiResult<u64> {
    s.limits.upload(player.0)?;
    s.command(|reply| Command::SetCode {
        player,
        code,
        reply,
    })
    .await
}

async fn put_code(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let code = modules_of(parse(&body)?)?;
    let version = set_code(&s, PlayerId(me.id), code).await?;
    Ok(Json(json!({ "ok": 1, "version": version })))
}

async fn me(State(s): State<AppState>, headers: HeaderMap) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let mut v = serde_json::to_value(&me).unwrap_or_default();
    v["memory"] = json!(me.memory.as_str());
    v["cpu"] = json!({ "used": me.cpu_used_ms, "limit": me.cpu_limit_ms, "bucket": me.bucket });
    if let Some(addr) = s.inspector {
        let target = format!("{addr}/ws/player-{}", me.name);
        v["inspector"] = json!({
            "websocket": format!("ws://{target}?token=YOUR_TOKEN"),
            "devtools": format!(
                "devtools://devtools/bundled/js_app.html?experiments=true&v8only=true&ws={target}%3Ftoken%3DYOUR_TOKEN"
            ),
        });
    }
    Ok(Json(v))
}

/// The caller's visuals of the last tick, `{room: text}`; `?room=` for one room (or `map`).
async fn user_visuals(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<BTreeMap<String, String>>,
) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let tick = s.now().tick;
    let visuals: Vec<(String, String)> = me
        .visuals
        .iter()
        .filter(|(room, _)| q.get("room").is_none_or(|want| want == room))
        .cloned()
        .collect();
    Ok(Json(
        json!({ "ok": 1, "tick": tick, "visuals": super::stream::visuals_json(&visuals) }),
    ))
}

async fn world(State(s): State<AppState>) -> Json<Value> {
    let p = s.now();
    let players: Vec<Value> = p
        .accounts
        .values()
        .map(|a| json!({ "id": a.id, "name": a.name, "controller_level": a.controller_level, "creeps": a.creeps }))
        .collect();
    let names: std::collections::BTreeMap<u32, &str> = p
        .accounts
        .values()
        .map(|a| (a.id, a.name.as_str()))
        .collect();
    // Who owns or reserves each held room, for the world map.
    let owners: serde_json::Map<String, Value> = p
        .holdings
        .rooms
        .iter()
        .map(|(room, h)| {
            let name = |id: Option<u32>| id.and_then(|i| names.get(&i).copied());
            (
                room.clone(),
                json!({ "owner": name(h.owner), "level": h.level, "reservedBy": name(h.reserved_by) }),
            )
        })
        .collect();
    // The room with the most owned objects: where a visitor's view opens.
    let busiest = p
        .rooms
        .iter()
        .max_by_key(|(_, v)| {
            v["objects"]
                .as_array()
                .map_or(0, |o| o.iter().filter(|o| o.get("owner").is_some()).count())
        })
        .map(|(n, _)| n.clone());
    Json(
        json!({ "tick": p.tick, "state_hash": p.state_hash, "rooms": p.rooms.keys().collect::<Vec<_>>(), "players": players, "owners": owners, "busiest": busiest }),
    )
}

async fn room(State(s): State<AppState>, Path(name): Path<String>) -> ApiResult {
    let p = s.now();
    p.rooms
        .get(&name)
        .cloned()
        .map(Json)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, format!("unknown room {name:?}")))
}

async fn terrain(State(s): State<AppState>, Path(name): Path<String>) -> ApiResult {
    let p = s.now();
    p.terrain
        .get(&name)
        .map(|t| Json(json!({ "room": name, "terrain": t })))
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, format!("unknown room {name:?}")))
}

/// 200 while ticks commit, 503 with the failing tick, attempts and error while a commit is
/// failing (load balancers and service managers read the status).
async fn health(State(s): State<AppState>) -> Response {
    let h = s.health.borrow().clone();
    let status = if h.failing.is_some() {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    let mut body = serde_json::to_value(&h).unwrap_or_default();
    body["ok"] = json!(h.failing.is_none());
    body["tick"] = json!(s.published.borrow().tick);
    (status, Json(body)).into_response()
}

/// OpenMetrics to a scraper that asks for it (Prometheus does), else the classic text format.
async fn metrics(State(s): State<AppState>, headers: HeaderMap) -> Response {
    let published = s.now();
    let health = s.health.borrow().clone();
    let text = s.metrics.render(&published, &health);
    let openmetrics = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/openmetrics-text"));
    if openmetrics {
        let kind = "application/openmetrics-text; version=1.0.0; charset=utf-8";
        ([(header::CONTENT_TYPE, kind)], text).into_response()
    } else {
        let kind = "text/plain; version=0.0.4; charset=utf-8";
        let classic = super::metrics::to_classic_text(&text);
        ([(header::CONTENT_TYPE, kind)], classic).into_response()
    }
}

async fn version(State(s): State<AppState>) -> Json<Value> {
    let p = s.now();
    Json(
        json!({ "ok": 1, "protocol": 14, "useNativeAuth": false, "users": p.accounts.len(), "serverData": { "shards": ["isoshard"], "historyChunkSize": 20 } }),
    )
}

#[derive(Deserialize)]
struct SignIn {
    email: String,
    password: String,
}

async fn signin(
    State(s): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Bytes,
) -> ApiResult {
    let body: SignIn = parse(&body)?;
    s.limits.sign_in(Some(peer.ip()), &body.email)?;
    let p = s.now();
    let acct = p.accounts.get(&body.email).ok_or_else(unauthorized)?;
    if acct.banned {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "this account is banned by the shard's operator",
        ));
    }
    let stored = acct.password_hash.clone().ok_or_else(unauthorized)?;
    let name = acct.name.clone();
    let password = body.password;
    let check = tokio::task::spawn_blocking(move || check_password(&stored, &password))
        .await
        .unwrap_or(PasswordCheck::Wrong);
    let upgraded_password = match check {
        PasswordCheck::Wrong => {
            s.limits.wrong_password(&body.email);
            return Err(unauthorized());
        }
        PasswordCheck::Right => None,
        PasswordCheck::RightUpgrade(new) => Some(new),
    };
    let token = s
        .command(|reply| Command::SignIn {
            name,
            upgraded_password,
            reply,
        })
        .await?;
    Ok(Json(json!({ "ok": 1, "token": token })))
}

async fn auth_me(State(s): State<AppState>, headers: HeaderMap) -> ApiResult {
    let me = s.caller(&headers, None)?;
    Ok(Json(
        json!({ "ok": 1, "_id": me.id.to_string(), "username": me.name, "email": me.name, "cpu": me.cpu_limit_ms, "gcl": me.gcl, "password": me.password_hash.is_some(), "badge": me.badge_json() }),
    ))
}
