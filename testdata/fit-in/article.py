#!/usr/bin/env python3
"""Build testdata/fit-in/article.ndjson: the article's excerpts as request
records, by hand rather than through skew-parse/skew-align, so skew-fit can
be tested alone.  Runs 1-4 are completions only; run 5 pairs the API log's
arrivals with the server's completions by order (k-th start, k-th end),
both sorted by time, and says so ("paired": "order", as skew-align does).  Usage: python3 article.py > article.ndjson"""
import json, os, re

top = os.path.join(os.path.dirname(__file__), "..", "article")
runs = ["run1-n4-sleep10s.log", "run2-n100-sleep10s.log",
        "run3-n100-sleep30s.log", "run4-n200-sleep30s.log",
        "run5-n200-api30s.server.log"]

def iso(ts):
    return ts.replace(" ", "T") + "Z"

for r, name in enumerate(runs, 1):
    ends = []
    for line in open(os.path.join(top, name)):
        m = re.match(r"(\d+): (\d+): (.*)$", line.rstrip("\n"))
        ends.append((m.group(3), m.group(1), m.group(2)))
    # Same-width fractions in the excerpts: text order is time order.
    ends.sort()
    starts = []
    if r == 5:
        starts = sorted(l.strip() for l in
                        open(os.path.join(top, "run5-n200-api30s.api.log")))
    for i, (ts, pid, tid) in enumerate(ends):
        rec = {"run": r, "i": i,
               "start": iso(starts[i]) if starts else None,
               "end": iso(ts), "pid": pid, "tid": tid}
        if starts:
            rec["paired"] = "order"
        print(json.dumps(rec, separators=(",", ":")))
print(json.dumps({"kind": "align", "runs": 5, "gap": 60, "offset": 0,
                  "unmatched_starts": 0, "unmatched_ends": 0},
                 separators=(",", ":")))
