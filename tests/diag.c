#include <string.h>

#include "base/diag.h"
#include "tap.h"

int
main(void)
{
	struct diag d;
	char q[64];

	/* Garbage first: diag_clear must leave nothing of it. */
	memset(&d, 0x5a, sizeof(d));
	diag_clear(&d);
	ok(d.code == DIAG_OK && d.err == 0 && d.src == NULL && d.line == 0 &&
	    d.col == 0 && d.msg[0] == '\0', "diag_clear resets every field");
	d.src = "server.log";
	d.line = 17;
	is_int(diag_set(&d, DIAG_TS, "month %d out of range", 13), -1,
	    "diag_set returns -1");
	is_str(d.msg, "month 13 out of range", "diag_set formats the message");
	ok(d.src != NULL && strcmp(d.src, "server.log") == 0 && d.line == 17,
	    "diag_set keeps the source and line");
	is_int(diag_set(NULL, DIAG_IO, "x"), -1, "diag_set(NULL) is harmless");
	is_str(diag_name(DIAG_TS), "invalid timestamp", "a code's word");
	is_str(diag_name((enum diag_code)999), "unknown error",
	    "an unknown code's word");
	is_str(diag_quote(q, sizeof(q), "PID\t12\xff", 7, 40), "PID\\x0912\\xff",
	    "diag_quote escapes controls and non-ASCII");
	is_str(diag_quote(q, sizeof(q), "abcdefgh", 8, 3), "abc...",
	    "diag_quote cuts at max and says so");
	/* Each byte needs room for its worst case ("\\xHH"), "..." and the
	 * NUL: 8 bytes hold one character, never a cut escape. */
	is_str(diag_quote(q, 8, "abcdefgh", 8, 40), "a",
	    "diag_quote stops where a worst-case escape would not fit");
	return done_testing();
}
