#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eventstore.h"
#include "event.h"
#include "radix.h"

/* eventstore.h's figure. */
_Static_assert(sizeof(void *) != 8 || sizeof(struct ev) == 48,
    "struct ev is 48 bytes on LP64");

struct eventstore *
eventstore_new(void)
{
	struct eventstore *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if ((s->strs = strtab_new()) == NULL) {
		free(s);
		return NULL;
	}
	s->sorted = 1;
	return s;
}

void
eventstore_free(struct eventstore *s)
{
	if (s == NULL)
		return;
	free(s->ev);
	free(s->durs);
	for (size_t i = 0; i < s->ninputs; i++)
		trailer_free(&s->inputs[i]);
	free(s->inputs);
	free(s->srcs);
	free(s->srcslot);
	strtab_free(s->strs);
	free(s);
}

/* Room for one more event when the array is full (or the numbers are):
 * it doubles, so adding is amortised O(1) and the slack is at most the
 * size of the data. */
static int
grow_ev(struct eventstore *s, struct diag *d)
{
	size_t cap = s->cap ? s->cap * 2 : 1024;
	struct ev *p;

	if (s->n == UINT32_MAX)
		return diag_set(d, DIAG_DATA, "more than %lu events",
		    (unsigned long)UINT32_MAX);
	if ((p = realloc(s->ev, cap * sizeof(*p))) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory for %zu events",
		    cap);
	s->ev = p;
	s->cap = cap;
	return 0;
}

/* Room for one more event, inline: grow_ev() only when it is full. */
static inline __attribute__((always_inline)) struct ev *
next_ev(struct eventstore *s, struct diag *d)
{
	struct ev *p;

	if ((s->n == s->cap || s->n == UINT32_MAX) && grow_ev(s, d) == -1)
		return NULL;
	/* Every field is set by add(): no memset. */
	p = &s->ev[s->n];
	p->seq = (uint32_t)s->n;
	return p;
}

/*
 * str[0..n) interned, its number in *out (0: str NULL).  Inline, with the
 * field's last string compared first (strtab_intern_last()'s test): most
 * events have no id or route, and their src and pid are the event
 * before's; a thread's id seen lately is then found in strtab's recent
 * strings without the hash.
 */
static inline __attribute__((always_inline)) int
intern(struct eventstore *s, const char *str, size_t n, uint32_t *out,
    int field, struct diag *d)
{
	const char *p;

	if (str == NULL) {
		*out = 0;
		return 0;
	}
	if ((p = strtab_intern_last(s->strs, str, n, &s->last[field])) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory for strings");
	*out = strtab_id(p);
	return 0;
}

/* The dur of the event e, kept by its seq (the last event added). */
static int
add_dur(struct eventstore *s, const struct ev *e, const struct ts *dur,
    struct diag *d)
{
	struct evdur *p;

	if (s->ndurs == s->capdurs) {
		size_t cap = s->capdurs ? s->capdurs * 2 : 64;

		if ((p = realloc(s->durs, cap * sizeof(*p))) == NULL)
			return diag_set(d, DIAG_NOMEM, "out of memory for %zu "
			    "durs", cap);
		s->durs = p;
		s->capdurs = cap;
	}
	s->durs[s->ndurs].seq = e->seq;
	s->durs[s->ndurs++].dur = *dur;
	return 0;
}

const struct ts *
eventstore_dur(const struct eventstore *s, const struct ev *e)
{
	size_t lo = 0, hi = s->ndurs;

	/* Added in order of seq: found by halving. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->durs[mid].seq <= e->seq)
			lo = mid;
		else
			hi = mid;
	}
	return &s->durs[lo].dur;
}

void
eventstore_get(const struct eventstore *s, const struct ev *e,
    struct evx *x)
{
	memset(x, 0, sizeof(*x));
	x->t = e->t;
	x->flags = ev_flags(e);
	if (x->flags & EV_DUR)
		x->dur = *eventstore_dur(s, e);
	x->src = ev_str(s, e->src);
	x->pid = ev_str(s, e->pid);
	x->tid = ev_str(s, e->tid);
	x->id = ev_str(s, e->id);
	x->route = ev_str(s, e->route);
	x->line = ev_line(e);
	x->status = ev_status(e);
	x->seq = e->seq;
}

/* Whether event a comes after b in (src by name, line, seq) order: the
 * sort's tie-breaks. */
static int
after(const struct eventstore *s, const struct ev *a, const struct ev *b)
{
	int c = a->src == b->src ? 0 : strcmp(ev_str(s, a->src),
	    ev_str(s, b->src));

	return c > 0 || (c == 0 && (ev_line(a) > ev_line(b) ||
	    (ev_line(a) == ev_line(b) && a->seq > b->seq)));
}

static size_t
srcslot_of(uint32_t src, size_t cap)
{
	return (size_t)((src * UINT64_C(0x9e3779b97f4a7c15)) >> 32) & (cap - 1);
}

/* The facts of the source numbered src (interned), made when new, in
 * s->cur; -1: out of memory. */
static int
src_facts(struct eventstore *s, uint32_t src, uint32_t seq, struct diag *d)
{
	size_t j;

	if (2 * (s->nsrcs + 1) > s->capslot) {
		size_t cap = s->capslot ? 2 * s->capslot : 16;
		uint32_t *v;

		if ((v = calloc(cap, sizeof(*v))) == NULL)
			return diag_set(d, DIAG_NOMEM, "out of memory for "
			    "sources");
		for (size_t i = 0; i < s->nsrcs; i++) {
			for (j = srcslot_of(s->srcs[i].src, cap); v[j] != 0;
			    j = (j + 1) & (cap - 1))
				;
			v[j] = (uint32_t)i + 1;
		}
		free(s->srcslot);
		s->srcslot = v;
		s->capslot = cap;
	}
	for (j = srcslot_of(src, s->capslot); s->srcslot[j] != 0;
	    j = (j + 1) & (s->capslot - 1))
		if (s->srcs[s->srcslot[j] - 1].src == src) {
			s->cur = &s->srcs[s->srcslot[j] - 1];
			return 0;
		}
	if (s->nsrcs == s->capsrcs) {
		size_t cap = s->capsrcs ? 2 * s->capsrcs : 8;
		struct evsrc *v;

		if ((v = realloc(s->srcs, cap * sizeof(*v))) == NULL)
			return diag_set(d, DIAG_NOMEM, "out of memory for "
			    "sources");
		s->srcs = v;
		s->capsrcs = cap;
	}
	s->srcs[s->nsrcs].src = src;
	s->srcs[s->nsrcs].first = seq;
	s->srcs[s->nsrcs].events = 0;
	s->srcs[s->nsrcs].maxline = 0;
	s->srcslot[j] = (uint32_t)s->nsrcs + 1;
	s->cur = &s->srcs[s->nsrcs++];
	return 0;
}

/* Whether event a's time is after b's (ts_cmp's order, inline). */
static int
later(const struct ev *a, const struct ev *b)
{
	return a->t.sec != b->t.sec ? a->t.sec > b->t.sec :
	    a->t.nsec > b->t.nsec;
}

/* The moves an event that the sorts make in place, at most, on average:
 * past those the events are sorted by radix. */
#define NEAR_MOVES	4

/*
 * The event just added (ev[n], its seq the largest) put in its place by
 * time among ev[0..n), after every event not later than it (stable), as
 * long as the moves stay within the budget; past it, ev[] is no longer
 * kept sorted (equal times are still in the order they came: the sort
 * goes on from there).  place() has seen it is earlier than the one
 * before.
 */
static void
move_back(struct eventstore *s)
{
	struct ev *ev = s->ev, tmp;
	size_t j = s->n, stop;

	stop = j > s->budget ? j - (size_t)s->budget : 0;
	tmp = ev[j];
	do {
		ev[j] = ev[j - 1];
		j--;
	} while (j > stop && later(&ev[j - 1], &tmp));
	ev[j] = tmp;
	s->budget -= s->lastpos - j;
	s->lastpos = j;
	if (j > 0 && later(&ev[j - 1], &tmp))
		s->sorted = 0;
}

/* place(), its test inline: an event in its place already (after the one
 * before) is no call. */
static inline __attribute__((always_inline)) void
place(struct eventstore *s)
{
	size_t j = s->n;

	s->budget += NEAR_MOVES;
	if (j > 0 && later(&s->ev[j - 1], &s->ev[j]))
		move_back(s);
}

/* Store one event; r->src is srcn bytes, not necessarily NUL-terminated
 * (the fast reader's points into the line).  Inline in its two callers:
 * eventstore_line() runs it for every line. */
static inline __attribute__((always_inline)) int
add(struct eventstore *s, const struct record *r, const char *src, size_t srcn,
    struct diag *d)
{
	struct evsrc *f;
	struct ev *e;

	if (r->line > EV_LINE_MAX)
		return diag_set(d, DIAG_DATA, "line %llu: line numbers past "
		    "%llu are not kept", (unsigned long long)r->line,
		    (unsigned long long)EV_LINE_MAX);
	if (r->status < 0 || r->status > 0x3ff)
		return diag_set(d, DIAG_DATA, "expected a status 100-599, got "
		    "%d", r->status);
	if ((e = next_ev(s, d)) == NULL)
		return -1;
	e->t = r->t;
	e->lw = r->line | (uint64_t)r->status << 52;
	ev_set_flags(e, (r->kind == RECORD_START ? EV_START : 0) |
	    (r->has_dur ? EV_DUR : 0));
	if (intern(s, src, srcn, &e->src, 0, d) == -1 ||
	    intern(s, r->pid.s, r->pid.n, &e->pid, 1, d) == -1 ||
	    intern(s, r->tid.s, r->tid.n, &e->tid, 2, d) == -1 ||
	    intern(s, r->id.s, r->id.n, &e->id, 3, d) == -1 ||
	    intern(s, r->route.s, r->route.n, &e->route, 4, d) == -1 ||
	    (r->has_dur && add_dur(s, e, &r->dur, d) == -1))
		return -1;
	/* Its source's facts: mostly the last event's source. */
	if (((f = s->cur) == NULL || f->src != e->src) &&
	    src_facts(s, e->src, e->seq, d) == -1)
		return -1;
	f = s->cur;
	f->events++;
	if (ev_line(e) > f->maxline)
		f->maxline = ev_line(e);
	if (!r->has_dur)
		*(r->kind == RECORD_START ? &s->nstarts : &s->nends) += 1;
	/* After the last event added in (src, line, seq) order?  Of the
	 * same source (mostly), by line alone: its seq is the larger. */
	if (s->n > 0 && !s->unordered) {
		const struct ev *b = &s->ev[s->lastpos];

		if (b->src == e->src ? ev_line(b) > ev_line(e) :
		    after(s, b, e))
			s->unordered = 1;
	}
	s->lastpos = s->n;
	if (s->unordered)
		s->sorted = 0;
	else if (s->sorted)
		place(s);
	s->n++;
	return 0;
}

int
eventstore_add(struct eventstore *s, const struct record *r, struct diag *d)
{
	const char *src = r->src != NULL ? r->src : "-";

	return add(s, r, src, strlen(src), d);
}

int
eventstore_add_input(struct eventstore *s, const struct trailer *in, struct diag *d)
{
	struct trailer *c;

	if (s->ninputs == s->capinputs) {
		size_t cap = s->capinputs ? s->capinputs * 2 : 8;

		if ((c = realloc(s->inputs, cap * sizeof(*c))) == NULL)
			return diag_set(d, DIAG_NOMEM, "out of memory");
		s->inputs = c;
		s->capinputs = cap;
	}
	if (trailer_copy(&s->inputs[s->ninputs], in, d) == -1)
		return -1;
	s->ninputs++;
	return 0;
}

/* Keep what one line held, whichever reader read it (inline: once a
 * line). */
static inline __attribute__((always_inline)) int
took(struct eventstore *s, struct event_line *l, int k, struct diag *d)
{
	int rc = -1;

	if (l->fast)
		s->fast++;
	else
		s->slow++;
	if (k == -1) {
		s->align_recs += (uint64_t)l->align;
		return -1;
	}
	s->unknown_keys += l->unknown;
	if (k == EVENT_READ_EVENT)
		rc = add(s, &l->rec, l->src, l->srcn, d);
	else
		rc = eventstore_add_input(s, &l->in, d);
	/* The fast path's line holds nothing to free. */
	if (!l->fast)
		event_line_free(l);
	return rc;
}

int
eventstore_line(struct eventstore *s, const char *line, size_t n, struct diag *d)
{
	struct event_line l;

	return took(s, &l, event_read(line, n, &l, d), d);
}

int
eventstore_line_cjson(struct eventstore *s, const char *line, size_t n, struct diag *d)
{
	struct event_line l;

	return took(s, &l, event_read_cjson(line, n, &l, d), d);
}

/* One source seen: in a trailer, among the events, or both. */
struct seen {
	const char	*src;		/* interned: compared by pointer */
	int		 trailer;
	uint64_t	 events, maxline;
	uint32_t	 first;		/* seq of its first event */
	uint32_t	 rank;		/* its place among the sources by name */
};

struct seentab {
	struct seen	*v;
	size_t		 cap, n;	/* cap a power of two */
};

static struct seen *
seen_get(struct seentab *t, const char *src)
{
	size_t j;

	if (2 * (t->n + 1) > t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct seen *v;

		if ((v = calloc(cap, sizeof(*v))) == NULL)
			return NULL;
		for (size_t i = 0; i < t->cap; i++) {
			if (t->v[i].src == NULL)
				continue;
			for (j = ((uintptr_t)t->v[i].src >> 3) & (cap - 1);
			    v[j].src != NULL; j = (j + 1) & (cap - 1))
				;
			v[j] = t->v[i];
		}
		free(t->v);
		t->v = v;
		t->cap = cap;
	}
	for (j = ((uintptr_t)src >> 3) & (t->cap - 1); t->v[j].src != NULL;
	    j = (j + 1) & (t->cap - 1))
		if (t->v[j].src == src)
			return &t->v[j];
	t->v[j].src = src;
	t->n++;
	return &t->v[j];
}

static int
by_first(const void *a, const void *b)
{
	const struct seen *x = *(const struct seen *const *)a;
	const struct seen *y = *(const struct seen *const *)b;

	return (x->first > y->first) - (x->first < y->first);
}

int
eventstore_complete(struct eventstore *s, size_t *made, struct diag *d)
{
	struct seentab t = { NULL, 0, 0 };
	struct seen *e, **miss = NULL;
	size_t nmiss = 0;
	int rc = -1;

	*made = 0;
	for (size_t i = 0; i < s->ninputs; i++) {
		const char *p = s->inputs[i].src;

		if ((p = strtab_intern(s->strs, p, strlen(p))) == NULL ||
		    (e = seen_get(&t, p)) == NULL)
			goto nomem;
		e->trailer = 1;
	}
	/* The events' sources, as their adds counted them. */
	for (size_t i = 0; i < s->nsrcs; i++) {
		const struct evsrc *f = &s->srcs[i];

		if ((e = seen_get(&t, ev_str(s, f->src))) == NULL)
			goto nomem;
		e->events = f->events;
		e->first = f->first;
		e->maxline = f->maxline;
	}
	if ((miss = calloc(t.n + 1, sizeof(*miss))) == NULL)
		goto nomem;
	for (size_t j = 0; j < t.cap; j++)
		if (t.v[j].src != NULL && !t.v[j].trailer)
			miss[nmiss++] = &t.v[j];
	/* In the order their events came, so the output is the same on
	 * every run. */
	qsort(miss, nmiss, sizeof(*miss), by_first);
	for (size_t k = 0; k < nmiss; k++) {
		struct trailer in;

		memset(&in, 0, sizeof(in));
		in.src = (char *)miss[k]->src;
		in.lines = miss[k]->maxline;
		in.events = miss[k]->events;
		in.incomplete = 1;
		if (eventstore_add_input(s, &in, d) == -1)
			goto out;
		(*made)++;
	}
	rc = 0;
	goto out;
nomem:
	diag_set(d, DIAG_NOMEM, "out of memory");
out:
	free(miss);
	free(t.v);
	return rc;
}

/* Whether ev[] is in order of (src, line, seq): the sort's tie-breaks.
 * Known without a look while the events are as they were added. */
static int
in_source_order(const struct eventstore *s)
{
	if (!s->unordered)
		return 1;
	for (size_t i = 1; i < s->n; i++)
		if (after(s, &s->ev[i - 1], &s->ev[i]))
			return 0;
	return 1;
}

static int
by_name(const void *a, const void *b)
{
	const struct seen *x = *(const struct seen *const *)a;
	const struct seen *y = *(const struct seen *const *)b;

	return strcmp(x->src, y->src);
}

/*
 * perm[] (the events' indexes, in their present order) put in order of
 * (src by name, line, seq), stably: seq, then line, then the source's rank,
 * each a radix pass over the order the one before left.
 */
static int
source_order(const struct eventstore *s, uint32_t *perm, uint64_t *key)
{
	struct seentab t = { NULL, 0, 0 };
	struct seen *e = NULL, **by = NULL;
	const char *last = NULL;
	size_t i, m = 0;
	int rc = -1;

	for (i = 0; i < s->n; i++)
		key[i] = s->ev[perm[i]].seq;
	if (radix_pairs(key, perm, s->n) == -1)
		return -1;
	for (i = 0; i < s->n; i++)
		key[i] = ev_line(&s->ev[perm[i]]);
	if (radix_pairs(key, perm, s->n) == -1)
		return -1;
	for (i = 0; i < s->n; i++)
		if (ev_str(s, s->ev[i].src) != last) {
			last = ev_str(s, s->ev[i].src);
			if (seen_get(&t, last) == NULL)
				goto out;
		}
	if ((by = calloc(t.n + 1, sizeof(*by))) == NULL)
		goto out;
	for (i = 0; i < t.cap; i++)
		if (t.v[i].src != NULL)
			by[m++] = &t.v[i];
	qsort(by, m, sizeof(*by), by_name);
	for (i = 0; i < m; i++)
		by[i]->rank = (uint32_t)i;
	for (i = 0, last = NULL; i < s->n; i++) {
		/* A lookup may grow the table (seen_get() makes room
		 * first): NULL when that fails. */
		if (ev_str(s, s->ev[perm[i]].src) != last &&
		    (e = seen_get(&t, last = ev_str(s, s->ev[perm[i]].src))) ==
		    NULL)
			goto out;
		key[i] = e->rank;
	}
	rc = radix_pairs(key, perm, s->n);
out:
	free(by);
	free(t.v);
	return rc;
}

/*
 * Sort ev[] by time in place, stably, by insertion, while the events
 * moved stay within NEAR_MOVES an event: a log whose lines are out of order
 * only within a few places (threads that print concurrently) is sorted with
 * no scratch memory, in about one pass.  Returns 1 when sorted; 0 when the
 * budget ran out (ev[] is then a stable partial sort: equal times are in
 * the order they came, so a stable sort of it is the sort of the input).
 */
static int
insertion_sort(struct ev *ev, size_t n)
{
	uint64_t budget = (uint64_t)NEAR_MOVES * n;
	struct ev tmp;
	size_t j, stop;

	for (size_t i = 1; i < n; i++) {
		if (!later(&ev[i - 1], &ev[i]))
			continue;
		/* After every earlier event not later than it: stable.  Each
		 * later one moves up a place as it is passed (most events out
		 * of place are one or two places out: no call to memmove);
		 * no further back than the budget lets. */
		if (budget == 0)
			return 0;
		tmp = ev[i];
		stop = i > budget ? i - (size_t)budget : 0;
		j = i;
		do {
			ev[j] = ev[j - 1];
			j--;
		} while (j > stop && later(&ev[j - 1], &tmp));
		ev[j] = tmp;
		/* Stopped by the budget: it went back past later events
		 * only, so equal times are still in the order they came. */
		if (j > 0 && later(&ev[j - 1], &tmp))
			return 0;
		budget -= i - j;
	}
	return 1;
}

void
eventstore_moved(struct eventstore *s)
{
	s->sorted = 0;
}

int
eventstore_sort(struct eventstore *s, struct diag *d)
{
	uint32_t *perm = NULL;
	uint64_t *key = NULL;
	size_t i;
	int src_ordered;

	/* Sort by time, not input order: threads print concurrently, so log
	 * lines are out of order (the article's run 5).  Ties by (src, line,
	 * seq): the events are put in that order first (they nearly always
	 * are already: one file, or files read one after another), then
	 * stably by time. */
	if (s->n < 2)
		return 0;
	/* Nearly in order already (the tie-breaks' order, and times out
	 * of place by a few lines at most): sorted in place. */
	/* Sorted as they came (add()): nothing to do. */
	if (s->sorted && !s->unordered) {
		s->sorted = 0;
		s->unordered = 1;
		return 0;
	}
	src_ordered = in_source_order(s);
	s->unordered = 1;	/* as the sort leaves them: to be looked at */
	s->sorted = 0;
	if (src_ordered && insertion_sort(s->ev, s->n))
		return 0;
	if ((perm = malloc(s->n * sizeof(*perm))) == NULL)
		goto nomem;
	for (i = 0; i < s->n; i++)
		perm[i] = (uint32_t)i;
	if (!src_ordered &&
	    ((key = malloc(s->n * sizeof(*key))) == NULL ||
	    source_order(s, perm, key) == -1))
		goto nomem;
	free(key);
	key = NULL;
	if (radix_ts_refine(&s->ev[0].t, sizeof(*s->ev), s->n, perm) == -1)
		goto nomem;
	radix_apply(s->ev, sizeof(*s->ev), perm, s->n);
	free(perm);
	return 0;
nomem:
	free(perm);
	free(key);
	return diag_set(d, DIAG_NOMEM, "out of memory sorting %zu events",
	    s->n);
}
