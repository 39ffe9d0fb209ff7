/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * metrics_http.h - GET /metrics over HTTP for Prometheus, served by the
 * control server (src/ctl.c) with the report its ops give.
 */
#ifndef PPPOE_XDP_METRICS_HTTP_H
#define PPPOE_XDP_METRICS_HTTP_H

#include <stdint.h>

struct ctl;

/*
 * Limits of the HTTP listener, its own (the control socket's are in
 * ctl.h). The deadlines count from the accept and no trickle of bytes
 * extends them: the request head must be in within METRICS_HTTP_REQ_MS,
 * the response out within METRICS_HTTP_DEADLINE_MS, Prometheus' default
 * scrape_timeout (a scrape that takes longer is given up by Prometheus
 * anyway; 10 MB of 10,000 sessions still passes at 1 MB/s).
 */
#define METRICS_HTTP_MAX_CLIENTS 64
#define METRICS_HTTP_REQ_MS      3000
#define METRICS_HTTP_DEADLINE_MS 10000
/*
 * Each client's socket send buffer, fixed (the kernel doubles it): without
 * it the kernel grows it up to tcp_wmem's maximum, 4 MB, for a client that
 * does not read. 512 KiB in flight still passes 10 MB/s at 50 ms RTT.
 */
#define METRICS_HTTP_SNDBUF      (256 * 1024)
/* A render is served to every request for this long: at most one a second. */
#define METRICS_HTTP_CACHE_MS    1000
/* Renders alive at once, the cached one and older ones still being sent. */
#define METRICS_HTTP_BODIES      2

/*
 * metrics_http_open - serve GET /metrics on @listen, "ADDR:PORT" (IPv4,
 * e.g. "127.0.0.1:9468"), from the server @c opened by ctl_open(): the two
 * share its event loop, each with its own limits, and ctl_close() closes
 * both. -EINVAL (with a message) when @listen is malformed; 0 or -errno.
 */
int metrics_http_open(struct ctl *c, const char *listen);

/* metrics_http_parse_listen - "A.B.C.D:PORT" into network-order address and port */
int metrics_http_parse_listen(const char *s, uint32_t *addr, uint16_t *port);

#endif
