//! What an operator sets and reads: settings from flags, environment and a TOML file in that
//! order, fixed settings refused, changed ones applied and logged, JSON logs.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::body;

/// `isoshard serve` with `envs`; every stderr line is kept.
struct Logged {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
    base: String,
}

impl Logged {
    fn start(args: &[&str], envs: &[(&str, &str)]) -> Logged {
        let mut command = Command::new(env!("CARGO_BIN_EXE_isoshard"));
        command
            .arg("serve")
            .args(["--bind", "127.0.0.1:0"])
            .args(args)
            .env_remove("RUST_LOG")
            .stderr(Stdio::piped())
            .stdout(Stdio::null());
        for (k, v) in envs {
            command.env(k, v);
        }
        let mut child = command.spawn().unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let kept = lines.clone();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                kept.lock().unwrap().push(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        let base = loop {
            let found = lines.lock().unwrap().iter().find_map(|l| {
                l.strip_prefix("isoshard serving on ")
                    .map(|u| u.trim().to_string())
            });
            if let Some(base) = found {
                break base;
            }
            assert!(
                Instant::now() < deadline,
                "serve did not start: {:?}",
                lines.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        Logged { child, lines, base }
    }

    /// The JSON log events whose message is `message`.
    fn events(&self, message: &str) -> Vec<Value> {
        self.lines
            .lock()
            .unwrap()
            .iter()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|v| v["fields"]["message"] == message)
            .collect()
    }
}

impl Drop for Logged {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `serve` expecting it to refuse to start: its exit code and output.
fn refused(args: &[&str]) -> (Option<i32>, String) {
    let mut all: Vec<&std::ffi::OsStr> = ["serve", "--bind", "127.0.0.1:0"]
        .iter()
        .map(std::ffi::OsStr::new)
        .collect();
    all.extend(args.iter().map(std::ffi::OsStr::new));
    super::isoshard(&all)
}

fn cpu_limit_of(base: &str, token: &str) -> Value {
    body(
        ureq::get(&format!("{base}/api/auth/me"))
            .set("X-Token", token)
            .call(),
    )["cpu"]
        .clone()
}

#[test]
fn settings_come_from_flags_over_environment_over_the_file_and_fixed_ones_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("shard.toml");
    // Relative paths in the file are the file's own directory's.
    std::fs::write(
        &config,
        "data = \"data\"\ntick-ms = 900\nrooms = 3\ncpu-limit-ms = 80\nlog-format = \"json\"\n\
         open-registration = true\nauto-place = true\nreplay-keep-mb = 64\n",
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let s = Logged::start(
        &["--config", config, "--cpu-limit-ms", "60"],
        &[("ISOSHARD_TICK_MS", "40"), ("ISOSHARD_CPU_LIMIT_MS", "70")],
    );
    let settings = &s.events("shard settings")[0]["fields"];
    assert_eq!(settings["tick_ms"], 40, "the environment over the file");
    assert_eq!(
        settings["cpu_limit_ms"], 60,
        "the flag over the environment"
    );
    assert_eq!(settings["rooms"], "3x3", "the file over the default");
    assert_eq!(settings["replay_keep_bytes"], 64 << 20);
    assert_eq!(settings["created"], true);
    assert!(dir.path().join("data").join("shard.marker").exists());
    let token =
        body(ureq::post(&format!("{}/api/register", s.base)).send_json(json!({"name": "ann"})))
            ["token"]
            .as_str()
            .unwrap()
            .to_string();
    assert_eq!(cpu_limit_of(&s.base, &token), 60);
    drop(s);

    // The world's size and seed are fixed: a different one is refused, loudly.
    let (code, err) = refused(&["--config", config, "--rooms", "4"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("is 3x3, fixed when it was created; 4x4 was given"),
        "{err}"
    );
    let (code, err) = refused(&["--config", config, "--seed", "9"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("world seed is 1"), "{err}");

    // The CPU limit is not: it applies to the players there, and the change is logged.
    let s = Logged::start(&["--config", config, "--cpu-limit-ms", "45"], &[]);
    let change = &s.events("setting changed since the last start")[0]["fields"]["change"];
    assert_eq!(change, "CPU limit 60 ms -> 45 ms");
    assert_eq!(cpu_limit_of(&s.base, &token), 45);
}

#[test]
fn a_config_file_with_an_unknown_key_or_no_data_directory_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("shard.toml");
    std::fs::write(&config, "data = \"d\"\ntick_ms = 5\n").unwrap();
    let (code, err) = refused(&["--config", config.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("unknown field `tick_ms`"), "{err}");
    let (code, err) = refused(&[]);
    assert_eq!(code, Some(2));
    assert!(err.contains("no data directory"), "{err}");
    assert!(!Path::new("d").exists());
}

/// `isoshard admin ARGS…` against `base` with the token in `token_file`: exit code, stdout.
fn admin(base: &str, token_file: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_isoshard"))
        .arg("admin")
        .args(args)
        .env("ISOSHARD_ADMIN_URL", base)
        .env("ISOSHARD_ADMIN_TOKEN_FILE", token_file)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text)
}

fn admin_ok(base: &str, token_file: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let (code, out) = admin(base, token_file, &all);
    assert_eq!(code, Some(0), "admin {args:?}: {out}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("admin {args:?}: {e}: {out}"))
}

fn tick_of(base: &str) -> u64 {
    body(ureq::get(&format!("{base}/api/world")).call())["tick"]
        .as_u64()
        .unwrap()
}

#[test]
fn admin_lists_bans_pauses_adds_bots_and_backs_up_a_running_shard_that_restores_offline() {
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("admin-token");
    std::fs::write(&token_file, "an-admin-token-of-some-length\n").unwrap();
    let data = dir.path().join("data");
    let s = Logged::start(
        &[
            "--data",
            data.to_str().unwrap(),
            "--tick-ms",
            "30",
            "--rooms",
            "4",
            "--isolation",
            "thread",
            "--open-registration",
            "--auto-place",
            "--admin-token-file",
            token_file.to_str().unwrap(),
        ],
        &[],
    );
    let base = s.base.clone();
    let eve = body(ureq::post(&format!("{base}/api/register")).send_json(json!({"name": "eve"})))
        ["token"]
        .as_str()
        .unwrap()
        .to_string();
    // A player's token is not an admin token.
    let refused = ureq::get(&format!("{base}/api/admin/players"))
        .set("authorization", &format!("Bearer {eve}"))
        .call();
    assert!(matches!(refused, Err(ureq::Error::Status(403, _))));

    let added = admin_ok(&base, &token_file, &["add-bots", "--count", "2"]);
    assert_eq!(
        added["done"]["added"],
        json!(["miner-hauler-1", "miner-hauler-2"])
    );
    let (code, out) = admin(&base, &token_file, &["add-bots", "--kind", "no-such-bot"]);
    assert_eq!(code, Some(2));
    assert!(out.contains("no sample bot \"no-such-bot\""), "{out}");
    let list = admin_ok(&base, &token_file, &["players"]);
    let players = list["players"].as_array().unwrap();
    assert_eq!(players.len(), 3);
    assert!(
        players
            .iter()
            .all(|p| p["rooms"].as_array().unwrap().len() == 1),
        "{list}"
    );
    let (code, table) = admin(&base, &token_file, &["players"]);
    assert_eq!(code, Some(0));
    assert!(
        table.contains("miner-hauler-2") && table.contains("eve"),
        "{table}"
    );

    // A ban refuses the player's token; lifting it lets them back.
    admin_ok(&base, &token_file, &["ban", "eve"]);
    let me = |t: &str| {
        super::status(
            ureq::get(&format!("{base}/api/me"))
                .set("authorization", &format!("Bearer {t}"))
                .call(),
        )
    };
    assert_eq!(me(&eve), 403);
    admin_ok(&base, &token_file, &["unban", "eve"]);
    assert_eq!(me(&eve), 200);
    let reset = admin_ok(&base, &token_file, &["reset-code", "eve"]);
    assert_eq!(reset["done"]["codeVersion"], 2);

    // Paused, no tick runs; resumed, ticks go on.
    admin_ok(&base, &token_file, &["pause"]);
    let paused_at = tick_of(&base);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(tick_of(&base), paused_at);
    admin_ok(&base, &token_file, &["resume"]);
    let deadline = Instant::now() + Duration::from_secs(30);
    while tick_of(&base) <= paused_at {
        assert!(Instant::now() < deadline, "no tick after resume");
        std::thread::sleep(Duration::from_millis(20));
    }

    // The tick rate changes at once, and Screeps' /api/game/tick says so.
    let rate = admin_ok(&base, &token_file, &["tick-rate", "45"]);
    assert_eq!(rate["done"]["was"], 30);
    let told = body(ureq::get(&format!("{base}/api/game/tick")).call());
    assert_eq!(told["tick"], 45);

    // A backup of the running shard restores offline and opens at the backed-up tick.
    let backup = dir.path().join("backup");
    let done = admin_ok(&base, &token_file, &["backup", backup.to_str().unwrap()]);
    let backed_up_at = done["done"]["tick"].as_u64().unwrap();
    let (code, out) = admin(&base, &token_file, &["backup", backup.to_str().unwrap()]);
    assert_eq!(
        code,
        Some(2),
        "a second backup into the same directory: {out}"
    );
    assert!(out.contains("is not empty"), "{out}");
    drop(s);
    let restored = dir.path().join("restored");
    let (code, out) = admin(
        "http://unused",
        &token_file,
        &[
            "restore",
            backup.to_str().unwrap(),
            restored.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains(&format!("at tick {backed_up_at}")), "{out}");
    let s = Logged::start(
        &[
            "--data",
            restored.to_str().unwrap(),
            "--tick-ms",
            "1000",
            "--isolation",
            "thread",
        ],
        &[],
    );
    let world = body(ureq::get(&format!("{}/api/world", s.base)).call());
    assert!(world["tick"].as_u64().unwrap() >= backed_up_at, "{world}");
    let eve_there = ureq::get(&format!("{}/api/me", s.base))
        .set("authorization", &format!("Bearer {eve}"))
        .call();
    assert_eq!(
        super::status(eve_there),
        200,
        "accounts and tokens are in the backup"
    );
}

/// A Debian tool the metrics tests need; the failure names the package.
fn tool(name: &str) -> std::path::PathBuf {
    let path = Path::new("/usr/bin").join(name);
    assert!(
        path.exists(),
        "{name} is missing: install Debian's `prometheus` package (scripts/test.sh does)"
    );
    path
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn metrics_pass_promtool_and_a_real_prometheus_scrapes_them() {
    let dir = tempfile::tempdir().unwrap();
    let s = Logged::start(
        &[
            "--data",
            dir.path().join("data").to_str().unwrap(),
            "--tick-ms",
            "50",
            "--isolation",
            "thread",
            "--open-registration",
            "--auto-place",
        ],
        &[],
    );
    body(ureq::post(&format!("{}/api/register", s.base)).send_json(json!({"name": "ann"})));
    // Until Ann's first tick has been published.
    let deadline = Instant::now() + Duration::from_secs(60);
    let classic = loop {
        let text = ureq::get(&format!("{}/metrics", s.base))
            .call()
            .unwrap()
            .into_string()
            .unwrap();
        if text.contains("isoshard_player_cpu_seconds{player=\"ann\"}") {
            break text;
        }
        assert!(Instant::now() < deadline, "no tick of Ann's: {text}");
        std::thread::sleep(Duration::from_millis(20));
    };
    for needle in [
        "process_cpu_seconds_total ",
        "process_resident_memory_bytes ",
        "isoshard_ticks_total ",
        "isoshard_tick_phase_seconds_total{phase=\"commit\"}",
        "isoshard_player_cpu_seconds{player=\"ann\"}",
        "isoshard_data_bytes{part=\"store\"}",
    ] {
        assert!(classic.contains(needle), "{needle} missing from\n{classic}");
    }
    let mut check = Command::new(tool("promtool"))
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut check.stdin.take().unwrap(), classic.as_bytes()).unwrap();
    let checked = check.wait_with_output().unwrap();
    assert!(
        checked.status.success(),
        "promtool check metrics: {}{}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );

    // Prometheus itself, scraping every second (it asks for OpenMetrics).
    let port = free_port();
    let target = s.base.trim_start_matches("http://");
    let config = dir.path().join("prometheus.yml");
    std::fs::write(
        &config,
        format!(
            "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: isoshard\n    \
             static_configs:\n      - targets: ['{target}']\n"
        ),
    )
    .unwrap();
    let mut prometheus = Command::new(tool("prometheus"))
        .arg(format!("--config.file={}", config.display()))
        .arg(format!(
            "--storage.tsdb.path={}",
            dir.path().join("tsdb").display()
        ))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let query = format!("http://127.0.0.1:{port}/api/v1/query?query=isoshard_ticks_total");
    let deadline = Instant::now() + Duration::from_secs(60);
    let ticks = loop {
        let answer = ureq::get(&query)
            .call()
            .ok()
            .and_then(|r| r.into_json::<Value>().ok());
        let value = answer.as_ref().and_then(|a| {
            a["data"]["result"][0]["value"][1]
                .as_str()
                .and_then(|v| v.parse::<f64>().ok())
        });
        if let Some(v) = value {
            break v;
        }
        if Instant::now() > deadline {
            let _ = prometheus.kill();
            panic!("Prometheus never scraped isoshard_ticks_total: {answer:?}");
        }
        std::thread::sleep(Duration::from_millis(250));
    };
    let _ = prometheus.kill();
    let _ = prometheus.wait();
    assert!(ticks >= 1.0, "{ticks}");
}

#[test]
fn sign_ins_never_evict_named_tokens_which_owners_list_create_expire_and_revoke() {
    let dir = tempfile::tempdir().unwrap();
    let s = Logged::start(
        &[
            "--data",
            dir.path().join("data").to_str().unwrap(),
            "--tick-ms",
            "200",
            "--isolation",
            "thread",
            "--open-registration",
            "--sign-ins-per-minute",
            "1000",
        ],
        &[],
    );
    let url = |path: &str| format!("{}{path}", s.base);
    let with = |t: &str| format!("Bearer {t}");
    let viewer = body(
        ureq::post(&url("/api/register")).send_json(json!({"name": "ann", "password": "pw-ann-1"})),
    )["token"]
        .as_str()
        .unwrap()
        .to_string();
    let deploy = body(
        ureq::post(&url("/api/user/tokens"))
            .set("authorization", &with(&viewer))
            .send_json(json!({"name": "deploy", "expiresInDays": 30})),
    );
    let deploy_token = deploy["token"].as_str().unwrap().to_string();
    // Many deploys sign in again and again (screeps-api, rollup-plugin-screeps do).
    let mut last = String::new();
    for _ in 0..40 {
        let signed = body(
            ureq::post(&url("/api/auth/signin"))
                .send_json(json!({"email": "ann", "password": "pw-ann-1"})),
        );
        last = signed["token"].as_str().unwrap().to_string();
    }
    let me = |t: &str| {
        super::status(
            ureq::get(&url("/api/auth/me"))
                .set("authorization", &with(t))
                .call(),
        )
    };
    assert_eq!(me(&viewer), 200, "the viewer's token survives 40 sign-ins");
    assert_eq!(me(&deploy_token), 200);
    assert_eq!(me(&last), 200);
    let listed = body(
        ureq::get(&url("/api/user/tokens"))
            .set("authorization", &with(&last))
            .call(),
    );
    let tokens = listed["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 32, "{listed}");
    let names: Vec<&str> = tokens.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert!(
        names.contains(&"registration") && names.contains(&"deploy"),
        "{names:?}"
    );
    let sign_in = tokens.iter().find(|t| t["name"] == "sign-in").unwrap();
    let ttl = sign_in["expires"].as_u64().unwrap() - sign_in["created"].as_u64().unwrap();
    assert_eq!(ttl, 30 * 86_400, "sign-in tokens expire after 30 days");
    assert!(
        !listed.to_string().contains(&deploy_token),
        "secrets are never listed"
    );

    // Another player cannot revoke Ann's token by its id.
    let bob = body(ureq::post(&url("/api/register")).send_json(json!({"name": "bob"})))["token"]
        .as_str()
        .unwrap()
        .to_string();
    let id = deploy["id"].as_str().unwrap();
    let stolen = ureq::delete(&url(&format!("/api/user/tokens/{id}")))
        .set("authorization", &with(&bob))
        .call();
    assert_eq!(super::status(stolen), 400);
    assert_eq!(me(&deploy_token), 200);
    let revoked = ureq::delete(&url(&format!("/api/user/tokens/{id}")))
        .set("authorization", &with(&viewer))
        .call();
    assert_eq!(super::status(revoked), 200);
    assert_eq!(me(&deploy_token), 401, "a revoked token is refused at once");
    let bad_name = ureq::post(&url("/api/user/tokens"))
        .set("authorization", &with(&viewer))
        .send_json(json!({"name": "sign-in"}));
    assert_eq!(super::status(bad_name), 400);
}
