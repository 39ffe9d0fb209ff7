// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vnet_bench.c - how long tun/vnet takes per 64 KiB TCP super-packet:
 * cut into 1440-byte segments written at a PPPoE header offset in
 * 4 KiB "UMEM frames" (checksums computed), and the same segments
 * coalesced back (checksums verified). A plain memcpy of the same bytes
 * is printed beside them. Prints figures, asserts nothing.
 *
 *   make vnet-bench && ./build/tests/bench/vnet-bench [iterations]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tun/vnet.h"

#define MSS 1440 /* a 1492-byte PPPoE MTU less IPv4, TCP and timestamps */
#define FRAME 4096
#define HEADROOM 22 /* Ethernet + PPPoE + PPP */
#define NSEG_MAX 64

static uint8_t super[VNET_GRO_BUF];
static uint8_t frames[NSEG_MAX][FRAME];
static size_t seglen[NSEG_MAX];
static uint8_t grobuf[VNET_GRO_BUF];

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* mk_super - a 65535-byte IPv4 TCP super-packet as a TUN hands it over */
static size_t mk_super(struct virtio_net_hdr *h)
{
	static const uint8_t ts[12] = { 1, 1, 8, 10, 0, 0, 0x12, 0x34, 0, 0, 0x56, 0x78 };
	size_t len = 65535, i;
	uint8_t *t = super + 20;

	memset(super, 0, 52);
	super[0] = 0x45;
	super[2] = (uint8_t)(len >> 8);
	super[3] = (uint8_t)len;
	super[6] = 0x40;
	super[8] = 64;
	super[9] = 6;
	memcpy(super + 12, (uint8_t[]){ 10, 64, 0, 100, 198, 51, 100, 7 }, 8);
	t[0] = 0xc3;
	t[2] = 0x01;
	t[3] = 0xbb;
	t[12] = 8 << 4;
	t[13] = 0x18;
	t[14] = 0x01;
	memcpy(t + 20, ts, sizeof(ts));
	for (i = 52; i < len; i++)
		super[i] = (uint8_t)(i * 131);
	memset(h, 0, sizeof(*h));
	h->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	h->gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	h->gso_size = MSS;
	h->hdr_len = 52;
	h->csum_start = 20;
	h->csum_offset = 16;
	return len;
}

int main(int argc, char **argv)
{
	long iters = argc > 1 ? atol(argv[1]) : 20000, k;
	struct virtio_net_hdr h;
	struct vnet_gso it;
	struct vnet_gro g;
	size_t len = mk_super(&h), n, nseg = 0, i, out = 0;
	double t0, t_gso, t_gro, t_cpy;

	if (iters <= 0)
		iters = 1;
	t0 = now_ns();
	for (k = 0; k < iters; k++) {
		if (vnet_gso_init(&it, &h, super, len))
			return 1;
		for (i = 0; (n = vnet_gso_next(&it, frames[i] + HEADROOM, FRAME - HEADROOM)); i++)
			seglen[i] = n;
		nseg = i;
	}
	t_gso = (now_ns() - t0) / (double)iters;

	vnet_gro_init(&g, grobuf, sizeof(grobuf));
	t0 = now_ns();
	for (k = 0; k < iters; k++) {
		for (i = 0; i < nseg; i++)
			if (vnet_gro_add(&g, frames[i] + HEADROOM, seglen[i], 0) != VNET_GRO_HELD)
				return 1;
		out += vnet_gro_flush(&g);
	}
	t_gro = (now_ns() - t0) / (double)iters;

	t0 = now_ns();
	for (k = 0; k < iters; k++) {
		for (i = 0; i < nseg; i++)
			memcpy(frames[i] + HEADROOM, super + 52 + i * MSS, seglen[i] - 52);
		__asm__ volatile("" ::: "memory");
	}
	t_cpy = (now_ns() - t0) / (double)iters;

	printf("64 KiB TCP super-packet, %zu segments of %d bytes, %ld iterations\n", nseg, MSS,
	       iters);
	printf("segment (vnet_gso):  %8.0f ns  %6.1f Gbit/s\n", t_gso, len * 8 / t_gso);
	printf("coalesce (vnet_gro): %8.0f ns  %6.1f Gbit/s\n", t_gro, len * 8 / t_gro);
	printf("memcpy only:         %8.0f ns  %6.1f Gbit/s\n", t_cpy, len * 8 / t_cpy);
	return out == (size_t)iters * (VNET_HDR_LEN + len) ? 0 : 1;
}
