"""tests/traffic-ref.t: skew-fit's traffic block against ref_fit.py's."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Tap, pipeline, ref_fit  # noqa: E402

LOGS = "testdata/traffic"
COMP = [os.path.join(LOGS, "server.log")]
ARR = [os.path.join(LOGS, "api.log")]
# N is an exact ratio divided once in a double; X a count over the window.
REL = 1e-12
USL_REL = 1e-5


def compare(tap, label, got, ref):
	p = label + ": "
	if not ref["fitted"]:
		tap.is_(got.get("fitted"), False, p + "not fitted, as the "
		    "reference")
		return
	if not tap.is_(got.get("fitted"), True, p + "fitted"):
		return
	for k in ("window_source", "requests", "windows",
	    "windows_with_completions", "idle_windows"):
		tap.is_(got.get(k), ref[k], p + k)
	tap.close_(got.get("window"), float(ref["window"]), p + "window", 0,
	    0)
	pts = ref["points"]
	tap.is_(got.get("thinned"), len(pts) > 512, p + "thinned")
	series = got.get("series") or []
	if len(pts) > 512:
		return
	tap.is_(len(series), len(pts), p + "one point per window")
	bad = []
	for k, ((n, x), g) in enumerate(zip(pts, series)):
		if abs(g[0] - float(n)) > REL * max(1, float(n)) or \
		    g[1] != float(x):
			bad.append("window %d: got %r, want [%s, %s]" %
			    (k, g, float(n), float(x)))
	tap.ok(not bad, p + "N and X of every window as the reference's",
	    "\n".join(bad[:10]))
	ref_usl = ref_fit.usl([float(n) for n, _ in pts if n > 0],
	    [float(x) for n, x in pts if n > 0])
	u = got.get("usl") or {}
	tap.is_(u.get("fitted"), ref_usl["fitted"], p + "USL fitted as the "
	    "reference's")
	if ref_usl["fitted"]:
		for k in ("lambda", "sigma", "kappa", "r2"):
			tap.close_(u.get(k), ref_usl[k], p + "USL " + k, USL_REL,
			    1e-12)


def main():
	tap = Tap()
	with tempfile.TemporaryDirectory() as work:
		for label, opts, window in (("1 s windows", ["--window", "1s"],
		    1), ("250 ms windows", ["--window", "250ms"],
		    ref_fit.Fraction(1, 4)), ("default rule", [], None)):
			doc = pipeline(tap, label, work, COMP, ARR, opts)
			ref = ref_fit.compute(COMP, ARR, window=window)
			if doc is not None:
				compare(tap, label, doc.get("traffic", {}),
				    ref["traffic"])
	return tap.done()


if __name__ == "__main__":
	sys.exit(main())
