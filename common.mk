# SPDX-License-Identifier: GPL-2.0-or-later
# Shared build rules for pppoe-xdp: toolchain, flags, quiet output.

VERSION     := 0.1.0
BUILD       ?= build
CC          ?= gcc
CLANG       ?= clang
BPFTOOL     ?= bpftool
PKG_CONFIG  ?= pkg-config
ARCH_INC    := /usr/include/$(shell $(CC) -dumpmachine)

PKGS        := libxdp libbpf libnl-3.0 libnl-route-3.0 inih nettle libcap-ng
PKG_CFLAGS  := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS    := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)

WARN        := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
               -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
CFLAGS      ?= -O2 -g
CPPFLAGS    += -D_GNU_SOURCE -DPPPOE_XDP_VERSION='"$(VERSION)"' -I. -I$(BUILD) $(PKG_CFLAGS)
DEPFLAGS     = -MMD -MP

# TSAN=1: ThreadSanitizer into build-tsan/ (workers: make check-tsan).
ifeq ($(TSAN),1)
BUILD       := build-tsan
CFLAGS      += -fsanitize=thread -fno-omit-frame-pointer
LDFLAGS     += -fsanitize=thread
endif
# SAN=1 builds everything with AddressSanitizer and UBSan into build-san/.
ifeq ($(SAN),1)
BUILD       := build-san
CFLAGS      += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS     += -fsanitize=address,undefined
endif

ifeq ($(V),1)
Q           :=
msg         :=
else
Q           := @
msg          = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

$(BUILD)/%.o: %.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(DEPFLAGS) -c $< -o $@
