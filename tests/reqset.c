/*
 * Tests for analyze/reqset.c, and for the document built from what it
 * reads (analyze/analysis.c, written by analyze/fitdoc.c): records in,
 * errors named, the document's keys in the contract's order, nulls and
 * {"fitted": false} where nothing can be computed, and never a NaN or an
 * infinity whatever the input.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "aligntrailer.h"
#include "analysis.h"
#include "fitdoc.h"
#include "base/jsonout.h"
#include "request.h"
#include "reqset.h"
#include "stats.h"
#include "strtab.h"
#include "tap.h"

/* The document skew-fit writes for rs: the analysis, through the codec. */
static int
fit_document(const struct reqset *rs, const struct analysis_opt *o, cJSON **doc,
    struct diag *d)
{
	struct analysis a;
	int rc;

	*doc = NULL;
	if (analysis_build(rs, o, &a, d) == -1)
		return -1;
	rc = fitdoc_write(&a, doc, d);
	analysis_free(&a);
	return rc;
}

/* The worst verdict of a document's runs (enum verdict), or -1. */
static int
fit_worst_verdict(const cJSON *doc)
{
	const cJSON *r;
	int worst = -1, k;

	cJSON_ArrayForEach(r, cJSON_GetObjectItem(doc, "runs"))
		if ((k = stats_verdict_parse(cJSON_GetObjectItem(r,
		    "verdict")->valuestring)) > worst)
			worst = k;
	return worst;
}

static int
feed(struct reqset *rs, const char *const *lines, size_t n, struct diag *d)
{
	for (size_t i = 0; i < n; i++)
		if (reqset_line(rs, lines[i], strlen(lines[i]), d) == -1)
			return -1;
	return reqset_finish(rs, d);
}

/* The j-th request read into rs, as it came (before reqset_finish()). */
static struct req
got(const struct reqset *rs, size_t j)
{
	struct req r;

	reqrec_unpack(&rs->rec[j], (uint32_t)(rs->rec_key[j] >> 32),
	    (uint32_t)rs->rec_key[j], rs->strings, &r);
	return r;
}

static void
test_read(void)
{
	/* Records as skew-align writes them, out of order on purpose. */
	static const char *const lines[] = {
		("{\"run\":2,\"i\":0,\"start\":null,"
		    "\"end\":\"2023-11-01T23:12:57.316321Z\",\"t_start\":null,"
		    "\"t_end\":1.5,\"latency\":null,\"pid\":\"7\","
		    "\"tid\":\"9\"}"),
		("{\"run\":1,\"i\":1,\"start\":\"2023-11-01T23:10:00Z\","
		    "\"end\":\"2023-11-01T23:10:05.5Z\",\"pid\":\"7\","
		    "\"tid\":\"8\"}"),
		("{\"run\":1,\"i\":0,\"start\":\"2023-11-01T23:10:00Z\","
		    "\"end\":\"2023-11-01T23:10:04.806247Z\",\"pid\":\"7\","
		    "\"tid\":\"9\",\"id\":\"x\"}"),
		("{\"run\":4,\"i\":0,\"start\":\"2023-11-01T23:40:00.25Z\","
		    "\"end\":null}"),
		("{\"src\":\"server.log\",\"kind\":\"input\",\"bytes\":51234,"
		    "\"lines\":4,\"events\":4,\"skipped\":1,\"blank\":0,"
		    "\"first_skipped\":\"3: junk\",\"sha256\":\"59d937723564937cd1441370c7c7cd9f669f93253dcfab8c50affad3b18d645e\","
		    "\"bad_utf8\":2,\"fold\":3}"),
		("{\"kind\":\"align\",\"runs\":4,\"gap\":60.5,\"offset\":-0.25,"
		    "\"unmatched_starts\":1,\"unmatched_ends\":0}"),
	};
	struct reqset rs;
	struct req *all;
	struct diag d;
	size_t nr;

	diag_clear(&d);
	is_int(reqset_init(&rs, &d), 0, "reqset_init");
	is_int(feed(&rs, lines, 6, &d), 0, "six records read (%s)", d.msg);
	is_int((long long)rs.nreqs, 4, "four requests");
	is_int((long long)rs.nruns, 3, "three runs hold requests");
	ok(rs.run_first[0] == 0 && rs.run_first[1] == 2 &&
	    rs.run_first[2] == 3 && reqset_run_no(&rs, 2) == 4,
	    "run index: runs 1, 2 and 4, none for the missing run 3");
	{
		static const long three[] = { 3 }, four[] = { 4 };
		struct analysis_opt o;
		struct analysis a;

		memset(&o, 0, sizeof(o));
		o.runs = four;
		o.nruns = 1;
		ok(analysis_build(&rs, &o, &a, &d) == 0 && a.nruns == 1 &&
		    a.runs[0].run == 4 && a.runs[0].n == 0, "--run 4: the "
		    "third run present, numbered 4, its one arrival (%s)",
		    d.msg);
		analysis_free(&a);
		o.runs = three;
		ok(analysis_build(&rs, &o, &a, &d) == -1, "--run 3: refused");
		is_str(d.msg, "--run 3: no such run in the input (runs 1 to 2, "
		    "4)", "its message names the runs present");
	}
	all = reqset_all(&rs);
	ok(all[0].run == 1 && all[0].i == 0 && all[1].i == 1,
	    "sorted by (run, i)");
	/* 2023-11-01T23:10:04Z: 19662 days * 86400 + 83404 = 1698880204. */
	ok(all[0].end.sec == 1698880204 && all[0].end.nsec ==
	    806247000 && all[0].end.digits == 6, "exact end time from "
	    "the ISO string");
	ok(all[1].end.nsec == 500000000 && all[1].end.digits == 1,
	    "one fraction digit kept");
	ok(all[0].pid == all[1].pid, "identities interned");
	is_str(all[0].id, "x", "id read");
	ok(all[1].id == NULL, "absent id is NULL");
	ok(!all[2].has_start && all[2].has_end, "null start");
	ok(all[3].has_start && !all[3].has_end, "null end");
	{
		struct reqset_view v = { NULL, 0, 1 };
		const struct req *r = reqset_run(&rs, 0, &v, &nr);

		ok(r != NULL && nr == 2 && r[0].run == 1 && r[1].i == 1 &&
		    r[0].has_start && r[0].has_end &&
		    ts_cmp(&r[0].start, &all[0].start) == 0 &&
		    ts_cmp(&r[0].end, &all[0].end) == 0 &&
		    r[0].end.digits == 6 && r[1].end.digits == 1,
		    "a view of the times (no_ids): the times as reqset_all()");
		ok(r != NULL && r[0].pid == NULL && r[0].tid == NULL &&
		    r[0].id == NULL && r[1].pid == NULL,
		    "  and no identity looked up");
		reqset_view_free(&v);
	}
	free(all);
	is_int((long long)rs.ninputs, 1, "one input trailer");
	is_str(rs.inputs[0].src, "server.log", "trailer src");
	ok(rs.inputs[0].bytes == 51234 && rs.inputs[0].skipped == 1,
	    "trailer counts");
	is_str(rs.inputs[0].sha256, "59d937723564937cd1441370c7c7cd9f669f93253dcfab8c50affad3b18d645e", "trailer sha256");
	ok(rs.inputs[0].bad_utf8 == 2 && rs.inputs[0].fold == 3,
	    "trailer bad_utf8 and fold");
	is_str(rs.inputs[0].first_skipped, "3: junk", "trailer first_skipped");
	ok(rs.info.runs == 4 && rs.info.gap.sec == 60 &&
	    rs.info.gap.nsec == 500000000, "align gap 60.5");
	ok(rs.info.offset.sec == -1 && rs.info.offset.nsec == 750000000,
	    "align offset -0.25 as -1 s + 0.75 s");
	ok(rs.info.unmatched_starts == 1, "align unmatched_starts");
	/* Once analysed, the requests go; what the document says of the
	 * inputs stays. */
	reqset_drop_requests(&rs);
	ok(rs.rec == NULL && rs.rec_key == NULL && rs.run_first == NULL &&
	    rs.run_no == NULL && rs.nreqs == 0 && rs.nruns == 0,
	    "reqset_drop_requests: the requests and their index freed");
	ok(rs.ninputs == 1 && strcmp(rs.inputs[0].src, "server.log") == 0 &&
	    rs.info.runs == 4 && rs.strings != NULL,
	    "  the inputs, the align record and the strings kept");
	reqset_free(&rs);
	reqset_free(&rs);
	ok(rs.rec == NULL && rs.nreqs == 0, "reqset_free twice is safe");
}

static void
test_errors(void)
{
	static const struct {
		const char *line, *msg;
	} bad[] = {
		{ "not json", "expected a JSON object (a request record or a "
		    "trailer), got not json" },
		{ "[1,2]", "expected a JSON object, got an array" },
		{ "{\"run\":1,\"i\":0,\"end\":\"2023-11-01T23:10:04Z\"} x",
		    "expected one JSON object on the line, got more after it: "
		    "x" },
		{ "{\"run\":0,\"i\":0,\"end\":\"2023-11-01T23:10:04Z\"}",
		    "expected \"run\" from 1" },
		{ "{\"run\":1.5,\"i\":0,\"end\":\"2023-11-01T23:10:04Z\"}",
		    "expected \"run\" as a whole number from 0 to 4294967295, "
		    "got 1.5" },
		{ "{\"run\":4294967296,\"i\":0,\"end\":\"2023-11-01T23:10:04Z\"}",
		    "expected \"run\" as a whole number from 0 to 4294967295, "
		    "got 4294967296" },
		{ "{\"run\":1,\"end\":\"2023-11-01T23:10:04Z\"}",
		    "expected \"i\" as a number, got nothing" },
		{ "{\"run\":1,\"i\":0,\"start\":null,\"end\":null}",
		    "expected a request with a start, an end or both" },
		{ "{\"run\":1,\"i\":0,\"end\":17}",
		    "expected \"end\" as an ISO time string or null" },
		{ "{\"run\":1,\"i\":0,\"start\":\"2023-11-01T23:10:05Z\","
		    "\"end\":\"2023-11-01T23:10:04Z\"}",
		    "expected a request to end after it starts" },
		{ "{\"src\":\"a\",\"line\":1,\"ts\":\"2023-11-01T23:10:04Z\","
		    "\"kind\":\"end\"}", "expected a request record, got an "
		    "event: run skew-align on skew-parse's output first" },
		{ "{\"kind\":\"input\",\"src\":\"a\",\"bytes\":-1,\"lines\":0,"
		    "\"events\":0,\"skipped\":0}",
		    "expected \"bytes\" as a whole number >= 0, got -1" },
		{ "{\"run\":1,\"i\":0,\"end\":\"2023-11-01T23:10:04Z\","
		    "\"pid\":7}", "expected \"pid\" as a string, got a number" },
		{ "{\"run\":1,\"i\":0,\"start\":\"2023-11-01T23:10:04Z\","
		    "\"end\":\"2023-11-01T23:10:05Z\",\"paired\":\"id\"}",
		    "expected \"paired\" as \"order\" or absent" },
		{ "{\"run\":1,\"i\":0,\"start\":\"2023-11-01T23:10:04Z\","
		    "\"end\":\"2023-11-01T23:10:05Z\",\"paired\":true}",
		    "expected \"paired\" as \"order\" or absent" },
		{ "{\"run\":1,\"i\":0,\"start\":null,"
		    "\"end\":\"2023-11-01T23:10:05Z\",\"t_start\":null,"
		    "\"t_end\":1698880205,\"latency\":null,"
		    "\"paired\":\"order\"}",
		    "expected \"paired\" only on a request with a start and an "
		    "end" },
	};
	struct reqset rs;
	struct diag d;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		reqset_init(&rs, &d);
		diag_clear(&d);
		is_int(reqset_line(&rs, bad[i].line, strlen(bad[i].line), &d),
		    -1, "bad record %zu refused", i);
		is_str(d.msg, bad[i].msg, "bad record %zu: message", i);
		reqset_free(&rs);
	}
	{
		static const char *const dup[] = {
			"{\"run\":1,\"i\":0,\"end\":\"2023-11-01T23:10:04Z\"}",
			"{\"run\":1,\"i\":0,\"end\":\"2023-11-01T23:10:05Z\"}",
		};

		reqset_init(&rs, &d);
		is_int(feed(&rs, dup, 2, &d), -1, "duplicate rank refused");
		is_str(d.msg, "expected one request per rank, got run 1 rank 0 "
		    "twice", "duplicate rank: message");
		reqset_free(&rs);
	}
	{
		const char *iso =
		    "{\"run\":1,\"i\":0,\"end\":\"2023-11-01 25:10:04\"}";

		reqset_init(&rs, &d);
		is_int(reqset_line(&rs, iso, strlen(iso), &d), -1,
		    "impossible time refused");
		ok(strncmp(d.msg, "expected \"end\" as an ISO time, got "
		    "\"2023-11-01 25:10:04\"", 55) == 0, "impossible time: "
		    "message quotes it (%s)", d.msg);
		reqset_free(&rs);
	}
}

/* The keys of an object, comma-separated, for comparing order. */
static void
keys(const cJSON *o, char *buf, size_t sz)
{
	const cJSON *it;

	buf[0] = '\0';
	cJSON_ArrayForEach(it, o) {
		if (buf[0] != '\0')
			strncat(buf, ",", sz - strlen(buf) - 1);
		strncat(buf, it->string, sz - strlen(buf) - 1);
	}
}

/* Every number in a (reparsed) document is finite. */
static int
all_finite(const cJSON *o)
{
	const cJSON *it;

	if (cJSON_IsNumber(o))
		return isfinite(o->valuedouble);
	if (cJSON_IsRaw(o))
		return 0;	/* a reparsed document has no raw items */
	cJSON_ArrayForEach(it, o)
		if (!all_finite(it))
			return 0;
	return 1;
}

/*
 * The document's numbers are raw text (jsonout_dtoa), so it is printed and
 * parsed back: the values tested are what a reader gets.  A "nan" or
 * "inf" in the text would make it invalid JSON, and a number too large
 * for a double would come back infinite: either fails finite_text().
 */
static int parse_failed;

static cJSON *
reparse(cJSON *doc)
{
	char *t;
	cJSON *back;

	if (doc == NULL)
		return NULL;
	t = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	if (t == NULL)
		return NULL;
	if ((back = cJSON_Parse(t)) == NULL)
		parse_failed = 1;
	cJSON_free(t);
	return back;
}

static int
finite_text(const cJSON *doc)
{
	return doc != NULL && !parse_failed && all_finite(doc);
}

/* A request record; AT() is a time on 2023-11-01 as a JSON string. */
#define AT(hms)	"\"2023-11-01T" hms "Z\""
#define REQ(run, i, start, end) \
	("{\"run\":" #run ",\"i\":" #i ",\"start\":" start ",\"end\":" end "}")

static cJSON *
doc_of(const char *const *lines, size_t n, const struct analysis_opt *o,
    struct diag *d)
{
	struct reqset rs;
	cJSON *doc = NULL;

	reqset_init(&rs, d);
	if (feed(&rs, lines, n, d) == 0)
		fit_document(&rs, o, &doc, d);
	reqset_free(&rs);
	return reparse(doc);
}

static void
test_document(void)
{
	static const char *const one[] = {
		REQ(1, 0, "null", AT("23:10:04")),
	};
	static const char *const same[] = {
		REQ(1, 0, AT("23:10:04"), AT("23:10:04")),
		REQ(1, 1, AT("23:10:04"), AT("23:10:04")),
		REQ(2, 0, "null", AT("23:20:04")),
		REQ(2, 1, "null", AT("23:20:04")),
		REQ(3, 0, AT("23:30:00"), "null"),
	};
	static const char *const two[] = {
		"{\"run\":1,\"i\":0,\"end\":\"2023-11-01T23:10:04Z\"}",
		"{\"run\":1,\"i\":1,\"end\":\"2023-11-01T23:10:05Z\"}",
		"{\"run\":2,\"i\":0,\"end\":\"2023-11-01T23:20:04Z\"}",
		"{\"run\":2,\"i\":1,\"end\":\"2023-11-01T23:20:05Z\"}",
		"{\"run\":2,\"i\":2,\"end\":\"2023-11-01T23:20:06Z\"}",
	};
	struct ts zero = { 0, 0, 0, 0 }, ten = { 10, 0, 0, 0 };
	struct ts svc3[3] = { { 1, 0, 0, 0 }, { 2, 0, 0, 0 }, { 3, 0, 0, 0 } };
	long conc3[] = { 4, 100, 100 };
	long only2[] = { 2 }, nosuch[] = { 9 };
	struct analysis_opt o;
	struct diag d;
	const cJSON *r, *sk;
	cJSON *doc;
	char buf[1024];

	memset(&o, 0, sizeof(o));
	diag_clear(&d);
	doc = doc_of(one, 1, &o, &d);
	ok(doc != NULL, "one request: a document");
	keys(doc, buf, sizeof(buf));
	is_str(buf, "skew_fit,runs,skew,skew_with_service_time,usl,traffic,"
	    "provenance",
	    "top-level keys in order");
	r = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "runs"), 0);
	keys(r, buf, sizeof(buf));
	is_str(buf, "run,n,shape,first,last,spread,stagger,service_time,"
	    "service_time_source,serialization,parallelism,throughput,"
	    "max_inflight,littles_law,arrival_stagger,latency_slope,latency,"
	    "latency_by_inflight,waited,skew_origin,waves,pool_size,"
	    "pool_size_method,paired_by_order,arrival_waves,"
	    "arrival_pool_size,pids,tids,unmatched_starts,unmatched_ends,"
	    "sampled,verdict,reason,notes,series",
	    "a burst's keys in the contract's order (notes, skew_origin, "
	    "and version 2's keys added)");
	is_str(cJSON_GetObjectItem(r, "verdict")->valuestring, "unknown",
	    "one request: unknown");
	sk = cJSON_GetObjectItem(doc, "skew");
	ok(cJSON_IsFalse(cJSON_GetObjectItem(sk, "fitted")), "one run: skew "
	    "not fitted");
	is_str(cJSON_GetObjectItem(sk, "reason")->valuestring,
	    "1 run with a spread: 1 point; 2 needed for a slope",
	    "one run: skew reason");
	ok(finite_text(doc), "one request: no nan/inf");
	is_int(fit_worst_verdict(doc), VERDICT_UNKNOWN, "worst: unknown");
	cJSON_Delete(doc);

	/* Equal times, zero service time, an empty-ended run. */
	o.service = &zero;
	o.nservice = 1;
	doc = doc_of(same, 5, &o, &d);
	ok(doc != NULL && finite_text(doc), "T 0, spread 0: no nan/inf");
	cJSON_Delete(doc);
	o.nservice = 0;
	doc = doc_of(same, 5, &o, &d);
	ok(doc != NULL && finite_text(doc), "T from zero latencies: no "
	    "nan/inf");
	r = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "runs"), 2);
	ok(cJSON_IsNull(cJSON_GetObjectItem(r, "first")) &&
	    cJSON_IsNull(cJSON_GetObjectItem(r, "spread")), "a run of one "
	    "unmatched start: first and spread null");
	cJSON_Delete(doc);

	/* Two runs: a line with no interval, said so. */
	o.service = &ten;
	o.nservice = 1;
	doc = doc_of(two, 5, &o, &d);
	sk = cJSON_GetObjectItem(doc, "skew");
	ok(cJSON_IsTrue(cJSON_GetObjectItem(sk, "fitted")), "two runs: skew "
	    "fitted");
	/* Points (2, 1) and (3, 2): b = 1, a = -1; T = 10 reached at n =
	 * (10 + 1) / 1 = 11. */
	is_double(cJSON_GetObjectItem(sk, "b")->valuedouble, 1, 1e-15,
	    "two runs: b");
	is_double(cJSON_GetObjectItem(sk, "a")->valuedouble, -1, 1e-15,
	    "two runs: a");
	/* The line would reach T = 10 at n = (10 + 1) / 1 = 11, but two
	 * points give no interval to judge b by: null, with the reason. */
	ok(cJSON_IsNull(cJSON_GetObjectItem(sk, "n_reaching_service_time")),
	    "two runs: n reaching T null");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(sk,
	    "n_reaching_service_time_reason")), "two runs: no interval",
	    "two runs: its reason");
	ok(cJSON_IsNull(cJSON_GetObjectItem(sk, "b_ci95")) &&
	    cJSON_IsNull(cJSON_GetObjectItem(sk, "b_stderr")), "two runs: no "
	    "interval, no stderr");
	is_str(cJSON_GetArrayItem(cJSON_GetObjectItem(sk, "notes"), 0)->
	    valuestring, "two runs: a line through two points has no "
	    "standard errors and no interval", "two runs: said so");
	is_str(cJSON_GetObjectItem(cJSON_GetObjectItem(doc,
	    "skew_with_service_time"), "reason")->valuestring,
	    "1 distinct service time among 2 runs (times within 10 % count "
	    "as one); 2 needed",
	    "one service time: no fit with T");
	ok(finite_text(doc), "two runs: no nan/inf");
	cJSON_Delete(doc);

	/* --run keeps only run 2; a run that is not there is refused. */
	o.runs = only2;
	o.nruns = 1;
	doc = doc_of(two, 5, &o, &d);
	is_int(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "runs")), 1,
	    "--run 2: one run");
	is_int(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc,
	    "runs"), 0), "run")->valueint, 2, "--run 2: it is run 2");
	cJSON_Delete(doc);
	o.runs = nosuch;
	ok(doc_of(two, 5, &o, &d) == NULL && d.code == DIAG_USAGE,
	    "--run 9: refused");
	is_str(d.msg, "--run 9: no such run in the input (runs 1 to 2)",
	    "--run 9: message");
	o.nruns = 0;

	/* List lengths must match the runs. */
	o.service = svc3;
	o.nservice = 3;
	ok(doc_of(two, 5, &o, &d) == NULL && d.code == DIAG_USAGE,
	    "3 service times for 2 runs: refused");
	is_str(d.msg, "--service-time has 3 values for 2 runs",
	    "service-time count message");
	o.nservice = 0;
	o.concurrency = conc3;
	o.nconcurrency = 3;
	ok(doc_of(two, 5, &o, &d) == NULL, "3 concurrencies for 2 runs");
	is_str(d.msg, "--concurrency has 3 values for 2 runs",
	    "concurrency count message");
	o.nconcurrency = 0;

	/* Three runs, two service times: spread = 0.5 + 1 n + 2 T exactly
	 * for (n, T) = (2, 1), (3, 2), (4, 1): spreads 4.5, 7.5, 6.5.
	 * Three parameters through three points: no standard errors. */
	{
		static const char *const three[] = {
			REQ(1, 0, "null", AT("01:00:00")),
			REQ(1, 1, "null", AT("01:00:04.5")),
			REQ(2, 0, "null", AT("02:00:00")),
			REQ(2, 1, "null", AT("02:00:01")),
			REQ(2, 2, "null", AT("02:00:07.5")),
			REQ(3, 0, "null", AT("03:00:00")),
			REQ(3, 1, "null", AT("03:00:01")),
			REQ(3, 2, "null", AT("03:00:02")),
			REQ(3, 3, "null", AT("03:00:06.5")),
		};
		struct ts t3[3] = { { 1, 0, 0, 0 }, { 2, 0, 0, 0 },
		    { 1, 0, 0, 0 } };
		const cJSON *m;

		o.service = t3;
		o.nservice = 3;
		doc = doc_of(three, 9, &o, &d);
		m = cJSON_GetObjectItem(doc, "skew_with_service_time");
		ok(cJSON_IsTrue(cJSON_GetObjectItem(m, "fitted")),
		    "three runs: spread on n and T fitted");
		is_double(cJSON_GetObjectItem(m, "a")->valuedouble, 0.5, 1e-12,
		    "three runs: a = 0.5");
		is_double(cJSON_GetObjectItem(m, "b")->valuedouble, 1, 1e-12,
		    "three runs: b = 1");
		is_double(cJSON_GetObjectItem(m, "c")->valuedouble, 2, 1e-12,
		    "three runs: c = 2");
		ok(cJSON_IsNull(cJSON_GetObjectItem(m, "c_stderr")),
		    "three runs: no stderr");
		is_str(cJSON_GetArrayItem(cJSON_GetObjectItem(m, "notes"), 0)->
		    valuestring, "three runs fit three parameters exactly: no "
		    "standard errors (4 runs needed)", "three runs: said so");
		cJSON_Delete(doc);
		o.nservice = 0;
	}

	/* The worst verdict: a pool of 2 is partial, one at a time is
	 * serialized (T from the latencies). */
	{
		static const char *const pool[] = {
			REQ(1, 0, AT("10:00:00"), AT("10:00:01")),
			REQ(1, 1, AT("10:00:00"), AT("10:00:01")),
			REQ(1, 2, AT("10:00:00"), AT("10:00:02")),
			REQ(1, 3, AT("10:00:00"), AT("10:00:02")),
			REQ(2, 0, AT("11:00:00"), AT("11:00:01")),
			REQ(2, 1, AT("11:00:00"), AT("11:00:01")),
		};
		static const char *const ser[] = {
			REQ(1, 0, AT("10:00:00"), AT("10:00:01")),
			REQ(1, 1, AT("10:00:00"), AT("10:00:02")),
		};

		doc = doc_of(pool, 6, &o, &d);
		is_int(fit_worst_verdict(doc), VERDICT_PARTIAL, "worst of "
		    "partial and parallel: partial");
		cJSON_Delete(doc);
		doc = doc_of(ser, 2, &o, &d);
		is_int(fit_worst_verdict(doc), VERDICT_SERIALIZED, "one at a "
		    "time: serialized");
		cJSON_Delete(doc);
		is_int(fit_worst_verdict(NULL), -1, "no document: -1");
	}

	/* No requests at all. */
	ok(doc_of(NULL, 0, &o, &d) == NULL && d.code == DIAG_DATA,
	    "empty input: refused");
	is_str(d.msg, "no requests in the input", "empty input: message");
}

/*
 * Random runs, degenerate on purpose (equal times, zero latencies, lone
 * starts and ends, one request, sampled runs, T of 0): every document must
 * read back as JSON with only finite numbers.  A fixed seed keeps the run
 * repeatable.
 */
static unsigned long long seed = 42;

static unsigned
rnd(unsigned n)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((seed >> 33) % n);
}

/* reqrec_pack_end() against reqrec_pack() of the same request made as a
 * struct req (an end, no start): the same record, the same refusals. */
static void
test_pack_end(void)
{
	struct strtab *t = strtab_new();
	const char *names[3];
	int same = 1, refused = 1, n = 0;

	names[0] = strtab_intern(t, "4242", 4);
	names[1] = strtab_intern(t, "139872", 6);
	names[2] = strtab_intern(t, "/api/x", 6);
	for (int k = 0; k < 20000; k++) {
		struct req r;
		struct reqrec a, b;
		int ra, rb;
		uint32_t id[4];

		memset(&r, 0, sizeof(r));
		r.has_end = 1;
		/* Now and then past the record's range: 2^38 s, a negative
		 * time, 16 digits, a status past 1023. */
		r.end.sec = rnd(50) == 0 ? (1LL << 38) + rnd(3) - 1 :
		    rnd(50) == 0 ? -1 : 1698879600LL + rnd(1u << 30);
		r.end.nsec = (int32_t)rnd(1000000000u);
		r.end.digits = (uint8_t)(rnd(40) == 0 ? 16 : rnd(10));
		r.end.flags = (uint8_t)rnd(4);
		r.status = rnd(40) == 0 ? 1024 : rnd(3) == 0 ? 0 :
		    100 + (int)rnd(500);
		for (int f = 0; f < 4; f++) {
			const char *nm = rnd(3) == 0 ? NULL : names[rnd(3)];

			id[f] = nm != NULL ? strtab_id(nm) : 0;
			*(f == 0 ? &r.pid : f == 1 ? &r.tid : f == 2 ? &r.id :
			    &r.route) = nm;
		}
		memset(&a, 0x5a, sizeof(a));
		memset(&b, 0xa5, sizeof(b));
		ra = reqrec_pack(&r, &a);
		rb = reqrec_pack_end(&r.end, r.status, id[0], id[1], id[2],
		    id[3], &b);
		if (ra != rb || (ra == 0 && memcmp(&a, &b, sizeof(a)) != 0)) {
			if (same)
				tap_diag("request %d: reqrec_pack %d, "
				    "reqrec_pack_end %d", k, ra, rb);
			same = 0;
		}
		n += ra == -1;
		refused &= ra == 0 || rb == -1;
	}
	ok(same, "reqrec_pack_end: the record reqrec_pack makes, 20000 "
	    "requests");
	ok(refused && n > 100, "reqrec_pack_end: refuses what reqrec_pack "
	    "refuses (%d of them)", n);
	strtab_free(t);
}

static void
test_random(void)
{
	int docs = 0, finite = 1, errors_ok = 1;

	for (int k = 0; k < 300; k++) {
		struct reqset rs;
		struct analysis_opt o;
		struct diag d;
		struct ts svc;
		long conc;
		cJSON *doc = NULL;
		size_t nruns = 1 + rnd(8);
		char line[256];

		memset(&o, 0, sizeof(o));
		reqset_init(&rs, &d);
		for (size_t r = 1; r <= nruns; r++) {
			unsigned n = 1 + rnd(k % 3 == 0 ? 3 : 40);

			for (unsigned i = 0; i < n; i++) {
				/* Times on a coarse grid so that ties are
				 * common. */
				unsigned s0 = rnd(4), lat = rnd(3) * rnd(3);
				int hs = rnd(4) != 0, he = rnd(5) != 0;
				char st[40] = "null", en[40] = "null";

				if (!hs && !he)
					he = 1;
				if (hs)
					snprintf(st, sizeof(st), "\"2023-11-01T"
					    "%02zu:00:%02u.5Z\"", r, s0);
				if (he)
					snprintf(en, sizeof(en), "\"2023-11-01T"
					    "%02zu:00:%02u.5Z\"", r,
					    s0 + (hs ? lat : rnd(9)));
				snprintf(line, sizeof(line), "{\"run\":%zu,"
				    "\"i\":%u,\"start\":%s,\"end\":%s,"
				    "\"pid\":\"%u\",\"tid\":\"%u\"}", r, i,
				    st, en, rnd(2), rnd(5));
				if (reqset_line(&rs, line, strlen(line), &d))
					errors_ok = 0;
			}
		}
		reqset_finish(&rs, &d);
		if (rnd(2)) {
			svc.sec = rnd(3);
			svc.nsec = 0;
			svc.digits = 0;
			svc.flags = 0;
			o.service = &svc;
			o.nservice = 1;
		}
		if (rnd(3) == 0) {
			conc = 40 + rnd(100);
			o.concurrency = &conc;
			o.nconcurrency = 1;
		}
		o.no_series = rnd(2);
		parse_failed = 0;
		if (fit_document(&rs, &o, &doc, &d) == 0) {
			docs++;
			doc = reparse(doc);
			if (!finite_text(doc))
				finite = 0;
		} else if (d.code != DIAG_USAGE)
			errors_ok = 0;
		cJSON_Delete(doc);
		reqset_free(&rs);
	}
	ok(errors_ok, "random runs: every record read, refusals only for "
	    "usage");
	ok(docs > 200, "random runs: %d documents of 300", docs);
	ok(finite, "random runs: every number finite, every document JSON");
}

/* Two identities equal as byte strings (lengths from the table). */
static int
same_id(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strtab_len(a) == strtab_len(b) &&
	    memcmp(a, b, strtab_len(a)) == 0;
}

static int
same_req(const struct req *a, const struct req *b)
{
	return a->run == b->run && a->i == b->i &&
	    a->has_start == b->has_start && a->has_end == b->has_end &&
	    (!a->has_start || (ts_cmp(&a->start, &b->start) == 0 &&
	    a->start.digits == b->start.digits)) &&
	    (!a->has_end || (ts_cmp(&a->end, &b->end) == 0 &&
	    a->end.digits == b->end.digits)) &&
	    same_id(a->pid, b->pid) && same_id(a->tid, b->tid) &&
	    same_id(a->id, b->id) && same_id(a->route, b->route) &&
	    a->status == b->status && a->by_order == b->by_order;
}

static uint64_t gen_state = 0x9e3779b97f4a7c15ULL;

static unsigned
grnd(unsigned n)
{
	return (unsigned)(tap_rnd(&gen_state) % n);
}

/* A time as skew-align writes it, or null, or now and then not a time;
 * half of them in one minute, so that the reader's memo of the minute is
 * taken, with tails of every kind after it (second 60 or 61, ten fraction
 * digits, a ',', an offset or no zone). */
static int
gen_time(char *b, size_t sz)
{
	static const char *const zones[] = { "Z", "Z", "Z", "+01:00", "",
	    "z" };
	char frac[16] = "";
	int dig = grnd(20) ? (int)grnd(10) : 10;

	if (grnd(4) == 0)
		return snprintf(b, sz, "null");
	if (grnd(30) == 0)
		return snprintf(b, sz, "\"2023-02-30T10:00:00Z\"");
	if (dig > 0) {
		frac[0] = grnd(10) ? '.' : ',';
		for (int i = 1; i <= dig; i++)
			frac[i] = (char)('0' + grnd(10));
	}
	if (grnd(2))
		return snprintf(b, sz, "\"2023-11-01T23:10:%02u%s%s\"",
		    grnd(62), frac, zones[grnd(6)]);
	return snprintf(b, sz, "\"2023-11-01T%02u:%02u:%02u%sZ\"", grnd(24),
	    grnd(60), grnd(60), frac);
}

/* A request record in skew-align's layout, varied now and then so that
 * the fast path must hand it to cJSON (escapes, NULs, spaces, keys in
 * another order, numbers cJSON reads but the layout does not have), and
 * sometimes broken. */
static void
gen_req(char *buf, size_t sz)
{
	static const char *ids[] = { "7", "65432", "a\\u0000b", "a\\u0000c",
	    "q\\\"uote", "\\u00e9", "", "x/y" };
	static const char *runs[] = { "1", "2", "17", "0", "4294967295",
	    "4294967296", "1.0", "1e2", "-1", "01" };
	static const char *nums[] = { "null", "1698830000.5", "0", "-0.25",
	    "1e9", "3" };
	size_t n = 0;
	char t[64];

	n += (size_t)snprintf(buf + n, sz - n, "{\"run\":%s,\"i\":%s",
	    grnd(4) ? runs[grnd(3)] : runs[grnd(10)],
	    grnd(4) ? "0" : grnd(2) ? "12" : runs[grnd(10)]);
	gen_time(t, sizeof(t));
	n += (size_t)snprintf(buf + n, sz - n, ",\"start\":%s", t);
	gen_time(t, sizeof(t));
	n += (size_t)snprintf(buf + n, sz - n, ",\"end\":%s", t);
	if (grnd(10))
		n += (size_t)snprintf(buf + n, sz - n, ",\"t_start\":%s,"
		    "\"t_end\":%s,\"latency\":%s", nums[grnd(6)],
		    nums[grnd(6)], nums[grnd(6)]);
	if (grnd(2))
		n += (size_t)snprintf(buf + n, sz - n, ",\"pid\":\"%s\"",
		    grnd(3) ? "7" : ids[grnd(8)]);
	if (grnd(2))
		n += (size_t)snprintf(buf + n, sz - n, ",\"tid\":\"%s\"",
		    grnd(3) ? "123145499639808" : ids[grnd(8)]);
	if (grnd(3) == 0)
		n += (size_t)snprintf(buf + n, sz - n, ",\"id\":%s%s%s",
		    grnd(10) ? "\"" : "", grnd(10) ? ids[grnd(8)] : "null",
		    "\"");
	if (grnd(3) == 0)
		n += (size_t)snprintf(buf + n, sz - n, ",\"route\":\"%s\"",
		    grnd(3) ? "/api/v1" : ids[grnd(8)]);
	if (grnd(3) == 0) {
		static const char *st[] = { "200", "404", "599", "100", "600",
		    "99", "2e2", "\"200\"", "null", "200.5" };

		n += (size_t)snprintf(buf + n, sz - n, ",\"status\":%s",
		    grnd(3) ? st[grnd(3)] : st[grnd(10)]);
	}
	if (grnd(3) == 0) {
		static const char *pa[] = { "\"order\"", "\"id\"", "null",
		    "true", "\"Order\"", "\"order\\u0000\"" };

		n += (size_t)snprintf(buf + n, sz - n, ",\"paired\":%s",
		    grnd(3) ? pa[0] : pa[grnd(6)]);
	}
	snprintf(buf + n, sz - n, "%s", grnd(20) == 0 ? "} " : "}");
	if (grnd(10) == 0) {
		char *p = strchr(buf + 1, ':');

		memmove(p + 2, p + 1, strlen(p + 1) + 1);
		p[1] = ' ';
	}
	if (grnd(12) == 0)
		buf[grnd((unsigned)strlen(buf))] = (char)(' ' + grnd(95));
}

/*
 * The fast path against cJSON's answer: the same requests (times exact,
 * identities byte for byte) and the same errors, on records generated in
 * and out of the layout.
 */
static void
test_fast(void)
{
	struct reqset f, c;
	struct diag df, dc;
	char buf[512];
	int agree = 1, fastn = 0, slown = 0, errs = 0;

	reqset_init(&f, &df);
	reqset_init(&c, &dc);
	for (int k = 0; k < 50000; k++) {
		size_t nf = f.nreqs, nc = c.nreqs;
		uint64_t fast0 = f.fast;
		struct req x, y;
		int rf, rc;

		gen_req(buf, sizeof(buf));
		diag_clear(&df);
		diag_clear(&dc);
		rf = reqset_line(&f, buf, strlen(buf), &df);
		rc = reqset_line_cjson(&c, buf, strlen(buf), &dc);
		if (f.fast != fast0)
			fastn++;
		else
			slown++;
		if (rc == -1)
			errs++;
		if (rf == 0 && f.nreqs > nf && c.nreqs > nc) {
			x = got(&f, nf);
			y = got(&c, nc);
		}
		if (rf != rc || f.nreqs - nf != c.nreqs - nc ||
		    (rf == 0 && f.nreqs > nf && !same_req(&x, &y)) ||
		    (rf == -1 && strcmp(df.msg, dc.msg) != 0)) {
			if (agree)
				tap_diag("differ on: %s (%d/%d: %s | %s)", buf,
				    rf, rc, df.msg, dc.msg);
			agree = 0;
		}
	}
	ok(agree, "fast path and cJSON agree on 50000 generated records");
	ok(fastn > 10000 && slown > 10000 && errs > 1000, "both paths taken, "
	    "errors among them (%d fast, %d by cJSON, %d errors)", fastn,
	    slown, errs);
	reqset_free(&f);
	reqset_free(&c);
}

/*
 * Records exactly as skew-align writes them (request_write() of requests
 * of every shape: completions, starts alone, both, identities and status
 * or not, paired by order or not), read back: every one by the fast path
 * (its runs of constant keys, a completion's and the others'), as cJSON
 * reads it, and as it was written.  A fast path that refused its own
 * layout would only be slower: this catches it.
 */
static void
test_fast_layout(void)
{
	static const char *const pool[] = { "65432", "7",
	    "123145499639808", "/api/v1/things", "a-request-id-0001",
	    "x" };
	struct strtab *t = strtab_new();
	struct reqset f, c;
	struct jsonout w;
	struct diag df, dc;
	int all_fast = 1, agree = 1, back = 1, shapes[3] = { 0, 0, 0 };

	reqset_init(&f, &df);
	reqset_init(&c, &dc);
	for (unsigned k = 0; k < 20000; k++) {
		struct req r, x, y;
		struct ts *tt[2];
		uint64_t fast0 = f.fast;
		size_t nf = f.nreqs;
		const char **ids[4];
		int shape = (int)grnd(3);	/* end only, start only, both */

		memset(&r, 0, sizeof(r));
		r.run = 1 + grnd(3) * (grnd(50) == 0 ? 1000000 : 1);
		r.i = grnd(4) ? k : grnd(2) ? 0 : 4294967295u - grnd(9);
		r.has_end = shape != 1;
		r.has_start = shape != 0;
		shapes[shape]++;
		tt[0] = &r.start;
		tt[1] = &r.end;
		for (int j = 0; j < 2; j++) {
			unsigned dig = grnd(10), p = 1;

			for (unsigned q = dig; q < 9; q++)
				p *= 10;
			/* Mostly the minute before, so the memo is taken. */
			tt[j]->sec = 1698879600 + (grnd(8) ? k / 2000 * 60 :
			    grnd(100000)) + grnd(60);
			tt[j]->digits = (uint8_t)dig;
			tt[j]->nsec = (int32_t)(grnd(1000000000u / p) * p);
		}
		if (r.has_start && r.has_end && ts_cmp(&r.end, &r.start) < 0) {
			struct ts sw = r.start;

			r.start = r.end;
			r.end = sw;
		}
		ids[0] = &r.pid;
		ids[1] = &r.tid;
		ids[2] = &r.id;
		ids[3] = &r.route;
		for (int j = 0; j < 4; j++)
			if (grnd(j < 2 ? 8 : 3) != 0) {
				const char *s = pool[grnd(6)];

				*ids[j] = strtab_intern(t, s, strlen(s));
			}
		if (grnd(3) == 0)
			r.status = 100 + (int)grnd(500);
		r.by_order = r.has_start && r.has_end && grnd(3) == 0;
		jsonout_init(&w, NULL);
		request_write(&w, &r);
		diag_clear(&df);
		diag_clear(&dc);
		if (reqset_line(&f, w.buf, w.len - 1, &df) != 0 ||
		    reqset_line_cjson(&c, w.buf, w.len - 1, &dc) != 0) {
			if (agree)
				tap_diag("not read: %.*s (%s | %s)",
				    (int)w.len - 1, w.buf, df.msg, dc.msg);
			agree = 0;
		} else {
			x = got(&f, nf);
			y = got(&c, nf);
			if (!same_req(&x, &y)) {
				if (agree)
					tap_diag("differ on: %.*s",
					    (int)w.len - 1, w.buf);
				agree = 0;
			}
			if (!same_req(&x, &r)) {
				if (back)
					tap_diag("read back otherwise: %.*s",
					    (int)w.len - 1, w.buf);
				back = 0;
			}
		}
		if (f.fast != fast0 + 1) {
			if (all_fast)
				tap_diag("not by the fast path: %.*s",
				    (int)w.len - 1, w.buf);
			all_fast = 0;
		}
		jsonout_free(&w);
	}
	ok(all_fast, "skew-align's layout: 20000 records, every one by the "
	    "fast path (%d completions, %d starts alone, %d both)", shapes[0],
	    shapes[1], shapes[2]);
	ok(agree, "  fast path and cJSON agree on them");
	ok(back, "  each read back as it was written");
	reqset_free(&f);
	reqset_free(&c);
	strtab_free(t);
}

/* The first run of the document made from lines (*doc: free it), or NULL;
 * its key k, or NULL; its string k, or "". */
static const cJSON *
run1(const char *const *lines, size_t n, cJSON **doc)
{
	struct analysis_opt o;
	struct diag d;

	memset(&o, 0, sizeof(o));
	diag_clear(&d);
	*doc = doc_of(lines, n, &o, &d);
	if (*doc == NULL)
		tap_diag("no document: %s", d.msg);
	return *doc ? cJSON_GetArrayItem(cJSON_GetObjectItem(*doc, "runs"),
	    0) : NULL;
}

static const cJSON *
item_of(const cJSON *r, const char *k)
{
	return r != NULL ? cJSON_GetObjectItem(r, k) : NULL;
}

static const char *
str_of(const cJSON *r, const char *k)
{
	const char *s = cJSON_GetStringValue(item_of(r, k));

	return s != NULL ? s : "";
}

/*
 * "paired": "order" (skew-align's mark of a pair made by order) read by
 * both paths, written back by request_write() byte for byte, and what
 * skew-fit makes of it: paired_by_order true, false or null, and an open
 * run's reason saying what pairing by order assumes, with how many when
 * not all.
 */
static void
test_paired(void)
{
	static const char *const rec =
	    "{\"run\":1,\"i\":0,\"start\":\"2023-11-01T10:00:00Z\","
	    "\"end\":\"2023-11-01T10:00:00.5Z\",\"t_start\":1698832800,"
	    "\"t_end\":1698832800.5,\"latency\":0.5,\"status\":200,"
	    "\"paired\":\"order\"}";
#define OPEN(i, s, e, p) ("{\"run\":1,\"i\":" #i ",\"start\":" \
	AT("10:00:0" #s) ",\"end\":" AT("10:00:0" #e ".5") p "}")
	/* Four requests a second apart, 0.5 s each: open traffic. */
	static const char *const all[] = {
		OPEN(0, 0, 0, ",\"paired\":\"order\""),
		OPEN(1, 1, 1, ",\"paired\":\"order\""),
		OPEN(2, 2, 2, ",\"paired\":\"order\""),
		OPEN(3, 3, 3, ",\"paired\":\"order\""),
	}, *const some[] = {
		OPEN(0, 0, 0, ",\"paired\":\"order\""),
		OPEN(1, 1, 1, ""),
		OPEN(2, 2, 2, ",\"paired\":\"order\""),
		OPEN(3, 3, 3, ",\"id\":\"d\""),
	}, *const none[] = {
		OPEN(0, 0, 0, ""), OPEN(1, 1, 1, ""), OPEN(2, 2, 2, ""),
		OPEN(3, 3, 3, ""),
	}, *const ends[] = {
		REQ(1, 0, "null", AT("10:00:00")),
		REQ(1, 1, "null", AT("10:00:01")),
	};
#undef OPEN
	static const char caution[] = "; starts paired with ends by order, "
	    "not by id: latencies are right only if requests finished in the "
	    "order they arrived (a FIFO queue, similar service times)";
	struct reqset f, c;
	struct req x, y;
	struct jsonout w;
	struct diag d;
	const cJSON *r;
	cJSON *doc;
	const char *reason;
	size_t n;

	reqset_init(&f, &d);
	reqset_init(&c, &d);
	ok(reqset_line(&f, rec, strlen(rec), &d) == 0 && f.fast == 1 &&
	    (x = got(&f, 0)).by_order, "\"paired\": \"order\" read by the "
	    "fast path");
	ok(reqset_line_cjson(&c, rec, strlen(rec), &d) == 0 &&
	    (y = got(&c, 0)).by_order && same_req(&x, &y),
	    "  and by cJSON, the same");
	jsonout_init(&w, NULL);
	request_write(&w, &x);
	ok(w.len == strlen(rec) + 1 && memcmp(w.buf, rec, w.len - 1) == 0,
	    "  written back byte for byte, \"paired\" last");
	jsonout_free(&w);
	reqset_free(&f);
	reqset_free(&c);

	r = run1(all, 4, &doc);
	is_str(str_of(r, "shape"), "open", "paired: an open run");
	ok(cJSON_IsTrue(item_of(r, "paired_by_order")),
	    "all paired by order: paired_by_order true");
	reason = str_of(r, "reason");
	n = strlen(reason);
	ok(n > sizeof(caution) - 1 &&
	    strcmp(reason + n - (sizeof(caution) - 1), caution) == 0,
	    "  the reason says what that assumes: %s", reason);
	cJSON_Delete(doc);

	r = run1(some, 4, &doc);
	ok(cJSON_IsTrue(item_of(r, "paired_by_order")),
	    "some paired by order: true");
	ok(strstr(str_of(r, "reason"), "; starts paired with ends by order "
	    "(2 of 4), not by id: ") != NULL, "  the reason says how many");
	cJSON_Delete(doc);

	r = run1(none, 4, &doc);
	ok(cJSON_IsFalse(item_of(r, "paired_by_order")) &&
	    strstr(str_of(r, "reason"), "paired") == NULL,
	    "none paired by order (by id, or a dur): false, the reason silent");
	cJSON_Delete(doc);

	r = run1(ends, 2, &doc);
	ok(cJSON_IsNull(item_of(r, "paired_by_order")),
	    "no request matched: null");
	cJSON_Delete(doc);
}

/*
 * Identities are byte strings: "a\0b" and "a\0c" are two ids, and each is
 * written back whole, NUL and all.
 */
static void
test_nul(void)
{
	static const char *const lines[] = {
		"{\"run\":1,\"i\":0,\"start\":\"2023-11-01T10:00:00Z\","
		    "\"end\":\"2023-11-01T10:00:01Z\",\"id\":\"a\\u0000b\"}",
		"{\"run\":1,\"i\":1,\"start\":\"2023-11-01T10:00:00Z\","
		    "\"end\":\"2023-11-01T10:00:02Z\",\"id\":\"a\\u0000c\"}",
		"{\"src\":\"x\",\"kind\":\"input\",\"bytes\":1,\"lines\":1,"
		    "\"events\":0,\"skipped\":1,\"first_skipped\":"
		    "\"1: a\\u0000b\"}",
	};
	struct reqset rs;
	struct req *all;
	struct diag d;
	struct jsonout w;

	reqset_init(&rs, &d);
	is_int(feed(&rs, lines, 3, &d), 0, "ids with NULs read (%s)", d.msg);
	all = reqset_all(&rs);
	ok(rs.nreqs == 2 && all[0].id != all[1].id,
	    "a\\0b and a\\0c are two ids");
	ok(rs.nreqs == 2 && strtab_len(all[0].id) == 3 &&
	    memcmp(all[0].id, "a\0b", 3) == 0, "the id keeps its bytes "
	    "after the NUL");
	ok(rs.ninputs == 1 && rs.inputs[0].first_skipped_n == 6 &&
	    memcmp(rs.inputs[0].first_skipped, "1: a\0b", 6) == 0 &&
	    rs.inputs[0].first_skipped_line == 1, "first_skipped keeps its "
	    "bytes after the NUL");
	jsonout_init(&w, NULL);
	request_write(&w, &all[1]);
	free(all);
	trailer_write(&w, &rs.inputs[0]);
	jsonout_char(&w, '\0');
	ok(w.buf != NULL && strstr(w.buf, "\"id\":\"a\\u0000c\"}") != NULL,
	    "the id written back with \\u0000");
	ok(w.buf != NULL && strstr(w.buf, "\"first_skipped\":\"1: a\\u0000b\","
	    "\"first_skipped_line\":1,") != NULL,
	    "first_skipped written back with \\u0000, and its line");
	jsonout_free(&w);
	reqset_free(&rs);
}

/* Memory is by the runs the input holds, never by the numbers they
 * carry: one record naming run 100000000 makes one run. */
static void
test_run_numbers(void)
{
	static const char *const lines[] = {
		"{\"run\":100000000,\"i\":0,"
		    "\"end\":\"2023-11-01T10:00:00.5Z\"}",
		"{\"run\":4294967295,\"i\":0,"
		    "\"end\":\"2023-11-01T10:00:00.5Z\"}",
		"{\"run\":3,\"i\":0,\"end\":\"2023-11-01T10:00:00.5Z\"}",
	};
	struct reqset rs;
	struct diag d;

	reqset_init(&rs, &d);
	is_int(feed(&rs, lines, 3, &d), 0, "runs 3, 100000000, 4294967295 "
	    "read (%s)", d.msg);
	is_int((long long)rs.nruns, 3, "three runs indexed, not 4294967295");
	ok(rs.nruns == 3 && reqset_run_no(&rs, 0) == 3 &&
	    reqset_run_no(&rs, 1) == 100000000 &&
	    reqset_run_no(&rs, 2) == 4294967295u,
	    "each run keeps its number");

	/* The analysis numbers its runs as the requests do, and --run names
	 * those numbers. */
	{
		static const long want[] = { 100000000 }, none[] = { 4 };
		struct analysis_opt o;
		struct analysis a;

		memset(&o, 0, sizeof(o));
		diag_clear(&d);
		ok(analysis_build(&rs, &o, &a, &d) == 0 && a.nruns == 3 &&
		    a.runs[0].run == 3 && a.runs[1].run == 100000000 &&
		    a.runs[2].run == 4294967295u, "the analysis keeps the "
		    "runs' numbers (%s)", d.msg);
		analysis_free(&a);
		o.runs = want;
		o.nruns = 1;
		ok(analysis_build(&rs, &o, &a, &d) == 0 && a.nruns == 1 &&
		    a.runs[0].run == 100000000, "--run 100000000: that run");
		analysis_free(&a);
		o.runs = none;
		diag_clear(&d);
		ok(analysis_build(&rs, &o, &a, &d) == -1 &&
		    d.code == DIAG_USAGE, "--run 4: no such run");
		is_str(d.msg, "--run 4: no such run in the input (runs 3, "
		    "100000000, 4294967295)", "its message lists the runs "
		    "present");
	}
	reqset_free(&rs);
}

/* Whether each input came whole: an align record, and trailers for the
 * events it counts; a trailer skew-align made up arrives marked. */
static void
test_complete(void)
{
	static const char *const req =
	    "{\"run\":1,\"i\":0,\"end\":\"2023-11-01T10:00:00.5Z\"}";
	static const char *const trailer =
	    "{\"src\":\"a.log\",\"kind\":\"input\",\"bytes\":1,\"lines\":3,"
	    "\"events\":3,\"skipped\":0}";
	static const char *const made =
	    "{\"src\":\"b.log\",\"kind\":\"input\",\"bytes\":0,\"lines\":2,"
	    "\"events\":2,\"skipped\":0,\"sha256\":null,\"complete\":false}";
	static const char *const align5 =
	    "{\"kind\":\"align\",\"runs\":1,\"gap\":1,\"offset\":0,"
	    "\"unmatched_starts\":0,\"unmatched_ends\":0,\"events\":5}";
	struct reqset rs;
	struct diag d;
	struct jsonout w;

	reqset_init(&rs, &d);
	diag_clear(&d);
	reqset_line(&rs, req, strlen(req), &d);
	reqset_line(&rs, trailer, strlen(trailer), &d);
	reqset_line(&rs, made, strlen(made), &d);
	reqset_line(&rs, align5, strlen(align5), &d);
	is_int(reqset_end(&rs, "x", &d), REQSET_WHOLE, "complete: 3 + 2 "
	    "events account for the align record's 5");
	ok(rs.ninputs == 2 && !rs.inputs[0].incomplete &&
	    rs.inputs[1].incomplete, "complete: the made-up trailer read as "
	    "incomplete");
	jsonout_init(&w, NULL);
	trailer_write(&w, &rs.inputs[1]);
	jsonout_char(&w, '\0');
	ok(w.buf != NULL && strstr(w.buf, "\"sha256\":null,\"bad_utf8\":0,"
	    "\"fold\":0,\"complete\":false}\n") != NULL, "complete: written "
	    "back marked, sha256 null");
	jsonout_free(&w);

	reqset_line(&rs, trailer, strlen(trailer), &d);
	reqset_line(&rs, align5, strlen(align5), &d);
	is_int(reqset_end(&rs, "y", &d), REQSET_NO_TRAILER, "filtered: 2 of "
	    "5 events without a trailer");
	ok(rs.ninputs == 4 && rs.inputs[3].incomplete &&
	    rs.inputs[3].events == 2 && strcmp(rs.inputs[3].src, "y") == 0,
	    "filtered: a trailer made up for y, 2 events");

	reqset_line(&rs, req, strlen(req), &d);
	is_int(reqset_end(&rs, "z", &d), REQSET_NO_ALIGN, "no align record");
	is_int(reqset_end(&rs, "empty", &d), REQSET_WHOLE, "an empty input "
	    "is not incomplete");
	reqset_free(&rs);
}

/* skew-align's record: the per-source offsets and the T that --offset auto
 * subtracted read back, written again to the same bytes, and said in the
 * provenance as applied. */
static void
test_align_record(void)
{
	static const char rec[] = "{\"kind\":\"align\",\"runs\":1,"
	    "\"gap\":60,\"offset\":-0.25,\"unmatched_starts\":0,"
	    "\"unmatched_ends\":0,\"gap_source\":\"data\",\"events\":2,"
	    "\"auto_service_time\":0.2,\"offsets\":{\"gw\":-2.5,"
	    "\"web=2\":0.3}}\n";
	const char *lines[] = {
		"{\"run\":1,\"i\":0,\"start\":\"2023-11-01T10:00:00Z\","
		    "\"end\":\"2023-11-01T10:00:01Z\"}",
		rec, rec,	/* a second record replaces the first */
	};
	const char *bad = "{\"kind\":\"align\",\"runs\":1,"
	    "\"unmatched_starts\":0,\"unmatched_ends\":0,\"offsets\":[1]}";
	struct analysis_opt o = { 0 };
	struct analysis a;
	struct reqset rs;
	struct jsonout w;
	struct diag d;

	reqset_init(&rs, &d);
	is_int(feed(&rs, lines, 3, &d), 0, "align record with offsets read");
	is_int((int)rs.info.nsrcoff, 2, "two per-source offsets");
	if (rs.info.nsrcoff == 2) {
		is_str(rs.info.srcoff[0].src, "gw", "first source, in order");
		is_str(rs.info.srcoff[1].src, "web=2", "second source");
		ok(rs.info.srcoff[0].off.sec == -3 &&
		    rs.info.srcoff[0].off.nsec == 500000000, "gw's -2.5 s");
	}
	ok(rs.info.offset_auto && rs.info.auto_service_given &&
	    rs.info.auto_service.nsec == 200000000, "auto's T read back");
	jsonout_init(&w, NULL);
	aligntrailer_write(&w, &rs.info);
	ok(w.len == sizeof(rec) - 1 && memcmp(w.buf, rec, w.len) == 0,
	    "written again to the same bytes");
	jsonout_free(&w);
	if (analysis_build(&rs, &o, &a, &d) == 0) {
		size_t k = a.prov.noptions;

		ok(k >= 3 && strcmp(a.prov.options[k - 3],
		    "skew-align --offset=-0.25") == 0 &&
		    strcmp(a.prov.options[k - 2],
		    "skew-align --offset=gw=-2.5") == 0 &&
		    strcmp(a.prov.options[k - 1],
		    "skew-align --offset=web=2=0.3") == 0,
		    "the provenance says the offsets as applied");
		analysis_free(&a);
	} else
		ok(0, "the provenance says the offsets as applied");
	reqset_free(&rs);

	reqset_init(&rs, &d);
	is_int(reqset_line(&rs, bad, strlen(bad), &d), -1,
	    "offsets that are not an object are refused");
	ok(strstr(d.msg, "offsets") != NULL, "the message names the key");
	reqset_free(&rs);
}

/*
 * request_write_all() keeps the texts of identities it wrote (by their
 * interned address) and of the last seconds: its output, and the bad
 * UTF-8 it counts, must be what request_write() gives record by record
 * with nothing kept.  Identities from a pool with repeats, lengths either
 * side of the kept text's size, escapes, a NUL and bytes that are not
 * UTF-8 (as cJSON's path reads them).
 */
static void
test_write_all(void)
{
	char pool[40][80];
	struct reqset rs;
	struct jsonout a, b;
	struct diag d;
	struct req r;
	char line[512];
	int read_ok = 1;

	for (int k = 0; k < 40; k++) {
		size_t len = (size_t)(k * 7 % 60), j;

		for (j = 0; j < len; j++)
			pool[k][j] = (char)('0' + (k + j) % 10);
		pool[k][j] = '\0';
		if (k % 5 == 1 && len > 3)
			memcpy(pool[k] + len / 2, "\\\"", 2);
		if (k % 7 == 2 && len > 3)
			pool[k][len / 3] = '\xff';
		if (k % 9 == 3 && len > 8)
			memcpy(pool[k] + 1, "\\u0000", 6);
	}
	reqset_init(&rs, &d);
	for (unsigned k = 0; k < 3000; k++) {
		int n = snprintf(line, sizeof(line), "{\"run\":%u,\"i\":%u,"
		    "\"start\":null,\"end\":\"2023-11-01T10:%02u:%02u.%03uZ\","
		    "\"t_start\":null,\"t_end\":0,\"latency\":null",
		    1 + k / 1000, k % 1000, k / 600, k / 10 % 60, k % 7);

		if (grnd(4) != 0)
			n += snprintf(line + n, sizeof(line) - (size_t)n,
			    ",\"pid\":\"%s\"", pool[grnd(3)]);
		if (grnd(6) != 0)
			n += snprintf(line + n, sizeof(line) - (size_t)n,
			    ",\"tid\":\"%s\"", pool[grnd(40)]);
		if (grnd(3) == 0)
			n += snprintf(line + n, sizeof(line) - (size_t)n,
			    ",\"route\":\"%s\"", pool[grnd(40)]);
		snprintf(line + n, sizeof(line) - (size_t)n, "}");
		if (reqset_line(&rs, line, strlen(line), &d) != 0)
			read_ok = 0;
	}
	ok(read_ok && reqset_finish(&rs, &d) == 0, "write_all: 3000 "
	    "requests read");
	jsonout_init(&a, NULL);
	jsonout_init(&b, NULL);
	request_write_all(&rs, &a);
	for (size_t k = 0; k < rs.nruns; k++) {
		size_t e = k + 1 < rs.nruns ? rs.run_first[k + 1] : rs.nreqs;

		for (size_t i = rs.run_first[k]; i < e; i++) {
			reqset_req(&rs, k, i, &r);
			request_write(&b, &r);
		}
	}
	for (size_t i = 0; i < rs.ninputs; i++)
		request_input(&b, &rs.inputs[i]);
	aligntrailer_write(&b, &rs.info);
	ok(a.len == b.len && memcmp(a.buf, b.buf, a.len) == 0 && a.bad == b.bad &&
	    a.bad > 0, "write_all: the same bytes as request_write, record by "
	    "record (%zu bytes, %zu bad)", a.len, a.bad);
	jsonout_free(&a);
	jsonout_free(&b);
	reqset_free(&rs);
}

int
main(void)
{
	gsl_set_error_handler_off();
	test_read();
	test_errors();
	test_fast();
	test_fast_layout();
	test_paired();
	test_nul();
	test_run_numbers();
	test_complete();
	test_align_record();
	test_document();
	test_pack_end();
	test_random();
	test_write_all();
	return done_testing();
}
