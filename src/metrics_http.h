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
 * metrics_http_open - serve GET /metrics on @listen, "ADDR:PORT" (IPv4,
 * e.g. "127.0.0.1:9468"), from the server @c opened by ctl_open(): the two
 * share its clients and their limit, and ctl_close() closes both. -EINVAL
 * (with a message) when @listen is malformed; 0 or -errno.
 */
int metrics_http_open(struct ctl *c, const char *listen);

/* metrics_http_parse_listen - "A.B.C.D:PORT" into network-order address and port */
int metrics_http_parse_listen(const char *s, uint32_t *addr, uint16_t *port);

#endif
