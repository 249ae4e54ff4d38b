/*
 * format: log formats.  A format finds, in one line, the timestamp and the
 * optional identities (pid, tid, id), kind and duration, as spans of the
 * line; it interprets nothing (timestamps are ts_parse()'s business, which
 * a scanner does for its caller only when asked: format_set_time()).
 *
 * A format is a preset by name or a custom PCRE2 pattern with named groups
 * ts (required), pid, tid, id, kind and dur.  Every preset has a PCRE2
 * pattern; the commonest (pid-tid-ts, ts, iso) are also matched by a
 * hand-written scanner that accepts exactly the same lines, because
 * they are the hot path.
 *
 * A struct format is owned by its creator and freed with format_free().  It
 * keeps one PCRE2 match data that every format_match() reuses, so a format
 * is not to be shared between threads.  Captured spans point into the
 * caller's line.
 */
#ifndef SKEW_FORMAT_H
#define SKEW_FORMAT_H

#include <stddef.h>

#include "base/diag.h"
#include "record.h"
#include "base/ts.h"
#include "trailer.h"

/* The named groups, in the order format_group_name() names them. */
enum format_group {
	FORMAT_TS = 0, FORMAT_PID, FORMAT_TID, FORMAT_ID, FORMAT_KIND,
	FORMAT_DUR, FORMAT_ROUTE, FORMAT_STATUS, FORMAT_NGROUPS
};

struct format_cap {
	struct record_str	ts, pid, tid, id, kind, dur, route, status;
	int		plain;	/* pid, tid and id are digits or absent */
	int		has_t;	/* t is the time, already read (-f json's
				 * epoch numbers): ts is not to be parsed */
	struct ts	t;
	enum skip_code	skip;	/* FORMAT_SKIP's code */
};

/* "ts", "pid", ..., "status"; NULL past the end. */
const char	*format_group_name(int g);

/* c's member for group g (g < FORMAT_NGROUPS). */
struct record_str	*format_cap_group(struct format_cap *c, int g);

/* What --list-formats prints about a preset. */
struct format_info {
	const char	*name;
	const char	*pattern;	/* the PCRE2 pattern */
	enum ts_form	 form;		/* how its ts group is read */
	enum record_kind	 kind;		/* which end its time marks */
	const char	*marks;		/* that, in words */
	int		 scanner;	/* also has a hand-written scanner */
	int		 json;		/* -f json: pattern says what it reads */
};

/* The presets, in the order --list-formats prints them; NULL past the end. */
const struct format_info *format_preset_info(size_t i);

/* format_preset() flag: use the PCRE2 pattern even where a scanner exists
 * (tests compare the two). */
#define FORMAT_PCRE	0x01

/*
 * A preset by name.  Returns NULL and fills *d (DIAG_USAGE) when no preset
 * has that name.  Free with format_free().
 */
struct format	*format_preset(const char *name, int flags, struct diag *d);

/*
 * Compile a custom pattern once.  The caller frees the result with
 * format_free(); on failure returns NULL and fills *d (DIAG_PATTERN): the PCRE2
 * message with the offset, a missing ts group, or an unknown group name.
 * The pattern text is copied.  Its timestamps are read as TS_AUTO and its
 * default kind is RECORD_END.
 */
struct format	*format_compile(const char *pattern, struct diag *d);

/*
 * -f json with its --field maps ("NAME=KEY", see jsonline.h): the same as
 * format_preset("json") when n is 0.  Returns NULL with *d filled
 * (DIAG_USAGE: a map that names no group, or a group mapped twice).
 */
struct format	*format_json(const char *const *maps, size_t n,
		    struct diag *d);

void		 format_free(struct format *f);

/* format_match()'s answer for a line PCRE2 gave up on. */
#define FORMAT_LIMIT	2
/* format_match()'s answer for a line skipped for the reason in *d
 * (DIAG_NOMATCH) under the code c->skip (-f json). */
#define FORMAT_SKIP	3
/* The most stack the JIT may grow to for one line (PCRE2's default is
 * 32 KiB, too little for a few thousand key=value pairs). */
#define FORMAT_JIT_STACK	(4 * 1024 * 1024)

/*
 * Match one line s[0..n).  Returns 1 and fills *c (absent groups have
 * s == NULL), 0 when the line does not match, FORMAT_LIMIT with *d filled
 * (DIAG_NOMATCH, d->col 0: "the pattern could not be matched within
 * PCRE2's limits: match limit exceeded") when the line ran into one of
 * PCRE2's limits (backtracking, depth, heap, JIT stack), or -1 with *d
 * filled (DIAG_PATTERN) when PCRE2 fails otherwise.  Allocates nothing,
 * except -f json's (jsonline_match()), which may also answer FORMAT_SKIP.
 */
int		 format_match(struct format *f, const char *s, size_t n,
		    struct format_cap *c, struct diag *d);

/*
 * Have format_match() read the time too, for a reader whose time is
 * ts_parse(ts span, o) and nothing else: a scanner preset then sets
 * c->has_t and c->t for each line whose time ts_parse() reads (a time it
 * refuses is left as a span, to be read again for the reason).  Most
 * times it reads in the pass that finds them, with o->memo's minute.  o is
 * the caller's and must outlive f's use with it; NULL stops it.  Other
 * formats ignore it.
 */
void		 format_set_time(struct format *f, const struct ts_opt *o);

/*
 * Why s[0..n) does not match, in *d (DIAG_NOMATCH, d->col set), in the
 * form 'expected a timestamp, got "PID 12"'.  Call only after format_match()
 * returned 0; slower than matching, so only for lines that are reported.
 */
void		 format_why(const struct format *f, const char *s, size_t n,
		    struct diag *d);

const char	*format_name(const struct format *f);	/* preset name or "custom" */
enum ts_form	 format_form(const struct format *f);
enum record_kind	 format_kind(const struct format *f);	/* the default kind */
int		 format_jit(const struct format *f);	/* PCRE2 JIT in use */
int		 format_scanner(const struct format *f);	/* a scanner in use */

#endif
