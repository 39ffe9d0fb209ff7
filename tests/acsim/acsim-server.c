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
 *   acsim-server -i ac0 [-a none|pap|chap|mschapv2] [-N max] [--pool 10.100.0.0]
 *                [--echo SECONDS] [-u u%d] [-U count] [-p x] [-v]
 *                [--ctl PATH] [--seed N] [--first-sid N] [--ipv6]
 *                [--dhcp6 T1,T2,PREFERRED,VALID]
 *                [--vlan ID|OUTER.INNER] [--vlan-tpid 0x8100|0x88a8] [--ac-mac MAC]
 *   acsim-server -C PATH COMMAND [ARGS...]
 *
 * --vlan serves that VLAN only (tags on every frame it sends, frames on
 * other VLANs or untagged ignored); several servers, one per VLAN, can
 * share an interface, and --ac-mac gives them one AC MAC. Tags the kernel
 * moved into packet metadata (PACKET_AUXDATA) are put back before acsim
 * sees a frame.
 *
 * --tun NAME hands the clients' IPv4 to a TUN of that name (the network
 * behind the AC: give it an address and a route to the pool, and a kernel
 * stack there serves TCP, UDP, ping) instead of answering pings itself;
 * what the kernel routes into the TUN goes to the client holding the
 * destination address.
 *
 * --ipv6 runs IPv6CP and answers Router Solicitations with an RA for
 * 2001:db8:64:SID::/64 (acsim.h); pings to any IPv6 address are answered
 * too. --dhcp6 (implies --ipv6, the RA with the M and O flags) runs
 * acsim's DHCPv6 server with these T1/T2 and lifetimes in seconds: IA_NA
 * 2001:db8:d6::N and IA_PD 2001:db8:d6:N00::/56, N per client DUID.
 *
 * "acsim: ready on IFACE" on stderr once it listens; SIGTERM/SIGINT print
 * the counters and exit 0.
 *
 * Pings from clients to any address are answered, so a test can send
 * traffic through every session.
 *
 * --ctl PATH listens on a unix socket for one command per connection, so a
 * test script can make the AC misbehave while clients run (-C is the
 * client side; it prints the answer and exits 1 on "ERR"):
 *   stats                        counters, one "key value" per line
 *   sessions                     "SID MAC STATE" per session
 *   restart                      forget every session, no PADT (a reboot)
 *   padt|termreq|lcp|ipcp|echo N act on N random up sessions (0 = all):
 *                                PADT, LCP Terminate-Request, LCP or IPCP
 *                                renegotiation, one Echo-Request
 *   ra LIFETIME VALID PREFERRED  an RA to every IPv6 session now
 *   set KNOB VALUE               auth_reject, echo_silent, padi_every,
 *                                padt_unknown_session, pado_error_tag,
 *                                pads_error_tag, pads_session_zero,
 *                                lcp_nak_loop, ipcp_nak_loop,
 *                                lcp_confreq_loop, loopback, lcp_passive,
 *                                spawn_ms, mschap_bad_s, mschap_no_s,
 *                                auth_drop_on_nak, ipv6cp_protrej,
 *                                ipv6cp_silent, ra_silent, d6_silent,
 *                                d6_ignore_renew, d6_nobinding, d6_no_addrs
 *   set drop_tx|drop_rx|delay_tx KIND N   per packet kind, e.g. PADO,
 *                                lcp-echo-reply (acsim_pkt_name, spaces as -)
 *   mac XX:XX:XX:XX:XX:XX        answer from another MAC from now on
 *   inject HEX                   send one Ethernet frame as is
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_tun.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "pppoe/log.h"
#include "pppoe/timer.h"
#include "pppoe/util.h"
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
	int ctl_fd;                 /* --ctl listener, -1 if none */
	int tun_fd;                 /* --tun: the network behind the AC, -1 if none */
	uint64_t tun_rx, tun_tx, tun_tx_errors, tun_unroutable;
	uint64_t rng;               /* picks sessions for ctl actions */
};

static struct srv srv;
/* Room in front of each frame for the tag the kernel took off (srv_rx). */
static uint8_t srv_rxbuf[SRV_BATCH][SRV_FRAME + 4];
static uint8_t srv_cmsg[SRV_BATCH][CMSG_SPACE(sizeof(struct tpacket_auxdata))];

/*
 * srv_restore_vlan - the kernel strips the outer VLAN tag of a received
 * frame into metadata: put it back in front of the EtherType, so the frame
 * is as it was on the wire. @buf has 4 bytes of room before the frame.
 * Returns the start of the frame and sets *len.
 */
static uint8_t *srv_restore_vlan(uint8_t *buf, struct msghdr *mh, size_t *len)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		struct tpacket_auxdata aux;
		uint16_t tpid;

		if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA ||
		    c->cmsg_len < CMSG_LEN(sizeof(aux)))
			continue;
		memcpy(&aux, CMSG_DATA(c), sizeof(aux));
		if (!(aux.tp_status & TP_STATUS_VLAN_VALID) || *len < 12)
			break;
		tpid = aux.tp_status & TP_STATUS_VLAN_TPID_VALID ? aux.tp_vlan_tpid : 0x8100;
		memmove(buf, buf + 4, 12);
		buf[12] = (uint8_t)(tpid >> 8);
		buf[13] = (uint8_t)tpid;
		buf[14] = (uint8_t)(aux.tp_vlan_tci >> 8);
		buf[15] = (uint8_t)aux.tp_vlan_tci;
		*len += 4;
		return buf;
	}
	return buf + 4;
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

/* srv_ip_out - acsim's conf.ip_out with --tun: a client's IPv4 to the kernel */
static int srv_ip_out(void *ctx, const uint8_t *ip, size_t len)
{
	struct srv *s = ctx;

	if (write(s->tun_fd, ip, len) < 0) {
		s->tun_tx_errors++;
		return -errno;
	}
	s->tun_tx++;
	return 0;
}

/* srv_tun_rx - a batch of datagrams from the kernel for the clients */
static void srv_tun_rx(struct srv *s)
{
	uint8_t buf[SRV_FRAME];
	ssize_t n;
	int i;

	for (i = 0; i < SRV_BATCH; i++) {
		n = read(s->tun_fd, buf, sizeof(buf));
		if (n <= 0)
			return;
		s->tun_rx++;
		if (acsim_ip_in(s->ac, buf, (size_t)n))
			s->tun_unroutable++;
		if (s->ntx == SRV_TXQ)
			srv_flush(s);
	}
}

/* srv_tun_open - TUN @name (IFF_TUN, no packet info), non-blocking */
static int srv_tun_open(struct srv *s, const char *name)
{
	struct ifreq ifr;

	s->tun_fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (s->tun_fd < 0 || ioctl(s->tun_fd, TUNSETIFF, &ifr) < 0) {
		fprintf(stderr, "acsim: --tun %s: %s\n", name, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * srv_rx - take up to SRV_RX_BATCHES batches from the socket. Bounded so
 * that under a flood from the clients the loop still comes back to the
 * --tun side (epoll is level-triggered: the rest waits for the next turn).
 */
#define SRV_RX_BATCHES 4
static void srv_rx(struct srv *s)
{
	struct mmsghdr msgs[SRV_BATCH];
	struct iovec iov[SRV_BATCH];
	struct sockaddr_ll from[SRV_BATCH];
	int i, n, b;

	for (b = 0; b < SRV_RX_BATCHES; b++) {
		memset(msgs, 0, sizeof(msgs));
		for (i = 0; i < SRV_BATCH; i++) {
			iov[i].iov_base = srv_rxbuf[i] + 4;
			iov[i].iov_len = SRV_FRAME;
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
			msgs[i].msg_hdr.msg_name = &from[i];
			msgs[i].msg_hdr.msg_namelen = sizeof(from[i]);
			msgs[i].msg_hdr.msg_control = srv_cmsg[i];
			msgs[i].msg_hdr.msg_controllen = sizeof(srv_cmsg[i]);
		}
		n = recvmmsg(s->fd, msgs, SRV_BATCH, MSG_DONTWAIT, NULL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		tw_advance(&s->wheel, mono_ms());
		for (i = 0; i < n; i++) {
			size_t len = msgs[i].msg_len;
			uint8_t *frame;

			if (from[i].sll_pkttype == PACKET_OUTGOING)
				continue;
			frame = srv_restore_vlan(srv_rxbuf[i], &msgs[i].msg_hdr, &len);
			s->rx_frames++;
			acsim_input(s->ac, frame, len);
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
	one = 1;
	if (setsockopt(s->fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one))) {
		perror("acsim: PACKET_AUXDATA");
		return -errno;
	}
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
		"usage: acsim-server -i IFACE [-a none|pap|chap|mschapv2] [-N MAX_SESSIONS] [--pool A.B.C.D]\n"
		"                    [--echo SECONDS] [-u USER_FORMAT] [-U USERS] [-p PASSWORD] [-v]\n"
		"                    [--ctl PATH] [--seed N] [--first-sid N] [--max-payload N]\n"
		"                    [--vlan ID|OUTER.INNER] [--vlan-tpid 0x8100|0x88a8] [--ac-mac MAC]\n"
		"                    [--ipv6] [--dhcp6 T1,T2,PREFERRED,VALID] [--tun NAME]\n"
		"       acsim-server -C PATH COMMAND [ARGS...]   (see the top of acsim-server.c)\n"
		"  --pool NET   AC address NET+1, clients NET+2 .. (a /16's worth)\n"
		"  -u FORMAT    user names FORMAT %% i for i = 1..USERS (default u%%d)\n"
		"  --max-payload N  RFC 4638: echo PPP-Max-Payload up to N (default: ignore it)\n");
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
	if (s->tun_fd >= 0)
		fprintf(stderr, "acsim: tun rx %llu (unroutable %llu), tx %llu (errors %llu)\n",
			(unsigned long long)s->tun_rx, (unsigned long long)s->tun_unroutable,
			(unsigned long long)s->tun_tx, (unsigned long long)s->tun_tx_errors);
}


/* ---- control socket -------------------------------------------------------- */

#define SRV_CTL_MAX 8192
#define SRV_CMD_MAX (2 * SRV_FRAME + 64) /* "inject" and a whole frame in hex */

struct srv_reply {
	char buf[SRV_CTL_MAX];
	size_t len;
	bool err;
};

__attribute__((format(printf, 2, 3)))
static void srv_say(struct srv_reply *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (r->len >= sizeof(r->buf))
		return;
	va_start(ap, fmt);
	n = vsnprintf(r->buf + r->len, sizeof(r->buf) - r->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		r->len += (size_t)n < sizeof(r->buf) - r->len ? (size_t)n : sizeof(r->buf) - r->len - 1;
}

/* srv_kind - a packet kind by name, "lcp-echo-reply" for "LCP Echo-Reply" */
static int srv_kind(const char *name)
{
	int k;

	for (k = 0; k < ACSIM_PKT_MAX; k++) {
		const char *a = acsim_pkt_name((enum acsim_pkt)k), *b = name;

		while (*a && *b && (tolower((unsigned char)*a) == tolower((unsigned char)*b) ||
				    (*a == ' ' && *b == '-'))) {
			a++;
			b++;
		}
		if (!*a && !*b)
			return k;
	}
	return -1;
}

static uint64_t srv_rand(struct srv *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return s->rng;
}

/* srv_act - apply @verb to @n random up sessions (0 = all); how many */
static unsigned int srv_act(struct srv *s, const char *verb, unsigned int n)
{
	struct acsim *ac = s->ac;
	unsigned int i, up = 0, done = 0, *ids;

	ids = calloc(ac->conf.max_sessions, sizeof(*ids));
	if (!ids)
		return 0;
	for (i = 0; i < ac->conf.max_sessions; i++)
		if (acsim_sess_up(&ac->sess[i]))
			ids[up++] = i;
	if (!n || n > up)
		n = up;
	/* a partial Fisher-Yates shuffle: n distinct sessions */
	for (i = 0; i < n; i++) {
		unsigned int j = i + (unsigned int)(srv_rand(s) % (up - i)), t = ids[i];
		struct acsim_sess *ss;
		int ret;

		ids[i] = ids[j];
		ids[j] = t;
		ss = &ac->sess[ids[i]];
		if (!strcmp(verb, "padt"))
			ret = acsim_send_padt(ss, "acsim-server: padt");
		else if (!strcmp(verb, "termreq"))
			ret = acsim_send_termreq(ss, "acsim-server: termreq");
		else if (!strcmp(verb, "lcp"))
			ret = acsim_renegotiate(ss);
		else if (!strcmp(verb, "ipcp"))
			ret = acsim_ipcp_renegotiate(ss);
		else
			ret = acsim_send_echo(ss);
		done += ret == 0;
	}
	free(ids);
	return done;
}

/* srv_set - one knob */
static int srv_set(struct srv *s, char **argv, int argc, struct srv_reply *r)
{
	struct acsim_knobs *k = &s->ac->knobs;
	unsigned long v;
	char *end;
	int kind;

	if (argc == 3 && (!strcmp(argv[0], "drop_tx") || !strcmp(argv[0], "drop_rx") ||
			  !strcmp(argv[0], "delay_tx"))) {
		kind = srv_kind(argv[1]);
		v = strtoul(argv[2], &end, 0);
		if (kind < 0 || *end) {
			srv_say(r, "ERR bad kind or value\n");
			return -EINVAL;
		}
		if (!strcmp(argv[0], "drop_tx"))
			k->drop_tx[kind] = !strcmp(argv[2], "forever") ? ACSIM_FOREVER : (unsigned int)v;
		else if (!strcmp(argv[0], "drop_rx"))
			k->drop_rx[kind] = (unsigned int)v;
		else
			k->delay_tx_ms[kind] = (unsigned int)v;
		return 0;
	}
	if (argc != 2) {
		srv_say(r, "ERR usage: set KNOB VALUE | set drop_tx|drop_rx|delay_tx KIND N\n");
		return -EINVAL;
	}
	v = strtoul(argv[1], &end, 0);
	if (*end) {
		srv_say(r, "ERR bad value %s\n", argv[1]);
		return -EINVAL;
	}
	if (!strcmp(argv[0], "auth_reject"))
		k->auth_reject = v;
	else if (!strcmp(argv[0], "echo_silent"))
		k->echo_silent = v;
	else if (!strcmp(argv[0], "padi_every"))
		k->padi_every = (unsigned int)v;
	else if (!strcmp(argv[0], "spawn_ms"))
		k->spawn_ms = (unsigned int)v;
	else if (!strcmp(argv[0], "mschap_bad_s"))
		k->mschap_bad_s = v;
	else if (!strcmp(argv[0], "mschap_no_s"))
		k->mschap_no_s = v;
	else if (!strcmp(argv[0], "auth_drop_on_nak"))
		k->auth_drop_on_nak = v;
	else if (!strcmp(argv[0], "ipv6cp_protrej"))
		k->ipv6cp_protrej = v;
	else if (!strcmp(argv[0], "ipv6cp_silent"))
		k->ipv6cp_silent = v;
	else if (!strcmp(argv[0], "ra_silent"))
		k->ra_silent = v;
	else if (!strcmp(argv[0], "d6_silent"))
		k->d6_silent = v;
	else if (!strcmp(argv[0], "d6_ignore_renew"))
		k->d6_ignore_renew = v;
	else if (!strcmp(argv[0], "d6_nobinding"))
		k->d6_nobinding = v;
	else if (!strcmp(argv[0], "d6_no_addrs"))
		k->d6_no_addrs = v;
	else if (!strcmp(argv[0], "padt_unknown_session"))
		k->padt_unknown_session = v;
	else if (!strcmp(argv[0], "pado_error_tag"))
		k->pado_error_tag = (uint16_t)v;
	else if (!strcmp(argv[0], "pads_error_tag"))
		k->pads_error_tag = (uint16_t)v;
	else if (!strcmp(argv[0], "lcp_nak_loop"))
		k->lcp_nak_loop = v;
	else if (!strcmp(argv[0], "ipcp_nak_loop"))
		k->ipcp_nak_loop = v;
	else if (!strcmp(argv[0], "lcp_confreq_loop"))
		k->lcp_confreq_loop = v;
	else if (!strcmp(argv[0], "loopback"))
		k->loopback = v;
	else if (!strcmp(argv[0], "lcp_passive"))
		k->lcp_passive = v;
	else if (!strcmp(argv[0], "pads_session_zero"))
		k->pads_session_zero = v;
	else {
		srv_say(r, "ERR unknown knob %s\n", argv[0]);
		return -EINVAL;
	}
	return 0;
}

static void srv_stats(struct srv *s, struct srv_reply *r)
{
	const struct acsim_stats *st = &s->ac->stats;
	int k;

	srv_say(r, "sessions %u\nup %u\ncreated %u\nfreed %u\nauth_ok %u\nauth_fail %u\n"
		   "ipcp_up %u\nrx_bad %u\nrx_no_session %u\npadi_throttled %u\necho_ignored %u\n"
		   "rx_frames %llu\ntx_frames %llu\nrx_unspawned %u\n"
		   "ipv6cp_up %u\nrx_rs %u\ntx_ra %u\nrx_ping6 %u\n"
		   "rx_d6_solicit %u\nrx_d6_request %u\nrx_d6_renew %u\nrx_d6_rebind %u\n"
		   "rx_d6_release %u\n",
		acsim_sessions(s->ac), acsim_sessions_up(s->ac), st->sessions_created,
		st->sessions_freed, st->auth_ok, st->auth_fail, st->ipcp_up, st->rx_bad,
		st->rx_no_session, st->padi_throttled, st->echo_ignored,
		(unsigned long long)s->rx_frames, (unsigned long long)s->tx_frames,
		st->rx_unspawned, st->ipv6cp_up, st->rx_rs, st->tx_ra, st->rx_ping6,
		st->rx_d6[1], st->rx_d6[3], st->rx_d6[5], st->rx_d6[6], st->rx_d6[8]);
	for (k = 1; k < ACSIM_PKT_MAX; k++) {
		const char *n = acsim_pkt_name((enum acsim_pkt)k);
		char slug[64];
		size_t i;

		for (i = 0; n[i] && i < sizeof(slug) - 1; i++)
			slug[i] = n[i] == ' ' ? '-' : (char)tolower((unsigned char)n[i]);
		slug[i] = 0;
		srv_say(r, "rx.%s %u\ntx.%s %u\n", slug, st->rx[k], slug, st->tx[k]);
	}
}

static void srv_sessions(struct srv *s, struct srv_reply *r)
{
	unsigned int i;

	for (i = 0; i < s->ac->conf.max_sessions; i++) {
		const struct acsim_sess *ss = &s->ac->sess[i];
		const uint8_t *m = ss->mac;

		if (!ss->used)
			continue;
		srv_say(r, "%u %02x:%02x:%02x:%02x:%02x:%02x %s\n", ss->sid, m[0], m[1], m[2],
			m[3], m[4], m[5], acsim_sess_up(ss) ? "up" : "setup");
	}
}

/* srv_command - run one control line */
static void srv_command(struct srv *s, char *line, struct srv_reply *r)
{
	char *argv[8], *save = NULL, *tok;
	int argc = 0;
	unsigned int n;

	for (tok = strtok_r(line, " \t\r\n", &save); tok && argc < 8;
	     tok = strtok_r(NULL, " \t\r\n", &save))
		argv[argc++] = tok;
	if (!argc) {
		srv_say(r, "ERR empty command\n");
		return;
	}
	if (!strcmp(argv[0], "stats")) {
		srv_stats(s, r);
	} else if (!strcmp(argv[0], "sessions")) {
		srv_sessions(s, r);
	} else if (!strcmp(argv[0], "restart")) {
		acsim_restart(s->ac);
		srv_say(r, "OK restarted\n");
	} else if (argc == 2 && (!strcmp(argv[0], "padt") || !strcmp(argv[0], "termreq") ||
				 !strcmp(argv[0], "lcp") || !strcmp(argv[0], "ipcp") ||
				 !strcmp(argv[0], "echo"))) {
		n = srv_act(s, argv[0], (unsigned int)strtoul(argv[1], NULL, 0));
		srv_say(r, "OK %u\n", n);
	} else if (argc == 4 && !strcmp(argv[0], "ra")) {
		unsigned int i;

		n = 0;
		for (i = 0; i < s->ac->conf.max_sessions; i++)
			if (acsim_sess_up6(&s->ac->sess[i]) &&
			    !acsim_send_ra(&s->ac->sess[i], (uint16_t)strtoul(argv[1], NULL, 0),
					   (uint32_t)strtoul(argv[2], NULL, 0),
					   (uint32_t)strtoul(argv[3], NULL, 0)))
				n++;
		srv_say(r, "OK %u\n", n);
	} else if (!strcmp(argv[0], "set")) {
		if (!srv_set(s, argv + 1, argc - 1, r))
			srv_say(r, "OK\n");
	} else if (argc == 2 && !strcmp(argv[0], "inject")) {
		static uint8_t frame[SRV_FRAME];
		size_t b, l = strlen(argv[1]);

		if (l % 2 || l / 2 > sizeof(frame) || l < 28) {
			srv_say(r, "ERR inject: 14 to %d bytes of hex\n", SRV_FRAME);
			return;
		}
		for (b = 0; b < l / 2; b++)
			if (!isxdigit((unsigned char)argv[1][2 * b]) ||
			    sscanf(argv[1] + 2 * b, "%2hhx", &frame[b]) != 1) {
				srv_say(r, "ERR inject: bad hex at %zu\n", 2 * b);
				return;
			}
		acsim_inject(s->ac, frame, b);
		srv_say(r, "OK %zu bytes\n", b);
	} else if (argc == 2 && !strcmp(argv[0], "mac")) {
		uint8_t m[6];

		if (sscanf(argv[1], "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &m[0], &m[1], &m[2], &m[3],
			   &m[4], &m[5]) != 6) {
			srv_say(r, "ERR bad MAC %s\n", argv[1]);
			return;
		}
		acsim_set_mac(s->ac, m);
		srv_say(r, "OK\n");
	} else {
		srv_say(r, "ERR unknown command %s\n", argv[0]);
	}
	r->err = r->len >= 3 && !strncmp(r->buf, "ERR", 3);
}

/* srv_ctl_accept - one connection, one command: read it, answer, close */
static void srv_ctl_accept(struct srv *s)
{
	struct timeval tv = { .tv_sec = 1 };
	static struct srv_reply r;
	static char line[SRV_CMD_MAX];
	ssize_t n;
	int c;

	c = accept4(s->ctl_fd, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		return;
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	n = read(c, line, sizeof(line) - 1);
	if (n > 0) {
		line[n] = 0;
		memset(&r, 0, sizeof(r));
		tw_advance(&s->wheel, mono_ms());
		srv_command(s, line, &r);
		srv_flush(s);
		if (write(c, r.buf, r.len) < 0)
			perror("acsim: ctl write");
	}
	close(c);
}

static int srv_ctl_open(struct srv *s, const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "acsim: --ctl path too long\n");
		return -ENAMETOOLONG;
	}
	strcpy(sun.sun_path, path);
	unlink(path);
	s->ctl_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->ctl_fd < 0 || bind(s->ctl_fd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    listen(s->ctl_fd, 16)) {
		perror("acsim: --ctl");
		return -errno;
	}
	return 0;
}

/* srv_ctl_client - acsim-server -C PATH COMMAND...: print the answer */
static int srv_ctl_client(const char *path, int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char buf[SRV_CTL_MAX], line[SRV_CMD_MAX];
	size_t len = 0;
	ssize_t n;
	int fd, i, err = 0;

	line[0] = 0;
	for (i = 0; i < argc; i++) {
		size_t l = strlen(line);

		snprintf(line + l, sizeof(line) - l, "%s%s", i ? " " : "", argv[i]);
	}
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		fprintf(stderr, "acsim: cannot connect to %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (write(fd, line, strlen(line)) < 0) {
		perror("acsim: write");
		return 1;
	}
	shutdown(fd, SHUT_WR);
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = 0;
	fputs(buf, stdout);
	if (!len || !strncmp(buf, "ERR", 3))
		err = 1;
	return err;
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
	if (s->ctl_fd >= 0) {
		ev.data.fd = s->ctl_fd;
		epoll_ctl(ep, EPOLL_CTL_ADD, s->ctl_fd, &ev);
	}
	if (s->tun_fd >= 0) {
		ev.data.fd = s->tun_fd;
		epoll_ctl(ep, EPOLL_CTL_ADD, s->tun_fd, &ev);
	}
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
			if (evs[i].data.fd == s->ctl_fd)
				srv_ctl_accept(s);
			else if (evs[i].data.fd == s->tun_fd)
				srv_tun_rx(s);
			else
				srv_rx(s);
		}
		tw_advance(&s->wheel, mono_ms());
		srv_flush(s);
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pool", required_argument, NULL, 'P' },
		{ "echo", required_argument, NULL, 'e' },
		{ "ctl", required_argument, NULL, 'c' },
		{ "seed", required_argument, NULL, 's' },
		{ "first-sid", required_argument, NULL, 'f' },
		{ "ipv6", no_argument, NULL, '6' },
		{ "tun", required_argument, NULL, 'n' },
		{ "dhcp6", required_argument, NULL, 'D' },
		{ "max-payload", required_argument, NULL, 'M' },
		{ "vlan", required_argument, NULL, 'V' },
		{ "vlan-tpid", required_argument, NULL, 'T' },
		{ "ac-mac", required_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *ifname = NULL, *ufmt = "u%d", *pw = "x", *ctl = NULL, *tun = NULL;
	unsigned int max = ACSIM_MAX_SESSIONS, nusers = 0, echo = 0, first_sid = 1;
	struct acsim_user *users;
	struct acsim_conf conf;
	uint32_t net = ACSIM_IP4(10, 100, 0, 0);
	uint8_t mac[6];
	char vlanstr[PPPOE_VLAN_STRLEN];
	bool have_mac = false;
	sigset_t mask;
	int c, sfd, ret;

	log_threshold = LOG_LVL_WARN;
	acsim_conf_default(&conf);
	srv.ctl_fd = -1;
	srv.tun_fd = -1;
	srv.rng = 0x9e3779b97f4a7c15ull;
	if (argc >= 4 && !strcmp(argv[1], "-C"))
		return srv_ctl_client(argv[2], argc - 3, argv + 3);
	while ((c = getopt_long(argc, argv, "i:a:N:u:U:p:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			ctl = optarg;
			break;
		case 'n':
			tun = optarg;
			break;
		case 'V':
			if (pppoe_vlan_parse(optarg, &conf.vlan)) {
				fprintf(stderr, "acsim: bad --vlan %s\n", optarg);
				return 2;
			}
			break;
		case 'T':
			conf.vlan.tpid = (uint16_t)strtoul(optarg, NULL, 16);
			if (conf.vlan.tpid != 0x8100 && conf.vlan.tpid != 0x88a8) {
				fprintf(stderr, "acsim: bad --vlan-tpid %s\n", optarg);
				return 2;
			}
			break;
		case 'A':
			if (sscanf(optarg, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2],
				   &mac[3], &mac[4], &mac[5]) != 6 || (mac[0] & 1)) {
				fprintf(stderr, "acsim: bad --ac-mac %s\n", optarg);
				return 2;
			}
			have_mac = true;
			break;
		case '6':
			conf.ipv6 = true;
			break;
		case 'D':
			if (sscanf(optarg, "%u,%u,%u,%u", &conf.d6_t1, &conf.d6_t2,
				   &conf.d6_preferred, &conf.d6_valid) != 4) {
				fprintf(stderr, "acsim: --dhcp6 T1,T2,PREFERRED,VALID, not '%s'\n",
					optarg);
				return 2;
			}
			conf.ipv6 = conf.dhcp6 = conf.ra_managed = conf.ra_other = true;
			break;
		case 'f':
			first_sid = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'M':
			conf.max_payload = (uint16_t)strtoul(optarg, NULL, 0);
			break;
		case 's':
			srv.rng = strtoull(optarg, NULL, 0) | 1;
			conf.seed = srv.rng;
			break;
		case 'i':
			ifname = optarg;
			break;
		case 'a':
			if (!strcmp(optarg, "none")) {
				conf.auth = ACSIM_AUTH_NONE;
			} else if (!strcmp(optarg, "pap")) {
				conf.auth = ACSIM_AUTH_PAP;
			} else if (!strcmp(optarg, "chap")) {
				conf.auth = ACSIM_AUTH_CHAP;
			} else if (!strcmp(optarg, "mschapv2")) {
				conf.auth = ACSIM_AUTH_MSCHAPV2;
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
	conf.answer_ping = true;
	conf.output = srv_output;
	conf.ctx = &srv;
	if (have_mac)
		memcpy(conf.mac, mac, 6);
	if (!conf.vlan.tpid)
		conf.vlan.tpid = 0x8100;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0 || srv_open(&srv, ifname))
		return 1;
	if (ctl && srv_ctl_open(&srv, ctl))
		return 1;
	if (tun) {
		if (srv_tun_open(&srv, tun))
			return 1;
		conf.ip_out = srv_ip_out;
	}
	tw_init(&srv.wheel, mono_ms());
	srv.ac = acsim_new(&conf, &srv.wheel);
	if (!srv.ac) {
		fprintf(stderr, "acsim: acsim_new failed\n");
		return 1;
	}
	/* Session ids are handed out round-robin from here. */
	if (first_sid < 1 || first_sid > max) {
		fprintf(stderr, "acsim: --first-sid must be 1..%u\n", max);
		return 2;
	}
	srv.ac->next_slot = first_sid - 1;
	fprintf(stderr, "acsim: ready on %s%s%s (%s, max %u sessions, pool %u addresses)\n",
		ifname, conf.vlan.ntags ? " VLAN " : "",
		pppoe_vlan_format(&conf.vlan, vlanstr, sizeof(vlanstr)),
		conf.auth == ACSIM_AUTH_CHAP ? "chap" : conf.auth == ACSIM_AUTH_MSCHAPV2 ? "mschapv2"
		: conf.auth == ACSIM_AUTH_NONE ? "none" : "pap", max, conf.pool_size);
	ret = srv_loop(&srv, sfd);
	srv_report(&srv);
	acsim_free(srv.ac);
	srv.ntx = 0; /* acsim_free's PADTs: the clients are going away too */
	free(users);
	close(srv.fd);
	close(sfd);
	if (srv.ctl_fd >= 0) {
		close(srv.ctl_fd);
		unlink(ctl);
	}
	if (ret) {
		fprintf(stderr, "acsim: event loop: %s\n", strerror(-ret));
		return 1;
	}
	return 0;
}
