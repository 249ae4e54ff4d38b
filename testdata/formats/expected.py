#!/usr/bin/env python3
"""Expected readings of the samples in testdata/formats/, worked out
independently of skew's C code (Python standard library only; skew is never
called here).

For each sample: how many lines it has, which are events, which are skipped
and why (in plain words), which are blank, the first and the last event time
(in file order) as exact UTC ISO text with the fraction digits as logged,
the options a user must give, what `-f auto` should choose, and a reading
today's skew-parse can do (`today`), where there is one.

Every time is computed per format with explicit code: a regular expression
for that format's fields, then whole-number calendar arithmetic (days from
civil date, offset in minutes) written here.  The first and last times are
also written out by hand in the table (FIRST/LAST), and `python3
expected.py` checks three ways agree: the hand-written text, this file's
arithmetic, and the standard library's datetime on the same fields.

Run `python3 testdata/formats/expected.py` to print the table (and check
it); tests/formats.t imports SAMPLES and expect().
"""

import datetime
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

MONTHS = {m: i + 1 for i, m in enumerate(
    "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())}


# --- calendar arithmetic (Howard Hinnant's days_from_civil) -------------

def days_from_civil(y, m, d):
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(z):
    z += 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return y + (m <= 2), m, d


def epoch_text(secs, frac=""):
    """Whole epoch seconds and the fraction digits as logged -> ISO UTC."""
    days, rem = divmod(secs, 86400)
    y, m, d = civil_from_days(days)
    text = "%04d-%02d-%02dT%02d:%02d:%02d" % (
        y, m, d, rem // 3600, rem // 60 % 60, rem % 60)
    return text + ("." + frac if frac else "") + "Z"


def civil_text(y, mo, d, h, mi, s, frac="", off_min=0):
    """A local civil time at UTC offset off_min minutes -> ISO UTC."""
    secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s
    return epoch_text(secs - off_min * 60, frac)


def offset_minutes(z):
    """'Z', '+03:00', '+0800', '-07:00' -> minutes east of UTC."""
    if z in (None, "", "Z"):
        return 0
    sign = -1 if z[0] == "-" else 1
    digits = z[1:].replace(":", "")
    return sign * (int(digits[:2]) * 60 + int(digits[2:4]))


def year2(yy):
    """%y: 70-99 is 19xx, 00-69 is 20xx (the contract's rule)."""
    return 1900 + yy if yy >= 70 else 2000 + yy


# --- one reader per format ------------------------------------------------
# Each returns the event's ISO UTC text, or None when the line carries no
# time of that format (then it is a skipped line).

ISO = (r"(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)"
       r"(?:[.,](\d{1,9}))?(Z|[+-]\d\d:?\d\d)?")


def _iso(m, off_min=None):
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    frac, zone = m.group(7) or "", m.group(8)
    off = offset_minutes(zone) if zone else (off_min or 0)
    return civil_text(y, mo, d, h, mi, s, frac, off)


def iso_start(off_min=0):
    rx = re.compile("^" + ISO)
    return lambda line: (lambda m: _iso(m, off_min) if m else None)(
        rx.match(line))


def iso_anywhere(off_min=0):
    """The first ISO time on the line, after any prefix (a date followed by
    '_' is not one: it needs T or a space before the time)."""
    rx = re.compile(ISO)
    return lambda line: (lambda m: _iso(m, off_min) if m else None)(
        rx.search(line))


def iso_then_abbrev(abbrevs):
    """ISO without offset followed by a space and a zone abbreviation whose
    meaning the user gave (UTC is zero)."""
    rx = re.compile(ISO + r" ([A-Z]{2,5})\b")

    def read(line):
        m = rx.search(line)
        if not m:
            return None
        return _iso(m, abbrevs[m.group(9)])
    return read


def json_key(key, prefix=""):
    """One JSON object a line (after a literal prefix); the time under key,
    ISO text or an epoch number read from its text (never a double)."""
    def read(line):
        if not line.startswith(prefix):
            return None
        try:
            obj = json.loads(line[len(prefix):], parse_float=str,
                             parse_int=str)
        except ValueError:
            return None
        v = obj.get(key)
        if v is None:
            return None
        m = re.fullmatch(ISO, v)
        if m:
            return _iso(m)
        return epoch_digits(v)
    return read


def epoch_digits(v):
    """An epoch number's text: by its digit count after leading zeros,
    9-11 seconds (a fraction may follow), 12-14 milliseconds, 15-17
    microseconds, 18-20 nanoseconds (the contract's rule)."""
    m = re.fullmatch(r"0*(\d+)(?:\.(\d+))?", v)
    if not m:
        return None
    digits, frac = m.group(1), m.group(2) or ""
    for lo, hi, scale in ((9, 11, 0), (12, 14, 3), (15, 17, 6), (18, 20, 9)):
        if lo <= len(digits) <= hi and (scale == 0 or not frac):
            if scale == 0:
                return epoch_text(int(digits), frac)
            return epoch_text(int(digits[:-scale]), digits[-scale:])
    return None


def logfmt_time():
    rx = re.compile(r'^time="' + ISO + '"')
    return lambda line: (lambda m: _iso(m) if m else None)(rx.match(line))


def clf(line):
    m = re.search(r"\[(\d\d)/(\w{3})/(\d{4}):(\d\d):(\d\d):(\d\d) "
                  r"([+-]\d{4})\]", line)
    if not m:
        return None
    d, mon, y, h, mi, s, z = m.groups()
    return civil_text(int(y), MONTHS[mon], int(d), int(h), int(mi), int(s),
                      "", offset_minutes(z))


def ctime(line):
    """[Sun Dec 04 04:47:44 2005] anywhere on the line (Apache error log,
    uWSGI request log)."""
    m = re.search(r"\[(?:Sun|Mon|Tue|Wed|Thu|Fri|Sat) (\w{3}) ([ \d]\d) "
                  r"(\d\d):(\d\d):(\d\d) (\d{4})\]", line)
    if not m:
        return None
    mon, d, h, mi, s, y = m.groups()
    return civil_text(int(y), MONTHS[mon], int(d), int(h), int(mi), int(s))


def syslog(year):
    rx = re.compile(r"^(\w{3}) ([ \d]\d) (\d\d):(\d\d):(\d\d) ")

    def read(line):
        m = rx.match(line)
        if not m or m.group(1) not in MONTHS:
            return None
        mon, d, h, mi, s = m.groups()
        return civil_text(year, MONTHS[mon], int(d), int(h), int(mi),
                          int(s))
    return read


def yearless(pattern, year):
    """A month and day (numbers) but no year on the line: the user's year.
    Groups: month, day, hour, minute, second[, fraction digits]."""
    rx = re.compile(pattern)

    def read(line):
        m = rx.match(line)
        if not m:
            return None
        mo, d, h, mi, s = (int(g) for g in m.groups()[:5])
        frac = m.group(6) if rx.groups > 5 else ""
        return civil_text(year, mo, d, h, mi, s, frac)
    return read


def logcat(year):
    """Android logcat threadtime: 03-17 16:13:38.811 (MM-dd)."""
    return yearless(r"^(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3}) ", year)


def glog(year):
    """glog: I0517 15:04:22.619632 (level letter, MMdd)."""
    return yearless(r"^[IWEF](\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6}) ",
                    year)


def proxifier(year):
    """Proxifier: [10.30 16:49:06] (MM.dd)."""
    return yearless(r"^\[(\d\d)\.(\d\d) (\d\d):(\d\d):(\d\d)\] ", year)


def hdfs(line):
    """yyMMdd HHmmss: 081109 203615 is 2008-11-09 20:36:15."""
    m = re.match(r"^(\d\d)(\d\d)(\d\d) (\d\d)(\d\d)(\d\d) ", line)
    if not m:
        return None
    yy, mo, d, h, mi, s = (int(g) for g in m.groups())
    return civil_text(year2(yy), mo, d, h, mi, s)


def spark(line):
    """yy/MM/dd HH:mm:ss: 17/06/09 is 2017-06-09 (17 cannot be a month; the
    application id in the sample, epoch ms 1485248649253, is January 2017)."""
    m = re.match(r"^(\d\d)/(\d\d)/(\d\d) (\d\d):(\d\d):(\d\d) ", line)
    if not m:
        return None
    yy, mo, d, h, mi, s = (int(g) for g in m.groups())
    return civil_text(year2(yy), mo, d, h, mi, s)


def healthapp(line):
    """yyyyMMdd-HH:mm:ss:SSS where SSS is milliseconds written without
    leading zeros (35:11 is .011, 35:98 is .098, 35:104 is .104: the lines
    are in that order), so the fraction is the number zero-padded to 3."""
    m = re.match(r"^(\d{4})(\d\d)(\d\d)-(\d\d):(\d\d):(\d\d):(\d{1,3})\|",
                 line)
    if not m:
        return None
    y, mo, d, h, mi, s, ms = (int(g) for g in m.groups())
    return civil_text(y, mo, d, h, mi, s, "%03d" % ms)


def epoch_field(n):
    """Whitespace-separated field n (0-based) holds 10-digit epoch seconds."""
    def read(line):
        f = line.split()
        if len(f) <= n or not re.fullmatch(r"\d{10}", f[n]):
            return None
        return epoch_text(int(f[n]))
    return read


def time_of_day(date):
    y, mo, d = date
    rx = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d{6}) ")

    def read(line):
        m = rx.match(line)
        if not m:
            return None
        h, mi, s, us = m.groups()
        return civil_text(y, mo, d, int(h), int(mi), int(s), us)
    return read


# --- the samples ----------------------------------------------------------
# name: file testdata/formats/NAME.log
# read: the reader above, with the options' values (year, zone) applied
# options: what the user must give for the right reading (with -f auto)
# needs: what skew must refuse to guess: "year", "date" or "abbrev:NAME";
#        without it the input is refused (status 2, the message names it)
# skip: why the non-blank lines that are not events are skipped
# auto: what -f auto should choose, in words
# today: a reading today's skew-parse (before -f auto) can do right, or
#        None with the reason in today_note
# FIRST/LAST: the first and last event (file order), written by hand
# EVENTS: the number of events, written by hand

SAMPLES = [
    dict(name="hdfs", read=hdfs, options=[], needs=None,
         auto="yyMMdd HHmmss at line start (081109 203615 is a date, never "
              "an epoch)",
         today=None, today_note="no preset; -e reads 081109 as epoch "
              "seconds (1970), see report",
         FIRST="2008-11-09T20:36:15Z", LAST="2008-11-09T20:44:53Z",
         EVENTS=8),
    dict(name="hadoop", read=iso_start(), options=[], needs=None,
         auto="python-logging (ISO with space, comma fraction)",
         today=["-f", "python-logging"],
         FIRST="2015-10-18T18:01:47.978Z", LAST="2015-10-18T18:01:50.509Z",
         EVENTS=6),
    dict(name="spark", read=spark, options=[], needs=None,
         auto="yy/MM/dd HH:mm:ss at line start (17 is no month: yy/MM/dd)",
         today=None, today_note="no preset, and -e cannot say the shape",
         FIRST="2017-06-09T20:10:40Z", LAST="2017-06-09T20:10:41Z",
         EVENTS=12),
    dict(name="zookeeper", read=iso_start(), options=[], needs=None,
         auto="python-logging (ISO with space, comma fraction, then ' - ')",
         today=["-f", "python-logging"],
         FIRST="2015-07-29T17:41:44.747Z", LAST="2015-07-29T19:13:24.282Z",
         EVENTS=6),
    dict(name="bgl", read=epoch_field(1), options=[], needs=None,
         auto="epoch seconds after a prefix (the 10-digit field; the local "
              "2005-06-03-15.42.50.675872 is no listed shape)",
         today=["-e", r"^\S+ (?<ts>\d{10}) "],
         FIRST="2005-06-03T22:42:50Z", LAST="2005-06-04T07:24:36Z",
         EVENTS=10),
    dict(name="hpc", read=epoch_field(4), options=[], needs=None,
         auto="epoch seconds after a prefix (fifth field; lines are not in "
              "time order)",
         today=["-e", r"^\S+ \S+ \S+ \S+ (?<ts>\d{10}) "],
         FIRST="2004-02-26T14:12:22Z", LAST="2004-01-14T23:32:30Z",
         EVENTS=14),
    dict(name="thunderbird", read=epoch_field(1), options=[], needs=None,
         auto="epoch seconds after a prefix (the syslog time later on the "
              "line is local, yearless and single-spaced)",
         today=["-e", r"^\S+ (?<ts>\d{10}) "],
         FIRST="2005-11-09T20:01:01Z", LAST="2005-11-09T20:01:01Z",
         EVENTS=6),
    dict(name="windows-cbs", read=iso_start(), options=[], needs=None,
         auto="ISO with space at line start, followed by a comma (not a "
              "fraction)",
         today=["-e", r"^(?<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),"],
         FIRST="2016-09-28T04:30:30Z", LAST="2016-09-28T04:30:31Z",
         EVENTS=7),
    dict(name="linux-syslog", read=syslog(2005), options=["--year", "2005"],
         needs="year", auto="syslog, needs --year (2005: the ftpd lines of "
              "the same source carry ctime with 2005)",
         today=["-f", "syslog", "--year", "2005"],
         FIRST="2005-06-14T15:16:01Z", LAST="2005-06-15T04:06:20Z",
         EVENTS=16),
    dict(name="android-logcat", read=logcat(2017),
         options=["--year", "2017"], needs="year",
         auto="MM-dd HH:mm:ss.SSS (logcat threadtime), needs --year",
         today=None, today_note="no preset; the ISO reader wants a year",
         FIRST="2017-03-17T16:13:38.811Z", LAST="2017-03-17T16:13:38.877Z",
         EVENTS=10),
    dict(name="healthapp", read=healthapp, options=[], needs=None,
         auto="yyyyMMdd-HH:mm:ss:SSS (milliseconds not zero-padded)",
         today=None, today_note="no preset, and -e cannot say the shape",
         FIRST="2017-12-23T22:15:34.711Z", LAST="2017-12-23T22:15:35.098Z",
         EVENTS=18),
    dict(name="proxifier", read=proxifier(2016), options=["--year", "2016"],
         needs="year", auto="[MM.dd HH:mm:ss], needs --year (the year is "
              "the user's: the file does not say it)",
         today=None, today_note="no preset, and -e cannot say the shape",
         FIRST="2016-10-30T16:49:06Z", LAST="2016-10-30T16:49:07Z",
         EVENTS=8),
    dict(name="apache-error", read=ctime, options=[], needs=None,
         auto="ctime in brackets ([Sun Dec 04 04:47:44 2005])",
         today=None, today_note="-e on the ctime without its year gives "
              "1970 (exit 0), see report",
         FIRST="2005-12-04T04:47:44Z", LAST="2005-12-04T04:51:18Z",
         EVENTS=10),
    dict(name="openstack", read=iso_anywhere(), options=[], needs=None,
         auto="ISO with space after a prefix (the file name in the prefix, "
              "2017-05-16_13:53:08, is no time: '_' is not T or space)",
         today=["-e", r"^\S+ (?<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+) "],
         FIRST="2017-05-16T00:00:00.008Z", LAST="2017-05-16T00:00:04.693Z",
         EVENTS=9),
    dict(name="mac-syslog", read=syslog(2017), options=["--year", "2017"],
         needs="year", auto="syslog (space-padded day), needs --year; not "
              "the ISO (1 line) nor the epoch (1 line) inside messages",
         today=["-f", "syslog", "--year", "2017"],
         FIRST="2017-07-01T09:45:52Z", LAST="2017-07-01T10:08:29Z",
         EVENTS=7),
    dict(name="glog", read=glog(2015), options=["--year", "2015"],
         needs="year", auto="glog (I0517 15:04:22.619632), needs --year "
              "(the year is the user's: the file does not say it)",
         today=None, today_note="no preset, and -e cannot say the shape",
         FIRST="2015-05-17T15:04:22.619632Z",
         LAST="2015-05-17T15:04:22.619776Z", EVENTS=7),
    dict(name="bunyan", read=json_key("time"), options=[], needs=None,
         auto="json (key time, ISO)",
         today=["-e", r'"time":"(?<ts>[^"]+)"'],
         FIRST="2023-03-24T14:26:16.243Z", LAST="2023-03-24T14:26:18.331Z",
         EVENTS=10),
    dict(name="syslog-5424-zones", read=iso_start(), options=[], needs=None,
         auto="ISO at line start with Z or a numeric offset (RFC 5424 "
              "timestamp)",
         today=["-f", "iso"],
         FIRST="2022-08-27T14:22:01.613Z", LAST="2022-08-27T14:22:01.888Z",
         EVENTS=3),
    dict(name="rust-tracing", read=json_key("timestamp"), options=[],
         needs=None, auto="json (key timestamp, ISO)",
         today=["-e", r'"timestamp":"(?<ts>[^"]+)"'],
         FIRST="2025-10-28T19:15:10.821315Z",
         LAST="2025-10-28T19:15:10.821723Z", EVENTS=5),
    dict(name="zap-console", read=iso_start(), options=[], needs=None,
         auto="ISO with T and Z at line start (tab after it)",
         today=["-f", "iso"],
         FIRST="2025-04-24T22:09:20.854Z", LAST="2025-04-24T22:09:21.256Z",
         EVENTS=3),
    dict(name="logback-java", read=iso_start(), options=[], needs=None,
         auto="ISO with T and comma fraction at line start",
         today=["-f", "iso"],
         FIRST="2025-01-24T07:00:30.139Z", LAST="2025-01-24T07:05:38.884Z",
         EVENTS=20),
    dict(name="haproxy-syslog", read=syslog(2019), options=["--year", "2019"],
         needs="year", auto="syslog, needs --year (2019 from haproxy's own "
              "accept date on the request lines)",
         today=["-f", "syslog", "--year", "2019"],
         FIRST="2019-02-25T16:19:38Z", LAST="2019-02-25T16:20:12Z",
         EVENTS=17),
    dict(name="iis-w3c", read=iso_anywhere(), options=[], needs=None,
         auto="ISO with space after a prefix: under the contract's "
              "precedence (most lines) the #Date directive is read too",
         today=["-f", "iso"], today_events=1,
         FIRST="2002-05-02T17:42:15Z", LAST="2002-05-02T17:42:15Z",
         EVENTS=2),
    dict(name="uwsgi", read=ctime, options=[], needs=None,
         auto="ctime in brackets after a prefix",
         today=None, today_note="-e on the ctime without its year gives "
              "1970 (exit 0)",
         FIRST="2016-03-13T22:49:12Z", LAST="2016-03-13T22:51:15Z",
         EVENTS=8),
    dict(name="caddy-compose", read=json_key("ts", "caddy  | "), options=[],
         needs=None, auto="json after a docker-compose prefix (key ts, "
              "epoch seconds with 7 fraction digits)",
         today=["-e", r'"ts":(?<ts>\d+\.\d+)'],
         FIRST="2025-10-21T04:10:22.3152757Z",
         LAST="2025-10-21T04:10:28.6153953Z", EVENTS=16),
    dict(name="nextcloud", read=json_key("time"), options=[], needs=None,
         auto="json (key time, ISO with +00:00)",
         today=["-e", r'"time":"(?<ts>[^"]+)"'],
         FIRST="2023-10-01T02:39:09Z", LAST="2023-10-16T01:50:18Z",
         EVENTS=5),
    dict(name="gunicorn-traceback", read=iso_start(120),
         options=["--tz", "+02:00"], needs=None,
         auto="ISO with space at line start; naive, so --tz +02:00 (the "
              "access lines inside give the server's offset +0200)",
         today=["-f", "iso", "--tz", "+02:00"],
         FIRST="2017-09-10T10:31:06Z", LAST="2017-09-10T10:32:06Z",
         EVENTS=6),
    dict(name="nginx-clf", read=clf, options=[], needs=None,
         auto="clf", today=["-f", "clf"],
         FIRST="2022-07-25T02:56:23Z", LAST="2022-07-25T03:16:43Z",
         EVENTS=8),
    dict(name="postgres-pdt", read=iso_then_abbrev({"PDT": -420}),
         options=["--tz-abbrev", "PDT=-07:00"], needs="abbrev:PDT",
         auto="ISO with space followed by a zone abbreviation (PDT: refused "
              "unless --tz-abbrev or a --tz whose abbreviation it is)",
         today=["-e", r"^(?<ts>\S+ \S+) PDT ", "--tz",
                "America/Los_Angeles"],
         FIRST="2025-08-13T08:45:01.123Z", LAST="2025-08-13T08:50:02.010Z",
         EVENTS=21),
    dict(name="logrus-logfmt", read=logfmt_time(), options=[], needs=None,
         auto="ISO after a prefix (time=\"...\")",
         today=["-e", r'^time="(?<ts>[^"]+)"'],
         FIRST="2021-09-15T21:17:10.220731Z",
         LAST="2021-09-15T21:18:20.335825Z", EVENTS=5),
    dict(name="strace-tt", read=time_of_day((2016, 1, 4)),
         options=["--date", "2016-01-04"], needs="date",
         auto="time of day only (HH:mm:ss.ffffff), needs --date (the date "
              "is the user's: the file does not say it)",
         today=None, today_note="no way to give a date",
         FIRST="2016-01-04T08:09:33.814936Z",
         LAST="2016-01-04T08:09:33.816577Z", EVENTS=9),
    dict(name="postgres-docker-utc", read=iso_then_abbrev({"UTC": 0}),
         options=[], needs=None,
         auto="ISO with space after a prefix, followed by UTC (zero)",
         today=["-e", r"(?<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+) UTC "],
         FIRST="2021-06-17T12:55:26.701Z", LAST="2021-06-17T12:55:26.769Z",
         EVENTS=4),
    dict(name="ecs-json", read=json_key("@timestamp"), options=[],
         needs=None, auto="json (key @timestamp, ISO)",
         today=["-e", r'"@timestamp":"(?<ts>[^"]+)"'],
         FIRST="2025-01-13T09:58:13.631Z", LAST="2025-01-13T09:58:13.634Z",
         EVENTS=5),
    dict(name="pino-epoch-ms", read=json_key("time"), options=[],
         needs=None, auto="json (key time, epoch milliseconds: 13 digits)",
         today=None, today_note="-e cannot read epoch milliseconds",
         FIRST="2025-09-11T14:48:55.630Z", LAST="2025-09-11T14:49:23.539Z",
         EVENTS=8),
    dict(name="vmware-vpxd", read=iso_start(), options=[], needs=None,
         auto="ISO with T and Z at line start",
         today=["-f", "iso"],
         FIRST="2022-06-02T11:58:12.193Z", LAST="2022-06-02T11:58:12.914Z",
         EVENTS=12),
]

# Why a non-blank, non-event line is skipped, per sample (plain words).
SKIP_WHY = {
    "bgl": "",
    "zap-console": "a Go stack trace line under the error event: no time",
    "iis-w3c": "a W3C directive (#Software, #Version, #Fields): no time",
    "gunicorn-traceback": "a Python traceback line under the [ERROR] "
                          "event: no time",
    "postgres-docker-utc": "docker-entrypoint/initdb output: no time",
}


def lines_of(name):
    with open(os.path.join(HERE, name + ".log"), "rb") as f:
        data = f.read()
    return data.decode("utf-8").split("\n")[:-1] if data.endswith(b"\n") \
        else data.decode("utf-8").split("\n")


def expect(sample):
    """Read the sample with its reader: line count, events (line numbers,
    times), skipped lines (number, reason), blank line numbers."""
    lines = lines_of(sample["name"])
    events, skipped, blank = [], [], []
    for no, line in enumerate(lines, 1):
        if line.strip() == "":
            blank.append(no)
            continue
        ts = sample["read"](line)
        if ts is None:
            skipped.append((no, SKIP_WHY.get(sample["name"])
                            or "no time of this format on the line"))
        else:
            events.append((no, ts))
    return dict(lines=len(lines), events=events, skipped=skipped,
                blank=blank)


# --- the second way: the standard library on the same fields ---------------

def check_with_datetime(ts):
    """Recompute an ISO UTC text through datetime (microseconds at most,
    so the fraction is compared as text)."""
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)"
                     r"(?:\.(\d+))?Z", ts)
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    dt = datetime.datetime(y, mo, d, h, mi, s, tzinfo=datetime.timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + (
        "." + m.group(7) if m.group(7) else "") + "Z" == ts


def main():
    bad = 0
    for s in SAMPLES:
        e = expect(s)
        first = e["events"][0][1] if e["events"] else None
        last = e["events"][-1][1] if e["events"] else None
        ok = (first == s["FIRST"] and last == s["LAST"]
              and len(e["events"]) == s["EVENTS"]
              and len(e["events"]) + len(e["skipped"]) + len(e["blank"])
              == e["lines"]
              and check_with_datetime(first) and check_with_datetime(last))
        bad += not ok
        print("%-20s %s lines %2d events %2d skipped %2d blank %2d  %s .. %s"
              "  options: %s" % (
                  s["name"], "ok " if ok else "BAD", e["lines"],
                  len(e["events"]), len(e["skipped"]), len(e["blank"]),
                  first, last, " ".join(s["options"]) or "-"))
        if not ok:
            print("    hand-written: %s .. %s, %d events" % (
                s["FIRST"], s["LAST"], s["EVENTS"]))
    print("%d samples, %d disagree" % (len(SAMPLES), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
