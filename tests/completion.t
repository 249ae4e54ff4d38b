#!/bin/sh
# The shell completions (written at build time from cmd/opt.c's tables by
# build/mkcompletion): bash's are sourced in a bash -c with COMP_WORDS and
# COMP_CWORD set, and COMPREPLY checked: every option of the program's
# --help is offered, and the words of -f and -t.  zsh's are run by zsh when
# it is installed; otherwise their words are checked with Python's shlex
# (quoting) and every --help option is looked for.  TAP on stdout.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
: "${SKEW_BIN:=$top/build}"
exec python3 - "$top" "$SKEW_BIN" <<'PY'
import os, re, shlex, shutil, subprocess, sys
top, bindir = sys.argv[1], sys.argv[2]
comp = f"{bindir}/completions"
progs = ["skew-parse", "skew-align", "skew-fit", "skew-report", "skew"]
env = {"LC_ALL": "C", "PATH": "/usr/bin:/bin"}
tests = []

def ok(good, name, why=""):
    tests.append((bool(good), name, why))

def bash_complete(prog, words):
    """COMPREPLY for the command line words (the last one being completed)."""
    fn = "_" + prog.replace("-", "_")
    script = (f"source {shlex.quote(comp + '/bash/' + prog)} || exit 3\n"
              f"COMP_WORDS=({' '.join(shlex.quote(w) for w in words)})\n"
              f"COMP_CWORD={len(words) - 1}\n"
              f"{fn}\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n")
    r = subprocess.run(["bash", "-c", script], capture_output=True,
                       text=True, env=env, cwd=top)
    return r.returncode, [w for w in r.stdout.split("\n") if w], r.stderr

def help_options(prog):
    out = subprocess.run([f"{bindir}/{prog}", "--help"], capture_output=True,
                         text=True, env=env).stdout
    return sorted(set(re.findall(r"^  (?:-(\S), |    )--([a-z-]+)", out,
                                 re.M)))

for p in progs:
    opts = help_options(p)
    rc, reply, err = bash_complete(p, [p, "-"])
    offered = set(reply)
    missing = [f"--{l}" for s, l in opts if f"--{l}" not in offered] + \
              [f"-{s}" for s, l in opts if s and f"-{s}" not in offered]
    ok(rc == 0 and not err and len(opts) > 3 and not missing,
       f"bash {p} -<TAB>: every option of --help ({len(opts)})",
       f"rc {rc} err {err!r} missing {missing}")
    rc, reply, err = bash_complete(p, [p, "--q"])
    ok(reply == ["--quiet"], f"bash {p} --q<TAB>: --quiet", f"{reply} {err!r}")

presets = subprocess.run([f"{bindir}/skew-parse", "--list-formats"],
                         capture_output=True, text=True,
                         env=env).stdout
presets = re.findall(r"^(\S+)", presets, re.M)
rc, reply, err = bash_complete("skew-parse", ["skew-parse", "-f", ""])
ok(reply == presets and len(presets) > 3,
   "bash skew-parse -f <TAB>: the presets of --list-formats", f"{reply}")
rc, reply, err = bash_complete("skew", ["skew", "--from", "py"])
ok(reply == ["python-logging"], "bash skew --from py<TAB>", f"{reply}")
rc, reply, err = bash_complete("skew", ["skew", "-t", "h"])
ok(reply == ["html"], "bash skew -t h<TAB>: html", f"{reply}")
rc, reply, err = bash_complete("skew", ["skew", "-t", ""])
ok(reply == ["text", "markdown", "md", "html", "svg", "json"],
   "bash skew -t <TAB>: every format, json too", f"{reply}")
rc, reply, err = bash_complete("skew-report", ["skew-report", "--to", "=", "j"])
ok(reply == [], "bash skew-report --to=j<TAB>: no json", f"{reply}")
rc, reply, err = bash_complete("skew-report", ["skew-report", "--to", "=", "m"])
ok(reply == ["markdown", "md"], "bash skew-report --to=m<TAB>", f"{reply}")
rc, reply, err = bash_complete("skew-parse", ["skew-parse", "-t", ""])
ok(reply == ["ndjson", "tsv"], "bash skew-parse -t <TAB>: ndjson tsv",
   f"{reply}")
rc, reply, err = bash_complete("skew-fit", ["skew-fit", "-p", "testdata/ar"])
ok(reply == ["testdata/article"],
   "bash skew-fit -p <TAB>: -p is --pretty there, files follow", f"{reply}")
rc, reply, err = bash_complete("skew", ["skew", "-a", "testdata/ar"])
ok(reply == ["testdata/article"], "bash skew -a <TAB>: a file", f"{reply}")
rc, reply, err = bash_complete("skew", ["skew", "--gap", ""])
ok(reply == [], "bash skew --gap <TAB>: a duration, nothing offered",
   f"{reply}")

zsh = shutil.which("zsh")
for p in progs:
    path = f"{comp}/zsh/_{p}"
    text = open(path, encoding="utf-8").read()
    ok(text.startswith(f"#compdef {p}\n"), f"zsh _{p}: #compdef {p}")
    if zsh:
        r = subprocess.run([zsh, "-n", path], capture_output=True, text=True)
        ok(r.returncode == 0, f"zsh -n _{p}", r.stderr)
    body = text.split("_arguments", 1)[1]
    try:
        words = shlex.split(body.replace("\\\n", " "))
        good = True
    except ValueError as e:
        words, good = [], str(e)
    ok(good is True and words[:2] == ["-s", "-S"] and
       words[-1] == "*:file:_files",
       f"zsh _{p}: _arguments' words quoted whole", f"{good} {words[:3]}")
    specs = " ".join(words)
    missing = [l for s, l in help_options(p)
               if not re.search(r"(^|[{,'\s*])--" + re.escape(l) + r"[=\[},]",
                                specs)]
    ok(not missing, f"zsh _{p}: every option of --help", f"{missing}")
    bad = [w for w in words[2:-1]
           if len(re.sub(r"\\.", "", w.split("]")[0]).split("[")) != 2]
    ok(not bad, f"zsh _{p}: one [description] a spec", f"{bad[:2]}")

print(f"1..{len(tests)}")
fail = 0
for i, (good, name, why) in enumerate(tests, 1):
    print(("ok" if good else "not ok"), i, "-", name)
    if not good:
        print("#", why)
    fail += not good
sys.exit(1 if fail else 0)
PY
