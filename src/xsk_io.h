/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * xsk_io.h - AF_XDP frame I/O on one interface.
 *
 * Attaches the pppoe_xdp program (through libxdp, so it shares the
 * interface with other XDP programs), opens one AF_XDP socket per RX queue
 * and exposes batched RX and zero-copy TX. One thread drives the control
 * side (xsk_io_rx, xsk_io_tx_reserve, xsk_io_flush, the maps); with
 * workers, worker W drives its data sockets (xsk_io_rx_port,
 * xsk_io_port_*) alongside, each from its own thread.
 */
#ifndef PPPOE_XSK_IO_H
#define PPPOE_XSK_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum xsk_io_mode {
	XSK_IO_MODE_AUTO,	/* native, fall back to SKB */
	XSK_IO_MODE_NATIVE,
	XSK_IO_MODE_SKB,
};

struct xsk_io_conf {
	const char *ifname;
	enum xsk_io_mode mode;
	unsigned int frames_per_queue;	/* UMEM frames per queue; 0 = 4096 */
	unsigned int workers;		/* data sockets per queue; 0 = 1 */
};

struct xsk_io;

/* Frames handed to the RX callback are valid only during the call. */
typedef void (*xsk_io_rx_fn)(void *ctx, const uint8_t *frame, size_t len);

struct xsk_io_stats {
	uint64_t rx_frames;	/* frames given to xsk_io_rx callbacks */
	uint64_t rx_control;	/* of those: from the control sockets */
	uint64_t tx_frames;	/* frames completed by the kernel */
	uint64_t tx_dropped;	/* no free frame at reserve time + kernel-invalid */
	uint64_t rx_dropped;	/* kernel: rx ring full, no fill buffer, dropped */
	uint64_t rx_control_dropped; /* of those: on the control sockets */
	uint64_t tx_data_held;	/* data refused: free frames down to the control reserve */
};

int xsk_io_open(struct xsk_io **out, const struct xsk_io_conf *conf);
/* xsk_io_close - close sockets, detach the XDP program (unless @keep_prog:
 * left attached for the next start), free everything */
void xsk_io_close(struct xsk_io *io, bool keep_prog);

/*
 * Steer PPPoE frames for @mac to us. Counted: sessions sharing a MAC each
 * add it, and it stays until the last one deletes it. Deleting a MAC that
 * is not there returns 0.
 */
int xsk_io_add_mac(struct xsk_io *io, const uint8_t mac[6]);
int xsk_io_del_mac(struct xsk_io *io, const uint8_t mac[6]);
/*
 * Steer PPPoE frames tagged with VLAN @outer (and @inner, or
 * PPPOE_XDP_VLAN_NONE for one tag; both PPPOE_XDP_VLAN_NONE: untagged
 * frames) to us; without this, frames on that VLAN (or untagged) go to the
 * kernel. Counted like MACs: every session on the VLAN adds it,
 * and it stays until the last one deletes it.
 */
int xsk_io_add_vlan(struct xsk_io *io, unsigned int outer, unsigned int inner);
int xsk_io_del_vlan(struct xsk_io *io, unsigned int outer, unsigned int inner);

unsigned int xsk_io_nqueues(const struct xsk_io *io);
/* Socket of queue @q, for epoll (EPOLLIN). */
int xsk_io_fd(const struct xsk_io *io, unsigned int q);
/* Its control socket (-ENOENT: none), for epoll too: xsk_io_rx serves both. */
int xsk_io_ctl_fd(const struct xsk_io *io, unsigned int q);
/* Worker @w's data socket on queue @q (worker 0's is xsk_io_fd) */
int xsk_io_port_fd(const struct xsk_io *io, unsigned int q, unsigned int w);
unsigned int xsk_io_nworkers(const struct xsk_io *io);
/* "native" or "skb": the mode actually attached. */
const char *xsk_io_mode_name(const struct xsk_io *io);
const char *xsk_io_ifname(const struct xsk_io *io);
int xsk_io_ifindex(const struct xsk_io *io);
/*
 * xsk_io_xdp_ensure - after a link change: is our XDP program still on the
 * interface? If someone removed it, attach it again (1); if another
 * program took its place, say so once and leave it (-EEXIST); 0 if all is
 * well.
 */
int xsk_io_xdp_ensure(struct xsk_io *io);

/*
 * xsk_io_rx - drain up to one batch (64) of frames from queue @q's control
 * socket, then (with one worker) one from its data socket, calling @fn for
 * each, then give the buffers back to the fill ring.
 * Returns the number of frames handled or -errno.
 */
int xsk_io_rx(struct xsk_io *io, unsigned int q, xsk_io_rx_fn fn, void *ctx);
/* xsk_io_rx_port - the same for worker @w's data socket on queue @q */
int xsk_io_rx_port(struct xsk_io *io, unsigned int q, unsigned int w, xsk_io_rx_fn fn, void *ctx);

/*
 * TX (on queue 0's socket). xsk_io_tx_reserve() hands out a UMEM frame of
 * *cap bytes to build a frame in place, or NULL when none is free (the
 * drop is counted in tx_dropped). xsk_io_tx_reserve_data() is the same for
 * data (datagrams from the TUNs), but NULL (counted in tx_data_held) once
 * the free frames are down to the reserve kept for control frames (1/16 of
 * the pool; see txpool.h): control traffic (xsk_io_send too) may use it.
 * xsk_io_tx_commit() queues a frame; a @len of 0 gives it back unsent. Nothing reaches the wire before
 * xsk_io_flush(), which submits the batch, kicks the kernel once if it
 * needs it and recycles completed frames. TX never blocks.
 */
uint8_t *xsk_io_tx_reserve(struct xsk_io *io, size_t *cap);
uint8_t *xsk_io_tx_reserve_data(struct xsk_io *io, size_t *cap);
void xsk_io_tx_commit(struct xsk_io *io, uint8_t *buf, size_t len);
/*
 * Worker @w's data TX: the calls above for its own TX ring (worker 0's is
 * the one xsk_io_tx_reserve_data etc. use). xsk_io_port_flush submits and
 * kicks that ring only; xsk_io_flush leaves the workers' rings alone when
 * there are several.
 */
uint8_t *xsk_io_port_reserve(struct xsk_io *io, unsigned int w, size_t *cap);
void xsk_io_port_commit(struct xsk_io *io, unsigned int w, uint8_t *buf, size_t len);
bool xsk_io_port_room(struct xsk_io *io, unsigned int w, unsigned int n);
void xsk_io_port_flush(struct xsk_io *io, unsigned int w);
/* xsk_io_port_idle - worker @w ends a batch: its spare TX frames back to the pool */
void xsk_io_port_idle(struct xsk_io *io, unsigned int w);
unsigned int xsk_io_port_outstanding(const struct xsk_io *io, unsigned int w);
/*
 * xsk_io_tx_data_room - can data take @n more frames now (reaping, and
 * flushing what is queued, if that makes room)? For a super-packet that
 * is sent whole or not at all.
 */
bool xsk_io_tx_data_room(struct xsk_io *io, unsigned int n);
/* Copying convenience: reserve + memcpy + commit. 0 or -ENOBUFS/-EMSGSIZE. */
int xsk_io_send(struct xsk_io *io, const uint8_t *frame, size_t len);
void xsk_io_flush(struct xsk_io *io);
/*
 * Frames committed but not yet completed by the kernel. When non-zero
 * after xsk_io_flush() (the device queue was busy), call flush again soon
 * (e.g. next loop iteration with a short timeout).
 */
unsigned int xsk_io_tx_outstanding(const struct xsk_io *io);

void xsk_io_get_stats(const struct xsk_io *io, struct xsk_io_stats *st);
/*
 * Sum the XDP program's per-CPU counters into @out, indexed by enum
 * pppoe_xdp_stat (xdp/pppoe_xdp.h); @n is the array length. 0 or -errno.
 */
int xsk_io_get_xdp_stats(const struct xsk_io *io, uint64_t *out, unsigned int n);

#endif
