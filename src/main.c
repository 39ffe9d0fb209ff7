// SPDX-License-Identifier: GPL-2.0-or-later
/* main.c - command line: run the daemon, check a config */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "pppoe/log.h"
#include "src/config.h"
#include "src/daemon.h"

#define EXIT_USAGE 2

static void main_usage(FILE *out)
{
	fprintf(out,
		"Usage: pppoe-xdp COMMAND [OPTIONS]\n"
		"\n"
		"Dial PPPoE sessions over one Ethernet interface through XDP/AF_XDP;\n"
		"each session becomes a TUN interface.\n"
		"\n"
		"Commands:\n"
		"  run   -c FILE [-v]   run the sessions of FILE in the foreground until\n"
		"                       SIGTERM/SIGINT (then PADT, TUNs removed, XDP detached)\n"
		"  check -c FILE        validate FILE and exit (0 ok, 2 errors)\n"
		"\n"
		"Options:\n"
		"  -c, --config FILE    configuration file (see conf/example.conf)\n"
		"  -v, --verbose        debug logging: every state transition and packet\n"
		"  -h, --help           this text\n"
		"  -V, --version        print the version\n"
		"\n"
		"Exit status: 0 success, 1 runtime failure, 2 bad usage or bad config.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = NULL, *path = NULL;
	struct conf conf;
	int c, ret;

	/* GNU getopt permutes: options may come before or after the command. */
	while ((c = getopt_long(argc, argv, "c:vhV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			path = optarg;
			break;
		case 'v':
			log_threshold = LOG_LVL_DEBUG;
			break;
		case 'h':
			main_usage(stdout);
			return 0;
		case 'V':
			printf("pppoe-xdp %s\n", PPPOE_XDP_VERSION);
			return 0;
		default:
			main_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		main_usage(stderr);
		return EXIT_USAGE;
	}
	cmd = argv[optind++];
	if (strcmp(cmd, "run") && strcmp(cmd, "check")) {
		fprintf(stderr, "pppoe-xdp: unknown command '%s' (try --help)\n", cmd);
		return EXIT_USAGE;
	}
	if (optind < argc) {
		fprintf(stderr, "pppoe-xdp %s: unexpected argument '%s'\n", cmd, argv[optind]);
		return EXIT_USAGE;
	}
	if (!path) {
		fprintf(stderr, "pppoe-xdp %s: missing -c FILE\n", cmd);
		return EXIT_USAGE;
	}
	ret = conf_load(path, &conf, true);
	if (ret)
		return ret == -EINVAL || ret == -ENOENT ? EXIT_USAGE : 1;
	if (!strcmp(cmd, "check")) {
		printf("%s: ok, interface %s, %zu session(s)\n", path, conf.interface,
		       conf.nsessions);
		conf_free(&conf);
		return 0;
	}
	ret = daemon_run(&conf);
	conf_free(&conf);
	return ret;
}
