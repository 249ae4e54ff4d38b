/*
 * jsonin: reading skew's own records (trailers, events, requests, the align
 * record) with one set of messages, two ways:
 *
 * - out of a cJSON object (jsonin_type .. jsonin_unknown, jsonin_bytes):
 *   the reference reading, used for every line the fast paths do not take;
 * - in place, by the hand-written fast paths (struct jsonin_cur): each takes
 *   exactly the layout skew writes and hands anything else to cJSON, and
 *   each is tested against cJSON's reading of generated records.
 *
 * Nothing is allocated except by jsonin_bytes() (freed with
 * jsonin_bytes_free()): other strings returned point into the cJSON tree or
 * the line.
 */
#ifndef SKEW_JSONIN_H
#define SKEW_JSONIN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include <cJSON.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base/bytes.h"
#include "base/diag.h"
#include "base/ts.h"

/* "a string", "a number", "null", ..., or "nothing" for NULL. */
const char	*jsonin_type(const cJSON *j);

/*
 * The whole number at key, in [min, max] (max at most JSONIN_MAX: beyond 2^53
 * a double is not exact).  Absent and not required: *out is 0.  Returns 0,
 * or -1 with *d saying what was expected (DIAG_JSON).
 */
#define JSONIN_MAX	((uint64_t)1 << 53)
int	jsonin_count(const cJSON *o, const char *key, uint64_t min, uint64_t max,
	    int required, uint64_t *out, struct diag *d);

/* The string at key; absent or null and not required: *out is NULL.
 * For text that cannot hold a NUL (names, hashes, times). */
int	jsonin_str(const cJSON *o, const char *key, int required,
	    const char **out, struct diag *d);

/*
 * A string that may hold NUL bytes (identities, a skipped line's text).
 * cJSON ends its strings at the first NUL, so when the line holds one (as
 * a byte or as "\u0000") the value is decoded again from the line's text.
 * s is NULL when the key is absent or null and not required; own, when
 * set, is what s points into (jsonin_bytes_free() frees it).
 */
struct jsonin_bytes {
	const char	*s;
	size_t		 n;
	char		*own;
};

int	jsonin_bytes(const cJSON *o, const char *line, size_t n, const char *key,
	    int required, struct jsonin_bytes *out, struct diag *d);
void	jsonin_bytes_free(struct jsonin_bytes *b);

/*
 * The one JSON object on line[0..n) (only white space may follow it:
 * cJSON_ParseWithLength alone would stop after the value and ignore the
 * rest).  what names the records expected ("an event or an input
 * trailer").  Returns the tree (the caller frees it with cJSON_Delete), or
 * NULL with *d saying what was wrong.
 */
cJSON	*jsonin_parse(const char *line, size_t n, const char *what,
	    struct diag *d);

/* How many keys of o are not in known (NULL-terminated). */
uint64_t	jsonin_unknown(const cJSON *o, const char *const *known);

/*
 * The text of a value in a line cJSON has accepted, the one place skew
 * reads a value's text back from the line: a number's digits (cJSON keeps
 * numbers only as doubles, and durations, epochs and identities must stay
 * exact) or a string with its quotes.  jsonin_find() follows path[0..np)
 * through nested objects (path[0] a key of the top-level object, path[1]
 * one of its value's, ...); jsonin_raw() takes one top-level key.  Keys
 * are compared decoded, and the first member of a name is taken, as
 * cJSON_GetObjectItemCaseSensitive() does.  Returns 0, or -1 when the
 * path is not there.
 */
int	jsonin_find(const char *s, size_t n, const char *const *path,
	    size_t np, const char **v, size_t *vn);
int	jsonin_raw(const char *s, size_t n, const char *key, const char **v,
	    size_t *vn);

/*
 * A string's body s[0..n) (the text between its quotes) decoded into out,
 * which has room for n bytes (an escape is never shorter than what it
 * stands for).  Returns the length, or -1 on an escape cJSON refuses.
 */
ssize_t	jsonin_unescape(const char *s, size_t n, char *out);

/*
 * The fast paths' cursor over one line.  Each function consumes what it
 * reads and returns 1, or returns 0 having consumed nothing: the caller
 * then hands the whole line to cJSON.
 */
struct jsonin_cur {
	const char	*p, *end;
};

/* The cursor's functions are inline: they are the fast paths' inner
 * loops, run for every field of millions of lines. */
static inline __attribute__((always_inline)) int
jsonin_isdig(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Bytes of w (lowest byte first, as ts_ld8 reads) that are not a digit:
 * 0x80 set in each, exact up to the first (a byte past one may be
 * flagged falsely: ts_word_bad()'s carry). */
static inline __attribute__((always_inline)) uint64_t
jsonin_nondig8(uint64_t w)
{
	const uint64_t hi = 0xf0f0f0f0f0f0f0f0u, d0 = 0x3030303030303030u,
	    six = 0x0606060606060606u, lo7 = 0x7f7f7f7f7f7f7f7fu;
	uint64_t m = ((w & hi) ^ d0) | (((w + six) & hi) ^ d0);

	/* Any bit of a byte set: its 0x80. */
	return (((m & lo7) + lo7) | m) & ~lo7;
}

/* Past the run of digits at q (q <= e): eight at a time while eight are
 * there. */
static inline __attribute__((always_inline)) const char *
jsonin_digits(const char *q, const char *e)
{
#if defined(__SSE2__)
	/* Sixteen a step: a byte less '0' is a digit when it is at most 9. */
	while (e - q >= 16) {
		__m128i x = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)
		    (const void *)q), _mm_set1_epi8('0'));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		    _mm_min_epu8(x, _mm_set1_epi8(9)), x)) ^ 0xffffu;

		if (m != 0)
			return q + __builtin_ctz(m);
		q += 16;
	}
#endif
	while (e - q >= 8) {
		uint64_t m = jsonin_nondig8(ts_ld8(q));

		if (m != 0)
			return q + __builtin_ctzll(m) / 8;
		q += 8;
	}
	while (q < e && jsonin_isdig(*q))
		q++;
	return q;
}

/* The bytes s[0..n) (n <= 8, s a literal) as ts_ld8() reads them: a
 * constant, once inlined. */
static inline __attribute__((always_inline)) uint64_t
jsonin_word(const char *s, size_t n)
{
#define B(i)	(n > (i) ? (uint64_t)(unsigned char)s[i] << (8 * (i)) : 0)
	return B(0) | B(1) | B(2) | B(3) | B(4) | B(5) | B(6) | B(7);
#undef B
}

/* The mask of a word's first n bytes (n <= 8) as ts_ld8() reads them. */
static inline __attribute__((always_inline)) uint64_t
jsonin_mask(size_t n)
{
	return n >= 8 ? ~UINT64_C(0) : (UINT64_C(1) << (8 * n)) - 1;
}

/*
 * The literal s[0..n) at the cursor, consumed: n a constant (every use is
 * JSONIN_LIT's).  Up to 16 bytes with 16 to read, the line's one or two
 * words are read whole, masked to the literal's n bytes and compared with
 * constants (a copy of five or seven bytes would be three loads); else
 * bytes_same(), with constants too, no call below 65 bytes.
 */
static inline __attribute__((always_inline)) int
jsonin_lit(struct jsonin_cur *c, const char *s, size_t n)
{
	if (n <= 16 && c->end - c->p >= 16) {
		uint64_t x = (ts_ld8(c->p) ^ jsonin_word(s, n < 8 ? n : 8)) &
		    jsonin_mask(n);

		if (n > 8)
			x |= (ts_ld8(c->p + 8) ^ jsonin_word(s + 8, n - 8)) &
			    jsonin_mask(n - 8);
		if (x != 0)
			return 0;
	} else if ((size_t)(c->end - c->p) < n || !bytes_same(c->p, s, n))
		return 0;
	c->p += n;
	return 1;
}

/* Bytes of w that end a plain string's body or refuse it: '"', '\\' or a
 * control character; 0x80 set in each, exact up to the first. */
static inline __attribute__((always_inline)) uint64_t
jsonin_special8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101u, h = 0x8080808080808080u;
	uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');

	return (((q - ones) & ~q) | ((b - ones) & ~b) |
	    ((w - ones * 0x20) & ~w)) & h;
}

/* A string's body after its opening quote, up to and past the closing
 * one: plain bytes only, no escapes and no control characters. */
static inline __attribute__((always_inline)) int
jsonin_plain(struct jsonin_cur *c, const char **s, size_t *n)
{
	const char *q = c->p;

	/* Sixteen or eight bytes a step to the first that is not plain
	 * (the masks are exact up to it), which must be the closing
	 * quote; the last few bytes one at a time. */
#if defined(__SSE2__)
	while (c->end - q >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)q);
		__m128i bad = _mm_or_si128(_mm_or_si128(
		    _mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
		    _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
		    _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1f)), x));
		unsigned m = (unsigned)_mm_movemask_epi8(bad);

		if (m != 0) {
			q += __builtin_ctz(m);
			goto found;
		}
		q += 16;
	}
#endif
	while (c->end - q >= 8) {
		uint64_t m = jsonin_special8(ts_ld8(q));

		if (m != 0) {
			q += __builtin_ctzll(m) / 8;
			goto found;
		}
		q += 8;
	}
	while (q < c->end && *q != '"') {
		if (*q == '\\' || (unsigned char)*q < 0x20)
			return 0;
		q++;
	}
	if (q == c->end)
		return 0;
found:
	if (*q != '"')
		return 0;
	*s = c->p;
	*n = (size_t)(q - c->p);
	c->p = q + 1;
	return 1;
}

/* A JSON number by the grammar (RFC 8259):
 * -?(0|[1-9]d*)(.d+)?([eE][+-]?d+)? */
static inline __attribute__((always_inline)) int
jsonin_number(struct jsonin_cur *c, const char **s, size_t *n)
{
	const char *q = c->p, *e = c->end;

#if defined(__SSE2__)
	/* The usual number, "1698880204.806247": its digits, a '.' and
	 * its fraction found in one mask of 32 bytes (a byte not a digit
	 * sets its bit).  A sign, a leading zero, an exponent, a number
	 * as long, or a line's last 32 bytes: the grammar below. */
	if (e - q >= 32 && *q >= '1' && *q <= '9') {
		const __m128i z = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9);
		__m128i x = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)
		    (const void *)q), z), y = _mm_sub_epi8(_mm_loadu_si128(
		    (const __m128i *)(const void *)(q + 16)), z);
		uint32_t m = ~((uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(
		    _mm_min_epu8(x, nine), x)) | (uint32_t)_mm_movemask_epi8(
		    _mm_cmpeq_epi8(_mm_min_epu8(y, nine), y)) << 16);
		const char *t;

		if (m != 0) {
			t = q + __builtin_ctz(m);
			/* A fraction: at least a digit, then its end. */
			if (*t == '.' && (m &= m - 1) != 0 &&
			    __builtin_ctz(m) > t - q + 1)
				t = q + __builtin_ctz(m);
			if (*t != '.' && *t != 'e' && *t != 'E') {
				*s = q;
				*n = (size_t)(t - q);
				c->p = t;
				return 1;
			}
		}
	}
#endif
	if (q < e && *q == '-')
		q++;
	if (q < e && *q == '0')
		q++;
	else if (q < e && jsonin_isdig(*q))
		q = jsonin_digits(q, e);
	else
		return 0;
	if (q < e && *q == '.') {
		if (++q == e || !jsonin_isdig(*q))
			return 0;
		q = jsonin_digits(q, e);
	}
	if (q < e && (*q == 'e' || *q == 'E')) {
		if (++q < e && (*q == '+' || *q == '-'))
			q++;
		if (q == e || !jsonin_isdig(*q))
			return 0;
		q = jsonin_digits(q, e);
	}
	*s = c->p;
	*n = (size_t)(q - c->p);
	c->p = q;
	return 1;
}

/* The number of the eight digits in w (its lowest byte the first, as
 * ts_ld8 reads them): pairs, fours, then the eight, a multiply each. */
static inline __attribute__((always_inline)) uint64_t
jsonin_eight(uint64_t w)
{
	w -= 0x3030303030303030u;
	w = (w * 10 + (w >> 8)) & 0x00ff00ff00ff00ffu;
	w = (w * 100 + (w >> 16)) & 0x0000ffff0000ffffu;
	return (w * 10000 + (w >> 32)) & 0xffffffffu;
}

/* A whole number of at most 15 digits, no leading zero and no sign (so
 * that cJSON's double holds it exactly), into *v. */
static inline __attribute__((always_inline)) int
jsonin_whole(struct jsonin_cur *c, uint64_t *v)
{
	const char *q = c->p, *e = c->end, *t;
	uint64_t x = 0, m;
	size_t k;
#if !defined(__SSE2__)
	uint64_t w;
#endif

	/* Fewer than eight digits, as most are, with sixteen bytes to read:
	 * found in one compare, read from the first eight moved to the top
	 * of a word, '0's below them. */
#if defined(__SSE2__)
	if (e - q >= 16) {
		__m128i d = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)
		    (const void *)q), _mm_set1_epi8('0'));

		m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(d,
		    _mm_set1_epi8(9)), d)) ^ 0xffffu;
		k = (size_t)__builtin_ctzll(m | 0x10000u);
		if (k - 1 < 7) {
			t = q + k;
			if ((*q == '0' && k > 1) || *t == '.' || *t == 'e' ||
			    *t == 'E')
				return 0;
			*v = jsonin_eight(ts_ld8(q) << (8 * (8 - k)) |
			    UINT64_C(0x3030303030303030) >> (8 * k));
			c->p = t;
			return 1;
		}
	}
#else
	if (e - q >= 8 && (m = jsonin_nondig8(w = ts_ld8(q))) != 0) {
		k = (size_t)__builtin_ctzll(m) / 8;
		t = q + k;
		if (k == 0 || (*q == '0' && k > 1) ||
		    *t == '.' || *t == 'e' || *t == 'E')
			return 0;
		*v = jsonin_eight(w << (8 * (8 - k)) |
		    UINT64_C(0x3030303030303030) >> (8 * k));
		c->p = t;
		return 1;
	}
#endif
	t = jsonin_digits(q, e);
	k = (size_t)(t - q);
	/* More digits (a leading zero's, or past 15), a fraction or an
	 * exponent: cJSON's to read. */
	if (k == 0 || k > 15 || (*q == '0' && k > 1) ||
	    (t < e && (*t == '.' || *t == 'e' || *t == 'E')))
		return 0;
	/* Up to eight digits with eight bytes to read: moved to the top
	 * of a word, '0's below them. */
	if (k <= 8 && e - q >= 8)
		x = jsonin_eight(ts_ld8(q) << (8 * (8 - k)) |
		    (k < 8 ? UINT64_C(0x3030303030303030) >> (8 * k) : 0));
	else
		for (; q < t; q++)
			x = x * 10 + (uint64_t)(*q - '0');
	*v = x;
	c->p = t;
	return 1;
}

/*
 * A time in skew's own UTC shape, "YYYY-MM-DDTHH:MM:SS[.f]Z" with 1 to 9
 * fraction digits, whose first 16 bytes are the minute memo m holds: what
 * ts_parse(s, n, TS_ISO with m) gives for it, without its call (the memo's
 * minute was checked when the memo took it; the memo is unchanged, as
 * ts_parse leaves it on a hit).  Returns 1 with *t set, or 0 for anything
 * else (another minute, second 60, a ',' or an offset, a fault), for the
 * caller to give to ts_parse().
 */
static inline __attribute__((always_inline)) int
jsonin_iso_memo(const char *s, size_t n, const struct ts_memo *m,
    struct ts *t)
{
	const uint64_t zeros = 0x3030303030303030u;
	uint64_t w, ns = 0;
	uint32_t sec;
	size_t nd = 0;
	int64_t at;

	if (n < 20 || n > 30 || !m->ok || m->key[0] != ts_ld8(s) ||
	    m->key[1] != ts_ld8(s + 8) || s[16] != ':' || s[n - 1] != 'Z' ||
	    !jsonin_isdig(s[17]) || !jsonin_isdig(s[18]))
		return 0;
	sec = (uint32_t)(s[17] - '0') * 10 + (uint32_t)(s[18] - '0');
	if (sec > 59)
		return 0;
	if (n > 20) {
		if (s[19] != '.' || n == 21)
			return 0;
		nd = n - 21;
		/* The first eight digits, '0's after fewer (the last eight
		 * bytes before the 'Z' moved down: nothing read past s[n]),
		 * as one number of eight digits, then the ninth. */
		if (nd >= 8)
			w = ts_ld8(s + 20);
		else
			w = ts_ld8(s + n - 9) >> (8 * (8 - nd)) |
			    zeros << (8 * nd);
		if (jsonin_nondig8(w) != 0 ||
		    (nd == 9 && !jsonin_isdig(s[28])))
			return 0;
		ns = jsonin_eight(w) * 10 +
		    (nd == 9 ? (uint64_t)(s[28] - '0') : 0);
	}
	at = m->base + (int64_t)sec;
	if (at < TS_SEC_MIN || at > TS_SEC_MAX)
		return 0;
	t->sec = at;
	t->nsec = (int32_t)ns;
	t->digits = (uint8_t)nd;
	t->flags = 0;
	return 1;
}

/*
 * A time in quotes, its opening quote read, in skew's own shape and the
 * memo's minute (jsonin_iso_memo()), up to and past its closing quote:
 * the first quote in the 16 bytes after the minute (the minute's bytes
 * are the memo's, none a quote, a backslash or a control character; the
 * rest jsonin_iso_memo() reads, each a digit, ':', '.' or 'Z').  Returns
 * 1 with *t set, or 0 having consumed nothing: jsonin_plain() and
 * ts_parse() decide.
 */
static inline __attribute__((always_inline)) int
jsonin_iso_quoted(struct jsonin_cur *c, const struct ts_memo *m,
    struct ts *t)
{
	const char *s = c->p;
	uint64_t w;
	size_t n;

	if (c->end - s < 32)
		return 0;
#if defined(__SSE2__)
	/* The first quote: the bytes before it jsonin_iso_memo() reads
	 * one by one, none of them a backslash or a control character. */
	if ((w = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(
	    (const __m128i *)(const void *)(s + 16)),
	    _mm_set1_epi8('"')))) != 0)
		n = 16 + (size_t)__builtin_ctzll(w);
	else
		return 0;
#else
	if ((w = jsonin_special8(ts_ld8(s + 16))) != 0)
		n = 16 + (size_t)__builtin_ctzll(w) / 8;
	else if ((w = jsonin_special8(ts_ld8(s + 24))) != 0)
		n = 24 + (size_t)__builtin_ctzll(w) / 8;
	else
		return 0;
#endif
	if (s[n] != '"' || !jsonin_iso_memo(s, n, m, t))
		return 0;
	c->p = s + n + 1;
	return 1;
}

#define JSONIN_LIT(c, s)	jsonin_lit((c), (s), sizeof(s) - 1)

#endif
