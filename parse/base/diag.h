/*
 * diag: how a library call says what went wrong.
 *
 * Library functions never print and never exit: on failure they return -1
 * (or NULL) and fill a caller-owned struct diag.  The codes and their words
 * live here and in diag.c only, so every program words an error the same way.
 * A struct diag owns no memory; its text is copied into a fixed buffer.
 */
#ifndef SKEW_DIAG_H
#define SKEW_DIAG_H

#include <stddef.h>

enum diag_code {
	DIAG_OK = 0,
	DIAG_IO,	/* a read or write failed; errno is in err */
	DIAG_NOMEM,	/* an allocation failed */
	DIAG_USAGE,	/* an option or argument is malformed */
	DIAG_PATTERN,	/* a PCRE2 pattern does not compile or lacks a group */
	DIAG_TS,	/* a timestamp is malformed or impossible */
	DIAG_NOMATCH,	/* a line does not match the format */
	DIAG_TOOLONG,	/* a line is longer than the limit */
	DIAG_JSON,	/* an input record is not the JSON expected */
	DIAG_DATA,	/* the data cannot be analysed as asked */
	DIAG_NCODES
};

struct diag {
	enum diag_code	 code;
	int		 err;		/* errno, or 0 */
	const char	*src;		/* input name, or NULL; not owned */
	unsigned long	 line;		/* 1-based line, or 0 when none */
	size_t		 col;		/* 1-based column, or 0 when none */
	char		 msg[512];	/* what was expected, in words */
};

/* The word for a code, e.g. "invalid timestamp".  Never NULL. */
const char	*diag_name(enum diag_code code);

/* Reset every field of *d: DIAG_OK, no message, no source or line. */
void		 diag_clear(struct diag *d);

/*
 * Fill *d with code and a printf-style message; keeps d->src and d->line
 * as they are so a caller can set them once per input.  Returns -1 so that
 * a library function can say `return diag_set(d, ...);`.  d may be NULL.
 */
int		 diag_set(struct diag *d, enum diag_code code, const char *fmt,
		    ...) __attribute__((format(printf, 3, 4)));

/*
 * Quote at most max bytes of s[0..n) for a message: printable ASCII as is,
 * anything else as \xHH, "..." appended when cut.  Writes a NUL-terminated
 * string into out (outsz bytes) and returns out.
 */
char		*diag_quote(char *out, size_t outsz, const char *s, size_t n,
		    size_t max);

#endif
