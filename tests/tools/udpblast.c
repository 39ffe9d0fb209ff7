// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * udpblast - UDP packets as fast as one core sends them, and a counter of
 * what arrives: the load of `make bench`'s data path figures.
 *
 *   udpblast send DST[,DST...] PORT SIZE SECONDS [IFACE[,IFACE...]]
 *       sendmmsg batches of SIZE-byte datagrams to DST:PORT for SECONDS
 *       (several DSTs: each batch to the next one, round robin);
 *       with IFACEs, one socket bound (SO_BINDTODEVICE) to each, used in
 *       turn, so traffic spreads over those sessions. Prints
 *       "sent PKTS pkts SECS s PPS pps" and the CPU time used.
 *   udpblast recv PORT SECONDS [IDLE_MS]
 *       counts datagrams to PORT (any address) for SECONDS after the first
 *       one arrives (or SECONDS in all if none does), recvmmsg batches;
 *       with IDLE_MS, stops once none came for that long after the first.
 *       Prints "received PKTS pkts SECS s PPS pps BYTES bytes", the rate
 *       over the time from the first datagram to the last.
 *
 * A datagram that cannot be sent (ENOBUFS, EAGAIN: the TUN's queue or the
 * socket buffer is full) is counted as "dropped_at_sender" and retried on
 * the next batch; what the figures report is what left the socket.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tests/tools/tool_util.h"

#define BATCH 64
#define MAX_IFS 1024
#define MAX_DSTS 1024
#define MAX_SIZE 65507

static int usage(void)
{
	fprintf(stderr, "usage: udpblast send DST[,DST...] PORT SIZE SECONDS [IFACE[,IFACE...]]\n"
			"       udpblast recv PORT SECONDS [IDLE_MS]\n");
	return 2;
}

/* parse_uint - decimal in [lo, hi], or exit with a message naming @what */
static unsigned long parse_uint(const char *s, unsigned long lo, unsigned long hi, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, "udpblast: bad %s '%s' (%lu..%lu)\n", what, s, lo, hi);
		exit(2);
	}
	return v;
}

static int do_send(int argc, char **argv)
{
	static uint8_t payload[MAX_SIZE];
	struct mmsghdr msgs[BATCH];
	struct iovec iov;
	static struct sockaddr_in dst[MAX_DSTS];
	int fds[MAX_IFS], nfd = 0, ndst = 0, i, n, cur = 0, dcur = 0;
	unsigned long size, secs, sent = 0, dropped = 0;
	double t0, t1, c0;
	char *ifs, *tok, *save = NULL;
	uint16_t port;

	if (argc < 6 || argc > 7)
		return usage();
	port = htons((uint16_t)parse_uint(argv[3], 1, 65535, "port"));
	for (tok = strtok_r(argv[2], ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (ndst == MAX_DSTS || inet_pton(AF_INET, tok, &dst[ndst].sin_addr) != 1) {
			fprintf(stderr, "udpblast: bad address '%s' (or more than %d)\n", tok,
				MAX_DSTS);
			return 2;
		}
		dst[ndst].sin_family = AF_INET;
		dst[ndst++].sin_port = port;
	}
	if (!ndst)
		return usage();
	save = NULL;
	size = parse_uint(argv[4], 1, MAX_SIZE, "size");
	secs = parse_uint(argv[5], 1, 3600, "seconds");
	ifs = argc == 7 ? argv[6] : NULL;
	do {
		tok = ifs ? strtok_r(nfd ? NULL : ifs, ",", &save) : NULL;
		if (ifs && !tok)
			break;
		if (nfd == MAX_IFS) {
			fprintf(stderr, "udpblast: at most %d interfaces\n", MAX_IFS);
			return 2;
		}
		fds[nfd] = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
		if (fds[nfd] < 0 || (tok && setsockopt(fds[nfd], SOL_SOCKET, SO_BINDTODEVICE, tok,
						     (socklen_t)strlen(tok) + 1))) {
			fprintf(stderr, "udpblast: socket on %s: %s\n", tok ? tok : "default",
				strerror(errno));
			return 1;
		}
		nfd++;
	} while (ifs);
	for (i = 0; i < (int)sizeof(payload); i++)
		payload[i] = (uint8_t)i;
	iov.iov_base = payload;
	iov.iov_len = size;
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
		msgs[i].msg_hdr.msg_namelen = sizeof(dst[0]);
	}
	c0 = tool_cpu_s();
	t0 = tool_now_s();
	t1 = t0;
	while (t1 - t0 < (double)secs) {
		for (i = 0; i < 16; i++) {
			int j;

			for (j = 0; j < BATCH; j++)
				msgs[j].msg_hdr.msg_name = &dst[dcur];
			dcur = (dcur + 1) % ndst;
			n = sendmmsg(fds[cur], msgs, BATCH, 0);
			if (n > 0)
				sent += (unsigned long)n;
			if (n < BATCH)
				dropped += (unsigned long)(BATCH - (n > 0 ? n : 0));
			cur = (cur + 1) % nfd;
		}
		t1 = tool_now_s();
	}
	printf("sent %lu pkts %.3f s %.0f pps dropped_at_sender %lu cpu %.2f s\n", sent, t1 - t0,
	       (double)sent / (t1 - t0), dropped, tool_cpu_s() - c0);
	return 0;
}

static int do_recv(int argc, char **argv)
{
	static uint8_t bufs[BATCH][2048];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct pollfd pfd;
	unsigned long secs, got = 0, bytes = 0, idle_ms = 0;
	double t0 = 0, tlast = 0, start, end, now, wait;
	int fd, i, n, one = 1, rcvbuf = 32 << 20;

	if (argc != 4 && argc != 5)
		return usage();
	if (argc == 5)
		idle_ms = parse_uint(argv[4], 1, 3600000, "idle time");
	a.sin_port = htons((uint16_t)parse_uint(argv[2], 1, 65535, "port"));
	secs = parse_uint(argv[3], 1, 3600, "seconds");
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		fprintf(stderr, "udpblast: bind port %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	for (i = 0; i < BATCH; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = sizeof(bufs[i]);
		memset(&msgs[i], 0, sizeof(msgs[i]));
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	printf("listening\n");
	fflush(stdout);
	start = tool_now_s();
	end = start + (double)secs;
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		now = tool_now_s();
		if (now >= end || (idle_ms && got && now - tlast >= (double)idle_ms / 1e3))
			break;
		wait = end - now;
		if (idle_ms && got && wait > (double)idle_ms / 1e3)
			wait = (double)idle_ms / 1e3;
		if (poll(&pfd, 1, (int)(wait * 1000) + 1) <= 0)
			continue;
		n = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			continue;
		if (!got) {
			t0 = tool_now_s();
			end = t0 + (double)secs;
		}
		got += (unsigned long)n;
		tlast = tool_now_s();
		for (i = 0; i < n; i++)
			bytes += msgs[i].msg_len;
	}
	/* The rate over the time packets arrived, first to last */
	printf("received %lu pkts %.3f s %.0f pps %lu bytes\n", got, got ? tlast - t0 : 0.0,
	       got && tlast > t0 ? (double)got / (tlast - t0) : 0.0, bytes);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "send"))
		return do_send(argc, argv);
	if (!strcmp(argv[1], "recv"))
		return do_recv(argc, argv);
	return usage();
}
