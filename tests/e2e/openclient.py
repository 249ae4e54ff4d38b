#!/usr/bin/env python3
"""An open-loop client: requests arrive on their own schedule, whatever the
server is doing (Poisson arrivals, a fixed seed).

Arrival times are drawn first (exponential gaps of mean 1/--rate from
random.Random(--seed)); at each one a new thread opens its own connection,
sends GET /ROUTE?id=K and reads the response to its end.  At most -n
requests and none after --max-time seconds; every request is bounded by
--timeout.  Routes: --route /fast=0.5 (repeatable: a path and its share,
drawn with the same seed), else /.

Writes the client's arrival log to --arrivals (one line a request, in
arrival order: `ISO-TIME id=K route=/R`, the time stamped just before
connecting, on the wall clock the server's logs use), and prints one JSON
object on stdout:
  {"n": sent, "ok": 200 responses, "failed": [...reasons],
   "mean_inflight": sum of latencies / (last end - first arrival),
   "max_inflight": the most requests open at once, "elapsed": ...,
   "rate": offered rate, "first": ..., "last": ... (epoch seconds),
   "slow": responses slower than --slow seconds (null without it)}
latencies and elapsed on the monotonic clock.  Exit 0 when every request
succeeded, 1 otherwise.
"""

import argparse
import datetime
import json
import random
import socket
import sys
import threading
import time


def iso(t):
	return datetime.datetime.fromtimestamp(t, datetime.timezone.utc) \
	    .strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def one(k, route, port, timeout, res):
	"""One request on its own connection; res[k] = (ok, mono0, mono1,
	wall0, why)."""
	wall0, mono0 = time.time(), time.monotonic()
	why = None
	try:
		with socket.create_connection(("127.0.0.1", port),
		    timeout=timeout) as s:
			s.sendall(("GET %s?id=%d HTTP/1.0\r\nHost: 127.0.0.1"
			    "\r\n\r\n" % (route, k)).encode("ascii"))
			data = b""
			while True:
				c = s.recv(65536)
				if not c:
					break
				data += c
		if not data.startswith(b"HTTP/1.0 200"):
			why = "status %r" % data.split(b"\r\n", 1)[0]
	except OSError as e:
		why = "%s: %s" % (type(e).__name__, e)
	res[k] = (why is None, mono0, time.monotonic(), wall0, why)


def main():
	ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	ap.add_argument("-n", type=int, required=True)
	ap.add_argument("--rate", type=float, required=True,
	    help="mean arrivals per second")
	ap.add_argument("--seed", type=int, default=1)
	ap.add_argument("--max-time", type=float, default=20.0)
	ap.add_argument("--timeout", type=float, default=20.0)
	ap.add_argument("--route", action="append", default=[],
	    help="PATH=SHARE, repeatable")
	ap.add_argument("--slow", type=float, default=0.0,
	    help="count the responses slower than this many seconds")
	ap.add_argument("--slow-route", action="append", default=[],
	    help="PATH=SECONDS, repeatable: count that route's responses "
	    "slower than this (slow_by_route)")
	ap.add_argument("--id-base", type=int, default=0,
	    help="first request id (distinct ids across phases)")
	ap.add_argument("--port", type=int)
	ap.add_argument("--port-file")
	ap.add_argument("--arrivals", required=True)
	args = ap.parse_args()
	if not 1 <= args.n <= 5000 or args.rate <= 0:
		ap.error("-n must be 1..5000 and --rate positive")
	port = args.port
	if port is None:
		with open(args.port_file) as f:
			port = int(f.read())
	rng = random.Random(args.seed)
	routes = []
	for r in args.route:
		p, _, s = r.partition("=")
		routes.append((p, float(s)))
	total = sum(s for _, s in routes)
	plan, t = [], 0.0
	for i in range(args.n):
		if i:
			t += rng.expovariate(args.rate)
		if t > args.max_time:
			break
		route = "/"
		if routes:
			u, acc = rng.random() * total, 0.0
			for p, s in routes:
				acc += s
				route = p
				if u < acc:
					break
		plan.append((t, route))

	res = {}
	threads = []
	base = time.monotonic()
	for i, (at, route) in enumerate(plan):
		d = base + at - time.monotonic()
		if d > 0:
			time.sleep(d)
		th = threading.Thread(target=one, args=(args.id_base + i, route,
		    port, args.timeout, res), daemon=True)
		th.start()
		threads.append(th)
	deadline = time.monotonic() + args.timeout + 1
	for th in threads:
		th.join(max(0.0, deadline - time.monotonic()))

	ids = [args.id_base + i for i in range(len(plan))]
	got = [(k, res[k]) for k in ids if k in res]
	with open(args.arrivals, "a", encoding="ascii") as f:
		for (k, r), (_, route) in zip(got, plan):
			f.write("%s id=%d route=%s\n" % (iso(r[3]), k, route))
	ok = [r for _, r in got if r[0]]
	slow_by_route = {}
	for sr in args.slow_route:
		path, _, lim = sr.partition("=")
		slow_by_route[path] = sum(1 for (_, r), (_, route) in
		    zip(got, plan) if r[0] and route == path and
		    r[2] - r[1] > float(lim))
	failed = [r[4] for _, r in got if not r[0]]
	failed += ["no answer in time"] * (len(plan) - len(got))
	out = {"n": len(plan), "ok": len(ok), "failed": failed[:10],
	    "rate": args.rate, "mean_inflight": None, "max_inflight": None,
	    "elapsed": None, "first": None, "last": None,
	    "slow": sum(1 for r in ok if r[2] - r[1] > args.slow)
	    if args.slow > 0 else None, "slow_by_route": slow_by_route}
	if ok:
		t0 = min(r[1] for r in ok)
		t1 = max(r[2] for r in ok)
		ev = sorted([(r[1], 1) for r in ok] + [(r[2], -1) for r in ok])
		cur = top = 0
		for _, s in ev:
			cur += s
			top = max(top, cur)
		out.update(elapsed=t1 - t0, max_inflight=top,
		    mean_inflight=sum(r[2] - r[1] for r in ok) / (t1 - t0)
		    if t1 > t0 else None,
		    first=min(r[3] for r in ok),
		    last=min(r[3] for r in ok) + (t1 - t0))
	print(json.dumps(out), flush=True)
	return 0 if len(ok) == len(plan) else 1


if __name__ == "__main__":
	sys.exit(main())
