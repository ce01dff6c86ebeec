//! A shard on Redis whose players run on three runner hosts, each in a network namespace of
//! its own (`unshare --net`: no network at all, only Redis' Unix socket), with good and
//! hostile bots. One host is killed with SIGKILL mid-run, then the active coordinator: every
//! tick commits once, the recording verifies, and the good players keep counting.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use isoshard_engine::{LocalRedis, RedisOptions, RedisStorage, ShardStorage};
use serde_json::{json, Value};

use super::{body, register, status, Server, COUNTER};

/// Whether this machine lets us put a process in a network namespace of its own.
fn namespaces_work() -> bool {
    Command::new("unshare")
        .args(["--net", "true"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

struct Host(Child);

impl Host {
    fn start(url: &str, isolated: bool) -> Host {
        Self::start_with(url, isolated, &["--slots", "2"])
    }

    fn start_with(url: &str, isolated: bool, extra: &[&str]) -> Host {
        let bin = env!("CARGO_BIN_EXE_isoshard");
        let mut cmd = if isolated {
            let mut c = Command::new("unshare");
            c.args(["--net", bin]);
            c
        } else {
            Command::new(bin)
        };
        let child = cmd
            .args(["runner-host", "--redis", url])
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        Host(child)
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn coordinator(data: &Path, url: &str) -> Server {
    super::redis_takeover::coordinator_with(data, url, &["--runner-hosts", url, "--runners", "3"])
}

fn upload(s: &Server, token: &str, code: &str) {
    let r = ureq::put(&s.url("/api/code"))
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(json!({"modules": {"main": code}}));
    assert_eq!(status(r), 200);
}

fn counts(s: &Server, tokens: &[String]) -> Vec<u64> {
    tokens
        .iter()
        .map(|t| {
            let me = body(
                ureq::get(&s.url("/api/me"))
                    .set("Authorization", &format!("Bearer {t}"))
                    .call(),
            );
            let memory: Value =
                serde_json::from_str(me["memory"].as_str().unwrap_or("{}")).unwrap_or_default();
            memory["count"].as_u64().unwrap_or(0)
        })
        .collect()
}

/// Waits until every count is above the one before (bounded).
fn until_all_grew(s: &Server, tokens: &[String], before: &[u64]) -> Vec<u64> {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let now = counts(s, tokens);
        if now.iter().zip(before).all(|(n, b)| n > b) {
            return now;
        }
        assert!(
            Instant::now() < deadline,
            "good players stopped counting: {before:?} → {now:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

const SPIN: &str = "module.exports.loop = function () { for (;;) {} }";
const HOG: &str =
    "module.exports.loop = function () { const a = []; for (;;) a.push('x'.repeat(1 << 16)); }";

#[test]
fn players_run_on_runner_hosts_that_die_and_a_coordinator_that_dies_and_every_tick_commits_once() {
    let isolated = namespaces_work();
    eprintln!(
        "runner hosts in network namespaces of their own: {}",
        if isolated {
            "yes"
        } else {
            "no (unshare --net refused); plain processes"
        }
    );
    let redis = LocalRedis::start().unwrap();
    let url = redis.url();
    let mut hosts: Vec<Host> = (0..3).map(|_| Host::start(&url, isolated)).collect();
    let dirs: Vec<_> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    let started = Instant::now();
    let first = coordinator(dirs[0].path(), &url);
    let good: Vec<String> = (0..3)
        .map(|i| {
            let t = register(&first, &format!("good{i}"), None);
            upload(&first, &t, COUNTER);
            t
        })
        .collect();
    for (name, code) in [("spinner", SPIN), ("hog", HOG)] {
        let t = register(&first, name, None);
        upload(&first, &t, code);
    }
    let c0 = until_all_grew(&first, &good, &[0, 0, 0]);
    let c1 = until_all_grew(&first, &good, &c0);

    // A runner host dies with its runners mid-run.
    drop(hosts.remove(0));
    let c2 = until_all_grew(&first, &good, &c1);
    let c3 = until_all_grew(&first, &good, &c2);

    // Then the active coordinator; a standby takes over from Redis.
    let waiting = {
        let (data, url) = (dirs[1].path().to_path_buf(), url.clone());
        std::thread::spawn(move || coordinator(&data, &url))
    };
    std::thread::sleep(Duration::from_millis(1500));
    drop(first);
    let second = waiting.join().unwrap();
    let c4 = until_all_grew(&second, &good, &c3);
    until_all_grew(&second, &good, &c4);
    let last_seen = second.world()["tick"].as_u64().unwrap();
    drop(second);

    // Every stored tick re-simulates to its recorded hash, without gaps.
    let store = RedisStorage::open(&RedisOptions {
        standby: true,
        ..RedisOptions::new(url.clone())
    })
    .unwrap();
    let stored = store.load().unwrap().unwrap();
    assert!(stored.last_tick >= last_seen);
    let mut world = isoshard_world::GameWorld::restore(stored.snapshot).unwrap();
    for record in &stored.ticks {
        let out = world.tick(&record.intents);
        assert_eq!((out.tick, out.state_hash), (record.tick, record.state_hash));
    }
    let rec = isoshard_replays::Recording::open(&dirs[1].path().join("replay")).unwrap();
    let report = rec.verify(None, None, 2, &|_| {}).unwrap();
    assert!(report.divergence.is_none(), "{:?}", report.divergence);
    // The hosts left standing leave cleanly on SIGTERM.
    for host in &mut hosts {
        let pid = host.0.id().to_string();
        assert!(Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success());
    }
    for host in &mut hosts {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(exit) = host.0.try_wait().unwrap() {
                assert!(exit.success(), "runner host exit {exit:?}");
                break;
            }
            assert!(Instant::now() < deadline, "runner host ignored SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    assert!(started.elapsed() < Duration::from_secs(300));
}

/// The lanes a host's lease says it runs (`busy N; …`).
fn busy_lanes(con: &mut redis::Connection, host: u32) -> usize {
    let value: Option<String> = redis::cmd("GET")
        .arg(format!("isoshard:host:{host}"))
        .query(con)
        .unwrap();
    value
        .and_then(|v| v.strip_prefix("busy ")?.split(';').next()?.parse().ok())
        .unwrap_or(0)
}

/// Polls what the hosts wrote (they write it as they renew their leases) until `done`, for at
/// most a minute; fails with the hosts' lease records otherwise.
fn until_lanes(
    con: &mut redis::Connection,
    what: &str,
    done: impl Fn(&mut redis::Connection) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done(con) {
        assert!(
            Instant::now() < deadline,
            "{what}: busy lanes {} on host 1, {} on host 2",
            busy_lanes(con, 1),
            busy_lanes(con, 2)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A `redis-server` of the test's own, and a connection to read what hosts write there.
fn redis_and_connection() -> (LocalRedis, redis::Connection) {
    let redis = LocalRedis::start().unwrap();
    let con = redis::Client::open(redis.url().as_str())
        .unwrap()
        .get_connection()
        .unwrap();
    (redis, con)
}

#[test]
fn a_host_that_joins_takes_over_lanes_gradually_between_ticks() {
    let (redis, mut con) = redis_and_connection();
    let url = redis.url();
    let fast = ["--slots", "3", "--rebalance-secs", "1"];
    let _first_host = Host::start_with(&url, false, &fast);
    let dir = tempfile::tempdir().unwrap();
    let shard = Server::start(
        dir.path(),
        &[
            "--runner-hosts",
            &url,
            "--runners",
            "3",
            "--open-registration",
        ],
    );
    let good: Vec<String> = (0..3)
        .map(|i| {
            let t = register(&shard, &format!("good{i}"), None);
            upload(&shard, &t, COUNTER);
            t
        })
        .collect();
    let before = until_all_grew(&shard, &good, &[0, 0, 0]);
    // A host writes its busy count when it renews its lease (every 240 ms), which a loaded
    // machine can delay past the moment the players first grew.
    until_lanes(&mut con, "the only host runs every runner", |con| {
        busy_lanes(con, 1) == 3
    });
    let _second_host = Host::start_with(&url, false, &fast);
    until_lanes(&mut con, "the new host gets a lane", |con| {
        busy_lanes(con, 2) > 0
    });
    // Its share and no more: the first host keeps two.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!((busy_lanes(&mut con, 1), busy_lanes(&mut con, 2)), (2, 1));
    until_all_grew(&shard, &good, &before);
}

#[test]
fn a_lane_taken_by_a_bridge_that_died_before_claiming_it_is_offered_again() {
    let (redis, mut con) = redis_and_connection();
    let url = redis.url();
    let _host = Host::start_with(&url, false, &["--slots", "1"]);
    let free = |con: &mut redis::Connection| -> Vec<String> {
        redis::cmd("LRANGE")
            .arg("isoshard:lanes:free")
            .arg(0)
            .arg(-1)
            .query(con)
            .unwrap()
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while free(&mut con).is_empty() {
        assert!(Instant::now() < deadline, "the host offered no lane");
        std::thread::sleep(Duration::from_millis(50));
    }
    // A bridge takes the lane and dies before it sets its claim.
    let taken: String = redis::cmd("LPOP")
        .arg("isoshard:lanes:free")
        .query(&mut con)
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let offered = free(&mut con);
        if let Some(again) = offered.first() {
            assert_ne!(again, &taken, "a new generation of the slot");
            assert!(
                again.starts_with(&taken[..taken.rfind(':').unwrap()]),
                "{again} {taken}"
            );
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the abandoned lane was never offered again"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
