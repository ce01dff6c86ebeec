//! Turning the intent objects JavaScript submits into [`Intent`]s, by serde: [`IntentWire`] is
//! a remote definition of [`Intent`] (serde builds `Intent` itself, and the compiler checks
//! every field against it) whose fields say how JavaScript spells them: ids as the hex strings
//! JS sees, coordinates and strings bounded. Anything malformed is rejected here; anything
//! well-formed is still re-validated by the world.

use std::fmt;

use isoshard_world::orders::{OrderId, OrderType};
use isoshard_world::{BodyPartKind, Intent, ObjectId, ResourceKind, StructureKind};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Intents accepted per player per tick; the rest are dropped and counted.
pub const MAX_INTENTS_PER_TICK: usize = 10_000;
/// Encoded bytes of one player's intents per tick ([`record_bytes`]):
/// what one player can add to the shard's records each tick. ~3 700 moves; Screeps' 0.2 CPU
/// per intent keeps real bots far below that.
pub const MAX_INTENT_BYTES_PER_TICK: usize = 128 * 1024;
/// Parts in a creep body (Screeps' MAX_CREEP_SIZE).
const MAX_BODY_PARTS: usize = 50;
/// Bytes in a creep name.
const MAX_NAME_BYTES: usize = 100;
/// Bytes in a room name (`W127N127` and some room to spare).
const MAX_ROOM_NAME_BYTES: usize = 16;
/// Characters of a `say` message kept (Screeps truncates to 10).
const SAY_CHARS: usize = 10;
/// Characters of a controller sign kept.
const SIGN_CHARS: usize = 100;

/// Parses one intent object; `None` for anything malformed.
pub fn parse_intent(v: &Value) -> Option<Intent> {
    IntentWire::deserialize(v).ok()
}

/// An intent as JavaScript writes it (what [`parse_intent`] reads back): ids as the hex
/// strings players see, names as Screeps spells them. Replay exports use this form, so an id
/// reads the same in an intent as in a room.
pub fn intent_js(intent: &Intent) -> Value {
    IntentWire::serialize(intent, serde_json::value::Serializer).unwrap_or(Value::Null)
}

/// [`Intent`] as JavaScript writes it: `{ type: 'move', creep: '00000000002a', direction: 3 }`.
#[derive(Deserialize, Serialize)]
#[serde(remote = "Intent", tag = "type", rename_all = "camelCase")]
enum IntentWire {
    Move {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        creep: ObjectId,
        direction: u8,
    },
    MoveToCreep {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        creep: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        target: ObjectId,
    },
    Pull {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        creep: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        target: ObjectId,
    },
    Harvest {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        creep: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        target: ObjectId,
    },
    Transfer {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        creep: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        target: ObjectId,
        #[serde(rename = "resourceType")]
        resource: ResourceKind,
        #[serde(default)]
        amount: Option<u32>,
    },
    Withdraw {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        creep: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        target: ObjectId,
        #[serde(rename = "resourceType")]
        resource: ResourceKind,
        #[serde(default)]
        amount: Option<u32>,
    },
    Pickup {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        creep: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        target: ObjectId,
    },
    Drop {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        creep: ObjectId,
        #[serde(rename = "resourceType")]
        resource: ResourceKind,
        #[serde(default)]
        amount: Option<u32>,
    },
    Build {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        creep: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        target: ObjectId,
    },
    Repair {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        creep: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        target: ObjectId,
    },
    UpgradeController {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        creep: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        target: ObjectId,
    },
    Attack {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        creep: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        target: ObjectId,
    },
    RangedAttack {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        creep: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        target: ObjectId,
    },
    Heal {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        creep: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        target: ObjectId,
    },
    RangedHeal {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        creep: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        target: ObjectId,
    },
    RangedMassAttack {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        creep: ObjectId,
    },
    Dismantle {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        creep: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        target: ObjectId,
    },
    ClaimController {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        creep: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        target: ObjectId,
    },
    ReserveController {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        creep: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        target: ObjectId,
    },
    AttackController {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        creep: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        target: ObjectId,
    },
    SignController {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        creep: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        target: ObjectId,
        #[serde(deserialize_with = "sign_text")]
        text: String,
    },
    Unclaim {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        controller: ObjectId,
    },
    ActivateSafeMode {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        controller: ObjectId,
    },
    SpawnCreep {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        spawn: ObjectId,
        #[serde(deserialize_with = "body", serialize_with = "body_out")]
        body: Vec<BodyPartKind>,
        #[serde(deserialize_with = "bounded_string::<_, MAX_NAME_BYTES>")]
        name: String,
        #[serde(
            default,
            rename = "energyStructures",
            deserialize_with = "energy_structures",
            serialize_with = "ids_out"
        )]
        energy_structures: Option<Vec<ObjectId>>,
    },
    CreateConstructionSite {
        #[serde(deserialize_with = "bounded_string::<_, MAX_ROOM_NAME_BYTES>")]
        room: String,
        #[serde(deserialize_with = "coordinate")]
        x: u8,
        #[serde(deserialize_with = "coordinate")]
        y: u8,
        #[serde(deserialize_with = "structure", serialize_with = "structure_out")]
        structure: StructureKind,
    },
    Say {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        creep: ObjectId,
        #[serde(deserialize_with = "say_message")]
        message: String,
        #[serde(default, deserialize_with = "flag")]
        public: bool,
    },
    Suicide {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        creep: ObjectId,
    },
    SetSpawnDirections {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        spawn: ObjectId,
        #[serde(deserialize_with = "directions")]
        directions: Vec<u8>,
    },
    CancelSpawning {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        spawn: ObjectId,
    },
    RenewCreep {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        spawn: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        target: ObjectId,
    },
    RecycleCreep {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        spawn: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        target: ObjectId,
    },
    RemoveConstructionSite {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        site: ObjectId,
    },
    DestroyStructure {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        structure: ObjectId,
    },
    SetPublic {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        rampart: ObjectId,
        #[serde(rename = "isPublic", deserialize_with = "flag")]
        is_public: bool,
    },
    TransferEnergy {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        link: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        target: ObjectId,
        #[serde(default)]
        amount: Option<u32>,
    },
    RunReaction {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        lab: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        lab1: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        lab2: ObjectId,
    },
    ReverseReaction {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        lab: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        lab1: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        lab2: ObjectId,
    },
    BoostCreep {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        lab: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        creep: ObjectId,
        #[serde(rename = "bodyPartsCount", default)]
        body_parts_count: Option<u32>,
    },
    LaunchNuke {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        nuker: ObjectId,
        #[serde(
            rename = "roomName",
            deserialize_with = "bounded_string::<_, MAX_ROOM_NAME_BYTES>"
        )]
        room: String,
        #[serde(deserialize_with = "coordinate")]
        x: u8,
        #[serde(deserialize_with = "coordinate")]
        y: u8,
    },
    ProcessPower {
        #[serde(
            rename = "powerSpawn",
            deserialize_with = "js_id",
            serialize_with = "id_out"
        )]
        power_spawn: ObjectId,
    },
    Produce {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        factory: ObjectId,
        #[serde(rename = "resourceType")]
        resource: ResourceKind,
    },
    ObserveRoom {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        observer: ObjectId,
        #[serde(
            rename = "roomName",
            deserialize_with = "bounded_string::<_, MAX_ROOM_NAME_BYTES>"
        )]
        room: String,
    },
    GenerateSafeMode {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        creep: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        target: ObjectId,
    },
    NotifyWhenAttacked {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        object: ObjectId,
        enabled: bool,
    },
    Send {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        terminal: ObjectId,
        #[serde(rename = "resourceType")]
        resource: ResourceKind,
        amount: u32,
        #[serde(
            rename = "targetRoomName",
            deserialize_with = "bounded_string::<_, MAX_ROOM_NAME_BYTES>"
        )]
        destination: String,
        #[serde(default, deserialize_with = "send_description")]
        description: Option<String>,
    },
    UnboostCreep {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        lab: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        creep: ObjectId,
    },
    TowerAttack {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        tower: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        target: ObjectId,
    },
    TowerHeal {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        tower: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        target: ObjectId,
    },
    TowerRepair {
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        tower: ObjectId,
        #[serde(deserialize_with = "js_id", serialize_with = "id_out")]
        target: ObjectId,
    },
    CreateOrder {
        #[serde(rename = "orderType")]
        order_type: OrderType,
        #[serde(rename = "resourceType")]
        resource: ResourceKind,
        #[serde(rename = "price")]
        price_milli: u64,
        #[serde(rename = "totalAmount")]
        total_amount: u32,
        #[serde(
            rename = "roomName",
            deserialize_with = "bounded_string::<_, MAX_ROOM_NAME_BYTES>"
        )]
        room: String,
    },
    CancelOrder {
        #[serde(
            rename = "orderId",
            deserialize_with = "js_order_id",
            serialize_with = "order_id_out"
        )]
        order: OrderId,
    },
    ChangeOrderPrice {
        #[serde(
            rename = "orderId",
            deserialize_with = "js_order_id",
            serialize_with = "order_id_out"
        )]
        order: OrderId,
        #[serde(rename = "newPrice")]
        new_price_milli: u64,
    },
    ExtendOrder {
        #[serde(
            rename = "orderId",
            deserialize_with = "js_order_id",
            serialize_with = "order_id_out"
        )]
        order: OrderId,
        #[serde(rename = "addAmount")]
        add_amount: u32,
    },
    Deal {
        #[serde(
            rename = "orderId",
            deserialize_with = "js_order_id",
            serialize_with = "order_id_out"
        )]
        order: OrderId,
        amount: u32,
        #[serde(
            rename = "targetRoomName",
            deserialize_with = "bounded_string::<_, MAX_ROOM_NAME_BYTES>"
        )]
        room: String,
    },
}

fn id_out<S: serde::Serializer>(id: &ObjectId, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&id.to_js())
}

fn order_id_out<S: serde::Serializer>(id: &OrderId, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&id.to_js())
}

fn ids_out<S: serde::Serializer>(ids: &Option<Vec<ObjectId>>, s: S) -> Result<S::Ok, S::Error> {
    ids.as_ref()
        .map(|v| v.iter().map(|id| id.to_js()).collect::<Vec<_>>())
        .serialize(s)
}

fn structure_out<S: serde::Serializer>(kind: &StructureKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(kind.as_str())
}

fn body_out<S: serde::Serializer>(body: &[BodyPartKind], s: S) -> Result<S::Ok, S::Error> {
    body.iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .serialize(s)
}

/// An order id as JavaScript sees it (`OrderId::to_js`).
fn js_order_id<'de, D: Deserializer<'de>>(d: D) -> Result<OrderId, D::Error> {
    let s = String::deserialize(d)?;
    OrderId::from_js(&s).ok_or_else(|| de::Error::custom(format!("{s:?} is not an order id")))
}

/// An id as JavaScript sees it (`ObjectId::to_js`); numbers are not ids.
fn js_id<'de, D: Deserializer<'de>>(d: D) -> Result<ObjectId, D::Error> {
    let s = String::deserialize(d)?;
    ObjectId::from_js(&s).ok_or_else(|| de::Error::custom(format!("{s:?} is not an object id")))
}

/// `spawnCreep`'s `energyStructures`: at most 100 ids (a room holds 63 spawns and
/// extensions at most).
fn energy_structures<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<ObjectId>>, D::Error> {
    let Some(ids) = Option::<Vec<String>>::deserialize(d)? else {
        return Ok(None);
    };
    if ids.len() > 100 {
        return Err(de::Error::custom("more than 100 energy structures"));
    }
    ids.iter()
        .map(|s| {
            ObjectId::from_js(s)
                .ok_or_else(|| de::Error::custom(format!("{s:?} is not an object id")))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// A room coordinate, 0..=49.
fn coordinate<'de, D: Deserializer<'de>>(d: D) -> Result<u8, D::Error> {
    let n = u8::deserialize(d)?;
    if n < 50 {
        Ok(n)
    } else {
        Err(de::Error::custom(format!(
            "coordinate {n} is outside 0..=49"
        )))
    }
}

fn bounded_string<'de, D: Deserializer<'de>, const MAX: usize>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    if s.len() <= MAX {
        Ok(s)
    } else {
        Err(de::Error::custom(format!("longer than {MAX} bytes")))
    }
}

/// Screeps keeps the first ten characters of what a creep says.
fn say_message<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(String::deserialize(d)?.chars().take(SAY_CHARS).collect())
}

/// Screeps keeps the first 100 characters of a controller sign.
fn sign_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(String::deserialize(d)?.chars().take(SIGN_CHARS).collect())
}

/// A terminal transfer's description: at most 100 characters (`send` refuses longer ones
/// before this; a longer one here is malformed).
fn send_description<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = Option::<String>::deserialize(d)?;
    match s {
        Some(s) if s.chars().count() > SIGN_CHARS => {
            Err(de::Error::custom("description over 100 characters"))
        }
        s => Ok(s),
    }
}

/// At most eight directions; the world checks each is 1–8.
fn directions<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    let v = Vec::<u8>::deserialize(d)?;
    if v.len() <= 8 {
        Ok(v)
    } else {
        Err(de::Error::custom("more than 8 directions"))
    }
}

/// `true` only for `true`: anything else JavaScript passes is "not public", as in Screeps.
fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Value::deserialize(d)? == Value::Bool(true))
}

fn structure<'de, D: Deserializer<'de>>(d: D) -> Result<StructureKind, D::Error> {
    let s = String::deserialize(d)?;
    StructureKind::parse(&s).ok_or_else(|| de::Error::custom(format!("unknown structure {s:?}")))
}

/// Body part names, at most [`MAX_BODY_PARTS`]; reading stops at the first part too many.
fn body<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<BodyPartKind>, D::Error> {
    struct Body;
    impl<'de> Visitor<'de> for Body {
        type Value = Vec<BodyPartKind>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "an array of at most {MAX_BODY_PARTS} body part names")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut parts = Vec::new();
            while let Some(name) = seq.next_element::<String>()? {
                if parts.len() == MAX_BODY_PARTS {
                    return Err(de::Error::invalid_length(parts.len() + 1, &self));
                }
                let part = BodyPartKind::parse(&name)
                    .ok_or_else(|| de::Error::custom(format!("unknown body part {name:?}")))?;
                parts.push(part);
            }
            Ok(parts)
        }
    }
    d.deserialize_seq(Body)
}

/// Bytes `intent` takes in the shard's records (MessagePack with field names, as
/// `isoshard-engine` stores ticks), counted without allocating.
pub fn record_bytes(intent: &Intent) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // A counter never fails to write and every intent serializes.
    let _ = intent.serialize(&mut rmp_serde::Serializer::new(&mut count).with_struct_map());
    count.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn well_formed_intents_parse() {
        let id = ObjectId(42).to_js();
        assert_eq!(
            parse_intent(&json!({"type": "move", "creep": id, "direction": 3})),
            Some(Intent::Move {
                creep: ObjectId(42),
                direction: 3
            })
        );
        assert_eq!(
            parse_intent(
                &json!({"type": "spawnCreep", "spawn": id, "body": ["work", "move"], "name": "a"})
            ),
            Some(Intent::SpawnCreep {
                spawn: ObjectId(42),
                body: vec![BodyPartKind::Work, BodyPartKind::Move],
                name: "a".into(),
                energy_structures: None,
            })
        );
        assert_eq!(
            parse_intent(
                &json!({"type": "transfer", "creep": id, "target": id, "resourceType": "XGHO2", "amount": 5})
            ),
            Some(Intent::Transfer {
                creep: ObjectId(42),
                target: ObjectId(42),
                resource: ResourceKind::CatalyzedGhodiumAlkalide,
                amount: Some(5)
            })
        );
        assert_eq!(
            parse_intent(
                &json!({"type": "drop", "creep": id, "resourceType": "energy", "amount": null})
            ),
            Some(Intent::Drop {
                creep: ObjectId(42),
                resource: ResourceKind::Energy,
                amount: None
            })
        );
        assert_eq!(
            parse_intent(
                &json!({"type": "drop", "creep": id, "resourceType": "gold", "amount": 1})
            ),
            None,
            "a resource Screeps does not have is malformed"
        );
        assert_eq!(
            parse_intent(
                &json!({"type": "say", "creep": id, "message": "hello, world!", "public": 1})
            ),
            Some(Intent::Say {
                creep: ObjectId(42),
                message: "hello, wor".into(),
                public: false
            })
        );
    }

    #[test]
    fn record_bytes_is_the_stored_encoding_length() {
        let intents = [
            Intent::Move {
                creep: ObjectId(7),
                direction: 3,
            },
            Intent::SpawnCreep {
                spawn: ObjectId(u64::MAX),
                body: vec![BodyPartKind::Work; 50],
                name: "n".repeat(MAX_NAME_BYTES),
                energy_structures: Some(vec![ObjectId(u64::MAX); 100]),
            },
        ];
        for intent in &intents {
            let stored = rmp_serde::to_vec_named(intent).unwrap();
            assert_eq!(record_bytes(intent), stored.len(), "{intent:?}");
        }
    }

    #[test]
    fn malformed_intents_are_rejected() {
        let id = ObjectId(1).to_js();
        let fifty_one = vec!["move"; 51];
        for bad in [
            json!({"type": "move", "creep": id}),
            json!({"type": "move", "creep": 7, "direction": 1}),
            json!({"type": "move", "creep": id, "direction": 256}),
            json!({"type": "nuke", "creep": id}),
            json!({"creep": id}),
            json!({"type": "transfer", "creep": id, "target": id, "amount": -1}),
            json!({"type": "transfer", "creep": id, "target": id, "amount": 1.5}),
            json!({"type": "transfer", "creep": id, "target": id, "amount": 4_294_967_296u64}),
            json!({"type": "spawnCreep", "spawn": id, "body": ["wings"], "name": "a"}),
            json!({"type": "spawnCreep", "spawn": id, "body": fifty_one, "name": "a"}),
            json!({"type": "spawnCreep", "spawn": id, "body": ["move"], "name": "n".repeat(101)}),
            json!({"type": "createConstructionSite", "room": "W1N1", "x": 99, "y": 1, "structure": "road"}),
            json!({"type": "createConstructionSite", "room": "W1N1", "x": 1, "y": 1, "structure": "moat"}),
            json!({"type": "createConstructionSite", "room": "W".repeat(17), "x": 1, "y": 1, "structure": "road"}),
            json!("move"),
            json!({"type": "harvest", "creep": "zz", "target": id}),
        ] {
            assert_eq!(parse_intent(&bad), None, "{bad}");
        }
    }
}
