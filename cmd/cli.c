#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

const char *cli_prog = "skew";
int cli_quiet;

void
cli_init(const char *progname)
{
	const char *slash = strrchr(progname, '/');

	cli_prog = slash ? slash + 1 : progname;
}

static void
vmsg(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", cli_prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
cli_warn(const char *fmt, ...)
{
	va_list ap;

	if (cli_quiet)
		return;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

void
cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

void
cli_diag(const struct diag *d)
{
	const char *msg = d->msg[0] ? d->msg : diag_name(d->code);

	if (d->src != NULL && d->line > 0)
		cli_error("%s:%lu: %s%s%s", d->src, d->line, msg,
		    d->err ? ": " : "", d->err ? strerror(d->err) : "");
	else if (d->src != NULL)
		cli_error("%s: %s%s%s", d->src, msg,
		    d->err ? ": " : "", d->err ? strerror(d->err) : "");
	else
		cli_error("%s%s%s", msg,
		    d->err ? ": " : "", d->err ? strerror(d->err) : "");
}

int
cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", cli_prog);
	return EXIT_INVALID;
}

void
cli_version(void)
{
	printf("%s %s\n", cli_prog, SKEW_VERSION);
}

int
cli_color(const char *when, FILE *fp)
{
	const char *nc;

	if (when == NULL || strcmp(when, "auto") == 0)
		return isatty(fileno(fp)) &&
		    ((nc = getenv("NO_COLOR")) == NULL || *nc == '\0');
	if (strcmp(when, "always") == 0)
		return 1;
	if (strcmp(when, "never") == 0)
		return 0;
	return -1;
}

int
cli_long(const char *s, long min, long max, long *out, const char **why)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0') {
		*why = "not a whole number";
		return -1;
	}
	if (errno == ERANGE || v < min || v > max) {
		*why = "out of range";
		return -1;
	}
	*out = v;
	return 0;
}
