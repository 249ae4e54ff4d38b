#!/usr/bin/env python3
"""Fire N GET requests at once and measure the completion spread.

Every request has its own thread and connection.  The connections are opened
first; then all threads meet at a Barrier and send their request line at the
same moment, so the server sees N requests as simultaneously as a client can
make them.  Then one thread waits on every socket at once and records when
each response ended (its Content-Length bytes of body in, or EOF) on the
client's clock.

Prints one JSON object on stdout:
  {"n": N, "ok": how many got a 200, "failed": [...reasons],
   "spread": last - first completion (s, monotonic clock),
   "first": ..., "last": ... (epoch seconds, wall clock)}
Exit 0 when every request succeeded, 1 otherwise.
"""

import argparse
import json
import selectors
import socket
import sys
import threading
import time


def one(i, host, port, barrier, timeout, out, socks):
	"""Connect, wait for the others, send.  The response is read by the
	main thread (below), not here."""
	try:
		s = socket.create_connection((host, port), timeout=timeout)
	except OSError as e:
		out[i] = ("error", "connect: %s" % e)
		try:
			barrier.abort()
		except threading.BrokenBarrierError:
			pass
		return
	try:
		barrier.wait(timeout)
		s.sendall(("GET /%d HTTP/1.0\r\nHost: %s\r\n\r\n"
		    % (i, host)).encode("ascii"))
		socks[i] = s
	except (OSError, threading.BrokenBarrierError) as e:
		s.close()
		out[i] = ("error", "%s: %s" % (type(e).__name__, e))


def complete(resp):
	"""True once the headers and Content-Length bytes of body are in: the
	response is complete then, whenever the server gets round to closing
	the connection."""
	head, sep, body = resp.partition(b"\r\n\r\n")
	if not sep:
		return False
	for line in head.split(b"\r\n")[1:]:
		name, _, value = line.partition(b":")
		if name.strip().lower() == b"content-length":
			try:
				return len(body) >= int(value)
			except ValueError:
				return False
	return False


def collect(socks, out, timeout):
	"""Read every response in one thread, waiting on all sockets at once,
	and stamp each when its EOF arrives.  One thread blocked in the
	selector wakes as soon as data comes; N threads each blocked in recv()
	would take turns for the GIL on a busy machine and stamp late."""
	sel = selectors.DefaultSelector()
	data = {}
	for i, s in enumerate(socks):
		if s is not None:
			s.setblocking(False)
			sel.register(s, selectors.EVENT_READ, i)
			data[i] = b""
	deadline = time.monotonic() + timeout
	while data:
		left = deadline - time.monotonic()
		if left <= 0:
			break
		for key, _ in sel.select(left):
			i = key.data
			try:
				chunk = key.fileobj.recv(65536)
			except BlockingIOError:
				continue
			except OSError as e:
				chunk = None
				out[i] = ("error", "recv: %s" % e)
			if chunk:
				data[i] += chunk
				if not complete(data[i]):
					continue
			mono, wall = time.monotonic(), time.time()
			sel.unregister(key.fileobj)
			key.fileobj.close()
			if chunk is not None:
				status = data[i].split(b"\r\n", 1)[0]
				if b" 200 " not in status + b" ":
					out[i] = ("error", "status %r" % status)
				else:
					out[i] = ("ok", mono, wall)
			del data[i]
	for i in data:
		out[i] = ("error", "no response within %g s" % timeout)
	sel.close()


def main():
	ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	ap.add_argument("-n", type=int, required=True,
	    help="concurrent requests (1..256)")
	ap.add_argument("--host", default="127.0.0.1")
	ap.add_argument("--port", type=int)
	ap.add_argument("--port-file", help="read the port from this file")
	ap.add_argument("--timeout", type=float, default=30.0,
	    help="per-request bound in seconds (default 30)")
	args = ap.parse_args()
	if not 1 <= args.n <= 256:
		ap.error("-n must be 1..256")
	port = args.port
	if port is None:
		if not args.port_file:
			ap.error("give --port or --port-file")
		with open(args.port_file) as f:
			port = int(f.read())

	out = [None] * args.n
	socks = [None] * args.n
	barrier = threading.Barrier(args.n)
	threads = [threading.Thread(target=one, args=(i, args.host, port,
	    barrier, args.timeout, out, socks), daemon=True)
	    for i in range(args.n)]
	for t in threads:
		t.start()
	deadline = time.monotonic() + args.timeout
	for t in threads:
		t.join(max(0.0, deadline - time.monotonic()))
	collect(list(socks), out, args.timeout)
	oks = [r for r in out if r is not None and r[0] == "ok"]
	failed = [r[1] if r is not None else "no answer in time" for r in out
	    if r is None or r[0] != "ok"]
	res = {"n": args.n, "ok": len(oks), "failed": failed,
	    "spread": None, "first": None, "last": None}
	if oks:
		mono = sorted(r[1] for r in oks)
		wall = sorted(r[2] for r in oks)
		res.update(spread=mono[-1] - mono[0], first=wall[0],
		    last=wall[-1])
	print(json.dumps(res), flush=True)
	return 0 if len(oks) == args.n else 1


if __name__ == "__main__":
	sys.exit(main())
