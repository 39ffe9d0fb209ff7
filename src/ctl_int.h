/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ctl_int.h - inside the control server: what src/ctl.c (listeners and
 * connections on the event loop) shares with src/metrics_http.c, which
 * serves HTTP on the same loop, to the same limit of clients.
 */
#ifndef PPPOE_XDP_CTL_INT_H
#define PPPOE_XDP_CTL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/un.h>

#include "src/evloop.h"

struct ctl;
struct ctl_conn;
struct ctl_ops;
struct strbuf;

/* What a listener's clients get: one request read, one reply written. */
struct ctl_service {
	size_t req_max;          /* request bytes buffered, at most */
	const char *idle_reply;  /* sent, best effort, to a client dropped before its request */
	/*
	 * request - is a complete request in @in[0..@len)? Then append the
	 * reply to @out and return true. @eof: the client will send no more;
	 * @len == req_max: no more fits. Both call for a reply, or for the
	 * client to be dropped (false).
	 */
	bool (*request)(struct ctl *c, const char *in, size_t len, bool eof, struct strbuf *out);
};

/* A listening socket of the server; fd is -1 until ctl_listener_add(). */
struct ctl_listener {
	struct ctl *c;
	int fd;
	struct ev_src ev;
	const struct ctl_service *svc;
};

struct ctl {
	struct evloop *loop;
	const struct ctl_ops *ops;
	void *ctx;
	struct ctl_listener sock;   /* the control socket */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	dev_t dev;                  /* the socket file we bound, to unlink only ours */
	int lock_fd;                /* PATH.lock, flock()ed while we run */
	ino_t ino;
	struct ctl_listener http;   /* metrics (src/metrics_http.c) */
	struct ctl_conn *conns;     /* clients of both */
	unsigned int nconns;
};

/*
 * ctl_listener_add - accept clients on the listening @fd into @l, serving
 * them @svc. 0, or -errno with @fd left to the caller.
 */
int ctl_listener_add(struct ctl *c, struct ctl_listener *l, int fd,
		     const struct ctl_service *svc);

#endif
