// SPDX-License-Identifier: GPL-2.0-or-later
/* acpeer.c - per access concentrator liveness shared by its sessions */
#include <stdlib.h>
#include <string.h>

#include "src/acpeer.h"

static unsigned int acpeer_hash(const uint8_t *mac)
{
	return (mac[5] ^ mac[4] * 7u ^ mac[3] * 31u) % ACPEER_BUCKETS;
}

struct acpeer *acpeer_get(struct acpeers *t, const uint8_t mac[6], bool create)
{
	struct acpeer **head = &t->b[acpeer_hash(mac)], *p;

	for (p = *head; p; p = p->next)
		if (!memcmp(p->mac, mac, 6))
			return p;
	if (!create)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	memcpy(p->mac, mac, 6);
	p->next = *head;
	*head = p;
	return p;
}

void acpeer_progress(struct acpeers *t, const uint8_t mac[6], uint64_t now_ms)
{
	struct acpeer *p = acpeer_get(t, mac, true);

	if (p)
		p->progress_ms = now_ms ? now_ms : 1;
}

void acpeer_heard(struct acpeers *t, const uint8_t mac[6], uint64_t now_ms)
{
	struct acpeer *p = acpeer_get(t, mac, true);

	if (p)
		p->heard_ms = now_ms ? now_ms : 1;
}

bool acpeer_heard_since(struct acpeers *t, const uint8_t mac[6], uint64_t since_ms)
{
	struct acpeer *p = acpeer_get(t, mac, false);

	return p && p->heard_ms && p->heard_ms >= since_ms;
}

bool acpeer_alive(struct acpeers *t, const uint8_t mac[6], uint64_t now_ms)
{
	struct acpeer *p = acpeer_get(t, mac, false);

	return p && p->progress_ms && now_ms - p->progress_ms <= ACPEER_ALIVE_MS;
}

enum acpeer_probe acpeer_probe_scope(struct acpeers *t, const uint8_t mac[6], uint64_t now_ms)
{
	struct acpeer *p = acpeer_get(t, mac, true);
	enum acpeer_probe scope;

	if (!p || (p->probe_ms && now_ms - p->probe_ms < ACPEER_PROBE_MS))
		return ACPEER_PROBE_NONE;
	scope = p->probe_ms && now_ms - p->probe_ms <= 3 * ACPEER_PROBE_MS ? ACPEER_PROBE_ALL
									 : ACPEER_PROBE_SOME;
	p->probe_ms = now_ms ? now_ms : 1;
	return scope;
}

void acpeers_free(struct acpeers *t)
{
	struct acpeer *p, *next;
	unsigned int i;

	for (i = 0; i < ACPEER_BUCKETS; i++) {
		for (p = t->b[i]; p; p = next) {
			next = p->next;
			free(p);
		}
		t->b[i] = NULL;
	}
}
