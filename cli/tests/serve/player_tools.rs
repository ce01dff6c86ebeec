//! The community tools players deploy and watch with, installed from npm and run unchanged
//! against a running shard: rollup-plugin-screeps (a real rollup build deploys) and
//! screeps-multimeter (its terminal UI under a pseudo-terminal shows the console and runs a
//! command).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

use super::{body, register, Server};

/// `target/npm-tools/node_modules`, where scripts/test.sh installs rollup,
/// rollup-plugin-screeps and screeps-multimeter.
fn tools_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/npm-tools/node_modules");
    assert!(
        dir.join("rollup-plugin-screeps").is_dir() && dir.join("screeps-multimeter").is_dir(),
        "rollup-plugin-screeps and screeps-multimeter are not installed in {}; run `bash scripts/test.sh`, which installs them with npm",
        dir.display()
    );
    dir
}

fn port_of(s: &Server) -> u16 {
    s.base
        .rsplit(':')
        .next()
        .unwrap()
        .trim_end_matches('/')
        .parse()
        .unwrap()
}

fn console_of(s: &Server, token: &str) -> String {
    body(
        ureq::get(&s.url("/api/me"))
            .set("Authorization", &format!("Bearer {token}"))
            .call(),
    )["console"]
        .to_string()
}

#[test]
fn rollup_plugin_screeps_builds_and_deploys_and_the_bundle_runs() {
    let tools = tools_dir();
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(&dir.path().join("data"), &["--open-registration"]);
    let token = register(&s, "roller", Some("roll-password"));
    let project = dir.path().join("bot");
    std::fs::create_dir_all(project.join("src")).unwrap();
    std::fs::write(
        project.join("src/main.js"),
        "import { greet } from './greet';\nexport const loop = () => console.log(greet(Game.time));\n",
    )
    .unwrap();
    std::fs::write(
        project.join("src/greet.js"),
        "export const greet = (t) => 'bundled by rollup at ' + t;\n",
    )
    .unwrap();
    let config = json!({
        "email": "roller", "password": "roll-password", "protocol": "http",
        "hostname": "127.0.0.1", "port": port_of(&s), "path": "/", "branch": "default"
    });
    std::fs::write(project.join("screeps.json"), config.to_string()).unwrap();
    std::fs::write(
        project.join("rollup.config.js"),
        "const screeps = require('rollup-plugin-screeps');\n\
         module.exports = { input: 'src/main.js', output: { file: 'dist/main.js', format: 'cjs' },\n\
           plugins: [screeps({ configFile: './screeps.json' })] };\n",
    )
    .unwrap();
    let out = Command::new("node")
        .arg(tools.join("rollup/dist/bin/rollup"))
        .args(["-c", "rollup.config.js"])
        .current_dir(&project)
        .env("NODE_PATH", &tools)
        .output()
        .expect("node is installed");
    assert!(
        out.status.success(),
        "rollup failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The upload finishes after the build; the bundle then runs on the shard.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !console_of(&s, &token).contains("bundled by rollup at") {
        assert!(
            std::time::Instant::now() < deadline,
            "the deployed bundle never ran: {}",
            console_of(&s, &token)
        );
        let w = s.world()["tick"].as_u64().unwrap();
        s.until_tick(w + 1);
    }
    let code = body(
        ureq::get(&s.url("/api/user/code?branch=default"))
            .set("Authorization", &format!("Bearer {token}"))
            .call(),
    );
    assert!(
        code["modules"]["main"]
            .as_str()
            .unwrap()
            .contains("bundled by rollup"),
        "{code}"
    );
}

#[test]
fn screeps_multimeter_shows_the_console_and_runs_a_typed_command() {
    let tools = tools_dir();
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(&dir.path().join("data"), &["--open-registration"]);
    let token = register(&s, "meter", Some("meter-password"));
    let r = ureq::put(&s.url("/api/code"))
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(json!({"modules": {"main": "module.exports.loop = function () { if (Game.time % 5 === 0) console.log('multimeter sees tick ' + Game.time); }"}}));
    assert!(r.is_ok(), "{r:?}");
    let config = dir.path().join("screeps.yaml");
    std::fs::write(
        &config,
        format!(
            "servers:\n  main:\n    host: 127.0.0.1\n    port: {}\n    secure: false\n    username: meter\n    password: meter-password\nconfigs:\n  multimeter:\n    plugins: []\n",
            port_of(&s)
        ),
    )
    .unwrap();
    let out = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/multimeter_pty.py"))
        .arg(tools.join("screeps-multimeter/bin/multimeter"))
        .arg(&config)
        .arg("multimeter sees tick")
        .arg("'meter-' + (6 * 7)")
        .arg("meter-42")
        .env("NODE_PATH", &tools)
        .current_dir(dir.path())
        .output()
        .expect("python3 is installed");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let got: Value = serde_json::from_str(stdout.lines().last().unwrap_or_default())
        .unwrap_or_else(|e| {
            panic!(
                "no JSON ({e}): {stdout} {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    assert_eq!(got["bot_line"], true, "{got}");
    assert_eq!(got["result"], true, "{got}");
}
