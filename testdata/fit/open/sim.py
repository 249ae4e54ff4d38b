#!/usr/bin/env python3
"""Synthetic open-traffic access logs for skew's golden cases: Poisson
arrivals (seeded), one `END DURATION GET /` line a request (nginx's $msec
$request_time), DIG fraction digits (environment; default 6).

  sim.py KIND RATE N WORKERS T SEED

KIND: pool (a FIFO pool of WORKERS, arrival stamped by the client),
tpr (a thread per request), single_stamp (one worker stamping arrival when
service starts), cpu (latency T (1 + requests in flight)), mix (half T,
half 50 T, no limit).  Service times are T (1 + 2 % noise).
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
d = int(os.environ.get("DIG", "6"))
for (a, e) in reqs:
	print("%.*f %.*f GET /" % (d, e, d, e - a))
