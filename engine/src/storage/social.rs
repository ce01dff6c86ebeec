//! What an account shows other players and says to them, stored with it: the badge
//! (`POST /api/user/badge`) and the messages between players (`/api/user/messages/*`). Not
//! world state: neither is hashed, recorded or replayed.

use serde::{Deserialize, Serialize};

/// Screeps' badge: a pattern (1..=24), three `#rrggbb` colours, a parameter in -100..=100
/// and a flip (screeps/backend-local `api/user.js`, `POST /badge`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Badge {
    pub pattern: u8,
    pub colors: [String; 3],
    pub param: f64,
    pub flip: bool,
}

impl Eq for Badge {}

impl Badge {
    /// As Screeps' API shows it in every user document.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "type": self.pattern,
            "color1": self.colors[0],
            "color2": self.colors[1],
            "color3": self.colors[2],
            "param": self.param,
            "flip": self.flip,
        })
    }
}

/// One message in a player's mailbox. A message sent is stored twice, as Screeps stores it:
/// `out` in the sender's mailbox and `in` in the recipient's, each naming the other as
/// `respondent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredMessage {
    /// 24 hex digits, unique in the shard (Screeps' ids are Mongo object ids of that shape).
    pub id: String,
    /// The other player's id.
    pub respondent: u32,
    /// Unix milliseconds when it was sent (wall clock: messages are not world state).
    pub date_ms: u64,
    /// Sent by this mailbox's owner (`out`) or received (`in`).
    pub outgoing: bool,
    pub text: String,
    /// Not yet read by the recipient (both copies say so, as in Screeps).
    pub unread: bool,
    /// For an incoming message: the id of the sender's copy.
    pub out_message: Option<String>,
}

impl StoredMessage {
    /// As `/api/user/messages/*` and the socket show it, in `owner`'s mailbox.
    pub fn to_json(&self, owner: u32) -> serde_json::Value {
        let date = js_date(self.date_ms);
        let mut doc = serde_json::json!({
            "_id": self.id,
            "user": owner.to_string(),
            "respondent": self.respondent.to_string(),
            "date": date,
            "type": if self.outgoing { "out" } else { "in" },
            "text": self.text,
            "unread": self.unread,
        });
        if let Some(out) = &self.out_message {
            doc["outMessage"] = serde_json::json!(out);
        }
        doc
    }
}

/// `ms` as the text a JavaScript `Date` serializes to (`2026-12-07T09:10:21.000Z`).
fn js_date(ms: u64) -> String {
    i64::try_from(ms)
        .ok()
        .and_then(chrono::DateTime::from_timestamp_millis)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_javascript_prints_them() {
        assert_eq!(js_date(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(js_date(951_782_400_123), "2000-02-29T00:00:00.123Z");
        assert_eq!(js_date(1_796_634_621_000), "2026-12-07T09:10:21.000Z");
    }
}
