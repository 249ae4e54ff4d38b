/*
 * tests/timefmt.c: --time-format (timefmt_compile, timefmt_read) and
 * ts_resolve(): every directive, the exactness of %f, bad formats, the
 * year and day rules, zone abbreviations.  Expected epoch values were
 * computed apart from the code under test with GNU date, e.g.
 * `date -u -d '2005-12-04 04:47:44' +%s` = 1133671664.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "base/timefmt.h"

static struct diag dg;

/* Read s with fmt and resolve under r (NULL: no options); the ISO text of
 * the time, or "NOFIT: msg" / "REFUSE: msg" / "BAD: msg". */
static const char *
R(const char *fmt, const char *s, struct ts_rules *r, struct ts_input *in)
{
	static char out[600];
	struct ts_rules none;
	struct ts_input fresh;
	struct timefmt *f;
	struct ts_parts p;
	struct ts t;
	size_t k;
	int rc;

	memset(&none, 0, sizeof(none));
	if (r == NULL)
		r = &none;
	if (in == NULL) {
		ts_input_reset(&fresh);
		in = &fresh;
	}
	diag_clear(&dg);
	if ((f = timefmt_compile(fmt, &dg)) == NULL) {
		snprintf(out, sizeof(out), "COMPILE %zu: %s", dg.col, dg.msg);
		return out;
	}
	k = timefmt_read(f, s, strlen(s), &p, &dg);
	timefmt_free(f);
	if (k == TIMEFMT_NOFIT) {
		snprintf(out, sizeof(out), "NOFIT %zu: %s", dg.col, dg.msg);
		return out;
	}
	if (k != strlen(s)) {
		snprintf(out, sizeof(out), "REST %zu", k);
		return out;
	}
	rc = ts_resolve(&p, r, in, &t, &dg);
	if (rc == TS_REFUSE)
		snprintf(out, sizeof(out), "REFUSE: %s", dg.msg);
	else if (rc != 0)
		snprintf(out, sizeof(out), "BAD: %s", dg.msg);
	else
		ts_iso(&t, out);
	if (r == &none)
		ts_abbrset_free(none.sys);
	return out;
}

#define T(fmt, s, want) is_str(R(fmt, s, NULL, NULL), want, "%s on \"%s\"", \
	fmt, s)

static void
test_directives(void)
{
	T("%Y-%m-%d %H:%M:%S", "2023-11-01 23:10:04", "2023-11-01T23:10:04Z");
	T("%Y-%m-%dT%H:%M:%S.%f%z", "2023-11-01T23:10:04.806247+01:00",
	    "2023-11-01T22:10:04.806247Z");
	T("%Y-%m-%d %H:%M:%S %z", "2019-12-05 11:57:27 +0000",
	    "2019-12-05T11:57:27Z");
	T("%Y%m%d-%H:%M:%S:%f", "20171223-22:15:29:606",
	    "2017-12-23T22:15:29.606Z");
	T("%y%m%d %H%M%S", "081109 203615", "2008-11-09T20:36:15Z");
	T("%y/%m/%d %H:%M:%S", "17/06/09 20:10:40", "2017-06-09T20:10:40Z");
	T("%y/%m/%d %H:%M:%S", "70/06/09 20:10:40", "1970-06-09T20:10:40Z");
	T("%y/%m/%d", "69/06/09", "2069-06-09T00:00:00Z");
	T("%a %b %d %H:%M:%S %Y", "Sun Dec 04 04:47:44 2005",
	    "2005-12-04T04:47:44Z");
	T("%a %b %e %H:%M:%S %Y", "Sunday December  4 04:47:44 2005",
	    "2005-12-04T04:47:44Z");
	T("%d/%b/%Y:%H:%M:%S %z", "10/Oct/2000:13:55:36 -0700",
	    "2000-10-10T20:55:36Z");
	T("%Y-%m-%d %I:%M:%S %p", "2023-11-01 12:00:00 AM",
	    "2023-11-01T00:00:00Z");
	T("%Y-%m-%d %I:%M:%S %p", "2023-11-01 12:30:00 pm",
	    "2023-11-01T12:30:00Z");
	T("%Y-%m-%d %I:%M:%S %p", "2023-11-01 01:30:00 PM",
	    "2023-11-01T13:30:00Z");
	T("%Y %j %H:%M", "2024 366 10:00", "2024-12-31T10:00:00Z");
	T("%Y %j", "2023 366", "BAD: day of the year 366 does not exist in 2023");
	T("%%%Y-%m-%d", "%2023-11-01", "2023-11-01T00:00:00Z");
	T("%Y-%m-%d %H:%M:%S%z", "2023-11-01 23:10:04Z", "2023-11-01T23:10:04Z");
	T("%Y-%m-%d %H:%M:%S%z", "2023-11-01 23:10:04+09",
	    "2023-11-01T14:10:04Z");
	T("%Y-%m-%d %H:%M:%S%z", "2023-11-01 23:10:04-0530",
	    "2023-11-02T04:40:04Z");
	T("%Y-%m-%d %H:%M:%S %Z", "2023-11-01 23:10:04 UTC",
	    "2023-11-01T23:10:04Z");
	T("%Y-%m-%d %H:%M:%S %Z", "2023-11-01 23:10:04 GMT",
	    "2023-11-01T23:10:04Z");
	/* A space matches a run of spaces and tabs. */
	T("%Y-%m-%d %H:%M", "2023-11-01 \t 23:10", "2023-11-01T23:10:00Z");
	/* Epochs: explicit forms take any count of digits. */
	T("%s", "1698880204", "2023-11-01T23:10:04Z");
	T("%s", "1698880204.806247", "2023-11-01T23:10:04.806247Z");
	T("%s", "0", "1970-01-01T00:00:00Z");
	T("%s3", "1745532517537", "2025-04-24T22:08:37.537Z");
	T("%s3", "5", "1970-01-01T00:00:00.005Z");
	T("%s6", "1698880204806247", "2023-11-01T23:10:04.806247Z");
	T("%s9", "1698880204806247001", "2023-11-01T23:10:04.806247001Z");
	T("%s9", "000001", "1970-01-01T00:00:00.000000001Z");
	T("{\"time\":%s3,", "{\"time\":1745532517537,", "2025-04-24T22:08:37.537Z");
}

static void
test_frac(void)
{
	T("%H:%M:%S.%f", "1", "NOFIT 2: expected ':', got the end");
	T("%Y-%m-%d %H:%M:%S.%f", "2023-11-01 23:10:04.1",
	    "2023-11-01T23:10:04.1Z");
	T("%Y-%m-%d %H:%M:%S.%f", "2023-11-01 23:10:04.000000001",
	    "2023-11-01T23:10:04.000000001Z");
	T("%Y-%m-%d %H:%M:%S.%f", "2023-11-01 23:10:04.123456789",
	    "2023-11-01T23:10:04.123456789Z");
	T("%Y-%m-%d %H:%M:%S.%f", "2023-11-01 23:10:04.100",
	    "2023-11-01T23:10:04.100Z");
	T("%Y-%m-%d %H:%M:%S.%f", "2023-11-01 23:10:04.1234567891",
	    "NOFIT 21: fraction of 10 digits: at most 9 (nanoseconds), got "
	    "\"1234567891\"");
	T("%Y-%m-%d %H:%M:%S.%f", "2023-11-01 23:10:04.",
	    "NOFIT 21: expected the digits of a fraction of a second, got "
	    "the end");
}

static void
test_nofit(void)
{
	T("%Y-%m-%d", "23-11-01", "NOFIT 3: expected 4 digits of the year, "
	    "got \"-11-01\"");
	T("%Y-%m-%d", "1969-11-01", "NOFIT 1: year 1969 out of range "
	    "1970-9999, got \"1969-11-01\"");
	T("%Y-%m-%d", "2023-13-01", "NOFIT 6: month 13 out of range 01-12, "
	    "got \"13-01\"");
	T("%Y-%m-%d", "2023-02-30", "BAD: day 30 does not exist in February "
	    "2023");
	T("%H:%M:%S", "24:00:00", "NOFIT 1: hour 24 out of range 00-23, got "
	    "\"24:00:00\"");
	T("%b %d", "Foo 01", "NOFIT 1: expected a month name, got \"Foo "
	    "01\"");
	T("%Y-%m-%d %H:%M:%S%z", "2023-11-01 23:10:04+24",
	    "NOFIT 21: offset's hours 24 out of range 00-23, got \"24\"");
	T("%Y-%m-%d %I:%M %p", "2023-11-01 01:00 XM",
	    "NOFIT 18: expected AM or PM, got \"XM\"");
	T("%Y-%m-%d %Z", "2023-11-01 1INFO",
	    "NOFIT 12: expected a zone abbreviation (1 to 7 letters), got "
	    "\"1INFO\"");
	T("%Y-%m-%d %Z", "2023-11-01 INFOLOGS",
	    "NOFIT 12: expected a zone abbreviation (1 to 7 letters), got "
	    "\"INFOLOGS\"");
	T("%s", "x", "NOFIT 1: expected the digits of an epoch time, got "
	    "\"x\"");
	T("%s", "1234567890123", "NOFIT 1: epoch time of 13 digits: after "
	    "9999-12-31, got \"123456789012...\"");
}

static void
test_compile(void)
{
	T("%Y-%q", "x", "COMPILE 4: time format \"%Y-%q\": unknown directive "
	    "%q at offset 4: expected one of %Y %y %m %d %e %b %a %H %I %p %M "
	    "%S %j %f %z %Z %s %s3 %s6 %s9 %%");
	T("%H:%", "x", "COMPILE 4: time format \"%H:%\": a lone '%' at offset "
	    "4: write %% for a '%'");
	T("%I:%M", "x", "COMPILE 0: time format \"%I:%M\": %I (12-hour) needs "
	    "%p (AM or PM)");
	T("%H %p", "x", "COMPILE 0: time format \"%H %p\": %p (AM or PM) needs "
	    "%I (12-hour)");
	T("abc", "x", "COMPILE 0: time format \"abc\" reads no date or time: "
	    "expected directives such as %Y-%m-%d %H:%M:%S");
	T("", "x", "COMPILE 0: time format \"\" reads no date or time: "
	    "expected directives such as %Y-%m-%d %H:%M:%S");
	{
		struct diag d;
		struct timefmt *f;

		f = timefmt_compile("%Y-%m-%d %H:%M:%S%z", &d);
		ok(f != NULL && timefmt_has(f) == (TIMEFMT_HAS_YEAR |
		    TIMEFMT_HAS_DATE | TIMEFMT_HAS_ZONE), "has: year, date, "
		    "zone");
		timefmt_free(f);
		f = timefmt_compile("%b %e %H:%M:%S", &d);
		ok(f != NULL && timefmt_has(f) == TIMEFMT_HAS_DATE,
		    "has: date only");
		timefmt_free(f);
		f = timefmt_compile("%s3", &d);
		ok(f != NULL && (timefmt_has(f) & TIMEFMT_HAS_EPOCH), "has: "
		    "epoch");
		timefmt_free(f);
		timefmt_free(NULL);
	}
}

/* Several lines through one input state. */
static void
seq(const char *fmt, struct ts_rules *r, const char *const *lines,
    const char *const *want, const char *what)
{
	struct ts_input in;

	ts_input_reset(&in);
	for (size_t k = 0; lines[k] != NULL; k++)
		is_str(R(fmt, lines[k], r, &in), want[k], "%s: line %zu", what,
		    k + 1);
}

static void
test_years(void)
{
	struct ts_rules r;
	struct ts_input in;
	static const char *const l1[] = { "Dec 31 23:59:59", "Jan  1 00:00:01",
	    "Dec 31 00:00:00", "Jun 30 00:00:00", "Jan  1 00:00:00", NULL };
	static const char *const w1[] = { "2023-12-31T23:59:59Z",
	    "2024-01-01T00:00:01Z", "2024-12-31T00:00:00Z",
	    "2025-06-30T00:00:00Z", "2025-01-01T00:00:00Z", NULL };
	static const char *const l2[] = { "23:00:00", "23:59:59", "00:00:01",
	    "12:00:00", "11:00:00", "23:30:00", "11:30:00", "00:00:00", NULL };
	static const char *const w2[] = { "2024-02-28T23:00:00Z",
	    "2024-02-28T23:59:59Z", "2024-02-29T00:00:01Z",
	    "2024-02-29T12:00:00Z", "2024-02-29T11:00:00Z",
	    "2024-02-29T23:30:00Z", "2024-03-01T11:30:00Z",
	    "2024-03-01T00:00:00Z", NULL };

	T("%b %e %H:%M:%S", "Dec 31 23:59:59", "REFUSE: the time has no year "
	    "on the line: give it with --year (the year of the input's first "
	    "line)");
	T("%H:%M:%S", "23:59:59", "REFUSE: the time has no date on the line: "
	    "give it with --date YYYY-MM-DD (the date of the input's first "
	    "line)");
	memset(&r, 0, sizeof(r));
	r.year = 2023;
	/* Dec to Jan turns over; Dec back to Jun (six) turns over too, but
	 * a step back of five (Jun to Jan) keeps the year. */
	seq("%b %e %H:%M:%S", &r, l1, w1, "--year 2023");
	ts_input_reset(&in);
	(void)R("%b %e %H:%M:%S", "Dec 31 23:59:59", &r, &in);
	(void)R("%b %e %H:%M:%S", "Jan  1 00:00:01", &r, &in);
	is_int(in.turnovers, 1, "one turnover Dec -> Jan");
	(void)R("%b %e %H:%M:%S", "Jul  1 00:00:01", &r, &in);
	(void)R("%b %e %H:%M:%S", "Feb  1 00:00:01", &r, &in);
	is_int(in.turnovers, 1, "Jul -> Feb (five back): no turnover");
	is_int(in.backsteps, 1, "  counted as a step back");
	/* A year on the line wins, and is counted. */
	ts_input_reset(&in);
	is_str(R("%b %e %H:%M:%S %Y", "Dec  4 04:47:44 2005", &r, &in),
	    "2005-12-04T04:47:44Z", "a year on the line is used");
	is_int(in.year_on_line, 1, "  counted while --year was given");
	/* Feb 29 needs the year it falls in. */
	r.year = 2023;
	is_str(R("%b %e", "Feb 29", &r, NULL), "BAD: day 29 does not exist "
	    "in February 2023", "Feb 29 in 2023");
	r.year = 2024;
	is_str(R("%b %e", "Feb 29", &r, NULL), "2024-02-29T00:00:00Z",
	    "Feb 29 in 2024");
	/* --date: the day turns over when the time goes back 12 h or more. */
	memset(&r, 0, sizeof(r));
	r.date_y = 2024;
	r.date_m = 2;
	r.date_d = 28;
	seq("%H:%M:%S", &r, l2, w2, "--date 2024-02-28");
	/* --date's year serves a yearless date. */
	is_str(R("%m-%d %H:%M:%S", "03-17 16:13:38", &r, NULL),
	    "2024-03-17T16:13:38Z", "--date's year for 03-17");
}

static void
test_zones(void)
{
	struct ts_rules r;
	struct ts_abbr ab[1] = { { "PDT", -7 * 3600 } };
	struct diag d;
	int32_t off = 0;
	const char *zone = NULL;

	memset(&r, 0, sizeof(r));
	is_str(R("%Y-%m-%d %H:%M:%S %Z", "2025-08-13 01:45:01 PDT", &r, NULL),
	    "REFUSE: zone abbreviation PDT is not read without being told its "
	    "offset (the zone data has -07:00, as in America/Dawson; "
	    "+09:00, as in Asia/Manila): give --tz-abbrev PDT=-07:00, or --tz "
	    "with the log's zone", "PDT refused");
	is_int(dg.col, 21, "  at its column");
	ok(strncmp(R("%Y-%m-%d %H:%M:%S %Z", "2025-08-13 01:45:01 IST", &r,
	    NULL), "REFUSE: zone abbreviation IST is not read without being "
	    "told its offset (the zone data has ", 85) == 0 &&
	    strstr(dg.msg, "+05:30, as in Asia/Kolkata") != NULL &&
	    strstr(dg.msg, "+01:00, as in Europe/Dublin") != NULL, "IST: each "
	    "offset named: %s", dg.msg);
	is_str(R("%Y-%m-%d %H:%M:%S %Z", "2025-08-13 01:45:01 INFO", &r, NULL),
	    "REFUSE: unknown zone abbreviation INFO: give --tz-abbrev "
	    "INFO=OFFSET", "INFO is not a zone");
	ts_abbrset_free(r.sys);
	r.sys = NULL;
	r.sys_tried = 0;
	r.abbr = ab;
	r.nabbr = 1;
	is_str(R("%Y-%m-%d %H:%M:%S %Z", "2025-08-13 01:45:01 PDT", &r, NULL),
	    "2025-08-13T08:45:01Z", "PDT with --tz-abbrev PDT=-07:00");
	/* A numeric offset wins over the abbreviation. */
	is_str(R("%Y-%m-%d %H:%M:%S%z %Z", "2025-08-13 01:45:01+00:00 PDT", &r,
	    NULL), "2025-08-13T01:45:01Z", "an offset before PDT wins");
	r.abbr = NULL;
	r.nabbr = 0;
	r.zone = ts_zone_new("America/Los_Angeles", &d);
	ok(r.zone != NULL, "zone America/Los_Angeles");
	is_str(R("%Y-%m-%d %H:%M:%S %Z", "2025-08-13 01:45:01 PDT", &r, NULL),
	    "2025-08-13T08:45:01Z", "PDT read by --tz America/Los_Angeles");
	is_str(R("%Y-%m-%d %H:%M:%S %Z", "2025-01-13 01:45:01 PST", &r, NULL),
	    "2025-01-13T09:45:01Z", "PST read by --tz America/Los_Angeles");
	/* The fold: 01:30 happened twice; the abbreviation says which. */
	is_str(R("%Y-%m-%d %H:%M:%S %Z", "2025-11-02 01:30:00 PST", &r, NULL),
	    "2025-11-02T09:30:00Z", "01:30 PST in the fold: the later one");
	is_str(R("%Y-%m-%d %H:%M:%S %Z", "2025-11-02 01:30:00 PDT", &r, NULL),
	    "2025-11-02T08:30:00Z", "01:30 PDT in the fold: the earlier one");
	is_str(R("%Y-%m-%d %H:%M:%S", "2025-08-13 01:45:01", &r, NULL),
	    "2025-08-13T08:45:01Z", "no abbreviation: the zone");
	is_str(R("%Y-%m-%d %H:%M:%S %Z", "2025-08-13 01:45:01 CEST", &r, NULL),
	    "REFUSE: zone abbreviation CEST is not read without being told "
	    "its offset (the zone data has +02:00, as in Africa/Algiers): give "
	    "--tz-abbrev CEST=+02:00, or --tz with the log's zone", "CEST is "
	    "not the zone's");
	ts_zone_free(r.zone);
	ts_abbrset_free(r.sys);
	{
		struct ts_abbrset *a = ts_abbrset_load(&d);

		ok(a != NULL, "the zone data's abbreviations load");
		is_int(ts_abbrset_find(a, "PST", 3, &off, &zone), 2, "PST: two "
		    "offsets (America and Asia/Manila)");
		is_int(off, -8 * 3600, "  -08:00 first");
		is_int(ts_abbrset_find(a, "CEST", 4, &off, &zone), 1, "CEST: "
		    "one offset");
		is_int(off, 2 * 3600, "  +02:00");
		is_int(ts_abbrset_find(a, "CST", 3, &off, NULL), 2, "CST: "
		    "ambiguous (US and China)");
		is_int(ts_abbrset_find(a, "GET", 3, &off, NULL), 0, "GET: no");
		is_int(ts_abbrset_find(a, "INFO", 4, &off, NULL), 0, "INFO: no");
		is_int(ts_abbrset_find(a, "PD", 2, &off, NULL), 0, "PD: no");
		is_int(ts_abbrset_find(a, "PDTX", 4, &off, NULL), 0, "PDTX: no");
		ts_abbrset_free(a);
	}
}

int
main(void)
{
	test_directives();
	test_frac();
	test_nofit();
	test_compile();
	test_years();
	test_zones();
	return done_testing();
}
