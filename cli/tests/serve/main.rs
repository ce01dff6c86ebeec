//! `isoshard serve` as a real child process: the HTTP/WebSocket API, auth, limits, graceful
//! shutdown, SIGKILL at random moments, the web viewers in a real browser, and the DevTools
//! endpoint with a real CDP client.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

mod faults;
mod joining;
mod operators;
mod player_tools;
mod redis_takeover;
mod runner_hosts;
mod screeps_tools;

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(data: &Path, extra: &[&str]) -> Server {
        Self::start_with_tick(data, "20", extra)
    }

    fn start_with_tick(data: &Path, tick_ms: &str, extra: &[&str]) -> Server {
        let mut args: Vec<std::ffi::OsString> = [
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--tick-ms",
            tick_ms,
            "--rooms",
            "3",
            "--auto-place",
            "--data",
        ]
        .iter()
        .map(Into::into)
        .collect();
        args.push(data.into());
        args.extend(extra.iter().map(Into::into));
        Self::spawn(&args, "isoshard serving on ")
    }

    /// `isoshard replay serve DATA` on a free port.
    fn replay_viewer(data: &Path) -> Server {
        let args: Vec<std::ffi::OsString> = vec![
            "replay".into(),
            "serve".into(),
            data.into(),
            "--bind".into(),
            "127.0.0.1:0".into(),
        ];
        Self::spawn(&args, "isoshard replay viewer on ")
    }

    /// Starts the binary and waits for the stderr line `ready` + URL.
    fn spawn(args: &[std::ffi::OsString], ready: &'static str) -> Server {
        let (child, mut addrs) = spawn_announcing(args, Stdio::null(), &[ready]);
        Server {
            child,
            base: addrs.remove(ready).expect("the server printed its address"),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn world(&self) -> Value {
        ureq::get(&self.url("/api/world"))
            .call()
            .unwrap()
            .into_json()
            .unwrap()
    }

    /// Waits until the world reaches `tick` (bounded).
    fn until_tick(&self, tick: u64) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let w = self.world();
            if w["tick"].as_u64().unwrap() >= tick {
                return w;
            }
            assert!(Instant::now() < deadline, "world stuck at {w}");
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn status(r: Result<ureq::Response, ureq::Error>) -> u16 {
    match r {
        Ok(r) => r.status(),
        Err(ureq::Error::Status(s, _)) => s,
        Err(e) => panic!("transport error {e}"),
    }
}

fn body(r: Result<ureq::Response, ureq::Error>) -> Value {
    match r {
        Ok(r) => r.into_json().unwrap(),
        Err(ureq::Error::Status(_, r)) => r.into_json().unwrap(),
        Err(e) => panic!("transport error {e}"),
    }
}

fn register(s: &Server, name: &str, password: Option<&str>) -> String {
    let r = body(
        ureq::post(&s.url("/api/register")).send_json(json!({"name": name, "password": password})),
    );
    r["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_string()
}

const COUNTER: &str = "module.exports.loop = function () { Memory.count = (Memory.count || 0) + 1; console.log('hello from ' + Game.time); }";

#[test]
fn api_endpoints_auth_limits_and_cross_player_attempts() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), &["--open-registration"]);
    let alice = register(&s, "alice", Some("pw-alice"));
    let bob = register(&s, "bob", None);
    assert_eq!(
        status(ureq::post(&s.url("/api/register")).send_json(json!({"name": "alice"}))),
        409,
        "name taken"
    );
    assert_eq!(
        status(ureq::post(&s.url("/api/register")).send_json(json!({"name": "no spaces"}))),
        400
    );
    // Upload: happy path and every way it can be wrong.
    let put = |token: &str, v: Value| {
        ureq::put(&s.url("/api/code"))
            .set("Authorization", &format!("Bearer {token}"))
            .send_json(v)
    };
    assert_eq!(
        status(put(&alice, json!({"modules": {"main": COUNTER}}))),
        200
    );
    assert_eq!(
        status(put(
            &bob,
            json!({"modules": {"main": "module.exports.loop = () => console.log('bob secret')"}})
        )),
        200
    );
    assert_eq!(
        status(put(&alice, json!({"modules": {"helper": "x"}}))),
        400,
        "no main"
    );
    assert_eq!(
        status(put(
            &alice,
            json!({"modules": {"../etc/passwd": "x", "main": ""}})
        )),
        400
    );
    assert_eq!(
        status(put(
            &alice,
            json!({"modules": {"main": {"binary": "AAAA"}}})
        )),
        400
    );
    assert_eq!(
        status(put("not-a-token", json!({"modules": {"main": ""}}))),
        401
    );
    assert_eq!(
        status(ureq::put(&s.url("/api/code")).send_json(json!({"modules": {"main": ""}}))),
        401
    );
    assert_eq!(
        status(
            ureq::put(&s.url("/api/code"))
                .set("Authorization", &format!("Bearer {alice}"))
                .send_string("{not json")
        ),
        400
    );
    // An oversized body is refused from its Content-Length, before it is read.
    assert!(raw_put_headers_only(&s, &alice, 7 << 20).starts_with("HTTP/1.1 413"));
    let big = "x".repeat(5 << 20);
    assert_eq!(
        status(put(&alice, json!({"modules": {"main": big, "b": "y"}}))),
        400,
        "over 5 MiB of source"
    );
    // Screeps-compatible auth: X-Token (+X-Username), Basic, signin.
    let code_of = |req: ureq::Request| body(req.call());
    let mine = code_of(
        ureq::get(&s.url("/api/user/code?branch=default"))
            .set("X-Token", &alice)
            .set("X-Username", "alice"),
    );
    assert_eq!(mine["modules"]["main"], COUNTER);
    assert_eq!(
        status(
            ureq::get(&s.url("/api/user/code"))
                .set("X-Token", &alice)
                .set("X-Username", "bob")
                .call()
        ),
        401,
        "a token is bound to its user"
    );
    let basic = format!("Basic {}", base64_encode("alice:pw-alice"));
    assert_eq!(
        body(
            ureq::get(&s.url("/api/auth/me"))
                .set("Authorization", &basic)
                .call()
        )["username"],
        "alice"
    );
    let wrong = format!("Basic {}", base64_encode("alice:nope"));
    assert_eq!(
        status(
            ureq::get(&s.url("/api/auth/me"))
                .set("Authorization", &wrong)
                .call()
        ),
        401
    );
    let signed = body(
        ureq::post(&s.url("/api/auth/signin"))
            .send_json(json!({"email": "alice", "password": "pw-alice"})),
    );
    let token2 = signed["token"].as_str().unwrap();
    assert_eq!(
        body(
            ureq::get(&s.url("/api/auth/me"))
                .set("X-Token", token2)
                .call()
        )["username"],
        "alice"
    );
    assert_eq!(
        status(
            ureq::post(&s.url("/api/auth/signin"))
                .send_json(json!({"email": "bob", "password": "x"}))
        ),
        401,
        "bob has no password"
    );
    // Bob's credentials can never change Alice's code.
    assert_eq!(
        status(
            ureq::post(&s.url("/api/user/code"))
                .set("X-Token", &bob)
                .set("X-Username", "alice")
                .send_json(json!({"branch": "default", "modules": {"main": "evil"}}))
        ),
        401
    );
    assert_eq!(status(ureq::post(&s.url("/api/user/code")).set("X-Token", &bob).send_json(json!({"branch": "default", "modules": {"main": "module.exports.loop = () => {}"}}))), 200);
    let mine = code_of(ureq::get(&s.url("/api/user/code")).set("X-Token", &alice));
    assert_eq!(mine["modules"]["main"], COUNTER);
    // World, rooms, me, metrics.
    let w0 = s.world();
    let w = s.until_tick(w0["tick"].as_u64().unwrap() + 5);
    assert_eq!(w["players"].as_array().unwrap().len(), 2);
    let room = w["rooms"][0].as_str().unwrap();
    assert!(body(ureq::get(&s.url(&format!("/api/rooms/{room}"))).call())["objects"].is_array());
    assert_eq!(status(ureq::get(&s.url("/api/rooms/W99N99")).call()), 404);
    assert_eq!(status(ureq::get(&s.url("/api/nothing")).call()), 404);
    let me = body(
        ureq::get(&s.url("/api/me"))
            .set("Authorization", &format!("Bearer {alice}"))
            .call(),
    );
    assert!(
        me["console"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l.as_str().unwrap().starts_with("hello from")),
        "{me}"
    );
    assert!(me["memory"].as_str().unwrap().contains("count"));
    assert!(!me.to_string().contains("bob secret"));
    let metrics = ureq::get(&s.url("/metrics"))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    for needle in [
        "isoshard_tick_duration_seconds_bucket{le=\"+Inf\"}",
        "isoshard_players 2",
        "isoshard_isolates",
        "isoshard_player_cpu_seconds{player=\"alice\"}",
        "isoshard_player_heap_bytes",
    ] {
        assert!(metrics.contains(needle), "{needle} missing from\n{metrics}");
    }
    // The stream: ticks for everyone, console only for its owner.
    let (mut ws, _) = tungstenite::connect(format!(
        "{}/api/stream?token={alice}",
        s.base.replace("http://", "ws://")
    ))
    .unwrap();
    let mut ticks = Vec::new();
    let mut saw_console = false;
    while ticks.len() < 5 {
        let msg: Value = serde_json::from_str(ws.read().unwrap().to_text().unwrap()).unwrap();
        ticks.push(msg["tick"].as_u64().unwrap());
        let lines = msg["console"].as_array().unwrap();
        saw_console |= lines
            .iter()
            .any(|l| l.as_str().unwrap().starts_with("hello from"));
        assert!(!msg.to_string().contains("bob secret"));
    }
    assert!(ticks.windows(2).all(|w| w[1] > w[0]), "{ticks:?}");
    assert!(saw_console);
    let (mut anon, _) =
        tungstenite::connect(format!("{}/api/stream", s.base.replace("http://", "ws://"))).unwrap();
    let msg: Value = serde_json::from_str(anon.read().unwrap().to_text().unwrap()).unwrap();
    assert!(msg.get("console").is_none() && msg["state_hash"].is_string());
    assert!(tungstenite::connect(format!(
        "{}/api/stream?token=bad",
        s.base.replace("http://", "ws://")
    ))
    .is_err());
}

/// Sends only the request head of a PUT with a large Content-Length; returns the status line.
fn raw_put_headers_only(s: &Server, token: &str, len: usize) -> String {
    use std::io::{Read, Write};
    let addr = s.base.trim_start_matches("http://");
    let mut conn = std::net::TcpStream::connect(addr).unwrap();
    write!(conn, "PUT /api/code HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {len}\r\n\r\n").unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut buf = [0u8; 512];
    let n = conn.read(&mut buf).unwrap();
    String::from_utf8_lossy(&buf[..n])
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

fn base64_encode(s: &str) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b = s.as_bytes();
    let mut out = String::new();
    for c in b.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn closed_registration_needs_the_admin_token_and_sigterm_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("admin");
    std::fs::write(&token_file, "0123456789abcdef-admin\n").unwrap();
    let data = dir.path().join("data");
    let mut s = Server::start(&data, &["--admin-token-file", token_file.to_str().unwrap()]);
    assert_eq!(
        status(ureq::post(&s.url("/api/register")).send_json(json!({"name": "eve"}))),
        403
    );
    assert_eq!(
        status(
            ureq::post(&s.url("/api/register"))
                .set("Authorization", "Bearer wrong")
                .send_json(json!({"name": "eve"}))
        ),
        403
    );
    let r = ureq::post(&s.url("/api/register"))
        .set("Authorization", "Bearer 0123456789abcdef-admin")
        .send_json(json!({"name": "eve"}));
    assert_eq!(status(r), 200);
    // The operator grows the map and grants credits; nobody else may.
    let admin = |body: Value| {
        ureq::post(&s.url("/api/admin/world"))
            .set("Authorization", "Bearer 0123456789abcdef-admin")
            .send_json(body)
    };
    let far = json!({"addRooms": [{"room": "E40S40", "status": "novice"}]});
    assert_eq!(
        status(ureq::post(&s.url("/api/admin/world")).send_json(far.clone())),
        403
    );
    assert_eq!(
        status(ureq::get(&s.url("/api/rooms/E40S40/terrain")).call()),
        404
    );
    assert_eq!(status(admin(far)), 200);
    assert_eq!(
        status(ureq::get(&s.url("/api/rooms/E40S40/terrain")).call()),
        200
    );
    let grant = json!({"grantCredits": {"username": "eve", "credits": 12.5}});
    assert_eq!(status(admin(grant)), 200);
    let nobody = json!({"grantCredits": {"username": "nobody", "credits": 1}});
    assert_eq!(status(admin(nobody)), 404);
    assert_eq!(status(admin(json!({"addRooms": [{"room": "X1"}]}))), 400);
    assert_eq!(status(admin(json!({}))), 400);
    let seen = s.until_tick(10)["tick"].as_u64().unwrap();
    // SIGTERM: finish the tick, flush, exit 0.
    // SAFETY: kill(2) on our own child's pid.
    unsafe { libc::kill(s.child.id() as i32, libc::SIGTERM) };
    let exit = s.child.wait().unwrap();
    assert!(exit.success(), "{exit:?}");
    let again = Server::start(&data, &["--admin-token-file", token_file.to_str().unwrap()]);
    assert!(again.world()["tick"].as_u64().unwrap() >= seen);
    assert_eq!(again.world()["players"][0]["name"], "eve");
    assert_eq!(
        status(ureq::get(&again.url("/api/rooms/E40S40/terrain")).call()),
        200,
        "the added room survives a restart"
    );
    drop(again);
    // The recording re-applies the edits where they happened: it verifies.
    let (code, text) = isoshard(&["replay".as_ref(), "verify".as_ref(), data.as_os_str()]);
    assert_eq!(code, Some(0), "{text}");
}

#[test]
fn sigkill_at_random_moments_loses_no_committed_tick() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut seen: Vec<(u64, String)> = Vec::new();
    let mut token = String::new();
    let mut rng = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut landed_after_last_seen = 0;
    let started = Instant::now();
    for round in 0..20 {
        // The minimum tick duration, so kills land in every phase, commits included.
        let s = Server::start_with_tick(&data, "1", &["--open-registration"]);
        let w = s.world();
        let tick = w["tick"].as_u64().unwrap();
        if let Some((last, hash)) = seen.last() {
            assert!(
                tick >= *last,
                "round {round}: resumed at {tick}, a client had seen {last}"
            );
            if tick == *last {
                assert_eq!(
                    w["state_hash"].as_str().unwrap(),
                    hash,
                    "round {round}: same tick, different state"
                );
            } else {
                landed_after_last_seen += 1;
            }
        }
        if round == 0 {
            token = register(&s, "survivor", None);
            let r = ureq::put(&s.url("/api/code"))
                .set("Authorization", &format!("Bearer {token}"))
                .send_json(json!({"modules": {"main": COUNTER}}));
            assert_eq!(status(r), 200);
        }
        let me = body(
            ureq::get(&s.url("/api/me"))
                .set("Authorization", &format!("Bearer {token}"))
                .call(),
        );
        assert_eq!(me["code_version"], 2, "code intact");
        let w = s.until_tick(tick + 2);
        seen.push((
            w["tick"].as_u64().unwrap(),
            w["state_hash"].as_str().unwrap().to_string(),
        ));
        // A uniformly random delay, then SIGKILL.
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let deadline = Instant::now() + Duration::from_millis(rng % 300);
        while Instant::now() < deadline {
            let w = s.world();
            seen.push((
                w["tick"].as_u64().unwrap(),
                w["state_hash"].as_str().unwrap().to_string(),
            ));
        }
        drop(s);
        assert!(started.elapsed() < Duration::from_secs(600));
    }
    // Every tick a client saw has exactly that hash in the recording, which verifies end to end.
    let rec = isoshard_replays::Recording::open(&data.join("replay")).unwrap();
    let report = rec.verify(None, None, 2, &|_| {}).unwrap();
    assert!(report.divergence.is_none(), "{:?}", report.divergence);
    let exported_ok = seen.iter().filter(|(t, _)| *t > 0).count();
    assert!(exported_ok > 20);
    let s = Server::start(&data, &[]);
    let me = body(
        ureq::get(&s.url("/api/me"))
            .set("Authorization", &format!("Bearer {token}"))
            .call(),
    );
    let memory: Value = serde_json::from_str(me["memory"].as_str().unwrap()).unwrap();
    assert!(
        memory["count"].as_u64().unwrap() > 20,
        "Memory survived: {memory}"
    );
    eprintln!("kills after which the shard had committed ticks no client had seen: {landed_after_last_seen} of 19");
}

/// Starts `isoshard ARGS` and waits until its stderr has announced an address after each of
/// `prefixes` (`"isoshard serving on "` + URL); returns them by prefix.
fn spawn_announcing(
    args: &[std::ffi::OsString],
    stdout: Stdio,
    prefixes: &[&'static str],
) -> (Child, std::collections::HashMap<&'static str, String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_isoshard"))
        .args(args)
        .stderr(Stdio::piped())
        .stdout(stdout)
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let wanted = prefixes.to_vec();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            for prefix in &wanted {
                if let Some(url) = line.strip_prefix(prefix) {
                    let _ = tx.send((*prefix, url.trim().to_string()));
                }
            }
        }
    });
    let mut found = std::collections::HashMap::new();
    while found.len() < prefixes.len() {
        let (prefix, url) = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("{args:?} did not announce {prefixes:?}"));
        found.insert(prefix, url);
    }
    (child, found)
}

fn npm_dir() -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/npm/node_modules");
    assert!(
        dir.join("screeps-api").is_dir() && dir.join("playwright-core").is_dir(),
        "screeps-api and playwright-core are not installed in {}; run `bash scripts/test.sh`, which installs them with npm",
        dir.display()
    );
    dir
}

/// The browser check's canvas pixel at the creep's tile is the owner's colour.
fn assert_creep_drawn(got: &Value) {
    let pixel: Vec<i64> = serde_json::from_value(got["pixel"].clone()).unwrap();
    let expected: Vec<i64> = serde_json::from_value(got["expected"].clone()).unwrap();
    assert!(
        pixel
            .iter()
            .zip(&expected)
            .take(3)
            .all(|(a, b)| (a - b).abs() <= 8),
        "canvas {pixel:?} at the creep's tile, expected {expected:?}"
    );
}

fn node(script: &str, args: &[&str]) -> Value {
    let out = Command::new("node")
        .arg(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/clients")
                .join(script),
        )
        .args(args)
        .env("NODE_PATH", npm_dir())
        .output()
        .expect("node is installed");
    assert!(
        out.status.success(),
        "{script} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(stdout.lines().last().unwrap_or_default()).unwrap_or_else(|e| {
        panic!(
            "{script} printed no JSON ({e}): {stdout:?}; stderr {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn the_real_screeps_api_client_signs_in_and_deploys_code() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), &["--open-registration"]);
    let token = register(&s, "deployer", Some("hunter2-long"));
    let got = node(
        "screeps_api_upload.js",
        &[&s.base, "deployer", "hunter2-long"],
    );
    assert_eq!(got["username"], "deployer");
    assert_eq!(got["set_ok"], 1);
    assert!(got["main"]
        .as_str()
        .unwrap()
        .contains("deployed with screeps-api"));
    let w = s.world()["tick"].as_u64().unwrap();
    s.until_tick(w + 3);
    let me = body(
        ureq::get(&s.url("/api/me"))
            .set("Authorization", &format!("Bearer {token}"))
            .call(),
    );
    assert!(
        me["console"]
            .to_string()
            .contains("deployed with screeps-api"),
        "{me}"
    );
}

#[test]
fn viewer_in_headless_chromium_advances_ticks_and_draws_creeps_and_the_players_visuals() {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).exists(),
        "the viewer test needs a real browser: install Debian's `chromium` package (apt-get install chromium; scripts/test.sh does it) or set CHROMIUM"
    );
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), &["--open-registration"]);
    let token = register(&s, "painter", None);
    // It also draws a red square over tiles 0..3 of its room, every tick, as a RoomVisual.
    let still = "module.exports.loop = function () { const s = Game.spawns.Spawn1; \
        s.room.visual.rect(0, 0, 3, 3, { fill: '#ff0000', opacity: 1 }).text('hi', 40, 40); \
        if (!Game.creeps.model && !s.spawning) s.spawnCreep([MOVE], 'model'); }";
    let r = ureq::put(&s.url("/api/code"))
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(json!({"modules": {"main": still}}));
    assert_eq!(status(r), 200);
    // Find the creep once it has stepped out of the spawn; it never moves after that.
    let deadline = Instant::now() + Duration::from_secs(60);
    let (room, x, y) = loop {
        let w = s.world();
        let found = w["rooms"].as_array().unwrap().iter().find_map(|r| {
            let name = r.as_str().unwrap();
            let room = body(ureq::get(&s.url(&format!("/api/rooms/{name}"))).call());
            room["objects"]
                .as_array()
                .unwrap()
                .iter()
                .find(|o| o["type"] == "creep" && o["spawning"] == false && o["owner"] == "painter")
                .map(|o| {
                    (
                        name.to_string(),
                        o["x"].as_u64().unwrap(),
                        o["y"].as_u64().unwrap(),
                    )
                })
        });
        if let Some(f) = found {
            break f;
        }
        assert!(Instant::now() < deadline, "no creep appeared");
    };
    // The player's own visuals over the API: Screeps' text, a JSON line per call.
    let v = body(
        ureq::get(&s.url(&format!("/api/user/visuals?room={room}")))
            .set("Authorization", &format!("Bearer {token}"))
            .call(),
    );
    let text = v["visuals"][&room].as_str().unwrap_or_default();
    assert!(
        text.starts_with(
            r##"{"t":"r","x":0,"y":0,"w":3,"h":3,"s":{"fill":"#ff0000","opacity":1}}"##
        ) && text.contains(r#""t":"t","text":"hi""#),
        "{v}"
    );
    let shots = tempfile::tempdir().unwrap();
    let got = node(
        "viewer_check.js",
        &[
            &s.base,
            &room,
            &x.to_string(),
            &y.to_string(),
            "painter",
            &token,
            shots.path().to_str().unwrap(),
        ],
    );
    assert_eq!(got["selected"], room.as_str());
    assert!(got["t2"].as_u64() > got["t1"].as_u64(), "{got}");
    assert_creep_drawn(&got);
    assert_eq!(got["visualCalls"], 2, "{got}");
    let red: Vec<i64> = serde_json::from_value(got["visualPixel"].clone()).unwrap();
    assert!(
        red[0] > 240 && red[1] < 15 && red[2] < 15,
        "the visual's red square at tile 1,1: {got}"
    );
    assert_eq!(got["source"], "socket", "{got}");
    let from_socket: Vec<i64> = serde_json::from_value(got["socketPixel"].clone()).unwrap();
    assert_eq!(
        from_socket,
        got["pixel"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap())
            .collect::<Vec<_>>(),
        "{got}"
    );
    // Clicking the creep shows it; a typed command's result comes back; the map shows the
    // player's room in their colour.
    let inspected = got["inspected"].as_array().unwrap();
    assert!(
        inspected
            .iter()
            .any(|o| o["type"] == "creep" && o["name"] == "model" && o["owner"] == "painter"),
        "{got}"
    );
    assert_eq!(got["resultClass"], "result", "{got}");
    assert!(got["cpu"].as_str().unwrap().contains("bucket"), "{got}");
    let on_map: Vec<i64> = serde_json::from_value(got["mapPixel"].clone()).unwrap();
    let expected: Vec<i64> = serde_json::from_value(got["expected"].clone()).unwrap();
    assert!(
        on_map
            .iter()
            .zip(&expected)
            .take(3)
            .all(|(a, b)| (a - b).abs() <= 8),
        "the player's room on the map {on_map:?}, expected {expected:?}"
    );
    for shot in ["room.png", "map.png"] {
        let bytes = std::fs::metadata(shots.path().join(shot)).unwrap().len();
        assert!(bytes > 5_000, "{shot} is {bytes} bytes");
    }
}

/// Every file of a recording with its bytes, to prove reading never writes.
fn recording_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (p.display().to_string(), std::fs::read(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn replay_viewer_in_headless_chromium_seeks_steps_plays_and_reports_damage() {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).exists(),
        "the replay viewer test needs a real browser: install Debian's `chromium` package or set CHROMIUM"
    );
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = Command::new(env!("CARGO_BIN_EXE_isoshard"))
        .args(["demo", "--ticks", "400", "--json", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let demo: Value = serde_json::from_slice(&out.stdout).unwrap();
    // A creep standing in the world at tick 250, from `replay export` (an independent path).
    let tick = 250u64;
    let out = Command::new(env!("CARGO_BIN_EXE_isoshard"))
        .args(["replay", "export", "--tick", &tick.to_string()])
        .arg(&data)
        .output()
        .unwrap();
    assert!(out.status.success());
    let export: Value = serde_json::from_slice(&out.stdout).unwrap();
    let (room, x, y, owner) = export["rooms"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|r| {
            r["objects"]
                .as_array()
                .unwrap()
                .iter()
                .find(|o| o["type"] == "creep" && o["spawning"] == false)
                .map(|o| {
                    (
                        r["name"].as_str().unwrap().to_string(),
                        o["x"].as_u64().unwrap(),
                        o["y"].as_u64().unwrap(),
                        o["owner"].as_str().unwrap().to_string(),
                    )
                })
        })
        .expect("the sample bots have a creep out at tick 250");
    let recording = data.join("replay");
    let before = recording_bytes(&recording);
    let v = Server::replay_viewer(&data);

    // The JSON API, malformed and out-of-range requests included.
    let range = body(ureq::get(&v.url("/api/range")).call());
    assert_eq!(
        (range["first_tick"].as_u64(), range["last_tick"].as_u64()),
        (Some(0), Some(400))
    );
    let end = body(ureq::get(&v.url("/api/ticks/400")).call());
    assert_eq!(
        end["state_hash"], demo["state_hash"],
        "the viewer's last tick is the demo's final state"
    );
    assert_eq!(status(ureq::get(&v.url("/api/ticks/abc")).call()), 400);
    assert_eq!(status(ureq::get(&v.url("/api/ticks/401")).call()), 404);
    assert_eq!(
        status(ureq::get(&v.url("/api/ticks/10/rooms/nowhere")).call()),
        404
    );
    let at = |t: u64| body(ureq::get(&v.url(&format!("/api/ticks/{t}"))).call());
    let (hash_at, hash_next) = (
        at(tick)["state_hash"].clone(),
        at(tick + 1)["state_hash"].clone(),
    );

    let got = node(
        "replay_viewer_check.js",
        &[
            &v.base,
            &room,
            &tick.to_string(),
            &x.to_string(),
            &y.to_string(),
            &owner,
        ],
    );
    assert_eq!(got["opened"], 0, "{got}");
    assert_eq!(got["last"], 400);
    assert_eq!(got["selected"], room.as_str());
    assert_creep_drawn(&got);
    assert_eq!(got["hashAtTick"], hash_at);
    assert_eq!(got["hashAfterStep"], hash_next);
    assert_eq!(got["hashAfterBack"], hash_at);
    assert!(got["paused"].as_u64().unwrap() >= tick + 5, "{got}");
    assert_eq!(got["paused"], got["stillPaused"], "pause stops playback");
    assert!(
        got["error"]
            .as_str()
            .unwrap()
            .contains("outside the recording"),
        "{got}"
    );
    assert_eq!(
        recording_bytes(&recording),
        before,
        "the viewer never writes"
    );

    // A damaged segment: a clear error naming the file, and the viewer keeps serving.
    let seg = recording.join("segment-000000000300.isr");
    let mut bytes = std::fs::read(&seg).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x40;
    std::fs::write(&seg, bytes).unwrap();
    let damaged = recording_bytes(&recording);
    let r = ureq::get(&v.url("/api/ticks/399")).call();
    let Err(ureq::Error::Status(500, resp)) = r else {
        panic!("a corrupt segment must be a 500, got {r:?}")
    };
    let err: Value = resp.into_json().unwrap();
    assert!(
        err["error"]
            .as_str()
            .unwrap()
            .contains("segment-000000000300.isr"),
        "{err}"
    );
    assert_eq!(at(tick)["state_hash"], hash_at, "other segments still play");
    assert_eq!(recording_bytes(&recording), damaged);
}

#[test]
fn replay_viewer_follows_a_live_shards_recording_trimmed_by_retention() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(
        dir.path(),
        &["--open-registration", "--replay-keep-ticks", "100"],
    );
    register(&s, "watched", None);
    s.until_tick(5);
    let v = Server::replay_viewer(dir.path());
    let range = |v: &Server| {
        let r = body(ureq::get(&v.url("/api/range")).call());
        (
            r["first_tick"].as_u64().unwrap(),
            r["last_tick"].as_u64().unwrap(),
        )
    };
    let (first, last) = range(&v);
    s.until_tick(last + 250);
    let (first_later, last_later) = range(&v);
    assert!(
        last_later >= last + 200,
        "range grew from {last} to {last_later}"
    );
    // 100 ticks kept = two segments of 100: older segments are gone.
    assert!(
        first_later > first,
        "retention trimmed the start: {first} → {first_later}"
    );
    assert!(
        last_later - first_later <= 200,
        "{first_later}..={last_later}"
    );
    let segments = std::fs::read_dir(dir.path().join("replay"))
        .unwrap()
        .count();
    assert!(segments <= 3, "{segments} segment files");
    // The newest recorded tick plays, with the player who joined the live shard; a trimmed
    // tick is a clean 404.
    let summary = body(ureq::get(&v.url(&format!("/api/ticks/{last_later}"))).call());
    assert_eq!(summary["tick"], last_later);
    assert!(
        summary["players"].to_string().contains("watched"),
        "{summary}"
    );
    // The recording keeps each player's CPU of the tick.
    let cpu = summary["players"][0]["cpu_ms"].as_f64();
    assert!(cpu.is_some_and(|ms| ms > 0.0), "{summary}");
    assert!(summary["intents_by_room"].is_object(), "{summary}");
    assert_eq!(
        status(ureq::get(&v.url(&format!("/api/ticks/{first}"))).call()),
        404
    );
}

#[test]
fn sandbox_inspect_serves_cdp_to_a_real_websocket_client_breakpoint_step_local_resume() {
    let dir = tempfile::tempdir().unwrap();
    let bot = dir.path().join("bot.js");
    std::fs::write(
        &bot,
        "function work(n) {\n  const local = n * 6;\n  return local + 1;\n}\nconst result = work(7);\nconsole.log('done', result);\nresult;\n",
    )
    .unwrap();
    let args: Vec<std::ffi::OsString> = vec![
        "sandbox".into(),
        "--json".into(),
        "--inspect".into(),
        "127.0.0.1:0".into(),
        bot.clone().into(),
    ];
    let (child, mut addrs) = spawn_announcing(&args, Stdio::piped(), &["isoshard inspector on "]);
    let ws = addrs.remove("isoshard inspector on ").unwrap();
    // Discovery works like node's: /json/list names the same WebSocket.
    let http = ws.replace("ws://", "http://");
    let base = http.split("/ws/").next().unwrap();
    let list = body(ureq::get(&format!("{base}/json/list")).call());
    assert_eq!(list[0]["webSocketDebuggerUrl"], ws.as_str());
    assert!(list[0]["devtoolsFrontendUrl"]
        .as_str()
        .unwrap()
        .starts_with("devtools://"));

    let got = node("cdp_debug.js", &[&ws]);
    assert!(got["breakpointId"].is_string(), "{got}");
    assert_eq!(got["pausedIn"], "work");
    assert_eq!(got["line"], 1);
    assert_eq!(got["local"], 42);
    assert_eq!(got["scopes"][0], "local");
    assert_eq!(
        got["steppedTo"], 2,
        "stepOver pauses on the next line: {got}"
    );
    assert_eq!(got["steppedIn"], "work");
    assert_eq!(got["console"], json!(["done", 43]));
    assert!(
        got["parseError"]["code"].is_i64(),
        "malformed JSON gets a protocol error: {got}"
    );
    // Refused while reading: a 1009 close, or the connection dropped (1006).
    let code = got["hostileClose"]["code"].as_u64().unwrap();
    assert!(
        code == 1009 || code == 1006,
        "oversized frame closes the connection: {got}"
    );
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["outcome"], "ok");
    assert_eq!(report["value"], 43);
}

#[test]
fn serve_inspect_lets_a_player_debug_their_own_bot_with_their_token_only() {
    debug_own_bot("thread");
}

#[test]
fn serve_inspect_relays_devtools_to_players_in_runner_processes() {
    debug_own_bot("process");
}

/// A player sets a breakpoint in their bot over CDP, reads a local while paused mid-tick and
/// resumes; nobody else's token opens or even lists their isolate; sessions are capped.
fn debug_own_bot(isolation: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut args: Vec<std::ffi::OsString> = [
        "serve",
        "--bind",
        "127.0.0.1:0",
        "--tick-ms",
        "50",
        "--rooms",
        "3",
        "--auto-place",
        "--open-registration",
        "--isolation",
        isolation,
        "--inspect",
        "127.0.0.1:0",
        "--data",
    ]
    .iter()
    .map(Into::into)
    .collect();
    args.push(dir.path().into());
    let (child, mut addrs) = spawn_announcing(
        &args,
        Stdio::null(),
        &["isoshard serving on ", "isoshard inspector on "],
    );
    let base = addrs.remove("isoshard serving on ").unwrap();
    let inspector = addrs.remove("isoshard inspector on ").unwrap();
    let s = Server { child, base };
    let token = register(&s, "debugger", None);
    let bot = "module.exports.loop = function () {\n  const marker = Game.time;\n  if (marker < 0) console.log('never');\n};\n";
    let r = ureq::put(&s.url("/api/code"))
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(json!({"modules": {"main": bot}}));
    assert_eq!(status(r), 200);
    let me = body(
        ureq::get(&s.url("/api/me"))
            .set("Authorization", &format!("Bearer {token}"))
            .call(),
    );
    let ws = format!("{inspector}/ws/player-debugger");
    assert!(
        me["inspector"]["websocket"]
            .as_str()
            .unwrap()
            .starts_with(&ws),
        "{me}"
    );
    let got = node("cdp_player.js", &[&ws, &token]);
    assert_eq!(got["noToken"], 401, "{got}");
    assert_eq!(got["wrongToken"], 401, "{got}");
    // The module's name and its own line numbers, as Screeps' DevTools show them.
    assert_eq!(got["url"], "main");
    assert_eq!(got["line"], 2);
    assert!(got["marker"].as_u64().unwrap() > 0, "{got}");
    assert_eq!(got["sameTick"], true);
    // The shard keeps ticking after the player resumed.
    let w = s.world()["tick"].as_u64().unwrap();
    s.until_tick(w + 3);

    // Discovery shows a player's target only to their token.
    let http = inspector.replacen("ws://", "http://", 1);
    let listed = |query: &str| body(ureq::get(&format!("{http}/json/list{query}")).call());
    assert_eq!(listed(""), json!([]));
    assert_eq!(listed("?token=wrong"), json!([]));
    let mine = listed(&format!("?token={token}"));
    assert_eq!(mine[0]["id"], "player-debugger", "{mine}");
    // Sessions per target are capped: the third handshake is refused while two are open.
    let handshake = || {
        use std::io::{Read, Write};
        let addr = inspector.trim_start_matches("ws://");
        let mut sock = std::net::TcpStream::connect(addr).unwrap();
        write!(
            sock,
            "GET /ws/player-debugger?token={token} HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        .unwrap();
        sock.set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut head = [0u8; 12];
        sock.read_exact(&mut head).unwrap();
        (String::from_utf8_lossy(&head[9..12]).to_string(), sock)
    };
    let (first, _a) = handshake();
    let (second, _b) = handshake();
    let (third, _c) = handshake();
    assert_eq!((first.as_str(), second.as_str()), ("101", "101"));
    assert_eq!(third, "429");
}

#[test]
fn serve_on_a_port_zero_listener_stops_when_the_shutdown_future_resolves() {
    use isoshard_engine::server::{serve_on, ServeOptions};
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let options = ServeOptions {
        data: dir.path().to_path_buf(),
        bind: "127.0.0.1:1".parse().unwrap(),
        tick: Duration::from_millis(20),
        preloads: Vec::new(),
        admin_token_file: None,
        open_registration: true,
        seed: Some(3),
        rooms: Some(3),
        cpu_limit_ms: 100,
        runners: None,
        inspect: None,
        ..ServeOptions::default()
    };
    let server = runtime.spawn(serve_on(listener, options, async {
        let _ = stopped.await;
    }));
    // The listener is bound before the shard opens: the first request waits in the backlog.
    let started = Instant::now();
    let tick = loop {
        let world = body(ureq::get(&format!("{base}/api/world")).call());
        let t = world["tick"].as_u64().unwrap_or(0);
        if t >= 3 {
            break t;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no ticks: {world}"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    stop.send(()).unwrap();
    runtime
        .block_on(server)
        .expect("serve task")
        .expect("serve_on returns Ok after the shutdown future");
    assert!(
        ureq::get(&format!("{base}/api/world")).call().is_err(),
        "the port is closed after shutdown"
    );
    // The ticks it ran were committed: the data directory resumes at or past them.
    let reopened = isoshard_engine::replay_cli::info(dir.path()).expect("recording");
    assert!(
        reopened.last_tick >= tick,
        "{} < {tick}",
        reopened.last_tick
    );
}

/// `isoshard ARGS…` to completion: exit code and stderr+stdout.
fn isoshard(args: &[&std::ffi::OsStr]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_isoshard"))
        .args(args)
        .env("ISOSHARD_LOG", "error")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text)
}

#[test]
fn serve_refuses_damaged_data_instead_of_starting_a_new_shard_and_resumes_after_fsck_repair() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut s = Server::start(&data, &["--open-registration"]);
    register(&s, "eve", None);
    let seen = s.until_tick(10)["tick"].as_u64().unwrap();
    // SAFETY: kill(2) on our own child's pid.
    unsafe { libc::kill(s.child.id() as i32, libc::SIGTERM) };
    assert!(s.child.wait().unwrap().success());
    let serve = |data: &Path| {
        isoshard(&[
            "serve".as_ref(),
            "--bind".as_ref(),
            "127.0.0.1:0".as_ref(),
            "--data".as_ref(),
            data.as_os_str(),
        ])
    };

    // sled's settings file damaged: sled cannot open; serve says so and what to do.
    let conf = data.join("shard.sled").join("conf");
    let mut bytes = std::fs::read(&conf).unwrap();
    bytes[3] ^= 0x5a;
    std::fs::write(&conf, &bytes).unwrap();
    let (code, text) = serve(&data);
    assert_eq!(code, Some(2), "{text}");
    assert!(
        text.contains("is damaged") && text.contains("isoshard fsck"),
        "{text}"
    );
    let (code, text) = isoshard(&["fsck".as_ref(), data.as_os_str()]);
    assert_eq!(code, Some(1), "{text}");
    let (code, text) = isoshard(&["fsck".as_ref(), "--repair".as_ref(), data.as_os_str()]);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("set ") && text.contains("ok: the store reads in full"),
        "{text}"
    );
    let again = Server::start(&data, &[]);
    assert!(again.world()["tick"].as_u64().unwrap() >= seen);
    assert_eq!(again.world()["players"][0]["name"], "eve");
    drop(again);

    // The whole store gone beside its marker: refused, never a new shard with names free.
    std::fs::remove_dir_all(data.join("shard.sled")).unwrap();
    let (code, text) = serve(&data);
    assert_eq!(code, Some(2), "{text}");
    assert!(
        text.contains("holds no shard, but shard.marker says one committed tick"),
        "{text}"
    );
    let (code, text) = isoshard(&["fsck".as_ref(), "--repair".as_ref(), data.as_os_str()]);
    assert_eq!(code, Some(2), "{text}");
    assert!(
        text.contains("restore the directory from a backup"),
        "{text}"
    );
}
