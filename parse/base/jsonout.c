#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonout.h"

/* Flush past this many bytes: large enough that write(2) is rare, small
 * enough that memory stays flat whatever the input's size. */

/*
 * The writer thread's side: at most one buffer handed over and not yet
 * written (busy), and the one it wrote last, kept for the next swap.
 */
struct jsonout_async {
	pthread_t	 th;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;		/* busy or stop changed */
	FILE		*fp;
	char		*buf;		/* handed over: buf[0..len) */
	size_t		 len, cap;
	int		 busy;
	int		 stop;
	int		 err;		/* errno of a failed write */
	char		*spare;		/* written, free for reuse */
	size_t		 sparecap;
};

void
jsonout_init(struct jsonout *w, FILE *fp)
{
	memset(w, 0, sizeof(*w));
	w->fp = fp;
}

static void *
writer(void *arg)
{
	struct jsonout_async *a = arg;

	pthread_mutex_lock(&a->mu);
	for (;;) {
		char *buf;
		size_t len;
		int err = 0;

		while (!a->busy && !a->stop)
			pthread_cond_wait(&a->cv, &a->mu);
		if (!a->busy)
			break;
		buf = a->buf;
		len = a->len;
		pthread_mutex_unlock(&a->mu);
		if (a->err == 0 && fwrite(buf, 1, len, a->fp) != len)
			err = errno ? errno : EIO;
		pthread_mutex_lock(&a->mu);
		if (err != 0)
			a->err = err;
		a->spare = buf;
		a->sparecap = a->cap;
		a->buf = NULL;
		a->busy = 0;
		pthread_cond_broadcast(&a->cv);
	}
	pthread_mutex_unlock(&a->mu);
	return NULL;
}

int
jsonout_async(struct jsonout *w)
{
	struct jsonout_async *a;

	if (w->fp == NULL || w->as != NULL)
		return w->as != NULL ? 0 : -1;
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return -1;
	a->fp = w->fp;
	if (pthread_mutex_init(&a->mu, NULL) != 0)
		goto fail;
	if (pthread_cond_init(&a->cv, NULL) != 0)
		goto fail_mu;
	if (pthread_create(&a->th, NULL, writer, a) != 0)
		goto fail_cv;
	w->as = a;
	return 0;
fail_cv:
	pthread_cond_destroy(&a->cv);
fail_mu:
	pthread_mutex_destroy(&a->mu);
fail:
	free(a);
	return -1;
}

/* Wait until the writer holds nothing; its error becomes w's. */
static void
drain(struct jsonout *w)
{
	struct jsonout_async *a = w->as;

	pthread_mutex_lock(&a->mu);
	while (a->busy)
		pthread_cond_wait(&a->cv, &a->mu);
	if (a->err != 0 && w->err == 0)
		w->err = a->err;
	pthread_mutex_unlock(&a->mu);
}

/* Hand w's buffer to the writer (after the one it holds is written) and
 * go on in the buffer it wrote last. */
static void
hand_over(struct jsonout *w)
{
	struct jsonout_async *a = w->as;
	char *buf;
	size_t cap;

	pthread_mutex_lock(&a->mu);
	while (a->busy)
		pthread_cond_wait(&a->cv, &a->mu);
	if (a->err != 0 && w->err == 0)
		w->err = a->err;
	buf = a->spare;
	cap = a->sparecap;
	a->spare = NULL;
	a->sparecap = 0;
	if (w->err == 0) {
		a->buf = w->buf;
		a->len = w->len;
		a->cap = w->cap;
		a->busy = 1;
		pthread_cond_broadcast(&a->cv);
	} else {
		/* Nothing more is written after an error. */
		free(buf);
		buf = w->buf;
		cap = w->cap;
	}
	pthread_mutex_unlock(&a->mu);
	w->buf = buf;
	w->cap = cap;
	w->len = 0;
}

void
jsonout_free(struct jsonout *w)
{
	struct jsonout_async *a;

	if (w == NULL)
		return;
	if ((a = w->as) != NULL) {
		pthread_mutex_lock(&a->mu);
		a->stop = 1;
		pthread_cond_broadcast(&a->cv);
		pthread_mutex_unlock(&a->mu);
		pthread_join(a->th, NULL);
		pthread_cond_destroy(&a->cv);
		pthread_mutex_destroy(&a->mu);
		free(a->spare);
		free(a->buf);
		free(a);
		w->as = NULL;
	}
	free(w->buf);
	w->buf = NULL;
	w->len = w->cap = 0;
}

/* The buffer out: to the writer thread, or written here (nothing more
 * after an error); either way w goes on with an empty buffer. */
static void
put(struct jsonout *w)
{
	if (w->as != NULL)
		hand_over(w);
	else if (w->err == 0 && fwrite(w->buf, 1, w->len, w->fp) != w->len)
		w->err = errno ? errno : EIO;
	w->len = 0;
}

int
jsonout_flush(struct jsonout *w)
{
	if (w->fp == NULL)
		return w->err ? -1 : 0;
	if (w->len > 0)
		put(w);
	if (w->as != NULL)
		drain(w);
	if (w->err == 0 && fflush(w->fp) != 0)
		w->err = errno ? errno : EIO;
	return w->err ? -1 : 0;
}

int
jsonout_put(struct jsonout *w)
{
	put(w);
	return w->err ? -1 : 0;
}

char *
jsonout_grow(struct jsonout *w, size_t n)
{
	if (w->cap - w->len < n) {
		size_t cap = w->cap ? w->cap : 4096;
		char *p;

		while (cap - w->len < n) {
			if (cap > SIZE_MAX / 2) {
				w->err = ENOMEM;
				return NULL;
			}
			cap *= 2;
		}
		if ((p = realloc(w->buf, cap)) == NULL) {
			w->err = ENOMEM;
			return NULL;
		}
		w->buf = p;
		w->cap = cap;
	}
	return w->buf + w->len;
}

void
jsonout_raw(struct jsonout *w, const char *s, size_t n)
{
	char *p;

	if ((p = jsonout_reserve(w, n)) == NULL)
		return;
	memcpy(p, s, n);
	w->len += n;
}

void
jsonout_cstr(struct jsonout *w, const char *s)
{
	jsonout_raw(w, s, strlen(s));
}

void
jsonout_char(struct jsonout *w, char c)
{
	char *p;

	if ((p = jsonout_reserve(w, 1)) == NULL)
		return;
	*p = c;
	w->len++;
}

/* Table 3-7 of the Unicode standard (see jsonout.h). */
long
jsonout_utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t need;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		need = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return -1;
	for (size_t i = 1; i < need; i++) {
		if (i >= n)
			return -(long)i;
		if (s[i] < lo || s[i] > hi)
			return -(long)i;
		lo = 0x80;
		hi = 0xbf;
	}
	return (long)need;
}

static const char REPL[] = "\xef\xbf\xbd";

size_t
jsonout_bad_utf8(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t bad = 0;
	long l;

	for (size_t i = 0; i < n; i += (size_t)(l > 0 ? l : -l))
		if ((l = u[i] < 0x80 ? 1 : jsonout_utf8_len(u + i, n - i)) < 0)
			bad++;
	return bad;
}

/* Bytes that jsonout_str() must look at: controls, '"', '\\' and non-ASCII. */
static inline int
json_special(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
}

/* Non-zero when one of the eight bytes at u is json_special(): the
 * zero-byte test for '"' and '\\' (exact for whether there is one), and
 * the high bits of the bytes below 0x20 or from 0x80. */
static inline uint64_t
jsonout_special8(const unsigned char *u)
{
	const uint64_t ones = 0x0101010101010101u, h = 0x8080808080808080u;
	uint64_t w, q, b;

	memcpy(&w, u, sizeof(w));
	q = w ^ (ones * '"');
	b = w ^ (ones * '\\');
	return (((q - ones) & ~q) | ((b - ones) & ~b) |
	    ((w - ones * 0x20) & ~w) | w) & h;
}

/* The UTF-8 sequence at s[*i] copied to p, or U+FFFD for a bad one (and
 * counted); *i moved past it.  Returns where p goes on. */
static inline char *
copy_utf8(struct jsonout *w, const char *s, size_t n, size_t *i, char *p)
{
	long l = jsonout_utf8_len((const unsigned char *)s + *i, n - *i);

	if (l > 0) {
		memcpy(p, s + *i, (size_t)l);
		*i += (size_t)l;
		return p + l;
	}
	memcpy(p, REPL, 3);
	*i += (size_t)-l;
	w->bad++;
	return p + 3;
}

void
jsonout_str(struct jsonout *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	char *p;

	/* Mostly nothing to escape: the bytes as they are, found so a
	 * word at a time (the last, short one padded with a plain byte). */
	if (n <= 64) {
		size_t k = 0;

		while (n - k >= 8 && jsonout_special8(u + k) == 0)
			k += 8;
		if (n - k < 8) {
			unsigned char t[8];

			memset(t, 'a', sizeof(t));
			memcpy(t, u + k, n - k);
			if (jsonout_special8(t) == 0) {
				if ((p = jsonout_reserve(w, n + 2)) == NULL)
					return;
				p[0] = '"';
				memcpy(p + 1, s, n);
				p[n + 1] = '"';
				w->len += n + 2;
				return;
			}
		}
	}
	/* Worst case: every byte a \u00XX escape. */
	if (n > (SIZE_MAX - 2) / 6 || (p = jsonout_reserve(w, 6 * n + 2)) == NULL) {
		w->err = ENOMEM;
		return;
	}
	*p++ = '"';
	while (i < n) {
		size_t j = i;
		unsigned char c;

		/* Eight bytes a step while none needs looking at (see
		 * jsonout_special8()), then byte by byte. */
		while (n - j >= 8 && jsonout_special8(u + j) == 0)
			j += 8;
		while (j < n && !json_special(u[j]))
			j++;
		memcpy(p, s + i, j - i);
		p += j - i;
		if ((i = j) >= n)
			break;
		c = u[i];
		if (c >= 0x80) {
			p = copy_utf8(w, s, n, &i, p);
			continue;
		}
		*p++ = '\\';
		switch (c) {
		case '"':  *p++ = '"'; break;
		case '\\': *p++ = '\\'; break;
		case '\b': *p++ = 'b'; break;
		case '\f': *p++ = 'f'; break;
		case '\n': *p++ = 'n'; break;
		case '\r': *p++ = 'r'; break;
		case '\t': *p++ = 't'; break;
		default:
			memcpy(p, "u00", 3);
			p[3] = hex[c >> 4];
			p[4] = hex[c & 15];
			p += 5;
			break;
		}
		i++;
	}
	*p++ = '"';
	w->len = (size_t)(p - w->buf);
}

void
jsonout_tsv(struct jsonout *w, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	char *p;

	if (n > (SIZE_MAX - 2) / 3 || (p = jsonout_reserve(w, 3 * n)) == NULL) {
		w->err = ENOMEM;
		return;
	}
	while (i < n) {
		unsigned char c = u[i];

		if (c >= 0x80) {
			p = copy_utf8(w, s, n, &i, p);
			continue;
		}
		switch (c) {
		case '\t': *p++ = '\\'; *p++ = 't'; break;
		case '\n': *p++ = '\\'; *p++ = 'n'; break;
		case '\r': *p++ = '\\'; *p++ = 'r'; break;
		case '\\': *p++ = '\\'; *p++ = '\\'; break;
		default:   *p++ = (char)c; break;
		}
		i++;
	}
	w->len = (size_t)(p - w->buf);
}

size_t
jsonout_digits(char *p, uint64_t v)
{
	static const char pairs[201] =
	    "0001020304050607080910111213141516171819"
	    "2021222324252627282930313233343536373839"
	    "4041424344454647484950515253545556575859"
	    "6061626364656667686970717273747576777879"
	    "8081828384858687888990919293949596979899";
	uint64_t x = v;
	size_t n = 1, i;

	while (x >= 10) {
		x /= 10;
		n++;
	}
	/* From the right, two digits a step. */
	for (i = n; v >= 100; v /= 100) {
		i -= 2;
		memcpy(p + i, pairs + 2 * (v % 100), 2);
	}
	if (v >= 10)
		memcpy(p, pairs + 2 * v, 2);
	else
		p[0] = (char)('0' + v);
	return n;
}

void
jsonout_u64(struct jsonout *w, uint64_t v)
{
	char *p;

	if ((p = jsonout_reserve(w, 20)) == NULL)
		return;
	w->len += jsonout_digits(p, v);
}

void
jsonout_i64(struct jsonout *w, int64_t v)
{
	if (v < 0) {
		jsonout_char(w, '-');
		/* Negate in unsigned arithmetic: -INT64_MIN overflows. */
		jsonout_u64(w, (uint64_t)0 - (uint64_t)v);
	} else
		jsonout_u64(w, (uint64_t)v);
}

/*
 * The fast path of jsonout_dtoa(): v a whole number of nanoseconds, m/1e9
 * with m < 10^15 (so 15 digits or fewer), 1e-4 <= |v| < 1e6 (where %g
 * writes no exponent), as the analysis's times and durations nearly always
 * are.  Such a v is the double nearest m/10^9, and a 15-digit decimal is
 * more than four ulps from the next, so m/10^9 is what %.15g prints (its
 * trailing zeros dropped, as %g does) and strtod reads back: the first
 * precision the general path tries.  Returns 0 when v is not such a value;
 * tests/jsonout.c checks it against the general path.
 */
static int
dtoa_ns(double v, char *buf)
{
	double a = fabs(v);
	char frac[10], ipd[8];
	long long m;
	uint32_t ip, fp;
	int n = 0, k;

	if (!(a >= 1e-4 && a < 1e6))
		return 0;
	m = llround(a * 1e9);
	if ((double)m / 1e9 != a)
		return 0;
	ip = (uint32_t)((uint64_t)m / 1000000000u);	/* < 10^6 */
	fp = (uint32_t)((uint64_t)m % 1000000000u);
	if (v < 0)
		buf[n++] = '-';
	k = 0;
	do
		ipd[k++] = (char)('0' + ip % 10);
	while ((ip /= 10) != 0);
	while (k > 0)
		buf[n++] = ipd[--k];
	buf[n] = '\0';
	if (fp != 0) {
		for (k = 8; k >= 0; k--, fp /= 10)
			frac[k] = (char)('0' + fp % 10);
		for (k = 9; frac[k - 1] == '0'; k--)
			;
		buf[n++] = '.';
		memcpy(buf + n, frac, (size_t)k);
		buf[n + k] = '\0';
	}
	return 1;
}

/* The general path: the shortest precision that strtod reads back bit for
 * bit (cJSON's own printer accepts a one-ulp difference, not exact). */
char *
jsonout_dtoa_general(double v, char *buf)
{
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, JSONOUT_DTOA_MAX, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return buf;
}

char *
jsonout_dtoa(double v, char *buf)
{
	if (!isfinite(v)) {
		strcpy(buf, "null");
		return buf;
	}
	if (dtoa_ns(v, buf))
		return buf;
	return jsonout_dtoa_general(v, buf);
}

void
jsonout_double(struct jsonout *w, double v)
{
	char buf[JSONOUT_DTOA_MAX];

	jsonout_cstr(w, jsonout_dtoa(v, buf));
}
