//! `isoshard admin …`: the operator's commands, sent to a running shard's admin API with the
//! admin token (`restore` alone works on a stopped shard's directory, offline).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde_json::{json, Value};

#[derive(Args)]
pub struct AdminArgs {
    /// The shard's HTTP address.
    #[arg(
        long,
        env = "ISOSHARD_ADMIN_URL",
        default_value = "http://127.0.0.1:21025"
    )]
    pub url: String,
    /// File holding the admin token (the one `serve --admin-token-file` reads).
    #[arg(long, env = "ISOSHARD_ADMIN_TOKEN_FILE")]
    pub token_file: Option<PathBuf>,
    /// Print the shard's JSON answer instead of a summary.
    #[arg(long)]
    pub json: bool,
    #[command(subcommand)]
    pub command: AdminCommand,
}

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Every player: CPU, bucket, rooms, last error, suspended or banned.
    Players,
    /// Stop a player's code and refuse their tokens (their objects stay).
    Ban { name: String },
    /// Lift a ban.
    Unban { name: String },
    /// Give a player the starter code (an empty loop), lifting a suspension.
    ResetCode { name: String },
    /// Respawn a player: their objects leave the world and they place a spawn again.
    ResetRoom { name: String },
    /// The minimum tick duration from now on (until the shard restarts; set `tick-ms` in
    /// the config to keep it).
    TickRate { ms: u64 },
    /// Stop ticking (the API keeps answering).
    Pause,
    /// Tick again.
    Resume,
    /// Add players running a sample bot, each in a free room.
    AddBots {
        /// harvester-upgrader, miner-hauler, …
        #[arg(long, default_value = "miner-hauler")]
        kind: String,
        #[arg(long, default_value_t = 1)]
        count: usize,
    },
    /// Add rooms to the world: ROOM or ROOM=STATUS (normal, novice, respawn, closed).
    AddRooms {
        #[arg(required = true)]
        rooms: Vec<String>,
    },
    /// A consistent copy of the running shard's store into a new directory on its host.
    Backup { to: PathBuf },
    /// Copy a backup into a stopped shard's data directory (offline; checked with fsck
    /// before and after).
    Restore {
        backup: PathBuf,
        data: PathBuf,
        /// Move a non-empty data directory aside (DATA.before-restore-<time>).
        #[arg(long)]
        force: bool,
    },
}

/// What to send: method, path, body.
fn request_of(command: &AdminCommand) -> (&'static str, String, Option<Value>) {
    let player =
        |name: &str, action: &str| ("POST", format!("/api/admin/players/{name}/{action}"), None);
    match command {
        AdminCommand::Players => ("GET", "/api/admin/players".into(), None),
        AdminCommand::Ban { name } => player(name, "ban"),
        AdminCommand::Unban { name } => player(name, "unban"),
        AdminCommand::ResetCode { name } => player(name, "reset-code"),
        AdminCommand::ResetRoom { name } => player(name, "reset-room"),
        AdminCommand::TickRate { ms } => (
            "POST",
            "/api/admin/tick-rate".into(),
            Some(json!({ "tickMs": ms })),
        ),
        AdminCommand::Pause => ("POST", "/api/admin/pause".into(), None),
        AdminCommand::Resume => ("POST", "/api/admin/resume".into(), None),
        AdminCommand::AddBots { kind, count } => (
            "POST",
            "/api/admin/bots".into(),
            Some(json!({ "kind": kind, "count": count })),
        ),
        AdminCommand::AddRooms { rooms } => {
            let rooms: Vec<Value> = rooms
                .iter()
                .map(|r| match r.split_once('=') {
                    Some((room, status)) => json!({ "room": room, "status": status }),
                    None => json!({ "room": r }),
                })
                .collect();
            (
                "POST",
                "/api/admin/world".into(),
                Some(json!({ "addRooms": rooms })),
            )
        }
        AdminCommand::Backup { to } => {
            // The shard writes it: a relative path would be the shard's working directory's.
            let to = std::path::absolute(to).unwrap_or_else(|_| to.clone());
            (
                "POST",
                "/api/admin/backup".into(),
                Some(json!({ "to": to })),
            )
        }
        AdminCommand::Restore { .. } => unreachable!("restore runs offline"),
    }
}

fn send(args: &AdminArgs, token: &str) -> Result<Value, String> {
    let (method, path, body) = request_of(&args.command);
    let url = format!("{}{path}", args.url.trim_end_matches('/'));
    let request = ureq::request(method, &url)
        .set("authorization", &format!("Bearer {token}"))
        .timeout(std::time::Duration::from_secs(300));
    let answer = match body {
        Some(b) => request.send_json(b),
        None if method == "POST" => request.send_json(json!({})),
        None => request.call(),
    };
    match answer {
        Ok(r) => r.into_json().map_err(|e| format!("unreadable answer: {e}")),
        Err(ureq::Error::Status(code, r)) => {
            let v: Value = r.into_json().unwrap_or_default();
            Err(format!(
                "the shard answered {code}: {}",
                v["error"].as_str().unwrap_or("no reason given")
            ))
        }
        Err(e) => Err(format!("cannot reach the shard at {}: {e}", args.url)),
    }
}

/// The players as a table (write errors, a closed pipe, end the table quietly).
fn print_players(answer: &Value) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "tick {}", answer["tick"]);
    let _ = writeln!(
        out,
        "{:<24} {:>6} {:>8} {:>6} {:>6}  {:<20} state / last error",
        "player", "cpu", "bucket", "level", "creeps", "rooms"
    );
    for p in answer["players"].as_array().into_iter().flatten() {
        let rooms: Vec<&str> = p["rooms"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let state = if p["banned"] == true {
            "banned".to_string()
        } else if let Some(s) = p["suspended"].as_str() {
            format!("suspended: {s}")
        } else {
            p["lastError"]
                .as_str()
                .unwrap_or("")
                .chars()
                .take(80)
                .collect()
        };
        let _ = writeln!(
            out,
            "{:<24} {:>6.1} {:>8} {:>6} {:>6}  {:<20} {state}",
            p["name"].as_str().unwrap_or("?"),
            p["cpu"]["used"].as_f64().unwrap_or(0.0),
            p["cpu"]["bucket"].as_i64().unwrap_or(0),
            p["level"].as_u64().unwrap_or(0),
            p["creeps"].as_u64().unwrap_or(0),
            rooms.join(",")
        );
    }
}

#[allow(clippy::print_stdout)]
pub fn admin(args: AdminArgs) -> ExitCode {
    if let AdminCommand::Restore {
        backup,
        data,
        force,
    } = &args.command
    {
        return match isoshard_engine::restore(backup, data, *force) {
            Ok(r) => {
                if let Some(aside) = r.moved_aside {
                    println!("moved the old directory to {}", aside.display());
                }
                println!(
                    "restored {} into {} at tick {}",
                    backup.display(),
                    data.display(),
                    r.tick
                );
                ExitCode::SUCCESS
            }
            Err(e) => crate::exit::failed("admin restore", e, 2),
        };
    }
    let Some(file) = &args.token_file else {
        return crate::exit::failed(
            "admin",
            "give the admin token file: --token-file F or ISOSHARD_ADMIN_TOKEN_FILE",
            2,
        );
    };
    let token = match std::fs::read_to_string(file) {
        Ok(t) => t.trim().to_string(),
        Err(e) => {
            return crate::exit::failed("admin", format!("cannot read {}: {e}", file.display()), 2)
        }
    };
    match send(&args, &token) {
        Ok(answer) if args.json || !matches!(args.command, AdminCommand::Players) => {
            let shown = if args.json { &answer } else { &answer["done"] };
            println!(
                "{}",
                serde_json::to_string_pretty(shown).unwrap_or_default()
            );
            ExitCode::SUCCESS
        }
        Ok(answer) => {
            print_players(&answer);
            ExitCode::SUCCESS
        }
        Err(e) => crate::exit::failed("admin", e, 2),
    }
}
