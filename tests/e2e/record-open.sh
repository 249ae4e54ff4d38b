#!/bin/sh
# Re-record testdata/real/open/: open traffic (tests/e2e/openclient.py,
# Poisson arrivals, fixed seeds) against tests/e2e/openserver.py in pool
# mode (4 workers, 0.1 s), on this machine.  Takes about 15 s.
#
#   tests/e2e/record-open.sh [OUTDIR]      (default: testdata/real/open)
#
# Two phases against one server process, separated by an idle pause (a
# clear break for skew-align's gap), so two runs:
#   1. 20 requests at 4/s (seed 12): 0.4 workers busy on average, the
#      pool is never reached: parallel;
#   2. 160 requests at 32/s (seed 13): 3.2 busy on average, requests queue
#      for the 4 workers: partial, a pool of 4.
# Files: client.log (the client's arrival stamps), arrivals.log (the
# handler's), completions.log, nginx.log, apache.log (see
# testdata/real/README.md) and client.ndjson (the client's own measures,
# one line a phase).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${1:-$top/testdata/real/open}
PAUSE=4

spid=""
trap '[ -z "$spid" ] || kill "$spid" 2>/dev/null || :' EXIT INT TERM HUP
rm -rf "$out"
mkdir -p "$out"
python3 "$here/openserver.py" --mode pool --workers 4 --service-time 0.1 \
    --logs "$out" --port-file "$out/.port" --lifetime 60 >/dev/null &
spid=$!
while [ ! -f "$out/.port" ]; do sleep 0.05; done
python3 "$here/openclient.py" -n 20 --rate 4 --seed 12 --id-base 0 \
    --port-file "$out/.port" --arrivals "$out/client.log" >>"$out/client.ndjson"
sleep "$PAUSE"
python3 "$here/openclient.py" -n 160 --rate 32 --seed 13 --id-base 1000 \
    --port-file "$out/.port" --arrivals "$out/client.log" >>"$out/client.ndjson"
kill "$spid"
wait "$spid" 2>/dev/null || :
spid=""
rm -f "$out/.port"
echo "$out: $(wc -l <"$out/completions.log") completions," \
    "$(wc -l <"$out/client.log") client arrivals"
