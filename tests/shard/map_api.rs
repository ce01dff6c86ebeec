//! `Game.map` and room terrain: served to each isolate a room at a time, on first use.

use isoshard_engine::Shard;
use serde_json::{json, Value};

use crate::support::{code, shard};

/// The bot reports its own room's terrain, exits and availability, another room's terrain,
/// and what a few names that are no rooms give.
const MAP_REPORTER: &str = r#"
module.exports.loop = function () {
  const room = Game.spawns.Spawn1.room;
  const t = Game.map.getRoomTerrain(room.name);
  let cells = '';
  for (let y = 0; y < 50; y++) for (let x = 0; x < 50; x++) cells += t.get(x, y);
  const other = Object.keys(Game.map.describeExits(room.name))
    .map((d) => Game.map.describeExits(room.name)[d])[0];
  let otherCells = '';
  const o = Game.map.getRoomTerrain(other);
  for (let i = 0; i < 2500; i++) otherCells += o.get(i % 50, (i / 50) | 0);
  console.log(JSON.stringify({
    room: room.name, cells, exits: Game.map.describeExits(room.name), other, otherCells,
    sameAsRoomTerrain: room.getTerrain().get(10, 10) === t.get(10, 10),
    available: [room.name, 'W99N99', '__proto__', 'constructor'].map((n) => Game.map.isRoomAvailable(n)),
    nowhere: [Game.map.getRoomTerrain('W99N99').get(1, 1), Game.map.getRoomTerrain('__proto__').get(1, 1)],
    noExits: [Game.map.describeExits('W99N99'), Game.map.describeExits('__proto__')],
  }));
};
"#;

fn terrain_cells(shard: &Shard, name: &str) -> String {
    let map = shard.world().map();
    let room = map
        .rooms
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no room {name}"));
    // `Terrain::encode` is the string the runtimes receive: one digit per cell.
    room.terrain.encode()
}

#[test]
fn terrain_and_exits_reach_player_code_and_unknown_room_names_give_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 5, |_| {});
    let p = shard
        .add_player("mapper", code(&[("main", MAP_REPORTER)]))
        .unwrap();
    shard.tick().unwrap();
    let lines = shard.drain_console(p);
    let report: Value = lines
        .iter()
        .find_map(|l| serde_json::from_str(l).ok())
        .unwrap_or_else(|| panic!("no report in {lines:?}"));
    let room = report["room"].as_str().unwrap().to_string();
    assert_eq!(report["cells"], json!(terrain_cells(&shard, &room)));
    let other = report["other"].as_str().unwrap().to_string();
    assert_eq!(report["otherCells"], json!(terrain_cells(&shard, &other)));
    assert_eq!(report["sameAsRoomTerrain"], json!(true));

    let map = shard.world().map();
    let info = map.rooms.iter().find(|r| r.name == room).unwrap();
    let mut exits = serde_json::Map::new();
    for (side, dir) in [(0, "1"), (1, "3"), (2, "5"), (3, "7")] {
        if let Some(n) = info.neighbors[side] {
            exits.insert(dir.into(), json!(map.get(n).name));
        }
    }
    assert!(!exits.is_empty());
    assert_eq!(report["exits"], Value::Object(exits));
    assert_eq!(report["available"], json!([true, false, false, false]));
    assert_eq!(report["nowhere"], json!([0, 0]));
    assert_eq!(report["noExits"], json!([null, null]));
}
