#!/usr/bin/env bash
# Throughput of Tansu and kafkalite, one after the other on this machine, then a markdown table.
#
#   bash benchmarks/compare.sh [OUTDIR] [throughput.py options, e.g. --quick]
#
# Tansu is started with $PEERS/start_tansu.sh on a free loopback port, measured
# (--pid = the tansu process) and stopped by its pid; then throughput.py --start-kafkalite
# starts, measures and stops kafkalite itself. OUTDIR (default: a new /tmp/kafkalite-compare-*)
# gets tansu.json, kafkalite.json, the two run logs and table.md. Each phase runs 5 times
# (fresh topic each) and the median is shown; a later --repeat N overrides that.
# Env: PYTHON (default: python3 on PATH; needs confluent-kafka), PEERS (required: the folder
# holding start_tansu.sh, which starts Tansu on loopback and prints BOOTSTRAP= and PID=).
# Exit status: the worse of the two runs (0 ok, 1 a phase failed, 2 wrong data).
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
PY="${PYTHON:-python3}"
PEERS="${PEERS:?set PEERS to the folder holding start_tansu.sh}"
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then OUT="$1"; shift; else OUT="$(mktemp -d /tmp/kafkalite-compare-XXXXXX)"; fi
mkdir -p "$OUT"

TANSU_PID=""
stop_tansu() {
  [ -n "$TANSU_PID" ] || return 0
  if kill -0 "$TANSU_PID" 2>/dev/null; then
    kill "$TANSU_PID" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$TANSU_PID" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$TANSU_PID" 2>/dev/null; then
      echo "tansu $TANSU_PID still running 10 s after SIGTERM: SIGKILL" >&2
      kill -KILL "$TANSU_PID" 2>/dev/null
    fi
  fi
  TANSU_PID=""
}
trap stop_tansu EXIT
trap 'exit 130' INT TERM

PORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
echo "== tansu on 127.0.0.1:$PORT"
if ! START="$(bash "$PEERS/start_tansu.sh" "$PORT")"; then
  echo "could not start tansu" >&2; exit 1
fi
TANSU_PID="$(sed -n 's/^PID=//p' <<<"$START")"
"$PY" "$HERE/throughput.py" --repeat 5 --bootstrap "127.0.0.1:$PORT" --pid "$TANSU_PID" --label tansu \
  --json "$OUT/tansu.json" "$@" 2>&1 | tee "$OUT/tansu.log"
RC_T=${PIPESTATUS[0]}
stop_tansu

echo "== kafkalite"
"$PY" "$HERE/throughput.py" --repeat 5 --start-kafkalite --label kafkalite \
  --json "$OUT/kafkalite.json" "$@" 2>&1 | tee "$OUT/kafkalite.log"
RC_K=${PIPESTATUS[0]}

echo
JSONS=()
for f in "$OUT/tansu.json" "$OUT/kafkalite.json"; do [ -s "$f" ] && JSONS+=("$f"); done
if [ ${#JSONS[@]} -gt 0 ]; then
  "$PY" "$HERE/throughput.py" --table "${JSONS[@]}" | tee "$OUT/table.md"
fi
echo
echo "results in $OUT (tansu exit $RC_T, kafkalite exit $RC_K)"
exit $(( RC_T > RC_K ? RC_T : RC_K ))
