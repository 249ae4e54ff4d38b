/*
 * trailer: one input's provenance, the record written after its events
 * ({"kind":"input",...}), written and read back here only.
 *
 * A struct trailer owns its first_skipped text and options
 * (trailer_free()).
 */
#ifndef SKEW_TRAILER_H
#define SKEW_TRAILER_H

#include <stddef.h>
#include <stdint.h>

#include "base/ts.h"

/*
 * Why a line was skipped: the fixed, documented set of codes (skew-parse(1),
 * SKIPPED LINES) a trailer counts under "skip_reasons".  The order is the
 * order they are written in; new codes go at the end.
 */
enum skip_code {
	SKIP_TOO_LONG = 0,	/* longer than the line limit */
	SKIP_NO_MATCH,		/* does not match the format or pattern */
	SKIP_LIMIT,		/* PCRE2 gave up within its limits */
	SKIP_NO_TIMESTAMP,	/* the ts group captured nothing */
	SKIP_BAD_TIMESTAMP,	/* the time's text is not a valid time */
	SKIP_BAD_KIND,		/* a kind that is neither start nor end */
	SKIP_BAD_DUR,		/* a dur that is not a duration */
	SKIP_BAD_STATUS,	/* a status that is not 100-599 */
	SKIP_NOT_JSON,		/* -f json: not one JSON object */
	SKIP_NO_TS_KEY,		/* -f json: none of the time's keys */
	SKIP_BAD_FIELD,		/* -f json: a field of the wrong JSON type */
	SKIP_NCODES
};

/* The code's name as written ("no_match"), or NULL past the end. */
const char	*skip_name(enum skip_code c);

/* The count and first line of one code; count 0: none. */
struct skip_reason {
	uint64_t	 count;
	uint64_t	 first_line;
};

/* The trailer after each input: provenance that travels with the data. */
struct trailer {
	char		*src;		/* owned */
	uint64_t	 bytes;		/* as stored (compressed for gzip) */
	uint64_t	 lines;
	uint64_t	 events;
	uint64_t	 skipped;	/* lines that did not match, or too long */
	uint64_t	 blank;
	uint64_t	 bad_utf8;	/* invalid UTF-8 sequences, each one U+FFFD */
	uint64_t	 fold;		/* times in a DST fold (--tz) */
	char		*first_skipped;	/* "17: <text>" or NULL; owned */
	size_t		 first_skipped_n;	/* its length: the text may
					 * hold NUL bytes */
	uint64_t	 first_skipped_line;	/* its line; 0: none */
	char		 sha256[65];	/* hex, of the bytes as stored */
	char		**opts;		/* skew-parse's options that read it,
					 * "--from=ts", owned; NULL: unknown */
	size_t		 nopts;
	struct skip_reason	 reasons[SKIP_NCODES];	/* per code; their
					 * counts sum to skipped when known */
	int		 incomplete;	/* its source never wrote it: made up
					 * from the events seen; written
					 * "complete": false */
};

struct cJSON;
struct jsonout;

void	trailer_free(struct trailer *in);	/* frees members, not *in */

/* *dst becomes a deep copy of *src (free it with trailer_free()).
 * Returns 0, or -1 with *d filled (out of memory; *dst then empty). */
int	trailer_copy(struct trailer *dst, const struct trailer *src,
	    struct diag *d);

/* Set in->opts to a copy of opts[0..n).  Returns 0, or -1 (*d filled). */
int	trailer_set_opts(struct trailer *in, const char *const *opts,
	    size_t n, struct diag *d);

/*
 * The trailer record as one NDJSON line, newline included, in the
 * contract's key order, then skew's own keys: bad_utf8, fold, options
 * when known, and "complete": false for a trailer made up by skew-align
 * for events whose own trailer never came (sha256 then null).  Every program that writes trailers writes them here, so
 * they pass through skew-align byte for byte.
 */
void	trailer_write(struct jsonout *w, const struct trailer *in);

/*
 * Read a trailer record (a cJSON object whose "kind" is "input") into *in,
 * every string copied (free with trailer_free()).  src, bytes, lines,
 * events and skipped are required; blank, bad_utf8 and fold default to 0,
 * first_skipped and sha256 to none, options to unknown, and
 * first_skipped_line (older trailers lack it) to the number
 * first_skipped's text begins with, complete to true.  line[0..n) is the record's
 * text, for first_skipped's NUL bytes (see jsonin_bytes()).  Keys it does not
 * know are counted in *unknown (may be NULL).  Returns 0, or -1 with *d
 * saying which key is wrong (DIAG_JSON) and *in empty.
 */
int	trailer_read(const struct cJSON *o, const char *line, size_t n,
	    struct trailer *in, uint64_t *unknown, struct diag *d);

#endif
