#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strtab.h"
#include "tap.h"

/*
 * bytes_same() (base/bytes.h) against memcmp(): every length 0 to 90, the
 * two strings equal or differing in one byte at each place (by one bit, by the high
 * bit, a NUL against not), each in a heap buffer of its exact length, so
 * that ASan sees any read past it.
 */
static void
test_same(void)
{
	static const unsigned char flip[] = { 0x01, 0x80, 0xff };
	int wrong = 0, n = 0, differ = 0;

	for (size_t len = 0; len <= 90; len++)
		for (size_t at = 0; at <= len; at++)
			for (size_t f = 0; f < sizeof(flip); f++) {
				char *a = malloc(len + 1), *b = malloc(len + 1);
				int want, got;

				if (a == NULL || b == NULL)
					break;
				for (size_t k = 0; k < len; k++)
					a[k] = b[k] = (char)(k % 3 ? 'a' + k :
					    '\0');
				if (at < len)
					b[at] = (char)(b[at] ^ flip[f]);
				want = memcmp(a, b, len) == 0;
				got = bytes_same(a, b, len);
				if (got != want && wrong++ == 0)
					tap_diag("bytes_same: %zu bytes, "
					    "byte %zu ^ %#x: %d", len, at,
					    flip[f], got);
				differ += !want;
				n++;
				free(a);
				free(b);
			}
	is_int(wrong, 0, "bytes_same as memcmp on %d pairs (%d differ)", n,
	    differ);
}

/*
 * Strings that share their last eight bytes (so the same slot of the
 * table's recent strings) or differ only there, of every length 1 to 24,
 * interned in turns: each always to its own first pointer, no two alike.
 */
static void
test_recent(void)
{
	struct strtab *t = strtab_new();
	const char *first[3][25];
	char buf[32];
	int same = 1, distinct = 1;

	for (int round = 0; round < 3; round++)
		for (int k = 0; k < 3; k++)
			for (size_t n = 1; n <= 24; n++) {
				const char *p;

				/* "a..." "b..." "c...": one byte apart, at the
				 * start; then the same last 8 bytes. */
				memset(buf, 'x', n);
				memcpy(buf + (n > 8 ? n - 8 : 0), "12345678",
				    n > 8 ? 8 : n);
				buf[0] = (char)('a' + k);
				p = strtab_intern(t, buf, n);
				if (round == 0)
					first[k][n] = p;
				else if (p != first[k][n])
					same = 0;
				if (strtab_len(p) != n || memcmp(p, buf, n) != 0)
					distinct = 0;
			}
	for (size_t n = 1; n <= 24; n++)
		if (first[0][n] == first[1][n] || first[1][n] == first[2][n])
			distinct = 0;
	ok(same && distinct, "strings alike at their end: each to its own "
	    "pointer, in turns");
	is_int((long long)strtab_count(t), 3 * 24, "  and %d of them",
	    3 * 24);
	strtab_free(t);
}

int
main(void)
{
	struct strtab *t = strtab_new();
	const char *a, *b, *c, *first[1000];
	char buf[32];
	int same = 1, distinct = 1, status;
	pid_t pid;

	ok(t != NULL, "strtab_new");
	a = strtab_intern(t, "65432", 5);
	b = strtab_intern(t, "65432xyz", 5);
	c = strtab_intern(t, "123145499639808", 15);
	ok(a == b, "the same bytes give the same pointer");
	ok(a != c, "different bytes give different pointers");
	is_str(c, "123145499639808", "the copy is NUL-terminated");
	is_str(strtab_intern(t, "", 0), "", "the empty string interns");
	/* Identities are byte strings: a NUL is one byte among others. */
	a = strtab_intern(t, "a\0b", 3);
	b = strtab_intern(t, "a\0c", 3);
	ok(a != b, "a\\0b and a\\0c are two strings");
	ok(a == strtab_intern(t, "a\0bz", 3), "a\\0b interns to itself");
	ok(strtab_len(a) == 3 && memcmp(b, "a\0c", 4) == 0,
	    "the length counts the bytes after the NUL");
	ok(strtab_len(c) == 15 && strtab_len(strtab_intern(t, "", 0)) == 0,
	    "strtab_len of plain strings");
	/* Enough strings to grow the index several times; every pointer must
	 * survive the growth and still be found. */
	for (int i = 0; i < 1000; i++) {
		snprintf(buf, sizeof(buf), "tid-%d", i);
		first[i] = strtab_intern(t, buf, strlen(buf));
	}
	for (int i = 0; i < 1000; i++) {
		snprintf(buf, sizeof(buf), "tid-%d", i);
		if (strtab_intern(t, buf, strlen(buf)) != first[i])
			same = 0;
		if (strcmp(first[i], buf) != 0)
			distinct = 0;
	}
	ok(same, "pointers are stable across growth");
	ok(distinct, "every interned string keeps its bytes");
	is_int((long long)strtab_count(t), 1005, "count of distinct strings");
	/* Numbers: 1, 2, ... in the order first interned, each back to its
	 * string; 0 and past the count are NULL. */
	ok(strtab_id(strtab_intern(t, "65432", 5)) == 1 &&
	    strtab_id(c) == 2 && strtab_id(first[999]) == 1005,
	    "numbered in the order first interned");
	same = 1;
	for (int i = 0; i < 1000; i++)
		same &= strtab_str(t, strtab_id(first[i])) == first[i];
	ok(same && strtab_str(t, 2) == c, "each number gives its string");
	ok(strtab_str(t, 0) == NULL && strtab_str(t, 1006) == NULL,
	    "0 and a number past the count: NULL");
	/* strtab_intern_last: the same answers as strtab_intern, the last
	 * string tried first and kept. */
	{
		const char *last = NULL, *x, *y;

		x = strtab_intern_last(t, "65432", 5, &last);
		ok(x == strtab_intern(t, "65432", 5) && last == x,
		    "intern_last: the interned string, kept as the last");
		ok(strtab_intern_last(t, "65432", 5, &last) == x,
		    "intern_last: the same string again");
		ok(strtab_intern_last(t, "6543", 4, &last) ==
		    strtab_intern(t, "6543", 4) && last != x,
		    "intern_last: a prefix of the last is another string");
		y = strtab_intern_last(t, "a\0c", 3, &last);
		ok(y == strtab_intern(t, "a\0c", 3) &&
		    strtab_intern_last(t, "a\0b", 3, &last) ==
		    strtab_intern(t, "a\0b", 3) && last != y,
		    "intern_last: bytes after a NUL compared");
	}
	strtab_free(t);
	test_recent();
	test_same();
	/* In a child, so that a crash is a failed test rather than a test
	 * program that stops. */
	fflush(stdout);
	if ((pid = fork()) == 0) {
		strtab_free(NULL);
		_exit(0);
	}
	ok(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "strtab_free(NULL) does nothing");
	return done_testing();
}
