/*
 * event: a property test.  Random events (times across 1970-9999 with 0-9
 * fraction digits, identities with quotes, controls, non-ASCII and invalid
 * bytes, durations) are written as NDJSON, and every line is read back with
 * cJSON: keys in the contract's order, `ts` the exact time (formatted here
 * independently with gmtime_r), `t` the exact decimal text and, read as a
 * number, the nearest double of it (strtod rounds correctly), strings
 * round-trip.  Then TSV and the trailer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "event.h"
#include "base/jsonin.h"
#include "base/ts.h"
#include "tap.h"

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint64_t
rnd(void)
{
	return tap_rnd(&rng);
}

/* The exact time as the contract writes it, computed without ts.c. */
static void
iso(int64_t sec, long ns, int digits, char *buf, size_t n)
{
	time_t t = (time_t)sec;
	struct tm tm;
	char frac[16];
	int k;

	gmtime_r(&t, &tm);
	k = snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	snprintf(frac, sizeof(frac), "%09ld", ns);
	if (digits > 0)
		k += snprintf(buf + k, n - (size_t)k, ".%.*s", digits, frac);
	snprintf(buf + k, n - (size_t)k, "Z");
}

static void
decimal(int64_t sec, long ns, int digits, char *buf, size_t n)
{
	char frac[16];

	snprintf(frac, sizeof(frac), "%09ld", ns);
	if (digits > 0)
		snprintf(buf, n, "%lld.%.*s", (long long)sec, digits, frac);
	else
		snprintf(buf, n, "%lld", (long long)sec);
}

static const char *const pieces[] = {
	"65432", "\"", "\\", "\n", "\t", "\x01", "\xc3\xa9", "\xe2\x82\xac",
	"\xf0\x9f\x98\x80", " ", "abc", "/", "\x7f"
};

/* A random valid UTF-8 string into buf; its length. */
static size_t
ustr(char *buf, size_t cap)
{
	size_t n = 0;

	for (int k = (int)(rnd() % 6); k > 0; k--) {
		const char *p = pieces[rnd() % (sizeof(pieces) / sizeof(pieces[0]))];
		size_t l = strlen(p);

		if (n + l >= cap)
			break;
		memcpy(buf + n, p, l);
		n += l;
	}
	return n;
}

static int
str_is(const cJSON *o, const char *s, size_t n)
{
	return cJSON_IsString(o) && strlen(o->valuestring) == n &&
	    memcmp(o->valuestring, s, n) == 0;
}

/* The raw text after "key": in line, up to the next ',' or '}'. */
static int
raw_is(const char *line, const char *key, const char *want)
{
	char pat[32];
	const char *p;
	size_t n = strlen(want);

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	if ((p = strstr(line, pat)) == NULL)
		return 0;
	p += strlen(pat);
	return strncmp(p, want, n) == 0 && (p[n] == ',' || p[n] == '}');
}

static void
test_ndjson(int count)
{
	static const char *const order[] = {
		"src", "line", "ts", "t", "kind", "pid", "tid", "id", "dur"
	};
	long bad_parse = 0, bad_keys = 0, bad_ts = 0, bad_t = 0, bad_num = 0;
	long bad_str = 0, bad_dur = 0;
	int64_t prev = 0;
	struct event_writer e;

	/* One writer throughout, so that its cache of the last second is
	 * hit (half the events share the previous one's second) and missed. */
	event_init(&e, NULL, 0);
	for (int k = 0; k < count; k++) {
		char src[64], pid[64], tid[64], id[64], want[64], dec[64];
		char *line;
		struct record r;
		cJSON *o, *c;
		int digits = (int)(rnd() % 10), i;
		long ns = (long)(rnd() % 1000000000);
		long p10 = 1;

		for (i = digits; i < 9; i++)
			p10 *= 10;
		ns -= ns % p10;	/* only the digits logged */
		memset(&r, 0, sizeof(r));
		src[ustr(src, sizeof(src) - 1)] = '\0';
		if (src[0] == '\0')
			strcpy(src, "server.log");
		r.src = src;
		r.line = rnd() % 100000000;
		/* 1970-01-01 .. 9999-12-31T23:59:59 */
		r.t.sec = (int64_t)(rnd() % 253402300800ULL);
		if (k > 0 && rnd() % 2)
			r.t.sec = prev;
		prev = r.t.sec;
		r.t.nsec = (int32_t)ns;
		r.t.digits = (uint8_t)digits;
		r.kind = rnd() % 2 ? RECORD_START : RECORD_END;
		if (rnd() % 4) {
			r.pid.n = ustr(pid, sizeof(pid));
			r.pid.s = pid;
		}
		if (rnd() % 4) {
			r.tid.n = ustr(tid, sizeof(tid));
			r.tid.s = tid;
		}
		if (rnd() % 2) {
			r.id.n = ustr(id, sizeof(id));
			r.id.s = id;
		}
		if ((r.has_dur = (int)(rnd() % 2)) != 0) {
			r.dur.sec = (int64_t)(rnd() % 100);
			r.dur.digits = (uint8_t)(rnd() % 10);
			p10 = 1;
			for (i = r.dur.digits; i < 9; i++)
				p10 *= 10;
			r.dur.nsec = (int32_t)((rnd() % 1000000000) / p10 * p10);
		}
		e.w.len = 0;
		event_begin(&e, src);
		event_write(&e, &r);
		if ((line = malloc(e.w.len + 1)) == NULL)
			exit(1);
		memcpy(line, e.w.buf, e.w.len);
		line[e.w.len] = '\0';
		if (line[strlen(line) - 1] != '\n' ||
		    (o = cJSON_Parse(line)) == NULL) {
			if (bad_parse++ < 3)
				tap_diag("does not parse: %s", line);
			free(line);
			continue;
		}
		/* Keys in the contract's order, the absent ones skipped. */
		i = 0;
		for (c = o->child; c != NULL; c = c->next) {
			while (i < 9 && strcmp(c->string, order[i]) != 0)
				i++;
			if (i == 9)
				break;
			i++;
		}
		if (c != NULL || cJSON_GetArraySize(o) != 5 +
		    (r.pid.s != NULL) + (r.tid.s != NULL) + (r.id.s != NULL) +
		    r.has_dur)
			bad_keys++;
		iso(r.t.sec, ns, digits, want, sizeof(want));
		if (!str_is(cJSON_GetObjectItem(o, "ts"), want, strlen(want))) {
			if (bad_ts++ < 3)
				tap_diag("ts: want %s in %s", want, line);
		}
		decimal(r.t.sec, ns, digits, dec, sizeof(dec));
		if (!raw_is(line, "t", dec))
			bad_t++;
		c = cJSON_GetObjectItem(o, "t");
		if (!cJSON_IsNumber(c) || c->valuedouble != strtod(dec, NULL))
			bad_num++;
		if (!str_is(cJSON_GetObjectItem(o, "src"), src, strlen(src)) ||
		    !str_is(cJSON_GetObjectItem(o, "kind"),
		    r.kind == RECORD_START ? "start" : "end",
		    r.kind == RECORD_START ? 5 : 3) ||
		    (r.pid.s && !str_is(cJSON_GetObjectItem(o, "pid"), r.pid.s,
		    r.pid.n)) ||
		    (r.tid.s && !str_is(cJSON_GetObjectItem(o, "tid"), r.tid.s,
		    r.tid.n)) ||
		    (r.id.s && !str_is(cJSON_GetObjectItem(o, "id"), r.id.s,
		    r.id.n)) ||
		    !cJSON_IsNumber(cJSON_GetObjectItem(o, "line")) ||
		    cJSON_GetObjectItem(o, "line")->valuedouble != (double)r.line)
			bad_str++;
		if (r.has_dur) {
			decimal(r.dur.sec, r.dur.nsec, r.dur.digits, dec,
			    sizeof(dec));
			if (!raw_is(line, "dur", dec))
				bad_dur++;
		}
		cJSON_Delete(o);
		free(line);
	}
	event_free(&e);
	is_int(bad_parse, 0, "%d events: every line parses with cJSON", count);
	is_int(bad_keys, 0, "keys in the contract's order, absent ones left out");
	is_int(bad_ts, 0, "ts is the exact time (gmtime_r reference)");
	is_int(bad_t, 0, "t is the exact decimal text");
	is_int(bad_num, 0, "t read back is the nearest double of the time");
	is_int(bad_str, 0, "src, kind, pid, tid, id, line round-trip");
	is_int(bad_dur, 0, "dur is the exact decimal text");
}

static void
test_bad_utf8(void)
{
	struct event_writer e;
	struct record r;
	struct trailer in;
	cJSON *o;
	char *line;

	memset(&r, 0, sizeof(r));
	memset(&in, 0, sizeof(in));
	r.src = "x.log";
	r.line = 1;
	r.pid.s = "\xff\xfe";
	r.pid.n = 2;
	event_init(&e, NULL, 0);
	event_begin(&e, "x.log");
	event_write(&e, &r);
	in.src = "x.log";
	in.lines = 3;
	in.events = 1;
	in.skipped = 1;
	in.blank = 1;
	in.first_skipped = "2: a\"b\x01";
	in.first_skipped_n = 7;
	in.first_skipped_line = 2;
	strcpy(in.sha256, "ab");
	event_trailer(&e, &in);
	is_int((long long)in.bad_utf8, 2, "two invalid bytes counted");
	line = strndup(e.w.buf, e.w.len);
	o = cJSON_Parse(line);
	ok(o != NULL && str_is(cJSON_GetObjectItem(o, "pid"),
	    "\xef\xbf\xbd\xef\xbf\xbd", 6), "invalid bytes become U+FFFD");
	cJSON_Delete(o);
	o = cJSON_Parse(strchr(line, '\n') + 1);
	ok(o != NULL, "the trailer parses");
	if (o != NULL) {
		static const char *const keys[] = {
			"src", "kind", "bytes", "lines", "events", "skipped",
			"blank", "first_skipped", "first_skipped_line",
			"sha256", "bad_utf8", "fold"
		};
		cJSON *c = o->child, *fl;
		int i;

		for (i = 0; i < 12 && c != NULL; i++, c = c->next)
			if (strcmp(c->string, keys[i]) != 0)
				break;
		ok(i == 12 && c == NULL, "trailer keys in the contract's order");
		fl = cJSON_GetObjectItem(o, "first_skipped_line");
		ok(cJSON_IsNumber(fl) && fl->valuedouble == 2,
		    "first_skipped_line is the number");
		ok(str_is(cJSON_GetObjectItem(o, "first_skipped"),
		    "2: a\"b\x01", 7), "first_skipped round-trips");
		ok(str_is(cJSON_GetObjectItem(o, "kind"), "input", 5),
		    "kind input");
		cJSON_Delete(o);
	}
	free(line);
	event_free(&e);
}

static void
test_tsv(void)
{
	struct event_writer e;
	struct record r;
	struct trailer in;

	memset(&r, 0, sizeof(r));
	memset(&in, 0, sizeof(in));
	r.src = "a\tb";
	r.line = 7;
	r.t.sec = 1698880204;
	r.t.nsec = 806247000;
	r.t.digits = 6;
	r.id.s = "x\\y";
	r.id.n = 3;
	r.has_dur = 1;
	r.dur.sec = 0;
	r.dur.nsec = 31000000;
	r.dur.digits = 3;
	event_init(&e, NULL, 1);
	event_begin(&e, r.src);
	event_write(&e, &r);
	r.id.s = NULL;
	r.has_dur = 0;
	r.kind = RECORD_START;
	event_write(&e, &r);
	r.route.s = "/a\tb";
	r.route.n = 4;
	r.status = 404;
	event_write(&e, &r);
	in.src = "a\tb";
	event_trailer(&e, &in);
	jsonout_char(&e.w, '\0');
	is_str(e.w.buf, "src\tline\tts\tt\tkind\tpid\ttid\tid\tdur\troute"
	    "\tstatus\n"
	    "a\\tb\t7\t2023-11-01T23:10:04.806247Z\t1698880204.806247\tend"
	    "\t\t\tx\\\\y\t0.031\t\t\n"
	    "a\\tb\t7\t2023-11-01T23:10:04.806247Z\t1698880204.806247\tstart"
	    "\t\t\t\t\t\t\n"
	    "a\\tb\t7\t2023-11-01T23:10:04.806247Z\t1698880204.806247\tstart"
	    "\t\t\t\t\t/a\\tb\t404\n",
	    "TSV: header once, escapes, empty absent fields, route and status "
	    "last, no trailer");
	event_free(&e);
}

/*
 * rec.plain (the scanner's word that the identities are digits) takes a
 * shorter path through the writer: the same bytes as without it, NDJSON
 * and TSV, over random digit identities (some absent), durations, line
 * numbers in and out of order, and times that share their second or not.
 */
static void
test_plain(int count)
{
	struct event_writer a[2], b[2];
	int differ = 0;

	for (int t = 0; t < 2; t++) {
		event_init(&a[t], NULL, t);
		event_init(&b[t], NULL, t);
		event_begin(&a[t], "server.log");
		event_begin(&b[t], "server.log");
	}
	for (int k = 0; k < count; k++) {
		char ids[3][24];
		struct record_str *v[3];
		struct record r;

		memset(&r, 0, sizeof(r));
		v[0] = &r.pid;
		v[1] = &r.tid;
		v[2] = &r.id;
		r.src = "server.log";
		r.line = rnd() % 8 ? (uint64_t)k + 1 : rnd();
		r.t.sec = 1698880204 + (int64_t)(rnd() % 3);
		r.t.nsec = (int32_t)(rnd() % 1000000000);
		r.t.digits = (uint8_t)(rnd() % 10);
		r.kind = rnd() % 2 ? RECORD_START : RECORD_END;
		for (int i = 0; i < 3; i++) {
			size_t n = rnd() % 21;

			if (rnd() % 4 == 0)
				continue;
			for (size_t j = 0; j < n; j++)
				ids[i][j] = (char)('0' + rnd() % 10);
			v[i]->s = ids[i];
			v[i]->n = n;
		}
		if ((r.has_dur = (int)(rnd() % 2)) != 0) {
			r.dur.sec = (int64_t)(rnd() % 100);
			r.dur.nsec = (int32_t)(rnd() % 1000) * 1000000;
			r.dur.digits = 3;
		}
		for (int t = 0; t < 2; t++) {
			a[t].w.len = b[t].w.len = 0;
			r.plain = 0;
			event_write(&a[t], &r);
			r.plain = 1;
			event_write(&b[t], &r);
			if ((a[t].w.len != b[t].w.len || memcmp(a[t].w.buf,
			    b[t].w.buf, a[t].w.len) != 0) && differ++ < 3)
				tap_diag("plain changed %.*s", (int)a[t].w.len,
				    a[t].w.buf);
		}
	}
	is_int(differ, 0, "plain: %d events, NDJSON and TSV, the same bytes "
	    "with and without it", count);
	for (int t = 0; t < 2; t++) {
		event_free(&a[t]);
		event_free(&b[t]);
	}
}

/* One trailer line through event_read: its status, and *in when 2. */
static int
read_trailer(const char *line, struct event_line *l, struct diag *d)
{
	diag_clear(d);
	return event_read(line, strlen(line), l, d);
}

/*
 * skip_reasons: written after first_skipped_line only when some line was
 * counted under a code, read back exactly; trailers without the key (as
 * every skew-parse wrote before it) still read; unknown codes and counts
 * that do not add up to "skipped" are refused.
 */
static void
test_skip_reasons(void)
{
	static const char base[] = "{\"src\":\"a\",\"kind\":\"input\","
	    "\"bytes\":1,\"lines\":9,\"events\":4,\"skipped\":5,\"blank\":0,"
	    "\"first_skipped\":\"2: x\",\"first_skipped_line\":2";
	struct event_writer e;
	struct event_line l;
	struct trailer in;
	struct diag d;
	char line[1024];
	int rc;

	memset(&in, 0, sizeof(in));
	in.src = "a";
	in.lines = 9;
	in.events = 4;
	in.skipped = 5;
	in.first_skipped = "2: x";
	in.first_skipped_n = 4;
	in.first_skipped_line = 2;
	in.reasons[SKIP_NO_MATCH] = (struct skip_reason){ 1, 2 };
	in.reasons[SKIP_BAD_FIELD] = (struct skip_reason){ 4, 3 };
	event_init(&e, NULL, 0);
	event_begin(&e, "a");
	event_trailer(&e, &in);
	jsonout_char(&e.w, '\0');
	ok(strstr(e.w.buf, "\"first_skipped_line\":2,\"skip_reasons\":{"
	    "\"no_match\":{\"count\":1,\"first_line\":2},\"bad_field\":{"
	    "\"count\":4,\"first_line\":3}},\"sha256\":null,") != NULL,
	    "skip_reasons after first_skipped_line, codes in their order");
	rc = read_trailer(e.w.buf, &l, &d);
	is_int(rc, EVENT_READ_TRAILER, "read back");
	if (rc == EVENT_READ_TRAILER) {
		ok(l.in.reasons[SKIP_NO_MATCH].count == 1 &&
		    l.in.reasons[SKIP_NO_MATCH].first_line == 2 &&
		    l.in.reasons[SKIP_BAD_FIELD].count == 4 &&
		    l.in.reasons[SKIP_BAD_FIELD].first_line == 3 &&
		    l.in.reasons[SKIP_BAD_TIMESTAMP].count == 0 &&
		    l.unknown == 0, "  the same counts and lines, no unknown key");
		event_line_free(&l);
	}
	event_free(&e);
	in.skipped = 0;
	memset(in.reasons, 0, sizeof(in.reasons));
	in.first_skipped = NULL;
	event_init(&e, NULL, 0);
	event_begin(&e, "a");
	event_trailer(&e, &in);
	jsonout_char(&e.w, '\0');
	ok(strstr(e.w.buf, "skip_reasons") == NULL,
	    "nothing skipped: no skip_reasons, the trailer as before");
	event_free(&e);

	snprintf(line, sizeof(line), "%s}", base);
	rc = read_trailer(line, &l, &d);
	is_int(rc, EVENT_READ_TRAILER, "a trailer without skip_reasons reads");
	if (rc == EVENT_READ_TRAILER)
		event_line_free(&l);
	snprintf(line, sizeof(line), "%s,\"skip_reasons\":{\"no_match\":"
	    "{\"count\":5,\"first_line\":2}}}", base);
	rc = read_trailer(line, &l, &d);
	is_int(rc, EVENT_READ_TRAILER, "one code for every skipped line");
	if (rc == EVENT_READ_TRAILER)
		event_line_free(&l);
	snprintf(line, sizeof(line), "%s,\"skip_reasons\":{\"no_match\":"
	    "{\"count\":4,\"first_line\":2}}}", base);
	is_int(read_trailer(line, &l, &d), -1, "counts short of skipped: refused");
	ok(strstr(d.msg, "count 4 lines, \"skipped\" 5") != NULL, "  %s", d.msg);
	snprintf(line, sizeof(line), "%s,\"skip_reasons\":{\"bogus\":"
	    "{\"count\":5,\"first_line\":2}}}", base);
	is_int(read_trailer(line, &l, &d), -1, "an unknown code: refused");
	ok(strstr(d.msg, "unknown skip reason bogus") != NULL, "  %s", d.msg);
	snprintf(line, sizeof(line), "%s,\"skip_reasons\":{\"no_match\":"
	    "{\"count\":5}}}", base);
	is_int(read_trailer(line, &l, &d), -1, "a code without first_line");
	for (int c = 0; c < SKIP_NCODES; c++)
		ok(skip_name(c) != NULL && strchr(skip_name(c), ' ') == NULL,
		    "code %d named %s", c, skip_name(c));
	ok(skip_name(SKIP_NCODES) == NULL, "no name past the codes");
}

/* route and status: written last, read back by both paths. */
static void
test_route_status(void)
{
	struct event_writer e;
	struct event_line l, lc;
	struct record r;
	struct diag d;
	char *nl;
	int rc;

	memset(&r, 0, sizeof(r));
	r.src = "a";
	r.line = 3;
	r.t.sec = 1700000000;
	r.pid.s = "1";
	r.pid.n = 1;
	r.plain = 1;
	r.route.s = "/api/v1";
	r.route.n = 7;
	r.status = 503;
	event_init(&e, NULL, 0);
	event_begin(&e, "a");
	event_write(&e, &r);
	r.route.s = "/q\"x";
	r.route.n = 4;
	r.status = 0;
	event_write(&e, &r);
	jsonout_char(&e.w, '\0');
	is_str(e.w.buf, "{\"src\":\"a\",\"line\":3,\"ts\":"
	    "\"2023-11-14T22:13:20Z\",\"t\":1700000000,\"kind\":\"end\","
	    "\"pid\":\"1\",\"route\":\"/api/v1\",\"status\":503}\n"
	    "{\"src\":\"a\",\"line\":3,\"ts\":\"2023-11-14T22:13:20Z\","
	    "\"t\":1700000000,\"kind\":\"end\",\"pid\":\"1\","
	    "\"route\":\"/q\\\"x\"}\n", "route and status after the others");
	nl = strchr(e.w.buf, '\n');
	diag_clear(&d);
	rc = event_read(e.w.buf, (size_t)(nl - e.w.buf), &l, &d);
	is_int(rc, EVENT_READ_EVENT, "read back (fast path)");
	ok(l.fast && l.rec.status == 503 && l.rec.route.n == 7 &&
	    memcmp(l.rec.route.s, "/api/v1", 7) == 0, "  route and status");
	rc = event_read_cjson(e.w.buf, (size_t)(nl - e.w.buf), &lc, &d);
	ok(rc == EVENT_READ_EVENT && lc.rec.status == 503 &&
	    lc.rec.route.n == 7, "  cJSON's path reads the same");
	event_line_free(&l);
	event_line_free(&lc);
	rc = event_read(nl + 1, strlen(nl + 1) - 1, &l, &d);
	ok(rc == EVENT_READ_EVENT && l.rec.status == 0 && l.rec.route.n == 4 &&
	    memcmp(l.rec.route.s, "/q\"x", 4) == 0,
	    "an escaped route, no status");
	if (rc == EVENT_READ_EVENT)
		event_line_free(&l);
	{
		static const char bad[] = "{\"src\":\"a\",\"line\":1,\"ts\":"
		    "\"2023-11-14T22:13:20Z\",\"t\":1700000000,\"kind\":"
		    "\"end\",\"status\":600}";

		rc = event_read(bad, sizeof(bad) - 1, &l, &d);
	}
	ok(rc == -1 && strstr(d.msg, "status") != NULL,
	    "a status past 599 refused: %s", d.msg);
	event_free(&e);
}

/* The fast paths' scanners byte by byte, as they were before they went
 * eight bytes a step: the reference for test_cursor(). */
static int
ref_plain(const char *p, const char *e, size_t *n)
{
	const char *q = p;

	while (q < e && *q != '"') {
		if (*q == '\\' || (unsigned char)*q < 0x20)
			return 0;
		q++;
	}
	if (q == e)
		return 0;
	*n = (size_t)(q - p);
	return 1;
}

static const char *
ref_digits(const char *q, const char *e)
{
	while (q < e && *q >= '0' && *q <= '9')
		q++;
	return q;
}

/*
 * jsonin_plain(), jsonin_digits() and jsonin_number() against byte loops:
 * runs of 0 to 40 plain bytes or digits with one byte of every value at
 * each place, the buffer ending there or later (a word is read only where
 * eight bytes remain: ASan checks that on the heap copy).
 */
static void
test_cursor(void)
{
	int fails = 0, n = 0;

	for (size_t len = 0; len <= 40; len++)
		for (size_t at = 0; at <= len; at++)
			for (int b = 0; b < 256; b++)
				for (size_t tail = 0; tail <= 1; tail++) {
					size_t sz = len + tail, rn = 0;
					char *buf = malloc(sz + 1);
					struct jsonin_cur c;
					const char *s, *q;
					size_t sn = 0;
					int r, rr;

					/* Plain: letters, b at at, '"' at the
					 * end when tail. */
					for (size_t k = 0; k < sz; k++)
						buf[k] = (char)('a' + k % 26);
					if (at < len)
						buf[at] = (char)b;
					if (tail)
						buf[len] = '"';
					c = (struct jsonin_cur){ buf, buf + sz };
					r = jsonin_plain(&c, &s, &sn);
					rr = ref_plain(buf, buf + sz, &rn);
					if ((r != rr || (r && (sn != rn ||
					    s != buf || c.p != buf + rn + 1)) ||
					    (!r && c.p != buf)) && fails++ == 0)
						tap_diag("jsonin_plain: %zu bytes, "
						    "%d at %zu", len, b, at);
					/* Digits, and a number of them. */
					for (size_t k = 0; k < sz; k++)
						buf[k] = (char)('0' + k % 10);
					if (at < len)
						buf[at] = (char)b;
					q = jsonin_digits(buf, buf + sz);
					if (q != ref_digits(buf, buf + sz) &&
					    fails++ == 0)
						tap_diag("jsonin_digits: %zu "
						    "bytes, %d at %zu", len, b, at);
					c = (struct jsonin_cur){ buf, buf + sz };
					buf[0] = sz > 0 && at != 0 ? '1' : buf[0];
					r = jsonin_number(&c, &s, &sn);
					q = ref_digits(buf, buf + sz);
					rr = sz > 0 && buf[0] >= '1' &&
					    buf[0] <= '9' && (q == buf + sz ||
					    (*q != '.' && *q != 'e' && *q != 'E'));
					if (rr && (!r || sn != (size_t)(q - buf) ||
					    c.p != q) && fails++ == 0)
						tap_diag("jsonin_number: %zu "
						    "bytes, %d at %zu", len, b, at);
					free(buf);
					n += 3;
				}
	is_int(fails, 0, "jsonin_plain, jsonin_digits, jsonin_number: %d "
	    "scans as byte by byte", n);
}

/* jsonin_number() and jsonin_whole() as they were, byte by byte: the
 * references for test_numbers(). */
static int
ref_number(struct jsonin_cur *c, const char **s, size_t *n)
{
	const char *q = c->p, *e = c->end;

	if (q < e && *q == '-')
		q++;
	if (q < e && *q == '0')
		q++;
	else if (q < e && *q >= '0' && *q <= '9')
		q = ref_digits(q, e);
	else
		return 0;
	if (q < e && *q == '.') {
		if (++q == e || !(*q >= '0' && *q <= '9'))
			return 0;
		q = ref_digits(q, e);
	}
	if (q < e && (*q == 'e' || *q == 'E')) {
		if (++q < e && (*q == '+' || *q == '-'))
			q++;
		if (q == e || !(*q >= '0' && *q <= '9'))
			return 0;
		q = ref_digits(q, e);
	}
	*s = c->p;
	*n = (size_t)(q - c->p);
	c->p = q;
	return 1;
}

static int
ref_whole(struct jsonin_cur *c, uint64_t *v)
{
	const char *q = c->p, *e = c->end;
	uint64_t x = 0;

	if (q < e && *q == '0') {
		q++;
	} else {
		while (q < e && *q >= '0' && *q <= '9' && q - c->p < 15)
			x = x * 10 + (uint64_t)(*q++ - '0');
		if (q == c->p)
			return 0;
	}
	if (q < e && ((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' ||
	    *q == 'E'))
		return 0;
	*v = x;
	c->p = q;
	return 1;
}

/*
 * jsonin_number() and jsonin_whole() against those references on random
 * texts of 0 to 48 bytes, mostly digits with a '.', an exponent, a sign, a
 * ',' or a '"' among them, each in a buffer of its exact length (the
 * number's 32-byte look ahead is taken only where 32 bytes remain).
 */
static void
test_numbers(void)
{
	static const char alpha[] = "0123456789012345678901234567890123456789"
	    "..eE+-,\"x";
	int fails = 0, n = 0, taken = 0;

	for (int k = 0; k < 300000; k++) {
		size_t len = (size_t)(rnd() % 49), sn = 0, rn = 0;
		char *buf = malloc(len + 1);
		struct jsonin_cur c, rc;
		const char *s = NULL, *rs = NULL;
		uint64_t v = 0, rv = 0;
		int r, rr;

		if (buf == NULL)
			break;
		for (size_t j = 0; j < len; j++)
			buf[j] = alpha[rnd() % (rnd() % 4 ? 40 : sizeof(alpha) -
			    1)];
		c = rc = (struct jsonin_cur){ buf, buf + len };
		r = jsonin_number(&c, &s, &sn);
		rr = ref_number(&rc, &rs, &rn);
		if ((r != rr || c.p != rc.p || (r && (s != rs || sn != rn))) &&
		    fails++ == 0)
			tap_diag("jsonin_number: \"%.*s\": %d %zu, byte by "
			    "byte %d %zu", (int)len, buf, r, sn, rr, rn);
		taken += r;
		c = rc = (struct jsonin_cur){ buf, buf + len };
		r = jsonin_whole(&c, &v);
		rr = ref_whole(&rc, &rv);
		if ((r != rr || c.p != rc.p || (r && v != rv)) && fails++ == 0)
			tap_diag("jsonin_whole: \"%.*s\": %d %llu, byte by "
			    "byte %d %llu", (int)len, buf, r,
			    (unsigned long long)v, rr, (unsigned long long)rv);
		n += 2;
		free(buf);
	}
	is_int(fails, 0, "jsonin_number, jsonin_whole: %d reads as byte by "
	    "byte (%d numbers)", n, taken);
}

/*
 * jsonin_iso_memo() against ts_parse() with the same memo: times in the
 * memo's minute and others, seconds 00-61 and not digits, fractions of 0
 * to 11 digits after '.' or ',', a byte not a digit in them, 'Z', an offset
 * or nothing after, each in a buffer of its exact length (ASan sees a read
 * past it).  Whatever it takes must be ts_parse()'s answer and leave the
 * memo as ts_parse() leaves it; every time in skew's own shape in the
 * memo's minute it must take.  Then jsonin_iso_quoted() on the same text
 * in quotes with the rest of a line after it.
 */
static void
test_iso_memo(void)
{
	static const char *const minutes[] = { "2023-11-01T23:10",
	    "2023-11-01 23:10", "9999-12-31T23:59", "1970-01-01T00:00",
	    "2024-02-29T12:00", "2023-11-01T23:11" };
	static const char *const ends[] = { "Z", "Z", "Z", "Z", "Z", "Z",
	    "", "+01:00", "-00:30", "z", "ZZ", "Z ", "Z\\", "-" };
	int wrong = 0, taken = 0, must = 0, n = 0, qwrong = 0, qtaken = 0;

	for (int k = 0; k < 200000; k++) {
		struct jsonin_cur c, pc;
		const char *ps;
		size_t pn, qlen;
		struct ts_memo memo, keep;
		struct ts_opt o = { .form = TS_ISO, .memo = &memo };
		struct ts a, b;
		struct diag d;
		char text[64], *buf;
		size_t len, nd = rnd() % 12;
		unsigned sec = (unsigned)(rnd() % 62);
		const char *end = ends[rnd() % 14];
		int sep = rnd() % 8 == 0 ? ',' : '.', frac = 0, canon, r, rp;
		size_t mi = rnd() % 5;

		/* The memo from a time of one minute, maybe with an
		 * offset (its base is then the local minute). */
		memset(&memo, 0, sizeof(memo));
		snprintf(text, sizeof(text), "%s:%02uZ", minutes[mi],
		    (unsigned)(rnd() % 60));
		if (rnd() % 8 == 0)
			memcpy(text + strlen(text) - 1, "+02:00", 7);
		if (rnd() % 16 != 0)
			ts_parse(text, strlen(text), &o, &a, NULL);
		len = (size_t)snprintf(text, sizeof(text), "%s:%02u",
		    minutes[rnd() % 4 ? mi : rnd() % 6], sec);
		if (rnd() % 10 == 0)
			text[len - 1 - rnd() % 2] = (char)('0' + 10 + rnd() % 5);
		if (nd > 0 || rnd() % 20 == 0) {
			frac = 1;
			text[len++] = (char)sep;
			for (size_t j = 0; j < nd; j++)
				text[len++] = (char)('0' + rnd() % 10);
			if (nd > 0 && rnd() % 10 == 0)
				text[len - 1 - rnd() % nd] = (char)(rnd() % 2 ?
				    '/' : ':');
		}
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s",
		    end);
		canon = memo.ok && strcmp(end, "Z") == 0 &&
		    (!frac || sep == '.') &&
		    nd <= 9 && sec < 60 && strspn(text + 17, "0123456789.") ==
		    len - 18 && memo.key[0] == ts_ld8(text) &&
		    memo.key[1] == ts_ld8(text + 8) &&
		    memo.base + (int64_t)sec <= TS_SEC_MAX &&
		    (nd > 0 || text[19] == 'Z');
		if ((buf = malloc(len)) == NULL)
			break;
		memcpy(buf, text, len);
		keep = memo;
		memset(&a, 0x55, sizeof(a));
		r = jsonin_iso_memo(buf, len, &memo, &a);
		diag_clear(&d);
		rp = ts_parse(buf, len, &o, &b, &d);
		n++;
		taken += r;
		must += canon;
		if (((r && (rp != 0 || a.sec != b.sec || a.nsec != b.nsec ||
		    a.digits != b.digits || a.flags != b.flags ||
		    memcmp(&memo, &keep, sizeof(memo)) != 0)) ||
		    (canon != r)) && wrong++ == 0)
			tap_diag("jsonin_iso_memo: \"%.*s\" (%d, canonical %d): "
			    "%lld.%09d/%d, ts_parse %d %lld.%09d/%d", (int)len,
			    buf, r, canon, (long long)a.sec, (int)a.nsec,
			    a.digits, rp, (long long)b.sec, (int)b.nsec,
			    b.digits);
		free(buf);
		/* The same text in quotes, then 0 to 19 bytes of a line:
		 * jsonin_iso_quoted() as jsonin_plain() and
		 * jsonin_iso_memo(), and it must take skew's shape where
		 * 32 bytes remain. */
		qlen = len + 1 + (size_t)(rnd() % 20);
		if ((buf = malloc(qlen)) == NULL)
			break;
		memcpy(buf, text, len);
		buf[len] = '"';
		for (size_t j = len + 1; j < qlen; j++)
			buf[j] = ",:\"x0}\\"[rnd() % 7];
		c = pc = (struct jsonin_cur){ buf, buf + qlen };
		r = jsonin_iso_quoted(&c, &memo, &a);
		rp = jsonin_plain(&pc, &ps, &pn) &&
		    jsonin_iso_memo(ps, pn, &memo, &b);
		if (((r && (!rp || c.p != pc.p || a.sec != b.sec ||
		    a.nsec != b.nsec || a.digits != b.digits ||
		    a.flags != b.flags)) || (!r && c.p != buf) ||
		    (canon && qlen >= 32 && !r)) && qwrong++ == 0)
			tap_diag("jsonin_iso_quoted: \"%.*s\" (%d, canonical "
			    "%d)", (int)qlen, buf, r, canon);
		qtaken += r;
		free(buf);
	}
	is_int(wrong, 0, "jsonin_iso_memo: ts_parse's time on %d of %d "
	    "texts, every one of skew's shape in the memo's minute (%d)",
	    taken, n, must);
	ok(must > 10000 && taken == must, "  those %d and no other taken",
	    must);
	is_int(qwrong, 0, "jsonin_iso_quoted: the same in quotes, %d taken",
	    qtaken);
	ok(qtaken > 5000, "  and taken where 32 bytes remain");
}

int
main(void)
{
	test_skip_reasons();
	test_route_status();
	test_ndjson(100000);
	test_bad_utf8();
	test_tsv();
	test_plain(100000);
	test_cursor();
	test_numbers();
	test_iso_memo();
	return done_testing();
}
