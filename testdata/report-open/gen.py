#!/usr/bin/env python3
"""Write access.log: a day's access log in miniature, open traffic in 16
spells of 20 s with 60 s of silence between them, for skew-report's tests
of open runs (one run a spell: many runs that say the same thing).

Simulated (no server ran), random.Random(7).  Arrivals are Poisson.
Spells 1-13: 8 requests/s to a thread per request (no queue), each
needing 40 ms plus an exponential of mean 3 ms: parallel, a few in
flight.  Spells 14-16: 20, 25 and 30 requests/s to a pool of 2 workers
served in arrival order (FIFO), 50 ms plus an exponential of mean 5 ms
each: the pool queues.  Each line is nginx's `$msec $request_time
$request` (the nginx-timed preset): the end time in seconds with
milliseconds, the latency in seconds with milliseconds (arrival to end,
both rounded to the millisecond first), in end-time order, from
2023-11-01T12:00:00Z.
Usage: python3 gen.py > access.log"""
import heapq
import random

rng = random.Random(7)
BASE = 1698840000  # 2023-11-01T12:00:00Z
lines = []
for k in range(16):
	start = k * 80.0
	pool = k >= 13
	rate = [20, 25, 30][k - 13] if pool else 8
	free = [0.0, 0.0]
	t = start
	while True:
		t += rng.expovariate(rate)
		if t >= start + 20:
			break
		if pool:
			s = max(t, heapq.heappop(free))
			e = s + 0.050 + rng.expovariate(1 / 0.005)
			heapq.heappush(free, e)
		else:
			e = t + 0.040 + rng.expovariate(1 / 0.003)
		a_ms = round(t * 1000)
		e_ms = round(e * 1000)
		lines.append((e_ms, e_ms - a_ms, "/api/%d" % (k % 3)))
for e_ms, d_ms, path in sorted(lines):
	print("%d.%03d %d.%03d GET %s" % (BASE + e_ms // 1000, e_ms % 1000,
	    d_ms // 1000, d_ms % 1000, path))
