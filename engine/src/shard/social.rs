//! Badges and messages between players (`POST /api/user/badge`, `/api/user/messages/*`), by
//! screeps/backend-local's rules (`api/user.js`, `api/user-messages.js`). Mailboxes are
//! bounded here, where Screeps' are not: a player can fill only the tail of another's
//! mailbox, never the disk.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use isoshard_world::PlayerId;

use super::Shard;
use crate::error::{EngineError, Result};
use crate::storage::{Badge, StoredMessage};

/// Screeps refuses a message longer than this (`text.length > 100*1024`, UTF-16 units).
pub const MESSAGE_TEXT_LIMIT: usize = 100 * 1024;
/// Messages a mailbox keeps, oldest dropped first (Screeps lists the last 100 per respondent
/// and keeps everything).
pub const MAILBOX_MESSAGES: usize = 200;
/// Bytes of text a mailbox keeps, oldest dropped first: two full-size messages fit.
pub const MAILBOX_TEXT_BYTES: usize = 256 * 1024;

impl Shard {
    /// Stores `player`'s badge at once (an account change, like a token).
    ///
    /// # Errors
    /// [`EngineError::UnknownPlayer`]; storage failures; a commit pending.
    pub fn set_badge(&mut self, player: PlayerId, badge: Badge) -> Result<()> {
        self.change_record(player, |r| {
            r.account.badge = Some(badge);
            Ok(())
        })?;
        Ok(())
    }

    /// Sends a message: an `out` copy into the sender's mailbox and an `in` copy into the
    /// recipient's, both written at the next commit. `now_ms` is the wall clock's unix ms.
    ///
    /// # Errors
    /// [`EngineError::UnknownPlayer`] for either side; [`EngineError::Usage`] for a text
    /// over [`MESSAGE_TEXT_LIMIT`] or a message to oneself.
    pub fn send_message(
        &mut self,
        from: PlayerId,
        to: PlayerId,
        text: String,
        now_ms: u64,
    ) -> Result<()> {
        if text.encode_utf16().count() > MESSAGE_TEXT_LIMIT {
            return Err(EngineError::Usage("text too long".into()));
        }
        if from == to {
            return Err(EngineError::Usage("invalid respondent".into()));
        }
        for p in [from, to] {
            if !self.players.contains_key(&p) {
                return Err(EngineError::UnknownPlayer(p.0.to_string()));
            }
        }
        let out_id = message_id(from, to, now_ms);
        let out = StoredMessage {
            id: out_id.clone(),
            respondent: to.0,
            date_ms: now_ms,
            outgoing: true,
            text: text.clone(),
            unread: true,
            out_message: None,
        };
        let incoming = StoredMessage {
            id: message_id(to, from, now_ms),
            respondent: from.0,
            outgoing: false,
            out_message: Some(out_id),
            ..out.clone()
        };
        self.change_mailbox(from, |m| m.push(out));
        self.change_mailbox(to, |m| m.push(incoming));
        Ok(())
    }

    /// Marks an incoming message of `player`'s read, and the sender's copy with it.
    ///
    /// # Errors
    /// [`EngineError::Usage`] (`invalid id`) when `player` received no message `id`.
    pub fn mark_message_read(&mut self, player: PlayerId, id: &str) -> Result<()> {
        let found = self
            .players
            .get(&player)
            .and_then(|p| p.data.messages.iter().find(|m| m.id == id && !m.outgoing))
            .map(|m| (PlayerId(m.respondent), m.out_message.clone()));
        let Some((sender, out_id)) = found else {
            return Err(EngineError::Usage("invalid id".into()));
        };
        self.change_mailbox(player, |m| mark_read(m, id));
        if let Some(out_id) = out_id {
            self.change_mailbox(sender, |m| mark_read(m, &out_id));
        }
        Ok(())
    }

    /// `player`'s mailbox, oldest first (empty for an unknown player).
    pub fn messages(&self, player: PlayerId) -> Arc<[StoredMessage]> {
        self.players
            .get(&player)
            .map(|p| p.data.messages.clone())
            .unwrap_or_else(|| Arc::new([]))
    }

    fn change_mailbox(&mut self, player: PlayerId, change: impl FnOnce(&mut Vec<StoredMessage>)) {
        let Some(p) = self.players.get_mut(&player) else {
            return;
        };
        let mut mailbox = p.data.messages.to_vec();
        change(&mut mailbox);
        bound(&mut mailbox);
        p.data.messages = mailbox.clone().into();
        p.data.unsaved.messages = Some(mailbox);
    }
}

fn mark_read(mailbox: &mut [StoredMessage], id: &str) {
    for m in mailbox.iter_mut().filter(|m| m.id == id) {
        m.unread = false;
    }
}

/// Drops the oldest messages until the mailbox is within both bounds.
fn bound(mailbox: &mut Vec<StoredMessage>) {
    let mut bytes: usize = mailbox.iter().map(|m| m.text.len()).sum();
    let mut drop = 0;
    while drop < mailbox.len()
        && (mailbox.len() - drop > MAILBOX_MESSAGES || bytes > MAILBOX_TEXT_BYTES)
    {
        bytes -= mailbox[drop].text.len();
        drop += 1;
    }
    mailbox.drain(..drop);
}

/// A fresh 24-hex-digit id: a hash of the two players, the time and a process-wide counter.
fn message_id(owner: PlayerId, respondent: PlayerId, now_ms: u64) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let mut h = blake3::Hasher::new();
    for part in [u64::from(owner.0), u64::from(respondent.0), now_ms, n] {
        h.update(&part.to_le_bytes());
    }
    h.finalize().to_hex()[..24].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(n: usize, text_bytes: usize) -> StoredMessage {
        StoredMessage {
            id: format!("{n:024x}"),
            respondent: 1,
            date_ms: n as u64,
            outgoing: false,
            text: "x".repeat(text_bytes),
            unread: true,
            out_message: None,
        }
    }

    #[test]
    fn a_flood_of_messages_keeps_only_the_newest_within_both_bounds() {
        let mut many: Vec<_> = (0..MAILBOX_MESSAGES + 50).map(|n| message(n, 10)).collect();
        bound(&mut many);
        assert_eq!(many.len(), MAILBOX_MESSAGES);
        assert_eq!(many[0].date_ms, 50, "the oldest went first");
        let mut big: Vec<_> = (0..5).map(|n| message(n, MESSAGE_TEXT_LIMIT)).collect();
        bound(&mut big);
        assert_eq!(big.len(), 2);
        assert_eq!(big[0].date_ms, 3);
    }

    #[test]
    fn ids_differ_for_the_same_players_at_the_same_millisecond() {
        let a = message_id(PlayerId(1), PlayerId(2), 5);
        let b = message_id(PlayerId(1), PlayerId(2), 5);
        assert_ne!(a, b);
        assert_eq!(a.len(), 24);
    }
}
