#!/usr/bin/env python3
"""Build usl.ndjson: seven completions-only runs, n = 1, 2, 4, ..., 64, whose
spreads follow the Universal Scalability Law exactly for T = 1 s, lambda 1,
sigma 0.02, kappa 0.001: parallelism p(n) = n T / (spread + T) =
n / (1 + sigma (n - 1) + kappa n (n - 1)) gives spread = sigma (n - 1) +
kappa n (n - 1), the completions evenly spaced (sigma + kappa n apart, a
whole number of milliseconds).  Usage: python3 usl.py > usl.ndjson, or python3 usl.py 1 2 3 4 5 6 >
usl-small.ndjson for other concurrencies."""
import datetime, json, sys

base = datetime.datetime(2023, 11, 1, 0, 0, 0)
ns = [int(a) for a in sys.argv[1:]] or [1, 2, 4, 8, 16, 32, 64]
for r, n in enumerate(ns, 1):
    step_ms = 20 + n            # (sigma + kappa n) in ms
    for i in range(n):
        t = base + datetime.timedelta(seconds=1000 * r, milliseconds=i * step_ms)
        print(json.dumps({"run": r, "i": i, "start": None,
                          "end": t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"},
                         separators=(",", ":")))
