//! Players' own tools against a running shard: the real `screeps-api` npm client calls the
//! Screeps server API as multimeter, rollup-plugin-screeps and Grafana agents do.

use serde_json::json;

use super::{body, isoshard, node, register, Server};

/// Keeps `Memory.stats` as a Grafana agent expects to read it.
const STATS_BOT: &str = "module.exports.loop = function () { \
    Memory.stats = { tick: Game.time, cpu: { bucket: Game.cpu.bucket } }; }";

#[test]
fn screeps_api_reads_memory_stats_runs_a_console_command_and_writes_memory_and_segments() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), &["--open-registration"]);
    let token = register(&s, "grafana", Some("stats-password"));
    let r = ureq::put(&s.url("/api/code"))
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(json!({"modules": {"main": STATS_BOT}}));
    assert!(r.is_ok(), "{r:?}");
    let got = node(
        "screeps_api_tools.js",
        &[&s.base, "grafana", "stats-password"],
    );
    assert_eq!(got["branches"], json!([["default", true]]), "{got}");
    assert_eq!(got["worldStatus"], "normal", "{got}");
    let room = got["startRoom"][0].as_str().unwrap();
    assert_eq!(got["rooms"], json!([room]), "{got}");
    assert_eq!(got["encodedLength"], 2500, "{got}");
    assert_eq!(got["wallsMatch"], true, "{got}");
    assert_eq!(got["roomStatus"], "normal", "{got}");
    assert_eq!(got["mapOwner"], "grafana", "{got}");
    assert_eq!(
        got["find"],
        json!({"id": got["id"], "username": "grafana", "byId": "grafana", "gcl": "number"}),
        "{got}"
    );
    assert_eq!(got["userStats"], json!({}), "{got}");
    assert_eq!(
        got["roomOverview"],
        json!({"owner": "grafana", "stats": {}}),
        "{got}"
    );
    assert_eq!(
        got["market"],
        json!({"index": [], "orders": [], "stats": [], "mine": [], "unnamed": "refused"}),
        "{got}"
    );
    assert_eq!(
        got["leaderboard"],
        json!({"seasons": 1, "count": 1, "first": "grafana", "rank": 0, "mineUser": got["id"], "everySeason": 1}),
        "{got}"
    );
    assert_eq!(got["prohibited"], json!([]), "{got}");
    assert_eq!(got["tickMs"], 20, "{got}");
    assert_eq!(got["roomObjects"]["spawnUser"], got["id"], "{got}");
    assert_eq!(got["roomObjects"]["owner"], "grafana", "{got}");
    assert!(got["roomObjects"]["count"].as_u64().unwrap() > 3, "{got}");
    assert!(got["stats"]["tick"].as_u64().unwrap() > 0, "{got}");
    assert!(got["stats"]["cpu"]["bucket"].is_number(), "{got}");
    assert_eq!(got["typed"], true, "{got}");
    assert_eq!(got["settings"], json!({"mode": {"war": true}}), "{got}");
    assert_eq!(got["segment"], "seven", "{got}");
    assert!(got.get("missing").is_none(), "{got}");
    assert_eq!(got["deepMissing"], "Incorrect memory path", "{got}");
    assert_ne!(got["longExpression"], "accepted", "{got}");
    // The command's own console.log and its result reached the player's console.
    let me = body(
        ureq::get(&s.url("/api/me"))
            .set("Authorization", &format!("Bearer {token}"))
            .call(),
    );
    let console = me["console"].to_string();
    assert!(console.contains("typed "), "{me}");
    assert!(console.contains("\"42\""), "{me}");
    assert!(
        console.contains("TypeError"),
        "the failed write is reported: {me}"
    );
}

#[test]
fn screeps_api_routes_refuse_strangers_and_malformed_input_with_json_errors() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), &["--open-registration"]);
    let token = register(&s, "prober", None);
    let auth = format!("Bearer {token}");
    // No credentials: 401 on what is the player's own.
    for path in [
        "/api/user/memory",
        "/api/user/branches",
        "/api/user/world-status",
    ] {
        let r = ureq::get(&s.url(path)).call();
        assert!(
            matches!(r, Err(ureq::Error::Status(401, _))),
            "{path}: {r:?}"
        );
    }
    let post = |path: &str, v: serde_json::Value| {
        ureq::post(&s.url(path))
            .set("Authorization", &auth)
            .send_json(v)
    };
    let bad_inputs = [
        ("/api/user/console", json!({"expression": 5})),
        (
            "/api/user/memory-segment",
            json!({"segment": 100, "data": "x"}),
        ),
        ("/api/user/memory-segment", json!({"segment": 1, "data": 5})),
        (
            "/api/game/map-stats",
            json!({"rooms": "W1N1", "statName": "owner0"}),
        ),
        (
            "/api/game/map-stats",
            json!({"rooms": [], "statName": "owner"}),
        ),
    ];
    for (path, v) in bad_inputs {
        let r = post(path, v.clone());
        match r {
            Err(ureq::Error::Status(400, resp)) => {
                let b: serde_json::Value = resp.into_json().unwrap();
                assert!(b["error"].is_string(), "{path} {v}: {b}");
            }
            other => panic!("{path} {v}: {other:?}"),
        }
    }
    let big = "x".repeat(1024 * 1024 + 10);
    let r = post("/api/user/memory", json!({"path": "a", "value": big}));
    assert!(matches!(r, Err(ureq::Error::Status(400, _))), "{r:?}");
    let r = ureq::get(&s.url("/api/game/room-terrain?room=W99N99")).call();
    assert!(matches!(r, Err(ureq::Error::Status(404, _))), "{r:?}");
    let r = ureq::get(&s.url("/api/user/rooms")).call();
    assert!(matches!(r, Err(ureq::Error::Status(400, _))), "{r:?}");
    for (path, code) in [
        ("/api/user/find?username=nobody-here", 404),
        ("/api/user/find", 400),
        ("/api/user/stats?interval=7", 400),
        ("/api/leaderboard/list?mode=seasonal", 400),
        ("/api/leaderboard/find?username=prober&season=1999-01", 404),
    ] {
        match ureq::get(&s.url(path)).call() {
            Err(ureq::Error::Status(got, resp)) if got == code => {
                let b: serde_json::Value = resp.into_json().unwrap();
                assert!(b["error"].is_string(), "{path}: {b}");
            }
            other => panic!("{path}: {other:?}"),
        }
    }
}

const CHATTY: &str = "module.exports.loop = function () { \
    Memory.stats = { tick: Game.time }; console.log('tick ' + Game.time); \
    if (!Game.flags.F1) { for (const r of Object.values(Game.rooms)) { \
      if (r.controller && r.controller.my) r.createFlag(10, 10, 'F1', COLOR_RED, COLOR_BLUE); } } }";

#[test]
fn screeps_api_socket_delivers_console_cpu_memory_room_diffs_and_the_map_and_no_one_elses_console()
{
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), &["--open-registration"]);
    let token = register(&s, "watcher", Some("watch-password"));
    let other = register(&s, "neighbour", None);
    for t in [&token, &other] {
        let r = ureq::put(&s.url("/api/code"))
            .set("Authorization", &format!("Bearer {t}"))
            .send_json(json!({"modules": {"main": CHATTY}}));
        assert!(r.is_ok(), "{r:?}");
    }
    let other_id = body(
        ureq::get(&s.url("/api/auth/me"))
            .set("Authorization", &format!("Bearer {other}"))
            .call(),
    )["_id"]
        .as_str()
        .unwrap()
        .to_string();
    let got = node(
        "screeps_api_socket.js",
        &[&s.base, "watcher", "watch-password", &other_id],
    );
    assert_eq!(got["greeting"], json!(["protocol 14"]), "{got}");
    assert!(
        got["log"][0].as_str().unwrap().starts_with("tick "),
        "{got}"
    );
    assert_eq!(got["results"], json!(["answer 42"]), "{got}");
    assert!(got["cpu"]["memory"].as_u64().unwrap() > 0, "{got}");
    assert!(
        got["memory"].as_str().unwrap().parse::<u64>().is_ok(),
        "{got}"
    );
    assert!(got["roomMessages"].as_u64().unwrap() > 2, "{got}");
    let id = got["id"].as_str().unwrap();
    assert_eq!(got["spawn"]["user"], id, "{got}");
    assert_eq!(got["users"][id]["username"], "watcher", "{got}");
    assert_eq!(got["foreign"], 0, "another player's console leaked: {got}");
    // The world map's view: the spawn under its owner, the sources by kind.
    assert!(got["map"]["own"].as_u64().unwrap() >= 2, "{got}");
    assert!(got["map"]["sources"].as_u64().unwrap() >= 1, "{got}");
    // Your flags in the room, in Screeps' stored form.
    assert_eq!(got["flags"], "F1~1~3~10~10", "{got}");
    assert_eq!(got["resources"]["credits"], 0.0, "{got}");
    assert_eq!(
        got["branch"],
        json!({"activeName": "activeWorld", "branch": "live"}),
        "{got}"
    );
}

#[test]
fn the_socket_speaks_sockjs_framing_as_the_screeps_client_opens_it() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), &["--open-registration"]);
    let token = register(&s, "client", None);
    let got = node("sockjs_socket.js", &[&s.base, &token]);
    assert_eq!(got["info"]["websocket"], true, "{got}");
    assert_eq!(got["first"], "o", "{got}");
    assert_eq!(got["greeting"], json!(["time", "protocol"]), "{got}");
    assert_eq!(got["auth"], "auth ok", "{got}");
    assert!(got["roomObjects"].as_u64().unwrap() > 3, "{got}");
    assert_eq!(got["closed"], true, "{got}");
}

#[test]
fn branches_clone_switch_and_delete_through_screeps_api_and_the_active_one_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), &["--open-registration"]);
    let token = register(&s, "brancher", Some("branch-password"));
    let r = ureq::put(&s.url("/api/code"))
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(json!({"modules": {"main": "module.exports.loop = function () { console.log('default branch') }"}}));
    assert!(r.is_ok(), "{r:?}");
    let got = node(
        "screeps_api_branches.js",
        &[&s.base, "brancher", "branch-password"],
    );
    assert_eq!(got["start"], json!(["default*"]), "{got}");
    assert_eq!(got["cloned"], json!(["default*", "dev"]), "{got}");
    assert_eq!(got["missing"], "refused", "{got}");
    assert!(
        got["devCode"].as_str().unwrap().contains("dev branch"),
        "{got}"
    );
    assert!(
        got["activeCode"]
            .as_str()
            .unwrap()
            .contains("default branch"),
        "uploading to dev changed the running code: {got}"
    );
    assert_eq!(got["listedDev"], got["devCode"], "{got}");
    assert_eq!(got["sim"], "refused", "{got}");
    assert_eq!(got["switched"], json!(["default", "dev*"]), "{got}");
    assert_eq!(got["deleteActive"], "refused", "{got}");
    assert_eq!(got["deleteOld"], "ok", "{got}");
    assert_eq!(got["end"], json!(["dev*"]), "{got}");
    // The switched-to code runs, and stays the running branch through a restart.
    let runs_dev = |s: &Server| {
        let w = s.world()["tick"].as_u64().unwrap();
        s.until_tick(w + 3);
        let me = body(
            ureq::get(&s.url("/api/me"))
                .set("Authorization", &format!("Bearer {token}"))
                .call(),
        );
        me["console"].to_string().contains("dev branch")
    };
    assert!(runs_dev(&s));
    drop(s);
    // The stored branches are records fsck knows.
    let (code, text) = isoshard(&["fsck".as_ref(), dir.path().as_os_str()]);
    assert_eq!(code, Some(0), "{text}");
    let s = Server::start(dir.path(), &["--open-registration"]);
    assert!(
        runs_dev(&s),
        "after a restart the dev branch no longer runs"
    );
    let list = body(
        ureq::get(&s.url("/api/user/branches"))
            .set("Authorization", &format!("Bearer {token}"))
            .call(),
    );
    assert_eq!(list["list"][0]["branch"], "dev", "{list}");
    assert_eq!(list["list"][0]["activeWorld"], true, "{list}");
}

#[test]
fn a_client_polling_memory_too_fast_is_told_to_wait() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(
        dir.path(),
        &["--open-registration", "--memory-requests-per-minute", "3"],
    );
    let token = register(&s, "poller", None);
    let poll = || {
        ureq::get(&s.url("/api/user/memory?path=stats"))
            .set("Authorization", &format!("Bearer {token}"))
            .call()
    };
    for _ in 0..3 {
        assert!(poll().is_ok());
    }
    match poll() {
        Err(ureq::Error::Status(429, r)) => assert!(r.header("retry-after").is_some()),
        other => panic!("{other:?}"),
    }
}

type RawSocket = tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<std::net::TcpStream>>;

/// A raw `/socket/websocket` connection signed in with `token`.
fn raw_socket(s: &Server, token: &str) -> RawSocket {
    let url = format!("{}/socket/websocket", s.base.replace("http://", "ws://"));
    let (mut ws, _) = tungstenite::connect(url).unwrap();
    if let tungstenite::stream::MaybeTlsStream::Plain(tcp) = ws.get_ref() {
        tcp.set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
    }
    ws.send(tungstenite::Message::Text(format!("auth {token}").into()))
        .unwrap();
    ws
}

/// Reads messages until one starts with `prefix` (bounded by the read timeout).
fn until_message(ws: &mut RawSocket, prefix: &str) -> String {
    loop {
        match ws.read().unwrap() {
            tungstenite::Message::Text(t) if t.starts_with(prefix) => return t.to_string(),
            _ => {}
        }
    }
}

#[test]
fn a_user_watches_two_rooms_over_all_their_socket_connections_as_screeps_limits_them() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), &["--open-registration"]);
    let token = register(&s, "looker", None);
    let rooms: Vec<String> = s.world()["rooms"]
        .as_array()
        .unwrap()
        .iter()
        .take(3)
        .map(|r| r.as_str().unwrap().to_string())
        .collect();
    let subscribe = |ws: &mut RawSocket, room: &str| {
        ws.send(tungstenite::Message::Text(
            format!("subscribe room:{room}").into(),
        ))
        .unwrap();
    };
    let mut first = raw_socket(&s, &token);
    until_message(&mut first, "auth ok");
    subscribe(&mut first, &rooms[0]);
    subscribe(&mut first, &rooms[1]);
    until_message(&mut first, &format!("[\"room:{}\"", rooms[1]));
    // A second connection of the same user is over the limit.
    let mut second = raw_socket(&s, &token);
    until_message(&mut second, "auth ok");
    subscribe(&mut second, &rooms[2]);
    let refused = until_message(&mut second, "[\"err@room:");
    assert!(refused.contains("subscribe limit reached"), "{refused}");
    // Once the first connection is gone, its rooms no longer count.
    first.close(None).unwrap();
    drop(first);
    std::thread::sleep(std::time::Duration::from_millis(300));
    subscribe(&mut second, &rooms[2]);
    let got = until_message(&mut second, &format!("[\"room:{}\"", rooms[2]));
    assert!(got.contains("\"objects\""), "{got}");
}

#[test]
fn the_clients_manual_actions_place_and_remove_flags_and_sites_through_the_players_own_api() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), &["--open-registration"]);
    register(&s, "builder", Some("build-password"));
    let got = node(
        "screeps_api_manual.js",
        &[&s.base, "builder", "build-password"],
    );
    assert_eq!(got["generated"], "Flag1", "{got}");
    assert!(
        got["flagTaken"].as_str().unwrap().contains("name exists"),
        "{got}"
    );
    assert_eq!(got["nextName"], "Flag2", "{got}");
    assert_eq!(
        got["site"],
        json!({"x": 1, "y": 0, "structureType": "road"}),
        "{got}"
    );
    assert_eq!(got["spawnNotify"], false, "{got}");
    assert_eq!(got["siteLeft"], false, "{got}");
    assert_eq!(got["flagFree"], "accepted", "{got}");
    assert!(
        got["badIntent"]
            .as_str()
            .unwrap()
            .contains("unknown intent"),
        "{got}"
    );
    assert!(
        got["badSite"].as_str().unwrap().contains("invalid params"),
        "{got}"
    );
    // Its ranged, work and attack parts boosted; tough and move not (create-invader's).
    assert_eq!(
        got["invader"],
        json!({"near": true, "parts": 10, "boosted": 3}),
        "{got}"
    );
    assert!(
        got["badInvader"]
            .as_str()
            .unwrap()
            .contains("invalid params"),
        "{got}"
    );
    assert_eq!(got["invaderLeft"], false, "{got}");
    assert!(
        got["removeAgain"]
            .as_str()
            .unwrap()
            .contains("invalid object"),
        "{got}"
    );
}

#[test]
fn players_pick_badges_and_write_each_other_and_a_message_arrives_on_the_socket_and_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), &["--open-registration"]);
    register(&s, "alice", Some("alice-password"));
    register(&s, "bob", Some("bob-password"));
    let got = node(
        "screeps_api_messages.js",
        &[&s.base, "alice", "alice-password", "bob", "bob-password"],
    );
    let badge = json!({"type": 7, "color1": "#ff0000", "color2": "#00ff00", "color3": "#0000ff", "param": 12, "flip": true});
    assert_eq!(got["badgeSeen"], badge, "{got}");
    assert_eq!(got["badBadge"], "400 invalid params", "{got}");
    assert_eq!(got["toSelf"], "400 invalid respondent", "{got}");
    assert_eq!(got["toNobody"], "400 invalid respondent", "{got}");
    assert_eq!(got["tooLong"], "400 text too long", "{got}");
    assert_eq!(got["unreadBefore"], 1, "{got}");
    assert_eq!(got["pushed"], json!(["hello from alice"]), "{got}");
    assert_eq!(got["index"][0]["type"], "in", "{got}");
    assert_eq!(got["index"][0]["text"], "hello from alice", "{got}");
    assert_eq!(got["indexUser"]["username"], "alice", "{got}");
    assert_eq!(got["indexUser"]["badge"], badge, "{got}");
    let one = |kind: &str, unread: bool| json!([{"type": kind, "text": "hello from alice", "unread": unread}]);
    assert_eq!(got["received"], one("in", true), "{got}");
    assert_eq!(got["markForeign"], "400 invalid id", "{got}");
    assert_eq!(got["unreadAfter"], 0, "{got}");
    assert_eq!(got["readPushed"], true, "{got}");
    assert_eq!(got["sent"], one("out", false), "{got}");
    // No trade yet: an empty first page (the records' shape is tested in market_api.rs).
    assert_eq!(
        got["money"],
        json!({"page": 0, "list": [], "hasMore": false}),
        "{got}"
    );
}
