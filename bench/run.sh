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
# See bench/README.md for what the figures mean.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=$here/out
bin=${SKEW_BIN:-$here/../build}
LINES=${BENCH_LINES:-5000000}
SMALL=$((LINES / 10))
PREFIX=200000
SCALE=$((LINES / PREFIX))
py=python3
cmp="$py $here/compare.py"

mkdir -p "$out"
rm -f "$out/results.ndjson"
log=$out/server.log

# Regenerate when missing, when the generator changed, or at another size.
if [ ! -s "$log" ] || [ "$here/gen.py" -nt "$log" ] ||
    [ "$(cat "$out/server.log.lines" 2>/dev/null)" != "$LINES" ]; then
	echo "bench: generating $LINES lines into $log"
	$py "$here/gen.py" "$LINES" > "$log.tmp"
	mv "$log.tmp" "$log"
	echo "$LINES" > "$out/server.log.lines"
fi
head -n "$SMALL" "$log" > "$out/small.log"
head -n "$PREFIX" "$log" > "$out/prefix.log"
bytes=$(wc -c < "$log")
sbytes=$(wc -c < "$out/small.log")
pbytes=$(wc -c < "$out/prefix.log")
echo "bench: $log: $LINES lines, $bytes bytes" \
    "(sha256 $(sha256sum "$log" | cut -c1-16)...)"

# The pid-tid-ts preset's pattern, for grep -P.
pat='^[0-9]+: [0-9]+: [0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.,][0-9]+)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?[ \t]*$'

# Check that a command's output has the lines it should: a benchmark of a
# program that skipped its input would be fast and worthless.
expect() {	# expect FILE WANT WHAT
	got=$(wc -l < "$1")
	if [ "$got" -ne "$2" ]; then
		echo "bench: $3: $got lines out, $2 expected" >&2
		exit 1
	fi
}

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
	$cmp run "skew-parse --tsv" "$LINES" "$bytes" 1 "$out/parse.tsv" \
	    "$out/parse-tsv.err" -- "$bin/skew-parse" -f pid-tid-ts --tsv "$log"
	expect "$out/parse.tsv" $((LINES + 1)) "skew-parse --tsv"
	$cmp run "rss skew-parse 1/10" "$SMALL" "$sbytes" 1 \
	    "$out/small.ndjson" "$out/small.err" -- \
	    "$bin/skew-parse" -f pid-tid-ts "$out/small.log"
	expect "$out/small.ndjson" $((SMALL + 1)) "skew-parse on $SMALL lines"
else
	echo "bench: $bin/skew-parse not built: skipping skew-parse" \
	    "(make all, then run again)"
fi

$cmp run "naive.py" "$PREFIX" "$pbytes" "$SCALE" "$out/naive.ndjson" \
    "$out/naive.err" -- $py "$here/naive.py" "$out/prefix.log"
expect "$out/naive.ndjson" "$PREFIX" "naive.py"
if [ -x "$bin/skew-parse" ]; then
	# The two must agree event for event, or the race means nothing.
	"$bin/skew-parse" -q -f pid-tid-ts "$out/prefix.log" \
	    > "$out/prefix.ndjson"
	$cmp same "$out/prefix.ndjson" "$out/naive.ndjson"
fi

$cmp table

# Issue 3: align + fit over 1,000,000 requests against `sort -g`, the floor
# for any program that must order its events.  Runs once skew-align and
# skew-fit are built; the integrator may extend it.
if [ -x "$bin/skew-align" ] && [ -x "$bin/skew-fit" ] &&
    [ -x "$bin/skew-parse" ]; then
	N=1000000
	echo
	echo "bench: align + fit over $N requests"
	head -n "$N" "$log" > "$out/req.log"
	"$bin/skew-parse" -q -f pid-tid-ts "$out/req.log" > "$out/req.ndjson"
	"$bin/skew-parse" -q -f pid-tid-ts --tsv "$out/req.log" \
	    > "$out/req.tsv"
	rbytes=$(wc -c < "$out/req.ndjson")
	tbytes=$(wc -c < "$out/req.tsv")
	rm -f "$out/results.ndjson"
	# The floor: the same events ordered by their time, column 4 of TSV.
	tab=$(printf '\t')
	$cmp run "sort -g" "$N" "$tbytes" 1 "$out/sort.out" "$out/sort.err" \
	    -- sort -t "$tab" -k4,4g "$out/req.tsv"
	$cmp run "skew-align" "$N" "$rbytes" 1 "$out/align.ndjson" \
	    "$out/align.err" -- "$bin/skew-align" "$out/req.ndjson"
	abytes=$(wc -c < "$out/align.ndjson")
	$cmp run "skew-fit" "$N" "$abytes" 1 "$out/fit.json" "$out/fit.err" \
	    -- "$bin/skew-fit" "$out/align.ndjson"
	echo "  (x grep is blank here: compare skew-align's time with sort -g's)"
	$cmp table
fi
