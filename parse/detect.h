/*
 * detect: -f auto.  Which reading of an input's lines to use, chosen from
 * its first lines (a sample the caller keeps, so that every line is still
 * read once as an event), among the presets (format.h), json, and the
 * common timestamp shapes found anywhere on a line.
 *
 * A reading is one of the fixed entries below (detect_reading()); the
 * precedence that chooses one is the contract's:
 *   1. the most sample lines read (a line is read when the reading finds
 *      its timestamp and that timestamp is valid);
 *   2. then the most fields captured over those lines (dur, pid, tid, id,
 *      route, status);
 *   3. then a reading of the whole line (a preset, json) over a shape
 *      found anywhere on it;
 *   4. then the fixed order of the table (detect_reading(0), 1, ...).
 * Readings equal by 1-3 that give different times for the same line are a
 * tie: detect_choose() refuses the input and names both (the same rule
 * settles the numeric order of a date: month/day against day/month is
 * decided by the lines whose field is above 12, or refused).
 *
 * A struct detect holds every reading compiled once; it is owned by its
 * creator (detect_free()) and, like a struct format, is not to be shared
 * between threads.
 */
#ifndef SKEW_DETECT_H
#define SKEW_DETECT_H

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "base/ts.h"

/* The sample: at most this many lines, and this many bytes of them. */
#define DETECT_LINES	1000
#define DETECT_BYTES	((size_t)4 * 1024 * 1024)

enum detect_kind {
	DETECT_PRESET,	/* a preset of format.h, by the same name */
	DETECT_JSON,	/* one JSON object a line */
	DETECT_SHAPE	/* a timestamp shape found anywhere on the line */
};

/* Where a shape's time may begin on a line. */
enum detect_start {
	DETECT_AT_DIGIT = 1,	/* a digit after a byte that is not one */
	DETECT_AT_ALPHA,	/* a letter after a byte that is not one */
	DETECT_AT_BRACKET,	/* a '[' */
	DETECT_AT_START		/* the line's first byte only (a time of
				 * day found anywhere would be any
				 * message's "took 00:01:02") */
};

struct detect_reading {
	const char	*name;		/* "pid-tid-ts", "iso", ... */
	enum detect_kind kind;
	/* A shape's: its --time-format strings (timefmt.h), tried in turn
	 * where the shape may begin (the longest first), and what may
	 * follow. */
	const char *const *formats;
	enum detect_start start;
	int		 epoch;		/* formats are %s %s3 %s6 %s9, taken
					 * by the digit count (9-11, 12-14,
					 * 15-17, 18-20 after leading zeros) */
	const char	*example;	/* a shape's, for --list-formats */
	int		 msint;		/* its %f is a count of milliseconds
					 * written without zero padding
					 * (HealthApp's "35:98" is .098) */
};

/* The readings in the fixed order of rule 4; NULL past the end. */
const struct detect_reading *detect_reading(size_t i);

/* The reading of that name, or NULL. */
const struct detect_reading *detect_find(const char *name);

/* How the sample is read: as the chosen reading will read the input. */
struct detect_opt {
	struct ts_zone	*zone;		/* --tz; NULL: UTC */
	int		 year;		/* --year; 0: none (a year is then
					 * assumed to try the yearless) */
	const struct ts_rules *rules;	/* --date, --tz-abbrev (copied; a
					 * date is assumed when none, to try
					 * times of day); NULL: none */
};

/* One sample line (not NUL-ended); no is its line number. */
struct detect_line {
	const char	*s;
	size_t		 n;
	uint64_t	 no;
};

struct detect_choice {
	const struct detect_reading *r;	/* NULL: no reading read a line */
	size_t		 lines;		/* sample lines looked at */
	size_t		 read;		/* of those, the lines r read */
	size_t		 fields;	/* the fields it captured there */
};

struct detect;

/*
 * A shape compiled, to find its first time on a line (the earliest place
 * it fits, a digit or letter run not cut in two).  Owned by its creator
 * (detect_shape_free()); only read by detect_shape_find(), so it may be
 * shared between threads.
 */
struct detect_shape;
struct detect_shape *detect_shape_new(const struct detect_reading *r,
		    struct diag *d);
void		 detect_shape_free(struct detect_shape *sh);

/*
 * The shape's first time on s[0..n): 1 with *p filled (for ts_resolve())
 * and *at, *len its place on the line, or 0 when it is nowhere.
 * Allocates nothing.
 */
int		 detect_shape_find(const struct detect_shape *sh,
		    const char *s, size_t n, struct ts_parts *p, size_t *at,
		    size_t *len);

/* Every reading compiled.  NULL with *d filled (out of memory). */
struct detect	*detect_new(const struct detect_opt *o, struct diag *d);
void		 detect_free(struct detect *dt);

/*
 * Choose a reading for the n sample lines l[] (blank lines are passed
 * over).  Returns 0 with *c filled (c->r NULL when nothing read any
 * line), or -1 with *d filled: DIAG_DATA for a tie, the message naming
 * both readings with the -f that gives each and the line they disagree on
 * (d->line), or DIAG_NOMEM.
 */
int		 detect_choose(struct detect *dt, const struct detect_line *l,
		    size_t n, struct detect_choice *c, struct diag *d);

#endif
