#!/bin/sh
# Re-record testdata/real/open/ and testdata/real/open-single/: open
# traffic (tests/e2e/openclient.py, Poisson arrivals, fixed seeds) against
# tests/e2e/openserver.py, on this machine.  Takes about 20 s.
#
#   tests/e2e/record-open.sh [OUTDIR]      (default: testdata/real)
#
# open/: pool mode (4 workers, 0.1 s).
# Two phases against one server process, separated by an idle pause (a
# clear break for skew-align's gap), so two runs:
#   1. 20 requests at 4/s (seed 12): 0.4 workers busy on average, the
#      pool is never reached: parallel;
#   2. 160 requests at 32/s (seed 13): 3.2 busy on average, requests queue
#      for the 4 workers: partial, a pool of 4.
# open-single/: single mode (one thread, 0.05 s), 60 requests at 80/s
# (seed 14): four times what it can serve, so the queue (in the listen
# backlog, before the handler) never empties: serialized.
# Files: client.log (the client's arrival stamps), arrivals.log (the
# handler's), completions.log, nginx.log, apache.log (see
# testdata/real/README.md) and client.ndjson (the client's own measures,
# one line a phase).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
top_out=${1:-$top/testdata/real}
PAUSE=4

spid=""
trap '[ -z "$spid" ] || kill "$spid" 2>/dev/null || :' EXIT INT TERM HUP

start() {	# dir, server options...
	out=$1
	shift
	rm -rf "$out"
	mkdir -p "$out"
	python3 "$here/openserver.py" "$@" --logs "$out" \
	    --port-file "$out/.port" --lifetime 60 >/dev/null &
	spid=$!
	while [ ! -f "$out/.port" ]; do sleep 0.05; done
}

phase() {	# client options...
	python3 "$here/openclient.py" "$@" --port-file "$out/.port" \
	    --arrivals "$out/client.log" >>"$out/client.ndjson"
}

stop() {
	kill "$spid"
	wait "$spid" 2>/dev/null || :
	spid=""
	rm -f "$out/.port"
	echo "$out: $(wc -l <"$out/completions.log") completions," \
	    "$(wc -l <"$out/client.log") client arrivals"
}

start "$top_out/open" --mode pool --workers 4 --service-time 0.1
phase -n 20 --rate 4 --seed 12 --id-base 0
sleep "$PAUSE"
phase -n 160 --rate 32 --seed 13 --id-base 1000
stop

start "$top_out/open-single" --mode single --service-time 0.05
phase -n 60 --rate 80 --seed 14 --id-base 0
stop
