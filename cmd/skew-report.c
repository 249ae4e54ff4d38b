/*
 * skew-report: the fit document (skew-fit's JSON) as something to read or
 * look at: text for a terminal, Markdown, one self-contained HTML page, or
 * one SVG plot.  It never needs the logs again: a saved fit.json is a
 * reproducible report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "cli.h"
#include "base/diag.h"
#include "fitdoc.h"
#include "base/jsonout.h"
#include "opt.h"
#include "input.h"
#include "report.h"

/* A fit document is a few hundred kilobytes at most (512 points a series);
 * past this it is not one, and reading on would only exhaust memory. */
#define INPUT_MAX	(256UL * 1024 * 1024)

/* The line and column of p in buf, for a JSON syntax error. */
static void
where(const char *buf, const char *p, unsigned long *line, size_t *col)
{
	*line = 1;
	*col = 1;
	for (const char *s = buf; s < p && *s; s++) {
		if (*s == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

/* Render the document at path ("-": standard input), named name, as o
 * asks: the exit status. */
static int
render(const char *path, const char *name, struct report_opt *o)
{
	struct report_input in;
	struct input_text text;
	struct diag d;
	struct jsonout w;
	char *buf;
	size_t len;
	cJSON *fit;
	struct analysis a;
	int rc;

	diag_clear(&d);
	if (input_slurp(path, name, INPUT_MAX, &text, &d) == -1)
		return cli_fail(&d);
	buf = text.s;
	len = text.n;
	diag_clear(&d);
	d.src = name;
	d.line = 0;
	if ((fit = cJSON_ParseWithLength(buf, len)) == NULL) {
		const char *at = cJSON_GetErrorPtr();

		if (at != NULL && at >= buf && at <= buf + len)
			where(buf, at, &d.line, &d.col);
		if (len == 0)
			diag_set(&d, DIAG_JSON, "expected a fit document "
			    "(skew-fit's JSON), got an empty input");
		else
			diag_set(&d, DIAG_JSON, "column %zu: expected JSON "
			    "(skew-fit's document)", d.col);
		free(buf);
		return cli_fail(&d);
	}
	in.name = name;
	in.bytes = text.bytes;
	in.sha256 = text.sha256;
	o->inputs = &in;
	o->ninputs = 1;
	jsonout_init(&w, stdout);
	rc = fitdoc_read(fit, &a, &d);
	cJSON_Delete(fit);
	free(buf);
	if (rc == 0) {
		rc = report_render(&a, o, &w, &d);
		analysis_free(&a);
	}
	if (rc == -1)
		rc = cli_fail(&d);
	else if (jsonout_flush(&w) == -1)
		rc = cli_write_error(w.err);
	else
		rc = EXIT_OK;
	jsonout_free(&w);
	return rc;
}

/* The one document named (or standard input) rendered: the exit status. */
static int
report_all(const struct opts *o, int argc, char *argv[])
{
	struct report_opt ro = { .to = (enum report_to)o->to };
	const char *path = argc == 1 ? argv[0] : "-";

	if (argc > 1)
		return cli_usage_error("one fit document expected, got %d",
		    argc);
	ro.plot = o->plot;
	ro.run = o->plot_run;
	ro.color = o->to == REPORT_TEXT && cli_color(o->color, stdout) == 1;
	/* The options as given, file name included, for the provenance:
	 * getopt has put the operands last. */
	ro.options = (const char *const *)(argv - optind + 1);
	ro.noptions = (size_t)(optind + argc - 1);
	return render(path, strcmp(path, "-") == 0 ? CLI_STDIN : path, &ro);
}

int
main(int argc, char *argv[])
{
	return opt_main(&opt_skew_report, argc, argv, report_all);
}
