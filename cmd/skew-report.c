/*
 * skew-report: the fit document (skew-fit's JSON) as something to read or
 * look at: text for a terminal, Markdown, one self-contained HTML page, or
 * one SVG plot.  It never needs the logs again: a saved fit.json is a
 * reproducible report.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <openssl/evp.h>

#include "cli.h"
#include "diag.h"
#include "fitdoc.h"
#include "jw.h"
#include "report.h"

/* A fit document is a few hundred kilobytes at most (512 points a series);
 * past this it is not one, and reading on would only exhaust memory. */
#define INPUT_MAX	(256UL * 1024 * 1024)

enum { OPT_COLOR = 256, OPT_VERSION };

static const struct option longopts[] = {
	{ "to", required_argument, NULL, 't' },
	{ "plot", required_argument, NULL, 'p' },
	{ "run", required_argument, NULL, 'r' },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "colour", required_argument, NULL, OPT_COLOR },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: skew-report [-hq] [-t text|markdown|html|svg]\n"
	    "                   [-p rank|spread|inflight|usl] [-r N]\n"
	    "                   [--color=auto|always|never] [--version] "
	    "[FIT.json | -]\n"
	    "\n"
	    "Render skew-fit's document for people: a terminal summary\n"
	    "(text), Markdown tables, one self-contained HTML page with SVG\n"
	    "plots, or one SVG plot.\n"
	    "\n"
	    "  -t, --to FORMAT    text (default), markdown, html or svg\n"
	    "  -p, --plot NAME    the plot of -t svg: rank, spread (default),\n"
	    "                     inflight or usl; alone it implies -t svg\n"
	    "  -r, --run N        rank and inflight plots: run N only\n"
	    "                     (default: every run, overlaid)\n"
	    "      --color WHEN   colour the text: auto (default: a terminal\n"
	    "                     and NO_COLOR unset), always or never\n"
	    "  -q, --quiet        errors only\n"
	    "  -h, --help         this text\n"
	    "      --version      the version\n"
	    "\n"
	    "Exit status: 0 success, 2 usage error or invalid input\n"
	    "(including a plot that the document cannot give).\n");
}

/* The whole input, NUL-terminated; *len its size.  NULL with errno set. */
static char *
slurp(FILE *fp, size_t *len)
{
	char *buf = NULL, *p;
	size_t n = 0, cap = 0;

	for (;;) {
		size_t got;

		if (cap - n < 65536 + 1) {
			if (cap > INPUT_MAX) {
				free(buf);
				errno = EFBIG;
				return NULL;
			}
			cap = cap ? cap * 2 : 65536 * 2;
			if ((p = realloc(buf, cap)) == NULL) {
				free(buf);
				errno = ENOMEM;
				return NULL;
			}
			buf = p;
		}
		got = fread(buf + n, 1, cap - n - 1, fp);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		int e = errno ? errno : EIO;

		free(buf);
		errno = e;
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* SHA-256 of buf as 64 hex digits into hex (65 bytes); -1 on failure. */
static int
sha256_hex(const char *buf, size_t len, char *hex)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (EVP_Digest(buf, len, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen != 32)
		return -1;
	for (unsigned int i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return 0;
}

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

int
main(int argc, char *argv[])
{
	struct report_opt o = { .to = REPORT_TEXT };
	struct report_input in;
	struct diag d;
	struct jw w;
	const char *to = NULL, *color = "auto", *name;
	char hex[65], *buf;
	size_t len;
	cJSON *fit;
	struct analysis a;
	FILE *fp;
	long v;
	const char *why;
	int ch, rc;

	cli_init(argv);
	/* getopt's own messages would name the program by its path: the
	 * errors are worded here instead, in the one form of cli_*. */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":t:p:r:qh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 't':
			to = optarg;
			break;
		case 'p':
			o.plot = optarg;
			break;
		case 'r':
			if (cli_long(optarg, 1, 1000000000, &v, &why) == -1)
				return cli_usage_error("--run is %s: %s",
				    optarg, why);
			o.run = (int)v;
			break;
		case OPT_COLOR:
			color = optarg;
			break;
		case 'q':
			cli_quiet = 1;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case OPT_VERSION:
			cli_version();
			return EXIT_OK;
		case ':':
			return cli_usage_error("%s: expected an argument",
			    argv[optind - 1]);
		default:
			if (optopt != 0)
				return cli_usage_error("-%c: unknown option",
				    optopt);
			return cli_usage_error("%s: unknown option",
			    argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;

	if (to == NULL)
		o.to = o.plot != NULL ? REPORT_SVG : REPORT_TEXT;
	else if (strcmp(to, "text") == 0)
		o.to = REPORT_TEXT;
	else if (strcmp(to, "markdown") == 0 || strcmp(to, "md") == 0)
		o.to = REPORT_MARKDOWN;
	else if (strcmp(to, "html") == 0)
		o.to = REPORT_HTML;
	else if (strcmp(to, "svg") == 0)
		o.to = REPORT_SVG;
	else
		return cli_usage_error("--to is %s: expected text, markdown, "
		    "html or svg", to);
	if (o.plot != NULL && o.to != REPORT_SVG)
		return cli_usage_error("--plot %s: only with -t svg (-t html "
		    "draws every plot)", o.plot);
	if (o.plot != NULL) {
		size_t k;

		for (k = 0; report_plots[k] != NULL; k++)
			if (strcmp(o.plot, report_plots[k]) == 0)
				break;
		if (report_plots[k] == NULL)
			return cli_usage_error("--plot is %s: expected rank, "
			    "spread, inflight or usl", o.plot);
	}
	if (o.run != 0 && (o.to != REPORT_SVG || o.plot == NULL ||
	    (strcmp(o.plot, "rank") != 0 && strcmp(o.plot, "inflight") != 0)))
		return cli_usage_error("--run %d: only with --plot rank or "
		    "--plot inflight", o.run);
	if ((rc = cli_color(color, stdout)) == -1)
		return cli_usage_error("--color is %s: expected auto, always "
		    "or never", color);
	o.color = o.to == REPORT_TEXT && rc == 1;
	if (argc > 1)
		return cli_usage_error("one fit document expected, got %d",
		    argc);

	if (argc == 0 || strcmp(argv[0], "-") == 0) {
		name = "<stdin>";
		fp = stdin;
	} else {
		name = argv[0];
		if ((fp = fopen(name, "rb")) == NULL) {
			cli_error("%s: %s", name, strerror(errno));
			return EXIT_INVALID;
		}
	}
	buf = slurp(fp, &len);
	if (fp != stdin)
		fclose(fp);
	if (buf == NULL) {
		cli_error("%s: %s", name, strerror(errno));
		return EXIT_INVALID;
	}
	if (sha256_hex(buf, len, hex) == -1) {
		free(buf);
		cli_error("%s: cannot compute SHA-256", name);
		return EXIT_INVALID;
	}
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
		cli_diag(&d);
		free(buf);
		return EXIT_INVALID;
	}
	in.name = name;
	in.bytes = len;
	in.sha256 = hex;
	o.inputs = &in;
	o.ninputs = 1;
	/* The options as given, file name included, for the provenance. */
	o.options = (const char *const *)(argv - optind + 1);
	o.noptions = (size_t)(optind + argc - 1);

	jw_init(&w, stdout);
	rc = fitdoc_read(fit, &a, &d);
	cJSON_Delete(fit);
	free(buf);
	if (rc == 0) {
		rc = report_render(&a, &o, &w, &d);
		analysis_free(&a);
	}
	if (rc == -1) {
		jw_free(&w);
		cli_diag(&d);
		return EXIT_INVALID;
	}
	if (jw_flush(&w) == -1) {
		cli_error("standard output: %s", strerror(w.err));
		jw_free(&w);
		return EXIT_INVALID;
	}
	jw_free(&w);
	return EXIT_OK;
}
