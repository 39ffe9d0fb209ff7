// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * acsim-server.c - the acsim access concentrator on a real interface.
 *
 * One AF_PACKET socket bound to -i IFACE carries every frame both ways
 * (recvmmsg/sendmmsg batches), an epoll loop waits on it and on a
 * signalfd, and the timer wheel runs on CLOCK_MONOTONIC. Users are
 * generated: FORMAT % i for i = 1..COUNT, all with one password, which
 * matches a pppoe-xdp "count = N, user = u%d" section.
 *
 *   acsim-server -i ac0 [-a pap|chap] [-N max] [--pool 10.100.0.0]
 *                [--echo SECONDS] [-u u%d] [-U count] [-p x] [-v]
 *
 * "acsim: ready on IFACE" on stderr once it listens; SIGTERM/SIGINT print
 * the counters and exit 0.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "pppoe/log.h"
#include "pppoe/timer.h"
#include "tests/acsim/acsim.h"

#define SRV_BATCH 64
#define SRV_FRAME 2048
#define SRV_TXQ 1024
#define SRV_NAME_MAX 32

struct srv {
	int fd;
	unsigned int ifindex;
	struct tw_wheel wheel;
	struct acsim *ac;
	/* frames acsim produced, sent by srv_flush() */
	uint8_t txbuf[SRV_TXQ][SRV_FRAME];
	size_t txlen[SRV_TXQ];
	unsigned int ntx;
	uint64_t rx_frames, tx_frames, tx_errors, tx_overflow;
};

static struct srv srv;
static uint8_t srv_rxbuf[SRV_BATCH][SRV_FRAME];

static uint64_t srv_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* srv_flush - send every queued frame */
static void srv_flush(struct srv *s)
{
	struct mmsghdr msgs[SRV_BATCH];
	struct iovec iov[SRV_BATCH];
	unsigned int done = 0, i, n;
	int ret;

	while (done < s->ntx) {
		n = s->ntx - done;
		if (n > SRV_BATCH)
			n = SRV_BATCH;
		memset(msgs, 0, sizeof(msgs[0]) * n);
		for (i = 0; i < n; i++) {
			iov[i].iov_base = s->txbuf[done + i];
			iov[i].iov_len = s->txlen[done + i];
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		ret = sendmmsg(s->fd, msgs, n, 0);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			/* ENOBUFS and friends: lose this frame, as a wire would */
			s->tx_errors++;
			done++;
			continue;
		}
		done += (unsigned int)ret;
		s->tx_frames += (unsigned int)ret;
	}
	s->ntx = 0;
}

/* srv_output - acsim's conf.output: queue, never call back into acsim */
static int srv_output(void *ctx, const uint8_t *frame, size_t len)
{
	struct srv *s = ctx;

	if (len > SRV_FRAME)
		return -EMSGSIZE;
	if (s->ntx == SRV_TXQ)
		srv_flush(s);
	if (s->ntx == SRV_TXQ) {
		s->tx_overflow++;
		return -ENOBUFS;
	}
	memcpy(s->txbuf[s->ntx], frame, len);
	s->txlen[s->ntx++] = len;
	return 0;
}

/* srv_rx - drain the socket in batches */
static void srv_rx(struct srv *s)
{
	struct mmsghdr msgs[SRV_BATCH];
	struct iovec iov[SRV_BATCH];
	struct sockaddr_ll from[SRV_BATCH];
	int i, n;

	for (;;) {
		memset(msgs, 0, sizeof(msgs));
		for (i = 0; i < SRV_BATCH; i++) {
			iov[i].iov_base = srv_rxbuf[i];
			iov[i].iov_len = SRV_FRAME;
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
			msgs[i].msg_hdr.msg_name = &from[i];
			msgs[i].msg_hdr.msg_namelen = sizeof(from[i]);
		}
		n = recvmmsg(s->fd, msgs, SRV_BATCH, MSG_DONTWAIT, NULL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		tw_advance(&s->wheel, srv_now_ms());
		for (i = 0; i < n; i++) {
			if (from[i].sll_pkttype == PACKET_OUTGOING)
				continue;
			s->rx_frames++;
			acsim_input(s->ac, srv_rxbuf[i], msgs[i].msg_len);
		}
		srv_flush(s);
		if (n < SRV_BATCH)
			return;
	}
}

static int srv_open(struct srv *s, const char *ifname)
{
	struct sockaddr_ll sll = { 0 };
	int one = 8 << 20;

	s->ifindex = if_nametoindex(ifname);
	if (!s->ifindex) {
		fprintf(stderr, "acsim: no interface %s\n", ifname);
		return -ENODEV;
	}
	s->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (s->fd < 0) {
		perror("acsim: socket(AF_PACKET)");
		return -errno;
	}
	/* A burst of thousands of PADIs must not overflow the default queue. */
	if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &one, sizeof(one)))
		setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &one, sizeof(one));
	if (setsockopt(s->fd, SOL_SOCKET, SO_SNDBUFFORCE, &one, sizeof(one)))
		setsockopt(s->fd, SOL_SOCKET, SO_SNDBUF, &one, sizeof(one));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)s->ifindex;
	if (bind(s->fd, (struct sockaddr *)&sll, sizeof(sll))) {
		perror("acsim: bind");
		return -errno;
	}
	return 0;
}

/* srv_parse_ip - dotted quad to host order */
static int srv_parse_ip(const char *str, uint32_t *ip)
{
	struct in_addr a;

	if (inet_pton(AF_INET, str, &a) != 1)
		return -EINVAL;
	*ip = ntohl(a.s_addr);
	return 0;
}

static void srv_usage(FILE *f)
{
	fprintf(f,
		"usage: acsim-server -i IFACE [-a pap|chap] [-N MAX_SESSIONS] [--pool A.B.C.D]\n"
		"                    [--echo SECONDS] [-u USER_FORMAT] [-U USERS] [-p PASSWORD] [-v]\n"
		"  --pool NET   AC address NET+1, clients NET+2 .. (a /16's worth)\n"
		"  -u FORMAT    user names FORMAT %% i for i = 1..USERS (default u%%d)\n");
}

/* srv_users - build FORMAT % 1 .. FORMAT % n */
static struct acsim_user *srv_users(const char *fmt, const char *pw, unsigned int n)
{
	struct acsim_user *u;
	char *names;
	unsigned int i;

	u = calloc(n, sizeof(*u));
	names = calloc(n, SRV_NAME_MAX);
	if (!u || !names) {
		free(u);
		free(names);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		char *p = names + (size_t)i * SRV_NAME_MAX;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		snprintf(p, SRV_NAME_MAX, fmt, i + 1);
#pragma GCC diagnostic pop
		u[i].name = p;
		u[i].password = pw;
	}
	return u;
}

static void srv_report(const struct srv *s)
{
	const struct acsim_stats *st = &s->ac->stats;

	fprintf(stderr,
		"acsim: sessions %u (up %u), created %u, freed %u, auth ok %u fail %u, ipcp up %u\n"
		"acsim: rx frames %llu (PADI %u PADR %u PADT %u LCP-req %u echo-req %u echo-rep %u, bad %u, no session %u)\n"
		"acsim: tx frames %llu (PADO %u PADS %u PADT %u), tx errors %llu, tx overflow %llu\n",
		acsim_sessions(s->ac), acsim_sessions_up(s->ac), st->sessions_created,
		st->sessions_freed, st->auth_ok, st->auth_fail, st->ipcp_up,
		(unsigned long long)s->rx_frames, st->rx[ACSIM_PADI], st->rx[ACSIM_PADR],
		st->rx[ACSIM_PADT], st->rx[ACSIM_LCP_CONFREQ], st->rx[ACSIM_LCP_ECHOREQ],
		st->rx[ACSIM_LCP_ECHOREP], st->rx_bad, st->rx_no_session,
		(unsigned long long)s->tx_frames, st->tx[ACSIM_PADO], st->tx[ACSIM_PADS],
		st->tx[ACSIM_PADT], (unsigned long long)s->tx_errors,
		(unsigned long long)s->tx_overflow);
}

static int srv_loop(struct srv *s, int sfd)
{
	struct epoll_event ev, evs[4];
	int ep, n, i;
	int64_t next;

	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		return -errno;
	ev.events = EPOLLIN;
	ev.data.fd = s->fd;
	epoll_ctl(ep, EPOLL_CTL_ADD, s->fd, &ev);
	ev.data.fd = sfd;
	epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev);
	for (;;) {
		next = tw_next_ms(&s->wheel);
		n = epoll_wait(ep, evs, 4, next < 0 ? -1 : (int)(next > 60000 ? 60000 : next));
		if (n < 0 && errno != EINTR) {
			close(ep);
			return -errno;
		}
		for (i = 0; i < n; i++) {
			if (evs[i].data.fd == sfd) {
				close(ep);
				return 0;
			}
			srv_rx(s);
		}
		tw_advance(&s->wheel, srv_now_ms());
		srv_flush(s);
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pool", required_argument, NULL, 'P' },
		{ "echo", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *ifname = NULL, *ufmt = "u%d", *pw = "x";
	unsigned int max = ACSIM_MAX_SESSIONS, nusers = 0, echo = 0;
	struct acsim_user *users;
	struct acsim_conf conf;
	uint32_t net = ACSIM_IP4(10, 100, 0, 0);
	sigset_t mask;
	int c, sfd, ret;

	log_threshold = LOG_LVL_WARN;
	acsim_conf_default(&conf);
	while ((c = getopt_long(argc, argv, "i:a:N:u:U:p:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			ifname = optarg;
			break;
		case 'a':
			if (!strcmp(optarg, "pap")) {
				conf.auth = ACSIM_AUTH_PAP;
			} else if (!strcmp(optarg, "chap")) {
				conf.auth = ACSIM_AUTH_CHAP;
			} else {
				srv_usage(stderr);
				return 2;
			}
			break;
		case 'N':
			max = (unsigned int)strtoul(optarg, NULL, 0);
			if (max > ACSIM_MAX_SESSIONS)
				max = ACSIM_MAX_SESSIONS;
			break;
		case 'P':
			if (srv_parse_ip(optarg, &net)) {
				fprintf(stderr, "acsim: bad --pool %s\n", optarg);
				return 2;
			}
			break;
		case 'e':
			echo = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'u':
			ufmt = optarg;
			break;
		case 'U':
			nusers = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'p':
			pw = optarg;
			break;
		case 'v':
			log_threshold = LOG_LVL_INFO;
			break;
		case 'h':
			srv_usage(stdout);
			return 0;
		default:
			srv_usage(stderr);
			return 2;
		}
	}
	if (!ifname || !max) {
		srv_usage(stderr);
		return 2;
	}
	if (!nusers)
		nusers = max;
	users = srv_users(ufmt, pw, nusers);
	if (!users) {
		fprintf(stderr, "acsim: out of memory\n");
		return 1;
	}
	conf.users = users;
	conf.n_users = nusers;
	conf.max_sessions = max;
	conf.local_ip = net + 1;
	conf.pool_start = net + 2;
	conf.pool_size = max < 65533 ? max : 65533;
	conf.dns1 = net + 1;
	conf.dns2 = 0;
	conf.echo_interval_ms = echo * 1000;
	conf.output = srv_output;
	conf.ctx = &srv;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0 || srv_open(&srv, ifname))
		return 1;
	tw_init(&srv.wheel, srv_now_ms());
	srv.ac = acsim_new(&conf, &srv.wheel);
	if (!srv.ac) {
		fprintf(stderr, "acsim: acsim_new failed\n");
		return 1;
	}
	fprintf(stderr, "acsim: ready on %s (%s, max %u sessions, pool %u addresses)\n",
		ifname, conf.auth == ACSIM_AUTH_CHAP ? "chap" : "pap", max, conf.pool_size);
	ret = srv_loop(&srv, sfd);
	srv_report(&srv);
	acsim_free(srv.ac);
	srv.ntx = 0; /* acsim_free's PADTs: the clients are going away too */
	free(users);
	close(srv.fd);
	close(sfd);
	if (ret) {
		fprintf(stderr, "acsim: event loop: %s\n", strerror(-ret));
		return 1;
	}
	return 0;
}
