/*
 * The event store (analyze/eventstore.c): reading event lines and trailers, the
 * hand-written fast path against cJSON's answer, sorting.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eventstore.h"
#include "tap.h"

static int
rd(struct eventstore *s, const char *line, struct diag *d)
{
	diag_clear(d);
	return eventstore_line(s, line, strlen(line), d);
}

static int
contains(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

/* Two interned strings equal as byte strings, NULs included. */
static int
same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strtab_len(a) == strtab_len(b) &&
	    memcmp(a, b, strtab_len(a)) == 0;
}

/* Event i of s as struct evx, in one of a few buffers (so that two may be
 * compared). */
static const struct evx *
at(const struct eventstore *s, size_t i)
{
	static struct evx buf[4];
	static unsigned k;
	struct evx *x = &buf[k++ % 4];

	eventstore_get(s, &s->ev[i], x);
	return x;
}

/* Every event of s as struct evx (the caller frees). */
static struct evx *
all_of(const struct eventstore *s)
{
	struct evx *x = malloc((s->n + 1) * sizeof(*x));

	for (size_t i = 0; x != NULL && i < s->n; i++)
		eventstore_get(s, &s->ev[i], &x[i]);
	return x;
}

static int
same_ev(const struct evx *a, const struct evx *b)
{
	return a->t.sec == b->t.sec && a->t.nsec == b->t.nsec &&
	    a->t.digits == b->t.digits && a->flags == b->flags &&
	    a->line == b->line && same_str(a->src, b->src) &&
	    same_str(a->pid, b->pid) && same_str(a->tid, b->tid) &&
	    same_str(a->id, b->id) && same_str(a->route, b->route) &&
	    a->status == b->status &&
	    (!(a->flags & EV_DUR) || (a->dur.sec == b->dur.sec &&
	    a->dur.nsec == b->dur.nsec && a->dur.digits == b->dur.digits));
}

static uint64_t rng = 88172645463325252ULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* A line in skew-parse's layout, sometimes varied so that the fast path
 * must hand it to cJSON, sometimes broken. */
static void
gen(char *buf, size_t sz)
{
	/* Names past 16 bytes, differing late or in the middle: the
	 * store's compare of a long name, the reader's of the line's
	 * start up to its line number (70 bytes: past what it keeps). */
	static const char *srcs[] = { "server.log", "a\\\"b.log", "x\\u0041y",
	    "", "runs-100x10000.log", "runs-100x10000.lag",
	    "logs/2023-11-01/web-01.example.com.log",
	    "logs/2023-11-01/web-02.example.com.log",
	    "logs/2023-11-01/web-01.example.com/very/deep/access.log.2023-11-01.gz",
	    "logs/2023-11-01/web-01.example.com/very/deep/access.log.2023-11-02.gz" };
	/* The time: mostly the second of the line before (the reader keeps
	 * it), else another of its minute or any, with 0 to 11 fraction
	 * digits, now and then not digits. */
	static unsigned day = 1, mi, se;
	char frac[16] = "", t[64], *p;
	int dig = (int)rnd(12), n;
	unsigned long long epoch;

	if (rnd(4) == 0) {
		day = 1 + rnd(30);
		mi = rnd(60);
		se = rnd(60);
	} else if (rnd(6) == 0)
		se = (se + 1) % 60;	/* the next second, same minute */
	if (dig > 0) {
		frac[0] = '.';
		for (int i = 1; i <= dig; i++)
			frac[i] = (char)('0' + rnd(10));
		frac[dig + 1] = '\0';
		if (rnd(20) == 0)
			frac[1 + rnd((unsigned)dig)] = 'x';
	}
	/* "t": mostly the time's epoch and its fraction, as skew-parse
	 * writes it (the reader compares it with what the second before
	 * had); else another number, or not one. */
	epoch = 1698796800ULL + (day - 1) * 86400ULL + 23 * 3600 + mi * 60 +
	    se;
	switch (rnd(12)) {
	case 0:
		snprintf(t, sizeof(t), "1e9");
		break;
	case 1:
		snprintf(t, sizeof(t), "-0.5");
		break;
	case 2:
		snprintf(t, sizeof(t), "1698880204.806247");
		break;
	case 3:
		snprintf(t, sizeof(t), "%llu%s7", epoch, frac);
		break;
	case 4:
		snprintf(t, sizeof(t), "0%llu%s", epoch, frac);
		break;
	case 5:
		snprintf(t, sizeof(t), "%llu.5", epoch);
		break;
	case 6:
		snprintf(t, sizeof(t), "%llu%se2", epoch, frac);
		break;
	case 7:
		snprintf(t, sizeof(t), "%llu%s.", epoch, frac);
		break;
	case 8:
		/* Not a number: its fraction has a letter. */
		n = snprintf(t, sizeof(t), "%llu%s", epoch, frac);
		if (dig > 0)
			t[n - 1 - (int)rnd((unsigned)dig)] = 'y';
		break;
	default:
		snprintf(t, sizeof(t), "%llu%s", epoch, frac);
		break;
	}
	n = snprintf(buf, sz, "{\"src\":\"%s\",\"line\":%u,\"ts\":"
	    "\"2023-11-%02uT23:%02u:%02u%sZ\",\"t\":%s,\"kind\":\"%s\"",
	    srcs[rnd(8) < 4 ? 0 : rnd(10)], rnd(20) == 0 ? 0 : 1 + rnd(100000),
	    day, mi, se, frac, t, rnd(2) ? "end" : "start");
	if (rnd(2))
		n += snprintf(buf + n, sz - (size_t)n, ",\"pid\":\"%u\"",
		    rnd(100));
	if (rnd(2))
		n += snprintf(buf + n, sz - (size_t)n, ",\"tid\":\"%u\"",
		    rnd(100000));
	if (rnd(3) == 0)
		n += snprintf(buf + n, sz - (size_t)n, ",\"id\":\"%s%u\"",
		    rnd(5) == 0 ? "a\\u0000" : "r", rnd(1000));
	if (rnd(4) == 0)
		n += snprintf(buf + n, sz - (size_t)n, ",\"dur\":%s",
		    rnd(5) == 0 ? "1e-3" : rnd(5) == 0 ? "0.25" : "30.000001");
	if (rnd(4) == 0)
		n += snprintf(buf + n, sz - (size_t)n, ",\"route\":\"%s\"",
		    rnd(5) == 0 ? "/a\\\"b" : "/api");
	if (rnd(4) == 0)
		n += snprintf(buf + n, sz - (size_t)n, ",\"status\":%s",
		    rnd(5) == 0 ? "600" : rnd(5) == 0 ? "\"200\"" : "503");
	snprintf(buf + n, sz - (size_t)n, "%s", rnd(10) == 0 ? "} " : "}");
	/* Now and then a space after a colon, or a byte broken. */
	if (rnd(8) == 0 && (p = strchr(buf + 1, ':')) != NULL) {
		memmove(p + 2, p + 1, strlen(p + 1) + 1);
		p[1] = ' ';
	}
	if (rnd(10) == 0)
		buf[rnd((unsigned)strlen(buf))] = (char)(' ' + rnd(95));
}

/*
 * The store's interning of each field against the string of the event
 * before, and a pid's or tid's against the one in its slot of recent ones
 * (a compare, no lookup, when they are the same bytes; two strings that
 * differ before their last eight bytes share a slot): names of 0 to 90
 * bytes, two of each length differing in one byte at every place, added
 * in turn as src, pid, tid, id and route; every event must keep the bytes
 * it was given.
 */
static void
intern_lengths(void)
{
	struct eventstore *s = eventstore_new();
	char a[96], b[96];
	struct record r;
	struct diag d;
	int bad = 0, n = 0;

	for (size_t len = 0; len <= 90; len++)
		for (size_t k = 0; k < (len ? len : 1); k++) {
			for (size_t i = 0; i < len; i++)
				a[i] = b[i] = (char)('a' + (i * 7 + len) % 26);
			a[len] = b[len] = '\0';
			if (len > 0)
				b[k] = (char)(a[k] == 'z' ? 'y' : a[k] + 1);
			for (int j = 0; j < 4; j++) {
				const char *v = (j == 1 || j == 2) ? b : a;
				struct evx x;

				memset(&r, 0, sizeof(r));
				r.src = v;
				r.line = 1;
				r.kind = RECORD_END;
				r.pid = (struct record_str){ v, len };
				r.tid = r.pid;
				r.id = r.pid;
				r.route = r.pid;
				diag_clear(&d);
				if (eventstore_add(s, &r, &d) == -1) {
					bad++;
					continue;
				}
				eventstore_get(s, &s->ev[s->n - 1], &x);
				n++;
				if ((strcmp(x.src, v) != 0 ||
				    strtab_len(x.pid) != len ||
				    memcmp(x.pid, v, len) != 0 ||
				    x.tid != x.pid || x.id != x.pid ||
				    x.route != x.pid) && bad++ == 0)
					tap_diag("%zu bytes, differing at %zu: "
					    "kept as %s", len, k, x.src);
			}
		}
	is_int(bad, 0, "%d events with names of 0 to 90 bytes that differ "
	    "from the last in one byte: each keeps its own", n);
	eventstore_free(s);
}

/* The order eventstore_sort() must give, as a comparison: the reference. */
static int
refcmp(const void *pa, const void *pb)
{
	const struct evx *a = pa, *b = pb;
	int c;

	if ((c = ts_cmp(&a->t, &b->t)) != 0)
		return c;
	if ((c = strcmp(a->src, b->src)) != 0)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/*
 * n events from nsrc sources with many equal times and lines, in a random
 * order of arrival (shuffled: scrambled != 0) or in order of source and
 * line; sorted by eventstore_sort() and by qsort() with refcmp: the same.
 * Then every time moved (as --offset moves starts) and sorted again from
 * the order the first sort left, which is not the order of arrival.
 */
static void
sort_against_qsort(size_t n, int nsrc, int scrambled)
{
	static const char *srcs[] = { "web-2.log", "a", "web-10.log", "b" };
	struct eventstore *s = eventstore_new();
	struct evx *ref;
	struct diag d;
	char line[256];
	int same = 1, again = 1;

	for (size_t k = 0; k < n; k++) {
		unsigned src = scrambled ? (unsigned)(tap_rnd(&rng) % nsrc) :
		    (unsigned)(k * (size_t)nsrc / n);

		snprintf(line, sizeof(line), "{\"src\":\"%s\",\"line\":%llu,"
		    "\"ts\":\"2023-11-01T00:00:%02u.%03uZ\",\"t\":0,"
		    "\"kind\":\"%s\"}", srcs[src], scrambled ?
		    (unsigned long long)(1 + tap_rnd(&rng) % 50) :
		    (unsigned long long)(1 + k / 3), (unsigned)(tap_rnd(&rng) % 3),
		    (unsigned)(tap_rnd(&rng) % 4), k % 2 ? "end" : "start");
		if (rd(s, line, &d) == -1) {
			ok(0, "event read: %s", d.msg);
			return;
		}
	}
	if ((ref = all_of(s)) == NULL)
		return;
	qsort(ref, n, sizeof(*ref), refcmp);
	ok(eventstore_sort(s, &d) == 0, "%zu events, %d sources%s: sorted", n,
	    nsrc, scrambled ? ", arrival scrambled" : "");
	for (size_t k = 0; k < n; k++)
		same &= s->ev[k].seq == ref[k].seq;
	ok(same, "%zu events, %d sources%s: the order of (time, src, line, "
	    "arrival)", n, nsrc, scrambled ? ", arrival scrambled" : "");
	/* Move every start 1 s on: ties change, the present order is not
	 * the order of arrival. */
	for (size_t k = 0; k < n; k++)
		if (ev_flags(&s->ev[k]) & EV_START)
			s->ev[k].t.sec += 1;
	free(ref);
	if ((ref = all_of(s)) == NULL)
		return;
	qsort(ref, n, sizeof(*ref), refcmp);
	ok(eventstore_sort(s, &d) == 0, "moved: sorted again");
	for (size_t k = 0; k < n; k++)
		again &= s->ev[k].seq == ref[k].seq;
	ok(again, "%zu events, %d sources%s, starts moved: the same order as "
	    "qsort's", n, nsrc, scrambled ? ", arrival scrambled" : "");
	free(ref);
	eventstore_free(s);
}

/*
 * n events of one source, at the times ms[] (ms), of the lines lines[]
 * (NULL: in order, from 1): sorted as qsort() with refcmp sorts them.
 */
static void
sort_times(const unsigned *ms, const unsigned *lines, size_t n,
    const char *what)
{
	struct eventstore *s = eventstore_new();
	struct evx *ref;
	struct diag d;
	char line[256];
	int same = 1;

	for (size_t k = 0; k < n; k++) {
		snprintf(line, sizeof(line), "{\"src\":\"a\",\"line\":%zu,"
		    "\"ts\":\"2023-11-01T00:%02u:%02u.%03uZ\",\"t\":0,"
		    "\"kind\":\"end\"}", lines != NULL ? (size_t)lines[k] : k + 1,
		    ms[k] / 60000, ms[k] / 1000 % 60, ms[k] % 1000);
		if (rd(s, line, &d) == -1) {
			ok(0, "event read: %s", d.msg);
			eventstore_free(s);
			return;
		}
	}
	if ((ref = all_of(s)) == NULL)
		return;
	qsort(ref, n, sizeof(*ref), refcmp);
	ok(eventstore_sort(s, &d) == 0, "%s: sorted", what);
	for (size_t k = 0; k < n; k++)
		same &= s->ev[k].seq == ref[k].seq;
	ok(same, "  the order of (time, line), equal times by line");
	free(ref);
	eventstore_free(s);
}

/*
 * n events of one source in order of line, their times (two by two
 * equal) shuffled within windows of w lines, as threads print; from line
 * tail on, times at random: sorted as qsort() with refcmp sorts them (in
 * place when nearly in order, by radix past a few moves an event).
 */
static void
sort_near(size_t n, size_t w, size_t tail)
{
	char what[128];
	unsigned *ms;

	if ((ms = malloc(n * sizeof(*ms))) == NULL)
		return;
	for (size_t k = 0; k < n; k++)
		ms[k] = k >= tail ? (unsigned)(tap_rnd(&rng) % n) :
		    (unsigned)(k / 2);
	for (size_t k = 0; k + 1 < tail && k + 1 < n; k++) {
		size_t j = k + tap_rnd(&rng) % (w - k % w);
		unsigned t = ms[k];

		ms[k] = ms[j < tail ? j : k];
		ms[j < tail ? j : k] = t;
	}
	snprintf(what, sizeof(what), "%zu events out of place within %zu, "
	    "random from %zu", n, w, tail);
	sort_times(ms, NULL, n, what);
	free(ms);
}

/*
 * The in-place sort's budget (4 moves an event) runs out in the middle of
 * the last event out of place: 10 events in falling order (45 moves),
 * one in place, then the earliest (11 moves, 3 left).  It stops there, and
 * the sort must not take the array for sorted.
 */
static void
sort_budget_last(void)
{
	unsigned ms[12];

	for (unsigned k = 0; k < 10; k++)
		ms[k] = 11000 - 1000 * k;
	ms[10] = 50000;
	ms[11] = 0;
	sort_times(ms, NULL, 12, "the budget out on the last event out of "
	    "place");
}

/*
 * add() keeps the events sorted while they come in order of line and
 * within its budget: 12 in falling order of time run it out (66 moves,
 * 48 allowed), then lines come out of order (15 after 20, at equal
 * times): ev[] is sorted from there by the sort, and equal times are
 * still ordered by line.
 */
static void
sort_add_budget(void)
{
	static const unsigned ms[] = { 12000, 11000, 10000, 9000, 8000, 7000,
	    6000, 5000, 4000, 3000, 2000, 1000, 500, 500, 5000, 5000 };
	static const unsigned lines[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
	    12, 20, 15, 30, 25 };

	sort_times(ms, lines, 16, "kept sorted as added, then past the "
	    "budget, then lines out of order");
}

/*
 * add() keeps the events sorted: the third moves to the front, and the
 * fourth, at its time, comes before it by line (5 after 10): add() must
 * see that against the last event added (line 10), not the one at the
 * end of ev[] (line 2).
 */
static void
sort_add_moved(void)
{
	static const unsigned ms[] = { 1000, 2000, 500, 500 };
	static const unsigned lines[] = { 1, 2, 10, 5 };

	sort_times(ms, lines, 4, "kept sorted as added, the last moved, then "
	    "lines out of order");
}

/*
 * nsrc sources (past the sizes the store's source table starts with),
 * their events interleaved at random, some with their trailers:
 * eventstore_complete() makes up the others' as a pass over the events
 * counts them (events, highest line, order of first events).
 */
static void
complete_many(int nsrc, size_t n)
{
	struct eventstore *s = eventstore_new();
	uint64_t *events, *maxline;
	size_t *first, made = 0, want = 0, k;
	struct diag d;
	char line[256];
	int good = 1;

	events = calloc((size_t)nsrc, sizeof(*events));
	maxline = calloc((size_t)nsrc, sizeof(*maxline));
	first = calloc((size_t)nsrc, sizeof(*first));
	if (events == NULL || maxline == NULL || first == NULL)
		goto out;
	for (k = 0; k < n; k++) {
		unsigned src = (unsigned)(tap_rnd(&rng) % (unsigned)nsrc);

		snprintf(line, sizeof(line), "{\"src\":\"s%u\",\"line\":%u,"
		    "\"ts\":\"2023-11-01T00:00:01Z\",\"t\":0,"
		    "\"kind\":\"end\"}", src,
		    (unsigned)(1 + tap_rnd(&rng) % 1000));
		if (rd(s, line, &d) == -1) {
			ok(0, "event read: %s", d.msg);
			goto out;
		}
	}
	for (int i = 0; i < nsrc; i += 5) {
		snprintf(line, sizeof(line), "{\"src\":\"s%d\",\"kind\":"
		    "\"input\",\"bytes\":1,\"lines\":1,\"events\":1,"
		    "\"skipped\":0}", i);
		if (rd(s, line, &d) == -1) {
			ok(0, "trailer read: %s", d.msg);
			goto out;
		}
	}
	/* The reference: one pass over the events. */
	for (k = 0; k < s->n; k++) {
		const struct evx *x = at(s, k);
		int i = atoi(x->src + 1);

		if (events[i]++ == 0)
			first[i] = k;
		if (x->line > maxline[i])
			maxline[i] = x->line;
	}
	for (int i = 0; i < nsrc; i++)
		want += i % 5 != 0 && events[i] > 0;
	is_int(eventstore_complete(s, &made, &d), 0, "%d sources: complete",
	    nsrc);
	is_int((long long)made, (long long)want, "  %zu made up", want);
	for (k = s->ninputs - made; k < s->ninputs; k++) {
		const struct trailer *in = &s->inputs[k];
		int i = atoi(in->src + 1);

		good &= in->incomplete && i % 5 != 0 &&
		    in->events == events[i] && in->lines == maxline[i];
		if (k > s->ninputs - made)
			good &= first[atoi(s->inputs[k - 1].src + 1)] < first[i];
	}
	ok(good, "  each with its events and highest line, in the order of "
	    "their first events");
out:
	free(events);
	free(maxline);
	free(first);
	eventstore_free(s);
}

int
main(void)
{
	struct eventstore *s = eventstore_new(), *f, *c;
	struct diag d;
	const struct evx *e;
	char buf[512];
	int agree = 1, fastn = 0, errs = 0;

	ok(s != NULL, "eventstore_new");

	/* The contract's example line. */
	is_int(rd(s, "{\"src\":\"server.log\",\"line\":17,\"ts\":"
	    "\"2023-11-01T23:10:04.806247Z\",\"t\":1698880204.806247,"
	    "\"kind\":\"end\",\"pid\":\"65432\",\"tid\":\"123145499639808\"}",
	    &d), 0, "contract example reads");
	e = at(s, 0);
	/* `date -u -d '2023-11-01 23:10:04' +%s` = 1698880204 */
	is_int(e->t.sec, 1698880204, "ts seconds");
	is_int(e->t.nsec, 806247000, "ts nanoseconds");
	is_int(e->t.digits, 6, "ts digits kept");
	is_str(e->src, "server.log", "src");
	is_int(e->line, 17, "line");
	is_str(e->pid, "65432", "pid");
	is_str(e->tid, "123145499639808", "tid");
	ok(e->id == NULL, "no id");
	is_int(e->flags, 0, "kind end, no dur");
	is_int(s->fast, 1, "read by the fast path");

	/* The time of record is "ts", never "t"; nanoseconds are kept. */
	is_int(rd(s, "{\"src\":\"api.log\",\"line\":3,\"ts\":"
	    "\"2023-11-01T23:10:04.123456789Z\",\"t\":1,\"kind\":\"start\","
	    "\"id\":\"r1\",\"dur\":0.250}", &d), 0, "start with id and dur");
	e = at(s, 1);
	is_int(e->t.nsec, 123456789, "nanosecond digits preserved");
	is_int(e->t.digits, 9, "nine digits");
	is_int(e->flags, EV_START | EV_DUR, "start with dur");
	is_int(e->dur.sec, 0, "dur seconds");
	is_int(e->dur.nsec, 250000000, "dur nanoseconds, exact");
	is_str(e->id, "r1", "id");
	ok(at(s, 0)->pid == strtab_intern(s->strs, "65432", 5),
	    "identities are interned");

	/* Key order and spacing are free: cJSON reads what the fast path
	 * does not. */
	is_int(rd(s, "{ \"kind\": \"end\", \"ts\": \"2023-11-01T23:10:05Z\", "
	    "\"line\": 4, \"src\": \"s\", \"extra\": [1, {\"dur\": 9}], "
	    "\"dur\": 1.5 }", &d), 0, "any key order, spaces, unknown key");
	e = at(s, 2);
	is_int(e->t.digits, 0, "no fraction");
	is_int(e->dur.sec, 1, "dur from its own key, not a nested one");
	is_int(e->dur.nsec, 500000000, "dur 1.5");
	is_int(s->unknown_keys, 1, "unknown key counted");
	is_int(s->slow, 1, "read by cJSON");

	/* A trailer. */
	is_int(rd(s, "{\"src\":\"server.log\",\"kind\":\"input\",\"bytes\":"
	    "51234,\"lines\":4,\"events\":4,\"skipped\":1,\"blank\":2,"
	    "\"first_skipped\":\"3: junk\",\"sha256\":\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\",\"bad_utf8\":5,"
	    "\"zz\":1}", &d), 0, "trailer reads");
	is_int(s->ninputs, 1, "one trailer kept");
	ok(s->ninputs == 1 && s->inputs[0].bytes == 51234 &&
	    s->inputs[0].lines == 4 && s->inputs[0].events == 4 &&
	    s->inputs[0].skipped == 1 && s->inputs[0].blank == 2 &&
	    s->inputs[0].bad_utf8 == 5 && s->inputs[0].fold == 0,
	    "trailer counts");
	is_str(s->inputs[0].first_skipped, "3: junk", "first_skipped");
	is_str(s->inputs[0].sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "sha256");
	is_str(s->inputs[0].src, "server.log", "trailer src");
	is_int(s->unknown_keys, 2, "unknown trailer key counted");
	is_int(s->n, 3, "a trailer is not an event");

	/* Errors say what was expected. */
	ok(rd(s, "not json", &d) == -1 && contains(d.msg, "expected a JSON "
	    "object"), "not JSON");
	ok(rd(s, "[1]", &d) == -1 && contains(d.msg, "got an array"),
	    "an array");
	ok(rd(s, "{\"src\":\"s\",\"line\":1,\"ts\":\"2023-11-01T23:10:05Z\","
	    "\"kind\":\"end\"} x", &d) == -1 && contains(d.msg, "more after"),
	    "trailing text");
	ok(rd(s, "{\"src\":\"s\",\"line\":1,\"kind\":\"end\"}", &d) == -1 &&
	    contains(d.msg, "\"ts\""), "no ts");
	ok(rd(s, "{\"src\":\"s\",\"line\":1,\"ts\":\"2023-13-01T00:00:00Z\","
	    "\"t\":1,\"kind\":\"end\"}", &d) == -1 && d.code == DIAG_TS &&
	    contains(d.msg, "2023-13-01"), "impossible ts (fast path)");
	ok(rd(s, "{\"src\":\"s\",\"line\":0,\"ts\":\"2023-11-01T23:10:05Z\","
	    "\"kind\":\"end\"}", &d) == -1 && contains(d.msg, "\"line\""),
	    "line 0");
	ok(rd(s, "{\"src\":\"s\",\"line\":1.5,\"ts\":\"2023-11-01T23:10:05Z\","
	    "\"kind\":\"end\"}", &d) == -1 && contains(d.msg, "whole"),
	    "line 1.5");
	ok(rd(s, "{\"src\":\"s\",\"line\":1,\"ts\":\"2023-11-01T23:10:05Z\","
	    "\"kind\":\"begin\"}", &d) == -1 && contains(d.msg, "\"kind\""),
	    "unknown kind");
	ok(rd(s, "{\"src\":\"s\",\"line\":1,\"ts\":\"2023-11-01T23:10:05Z\","
	    "\"t\":1,\"kind\":\"end\",\"dur\":1e-3}", &d) == -1 &&
	    contains(d.msg, "decimal seconds"), "dur with an exponent");
	ok(rd(s, "{\"src\":\"s\",\"line\":1,\"ts\":\"2023-11-01T23:10:05Z\","
	    "\"t\":1,\"kind\":\"end\",\"dur\":-1}", &d) == -1 &&
	    contains(d.msg, "decimal seconds"), "negative dur");
	/* Found by fuzz/evs.c: cJSON takes leading zeros and any number of
	 * digits; a duration is exact to the nanosecond, no further. */
	ok(rd(s, "{\"src\":\"s\",\"line\":1,\"ts\":\"2023-11-01T23:10:05Z\","
	    "\"t\":1,\"kind\":\"end\",\"dur\":000.5}", &d) == -1 &&
	    contains(d.msg, "decimal seconds"), "dur with leading zeros");
	ok(rd(s, "{\"src\":\"s\",\"line\":1,\"ts\":\"2023-11-01T23:10:05Z\","
	    "\"t\":1,\"kind\":\"end\",\"dur\":0.9999999999}", &d) == -1 &&
	    contains(d.msg, "decimal seconds"), "dur with ten fraction digits");
	ok(rd(s, "{\"src\":\"s\",\"line\":1,\"ts\":\"2023-11-01T23:10:05Z\","
	    "\"t\":1,\"kind\":\"end\",\"dur\":0.999999999}", &d) == 0 &&
	    at(s, s->n - 1)->dur.nsec == 999999999, "dur with nine fraction digits");
	s->n--;
	ok(rd(s, "{\"kind\":\"align\",\"runs\":1}", &d) == -1 &&
	    contains(d.msg, "skew-align's output"), "an align record");
	is_int(s->align_recs, 1, "align record counted");
	ok(rd(s, "{\"run\":1,\"i\":0}", &d) == -1 &&
	    contains(d.msg, "request record"), "a request record");
	ok(rd(s, "{\"src\":\"s\",\"kind\":\"input\",\"bytes\":1}", &d) == -1 &&
	    contains(d.msg, "\"lines\""), "a short trailer");
	ok(rd(s, "{\"src\":7,\"line\":1,\"ts\":\"2023-11-01T23:10:05Z\","
	    "\"kind\":\"end\"}", &d) == -1 && contains(d.msg, "\"src\" as a "
	    "string, got a number"), "src a number");
	ok(rd(s, "{\"src\":\"s\",\"line\":281474976710656,\"ts\":"
	    "\"2023-11-01T23:10:05Z\",\"kind\":\"end\"}", &d) == -1 &&
	    contains(d.msg, "line 281474976710656: line numbers past "
	    "281474976710655 are not kept"), "a line past 2^48 - 1: refused");
	ok(rd(s, "{\"src\":\"s\",\"line\":281474976710655,\"ts\":"
	    "\"2023-11-01T23:10:05Z\",\"kind\":\"end\"}", &d) == 0 &&
	    at(s, s->n - 1)->line == 281474976710655ULL, "2^48 - 1 kept");
	s->n--;
	is_int(s->n, 3, "no event added by a faulty line");

	/* Identities are byte strings: "a\0b" and "a\0c" are two ids, each
	 * kept whole (the cJSON path: the fast one takes no escapes). */
	s->n = 0;
	ok(rd(s, "{\"src\":\"s\",\"line\":1,\"ts\":\"2023-11-01T23:10:05Z\","
	    "\"t\":1,\"kind\":\"end\",\"id\":\"a\\u0000b\"}", &d) == 0 &&
	    rd(s, "{\"src\":\"s\",\"line\":2,\"ts\":\"2023-11-01T23:10:05Z\","
	    "\"t\":1,\"kind\":\"start\",\"id\":\"a\\u0000c\"}", &d) == 0,
	    "ids with NULs read");
	ok(s->n == 2 && at(s, 0)->id != at(s, 1)->id, "a\\0b and a\\0c are two "
	    "ids");
	ok(s->n == 2 && strtab_len(at(s, 1)->id) == 3 &&
	    memcmp(at(s, 1)->id, "a\0c", 3) == 0, "the id keeps the bytes after "
	    "its NUL");

	/* Sources whose events came without a trailer get one made up,
	 * marked incomplete, in the order of their first events; a source
	 * with its trailer gets none. */
	{
		struct eventstore *m = eventstore_new();
		size_t made = 9;

		rd(m, "{\"src\":\"b\",\"line\":7,\"ts\":\"2023-11-01T00:00:01Z\",\"t\":0,\"kind\":\"end\"}", &d);
		rd(m, "{\"src\":\"a\",\"line\":2,\"ts\":\"2023-11-01T00:00:01Z\",\"t\":0,\"kind\":\"end\"}", &d);
		rd(m, "{\"src\":\"b\",\"line\":3,\"ts\":\"2023-11-01T00:00:01Z\",\"t\":0,\"kind\":\"end\"}", &d);
		rd(m, "{\"src\":\"c\",\"line\":1,\"ts\":\"2023-11-01T00:00:01Z\",\"t\":0,\"kind\":\"end\"}", &d);
		rd(m, "{\"src\":\"c\",\"kind\":\"input\",\"bytes\":1,\"lines\":1,"
		    "\"events\":1,\"skipped\":0}", &d);
		is_int(eventstore_complete(m, &made, &d), 0, "complete: done");
		is_int((long long)made, 2, "complete: two made up (b, a)");
		ok(m->ninputs == 3 && !m->inputs[0].incomplete &&
		    strcmp(m->inputs[1].src, "b") == 0 &&
		    m->inputs[1].incomplete && m->inputs[1].events == 2 &&
		    m->inputs[1].lines == 7 && strcmp(m->inputs[2].src, "a") == 0 &&
		    m->inputs[2].incomplete && m->inputs[2].events == 1,
		    "complete: b (2 events, line 7), then a; c has its own");
		is_int(eventstore_complete(m, &made, &d), 0, "complete: again");
		is_int((long long)made, 0, "complete: nothing more to make up");
		eventstore_free(m);
	}

	/* Sort: by time, then (src, line), then arrival. */
	s->n = 0;
	rd(s, "{\"src\":\"b\",\"line\":1,\"ts\":\"2023-11-01T00:00:01Z\",\"t\":0,\"kind\":\"end\"}", &d);
	rd(s, "{\"src\":\"a\",\"line\":9,\"ts\":\"2023-11-01T00:00:01Z\",\"t\":0,\"kind\":\"end\"}", &d);
	rd(s, "{\"src\":\"a\",\"line\":2,\"ts\":\"2023-11-01T00:00:01.000Z\",\"t\":0,\"kind\":\"end\"}", &d);
	rd(s, "{\"src\":\"a\",\"line\":5,\"ts\":\"2023-11-01T00:00:00.999999999Z\",\"t\":0,\"kind\":\"end\"}", &d);
	rd(s, "{\"src\":\"a\",\"line\":2,\"ts\":\"2023-11-01T00:00:01Z\",\"t\":0,\"kind\":\"start\"}", &d);
	ok(eventstore_sort(s, &d) == 0, "sorted");
	ok(s->n == 5 && at(s, 0)->line == 5 &&
	    strcmp(at(s, 1)->src, "a") == 0 && at(s, 1)->line == 2 &&
	    s->ev[1].seq < s->ev[2].seq && at(s, 2)->line == 2 &&
	    at(s, 3)->line == 9 && strcmp(at(s, 4)->src, "b") == 0,
	    "ties by (src, line), then order of arrival; 1 ns earlier first");
	eventstore_free(s);
	eventstore_free(NULL);
	sort_against_qsort(40, 1, 0);
	sort_against_qsort(5000, 1, 0);
	sort_against_qsort(5000, 3, 0);
	sort_against_qsort(5000, 4, 1);
	sort_against_qsort(100, 2, 1);
	sort_near(5000, 8, 5000);	/* in place */
	sort_near(5000, 64, 5000);	/* past the moves: radix from there */
	sort_near(5000, 8, 4000);	/* a random tail: radix */
	sort_near(3, 2, 3);
	sort_budget_last();
	sort_add_budget();
	sort_add_moved();
	intern_lengths();
	complete_many(40, 3000);
	complete_many(3, 50);

	/* The fast path against cJSON's answer on many lines. */
	f = eventstore_new();
	c = eventstore_new();
	for (int i = 0; i < 20000; i++) {
		struct diag df, dc;
		int rf, rc;
		size_t nf = f->n, nc = c->n, fast0 = f->fast;

		gen(buf, sizeof(buf));
		diag_clear(&df);
		diag_clear(&dc);
		rf = eventstore_line(f, buf, strlen(buf), &df);
		rc = eventstore_line_cjson(c, buf, strlen(buf), &dc);
		if (f->fast != fast0)
			fastn++;
		if (rc == -1)
			errs++;
		if (rf != rc || f->n - nf != c->n - nc ||
		    (rf == 0 && f->n > nf && !same_ev(at(f, nf), at(c, nc))) ||
		    (rf == -1 && strcmp(df.msg, dc.msg) != 0)) {
			if (agree)
				tap_diag("differ on: %s (%d/%d: %s | %s)", buf,
				    rf, rc, df.msg, dc.msg);
			agree = 0;
		}
	}
	ok(agree, "fast path and cJSON agree on 20000 lines");
	ok(fastn > 5000, "the fast path took many of them (%d)", fastn);
	ok(errs > 1000 && errs < 19000, "and many were errors (%d)", errs);
	{
		size_t ns = 0, ne = 0;

		for (size_t i = 0; i < f->n; i++) {
			unsigned fl = ev_flags(&f->ev[i]);

			ns += (fl & (EV_START | EV_DUR)) == EV_START;
			ne += (fl & (EV_START | EV_DUR)) == 0;
		}
		ok(f->nstarts == ns && f->nends == ne && ns > 0 && ne > 0 &&
		    ns + ne < f->n, "nstarts %zu and nends %zu: the events "
		    "of kind start and of kind end without dur (%zu, %zu of "
		    "%zu)", f->nstarts, f->nends, ns, ne, f->n);
	}
	eventstore_free(f);
	eventstore_free(c);
	return done_testing();
}
