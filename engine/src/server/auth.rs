//! Tokens and passwords. Tokens are 32 random bytes (hex) and only their blake3 hash is stored
//! (they are random, so a fast hash is right for them). Passwords (for Basic auth and
//! `/api/auth/signin`, as screepsmod-auth does) are stored as argon2id PHC strings with
//! OWASP's parameters (19 MiB, 2 passes, 1 lane): a leaked database costs a guesser ~20 ms
//! of CPU and 19 MiB per guess. Hashes from before (`salt:blake3`) still verify, and a
//! successful sign-in replaces them with argon2id.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;

use crate::error::{EngineError, Result};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh random API token.
pub fn new_token() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex(&b)
}

/// What is stored for a token.
pub fn token_hash(token: &str) -> String {
    blake3::hash(token.as_bytes()).to_hex().to_string()
}

/// A new token: the secret to hand out once, and what the account stores of it.
pub fn issue_token(name: &str, expires_in_days: Option<u64>) -> (String, crate::storage::ApiToken) {
    let secret = new_token();
    let created = crate::shard::unix_now();
    let stored = crate::storage::ApiToken {
        hash: token_hash(&secret),
        name: name.to_string(),
        created,
        expires: expires_in_days.map(|d| created.saturating_add(d.saturating_mul(86_400))),
    };
    (secret, stored)
}

/// Whether `token` is one of `tokens` and live now (hashes compared in constant time).
pub fn token_matches(tokens: &[crate::storage::ApiToken], token: &str) -> bool {
    let hash = token_hash(token);
    let now = crate::shard::unix_now();
    tokens
        .iter()
        .any(|t| t.is_live(now) && constant_time_eq(t.hash.as_bytes(), hash.as_bytes()))
}

/// argon2id with the crate's defaults, which are OWASP's recommendation (m=19 MiB, t=2, p=1).
fn argon2() -> Argon2<'static> {
    Argon2::default()
}

/// The argon2id PHC string for a password (`$argon2id$v=19$m=19456,t=2,p=1$…`). Costs ~20 ms
/// of CPU: call it off the shard thread and off async workers.
///
/// # Errors
/// [`EngineError::Usage`] for a password argon2 refuses (over 4 GiB).
pub fn password_hash(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let refused = |e| EngineError::Usage(format!("cannot hash this password: {e}"));
    let salt = SaltString::encode_b64(&salt).map_err(refused)?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(refused)
}

/// Whether `password` is the one `stored` was made from.
#[derive(Debug, PartialEq, Eq)]
pub enum PasswordCheck {
    Wrong,
    Right,
    /// Right, and `stored` is the old fast hash: store this argon2id hash instead.
    RightUpgrade(String),
}

/// Checks a password against what is stored (argon2id, or the old `salt:blake3`).
pub fn check_password(stored: &str, password: &str) -> PasswordCheck {
    if stored.starts_with("$argon2") {
        let Ok(parsed) = PasswordHash::new(stored) else {
            return PasswordCheck::Wrong;
        };
        return match argon2().verify_password(password.as_bytes(), &parsed) {
            Ok(()) => PasswordCheck::Right,
            Err(_) => PasswordCheck::Wrong,
        };
    }
    let Some((salt, hash)) = stored.split_once(':') else {
        return PasswordCheck::Wrong;
    };
    let got = blake3::hash(format!("{salt}:{password}").as_bytes()).to_hex();
    if constant_time_eq(got.as_bytes(), hash.as_bytes()) {
        match password_hash(password) {
            Ok(new) => PasswordCheck::RightUpgrade(new),
            Err(_) => PasswordCheck::Right,
        }
    } else {
        PasswordCheck::Wrong
    }
}

/// Byte equality whose time depends neither on where the inputs differ nor on their lengths:
/// both are hashed to 32 bytes and the digests compared with `subtle`'s constant-time
/// equality. Comparing lengths first told an attacker the admin token's length.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    let (a, b) = (blake3::hash(a), blake3::hash(b));
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_argon2id_and_old_blake3_hashes_verify_and_upgrade() {
        let stored = password_hash("hunter2").unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert_ne!(stored, password_hash("hunter2").unwrap(), "salted");
        assert_eq!(check_password(&stored, "hunter2"), PasswordCheck::Right);
        assert_eq!(check_password(&stored, "hunter3"), PasswordCheck::Wrong);
        assert_eq!(
            check_password("$argon2id$garbage", "x"),
            PasswordCheck::Wrong
        );
        let salt = "00112233445566778899aabbccddeeff";
        let old = format!(
            "{salt}:{}",
            blake3::hash(format!("{salt}:hunter2").as_bytes()).to_hex()
        );
        let PasswordCheck::RightUpgrade(new) = check_password(&old, "hunter2") else {
            panic!("the old hash verifies and asks for an upgrade");
        };
        assert_eq!(check_password(&new, "hunter2"), PasswordCheck::Right);
        assert_eq!(check_password(&old, "hunter3"), PasswordCheck::Wrong);
    }

    #[test]
    fn equality_holds_only_for_equal_bytes_whatever_the_lengths() {
        assert!(constant_time_eq(
            b"admin-token-0123456789",
            b"admin-token-0123456789"
        ));
        assert!(!constant_time_eq(
            b"admin-token-0123456789",
            b"admin-token-012345678"
        ));
        assert!(!constant_time_eq(
            b"admin-token-0123456789",
            b"admin-token-0123456780"
        ));
        assert!(!constant_time_eq(b"", b"x"));
        assert!(constant_time_eq(b"", b""));
    }

    #[test]
    fn tokens_are_random() {
        assert_ne!(new_token(), new_token());
        assert_eq!(new_token().len(), 64);
        assert_eq!(check_password("garbage", "pw"), PasswordCheck::Wrong);
    }
}
