#!/usr/bin/env python3
"""Many hosts, end to end: two real servers on 127.0.0.1, one log shifted.

Run by tests/hosts-e2e.t.  Server a serves a burst of 8 requests in
parallel (a thread each), then server b a burst of 6 one at a time; each
writes its arrivals and completions.  b's arrival log is then rewritten as
if its host's clock were D = 1.5 s ahead (every time + D, exact to the
microsecond).  Each log is parsed in its own process (xargs -P, named for
its host and side with --source), then:
  - the logs as written: two runs, a parallel and b serialized;
  - b's arrivals shifted: the pairs do not nest, skew-align exits 2;
  - --offset b-arrivals=-1.5s: the requests of the logs as written,
    exactly, and the same verdicts;
  - --offset auto --service-time T: the size of the offset found lies in
    [D - T, D] (it is D - L + T, L the shortest latency of b, which the
    server's sleep keeps at T or more; on a machine so loaded that b's
    fastest request took over 2T it would not: the test says L then).
"""

import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import Server  # noqa: E402

T = 0.1
D = datetime.timedelta(seconds=1.5)
PAUSE = 4.0
LOGS = ("a-arrivals", "a-completions", "b-arrivals", "b-completions")


def shift_log(path, by):
	"""Each line a naive UTC time as str(datetime) writes it."""
	with open(path) as f:
		lines = f.read().split("\n")
	out = []
	for l in lines:
		if not l:
			continue
		fmt = "%Y-%m-%d %H:%M:%S.%f" if "." in l else "%Y-%m-%d %H:%M:%S"
		out.append(str(datetime.datetime.strptime(l, fmt) + by))
	with open(path, "w") as f:
		f.write("\n".join(out) + "\n")


def parse_all(work):
	"""One skew-parse per log, in parallel, each named with --source."""
	cmd = ("printf '%s\\n' " + " ".join(LOGS) + " | xargs -P 4 -n 1 sh -c '"
	    "case $1 in *arrivals) f=\"-f ts -k start\";; *) f=\"-f pid-tid-ts\";;"
	    " esac; skew-parse -q $f --source \"$1\" < \"$1.log\" > "
	    "\"$1.ndjson\"' sh")
	env = dict(os.environ, LC_ALL="C", PATH=harness.skew_bin() +
	    os.pathsep + os.environ["PATH"])
	return subprocess.run(["sh", "-c", cmd], cwd=work, env=env,
	    capture_output=True, text=True)


def align(work, opts=()):
	return harness.run([os.path.join(harness.skew_bin(), "skew-align"),
	    "-q"] + list(opts) + [os.path.join(work, l + ".ndjson")
	    for l in LOGS])


def requests(out):
	return [l for l in out.splitlines() if '"kind"' not in l]


def verdicts(out):
	p = subprocess.run([os.path.join(harness.skew_bin(), "skew-fit"),
	    "-q"], input=out, capture_output=True, text=True)
	if p.returncode != 0:
		return p.stderr
	return [(r["verdict"], r["reason"]) for r in json.loads(p.stdout)["runs"]]


def main():
	harness.install_trap()
	tap = harness.Tap()
	tmp = tempfile.mkdtemp(prefix="skew-hosts.")
	try:
		srv = {}
		for name, mode, n in (("a", "threading", 8), ("b", "single", 6)):
			work = os.path.join(tmp, name)
			os.mkdir(work)
			srv[name] = Server(work, mode, T, n)
			try:
				c = srv[name].client(n)
			finally:
				st = srv[name].stop()
			tap.ok(c["ok"] == n and st == 0, "server %s (%s): %d "
			    "requests served" % (name, mode, n), c)
			if name == "a":
				time.sleep(PAUSE)
		for d in ("true", "shifted"):
			os.mkdir(os.path.join(tmp, d))
			for name in ("a", "b"):
				for side, path in (("arrivals", srv[name].arr),
				    ("completions", srv[name].comp)):
					shutil.copy(path, os.path.join(tmp, d,
					    "%s-%s.log" % (name, side)))
		shift_log(os.path.join(tmp, "shifted", "b-arrivals.log"), D)
		for d in ("true", "shifted"):
			p = parse_all(os.path.join(tmp, d))
			tap.ok(p.returncode == 0, "%s: four logs parsed in "
			    "parallel" % d, p.stderr)

		rc, out, err = align(os.path.join(tmp, "true"))
		tap.is_(rc, 0, "as written: aligned")
		true_reqs = requests(out)
		true_v = verdicts(out)
		tap.is_([v[0] for v in true_v], ["parallel", "serialized"],
		    "as written: a parallel, b serialized")

		sh = os.path.join(tmp, "shifted")
		rc, out, err = align(sh)
		tap.ok(rc == 2 and "precedes its start" in err,
		    "b's arrivals 1.5 s ahead: the pairs do not nest", err)
		rc, out, err = align(sh, ["--offset", "b-arrivals=-1.5s"])
		tap.ok(rc == 0 and requests(out) == true_reqs,
		    "--offset b-arrivals=-1.5s: the requests as written, exactly",
		    err)
		tap.is_(verdicts(out), true_v, "  the same verdicts and reasons")

		rc, out, err = align(sh, ["--offset", "auto", "--service-time",
		    str(T)])
		rec = [json.loads(l) for l in out.splitlines()
		    if '"kind":"align"' in l]
		found = -Decimal(str(rec[0]["offset"])) if rec else None
		lmin = min(r["latency"] for r in map(json.loads, true_reqs)
		    if r["run"] == 2)
		tap.ok(found is not None and
		    Decimal("1.5") - Decimal(str(T)) <= found <= Decimal("1.5"),
		    "--offset auto --service-time %g: found %s s, within "
		    "[D - T, D] = [1.4, 1.5]" % (T, found),
		    "b's shortest latency %s s; %s" % (lmin, err))
	finally:
		harness.kill_all()
		shutil.rmtree(tmp, ignore_errors=True)
	return tap.done()


if __name__ == "__main__":
	sys.exit(main())
