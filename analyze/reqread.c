#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

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
	if ((q = realloc(*p, (n == 0 ? 1 : 2 * n) * size)) == NULL)
		return -1;
	*p = q;
	return 0;
}

/* A whole number in [0, max], written as a JSON number. */
static int
get_u64(const cJSON *o, const char *key, uint64_t max, uint64_t *v,
    struct diag *d)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(it) || !(it->valuedouble >= 0) ||
	    it->valuedouble > (double)max ||
	    it->valuedouble != floor(it->valuedouble))
		return diag_set(d, DIAG_JSON,
		    "expected \"%s\" as a whole number from 0", key);
	*v = (uint64_t)it->valuedouble;
	return 0;
}

static int
get_time(const cJSON *o, const char *key, int *has, struct ts *t,
    struct diag *d)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
	struct ts_opt opt = { TS_ISO, NULL, 0, NULL };
	struct diag td;

	*has = 0;
	if (it == NULL || cJSON_IsNull(it))
		return 0;
	if (!cJSON_IsString(it))
		return diag_set(d, DIAG_JSON,
		    "expected \"%s\" as an ISO time string or null", key);
	diag_clear(&td);
	if (ts_parse(it->valuestring, strlen(it->valuestring), &opt, t,
	    &td) == -1)
		return diag_set(d, DIAG_JSON, "expected \"%s\" as an ISO time, "
		    "got \"%.40s\": %s", key, it->valuestring,
		    td.msg[0] ? td.msg : diag_name(td.code));
	*has = 1;
	return 0;
}

static int
get_ident(struct reqset *rs, const cJSON *o, const char *key,
    const char **out, struct diag *d)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = NULL;
	if (it == NULL || cJSON_IsNull(it))
		return 0;
	if (!cJSON_IsString(it))
		return diag_set(d, DIAG_JSON, "expected \"%s\" as a string",
		    key);
	if ((*out = strtab_intern(rs->strings, it->valuestring,
	    strlen(it->valuestring))) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	return 0;
}

static int
add_request(struct reqset *rs, const cJSON *o, struct diag *d)
{
	struct req r;
	uint64_t v;

	memset(&r, 0, sizeof(r));
	if (get_u64(o, "run", UINT32_MAX, &v, d) == -1)
		return -1;
	if (v == 0)
		return diag_set(d, DIAG_JSON, "expected \"run\" from 1");
	r.run = (uint32_t)v;
	if (get_u64(o, "i", UINT32_MAX, &v, d) == -1)
		return -1;
	r.i = (uint32_t)v;
	if (get_time(o, "start", &r.has_start, &r.start, d) == -1 ||
	    get_time(o, "end", &r.has_end, &r.end, d) == -1)
		return -1;
	if (!r.has_start && !r.has_end)
		return diag_set(d, DIAG_JSON,
		    "expected a request with a start, an end or both");
	if (r.has_start && r.has_end && ts_cmp(&r.end, &r.start) < 0)
		return diag_set(d, DIAG_DATA,
		    "expected a request to end after it starts");
	if (get_ident(rs, o, "pid", &r.pid, d) == -1 ||
	    get_ident(rs, o, "tid", &r.tid, d) == -1 ||
	    get_ident(rs, o, "id", &r.id, d) == -1)
		return -1;
	if (grow((void **)&rs->reqs, rs->nreqs, sizeof(*rs->reqs)) == -1)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	rs->reqs[rs->nreqs++] = r;
	return 0;
}

static int
add_input(struct reqset *rs, const cJSON *o, struct diag *d)
{
	struct rec_input in;

	if (grow((void **)&rs->inputs, rs->ninputs, sizeof(*rs->inputs)) == -1)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	if (rec_input_read(o, &in, NULL, d) == -1)
		return -1;
	rs->inputs[rs->ninputs++] = in;
	return 0;
}

/* Seconds as a JSON number to a struct ts, rounded to the nanosecond:
 * the align trailer is provenance, not a time of record. */
static int
get_secs(const cJSON *o, const char *key, struct ts *t, struct diag *d)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
	double v, s;

	memset(t, 0, sizeof(*t));
	if (it == NULL || cJSON_IsNull(it))
		return 0;
	if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble) ||
	    fabs(it->valuedouble) > 1e15)
		return diag_set(d, DIAG_JSON, "expected \"%s\" in seconds",
		    key);
	v = it->valuedouble;
	s = floor(v);
	t->sec = (int64_t)s;
	t->nsec = (int32_t)llround((v - s) * 1e9);
	if (t->nsec >= 1000000000) {
		t->sec++;
		t->nsec -= 1000000000;
	}
	t->digits = t->nsec == 0 ? 0 : 9;
	return 0;
}

static int
add_align(struct reqset *rs, const cJSON *o, struct diag *d)
{
	struct align_info *ai = &rs->info;
	const cJSON *off = cJSON_GetObjectItemCaseSensitive(o, "offset");
	uint64_t v;

	if (get_u64(o, "runs", UINT32_MAX, &v, d) == -1)
		return -1;
	ai->runs = (size_t)v;
	if (get_secs(o, "gap", &ai->gap, d) == -1)
		return -1;
	if (cJSON_IsString(off) && strcmp(off->valuestring, "auto") == 0)
		ai->offset_auto = 1;
	else if (get_secs(o, "offset", &ai->offset, d) == -1)
		return -1;
	if (get_u64(o, "unmatched_starts", UINT64_MAX, &ai->unmatched_starts,
	    d) == -1 ||
	    get_u64(o, "unmatched_ends", UINT64_MAX, &ai->unmatched_ends,
	    d) == -1)
		return -1;
	return 0;
}

int
reqread_line(struct reqset *rs, const char *line, size_t n, struct diag *d)
{
	cJSON *o;
	const cJSON *kind;
	int rc;

	if ((o = cJSON_ParseWithLength(line, n)) == NULL)
		return diag_set(d, DIAG_JSON, "expected a JSON object");
	if (!cJSON_IsObject(o)) {
		cJSON_Delete(o);
		return diag_set(d, DIAG_JSON, "expected a JSON object");
	}
	kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
	if (kind == NULL && cJSON_GetObjectItemCaseSensitive(o, "run") != NULL)
		rc = add_request(rs, o, d);
	else if (cJSON_IsString(kind) &&
	    strcmp(kind->valuestring, "input") == 0)
		rc = add_input(rs, o, d);
	else if (cJSON_IsString(kind) &&
	    strcmp(kind->valuestring, "align") == 0)
		rc = add_align(rs, o, d);
	else if (cJSON_IsString(kind) && (strcmp(kind->valuestring, "start") ==
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
	size_t nruns = 0, j = 0;

	/* Concatenated outputs of several skew-align calls, or a hand-made
	 * file, need not be in order: the run index below needs it. */
	if (rs->nreqs > 0)
		qsort(rs->reqs, rs->nreqs, sizeof(*rs->reqs), cmp_req);
	for (size_t i = 0; i < rs->nreqs; i++) {
		if (i > 0 && cmp_req(&rs->reqs[i - 1], &rs->reqs[i]) == 0)
			return diag_set(d, DIAG_DATA,
			    "expected one request per rank, got run %u rank %u "
			    "twice", rs->reqs[i].run, rs->reqs[i].i);
		if (rs->reqs[i].run > nruns)
			nruns = rs->reqs[i].run;
	}
	free(rs->run_first);
	rs->run_first = NULL;
	rs->nruns = 0;
	if (nruns == 0)
		return 0;
	if ((rs->run_first = malloc(nruns * sizeof(*rs->run_first))) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	for (size_t r = 1; r <= nruns; r++) {
		while (j < rs->nreqs && rs->reqs[j].run < r)
			j++;
		rs->run_first[r - 1] = j;
	}
	rs->nruns = nruns;
	return 0;
}
