// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hook-probe - drive src/hooks.c (and src/fsafe.c's script check) from a
 * test script with a small event loop (epoll + timer wheel on
 * CLOCK_MONOTONIC), like the daemon's.
 *
 *   hook-probe [-v] [-e KEY=VALUE]... [-a ARG]... COMMAND...
 *
 * -e adds to the environment and -a to the arguments after the path of
 * every hook that is run. Commands run in order; each prints "OK <cmd>" or
 * "ERR <cmd> <errno> <text>" on stdout (flushed):
 *   check:PATH              fsafe_check_script (the reason goes to stdout)
 *   run:KEY:TIMEOUT_MS:PATH hooks_run with key KEY (0 = none), label "sKEY"
 *   loop:MS                 run the event loop for MS ms
 *   children                print "CHILDREN n [pid...]": our child processes
 *   free                    hooks_free now (kills running hooks), then a
 *                           fresh runner
 * After the last command the loop runs until hooks_running() is 0 (60 s at
 * most), then "CHILDREN ..." and "DONE <running>" are printed. Exit status
 * 0 unless the command line is bad or the loop fails. Log lines (including
 * the hooks' output) go to stderr.
 *
 * Like the daemon, the probe blocks SIGTERM, SIGINT and SIGHUP and ignores
 * SIGPIPE; it also holds /dev/zero open without O_CLOEXEC. A hook must
 * inherit none of these.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "pppoe/log.h"
#include "pppoe/timer.h"
#include "pppoe/util.h"
#include "src/evloop.h"
#include "src/fsafe.h"
#include "src/hooks.h"

#define PROBE_MAX_ARGS 32
#define PROBE_DRAIN_MS 60000

struct probe {
	struct evloop loop;
	struct hooks *h;
	char *env[PROBE_MAX_ARGS + 1];
	const char *args[PROBE_MAX_ARGS + 1];
	unsigned int nenv, nargs;
};

static void probe_result(const char *cmd, int err, const char *why)
{
	if (err)
		printf("ERR %s %d %s\n", cmd, -err, why ? why : strerror(-err));
	else
		printf("OK %s\n", cmd);
	fflush(stdout);
}

/* probe_loop - run the event loop until @until_ms, or until no hook is left */
static int probe_loop(struct probe *p, uint64_t until_ms, bool until_idle)
{
	int err;

	for (;;) {
		uint64_t now = mono_ms();

		if (until_idle && !hooks_running(p->h))
			return 0;
		if (now >= until_ms)
			return until_idle ? -ETIMEDOUT : 0;
		evloop_advance(&p->loop);
		err = evloop_run_once(&p->loop, (int)(until_ms - now));
		if (err)
			return err;
	}
}

/* probe_children - print our child processes, found through /proc */
static void probe_children(void)
{
	char path[300], buf[512], list[1024] = "";
	unsigned int count = 0;
	struct dirent *de;
	size_t used = 0;
	DIR *d;

	d = opendir("/proc");
	if (!d) {
		printf("CHILDREN ? %s\n", strerror(errno));
		fflush(stdout);
		return;
	}
	while ((de = readdir(d))) {
		const char *rp;
		FILE *f;
		int ppid;
		char st;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (!fgets(buf, sizeof(buf), f)) {
			fclose(f);
			continue;
		}
		fclose(f);
		/* "pid (comm) S ppid ...": comm may hold spaces and parens. */
		rp = strrchr(buf, ')');
		if (!rp || sscanf(rp + 1, " %c %d", &st, &ppid) != 2)
			continue;
		if (ppid != getpid())
			continue;
		count++;
		if (used < sizeof(list))
			used += (size_t)snprintf(list + used, sizeof(list) - used,
						 " %s(%c)", de->d_name, st);
	}
	closedir(d);
	printf("CHILDREN %u%s\n", count, list);
	fflush(stdout);
}

static int probe_command(struct probe *p, const char *cmd)
{
	char why[512];
	int err;

	if (!strncmp(cmd, "check:", 6)) {
		err = fsafe_check_script(cmd + 6, why, sizeof(why));
		probe_result(cmd, err, why);
	} else if (!strncmp(cmd, "run:", 4)) {
		char label[32], *end;
		unsigned long key, tmo;
		const char *path;

		key = strtoul(cmd + 4, &end, 10);
		if (*end != ':')
			return -EINVAL;
		tmo = strtoul(end + 1, &end, 10);
		if (*end != ':')
			return -EINVAL;
		path = end + 1;
		snprintf(label, sizeof(label), "s%lu", key);
		err = hooks_run(p->h, (const void *)(uintptr_t)key, HOOKS_OTHER, label, path,
				p->env, p->args, (unsigned int)tmo);
		probe_result(cmd, err, NULL);
	} else if (!strncmp(cmd, "loop:", 5)) {
		err = probe_loop(p, mono_ms() + strtoull(cmd + 5, NULL, 10),
				 false);
		probe_result(cmd, err, NULL);
	} else if (!strcmp(cmd, "children")) {
		probe_children();
	} else if (!strcmp(cmd, "free")) {
		hooks_free(p->h);
		p->h = NULL;
		err = hooks_new(&p->h, &p->loop);
		probe_result(cmd, err, NULL);
		if (err)
			return err;
	} else {
		return -EINVAL;
	}
	return 0;
}

static void probe_usage(void)
{
	fprintf(stderr, "usage: hook-probe [-v] [-e KEY=VALUE]... [-a ARG]... "
		"check:PATH | run:KEY:TIMEOUT_MS:PATH | loop:MS | children | free ...\n");
}

int main(int argc, char **argv)
{
	struct probe p = { .loop.epfd = -1 };
	int opt, i, err, leak, ret = 1;
	sigset_t mask;

	while ((opt = getopt(argc, argv, "ve:a:")) != -1) {
		switch (opt) {
		case 'v':
			log_threshold = LOG_LVL_DEBUG;
			break;
		case 'e':
			if (p.nenv == PROBE_MAX_ARGS)
				goto usage;
			p.env[p.nenv++] = optarg;
			break;
		case 'a':
			if (p.nargs == PROBE_MAX_ARGS)
				goto usage;
			p.args[p.nargs++] = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (optind >= argc)
		goto usage;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Deliberately without O_CLOEXEC: hooks_run must not pass it on. */
	leak = open("/dev/zero", O_RDONLY);
	if (leak < 0) {
		perror("/dev/zero");
		return 1;
	}

	if (evloop_init(&p.loop)) {
		perror("epoll_create1");
		return 1;
	}
	err = hooks_new(&p.h, &p.loop);
	if (err) {
		fprintf(stderr, "hooks_new: %s\n", strerror(-err));
		goto out;
	}
	for (i = optind; i < argc; i++) {
		if (probe_command(&p, argv[i]) == -EINVAL) {
			fprintf(stderr, "bad command '%s'\n", argv[i]);
			goto out;
		}
	}
	err = probe_loop(&p, mono_ms() + PROBE_DRAIN_MS, true);
	if (err)
		fprintf(stderr, "event loop: %s\n", strerror(-err));
	probe_children();
	printf("DONE %u\n", hooks_running(p.h));
	fflush(stdout);
	ret = err ? 1 : 0;
out:
	hooks_free(p.h);
	evloop_fini(&p.loop);
	close(leak);
	return ret;
usage:
	probe_usage();
	return 2;
}
