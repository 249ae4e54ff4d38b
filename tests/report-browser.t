#!/usr/bin/env python3
"""Open skew-report's HTML in headless chromium and check the screenshot is
a real page with plots: the PNG is decoded here (zlib, stdlib only) and
must hold enough non-white pixels, many distinct colours, and the plots'
own colours (the fitted line's blue #1f77b4, the runs' orange #ff7f0e) in
the lower part of the page, where the plots are.  Skips when chromium is
not installed.  TAP on stdout.
"""
import os, shutil, struct, subprocess, sys, tempfile, zlib

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(top)
prog = os.path.join(os.environ.get("SKEW_BIN", os.path.join(top, "build")),
                    "skew-report")
browser = shutil.which("chromium") or shutil.which("chromium-browser")
if browser is None:
    print("1..0 # SKIP chromium is not installed")
    sys.exit(0)
n = 0
failed = 0


def ok(cond, name, why=""):
    global n, failed
    n += 1
    print(("ok" if cond else "not ok") + " %d - %s" % (n, name))
    if not cond:
        failed += 1
        if why:
            print("#   " + why)


def png_rows(path):
    """(width, height, rows of RGB tuples) of an 8-bit RGB/RGBA PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, w = 8, [], None
    while pos < len(data):
        ln, typ = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + ln]
        if typ == b"IHDR":
            w, h, depth, ctype, _, _, inter = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or inter != 0:
                raise ValueError("PNG kind %d/%d/%d" % (depth, ctype, inter))
            bpp = 3 if ctype == 2 else 4
        elif typ == b"IDAT":
            idat.append(body)
        pos += 12 + ln
    raw = zlib.decompress(b"".join(idat))
    stride = w * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(h):
        f = raw[y * (stride + 1)]
        cur = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                cur[i] = (cur[i] + cur[i - bpp]) & 255
        elif f == 2:
            cur = bytearray((a + b) & 255 for a, b in zip(cur, prev))
        elif f == 3:
            for i in range(stride):
                left = cur[i - bpp] if i >= bpp else 0
                cur[i] = (cur[i] + ((left + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                a = cur[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                cur[i] = (cur[i] + pr) & 255
        rows.append(bytes(cur))
        prev = cur
    return w, h, bpp, rows


def near(px, rgb, tol=40):
    return all(abs(a - b) <= tol for a, b in zip(px, rgb))


tmp = tempfile.mkdtemp()
try:
    for name in ("article", "pool"):
        html = os.path.join(tmp, name + ".html")
        png = os.path.join(tmp, name + ".png")
        with open(html, "wb") as f:
            rc = subprocess.run([prog, "-t", "html", "testdata/fit/%s.json" % name],
                                stdout=f).returncode
        ok(rc == 0, name + ": html written")
        prof = tempfile.mkdtemp(dir=tmp)
        try:
            subprocess.run(["timeout", "60", browser, "--headless", "--no-sandbox",
                            "--disable-gpu", "--disable-quic", "--no-first-run",
                            "--disable-background-networking",
                            "--disable-component-update", "--disable-sync",
                            "--user-data-dir=" + prof, "--screenshot=" + png,
                            "--window-size=1200,2400", "file://" + html],
                           capture_output=True, timeout=90)
        except subprocess.TimeoutExpired:
            pass
        if not os.path.exists(png):
            ok(False, name + ": screenshot taken")
            continue
        ok(True, name + ": screenshot taken")
        try:
            w, h, bpp, rows = png_rows(png)
        except Exception as e:
            ok(False, name + ": PNG decodes", str(e))
            continue
        ok((w, h) == (1200, 2400), name + ": 1200x2400", "%dx%d" % (w, h))
        nonwhite = 0
        colours = set()
        blue = orange = 0
        lower_nonwhite = 0
        # Every second pixel of every second row: plenty, and quick.
        for y in range(0, h, 2):
            row = rows[y]
            for x in range(0, w, 2):
                px = row[x * bpp:x * bpp + 3]
                if px[0] < 235 or px[1] < 235 or px[2] < 235:
                    nonwhite += 1
                    if y >= h // 2:
                        lower_nonwhite += 1
                colours.add(px)
                if y >= h // 3:
                    if near(px, (0x1f, 0x77, 0xb4)):
                        blue += 1
                    elif near(px, (0xff, 0x7f, 0x0e)):
                        orange += 1
        total = (w // 2) * (h // 2)
        ok(nonwhite > total * 0.03, name + ": not blank (%.1f %% non-white)" %
           (100.0 * nonwhite / total))
        ok(len(colours) > 100, name + ": %d distinct colours" % len(colours))
        ok(lower_nonwhite > (total // 2) * 0.02,
           name + ": the lower half (the plots) is drawn")
        ok(blue > 50, name + ": the fitted line's blue is on the page (%d)" % blue)
        ok(orange > 10, name + ": the runs' orange is on the page (%d)" % orange)
finally:
    shutil.rmtree(tmp)
print("1..%d" % n)
sys.exit(1 if failed else 0)
