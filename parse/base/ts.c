/*
 * ts: timestamps, exact to the nanosecond.
 *
 * ts_parse() runs once per log line, so it is a hand-written scanner over
 * the bytes given: no allocation, no locale, no stdio on the success path
 * (a failure formats its message with diag_set()).  Calendar arithmetic is
 * Howard Hinnant's days_from_civil / civil_from_days, written out here.
 *
 * The one concession to the C library is an IANA zone name: its rules live
 * in the zone data, which only localtime_r() reads, and only for the zone
 * named by TZ.  So a zone switches TZ around each lookup and restores it, and
 * caches what it learnt for a whole local hour (see zone_hour()).
 */
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

#include "base/ts.h"

#define DAY		86400

struct abbr_ent;

struct ts_zone {
	int	 fixed;		/* 1: off is the whole story */
	int32_t	 off;		/* a fixed zone's offset, seconds east */
	/*
	 * The local hour last resolved (local seconds / 3600), with the
	 * offsets in force a day before and a day after it and, when they
	 * differ, the UTC instant of the transition between them.
	 */
	int	 cached;
	int64_t	 hour;
	int32_t	 before, after;
	int64_t	 trans;
	/* The abbreviations its zone data uses (sorted), for ts_zone_abbr(). */
	struct abbr_ent	*abbrs;
	size_t	 nabbrs, capabbrs;
	int	 abbr_err;
	char	 name[];	/* an IANA name, for TZ */
};

static int	zone_abbrs(struct ts_zone *z, struct diag *d);

/* Month names as CLF and syslog write them. */
static const char months[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};
static const char *const month_words[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

/* The fields of a timestamp as written, with the column of each. */
struct civil {
	int	 y, mo, d, h, mi, s;
	int32_t	 ns;
	int	 digits;
	int	 has_off;
	int32_t	 off;
	size_t	 cy, cmo, cd, ch, cmi, cs;	/* 1-based columns */
	const char *shaped;	/* the text, when in the common ISO shape */
	int	 memo_hit;	/* the memo holds its minute, y to mi unread */
};

/* Where the scanner is, and where to say what went wrong. */
struct scan {
	const char	*s;
	size_t		 n, i;
	struct diag	*d;
	const struct ts_memo *memo;
	const char	*shape_hint;	/* struct ts_opt's */
};

int64_t
ts_days(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

/* The inverse of ts_days(), for the formatter. */
static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && is_leap(y) ? 29 : mdays[m - 1];
}

static int
isdig(char c)
{
	return c >= '0' && c <= '9';
}

/* Fill *d at a 1-based column.  Always returns -1. */
static int
fail(struct diag *d, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct diag *d, size_t col, const char *fmt, ...)
{
	va_list ap;

	if (d == NULL)
		return -1;
	d->code = DIAG_TS;
	d->err = 0;
	d->col = col;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* What is at the cursor, quoted for a message. */
static const char *
here(const struct scan *c, char *q, size_t qsz)
{
	if (c->i >= c->n)
		return "the end";
	q[0] = '"';
	diag_quote(q + 1, qsz - 2, c->s + c->i, c->n - c->i, 12);
	strcat(q, "\"");
	return q;
}

/* Exactly w digits, for the field called what. */
static int
num(struct scan *c, int w, const char *what, int *v, size_t *col)
{
	char q[64];
	int x = 0;

	*col = c->i + 1;
	for (int k = 0; k < w; k++) {
		if (c->i >= c->n || !isdig(c->s[c->i]))
			return fail(c->d, c->i + 1, "expected %d digits of the "
			    "%s, got %s", w, what, here(c, q, sizeof(q)));
		x = x * 10 + (c->s[c->i++] - '0');
	}
	*v = x;
	return 0;
}

static int
lit(struct scan *c, char ch, const char *after)
{
	char q[64];

	if (c->i < c->n && c->s[c->i] == ch) {
		c->i++;
		return 0;
	}
	return fail(c->d, c->i + 1, "expected '%c' after the %s, got %s", ch,
	    after, here(c, q, sizeof(q)));
}

/*
 * A year of four digits.  More digits are a year out of range rather than
 * a missing '-', which is what the writer of "10000-01-01" needs to hear.
 */
static int
year(struct scan *c, struct civil *t)
{
	size_t k = c->i;
	int64_t v = 0;

	while (k < c->n && isdig(c->s[k]) && k - c->i < 12)
		v = v * 10 + (c->s[k++] - '0');
	if (k - c->i > 4) {
		t->cy = c->i + 1;
		return fail(c->d, c->i + 1, "year %lld out of range 1970-9999",
		    (long long)v);
	}
	return num(c, 4, "year", &t->y, &t->cy);
}

/*
 * An optional fraction of a second: '.' or ',' and 1 to 9 digits.  Its
 * first eight bytes are tested and valued as one word (ts_ld8_upto(),
 * ts_eight_digits()): a byte at a time was a third of the parse.  The
 * value of d < 9 digits read as eight (zeros after them) is ten times too
 * small for nanoseconds, which is what the ninth digit fills.  Only a
 * fraction too long is counted on, for its message.
 */
static int	frac_fail(struct scan *c, size_t nd)
		    __attribute__((noinline, cold));

static int
frac(struct scan *c, struct civil *t)
{
	uint64_t w = 0, bad = 1;
	size_t k, nd;
	uint32_t ns;

	t->ns = 0;
	t->digits = 0;
	if (c->i >= c->n || (c->s[c->i] != '.' && c->s[c->i] != ','))
		return 0;
	k = ++c->i;
	if (k < c->n)
		bad = ts_digits_bad(w = ts_ld8_upto(c->s, k, c->n));
	if (bad != 0) {
		/* The digits end inside the word: clear what follows. */
		nd = (size_t)(__builtin_ctzll(bad) >> 3);
		w &= (UINT64_C(1) << (8 * nd)) - 1;
	} else
		nd = ts_skip_digits(c->s, k + 8, c->n) - k;
	if (nd == 0 || nd > 9)
		return frac_fail(c, nd);
	ns = ts_eight_digits(w) * 10;
	if (nd == 9)
		ns += (uint32_t)(c->s[k + 8] - '0');
	c->i = k + nd;
	t->ns = (int32_t)ns;
	t->digits = (int)nd;
	return 0;
}

/* frac()'s errors, apart: its message buffer would cost every call a
 * frame. */
static int
frac_fail(struct scan *c, size_t nd)
{
	char q[64];

	if (nd == 0)
		return fail(c->d, c->i + 1, "expected the digits of a fraction "
		    "of a second, got %s", here(c, q, sizeof(q)));
	return fail(c->d, c->i + 10, "fraction of %zu digits: at most 9 "
	    "(nanoseconds)", nd);
}

/* HH:MM:SS and an optional fraction. */
static int
hms(struct scan *c, struct civil *t)
{
	if (num(c, 2, "hour", &t->h, &t->ch) == -1 ||
	    lit(c, ':', "hour") == -1 ||
	    num(c, 2, "minute", &t->mi, &t->cmi) == -1 ||
	    lit(c, ':', "minute") == -1 ||
	    num(c, 2, "second", &t->s, &t->cs) == -1)
		return -1;
	return frac(c, t);
}

/*
 * A zone offset: Z (where z_ok), or a sign and HH, HH:MM or HHMM.  CLF
 * writes +HHMM but takes the others too: a reader gains nothing by refusing.
 */
static int
offset(struct scan *c, struct civil *t, int z_ok)
{
	char q[64];
	int sign, hh, mm = 0;
	size_t col, start = c->i;

	if (z_ok && c->i < c->n && c->s[c->i] == 'Z') {
		c->i++;
		t->has_off = 1;
		t->off = 0;
		return 0;
	}
	if (c->i >= c->n || (c->s[c->i] != '+' && c->s[c->i] != '-'))
		return fail(c->d, c->i + 1, "expected a zone offset like +0000, "
		    "got %s", here(c, q, sizeof(q)));
	sign = c->s[c->i++] == '-' ? -1 : 1;
	if (num(c, 2, "offset's hours", &hh, &col) == -1)
		return -1;
	if (c->i < c->n && c->s[c->i] == ':') {
		c->i++;
		if (num(c, 2, "offset's minutes", &mm, &col) == -1)
			return -1;
	} else if (c->i < c->n && isdig(c->s[c->i])) {
		if (num(c, 2, "offset's minutes", &mm, &col) == -1)
			return -1;
	}
	if (hh > 23)
		return fail(c->d, start + 2, "offset hours %02d out of range "
		    "00-23", hh);
	if (mm > 59)
		return fail(c->d, col, "offset minutes %02d out of range 00-59",
		    mm);
	t->has_off = 1;
	t->off = sign * (hh * 3600 + mm * 60);
	return 0;
}

static int
trailing(struct scan *c)
{
	char q[64];

	if (c->i == c->n)
		return 0;
	return fail(c->d, c->i + 1, "expected the end of the timestamp, got %s",
	    here(c, q, sizeof(q)));
}

/* Two digits at s, known to be digits. */
static int
d2(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

static int
scan_iso(struct scan *c, struct civil *t)
{
	char q[64];

	/*
	 * The common case in one pass: "YYYY-MM-DD HH:MM:SS" with every
	 * separator and digit where it belongs, its minute mostly the
	 * memo's (whose 16 bytes were in that shape when it took them).
	 * Anything else goes the careful way, which finds the same fields
	 * and says what is wrong.
	 */
	if (c->n >= 19 && c->memo != NULL && c->memo->ok &&
	    c->memo->key[0] == ts_ld8(c->s) &&
	    c->memo->key[1] == ts_ld8(c->s + 8) && c->s[16] == ':' &&
	    isdig(c->s[17]) && isdig(c->s[18]) && d2(c->s + 17) < 60) {
		t->shaped = c->s;
		t->s = d2(c->s + 17);
		t->memo_hit = 1;
		c->i = 19;
		if (frac(c, t) == -1)
			return -1;
		goto zone;
	}
	if (ts_iso_shape(c->s, c->n)) {
		t->shaped = c->s;
		t->s = d2(c->s + 17);
		t->y = d2(c->s) * 100 + d2(c->s + 2);
		t->mo = d2(c->s + 5);
		t->d = d2(c->s + 8);
		t->h = d2(c->s + 11);
		t->mi = d2(c->s + 14);
		t->cy = 1;
		t->cmo = 6;
		t->cd = 9;
		t->ch = 12;
		t->cmi = 15;
		t->cs = 18;
		c->i = 19;
		if (frac(c, t) == -1)
			return -1;
		goto zone;
	}
	if (year(c, t) == -1 || lit(c, '-', "year") == -1 ||
	    num(c, 2, "month", &t->mo, &t->cmo) == -1 ||
	    lit(c, '-', "month") == -1 ||
	    num(c, 2, "day", &t->d, &t->cd) == -1)
		return -1;
	if (c->i >= c->n || (c->s[c->i] != 'T' && c->s[c->i] != ' '))
		return fail(c->d, c->i + 1, "expected 'T' or a space after the "
		    "date, got %s", here(c, q, sizeof(q)));
	c->i++;
	if (hms(c, t) == -1)
		return -1;
zone:
	if (c->i < c->n && (c->s[c->i] == 'Z' || c->s[c->i] == '+' ||
	    c->s[c->i] == '-') && offset(c, t, 1) == -1)
		return -1;
	return trailing(c);
}

/* A month's three letters, in any case. */
static int
month_name(struct scan *c, struct civil *t)
{
	char q[64];

	t->cmo = c->i + 1;
	if (c->n - c->i >= 3) {
		for (int m = 0; m < 12; m++) {
			int k;

			for (k = 0; k < 3; k++)
				if ((c->s[c->i + k] | 0x20) !=
				    (months[m][k] | 0x20))
					break;
			if (k == 3) {
				t->mo = m + 1;
				c->i += 3;
				return 0;
			}
		}
	}
	return fail(c->d, c->i + 1, "expected a month name (Jan ... Dec), got "
	    "%s", here(c, q, sizeof(q)));
}

/* 01/Nov/2023:23:10:04 +0000, the brackets optional (both or neither). */
static int
scan_clf(struct scan *c, struct civil *t)
{
	char q[64];
	int br = 0;

	if (c->i < c->n && c->s[c->i] == '[') {
		br = 1;
		c->i++;
	}
	if (num(c, 2, "day", &t->d, &t->cd) == -1 ||
	    lit(c, '/', "day") == -1 || month_name(c, t) == -1 ||
	    lit(c, '/', "month") == -1 || year(c, t) == -1 ||
	    lit(c, ':', "year") == -1 || hms(c, t) == -1)
		return -1;
	if (c->i >= c->n || c->s[c->i] != ' ')
		return fail(c->d, c->i + 1, "expected a space and a zone offset "
		    "like +0000 after the time, got %s",
		    here(c, q, sizeof(q)));
	c->i++;
	if (offset(c, t, 0) == -1)
		return -1;
	if (br && lit(c, ']', "zone offset") == -1)
		return -1;
	return trailing(c);
}

/* Nov  1 23:10:04 or Nov 01 23:10:04, with an optional fraction. */
static int
scan_syslog(struct scan *c, struct civil *t, int y)
{
	char q[64];

	if (month_name(c, t) == -1 || lit(c, ' ', "month") == -1)
		return -1;
	if (c->i < c->n && c->s[c->i] == ' ') {
		c->i++;
		if (num(c, 1, "day", &t->d, &t->cd) == -1)
			return -1;
	} else if (c->i + 1 < c->n && isdig(c->s[c->i]) &&
	    isdig(c->s[c->i + 1])) {
		if (num(c, 2, "day", &t->d, &t->cd) == -1)
			return -1;
	} else if (num(c, 1, "day", &t->d, &t->cd) == -1)
		return -1;
	if (c->i >= c->n || c->s[c->i] != ' ')
		return fail(c->d, c->i + 1, "expected a space after the day, "
		    "got %s", here(c, q, sizeof(q)));
	c->i++;
	if (hms(c, t) == -1)
		return -1;
	t->y = y == 0 ? 1970 : y;
	t->cy = 1;
	return trailing(c);
}

/*
 * Epoch seconds, with an optional fraction (ms = 0), or integer
 * milliseconds (ms = 1).  Checked against the same range as a date.
 * Leading zeros count for nothing: "0001698880204" is a 2023 time.
 */
static int
scan_epoch(struct scan *c, int ms, struct ts *out)
{
	char q[64];
	int64_t v = 0;
	size_t k = c->i, k0, nd;
	int32_t ns = 0;
	int digits = 0;

	while (k + 1 < c->n && c->s[k] == '0' && isdig(c->s[k + 1]))
		k++;
	for (k0 = k; k < c->n && isdig(c->s[k]) && k - k0 < 17; k++)
		v = v * 10 + (c->s[k] - '0');
	if (k == c->i)
		return fail(c->d, c->i + 1, "expected the digits of epoch %s, "
		    "got %s", ms ? "milliseconds" : "seconds",
		    here(c, q, sizeof(q)));
	if (k < c->n && isdig(c->s[k]))
		return fail(c->d, c->i + 1, "epoch %s of more than 17 digits: "
		    "after 9999-12-31", ms ? "milliseconds" : "seconds");
	c->i = k;
	if (ms) {
		out->sec = v / 1000;
		out->nsec = (int32_t)(v % 1000) * 1000000;
		out->digits = 3;
	} else {
		if (c->i < c->n && c->s[c->i] == '.') {
			k = ++c->i;
			while (k < c->n && isdig(c->s[k]))
				k++;
			nd = k - c->i;
			if (nd == 0)
				return fail(c->d, c->i + 1, "expected the "
				    "digits of a fraction of a second, got %s",
				    here(c, q, sizeof(q)));
			if (nd > 9)
				return fail(c->d, c->i + 10, "fraction of %zu "
				    "digits: at most 9 (nanoseconds)", nd);
			for (size_t j = 0; j < 9; j++)
				ns = ns * 10 +
				    (j < nd ? c->s[c->i + j] - '0' : 0);
			c->i = k;
			digits = (int)nd;
		}
		out->sec = v;
		out->nsec = ns;
		out->digits = (uint8_t)digits;
	}
	out->flags = 0;
	if (trailing(c) == -1)
		return -1;
	if (ts_check(out, NULL) == -1)
		return fail(c->d, 1, "epoch %s %lld is after 9999-12-31T23:59:59Z"
		    "%s", ms ? "milliseconds" : "seconds", (long long)v,
		    ms ? "" : " (milliseconds? use --time-format %s3, or "
		    "-f epoch-ms)");
	return 0;
}

/*
 * An epoch read by TS_AUTO: its count of digits, leading zeros aside,
 * says its unit (9-11 seconds, with an optional fraction; 12-14
 * milliseconds; 15-17 microseconds; 18-20 nanoseconds).  Any other count
 * is not an epoch: "081109" is a date.
 */
static int
scan_epoch_auto(struct scan *c, struct ts *out)
{
	static const char *const unit[] = { "seconds", "milliseconds",
	    "microseconds", "nanoseconds" };
	size_t k = c->i, k0, nd, e;
	int64_t sec = 0;
	int32_t ns = 0;

	while (k + 1 < c->n && c->s[k] == '0' && isdig(c->s[k + 1]))
		k++;
	for (k0 = k; k < c->n && isdig(c->s[k]); k++)
		;
	nd = k - k0;
	if (nd < 9 || nd > 20) {
		if (nd == 0)
			return scan_epoch(c, 0, out);
		return fail(c->d, c->i + 1, "a number of %zu digits%s is not "
		    "an epoch time (9-11 digits are seconds, 12-14 "
		    "milliseconds, 15-17 microseconds, 18-20 nanoseconds, "
		    "leading zeros aside): %s", k - c->i, k - c->i != nd ?
		    " (fewer without its leading zeros)" : "",
		    c->shape_hint != NULL ? c->shape_hint :
		    "say its shape with --time-format");
	}
	e = nd <= 11 ? 0 : nd <= 14 ? 3 : nd <= 17 ? 6 : 9;
	if (e == 0)
		return scan_epoch(c, 0, out);
	for (size_t j = 0; j + e < nd; j++)
		sec = sec * 10 + (c->s[k0 + j] - '0');
	for (size_t j = 0; j < 9; j++)
		ns = ns * 10 + (j < e ? c->s[k0 + nd - e + j] - '0' : 0);
	c->i = k;
	if (c->i < c->n && c->s[c->i] == '.') {
		char q[64];

		return fail(c->d, c->i + 1, "expected the end of epoch %s "
		    "(a fraction only after seconds), got %s", unit[e / 3],
		    here(c, q, sizeof(q)));
	}
	if (trailing(c) == -1)
		return -1;
	out->sec = sec;
	out->nsec = ns;
	out->digits = (uint8_t)e;
	out->flags = 0;
	return ts_check(out, c->d);
}

int
ts_check(const struct ts *t, struct diag *d)
{
	if (t->sec < TS_SEC_MIN)
		return fail(d, 1, "time before 1970-01-01T00:00:00Z");
	if (t->sec > TS_SEC_MAX)
		return fail(d, 1, "time after 9999-12-31T23:59:59Z");
	return 0;
}

/* The ranges, in the order a reader checks them: year first. */
static int
check(const struct civil *t, struct diag *d)
{
	if (t->y < 1970 || t->y > 9999)
		return fail(d, t->cy, "year %d out of range 1970-9999", t->y);
	if (t->mo < 1 || t->mo > 12)
		return fail(d, t->cmo, "month %02d out of range 01-12", t->mo);
	if (t->d < 1 || t->d > month_days(t->y, t->mo)) {
		if (t->d >= 1 && t->d <= 31)
			return fail(d, t->cd, "day %d does not exist in %s %d",
			    t->d, month_words[t->mo - 1], t->y);
		return fail(d, t->cd, "day %02d out of range 01-%02d", t->d,
		    month_days(t->y, t->mo));
	}
	if (t->h > 23)
		return fail(d, t->ch, "hour %02d out of range 00-23", t->h);
	if (t->mi > 59)
		return fail(d, t->cmi, "minute %02d out of range 00-59", t->mi);
	if (t->s == 60 && (t->h != 23 || t->mi != 59))
		return fail(d, t->cs, "second 60 is only valid as a leap second "
		    "at 23:59:60");
	if (t->s > 60)
		return fail(d, t->cs, "second %02d out of range 00-59 (60 only "
		    "as a leap second)", t->s);
	return 0;
}

/*
 * The offset in force at a UTC instant, under the TZ already set.  The
 * local time localtime_r() gives, read back through ts_days(), minus the
 * instant: tm_gmtoff would do, but is not in C11 or POSIX.
 */
static int
offset_at(int64_t utc, int32_t *off)
{
	time_t t = (time_t)utc;
	struct tm tm;
	int64_t local;

	if (localtime_r(&t, &tm) == NULL)
		return -1;
	local = ts_days(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) * DAY +
	    tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
	*off = (int32_t)(local - utc);
	return 0;
}

/*
 * Learn the local hour that holds local time L: the offsets a day either
 * side and, when they differ, the first instant of the later one, found by
 * bisection.  One TZ switch per hour of log, however many lines it has.
 * Zone data never puts two transitions within two days of each other in
 * modern times; a zone that did would be read with the first.
 */
static int
zone_hour(struct ts_zone *z, int64_t hour, struct diag *d)
{
	char keep[256], *saved = NULL;
	const char *old = getenv("TZ");
	int64_t lo, hi, h0 = hour * 3600;
	int32_t o;
	int rc = 0;

	if (old != NULL) {
		if (strlen(old) < sizeof(keep))
			saved = strcpy(keep, old);
		else if ((saved = strdup(old)) == NULL)
			return fail(d, 0, "cannot keep TZ: %s", strerror(errno));
	}
	if (setenv("TZ", z->name, 1) == -1) {
		rc = fail(d, 0, "cannot set TZ=%s: %s", z->name,
		    strerror(errno));
		goto out;
	}
	tzset();
	lo = h0 - DAY;
	hi = h0 + 3600 + DAY;
	if (offset_at(lo, &z->before) == -1 ||
	    offset_at(hi, &z->after) == -1) {
		rc = fail(d, 0, "zone %s: no local time for %lld", z->name,
		    (long long)h0);
		goto out;
	}
	z->trans = hi;
	if (z->before != z->after) {
		/* Invariant: offset(lo) == before, offset(hi) != before. */
		while (hi - lo > 1) {
			int64_t mid = lo + (hi - lo) / 2;

			if (offset_at(mid, &o) == -1) {
				rc = fail(d, 0, "zone %s: no local time for "
				    "%lld", z->name, (long long)mid);
				goto out;
			}
			if (o == z->before)
				lo = mid;
			else
				hi = mid;
		}
		z->trans = hi;
	}
	z->hour = hour;
	z->cached = 1;
out:
	if (saved != NULL)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	if (saved != NULL && saved != keep)
		free(saved);
	return rc;
}

/*
 * A naive local time L (seconds as if it were UTC) to UTC.  A time valid
 * under both offsets is in a fold: the earlier instant, flagged.  A time
 * valid under neither is in a gap: read with the offset before it, which
 * moves it forward by the gap, as Python's zoneinfo and Java do, flagged.
 */
static int
zone_utc(struct ts_zone *z, int64_t local, int64_t *utc, uint8_t *flags,
    struct diag *d)
{
	int64_t hour, ub, ua;
	int vb, va;

	if (z->fixed) {
		*utc = local - z->off;
		return 0;
	}
	hour = local >= 0 ? local / 3600 : -((-local + 3599) / 3600);
	if ((!z->cached || z->hour != hour) && zone_hour(z, hour, d) == -1)
		return -1;
	ub = local - z->before;
	if (z->before == z->after) {
		*utc = ub;
		return 0;
	}
	ua = local - z->after;
	vb = ub < z->trans;
	va = ua >= z->trans;
	if (vb && va) {
		*utc = ub < ua ? ub : ua;
		*flags |= TS_FFOLD;
	} else if (vb)
		*utc = ub;
	else if (va)
		*utc = ua;
	else {
		*utc = ub;
		*flags |= TS_FGAP;
	}
	return 0;
}

static int
compose(const struct civil *c, const struct ts_opt *o, struct ts *t,
    struct diag *d)
{
	int64_t local, utc;
	uint8_t flags = 0;

	if (c->memo_hit)
		local = o->memo->base + c->s;
	else {
		if (check(c, d) == -1)
			return -1;
		/* Second 60 adds up to the next minute's first instant by
		 * itself. */
		local = ts_days(c->y, c->mo, c->d) * DAY + c->h * 3600 +
		    c->mi * 60 + c->s;
		/* The minute checked: remember it for the lines after. */
		if (c->shaped != NULL && o != NULL && o->memo != NULL &&
		    c->s < 60) {
			o->memo->key[0] = ts_ld8(c->shaped);
			o->memo->key[1] = ts_ld8(c->shaped + 8);
			o->memo->base = local - c->s;
			o->memo->ok = 1;
		}
	}
	if (c->has_off)
		utc = local - c->off;
	else if (o != NULL && o->zone != NULL) {
		if (zone_utc(o->zone, local, &utc, &flags, d) == -1)
			return -1;
	} else
		utc = local;
	t->sec = utc;
	t->nsec = c->ns;
	t->digits = (uint8_t)c->digits;
	t->flags = flags;
	return ts_check(t, d);
}

size_t
ts_iso_memo(const char *s, size_t n, const struct ts_opt *o, struct ts *t)
{
	const struct ts_memo *m = o->memo;
	uint64_t w = 0, bad;
	size_t i = 19, nd = 0;
	int64_t utc;
	uint8_t flags = 0;

	/* The memo's minute and a second of it, as scan_iso() takes it. */
	if (n < 19 || m == NULL || !m->ok || m->key[0] != ts_ld8(s) ||
	    m->key[1] != ts_ld8(s + 8) || s[16] != ':' || !isdig(s[17]) ||
	    !isdig(s[18]) || d2(s + 17) >= 60)
		return 0;
	/* A fraction as frac() reads it; one that frac() refuses, the
	 * whole way.  A '.' with no digit is not the time's. */
	if (i + 1 < n && (s[i] == '.' || s[i] == ',') && isdig(s[i + 1])) {
		bad = ts_digits_bad(w = ts_ld8_upto(s, i + 1, n));
		if (bad != 0) {
			nd = (size_t)(__builtin_ctzll(bad) >> 3);
			w &= (UINT64_C(1) << (8 * nd)) - 1;
		} else if ((nd = ts_skip_digits(s, i + 9, n) - i - 1) > 9)
			return 0;
		i += 1 + nd;
	}
	/*
	 * compose()'s reading of a memo's minute, without its fields: Z
	 * is an offset of zero, a numeric one is read the whole way, and
	 * with no offset the zone decides.
	 */
	utc = m->base + d2(s + 17);
	if (i < n && s[i] == 'Z')
		i++;
	else if (i < n && (s[i] == '+' || s[i] == '-'))
		return 0;
	else if (o->zone != NULL &&
	    zone_utc(o->zone, utc, &utc, &flags, NULL) == -1)
		return 0;
	t->sec = utc;
	t->nsec = nd == 0 ? 0 : (int32_t)ts_eight_digits(w) * 10 +
	    (nd == 9 ? s[28] - '0' : 0);
	t->digits = (uint8_t)nd;
	t->flags = flags;
	return ts_check(t, NULL) == 0 ? i : 0;
}

int
ts_syslog_parts(const char *s, size_t n, struct ts_parts *p, struct diag *d)
{
	static const struct civil none;
	struct scan sc = { .s = s, .n = n, .d = d };
	struct civil cv = none;
	const struct civil *c = &cv;

	if (n == 0)
		return fail(d, 1, "expected a timestamp, got an empty field");
	if (scan_syslog(&sc, &cv, 1970) == -1)
		return -1;
	ts_parts_clear(p);
	p->mon = c->mo;
	p->mday = c->d;
	p->hour = c->h;
	p->min = c->mi;
	p->sec = c->s;
	p->nsec = c->ns;
	p->digits = (uint8_t)c->digits;
	/* The day is checked against its month once the year is known. */
	return 0;
}

enum ts_form
ts_guess(const char *s, size_t n)
{
	size_t k = 0;

	if (n > 0 && s[0] == '[')
		return TS_CLF;
	if (n > 0 && ((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z'))
		return TS_SYSLOG;
	while (k < n && isdig(s[k]))
		k++;
	if (k < n && s[k] == '-')
		return TS_ISO;
	if (k == 2 && k < n && s[k] == '/')
		return TS_CLF;
	return TS_EPOCH;
}

int
ts_parse(const char *s, size_t n, const struct ts_opt *o, struct ts *t,
    struct diag *d)
{
	static const struct civil none;
	struct scan c = { s, n, 0, d, o != NULL ? o->memo : NULL,
	    o != NULL ? o->shape_hint : NULL };
	struct civil cv;
	enum ts_form form = o != NULL ? o->form : TS_AUTO;

	if (n == 0)
		return fail(d, 1, "expected a timestamp, got an empty field");
	if (form == TS_AUTO)
		form = ts_guess(s, n);
	/* Copied from a constant: a memset here is a slow-starting rep
	 * stos, a fifth of the time of the whole parse. */
	cv = none;
	switch (form) {
	case TS_ISO:
		if (scan_iso(&c, &cv) == -1)
			return -1;
		break;
	case TS_CLF:
		if (scan_clf(&c, &cv) == -1)
			return -1;
		break;
	case TS_SYSLOG:
		if (scan_syslog(&c, &cv, o != NULL ? o->year : 0) == -1)
			return -1;
		break;
	case TS_EPOCH:
	case TS_EPOCH_MS:
		if (o == NULL || o->form == TS_AUTO)
			return scan_epoch_auto(&c, t);
		return scan_epoch(&c, form == TS_EPOCH_MS, t);
	default:
		return fail(d, 1, "unknown timestamp form %d", (int)form);
	}
	return compose(&cv, o, t, d);
}

/* Zone names are paths under the zone data: refuse what could escape it. */
static int
zone_name_ok(const char *s)
{
	if (*s == '\0' || *s == '/' || strlen(s) > 200 ||
	    strstr(s, "..") != NULL)
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    isdig(*s) || *s == '/' || *s == '_' || *s == '-' ||
		    *s == '+'))
			return 0;
	return 1;
}

/* A TZif header's big-endian count at byte off. */
static uint32_t
be32(const unsigned char *h, size_t off)
{
	return (uint32_t)h[off] << 24 | (uint32_t)h[off + 1] << 16 |
	    (uint32_t)h[off + 2] << 8 | h[off + 3];
}

/*
 * The number of leap seconds a TZif file's data counts (RFC 8536: the
 * leapcnt of its header; for version 2 and later the header after the
 * version-1 block, which a "slim" file leaves empty), or -1 when the
 * headers cannot be read.  fp is just past the first 4 bytes, "TZif".
 */
static long
leap_count(FILE *fp)
{
	unsigned char h[44];
	uint32_t isut, isstd, leap, time, type, chars;
	long skip;

	memcpy(h, "TZif", 4);
	if (fread(h + 4, 1, sizeof(h) - 4, fp) != sizeof(h) - 4)
		return -1;
	isut = be32(h, 20);
	isstd = be32(h, 24);
	leap = be32(h, 28);
	time = be32(h, 32);
	type = be32(h, 36);
	chars = be32(h, 40);
	if (leap > 0 || h[4] < '2')
		return leap;
	/* The version-1 block, then the second header; counts past these
	 * bounds are not zone data (a real file holds far fewer). */
	if (time > 1000000 || type > 256 || chars > 65536 || isut > 256 ||
	    isstd > 256)
		return -1;
	skip = (long)time * 5 + (long)type * 6 + (long)chars + (long)isstd +
	    (long)isut;
	if (fseek(fp, skip, SEEK_CUR) == -1 ||
	    fread(h, 1, sizeof(h), fp) != sizeof(h) ||
	    memcmp(h, "TZif", 4) != 0)
		return -1;
	return be32(h, 28);
}

/*
 * glibc falls back to UTC, silently, for a TZ it cannot find, so the name is
 * checked against the zone data first: a regular file that starts "TZif".
 * A zone whose data counts leap seconds (the right/ zones) is refused: its
 * clock runs 27 s (and counting) off the UTC that logs and skew keep, so
 * every time would be shifted by that.
 */
static int
zone_file_ok(const char *name, struct diag *d)
{
	const char *dir = getenv("TZDIR");
	char path[512], magic[4];
	struct stat st;
	FILE *fp;
	size_t got;
	long leaps = 0;

	if (dir == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (stat(path, &st) == -1) {
		if (errno == ENOENT && stat(dir, &st) == -1)
			return diag_set(d, DIAG_USAGE, "zone \"%s\": no zone "
			    "data in %s (install tzdata)", name, dir);
		return diag_set(d, DIAG_USAGE, "unknown zone \"%s\": expected "
		    "UTC, an offset like +09:00, or an IANA name like "
		    "Asia/Tokyo (%s: %s)", name, path, strerror(errno));
	}
	if (!S_ISREG(st.st_mode) || (fp = fopen(path, "rb")) == NULL)
		return diag_set(d, DIAG_USAGE, "unknown zone \"%s\": %s is not "
		    "a zone file", name, path);
	got = fread(magic, 1, sizeof(magic), fp);
	if (got == sizeof(magic) && memcmp(magic, "TZif", 4) == 0)
		leaps = leap_count(fp);
	fclose(fp);
	if (got != sizeof(magic) || memcmp(magic, "TZif", 4) != 0 || leaps < 0)
		return diag_set(d, DIAG_USAGE, "unknown zone \"%s\": %s is not "
		    "a zone file", name, path);
	if (leaps > 0)
		return diag_set(d, DIAG_USAGE, "zone \"%s\" counts leap seconds "
		    "(%ld in %s, as the right/ zones do): its clock is not the "
		    "UTC of logs, whose minutes all have 60 s; use the zone "
		    "without right/", name, leaps, path);
	return 0;
}

struct ts_zone *
ts_zone_new(const char *spec, struct diag *d)
{
	struct ts_zone *z;
	struct civil cv;
	size_t len;

	if (spec == NULL || *spec == '\0') {
		diag_set(d, DIAG_USAGE, "expected a zone: UTC, an offset like "
		    "+09:00, or an IANA name like Asia/Tokyo");
		return NULL;
	}
	len = strlen(spec);
	if (strcmp(spec, "UTC") == 0 || strcmp(spec, "Z") == 0) {
		cv.off = 0;
	} else if (spec[0] == '+' || spec[0] == '-') {
		struct scan c = { .s = spec, .n = len, .d = d };

		if (offset(&c, &cv, 0) == -1 || trailing(&c) == -1) {
			if (d != NULL)
				d->code = DIAG_USAGE;
			return NULL;
		}
	} else {
		if (!zone_name_ok(spec)) {
			diag_set(d, DIAG_USAGE, "unknown zone \"%s\": expected "
			    "UTC, an offset like +09:00, or an IANA name like "
			    "Asia/Tokyo", spec);
			return NULL;
		}
		if (zone_file_ok(spec, d) == -1)
			return NULL;
		if ((z = calloc(1, sizeof(*z) + len + 1)) == NULL) {
			diag_set(d, DIAG_NOMEM, "zone \"%s\": %s", spec,
			    strerror(errno));
			return NULL;
		}
		memcpy(z->name, spec, len + 1);
		if (zone_abbrs(z, d) == -1) {
			ts_zone_free(z);
			return NULL;
		}
		return z;
	}
	if ((z = calloc(1, sizeof(*z) + 1)) == NULL) {
		diag_set(d, DIAG_NOMEM, "zone \"%s\": %s", spec,
		    strerror(errno));
		return NULL;
	}
	z->fixed = 1;
	z->off = cv.off;
	return z;
}

void
ts_zone_free(struct ts_zone *z)
{
	if (z == NULL)
		return;
	free(z->abbrs);
	free(z);
}

/* "00" to "99": the formatters write two digits per step. */
static const char pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

/* v < 100 as two digits at p. */
static char *
put2(char *p, unsigned v)
{
	memcpy(p, pairs + 2 * v, 2);
	return p + 2;
}

/*
 * The eight digits of v < 100000000 as ASCII, the first in the lowest
 * byte: the halves of four digits side by side in one word, each split
 * into pairs, each pair into digits, by multiplies with shifts (exact for
 * those ranges: 10486 / 2^20 divides by 100 below 10000, 103 / 2^10 by ten
 * below 100), so no digit waits for the one before it.
 */
static inline __attribute__((always_inline)) uint64_t
eight_digits(uint32_t v)
{
	uint64_t m = (uint64_t)(v / 10000) | (uint64_t)(v % 10000) << 32;
	uint64_t hund = (m * 10486) >> 20 & UINT64_C(0x0000007f0000007f);
	uint64_t pr = ((m - 100 * hund) << 16) + hund;
	uint64_t tens = (pr * 103) >> 10 & UINT64_C(0x000f000f000f000f);

	tens += (pr - 10 * tens) << 8;
	return tens | UINT64_C(0x3030303030303030);
}

/* Stores v at p with its lowest byte first, as ts_ld8 reads it. */
static void
st8(char *p, uint64_t v)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	memcpy(p, &v, sizeof(v));
}

/* The first digits of a nanosecond count (0 .. 999999999), as the log
 * wrote them. */
static inline __attribute__((always_inline)) char *
put_frac(char *p, int32_t ns, int digits)
{
	uint32_t v = (uint32_t)ns;

	if (digits <= 0)
		return p;
	if (digits > 9)
		digits = 9;
	/*
	 * All nine digits, then the point over the tenth byte: no division
	 * by a variable power of ten to cut them to the digits first.  The
	 * caller's buffer has room for the nine (see TS_ISO_MAX).
	 */
	p[0] = '.';
	p[1] = (char)('0' + v / 100000000);
	st8(p + 2, eight_digits(v % 100000000));
	return p + 1 + digits;
}

/*
 * Instants outside years 0000-9999 have no four-digit year; ts_parse never
 * makes one, so the formatter clamps to the ends rather than overflow.
 */
size_t
ts_iso(const struct ts *t, char buf[TS_ISO_MAX])
{
	static const int64_t lo = INT64_C(-62167219200);	/* 0000-01-01 */
	int64_t sec = t->sec, days, rem, y;
	int32_t ns = t->nsec;
	int m, d;
	char *p = buf;

	if (ns < 0 || ns >= TS_NS)
		ns = 0;
	if (sec < lo) {
		sec = lo;
		ns = 0;
	} else if (sec > TS_SEC_MAX) {
		sec = TS_SEC_MAX;
		ns = TS_NS - 1;
	}
	days = (sec >= 0 ? sec : sec - (DAY - 1)) / DAY;
	rem = sec - days * DAY;
	civil_from_days(days, &y, &m, &d);
	p = put2(p, (unsigned)(y / 100));
	p = put2(p, (unsigned)(y % 100));
	*p++ = '-';
	p = put2(p, (unsigned)m);
	*p++ = '-';
	p = put2(p, (unsigned)d);
	*p++ = 'T';
	p = put2(p, (unsigned)(rem / 3600));
	*p++ = ':';
	p = put2(p, (unsigned)(rem / 60 % 60));
	*p++ = ':';
	p = put2(p, (unsigned)(rem % 60));
	p = put_frac(p, ns, t->digits);
	*p++ = 'Z';
	*p = '\0';
	return (size_t)(p - buf);
}

size_t
ts_epoch(const struct ts *t, char buf[TS_EPOCH_MAX])
{
	uint64_t mag;
	int32_t ns = t->nsec;
	int digits = t->digits > 9 ? 9 : t->digits, neg = 0;
	char tmp[24], *p = buf;
	int k = 0;

	if (ns < 0 || ns >= TS_NS)
		ns = 0;
	/* A negative time is -(|sec| - 1 + (1e9 - ns) / 1e9) when ns > 0. */
	if (t->sec < 0) {
		neg = 1;
		mag = (uint64_t)0 - (uint64_t)t->sec;
		if (ns > 0) {
			mag--;
			ns = TS_NS - ns;
		}
	} else
		mag = (uint64_t)t->sec;
	if (neg) {
		/* No "-0" when the digits shown are all zero. */
		int32_t shown = ns;

		for (int j = 9; j > digits; j--)
			shown /= 10;
		if (mag == 0 && shown == 0)
			neg = 0;
	}
	if (neg)
		*p++ = '-';
	/* Two digits a step, from the right, then the leading odd one. */
	k = sizeof(tmp);
	while (mag >= 100) {
		k -= 2;
		memcpy(tmp + k, pairs + 2 * (mag % 100), 2);
		mag /= 100;
	}
	if (mag >= 10) {
		k -= 2;
		memcpy(tmp + k, pairs + 2 * mag, 2);
	} else
		tmp[--k] = (char)('0' + mag);
	memcpy(p, tmp + k, sizeof(tmp) - (size_t)k);
	p += sizeof(tmp) - (size_t)k;
	p = put_frac(p, ns, digits);
	*p = '\0';
	return (size_t)(p - buf);
}

/* Only seconds from 1970 to 9999, where the formatters neither clamp nor
 * negate, and the ISO text has its 19 bytes. */
int
ts_text_set(struct ts_text *c, const struct ts *t)
{
	int32_t ns = t->nsec < 0 || t->nsec >= TS_NS ? 0 : t->nsec;

	if (!c->ok || c->sec != t->sec) {
		struct ts s = { t->sec, 0, 0, 0 };
		char b[TS_ISO_MAX];

		if (t->sec < 0 || t->sec > TS_SEC_MAX)
			return 0;
		/* Without a fraction ts_iso ends in "Z": keep what comes
		 * before. */
		ts_iso(&s, b);
		memcpy(c->iso, b, TS_TEXT_SEC);
		c->epochn = ts_epoch(&s, b);
		memcpy(c->epoch, b, c->epochn);
		c->sec = t->sec;
		c->ok = 1;
	}
	c->fracn = (size_t)(put_frac(c->frac, ns, t->digits) - c->frac);
	return 1;
}

int
ts_add(const struct ts *t, const struct ts *dur, struct ts *out,
    struct diag *d)
{
	struct ts r;
	int32_t ns = t->nsec + dur->nsec;	/* both below 1e9: one carry */
	int carry = ns >= TS_NS;

	/* The seconds saturate rather than wrap: a sum past the int64 ends
	 * is out of the range all the same, and must not come back into
	 * it. */
	if (__builtin_add_overflow(t->sec, dur->sec, &r.sec) ||
	    __builtin_add_overflow(r.sec, carry, &r.sec))
		r.sec = dur->sec < 0 ? INT64_MIN : INT64_MAX;
	r.nsec = carry ? ns - TS_NS : ns;
	r.digits = t->digits > dur->digits ? t->digits : dur->digits;
	r.flags = t->flags;
	*out = r;
	return ts_check(out, d);
}

uint8_t
ts_min_digits(int32_t nsec)
{
	uint8_t k = 9;

	if (nsec == 0)
		return 0;
	while (nsec % 10 == 0) {
		nsec /= 10;
		k--;
	}
	return k;
}

double
ts_ns_double(const struct ts *t)
{
	/* A 128-bit count converts with one rounding, as an int64_t one
	 * does where it fits. */
	__extension__ __int128 ns = (__int128)t->sec * TS_NS + t->nsec;

	return (double)ns;
}

/*
 * |x - (sec + ns / 1e9)| scaled by 1e9 * 2^52, exact in 128 bits, for a
 * double x >= 1 within a few units of sec: x's fraction is a whole number
 * of 2^-52 there.
 */
static __int128
dist(double x, int64_t sec, int32_t ns)
{
	int64_t xi = (int64_t)x;	/* x >= 1: truncation is the floor */
	double fl = (double)xi;
	int64_t f;
	__int128 v;

	f = (int64_t)((x - fl) * 4503599627370496.0);	/* exact: * 2^52 */
	v = (__int128)(xi - sec) * TS_NS * ((__int128)1 << 52) +
	    (__int128)f * TS_NS - (__int128)ns * ((__int128)1 << 52);
	return v < 0 ? -v : v;
}

static int
even(double x)
{
	uint64_t bits;

	memcpy(&bits, &x, sizeof(bits));
	return (bits & 1) == 0;
}

/*
 * The double nearest sec + ns / 1e9, so that jsonout_double() prints the digits
 * the log had: the obvious sum rounds twice and is sometimes one unit in
 * the last place off, which shows as a 17th digit.  The neighbours of the
 * obvious sum are compared exactly and the nearest taken.
 */
static double
nearest(int64_t sec, int32_t ns)
{
	double x, best, cand[2];
	__int128 bd, cd;

	if (sec == 0)
		return (double)ns / 1e9;	/* one rounding: exact */
	x = (double)sec + (double)ns / 1e9;
	if (sec >= (INT64_C(1) << 52))
		return x;			/* the fraction is below an ulp */
#if LDBL_MANT_DIG >= 64
	{
		/*
		 * The residual in long double: sec - x is exact there, and
		 * ns / 1e9 is within 2^-64, so r is within 2^-62 of the true
		 * residual.  Well inside half an ulp of x (>= 2^-53 here), x
		 * is the nearest and the exact comparison is not needed.
		 */
		long double r = ((long double)sec - (long double)x) +
		    (long double)ns / 1e9L;
		uint64_t bits;
		double half;

		memcpy(&bits, &x, sizeof(bits));
		bits = ((bits >> 52) - 53) << 52;	/* half an ulp of x */
		memcpy(&half, &bits, sizeof(half));
		if (fabsl(r) < (long double)half - 0x1p-60L)
			return x;
	}
#endif
	best = x;
	bd = dist(x, sec, ns);
	cand[0] = nextafter(x, 0);
	cand[1] = nextafter(x, 1e300);
	for (int k = 0; k < 2; k++) {
		cd = dist(cand[k], sec, ns);
		/* A tie goes to the even mantissa, as IEEE rounding does. */
		if (cd < bd || (cd == bd && even(cand[k]))) {
			best = cand[k];
			bd = cd;
		}
	}
	return best;
}

double
ts_double(const struct ts *t)
{
	int64_t sec = t->sec;
	int32_t ns = t->nsec;

	if (ns < 0 || ns >= TS_NS)
		ns = 0;
	if (sec >= 0)
		return nearest(sec, ns);
	if (sec == INT64_MIN)
		return (double)sec;
	/* -(|sec| - 1 + (1e9 - ns) / 1e9): the nearest is symmetric. */
	if (ns == 0)
		return -nearest(-sec, 0);
	return -nearest(-sec - 1, TS_NS - ns);
}

/* ---- Parts, resolution, zone abbreviations ---- */

void
ts_parts_clear(struct ts_parts *p)
{
	static const struct ts_parts none = {
		TS_NONE, TS_NONE, TS_NONE, TS_NONE, TS_NONE, TS_NONE, TS_NONE,
		0, 0, 0, 0, NULL, 0, 0, 0, { 0, 0, 0, 0 }
	};

	*p = none;
}

void
ts_input_reset(struct ts_input *in)
{
	memset(in, 0, sizeof(*in));
}

/*
 * One abbreviation with the offsets it has had (up to ABBR_OFFS of them,
 * more only counted), each with how many zones use it so and the first of
 * them by name (an Area/City name over an old-style one), for messages.
 * A zone's own list and the system's set are arrays of these, sorted by
 * name.
 */
#define ABBR_OFFS	4

struct abbr_ent {
	char		 name[8];
	int		 noffs;		/* distinct offsets, maybe > ABBR_OFFS */
	int32_t		 off[ABBR_OFFS];
	const char	*zone[ABBR_OFFS];	/* NULL in a zone's own list */
	int		 nzones[ABBR_OFFS];
};

struct ts_abbrset {
	struct abbr_ent	*e;
	size_t		 n, cap;
	char		**zones;	/* owned zone names */
	size_t		 nzones, capzones;
};

static int
abbr_cmp(const void *a, const void *b)
{
	return strcmp(((const struct abbr_ent *)a)->name,
	    ((const struct abbr_ent *)b)->name);
}

/* Big-endian 32 and 64-bit numbers of a TZif body. */
static int64_t
be64(const unsigned char *h, size_t off)
{
	return (int64_t)((uint64_t)be32(h, off) << 32 | be32(h, off + 4));
}

/*
 * Call add() with each abbreviation a TZif file's zone has used since
 * 1970 (the types of its transitions from then on, and the type in force
 * then), with its offset.  Numeric abbreviations ("+05") are left out.
 * Returns 0, or -1 when the file is not TZif data.
 */
static int
tzif_abbrs(const char *path, void (*add)(void *, const char *, int32_t),
    void *ctx)
{
	unsigned char *b = NULL, used[256];
	size_t n = 0, cap = 0, got, off, tsz = 4;
	uint32_t isut, isstd, leap, time, type, chars;
	long cur = -1;
	FILE *fp;
	int rc = -1;

	if ((fp = fopen(path, "rb")) == NULL)
		return -1;
	do {
		unsigned char *nb;

		if (n == cap) {
			if (cap >= (1u << 22) || (nb = realloc(b, cap ? cap * 2 :
			    65536)) == NULL)
				goto out;
			b = nb;
			cap = cap ? cap * 2 : 65536;
		}
		got = fread(b + n, 1, cap - n, fp);
		n += got;
	} while (got > 0);
	if (n < 44 || memcmp(b, "TZif", 4) != 0)
		goto out;
	off = 0;
	for (int pass = 0; pass < 2; pass++) {
		isut = be32(b, off + 20);
		isstd = be32(b, off + 24);
		leap = be32(b, off + 28);
		time = be32(b, off + 32);
		type = be32(b, off + 36);
		chars = be32(b, off + 40);
		if (time > 1000000 || type > 256 || type == 0 ||
		    chars > 65536 || isut > 256 || isstd > 256 || leap > 10000)
			goto out;
		if (pass == 0 && b[4] >= '2') {
			/* Skip the version-1 block for the 64-bit one. */
			off += 44 + (size_t)time * 5 + (size_t)type * 6 +
			    chars + (size_t)leap * 8 + isstd + isut;
			if (off + 44 > n || memcmp(b + off, "TZif", 4) != 0)
				goto out;
			tsz = 8;
			continue;
		}
		break;
	}
	off += 44;
	if (off + (size_t)time * (tsz + 1) + (size_t)type * 6 + chars > n)
		goto out;
	memset(used, 0, sizeof(used));
	for (uint32_t k = 0; k < time; k++) {
		int64_t at = tsz == 8 ? be64(b, off + k * 8) :
		    (int32_t)be32(b, off + k * 4);
		unsigned idx = b[off + time * tsz + k];

		if (idx >= type)
			goto out;
		if (at < 0)
			cur = idx;
		else
			used[idx] = 1;
	}
	used[cur >= 0 ? (size_t)cur : 0] = 1;
	{
		const unsigned char *ti = b + off + time * (tsz + 1);
		const char *ch = (const char *)ti + type * 6;

		for (uint32_t k = 0; k < type; k++) {
			int32_t utoff = (int32_t)be32(ti, k * 6);
			unsigned di = ti[k * 6 + 5];
			size_t len;

			if (!used[k] || di >= chars)
				continue;
			len = strnlen(ch + di, chars - di);
			if (len == 0 || len >= 8 || di + len >= chars ||
			    ch[di] == '+' || ch[di] == '-')
				continue;
			add(ctx, ch + di, utoff);
		}
	}
	rc = 0;
out:
	fclose(fp);
	free(b);
	return rc;
}

/* Whether zone name a is to be named before b. */
static int
zone_before(const char *a, const char *b)
{
	int sa = strchr(a, '/') != NULL, sb = strchr(b, '/') != NULL;

	return sa != sb ? sa : strcmp(a, b) < 0;
}

/* Add name with off to a list sorted later (zone: who uses it). */
static int
abbr_add(struct abbr_ent **e, size_t *n, size_t *cap, const char *name,
    int32_t off, const char *zone)
{
	struct abbr_ent *a = NULL;
	int k;

	for (size_t j = 0; j < *n && a == NULL; j++)
		if (strcmp((*e)[j].name, name) == 0)
			a = &(*e)[j];
	if (a == NULL) {
		if (*n == *cap) {
			size_t nc = *cap ? *cap * 2 : 64;
			struct abbr_ent *ne = realloc(*e, nc * sizeof(*ne));

			if (ne == NULL)
				return -1;
			*e = ne;
			*cap = nc;
		}
		a = &(*e)[(*n)++];
		memset(a, 0, sizeof(*a));
		snprintf(a->name, sizeof(a->name), "%s", name);
	}
	for (k = 0; k < a->noffs && k < ABBR_OFFS; k++)
		if (a->off[k] == off)
			break;
	if (k == a->noffs || k == ABBR_OFFS) {
		a->noffs++;
		if (k == ABBR_OFFS)
			return 0;
		a->off[k] = off;
		a->zone[k] = zone;
		a->nzones[k] = 1;
		return 0;
	}
	a->nzones[k]++;
	if (zone != NULL && (a->zone[k] == NULL ||
	    zone_before(zone, a->zone[k])))
		a->zone[k] = zone;
	return 0;
}

/* The walk over the zone data. */
struct walk {
	struct ts_abbrset *a;
	const char	*zone;
	int		 err;
};

static void
walk_add(void *ctx, const char *name, int32_t off)
{
	struct walk *w = ctx;

	if (abbr_add(&w->a->e, &w->a->n, &w->a->cap, name, off,
	    w->zone) == -1)
		w->err = 1;
}

/*
 * Read each regular zone file under root/rel (depth-limited; links are
 * other names of the same zones).  The right/ and posix/ copies and the
 * tables are left out.
 */
static void
walk_dir(struct walk *w, const char *root, const char *rel, int depth)
{
	char path[PATH_MAX], sub[PATH_MAX];
	struct dirent *de;
	DIR *dir;

	snprintf(path, sizeof(path), "%s%s%s", root, *rel ? "/" : "", rel);
	if (depth > 4 || (dir = opendir(path)) == NULL)
		return;
	while ((de = readdir(dir)) != NULL && !w->err) {
		struct stat st;

		if (de->d_name[0] == '.' || strchr(de->d_name, '.') != NULL)
			continue;
		if (depth == 0 && (strcmp(de->d_name, "right") == 0 ||
		    strcmp(de->d_name, "posix") == 0 ||
		    strcmp(de->d_name, "posixrules") == 0 ||
		    strcmp(de->d_name, "localtime") == 0 ||
		    strcmp(de->d_name, "Factory") == 0))
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "",
		    de->d_name);
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", root, sub) >=
		    sizeof(path) || lstat(path, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode))
			walk_dir(w, root, sub, depth + 1);
		else if (S_ISREG(st.st_mode)) {
			char *z = strdup(sub);

			if (z == NULL || (w->a->nzones == w->a->capzones &&
			    w->a->capzones >= 4096)) {
				free(z);
				w->err = 1;
				break;
			}
			if (w->a->nzones == w->a->capzones) {
				size_t nc = w->a->capzones ?
				    w->a->capzones * 2 : 512;
				char **nz = realloc(w->a->zones,
				    nc * sizeof(*nz));

				if (nz == NULL) {
					free(z);
					w->err = 1;
					break;
				}
				w->a->zones = nz;
				w->a->capzones = nc;
			}
			w->a->zones[w->a->nzones++] = z;
			w->zone = z;
			(void)tzif_abbrs(path, walk_add, w);
		}
	}
	closedir(dir);
}

struct ts_abbrset *
ts_abbrset_load(struct diag *d)
{
	const char *root = getenv("TZDIR");
	struct ts_abbrset *a;
	struct walk w;

	if (root == NULL || *root == '\0')
		root = "/usr/share/zoneinfo";
	if ((a = calloc(1, sizeof(*a))) == NULL) {
		diag_set(d, DIAG_NOMEM, "zone abbreviations: %s",
		    strerror(errno));
		return NULL;
	}
	memset(&w, 0, sizeof(w));
	w.a = a;
	walk_dir(&w, root, "", 0);
	if (w.err) {
		ts_abbrset_free(a);
		diag_set(d, DIAG_NOMEM, "zone abbreviations: out of memory");
		return NULL;
	}
	if (a->n > 0)
		qsort(a->e, a->n, sizeof(a->e[0]), abbr_cmp);
	return a;
}

void
ts_abbrset_free(struct ts_abbrset *a)
{
	if (a == NULL)
		return;
	for (size_t k = 0; k < a->nzones; k++)
		free(a->zones[k]);
	free(a->zones);
	free(a->e);
	free(a);
}

/* The entry named s[0..n) in a sorted array, or NULL. */
static const struct abbr_ent *
abbr_lookup(const struct abbr_ent *e, size_t ne, const char *s, size_t n)
{
	size_t lo = 0, hi = ne;

	if (n == 0 || n >= sizeof(e->name))
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(e[mid].name, s, n);

		if (c == 0 && e[mid].name[n] != '\0')
			c = 1;
		if (c == 0)
			return &e[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int
ts_abbrset_find(const struct ts_abbrset *a, const char *s, size_t n,
    int32_t *off, const char **zone)
{
	const struct abbr_ent *e;

	if (a == NULL || (e = abbr_lookup(a->e, a->n, s, n)) == NULL)
		return 0;
	int best = 0;

	for (int k = 1; k < e->noffs && k < ABBR_OFFS; k++)
		if (e->nzones[k] > e->nzones[best])
			best = k;
	*off = e->off[best];
	if (zone != NULL)
		*zone = e->zone[best];
	return e->noffs > 1 ? 2 : 1;
}

/* A zone's own abbreviations, from its file (z->abbrs). */
static void
zone_add(void *ctx, const char *name, int32_t off)
{
	struct ts_zone *z = ctx;

	if (abbr_add(&z->abbrs, &z->nabbrs, &z->capabbrs, name, off,
	    NULL) == -1)
		z->abbr_err = 1;
}

int
ts_zone_abbr(const struct ts_zone *z, const char *s, size_t n, int32_t *off)
{
	const struct abbr_ent *e;

	if (z == NULL || (e = abbr_lookup(z->abbrs, z->nabbrs, s, n)) == NULL ||
	    e->noffs != 1)
		return -1;
	*off = e->off[0];
	return 0;
}

/* "+05:30" for a message. */
static const char *
off_text(int32_t off, char buf[16])
{
	int32_t a = off < 0 ? -off : off;

	snprintf(buf, 16, "%c%02d:%02d", off < 0 ? '-' : '+', a / 3600,
	    a / 60 % 60);
	return buf;
}

/*
 * Whether the rules say what s[0..n) means without the zone data: UTC,
 * GMT, UT and Z are zero; then --tz-abbrev; then the --tz zone's own.
 */
static int
abbr_told(const char *s, size_t n, const struct ts_rules *r, int32_t *off)
{
	if ((n == 3 && (memcmp(s, "UTC", 3) == 0 || memcmp(s, "GMT", 3) == 0))
	    || (n == 2 && memcmp(s, "UT", 2) == 0) || (n == 1 && *s == 'Z')) {
		*off = 0;
		return 1;
	}
	for (size_t k = 0; k < r->nabbr; k++)
		if (strlen(r->abbr[k].name) == n &&
		    memcmp(r->abbr[k].name, s, n) == 0) {
			*off = r->abbr[k].off;
			return 1;
		}
	return ts_zone_abbr(r->zone, s, n, off) == 0;
}

/* The offset the abbreviation p->abbr says, or TS_REFUSE. */
static int
abbr_offset(const struct ts_parts *p, struct ts_rules *r, int32_t *off,
    struct diag *d)
{
	const char *s = p->abbr;
	const struct abbr_ent *e;
	size_t n = p->abbr_n;
	char name[16], ob[16], ob2[16];

	if (abbr_told(s, n, r, off))
		return 0;
	if (!r->sys_tried) {
		r->sys_tried = 1;
		r->sys = ts_abbrset_load(NULL);
	}
	diag_quote(name, sizeof(name), s, n, 8);
	e = r->sys != NULL ? abbr_lookup(r->sys->e, r->sys->n, s, n) : NULL;
	if (e == NULL)
		diag_set(d, DIAG_USAGE, "unknown zone abbreviation %s: give "
		    "--tz-abbrev %s=OFFSET", name, name);
	else {
		/* Its offsets, the one most zones use first. */
		int order[ABBR_OFFS], m = e->noffs < ABBR_OFFS ? e->noffs :
		    ABBR_OFFS, best = 0;
		char list[256];
		size_t len = 0;

		for (int k = 0; k < m; k++) {
			order[k] = k;
			if (e->nzones[k] > e->nzones[best])
				best = k;
		}
		order[0] = best;
		order[best] = 0;
		list[0] = '\0';
		for (int k = 0; k < m && len < sizeof(list); k++) {
			int j = order[k];

			len += (size_t)snprintf(list + len, sizeof(list) - len,
			    "%s%s, as in %s", k ? "; " : "",
			    off_text(e->off[j], ob), e->zone[j] ? e->zone[j] :
			    "?");
		}
		diag_set(d, DIAG_USAGE, "zone abbreviation %s is not read "
		    "without being told its offset (the zone data has %s%s): "
		    "give --tz-abbrev %s=%s, or --tz with the log's zone", name,
		    list, e->noffs > m ? " and more" : "", name,
		    off_text(e->off[best], ob2));
	}
	if (d != NULL)
		d->col = p->abbr_col;
	return TS_REFUSE;
}

int
ts_abbr_offset(const char *s, size_t n, size_t col, struct ts_rules *r,
    int32_t *off, struct diag *d)
{
	struct ts_parts p;

	ts_parts_clear(&p);
	p.abbr = s;
	p.abbr_n = n;
	p.abbr_col = col;
	return abbr_offset(&p, r, off, d);
}

int
ts_offset_parse(const char *s, int32_t *off, struct diag *d)
{
	struct scan c = { .s = s, .n = strlen(s), .d = d };
	struct civil cv;

	if (strcmp(s, "UTC") == 0) {
		*off = 0;
		return 0;
	}
	cv.off = 0;
	if (offset(&c, &cv, 1) == -1 || trailing(&c) == -1)
		return -1;
	*off = cv.off;
	return 0;
}

int
ts_abbr_known(const char *s, size_t n, struct ts_rules *r)
{
	int32_t off;

	if (abbr_told(s, n, r, &off))
		return 1;
	if (!r->sys_tried) {
		r->sys_tried = 1;
		r->sys = ts_abbrset_load(NULL);
	}
	return ts_abbrset_find(r->sys, s, n, &off, NULL) != 0;
}

/*
 * The year of a time without one: the line's first month sets it from
 * --year (or --date); a month six or more back turns it over.
 */
static int
year_of(const struct ts_parts *p, const struct ts_rules *r,
    struct ts_input *in, struct diag *d)
{
	int y0 = r->year != 0 ? r->year : r->date_y;

	if (y0 == 0) {
		diag_set(d, DIAG_USAGE, "the time has no year on the line: give "
		    "it with --year (the year of the input's first line)");
		return TS_REFUSE;
	}
	if (!in->started || in->year == 0) {
		in->year = y0;
		in->last_mon = p->mon;
		in->started = 1;
		return 0;
	}
	if (p->mon != TS_NONE && in->last_mon != TS_NONE) {
		if (p->mon <= in->last_mon - 6) {
			in->year++;
			in->turnovers++;
		} else if (p->mon < in->last_mon)
			in->backsteps++;
	}
	if (p->mon != TS_NONE)
		in->last_mon = p->mon;
	return 0;
}

int
ts_resolve(const struct ts_parts *p, struct ts_rules *r, struct ts_input *in,
    struct ts *out, struct diag *d)
{
	struct civil cv;
	int64_t local, utc;
	int32_t off;
	uint8_t flags = 0;
	int rc;

	if (p->has_epoch) {
		*out = p->epoch;
		return ts_check(out, d);
	}
	memset(&cv, 0, sizeof(cv));
	cv.cy = cv.cmo = cv.cd = cv.ch = cv.cmi = cv.cs = 1;
	cv.h = p->hour == TS_NONE ? 0 : p->hour;
	cv.mi = p->min == TS_NONE ? 0 : p->min;
	cv.s = p->sec == TS_NONE ? 0 : p->sec;
	if (p->mon == TS_NONE && p->yday == TS_NONE && p->year == TS_NONE) {
		/* A time of day alone: --date's day, turned over when the
		 * time goes back by 12 hours or more. */
		int32_t tod = cv.h * 3600 + cv.mi * 60 + cv.s;

		if (r->date_y == 0) {
			diag_set(d, DIAG_USAGE, "the time has no date on the "
			    "line: give it with --date YYYY-MM-DD (the date "
			    "of the input's first line)");
			return TS_REFUSE;
		}
		if (!in->started) {
			in->started = 1;
			in->day = ts_days(r->date_y, r->date_m, r->date_d);
		} else if (tod <= in->last_tod - 12 * 3600) {
			in->day++;
			in->turnovers++;
		} else if (tod < in->last_tod)
			in->backsteps++;
		in->last_tod = tod;
		local = in->day * DAY + tod;
		goto zone;
	}
	if (p->year != TS_NONE) {
		cv.y = p->year;
		if (r->year != 0)
			in->year_on_line++;
	} else {
		if ((rc = year_of(p, r, in, d)) != 0)
			return rc;
		cv.y = in->year;
	}
	if (p->mon != TS_NONE) {
		cv.mo = p->mon;
		cv.d = p->mday == TS_NONE ? 1 : p->mday;
	} else if (p->yday != TS_NONE) {
		int days = is_leap(cv.y) ? 366 : 365;

		if (p->yday > days)
			return fail(d, 1, "day of the year %d does not exist in "
			    "%d", p->yday, cv.y);
		cv.mo = 1;
		cv.d = 1;
	} else {
		cv.mo = 1;
		cv.d = p->mday == TS_NONE ? 1 : p->mday;
	}
	if (check(&cv, d) == -1)
		return -1;
	local = ts_days(cv.y, cv.mo, cv.d) * DAY + cv.h * 3600 + cv.mi * 60 +
	    cv.s;
	if (p->mon == TS_NONE && p->yday != TS_NONE)
		local += (int64_t)(p->yday - 1) * DAY;
zone:
	if (p->has_off)
		utc = local - p->off;
	else if (p->abbr != NULL) {
		if ((rc = abbr_offset(p, r, &off, d)) != 0)
			return rc;
		utc = local - off;
	} else if (r->zone != NULL) {
		if (zone_utc(r->zone, local, &utc, &flags, d) == -1)
			return -1;
	} else
		utc = local;
	out->sec = utc;
	out->nsec = p->nsec;
	out->digits = p->digits;
	out->flags = flags;
	return ts_check(out, d);
}

/* The --tz zone's abbreviations, read once from its file. */
static int
zone_abbrs(struct ts_zone *z, struct diag *d)
{
	const char *dir = getenv("TZDIR");
	char path[512];

	if (dir == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, z->name) >=
	    sizeof(path))
		return 0;
	(void)tzif_abbrs(path, zone_add, z);
	if (z->abbr_err)
		return diag_set(d, DIAG_NOMEM, "zone \"%s\": out of memory",
		    z->name);
	if (z->nabbrs > 0)
		qsort(z->abbrs, z->nabbrs, sizeof(z->abbrs[0]), abbr_cmp);
	return 0;
}
