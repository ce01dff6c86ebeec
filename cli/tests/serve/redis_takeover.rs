//! A shard on Redis moving between coordinators: a standby takes over from a coordinator that
//! stalled (SIGSTOP) or died (SIGKILL); the stalled one, resumed, is fenced out and stops; no
//! tick is committed twice and the good player's Memory keeps counting.

use std::path::Path;
use std::time::{Duration, Instant};

use isoshard_engine::{LocalRedis, RedisOptions, RedisStorage, ShardStorage};
use serde_json::{json, Value};

use super::{body, register, status, Server, COUNTER};

fn coordinator(data: &Path, url: &str) -> Server {
    coordinator_with(data, url, &[])
}

/// `serve` on Redis at `url` with a 1 s lease, as a standby when another holds it.
pub(super) fn coordinator_with(data: &Path, url: &str, extra: &[&str]) -> Server {
    let mut args = vec![
        "--storage",
        url,
        "--lease-ms",
        "1000",
        "--standby",
        "--open-registration",
    ];
    args.extend_from_slice(extra);
    Server::start(data, &args)
}

/// A standby started now: it announces its address only once it holds the lease.
fn standby(data: &Path, url: &str) -> std::thread::JoinHandle<Server> {
    let (data, url) = (data.to_path_buf(), url.to_string());
    std::thread::spawn(move || coordinator(&data, &url))
}

fn signal(server: &Server, sig: &str) {
    let pid = server.child.id().to_string();
    let ok = std::process::Command::new("kill")
        .args([sig, &pid])
        .status()
        .unwrap();
    assert!(ok.success());
}

fn counted(s: &Server, token: &str) -> u64 {
    let me = body(
        ureq::get(&s.url("/api/me"))
            .set("Authorization", &format!("Bearer {token}"))
            .call(),
    );
    let memory: Value = serde_json::from_str(me["memory"].as_str().unwrap_or("{}")).unwrap();
    memory["count"].as_u64().unwrap_or(0)
}

#[test]
fn standbys_take_over_from_a_stalled_and_a_killed_coordinator_and_no_tick_commits_twice() {
    let redis = LocalRedis::start().unwrap();
    let url = redis.url();
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let started = Instant::now();
    let mut first = coordinator(dirs[0].path(), &url);
    let token = register(&first, "survivor", None);
    let r = ureq::put(&first.url("/api/code"))
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(json!({"modules": {"main": COUNTER}}));
    assert_eq!(status(r), 200);
    let t0 = first.world()["tick"].as_u64().unwrap();
    first.until_tick(t0 + 10);
    let waiting = standby(dirs[1].path(), &url);
    std::thread::sleep(Duration::from_millis(2000));
    assert!(
        !waiting.is_finished(),
        "the standby took a lease that was renewed"
    );

    // The first coordinator stalls: the standby takes over once its lease lapses.
    let seen = first.world();
    let counted_before = counted(&first, &token);
    signal(&first, "-STOP");
    let second = waiting.join().unwrap();
    let w = second.world();
    assert!(
        w["tick"].as_u64() >= seen["tick"].as_u64(),
        "{w} after {seen}"
    );
    second.until_tick(w["tick"].as_u64().unwrap() + 10);
    // Resumed, the stalled coordinator finds a higher fencing token and stops on its own.
    signal(&first, "-CONT");
    let deadline = Instant::now() + Duration::from_secs(30);
    let exit = loop {
        if let Some(exit) = first.child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            Instant::now() < deadline,
            "the fenced-out coordinator kept running"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(!exit.success(), "a fenced-out coordinator must stop loudly");

    // The second one dies mid-run; a third takes over.
    let waiting = standby(dirs[2].path(), &url);
    std::thread::sleep(Duration::from_millis(1500));
    let counted_mid = counted(&second, &token);
    drop(second);
    let third = waiting.join().unwrap();
    let w = third.world();
    third.until_tick(w["tick"].as_u64().unwrap() + 10);
    let counted_after = counted(&third, &token);
    assert!(
        counted_before < counted_mid && counted_mid < counted_after,
        "Memory kept counting: {counted_before} {counted_mid} {counted_after}"
    );
    // A clean stop hands the lease over at once: the check below needs no wait.
    signal(&third, "-TERM");
    let exit = third_wait(third);
    assert!(exit.success());

    // Every stored tick re-simulates to its recorded hash: no tick was committed twice with
    // different outcomes, and none is missing.
    let store = RedisStorage::open(&RedisOptions::new(url.clone())).unwrap();
    let stored = store.load().unwrap().unwrap();
    assert!(stored.last_tick > w["tick"].as_u64().unwrap());
    let mut world = isoshard_world::GameWorld::restore(stored.snapshot).unwrap();
    for record in &stored.ticks {
        let out = world.tick(&record.intents);
        assert_eq!((out.tick, out.state_hash), (record.tick, record.state_hash));
    }
    // The third coordinator's recording verifies end to end.
    let rec = isoshard_replays::Recording::open(&dirs[2].path().join("replay")).unwrap();
    let report = rec.verify(None, None, 2, &|_| {}).unwrap();
    assert!(report.divergence.is_none(), "{:?}", report.divergence);
    assert!(started.elapsed() < Duration::from_secs(240));
}

fn third_wait(mut s: Server) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(exit) = s.child.try_wait().unwrap() {
            return exit;
        }
        assert!(Instant::now() < deadline, "serve did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_second_coordinator_without_standby_is_refused_while_the_lease_is_held() {
    let redis = LocalRedis::start().unwrap();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let first = coordinator(a.path(), &redis.url());
    first.until_tick(2);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_isoshard"))
        .arg("serve")
        .args(["--bind", "127.0.0.1:0", "--storage", &redis.url(), "--data"])
        .arg(b.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("another coordinator holds the shard") && stderr.contains("--standby"),
        "{stderr}"
    );
    drop(first);
}

#[test]
fn a_sled_shard_moves_to_redis_with_copy_store_and_resumes_there() {
    let redis = LocalRedis::start().unwrap();
    let url = redis.url();
    let (sled_dir, redis_data) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let data = sled_dir.path().join("data");
    let on_sled = Server::start(&data, &["--open-registration"]);
    let token = register(&on_sled, "mover", None);
    let r = ureq::put(&on_sled.url("/api/code"))
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(json!({"modules": {"main": COUNTER}}));
    assert_eq!(status(r), 200);
    let t = on_sled.world()["tick"].as_u64().unwrap();
    let seen = on_sled.until_tick(t + 10);
    signal(&on_sled, "-TERM");
    assert!(third_wait(on_sled).success());
    let counted_on_sled = {
        let stored = isoshard_engine::SledStorage::open(&data, false).unwrap();
        let memory = stored.load().unwrap().unwrap().players[0]
            .state
            .memory
            .clone();
        serde_json::from_str::<Value>(&memory).unwrap()["count"]
            .as_u64()
            .unwrap()
    };
    let copy = |from: &str, to: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_isoshard"))
            .args(["copy-store", "--from", from, "--to", to])
            .output()
            .unwrap()
    };
    let out = copy(data.to_str().unwrap(), &url);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again = copy(data.to_str().unwrap(), &url);
    assert!(!again.status.success(), "copied over a shard");
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds a shard"));
    let on_redis = coordinator(redis_data.path(), &url);
    assert!(on_redis.world()["tick"].as_u64() >= seen["tick"].as_u64());
    let deadline = Instant::now() + Duration::from_secs(60);
    while counted(&on_redis, &token) <= counted_on_sled {
        assert!(
            Instant::now() < deadline,
            "the moved player's bot stopped counting"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
