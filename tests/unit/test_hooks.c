// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_hooks.c - the hook runner with /bin/sh -c as the hook, in a small
 * epoll + timer wheel loop. The script checks are in test_fsafe.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "pppoe/log.h"
#include "pppoe/timer.h"
#include "pppoe/util.h"
#include "src/evloop.h"
#include "src/hooks.h"

#define SH "/bin/sh"

struct fx {
	struct evloop loop;
	struct hooks *h;
	char dir[64];
	int saved_stderr;
	char log_path[96];
};

/* loop - run the event loop for @ms, or until no hook is left (@idle) */
static void loop(struct fx *f, unsigned int ms, bool idle)
{
	uint64_t end = mono_ms() + ms;

	while (!(idle && !hooks_running(f->h))) {
		uint64_t now = mono_ms();

		if (now >= end)
			break;
		evloop_advance(&f->loop);
		assert_int_equal(evloop_run_once(&f->loop, (int)(end - now)), 0);
	}
}

/* capture_start/stop - send log lines to a file for a while */
static void capture_start(struct fx *f)
{
	int fd;

	fflush(stderr);
	f->saved_stderr = dup(2);
	fd = open(f->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0 && f->saved_stderr >= 0);
	dup2(fd, 2);
	close(fd);
}

static char *capture_stop(struct fx *f)
{
	static char buf[65536];
	ssize_t n;
	int fd;

	fflush(stderr);
	dup2(f->saved_stderr, 2);
	close(f->saved_stderr);
	fd = open(f->log_path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* read_file - the contents of @dir/@name ("" if missing) */
static char *read_file(struct fx *f, const char *name)
{
	static char buf[4096];
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	buf[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return buf;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static bool no_children(void)
{
	return waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD;
}

/* run_sh - run "sh -c SCRIPT sh ARGS..." as a hook with key @key */
static int run_sh(struct fx *f, const void *key, const char *label,
		  const char *script, char *const env[], unsigned int tmo)
{
	const char *argv[] = { "-c", script, "hook", "ppp0", "", NULL };

	return hooks_run(f->h, key, label, SH, env, argv, tmo);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(evloop_init(&f->loop), 0);
	assert_int_equal(hooks_new(&f->h, &f->loop), 0);
	strcpy(f->dir, "/tmp/test_hooks.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->log_path, sizeof(f->log_path), "%s/log", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	hooks_free(f->h);
	evloop_fini(&f->loop);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static void test_env_and_argv(void **state)
{
	struct fx *f = *state;
	char *env[] = { "IFNAME=ppp0", "EMPTY=", "PATH=/evil", "SP=a b", NULL };
	char script[256];
	const char *e;

	snprintf(script, sizeof(script),
		 "tr '\\0' '\\n' </proc/$$/environ | sort >%s/env; "
		 "printf '[%%s]' \"$0\" \"$@\" >%s/argv", f->dir, f->dir);
	assert_int_equal(run_sh(f, f, "t", script, env, 5000), 0);
	assert_int_equal(hooks_running(f->h), 1);
	loop(f, 5000, true);
	assert_int_equal(hooks_running(f->h), 0);
	assert_string_equal(read_file(f, "argv"), "[hook][ppp0][]");
	e = read_file(f, "env");
	assert_string_equal(e, "EMPTY=\nIFNAME=ppp0\n" HOOKS_PATH "\nSP=a b\n");
	assert_true(no_children());
}

static void test_output_and_status_logged(void **state)
{
	struct fx *f = *state;
	char *log;

	capture_start(f);
	run_sh(f, NULL, "sess/ppp0", "echo hello; echo oops >&2; printf 'a\\033b'; exit 4",
	       NULL, 5000);
	loop(f, 5000, true);
	log = capture_stop(f);
	assert_non_null(strstr(log, "[sess/ppp0] hook sh: started (pid "));
	assert_non_null(strstr(log, "[sess/ppp0] hook sh: hello\n"));
	assert_non_null(strstr(log, "[sess/ppp0] hook sh: oops\n"));
	assert_non_null(strstr(log, "[sess/ppp0] hook sh: a?b\n"));
	assert_non_null(strstr(log, "[sess/ppp0] hook sh: exited with status 4 after "));
	assert_true(strstr(log, "hello") < strstr(log, "exited"));
}

static void test_order_per_key(void **state)
{
	struct fx *f = *state;
	char a[128], b[128], c[128], gone[] = "/nonexistent/hook";
	int key1, key2;

	snprintf(a, sizeof(a), "sleep 0.3; echo up >>%s/order", f->dir);
	snprintf(b, sizeof(b), "echo down >>%s/order", f->dir);
	snprintf(c, sizeof(c), "echo other >>%s/order", f->dir);
	assert_int_equal(run_sh(f, &key1, "k1", a, NULL, 5000), 0);
	assert_int_equal(run_sh(f, &key2, "k2", c, NULL, 5000), 0);
	/* Queued behind "up": accepted now, fails when its turn comes. */
	assert_int_equal(hooks_run(f->h, &key1, "k1", gone, NULL, NULL, 5000), 0);
	assert_int_equal(run_sh(f, &key1, "k1", b, NULL, 5000), 0);
	assert_int_equal(hooks_running(f->h), 4);
	loop(f, 5000, true);
	assert_int_equal(hooks_running(f->h), 0);
	assert_string_equal(read_file(f, "order"), "other\nup\ndown\n");
	assert_true(no_children());
}

static void test_timeout_kills_group(void **state)
{
	struct fx *f = *state;
	uint64_t t0 = mono_ms();
	char *log;

	capture_start(f);
	/* The sleep is a child of the shell: it has to die with it. */
	run_sh(f, NULL, "t", "sleep 5; echo never", NULL, 100);
	loop(f, 4000, true);
	log = capture_stop(f);
	assert_int_equal(hooks_running(f->h), 0);
	assert_true(mono_ms() - t0 < 1500);
	assert_non_null(strstr(log, "hook sh: still running after 100 ms, sending SIGTERM"));
	assert_non_null(strstr(log, "hook sh: killed by SIGTERM after timeout (100 ms)"));
	assert_null(strstr(log, "never"));
	assert_true(no_children());
}

static void test_errors(void **state)
{
	struct fx *f = *state;
	char *bad_env[] = { "NOEQUALS", NULL };
	char *bad_env2[] = { "=x", NULL };

	capture_start(f);
	assert_int_equal(hooks_run(f->h, NULL, "t", "sh", NULL, NULL, 0), -EINVAL);
	assert_int_equal(hooks_run(f->h, NULL, "t", "/nonexistent/x", NULL, NULL, 0),
			 -ENOENT);
	assert_int_equal(hooks_run(f->h, NULL, "t", SH, bad_env, NULL, 0), -EINVAL);
	assert_int_equal(hooks_run(f->h, NULL, "t", SH, bad_env2, NULL, 0), -EINVAL);
	assert_int_equal(hooks_run(f->h, NULL, NULL, SH, NULL, NULL, 0), -EINVAL);
	assert_int_equal(hooks_run(NULL, NULL, "t", SH, NULL, NULL, 0), -EINVAL);
	/* A directory: posix_spawn reports the exec error synchronously. */
	assert_int_equal(hooks_run(f->h, NULL, "t", "/", NULL, NULL, 0), -EACCES);
	capture_stop(f);
	assert_int_equal(hooks_running(f->h), 0);
	assert_int_equal(hooks_running(NULL), 0);
	assert_true(no_children());
}

static void test_output_after_exit(void **state)
{
	struct fx *f = *state;
	char *log;

	capture_start(f);
	/* The background child keeps the pipe after the hook is reaped. */
	run_sh(f, NULL, "t", "(sleep 0.2; echo late) & echo early", NULL, 0);
	loop(f, 2000, true);
	assert_int_equal(hooks_running(f->h), 0);
	loop(f, 600, false);
	/* This one is still talking when the runner goes. */
	run_sh(f, NULL, "t", "(sleep 3; echo later) & exit 0", NULL, 0);
	loop(f, 2000, true);
	hooks_free(f->h);
	f->h = NULL;
	log = capture_stop(f);
	assert_non_null(strstr(log, "hook sh: early\n"));
	assert_non_null(strstr(log, "hook sh: late\n"));
	assert_true(strstr(log, "exited with status 0") < strstr(log, "late"));
	assert_null(strstr(log, "later"));
}

static void test_free_kills_and_reaps(void **state)
{
	struct fx *f = *state;
	uint64_t t0;
	char *log;
	int key;

	capture_start(f);
	run_sh(f, &key, "a", "sleep 5", NULL, 0);
	run_sh(f, &key, "a", "echo queued", NULL, 0);
	run_sh(f, NULL, "b", "trap '' TERM; while :; do sleep 0.05; done", NULL, 0);
	loop(f, 200, false);
	assert_int_equal(hooks_running(f->h), 3);
	t0 = mono_ms();
	hooks_free(f->h);
	f->h = NULL;
	log = capture_stop(f);
	assert_true(mono_ms() - t0 < 2500);
	assert_true(no_children());
	assert_non_null(strstr(log, "[a] hook sh: not started: shutting down"));
	assert_non_null(strstr(log, "[a] hook sh: killed by signal 15 (SIGTERM)"));
	assert_non_null(strstr(log, "[b] hook sh: killed by signal 9 (SIGKILL)"));
	assert_null(strstr(log, "hook sh: queued\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_env_and_argv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_and_status_logged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_order_per_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_kills_group, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_after_exit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_kills_and_reaps, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
