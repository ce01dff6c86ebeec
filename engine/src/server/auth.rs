//! Tokens and passwords. Tokens are 32 random bytes (hex) and only their blake3 hash is stored;
//! passwords (for Basic auth, as screepsmod-auth does) are stored as a salted blake3 hash.
//! blake3 is fast, so a leaked database makes password guessing cheaper than with a slow KDF:
//! noted as a known weakness; tokens are random and not guessable.

use rand::RngCore;

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

/// `salt:hash` for a password.
pub fn password_hash(password: &str) -> String {
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let salt = hex(&salt);
    let hash = blake3::hash(format!("{salt}:{password}").as_bytes()).to_hex();
    format!("{salt}:{hash}")
}

/// Checks a password against `salt:hash`, in constant time over the hash.
pub fn password_matches(stored: &str, password: &str) -> bool {
    let Some((salt, hash)) = stored.split_once(':') else {
        return false;
    };
    let got = blake3::hash(format!("{salt}:{password}").as_bytes()).to_hex();
    constant_time_eq(got.as_bytes(), hash.as_bytes())
}

/// Byte equality whose time depends neither on where the inputs differ nor on their lengths:
/// both are hashed to 32 bytes and the digests compared in constant time (`blake3::Hash`'s
/// `PartialEq`). Comparing lengths first told an attacker the admin token's length.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    blake3::hash(a) == blake3::hash(b)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn tokens_are_random_and_passwords_salted() {
        assert_ne!(new_token(), new_token());
        assert_eq!(new_token().len(), 64);
        let a = password_hash("pw");
        let b = password_hash("pw");
        assert_ne!(a, b, "salted");
        assert!(password_matches(&a, "pw") && password_matches(&b, "pw"));
        assert!(!password_matches(&a, "pW") && !password_matches("garbage", "pw"));
    }
}
