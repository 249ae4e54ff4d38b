#!/usr/bin/env python3
"""Open traffic, checked against the independent reference: synthetic logs
(seeded, so the same bytes every time) of servers under Poisson arrivals,
in the article's formats (completions `PID: TID: TIMESTAMP`, arrivals a
bare TIMESTAMP, microseconds), through skew-parse | skew-align | skew-fit,
every open measure compared with tests/ref_fit.py's (harness.compare_run),
and the verdict each server's design implies.

Service times are equal within a run where requests queue in order, so
that pairing by order (skew-align's and ref_fit's, k-th start with k-th
end) pairs each request with its own end.
"""

import datetime
import heapq
import os
import random
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import ref_fit  # noqa: E402

# name, kind, rate (1/s), requests, workers, T (s), verdict, pool_size
CASES = [
	("pool4", "pool", 14, 300, 4, 0.25, "partial", 4),
	("pool8", "pool", 75, 600, 8, 0.1, "partial", 8),
	("one-worker", "pool", 6, 200, 1, 0.12, "serialized", 1),
	("threads", "tpr", 25, 300, 0, 0.3, "parallel", None),
	("light-pool", "pool", 8, 200, 4, 0.1, "parallel", None),
	("stamp-at-service", "stamp", 14, 200, 1, 0.06, "serialized", None),
	("shared-cpu", "cpu", 10, 300, 0, 0.05, "partial", None),
]
BASE = datetime.datetime(2023, 11, 1, 10, 0, 0)


def simulate(kind, rate, n, k, T, rng):
	"""(start, end) pairs in seconds: arrivals as the server stamps them."""
	t, out, free = 0.0, [], [0.0] * max(k, 1)
	for _ in range(n):
		t += rng.expovariate(rate)
		if kind == "tpr":
			out.append((t, t + T))
		elif kind == "cpu":
			q = sum(1 for _, e in out if e > t)
			out.append((t, t + T * (1 + q)))
		else:
			w = heapq.heappop(free)
			st = max(t, w)
			heapq.heappush(free, st + T)
			out.append((st if kind == "stamp" else t, st + T))
	return out


def stamp(s):
	return str(BASE + datetime.timedelta(microseconds=round(s * 1e6)))


def main():
	tap = harness.Tap()
	harness.install_trap()
	tmp = tempfile.mkdtemp(prefix="skew-openref.")
	try:
		for name, kind, rate, n, k, T, verdict, pool in CASES:
			one(tap, tmp, name, kind, rate, n, k, T, verdict, pool)
	finally:
		shutil.rmtree(tmp, ignore_errors=True)
	print("1..%d" % tap.n)
	return 1 if tap.failed else 0


def one(tap, tmp, name, kind, rate, n, k, T, verdict, pool):
	label = "open " + name
	work = os.path.join(tmp, name)
	os.mkdir(work)
	pairs = simulate(kind, rate, n, k, T, random.Random(name))
	comp = os.path.join(work, "completions.log")
	arr = os.path.join(work, "arrivals.log")
	with open(comp, "w") as f:
		for _, e in sorted(pairs, key=lambda p: p[1]):
			f.write("4242: 4243: %s\n" % stamp(e))
	with open(arr, "w") as f:
		for s, _ in sorted(pairs):
			f.write("%s\n" % stamp(s))
	ref = ref_fit.compute([comp], [arr])
	if not tap.is_(len(ref["runs"]), 1, label + ": ref_fit finds 1 run"):
		return
	r = ref["runs"][0]
	tap.is_(r.get("shape"), "open", label + ": ref_fit shape open")
	# The reference's verdict must be the design's, or the comparison
	# below checks nothing worth checking.
	tap.is_(r["verdict"], verdict, label + ": ref_fit verdict")
	tap.is_(r["open"]["pool_size"], pool, label + ": ref_fit pool_size")
	fit = harness.pipeline(tap, label, work, [comp], [arr])
	if fit is None:
		return
	runs = fit.get("runs") or []
	if not tap.is_(len(runs), 1, label + ": skew-fit finds 1 run"):
		return
	got = runs[0]
	tap.is_(got.get("verdict"), verdict, label + ": verdict " + verdict)
	harness.compare_run(tap, label, got, r)
	for key in ("skew", "skew_with_service_time", "usl"):
		tap.is_((fit.get(key) or {}).get("open_runs_left_out"), 1,
		    label + ": " + key + " left out the open run")


if __name__ == "__main__":
	sys.exit(main())
