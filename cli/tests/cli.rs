//! The `isoshard` binary as users run it.

use std::process::Command;

fn isoshard() -> Command {
    Command::new(env!("CARGO_BIN_EXE_isoshard"))
}

/// Writes `files` into `dir`, runs `isoshard` with `args` and the files, and returns the JSON
/// report lines (the run must succeed).
fn sandbox_reports(
    dir: &std::path::Path,
    mut args: Vec<String>,
    files: &[(&str, &str)],
) -> Vec<serde_json::Value> {
    for (name, code) in files {
        let p = dir.join(name);
        std::fs::write(&p, code).unwrap();
        args.push(p.display().to_string());
    }
    let out = isoshard().args(&args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn outcomes(lines: &[serde_json::Value]) -> Vec<&str> {
    lines
        .iter()
        .map(|l| l["outcome"].as_str().unwrap())
        .collect()
}

#[test]
fn sandbox_prints_one_json_report_per_file_and_disposes_after_a_memory_limit() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            "ok.js",
            "({ n: 1n, d: new Date(0), s: new Set([1]), u: undefined })",
        ),
        ("loop.js", "for (;;) {}"),
        ("throw.js", "throw new TypeError('bad')"),
        ("syntax.js", "function ("),
        ("fn.js", "(() => 1)"),
        (
            "bomb.js",
            "const a = []; for (;;) a.push(new ArrayBuffer(1 << 20))",
        ),
        ("after.js", "1"),
    ];
    let args = vec![
        "sandbox".to_string(),
        "--json".into(),
        "--timeout-ms".into(),
        "100".into(),
        // Far above the CPU limit, so a loaded machine cannot turn the loop's CpuLimit into
        // WallLimit.
        "--wall-timeout-ms".into(),
        "20000".into(),
        "--memory-limit-mb".into(),
        "32".into(),
    ];
    let lines = sandbox_reports(dir.path(), args, &files);
    assert_eq!(
        outcomes(&lines),
        [
            "ok",
            "cpu_limit",
            "exception",
            "syntax",
            "not_transferable",
            "memory_limit",
            "disposed"
        ]
    );
    assert_eq!(
        lines[0]["value"],
        serde_json::json!({"n": "1", "d": "1970-01-01T00:00:00.000Z", "s": [1], "u": null})
    );
    assert_eq!(lines[2]["error"]["name"], "TypeError");
    for l in &lines {
        for key in ["cpu_time_ns", "wall_time_ns", "heap_used_bytes"] {
            assert!(l[key].is_u64(), "{key} in {l}");
        }
        assert!(l["value"].is_null() != l["error"].is_null() || l["outcome"] == "ok");
    }
    assert!(lines[1]["cpu_time_ns"].as_u64().unwrap() >= 100_000_000);
}

#[test]
fn an_uninterruptible_builtin_in_the_sandbox_is_a_crashed_file_and_the_cli_lives() {
    // `fill` on a huge array ignores termination: the isolate's child process ends itself
    // 250 ms of CPU past the limit (or V8 aborts it at the bounded heap raise).
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "sandbox",
        "--json",
        "--timeout-ms",
        "200",
        "--memory-limit-mb",
        "64",
    ];
    let started = std::time::Instant::now();
    let lines = sandbox_reports(
        dir.path(),
        args.map(String::from).to_vec(),
        &[
            ("before.js", "1 + 1"),
            ("fill.js", "new Array(1e8).fill(0).length"),
            ("after.js", "2"),
        ],
    );
    assert_eq!(outcomes(&lines), ["ok", "crashed", "disposed"], "{lines:?}");
    assert_eq!(lines[0]["value"], 2);
    let why = lines[1]["error"]["message"].as_str().unwrap();
    assert!(
        why.contains("cannot be interrupted") || why.contains("signal"),
        "{why}"
    );
    // Unbounded, this ran past 30 s at 2.8 GB; bounded, it ends within a few seconds.
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn sandbox_usage_errors_exit_non_zero_with_a_message() {
    let out = isoshard()
        .args(["sandbox", "/definitely/not/here.js"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /definitely/not/here.js"));
    let out = isoshard()
        .args(["sandbox", "--timeout-ms", "abc", "x.js"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let out = isoshard()
        .args(["sandbox", "--memory-limit-mb", "2", "Cargo.toml"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 8"));
}

#[test]
fn demo_json_reports_every_field_and_is_reproducible() {
    let run = || {
        let out = isoshard()
            .args([
                "demo",
                "--ticks",
                "60",
                "--players",
                "2",
                "--seed",
                "9",
                "--json",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let a = run();
    for key in ["ticks", "seed", "state_hash", "ms_per_tick", "players"] {
        assert!(!a[key].is_null(), "{key}");
    }
    let p = &a["players"][0];
    for key in [
        "name",
        "creeps_alive",
        "creeps_spawned",
        "energy_harvested",
        "controller_level",
        "controller_progress",
        "cpu_ms",
        "errors",
        "last_error",
    ] {
        assert!(p.get(key).is_some(), "{key}");
    }
    assert_eq!(a["state_hash"], run()["state_hash"]);
    let out = isoshard()
        .args(["demo", "--bot", "nodir"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

/// A bot that catches its own error every tick and logs it: Screeps bots do this, and the
/// demo must still show that it fails.
#[test]
fn demo_console_prints_what_bots_log_and_the_json_counts_the_errors_they_caught() {
    let dir = tempfile::tempdir().unwrap();
    let bot = dir.path().join("catcher");
    std::fs::create_dir(&bot).unwrap();
    std::fs::write(
        bot.join("main.js"),
        "module.exports.loop = function () {\n  try { null.x; } catch (e) { console.log(e.stack); }\n  console.log('tick', Game.time);\n};\n",
    )
    .unwrap();
    let out = isoshard()
        .args(["demo", "--ticks", "5", "--json", "--console", "--bot"])
        .arg(format!("catcher={}", bot.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("[1] catcher: tick 0"), "{stderr}");
    assert!(
        stderr.contains("at module.exports.loop (main:2:"),
        "{stderr}"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let p = &report["players"][0];
    assert_eq!(p["errors"], 0, "nothing escaped loop(): {p}");
    assert_eq!(p["console"]["lines"], 10, "{p}");
    assert_eq!(p["console"]["error_lines"], 5, "{p}");
    assert!(
        p["console"]["last_error_line"]
            .as_str()
            .is_some_and(|l| l.starts_with("TypeError: Cannot read properties of null")),
        "{p}"
    );
}

#[test]
fn demo_recording_of_2000_ticks_verifies_and_a_tampered_byte_fails_verify() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = isoshard()
        .args(["demo", "--ticks", "2000", "--json", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let demo: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let out = isoshard()
        .args(["replay", "info", "--json"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(out.status.success());
    let info: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (info["first_tick"].as_u64(), info["last_tick"].as_u64()),
        (Some(0), Some(2000))
    );
    let out = isoshard()
        .args(["replay", "verify", "--json"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ticks_verified"], 2000);
    assert!(report["divergence"].is_null());
    let out = isoshard()
        .args(["replay", "export", "--tick", "2000"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(out.status.success());
    let export: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(export["rooms"].as_array().unwrap().len() >= 9);
    let _ = demo;
    // Corrupt one byte in the middle of a segment: verify fails, names the file, exit 1.
    let seg = data.join("replay/segment-000000001000.isr");
    let mut bytes = std::fs::read(&seg).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x40;
    std::fs::write(&seg, bytes).unwrap();
    let out = isoshard()
        .args(["replay", "verify"])
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("segment-000000001000.isr"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
