//! `RawMemory` segments, `InterShardMemory` and `Game.notify` across the host boundary: what a
//! tick hands in ([`ForeignSegment`], the active segments) and what it asks the host to keep
//! ([`PlayerDataChanges`]). The rules are screeps/driver's `lib/runtime/runtime.js`: 100
//! segments of at most 100 KB, at most 10 active (readable the tick after the request) and at
//! most 10 written per tick.

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
        let mut settings = SegmentSettings::default();
        assert!(c.apply_settings(&mut settings));
        assert!(
            !c.apply_settings(&mut settings),
            "the same changes twice change nothing"
        );
    }
}
