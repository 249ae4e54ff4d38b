/*
 * timefmt: strptime-style time formats, compiled once into a list of
 * steps and read by a hand-written loop over them.  See timefmt.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timefmt.h"

enum op {
	OP_LIT,		/* one byte, itself */
	OP_SPACE,	/* one or more spaces or tabs */
	OP_Y4, OP_Y2, OP_MON, OP_DAY, OP_DAYSP, OP_YDAY, OP_MONNAME,
	OP_WDAY, OP_H24, OP_H12, OP_AMPM, OP_MIN, OP_SEC, OP_FRAC,
	OP_OFF, OP_ABBR, OP_EPOCH, OP_EPOCH3, OP_EPOCH6, OP_EPOCH9
};

struct step {
	enum op		 op;
	char		 c;	/* OP_LIT's byte */
};

struct timefmt {
	int		 has;
	size_t		 n;
	struct step	 st[];
};

static const char *const mon_names[12] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"
};
static const char *const day_names[7] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday"
};

struct timefmt *
timefmt_compile(const char *fmt, struct diag *d)
{
	struct timefmt *f;
	size_t len = strlen(fmt), k = 0;
	int h12 = 0, ampm = 0, time = 0;
	size_t bad_at = 0;

	if ((f = calloc(1, sizeof(*f) + (len + 1) * sizeof(f->st[0]))) ==
	    NULL) {
		diag_set(d, DIAG_NOMEM, "time format: %s", strerror(errno));
		return NULL;
	}
	for (size_t i = 0; i < len; i++) {
		struct step *s = &f->st[k++];
		size_t at = i;

		if (fmt[i] == ' ') {
			s->op = OP_SPACE;
			while (i + 1 < len && fmt[i + 1] == ' ')
				i++;
			continue;
		}
		if (fmt[i] != '%') {
			s->op = OP_LIT;
			s->c = fmt[i];
			continue;
		}
		if (++i >= len) {
			diag_set(d, DIAG_USAGE, "time format \"%s\": a lone '%%' "
			    "at offset %zu: write %%%% for a '%%'", fmt, at + 1);
			bad_at = at;
			goto bad;
		}
		switch (fmt[i]) {
		case 'Y': s->op = OP_Y4; f->has |= TIMEFMT_HAS_YEAR; break;
		case 'y': s->op = OP_Y2; f->has |= TIMEFMT_HAS_YEAR; break;
		case 'm': s->op = OP_MON; break;
		case 'd': s->op = OP_DAY; break;
		case 'e': s->op = OP_DAYSP; break;
		case 'j': s->op = OP_YDAY; f->has |= TIMEFMT_HAS_DATE; break;
		case 'b': s->op = OP_MONNAME; break;
		case 'a': s->op = OP_WDAY; break;
		case 'H': s->op = OP_H24; time = 1; break;
		case 'I': s->op = OP_H12; time = h12 = 1; break;
		case 'p': s->op = OP_AMPM; ampm = 1; break;
		case 'M': s->op = OP_MIN; break;
		case 'S': s->op = OP_SEC; break;
		case 'f': s->op = OP_FRAC; break;
		case 'z': s->op = OP_OFF; f->has |= TIMEFMT_HAS_ZONE; break;
		case 'Z': s->op = OP_ABBR; f->has |= TIMEFMT_HAS_ZONE; break;
		case '%': s->op = OP_LIT; s->c = '%'; break;
		case 's':
			s->op = OP_EPOCH;
			if (i + 1 < len && (fmt[i + 1] == '3' ||
			    fmt[i + 1] == '6' || fmt[i + 1] == '9')) {
				s->op = fmt[i + 1] == '3' ? OP_EPOCH3 :
				    fmt[i + 1] == '6' ? OP_EPOCH6 : OP_EPOCH9;
				i++;
			}
			f->has |= TIMEFMT_HAS_EPOCH | TIMEFMT_HAS_YEAR |
			    TIMEFMT_HAS_DATE | TIMEFMT_HAS_ZONE;
			time = 1;
			break;
		default:
			diag_set(d, DIAG_USAGE, "time format \"%s\": unknown "
			    "directive %%%c at offset %zu: expected one of "
			    "%%Y %%y %%m %%d %%e %%b %%a %%H %%I %%p %%M %%S %%j "
			    "%%f %%z %%Z %%s %%s3 %%s6 %%s9 %%%%", fmt, fmt[i],
			    at + 1);
			bad_at = at;
			goto bad;
		}
		if (s->op == OP_MON || s->op == OP_MONNAME)
			f->has |= TIMEFMT_HAS_DATE;
	}
	f->n = k;
	if (d != NULL)
		d->col = 0;
	if (h12 != ampm) {
		diag_set(d, DIAG_USAGE, "time format \"%s\": %s", fmt, h12 ?
		    "%I (12-hour) needs %p (AM or PM)" :
		    "%p (AM or PM) needs %I (12-hour)");
		goto bad0;
	}
	if (!time && !(f->has & TIMEFMT_HAS_DATE)) {
		diag_set(d, DIAG_USAGE, "time format \"%s\" reads no date or "
		    "time: expected directives such as %%Y-%%m-%%d %%H:%%M:%%S",
		    fmt);
		goto bad0;
	}
	return f;
bad:
	if (d != NULL)
		d->col = bad_at + 1;
bad0:
	free(f);
	return NULL;
}

void
timefmt_free(struct timefmt *f)
{
	free(f);
}

int
timefmt_has(const struct timefmt *f)
{
	return f->has;
}

/* Where the reader is. */
struct rd {
	const char	*s;
	size_t		 n, i;
	struct diag	*d;
};

static int
nofit(struct rd *r, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
nofit(struct rd *r, size_t col, const char *fmt, ...)
{
	va_list ap;
	char q[48];
	size_t len;

	if (r->d == NULL)
		return -1;
	r->d->code = DIAG_TS;
	r->d->err = 0;
	r->d->col = col;
	va_start(ap, fmt);
	vsnprintf(r->d->msg, sizeof(r->d->msg), fmt, ap);
	va_end(ap);
	len = strlen(r->d->msg);
	if (len + 16 < sizeof(r->d->msg)) {
		if (col - 1 >= r->n)
			snprintf(r->d->msg + len, sizeof(r->d->msg) - len,
			    ", got the end");
		else
			snprintf(r->d->msg + len, sizeof(r->d->msg) - len,
			    ", got \"%s\"", diag_quote(q, sizeof(q),
			    r->s + col - 1, r->n - (col - 1), 12));
	}
	return -1;
}

static int
isdig(char c)
{
	return c >= '0' && c <= '9';
}

/* min to max digits (as many as there are, up to max) in lo..hi. */
static int
digits(struct rd *r, int min, int max, int lo, int hi, const char *what,
    int *v)
{
	size_t at = r->i;
	int x = 0, k = 0;

	while (k < max && r->i < r->n && isdig(r->s[r->i])) {
		x = x * 10 + (r->s[r->i++] - '0');
		k++;
	}
	if (k < min)
		return nofit(r, r->i + 1, "expected %s%d digit%s of the %s",
		    min == max ? "" : "at least ", min, min == 1 ? "" : "s",
		    what);
	if (x < lo || x > hi)
		return nofit(r, at + 1, "%s %d out of range %02d-%02d", what, x,
		    lo, hi);
	*v = x;
	return 0;
}

/* A name among n (full, or its first three letters), any case. */
static int
name(struct rd *r, const char *const *names, int n, const char *what,
    int *v)
{
	for (int k = 0; k < n; k++) {
		size_t len = strlen(names[k]), j;

		for (j = 0; j < len && r->i + j < r->n; j++)
			if ((r->s[r->i + j] | 0x20) != names[k][j])
				break;
		if (j == len || j >= 3) {
			r->i += j == len ? len : 3;
			*v = k;
			return 0;
		}
	}
	return nofit(r, r->i + 1, "expected a %s name", what);
}

/*
 * Digits of an epoch: sec from all but the last e of them, the last e as
 * the fraction (e 0, 3, 6, 9); with e 0 an optional .fraction follows.
 */
static int
epoch(struct rd *r, int e, struct ts *t)
{
	size_t at = r->i, k0, nd;
	int64_t sec = 0;
	int32_t ns = 0;
	int fd = 0;

	while (r->i + 1 < r->n && r->s[r->i] == '0' && isdig(r->s[r->i + 1]))
		r->i++;
	k0 = r->i;
	while (r->i < r->n && isdig(r->s[r->i]))
		r->i++;
	nd = r->i - k0;
	if (nd == 0)
		return nofit(r, at + 1, "expected the digits of an epoch time");
	if (nd > (size_t)e + 12)
		return nofit(r, at + 1, "epoch time of %zu digits: after "
		    "9999-12-31", nd);
	/* The last e digits are the fraction (zeros before when fewer). */
	for (size_t j = 0; j + (size_t)e < nd; j++)
		sec = sec * 10 + (r->s[k0 + j] - '0');
	for (int j = 0; j < 9; j++) {
		/* Fraction digit j is digit nd - e + j of the number. */
		long pos = (long)nd - e + j;

		ns = ns * 10 + (j < e && pos >= 0 ? r->s[k0 + pos] - '0' : 0);
	}
	fd = e;
	if (e == 0 && r->i + 1 < r->n && r->s[r->i] == '.' &&
	    isdig(r->s[r->i + 1])) {
		size_t f0 = ++r->i;

		while (r->i < r->n && isdig(r->s[r->i]))
			r->i++;
		if (r->i - f0 > 9)
			return nofit(r, f0 + 1, "fraction of %zu digits: at "
			    "most 9 (nanoseconds)", r->i - f0);
		for (size_t j = 0; j < 9; j++)
			ns = ns * 10 + (f0 + j < r->i ? r->s[f0 + j] - '0' : 0);
		fd = (int)(r->i - f0);
	}
	t->sec = sec;
	t->nsec = ns;
	t->digits = (uint8_t)fd;
	t->flags = 0;
	return 0;
}

static int
offset(struct rd *r, struct ts_parts *p)
{
	int sign, hh, mm = 0;

	if (r->i < r->n && r->s[r->i] == 'Z') {
		r->i++;
		p->has_off = 1;
		p->off = 0;
		return 0;
	}
	if (r->i >= r->n || (r->s[r->i] != '+' && r->s[r->i] != '-'))
		return nofit(r, r->i + 1, "expected a zone offset (Z, +hh, "
		    "+hhmm or +hh:mm)");
	sign = r->s[r->i++] == '-' ? -1 : 1;
	if (digits(r, 2, 2, 0, 23, "offset's hours", &hh) == -1)
		return -1;
	if (r->i + 2 < r->n && r->s[r->i] == ':' && isdig(r->s[r->i + 1])) {
		r->i++;
		if (digits(r, 2, 2, 0, 59, "offset's minutes", &mm) == -1)
			return -1;
	} else if (r->i < r->n && isdig(r->s[r->i])) {
		if (digits(r, 2, 2, 0, 59, "offset's minutes", &mm) == -1)
			return -1;
	}
	p->has_off = 1;
	p->off = sign * (hh * 3600 + mm * 60);
	return 0;
}

size_t
timefmt_read(const struct timefmt *f, const char *s, size_t n,
    struct ts_parts *p, struct diag *d)
{
	struct rd r = { s, n, 0, d };
	int h12 = TS_NONE, pm = TS_NONE, v;

	ts_parts_clear(p);
	for (size_t k = 0; k < f->n; k++) {
		const struct step *st = &f->st[k];
		int rc = 0;

		switch (st->op) {
		case OP_LIT:
			if (r.i < n && s[r.i] == st->c)
				r.i++;
			else
				rc = nofit(&r, r.i + 1, "expected '%c'", st->c);
			break;
		case OP_SPACE:
			if (r.i >= n || (s[r.i] != ' ' && s[r.i] != '\t'))
				rc = nofit(&r, r.i + 1, "expected a space");
			while (r.i < n && (s[r.i] == ' ' || s[r.i] == '\t'))
				r.i++;
			break;
		case OP_Y4:
			rc = digits(&r, 4, 4, 1970, 9999, "year", &p->year);
			break;
		case OP_Y2:
			if ((rc = digits(&r, 2, 2, 0, 99, "year", &v)) == 0)
				p->year = v < 70 ? 2000 + v : 1900 + v;
			break;
		case OP_MON:
			rc = digits(&r, 1, 2, 1, 12, "month", &p->mon);
			break;
		case OP_DAYSP:
			if (r.i < n && s[r.i] == ' ')
				r.i++;
			/* FALLTHROUGH */
		case OP_DAY:
			rc = digits(&r, 1, 2, 1, 31, "day", &p->mday);
			break;
		case OP_YDAY:
			rc = digits(&r, 1, 3, 1, 366, "day of the year",
			    &p->yday);
			break;
		case OP_MONNAME:
			if ((rc = name(&r, mon_names, 12, "month", &v)) == 0)
				p->mon = v + 1;
			break;
		case OP_WDAY:
			rc = name(&r, day_names, 7, "weekday", &v);
			break;
		case OP_H24:
			rc = digits(&r, 1, 2, 0, 23, "hour", &p->hour);
			break;
		case OP_H12:
			rc = digits(&r, 1, 2, 1, 12, "hour", &h12);
			break;
		case OP_AMPM:
			if (r.i + 1 < n && ((s[r.i] | 0x20) == 'a' ||
			    (s[r.i] | 0x20) == 'p') && (s[r.i + 1] | 0x20) ==
			    'm') {
				pm = (s[r.i] | 0x20) == 'p';
				r.i += 2;
			} else
				rc = nofit(&r, r.i + 1, "expected AM or PM");
			break;
		case OP_MIN:
			rc = digits(&r, 1, 2, 0, 59, "minute", &p->min);
			break;
		case OP_SEC:
			rc = digits(&r, 1, 2, 0, 60, "second", &p->sec);
			break;
		case OP_FRAC: {
			size_t f0 = r.i;
			int32_t ns = 0;

			while (r.i < n && isdig(s[r.i]))
				r.i++;
			if (r.i == f0)
				rc = nofit(&r, f0 + 1, "expected the digits of "
				    "a fraction of a second");
			else if (r.i - f0 > 9)
				rc = nofit(&r, f0 + 1, "fraction of %zu digits: "
				    "at most 9 (nanoseconds)", r.i - f0);
			else {
				for (size_t j = 0; j < 9; j++)
					ns = ns * 10 + (f0 + j < r.i ?
					    s[f0 + j] - '0' : 0);
				p->nsec = ns;
				p->digits = (uint8_t)(r.i - f0);
			}
			break;
		}
		case OP_OFF:
			rc = offset(&r, p);
			break;
		case OP_ABBR: {
			size_t a0 = r.i;

			while (r.i < n && r.i - a0 < 7 &&
			    (((s[r.i] | 0x20) >= 'a' && (s[r.i] | 0x20) <= 'z')))
				r.i++;
			if (r.i == a0 || (r.i < n &&
			    ((s[r.i] | 0x20) >= 'a' && (s[r.i] | 0x20) <= 'z')))
				rc = nofit(&r, a0 + 1, "expected a zone "
				    "abbreviation (1 to 7 letters)");
			else {
				p->abbr = s + a0;
				p->abbr_n = r.i - a0;
				p->abbr_col = a0 + 1;
			}
			break;
		}
		case OP_EPOCH:
		case OP_EPOCH3:
		case OP_EPOCH6:
		case OP_EPOCH9:
			rc = epoch(&r, st->op == OP_EPOCH ? 0 :
			    st->op == OP_EPOCH3 ? 3 : st->op == OP_EPOCH6 ? 6 :
			    9, &p->epoch);
			if (rc == 0)
				p->has_epoch = 1;
			break;
		}
		if (rc == -1)
			return TIMEFMT_NOFIT;
	}
	if (h12 != TS_NONE)
		p->hour = h12 % 12 + (pm == 1 ? 12 : 0);
	if (p->hour != TS_NONE) {
		if (p->min == TS_NONE)
			p->min = 0;
		if (p->sec == TS_NONE)
			p->sec = 0;
	}
	return r.i;
}
