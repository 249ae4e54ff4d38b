/*
 * dur: durations on the command line, exact.
 *
 * The number is read as a decimal integer and a decimal fraction and scaled
 * by the unit in 128-bit integer arithmetic, so "1.5m" is 90 s and "0.1"
 * is 100000000 ns exactly; a value finer than a nanosecond is refused rather
 * than rounded, since a duration the user wrote should mean what it says.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/dur.h"

/* The widest duration: the span of the range of times, 1970-01-01 to
 * 9999-12-31T23:59:59.999999999, in nanoseconds.  No two times any stage
 * accepts are further apart, so no gap, offset or service time needs to
 * be; and it keeps every sum of a time and a duration far from the
 * int64_t ends. */
#define DUR_MAX	((__int128)TS_SEC_MAX * TS_NS + (TS_NS - 1))

struct unit {
	const char	*name;
	int64_t		 ns;	/* nanoseconds in one */
};

static const struct unit units[] = {
	{ "ns", 1 },
	{ "us", 1000 },
	{ "\xc2\xb5s", 1000 },	/* µs, as some tools print it */
	{ "ms", 1000000 },
	{ "s", TS_NS },
	{ "m", INT64_C(60) * TS_NS },
	{ "h", INT64_C(3600) * TS_NS },
};

static const char too_large[] = ": at most 253402300799.999999999 s, from "
    "1970 to the end of 9999";

/* "why in "s"tail" at a 1-based column.  Returns -1. */
static int
fail2(struct diag *d, size_t col, const char *s, const char *why,
    const char *tail)
{
	char q[96];

	diag_set(d, DIAG_USAGE, "%s in \"%s\"%s", why,
	    diag_quote(q, sizeof(q), s, strlen(s), 64), tail);
	if (d != NULL)
		d->col = col;
	return -1;
}

static int
fail(struct diag *d, size_t col, const char *s, const char *why)
{
	return fail2(d, col, s, why, "");
}

/* Parse s[0..n) as one duration; col0 is its column in the whole text. */
static int
one(const char *all, const char *s, size_t n, size_t col0, int allow_neg,
    struct ts *out, struct diag *d)
{
	char q[64];
	size_t i = 0, ni, nf = 0, nsig = 0, fstart;
	int neg = 0;
	__int128 ip = 0, fp = 0, fden = 1, total;
	int64_t per = TS_NS;
	size_t ulen;

	if (n == 0)
		return fail(d, col0, all, "expected a duration, got nothing");
	if (s[0] == '-' || s[0] == '+') {
		if (!allow_neg)
			return fail(d, col0, all, s[0] == '-' ?
			    "expected a duration of zero or more, got a "
			    "negative one" : "expected a duration without a "
			    "sign");
		neg = s[0] == '-';
		i++;
	}
	ni = i;
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		if (i - ni < 20)
			ip = ip * 10 + (s[i] - '0');
		i++;
	}
	ni = i - ni;
	if (i < n && s[i] == '.') {
		i++;
		fstart = i;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (s[i] != '0')
				nsig = nf + 1;
			nf++;
			i++;
		}
		if (nf == 0)
			return fail(d, col0 + fstart, all, "expected digits "
			    "after the decimal point");
		/*
		 * Trailing zeros change nothing.  Past 13 significant
		 * digits no unit here (at most 2^13 * 5^11 ns, an hour)
		 * can make a whole nanosecond: the last digit is not a
		 * multiple of 10, so 2^nsig or 5^nsig would have to divide
		 * the unit.  Refusing early also bounds fp below 10^13.
		 */
		if (nsig > 13)
			return fail(d, col0, all, "duration finer than a "
			    "nanosecond");
		for (size_t k = 0; k < nsig; k++) {
			fp = fp * 10 + (s[fstart + k] - '0');
			fden *= 10;
		}
	}
	if (ni == 0 && nf == 0)
		return fail(d, col0 + i, all, "expected a number (seconds, or "
		    "with a unit: ns, us, ms, s, m or h)");
	if (ni == 0)
		return fail(d, col0 + i - nf - 1, all, "expected a digit before "
		    "the decimal point");
	if (ni > 19)
		return fail2(d, col0, all, "duration too large", too_large);
	ulen = n - i;
	if (ulen > 0) {
		size_t k;

		for (k = 0; k < sizeof(units) / sizeof(units[0]); k++)
			if (strlen(units[k].name) == ulen &&
			    memcmp(units[k].name, s + i, ulen) == 0)
				break;
		if (k == sizeof(units) / sizeof(units[0])) {
			char msg[160];

			diag_quote(q, sizeof(q), s + i, ulen, 16);
			snprintf(msg, sizeof(msg), "unknown unit \"%s\"", q);
			return fail2(d, col0 + i, all, msg,
			    ": expected ns, us, ms, s, m or h");
		}
		per = units[k].ns;
	}
	/* ns = ip * per + fp * per / fden, which must come out whole. */
	if ((fp * per) % fden != 0)
		return fail(d, col0, all, "duration finer than a nanosecond");
	total = ip * per + fp * per / fden;
	if (total > DUR_MAX)
		return fail2(d, col0, all, "duration too large", too_large);
	if (neg)
		total = -total;
	out->sec = (int64_t)(total >= 0 ? total / TS_NS : -((-total + TS_NS - 1) /
	    TS_NS));
	out->nsec = (int32_t)(total - (__int128)out->sec * TS_NS);
	out->digits = ts_min_digits(out->nsec);
	out->flags = 0;
	return 0;
}

int
dur_parse(const char *s, int allow_neg, struct ts *out, struct diag *d)
{
	return one(s, s, strlen(s), 1, allow_neg, out, d);
}

int
dur_parse_list(const char *s, struct ts *out, size_t max, size_t *n,
    struct diag *d)
{
	const char *p = s, *e;
	size_t k = 0;
	struct ts t;
	int rc = 0;

	for (;;) {
		e = strchr(p, ',');
		if (e == NULL)
			e = p + strlen(p);
		if (rc == 0 && one(s, p, (size_t)(e - p), (size_t)(p - s) + 1,
		    0, &t, d) == -1)
			rc = -1;
		if (rc == 0 && k < max)
			out[k] = t;
		k++;
		if (*e == '\0')
			break;
		p = e + 1;
	}
	*n = k;
	if (rc == 0 && k > max) {
		char q[96];

		diag_set(d, DIAG_USAGE, "%zu durations in \"%s\": at most %zu",
		    k, diag_quote(q, sizeof(q), s, strlen(s), 64), max);
		if (d != NULL)
			d->col = 1;
		rc = -1;
	}
	return rc;
}
