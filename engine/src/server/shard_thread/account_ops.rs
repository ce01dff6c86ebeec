//! A player's own account commands on the shard thread: API tokens, the badge and messages
//! to other players. Each runs between ticks like every other command.

use isoshard_world::PlayerId;

use super::ShardThread;
use crate::error::Result;
use crate::server::auth::issue_token;
use crate::storage::Badge;

/// What an account command does.
#[derive(Debug, Clone)]
pub enum AccountOp {
    /// A new API token; the reply is its secret.
    CreateToken {
        name: String,
        expires_in_days: Option<u64>,
    },
    RevokeToken {
        id: String,
    },
    SetBadge(Badge),
    /// A message to another player, sent at unix ms `now_ms`.
    SendMessage {
        to: PlayerId,
        text: String,
        now_ms: u64,
    },
    /// Marks a received message read.
    MarkMessageRead {
        id: String,
    },
}

impl ShardThread {
    /// A player's account command: the new token's secret, or nothing.
    pub(super) fn account_op(&mut self, player: PlayerId, op: AccountOp) -> Result<String> {
        match op {
            AccountOp::CreateToken {
                name,
                expires_in_days,
            } => {
                let (secret, stored) = issue_token(&name, expires_in_days);
                self.shard.set_credentials(player, Some(stored), None)?;
                return Ok(secret);
            }
            AccountOp::RevokeToken { id } => self.shard.revoke_token(player, &id)?,
            AccountOp::SetBadge(badge) => self.shard.set_badge(player, badge)?,
            AccountOp::SendMessage { to, text, now_ms } => {
                self.shard.send_message(player, to, text, now_ms)?
            }
            AccountOp::MarkMessageRead { id } => self.shard.mark_message_read(player, &id)?,
        }
        Ok(String::new())
    }
}
