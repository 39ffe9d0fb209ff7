// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ctl_client.c - the command line's side of the control socket: send one
 * request, read the reply to EOF, print the body or the error.
 *
 * Bounded in time (CTL_CLIENT_TIMEOUT_MS for the whole exchange), and
 * patient with a busy daemon: a full listen backlog is retried, a missing
 * socket or a refused connection is CTL_EXIT_NODAEMON.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "pppoe/util.h"
#include "src/ctl.h"
#include "src/strbuf.h"

/* ctl_wait - poll @fd for @what until @deadline; 0, or -ETIMEDOUT / -errno */
static int ctl_wait(int fd, short what, int64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = what };
	int64_t left;
	int n;

	for (;;) {
		left = deadline - (int64_t)mono_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		n = poll(&pfd, 1, (int)left);
		if (n > 0)
			return 0;
		if (n == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
}

int ctl_wait_exit(const char *path, unsigned int timeout_ms)
{
	uint64_t deadline = mono_ms() + timeout_ms;
	char lock[4200];
	int fd, ret = -ETIMEDOUT;

	if ((size_t)snprintf(lock, sizeof(lock), "%s.lock", path) >= sizeof(lock))
		return -ENAMETOOLONG;
	fd = open(lock, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	do {
		if (!flock(fd, LOCK_SH | LOCK_NB)) {
			ret = 0;
			break;
		}
		if (errno != EWOULDBLOCK && errno != EINTR) {
			ret = -errno;
			break;
		}
		usleep(50000);
	} while (mono_ms() < deadline);
	close(fd);
	return ret;
}

int ctl_client(const char *path, const char *request, FILE *out, FILE *err)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int64_t deadline = (int64_t)mono_ms() + CTL_CLIENT_TIMEOUT_MS;
	struct strbuf req, reply;
	const char *body;
	size_t blen, off = 0;
	int fd = -1, rc, ret = CTL_EXIT_ERR, send_errno = 0;
	ssize_t n;

	strbuf_init(&req);
	strbuf_init(&reply);
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(err, "pppoe-xdp: control socket path too long: %s\n", path);
		goto out;
	}
	if (strchr(request, '\n') || strlen(request) >= CTL_REQ_MAX) {
		fprintf(err, "pppoe-xdp: request must be one line of less than %d bytes\n",
			CTL_REQ_MAX);
		goto out;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(err, "pppoe-xdp: socket: %s\n", strerror(errno));
		goto out;
	}
	while (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN) {
			/* Backlog full: a busy daemon, not a dead one. Retry. */
			if ((int64_t)mono_ms() >= deadline) {
				errno = ETIMEDOUT;
				goto timeout;
			}
			poll(NULL, 0, 10);
			continue;
		}
		fprintf(err, "cannot reach pppoe-xdp at %s: %s \u2014 is it running?\n", path,
			strerror(errno));
		ret = CTL_EXIT_NODAEMON;
		goto out;
	}

	strbuf_printf(&req, "%s\n", request);
	if (req.oom)
		goto nomem;
	while (off < req.len) {
		n = send(fd, req.buf + off, req.len - off, MSG_NOSIGNAL);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			rc = ctl_wait(fd, POLLOUT, deadline);
			if (rc == -ETIMEDOUT)
				goto timeout;
			if (rc < 0) {
				errno = -rc;
				goto ioerr;
			}
			continue;
		}
		/* The daemon may have answered and closed before reading: a
		 * refusal (too many clients). Its reply is still there to read. */
		if (n < 0 && (errno == EPIPE || errno == ECONNRESET)) {
			send_errno = errno;
			break;
		}
		goto ioerr;
	}

	/* The daemon closes after the reply: read to EOF. */
	for (;;) {
		char buf[65536];

		n = recv(fd, buf, sizeof(buf), 0);
		if (n > 0) {
			strbuf_add(&reply, buf, (size_t)n);
			if (reply.oom)
				goto nomem;
			continue;
		}
		if (n == 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN) {
			rc = ctl_wait(fd, POLLIN, deadline);
			if (rc == -ETIMEDOUT)
				goto timeout;
			if (rc < 0) {
				errno = -rc;
				goto ioerr;
			}
			continue;
		}
		/* An ERR may be followed by a reset if we sent more than was read. */
		if (errno == ECONNRESET && reply.len)
			break;
		goto ioerr;
	}
	if (!reply.len && send_errno) {
		errno = send_errno;
		goto ioerr;
	}

	rc = reply.len ? ctl_parse_reply(reply.buf, reply.len, &body, &blen) : -EPROTO;
	if (rc == 0) {
		fwrite(body, 1, blen, out);
		fflush(out);
		ret = CTL_EXIT_OK;
	} else if (rc == 1) {
		fprintf(err, "pppoe-xdp: %.*s\n", (int)blen, body);
	} else {
		fprintf(err, "pppoe-xdp: malformed or truncated reply from %s\n", path);
	}
	goto out;

timeout:
	fprintf(err, "pppoe-xdp: no reply from %s within %d s\n", path,
		CTL_CLIENT_TIMEOUT_MS / 1000);
	goto out;
ioerr:
	fprintf(err, "pppoe-xdp: talking to %s: %s\n", path, strerror(errno));
	goto out;
nomem:
	fprintf(err, "pppoe-xdp: out of memory\n");
out:
	if (fd >= 0)
		close(fd);
	strbuf_free(&req);
	strbuf_free(&reply);
	return ret;
}
