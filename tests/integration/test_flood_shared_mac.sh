#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The flood of test_flood.sh with every session on the interface's MAC
# (mac = interface): frames for one session reach all of them, so a forged
# PADS naming a sibling's session id must not make anyone end it.
FLOOD_MAC=interface exec bash "$(dirname "$0")/test_flood.sh"
