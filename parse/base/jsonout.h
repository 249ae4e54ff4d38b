/*
 * jsonout: the JSON (and TSV) writer for per-line records, the hot path.
 *
 * Records are written straight into one growing output buffer, flushed to a
 * FILE when it passes a threshold: no tree, and no allocation once the
 * buffer has reached its working size.  A struct jsonout is owned by its
 * caller; jsonout_free() releases the buffer (and does not close the FILE).
 *
 * Write errors are sticky: they are remembered in w->err (an errno) and
 * reported by jsonout_flush(), so callers check once at the end of a record or
 * of the output.
 *
 * jsonout_async() moves the writing to a thread of its own: a full buffer is
 * handed to it and the records go on into a second one, so that copying the
 * output into the kernel overlaps making it.  The FILE is then the writer's
 * until jsonout_flush() returns (which waits for it) or jsonout_free().
 */
#ifndef SKEW_JSONOUT_H
#define SKEW_JSONOUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct jsonout_async;

struct jsonout {
	char	*buf;
	size_t	 len;
	size_t	 cap;
	FILE	*fp;	/* NULL: accumulate only (tests, in-memory use) */
	int	 err;	/* errno of the first failed write or allocation */
	size_t	 bad;	/* invalid UTF-8 sequences, each written as one U+FFFD */
	struct jsonout_async *as;	/* the writer thread, or NULL */
};

void	jsonout_init(struct jsonout *w, FILE *fp);

/* Stops the writer thread, if any, after what it holds is written, and
 * frees the buffers. */
void	jsonout_free(struct jsonout *w);

/*
 * Write w's output from a thread of its own (w->fp must be set).  Returns
 * 0, or -1 when no thread can be had: w then writes in the caller's thread
 * as before, which is slower but the same.
 */
int	jsonout_async(struct jsonout *w);

/* Write out what is buffered.  Returns 0, or -1 with w->err set. */
int	jsonout_flush(struct jsonout *w);

/* The working size of the buffer, past which it is written out. */
#define JSONOUT_FLUSH_AT	(1024 * 1024)

/* jsonout_maybe_flush()'s writing, out of line. */
int	jsonout_put(struct jsonout *w);

/* Flush when the buffer holds more than a working size; call per record.
 * Returns 0, or -1 with w->err set. */
static inline int
jsonout_maybe_flush(struct jsonout *w)
{
	if (w->fp != NULL && w->len >= JSONOUT_FLUSH_AT)
		return jsonout_put(w);
	return w->err ? -1 : 0;
}

/* Make room for n more bytes; returns a pointer to them or NULL (w->err).
 * The room is there nearly always: only growing is out of line. */
char	*jsonout_grow(struct jsonout *w, size_t n);

static inline char *
jsonout_reserve(struct jsonout *w, size_t n)
{
	if (w->cap - w->len >= n)
		return w->buf + w->len;
	return jsonout_grow(w, n);
}

/* The decimal digits of v at p (room for 20); returns how many. */
size_t	jsonout_digits(char *p, uint64_t v);

void	jsonout_raw(struct jsonout *w, const char *s, size_t n);
void	jsonout_cstr(struct jsonout *w, const char *s);	/* raw, NUL-terminated */
void	jsonout_char(struct jsonout *w, char c);

/*
 * s[0..n) as a quoted JSON string: control characters escaped as JSON
 * requires, bytes that are not UTF-8 replaced by U+FFFD and counted in
 * w->bad (each maximal invalid subpart once, as the Unicode standard
 * recommends).
 */
void	jsonout_str(struct jsonout *w, const char *s, size_t n);

/*
 * The one UTF-8 validator: the length of the well-formed sequence at
 * s[0..n) (n > 0), or, when it is not well formed, minus the length of its
 * maximal subpart (at least 1), so that a writer puts one U+FFFD per
 * maximal subpart (Unicode 15, 3.9, U+FFFD substitution of maximal
 * subparts).
 */
long	jsonout_utf8_len(const unsigned char *s, size_t n);

/* How many U+FFFD jsonout_str() would write for s[0..n), without writing. */
size_t	jsonout_bad_utf8(const char *s, size_t n);

/* s[0..n) as a TSV field: tab, newline, CR and backslash written \t \n \r
 * \\; invalid UTF-8 as U+FFFD, counted as in jsonout_str(). */
void	jsonout_tsv(struct jsonout *w, const char *s, size_t n);

void	jsonout_u64(struct jsonout *w, uint64_t v);
void	jsonout_i64(struct jsonout *w, int64_t v);

/* A finite double in the shortest of %.15g/%.16g/%.17g that reads back bit
 * for bit; "null" when it is not finite (callers must not let that happen). */
void	jsonout_double(struct jsonout *w, double v);

/* The same into buf (at least JSONOUT_DTOA_MAX bytes); returns buf.  For
 * cJSON_AddRawToObject() in documents built with cJSON. */
#define JSONOUT_DTOA_MAX	32
char	*jsonout_dtoa(double v, char *buf);

/* The same by snprintf/strtod alone, for a finite v: the reference the
 * fast path for whole nanoseconds is tested against. */
char	*jsonout_dtoa_general(double v, char *buf);

#endif
