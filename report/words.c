#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "words.h"

char *
words_fix(char *buf, size_t sz, double v, int dec)
{
	if (isnan(v)) {
		snprintf(buf, sz, "-");
		return buf;
	}
	if (dec < 0)
		dec = 0;
	if (dec > 12)
		dec = 12;
	snprintf(buf, sz, "%.*f", dec, v);
	/* A value that rounds to zero reads "0", not "-0.0". */
	if (buf[0] == '-') {
		const char *p;

		for (p = buf + 1; *p == '0' || *p == '.'; p++)
			;
		if (*p == '\0')
			memmove(buf, buf + 1, strlen(buf));
	}
	return buf;
}

char *
words_sig(char *buf, size_t sz, double v, int sig)
{
	double a = fabs(v);
	int e, dec;

	if (isnan(v)) {
		snprintf(buf, sz, "-");
		return buf;
	}
	if (sig < 1)
		sig = 1;
	if (v == 0)
		return words_fix(buf, sz, 0, 0);
	if (isinf(v) || a >= 1e15 || a < 1e-6) {
		snprintf(buf, sz, "%.*g", sig, v);
		return buf;
	}
	e = (int)floor(log10(a));
	/* Rounding may carry into the next power of ten (9.996 -> 10.0):
	 * then one decimal fewer keeps the count of significant digits. */
	if (a * pow(10, sig - 1 - e) + 0.5 >= pow(10, sig))
		e++;
	dec = sig - 1 - e;
	return words_fix(buf, sz, v, dec > 0 ? dec : 0);
}

char *
words_count(char *buf, size_t sz, double v)
{
	if (!isnan(v) && fabs(v) < 1e15 && v == floor(v))
		return words_fix(buf, sz, v, 0);
	return words_sig(buf, sz, v, 3);
}

const char *
words_unit(double max, double *mult)
{
	max = fabs(max);
	if (isnan(max) || max >= 1 || max == 0) {
		*mult = 1;
		return "s";
	}
	if (max >= 1e-3) {
		*mult = 1e3;
		return "ms";
	}
	*mult = 1e6;
	return "µs";
}

char *
words_dur(char *buf, size_t sz, double s)
{
	char num[WORDS_LEN];
	const char *u;
	double m;

	if (isnan(s)) {
		snprintf(buf, sz, "-");
		return buf;
	}
	if (s == 0) {
		snprintf(buf, sz, "0 s");
		return buf;
	}
	u = words_unit(s, &m);
	/* 0.9996 s is "1.00 s", not "1000 ms": the unit follows the rounded
	 * value. */
	words_sig(num, sizeof(num), s * m, 3);
	if (m > 1 && fabs(strtod(num, NULL)) >= 1000) {
		m /= 1e3;
		u = m == 1 ? "s" : "ms";
		words_sig(num, sizeof(num), s * m, 3);
	}
	snprintf(buf, sz, "%s %s", num, u);
	return buf;
}

/* The nice number near x: 1, 2, 5 or 10 times a power of ten. */
static double
nice(double x)
{
	double p = pow(10, floor(log10(x)));
	double f = x / p;

	if (f < 1.5)
		return p;
	if (f < 3)
		return 2 * p;
	if (f < 7)
		return 5 * p;
	return 10 * p;
}

void
words_ticks(double lo, double hi, int target, struct words_ticks *t)
{
	double span, step;

	if (!isfinite(lo) || !isfinite(hi)) {
		lo = 0;
		hi = 1;
	}
	if (lo > hi) {
		double tmp = lo;

		lo = hi;
		hi = tmp;
	}
	if (hi - lo <= 1e-12 * (fabs(lo) + fabs(hi))) {
		/* One value: a range around it, or [0, 1] for zero (a
		 * count or a spread of nothing is not negative). */
		if (lo == 0)
			hi = 1;
		else {
			double d = fabs(lo) / 2;

			lo -= d;
			hi += d;
		}
	}
	if (target < 2)
		target = 2;
	if (target > 50)
		target = 50;
	span = hi - lo;
	step = nice(span / target);
	t->step = step;
	t->lo = floor(lo / step + 1e-9) * step;
	t->hi = ceil(hi / step - 1e-9) * step;
	/* Values near the limits of a double (a range wider than DBL_MAX,
	 * or a step lost in the bounds' precision) get the bounds alone as
	 * ticks rather than a count no plot could draw. */
	if (!isfinite(span) || !isfinite(step) || step <= 0 ||
	    !isfinite(t->lo) || !isfinite(t->hi) ||
	    !((t->hi - t->lo) / step < 2.0 * target + 2)) {
		if (!isfinite(span)) {
			lo = lo < -1e300 ? -1e300 : lo;
			hi = hi > 1e300 ? 1e300 : hi;
		}
		t->lo = lo;
		t->hi = hi;
		t->step = hi - lo;
		t->n = 2;
		t->dec = 0;
		return;
	}
	t->n = (int)floor((t->hi - t->lo) / step + 0.5) + 1;
	t->dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
	/* A step of 2.5 is not produced, but 0.5e-k needs its digit. */
	if (step < 1 && fabs(step * pow(10, t->dec) - floor(step *
	    pow(10, t->dec) + 0.5)) > 1e-6)
		t->dec++;
}

char *
words_tick(char *buf, size_t sz, const struct words_ticks *t, int k)
{
	return words_fix(buf, sz, t->lo + k * t->step, t->dec);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if none:
 * jsonout's validator, the one every writer uses. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	long l = jsonout_utf8_len(s, n);

	return l > 0 ? (size_t)l : 0;
}

void
words_xml(struct jsonout *w, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	while (n > 0) {
		size_t k = utf8_seq(p, n);

		if (k == 0 || (*p < 0x20 && *p != '\t' && *p != '\n') ||
		    *p == 0x7f) {
			jsonout_cstr(w, "\xef\xbf\xbd");
			k = k ? k : 1;
		} else if (*p == '&')
			jsonout_cstr(w, "&amp;");
		else if (*p == '<')
			jsonout_cstr(w, "&lt;");
		else if (*p == '>')
			jsonout_cstr(w, "&gt;");
		else if (*p == '"')
			jsonout_cstr(w, "&quot;");
		else if (*p == '\'')
			jsonout_cstr(w, "&#39;");
		else
			jsonout_raw(w, (const char *)p, k);
		p += k;
		n -= k;
	}
}

void
words_md(struct jsonout *w, const char *s)
{
	for (const char *p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '\n' || c == '\r' || c == '\t')
			jsonout_char(w, ' ');
		else if (c < 0x20 || c == 0x7f)
			jsonout_char(w, '?');
		else if (c == '<')
			jsonout_cstr(w, "&lt;");
		else if (c == '&')
			jsonout_cstr(w, "&amp;");
		else if (strchr("\\`*_[]|~", c) != NULL) {
			jsonout_char(w, '\\');
			jsonout_char(w, (char)c);
		} else
			jsonout_char(w, (char)c);
	}
}

void
words_text(struct jsonout *w, const char *s)
{
	for (const char *p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		jsonout_char(w, c < 0x20 || c == 0x7f ? '?' : (char)c);
	}
}

size_t
words_width(const char *s)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xc0) != 0x80)
			n++;
	return n;
}

void
words_printf(struct jsonout *w, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	jsonout_raw(w, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}
