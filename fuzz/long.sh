#!/bin/sh
# fuzz/long.sh NAME SECONDS: the recorded long run of one target (see
# fuzz/README.md).  Runs build/fuzz/NAME under nice with the limits the
# README states, its growing corpus in build/fuzz/long-NAME (the seeds in
# fuzz/corpus/NAME read too, never written), artifacts (crashes, leaks,
# timeouts) in build/fuzz/artifacts-NAME/, and the log in
# build/fuzz/long-NAME.log.  Prints the figures the README records.
set -eu
name=$1 secs=$2
b=build/fuzz
[ -x "$b/$name" ] || { echo "long.sh: no $b/$name (make $b/$name)" >&2; exit 2; }
mkdir -p "$b/long-$name" "$b/artifacts-$name"
commit=$(git rev-parse --short HEAD)
rc=0
nice -n 19 "$b/$name" -max_total_time="$secs" -max_len=4096 \
    -rss_limit_mb=2048 -malloc_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$b/artifacts-$name/" \
    "$b/long-$name" "fuzz/corpus/$name" >"$b/long-$name.log" 2>&1 || rc=$?
last=$(grep -E '^#[0-9]+' "$b/long-$name.log" | tail -1)
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$b/long-$name.log")
files=$(ls "$b/long-$name" | wc -l)
echo "$name: commit $commit, $secs s, exit $rc, execs $execs, corpus files $files"
echo "$name: $last"
ls "$b/artifacts-$name"
