// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_statefile.c - crash recovery records: what a run records is what
 * the next start gets, and a record whose PADT could not be sent is kept.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "src/statefile.h"

static const uint8_t our[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t ac[6] = { 0x02, 0xac, 0, 0, 0, 0x01 };

struct seen {
	uint16_t sids[16];
	unsigned int n;
	uint16_t refuse;        /* fail the record of this session id */
};

static int fn(void *ctx, const struct statefile_rec *rec)
{
	struct seen *s = ctx;

	assert_memory_equal(rec->our_mac, our, 6);
	assert_memory_equal(rec->ac_mac, ac, 6);
	assert_true(s->n < 16);
	s->sids[s->n++] = rec->session_id;
	return rec->session_id == s->refuse ? -ENOBUFS : 0;
}

static int open_tmp(char *path)
{
	int fd;

	strcpy(path, "/tmp/test_statefile.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	fd = statefile_open(path);
	assert_true(fd >= 0);
	return fd;
}

/* Every open session is recovered once; released ones are not. */
static void test_recover_all(void **state)
{
	struct seen s = { .refuse = 0 };
	unsigned int left = 99;
	char path[64];
	struct stat st;
	int fd = open_tmp(path);

	(void)state;
	statefile_put(fd, 0, our, ac, 0x101);
	statefile_put(fd, 1, our, ac, 0x102);
	statefile_put(fd, 3, our, ac, 0x104);
	statefile_clear(fd, 1);
	assert_int_equal(statefile_recover(fd, fn, &s, &left), 2);
	assert_int_equal(left, 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.sids[0], 0x101);
	assert_int_equal(s.sids[1], 0x104);
	/* All sent: the file is empty. */
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, 0);
	statefile_remove(fd, path);
}

/* A PADT that could not be sent keeps its record, and only that one. */
static void test_recover_keeps_unsent(void **state)
{
	struct seen s = { .refuse = 0x202 };
	unsigned int left = 0;
	char path[64];
	struct stat st;
	int fd = open_tmp(path);

	(void)state;
	statefile_put(fd, 0, our, ac, 0x201);
	statefile_put(fd, 1, our, ac, 0x202);
	statefile_put(fd, 2, our, ac, 0x203);
	assert_int_equal(statefile_recover(fd, fn, &s, &left), 2);
	assert_int_equal(left, 1);
	assert_int_equal(s.n, 3);
	assert_int_equal(fstat(fd, &st), 0);
	assert_true(st.st_size > 0);

	/* The next start gets exactly the unsent one. */
	memset(&s, 0, sizeof(s));
	assert_int_equal(statefile_recover(fd, fn, &s, &left), 1);
	assert_int_equal(left, 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.sids[0], 0x202);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, 0);
	statefile_remove(fd, path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recover_all),
		cmocka_unit_test(test_recover_keeps_unsent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
