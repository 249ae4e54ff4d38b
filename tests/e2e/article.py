#!/usr/bin/env python3
"""The article's excerpts through skew, checked twice: against what the
article says (loose: 0.20, ~5.1, ~5.1, ~10.3, ~10.4 s; ~50 ms per session;
~30.0 s from arrival to completion in run 5) and against tests/ref_fit.py
on the same lines (exact).  Run by tests/article.t.  The reference numbers
are written down in testdata/article/EXPECTED.md.
"""

import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import ref_fit  # noqa: E402

ART = os.path.join(harness.TOP, "testdata", "article")
COMPLETIONS = [os.path.join(ART, f) for f in (
    "run1-n4-sleep10s.log", "run2-n100-sleep10s.log",
    "run3-n100-sleep30s.log", "run4-n200-sleep30s.log",
    "run5-n200-api30s.server.log")]
ARRIVALS = [os.path.join(ART, "run5-n200-api30s.api.log")]
SERVICE = "10,10,30,30,30"
CONC = "4,100,100,200,200"
FIT_OPTS = ["--service-time", SERVICE, "--concurrency", CONC]
# What the article reports, read by eye from its table.
SEEN = [0.20, 5.1, 5.1, 10.3, 10.4]


def reference():
	return ref_fit.compute(COMPLETIONS, ARRIVALS,
	    [ref_fit.seconds(s) for s in SERVICE.split(",")],
	    [int(n) for n in CONC.split(",")])


def check_reference(tap, ref):
	"""The oracle against the article's own words, so that the exact
	comparison below compares with something sensible."""
	runs = ref["runs"]
	tap.is_(len(runs), 5, "ref_fit: 5 runs")
	for r, seen in zip(runs, SEEN):
		tap.ok(abs(float(r["spread"]) - seen) < 0.1,
		    "ref_fit run %d: spread %s ~ %.2f s as the article saw" %
		    (r["run"], r["spread_exact"], seen))
		tap.is_(r["verdict"], "parallel", "ref_fit run %d: parallel" %
		    r["run"])
	b = float(ref["skew"]["b"])
	tap.ok(0.050 < b < 0.053, "ref_fit: %.5f s per session (~51 ms)" % b)
	c = float(ref["skew_with_service_time"]["c"])
	tap.ok(abs(c) < ref["skew_with_service_time"]["c_stderr"],
	    "ref_fit: c = %.5f is within one standard error of 0" % c)
	lat = runs[4]["latency"]
	tap.ok(lat and abs(float(lat["p50"]) - 30.0) < 0.1,
	    "ref_fit run 5: arrival to completion ~30.0 s")


def main():
	tap = harness.Tap()
	tap.note("SKEW_BIN=%s" % harness.skew_bin())
	try:
		ref_fit.selftest()
		why = None
	except AssertionError as e:
		why = "assertion failed: %s" % (e,)
	tap.ok(why is None, "ref_fit.py --selftest (its formulas on "
	    "hand-worked and degenerate inputs)", why)
	ref = reference()
	check_reference(tap, ref)
	tmp = tempfile.mkdtemp(prefix="skew-article.")
	try:
		fit = harness.pipeline(tap, "article", tmp, COMPLETIONS,
		    ARRIVALS, FIT_OPTS)
		if fit is not None:
			check_fit(tap, fit, ref)
			harness.report_smoke(tap, "article", tmp)
			one = harness.one_process(tap, "article", COMPLETIONS,
			    ARRIVALS, FIT_OPTS)
			if one is not None:
				tap.ok(harness.without_provenance(one) ==
				    harness.without_provenance(fit),
				    "article: skew -t json agrees with the pipeline")
	finally:
		shutil.rmtree(tmp, ignore_errors=True)
	return tap.done()


def check_fit(tap, fit, ref):
	tap.is_(fit.get("skew_fit"), 2, "article: skew_fit 2")
	runs = fit.get("runs") or []
	if not tap.is_(len(runs), 5, "article: skew-fit finds 5 runs (split "
	    "by the minutes between them)"):
		return
	for got, r in zip(runs, ref["runs"]):
		harness.compare_run(tap, "article", got, r)
	r5, g5 = ref["runs"][4], runs[4]
	lat = g5.get("latency") or {}
	for k in ("p50", "max"):
		tap.close_(lat.get(k), float(r5["latency"][k]),
		    "article run 5: latency %s (arrival to completion)" % k)
	harness.compare_skew(tap, "article", fit.get("skew") or {},
	    ref["skew"])
	m = fit.get("skew_with_service_time") or {}
	rm = ref["skew_with_service_time"]
	if tap.is_(m.get("fitted"), True, "article: spread = a + b n + c T "
	    "fitted"):
		for k in ("a", "b", "c", "a_stderr", "b_stderr", "c_stderr",
		    "r2"):
			tap.close_(m.get(k), float(rm[k]),
			    "article: multilinear %s" % k, harness.REL, 1e-9)
	tap.ok(not ref["usl"]["fitted"], "ref_fit: no USL from 3 distinct "
	    "concurrencies")
	harness.compare_usl(tap, "article", fit.get("usl") or {}, ref["usl"])


if __name__ == "__main__":
	sys.exit(main())
