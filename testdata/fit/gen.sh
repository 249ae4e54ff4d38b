#!/bin/sh
# The fit documents of testdata/fit/, written by the real pipeline
# (skew-parse | skew-align | skew-fit) on real inputs, so that skew-report's
# tests read what skew-fit writes.  Run from the top of the tree with the
# programs on PATH (SKEW_BIN: their directory; default build/):
#   sh testdata/fit/gen.sh          rewrite the documents
#   sh testdata/fit/gen.sh --check  exit 1, naming them, when they are stale
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
: "${SKEW_BIN:=$top/build}"
PATH=$SKEW_BIN:$PATH
LC_ALL=C
export PATH LC_ALL
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
a=testdata/article

# article: the article's five excerpts, run 5 with its API log's arrivals,
# with the service times and the true concurrencies the article gives.
skew-parse -q $a/run1-n4-sleep10s.log $a/run2-n100-sleep10s.log \
    $a/run3-n100-sleep30s.log $a/run4-n200-sleep30s.log \
    $a/run5-n200-api30s.server.log > "$tmp/c" &&
skew-parse -q -f ts -k start $a/run5-n200-api30s.api.log > "$tmp/a" &&
skew-align -q "$tmp/c" "$tmp/a" |
    skew-fit -s 10,10,30,30,30 -c 4,100,100,200,200 > "$tmp/article.json" ||
    exit 2

# pool: a real server behind a pool of 8 workers (testdata/real/pool8),
# arrivals and completions, T = 0.25 s as its recording was made.
r=testdata/real/pool8
skew-parse -q $r/completions.log > "$tmp/c" &&
skew-parse -q -f ts -k start $r/arrivals.log > "$tmp/a" &&
skew-align -q "$tmp/c" "$tmp/a" | skew-fit -s 0.25 > "$tmp/pool.json" ||
    exit 2

# degenerate: one completion, nothing to fit.
printf '2023-11-01 23:10:04.806247\n' |
    skew-parse -q -f ts --source one.log | skew-align -q |
    skew-fit > "$tmp/degenerate.json" || exit 2

# usl-real: seven runs whose parallelism follows an exact USL (lambda 1,
# sigma 0.02, kappa 0.001; testdata/fit-in/usl.py), without series.
skew-fit -s 1 --no-series testdata/fit-in/usl.ndjson \
    > "$tmp/usl-real.json" || exit 2

# open: open traffic in 16 spells (testdata/report-open/gen.py), one run
# a spell: 13 parallel, 3 behind a pool of 2; the traffic block measured.
skew-parse -q -f nginx-timed testdata/report-open/access.log |
    skew-align -q | skew-fit > "$tmp/open.json" || exit 2

stale=0
for f in article pool degenerate usl-real open; do
	if [ "${1:-}" = --check ]; then
		cmp -s "$tmp/$f.json" "testdata/fit/$f.json" || {
			echo "testdata/fit/$f.json is not what skew-fit writes" \
			    "now: sh testdata/fit/gen.sh"
			stale=1
		}
	else
		cp "$tmp/$f.json" "testdata/fit/$f.json"
	fi
done
exit $stale
