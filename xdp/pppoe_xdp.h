/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pppoe_xdp.h - map layouts shared by the XDP program and user space.
 *
 * Included from BPF (clang -target bpf) and from normal C, so only
 * <linux/types.h> types are used here.
 */
#ifndef PPPOE_XDP_H
#define PPPOE_XDP_H

#include <linux/types.h>

/* One AF_XDP socket per RX queue; queues beyond this fall back to XDP_PASS. */
#define PPPOE_XDP_MAX_QUEUES	64
/*
 * xsks_map: the data socket of RX queue Q at key Q, its control socket
 * (sharing the UMEM) at PPPOE_XDP_CTL_BASE + Q. Session frames carrying
 * IPv4 or IPv6 go to the first, everything else of ours (discovery, LCP,
 * authentication, IPCP, IPv6CP, anything unknown) to the second, so a
 * flood of data can neither delay nor crowd out an Echo-Request or a PADT
 * in a full RX ring. Without a control socket there, the data one gets it.
 */
#define PPPOE_XDP_CTL_BASE	PPPOE_XDP_MAX_QUEUES
/*
 * With several workers (workers = N), worker W > 0 has a data socket of
 * its own on each queue Q, at PPPOE_XDP_WORKER_BASE + (W - 1) *
 * PPPOE_XDP_MAX_QUEUES + Q; worker 0's is at Q. A session's data frames
 * go to worker (PPPoE session id % N), N read from the one-entry "workers"
 * array (0 or 1: no workers, every data frame at Q).
 */
#define PPPOE_XDP_MAX_WORKERS	16
#define PPPOE_XDP_WORKER_BASE	(2 * PPPOE_XDP_MAX_QUEUES)
#define PPPOE_XDP_XSKS		((PPPOE_XDP_MAX_WORKERS + 1) * PPPOE_XDP_MAX_QUEUES)
/* How many session MACs the filter can hold. */
#define PPPOE_XDP_MAX_MACS	65536
/* How many VLANs (or VLAN pairs) our_vlans can hold. */
#define PPPOE_XDP_MAX_VLANS	4096
/* inner_vid of a frame with one tag (VIDs are 12 bits). */
#define PPPOE_XDP_VLAN_NONE	0xffff

#define PPPOE_XDP_ETH_P_DISC	0x8863
#define PPPOE_XDP_ETH_P_SESS	0x8864

/* Key of the our_macs hash: a destination MAC padded to 8 bytes. */
struct pppoe_xdp_mac_key {
	__u8 mac[6];
	__u8 pad[2];	/* must be zero */
};

/*
 * Key of the our_vlans hash: the VLAN IDs of a tagged frame, outer (first)
 * tag and inner (second) tag or PPPOE_XDP_VLAN_NONE, in host order; the
 * TPID (0x8100 or 0x88a8) and priority bits are not part of it. The value
 * is a reference count: user space adds the VLAN(s) of each session, and
 * {PPPOE_XDP_VLAN_NONE, PPPOE_XDP_VLAN_NONE} for each untagged one; frames
 * on any other VLAN, and untagged ones while no session is untagged, go to
 * the kernel (a kernel PPPoE client on a VLAN sub-interface of the same
 * NIC, or on the NIC itself, keeps working).
 */
struct pppoe_xdp_vlan_key {
	__u16 outer_vid;
	__u16 inner_vid;
};

/* Indices into the per-CPU "stats" array (each slot is one __u64). */
enum pppoe_xdp_stat {
	PPPOE_XDP_STAT_REDIRECTED = 0,	/* handed to an AF_XDP socket */
	PPPOE_XDP_STAT_REDIRECT_FAILED,	/* ours, but no socket on that queue */
	PPPOE_XDP_STAT_PASS_NOT_PPPOE,	/* not 0x8863/0x8864 (or too many tags) */
	PPPOE_XDP_STAT_PASS_NOT_OURS,	/* PPPoE for a MAC we do not own */
	PPPOE_XDP_STAT_PASS_MALFORMED,	/* truncated Ethernet/VLAN header */
	PPPOE_XDP_STAT_PASS_VLAN_NOT_OURS, /* tagged PPPoE for our MAC, VLAN not in our_vlans */
	PPPOE_XDP_STAT_PASS_UNTAGGED_NOT_OURS, /* untagged PPPoE for our MAC, no untagged session */
	PPPOE_XDP_STAT_PPPOE_TAGS0,	/* PPPoE frames seen with no VLAN tag */
	PPPOE_XDP_STAT_PPPOE_TAGS1,	/* ... with one tag */
	PPPOE_XDP_STAT_PPPOE_TAGS2,	/* ... with two tags (QinQ) */
	PPPOE_XDP_STAT_CONTROL,		/* of the redirected: to a control socket */
	PPPOE_XDP_STAT_WORKER,		/* of the redirected: to a data socket of worker > 0 */
	PPPOE_XDP_STAT_MAX,
};

#endif
