/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * xdp_prog.h - the pppoe_xdp program and its maps on one interface.
 *
 * Internal to the XDP I/O layer: xsk_io.c, which owns the AF_XDP sockets,
 * uses it; the rest of the daemon goes through xsk_io.h. The program
 * comes from the embedded skeleton and is attached through libxdp, so it
 * shares the interface with other XDP programs. Its maps: our_macs (the
 * MAC filter, reference counted here), our_vlans (the VLANs we dial over,
 * reference counted too), xsks_map (filled by xsk_io.c with its sockets) and the
 * per-CPU stats.
 */
#ifndef PPPOE_XDP_PROG_H
#define PPPOE_XDP_PROG_H

#include <stdbool.h>
#include <stdint.h>

#include "src/xsk_io.h"

struct xdp_prog;

/*
 * xdp_prog_open - route libbpf's and libxdp's messages into our log, mount
 * bpffs if it is missing, detach pppoe_xdp programs a dead run left on
 * @ifindex, then attach a fresh one in @mode (AUTO: native, else skb).
 * 0 or -errno, logged.
 */
int xdp_prog_open(struct xdp_prog **out, const char *ifname, int ifindex,
		  enum xsk_io_mode mode);
/* xdp_prog_close - detach the program (unless @keep) and free it (NULL is fine) */
void xdp_prog_close(struct xdp_prog *xp, bool keep);

/* xdp_prog_is_skb - attached in skb (generic) mode, not native */
bool xdp_prog_is_skb(const struct xdp_prog *xp);
/* xdp_prog_xsks_fd - the XSKMAP the sockets go into */
int xdp_prog_xsks_fd(const struct xdp_prog *xp);
/* xdp_prog_set_workers - data frames go to worker (session id % @n) */
int xdp_prog_set_workers(struct xdp_prog *xp, unsigned int n);

/* The MAC filter and the rest, as xsk_io_add_mac() etc. in xsk_io.h. */
int xdp_prog_add_mac(struct xdp_prog *xp, const uint8_t mac[6]);
int xdp_prog_del_mac(struct xdp_prog *xp, const uint8_t mac[6]);
int xdp_prog_add_vlan(struct xdp_prog *xp, unsigned int outer, unsigned int inner);
int xdp_prog_del_vlan(struct xdp_prog *xp, unsigned int outer, unsigned int inner);
int xdp_prog_ensure(struct xdp_prog *xp);
int xdp_prog_get_stats(const struct xdp_prog *xp, uint64_t *out, unsigned int n);

#endif
