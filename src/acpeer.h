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
#define ACPEER_PROBE_SAMPLE 16 /* sessions probed after a first miss */

/* How many of an AC's sessions to probe after one of them missed an echo. */
enum acpeer_probe {
	ACPEER_PROBE_NONE,     /* probed within ACPEER_PROBE_MS: wait */
	ACPEER_PROBE_SOME,     /* a first miss: a sample of ACPEER_PROBE_SAMPLE */
	ACPEER_PROBE_ALL,      /* a miss soon after a probe round: all of them */
};

struct acpeer {
	struct acpeer *next;
	uint8_t mac[6];
	uint64_t progress_ms;  /* last completed setup, 0 = never */
	uint64_t probe_ms;     /* last probe of all its sessions, 0 = never */
	uint64_t heard_ms;     /* last PPP control frame from it on any session */
};

struct acpeers {
	struct acpeer *b[ACPEER_BUCKETS];
};

/* acpeer_get - the entry of @mac, created if @create (NULL without memory) */
struct acpeer *acpeer_get(struct acpeers *t, const uint8_t mac[6], bool create);
/* acpeer_progress - the AC at @mac showed it works (a session set up) */
void acpeer_progress(struct acpeers *t, const uint8_t mac[6], uint64_t now_ms);
/* acpeer_heard - a PPP control frame (LCP, auth, IPCP) came from the AC at
 * @mac on one of our sessions (its PPP side is running) */
void acpeer_heard(struct acpeers *t, const uint8_t mac[6], uint64_t now_ms);
/* acpeer_heard_since - did the AC at @mac send us a control frame at or
 * after @since_ms? */
bool acpeer_heard_since(struct acpeers *t, const uint8_t mac[6], uint64_t since_ms);
/* acpeer_alive - did the AC at @mac show progress within ACPEER_ALIVE_MS? */
bool acpeer_alive(struct acpeers *t, const uint8_t mac[6], uint64_t now_ms);
/*
 * acpeer_probe_scope - one of its sessions missed an echo: probe none of its
 * other sessions (done within ACPEER_PROBE_MS), a sample (a first miss: one
 * lost echo must not send thousands of probes at an AC that may rate-limit
 * them), or all (another miss within three probe times of a round: the AC
 * is likely gone, find out for every session now).
 */
enum acpeer_probe acpeer_probe_scope(struct acpeers *t, const uint8_t mac[6], uint64_t now_ms);
void acpeers_free(struct acpeers *t);

#endif
