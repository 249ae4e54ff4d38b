#!/usr/bin/env python3
"""Time commands for the benchmark and print the comparison table.

    compare.py run NAME LINES BYTES SCALE OUT ERR -- COMMAND...
        Run COMMAND three times, standard output to OUT and standard error
        to ERR (files: GNU grep stops at its first match when its output is
        /dev/null), and append the best wall-clock time and the peak
        resident set size to bench/out/results.ndjson.  LINES and BYTES are
        the input's; SCALE (1, or 25 for a 200,000-line prefix of 5,000,000
        lines) multiplies the time to the full file.  A first run longer
        than 20 s is not repeated (its noise is small beside its length);
        the record says how many runs the best is of.
    compare.py table
        Print the results as a table: lines/s and MB/s, the time as a ratio
        to grep's (the PCRE2-JIT scan limit), and peak RSS.
    compare.py open N SMALL
        Print the open-traffic table (rows named "open: ..." at N requests
        and "open 1/10: ..." at SMALL): time and CPU as ratios to
        `LC_ALL=C sort` of the same log's times, peak RSS per request, and
        how the time per request grows from SMALL to N against the n log n
        bound (log N / log SMALL).
    compare.py paired ROUNDS N NAME OUT ERR COMMAND... [:: NAME OUT ERR COMMAND...]...
        Paired runs: ROUNDS rounds, each running every contender once (in
        the order given, reversed every other round, so that none is always
        first), standard output to its OUT and standard error to its ERR;
        appends each contender's times of every round, their medians and
        its peak RSS to bench/out/results.ndjson (N: the requests).
    compare.py runs N SIZES...
        Print the table of issue 12's input (rows named "runs: ..." from
        `paired`): medians, and each target ratio (RUNS_TARGETS) as the
        median of the ratios of the same round, met or not met; then the
        growth rows ("growth SIZE: skew", each from `run`): peak RSS per
        request (met at the largest size when at most 64 bytes) and the
        time per request from size to size against n log n.
    compare.py same A B
        Check that two NDJSON event streams hold the same events (numbers
        compared as numbers: Python writes 1698880477.0 where skew writes
        1698880477); trailer records ("kind": "input") are left out.

Wall clock is time.perf_counter() around the child (GNU time's own start-up,
about a millisecond, included); peak RSS is GNU time's %M, its "Maximum
resident set size", or, without /usr/bin/time, sampled from /proc (see once()).
"""
import itertools
import json
import math
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "out", "results.ndjson")
GNU_TIME = "/usr/bin/time"
LONG = 20.0  # seconds: a first run longer than this is not repeated


def once(cmd, out, err):
    """Run cmd once: (wall s, CPU s, exit status, peak RSS in KiB).

    CPU time (user + system, from wait4(2), grandchildren included) is
    shown beside the wall clock because on a shared machine the wall clock
    also counts the time the program waited for a core.

    A child forked from this Python process starts with Python's pages, and
    the kernel's high-water mark keeps them past exec, so its own ru_maxrss
    would never read below Python's ~10 MiB.  GNU time forks from a small
    process and reports its child's peak (%M); without it, the child's
    VmHWM in /proc is sampled every millisecond until it exits (a lower
    bound: a peak in the last millisecond can be missed).
    """
    with open(out, "wb") as fo, open(err, "wb") as fe:
        if os.access(GNU_TIME, os.X_OK):
            rssf = os.path.join(HERE, "out", ".rss")
            t0 = time.perf_counter()
            p = subprocess.Popen([GNU_TIME, "-f", "%M", "-o", rssf] + cmd,
                                 stdout=fo, stderr=fe)
            _, status, ru = os.wait4(p.pid, 0)
            dt = time.perf_counter() - t0
            with open(rssf) as f:
                lines = f.read().split()
            return (dt, ru.ru_utime + ru.ru_stime,
                    os.waitstatus_to_exitcode(status),
                    int(lines[-1]) if lines else 0)
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=fo, stderr=fe)
        hwm = 0
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid != 0:
                break
            try:
                with open("/proc/%d/status" % p.pid) as f:
                    for line in f:
                        if line.startswith("VmHWM:"):
                            hwm = max(hwm, int(line.split()[1]))
            except OSError:
                pass
            time.sleep(0.001)
        dt = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        return dt, ru.ru_utime + ru.ru_stime, p.returncode, hwm


def run(argv):
    name, lines, nbytes, scale, out, err = argv[:6]
    if argv[6] != "--":
        sys.exit("compare.py run: expected -- before the command")
    cmd = argv[7:]
    best = cpu = None
    rss = runs = 0
    while runs < 3 and (runs == 0 or best <= LONG):
        dt, c, code, kib = once(cmd, out, err)
        if code != 0:
            sys.exit("compare.py: %s exited %d (see %s)" % (name, code, err))
        best = dt if best is None else min(best, dt)
        cpu = c if cpu is None else min(cpu, c)
        rss = max(rss, kib)
        runs += 1
    rec = {"name": name, "lines": int(lines), "bytes": int(nbytes),
           "scale": float(scale), "best": best, "cpu": cpu, "rss_kib": rss,
           "runs": runs, "cmd": " ".join(cmd)}
    with open(RESULTS, "a") as f:
        f.write(json.dumps(rec) + "\n")
    print("  %-22s best of %d: %8.3f s wall, %8.3f s CPU, peak RSS %6.1f MiB"
          % (name, runs, best, cpu, rss / 1024.0))


def load():
    """The records of results.ndjson by name (the last of a name wins)."""
    recs = {}
    with open(RESULTS) as f:
        for line in f:
            r = json.loads(line)
            recs[r["name"]] = r
    return recs


def table(_argv):
    recs = load()
    grep = recs.get("grep -cP")
    full = max(r["lines"] * r["scale"] for r in recs.values())
    print()
    print("%-22s %8s %8s %11s %8s %7s %7s %10s" %
          ("program", "wall s", "CPU s", "lines/s", "MB/s", "x grep",
           "CPU x", "peak RSS"))
    print("-" * 88)
    order = ["wc -l", "grep -cP", "skew-parse --tsv", "skew-parse",
             "naive.py"]
    names = [n for n in order if n in recs] + \
        sorted(n for n in recs if n not in order)
    for n in names:
        r = recs[n]
        if r["lines"] * r["scale"] != full or n.startswith("rss"):
            continue
        t = r["best"] * r["scale"]
        c = r["cpu"] * r["scale"]
        ratio = cratio = "-"
        if grep:
            ratio = "%.2f" % (t / (grep["best"] * grep["scale"]))
            if grep["cpu"] > 0:
                cratio = "%.2f" % (c / (grep["cpu"] * grep["scale"]))
        label = n + (" (*)" if r["scale"] != 1 else "")
        print("%-22s %8.3f %8.3f %11.0f %8.1f %7s %7s %6.1f MiB" %
              (label, t, c, r["lines"] / r["best"],
               r["bytes"] / r["best"] / 1e6, ratio, cratio,
               r["rss_kib"] / 1024.0))
    print("wall s: best of 3 by the wall clock; lines/s, MB/s and x grep "
          "from it;\nCPU s and CPU x: user + system time of the same runs "
          "(the better guide on a busy machine)")
    if any(r["scale"] != 1 for r in recs.values()):
        print("(*) run on a 200,000-line prefix; time scaled to %d lines"
              % full)
    naive = recs.get("naive.py")
    if naive and naive["lines"] * naive["scale"] == full:
        for n in ("skew-parse", "skew-parse --tsv"):
            if n in recs:
                print("%s is %.0f x faster than naive.py by the wall clock"
                      " (%.0f x by CPU time)" %
                      (n, naive["best"] * naive["scale"] /
                       (recs[n]["best"] * recs[n]["scale"]),
                       naive["cpu"] * naive["scale"] /
                       (recs[n]["cpu"] * recs[n]["scale"])))
    small = recs.get("rss skew-parse 1/10")
    big = recs.get("skew-parse")
    if small and big:
        grow = (big["rss_kib"] - small["rss_kib"]) * 1024.0
        dl = big["lines"] - small["lines"]
        print()
        print("memory: skew-parse peak RSS %.1f MiB on %d lines, %.1f MiB on"
              " %d lines: %+.3f bytes per extra line (flat when ~0)" %
              (small["rss_kib"] / 1024.0, small["lines"],
               big["rss_kib"] / 1024.0, big["lines"], grow / dl))


OPEN_ROWS = ["sort", "sort shuffled", "skew", "skew-parse", "skew-align",
             "skew-fit"]


def open_table(argv):
    """The open-traffic summary: see the module's docstring."""
    sizes = {"open: ": int(argv[0]), "open 1/10: ": int(argv[1])}
    recs = load()
    for pre in sizes:
        stages = [recs.get(pre + n) for n in ("skew-parse", "skew-align",
                                              "skew-fit")]
        if all(stages):
            recs[pre + "parse+align+fit"] = {
                "lines": stages[0]["lines"],
                "best": sum(r["best"] for r in stages),
                "cpu": sum(r["cpu"] for r in stages),
                "rss_kib": max(r["rss_kib"] for r in stages),
                "runs": min(r["runs"] for r in stages)}
    rows = OPEN_ROWS + ["parse+align+fit"]
    print()
    print("%-27s %8s %8s %8s %10s %7s %7s %10s %6s" %
          ("open traffic", "requests", "wall s", "CPU s", "requests/s",
           "x sort", "CPU x", "peak RSS", "B/req"))
    print("-" * 99)
    for pre, n in sizes.items():
        sort = recs.get(pre + "sort")
        for name in rows:
            r = recs.get(pre + name)
            if r is None:
                continue
            ratio = cratio = "-"
            if sort:
                ratio = "%.2f" % (r["best"] / sort["best"])
                if sort["cpu"] > 0:
                    cratio = "%.2f" % (r["cpu"] / sort["cpu"])
            label = pre + name + ("" if r["runs"] == 3 else
                                  " (%d)" % r["runs"])
            print("%-27s %8d %8.3f %8.3f %10.0f %7s %7s %6.1f MiB %6.0f" %
                  (label, n, r["best"], r["cpu"], n / r["best"], ratio,
                   cratio, r["rss_kib"] / 1024.0, r["rss_kib"] * 1024.0 / n))
    print("wall s: best of 3 (of 1 where marked (1): a first run over %.0f s"
          " is not repeated);\nx sort and CPU x: wall and CPU time over"
          " `LC_ALL=C sort` of the log's time field;\nB/req: peak RSS"
          " (the whole process) over the requests; parse+align+fit: the"
          " three stages' sum,\nthe highest of their peaks" % LONG)
    big, small = sizes.values()
    growth_head(small, big)
    for name in rows:
        b, s = recs.get("open: " + name), recs.get("open 1/10: " + name)
        if b and s:
            growth_line(name, b, s, big, small)


def growth_head(small, big):
    """The heading of growth_line()s from SMALL to BIG requests."""
    bound = math.log(big) / math.log(small)
    print()
    print("growth %d -> %d requests: time per request at %d over that at"
          " %d\n(n log n allows x %.2f = log %d / log %d; memory: peak RSS"
          " per extra request)" % (small, big, big, small, bound, big, small))


def growth_line(name, b, s, big, small):
    """How record B at BIG requests grew from record S at SMALL: the time
    per request (wall, by "best", and CPU) against the n log n bound,
    marked when past 1.5 times it, and the peak RSS per extra request."""
    bound = math.log(big) / math.log(small)
    per = (b["best"] / big) / (s["best"] / small)
    cper = (b["cpu"] / big) / (s["cpu"] / small) if s["cpu"] > 0 else 0
    extra = (b["rss_kib"] - s["rss_kib"]) * 1024.0 / (big - small)
    print("  %-18s wall x %6.2f, CPU x %6.2f%s; %+6.0f bytes per extra"
          " request" % (name, per, cper,
                        "  (worse than n log n)"
                        if min(per, cper) > 1.5 * bound else "", extra))


def paired(argv):
    """Paired runs of several contenders: see the module's docstring."""
    rounds, n = int(argv[0]), int(argv[1])
    groups, cur = [], []
    for a in argv[2:] + ["::"]:
        if a == "::":
            if len(cur) < 4:
                sys.exit("compare.py paired: expected NAME OUT ERR COMMAND...")
            groups.append(cur)
            cur = []
        else:
            cur.append(a)
    res = {g[0]: {"times": [], "cpus": [], "rss_kib": 0} for g in groups}
    for k in range(rounds):
        for name, out, err, *cmd in (groups if k % 2 == 0 else groups[::-1]):
            dt, c, code, kib = once(cmd, out, err)
            if code != 0:
                sys.exit("compare.py: %s exited %d (see %s)" % (name, code,
                                                                 err))
            r = res[name]
            r["times"].append(dt)
            r["cpus"].append(c)
            r["rss_kib"] = max(r["rss_kib"], kib)
    with open(RESULTS, "a") as f:
        for name, out, err, *cmd in groups:
            r = res[name]
            rec = {"name": name, "lines": n, "best": median(r["times"]),
                   "cpu": median(r["cpus"]), "rss_kib": r["rss_kib"],
                   "runs": rounds, "times": r["times"], "cpus": r["cpus"],
                   "cmd": " ".join(cmd)}
            f.write(json.dumps(rec) + "\n")
            print("  %-22s median of %d: %8.3f s wall, %8.3f s CPU, peak RSS"
                  " %6.1f MiB" % (name, rounds, rec["best"], rec["cpu"],
                                  r["rss_kib"] / 1024.0))


def median(xs):
    xs = sorted(xs)
    m = len(xs) // 2
    return xs[m] if len(xs) % 2 else (xs[m - 1] + xs[m]) / 2


# Issue 12's targets on its input: (numerator, denominator, bound, at most?)
RUNS_TARGETS = [("skew", "sort", 1.5, True),
                ("pipeline", "sort", 3.0, True),
                ("notebook", "skew", 15.0, False),
                ("notebook", "pipeline", 6.0, False)]
RUNS_ROWS = ["sort", "skew", "pipeline", "notebook"]
BYTES_PER_REQUEST = 64  # issue 12: peak RSS of skew at the largest size


def runs_table(argv):
    """Issue 12's table: see the module's docstring."""
    n = int(argv[0])
    sizes = sorted(int(x) for x in argv[1:])
    recs = load()
    size_table("runs of 10,000", [(name, n, recs["runs: " + name])
                                  for name in RUNS_ROWS
                                  if "runs: " + name in recs])
    print("wall s, CPU s: medians of the paired rounds (each round runs every"
          " row once)")
    print()
    print("targets (issue 12), each the median of the ratios of the same"
          " round:")
    for a, b, bound, at_most in RUNS_TARGETS:
        ra, rb = recs.get("runs: " + a), recs.get("runs: " + b)
        if not ra or not rb:
            print("  %s/%s: not measured" % (a, b))
            continue
        wall = median([x / y for x, y in zip(ra["times"], rb["times"])])
        cpu = median([x / y for x, y in zip(ra["cpus"], rb["cpus"])])
        met = wall <= bound if at_most else wall >= bound
        print("  %-18s %7.2f (CPU %6.2f), target %s %4.1f: %s" %
              (a + "/" + b, wall, cpu, "<=" if at_most else ">=", bound,
               "met" if met else "NOT MET"))
    grown = [(m, recs["growth %d: skew" % m]) for m in sizes
             if "growth %d: skew" % m in recs]
    if not grown:
        return
    size_table("growth: skew -t json",
               [("skew" + ("" if r["runs"] == 3 else " (%d)" % r["runs"]),
                 m, r) for m, r in grown])
    print("wall s: best of 3 (of 1 where marked (1)); B/req: peak RSS (GNU"
          " time %M, the whole process) over the requests")
    m, r = grown[-1]
    per = r["rss_kib"] * 1024.0 / m
    print("memory at %d requests: %.0f bytes a request, target <= %d: %s" %
          (m, per, BYTES_PER_REQUEST,
           "met" if per <= BYTES_PER_REQUEST else "NOT MET"))
    steps = list(zip(grown, grown[1:]))
    if len(grown) > 2:
        steps.append((grown[0], grown[-1]))
    for (sm, s), (bm, b) in steps:
        growth_head(sm, bm)
        growth_line("skew -t json", b, s, bm, sm)


def size_table(title, rows):
    """Print ROWS, (label, requests, record): time, rate, peak RSS."""
    print()
    print("%-20s %8s %8s %8s %10s %10s %7s" %
          (title, "requests", "wall s", "CPU s", "requests/s", "peak RSS",
           "B/req"))
    print("-" * 77)
    for label, n, r in rows:
        print("%-20s %8d %8.3f %8.3f %10.0f %6.1f MiB %7.0f" %
              (label, n, r["best"], r["cpu"], n / r["best"],
               r["rss_kib"] / 1024.0, r["rss_kib"] * 1024.0 / n))


def events(path):
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            if r.get("kind") != "input":
                yield r


def same(argv):
    a, b = argv[:2]
    n = 0
    for n, (x, y) in enumerate(itertools.zip_longest(events(a), events(b)),
                               1):
        if x != y:
            sys.exit("compare.py: event %d differs:\n  %s\n  %s" % (n, x, y))
    print("  the same %d events from skew-parse and naive.py" % n)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    {"run": run, "table": table, "same": same, "open": open_table,
     "paired": paired, "runs": runs_table}[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
