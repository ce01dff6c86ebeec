//! Joining a shard as on Screeps: register with no room, read the map, place the first spawn
//! where you choose (`/api/game/place-spawn`), respawn and place again; the edits survive a
//! restart and replay verification.

use serde_json::{json, Value};

use super::{body, isoshard, register, Server};

/// `isoshard serve` as a public shard runs it: players choose their room.
fn start_choosing(data: &std::path::Path) -> Server {
    let args: Vec<std::ffi::OsString> = [
        "serve",
        "--bind",
        "127.0.0.1:0",
        "--tick-ms",
        "20",
        "--rooms",
        "3",
        "--open-registration",
        "--data",
    ]
    .iter()
    .map(Into::into)
    .chain([data.as_os_str().to_owned()])
    .collect();
    Server::spawn(&args, "isoshard serving on ")
}

fn get(s: &Server, token: &str, path: &str) -> Value {
    body(
        ureq::get(&s.url(path))
            .set("Authorization", &format!("Bearer {token}"))
            .call(),
    )
}

fn post(s: &Server, token: &str, path: &str, v: Value) -> (u16, Value) {
    match ureq::post(&s.url(path))
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(v)
    {
        Ok(r) => (r.status(), r.into_json().unwrap()),
        Err(ureq::Error::Status(code, r)) => (code, r.into_json().unwrap()),
        Err(e) => panic!("{e}"),
    }
}

/// A free room (its controller owned by nobody) and a tile a spawn may stand on: plain, all
/// neighbours plain, away from the border, sources and the controller.
fn free_room_and_tile(s: &Server, token: &str, skip: &[String]) -> (String, u8, u8) {
    let rooms: Vec<String> =
        serde_json::from_value(body(ureq::get(&s.url("/api/world")).call())["rooms"].clone())
            .unwrap();
    for room in rooms.iter().filter(|r| !skip.contains(r)) {
        let objects = get(s, token, &format!("/api/game/room-objects?room={room}"));
        let objects = objects["objects"].as_array().unwrap();
        let free = objects
            .iter()
            .any(|o| o["type"] == "controller" && o["user"].is_null() && o["level"] == 0);
        if !free {
            continue;
        }
        let terrain = get(
            s,
            token,
            &format!("/api/game/room-terrain?room={room}&encoded=1"),
        );
        let t = terrain["terrain"][0]["terrain"]
            .as_str()
            .unwrap()
            .as_bytes()
            .to_vec();
        let near_object = |x: i64, y: i64| {
            objects.iter().any(|o| {
                (o["x"].as_i64().unwrap() - x).abs() <= 2
                    && (o["y"].as_i64().unwrap() - y).abs() <= 2
            })
        };
        for y in 5..45i64 {
            for x in 5..45i64 {
                let open = (-1..=1)
                    .all(|dy| (-1..=1).all(|dx| t[((y + dy) * 50 + x + dx) as usize] == b'0'));
                if open && !near_object(x, y) {
                    return (room.clone(), x as u8, y as u8);
                }
            }
        }
    }
    panic!("no free room left")
}

#[test]
fn a_player_registers_chooses_a_room_places_a_spawn_respawns_and_it_all_replays() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let s = start_choosing(&data);
    let token = register(&s, "newbie", None);
    assert_eq!(get(&s, &token, "/api/user/world-status")["status"], "empty");
    let (room, x, y) = free_room_and_tile(&s, &token, &[]);
    // Malformed and refused placements first.
    let (code, _) = post(
        &s,
        &token,
        "/api/game/place-spawn",
        json!({"room": room, "x": 50, "y": y, "name": "Home"}),
    );
    assert_eq!(code, 400);
    let (code, why) = post(
        &s,
        &token,
        "/api/game/place-spawn",
        json!({"room": "W99N99", "x": x, "y": y, "name": "Home"}),
    );
    assert_eq!(
        (code, why["error"].as_str().unwrap()),
        (409, "invalid room")
    );
    let (code, why) = post(&s, &token, "/api/user/respawn", json!({}));
    assert_eq!(
        (code, why["error"].as_str().unwrap()),
        (409, "invalid status")
    );
    let (code, named) = post(
        &s,
        &token,
        "/api/game/gen-unique-object-name",
        json!({"type": "spawn"}),
    );
    assert_eq!((code, named["name"].as_str().unwrap()), (200, "Spawn1"));

    let (code, placed) = post(
        &s,
        &token,
        "/api/game/place-spawn",
        json!({"room": room, "x": x, "y": y, "name": "Home"}),
    );
    assert_eq!(code, 200, "{placed}");
    assert_eq!(
        get(&s, &token, "/api/user/world-status")["status"],
        "normal"
    );
    let (code, why) = post(
        &s,
        &token,
        "/api/game/place-spawn",
        json!({"room": room, "x": x, "y": y, "name": "Twice"}),
    );
    assert_eq!(
        (code, why["error"].as_str().unwrap()),
        (409, "already playing")
    );
    let objects = get(&s, &token, &format!("/api/game/room-objects?room={room}"));
    let spawn = objects["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["type"] == "spawn")
        .cloned()
        .unwrap();
    assert_eq!(
        (
            spawn["x"].as_u64(),
            spawn["y"].as_u64(),
            spawn["name"].as_str()
        ),
        (Some(x as u64), Some(y as u64), Some("Home"))
    );
    let (code, taken) = post(
        &s,
        &token,
        "/api/game/check-unique-object-name",
        json!({"type": "spawn", "name": "Home"}),
    );
    assert_eq!(
        (code, taken["error"].as_str().unwrap()),
        (409, "name exists")
    );

    // The player's code runs in the room they chose.
    let r = ureq::put(&s.url("/api/code"))
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(json!({"modules": {"main": "module.exports.loop = function () { const s = Game.spawns.Home; if (s) console.log('home in ' + s.room.name); }"}}));
    assert!(r.is_ok());
    let w = s.world()["tick"].as_u64().unwrap();
    s.until_tick(w + 3);
    assert!(get(&s, &token, "/api/me")["console"]
        .to_string()
        .contains(&format!("home in {room}")));

    // Respawn: the room is free again, and the player places anew elsewhere.
    let (code, _) = post(&s, &token, "/api/user/respawn", json!({}));
    assert_eq!(code, 200);
    assert_eq!(get(&s, &token, "/api/user/world-status")["status"], "empty");
    let (second, x2, y2) = free_room_and_tile(&s, &token, std::slice::from_ref(&room));
    let (code, placed) = post(
        &s,
        &token,
        "/api/game/place-spawn",
        json!({"room": second, "x": x2, "y": y2, "name": "Again"}),
    );
    assert_eq!(code, 200, "{placed}");
    let w = s.world()["tick"].as_u64().unwrap();
    s.until_tick(w + 2);
    drop(s);

    // The choice survives a restart, and the recording replays to the same hashes.
    let s = start_choosing(&data);
    assert_eq!(
        get(&s, &token, "/api/user/world-status")["status"],
        "normal"
    );
    assert_eq!(
        get(&s, &token, "/api/user/world-start-room")["room"],
        json!([second])
    );
    drop(s);
    let (code, text) = isoshard(&["replay".as_ref(), "verify".as_ref(), data.as_os_str()]);
    assert_eq!(code, Some(0), "{text}");
}

#[test]
fn the_clients_registration_form_creates_an_account_that_signs_in_with_its_code() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_choosing(&dir.path().join("data"));
    let authmod = body(ureq::get(&s.url("/api/authmod")).call());
    assert_eq!(authmod["allowRegistration"], true, "{authmod}");
    let check = |name: &str| match ureq::get(
        &s.url(&format!("/api/register/check-username?username={name}")),
    )
    .call()
    {
        Ok(r) => r.status(),
        Err(ureq::Error::Status(code, _)) => code,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(check("formfiller"), 200);
    assert_eq!(check("bad%20name"), 400);
    let r = ureq::post(&s.url("/api/register/submit")).send_json(json!({
        "username": "formfiller", "email": "f@example.com", "password": "form-password",
        "modules": {"main": "module.exports.loop = function () {}"}
    }));
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(check("formfiller"), 409);
    let signed = body(
        ureq::post(&s.url("/api/auth/signin"))
            .send_json(json!({"email": "formfiller", "password": "form-password"})),
    );
    let token = signed["token"].as_str().unwrap().to_string();
    let code = get(&s, &token, "/api/user/code");
    assert_eq!(
        code["modules"]["main"],
        "module.exports.loop = function () {}"
    );
}
