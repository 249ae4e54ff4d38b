#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "aligntrailer.h"
#include "base/jsonin.h"
#include "radix.h"
#include "reqset.h"
#include "request.h"
#include "strtab.h"

int
reqset_init(struct reqset *rs, struct diag *d)
{
	memset(rs, 0, sizeof(*rs));
	if ((rs->strings = strtab_new()) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	return 0;
}

/* reqset.h's figure. */
_Static_assert(sizeof(void *) != 8 || sizeof(struct reqrec) == 40,
    "struct reqrec is 40 bytes on LP64");

/* struct reqrec's words s and e: the seconds (38 bits), the digits and the
 * flags (4 bits each); s then holds the status, has_start, has_end and
 * by_order. */
#define W_SEC		((UINT64_C(1) << 38) - 1)
#define W_DIGITS	38
#define W_FLAGS		42
#define W_STATUS	46
#define W_START		(UINT64_C(1) << 56)
#define W_END		(UINT64_C(1) << 57)
#define W_ORDER		(UINT64_C(1) << 58)

/* A time as its word and its nanoseconds: -1 when it does not fit. */
static int
put_ts(const struct ts *t, uint64_t *w, uint32_t *nsec)
{
	if (t->sec < 0 || (uint64_t)t->sec > W_SEC || t->nsec < 0 ||
	    t->digits > 15 || t->flags > 15)
		return -1;
	*w = (uint64_t)t->sec | (uint64_t)t->digits << W_DIGITS |
	    (uint64_t)t->flags << W_FLAGS;
	*nsec = (uint32_t)t->nsec;
	return 0;
}

static void
get_ts(uint64_t w, uint32_t nsec, struct ts *t)
{
	t->sec = (int64_t)(w & W_SEC);
	t->nsec = (int32_t)nsec;
	t->digits = (uint8_t)(w >> W_DIGITS & 15);
	t->flags = (uint8_t)(w >> W_FLAGS & 15);
}

static uint32_t
id_of(const char *s)
{
	return s != NULL ? strtab_id(s) : 0;
}

/* r's times, status and marks, and the identities' numbers id[], as a
 * record: written whole, no memset first. */
static inline __attribute__((always_inline)) int
pack_ids(const struct req *r, const uint32_t id[4], struct reqrec *x)
{
	uint64_t s = 0, e = 0;
	uint32_t sn = 0, en = 0;

	if (r->status < 0 || r->status > 0x3ff ||
	    (r->has_start && put_ts(&r->start, &s, &sn) == -1) ||
	    (r->has_end && put_ts(&r->end, &e, &en) == -1))
		return -1;
	s |= (uint64_t)r->status << W_STATUS;
	if (r->has_start)
		s |= W_START;
	if (r->has_end)
		s |= W_END;
	if (r->by_order)
		s |= W_ORDER;
	*x = (struct reqrec){ s, e, sn, en, id[0], id[1], id[2], id[3] };
	return 0;
}

int
reqrec_pack(const struct req *r, struct reqrec *x)
{
	uint32_t id[4] = { id_of(r->pid), id_of(r->tid), id_of(r->id),
	    id_of(r->route) };

	memset(x, 0, sizeof(*x));
	return pack_ids(r, id, x);
}

int
reqrec_pack_end(const struct ts *end, int status, uint32_t pid, uint32_t tid,
    uint32_t id, uint32_t route, struct reqrec *x)
{
	/* Every field assigned (the start's nanoseconds zero, as
	 * reqrec_pack()'s memset leaves them): no memset. */
	if (status < 0 || status > 0x3ff || put_ts(end, &x->e, &x->ensec) == -1)
		return -1;
	x->s = (uint64_t)status << W_STATUS | W_END;
	x->snsec = 0;
	x->pid = pid;
	x->tid = tid;
	x->id = id;
	x->route = route;
	return 0;
}

/* The string numbered id, NULL for 0 (none) or without a table, without
 * a call then: most records have no id or route. */
static const char *
str_of(const void *strings, uint32_t id)
{
	return id != 0 && strings != NULL ? strtab_str(strings, id) : NULL;
}

/* reqrec_unpack() but the identities, which the callers fill. */
static inline void
unpack_times(const struct reqrec *x, uint32_t run, uint32_t i, struct req *r)
{
	static const struct ts none;

	/* Every field assigned (a time absent is zero): no memset first. */
	r->run = run;
	r->i = i;
	r->has_start = (x->s & W_START) != 0;
	r->has_end = (x->s & W_END) != 0;
	if (r->has_start)
		get_ts(x->s, x->snsec, &r->start);
	else
		r->start = none;
	if (r->has_end)
		get_ts(x->e, x->ensec, &r->end);
	else
		r->end = none;
	r->by_order = (x->s & W_ORDER) != 0;
	r->status = (int)(x->s >> W_STATUS & 0x3ff);
}

void
reqrec_unpack(const struct reqrec *x, uint32_t run, uint32_t i,
    const void *strings, struct req *r)
{
	unpack_times(x, run, i, r);
	r->pid = str_of(strings, x->pid);
	r->tid = str_of(strings, x->tid);
	r->id = str_of(strings, x->id);
	r->route = str_of(strings, x->route);
}

static size_t
run_end(const struct reqset *rs, size_t k)
{
	return k + 1 < rs->nruns ? rs->run_first[k + 1] : rs->nreqs;
}

uint32_t
reqset_run_no(const struct reqset *rs, size_t k)
{
	if (rs->reqs != NULL)
		return rs->reqs[rs->run_first[k]].run;
	return rs->run_no[k];
}

/* Record j, in run k, as struct req, its identities from strings (NULL:
 * none looked up). */
static void
unpack_at(const struct reqset *rs, size_t k, size_t j, const void *strings,
    struct req *r)
{
	reqrec_unpack(&rs->rec[j], rs->run_no[k], rs->rec_key != NULL ?
	    (uint32_t)rs->rec_key[j] : (uint32_t)(j - rs->run_first[k]),
	    strings, r);
}

/* An identity's string through a one-entry memo of the field: the same
 * number as the record before (a run's pid, often) is not looked up. */
static inline const char *
str_memo(const void *strings, uint32_t id, uint32_t *last, const char **s)
{
	if (id != *last) {
		*last = id;
		*s = str_of(strings, id);
	}
	return *s;
}

/*
 * Records j .. j+n of run k as struct req into r: reqrec_unpack() of each
 * (unpack_at()) in one loop, the identities from strings (NULL: none
 * looked up) through the memo of the record before's (a run's pid, and a
 * thread's run of requests, looked up once).
 */
static void
unpack_span(const struct reqset *rs, size_t k, size_t j, size_t n,
    const void *strings, struct req *r)
{
	const struct reqrec *x = &rs->rec[j];
	const uint64_t *key = rs->rec_key != NULL ? &rs->rec_key[j] : NULL;
	uint32_t run = rs->run_no[k], last[4] = { 0, 0, 0, 0 };
	uint32_t i0 = (uint32_t)(j - rs->run_first[k]);
	const char *s[4] = { NULL, NULL, NULL, NULL };

	for (size_t q = 0; q < n; q++) {
		unpack_times(&x[q], run, key != NULL ? (uint32_t)key[q] :
		    i0 + (uint32_t)q, &r[q]);
		r[q].pid = str_memo(strings, x[q].pid, &last[0], &s[0]);
		r[q].tid = str_memo(strings, x[q].tid, &last[1], &s[1]);
		r[q].id = str_memo(strings, x[q].id, &last[2], &s[2]);
		r[q].route = str_memo(strings, x[q].route, &last[3], &s[3]);
	}
}

const struct req *
reqset_run(const struct reqset *rs, size_t k, struct reqset_view *v,
    size_t *n)
{
	size_t a = rs->run_first[k];

	*n = run_end(rs, k) - a;
	if (rs->reqs != NULL)
		return &rs->reqs[a];
	if (*n > v->cap) {
		struct req *r = realloc(v->r, *n * sizeof(*r));

		if (r == NULL)
			return NULL;
		v->r = r;
		v->cap = *n;
	}
	unpack_span(rs, k, a, *n, v->no_ids ? NULL : rs->strings, v->r);
	return v->r;
}

size_t
reqset_next_span(const struct reqset *rs, size_t k, size_t j,
    struct ts *start, struct ts *end)
{
	size_t e = run_end(rs, k);

	if (rs->reqs != NULL) {
		for (; j < e; j++)
			if (rs->reqs[j].has_start && rs->reqs[j].has_end) {
				*start = rs->reqs[j].start;
				*end = rs->reqs[j].end;
				return j;
			}
		return SIZE_MAX;
	}
	for (; j < e; j++)
		if ((~rs->rec[j].s & (W_START | W_END)) == 0) {
			get_ts(rs->rec[j].s, rs->rec[j].snsec, start);
			get_ts(rs->rec[j].e, rs->rec[j].ensec, end);
			return j;
		}
	return SIZE_MAX;
}

void
reqset_req(const struct reqset *rs, size_t k, size_t j, struct req *r)
{
	if (rs->reqs != NULL)
		*r = rs->reqs[j];
	else
		unpack_at(rs, k, j, rs->strings, r);
}

void
reqset_reqs(const struct reqset *rs, size_t k, size_t j, size_t n,
    struct req *r)
{
	if (rs->reqs != NULL)
		memcpy(r, &rs->reqs[j], n * sizeof(*r));
	else
		unpack_span(rs, k, j, n, rs->strings, r);
}

struct req *
reqset_all(const struct reqset *rs)
{
	struct req *r;

	if ((r = calloc(rs->nreqs + 1, sizeof(*r))) == NULL)
		return NULL;
	for (size_t k = 0; k < rs->nruns; k++)
		for (size_t j = rs->run_first[k]; j < run_end(rs, k); j++)
			reqset_req(rs, k, j, &r[j]);
	return r;
}

void
reqset_view_free(struct reqset_view *v)
{
	free(v->r);
	v->r = NULL;
	v->cap = 0;
}

void
reqset_drop_requests(struct reqset *rs)
{
	free(rs->rec);
	free(rs->reqs);
	free(rs->run_first);
	free(rs->run_no);
	free(rs->rec_key);
	rs->rec = NULL;
	rs->reqs = NULL;
	rs->run_first = NULL;
	rs->run_no = NULL;
	rs->rec_key = NULL;
	rs->nreqs = rs->nruns = 0;
}

void
reqset_free(struct reqset *rs)
{
	if (rs == NULL)
		return;
	reqset_drop_requests(rs);
	for (size_t i = 0; i < rs->ninputs; i++)
		trailer_free(&rs->inputs[i]);
	free(rs->inputs);
	strtab_free(rs->strings);
	aligntrailer_free(&rs->info);
	rs->inputs = NULL;
	rs->strings = NULL;
	rs->ninputs = 0;
}

/* Arrays grow at every power of two, so no capacity needs keeping in the
 * shared struct reqset. */
static int
grow(void **p, size_t n, size_t size)
{
	void *q;

	if (n != 0 && (n & (n - 1)) != 0)
		return 0;
	if (n > SIZE_MAX / 2 / size ||
	    (q = realloc(*p, (n == 0 ? 1 : 2 * n) * size)) == NULL)
		return -1;
	*p = q;
	return 0;
}

/* rec[] and rec_key[], which grow together, at a power of two: out of
 * add()'s line. */
static int	grow_recs(struct reqset *, struct diag *)
		    __attribute__((noinline));

static int
grow_recs(struct reqset *rs, struct diag *d)
{
	if (grow((void **)&rs->rec, rs->nreqs, sizeof(*rs->rec)) == -1 ||
	    grow((void **)&rs->rec_key, rs->nreqs, sizeof(*rs->rec_key)) == -1)
		return diag_set(d, DIAG_NOMEM, "out of memory for %zu requests",
		    rs->nreqs + 1);
	return 0;
}

/* An identity's number in the set's table (0: absent, no call: most
 * records have no id or route), a pid that repeats a compare
 * (strtab_intern_last()); -1 when out of memory. */
static inline __attribute__((always_inline)) int
intern(struct reqset *rs, const struct record_str *s, int field,
    uint32_t *id, struct diag *d)
{
	const char *q;

	*id = 0;
	if (s->s == NULL)
		return 0;
	if ((q = strtab_intern_last(rs->strings, s->s, s->n,
	    &rs->last[field])) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	*id = strtab_id(q);
	return 0;
}

/* One request, by either reader: the checks every request passes, then
 * its identities interned and the request kept as a record (its
 * identities only as numbers: r's pointers are not set). */
static inline __attribute__((always_inline)) int
add(struct reqset *rs, const struct req *r,
    const struct record_str id[REQUEST_NSTR], struct diag *d)
{
	uint32_t num[REQUEST_NSTR];
	size_t n = rs->nreqs;

	if (r->run == 0)
		return diag_set(d, DIAG_JSON, "expected \"run\" from 1");
	if (!r->has_start && !r->has_end)
		return diag_set(d, DIAG_JSON,
		    "expected a request with a start, an end or both");
	if (r->has_start && r->has_end && ts_cmp(&r->end, &r->start) < 0)
		return diag_set(d, DIAG_DATA,
		    "expected a request to end after it starts");
	if (r->by_order && !(r->has_start && r->has_end))
		return diag_set(d, DIAG_JSON, "expected \"paired\" only on a "
		    "request with a start and an end");
	if (intern(rs, &id[0], 0, &num[0], d) == -1 ||
	    intern(rs, &id[1], 1, &num[1], d) == -1 ||
	    intern(rs, &id[2], 2, &num[2], d) == -1 ||
	    intern(rs, &id[3], 3, &num[3], d) == -1)
		return -1;
	/* grow()'s rule, tested here to keep the call out of the common
	 * line: rec[] has room up to the next power of two, as only add()
	 * fills a set it grows (align.c sizes its own sets and never adds
	 * to them). */
	if ((n & (n - 1)) == 0 && grow_recs(rs, d) == -1)
		return -1;
	/* The readers checked the status and the times: every one packs. */
	if (pack_ids(r, num, &rs->rec[n]) == -1)
		return diag_set(d, DIAG_JSON, "expected a status 100-599 and "
		    "times of years 1970-9999 with 0-9 digits");
	rs->rec_key[n] = (uint64_t)r->run << 32 | r->i;
	rs->nreqs = n + 1;
	return 0;
}

static int
request(struct reqset *rs, const cJSON *o, const char *line, size_t n,
    struct diag *d)
{
	struct request_in in;
	int rc;

	if (request_from_cjson(o, line, n, &rs->memo, &in, d) == -1)
		return -1;
	rc = add(rs, &in.r, in.id, d);
	request_in_free(&in);
	return rc;
}

static int
input(struct reqset *rs, const cJSON *o, const char *line, size_t n,
    struct diag *d)
{
	struct trailer in;

	if (grow((void **)&rs->inputs, rs->ninputs, sizeof(*rs->inputs)) == -1)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	if (trailer_read(o, line, n, &in, NULL, d) == -1)
		return -1;
	rs->inputs[rs->ninputs++] = in;
	return 0;
}

int
reqset_line_cjson(struct reqset *rs, const char *line, size_t n,
    struct diag *d)
{
	cJSON *o;
	const cJSON *kind;
	int rc;

	if ((o = jsonin_parse(line, n, "a request record or a trailer", d)) ==
	    NULL)
		return -1;
	kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
	if (kind == NULL && cJSON_GetObjectItemCaseSensitive(o, "run") != NULL)
		rc = request(rs, o, line, n, d);
	else if (cJSON_IsString(kind) &&
	    strcmp(kind->valuestring, "input") == 0)
		rc = input(rs, o, line, n, d);
	else if (cJSON_IsString(kind) &&
	    strcmp(kind->valuestring, "align") == 0) {
		aligntrailer_free(&rs->info);	/* an earlier record's */
		if ((rc = aligntrailer_read(o, &rs->info, d)) == 0) {
			rs->align_seen = 1;
			rs->align_events += rs->info.events;
		}
	} else if (cJSON_IsString(kind) && (strcmp(kind->valuestring, "start") ==
	    0 || strcmp(kind->valuestring, "end") == 0))
		rc = diag_set(d, DIAG_JSON, "expected a request record, got an "
		    "event: run skew-align on skew-parse's output first");
	else
		rc = diag_set(d, DIAG_JSON, "expected a request record "
		    "(\"run\", \"i\", ...) or a trailer "
		    "(\"kind\": \"input\" or "
		    "\"align\")");
	cJSON_Delete(o);
	return rc;
}


int
reqset_line(struct reqset *rs, const char *line, size_t n, struct diag *d)
{
	struct request_in in;

	/* The layout skew-align writes, read in place; anything else, and a
	 * time that is not one, through cJSON (analyze/request.h). */
	if (request_read(line, n, &rs->memo, &in, d) == 1) {
		rs->fast++;
		return add(rs, &in.r, in.id, d);
	}
	rs->slow++;
	return reqset_line_cjson(rs, line, n, d);
}

int
reqset_end(struct reqset *rs, const char *name, struct diag *d)
{
	struct trailer in;
	uint64_t sum = 0;
	int rc = REQSET_WHOLE;

	for (size_t i = rs->in_mark; i < rs->ninputs; i++)
		sum += rs->inputs[i].events;
	memset(&in, 0, sizeof(in));
	in.incomplete = 1;
	if (!rs->align_seen && (rs->nreqs > rs->req_mark ||
	    rs->ninputs > rs->in_mark))
		rc = REQSET_NO_ALIGN;
	else if (rs->align_events > sum) {
		rc = REQSET_NO_TRAILER;
		in.events = rs->align_events - sum;
	}
	if (rc == REQSET_NO_TRAILER) {
		if (grow((void **)&rs->inputs, rs->ninputs,
		    sizeof(*rs->inputs)) == -1 ||
		    (in.src = strdup(name)) == NULL)
			return diag_set(d, DIAG_NOMEM, "out of memory");
		rs->inputs[rs->ninputs++] = in;
	}
	rs->in_mark = rs->ninputs;
	rs->req_mark = rs->nreqs;
	rs->align_seen = 0;
	rs->align_events = 0;
	return rc;
}

/* The run of the i-th record read. */
static uint32_t
run_of(const struct reqset *rs, size_t i)
{
	return (uint32_t)(rs->rec_key[i] >> 32);
}

/* Put rec[] and rec_key[] in order of (run, i): -1 when out of memory. */
static int
sort_records(struct reqset *rs)
{
	uint64_t *key;
	uint32_t *perm;
	size_t j;
	int rc = -1;

	for (j = 1; j < rs->nreqs && rs->rec_key[j - 1] <= rs->rec_key[j]; j++)
		;
	if (j >= rs->nreqs)
		return 0;	/* skew-align's order: nothing to move */
	key = malloc(rs->nreqs * sizeof(*key));
	perm = malloc(rs->nreqs * sizeof(*perm));
	if (key != NULL && perm != NULL) {
		for (j = 0; j < rs->nreqs; j++)
			perm[j] = (uint32_t)j;
		memcpy(key, rs->rec_key, rs->nreqs * sizeof(*key));
		if (radix_pairs(key, perm, rs->nreqs) == 0) {
			memcpy(rs->rec_key, key, rs->nreqs * sizeof(*key));
			radix_apply(rs->rec, sizeof(*rs->rec), perm, rs->nreqs);
			rc = 0;
		}
	}
	free(key);
	free(perm);
	return rc;
}

int
reqset_finish(struct reqset *rs, struct diag *d)
{
	size_t nruns = 0, k = 0;

	if (rs->nreqs > 0 && rs->rec_key == NULL)
		return 0;	/* made by align_finish(): in order, indexed */
	if (rs->nreqs > UINT32_MAX)
		return diag_set(d, DIAG_DATA, "more than %lu requests",
		    (unsigned long)UINT32_MAX);
	/* Concatenated outputs of several skew-align calls, or a hand-made
	 * file, need not be in order: the run index below needs it. */
	if (sort_records(rs) == -1)
		return diag_set(d, DIAG_NOMEM, "out of memory sorting %zu "
		    "requests", rs->nreqs);
	for (size_t i = 0; i < rs->nreqs; i++) {
		if (i > 0 && rs->rec_key[i - 1] == rs->rec_key[i])
			return diag_set(d, DIAG_DATA,
			    "expected one request per rank, got run %u rank %u "
			    "twice", run_of(rs, i), (uint32_t)rs->rec_key[i]);
		if (i == 0 || run_of(rs, i) != run_of(rs, i - 1))
			nruns++;
	}
	free(rs->run_first);
	free(rs->run_no);
	rs->run_first = NULL;
	rs->run_no = NULL;
	rs->nruns = 0;
	if (nruns == 0)
		return 0;
	/* One entry per run that holds requests, never one per run number:
	 * a record naming run 4294967295 costs what any other does. */
	if ((rs->run_first = malloc(nruns * sizeof(*rs->run_first))) == NULL ||
	    (rs->run_no = malloc(nruns * sizeof(*rs->run_no))) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory for %zu runs",
		    nruns);
	for (size_t i = 0; i < rs->nreqs; i++)
		if (i == 0 || run_of(rs, i) != run_of(rs, i - 1)) {
			rs->run_no[k] = run_of(rs, i);
			rs->run_first[k++] = i;
		}
	rs->nruns = nruns;
	return 0;
}
