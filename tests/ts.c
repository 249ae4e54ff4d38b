/*
 * tests/ts.c: timestamps.  Every expected epoch value was computed apart
 * from the code under test, with GNU date (`date -u -d '2023-11-01
 * 23:10:04' +%s` = 1698880204) or by hand from it; the sampled loops
 * compare against gmtime_r()/timegm() and strtod(), used here only as
 * references, and against a day count kept by walking the calendar.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "base/ts.h"

static struct diag dg;
static struct ts T;

/*
 * Every parse through P() is done three times: without a memo, with the
 * memo the parses before it left (a hit when they were in the same minute)
 * and again with the memo it left itself.  The three must agree in every
 * field and message; memo_diff counts the parses where they did not.
 */
static struct ts_memo memo;
static int memo_parses, memo_diff;

static int
same_parse(int rc, const struct ts *t, const struct diag *d, int rc2,
    const struct ts *t2, const struct diag *d2)
{
	if (rc != rc2)
		return 0;
	if (rc == 0)
		return t->sec == t2->sec && t->nsec == t2->nsec &&
		    t->digits == t2->digits && t->flags == t2->flags;
	return d->code == d2->code && d->col == d2->col &&
	    strcmp(d->msg, d2->msg) == 0;
}

/* Parse text in a form, with a zone (or NULL) and a syslog year. */
static int
P(const char *s, enum ts_form form, struct ts_zone *z, int year)
{
	struct ts_opt o = { .form = form, .zone = z, .year = year };
	struct ts t2;
	struct diag d2;
	int rc, rc2;

	diag_clear(&dg);
	memset(&T, 0xa5, sizeof(T));
	rc = ts_parse(s, strlen(s), &o, &T, &dg);
	o.memo = &memo;
	for (int k = 0; k < 2; k++) {
		diag_clear(&d2);
		memset(&t2, 0x5a, sizeof(t2));
		rc2 = ts_parse(s, strlen(s), &o, &t2, &d2);
		if (!same_parse(rc, &T, &dg, rc2, &t2, &d2) && memo_diff++ == 0)
			tap_diag("memo changed the parse of \"%s\"", s);
	}
	memo_parses++;
	return rc;
}

static const char *
iso(const struct ts *t)
{
	static char buf[TS_ISO_MAX];

	ts_iso(t, buf);
	return buf;
}

static const char *
ep(const struct ts *t)
{
	static char buf[TS_EPOCH_MAX];

	ts_epoch(t, buf);
	return buf;
}

/* A good parse: rc 0, the seconds, nanoseconds, digits and ISO text. */
static void
good(const char *s, enum ts_form form, struct ts_zone *z, int year,
    int64_t sec, int32_t ns, int digits, const char *want_iso)
{
	int rc = P(s, form, z, year);

	if (!is_int(rc, 0, "parse \"%s\"", s))
		tap_diag("%s (col %zu)", dg.msg, dg.col);
	is_int(T.sec, sec, "  \"%s\": seconds", s);
	is_int(T.nsec, ns, "  \"%s\": nanoseconds", s);
	is_int(T.digits, digits, "  \"%s\": digits", s);
	if (want_iso != NULL)
		is_str(iso(&T), want_iso, "  \"%s\": ISO", s);
}

/* A refusal: rc -1, DIAG_TS, the message and the column. */
static void
bad(const char *s, enum ts_form form, const char *msg, size_t col)
{
	int rc = P(s, form, NULL, 2023);

	is_int(rc, -1, "refuse \"%s\"", s);
	is_int(dg.code, DIAG_TS, "  \"%s\": DIAG_TS", s);
	if (msg != NULL)
		is_str(dg.msg, msg, "  \"%s\": message", s);
	else
		ok(dg.msg[0] != '\0', "  \"%s\": a message: %s", s, dg.msg);
	is_int(dg.col, col, "  \"%s\": column", s);
}

static void
test_forms(void)
{
	/* ISO and Python's str(datetime). */
	good("2023-11-01 23:10:04.806247", TS_ISO, NULL, 0, 1698880204,
	    806247000, 6, "2023-11-01T23:10:04.806247Z");
	good("2023-11-01 23:10:05", TS_ISO, NULL, 0, 1698880205, 0, 0,
	    "2023-11-01T23:10:05Z");
	good("2023-11-01T23:10:04.806247", TS_ISO, NULL, 0, 1698880204,
	    806247000, 6, NULL);
	good("2023-11-01 23:10:04,806", TS_ISO, NULL, 0, 1698880204,
	    806000000, 3, "2023-11-01T23:10:04.806Z");
	good("2023-11-01 23:10:04.8", TS_ISO, NULL, 0, 1698880204,
	    800000000, 1, "2023-11-01T23:10:04.8Z");
	good("2023-11-01 23:10:04.000000001", TS_ISO, NULL, 0, 1698880204, 1,
	    9, "2023-11-01T23:10:04.000000001Z");
	good("2023-11-01 23:10:04.999999999", TS_ISO, NULL, 0, 1698880204,
	    999999999, 9, "2023-11-01T23:10:04.999999999Z");
	good("2023-11-01 23:10:04.000", TS_ISO, NULL, 0, 1698880204, 0, 3,
	    "2023-11-01T23:10:04.000Z");
	/* Z and offsets: 23:10:04 at +09:00 is 14:10:04Z = 1698847804. */
	good("2023-11-01T23:10:04Z", TS_ISO, NULL, 0, 1698880204, 0, 0, NULL);
	good("2023-11-01T23:10:04.5Z", TS_ISO, NULL, 0, 1698880204,
	    500000000, 1, NULL);
	good("2023-11-01T23:10:04+09:00", TS_ISO, NULL, 0, 1698847804, 0, 0,
	    "2023-11-01T14:10:04Z");
	good("2023-11-01T23:10:04+0900", TS_ISO, NULL, 0, 1698847804, 0, 0,
	    NULL);
	good("2023-11-01T23:10:04+09", TS_ISO, NULL, 0, 1698847804, 0, 0,
	    NULL);
	/* -05:30 is 5.5 h behind: + 19800 s. */
	good("2023-11-01T23:10:04.25-05:30", TS_ISO, NULL, 0,
	    1698880204 + 19800, 250000000, 2, "2023-11-02T04:40:04.25Z");
	good("2023-11-01T23:10:04-0530", TS_ISO, NULL, 0, 1698880204 + 19800,
	    0, 0, NULL);
	good("2023-11-01T23:10:04+00:00", TS_ISO, NULL, 0, 1698880204, 0, 0,
	    NULL);
	/* Boundaries. */
	good("1970-01-01 00:00:00", TS_ISO, NULL, 0, 0, 0, 0,
	    "1970-01-01T00:00:00Z");
	good("9999-12-31 23:59:59.999999999", TS_ISO, NULL, 0,
	    INT64_C(253402300799), 999999999, 9,
	    "9999-12-31T23:59:59.999999999Z");
	good("2000-02-29 12:00:00", TS_ISO, NULL, 0, 951825600, 0, 0, NULL);
	good("2024-02-29 00:00:00", TS_ISO, NULL, 0, 1709164800, 0, 0, NULL);
	good("2400-02-29 00:00:00", TS_ISO, NULL, 0, INT64_C(13574563200), 0,
	    0, "2400-02-29T00:00:00Z");
	/* The leap second is the first instant of the next day. */
	good("2016-12-31 23:59:60", TS_ISO, NULL, 0, 1483228800, 0, 0,
	    "2017-01-01T00:00:00Z");
	good("2016-12-31T23:59:60.5Z", TS_ISO, NULL, 0, 1483228800,
	    500000000, 1, NULL);
	good("2023-06-15 23:59:60", TS_ISO, NULL, 0,
	    1686873600, 0, 0,
	    "2023-06-16T00:00:00Z");

	/* CLF, with and without brackets; the offset is required. */
	good("[01/Nov/2023:23:10:04 +0000]", TS_CLF, NULL, 0, 1698880204, 0, 0,
	    NULL);
	good("01/Nov/2023:23:10:04 +0000", TS_CLF, NULL, 0, 1698880204, 0, 0,
	    NULL);
	good("01/Nov/2023:16:10:04 -0700", TS_CLF, NULL, 0, 1698880204, 0, 0,
	    NULL);
	good("01/nov/2023:23:10:04 +0000", TS_CLF, NULL, 0, 1698880204, 0, 0,
	    NULL);
	good("[01/Nov/2023:23:10:04.806 +0000]", TS_CLF, NULL, 0, 1698880204,
	    806000000, 3, NULL);

	/* Epoch seconds and milliseconds. */
	good("1698880204.806247", TS_EPOCH, NULL, 0, 1698880204, 806247000, 6,
	    "2023-11-01T23:10:04.806247Z");
	good("1698880204", TS_EPOCH, NULL, 0, 1698880204, 0, 0, NULL);
	good("0", TS_EPOCH, NULL, 0, 0, 0, 0, "1970-01-01T00:00:00Z");
	good("0.000000001", TS_EPOCH, NULL, 0, 0, 1, 9, NULL);
	good("253402300799.999999999", TS_EPOCH, NULL, 0,
	    INT64_C(253402300799), 999999999, 9, NULL);
	good("1698880204806", TS_EPOCH_MS, NULL, 0, 1698880204, 806000000, 3,
	    "2023-11-01T23:10:04.806Z");
	good("1698880204000", TS_EPOCH_MS, NULL, 0, 1698880204, 0, 3,
	    "2023-11-01T23:10:04.000Z");
	good("5", TS_EPOCH_MS, NULL, 0, 0, 5000000, 3, NULL);
	/* Leading zeros count for nothing: not digits of a year past 9999. */
	good("00000000000000000001698880204", TS_EPOCH, NULL, 0, 1698880204, 0,
	    0, "2023-11-01T23:10:04Z");
	good("0000000000000000000001698880204.806247", TS_EPOCH, NULL, 0,
	    1698880204, 806247000, 6, NULL);
	good("000000000000000000000000000000", TS_EPOCH, NULL, 0, 0, 0, 0, NULL);
	good("00.5", TS_EPOCH, NULL, 0, 0, 500000000, 1, NULL);
	good("0000000000000000000000001698880204806", TS_EPOCH_MS, NULL, 0,
	    1698880204, 806000000, 3, NULL);

	/* Syslog, the year from the options; 0 means 1970. */
	good("Nov  1 23:10:04", TS_SYSLOG, NULL, 2023, 1698880204, 0, 0, NULL);
	good("Nov 01 23:10:04", TS_SYSLOG, NULL, 2023, 1698880204, 0, 0, NULL);
	good("Nov 1 23:10:04", TS_SYSLOG, NULL, 2023, 1698880204, 0, 0, NULL);
	good("Nov  1 23:10:04.806247", TS_SYSLOG, NULL, 2023, 1698880204,
	    806247000, 6, NULL);
	good("Jan  1 00:00:01", TS_SYSLOG, NULL, 0, 1, 0, 0, NULL);
	good("Feb 29 00:00:00", TS_SYSLOG, NULL, 2024, 1709164800, 0, 0, NULL);

	/* TS_AUTO by shape. */
	good("2023-11-01 23:10:04.806247", TS_AUTO, NULL, 0, 1698880204,
	    806247000, 6, NULL);
	good("[01/Nov/2023:23:10:04 +0000]", TS_AUTO, NULL, 0, 1698880204, 0,
	    0, NULL);
	good("01/Nov/2023:23:10:04 +0000", TS_AUTO, NULL, 0, 1698880204, 0, 0,
	    NULL);
	good("1698880204.806247", TS_AUTO, NULL, 0, 1698880204, 806247000, 6,
	    NULL);
	good("1698880204", TS_AUTO, NULL, 0, 1698880204, 0, 0, NULL);
	good("Nov  1 23:10:04", TS_AUTO, NULL, 2023, 1698880204, 0, 0, NULL);
	/* TS_AUTO epochs by their count of digits, leading zeros aside
	 * (date -u -d @1745532517 +%FT%T = 2025-04-24T22:08:37). */
	good("123456789", TS_AUTO, NULL, 0, 123456789, 0, 0, NULL);
	good("99999999999", TS_AUTO, NULL, 0, 99999999999, 0, 0, NULL);
	good("1745532517537", TS_AUTO, NULL, 0, 1745532517, 537000000, 3,
	    "2025-04-24T22:08:37.537Z");
	good("001745532517537", TS_AUTO, NULL, 0, 1745532517, 537000000, 3,
	    NULL);
	good("100000000000", TS_AUTO, NULL, 0, 100000000, 0, 3, NULL);
	good("1745532517537123", TS_AUTO, NULL, 0, 1745532517, 537123000, 6,
	    "2025-04-24T22:08:37.537123Z");
	good("1745532517537123456", TS_AUTO, NULL, 0, 1745532517, 537123456,
	    9, "2025-04-24T22:08:37.537123456Z");
	good("99999999999999999999", TS_AUTO, NULL, 0, 99999999999,
	    999999999, 9, NULL);
	/* Explicit forms take any count. */
	good("081109", TS_EPOCH, NULL, 0, 81109, 0, 0, NULL);
}

static void
test_invalid(void)
{
	bad("2023-13-01 00:00:00", TS_ISO, "month 13 out of range 01-12", 6);
	bad("2023-00-01 00:00:00", TS_ISO, "month 00 out of range 01-12", 6);
	bad("2023-02-30 00:00:00", TS_ISO,
	    "day 30 does not exist in February 2023", 9);
	bad("2023-02-29 00:00:00", TS_ISO,
	    "day 29 does not exist in February 2023", 9);
	bad("2100-02-29 00:00:00", TS_ISO,
	    "day 29 does not exist in February 2100", 9);
	bad("2023-04-31 00:00:00", TS_ISO,
	    "day 31 does not exist in April 2023", 9);
	bad("2023-01-00 00:00:00", TS_ISO, "day 00 out of range 01-31", 9);
	bad("2023-01-32 00:00:00", TS_ISO, "day 32 out of range 01-31", 9);
	bad("2023-11-01 24:00:00", TS_ISO, "hour 24 out of range 00-23", 12);
	bad("2023-11-01 23:60:00", TS_ISO, "minute 60 out of range 00-59", 15);
	bad("2023-11-01 23:10:61", TS_ISO,
	    "second 61 out of range 00-59 (60 only as a leap second)", 18);
	bad("2023-11-01 12:00:60", TS_ISO,
	    "second 60 is only valid as a leap second at 23:59:60", 18);
	bad("2023-11-01 23:58:60", TS_ISO,
	    "second 60 is only valid as a leap second at 23:59:60", 18);
	bad("1969-12-31 23:59:59", TS_ISO, "year 1969 out of range 1970-9999",
	    1);
	bad("1900-02-29 00:00:00", TS_ISO, "year 1900 out of range 1970-9999",
	    1);
	bad("10000-01-01 00:00:00", TS_ISO,
	    "year 10000 out of range 1970-9999", 1);
	bad("2023-11-01 23:10:04x", TS_ISO,
	    "expected the end of the timestamp, got \"x\"", 20);
	bad("2023-11-01 23:10:04 ", TS_ISO,
	    "expected the end of the timestamp, got \" \"", 20);
	bad("2023-11-01 23:10:04.1234567890", TS_ISO,
	    "fraction of 10 digits: at most 9 (nanoseconds)", 30);
	bad("2023-11-01 23:10:04.", TS_ISO,
	    "expected the digits of a fraction of a second, got the end", 21);
	bad("", TS_ISO, "expected a timestamp, got an empty field", 1);
	bad("", TS_AUTO, NULL, 1);
	/* A 6-digit date is never an epoch, nor 8 or 21 digits. */
	bad("081109", TS_AUTO, "a number of 6 digits (fewer without its "
	    "leading zeros) is not an epoch time (9-11 digits are seconds, "
	    "12-14 milliseconds, 15-17 microseconds, 18-20 nanoseconds, "
	    "leading zeros aside): say its shape with --time-format", 1);
	{
		/* A reader where --time-format does not apply gives its
		 * own advice. */
		struct ts_opt o = { .form = TS_AUTO, .shape_hint = "ask X" };
		struct ts t;

		is_int(ts_parse("081109", 6, &o, &t, &dg), -1,
		    "refuse \"081109\" with a shape hint");
		is_str(dg.msg, "a number of 6 digits (fewer without its "
		    "leading zeros) is not an epoch time (9-11 digits are "
		    "seconds, 12-14 milliseconds, 15-17 microseconds, 18-20 "
		    "nanoseconds, leading zeros aside): ask X",
		    "  the reader's hint ends the message");
	}
	bad("20171223", TS_AUTO, NULL, 1);
	bad("000000000000000000000", TS_AUTO, NULL, 1);
	bad("123456789012345678901", TS_AUTO, NULL, 1);
	bad("1745532517537.5", TS_AUTO, "expected the end of epoch "
	    "milliseconds (a fraction only after seconds), got \".5\"", 14);
	bad("2023-11-01", TS_ISO,
	    "expected 'T' or a space after the date, got the end", 11);
	bad("2023-11-01 23:10", TS_ISO,
	    "expected ':' after the minute, got the end", 17);
	bad("2023-1-01 00:00:00", TS_ISO,
	    "expected 2 digits of the month, got \"-01 00:00:00\"", 7);
	bad("2023/11/01 00:00:00", TS_ISO,
	    "expected '-' after the year, got \"/11/01 00:00...\"", 5);
	bad("2023-11-01 23:10:04+25:00", TS_ISO,
	    "offset hours 25 out of range 00-23", 21);
	bad("2023-11-01 23:10:04+09:60", TS_ISO,
	    "offset minutes 60 out of range 00-59", 24);
	bad("2023-11-01 23:10:04+9", TS_ISO, NULL, 22);
	/* An offset that moves the time outside the years taken. */
	bad("1970-01-01T00:00:00+01:00", TS_ISO,
	    "time before 1970-01-01T00:00:00Z", 1);
	bad("9999-12-31T23:59:59-01:00", TS_ISO,
	    "time after 9999-12-31T23:59:59Z", 1);
	bad("9999-12-31 23:59:60", TS_ISO, "time after 9999-12-31T23:59:59Z",
	    1);
	/* CLF. */
	bad("01/Nov/2023:23:10:04", TS_CLF, "expected a space and a zone "
	    "offset like +0000 after the time, got the end", 21);
	bad("[01/Nov/2023:23:10:04 +0000", TS_CLF,
	    "expected ']' after the zone offset, got the end", 28);
	bad("01/Nov/2023:23:10:04 +0000]", TS_CLF,
	    "expected the end of the timestamp, got \"]\"", 27);
	bad("01/Nox/2023:23:10:04 +0000", TS_CLF,
	    "expected a month name (Jan ... Dec), got \"Nox/2023:23:...\"", 4);
	bad("31/Nov/2023:23:10:04 +0000", TS_CLF,
	    "day 31 does not exist in November 2023", 1);
	/* Epoch. */
	bad("1698880204.", TS_EPOCH,
	    "expected the digits of a fraction of a second, got the end", 12);
	bad("1698880204.1234567890", TS_EPOCH,
	    "fraction of 10 digits: at most 9 (nanoseconds)", 21);
	bad("-1", TS_EPOCH, "expected the digits of epoch seconds, got \"-1\"",
	    1);
	bad("1698880204806", TS_EPOCH, "epoch seconds 1698880204806 is after "
	    "9999-12-31T23:59:59Z (milliseconds? use --time-format %s3, or "
	    "-f epoch-ms)", 1);
	bad("1698880204806.5", TS_EPOCH_MS,
	    "expected the end of the timestamp, got \".5\"", 14);
	bad("253402300800", TS_EPOCH, NULL, 1);
	bad("253402300800000", TS_EPOCH_MS, NULL, 1);
	bad("123456789012345678", TS_EPOCH, NULL, 1);
	bad("000000000000123456789012345678", TS_EPOCH, "epoch seconds of more "
	    "than 17 digits: after 9999-12-31", 1);
	bad("0000000000000253402300800", TS_EPOCH, "epoch seconds 253402300800 "
	    "is after 9999-12-31T23:59:59Z (milliseconds? use --time-format "
	    "%s3, or -f epoch-ms)", 1);
	bad("1698880204 ", TS_EPOCH, NULL, 11);
	/* Syslog. */
	bad("Nov 31 23:10:04", TS_SYSLOG,
	    "day 31 does not exist in November 2023", 5);
	bad("Nov  1 23:10", TS_SYSLOG,
	    "expected ':' after the minute, got the end", 13);
	bad("Foo  1 23:10:04", TS_SYSLOG, NULL, 1);
}

/* Write a TZif file of the given version under dir: a version-1 header
 * with leap1 leap seconds (and that many 8-byte records), then, for
 * version '2', an empty version-1 block's successor: a second header with
 * leap2.  Only the counts matter to ts_zone_new(). */
static void
tzif(const char *dir, const char *name, char version, uint32_t leap1,
    uint32_t leap2, size_t cut)
{
	unsigned char h[44], buf[1024];
	char path[512];
	size_t n = 0;
	FILE *fp;

	for (int k = 0; k < (version >= '2' ? 2 : 1); k++) {
		uint32_t leap = k == 0 ? leap1 : leap2;

		memset(h, 0, sizeof(h));
		memcpy(h, "TZif", 4);
		h[4] = (unsigned char)version;
		h[28] = (unsigned char)(leap >> 24);
		h[29] = (unsigned char)(leap >> 16);
		h[30] = (unsigned char)(leap >> 8);
		h[31] = (unsigned char)leap;
		memcpy(buf + n, h, sizeof(h));
		n += sizeof(h);
		if (k == 0) {
			memset(buf + n, 0, 8 * leap1);
			n += 8 * leap1;
		}
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "wb")) == NULL) {
		tap_diag("cannot write %s", path);
		return;
	}
	fwrite(buf, 1, cut ? cut : n, fp);
	fclose(fp);
}

/*
 * Zones whose data counts leap seconds (right/UTC): their clock runs 27 s
 * off the UTC of logs, and every time would move by it.  Refused by name,
 * whichever header says so; zone data without leap seconds is taken.
 */
static void
test_leap_zones(void)
{
	char dir[] = "/tmp/skew-ts-XXXXXX", path[512];
	char *keep = getenv("TZDIR") != NULL ? strdup(getenv("TZDIR")) : NULL;
	struct ts_zone *z;
	FILE *fp;

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp: %s", strerror(errno));
		return;
	}
	tzif(dir, "Fat", '2', 27, 27, 0);
	tzif(dir, "Slim", '2', 0, 1, 0);
	tzif(dir, "Old", '\0', 2, 0, 0);
	tzif(dir, "Plain", '2', 0, 0, 0);
	tzif(dir, "Cut", '2', 0, 0, 60);
	setenv("TZDIR", dir, 1);
	diag_clear(&dg);
	ok(ts_zone_new("Fat", &dg) == NULL, "a zone with 27 leap seconds "
	    "refused");
	is_int(dg.code, DIAG_USAGE, "  DIAG_USAGE");
	snprintf(path, sizeof(path), "zone \"Fat\" counts leap seconds (27 in "
	    "%s/Fat, as the right/ zones do): its clock is not the UTC of "
	    "logs, whose minutes all have 60 s; use the zone without right/",
	    dir);
	is_str(dg.msg, path, "  the message names it and says why");
	ok(ts_zone_new("Slim", &dg) == NULL,
	    "leap seconds in the version-2 header only: refused");
	ok(ts_zone_new("Old", &dg) == NULL,
	    "leap seconds in a version-1 file: refused");
	z = ts_zone_new("Plain", &dg);
	ok(z != NULL, "no leap seconds: taken");
	ts_zone_free(z);
	ok(ts_zone_new("Cut", &dg) == NULL && strstr(dg.msg, "is not a zone "
	    "file") != NULL, "a file cut inside its second header: not a zone "
	    "file");
	if (keep != NULL)
		setenv("TZDIR", keep, 1);
	else
		unsetenv("TZDIR");
	for (const char *const *n = (const char *const[]){ "Fat", "Slim",
	    "Old", "Plain", "Cut", NULL }; *n != NULL; n++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *n);
		remove(path);
	}
	remove(dir);
	/* The system's own right/UTC, where tzdata has it. */
	snprintf(path, sizeof(path), "%s/right/UTC",
	    keep != NULL && *keep != '\0' ? keep : "/usr/share/zoneinfo");
	free(keep);
	if ((fp = fopen(path, "rb")) != NULL) {
		fclose(fp);
		ok(ts_zone_new("right/UTC", &dg) == NULL &&
		    strstr(dg.msg, "counts leap seconds") != NULL,
		    "right/UTC refused: %s", dg.msg);
	} else
		ok(1, "# SKIP no %s", path);
}

/*
 * Zones: fixed offsets by hand; Europe/Berlin across both 2023 transitions
 * (CEST from 2023-03-26T01:00Z, CET from 2023-10-29T01:00Z); Asia/Tokyo.
 * Expected values: `date -u -d '2023-10-29 00:30:00' +%s` and so on.
 */
static void
test_zones(void)
{
	struct ts_zone *z;
	const char *old;

	z = ts_zone_new("+09:00", &dg);
	ok(z != NULL, "zone +09:00");
	good("2023-11-01 23:10:04", TS_ISO, z, 0, 1698847804, 0, 0, NULL);
	/* An explicit offset wins over the zone. */
	good("2023-11-01 23:10:04Z", TS_ISO, z, 0, 1698880204, 0, 0, NULL);
	ts_zone_free(z);
	z = ts_zone_new("-0530", &dg);
	ok(z != NULL, "zone -0530");
	good("2023-11-01 23:10:04", TS_ISO, z, 0, 1698880204 + 19800, 0, 0,
	    NULL);
	ts_zone_free(z);
	z = ts_zone_new("UTC", &dg);
	ok(z != NULL, "zone UTC");
	good("2023-11-01 23:10:04", TS_ISO, z, 0, 1698880204, 0, 0, NULL);
	ts_zone_free(z);
	ts_zone_free(NULL);

	ok(ts_zone_new("Mars/Olympus_Mons", &dg) == NULL,
	    "unknown IANA name refused");
	ok(strstr(dg.msg, "unknown zone \"Mars/Olympus_Mons\"") != NULL,
	    "  message names it: %s", dg.msg);
	ok(ts_zone_new("../../etc/passwd", &dg) == NULL, "a path refused");
	ok(ts_zone_new("/etc/localtime", &dg) == NULL, "an absolute path refused");
	ok(ts_zone_new("", &dg) == NULL, "empty refused");
	ok(ts_zone_new("+25:00", &dg) == NULL, "+25:00 refused");
	ok(ts_zone_new("+09:00x", &dg) == NULL, "+09:00x refused");
	ok(ts_zone_new("Europe", &dg) == NULL, "a directory refused");

	setenv("TZ", "America/New_York", 1);
	tzset();
	z = ts_zone_new("Europe/Berlin", &dg);
	ok(z != NULL, "zone Europe/Berlin");
	if (z == NULL)
		tap_diag("%s", dg.msg);
	/* Summer (+2) and winter (+1). */
	good("2023-07-01 12:00:00", TS_ISO, z, 0, 1688205600, 0, 0, NULL);
	is_int(T.flags, 0, "  no flags in summer");
	good("2023-12-01 12:00:00", TS_ISO, z, 0, 1701428400, 0, 0, NULL);
	/* The fold: 02:30 happened at 00:30Z and at 01:30Z; the earlier. */
	good("2023-10-29 02:30:00", TS_ISO, z, 0, 1698539400, 0, 0, NULL);
	is_int(T.flags, TS_FFOLD, "  fold flagged");
	good("2023-10-29 02:00:00", TS_ISO, z, 0, 1698539400 - 1800, 0, 0,
	    NULL);
	is_int(T.flags, TS_FFOLD, "  02:00:00 is in the fold");
	good("2023-10-29 01:30:00", TS_ISO, z, 0, 1698535800, 0, 0, NULL);
	is_int(T.flags, 0, "  01:30 before the fold");
	good("2023-10-29 03:00:00", TS_ISO, z, 0, 1698544800, 0, 0, NULL);
	is_int(T.flags, 0, "  03:00 after the fold");
	good("2023-10-29 02:59:59.5", TS_ISO, z, 0, 1698544800 - 3601,
	    500000000, 1, NULL);
	is_int(T.flags, TS_FFOLD, "  02:59:59.5 in the fold");
	/* The gap: 02:30 never happened; moved forward an hour, 01:30Z. */
	good("2023-03-26 02:30:00", TS_ISO, z, 0, 1679794200, 0, 0, NULL);
	is_int(T.flags, TS_FGAP, "  gap flagged");
	good("2023-03-26 03:30:00", TS_ISO, z, 0, 1679794200, 0, 0, NULL);
	is_int(T.flags, 0, "  03:30 after the gap");
	good("2023-03-26 01:59:59", TS_ISO, z, 0, 1679792399, 0, 0, NULL);
	is_int(T.flags, 0, "  01:59:59 before the gap");
	/* Back to a cached hour, and the same hour twice. */
	good("2023-07-01 12:59:59", TS_ISO, z, 0, 1688205600 + 3599, 0, 0,
	    NULL);
	good("2023-07-01 12:00:01", TS_ISO, z, 0, 1688205601, 0, 0, NULL);
	old = getenv("TZ");
	is_str(old, "America/New_York", "TZ restored after lookups");
	ts_zone_free(z);

	unsetenv("TZ");
	tzset();
	z = ts_zone_new("Asia/Tokyo", &dg);
	ok(z != NULL, "zone Asia/Tokyo");
	good("2023-11-01 23:10:04.806247", TS_ISO, z, 0, 1698847804,
	    806247000, 6, "2023-11-01T14:10:04.806247Z");
	good("Nov  1 23:10:04", TS_SYSLOG, z, 2023, 1698847804, 0, 0, NULL);
	ok(getenv("TZ") == NULL, "TZ left unset as it was");
	/* Local 1970-01-01 08:00 in Tokyo is before the epoch. */
	is_int(P("1970-01-01 08:00:00", TS_ISO, z, 0), -1,
	    "Tokyo 1970-01-01 08:00 is before 1970Z");

	/* A TZ longer than the zone's own buffer is kept and restored too;
	 * 12:00 in Tokyo (+9) is 03:00Z, 8 hours before 11:00Z. */
	{
		char longtz[301];

		memset(longtz, 'A', 300);
		longtz[300] = '\0';
		setenv("TZ", longtz, 1);
		good("2023-12-01 12:00:00", TS_ISO, z, 0, 1701428400 - 8 * 3600,
		    0, 0, NULL);
		is_str(getenv("TZ"), longtz, "a 300-byte TZ restored");
		unsetenv("TZ");
	}
	ts_zone_free(z);

	/* New York's fold: 01:30 on 2023-11-05, EDT first (05:30Z). */
	z = ts_zone_new("America/New_York", &dg);
	ok(z != NULL, "zone America/New_York");
	good("2023-11-05 01:30:00", TS_ISO, z, 0, 1699162200, 0, 0, NULL);
	is_int(T.flags, TS_FFOLD, "  fold flagged");
	ts_zone_free(z);
}

/* Leap years by the rule, written apart from the code under test. */
static int
leap(int y)
{
	if (y % 400 == 0)
		return 1;
	if (y % 100 == 0)
		return 0;
	return y % 4 == 0;
}

static void
test_days(void)
{
	static const int ml[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int64_t n, bad_days = 0, first_bad = 0;

	is_int(ts_days(1970, 1, 1), 0, "ts_days 1970-01-01");
	is_int(ts_days(2023, 11, 1), 1698796800 / 86400,
	    "ts_days 2023-11-01");
	is_int(ts_days(1969, 12, 31), -1, "ts_days 1969-12-31");
	is_int(ts_days(1, 1, 1), -719162, "ts_days 0001-01-01");
	/* Leap years: 2000 and 2024 have a February 29, 1900 and 2100 not. */
	is_int(ts_days(2000, 3, 1) - ts_days(2000, 2, 28), 2, "2000 is leap");
	is_int(ts_days(2024, 3, 1) - ts_days(2024, 2, 28), 2, "2024 is leap");
	is_int(ts_days(1900, 3, 1) - ts_days(1900, 2, 28), 1,
	    "1900 is not leap");
	is_int(ts_days(2100, 3, 1) - ts_days(2100, 2, 28), 1,
	    "2100 is not leap");
	/* Walk every day from 0001-01-01 to 9999-12-31, counting. */
	n = -719162;
	for (int y = 1; y <= 9999; y++)
		for (int m = 1; m <= 12; m++) {
			int len = ml[m - 1] + (m == 2 && leap(y));

			for (int d = 1; d <= len; d++, n++)
				if (ts_days(y, m, d) != n && bad_days++ == 0)
					first_bad = (int64_t)y * 10000 +
					    m * 100 + d;
		}
	is_int(bad_days, 0, "ts_days matches a day count over 0001-9999 "
	    "(first bad %lld)", (long long)first_bad);
	is_int(n, ts_days(10000, 1, 1), "the count ends at 10000-01-01");
	is_int(n - 1, INT64_C(253402300799) / 86400,
	    "9999-12-31 is day 2932896");
}

/* Sampled instants: gmtime_r() as the reference, then round trips. */
static void
test_round_trip(void)
{
	int64_t fails_parse = 0, fails_iso = 0, fails_rt = 0, fails_tg = 0;
	int64_t fails_dbl = 0, fails_ep = 0;
	uint64_t x = 88172645463325252ULL;
	char text[64], want[64], eb[TS_EPOCH_MAX];
	struct ts a, b;
	struct diag d2;
	struct ts_memo rm = { { 0, 0 }, 0, 0 };
	struct ts_opt o = { .form = TS_ISO, .memo = &rm };
	struct ts_opt oe = { .form = TS_EPOCH };
	int N = 200000;

	for (int k = 0; k < N; k++) {
		time_t sec;
		struct tm tm;
		int32_t ns;
		int digits;

		/* xorshift64: deterministic samples over the whole range. */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		sec = (time_t)(x % (UINT64_C(253402300799) + 1));
		if (k < 1000)	/* and densely near the epoch and the end */
			sec = k % 2 ? (time_t)k * 86399 :
			    (time_t)(INT64_C(253402300799) - k * 86401LL);
		else if (k < 3000)	/* small: where a sum rounds twice */
			sec = (time_t)(x % 1000);
		digits = (int)(x >> 40) % 10;
		ns = (int32_t)((x >> 20) % 1000000000);
		{
			int32_t p = 1;

			for (int j = digits; j < 9; j++)
				p *= 10;
			ns = ns / p * p;
		}
		gmtime_r(&sec, &tm);
		snprintf(text, sizeof(text), "%04d-%02d-%02d%c%02d:%02d:%02d",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		    k % 3 ? ' ' : 'T', tm.tm_hour, tm.tm_min, tm.tm_sec);
		snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02d",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		    tm.tm_hour, tm.tm_min, tm.tm_sec);
		if (digits > 0) {
			char f[16];

			snprintf(f, sizeof(f), "%09d", (int)ns);
			f[digits] = '\0';
			snprintf(text + strlen(text), 20, "%c%s",
			    k % 2 ? '.' : ',', f);
			snprintf(want + strlen(want), 20, ".%s", f);
		}
		strcat(want, "Z");
		if (timegm(&tm) != sec)
			fails_tg++;
		if (ts_parse(text, strlen(text), &o, &a, &d2) == -1 ||
		    a.sec != (int64_t)sec || a.nsec != ns ||
		    a.digits != digits) {
			if (fails_parse++ == 0)
				tap_diag("first parse failure: %s", text);
			continue;
		}
		if (strcmp(iso(&a), want) != 0 && fails_iso++ == 0)
			tap_diag("ts_iso %s, want %s", iso(&a), want);
		if (ts_parse(iso(&a), strlen(iso(&a)), &o, &b, &d2) == -1 ||
		    ts_cmp(&a, &b) != 0 || b.digits != a.digits)
			fails_rt++;
		ts_epoch(&a, eb);
		if (ts_parse(eb, strlen(eb), &oe, &b, &d2) == -1 ||
		    ts_cmp(&a, &b) != 0)
			fails_ep++;
		/* The nearest double, which strtod gives from the digits. */
		if (ts_double(&a) != strtod(eb, NULL) && fails_dbl++ == 0)
			tap_diag("ts_double(%s) = %.17g, strtod %.17g", eb,
			    ts_double(&a), strtod(eb, NULL));
	}
	is_int(fails_tg, 0, "timegm agrees with gmtime_r (reference sane)");
	is_int(fails_parse, 0, "%d sampled times parse to gmtime_r's instant",
	    N);
	is_int(fails_iso, 0, "ts_iso writes what gmtime_r says");
	is_int(fails_rt, 0, "parse -> ts_iso -> parse is the same instant");
	is_int(fails_ep, 0, "ts_epoch -> parse is the same instant");
	is_int(fails_dbl, 0, "ts_double is the nearest double (strtod)");
}

/*
 * The range every stage accepts and the arithmetic over it: differences
 * across the whole of it exact (a 64-bit count of nanoseconds overflows
 * past 292 years), a shift out of it refused by ts_add and ts_check.
 */
static void
test_range(void)
{
	struct ts lo = { TS_SEC_MIN, 0, 0, 0 };
	struct ts hi = { TS_SEC_MAX, 999999999, 9, 0 };
	struct ts c, t;
	struct ts y2270 = { INT64_C(9467107200), 500000000, 1, 0 };
	struct ts ns1 = { 0, 1, 9, 0 }, mns1 = { -1, 999999999, 9, 0 };
	struct ts huge = { INT64_MAX, 999999999, 9, 0 };
	struct ts mhuge = { INT64_MIN, 0, 0, 0 };

	diag_clear(&dg);
	is_int(ts_check(&lo, &dg), 0, "ts_check: 1970-01-01T00:00:00Z is in");
	is_int(ts_check(&hi, &dg), 0,
	    "ts_check: 9999-12-31T23:59:59.999999999Z is in");
	is_int(ts_add(&lo, &mns1, &t, &dg), -1, "ts_add: 1 ns before 1970 "
	    "is out");
	is_int(dg.code, DIAG_TS, "  DIAG_TS");
	is_str(dg.msg, "time before 1970-01-01T00:00:00Z", "  before 1970");
	is_str(iso(&t), "1969-12-31T23:59:59.999999999Z",
	    "  *out is what it came to");
	diag_clear(&dg);
	is_int(ts_add(&hi, &ns1, &t, &dg), -1, "ts_add: 1 ns past 9999 is out");
	is_str(dg.msg, "time after 9999-12-31T23:59:59Z", "  after 9999");
	is_int(ts_check(&t, NULL), -1, "ts_check agrees, with no diag");
	is_int(ts_add(&hi, &mns1, &t, NULL), 0, "ts_add: 1 ns back from the "
	    "last instant");
	is_str(iso(&t), "9999-12-31T23:59:59.999999998Z", "  exact");
	/* Across the whole range, both ways, exact. */
	ts_sub(&hi, &lo, &c);
	is_str(ep(&c), "253402300799.999999999", "ts_sub: 9999 - 1970, exact");
	is_int(ts_add(&lo, &c, &t, NULL), 0, "ts_add: 1970 + that is in");
	ok(ts_cmp(&t, &hi) == 0, "  and is the last instant");
	ts_sub(&lo, &hi, &c);
	is_str(ep(&c), "-253402300799.999999999", "ts_sub: 1970 - 9999, exact");
	is_int(ts_add(&hi, &c, &t, NULL), 0, "ts_add: 9999 + that is in");
	ok(ts_cmp(&t, &lo) == 0, "  and is the epoch");
	/* 300 years: where a 64-bit count of nanoseconds overflowed. */
	ts_sub(&y2270, &lo, &c);
	is_str(ep(&c), "9467107200.5", "ts_sub: 2270 - 1970, exact");
	is_double(ts_ns_double(&c), 9467107200.5e9, 0,
	    "ts_ns_double(300 years) = 9.4671072005e18 ns");
	is_double(ts_ns_double(&mns1), -1, 0, "ts_ns_double(-1 ns) = -1");
	ts_sub(&hi, &lo, &c);
	is_double(ts_ns_double(&c), 253402300799999999999.0, 0,
	    "ts_ns_double(1970 to 9999), rounded once");
	/* Past the int64 ends ts_add saturates, and stays out. */
	is_int(ts_add(&hi, &huge, &t, &dg), -1, "ts_add: + INT64_MAX s is out");
	is_int(t.sec, INT64_MAX, "  saturated at INT64_MAX");
	is_int(ts_add(&lo, &mhuge, &t, &dg), -1, "ts_add: + INT64_MIN s is out");
	is_int(t.sec, INT64_MIN, "  saturated at INT64_MIN");
	is_int(ts_add(&huge, &ns1, &t, &dg), -1,
	    "ts_add: INT64_MAX.999999999 + 1 ns is out");
	is_int(t.sec, INT64_MAX, "  saturated on the carry");
	/* Digits and flags. */
	t = lo;
	t.digits = 3;
	t.flags = TS_FFOLD;
	is_int(ts_add(&t, &ns1, &t, NULL), 0, "ts_add in place");
	ok(t.sec == 0 && t.nsec == 1 && t.digits == 9 && t.flags == TS_FFOLD,
	    "  the larger digits, the time's flags");
	is_int(ts_min_digits(0), 0, "ts_min_digits(0)");
	is_int(ts_min_digits(500000000), 1, "ts_min_digits(0.5 s)");
	is_int(ts_min_digits(1), 9, "ts_min_digits(1 ns)");
	is_int(ts_min_digits(120000), 5, "ts_min_digits(0.00012 s)");
}

static void
test_arith(void)
{
	struct ts a = { 1, 200000000, 1, 0 }, b = { 1, 700000000, 1, 0 }, c;
	struct ts e = { 1698880204, 806247000, 6, 0 };
	struct ts f = { 1698880205, 8870000, 6, 0 };
	struct ts big = { INT64_MAX, 999999999, 9, 0 };
	struct ts small = { INT64_MIN, 0, 0, 0 };
	char buf[TS_EPOCH_MAX];

	ts_sub(&a, &b, &c);
	is_int(c.sec, -1, "1.2 - 1.7: sec -1");
	is_int(c.nsec, 500000000, "1.2 - 1.7: nsec 5e8");
	is_str(ep(&c), "-0.5", "1.2 - 1.7 = -0.5");
	is_double(ts_double(&c), -0.5, 0, "ts_double(-0.5)");
	ts_sub(&b, &a, &c);
	is_str(ep(&c), "0.5", "1.7 - 1.2 = 0.5");
	ts_sub(&f, &e, &c);
	/* 23:10:05.008870 - 23:10:04.806247 = 0.202623 (the article). */
	is_str(ep(&c), "0.202623", "run 1's spread is 0.202623 exactly");
	is_int(c.digits, 6, "  digits 6");
	ts_sub(&e, &f, &c);
	is_str(ep(&c), "-0.202623", "and back: -0.202623");
	ts_sub(&e, &e, &c);
	is_str(ep(&c), "0.000000", "a - a = 0.000000");
	a.digits = 3;
	ts_sub(&a, &e, &c);
	is_int(c.digits, 6, "digits are the larger of the two");
	is_str(ep(&c), "-1698880203.606247", "1.2 - 1698880204.806247");
	{
		struct ts m = { -3, 0, 0, 0 }, m2 = { -1, 999999999, 9, 0 };

		is_str(ep(&m), "-3", "ts_epoch(-3)");
		is_str(ep(&m2), "-0.000000001", "ts_epoch(-1e-9)");
		m2.digits = 3;
		/* -0.000000001 shown to 3 digits is 0.000: no minus sign. */
		is_str(ep(&m2), "0.000", "ts_epoch(-1e-9) to 3 digits");
	}
	ts_epoch(&big, buf);
	is_str(buf, "9223372036854775807.999999999", "ts_epoch at INT64_MAX");
	ts_epoch(&small, buf);
	is_str(buf, "-9223372036854775808", "ts_epoch at INT64_MIN");
	/* Wraps (ts.c says so) and must not trap: INT64_MAX.999999999 -
	 * INT64_MIN is 2^64 - 1 s and 999999999 ns, which wraps to -1 s. */
	ts_sub(&big, &small, &c);
	is_int(c.sec, -1, "ts_sub past the int64 ends wraps: seconds");
	is_int(c.nsec, 999999999, "  and nanoseconds");
	is_str(iso(&big), "9999-12-31T23:59:59.999999999Z",
	    "ts_iso clamps past 9999");

	ok(ts_cmp(&e, &f) < 0, "ts_cmp earlier");
	ok(ts_cmp(&f, &e) > 0, "ts_cmp later");
	ok(ts_cmp(&e, &e) == 0, "ts_cmp equal");
	{
		struct ts g = e;

		g.nsec++;
		ok(ts_cmp(&e, &g) < 0, "ts_cmp by a nanosecond");
		g.digits = 9;
		g.nsec--;
		ok(ts_cmp(&e, &g) == 0, "ts_cmp ignores digits");
	}
	is_double(ts_double(&e), 1698880204.806247, 0,
	    "ts_double is the nearest double to the log's digits");
	{
		/* 433 + 0.895246598 rounds twice as a sum: one ulp off. */
		struct ts y = { 433, 895246598, 9, 0 };

		is_double(ts_double(&y), 433.895246598, 0,
		    "ts_double(433.895246598) is the nearest double");
	}
	{
		struct ts z = { 0, 1, 9, 0 };

		is_double(ts_double(&z), 1e-9, 0, "ts_double(1e-9)");
	}
}

/*
 * ts_iso_shape() against the obvious byte-by-byte reading, on every
 * single-byte change of a good timestamp and on random bytes biased
 * towards digits and separators.
 */
static int
shape_ref(const char *s, size_t n)
{
	static const char want[] = "dddd-dd-dd?dd:dd:dd";

	if (n < 19)
		return 0;
	for (size_t k = 0; k < 19; k++) {
		if (want[k] == 'd' && (s[k] < '0' || s[k] > '9'))
			return 0;
		if (want[k] == '?' && s[k] != 'T' && s[k] != ' ')
			return 0;
		if (want[k] != 'd' && want[k] != '?' && s[k] != want[k])
			return 0;
	}
	return 1;
}

static void
test_shape(void)
{
	const char *good_ts = "2023-11-01 23:10:04";
	char b[20];
	int fails = 0, n = 0, yes = 0;
	uint64_t x = 0x9e3779b97f4a7c15ULL;

	ok(ts_iso_shape(good_ts, 19), "shape: %s", good_ts);
	ok(ts_iso_shape("2023-11-01T23:10:04.5Z", 22), "shape: with T");
	ok(!ts_iso_shape(good_ts, 18), "shape: 18 bytes are too few");
	for (int k = 0; k < 19; k++)
		for (int c = 0; c < 256; c++) {
			memcpy(b, good_ts, 19);
			b[k] = (char)c;
			fails += ts_iso_shape(b, 19) != shape_ref(b, 19);
			n++;
		}
	for (int k = 0; k < 200000; k++) {
		static const char pick[] = "0123456789-: T:/9\x3a\x2f\xb0\xf9";

		for (int j = 0; j < 19; j++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			b[j] = x % 8 ? good_ts[j] : pick[x % (sizeof(pick) - 1)];
		}
		fails += ts_iso_shape(b, 19) != shape_ref(b, 19);
		yes += shape_ref(b, 19);
		n++;
	}
	is_int(fails, 0, "shape: ts_iso_shape agrees with a byte-by-byte "
	    "reading on %d texts (%d of them good)", n, yes);
}

/*
 * The fraction reader (eight bytes a word) against a byte-at-a-time
 * reading, on fractions of 0 to 12 digits after each form's seconds, with
 * a byte after them from a set that borders the digits ('/' and ':' on
 * either side, bytes that carry when 6 is added, an offset, the end),
 * each text in a buffer of its own size (so that ASan sees a read past
 * it).  A fraction of 1 to 9 digits must give their value in nanoseconds
 * and their count, and the rest of the text be read as without the
 * fraction (the error column moved by the fraction's length); no digits
 * or ten and more must give the errors they always gave.  Then
 * ts_skip_digits() against a byte loop on every start in random text.
 */
static int
frac_ref(const char *s, size_t n, size_t *nd, int32_t *ns)
{
	int32_t v = 0;
	size_t k = 0;

	while (k < n && s[k] >= '0' && s[k] <= '9') {
		if (k < 9)
			v = v * 10 + (s[k] - '0');
		k++;
	}
	for (size_t j = k; j < 9; j++)
		v *= 10;
	*nd = k;
	*ns = v;
	return k >= 1 && k <= 9;
}

static int
frac_one(const char *pre, enum ts_form form, int sep, const char *dig,
    const char *tail, struct ts_memo *mm)
{
	struct ts_opt o = { .form = form, .year = 2023 };
	char text[96], rest[96], want[96];
	struct ts a, b;
	struct diag da, db;
	size_t pn = strlen(pre), nd, n;
	int32_t ns;
	int ra, rb, good = 1;
	char *buf;

	n = (size_t)snprintf(text, sizeof(text), "%s%c%s%s", pre, sep, dig,
	    tail);
	if ((buf = malloc(n)) == NULL)
		return 0;
	memcpy(buf, text, n);
	for (int memo_on = 0; memo_on <= 1; memo_on++) {
		o.memo = memo_on ? mm : NULL;
		diag_clear(&da);
		ra = ts_parse(buf, n, &o, &a, &da);
		if (!frac_ref(text + pn + 1, n - pn - 1, &nd, &ns)) {
			if (nd == 0)
				snprintf(want, sizeof(want), "expected the "
				    "digits of a fraction of a second, got ");
			else
				snprintf(want, sizeof(want), "fraction of %zu "
				    "digits: at most 9 (nanoseconds)", nd);
			good &= ra == -1 && da.col == pn + 1 + (nd ? 10 : 1) &&
			    strncmp(da.msg, want, strlen(want)) == 0;
			continue;
		}
		/* The same text without its fraction. */
		snprintf(rest, sizeof(rest), "%s%s", pre, text + pn + 1 + nd);
		diag_clear(&db);
		o.memo = NULL;
		rb = ts_parse(rest, strlen(rest), &o, &b, &db);
		if (rb == 0)
			good &= ra == 0 && a.sec == b.sec && a.nsec == ns &&
			    a.digits == nd && a.flags == b.flags;
		else
			good &= ra == rb && da.code == db.code &&
			    da.col == db.col + 1 + nd &&
			    strcmp(da.msg, db.msg) == 0;
	}
	if (!good)
		tap_diag("fraction: \"%s\"", text);
	free(buf);
	return good;
}

static void
test_frac(void)
{
	static const struct {
		const char *pre;
		enum ts_form form;
		const char *tail;	/* a tail the form reads */
	} forms[] = {
		{ "2023-11-01 23:10:04", TS_ISO, "+09:00" },
		{ "2023-11-01T23:10:04", TS_ISO, "Z" },
		{ "01/Nov/2023:23:10:04", TS_CLF, " +0000" },
		{ "Nov  1 23:10:04", TS_SYSLOG, "" },
	};
	static const char after[] = "/:09\x3f\xfa\xff\xb0 -x";
	struct ts_memo mm = { { 0, 0 }, 0, 0 };
	struct ts_opt warm = { .form = TS_ISO, .memo = &mm };
	struct ts t;
	char dig[16], tail[16], b[24];
	uint64_t x = 0x2545f4914f6cdd1dULL;
	int fails = 0, n = 0;

	ts_parse("2023-11-01 23:10:00", 19, &warm, &t, NULL);
	for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++)
		for (int nd = 0; nd <= 12; nd++)
			for (int r = 0; r < 300; r++) {
				for (int j = 0; j < nd; j++) {
					x ^= x << 13;
					x ^= x >> 7;
					x ^= x << 17;
					/* Zeros and nines at the word's
					 * edges, others anywhere. */
					dig[j] = (char)(r < 2 ? "09"[r] :
					    '0' + (int)(x % 10));
				}
				dig[nd] = '\0';
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				if (x % 4 == 0)
					snprintf(tail, sizeof(tail), "%s",
					    forms[f].tail);
				else
					snprintf(tail, sizeof(tail), "%c",
					    after[x % (sizeof(after) - 1)]);
				fails += !frac_one(forms[f].pre, forms[f].form,
				    x & 64 ? ',' : '.', dig, tail, &mm);
				n++;
			}
	is_int(fails, 0, "fraction: %d fractions read as a byte-at-a-time "
	    "reading reads them", n);

	fails = n = 0;
	for (int r = 0; r < 20000; r++) {
		size_t len = (size_t)r % 24, i, k;

		for (size_t j = 0; j < len; j++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			b[j] = x % 5 ? (char)('0' + (int)(x >> 8) % 10) :
			    after[(x >> 8) % (sizeof(after) - 1)];
		}
		for (i = 0; i <= len; i++) {
			for (k = i; k < len && b[k] >= '0' && b[k] <= '9'; k++)
				;
			fails += ts_skip_digits(b, i, len) != k;
			n++;
		}
	}
	is_int(fails, 0, "ts_skip_digits: %d runs of digits end where a "
	    "byte loop says", n);
	ok(ts_eight_digits(ts_ld8("12345678")) == 12345678 &&
	    ts_eight_digits(ts_ld8("99999999")) == 99999999 &&
	    ts_eight_digits(ts_ld8("00000001")) == 1,
	    "ts_eight_digits: 12345678, 99999999, 00000001");
}

/*
 * The memo across a minute: each second 00 to 61 (60 only at 23:59), with
 * and without a fraction and an offset, read after its minute's first
 * second is memoised, is what it is read as without a memo.
 */
/*
 * Whether s[0..n), read with a memo warmed by the text warm, is read as
 * without a memo: the same result, or the same error and column.
 */
static int
memo_same(const char *warm, const char *s, size_t n)
{
	struct ts_memo mm = { { 0, 0 }, 0, 0 };
	struct ts_opt o = { .form = TS_ISO, .memo = &mm };
	struct ts a, b;
	struct diag da, db;
	int ra, rb;

	ts_parse(warm, strlen(warm), &o, &a, NULL);
	diag_clear(&da);
	diag_clear(&db);
	rb = ts_parse(s, n, &o, &b, &db);
	o.memo = NULL;
	ra = ts_parse(s, n, &o, &a, &da);
	/* Shorter than a whole time is never one, memo or not. */
	return same_parse(ra, &a, &da, rb, &b, &db) && (n >= 19 || rb == -1);
}

static void
test_memo(void)
{
	static const char *const minutes[] = {
		"2023-11-01 23:10", "2016-12-31T23:59", "1970-01-01 00:00",
		"9999-12-31 23:59", "2024-02-29 12:00", "2023-02-29 12:00",
		"2023-13-01 00:00", "2023-11-01 24:00", "2023-11-01 23:60"
	};
	static const char *const tails[] = { "", ".5", ",123456789", "Z",
		"+09:00", "-0530", ".25Z", ".", "x" };
	char w[64], s[64];
	int fails = 0, n = 0;

	/* Each second of a minute read after its second 00 was. */
	for (size_t m = 0; m < sizeof(minutes) / sizeof(minutes[0]); m++)
		for (int sec = 0; sec <= 61; sec++)
			for (size_t k = 0; k < sizeof(tails) / sizeof(tails[0]);
			    k++) {
				snprintf(w, sizeof(w), "%s:00", minutes[m]);
				snprintf(s, sizeof(s), "%s:%02d%s", minutes[m],
				    sec, tails[k]);
				if (!memo_same(w, s, strlen(s)) && fails++ == 0)
					tap_diag("memo: %s", s);
				n++;
			}
	is_int(fails, 0, "memo: %d times read after their minute was "
	    "memoised are read as without it", n);

	/*
	 * The memo's guards: a text that shares the memo's 16 bytes but has
	 * something else where ":SS" belongs, and a text cut short inside a
	 * buffer whose next bytes would complete a good time (n is what
	 * counts, not where the bytes end).
	 */
	fails = n = 0;
	for (int k = 16; k <= 18; k++)
		for (const char *c = "x./:0 9\xff"; *c != '\0'; c++) {
			snprintf(s, sizeof(s), "2023-11-01 23:10:45.5");
			s[k] = *c;
			if (!memo_same("2023-11-01 23:10:00", s, strlen(s)) &&
			    fails++ == 0)
				tap_diag("memo: %s", s);
			n++;
		}
	for (size_t len = 10; len <= 19; len++) {
		if (!memo_same("2023-11-01 23:10:00", "2023-11-01 23:10:45",
		    len) && fails++ == 0)
			tap_diag("memo: the first %zu bytes", len);
		n++;
	}
	is_int(fails, 0, "memo: %d texts that share the memo's minute but "
	    "not the shape, or end early, are read as without it", n);
}

/* Whether a[0..la) is b[0..lb); the first difference told. */
static int
text_same(const char *what, const char *a, size_t la, const char *b,
    size_t lb, int *fails)
{
	if (la == lb && memcmp(a, b, lb) == 0)
		return 1;
	if ((*fails)++ == 0)
		tap_diag("%s: %.*s, not %.*s", what, (int)la, a, (int)lb, b);
	return 0;
}

/*
 * ts_text_set() with ts_text_iso() and ts_text_epoch() against ts_iso()
 * and ts_epoch(): times in order and out of it (the kept second reused,
 * and made again), every digit count, nanoseconds out of range; seconds
 * outside 1970-9999 refused (0), and the next time in range written right
 * after one.
 */
static void
test_text_at(void)
{
	static const int64_t secs[] = { 0, 1, 59, 1698880204, 1698880204,
		1698880205, 1698880204, INT64_C(253402300799), -1,
		INT64_C(-62167219200), INT64_C(253402300800), 951782400 };
	static const int32_t nss[] = { 0, 1, 5, 999999999, 806247000,
		806247000, -1, TS_NS, 100000000 };
	struct ts_text c;
	char a[TS_ISO_MAX + 8], b[TS_ISO_MAX];
	int fails = 0, n = 0;

	memset(&c, 0, sizeof(c));
	for (size_t i = 0; i < sizeof(secs) / sizeof(secs[0]); i++)
		for (size_t k = 0; k < sizeof(nss) / sizeof(nss[0]); k++)
			for (int dig = 0; dig <= 11; dig++) {
				struct ts t = { secs[i], nss[k], (uint8_t)dig,
				    0 };
				int in = t.sec >= 0 && t.sec <= TS_SEC_MAX;

				n++;
				if (ts_text_set(&c, &t) != in) {
					if (fails++ == 0)
						tap_diag("ts_text_set: %lld "
						    "not %d", (long long)t.sec,
						    in);
					continue;
				}
				if (!in)
					continue;
				memset(a, '#', sizeof(a));
				text_same("ts_text_iso", a, ts_text_iso(&c, a),
				    b, ts_iso(&t, b), &fails);
				text_same("ts_text_epoch", a,
				    ts_text_epoch(&c, a), b, ts_epoch(&t, b),
				    &fails);
			}
	is_int(fails, 0, "ts_text_set, ts_text_iso, ts_text_epoch: %d times "
	    "as ts_iso and ts_epoch write them, or refused outside the "
	    "range", n);
}

/* The reference texts of t, by gmtime_r() and snprintf(): t->sec within
 * 1970-9999, nsec within range. */
static void
ref_texts(const struct ts *t, char *isob, size_t isosz, char *epb,
    size_t epsz)
{
	time_t tt = (time_t)t->sec;
	struct tm tm;
	char frac[16] = "", nine[16];
	int d = t->digits > 9 ? 9 : t->digits;

	gmtime_r(&tt, &tm);
	snprintf(nine, sizeof(nine), "%09ld", (long)t->nsec);
	if (d > 0)
		snprintf(frac, sizeof(frac), ".%.*s", d, nine);
	snprintf(isob, isosz, "%04d-%02d-%02dT%02d:%02d:%02d%sZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, frac);
	snprintf(epb, epsz, "%lld%s", (long long)t->sec, frac);
}

/*
 * ts_iso(), ts_epoch() and the kept-text writers against gmtime_r() and
 * snprintf(): nanoseconds at every digit's edges (0, 9s, powers of ten)
 * and at random, every digit count, seconds in order across minutes,
 * hours, days, years and leap days, and at random; the kept texts are
 * written by one cache in order, so they are made again and reused.
 */
static void
test_text_ref(void)
{
	static const int64_t edges[] = { 0, 59, 60, 3599, 3600, 86399,
		86400, 951782399, 951782400, 951868799, 951868800,
		978307199, 978307200, 1698880199, 1698880204,
		1709251199, 1709251200, 4107542399, 4107542400,
		INT64_C(253402300799) };
	struct ts_text c;
	char a[TS_ISO_MAX + 8], b[TS_ISO_MAX], ri[64], re[64];
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	int fails = 0, n = 0;
	int64_t sec = 0;

	memset(&c, 0, sizeof(c));
	for (int r = 0; r < 400000; r++) {
		struct ts t;
		int32_t ns;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		switch (r % 8) {
		case 0:		/* a jump: an edge, or anywhere */
			sec = r % 16 == 0 ? edges[(x >> 8) %
			    (sizeof(edges) / sizeof(edges[0]))] :
			    (int64_t)((x >> 8) % (uint64_t)TS_SEC_MAX);
			break;
		case 1: case 2:	/* the same second */
			break;
		default:	/* on by under a few seconds */
			if (sec < TS_SEC_MAX)
				sec += (int64_t)((x >> 40) % 3);
		}
		switch ((x >> 20) % 6) {
		case 0:		/* 10^k - 1, 10^k, 10^k + 1, k * 10^j */
			ns = 1;
			for (int k = (int)((x >> 24) % 10); k > 0; k--)
				ns *= 10;
			ns += (int32_t)((x >> 30) % 3) - 1;
			if (ns < 0 || ns >= TS_NS)
				ns = TS_NS - 1;
			break;
		case 1:
			ns = 0;
			break;
		case 2:
			ns = TS_NS - 1;
			break;
		default:
			ns = (int32_t)((x >> 24) % TS_NS);
		}
		t.sec = sec;
		t.nsec = ns;
		t.digits = (uint8_t)((x >> 50) % 12);
		t.flags = 0;
		ref_texts(&t, ri, sizeof(ri), re, sizeof(re));
		memset(a, '#', sizeof(a));
		text_same("ts_iso", b, ts_iso(&t, b), ri, strlen(ri),
		    &fails);
		text_same("ts_epoch", b, ts_epoch(&t, b), re, strlen(re),
		    &fails);
		if (!ts_text_set(&c, &t) && fails++ == 0)
			tap_diag("ts_text_set refused %lld",
			    (long long)t.sec);
		text_same("ts_text_iso", a, ts_text_iso(&c, a), ri,
		    strlen(ri), &fails);
		text_same("ts_text_epoch", a, ts_text_epoch(&c, a), re,
		    strlen(re), &fails);
		n += 4;
	}
	is_int(fails, 0, "ts_iso, ts_epoch, ts_text_iso, ts_text_epoch: %d texts "
	    "as gmtime_r and snprintf write them", n);
}

int
main(void)
{
	test_forms();
	test_invalid();
	test_zones();
	test_leap_zones();
	test_days();
	test_round_trip();
	test_arith();
	test_range();
	test_shape();
	test_frac();
	test_memo();
	test_text_at();
	test_text_ref();
	is_int(memo_diff, 0, "memo: the %d parses of the tests above read the "
	    "same with a memo", memo_parses);
	return done_testing();
}
