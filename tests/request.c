/*
 * The request writer (analyze/request.c): request_write_all() keeps texts
 * from one record for the next (the run's and the rank's digits, each
 * time's second, each identity's escaped text), where request_write()
 * makes every record from nothing.  Both must write the same bytes: here
 * on generated sets whose ranks carry across digit counts (9 to 10, 9999
 * to 10000) and jump, whose times run across minutes, hours, days, years
 * and leap days with every fraction digit count, out of range too, and
 * whose identities collide in the cache, outgrow a slot, hold NULs,
 * control bytes and bytes that are not UTF-8.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aligntrailer.h"
#include "request.h"
#include "strtab.h"
#include "tap.h"

static uint64_t seed = 0x2545f4914f6cdd1dULL;

static uint64_t
rnd(uint64_t n)
{
	return tap_rnd(&seed) % n;
}

/* Identities: alike and not, around a cache slot's size (a value of 37
 * to 40 bytes fills the 48 with the longest key), odd bytes, and many
 * (more than the slots) to make them collide. */
#define NPOOL	3000
static const char *pool[NPOOL];

static void
make_pool(struct strtab *t)
{
	static const char *const odd[] = { "65432", "123146137174016", "",
		"tab\there", "nl\nx\x01\x1f\"\\", "\xff\xfe", "caf\xc3\xa9",
		"\xc3", "\xed\xa0\x80", "/a/b?c=1&d=2" };
	size_t n = 0;
	char b[128];

	for (size_t k = 0; k < sizeof(odd) / sizeof(odd[0]); k++)
		pool[n++] = strtab_intern(t, odd[k], strlen(odd[k]));
	pool[n++] = strtab_intern(t, "a\0b", 3);
	for (size_t len = 34; len <= 44; len++) {
		memset(b, 'x', len);
		b[len - 1] = (char)('0' + len % 10);
		pool[n++] = strtab_intern(t, b, len);
		b[0] = '\t';	/* escaped: longer written than read */
		pool[n++] = strtab_intern(t, b, len);
	}
	memset(b, 'y', 100);
	pool[n++] = strtab_intern(t, b, 100);
	while (n < NPOOL) {
		snprintf(b, sizeof(b), "%llu", (unsigned long long)(
		    123145000000000ULL + rnd(1000000000)));
		pool[n++] = strtab_intern(t, b, strlen(b));
	}
}

static const char *
ident(void)
{
	switch (rnd(6)) {
	case 0:
		return NULL;
	case 1:
		return pool[rnd(40)];
	case 2:
		return pool[rnd(NPOOL)];
	default:
		return pool[rnd(3)];
	}
}

/* Seconds at the edges of minutes, hours, days, years, leap days and the
 * range (and just past it: the writers' plain way). */
static const int64_t edges[] = { 0, 59, 3599, 86399, 951782399, 951868799,
	978307199, 1698879599, 1709251199, 4107542399,
	INT64_C(253402300790), -3, INT64_C(253402300799) };

static int64_t sec_now;

static void
a_time(struct ts *t)
{
	static const int32_t nss[] = { 0, 1, 9, 10, 999999999, 100000000,
		99999999, 500000000, -1, TS_NS };

	if (rnd(50) == 0)
		sec_now = edges[rnd(sizeof(edges) / sizeof(edges[0]))];
	else if (rnd(4) == 0)
		sec_now += (int64_t)rnd(3);
	t->sec = sec_now;
	t->nsec = rnd(4) == 0 ? nss[rnd(sizeof(nss) / sizeof(nss[0]))] :
	    (int32_t)rnd(TS_NS);
	t->digits = (uint8_t)(rnd(3) == 0 ? rnd(12) : 6);
	t->flags = 0;
}

/* Ranks: from 0, or just under a power of ten, or near the top, one up a
 * request, with jumps, repeats and steps back. */
static uint32_t
next_i(uint32_t i, size_t j)
{
	static const uint32_t starts[] = { 0, 8, 98, 998, 9998, 99998,
		999999998, 4294967293U };

	if (j == 0)
		return starts[rnd(sizeof(starts) / sizeof(starts[0]))];
	switch (rnd(40)) {
	case 0:
		return (uint32_t)rnd(UINT32_MAX);
	case 1:
		return i;
	case 2:
		return i - 1;
	default:
		return i + 1;
	}
}

/* A set of nruns runs by hand (given as struct req). */
static void
make_set(struct reqset *rs, size_t nruns)
{
	static const uint32_t runs[] = { 1, 2, 9, 10, 11, 99, 100, 1000,
		65535, 4294967295U };
	size_t n = 0, cap = 0;

	rs->nruns = nruns;
	rs->run_first = calloc(nruns, sizeof(*rs->run_first));
	for (size_t k = 0; k < nruns; k++) {
		size_t len = rnd(8) == 0 ? 12000 : 1 + rnd(300);
		uint32_t run = rnd(3) == 0 ?
		    runs[rnd(sizeof(runs) / sizeof(runs[0]))] : (uint32_t)k + 1;
		uint32_t i = 0;

		rs->run_first[k] = n;
		for (size_t j = 0; j < len; j++, n++) {
			struct req *r;

			if (n == cap) {
				cap = cap ? 2 * cap : 1024;
				rs->reqs = realloc(rs->reqs,
				    cap * sizeof(*rs->reqs));
			}
			r = &rs->reqs[n];
			memset(r, 0, sizeof(*r));
			r->run = run;
			r->i = i = next_i(i, j);
			r->has_start = rnd(3) != 0;
			r->has_end = !r->has_start || rnd(4) != 0;
			if (r->has_start)
				a_time(&r->start);
			if (r->has_end)
				a_time(&r->end);
			r->pid = ident();
			r->tid = ident();
			r->id = rnd(4) == 0 ? ident() : NULL;
			r->route = rnd(4) == 0 ? ident() : NULL;
			r->status = rnd(3) == 0 ? 100 + (int)rnd(500) : 0;
			r->by_order = rnd(5) == 0;
		}
	}
	rs->nreqs = n;
}

/* The file's bytes, into w (accumulating). */
static void
slurp(FILE *fp, struct jsonout *w)
{
	char b[65536];
	size_t n;

	rewind(fp);
	while ((n = fread(b, 1, sizeof(b), fp)) > 0)
		jsonout_raw(w, b, n);
}

static int
same(const char *what, const struct jsonout *a, const struct jsonout *b)
{
	size_t k = 0;

	if (a->len == b->len && memcmp(a->buf, b->buf, a->len) == 0)
		return 1;
	while (k < a->len && k < b->len && a->buf[k] == b->buf[k])
		k++;
	tap_diag("%s: differs at byte %zu of %zu / %zu: %.60s", what, k,
	    a->len, b->len, a->buf + (k > 20 ? k - 20 : 0));
	tap_diag("  not %.60s", b->buf + (k > 20 ? k - 20 : 0));
	return 0;
}

/*
 * rs's requests made records, as skew-align's sets hold them (read a few
 * at a time by reqset_reqs()): times that do not pack (before 1970, a
 * negative nanosecond) moved into the range, each record with its run's
 * number and its rank as given (keyed) or its place in its run.
 */
static void
as_records(struct reqset *rs, int keyed)
{
	rs->rec = calloc(rs->nreqs + 1, sizeof(*rs->rec));
	rs->rec_key = calloc(rs->nreqs + 1, sizeof(*rs->rec_key));
	rs->run_no = calloc(rs->nruns + 1, sizeof(*rs->run_no));
	for (size_t k = 0; k < rs->nruns; k++)
		rs->run_no[k] = rs->reqs[rs->run_first[k]].run;
	for (size_t j = 0; j < rs->nreqs; j++) {
		struct req q = rs->reqs[j];

		if (q.start.sec < 0 || q.start.nsec < 0)
			q.start.sec = q.start.nsec = 0;
		if (q.end.sec < 0 || q.end.nsec < 0)
			q.end.sec = q.end.nsec = 0;
		if (reqrec_pack(&q, &rs->rec[j]) == -1) {
			printf("Bail out! reqrec_pack refused request %zu\n", j);
			exit(1);
		}
		rs->rec_key[j] = (uint64_t)q.run << 32 | q.i;
	}
	free(rs->reqs);
	rs->reqs = NULL;
	/* As align_finish() makes them: ranks are places in the run. */
	if (!keyed) {
		free(rs->rec_key);
		rs->rec_key = NULL;
	}
}

static void
test_kept_texts(void)
{
	int fails = 0, bad = 0;
	size_t reqs = 0;

	/* Each set given as struct req, then (set + 1) as records. */
	for (int set = 0; set < 24; set++) {
		struct reqset rs;
		struct diag d;
		struct jsonout all, ref, file;
		FILE *fp = tmpfile();
		struct req r;

		if (reqset_init(&rs, &d) == -1 || fp == NULL) {
			printf("Bail out! reqset_init or tmpfile\n");
			exit(1);
		}
		make_pool(rs.strings);
		make_set(&rs, 1 + rnd(12));
		if (set % 2 == 1)
			as_records(&rs, set % 4 == 1);
		reqs += rs.nreqs;
		jsonout_init(&all, NULL);
		jsonout_init(&ref, NULL);
		request_write_all(&rs, &all);
		for (size_t k = 0; k < rs.nruns; k++) {
			size_t b = k + 1 < rs.nruns ? rs.run_first[k + 1] :
			    rs.nreqs;

			for (size_t j = rs.run_first[k]; j < b; j++) {
				reqset_req(&rs, k, j, &r);
				request_write(&ref, &r);
			}
		}
		aligntrailer_write(&ref, &rs.info);
		if (!same("request_write_all", &all, &ref))
			fails++;
		if (all.bad != ref.bad || all.bad == 0)
			bad++;
		/* Written out as it goes (the buffer flushed, its room
		 * made again). */
		jsonout_init(&file, fp);
		request_write_all(&rs, &file);
		jsonout_free(&file);
		jsonout_init(&file, NULL);
		slurp(fp, &file);
		if (!same("request_write_all to a file", &file, &ref))
			fails++;
		fclose(fp);
		jsonout_free(&file);
		jsonout_free(&all);
		jsonout_free(&ref);
		reqset_free(&rs);
	}
	is_int(fails, 0, "request_write_all: %zu requests in 24 sets (half "
	    "of them records, reqset_reqs()) as request_write writes each "
	    "from nothing (reqset_req()), in memory and to a file", reqs);
	is_int(bad, 0, "request_write_all: the same count of bytes not UTF-8 "
	    "replaced (some in every set)");
}

int
main(void)
{
	test_kept_texts();
	return done_testing();
}
