// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netcfg-probe - drive the unicast filter and promisc calls of tun/netcfg.
 *
 *   netcfg-probe IFNAME COMMAND...
 *
 * Commands run in order; each prints "OK <cmd>" or "ERR <cmd> <errno> <text>"
 * on stdout and the run goes on:
 *   uc-add:MAC | uc-del:MAC     netcfg_uc_add / netcfg_uc_del
 *   promisc-on | promisc-off    netcfg_set_promisc
 *   promisc?                    netcfg_get_promisc, prints "PROMISC on|off"
 * What these change belongs to the device, not to the process: it stays
 * after the probe exits. Exit status 0 unless the command line is bad.
 */
#include <errno.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pppoe/log.h"
#include "tun/netcfg.h"
#include "tests/tools/tool_util.h"

static void probe_result(const char *cmd, int err)
{
	if (err)
		printf("ERR %s %d %s\n", cmd, -err, strerror(-err));
	else
		printf("OK %s\n", cmd);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct netcfg *nc;
	uint8_t mac[6];
	int ifindex, i, err;
	bool on;

	if (argc < 3) {
		fprintf(stderr, "usage: netcfg-probe IFNAME uc-add:MAC | uc-del:MAC | "
			"promisc-on | promisc-off | promisc? ...\n");
		return 2;
	}
	ifindex = (int)if_nametoindex(argv[1]);
	if (!ifindex) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	if (netcfg_open(&nc))
		return 1;
	for (i = 2; i < argc; i++) {
		const char *cmd = argv[i];

		if (!strncmp(cmd, "uc-add:", 7) || !strncmp(cmd, "uc-del:", 7)) {
			if (tool_parse_mac(cmd + 7, mac, NULL)) {
				fprintf(stderr, "bad MAC in '%s'\n", cmd);
				netcfg_close(nc);
				return 2;
			}
			err = cmd[3] == 'a' ? netcfg_uc_add(nc, ifindex, mac) :
					      netcfg_uc_del(nc, ifindex, mac);
			probe_result(cmd, err);
		} else if (!strcmp(cmd, "promisc-on") || !strcmp(cmd, "promisc-off")) {
			err = netcfg_set_promisc(nc, ifindex, cmd[9] == 'n');
			probe_result(cmd, err);
		} else if (!strcmp(cmd, "promisc?")) {
			err = netcfg_get_promisc(nc, ifindex, &on);
			probe_result(cmd, err);
			if (!err)
				printf("PROMISC %s\n", on ? "on" : "off");
			fflush(stdout);
		} else {
			fprintf(stderr, "bad command '%s'\n", cmd);
			netcfg_close(nc);
			return 2;
		}
	}
	netcfg_close(nc);
	return 0;
}
