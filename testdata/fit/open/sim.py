#!/usr/bin/env python3
"""Synthetic open-traffic access logs for skew's golden cases: Poisson
arrivals (seeded), one `END DURATION GET /` line a request (nginx's $msec
$request_time), DIG fraction digits (environment; default 6).

  sim.py KIND RATE N WORKERS T SEED

KIND: pool (a FIFO pool of WORKERS, arrival stamped by the client),
tpr (a thread per request), single_stamp (one worker stamping arrival when
service starts), cpu (latency T (1 + requests in flight)), ps (one CPU
shared by every request in flight, work T each: processor sharing), mix
(half T, half 50 T, no limit).  Service times are T (1 + 2 % noise).
"""
import heapq
import os
import random
import sys

kind, rate, n, k, T, seed = (sys.argv[1], float(sys.argv[2]),
    int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]))
random.seed(seed)
t = 1700000000.0
reqs = []
free = [t] * k
for i in range(n):
	t += random.expovariate(rate)
	svc = T * (1 + 0.02 * random.random())
	if kind == "pool":
		w = heapq.heappop(free)
		st = max(t, w) + 0.0003 * random.random()
		e = st + svc
		heapq.heappush(free, e)
		reqs.append((t, e))
	elif kind == "tpr":
		reqs.append((t, t + svc))
	elif kind == "single_stamp":
		w = heapq.heappop(free)
		st = max(t, w)
		e = st + svc
		heapq.heappush(free, e)
		reqs.append((st, e))
	elif kind == "cpu":
		inflight = sum(1 for (a, b) in reqs if b > t)
		reqs.append((t, t + svc * (1 + inflight)))
	elif kind == "mix":
		s2 = svc if random.random() < 0.5 else svc * 50
		reqs.append((t, t + s2))
	elif kind == "ps":
		reqs.append((t, svc))
if kind == "ps":
	# Processor sharing: n in flight each progress at 1/n, event by event.
	done, active, now, i = [], {}, reqs[0][0], 0
	while i < len(reqs) or active:
		nxt = reqs[i][0] if i < len(reqs) else float("inf")
		if active:
			j = min(active, key=lambda x: active[x])
			fin = now + active[j] * len(active)
		else:
			fin = float("inf")
		t1 = min(nxt, fin)
		if active:
			dw = (t1 - now) / len(active)
			for x in active:
				active[x] -= dw
		now = t1
		if fin <= nxt:
			del active[j]
			done.append((reqs[j][0], now))
		else:
			active[i] = reqs[i][1]
			i += 1
	reqs = done
d = int(os.environ.get("DIG", "6"))
for (a, e) in reqs:
	print("%.*f %.*f GET /" % (d, e, d, e - a))
