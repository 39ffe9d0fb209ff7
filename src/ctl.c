// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ctl.c - the control server: the control socket, and the listeners and
 * client connections it shares with the metrics HTTP server
 * (src/metrics_http.c). The protocol is src/ctl_proto.c's.
 *
 * Both are served from the daemon's epoll loop, never blocking it: every
 * socket is non-blocking, a request is read in pieces until its end is
 * seen (bounded in size), the whole reply is built in memory and written
 * as the socket accepts it (a status of thousands of sessions does not fit
 * a socket buffer). One request per connection, then close. What makes a
 * request complete and what is answered is the listener's struct
 * ctl_service, and so are its limits: each listener has its own number of
 * clients (a full metrics listener never locks root out of the control
 * socket), and each client two absolute deadlines counted from its accept,
 * one for the request to be in and one for the reply to be out. Bytes
 * trickling in or out do not extend them. Refused clients are counted and
 * logged at most once per CTL_REFUSED_LOG_MS per listener.
 *
 * Closing a connection from a timer is not safe: the loop may hold an
 * epoll event for it in the batch it is working through. The timer only
 * shuts the socket down; the resulting EPOLLIN/EPOLLHUP brings us back to
 * the connection's own handler, which frees it.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "pppoe/log.h"
#include "pppoe/util.h"
#include "src/ctl.h"
#include "src/ctl_int.h"
#include "src/evloop.h"
#include "src/strbuf.h"

#define CTL_ACCEPT_BATCH 16     /* accepts per listen event: others wait their turn */

struct ctl_conn {
	struct ctl *c;
	struct ctl_listener *l;
	struct ev_src ev;
	int fd;
	bool replying;      /* the request is in, the reply is going out */
	bool expired;       /* timed out: shut down, free on the next event */
	uint64_t accepted_ms; /* the deadlines count from here (the loop's clock) */
	struct strbuf out;  /* the reply, or its head when a shared body follows */
	struct ctl_blob *body; /* a shared body sent after out, or NULL */
	size_t off;         /* bytes of out, then body, already written */
	struct tw_timer timer;
	struct ctl_conn *next, **pprev;
	size_t inlen;
	char in[];          /* svc->req_max bytes */
};

/* ---- shared bodies ---------------------------------------------------------- */

struct ctl_blob *ctl_blob_new(struct strbuf *sb, unsigned int *live)
{
	struct ctl_blob *b;

	if (sb->oom)
		return NULL;
	b = malloc(sizeof(*b));
	if (!b)
		return NULL;
	b->refs = 1;
	b->live = live;
	b->len = sb->len;
	/* The buffer grew by doubling: give back what the body does not use. */
	b->buf = sb->cap > sb->len + 1 ? realloc(sb->buf, sb->len + 1) : NULL;
	if (!b->buf)
		b->buf = sb->buf;
	strbuf_init(sb);
	if (live)
		(*live)++;
	return b;
}

struct ctl_blob *ctl_blob_get(struct ctl_blob *b)
{
	b->refs++;
	return b;
}

void ctl_blob_put(struct ctl_blob *b)
{
	if (!b || --b->refs)
		return;
	if (b->live)
		(*b->live)--;
	free(b->buf);
	free(b);
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
	cn->l->nconns--;
	strbuf_free(&cn->out);
	ctl_blob_put(cn->body);
	free(cn);
}

/* ctl_conn_len - the whole reply: its head (or all of it) and the shared body */
static size_t ctl_conn_len(const struct ctl_conn *cn)
{
	return cn->out.len + (cn->body ? cn->body->len : 0);
}

/* ctl_conn_timeout - a deadline passed: shut the client down */
static void ctl_conn_timeout(struct tw_timer *t)
{
	struct ctl_conn *cn = container_of(t, struct ctl_conn, timer);
	const struct ctl_listener *l = cn->l;
	const char *msg = l->svc->timeout_reply;

	if (cn->replying) {
		pr_debug("%s: dropping a client: reply not taken within %u ms", l->svc->name,
			 l->total_ms);
	} else {
		pr_debug("%s: dropping a client: no request within %u ms", l->svc->name,
			 l->req_ms);
		/* Best effort: say why, if there is room in the socket buffer. */
		if (msg)
			(void)!send(cn->fd, msg, strlen(msg), MSG_NOSIGNAL | MSG_DONTWAIT);
	}
	cn->expired = true;
	shutdown(cn->fd, SHUT_RDWR);
}

/*
 * ctl_conn_start_reply - the reply is in cn->out (and cn->body): switch to
 * writing it, by the deadline of the whole exchange, not a fresh one
 */
static void ctl_conn_start_reply(struct ctl_conn *cn)
{
	uint64_t now = cn->c->loop->wheel.now, spent = now - cn->accepted_ms;
	int err;

	cn->replying = true;
	cn->off = 0;
	tw_arm(&cn->c->loop->wheel, &cn->timer,
	       spent < cn->l->total_ms ? cn->l->total_ms - spent : 0);
	err = evloop_mod(cn->c->loop, cn->fd, EPOLLOUT, &cn->ev);
	if (err)
		pr_warn("%s: epoll_ctl: %s", cn->l->svc->name, strerror(-err));
}

/*
 * ctl_conn_read - read what is there; false when the connection is done
 * for. The request deadline armed at accept stands: no byte moves it.
 */
static bool ctl_conn_read(struct ctl_conn *cn)
{
	size_t cap = cn->l->svc->req_max;
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
	if (cn->l->svc->request(cn->c, cn->in, cn->inlen, eof, &cn->out, &cn->body)) {
		ctl_conn_start_reply(cn);
		return true;
	}
	return !eof;
}

/*
 * ctl_conn_write - write what the socket takes, the head from cn->out and
 * then the shared body, in one sendmsg() each time; false when finished or
 * failed
 */
static bool ctl_conn_write(struct ctl_conn *cn)
{
	size_t head = cn->out.len, total = ctl_conn_len(cn), skip;
	struct iovec iov[2];
	struct msghdr msg = { .msg_iov = iov };
	ssize_t n;

	if (cn->out.oom)
		return false;
	while (cn->off < total) {
		msg.msg_iovlen = 0;
		if (cn->off < head) {
			iov[0].iov_base = cn->out.buf + cn->off;
			iov[0].iov_len = head - cn->off;
			msg.msg_iovlen = 1;
		}
		if (cn->body && cn->body->len) {
			skip = cn->off > head ? cn->off - head : 0;
			iov[msg.msg_iovlen].iov_base = cn->body->buf + skip;
			iov[msg.msg_iovlen].iov_len = cn->body->len - skip;
			msg.msg_iovlen++;
		}
		n = sendmsg(cn->fd, &msg, MSG_NOSIGNAL);
		if (n > 0) {
			cn->off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return true;
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
		if (cn->replying && cn->off == ctl_conn_len(cn))
			ctl_conn_drain(cn);
		ctl_conn_free(cn);
	}
}

/* ---- listeners ----------------------------------------------------------------- */

/* ctl_refused_log - the summary line of a listener's refused clients is due */
static void ctl_refused_log(struct tw_timer *t)
{
	struct ctl_listener *l = container_of(t, struct ctl_listener, refused_timer);
	uint64_t now = l->c->loop->wheel.now;

	pr_warn("%s: refused %" PRIu64 " more clients in the last %" PRIu64 " s (limit %u; %"
		PRIu64 " refused since start)", l->svc->name, l->refused,
		(now - l->refused_log_ms + 500) / 1000, l->max_conns, l->refused_total);
	l->refused = 0;
	l->refused_log_ms = now;
}

/*
 * ctl_refuse - @fd came while @l has max_conns clients: tell it (best
 * effort) and close it. The first refusal is logged at once; those that
 * follow within refused_every_ms are counted and summed up in one line
 * when the time is up, so a flood of connections cannot flood the log.
 */
static void ctl_refuse(struct ctl_listener *l, int fd)
{
	uint64_t now = l->c->loop->wheel.now;
	const char *msg = l->svc->busy_reply;

	if (msg)
		(void)!send(fd, msg, strlen(msg), MSG_NOSIGNAL | MSG_DONTWAIT);
	close(fd);
	l->refused++;
	l->refused_total++;
	if (tw_pending(&l->refused_timer))
		return;
	if (!l->refused_logged || now - l->refused_log_ms >= l->refused_every_ms) {
		pr_warn("%s: %u clients already, the limit: refusing new ones (counted, and "
			"logged at most every %u s)", l->svc->name, l->nconns,
			(l->refused_every_ms + 999) / 1000);
		l->refused = 0;
		l->refused_log_ms = now;
		l->refused_logged = true;
		return;
	}
	tw_arm(&l->c->loop->wheel, &l->refused_timer,
	       l->refused_every_ms - (now - l->refused_log_ms));
}

static void ctl_accept(struct ctl_listener *l)
{
	struct ctl *c = l->c;
	struct ctl_conn *cn;
	unsigned int i;
	int fd, err;

	for (i = 0; i < CTL_ACCEPT_BATCH; i++) {
		fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				pr_warn("%s: accept: %s", l->svc->name, strerror(errno));
			return;
		}
		if (l->nconns >= l->max_conns) {
			ctl_refuse(l, fd);
			continue;
		}
		/* A fixed size also stops the kernel growing it to megabytes
		 * for a client that does not read. */
		if (l->svc->sndbuf &&
		    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &l->svc->sndbuf, sizeof(int)) < 0)
			pr_debug("%s: SO_SNDBUF: %s", l->svc->name, strerror(errno));
		cn = calloc(1, sizeof(*cn) + l->svc->req_max);
		if (!cn) {
			close(fd);
			continue;
		}
		cn->c = c;
		cn->l = l;
		cn->fd = fd;
		cn->accepted_ms = c->loop->wheel.now;
		cn->ev.fn = ctl_conn_event;
		strbuf_init(&cn->out);
		tw_timer_init(&cn->timer, ctl_conn_timeout);
		err = evloop_add(c->loop, fd, EPOLLIN | EPOLLRDHUP, &cn->ev);
		if (err) {
			pr_warn("%s: epoll_ctl: %s", l->svc->name, strerror(-err));
			close(fd);
			free(cn);
			continue;
		}
		cn->next = c->conns;
		if (cn->next)
			cn->next->pprev = &cn->next;
		cn->pprev = &c->conns;
		c->conns = cn;
		l->nconns++;
		tw_arm(&c->loop->wheel, &cn->timer, l->req_ms);
	}
}

static void ctl_listen_event(struct ev_src *src, uint32_t events)
{
	(void)events;
	ctl_accept(container_of(src, struct ctl_listener, ev));
}

int ctl_listener_add(struct ctl *c, struct ctl_listener *l, int fd,
		     const struct ctl_service *svc)
{
	int rc;

	l->c = c;
	l->svc = svc;
	l->max_conns = svc->max_conns;
	l->req_ms = svc->req_ms;
	l->total_ms = svc->total_ms;
	l->refused_every_ms = CTL_REFUSED_LOG_MS;
	l->nconns = 0;
	tw_timer_init(&l->refused_timer, ctl_refused_log);
	l->ev.fn = ctl_listen_event;
	rc = evloop_add(c->loop, fd, EPOLLIN, &l->ev);
	if (rc < 0)
		return rc;
	l->fd = fd;
	return 0;
}

/* ---- the control socket ---------------------------------------------------- */

/* ctl_line_request - one line, or all that came before EOF, is a request */
static bool ctl_line_request(struct ctl *c, const char *in, size_t len, bool eof,
			     struct strbuf *out, struct ctl_blob **body)
{
	const char *end = memchr(in, '\n', len);

	(void)body;
	if (end) {
		ctl_execute(c->ops, c->ctx, in, (size_t)(end - in), out);
	} else if (len >= CTL_REQ_MAX) {
		ctl_reply_err(out, "request too long (max %d bytes)", CTL_REQ_MAX - 1);
	} else if (eof && len) {
		/* "printf status | socat" sends no newline: take what came. */
		ctl_execute(c->ops, c->ctx, in, len, out);
	} else {
		return false;
	}
	return true;
}

static const struct ctl_service ctl_line_service = {
	.name = "control",
	.req_max = CTL_REQ_MAX,
	.max_conns = CTL_MAX_CLIENTS,
	.req_ms = CTL_REQ_MS,
	.total_ms = CTL_DEADLINE_MS,
	.timeout_reply = "ERR timed out waiting for the request\n",
	.busy_reply = "ERR too many control clients at once, try again\n",
	.request = ctl_line_request,
};

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

#define CTL_PF_EXITING 0x00000004 /* task flag: the process is in exit() */

bool ctl_pid_exiting(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long flags;
	ssize_t n;
	char state;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ESRCH;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return true;
	buf[n] = '\0';
	/* "pid (comm) state ppid pgrp session tty_nr tpgid flags ..."; comm
	 * may hold anything, so parse from its last ')'. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %c %*d %*d %*d %*d %*d %lu", &state, &flags) != 2)
		return false;
	return state == 'Z' || state == 'X' || (flags & CTL_PF_EXITING);
}

/*
 * ctl_lock - take PATH.lock: the one thing that tells a live daemon from a
 * socket file left by a dead or dying one. A holder that is itself in
 * exit() (a SIGKILLed daemon whose thousands of TUNs the kernel is still
 * tearing down) lets go as soon as its low-numbered fds are closed: wait
 * for that, a while. 0, or -EADDRINUSE / -errno with a message.
 */
static int ctl_lock(struct ctl *c, const char *path)
{
	char lock[PATH_MAX], pidbuf[16];
	unsigned int waited = 0;
	pid_t holder;
	ssize_t n;
	int fd;

	if ((size_t)snprintf(lock, sizeof(lock), "%s.lock", path) >= sizeof(lock))
		return -ENAMETOOLONG;
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		n = -errno;
		pr_err("cannot open %s: %s", lock, strerror(errno));
		return (int)n;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			n = -errno;
			pr_err("cannot lock %s: %s", lock, strerror(errno));
			close(fd);
			return (int)n;
		}
		n = pread(fd, pidbuf, sizeof(pidbuf) - 1, 0);
		pidbuf[n > 0 ? n : 0] = '\0';
		holder = (pid_t)atoi(pidbuf);
		if (holder <= 0 || !ctl_pid_exiting(holder) || waited >= CTL_LOCK_WAIT_MS) {
			pr_err("another pppoe-xdp%s is already running on %s (it holds %s)",
			       holder > 0 ? pidbuf : "", path, lock);
			close(fd);
			return -EADDRINUSE;
		}
		if (!waited)
			pr_info("waiting for the exiting pppoe-xdp %d to let go of %s", (int)holder,
				lock);
		usleep(50 * 1000);
		waited += 50;
	}
	/* Who holds it, for the message above in the next daemon. */
	n = snprintf(pidbuf, sizeof(pidbuf), " %d", (int)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, pidbuf, (size_t)n, 0) != n)
		pr_debug("%s: cannot record our pid: %s", lock, strerror(errno));
	c->lock_fd = fd;
	return 0;
}

/* ctl_probe - is a daemon answering on @sun? 1 yes, 0 stale, -errno */
static int ctl_probe(const struct sockaddr_un *sun)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int fd, rc = 0;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0)
		/* Its listener may be a daemon in exit() that has not closed it
		 * yet: that one is as good as gone. */
		rc = getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 &&
		     ctl_pid_exiting(cred.pid) ? 0 : 1;
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
	rc = ctl_lock(c, path);
	if (rc < 0)
		return rc;
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
	rc = ctl_listener_add(c, &c->sock, fd, &ctl_line_service);
	if (rc < 0) {
		pr_err("control socket: epoll_ctl: %s", strerror(-rc));
		goto err_unlink;
	}
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
	c->sock.fd = -1;
	c->http.fd = -1;
	c->lock_fd = -1;
	rc = ctl_listen_unix(c, path);
	if (rc < 0) {
		if (c->lock_fd >= 0)
			close(c->lock_fd);
		free(c);
		return rc;
	}
	*out = c;
	return 0;
}

void ctl_close(struct ctl *c)
{
	struct stat st;

	if (!c)
		return;
	while (c->conns)
		ctl_conn_free(c->conns);
	ctl_blob_put(c->cache.body);
	tw_cancel(&c->loop->wheel, &c->sock.refused_timer);
	tw_cancel(&c->loop->wheel, &c->http.refused_timer);
	if (c->sock.fd >= 0) {
		close(c->sock.fd);
		/* Only our own file: never a socket someone bound after us. */
		if (stat(c->path, &st) == 0 && st.st_dev == c->dev && st.st_ino == c->ino)
			unlink(c->path);
	}
	if (c->http.fd >= 0)
		close(c->http.fd);
	/* The lock file stays: removing it would race with a daemon starting. */
	if (c->lock_fd >= 0)
		close(c->lock_fd);
	free(c);
}
