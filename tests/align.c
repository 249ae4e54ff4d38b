/*
 * Pairing, offsets and the request records (analyze/align.c, request.c).
 * Every expected time and latency below is worked out by hand from the
 * events written in the test.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "align.h"
#include "request.h"
#include "tap.h"

static struct align *a;
static struct diag d;
static struct reqset rs;
static struct req *reqs;	/* rs's requests, after finish() */
static char out[8192];

static void
start(int gap_s, int mode, long long off_s, long off_ns, int off_digits)
{
	struct align_opt o;

	memset(&o, 0, sizeof(o));
	if (gap_s > 0) {
		o.gap.sec = gap_s;
		o.gap_given = 1;
	}
	o.offset_mode = mode;
	o.offset.sec = off_s;
	o.offset.nsec = (int)off_ns;
	o.offset.digits = (unsigned char)off_digits;
	diag_clear(&d);
	a = align_new(&o, &d);
}

/* One event line at the ISO time ts (without its Z). */
static void
ev_at(const char *src, int line, const char *ts, const char *kind,
    const char *extra)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "{\"src\":\"%s\",\"line\":%d,\"ts\":"
	    "\"%sZ\",\"t\":0,\"kind\":\"%s\"%s}", src, line, ts, kind, extra);
	d.src = src;
	d.line = (unsigned long)line;
	if (align_add_line(a, buf, strlen(buf), &d) == -1)
		tap_diag("could not add %s: %s", buf, d.msg);
}

/* One event line: ts is the time of day on 2023-11-01. */
static void
ev(const char *src, int line, const char *ts, const char *kind,
    const char *extra)
{
	char iso[64];

	snprintf(iso, sizeof(iso), "2023-11-01T%s", ts);
	ev_at(src, line, iso, kind, extra);
}


/* Finish and render the output into out[]; returns align_finish's result. */
static int
finish(void)
{
	struct jsonout w;
	int r;

	diag_clear(&d);
	r = align_finish(a, &rs, &d);
	out[0] = '\0';
	free(reqs);
	reqs = NULL;
	if (r == 0) {
		reqs = reqset_all(&rs);
		jsonout_init(&w, NULL);
		request_write_all(&rs, &w);
		if (w.len < sizeof(out)) {
			memcpy(out, w.buf, w.len);
			out[w.len] = '\0';
		}
		jsonout_free(&w);
	}
	return r;
}

/* finish() refused, naming src:line, with the message msg. */
static void
refused(const char *what, const char *src, unsigned long ln, const char *msg)
{
	is_int(finish(), -1, "%s: refused", what);
	ok(d.src != NULL && strcmp(d.src, src) == 0 && d.line == ln,
	    "  names %s:%lu", src, ln);
	is_str(d.msg, msg, "  and says why");
}

static void
done(void)
{
	reqset_free(&rs);
	align_free(a);
	a = NULL;
	free(reqs);
	reqs = NULL;
}

/* The n-th output line (0-based), without its newline. */
static const char *
line(int n)
{
	static char buf[1024];
	const char *p = out, *q;

	for (int i = 0; i < n && p != NULL; i++)
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	if (p == NULL || (q = strchr(p, '\n')) == NULL)
		return "";
	snprintf(buf, sizeof(buf), "%.*s", (int)(q - p), p);
	return buf;
}

static char *
lat(size_t k)
{
	static char buf[TS_EPOCH_MAX];
	struct ts l;

	ts_sub(&reqs[k].end, &reqs[k].start, &l);
	ts_epoch(&l, buf);
	return buf;
}

/*
 * Times at the ends of the range of years 1970-9999: nothing overflows,
 * and a time an offset or a dur moves out of the range is refused by
 * name, never written as a year the next stage refuses.
 */
static void
test_range(void)
{
	static const struct {
		const char	*what;
		int		 mode;
		long		 off_ns;
		int		 line;
		const char	*iso, *kind, *extra, *msg;
	} one[] = {
		{ "--offset 2ns past the last instant", ALIGN_OFFSET_GIVEN, 2, 7,
		  "9999-12-31T23:59:59.999999998", "start", "",
		  "--offset 0.000000002 s moves the start at "
		  "9999-12-31T23:59:59.999999998Z out of the range of years "
		  "1970-9999: time after 9999-12-31T23:59:59Z" },
		{ "an end at 1 s with dur 1.5", ALIGN_OFFSET_NONE, 0, 3,
		  "1970-01-01T00:00:01", "end", ",\"dur\":1.5",
		  "dur 1.5 s takes the other end of the end at "
		  "1970-01-01T00:00:01Z out of the range of years 1970-9999: "
		  "time before 1970-01-01T00:00:00Z" },
		{ "a start in 9999 with dur 1", ALIGN_OFFSET_NONE, 0, 4,
		  "9999-12-31T23:59:59", "start", ",\"dur\":1",
		  "dur 1 s takes the other end of the start at "
		  "9999-12-31T23:59:59Z out of the range of years 1970-9999: "
		  "time after 9999-12-31T23:59:59Z" },
	};

	/* Centuries apart, in two runs: a 64-bit count of nanoseconds
	 * overflows on the 300-year gap and made them one. */
	start(0, ALIGN_OFFSET_NONE, 0, 0, 0);
	ev_at("s", 1, "1970-01-01T00:00:00", "end", "");
	ev_at("s", 2, "1970-01-01T00:00:00.5", "end", "");
	ev_at("s", 3, "2270-01-01T00:00:00", "end", "");
	ev_at("s", 4, "2270-01-01T00:00:00.5", "end", "");
	is_int(finish(), 0, "300 years apart: aligned");
	is_int(rs.nruns, 2, "300 years apart: two runs");
	done();
	/* The widest gap there is, 1970 to 9999: two runs, and pairs across
	 * the whole range are exact. */
	start(0, ALIGN_OFFSET_NONE, 0, 0, 0);
	ev_at("s", 1, "1970-01-01T00:00:00", "start", "");
	ev_at("s", 2, "9999-12-31T23:59:59.999999999", "end", "");
	is_int(finish(), 0, "1970 to 9999: aligned");
	is_int(rs.nruns, 1, "1970 to 9999: in flight, one run");
	is_str(lat(0), "253402300799.999999999",
	    "1970 to 9999: the latency, exact");
	done();

	/* An offset that moves a start before 1970: refused, naming the
	 * start and the offset (-2562047h is -9223369200 s: the starts
	 * were written in 1677). */
	start(0, ALIGN_OFFSET_GIVEN, INT64_C(-9223369200), 0, 0);
	ev("api", 1, "10:00:00", "start", "");
	ev("api", 2, "10:00:01", "start", "");
	ev("srv", 1, "10:00:05", "end", "");
	is_int(finish(), -1, "--offset into 1677: refused");
	is_int(d.code, DIAG_DATA, "  DIAG_DATA");
	ok(d.src != NULL && strcmp(d.src, "api") == 0 && d.line == 1,
	    "  names the first start moved: api:1");
	is_str(d.msg, "--offset -9223369200 s moves the start at "
	    "2023-11-01T10:00:00Z out of the range of years 1970-9999: time "
	    "before 1970-01-01T00:00:00Z", "  and says why");
	done();
	/* The same past 9999, with a nanosecond of room to spare or none. */
	start(0, ALIGN_OFFSET_GIVEN, 0, 1, 9);
	ev_at("api", 7, "9999-12-31T23:59:59.999999998", "start", "");
	is_int(finish(), 0, "--offset 1ns up to the last instant: aligned");
	is_str(line(0), "{\"run\":1,\"i\":0,\"start\":"
	    "\"9999-12-31T23:59:59.999999999Z\",\"end\":null,\"t_start\":"
	    "253402300799.999999999,\"t_end\":null,\"latency\":null}",
	    "  the start at 9999-12-31T23:59:59.999999999Z");
	done();

	/* --offset auto whose shift takes another start before 1970: the
	 * pair (00:00:00.5, 00:00:00.2) needs -0.3 s, which moves the start
	 * at 00:00:00.1 to 1969. */
	start(0, ALIGN_OFFSET_AUTO, 0, 0, 0);
	ev_at("api", 1, "1970-01-01T00:00:00.1", "start", ",\"id\":\"x\"");
	ev_at("api", 2, "1970-01-01T00:00:00.5", "start", ",\"id\":\"y\"");
	ev_at("srv", 1, "1970-01-01T00:00:00.2", "end", ",\"id\":\"y\"");
	refused("--offset auto into 1969", "api", 1, "--offset auto (-0.3 s) "
	    "moves the start at 1970-01-01T00:00:00.1Z out of the range of "
	    "years 1970-9999: time before 1970-01-01T00:00:00Z");
	done();

	/* One event whose time an offset or its dur moves out of the
	 * range: refused, naming it and why. */
	for (size_t k = 0; k < sizeof(one) / sizeof(one[0]); k++) {
		start(0, one[k].mode, 0, one[k].off_ns, 9);
		ev_at("n", one[k].line, one[k].iso, one[k].kind, one[k].extra);
		is_int(finish(), -1, "%s: refused", one[k].what);
		ok(d.src != NULL && strcmp(d.src, "n") == 0 &&
		    d.line == (unsigned long)one[k].line, "  names n:%d",
		    one[k].line);
		is_str(d.msg, one[k].msg, "  and says why");
		done();
	}
	start(0, ALIGN_OFFSET_NONE, 0, 0, 0);
	ev_at("n", 5, "1970-01-01T00:00:01", "end", ",\"dur\":1");
	is_int(finish(), 0, "an end at 1 s with dur 1: its start at the epoch");
	ok(rs.nreqs == 1 && reqs[0].start.sec == 0 &&
	    reqs[0].start.nsec == 0, "  start 1970-01-01T00:00:00Z");
	done();
}

/* A new aligner with the options o (given whole). */
static void
start_with(const struct align_opt *o)
{
	diag_clear(&d);
	a = align_new(o, &d);
}

#include "aligntrailer.h"

/* The align record of rs, as skew-align writes it, into out[]. */
static const char *
record(void)
{
	struct jsonout w;

	jsonout_init(&w, NULL);
	aligntrailer_write(&w, &rs.info);
	snprintf(out, sizeof(out), "%.*s", (int)w.len - 1, w.buf);
	jsonout_free(&w);
	return out;
}

/*
 * --timeout: a start with no end stops counting as in flight after it, so
 * one lost end does not hold the rest of the log in its run; those starts
 * are counted, in the align record's last keys, which read back.
 */
static void
test_timeout(void)
{
	static const char *const t[] = { "10:00:00", "10:00:01", "10:00:02",
	    "10:00:03", "10:05:00", "10:05:01", "10:05:02" };
	struct align_opt o;
	struct align_info back;
	cJSON *j;
	char end[32];

	/* Two groups 5 minutes apart; the second start's end is lost.
	 * Without a timeout the count never comes back to zero: one run. */
	for (int pass = 0; pass < 3; pass++) {
		memset(&o, 0, sizeof(o));
		o.gap.sec = 60;
		o.gap_given = 1;
		if (pass == 1) {
			o.timeout.sec = 5;
			o.timeout_given = 1;
		}
		start_with(&o);
		for (int k = 0; k < 7; k++) {
			char id[32];

			/* pass 2: ids, so the default timeout comes from
			 * true latencies (0.1 s: 10 x p99 is 1 s). */
			snprintf(id, sizeof(id), pass == 2 ? ",\"id\":\"r%d\"" :
			    "", k);
			ev("api", k + 1, t[k], "start", id);
			if (k == 1)
				continue;
			snprintf(end, sizeof(end), "%.8s.1", t[k]);
			ev("srv", k + 1, end, "end", id);
		}
		is_int(finish(), 0, "timeout pass %d: aligned", pass);
		if (pass == 0) {
			/* Pairing by order within one run: the default
			 * timeout is 10 x the p99 of latencies that are
			 * wrong after the lost end, 297 s and more. */
			is_int((long long)rs.info.runs, 1, "  the default from "
			    "pairs by order spans the lost end: one run");
			is_int((long long)rs.info.timed_out, 0, "  none timed out");
		} else {
			is_int((long long)rs.info.runs, 2, "  %s timeout: two runs",
			    pass == 1 ? "a given" : "the default");
			is_int((long long)rs.info.timed_out, 1,
			    "  one start timed out");
			is_int((long long)rs.info.unmatched_starts, 1,
			    "  and is unmatched");
			is_int((long long)rs.info.timeout.sec, pass == 1 ? 5 : 1,
			    "  timeout %d s", pass == 1 ? 5 : 1);
			ok(strstr(record(), pass == 1 ? ",\"timeout\":5,"
			    "\"timeout_source\":\"given\",\"timed_out\":1}" :
			    ",\"timeout\":1,\"timeout_source\":\"latency\","
			    "\"timed_out\":1}") != NULL,
			    "  the record ends with it: %s", out);
			j = cJSON_Parse(out);
			diag_clear(&d);
			is_int(aligntrailer_read(j, &back, &d), 0,
			    "  the record reads back");
			ok(back.has_timeout && back.timed_out == 1 &&
			    back.timeout.sec == rs.info.timeout.sec &&
			    back.timeout_given == (pass == 1),
			    "  with the timeout and the count");
			aligntrailer_free(&back);
			cJSON_Delete(j);
		}
		done();
	}

	/* Starts only, years apart (a public CLF sample): the gap from the
	 * data has no break, and was the largest gap (one run); starts that
	 * stay in flight 1 s at most cap it.  Counted as unmatched, not as
	 * timed out (without ends nothing was tracked in flight). */
	memset(&o, 0, sizeof(o));
	start_with(&o);
	ev_at("clf", 1, "2000-10-10T20:55:36", "start", "");
	ev_at("clf", 2, "2004-06-03T08:31:02", "start", "");
	ev_at("clf", 3, "2007-12-25T22:04:11", "start", "");
	is_int(finish(), 0, "starts years apart: aligned");
	is_int((long long)rs.info.runs, 3, "  three runs");
	ok(rs.info.gap_timeout && rs.info.gap.sec == 1,
	    "  the gap is the timeout, 1 s");
	ok(strstr(record(), "\"gap_source\":\"timeout\"") != NULL &&
	    strstr(out, "\"timeout\":1,\"timeout_source\":\"latency\","
	    "\"timed_out\":0}") != NULL, "  said in the record: %s", out);
	done();

	/* Every start ended: the record is as it always was. */
	memset(&o, 0, sizeof(o));
	start_with(&o);
	ev("api", 1, "10:00:00", "start", "");
	ev("srv", 1, "10:00:00.5", "end", "");
	is_int(finish(), 0, "every start ended: aligned");
	ok(strstr(record(), "timeout") == NULL, "  no timeout in the record: "
	    "%s", out);
	done();

	/* An older record, without the keys, reads with no timeout. */
	j = cJSON_Parse("{\"kind\":\"align\",\"runs\":1,\"gap\":1,"
	    "\"offset\":0,\"unmatched_starts\":0,\"unmatched_ends\":0}");
	is_int(aligntrailer_read(j, &back, &d), 0, "an older record reads");
	ok(!back.has_timeout && back.timed_out == 0, "  without a timeout");
	aligntrailer_free(&back);
	cJSON_Delete(j);
	/* A timeout without its count is refused, naming the key. */
	j = cJSON_Parse("{\"kind\":\"align\",\"runs\":1,"
	    "\"unmatched_starts\":0,\"unmatched_ends\":0,\"timeout\":2}");
	diag_clear(&d);
	is_int(aligntrailer_read(j, &back, &d), -1, "a timeout alone: refused");
	ok(strstr(d.msg, "timed_out") != NULL, "  naming timed_out: %s", d.msg);
	cJSON_Delete(j);

	/* Latencies 1 s and nearly the whole range of years (by order: 00:00
	 * with 00:01, 00:01 with 9999-12-31), a third start never ending: the
	 * default timeout is 10 x the larger, exact, though the latencies
	 * span more than 2^34 s.  253402214400 = date -u -d 9999-12-31 +%s,
	 * less the 1 s of its start. */
	for (int pass = 0; pass < 2; pass++) {
		start(0, ALIGN_OFFSET_NONE, 0, 0, 0);
		ev_at("api", 1, "1970-01-01T00:00:00", "start", "");
		ev_at("api", 2, "1970-01-01T00:00:01", "start", "");
		ev_at("api", 3, "1970-01-01T00:00:02", "start", "");
		ev_at("srv", 1, "1970-01-01T00:00:01", "end", "");
		ev_at("srv", 2, pass ? "1970-01-01T00:00:04.5" :
		    "9999-12-31T00:00:00", "end", "");
		is_int(finish(), 0, "latencies %s: aligned", pass ? "1 and 3.5 s" :
		    "1 s and 8000 years");
		is_int((long long)rs.info.timeout.sec, pass ? 35 : 2534022143990LL,
		    "  the default timeout 10 x the p99: %s", pass ? "35 s" :
		    "2534022143990 s");
		done();
	}
}

/*
 * Many hosts: --offset SRC=DURATION moves every event of SRC, a plain
 * --offset adds to it on the starts, --offset auto subtracts the service
 * time, and an SRC that names no input is refused by name.
 */
static void
test_hosts(void)
{
	struct src_offset so[2] = {
		{ "web-2", { 0, 300000000, 1, 0 } },		/* +0.3 s */
		{ "gw", { -3, 500000000, 1, 0 } },		/* -2.5 s */
	};
	struct align_opt o;
	char b[TS_EPOCH_MAX];

	/* gw 2.5 s ahead, web-2 0.3 s behind: each request took 1 s. */
	memset(&o, 0, sizeof(o));
	o.srcoff = so;
	o.nsrcoff = 2;
	start_with(&o);
	ev("gw", 1, "10:00:02.5", "start", ",\"id\":\"a\"");
	ev("gw", 2, "10:00:03.0", "start", ",\"id\":\"b\"");
	ev("web-1", 1, "10:00:01.0", "end", ",\"id\":\"a\"");
	ev("web-2", 1, "10:00:01.2", "end", ",\"id\":\"b\"");
	is_int(finish(), 0, "two hosts' offsets: aligned");
	ok(rs.nreqs == 2 && strcmp(lat(0), "1.0") == 0 &&
	    strcmp(lat(1), "1.0") == 0, "  both latencies 1.0 s (%s, %s)",
	    rs.nreqs > 0 ? lat(0) : "-", rs.nreqs > 1 ? lat(1) : "-");
	ts_iso(&reqs[1].end, b);
	is_str(b, "2023-11-01T10:00:01.5Z", "  web-2's end moved by +0.3 s");
	ok(strstr(out, ",\"events\":4,\"offsets\":{\"web-2\":0.3,"
	    "\"gw\":-2.5}}\n") != NULL, "  the align record carries them");
	done();

	/* A plain offset adds to a source's on its starts, not its ends. */
	memset(&o, 0, sizeof(o));
	so[1].off.sec = -2;				/* gw -1.5 s */
	o.srcoff = &so[1];
	o.nsrcoff = 1;
	o.offset_mode = ALIGN_OFFSET_GIVEN;
	o.offset.sec = -1;				/* and -1 s */
	start_with(&o);
	ev("gw", 1, "10:00:03.0", "start", "");
	ev("gw", 2, "10:00:04.0", "end", "");
	is_int(finish(), 0, "gw=-1.5 and -1: aligned");
	ts_iso(&reqs[0].start, b);
	is_str(b, "2023-11-01T10:00:00.5Z", "  the start moved by both");
	ts_iso(&reqs[0].end, b);
	is_str(b, "2023-11-01T10:00:02.5Z", "  the end by gw's alone");
	done();

	/* Out of the range: the message names both offsets. */
	o.offset.sec = INT64_C(-9223369200);
	start_with(&o);
	ev("gw", 1, "10:00:03.0", "start", "");
	is_int(finish(), -1, "gw=-1.5 and -9223369200: refused");
	is_str(d.msg, "--offset gw=-1.5 s and --offset -9223369200 s move "
	    "the start at 2023-11-01T10:00:03.0Z out of the range of years "
	    "1970-9999: time before 1970-01-01T00:00:00Z", "  naming both");
	done();
	o.offset_mode = ALIGN_OFFSET_NONE;
	so[1].off.sec = -INT64_C(9223369200);
	so[1].off.nsec = 0;
	start_with(&o);
	ev("gw", 4, "10:00:04.0", "end", "");
	refused("gw=-9223369200 on an end", "gw", 4, "--offset "
	    "gw=-9223369200.0 s moves the end at 2023-11-01T10:00:04.0Z out of "
	    "the range of years 1970-9999: time before 1970-01-01T00:00:00Z");
	done();

	/* An SRC that names no input: refused, naming it and the inputs. */
	so[1].src = "gw2";
	start_with(&o);
	ev("gw", 1, "10:00:03.0", "start", "");
	ev("web-1", 1, "10:00:04.0", "end", "");
	is_int(finish(), -1, "--offset gw2=...: refused");
	is_int(d.code, DIAG_USAGE, "  a usage error");
	is_str(d.msg, "--offset gw2=...: no input is named \"gw2\" (the "
	    "inputs: gw, web-1)", "  naming it and the inputs");
	done();

	/* --offset auto with a service time: every pair lasts T at least.
	 * Latencies -0.5 and 2.0: without T the shift is -0.5 s; with T =
	 * 0.25 s it is -0.75 s, and with T = 0.1 s on nested pairs
	 * (latencies 0.05 and 2.0) -0.05 s. */
	for (int k = 0; k < 3; k++) {
		static const char *const want[] = { "-0.5", "-0.75", "-0.05" };

		memset(&o, 0, sizeof(o));
		o.offset_mode = ALIGN_OFFSET_AUTO;
		o.service_given = k > 0;
		o.service.nsec = k == 1 ? 250000000 : 100000000;
		o.service.digits = 2;
		start_with(&o);
		ev("api", 1, k == 2 ? "10:00:00.95" : "10:00:01.5", "start", "");
		ev("api", 2, "10:00:02.0", "start", "");
		ev("srv", 1, "10:00:01.0", "end", "");
		ev("srv", 2, "10:00:04.0", "end", "");
		is_int(finish(), 0, "auto, T %s: aligned", k == 0 ? "none" :
		    k == 1 ? "0.25" : "0.1");
		ts_epoch(&rs.info.offset, b);
		is_str(b, want[k], "  offset %s", want[k]);
		ok((strstr(out, "\"auto_service_time\":") != NULL) == (k > 0),
		    "  auto_service_time in the record only with T");
		done();
	}
}

/*
 * --offset moves the starts past ends: the events, kept sorted as they
 * came, are sorted again.  The same events with the starts already moved
 * (no offset) give the same requests and the same gap (a sort skipped
 * would have taken the gaps in the wrong order: a gap of 48.166 s).
 */
static void
offset_moves(int moved)
{
	start(0, moved ? ALIGN_OFFSET_NONE : ALIGN_OFFSET_GIVEN, -3, 0, 0);
	ev("x", 1, moved ? "09:59:57" : "10:00:00", "start", "");
	ev("x", 2, "10:00:05", "end", "");
	ev("x", 3, moved ? "10:00:03" : "10:00:06", "start", "");
	ev("x", 4, "10:00:07", "end", "");
	ev("x", 5, moved ? "10:04:57" : "10:05:00", "start", "");
	ev("x", 6, "10:05:01", "end", "");
}

static void
test_offset_sorts(void)
{
	char gap[2][TS_EPOCH_MAX], lats[2][64];

	for (int moved = 0; moved < 2; moved++) {
		offset_moves(moved);
		is_int(finish(), 0, "offset %s: aligned", moved ? "applied "
		    "beforehand" : "-3 s");
		ts_epoch(&rs.info.gap, gap[moved]);
		snprintf(lats[moved], sizeof(lats[moved]), "%zu %s", rs.nreqs,
		    rs.nreqs == 3 ? lat(0) : "");
		if (rs.nreqs == 3) {
			strcat(lats[moved], " ");
			strcat(lats[moved], lat(1));
			strcat(lats[moved], " ");
			strcat(lats[moved], lat(2));
		}
		done();
	}
	is_str(gap[0], gap[1], "offset -3 s: the gap of the starts moved "
	    "beforehand");
	is_str(lats[0], lats[1], "offset -3 s: the requests of the starts "
	    "moved beforehand");
}

int
main(void)
{
	char b[TS_EPOCH_MAX];

	/* By order: the k-th start with the k-th end. */
	start(0, ALIGN_OFFSET_NONE, 0, 0, 0);
	ev("api", 1, "10:00:00.0", "start", "");
	ev("api", 2, "10:00:00.5", "start", "");
	ev("api", 3, "10:00:01.0", "start", "");
	ev("srv", 1, "10:00:31.0", "end", ",\"pid\":\"7\",\"tid\":\"t3\"");
	ev("srv", 2, "10:00:30.2", "end", ",\"pid\":\"7\",\"tid\":\"t1\"");
	ev("srv", 3, "10:00:30.4", "end", ",\"pid\":\"7\",\"tid\":\"t2\"");
	is_int(finish(), 0, "by order: aligned");
	is_int(rs.nreqs, 3, "by order: three requests");
	is_str(lat(0), "30.2", "by order: 00.0 -> 30.2");
	is_str(lat(1), "29.9", "by order: 00.5 -> 30.4");
	is_str(lat(2), "30.0", "by order: 01.0 -> 31.0");
	is_str(line(0), "{\"run\":1,\"i\":0,\"start\":\"2023-11-01T10:00:00.0Z\","
	    "\"end\":\"2023-11-01T10:00:30.2Z\",\"t_start\":1698832800.0,"
	    "\"t_end\":1698832830.2,\"latency\":30.2,\"pid\":\"7\","
	    "\"tid\":\"t1\",\"paired\":\"order\"}",
	    "by order: the record, exact (1698832800 = date -u -d "
	    "'2023-11-01 10:00' +%%s), marked paired by order, last");
	ok(reqs[0].by_order && reqs[1].by_order && reqs[2].by_order,
	    "by order: every request marked");
	/* Gaps 0.5, 0.5, 29.2, 0.2, 0.6: the break is 29.2 / max(0.6, 1 s),
	 * so the gap is sqrt(1 * 29.2) = 5.404 s; the 29.2 s gap is in flight
	 * and does not split.  (Lines 3 and 4: the trailers made up for api
	 * and srv, whose events came without one.) */
	is_str(line(5), "{\"kind\":\"align\",\"runs\":1,\"gap\":5.404,\"offset\":0,"
	    "\"unmatched_starts\":0,\"unmatched_ends\":0,\"gap_source\":\"data\","
	    "\"events\":6}", "by order: the align trailer");
	done();

	/* route and status travel from the events into the requests, after
	 * every other key: the end's status first, a route from either. */
	start(0, ALIGN_OFFSET_NONE, 0, 0, 0);
	ev("api", 1, "10:00:00", "start", ",\"route\":\"/a\",\"status\":200");
	ev("api", 2, "10:00:01", "start", ",\"route\":\"/b\"");
	ev("srv", 1, "10:00:02", "end", ",\"pid\":\"7\",\"status\":503");
	ev("srv", 2, "10:00:03", "end", "");
	is_int(finish(), 0, "route and status: aligned");
	is_str(line(0), "{\"run\":1,\"i\":0,\"start\":\"2023-11-01T10:00:00Z\","
	    "\"end\":\"2023-11-01T10:00:02Z\",\"t_start\":1698832800,"
	    "\"t_end\":1698832802,\"latency\":2,\"pid\":\"7\","
	    "\"route\":\"/a\",\"status\":503,\"paired\":\"order\"}",
	    "route and status: the start's route, the end's status, last");
	is_str(line(1), "{\"run\":1,\"i\":1,\"start\":\"2023-11-01T10:00:01Z\","
	    "\"end\":\"2023-11-01T10:00:03Z\",\"t_start\":1698832801,"
	    "\"t_end\":1698832803,\"latency\":2,\"route\":\"/b\","
	    "\"paired\":\"order\"}",
	    "route and status: no status, none written");
	done();

	/* The requests are made in the events' room: a lone end's request
	 * is written where the start before it was, and that start's own
	 * end, later, still has its time, pid and status. */
	start(0, ALIGN_OFFSET_NONE, 0, 0, 0);
	ev("api", 1, "10:00:00", "start", ",\"id\":\"b\",\"pid\":\"9\","
	    "\"status\":201");
	ev("srv", 1, "10:00:01", "end", ",\"id\":\"a\"");
	ev("srv", 2, "10:00:02", "end", ",\"id\":\"b\"");
	is_int(finish(), 0, "in place: aligned");
	is_int(rs.nreqs, 2, "in place: two requests");
	is_str(line(0), "{\"run\":1,\"i\":0,\"start\":null,"
	    "\"end\":\"2023-11-01T10:00:01Z\",\"t_start\":null,"
	    "\"t_end\":1698832801,\"latency\":null,\"id\":\"a\"}",
	    "in place: the lone end first");
	is_str(line(1), "{\"run\":1,\"i\":1,\"start\":\"2023-11-01T10:00:00Z\","
	    "\"end\":\"2023-11-01T10:00:02Z\",\"t_start\":1698832800,"
	    "\"t_end\":1698832802,\"latency\":2,\"pid\":\"9\",\"id\":\"b\","
	    "\"status\":201}",
	    "in place: the pair keeps its start's time, pid and status");
	done();

	/* By id: ends come back in another order. */
	start(0, ALIGN_OFFSET_NONE, 0, 0, 0);
	ev("api", 1, "10:00:00", "start", ",\"id\":\"a\"");
	ev("api", 2, "10:00:01", "start", ",\"id\":\"b\"");
	ev("api", 3, "10:00:02", "start", ",\"id\":\"c\"");
	ev("srv", 1, "10:00:10", "end", ",\"id\":\"c\"");
	ev("srv", 2, "10:00:11", "end", ",\"id\":\"a\"");
	ev("srv", 3, "10:00:12", "end", ",\"id\":\"b\"");
	is_int(finish(), 0, "by id: aligned");
	ok(rs.nreqs == 3 && strcmp(reqs[0].id, "c") == 0 &&
	    strcmp(reqs[1].id, "a") == 0 && strcmp(reqs[2].id, "b") == 0,
	    "by id: ranked by end time: c, a, b");
	is_str(lat(0), "8", "by id: c 02 -> 10");
	is_str(lat(1), "11", "by id: a 00 -> 11");
	is_str(lat(2), "11", "by id: b 01 -> 12");
	ok(!reqs[0].by_order && !reqs[1].by_order &&
	    !reqs[2].by_order && strstr(out, "paired") == NULL,
	    "by id: none marked paired by order, no \"paired\" written");
	done();

	/* Ids on one side only: by order. */
	start(0, ALIGN_OFFSET_NONE, 0, 0, 0);
	ev("api", 1, "10:00:00", "start", ",\"id\":\"x\"");
	ev("api", 2, "10:00:01", "start", ",\"id\":\"y\"");
	ev("srv", 1, "10:00:05", "end", "");
	ev("srv", 2, "10:00:07", "end", "");
	is_int(finish(), 0, "ids on one side: aligned");
	ok(strcmp(reqs[0].id, "x") == 0 && strcmp(lat(0), "5") == 0 &&
	    strcmp(reqs[1].id, "y") == 0 && strcmp(lat(1), "6") == 0,
	    "ids on one side: by order, the id kept from the start");
	ok(reqs[0].by_order && reqs[1].by_order,
	    "ids on one side: marked paired by order, though they have an id");
	done();

	/* Ids on both sides, some events without: those pair by order among
	 * themselves; an id with no partner is unmatched. */
	start(0, ALIGN_OFFSET_NONE, 0, 0, 0);
	ev("api", 1, "10:00:00", "start", ",\"id\":\"a\"");
	ev("api", 2, "10:00:01", "start", "");
	ev("api", 3, "10:00:02", "start", ",\"id\":\"z\"");
	ev("srv", 1, "10:00:04", "end", "");
	ev("srv", 2, "10:00:09", "end", ",\"id\":\"a\"");
	is_int(finish(), 0, "mixed ids: aligned");
	ok(rs.nreqs == 3 && reqs[0].has_start && strcmp(lat(0), "3") == 0 &&
	    reqs[0].id == NULL, "mixed ids: id-less 01 -> 04");
	ok(strcmp(reqs[1].id, "a") == 0 && strcmp(lat(1), "9") == 0,
	    "mixed ids: a 00 -> 09");
	ok(!reqs[2].has_end && strcmp(reqs[2].id, "z") == 0 &&
	    reqs[2].i == 2, "mixed ids: z unmatched, last");
	is_int(rs.info.unmatched_starts, 1, "mixed ids: one unmatched start");
	ok(reqs[0].by_order && !reqs[1].by_order && !reqs[2].by_order,
	    "mixed ids: the id-less pair by order, a by id, z unmatched: not");
	ok(strstr(line(0), ",\"paired\":\"order\"}") != NULL &&
	    strstr(line(1), "paired") == NULL &&
	    strstr(line(2), "paired") == NULL,
	    "mixed ids: \"paired\" written on the by-order pair alone");
	done();

	/* Unmatched on either side: counted, and still requests. */
	start(0, ALIGN_OFFSET_NONE, 0, 0, 0);
	ev("api", 1, "10:00:00", "start", "");
	ev("api", 2, "10:00:01", "start", "");
	ev("api", 3, "10:00:02", "start", "");
	ev("srv", 1, "10:00:10", "end", "");
	ev("srv", 2, "10:00:11", "end", "");
	is_int(finish(), 0, "unmatched start: aligned");
	is_int(rs.info.unmatched_starts, 1, "unmatched start counted");
	is_int(rs.info.unmatched_ends, 0, "no unmatched end");
	is_str(line(2), "{\"run\":1,\"i\":2,\"start\":\"2023-11-01T10:00:02Z\","
	    "\"end\":null,\"t_start\":1698832802,\"t_end\":null,\"latency\":null}",
	    "unmatched start: the record, last, nulls, no identities");
	done();
	start(0, ALIGN_OFFSET_NONE, 0, 0, 0);
	ev("api", 1, "10:00:00", "start", "");
	ev("srv", 1, "10:00:10", "end", "");
	ev("srv", 2, "10:00:11", "end", "");
	is_int(finish(), 0, "unmatched end: aligned");
	is_int(rs.info.unmatched_ends, 1, "unmatched end counted");
	ok(!reqs[1].has_start && reqs[1].has_end && reqs[1].i == 1,
	    "unmatched end: a request with no start, ranked by its end");
	ok(reqs[0].by_order && !reqs[1].by_order &&
	    strstr(line(1), "paired") == NULL,
	    "unmatched end: the pair marked, the lone end not");
	done();

	/* dur events are whole requests, never paired.  (One run by --gap:
	 * with no plain ends, the gap alone would split at the 5.4 s pause.) */
	start(60, ALIGN_OFFSET_NONE, 0, 0, 0);
	ev("ngx", 1, "10:00:10.5", "end", ",\"dur\":0.25");
	ev("apa", 1, "10:00:05", "start", ",\"dur\":1.5");
	ev("api", 1, "10:00:05.1", "start", "");
	is_int(finish(), 0, "dur: aligned");
	ok(rs.nreqs == 3, "dur: three requests");
	is_str(line(0), "{\"run\":1,\"i\":0,\"start\":\"2023-11-01T10:00:05Z\","
	    "\"end\":\"2023-11-01T10:00:06.5Z\",\"t_start\":1698832805,"
	    "\"t_end\":1698832806.5,\"latency\":1.5}",
	    "dur on a start: end = t + dur");
	is_str(line(1), "{\"run\":1,\"i\":1,\"start\":\"2023-11-01T10:00:10.25Z\","
	    "\"end\":\"2023-11-01T10:00:10.5Z\",\"t_start\":1698832810.25,"
	    "\"t_end\":1698832810.5,\"latency\":0.25}",
	    "dur on an end: start = t - dur, exact");
	is_int(rs.info.unmatched_starts, 1, "dur: the plain start stays unmatched");
	is_int(rs.info.unmatched_ends, 0, "dur: no unmatched end");
	ok(!reqs[0].by_order && !reqs[1].by_order &&
	    !reqs[2].by_order && strstr(out, "paired") == NULL,
	    "dur: never marked paired by order");
	done();

	/* Clock skew: an end before its start is an error... */
	start(0, ALIGN_OFFSET_NONE, 0, 0, 0);
	ev("api", 1, "10:00:10.0", "start", "");
	ev("api", 2, "10:00:11.0", "start", "");
	ev("srv", 1, "10:00:09.0", "end", "");
	ev("srv", 2, "10:00:12.5", "end", "");
	is_int(finish(), -1, "skew: an end before its start fails");
	ok(strstr(d.msg, "--offset auto") != NULL &&
	    strstr(d.msg, "(api:1)") != NULL && d.line == 1 &&
	    strcmp(d.src, "srv") == 0, "skew: names both events, suggests "
	    "--offset auto (%s)", d.msg);
	done();
	/* ... --offset -1.5 shifts the starts: 08.5 -> 09.0, 09.5 -> 12.5 ... */
	start(0, ALIGN_OFFSET_GIVEN, -2, 500000000, 1);
	ev("api", 1, "10:00:10.0", "start", "");
	ev("api", 2, "10:00:11.0", "start", "");
	ev("srv", 1, "10:00:09.0", "end", "");
	ev("srv", 2, "10:00:12.5", "end", "");
	is_int(finish(), 0, "--offset -1.5: aligned");
	ok(strcmp(lat(0), "0.5") == 0 && strcmp(lat(1), "3.0") == 0,
	    "--offset -1.5: latencies 0.5 and 3.0");
	ts_epoch(&rs.info.offset, b);
	is_str(b, "-1.5", "--offset -1.5 reported");
	done();
	/* ... and auto finds the least shift that nests both pairs: pair 1
	 * has end - start = 09.0 - 10.0 = -1.0, pair 2 12.5 - 11.0 = 1.5, so
	 * the offset is -1.0 and the latencies 0.0 and 2.5. */
	start(0, ALIGN_OFFSET_AUTO, 0, 0, 0);
	ev("api", 1, "10:00:10.0", "start", "");
	ev("api", 2, "10:00:11.0", "start", "");
	ev("srv", 1, "10:00:09.0", "end", "");
	ev("srv", 2, "10:00:12.5", "end", "");
	is_int(finish(), 0, "--offset auto: aligned");
	ts_epoch(&rs.info.offset, b);
	is_str(b, "-1.0", "--offset auto: -1.0");
	ok(rs.info.offset_auto, "--offset auto: flagged");
	ok(strcmp(lat(0), "0.0") == 0 && strcmp(lat(1), "2.5") == 0,
	    "--offset auto: latencies 0.0 and 2.5");
	ok(strstr(line(4), "\"offset\":-1.0,") != NULL,
	    "--offset auto: in the align trailer");
	done();
	/* Auto with pairs that already nest: no shift. */
	start(0, ALIGN_OFFSET_AUTO, 0, 0, 0);
	ev("api", 1, "10:00:00", "start", "");
	ev("srv", 1, "10:00:03", "end", "");
	is_int(finish(), 0, "--offset auto, nested: aligned");
	ts_epoch(&rs.info.offset, b);
	is_str(b, "0", "--offset auto, nested: 0");
	done();

	/* Exactness: nanoseconds survive, the latency is exact. */
	start(0, ALIGN_OFFSET_NONE, 0, 0, 0);
	ev("api", 1, "23:10:04.000000001", "start", "");
	ev("srv", 1, "23:10:04.1", "end", "");
	is_int(finish(), 0, "exact: aligned");
	is_str(line(0), "{\"run\":1,\"i\":0,\"start\":"
	    "\"2023-11-01T23:10:04.000000001Z\",\"end\":\"2023-11-01T23:10:04.1Z\","
	    "\"t_start\":1698880204.000000001,\"t_end\":1698880204.1,"
	    "\"latency\":0.099999999,\"paired\":\"order\"}",
	    "exact: 0.1 - 0.000000001 = 0.099999999");
	done();

	/* Runs: i restarts in each run; trailers pass through in order. */
	start(60, ALIGN_OFFSET_NONE, 0, 0, 0);
	ev("s", 1, "10:00:00", "end", "");
	ev("s", 2, "10:00:01", "end", "");
	ev("s", 3, "10:02:00", "end", "");
	d.line = 4;
	{
		const char *t1 = "{\"src\":\"s\",\"kind\":\"input\",\"bytes\":9,"
		    "\"lines\":4,\"events\":3,\"skipped\":1,\"blank\":0,"
		    "\"first_skipped\":\"4: \\\"x\\\"\",\"sha256\":\"fb8e20fc2e4c3f248c60c39bd652f3c1347298bb977b8b4d5903b85055620603\",\"fold\":2}";
		const char *t2 = "{\"src\":\"t\",\"kind\":\"input\",\"bytes\":0,"
		    "\"lines\":0,\"events\":0,\"skipped\":0,\"blank\":0,"
		    "\"first_skipped\":null,\"sha256\":\"21e721c35a5823fdb452fa2f9f0a612c74fb952e06927489c6b27a43b817bed4\"}";

		align_add_line(a, t1, strlen(t1), &d);
		align_add_line(a, t2, strlen(t2), &d);
		is_int(finish(), 0, "runs: aligned");
		is_int(rs.nruns, 2, "runs: two with --gap 60");
		ok(rs.run_first[1] == 2 && reqs[2].run == 2 &&
		    reqs[2].i == 0, "runs: the second starts at i 0");
		/* skew-parse writes bad_utf8 and fold always; they are
		 * written always, 0 when the input had none. */
		is_str(line(3), "{\"src\":\"s\",\"kind\":\"input\",\"bytes\":9,"
		    "\"lines\":4,\"events\":3,\"skipped\":1,\"blank\":0,"
		    "\"first_skipped\":\"4: \\\"x\\\"\",\"first_skipped_line\":4,"
		    "\"sha256\":\"fb8e20fc2e4c3f248c60c39bd652f3c1347298bb977b8b4d5903b85055620603\",\"bad_utf8\":0,\"fold\":2}",
		    "trailer 1 passes through, its first_skipped_line from "
		    "the text");
		is_str(line(4), "{\"src\":\"t\",\"kind\":\"input\",\"bytes\":0,"
		    "\"lines\":0,\"events\":0,\"skipped\":0,\"blank\":0,"
		    "\"first_skipped\":null,\"first_skipped_line\":null,"
		    "\"sha256\":\"21e721c35a5823fdb452fa2f9f0a612c74fb952e06927489c6b27a43b817bed4\",\"bad_utf8\":0,\"fold\":0}",
		    "trailer 2 passes through");
		is_str(line(5), "{\"kind\":\"align\",\"runs\":2,\"gap\":60,"
		    "\"offset\":0,\"unmatched_starts\":0,\"unmatched_ends\":0,"
		    "\"gap_source\":\"given\",\"events\":3}", "runs: align trailer");
	}
	done();

	/* Equal times: ranked by (src, line), whatever the input order. */
	start(0, ALIGN_OFFSET_NONE, 0, 0, 0);
	ev("s", 3, "10:00:00", "end", ",\"tid\":\"3\"");
	ev("s", 1, "10:00:00", "end", ",\"tid\":\"1\"");
	ev("s", 2, "10:00:00", "end", ",\"tid\":\"2\"");
	is_int(finish(), 0, "equal times: aligned");
	ok(rs.nreqs == 3 && strcmp(reqs[0].tid, "1") == 0 &&
	    strcmp(reqs[1].tid, "2") == 0 && strcmp(reqs[2].tid, "3") == 0,
	    "equal times: ranked by line");
	is_int(rs.nruns, 1, "equal times: one run");
	done();

	/* One event. */
	start(0, ALIGN_OFFSET_NONE, 0, 0, 0);
	ev("s", 1, "10:00:00", "end", "");
	is_int(finish(), 0, "one event: aligned");
	ok(rs.nreqs == 1 && rs.nruns == 1 && rs.info.unmatched_ends == 0,
	    "one event: one request, one run, no unmatched end (no starts)");
	done();

	/* Unmatched ends count only in runs that have starts: run 1 has a
	 * start and two ends (one left over), run 2 only ends. */
	start(60, ALIGN_OFFSET_NONE, 0, 0, 0);
	ev("a", 1, "10:00:00", "start", "");
	ev("s", 1, "10:00:01", "end", "");
	ev("s", 2, "10:00:02", "end", "");
	ev("s", 3, "10:05:00", "end", "");
	ev("s", 4, "10:05:01", "end", "");
	is_int(finish(), 0, "mixed runs: aligned");
	is_int(rs.nruns, 2, "mixed runs: two");
	is_int((long long)rs.info.unmatched_ends, 1,
	    "mixed runs: only the run with starts has an unmatched end");
	done();

	/* No events, with or without trailers. */
	start(0, ALIGN_OFFSET_NONE, 0, 0, 0);
	is_int(finish(), -1, "no events: fails");
	is_str(d.msg, "no events", "no events: says so");
	done();

	/* align_add_rec: straight from the parser. */
	start(0, ALIGN_OFFSET_NONE, 0, 0, 0);
	{
		struct record r;

		memset(&r, 0, sizeof(r));
		r.src = "p.log";
		r.line = 5;
		r.t.sec = 1698880204;
		r.t.nsec = 806247000;
		r.t.digits = 6;
		r.kind = RECORD_END;
		r.tid.s = "123145499639808xx";
		r.tid.n = 15;
		is_int(align_add_rec(a, &r, &d), 0, "align_add_rec");
		is_int(align_count(a), 1, "align_count");
		is_int(finish(), 0, "align_add_rec: aligned");
		is_str(line(0), "{\"run\":1,\"i\":0,\"start\":null,\"end\":"
		    "\"2023-11-01T23:10:04.806247Z\",\"t_start\":null,\"t_end\":"
		    "1698880204.806247,\"latency\":null,\"tid\":\"123145499639808\"}",
		    "align_add_rec: the record (the tid cut at its length)");
	}
	done();
	align_free(NULL);

	/* Property: every record reads back with cJSON, keys in the
	 * contract's order, the numbers agreeing with the exact times. */
	{
		static const char *const keys[] = { "run", "i", "start", "end",
		    "t_start", "t_end", "latency", "pid", "tid", "id", "route",
		    "status", "paired" };
		const size_t nkeys = sizeof(keys) / sizeof(keys[0]);
		struct align_opt o;
		struct jsonout w;
		unsigned long long x = 12345;
		int good = 1, nrec = 0, npaired = 0;
		char *p, *q;

		memset(&o, 0, sizeof(o));
		o.offset_mode = ALIGN_OFFSET_AUTO;
		a = align_new(&o, &d);
		for (int k = 0; k < 400; k++) {
			char buf[256];

			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			snprintf(buf, sizeof(buf), "{\"src\":\"%s\",\"line\":%d,"
			    "\"ts\":\"2023-11-01T10:%02u:%02u.%0*uZ\",\"t\":0,"
			    "\"kind\":\"%s\"%s}", k & 1 ? "srv" : "api", k + 1,
			    (unsigned)(x >> 60) + ((k & 1) ? 2 : 0),
			    (unsigned)(x >> 33) % 60, 1 + (int)((x >> 20) % 9),
			    (unsigned)(x >> 8) % 10, k & 1 ? "end" : "start",
			    k % 3 == 0 ? ",\"pid\":\"1\",\"tid\":\"t\\\"q\"" :
			    k % 3 == 1 ? ",\"id\":\"r\"" : "");
			if (align_add_line(a, buf, strlen(buf), &d) == -1) {
				tap_diag("%s: %s", buf, d.msg);
				good = 0;
			}
		}
		diag_clear(&d);
		if (align_finish(a, &rs, &d) == -1) {
			tap_diag("%s", d.msg);
			good = 0;
		}
		free(reqs);
		reqs = reqset_all(&rs);
		jsonout_init(&w, NULL);
		request_write_all(&rs, &w);
		jsonout_char(&w, '\0');
		for (p = w.buf; good && (q = strchr(p, '\n')) != NULL; p = q + 1) {
			cJSON *j, *c;
			size_t ki = 0;
			const struct req *r;
			char iso[TS_ISO_MAX];

			*q = '\0';
			if (strstr(p, "\"run\":") != p + 1)
				continue;
			r = &reqs[nrec++];
			if ((j = cJSON_Parse(p)) == NULL) {
				tap_diag("does not parse: %s", p);
				good = 0;
				break;
			}
			cJSON_ArrayForEach(c, j) {
				while (ki < nkeys &&
				    strcmp(keys[ki], c->string) != 0)
					ki++;
				if (ki == nkeys)
					good = 0;
			}
			c = cJSON_GetObjectItem(j, "end");
			if (r->has_end) {
				ts_iso(&r->end, iso);
				good &= cJSON_IsString(c) &&
				    strcmp(c->valuestring, iso) == 0;
			} else
				good &= cJSON_IsNull(c);
			c = cJSON_GetObjectItem(j, "latency");
			if (r->has_start && r->has_end)
				good &= cJSON_IsNumber(c) && c->valuedouble >= 0 &&
				    fabs(c->valuedouble - (ts_double(&r->end) -
				    ts_double(&r->start))) < 1e-6;
			else
				good &= cJSON_IsNull(c);
			c = cJSON_GetObjectItem(j, "tid");
			good &= c == NULL || strcmp(c->valuestring, "t\"q") == 0;
			/* "paired" on the pairs made by order alone. */
			c = cJSON_GetObjectItem(j, "paired");
			good &= r->by_order ? cJSON_IsString(c) &&
			    strcmp(c->valuestring, "order") == 0 &&
			    r->has_start && r->has_end : c == NULL;
			npaired += r->by_order;
			if (!good)
				tap_diag("bad record: %s", p);
			cJSON_Delete(j);
		}
		ok(good && nrec == (int)rs.nreqs && nrec > 100,
		    "%d records read back with cJSON, keys in order", nrec);
		ok(npaired > 0 && npaired < nrec,
		    "  %d of them paired by order, the others not", npaired);
		jsonout_free(&w);
		done();
	}
	test_range();
	test_hosts();
	test_offset_sorts();
	test_timeout();
	return done_testing();
}
