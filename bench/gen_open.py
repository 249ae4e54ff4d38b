#!/usr/bin/env python3
"""Write a deterministic access log of open traffic for the benchmark.

    python3 bench/gen_open.py [REQUESTS [SEED]] > FILE

REQUESTS (default 1,000,000) requests in SPELLS (10) spells of equal count,
an idle hour between spells (so each spell is one run and a run's size
grows with REQUESTS).  Arrivals are Poisson; a pool of K (8) workers serves
them first come, first served, each request needing 40 ms plus an
exponential of mean 4 ms (capacity about 182 requests/s).  Even spells
(1st, 3rd, ...) are heavy, 170 requests/s (the pool is busy 93 % of the
time and requests queue); odd spells are light, 10 requests/s (0.44 workers
busy on average: the pool is never reached in practice).

Each line is nginx's `$msec $request_time "$request" $status` (the
nginx-timed preset): the end time in seconds with milliseconds, the latency
in seconds with milliseconds (arrival and end each rounded to the
millisecond first, as nginx does), the request line and the status (about
1 in 100 a 404 and 1 in 1000 a 500, which skew leaves out of T), in
end-time order, as nginx writes them, from 2023-11-01T12:00:00Z.  Four
routes, all with the same service time.

The same REQUESTS and SEED give the same bytes on every run and machine:
random.Random(seed) is specified to be reproducible, and the arithmetic is
on integers only: times are integer microseconds, and the exponential
draws use von Neumann's method, which compares uniform integers and never
takes a logarithm (no libm, no float formatting, no clock).
"""
import heapq
import random
import sys

SPELLS = 10
K = 8
BASE_US = 1698840000 * 1000000  # 2023-11-01T12:00:00Z
IDLE_US = 3600 * 1000000
HEAVY_MEAN_US = 1000000 // 170  # mean gap between arrivals
LIGHT_MEAN_US = 1000000 // 10
SERVICE_US = 40000
SERVICE_EXP_MEAN_US = 4000
ROUTES = ["/api/items", "/api/users", "/api/orders", "/api/search"]
BITS = 32


def exponential(rnd, mean):
    """An exponential of mean MEAN (an integer), rounded down to an integer.

    von Neumann (1951): draw u1, then u2, u3, ... while they descend; when
    the first rise comes at an even position, k + u1 is Exp(1) (k the
    number of odd-position tries before).  Uniforms are BITS-bit integers,
    so k + u1 is a fixed-point number and the scaling is integer.
    """
    getbits = rnd.getrandbits
    k = 0
    while True:
        u1 = prev = getbits(BITS)
        n = 1
        while True:
            v = getbits(BITS)
            n += 1
            if v >= prev:
                break
            prev = v
        if n % 2 == 0:
            return ((k << BITS) + u1) * mean >> BITS
        k += 1


def ms(us):
    """Microseconds to the nearest millisecond (halves up, as nginx)."""
    return (us + 500) // 1000


def main():
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 20231101
    rnd = random.Random(seed)
    rows = []
    t = 0
    for s in range(SPELLS):
        count = total // SPELLS + (1 if s < total % SPELLS else 0)
        mean = HEAVY_MEAN_US if s % 2 == 0 else LIGHT_MEAN_US
        free = [t] * K  # when each worker is next free, a heap
        last_end = t
        for _ in range(count):
            t += exponential(rnd, mean)
            begin = max(t, heapq.heappop(free))
            end = begin + SERVICE_US + exponential(rnd, SERVICE_EXP_MEAN_US)
            heapq.heappush(free, end)
            last_end = max(last_end, end)
            r = rnd.randrange(1000)
            status = 500 if r == 0 else 404 if r <= 10 else 200
            route = rnd.randrange(len(ROUTES))
            e_ms = ms(end)
            # One integer a request: sorting integers is fast and exact.
            rows.append((((e_ms << 20) | (e_ms - ms(t))) << 4 |
                         route << 2 | (status // 100 - 2)))
        t = last_end + IDLE_US
    rows.sort()
    codes = {0: 200, 2: 404, 3: 500}
    base_ms = BASE_US // 1000

    def line(row):
        e_ms = base_ms + (row >> 24)
        d_ms = (row >> 4) & ((1 << 20) - 1)
        return '%d.%03d %d.%03d "GET %s HTTP/1.1" %d\n' % (
            e_ms // 1000, e_ms % 1000, d_ms // 1000, d_ms % 1000,
            ROUTES[(row >> 2) & 3], codes[row & 3])
    sys.stdout.writelines(map(line, rows))

if __name__ == "__main__":
    main()
