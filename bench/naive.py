#!/usr/bin/env python3
"""The script a user would write instead of skew-parse: re + datetime + json.

    python3 bench/naive.py FILE > events.ndjson

One regular expression, datetime.fromisoformat() (which reads Python's own
str(datetime), with or without a fraction), and json.dumps() per line,
writing the same fields skew-parse writes.  It is the baseline the
benchmark compares against, so it is written plainly, not tuned.
"""
import json
import re
import sys
from datetime import datetime, timezone

PAT = re.compile(r"^(\d+): (\d+): (\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}"
                 r"(?:[.,]\d+)?)\s*$")


def main():
    name = sys.argv[1]
    skipped = 0
    out = sys.stdout
    with open(name, encoding="utf-8", errors="replace") as f:
        for lineno, line in enumerate(f, 1):
            m = PAT.match(line)
            if m is None:
                skipped += 1
                continue
            dt = datetime.fromisoformat(m.group(3)).replace(
                tzinfo=timezone.utc)
            frac = "." + m.group(3)[20:] if len(m.group(3)) > 19 else ""
            out.write(json.dumps({
                "src": name, "line": lineno,
                "ts": dt.strftime("%Y-%m-%dT%H:%M:%S") + frac + "Z",
                "t": dt.timestamp(), "kind": "end",
                "pid": m.group(1), "tid": m.group(2),
            }, separators=(",", ":")) + "\n")
    if skipped:
        print("naive.py: %d lines skipped" % skipped, file=sys.stderr)


if __name__ == "__main__":
    main()
