/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * metrics.h - the daemon's state in the Prometheus text exposition format
 * (0.0.4): daemon, setup window, AF_XDP and per-session families. Pure,
 * like the other reports (status.h); the control socket and the HTTP
 * server (metrics_http.h) send it.
 */
#ifndef PPPOE_XDP_METRICS_H
#define PPPOE_XDP_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct daemon;
struct strbuf;

/*
 * metrics_render - every family, appended to @out. @now_ms is the daemon's
 * monotonic clock; d->io may be NULL (no AF_XDP families then). @wire_ids:
 * label each session with its AC MAC and PPPoE session id, what a spoofer
 * needs to forge a PADT: true for the control socket (root only), false
 * for the HTTP listener. 0, or -ENOMEM when the buffer could not grow.
 */
int metrics_render(const struct daemon *d, uint64_t now_ms, bool wire_ids, struct strbuf *out);

/* metrics_label - a label value: \\ \" \n escaped, invalid UTF-8 and controls as \\xNN */
void metrics_label(struct strbuf *out, const char *s, size_t len);

#endif
