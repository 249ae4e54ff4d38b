#!/usr/bin/env python3
# Copied unchanged (but for this comment) from the project's reference
# material, shared/reference/gen_runs.py: the generator of issue 12 ("The
# analysis at the speed of sort"), a seeded, deterministic completions-only
# `PID: TID: TIMESTAMP` log of RUNS runs of N requests.  bench/run.sh runs it
# as `gen_runs.py 100 10000` (1,000,000 lines) and, for the growth rows, at
# 10 and 1,000 runs of 10,000.
"""Seeded synthetic completion log: RUNS bursts of N requests, `PID: TID: TS`
lines written out of order within a small window (as concurrent threads do).
usage: gen_runs.py RUNS N [SEED] > log"""
import random, sys
from datetime import datetime, timedelta, timezone
runs, n = int(sys.argv[1]), int(sys.argv[2])
rnd = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
t0 = datetime(2023, 11, 1, 23, 0, 0)
out = sys.stdout
for r in range(runs):
    base = t0 + timedelta(seconds=r * 600)
    stagger = 0.0005 * (1 + r % 5)           # seconds per request
    lines = []
    for i in range(n):
        t = base + timedelta(microseconds=round((i * stagger + rnd.random() * 0.0002) * 1e6))
        lines.append(f"65432: {123145499639808 + rnd.randrange(200) * 16777216}: {t}\n")
    for i in range(0, n, 8):                   # shuffle within windows of 8
        w = lines[i:i + 8]; rnd.shuffle(w); lines[i:i + 8] = w
    out.writelines(lines)
