/*
 * parser: the driver on in-memory inputs: every line counted once (events,
 * skipped, blank), kind words, exact durations, --strict, "nothing
 * matched", a caller that stops, the first skipped line's text, and the
 * option errors of parser_new().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "tap.h"

#define MAXREC	16

struct got {
	int		 n;
	int		 stop_at;	/* return -1 at this event (1-based) */
	enum record_kind	 kind[MAXREC];
	unsigned long	 line[MAXREC];
	struct ts	 dur[MAXREC];
	int		 has_dur[MAXREC];
	char		 id[MAXREC][16];
};

static int
collect(void *ctx, const struct record *r)
{
	struct got *g = ctx;

	if (g->n < MAXREC) {
		g->kind[g->n] = r->kind;
		g->line[g->n] = (unsigned long)r->line;
		g->has_dur[g->n] = r->has_dur;
		g->dur[g->n] = r->dur;
		snprintf(g->id[g->n], sizeof(g->id[0]), "%.*s",
		    r->id.s ? (int)r->id.n : 0, r->id.s ? r->id.s : "");
	}
	g->n++;
	return g->stop_at == g->n ? -1 : 0;
}

static struct parser *
mk(struct parser_opt *o)
{
	struct diag d;
	struct parser *p;

	diag_clear(&d);
	if ((p = parser_new(o, &d)) == NULL) {
		printf("Bail out! parser_new: %s\n", d.msg);
		exit(1);
	}
	return p;
}

#define S(lit)	(lit), sizeof(lit) - 1

static void
test_counts(void)
{
	static const char txt[] =
	    "1: 2: 2023-11-01 23:10:04.5\n"	/* event */
	    "\n"				/* blank */
	    " \t \r\n"				/* blank */
	    "PID 12\n"				/* skipped: no match */
	    "1: 2: 2023-02-30 00:00:00\n"	/* skipped: no such day */
	    "1: 2: 2023-11-01 23:10:05 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n" /* too long */
	    "3: 4: 2023-11-01 23:10:06";	/* event, no newline */
	struct parser_opt o;
	struct trailer in;
	struct got g;
	struct diag d;
	struct parser *p;

	memset(&o, 0, sizeof(o));
	o.format = "pid-tid-ts";
	o.maxline = 64;
	p = mk(&o);
	memset(&g, 0, sizeof(g));
	diag_clear(&d);
	is_int(parser_buffer(p, S(txt), "mem", collect, &g, &in, &d), 0,
	    "mixed input: success");
	is_int((long long)in.lines, 7, "7 lines");
	is_int((long long)in.events, 2, "2 events");
	is_int((long long)in.blank, 2, "2 blank (empty; blanks and CR)");
	is_int((long long)in.skipped, 3, "3 skipped (garbage, 30 Feb, long)");
	is_int((long long)(in.events + in.blank + in.skipped),
	    (long long)in.lines, "every line counted once");
	is_int(g.n, 2, "two callbacks");
	ok(g.line[0] == 1 && g.line[1] == 7, "event lines 1 and 7");
	is_str(in.first_skipped, "4: PID 12", "first skipped: number, text");
	ok(parser_first_reason(p) != NULL &&
	    strstr(parser_first_reason(p), "process id") != NULL,
	    "first reason: %s", parser_first_reason(p));
	ok(in.reasons[SKIP_NO_MATCH].count == 1 &&
	    in.reasons[SKIP_NO_MATCH].first_line == 4 &&
	    in.reasons[SKIP_BAD_TIMESTAMP].count == 1 &&
	    in.reasons[SKIP_BAD_TIMESTAMP].first_line == 5 &&
	    in.reasons[SKIP_TOO_LONG].count == 1 &&
	    in.reasons[SKIP_TOO_LONG].first_line == 6,
	    "each skipped line under its code, with its first line");
	ok(parser_reason(p, SKIP_BAD_TIMESTAMP) != NULL &&
	    strstr(parser_reason(p, SKIP_BAD_TIMESTAMP), "day 30") != NULL,
	    "bad_timestamp's reason: %s", parser_reason(p, SKIP_BAD_TIMESTAMP));
	ok(parser_reason(p, SKIP_BAD_KIND) == NULL, "no reason for a code unused");
	is_str(in.src, "mem", "src as named");
	is_int((long long)in.bytes, (long long)sizeof(txt) - 1, "bytes");
	is_int((int)strlen(in.sha256), 64, "sha256 given");
	trailer_free(&in);

	/* Empty and blank-only inputs are not errors. */
	is_int(parser_buffer(p, "", 0, "e", collect, &g, &in, &d), 0, "empty: ok");
	is_int((long long)in.lines, 0, "empty: 0 lines");
	is_str(in.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca49599"
	    "1b7852b855", "empty: SHA-256 of nothing");
	trailer_free(&in);
	is_int(parser_buffer(p, S("\n\n"), "b", collect, &g, &in, &d), 0,
	    "blank only: ok");
	is_int((long long)in.blank, 2, "blank only: 2 blank");
	trailer_free(&in);

	/* Nothing matched: an error, but the summary is whole. */
	diag_clear(&d);
	is_int(parser_buffer(p, S("a\nb\n"), "n", collect, &g, &in, &d), -1,
	    "nothing matched: -1");
	is_int(d.code, DIAG_NOMATCH, "DIAG_NOMATCH");
	is_int((long long)d.line, 0, "no line named");
	ok(strstr(d.msg, "--list-formats") != NULL, "suggests --list-formats");
	is_int((int)strlen(in.sha256), 64, "its sha256 is there");
	trailer_free(&in);
	parser_free(p);
}

static void
test_first_skipped_cut(void)
{
	char line[400];
	struct parser_opt o;
	struct trailer in;
	struct got g;
	struct diag d;
	struct parser *p;

	/* 199 x, then a 2-byte character across the 200-byte cut. */
	memset(line, 'x', 199);
	memcpy(line + 199, "\xc3\xa9yyy\n1: 2: 2023-11-01 23:10:04\n", 30);
	memset(&o, 0, sizeof(o));
	p = mk(&o);
	memset(&g, 0, sizeof(g));
	diag_clear(&d);
	parser_buffer(p, line, 229, "cut", collect, &g, &in, &d);
	ok(in.first_skipped != NULL && strlen(in.first_skipped) ==
	    3 + 199 + 3 && strcmp(in.first_skipped + 202, "...") == 0,
	    "cut at 200 bytes, back to a character boundary, ... appended");
	trailer_free(&in);
	parser_free(p);
}

static void
test_kind_dur(void)
{
	static const char txt[] =
	    "a begin 2023-11-01T23:10:04Z 31.5\n"
	    "b DONE 2023-11-01T23:10:05Z 1500\n"
	    "c paused 2023-11-01T23:10:06Z 1\n"
	    "d > 2023-11-01T23:10:07Z 0.0000001\n"
	    "e end 2023-11-01T23:10:08Z 12.\n";
	struct parser_opt o;
	struct trailer in;
	struct got g;
	struct diag d;
	struct parser *p;

	memset(&o, 0, sizeof(o));
	o.pattern = "^(?<id>\\S+) (?<kind>\\S+) (?<ts>\\S+) (?<dur>\\S+)$";
	o.dur_unit = PARSER_DUR_MS;
	p = mk(&o);
	memset(&g, 0, sizeof(g));
	diag_clear(&d);
	is_int(parser_buffer(p, S(txt), "k", collect, &g, &in, &d), 0, "kinds: ok");
	is_int(g.n, 2, "two events: paused, a sub-nanosecond and \"12.\" "
	    "skipped");
	is_int((long long)in.skipped, 3, "three skipped");
	is_int(g.kind[0], RECORD_START, "begin is start");
	is_int(g.kind[1], RECORD_END, "DONE is end (case ignored)");
	is_str(g.id[0], "a", "id a");
	/* 31.5 ms = 0.0315 s, four digits. */
	ok(g.has_dur[0] && g.dur[0].sec == 0 && g.dur[0].nsec == 31500000 &&
	    g.dur[0].digits == 4, "31.5 ms is 0.0315 s exactly");
	/* 1500 ms = 1.500 s, three digits. */
	ok(g.has_dur[1] && g.dur[1].sec == 1 && g.dur[1].nsec == 500000000 &&
	    g.dur[1].digits == 3, "1500 ms is 1.500 s");
	ok(strstr(parser_first_reason(p), "unknown kind \"paused\"") != NULL,
	    "reason: %s", parser_first_reason(p));
	trailer_free(&in);
	parser_free(p);

	/* --kind start overrides the format's default; a group would not
	 * be overridden, but pid-tid-ts has none. */
	memset(&o, 0, sizeof(o));
	o.kind_given = 1;
	o.kind = RECORD_START;
	p = mk(&o);
	memset(&g, 0, sizeof(g));
	parser_buffer(p, S("1: 2: 2023-11-01 23:10:04\n"), "s", collect, &g,
	    &in, &d);
	is_int(g.kind[0], RECORD_START, "--kind start");
	trailer_free(&in);
	parser_free(p);
}

static void
test_strict_stop(void)
{
	static const char txt[] = "1: 2: 2023-11-01 23:10:04\n"
	    "1: 2: 2023-11-01 23:10:05\nPID 12\n1: 2: 2023-11-01 23:10:06\n";
	struct parser_opt o;
	struct trailer in;
	struct got g;
	struct diag d;
	struct parser *p;

	memset(&o, 0, sizeof(o));
	o.strict = 1;
	p = mk(&o);
	memset(&g, 0, sizeof(g));
	diag_clear(&d);
	is_int(parser_buffer(p, S(txt), "st", collect, &g, &in, &d), -1,
	    "strict: -1");
	is_int((long long)d.line, 3, "strict: line 3");
	is_str(d.src, "st", "strict: src");
	is_str(d.msg, "expected a process id, got \"PID 12\"", "strict: why");
	is_int(g.n, 2, "strict: the two events before");
	is_str(in.sha256, "", "strict: no sha256 (not read to the end)");
	trailer_free(&in);
	parser_free(p);

	memset(&o, 0, sizeof(o));
	p = mk(&o);
	memset(&g, 0, sizeof(g));
	g.stop_at = 1;
	diag_clear(&d);
	is_int(parser_buffer(p, S(txt), "stop", collect, &g, &in, &d), -1,
	    "a callback that stops: -1");
	is_int(g.n, 1, "no event after it");
	trailer_free(&in);
	parser_free(p);
}

/*
 * A line the pattern cannot match within PCRE2's limits (here the match
 * limit, which holds with or without the JIT) is a skipped line with that
 * reason: the lines after it and the next input are read.  Under --strict
 * it stops there, naming the line and the reason.
 */
static void
test_limits(void)
{
	static const char txt[] = "2023-11-01 10:00:00\n"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\n"
	    "2023-11-01 10:00:02\n"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\n";
	static const char why[] = "the pattern could not be matched within "
	    "PCRE2's limits: match limit exceeded";
	struct parser_opt o;
	struct trailer in;
	struct got g;
	struct diag d;
	struct parser *p;

	memset(&o, 0, sizeof(o));
	o.pattern = "^(?:(a+)+$|(?<ts>.*))";
	p = mk(&o);
	memset(&g, 0, sizeof(g));
	diag_clear(&d);
	is_int(parser_buffer(p, S(txt), "lim", collect, &g, &in, &d), 0,
	    "limits: the input is read to its end");
	is_int(g.n, 2, "limits: both events");
	is_int((long long)in.skipped, 2, "limits: two lines skipped");
	is_int((long long)in.lines, 4, "limits: four lines");
	ok(in.first_skipped != NULL && strcmp(in.first_skipped,
	    "2: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaab") == 0,
	    "limits: the first skipped line");
	is_str(parser_first_reason(p), why, "limits: and its reason");
	ok(in.sha256[0] != '\0', "limits: the trailer is whole");
	trailer_free(&in);
	memset(&g, 0, sizeof(g));
	is_int(parser_buffer(p, S(txt), "next", collect, &g, &in, &d), 0,
	    "limits: the next input is read too");
	is_int(g.n, 2, "limits: its two events");
	trailer_free(&in);
	parser_free(p);

	o.strict = 1;
	p = mk(&o);
	memset(&g, 0, sizeof(g));
	diag_clear(&d);
	is_int(parser_buffer(p, S(txt), "st", collect, &g, &in, &d), -1,
	    "limits, --strict: -1");
	is_int((long long)d.line, 2, "limits, --strict: at line 2");
	is_int(d.code, DIAG_NOMATCH, "limits, --strict: DIAG_NOMATCH");
	is_str(d.msg, why, "limits, --strict: the reason");
	is_int(g.n, 1, "limits, --strict: the event before");
	trailer_free(&in);
	parser_free(p);
}

static void
test_new_errors(void)
{
	struct parser_opt o;
	struct diag d;

	memset(&o, 0, sizeof(o));
	o.format = "ts";
	o.pattern = "(?<ts>.*)";
	diag_clear(&d);
	ok(parser_new(&o, &d) == NULL && d.code == DIAG_USAGE, "-f and -e");
	memset(&o, 0, sizeof(o));
	o.format = "syslog";
	diag_clear(&d);
	ok(parser_new(&o, &d) == NULL && strstr(d.msg, "--year") != NULL,
	    "syslog without a year");
	o.year = 1969;
	diag_clear(&d);
	ok(parser_new(&o, &d) == NULL && d.code == DIAG_USAGE, "year 1969");
	memset(&o, 0, sizeof(o));
	o.tz = "Not/AZone";
	diag_clear(&d);
	ok(parser_new(&o, &d) == NULL && d.code == DIAG_USAGE, "unknown zone");
	memset(&o, 0, sizeof(o));
	o.pattern = "(?<pid>x)";
	diag_clear(&d);
	ok(parser_new(&o, &d) == NULL && d.code == DIAG_PATTERN, "no ts group");
	parser_free(NULL);
}

/* -f json through the driver, and the status group: codes, exact
 * values, every line counted. */
static void
test_json_status(void)
{
	static const char txt[] =
	    "{\"ts\":1700000000123,\"d\":0.1,\"s\":200,\"r\":\"/a\"}\n"
	    "{\"ts\":1700000000,\"s\":99}\n"		/* bad_status */
	    "{\"ts\":1700000000,\"s\":\"2000\"}\n"	/* bad_status */
	    "{\"t\":1}\n"					/* bad_timestamp */
	    "{}\n"						/* no_ts_key */
	    "nope\n"						/* not_json */
	    "{\"ts\":1700000000,\"d\":[1]}\n"		/* bad_field */
	    "{\"ts\":1700000000,\"d\":\"-1\"}\n";		/* bad_dur */
	static const char *const maps[] = { "dur=d", "status=s", "route=r" };
	struct parser_opt o;
	struct trailer in;
	struct got g;
	struct diag d;
	struct parser *p;

	memset(&o, 0, sizeof(o));
	o.format = "json";
	o.fields = maps;
	o.nfields = 3;
	p = mk(&o);
	memset(&g, 0, sizeof(g));
	diag_clear(&d);
	is_int(parser_buffer(p, S(txt), "j", collect, &g, &in, &d), 0,
	    "json: read");
	is_int(g.n, 1, "json: one event");
	ok(g.has_dur[0] && g.dur[0].sec == 0 && g.dur[0].nsec == 100000000 &&
	    g.dur[0].digits == 1, "json: dur 0.1 exactly");
	ok(in.reasons[SKIP_BAD_STATUS].count == 2 &&
	    in.reasons[SKIP_BAD_STATUS].first_line == 2 &&
	    in.reasons[SKIP_BAD_TIMESTAMP].count == 1 &&
	    in.reasons[SKIP_NO_TS_KEY].count == 1 &&
	    in.reasons[SKIP_NOT_JSON].count == 1 &&
	    in.reasons[SKIP_NOT_JSON].first_line == 6 &&
	    in.reasons[SKIP_BAD_FIELD].count == 1 &&
	    in.reasons[SKIP_BAD_DUR].count == 1 && in.skipped == 7,
	    "json: every skipped line under its code");
	ok(parser_reason(p, SKIP_BAD_STATUS) != NULL &&
	    strstr(parser_reason(p, SKIP_BAD_STATUS), "100-599, got \"99\"") !=
	    NULL, "bad_status: %s", parser_reason(p, SKIP_BAD_STATUS));
	trailer_free(&in);
	parser_free(p);

	/* --field is -f json's only. */
	o.format = "ts";
	diag_clear(&d);
	ok(parser_new(&o, &d) == NULL && d.code == DIAG_USAGE &&
	    strstr(d.msg, "only with -f json") != NULL, "--field with -f ts");
}

int
main(void)
{
	test_json_status();
	test_counts();
	test_first_skipped_cut();
	test_kind_dur();
	test_strict_stop();
	test_limits();
	test_new_errors();
	return done_testing();
}
