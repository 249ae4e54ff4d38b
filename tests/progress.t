#!/bin/sh
# Progress on a terminal (parse/progress.c), through a pseudo-terminal
# (Python's pty): skew-parse and skew with standard error on the pty show
# the progress line, erase it before every message, and leave on the screen
# exactly what a run without a terminal writes to stderr; their output is
# the same byte for byte.  And never a progress byte when stderr is a file
# or a pipe, with -q, when the input is standard input (or a FIFO), or
# when skew-parse's output goes to the same terminal.  The delay of a second
# is lowered with SKEW_PROGRESS_AFTER_MS=0 (test only) so that a small
# generated log is enough; one run keeps the real delay and must show
# nothing.  TAP on stdout.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
: "${SKEW_BIN:=$top/build}"
exec python3 - "$top" "$SKEW_BIN" <<'PY'
import gzip, os, pty, re, subprocess, sys, tempfile
top, bindir = sys.argv[1], sys.argv[2]
tests = []
base = {"LC_ALL": "C", "PATH": "/usr/bin:/bin"}
fast = dict(base, SKEW_PROGRESS_AFTER_MS="0")

def ok(good, name, why=""):
    tests.append((bool(good), name, why))

def on_pty(argv, env, stdout=None, stdin=None, out_too=False):
    """Run argv with stderr (and stdout when out_too) on a new pty; return
    (status, the bytes read from the pty)."""
    master, slave = pty.openpty()
    p = subprocess.Popen(argv, env=env, cwd=tmp, stderr=slave,
                         stdout=slave if out_too else stdout,
                         stdin=stdin if stdin is not None else
                         subprocess.DEVNULL)
    os.close(slave)
    data = b""
    while True:
        try:
            b = os.read(master, 65536)
        except OSError:   # EIO: every end of the slave is closed
            break
        if not b:
            break
        data += b
    os.close(master)
    return p.wait(), data

def screen(data):
    """What a terminal shows after data: CR to column 0, characters
    overwrite, trailing spaces dropped."""
    rows, col = [[]], 0
    for ch in data.decode("utf-8", "replace"):
        if ch == "\r":
            col = 0
        elif ch == "\n":
            rows.append([])
            col = 0
        else:
            row = rows[-1]
            if col < len(row):
                row[col] = ch
            else:
                row.append(ch)
            col += 1
    return [("".join(r)).rstrip() for r in rows if "".join(r).strip()]

def lines_of(text):
    """The lines of text as screen() shows them."""
    return [l.rstrip() for l in text.splitlines() if l.strip()]

def plain(argv, env=base, stdin=None):
    """Run argv without a terminal: (status, stdout bytes, stderr text)."""
    r = subprocess.run(argv, env=env, cwd=tmp, capture_output=True,
                       stdin=stdin if stdin is not None else
                       subprocess.DEVNULL)
    return r.returncode, r.stdout, r.stderr.decode()

def progress_bytes(data):
    """Carriage returns other than the pty's own CR LF: progress drawing."""
    return data.replace(b"\r\n", b"\n").count(b"\r")

def size(b):
    """progress_size() of parse/progress.c, for the expected total."""
    if b < 999.5:
        return "%.0f B" % b
    b /= 1024
    units = iter([" KiB", " MiB", " GiB"])
    u = next(units)
    while b >= 999.5:
        b /= 1024
        u = next(units)
    fmt = "%.2f" if b < 9.995 else "%.1f" if b < 99.95 else "%.0f"
    return (fmt % b) + u

tmp = tempfile.mkdtemp(prefix="skew-progress-")
gen = subprocess.run([sys.executable, f"{top}/bench/gen.py", "100000"],
                     capture_output=True, check=True).stdout
with open(f"{tmp}/a.log", "wb") as f:
    f.write(gen)
half = gen[: gen.index(b"\n", len(gen) // 2) + 1]
with open(f"{tmp}/b.log", "wb") as f:
    f.write(half)
with open(f"{tmp}/a.log.gz", "wb") as f:
    f.write(gzip.compress(gen, 6))
parse = f"{bindir}/skew-parse"
line_re = re.compile(rb"\rskew-parse: (\d+)% \S+ \S+ of (\S+ \S+), \S+ events")

# skew-parse on a terminal, two inputs: drawn, erased before each input's
# summary, the screen and the output as without a terminal.
want_rc, want_out, want_err = plain([parse, "a.log", "b.log"])
with open(f"{tmp}/tty.ndjson", "wb") as out:
    rc, data = on_pty([parse, "a.log", "b.log"], fast, stdout=out)
lines = line_re.findall(data)
ok(rc == 0 and want_rc == 0, "skew-parse a.log b.log: exit 0 on a pty too",
   f"{rc} {want_rc}")
ok(lines, "skew-parse: the progress line is drawn", repr(data[:300]))
total = size(len(gen) + len(half))
ok(lines and all(t.decode() == total for _, t in lines),
   f"skew-parse: of the total of both files ({total})", repr(lines))
ok(re.search(rb"\r *\rskew-parse: a\.log: read as pid-tid-ts", data),
   "skew-parse: erased (CR, spaces, CR) before the first message",
   repr(data[:300]))
ok(screen(data) == lines_of(want_err),
   "skew-parse: the screen holds the messages only, none mixed with it",
   f"{screen(data)!r} != {lines_of(want_err)!r}")
last = max((m.end() for m in line_re.finditer(data)), default=0)
ok(last and re.match(rb"[^\r\n]*\r +\r", data[last:]),
   "skew-parse: the last line drawn is erased", repr(data[last - 80:]))
with open(f"{tmp}/tty.ndjson", "rb") as f:
    got = f.read()
ok(got == want_out and len(got) > 1000000,
   "skew-parse: the output is identical to a run without a terminal",
   f"{len(got)} bytes, {len(want_out)} expected")

# gzip: the compressed bytes of the file's size.
with open(f"{tmp}/gz.ndjson", "wb") as out:
    rc, data = on_pty([parse, "a.log.gz"], fast, stdout=out)
lines = line_re.findall(data)
gzsize = size(os.path.getsize(f"{tmp}/a.log.gz"))
ok(rc == 0 and lines and all(t.decode() == gzsize for _, t in lines),
   f"skew-parse a.log.gz: of the compressed size ({gzsize})", repr(lines))

# The real delay (a second): this run takes far less, so nothing is drawn.
with open(os.devnull, "wb") as out:
    rc, data = on_pty([parse, "a.log"], base, stdout=out)
ok(rc == 0 and progress_bytes(data) == 0 and b"100000 events" in data,
   "skew-parse: under a second, no progress without the test variable",
   repr(data[:300]))

# The negative cases, each with the delay lowered: not a byte of progress.
for name, kw in [("-q", {"argv": [parse, "-q", "a.log"]}),
                 ("input from stdin (no file)", {"argv": [parse],
                                                 "stdin": "a.log"}),
                 ("input \"-\" among the files",
                  {"argv": [parse, "b.log", "-"], "stdin": "a.log"})]:
    stdin = open(f"{tmp}/{kw['stdin']}", "rb") if "stdin" in kw else None
    with open(os.devnull, "wb") as out:
        rc, data = on_pty(kw["argv"], fast, stdout=out, stdin=stdin)
    if stdin:
        stdin.close()
    ok(rc == 0 and progress_bytes(data) == 0,
       f"skew-parse {name}: no progress", repr(data[:300]))
rc, data = on_pty([parse, "b.log"], fast, out_too=True)
ok(rc == 0 and progress_bytes(data) == 0 and b'"t":' in data,
   "skew-parse with the events on the same terminal: no progress",
   repr(data[:200]))
os.mkfifo(f"{tmp}/fifo")
writer = subprocess.Popen(["sh", "-c", f"cat b.log > fifo"], cwd=tmp)
with open(os.devnull, "wb") as out:
    rc, data = on_pty([parse, "fifo"], fast, stdout=out)
writer.wait()
ok(rc == 0 and progress_bytes(data) == 0 and b" 0 skipped" in data,
   "skew-parse on a named FIFO (not a regular file): no progress",
   repr(data[:300]))
for name, to in [("a file", "file"), ("a pipe", "pipe")]:
    if to == "file":
        with open(f"{tmp}/err.txt", "wb") as e:
            rc = subprocess.run([parse, "a.log"], env=fast, cwd=tmp,
                                stdout=subprocess.DEVNULL, stderr=e,
                                stdin=subprocess.DEVNULL).returncode
        with open(f"{tmp}/err.txt", "rb") as e:
            err = e.read()
    else:
        r = subprocess.run([parse, "a.log"], env=fast, cwd=tmp,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL)
        rc, err = r.returncode, r.stderr
    ok(rc == 0 and err == b"skew-parse: a.log: read as pid-tid-ts (-f auto: "
       b"1000 of 1000 lines sampled)\nskew-parse: a.log: 100000 events, "
       b"0 skipped, 0 blank\n", f"skew-parse with stderr to {name}: "
       "no progress",
       repr(err[:300]))

# skew: the whole pipeline, its report on the same terminal after the
# reading: the line drawn, erased, the screen as without a terminal.
skew = f"{bindir}/skew"
want_rc, want_out, want_err = plain([skew, "a.log"])
with open(f"{tmp}/report.txt", "wb") as out:
    rc, data = on_pty([skew, "a.log"], fast, stdout=out)
ok(rc == want_rc == 0 and re.search(rb"\rskew: \d+% ", data),
   "skew a.log: the progress line is drawn", repr(data[:300]))
ok(screen(data) == lines_of(want_err),
   "skew: the screen holds the messages only",
   f"{screen(data)!r} != {lines_of(want_err)!r}")
with open(f"{tmp}/report.txt", "rb") as f:
    ok(f.read() == want_out, "skew: the report is identical")
want_rc, want_out, want_err = plain([skew, "--color=never", "a.log"])
rc, data = on_pty([skew, "--color=never", "a.log"], fast, out_too=True)
text = "\n".join(screen(data))
ok(rc == 0 and text == "\n".join(lines_of(want_err) +
                                 lines_of(want_out.decode())),
   "skew with the report on the same terminal: erased before the report",
   f"{text[:400]!r}")
# skew's arrival logs (-a) count in the total; "-" among them stops it.
arr = [skew, "--arrivals-from", "pid-tid-ts", "a.log", "-a"]
rc, data = on_pty(arr + ["b.log"], fast, stdout=subprocess.DEVNULL)
tot = re.findall(rb"\rskew: \d+% \S+ \S+ of (\S+ \S+),", data)
ok(rc == 0 and tot and all(t.decode() == total for t in tot),
   f"skew a.log -a b.log: of the total of both ({total})", repr(data[:300]))
with open(f"{tmp}/b.log", "rb") as stdin:
    rc, data = on_pty(arr + ["-"], fast, stdout=subprocess.DEVNULL,
                      stdin=stdin)
ok(rc == 0 and progress_bytes(data) == 0,
   "skew a.log -a - (arrivals from standard input): no progress",
   repr(data[:300]))
with open(f"{tmp}/a.log", "rb") as stdin:
    rc, data = on_pty([skew], fast, stdout=subprocess.DEVNULL, stdin=stdin)
ok(rc == 0 and progress_bytes(data) == 0,
   "skew reading standard input: no progress", repr(data[:300]))
rc, data = on_pty([skew, "-q", "a.log"], fast, stdout=subprocess.DEVNULL)
ok(rc == 0 and data == b"", "skew -q: nothing at all on the terminal",
   repr(data[:300]))

subprocess.run(["rm", "-rf", tmp])
print(f"1..{len(tests)}")
for i, (good, name, why) in enumerate(tests, 1):
    print(f"{'ok' if good else 'not ok'} {i} - {name}")
    if not good:
        print(f"#   {why}")
sys.exit(0 if all(g for g, _, _ in tests) else 1)
PY
