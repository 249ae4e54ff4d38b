/*
 * skew-parse: log lines -> NDJSON (or TSV) events, one trailer per input.
 * Messages and exit statuses live here, the options in opt.c; the work is
 * in parse/.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "event.h"
#include "opt.h"
#include "parser.h"
#include "trailer.h"

static int
on_rec(void *ctx, const struct record *r)
{
	return event_write(ctx, r);
}

/* Every input in turn: the exit status. */
static int
parse_all(const struct opts *o, int argc, char *argv[])
{
	struct parser *p;
	struct event_writer ev;
	struct diag d;
	int status = EXIT_OK;

	diag_clear(&d);
	if ((p = parser_new(&o->logs, &d)) == NULL)
		return cli_fail(&d);
	/* Not while the events stream to the same terminal. */
	parser_set_progress(p, cli_progress_start(isatty(STDOUT_FILENO), argc,
	    argv, 0, NULL));
	event_init(&ev, stdout, o->tsv);
	/* Without a thread the events are written all the same. */
	(void)event_async(&ev);
	for (int i = 0; i < (argc > 0 ? argc : 1); i++) {
		const char *path = argc > 0 ? argv[i] : "-";
		const char *name = strcmp(path, "-") == 0 ?
		    (o->logs.source ? o->logs.source : CLI_STDIN) : path;
		struct trailer in;
		int rc;

		if (event_begin(&ev, name) == -1)
			break;
		rc = parser_input(p, path, name, on_rec, &ev, &in, &d);
		/* The trailer only for an input read to its end: its
		 * bytes and SHA-256 must describe the whole of it. */
		if (in.sha256[0] != '\0')
			event_trailer(&ev, &in);
		/* Out per input, so a pipeline sees each input whole; and
		 * no summary of events that could not be written. */
		event_finish(&ev);
		if (ev.w.err != 0) {
			trailer_free(&in);
			break;
		}
		if (in.sha256[0] != '\0')
			cli_parse_summary(&in, p);
		if (rc == -1)
			status = cli_fail(&d);
		trailer_free(&in);
		/* --strict stops everything at the first skipped line;
		 * so does a pattern that cannot be matched. */
		if (rc == -1 && ((o->logs.strict && d.line > 0) ||
		    d.code == DIAG_PATTERN || d.code == DIAG_NOMEM))
			break;
	}
	cli_progress_end();
	if (ev.w.err != 0)
		status = cli_write_error(ev.w.err);
	event_free(&ev);
	parser_free(p);
	return status;
}

int
main(int argc, char *argv[])
{
	return opt_main(&opt_skew_parse, argc, argv, parse_all);
}
