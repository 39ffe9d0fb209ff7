/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hooks.h - run pppd-style ip-up / ip-down scripts without blocking.
 *
 * The runner knows only the daemon's event loop. Each script
 * runs in its own session (setsid) with stdin on /dev/null, stdout and
 * stderr on a pipe whose lines are logged with the caller's label, and a
 * pidfd in the epoll set that reports its exit. Its environment holds only
 * what the caller passes plus a fixed PATH. A timer sends SIGTERM to the
 * script's process group after the timeout and SIGKILL 2 s later.
 *
 * Hooks that share a key (one session) run one after the other, in the
 * order they were asked for; hooks with different keys run concurrently.
 * While a hook of a key runs, the runs asked for behind it wait, and an
 * up/down pair that a flapping link asks for in the meantime is coalesced
 * so that what runs stays bounded and still tells the truth:
 *   - an UP or DOWN request replaces a waiting run of the same kind (that
 *     run never started; the newer request carries the newer environment);
 *   - a request that undoes the waiting run ahead of it cancels both when
 *     the scripts would end where they are: a DOWN after a waiting UP (the
 *     scripts last saw the session down and it is down), or an UP after a
 *     waiting DOWN that is the very same run (path, arguments,
 *     environment) as the UP the scripts last saw. An UP with another
 *     address, say, still runs, after its DOWN.
 * So at most two runs wait per key (DOWN, then UP), the runs of a session
 * alternate up and down as long as its requests do, and the last one to
 * run reflects its latest state. (pppd gets the same effect by running at
 * most one of ip-up/ip-down and, when it ends, the other one if the state
 * changed meanwhile; it never reruns ip-up for a new address.)
 *
 * Over all keys at most queued_max runs (HOOKS_QUEUED_MAX by default)
 * wait. Beyond it a key's waiting runs shrink to its newest request, this
 * key's first, then the oldest other key's with more than one waiting:
 * superseded runs are dropped (counted, and logged at most every 10 s),
 * a session's latest state never is. So the runs waiting are at most
 * queued_max, or one per session if more sessions than that wait.
 *
 * The process must leave SIGCHLD at its default (not SIG_IGN, which would
 * let the kernel reap hooks before we learn their status) and must not
 * wait for children it does not know.
 *
 * By pppd's convention the arguments after the path are
 *   IFNAME TTY SPEED LOCAL REMOTE IPPARAM
 * and a daemon without a tty passes "" for TTY, "0" for SPEED and "" for
 * IPPARAM when it has none.
 */
#ifndef PPPOE_XDP_HOOKS_H
#define PPPOE_XDP_HOOKS_H

#include <stddef.h>

struct hooks;
struct evloop;

/* The PATH every hook gets; a PATH in the caller's environment is dropped. */
#define HOOKS_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
/* Time between the SIGTERM of a timeout and the SIGKILL. */
#define HOOKS_KILL_GRACE_MS 2000
/* Runs that may wait (not running) over all keys; see above. */
#define HOOKS_QUEUED_MAX 1024

/* What a run reports, so that runs waiting for one key can be coalesced. */
enum hooks_kind {
	HOOKS_OTHER,	/* nothing: never coalesced (but shed at queued_max) */
	HOOKS_UP,	/* the session came up: up_script, pppd's ip-up */
	HOOKS_DOWN,	/* the session went down: down_script, ip-down */
};

struct hooks_stats {
	unsigned int running;	/* started, not reaped yet */
	unsigned int queued;	/* waiting behind a running hook of their key */
	unsigned long long coalesced;	/* runs replaced or cancelled, never run */
	unsigned long long dropped;	/* superseded runs dropped at queued_max */
};

/* hooks_new - a runner that registers its fds and timers with @loop */
int hooks_new(struct hooks **out, struct evloop *loop);
/*
 * hooks_free - stop everything: queued hooks are dropped, running ones get
 * SIGTERM, SIGKILL after a short grace, and are reaped. Blocks for at most
 * about 2 s; a daemon that wants its ip-down scripts to finish waits for
 * hooks_running() == 0 in its event loop first. Not to be called while a
 * batch of epoll events is being dispatched (their data.ptr would dangle).
 */
void hooks_free(struct hooks *h);
/*
 * hooks_run - start @path, or queue it behind the unfinished hooks of @key
 * (NULL: no ordering), coalesced with them by @kind as described above.
 * @path: absolute; hooks_run does not vet it, call fsafe_check_script()
 *        first (at config load, and again when it may have changed)
 * @env: NULL-terminated "KEY=VALUE" strings (may be NULL)
 * @argv_extra: the arguments after argv[0], NULL-terminated (may be NULL)
 * @label: the log prefix, e.g. "name/ifname"
 * @timeout_ms: SIGTERM after this long, SIGKILL 2 s later; 0 for none
 * Everything is copied. Returns 0 (started or queued), or -errno when the
 * hook could not be started now (nothing is left behind then). A queued
 * hook that fails to start later is logged and skipped.
 */
int hooks_run(struct hooks *h, const void *key, enum hooks_kind kind, const char *label,
	      const char *path, char *const env[], const char *const argv_extra[],
	      unsigned int timeout_ms);
/* hooks_running - hooks not finished yet: running, or queued behind one */
unsigned int hooks_running(const struct hooks *h);
/* hooks_get_stats - what runs and waits now, and the runs that never ran */
void hooks_get_stats(const struct hooks *h, struct hooks_stats *st);
/* hooks_set_queued_max - the limit on waiting runs (at least 1) */
void hooks_set_queued_max(struct hooks *h, unsigned int max);

#endif
