/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * evloop.h - the daemon's one event loop: an epoll instance and the timer
 * wheel every session, client and hook arms its timers on.
 *
 * Whoever owns an fd embeds a struct ev_src with its handler and registers
 * the fd with it; the loop calls the handler with the epoll event mask, and
 * the handler finds its object with container_of(). The loop knows nothing
 * of what the fds are. The wheel tells epoll_wait how long it may sleep, so
 * an idle daemon wakes only when a timer is due (the epoll timeout plays
 * the part of a timerfd, without a syscall per re-arm).
 */
#ifndef PPPOE_XDP_EVLOOP_H
#define PPPOE_XDP_EVLOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "pppoe/timer.h"

#define EVLOOP_BATCH 64 /* events handled per epoll_wait */

struct ev_src {
	void (*fn)(struct ev_src *src, uint32_t events);
};

struct evloop {
	int epfd;
	struct tw_wheel wheel;
	/* called with true before epoll_wait and false after it (the
	 * daemon's world lock, with workers); NULL: none */
	void (*sleeping)(void *arg, bool asleep);
	void *sleeping_arg;
};

/* evloop_init - an epoll instance and a wheel set to the current time */
int evloop_init(struct evloop *el);
void evloop_fini(struct evloop *el);
/* evloop_add / evloop_mod - watch @fd for @events; events call @src->fn */
int evloop_add(struct evloop *el, int fd, uint32_t events, struct ev_src *src);
int evloop_mod(struct evloop *el, int fd, uint32_t events, struct ev_src *src);
/* evloop_del - stop watching @fd (closing it does too) */
void evloop_del(struct evloop *el, int fd);
/* evloop_advance - move the wheel to the current time: run the timers due */
void evloop_advance(struct evloop *el);
/*
 * evloop_run_once - sleep until an fd is ready,
 * the next timer is due or @max_ms passed (-1: no limit), then run the
 * timers due by then and the handlers of the ready fds. The caller runs
 * evloop_advance() first and flushes what the timers queued before it
 * sleeps here. 0 or -errno.
 */
int evloop_run_once(struct evloop *el, int max_ms);

#endif
