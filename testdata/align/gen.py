#!/usr/bin/env python3
# Seeded generator of a large event NDJSON for measuring skew-align:
#   python3 testdata/align/gen.py RUNS PER_RUN > events.ndjson
# Each run: PER_RUN requests arriving ~1 ms apart, each served in 30 s +
# up to 50 ms, with start and end events in skew-parse's layout (ends carry
# pid/tid), runs 600 s apart; the lines are written in shuffled blocks so
# the input is not in time order.  Same arguments, same file.
import random, sys

runs, per = int(sys.argv[1]), int(sys.argv[2])
rnd = random.Random(42)
base = 1698880204
out = sys.stdout
buf = []
line = {'api.log': 0, 'server.log': 0}
for r in range(runs):
    t0 = base + r * 600
    for k in range(per):
        s_us = t0 * 1000000 + k * 1000 + rnd.randrange(1000)
        e_us = s_us + 30000000 + rnd.randrange(50000)
        for src, us, kind in (('api.log', s_us, 'start'), ('server.log', e_us, 'end')):
            line[src] += 1
            sec, frac = divmod(us, 1000000)
            days, rem = divmod(sec, 86400)
            # civil from days (Hinnant), independent of the C code
            z = days + 719468
            era = z // 146097
            doe = z - era * 146097
            yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
            doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
            mp = (5 * doy + 2) // 153
            d = doy - (153 * mp + 2) // 5 + 1
            m = mp + 3 if mp < 10 else mp - 9
            y = yoe + era * 400 + (m <= 2)
            iso = '%04d-%02d-%02dT%02d:%02d:%02d.%06dZ' % (
                y, m, d, rem // 3600, rem // 60 % 60, rem % 60, frac)
            rec = '{"src":"%s","line":%d,"ts":"%s","t":%d.%06d,"kind":"%s"' % (
                src, line[src], iso, sec, frac, kind)
            if kind == 'end':
                rec += ',"pid":"65432","tid":"%d"' % (123145499639808 + k * 16781312)
            buf.append(rec + '}\n')
        if len(buf) >= 4096:
            rnd.shuffle(buf)
            out.writelines(buf)
            buf = []
rnd.shuffle(buf)
out.writelines(buf)
