#!/usr/bin/env python3
"""Formats in the wild (issue #10): the real log samples of
testdata/formats/ read by skew-parse, checked against the expected readings
of testdata/formats/expected.py (worked out there without skew's code).

For every sample, with `-f auto` and the options a user must give:
  - exit status 0, the first and last event times exactly (ISO text),
  - the trailer's line count, and events + skipped + blank == lines,
  - the number of events;
and for each sample that needs something skew must not guess (a year, a
date, the meaning of a zone abbreviation): without it the input is refused
with status 2 and the message names what is missing.

Each sample that a preset or a pattern can also read (its `today` reading,
the one there was before -f auto) is checked the same way with that
reading.  A skew-parse whose --list-formats has no auto fails.

SKEW_BIN: directory of the built programs (default ./build).
"""

import importlib.util
import json
import os
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(os.environ.get("SKEW_BIN") or os.path.join(TOP, "build"),
                   "skew-parse")
DATA = os.path.join(TOP, "testdata", "formats")

spec = importlib.util.spec_from_file_location(
    "expected", os.path.join(DATA, "expected.py"))
expected = importlib.util.module_from_spec(spec)
spec.loader.exec_module(expected)

NEEDS_WORD = {"year": "year", "date": "date"}

n = 0
failed = 0


def tap(ok, desc, why=()):
    global n, failed
    n += 1
    if not ok:
        failed += 1
    print("%s %d - %s" % ("ok" if ok else "not ok", n, desc))
    for w in why:
        print("#   " + w)


def run(args, name):
    p = subprocess.run([BIN] + args + [os.path.join(DATA, name + ".log")],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=dict(os.environ, LC_ALL="C"))
    return p.returncode, p.stdout.decode("utf-8", "replace"), \
        p.stderr.decode("utf-8", "replace")


def has_auto():
    p = subprocess.run([BIN, "--list-formats"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    return any(line.split()[:1] == ["auto"]
               for line in p.stdout.decode("utf-8", "replace").splitlines())


def check_reading(s, args, want_events, label):
    """Run one reading of a sample and compare it with the expectation."""
    exp = expected.expect(s)
    st, out, err = run(args, s["name"])
    why = []
    events, trailer = [], None
    for line in out.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            why.append("not NDJSON: %r" % line[:80])
            continue
        if rec.get("kind") == "input":
            trailer = rec
        else:
            events.append(rec)
    if st != 0:
        why.append("exit status %d: %s" % (st, err.strip()[:300]))
    if not events:
        why.append("no events")
    else:
        if events[0].get("ts") != s["FIRST"]:
            why.append("first event %s, expected %s (line %s)" % (
                events[0].get("ts"), s["FIRST"], events[0].get("line")))
        if events[-1].get("ts") != s["LAST"]:
            why.append("last event %s, expected %s (line %s)" % (
                events[-1].get("ts"), s["LAST"], events[-1].get("line")))
    if trailer is None:
        why.append("no trailer")
    else:
        if trailer.get("lines") != exp["lines"]:
            why.append("trailer lines %s, the file has %d" % (
                trailer.get("lines"), exp["lines"]))
        total = sum(trailer.get(k) or 0 for k in ("events", "skipped",
                                                  "blank"))
        if total != trailer.get("lines"):
            why.append("events + skipped + blank = %d, lines %s: lines "
                       "dropped" % (total, trailer.get("lines")))
        if trailer.get("events") != want_events:
            why.append("%s events, expected %d" % (trailer.get("events"),
                                                   want_events))
    tap(not why, "%s: %s" % (s["name"], label), [
        "command: skew-parse %s %s.log" % (" ".join(args), s["name"])]
        + why if why else ())


def check_refusal(s):
    """Without what it needs, the input is refused by name (status 2)."""
    need = s["needs"]
    word = NEEDS_WORD.get(need) or need.split(":", 1)[1]
    drop = {"year": "--year", "date": "--date"}.get(need, "--tz-abbrev")
    args, opts = ["-f", "auto"], list(s["options"])
    while drop in opts:
        i = opts.index(drop)
        del opts[i:i + 2]
    st, out, err = run(args + opts, s["name"])
    why = []
    if st != 2:
        why.append("exit status %d, expected 2" % st)
    if word.lower() not in err.lower():
        why.append("the message does not name %r: %s" % (word,
                                                         err.strip()[:300]))
    tap(not why, "%s: without %s refused, naming %s" % (s["name"], drop,
                                                        word), why)


def main():
    if not os.access(BIN, os.X_OK):
        print("1..0 # SKIP %s not built" % BIN)
        return 0
    auto = has_auto()
    tap(auto, "-f auto is listed by --list-formats",
        [] if auto else ["skew-parse --list-formats has no auto"])
    for s in expected.SAMPLES:
        if s.get("today"):
            check_reading(s, s["today"], s.get("today_events", s["EVENTS"]),
                          "today: " + " ".join(s["today"]))
        check_reading(s, ["-f", "auto"] + s["options"], s["EVENTS"],
                      "-f auto " + " ".join(s["options"]))
        if s["needs"]:
            check_refusal(s)
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
