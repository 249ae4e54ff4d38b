/*
 * parser: the per-input driver of skew-parse, and the library entry point the
 * one-process `skew` program uses.  It reads an input (input.h), matches
 * each line (format.h), reads its timestamp (base/ts.h) and hands each event
 * to a callback as a struct record; what happens to the events (NDJSON, TSV,
 * an event store) is the caller's business.  The per-line path allocates
 * nothing.
 *
 * A struct parser is created once from the options (the format is compiled
 * once) and freed with parser_free(); it is not to be shared between threads.
 *
 * Lines are counted as one of: an event, skipped (did not match, or could
 * not be matched within PCRE2's limits; bad timestamp, unknown kind, bad
 * duration, bad status, too long; each counted under its code, enum
 * skip_code), or blank (empty or only spaces and tabs).
 * events + skipped + blank == lines.
 */
#ifndef SKEW_PARSER_H
#define SKEW_PARSER_H

#include <stddef.h>

#include "base/diag.h"
#include "record.h"
#include "trailer.h"
#include "base/ts.h"

enum parser_dur_unit {
	PARSER_DUR_S = 0,
	PARSER_DUR_MS,
	PARSER_DUR_US,
	PARSER_DUR_NS
};

struct parser_opt {
	const char	*format;	/* -f: a preset's name, "auto" (chosen
					 * per input from its first lines,
					 * detect.h) or "auto:NAME" (that
					 * reading of detect.h); NULL: "auto" */
	const char	*pattern;	/* custom PCRE2 pattern (-e), or NULL;
					 * setting both is a usage error */
	int		 kind_given;	/* --kind given: kind overrides the
					 * format's default */
	enum record_kind	 kind;
	const char	*tz;		/* --tz for naive times; NULL: UTC */
	int		 year;		/* --year (syslog); 0: not given */
	enum parser_dur_unit dur_unit;	/* how a dur group is read */
	int		 strict;	/* stop at the first skipped line */
	const char	*source;	/* the name of standard input; NULL:
					 * "stdin" */
	size_t		 maxline;	/* 0: INPUT_MAXLINE (16 MiB) */
	const char *const *fields;	/* -f json's --field maps, "NAME=KEY"
					 * (see jsonline.h); not copied */
	size_t		 nfields;
	/*
	 * --time-format (base/timefmt.h): with -e, how the ts group is read
	 * (all of it); alone (no -e, no -f), a line is an event when the
	 * format reads at its start.  NULL: none.
	 */
	const char	*time_format;
	const char	*date;		/* --date YYYY-MM-DD, or NULL */
	const struct ts_abbr *tz_abbrev;	/* --tz-abbrev, copied */
	size_t		 ntz_abbrev;
};

struct parser;

/*
 * Compile the format, resolve the zone.  Returns NULL with *d filled:
 * DIAG_USAGE (unknown preset or reading, both -f and -e, --time-format
 * with -f, a bad --time-format or --date, syslog or a --time-format
 * without a year and without --year (with -f auto: when the input is
 * read, with d->src set), a time of day alone without --date, a year
 * outside 1970-9999, a bad zone) or DIAG_PATTERN.  The option strings need
 * not outlive the call, except o->source.
 */
struct parser	*parser_new(const struct parser_opt *o, struct diag *d);
void		 parser_free(struct parser *p);

/*
 * Parse one input: path is a file name or "-" for standard input (gzip
 * read transparently).  srcname names it in records and messages; NULL
 * means path, or the option's source for "-".  on_rec is called once per
 * event; the record and its strings are valid only during the call; a
 * non-zero return stops the input (parser_input then returns -1 with *d
 * saying "stopped", unless on_rec's own state says more).
 *
 * *summary is reset and filled (the caller frees it with
 * trailer_free()); d->src points at summary->src.  Returns 0, or -1 with
 * *d filled:
 *   DIAG_IO       the input cannot be opened or read (d->err) or is not
 *                 valid gzip; summary->sha256 is empty;
 *   DIAG_NOMATCH  with d->line 0: the input was read to its end but no line
 *                 matched (almost always the wrong format); summary is
 *                 complete, with its sha256;
 *   DIAG_NOMATCH, DIAG_TS, DIAG_TOOLONG with d->line set: --strict and
 *                 that line was skipped (a line PCRE2 gave up on within
 *                 its limits included); summary->sha256 is empty;
 *   DIAG_PATTERN  PCRE2 failed while matching, other than by a limit;
 *   DIAG_USAGE    with d->line set: the input is refused as a whole at
 *                 that line (a time with no year and no --year, a zone
 *                 abbreviation not told: see ts_resolve()).
 * An empty input, or one with only blank lines, is not an error.
 */
int		 parser_input(struct parser *p, const char *path, const char *srcname,
		    int (*on_rec)(void *ctx, const struct record *r), void *ctx,
		    struct trailer *summary, struct diag *d);

/*
 * Report progress on pg (progress.h; NULL: none) while parser_input() reads
 * a regular file: bytes as input.c reads its blocks, and the events so far.
 * pg is not owned and must outlive the inputs read.
 */
struct progress;
void		 parser_set_progress(struct parser *p, struct progress *pg);

/* The same over the n bytes at buf (tests, fuzzing); buf may be gzip. */
int		 parser_buffer(struct parser *p, const void *buf, size_t n,
		    const char *srcname,
		    int (*on_rec)(void *ctx, const struct record *r), void *ctx,
		    struct trailer *summary, struct diag *d);

/*
 * Why the first skipped line of the last input was skipped, e.g.
 * "expected a timestamp (...), got \"PID 12\"", or NULL when none was.
 * Valid until the next parser_input().
 */
const char	*parser_first_reason(const struct parser *p);

/*
 * Why the first line skipped under code c in the last input was skipped,
 * or NULL when none was.  Valid until the next parser_input().
 */
const char	*parser_reason(const struct parser *p, enum skip_code c);

/* The format in use, e.g. "pid-tid-ts", "iso-any", "json" or "custom";
 * "auto" while -f auto has chosen none. */
const char	*parser_format(const struct parser *p);

/*
 * What -f auto chose for the last input, in words ("read as pid-tid-ts
 * (-f auto: 4 of 4 lines sampled)"), for the caller to say; NULL without
 * -f auto or when the input had no line to choose by.  The trailer's
 * options record it as "--from=auto:NAME".  Valid until the next
 * parser_input().
 */
const char	*parser_choice(const struct parser *p);

#endif
