#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "alignrec.h"
#include "jr.h"
#include "reqread.h"
#include "strtab.h"

int
reqread_init(struct reqset *rs, struct diag *d)
{
	memset(rs, 0, sizeof(*rs));
	if ((rs->strings = strtab_new()) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	return 0;
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

/* An exact time from its ISO text (never from t_start/t_end). */
static int
iso_time(struct reqset *rs, const char *key, const char *s, size_t n,
    struct ts *t, struct diag *d)
{
	struct ts_opt opt = { TS_ISO, NULL, 0, &rs->memo };
	struct diag td;

	diag_clear(&td);
	if (ts_parse(s, n, &opt, t, &td) == -1)
		return diag_set(d, DIAG_JSON, "expected \"%s\" as an ISO time, "
		    "got \"%.*s\": %s", key, (int)(n < 40 ? n : 40), s,
		    td.msg[0] ? td.msg : diag_name(td.code));
	return 0;
}

static int
intern(struct reqset *rs, const char *s, size_t n, const char **out,
    struct diag *d)
{
	*out = NULL;
	if (s != NULL && (*out = strtab_intern(rs->strings, s, n)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	return 0;
}

/* The identities of a request as read, by either path: bytes with a
 * length, NULs included. */
struct idents {
	const char	*s[3];
	size_t		 n[3];
};

/* One request, by either reader: the checks every request passes, then
 * its identities interned and the request kept. */
static int
add(struct reqset *rs, struct req *r, const struct idents *id,
    struct diag *d)
{
	if (r->run == 0)
		return diag_set(d, DIAG_JSON, "expected \"run\" from 1");
	if (!r->has_start && !r->has_end)
		return diag_set(d, DIAG_JSON,
		    "expected a request with a start, an end or both");
	if (r->has_start && r->has_end && ts_cmp(&r->end, &r->start) < 0)
		return diag_set(d, DIAG_DATA,
		    "expected a request to end after it starts");
	if (intern(rs, id->s[0], id->n[0], &r->pid, d) == -1 ||
	    intern(rs, id->s[1], id->n[1], &r->tid, d) == -1 ||
	    intern(rs, id->s[2], id->n[2], &r->id, d) == -1)
		return -1;
	if (grow((void **)&rs->reqs, rs->nreqs, sizeof(*rs->reqs)) == -1)
		return diag_set(d, DIAG_NOMEM, "out of memory for %zu requests",
		    rs->nreqs + 1);
	rs->reqs[rs->nreqs++] = *r;
	return 0;
}

static int
get_time(struct reqset *rs, const cJSON *o, const char *key, int *has,
    struct ts *t, struct diag *d)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

	*has = 0;
	if (it == NULL || cJSON_IsNull(it))
		return 0;
	if (!cJSON_IsString(it))
		return diag_set(d, DIAG_JSON,
		    "expected \"%s\" as an ISO time string or null", key);
	if (iso_time(rs, key, it->valuestring, strlen(it->valuestring), t,
	    d) == -1)
		return -1;
	*has = 1;
	return 0;
}

static int
request(struct reqset *rs, const cJSON *o, const char *line, size_t n,
    struct diag *d)
{
	static const char *const keys[3] = { "pid", "tid", "id" };
	struct jr_bytes b[3];
	struct idents id;
	struct req r;
	uint64_t v;
	int rc = -1;

	memset(&r, 0, sizeof(r));
	memset(b, 0, sizeof(b));
	if (jr_count(o, "run", 0, UINT32_MAX, 1, &v, d) == -1)
		return -1;
	r.run = (uint32_t)v;
	if (jr_count(o, "i", 0, UINT32_MAX, 1, &v, d) == -1)
		return -1;
	r.i = (uint32_t)v;
	if (get_time(rs, o, "start", &r.has_start, &r.start, d) == -1 ||
	    get_time(rs, o, "end", &r.has_end, &r.end, d) == -1)
		return -1;
	for (int k = 0; k < 3; k++) {
		if (jr_bytes(o, line, n, keys[k], 0, &b[k], d) == -1)
			goto out;
		id.s[k] = b[k].s;
		id.n[k] = b[k].n;
	}
	rc = add(rs, &r, &id, d);
out:
	for (int k = 0; k < 3; k++)
		jr_bytes_free(&b[k]);
	return rc;
}

static int
input(struct reqset *rs, const cJSON *o, const char *line, size_t n,
    struct diag *d)
{
	struct rec_input in;

	if (grow((void **)&rs->inputs, rs->ninputs, sizeof(*rs->inputs)) == -1)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	if (rec_input_read(o, line, n, &in, NULL, d) == -1)
		return -1;
	rs->inputs[rs->ninputs++] = in;
	return 0;
}

int
reqread_line_cjson(struct reqset *rs, const char *line, size_t n,
    struct diag *d)
{
	cJSON *o;
	const cJSON *kind;
	int rc;

	if ((o = jr_parse(line, n, "a request record or a trailer", d)) ==
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
		if ((rc = alignrec_read(o, &rs->info, d)) == 0) {
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

/* "start" or "end": an ISO string, or null. */
static int
fast_time(struct reqset *rs, struct jr_cur *c, const char *key, int *has,
    struct ts *t, struct diag *d)
{
	const char *s;
	size_t n;

	*has = 0;
	if (JR_LIT(c, "null"))
		return 1;
	if (!JR_LIT(c, "\"") || !jr_plain(c, &s, &n))
		return 0;
	if (iso_time(rs, key, s, n, t, d) == -1)
		return -1;
	*has = 1;
	return 1;
}

/* t_start, t_end, latency: a number or null, not read (the exact times
 * are), but it must be a JSON number for the line to be the layout. */
static int
fast_num(struct jr_cur *c)
{
	const char *s;
	size_t n;

	return JR_LIT(c, "null") || jr_number(c, &s, &n);
}

/*
 * The hand-written fast path, for exactly the layout skew-align writes
 * (analyze/reqw.c):
 *   {"run":N,"i":N,"start":"..."|null,"end":"..."|null,
 *    "t_start":NUM|null,"t_end":NUM|null,"latency":NUM|null}
 * with optional ,"pid":"..", ,"tid":"..", ,"id":".." before the brace, no
 * spaces and no escapes.  A cJSON tree per record (a malloc per key, a
 * strcmp per lookup, a strtod per number) was most of skew-fit's reading
 * time.  Anything else returns 1 and goes to cJSON, which decides what is
 * valid: tests/reqread.c checks the two readings agree on generated
 * records.  A time that is not one is the same error either way.
 */
static int
fast(struct reqset *rs, const char *line, size_t n, struct diag *d)
{
	static const char *const keys[3] = { ",\"pid\":\"", ",\"tid\":\"",
	    ",\"id\":\"" };
	struct jr_cur c = { line, line + n };
	struct idents id;
	struct req r;
	uint64_t run, i;

	memset(&r, 0, sizeof(r));
	memset(&id, 0, sizeof(id));
	if (!JR_LIT(&c, "{\"run\":") || !jr_whole(&c, &run) ||
	    run == 0 || run > UINT32_MAX ||
	    !JR_LIT(&c, ",\"i\":") || !jr_whole(&c, &i) || i > UINT32_MAX ||
	    !JR_LIT(&c, ",\"start\":"))
		return 1;
	/* A time that is not one goes to cJSON's path too: that path
	 * names it, or what else is wrong when the line is not JSON. */
	if (fast_time(rs, &c, "start", &r.has_start, &r.start, d) != 1 ||
	    !JR_LIT(&c, ",\"end\":") ||
	    fast_time(rs, &c, "end", &r.has_end, &r.end, d) != 1)
		return 1;
	if (!JR_LIT(&c, ",\"t_start\":") || !fast_num(&c) ||
	    !JR_LIT(&c, ",\"t_end\":") || !fast_num(&c) ||
	    !JR_LIT(&c, ",\"latency\":") || !fast_num(&c))
		return 1;
	for (int k = 0; k < 3; k++)
		if (jr_lit(&c, keys[k], strlen(keys[k])) &&
		    !jr_plain(&c, &id.s[k], &id.n[k]))
			return 1;
	if (!JR_LIT(&c, "}") || c.p != c.end)
		return 1;
	r.run = (uint32_t)run;
	r.i = (uint32_t)i;
	return add(rs, &r, &id, d);
}

int
reqread_line(struct reqset *rs, const char *line, size_t n, struct diag *d)
{
	int r;

	if ((r = fast(rs, line, n, d)) <= 0) {
		rs->fast++;
		return r;
	}
	rs->slow++;
	return reqread_line_cjson(rs, line, n, d);
}

int
reqread_end(struct reqset *rs, const char *name, struct diag *d)
{
	struct rec_input in;
	uint64_t sum = 0;
	int rc = REQREAD_WHOLE;

	for (size_t i = rs->in_mark; i < rs->ninputs; i++)
		sum += rs->inputs[i].events;
	memset(&in, 0, sizeof(in));
	in.incomplete = 1;
	if (!rs->align_seen && (rs->nreqs > rs->req_mark ||
	    rs->ninputs > rs->in_mark))
		rc = REQREAD_NO_ALIGN;
	else if (rs->align_events > sum) {
		rc = REQREAD_NO_TRAILER;
		in.events = rs->align_events - sum;
	}
	if (rc == REQREAD_NO_TRAILER) {
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

static int
cmp_req(const void *a, const void *b)
{
	const struct req *x = a, *y = b;

	if (x->run != y->run)
		return x->run < y->run ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

int
reqread_finish(struct reqset *rs, struct diag *d)
{
	size_t nruns = 0, k = 0;

	/* Concatenated outputs of several skew-align calls, or a hand-made
	 * file, need not be in order: the run index below needs it. */
	if (rs->nreqs > 0)
		qsort(rs->reqs, rs->nreqs, sizeof(*rs->reqs), cmp_req);
	for (size_t i = 0; i < rs->nreqs; i++) {
		if (i > 0 && cmp_req(&rs->reqs[i - 1], &rs->reqs[i]) == 0)
			return diag_set(d, DIAG_DATA,
			    "expected one request per rank, got run %u rank %u "
			    "twice", rs->reqs[i].run, rs->reqs[i].i);
		if (i == 0 || rs->reqs[i].run != rs->reqs[i - 1].run)
			nruns++;
	}
	free(rs->run_first);
	rs->run_first = NULL;
	rs->nruns = 0;
	if (nruns == 0)
		return 0;
	/* One entry per run that holds requests, never one per run number:
	 * a record naming run 4294967295 costs what any other does. */
	if ((rs->run_first = malloc(nruns * sizeof(*rs->run_first))) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory for %zu runs",
		    nruns);
	for (size_t i = 0; i < rs->nreqs; i++)
		if (i == 0 || rs->reqs[i].run != rs->reqs[i - 1].run)
			rs->run_first[k++] = i;
	rs->nruns = nruns;
	return 0;
}
