// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * xsk-probe - exercise xsk_io from integration tests.
 *
 *   xsk-probe -i IFACE [-m auto|native|skb] [-a MAC]... [-V OUTER[.INNER]]... [-N]
 *             [-t SECONDS] [-c COUNT] [-r REPEAT] [-f FRAMES] [-P|-L] [-v] [HEXFRAME]...
 *
 * Attaches to IFACE and adds each MAC to the filter, and each VLAN (VID,
 * or outer.inner VIDs for QinQ) to the VLANs steered to us, and untagged
 * frames as well unless -N. Prints on stdout,
 * one line each, flushed: "MODE native|skb", "QUEUES n", "READY"; then
 * sends every HEXFRAME (REPEAT times each) and prints "SENT n" once the
 * kernel completed them; then, if -t is given, prints "RX <hex>" for every
 * frame received for SECONDS (or until COUNT frames, or SIGINT/SIGTERM).
 * Stats go to stderr at exit, with "rxq: 0:N 1:N ..." (frames per queue). Exits 0 after detaching cleanly.
 *
 * -P (pool): with IFACE down, so that nothing sent completes, queue the
 * first HEXFRAME as data (xsk_io_tx_reserve_data) until refused, then as
 * control (xsk_io_tx_reserve) until refused, and print
 * "POOL data D control C held H dropped X" (the last two: the tx_data_held
 * and tx_dropped counters).
 *
 * -L (late): with IFACE down, send the first HEXFRAME 8 times as control
 * frames (xsk_io_send, then a flush), print "QUEUED 8", then wait for a
 * line on stdin (the caller brings IFACE up meanwhile) and only flush,
 * every 10 ms for up to 2 s, sending nothing new; print "LATE sent N",
 * N the frames the kernel completed: control frames a kick met with a
 * device down must still go once it is up.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "pppoe/log.h"
#include "src/xsk_io.h"
#include "xdp/pppoe_xdp.h"
#include "tests/tools/tool_util.h"

#define PROBE_MAX_MACS 16
#define PROBE_MAX_VLANS 16

static volatile sig_atomic_t probe_stop;

struct probe_rx {
	unsigned long count;
	unsigned long per_queue[PPPOE_XDP_MAX_QUEUES];
};

static void probe_on_signal(int sig)
{
	probe_stop = 1;
}

/* probe_parse_hex - decode a hex string into @out; returns length or -1 */
static long probe_parse_hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = strlen(s), i;

	if (n % 2 || n / 2 > cap)
		return -1;
	for (i = 0; i < n / 2; i++) {
		unsigned int v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	return (long)(n / 2);
}

static void probe_print_frame(void *ctx, const uint8_t *frame, size_t len)
{
	struct probe_rx *rx = ctx;
	size_t i;

	fputs("RX ", stdout);
	for (i = 0; i < len; i++)
		printf("%02x", frame[i]);
	putchar('\n');
	fflush(stdout);
	rx->count++;
}

/* probe_send - transmit every frame @repeat times, wait for completion */
static int probe_send(struct xsk_io *io, char **hex, int nhex, int repeat)
{
	uint8_t frame[2048];
	unsigned long sent = 0;
	double deadline;
	int i, r;

	for (i = 0; i < nhex; i++) {
		long len = probe_parse_hex(hex[i], frame, sizeof(frame));

		if (len <= 0) {
			fprintf(stderr, "bad hex frame: %s\n", hex[i]);
			return -EINVAL;
		}
		for (r = 0; r < repeat; r++) {
			int err = xsk_io_send(io, frame, (size_t)len);

			if (err) {
				fprintf(stderr, "send failed: %s\n", strerror(-err));
				return err;
			}
			sent++;
		}
	}
	xsk_io_flush(io);
	deadline = tool_now_s() + 2.0;
	while (xsk_io_tx_outstanding(io) && tool_now_s() < deadline) {
		usleep(1000);
		xsk_io_flush(io);
	}
	if (xsk_io_tx_outstanding(io)) {
		fprintf(stderr, "%u frames not completed\n",
			xsk_io_tx_outstanding(io));
		return -ETIMEDOUT;
	}
	printf("SENT %lu\n", sent);
	fflush(stdout);
	return 0;
}

/* probe_pool - fill the TX pool with data, then control frames; print counts */
static int probe_pool(struct xsk_io *io, const char *hex)
{
	uint8_t frame[2048], *buf;
	unsigned long data = 0, ctl = 0;
	struct xsk_io_stats st;
	long len = probe_parse_hex(hex, frame, sizeof(frame));
	size_t cap;

	if (len <= 0)
		return -EINVAL;
	/* Bounded in case frames do complete (IFACE up after all). */
	while (data < (1ul << 20) && (buf = xsk_io_tx_reserve_data(io, &cap))) {
		memcpy(buf, frame, (size_t)len);
		xsk_io_tx_commit(io, buf, (size_t)len);
		data++;
	}
	while (ctl < (1ul << 20) && (buf = xsk_io_tx_reserve(io, &cap))) {
		memcpy(buf, frame, (size_t)len);
		xsk_io_tx_commit(io, buf, (size_t)len);
		ctl++;
	}
	xsk_io_flush(io);
	xsk_io_get_stats(io, &st);
	printf("POOL data %lu control %lu held %llu dropped %llu\n", data, ctl,
	       (unsigned long long)st.tx_data_held, (unsigned long long)st.tx_dropped);
	fflush(stdout);
	return 0;
}

/* probe_late - control frames queued while IFACE is down go once it is up */
static int probe_late(struct xsk_io *io, const char *hex)
{
	uint8_t frame[2048];
	long len = probe_parse_hex(hex, frame, sizeof(frame));
	struct xsk_io_stats st;
	char line[16];
	double end;
	int i;

	if (len <= 0)
		return -EINVAL;
	for (i = 0; i < 8; i++)
		if (xsk_io_send(io, frame, (size_t)len))
			return -ENOBUFS;
	xsk_io_flush(io);
	printf("QUEUED 8\n");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return -EIO;
	end = tool_now_s() + 2;
	do {
		xsk_io_flush(io);
		xsk_io_get_stats(io, &st);
		if (st.tx_frames >= 8)
			break;
		usleep(10000);
	} while (tool_now_s() < end);
	printf("LATE sent %llu\n", (unsigned long long)st.tx_frames);
	fflush(stdout);
	return 0;
}

/* probe_receive - print received frames until time, count or a signal */
static int probe_receive(struct xsk_io *io, double secs, unsigned long max)
{
	struct probe_rx rx = {};
	struct epoll_event ev[8];
	double deadline = tool_now_s() + secs;
	unsigned int q;
	int ep, err = 0;

	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		return -errno;
	for (q = 0; q < xsk_io_nqueues(io); q++) {
		struct epoll_event e = { .events = EPOLLIN, .data.u32 = q };

		if (epoll_ctl(ep, EPOLL_CTL_ADD, xsk_io_fd(io, q), &e)) {
			err = -errno;
			goto out;
		}
		/* the control socket: xsk_io_rx drains both */
		if (xsk_io_ctl_fd(io, q) >= 0 &&
		    epoll_ctl(ep, EPOLL_CTL_ADD, xsk_io_ctl_fd(io, q), &e)) {
			err = -errno;
			goto out;
		}
	}
	while (!probe_stop && (!max || rx.count < max)) {
		double left = deadline - tool_now_s();
		int n, i;

		if (left <= 0)
			break;
		n = epoll_wait(ep, ev, 8, left > 0.1 ? 100 : (int)(left * 1000) + 1);
		if (n < 0 && errno != EINTR) {
			err = -errno;
			break;
		}
		for (i = 0; i < n; i++) {
			int got;

			do {
				got = xsk_io_rx(io, ev[i].data.u32,
						probe_print_frame, &rx);
				if (got > 0)
					rx.per_queue[ev[i].data.u32] += (unsigned long)got;
			} while (got > 0);
			if (got < 0) {
				err = got;
				goto out;
			}
		}
	}
out:
	fputs("rxq:", stderr);
	for (q = 0; q < xsk_io_nqueues(io); q++)
		fprintf(stderr, " %u:%lu", q, rx.per_queue[q]);
	fputc('\n', stderr);
	close(ep);
	return err;
}

static void probe_usage(void)
{
	fprintf(stderr,
		"usage: xsk-probe -i IFACE [-m auto|native|skb] [-a MAC]... [-V OUTER[.INNER]]... [-N]\n"
		"                 [-t SECONDS] [-c COUNT] [-r REPEAT] [-f FRAMES] [-P|-L] [-v] [HEXFRAME]...\n");
}

int main(int argc, char **argv)
{
	static const char *const stat_names[PPPOE_XDP_STAT_MAX] = {
		"redirected", "redirect_failed", "pass_not_pppoe",
		"pass_not_ours", "pass_malformed", "pass_vlan_not_ours", "pass_untagged_not_ours",
		"pppoe_tags0",
		"pppoe_tags1", "pppoe_tags2",
	};
	struct xsk_io_conf conf = { .mode = XSK_IO_MODE_AUTO };
	uint8_t macs[PROBE_MAX_MACS][6];
	unsigned int vlans[PROBE_MAX_VLANS][2];
	uint64_t xstats[PPPOE_XDP_STAT_MAX];
	struct xsk_io_stats st;
	struct sigaction sa = { .sa_handler = probe_on_signal };
	double secs = -1;
	unsigned long count = 0;
	int nmacs = 0, nvlans = 0, repeat = 1, pool = 0, late = 0, no_untagged = 0, opt, err, i;
	struct xsk_io *io;

	while ((opt = getopt(argc, argv, "i:m:a:V:t:c:r:f:PLNv")) != -1) {
		switch (opt) {
		case 'i':
			conf.ifname = optarg;
			break;
		case 'm':
			if (!strcmp(optarg, "native"))
				conf.mode = XSK_IO_MODE_NATIVE;
			else if (!strcmp(optarg, "skb"))
				conf.mode = XSK_IO_MODE_SKB;
			else if (!strcmp(optarg, "auto"))
				conf.mode = XSK_IO_MODE_AUTO;
			else
				goto usage;
			break;
		case 'a':
			if (nmacs == PROBE_MAX_MACS ||
			    tool_parse_mac(optarg, macs[nmacs], NULL))
				goto usage;
			nmacs++;
			break;
		case 'V':
			if (nvlans == PROBE_MAX_VLANS)
				goto usage;
			vlans[nvlans][1] = PPPOE_XDP_VLAN_NONE;
			if (sscanf(optarg, "%u.%u", &vlans[nvlans][0], &vlans[nvlans][1]) < 1)
				goto usage;
			nvlans++;
			break;
		case 't':
			secs = atof(optarg);
			break;
		case 'c':
			count = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			repeat = atoi(optarg);
			break;
		case 'f':
			conf.frames_per_queue = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'P':
			pool = 1;
			break;
		case 'L':
			late = 1;
			break;
		case 'N':
			no_untagged = 1;
			break;
		case 'v':
			log_threshold = LOG_LVL_DEBUG;
			break;
		default:
			goto usage;
		}
	}
	if (!conf.ifname || repeat < 1)
		goto usage;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	err = xsk_io_open(&io, &conf);
	if (err)
		return 1;
	for (i = 0; i < nmacs; i++) {
		err = xsk_io_add_mac(io, macs[i]);
		if (err)
			goto out;
	}
	for (i = 0; i < nvlans; i++) {
		err = xsk_io_add_vlan(io, vlans[i][0], vlans[i][1]);
		if (err)
			goto out;
	}
	/* Untagged frames to our MACs are ours too, as for an untagged session. */
	if (!no_untagged) {
		err = xsk_io_add_vlan(io, PPPOE_XDP_VLAN_NONE, PPPOE_XDP_VLAN_NONE);
		if (err)
			goto out;
	}
	printf("MODE %s\nQUEUES %u\nREADY\n", xsk_io_mode_name(io),
	       xsk_io_nqueues(io));
	fflush(stdout);

	if (pool && optind < argc) {
		err = probe_pool(io, argv[optind]);
		goto out;
	}
	if (late && optind < argc) {
		err = probe_late(io, argv[optind]);
		goto out;
	}
	if (optind < argc) {
		err = probe_send(io, argv + optind, argc - optind, repeat);
		if (err)
			goto out;
	}
	if (secs >= 0)
		err = probe_receive(io, secs, count);

out:
	xsk_io_get_stats(io, &st);
	fprintf(stderr, "stats: rx_frames %llu tx_frames %llu tx_dropped %llu rx_dropped %llu\n",
		(unsigned long long)st.rx_frames,
		(unsigned long long)st.tx_frames,
		(unsigned long long)st.tx_dropped,
		(unsigned long long)st.rx_dropped);
	if (!xsk_io_get_xdp_stats(io, xstats, PPPOE_XDP_STAT_MAX)) {
		fputs("xdp:", stderr);
		for (i = 0; i < PPPOE_XDP_STAT_MAX; i++)
			fprintf(stderr, " %s %llu", stat_names[i],
				(unsigned long long)xstats[i]);
		fputc('\n', stderr);
	}
	for (i = 0; i < nvlans; i++)
		xsk_io_del_vlan(io, vlans[i][0], vlans[i][1]);
	for (i = 0; i < nmacs; i++)
		xsk_io_del_mac(io, macs[i]);
	xsk_io_close(io, false);
	return err ? 1 : 0;

usage:
	probe_usage();
	return 2;
}
