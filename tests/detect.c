/*
 * detect: -f auto's choice (parse/detect.c) on samples written for each
 * rule of the contract's precedence: most lines, most fields, a whole-line
 * reading over a shape, the fixed order; the tie refused with both
 * readings named; month/day against day/month settled by a field above 12
 * or refused; a time after a prefix or a terminal escape; epochs by digit
 * count.  Then the driver with -f auto (parser.c): every line of an input
 * longer than the sample read once, in order; -f auto:NAME giving the
 * same events and recording itself; the refusals of parser_new().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "parser.h"
#include "tap.h"

#define MAXL	64

/* The lines of text (each ended by "\n") as a sample. */
static size_t
sample(const char *text, struct detect_line *l)
{
	size_t n = 0;
	const char *s = text, *e;

	while (*s != '\0' && n < MAXL && (e = strchr(s, '\n')) != NULL) {
		l[n].s = s;
		l[n].n = (size_t)(e - s);
		l[n].no = n + 1;
		n++;
		s = e + 1;
	}
	return n;
}

/* The name chosen for text, "none" when nothing, "refused" on -1 (*d). */
static const char *
choose(const char *text, int year, struct diag *d)
{
	static char name[64];
	struct detect_opt o = { NULL, year, NULL };
	struct detect_line l[MAXL];
	struct detect_choice c;
	struct detect *dt;
	int rc;

	diag_clear(d);
	if ((dt = detect_new(&o, d)) == NULL) {
		printf("Bail out! detect_new: %s\n", d->msg);
		exit(1);
	}
	rc = detect_choose(dt, l, sample(text, l), &c, d);
	snprintf(name, sizeof(name), "%s", rc == -1 ? "refused" :
	    c.r == NULL ? "none" : c.r->name);
	detect_free(dt);
	return name;
}

static void
test_choices(void)
{
	struct diag d;

	/* The article's and the recorded logs: what was named before. */
	is_str(choose("65432: 123145499639808: 2023-11-01 23:10:04.806247\n"
	    "65432: 123145583587328: 2023-11-01 23:10:05.008870\n", 0, &d),
	    "pid-tid-ts", "PID: TID: TIMESTAMP is pid-tid-ts (fields)");
	is_str(choose("2023-11-01 23:30:45.443161\n2023-11-01 23:30:45.5\n", 0,
	    &d), "ts", "bare timestamps: ts before iso and iso-any (order, "
	    "anchored)");
	is_str(choose("2023-11-01 23:30:45.443161 GET /\n", 0, &d), "iso",
	    "text after the time: iso (ts reads no line)");
	is_str(choose("2023-11-01 23:30:45,443 INFO x\n", 0, &d),
	    "python-logging", "comma milliseconds: python-logging before iso");
	is_str(choose("1698880204.806 0.030 GET /\n", 0, &d), "nginx-timed",
	    "epoch and a duration: nginx-timed over epoch (a field more)");
	is_str(choose("10.0.0.1 - - [01/Nov/2023:23:10:04 +0000] \"GET / "
	    "HTTP/1.1\" 200 5\n", 0, &d), "clf", "CLF: the preset, not clf-any");
	is_str(choose("Nov  1 23:10:04 host app[12]: x\n", 2023, &d), "syslog",
	    "syslog: the preset, not syslog-any");
	is_str(choose("{\"time\":\"2023-11-01T23:10:04Z\",\"msg\":\"x\"}\n", 0,
	    &d), "json", "JSON: json over the ISO time inside it (anchored)");
	is_str(choose("{\"level\":30,\"time\":1745532517537,\"pid\":1}\n", 0,
	    &d), "json", "pino: json (epoch ms and a pid)");

	/* Rule 1: the most lines. */
	is_str(choose("1: 2: 2023-11-01 23:10:04\nweb | 2023-11-01 23:10:05\n"
	    "x 2023-11-01 23:10:06\n", 0, &d), "iso-any",
	    "a shape reading 3 lines over a preset reading 1");
	/* A prefix, a terminal escape. */
	is_str(choose("web-1  | 2023-11-01T23:10:04.806Z GET /\n", 0, &d),
	    "iso-any", "after a compose prefix");
	is_str(choose("\x1b[32m2023-11-01 23:10:04,123\x1b[0m INFO x\n", 0, &d),
	    "iso-any", "after a terminal escape");
	/* The shapes of the issue. */
	is_str(choose("[Sun Dec 04 04:47:44 2005] [notice] x\n", 0, &d),
	    "ctime", "ctime in brackets");
	is_str(choose("081109 203615 148 INFO dfs.DataNode: x\n", 0, &d),
	    "hdfs", "yyMMdd HHmmss: hdfs, never an epoch");
	is_str(choose("17/06/09 20:10:40 INFO x\n", 0, &d), "spark",
	    "yy/MM/dd: spark");
	is_str(choose("20171223-22:15:29:606|Step_LSC|1|x\n", 0, &d),
	    "healthapp", "yyyyMMdd-HH:mm:ss:SSS");
	is_str(choose("03-17 16:13:38.811  1702  2395 D W: x\n", 2017, &d),
	    "logcat", "MM-dd HH:mm:ss.SSS (with --year)");
	is_str(choose("[10.30 16:49:06] chrome.exe - x\n", 2016, &d),
	    "proxifier", "[MM.dd HH:mm:ss]");
	is_str(choose("I0517 15:04:22.619632  1234 main.cc:42] x\n", 2020, &d),
	    "glog", "glog");
	is_str(choose("x 1745532517537 y\n", 0, &d), "epoch-any",
	    "13 digits anywhere: epoch-any (milliseconds)");
	is_str(choose("x 12345678 y\n", 0, &d), "none",
	    "8 digits: not an epoch");
	/* The first time on a line: no tie between shapes at different
	 * places. */
	is_str(choose("at 2023-11-01 23:10:04 took 1745532517537\n", 0, &d),
	    "iso-any", "an ISO time then an epoch: the first, no tie");
	is_str(choose("08:09:33.814936 execve(\"/bin/ls\")\n", 0, &d),
	    "time-of-day", "a time of day first on the line (strace -tt)");
	is_str(choose("nova-api.log.1.2017-05-16_13:53:08 2017-05-16 "
	    "00:00:00.008 25746 INFO x\n", 0, &d), "iso-any", "a time of day "
	    "inside a name before the time: not taken (only at the start)");
	is_str(choose("x 1969-12-31 23:59:59\ny 1970-01-01 00:00:00\n", 2000,
	    &d), "iso-any", "a date's later fields are no logcat time "
	    "(12-31 of 1969-12-31)");
	is_str(choose("a line of prose\nanother\n", 0, &d), "none",
	    "no time: nothing chosen");
	is_str(choose("\n  \n", 0, &d), "none", "blank lines: nothing chosen");
}

static void
test_ties(void)
{
	struct diag d;

	/* Month/day against day/month: refused while no field settles it. */
	is_str(choose("06/09/2017 10:00:00 a\n07/09/2017 10:00:00 b\n", 0,
	    &d), "refused", "06/09/2017: month/day or day/month: refused");
	is_int(d.code, DIAG_DATA, "refused as DIAG_DATA");
	ok(strstr(d.msg, "-f auto:dmy") != NULL &&
	    strstr(d.msg, "-f auto:mdy") != NULL &&
	    strstr(d.msg, "2017-09-06T10:00:00Z") != NULL &&
	    strstr(d.msg, "2017-06-09T10:00:00Z") != NULL,
	    "both readings named, with their -f and times: %s", d.msg);
	is_int((long long)d.line, 1, "the line they disagree on");
	is_str(choose("06/09/2017 10:00:00 a\n07/13/2017 10:00:00 b\n", 0, &d),
	    "mdy", "a second field of 13: month/day");
	is_str(choose("06/09/2017 10:00:00 a\n13/07/2017 10:00:00 b\n", 0, &d),
	    "dmy", "a first field of 13: day/month");
	is_str(choose("12/12/2017 10:00:00 a\n", 0, &d), "dmy",
	    "the same time both ways: no tie (fixed order)");
}

static void
test_find(void)
{
	struct diag d;
	struct detect_shape *sh;
	struct ts_parts p;
	size_t at = 0, len = 0;
	static const char line[] = "web-1  | 2019-12-05 11:57:27 +0100] x";

	diag_clear(&d);
	sh = detect_shape_new(detect_find("iso-any"), &d);
	ok(sh != NULL, "iso-any compiled");
	if (sh == NULL)
		return;
	is_int(detect_shape_find(sh, line, strlen(line), &p, &at, &len), 1,
	    "found after the prefix");
	is_int((long long)at, 9, "at column 10");
	is_int((long long)len, 25, "the offset after a space taken with it");
	is_int(p.has_off ? p.off : -1, 3600, "+0100");
	is_int(detect_shape_find(sh, "12023-11-01 23:10:04", 20, &p, &at,
	    &len), 0, "not inside a longer number");
	detect_shape_free(sh);
	ok(detect_find("nope") == NULL && detect_find("pid-tid-ts") != NULL,
	    "detect_find by name");
}

struct got {
	size_t		 n;
	uint64_t	 last;
	int		 order;		/* every line after the one before */
	char		 first[TS_ISO_MAX];
};

static int
collect(void *ctx, const struct record *r)
{
	struct got *g = ctx;

	if (g->n == 0)
		ts_iso(&r->t, g->first);
	g->order &= r->line > g->last;
	g->last = r->line;
	g->n++;
	return 0;
}

/* Parse buf with -f format; *g and *in filled; returns parser_buffer's. */
static int
parse(const char *format, int year, const char *buf, size_t n,
    struct got *g, struct trailer *in, char *choice, size_t csz,
    struct diag *d)
{
	struct parser_opt o;
	struct parser *p;
	int rc;

	memset(&o, 0, sizeof(o));
	o.format = format;
	o.year = year;
	memset(g, 0, sizeof(*g));
	g->order = 1;
	diag_clear(d);
	if ((p = parser_new(&o, d)) == NULL)
		return -2;
	rc = parser_buffer(p, buf, n, "mem", collect, g, in, d);
	snprintf(choice, csz, "%s", parser_choice(p) ? parser_choice(p) :
	    "(none)");
	parser_free(p);
	return rc;
}

static void
test_driver(void)
{
	const size_t lines = DETECT_LINES + 1500;
	char *buf = malloc(lines * 48), choice[256];
	struct trailer in, in2;
	struct got g, g2;
	struct diag d;
	size_t n = 0;

	if (buf == NULL)
		exit(1);
	/* Longer than the sample: every line once, in order. */
	for (size_t i = 0; i < lines; i++)
		n += (size_t)sprintf(buf + n, "web-1  | 2023-11-01 23:%02zu:%02zu"
		    " x\n", (i / 60) % 60, i % 60);
	is_int(parse(NULL, 0, buf, n, &g, &in, choice, sizeof(choice), &d), 0,
	    "auto over %zu lines: success", lines);
	is_int((long long)g.n, (long long)lines, "every line an event");
	ok(g.order && g.last == lines, "once each, in order");
	is_int((long long)in.lines, (long long)lines, "the trailer counts them");
	is_str(in.nopts > 0 ? in.opts[0] : "", "--from=auto:iso-any",
	    "recorded as --from=auto:iso-any");
	is_str(choice, "read as iso-any (-f auto: 1000 of 1000 lines sampled)",
	    "the choice in words");
	/* -f auto:NAME back: the same events, recorded as given. */
	is_int(parse("auto:iso-any", 0, buf, n, &g2, &in2, choice,
	    sizeof(choice), &d), 0, "-f auto:iso-any: success");
	ok(g2.n == g.n && strcmp(g.first, g2.first) == 0 &&
	    strcmp(in.sha256, in2.sha256) == 0, "the same events (%zu, first %s)",
	    g2.n, g2.first);
	is_str(in2.nopts > 0 ? in2.opts[0] : "", "--from=auto:iso-any",
	    "and the same record");
	is_str(choice, "(none)", "nothing to say: no choice made");
	trailer_free(&in);
	trailer_free(&in2);
	free(buf);

	/* A preset: -f NAME records what it did before auto. */
	{
		static const char art[] = "1: 2: 2023-11-01 23:10:04\n";

		parse("pid-tid-ts", 0, art, sizeof(art) - 1, &g, &in, choice,
		    sizeof(choice), &d);
		is_str(in.nopts > 0 ? in.opts[0] : "", "--from=pid-tid-ts",
		    "-f pid-tid-ts records --from=pid-tid-ts");
		trailer_free(&in);
		parse("auto", 0, art, sizeof(art) - 1, &g, &in, choice,
		    sizeof(choice), &d);
		is_str(in.nopts > 0 ? in.opts[0] : "", "--from=auto:pid-tid-ts",
		    "-f auto records --from=auto:pid-tid-ts");
		trailer_free(&in);
	}
	/* A tie refuses the input; a yearless shape without --year too. */
	{
		static const char dm[] = "06/09/2017 10:00:00 a\n";
		static const char lc[] = "03-17 16:13:38.811 x\n";

		is_int(parse(NULL, 0, dm, sizeof(dm) - 1, &g, &in, choice,
		    sizeof(choice), &d), -1, "a tie: the input refused");
		ok(d.code == DIAG_DATA && g.n == 0, "with DIAG_DATA, no event");
		trailer_free(&in);
		is_int(parse(NULL, 0, lc, sizeof(lc) - 1, &g, &in, choice,
		    sizeof(choice), &d), -1, "logcat without --year: refused");
		ok(strstr(d.msg, "year") != NULL, "naming the year: %s", d.msg);
		trailer_free(&in);
		is_int(parse(NULL, 2017, lc, sizeof(lc) - 1, &g, &in, choice,
		    sizeof(choice), &d), 0, "with --year 2017: read");
		is_str(g.first, "2017-03-17T16:13:38.811Z", "its time");
		trailer_free(&in);
	}
	/* parser_new()'s refusals. */
	is_int(parse("auto:nope", 0, "", 0, &g, &in, choice, sizeof(choice),
	    &d), -2, "-f auto:nope refused");
	ok(d.code == DIAG_USAGE && strstr(d.msg, "nope") != NULL, "%s", d.msg);
	is_int(parse("iso-any", 0, "", 0, &g, &in, choice, sizeof(choice), &d),
	    -2, "-f iso-any (a shape without auto:) refused");
	ok(strstr(d.msg, "-f auto:iso-any") != NULL, "with the form to give: %s",
	    d.msg);
}

int
main(void)
{
	test_choices();
	test_ties();
	test_find();
	test_driver();
	return done_testing();
}
