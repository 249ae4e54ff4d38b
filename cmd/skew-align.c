/*
 * skew-align: events -> requests, grouped in runs.
 *
 * Reads skew-parse's event NDJSON from the files named (or standard input),
 * aligns them with analyze/align.c and writes request NDJSON (analyze/reqw.c).
 * Any fault in the input stops it with exit 2 and no output: a partial set
 * of events would give wrong runs, which is worse than none.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "align.h"
#include "cli.h"
#include "dur.h"
#include "jw.h"
#include "reqw.h"

static const char usage_text[] =
    "usage: skew-align [-q] [--strict] [-g DURATION] [-o DURATION|auto]\n"
    "                  [file ...]\n"
    "Read skew-parse events, split them into runs and pair starts with ends;\n"
    "write one request record per line (NDJSON).\n"
    "\n"
    "  -g, --gap DURATION     split runs where the next event is more than\n"
    "                         DURATION away (default: read from the data)\n"
    "  -o, --offset DURATION  add DURATION to every start event's time\n"
    "  -o, --offset auto      the smallest offset that makes every pair nest\n"
    "  -q, --quiet            errors only\n"
    "      --strict           exit 2 when an input's events came without\n"
    "                         its trailer (its source did not finish)\n"
    "  -h, --help             this text\n"
    "      --version          the version\n"
    "\n"
    "DURATION: seconds (1.5) or a number with a unit: ns, us, ms, s, m, h.\n"
    "file '-' or none: standard input.\n";

static void
usage(FILE *fp)
{
	fputs(usage_text, fp);
}

static int
add_line(void *ctx, const char *line, size_t n, struct diag *d)
{
	return aln_add_line(ctx, line, n, d);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "gap", required_argument, NULL, 'g' },
		{ "offset", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "strict", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct aln_opt o;
	struct aln_stats st;
	struct aln *a;
	struct reqset rs;
	struct diag d;
	struct jw w;
	uint64_t blank = 0;
	int ch, rc = EXIT_OK, strict = 0;

	cli_init(argv);
	memset(&o, 0, sizeof(o));
	diag_clear(&d);
	while ((ch = getopt_long(argc, argv, "g:o:qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'g':
			if (dur_parse(optarg, 0, &o.gap, &d) == -1)
				return cli_usage_error("--gap is %s: %s", optarg,
				    d.msg);
			o.gap_given = 1;
			break;
		case 'o':
			if (strcmp(optarg, "auto") == 0) {
				o.offset_mode = ALN_OFFSET_AUTO;
				break;
			}
			if (dur_parse(optarg, 1, &o.offset, &d) == -1)
				return cli_usage_error("--offset is %s: %s "
				    "(or \"auto\")", optarg, d.msg);
			o.offset_mode = ALN_OFFSET_GIVEN;
			break;
		case 'q':
			cli_quiet = 1;
			break;
		case 'S':
			strict = 1;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			cli_version();
			return EXIT_OK;
		default:
			return cli_try_help();
		}
	}
	argc -= optind;
	argv += optind;

	if ((a = aln_new(&o, &d)) == NULL) {
		cli_diag(&d);
		return EXIT_INVALID;
	}
	if (argc == 0)
		rc = cli_ndjson("-", add_line, a, &blank);
	for (int i = 0; i < argc && rc == EXIT_OK; i++)
		rc = cli_ndjson(argv[i], add_line, a, &blank);
	if (rc != EXIT_OK)
		goto out;
	diag_clear(&d);
	if (aln_finish(a, &rs, &d) == -1) {
		cli_diag(&d);
		rc = EXIT_INVALID;
		goto out;
	}
	if (cli_incomplete(&rs, strict) == -1) {
		rc = EXIT_INVALID;
		reqset_free(&rs);
		goto out;
	}
	jw_init(&w, stdout);
	if (reqw_write(&rs, &w) == -1) {
		cli_error("standard output: %s", strerror(w.err));
		rc = EXIT_INVALID;
	}
	jw_free(&w);
	aln_stats(a, &st);
	cli_align_summary(&rs, &st, o.offset_mode, blank);
	reqset_free(&rs);
out:
	aln_free(a);
	return rc;
}
