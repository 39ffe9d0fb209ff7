// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - the command line: run the daemon, check a config, and talk to a
 * running daemon through its control socket.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "pppoe/log.h"
#include "src/caps.h"
#include "src/config.h"
#include "src/ctl.h"
#include "src/daemon.h"

#define EXIT_USAGE 2

/* main_usage - the usage text; @keys adds the list of config keys (--help) */
static void main_usage(FILE *out, bool keys)
{
	fprintf(out,
		"Usage: pppoe-xdp COMMAND [OPTIONS] [ARGS]\n"
		"\n"
		"Dial PPPoE sessions over one Ethernet interface through XDP/AF_XDP;\n"
		"each session becomes a TUN interface.\n"
		"\n"
		"Commands:\n"
		"  run -c FILE [-v]      run the sessions of FILE in the foreground until\n"
		"                        SIGTERM/SIGINT (then PADT, TUNs removed, XDP detached);\n"
		"                        needs root, keeps only CAP_NET_ADMIN and CAP_NET_RAW\n"
		"                        once set up\n"
		"  check -c FILE         validate FILE and exit (0 ok, 2 errors)\n"
		"  status [--json]       one row per session: state, addresses, AC, counters\n"
		"  up NAME               dial session NAME (admin up)\n"
		"  down NAME             hang up session NAME and keep it down\n"
		"  redial NAME           hang up session NAME and dial again\n"
		"  reload                re-read the config (same as SIGHUP): new sessions\n"
		"                        are dialed, removed ones ended, changed ones redialed\n"
		"  metrics               print metrics in the Prometheus text format\n"
		"  stop [--keep]         stop the daemon and wait for it to exit: every\n"
		"                        session ended (like SIGTERM), or with --keep left\n"
		"                        up, with its TUN, for the next start to resume\n"
		"                        (like SIGUSR2: for upgrades)\n"
		"\n"
		"Options:\n"
		"  -c, --config FILE     configuration file (see conf/example.conf); for the\n"
		"                        control commands it names the control_socket\n"
		"  -s, --socket PATH     control socket (default " CONF_DEFAULT_SOCKET ")\n"
		"  -j, --json            status as JSON\n"
		"  -k, --keep            stop: leave the sessions up for the next start\n"
		"  -v, --verbose         debug logging: every state transition and packet\n"
		"  -h, --help            this text\n"
		"  -V, --version         print the version\n"
		"\n"
		"Exit status: 0 success, 1 failure (runtime, or the daemon refused),\n"
		"2 bad usage or bad config, 3 no daemon listening on the control socket.\n");
	if (keys) {
		fputc('\n', out);
		conf_keys_usage(out);
	}
}

#define MAIN_STOP_WAIT_MS 120000 /* for the daemon to exit after stop */

/* main_control - a command for the running daemon */
static int main_control(const char *cmd, const char *name, const char *cfg, const char *sock,
			bool json, bool keep)
{
	char request[CTL_REQ_MAX], path[sizeof(((struct conf *)0)->control_socket)];
	struct conf conf;
	int ret;

	if (!sock && cfg) {
		if (conf_load(cfg, &conf, false))
			return EXIT_USAGE;
		snprintf(path, sizeof(path), "%s", conf.control_socket);
		conf_free(&conf);
	} else {
		snprintf(path, sizeof(path), "%s", sock ? sock : CONF_DEFAULT_SOCKET);
	}
	if (name)
		snprintf(request, sizeof(request), "%s %s", cmd, name);
	else if (keep)
		snprintf(request, sizeof(request), "%s keep", cmd);
	else
		snprintf(request, sizeof(request), "%s%s", cmd, json ? " json" : "");
	ret = ctl_client(path, request, stdout, stderr);
	if (ret != CTL_EXIT_OK || strcmp(cmd, "stop"))
		return ret;
	/* systemd's ExecStop must not return before the daemon is gone. */
	if (ctl_wait_exit(path, MAIN_STOP_WAIT_MS)) {
		fprintf(stderr, "pppoe-xdp stop: the daemon has not exited after %d s\n",
			MAIN_STOP_WAIT_MS / 1000);
		return CTL_EXIT_ERR;
	}
	return CTL_EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "keep", no_argument, NULL, 'k' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = NULL, *path = NULL, *sock = NULL, *name = NULL;
	bool json = false, keep = false, needs_name, control;
	struct conf conf;
	int c, ret;

	/* GNU getopt permutes: options may come before or after the command. */
	while ((c = getopt_long(argc, argv, "c:s:jkvhV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			path = optarg;
			break;
		case 's':
			sock = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'k':
			keep = true;
			break;
		case 'v':
			log_threshold = LOG_LVL_DEBUG;
			break;
		case 'h':
			main_usage(stdout, true);
			return 0;
		case 'V':
			printf("pppoe-xdp %s\n", PPPOE_XDP_VERSION);
			return 0;
		default:
			main_usage(stderr, false);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		main_usage(stderr, false);
		return EXIT_USAGE;
	}
	cmd = argv[optind++];
	needs_name = !strcmp(cmd, "up") || !strcmp(cmd, "down") || !strcmp(cmd, "redial");
	control = needs_name || !strcmp(cmd, "status") || !strcmp(cmd, "reload") ||
		  !strcmp(cmd, "metrics") || !strcmp(cmd, "stop");
	if (!control && strcmp(cmd, "run") && strcmp(cmd, "check")) {
		fprintf(stderr, "pppoe-xdp: unknown command '%s' (try --help)\n", cmd);
		return EXIT_USAGE;
	}
	if (needs_name) {
		if (optind >= argc) {
			fprintf(stderr, "pppoe-xdp %s: missing session NAME\n", cmd);
			return EXIT_USAGE;
		}
		name = argv[optind++];
		if (strlen(name) >= SESSION_NAME_MAX || strpbrk(name, " \t\r\n")) {
			fprintf(stderr, "pppoe-xdp %s: bad session name '%s'\n", cmd, name);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "pppoe-xdp %s: unexpected argument '%s'\n", cmd, argv[optind]);
		return EXIT_USAGE;
	}
	if (json && strcmp(cmd, "status")) {
		fprintf(stderr, "pppoe-xdp %s: --json is for status\n", cmd);
		return EXIT_USAGE;
	}
	if (keep && strcmp(cmd, "stop")) {
		fprintf(stderr, "pppoe-xdp %s: --keep is for stop\n", cmd);
		return EXIT_USAGE;
	}
	if (control)
		return main_control(cmd, name, path, sock, json, keep);
	if (!path) {
		fprintf(stderr, "pppoe-xdp %s: missing -c FILE\n", cmd);
		return EXIT_USAGE;
	}
	/* Say so up front rather than fail half-way through setup. */
	if (!strcmp(cmd, "run") && caps_check_start(false))
		return 1;
	ret = conf_load(path, &conf, true);
	if (ret)
		return ret == -EINVAL || ret == -ENOENT ? EXIT_USAGE : 1;
	if (!strcmp(cmd, "check")) {
		printf("%s: ok, interface %s, %zu session(s)\n", path, conf.interface,
		       conf.nsessions);
		conf_free(&conf);
		return 0;
	}
	if (!conf.hook_caps_all && caps_check_start(true)) {
		conf_free(&conf);
		return 1;
	}
	ret = daemon_run(&conf);
	conf_free(&conf);
	return ret;
}
