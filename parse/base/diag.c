#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"

static const char *const names[DIAG_NCODES] = {
	[DIAG_OK] = "no error",
	[DIAG_IO] = "input/output error",
	[DIAG_NOMEM] = "out of memory",
	[DIAG_USAGE] = "usage error",
	[DIAG_PATTERN] = "invalid pattern",
	[DIAG_TS] = "invalid timestamp",
	[DIAG_NOMATCH] = "line does not match the format",
	[DIAG_TOOLONG] = "line too long",
	[DIAG_JSON] = "invalid record",
	[DIAG_DATA] = "cannot analyse the data",
};

const char *
diag_name(enum diag_code code)
{
	if ((unsigned)code >= DIAG_NCODES || names[code] == NULL)
		return "unknown error";
	return names[code];
}

void
diag_clear(struct diag *d)
{
	if (d == NULL)
		return;
	d->code = DIAG_OK;
	d->err = 0;
	d->src = NULL;
	d->line = 0;
	d->col = 0;
	d->msg[0] = '\0';
}

int
diag_set(struct diag *d, enum diag_code code, const char *fmt, ...)
{
	va_list ap;

	if (d == NULL)
		return -1;
	d->code = code;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return -1;
}

char *
diag_quote(char *out, size_t outsz, const char *s, size_t n, size_t max)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	size_t lim = n < max ? n : max;

	if (outsz == 0)
		return out;
	for (size_t i = 0; i < lim; i++) {
		unsigned char c = (unsigned char)s[i];

		/* Room for "\xHH", "..." and the NUL. */
		if (o + 8 > outsz)
			break;
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			out[o++] = (char)c;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	if (n > max && o + 4 <= outsz) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}
