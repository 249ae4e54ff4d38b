"""What tests/e2e.t and tests/article.t share: TAP output, the pipeline,
the servers' lifecycle, and comparisons with ref_fit.py.

Standard library only.  Imported with tests/e2e and tests on sys.path.
"""

import json
import os
import signal
import subprocess
import sys
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(TOP, "tests"))
import ref_fit  # noqa: E402  (the oracle, found through the path above)

# Statistics from a fit (slopes, r^2, the cross-run fits) are compared with
# the exact reference to one part in a million: skew-fit does them in
# doubles through GSL, from times exact to the nanosecond, which leaves
# ~1e-15 relative error; a millionth is far above that and far below any
# real mistake.  Spreads are compared to half a microsecond: the logs carry
# microseconds and the spread is a plain difference.
REL = 1e-6
SPREAD_ABS = 5e-7


class Tap:
	"""TAP producer; the plan is printed at the end (TAP allows that)."""

	def __init__(self):
		self.n = 0
		self.failed = 0

	def ok(self, cond, name, diag=None):
		self.n += 1
		print("%s %d - %s" % ("ok" if cond else "not ok", self.n, name))
		if not cond:
			self.failed += 1
			if diag:
				for line in str(diag).splitlines():
					print("#   " + line)
		sys.stdout.flush()
		return cond

	def skip(self, name, why):
		self.n += 1
		print("ok %d - %s # SKIP %s" % (self.n, name, why))

	def note(self, text):
		for line in str(text).splitlines():
			print("# " + line)
		sys.stdout.flush()

	def close_(self, value, want, name, rel=REL, abs_=0.0):
		if value is None or want is None:
			return self.ok(value is None and want is None, name,
			    "got %r, expected %r" % (value, want))
		tol = max(abs_, rel * abs(want))
		return self.ok(isinstance(value, (int, float)) and
		    abs(value - want) <= tol, name,
		    "got %r, expected %r (tolerance %g)" % (value, want, tol))

	def is_(self, value, want, name):
		return self.ok(value == want, name,
		    "got %r, expected %r" % (value, want))

	def done(self):
		print("1..%d" % self.n)
		return 1 if self.failed else 0


def skew_bin():
	b = os.environ.get("SKEW_BIN") or os.path.join(TOP, "build")
	return os.path.abspath(b)


def run(argv, out_path=None, stdin=None):
	"""Run a program; returns (status, stdout text or '', stderr text)."""
	try:
		p = subprocess.run(argv, stdin=stdin, capture_output=True,
		    timeout=60, env=dict(os.environ, LC_ALL="C"))
	except FileNotFoundError as e:
		return 127, "", str(e)
	except subprocess.TimeoutExpired:
		return 124, "", "timed out after 60 s"
	if out_path is not None:
		with open(out_path, "wb") as f:
			f.write(p.stdout)
	return p.returncode, p.stdout.decode("utf-8", "replace"), \
	    p.stderr.decode("utf-8", "replace")


def pipeline(tap, label, work, completions, arrivals, fit_opts=()):
	"""skew-parse (each side), skew-align, skew-fit; one TAP line per
	stage.  Returns the fit document, or None."""
	b = skew_bin()
	c_nd = os.path.join(work, "completions.ndjson")
	a_nd = os.path.join(work, "arrivals.ndjson")
	r_nd = os.path.join(work, "requests.ndjson")
	fit = os.path.join(work, "fit.json")
	steps = [([os.path.join(b, "skew-parse"), "-f", "pid-tid-ts"] +
	    list(completions), c_nd)]
	inputs = [c_nd]
	if arrivals:
		steps.append(([os.path.join(b, "skew-parse"), "-f", "ts",
		    "--kind", "start"] + list(arrivals), a_nd))
		inputs.append(a_nd)
	steps.append(([os.path.join(b, "skew-align")] + inputs, r_nd))
	steps.append(([os.path.join(b, "skew-fit")] + list(fit_opts) +
	    [r_nd], fit))
	for argv, out in steps:
		st, _, err = run(argv, out)
		name = "%s: %s exits 0" % (label, os.path.basename(argv[0]))
		if not tap.ok(st == 0, name, "status %d; command: %s\n%s" %
		    (st, " ".join(argv), err.strip()[-2000:])):
			return None
	try:
		with open(fit) as f:
			return json.load(f)
	except ValueError as e:
		tap.ok(False, "%s: skew-fit output is JSON" % label, str(e))
		return None


def report_smoke(tap, label, work):
	"""skew-report reads the fit document skew-fit wrote: the last link
	of the chain.  Its content is the report's own tests' business; here
	only that it takes this document, as text and as HTML with a plot."""
	fit = os.path.join(work, "fit.json")
	rep = os.path.join(skew_bin(), "skew-report")
	for to, needle in (("text", None), ("html", "<svg")):
		st, out, err = run([rep, "-t", to, fit])
		tap.ok(st == 0 and out.strip() != "" and
		    (needle is None or needle in out),
		    "%s: skew-report -t %s reads skew-fit's document" %
		    (label, to), "status %d\n%s" % (st, err.strip()[-2000:]))


def one_process(tap, label, completions, arrivals, opts=()):
	"""The same through `skew ... -t json`; returns the document."""
	argv = [os.path.join(skew_bin(), "skew"), "-f", "pid-tid-ts"]
	if arrivals:
		argv += ["--arrivals-from", "ts"]
	for a in arrivals:
		argv += ["--arrivals", a]
	argv += list(opts) + ["-t", "json"] + list(completions)
	st, out, err = run(argv)
	if not tap.ok(st == 0, "%s: skew -t json exits 0" % label,
	    "status %d; command: %s\n%s" % (st, " ".join(argv),
	    err.strip()[-2000:])):
		return None
	try:
		return json.loads(out)
	except ValueError as e:
		tap.ok(False, "%s: skew -t json prints JSON" % label, str(e))
		return None


def without_provenance(doc):
	return {k: v for k, v in doc.items() if k != "provenance"}


def compare_run(tap, label, got, ref):
	"""Compare one run of skew-fit with ref_fit's, field by field.
	Only the fields whose definition the contract fixes."""
	p = "%s run %s: " % (label, ref["run"])
	tap.is_(got.get("n"), ref["n"], p + "n")
	tap.is_(got.get("first"), ref["first"], p + "first (exact ISO)")
	tap.is_(got.get("last"), ref["last"], p + "last (exact ISO)")
	tap.is_(got.get("shape"), ref.get("shape"), p + "shape")
	if ref.get("shape") == "open":
		compare_open(tap, p, got, ref)
		return
	tap.close_(got.get("spread"), float(ref["spread"]),
	    p + "spread equals the log's, to the microsecond", 0, SPREAD_ABS)
	st = got.get("stagger") or {}
	rst = ref["stagger"] or {}
	if not isinstance(st, dict) or st.get("fitted") is False:
		st = {}
	tap.close_(st.get("slope"), fnum(rst.get("slope")), p + "stagger slope")
	if rst.get("stderr") is not None:
		tap.close_(st.get("stderr"), fnum(rst["stderr"]),
		    p + "stagger stderr")
	if rst.get("r2") is not None:
		tap.close_(st.get("r2"), fnum(rst["r2"]), p + "stagger r2")
	tap.close_(got.get("service_time"), fnum(ref["service_time"]),
	    p + "service_time", 0, 1e-9)
	tap.is_(got.get("service_time_source"), ref["service_time_source"],
	    p + "service_time_source")
	tap.close_(got.get("serialization"), fnum(ref["serialization"]),
	    p + "serialization", REL, 1e-9)
	tap.close_(got.get("parallelism"), fnum(ref["parallelism"]),
	    p + "parallelism")
	if not ref["sampled"] and ref["latency"] is not None:
		# Whole runs with starts: in-flight, latencies and where the
		# stagger comes from are fixed by the contract too (the median
		# of an even count is the mean of the middle two).
		tap.is_(got.get("max_inflight"), ref["max_inflight"],
		    p + "max_inflight")
		lat = got.get("latency") or {}
		for k in ("p50", "max"):
			tap.close_(lat.get(k), fnum(ref["latency"][k]),
			    p + "latency " + k, 0, 1e-9)
		for k in ("arrival_stagger", "latency_slope"):
			v = got.get(k)
			# A number, or a fit like stagger's with its slope.
			if isinstance(v, dict):
				v = v.get("slope")
			tap.close_(v, fnum(ref[k]), p + k, REL, 1e-9)
	for k in ("waves", "pool_size", "pids", "tids", "sampled",
	    "unmatched_starts", "unmatched_ends", "verdict"):
		tap.is_(got.get(k), ref[k], p + k)


def compare_open(tap, p, got, ref):
	"""An open run: its burst fields null, its open measures as
	ref_fit computes them (contract.md, "Bursts and open traffic")."""
	o = ref["open"]
	for k in ("spread", "stagger", "serialization", "parallelism",
	    "waves"):
		tap.is_(got.get(k), None, p + k + " null (open)")
	tap.is_(got.get("max_inflight"), o["max_inflight"], p + "max_inflight")
	tap.close_(got.get("throughput"), fnum(o["throughput"]),
	    p + "throughput", REL, 1e-9)
	tap.close_(got.get("service_time"), fnum(ref["service_time"]),
	    p + "service_time", 0, 1e-9)
	want = [(b["inflight"], b["n"]) for b in o["latency_by_inflight"]]
	have = [(b.get("inflight"), b.get("n")) for b in
	    got.get("latency_by_inflight") or []]
	tap.is_(have, want, p + "latency_by_inflight: groups")
	for b, rb in zip(got.get("latency_by_inflight") or [],
	    o["latency_by_inflight"]):
		tap.close_(b.get("p50"), fnum(rb["p50"]), p + "latency_by_"
		    "inflight %d p50" % rb["inflight"], 0, 1e-9)
	w, rw = got.get("waited"), o["waited"]
	if rw is None:
		tap.ok(isinstance(w, dict) and w.get("fitted") is False,
		    p + "waited not known")
	else:
		w = w or {}
		tap.is_(w.get("n"), rw["n"], p + "waited n")
		tap.close_(w.get("wait_p50"), fnum(rw["wait_p50"]),
		    p + "waited wait_p50", 0, 1e-9)
	tap.is_(got.get("pool_size"), o["pool_size"], p + "pool_size")
	tap.is_(got.get("pool_size_method"), "overlap", p + "pool_size_method")
	tap.is_(got.get("verdict"), o["verdict"], p + "verdict")
	tap.is_("capped at" in (got.get("reason") or ""), o["capped"],
	    p + "capped said when the reference finds it")


def fnum(v):
	return None if v is None else float(v)


def compare_skew(tap, label, got, ref):
	p = label + " cross-run skew: "
	if not ref["fitted"]:
		tap.is_(got.get("fitted"), False, p + "not fitted")
		return
	if not tap.is_(got.get("fitted"), True, p + "fitted"):
		return
	tap.is_(got.get("runs"), ref["runs"], p + "runs")
	for k in ("a", "b", "r2"):
		tap.close_(got.get(k), fnum(ref[k]), p + k, REL, 1e-9)
	for k in ("a_stderr", "b_stderr"):
		if ref[k] is not None:
			tap.close_(got.get(k), fnum(ref[k]), p + k, REL, 1e-9)
	if ref["b_ci95"] is not None:
		ci = got.get("b_ci95") or [None, None]
		tap.close_(ci[0], ref["b_ci95"][0], p + "b_ci95 low", REL, 1e-9)
		tap.close_(ci[1], ref["b_ci95"][1], p + "b_ci95 high", REL,
		    1e-9)
	# Null on both sides when the spread never reaches T (a slope of 0
	# or below): one test either way, so the count does not vary.
	if ref["n_reaching_service_time"] is not None:
		tap.close_(got.get("n_reaching_service_time"),
		    fnum(ref["n_reaching_service_time"]),
		    p + "n_reaching_service_time")
	else:
		tap.ok(got.get("n_reaching_service_time") is None,
		    p + "n_reaching_service_time null, as the reference's",
		    "got %r" % (got.get("n_reaching_service_time"),))


# Both sides iterate a nonlinear fit to a tolerance (GSL's driver and
# ref_fit's Levenberg-Marquardt loop): they agree to ~1e-8, not to rounding.
USL_REL = 1e-5


def compare_usl(tap, label, got, ref):
	p = label + " USL: "
	if not ref["fitted"]:
		tap.is_(got.get("fitted"), False, p + "not fitted (" +
		    ref["reason"] + ")")
		return
	if not tap.is_(got.get("fitted"), True, p + "fitted"):
		return
	for k in ("lambda", "sigma", "kappa", "lambda_stderr",
	    "sigma_stderr", "kappa_stderr", "r2", "peak_n"):
		tap.close_(got.get(k), ref[k], p + k, USL_REL, 1e-12)
	tap.is_(got.get("max_measured_n"), int(ref["max_measured_n"]),
	    p + "max_measured_n")


class Server:
	"""tests/e2e/server.py as a child; stop() kills it by pid."""

	live = set()

	def __init__(self, work, mode, service_time, max_requests, workers=4,
	    lifetime=30):
		self.comp = os.path.join(work, "completions.log")
		self.arr = os.path.join(work, "arrivals.log")
		self.port_file = os.path.join(work, "port")
		self.proc = subprocess.Popen([sys.executable,
		    os.path.join(HERE, "server.py"), "--mode", mode,
		    "--workers", str(workers), "--service-time",
		    str(service_time), "--completions", self.comp,
		    "--arrivals", self.arr, "--port-file", self.port_file,
		    "--max-requests", str(max_requests), "--lifetime",
		    str(lifetime)], stdout=subprocess.DEVNULL)
		Server.live.add(self.proc)
		deadline = time.monotonic() + 10
		while not os.path.exists(self.port_file):
			if self.proc.poll() is not None or \
			    time.monotonic() > deadline:
				raise RuntimeError("server did not start")
			time.sleep(0.02)

	def client(self, n, timeout=20):
		p = subprocess.run([sys.executable, os.path.join(HERE,
		    "client.py"), "-n", str(n), "--port-file", self.port_file,
		    "--timeout", str(timeout)], capture_output=True,
		    timeout=3 * timeout)
		return json.loads(p.stdout)

	def stop(self):
		"""Returns the server's exit status if it stopped by itself
		(after its requests), None if it had to be killed."""
		by_itself = None
		if self.proc.poll() is None:
			# It stops by itself after its requests; wait briefly,
			# then make sure.
			try:
				by_itself = self.proc.wait(2)
			except subprocess.TimeoutExpired:
				self.proc.terminate()
				try:
					self.proc.wait(3)
				except subprocess.TimeoutExpired:
					self.proc.kill()
					self.proc.wait()
		else:
			by_itself = self.proc.returncode
		Server.live.discard(self.proc)
		return by_itself


def kill_all(*_):
	for p in list(Server.live):
		if p.poll() is None:
			p.kill()
	Server.live.clear()


def install_trap():
	"""Never leave a server behind: on exit, SIGTERM, SIGINT, SIGHUP."""
	import atexit
	atexit.register(kill_all)

	def die(signum, _frame):
		kill_all()
		sys.exit(128 + signum)
	for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
		signal.signal(s, die)
