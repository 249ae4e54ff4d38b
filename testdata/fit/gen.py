#!/usr/bin/env python3
"""Write the hand-made fit documents of testdata/fit/ (stdlib only).

These stand in for skew-fit's output until it exists; they follow the
contract's key names and order.  article.json takes its spreads from the
article's excerpts (testdata/article/, first and last completion of each
run, computed here with exact integer microseconds) and the cross-run fit by
ordinary least squares written out below; pool.json is a synthetic pool of
8 workers (T = 0.2 s) with known starts; degenerate.json is one request.
Run from the top of the tree: python3 testdata/fit/gen.py
"""
import json, math, re

def us(ts):
    m = re.match(r'(\d+)-(\d+)-(\d+) (\d+):(\d+):(\d+)(?:\.(\d+))?$', ts)
    y, mo, d, h, mi, s, f = m.groups()
    frac = int((f or '0').ljust(6, '0'))
    return ((int(h) * 60 + int(mi)) * 60 + int(s)) * 1000000 + frac

def iso(ts):
    d, t = ts.split(' ')
    return d + 'T' + t + 'Z'

def lines(path):
    out = []
    for l in open(path):
        l = l.strip()
        if l:
            out.append(l.split(': ')[-1])
    return out

def ols(x, y):
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxx = sum((a - mx) ** 2 for a in x)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    b = sxy / sxx
    a = my - b * mx
    res = [yy - a - b * xx for xx, yy in zip(x, y)]
    sse = sum(r * r for r in res)
    syy = sum((b2 - my) ** 2 for b2 in y)
    s2 = sse / (n - 2) if n > 2 else float('nan')
    return dict(a=a, b=b, b_se=math.sqrt(s2 / sxx), a_se=math.sqrt(s2 * (1 / n + mx * mx / sxx)),
                r2=1 - sse / syy)

def r(v, d=6):
    return None if v is None else round(v, d)

# Student t 0.975 quantiles (dof 1..6), from any t table.
T975 = {1: 12.706204736, 2: 4.302652730, 3: 3.182446305, 4: 2.776445105,
        5: 2.570581836, 6: 2.446911851}

def run_doc(run, n, first, last, spread, stag, T, src, sampled, verdict, reason,
            rank, inflight=None, **kw):
    ser = None if n < 2 or not T else min(1.0, max(0.0, spread / ((n - 1) * T)))
    par = None if not T else n * T / (spread + T)
    d = {"run": run, "n": n, "first": first, "last": last, "spread": r(spread),
         "stagger": stag, "service_time": T, "service_time_source": src,
         "serialization": r(ser), "parallelism": r(par, 4),
         "max_inflight": None, "littles_law": None, "arrival_stagger": None,
         "latency_slope": None, "latency": None, "waves": None, "pool_size": None,
         "arrival_waves": None, "arrival_pool_size": None, "pids": 1, "tids": n,
         "unmatched_starts": 0, "unmatched_ends": 0, "sampled": sampled,
         "verdict": verdict, "reason": reason,
         "series": {"rank": rank, "inflight": inflight, "thinned": False}}
    d.update(kw)
    return d

def article():
    files = ['run1-n4-sleep10s.log', 'run2-n100-sleep10s.log', 'run3-n100-sleep30s.log',
             'run4-n200-sleep30s.log', 'run5-n200-api30s.server.log']
    N = [4, 100, 100, 200, 200]
    T = [10, 10, 30, 30, 30]
    runs = []
    spreads = []
    for k, f in enumerate(files):
        ts = sorted(lines('testdata/article/' + f), key=us)
        e = [us(t) for t in ts]
        sp = (e[-1] - e[0]) / 1e6
        spreads.append(sp)
        n = N[k]
        ranks = list(range(len(e))) if n == len(e) else \
            list(range(5)) + list(range(n - 5, n))
        rank = [[i, r((x - e[0]) / 1e6)] for i, x in zip(ranks, e)]
        if n == len(e):
            fit = ols(ranks, [(x - e[0]) / 1e6 for x in e])
            stag = {"slope": r(fit['b']), "stderr": r(fit['b_se']), "r2": r(fit['r2'])}
        else:
            stag = {"slope": r(sp / (n - 1)), "stderr": None, "r2": None}
        extra = {}
        inflight = None
        reason = "%d requests of %d s finished within %.3f s" % (n, T[k], sp)
        if k == 4:
            starts = sorted(us(t) for t in lines('testdata/article/run5-n200-api30s.api.log'))
            lat = sorted((b - a) / 1e6 for a, b in zip(starts, e))
            ev = sorted([(s, 1) for s in starts] + [(x, -1) for x in e])
            c = 0
            inflight = []
            for t, dlt in ev:
                c += dlt
                inflight.append([r((t - e[0]) / 1e6), c])
            extra = {"max_inflight": max(p[1] for p in inflight),
                     "latency": {"p50": r((lat[4] + lat[5]) / 2), "p90": r(lat[8] + 0.9 * (lat[9] - lat[8])),
                                 "p99": r(lat[9]), "max": r(lat[9])},
                     "reason": reason + "; each served in about 30.0 s"}
            extra["latency"]["p90"] = r(lat[8])
        runs.append(run_doc(k + 1, n, iso(ts[0]), iso(ts[-1]), sp, stag, T[k], "given",
                            n != len(e), "parallel", extra.pop("reason", reason), rank,
                            inflight, waves=1 if n == len(e) else None, **extra))
    fit = ols(N, spreads)
    t = T975[len(N) - 2]
    # spread = a + b n + c T by the normal equations (3x3, Cramer's rule).
    X = [[1, n, s] for n, s in zip(N, T)]
    A = [[sum(x[i] * x[j] for x in X) for j in range(3)] for i in range(3)]
    B = [sum(x[i] * y for x, y in zip(X, spreads)) for i in range(3)]
    def det(M):
        return (M[0][0] * (M[1][1] * M[2][2] - M[1][2] * M[2][1])
                - M[0][1] * (M[1][0] * M[2][2] - M[1][2] * M[2][0])
                + M[0][2] * (M[1][0] * M[2][1] - M[1][1] * M[2][0]))
    D = det(A)
    coef = []
    for i in range(3):
        M = [row[:] for row in A]
        for j in range(3):
            M[j][i] = B[j]
        coef.append(det(M) / D)
    res = [y - sum(c * x for c, x in zip(coef, xx)) for xx, y in zip(X, spreads)]
    sse = sum(v * v for v in res)
    my = sum(spreads) / 5
    s2 = sse / (5 - 3)
    # c's variance: s2 times the (3,3) entry of A's inverse (cofactor / det).
    cof = A[0][0] * A[1][1] - A[0][1] * A[1][0]
    c_se = math.sqrt(s2 * cof / D)
    doc = {"skew_fit": 1, "runs": runs,
           "skew": {"fitted": True, "runs": 5, "a": r(fit['a']), "a_stderr": r(fit['a_se']),
                    "b": r(fit['b'], 7), "b_stderr": r(fit['b_se'], 7),
                    "b_ci95": [r(fit['b'] - t * fit['b_se'], 7), r(fit['b'] + t * fit['b_se'], 7)],
                    "r2": r(fit['r2']), "n_reaching_service_time": r((10 - fit['a']) / fit['b'], 3)},
           "skew_with_service_time": {"fitted": True, "a": r(coef[0]), "b": r(coef[1], 7),
                                      "c": r(coef[2], 7), "c_stderr": r(c_se, 7),
                                      "r2": r(1 - sse / sum((y - my) ** 2 for y in spreads))},
           "usl": {"fitted": False, "reason": "3 distinct concurrencies; 6 needed"},
           "provenance": {"version": "0.1.0",
                          "options": ["--service-time", "10,10,30,30,30", "--concurrency",
                                      "4,100,100,200,200", "gap=60", "offset=0"],
                          "inputs": [{"src": f, "bytes": len(open('testdata/article/' + f, 'rb').read()),
                                      "lines": 10 if k else 4, "events": 10 if k else 4, "skipped": 0,
                                      "sha256": __import__('hashlib').sha256(open('testdata/article/' + f, 'rb').read()).hexdigest()}
                                     for k, f in enumerate(files + ['run5-n200-api30s.api.log'])]}}
    return doc

def usl(n, lam, sig, kap):
    return lam * n / (1 + sig * (n - 1) + kap * n * (n - 1))

def pool():
    T = 0.2
    k = 8
    Ns = [8, 16, 24, 32, 48, 64]
    runs = []
    ps = []
    for ri, n in enumerate(Ns):
        # Request j (in start order) runs in wave j // k; each wave takes T
        # plus a contention overhead that grows with n (1 ms per 16 requests),
        # plus a deterministic jitter of up to 3 ms.
        starts = [j * 0.0005 for j in range(n)]
        ends = []
        for j in range(n):
            w = j // k
            ends.append(starts[0] + (w + 1) * (T + 0.001 * n / 16) + ((j * 7) % 11) * 0.0003)
        order = sorted(range(n), key=lambda j: ends[j])
        e0 = ends[order[0]]
        rel = [ends[j] - e0 for j in order]
        sp = rel[-1]
        fit = ols(list(range(n)), rel)
        lat = sorted(ends[j] - starts[j] for j in range(n))
        ev = sorted([(s, 1) for s in starts] + [(x, -1) for x in ends])
        c, infl = 0, []
        for t, d in ev:
            c += d
            infl.append([r(t - e0), c])
        waves = (n + k - 1) // k
        ser = min(1.0, sp / ((n - 1) * T))
        verdict = "parallel" if waves == 1 else "partial"
        reason = ("%d requests of 0.2 s finished within %.3f s" % (n, sp) if waves == 1 else
                  "%d waves of %d: latency grows 0.2 s every %d requests: a pool of %d" % (waves, k, k, k))
        def pct(q):
            return lat[min(n - 1, math.ceil(q * n) - 1)]
        p = n * T / (sp + T)
        ps.append(p)
        base = 1698880000.0 + 100 * ri
        def tsf(x):
            s = base + x
            whole = int(s)
            return "2023-11-01T%02d:%02d:%02d.%06dZ" % ((whole // 3600) % 24, (whole // 60) % 60, whole % 60, round((s - whole) * 1e6))
        runs.append(run_doc(ri + 1, n, tsf(e0), tsf(ends[order[-1]]), sp,
                            {"slope": r(fit['b']), "stderr": r(fit['b_se']), "r2": r(fit['r2'])},
                            T, "given", False, verdict, reason,
                            [[i, r(x)] for i, x in enumerate(rel)], infl,
                            max_inflight=n,
                            littles_law={"mean_inflight": r(sum(lat) / (ends[order[-1]] - starts[0]), 4),
                                         "x_times_r": r(n / (ends[order[-1]] - starts[0]) * sum(lat) / n, 4), "ok": True},
                            arrival_stagger=0.0005, latency_slope=r(fit['b'] - 0.0005),
                            latency={"p50": r((lat[(n - 1) // 2] + lat[n // 2]) / 2), "p90": r(pct(0.9)),
                                     "p99": r(pct(0.99)), "max": r(lat[-1])},
                            waves=waves, pool_size=k if waves > 1 else None,
                            arrival_waves=1, arrival_pool_size=None, tids=k))
    # USL by Gauss-Newton with numeric derivatives from lambda=1, sigma=0.1, kappa=0.
    th = [1.0, 0.1, 0.001]
    for it in range(200):
        J, res = [], []
        for n, p in zip(Ns, ps):
            f0 = usl(n, *th)
            res.append(p - f0)
            row = []
            for i in range(3):
                h = 1e-7 * max(1, abs(th[i]))
                t2 = th[:]
                t2[i] += h
                row.append((usl(n, *t2) - f0) / h)
            J.append(row)
        A = [[sum(J[m][i] * J[m][j] for m in range(6)) for j in range(3)] for i in range(3)]
        g = [sum(J[m][i] * res[m] for m in range(6)) for i in range(3)]
        # Solve A d = g by Gaussian elimination.
        M = [A[i] + [g[i]] for i in range(3)]
        for i in range(3):
            piv = M[i][i]
            for j in range(i + 1, 3):
                f = M[j][i] / piv
                M[j] = [a - f * b for a, b in zip(M[j], M[i])]
        d = [0, 0, 0]
        for i in (2, 1, 0):
            d[i] = (M[i][3] - sum(M[i][j] * d[j] for j in range(i + 1, 3))) / M[i][i]
        th = [a + b for a, b in zip(th, d)]
    sse = sum((p - usl(n, *th)) ** 2 for n, p in zip(Ns, ps))
    mp = sum(ps) / 6
    r2 = 1 - sse / sum((p - mp) ** 2 for p in ps)
    peak = math.sqrt((1 - th[1]) / th[2]) if th[2] > 0 else None
    warn = []
    if th[1] < 0: warn.append("sigma is negative")
    if th[2] < 0: warn.append("kappa is negative")
    if peak and peak > max(Ns): warn.append("peak_n lies beyond the largest measured n: an extrapolation")
    skew = ols(Ns, [x["spread"] for x in runs])
    t = T975[len(Ns) - 2]
    return {"skew_fit": 1, "runs": runs,
            "skew": {"fitted": True, "runs": 6, "a": r(skew['a']), "a_stderr": r(skew['a_se']),
                     "b": r(skew['b'], 7), "b_stderr": r(skew['b_se'], 7),
                     "b_ci95": [r(skew['b'] - t * skew['b_se'], 7), r(skew['b'] + t * skew['b_se'], 7)],
                     "r2": r(skew['r2']), "n_reaching_service_time": r((T - skew['a']) / skew['b'], 3)},
            "skew_with_service_time": {"fitted": False, "reason": "every run has the same service time (0.2 s)"},
            "usl": {"fitted": True, "lambda": r(th[0]), "lambda_stderr": 0.02, "sigma": r(th[1]),
                    "sigma_stderr": 0.01, "kappa": r(th[2], 8), "kappa_stderr": 0.0001, "r2": r(r2),
                    "peak_n": r(peak, 3), "max_measured_n": 64, "warnings": warn},
            "provenance": {"version": "0.1.0", "options": ["--service-time", "0.2", "gap=1", "offset=0"],
                           "inputs": [{"src": "pool-completions.log", "bytes": 17034, "lines": 192,
                                       "events": 192, "skipped": 0, "sha256": "0" * 64},
                                      {"src": "pool-arrivals.log", "bytes": 5184, "lines": 192,
                                       "events": 192, "skipped": 0, "sha256": "f" * 64}]}}

def degenerate():
    runs = [{"run": 1, "n": 1, "first": "2023-11-01T23:10:04Z", "last": "2023-11-01T23:10:04Z",
             "spread": 0, "stagger": {"fitted": False, "reason": "one completion: no slope"},
             "service_time": None, "service_time_source": None, "serialization": None,
             "parallelism": None, "max_inflight": None, "littles_law": None,
             "arrival_stagger": None, "latency_slope": None, "latency": None, "waves": None,
             "pool_size": None, "arrival_waves": None, "arrival_pool_size": None, "pids": 1,
             "tids": 1, "unmatched_starts": 0, "unmatched_ends": 0, "sampled": False,
             "verdict": "unknown", "reason": "one request, and no service time",
             "series": {"rank": [[0, 0]], "inflight": None, "thinned": False}}]
    return {"skew_fit": 1, "runs": runs,
            "skew": {"fitted": False, "reason": "one run; two needed"},
            "skew_with_service_time": {"fitted": False, "reason": "one run; four needed"},
            "usl": {"fitted": False, "reason": "1 distinct concurrency; 6 needed"},
            "provenance": {"version": "0.1.0", "options": [],
                           "inputs": [{"src": "<stdin>", "bytes": 39, "lines": 1, "events": 1,
                                       "skipped": 0, "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}]}}

for name, doc in (("article", article()), ("pool", pool()), ("degenerate", degenerate())):
    with open("testdata/fit/%s.json" % name, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
