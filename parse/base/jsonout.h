/*
 * jw: the JSON (and TSV) writer for per-line records, the hot path.
 *
 * Records are written straight into one growing output buffer, flushed to a
 * FILE when it passes a threshold: no tree, and no allocation once the
 * buffer has reached its working size.  A struct jw is owned by its caller;
 * jw_free() releases the buffer (and does not close the FILE).
 *
 * Write errors are sticky: they are remembered in w->err (an errno) and
 * reported by jw_flush(), so callers check once at the end of a record or
 * of the output.
 *
 * jw_async() moves the writing to a thread of its own: a full buffer is
 * handed to it and the records go on into a second one, so that copying
 * the output into the kernel overlaps making it.  The FILE is then the
 * writer's until jw_flush() returns (which waits for it) or jw_free().
 */
#ifndef SKEW_JW_H
#define SKEW_JW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct jw_async;

struct jw {
	char	*buf;
	size_t	 len;
	size_t	 cap;
	FILE	*fp;	/* NULL: accumulate only (tests, in-memory use) */
	int	 err;	/* errno of the first failed write or allocation */
	size_t	 bad;	/* invalid UTF-8 sequences, each written as one U+FFFD */
	struct jw_async *as;	/* the writer thread, or NULL */
};

void	jw_init(struct jw *w, FILE *fp);

/* Stops the writer thread, if any, after what it holds is written, and
 * frees the buffers. */
void	jw_free(struct jw *w);

/*
 * Write w's output from a thread of its own (w->fp must be set).  Returns
 * 0, or -1 when no thread can be had: w then writes in the caller's thread
 * as before, which is slower but the same.
 */
int	jw_async(struct jw *w);

/* Write out what is buffered.  Returns 0, or -1 with w->err set. */
int	jw_flush(struct jw *w);

/* Flush when the buffer holds more than a working size; call per record. */
int	jw_maybe_flush(struct jw *w);

/* Make room for n more bytes; returns a pointer to them or NULL (w->err).
 * The room is there nearly always: only growing is out of line. */
char	*jw_grow(struct jw *w, size_t n);

static inline char *
jw_reserve(struct jw *w, size_t n)
{
	if (w->cap - w->len >= n)
		return w->buf + w->len;
	return jw_grow(w, n);
}

void	jw_raw(struct jw *w, const char *s, size_t n);
void	jw_cstr(struct jw *w, const char *s);	/* raw, NUL-terminated */
void	jw_char(struct jw *w, char c);

/*
 * s[0..n) as a quoted JSON string: control characters escaped as JSON
 * requires, bytes that are not UTF-8 replaced by U+FFFD and counted in
 * w->bad (each maximal invalid subpart once, as the Unicode standard
 * recommends).
 */
void	jw_str(struct jw *w, const char *s, size_t n);

/*
 * The one UTF-8 validator: the length of the well-formed sequence at
 * s[0..n) (n > 0), or, when it is not well formed, minus the length of its
 * maximal subpart (at least 1), so that a writer puts one U+FFFD per
 * maximal subpart (Unicode 15, 3.9, U+FFFD substitution of maximal
 * subparts).
 */
long	jw_utf8_len(const unsigned char *s, size_t n);

/* How many U+FFFD jw_str() would write for s[0..n), without writing. */
size_t	jw_bad_utf8(const char *s, size_t n);

/* s[0..n) as a TSV field: tab, newline, CR and backslash written \t \n \r
 * \\; invalid UTF-8 as U+FFFD, counted as in jw_str(). */
void	jw_tsv(struct jw *w, const char *s, size_t n);

void	jw_u64(struct jw *w, uint64_t v);
void	jw_i64(struct jw *w, int64_t v);

/* A finite double in the shortest of %.15g/%.16g/%.17g that reads back bit
 * for bit; "null" when it is not finite (callers must not let that happen). */
void	jw_double(struct jw *w, double v);

/* The same into buf (at least JW_DTOA_MAX bytes); returns buf.  For
 * cJSON_AddRawToObject() in documents built with cJSON. */
#define JW_DTOA_MAX	32
char	*jw_dtoa(double v, char *buf);

#endif
