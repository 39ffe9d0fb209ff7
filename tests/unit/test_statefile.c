// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_statefile.c - the state file: what one run saves is what the next
 * start loads, byte for byte; a file that is unsafe (symlink, wrong owner,
 * mode or link count) or corrupt is refused; invalid records are dropped
 * one by one; an older daemon's PADT-only records are still read.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "src/statefile.h"

struct fixture {
	char dir[64];
	char path[96];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	strcpy(f->dir, "/tmp/test_statefile.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	/* A directory the save has to create. */
	snprintf(f->path, sizeof(f->path), "%s/sub/state", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void rec_make(struct statefile_sess *r, unsigned int i, bool up)
{
	static const uint8_t our[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	static const uint8_t ac[6] = { 0x02, 0xac, 0, 0, 0, 0x01 };

	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "line%u", i);
	snprintf(r->ifname, sizeof(r->ifname), "pppx%u", i);
	snprintf(r->ac_name, sizeof(r->ac_name), "bras-%u", i);
	memcpy(r->our_mac, our, 6);
	r->our_mac[5] = (uint8_t)i;
	memcpy(r->ac_mac, ac, 6);
	r->session_id = (uint16_t)(0x100 + i);
	/* Every fourth on VLAN 7, every fourth on QinQ 100.7 (802.1ad). */
	if (i % 4 == 1) {
		r->vlan_ntags = 1;
		r->vlan_vid[0] = 7;
	} else if (i % 4 == 3) {
		r->vlan_ntags = 2;
		r->vlan_tpid = 0x88a8;
		r->vlan_vid[0] = 100;
		r->vlan_vid[1] = 7;
	}
	if (!up)
		return;
	r->flags = STATEFILE_F_UP;
	r->tun_ifindex = 100 + (int)i;
	r->magic = 0x11110000u + i;
	r->peer_magic = 0x22220000u + i;
	r->mru = 1492;
	r->peer_mru = 1480;
	r->mtu = 1480;
	r->auth_proto = 0xc023;
	r->local = 0x0a000001u + i;
	r->peer = 0x0a0000feu;
	r->dns1 = 0x08080808u;
	r->table = 1000 + i;
	r->last_rx_ms = 1700000000000ull + i;
	r->up_since_ms = 1690000000000ull + i;
}

static void save_n(const struct fixture *f, struct statefile_sess *recs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		rec_make(&recs[i], i, i % 3 != 2);
	assert_int_equal(statefile_save(f->path, recs, n, 7), 0);
}

/* Saved records come back identical, with the interface and the time. */
static void test_roundtrip(void **state)
{
	struct fixture *f = *state;
	struct statefile_sess recs[40];
	struct statefile st;
	struct stat sb;
	uint64_t before = statefile_realtime_ms();

	save_n(f, recs, 40);
	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	assert_int_equal(statefile_load(f->path, &st), 0);
	assert_int_equal(st.n, 40);
	assert_int_equal(st.bad, 0);
	assert_false(st.legacy);
	assert_int_equal(st.if_index, 7);
	assert_true(st.written_ms >= before && st.written_ms <= statefile_realtime_ms());
	assert_memory_equal(st.recs, recs, sizeof(recs));
	statefile_free(&st);
	/* A second save replaces the first entirely (rename), no leftovers. */
	assert_int_equal(statefile_save(f->path, recs, 3, 7), 0);
	assert_int_equal(statefile_load(f->path, &st), 0);
	assert_int_equal(st.n, 3);
	statefile_free(&st);
	/* Nothing at all is a valid state too. */
	assert_int_equal(statefile_save(f->path, recs, 0, 7), 0);
	assert_int_equal(statefile_load(f->path, &st), 0);
	assert_int_equal(st.n, 0);
	statefile_free(&st);
}

static void test_missing(void **state)
{
	struct fixture *f = *state;
	struct statefile st;

	assert_int_equal(statefile_load(f->path, &st), -ENOENT);
	assert_int_equal(st.n, 0);
}

/* flip - change one byte at @off of the file */
static void flip(const char *path, off_t off)
{
	uint8_t b;
	int fd = open(path, O_RDWR);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &b, 1, off), 1);
	b ^= 0x40;
	assert_int_equal(pwrite(fd, &b, 1, off), 1);
	close(fd);
}

/* Any changed byte, header or records, and the file is refused whole. */
static void test_corrupt(void **state)
{
	struct fixture *f = *state;
	struct statefile_sess recs[4];
	struct statefile st;
	const off_t offs[] = { 0, 9, 13, 17, (off_t)sizeof(struct statefile_hdr) + 70,
			       (off_t)sizeof(struct statefile_hdr) + 3 * sizeof(recs[0]) + 5 };
	size_t i;

	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		save_n(f, recs, 4);
		flip(f->path, offs[i]);
		assert_true(statefile_load(f->path, &st) < 0);
		assert_int_equal(st.n, 0);
		assert_null(st.recs);
	}
	/* Cut short: the count no longer fits the size. */
	save_n(f, recs, 4);
	assert_int_equal(truncate(f->path, (off_t)(sizeof(struct statefile_hdr) + 100)), 0);
	assert_int_equal(statefile_load(f->path, &st), -EBADMSG);
	assert_int_equal(truncate(f->path, 10), 0);
	assert_int_equal(statefile_load(f->path, &st), -EBADMSG);
}

/* Unsafe files are not read: symlink, mode, owner, links, not regular. */
static void test_unsafe(void **state)
{
	struct fixture *f = *state;
	struct statefile_sess recs[2];
	struct statefile st;
	char other[128];

	save_n(f, recs, 2);
	snprintf(other, sizeof(other), "%s/other", f->dir);
	assert_int_equal(rename(f->path, other), 0);
	assert_int_equal(symlink(other, f->path), 0);
	assert_int_equal(statefile_load(f->path, &st), -ELOOP);
	assert_int_equal(unlink(f->path), 0);
	assert_int_equal(rename(other, f->path), 0);

	assert_int_equal(chmod(f->path, 0644), 0);
	assert_int_equal(statefile_load(f->path, &st), -EPERM);
	assert_int_equal(chmod(f->path, 0600), 0);
	assert_int_equal(statefile_load(f->path, &st), 0);
	statefile_free(&st);

	assert_int_equal(link(f->path, other), 0);
	assert_int_equal(statefile_load(f->path, &st), -EPERM);
	assert_int_equal(unlink(other), 0);

	if (geteuid() == 0) {
		assert_int_equal(chown(f->path, 1, 1), 0);
		assert_int_equal(statefile_load(f->path, &st), -EPERM);
		assert_int_equal(chown(f->path, 0, 0), 0);
	}
	assert_int_equal(unlink(f->path), 0);
	assert_int_equal(mkdir(f->path, 0700), 0);
	assert_true(statefile_load(f->path, &st) < 0);
	assert_int_equal(rmdir(f->path), 0);

	/* A symlink at the temporary name is replaced, not followed. */
	snprintf(other, sizeof(other), "%s.tmp", f->path);
	assert_int_equal(symlink("/tmp/test_statefile_target_must_not_exist", other), 0);
	save_n(f, recs, 2);
	assert_int_equal(access("/tmp/test_statefile_target_must_not_exist", F_OK), -1);
	assert_int_equal(statefile_load(f->path, &st), 0);
	assert_int_equal(st.n, 2);
	statefile_free(&st);
}

/* A bad record is dropped; the rest of the file is still used. */
static void test_bad_records(void **state)
{
	struct fixture *f = *state;
	struct statefile_sess recs[12];
	struct statefile st;
	unsigned int i;

	for (i = 0; i < 12; i++)
		rec_make(&recs[i], i, true);
	recs[0].session_id = 0;                 /* not a session */
	recs[1].ac_mac[0] = 0x01;                /* multicast AC */
	memset(recs[2].name, 'x', sizeof(recs[2].name)); /* no NUL */
	recs[3].local = 0;                       /* up without an address */
	recs[4].flags = 0x80 | STATEFILE_F_UP;   /* a flag we never write */
	recs[6].vlan_ntags = 3;                  /* three tags */
	recs[7].vlan_vid[1] = 4095;              /* a reserved VLAN ID */
	recs[8].vlan_ntags = 1;                  /* a tag with ID 0 */
	recs[9].vlan_vid[1] = 7;                 /* VLAN 7 with an inner ID */
	recs[10].vlan_tpid = 0x9100;             /* a TPID we never send */
	assert_int_equal(statefile_save(f->path, recs, 12, 1), 0);
	assert_int_equal(statefile_load(f->path, &st), 0);
	assert_int_equal(st.n, 2);
	assert_int_equal(st.bad, 10);
	assert_string_equal(st.recs[0].name, "line5");
	assert_string_equal(st.recs[1].name, "line11");
	assert_int_equal(st.recs[1].vlan_ntags, 2);
	assert_int_equal(st.recs[1].vlan_vid[0], 100);
	statefile_free(&st);
}

/* An older daemon's records (PXS1, one per slot): PADT only, none up. */
static void test_legacy(void **state)
{
	struct fixture *f = *state;
	struct {
		uint32_t magic;
		uint16_t session_id;
		uint8_t our_mac[6];
		uint8_t ac_mac[6];
		uint8_t pad[2];
	} v1[3] = {
		{ STATEFILE_V1_MAGIC, 0x11, { 2, 0, 0, 0, 0, 1 }, { 2, 0xac, 0, 0, 0, 1 }, { 0 } },
		{ 0, 0, { 0 }, { 0 }, { 0 } }, /* a cleared slot */
		{ STATEFILE_V1_MAGIC, 0x33, { 2, 0, 0, 0, 0, 3 }, { 2, 0xac, 0, 0, 0, 1 }, { 0 } },
	};
	struct statefile st;
	int fd;

	assert_int_equal(statefile_save(f->path, NULL, 0, 1), 0); /* makes the directory */
	unlink(f->path);
	fd = open(f->path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, v1, sizeof(v1)), sizeof(v1));
	close(fd);
	assert_int_equal(statefile_load(f->path, &st), 0);
	assert_true(st.legacy);
	assert_int_equal(st.n, 2);
	assert_int_equal(st.recs[0].session_id, 0x11);
	assert_int_equal(st.recs[1].session_id, 0x33);
	assert_int_equal(st.recs[1].our_mac[5], 3);
	assert_int_equal(st.recs[0].flags & STATEFILE_F_UP, 0);
	statefile_free(&st);
}

/*
 * A version 2 file (an earlier release, before VLANs: 232-byte records)
 * still loads, its sessions untagged, so an upgrade resumes them.
 */
static void test_version2(void **state)
{
	struct fixture *f = *state;
	struct statefile_hdr h = { .magic = STATEFILE_MAGIC, .version = 2,
				   .rec_size = STATEFILE_V2_REC_SIZE, .count = 2, .if_index = 3 };
	struct statefile_sess recs[2];
	uint8_t buf[2 * STATEFILE_V2_REC_SIZE];
	struct statefile st;
	uint32_t csum = 2166136261u;
	size_t i;
	int fd;

	rec_make(&recs[0], 0, true);
	rec_make(&recs[1], 2, false);
	for (i = 0; i < 2; i++)
		memcpy(buf + i * STATEFILE_V2_REC_SIZE, &recs[i], STATEFILE_V2_REC_SIZE);
	for (i = 0; i < sizeof(buf); i++)
		csum = (csum ^ buf[i]) * 16777619u;
	h.csum = csum;
	assert_int_equal(statefile_save(f->path, NULL, 0, 1), 0); /* makes the directory */
	unlink(f->path);
	fd = open(f->path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, &h, sizeof(h)), sizeof(h));
	assert_int_equal(write(fd, buf, sizeof(buf)), sizeof(buf));
	close(fd);
	assert_int_equal(statefile_load(f->path, &st), 0);
	assert_int_equal(st.n, 2);
	assert_int_equal(st.if_index, 3);
	assert_memory_equal(&st.recs[0], &recs[0], sizeof(recs[0]));
	assert_int_equal(st.recs[0].vlan_ntags, 0);
	assert_int_equal(st.recs[1].session_id, 0x102);
	statefile_free(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsafe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_legacy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version2, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
