// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_fsafe.c - the file checks of src/fsafe.c: scripts a root daemon may
 * run (the refusals that need no root; tests/integration/test_hooks.sh has
 * the ownership ones) and files that may hold a secret.
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

#include "src/fsafe.h"

#define SH "/bin/sh"

struct fx {
	char dir[64];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/test_fsafe.XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];
	int ret;

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	ret = system(cmd);
	free(f);
	return ret;
}

static void test_check_script(void **state)
{
	struct fx *f = *state;
	char err[256], small[12], path[128];
	struct stat st;
	int fd;

	assert_int_equal(fsafe_check_script("ip-up", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "ip-up: not an absolute path");
	assert_int_equal(fsafe_check_script(NULL, err, sizeof(err)), -EINVAL);
	assert_int_equal(fsafe_check_script("", NULL, 0), -EINVAL);
	snprintf(path, sizeof(path), "%s/missing", f->dir);
	assert_int_equal(fsafe_check_script(path, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "No such file or directory"));
	assert_int_equal(fsafe_check_script(f->dir, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a regular file"));

	snprintf(path, sizeof(path), "%s/script", f->dir);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	close(fd);
	chmod(path, 0644);
	assert_int_equal(fsafe_check_script(path, err, sizeof(err)), -EACCES);
	assert_non_null(strstr(err, "not executable (mode 0644)"));
	/* Truncated, still a string. */
	assert_int_equal(fsafe_check_script(path, small, sizeof(small)), -EACCES);
	assert_int_equal(strlen(small), sizeof(small) - 1);

	chmod(path, 0755);
	if (getuid() != 0) {
		assert_int_equal(fsafe_check_script(path, err, sizeof(err)), -EPERM);
		assert_non_null(strstr(err, "not root"));
	} else {
		assert_int_equal(fsafe_check_script(path, err, sizeof(err)), 0);
		assert_string_equal(err, "");
		chmod(path, 0775);
		assert_int_equal(fsafe_check_script(path, err, sizeof(err)), -EPERM);
		assert_non_null(strstr(err, "writable by group (mode 0775)"));
		chmod(path, 0755);
		assert_int_equal(chown(path, 65534, 65534), 0);
		assert_int_equal(fsafe_check_script(path, err, sizeof(err)), -EPERM);
		assert_non_null(strstr(err, "owned by uid 65534, not root"));
	}
	/* A root-owned system shell in a root-owned directory passes. */
	if (stat(SH, &st) == 0 && st.st_uid == 0 && !(st.st_mode & 022))
		assert_int_equal(fsafe_check_script(SH, err, sizeof(err)), 0);
}

/* A secret file: regular, and nobody but its owner may touch it. */
static void test_check_secret(void **state)
{
	static const unsigned int shared[] = { 0640, 0604, 0620, 0602, 0610, 0601, 0644 };
	struct fx *f = *state;
	unsigned int mode;
	char path[128];
	size_t i;
	int fd;

	snprintf(path, sizeof(path), "%s/secret", f->dir);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	close(fd);
	chmod(path, 0600);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	mode = 1;
	assert_int_equal(fsafe_check_secret(fd, &mode), 0);
	assert_int_equal(mode, 1); /* untouched */
	for (i = 0; i < sizeof(shared) / sizeof(shared[0]); i++) {
		chmod(path, shared[i]);
		assert_int_equal(fsafe_check_secret(fd, &mode), -EPERM);
		assert_int_equal(mode, shared[i]);
	}
	chmod(path, 0700);
	assert_int_equal(fsafe_check_secret(fd, &mode), 0);
	close(fd);

	fd = open(f->dir, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(fsafe_check_secret(fd, &mode), -EINVAL);
	close(fd);
	assert_int_equal(fsafe_check_secret(-1, &mode), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_check_script, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_secret, setup, teardown),
	};

	return cmocka_run_group_tests_name("fsafe", tests, NULL, NULL);
}
