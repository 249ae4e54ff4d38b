/*
 * input: the reader.  Raw bytes in big blocks with read(2), their SHA-256
 * (OpenSSL EVP), gzip inflated transparently (zlib, detected by the magic
 * bytes 1f 8b, concatenated members), and lines split with memchr.
 *
 * Memory is flat: one block for raw input, one for inflated output, and one
 * line buffer that grows to the longest line seen, but never past the line
 * limit: a longer line is skipped as it streams by, never held whole.
 *
 * A struct input is owned by its opener and freed with input_close(); the line
 * handed out by input_next() points into the reader's buffer (or, for a file,
 * into the block the reader thread read, when the line lies whole in it: most
 * lines are never copied) and is valid only until the next call.
 */
#ifndef SKEW_INPUT_H
#define SKEW_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"

/* Lines longer than this (bytes before the newline, CR stripped) are
 * skipped as "line too long". */
#define INPUT_MAXLINE	((size_t)16 * 1024 * 1024)

/* How much of a too-long line input_next() keeps to show in messages. */
#define INPUT_PREFIX	256

enum input_status {
	INPUT_ERR = -1,	/* a read or inflate error; *d says which */
	INPUT_EOF = 0,	/* no more lines */
	INPUT_LINE = 1,	/* a line (possibly empty) */
	INPUT_TOOLONG = 2	/* a line over the limit: l->s holds its first bytes */
};

struct input_line {
	const char	*s;	/* the line without "\n" or "\r\n"; not NUL-ended */
	size_t		 n;
	uint64_t	 no;	/* 1-based line number */
	uint64_t	 full;	/* INPUT_TOOLONG: the line's whole length */
};

struct input;

/*
 * Open path ("-" is standard input, which is not closed by input_close()).
 * maxline is the line limit (0: INPUT_MAXLINE; tests pass a small one).
 * Returns NULL and fills *d (with d->err the errno) when it cannot be opened.
 */
struct input	*input_open(const char *path, size_t maxline, struct diag *d);

/* input_open_flags(): take no SHA-256 (inputs whose provenance travels in
 * their own records: skew's NDJSON). */
#define INPUT_NOHASH	0x01
struct input	*input_open_flags(const char *path, size_t maxline, int flags,
		    struct diag *d);

/* Open an in-memory buffer (tests, fuzzing); buf must outlive the reader. */
struct input	*input_open_mem(const void *buf, size_t n, size_t maxline,
		    struct diag *d);

void		 input_close(struct input *r);

/*
 * The next line.  Returns INPUT_LINE or INPUT_TOOLONG with *l filled,
 * INPUT_EOF at the end, or INPUT_ERR with *d filled: a read error is never
 * taken for the end of the input, and neither is a gzip stream cut short.
 */
int		 input_next(struct input *r, struct input_line *l, struct diag *d);

/* Bytes read so far, as stored (compressed, for gzip). */
uint64_t	 input_bytes(const struct input *r);

/*
 * Have fn(ctx, bytes) called with input_bytes() after each block of raw input
 * is taken (at most 1 MiB, 256 KiB from the reader thread), in the thread
 * that calls input_next(): progress on a terminal (progress.h), never per line.
 */
typedef void	input_tick_fn(void *ctx, uint64_t bytes);
void		 input_set_tick(struct input *r, input_tick_fn *fn, void *ctx);

/* Whether the input is a regular file, whose size is known beforehand. */
int		 input_regular(const struct input *r);

/* Whether the input is gzip-compressed (known after the first input_next). */
int		 input_gzip(const struct input *r);

/* The SHA-256 of all the bytes read, in lower-case hex; meaningful once
 * input_next() has returned INPUT_EOF.  Returns 0, or -1 with *d filled. */
int		 input_sha256(struct input *r, char hex[65], struct diag *d);

/* Whether a line is blank: empty, or only spaces and tabs. */
int		 input_blank(const char *s, size_t n);

/*
 * The one line loop for skew's records (skew-align's and skew-fit's
 * inputs): every line of path ("-": standard input) read through the
 * reader (gzip, the line limit, read errors never taken for the end),
 * handed to fn without its newline and CR, with d->src set to name and
 * d->line to the line's number.  Lines of only spaces and tabs are counted
 * in *blanks, not handed on.  The first fault stops the input: it cannot
 * be opened or read (d->line the line being read), a line is over
 * INPUT_MAXLINE, or fn returns -1.  Returns 0, or -1 with *d filled.
 */
typedef int	input_record_fn(void *ctx, const char *line, size_t n,
		    struct diag *d);
int		 input_records(const char *path, const char *name,
		    input_record_fn *fn, void *ctx, uint64_t *blanks,
		    struct diag *d);

/*
 * A whole input as text (skew-report's fit document), through the reader:
 * gzip inflated, lines ended by "\n" (CRs before them dropped), a NUL
 * after the last.  max is the line limit.  t->s is allocated (the caller
 * frees it); t->bytes and t->sha256 are of the input as stored.  Returns
 * 0, or -1 with *d filled (src set to name) and *t empty.
 */
struct input_text {
	char		*s;
	size_t		 n;
	uint64_t	 bytes;
	char		 sha256[65];
};
int		 input_slurp(const char *path, const char *name, size_t max,
		    struct input_text *t, struct diag *d);

#endif
