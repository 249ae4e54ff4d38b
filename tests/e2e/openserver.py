#!/usr/bin/env python3
"""An HTTP server for skew's open-traffic tests: four ways of sharing work,
routes of different service times, and the access logs servers write.

Each request GET /ROUTE?id=K blocks for the service time of ROUTE (--route
/fast=0.002, repeatable; any other path: --service-time), then answers 200.
The handler stamps the request's arrival when it starts and its end when
the work is done, and writes, per request:
  arrivals.log     ISO-TIME id=K route=/R       the handler's arrival stamp
  completions.log  PID: TID: ISO-TIME id=K route=/R   the end (the
                   article's PID: TID: TIMESTAMP, with the id after it)
  nginx.log        $msec $request_time $remote_addr "$request" $status
                   (end time and duration at millisecond resolution, as
                   nginx writes them; read with skew-parse -f nginx-timed)
  apache.log       %{sec}t.%{usec_frac}t %D "%r" %>s  (arrival time and
                   duration in microseconds, as Apache writes them; read
                   with an -e pattern, --dur-unit us, --kind start)
All times come from one clock (time.time()), so the logs nest exactly.

Modes say how requests share the server:
  threading  one thread per connection (ThreadingHTTPServer)
  pool       handler threads hand the work to a ThreadPoolExecutor of
             --workers k and wait for it: at most k served at once; the
             arrival stamp is taken before the wait, so the queue shows
  single     one request at a time (HTTPServer): the next connection waits
             in the listen backlog, before the handler stamps its arrival,
             so the server's own logs show requests back to back and the
             queue shows only against the client's arrival log
  asyncio    one thread, an asyncio event loop, `await asyncio.sleep`

It listens on 127.0.0.1 (port 0 unless --port), writes the port to
--port-file (atomically) and stops by itself after --lifetime seconds; a
test stops it by pid.
"""

import argparse
import asyncio
import concurrent.futures
import datetime
import http.server
import os
import sys
import threading
import time

import server  # announce(), serve_until(), from tests/e2e/server.py beside this file


def iso(t):
	return datetime.datetime.fromtimestamp(t, datetime.timezone.utc) \
	    .strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Logs:
	"""The four logs, one lock: lines never interleave, each is flushed."""

	def __init__(self, d):
		self.lock = threading.Lock()
		self.f = {k: open(os.path.join(d, k + ".log"), "a",
		    encoding="ascii") for k in ("arrivals", "completions",
		    "nginx", "apache")}

	def request(self, t0, t1, tid, rid, route, line, status=200):
		us0 = int(round(t0 * 1e6))
		us1 = int(round(t1 * 1e6))
		ms1 = int(round(t1 * 1e3))
		lines = {
		    "arrivals": "%s id=%s route=%s\n" % (iso(t0), rid, route),
		    "completions": "%d: %d: %s id=%s route=%s\n" % (
			os.getpid(), tid, iso(t1), rid, route),
		    # nginx: $msec is the end, $request_time ms resolution.
		    "nginx": "%d.%03d %.3f 127.0.0.1 \"%s\" %d\n" % (
			ms1 // 1000, ms1 % 1000, (us1 - us0) / 1e6, line,
			status),
		    # Apache: %{sec}t.%{usec_frac}t is the arrival, %D in us.
		    "apache": "%d.%06d %d \"%s\" %d\n" % (us0 // 1000000,
			us0 % 1000000, us1 - us0, line, status),
		}
		with self.lock:
			for k, v in lines.items():
				self.f[k].write(v)
				self.f[k].flush()

	def close(self):
		with self.lock:
			for f in self.f.values():
				f.close()


def parse_target(target, routes, default):
	path, _, query = target.partition("?")
	rid = "-"
	for kv in query.split("&"):
		k, _, v = kv.partition("=")
		if k == "id" and v:
			rid = v
	return path, rid, routes.get(path, default)


def answer(route):
	body = ("ok %s\n" % route).encode("ascii")
	return body


def run_threads(args, logs, routes):
	pool = None
	if args.mode == "pool":
		pool = concurrent.futures.ThreadPoolExecutor(
		    max_workers=args.workers)
		# Start all k threads now (the executor starts them lazily).
		ready = threading.Barrier(args.workers)
		for f in [pool.submit(ready.wait)
		    for _ in range(args.workers)]:
			f.result()

	def work(t):
		time.sleep(t)
		return threading.get_ident()

	class Handler(http.server.BaseHTTPRequestHandler):
		protocol_version = "HTTP/1.0"

		def log_message(self, fmt, *a):
			pass

		def do_GET(self):
			t0 = time.time()
			route, rid, st = parse_target(self.path, routes,
			    args.service_time)
			if pool is not None:
				tid = pool.submit(work, st).result()
			else:
				tid = work(st)
			t1 = time.time()
			logs.request(t0, t1, tid, rid, route,
			    self.requestline)
			body = answer(route)
			self.send_response(200)
			self.send_header("Content-Length", str(len(body)))
			self.end_headers()
			self.wfile.write(body)
			self.wfile.flush()

	base = (http.server.HTTPServer if args.mode == "single"
	    else http.server.ThreadingHTTPServer)

	class Server(base):
		request_queue_size = 1024
		allow_reuse_address = True
		daemon_threads = True

	srv = Server(("127.0.0.1", args.port), Handler)
	server.announce(args.port_file, srv.server_address[1])
	server.serve_until(srv, args.lifetime)
	if pool is not None:
		pool.shutdown(wait=True)


async def serve_asyncio(args, logs, routes):
	tid = threading.get_ident()

	async def handle(reader, writer):
		try:
			head = await reader.readuntil(b"\r\n\r\n")
		except (asyncio.IncompleteReadError, ConnectionError):
			writer.close()
			return
		t0 = time.time()
		line = head.split(b"\r\n", 1)[0].decode("ascii", "replace")
		parts = line.split(" ")
		target = parts[1] if len(parts) > 1 else "/"
		route, rid, st = parse_target(target, routes,
		    args.service_time)
		await asyncio.sleep(st)
		t1 = time.time()
		logs.request(t0, t1, tid, rid, route, line)
		body = answer(route)
		writer.write(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n"
		    % len(body) + body)
		try:
			await writer.drain()
		except ConnectionError:
			pass
		writer.close()

	srv = await asyncio.start_server(handle, "127.0.0.1", args.port,
	    backlog=1024)
	server.announce(args.port_file, srv.sockets[0].getsockname()[1])
	async with srv:
		try:
			await asyncio.wait_for(srv.serve_forever(),
			    args.lifetime)
		except asyncio.TimeoutError:
			pass


def main():
	ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	ap.add_argument("--mode", choices=("threading", "pool", "single",
	    "asyncio"), default="threading")
	ap.add_argument("--workers", type=int, default=4)
	ap.add_argument("--service-time", type=float, default=0.2,
	    help="seconds a request of any other route blocks")
	ap.add_argument("--route", action="append", default=[],
	    help="PATH=SECONDS, repeatable")
	ap.add_argument("--logs", required=True, help="directory of the logs")
	ap.add_argument("--port", type=int, default=0)
	ap.add_argument("--port-file")
	ap.add_argument("--lifetime", type=float, default=60.0)
	args = ap.parse_args()
	routes = {}
	for r in args.route:
		p, _, s = r.partition("=")
		routes[p] = float(s)
	if args.workers < 1:
		ap.error("--workers must be at least 1")
	logs = Logs(args.logs)
	try:
		if args.mode == "asyncio":
			asyncio.run(serve_asyncio(args, logs, routes))
		else:
			run_threads(args, logs, routes)
	except KeyboardInterrupt:
		pass
	logs.close()
	return 0


if __name__ == "__main__":
	sys.exit(main())
