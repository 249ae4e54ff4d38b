#!/usr/bin/env python3
"""Logs from many hosts whose clocks differ by known offsets.

A gateway (gw) logs each request's arrival, two servers (web-1, web-2) its
completion, with an id on both sides.  Three bursts go through a simulated
pool (all at once, a pool of 2, one at a time); every request is served for
the service time T = 0.2 s plus up to 20 ms, after a wait for a free worker,
so every latency is at least T and the shortest is at most T + 20 ms.  The
logs are written twice: with true clocks, and with gw's clock D = 2.5 s
ahead and web-2's 0.3 s behind.  Each host's log is parsed in its own
process by the README's xargs -P command (run as written there), then:

- the skewed logs do not nest, and skew-align says so (exit 2);
- --offset gw=-2.5s --offset web-2=0.3s gives the true logs' requests
  exactly and the same verdicts from skew-fit; so do the events
  concatenated into one stream, and --offset -2.5s for gw's starts;
- --offset auto on logs where only gw's clock is off finds -(D - L), L the
  shortest latency, exactly; with --service-time T, -(D - L + T), whose
  size lies in [D - T, D];
- an --offset SRC= naming no input is refused by name.
Deterministic (a seeded generator); TAP on stdout.
"""
import json, os, random, re, subprocess, sys, tempfile
from decimal import Decimal

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(top)
binp = os.path.abspath(os.environ.get("SKEW_BIN", os.path.join(top, "build")))
env = dict(os.environ, PATH=binp + os.pathsep + os.environ["PATH"],
           LC_ALL="C")
n = 0
failed = 0


def ok(cond, what, diag=""):
    global n, failed
    n += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", n, what))
    if not cond:
        failed += 1
        for l in str(diag).splitlines()[:20]:
            print("#   " + l)


US = 1000000
T = 200000                      # the service time, microseconds
D = 2500000                     # gw's clock ahead
W2 = -300000                    # web-2's clock behind
BASE = 1698832800 * US          # 2023-11-01T10:00:00Z


def iso(us):
    s, f = divmod(us, US)
    return "%s.%06d" % (
        __import__("time").strftime("%Y-%m-%d %H:%M:%S", __import__(
            "time").gmtime(s)), f)


def simulate():
    """Requests as (id, start, end, host), times in true microseconds."""
    rng = random.Random(13)
    reqs = []
    for r, (count, pool) in enumerate([(10, 100), (10, 2), (5, 1)]):
        a0 = BASE + r * 120 * US
        free = [a0] * pool
        for k in range(count):
            a = a0 + k * 4000 + rng.randrange(0, 1000)
            free.sort()
            begin = max(a, free[0])
            end = begin + T + rng.randrange(0, 20000)
            free[0] = end
            reqs.append(("r%d-%d" % (r + 1, k), a, end,
                         "web-1" if k % 2 == 0 else "web-2"))
    return reqs


def write_logs(d, reqs, gw_off, w2_off, w1_off=0):
    lines = {"gw": [], "web-1": [], "web-2": []}
    offs = {"web-1": w1_off, "web-2": w2_off}
    for rid, a, e, host in reqs:
        lines["gw"].append((a + gw_off, "start", rid))
        lines[host].append((e + offs[host], "end", rid))
    os.makedirs(os.path.join(d, "logs"), exist_ok=True)
    for h, ls in lines.items():
        with open(os.path.join(d, "logs", h + ".log"), "w") as f:
            for t, k, rid in sorted(ls):
                f.write("%s %s id=%s\n" % (iso(t), k, rid))


def readme_command():
    """The README's pattern and xargs -P line, as they are written."""
    with open("README.md") as f:
        text = f.read()
    m = re.search(r"^export P='(.*)'\n"
                  r"printf '%s\\n' gw web-1 web-2 \|\n"
                  r"  (xargs -P 4 -n 1 sh -c '.*' sh)$", text, re.M)
    ok(m is not None, "README shows the xargs -P command for many hosts")
    if m is None:
        return None, None
    ok('--source "$1"' in m.group(2), "  it names each host with --source")
    return m.group(1), "printf '%s\\n' gw web-1 web-2 | " + m.group(2)


def run(args, d, stdin=None):
    p = subprocess.run(args, cwd=d, env=env, capture_output=True, text=True,
                       input=stdin)
    return p.returncode, p.stdout, p.stderr


def parse_hosts(d, pattern, cmd):
    e = dict(env, P=pattern)
    p = subprocess.run(["sh", "-c", cmd], cwd=d, env=e, capture_output=True,
                       text=True)
    outs = [os.path.join(d, h + ".ndjson") for h in ("gw", "web-1", "web-2")]
    ok(p.returncode == 0 and all(os.path.getsize(o) > 0 for o in outs),
       "  parsed in parallel in %s" % os.path.basename(d),
       p.stderr)


def requests(out):
    return [l for l in out.splitlines() if '"kind"' not in l]


def align_rec(out):
    for l in out.splitlines():
        o = json.loads(l)
        if o.get("kind") == "align":
            return o
    return {}


def verdicts(d, reqs_ndjson):
    rc, out, err = run(["skew-fit", "-q"], d, stdin=reqs_ndjson)
    if rc != 0:
        return ("skew-fit failed", err)
    doc = json.loads(out)
    return [(r["run"], r["verdict"], r["reason"]) for r in doc["runs"]]


def main():
    reqs = simulate()
    lmin = min(e - a for _, a, e, _ in reqs)
    files = ["gw.ndjson", "web-1.ndjson", "web-2.ndjson"]
    with tempfile.TemporaryDirectory() as tmp:
        pattern, cmd = readme_command()
        if cmd is None:
            print("1..%d" % n)
            return 1
        dirs = {}
        for name, gw, w2 in [("true", 0, 0), ("skewed", D, W2),
                             ("gw-ahead", D, 0)]:
            dirs[name] = os.path.join(tmp, name)
            write_logs(dirs[name], reqs, gw, w2)
            parse_hosts(dirs[name], pattern, cmd)

        rc, true_out, err = run(["skew-align", "-q"] + files, dirs["true"])
        ok(rc == 0, "true clocks: aligned", err)
        true_reqs = requests(true_out)
        ok(len(true_reqs) == len(reqs) and all(
            '"start":null' not in l and '"end":null' not in l
            for l in true_reqs), "  every request paired (%d)" % len(reqs))
        true_v = verdicts(dirs["true"], true_out)
        ok([v[1] for v in true_v] == ["parallel", "partial", "serialized"],
           "  verdicts parallel, partial, serialized", true_v)

        sk = dirs["skewed"]
        rc, out, err = run(["skew-align", "-q"] + files, sk)
        ok(rc == 2 and "precedes its start" in err,
           "skewed clocks: the pairs do not nest (exit 2)", err)

        fix = ["--offset", "gw=-2.5s", "--offset", "web-2=0.3s"]
        rc, out, err = run(["skew-align"] + fix + files, sk)
        ok(rc == 0, "--offset gw=-2.5s --offset web-2=0.3s: aligned", err)
        ok(requests(out) == true_reqs,
           "  the true clocks' requests, exactly",
           "\n".join(set(requests(out)) ^ set(true_reqs)))
        ok(verdicts(sk, out) == true_v, "  the same verdicts and reasons")
        rec = align_rec(out)
        ok(rec.get("offsets") == {"gw": -2.5, "web-2": 0.3} and
           rec.get("offset") == 0,
           "  the align record carries the offsets", rec)
        ok("web-2: every event moved by 0.3 s" in err,
           "  and the summary says them", err)

        # One stream: the events concatenated (skew-align sorts).
        cat = "".join(open(os.path.join(sk, f)).read() for f in files[::-1])
        rc, out2, err = run(["skew-align", "-q"] + fix, sk, stdin=cat)
        ok(rc == 0 and requests(out2) == true_reqs,
           "  the same from the logs concatenated into one stream", err)

        # A plain offset moves gw's starts (gw holds only starts).
        rc, out3, err = run(["skew-align", "-q", "--offset", "-2.5s",
                             "--offset", "web-2=300ms"] + files, sk)
        ok(rc == 0 and requests(out3) == true_reqs,
           "  the same with --offset -2.5s for the starts", err)

        rc, out, err = run(["skew-align", "-q", "--offset", "web-3=1s"] +
                           files, sk)
        ok(rc == 2 and 'no input is named "web-3" (the inputs: gw, web-1, '
           'web-2)' in err and out == "",
           "--offset web-3=1s: refused, naming it and the inputs", err)

        ga = dirs["gw-ahead"]
        rc, out, err = run(["skew-align", "-q", "--offset", "auto"] + files,
                           ga)
        found = Decimal(str(align_rec(out).get("offset")))
        want = Decimal(lmin - D) / US
        ok(rc == 0 and found == want,
           "--offset auto: -(D - L) = %s s, L the shortest latency"
           % want, "found %s, rc %d %s" % (found, rc, err))
        rc, out, err = run(["skew-align", "-q", "--offset", "auto",
                            "--service-time", "200ms"] + files, ga)
        rec = align_rec(out)
        found = Decimal(str(rec.get("offset")))
        ok(rc == 0 and found == Decimal(lmin - D - T) / US,
           "--offset auto --service-time 200ms: -(D - L + T)",
           "found %s, rc %d %s" % (found, rc, err))
        ok(Decimal(D - T) / US <= -found <= Decimal(D) / US,
           "  its size within [D - T, D] = [2.3, 2.5] s: %s" % -found)
        ok(rec.get("auto_service_time") == 0.2,
           "  the align record carries the T it subtracted", rec)
        # A list: the least is used.
        rc, out, err = run(["skew-align", "-q", "--offset", "auto",
                            "--service-time", "0.3,200ms,1"] + files, ga)
        ok(rc == 0 and Decimal(str(align_rec(out).get("offset"))) == found,
           "  of a list, the least T", err)
        # The offset auto found nests every pair, and misses the true one
        # by L - T: the verdicts are those of the true clocks (the
        # reasons' numbers move by that much).
        got = verdicts(ga, out)
        ok([v[:2] for v in got] == [v[:2] for v in true_v],
           "  the same verdicts as the true clocks", got)
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
