#!/bin/sh
# Re-record testdata/real/: real runs of tests/e2e/server.py, driven by
# tests/e2e/client.py, on this machine.  Takes about a minute.
#
#   tests/e2e/record.sh [OUTDIR]       (default: testdata/real)
#
# Two sets, each one server process and six runs separated by an idle pause
# (longer than any gap inside a run), so skew-align splits them by the gap
# and skew-fit has six distinct n for the USL fit:
#   threading/  ThreadingHTTPServer, T = 0.25 s, N = 4 8 16 32 48 64
#   pool8/      a ThreadPoolExecutor of 8 behind the handlers, T = 0.25 s,
#               N = 8 16 24 32 48 64 (waves of 8)
# Each set has completions.log (`PID: TID: TIMESTAMP`) and arrivals.log
# (bare timestamps), and client.ndjson: the client's own measurement of
# each run (n, responses, spread on its clock).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${1:-$top/testdata/real}
T=0.25
PAUSE=4

pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null || :; done' EXIT INT TERM HUP

record() {	# dir mode workers N...
	dir=$out/$1 mode=$2 workers=$3
	shift 3
	total=0
	for n; do total=$((total + n)); done
	rm -rf "$dir"
	mkdir -p "$dir"
	python3 "$here/server.py" --mode "$mode" --workers "$workers" \
	    --service-time "$T" --completions "$dir/completions.log" \
	    --arrivals "$dir/arrivals.log" --port-file "$dir/.port" \
	    --max-requests "$total" --lifetime 120 >/dev/null &
	spid=$!
	pids="$pids $spid"
	while [ ! -f "$dir/.port" ]; do sleep 0.05; done
	first=1
	for n; do
		[ "$first" = 1 ] || sleep "$PAUSE"
		first=0
		python3 "$here/client.py" -n "$n" --port-file "$dir/.port" \
		    >>"$dir/client.ndjson"
	done
	wait "$spid"
	rm -f "$dir/.port"
	echo "$dir: $(wc -l <"$dir/completions.log") completions," \
	    "$(wc -l <"$dir/arrivals.log") arrivals"
}

record threading threading 1 4 8 16 32 48 64
record pool8 pool 8 8 16 24 32 48 64
