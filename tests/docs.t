#!/bin/sh
# The documentation matches the programs: every long option that a
# program's --help lists is documented in its man page, and the README
# carries each program's --help text verbatim (make the README's copy with
# `sh tests/docs.t --print`).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
: "${SKEW_BIN:=$top/build}"
exec python3 - "$top" "$SKEW_BIN" "$@" <<'PY'
import re, subprocess, sys
top, bindir = sys.argv[1], sys.argv[2]
progs = ["skew-parse", "skew-align", "skew-fit", "skew-report", "skew"]
helps = {}
for p in progs:
    r = subprocess.run([f"{bindir}/{p}", "--help"], capture_output=True,
                       text=True, env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"})
    helps[p] = (r.returncode, r.stdout, r.stderr)
if "--print" in sys.argv[3:]:
    for p in progs:
        print(f"### {p}\n\n```\n{helps[p][1]}```\n")
    sys.exit(0)
checks = []
readme = open(f"{top}/README.md", encoding="utf-8").read()
for p in progs:
    rc, out, err = helps[p]
    checks.append((rc == 0 and out and not err,
                   f"{p} --help: status 0, text on stdout only"))
    man = open(f"{top}/man/{p}.1", encoding="utf-8").read()
    # mdoc writes a long option as "Fl \-name" or "Fl -name" (or within
    # Fl \-\-name for man(7)); normalise the escapes before looking.
    flat = man.replace("\\-", "-").replace("\\&", "")
    opts = sorted(set(re.findall(r"--([a-z][a-z0-9-]*)", out)))
    missing = [o for o in opts
               if not re.search(r"(Fl -|--)" + re.escape(o) + r"\b", flat)]
    checks.append((not missing, f"man/{p}.1 documents every long option of "
                   f"--help ({len(opts)})" +
                   (f": missing {', '.join(missing)}" if missing else "")))
    checks.append((out in readme,
                   f"README.md carries {p} --help verbatim"))
print(f"1..{len(checks)}")
bad = 0
for i, (good, name) in enumerate(checks, 1):
    print(("ok" if good else "not ok"), i, "-", name)
    bad += not good
sys.exit(1 if bad else 0)
PY
