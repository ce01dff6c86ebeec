//! The shard's end of relayed DevTools sessions: [`InspectorRelay`] opens a session on the
//! runner that hosts a player and carries CDP messages both ways as protocol frames, so the
//! inspector works with players in runner processes.
//!
//! Shared between the shard thread (which assigns players to runners and replaces runners),
//! the runners' reader threads (which deliver `FromRunner::Inspector` frames) and the DevTools
//! endpoint (which opens [`RelayLink`]s). A link ends when its runner is replaced, the player's
//! isolate goes, or the client falls [`MAX_PENDING_OUTGOING`] messages behind.

use std::collections::BTreeMap;
use std::io::BufWriter;
use std::process::ChildStdin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use isoshard_scripting::{MAX_INSPECTOR_MESSAGE, MAX_PENDING_OUTGOING};
use isoshard_world::PlayerId;
use parking_lot::Mutex;
use tokio::sync::mpsc;

use super::protocol::{write_frame, InspectorOp, ToRunner};

/// Told of each player whose isolate (re)starts in a runner, with the relay to reach it:
/// `(username, player, relay)`.
pub type RelayObserver = Arc<dyn Fn(&str, PlayerId, &Arc<InspectorRelay>) + Send + Sync>;

/// A runner's stdin, shared by the tick thread and relayed sessions.
pub(super) type SharedStdin = Arc<Mutex<BufWriter<ChildStdin>>>;

struct OpenSession {
    runner: usize,
    player: PlayerId,
    to_client: mpsc::Sender<String>,
}

/// Where players run and which sessions are open, for relaying.
#[derive(Default)]
pub struct InspectorRelay {
    /// Each runner's stdin, by runner index (`None` while it is being replaced).
    runners: Mutex<Vec<Option<SharedStdin>>>,
    /// The runner index hosting each player.
    players: Mutex<BTreeMap<PlayerId, usize>>,
    sessions: Mutex<BTreeMap<u64, OpenSession>>,
    next_session: AtomicU64,
}

/// One relayed session, as the DevTools endpoint holds it. Dropping it closes the session.
pub struct RelayLink {
    relay: Arc<InspectorRelay>,
    player: PlayerId,
    session: u64,
    from_runner: mpsc::Receiver<String>,
}

impl InspectorRelay {
    pub(super) fn runner_started(&self, index: usize, stdin: SharedStdin) {
        let mut runners = self.runners.lock();
        if runners.len() <= index {
            runners.resize(index + 1, None);
        }
        runners[index] = Some(stdin);
    }

    /// Runner `index` is gone: its sessions end (their clients see the close).
    pub(super) fn runner_gone(&self, index: usize) {
        if let Some(slot) = self.runners.lock().get_mut(index) {
            *slot = None;
        }
        self.sessions.lock().retain(|_, s| s.runner != index);
    }

    pub(super) fn assign(&self, player: PlayerId, index: usize) {
        self.players.lock().insert(player, index);
    }

    /// A frame from a runner for `session`; `None` ends it. A client too slow to keep up
    /// loses its session rather than growing a queue.
    pub(super) fn deliver(&self, session: u64, message: Option<String>) {
        let mut sessions = self.sessions.lock();
        let Some(open) = sessions.get(&session) else {
            return;
        };
        let Some(message) = message else {
            sessions.remove(&session);
            return;
        };
        if open.to_client.try_send(message).is_err() {
            let (runner, player) = (open.runner, open.player);
            sessions.remove(&session);
            drop(sessions);
            let _ = self.op(runner, player, session, InspectorOp::Close);
        }
    }

    /// Opens a session on the isolate of `player`, on whichever runner hosts it now.
    ///
    /// # Errors
    /// A message when the player has no runner yet (it has not run a tick) or the runner's
    /// pipe is broken.
    pub fn open(self: &Arc<Self>, player: PlayerId) -> Result<RelayLink, String> {
        let runner = self
            .players
            .lock()
            .get(&player)
            .copied()
            .ok_or("this player has not run yet; try again after the next tick")?;
        let session = self.next_session.fetch_add(1, Ordering::Relaxed);
        let (to_client, from_runner) = mpsc::channel(MAX_PENDING_OUTGOING);
        self.sessions.lock().insert(
            session,
            OpenSession {
                runner,
                player,
                to_client,
            },
        );
        let link = RelayLink {
            relay: self.clone(),
            player,
            session,
            from_runner,
        };
        self.op(runner, player, session, InspectorOp::Open)?;
        Ok(link)
    }

    fn op(
        &self,
        runner: usize,
        player: PlayerId,
        session: u64,
        op: InspectorOp,
    ) -> Result<(), String> {
        let stdin = self
            .runners
            .lock()
            .get(runner)
            .cloned()
            .flatten()
            .ok_or("the runner hosting this player is being replaced")?;
        let frame = ToRunner::Inspector {
            player: player.0,
            session,
            op,
        };
        // The tick thread may hold the pipe while it writes a tick's frame (milliseconds).
        let written = write_frame(&mut *stdin.lock(), &frame);
        written.map_err(|e| format!("runner pipe: {e}"))
    }
}

impl RelayLink {
    /// Sends one CDP message to the isolate.
    ///
    /// # Errors
    /// A message over [`MAX_INSPECTOR_MESSAGE`] bytes, or a session that has ended.
    pub fn send(&self, message: &str) -> Result<(), String> {
        if message.len() > MAX_INSPECTOR_MESSAGE {
            return Err(format!(
                "inspector message of {} bytes is over the {MAX_INSPECTOR_MESSAGE}-byte limit",
                message.len()
            ));
        }
        let runner = self
            .relay
            .sessions
            .lock()
            .get(&self.session)
            .map(|s| s.runner)
            .ok_or("the session ended (runner replaced or isolate reset)")?;
        let op = InspectorOp::Message(message.to_string());
        self.relay.op(runner, self.player, self.session, op)
    }

    /// The isolate's next message; `None` once the session has ended.
    pub async fn recv(&mut self) -> Option<String> {
        self.from_runner.recv().await
    }
}

impl Drop for RelayLink {
    fn drop(&mut self) {
        let open = self.relay.sessions.lock().remove(&self.session);
        if let Some(open) = open {
            let _ = self
                .relay
                .op(open.runner, self.player, self.session, InspectorOp::Close);
        }
    }
}
