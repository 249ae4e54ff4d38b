/*
 * tests/dur.c: durations on the command line.  Expected seconds and
 * nanoseconds are worked by hand from the text (1.5m = 90 s, 250us =
 * 250000 ns); negative values are -(|v|) split so that nsec is in [0, 1e9).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/dur.h"
#include "tap.h"

static struct diag dg;

static void
good(const char *s, int neg, int64_t sec, int32_t ns, int digits)
{
	struct ts t;

	memset(&t, 0xa5, sizeof(t));
	diag_clear(&dg);
	if (!is_int(dur_parse(s, neg, &t, &dg), 0, "dur \"%s\"", s))
		tap_diag("%s", dg.msg);
	is_int(t.sec, sec, "  \"%s\": seconds", s);
	is_int(t.nsec, ns, "  \"%s\": nanoseconds", s);
	is_int(t.digits, digits, "  \"%s\": digits", s);
}

static void
bad(const char *s, int neg, const char *msg, size_t col)
{
	struct ts t;

	diag_clear(&dg);
	is_int(dur_parse(s, neg, &t, &dg), -1, "refuse \"%s\"", s);
	is_int(dg.code, DIAG_USAGE, "  \"%s\": DIAG_USAGE", s);
	if (msg != NULL)
		is_str(dg.msg, msg, "  \"%s\": message", s);
	else
		ok(dg.msg[0] != '\0', "  \"%s\": a message: %s", s, dg.msg);
	is_int(dg.col, col, "  \"%s\": column", s);
}

/* dur_log(): a log's dur text, in the --dur-unit shift or its own unit;
 * its ts_epoch() text ("0.0015" for 1.5 ms, the digits as logged). */
static void
L(const char *s, int shift, const char *want)
{
	struct ts t;
	const char *why = NULL;
	char buf[TS_EPOCH_MAX + 64];

	if (dur_log(s, strlen(s), shift, &t, &why) == -1)
		snprintf(buf, sizeof(buf), "ERR %s", why);
	else
		ts_epoch(&t, buf);
	is_str(buf, want, "dur_log(\"%s\", %d)", s, shift);
}

static void
test_log(void)
{
	/* Without a unit: the --dur-unit's, digits scaled. */
	L("31.5", 3, "0.0315");
	L("2", 0, "2");
	L("250", 6, "0.000250");
	L("7", 9, "0.000000007");
	L("1.5", 9, "ERR duration finer than a nanosecond");
	L("1.50", 6, "0.00000150");
	L("", 0, "ERR expected a duration: digits with an optional fraction");
	L("1.", 0, "ERR expected digits after the decimal point");
	/* With its unit: read as written, whatever the shift. */
	L("1.5ms", 0, "0.0015");
	L("1.5ms", 9, "0.0015");
	L("250us", 3, "0.000250");
	L("250\xc2\xb5s", 3, "0.000250");
	L("2s", 3, "2");
	L("2.25s", 6, "2.25");
	L("15ns", 0, "0.000000015");
	L("1m2.5s", 0, "62.5");
	L("1h2m", 0, "3720");
	L("1.5m", 0, "90");
	L("0.1m", 0, "6");
	L("1h0m0.000000001s", 0, "3600.000000001");
	L("0.5ns", 0, "ERR duration finer than a nanosecond");
	L("3xs", 0, "ERR expected a unit after the number: ns, us, ms, s, m "
	    "or h");
	L("5ms3", 0, "ERR expected a unit after the number: ns, us, ms, s, m "
	    "or h");
	L("ms", 0, "ERR expected a duration: digits with an optional fraction "
	    "and a unit (ns, us, ms, s, m or h)");
	L("-1s", 0, "ERR expected a duration: digits with an optional fraction "
	    "and a unit (ns, us, ms, s, m or h)");
	L("1.s", 0, "ERR expected a duration: digits with an optional fraction "
	    "and a unit (ns, us, ms, s, m or h)");
	L("9999999999999999h", 0, "ERR duration too large");
	L("253402300800s", 0, "ERR duration too large");
	L("253402300799s", 0, "253402300799");
}

int
main(void)
{
	struct ts v[4];
	size_t n;

	good("1.5", 0, 1, 500000000, 1);
	good("0", 0, 0, 0, 0);
	good("10", 0, 10, 0, 0);
	good("0.000000001", 0, 0, 1, 9);
	good("0.100", 0, 0, 100000000, 1);
	good("1500ms", 0, 1, 500000000, 1);
	good("250us", 0, 0, 250000, 5);
	good("250\xc2\xb5s", 0, 0, 250000, 5);
	good("2s", 0, 2, 0, 0);
	good("1m", 0, 60, 0, 0);
	good("1.5m", 0, 90, 0, 0);
	good("0.123456789m", 0, 7, 407407340, 8);
	good("2h", 0, 7200, 0, 0);
	good("0.5h", 0, 1800, 0, 0);
	good("7ns", 0, 0, 7, 9);
	good("1500000000ns", 0, 1, 500000000, 1);
	good("31.5ms", 0, 0, 31500000, 4);
	good("0.000001ms", 0, 0, 1, 9);
	/* Negative where allowed: -1.5 s is -2 s + 0.5 s. */
	good("-1.5", 1, -2, 500000000, 1);
	good("-2s", 1, -2, 0, 0);
	good("+2s", 1, 2, 0, 0);
	good("-0", 1, 0, 0, 0);
	good("-250ms", 1, -1, 750000000, 2);
	/* Trailing zeros change nothing, however many. */
	good("1.500000000000000000000000000000000000000", 0, 1, 500000000, 1);
	/* 2.5e-12 h is 9 ns: 13 significant fraction digits, whole. */
	good("0.0000000000025h", 0, 0, 9, 9);
	/* 2^63 ns and more: past 292 years, still exact. */
	good("9223372036.854775807", 0, INT64_C(9223372036), 854775807, 9);
	good("9223372036.854775808", 0, INT64_C(9223372036), 854775808, 9);
	/* The span of the range of times, 1970 to the end of 9999, is the
	 * largest either way. */
	good("253402300799.999999999", 1, INT64_C(253402300799), 999999999,
	    9);
	good("-253402300799.999999999", 1, INT64_C(-253402300800), 1, 9);
	good("70389527h", 0, INT64_C(253402297200), 0, 0);

	bad("10xs", 0, "unknown unit \"xs\" in \"10xs\": expected ns, us, "
	    "ms, s, m or h", 3);
	bad("10 s", 0, NULL, 3);
	bad("", 0, "expected a duration, got nothing in \"\"", 1);
	bad("ms", 0, "expected a number (seconds, or with a unit: ns, us, ms, "
	    "s, m or h) in \"ms\"", 1);
	bad("-1s", 0, "expected a duration of zero or more, got a negative "
	    "one in \"-1s\"", 1);
	bad("+1s", 0, NULL, 1);
	bad("1.", 0, "expected digits after the decimal point in \"1.\"", 3);
	bad(".5", 0, "expected a digit before the decimal point in \".5\"", 1);
	bad("1.5ns", 0, "duration finer than a nanosecond in \"1.5ns\"", 1);
	bad("0.0000000001", 0, NULL, 1);
	bad("1.0000000001us", 0, NULL, 1);
	bad("0.0000000000001h", 0, "duration finer than a nanosecond in "
	    "\"0.0000000000001h\"", 1);
	bad("0.000000000000000000000000000001h", 0, NULL, 1);
	bad("0.999999999999999999999999999999h", 0, NULL, 1);
	bad("253402300800", 0, "duration too large in \"253402300800\": "
	    "at most 253402300799.999999999 s, from 1970 to the end of 9999",
	    1);
	bad("-253402300800", 1, NULL, 1);
	bad("70389528h", 0, NULL, 1);
	bad("99999999999999999999", 0, NULL, 1);
	bad("1e3", 0, NULL, 2);
	bad("--1", 1, NULL, 2);

	diag_clear(&dg);
	is_int(dur_parse_list("10,10,30", v, 4, &n, &dg), 0, "list 10,10,30");
	is_int(n, 3, "  three");
	is_int(v[0].sec, 10, "  first 10 s");
	is_int(v[2].sec, 30, "  third 30 s");
	is_int(dur_parse_list("1500ms", v, 4, &n, &dg), 0, "list of one");
	is_int(n, 1, "  one");
	is_int(v[0].nsec, 500000000, "  1.5 s");
	is_int(dur_parse_list("1,2,3,4,5", v, 4, &n, &dg), -1,
	    "list longer than max refused");
	is_int(n, 5, "  but counted: 5");
	is_str(dg.msg, "5 durations in \"1,2,3,4,5\": at most 4",
	    "  message");
	is_int(dur_parse_list("10,x,30", v, 4, &n, &dg), -1,
	    "a bad element refused");
	is_int(dg.col, 4, "  column of the element");
	is_int(n, 3, "  three elements counted");
	is_int(dur_parse_list("10,,30", v, 4, &n, &dg), -1,
	    "an empty element refused");
	is_int(dg.col, 4, "  column of the empty element");
	is_int(dur_parse_list("10,-1", v, 4, &n, &dg), -1,
	    "negative in a list refused");
	is_int(dur_parse_list("", v, 4, &n, &dg), -1, "empty list refused");
	is_int(dur_parse_list("10,", v, 4, &n, &dg), -1,
	    "trailing comma refused");
	test_log();
	return done_testing();
}
