// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * workers.c - data-path threads (workers = N > 1).
 *
 * Worker W owns the data of the sessions whose PPPoE session id is W
 * modulo N: the XDP program gives their IPv4/IPv6 frames to W's data
 * socket on each queue (xsk_io.c), and their TUNs sit in W's epoll
 * instance from the moment the session holds its id (workers_tun_attach)
 * until it does not. So a session's data, both ways, is only ever moved by
 * one thread, and packets of one flow are never reordered between threads.
 *
 * Everything else, discovery, LCP, authentication, the NCPs, timers,
 * netlink, hooks and the control socket, stays on the main thread. The
 * two meet under the world lock (daemon.world): the main thread holds it
 * exclusively whenever it is not asleep in epoll_wait, a worker holds it
 * shared while it handles a batch of events. So whatever the control side
 * changes in a session (its state, id, MTU, addresses, its very
 * existence), it never changes under a worker's feet, and a worker
 * touches only its sessions' counters, its own buffers and TX ring, and
 * the TUNs. The lock prefers writers: a busy data path delays a timer or
 * an Echo-Reply by at most one batch.
 *
 * A stale event (a session destroyed or its TUN moved while the worker
 * waited for the lock) is recognised by its tag, the session's slot and
 * id, checked under the lock; nothing a worker holds survives a batch.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "pppoe/log.h"
#include "pppoe/util.h"
#include "src/daemon_int.h"
#include "src/xsk_io.h"

#define WORKERS_BATCH    64
#define WORKERS_TAG_XSK  (1ULL << 63)   /* low bits: the RX queue */
#define WORKERS_TAG_WAKE (1ULL << 62)
#define WORKERS_SLOT_BITS 24
#define WORKERS_ID_MASK  ((1ULL << 38) - 1)

/* workers_tag - the epoll tag of @ds's TUN: slot and (part of) its id */
static uint64_t workers_tag(const struct dsession *ds)
{
	return (uint64_t)ds->slot | ((ds->id & WORKERS_ID_MASK) << WORKERS_SLOT_BITS);
}

/* workers_session - the session tag @t names, if it is still that one */
static struct dsession *workers_session(struct daemon *d, uint64_t t)
{
	size_t slot = (size_t)(t & ((1ULL << WORKERS_SLOT_BITS) - 1));
	struct dsession *ds;

	if (slot >= d->nslots || !(ds = d->sessions[slot]))
		return NULL;
	if ((ds->id & WORKERS_ID_MASK) != t >> WORKERS_SLOT_BITS || ds->tun_fd < 0)
		return NULL;
	return ds;
}

static int workers_epoll_add(int epfd, int fd, uint64_t tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = tag };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

static void *workers_main(void *arg)
{
	struct worker *wk = arg;
	struct daemon *d = wk->dp.d;
	struct epoll_event evs[WORKERS_BATCH];
	const uint64_t one = 1;
	struct dsession *ds;
	uint64_t val;
	int n, k;

	for (;;) {
		n = epoll_wait(wk->epfd, evs, WORKERS_BATCH,
			       xsk_io_port_outstanding(d->io, wk->dp.w) ? 1 : -1);
		if (__atomic_load_n(&wk->stop, __ATOMIC_ACQUIRE))
			break;
		if (n < 0 && errno != EINTR) {
			/* its sessions would stand still: the daemon stops */
			pr_err("worker %u: epoll_wait: %s", wk->dp.w, strerror(errno));
			pthread_rwlock_wrlock(&d->world);
			daemon_begin_shutdown(d, "a worker failed");
			pthread_rwlock_unlock(&d->world);
			if (write(d->wake_fd, &one, sizeof(one)) < 0) {
				/* the main loop is awake anyway */
			}
			break;
		}
		pthread_rwlock_rdlock(&d->world);
		if (__atomic_load_n(&wk->stop, __ATOMIC_ACQUIRE)) {
			pthread_rwlock_unlock(&d->world);
			break;
		}
		wk->dp.now = mono_ms();
		for (k = 0; k < n; k++) {
			uint64_t t = evs[k].data.u64;

			if (t & WORKERS_TAG_WAKE) {
				if (read(wk->evfd, &val, sizeof(val)) < 0) {
					/* nothing to read: woken already */
				}
			} else if (t & WORKERS_TAG_XSK) {
				datapath_rx_worker(&wk->dp, (unsigned int)(t & 0xffff));
			} else if ((ds = workers_session(d, t)) != NULL && ds->worker == (int)wk->dp.w) {
				datapath_tun_worker(&wk->dp, ds);
			}
		}
		xsk_io_port_flush(d->io, wk->dp.w);
		/* free TX frames it did not use go back for the others */
		xsk_io_port_idle(d->io, wk->dp.w);
		pthread_rwlock_unlock(&d->world);
	}
	return NULL;
}

int workers_init(struct daemon *d, unsigned int n)
{
	unsigned int i, q;
	int ret;

	d->workers = calloc(n, sizeof(*d->workers));
	if (!d->workers)
		return -ENOMEM;
	d->nworkers = n;
	for (i = 0; i < n; i++)
		d->workers[i].epfd = d->workers[i].evfd = -1;
	for (i = 0; i < n; i++) {
		struct worker *wk = &d->workers[i];

		wk->dp.d = d;
		wk->dp.w = i;
		wk->epfd = epoll_create1(EPOLL_CLOEXEC);
		if (wk->epfd < 0)
			return -errno;
		wk->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (wk->evfd < 0)
			return -errno;
		ret = workers_epoll_add(wk->epfd, wk->evfd, WORKERS_TAG_WAKE);
		for (q = 0; !ret && q < xsk_io_nqueues(d->io); q++)
			ret = workers_epoll_add(wk->epfd, xsk_io_port_fd(d->io, q, i),
						WORKERS_TAG_XSK | q);
		if (ret)
			return ret;
	}
	return 0;
}

int workers_start(struct daemon *d)
{
	unsigned int i;
	int ret;

	for (i = 0; i < d->nworkers; i++) {
		ret = pthread_create(&d->workers[i].th, NULL, workers_main, &d->workers[i]);
		if (ret) {
			pr_err("cannot start worker %u: %s", i, strerror(ret));
			return -ret;
		}
		d->workers[i].started = true;
	}
	pr_info("%u workers move the data; sessions go to worker (session id %% %u)",
		d->nworkers, d->nworkers);
	return 0;
}

void workers_stop(struct daemon *d)
{
	uint64_t one = 1;
	unsigned int i;

	pthread_rwlock_unlock(&d->world);
	for (i = 0; i < d->nworkers; i++) {
		__atomic_store_n(&d->workers[i].stop, true, __ATOMIC_RELEASE);
		if (d->workers[i].evfd >= 0 && write(d->workers[i].evfd, &one, sizeof(one)) < 0) {
			/* counter full: it is awake */
		}
	}
	for (i = 0; i < d->nworkers; i++) {
		if (!d->workers[i].started)
			continue;
		pthread_join(d->workers[i].th, NULL);
		d->workers[i].started = false;
	}
	pthread_rwlock_wrlock(&d->world);
}

void workers_free(struct daemon *d)
{
	unsigned int i;

	for (i = 0; i < d->nworkers; i++) {
		if (d->workers[i].epfd >= 0)
			close(d->workers[i].epfd);
		if (d->workers[i].evfd >= 0)
			close(d->workers[i].evfd);
	}
	free(d->workers);
	d->workers = NULL;
	d->nworkers = 0;
}

void workers_tun_attach(struct dsession *ds)
{
	struct daemon *d = ds->d;
	unsigned int w;
	int ret;

	if (!d->nworkers || ds->tun_fd < 0)
		return;
	w = workers_of_sid(d, ds->s.disc.session_id);
	if (ds->worker == (int)w)
		return;
	workers_tun_detach(ds);
	ret = workers_epoll_add(d->workers[w].epfd, ds->tun_fd, workers_tag(ds));
	if (ret) {
		sl_warn(ds->s.label, "cannot give TUN %s to worker %u: %s: nothing will be sent "
			"from it", ds->conf.s.ifname, w, strerror(-ret));
		return;
	}
	ds->worker = (int)w;
	d->workers[w].sessions++;
}

void workers_tun_detach(struct dsession *ds)
{
	struct daemon *d = ds->d;

	if (ds->worker < 0)
		return;
	if (ds->tun_fd >= 0)
		epoll_ctl(d->workers[ds->worker].epfd, EPOLL_CTL_DEL, ds->tun_fd, NULL);
	d->workers[ds->worker].sessions--;
	ds->worker = -1;
}
