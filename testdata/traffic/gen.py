#!/usr/bin/env python3
"""Write server.log and api.log: open traffic through a pool of 4 workers,
simulated (no server ran), for the traffic block's tests.

Arrivals are Poisson (random.Random(11)) in seven phases of 8 s at 4, 8,
16, 30, 45, 60 and 72 requests/s, with a pause of 3 s after the fourth;
each request needs an exponential service time of mean 50 ms (at least
5 ms), rounded to the microsecond, and is served by the first of 4
workers to be free, in arrival order (FIFO).  The pool serves 80/s at
most, so the last phases queue.  server.log has one `PID: TID: TIME`
completion a line (TID the worker), api.log one arrival TIME a line, both
in time order, times at microsecond resolution from 2023-11-01T12:00:00.
Usage: python3 gen.py DIR (writes DIR/server.log and DIR/api.log)."""
import datetime
import heapq
import os
import random
import sys

US = 10 ** 6
base = datetime.datetime(2023, 11, 1, 12, 0, 0)
rng = random.Random(11)
rates = [4, 8, 16, 30, 45, 60, 72]
arrivals = []
t = 0.0
for k, rate in enumerate(rates):
	start = k * 8 + (3 if k >= 4 else 0)
	t = max(t, start)
	while True:
		t += rng.expovariate(rate)
		if t >= start + 8:
			break
		arrivals.append(round(t * US))
free = [(0, w) for w in range(1, 5)]
done = []
for a in arrivals:
	at, w = heapq.heappop(free)
	s = max(a, at)
	e = s + max(5000, round(rng.expovariate(1 / 0.05) * US))
	done.append((e, w))
	heapq.heappush(free, (e, w))


def iso(us):
	return (base + datetime.timedelta(microseconds=us)).strftime(
	    "%Y-%m-%d %H:%M:%S.%f")


out = sys.argv[1]
with open(os.path.join(out, "api.log"), "w") as f:
	for a in arrivals:
		f.write(iso(a) + "\n")
with open(os.path.join(out, "server.log"), "w") as f:
	for e, w in sorted(done):
		f.write("4242: %d: %s\n" % (w, iso(e)))
