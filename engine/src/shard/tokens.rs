//! Accounts' API tokens: named, optionally expiring, listed and revoked by their owner.
//!
//! At most [`MAX_TOKENS`] per account. Sign-in hands out tokens named [`SIGN_IN_TOKEN`] that
//! expire after [`SIGN_IN_TOKEN_DAYS`]; a new token first drops expired ones, then the oldest
//! sign-in token, never a token the owner named (a viewer's or a deploy tool's): when only
//! named tokens are left, creating another is refused until one is revoked.

use isoshard_world::PlayerId;

use super::Shard;
use crate::error::{EngineError, Result};
use crate::storage::{ApiToken, PlayerAccount};

pub const MAX_TOKENS: usize = 32;
pub const SIGN_IN_TOKEN: &str = "sign-in";
pub const SIGN_IN_TOKEN_DAYS: u64 = 30;

/// Unix seconds now (token creation and expiry only: never world state).
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Moves tokens of the old format (`token_hashes`) into `tokens`.
pub(crate) fn migrate_legacy_tokens(account: &mut PlayerAccount) {
    for hash in std::mem::take(&mut account.token_hashes) {
        account.tokens.push(ApiToken {
            hash,
            name: "legacy".into(),
            created: 0,
            expires: None,
        });
    }
}

/// Adds `token` to `account` under the rules above.
fn admit(account: &mut PlayerAccount, token: ApiToken) -> Result<()> {
    let now = unix_now();
    account.tokens.retain(|t| t.is_live(now));
    while account.tokens.len() >= MAX_TOKENS {
        let Some(oldest) = account.tokens.iter().position(|t| t.name == SIGN_IN_TOKEN) else {
            return Err(EngineError::Usage(format!(
                "{MAX_TOKENS} named tokens exist: revoke one first"
            )));
        };
        account.tokens.remove(oldest);
    }
    account.tokens.push(token);
    Ok(())
}

impl Shard {
    /// Adds a token and/or sets the password (hashes), storing the account first.
    ///
    /// # Errors
    /// [`EngineError::UnknownPlayer`], a full set of named tokens, storage failures.
    pub fn set_credentials(
        &mut self,
        player: PlayerId,
        token: Option<ApiToken>,
        password_hash: Option<String>,
    ) -> Result<()> {
        self.change_record(player, |r| {
            if let Some(t) = token {
                admit(&mut r.account, t)?;
            }
            if password_hash.is_some() {
                r.account.password_hash = password_hash;
            }
            Ok(())
        })?;
        Ok(())
    }

    /// Revokes the token whose [`ApiToken::id`] is `id`.
    ///
    /// # Errors
    /// [`EngineError::Usage`] when the player has no such token; storage failures.
    pub fn revoke_token(&mut self, player: PlayerId, id: &str) -> Result<()> {
        self.change_record(player, |r| {
            let before = r.account.tokens.len();
            r.account.tokens.retain(|t| t.id() != id);
            if r.account.tokens.len() == before {
                return Err(EngineError::Usage(format!("no token with id {id:?}")));
            }
            Ok(())
        })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(name: &str, n: usize, expires: Option<u64>) -> ApiToken {
        ApiToken {
            hash: format!("{n:064x}"),
            name: name.into(),
            created: n as u64,
            expires,
        }
    }

    fn account() -> PlayerAccount {
        PlayerAccount {
            token_hashes: vec!["ab".repeat(32)],
            ..PlayerAccount::new(PlayerId(1), "a")
        }
    }

    #[test]
    fn sign_ins_never_evict_a_named_token_and_expired_ones_go_first() {
        let mut a = account();
        migrate_legacy_tokens(&mut a);
        assert_eq!(a.tokens[0].name, "legacy");
        admit(&mut a, token("viewer", 1, None)).unwrap();
        admit(&mut a, token("old", 2, Some(1))).unwrap();
        for n in 10..200 {
            admit(&mut a, token(SIGN_IN_TOKEN, n, None)).unwrap();
        }
        assert_eq!(a.tokens.len(), MAX_TOKENS);
        let names: Vec<&str> = a.tokens.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(&names[..2], ["legacy", "viewer"], "named tokens stay");
        assert!(!names.contains(&"old"), "the expired token went first");
        // The newest sign-ins are the ones kept.
        assert_eq!(a.tokens.last().unwrap().created, 199);
        assert_eq!(a.tokens[2].created, 199 - (MAX_TOKENS as u64 - 3));
    }

    #[test]
    fn named_tokens_fill_up_and_the_next_is_refused() {
        let mut a = account();
        for n in 0..MAX_TOKENS {
            admit(&mut a, token("deploy", n, None)).unwrap();
        }
        assert!(admit(&mut a, token("one-more", 99, None)).is_err());
        assert!(token("t", 1, Some(10)).is_live(9));
        assert!(!token("t", 1, Some(10)).is_live(10));
    }
}
