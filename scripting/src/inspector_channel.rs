//! The host ends of an isolate's inspector: what host handles send to it ([`Inbound`]), the
//! queue each session's replies come back on ([`Outgoing`]), and the [`InspectorLink`] an
//! isolate handle holds. Plain channels: the inspector itself lives on the home thread
//! (`inspector.rs`), the session handle in `inspector_session.rs`.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use crossbeam_channel::{Receiver, Sender};

/// Largest CDP message a session accepts from its client.
pub const MAX_INSPECTOR_MESSAGE: usize = 1 << 20;
/// Messages a session buffers for a client that does not read; past this the session is
/// closed (a `console.log` loop must not grow host memory without bound).
pub const MAX_PENDING_OUTGOING: usize = 10_000;
/// Who is on the other end of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InspectorTrust {
    /// A player debugging their own code: V8's `Untrusted` level, no command-line API.
    Untrusted,
    /// The operator: every domain V8 offers (heap snapshots run outside the limits).
    Trusted,
}

/// What host handles send to an isolate's inspector.
pub(crate) enum Inbound {
    Connect {
        session: u64,
        trust: InspectorTrust,
        outgoing: Arc<Outgoing>,
    },
    Message {
        session: u64,
        text: String,
    },
    Disconnect {
        session: u64,
    },
}

/// Messages from the inspector to one session's client.
pub(crate) struct Outgoing {
    sender: Sender<String>,
    pub(crate) receiver: Receiver<String>,
    pub(crate) wake: tokio::sync::Notify,
    closed: std::sync::atomic::AtomicBool,
}

impl Outgoing {
    pub(crate) fn new() -> Arc<Outgoing> {
        let (sender, receiver) = crossbeam_channel::unbounded();
        Arc::new(Outgoing {
            sender,
            receiver,
            wake: tokio::sync::Notify::new(),
            closed: std::sync::atomic::AtomicBool::new(false),
        })
    }

    pub(crate) fn push(&self, text: String) -> bool {
        if self.receiver.len() >= MAX_PENDING_OUTGOING {
            self.close();
            return false;
        }
        let _ = self.sender.send(text);
        self.wake.notify_one();
        true
    }

    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::Release);
        self.wake.notify_one();
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }
}

/// The host end of a session that is kept open without a handle (a running CPU profile);
/// [`crate::InspectorSession`] re-attaches to it.
pub(crate) struct DetachedSession {
    pub(crate) id: u64,
    pub(crate) outgoing: Arc<Outgoing>,
}

/// What an isolate handle holds of its inspector.
pub(crate) struct InspectorLink {
    /// Sessions allowed ([`crate::IsolateOptions::inspector`]); profiles work regardless.
    pub(crate) enabled: bool,
    pub(crate) inbox: Sender<Inbound>,
    /// The sessions behind running CPU profiles, by title.
    pub(crate) profiles: parking_lot::Mutex<BTreeMap<String, DetachedSession>>,
}

impl InspectorLink {
    /// A link and the inbox the home thread reads.
    pub(crate) fn new(enabled: bool) -> (InspectorLink, Receiver<Inbound>) {
        let (inbox, receiver) = crossbeam_channel::unbounded();
        let link = InspectorLink {
            enabled,
            inbox,
            profiles: parking_lot::Mutex::default(),
        };
        (link, receiver)
    }
}
