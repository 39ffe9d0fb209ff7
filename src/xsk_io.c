// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * xsk_io.c - AF_XDP frame I/O: sockets, UMEMs, rings, batched RX and TX.
 * The XDP program that steers frames to the sockets, and its maps, are
 * xdp_prog.c's; the xsk_io.h calls about them pass through to it.
 *
 * Layout: one AF_XDP socket per RX queue, each with its own UMEM. A shared
 * UMEM would save memory on NICs with many queues, but every queue still
 * needs its own fill and completion rings, and a shared frame pool needs
 * accounting across queues (and locking once queues get their own
 * threads). Separate UMEMs keep each queue self-contained; the memory cost
 * (frames_per_queue * 2 KiB per queue, 8 MiB by default) is tunable.
 *
 * Queue 0's UMEM is split: half its frames feed the fill ring, half are
 * the TX pool. The other queues only receive and give all frames to RX.
 * The last 1/16 of the TX pool is kept for control frames (txpool.h):
 * datagrams from the TUNs are refused before they could take it.
 * Every ring is at least as large as the frames that can ever sit in it,
 * so reserving a ring slot for a frame we own cannot fail.
 *
 * Each queue has a second socket on the same UMEM (XDP_SHARED_UMEM, same
 * queue: the fill and completion rings are shared) for control frames:
 * the XDP program sends it everything of ours but IPv4/IPv6 session
 * frames (pppoe_xdp.h). Its RX ring is drained before the data one's,
 * and the data RX ring holds only half the RX frames, so a data ring
 * full under a flood still leaves fill buffers for control, which the
 * kernel would otherwise drop with the data. Control frames are sent on
 * its TX ring (queue 0), kicked first, so an Echo-Reply or a PADT never
 * waits behind a ring of data.
 *
 * Workers (xsk_io_conf.workers > 1): each queue has one data socket per
 * worker on the same UMEM, and the XDP program gives a session's data
 * frames to worker (session id % workers). Worker W drains its own RX
 * rings (xsk_io_rx_port) and sends on its own TX ring on queue 0
 * (xsk_io_port_*); the control socket stays the caller's (xsk_io_rx,
 * xsk_io_tx_reserve, xsk_io_flush). What they share, the fill and
 * completion rings, the TX frame pool and the counters, is under one
 * mutex, taken once per batch; the data RX rings together still hold
 * at most half the RX frames.
 */
#include <errno.h>
#include <pthread.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <xdp/xsk.h>

#include "pppoe/log.h"
#include "src/txpool.h"
#include "src/xdp_prog.h"
#include "src/xsk_io.h"
#include "xdp/pppoe_xdp.h"

#define XSK_IO_FRAME_SIZE	2048u
#define XSK_IO_DEFAULT_FRAMES	4096u
#define XSK_IO_MIN_FRAMES	128u
#define XSK_IO_MAX_FRAMES	(1u << 20)
#define XSK_IO_RX_RING		2048u
#define XSK_IO_BUSY_TRIES	40      /* x 50 ms: a queue still bound on a restart */
#define XSK_IO_BUSY_WAIT_US	50000
#define XSK_IO_BATCH		64u

/* A worker's (W > 0) data socket on one queue; worker 0's are the
 * xsk_io_queue's own xsk, rx, tx and fd. */
struct xsk_io_wsock {
	struct xsk_socket *xsk;
	struct xsk_ring_cons rx;
	struct xsk_ring_prod tx;	/* queue 0 only */
	int fd;
};

#define XSK_IO_TX_REFILL 32u	/* free TX frames a worker takes at once */
#define XSK_IO_TX_CACHE	256u	/* ... and holds at most (a super-packet's segments) */

/* A TX ring's state: worker W's data ring, or the control ring */
struct xsk_io_txring {
	unsigned int pending;		/* written to the ring, not submitted */
	unsigned int outstanding;	/* submitted, not yet completed */
	/* with workers: free frames taken from the pool for data, a batch
	 * at a time, so the pool's lock is not taken per packet */
	unsigned int ncache;
	uint64_t cache[XSK_IO_TX_CACHE];
};

#define XSK_IO_RING_CTL	0xffu		/* tx_ring_of: the control ring */

struct xsk_io_queue {
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	struct xsk_ring_prod fq;
	struct xsk_ring_cons cq;
	struct xsk_ring_cons rx;
	struct xsk_ring_prod tx;	/* queue 0 only */
	uint8_t *area;
	size_t area_size;
	int fd;
	/* the control socket on the same UMEM and queue; NULL: none */
	struct xsk_socket *cxsk;
	struct xsk_ring_cons crx;
	struct xsk_ring_prod ctx;	/* queue 0 only */
	int cfd;
	struct xsk_io_wsock *wk;	/* workers 1.. (nworkers - 1) */
};

struct xsk_io {
	char ifname[IF_NAMESIZE];
	int ifindex;
	struct xdp_prog *xdp;		/* the program steering frames to our sockets */

	unsigned int frames;		/* UMEM frames per queue */
	unsigned int nqueues;
	struct xsk_io_queue *queues;

	unsigned int nworkers;		/* data sockets per queue */
	bool locked;			/* nworkers > 1: lock is used */
	pthread_mutex_t lock;		/* fq, cq, tx_pool, tx_ring_of, counters */

	/* TX state, all on queue 0. */
	unsigned int tx_frames;
	struct txpool tx_pool;		/* free frames, with the control reserve */
	struct xsk_io_txring ctl;	/* the control TX ring */
	struct xsk_io_txring *ports;	/* worker W's data TX ring */
	unsigned int tx_outstanding;	/* submitted on any ring, not yet completed */
	uint8_t *tx_ring_of;		/* per frame: the ring it went on, XSK_IO_RING_CTL */

	uint64_t rx_count;
	uint64_t rx_ctl_count;		/* of rx_count: on the control sockets */
	uint64_t tx_count;
	uint64_t tx_dropped;
	uint64_t tx_data_held;
};

/* xsk_io_sysfs_queues - count /sys/class/net/IF/queues/rx-N, if it is ours */
static unsigned int xsk_io_sysfs_queues(const struct xsk_io *io)
{
	char path[128];
	unsigned int n = 0;
	int idx = -1;
	FILE *f;

	/*
	 * sysfs shows the network namespace it was mounted in, which need not
	 * be ours: trust it only if the ifindex agrees.
	 */
	snprintf(path, sizeof(path), "/sys/class/net/%s/ifindex", io->ifname);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%d", &idx) != 1)
		idx = -1;
	fclose(f);
	if (idx != io->ifindex)
		return 0;
	for (;;) {
		struct stat sb;

		snprintf(path, sizeof(path), "/sys/class/net/%s/queues/rx-%u",
			 io->ifname, n);
		if (stat(path, &sb))
			break;
		n++;
	}
	return n;
}

/* xsk_io_count_queues - number of RX queues, from ethtool or sysfs */
static unsigned int xsk_io_count_queues(const struct xsk_io *io)
{
	struct ethtool_channels ch = { .cmd = ETHTOOL_GCHANNELS };
	unsigned int n = 0, nsys;
	struct ifreq ifr = {};
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		memcpy(ifr.ifr_name, io->ifname, sizeof(ifr.ifr_name));
		ifr.ifr_data = (void *)&ch;
		if (ioctl(fd, SIOCETHTOOL, &ifr) == 0)
			n = ch.combined_count + ch.rx_count;
		close(fd);
	}
	/*
	 * Some drivers (veth) count a queue both as rx and combined; the
	 * kernel's rx-N directories are the real number of RX queues.
	 */
	nsys = xsk_io_sysfs_queues(io);
	if (nsys && (!n || nsys < n))
		n = nsys;
	if (!n)
		n = 1;
	if (n > PPPOE_XDP_MAX_QUEUES) {
		pr_warn("%s: %u RX queues, using only the first %u", io->ifname,
			n, PPPOE_XDP_MAX_QUEUES);
		n = PPPOE_XDP_MAX_QUEUES;
	}
	return n;
}

static unsigned int xsk_io_pow2(unsigned int n)
{
	unsigned int p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

/*
 * xsk_io_ctl_open - the control socket of queue @q, on its UMEM (@scfg as
 * the data socket's). Without one (an old kernel, no room in the map) the
 * XDP program gives control frames to the data socket: said, not fatal.
 */
static void xsk_io_ctl_open(struct xsk_io *io, unsigned int q, const struct xsk_socket_config *scfg)
{
	struct xsk_io_queue *xq = &io->queues[q];
	uint32_t key = PPPOE_XDP_CTL_BASE + q;
	int err;

	xq->cfd = -1;
	err = xsk_socket__create_shared(&xq->cxsk, io->ifname, q, xq->umem, &xq->crx,
					q == 0 ? &xq->ctx : NULL, &xq->fq, &xq->cq, scfg);
	if (err) {
		xq->cxsk = NULL;
		pr_warn("%s: queue %u: no control AF_XDP socket (%s): control frames share "
			"the data socket's ring", io->ifname, q, strerror(-err));
		return;
	}
	xq->cfd = xsk_socket__fd(xq->cxsk);
	err = bpf_map_update_elem(xdp_prog_xsks_fd(io->xdp), &key, &xq->cfd, BPF_ANY);
	if (err) {
		err = -errno;
		pr_warn("%s: queue %u: cannot insert the control socket into xsks_map (%s): "
			"control frames share the data socket's ring", io->ifname, q,
			strerror(-err));
		xsk_socket__delete(xq->cxsk);
		xq->cxsk = NULL;
		xq->cfd = -1;
	}
}

/* xsk_io_workers_close - undo xsk_io_workers_open (half-open too) */
static void xsk_io_workers_close(struct xsk_io *io, struct xsk_io_queue *xq)
{
	unsigned int w;

	if (!xq->wk)
		return;
	for (w = 1; w < io->nworkers; w++)
		if (xq->wk[w - 1].xsk)
			xsk_socket__delete(xq->wk[w - 1].xsk);
	free(xq->wk);
	xq->wk = NULL;
}

/*
 * xsk_io_workers_open - the data sockets of workers 1.. on queue @q, on its
 * UMEM (@scfg as worker 0's), each at its xsks_map key
 */
static int xsk_io_workers_open(struct xsk_io *io, unsigned int q, const struct xsk_socket_config *scfg)
{
	struct xsk_io_queue *xq = &io->queues[q];
	unsigned int w;
	int err;

	if (io->nworkers < 2)
		return 0;
	xq->wk = calloc(io->nworkers - 1, sizeof(*xq->wk));
	if (!xq->wk)
		return -ENOMEM;
	for (w = 1; w < io->nworkers; w++) {
		struct xsk_io_wsock *ws = &xq->wk[w - 1];
		uint32_t key = PPPOE_XDP_WORKER_BASE + (w - 1) * PPPOE_XDP_MAX_QUEUES + q;

		ws->fd = -1;
		err = xsk_socket__create_shared(&ws->xsk, io->ifname, q, xq->umem, &ws->rx,
						q == 0 ? &ws->tx : NULL, &xq->fq, &xq->cq, scfg);
		if (err) {
			ws->xsk = NULL;
			pr_err("%s: queue %u: cannot create worker %u's AF_XDP socket: %s",
			       io->ifname, q, w, strerror(-err));
			return err;
		}
		ws->fd = xsk_socket__fd(ws->xsk);
		if (bpf_map_update_elem(xdp_prog_xsks_fd(io->xdp), &key, &ws->fd, BPF_ANY)) {
			err = -errno;
			pr_err("%s: queue %u: cannot insert worker %u's socket into xsks_map: %s",
			       io->ifname, q, w, strerror(-err));
			return err;
		}
	}
	return 0;
}

/* xsk_io_queue_open - UMEM, socket and XSKMAP entry for RX queue @q */
static int xsk_io_queue_open(struct xsk_io *io, unsigned int q)
{
	struct xsk_io_queue *xq = &io->queues[q];
	bool has_tx = q == 0;
	bool skb = xdp_prog_is_skb(io->xdp);
	unsigned int nrx = has_tx ? io->frames - io->tx_frames : io->frames;
	struct xsk_umem_config ucfg = {
		.fill_size = io->frames,
		.comp_size = has_tx ? io->tx_frames : XSK_IO_BATCH,
		.frame_size = XSK_IO_FRAME_SIZE,
		.frame_headroom = 0,
		.flags = 0,
	};
	/* the data RX rings together: half the RX frames at most, the rest
	 * stay for control */
	unsigned int rx_size = xsk_io_pow2(nrx) / 2 < XSK_IO_RX_RING ? xsk_io_pow2(nrx) / 2
								     : XSK_IO_RX_RING;
	struct xsk_socket_config scfg = {
		.rx_size = rx_size / xsk_io_pow2(io->nworkers) >= XSK_IO_BATCH
			   ? rx_size / xsk_io_pow2(io->nworkers) : XSK_IO_BATCH,
		.tx_size = has_tx ? io->tx_frames : 0,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.xdp_flags = skb ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE,
		/* In native mode the kernel picks zero-copy when it can. */
		.bind_flags = XDP_USE_NEED_WAKEUP | (skb ? XDP_COPY : 0),
	};
	struct xsk_socket_config ccfg;
	unsigned int i;
	uint32_t idx;
	unsigned int tries;
	int err;

	xq->fd = -1;
	xq->cfd = -1;
	xq->area_size = (size_t)io->frames * XSK_IO_FRAME_SIZE;
	xq->area = mmap(NULL, xq->area_size, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (xq->area == MAP_FAILED) {
		err = -errno;
		xq->area = NULL;
		pr_err("%s: queue %u: cannot allocate %zu bytes of UMEM: %s",
		       io->ifname, q, xq->area_size, strerror(-err));
		return err;
	}
	err = xsk_umem__create(&xq->umem, xq->area, xq->area_size, &xq->fq,
			       &xq->cq, &ucfg);
	if (err) {
		xq->umem = NULL;
		pr_err("%s: queue %u: cannot register UMEM: %s", io->ifname, q,
		       strerror(-err));
		goto err_area;
	}
	/*
	 * EBUSY: the queue is still bound to the socket of a process that
	 * just exited (the kernel releases it asynchronously), as on a quick
	 * restart. Give it a moment before failing.
	 */
	for (tries = 0;; tries++) {
		err = xsk_socket__create(&xq->xsk, io->ifname, q, xq->umem, &xq->rx,
					 has_tx ? &xq->tx : NULL, &scfg);
		if (err != -EBUSY || tries >= XSK_IO_BUSY_TRIES)
			break;
		usleep(XSK_IO_BUSY_WAIT_US);
	}
	if (err) {
		xq->xsk = NULL;
		pr_err("%s: queue %u: cannot create AF_XDP socket: %s",
		       io->ifname, q, strerror(-err));
		goto err_umem;
	}
	xq->fd = xsk_socket__fd(xq->xsk);
	/* the control ring keeps its size however many data rings there are */
	ccfg = scfg;
	ccfg.rx_size = rx_size;
	xsk_io_ctl_open(io, q, &ccfg);
	if (io->nworkers > 1 && !xq->cxsk) {
		/* the control frames would share worker 0's ring */
		err = -EOPNOTSUPP;
		pr_err("%s: queue %u: workers need a control AF_XDP socket", io->ifname, q);
		goto err_sock;
	}
	err = xsk_io_workers_open(io, q, &scfg);
	if (err)
		goto err_sock;

	/* RX frames first in the area, TX frames after them (queue 0). */
	if (xsk_ring_prod__reserve(&xq->fq, nrx, &idx) != nrx) {
		err = -ENOSPC;
		pr_err("%s: queue %u: fill ring too small", io->ifname, q);
		goto err_sock;
	}
	for (i = 0; i < nrx; i++)
		*xsk_ring_prod__fill_addr(&xq->fq, idx + i) =
			(uint64_t)i * XSK_IO_FRAME_SIZE;
	xsk_ring_prod__submit(&xq->fq, nrx);
	if (has_tx)
		for (i = 0; i < io->tx_frames; i++)
			txpool_put(&io->tx_pool, (uint64_t)(nrx + i) * XSK_IO_FRAME_SIZE);

	err = xsk_socket__update_xskmap(xq->xsk, xdp_prog_xsks_fd(io->xdp));
	if (err) {
		pr_err("%s: queue %u: cannot insert socket into xsks_map: %s",
		       io->ifname, q, strerror(-err));
		goto err_sock;
	}
	return 0;

err_sock:
	xsk_io_workers_close(io, xq);
	if (xq->cxsk)
		xsk_socket__delete(xq->cxsk);
	xq->cxsk = NULL;
	xq->cfd = -1;
	xsk_socket__delete(xq->xsk);
	xq->xsk = NULL;
	xq->fd = -1;
err_umem:
	xsk_umem__delete(xq->umem);
	xq->umem = NULL;
err_area:
	munmap(xq->area, xq->area_size);
	xq->area = NULL;
	return err;
}

/* xsk_io_queue_close - undo xsk_io_queue_open (safe on a half-open queue) */
static void xsk_io_queue_close(struct xsk_io *io, struct xsk_io_queue *xq)
{
	/* the workers' and control sockets first: the UMEM goes with the last */
	xsk_io_workers_close(io, xq);
	if (xq->cxsk)
		xsk_socket__delete(xq->cxsk);
	if (xq->xsk)
		xsk_socket__delete(xq->xsk);
	if (xq->umem)
		xsk_umem__delete(xq->umem);
	if (xq->area)
		munmap(xq->area, xq->area_size);
	memset(xq, 0, sizeof(*xq));
	xq->fd = -1;
	xq->cfd = -1;
}

static bool xsk_io_is_zerocopy(const struct xsk_io_queue *xq)
{
	struct xdp_options opts = {};
	socklen_t len = sizeof(opts);

	if (getsockopt(xq->fd, SOL_XDP, XDP_OPTIONS, &opts, &len))
		return false;
	return opts.flags & XDP_OPTIONS_ZEROCOPY;
}

/* xsk_io_open - mount bpffs, clear stale programs, attach, open all queues */
int xsk_io_open(struct xsk_io **out, const struct xsk_io_conf *conf)
{
	unsigned int frames = conf->frames_per_queue ?: XSK_IO_DEFAULT_FRAMES;
	struct xsk_io *io;
	unsigned int q;
	int err;

	*out = NULL;
	if (!conf->ifname || !*conf->ifname ||
	    strlen(conf->ifname) >= IF_NAMESIZE) {
		pr_err("xsk_io: bad interface name");
		return -EINVAL;
	}
	if (frames < XSK_IO_MIN_FRAMES || frames > XSK_IO_MAX_FRAMES) {
		pr_err("%s: frames per queue must be %u..%u, not %u",
		       conf->ifname, XSK_IO_MIN_FRAMES, XSK_IO_MAX_FRAMES, frames);
		return -EINVAL;
	}
	io = calloc(1, sizeof(*io));
	if (!io)
		return -ENOMEM;
	memcpy(io->ifname, conf->ifname, strlen(conf->ifname) + 1);
	/* Rings are powers of two; size the UMEM to match. */
	io->frames = xsk_io_pow2(frames);
	io->tx_frames = io->frames / 2;

	io->ifindex = (int)if_nametoindex(io->ifname);
	if (!io->ifindex) {
		err = -errno;
		pr_err("%s: no such interface: %s", io->ifname, strerror(-err));
		goto err_free;
	}
	io->nworkers = conf->workers > 1 ? conf->workers : 1;
	pthread_mutex_init(&io->lock, NULL);
	if (io->nworkers > PPPOE_XDP_MAX_WORKERS) {
		pr_err("%s: at most %u workers, not %u", io->ifname, PPPOE_XDP_MAX_WORKERS,
		       io->nworkers);
		err = -EINVAL;
		goto err_free;
	}
	io->locked = io->nworkers > 1;
	err = txpool_init(&io->tx_pool, io->tx_frames);
	if (err)
		goto err_free;
	io->ports = calloc(io->nworkers, sizeof(*io->ports));
	io->tx_ring_of = calloc(io->frames, 1);
	if (!io->tx_ring_of || !io->ports) {
		err = -ENOMEM;
		goto err_free;
	}
	io->nqueues = xsk_io_count_queues(io);
	io->queues = calloc(io->nqueues, sizeof(*io->queues));
	if (!io->queues) {
		err = -ENOMEM;
		goto err_free;
	}

	err = xdp_prog_open(&io->xdp, io->ifname, io->ifindex, conf->mode);
	if (err)
		goto err_free;
	err = xdp_prog_set_workers(io->xdp, io->nworkers);
	if (err) {
		pr_err("%s: cannot tell the XDP program of %u workers: %s", io->ifname,
		       io->nworkers, strerror(-err));
		xdp_prog_close(io->xdp, false);
		goto err_free;
	}

	for (q = 0; q < io->nqueues; q++) {
		err = xsk_io_queue_open(io, q);
		if (err)
			goto err_queues;
	}
	pr_info("%s: XDP attached in %s mode, %u AF_XDP socket%s (%s)%s%s, %u frames each",
		io->ifname, xsk_io_mode_name(io), io->nqueues,
		io->nqueues == 1 ? "" : "s",
		xsk_io_is_zerocopy(&io->queues[0]) ? "zero-copy" : "copy",
		io->queues[0].cxsk ? " with a control socket each" : "",
		io->nworkers > 1 ? " and one data socket per worker" : "", io->frames);
	*out = io;
	return 0;

err_queues:
	while (q--)
		xsk_io_queue_close(io, &io->queues[q]);
	xdp_prog_close(io->xdp, false);
err_free:
	free(io->queues);
	free(io->tx_ring_of);
	free(io->ports);
	txpool_fini(&io->tx_pool);
	pthread_mutex_destroy(&io->lock);
	free(io);
	return err;
}

/* xsk_io_close - close the sockets, then detach the program */
void xsk_io_close(struct xsk_io *io, bool keep_prog)
{
	unsigned int q;

	if (!io)
		return;
	for (q = io->nqueues; q--;)
		xsk_io_queue_close(io, &io->queues[q]);
	xdp_prog_close(io->xdp, keep_prog);
	free(io->queues);
	free(io->tx_ring_of);
	free(io->ports);
	txpool_fini(&io->tx_pool);
	pthread_mutex_destroy(&io->lock);
	free(io);
}

unsigned int xsk_io_nqueues(const struct xsk_io *io)
{
	return io->nqueues;
}

int xsk_io_fd(const struct xsk_io *io, unsigned int q)
{
	return q < io->nqueues ? io->queues[q].fd : -EINVAL;
}

int xsk_io_port_fd(const struct xsk_io *io, unsigned int q, unsigned int w)
{
	if (q >= io->nqueues || w >= io->nworkers)
		return -EINVAL;
	return w ? io->queues[q].wk[w - 1].fd : io->queues[q].fd;
}

unsigned int xsk_io_nworkers(const struct xsk_io *io)
{
	return io->nworkers;
}

int xsk_io_ctl_fd(const struct xsk_io *io, unsigned int q)
{
	if (q >= io->nqueues)
		return -EINVAL;
	return io->queues[q].cxsk ? io->queues[q].cfd : -ENOENT;
}

const char *xsk_io_mode_name(const struct xsk_io *io)
{
	return xdp_prog_is_skb(io->xdp) ? "skb" : "native";
}

const char *xsk_io_ifname(const struct xsk_io *io)
{
	return io->ifname;
}

int xsk_io_ifindex(const struct xsk_io *io)
{
	return io->ifindex;
}

/* The program and its maps: xdp_prog.c. */
int xsk_io_add_mac(struct xsk_io *io, const uint8_t mac[6])
{
	return xdp_prog_add_mac(io->xdp, mac);
}

int xsk_io_del_mac(struct xsk_io *io, const uint8_t mac[6])
{
	return xdp_prog_del_mac(io->xdp, mac);
}

int xsk_io_add_vlan(struct xsk_io *io, unsigned int outer, unsigned int inner)
{
	return xdp_prog_add_vlan(io->xdp, outer, inner);
}

int xsk_io_del_vlan(struct xsk_io *io, unsigned int outer, unsigned int inner)
{
	return xdp_prog_del_vlan(io->xdp, outer, inner);
}

int xsk_io_xdp_ensure(struct xsk_io *io)
{
	return xdp_prog_ensure(io->xdp);
}

int xsk_io_get_xdp_stats(const struct xsk_io *io, uint64_t *out, unsigned int n)
{
	return xdp_prog_get_stats(io->xdp, out, n);
}

/* The lock around what workers share; nothing to do with one worker. */
static inline void xsk_io_lock(const struct xsk_io *io)
{
	if (io->locked)
		pthread_mutex_lock((pthread_mutex_t *)&io->lock);
}

static inline void xsk_io_unlock(const struct xsk_io *io)
{
	if (io->locked)
		pthread_mutex_unlock((pthread_mutex_t *)&io->lock);
}

/* xsk_io_wakeup_rx - let the driver refill from the fill ring if it waits */
static void xsk_io_wakeup_rx(struct xsk_io_queue *xq, int fd)
{
	if (xsk_ring_prod__needs_wakeup(&xq->fq))
		recvfrom(fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
}

/*
 * xsk_io_rx_ring - hand up to one batch of @rx to @fn, then recycle the
 * frames to the (shared) fill ring; the number handled or -ENOSPC
 */
static int xsk_io_rx_ring(struct xsk_io *io, unsigned int q, struct xsk_ring_cons *rx,
			  xsk_io_rx_fn fn, void *ctx, bool ctl)
{
	struct xsk_io_queue *xq = &io->queues[q];
	uint32_t idx_rx, idx_fq, i, n;

	n = xsk_ring_cons__peek(rx, XSK_IO_BATCH, &idx_rx);
	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		const struct xdp_desc *d = xsk_ring_cons__rx_desc(rx, idx_rx + i);
		uint64_t addr = xsk_umem__add_offset_to_addr(d->addr);

		fn(ctx, xq->area + addr, d->len);
	}
	xsk_io_lock(io);
	/* Cannot fail while the fill ring holds every RX frame; see top.
	 * (Reserved only now, after @fn: with workers, other threads fill it
	 * too, and a slot reserved but not yet written must not be submitted
	 * by them. Were it to fail, these frames would be lost to RX.) */
	if (xsk_ring_prod__reserve(&xq->fq, n, &idx_fq) != n) {
		xsk_io_unlock(io);
		xsk_ring_cons__release(rx, n);
		pr_err("%s: queue %u: fill ring full, %u frames lost track of",
		       io->ifname, q, n);
		return -ENOSPC;
	}
	for (i = 0; i < n; i++) {
		uint64_t addr = xsk_ring_cons__rx_desc(rx, idx_rx + i)->addr;

		addr = xsk_umem__add_offset_to_addr(addr);
		/* Hand back the frame's start, not where this packet began. */
		*xsk_ring_prod__fill_addr(&xq->fq, idx_fq + i) =
			addr - addr % XSK_IO_FRAME_SIZE;
	}
	xsk_ring_prod__submit(&xq->fq, n);
	io->rx_count += n;
	if (ctl)
		io->rx_ctl_count += n;
	xsk_io_unlock(io);
	xsk_ring_cons__release(rx, n);
	return (int)n;
}

/* xsk_io_rx - the control ring's batch first, then the data ring's (one worker) */
int xsk_io_rx(struct xsk_io *io, unsigned int q, xsk_io_rx_fn fn, void *ctx)
{
	struct xsk_io_queue *xq;
	int c = 0, n = 0;

	if (q >= io->nqueues)
		return -EINVAL;
	xq = &io->queues[q];
	if (xq->cxsk) {
		c = xsk_io_rx_ring(io, q, &xq->crx, fn, ctx, true);
		if (c < 0)
			return c;
	}
	if (io->nworkers == 1)
		n = xsk_io_rx_ring(io, q, &xq->rx, fn, ctx, false);
	xsk_io_wakeup_rx(xq, xq->fd);
	return n < 0 ? n : c + n;
}

int xsk_io_rx_port(struct xsk_io *io, unsigned int q, unsigned int w, xsk_io_rx_fn fn, void *ctx)
{
	struct xsk_io_queue *xq;
	int n;

	if (q >= io->nqueues || w >= io->nworkers)
		return -EINVAL;
	xq = &io->queues[q];
	n = xsk_io_rx_ring(io, q, w ? &xq->wk[w - 1].rx : &xq->rx, fn, ctx, false);
	xsk_io_wakeup_rx(xq, w ? xq->wk[w - 1].fd : xq->fd);
	return n;
}

/* xsk_io_reap_locked - move completed TX frames back to the free stack */
static void xsk_io_reap_locked(struct xsk_io *io)
{
	struct xsk_io_queue *xq = &io->queues[0];
	uint32_t idx, i, n;

	if (!io->tx_outstanding)
		return;
	n = xsk_ring_cons__peek(&xq->cq, io->tx_frames, &idx);
	for (i = 0; i < n; i++) {
		uint64_t addr = *xsk_ring_cons__comp_addr(&xq->cq, idx + i);
		unsigned int r = io->tx_ring_of[addr / XSK_IO_FRAME_SIZE];
		struct xsk_io_txring *ring = r == XSK_IO_RING_CTL ? &io->ctl
				: r < io->nworkers ? &io->ports[r] : NULL;

		if (ring && ring->outstanding)
			ring->outstanding--;
		txpool_put(&io->tx_pool, addr);
	}
	xsk_ring_cons__release(&xq->cq, n);
	io->tx_outstanding -= n;
	io->tx_count += n;
}

/* xsk_io_kick - make the kernel transmit what sits in TX ring @tx of socket @fd */
static void xsk_io_kick(struct xsk_io *io, int fd, struct xsk_ring_prod *tx,
			unsigned int outstanding)
{
	/* Copy mode sends at most 32 frames per call, then says EAGAIN. */
	unsigned int tries = outstanding / 32 + 2;

	if (!xsk_ring_prod__needs_wakeup(tx))
		return;
	while (tries--) {
		if (sendto(fd, NULL, 0, MSG_DONTWAIT, NULL, 0) >= 0)
			return;
		switch (errno) {
		case EAGAIN:
			continue;
		case EBUSY:
		case ENOBUFS:
		case ENETDOWN:
			/* Still queued; the next flush retries. */
			return;
		default:
			pr_debug("%s: TX kick failed: %s", io->ifname,
				 strerror(errno));
			return;
		}
	}
}

/* The data TX ring of worker @w, and its socket */
static struct xsk_ring_prod *xsk_io_port_ring(struct xsk_io *io, unsigned int w, int *fd)
{
	struct xsk_io_queue *xq = &io->queues[0];

	*fd = w ? xq->wk[w - 1].fd : xq->fd;
	return w ? &xq->wk[w - 1].tx : &xq->tx;
}

/* xsk_io_flush_ring - submit what @r queued on @tx, kick while any is out */
/* (@any: kick while any frame is out, on either ring: one worker's data
 * ring, as before workers) */
static void xsk_io_flush_ring(struct xsk_io *io, struct xsk_io_txring *r,
			      struct xsk_ring_prod *tx, int fd, bool any)
{
	unsigned int out;

	xsk_io_lock(io);
	if (r->pending) {
		xsk_ring_prod__submit(tx, r->pending);
		r->outstanding += r->pending;
		io->tx_outstanding += r->pending;
		r->pending = 0;
	}
	out = any ? io->tx_outstanding : r->outstanding;
	xsk_io_unlock(io);
	if (out)
		xsk_io_kick(io, fd, tx, io->locked ? out : io->tx_outstanding);
}

void xsk_io_port_flush(struct xsk_io *io, unsigned int w)
{
	struct xsk_ring_prod *tx;
	int fd;

	tx = xsk_io_port_ring(io, w, &fd);
	xsk_io_flush_ring(io, &io->ports[w], tx, fd, false);
	xsk_io_lock(io);
	xsk_io_reap_locked(io);
	xsk_io_unlock(io);
}

/* xsk_io_flush - submit queued frames, kick if needed, reap completions */
void xsk_io_flush(struct xsk_io *io)
{
	struct xsk_io_queue *xq = &io->queues[0];

	/* control first: it goes out before the data that queued with it;
	 * kicked as long as any of it is not completed, as a kick that met a
	 * busy device left some in its ring and a kick of the data socket
	 * only drains the data ring (copy mode) */
	if (xq->cxsk)
		xsk_io_flush_ring(io, &io->ctl, &xq->ctx, xq->cfd, false);
	/* with workers, their own data rings are theirs to flush */
	if (io->nworkers == 1)
		xsk_io_flush_ring(io, &io->ports[0], &xq->tx, xq->fd, true);
	xsk_io_lock(io);
	xsk_io_reap_locked(io);
	xsk_io_unlock(io);
}

/*
 * xsk_io_tx_take - a free TX frame for @cls (sent by worker @w), reaping
 * or flushing first if none
 */
static uint8_t *xsk_io_tx_take(struct xsk_io *io, unsigned int w, enum txpool_class cls,
			       size_t *cap)
{
	uint64_t addr;
	bool ok;

	xsk_io_lock(io);
	if (!txpool_avail(&io->tx_pool, cls)) {
		xsk_io_reap_locked(io);
		if (!txpool_avail(&io->tx_pool, cls) &&
		    (cls == TXPOOL_CONTROL || !io->locked
		     ? io->ctl.pending || (io->nworkers == 1 && io->ports[0].pending)
		     : io->ports[w].pending)) {
			xsk_io_unlock(io);
			/* one worker: both rings, control first, as ever */
			if (cls == TXPOOL_CONTROL || !io->locked)
				xsk_io_flush(io);
			else
				xsk_io_port_flush(io, w);
			xsk_io_lock(io);
		}
	}
	ok = txpool_take(&io->tx_pool, cls, &addr);
	if (!ok) {
		if (cls == TXPOOL_DATA)
			io->tx_data_held++;
		else
			io->tx_dropped++;
	} else {
		io->tx_ring_of[addr / XSK_IO_FRAME_SIZE] =
			cls == TXPOOL_CONTROL && io->queues[0].cxsk ? XSK_IO_RING_CTL : (uint8_t)w;
	}
	xsk_io_unlock(io);
	if (!ok)
		return NULL;
	*cap = XSK_IO_FRAME_SIZE;
	return io->queues[0].area + addr;
}

/*
 * xsk_io_cache_take - xsk_io_tx_take for data with workers: from worker
 * @w's cache, refilled from the pool (never below the control reserve)
 * a batch at a time
 */
static uint8_t *xsk_io_cache_take(struct xsk_io *io, unsigned int w, size_t *cap)
{
	struct xsk_io_txring *r = &io->ports[w];
	uint64_t addr;

	if (!r->ncache) {
		xsk_io_lock(io);
		if (!txpool_avail(&io->tx_pool, TXPOOL_DATA))
			xsk_io_reap_locked(io);
		if (!txpool_avail(&io->tx_pool, TXPOOL_DATA) && r->pending) {
			xsk_io_unlock(io);
			xsk_io_port_flush(io, w);
			xsk_io_lock(io);
		}
		while (r->ncache < XSK_IO_TX_REFILL &&
		       txpool_take(&io->tx_pool, TXPOOL_DATA, &r->cache[r->ncache]))
			r->ncache++;
		if (!r->ncache)
			io->tx_data_held++;
		xsk_io_unlock(io);
		if (!r->ncache)
			return NULL;
	}
	addr = r->cache[--r->ncache];
	/* ours alone until committed: nobody else reads this entry now */
	io->tx_ring_of[addr / XSK_IO_FRAME_SIZE] = (uint8_t)w;
	*cap = XSK_IO_FRAME_SIZE;
	return io->queues[0].area + addr;
}

uint8_t *xsk_io_tx_reserve(struct xsk_io *io, size_t *cap)
{
	return xsk_io_tx_take(io, 0, TXPOOL_CONTROL, cap);
}

uint8_t *xsk_io_port_reserve(struct xsk_io *io, unsigned int w, size_t *cap)
{
	if (io->locked)
		return xsk_io_cache_take(io, w, cap);
	return xsk_io_tx_take(io, w, TXPOOL_DATA, cap);
}

uint8_t *xsk_io_tx_reserve_data(struct xsk_io *io, size_t *cap)
{
	return xsk_io_port_reserve(io, 0, cap);
}

/*
 * xsk_io_cache_room - xsk_io_port_room with workers: the @n frames are
 * taken into worker @w's cache now, so no other worker can take them
 * between the check and the sends
 */
static bool xsk_io_cache_room(struct xsk_io *io, unsigned int w, unsigned int n)
{
	struct xsk_io_txring *r = &io->ports[w];
	bool flushed = false;

	if (n > XSK_IO_TX_CACHE)
		return false;
	xsk_io_lock(io);
	for (;;) {
		while (r->ncache < n && txpool_take(&io->tx_pool, TXPOOL_DATA, &r->cache[r->ncache]))
			r->ncache++;
		if (r->ncache >= n)
			break;
		xsk_io_reap_locked(io);
		if (txpool_avail(&io->tx_pool, TXPOOL_DATA))
			continue;
		if (flushed || !r->pending)
			break;
		xsk_io_unlock(io);
		xsk_io_port_flush(io, w);
		flushed = true;
		xsk_io_lock(io);
	}
	xsk_io_unlock(io);
	return r->ncache >= n;
}

void xsk_io_port_idle(struct xsk_io *io, unsigned int w)
{
	struct xsk_io_txring *r = &io->ports[w];

	if (!io->locked || !r->ncache)
		return;
	xsk_io_lock(io);
	while (r->ncache)
		txpool_put(&io->tx_pool, r->cache[--r->ncache]);
	xsk_io_unlock(io);
}

bool xsk_io_port_room(struct xsk_io *io, unsigned int w, unsigned int n)
{
	bool ok;

	if (io->locked)
		return xsk_io_cache_room(io, w, n);
	/* one thread: no lock, both rings flushed */
	if (txpool_avail(&io->tx_pool, TXPOOL_DATA) >= n)
		return true;
	xsk_io_reap_locked(io);
	ok = txpool_avail(&io->tx_pool, TXPOOL_DATA) >= n;
	if (!ok && (io->ports[0].pending || io->ctl.pending))
		xsk_io_flush(io);
	return txpool_avail(&io->tx_pool, TXPOOL_DATA) >= n;
}

bool xsk_io_tx_data_room(struct xsk_io *io, unsigned int n)
{
	return xsk_io_port_room(io, 0, n);
}

/* xsk_io_give_back - a taken frame at @addr goes back unsent */
static void xsk_io_give_back(struct xsk_io *io, uint64_t addr, bool dropped)
{
	xsk_io_lock(io);
	if (dropped)
		io->tx_dropped++;
	txpool_put(&io->tx_pool, addr);
	xsk_io_unlock(io);
}

/*
 * xsk_io_port_commit - queue @buf on its TX ring (len 0: give it back):
 * the control ring if it was taken for control, else worker @w's
 */
void xsk_io_port_commit(struct xsk_io *io, unsigned int w, uint8_t *buf, size_t len)
{
	struct xsk_io_queue *xq = &io->queues[0];
	uint64_t addr = (uint64_t)(buf - xq->area);
	struct xsk_io_txring *r;
	struct xsk_ring_prod *ring;
	struct xdp_desc *d;
	bool ctl;
	uint32_t idx;
	int fd;

	addr -= addr % XSK_IO_FRAME_SIZE;
	/* written by whoever took the frame, the caller: no lock to read it */
	ctl = io->tx_ring_of[addr / XSK_IO_FRAME_SIZE] == XSK_IO_RING_CTL;
	if (ctl) {
		ring = &xq->ctx;
		r = &io->ctl;
	} else {
		ring = xsk_io_port_ring(io, w, &fd);
		r = &io->ports[w];
	}
	if (!len && io->locked && !ctl && r->ncache < XSK_IO_TX_CACHE) {
		/* unsent data frame: back to the worker's cache, no lock */
		r->cache[r->ncache++] = addr;
		return;
	}
	if (!len || len > XSK_IO_FRAME_SIZE) {
		xsk_io_give_back(io, addr, len != 0);
		return;
	}
	/* Cannot fail: each TX ring is as large as the TX frame pool. */
	if (xsk_ring_prod__reserve(ring, 1, &idx) != 1) {
		xsk_io_give_back(io, addr, true);
		return;
	}
	d = xsk_ring_prod__tx_desc(ring, idx);
	d->addr = addr;
	d->len = (uint32_t)len;
	d->options = 0;
	r->pending++;
	if (!io->locked) {
		/* one worker: a batch of either kind flushes both, control first */
		if (io->ctl.pending + io->ports[0].pending >= XSK_IO_BATCH)
			xsk_io_flush(io);
	} else if (r->pending >= XSK_IO_BATCH) {
		if (ctl)
			xsk_io_flush(io);
		else
			xsk_io_port_flush(io, w);
	}
}

void xsk_io_tx_commit(struct xsk_io *io, uint8_t *buf, size_t len)
{
	xsk_io_port_commit(io, 0, buf, len);
}

int xsk_io_send(struct xsk_io *io, const uint8_t *frame, size_t len)
{
	uint8_t *buf;
	size_t cap;

	if (len > XSK_IO_FRAME_SIZE) {
		xsk_io_lock(io);
		io->tx_dropped++;
		xsk_io_unlock(io);
		return -EMSGSIZE;
	}
	buf = xsk_io_tx_reserve(io, &cap);
	if (!buf)
		return -ENOBUFS;
	memcpy(buf, frame, len);
	xsk_io_tx_commit(io, buf, len);
	return 0;
}

unsigned int xsk_io_port_outstanding(const struct xsk_io *io, unsigned int w)
{
	unsigned int n;

	xsk_io_lock(io);
	n = io->ports[w].pending + io->ports[w].outstanding;
	xsk_io_unlock(io);
	return n;
}

unsigned int xsk_io_tx_outstanding(const struct xsk_io *io)
{
	unsigned int n;

	xsk_io_lock(io);
	n = io->ctl.pending + io->ctl.outstanding;
	if (io->nworkers == 1)
		n += io->ports[0].pending + io->ports[0].outstanding;
	xsk_io_unlock(io);
	return n;
}

/* xsk_io_sock_stats - the kernel's drops on socket @fd into @st */
static void xsk_io_sock_stats(int fd, struct xsk_io_stats *st, bool ctl)
{
	struct xdp_statistics xs = {};
	socklen_t len = sizeof(xs);

	if (fd < 0 || getsockopt(fd, SOL_XDP, XDP_STATISTICS, &xs, &len))
		return;
	st->rx_dropped += xs.rx_dropped + xs.rx_ring_full;
	if (ctl)
		st->rx_control_dropped += xs.rx_dropped + xs.rx_ring_full;
	st->tx_dropped += xs.tx_invalid_descs;
}

/* xsk_io_get_stats - our counters plus the kernel's per-socket drops */
void xsk_io_get_stats(const struct xsk_io *io, struct xsk_io_stats *st)
{
	unsigned int q, w;

	memset(st, 0, sizeof(*st));
	xsk_io_lock(io);
	st->rx_frames = io->rx_count;
	st->rx_control = io->rx_ctl_count;
	st->tx_frames = io->tx_count;
	st->tx_dropped = io->tx_dropped;
	st->tx_data_held = io->tx_data_held;
	xsk_io_unlock(io);
	for (q = 0; q < io->nqueues; q++) {
		xsk_io_sock_stats(io->queues[q].fd, st, false);
		if (io->queues[q].cxsk)
			xsk_io_sock_stats(io->queues[q].cfd, st, true);
		for (w = 1; w < io->nworkers && io->queues[q].wk; w++)
			xsk_io_sock_stats(io->queues[q].wk[w - 1].fd, st, false);
	}
}
