// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ctl_proto.c - the control protocol, without sockets: parse a request
 * line, run it through the owner's ops, frame the reply ("OK <len>\n<body>"
 * or "ERR <message>\n"), and split a reply for the client.
 *
 * Every word of a request comes from whoever can open the socket: it is
 * checked and escaped before it is echoed in an error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pppoe/log.h"
#include "pppoe/session.h"
#include "src/ctl.h"
#include "src/strbuf.h"

#define CTL_USAGE "status, status json, metrics, up NAME, down NAME, redial NAME, reload, " \
	"stop, stop keep"

void ctl_reply_ok(struct strbuf *reply, const char *body, size_t len)
{
	strbuf_printf(reply, "OK %zu\n", len);
	strbuf_add(reply, body, len);
}

void ctl_reply_err(struct strbuf *reply, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* The message is one line: the framing depends on it. */
	for (i = 0; msg[i]; i++)
		if (msg[i] == '\n' || msg[i] == '\r')
			msg[i] = ' ';
	strbuf_printf(reply, "ERR %s\n", msg);
}

/* ctl_next_word - the next blank-separated word of @p[0..len) */
static bool ctl_next_word(const char **p, const char *end, const char **w, size_t *wlen)
{
	const char *s = *p;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s == end)
		return false;
	*w = s;
	while (s < end && *s != ' ' && *s != '\t')
		s++;
	*wlen = (size_t)(s - *w);
	*p = s;
	return true;
}

static bool ctl_word_is(const char *w, size_t wlen, const char *lit)
{
	return wlen == strlen(lit) && !memcmp(w, lit, wlen);
}

int ctl_parse_request(const char *line, size_t len, struct ctl_req *req, char *err,
		      size_t errlen)
{
	const char *p = line, *end, *w, *arg;
	char esc[96];
	size_t wlen, alen, i;

	memset(req, 0, sizeof(*req));
	if (len && line[len - 1] == '\r')
		len--;
	end = line + len;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			snprintf(err, errlen, "bad request: control character in '%s'",
				 log_escape(esc, sizeof(esc), line, len));
			return -EINVAL;
		}
	}
	if (!ctl_next_word(&p, end, &w, &wlen)) {
		snprintf(err, errlen, "empty request (try: %s)", CTL_USAGE);
		return -EINVAL;
	}

	if (ctl_word_is(w, wlen, "status")) {
		req->cmd = CTL_CMD_STATUS;
		if (ctl_next_word(&p, end, &arg, &alen)) {
			if (!ctl_word_is(arg, alen, "json")) {
				snprintf(err, errlen, "usage: status [json]");
				return -EINVAL;
			}
			req->cmd = CTL_CMD_STATUS_JSON;
		}
	} else if (ctl_word_is(w, wlen, "metrics")) {
		req->cmd = CTL_CMD_METRICS;
	} else if (ctl_word_is(w, wlen, "reload")) {
		req->cmd = CTL_CMD_RELOAD;
	} else if (ctl_word_is(w, wlen, "stop")) {
		req->cmd = CTL_CMD_STOP;
		if (ctl_next_word(&p, end, &arg, &alen)) {
			if (!ctl_word_is(arg, alen, "keep")) {
				snprintf(err, errlen, "usage: stop [keep]");
				return -EINVAL;
			}
			req->cmd = CTL_CMD_STOP_KEEP;
		}
	} else if (ctl_word_is(w, wlen, "up") || ctl_word_is(w, wlen, "down") ||
		   ctl_word_is(w, wlen, "redial")) {
		req->cmd = w[0] == 'u' ? CTL_CMD_UP : w[0] == 'd' ? CTL_CMD_DOWN : CTL_CMD_REDIAL;
		if (!ctl_next_word(&p, end, &arg, &alen)) {
			snprintf(err, errlen, "usage: %.*s NAME", (int)wlen, w);
			return -EINVAL;
		}
		if (alen >= sizeof(req->name)) {
			snprintf(err, errlen, "session name too long (max %zu bytes)",
				 sizeof(req->name) - 1);
			return -EINVAL;
		}
		memcpy(req->name, arg, alen);
		req->name[alen] = '\0';
	} else {
		snprintf(err, errlen, "unknown command '%s' (try: %s)",
			 log_escape(esc, sizeof(esc), w, wlen), CTL_USAGE);
		return -EINVAL;
	}
	if (ctl_next_word(&p, end, &arg, &alen)) {
		snprintf(err, errlen, "unexpected argument '%s'",
			 log_escape(esc, sizeof(esc), arg, alen));
		return -EINVAL;
	}
	return 0;
}

/* ctl_reply_body - an OK reply with @body, or an ERR one when @rc says it failed */
static void ctl_reply_body(struct strbuf *reply, int rc, const struct strbuf *body)
{
	if (rc == -ENOMEM || (!rc && body->oom))
		ctl_reply_err(reply, "out of memory");
	else if (rc < 0)
		ctl_reply_err(reply, "%s", strerror(-rc));
	else
		ctl_reply_ok(reply, body->buf ? body->buf : "", body->len);
}

void ctl_execute(const struct ctl_ops *ops, void *ctx, const char *line, size_t len,
		 struct strbuf *reply)
{
	static const enum ctl_report reports[] = {
		[CTL_CMD_STATUS] = CTL_REPORT_STATUS,
		[CTL_CMD_STATUS_JSON] = CTL_REPORT_JSON,
		[CTL_CMD_METRICS] = CTL_REPORT_METRICS,
	};
	struct ctl_req req;
	char err[256], esc[SESSION_NAME_MAX * 4 + 4];
	struct strbuf body;
	int rc;

	if (ctl_parse_request(line, len, &req, err, sizeof(err)) < 0) {
		ctl_reply_err(reply, "%s", err);
		return;
	}
	strbuf_init(&body);
	switch (req.cmd) {
	case CTL_CMD_STATUS:
	case CTL_CMD_STATUS_JSON:
	case CTL_CMD_METRICS:
		rc = ops->report(ctx, reports[req.cmd], &body);
		ctl_reply_body(reply, rc, &body);
		break;
	case CTL_CMD_RELOAD:
		rc = ops->reload(ctx);
		if (rc < 0)
			ctl_reply_err(reply, "reload failed: %s (the daemon's log has details)",
				      strerror(-rc));
		else
			ctl_reply_ok(reply, "reloaded\n", strlen("reloaded\n"));
		break;
	case CTL_CMD_STOP:
	case CTL_CMD_STOP_KEEP:
		rc = ops->stop ? ops->stop(ctx, req.cmd == CTL_CMD_STOP_KEEP) : -EOPNOTSUPP;
		if (rc < 0)
			ctl_reply_err(reply, "stop failed: %s", strerror(-rc));
		else if (req.cmd == CTL_CMD_STOP_KEEP)
			ctl_reply_ok(reply, "exiting, sessions kept\n", strlen("exiting, sessions kept\n"));
		else
			ctl_reply_ok(reply, "stopping\n", strlen("stopping\n"));
		break;
	case CTL_CMD_UP:
	case CTL_CMD_DOWN:
	case CTL_CMD_REDIAL:
		/* The body tells the caller where the session went, e.g. "s1: discovery". */
		rc = ops->act(ctx, req.cmd, req.name, &body);
		if (rc == -ENOENT)
			ctl_reply_err(reply, "no session named '%s'",
				      log_escape(esc, sizeof(esc), req.name, strlen(req.name)));
		else
			ctl_reply_body(reply, rc, &body);
		break;
	}
	strbuf_free(&body);
}

int ctl_parse_reply(const char *buf, size_t len, const char **body, size_t *blen)
{
	const char *nl = memchr(buf, '\n', len);
	unsigned long long n = 0;
	const char *p;

	if (!nl)
		return -EPROTO;
	if (len >= 4 && !memcmp(buf, "ERR ", 4)) {
		*body = buf + 4;
		*blen = (size_t)(nl - buf) - 4;
		return 1;
	}
	if (len < 4 || memcmp(buf, "OK ", 3))
		return -EPROTO;
	p = buf + 3;
	if (p == nl)
		return -EPROTO;
	for (; p < nl; p++) {
		if (*p < '0' || *p > '9' || n > (unsigned long long)SIZE_MAX / 10)
			return -EPROTO;
		n = n * 10 + (unsigned long long)(*p - '0');
	}
	/* Exactly the announced length: anything else is a cut-off reply. */
	if (n != (unsigned long long)(len - (size_t)(nl + 1 - buf)))
		return -EPROTO;
	*body = nl + 1;
	*blen = (size_t)n;
	return 0;
}
