//! Socket helpers shared by the servers (the API, the replay viewer, the DevTools endpoint).

use std::net::SocketAddr;

use crate::error::{EngineError, Result};

/// Binds `addr` (port 0 picks a free port) and returns the address actually bound.
pub(crate) async fn listen(addr: SocketAddr) -> Result<(tokio::net::TcpListener, SocketAddr)> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(EngineError::io(format!("cannot bind {addr}")))?;
    let local = listener
        .local_addr()
        .map_err(EngineError::io("reading the listener's address"))?;
    Ok((listener, local))
}
