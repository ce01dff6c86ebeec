//! `/api/leaderboard/*`, the routes the Screeps client's leaderboard and stats agents call.
//!
//! Screeps ranks the world leaderboard by control points gained in a season (a calendar
//! month); its private server answers every route empty. This shard keeps no per-season
//! history, so it has one season, the current month, and ranks by the control points each
//! player holds (`gcl`), highest first, ties by user id; ranks count from 0 as Screeps'.
//! The power leaderboard ranks by the power each player has processed (`Game.gpl` points).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::api::{bad, ApiError, ApiResult, AppState};
use super::shard_thread::{AccountView, Published};

/// Most entries one `list` page holds (Screeps' limit).
const MAX_PAGE: usize = 20;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/leaderboard/seasons", get(seasons))
        .route("/api/leaderboard/list", get(list))
        .route("/api/leaderboard/find", get(find))
}

/// The season in progress: `YYYY-MM` of the current UTC month, and its name.
fn current_season() -> (String, String) {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    season_of(days)
}

/// The season (`YYYY-MM`) and its name for a day count since 1970-01-01 (from 2020 on).
fn season_of(days_since_1970: u64) -> (String, String) {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    // The world's calendar counts from 2020-01-01, 18 262 days after 1970-01-01.
    let date = isoshard_world::orders::market_date(days_since_1970.saturating_sub(18_262));
    let month: usize = date[5..7].parse().unwrap_or(1);
    (
        date[..7].to_string(),
        format!("{} {}", MONTHS[month.clamp(1, 12) - 1], &date[..4]),
    )
}

async fn seasons() -> ApiResult {
    let (id, name) = current_season();
    Ok(Json(
        json!({ "ok": 1, "seasons": [{ "_id": id, "name": name }] }),
    ))
}

#[derive(Deserialize)]
struct ListQuery {
    mode: Option<String>,
    season: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

/// What a leaderboard ranks by.
#[derive(Clone, Copy)]
enum Mode {
    /// Control points (`gcl`).
    World,
    /// Power processed (`Game.gpl` points).
    Power,
}

fn score(p: &Published, a: &AccountView, mode: Mode) -> u64 {
    match mode {
        Mode::World => a.gcl,
        Mode::Power => p.market.power.get(&a.id).copied().unwrap_or(0),
    }
}

/// Every player by score, best first, with their score.
fn ranking(p: &Published, mode: Mode) -> Vec<(&AccountView, u64)> {
    let mut all: Vec<(&AccountView, u64)> = p
        .accounts
        .values()
        .map(|a| (a, score(p, a, mode)))
        .collect();
    all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.id.cmp(&b.0.id)));
    all
}

/// The mode asked for, and the season (a season other than the current one is refused).
fn check(mode: Option<&str>, season: Option<&str>) -> Result<(Mode, String), ApiError> {
    let mode = match mode.unwrap_or("world") {
        "world" => Mode::World,
        "power" => Mode::Power,
        other => return Err(bad(format!("invalid params: unknown mode {other:?}"))),
    };
    let (current, _) = current_season();
    match season {
        None | Some("") => Ok((mode, current)),
        Some(s) if s == current => Ok((mode, current)),
        Some(_) => Err(ApiError::new(StatusCode::NOT_FOUND, "result not found")),
    }
}

fn entry(a: &AccountView, score: u64, season: &str, rank: usize) -> Value {
    json!({ "_id": format!("{season}-{}", a.id), "season": season, "user": a.id.to_string(), "score": score, "rank": rank })
}

async fn list(State(s): State<AppState>, Query(q): Query<ListQuery>) -> ApiResult {
    let (mode, season) = check(q.mode.as_deref(), q.season.as_deref())?;
    let number = |v: &Option<String>, default: usize| -> Result<usize, ApiError> {
        v.as_deref()
            .map_or(Ok(default), str::parse)
            .map_err(|_| bad("invalid params: limit and offset are numbers"))
    };
    let (limit, offset) = (number(&q.limit, 10)?.min(MAX_PAGE), number(&q.offset, 0)?);
    let p = s.now();
    let ranked = ranking(&p, mode);
    let mut users = Map::new();
    let page: Vec<Value> = ranked
        .iter()
        .enumerate()
        .skip(offset)
        .take(limit)
        .map(|(rank, (a, score))| {
            users.insert(
                a.id.to_string(),
                json!({ "_id": a.id.to_string(), "username": a.name, "badge": a.badge_json(), "gcl": a.gcl }),
            );
            entry(a, *score, &season, rank)
        })
        .collect();
    Ok(Json(
        json!({ "ok": 1, "list": page, "count": ranked.len(), "users": users }),
    ))
}

#[derive(Deserialize)]
struct FindQuery {
    username: Option<String>,
    mode: Option<String>,
    season: Option<String>,
}

/// A player's place: with a season, that season's entry; without, the list of their entries.
async fn find(State(s): State<AppState>, Query(q): Query<FindQuery>) -> ApiResult {
    let (mode, season) = check(q.mode.as_deref(), q.season.as_deref())?;
    let name = q
        .username
        .ok_or_else(|| bad("invalid params: username is needed"))?;
    let p = s.now();
    let ranked = ranking(&p, mode);
    let (rank, (a, score)) = ranked
        .iter()
        .enumerate()
        .find(|(_, (a, _))| a.name.eq_ignore_ascii_case(&name))
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "result not found"))?;
    let found = entry(a, *score, &season, rank);
    Ok(Json(match q.season.filter(|s| !s.is_empty()) {
        Some(_) => {
            let mut one = found;
            one["ok"] = json!(1);
            one
        }
        None => json!({ "ok": 1, "list": [found] }),
    }))
}

#[cfg(test)]
mod tests {
    use super::season_of;

    #[test]
    fn day_counts_fall_in_their_calendar_month() {
        // 2020-02-29, 2020-03-01 and 2026-12-07.
        assert_eq!(
            season_of(18_321),
            ("2020-02".into(), "February 2020".into())
        );
        assert_eq!(season_of(18_322), ("2020-03".into(), "March 2020".into()));
        assert_eq!(
            season_of(20_794),
            ("2026-12".into(), "December 2026".into())
        );
    }
}
