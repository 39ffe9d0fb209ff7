/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ctl.h - the control socket (AF_UNIX, one request per connection), its
 * protocol and its command line client. The optional Prometheus metrics
 * HTTP server (metrics_http.h) runs inside the same server, with limits
 * of its own.
 *
 * Protocol: the client sends one line (at most CTL_REQ_MAX bytes with
 * the newline): "status", "status json", "metrics", "up NAME",
 * "down NAME", "redial NAME" or "reload". The daemon answers
 *
 *	OK <body length>\n<body>
 * or
 *	ERR <message>\n
 *
 * and closes the connection. The length lets the client tell a complete
 * reply from one cut short by a dying daemon.
 */
#ifndef PPPOE_XDP_CTL_H
#define PPPOE_XDP_CTL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <stdio.h>

#include "pppoe/session.h"

#define CTL_REQ_MAX       512    /* request line, newline included */
/*
 * The control socket's own limits (the metrics listener has others, see
 * metrics_http.h): clients at once, and two absolute deadlines from the
 * accept that no trickle of bytes extends: the request line must be in by
 * CTL_REQ_MS, the whole reply out by CTL_DEADLINE_MS (the command line
 * itself gives up after CTL_CLIENT_TIMEOUT_MS; scripts get a little more).
 */
#define CTL_MAX_CLIENTS   32
#define CTL_REQ_MS        5000
#define CTL_DEADLINE_MS   30000
#define CTL_CLIENT_TIMEOUT_MS 10000
#define CTL_LOCK_WAIT_MS  10000  /* for an exiting daemon to let go of PATH.lock */

/* Exit codes of ctl_client(). */
#define CTL_EXIT_OK       0
#define CTL_EXIT_ERR      1      /* the daemon said ERR, or the reply was bad */
#define CTL_EXIT_NODAEMON 3      /* nothing listening on the path */

struct ctl;
struct evloop;
struct strbuf;

enum ctl_cmd {
	CTL_CMD_STATUS,
	CTL_CMD_STATUS_JSON,
	CTL_CMD_METRICS,
	CTL_CMD_UP,
	CTL_CMD_DOWN,
	CTL_CMD_REDIAL,
	CTL_CMD_RELOAD,
	CTL_CMD_STOP,           /* end every session and exit */
	CTL_CMD_STOP_KEEP,      /* exit, leaving the sessions to the next start */
};

struct ctl_req {
	enum ctl_cmd cmd;
	char name[SESSION_NAME_MAX]; /* up/down/redial */
};

/* The reports the control socket and the metrics server hand out. */
enum ctl_report {
	CTL_REPORT_STATUS,      /* the table for people */
	CTL_REPORT_JSON,
	CTL_REPORT_METRICS,     /* Prometheus text exposition, for root */
	/*
	 * The same without what identifies a session on the wire (PPPoE
	 * session id, AC MAC: all a spoofer needs to forge a PADT), for the
	 * HTTP listener, which anyone who can reach it may read.
	 */
	CTL_REPORT_METRICS_HTTP,
};
#define CTL_REPORT_MAX (CTL_REPORT_METRICS_HTTP + 1)

/*
 * What the control socket asks of its owner (the daemon: src/daemon_ctl.c).
 * Each gets the @ctx given to ctl_open(). The control socket frames the
 * replies; the ops only act and write the body.
 */
struct ctl_ops {
	/* report - append report @what to @out; 0, or -ENOMEM */
	int (*report)(void *ctx, enum ctl_report what, struct strbuf *out);
	/*
	 * act - CTL_CMD_UP, _DOWN or _REDIAL on the session called @name,
	 * then append a line for the administrator to @out ("NAME: STATE").
	 * 0, -ENOENT when there is no such session, or -errno.
	 */
	int (*act)(void *ctx, enum ctl_cmd cmd, const char *name, struct strbuf *out);
	/* reload - re-read the configuration; 0 or -errno (details in the log) */
	int (*reload)(void *ctx);
	/* stop - begin the daemon's exit, ending every session or (@keep)
	 * leaving them up for the next start; 0 or -errno. Optional. */
	int (*stop)(void *ctx, bool keep);
};

/*
 * ctl_open - listen on @path (mode 0600, parent created 0755 if missing)
 * from @loop, answering requests through @ops with @ctx. One daemon per
 * @path: it holds flock() on @path.lock for its life; while another holds
 * it (one in exit() is waited for, up to CTL_LOCK_WAIT_MS), or a live
 * process listens on @path, -EADDRINUSE. A socket file nobody live listens
 * on is replaced. 0 with the server in *@out, or -errno (and *@out NULL).
 */
int ctl_open(struct ctl **out, struct evloop *loop, const char *path,
	     const struct ctl_ops *ops, void *ctx);
/*
 * ctl_close - close every socket and client (the metrics listener's too,
 * src/metrics_http.c), unlink the socket path, free @c
 */
void ctl_close(struct ctl *c);

/*
 * ctl_wait_exit - after a stop: wait until the daemon at @path has exited
 * (its PATH.lock is free), for up to @timeout_ms. 0, or -ETIMEDOUT.
 */
int ctl_wait_exit(const char *path, unsigned int timeout_ms);

/*
 * ctl_client - send @request to the daemon at @path, print the body to
 * @out or the error to @err. Returns CTL_EXIT_* (a process exit code).
 */
int ctl_client(const char *path, const char *request, FILE *out, FILE *err);

/* Pure parts, exposed for the tests. */
/*
 * ctl_pid_exiting - @pid is gone, a zombie, or in exit() (PF_EXITING): a
 * daemon SIGKILLed while the kernel still tears down its TUNs.
 */
bool ctl_pid_exiting(pid_t pid);
/*
 * ctl_parse_request - parse one request line (no newline; a trailing \r
 * is ignored). 0, or -EINVAL with a message for the client in @err.
 */
int ctl_parse_request(const char *line, size_t len, struct ctl_req *req,
		      char *err, size_t errlen);
/* ctl_execute - parse @line, run it through @ops, append the framed reply to @reply */
void ctl_execute(const struct ctl_ops *ops, void *ctx, const char *line, size_t len,
		 struct strbuf *reply);
/* ctl_reply_ok / ctl_reply_err - frame a reply */
void ctl_reply_ok(struct strbuf *reply, const char *body, size_t len);
void ctl_reply_err(struct strbuf *reply, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * ctl_parse_reply - split a complete reply (as read until EOF). Returns 0
 * for OK with @body and @blen set, 1 for ERR with them on the message,
 * -EPROTO when the reply is malformed or truncated.
 */
int ctl_parse_reply(const char *buf, size_t len, const char **body, size_t *blen);

#endif
