# Random runs for cross-checks against an independent reference; usl-undetermined.ndjson
# is its req.ndjson for seed 84 (python3 random-runs.py 84 writes server.log, api.log
# and req.ndjson in the current directory).
import json, random, datetime, sys
random.seed(int(sys.argv[1]))
base = datetime.datetime(2023, 11, 1, 10, 0, 0)
def iso(us): return (base + datetime.timedelta(microseconds=us)).strftime("%Y-%m-%d %H:%M:%S.%f")
comp = open("server.log", "w"); arr = open("api.log", "w"); nd = open("req.ndjson", "w")
nruns = random.randint(1, 7)
for r in range(1, nruns + 1):
    off = r * 600_000_000
    n = random.randint(1, 30)
    kind = random.choice(["pool", "serial", "admit", "random"])
    T = random.choice([1, 2, 5]) * 1_000_000
    starts, ends = [], []
    k = random.randint(1, 5)
    for i in range(n):
        if kind == "pool": s = 0; e = T * (i // k + 1)
        elif kind == "serial": s = 0; e = T * (i + 1)
        elif kind == "admit": s = i * 50_000; e = s + T
        else: s = random.randint(0, 3) * 100_000; e = s + T + random.randint(0, 3) * T // 2
        starts.append(off + s); ends.append(off + e)
    starts.sort(); ends.sort()
    for i in range(n):
        comp.write("1: %d: %s\n" % (random.randint(1, 4), iso(ends[i])))
        arr.write(iso(starts[i]) + "\n")
    # pairing by order, as ref_fit does
    for i in range(n):
        nd.write(json.dumps({"run": r, "i": i, "start": iso(starts[i]).replace(" ", "T") + "Z",
                             "end": iso(ends[i]).replace(" ", "T") + "Z"}) + "\n")
