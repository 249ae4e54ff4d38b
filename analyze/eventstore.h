/*
 * eventstore: the event store of skew-align.
 *
 * Events arrive from any number of skew-parse outputs (NDJSON lines, read
 * with eventstore_line()) or straight from the parser (eventstore_add()), in
 * any order.  Each is copied into one growing array of fixed-size records;
 * the strings (src, pid, tid, id, route) are interned in one strtab, so memory
 * is a small constant per event (sizeof(struct ev), 88 bytes on LP64, plus the
 * array's growth slack) whatever the identities look like.
 *
 * Input trailers ({"kind":"input",...}) are kept in order of appearance as
 * struct trailer copies, owned by the store until eventstore_take_inputs().
 *
 * The store owns everything it holds; eventstore_free() releases it,
 * eventstore_free(NULL) does nothing.  A failing call returns -1 and fills
 * *d (the caller sets d->src and d->line before reading a line; they are
 * left as they are).
 */
#ifndef SKEW_EVENTSTORE_H
#define SKEW_EVENTSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "record.h"
#include "trailer.h"
#include "strtab.h"
#include "base/ts.h"

#define EV_START	0x01	/* kind "start"; otherwise "end" */
#define EV_DUR		0x02	/* carries dur: a whole request on its own */
#define EV_ORDER	0x04	/* paired by order (align's pass sets it) */
#define EV_PAIRED	0x08	/* paired (align's build sets it) */

struct ev {
	struct ts	 t;	/* time of record, offset applied for starts */
	struct ts	 dur;	/* when EV_DUR; an end's start when EV_PAIRED */
	const char	*src;	/* interned */
	uint64_t	 line;
	const char	*pid, *tid, *id;	/* interned, or NULL */
	const char	*route;	/* interned, or NULL */
	uint8_t		 flags;	/* EV_* */
	uint16_t	 status;	/* 100-599, or 0 (in flags' padding) */
	uint32_t	 seq;	/* order of arrival: the last tie-break */
};

struct eventstore {
	struct ev	*ev;
	size_t		 n, cap;
	struct trailer *inputs;
	size_t		 ninputs, capinputs;
	struct strtab	*strs;
	uint64_t	 unknown_keys;	/* keys skew-align does not know, ignored */
	uint64_t	 align_recs;	/* never kept: an align record is an error */
	uint64_t	 fast, slow;	/* lines read by the fast path / cJSON */
};

/* A new, empty store, or NULL (out of memory). */
struct eventstore	*eventstore_new(void);
void		 eventstore_free(struct eventstore *s);

/* Copy one parsed event (strings interned; the rec may go away after). */
int		 eventstore_add(struct eventstore *s, const struct record *r, struct diag *d);

/* Copy one trailer (its strings duplicated). */
int		 eventstore_add_input(struct eventstore *s, const struct trailer *in,
		    struct diag *d);

/*
 * Read one NDJSON line (without its newline) with event_read() (parse/event.h,
 * the event record's codec) and keep it: an event or an input trailer.
 * Anything else is an error naming what was expected, including an
 * "align" record (counted in align_recs: this is skew-align's own output,
 * not events).  Keys the reader does not know are counted in
 * s->unknown_keys and otherwise ignored.
 */
int		 eventstore_line(struct eventstore *s, const char *line, size_t n,
		    struct diag *d);

/* The same through event_read_cjson(), never the hand-written fast path:
 * the reference the fast path is tested against. */
int		 eventstore_line_cjson(struct eventstore *s, const char *line, size_t n,
		    struct diag *d);

/*
 * After the last line: every source whose events came without its
 * trailer (the upstream failed, or a filter dropped the trailer) gets one
 * made up from what was seen, marked incomplete: events counted, lines the
 * highest line number among them, nothing else known.  Sources are
 * matched by name (an event's "src", a trailer's "src"); the made-up
 * trailers follow the others, in the order of their first events.  Call
 * before eventstore_sort().  *made is how many were made up.  Returns 0, or -1
 * when out of memory.
 */
int		 eventstore_complete(struct eventstore *s, size_t *made, struct diag *d);

/* Sort by exact time, ties by (src, line), then order of arrival (radix
 * sorts: radix.h).  Returns 0, or -1 when out of memory. */
int		 eventstore_sort(struct eventstore *s, struct diag *d);

#endif
