// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * xsk-tunfwd - the data path mechanism with no PPP work in it: the ceiling
 * `make bench` holds the daemon's UDP figures against.
 *
 *   xsk-tunfwd -i IFACE -l LOCAL_MAC -r REMOTE_MAC -s SID -t SECONDS
 *              (-T TUN | -g SRC_IP,DST_IP,PORT,SIZE) [-m auto|native|skb]
 *
 * -T TUN (forward): creates TUN, then moves packets both ways as the
 * daemon's data path does, minus sessions and PPP: each datagram read
 * from the TUN (up to 64 reads per wakeup, straight into a UMEM frame)
 * goes out behind one fixed Ethernet + PPPoE + PPP header (LOCAL_MAC ->
 * REMOTE_MAC, session SID, protocol 0x0021) with one TX kick per batch;
 * each PPPoE session frame to LOCAL_MAC that the XDP program steers to
 * us (64-frame RX batches) is written to the TUN with that header cut
 * off, whatever its session id. Give the TUN its address once "READY"
 * is printed.
 *
 * -g (generate): sends one IPv4/UDP datagram of SIZE payload bytes from
 * SRC_IP to DST_IP:PORT inside that same header, as fast as the TX ring
 * takes it: the PPPoE frames the receive direction is measured with. It
 * steers nothing to itself (LOCAL_MAC's frames stay the kernel's).
 *
 * Prints "READY" (flushed) once attached, and at the end (SECONDS, or
 * SIGINT/SIGTERM) one line of counters:
 *   "tun_rx N xsk_tx N xsk_rx N tun_tx N tun_tx_err N tx_held N secs S cpu C"
 * (cpu: user + system seconds of this process).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "pppoe/log.h"
#include "src/xsk_io.h"
#include "tun/tun.h"
#include "xdp/pppoe_xdp.h"
#include "tests/tools/tool_util.h"

#define FWD_HDR 22 /* Ethernet 14 + PPPoE 6 + PPP protocol 2 */
#define FWD_BATCH 64
#define FWD_FRAME_MAX 2048

struct fwd {
	struct xsk_io *io;
	int tun_fd;
	uint8_t hdr[FWD_HDR];
	unsigned long tun_rx, xsk_rx, tun_tx, tun_tx_err;
};

static volatile sig_atomic_t fwd_stop;

static void fwd_on_signal(int sig)
{
	fwd_stop = 1;
}

/* fwd_hdr - the fixed Ethernet + PPPoE session + PPP header; PPPoE length 0 */
static void fwd_hdr(uint8_t *h, const uint8_t local[6], const uint8_t remote[6], unsigned int sid)
{
	memcpy(h, remote, 6);
	memcpy(h + 6, local, 6);
	h[12] = 0x88;
	h[13] = 0x64;
	h[14] = 0x11; /* version 1, type 1 */
	h[15] = 0x00; /* code: session data */
	h[16] = (uint8_t)(sid >> 8);
	h[17] = (uint8_t)sid;
	h[18] = 0;
	h[19] = 0;
	h[20] = 0x00;
	h[21] = 0x21; /* IPv4 */
}

/* fwd_set_len - the PPPoE length field: PPP protocol + payload */
static void fwd_set_len(uint8_t *frame, size_t payload)
{
	frame[18] = (uint8_t)((payload + 2) >> 8);
	frame[19] = (uint8_t)(payload + 2);
}

/* fwd_on_rx - a frame from the wire: PPPoE session IPv4 to the TUN */
static void fwd_on_rx(void *ctx, const uint8_t *frame, size_t len)
{
	struct fwd *f = ctx;

	f->xsk_rx++;
	if (len <= FWD_HDR || frame[12] != 0x88 || frame[13] != 0x64 || frame[20] != 0x00 ||
	    frame[21] != 0x21)
		return;
	if (tun_write(f->tun_fd, frame + FWD_HDR, len - FWD_HDR) < 0)
		f->tun_tx_err++;
	else
		f->tun_tx++;
}

/* fwd_tun_batch - up to one batch of datagrams from the TUN into UMEM frames */
static void fwd_tun_batch(struct fwd *f)
{
	int i;

	for (i = 0; i < FWD_BATCH; i++) {
		size_t cap;
		uint8_t *buf = xsk_io_tx_reserve_data(f->io, &cap);
		ssize_t n;

		if (!buf)
			break;
		n = cap > FWD_HDR ? tun_read(f->tun_fd, buf + FWD_HDR, cap - FWD_HDR) : -EMSGSIZE;
		if (n <= 0) {
			xsk_io_tx_commit(f->io, buf, 0);
			break;
		}
		memcpy(buf, f->hdr, FWD_HDR);
		fwd_set_len(buf, (size_t)n);
		xsk_io_tx_commit(f->io, buf, FWD_HDR + (size_t)n);
		f->tun_rx++;
	}
	xsk_io_flush(f->io);
}

/* fwd_ip_csum - the IPv4 header checksum of @len bytes */
static uint16_t fwd_ip_csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* fwd_gen_frame - header + IPv4 + UDP (checksum 0) + @size payload bytes */
static size_t fwd_gen_frame(uint8_t *frame, const uint8_t *hdr, uint32_t src, uint32_t dst,
			    unsigned int port, size_t size)
{
	uint8_t *ip = frame + FWD_HDR, *udp = ip + 20;
	size_t iplen = 20 + 8 + size;
	uint16_t c;
	size_t i;

	memcpy(frame, hdr, FWD_HDR);
	fwd_set_len(frame, iplen);
	memset(ip, 0, 28);
	ip[0] = 0x45;
	ip[2] = (uint8_t)(iplen >> 8);
	ip[3] = (uint8_t)iplen;
	ip[6] = 0x40; /* DF */
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, &src, 4);
	memcpy(ip + 16, &dst, 4);
	c = fwd_ip_csum(ip, 20);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	udp[0] = 0x9c;
	udp[1] = 0x40; /* source port 40000 */
	udp[2] = (uint8_t)(port >> 8);
	udp[3] = (uint8_t)port;
	udp[4] = (uint8_t)((8 + size) >> 8);
	udp[5] = (uint8_t)(8 + size);
	for (i = 0; i < size; i++)
		udp[8 + i] = (uint8_t)i;
	return FWD_HDR + iplen;
}

/* fwd_gen - send the generated frame until time or a signal */
static void fwd_gen(struct fwd *f, const uint8_t *frame, size_t len, double end)
{
	while (!fwd_stop && tool_now_s() < end) {
		int i;

		for (i = 0; i < FWD_BATCH; i++) {
			size_t cap;
			uint8_t *buf = xsk_io_tx_reserve_data(f->io, &cap);

			if (!buf)
				break;
			memcpy(buf, frame, len);
			xsk_io_tx_commit(f->io, buf, len);
		}
		xsk_io_flush(f->io);
	}
}

/* fwd_loop - TUN and XSK until time or a signal */
static int fwd_loop(struct fwd *f, double end)
{
	struct epoll_event ev[8], e = { .events = EPOLLIN };
	unsigned int q;
	int ep, err = 0;

	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		return -errno;
	e.data.u32 = ~0u;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, f->tun_fd, &e)) {
		err = -errno;
		goto out;
	}
	for (q = 0; q < xsk_io_nqueues(f->io); q++) {
		e.data.u32 = q;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, xsk_io_fd(f->io, q), &e)) {
			err = -errno;
			goto out;
		}
		/* the control socket: xsk_io_rx drains both */
		if (xsk_io_ctl_fd(f->io, q) >= 0 &&
		    epoll_ctl(ep, EPOLL_CTL_ADD, xsk_io_ctl_fd(f->io, q), &e)) {
			err = -errno;
			goto out;
		}
	}
	while (!fwd_stop) {
		double left = end - tool_now_s();
		int n, i, tmo;

		if (left <= 0)
			break;
		tmo = xsk_io_tx_outstanding(f->io) ? 1 : (left > 0.1 ? 100 : (int)(left * 1000) + 1);
		n = epoll_wait(ep, ev, 8, tmo);
		if (n < 0 && errno != EINTR) {
			err = -errno;
			break;
		}
		for (i = 0; i < n; i++) {
			if (ev[i].data.u32 == ~0u) {
				fwd_tun_batch(f);
				continue;
			}
			if (xsk_io_rx(f->io, ev[i].data.u32, fwd_on_rx, f) < 0) {
				err = -EIO;
				goto out;
			}
		}
		if (xsk_io_tx_outstanding(f->io))
			xsk_io_flush(f->io);
	}
out:
	close(ep);
	return err;
}

static int fwd_usage(void)
{
	fprintf(stderr, "usage: xsk-tunfwd -i IFACE -l LOCAL_MAC -r REMOTE_MAC -s SID -t SECONDS\n"
			"                  (-T TUN | -g SRC_IP,DST_IP,PORT,SIZE) [-m auto|native|skb]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct xsk_io_conf conf = { .mode = XSK_IO_MODE_AUTO };
	struct sigaction sa = { .sa_handler = fwd_on_signal };
	struct fwd f = { .tun_fd = -1 };
	uint8_t local[6], remote[6], gen_frame[FWD_FRAME_MAX];
	const char *tun = NULL, *gen = NULL;
	unsigned int sid = 0, port = 0, size = 0;
	struct xsk_io_stats st;
	bool have_local = false, have_remote = false;
	double secs = 0, t0, c0, end;
	size_t gen_len = 0;
	int opt, err;

	while ((opt = getopt(argc, argv, "i:l:r:s:t:T:g:m:")) != -1) {
		switch (opt) {
		case 'i':
			conf.ifname = optarg;
			break;
		case 'l':
			if (tool_parse_mac(optarg, local, NULL))
				return fwd_usage();
			have_local = true;
			break;
		case 'r':
			if (tool_parse_mac(optarg, remote, NULL))
				return fwd_usage();
			have_remote = true;
			break;
		case 's':
			sid = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 't':
			secs = atof(optarg);
			break;
		case 'T':
			tun = optarg;
			break;
		case 'g':
			gen = optarg;
			break;
		case 'm':
			if (!strcmp(optarg, "native"))
				conf.mode = XSK_IO_MODE_NATIVE;
			else if (!strcmp(optarg, "skb"))
				conf.mode = XSK_IO_MODE_SKB;
			else if (strcmp(optarg, "auto"))
				return fwd_usage();
			break;
		default:
			return fwd_usage();
		}
	}
	if (!conf.ifname || !have_local || !have_remote || secs <= 0 || sid > 0xffff ||
	    !tun == !gen)
		return fwd_usage();
	fwd_hdr(f.hdr, local, remote, sid);
	if (gen) {
		char src[32], dst[32];
		struct in_addr s, d;

		if (sscanf(gen, "%31[^,],%31[^,],%u,%u", src, dst, &port, &size) != 4 ||
		    inet_pton(AF_INET, src, &s) != 1 || inet_pton(AF_INET, dst, &d) != 1 ||
		    !port || port > 65535 || size > 1472)
			return fwd_usage();
		gen_len = fwd_gen_frame(gen_frame, f.hdr, s.s_addr, d.s_addr, port, size);
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (tun) {
		f.tun_fd = tun_open(tun, NULL);
		if (f.tun_fd < 0)
			return 1;
	}
	if (xsk_io_open(&f.io, &conf))
		return 1;
	/* A generator receives nothing: frames to LOCAL_MAC stay the kernel's. */
	err = gen ? 0 : xsk_io_add_mac(f.io, local);
	if (!err)
		err = xsk_io_add_vlan(f.io, PPPOE_XDP_VLAN_NONE, PPPOE_XDP_VLAN_NONE);
	if (err) {
		fprintf(stderr, "xsk-tunfwd: steering: %s\n", strerror(-err));
		goto out;
	}
	printf("READY %s\n", xsk_io_mode_name(f.io));
	fflush(stdout);
	t0 = tool_now_s();
	c0 = tool_cpu_s();
	end = t0 + secs;
	if (gen)
		fwd_gen(&f, gen_frame, gen_len, end);
	else
		err = fwd_loop(&f, end);
	xsk_io_get_stats(f.io, &st);
	printf("tun_rx %lu xsk_tx %llu xsk_rx %lu tun_tx %lu tun_tx_err %lu tx_held %llu "
	       "secs %.3f cpu %.3f\n",
	       f.tun_rx, (unsigned long long)st.tx_frames, f.xsk_rx, f.tun_tx, f.tun_tx_err,
	       (unsigned long long)st.tx_data_held, tool_now_s() - t0, tool_cpu_s() - c0);
	fflush(stdout);
out:
	xsk_io_del_mac(f.io, local);
	xsk_io_close(f.io, false);
	if (f.tun_fd >= 0)
		tun_close(f.tun_fd);
	return err ? 1 : 0;
}
