#!/usr/bin/env bash
# Runs the scripting and tick benchmarks on isoshard and on isolated-vm@5 back to back and
# prints both columns (see bench/isolated-vm/README.md for the isolated-vm build).
set -euo pipefail
cd "$(dirname "$0")/.."
ours=$(cargo bench -q -p isoshard-scripting --bench scripting_ops -- --json | tail -1)
theirs=$(cd bench/isolated-vm && node --no-node-snapshot ops.js --json | tail -1)
python3 - "$ours" "$theirs" <<'PY'
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"{'operation':42} {'isoshard':>12} {'isolated-vm':>12} {'ratio':>7}")
for k in a:
    x, y = a[k]['value'], b.get(k, {}).get('value')
    ratio = f"{x / y:.2f}" if y else '-'
    print(f"{k:42} {x:>12.3f} {(y if y is not None else float('nan')):>12.3f} {ratio:>7}  {a[k]['unit']}")
PY
players=${PLAYERS:-1,10,100,500}
cargo bench -q -p isoshard-cli --bench tick -- --players "$players"
(cd bench/isolated-vm && node --no-node-snapshot tick.js ../../target/bench/room_view.json --players "$players")
