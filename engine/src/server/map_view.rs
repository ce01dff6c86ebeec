//! The world map's view of a room (`roomMap2:<room>` on the socket): positions by kind, as
//! screeps/engine's processor builds `mapView` (src/processor.js) and backend-local's
//! `socket/map.js` sends it.

use serde_json::{json, Map, Value};

/// `{w, r, pb, p, s, c, m, k, <userId>: [[x, y], …]}` from a room's Screeps-shaped objects
/// ([`super::screeps_objects::room_objects`]): owned objects under their owner's id (but not
/// construction sites, ruins, tombstones, newbie walls or public ramparts), the others by
/// kind; what the map does not draw is left out.
pub(crate) fn map_view(objects: &Map<String, Value>) -> Value {
    let mut view = Map::new();
    for kind in ["w", "r", "pb", "p", "s", "c", "m", "k"] {
        view.insert(kind.into(), json!([]));
    }
    for o in objects.values() {
        let (Some(x), Some(y)) = (o.get("x"), o.get("y")) else {
            continue;
        };
        let kind = o.get("type").and_then(Value::as_str).unwrap_or("");
        let key = match o.get("user").and_then(Value::as_str) {
            Some(user) => {
                let hidden = matches!(kind, "constructionSite" | "ruin" | "tombstone")
                    || o.get("newbieWall").is_some_and(|v| v == &json!(true))
                    || (kind == "rampart" && o.get("isPublic") == Some(&json!(true)));
                if hidden {
                    continue;
                }
                user.to_string()
            }
            None => match kind {
                "constructedWall" => "w".into(),
                "road" => "r".into(),
                "powerBank" | "power" => "pb".into(),
                "portal" => "p".into(),
                "source" => "s".into(),
                "mineral" | "deposit" => "m".into(),
                "controller" => "c".into(),
                "keeperLair" => "k".into(),
                _ => continue,
            },
        };
        if let Some(list) = view.entry(key).or_insert_with(|| json!([])).as_array_mut() {
            list.push(json!([x, y]));
        }
    }
    Value::Object(view)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_go_under_their_owner_or_their_kind_as_screeps_map_shows_them() {
        let objects = json!({
            "a": {"type": "source", "x": 1, "y": 2},
            "b": {"type": "controller", "x": 3, "y": 4, "user": "7"},
            "c": {"type": "creep", "x": 5, "y": 6, "user": "7"},
            "d": {"type": "constructionSite", "x": 7, "y": 8, "user": "7"},
            "e": {"type": "rampart", "x": 9, "y": 9, "user": "7", "isPublic": true},
            "f": {"type": "road", "x": 10, "y": 11},
            "g": {"type": "tombstone", "x": 1, "y": 1},
            "h": {"type": "mineral", "x": 12, "y": 13},
            "i": {"type": "keeperLair", "x": 14, "y": 15}
        });
        let view = map_view(objects.as_object().unwrap());
        assert_eq!(view["s"], json!([[1, 2]]));
        assert_eq!(view["7"], json!([[3, 4], [5, 6]]));
        assert_eq!(view["r"], json!([[10, 11]]));
        assert_eq!(view["m"], json!([[12, 13]]));
        assert_eq!(view["k"], json!([[14, 15]]));
        assert_eq!(view["c"], json!([]), "an owned controller is its owner's");
        assert_eq!(view["w"], json!([]));
    }
}
