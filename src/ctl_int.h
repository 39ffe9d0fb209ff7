/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ctl_int.h - inside the control server: what src/ctl.c (listeners and
 * connections on the event loop) shares with src/metrics_http.c, which
 * serves HTTP on the same loop. Each listener has its own limit of
 * clients and its own deadlines, so one cannot starve the other.
 */
#ifndef PPPOE_XDP_CTL_INT_H
#define PPPOE_XDP_CTL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/un.h>

#include "src/evloop.h"

struct ctl;
struct ctl_conn;
struct ctl_ops;
struct strbuf;

#define CTL_REFUSED_LOG_MS 10000 /* at most one "refused" line per listener this often */

/*
 * A reply body shared by every connection sending it (a metrics render),
 * instead of a copy per connection. Freed with its last reference.
 */
struct ctl_blob {
	unsigned int refs;
	unsigned int *live;  /* the owner's count of blobs alive: less one when freed */
	size_t len;
	char *buf;
};

/*
 * ctl_blob_new - a blob of one reference taking over @sb's buffer (@sb is
 * left empty), counted in *@live; NULL when @sb is oom or memory is short.
 */
struct ctl_blob *ctl_blob_new(struct strbuf *sb, unsigned int *live);
struct ctl_blob *ctl_blob_get(struct ctl_blob *b);
/* ctl_blob_put - drop a reference (NULL is fine); the last frees the blob */
void ctl_blob_put(struct ctl_blob *b);

/* What a listener's clients get: one request read, one reply written. */
struct ctl_service {
	const char *name;        /* in log lines: "control", "metrics" */
	size_t req_max;          /* request bytes buffered, at most */
	unsigned int max_conns;  /* clients of this listener at once */
	unsigned int req_ms;     /* the request must be in this long after accept */
	unsigned int total_ms;   /* and the reply out this long after accept */
	int sndbuf;              /* SO_SNDBUF of each client (what the kernel holds), 0: default */
	const char *timeout_reply; /* sent, best effort, to a client that missed req_ms */
	const char *busy_reply;  /* sent, best effort, to a client refused for max_conns */
	/*
	 * request - is a complete request in @in[0..@len)? Then append the
	 * reply to @out, optionally followed by a shared body in *@body (a
	 * reference the connection then owns), and return true. @eof: the
	 * client will send no more; @len == req_max: no more fits. Both call
	 * for a reply, or for the client to be dropped (false).
	 */
	bool (*request)(struct ctl *c, const char *in, size_t len, bool eof, struct strbuf *out,
			struct ctl_blob **body);
};

/*
 * A listening socket of the server; fd is -1 until ctl_listener_add().
 * The limits start as the service's; tests may lower them.
 */
struct ctl_listener {
	struct ctl *c;
	int fd;
	struct ev_src ev;
	const struct ctl_service *svc;
	unsigned int max_conns, req_ms, total_ms;
	unsigned int nconns;         /* its clients now */
	/* Refused clients: logged at once, then summed up once per refused_every_ms. */
	unsigned int refused_every_ms; /* CTL_REFUSED_LOG_MS */
	uint64_t refused;            /* since the last line */
	uint64_t refused_total;
	uint64_t refused_log_ms;     /* when the last line was logged */
	bool refused_logged;         /* a line was logged at all */
	struct tw_timer refused_timer; /* the next summary line is due */
};

/* The metrics HTTP server's render cache (src/metrics_http.c). */
struct ctl_http_cache {
	struct ctl_blob *body;       /* the latest render, or NULL */
	uint64_t body_ms;            /* when it was rendered (the loop's clock) */
	unsigned int bodies;         /* renders alive: the cached one and those still being sent */
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
	struct ctl_http_cache cache;
	struct ctl_conn *conns;     /* clients of both */
};

/*
 * ctl_listener_add - accept clients on the listening @fd into @l, serving
 * them @svc. 0, or -errno with @fd left to the caller.
 */
int ctl_listener_add(struct ctl *c, struct ctl_listener *l, int fd,
		     const struct ctl_service *svc);

#endif
