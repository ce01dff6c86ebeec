use std::collections::BTreeMap;
use std::path::Path;

use isoshard_engine::{CodeBundle, Shard, ShardOptions, SledStorage};
use isoshard_world::WorldConfig;

pub fn code(files: &[(&str, &str)]) -> CodeBundle {
    CodeBundle::new(
        files
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect::<BTreeMap<_, _>>(),
    )
    .unwrap()
}

pub fn sample(name: &str) -> CodeBundle {
    isoshard_engine::sample_bots()
        .into_iter()
        .find(|(n, _)| *n == name)
        .unwrap()
        .1
}

pub fn shard(dir: &Path, seed: u64, options: impl FnOnce(&mut ShardOptions)) -> Shard {
    let mut o = ShardOptions {
        world: WorldConfig {
            seed,
            width: 3,
            height: 3,
        },
        ..ShardOptions::default()
    };
    options(&mut o);
    Shard::create(o, Box::new(SledStorage::open(dir, false).unwrap())).unwrap()
}

pub fn example_dir(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../player-api/examples")
        .join(name)
}
