#!/usr/bin/env bash
# Runs the scripting and tick benchmarks on isoshard and on isolated-vm@5 back to back and
# prints both columns (see bench/isolated-vm/README.md for the isolated-vm build).
#
#   bash bench/compare.sh              idle machine
#   bash bench/compare.sh --loaded [N] idle, then with N busy-loop processes beside both
#                                      harnesses (default: one per core): the operations in
#                                      one table, the tick pair idle then loaded
#   SKIP_TICK=1                        scripting operations only
set -euo pipefail
cd "$(dirname "$0")/.."

loaded=0
burners=$(nproc)
while [ $# -gt 0 ]; do
  case "$1" in
    --loaded) loaded=1; if [[ "${2:-}" =~ ^[0-9]+$ ]]; then burners=$2; shift; fi ;;
    *) echo "usage: bash bench/compare.sh [--loaded [N]]" >&2; exit 2 ;;
  esac
  shift
done

# Busy loops in their own process group; killed on exit however the script ends.
burner_pids=()
start_burners() {
  for _ in $(seq "$burners"); do
    bash -c 'while :; do :; done' &
    burner_pids+=($!)
  done
}
stop_burners() {
  if [ ${#burner_pids[@]} -gt 0 ]; then
    kill "${burner_pids[@]}" 2>/dev/null || true
    wait "${burner_pids[@]}" 2>/dev/null || true
  fi
  burner_pids=()
}
trap stop_burners EXIT

# Build first, so that the load never falls on the compiler.
cargo bench -q -p isoshard-scripting --bench scripting_ops --no-run
pair() {
  local ours theirs
  ours=$(cargo bench -q -p isoshard-scripting --bench scripting_ops -- --json | tail -1)
  theirs=$(cd bench/isolated-vm && node --no-node-snapshot ops.js --json | tail -1)
  printf '%s\n%s\n' "$ours" "$theirs"
}

idle=$(pair)
if [ "$loaded" = 1 ]; then
  start_burners
  busy=$(pair)
  stop_burners
else
  busy=''
fi

python3 - "$idle" "$busy" "$burners" <<'PY'
import json, sys
idle = [json.loads(l) for l in sys.argv[1].splitlines()]
busy = [json.loads(l) for l in sys.argv[2].splitlines()] if sys.argv[2] else None
def cell(a, b, k):
    x, y = a[k]['value'], b.get(k, {}).get('value')
    return x, y, (f"{x / y:.2f}" if y else '-')
head = f"{'operation':44} {'isoshard':>10} {'ivm':>10} {'ratio':>6}"
if busy:
    head = f"{'':44} {'idle':^28} {'loaded (' + sys.argv[3] + ' busy loops)':^28}\n" + head + f" {'isoshard':>10} {'ivm':>10} {'ratio':>6}"
print(head)
for k in idle[0]:
    x, y, r = cell(idle[0], idle[1], k)
    line = f"{k:44} {x:>10.3f} {(y if y is not None else float('nan')):>10.3f} {r:>6}"
    if busy:
        bx, by, br = cell(busy[0], busy[1], k)
        line += f" {bx:>10.3f} {(by if by is not None else float('nan')):>10.3f} {br:>6}"
    print(line + f"  {idle[0][k]['unit']}")
PY

if [ -z "${SKIP_TICK:-}" ]; then
  players=${PLAYERS:-1,10,100,500}
  cargo bench -q -p isoshard-cli --bench tick --no-run
  tick_pair() {
    echo "-- isoshard"
    cargo bench -q -p isoshard-cli --bench tick -- --players "$players"
    echo "-- isolated-vm"
    (cd bench/isolated-vm && node --no-node-snapshot tick.js ../../target/bench/room_view.json --players "$players")
  }
  echo "== shard tick, idle"
  tick_pair
  if [ "$loaded" = 1 ]; then
    echo "== shard tick, loaded ($burners busy loops)"
    start_burners
    tick_pair
    stop_burners
  fi
fi
