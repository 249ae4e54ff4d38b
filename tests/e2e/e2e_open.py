#!/usr/bin/env python3
"""End to end, open traffic: real servers on 127.0.0.1, an open-loop client
(Poisson arrivals, a fixed seed), skew's pipeline on what they logged.

Run by tests/e2e-open.t.  Each case starts tests/e2e/openserver.py in one
mode, sends one or more phases of tests/e2e/openclient.py at it (an idle
pause between phases, so each phase is one run), stops the server by its
pid, then reads the same requests four ways (READINGS) and checks, per run,
in TAP:
  - shape `open`; the verdict the server's design implies;
  - pool_size within 10 % of k where the pool was reached, null where not;
  - littles_law.mean_inflight within 15 % of the client's own measurement
    (sum of latencies / elapsed), where the arrival log is the client's.
A machine busy with other work can disturb an experiment (a starved thread
makes a parallel run wait, an idle moment breaks a saturated single
thread's queue).  Whether it was is judged independently of skew, on the
server's own logs in Python (disturbed()); a disturbed experiment is run
again, at most ATTEMPTS times in all, each attempt said in a TAP comment,
and the checks are made on the last attempt whatever it shows (for the
two-route case, on the attempt whose fast route was starved least).
"""

import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

HERE = harness.HERE
ATTEMPTS = 4
PAUSE = 4.0	# idle seconds between phases: a clear break for the gap rule

# The readings of one experiment: how skew is given the requests.
#   client   the client's arrival log + the server's completions (by id):
#            the whole latency, queue before the handler included
#   server   the handler's arrival stamps + the completions (by id)
#   nginx    `$msec $request_time ...` (end, ms resolution): -f nginx-timed
#   apache   `%{sec}t.%{usec_frac}t %D ...` (start, duration in us)
ID_START = r"^(?<ts>\S+) id=(?<id>\S+)"
ID_END = r"^(?<pid>[0-9]+): (?<tid>[0-9]+): (?<ts>\S+) id=(?<id>\S+)"
APACHE = r"^(?<ts>[0-9]+\.[0-9]+) (?<dur>[0-9]+) "
READINGS = {
	"client": [(["-e", ID_START, "--kind", "start"], "client.log"),
	    (["-e", ID_END], "completions.log")],
	"server": [(["-e", ID_START, "--kind", "start"], "arrivals.log"),
	    (["-e", ID_END], "completions.log")],
	"nginx": [(["-f", "nginx-timed"], "nginx.log")],
	"apache": [(["-e", APACHE, "--dur-unit", "us", "--kind", "start"],
	    "apache.log")],
	# The client's arrivals with their route, for skew-fit --by route.
	"client-route": [(["-e", ID_START + r" route=(?<route>\S+)", "--kind",
	    "start"], "client.log"), (["-e", ID_END + r" route=(?<route>\S+)"],
	    "completions.log")],
	# nginx's log with its route (the path before any query): an -e
	# pattern, for the nginx-timed preset does not capture it here.
	"nginx-route": [(["-e", r'^(?<ts>[0-9]+\.[0-9]+) (?<dur>[0-9.]+) \S+ '
	    r'"\S+ (?<route>[^ ?"]+)', "--kind", "end"], "nginx.log")],
	# Completions only: nothing shows how requests overlapped.
	"completions": [(["-e", ID_END], "completions.log")],
}

# A phase: (rate per second, requests, seed).  An expectation: per reading,
# per phase, (verdicts accepted, pool size: k, None for null, or "any").
PAR = ({"parallel"}, None)


class Case:
	def __init__(self, name, mode, T, phases, expect, workers=4,
	    routes=(), mix=(), by_route=None, steady=True):
		self.name, self.mode, self.T = name, mode, T
		self.phases, self.expect, self.workers = phases, expect, workers
		self.routes, self.mix, self.by_route = routes, mix, by_route
		# steady: the design implies latencies near T (a parallel
		# server), which disturbed() checks.
		self.steady = steady


CASES = [
	# A thread per request, 0.2 s handlers at 25/s: ~5 in flight, no
	# limit anywhere.
	Case("threading", "threading", 0.2, [(25, 125, 11)],
	    {r: [PAR] for r in ("client", "server", "nginx", "apache")}),
	# A pool of 4 workers, 0.1 s: first a light phase (4/s: 0.4 busy
	# workers on average; the pool is never reached), then a heavy one
	# (32/s: 3.2 busy on average, so requests queue for the pool).  The
	# handler stamps arrival before the queue: every reading shows it.
	Case("pool", "pool", 0.1, [(4, 20, 12), (32, 160, 13)],
	    {r: [PAR, ({"partial"}, 4)] for r in ("client", "server",
	    "nginx", "apache")}),
	# One thread, 50 ms, arrivals at 80/s (4 times what it can serve):
	# the queue never empties.  It is in the listen backlog, before the
	# handler: against the client's arrivals a pool of 1 (serialized);
	# in the server's own logs the requests ran back to back
	# (serialized, max_inflight 1, so no pool size).
	Case("single", "single", 0.05, [(80, 60, 14)],
	    {"client": [({"serialized"}, 1)],
	    "server": [({"serialized"}, None)],
	    "nginx": [({"serialized"}, None)],
	    "apache": [({"serialized"}, None)]}),
	# An event loop, one thread, `await asyncio.sleep(0.2)` at 25/s.
	Case("asyncio", "asyncio", 0.2, [(25, 125, 15)],
	    {r: [PAR] for r in ("client", "server", "nginx", "apache")}),
	# Requests that never overlap: 5 ms handlers at 3/s, the ratio of
	# 50 ms requests at 0.3/s.  Never serialized or partial:
	# unknown ("no concurrency to judge") when none overlapped, parallel
	# when a few did.  Completions alone: further apart than a service
	# time each, not a burst: unknown.
	# Seed 18 draws no two arrivals closer than 67 ms (13 T), so none
	# overlap unless the machine stalls one for that long.
	Case("sparse", "threading", 0.005, [(3, 15, 18)],
	    dict({r: [({"unknown", "parallel"}, None)] for r in ("client",
	    "server", "nginx", "apache")},
	    completions=[({"unknown"}, None)]), steady=False),
	# Two routes, 2 ms and 200 ms, half each, at 20/s on a thread per
	# request.  Taken together, T is the fast route's and the slow ones
	# look like waits that no pool and no load explain: not a pool,
	# never serialized.  With --by route, each route apart: the slow one
	# parallel; the fast one (2 ms at 10/s) seldom overlaps: unknown (no
	# concurrency to judge) or parallel.
	Case("routes", "threading", 0.2, [(20, 100, 17)],
	    {r: [({"unknown"}, None)] for r in ("client", "nginx")},
	    routes=("/fast=0.002", "/slow=0.2"),
	    mix=("/fast=1", "/slow=1"),
	    by_route={r: {"/fast": ({"unknown", "parallel"}, None),
	    "/slow": PAR} for r in ("client-route", "nginx-route")}),
]


class OpenServer:
	def __init__(self, work, case):
		self.work = work
		self.port_file = os.path.join(work, "port")
		argv = [sys.executable, os.path.join(HERE, "openserver.py"),
		    "--mode", case.mode, "--workers", str(case.workers),
		    "--service-time", str(case.T), "--logs", work,
		    "--port-file", self.port_file, "--lifetime", "60"]
		for r in case.routes:
			argv += ["--route", r]
		self.proc = harness.spawn(argv, self.port_file)
		self.service_times = [case.T] + [float(r.partition("=")[2])
		    for r in case.routes]
		self.routes = case.routes

	def client(self, rate, n, seed, id_base, mix):
		argv = [sys.executable, os.path.join(HERE, "openclient.py"),
		    "-n", str(n), "--rate", str(rate), "--seed", str(seed),
		    "--max-time", "15", "--timeout", "15", "--slow",
		    str(1.5 * max(self.service_times) + 0.005), "--id-base",
		    str(id_base), "--port-file", self.port_file, "--arrivals",
		    os.path.join(self.work, "client.log")]
		for m in mix:
			argv += ["--route", m]
		# Each route against its own T at the client too (see
		# disturbed()).
		for r in self.routes:
			path, _, t = r.partition("=")
			argv += ["--slow-route", "%s=%g" % (path,
			    1.5 * float(t) + 0.005)]
		p = subprocess.run(argv, capture_output=True, timeout=40)
		return json.loads(p.stdout)

	def stop(self):
		"""Stopped by its pid, whatever it was doing."""
		if self.proc.poll() is None:
			self.proc.terminate()
			try:
				self.proc.wait(5)
			except subprocess.TimeoutExpired:
				self.proc.kill()
				self.proc.wait()
		harness.Server.live.discard(self.proc)


def experiment(work, case):
	srv = OpenServer(work, case)
	clients = []
	try:
		for i, (rate, n, seed) in enumerate(case.phases):
			if i:
				time.sleep(PAUSE)
			clients.append(srv.client(rate, n, seed, 1000 * i,
			    case.mix))
	finally:
		srv.stop()
	return clients


def apache_requests(work):
	"""(start, duration) per request of apache.log, in seconds, from the
	server's own clock: the independent reading disturbed() uses."""
	out = []
	with open(os.path.join(work, "apache.log")) as f:
		for line in f:
			m = re.match(r"^([0-9]+\.[0-9]+) ([0-9]+) ", line)
			if m:
				out.append((float(m.group(1)),
				    int(m.group(2)) / 1e6))
	return sorted(out)


def route_durations(work, path):
	"""The handler times in apache.log of the requests for path."""
	out = []
	with open(os.path.join(work, "apache.log")) as f:
		for line in f:
			m = re.match(r'^[0-9]+\.[0-9]+ ([0-9]+) "\S+ (\S+)', line)
			if m and m.group(2).split("?")[0] == path:
				out.append(int(m.group(1)) / 1e6)
	return out


def disturbed(work, case, clients):
	"""Why this experiment is not what the server's design implies, read
	from the server's own log in Python (None when it is)."""
	for c in clients:
		if c["ok"] != c["n"]:
			return "the client got %d responses of %d (%s)" % (
			    c["ok"], c["n"], c["failed"][:3])
	reqs = apache_requests(work)
	if len(reqs) != sum(c["n"] for c in clients):
		return "apache.log holds %d requests" % len(reqs)
	if case.mode in ("threading", "asyncio") and case.steady:
		slow = [d for _, d in reqs if d > 1.5 * max(
		    case.T, 0.2 if case.routes else 0) + 0.002]
		if len(slow) >= max(2, 0.05 * len(reqs)):
			return "%d handlers took over 1.5 T (a starved server)" \
			    % len(slow)
		# Each route against its own T: a 2 ms handler starved to
		# 5 ms makes requests of the fast route wait for nothing
		# the server's design explains.
		for rt in case.routes:
			path, t = rt.split("=")
			durs = route_durations(work, path)
			slow = [d for d in durs if d > 1.5 * float(t) + 0.002]
			# A route of a few ms seldom overlaps itself: one
			# starved handler among the few that do can look like
			# a queue (a clean-clone run judged /fast wrong with
			# fewer than 5 % of its handlers over 1.5 T).
			few = 1 if float(t) < 0.01 else max(2, 0.05 * len(durs))
			if len(slow) >= few:
				return "%d handlers of %s took over 1.5 T (a " \
				    "starved server)" % (len(slow), path)
		# The client's view too: its latency holds the connect and
		# the accept, which a busy machine can delay (over 5 ms:
		# --slow is 1.5 T + 5 ms).
		slow = sum(c["slow"] or 0 for c in clients)
		if slow >= max(2, 0.05 * len(reqs)):
			return "%d responses took over 1.5 T at the client" % slow
		for rt in case.routes:
			path, t = rt.split("=")
			slow = sum(c.get("slow_by_route", {}).get(path, 0)
			    for c in clients)
			if float(t) < 0.01 and slow >= 1:
				return "%d responses of %s took over 1.5 T + 5 ms " \
				    "at the client" % (slow, path)
	if case.mode == "single":
		late = [b[0] - (a[0] + a[1]) for a, b in zip(reqs, reqs[1:])]
		late = [x for x in late if x > 0.005]
		if late:
			return "the queue emptied %d times (%.3f s idle)" % (
			    len(late), max(late))
	if case.mode == "pool":
		# Light phase: hardly any wait; heavy: the pool reached.
		t_split = None
		if len(clients) == 2:
			t_split = clients[1]["first"] - PAUSE / 2
		light = [d for s, d in reqs if t_split and s < t_split]
		heavy = [d for s, d in reqs if not t_split or s >= t_split]
		w = [d for d in light if d > 1.5 * case.T]
		if len(w) >= max(2, 0.05 * len(light)):
			return "%d requests of the light phase waited" % len(w)
		w = [d for d in heavy if d > 1.5 * case.T]
		if len(w) < max(2, 0.05 * len(heavy)):
			return "only %d requests of the heavy phase waited: " \
			    "the pool was not reached" % len(w)
	return None


def iso_epoch(s):
	"""Epoch seconds of skew's exact ISO time (UTC, Z)."""
	import datetime
	m = re.match(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z$", s or "")
	if not m:
		return None
	t = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S") \
	    .replace(tzinfo=datetime.timezone.utc).timestamp()
	return t + (float(m.group(2)) if m.group(2) else 0.0)


def fit_reading(tap, label, work, reading, fit_opts, logs=None):
	"""The fit document of one reading of the logs in logs (default:
	work), written in work."""
	b = harness.skew_bin()
	logs = logs or work
	nds = []
	for k, (opts, log) in enumerate(READINGS[reading]):
		nd = os.path.join(work, "%s-%d.ndjson" % (reading, k))
		argv = [os.path.join(b, "skew-parse"), "-q"] + opts + \
		    [os.path.join(logs, log)]
		st, _, err = harness.run(argv, nd)
		if not tap.ok(st == 0, "%s: skew-parse exits 0" % label,
		    "status %d: %s\n%s" % (st, " ".join(argv), err[-1500:])):
			return None
		nds.append(nd)
	req = os.path.join(work, reading + ".requests")
	fit = os.path.join(work, reading + ".fit.json")
	for argv, out in (([os.path.join(b, "skew-align"), "-q"] + nds, req),
	    ([os.path.join(b, "skew-fit")] + list(fit_opts) + [req], fit)):
		st, _, err = harness.run(argv, out)
		if not tap.ok(st == 0, "%s: %s exits 0" % (label,
		    os.path.basename(argv[0])), "status %d: %s\n%s" % (st,
		    " ".join(argv), err[-1500:])):
			return None
	with open(fit) as f:
		return json.load(f)


def phase_of(run, clients):
	"""The phase whose client window holds the run's completions."""
	a, z = iso_epoch(run.get("first")), iso_epoch(run.get("last"))
	if a is None or z is None:
		return None
	for i, c in enumerate(clients):
		if c["first"] is not None and c["first"] - 0.5 <= a and \
		    z <= c["last"] + 0.5:
			return i
	return None


def summary(r):
	ll = r.get("littles_law") or {}
	return "n %s, shape %s, verdict %s, pool_size %s, max_inflight %s, " \
	    "mean_inflight %s: %s" % (r.get("n"), r.get("shape"),
	    r.get("verdict"), r.get("pool_size"), r.get("max_inflight"),
	    ll.get("mean_inflight") if isinstance(ll, dict) else None,
	    r.get("reason"))


def check_reading(tap, case, work, reading, expect, clients, fit_opts=(),
    logs=None):
	label = "%s/%s%s" % (case.name, reading, " " + " ".join(fit_opts)
	    if fit_opts else "")
	doc = fit_reading(tap, label, work, reading, fit_opts, logs)
	if doc is None:
		return
	runs = doc.get("runs") or []
	for r in runs:
		tap.note("%s run %s: %s" % (label, r.get("run"), summary(r)))
	if case.name == "sparse":
		# However the sparse traffic splits into runs, no run of it is
		# serialized or partial.
		tap.ok(len(runs) >= 1, "%s: runs found" % label)
		for r in runs:
			p = "%s run %s: " % (label, r.get("run"))
			want = {"unknown"} if reading == "completions" or \
			    r.get("max_inflight") == 1 else expect[0][0]
			tap.ok(r.get("verdict") in want, p + "verdict in %s" %
			    sorted(want), summary(r))
			tap.ok(r.get("pool_size") is None, p + "pool_size null",
			    summary(r))
			if reading != "completions":
				tap.is_(r.get("shape"), "open", p + "shape open")
		return
	seen, routes_seen = set(), set()
	for r in runs:
		i = phase_of(r, clients)
		p = "%s run %s%s: " % (label, r.get("run"), " " + str(r.get(
		    "route")) if fit_opts else "")
		# --by route: one run per route and phase.
		if not tap.ok(i is not None and (fit_opts or i not in seen),
		    p + "is one phase of the client's", summary(r)):
			continue
		seen.add(i)
		if fit_opts:
			# --by route: expected per route, any phase.
			if not tap.ok(r.get("route") in expect, p + "route %r "
			    "is one of %s" % (r.get("route"), sorted(expect)),
			    summary(r)):
				continue
			routes_seen.add(r["route"])
			verdicts, pool = expect[r["route"]]
		else:
			verdicts, pool = expect[i]
		c = clients[i]
		tap.is_(r.get("shape"), "open", p + "shape open")
		tap.ok(r.get("verdict") in verdicts, p + "verdict %s" %
		    "/".join(sorted(verdicts)), summary(r))
		ps = r.get("pool_size")
		if pool is None:
			tap.ok(ps is None, p + "pool_size null (not reached)",
			    summary(r))
		else:
			tap.ok(isinstance(ps, (int, float)) and
			    abs(ps - pool) <= 0.1 * pool, p + "pool_size %r "
			    "within 10%% of %d" % (ps, pool), summary(r))
		if reading == "client" and not fit_opts:
			ll = r.get("littles_law") or {}
			m = ll.get("mean_inflight") if isinstance(ll, dict) \
			    else None
			want = c["mean_inflight"]
			tap.ok(isinstance(m, (int, float)) and
			    abs(m - want) <= 0.15 * want, p + "mean in flight "
			    "%r within 15%% of the client's %.3f" % (m, want))
	tap.is_(len(seen), len(case.phases), "%s: runs of every phase (%d)" %
	    (label, len(case.phases)))
	if fit_opts:
		tap.is_(sorted(routes_seen), sorted(expect), "%s: a run of "
		    "each route" % label)


def recorded(tap, tmp):
	"""testdata/real/open/ and open-single/ (tests/e2e/record-open.sh):
	the pool case's two phases and the single thread's, fixed bytes, the
	same checks."""
	for name, like in (("open", "pool"), ("open-single", "single")):
		logs = os.path.join(harness.TOP, "testdata", "real", name)
		case = [c for c in CASES if c.name == like][0]
		rec = Case("recorded " + name, case.mode, case.T, case.phases,
		    case.expect, case.workers)
		with open(os.path.join(logs, "client.ndjson")) as f:
			clients = [json.loads(line) for line in f]
		work = os.path.join(tmp, "recorded-" + name)
		os.mkdir(work)
		for reading, expect in rec.expect.items():
			check_reading(tap, rec, work, reading, expect, clients,
			    logs=logs)
	lost_end(tap, os.path.join(harness.TOP, "testdata", "real", "open"),
	    os.path.join(tmp, "recorded-open"))


def lost_end(tap, logs, work):
	"""One completion lost (id 10, in the first phase): without a
	timeout its start stays in flight and holds both phases in one run.
	Counted in flight, any start of the phase may be the one without an
	end (an end takes the oldest), so nothing is surely in flight only a
	timeout after the phase's last start (16:45:05.258): with 1 s, the
	4.7 s before the next phase are idle for 3.7 s, over the gap (2.1 s):
	two runs.  (The default, 10 x p99 = 3.3 s, leaves 1.4 s: one run;
	said in a comment.)"""
	b = harness.skew_bin()
	comp = os.path.join(work, "lost-completions.log")
	with open(os.path.join(logs, "completions.log")) as f, \
	    open(comp, "w") as g:
		g.writelines(l for l in f if " id=10 " not in l)
	nds = []
	for opts, log in ((["-e", ID_START, "--kind", "start"],
	    os.path.join(logs, "client.log")), (["-e", ID_END], comp)):
		nds.append(os.path.join(work, "lost-%d.ndjson" % len(nds)))
		harness.run([os.path.join(b, "skew-parse"), "-q"] + opts +
		    [log], nds[-1])
	for extra, runs in (([], None), (["--timeout", "1s"], 2),
	    (["--timeout", "1h"], 1)):
		st, out, err = harness.run([os.path.join(b, "skew-align")] +
		    extra + nds)
		rec = [json.loads(l) for l in out.splitlines()
		    if '"kind":"align"' in l]
		rec = rec[0] if rec else {}
		what = "a lost end, %s: " % (" ".join(extra) or
		    "the default timeout")
		if runs is None:
			tap.note(what + "%r runs, timeout %r s" % (
			    rec.get("runs"), rec.get("timeout")))
			continue
		tap.ok(st == 0 and rec.get("runs") == runs, what + "%d run%s" %
		    (runs, "s" if runs > 1 else ""), "status %d, record %r\n%s"
		    % (st, rec, err[-500:]))
		tap.ok(rec.get("timed_out") == (1 if runs == 2 else 0) and
		    rec.get("unmatched_starts") == 1, what + "the start counted",
		    "record %r" % rec)


def starved(work, case):
	"""How many handlers of a route of a few ms took over 1.5 T + 2 ms
	(read from the server's own log): how disturbed a routes experiment
	was, to judge the least disturbed attempt when every one was."""
	n = 0
	for rt in case.routes:
		path, t = rt.split("=")
		if float(t) < 0.01:
			n += sum(1 for d in route_durations(work, path)
			    if d > 1.5 * float(t) + 0.002)
	return n


def run_case(tap, tmp, case):
	best = None
	for attempt in range(1, ATTEMPTS + 1):
		work = os.path.join(tmp, "%s-%d" % (case.name, attempt))
		os.mkdir(work)
		clients = experiment(work, case)
		why = disturbed(work, case, clients)
		if why is None:
			break
		tap.note("%s: attempt %d of %d was disturbed (%s)%s" % (
		    case.name, attempt, ATTEMPTS, why, "; again" if
		    attempt < ATTEMPTS else ""))
		if case.routes and all(c["ok"] == c["n"] for c in clients):
			n = starved(work, case)
			if best is None or n < best[0]:
				best = (n, attempt, work, clients)
	else:
		# Every attempt disturbed: with routes, the one whose fast
		# route was starved least (the others' checks are made on the
		# last attempt, as before).
		if best is not None and best[1] != ATTEMPTS:
			tap.note("%s: judged on attempt %d, the least "
			    "disturbed (%d starved handlers)" % (case.name,
			    best[1], best[0]))
			_, _, work, clients = best
	for i, c in enumerate(clients):
		tap.note("%s phase %d: client %s" % (case.name, i + 1,
		    json.dumps(c)))
		tap.ok(c["ok"] == c["n"] and c["n"] > 0, "%s phase %d: the "
		    "client got %d responses of %d" % (case.name, i + 1,
		    c["ok"], c["n"]), c["failed"])
	for reading, expect in case.expect.items():
		check_reading(tap, case, work, reading, expect, clients)
	if case.by_route is None:
		return
	for reading, expect in case.by_route.items():
		check_reading(tap, case, work, reading, expect, clients,
		    ("--by", "route"))


def main():
	harness.install_trap()
	tap = harness.Tap()
	tap.note("SKEW_BIN=%s" % harness.skew_bin())
	only = os.environ.get("SKEW_E2E_ONLY")
	cases = [c for c in CASES if not only or c.name in only.split(",")]
	if not only or "recorded" in only.split(","):
		cases.append(None)
	return harness.run_all(tap, "skew-e2e-open.", cases,
	    lambda tmp, c: recorded(tap, tmp) if c is None else
	    run_case(tap, tmp, c), lambda c: "recorded open" if c is None
	    else c.name)

if __name__ == "__main__":
	sys.exit(main())
