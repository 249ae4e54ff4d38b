#!/bin/sh
# The parse benchmark: skew-parse against the limits and the obvious script.
#
#   make bench          (builds, then runs this with SKEW_BIN=build)
#   SKEW_BIN=DIR sh bench/run.sh
#
# Generates a deterministic 5,000,000-line `PID: TID: TIMESTAMP` log (once;
# kept in bench/out/ while bench/gen.py is unchanged), then times, best of
# three by the wall clock: skew-parse (NDJSON), skew-parse --tsv, grep -cP
# with the same pattern (the PCRE2-JIT scan limit), wc -l (the I/O limit) and
# bench/naive.py (re + datetime + json, on a 200,000-line prefix, scaled).
# Every command writes its output to a file in bench/out/, never /dev/null.
# Then align + fit, open traffic and issue 12's runs of 10,000 (see their
# sections below).  BENCH_ONLY="parse align open runs" (the default: all)
# names the sections to run.  Every output of skew's programs is checked
# against bench/expected.sha256 (ef3ed81's outputs); see ident() below.
# See bench/README.md for what the figures mean.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=$here/out
top=$(cd "$here/.." && pwd)
bin=${SKEW_BIN:-$here/../build}
LINES=${BENCH_LINES:-5000000}
SMALL=$((LINES / 10))
PREFIX=200000
SCALE=$((LINES / PREFIX))
py=python3
cmp="$py $here/compare.py"

ONLY=$(echo "${BENCH_ONLY:-parse align open runs}" | tr ',' ' ')
want() {	# want SECTION: is SECTION among BENCH_ONLY's?
	case " $ONLY " in *" $1 "*) return 0 ;; esac
	return 1
}
for w in $ONLY; do
	case $w in
	parse|align|open|runs) ;;
	*)	echo "bench: BENCH_ONLY: no section \"$w\" (there are parse," \
		    "align, open and runs)" >&2
		exit 2 ;;
	esac
done

mkdir -p "$out"
rm -f "$out/results.ndjson"
: > "$out/outputs.sha256"
# Every command runs in bench/out/ and is given its input by a relative
# name: skew's outputs name their inputs as given (the trailers' "src"), so
# they are the same bytes whichever directory the tree is in.
cd "$out"

# The outputs' identity: each output of skew's programs is recorded in
# out/outputs.sha256 under a tag naming the section, its size and the file,
# and compared with the SHA-256 recorded for that tag in bench/expected.sha256
# (made from ef3ed81's build: see that file).  A tag not recorded there (a
# size other than the default) is said, not compared.
expected=$here/expected.sha256
refname=$(sed -n 's/^# reference: \([^ ]*\).*/\1/p' "$expected" 2>/dev/null || true)
refname=${refname:-the reference}
same=0 differ="" unref=0
ident() {	# ident TAG FILE
	got=$(sha256sum < "$2" | cut -d' ' -f1)
	echo "$got  $1" >> "$out/outputs.sha256"
	ref=$(awk -v t="$1" '$2 == t { print $1 }' "$expected" 2>/dev/null || true)
	if [ -z "$ref" ]; then
		unref=$((unref + 1))
		echo "  $1: no reference recorded (another size?)"
	elif [ "$ref" = "$got" ]; then
		same=$((same + 1))
		echo "  $1: same as $refname"
	else
		differ="$differ $1"
		echo "  $1: MISMATCH: not the bytes $refname wrote" \
		    "(sha256 $(echo "$got" | cut -c1-16)..., $refname's" \
		    "$(echo "$ref" | cut -c1-16)...) !!!!!!!!"
	fi
}

# Check that a command's output has the lines it should: a benchmark of a
# program that skipped its input would be fast and worthless.
expect() {	# expect FILE WANT WHAT
	got=$(wc -l < "$1")
	if [ "$got" -ne "$2" ]; then
		echo "bench: $3: $got lines out, $2 expected" >&2
		exit 1
	fi
}

if want parse; then	# the parse benchmark (not indented: it came first)
log=server.log

# The parse benchmark.  Regenerate when missing, when the generator changed,
# or at another size.
if [ ! -s "$log" ] || [ "$here/gen.py" -nt "$log" ] ||
    [ "$(cat "$out/server.log.lines" 2>/dev/null)" != "$LINES" ]; then
	echo "bench: generating $LINES lines into $out/$log"
	$py "$here/gen.py" "$LINES" > "$log.tmp"
	mv "$log.tmp" "$log"
	echo "$LINES" > "$out/server.log.lines"
fi
head -n "$SMALL" "$log" > "$out/small.log"
head -n "$PREFIX" "$log" > "$out/prefix.log"
bytes=$(wc -c < "$log")
sbytes=$(wc -c < "$out/small.log")
pbytes=$(wc -c < "$out/prefix.log")
echo "bench: $out/$log: $LINES lines, $bytes bytes" \
    "(sha256 $(sha256sum "$log" | cut -c1-16)...)"

# The pid-tid-ts preset's pattern, for grep -P.
pat='^[0-9]+: [0-9]+: [0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.,][0-9]+)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?[ \t]*$'

echo "bench: timing (best of 3)"
$cmp run "wc -l" "$LINES" "$bytes" 1 "$out/wc.out" "$out/wc.err" -- \
    wc -l "$log"
$cmp run "grep -cP" "$LINES" "$bytes" 1 "$out/grep.out" "$out/grep.err" -- \
    grep -cP "$pat" "$log"
if [ "$(cat "$out/grep.out")" -ne "$LINES" ]; then
	echo "bench: grep -cP matched $(cat "$out/grep.out") of $LINES" >&2
	exit 1
fi

if [ -x "$bin/skew-parse" ]; then
	$cmp run "skew-parse" "$LINES" "$bytes" 1 "$out/parse.ndjson" \
	    "$out/parse.err" -- "$bin/skew-parse" -f pid-tid-ts "$log"
	expect "$out/parse.ndjson" $((LINES + 1)) "skew-parse"
	# -f auto (the default) on the same log: the choice made once from
	# the first 1,000 lines, then the preset it names at its own speed.
	$cmp run "skew-parse -f auto" "$LINES" "$bytes" 1 "$out/auto.ndjson" \
	    "$out/auto.err" -- "$bin/skew-parse" -f auto "$log"
	expect "$out/auto.ndjson" $((LINES + 1)) "skew-parse -f auto"
	# The same events; only the trailer's --from differs.
	if [ "$(head -n "$LINES" "$out/auto.ndjson" | cksum)" != \
	    "$(head -n "$LINES" "$out/parse.ndjson" | cksum)" ]; then
		echo "bench: -f auto wrote other events than -f pid-tid-ts" >&2
		exit 1
	fi
	$cmp run "skew-parse --tsv" "$LINES" "$bytes" 1 "$out/parse.tsv" \
	    "$out/parse-tsv.err" -- "$bin/skew-parse" -f pid-tid-ts --tsv "$log"
	expect "$out/parse.tsv" $((LINES + 1)) "skew-parse --tsv"
	$cmp run "rss skew-parse 1/10" "$SMALL" "$sbytes" 1 \
	    "$out/small.ndjson" "$out/small.err" -- \
	    "$bin/skew-parse" -f pid-tid-ts small.log
	expect "$out/small.ndjson" $((SMALL + 1)) "skew-parse on $SMALL lines"
else
	echo "bench: $bin/skew-parse not built: skipping skew-parse" \
	    "(make all, then run again)"
fi

# The two costs the contract imposes on skew-parse beyond matching, each
# timed alone: the SHA-256 of the input (its trailer's provenance) and
# writing its NDJSON output (about 2.8 bytes out per byte in).  Their sum is
# a floor no parser that keeps the contract can go under.
if command -v openssl >/dev/null 2>&1; then
	$cmp run "floor: sha256" "$LINES" "$bytes" 1 "$out/sha.out" \
	    "$out/sha.err" -- openssl dgst -sha256 "$log"
fi
if [ -s "$out/parse.ndjson" ]; then
	$cmp run "floor: write ndjson" "$LINES" "$bytes" 1 "$out/copy.ndjson" \
	    "$out/copy.err" -- cat "$out/parse.ndjson"
	expect "$out/copy.ndjson" $((LINES + 1)) "cat of the NDJSON"
fi

$cmp run "naive.py" "$PREFIX" "$pbytes" "$SCALE" "$out/naive.ndjson" \
    "$out/naive.err" -- $py "$here/naive.py" prefix.log
expect "$out/naive.ndjson" "$PREFIX" "naive.py"
if [ -x "$bin/skew-parse" ]; then
	# The two must agree event for event, or the race means nothing.
	"$bin/skew-parse" -q -f pid-tid-ts prefix.log \
	    > "$out/prefix.ndjson"
	$cmp same "$out/prefix.ndjson" "$out/naive.ndjson"
fi

$cmp table
if [ -x "$bin/skew-parse" ]; then
	echo
	echo "bench: the parse benchmark's outputs"
	for f in parse.ndjson auto.ndjson parse.tsv small.ndjson prefix.ndjson
	do
		ident "parse-$LINES/$f" "$out/$f"
	done
fi
fi

# align + fit over 1,000,000 requests in 100 runs (2,000,000 events: an
# arrival and a completion each, shuffled), next to `sort -g` of the same
# events' times: the floor for any program that must order its events.
if want align && [ -x "$bin/skew-align" ] && [ -x "$bin/skew-fit" ]; then
	RUNS=100
	PER=$((${BENCH_REQUESTS:-1000000} / RUNS))
	N=$((RUNS * PER))
	echo
	echo "bench: align + fit over $N requests in $RUNS runs ($((2 * N)) events)"
	rm -f "$out/results.ndjson"
	$py "$top/testdata/align/gen.py" "$RUNS" "$PER" > "$out/events.ndjson"
	ebytes=$(wc -c < "$out/events.ndjson")
	# The times alone, one a line, for sort -g.
	sed 's/.*"t":\([0-9.]*\).*/\1/' "$out/events.ndjson" > "$out/times.txt"
	expect "$out/times.txt" $((2 * N)) "the events' times"
	tbytes=$(wc -c < "$out/times.txt")
	$cmp run "sort -g" "$((2 * N))" "$tbytes" 1 "$out/sort.out" \
	    "$out/sort.err" -- sort -g "$out/times.txt"
	expect "$out/sort.out" $((2 * N)) "sort -g"
	$cmp run "skew-align" "$((2 * N))" "$ebytes" 1 "$out/align.ndjson" \
	    "$out/align.err" -- "$bin/skew-align" events.ndjson
	# N requests, the align trailer, and one trailer made up (marked
	# incomplete) for each of gen.py's two sources: it writes none.
	expect "$out/align.ndjson" $((N + 3)) "skew-align"
	abytes=$(wc -c < "$out/align.ndjson")
	$cmp run "skew-fit" "$N" "$abytes" 1 "$out/fit.json" "$out/fit.err" \
	    -- "$bin/skew-fit" align.ndjson
	runs=$($py -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["runs"]))' "$out/fit.json")
	[ "$runs" = "$RUNS" ] || { echo "bench: skew-fit found $runs runs, $RUNS expected" >&2; exit 1; }
	$cmp table
	$py - "$out/results.ndjson" "$((2 * N))" <<'PY'
import json, sys
r = {x["name"]: x for x in map(json.loads, open(sys.argv[1]))}
events = int(sys.argv[2])
s, a, f = r["sort -g"], r["skew-align"], r["skew-fit"]
print(f"align + fit: {a['best'] + f['best']:.3f} s wall, "
      f"{(a['best'] + f['best']) / s['best']:.2f} x sort -g "
      f"({(a['cpu'] + f['cpu']) / s['cpu']:.2f} x by CPU time)")
print(f"skew-align memory: {a['rss_kib'] * 1024 / events:.0f} bytes per event "
      f"(peak RSS {a['rss_kib'] / 1024:.1f} MiB over {events} events)")
PY
	ident "align-$N/align.ndjson" "$out/align.ndjson"
	ident "align-$N/fit.json" "$out/fit.json"
fi

# Open traffic: BENCH_OPEN requests (default 1,000,000) of an nginx access
# log from bench/gen_open.py (Poisson arrivals, a pool of 8 workers, heavy
# and light spells), read by skew in one process and by the stages from
# skew-parse's saved output, next to `LC_ALL=C sort` of the log's time field
# (in the order nginx writes it, and shuffled); then the same at a tenth of
# the size, to see the time per request grow no worse than n log n.
if want open && [ -x "$bin/skew" ] && [ -x "$bin/skew-align" ] &&
    [ -x "$bin/skew-fit" ]
then
	OPEN=${BENCH_OPEN:-1000000}
	OSMALL=$((OPEN / 10))
	# gen_open.py writes 10 runs of OPEN / 10; skew must judge them as
	# made: every run open, the heavy ones (odd-numbered) a pool of 8, the
	# light ones parallel.
	check_open() {	# check_open FIT.json N WHAT
		$py - "$@" <<'PY' || exit 1
import json, sys
path, n, what = sys.argv[1], int(sys.argv[2]), sys.argv[3]
runs = json.load(open(path))["runs"]
bad = []
if len(runs) != 10 or sum(r["n"] for r in runs) != n:
    bad.append("%d runs of %d requests, 10 of %d expected"
               % (len(runs), sum(r["n"] for r in runs), n))
for r in runs:
    want = ("partial", 8) if r["run"] % 2 else ("parallel", None)
    if r["shape"] != "open" or (r["verdict"], r["pool_size"]) != want:
        bad.append("run %d: %s, %s, pool %s; open, %s, pool %s expected"
                   % (r["run"], r["shape"], r["verdict"], r["pool_size"],
                      want[0], want[1]))
if bad:
    sys.exit("bench: %s: %s" % (what, "; ".join(bad)))
PY
	}
	open_bench() {	# open_bench N PREFIX TAG
		n=$1 pre=$2 f=open$3.log
		if [ ! -s "$f" ] || [ "$here/gen_open.py" -nt "$f" ] ||
		    [ "$(cat "$f.n" 2>/dev/null)" != "$n" ]; then
			echo "bench: generating $n requests of open traffic into $out/$f"
			$py "$here/gen_open.py" "$n" > "$f.tmp"
			mv "$f.tmp" "$f"
			echo "$n" > "$f.n"
		fi
		expect "$f" "$n" "gen_open.py"
		fb=$(wc -c < "$f")
		echo "bench: $out/$f: $n requests, $fb bytes" \
		    "(sha256 $(sha256sum "$f" | cut -c1-16)...)"
		# The time field ($msec, the end), as nginx writes it (in end
		# order: sort's cheapest case) and shuffled with a fixed seed.
		cut -d' ' -f1 "$f" > "$out/open$3.times"
		$py -c 'import random, sys
lines = open(sys.argv[1]).readlines()
random.Random(1).shuffle(lines)
sys.stdout.write("".join(lines))' "$out/open$3.times" > "$out/open$3.shuf"
		tb=$(wc -c < "$out/open$3.times")
		$cmp run "${pre}sort" "$n" "$tb" 1 "$out/open$3.sorted" \
		    "$out/open$3.sort.err" -- env LC_ALL=C sort "$out/open$3.times"
		expect "$out/open$3.sorted" "$n" "LC_ALL=C sort"
		$cmp run "${pre}sort shuffled" "$n" "$tb" 1 \
		    "$out/open$3.sorted2" "$out/open$3.sort2.err" -- \
		    env LC_ALL=C sort "$out/open$3.shuf"
		cmp -s "$out/open$3.sorted" "$out/open$3.sorted2" || {
			echo "bench: sort of the shuffled times differs" >&2
			exit 1
		}
		$cmp run "${pre}skew" "$n" "$fb" 1 "$out/open$3.json" \
		    "$out/open$3.err" -- "$bin/skew" -f nginx-timed -t json "$f"
		check_open "$out/open$3.json" "$n" "skew on $f"
		$cmp run "${pre}skew-parse" "$n" "$fb" 1 "$out/open$3.ndjson" \
		    "$out/open$3.parse.err" -- "$bin/skew-parse" -f nginx-timed "$f"
		expect "$out/open$3.ndjson" $((n + 1)) "skew-parse -f nginx-timed"
		$cmp run "${pre}skew-align" "$n" "$fb" 1 "$out/open$3.req" \
		    "$out/open$3.align.err" -- "$bin/skew-align" "open$3.ndjson"
		# n requests, skew-parse's trailer and skew-align's.
		expect "$out/open$3.req" $((n + 2)) "skew-align"
		$cmp run "${pre}skew-fit" "$n" "$fb" 1 "$out/open$3.fit.json" \
		    "$out/open$3.fit.err" -- "$bin/skew-fit" "open$3.req"
		# The stages and the one process must say the same.
		cmp -s "$out/open$3.json" "$out/open$3.fit.json" || {
			echo "bench: skew and skew-parse | skew-align | skew-fit" \
			    "differ on $f" >&2
			exit 1
		}
		for x in json ndjson req; do
			ident "open-$n/open$3.$x" "$out/open$3.$x"
		done
	}
	echo
	echo "bench: open traffic, $OPEN and $OSMALL requests"
	open_bench "$OPEN" "open: " ""
	open_bench "$OSMALL" "open 1/10: " "-small"
	$cmp open "$OPEN" "$OSMALL"
fi

# Issue 12, "The analysis at the speed of sort": gen_runs.py's completions-only
# log of 1,000,000 requests in 100 runs of 10,000 (BENCH_RUNS runs), in paired
# rounds (BENCH_ROUNDS, default 5: every contender once a round, medians and
# the median of each round's ratio): `LC_ALL=C sort` of its timestamps (the
# date and time fields, cut into a file beforehand), skew -t json in one
# process, the stages skew-align | skew-fit from skew-parse's saved output
# (made beforehand), and the pandas notebook peer_pandas.py, run as it is with
# Debian's python3 (BENCH_PANDAS_PY, default /usr/bin/python3: pandas is
# Debian's python3-pandas, which a python3 earlier on PATH may not see).
# Then skew -t json at 100,000, 1,000,000 and 10,000,000 requests (runs of
# 10,000; sizes above BENCH_GROWTH_MAX, default 10,000,000, left out): peak
# memory per request and the growth of the time per request against n log n.
if want runs && [ -x "$bin/skew" ] && [ -x "$bin/skew-parse" ] &&
    [ -x "$bin/skew-align" ] && [ -x "$bin/skew-fit" ]
then
	RRUNS=${BENCH_RUNS:-100}
	RPER=10000
	RN=$((RRUNS * RPER))
	ROUNDS=${BENCH_ROUNDS:-5}
	GMAX=${BENCH_GROWTH_MAX:-10000000}
	pandas_py=${BENCH_PANDAS_PY:-/usr/bin/python3}
	runs_log() {	# runs_log RUNS: the log of RUNS runs of RPER, made once
		f=runs-$1x$RPER.log
		if [ ! -s "$f" ] || [ "$here/gen_runs.py" -nt "$f" ]; then
			echo "bench: generating $1 runs of $RPER requests into $out/$f"
			$py "$here/gen_runs.py" "$1" "$RPER" > "$f.tmp"
			mv "$f.tmp" "$f"
		fi
		expect "$f" $(($1 * RPER)) "gen_runs.py"
	}
	echo
	echo "bench: issue 12, $RN requests in $RRUNS runs of $RPER," \
	    "$ROUNDS paired rounds"
	rm -f "$out/results.ndjson"
	runs_log "$RRUNS"
	rlog=$f
	echo "bench: $out/$rlog: $(wc -c < "$rlog") bytes" \
	    "(sha256 $(sha256sum "$rlog" | cut -c1-16)...)"
	# The date and time fields (`2023-11-01 23:00:00.002543`), for sort;
	# and skew-parse's events, for the stages: both made once, not timed.
	cut -d' ' -f3,4 "$rlog" > runs.times
	expect runs.times "$RN" "the timestamps"
	"$bin/skew-parse" "$rlog" > runs.ndjson 2> runs.parse.err
	expect runs.ndjson $((RN + 1)) "skew-parse"
	"$bin/skew-align" runs.ndjson > runs.req 2> runs.align.err
	# RN requests, skew-parse's trailer and skew-align's.
	expect runs.req $((RN + 2)) "skew-align"
	# The contenders, as compare.py paired takes them (NAME OUT ERR
	# COMMAND..., :: between two); the pipeline through sh, so that its
	# time is the pipeline's, both stages waited for.
	# shellcheck disable=SC2016
	set -- "runs: sort" "$out/runs.sorted" "$out/runs.sort.err" \
		env LC_ALL=C sort runs.times :: \
	    "runs: skew" "$out/runs.json" "$out/runs.err" \
		"$bin/skew" -t json "$rlog" :: \
	    "runs: pipeline" "$out/runs.fit.json" "$out/runs.fit.err" \
		sh -c '"$0" "$1" | "$2"' "$bin/skew-align" runs.ndjson \
		"$bin/skew-fit"
	nb=""
	if "$pandas_py" -c 'import numpy, pandas' 2> runs.pandas.err; then
		nb=yes
		set -- "$@" :: "runs: notebook" "$out/runs.pandas.txt" \
		    "$out/runs.pandas.err" "$pandas_py" "$here/peer_pandas.py" \
		    "$rlog"
	else
		echo "bench: $pandas_py has no pandas or numpy: the notebook is" \
		    "left out (sh .ci/deps.sh bench installs python3-pandas)"
	fi
	$cmp paired "$ROUNDS" "$RN" "$@"
	expect runs.sorted "$RN" "LC_ALL=C sort"
	cmp -s runs.json runs.fit.json || {
		echo "bench: skew and skew-align | skew-fit differ on $rlog" >&2
		exit 1
	}
	if [ -n "$nb" ]; then
		# A table of the runs (a heading and a row each) and the fit,
		# which must find skew's runs: the race is between programs
		# that answer the same question.
		expect runs.pandas.txt $((RRUNS + 2)) "peer_pandas.py"
		$py - runs.json runs.pandas.txt <<'PY' || exit 1
import json, sys
runs = json.load(open(sys.argv[1]))["runs"]
rows = [l.split() for l in open(sys.argv[2]).readlines()[1:-1]]
bad = ["run %d: n %d, spread %.6f; the notebook's: %s" %
       (r["run"], r["n"], r["spread"], " ".join(row))
       for r, row in zip(runs, rows)
       if (r["n"], "%.6f" % r["spread"]) != (int(row[1]), row[2])]
if bad or len(runs) != len(rows):
    sys.exit("bench: skew and peer_pandas.py differ: %d runs and %d; %s"
             % (len(runs), len(rows), "; ".join(bad[:3])))
print("  the same %d runs (n and spread) from skew and peer_pandas.py"
      % len(runs))
PY
	fi
	for x in json ndjson req; do
		ident "runs-$RN/runs.$x" "$out/runs.$x"
	done

	sizes=""
	for g in 10 100 1000; do
		m=$((g * RPER))
		[ "$m" -le "$GMAX" ] || continue
		runs_log "$g"
		$cmp run "growth $m: skew" "$m" "$(wc -c < "$f")" 1 \
		    "$out/growth-$m.json" "$out/growth-$m.err" -- \
		    "$bin/skew" -t json "$f"
		ident "growth-$m/growth-$m.json" "$out/growth-$m.json"
		sizes="$sizes $m"
	done
	# shellcheck disable=SC2086
	$cmp runs "$RN" $sizes
fi

echo
n=$(wc -l < "$out/outputs.sha256")
if [ -n "$differ" ]; then
	echo "bench: MISMATCH !!! of $n outputs, these are not the bytes" \
	    "$refname wrote:$differ" >&2
	echo "bench: (the table above says which; bench/out/outputs.sha256" \
	    "holds this build's, bench/expected.sha256 $refname's)" >&2
	exit 1
fi
echo "bench: $same of $n outputs the same as $refname" \
    "($unref with no reference recorded)"
