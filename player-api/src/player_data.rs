//! What a player keeps besides Memory, across the host boundary: `RawMemory` segments,
//! `InterShardMemory`, `Game.notify` and flags. What a tick hands in ([`ForeignSegment`], the
//! active segments, the flags) and what it asks the host to keep ([`PlayerDataChanges`]).
//! Segments follow screeps/driver's `lib/runtime/runtime.js`: 100 segments of at most 100 KB,
//! at most 10 active (readable the tick after the request) and at most 10 written per tick.
//! Flags follow screeps/engine's `src/game/flags.js` and the room processor's
//! `createFlag`/`removeFlag`: a tick's removals apply before its creations.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Segment ids are `0..SEGMENT_COUNT`.
pub const SEGMENT_COUNT: u8 = 100;
/// Screeps' limit on one segment (and on `InterShardMemory`'s local data): 100 KB.
pub const MAX_SEGMENT_BYTES: usize = 100 * 1024;
/// At most this many segments are active, and at most this many are written, per tick.
pub const MAX_ACTIVE_SEGMENTS: usize = 10;
/// `Game.notify` calls kept per tick (Screeps' own limit) and their length.
pub const MAX_NOTIFICATIONS_PER_TICK: usize = 20;
pub const MAX_NOTIFICATION_CHARS: usize = 1000;
/// Screeps' `FLAGS_LIMIT`: flags one player may have.
pub const FLAGS_LIMIT: usize = 10_000;
/// Longest flag name (characters).
pub const MAX_FLAG_NAME_CHARS: usize = 100;

/// One flag: where it stands and its colours (`COLOR_RED` … `COLOR_WHITE`, 1..=10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagRecord {
    pub name: String,
    pub room: String,
    pub x: u8,
    pub y: u8,
    pub color: u8,
    pub secondary_color: u8,
}

impl FlagRecord {
    /// The prelude's form: `[name, color, secondaryColor, room, x, y]`.
    pub fn to_json(&self) -> Value {
        serde_json::json!([
            self.name,
            self.color,
            self.secondary_color,
            self.room,
            self.x,
            self.y
        ])
    }

    /// Parses and checks `[name, color, secondaryColor, room, x, y]`: a name of 1..=100
    /// characters, colours 1..=10, a Screeps room name, coordinates 0..=49.
    fn from_json(v: &[Value]) -> Option<FlagRecord> {
        let name = v.first()?.as_str()?;
        let count = name.chars().count();
        if count == 0 || count > MAX_FLAG_NAME_CHARS {
            return None;
        }
        let color = |i: usize| {
            v.get(i)?
                .as_u64()
                .filter(|c| (1..=10).contains(c))
                .map(|c| c as u8)
        };
        let coord = |i: usize| v.get(i)?.as_u64().filter(|c| *c < 50).map(|c| c as u8);
        let room = v.get(3)?.as_str()?;
        if isoshard_world::RoomCoord::parse(room)
            .map(|c| c.name())
            .as_deref()
            != Some(room)
        {
            return None;
        }
        Some(FlagRecord {
            name: name.to_string(),
            room: room.to_string(),
            x: coord(4)?,
            y: coord(5)?,
            color: color(1)?,
            secondary_color: color(2)?,
        })
    }
}

/// A tick's flag change, in the order the player made them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlagOp {
    /// `createFlag`, and the second half of `setColor`/`setPosition`.
    Create(FlagRecord),
    Remove(String),
}

/// A player's segment settings, kept between ticks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentSettings {
    /// `setActiveSegments`: the segments handed in from the next tick on.
    pub active: Vec<u8>,
    /// `setPublicSegments`: the segments other players may read.
    pub public: Vec<u8>,
    /// `setDefaultPublicSegment`: what a foreign request without an id reads.
    pub default_public: Option<u8>,
    /// `setActiveForeignSegment`: another player's public segment to hand in.
    pub foreign: Option<ForeignRequest>,
}

/// `RawMemory.setActiveForeignSegment(username, id)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignRequest {
    pub username: String,
    pub id: Option<u8>,
}

/// `RawMemory.foreignSegment` as the player reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignSegment {
    pub username: String,
    pub id: u8,
    pub data: String,
}

/// What one tick asks the host to keep, beyond Memory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayerDataChanges {
    /// Segments written with new text.
    pub segments: Vec<(u8, String)>,
    pub active: Option<Vec<u8>>,
    pub public: Option<Vec<u8>>,
    /// `Some(None)`: the default was cleared.
    pub default_public: Option<Option<u8>>,
    /// `Some(None)`: the request was cleared.
    pub foreign: Option<Option<ForeignRequest>>,
    /// `InterShardMemory.setLocal`, when called.
    pub inter_shard: Option<String>,
    /// `Game.notify` messages of the tick.
    pub notifications: Vec<String>,
    /// Flag changes, in order (at most [`FLAGS_LIMIT`] a tick; each checked on its own).
    pub flags: Vec<FlagOp>,
    /// `Game.cpu.generatePixel` was called (one pixel a tick at most).
    pub generate_pixel: bool,
}

impl PlayerDataChanges {
    /// Whether the tick changed nothing.
    pub fn is_empty(&self) -> bool {
        *self == PlayerDataChanges::default()
    }

    /// Applies the settings part to `settings`; returns whether they changed.
    pub fn apply_settings(&self, settings: &mut SegmentSettings) -> bool {
        let before = settings.clone();
        if let Some(active) = &self.active {
            settings.active = active.clone();
        }
        if let Some(public) = &self.public {
            settings.public = public.clone();
        }
        if let Some(d) = self.default_public {
            settings.default_public = d;
        }
        if let Some(f) = &self.foreign {
            settings.foreign = f.clone();
        }
        *settings != before
    }

    /// Reads the tick result's `data` object (built by the prelude, `90_entry.js`). The values
    /// were checked there; ids and sizes are checked again, since the arrays are reachable
    /// from player code: what does not fit is left out.
    pub(crate) fn from_result(data: Option<&Value>) -> PlayerDataChanges {
        let mut out = PlayerDataChanges::default();
        let Some(data) = data else {
            return out;
        };
        let ids = |v: &Value| -> Option<Vec<u8>> {
            let list: Vec<u8> = v
                .as_array()?
                .iter()
                .filter_map(segment_id)
                .take(u8::MAX as usize)
                .collect();
            Some(list)
        };
        if let Some(flat) = data.get("segments").and_then(Value::as_array) {
            out.segments = flat
                .chunks_exact(2)
                .filter_map(|p| Some((segment_id(&p[0])?, p[1].as_str()?.to_string())))
                .filter(|(_, text)| text.len() <= MAX_SEGMENT_BYTES * 3)
                .take(MAX_ACTIVE_SEGMENTS)
                .collect();
        }
        out.active = data.get("active").and_then(ids).map(|mut a| {
            a.truncate(MAX_ACTIVE_SEGMENTS);
            a
        });
        out.public = data.get("public").and_then(ids);
        out.default_public = data.get("defaultPublic").map(segment_id);
        out.foreign = data.get("foreign").map(|f| {
            Some(ForeignRequest {
                username: f.get("username")?.as_str()?.to_string(),
                id: f.get("id").and_then(segment_id),
            })
        });
        out.inter_shard = data
            .get("interShard")
            .and_then(Value::as_str)
            .filter(|s| s.len() <= MAX_SEGMENT_BYTES * 3)
            .map(str::to_string);
        if let Some(ops) = data.get("flags").and_then(Value::as_array) {
            out.flags = ops
                .iter()
                .filter_map(|op| {
                    let op = op.as_array()?;
                    match op.first()?.as_str()? {
                        "create" => FlagRecord::from_json(&op[1..]).map(FlagOp::Create),
                        "remove" => Some(FlagOp::Remove(op.get(1)?.as_str()?.to_string())),
                        _ => None,
                    }
                })
                .take(FLAGS_LIMIT)
                .collect();
        }
        out.generate_pixel = data.get("pixel") == Some(&Value::Bool(true));
        if let Some(list) = data.get("notify").and_then(Value::as_array) {
            out.notifications = list
                .iter()
                .filter_map(Value::as_str)
                .take(MAX_NOTIFICATIONS_PER_TICK)
                .map(|m| m.chars().take(MAX_NOTIFICATION_CHARS).collect())
                .collect();
        }
        out
    }
}

fn segment_id(v: &Value) -> Option<u8> {
    v.as_u64()
        .filter(|n| *n < SEGMENT_COUNT as u64)
        .map(|n| n as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_result_reaching_for_ids_and_sizes_out_of_range_keeps_only_what_fits() {
        let data = json!({
            "segments": [3, "a", 100, "b", -1, "c", 4, 5],
            "active": [1, 2, 300, 99],
            "defaultPublic": null,
            "foreign": {"username": "x"},
            "notify": ["n".repeat(5000)],
            "flags": [["create", "ok", 1, 10, "W1N1", 3, 4], ["create", "bad colour", 0, 1, "W1N1", 3, 4],
                      ["create", "x".repeat(101), 1, 1, "W1N1", 3, 4], ["create", "off", 1, 1, "W1N1", 50, 4],
                      ["create", "nowhere", 1, 1, "W01N1", 3, 4], ["remove", "ok"], ["teleport", "ok"]],
        });
        let c = PlayerDataChanges::from_result(Some(&data));
        assert_eq!(c.segments, [(3, "a".to_string())]);
        assert_eq!(c.active, Some(vec![1, 2, 99]));
        assert_eq!(c.default_public, Some(None));
        assert_eq!(
            c.foreign,
            Some(Some(ForeignRequest {
                username: "x".into(),
                id: None
            }))
        );
        assert_eq!(c.notifications[0].chars().count(), MAX_NOTIFICATION_CHARS);
        assert_eq!(
            c.flags,
            [
                FlagOp::Create(FlagRecord {
                    name: "ok".into(),
                    room: "W1N1".into(),
                    x: 3,
                    y: 4,
                    color: 1,
                    secondary_color: 10
                }),
                FlagOp::Remove("ok".into())
            ]
        );
        let mut settings = SegmentSettings::default();
        assert!(c.apply_settings(&mut settings));
        assert!(
            !c.apply_settings(&mut settings),
            "the same changes twice change nothing"
        );
    }
}
