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

	return hooks_run(f->h, key, HOOKS_OTHER, label, SH, env, argv, tmo);
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
	assert_int_equal(hooks_run(f->h, &key1, HOOKS_OTHER, "k1", gone, NULL, NULL, 5000), 0);
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
	assert_int_equal(hooks_run(f->h, NULL, HOOKS_OTHER, "t", "sh", NULL, NULL, 0), -EINVAL);
	assert_int_equal(hooks_run(f->h, NULL, HOOKS_OTHER, "t", "/nonexistent/x", NULL, NULL, 0),
			 -ENOENT);
	assert_int_equal(hooks_run(f->h, NULL, HOOKS_OTHER, "t", SH, bad_env, NULL, 0), -EINVAL);
	assert_int_equal(hooks_run(f->h, NULL, HOOKS_OTHER, "t", SH, bad_env2, NULL, 0), -EINVAL);
	assert_int_equal(hooks_run(f->h, NULL, HOOKS_OTHER, NULL, SH, NULL, NULL, 0), -EINVAL);
	assert_int_equal(hooks_run(NULL, NULL, HOOKS_OTHER, "t", SH, NULL, NULL, 0), -EINVAL);
	/* A directory: posix_spawn reports the exec error synchronously. */
	assert_int_equal(hooks_run(f->h, NULL, HOOKS_OTHER, "t", "/", NULL, NULL, 0), -EACCES);
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

/*
 * The state hooks below wait while DIR/hold exists, then append
 * "KIND IPLOCAL" to LOG: the first request of a key holds its slot while
 * the test asks for more, and the log shows what ran, in order.
 */
#define STATE_SCRIPT "while [ -e \"$HOLD\" ]; do sleep 0.02; done; echo \"$KIND $IPLOCAL\" >>\"$LOG\""

/* req - ask for an up ('u') or down ('d') run of @key with address @addr */
static void req(struct fx *f, const void *key, const char *log, char kind, const char *addr)
{
	const char *argv[] = { "-c", STATE_SCRIPT, "hook", NULL };
	char hold[128], logv[128], kindv[16], ipv[64];
	char *env[] = { hold, logv, kindv, ipv, NULL };

	snprintf(hold, sizeof(hold), "HOLD=%s/hold", f->dir);
	snprintf(logv, sizeof(logv), "LOG=%s/%s", f->dir, log);
	snprintf(kindv, sizeof(kindv), "KIND=%s", kind == 'u' ? "up" : "down");
	snprintf(ipv, sizeof(ipv), "IPLOCAL=%s", addr);
	assert_int_equal(hooks_run(f->h, key, kind == 'u' ? HOOKS_UP : HOOKS_DOWN, log, SH, env,
				   argv, 5000), 0);
}

static void hold(struct fx *f, bool on)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/hold", f->dir);
	if (on)
		close(open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
	else
		unlink(path);
}

static unsigned int queued(struct fx *f)
{
	struct hooks_stats st;

	hooks_get_stats(f->h, &st);
	return st.queued;
}

static void test_flapping_coalesced(void **state)
{
	/*
	 * Requests ("u A" = up with address A) made while the first one runs,
	 * and what must run. Every sequence alternates like a session's ups
	 * and downs; what runs alternates too and ends in the last state.
	 */
	static const struct {
		const char *reqs;
		const char *ran;
	} cases[] = {
		/* IPCP flaps, same address: nothing more to tell the scripts */
		{ "uA dA uA dA uA", "up A\n" },
		{ "uA dA uA dA uA dA", "up A\ndown A\n" },
		/* a new address each time: its up runs, after the old down */
		{ "uA dA uB dB uC", "up A\ndown A\nup C\n" },
		{ "uA dA uB dB uC dC", "up A\ndown A\n" },
		{ "uA dA uB dB uA", "up A\n" },
		/* the scripts last saw the session down */
		{ "dA uB dB uC", "down A\nup C\n" },
		{ "dA uB dB uB dB", "down A\n" },
		{ "dA uB", "down A\nup B\n" },
	};
	struct fx *f = *state;
	size_t i;
	int key;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *r = cases[i].reqs;
		char log[16], addr[2] = "";
		unsigned int n = 0;

		snprintf(log, sizeof(log), "log%zu", i);
		hold(f, true);
		for (; *r; r += r[2] ? 3 : 2) {
			addr[0] = r[1];
			req(f, &key, log, r[0], addr);
			/* Bounded however long the script runs: DOWN, then UP. */
			assert_in_range(queued(f), 0, 2);
			n++;
		}
		hold(f, false);
		loop(f, 5000, true);
		assert_int_equal(hooks_running(f->h), 0);
		if (strcmp(read_file(f, log), cases[i].ran))
			fail_msg("%s: ran\n%sexpected\n%s", cases[i].reqs, read_file(f, log),
				 cases[i].ran);
	}
	assert_true(no_children());
}

static void test_queued_max(void **state)
{
	struct fx *f = *state;
	struct hooks_stats st;
	int keys[5];
	char log[16], a[8], b[8];
	unsigned int i, waiting;
	char *out;

	/* Three sessions, each with a run going and two waiting (down, then
	 * up with a new address): six runs for a limit of three. */
	hooks_set_queued_max(f->h, 3);
	capture_start(f);
	hold(f, true);
	for (i = 0; i < 3; i++) {
		snprintf(log, sizeof(log), "q%u", i);
		snprintf(a, sizeof(a), "A%u", i);
		snprintf(b, sizeof(b), "B%u", i);
		req(f, &keys[i], log, 'u', a);
		req(f, &keys[i], log, 'd', a);
		assert_in_range(queued(f), 0, 3);
		req(f, &keys[i], log, 'u', b);
		assert_in_range(queued(f), 0, 3);
	}
	hooks_get_stats(f->h, &st);
	assert_int_equal(st.running, 3);
	assert_int_equal(st.dropped, 3);
	/* More sessions waiting than the limit: each keeps its latest state. */
	for (i = 3; i < 5; i++) {
		snprintf(log, sizeof(log), "q%u", i);
		snprintf(a, sizeof(a), "A%u", i);
		snprintf(b, sizeof(b), "B%u", i);
		req(f, &keys[i], log, 'u', a);
		req(f, &keys[i], log, 'd', a);
		req(f, &keys[i], log, 'u', b);
		waiting = i + 1;
		assert_in_range(queued(f), 0, waiting);
	}
	assert_int_equal(queued(f), 5);
	hold(f, false);
	loop(f, 5000, true);
	out = capture_stop(f);
	/* Warned once, not once per drop. */
	assert_non_null(strstr(out, "more than 3 hook runs waiting"));
	assert_ptr_equal(strstr(strstr(out, "more than 3 hook runs waiting") + 1,
				"more than 3 hook runs waiting"), NULL);
	for (i = 0; i < 5; i++) {
		char want[32];

		snprintf(log, sizeof(log), "q%u", i);
		snprintf(want, sizeof(want), "up A%u\nup B%u\n", i, i);
		assert_string_equal(read_file(f, log), want);
	}
	hooks_get_stats(f->h, &st);
	assert_int_equal(st.dropped, 5);
	assert_int_equal(st.queued, 0);
	assert_int_equal(st.running, 0);
	assert_true(no_children());
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
		cmocka_unit_test_setup_teardown(test_flapping_coalesced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queued_max, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
