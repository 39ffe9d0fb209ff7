// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ctl.c - the control socket and the metrics HTTP server.
 *
 * Both are served from the daemon's epoll loop, never blocking it: every
 * socket is non-blocking, a request is read in pieces until its end is
 * seen (bounded in size), the whole reply is built in memory and written
 * as the socket accepts it (a status of thousands of sessions does not fit
 * a socket buffer). One request per connection, then close. A client that
 * makes no progress for CTL_IDLE_MS is dropped.
 *
 * Closing a connection from a timer is not safe: the loop may hold an
 * epoll event for it in the batch it is working through. The timer only
 * shuts the socket down; the resulting EPOLLIN/EPOLLHUP brings us back to
 * the connection's own handler, which frees it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "pppoe/log.h"
#include "pppoe/util.h"
#include "pppoe/session.h"
#include "src/ctl.h"
#include "src/evloop.h"
#include "src/strbuf.h"

#define CTL_HTTP_REQ_MAX 4096   /* request line and headers */
#define CTL_MAX_CONNS    64     /* clients served at once, both servers */
#define CTL_ACCEPT_BATCH 16     /* accepts per listen event: others wait their turn */

struct ctl;

struct ctl_conn {
	struct ctl *c;
	struct ev_src ev;
	int fd;
	bool http;
	bool replying;      /* the request is in, the reply is going out */
	bool expired;       /* timed out: shut down, free on the next event */
	size_t inlen;
	char in[CTL_HTTP_REQ_MAX];
	struct strbuf out;
	size_t off;         /* bytes of out already written */
	struct tw_timer timer;
	struct ctl_conn *next, **pprev;
};

struct ctl {
	struct evloop *loop;
	const struct ctl_ops *ops;
	void *ctx;
	int fd;                 /* control socket, -1 if closed */
	struct ev_src ev;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	dev_t dev;              /* the socket file we bound, to unlink only ours */
	ino_t ino;
	int http_fd;
	struct ev_src http_ev;
	struct ctl_conn *conns;
	unsigned int nconns;
};

int ctl_parse_listen(const char *s, uint32_t *addr, uint16_t *port)
{
	const char *colon = strrchr(s, ':');
	char host[INET_ADDRSTRLEN];
	struct in_addr a;
	unsigned long p = 0;
	const char *q;

	if (!colon || colon == s || (size_t)(colon - s) >= sizeof(host) || !colon[1])
		return -EINVAL;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	/* inet_pton takes only dotted quads: no "1", no hex, no spaces. */
	if (inet_pton(AF_INET, host, &a) != 1)
		return -EINVAL;
	for (q = colon + 1; *q; q++) {
		if (*q < '0' || *q > '9' || q - colon > 5)
			return -EINVAL;
		p = p * 10 + (unsigned long)(*q - '0');
	}
	if (p == 0 || p > 65535 || (colon[1] == '0'))
		return -EINVAL;
	*addr = a.s_addr;
	*port = htons((uint16_t)p);
	return 0;
}

/* ---- HTTP --------------------------------------------------------------- */

static void ctl_http_response(struct strbuf *out, const char *status, const char *ctype,
			      const char *extra, const char *body, size_t len, bool head)
{
	strbuf_printf(out,
		      "HTTP/1.0 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s"
		      "Connection: close\r\n\r\n",
		      status, ctype, len, extra);
	if (!head)
		strbuf_add(out, body, len);
}

static void ctl_http_error(struct strbuf *out, const char *status, const char *extra)
{
	char body[64];

	snprintf(body, sizeof(body), "%s\n", status);
	ctl_http_response(out, status, "text/plain; charset=utf-8", extra, body, strlen(body),
			  false);
}

/* ctl_http_handle - one complete request head in @req, the response into @out */
static void ctl_http_handle(struct ctl *c, const char *req, size_t len, struct strbuf *out)
{
	const char *eol = memchr(req, '\n', len), *sp1, *sp2, *target;
	size_t tlen, llen;
	struct strbuf body;
	bool head;

	llen = eol ? (size_t)(eol - req) : len;
	if (llen && req[llen - 1] == '\r')
		llen--;
	sp1 = memchr(req, ' ', llen);
	sp2 = sp1 ? memchr(sp1 + 1, ' ', llen - (size_t)(sp1 + 1 - req)) : NULL;
	if (!sp1 || !sp2 || llen - (size_t)(sp2 + 1 - req) < 5 || memcmp(sp2 + 1, "HTTP/", 5)) {
		ctl_http_error(out, "400 Bad Request", "");
		return;
	}
	head = sp1 - req == 4 && !memcmp(req, "HEAD", 4);
	if (!head && !(sp1 - req == 3 && !memcmp(req, "GET", 3))) {
		ctl_http_error(out, "405 Method Not Allowed", "Allow: GET, HEAD\r\n");
		return;
	}
	target = sp1 + 1;
	tlen = (size_t)(sp2 - target);
	/* A query string does not change what we serve. */
	if (memchr(target, '?', tlen))
		tlen = (size_t)((const char *)memchr(target, '?', tlen) - target);
	if (tlen != strlen("/metrics") || memcmp(target, "/metrics", tlen)) {
		ctl_http_error(out, "404 Not Found", "");
		return;
	}
	strbuf_init(&body);
	if (c->ops->report(c->ctx, CTL_REPORT_METRICS, &body) < 0 || body.oom)
		ctl_http_error(out, "500 Internal Server Error", "");
	else
		ctl_http_response(out, "200 OK", "text/plain; version=0.0.4", "",
				  body.buf ? body.buf : "", body.len, head);
	strbuf_free(&body);
}

/* ---- connections ---------------------------------------------------------- */

static void ctl_conn_free(struct ctl_conn *cn)
{
	struct ctl *c = cn->c;

	tw_cancel(&c->loop->wheel, &cn->timer);
	/* close() takes the fd out of the epoll set as well. */
	close(cn->fd);
	*cn->pprev = cn->next;
	if (cn->next)
		cn->next->pprev = cn->pprev;
	c->nconns--;
	strbuf_free(&cn->out);
	free(cn);
}

/* ctl_conn_timeout - the client made no progress: shut it down */
static void ctl_conn_timeout(struct tw_timer *t)
{
	struct ctl_conn *cn = container_of(t, struct ctl_conn, timer);
	static const char msg[] = "ERR timed out waiting for the request\n";
	static const char http_msg[] =
		"HTTP/1.0 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

	pr_debug("control: dropping a client idle for %d ms", CTL_IDLE_MS);
	/* Best effort: say why, if there is room in the socket buffer. */
	if (!cn->replying) {
		if (cn->http)
			(void)!send(cn->fd, http_msg, sizeof(http_msg) - 1,
				    MSG_NOSIGNAL | MSG_DONTWAIT);
		else
			(void)!send(cn->fd, msg, sizeof(msg) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	}
	cn->expired = true;
	shutdown(cn->fd, SHUT_RDWR);
}

/* ctl_conn_start_reply - the reply is in cn->out: switch to writing it */
static void ctl_conn_start_reply(struct ctl_conn *cn)
{
	int err;

	cn->replying = true;
	cn->off = 0;
	err = evloop_mod(cn->c->loop, cn->fd, EPOLLOUT, &cn->ev);
	if (err)
		pr_warn("control: epoll_ctl: %s", strerror(-err));
}

/* ctl_conn_request - look for a complete request in cn->in; true when found */
static bool ctl_conn_request(struct ctl_conn *cn, bool eof)
{
	struct ctl *c = cn->c;
	const char *end;

	if (cn->http) {
		const char *p = memmem(cn->in, cn->inlen, "\r\n\r\n", 4);

		if (!p)
			p = memmem(cn->in, cn->inlen, "\n\n", 2);
		if (p) {
			ctl_http_handle(c, cn->in, (size_t)(p - cn->in), &cn->out);
		} else if (cn->inlen == sizeof(cn->in)) {
			ctl_http_error(&cn->out, "431 Request Header Fields Too Large", "");
		} else {
			return false;
		}
		return true;
	}

	end = memchr(cn->in, '\n', cn->inlen);
	if (end) {
		ctl_execute(c->ops, c->ctx, cn->in, (size_t)(end - cn->in), &cn->out);
	} else if (cn->inlen >= CTL_REQ_MAX) {
		ctl_reply_err(&cn->out, "request too long (max %d bytes)", CTL_REQ_MAX - 1);
	} else if (eof && cn->inlen) {
		/* "printf status | socat" sends no newline: take what came. */
		ctl_execute(c->ops, c->ctx, cn->in, cn->inlen, &cn->out);
	} else {
		return false;
	}
	return true;
}

/* ctl_conn_read - read what is there; false when the connection is done for */
static bool ctl_conn_read(struct ctl_conn *cn)
{
	size_t cap = cn->http ? sizeof(cn->in) : CTL_REQ_MAX;
	bool eof = false;
	ssize_t n;

	for (;;) {
		if (cn->inlen == cap)
			break;
		n = recv(cn->fd, cn->in + cn->inlen, cap - cn->inlen, 0);
		if (n > 0) {
			cn->inlen += (size_t)n;
			continue;
		}
		if (n == 0) {
			eof = true;
			break;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			break;
		return false;
	}
	if (cn->expired)
		return false;
	if (ctl_conn_request(cn, eof)) {
		ctl_conn_start_reply(cn);
		return true;
	}
	if (eof)
		return false;
	tw_arm(&cn->c->loop->wheel, &cn->timer, CTL_IDLE_MS);
	return true;
}

/* ctl_conn_write - write what the socket takes; false when finished or failed */
static bool ctl_conn_write(struct ctl_conn *cn)
{
	bool progress = false;
	ssize_t n;

	if (cn->out.oom)
		return false;
	while (cn->off < cn->out.len) {
		n = send(cn->fd, cn->out.buf + cn->off, cn->out.len - cn->off, MSG_NOSIGNAL);
		if (n > 0) {
			cn->off += (size_t)n;
			progress = true;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (progress)
				tw_arm(&cn->c->loop->wheel, &cn->timer, CTL_IDLE_MS);
			return true;
		}
		return false;
	}
	return false;
}

/*
 * ctl_conn_drain - discard unread input before close: closing a TCP socket
 * with unread data sends a reset, which can destroy the reply in flight.
 */
static void ctl_conn_drain(struct ctl_conn *cn)
{
	char scratch[4096];
	unsigned int i;

	for (i = 0; i < 16; i++)
		if (recv(cn->fd, scratch, sizeof(scratch), MSG_DONTWAIT) <= 0)
			break;
}

static void ctl_conn_event(struct ev_src *src, uint32_t events)
{
	struct ctl_conn *cn = container_of(src, struct ctl_conn, ev);
	bool keep;

	if (cn->expired) {
		ctl_conn_free(cn);
		return;
	}
	if (!cn->replying) {
		keep = ctl_conn_read(cn);
		/* Try at once: a short reply goes out without another wakeup. */
		if (keep && cn->replying)
			keep = ctl_conn_write(cn);
	} else if (events & (EPOLLERR | EPOLLHUP) && !(events & EPOLLOUT)) {
		keep = false;
	} else {
		keep = ctl_conn_write(cn);
	}
	if (!keep) {
		if (cn->replying && cn->off == cn->out.len)
			ctl_conn_drain(cn);
		ctl_conn_free(cn);
	}
}

static void ctl_accept(struct ctl *c, int lfd, bool http)
{
	struct ctl_conn *cn;
	unsigned int i;
	int fd, err;

	for (i = 0; i < CTL_ACCEPT_BATCH; i++) {
		fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				pr_warn("control: accept: %s", strerror(errno));
			return;
		}
		if (c->nconns >= CTL_MAX_CONNS) {
			pr_warn("control: %u clients already, refusing one", c->nconns);
			close(fd);
			continue;
		}
		cn = calloc(1, sizeof(*cn));
		if (!cn) {
			close(fd);
			continue;
		}
		cn->c = c;
		cn->fd = fd;
		cn->http = http;
		cn->ev.fn = ctl_conn_event;
		strbuf_init(&cn->out);
		tw_timer_init(&cn->timer, ctl_conn_timeout);
		err = evloop_add(c->loop, fd, EPOLLIN | EPOLLRDHUP, &cn->ev);
		if (err) {
			pr_warn("control: epoll_ctl: %s", strerror(-err));
			close(fd);
			free(cn);
			continue;
		}
		cn->next = c->conns;
		if (cn->next)
			cn->next->pprev = &cn->next;
		cn->pprev = &c->conns;
		c->conns = cn;
		c->nconns++;
		tw_arm(&c->loop->wheel, &cn->timer, CTL_IDLE_MS);
	}
}

static void ctl_listen_event(struct ev_src *src, uint32_t events)
{
	struct ctl *c = container_of(src, struct ctl, ev);

	(void)events;
	ctl_accept(c, c->fd, false);
}

static void ctl_http_listen_event(struct ev_src *src, uint32_t events)
{
	struct ctl *c = container_of(src, struct ctl, http_ev);

	(void)events;
	ctl_accept(c, c->http_fd, true);
}

/* ---- servers ------------------------------------------------------------- */

/* ctl_mkdir_parent - create the directory holding @path (0755) if missing */
static int ctl_mkdir_parent(const char *path)
{
	char dir[PATH_MAX];
	char *slash;
	size_t i;

	if (strlen(path) >= sizeof(dir))
		return -ENAMETOOLONG;
	strcpy(dir, path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	/* Each component in turn, like mkdir -p. */
	for (i = 1; dir[i]; i++) {
		if (dir[i] != '/')
			continue;
		dir[i] = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -errno;
		dir[i] = '/';
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* ctl_probe - is a daemon answering on @sun? 1 yes, 0 stale, -errno */
static int ctl_probe(const struct sockaddr_un *sun)
{
	int fd, rc = 0;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0)
		rc = 1;
	else if (errno == EAGAIN || errno == EINPROGRESS)
		rc = 1; /* listening, backlog full: alive */
	else if (errno == ECONNREFUSED)
		rc = 0;
	else
		rc = -errno;
	close(fd);
	return rc;
}

/* ctl_listen_unix - bind and listen on @path for @c: the work of ctl_open() */
static int ctl_listen_unix(struct ctl *c, const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct stat st;
	mode_t old;
	int fd, rc;

	strcpy(sun.sun_path, path);

	rc = ctl_mkdir_parent(path);
	if (rc < 0) {
		pr_err("cannot create the directory of %s: %s", path, strerror(-rc));
		return rc;
	}
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			pr_err("%s exists and is not a socket; not touching it", path);
			return -EEXIST;
		}
		rc = ctl_probe(&sun);
		if (rc == 1) {
			pr_err("another pppoe-xdp is already running on %s", path);
			return -EADDRINUSE;
		}
		if (rc < 0) {
			pr_err("cannot check the control socket %s: %s", path, strerror(-rc));
			return rc;
		}
		pr_info("removing stale control socket %s", path);
		if (unlink(path) < 0 && errno != ENOENT) {
			rc = -errno;
			pr_err("cannot remove stale %s: %s", path, strerror(errno));
			return rc;
		}
	}

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		rc = -errno;
		pr_err("control socket: %s", strerror(errno));
		return rc;
	}
	/* The socket file is born 0600: no window where others may connect. */
	old = umask(0177);
	rc = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (rc < 0) {
		rc = -errno;
		if (rc == -EADDRINUSE)
			pr_err("another pppoe-xdp is already running on %s", path);
		else
			pr_err("cannot bind the control socket %s: %s", path, strerror(errno));
		goto err_close;
	}
	if (stat(path, &st) == 0) {
		c->dev = st.st_dev;
		c->ino = st.st_ino;
	}
	if (listen(fd, 64) < 0) {
		rc = -errno;
		pr_err("listen on %s: %s", path, strerror(errno));
		goto err_unlink;
	}
	c->ev.fn = ctl_listen_event;
	rc = evloop_add(c->loop, fd, EPOLLIN, &c->ev);
	if (rc < 0) {
		pr_err("control socket: epoll_ctl: %s", strerror(-rc));
		goto err_unlink;
	}
	c->fd = fd;
	strcpy(c->path, path);
	pr_info("control socket on %s", path);
	return 0;

err_unlink:
	unlink(path);
err_close:
	close(fd);
	return rc;
}

int ctl_open(struct ctl **out, struct evloop *loop, const char *path,
	     const struct ctl_ops *ops, void *ctx)
{
	struct ctl *c;
	int rc;

	*out = NULL;
	if (!path || !path[0] || strlen(path) >= sizeof(c->path)) {
		pr_err("control socket path '%s' is empty or too long (max %zu bytes)",
		       path ? path : "", sizeof(c->path) - 1);
		return -ENAMETOOLONG;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->loop = loop;
	c->ops = ops;
	c->ctx = ctx;
	c->fd = -1;
	c->http_fd = -1;
	rc = ctl_listen_unix(c, path);
	if (rc < 0) {
		free(c);
		return rc;
	}
	*out = c;
	return 0;
}

int ctl_http_open(struct ctl *c, const char *listen_on)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int fd, rc, one = 1;
	char esc[128];

	if (!listen_on || ctl_parse_listen(listen_on, &sin.sin_addr.s_addr, &sin.sin_port) < 0) {
		pr_err("metrics listen address '%s' is not ADDR:PORT (e.g. 127.0.0.1:9468)",
		       listen_on ? log_escape(esc, sizeof(esc), listen_on, strlen(listen_on)) : "");
		return -EINVAL;
	}
	if (!c)
		return -EINVAL;
	if (c->http_fd >= 0)
		return -EBUSY;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		rc = -errno;
		pr_err("metrics socket: %s", strerror(errno));
		return rc;
	}
	/* A restart must not wait for TIME_WAIT of the last scrape. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(fd, 64) < 0) {
		rc = -errno;
		pr_err("cannot listen for metrics on %s: %s", listen_on, strerror(errno));
		goto err;
	}
	c->http_ev.fn = ctl_http_listen_event;
	rc = evloop_add(c->loop, fd, EPOLLIN, &c->http_ev);
	if (rc < 0) {
		pr_err("metrics socket: epoll_ctl: %s", strerror(-rc));
		goto err;
	}
	c->http_fd = fd;
	pr_info("metrics on http://%s/metrics", listen_on);
	return 0;
err:
	close(fd);
	return rc;
}

void ctl_close(struct ctl *c)
{
	struct stat st;

	if (!c)
		return;
	while (c->conns)
		ctl_conn_free(c->conns);
	if (c->fd >= 0) {
		close(c->fd);
		/* Only our own file: never a socket someone bound after us. */
		if (stat(c->path, &st) == 0 && st.st_dev == c->dev && st.st_ino == c->ino)
			unlink(c->path);
	}
	if (c->http_fd >= 0)
		close(c->http_fd);
	free(c);
}
