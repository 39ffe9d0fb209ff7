// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * metrics_http.c - the Prometheus scrape endpoint: GET (or HEAD) /metrics
 * over HTTP/1.0, one request per connection, answered with the metrics
 * report of the control server's ops.
 *
 * Only as much HTTP as a scraper needs: the request line is checked, the
 * headers are read (bounded) and ignored. The connections themselves are
 * the control server's (src/ctl.c), on the same loop, but this listener
 * has its own limit of clients and its own deadlines, so scrapers (or
 * whoever else can reach the port) never take the control socket's.
 *
 * Rendering thousands of sessions takes a while and runs inside the event
 * loop, so it happens at most once per METRICS_HTTP_CACHE_MS: requests in
 * that time get the same rendered body, one buffer shared by every
 * connection sending it (struct ctl_blob), never copied per connection.
 * At most METRICS_HTTP_BODIES renders are alive at once (the cached one
 * and older ones still going out to slow readers); while that many are,
 * the cached one is served even if older than METRICS_HTTP_CACHE_MS. The
 * memory scrapes may hold is thus a few renders, however many clients.
 *
 * What anyone reaching the port reads leaves out each session's PPPoE
 * session id and AC MAC (CTL_REPORT_METRICS_HTTP): with them, a host on
 * the access network could forge a PADT and cut the session. The control
 * socket, root only, keeps them.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pppoe/log.h"
#include "src/ctl.h"
#include "src/ctl_int.h"
#include "src/metrics_http.h"
#include "src/strbuf.h"

#define METRICS_HTTP_REQ_MAX 4096   /* request line and headers */

/* metrics_http_head - the status line and headers of a response whose body has @len bytes */
static void metrics_http_head(struct strbuf *out, const char *status, const char *ctype,
			      const char *extra, size_t len)
{
	strbuf_printf(out,
		      "HTTP/1.0 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s"
		      "Connection: close\r\n\r\n",
		      status, ctype, len, extra);
}

static void metrics_http_error(struct strbuf *out, const char *status, const char *extra)
{
	char body[64];

	snprintf(body, sizeof(body), "%s\n", status);
	metrics_http_head(out, status, "text/plain; charset=utf-8", extra, strlen(body));
	strbuf_puts(out, body);
}

/*
 * metrics_http_body - a reference to the body to serve: the cached render
 * while it is fresh, or while the memory bound allows no other; else a new
 * render, cached. NULL when the report failed or memory is short.
 */
static struct ctl_blob *metrics_http_body(struct ctl *c)
{
	struct ctl_http_cache *hc = &c->cache;
	uint64_t now = c->loop->wheel.now;
	struct ctl_blob *b;
	struct strbuf sb;
	int rc;

	if (hc->body && now - hc->body_ms < METRICS_HTTP_CACHE_MS)
		return ctl_blob_get(hc->body);
	/* Stale and sent to nobody: it can go before the new one is made. */
	if (hc->body && hc->body->refs == 1) {
		ctl_blob_put(hc->body);
		hc->body = NULL;
	}
	if (hc->bodies >= METRICS_HTTP_BODIES)
		/* Older renders still go out to slow readers: no room for
		 * another. The cached one, a little older, will do. */
		return hc->body ? ctl_blob_get(hc->body) : NULL;
	strbuf_init(&sb);
	rc = c->ops->report(c->ctx, CTL_REPORT_METRICS_HTTP, &sb);
	b = rc < 0 ? NULL : ctl_blob_new(&sb, &hc->bodies);
	strbuf_free(&sb);
	if (!b)
		return NULL;
	/* The connections sending the old one keep their references. */
	ctl_blob_put(hc->body);
	hc->body = b;
	hc->body_ms = now;
	return ctl_blob_get(b);
}

/*
 * metrics_http_handle - one complete request head in @req: the response
 * into @out, its body (a shared reference) into *@bodyp
 */
static void metrics_http_handle(struct ctl *c, const char *req, size_t len, struct strbuf *out,
				struct ctl_blob **bodyp)
{
	const char *eol = memchr(req, '\n', len), *sp1, *sp2, *target;
	struct ctl_blob *body;
	size_t tlen, llen;
	bool head;

	llen = eol ? (size_t)(eol - req) : len;
	if (llen && req[llen - 1] == '\r')
		llen--;
	sp1 = memchr(req, ' ', llen);
	sp2 = sp1 ? memchr(sp1 + 1, ' ', llen - (size_t)(sp1 + 1 - req)) : NULL;
	if (!sp1 || !sp2 || llen - (size_t)(sp2 + 1 - req) < 5 || memcmp(sp2 + 1, "HTTP/", 5)) {
		metrics_http_error(out, "400 Bad Request", "");
		return;
	}
	head = sp1 - req == 4 && !memcmp(req, "HEAD", 4);
	if (!head && !(sp1 - req == 3 && !memcmp(req, "GET", 3))) {
		metrics_http_error(out, "405 Method Not Allowed", "Allow: GET, HEAD\r\n");
		return;
	}
	target = sp1 + 1;
	tlen = (size_t)(sp2 - target);
	/* A query string does not change what we serve. */
	if (memchr(target, '?', tlen))
		tlen = (size_t)((const char *)memchr(target, '?', tlen) - target);
	if (tlen != strlen("/metrics") || memcmp(target, "/metrics", tlen)) {
		metrics_http_error(out, "404 Not Found", "");
		return;
	}
	body = metrics_http_body(c);
	if (!body) {
		metrics_http_error(out, "500 Internal Server Error", "");
		return;
	}
	metrics_http_head(out, "200 OK", "text/plain; version=0.0.4", "", body->len);
	if (head)
		ctl_blob_put(body);
	else
		*bodyp = body;
}

/* metrics_http_request - a request head ends in an empty line: answer it */
static bool metrics_http_request(struct ctl *c, const char *in, size_t len, bool eof,
				 struct strbuf *out, struct ctl_blob **body)
{
	const char *p = memmem(in, len, "\r\n\r\n", 4);

	(void)eof;
	if (!p)
		p = memmem(in, len, "\n\n", 2);
	if (p)
		metrics_http_handle(c, in, (size_t)(p - in), out, body);
	else if (len == METRICS_HTTP_REQ_MAX)
		metrics_http_error(out, "431 Request Header Fields Too Large", "");
	else
		return false;
	return true;
}

static const struct ctl_service metrics_http_service = {
	.name = "metrics",
	.req_max = METRICS_HTTP_REQ_MAX,
	.max_conns = METRICS_HTTP_MAX_CLIENTS,
	.req_ms = METRICS_HTTP_REQ_MS,
	.total_ms = METRICS_HTTP_DEADLINE_MS,
	.sndbuf = METRICS_HTTP_SNDBUF,
	.timeout_reply = "HTTP/1.0 408 Request Timeout\r\nContent-Length: 0\r\n"
			 "Connection: close\r\n\r\n",
	.busy_reply = "HTTP/1.0 503 Service Unavailable\r\nRetry-After: 1\r\n"
		      "Content-Length: 0\r\nConnection: close\r\n\r\n",
	.request = metrics_http_request,
};

int metrics_http_parse_listen(const char *s, uint32_t *addr, uint16_t *port)
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

int metrics_http_open(struct ctl *c, const char *listen_on)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int fd, rc, one = 1;
	char esc[128];

	if (!listen_on ||
	    metrics_http_parse_listen(listen_on, &sin.sin_addr.s_addr, &sin.sin_port) < 0) {
		pr_err("metrics listen address '%s' is not ADDR:PORT (e.g. 127.0.0.1:9468)",
		       listen_on ? log_escape(esc, sizeof(esc), listen_on, strlen(listen_on)) : "");
		return -EINVAL;
	}
	if (!c)
		return -EINVAL;
	if (c->http.fd >= 0)
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
	rc = ctl_listener_add(c, &c->http, fd, &metrics_http_service);
	if (rc < 0) {
		pr_err("metrics socket: epoll_ctl: %s", strerror(-rc));
		goto err;
	}
	pr_info("metrics on http://%s/metrics", listen_on);
	return 0;
err:
	close(fd);
	return rc;
}
