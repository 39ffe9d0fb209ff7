// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pppoe_xdp.bpf.c - steer our PPPoE frames to AF_XDP sockets.
 *
 * Frames with EtherType 0x8863 (discovery) or 0x8864 (session), optionally
 * behind up to two VLAN tags, whose destination MAC is one of our session
 * MACs, and whose VLAN (or untagged) is one a session uses, go to the AF_XDP socket
 * of the queue they arrived on. Everything else, including other hosts'
 * broadcast PADIs and PPPoE on VLANs we do not dial (a kernel client on a
 * VLAN sub-interface with the same MAC), continues to the kernel.
 * IPv4/IPv6 session frames go to the queue's data socket, the rest of ours
 * to its control socket (pppoe_xdp.h).
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <xdp/xdp_helpers.h>

#include "xdp/pppoe_xdp.h"

#ifndef ETH_P_8021AD
#define ETH_P_8021AD 0x88A8
#endif

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, PPPOE_XDP_XSKS);
	__type(key, __u32);
	__type(value, __u32);
} xsks_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PPPOE_XDP_MAX_MACS);
	__type(key, struct pppoe_xdp_mac_key);
	__type(value, __u32);
} our_macs SEC(".maps");

/* VLANs we dial over, reference counted by user space (pppoe_xdp.h). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PPPOE_XDP_MAX_VLANS);
	__type(key, struct pppoe_xdp_vlan_key);
	__type(value, __u32);
} our_vlans SEC(".maps");

/* How many workers share the data path (pppoe_xdp.h); 0 or 1: one. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} workers SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PPPOE_XDP_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

/* libxdp's dispatcher: default priority, let the next program run on PASS. */
struct {
	__uint(priority, XDP_DEFAULT_RUN_PRIO);
	__uint(XDP_PASS, 1);
} XDP_RUN_CONFIG(pppoe_xdp_prog);

struct pppoe_xdp_vlan_hdr {
	__be16 tci;
	__be16 proto;
};

/* pppoe_xdp_count - bump one per-CPU counter */
static __always_inline void pppoe_xdp_count(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &idx);

	if (v)
		*v += 1;
}

static __always_inline int pppoe_xdp_is_vlan(__be16 proto)
{
	return proto == bpf_htons(ETH_P_8021Q) ||
	       proto == bpf_htons(ETH_P_8021AD);
}

SEC("xdp")
int pppoe_xdp_prog(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct pppoe_xdp_vlan_hdr *vh;
	struct pppoe_xdp_mac_key key = {};
	struct pppoe_xdp_vlan_key vkey = {
		.outer_vid = PPPOE_XDP_VLAN_NONE,
		.inner_vid = PPPOE_XDP_VLAN_NONE,
	};
	void *cur = eth + 1;
	__be16 proto;
	__u32 ntags = 0, xkey;
	long ret;

	if (cur > data_end) {
		pppoe_xdp_count(PPPOE_XDP_STAT_PASS_MALFORMED);
		return XDP_PASS;
	}
	proto = eth->h_proto;

	/* Unrolled so the verifier sees a fixed bound: at most two tags. */
#pragma unroll
	for (int i = 0; i < 2; i++) {
		if (!pppoe_xdp_is_vlan(proto))
			break;
		vh = cur;
		if ((void *)(vh + 1) > data_end) {
			pppoe_xdp_count(PPPOE_XDP_STAT_PASS_MALFORMED);
			return XDP_PASS;
		}
		proto = vh->proto;
		cur = vh + 1;
		if (i == 0)
			vkey.outer_vid = bpf_ntohs(vh->tci) & 0x0fff;
		else
			vkey.inner_vid = bpf_ntohs(vh->tci) & 0x0fff;
		ntags++;
	}

	if (proto != bpf_htons(PPPOE_XDP_ETH_P_DISC) &&
	    proto != bpf_htons(PPPOE_XDP_ETH_P_SESS)) {
		/* Includes a third tag: not something we ever send. */
		pppoe_xdp_count(PPPOE_XDP_STAT_PASS_NOT_PPPOE);
		return XDP_PASS;
	}
	pppoe_xdp_count(PPPOE_XDP_STAT_PPPOE_TAGS0 + ntags);

	__builtin_memcpy(key.mac, eth->h_dest, ETH_ALEN);
	if (!bpf_map_lookup_elem(&our_macs, &key)) {
		pppoe_xdp_count(PPPOE_XDP_STAT_PASS_NOT_OURS);
		return XDP_PASS;
	}
	/* Untagged frames too: their key is {NONE, NONE}, present while a
	 * session runs untagged. A daemon dialing only on VLANs leaves untagged
	 * PPPoE, even to the interface's own MAC, to the kernel. */
	if (!bpf_map_lookup_elem(&our_vlans, &vkey)) {
		/* Counted apart: with sessions only on VLANs, untagged answers to
		 * our MACs mean tags stripped before XDP (user space says so). */
		pppoe_xdp_count(ntags ? PPPOE_XDP_STAT_PASS_VLAN_NOT_OURS
				      : PPPOE_XDP_STAT_PASS_UNTAGGED_NOT_OURS);
		return XDP_PASS;
	}

	/* Beyond the queues xsks_map has room for (their keys would name
	 * other queues' control sockets): the kernel's, as before. */
	if (ctx->rx_queue_index >= PPPOE_XDP_MAX_QUEUES) {
		pppoe_xdp_count(PPPOE_XDP_STAT_REDIRECT_FAILED);
		return XDP_PASS;
	}
	/*
	 * IPv4 and IPv6 in a session (PPP protocol 0x0021, 0x0057 right
	 * behind the 6-byte PPPoE header) go to the queue's data socket,
	 * the rest to its control socket (pppoe_xdp.h).
	 */
	xkey = ctx->rx_queue_index;
	if (proto == bpf_htons(PPPOE_XDP_ETH_P_SESS)) {
		__be16 *ppp = cur + 6;

		if ((void *)(ppp + 1) > data_end ||
		    (*ppp != bpf_htons(0x0021) && *ppp != bpf_htons(0x0057))) {
			xkey += PPPOE_XDP_CTL_BASE;
		} else {
			/* data: its session's worker (session id % workers) */
			__u32 zero = 0, *nw = bpf_map_lookup_elem(&workers, &zero);
			__u32 w;

			if (nw && *nw > 1 && *nw <= PPPOE_XDP_MAX_WORKERS) {
				w = (__u32)bpf_ntohs(*(__be16 *)(cur + 2)) % *nw;
				if (w)
					xkey += PPPOE_XDP_WORKER_BASE + (w - 1) * PPPOE_XDP_MAX_QUEUES;
			}
		}
	} else {
		xkey += PPPOE_XDP_CTL_BASE;
	}
	/*
	 * The flags argument is the action returned when no socket sits at
	 * that index: a control frame (or a worker's data frame) then tries
	 * worker 0's data socket, and with
	 * none the kernel stack sees the frame, which is the least surprising
	 * failure.
	 */
	ret = bpf_redirect_map(&xsks_map, xkey, XDP_PASS);
	if (ret == XDP_REDIRECT && xkey >= PPPOE_XDP_WORKER_BASE)
		pppoe_xdp_count(PPPOE_XDP_STAT_WORKER);
	else if (ret == XDP_REDIRECT && xkey != ctx->rx_queue_index)
		pppoe_xdp_count(PPPOE_XDP_STAT_CONTROL);
	else if (ret != XDP_REDIRECT && xkey != ctx->rx_queue_index)
		ret = bpf_redirect_map(&xsks_map, ctx->rx_queue_index, XDP_PASS);
	if (ret == XDP_REDIRECT)
		pppoe_xdp_count(PPPOE_XDP_STAT_REDIRECTED);
	else
		pppoe_xdp_count(PPPOE_XDP_STAT_REDIRECT_FAILED);
	return (int)ret;
}

char _license[] SEC("license") = "GPL";
