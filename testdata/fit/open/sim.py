import random, sys, heapq
# usage: sim.py kind rate n k T seed
kind, rate, n, k, T, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
random.seed(seed)
t = 1700000000.0
reqs = []
free = [t]*k  # pool worker free times
for i in range(n):
    t += random.expovariate(rate)
    svc = T * (1 + 0.02*random.random())
    if kind == 'pool':       # pool of k, FIFO, client stamps arrival
        w = heapq.heappop(free)
        st = max(t, w) + 0.0003*random.random()
        e = st + svc
        heapq.heappush(free, e)
        reqs.append((t, e))
    elif kind == 'tpr':      # thread per request
        reqs.append((t, t + svc))
    elif kind == 'single_stamp':   # single worker stamping at service start
        w = heapq.heappop(free)
        st = max(t, w)
        e = st + svc
        heapq.heappush(free, e)
        reqs.append((st, e))
    elif kind == 'cpu':      # shared CPU: processor sharing-ish: latency grows with inflight
        inflight = sum(1 for (a, b) in reqs if b > t)
        reqs.append((t, t + svc * (1 + inflight)))
    elif kind == 'mix':      # fast and slow requests, no limit
        s2 = svc if random.random() < 0.5 else svc * 50
        reqs.append((t, t + s2))
for (a, e) in reqs:
    import os; d=int(os.environ.get("DIG","6")); print("%.*f %.*f GET /" % (d, e, d, e - a))
