/*
 * record: one matched log line, as the parser hands it on (struct record).
 *
 * A struct record is transient: its string fields point into the line
 * buffer of the reader that produced it and are valid only until the next
 * line is read.  Whoever keeps a record (skew-align's event store) copies
 * what it needs.  Written as an event by parse/event.c.
 */
#ifndef SKEW_RECORD_H
#define SKEW_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "base/ts.h"

enum record_kind {
	RECORD_END = 0,	/* a request completing (the default) */
	RECORD_START	/* a request arriving / beginning */
};

struct record_str {
	const char	*s;	/* NULL when the group was not captured */
	size_t		 n;
};

struct record {
	const char	*src;	/* input name (--source), not owned */
	uint64_t	 line;	/* 1-based line number in src */
	struct ts	 t;	/* the time of record, exact */
	enum record_kind	 kind;
	struct record_str	 pid, tid, id;
	int		 plain;	/* pid, tid and id are known to be digits
				 * (a scanner saw them): nothing to escape */
	int		 has_dur;
	struct ts	 dur;	/* exact seconds, when has_dur */
	struct record_str	 route;	/* the request's path, or absent */
	int		 status;	/* its HTTP status 100-599; 0: absent */
};

#endif
