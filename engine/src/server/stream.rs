//! `/api/stream`: one WebSocket message per committed tick (tick, hash, changed rooms, and
//! the subscriber's own console lines).
//!
//! Bounded per client: a send that does not complete within [`SEND_TIMEOUT`] drops the
//! client (a consumer that never reads used to pin every queued tick); a subscriber that
//! falls behind the small broadcast queue skips ticks instead of holding them. A client's
//! Close frame is answered and the socket closed; on shutdown every client gets a Close
//! frame (1001, going away). Open streams are capped in total and per client address.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use crate::http_serve::{ClientSlot, PerClient};
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use tokio::sync::{broadcast, watch, OwnedSemaphorePermit, Semaphore};

use super::api::{ApiError, AppState};
use super::shard_thread::Announcement;

/// A message the client does not take within this long drops the client.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// Announcements a subscriber may fall behind by before it skips ticks.
pub const ANNOUNCE_QUEUE: usize = 8;

/// Caps on open streams.
pub(crate) struct StreamSlots {
    total: Arc<Semaphore>,
    per_client: Arc<PerClient>,
    max_per_client: usize,
}

/// One open stream's share of the caps, given back on drop.
pub(crate) struct StreamSlot {
    _total: OwnedSemaphorePermit,
    _client: Option<ClientSlot>,
}

impl StreamSlots {
    pub(crate) fn new(max_total: usize, max_per_client: usize) -> Arc<Self> {
        Arc::new(StreamSlots {
            total: Arc::new(Semaphore::new(max_total)),
            per_client: Default::default(),
            max_per_client,
        })
    }

    pub(crate) fn take(self: &Arc<Self>, ip: Option<IpAddr>) -> Option<StreamSlot> {
        let total = self.total.clone().try_acquire_owned().ok()?;
        let client = match ip {
            Some(ip) => Some(PerClient::take(&self.per_client, ip, self.max_per_client)?),
            None => None,
        };
        Some(StreamSlot {
            _total: total,
            _client: client,
        })
    }
}

#[derive(Deserialize)]
pub(crate) struct StreamQuery {
    token: Option<String>,
}

pub(crate) async fn stream(
    State(s): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(q): Query<StreamQuery>,
    ws: WebSocketUpgrade,
) -> Response {
    // Browsers cannot set headers on a WebSocket: a `?token=` query authenticates too. Room
    // data is public; console lines go only to their owner.
    let me = if headers.contains_key("authorization")
        || headers.contains_key("x-token")
        || q.token.is_some()
    {
        match s.caller(&headers, q.token.as_deref()) {
            Ok(a) => Some(a.id),
            Err(e) => return e.into_response(),
        }
    } else {
        None
    };
    let Some(slot) = s.streams.take(Some(peer.ip())) else {
        return ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many open streams; try again later",
        )
        .into_response();
    };
    let rx = s.announce.subscribe();
    let stopping = s.stopping.clone();
    ws.on_upgrade(move |socket| async move {
        stream_ticks(socket, rx, stopping, me).await;
        drop(slot);
    })
}

/// A player's visuals as `{room: text}` (Screeps' visual text: a JSON line per draw call).
pub(crate) fn visuals_json(visuals: &[(String, String)]) -> serde_json::Value {
    serde_json::Value::Object(
        visuals
            .iter()
            .map(|(room, text)| (room.clone(), json!(text)))
            .collect(),
    )
}

/// What one announcement looks like to a subscriber.
fn message_for(a: &Announcement, me: Option<u32>) -> String {
    let mut msg =
        json!({ "tick": a.tick, "state_hash": &*a.state_hash, "changed_rooms": &*a.changed_rooms });
    if let Some(id) = me {
        msg["console"] = json!(a.console.get(&id).map(Vec::as_slice).unwrap_or_default());
        msg["visuals"] = visuals_json(a.visuals.get(&id).map(|v| &v[..]).unwrap_or_default());
    }
    msg.to_string()
}

async fn stream_ticks(
    mut socket: WebSocket,
    mut rx: broadcast::Receiver<Announcement>,
    stopping: watch::Receiver<bool>,
    me: Option<u32>,
) {
    loop {
        tokio::select! {
            incoming = socket.recv() => match incoming {
                // tungstenite queues the reply to a Close and writes it on the next read,
                // which then ends the stream: read until then.
                Some(Ok(Message::Close(_))) => {
                    let _ = tokio::time::timeout(SEND_TIMEOUT, async {
                        while let Some(Ok(_)) = socket.recv().await {}
                    })
                    .await;
                    return;
                }
                Some(Ok(_)) => {}
                None | Some(Err(_)) => return,
            },
            announced = rx.recv() => match announced {
                Ok(a) => {
                    let text = message_for(&a, me);
                    drop(a);
                    match tokio::time::timeout(SEND_TIMEOUT, socket.send(Message::Text(text.into()))).await {
                        Ok(Ok(())) => {}
                        Ok(Err(_)) => return,
                        Err(_) => {
                            tracing::info!("stream client dropped: it did not read for {SEND_TIMEOUT:?}");
                            return;
                        }
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return,
            },
            () = crate::http_serve::stopped(stopping.clone()) => {
                let close = CloseFrame { code: 1001, reason: "server shutting down".into() };
                let _ = tokio::time::timeout(Duration::from_secs(1), socket.send(Message::Close(Some(close)))).await;
                return;
            }
        }
    }
}
