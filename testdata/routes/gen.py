#!/usr/bin/env python3
"""Write access.log: one server, two routes, in nginx's `$msec
$request_time` format (-f nginx-timed: the time a request finished, its
duration, the request line and the status).  Made up, no server ran:

  - /api: 12 calls sent at once at 1700000000.000, each 200 ms of work
    through a pool of 4 workers (three waves: 0.2, 0.4, 0.6 s), and 3
    calls at the same instant refused at once (404 after 1 ms);
  - /health: a check every 250 ms from the same instant, 2 ms each.

Judged together, the 2 ms health check sets T and the API calls look
queued; by route (skew-fit --by route) /api has T = 200 ms and a pool of
4, and the 404s are left out of T (counted as errors).
Usage: python3 gen.py > access.log"""
T0 = 1700000000000  # ms
lines = []
for k in range(12):
	lat = 200 * (k // 4 + 1)
	lines.append((T0 + lat, lat, "GET /api/orders HTTP/1.1", 200))
for k in range(3):
	lines.append((T0 + 1, 1, "GET /api/orders HTTP/1.1", 404))
for k in range(4):
	lines.append((T0 + 250 * k + 2, 2, "GET /health HTTP/1.1", 200))
for end, lat, req, st in sorted(lines):
	print('%d.%03d %d.%03d 10.0.0.7 "%s" %d 512' % (end // 1000, end % 1000,
	    lat // 1000, lat % 1000, req, st))
