//! [`InspectorSession`]: a host's CDP session with one isolate, and how one is opened.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::Sender;
use serde_json::{json, Value};

use crate::error::{Error, Result};
use crate::home_thread::HomeThreadHandle;
use crate::inspector_channel::{
    DetachedSession, Inbound, InspectorTrust, Outgoing, MAX_INSPECTOR_MESSAGE,
};
use crate::isolate::Isolate;
use crate::isolate_state::IsolateShared;

static NEXT_SESSION: AtomicU64 = AtomicU64::new(1);

/// A CDP session with one isolate. Dropping it disconnects. It does not keep the isolate
/// alive (running profiles keep their sessions open, detached, in the isolate's handle).
pub struct InspectorSession {
    isolate_id: u64,
    home: HomeThreadHandle,
    cell: std::sync::Arc<crate::isolate_cell::IsolateCell>,
    shared: Arc<IsolateShared>,
    inbox: Sender<Inbound>,
    id: u64,
    outgoing: Arc<Outgoing>,
    /// Dropping disconnects; false once detached.
    attached: bool,
}

impl std::fmt::Debug for InspectorSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InspectorSession")
            .field("isolate", &self.isolate_id)
            .field("id", &self.id)
            .finish()
    }
}

impl Isolate {
    /// Opens a CDP session with this isolate's inspector.
    ///
    /// # Errors
    /// [`Error::InvalidOptions`] unless the isolate was created with
    /// [`crate::IsolateOptions::inspector`]; [`Error::Disposed`].
    pub fn inspector_session(&self, trust: InspectorTrust) -> Result<InspectorSession> {
        if !self.inner.inspector.enabled {
            return Err(Error::InvalidOptions(
                "the inspector is off for this isolate (IsolateOptions::inspector)".into(),
            ));
        }
        InspectorSession::connect(self, trust)
    }
}

impl InspectorSession {
    pub(crate) fn connect(isolate: &Isolate, trust: InspectorTrust) -> Result<InspectorSession> {
        if isolate.is_disposed() {
            return Err(Error::Disposed);
        }
        let id = NEXT_SESSION.fetch_add(1, Ordering::Relaxed);
        let outgoing = Outgoing::new();
        let session = InspectorSession::attach(
            isolate,
            DetachedSession {
                id,
                outgoing: outgoing.clone(),
            },
        );
        session.post(Inbound::Connect {
            session: id,
            trust,
            outgoing,
        })?;
        Ok(session)
    }

    /// The handle of a session left open by [`InspectorSession::detach`].
    pub(crate) fn attach(isolate: &Isolate, detached: DetachedSession) -> InspectorSession {
        InspectorSession {
            isolate_id: isolate.inner.id,
            home: isolate.inner.home.clone(),
            cell: isolate.inner.cell.clone(),
            shared: isolate.inner.shared.clone(),
            inbox: isolate.inner.inspector.inbox.clone(),
            id: detached.id,
            outgoing: detached.outgoing,
            attached: true,
        }
    }

    /// Lets go of the handle without disconnecting: the session stays open in the isolate
    /// until re-attached and dropped, or the isolate goes.
    pub(crate) fn detach(mut self) -> DetachedSession {
        self.attached = false;
        DetachedSession {
            id: self.id,
            outgoing: self.outgoing.clone(),
        }
    }

    fn post(&self, message: Inbound) -> Result<()> {
        self.inbox.send(message).map_err(|_| Error::Disposed)?;
        // An idle isolate serves the inbox from a job; a paused one reads it directly.
        crate::isolate::queue_job(
            &self.home,
            &self.cell,
            |state| {
                state.serve_inspector();
                Ok(())
            },
            |_| {},
        );
        Ok(())
    }

    fn isolate_gone(&self) -> bool {
        self.shared.disposed.load(Ordering::Acquire)
            || self.shared.memory_limit_hit.load(Ordering::Acquire)
    }

    /// Sends one CDP message (JSON text). Malformed JSON gets V8's own error reply.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] over [`MAX_INSPECTOR_MESSAGE`] bytes; [`Error::Disposed`].
    pub fn send(&self, message: &str) -> Result<()> {
        if message.len() > MAX_INSPECTOR_MESSAGE {
            return Err(Error::InvalidArgument(format!(
                "inspector message of {} bytes is over the {MAX_INSPECTOR_MESSAGE}-byte limit",
                message.len()
            )));
        }
        if self.outgoing.is_closed() {
            return Err(Error::InvalidHandle("inspector session closed"));
        }
        self.post(Inbound::Message {
            session: self.id,
            text: message.to_string(),
        })
    }

    /// The next message from the inspector, waiting up to `timeout`. `Ok(None)` on timeout.
    ///
    /// # Errors
    /// [`Error::InvalidHandle`] once the session is closed (isolate disposed, or the client
    /// fell [`MAX_PENDING_OUTGOING`] messages behind) and nothing is left to read.
    pub fn recv_timeout(&self, timeout: Duration) -> Result<Option<String>> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(m) = self.outgoing.receiver.try_recv() {
                return Ok(Some(m));
            }
            if self.outgoing.is_closed() || self.isolate_gone() {
                return Err(Error::InvalidHandle("inspector session closed"));
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(None);
            }
            match self
                .outgoing
                .receiver
                .recv_timeout(left.min(Duration::from_millis(20)))
            {
                Ok(m) => return Ok(Some(m)),
                Err(_) => continue,
            }
        }
    }

    /// The next message from the inspector; `None` once the session is closed.
    pub async fn recv(&self) -> Option<String> {
        loop {
            let woken = self.outgoing.wake.notified();
            if let Ok(m) = self.outgoing.receiver.try_recv() {
                return Some(m);
            }
            if self.outgoing.is_closed() || self.isolate_gone() {
                return None;
            }
            // Disposal does not notify: look again now and then.
            let _ = tokio::time::timeout(Duration::from_millis(250), woken).await;
        }
    }

    /// Sends `method` with `params` and waits for its response's `result`, skipping
    /// notifications (they are dropped).
    ///
    /// # Errors
    /// The protocol error V8 answered with ([`Error::InvalidArgument`]), a timeout
    /// ([`Error::WallLimit`]), a closed session.
    pub fn call(&self, method: &str, params: Value, timeout: Duration) -> Result<Value> {
        static NEXT_CALL: AtomicU64 = AtomicU64::new(1 << 30);
        let call = NEXT_CALL.fetch_add(1, Ordering::Relaxed) % (i32::MAX as u64);
        self.send(&json!({ "id": call, "method": method, "params": params }).to_string())?;
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Some(text) = self.recv_timeout(left)? else {
                return Err(Error::WallLimit);
            };
            let Ok(reply) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            if reply.get("id").and_then(Value::as_u64) != Some(call) {
                continue;
            }
            if let Some(error) = reply.get("error") {
                return Err(Error::InvalidArgument(format!("{method}: {error}")));
            }
            return Ok(reply.get("result").cloned().unwrap_or(Value::Null));
        }
    }
}

impl Drop for InspectorSession {
    fn drop(&mut self) {
        if !self.attached {
            return;
        }
        let _ = self.post(Inbound::Disconnect { session: self.id });
    }
}
