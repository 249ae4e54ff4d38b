#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "aligntrailer.h"
#include "base/jsonin.h"
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

void
reqset_free(struct reqset *rs)
{
	if (rs == NULL)
		return;
	free(rs->reqs);
	free(rs->run_first);
	for (size_t i = 0; i < rs->ninputs; i++)
		trailer_free(&rs->inputs[i]);
	free(rs->inputs);
	strtab_free(rs->strings);
	aligntrailer_free(&rs->info);
	rs->reqs = NULL;
	rs->run_first = NULL;
	rs->inputs = NULL;
	rs->strings = NULL;
	rs->nreqs = rs->nruns = rs->ninputs = 0;
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

static int
intern(struct reqset *rs, const char *s, size_t n, const char **out,
    struct diag *d)
{
	*out = NULL;
	if (s != NULL && (*out = strtab_intern(rs->strings, s, n)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	return 0;
}

/* One request, by either reader: the checks every request passes, then
 * its identities interned and the request kept. */
static int
add(struct reqset *rs, struct req *r,
    const struct record_str id[REQUEST_NSTR], struct diag *d)
{
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
	if (intern(rs, id[0].s, id[0].n, &r->pid, d) == -1 ||
	    intern(rs, id[1].s, id[1].n, &r->tid, d) == -1 ||
	    intern(rs, id[2].s, id[2].n, &r->id, d) == -1 ||
	    intern(rs, id[3].s, id[3].n, &r->route, d) == -1)
		return -1;
	if (grow((void **)&rs->reqs, rs->nreqs, sizeof(*rs->reqs)) == -1)
		return diag_set(d, DIAG_NOMEM, "out of memory for %zu requests",
		    rs->nreqs + 1);
	rs->reqs[rs->nreqs++] = *r;
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

static int
cmp_req(const void *a, const void *b)
{
	const struct req *x = a, *y = b;

	if (x->run != y->run)
		return x->run < y->run ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

int
reqset_finish(struct reqset *rs, struct diag *d)
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
