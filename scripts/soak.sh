#!/usr/bin/env bash
# The storage soak of BENCHMARKS.md ("Bounded storage"): a served shard at --tick-ms 0 with
# sample bots, its data directory measured as it runs, killed with SIGKILL at the end and
# checked: it must reopen at its last committed tick (every recorded hash re-simulated),
# `fsck` clean and `replay verify` clean.
#
#   bash scripts/soak.sh [TICKS] [BOTS] [DATA]      (defaults: 200000 10 /tmp/isoshard-soak)
#
# Prints CSV lines `tick,seconds,sled_mb,replay_mb,total_mb` every 10 s, then the checks;
# the shard's log (compactions with their duration) goes to DATA.log.
set -euo pipefail
cd "$(dirname "$0")/.."
TICKS=${1:-200000}
BOTS=${2:-10}
DATA=${3:-/tmp/isoshard-soak}
PORT=${SOAK_PORT:-21031}
if [ -f ../shared/v8/install.sh ]; then
  bash ../shared/v8/install.sh >/dev/null
fi
cargo build --release --quiet -p isoshard-cli --bin isoshard
BIN=target/release/isoshard
rm -rf "$DATA" && mkdir -p "$DATA"
TOKEN_FILE="$DATA.admin-token"
head -c 24 /dev/urandom | base64 > "$TOKEN_FILE"
export ISOSHARD_ADMIN_URL="http://127.0.0.1:$PORT" ISOSHARD_ADMIN_TOKEN_FILE="$TOKEN_FILE"
serve() {
  RUST_LOG=${RUST_LOG:-warn,isoshard_engine::storage=info} "$BIN" serve --data "$DATA/shard" --bind "127.0.0.1:$PORT" --tick-ms 0 \
    --rooms 5 --admin-token-file "$TOKEN_FILE" 2>>"$DATA.log" &
  SERVER=$!
  for _ in $(seq 1 600); do
    curl -sf "$ISOSHARD_ADMIN_URL/api/health" >/dev/null && return 0
    sleep 0.1
  done
  echo "the shard did not start; see $DATA.log" >&2
  exit 1
}
tick() { curl -sf "$ISOSHARD_ADMIN_URL/api/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["committed_tick"])'; }
mb() { du -sb "$1" 2>/dev/null | awk '{printf "%.1f", $1 / 1e6}'; }
serve
"$BIN" admin add-bots --kind miner-hauler --count $(( (BOTS + 1) / 2 )) >/dev/null
"$BIN" admin add-bots --kind harvester-upgrader --count $(( BOTS / 2 )) >/dev/null
START=$(date +%s)
echo "tick,seconds,sled_mb,replay_mb,total_mb"
while true; do
  T=$(tick)
  echo "$T,$(( $(date +%s) - START )),$(mb "$DATA/shard/shard.sled"),$(mb "$DATA/shard/replay"),$(mb "$DATA/shard")"
  [ "$T" -ge "$TICKS" ] && break
  sleep 10
done
LAST=$(tick)
kill -9 "$SERVER"
wait "$SERVER" 2>/dev/null || true
echo "killed with SIGKILL at tick >= $LAST; data directory $(mb "$DATA/shard") MB"
"$BIN" fsck "$DATA/shard"
serve
AFTER=$(tick)
kill "$SERVER"
wait "$SERVER" 2>/dev/null || true
echo "reopened at tick $AFTER (last seen committed: $LAST)"
[ "$AFTER" -ge "$LAST" ] || { echo "FAILED: reopened before the last committed tick" >&2; exit 1; }
"$BIN" replay verify "$DATA/shard"
echo "soak ok"
