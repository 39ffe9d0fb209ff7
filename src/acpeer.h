/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * acpeer.h - what the daemon knows about each access concentrator (by MAC)
 * across its sessions: when it last showed it was working (a PADS, a
 * session set up), and when its sessions were last probed because one of
 * them missed an echo. Liveness is shared: one session's news about an AC
 * is news for all of that AC's sessions.
 */
#ifndef PPPOE_XDP_ACPEER_H
#define PPPOE_XDP_ACPEER_H

#include <stdbool.h>
#include <stdint.h>

#define ACPEER_BUCKETS 64
#define ACPEER_ALIVE_MS 30000  /* progress this recent means "working" */
#define ACPEER_PROBE_MS 2000   /* probe an AC's sessions at most this often */

struct acpeer {
	struct acpeer *next;
	uint8_t mac[6];
	uint64_t progress_ms;  /* last PADS or completed setup, 0 = never */
	uint64_t probe_ms;     /* last probe of all its sessions, 0 = never */
	uint64_t probes;       /* times its sessions were probed together */
};

struct acpeers {
	struct acpeer *b[ACPEER_BUCKETS];
};

/* acpeer_get - the entry of @mac, created if @create (NULL without memory) */
struct acpeer *acpeer_get(struct acpeers *t, const uint8_t mac[6], bool create);
/* acpeer_progress - the AC at @mac showed it works (PADS, a setup done) */
void acpeer_progress(struct acpeers *t, const uint8_t mac[6], uint64_t now_ms);
/* acpeer_alive - did the AC at @mac show progress within ACPEER_ALIVE_MS? */
bool acpeer_alive(struct acpeers *t, const uint8_t mac[6], uint64_t now_ms);
/* acpeer_should_probe - one of its sessions missed an echo: true if its
 * other sessions should be probed now (not done within ACPEER_PROBE_MS) */
bool acpeer_should_probe(struct acpeers *t, const uint8_t mac[6], uint64_t now_ms);
void acpeers_free(struct acpeers *t);

#endif
