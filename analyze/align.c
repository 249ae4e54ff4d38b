#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "align.h"
#include "eventstore.h"
#include "radix.h"
#include "run.h"

struct align {
	struct align_opt	 o;
	struct eventstore	*evs;
	struct align_stats st;
	uint32_t	*srcname;	/* o.srcoff's names' strtab numbers */
};

/* No mate: the store holds fewer than UINT32_MAX events. */
#define NO_MATE		UINT32_MAX

/*
 * The state of one pass of splitting and pairing over the sorted events.
 * Only mate is by the events (4 bytes each; paired by order is EV_ORDER in
 * the event's flags); first is by the runs, the scratch by the largest run.
 */
struct pass {
	uint32_t	*first;		/* runs' first events */
	size_t		 nruns;
	size_t		 big;		/* the largest run's events */
	size_t		 cap;		/* room in sbuf, ebuf, ids */
	uint32_t	*sbuf, *ebuf;	/* scratch: a run's starts and ends */
	struct idx	*ids;		/* scratch for pairing by id */
	uint32_t	*mate;		/* per event: its mate, or NO_MATE */
	struct run_gapinfo gi;
	uint64_t	 timed_out;	/* starts the timeout took out */
	int		 gap_timeout;	/* the timeout capped the gap */
	int		 ordered;	/* EV_ORDER set on some events */
};

struct idx {
	uint32_t	 id;		/* the id's strtab number */
	uint32_t	 i;
};

struct align *
align_new(const struct align_opt *o, struct diag *d)
{
	struct align *a;

	if ((a = calloc(1, sizeof(*a))) == NULL ||
	    (a->evs = eventstore_new()) == NULL) {
		free(a);
		diag_set(d, DIAG_NOMEM, "out of memory");
		return NULL;
	}
	a->o = *o;
	/* The sources' names interned with the events' src: an event's
	 * source is then found by its number. */
	if (o->nsrcoff > 0 &&
	    (a->srcname = calloc(o->nsrcoff, sizeof(*a->srcname))) == NULL)
		goto nomem;
	for (size_t k = 0; k < o->nsrcoff; k++) {
		const char *p = strtab_intern(a->evs->strs, o->srcoff[k].src,
		    strlen(o->srcoff[k].src));

		if (p == NULL)
			goto nomem;
		a->srcname[k] = strtab_id(p);
	}
	return a;
nomem:
	align_free(a);
	diag_set(d, DIAG_NOMEM, "out of memory");
	return NULL;
}

void
align_free(struct align *a)
{
	if (a == NULL)
		return;
	eventstore_free(a->evs);
	free(a->srcname);
	free(a);
}

int
align_add_rec(struct align *a, const struct record *r, struct diag *d)
{
	return eventstore_add(a->evs, r, d);
}

int
align_add_input(struct align *a, const struct trailer *in, struct diag *d)
{
	return eventstore_add_input(a->evs, in, d);
}

int
align_add_line(struct align *a, const char *line, size_t n, struct diag *d)
{
	return eventstore_line(a->evs, line, n, d);
}

size_t
align_count(const struct align *a)
{
	return a->evs->n;
}

void
align_stats(const struct align *a, struct align_stats *st)
{
	*st = a->st;
	st->unknown_keys = a->evs->unknown_keys;
	st->fast_lines = a->evs->fast;
	st->cjson_lines = a->evs->slow;
}

/*
 * A time made from the event e left the range of times: say so, naming e
 * (d->src, d->line), its time, what moved it (how) and the end passed
 * (why, from ts_check).  Always returns -1.
 */
static int
range_error(const struct eventstore *s, const struct ev *e, const char *how,
    const struct diag *why, struct diag *d)
{
	char ts[TS_ISO_MAX];

	ts_iso(&e->t, ts);
	d->src = ev_str(s, e->src);
	d->line = (unsigned long)ev_line(e);
	d->col = 0;
	return diag_set(d, DIAG_DATA, "%s the %s at %s out of the range of "
	    "years 1970-9999: %s", how, (ev_flags(e) & EV_START) ? "start" :
	    "end", ts, why->msg);
}

/* The --offset SRC=DURATION of the source numbered src, or NULL. */
static const struct src_offset *
src_off(const struct align *a, uint32_t src)
{
	for (size_t k = 0; k < a->o.nsrcoff; k++)
		if (a->srcname[k] == src)
			return &a->o.srcoff[k];
	return NULL;
}

/*
 * What moved a time, for range_error(): "--offset 0.5 s moves", "--offset
 * auto (-0.3 s) moves", "--offset web-2=1.5 s moves", or two of them
 * "... and ... move".
 */
static void
what_moved(char *how, size_t sz, const struct src_offset *so,
    const struct ts *plain, int autom)
{
	char num[TS_EPOCH_MAX], pl[TS_EPOCH_MAX + 32] = "", sr[400] = "";

	if (plain != NULL) {
		ts_epoch(plain, num);
		snprintf(pl, sizeof(pl), autom ? "--offset auto (%s s)" :
		    "--offset %s s", num);
	}
	if (so != NULL) {
		ts_epoch(&so->off, num);
		snprintf(sr, sizeof(sr), "--offset %s=%s s", so->src, num);
	}
	snprintf(how, sz, "%s%s%s %s", sr, so != NULL && plain != NULL ?
	    " and " : "", pl, so != NULL && plain != NULL ? "move" : "moves");
}

/*
 * Move the events' times: with sources, every event of a source named by
 * --offset SRC=DURATION by its DURATION; with plain non-NULL, every start
 * by *plain on top (autom: --offset auto chose it).  A time that leaves
 * the range is an error naming its event and the offsets.
 */
static int
shift(struct align *a, int sources, const struct ts *plain, int autom,
    struct diag *d)
{
	static const struct ts zero;
	struct eventstore *s = a->evs;
	char how[512];
	struct diag why;
	struct ts t, off, neg;

	if (plain == NULL && (!sources || a->o.nsrcoff == 0))
		return 0;	/* nothing moves */
	for (size_t i = 0; i < s->n; i++) {
		struct ev *e = &s->ev[i];
		const struct src_offset *so = sources ? src_off(a, e->src) :
		    NULL;
		const struct ts *p = (ev_flags(e) & EV_START) ? plain : NULL;

		if (so == NULL && p == NULL)
			continue;
		if (so != NULL && p != NULL) {
			ts_sub(&zero, p, &neg);		/* so->off + *p */
			ts_sub(&so->off, &neg, &off);
		} else
			off = so != NULL ? so->off : *p;
		if (ts_add(&e->t, &off, &t, &why) == -1) {
			what_moved(how, sizeof(how), so, p, autom);
			return range_error(s, e, how, &why, d);
		}
		if (ts_cmp(&t, &e->t) != 0)
			eventstore_moved(s);
		e->t = t;
	}
	return 0;
}

/* Every --offset SRC=DURATION names an input (the trailers, made up ones
 * included, name every source): one that does not is a usage error. */
static int
check_sources(const struct align *a, struct diag *d)
{
	const struct eventstore *s = a->evs;
	char names[256];
	size_t k, i, n;

	for (k = 0; k < a->o.nsrcoff; k++) {
		for (i = 0; i < s->ninputs; i++)
			if (strcmp(s->inputs[i].src, a->o.srcoff[k].src) == 0)
				break;
		if (i < s->ninputs)
			continue;
		names[0] = '\0';
		for (i = 0, n = 0; i < s->ninputs && n < sizeof(names); i++)
			n += (size_t)snprintf(names + n, sizeof(names) - n,
			    "%s%s", i > 0 ? ", " : "", s->inputs[i].src);
		d->src = NULL;
		d->line = 0;
		return diag_set(d, DIAG_USAGE, "--offset %s=...: no input is "
		    "named \"%s\" (the inputs: %s)", a->o.srcoff[k].src,
		    a->o.srcoff[k].src, names);
	}
	return 0;
}

/* The other end of a request with a dur, in *x (start or end): out of the
 * range is an error naming the event. */
static int
dur_end(const struct eventstore *s, const struct ev *e, struct req *x,
    struct diag *d)
{
	const struct ts *dur = eventstore_dur(s, e);
	char how[TS_EPOCH_MAX + 48], num[TS_EPOCH_MAX];
	struct diag why;
	int rc;

	if (ev_flags(e) & EV_START) {
		x->start = e->t;
		rc = ts_add(&e->t, dur, &x->end, &why);
	} else {
		ts_sub(&e->t, dur, &x->start);
		x->end = e->t;
		rc = ts_check(&x->start, &why);
	}
	if (rc == 0)
		return 0;
	ts_epoch(dur, num);
	snprintf(how, sizeof(how), "dur %s s takes the other end of", num);
	return range_error(s, e, how, &why, d);
}

static int
idcmp(const void *pa, const void *pb)
{
	const struct idx *a = pa, *b = pb;

	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

/* The k-th start with the k-th end; order: not by id (EV_ORDER). */
static void
by_order(struct ev *ev, struct pass *p, const uint32_t *s, size_t ns,
    const uint32_t *e, size_t ne, int order)
{
	for (size_t k = 0; k < ns && k < ne; k++) {
		p->mate[s[k]] = e[k];
		p->mate[e[k]] = s[k];
		if (order) {
			p->ordered = 1;
			ev_set_flags(&ev[s[k]], ev_flags(&ev[s[k]]) | EV_ORDER);
			ev_set_flags(&ev[e[k]], ev_flags(&ev[e[k]]) | EV_ORDER);
		}
	}
}

/* Pair the starts and ends of the run ev[a..b) into p->mate. */
static void
pair_run(struct ev *ev, size_t a, size_t b, struct pass *p)
{
	size_t ns = 0, ne = 0, nis = 0, nie = 0, k, l;
	int sid = 0, eid = 0;

	for (size_t i = a; i < b; i++) {
		if (ev_flags(&ev[i]) & EV_DUR)
			continue;
		if (ev_flags(&ev[i]) & EV_START)
			sid |= ev[i].id != 0;
		else
			eid |= ev[i].id != 0;
	}
	for (size_t i = a; i < b; i++) {
		unsigned f = ev_flags(&ev[i]);

		if (f & EV_DUR)
			continue;
		/* Ids on both sides: the ones with an id pair by id. */
		if (sid && eid && ev[i].id != 0) {
			p->ids[nis + nie].id = ev[i].id;
			p->ids[nis + nie].i = (uint32_t)i;
			if (f & EV_START)
				nis++;
			else
				nie++;
			continue;
		}
		if (f & EV_START)
			p->sbuf[ns++] = (uint32_t)i;
		else
			p->ebuf[ne++] = (uint32_t)i;
	}
	by_order(ev, p, p->sbuf, ns, p->ebuf, ne, 1);
	if (nis + nie == 0)
		return;
	/* Group by id; within an id, time order (the sorted index). */
	qsort(p->ids, nis + nie, sizeof(*p->ids), idcmp);
	for (k = 0; k < nis + nie; k = l) {
		ns = ne = 0;
		for (l = k; l < nis + nie && p->ids[l].id == p->ids[k].id; l++) {
			if (ev_flags(&ev[p->ids[l].i]) & EV_START)
				p->sbuf[ns++] = p->ids[l].i;
			else
				p->ebuf[ne++] = p->ids[l].i;
		}
		by_order(ev, p, p->sbuf, ns, p->ebuf, ne, 0);
	}
}

/* Starts that may never end: of kind start, without a dur. */
static int
open_starts(const struct eventstore *s)
{
	return s->nstarts > 0;
}

/* Whether any start and end can pair: both kinds without dur. */
static int
may_pair(const struct eventstore *s)
{
	return s->nstarts > 0 && s->nends > 0;
}

/* The end of run r (its first event's index after its last). */
static size_t
run_end(const struct pass *p, size_t r, size_t n)
{
	return r + 1 < p->nruns ? p->first[r + 1] : n;
}

/*
 * Split and pair, with a timeout (NULL: none).  Where the data's gap has
 * no break, the timeout caps it: starts with nothing in flight between
 * them, further apart than a start can stay in flight, are not one run.
 */
static int
split_and_pair(struct align *a, struct pass *p, const struct ts *timeout,
    struct diag *d)
{
	struct ev *ev = a->evs->ev;
	size_t n = a->evs->n, big = 0, nat = 0;
	uint32_t *at = NULL;
	void *q;

	/* Without both kinds the gap alone splits: run_gap notes where the
	 * gaps over 1 s are, and a gap of 1 s or more splits only there. */
	if (a->o.gap_given) {
		memset(&p->gi, 0, sizeof(p->gi));
		p->gi.gap = a->o.gap;
	} else if (run_gap_at(ev, n, &p->gi, may_pair(a->evs) ? NULL : &at,
	    &nat, d) == -1)
		return -1;
	p->gap_timeout = 0;
	if (timeout != NULL && !a->o.gap_given && !p->gi.broke &&
	    ts_cmp(timeout, &p->gi.gap) < 0) {
		p->gi.gap = *timeout;
		p->gap_timeout = 1;
	}
	free(p->first);
	p->first = NULL;
	if (!a->o.gap_given && !may_pair(a->evs) && p->gi.gap.sec >= 1) {
		/* No pass over the events: no more runs than gaps over 1 s,
		 * and nothing in flight, nothing timed out. */
		if ((p->first = malloc((nat + 1) * sizeof(*p->first))) == NULL) {
			free(at);
			return diag_set(d, DIAG_NOMEM, "out of memory for %zu "
			    "runs", nat + 1);
		}
		p->nruns = run_split_at(ev, n, at, nat, &p->gi.gap, p->first);
		p->timed_out = 0;
		free(at);
	} else {
		free(at);
		/* The mates are not made yet: their room is the split's
		 * scratch with a timeout, so the runs are counted, then noted
		 * in first[]; without one, noted there (no more runs than
		 * events), then copied: one pass. */
		p->nruns = run_split_timeout(ev, n, &p->gi.gap, timeout,
		    may_pair(a->evs), p->mate, timeout == NULL ? p->mate :
		    NULL, &p->timed_out);
		if ((p->first = malloc(p->nruns * sizeof(*p->first))) == NULL)
			return diag_set(d, DIAG_NOMEM, "out of memory for %zu "
			    "runs", p->nruns);
		if (timeout == NULL)
			memcpy(p->first, p->mate, p->nruns *
			    sizeof(*p->first));
		else
			run_split_timeout(ev, n, &p->gi.gap, timeout,
			    may_pair(a->evs), p->mate, p->first,
			    &p->timed_out);
	}
	for (size_t r = 0; r < p->nruns; r++) {
		size_t m = run_end(p, r, n) - p->first[r];

		big = m > big ? m : big;
	}
	p->big = big;
	if (big > p->cap) {
		if ((q = realloc(p->sbuf, big * sizeof(*p->sbuf))) == NULL)
			goto nomem;
		p->sbuf = q;
		if ((q = realloc(p->ebuf, big * sizeof(*p->ebuf))) == NULL)
			goto nomem;
		p->ebuf = q;
		if ((q = realloc(p->ids, big * sizeof(*p->ids))) == NULL)
			goto nomem;
		p->ids = q;
		p->cap = big;
	}
	/* NO_MATE is all ones; EV_ORDER is cleared only where an earlier
	 * pass set it. */
	memset(p->mate, 0xff, n * sizeof(*p->mate));
	for (size_t i = 0; p->ordered && i < n; i++)
		ev_set_flags(&ev[i], ev_flags(&ev[i]) & ~(unsigned)EV_ORDER);
	p->ordered = 0;
	/* Without both kinds nothing pairs: every mate stays NO_MATE. */
	for (size_t r = 0; may_pair(a->evs) && r < p->nruns; r++)
		pair_run(ev, p->first[r], run_end(p, r, n), p);
	return 0;
nomem:
	return diag_set(d, DIAG_NOMEM, "out of memory for a run of %zu "
	    "events", big);
}

/* The latency the i-th event gives, in *l: an end paired (end - start)
 * or an event with dur (its dur).  0, or -1 when it gives none. */
static int
latency(const struct eventstore *s, const struct pass *p, size_t i,
    struct ts *l)
{
	const struct ev *e = &s->ev[i];

	if (ev_flags(e) & EV_DUR) {
		*l = *eventstore_dur(s, e);
		return 0;
	}
	if ((ev_flags(e) & EV_START) || p->mate[i] == NO_MATE)
		return -1;
	ts_sub(&e->t, &s->ev[p->mate[i]].t, l);
	return 0;
}

/*
 * The k-th smallest (from 1) of the m latencies, in *out (its seconds and
 * nanoseconds).  When they span less than 2^34 s (always, but for events
 * centuries apart), sorted as 64-bit keys (seconds from the least, above
 * 30 bits of nanoseconds: ts_cmp's order), 8 bytes a latency and the
 * sort's as much; otherwise as struct ts.  Returns 0, or -1 when out of
 * memory.
 */
static int
kth_latency(const struct eventstore *s, const struct pass *p, size_t m,
    size_t k, struct ts *out)
{
	uint64_t *key;
	struct ts l, *lat;
	int64_t lo = 0, hi = 0;
	size_t i, j = 0;
	int rc;

	for (i = 0; i < s->n; i++)
		if (latency(s, p, i, &l) == 0) {
			lo = j == 0 || l.sec < lo ? l.sec : lo;
			hi = j++ == 0 || l.sec > hi ? l.sec : hi;
		}
	memset(out, 0, sizeof(*out));
	if ((uint64_t)hi - (uint64_t)lo >= (UINT64_C(1) << 34)) {
		if ((lat = malloc(m * sizeof(*lat))) == NULL)
			return -1;
		for (i = 0, j = 0; i < s->n; i++)
			if (latency(s, p, i, &lat[j]) == 0)
				j++;
		if ((rc = radix_ts_sort(lat, m)) == 0)
			*out = lat[k - 1];
		free(lat);
		return rc;
	}
	if ((key = malloc(m * sizeof(*key))) == NULL)
		return -1;
	for (i = 0, j = 0; i < s->n; i++)
		if (latency(s, p, i, &l) == 0)
			key[j++] = (uint64_t)(l.sec - lo) << 30 | (uint64_t)l.nsec;
	if ((rc = radix_pairs(key, NULL, m)) == 0) {
		out->sec = lo + (int64_t)(key[k - 1] >> 30);
		out->nsec = (int32_t)(key[k - 1] & ((UINT64_C(1) << 30) - 1));
	}
	free(key);
	return rc;
}

/*
 * The default --timeout: 10 times the p99 (nearest rank) of the latencies
 * of the pairs and of the events with dur, at least 1 s.  A latency is at
 * most the range of times (2.6e11 s): ten of it fit the seconds.
 */
static int
default_timeout(const struct eventstore *s, const struct pass *p,
    struct ts *out, struct diag *d)
{
	static const struct ts one_s = { 1, 0, 0, 0 };
	struct ts l, t;
	size_t m = 0;
	int64_t ns;

	*out = one_s;
	for (size_t i = 0; i < s->n; i++)
		m += latency(s, p, i, &l) == 0;
	if (m == 0)
		return 0;
	/* ceil(0.99 m), 1..m */
	if (kth_latency(s, p, m, (99 * m + 99) / 100, &t) == -1)
		return diag_set(d, DIAG_NOMEM, "out of memory for %zu latencies",
		    m);
	if (t.sec >= 0) {
		ns = (int64_t)t.nsec * 10;
		t.sec = t.sec * 10 + ns / 1000000000;
		t.nsec = (int32_t)(ns % 1000000000);
		t.digits = ts_min_digits(t.nsec);
		t.flags = 0;
		if (ts_cmp(&t, out) > 0)
			*out = t;
	}
	return 0;
}

/*
 * The least end - start over the pairs, in *min; returns the index of the
 * end of the worst pair, or SIZE_MAX when there are no pairs.
 */
static size_t
worst_pair(const struct eventstore *s, const struct pass *p, struct ts *min)
{
	size_t w = SIZE_MAX;
	struct ts l;

	for (size_t i = 0; may_pair(s) && i < s->n; i++) {
		if ((ev_flags(&s->ev[i]) & EV_START) || p->mate[i] == NO_MATE)
			continue;
		ts_sub(&s->ev[i].t, &s->ev[p->mate[i]].t, &l);
		if (w == SIZE_MAX || ts_cmp(&l, min) < 0) {
			*min = l;
			w = i;
		}
	}
	return w;
}

static int
run_of(const struct pass *p, size_t i)
{
	size_t lo = 0, hi = p->nruns;

	/* The last run whose first event is at or before i. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->first[mid] <= i)
			lo = mid;
		else
			hi = mid;
	}
	return (int)lo + 1;
}

static int
nest_error(struct align *a, const struct pass *p, size_t e, struct diag *d)
{
	const char *hint = a->o.offset_mode == ALIGN_OFFSET_AUTO ?
	    "even after --offset auto (the runs changed with the shift); "
	    "try --offset DURATION or --gap" :
	    "the two logs' clocks differ: try --offset auto, --offset "
	    "DURATION, or --offset SRC=DURATION for one input";
	const struct eventstore *s = a->evs;
	const struct ev *end = &s->ev[e], *st = &s->ev[p->mate[e]];
	char es[TS_ISO_MAX], ss[TS_ISO_MAX];

	ts_iso(&end->t, es);
	ts_iso(&st->t, ss);
	d->src = ev_str(s, end->src);
	d->line = (unsigned long)ev_line(end);
	d->col = 0;
	return diag_set(d, DIAG_DATA, "end at %s precedes its start at %s "
	    "(%s:%llu) in run %d; %s", es, ss, ev_str(s, st->src),
	    (unsigned long long)ev_line(st), run_of(p, e), hint);
}

/* A string's number from the end e, else from the start s (0: none). */
static uint32_t
either(uint32_t e, uint32_t s)
{
	return e != 0 ? e : s;
}

/*
 * Put the run's m requests x[0..m), made in the order of their events, in
 * the contract's order: completed ones by end time, then unmatched starts
 * by start time, ties in the order of their events (stable sorts); and
 * number them.
 */
static int
order_run(struct req *x, size_t m, uint32_t *perm)
{
	size_t ne = 0, ns = 0, k;

	for (k = 0; k < m; k++)
		if (x[k].has_end)
			perm[ne++] = (uint32_t)k;
	for (k = 0; k < m; k++)
		if (!x[k].has_end)
			perm[ne + ns++] = (uint32_t)k;
	if (radix_ts_refine(&x->end, sizeof(*x), ne, perm) == -1 ||
	    radix_ts_refine(&x->start, sizeof(*x), ns, perm + ne) == -1)
		return -1;
	radix_apply(x, sizeof(*x), perm, m);
	for (k = 0; k < m; k++)
		x[k].i = (uint32_t)k;
	return 0;
}

/*
 * The request the event e makes, e not a paired start (its end makes it):
 * with its start's event st when e is a paired end.  pid, tid, id and
 * route are the end's when it has them, else the start's; the status is
 * the response's: the end's first.
 */
static int
request_of(const struct eventstore *s, const struct ev *e,
    const struct ev *st, uint32_t run, struct req *x, struct diag *d)
{
	unsigned f = ev_flags(e);

	memset(x, 0, sizeof(*x));
	x->run = run;
	if (f & EV_DUR) {
		x->has_start = x->has_end = 1;
		if (dur_end(s, e, x, d) == -1)
			return -1;
	} else if (f & EV_START) {
		x->has_start = 1;
		x->start = e->t;
	} else {
		x->has_end = 1;
		x->end = e->t;
		if (st != NULL) {
			x->has_start = 1;
			x->start = st->t;
			x->by_order = (f & EV_ORDER) != 0;
		}
	}
	x->pid = ev_str(s, either(e->pid, st ? st->pid : 0));
	x->tid = ev_str(s, either(e->tid, st ? st->tid : 0));
	x->id = ev_str(s, either(e->id, st ? st->id : 0));
	x->route = ev_str(s, either(e->route, st ? st->route : 0));
	x->status = ev_status(e) != 0 ? ev_status(e) :
	    st != NULL ? ev_status(st) : 0;
	return 0;
}

/* A request's record is made in the room of the events it comes from. */
_Static_assert(sizeof(struct reqrec) <= sizeof(struct ev),
    "a request's record fits in an event's room");

/*
 * The requests, made in place: the events' array becomes out->rec.  Each
 * run's requests are made as struct req in a scratch array by the largest
 * run, put in order, then packed over the run's events (a record is no
 * larger than an event, and no run has more requests than events), so no
 * second array by the events is needed.  Takes the events from the store,
 * whatever it returns.
 */
static int
build(struct align *a, struct pass *p, struct reqset *out, struct diag *d)
{
	struct eventstore *s = a->evs;
	const struct ev *ev = s->ev;
	struct reqrec *rec = (struct reqrec *)(void *)s->ev, *q;
	struct req *x;
	size_t n = s->n, nreq = 0;
	uint32_t *perm;
	int rc = -1, ends;

	/* The array is the set's from here on, whatever happens. */
	out->rec = rec;
	s->ev = NULL;
	s->cap = 0;
	/* Every event a plain end (a log of completions): nothing paired,
	 * each event its request, already in the requests' order. */
	ends = s->nends == n;
	perm = ends ? NULL : malloc(p->big * sizeof(*perm));
	x = ends ? NULL : malloc(p->big * sizeof(*x));
	if ((!ends && (perm == NULL || x == NULL)) ||
	    (out->run_first = calloc(p->nruns, sizeof(size_t))) == NULL ||
	    (out->run_no = calloc(p->nruns, sizeof(uint32_t))) == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory for %zu requests", n);
		goto out;
	}
	for (size_t r = 0; ends && r < p->nruns; r++) {
		out->run_first[r] = nreq;
		out->run_no[r] = (uint32_t)(r + 1);
		for (size_t b = run_end(p, r, n); nreq < b; nreq++) {
			/* The record is packed over its own event's room
			 * (nreq is the event's index): read it first. */
			struct ev e = ev[nreq];

			if (reqrec_pack_end(&e.t, ev_status(&e), e.pid, e.tid,
			    e.id, e.route, &rec[nreq]) == -1) {
				diag_set(d, DIAG_DATA, "a request that cannot "
				    "be kept (status %d)", ev_status(&e));
				goto out;
			}
		}
	}
	for (size_t r = 0; !ends && r < p->nruns; r++) {
		size_t b = run_end(p, r, n), m = 0;
		uint64_t lone_ends = 0;
		int starts = 0;

		out->run_first[r] = nreq;
		out->run_no[r] = (uint32_t)(r + 1);
		for (size_t i = p->first[r]; i < b; i++)
			if ((ev_flags(&ev[i]) & (EV_START | EV_DUR)) == EV_START)
				starts = 1;
		/* Pairs are inside a run: a mate is among ev[first..b). */
		for (size_t i = p->first[r]; i < b; i++) {
			unsigned f = ev_flags(&ev[i]) & (EV_START | EV_DUR);
			const struct ev *st = NULL;

			if (p->mate[i] != NO_MATE) {
				if (f == EV_START)
					continue;	/* made with its end */
				st = &ev[p->mate[i]];
			}
			if (request_of(s, &ev[i], st, (uint32_t)(r + 1), &x[m++],
			    d) == -1)
				goto out;
			if (f == EV_START)
				out->info.unmatched_starts++;
			else if (f == 0 && st == NULL)
				lone_ends++;
		}
		/* A run of completions only pairs nothing: its ends are not
		 * "unmatched", there was nothing to match them with (skew-fit
		 * counts them the same way). */
		if (starts)
			out->info.unmatched_ends += lone_ends;
		if (order_run(x, m, perm) == -1) {
			diag_set(d, DIAG_NOMEM, "out of memory for %zu requests",
			    n);
			goto out;
		}
		/* Over the run's events, all read: the run's requests are no
		 * more than its events, each record no larger. */
		for (size_t k = 0; k < m; k++)
			if (reqrec_pack(&x[k], &rec[nreq++]) == -1) {
				diag_set(d, DIAG_DATA, "a request that cannot "
				    "be kept (status %d)", x[k].status);
				goto out;
			}
	}
	/* The room of the starts made with their ends given back. */
	if (nreq > 0 && (q = realloc(rec, nreq * sizeof(*rec))) != NULL)
		out->rec = q;
	out->nreqs = nreq;
	out->nruns = p->nruns;
	rc = 0;
out:
	s->n = 0;
	free(perm);
	free(x);
	return rc;
}

int
align_finish(struct align *a, struct reqset *out, struct diag *d)
{
	struct eventstore *s = a->evs;
	struct pass p;
	struct ts min, need;
	size_t w, made;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	if (s->n == 0)
		return diag_set(d, DIAG_DATA, "no events");
	/* Events whose trailer never came: one is made up, marked so. */
	if (eventstore_complete(s, &made, d) == -1)
		return -1;
	if ((p.mate = calloc(s->n, sizeof(*p.mate))) == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory for %zu events", s->n);
		goto out;
	}
	memset(&out->info.offset, 0, sizeof(out->info.offset));
	if (check_sources(a, d) == -1)
		goto out;
	if (shift(a, 1, a->o.offset_mode == ALIGN_OFFSET_GIVEN ? &a->o.offset :
	    NULL, 0, d) == -1)
		goto out;
	if (a->o.offset_mode == ALIGN_OFFSET_GIVEN)
		out->info.offset = a->o.offset;
	out->info.srcoff = a->o.srcoff;
	out->info.nsrcoff = a->o.nsrcoff;
	if (eventstore_sort(s, d) == -1 ||
	    split_and_pair(a, &p, NULL, d) == -1)
		goto out;
	w = worst_pair(s, &p, &min);
	if (a->o.offset_mode == ALIGN_OFFSET_AUTO) {
		out->info.offset_auto = 1;
		out->info.auto_service = a->o.service;
		out->info.auto_service_given = a->o.service_given;
		/* With a service time T, every pair must last T at least. */
		need = min;
		if (w != SIZE_MAX && a->o.service_given)
			ts_sub(&min, &a->o.service, &need);
		if (w != SIZE_MAX && need.sec < 0) {
			/* Shift the start log back by the worst overlap: the
			 * smallest shift that nests every pair, as tracers
			 * correct a child span that starts before its parent.
			 * Runs and pairs can change with the shift, so they
			 * are made again. */
			if (shift(a, 0, &need, 1, d) == -1)
				goto out;
			out->info.offset = need;
			if (eventstore_sort(s, d) == -1 ||
			    split_and_pair(a, &p, NULL, d) == -1)
				goto out;
			w = worst_pair(s, &p, &min);
		}
	}
	/* Starts that may never end: split again with the timeout, so that
	 * one lost end does not hold the rest of the log in its run. */
	out->info.timeout_given = a->o.timeout_given;
	out->info.timeout = a->o.timeout;
	out->info.has_timeout = a->o.timeout_given;
	if (open_starts(s)) {
		if (!a->o.timeout_given &&
		    default_timeout(s, &p, &out->info.timeout, d) == -1)
			goto out;
		out->info.has_timeout = 1;
		if (split_and_pair(a, &p, &out->info.timeout, d) == -1)
			goto out;
		w = worst_pair(s, &p, &min);
		out->info.timed_out = p.timed_out;
		out->info.gap_timeout = p.gap_timeout;
	}
	if (w != SIZE_MAX && min.sec < 0) {
		nest_error(a, &p, w, d);
		goto out;
	}
	/* Only the runs and the mates are needed from here on. */
	free(p.sbuf);
	free(p.ebuf);
	free(p.ids);
	p.sbuf = p.ebuf = NULL;
	p.ids = NULL;
	p.cap = 0;
	out->info.events = s->n;
	if (build(a, &p, out, d) == -1)
		goto out;
	out->info.runs = p.nruns;
	out->info.gap = p.gi.gap;
	out->info.gap_given = a->o.gap_given;
	a->st.gap_broke = p.gi.broke;
	a->st.gap_below = p.gi.below;
	a->st.gap_above = p.gi.above;
	/* The set takes the strings and the trailers; the store keeps none. */
	out->strings = s->strs;
	s->strs = NULL;
	out->inputs = s->inputs;
	out->ninputs = s->ninputs;
	s->inputs = NULL;
	s->ninputs = s->capinputs = 0;
	rc = 0;
out:
	if (rc == -1)
		reqset_free(out);
	free(p.first);
	free(p.sbuf);
	free(p.ebuf);
	free(p.mate);
	free(p.ids);
	return rc;
}
