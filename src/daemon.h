/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemon.h - the pppoe-xdp daemon: one epoll loop that owns the AF_XDP
 * sockets, every session's TUN device and the timer wheel.
 */
#ifndef PPPOE_XDP_DAEMON_H
#define PPPOE_XDP_DAEMON_H

struct conf;

/* daemon_run - run @conf until SIGTERM/SIGINT; returns a process exit code */
int daemon_run(struct conf *conf);

#endif
