//! How one value is stored (format versions 2 and 3): a CRC-32 of the payload, big-endian, then the
//! payload (rmp for records, raw big-endian for `meta/tick`).
//!
//! sled checks its own log, but what it cannot read it drops — silently, with the records
//! after it. The checksum catches a value that reads back different; the marker file
//! (`marker.rs`) catches records that are gone.

use serde::{Deserialize, Serialize};

use crate::error::{EngineError, Result};

/// What is wrong with one stored value, for a [`EngineError::Damaged`] message.
pub(crate) type Problem = String;

/// The payload with its checksum in front.
pub(crate) fn seal(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 4);
    out.extend_from_slice(&crc32fast::hash(payload).to_be_bytes());
    out.extend_from_slice(payload);
    out
}

/// The payload of a sealed value, if its checksum holds.
pub(crate) fn unseal<'a>(key: &[u8], bytes: &'a [u8]) -> Result<&'a [u8], Problem> {
    let Some((sum, payload)) = bytes.split_first_chunk::<4>() else {
        return Err(format!(
            "record {} is {} bytes, shorter than its checksum",
            key_name(key),
            bytes.len()
        ));
    };
    if u32::from_be_bytes(*sum) != crc32fast::hash(payload) {
        return Err(format!("record {} fails its checksum", key_name(key)));
    }
    Ok(payload)
}

pub(crate) fn encode<T: Serialize>(v: &T) -> Result<Vec<u8>> {
    let payload = rmp_serde::to_vec_named(v)
        .map_err(|e| EngineError::Storage(format!("cannot encode a record: {e}")))?;
    Ok(seal(&payload))
}

/// As [`encode`], with struct fields by position instead of by name: for tick records, most
/// of what a shard writes each tick (a `move` intent takes 15 bytes instead of 34). [`decode`]
/// reads both forms, so records written before are still read. The fields' order is then part
/// of the format: a record misread after a type's fields were reordered is caught where
/// recovery re-simulates it, as a state hash that differs from the stored one.
pub(crate) fn encode_compact<T: Serialize>(v: &T) -> Result<Vec<u8>> {
    let payload = rmp_serde::to_vec(v)
        .map_err(|e| EngineError::Storage(format!("cannot encode a record: {e}")))?;
    Ok(seal(&payload))
}

pub(crate) fn decode<T: for<'de> Deserialize<'de>>(key: &[u8], bytes: &[u8]) -> Result<T, Problem> {
    rmp_serde::from_slice(unseal(key, bytes)?)
        .map_err(|e| format!("record {} does not decode: {e}", key_name(key)))
}

pub(crate) fn encode_u64(n: u64) -> Vec<u8> {
    seal(&n.to_be_bytes())
}

pub(crate) fn decode_u64(key: &[u8], bytes: &[u8]) -> Result<u64, Problem> {
    let payload = unseal(key, bytes)?;
    let raw: [u8; 8] = payload
        .try_into()
        .map_err(|_| format!("record {} is not a number", key_name(key)))?;
    Ok(u64::from_be_bytes(raw))
}

/// A key for messages: `tick/1234`, `meta/config`.
pub(crate) fn key_name(key: &[u8]) -> String {
    match key.iter().position(|&b| b == b'/') {
        Some(slash) if key.len() == slash + 9 => {
            let n = u64::from_be_bytes(key[slash + 1..].try_into().expect("8 bytes"));
            format!("{}{n}", String::from_utf8_lossy(&key[..=slash]))
        }
        _ => String::from_utf8_lossy(key).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_reads_back_and_any_flipped_bit_is_caught() {
        let sealed = encode(&("hello", 42u32)).unwrap();
        assert_eq!(
            decode::<(String, u32)>(b"k", &sealed).unwrap(),
            ("hello".to_string(), 42)
        );
        for byte in 0..sealed.len() {
            for bit in 0..8 {
                let mut bad = sealed.clone();
                bad[byte] ^= 1 << bit;
                let err = decode::<(String, u32)>(b"k", &bad).unwrap_err();
                assert!(err.contains("checksum"), "{err}");
            }
        }
        assert!(decode::<u32>(b"k", &sealed[..3])
            .unwrap_err()
            .contains("shorter"));
    }

    #[test]
    fn a_tick_record_reads_back_written_by_position_or_by_name() {
        use isoshard_world::{Intent, IntentBatch, ObjectId, PlayerId};
        let mut intents = IntentBatch::new();
        intents.extend(
            PlayerId(3),
            [
                Intent::Move {
                    creep: ObjectId(7),
                    direction: 2,
                },
                Intent::SpawnCreep {
                    spawn: ObjectId(8),
                    body: vec![isoshard_world::BodyPartKind::Work],
                    name: "w".into(),
                    energy_structures: None,
                },
            ],
        );
        let record = crate::storage::TickRecord {
            tick: 9,
            intents,
            state_hash: Default::default(),
        };
        let compact = encode_compact(&record).unwrap();
        // Records written before the compact form (by name) still read.
        let named = encode(&record).unwrap();
        assert!(
            compact.len() < named.len() * 2 / 3,
            "{} vs {}",
            compact.len(),
            named.len()
        );
        for bytes in [compact, named] {
            let back: crate::storage::TickRecord = decode(b"tick", &bytes).unwrap();
            assert_eq!(back.intents, record.intents);
            assert_eq!((back.tick, back.state_hash), (9, record.state_hash));
        }
    }

    #[test]
    fn keys_with_numbers_are_named_with_the_number() {
        let mut k = b"tick/".to_vec();
        k.extend_from_slice(&1234u64.to_be_bytes());
        assert_eq!(key_name(&k), "tick/1234");
        assert_eq!(key_name(b"meta/config"), "meta/config");
        assert_eq!(decode_u64(&k, &encode_u64(7)).unwrap(), 7);
    }
}
