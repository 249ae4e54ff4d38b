#!/usr/bin/env python3
"""A small HTTP server that behaves like the article's app, for skew's tests.

Each request logs its arrival to the arrivals log as a bare timestamp, blocks
for a fixed service time, then logs `PID: TID: TIMESTAMP` to the completions
log: exactly the article's format, TIMESTAMP being Python's
str(datetime.utcnow()) (no fraction at all when the microsecond is 0).

Modes say how requests share the server:
  threading   one thread per connection (ThreadingHTTPServer): parallel
  single      one request at a time (HTTPServer): serialized
  pool        handler threads hand the work to a ThreadPoolExecutor of
              --workers k and wait for it: requests complete in waves of k

It listens on 127.0.0.1, port 0 unless --port, prints the port on stdout and
writes it to --port-file (atomically, so a test can poll for the file).  It
stops by itself after --max-requests requests or --lifetime seconds,
whichever comes first; a test also kills it by pid.
"""

import argparse
import concurrent.futures
import datetime
import http.server
import os
import sys
import threading
import time


def utc_now_str():
	"""str() of a naive UTC datetime, as the article's datetime.utcnow()
	printed it; utcnow() itself is deprecated from Python 3.12."""
	now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
	return str(now)


class Logs:
	"""The two logs, one lock: lines never interleave, each is flushed."""

	def __init__(self, arrivals, completions):
		self.lock = threading.Lock()
		self.arr = open(arrivals, "a", encoding="ascii") if arrivals else None
		self.comp = open(completions, "a", encoding="ascii")

	def arrival(self):
		if self.arr is None:
			return
		with self.lock:
			self.arr.write(utc_now_str() + "\n")
			self.arr.flush()

	def completion(self):
		with self.lock:
			self.comp.write("%d: %d: %s\n" % (os.getpid(),
			    threading.get_ident(), utc_now_str()))
			self.comp.flush()

	def close(self):
		with self.lock:
			if self.arr is not None:
				self.arr.close()
			self.comp.close()


def make_handler(state):
	class Handler(http.server.BaseHTTPRequestHandler):
		# HTTP/1.0: one request per connection, closed after the
		# response, so a client's completion is one request's.
		protocol_version = "HTTP/1.0"

		def log_message(self, fmt, *args):
			# The default writes a line per request to stderr.
			pass

		def do_GET(self):
			state.logs.arrival()
			if state.pool is not None:
				# The handler thread waits on the pool, as a web
				# app waits on a bounded worker pool.
				state.pool.submit(work, state).result()
			else:
				work(state)
			body = b"ok\n"
			self.send_response(200)
			self.send_header("Content-Type", "text/plain")
			self.send_header("Content-Length", str(len(body)))
			self.end_headers()
			self.wfile.write(body)
			self.wfile.flush()
			state.done_one()

	return Handler


def work(state):
	time.sleep(state.service_time)
	state.logs.completion()


class State:
	def __init__(self, args):
		self.service_time = args.service_time
		self.logs = Logs(args.arrivals, args.completions)
		self.pool = None
		if args.mode == "pool":
			self.pool = concurrent.futures.ThreadPoolExecutor(
			    max_workers=args.workers)
			# The executor starts its threads lazily, one per
			# submit; on a busy machine the first wave would then
			# start staggered by thread creation.  Start all k
			# now: k tasks that wait for each other need k threads.
			ready = threading.Barrier(args.workers)
			for f in [self.pool.submit(ready.wait)
			    for _ in range(args.workers)]:
				f.result()
		self.max_requests = args.max_requests
		self.count = 0
		self.count_lock = threading.Lock()
		self.server = None

	def done_one(self):
		with self.count_lock:
			self.count += 1
			last = self.max_requests and self.count == self.max_requests
		if last:
			# shutdown() waits for serve_forever() to return, so it
			# must not run on the thread serving (single mode).
			threading.Thread(target=self.server.shutdown,
			    daemon=True).start()


def announce(port_file, port):
	"""The port on stdout, and in port_file (atomically) if given."""
	if port_file:
		tmp = port_file + ".tmp"
		with open(tmp, "w") as f:
			f.write("%d\n" % port)
		os.rename(tmp, port_file)
	print(port, flush=True)


def serve_until(srv, lifetime):
	"""Serve until shut down, or lifetime seconds at most; then close."""
	timer = threading.Timer(lifetime, srv.shutdown)
	timer.daemon = True
	timer.start()
	try:
		srv.serve_forever(poll_interval=0.05)
	except KeyboardInterrupt:
		pass
	timer.cancel()
	srv.server_close()


def main():
	ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	ap.add_argument("--mode", choices=("threading", "single", "pool"),
	    default="threading")
	ap.add_argument("--workers", type=int, default=4,
	    help="pool size for --mode pool (default 4)")
	ap.add_argument("--service-time", type=float, default=0.2,
	    help="seconds each request blocks (default 0.2)")
	ap.add_argument("--completions", required=True,
	    help="log of `PID: TID: TIMESTAMP` completion lines")
	ap.add_argument("--arrivals", help="log of bare arrival timestamps")
	ap.add_argument("--port", type=int, default=0)
	ap.add_argument("--port-file", help="write the port here")
	ap.add_argument("--max-requests", type=int, default=0,
	    help="stop after this many requests (0: no limit)")
	ap.add_argument("--lifetime", type=float, default=120.0,
	    help="stop after this many seconds whatever happens (default 120)")
	ap.add_argument("--backlog", type=int, default=256,
	    help="listen backlog (default 256: at least 2N; the default 5 "
	    "overflows and retransmitted SYNs fake one-second gaps)")
	args = ap.parse_args()
	if args.mode == "pool" and args.workers < 1:
		ap.error("--workers must be at least 1")

	state = State(args)
	base = (http.server.HTTPServer if args.mode == "single"
	    else http.server.ThreadingHTTPServer)

	class Server(base):
		request_queue_size = args.backlog
		allow_reuse_address = True
		daemon_threads = True

	srv = Server(("127.0.0.1", args.port), make_handler(state))
	state.server = srv
	announce(args.port_file, srv.server_address[1])

	serve_until(srv, args.lifetime)
	if state.pool is not None:
		state.pool.shutdown(wait=True)
	state.logs.close()
	return 0


if __name__ == "__main__":
	sys.exit(main())
