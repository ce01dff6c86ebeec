//! The accept loop: the axum router on hyper's HTTP/1 connections, with the limits
//! `axum::serve` does not offer. Half-sent requests used to pile up until the process ran
//! out of file descriptors (EMFILE) and the shard could no longer commit.
//!
//! - a connection cap, total and per client address: a connection over it is closed at once;
//! - the request head must arrive within [`HttpLimits::header_timeout`] of the connection
//!   becoming ready for one, so this is also the keep-alive idle timeout (hyper starts the
//!   timer whenever it waits for a head);
//! - bodies are read under a timeout (`RequestBodyTimeoutLayer` in `api::router`);
//! - on shutdown, connections get [`HttpLimits::grace`] to finish, then are dropped.

use std::collections::BTreeMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use parking_lot::Mutex;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt as _;

/// Connection limits of the HTTP server.
#[derive(Debug, Clone, Copy)]
pub struct HttpLimits {
    /// Open HTTP connections at most (WebSockets are counted by the stream itself).
    pub max_connections: usize,
    /// Open connections per client address at most.
    pub max_per_client: usize,
    /// Time to send a request head, and to start the next one on a kept-alive connection.
    pub header_timeout: Duration,
    /// Time to send a request body.
    pub body_timeout: Duration,
    /// Time connections get to finish after shutdown is asked for.
    pub grace: Duration,
}

impl Default for HttpLimits {
    fn default() -> Self {
        HttpLimits {
            max_connections: 512,
            max_per_client: 64,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            grace: Duration::from_secs(3),
        }
    }
}

/// Open connections (or streams) per client address; a slot gives its count back when dropped.
#[derive(Default)]
pub(crate) struct PerClient(Mutex<BTreeMap<IpAddr, usize>>);

pub(crate) struct ClientSlot {
    table: Arc<PerClient>,
    ip: IpAddr,
}

impl PerClient {
    /// A slot for `ip`, unless it already has `max`.
    pub(crate) fn take(table: &Arc<PerClient>, ip: IpAddr, max: usize) -> Option<ClientSlot> {
        let mut open = table.0.lock();
        let n = open.entry(ip).or_default();
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(ClientSlot {
            table: table.clone(),
            ip,
        })
    }
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut open = self.table.0.lock();
        if let Some(n) = open.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets open connections finish
/// for `limits.grace` and returns.
pub(crate) async fn serve_http(
    listener: TcpListener,
    app: Router,
    limits: HttpLimits,
    shutdown: impl Future<Output = ()>,
) {
    let open = Arc::new(Semaphore::new(limits.max_connections));
    let per_client = Arc::new(PerClient::default());
    // Connections watch this to finish their current request and close.
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // EMFILE and friends: back off instead of spinning; the cap makes it rare.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            tracing::debug!(%peer, "connection refused: server at its connection cap");
            continue;
        };
        let Some(slot) = PerClient::take(&per_client, peer.ip(), limits.max_per_client) else {
            tracing::debug!(%peer, "connection refused: client at its connection cap");
            continue;
        };
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<_>| {
            request
                .extensions_mut()
                .insert(ConnectInfo::<SocketAddr>(peer));
            app.clone().oneshot(request.map(axum::body::Body::new))
        });
        let connection = http
            .serve_connection(TokioIo::new(stream), service)
            .with_upgrades();
        let stop = stop_rx.clone();
        tokio::spawn(async move {
            tokio::pin!(connection);
            let ended = tokio::select! {
                ended = connection.as_mut() => ended,
                () = stopped(stop) => {
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(e) = ended {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
            drop((permit, slot));
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    // Every connection gives its permit back when it ends.
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    if tokio::time::timeout(limits.grace, open.acquire_many(all))
        .await
        .is_err()
    {
        tracing::warn!("connections still open after the shutdown grace period; dropping them");
    }
}

/// Resolves once `flag` is true (or its sender is gone).
pub(crate) async fn stopped(mut flag: tokio::sync::watch::Receiver<bool>) {
    loop {
        if *flag.borrow_and_update() {
            return;
        }
        if flag.changed().await.is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_slot_is_given_back_when_dropped() {
        let table = Arc::new(PerClient::default());
        let ip: IpAddr = [127, 0, 0, 1].into();
        let a = PerClient::take(&table, ip, 2).unwrap();
        let _b = PerClient::take(&table, ip, 2).unwrap();
        assert!(
            PerClient::take(&table, ip, 2).is_none(),
            "third over a cap of two"
        );
        let other: IpAddr = [127, 0, 0, 2].into();
        assert!(
            PerClient::take(&table, other, 2).is_some(),
            "another client has its own cap"
        );
        drop(a);
        assert!(PerClient::take(&table, ip, 2).is_some());
    }
}
