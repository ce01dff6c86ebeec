//! The runner's end of relayed DevTools sessions: the shard opens a session on one of this
//! runner's players, forwards the client's CDP messages as `ToRunner::Inspector` frames, and
//! gets the isolate's messages back as `FromRunner::Inspector` frames.
//!
//! Frames are handled on the runner's stdin reader thread, not the tick loop, so a player
//! paused at a breakpoint (its home thread waiting for CDP messages) can be resumed. Each
//! session has a forwarding thread that moves the isolate's messages to stdout. A player's
//! sessions end when its isolate goes (global reset, code change, memory limit).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use isoshard_scripting::{InspectorSession, InspectorTrust, Isolate};
use parking_lot::Mutex;

use super::doorbell::write_urgent_frame;
use super::process::SharedOut;
use super::protocol::{FromRunner, InspectorOp};

/// How often a forwarding thread looks whether its session was closed from the shard side.
const FORWARD_POLL: Duration = Duration::from_millis(100);

struct Relayed {
    player: u32,
    session: InspectorSession,
    /// Set when the shard closes the session or the player's isolate goes.
    closed: AtomicBool,
}

/// Players' current isolates and the sessions open on them.
pub(super) struct RunnerInspector {
    out: SharedOut,
    isolates: Mutex<BTreeMap<u32, Isolate>>,
    sessions: Mutex<BTreeMap<u64, Arc<Relayed>>>,
}

impl RunnerInspector {
    pub(super) fn new(out: SharedOut) -> Arc<Self> {
        Arc::new(RunnerInspector {
            out,
            isolates: Mutex::new(BTreeMap::new()),
            sessions: Mutex::new(BTreeMap::new()),
        })
    }

    /// Records the player's current isolate (`None` when it was disposed). Sessions on the
    /// previous isolate end: DevTools reconnects to the new one.
    pub(super) fn set_isolate(&self, player: u32, isolate: Option<Isolate>) {
        match isolate {
            Some(i) => self.isolates.lock().insert(player, i),
            None => self.isolates.lock().remove(&player),
        };
        for relayed in self.sessions.lock().values() {
            if relayed.player == player {
                relayed.closed.store(true, Ordering::Release);
            }
        }
    }

    /// One relayed step from the shard.
    pub(super) fn handle(self: &Arc<Self>, player: u32, session: u64, op: InspectorOp) {
        match op {
            InspectorOp::Open => self.open(player, session),
            InspectorOp::Message(text) => {
                let relayed = self.sessions.lock().get(&session).cloned();
                let sent = relayed.map(|r| r.session.send(&text));
                if !matches!(sent, Some(Ok(()))) {
                    self.close(session);
                }
            }
            InspectorOp::Close => self.close(session),
        }
    }

    fn close(&self, session: u64) {
        if let Some(r) = self.sessions.lock().get(&session) {
            r.closed.store(true, Ordering::Release);
        } else {
            self.send(session, None);
        }
    }

    fn send(&self, session: u64, message: Option<String>) -> bool {
        write_urgent_frame(
            &mut *self.out.lock(),
            &FromRunner::Inspector { session, message },
        )
        .is_ok()
    }

    fn open(self: &Arc<Self>, player: u32, session: u64) {
        let isolate = self.isolates.lock().get(&player).cloned();
        let opened = isolate.map(|i| i.inspector_session(InspectorTrust::Untrusted));
        let Some(Ok(opened)) = opened else {
            self.send(session, None);
            return;
        };
        let relayed = Arc::new(Relayed {
            player,
            session: opened,
            closed: AtomicBool::new(false),
        });
        self.sessions.lock().insert(session, relayed.clone());
        let me = self.clone();
        let forwarder = std::thread::Builder::new()
            .name(format!("isoshard-cdp-{session}"))
            .spawn(move || me.forward(session, &relayed));
        if forwarder.is_err() {
            self.sessions.lock().remove(&session);
            self.send(session, None);
        }
    }

    /// The isolate's messages to the shard until the session ends, then its end.
    fn forward(&self, session: u64, relayed: &Relayed) {
        while !relayed.closed.load(Ordering::Acquire) {
            match relayed.session.recv_timeout(FORWARD_POLL) {
                Ok(Some(m)) => {
                    if !self.send(session, Some(m)) {
                        break;
                    }
                }
                Ok(None) => {}
                Err(_) => break,
            }
        }
        self.sessions.lock().remove(&session);
        self.send(session, None);
    }
}
