/*
 * fuzz/tz.c: --tz names, and naive times read in the zone they name.  The
 * input's first line is the name (up to its first NUL, at most 64 bytes);
 * each later line (at most 16) is a timestamp read with TS_AUTO in that
 * zone, as skew-parse reads a naive time under --tz; then the name goes
 * through parser_new() as skew-parse's --tz does.
 *
 * A zone name is a path under the zone data (parse/base/ts.c reads
 * $TZDIR/NAME, and the C library reads it again under TZ=NAME), so this
 * target never lets a name reach the library that could read a file
 * outside /usr/share/zoneinfo: TZDIR is set to it at start, and a name
 * other than UTC, Z or an offset (+..., -...) is passed on only when it
 * is made of [A-Za-z0-9/_+-], is relative, holds no "..", and resolves
 * (realpath, symlinks followed) to a path inside the real
 * /usr/share/zoneinfo, or does not exist at all (then it is only
 * stat()ed, and refused).  The library's own check (zone_name_ok) is not
 * relied on: the filter here holds whatever the library does.
 *
 * What must hold: a name is a zone or is refused with DIAG_USAGE and a
 * message; a time read in a zone is in range, only flagged as a fold or a
 * gap, and reads back the same from its UTC ISO text; a fixed offset
 * zone moves a time by exactly its offset (the same text with the offset
 * written on it reads the same instant).
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "parser.h"
#include "base/ts.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ZONEINFO	"/usr/share/zoneinfo"
#define NAME_MAX_	64
#define NLINES		16

static char root[PATH_MAX];	/* the real path of ZONEINFO */

/* 1 when name may be handed to the library (see above). */
static int
allowed(const char *name)
{
	char path[PATH_MAX], real[PATH_MAX];
	size_t len = strlen(root);

	if (strcmp(name, "UTC") == 0 || strcmp(name, "Z") == 0 ||
	    name[0] == '+' || name[0] == '-')
		return 1;
	if (name[0] == '\0' || name[0] == '/' || strstr(name, "..") != NULL)
		return 0;
	for (const char *c = name; *c != '\0'; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		    (*c >= '0' && *c <= '9') || *c == '/' || *c == '_' ||
		    *c == '-' || *c == '+'))
			return 0;
	snprintf(path, sizeof(path), "%s/%s", ZONEINFO, name);
	if (realpath(path, real) == NULL)
		return errno == ENOENT || errno == ENOTDIR;
	return strncmp(real, root, len) == 0 && real[len] == '/';
}

/* A time read in zone z: in range, flags known, and the same instant
 * from its UTC ISO text. */
static void
check(const char *s, size_t n, struct ts_zone *z)
{
	struct ts_opt o = { .form = TS_AUTO, .zone = z, .year = 2024 };
	struct ts_opt iso = { .form = TS_ISO };
	char buf[TS_ISO_MAX];
	struct diag d;
	struct ts t, u;

	diag_clear(&d);
	if (ts_parse(s, n, &o, &t, &d) == -1) {
		if (d.msg[0] == '\0')
			abort();
		return;
	}
	if (t.sec < 0 || t.sec > INT64_C(253402300799) || t.nsec < 0 ||
	    t.nsec > 999999999 || (t.flags & ~(TS_FFOLD | TS_FGAP)) != 0)
		abort();
	ts_iso(&t, buf);
	if (ts_parse(buf, strlen(buf), &iso, &u, &d) == -1 ||
	    ts_cmp(&t, &u) != 0)
		abort();
}

/* A fixed offset: "YYYY-MM-DD HH:MM:SS" in the zone is the same instant
 * as that text with the offset written after it. */
static void
fixed(const char *name, const char *s, size_t n, struct ts_zone *z)
{
	struct ts_opt o = { .form = TS_ISO, .zone = z };
	struct ts_opt plain = { .form = TS_ISO };
	char buf[64];
	struct diag d;
	struct ts t, u;
	int rt, ru;

	if (n != 19 || (name[0] != '+' && name[0] != '-') ||
	    strlen(name) > 6)
		return;
	snprintf(buf, sizeof(buf), "%.*s%s", (int)n, s, name);
	rt = ts_parse(s, n, &o, &t, &d);
	ru = ts_parse(buf, strlen(buf), &plain, &u, &d);
	if (rt == 0 && ru == 0 && ts_cmp(&t, &u) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char name[NAME_MAX_ + 1];
	struct ts_zone *z;
	struct parser_opt po;
	struct parser *p;
	struct diag d;
	size_t pos = 0, n, k;
	const char *s;

	if (root[0] == '\0') {
		if (setenv("TZDIR", ZONEINFO, 1) == -1 ||
		    realpath(ZONEINFO, root) == NULL)
			abort();
	}
	if (!fz_line(data, size, &pos, &s, &n))
		return 0;
	n = n < NAME_MAX_ ? n : NAME_MAX_;
	memcpy(name, s, n);
	name[n] = '\0';
	if (!allowed(name))
		return 0;
	diag_clear(&d);
	if ((z = ts_zone_new(name, &d)) == NULL) {
		if (d.msg[0] == '\0' || (d.code != DIAG_USAGE &&
		    d.code != DIAG_NOMEM))
			abort();
		return 0;
	}
	for (k = 0; k < NLINES && fz_line(data, size, &pos, &s, &n); k++) {
		check(s, n, z);
		fixed(name, s, n, z);
	}
	ts_zone_free(z);
	memset(&po, 0, sizeof(po));
	po.tz = name;
	diag_clear(&d);
	if ((p = parser_new(&po, &d)) == NULL)
		abort();
	parser_free(p);
	return 0;
}
