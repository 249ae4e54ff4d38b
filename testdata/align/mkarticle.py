#!/usr/bin/env python3
# Write the article's excerpts (testdata/article/) as skew-parse's event
# NDJSON, independently of skew's C code: what `skew-parse -f pid-tid-ts`
# (server logs) and `skew-parse -f ts --kind start` (the api log) write, with
# the contract's keys and order and one input trailer per file.
# Usage: python3 testdata/align/mkarticle.py FILE... > out.ndjson
import calendar, hashlib, os, re, sys

LINE = re.compile(r'^(?:(\d+): (\d+): )?(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?$')

for path in sys.argv[1:]:
    raw = open(path, 'rb').read()
    text = raw.decode()
    start = '.api.' in path
    lines = text.split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    n = 0
    for no, l in enumerate(lines, 1):
        m = LINE.match(l)
        assert m, (path, no, l)
        pid, tid, y, mo, d, h, mi, s, frac = m.groups()
        sec = calendar.timegm((int(y), int(mo), int(d), int(h), int(mi), int(s)))
        iso = '%s-%s-%sT%s:%s:%s%sZ' % (y, mo, d, h, mi, s, '.' + frac if frac else '')
        t = '%d%s' % (sec, '.' + frac if frac else '')
        rec = '{"src":"%s","line":%d,"ts":"%s","t":%s,"kind":"%s"' % (
            path, no, iso, t, 'start' if start else 'end')
        if pid:
            rec += ',"pid":"%s","tid":"%s"' % (pid, tid)
        print(rec + '}')
        n += 1
    print('{"src":"%s","kind":"input","bytes":%d,"lines":%d,"events":%d,'
          '"skipped":0,"blank":0,"first_skipped":null,"sha256":"%s","bad_utf8":0,"fold":0}' % (
              path, len(raw), len(lines), n, hashlib.sha256(raw).hexdigest()))
