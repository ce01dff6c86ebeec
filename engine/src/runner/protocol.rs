//! The shard ↔ runner protocol: length-prefixed rmp-serde frames over any byte stream (pipes
//! today, TCP for remote runners), versioned, with no shared memory assumed.
//!
//! Frame: `[payload length: u32 LE][rmp-serde payload]`, at most [`MAX_FRAME`] bytes.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use isoshard_world::Intent;
use serde::{Deserialize, Serialize};

/// Protocol version; both sides refuse a mismatch.
pub const PROTOCOL_VERSION: u32 = 10;
/// Largest frame accepted.
pub const MAX_FRAME: u32 = 512 << 20;

/// Player runtime settings sent once.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RuntimeSettings {
    pub memory_limit_mb: usize,
    pub setup_cpu_ms: u64,
    /// `(name, source)` operator preloads.
    pub preloads: Vec<(String, String)>,
    /// Players get lodash as `_`.
    pub lodash: bool,
    /// Isolates accept DevTools sessions relayed over this protocol (each gets a thread of
    /// its own, and a runner then runs its players strictly one after another).
    pub inspector: bool,
}

/// One step of a relayed DevTools session.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum InspectorOp {
    /// Opens `session` on the player's current isolate (untrusted level).
    Open,
    /// A CDP message from the client.
    Message(String),
    /// The client went away.
    Close,
}

/// One player's turn, as a runner receives it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WireTurn {
    pub player: u32,
    pub username: String,
    pub code_version: u64,
    /// Sent when the runner does not hold this version (global reset), with the Memory to start from.
    pub code: Option<(BTreeMap<String, String>, String)>,
    pub tick: u64,
    pub cpu_limit: i64,
    pub bucket: i64,
    pub seed: u64,
    /// Names into the tick's room list.
    pub rooms: Vec<String>,
    /// The active memory segments, the foreign segment and InterShardMemory (protocol 6).
    pub segments: Vec<(u8, String)>,
    pub foreign_segment: Option<isoshard_player_api::ForeignSegment>,
    pub inter_shard: String,
    /// `PlayerTickInput::flags` (protocol 6).
    pub flags: String,
    /// `PlayerTickInput::gcl` (protocol 7).
    pub gcl: u64,
    /// `PlayerTickInput::market` (protocol 8).
    pub market: String,
    /// `PlayerTickInput::resources` (protocol 9).
    pub resources: String,
    /// `PlayerTickInput::commands` (protocol 10).
    pub commands: Vec<isoshard_player_api::ConsoleCommand>,
}

/// One player's result.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct WireOutput {
    pub outcome: Option<String>,
    pub error: Option<String>,
    pub intents: Vec<Intent>,
    pub rejected_intents: usize,
    pub console: Vec<String>,
    /// `PlayerTickOutput::command_results` (protocol 10).
    pub command_results: Vec<String>,
    pub memory: Option<String>,
    pub cpu_ns: u64,
    pub wall_ns: u64,
    pub heap_used_bytes: usize,
    pub marshal_ns: u64,
    pub run_ns: u64,
    pub collect_ns: u64,
    /// `PlayerTickOutput::visuals` (protocol 5) and `data` (protocol 6).
    pub visuals: Vec<(String, String)>,
    pub data: isoshard_player_api::PlayerDataChanges,
}

/// A room's view as V8 wire bytes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RoomBytes {
    pub name: String,
    #[serde(with = "serde_bytes")]
    pub bytes: Vec<u8>,
}

/// Shard → runner. Byte payloads are msgpack `bin` (one copy), not arrays of numbers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum ToRunner {
    /// `room_names` in room-id order (the path grid is indexed by it).
    Hello {
        version: u32,
        #[serde(with = "serde_bytes")]
        map: Vec<u8>,
        settings: RuntimeSettings,
    },
    /// Rooms are sent once per runner per tick, as V8 wire bytes; so is the market's order
    /// book (protocol 9).
    Tick {
        tick: u64,
        rooms: Vec<RoomBytes>,
        market_book: isoshard_player_api::MarketBook,
        turns: Vec<WireTurn>,
    },
    Reset {
        player: u32,
    },
    /// A DevTools session step for one of this runner's players; handled at once, even
    /// while a tick runs (a paused player waits on it).
    Inspector {
        player: u32,
        session: u64,
        op: InspectorOp,
    },
    Shutdown,
}

/// Runner → shard.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum FromRunner {
    Ready {
        version: u32,
        pid: u32,
    },
    /// Sent before each player's code runs: a crash names its culprit.
    Starting {
        player: u32,
    },
    Result {
        player: u32,
        output: WireOutput,
    },
    TickDone,
    Refused {
        reason: String,
    },
    /// A CDP message for a relayed session; `None`: the session ended (isolate gone, reset,
    /// or it could not be opened).
    Inspector {
        session: u64,
        message: Option<String>,
    },
}

/// Writes one frame without flushing (to coalesce it with the next).
///
/// # Errors
/// I/O failures, payloads over [`MAX_FRAME`].
pub fn write_frame_buffered<T: Serialize>(out: &mut impl Write, msg: &T) -> std::io::Result<()> {
    let payload = rmp_serde::to_vec(msg).map_err(std::io::Error::other)?;
    let len = u32::try_from(payload.len())
        .ok()
        .filter(|l| *l <= MAX_FRAME)
        .ok_or_else(|| std::io::Error::other("frame too large"))?;
    out.write_all(&len.to_le_bytes())?;
    out.write_all(&payload)
}

/// Writes one frame and flushes.
///
/// # Errors
/// I/O failures, payloads over [`MAX_FRAME`].
pub fn write_frame<T: Serialize>(out: &mut impl Write, msg: &T) -> std::io::Result<()> {
    write_frame_buffered(out, msg)?;
    out.flush()
}

/// Reads one frame; `Ok(None)` at a clean end of stream.
///
/// # Errors
/// I/O failures, oversized or undecodable frames.
pub fn read_frame<T: for<'de> Deserialize<'de>>(
    input: &mut impl Read,
) -> std::io::Result<Option<T>> {
    let Some(payload) = read_raw_frame(input)? else {
        return Ok(None);
    };
    rmp_serde::from_slice(&payload)
        .map(Some)
        .map_err(std::io::Error::other)
}

/// Reads one frame's payload without decoding it (what a relay passes on); `Ok(None)` at a
/// clean end of stream.
///
/// # Errors
/// I/O failures, oversized frames.
pub fn read_raw_frame(input: &mut impl Read) -> std::io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        match input.read(&mut len[got..])? {
            0 if got == 0 => return Ok(None),
            0 => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "truncated frame header",
                ))
            }
            n => got += n,
        }
    }
    let len = u32::from_le_bytes(len);
    if len > MAX_FRAME {
        return Err(std::io::Error::other(format!(
            "frame of {len} bytes refused"
        )));
    }
    let mut payload = vec![0u8; len as usize];
    input.read_exact(&mut payload)?;
    Ok(Some(payload))
}

/// Writes one frame from an encoded payload and flushes.
///
/// # Errors
/// I/O failures, payloads over [`MAX_FRAME`].
pub fn write_raw_frame(out: &mut impl Write, payload: &[u8]) -> std::io::Result<()> {
    let len = u32::try_from(payload.len())
        .ok()
        .filter(|l| *l <= MAX_FRAME)
        .ok_or_else(|| std::io::Error::other("frame too large"))?;
    out.write_all(&len.to_le_bytes())?;
    out.write_all(payload)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_garbage_is_refused() {
        let mut buf = Vec::new();
        write_frame(&mut buf, &FromRunner::Starting { player: 7 }).unwrap();
        write_frame(&mut buf, &FromRunner::TickDone).unwrap();
        let mut r = &buf[..];
        assert!(matches!(
            read_frame::<FromRunner>(&mut r).unwrap(),
            Some(FromRunner::Starting { player: 7 })
        ));
        assert!(matches!(
            read_frame::<FromRunner>(&mut r).unwrap(),
            Some(FromRunner::TickDone)
        ));
        assert!(read_frame::<FromRunner>(&mut r).unwrap().is_none());
        let mut huge = &(u32::MAX).to_le_bytes()[..];
        assert!(read_frame::<FromRunner>(&mut huge).is_err());
        let mut bad = &[3u8, 0, 0, 0, 0xc1, 0xc1, 0xc1][..];
        assert!(read_frame::<FromRunner>(&mut bad).is_err());
    }
}
