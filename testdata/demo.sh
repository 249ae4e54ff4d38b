#!/bin/sh
# The tour of skew, run by `make demo` (SKEW_BIN: the built programs).
#
# 1. The article's logs (testdata/article/), through the pipeline one stage
#    at a time: skew-parse -> skew-align -> skew-fit -> skew-report.
# 2. Logs recorded from real servers (testdata/real/), through the
#    one-process `skew`: a thread per request, then a pool of 8.
# 3. Open traffic recorded from a real server (testdata/real/open/): Poisson
#    arrivals at a pool of 4, read from the client's arrival log with the
#    server's completions, and from its nginx-shaped access log.
# The HTML reports are written under $SKEW_BIN/demo/.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
: "${SKEW_BIN:=$top/build}"
PATH=$SKEW_BIN:$PATH
LC_ALL=C
export PATH LC_ALL
out=$SKEW_BIN/demo
mkdir -p "$out"

# Headings in bold on a terminal, unless NO_COLOR is set.
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
	say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
else
	say() { printf '\n== %s\n' "$*"; }
fi
show() { printf '$ %s\n' "$*"; }

a=testdata/article
logs="$a/run1-n4-sleep10s.log $a/run2-n100-sleep10s.log $a/run3-n100-sleep30s.log
    $a/run4-n200-sleep30s.log $a/run5-n200-api30s.server.log"
say "The article: 5 runs of 4-200 Streamlit sessions, first and last 5 lines each"
echo "(intermediate files in $out)"
show "skew-parse -q -f pid-tid-ts $(echo $logs) > events.ndjson"
skew-parse -q -f pid-tid-ts $logs >"$out/events.ndjson"
head -n 2 "$out/events.ndjson"
show "skew-parse -q -f ts --kind start $a/run5-n200-api30s.api.log > arrivals.ndjson"
skew-parse -q -f ts --kind start $a/run5-n200-api30s.api.log >"$out/arrivals.ndjson"
show "skew-align events.ndjson arrivals.ndjson > requests.ndjson"
skew-align "$out/events.ndjson" "$out/arrivals.ndjson" >"$out/requests.ndjson"
head -n 2 "$out/requests.ndjson"
show "skew-fit --service-time 10,10,30,30,30 --concurrency 4,100,100,200,200 requests.ndjson > article.json"
skew-fit --service-time 10,10,30,30,30 --concurrency 4,100,100,200,200 \
    "$out/requests.ndjson" >"$out/article.json"
show "skew-report article.json"
skew-report "$out/article.json"
skew-report -t html "$out/article.json" >"$out/article.html"

# The recorded sets, each through the one-process skew: the report on the
# terminal, then the same as HTML.
real() {	# name, heading
	logs="testdata/real/$1/completions.log --arrivals testdata/real/$1/arrivals.log --arrivals-from ts"
	say "$2"
	show "skew $logs"
	skew $logs
	skew -t html $logs >"$out/$1.html"
}
real threading "A real server, a thread per request: 6 runs of 4-64 requests of 0.25 s"
real pool8 "A real server, a pool of 8 workers: 6 runs of 8-64 requests of 0.25 s"

o=testdata/real/open
say "Open traffic at a pool of 4 (0.1 s): 20 requests at 4/s, then 160 at 32/s"
show "skew -e '^(?<pid>[0-9]+): (?<tid>[0-9]+): (?<ts>\\S+) id=(?<id>\\S+)' $o/completions.log -a $o/client.log --arrivals-pattern '^(?<ts>\\S+) id=(?<id>\\S+)'"
set -- -e '^(?<pid>[0-9]+): (?<tid>[0-9]+): (?<ts>\S+) id=(?<id>\S+)' \
    "$o/completions.log" -a "$o/client.log" \
    --arrivals-pattern '^(?<ts>\S+) id=(?<id>\S+)'
skew "$@"
skew -t html "$@" >"$out/open.html"
say "The same requests from the server's nginx log (\$msec \$request_time)"
show "skew -f nginx-timed $o/nginx.log"
skew -f nginx-timed "$o/nginx.log"

say "HTML reports (self-contained, open in a browser)"
for f in article threading pool8 open; do
	echo "$out/$f.html"
done
