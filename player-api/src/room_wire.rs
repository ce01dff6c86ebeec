//! A room as player runtimes take it: JSON text with positions instead of property names,
//! decoded by `decodeObject` in the prelude.
//!
//! Each room is copied into every isolate that sees it, every tick, so decoding it is paid once
//! per player per tick. Property names are what made that dear: V8 looks every key up in the
//! isolate's string table (structured-clone bytes and JSON alike), and with hundreds of
//! isolates those tables are cold in the cache. Plain JSON arrays carry no keys, and V8 parses
//! JSON text faster than it rebuilds values from structured-clone bytes.
//!
//! Form: `[name, tick, [object, …], events?]` (events, when there were any, as
//! `Room.getEventLog` shows them); an object is an array in [`FIELDS`] order, `null` for an
//! absent field, trailing absent fields cut; `body` is flat (`[type, hits, type, hits, …]`, or
//! for a boosted creep `[3, type, hits, boost, …]`) and
//! `spawnJob` is `[name, needTime, remainingTime, directions?]`, `reservation` `[username, ticksToEnd]` and
//! `sign` `[username, text, time]`, `ruinStructure` `[id, structureType, hitsMax, owner]`,
//! `effects` `[effect, ticksRemaining, …]`;
//! `store` and `storeCapacityResource` are flat (`[resource, amount, …]`). Fields only sources
//! and minerals have (`energy`, `energyCapacity`, `density`) come last, where objects with
//! stores need not pad up to them.
//! Every object's room is the room's own. `ageTime` and `downgradeTime` are game times (the
//! prelude shows `ticksToLive` and `ticksToDowngrade` as those less the room's time), so an
//! object that only aged keeps its view and its text from tick to tick.

use isoshard_scripting::ExternalCopy;
use isoshard_world::events::{EventKind, RoomEvent};
use isoshard_world::{ObjectId, ObjectView, RoomView};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;

use crate::error::Result;

/// The object fields in wire order, as JavaScript names them. The prelude's `decodeObject`
/// reads the same positions; a test checks the two agree.
pub const FIELDS: [&str; 50] = [
    "id",
    "type",
    "x",
    "y",
    "owner",
    "hits",
    "hitsMax",
    "store",
    "storeCapacity",
    "storeCapacityResource",
    "name",
    "body",
    "fatigue",
    "ageTime",
    "spawning",
    "spawnJob",
    "saying",
    "sayingPublic",
    "structureType",
    "level",
    "progress",
    "progressTotal",
    "downgradeTime",
    "ticksToRegeneration",
    "resourceType",
    "amount",
    "mineralType",
    "mineralAmount",
    "deathTime",
    "ticksToDecay",
    "creepName",
    "reservation",
    "safeMode",
    "safeModeAvailable",
    "safeModeCooldown",
    "upgradeBlocked",
    "sign",
    "cooldown",
    "isPublic",
    "ruinStructure",
    "destroyTime",
    "energy",
    "energyCapacity",
    "density",
    "quiet",
    "timeToLand",
    "launchRoomName",
    "effects",
    "depositType",
    "lastCooldown",
];

/// Copies a room for player runtimes (see the module docs for the form).
///
/// # Errors
/// [`crate::PlayerApiError::Scripting`] when the text is too large for a V8 string.
pub fn room_copy(view: &RoomView) -> Result<ExternalCopy> {
    Ok(ExternalCopy::from_string(encode_room(view))?)
}

/// The room's wire text.
pub fn encode_room(view: &RoomView) -> String {
    let mut out = String::with_capacity(64 + view.objects.len() * 160);
    out.push('[');
    out.push_str(&json_text(&view.name));
    out.push(',');
    out.push_str(&view.tick.to_string());
    out.push_str(",[");
    for (i, object) in view.objects.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        // Encoded once per view: the world hands an unchanged object's view out again
        // from tick to tick (`GameWorld::player_views`).
        out.push_str(object.kept.get_or_init(|| json_text(&WireObject(object))));
    }
    out.push(']');
    if !view.events.is_empty() {
        let events: Vec<WireEvent<'_>> = view.events.iter().map(WireEvent).collect();
        out.push(',');
        out.push_str(&json_text(&events));
    }
    out.push(']');
    out
}

/// JSON of numbers, strings and arrays: writing it into a String cannot fail.
fn json_text(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| {
        tracing::error!(error = %e, "room view did not encode");
        String::from("null")
    })
}

/// An event as `Room.getEventLog` shows it: `{event, objectId, data}` (screeps/engine's
/// field names), written straight into the text (a JSON value per event cost a map and its
/// keys' allocations, for every event of every seen room every tick).
struct WireEvent<'a>(&'a RoomEvent);

/// One value of an event's `data`.
enum EventValue<'a> {
    Id(&'a ObjectId),
    Num(u64),
    Str(&'a str),
}

impl Serialize for EventValue<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            EventValue::Id(id) => s.serialize_str(&id.to_js()),
            EventValue::Num(n) => s.serialize_u64(*n),
            EventValue::Str(v) => s.serialize_str(v),
        }
    }
}

/// An event's `data` entries, in the order screeps/engine writes them; none for an event
/// without data.
fn event_data(kind: &EventKind) -> Vec<(&'static str, EventValue<'_>)> {
    use EventValue::{Id, Num, Str};
    match kind {
        EventKind::Attack {
            target,
            damage,
            attack_type,
        } => vec![
            ("targetId", Id(target)),
            ("damage", Num((*damage).into())),
            ("attackType", Num((*attack_type).into())),
        ],
        EventKind::ObjectDestroyed { object_type } => vec![("type", Str(object_type))],
        EventKind::AttackController => Vec::new(),
        EventKind::Build {
            target,
            amount,
            energy_spent,
        }
        | EventKind::Repair {
            target,
            amount,
            energy_spent,
        } => vec![
            ("targetId", Id(target)),
            ("amount", Num((*amount).into())),
            ("energySpent", Num((*energy_spent).into())),
        ],
        EventKind::Harvest { target, amount } => {
            vec![("targetId", Id(target)), ("amount", Num((*amount).into()))]
        }
        EventKind::Heal {
            target,
            amount,
            heal_type,
        } => vec![
            ("targetId", Id(target)),
            ("amount", Num((*amount).into())),
            ("healType", Num((*heal_type).into())),
        ],
        EventKind::ReserveController { amount } => vec![("amount", Num((*amount).into()))],
        EventKind::UpgradeController {
            amount,
            energy_spent,
        } => vec![
            ("amount", Num((*amount).into())),
            ("energySpent", Num((*energy_spent).into())),
        ],
        EventKind::Exit { room, x, y } => vec![
            ("room", Str(room)),
            ("x", Num((*x).into())),
            ("y", Num((*y).into())),
        ],
        EventKind::Transfer {
            target,
            resource,
            amount,
        } => vec![
            ("targetId", Id(target)),
            ("resourceType", Str(resource.as_str())),
            ("amount", Num((*amount).into())),
        ],
    }
}

struct EventData<'a>(Vec<(&'static str, EventValue<'a>)>);

impl Serialize for EventData<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl Serialize for WireEvent<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let data = event_data(&self.0.kind);
        let mut map = s.serialize_map(Some(if data.is_empty() { 2 } else { 3 }))?;
        map.serialize_entry("event", &self.0.kind.number())?;
        map.serialize_entry("objectId", &self.0.object.to_js())?;
        if !data.is_empty() {
            map.serialize_entry("data", &EventData(data))?;
        }
        map.end()
    }
}

struct WireObject<'a>(&'a ObjectView);

/// One field's value, or `null`.
enum Field<'a> {
    Absent,
    Str(&'a str),
    Num(u64),
    Bool(bool),
    Body(&'a [isoshard_world::BodyPartView]),
    SpawnJob(&'a isoshard_world::SpawningView),
    Reservation(&'a isoshard_world::ReservationView),
    Sign(&'a isoshard_world::SignView),
    RuinStructure(&'a isoshard_world::RuinStructureView),
    Resources(&'a [(isoshard_world::ResourceKind, u32)]),
    Effects(&'a [(u32, u64)]),
}

impl Serialize for Field<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Field::Absent => s.serialize_unit(),
            Field::Str(v) => s.serialize_str(v),
            Field::Num(v) => s.serialize_u64(*v),
            Field::Bool(v) => s.serialize_bool(*v),
            Field::Body(parts) if parts.iter().all(|p| p.boost.is_none()) => {
                let mut seq = s.serialize_seq(Some(parts.len() * 2))?;
                for p in *parts {
                    seq.serialize_element(&p.kind)?;
                    seq.serialize_element(&p.hits)?;
                }
                seq.end()
            }
            // A boosted body: the stride 3 first, then type, hits and boost (or null).
            Field::Body(parts) => {
                let mut seq = s.serialize_seq(Some(1 + parts.len() * 3))?;
                seq.serialize_element(&3)?;
                for p in *parts {
                    seq.serialize_element(&p.kind)?;
                    seq.serialize_element(&p.hits)?;
                    seq.serialize_element(&p.boost.map(|b| b.as_str()))?;
                }
                seq.end()
            }
            Field::SpawnJob(j) if j.directions.is_empty() => {
                (&j.name, j.need_time, j.remaining_time).serialize(s)
            }
            Field::SpawnJob(j) => {
                (&j.name, j.need_time, j.remaining_time, &j.directions).serialize(s)
            }
            Field::Reservation(r) => (&r.username, r.ticks_to_end).serialize(s),
            Field::Sign(v) => (&v.username, &v.text, v.time).serialize(s),
            Field::RuinStructure(r) => {
                (&r.id, &r.structure_type, r.hits_max, &r.owner).serialize(s)
            }
            Field::Effects(effects) => {
                let mut seq = s.serialize_seq(Some(effects.len() * 2))?;
                for (effect, ticks) in *effects {
                    seq.serialize_element(effect)?;
                    seq.serialize_element(ticks)?;
                }
                seq.end()
            }
            Field::Resources(amounts) => {
                let mut seq = s.serialize_seq(Some(amounts.len() * 2))?;
                for (resource, amount) in *amounts {
                    seq.serialize_element(resource.as_str())?;
                    seq.serialize_element(amount)?;
                }
                seq.end()
            }
        }
    }
}

impl WireObject<'_> {
    fn fields(&self) -> [Field<'_>; 50] {
        let o = self.0;
        fn s<T: std::ops::Deref<Target = str>>(v: &Option<T>) -> Field<'_> {
            v.as_deref().map_or(Field::Absent, Field::Str)
        }
        let n = |v: Option<u64>| v.map_or(Field::Absent, Field::Num);
        let n32 = |v: Option<u32>| n(v.map(u64::from));
        [
            Field::Str(&o.id),
            Field::Str(&o.kind),
            Field::Num(o.x.into()),
            Field::Num(o.y.into()),
            s(&o.owner),
            n32(o.hits),
            n32(o.hits_max),
            o.store.as_deref().map_or(Field::Absent, Field::Resources),
            n32(o.store_capacity),
            o.store_capacity_resource
                .as_deref()
                .map_or(Field::Absent, Field::Resources),
            s(&o.name),
            o.body.as_deref().map_or(Field::Absent, Field::Body),
            n32(o.fatigue),
            n(o.age_time),
            o.spawning.map_or(Field::Absent, Field::Bool),
            o.spawn_job
                .as_deref()
                .map_or(Field::Absent, Field::SpawnJob),
            s(&o.saying),
            o.saying_public.map_or(Field::Absent, Field::Bool),
            s(&o.structure_type),
            n(o.level.map(u64::from)),
            n32(o.progress),
            n32(o.progress_total),
            n(o.downgrade_time),
            n32(o.ticks_to_regeneration),
            s(&o.resource_type),
            n32(o.amount),
            s(&o.mineral_type),
            n32(o.mineral_amount),
            n(o.death_time),
            n32(o.ticks_to_decay),
            s(&o.creep_name),
            o.reservation
                .as_deref()
                .map_or(Field::Absent, Field::Reservation),
            n32(o.safe_mode),
            n32(o.safe_mode_available),
            n32(o.safe_mode_cooldown),
            n32(o.upgrade_blocked),
            o.sign.as_deref().map_or(Field::Absent, Field::Sign),
            n32(o.cooldown),
            o.is_public.map_or(Field::Absent, Field::Bool),
            o.ruin_structure
                .as_deref()
                .map_or(Field::Absent, Field::RuinStructure),
            n(o.destroy_time),
            n32(o.energy),
            n32(o.energy_capacity),
            n(o.density.map(u64::from)),
            o.quiet.map_or(Field::Absent, Field::Bool),
            n32(o.time_to_land),
            s(&o.launch_room_name),
            o.effects.as_deref().map_or(Field::Absent, Field::Effects),
            s(&o.deposit_type),
            n32(o.last_cooldown),
        ]
    }
}

impl Serialize for WireObject<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let fields = self.fields();
        let len = fields
            .iter()
            .rposition(|f| !matches!(f, Field::Absent))
            .map_or(0, |i| i + 1);
        let mut seq = s.serialize_seq(Some(len))?;
        for f in &fields[..len] {
            seq.serialize_element(f)?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use isoshard_world::{BodyPartView, ResourceKind, SpawningView};
    use serde_json::Value;
    use std::sync::Arc;

    fn object(id: &str, kind: &str) -> ObjectView {
        serde_json::from_value(serde_json::json!({
            "id": id, "type": kind, "x": 3, "y": 4, "room": "W1N1",
        }))
        .unwrap_or_else(|e| panic!("view: {e}"))
    }

    #[test]
    fn objects_encode_in_field_order_with_trailing_absent_fields_cut() {
        let mut creep = object("c1", "creep");
        creep.owner = Some("alice".into());
        creep.body = Some(vec![
            BodyPartView {
                kind: "work".into(),
                hits: 100,
                boost: None,
            },
            BodyPartView {
                kind: "move".into(),
                hits: 0,
                boost: None,
            },
        ]);
        creep.spawning = Some(false);
        creep.store = Some(Vec::new());
        creep.store_capacity = Some(50);
        let mut spawn = object("s1", "spawn");
        spawn.store = Some(vec![(ResourceKind::Energy, 300)]);
        spawn.store_capacity_resource = Some(vec![(ResourceKind::Energy, 300)]);
        spawn.spawn_job = Some(Box::new(SpawningView {
            name: "bob".into(),
            need_time: 9,
            remaining_time: 2,
            directions: Vec::new(),
        }));
        let source = object("src", "source");
        let view = RoomView {
            name: "W1N1".into(),
            tick: 7,
            objects: vec![creep.into(), spawn.into(), source.into()],
            events: Vec::new(),
        };
        assert_eq!(
            encode_room(&view),
            r#"["W1N1",7,[["c1","creep",3,4,"alice",null,null,[],50,null,null,["work",100,"move",0],null,null,false],["s1","spawn",3,4,null,null,null,["energy",300],null,["energy",300],null,null,null,null,null,["bob",9,2]],["src","source",3,4]]]"#
        );
    }

    #[test]
    fn a_views_kept_text_is_reused_and_a_new_view_gets_its_own() {
        let mut creep = object("c1", "creep");
        creep.age_time = Some(100);
        let source = Arc::new(object("src", "source"));
        let mut view = RoomView {
            name: "W1N1".into(),
            tick: 7,
            objects: vec![Arc::new(creep.clone()), Arc::clone(&source)],
            events: vec![RoomEvent {
                object: ObjectId(5),
                kind: EventKind::Harvest {
                    target: ObjectId(6),
                    amount: 2,
                },
            }],
        };
        let first: Value = serde_json::from_str(&encode_room(&view)).unwrap();
        let objects = serde_json::json!([
            ["c1", "creep", 3, 4, null, null, null, null, null, null, null, null, null, 100],
            ["src", "source", 3, 4]
        ]);
        assert_eq!(first[2], objects);
        assert_eq!(first[3][0]["data"]["amount"], 2, "{first}");
        assert_eq!(source.kept.get(), Some(r#"["src","source",3,4]"#));
        // The next tick: the creep aged (a new view), the source did not (the same view, its
        // text kept); a clone of a view starts without the text (it may be edited).
        creep.age_time = Some(99);
        view.tick = 8;
        view.objects[0] = Arc::new(creep.clone());
        view.events.clear();
        let text = encode_room(&view);
        assert!(
            text.starts_with(
                r#"["W1N1",8,[["c1","creep",3,4,null,null,null,null,null,null,null,null,null,99],"#
            ),
            "{text}"
        );
        let mut edited = (*source).clone();
        assert_eq!(edited.kept.get(), None, "a clone starts without the text");
        edited.energy = Some(7);
        view.objects[1] = Arc::new(edited);
        assert!(encode_room(&view).ends_with(r#"["src","source",3,4,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,7]]]"#));
    }

    #[test]
    fn events_encode_with_screeps_field_names_and_data_only_when_there_is_some() {
        let id = ObjectId(0x1f);
        let events = [
            EventKind::Attack {
                target: id,
                damage: 30,
                attack_type: 1,
            },
            EventKind::ObjectDestroyed {
                object_type: "road".into(),
            },
            EventKind::AttackController,
            EventKind::Repair {
                target: id,
                amount: 100,
                energy_spent: 1,
            },
            EventKind::Heal {
                target: id,
                amount: 12,
                heal_type: 2,
            },
            EventKind::UpgradeController {
                amount: 2,
                energy_spent: 2,
            },
            EventKind::Exit {
                room: "W1N2".into(),
                x: 3,
                y: 0,
            },
            EventKind::Transfer {
                target: id,
                resource: ResourceKind::Energy,
                amount: 50,
            },
        ];
        let view = RoomView {
            name: "W1N1".into(),
            tick: 9,
            objects: Vec::new(),
            events: events
                .into_iter()
                .map(|kind| RoomEvent {
                    object: ObjectId(2),
                    kind,
                })
                .collect(),
        };
        let text = encode_room(&view);
        let target = ObjectId(0x1f).to_js();
        let object = ObjectId(2).to_js();
        let expected = serde_json::json!([
            {"event": 1, "objectId": object, "data": {"targetId": target, "damage": 30, "attackType": 1}},
            {"event": 2, "objectId": object, "data": {"type": "road"}},
            {"event": 3, "objectId": object},
            {"event": 7, "objectId": object, "data": {"targetId": target, "amount": 100, "energySpent": 1}},
            {"event": 6, "objectId": object, "data": {"targetId": target, "amount": 12, "healType": 2}},
            {"event": 9, "objectId": object, "data": {"amount": 2, "energySpent": 2}},
            {"event": 10, "objectId": object, "data": {"room": "W1N2", "x": 3, "y": 0}},
            {"event": 12, "objectId": object, "data": {"targetId": target, "resourceType": "energy", "amount": 50}},
        ]);
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed[3], expected, "{text}");
        assert!(
            text.starts_with(r#"["W1N1",9,[],[{"event":1,"objectId":"#),
            "{text}"
        );
    }

    #[test]
    fn prelude_decoder_reads_each_field_at_its_wire_position() {
        let prelude = crate::PRELUDE_JS;
        let start = prelude
            .find("function decodeObject(a, room, time)")
            .unwrap_or_else(|| panic!("decodeObject is missing from the prelude"));
        let body = &prelude[start..];
        let body = &body[..body.find("\n  }\n").unwrap_or(body.len())];
        for (i, wire_name) in FIELDS.iter().enumerate() {
            // Times on the wire, ticks left in the API.
            let field = match *wire_name {
                "ageTime" => "ticksToLive",
                "downgradeTime" => "ticksToDowngrade",
                other => other,
            };
            let at = body
                .find(&format!(" {field}: "))
                .unwrap_or_else(|| panic!("decodeObject does not set {field}"));
            let value = &body[at..];
            let value = &value[..value.find(',').unwrap_or(value.len())];
            assert!(
                value.contains(&format!("a[{i}]")),
                "decodeObject reads {field} from `{value}`, not a[{i}]"
            );
        }
    }

    #[test]
    fn every_view_field_has_a_wire_position() {
        // A view with every optional field set names each field once in its JSON form; the
        // wire form must carry each of them (FIELDS lists them all, plus `room`, which the
        // room gives).
        let full: ObjectView = serde_json::from_str(
            r#"{
            "id": "a", "type": "creep", "x": 1, "y": 2, "room": "W1N1", "owner": "o",
            "hits": 1, "hitsMax": 2, "energy": 3, "energyCapacity": 4, "name": "n",
            "store": [["energy", 5], ["H", 6]], "storeCapacity": 7,
            "storeCapacityResource": [["energy", 8]], "density": 2, "quiet": true,
            "timeToLand": 17, "launchRoomName": "W2N2",
            "body": [{"type": "move", "hits": 100}], "fatigue": 5, "ageTime": 6,
            "spawning": true, "spawnJob": {"name": "j", "needTime": 1, "remainingTime": 1},
            "saying": "s", "sayingPublic": true, "structureType": "spawn", "level": 1,
            "progress": 1, "progressTotal": 2, "downgradeTime": 3, "ticksToRegeneration": 4,
            "resourceType": "energy", "amount": 5, "mineralType": "H", "mineralAmount": 6,
            "deathTime": 7, "ticksToDecay": 8, "creepName": "c",
            "reservation": {"username": "r", "ticksToEnd": 9}, "safeMode": 10,
            "safeModeAvailable": 11, "safeModeCooldown": 12, "upgradeBlocked": 13,
            "sign": {"username": "s", "text": "t", "time": 14}, "cooldown": 15,
            "isPublic": true,
            "ruinStructure": {"id": "s", "structureType": "tower", "hitsMax": 3000, "owner": "o"},
            "destroyTime": 16, "effects": [[1002, 18]], "depositType": "mist", "lastCooldown": 19
        }"#,
        )
        .unwrap_or_else(|e| panic!("view: {e}"));
        let json = serde_json::to_value(&full).unwrap_or_default();
        let mut names: Vec<&str> = json
            .as_object()
            .map(|m| {
                m.keys()
                    .map(String::as_str)
                    .filter(|k| *k != "room")
                    .collect()
            })
            .unwrap_or_default();
        names.sort_unstable();
        let mut listed = FIELDS.to_vec();
        listed.sort_unstable();
        assert_eq!(names, listed);
        let wire = WireObject(&full);
        let encoded = wire.fields();
        assert!(encoded.iter().all(|f| !matches!(f, Field::Absent)));
    }
}
