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

/*
 * A record handed from one thread to another (base/batchq.h): small (the
 * taker reads it from the other core's cache), its dur and strings copied
 * to bytes beside it (record_hand_size() of them): pid, tid, id, route,
 * and with with_src its src.  record_take() makes the record again, its
 * strings pointing into those bytes, its src the caller's (src); a src
 * handed over is record_hand_src()'s, n bytes not ended by a NUL (NULL
 * when none was).  One place knows the layout.
 */
struct record_hand {
	int64_t		 sec;
	uint64_t	 line;
	const char	*bytes;
	uint32_t	 n[5];		/* pid, tid, id, route, src lengths */
	int32_t		 nsec;
	uint16_t	 status;
	uint8_t		 digits, flags;
	uint8_t		 kind, plain, has_dur;
	uint8_t		 have;		/* bit k: string k present */
};

size_t	record_hand_size(const struct record *r, const char *src, size_t srcn);
void	record_hand(const struct record *r, const char *src, size_t srcn,
	    char *bytes, struct record_hand *x);
void	record_take(const struct record_hand *x, const char *src,
	    struct record *r);
const char	*record_hand_src(const struct record_hand *x, size_t *n);

#endif
