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

/* Digits with an optional fraction in 10^-e s (the log's own unit). */
static int
log_plain(const char *s, size_t n, size_t e, struct ts *out, const char **why)
{
	char dig[64];
	size_t ni = 0, nf = 0, i = 0, nd;
	long long sec = 0;
	long ns = 0;

	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	ni = i;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			i++;
			nf++;
		}
		if (nf == 0) {
			*why = "expected digits after the decimal point";
			return -1;
		}
	}
	if (ni == 0 || i != n) {
		*why = "expected a duration: digits with an optional fraction";
		return -1;
	}
	if (ni > 15) {
		*why = "duration too large";
		return -1;
	}
	if (nf > sizeof(dig) - 16) {
		*why = "duration with too many fraction digits";
		return -1;
	}
	/* All the digits in a row; the point is ni - e from the left. */
	memcpy(dig, s, ni);
	memcpy(dig + ni, s + ni + 1, nf);
	nd = ni + nf;
	/* More than nanoseconds only if the extra digits are zeros. */
	while (nf + e > 9) {
		if (dig[nd - 1] != '0') {
			*why = "duration finer than a nanosecond";
			return -1;
		}
		nd--;
		nf--;
	}
	for (size_t k = 0; k + e < ni; k++)
		sec = sec * 10 + (dig[k] - '0');
	for (size_t k = 0; k < 9; k++) {
		/* Digit k after the point is dig[ni - e + k]. */
		long long pos = (long long)ni - (long long)e + (long long)k;

		ns = ns * 10 + (pos >= 0 && (size_t)pos < nd ?
		    dig[pos] - '0' : 0);
	}
	out->sec = sec;
	out->nsec = (int32_t)ns;
	out->digits = (uint8_t)(nf + e);
	out->flags = 0;
	return 0;
}

/* The unit at s[0..n), longest first ("ms" before "m"): its index in
 * units[] and length, or -1. */
static int
log_unit(const char *s, size_t n, size_t *len)
{
	int best = -1;

	*len = 0;
	for (size_t k = 0; k < sizeof(units) / sizeof(units[0]); k++) {
		size_t l = strlen(units[k].name);

		if (l <= n && l > *len && memcmp(units[k].name, s, l) == 0) {
			best = (int)k;
			*len = l;
		}
	}
	return best;
}

int
dur_log(const char *s, size_t n, int shift, struct ts *out, const char **why)
{
	static const uint8_t udigits[] = { 9, 6, 6, 3, 0, 0, 0 };
	__int128 total = 0;
	size_t i = 0;
	int digits = 0;

	while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
		i++;
	if (i == n)
		return log_plain(s, n, (size_t)shift, out, why);
	for (i = 0; i < n;) {
		size_t ni = 0, nf = 0, ulen, nsig = 0, fstart = 0;
		__int128 ip = 0, fp = 0, fden = 1, per, v;
		int u, d;

		while (i < n && s[i] >= '0' && s[i] <= '9') {
			ip = ip * 10 + (s[i++] - '0');
			if (++ni > 15) {
				*why = "duration too large";
				return -1;
			}
		}
		if (i < n && s[i] == '.') {
			fstart = ++i;
			while (i < n && s[i] >= '0' && s[i] <= '9') {
				if (s[i] != '0')
					nsig = nf + 1;
				nf++;
				i++;
			}
		}
		if (ni == 0 || (fstart > 0 && nf == 0)) {
			*why = "expected a duration: digits with an optional "
			    "fraction and a unit (ns, us, ms, s, m or h)";
			return -1;
		}
		if ((u = log_unit(s + i, n - i, &ulen)) == -1) {
			*why = "expected a unit after the number: ns, us, ms, "
			    "s, m or h";
			return -1;
		}
		i += ulen;
		if (nsig > 13) {
			*why = "duration finer than a nanosecond";
			return -1;
		}
		for (size_t k = 0; k < nsig; k++) {
			fp = fp * 10 + (s[fstart + k] - '0');
			fden *= 10;
		}
		per = units[u].ns;
		if ((fp * per) % fden != 0) {
			*why = "duration finer than a nanosecond";
			return -1;
		}
		v = ip * per + fp * per / fden;
		total += v;
		if (total > DUR_MAX) {
			*why = "duration too large";
			return -1;
		}
		/* The digits as logged, scaled; a fraction of m or h as
		 * many as it takes. */
		d = udigits[u] > 0 ? (int)(nf + udigits[u]) :
		    per > TS_NS ? ts_min_digits((int32_t)(v % TS_NS)) :
		    (int)nf;
		if (d > 9)
			d = 9;
		if (d > digits)
			digits = d;
	}
	out->sec = (int64_t)(total / TS_NS);
	out->nsec = (int32_t)(total % TS_NS);
	out->digits = (uint8_t)digits;
	out->flags = 0;
	return 0;
}
