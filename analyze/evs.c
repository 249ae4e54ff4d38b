#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dur.h"
#include "evs.h"
#include "jr.h"

struct evs *
evs_new(void)
{
	struct evs *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if ((s->strs = strtab_new()) == NULL) {
		free(s);
		return NULL;
	}
	return s;
}

void
evs_free(struct evs *s)
{
	if (s == NULL)
		return;
	free(s->ev);
	for (size_t i = 0; i < s->ninputs; i++)
		rec_input_free(&s->inputs[i]);
	free(s->inputs);
	strtab_free(s->strs);
	free(s);
}

/* Room for one more event; the array doubles, so adding is amortised O(1)
 * and the slack is at most the size of the data. */
static struct ev *
next_ev(struct evs *s, struct diag *d)
{
	struct ev *p;

	if (s->n == UINT32_MAX) {
		diag_set(d, DIAG_DATA, "more than %lu events",
		    (unsigned long)UINT32_MAX);
		return NULL;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;

		if ((p = realloc(s->ev, cap * sizeof(*p))) == NULL) {
			diag_set(d, DIAG_NOMEM, "out of memory for %zu events",
			    cap);
			return NULL;
		}
		s->ev = p;
		s->cap = cap;
	}
	p = &s->ev[s->n];
	memset(p, 0, sizeof(*p));
	p->seq = (uint32_t)s->n;
	return p;
}

static int
intern(struct evs *s, const char *str, size_t n, const char **out,
    struct diag *d)
{
	if (str == NULL) {
		*out = NULL;
		return 0;
	}
	if ((*out = strtab_intern(s->strs, str, n)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory for strings");
	return 0;
}

/* Store one event; r->src is srcn bytes, not necessarily NUL-terminated
 * (the fast reader's points into the line). */
static int
add(struct evs *s, const struct rec *r, const char *src, size_t srcn,
    struct diag *d)
{
	struct ev *e;

	if ((e = next_ev(s, d)) == NULL)
		return -1;
	e->t = r->t;
	e->line = r->line;
	if (r->kind == REC_START)
		e->flags |= EV_START;
	if (r->has_dur) {
		e->flags |= EV_DUR;
		e->dur = r->dur;
	}
	if (intern(s, src, srcn, &e->src, d) == -1 ||
	    intern(s, r->pid.s, r->pid.n, &e->pid, d) == -1 ||
	    intern(s, r->tid.s, r->tid.n, &e->tid, d) == -1 ||
	    intern(s, r->id.s, r->id.n, &e->id, d) == -1)
		return -1;
	s->n++;
	return 0;
}

int
evs_add(struct evs *s, const struct rec *r, struct diag *d)
{
	const char *src = r->src != NULL ? r->src : "-";

	return add(s, r, src, strlen(src), d);
}

/* An event read from an NDJSON line, by either reader: as a record from
 * the parser, so that one function stores every event. */
static int
store(struct evs *s, const char *src, size_t srcn, uint64_t line,
    const struct ts *t, int start, const char *pid, size_t pidn,
    const char *tid, size_t tidn, const char *id, size_t idn,
    const struct ts *dur, struct diag *d)
{
	struct rec r;

	memset(&r, 0, sizeof(r));
	r.line = line;
	r.t = *t;
	r.kind = start ? REC_START : REC_END;
	r.pid = (struct rec_str){ pid, pidn };
	r.tid = (struct rec_str){ tid, tidn };
	r.id = (struct rec_str){ id, idn };
	if (dur != NULL) {
		r.has_dur = 1;
		r.dur = *dur;
	}
	return add(s, &r, src, srcn, d);
}

int
evs_add_input(struct evs *s, const struct rec_input *in, struct diag *d)
{
	struct rec_input *c;

	if (s->ninputs == s->capinputs) {
		size_t cap = s->capinputs ? s->capinputs * 2 : 8;

		if ((c = realloc(s->inputs, cap * sizeof(*c))) == NULL)
			return diag_set(d, DIAG_NOMEM, "out of memory");
		s->inputs = c;
		s->capinputs = cap;
	}
	if (rec_input_copy(&s->inputs[s->ninputs], in, d) == -1)
		return -1;
	s->ninputs++;
	return 0;
}

static int
isdig(char ch)
{
	return ch >= '0' && ch <= '9';
}

/*
 * Seconds as skew-parse writes them: (0|[1-9]d{0,11})(.d{1,9})?.  cJSON
 * also takes leading zeros, exponents and more digits than a nanosecond;
 * none of these is an exact duration, and dur_parse() need not see them.
 */
static int
plain_decimal(const char *v, size_t vn)
{
	size_t i = 0, k;

	for (k = 0; i < vn && isdig(v[i]); i++)
		k++;
	if (k == 0 || k > 12 || (k > 1 && v[0] == '0'))
		return 0;
	if (i == vn)
		return 1;
	if (v[i++] != '.')
		return 0;
	for (k = 0; i < vn && isdig(v[i]); i++)
		k++;
	return k >= 1 && k <= 9 && i == vn;
}

/* "dur" from its decimal text: seconds, not negative. */
static int
dur_text(const char *v, size_t vn, struct ts *out, struct diag *d)
{
	char buf[64], q[80];
	struct diag dd;

	diag_clear(&dd);
	if (!plain_decimal(v, vn))
		goto bad;
	memcpy(buf, v, vn);
	buf[vn] = '\0';
	if (dur_parse(buf, 0, out, &dd) == 0)
		return 0;
bad:
	return diag_set(d, DIAG_JSON,
	    "expected \"dur\" as decimal seconds (e.g. 0.25), got %s",
	    diag_quote(q, sizeof(q), v, vn, 40));
}

static int
ts_text(const char *v, size_t vn, struct ts *t, struct diag *d)
{
	struct ts_opt o = { TS_ISO, NULL, 0, NULL };
	struct diag dd;
	char q[80];

	diag_clear(&dd);
	if (ts_parse(v, vn, &o, t, &dd) == 0)
		return 0;
	return diag_set(d, DIAG_TS, "expected \"ts\" as an ISO time, got %s: %s",
	    diag_quote(q, sizeof(q), v, vn, 40), dd.msg);
}

static int
trailer(struct evs *s, const cJSON *o, const char *line, size_t n,
    struct diag *d)
{
	struct rec_input in;
	int rc;

	if (rec_input_read(o, line, n, &in, &s->unknown_keys, d) == -1)
		return -1;
	rc = evs_add_input(s, &in, d);
	rec_input_free(&in);
	return rc;
}

static int
event(struct evs *s, const cJSON *o, int start, const char *line, size_t n,
    struct diag *d)
{
	static const char *const known[] = { "src", "line", "ts", "t", "kind",
	    "pid", "tid", "id", "dur", NULL };
	const cJSON *ts, *dur;
	const char *src, *v;
	struct jr_bytes pid, tid, id;
	uint64_t lno = 0;
	size_t vn;
	struct ts t, dv;
	int rc = -1;

	memset(&pid, 0, sizeof(pid));
	memset(&tid, 0, sizeof(tid));
	memset(&id, 0, sizeof(id));
	if (jr_str(o, "src", 1, &src, d) == -1 ||
	    jr_count(o, "line", 1, JR_MAX, 1, &lno, d) == -1 ||
	    jr_bytes(o, line, n, "pid", 0, &pid, d) == -1 ||
	    jr_bytes(o, line, n, "tid", 0, &tid, d) == -1 ||
	    jr_bytes(o, line, n, "id", 0, &id, d) == -1)
		goto out;
	ts = cJSON_GetObjectItemCaseSensitive(o, "ts");
	if (!cJSON_IsString(ts)) {
		diag_set(d, DIAG_JSON,
		    "expected \"ts\" as a string with an ISO time, got %s",
		    jr_type(ts));
		goto out;
	}
	if (ts_text(ts->valuestring, strlen(ts->valuestring), &t, d) == -1)
		goto out;
	dur = cJSON_GetObjectItemCaseSensitive(o, "dur");
	if (dur != NULL && !cJSON_IsNull(dur)) {
		if (!cJSON_IsNumber(dur) ||
		    jr_raw(line, n, "dur", &v, &vn) == -1) {
			diag_set(d, DIAG_JSON,
			    "expected \"dur\" as a number of seconds, got %s",
			    jr_type(dur));
			goto out;
		}
		if (dur_text(v, vn, &dv, d) == -1)
			goto out;
	} else
		dur = NULL;
	if (store(s, src, strlen(src), lno, &t, start, pid.s, pid.n, tid.s,
	    tid.n, id.s, id.n, dur != NULL ? &dv : NULL, d) == -1)
		goto out;
	s->unknown_keys += jr_unknown(o, known);
	rc = 0;
out:
	jr_bytes_free(&pid);
	jr_bytes_free(&tid);
	jr_bytes_free(&id);
	return rc;
}

int
evs_line_cjson(struct evs *s, const char *line, size_t n, struct diag *d)
{
	cJSON *o;
	const cJSON *k;
	const char *kind;
	char q[80];
	int r;

	if ((o = jr_parse(line, n, "an event or an input trailer", d)) == NULL)
		return -1;
	k = cJSON_GetObjectItemCaseSensitive(o, "kind");
	kind = cJSON_IsString(k) ? k->valuestring : NULL;
	if (kind != NULL && strcmp(kind, "end") == 0)
		r = event(s, o, 0, line, n, d);
	else if (kind != NULL && strcmp(kind, "start") == 0)
		r = event(s, o, 1, line, n, d);
	else if (kind != NULL && strcmp(kind, "input") == 0)
		r = trailer(s, o, line, n, d);
	else if (kind != NULL && strcmp(kind, "align") == 0) {
		s->align_recs++;
		r = diag_set(d, DIAG_JSON, "an \"align\" record: this is "
		    "skew-align's output; skew-align reads skew-parse's events");
	} else if (kind == NULL && cJSON_GetObjectItemCaseSensitive(o,
	    "run") != NULL)
		r = diag_set(d, DIAG_JSON, "a request record: this is "
		    "skew-align's output; skew-align reads skew-parse's events");
	else
		r = diag_set(d, DIAG_JSON, "expected \"kind\" as \"start\", "
		    "\"end\" or \"input\", got %s",
		    kind ? diag_quote(q, sizeof(q), kind, strlen(kind), 20) :
		    jr_type(k));
	cJSON_Delete(o);
	return r;
}

/*
 * The hand-written fast path, for exactly the layout skew-parse writes:
 * {"src":"..","line":N,"ts":"..","t":NUM,"kind":"end"|"start"} with
 * optional ,"pid":"..",  ,"tid":"..",  ,"id":"..",  ,"dur":NUM  in that
 * order, no spaces, no escapes.  cJSON builds a tree of allocated nodes per
 * line, which dominated the time on two million events; this reads the
 * same lines in place.  Anything else returns 1 and is left to cJSON, so the
 * fast path never decides what is valid on its own: tests/evs.c checks it
 * gives what cJSON gives on many lines.
 */
static int
fast(struct evs *s, const char *line, size_t n, struct diag *d)
{
	struct jr_cur c = { line, line + n };
	const char *src, *ts, *num, *pid = NULL, *tid = NULL, *id = NULL;
	const char *dur = NULL;
	size_t srcn, tsn, numn, pidn = 0, tidn = 0, idn = 0, durn = 0;
	uint64_t lno = 0;
	int start;
	struct ts t, dv;

	if (!JR_LIT(&c, "{\"src\":\"") || !jr_plain(&c, &src, &srcn) ||
	    !JR_LIT(&c, ",\"line\":") || !jr_whole(&c, &lno) || lno == 0)
		return 1;
	if (!JR_LIT(&c, ",\"ts\":\"") || !jr_plain(&c, &ts, &tsn) ||
	    !JR_LIT(&c, ",\"t\":") || !jr_number(&c, &num, &numn) ||
	    !JR_LIT(&c, ",\"kind\":\""))
		return 1;
	if (JR_LIT(&c, "end\""))
		start = 0;
	else if (JR_LIT(&c, "start\""))
		start = 1;
	else
		return 1;
	if (JR_LIT(&c, ",\"pid\":\"") && !jr_plain(&c, &pid, &pidn))
		return 1;
	if (JR_LIT(&c, ",\"tid\":\"") && !jr_plain(&c, &tid, &tidn))
		return 1;
	if (JR_LIT(&c, ",\"id\":\"") && !jr_plain(&c, &id, &idn))
		return 1;
	if (JR_LIT(&c, ",\"dur\":") && !jr_number(&c, &dur, &durn))
		return 1;
	if (!JR_LIT(&c, "}") || c.p != c.end)
		return 1;
	/* From here on the line is valid JSON of the known layout: a fault is
	 * the same error cJSON's path would give. */
	if (ts_text(ts, tsn, &t, d) == -1)
		return -1;
	if (dur != NULL && dur_text(dur, durn, &dv, d) == -1)
		return -1;
	return store(s, src, srcn, lno, &t, start, pid, pidn, tid, tidn, id,
	    idn, dur != NULL ? &dv : NULL, d);
}

int
evs_line(struct evs *s, const char *line, size_t n, struct diag *d)
{
	int r;

	if ((r = fast(s, line, n, d)) <= 0) {
		s->fast++;
		return r;
	}
	s->slow++;
	return evs_line_cjson(s, line, n, d);
}

/* One source seen: in a trailer, among the events, or both. */
struct seen {
	const char	*src;		/* interned: compared by pointer */
	int		 trailer;
	uint64_t	 events, maxline;
	uint32_t	 first;		/* seq of its first event */
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
evs_complete(struct evs *s, size_t *made, struct diag *d)
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
	for (size_t i = 0; i < s->n; i++) {
		if ((e = seen_get(&t, s->ev[i].src)) == NULL)
			goto nomem;
		if (e->events++ == 0)
			e->first = s->ev[i].seq;
		if (s->ev[i].line > e->maxline)
			e->maxline = s->ev[i].line;
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
		struct rec_input in;

		memset(&in, 0, sizeof(in));
		in.src = (char *)miss[k]->src;
		in.lines = miss[k]->maxline;
		in.events = miss[k]->events;
		in.incomplete = 1;
		if (evs_add_input(s, &in, d) == -1)
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

int
ev_cmp(const struct ev *a, const struct ev *b)
{
	int c;

	if ((c = ts_cmp(&a->t, &b->t)) != 0)
		return c;
	if (a->src != b->src && (c = strcmp(a->src, b->src)) != 0)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int
cmp(const void *a, const void *b)
{
	return ev_cmp(a, b);
}

void
evs_sort(struct evs *s)
{
	/* Sort by time, not input order: threads print concurrently, so log
	 * lines are out of order (the article's run 5).  The keys make the
	 * order total, so qsort's instability does not matter. */
	if (s->n > 1)
		qsort(s->ev, s->n, sizeof(*s->ev), cmp);
}
