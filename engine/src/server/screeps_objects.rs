//! Room objects as the Screeps server stores and sends them (`rooms.objects` documents: `_id`,
//! `user` ids, absolute times such as `ageTime` and `decayTime`), made from the world's room
//! views, and Screeps' `common.getDiff` between two ticks of a room: what the socket's
//! `room:<name>` channel sends.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

/// Screeps' ids of its own players.
const INVADER_ID: &str = "2";
const SOURCE_KEEPER_ID: &str = "3";

/// Usernames → the ids the API shows (`"2"` and `"3"` for the world's own players).
pub(crate) struct UserIds<'a> {
    pub by_name: &'a BTreeMap<String, u32>,
}

impl UserIds<'_> {
    pub fn id(&self, name: &str) -> Value {
        match name {
            "Invader" => json!(INVADER_ID),
            "Source Keeper" => json!(SOURCE_KEEPER_ID),
            n => self
                .by_name
                .get(n)
                .map_or(Value::Null, |id| json!(id.to_string())),
        }
    }
}

/// The room's objects by `_id`, from its view (`{objects: [...]}`) at `game_time`.
pub(crate) fn room_objects(view: &Value, game_time: u64, users: &UserIds) -> Map<String, Value> {
    let mut out = Map::new();
    let Some(objects) = view.get("objects").and_then(Value::as_array) else {
        return out;
    };
    for o in objects {
        if let Some(doc) = screeps_object(o, game_time, users) {
            if let Some(id) = doc.get("_id").and_then(Value::as_str) {
                out.insert(id.to_string(), Value::Object(doc.clone()));
            }
        }
    }
    out
}

/// A `{resource: amount}` object from the view's `[[resource, amount], …]` pairs.
fn pairs_to_object(pairs: &Value) -> Value {
    let mut m = Map::new();
    for pair in pairs.as_array().into_iter().flatten() {
        if let (Some(k), Some(v)) = (pair.get(0).and_then(Value::as_str), pair.get(1)) {
            m.insert(k.to_string(), v.clone());
        }
    }
    Value::Object(m)
}

/// One object as Screeps stores it. Relative timers become the absolute game times Screeps
/// keeps (`ticksToDecay` → `decayTime`, …; creeps' `ageTime` and controllers'
/// `downgradeTime` are times in the views already).
fn screeps_object(view: &Value, t: u64, users: &UserIds) -> Option<Map<String, Value>> {
    let src = view.as_object()?;
    let mut doc = Map::new();
    let at = |v: &Value| v.as_u64().map(|n| json!(t + n));
    for (key, v) in src {
        match key.as_str() {
            "id" => {
                doc.insert("_id".into(), v.clone());
            }
            "owner" => {
                doc.insert("user".into(), users.id(v.as_str().unwrap_or_default()));
            }
            "store" | "storeCapacityResource" => {
                doc.insert(key.clone(), pairs_to_object(v));
            }
            "ticksToDecay" => {
                doc.insert("decayTime".into(), at(v)?);
                doc.insert("nextDecayTime".into(), at(v)?);
            }
            "ticksToRegeneration" => {
                doc.insert("nextRegenerationTime".into(), at(v)?);
            }
            "safeMode" | "safeModeCooldown" | "upgradeBlocked" => {
                doc.insert(key.clone(), at(v)?);
            }
            "reservation" => {
                let user = users.id(v["username"].as_str().unwrap_or_default());
                let end = v["ticksToEnd"].as_u64().unwrap_or(0);
                doc.insert(
                    "reservation".into(),
                    json!({ "user": user, "endTime": t + end }),
                );
            }
            "sign" => {
                let user = users.id(v["username"].as_str().unwrap_or_default());
                doc.insert(
                    "sign".into(),
                    json!({ "user": user, "text": v["text"], "time": v["time"] }),
                );
            }
            "spawnJob" => {
                let remaining = v["remainingTime"].as_u64().unwrap_or(0);
                doc.insert(
                    "spawning".into(),
                    json!({
                        "name": v["name"],
                        "needTime": v["needTime"],
                        "spawnTime": t + remaining,
                        "directions": v.get("directions").cloned().unwrap_or(Value::Null),
                    }),
                );
            }
            "saying" => {
                let public = src
                    .get("sayingPublic")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                doc.insert(
                    "actionLog".into(),
                    json!({ "say": { "message": v, "isPublic": public } }),
                );
            }
            "sayingPublic" => {}
            "effects" => {
                // `[[effect, ticksRemaining], …]` → Screeps' `{effect, power, endTime}`.
                let effects: Vec<Value> = v
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|e| {
                        let end = e[1].as_u64().unwrap_or(0);
                        json!({ "effect": e[0], "power": e[0], "endTime": t + end })
                    })
                    .collect();
                doc.insert("effects".into(), Value::Array(effects));
            }
            "quiet" => {
                doc.insert(
                    "notifyWhenAttacked".into(),
                    json!(!v.as_bool().unwrap_or(false)),
                );
            }
            "ruinStructure" => {
                let user = v
                    .get("owner")
                    .and_then(Value::as_str)
                    .map_or(Value::Null, |o| users.id(o));
                doc.insert(
                    "structure".into(),
                    json!({ "id": v["id"], "type": v["structureType"], "hits": 0, "hitsMax": v["hitsMax"], "user": user }),
                );
            }
            _ => {
                doc.insert(key.clone(), v.clone());
            }
        }
    }
    // A dropped resource is stored as `{type: resource, [resource]: amount, resourceType}`.
    if let (Some(resource), Some(amount)) = (
        src.get("resourceType").and_then(Value::as_str),
        src.get("amount"),
    ) {
        if src.get("type").and_then(Value::as_str) == Some("energy") {
            doc.insert("type".into(), json!(resource));
            doc.insert(resource.to_string(), amount.clone());
        }
    }
    Some(doc)
}

/// Screeps' `common.getDiff(old, new)`: new objects whole, gone ones `null`, changed ones
/// only their changed fields (nested objects likewise; a field that went away is `null`).
pub(crate) fn diff(old: &Map<String, Value>, new: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (id, before) in old {
        if !new.contains_key(id) {
            out.insert(id.clone(), Value::Null);
        } else if let Some(changed) = diff_value(before, &new[id]) {
            out.insert(id.clone(), changed);
        }
    }
    for (id, after) in new {
        if !old.contains_key(id) {
            out.insert(id.clone(), after.clone());
        }
    }
    out
}

/// What changed from `a` to `b`, or `None` when nothing did.
fn diff_value(a: &Value, b: &Value) -> Option<Value> {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            let mut out = Map::new();
            for (k, av) in a {
                match b.get(k) {
                    None => {
                        out.insert(k.clone(), Value::Null);
                    }
                    Some(bv) => {
                        if let Some(d) = diff_value(av, bv) {
                            out.insert(k.clone(), d);
                        }
                    }
                }
            }
            for (k, bv) in b {
                if !a.contains_key(k) {
                    out.insert(k.clone(), bv.clone());
                }
            }
            (!out.is_empty()).then_some(Value::Object(out))
        }
        _ if a == b => None,
        _ => Some(b.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> BTreeMap<String, u32> {
        BTreeMap::from([("alice".to_string(), 1)])
    }

    #[test]
    fn views_become_screeps_documents_with_ids_and_absolute_times() {
        let by_name = ids();
        let users = UserIds { by_name: &by_name };
        let view = json!({ "objects": [
            { "id": "c1", "type": "creep", "x": 3, "y": 4, "room": "W1N1", "owner": "alice",
              "ageTime": 1100, "store": [["energy", 50]], "saying": "hi", "sayingPublic": true },
            { "id": "r1", "type": "energy", "x": 5, "y": 5, "room": "W1N1",
              "resourceType": "energy", "amount": 30 },
            { "id": "k1", "type": "controller", "x": 9, "y": 9, "room": "W1N1",
              "reservation": { "username": "Invader", "ticksToEnd": 10 } },
            { "id": "i1", "type": "invaderCore", "x": 8, "y": 9, "room": "W1N1",
              "owner": "Invader", "level": 0, "effects": [[1002, 500]] },
        ] });
        let objects = room_objects(&view, 1000, &users);
        let creep = &objects["c1"];
        assert_eq!(creep["_id"], "c1");
        assert_eq!(creep["user"], "1");
        assert_eq!(creep["ageTime"], 1100);
        assert_eq!(creep["store"], json!({ "energy": 50 }));
        assert_eq!(creep["actionLog"]["say"]["message"], "hi");
        assert_eq!(objects["r1"]["type"], "energy");
        assert_eq!(objects["r1"]["energy"], 30);
        assert_eq!(
            objects["k1"]["reservation"],
            json!({ "user": "2", "endTime": 1010 })
        );
        assert_eq!(objects["i1"]["user"], "2");
        assert_eq!(
            objects["i1"]["effects"],
            json!([{ "effect": 1002, "power": 1002, "endTime": 1500 }])
        );
    }

    #[test]
    fn diffs_send_new_objects_whole_changed_fields_only_and_null_for_what_went() {
        let old = json!({ "a": { "x": 1, "store": { "energy": 5 } }, "gone": { "x": 2 } });
        let new = json!({ "a": { "x": 1, "store": { "energy": 7 } }, "new": { "x": 3 } });
        let d = diff(old.as_object().unwrap(), new.as_object().unwrap());
        assert_eq!(
            Value::Object(d),
            json!({ "a": { "store": { "energy": 7 } }, "gone": null, "new": { "x": 3 } })
        );
        let same = diff(old.as_object().unwrap(), old.as_object().unwrap());
        assert!(same.is_empty());
    }
}
