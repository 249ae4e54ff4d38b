/*
 * skew-report: the fit document (skew-fit's JSON) as something to read or
 * look at: text for a terminal, Markdown, one self-contained HTML page, or
 * one SVG plot.  It never needs the logs again: a saved fit.json is a
 * reproducible report.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>
#include <openssl/evp.h>

#include "cli.h"
#include "diag.h"
#include "jw.h"
#include "opt.h"
#include "report.h"

/* A fit document is a few hundred kilobytes at most (512 points a series);
 * past this it is not one, and reading on would only exhaust memory. */
#define INPUT_MAX	(256UL * 1024 * 1024)

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

/* Render the document of the input named as o asks: the exit status. */
static int
render(const char *name, FILE *fp, struct report_opt *o)
{
	struct report_input in;
	struct diag d;
	struct jw w;
	char hex[65], *buf;
	size_t len;
	cJSON *fit;
	int rc;

	buf = slurp(fp, &len);
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
		free(buf);
		return cli_fail(&d);
	}
	in.name = name;
	in.bytes = len;
	in.sha256 = hex;
	o->inputs = &in;
	o->ninputs = 1;
	jw_init(&w, stdout);
	rc = report_render(fit, o, &w, &d);
	cJSON_Delete(fit);
	free(buf);
	if (rc == -1)
		rc = cli_fail(&d);
	else if (jw_flush(&w) == -1)
		rc = cli_write_error(w.err);
	else
		rc = EXIT_OK;
	jw_free(&w);
	return rc;
}

/* The one document named (or standard input) rendered: the exit status. */
static int
report_all(const struct opts *o, int argc, char *argv[])
{
	struct report_opt ro = { .to = (enum report_to)o->to };
	const char *name = CLI_STDIN;
	FILE *fp = stdin;
	int rc;

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
	if (argc == 1 && strcmp(argv[0], "-") != 0) {
		name = argv[0];
		if ((fp = fopen(name, "rb")) == NULL) {
			cli_error("%s: %s", name, strerror(errno));
			return EXIT_INVALID;
		}
	}
	rc = render(name, fp, &ro);
	if (fp != stdin)
		fclose(fp);
	return rc;
}

int
main(int argc, char *argv[])
{
	return opt_main(&opt_skew_report, argc, argv, report_all);
}
