/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemon_ctl.h - the daemon's side of the control socket: the ops it opens
 * src/ctl.c with (the context is its struct daemon).
 */
#ifndef PPPOE_XDP_DAEMON_CTL_H
#define PPPOE_XDP_DAEMON_CTL_H

#include "src/ctl.h"

/* Reports over the session table, up/down/redial by name, reload. */
extern const struct ctl_ops daemon_ctl_ops;

#endif
