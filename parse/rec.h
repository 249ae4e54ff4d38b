/*
 * rec: one matched log line, and one input's provenance.
 *
 * A struct rec is transient: its string fields point into the line buffer
 * of the reader that produced it and are valid only until the next line is
 * read.  Whoever keeps a record (skew-align's event store) copies what it
 * needs.  A struct rec_input owns its first_skipped text (rec_input_free).
 */
#ifndef SKEW_REC_H
#define SKEW_REC_H

#include <stddef.h>
#include <stdint.h>

#include "ts.h"

enum rec_kind {
	REC_END = 0,	/* a request completing (the default) */
	REC_START	/* a request arriving / beginning */
};

struct rec_str {
	const char	*s;	/* NULL when the group was not captured */
	size_t		 n;
};

struct rec {
	const char	*src;	/* input name (--source), not owned */
	uint64_t	 line;	/* 1-based line number in src */
	struct ts	 t;	/* the time of record, exact */
	enum rec_kind	 kind;
	struct rec_str	 pid, tid, id;
	int		 has_dur;
	struct ts	 dur;	/* exact seconds, when has_dur */
};

/* The trailer after each input: provenance that travels with the data. */
struct rec_input {
	char		*src;		/* owned */
	uint64_t	 bytes;		/* as stored (compressed for gzip) */
	uint64_t	 lines;
	uint64_t	 events;
	uint64_t	 skipped;	/* lines that did not match, or too long */
	uint64_t	 blank;
	uint64_t	 bad_utf8;	/* invalid UTF-8 sequences, each one U+FFFD */
	uint64_t	 fold;		/* times in a DST fold (--tz) */
	char		*first_skipped;	/* "17: <text>" or NULL; owned */
	char		 sha256[65];	/* hex, of the bytes as stored */
};

void	rec_input_free(struct rec_input *in);	/* frees members, not *in */

#endif
