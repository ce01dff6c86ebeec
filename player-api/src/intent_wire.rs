//! Turning the intent objects JavaScript submits into [`Intent`]s. Anything malformed is
//! rejected here; anything well-formed is still re-validated by the world.

use isoshard_world::{BodyPartKind, Intent, ObjectId, StructureKind};
use serde_json::Value;

/// Intents accepted per player per tick; the rest are dropped and counted.
pub const MAX_INTENTS_PER_TICK: usize = 10_000;

fn id(v: &Value, key: &str) -> Option<ObjectId> {
    ObjectId::from_js(v.get(key)?.as_str()?)
}

fn amount(v: &Value) -> Option<Option<u32>> {
    match v.get("amount") {
        None | Some(Value::Null) => Some(None),
        Some(a) => {
            let n = a.as_f64()?;
            (n >= 0.0 && n <= u32::MAX as f64 && n.fract() == 0.0).then_some(Some(n as u32))
        }
    }
}

/// Parses one intent object; `None` for anything malformed.
pub fn parse_intent(v: &Value) -> Option<Intent> {
    let creep = || id(v, "creep");
    let target = || id(v, "target");
    Some(match v.get("type")?.as_str()? {
        "move" => Intent::Move {
            creep: creep()?,
            direction: v.get("direction")?.as_u64().filter(|d| *d <= 255)? as u8,
        },
        "harvest" => Intent::Harvest {
            creep: creep()?,
            target: target()?,
        },
        "transfer" => Intent::Transfer {
            creep: creep()?,
            target: target()?,
            amount: amount(v)?,
        },
        "withdraw" => Intent::Withdraw {
            creep: creep()?,
            target: target()?,
            amount: amount(v)?,
        },
        "pickup" => Intent::Pickup {
            creep: creep()?,
            target: target()?,
        },
        "drop" => Intent::Drop {
            creep: creep()?,
            amount: amount(v)?,
        },
        "build" => Intent::Build {
            creep: creep()?,
            target: target()?,
        },
        "repair" => Intent::Repair {
            creep: creep()?,
            target: target()?,
        },
        "upgradeController" => Intent::UpgradeController {
            creep: creep()?,
            target: target()?,
        },
        "attack" => Intent::Attack {
            creep: creep()?,
            target: target()?,
        },
        "rangedAttack" => Intent::RangedAttack {
            creep: creep()?,
            target: target()?,
        },
        "heal" => Intent::Heal {
            creep: creep()?,
            target: target()?,
        },
        "claimController" => Intent::ClaimController {
            creep: creep()?,
            target: target()?,
        },
        "spawnCreep" => {
            let body = v.get("body")?.as_array()?;
            if body.len() > 50 {
                return None;
            }
            let body = body
                .iter()
                .map(|p| BodyPartKind::parse(p.as_str()?))
                .collect::<Option<Vec<_>>>()?;
            let name = v.get("name")?.as_str()?;
            if name.len() > 100 {
                return None;
            }
            Intent::SpawnCreep {
                spawn: id(v, "spawn")?,
                body,
                name: name.to_string(),
            }
        }
        "createConstructionSite" => Intent::CreateConstructionSite {
            room: v
                .get("room")?
                .as_str()
                .filter(|r| r.len() <= 16)?
                .to_string(),
            x: v.get("x")?.as_u64().filter(|x| *x < 50)? as u8,
            y: v.get("y")?.as_u64().filter(|y| *y < 50)? as u8,
            structure: StructureKind::parse(v.get("structure")?.as_str()?)?,
        },
        "say" => Intent::Say {
            creep: creep()?,
            message: v.get("message")?.as_str()?.chars().take(10).collect(),
            public: v.get("public").and_then(Value::as_bool).unwrap_or(false),
        },
        "suicide" => Intent::Suicide { creep: creep()? },
        "towerAttack" => Intent::TowerAttack {
            tower: id(v, "tower")?,
            target: target()?,
        },
        "towerHeal" => Intent::TowerHeal {
            tower: id(v, "tower")?,
            target: target()?,
        },
        "towerRepair" => Intent::TowerRepair {
            tower: id(v, "tower")?,
            target: target()?,
        },
        _ => return None,
    })
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
                name: "a".into()
            })
        );
        assert_eq!(
            parse_intent(&json!({"type": "transfer", "creep": id, "target": id, "amount": 5})),
            Some(Intent::Transfer {
                creep: ObjectId(42),
                target: ObjectId(42),
                amount: Some(5)
            })
        );
    }

    #[test]
    fn malformed_intents_are_rejected() {
        let id = ObjectId(1).to_js();
        for bad in [
            json!({"type": "move", "creep": id}),
            json!({"type": "move", "creep": 7, "direction": 1}),
            json!({"type": "nuke", "creep": id}),
            json!({"type": "transfer", "creep": id, "target": id, "amount": -1}),
            json!({"type": "transfer", "creep": id, "target": id, "amount": 1.5}),
            json!({"type": "spawnCreep", "spawn": id, "body": ["wings"], "name": "a"}),
            json!({"type": "createConstructionSite", "room": "W1N1", "x": 99, "y": 1, "structure": "road"}),
            json!("move"),
            json!({"type": "harvest", "creep": "zz", "target": id}),
        ] {
            assert_eq!(parse_intent(&bad), None, "{bad}");
        }
    }
}
