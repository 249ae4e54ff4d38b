#!/usr/bin/env python3
"""ref_fit: an independent reference computation of skew-fit's statistics.

The oracle the tests compare skew-fit against.  Plain Python, standard
library only, and none of skew's code: it parses the logs itself (regular
expressions), keeps every time as an integer number of nanoseconds since the
epoch and does the statistics in exact rational arithmetic (fractions.Fraction)
by the textbook formulas, converting to float only for square roots, the
USL fit and output.  contract.md ("skew-fit") says what each number means.

Usage:
  ref_fit.py [--arrivals FILE]... [--service-time LIST] [--concurrency LIST]
             [--gap SECONDS] [--window SECONDS] COMPLETIONS...

COMPLETIONS are `PID: TID: TIMESTAMP` logs (the article's format), arrival
logs hold a bare TIMESTAMP a line; other lines (uvicorn's banner, access
lines) are counted as skipped.  Prints one JSON document:
  {"gap": .., "runs": [...], "skew": {...}, "skew_with_service_time": {...},
   "usl": {...}, "traffic": {...}}
where traffic's "points" are [N, X] of every window measured (not thinned).
with the contract's key names; numbers are floats, plus "spread_exact"
(a decimal string, exact to the nanosecond) per run.

Choices where the contract leaves one (the tests compare skew-fit with this
only where the contract fixes the value, on data where these choices make
no difference):
  - run split: sorted event times; the default gap is the lower side of the
    largest ratio between neighbours in the sorted list of 1 s followed by
    the gaps longer than 1 s (so never below 1 s, and 1 s when all pauses
    between runs are alike); a run ends where the next event is more than
    that away and nothing is in flight (the in-flight count restarts at 0
    with each run and never goes below 0: completions without starts do
    not count).
  - pairing by order: the k-th start of a run (by time) with its k-th end.
  - percentiles: linear interpolation between order statistics at
    p (n - 1), as GSL's gsl_stats_quantile_from_sorted_data.
  - pool_size: the most common wave size other than the last wave; ties go
    to the larger size.
  - USL: unconstrained least squares on each run's parallelism, started
    from lambda = p/n at the smallest n, sigma = kappa = 0; it iterates to
    a tolerance, so compare it with skew-fit's to ~1e-5, not to rounding.
"""

import argparse
import bisect
import datetime
import json
import math
import re
import sys
from fractions import Fraction

NS = 10 ** 9
TS_RE = (r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})"
    r"(?:[.,](\d{1,9}))?")
COMPLETION_RE = re.compile(r"^\s*(\d+):\s*(\d+):\s*" + TS_RE + r"\s*$")
ARRIVAL_RE = re.compile(r"^\s*" + TS_RE + r"\s*$")
EPOCH_ORD = datetime.date(1970, 1, 1).toordinal()


def ts_ns(g):
	"""(Y, M, D, h, m, s, frac) strings -> (ns since epoch, ISO string)."""
	y, mo, d, h, mi, s, frac = g
	days = datetime.date(int(y), int(mo), int(d)).toordinal() - EPOCH_ORD
	sec = days * 86400 + int(h) * 3600 + int(mi) * 60 + int(s)
	fns = int((frac or "").ljust(9, "0")) if frac else 0
	iso = "%s-%s-%sT%s:%s:%s%sZ" % (y, mo, d, h, mi, s,
	    "." + frac if frac else "")
	return sec * NS + fns, iso, len(frac or "")


def read_log(path, kind):
	"""Events of one log: dicts with ns, iso, kind, src, line, pid, tid."""
	rx = COMPLETION_RE if kind == "end" else ARRIVAL_RE
	events, skipped = [], 0
	with open(path, encoding="utf-8", errors="replace") as f:
		for lineno, text in enumerate(f, 1):
			m = rx.match(text)
			if m is None:
				if text.strip():
					skipped += 1
				continue
			g = m.groups()
			pid = tid = None
			if kind == "end":
				pid, tid, g = g[0], g[1], g[2:]
			ns, iso, digits = ts_ns(g)
			events.append({"ns": ns, "iso": iso, "kind": kind,
			    "src": path, "line": lineno, "pid": pid, "tid": tid,
			    "digits": digits})
	return events, skipped


def default_gap_ns(events):
	"""The natural break in the gaps: below 1 s nothing splits, so only
	the gaps of 1 s or more are candidates, with 1 s itself first (so a
	set of runs whose pauses are all alike still splits at 1 s); the
	break is the largest ratio between neighbours in that sorted list,
	and the gap is its lower side (a run ends past it)."""
	gaps = sorted({b["ns"] - a["ns"] for a, b in zip(events, events[1:])
	    if b["ns"] - a["ns"] > NS})
	cands = [NS] + gaps
	best, lower = None, NS
	for a, b in zip(cands, cands[1:]):
		r = Fraction(b, a)
		if best is None or r > best:
			best, lower = r, a
	return lower


def split_runs(events, gap_ns):
	runs, cur, inflight = [], [], 0
	for ev in events:
		if cur and ev["ns"] - cur[-1]["ns"] > gap_ns and inflight == 0:
			runs.append(cur)
			cur = []
		cur.append(ev)
		if ev["kind"] == "start":
			inflight += 1
		elif inflight > 0:
			inflight -= 1
	if cur:
		runs.append(cur)
	return runs


def ols(xs, ys):
	"""Ordinary least squares y = a + b x, exact.  Returns a dict or None
	when there are fewer than two distinct x."""
	m = len(xs)
	if m < 2 or len(set(xs)) < 2:
		return None
	xs = [Fraction(x) for x in xs]
	ys = [Fraction(y) for y in ys]
	xbar = sum(xs) / m
	ybar = sum(ys) / m
	sxx = sum((x - xbar) ** 2 for x in xs)
	sxy = sum((x - xbar) * (y - ybar) for x, y in zip(xs, ys))
	syy = sum((y - ybar) ** 2 for y in ys)
	b = sxy / sxx
	a = ybar - b * xbar
	sse = sum((y - a - b * x) ** 2 for x, y in zip(xs, ys))
	res = {"a": a, "b": b, "sse": sse, "m": m, "sxx": sxx, "xbar": xbar,
	    "r2": None, "a_stderr": None, "b_stderr": None}
	if syy > 0:
		res["r2"] = 1 - sse / syy
	if m >= 3:
		s2 = sse / (m - 2)
		res["b_stderr"] = math.sqrt(s2 / sxx)
		res["a_stderr"] = math.sqrt(s2 * (Fraction(1, m) +
		    xbar ** 2 / sxx))
	return res


# Student's t distribution: CDF through the regularized incomplete beta
# function (continued fraction, modified Lentz: Numerical Recipes 6.4), the
# quantile by bisection.  Checked against the textbook table value
# t(0.975, 3) = 3.182446305284263 (e.g. R's qt(0.975, 3)) in selftest().
def betacf(a, b, x):
	tiny = 1e-300
	qab, qap, qam = a + b, a + 1, a - 1
	c, d = 1.0, 1 - qab * x / qap
	d = 1 / (d if abs(d) > tiny else tiny)
	h = d
	for m in range(1, 1000):
		m2 = 2 * m
		aa = m * (b - m) * x / ((qam + m2) * (a + m2))
		d = 1 + aa * d
		d = 1 / (d if abs(d) > tiny else tiny)
		c = 1 + aa / c
		c = c if abs(c) > tiny else tiny
		h *= d * c
		aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
		d = 1 + aa * d
		d = 1 / (d if abs(d) > tiny else tiny)
		c = 1 + aa / c
		c = c if abs(c) > tiny else tiny
		de = d * c
		h *= de
		if abs(de - 1) < 1e-16:
			break
	return h


def betai(a, b, x):
	if x <= 0:
		return 0.0
	if x >= 1:
		return 1.0
	lbt = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) +
	    a * math.log(x) + b * math.log(1 - x))
	if x < (a + 1) / (a + b + 2):
		return math.exp(lbt) * betacf(a, b, x) / a
	return 1 - math.exp(lbt) * betacf(b, a, 1 - x) / b


def t_cdf(t, dof):
	p = 0.5 * betai(dof / 2, 0.5, dof / (dof + t * t))
	return 1 - p if t > 0 else p


def t_quantile(p, dof):
	lo, hi = 0.0, 1000.0
	for _ in range(200):
		mid = (lo + hi) / 2
		if t_cdf(mid, dof) < p:
			lo = mid
		else:
			hi = mid
	return (lo + hi) / 2


def quantile(sorted_vals, p):
	n = len(sorted_vals)
	pos = Fraction(p) * (n - 1)
	i = int(pos)
	if i + 1 >= n:
		return sorted_vals[-1]
	frac = pos - i
	return sorted_vals[i] + frac * (sorted_vals[i + 1] - sorted_vals[i])


def waves_of(sizes_by_wave):
	"""Sizes of the non-empty waves in order -> (count, pool_size)."""
	sizes = [s for s in sizes_by_wave if s > 0]
	if not sizes:
		return None, None
	if len(sizes) == 1:
		return 1, None
	if len(sizes) == 2:
		return 2, sizes[0]
	counts = {}
	for s in sizes[:-1]:
		counts[s] = counts.get(s, 0) + 1
	pool = max(counts, key=lambda s: (counts[s], s))
	return len(sizes), pool


def gap_waves(times, half):
	"""Wave sizes where consecutive times more than half apart start a
	new wave."""
	sizes = [1]
	for a, b in zip(times, times[1:]):
		if b - a > half:
			sizes.append(1)
		else:
			sizes[-1] += 1
	return sizes


def run_stats(number, evs, T_given, n_given):
	ends = sorted((e for e in evs if e["kind"] == "end"),
	    key=lambda e: (e["ns"], e["src"], e["line"]))
	starts = sorted((e for e in evs if e["kind"] == "start"),
	    key=lambda e: (e["ns"], e["src"], e["line"]))
	k = min(len(starts), len(ends))
	pairs = [(starts[i], ends[i]) for i in range(k)]
	r = {"run": number}
	count = len(ends)
	n = count
	sampled = n_given is not None and n_given > count
	if n_given is not None:
		n = n_given
	r["n"] = n
	r["count"] = count
	if count == 0:
		r["verdict"] = "unknown"
		return r
	e0 = ends[0]["ns"]
	spread = Fraction(ends[-1]["ns"] - e0, NS)
	r["first"] = ends[0]["iso"]
	r["last"] = ends[-1]["iso"]
	r["spread"] = spread
	r["spread_exact"] = "%d.%09d" % divmod(ends[-1]["ns"] - e0, NS)

	if sampled:
		r["stagger"] = {"slope": spread / (n - 1) if n >= 2 else None,
		    "stderr": None, "r2": None}
	else:
		fit = ols(range(count), [Fraction(e["ns"] - e0, NS)
		    for e in ends])
		r["stagger"] = None if fit is None else {"slope": fit["b"],
		    "stderr": fit["b_stderr"], "r2": fit["r2"]}

	lat = [Fraction(en["ns"] - st["ns"], NS) for st, en in pairs]
	T, src = None, None
	if T_given is not None:
		T, src = Fraction(T_given), "given"
	elif lat:
		T, src = min(lat), "latency"
	r["service_time"] = T
	r["service_time_source"] = src

	ser = par = None
	if T is not None and T > 0 and n >= 2:
		ser = min(Fraction(1), max(Fraction(0), spread / ((n - 1) * T)))
	if T is not None and spread + T > 0:
		par = n * T / (spread + T)
	r["serialization"] = ser
	r["parallelism"] = par

	if pairs:
		# A sweep over the matched intervals; at one instant ends go
		# before starts, so back-to-back requests do not overlap.
		steps = sorted([(en["ns"], -1) for _, en in pairs] +
		    [(st["ns"], 1) for st, _ in pairs])
		cur = mx = 0
		area = 0
		prev = steps[0][0]
		for t, d in steps:
			area += cur * (t - prev)
			prev = t
			cur += d
			mx = max(mx, cur)
		window = max(en["ns"] for _, en in pairs) - \
		    min(st["ns"] for st, _ in pairs)
		r["max_inflight"] = mx
		if window > 0:
			mean_inflight = Fraction(area, window)
			x_r = Fraction(len(pairs) * NS, window) * \
			    (sum(lat) / len(lat))
			r["littles_law"] = {"mean_inflight": mean_inflight,
			    "x_times_r": x_r, "ok": abs(mean_inflight - x_r) <=
			    Fraction(1, 10) * x_r}
		else:
			r["littles_law"] = None
		sl = sorted(lat)
		r["latency"] = {"p50": quantile(sl, Fraction(1, 2)),
		    "p90": quantile(sl, Fraction(9, 10)),
		    "p99": quantile(sl, Fraction(99, 100)), "max": sl[-1]}
	else:
		r["max_inflight"] = None
		r["littles_law"] = None
		r["latency"] = None

	r["arrival_stagger"] = r["latency_slope"] = None
	r["waves"] = r["pool_size"] = None
	r["arrival_waves"] = r["arrival_pool_size"] = None
	if not sampled:
		if len(pairs) >= 2:
			s0 = pairs[0][0]["ns"]
			fa = ols(range(k), [Fraction(st["ns"] - s0, NS)
			    for st, _ in pairs])
			fl = ols(range(k), lat)
			r["arrival_stagger"] = fa and fa["b"]
			r["latency_slope"] = fl and fl["b"]
		if T is not None and T > 0:
			if k == count:
				idx = [math.floor((x - T) / T + Fraction(1, 2))
				    for x in lat]
				sizes = [0] * (max(idx) - min(idx) + 1)
				for w in idx:
					sizes[w - min(idx)] += 1
			else:
				sizes = gap_waves([Fraction(e["ns"], NS)
				    for e in ends], T / 2)
			r["waves"], r["pool_size"] = waves_of(sizes)
			if starts:
				r["arrival_waves"], r["arrival_pool_size"] = \
				    waves_of(gap_waves([Fraction(e["ns"], NS)
				    for e in starts], T / 2))
	r["pids"] = len({e["pid"] for e in ends})
	r["tids"] = len({(e["pid"], e["tid"]) for e in ends})
	# A completions-only run pairs nothing, so nothing is unmatched.
	r["unmatched_starts"] = len(starts) - k
	r["unmatched_ends"] = len(ends) - k if starts else 0
	r["sampled"] = sampled

	r["shape"] = "burst"
	if pairs and starts and starts[-1]["ns"] - starts[0]["ns"] > \
	    min(en["ns"] - st["ns"] for st, en in pairs):
		r["shape"] = "open"
		r["open"] = open_stats([(st["ns"], en["ns"]) for st, en in
		    pairs], [st["ns"] for st in starts[k:]],
		    starts[0]["ns"], ends[-1]["ns"], T,
		    max(e["digits"] for e in evs))
		r["verdict"] = r["open"]["verdict"]
		return r
	if T is None or n < 2:
		v = "unknown"
	elif r["pool_size"] == 1 or (ser is not None and ser >= Fraction(9, 10)):
		v = "serialized"
	elif r["pool_size"] is not None and r["pool_size"] >= 2:
		v = "partial"
	elif (r["waves"] in (1, None)) and ser is not None and \
	    ser < Fraction(1, 10):
		v = "parallel"
	else:
		v = "partial"
	r["verdict"] = v
	return r


def max_overlap(iv):
	"""The most half-open intervals [a, b) (a < b) that overlap."""
	steps = sorted([(a, 1) for a, b in iv if a < b] +
	    [(b, -1) for a, b in iv if a < b])
	cur = mx = 0
	for _, d in steps:
		cur += d
		mx = max(mx, cur)
	return mx


def held_overlap(iv):
	"""The most half-open intervals [a, b) (a < b) overlapping for 5 %
	or more of the time one or more do."""
	steps = sorted([(a, 1) for a, b in iv if a < b] +
	    [(b, -1) for a, b in iv if a < b])
	at, cur = {}, 0
	for (t0, d), (t1, _) in zip(steps, steps[1:]):
		cur += d
		if cur > 0:
			at[cur] = at.get(cur, 0) + t1 - t0
	busy = sum(at.values())
	for L in sorted(at, reverse=True):
		held = sum(v for lv, v in at.items() if lv >= L)
		if held > 0 and 100 * held >= 5 * busy:
			return L
	return 0


def implied_pool(pairs, k0):
	"""The smallest k in 1 .. min(k0 - 1, 64) whose implied service times
	explain the queue, else k0.  With k workers the i-th start in time,
	A_i, cannot be served before the (i-k)-th end in time, D_(i-k); those
	with D_(i-k) > A_i queued, and the i-th end followed a freed worker
	by D_i - D_(i-k).  k explains them when 5 % and 2 or more of the
	requests queued under it, the p10 of those times is 9/10 or more of
	their median and the p90 3/2 or less (for k too small they scatter
	below the service time, and above it where a pool would have idled)."""
	m = len(pairs)
	A = sorted(a for a, _ in pairs)
	D = sorted(b for _, b in pairs)
	for k in range(1, min(k0 - 1, 64) + 1):
		s = sorted(D[i] - D[i - k] for i in range(k, m)
		    if D[i - k] > A[i])
		if len(s) < 2 or 100 * len(s) < 5 * m:
			continue
		p10 = quantile(s, Fraction(1, 10))
		p50 = quantile(s, Fraction(1, 2))
		p90 = quantile(s, Fraction(9, 10))
		if p50 > 0 and 10 * p10 >= 9 * p50 and 2 * p90 <= 3 * p50:
			return k
	return k0


def open_stats(pairs, unmatched, first_start, last_end, T, digits):
	"""An open run judged by what overlapped (contract.md, "Bursts and
	open traffic"), from matched (start, end) pairs in ns and the
	unmatched starts (in flight to the end).  Choices where the contract
	leaves one, as skew-fit makes them: requests starting at one instant
	do not count each other as in flight; back to back is two in three
	(and 2) or more of the gaps within the larger of epsilon and T / 10; the
	pool's intervals are shrunk by epsilon at their start, and k is the
	most of them overlapping for 5 % or more of the busy time, or the
	smallest smaller k that implied_pool finds."""
	m = len(pairs)
	res = 10 ** (9 - digits)
	Tn = T * NS	# a Fraction of ns
	lat = [b - a for a, b in pairs]
	o = {}
	# In flight when each arrived: starts before it, less ends at or
	# before it (requests of no length hold nothing).
	st = sorted([a for a, b in pairs if b > a] + list(unmatched))
	en = sorted(b for a, b in pairs if b > a)
	q = [bisect.bisect_left(st, a) - bisect.bisect_right(en, a)
	    for a, b in pairs]
	steps = sorted([(a, 1) for a, b in pairs if b > a] +
	    [(a, 1) for a in unmatched] + [(b, -1) for a, b in pairs if b > a])
	cur = M = 0
	for _, d in steps:
		cur += d
		M = max(M, cur)
	busy = at_max = 0
	cur = 0
	for (t0, d), (t1, _) in zip(steps, steps[1:] + [(steps[-1][0], 0)]):
		cur += d
		if cur > 0:
			busy += t1 - t0
		if cur == M:
			at_max += t1 - t0
	o["max_inflight"] = M
	span = last_end - first_start
	o["throughput"] = Fraction(m * NS, span) if span > 0 and m else None
	groups = {}
	for qj, L in zip(q, lat):
		groups.setdefault(qj, []).append(Fraction(L, NS))
	o["latency_by_inflight"] = [{"inflight": g, "n": len(v),
	    "p50": quantile(sorted(v), Fraction(1, 2)),
	    "p90": quantile(sorted(v), Fraction(9, 10))}
	    for g, v in sorted(groups.items())]
	known = Tn > 0 and Tn >= res
	wl = [L for L in lat if known and 2 * L > 3 * Tn]
	if known:
		o["waited"] = {"n": len(wl), "fraction": Fraction(len(wl), m),
		    "wait_p50": quantile(sorted(Fraction(L, NS) - T
		    for L in wl), Fraction(1, 2)) if wl else None}
	else:
		o["waited"] = None
	limit = known and len(wl) >= 2 and len(wl) * 100 >= 5 * m
	nq = sorted(L for L in lat if not (known and 2 * L > 3 * Tn))
	d = quantile(nq, Fraction(1, 10)) - nq[0] if nq else 0
	eps = res + int(math.floor(d + Fraction(1, 2)))
	tol = max(eps, int(Tn) // 10 if Tn > 0 else 0)
	m_eps = max_overlap([(a + eps, b) for a, b in pairs])
	nb2b = 0
	if m_eps <= 1 and m >= 2:
		byst = sorted(pairs)
		nb2b = sum(1 for p0, p1 in zip(byst, byst[1:])
		    if p1[0] - p0[1] <= tol)
	b2b = nb2b >= 2 and nb2b * 3 >= 2 * (m - 1)
	pool = None
	if limit:
		k = implied_pool(pairs, held_overlap([(max(a, b - Tn) + eps, b)
		    for a, b in pairs]))
		below = [2 * L > 3 * Tn for qj, L in zip(q, lat) if qj < k]
		if 1 <= k < M and below and (sum(below) < 2 or
		    sum(below) * 100 <= 5 * len(below)):
			pool = k
	o["pool_size"] = pool
	fit = ols(q, [Fraction(L, NS) for L in lat]) if m >= 3 else None
	grows = False
	if fit is not None and fit["b_stderr"] is not None:
		grows = float(fit["b"]) - t_quantile(0.975, m - 2) * \
		    fit["b_stderr"] > 0
	if m < 2:
		v = "unknown"
	elif m_eps <= 1:
		v = "serialized" if b2b else "unknown"
	elif not known:
		v = "unknown"
	elif pool == 1:
		v = "serialized"
	elif not limit:
		v = "parallel"
	elif pool is not None:
		v = "partial"
	else:
		v = "partial" if grows else "unknown"
	o["verdict"] = v
	# Said only of runs with concurrency whose waits are known.
	o["capped"] = m_eps > 1 and known and m >= 2 and busy > 0 and \
	    100 * at_max >= 20 * busy
	o["epsilon"] = eps
	return o


def cross_run(runs):
	runs = [r for r in runs if r.get("shape") != "open"]
	ok = [r for r in runs if r.get("spread") is not None]
	xs = [r["n"] for r in ok]
	ys = [r["spread"] for r in ok]
	fit = ols(xs, ys)
	if fit is None:
		skew = {"fitted": False, "reason": "fewer than two distinct n"}
	else:
		skew = {"fitted": True, "runs": len(ok), "a": fit["a"],
		    "a_stderr": fit["a_stderr"], "b": fit["b"],
		    "b_stderr": fit["b_stderr"], "b_ci95": None, "r2": fit["r2"],
		    "t_quantile": None, "n_reaching_service_time": None}
		if fit["b_stderr"] is not None:
			tq = t_quantile(0.975, len(ok) - 2)
			skew["t_quantile"] = tq
			skew["b_ci95"] = [float(fit["b"]) - tq * fit["b_stderr"],
			    float(fit["b"]) + tq * fit["b_stderr"]]
		Ts = [r["service_time"] for r in ok
		    if r["service_time"] is not None]
		# Null where it has no meaning (contract.md, "Across runs"):
		# b <= 0, two runs, an interval spanning 0, already above T
		# at n = 1.
		ci = skew["b_ci95"]
		if Ts and fit["b"] > 0 and ci is not None and \
		    not (ci[0] <= 0 <= ci[1]) and fit["a"] + fit["b"] < min(Ts):
			skew["n_reaching_service_time"] = \
			    (min(Ts) - fit["a"]) / fit["b"]
	mls = {"fitted": False, "reason": "fewer than two service times"}
	if all(r["service_time"] is not None for r in ok) and \
	    len({r["service_time"] for r in ok}) >= 2:
		mls = multilinear(xs, [r["service_time"] for r in ok], ys)
	return skew, mls


def solve3(A, y):
	"""Gauss-Jordan on a 3x3 system of Fractions; None when singular."""
	M = [list(A[i]) + [y[i]] for i in range(3)]
	for c in range(3):
		p = next((i for i in range(c, 3) if M[i][c] != 0), None)
		if p is None:
			return None
		M[c], M[p] = M[p], M[c]
		for i in range(3):
			if i != c and M[i][c] != 0:
				f = M[i][c] / M[c][c]
				M[i] = [u - f * v for u, v in zip(M[i], M[c])]
	return [M[i][3] / M[i][i] for i in range(3)]


def multilinear(ns, Ts, ys):
	"""spread = a + b n + c T by the normal equations (X'X) beta = X'y,
	solved exactly; standard errors from s^2 (X'X)^-1."""
	m = len(ys)
	if m < 3:
		return {"fitted": False, "reason": "fewer than three runs"}
	X = [[Fraction(1), Fraction(n), Fraction(T)] for n, T in zip(ns, Ts)]
	ys = [Fraction(y) for y in ys]
	XtX = [[sum(row[i] * row[j] for row in X) for j in range(3)]
	    for i in range(3)]
	Xty = [sum(row[i] * y for row, y in zip(X, ys)) for i in range(3)]
	beta = solve3(XtX, Xty)
	if beta is None:
		return {"fitted": False, "reason": "n and T are collinear"}
	a, b, c = beta
	sse = sum((y - a - b * row[1] - c * row[2]) ** 2
	    for row, y in zip(X, ys))
	ybar = sum(ys) / m
	syy = sum((y - ybar) ** 2 for y in ys)
	res = {"fitted": True, "a": a, "b": b, "c": c, "a_stderr": None,
	    "b_stderr": None, "c_stderr": None,
	    "r2": 1 - sse / syy if syy > 0 else None}
	if m > 3:
		s2 = sse / (m - 3)
		for j, key in enumerate(("a_stderr", "b_stderr", "c_stderr")):
			e = [Fraction(int(i == j)) for i in range(3)]
			col = solve3(XtX, e)
			res[key] = math.sqrt(s2 * col[j])
	return res


def usl(ns, ps):
	"""The Universal Scalability Law p(n) = l n / (1 + s (n-1) + k n (n-1))
	fitted by least squares with a plain Levenberg-Marquardt loop in
	floats (analytic Jacobian, 3x3 normal equations solved exactly),
	unconstrained, from l = p/n at the smallest n, s = k = 0.  Standard
	errors from the covariance scaled by the residual variance."""
	m = len(ns)
	if len(set(ns)) < 6:
		return {"fitted": False, "reason": "%d distinct concurrencies; "
		    "6 needed" % len(set(ns))}
	ns = [float(n) for n in ns]
	ps = [float(p) for p in ps]
	i0 = min(range(m), key=lambda i: ns[i])
	x = [ps[i0] / ns[i0], 0.0, 0.0]

	def resid_jac(x):
		lam, sig, kap = x
		r, J = [], []
		for n, p in zip(ns, ps):
			d = 1 + sig * (n - 1) + kap * n * (n - 1)
			f = lam * n / d
			r.append(p - f)
			J.append([n / d, -f * (n - 1) / d, -f * n * (n - 1) / d])
		return r, J

	def sse_of(x):
		r, _ = resid_jac(x)
		return sum(v * v for v in r)

	mu = 1e-3
	cur = sse_of(x)
	for _ in range(2000):
		r, J = resid_jac(x)
		JtJ = [[sum(row[a] * row[b] for row in J) for b in range(3)]
		    for a in range(3)]
		Jtr = [sum(row[a] * v for row, v in zip(J, r)) for a in range(3)]
		improved = False
		while mu < 1e20:
			A = [[Fraction(JtJ[a][b] + (mu * JtJ[a][a] if a == b else 0))
			    for b in range(3)] for a in range(3)]
			step = solve3(A, [Fraction(v) for v in Jtr])
			if step is None:
				mu *= 10
				continue
			nx = [xi + float(si) for xi, si in zip(x, step)]
			new = sse_of(nx)
			if new <= cur:
				improved = True
				small = all(abs(float(si)) <= 1e-14 * (abs(xi) +
				    1e-14) for xi, si in zip(x, step))
				x, cur = nx, new
				mu = max(mu / 10, 1e-15)
				break
			mu *= 10
		if not improved or small:
			break
	r, J = resid_jac(x)
	JtJ = [[Fraction(sum(row[a] * row[b] for row in J)) for b in range(3)]
	    for a in range(3)]
	s2 = cur / (m - 3) if m > 3 else None
	res = {"fitted": True, "lambda": x[0], "sigma": x[1], "kappa": x[2]}
	for j, key in enumerate(("lambda_stderr", "sigma_stderr",
	    "kappa_stderr")):
		col = solve3(JtJ, [Fraction(int(i == j)) for i in range(3)])
		res[key] = None if s2 is None or col is None else \
		    math.sqrt(s2 * float(col[j]))
	pbar = sum(ps) / m
	sst = sum((p - pbar) ** 2 for p in ps)
	res["r2"] = 1 - cur / sst if sst > 0 else None
	res["peak_n"] = math.sqrt((1 - x[1]) / x[2]) if x[2] > 0 and \
	    x[1] < 1 else None
	res["max_measured_n"] = max(ns)
	return res


def traffic(groups, window=None):
	"""The traffic block's windows: every run's pairs by order (the k-th
	start with the k-th end), windows of w from the earliest start,
	[t0 + k w, t0 + (k + 1) w); per window X = the ends in it / w and
	N = the sum of every request's overlap with it / w, both exact
	(integer nanoseconds, Fractions), each request walked over the windows
	it touches.  window: seconds (a Fraction), or None for the default
	rule: the shortest of 1, 10, 60, 300 s that is at least 10 p90
	latencies and gives 30 windows with completions (skew-fit's bound of
	10^6 windows is not modelled).  Windows with nothing in flight and no
	end are idle: counted, not listed."""
	spans = []
	for g in groups:
		st = sorted(e["ns"] for e in g if e["kind"] == "start")
		en = sorted(e["ns"] for e in g if e["kind"] == "end")
		spans += list(zip(st, en))
	if not spans:
		return {"fitted": False, "reason": "no request has both ends"}
	t0 = min(s for s, _ in spans)
	lat = sorted(Fraction(e - s, NS) for s, e in spans)
	p90 = quantile(lat, Fraction(9, 10))
	if window is None:
		for cand in (1, 10, 60, 300):
			w = cand * NS
			if cand < 10 * p90:
				continue
			if len({(e - t0) // w for _, e in spans}) >= 30:
				break
		else:
			return {"fitted": False, "reason": "no default window",
			    "p90": p90}
		given = False
	else:
		w = int(Fraction(window) * NS)
		given = True
	area, done = {}, {}
	for s, e in spans:
		s -= t0
		e -= t0
		done[e // w] = done.get(e // w, 0) + 1
		for k in range(s // w, e // w + 1):
			lo, hi = max(s, k * w), min(e, (k + 1) * w)
			if hi > lo:
				area[k] = area.get(k, 0) + hi - lo
	last = max(e - t0 for _, e in spans) // w
	pts, idle = [], 0
	for k in range(last + 1):
		if k not in area and k not in done:
			idle += 1
			continue
		pts.append([Fraction(area.get(k, 0), w),
		    Fraction(done.get(k, 0) * NS, w)])
	return {"fitted": True, "window": Fraction(w, NS),
	    "window_source": "given" if given else "default",
	    "requests": len(spans), "windows": len(pts),
	    "windows_with_completions": len(done), "idle_windows": idle,
	    "p90": p90, "points": pts}


def parse_list(s, conv):
	return [conv(v) for v in s.split(",")] if s else None


def seconds(s):
	"""A duration: seconds, or a number with ns/us/ms/s/m/h."""
	m = re.fullmatch(r"([0-9]+(?:\.[0-9]*)?)(ns|us|ms|s|m|h)?", s.strip())
	if m is None:
		raise ValueError("bad duration %r" % s)
	unit = {"ns": Fraction(1, NS), "us": Fraction(1, 10 ** 6),
	    "ms": Fraction(1, 1000), "s": 1, "m": 60, "h": 3600,
	    None: 1}[m.group(2)]
	return Fraction(m.group(1)) * unit


def compute(completions, arrivals=(), service_time=None, concurrency=None,
    gap=None, window=None):
	events, skipped = [], 0
	for p in completions:
		ev, sk = read_log(p, "end")
		events += ev
		skipped += sk
	for p in arrivals:
		ev, sk = read_log(p, "start")
		events += ev
		skipped += sk
	events.sort(key=lambda e: (e["ns"], e["src"], e["line"]))
	gap_ns = int(gap * NS) if gap is not None else default_gap_ns(events)
	groups = split_runs(events, gap_ns)
	for name, lst in (("--service-time", service_time),
	    ("--concurrency", concurrency)):
		if lst is not None and len(lst) not in (1, len(groups)):
			raise ValueError("%s has %d values for %d runs" %
			    (name, len(lst), len(groups)))
	runs = []
	for i, g in enumerate(groups):
		T = n = None
		if service_time is not None:
			T = service_time[i if len(service_time) > 1 else 0]
		if concurrency is not None:
			n = concurrency[i if len(concurrency) > 1 else 0]
		runs.append(run_stats(i + 1, g, T, n))
	skew, mls = cross_run(runs)
	pr = [r for r in runs if r.get("parallelism") is not None and
	    r.get("shape") != "open"]
	return {"gap": Fraction(gap_ns, NS), "skipped": skipped, "runs": runs,
	    "skew": skew, "skew_with_service_time": mls,
	    "usl": usl([r["n"] for r in pr], [r["parallelism"] for r in pr]),
	    "traffic": traffic(groups, window)}


def plain(v):
	"""Fractions to floats, recursively, for JSON."""
	if isinstance(v, Fraction):
		return v.numerator if v.denominator == 1 else float(v)
	if isinstance(v, dict):
		return {k: plain(x) for k, x in v.items()}
	if isinstance(v, (list, tuple)):
		return [plain(x) for x in v]
	return v


def selftest():
	"""Checks of the formulas against values worked by hand."""
	assert abs(t_quantile(0.975, 3) - 3.182446305284263) < 1e-12
	assert abs(t_quantile(0.975, 1) - 12.706204736174707) < 1e-9
	assert abs(t_quantile(0.975, 30) - 2.042272456301238) < 1e-12
	f = ols([0, 1, 2, 3], [1, 3, 5, 7])
	assert f["a"] == 1 and f["b"] == 2 and f["sse"] == 0 and f["r2"] == 1
	f = ols([0, 1, 2], [0, 1, 1])
	# Sxx = 2, Sxy = 1: b = 1/2, a = 1/6, residuals 1/6 -1/3 1/6, SSE 1/6
	assert f["b"] == Fraction(1, 2) and f["a"] == Fraction(1, 6)
	assert f["sse"] == Fraction(1, 6)
	assert abs(f["b_stderr"] - math.sqrt(1 / 12)) < 1e-15
	# Against the standard library's own least squares (Python 3.10+),
	# on the article's five runs (n, spread).
	import statistics
	if hasattr(statistics, "linear_regression"):
		xs = [4, 100, 100, 200, 200]
		ys = [0.202623, 5.100159, 5.133317, 10.263887, 10.371266]
		f = ols(xs, [Fraction(str(y)) for y in ys])
		sl, ic = statistics.linear_regression(xs, ys)
		assert abs(float(f["b"]) - sl) < 1e-12
		assert abs(float(f["a"]) - ic) < 1e-9
		assert abs(float(f["r2"]) - statistics.correlation(xs, ys) ** 2) \
		    < 1e-12
	g = multilinear([1, 2, 3, 4], [1, 2, 1, 2], [1 + 2 + 3, 1 + 4 + 6,
	    1 + 6 + 3, 1 + 8 + 6])
	assert (g["a"], g["b"], g["c"]) == (1, 2, 3), g
	assert quantile([1, 2, 3, 4], Fraction(1, 2)) == Fraction(5, 2)
	# USL: exact data from known parameters come back.
	nn = [1, 2, 4, 8, 16, 32, 64]
	u = usl(nn, [0.9 * n / (1 + 0.05 * (n - 1) + 0.001 * n * (n - 1))
	    for n in nn])
	assert abs(u["lambda"] - 0.9) < 1e-9 and abs(u["sigma"] - 0.05) < \
	    1e-9 and abs(u["kappa"] - 0.001) < 1e-11, u
	assert abs(u["peak_n"] - math.sqrt(0.95 / 0.001)) < 1e-6
	assert not usl([1, 2, 4, 8, 16], [1, 2, 4, 8, 16])["fitted"]
	# Open traffic (tests/stats.c works these out by hand): a FIFO pool
	# of 4, 40 requests 10 ms apart, 100 ms each; then alternating 10 ms
	# and 200 ms requests 50 ms apart; then one at a time, 30 ms apart.
	ms = 10 ** 6
	pool = [(10 * i * ms, ((10 * i if i < 4 else 100 * (i // 4) +
	    10 * (i % 4)) + 100) * ms) for i in range(40)]
	o = open_stats(pool, [], 0, 1030 * ms, Fraction(1, 10), 3)
	assert (o["max_inflight"], o["waited"]["n"], o["pool_size"],
	    o["verdict"]) == (28, 36, 4, "partial")
	assert o["waited"]["wait_p50"] == Fraction(3, 10)
	assert o["throughput"] == Fraction(40, 1) / Fraction(103, 100)
	alt = [(150 * i * ms, (150 * i + (10 if i % 2 else 200)) * ms)
	    for i in range(40)]
	o = open_stats(alt, [], 0, 5860 * ms, Fraction(1, 100), 3)
	assert (o["waited"]["n"], o["pool_size"], o["verdict"]) == \
	    (20, None, "unknown")
	# A FIFO queue before k workers of S ms, each arrival stamped 18 ms
	# before the server sees it (tests/stats.c, test_open_overhead): T =
	# S + 18, and by overlap alone one worker looks like 2.
	def fifo(k, S, o):
		a, free, out = 0, [0] * k, []
		for i in range(60):
			a += 5 + 7 * i % 11
			w = free.index(min(free))
			st = max(a + o, free[w])
			free[w] = st + S
			out.append((a * ms, (st + S) * ms))
		return out
	for k, S, o, pool, v in ((1, 50, 18, 1, "serialized"),
	    (4, 100, 18, 4, "partial"), (1, 50, 0, 1, "serialized"),
	    (4, 100, 0, 4, "partial")):
		p = fifo(k, S, o)
		o_ = open_stats(p, [], 0, max(b for _, b in p),
		    Fraction(S + o, 1000), 3)
		assert (o_["pool_size"], o_["verdict"]) == (pool, v), (k, o, o_)
	assert implied_pool(fifo(1, 50, 18), 2) == 1
	apart = [(130 * i * ms, (130 * i + 100) * ms) for i in range(20)]
	o = open_stats(apart, [], 0, 2570 * ms, Fraction(1, 10), 3)
	assert (o["max_inflight"], o["verdict"]) == (1, "unknown")
	assert waves_of([4, 4, 4, 4]) == (4, 4)
	assert waves_of([40, 24]) == (2, 40)
	assert waves_of([3]) == (1, None)
	# Timestamps: the article's no-fraction quirk, comma fractions,
	# nanoseconds, a leap second as the next minute's first instant.
	assert ts_ns(("1970", "01", "02", "00", "00", "00", None)) == \
	    (86400 * NS, "1970-01-02T00:00:00Z", 0)
	assert ts_ns(("2023", "11", "01", "23", "10", "04", "806247"))[0] == \
	    1698880204806247000
	assert ts_ns(("2016", "12", "31", "23", "59", "60", "5"))[0] == \
	    ts_ns(("2017", "01", "01", "00", "00", "00", "5"))[0]
	# Degenerate logs: empty, one line, equal times, junk lines.
	import tempfile
	import os
	with tempfile.TemporaryDirectory() as d:
		def log(name, text):
			path = os.path.join(d, name)
			with open(path, "w") as f:
				f.write(text)
			return path
		doc = compute([log("empty", "")])
		assert doc["runs"] == [] and not doc["skew"]["fitted"]
		doc = compute([log("one", "1: 2: 2023-11-01 23:10:05\n")])
		r = doc["runs"][0]
		assert (r["n"], r["spread"], r["stagger"], r["verdict"]) == \
		    (1, 0, None, "unknown")
		doc = compute([log("same", "1: 2: 2023-11-01 23:10:05\n"
		    "1: 3: 2023-11-01 23:10:05\n")], service_time=[1])
		r = doc["runs"][0]
		assert (r["spread"], r["serialization"], r["verdict"],
		    r["tids"]) == (0, 0, "parallel", 2), r
		doc = compute([log("junk", "INFO: banner\n\n"
		    "1: 2: 2023-11-01 23:10:05\n1: 3: 2023-11-01 23:10:05,5\n")],
		    service_time=[Fraction(1, 2)])
		r = doc["runs"][0]
		assert doc["skipped"] == 1 and r["spread"] == Fraction(1, 2)
		assert r["serialization"] == 1 and r["verdict"] == "serialized"
		# A serialized server: 5 requests 1 s apart, starts known.
		starts = "".join("2023-11-01 00:00:%02d\n" % i for i in range(5))
		ends = "".join("1: 1: 2023-11-01 00:00:%02d\n" % (i + 1)
		    for i in range(5))
		doc = compute([log("s.end", ends)], [log("s.start", starts)])
		assert len(doc["runs"]) == 1, "in flight: no split at 1 s gaps"
		r = doc["runs"][0]
		assert r["service_time"] == 1 and r["service_time_source"] == \
		    "latency"
		assert r["verdict"] == "serialized" and r["max_inflight"] == 1
		# Two runs 5 s apart split; 1 s gaps inside do not.
		doc = compute([log("two", "1: 1: 2023-11-01 00:00:00\n"
		    "1: 1: 2023-11-01 00:00:01\n1: 1: 2023-11-01 00:00:06\n")])
		assert [r["n"] for r in doc["runs"]] == [2, 1]
		# Traffic: the serialized server above, 1 s requests back to
		# back from 00:00:00, windows of 1 s: window 0 holds one
		# request whole (N = 1) and no end (the end at 1 s belongs to
		# window 1), windows 1..4 N = 1 and one end, window 5 the last
		# end and nothing in flight.
		doc = compute([log("s.end", ends)], [log("s.start", starts)],
		    window=1)
		t = doc["traffic"]
		assert t["points"] == [[1, 0], [1, 1], [1, 1], [1, 1], [1, 1],
		    [0, 1]], t
		assert t["idle_windows"] == 0 and t["requests"] == 5
		# Requests of 500 ms every second, windows of 2 s: N = 1/2 and
		# X = 1/s in each.
		st = "".join("2023-11-01 00:00:%02d\n" % i for i in range(4))
		en = "".join("1: 1: 2023-11-01 00:00:%02d.5\n" % i
		    for i in range(4))
		t = compute([log("h.end", en)], [log("h.start", st)],
		    window=2)["traffic"]
		assert t["points"] == [[Fraction(1, 2), 1], [Fraction(1, 2),
		    1]], t
		# The default rule: 5 requests over 5 s give 6 windows of 1 s
		# with ends at most; fewer than 30.
		assert not compute([log("s.end", ends)],
		    [log("s.start", starts)])["traffic"]["fitted"]


def main():
	ap = argparse.ArgumentParser(
	    description="independent reference statistics for skew-fit")
	ap.add_argument("completions", nargs="*")
	ap.add_argument("--arrivals", action="append", default=[])
	ap.add_argument("--service-time", help="seconds, one or one per run")
	ap.add_argument("--concurrency", help="true n, one or one per run")
	ap.add_argument("--gap", help="run gap (default: from the data)")
	ap.add_argument("--window", help="the traffic's windows (default: "
	    "the rule)")
	ap.add_argument("--selftest", action="store_true")
	args = ap.parse_args()
	if args.selftest:
		selftest()
		print("ref_fit selftest: ok")
		return 0
	if not args.completions:
		ap.error("no completions log")
	try:
		doc = compute(args.completions, args.arrivals,
		    parse_list(args.service_time, seconds),
		    parse_list(args.concurrency, int),
		    seconds(args.gap) if args.gap else None,
		    seconds(args.window) if args.window else None)
	except (ValueError, OSError) as e:
		print("ref_fit.py: %s" % e, file=sys.stderr)
		return 2
	json.dump(plain(doc), sys.stdout, indent=1)
	print()
	return 0


if __name__ == "__main__":
	sys.exit(main())
