// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hooks.c - non-blocking runner for ip-up / ip-down scripts.
 *
 * A hook has two fds in the epoll set: its pidfd (exit) and the read end of
 * the pipe on its stdout/stderr (log lines). The event loop may hold events
 * of both in one batch, so a hook's memory is freed only by the handler
 * that closes the second of the two: once the pidfd is closed no event of
 * it can still be pending, and the same holds for the pipe. The timer only
 * sends signals and never frees.
 *
 * A hook is finished (its key's next hook may start) when it is reaped. A
 * background child that inherited the pipe keeps it open after that; the
 * hook then lingers as a mere log reader until the pipe reaches EOF.
 *
 * A key's hooks form a chain through key_next: the first one on the active
 * list runs, the ones behind it wait (HOOK_QUEUED). Coalescing (hooks.h)
 * looks only at the end of the chain, so each request costs the length of
 * the active list to find its key and a few steps more.
 *
 * Over 700 lines on purpose: every function here works on struct hook and
 * struct hooks under the lifetime rules above, which are easier to keep
 * when they are all in view. Whether a script is safe to run is not this
 * file's business (src/fsafe.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pppoe/log.h"
#include "pppoe/timer.h"
#include "pppoe/util.h"
#include "src/evloop.h"
#include "src/hooks.h"


#define HOOK_LINE_MAX 512	/* longer output lines are logged in pieces */
#define HOOK_LINES_MAX 1000	/* per hook; the rest is read and dropped */
#define HOOK_READS_MAX 16	/* reads per event: a chatty hook must not
				 * keep the event loop to itself */
#define HOOKS_FREE_GRACE_MS 1000	/* hooks_free: SIGTERM -> SIGKILL */
#define HOOKS_FREE_REAP_MS 1000	/* hooks_free: wait after SIGKILL */
#define HOOKS_WARN_MS 10000	/* at most one warning about drops this often */


enum hook_state {
	HOOK_QUEUED,	/* waiting for an earlier hook of its key */
	HOOK_RUNNING,
	HOOK_TERM,	/* timed out, SIGTERM sent */
	HOOK_KILL,	/* timed out, SIGKILL sent */
	HOOK_DONE,	/* reaped; only the output pipe may be left */
};

struct hook {
	struct ev_src pid_ev;	/* epoll data.ptr of the pidfd */
	struct ev_src out_ev;	/* epoll data.ptr of the output pipe */
	struct hooks *h;
	struct hook *prev, *next;	/* in hooks.active or hooks.lingering */
	struct hook *key_next;	/* queued behind this one, same key */
	const void *key;
	enum hooks_kind kind;
	enum hook_state state;
	char *label;
	char *path;
	const char *name;	/* basename of path, for log lines */
	char **argv;		/* kept while running: a request is compared */
	char **envp;		/* with the run it would undo */
	unsigned int timeout_ms;
	pid_t pid;
	int pidfd;
	int outfd;
	struct tw_timer timer;
	uint64_t started_ms;
	unsigned int lines;	/* logged so far */
	size_t outlen;
	char out[HOOK_LINE_MAX + 1];
};

struct hook_list {
	struct hook *head, *tail;
};

struct hooks {
	struct evloop *loop;
	struct tw_wheel *wheel;
	struct hook_list active;	/* running and queued, oldest first */
	struct hook_list lingering;	/* reaped, output pipe still open */
	unsigned int count;		/* hooks on the active list */
	unsigned int queued;		/* of them waiting (HOOK_QUEUED) */
	unsigned int queued_max;
	unsigned long long coalesced;	/* runs replaced or cancelled */
	unsigned long long dropped;	/* runs dropped at queued_max */
	unsigned long long dropped_warned; /* dropped at the last warning */
	uint64_t warn_ms;		/* time of that warning, 0 = none yet */
};

static void hook_list_add(struct hook_list *l, struct hook *k)
{
	k->next = NULL;
	k->prev = l->tail;
	if (l->tail)
		l->tail->next = k;
	else
		l->head = k;
	l->tail = k;
}

static void hook_list_del(struct hook_list *l, struct hook *k)
{
	if (k->prev)
		k->prev->next = k->next;
	else
		l->head = k->next;
	if (k->next)
		k->next->prev = k->prev;
	else
		l->tail = k->prev;
	k->prev = k->next = NULL;
}

static void hook_strv_free(char **v)
{
	char **p;

	if (!v)
		return;
	for (p = v; *p; p++)
		free(*p);
	free(v);
}

/* hook_strv_dup - copy @first (if any) followed by the NULL-terminated @v */
static char **hook_strv_dup(const char *first, const char *const *v)
{
	size_t n = 0, i = 0, k;
	char **out;

	while (v && v[n])
		n++;
	out = calloc(n + 2, sizeof(*out));
	if (!out)
		return NULL;
	if (first) {
		out[i] = strdup(first);
		if (!out[i++])
			goto err;
	}
	for (k = 0; k < n; k++) {
		out[i] = strdup(v[k]);
		if (!out[i++])
			goto err;
	}
	return out;
err:
	hook_strv_free(out);
	return NULL;
}

/*
 * hook_env_dup - the hook's environment: the caller's "KEY=VALUE" strings
 * minus any PATH, then our PATH. -EINVAL for an entry that is not KEY=VALUE.
 */
static int hook_env_dup(char *const env[], char ***out)
{
	const char **v;
	size_t n = 0, i, k = 0;
	int err = 0;

	while (env && env[n])
		n++;
	v = calloc(n + 2, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const char *eq = strchr(env[i], '=');

		if (!eq || eq == env[i]) {
			err = -EINVAL;
			goto out;
		}
		if (!strncmp(env[i], "PATH=", 5))
			continue;
		v[k++] = env[i];
	}
	v[k] = HOOKS_PATH;
	*out = hook_strv_dup(NULL, v);
	if (!*out)
		err = -ENOMEM;
out:
	free(v);
	return err;
}

static void hook_free(struct hook *k)
{
	hook_strv_free(k->argv);
	hook_strv_free(k->envp);
	free(k->label);
	free(k->path);
	free(k);
}

static void hook_timeout(struct tw_timer *t);

/* hook_alloc - a queued hook holding copies of everything it needs */
static void hook_pid_event(struct ev_src *src, uint32_t events);
static void hook_out_event(struct ev_src *src, uint32_t events);

static int hook_alloc(struct hooks *h, struct hook **out, const void *key,
		      enum hooks_kind kind, const char *label, const char *path,
		      char *const env[], const char *const argv_extra[],
		      unsigned int timeout_ms)
{
	const char *slash;
	struct hook *k;
	int err;

	k = calloc(1, sizeof(*k));
	if (!k)
		return -ENOMEM;
	k->pid_ev.fn = hook_pid_event;
	k->out_ev.fn = hook_out_event;
	k->h = h;
	k->key = key;
	k->kind = kind;
	k->state = HOOK_QUEUED;
	k->timeout_ms = timeout_ms;
	k->pidfd = -1;
	k->outfd = -1;
	tw_timer_init(&k->timer, hook_timeout);

	err = -ENOMEM;
	k->label = strdup(label);
	k->path = strdup(path);
	k->argv = hook_strv_dup(path, argv_extra);
	if (!k->label || !k->path || !k->argv)
		goto err;
	err = hook_env_dup(env, &k->envp);
	if (err)
		goto err;
	slash = strrchr(k->path, '/');
	k->name = slash && slash[1] ? slash + 1 : k->path;
	*out = k;
	return 0;
err:
	hook_free(k);
	return err;
}

/* hooks_close_fd - take @fd out of the epoll set and close it */
static void hooks_close_fd(struct hooks *h, int *fd)
{
	if (*fd < 0)
		return;
	evloop_del(h->loop, *fd);
	close(*fd);
	*fd = -1;
}

/* hook_log_line - log the @len bytes of one output line, control bytes masked */
static void hook_log_line(struct hook *k, char *line, size_t len)
{
	size_t i;

	/* A runaway script must not flood the daemon's log. */
	if (k->lines > HOOK_LINES_MAX)
		return;
	if (k->lines++ == HOOK_LINES_MAX) {
		sl_warn(k->label, "hook %s: more than %u lines of output, dropping the rest",
			k->name, HOOK_LINES_MAX);
		return;
	}
	while (len && (line[len - 1] == '\r'))
		len--;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		/* A script's output must not forge log lines or terminal codes. */
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			line[i] = '?';
	}
	line[len] = '\0';
	sl_info(k->label, "hook %s: %s", k->name, line);
}

/*
 * hook_read_output - read (a bounded amount of) what the pipe holds and log
 * complete lines. Returns true at EOF or on a read error (the pipe is of no
 * more use), false when it may have more later.
 */
static bool hook_read_output(struct hook *k)
{
	unsigned int reads = 0;
	char buf[4096];
	ssize_t n, i;

	for (;;) {
		if (reads++ == HOOK_READS_MAX)
			return false;
		n = read(k->outfd, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return false;
			sl_warn(k->label, "hook %s: reading output: %s", k->name,
				strerror(errno));
			break;
		}
		if (n == 0)
			break;
		for (i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				hook_log_line(k, k->out, k->outlen);
				k->outlen = 0;
				continue;
			}
			k->out[k->outlen++] = buf[i];
			if (k->outlen == HOOK_LINE_MAX) {
				hook_log_line(k, k->out, k->outlen);
				k->outlen = 0;
			}
		}
	}
	if (k->outlen) {
		hook_log_line(k, k->out, k->outlen);
		k->outlen = 0;
	}
	return true;
}

/* hooks_spawn - posix_spawn the hook in its own session; fill pid and fds */
static int hooks_spawn(struct hooks *h, struct hook *k)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int pfd[2], err, i;
	sigset_t none, all;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -errno;
	/* dup2(fd, 1) is a no-op keeping CLOEXEC if fd is 1: keep them >= 3. */
	for (i = 0; i < 2; i++) {
		if (pfd[i] < 3) {
			int fd = fcntl(pfd[i], F_DUPFD_CLOEXEC, 3);

			if (fd < 0) {
				err = -errno;
				close(pfd[0]);
				close(pfd[1]);
				return err;
			}
			close(pfd[i]);
			pfd[i] = fd;
		}
	}
	if (fcntl(pfd[0], F_SETFL, O_NONBLOCK) < 0) {
		err = -errno;
		goto err_pipe;
	}

	err = -posix_spawn_file_actions_init(&fa);
	if (err)
		goto err_pipe;
	err = -posix_spawnattr_init(&attr);
	if (err)
		goto err_fa;
	/*
	 * The daemon blocks the signals it reads from a signalfd and ignores
	 * SIGPIPE; both would be inherited. A new session keeps the terminal's
	 * ^C away from hooks and gives us a process group to kill on timeout.
	 */
	sigemptyset(&none);
	sigfillset(&all);
	sigdelset(&all, SIGKILL);
	sigdelset(&all, SIGSTOP);
	err = -posix_spawnattr_setsigmask(&attr, &none);
	if (!err)
		err = -posix_spawnattr_setsigdefault(&attr, &all);
	if (!err)
		err = -posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
						POSIX_SPAWN_SETSIGDEF |
						POSIX_SPAWN_SETSID);
	if (!err)
		err = -posix_spawn_file_actions_addopen(&fa, 0, "/dev/null",
							O_RDONLY, 0);
	if (!err)
		err = -posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	if (!err)
		err = -posix_spawn_file_actions_adddup2(&fa, pfd[1], 2);
	/* Whatever the daemon forgot to mark CLOEXEC stays out of the hook. */
	if (!err)
		err = -posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	if (!err)
		err = -posix_spawn_file_actions_addchdir_np(&fa, "/");
	if (!err)
		err = -posix_spawn(&pid, k->path, &fa, &attr, k->argv, k->envp);
	posix_spawnattr_destroy(&attr);
err_fa:
	posix_spawn_file_actions_destroy(&fa);
	if (err)
		goto err_pipe;
	close(pfd[1]);
	pfd[1] = -1;
	k->pid = pid;
	k->outfd = pfd[0];

	/* Works on a zombie too, so a hook that already exited is fine. */
	k->pidfd = (int)pidfd_open(pid, 0);
	if (k->pidfd < 0) {
		err = -errno;
		goto err_child;
	}
	err = evloop_add(h->loop, k->pidfd, EPOLLIN, &k->pid_ev);
	if (!err)
		err = evloop_add(h->loop, k->outfd, EPOLLIN, &k->out_ev);
	if (err)
		goto err_child;
	return 0;

err_child:
	/* Without a pidfd in the loop we cannot wait for it later: do it now. */
	kill(-pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	hooks_close_fd(h, &k->pidfd);
	hooks_close_fd(h, &k->outfd);
	k->pid = 0;
	return err;
err_pipe:
	close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	return err;
}

/* hook_start - spawn a queued hook, arm its timeout, log it */
static int hook_start(struct hooks *h, struct hook *k)
{
	int err;

	err = hooks_spawn(h, k);
	if (err) {
		sl_err(k->label, "hook %s: cannot run %s: %s", k->name, k->path,
		       strerror(-err));
		return err;
	}
	k->state = HOOK_RUNNING;
	k->started_ms = mono_ms();
	if (k->timeout_ms)
		tw_arm(h->wheel, &k->timer, k->timeout_ms);
	sl_info(k->label, "hook %s: started (pid %d)", k->name, (int)k->pid);
	return 0;
}

/* hook_exited - true if the hook's process has exited (not yet reaped) */
static bool hook_exited(struct hook *k)
{
	siginfo_t si = { 0 };

	/* Unreaped, so the pid is still ours: no need for P_PIDFD (5.4+). */
	if (waitid(P_PID, (id_t)k->pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
		return true;
	return si.si_pid != 0;
}

/* hook_signal - signal the hook's process group (it is a session leader) */
static void hook_signal(struct hook *k, int sig)
{
	/*
	 * The leader is unreaped, so its pid (= the group id) cannot have been
	 * reused. The pidfd is the fallback should the group be gone.
	 */
	if (kill(-k->pid, sig) < 0)
		pidfd_send_signal(k->pidfd, sig, NULL, 0);
}

/* hook_timeout - timer: SIGTERM after the timeout, SIGKILL after the grace */
static void hook_timeout(struct tw_timer *t)
{
	struct hook *k = container_of(t, struct hook, timer);

	/* Exited but not reaped yet: its exit event is on its way. */
	if (hook_exited(k))
		return;
	if (k->state == HOOK_RUNNING) {
		sl_warn(k->label, "hook %s: still running after %u ms, sending SIGTERM",
			k->name, k->timeout_ms);
		hook_signal(k, SIGTERM);
		k->state = HOOK_TERM;
		tw_arm(k->h->wheel, &k->timer, HOOKS_KILL_GRACE_MS);
	} else if (k->state == HOOK_TERM) {
		sl_warn(k->label, "hook %s: still running %u ms after SIGTERM, sending SIGKILL",
			k->name, HOOKS_KILL_GRACE_MS);
		hook_signal(k, SIGKILL);
		k->state = HOOK_KILL;
	}
}

static void hook_log_exit(struct hook *k, const siginfo_t *si)
{
	unsigned long long ms = mono_ms() - k->started_ms;
	const char *abbrev;

	if (si->si_code == CLD_EXITED) {
		if (si->si_status == 0)
			sl_info(k->label, "hook %s: exited with status 0 after %llu ms",
				k->name, ms);
		else
			sl_warn(k->label, "hook %s: exited with status %d after %llu ms",
				k->name, si->si_status, ms);
		return;
	}
	abbrev = sigabbrev_np(si->si_status);
	if (k->state == HOOK_TERM || k->state == HOOK_KILL)
		sl_warn(k->label, "hook %s: killed by SIG%s after timeout (%u ms)",
			k->name, abbrev ? abbrev : "?", k->timeout_ms);
	else
		sl_warn(k->label, "hook %s: killed by signal %d (SIG%s) after %llu ms",
			k->name, si->si_status, abbrev ? abbrev : "?", ms);
}

/* hooks_start_next - start @k, or the first hook after it that will start */
static void hooks_start_next(struct hooks *h, struct hook *k)
{
	struct hook *next;

	while (k) {
		h->queued--;
		if (!hook_start(h, k))
			return;
		next = k->key_next;
		hook_list_del(&h->active, k);
		h->count--;
		hook_free(k);
		k = next;
	}
}

/* hook_reaped - the hook is finished: let its key's next hook run */
static void hook_reaped(struct hooks *h, struct hook *k)
{
	struct hook *next = k->key_next;

	tw_cancel(h->wheel, &k->timer);
	hooks_close_fd(h, &k->pidfd);
	k->state = HOOK_DONE;
	k->key_next = NULL;
	hook_list_del(&h->active, k);
	h->count--;
	/* Freed by the pipe's handler; see the comment at the top. */
	if (k->outfd >= 0)
		hook_list_add(&h->lingering, k);
	else
		hook_free(k);
	hooks_start_next(h, next);
}

/* hooks_on_exit - pidfd readable: reap, log, and drain the output */
static void hooks_on_exit(struct hooks *h, struct hook *k)
{
	siginfo_t si = { 0 };

	if (waitid(P_PID, (id_t)k->pid, &si, WEXITED | WNOHANG) < 0) {
		if (errno == EINTR)
			return;
		/* ECHILD: someone else reaped it; there is nothing to wait for. */
		sl_err(k->label, "hook %s: waitid: %s", k->name, strerror(errno));
		si.si_code = CLD_EXITED;
		si.si_status = 255;
	} else if (!si.si_pid) {
		return;
	}
	/* Log what it printed before its exit, in order (the pipe stays). */
	if (k->outfd >= 0)
		hook_read_output(k);
	hook_log_exit(k, &si);
	hook_reaped(h, k);
}

/* hooks_on_output - pipe readable: log lines; at EOF drop the pipe */
static void hooks_on_output(struct hooks *h, struct hook *k)
{
	if (!hook_read_output(k))
		return;
	hooks_close_fd(h, &k->outfd);
	if (k->state == HOOK_DONE) {
		hook_list_del(&h->lingering, k);
		hook_free(k);
	}
}

/* hook_pid_event - the hook's pidfd: it exited */
static void hook_pid_event(struct ev_src *src, uint32_t events)
{
	struct hook *k = container_of(src, struct hook, pid_ev);

	(void)events;
	if (k->pidfd >= 0)
		hooks_on_exit(k->h, k);
}

/* hook_out_event - the hook's output pipe */
static void hook_out_event(struct ev_src *src, uint32_t events)
{
	struct hook *k = container_of(src, struct hook, out_ev);

	(void)events;
	if (k->outfd >= 0)
		hooks_on_output(k->h, k);
}

/* hooks_key_head - the running hook of @key, first of its chain, or NULL */
static struct hook *hooks_key_head(struct hooks *h, const void *key)
{
	struct hook *k;

	for (k = h->active.head; k; k = k->next)
		if (k->key == key)
			return k;
	return NULL;
}

static bool hook_strv_equal(char *const *a, char *const *b)
{
	for (; *a && *b; a++, b++)
		if (strcmp(*a, *b))
			return false;
	return !*a && !*b;
}

/* hook_same_run - would @a and @b run the same thing in the same way */
static bool hook_same_run(const struct hook *a, const struct hook *b)
{
	return !strcmp(a->path, b->path) && a->timeout_ms == b->timeout_ms &&
	       hook_strv_equal(a->argv, b->argv) && hook_strv_equal(a->envp, b->envp);
}

/* hook_unqueue - drop the waiting hook @k, which follows @prev in its chain */
static void hook_unqueue(struct hooks *h, struct hook *prev, struct hook *k)
{
	prev->key_next = k->key_next;
	hook_list_del(&h->active, k);
	h->count--;
	h->queued--;
	hook_free(k);
}

/*
 * hooks_shed - more than queued_max runs wait: shrink the chain of @head
 * (if it has two or more waiting), else of the oldest key that has, to its
 * newest run. That one is the key's latest state, so it always stays.
 */
static void hooks_shed(struct hooks *h, struct hook *head)
{
	unsigned int n = 0;
	struct hook *k;
	uint64_t now;

	if (!head->key_next || !head->key_next->key_next) {
		for (k = h->active.head; k; k = k->next)
			if (k->state == HOOK_QUEUED && k->key_next)
				break;
		if (!k)
			return;	/* one waiting run per key: each is needed */
		head = hooks_key_head(h, k->key);
	}
	while (head->key_next->key_next) {
		hook_unqueue(h, head, head->key_next);
		n++;
	}
	h->dropped += n;
	now = mono_ms();
	if (h->warn_ms && now - h->warn_ms < HOOKS_WARN_MS)
		return;
	sl_warn(head->key_next->label,
		"hook %s: more than %u hook runs waiting, dropped %llu superseded run(s) "
		"since the last warning (%u of this session); each session's latest "
		"state still runs", head->key_next->name, h->queued_max,
		h->dropped - h->dropped_warned, n);
	h->dropped_warned = h->dropped;
	h->warn_ms = now;
}

/*
 * hooks_enqueue - queue @k behind the chain of @head (its key's running
 * hook), coalescing with the runs that wait there; see hooks.h.
 */
static void hooks_enqueue(struct hooks *h, struct hook *head, struct hook *k)
{
	struct hook *before = NULL, *tail = head;

	while (tail->key_next) {
		before = tail;
		tail = tail->key_next;
	}
	if (k->kind != HOOKS_OTHER && tail != head && tail->kind == k->kind) {
		/* Never started, and @k says the same with newer values. */
		sl_debug(k->label, "hook %s: replaces a waiting run of %s", k->name, tail->name);
		hook_unqueue(h, before, tail);
		h->coalesced++;
		for (tail = head, before = NULL; tail->key_next; tail = tail->key_next)
			before = tail;
	}
	if (k->kind != HOOKS_OTHER && tail != head && tail->kind != HOOKS_OTHER &&
	    tail->kind != k->kind && before->kind == k->kind &&
	    (k->kind == HOOKS_DOWN || hook_same_run(before, k))) {
		/* @before is where the scripts are; @tail and @k go there and back. */
		sl_info(k->label, "hook %s: not run, nor the waiting %s: the session is %s again, "
			"as the scripts last saw it", k->name, tail->name,
			k->kind == HOOKS_UP ? "up" : "down");
		hook_unqueue(h, before, tail);
		hook_free(k);
		h->coalesced += 2;
		return;
	}
	tail->key_next = k;
	hook_list_add(&h->active, k);
	h->count++;
	h->queued++;
	/* Runs when every earlier hook of the session has finished. */
	sl_debug(k->label, "hook %s: queued behind %s", k->name, tail->name);
	if (h->queued > h->queued_max)
		hooks_shed(h, head);
}

int hooks_run(struct hooks *h, const void *key, enum hooks_kind kind, const char *label,
	      const char *path, char *const env[], const char *const argv_extra[],
	      unsigned int timeout_ms)
{
	struct hook *k, *head;
	int err;

	if (!h || !label || !path)
		return -EINVAL;
	/* posix_spawn would resolve a relative path against "/". */
	if (path[0] != '/') {
		sl_err(label, "hook %s: not an absolute path", path);
		return -EINVAL;
	}
	err = hook_alloc(h, &k, key, kind, label, path, env, argv_extra, timeout_ms);
	if (err) {
		sl_err(label, "hook %s: %s", path,
		       err == -EINVAL ? "bad environment entry" : strerror(-err));
		return err;
	}
	head = key ? hooks_key_head(h, key) : NULL;
	if (head) {
		hooks_enqueue(h, head, k);
		return 0;
	}
	hook_list_add(&h->active, k);
	h->count++;
	err = hook_start(h, k);
	if (err) {
		hook_list_del(&h->active, k);
		h->count--;
		hook_free(k);
	}
	return err;
}

unsigned int hooks_running(const struct hooks *h)
{
	return h ? h->count : 0;
}

void hooks_get_stats(const struct hooks *h, struct hooks_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (!h)
		return;
	st->running = h->count - h->queued;
	st->queued = h->queued;
	st->coalesced = h->coalesced;
	st->dropped = h->dropped;
}

void hooks_set_queued_max(struct hooks *h, unsigned int max)
{
	h->queued_max = max ? max : 1;
}

int hooks_new(struct hooks **out, struct evloop *loop)
{
	struct hooks *h;

	*out = NULL;
	if (!loop || loop->epfd < 0)
		return -EINVAL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->loop = loop;
	h->wheel = &loop->wheel;
	h->queued_max = HOOKS_QUEUED_MAX;
	*out = h;
	return 0;
}

/* hooks_reap_all - reap what has exited; false once @deadline passes first */
static bool hooks_reap_all(struct hooks *h, uint64_t deadline)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	struct hook *k, *next;

	for (;;) {
		bool left = false;

		for (k = h->active.head; k; k = next) {
			siginfo_t si = { 0 };

			next = k->next;
			if (k->state == HOOK_QUEUED || k->pidfd < 0)
				continue;
			if (waitid(P_PID, (id_t)k->pid, &si, WEXITED | WNOHANG) < 0 ||
			    si.si_pid) {
				if (k->outfd >= 0)
					hook_read_output(k);
				if (si.si_pid)
					hook_log_exit(k, &si);
				hooks_close_fd(h, &k->pidfd);
				continue;
			}
			left = true;
		}
		if (!left)
			return true;
		if (mono_ms() >= deadline)
			return false;
		nanosleep(&ts, NULL);
	}
}

/* hooks_signal_all - send @sig to every hook still running */
static void hooks_signal_all(struct hooks *h, int sig)
{
	struct hook *k;

	for (k = h->active.head; k; k = k->next) {
		if (k->state == HOOK_QUEUED || k->pidfd < 0)
			continue;
		sl_warn(k->label, "hook %s: stopping (SIG%s): shutting down",
			k->name, sigabbrev_np(sig));
		hook_signal(k, sig);
	}
}

void hooks_free(struct hooks *h)
{
	struct hook *k, *next;

	if (!h)
		return;
	for (k = h->active.head; k; k = k->next) {
		tw_cancel(h->wheel, &k->timer);
		if (k->state == HOOK_QUEUED)
			sl_info(k->label, "hook %s: not started: shutting down",
				k->name);
	}
	if (h->active.head) {
		hooks_signal_all(h, SIGTERM);
		if (!hooks_reap_all(h, mono_ms() + HOOKS_FREE_GRACE_MS)) {
			hooks_signal_all(h, SIGKILL);
			if (!hooks_reap_all(h, mono_ms() + HOOKS_FREE_REAP_MS))
				pr_err("hooks: some hook processes did not die; left unreaped");
		}
	}
	for (k = h->active.head; k; k = next) {
		next = k->next;
		hooks_close_fd(h, &k->pidfd);
		hooks_close_fd(h, &k->outfd);
		hook_free(k);
	}
	for (k = h->lingering.head; k; k = next) {
		next = k->next;
		hooks_close_fd(h, &k->outfd);
		hook_free(k);
	}
	free(h);
}
