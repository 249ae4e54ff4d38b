#!/bin/sh
# The command lines: one set of options for every program (cmd/opt.c).
# skew takes the stage programs' options and means the same by them; the
# provenance lists the same options either way; standard input has one
# name; --help and --version report a failed write; a library error keeps
# its message on its way to the user.  TAP on stdout.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
: "${SKEW_BIN:=$top/build}"
exec python3 - "$top" "$SKEW_BIN" <<'PY'
import json, os, re, subprocess, sys, tempfile
top, bindir = sys.argv[1], sys.argv[2]
os.chdir(top)
env = {"LC_ALL": "C", "PATH": bindir + ":/usr/bin:/bin"}
progs = ["skew-parse", "skew-align", "skew-fit", "skew-report", "skew"]
tests = []

def ok(good, name, why=""):
    tests.append((bool(good), name, why))

def run(args, stdin=None, shell=False):
    r = subprocess.run(args, input=stdin, capture_output=True, env=env,
                       shell=shell)
    return r.returncode, r.stdout.decode("utf-8", "replace"), \
        r.stderr.decode("utf-8", "replace")

art = "testdata/article/run1-n4-sleep10s.log"
comp = "testdata/real/pool8/completions.log"
arr = "testdata/real/pool8/arrivals.log"
tmp = tempfile.mkdtemp()

# -t html --plot rank: refused by skew as by skew-report, in the same words.
rc1, _, e1 = run(["skew", "-t", "html", "--plot", "rank", art])
fit = run(["skew", "-q", "-t", "json", art])[1]
rc2, _, e2 = run(["skew-report", "-t", "html", "--plot", "rank"],
                 stdin=fit.encode())
ok(rc1 == 2 and rc2 == 2 and e1.replace("skew:", "X:").split("\n")[0] ==
   e2.replace("skew-report:", "X:").split("\n")[0] and "only with -t svg" in e1,
   "-t html --plot rank: exit 2 in skew and skew-report, the same message",
   f"skew {rc1} {e1!r}; skew-report {rc2} {e2!r}")
rc, out, err = run(["skew", "-q", "-t", "json", "-p", "usl", art])
ok(rc == 2 and "only with -t svg" in err, "-t json --plot: refused",
   f"{rc} {err!r}")

# -t md: the Markdown report, in skew as in skew-report.
rc, md, err = run(["skew", "-q", "-t", "md", art])
md2 = run(["skew", "-q", "-t", "markdown", art])[1]
ok(rc == 0 and md == md2 and md.startswith("## "), "skew -t md is -t markdown",
   f"{rc} {err!r}")
rc, md3, _ = run(["skew-report", "-t", "md"], stdin=fit.encode())
ok(rc == 0 and md3.startswith("## "), "skew-report -t md is -t markdown")

# The provenance: skew and the stage pipeline, given the same options, write
# the same, and list only the options that change the document.
rc, one, err = run(["skew", "-q", "--color=never", "-t", "json",
                    "--fail-on", "serialized", "-s", "0.25", "--no-series",
                    "-r", "1,2", comp, "-a", arr])
pipe = run(f"skew-parse -q {comp} > {tmp}/c.ndjson && "
           f"skew-parse -q -k start {arr} > {tmp}/a.ndjson && "
           f"skew-align -q {tmp}/c.ndjson {tmp}/a.ndjson | skew-fit -q -p "
           f"--fail-on serialized -s 0.25 --no-series -r 1,2", shell=True)
try:
    a = json.loads(one)["provenance"]
    b = json.loads(pipe[1])["provenance"]
except ValueError as e:
    a, b = {"error": str(e)}, {}
ok(a == b, "skew and the pipeline write the same provenance",
   f"skew {a.get('options')} pipeline {b.get('options')}")
opts = a.get("options", [])
ok(opts[:3] == ["--service-time=0.25", "--no-series", "--run=1,2"] and
   not any(re.match(r"--(quiet|color|to|plot|pretty|fail-on|arrivals)", o)
           for o in opts),
   "the provenance lists only the options that change the document",
   f"{opts}")
ins = [i.get("options") for i in a.get("inputs", [])]
ok(ins == [["--from=auto:pid-tid-ts"], ["--from=auto:ts", "--kind=start"]],
   "each input says how it was read", f"{ins}")

# The article's excerpts: the whole document the same, provenance included.
logs = ["run1-n4-sleep10s.log", "run2-n100-sleep10s.log",
        "run3-n100-sleep30s.log", "run4-n200-sleep30s.log",
        "run5-n200-api30s.server.log"]
fitopts = "-s 10,10,30,30,30 -c 4,100,100,200,200"
d = "testdata/article/"
one = run(f"skew -q -t json {fitopts} " + " ".join(d + l for l in logs) +
          f" -a {d}run5-n200-api30s.api.log", shell=True)[1]
pipe = run("skew-parse -q " + " ".join(d + l for l in logs) +
           f" > {tmp}/s.ndjson && skew-parse -q -k start "
           f"{d}run5-n200-api30s.api.log > {tmp}/a.ndjson && skew-align -q "
           f"{tmp}/s.ndjson {tmp}/a.ndjson | skew-fit -q {fitopts}",
           shell=True)[1]
ok(one == pipe and one.startswith("{"),
   "the article: skew -t json and the pipeline write the same document",
   f"{one[-300:]!r} vs {pipe[-300:]!r}")

# -a takes one FILE a use, repeatable, and the synopsis says so.
rc, out, _ = run(["skew", "--help"])
ok("[-a FILE]..." in out and "[-a FILE ...]" not in out,
   "skew's synopsis: [-a FILE]...")
rc, out, err = run(["skew", "-q", "-t", "json", "-a", arr, "-a", arr, comp])
try:
    kinds = [i.get("options") for i in json.loads(out)["provenance"]["inputs"]]
except ValueError:
    kinds = []
ok(rc == 0 and kinds[1:] == [["--from=auto:ts", "--kind=start"]] * 2,
   "-a FILE -a FILE: both read as arrival logs", f"{rc} {kinds} {err!r}")
rc, out, err = run(["skew", "-q", "-t", "json", comp, "-a", arr, arr])
try:
    kinds = [i.get("options") for i in json.loads(out)["provenance"]["inputs"]]
except ValueError:
    kinds = []
ok(kinds == [["--from=auto:pid-tid-ts"], ["--from=auto:ts"],
             ["--from=auto:ts", "--kind=start"]],
   "LOG -a FILE FILE: the second FILE is a LOG, as the help says",
   f"{rc} {kinds}")

# Standard input is "stdin" everywhere.
rc, out, err = run(["skew-report", "-t", "markdown"], stdin=fit.encode())
ok("report input: stdin," in out, "skew-report names standard input stdin")
rc, out, err = run(["skew-report"], stdin=b"{")
ok(rc == 2 and err.startswith("skew-report: stdin:"),
   "skew-report's errors name standard input stdin", err)
rc, out, err = run(["skew-fit"], stdin=b"{\n")
ok(rc == 2 and err.startswith("skew-fit: stdin:1:"),
   "skew-fit's errors name standard input stdin", err)
rc, out, err = run(["skew", "-t", "json"], stdin=open(art, "rb").read())
ok(rc == 0 and "\nskew: stdin: 4 events" in err and
   all(e.startswith("skew: stdin: ") for e in err.splitlines()[:2]),
   "skew names standard input stdin", err)

# --help and --version: a failed write is exit 2 with the reason.
for p in progs:
    for opt in ("--help", "--version"):
        for where, redir in (("/dev/full", ">/dev/full"),
                             ("a closed stdout", ">&-")):
            rc, out, err = run(f"{p} {opt} {redir}", shell=True)
            ok(rc == 2 and re.match(p + r": write error: \S", err),
               f"{p} {opt} on {where}: exit 2 with the reason",
               f"{rc} {err!r}")
    rc, out, err = run(f"{p} --help | head -1", shell=True)
    ok(rc == 0 and out.startswith("usage: " + p), f"{p} --help | head")

# Unknown options and missing arguments: getopt's words, in every program.
for p in progs:
    rc, out, err = run([p, "--bogus"])
    ok(rc == 2 and err == f"{p}: unrecognized option '--bogus'\n"
       f"Try '{p} --help' for more information.\n", f"{p} --bogus", err)

# The same option means the same in every program: its help lines in skew's
# --help are those of the stage program that has it.
def blocks(text):
    out, cur = {}, None
    for line in text.split("\n"):
        m = re.match(r"  (?:-\S, |    )--([a-z-]+)", line)
        if m:
            cur = m.group(1)
            out[cur] = [line]
        elif cur and line.startswith(" " * 27):
            out[cur].append(line)
        else:
            cur = None
    return out
sk = blocks(run(["skew", "--help"])[1])
stage = {"skew-parse": ["from", "pattern", "kind", "tz", "year", "dur-unit"],
         "skew-align": ["gap", "offset"],
         "skew-fit": ["service-time", "concurrency", "run", "no-series",
                      "fail-on"],
         "skew-report": ["plot", "color"]}
for p, names in stage.items():
    b = blocks(run([p, "--help"])[1])
    diff = [n for n in names if n not in b or b[n] != sk.get(n)]
    ok(not diff, f"{p}'s options read the same in skew --help",
       f"differ: {diff}")
# --strict is each stage's own (a line skipped in skew-parse, an input
# incomplete in skew-align and skew-fit); skew's one --strict says both.
st = " ".join(x.strip() for x in sk.get("strict", []))
ok("first line skipped" in st and "without its trailer" in st,
   "skew --help: --strict covers a skipped line and an incomplete input", st)

# A library error keeps its words: skew says why the aligner stopped (here,
# out of memory), as skew-align does, not only "stopped".
if os.environ.get("SKEW_SANITIZED"):
    ok(True, "# SKIP out of memory: the sanitizers reserve memory of their own")
else:
    big = f"{tmp}/big.log"
    with open(big, "w") as f:
        for i in range(200000):
            f.write("1: %d: 2023-11-01 10:%02d:%02d.%06d\n" %
                    (i % 7, i // 100000, (i // 10000) % 60, i % 1000000))
    rc, out, err = run(f"ulimit -v 32000; skew -q -t json {big}", shell=True)
    ok(rc == 2 and re.search(r"^skew: .*big\.log:\d+: out of memory for \d+ "
                             r"events$", err, re.M),
       "skew under memory pressure: the aligner's reason, with file:line",
       f"{rc} {err!r}")

# A pipe on standard output or input is given 1 MiB of buffer (cli.c's
# CLI_PIPE_SIZE), so a stage pipeline's records cross it in fewer turns.
import fcntl, time
MIB = 1024 * 1024
r, w = os.pipe()
default = fcntl.fcntl(r, fcntl.F_GETPIPE_SZ)
p = subprocess.Popen(["skew-parse", art], stdout=w, stderr=subprocess.DEVNULL,
                     env=env)
os.close(w)
first = os.read(r, 1)
size_out = fcntl.fcntl(r, fcntl.F_GETPIPE_SZ)
while os.read(r, 65536):
    pass
os.close(r)
p.wait()
ok(first and default < MIB and size_out == MIB,
   "skew-parse: its standard output, a pipe, given 1 MiB",
   f"{default} -> {size_out}")
r, w = os.pipe()
p = subprocess.Popen(["skew-fit"], stdin=r, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, env=env)
os.close(r)
size_in = fcntl.fcntl(w, fcntl.F_GETPIPE_SZ)
for _ in range(100):
    if size_in == MIB:
        break
    time.sleep(0.05)
    size_in = fcntl.fcntl(w, fcntl.F_GETPIPE_SZ)
os.close(w)
p.wait()
ok(size_in == MIB, "skew-fit: its standard input, a pipe, given 1 MiB",
   f"{default} -> {size_in}")

subprocess.run(["rm", "-rf", tmp])
print(f"1..{len(tests)}")
bad = 0
for i, (good, name, why) in enumerate(tests, 1):
    print(("ok" if good else "not ok"), i, "-", name)
    if not good:
        print("#", why.replace("\n", "\n# "))
    bad += not good
sys.exit(1 if bad else 0)
PY
