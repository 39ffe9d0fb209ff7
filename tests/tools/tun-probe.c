// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tun-probe - drive tun_* and netcfg_* step by step from a test script.
 *
 *   tun-probe IFNAME COMMAND...
 *
 * Commands run in order; each prints "OK <cmd>" or "ERR <cmd> <errno> <text>"
 * on stdout (flushed) and the run goes on, so scripts can check expected
 * failures too:
 *   open | close | remove-stale        tun_open / tun_close / tun_remove_stale
 *   open-owned:GROUP   tun_open_owned(IFNAME, GROUP), that group exactly; on
 *                      success first prints "OWNED adopted IFINDEX" or
 *                      "OWNED created IFINDEX"
 *   open-family:GROUP  the same, any group with GROUP's upper 16 bits (the
 *                      daemon's way), moved into GROUP
 *   open-vnet:GROUP    open-owned with IFF_VNET_HDR and every offload
 *                      (tun_offload = auto); prints "OFFLOAD 0xBITS" too
 *   persist:on | persist:off           tun_set_persist on the open fd
 *   group:GROUP                        netcfg_link_set_group
 *   up[:MTU] | down                    netcfg_link_set
 *   addr-add:LOCAL:PEER | addr-del:LOCAL:PEER
 *   route-add:DST/PLEN:TABLE:METRIC | route-del:DST/PLEN:TABLE:METRIC
 *   rule-add:FROM:TABLE:PRIO | rule-del:FROM:TABLE:PRIO
 *   pause      print "PAUSE" and wait for a line on stdin
 *   serve      answer ICMP echo requests read from the TUN (tun_read and
 *              tun_write) until a line arrives on stdin; prints "SERVING"
 *              first and "SERVED n" at the end
 * Exit status 0 unless the command line is bad.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pppoe/log.h"
#include "tun/netcfg.h"
#include "tun/tun.h"

struct probe {
	const char *ifname;
	struct netcfg *nc;
	int fd;
	int ifindex;
};

static void probe_result(const char *cmd, int err)
{
	if (err)
		printf("ERR %s %d %s\n", cmd, -err, strerror(-err));
	else
		printf("OK %s\n", cmd);
	fflush(stdout);
}

static int probe_ip(const char *s, uint32_t *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*out = a.s_addr;
	return 0;
}

static void probe_wait_line(void)
{
	char line[64];

	if (!fgets(line, sizeof(line), stdin))
		return;
}

static uint16_t probe_csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* probe_serve - turn ICMP echo requests into replies until stdin speaks */
static int probe_serve(struct probe *p)
{
	struct pollfd pfd[2] = {
		{ .fd = p->fd, .events = POLLIN },
		{ .fd = STDIN_FILENO, .events = POLLIN },
	};
	unsigned long served = 0;
	uint8_t pkt[2048];

	printf("SERVING\n");
	fflush(stdout);
	for (;;) {
		ssize_t n;
		size_t ihl;
		uint8_t tmp[4];
		uint16_t c;

		if (poll(pfd, 2, 10000) <= 0 || pfd[1].revents)
			break;
		n = tun_read(p->fd, pkt, sizeof(pkt));
		if (n == -EAGAIN)
			continue;
		if (n < 0)
			return (int)n;
		if (n < 20 || (pkt[0] >> 4) != 4)
			continue;
		ihl = (size_t)(pkt[0] & 0xf) * 4;
		if ((size_t)n < ihl + 8 || pkt[9] != 1 || pkt[ihl] != 8)
			continue;
		/* Swap addresses, echo reply, fix the ICMP checksum. */
		memcpy(tmp, pkt + 12, 4);
		memcpy(pkt + 12, pkt + 16, 4);
		memcpy(pkt + 16, tmp, 4);
		pkt[ihl] = 0;
		pkt[ihl + 2] = pkt[ihl + 3] = 0;
		c = probe_csum(pkt + ihl, (size_t)n - ihl);
		pkt[ihl + 2] = (uint8_t)(c >> 8);
		pkt[ihl + 3] = (uint8_t)c;
		n = tun_write(p->fd, pkt, (size_t)n);
		if (n < 0)
			return (int)n;
		served++;
	}
	probe_wait_line();
	printf("SERVED %lu\n", served);
	return 0;
}

/* probe_run - execute one command; returns 0 or -errno */
static int probe_run(struct probe *p, const char *cmd)
{
	char a[64], b[64];
	unsigned int x, y, plen;
	uint32_t ia, ib;

	if (!strcmp(cmd, "open")) {
		int fd = tun_open(p->ifname, &p->ifindex);

		if (fd < 0)
			return fd;
		if (p->fd >= 0)
			tun_close(p->fd);
		p->fd = fd;
		return 0;
	}
	if (sscanf(cmd, "open-owned:%u", &x) == 1 || sscanf(cmd, "open-family:%u", &x) == 1 ||
	    sscanf(cmd, "open-vnet:%u", &x) == 1) {
		/* open-family: any group with the same upper 16 bits, like the daemon */
		uint32_t family = cmd[5] == 'f' ? 0xffff0000u : 0xffffffffu;
		bool adopted, vnet = cmd[5] == 'v';
		unsigned int got;
		int idx = 0, fd = tun_open_owned(p->nc, p->ifname, x, family, vnet, &idx, &adopted);

		if (fd < 0)
			return fd;
		if (p->fd >= 0)
			tun_close(p->fd);
		p->fd = fd;
		p->ifindex = idx;
		printf("OWNED %s %d\n", adopted ? "adopted" : "created", idx);
		if (tun_set_offload(fd, vnet ? TUN_OFF_ALL : 0, &got) < 0)
			return -EIO;
		if (vnet)
			printf("OFFLOAD 0x%x\n", got);
		return 0;
	}
	if (!strcmp(cmd, "persist:on") || !strcmp(cmd, "persist:off"))
		return p->fd < 0 ? -EBADF : tun_set_persist(p->fd, !strcmp(cmd, "persist:on"));
	if (sscanf(cmd, "group:%u", &x) == 1)
		return netcfg_link_set_group(p->nc, p->ifindex, x);
	if (!strcmp(cmd, "close")) {
		tun_close(p->fd);
		p->fd = -1;
		return 0;
	}
	if (!strcmp(cmd, "remove-stale"))
		return tun_remove_stale(p->ifname);
	if (!strcmp(cmd, "pause")) {
		printf("PAUSE\n");
		fflush(stdout);
		probe_wait_line();
		return 0;
	}
	if (!strcmp(cmd, "serve"))
		return p->fd < 0 ? -EBADF : probe_serve(p);
	if (!strcmp(cmd, "down"))
		return netcfg_link_set(p->nc, p->ifindex, false, 0);
	if (!strcmp(cmd, "up"))
		return netcfg_link_set(p->nc, p->ifindex, true, 0);
	if (sscanf(cmd, "up:%u", &x) == 1)
		return netcfg_link_set(p->nc, p->ifindex, true, x);
	if (sscanf(cmd, "addr-add:%63[^:]:%63s", a, b) == 2 ||
	    sscanf(cmd, "addr-del:%63[^:]:%63s", a, b) == 2) {
		if (probe_ip(a, &ia) || probe_ip(b, &ib))
			return -EINVAL;
		return !strncmp(cmd, "addr-add", 8) ?
		       netcfg_addr_add(p->nc, p->ifindex, ia, ib) :
		       netcfg_addr_del(p->nc, p->ifindex, ia, ib);
	}
	if (sscanf(cmd, "route-add:%63[^/]/%u:%u:%u", a, &plen, &x, &y) == 4 ||
	    sscanf(cmd, "route-del:%63[^/]/%u:%u:%u", a, &plen, &x, &y) == 4) {
		if (probe_ip(a, &ia) || plen > 32)
			return -EINVAL;
		return !strncmp(cmd, "route-add", 9) ?
		       netcfg_route_add(p->nc, p->ifindex, ia, (uint8_t)plen, x, y) :
		       netcfg_route_del(p->nc, p->ifindex, ia, (uint8_t)plen, x, y);
	}
	if (sscanf(cmd, "rule-add:%63[^:]:%u:%u", a, &x, &y) == 3 ||
	    sscanf(cmd, "rule-del:%63[^:]:%u:%u", a, &x, &y) == 3) {
		if (probe_ip(a, &ia))
			return -EINVAL;
		return !strncmp(cmd, "rule-add", 8) ?
		       netcfg_rule_add(p->nc, ia, x, y) :
		       netcfg_rule_del(p->nc, ia, x, y);
	}
	fprintf(stderr, "unknown command: %s\n", cmd);
	return -EINVAL;
}

int main(int argc, char **argv)
{
	struct probe p = { .fd = -1 };
	int i, err;

	if (argc < 3) {
		fprintf(stderr, "usage: tun-probe IFNAME COMMAND...\n");
		return 2;
	}
	if (getenv("TUN_PROBE_DEBUG"))
		log_threshold = LOG_LVL_DEBUG;
	p.ifname = argv[1];
	err = netcfg_open(&p.nc);
	if (err)
		return 1;
	for (i = 2; i < argc; i++)
		probe_result(argv[i], probe_run(&p, argv[i]));
	tun_close(p.fd);
	netcfg_close(p.nc);
	return 0;
}
