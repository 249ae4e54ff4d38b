#!/usr/bin/env python3
"""Write a deterministic `PID: TID: TIMESTAMP` server log for the benchmark.

    python3 bench/gen.py LINES [SEED] > FILE

The shape of the article's logs (a threaded server printing its pid, the
thread id and str(datetime.now()) when each request finishes): runs of
requests whose completions are a few tens of milliseconds apart, separated
by idle gaps.  Python's str(datetime) drops the fraction when the
microsecond is 0, so about 1 line in 100 is written that way on purpose.

The same LINES and SEED give the same bytes on every run and machine:
random.Random(seed) is specified to be reproducible, and the text is built
with integer arithmetic only (no floats formatted, no locale, no clock).
"""
import random
import sys
from datetime import datetime, timedelta


def main():
    lines = int(sys.argv[1])
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 20231101
    rnd = random.Random(seed)
    t = datetime(2023, 11, 1, 23, 10, 4, 806247)
    pids = [65432, 65433, 71002, 80111]
    tids = [123145499639808 + 16789504 * k for k in range(64)]
    out = sys.stdout
    buf = []
    run_left = 0
    pid = pids[0]
    for i in range(lines):
        if run_left == 0:
            # A new run: an idle gap of 100 to 400 s, 4 to 400 requests.
            run_left = rnd.randint(4, 400)
            t += timedelta(seconds=rnd.randint(100, 400))
            pid = pids[rnd.randrange(len(pids))]
        run_left -= 1
        us = rnd.randint(1, 90000)
        t += timedelta(microseconds=us)
        if rnd.randrange(100) == 0:
            t = t.replace(microsecond=0)
        buf.append("%d: %d: %s\n" % (pid, tids[rnd.randrange(64)], t))
        if len(buf) >= 65536:
            out.write("".join(buf))
            buf.clear()
    out.write("".join(buf))


if __name__ == "__main__":
    main()
