//! Faults and floods against a running `isoshard serve`: a full disk on a small tmpfs, slow
//! and half-open clients, connection and rate floods, SIGTERM while clients hang on.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::{register, status, Server, COUNTER};

/// A tmpfs of `mib` MiB mounted for the test, unmounted on drop.
struct SmallDisk {
    mount: PathBuf,
    _dir: tempfile::TempDir,
}

impl SmallDisk {
    /// `None` (with a note) where mounting is not allowed (not root); CI runs as root.
    fn mount(mib: u32) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let mount = dir.path().join("disk");
        std::fs::create_dir(&mount).unwrap();
        let out = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mib}m"), "tmpfs"])
            .arg(&mount)
            .output()
            .unwrap();
        if !out.status.success() {
            // SAFETY: geteuid has no preconditions.
            let root = unsafe { libc::geteuid() } == 0;
            assert!(!root, "root could not mount a tmpfs: {out:?}");
            eprintln!("SKIPPED: cannot mount a tmpfs without root");
            return None;
        }
        Some(SmallDisk { mount, _dir: dir })
    }

    /// Writes a ballast file until the disk is full.
    fn fill(&self) -> PathBuf {
        let ballast = self.mount.join("ballast");
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&ballast)
            .unwrap();
        let chunk = vec![0u8; 64 * 1024];
        while f.write_all(&chunk).is_ok() {}
        let _ = f.sync_all();
        ballast
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.mount)
            .status();
    }
}

/// Status, JSON body and `Retry-After` of a response.
fn answer(r: Result<ureq::Response, ureq::Error>) -> (u16, Value, Option<String>) {
    let resp = match r {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("transport error {e}"),
    };
    let code = resp.status();
    let retry = resp.header("retry-after").map(str::to_string);
    (code, resp.into_json().unwrap_or(Value::Null), retry)
}

fn health(s: &Server) -> (u16, Value) {
    let (code, body, _) = answer(ureq::get(&s.url("/api/health")).call());
    (code, body)
}

/// Polls `f` every 50 ms until it holds (bounded).
fn eventually(what: &str, limit: Duration, mut f: impl FnMut() -> bool) -> Duration {
    let started = Instant::now();
    while !f() {
        assert!(started.elapsed() < limit, "{what}: not within {limit:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
    started.elapsed()
}

fn tick(s: &Server) -> u64 {
    s.world()["tick"].as_u64().unwrap()
}

#[test]
fn a_full_disk_pauses_commits_reports_them_and_the_shard_resumes_when_space_is_freed() {
    let Some(disk) = SmallDisk::mount(48) else {
        return;
    };
    let data = disk.mount.join("data");
    let mut s = Server::start(&data, &["--open-registration", "--isolation", "thread"]);
    let alice = register(&s, "alice", None);
    let r = ureq::put(&s.url("/api/code"))
        .set("Authorization", &format!("Bearer {alice}"))
        .send_json(json!({"modules": {"main": COUNTER}}));
    assert_eq!(status(r), 200);
    s.until_tick(5);
    assert_eq!(health(&s).0, 200);

    let ballast = disk.fill();
    eventually(
        "health reports the failing commit",
        Duration::from_secs(60),
        || health(&s).0 == 503,
    );
    let (_, h) = health(&s);
    assert_eq!(h["ok"], false, "{h}");
    assert!(h["failing"]["attempts"].as_u64().unwrap() >= 1, "{h}");
    let stuck = tick(&s);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        tick(&s),
        stuck,
        "no tick is published while its commit fails"
    );
    let metrics = ureq::get(&s.url("/metrics"))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    assert!(metrics.contains("isoshard_commit_failing 1"), "{metrics}");
    // Writes outside a tick are refused, typed and retryable, not half-applied.
    let (code, refused, retry) =
        answer(ureq::post(&s.url("/api/register")).send_json(json!({"name": "bob"})));
    assert_eq!(code, 503, "{refused}");
    assert!(
        refused["error"]
            .as_str()
            .unwrap()
            .contains("not committed yet"),
        "{refused}"
    );
    assert!(retry.is_some());

    std::fs::remove_file(&ballast).unwrap();
    let recovered = eventually("the shard resumes", Duration::from_secs(30), || {
        health(&s).0 == 200 && tick(&s) > stuck + 3
    });
    eprintln!("recovered {recovered:?} after the disk was freed");
    let metrics = ureq::get(&s.url("/metrics"))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    assert!(metrics.contains("isoshard_commit_failing 0"), "{metrics}");
    assert!(
        !metrics.contains("isoshard_commit_failures_total 0\n"),
        "{metrics}"
    );
    let bob = ureq::post(&s.url("/api/register")).send_json(json!({"name": "bob"}));
    assert_eq!(status(bob), 200);

    // Full again, then SIGTERM: the process exits within seconds, loudly (non-zero).
    let ballast = disk.fill();
    eventually("failing again", Duration::from_secs(60), || {
        health(&s).0 == 503
    });
    let committed = health(&s).1["committed_tick"].as_u64().unwrap();
    let asked = Instant::now();
    // SAFETY: kill(2) on our own child's pid.
    unsafe { libc::kill(s.child.id() as i32, libc::SIGTERM) };
    let exit = s.child.wait().unwrap();
    assert!(
        asked.elapsed() < Duration::from_secs(15),
        "{:?}",
        asked.elapsed()
    );
    assert!(
        !exit.success(),
        "an uncommitted tick at exit is reported: {exit:?}"
    );
    std::fs::remove_file(&ballast).unwrap();
    // Restart on the same data: every committed tick is there, and both players.
    let again = Server::start(&data, &["--isolation", "thread"]);
    let w = again.world();
    assert!(
        w["tick"].as_u64().unwrap() >= committed,
        "{w} vs committed {committed}"
    );
    assert_eq!(w["players"].as_array().unwrap().len(), 2, "{w}");
}

/// A WebSocket handshake on a raw socket, for clients that misbehave after it.
fn raw_stream(s: &Server, query: &str) -> TcpStream {
    let addr = s.base.trim_start_matches("http://");
    let mut sock = TcpStream::connect(addr).unwrap();
    write!(
        sock,
        "GET /api/stream{query} HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    .unwrap();
    sock
}

/// Reads until the peer closes (Ok(bytes read)) or `limit` passes (Err).
fn read_to_close(sock: &mut TcpStream, limit: Duration) -> Result<usize, String> {
    let deadline = Instant::now() + limit;
    sock.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0;
    while Instant::now() < deadline {
        match sock.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => total += n,
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => return Ok(total),
        }
    }
    Err(format!("still open after {limit:?} ({total} bytes read)"))
}

#[test]
fn a_stream_client_that_never_reads_is_dropped_and_a_close_frame_is_answered() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start_with_tick(
        dir.path(),
        "5",
        &["--open-registration", "--isolation", "thread"],
    );
    let alice = register(&s, "alice", None);
    // 60 KB of console a tick: a client that does not read fills the socket buffers fast.
    let loud = "module.exports.loop = function () { console.log('x'.repeat(60000)); }";
    let r = ureq::put(&s.url("/api/code"))
        .set("Authorization", &format!("Bearer {alice}"))
        .send_json(json!({"modules": {"main": loud}}));
    assert_eq!(status(r), 200);
    let mut stalled = raw_stream(&s, &format!("?token={alice}"));
    // Never read for 25 s: buffers fill in a few seconds, then the 10 s send timeout drops us.
    std::thread::sleep(Duration::from_secs(25));
    let read = read_to_close(&mut stalled, Duration::from_secs(20))
        .expect("the server dropped the stalled client");
    eprintln!("stalled client dropped after it had {read} bytes queued");
    assert!(
        s.world()["tick"].as_u64().unwrap() > 0,
        "the shard kept ticking"
    );

    // A polite client: read one tick, send Close, get the server's Close back.
    let (mut ws, _) =
        tungstenite::connect(format!("{}/api/stream", s.base.replace("http://", "ws://"))).unwrap();
    ws.read().unwrap();
    ws.close(None).unwrap();
    let started = Instant::now();
    loop {
        match ws.read() {
            Ok(_) => assert!(started.elapsed() < Duration::from_secs(5), "no Close reply"),
            Err(tungstenite::Error::ConnectionClosed) => break,
            Err(e) => panic!("the close handshake did not complete: {e}"),
        }
    }
}

#[test]
fn floods_of_connections_half_sent_requests_sign_ins_and_registrations_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(
        dir.path(),
        &[
            "--open-registration",
            "--isolation",
            "thread",
            "--max-connections-per-client",
            "8",
            "--header-timeout-s",
            "1",
        ],
    );
    // Registrations: 5 a minute per client, then 429 with Retry-After.
    for i in 0..5 {
        register(&s, &format!("p{i}"), Some("right-password"));
    }
    let (code, refused, retry) =
        answer(ureq::post(&s.url("/api/register")).send_json(json!({"name": "p5"})));
    assert_eq!(code, 429, "{refused}");
    assert!(retry.is_some());
    // Password guessing: after the limit the name is refused before any hash is computed,
    // even with the right password.
    let mut codes = Vec::new();
    for _ in 0..25 {
        let r = ureq::post(&s.url("/api/auth/signin"))
            .send_json(json!({"email": "p0", "password": "guess"}));
        codes.push(status(r));
    }
    assert!(codes.contains(&401) && codes.ends_with(&[429]), "{codes:?}");
    let r = ureq::post(&s.url("/api/auth/signin"))
        .send_json(json!({"email": "p0", "password": "right-password"}));
    assert_eq!(status(r), 429);

    // Half-sent requests: the 9th connection is refused, and each is closed after 1 s.
    let addr = s.base.trim_start_matches("http://").to_string();
    let mut half: Vec<TcpStream> = (0..8)
        .map(|_| {
            let mut c = TcpStream::connect(&addr).unwrap();
            c.write_all(b"GET /api/world HTTP/1.1\r\nHost: x\r\n")
                .unwrap();
            c
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let mut ninth = TcpStream::connect(&addr).unwrap();
    let _ = ninth.write_all(b"GET /api/world HTTP/1.1\r\nHost: x\r\n\r\n");
    read_to_close(&mut ninth, Duration::from_secs(5)).expect("over the cap: closed at once");
    for c in &mut half {
        read_to_close(c, Duration::from_secs(5)).expect("a half-sent request times out");
    }
    // An idle kept-alive connection is closed too.
    let mut idle = TcpStream::connect(&addr).unwrap();
    idle.write_all(b"GET /api/version HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let read = read_to_close(&mut idle, Duration::from_secs(5)).expect("idle connection closed");
    assert!(read > 0, "the request was answered first");
    // And the server still answers and ticks.
    let before = s.world()["tick"].as_u64().unwrap();
    s.until_tick(before + 3);
}

#[test]
fn sigterm_exits_within_seconds_with_streams_and_stalled_clients_open() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Server::start(
        dir.path(),
        &["--open-registration", "--isolation", "thread"],
    );
    s.until_tick(3);
    let (mut ws, _) =
        tungstenite::connect(format!("{}/api/stream", s.base.replace("http://", "ws://"))).unwrap();
    ws.read().unwrap();
    let _stalled = raw_stream(&s, "");
    let addr = s.base.trim_start_matches("http://").to_string();
    let mut keep_alive = TcpStream::connect(&addr).unwrap();
    keep_alive
        .write_all(b"GET /api/version HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut half = TcpStream::connect(&addr).unwrap();
    half.write_all(b"POST /api/register HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
        .unwrap();
    let asked = Instant::now();
    // SAFETY: kill(2) on our own child's pid.
    unsafe { libc::kill(s.child.id() as i32, libc::SIGTERM) };
    let exit = s.child.wait().unwrap();
    let took = asked.elapsed();
    assert!(exit.success(), "{exit:?}");
    assert!(took < Duration::from_secs(10), "SIGTERM took {took:?}");
    // The stream client was told: a Close frame (going away), or at least a closed socket.
    let mut closed = false;
    for _ in 0..100 {
        match ws.read() {
            Ok(tungstenite::Message::Close(frame)) => {
                if let Some(f) = frame {
                    assert_eq!(u16::from(f.code), 1001);
                }
                closed = true;
                break;
            }
            Ok(_) => continue,
            Err(_) => {
                closed = true;
                break;
            }
        }
    }
    assert!(closed);
}
