#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aligntrailer.h"
#include "base/jsonin.h"
#include "request.h"
#include "strtab.h"
#include "base/ts.h"

/* A time's ISO text in quotes at p, or null; returns the bytes.  kept: c
 * holds its texts (ts_text_set). */
static inline __attribute__((always_inline)) size_t
iso_at(const struct ts_text *c, int has, int kept, const struct ts *t,
    char *p)
{
	size_t n;

	if (!has) {
		memcpy(p, "null", 4);
		return 4;
	}
	p[0] = '"';
	n = 1 + (kept ? ts_text_iso(c, p + 1) : ts_iso(t, p + 1));
	p[n] = '"';
	return n + 1;
}

/* Epoch seconds from the integer parts (never through a double), or
 * null. */
static inline __attribute__((always_inline)) size_t
epoch_at(const struct ts_text *c, int has, int kept, const struct ts *t,
    char *p)
{
	if (!has) {
		memcpy(p, "null", 4);
		return 4;
	}
	return kept ? ts_text_epoch(c, p) : ts_epoch(t, p);
}

/*
 * The texts of identities written lately, by their interned address (the
 * same address is the same string while the set lives): a pid, or a thread
 * that serves many requests, is escaped once and then copied, with the bad
 * bytes it counted.  A small table per field, a slot per address's hash.
 */
#define IDC_BITS	10
#define IDC_SLOTS	(1 << IDC_BITS)
#define IDC_TEXT	48	/* the key and the quoted value, at most */

struct idcache {
	const char	*s;
	size_t		 n, bad;
	char		 text[IDC_TEXT];
};

/* A number's text, kept for the next: the run stays, the rank mostly goes
 * up by one. */
struct numtext {
	uint64_t	 v;
	size_t		 n;		/* 0: none yet */
	char		 s[24];
};

struct request_writer {
	struct ts_text	 tc[2];		/* the last start's, the last end's */
	struct numtext	 run, i;
	struct idcache	(*ids)[IDC_SLOTS];	/* [REQUEST_NSTR], or NULL */
};

/* The identities, the status, "paired" and the end, at most. */
#define TAIL_MAX	(REQUEST_NSTR * IDC_TEXT + 10 + 20 + 17 + 2)

/*
 * An interned identity s with its key, written with its length (it may
 * hold NULs), at p in w's buffer, into e (its slot in a cache, or NULL)
 * for the next time: w->len is set to p, the room reserved again after it
 * (TAIL_MAX).  Returns where the record goes on, or NULL (w->err).
 */
static char *
str_slow(struct jsonout *w, struct idcache *e, const char *key, size_t keyn,
    const char *s, char *p)
{
	size_t mark = (size_t)(p - w->buf), bad = w->bad;

	w->len = mark;
	jsonout_raw(w, key, keyn);
	jsonout_str(w, s, strtab_len(s));
	if (e != NULL && w->err == 0 && w->len - mark <= IDC_TEXT) {
		e->s = s;
		e->n = w->len - mark;
		e->bad = w->bad - bad;
		memcpy(e->text, w->buf + mark, e->n);
	}
	return jsonout_reserve(w, TAIL_MAX);
}

/* The same, from c (a cache, or NULL) when s was written lately: one copy
 * of a slot's text.  s NULL: nothing. */
static inline __attribute__((always_inline)) char *
str_at(struct jsonout *w, struct idcache *c, const char *key, size_t keyn,
    const char *s, char *p)
{
	struct idcache *e;

	if (s == NULL)
		return p;
	if (c == NULL)
		return str_slow(w, NULL, key, keyn, s, p);
	e = &c[((uintptr_t)s * UINT64_C(0x9e3779b97f4a7c15)) >>
	    (64 - IDC_BITS)];
	if (e->s != s)
		return str_slow(w, e, key, keyn, s, p);
	memcpy(p, e->text, IDC_TEXT);
	w->bad += e->bad;
	return p + e->n;
}

/* v's decimal digits at p (room for 20), from c's text: the same, or one
 * more with a carry, or made again; returns how many. */
static inline __attribute__((always_inline)) size_t
num_at(struct numtext *c, uint64_t v, char *p)
{
	size_t k = c->n;

	if (k == 0 || v != c->v) {
		if (k != 0 && c->v != UINT64_MAX && v == c->v + 1)
			while (k > 0 && c->s[k - 1] == '9')
				c->s[--k] = '0';
		else
			k = 0;
		/* No digit below 9 to carry into: a digit more. */
		if (k > 0)
			c->s[k - 1]++;
		else
			c->n = jsonout_digits(c->s, v);
		c->v = v;
	}
	memcpy(p, c->s, 20);
	return c->n;
}

/* The constant s at p; p moves past it. */
#define PUT(p, s)	(memcpy((p), (s), sizeof(s) - 1), (p) += sizeof(s) - 1)

/* The keys and values up to the identities, at most. */
#define HEAD_MAX	(7 + 20 + 5 + 20 + 9 + 2 + TS_ISO_MAX + 7 + 2 + \
	TS_ISO_MAX + 11 + TS_EPOCH_MAX + 9 + TS_EPOCH_MAX + 11 + TS_EPOCH_MAX)

/*
 * One record.  tc holds the texts of the last start's and the last end's
 * seconds (struct ts_text): consecutive requests mostly share them.  The
 * record is written in one reservation, made again only after an identity
 * written the long way.
 */
static void
put_request(struct jsonout *w, struct request_writer *rw, const struct req *r)
{
	struct ts_text *tc = rw->tc;
	struct ts lat = { 0, 0, 0, 0 };
	int both = r->has_start && r->has_end;
	int ks = r->has_start && ts_text_set(&tc[0], &r->start);
	int ke = r->has_end && ts_text_set(&tc[1], &r->end);
	struct idcache (*ids)[IDC_SLOTS] = rw->ids;
	char *p;

	if ((p = jsonout_reserve(w, HEAD_MAX + TAIL_MAX)) == NULL)
		return;
	PUT(p, "{\"run\":");
	p += num_at(&rw->run, r->run, p);
	PUT(p, ",\"i\":");
	p += num_at(&rw->i, r->i, p);
	if (!r->has_start && ke) {
		/* An end alone (a log of completions: every record), its
		 * texts kept: the keys and nulls about them constants of a
		 * piece, what the general way below writes. */
		PUT(p, ",\"start\":null,\"end\":\"");
		p += ts_text_iso(&tc[1], p);
		PUT(p, "\",\"t_start\":null,\"t_end\":");
		p += ts_text_epoch(&tc[1], p);
		PUT(p, ",\"latency\":null");
		goto ids;
	}
	PUT(p, ",\"start\":");
	p += iso_at(&tc[0], r->has_start, ks, &r->start, p);
	PUT(p, ",\"end\":");
	p += iso_at(&tc[1], r->has_end, ke, &r->end, p);
	PUT(p, ",\"t_start\":");
	p += epoch_at(&tc[0], r->has_start, ks, &r->start, p);
	PUT(p, ",\"t_end\":");
	p += epoch_at(&tc[1], r->has_end, ke, &r->end, p);
	PUT(p, ",\"latency\":");
	if (both)
		ts_sub(&r->end, &r->start, &lat);
	p += epoch_at(NULL, both, 0, &lat, p);
ids:
	if ((p = str_at(w, ids ? ids[0] : NULL, ",\"pid\":", 7, r->pid,
	    p)) == NULL ||
	    (p = str_at(w, ids ? ids[1] : NULL, ",\"tid\":", 7, r->tid,
	    p)) == NULL ||
	    (p = str_at(w, ids ? ids[2] : NULL, ",\"id\":", 6, r->id,
	    p)) == NULL ||
	    (p = str_at(w, ids ? ids[3] : NULL, ",\"route\":", 9, r->route,
	    p)) == NULL)
		return;
	if (r->status != 0) {
		PUT(p, ",\"status\":");
		p += jsonout_digits(p, (uint64_t)r->status);
	}
	if (r->by_order)
		PUT(p, ",\"paired\":\"order\"");
	PUT(p, "}\n");
	w->len = (size_t)(p - w->buf);
}

void
request_write(struct jsonout *w, const struct req *r)
{
	struct request_writer rw;

	memset(&rw, 0, sizeof(rw));
	put_request(w, &rw, r);
}

void
request_input(struct jsonout *w, const struct trailer *in)
{
	trailer_write(w, in);
}

/* ---- Reading a request record back (skew-fit's input). ---- */

/* An exact time from its ISO text (never from t_start/t_end). */
static int
iso_time(struct ts_memo *memo, const char *key, const char *s, size_t n,
    struct ts *t, struct diag *d)
{
	struct ts_opt opt = { .form = TS_ISO, .memo = memo };
	struct diag td;

	diag_clear(&td);
	if (ts_parse(s, n, &opt, t, &td) == -1)
		return diag_set(d, DIAG_JSON, "expected \"%s\" as an ISO time, "
		    "got \"%.*s\": %s", key, (int)(n < 40 ? n : 40), s,
		    td.msg[0] ? td.msg : diag_name(td.code));
	return 0;
}

static int
get_time(struct ts_memo *memo, const cJSON *o, const char *key, int *has,
    struct ts *t, struct diag *d)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

	*has = 0;
	if (it == NULL || cJSON_IsNull(it))
		return 0;
	if (!cJSON_IsString(it))
		return diag_set(d, DIAG_JSON,
		    "expected \"%s\" as an ISO time string or null", key);
	if (iso_time(memo, key, it->valuestring, strlen(it->valuestring), t,
	    d) == -1)
		return -1;
	*has = 1;
	return 0;
}

void
request_in_free(struct request_in *in)
{
	for (int k = 0; k < REQUEST_NSTR; k++)
		jsonin_bytes_free(&in->own[k]);
}

int
request_from_cjson(const cJSON *o, const char *line, size_t n,
    struct ts_memo *memo, struct request_in *in, struct diag *d)
{
	static const char *const keys[REQUEST_NSTR] = { "pid", "tid", "id",
	    "route" };
	struct req *r = &in->r;
	const cJSON *it;
	uint64_t v;

	memset(in, 0, sizeof(*in));
	if (jsonin_count(o, "run", 0, UINT32_MAX, 1, &v, d) == -1)
		return -1;
	r->run = (uint32_t)v;
	if (jsonin_count(o, "i", 0, UINT32_MAX, 1, &v, d) == -1)
		return -1;
	r->i = (uint32_t)v;
	if (get_time(memo, o, "start", &r->has_start, &r->start, d) == -1 ||
	    get_time(memo, o, "end", &r->has_end, &r->end, d) == -1)
		return -1;
	for (int k = 0; k < REQUEST_NSTR; k++) {
		if (jsonin_bytes(o, line, n, keys[k], 0, &in->own[k], d) == -1) {
			request_in_free(in);
			return -1;
		}
		in->id[k] = (struct record_str){ in->own[k].s, in->own[k].n };
	}
	if (cJSON_GetObjectItemCaseSensitive(o, "status") != NULL) {
		if (jsonin_count(o, "status", 100, 599, 1, &v, d) == -1) {
			request_in_free(in);
			return -1;
		}
		r->status = (int)v;
	}
	if ((it = cJSON_GetObjectItemCaseSensitive(o, "paired")) != NULL) {
		if (!cJSON_IsString(it) ||
		    strcmp(it->valuestring, "order") != 0) {
			request_in_free(in);
			return diag_set(d, DIAG_JSON,
			    "expected \"paired\" as \"order\" or absent");
		}
		r->by_order = 1;
	}
	return 0;
}

/* A time's text after its opening quote, up to and past the closing one. */
static inline __attribute__((always_inline)) int
fast_iso(struct ts_memo *memo, struct jsonin_cur *c, const char *key,
    int *has, struct ts *t, struct diag *d)
{
	const char *s;
	size_t n;

	/* The minute of the time before, mostly: only its seconds read. */
	if (jsonin_iso_quoted(c, memo, t)) {
		*has = 1;
		return 1;
	}
	if (!jsonin_plain(c, &s, &n))
		return 0;
	if (iso_time(memo, key, s, n, t, d) == -1)
		return -1;
	*has = 1;
	return 1;
}

/* "start" or "end": an ISO string, or null. */
static inline __attribute__((always_inline)) int
fast_time(struct ts_memo *memo, struct jsonin_cur *c, const char *key, int *has,
    struct ts *t, struct diag *d)
{
	if (JSONIN_LIT(c, "null"))
		return 1;
	if (!JSONIN_LIT(c, "\""))
		return 0;
	return fast_iso(memo, c, key, has, t, d);
}

/* t_start, t_end, latency: a number or null, not read (the exact times
 * are), but it must be a JSON number for the line to be the layout. */
static inline __attribute__((always_inline)) int
fast_num(struct jsonin_cur *c)
{
	const char *s;
	size_t n;

	return JSONIN_LIT(c, "null") || jsonin_number(c, &s, &n);
}

/* An identity after its key, or absent: its bytes, or NULL. */
static inline __attribute__((always_inline)) int
fast_id(struct jsonin_cur *c, int there, struct record_str *id)
{
	id->s = NULL;
	id->n = 0;
	return !there || jsonin_plain(c, &id->s, &id->n);
}

int
request_read(const char *line, size_t n, struct ts_memo *memo,
    struct request_in *in, struct diag *d)
{
	static const struct ts none;
	struct jsonin_cur c = { line, line + n };
	struct req *r = &in->r;
	uint64_t run, i, v;
	int rc;

	if (!JSONIN_LIT(&c, "{\"run\":") || !jsonin_whole(&c, &run) ||
	    run == 0 || run > UINT32_MAX ||
	    !JSONIN_LIT(&c, ",\"i\":") || !jsonin_whole(&c, &i) || i > UINT32_MAX)
		return 0;
	/* Every field of *in set below (own[] only to nothing to free): no
	 * memset of all of it. */
	for (int k = 0; k < REQUEST_NSTR; k++)
		in->own[k].own = NULL;
	r->run = (uint32_t)run;
	r->i = (uint32_t)i;
	r->has_start = r->has_end = 0;
	r->start = r->end = none;
	r->pid = r->tid = r->id = r->route = NULL;
	/*
	 * The keys in runs as long as they are constant: a completion's
	 * start and t_start are null, and the latency of any request but
	 * one with both times.  Each run is the same keys and values read
	 * one by one after it, in fewer loads, and tried first.  A time
	 * that is not one goes to cJSON's path too: that path names it, or
	 * what else is wrong when the line is not JSON.
	 */
	if (JSONIN_LIT(&c, ",\"start\":null,\"end\":\""))
		rc = fast_iso(memo, &c, "end", &r->has_end, &r->end, d);
	else if (!JSONIN_LIT(&c, ",\"start\":") ||
	    fast_time(memo, &c, "start", &r->has_start, &r->start, d) != 1 ||
	    !JSONIN_LIT(&c, ",\"end\":"))
		return 0;
	else
		rc = fast_time(memo, &c, "end", &r->has_end, &r->end, d);
	if (rc != 1)
		return 0;
	if (JSONIN_LIT(&c, ",\"t_start\":null,\"t_end\":")) {
		if (!fast_num(&c))
			return 0;
	} else if (!JSONIN_LIT(&c, ",\"t_start\":") || !fast_num(&c) ||
	    !JSONIN_LIT(&c, ",\"t_end\":") || !fast_num(&c))
		return 0;
	if (!JSONIN_LIT(&c, ",\"latency\":null") &&
	    (!JSONIN_LIT(&c, ",\"latency\":") || !fast_num(&c)))
		return 0;
	/* The keys as constants: each test a load or two (bytes_same). */
	if (!fast_id(&c, JSONIN_LIT(&c, ",\"pid\":\""), &in->id[0]) ||
	    !fast_id(&c, JSONIN_LIT(&c, ",\"tid\":\""), &in->id[1]))
		return 0;
	r->status = 0;
	r->by_order = 0;
	/* Then only "}", mostly: no more keys tried. */
	if (c.end - c.p != 1) {
		if (!fast_id(&c, JSONIN_LIT(&c, ",\"id\":\""), &in->id[2]) ||
		    !fast_id(&c, JSONIN_LIT(&c, ",\"route\":\""), &in->id[3]))
			return 0;
		if (JSONIN_LIT(&c, ",\"status\":")) {
			/* Out of range: cJSON's path says so. */
			if (!jsonin_whole(&c, &v) || v < 100 || v > 599)
				return 0;
			r->status = (int)v;
		}
		r->by_order = JSONIN_LIT(&c, ",\"paired\":\"order\"");
	} else
		in->id[2] = in->id[3] = (struct record_str){ NULL, 0 };
	return JSONIN_LIT(&c, "}") && c.p == c.end;
}

/* The requests request_write_all() makes at a time (reqset_reqs()). */
#define WRITE_BLOCK	64

int
request_write_all(const struct reqset *rs, struct jsonout *w)
{
	struct request_writer rw;
	struct req r[WRITE_BLOCK];

	memset(&rw, 0, sizeof(rw));
	if ((rw.ids = calloc(REQUEST_NSTR, sizeof(*rw.ids))) == NULL) {
		w->err = ENOMEM;
		return -1;
	}
	/* A few records at a time as struct req (one call, the identities
	 * of one the next's mostly): no run expanded. */
	for (size_t k = 0; k < rs->nruns; k++) {
		size_t b = k + 1 < rs->nruns ? rs->run_first[k + 1] : rs->nreqs;

		for (size_t i = rs->run_first[k], m; i < b; i += m) {
			m = b - i < WRITE_BLOCK ? b - i : WRITE_BLOCK;
			reqset_reqs(rs, k, i, m, r);
			for (size_t q = 0; q < m; q++) {
				put_request(w, &rw, &r[q]);
				if (jsonout_maybe_flush(w) == -1) {
					free(rw.ids);
					return -1;
				}
			}
		}
	}
	free(rw.ids);
	for (size_t i = 0; i < rs->ninputs; i++)
		request_input(w, &rs->inputs[i]);
	aligntrailer_write(w, &rs->info);
	return jsonout_flush(w);
}
