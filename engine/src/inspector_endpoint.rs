//! A Chrome DevTools Protocol endpoint: the `/json/list` discovery routes Chrome and VS Code
//! use, and one WebSocket per debugging target bridged to an [`InspectorSession`].
//!
//! Loopback by default: a session can pause the target's isolate (up to its wall limit) and
//! evaluate code in it (under its limits). Targets that belong to players carry a token; the
//! WebSocket URL must present it (`?token=`). Frames over [`MAX_INSPECTOR_MESSAGE`] close the
//! connection (1009), as does a client that stops reading (the session is cut off after
//! [`isoshard_scripting::MAX_PENDING_OUTGOING`] unread messages). `/json/list` shows a
//! token-protected target only to a request with its `?token=`. Sessions are capped per target
//! ([`MAX_SESSIONS_PER_TARGET`]) and in all ([`MAX_SESSIONS`]); connections by the server's
//! own accept loop (caps and header timeouts as for the API).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use isoshard_scripting::{InspectorSession, InspectorTrust, Isolate, MAX_INSPECTOR_MESSAGE};
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::sync::watch;

use crate::error::{EngineError, Result};
use crate::runner::{InspectorRelay, RelayLink};
use isoshard_world::PlayerId;

/// Where a target's sessions come from.
#[derive(Clone)]
pub enum TargetSource {
    /// An isolate in this process.
    Isolate(Isolate),
    /// A player's isolate in a runner process, reached through the relay (untrusted level).
    Relay(Arc<InspectorRelay>, PlayerId),
}

/// Something DevTools can attach to.
#[derive(Clone)]
pub struct InspectorTarget {
    pub title: String,
    pub source: TargetSource,
    /// The session level for an in-process isolate (relayed sessions are always untrusted).
    pub trust: InspectorTrust,
    /// When set, the WebSocket URL must carry a `?token=` this accepts.
    pub authorize: Option<TokenCheck>,
}

/// Decides whether a `?token=` opens a target.
pub type TokenCheck = Arc<dyn Fn(&str) -> bool + Send + Sync>;

/// Debugger sessions one target may have at once (DevTools and an editor, say).
pub const MAX_SESSIONS_PER_TARGET: usize = 2;
/// Debugger sessions the endpoint serves at once.
pub const MAX_SESSIONS: usize = 64;

struct TargetEntry {
    target: InspectorTarget,
    /// Flips to true when a client sends `Runtime.runIfWaitingForDebugger`.
    ready: watch::Sender<bool>,
    /// Sessions open on this target.
    sessions: Arc<AtomicUsize>,
}

/// One open session, counted on its target and the endpoint until dropped.
struct SessionSlot {
    counters: [Arc<AtomicUsize>; 2],
}

impl SessionSlot {
    /// A slot, unless `target` or `all` is at its cap.
    fn take(target: &Arc<AtomicUsize>, all: &Arc<AtomicUsize>) -> Option<SessionSlot> {
        let counters = [target.clone(), all.clone()];
        let caps = [MAX_SESSIONS_PER_TARGET, MAX_SESSIONS];
        for (i, (c, cap)) in counters.iter().zip(caps).enumerate() {
            if c.fetch_add(1, Ordering::AcqRel) >= cap {
                for undo in &counters[..=i] {
                    undo.fetch_sub(1, Ordering::AcqRel);
                }
                return None;
            }
        }
        Some(SessionSlot { counters })
    }
}

impl Drop for SessionSlot {
    fn drop(&mut self) {
        for c in &self.counters {
            c.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

#[derive(Clone, Default)]
struct Targets(Arc<Mutex<BTreeMap<String, TargetEntry>>>);

impl Targets {
    fn lock(&self) -> parking_lot::MutexGuard<'_, BTreeMap<String, TargetEntry>> {
        self.0.lock()
    }
}

/// A running endpoint. Dropping it stops the server.
pub struct InspectorEndpoint {
    addr: SocketAddr,
    targets: Targets,
    /// How many WebSocket bridges are running (read by [`InspectorEndpoint::finish`]).
    bridges: watch::Sender<usize>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl InspectorEndpoint {
    /// Binds `addr` and serves on the current tokio runtime.
    ///
    /// # Errors
    /// The address cannot be bound.
    pub async fn bind(addr: SocketAddr) -> Result<InspectorEndpoint> {
        let (listener, addr) = crate::net::listen(addr).await?;
        let targets = Targets::default();
        let (bridges, _) = watch::channel(0usize);
        let sessions = Arc::new(AtomicUsize::new(0));
        let app = Router::new()
            .route("/json", get(list))
            .route("/json/list", get(list))
            .route("/json/version", get(version))
            .route("/ws/{id}", get(attach))
            .with_state(EndpointState {
                targets: targets.clone(),
                addr,
                bridges: bridges.clone(),
                sessions,
            });
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let limits = crate::http_serve::HttpLimits {
            max_connections: 4 * MAX_SESSIONS,
            max_per_client: 2 * MAX_SESSIONS,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            grace: Duration::from_secs(1),
        };
        tokio::spawn(async move {
            crate::http_serve::serve_http(listener, app, limits, async {
                let _ = stopped.await;
            })
            .await;
        });
        Ok(InspectorEndpoint {
            addr,
            targets,
            bridges,
            _stop: stop,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Makes `target` attachable as `id` (replacing any previous target of that id).
    pub fn add_target(&self, id: &str, target: InspectorTarget) {
        let (ready, _) = watch::channel(false);
        self.targets.lock().insert(
            id.to_string(),
            TargetEntry {
                target,
                ready,
                sessions: Arc::default(),
            },
        );
    }

    /// The URL to open in Chrome for target `id`.
    pub fn devtools_url(&self, id: &str) -> String {
        devtools_url(self.addr, id)
    }

    /// Waits until a client attached to `id` sends `Runtime.runIfWaitingForDebugger` (what
    /// DevTools and VS Code send once their breakpoints are set).
    ///
    /// # Errors
    /// [`EngineError::Usage`] for an unknown target.
    pub async fn wait_for_debugger(&self, id: &str) -> Result<()> {
        let mut ready = self
            .targets
            .lock()
            .get(id)
            .map(|e| e.ready.subscribe())
            .ok_or_else(|| EngineError::Usage(format!("no inspector target {id:?}")))?;
        ready
            .wait_for(|r| *r)
            .await
            .map(|_| ())
            .map_err(|_| EngineError::Usage(format!("inspector target {id:?} went away")))
    }
}

impl InspectorEndpoint {
    /// Stops accepting clients and waits (up to `grace`) for every bridge to end. A bridge
    /// ends once its isolate is gone and it has forwarded what the isolate sent before going:
    /// without this wait, dropping the runtime would cut off the last console messages.
    pub async fn finish(self, grace: std::time::Duration) {
        self.targets.lock().clear();
        let mut live = self.bridges.subscribe();
        let _ = tokio::time::timeout(grace, live.wait_for(|n| *n == 0)).await;
    }
}

fn devtools_url(addr: SocketAddr, id: &str) -> String {
    format!(
        "devtools://devtools/bundled/js_app.html?experiments=true&v8only=true&ws={addr}/ws/{id}"
    )
}

#[derive(Clone)]
struct EndpointState {
    targets: Targets,
    addr: SocketAddr,
    bridges: watch::Sender<usize>,
    /// Sessions open on every target.
    sessions: Arc<AtomicUsize>,
}

/// The targets this request may know of: open ones, and protected ones its token opens.
async fn list(
    State(EndpointState { targets, addr, .. }): State<EndpointState>,
    Query(q): Query<AttachQuery>,
) -> Json<Value> {
    let token = q.token.as_deref().unwrap_or("");
    let list: Vec<Value> = targets
        .lock()
        .iter()
        .filter(|(_, e)| e.target.authorize.as_ref().is_none_or(|check| check(token)))
        .map(|(id, e)| {
            json!({
                "id": id,
                "title": e.target.title,
                "type": "node",
                "description": "isoshard isolate",
                "webSocketDebuggerUrl": format!("ws://{addr}/ws/{id}"),
                "devtoolsFrontendUrl": devtools_url(addr, id),
            })
        })
        .collect();
    Json(Value::Array(list))
}

async fn version() -> Json<Value> {
    Json(
        json!({ "Browser": concat!("isoshard/", env!("CARGO_PKG_VERSION")), "Protocol-Version": "1.3" }),
    )
}

#[derive(Deserialize)]
struct AttachQuery {
    token: Option<String>,
}

async fn attach(
    State(EndpointState {
        targets,
        bridges,
        sessions,
        ..
    }): State<EndpointState>,
    Path(id): Path<String>,
    Query(q): Query<AttachQuery>,
    ws: WebSocketUpgrade,
) -> Response {
    let entry = targets
        .lock()
        .get(&id)
        .map(|e| (e.target.clone(), e.ready.clone(), e.sessions.clone()));
    let Some((target, ready, target_sessions)) = entry else {
        return (StatusCode::NOT_FOUND, format!("no inspector target {id:?}")).into_response();
    };
    if let Some(check) = &target.authorize {
        if !check(q.token.as_deref().unwrap_or("")) {
            return (StatusCode::UNAUTHORIZED, "missing or wrong token").into_response();
        }
    }
    let Some(slot) = SessionSlot::take(&target_sessions, &sessions) else {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "too many debugger sessions (at most {MAX_SESSIONS_PER_TARGET} per target, \
                 {MAX_SESSIONS} in all); close one first"
            ),
        )
            .into_response();
    };
    let opened = match &target.source {
        TargetSource::Isolate(isolate) => isolate
            .inspector_session(target.trust)
            .map(Link::Local)
            .map_err(|e| e.to_string()),
        TargetSource::Relay(relay, player) => relay.open(*player).map(Link::Relay),
    };
    let session = match opened {
        Ok(s) => s,
        Err(e) => return (StatusCode::CONFLICT, e).into_response(),
    };
    tracing::info!(target = %id, "inspector attached");
    ws.max_message_size(MAX_INSPECTOR_MESSAGE)
        .max_frame_size(MAX_INSPECTOR_MESSAGE)
        .on_upgrade(move |socket| async move {
            bridges.send_modify(|n| *n += 1);
            bridge(socket, session, ready).await;
            bridges.send_modify(|n| *n -= 1);
            drop(slot);
        })
}

/// A session in this process or relayed to a runner.
enum Link {
    Local(InspectorSession),
    Relay(RelayLink),
}

impl Link {
    fn send(&self, text: &str) -> std::result::Result<(), String> {
        match self {
            Link::Local(s) => s.send(text).map_err(|e| e.to_string()),
            Link::Relay(r) => r.send(text),
        }
    }

    async fn recv(&mut self) -> Option<String> {
        match self {
            Link::Local(s) => s.recv().await,
            Link::Relay(r) => r.recv().await,
        }
    }
}

/// Client frames to the session, session messages to the client, until either side ends.
async fn bridge(mut socket: WebSocket, mut session: Link, ready: watch::Sender<bool>) {
    loop {
        tokio::select! {
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    if text.contains("Runtime.runIfWaitingForDebugger") {
                        ready.send_replace(true);
                    }
                    if let Err(e) = session.send(text.as_str()) {
                        let _ = socket.send(close(1011, &e)).await;
                        break;
                    }
                }
                Some(Ok(Message::Binary(_))) => {
                    let _ = socket.send(close(1003, "CDP messages are JSON text frames")).await;
                    break;
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                Some(Ok(Message::Close(_))) | None => break,
                Some(Err(e)) => {
                    // Oversized frames end here (tungstenite refuses them while reading).
                    tracing::info!(error = %e, "inspector client dropped");
                    let _ = socket.send(close(1009, "message too big or malformed frame")).await;
                    break;
                }
            },
            outgoing = session.recv() => match outgoing {
                Some(text) => {
                    if socket.send(Message::Text(text.into())).await.is_err() {
                        break;
                    }
                }
                None => {
                    let _ = socket.send(close(1001, "isolate gone or client too slow")).await;
                    break;
                }
            },
        }
    }
    tracing::info!("inspector detached");
}

fn close(code: u16, reason: &str) -> Message {
    Message::Close(Some(CloseFrame {
        code,
        reason: reason.to_string().into(),
    }))
}
