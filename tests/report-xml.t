#!/usr/bin/env python3
"""Well-formedness and accessibility of every HTML and SVG skew-report
writes, for the fit documents of testdata/fit/ and two made here: a run
whose series was thinned, and 100 runs of 512 points (the overlaid plots).

Checks: xml.etree parses every output (and xmllint --noout, when there);
the HTML has no scripts and no external references; every <svg> has
role="img" and aria-labelledby naming its own <title> and <desc>; ids are
unique in a page; standalone SVG is in the SVG namespace; the plots a
document cannot give exit 2 with a reason.  TAP on stdout.
"""
import copy, json, os, re, shutil, subprocess, sys, tempfile
import xml.etree.ElementTree as ET

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(top)
binp = os.environ.get("SKEW_BIN", os.path.join(top, "build"))
prog = os.path.join(binp, "skew-report")
SVG = "{http://www.w3.org/2000/svg}"
n = 0
failed = 0


def ok(cond, name, why=""):
    global n, failed
    n += 1
    print(("ok" if cond else "not ok") + " %d - %s" % (n, name))
    if not cond:
        failed += 1
        if why:
            print("#   " + why.replace("\n", "\n#   "))


def run(args, stdin=None):
    p = subprocess.run([prog] + args, input=stdin, capture_output=True,
                       env=dict(os.environ, LC_ALL="C"))
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def local(tag):
    return tag.split("}")[-1]


def check_svgs(root, name):
    ids = {}
    for el in root.iter():
        i = el.get("id")
        if i is not None:
            ids[i] = ids.get(i, 0) + 1
    dup = [i for i, c in ids.items() if c > 1]
    ok(not dup, name + ": ids unique", "duplicates: %s" % dup)
    svgs = [el for el in root.iter() if local(el.tag) == "svg"]
    ok(len(svgs) > 0, name + ": has SVG")
    bad = []
    for s in svgs:
        lab = (s.get("aria-labelledby") or "").split()
        kids = {c.get("id"): local(c.tag) for c in s}
        if s.get("role") != "img" or len(lab) != 2 or \
                kids.get(lab[0]) != "title" or kids.get(lab[1]) != "desc" or \
                not "".join(s.find("./" + ("" if local(s.tag) == s.tag else SVG) + "title").itertext()).strip():
            bad.append(s.get("aria-labelledby"))
    ok(not bad, name + ": every plot has role=img, a title and a desc",
       "bad: %s" % bad)
    return svgs


def self_contained(text, name):
    probs = []
    if re.search(r"<script", text, re.I):
        probs.append("script")
    for m in re.finditer(r'\b(src|href|xlink:href)\s*=\s*"([^"]*)"', text):
        if not m.group(2).startswith("#"):
            probs.append(m.group(0))
    for m in re.finditer(r"url\(([^)]*)\)", text):
        if not m.group(1).strip("'\"").startswith("#"):
            probs.append(m.group(0))
    if "@import" in text or "http:" in text or "https:" in text:
        probs.append("a link or @import")
    ok(not probs, name + ": self-contained", "; ".join(probs[:5]))


def xmllint(path, name):
    if shutil.which("xmllint") is None:
        return
    p = subprocess.run(["xmllint", "--noout", path], capture_output=True)
    ok(p.returncode == 0 and not p.stderr, name + ": xmllint --noout",
       p.stderr.decode("utf-8", "replace"))


tmp = tempfile.mkdtemp()
try:
    docs = {}
    for f in sorted(os.listdir("testdata/fit")):
        if f.endswith(".json"):
            docs[f[:-5]] = os.path.join("testdata/fit", f)

    # A run whose series was thinned: the plots must say so.
    art = json.load(open(docs["article"]))
    thin = copy.deepcopy(art)
    for r in thin["runs"]:
        r["series"]["thinned"] = True
    docs["thinned"] = os.path.join(tmp, "thinned.json")
    json.dump(thin, open(docs["thinned"], "w"))

    # 100 runs of 512 points each, with starts: more than 12 runs.
    big = copy.deepcopy(art)
    big["runs"] = []
    for k in range(100):
        r = copy.deepcopy(art["runs"][0])
        r["run"] = k + 1
        r["n"] = 512 + k
        r["spread"] = 0.05 * (511 + k)
        r["series"] = {"rank": [[i, 0.05 * i] for i in range(512)],
                       "inflight": [[-30 + 0.1 * i, 512 - i] for i in range(512)],
                       "thinned": True}
        big["runs"].append(r)
    docs["hundred"] = os.path.join(tmp, "hundred.json")
    json.dump(big, open(docs["hundred"], "w"))

    # Characters that need escaping, in every string the report prints.
    esc = copy.deepcopy(art)
    esc["runs"][0]["reason"] = "a <b> & \"c\" 'd' ]]> \u0001 --"
    # (A verdict is one of four words: the reader refuses any other, so
    # it is not among the strings tried here.)
    esc["usl"]["reason"] = "<script>alert(1)</script>"
    esc["provenance"]["options"] = ["--x=<y>", {"gap": "a&b"}]
    docs["escaping"] = os.path.join(tmp, "escaping.json")
    json.dump(esc, open(docs["escaping"], "w"))

    for name, path in sorted(docs.items()):
        rc, out, err = run(["-t", "html", path])
        ok(rc == 0, name + " html: exit 0", err)
        text = out.decode("utf-8")
        out_path = os.path.join(tmp, name + ".html")
        open(out_path, "wb").write(out)
        try:
            root = ET.fromstring(text.split("\n", 1)[1])  # after DOCTYPE
            ok(True, name + " html: well-formed")
        except ET.ParseError as e:
            ok(False, name + " html: well-formed", str(e))
            continue
        xmllint(out_path, name + " html")
        self_contained(text, name + " html")
        svgs = check_svgs(root, name + " html")
        if name == "hundred":
            ok(len(svgs) == 3 and "100 runs overlaid" in text,
               "hundred html: overlaid rank and in-flight plots, not 200",
               "%d plots" % len(svgs))
            ok("+ 90 more runs" in text, "hundred html: legend counts the rest")
        if name == "thinned":
            ok(text.count("Points were downsampled") == 5,
               "thinned html: every rank plot says it was downsampled")
        if name == "escaping":
            ok("<script>" not in text and "&lt;script&gt;" in text,
               "escaping html: a reason cannot inject markup")
        if name == "open":
            # 16 runs, past 12: rank, in-flight and latency overlaid; no
            # spread plot, as no open run has a spread.
            ok(len(svgs) == 4 and 'id="spread-title"' not in text and
               'id="latency-inflight-all-title"' in text and
               'id="inflight-all-title"' in text and
               'id="throughput-title"' in text,
               "open html: overlaid rank, in-flight and latency plots, "
               "the throughput plot, no empty spread plot",
               "%d plots" % len(svgs))
        for plot in ("rank", "spread", "inflight", "usl", "latency-inflight",
                     "throughput"):
            rc, out, err = run(["-t", "svg", "--plot", plot, path])
            nm = "%s svg %s" % (name, plot)
            if rc != 0:
                ok(rc == 2 and err.startswith("skew-report: ") and
                   ("not fitted" in err or "no in-flight series" in err or
                    "--no-series" in err or "not measured" in err or
                    "no latency by requests in flight" in err),
                   nm + ": cannot be drawn, exit 2 with the reason", err)
                continue
            p = os.path.join(tmp, "%s-%s.svg" % (name, plot))
            open(p, "wb").write(out)
            try:
                root = ET.fromstring(out)
            except ET.ParseError as e:
                ok(False, nm + ": well-formed", str(e))
                continue
            ok(root.tag == SVG + "svg", nm + ": standalone SVG", root.tag)
            xmllint(p, nm)
            self_contained(out.decode("utf-8").replace(
                'xmlns="http://www.w3.org/2000/svg"', ""), nm)
            check_svgs(root, nm)
            ok(root.find(SVG + "metadata") is not None and
               "skew-report" in "".join(root.find(SVG + "metadata").itertext()),
               nm + ": provenance in metadata")
finally:
    shutil.rmtree(tmp)
print("1..%d" % n)
sys.exit(1 if failed else 0)
