// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * evloop.c - epoll plus the timer wheel; see evloop.h.
 */
#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "pppoe/util.h"
#include "src/evloop.h"

#define EVLOOP_MAX_SLEEP_MS 60000

int evloop_init(struct evloop *el)
{
	tw_init(&el->wheel, mono_ms());
	el->epfd = epoll_create1(EPOLL_CLOEXEC);
	return el->epfd < 0 ? -errno : 0;
}

void evloop_fini(struct evloop *el)
{
	if (el->epfd >= 0)
		close(el->epfd);
	el->epfd = -1;
}

static int evloop_ctl(struct evloop *el, int op, int fd, uint32_t events, struct ev_src *src)
{
	struct epoll_event ev = { .events = events, .data.ptr = src };

	return epoll_ctl(el->epfd, op, fd, &ev) < 0 ? -errno : 0;
}

int evloop_add(struct evloop *el, int fd, uint32_t events, struct ev_src *src)
{
	return evloop_ctl(el, EPOLL_CTL_ADD, fd, events, src);
}

int evloop_mod(struct evloop *el, int fd, uint32_t events, struct ev_src *src)
{
	return evloop_ctl(el, EPOLL_CTL_MOD, fd, events, src);
}

void evloop_del(struct evloop *el, int fd)
{
	epoll_ctl(el->epfd, EPOLL_CTL_DEL, fd, NULL);
}

void evloop_advance(struct evloop *el)
{
	tw_advance(&el->wheel, mono_ms());
}

int evloop_run_once(struct evloop *el, int max_ms)
{
	struct epoll_event evs[EVLOOP_BATCH];
	int64_t next;
	int n, k, timeout;

	next = tw_next_ms(&el->wheel);
	timeout = next < 0 ? -1 : (int)(next > EVLOOP_MAX_SLEEP_MS ? EVLOOP_MAX_SLEEP_MS : next);
	if (max_ms >= 0 && (timeout < 0 || timeout > max_ms))
		timeout = max_ms;
	if (el->sleeping)
		el->sleeping(el->sleeping_arg, true);
	n = epoll_wait(el->epfd, evs, EVLOOP_BATCH, timeout);
	if (el->sleeping) {
		int e = errno;

		el->sleeping(el->sleeping_arg, false);
		errno = e;
	}
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	tw_advance(&el->wheel, mono_ms());
	for (k = 0; k < n; k++) {
		struct ev_src *src = evs[k].data.ptr;

		src->fn(src, evs[k].events);
	}
	return 0;
}
