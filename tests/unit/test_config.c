// SPDX-License-Identifier: GPL-2.0-or-later
/* test_config.c - config parsing: values, defaults, and every error path */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/config.h"
#include "src/config_int.h"

static char dir[] = "/tmp/pppoe-xdp-conf-XXXXXX";
static char errbuf[8192];

static const char *write_file(const char *name, const char *text, mode_t mode)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
	return path;
}

/* load - conf_load with stderr captured into errbuf */
static int load(const char *text, mode_t mode, struct conf *c)
{
	char errpath[512];
	int saved, fd, ret;
	ssize_t n;

	snprintf(errpath, sizeof(errpath), "%s/stderr", dir);
	fflush(stderr);
	saved = dup(2);
	fd = open(errpath, O_RDWR | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	ret = conf_load(write_file("t.conf", text, mode), c, false);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	lseek(fd, 0, SEEK_SET);
	n = read(fd, errbuf, sizeof(errbuf) - 1);
	errbuf[n > 0 ? n : 0] = '\0';
	close(fd);
	return ret;
}

#define assert_error(text, needle) do {                                     \
	struct conf c_;                                                     \
	assert_int_not_equal(load(text, 0600, &c_), 0);                     \
	if (!strstr(errbuf, needle))                                        \
		fail_msg("expected '%s' in error output:\n%s", needle, errbuf); \
} while (0)

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

static void test_minimal(void **state)
{
	struct conf c;

	(void)state;
	assert_int_equal(load("[global]\ninterface = eth1\n"
			      "[session wan1]\nuser = alice@isp\npassword = s3cret\nifname = pppx1\n",
			      0600, &c), 0);
	assert_string_equal(c.interface, "eth1");
	assert_int_equal(c.xdp_mode, CONF_XDP_AUTO);
	assert_int_equal(c.nsessions, 1);
	assert_string_equal(c.sessions[0].s.name, "wan1");
	assert_string_equal(c.sessions[0].s.user, "alice@isp");
	assert_string_equal(c.sessions[0].s.password, "s3cret");
	assert_string_equal(c.sessions[0].s.ifname, "pppx1");
	assert_int_equal(c.sessions[0].s.ppp.mru, 0); /* follows mtu */
	assert_int_equal(ppp_conf_mru(&c.sessions[0].s.ppp), 1492);
	assert_int_equal(c.sessions[0].s.ppp.mtu, 1492);
	assert_false(c.sessions[0].s.disc.has_ac_mac);
	/* Dead-peer detection within 30 s: idle echo every 10 s, then 4
	 * probes 2 s apart; data from the peer counts as an answer. */
	assert_int_equal(c.sessions[0].s.ppp.echo_interval, 10);
	assert_int_equal(c.sessions[0].s.ppp.echo_failure, 4);
	assert_int_equal(c.sessions[0].s.ppp.echo_probe_ms, 2000);
	assert_true(c.sessions[0].s.ppp.echo_adaptive);
	assert_int_equal(c.max_starting, 0); /* auto: the adaptive setup window */
	assert_ptr_equal(c.sessions[0].s.ppp.password, c.sessions[0].s.password);
	assert_null(c.sessions[0].s.disc.ac_name);
	assert_string_equal(c.sessions[0].s.disc.service, "");
	/* mac = auto: stable, locally administered, unicast */
	assert_int_equal(c.sessions[0].s.mac_mode, SESSION_MAC_AUTO);
	assert_int_equal(c.sessions[0].s.mac[0] & 0x03, 0x02);
	assert_int_equal(c.dial_rate, 50);
	assert_string_equal(c.control_socket, "/run/pppoe-xdp/pppoe-xdp.sock");
	assert_string_equal(c.state_file, "/run/pppoe-xdp/eth1.state");
	assert_int_equal(c.sessions[0].route_table, 0);
	assert_false(c.sessions[0].defaultroute);
	assert_false(c.sessions[0].s.ppp.ipv6); /* like pppd without +ipv6 */
	conf_free(&c);
}

static void test_global_defaults_and_overrides(void **state)
{
	struct conf c;

	(void)state;
	assert_int_equal(load("[session a]\nifname = ppa\n"
			      "[global]\ninterface = eth0\nxdp_mode = skb\nuser = u@isp\n"
			      "password = pw\nmru = 1400\nservice = fast\n"
			      "[session b]\nuser = other@isp\nmru = 1480\nac_name = BRAS-1\n"
			      "mac = 02:00:00:00:00:01\n",
			      0600, &c), 0);
	assert_int_equal(c.xdp_mode, CONF_XDP_SKB);
	assert_int_equal(c.nsessions, 2);
	assert_string_equal(c.sessions[0].s.user, "u@isp");
	assert_int_equal(c.sessions[0].s.ppp.mru, 1400);
	assert_string_equal(c.sessions[0].s.service, "fast");
	assert_string_equal(c.sessions[1].s.user, "other@isp");
	assert_string_equal(c.sessions[1].s.ifname, "pppx2");
	assert_int_equal(c.sessions[1].s.ppp.mru, 1480);
	assert_string_equal(c.sessions[1].s.disc.ac_name, "BRAS-1");
	assert_int_equal(c.sessions[1].s.mac_mode, SESSION_MAC_FIXED);
	assert_int_equal(c.sessions[1].s.mac[5], 1);
	conf_free(&c);
}

/* route_table = auto works on its own, from a documented default range;
 * max_starting and the echo keys are read. */
static void test_setup_and_liveness_keys(void **state)
{
	struct conf c;

	(void)state;
	assert_int_equal(load("[global]\ninterface = eth1\nmax_starting = 12\n"
			      "[session s]\nuser = u\npassword = p\nroute_table = auto\n"
			      "lcp_echo_probe = 3\nlcp_echo_adaptive = no\nlcp_echo_interval = 20\n",
			      0600, &c), 0);
	assert_true(c.sessions[0].route_table_auto);
	assert_int_equal(c.route_table_min, CONF_DEFAULT_TABLE_MIN);
	assert_int_equal(c.route_table_max, CONF_DEFAULT_TABLE_MAX);
	assert_int_equal(c.max_starting, 12);
	assert_int_equal(c.sessions[0].s.ppp.echo_probe_ms, 3000);
	assert_false(c.sessions[0].s.ppp.echo_adaptive);
	assert_int_equal(c.sessions[0].s.ppp.echo_interval, 20);
	conf_free(&c);
	assert_int_equal(load("[global]\ninterface = eth1\nmax_starting = auto\n"
			      "[session s]\nuser = u\npassword = p\n", 0600, &c), 0);
	assert_int_equal(c.max_starting, 0);
	conf_free(&c);
}

/* mtu and ac_mac: [global] defaults, a session's own value, "any" */
static void test_mtu_ac_mac_keys(void **state)
{
	static const uint8_t mac[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
	struct conf c;

	(void)state;
	assert_int_equal(load("[global]\ninterface = eth1\nmtu = 1500\nac_mac = 00:11:22:33:44:55\n"
			      "[session a]\nuser = u\npassword = p\n"
			      "[session b]\nuser = u\npassword = p\nac_mac = any\nmtu = 1400\n"
			      "mru = 1450\n",
			      0600, &c), 0);
	assert_int_equal(c.sessions[0].s.ppp.mtu, 1500);
	assert_int_equal(ppp_conf_mru(&c.sessions[0].s.ppp), 1500);
	assert_true(c.sessions[0].s.disc.has_ac_mac);
	assert_memory_equal(c.sessions[0].s.disc.ac_mac, mac, 6);
	assert_int_equal(c.sessions[1].s.ppp.mtu, 1400);
	assert_int_equal(ppp_conf_mru(&c.sessions[1].s.ppp), 1450);
	assert_false(c.sessions[1].s.disc.has_ac_mac);
	conf_free(&c);
}

static void test_count_expands_sessions(void **state)
{
	struct conf c;
	uint8_t mac1[6];
	size_t i;

	(void)state;
	assert_int_equal(load("[global]\ninterface = eth1\ndial_rate = 0\nipv6 = yes\n"
			      "route_table_range = 1000-1999\n"
			      "[session line]\ncount = 40\nuser = line%d@isp\npassword = pw%%x\n"
			      "ifname = ppx%d\nroute_table = auto\n"
			      "[session solo]\nuser = solo\npassword = p\nmac = interface\n"
			      "route_table = 77\ndefaultroute = yes\ndefaultroute_metric = 5\n"
			      "ipv6 = no\n",
			      0600, &c), 0);
	assert_int_equal(c.nsessions, 41);
	assert_int_equal(c.dial_rate, 0);
	assert_int_equal(c.route_table_min, 1000);
	assert_int_equal(c.route_table_max, 1999);
	assert_string_equal(c.sessions[0].s.name, "line1");
	assert_string_equal(c.sessions[0].s.user, "line1@isp");
	assert_string_equal(c.sessions[0].s.password, "pw%x");
	assert_string_equal(c.sessions[0].s.ifname, "ppx1");
	assert_string_equal(c.sessions[39].s.name, "line40");
	assert_string_equal(c.sessions[39].s.ifname, "ppx40");
	assert_true(c.sessions[39].route_table_auto);
	memcpy(mac1, c.sessions[0].s.mac, 6);
	for (i = 1; i < 40; i++)
		assert_memory_not_equal(c.sessions[i].s.mac, mac1, 6);
	assert_string_equal(c.sessions[40].s.name, "solo");
	assert_int_equal(c.sessions[40].s.mac_mode, SESSION_MAC_INTERFACE);
	assert_int_equal(c.sessions[40].route_table, 77);
	assert_true(c.sessions[40].defaultroute);
	assert_int_equal(c.sessions[40].defaultroute_metric, 5);
	/* ipv6 = yes in [global] for every session, but the one that says no */
	assert_true(c.sessions[0].s.ppp.ipv6);
	assert_true(c.sessions[39].s.ppp.ipv6);
	assert_false(c.sessions[40].s.ppp.ipv6);
	conf_free(&c);

	/* The same name gives the same MAC on every load. */
	assert_int_equal(load("[global]\ninterface = eth1\n[session line]\ncount = 1\n"
			      "user = u\npassword = p\n", 0600, &c), 0);
	assert_memory_equal(c.sessions[0].s.mac, mac1, 6);
	conf_free(&c);
}

static void test_password_file(void **state)
{
	char text[1024], pw[512];
	struct conf c;

	(void)state;
	snprintf(pw, sizeof(pw), "%s", write_file("pw", "from-file\n", 0600));
	snprintf(text, sizeof(text),
		 "[global]\ninterface = eth1\n[session s]\nuser = u\npassword_file = %s\n", pw);
	assert_int_equal(load(text, 0644, &c), 0);
	assert_string_equal(c.sessions[0].s.password, "from-file");
	conf_free(&c);

	chmod(pw, 0640);
	assert_int_not_equal(load(text, 0644, &c), 0);
	assert_non_null(strstr(errbuf, "accessible by group or others (mode 0640)"));
	assert_non_null(strstr(errbuf, "t.conf:5:"));
}

static void test_errors_name_file_line_key(void **state)
{
	(void)state;
	assert_error("[global]\ninterface = eth1\nbogus = 1\n[session s]\nuser = u\npassword = p\n",
		     "t.conf:3: unknown key 'bogus' in [global]");
	assert_error("[global]\ninterface = eth1\n[session s]\nuser = u\npassword = p\nmru = 9000\n",
		     "t.conf:6: bad value '9000' for key 'mru' in [session s]");
	assert_error("[global]\ninterface = eth1\n[session s]\nuser = u\npassword = p\nmru = 14x\n",
		     "bad value '14x' for key 'mru'");
	assert_error("[global]\ninterface = eth1\n[session s]\nuser = u\npassword = p\nmtu = 1701\n",
		     "t.conf:6: bad value '1701' for key 'mtu' in [session s]");
	assert_error("[global]\ninterface = eth1\n[session s]\nuser = u\npassword = p\nmtu = 127\n",
		     "bad value '127' for key 'mtu'");
	assert_error("[global]\ninterface = eth1\n[session s]\nuser = u\npassword = p\n"
		     "ac_mac = ff:ff:ff:ff:ff:ff\n", "bad value 'ff:ff:ff:ff:ff:ff' for key 'ac_mac'");
	assert_error("[global]\ninterface = eth1\n[session s]\nuser = u\npassword = p\n"
		     "ac_mac = 00:11:22:33:44\n", "bad value '00:11:22:33:44' for key 'ac_mac'");
	assert_error("[global]\ninterface = eth1\n[session s]\npassword = p\n",
		     "t.conf:3: [session s]: missing required key 'user'");
	assert_error("[global]\ninterface = eth1\n[session s]\nuser = u\n",
		     "missing required key 'password' or 'password_file'");
	assert_error("[global]\n[session s]\nuser = u\npassword = p\n",
		     "missing required key 'interface' in [global]");
	assert_error("[global]\ninterface = eth1\n", "no [session NAME] section");
	assert_error("[global]\ninterface = eth1\nxdp_mode = turbo\n[session s]\nuser = u\npassword = p\n",
		     "t.conf:3: bad value 'turbo' for key 'xdp_mode'");
	assert_error("[global]\ninterface = eth1\n[sessions]\n", "t.conf:3: unknown section [sessions]");
	assert_error("[global]\ninterface = eth1\n[session s]\nuser = u\npassword = p\n[session s]\n",
		     "t.conf:6: duplicate section [session s]");
	assert_error("[global]\ninterface = eth1\n[session a]\nuser = u\npassword = p\nifname = x\n"
		     "[session b]\nifname = x\n", "ifname 'x' already used by session 'a'");
	assert_error("[global]\ninterface = eth1\n[session s]\nuser = u\npassword = p\n"
		     "ifname = waytoolongname0123\n", "bad value 'waytoolongname0123' for key 'ifname'");
	assert_error("[global]\ninterface = eth1\n[session s]\nuser = u\npassword = p\n"
		     "mac = 01:00:5e:00:00:01\n", "bad value '01:00:5e:00:00:01' for key 'mac'");
	assert_error("[global]\ninterface = eth1\n[session s]\ncount = 3\nuser = u\npassword = p\n"
		     "ifname = same\n", "[session s2]: ifname 'same' already used by session 's1'");
	assert_error("[global]\ninterface = eth1\ncount = 3\n[session s]\nuser = u\npassword = p\n",
		     "t.conf:3: key 'count' belongs in a [session NAME] section");
	assert_error("[global]\ninterface = eth1\n[session s]\ncount = 0\nuser = u\npassword = p\n",
		     "t.conf:4: bad value '0' for key 'count'");
	assert_error("[global]\ninterface = eth1\nmax_starting = 0\n[session s]\nuser = u\npassword = p\n",
		     "t.conf:3: bad value '0' for key 'max_starting' in [global] (auto or 1..65535)");
	assert_error("[global]\ninterface = eth1\nmax_starting = lots\n[session s]\nuser = u\npassword = p\n",
		     "t.conf:3: bad value 'lots' for key 'max_starting'");
	assert_error("[global]\ninterface = eth1\n[session s]\nuser = u\npassword = p\n"
		     "lcp_echo_probe = 0\n", "bad value '0' for key 'lcp_echo_probe'");
	assert_error("[global]\ninterface = eth1\n[session s]\nuser = u\npassword = p\n"
		     "lcp_echo_adaptive = maybe\n", "bad value 'maybe' for key 'lcp_echo_adaptive'");
	assert_error("[global]\ninterface = eth1\n[session s]\nuser = u\npassword = p\n"
		     "route_table = 254\n", "bad value '254' for key 'route_table'");
	assert_error("[global]\ninterface = eth1\nroute_table_range = 200-300\n[session s]\n"
		     "user = u\npassword = p\n", "bad value '200-300' for key 'route_table_range'");
	assert_error("[global]\ninterface = eth1\nroute_table_range = 1000-100000\n[session s]\n"
		     "user = u\npassword = p\n", "bad value '1000-100000' for key 'route_table_range'");
	assert_error("[global]\ninterface = eth1\ndial_rate = fast\n[session s]\nuser = u\npassword = p\n",
		     "t.conf:3: bad value 'fast' for key 'dial_rate' in [global] (0..100000)");
	assert_error("[global]\ninterface = eth1\n[session s]\nuser = u\npassword = p\n"
		     "defaultroute = maybe\n", "bad value 'maybe' for key 'defaultroute'");
	assert_error("[global]\ninterface = eth1\n[session s]\nuser = u\npassword = p\n"
		     "ipv6 = dual\n", "t.conf:6: bad value 'dual' for key 'ipv6'");
	assert_error("[global]\ninterface = eth1\n[session s]\nuser = u\npassword = p\n"
		     "up_script = relative.sh\n", "bad value 'relative.sh' for key 'up_script'");
	assert_error("[global]\ninterface = eth1\n[session s]\nuser = u\npassword = p\n"
		     "up_script = /nonexistent/up.sh\n", "up_script '/nonexistent/up.sh' refused");
	assert_error("[global]\ninterface = eth1\n[session a]\nuser = u\npassword = p\n"
		     "mac = 02:00:00:00:00:01\n[session b]\nuser = u\npassword = p\n"
		     "mac = 02:00:00:00:00:01\n", "sessions 'b' and 'a' have the same MAC address");
	assert_error("[global]\ninterface = eth1\n[session s]\nuser = u\npassword = p\nthis is not ini\n",
		     "t.conf:6: syntax error");
	assert_error("[global]\ninterface = eth1\n[session bad name!]\nuser = u\npassword = p\n",
		     "bad session name 'bad name!'");
}

/*
 * Session names up to SESSION_NAME_MAX - 1 characters, longer than the
 * section names libinih keeps (49 characters in Debian's build: "session "
 * and 41 more): names that differ only after that point are still two
 * sessions, each with its own keys.
 */
static void test_long_session_names(void **state)
{
	/* 60 characters, the same up to the last one */
	static const char a[] = "access-line-number-0123456789-0123456789-0123456789-abcdef-a";
	static const char b[] = "access-line-number-0123456789-0123456789-0123456789-abcdef-b";
	char text[1024], name[SESSION_NAME_MAX + 1];
	struct conf c;

	(void)state;
	assert_int_equal(strlen(a), 60);
	snprintf(text, sizeof(text),
		 "[global]\ninterface = eth1\n"
		 "[session %s]\nuser = ua\npassword = pa\nifname = ppa\n"
		 "[session %s]\nuser = ub\npassword = pb\nifname = ppb\n", a, b);
	assert_int_equal(load(text, 0600, &c), 0);
	assert_int_equal(c.nsessions, 2);
	assert_string_equal(c.sessions[0].s.name, a);
	assert_string_equal(c.sessions[0].s.user, "ua");
	assert_string_equal(c.sessions[0].s.ifname, "ppa");
	assert_string_equal(c.sessions[1].s.name, b);
	assert_string_equal(c.sessions[1].s.user, "ub");
	assert_string_equal(c.sessions[1].s.ifname, "ppb");
	conf_free(&c);

	/* The longest name there is, and one character more. */
	memset(name, 'n', SESSION_NAME_MAX);
	name[SESSION_NAME_MAX - 1] = '\0';
	snprintf(text, sizeof(text), "[global]\ninterface = eth1\n[session %s]\n"
		 "user = u\npassword = p\n", name);
	assert_int_equal(load(text, 0600, &c), 0);
	assert_string_equal(c.sessions[0].s.name, name);
	conf_free(&c);
	name[SESSION_NAME_MAX - 1] = 'n';
	name[SESSION_NAME_MAX] = '\0';
	snprintf(text, sizeof(text), "[global]\ninterface = eth1\n[session %s]\n"
		 "user = u\npassword = p\n", name);
	assert_error(text, "t.conf:3: bad session name");
	assert_error(text, "at most 63 characters");
	/* With count the index counts too. */
	name[SESSION_NAME_MAX - 2] = '\0';
	snprintf(text, sizeof(text), "[global]\ninterface = eth1\n[session %s]\ncount = 10\n"
		 "user = u\npassword = p\n", name);
	assert_error(text, "t.conf:3: [session nnn");
	assert_error(text, "name too long with count (at most 63 characters)");
}

/* Where libinih and our line reader disagree on the section, say so. */
static void test_section_mismatch(void **state)
{
	(void)state;
	/* An indented line after a key continues its value for libinih. */
	assert_error("[global]\ninterface = eth1\n[session a]\nuser = u\npassword = p\n"
		     "  [session b]\nuser = v\npassword = q\n",
		     "t.conf:6: key 'password': the INI parser reads it as part of [session a]");
}

static void test_refuses_readable_password(void **state)
{
	static const mode_t modes[] = { 0644, 0640, 0604, 0660 };
	char want[256];
	struct conf c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		assert_int_not_equal(load("[global]\ninterface = eth1\n[session s]\nuser = u\n"
					  "password = hunter2\n", modes[i], &c), 0);
		/* The file, the line, why, and what to do. */
		snprintf(want, sizeof(want),
			 "%s/t.conf:5: the file holds a password but group or others can read it "
			 "(mode %04o); chmod 600 %s/t.conf", dir, (unsigned int)modes[i], dir);
		if (!strstr(errbuf, want))
			fail_msg("expected '%s' in error output:\n%s", want, errbuf);
		/* The password itself never appears in the output. */
		assert_null(strstr(errbuf, "hunter2"));
	}
	/* Without a password in it, the config may be readable. */
	assert_int_equal(load("[global]\ninterface = eth1\n[session s]\nuser = u\n"
			      "password_file = /dev/null\n", 0644, &c), -EINVAL);
	assert_null(strstr(errbuf, "holds a password"));
}

static void test_refuses_writable_config(void **state)
{
	static const mode_t modes[] = { 0620, 0602, 0666, 0664 };
	char want[256];
	struct conf c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		assert_int_not_equal(load("[global]\ninterface = eth1\n[session s]\nuser = u\n"
					  "password_file = /dev/null\n", modes[i], &c), 0);
		snprintf(want, sizeof(want),
			 "%s/t.conf: group or others can write the file (mode %04o), and it names "
			 "scripts run as root; chmod go-w %s/t.conf", dir, (unsigned int)modes[i], dir);
		if (!strstr(errbuf, want))
			fail_msg("expected '%s' in error output:\n%s", want, errbuf);
	}
	/* Readable is fine without a password in it; only writing is refused. */
	assert_int_not_equal(load("[global]\ninterface = eth1\n[session s]\nuser = u\n"
				  "password_file = /dev/null\n", 0644, &c), 0);
	assert_null(strstr(errbuf, "can write"));
}

static void test_password_file_modes(void **state)
{
	static const mode_t modes[] = { 0640, 0604, 0620, 0602, 0700 };
	char text[1024], pw[512], want[768];
	struct conf c;
	size_t i;

	(void)state;
	snprintf(pw, sizeof(pw), "%s", write_file("pw2", "Secret-pw\n", 0600));
	snprintf(text, sizeof(text),
		 "[global]\ninterface = eth1\n[session s]\nuser = u\npassword_file = %s\n", pw);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		chmod(pw, modes[i]);
		if (modes[i] == 0700) {
			assert_int_equal(load(text, 0600, &c), 0);
			conf_free(&c);
			continue;
		}
		assert_int_not_equal(load(text, 0600, &c), 0);
		snprintf(want, sizeof(want),
			 "t.conf:5: password_file '%s' is accessible by group or others (mode %04o); "
			 "chmod 600 it", pw, (unsigned int)modes[i]);
		if (!strstr(errbuf, want))
			fail_msg("expected '%s' in error output:\n%s", want, errbuf);
		assert_null(strstr(errbuf, "Secret-pw"));
	}
}

/* auth: a [global] default, a session's own value, and bad values */
static void test_auth_key(void **state)
{
	struct conf c;

	(void)state;
	assert_int_equal(load("[global]\ninterface = eth1\nauth = mschapv2\n"
			      "[session a]\nuser = u\npassword = p\n"
			      "[session b]\nuser = u\npassword = p\nauth = pap\n"
			      "[session c]\nuser = u\npassword = p\nauth = auto\n"
			      "[session d]\nuser = u\npassword = p\nauth = chap\n", 0600, &c), 0);
	assert_int_equal(c.nsessions, 4);
	assert_int_equal(c.sessions[0].s.ppp.auth, PPP_AUTH_MSCHAPV2);
	assert_int_equal(c.sessions[1].s.ppp.auth, PPP_AUTH_PAP);
	assert_int_equal(c.sessions[2].s.ppp.auth, PPP_AUTH_AUTO);
	assert_int_equal(c.sessions[3].s.ppp.auth, PPP_AUTH_CHAP);
	conf_free(&c);
	assert_int_equal(load("[global]\ninterface = eth1\n[session a]\nuser = u\npassword = p\n",
			      0600, &c), 0);
	assert_int_equal(c.sessions[0].s.ppp.auth, PPP_AUTH_AUTO);
	conf_free(&c);
	assert_error("[global]\ninterface = eth1\n[session s]\nuser = u\npassword = p\n"
		     "auth = eap\n", "t.conf:6: bad value 'eap' for key 'auth' in [session s] "
		     "(auto, pap, chap or mschapv2)");
	assert_error("[global]\ninterface = eth1\nauth = MSCHAPV2\n[session s]\nuser = u\n"
		     "password = p\n", "t.conf:3: bad value 'MSCHAPV2' for key 'auth' in [global]");
}

/*
 * vlan = none | ID | OUTER.INNER, vlan_tpid = 0x8100 | 0x88a8, per session or
 * as [global] defaults; bad values named with file, line, key and value.
 * One fixed MAC may dial on two VLANs, not twice on one.
 */
static void test_vlan_keys(void **state)
{
	struct conf c;
	const struct session_conf *s;

	(void)state;
	assert_int_equal(load("[global]\ninterface = eth1\nvlan = 7\nvlan_tpid = 0x88A8\n"
			      "[session a]\nuser = u\npassword = p\n"
			      "[session b]\nuser = u\npassword = p\nvlan = 100.7\n"
			      "[session c]\nuser = u\npassword = p\nvlan = 7.7\nvlan_tpid = 0x8100\n"
			      "[session d]\nuser = u\npassword = p\nvlan = none\n"
			      "[session e]\nuser = u\npassword = p\nvlan = 4094\n"
			      "mac = 02:00:00:00:00:01\n"
			      "[session f]\nuser = u\npassword = p\nvlan = 8\n"
			      "mac = 02:00:00:00:00:01\n", 0600, &c), 0);
	assert_int_equal(c.nsessions, 6);
	s = &c.sessions[0].s;
	assert_int_equal(s->vlan.ntags, 1);
	assert_int_equal(s->vlan.vid[0], 7);
	s = &c.sessions[1].s;
	assert_int_equal(s->vlan.ntags, 2);
	assert_int_equal(s->vlan.vid[0], 100);
	assert_int_equal(s->vlan.vid[1], 7);
	assert_int_equal(s->vlan.tpid, 0x88a8);
	s = &c.sessions[2].s;
	assert_int_equal(s->vlan.ntags, 2);
	assert_int_equal(s->vlan.vid[0], 7);
	assert_int_equal(s->vlan.vid[1], 7);
	assert_int_equal(s->vlan.tpid, 0x8100);
	assert_int_equal(c.sessions[3].s.vlan.ntags, 0);
	assert_int_equal(c.sessions[4].s.vlan.vid[0], 4094);
	assert_int_equal(c.sessions[5].s.vlan.vid[0], 8);
	conf_free(&c);
	/* Default: untagged, QinQ's outer TPID 0x8100. */
	assert_int_equal(load("[global]\ninterface = eth1\n[session a]\nuser = u\npassword = p\n",
			      0600, &c), 0);
	assert_int_equal(c.sessions[0].s.vlan.ntags, 0);
	assert_int_equal(c.sessions[0].s.vlan.tpid, 0x8100);
	conf_free(&c);
	assert_error("[global]\ninterface = eth1\n[session s]\nuser = u\npassword = p\n"
		     "vlan = 4095\n", "t.conf:6: bad value '4095' for key 'vlan' in [session s] "
		     "(none, a VLAN ID 1..4094, or OUTER.INNER for QinQ)");
	assert_error("[global]\ninterface = eth1\nvlan = 0\n[session s]\nuser = u\npassword = p\n",
		     "t.conf:3: bad value '0' for key 'vlan' in [global]");
	assert_error("[global]\ninterface = eth1\n[session s]\nuser = u\npassword = p\n"
		     "vlan = 1.2.3\n", "t.conf:6: bad value '1.2.3' for key 'vlan'");
	assert_error("[global]\ninterface = eth1\n[session s]\nuser = u\npassword = p\n"
		     "vlan = 7.\n", "t.conf:6: bad value '7.' for key 'vlan'");
	assert_error("[global]\ninterface = eth1\n[session s]\nuser = u\npassword = p\n"
		     "vlan = seven\n", "t.conf:6: bad value 'seven' for key 'vlan'");
	assert_error("[global]\ninterface = eth1\n[session s]\nuser = u\npassword = p\n"
		     "vlan_tpid = 0x9100\n", "t.conf:6: bad value '0x9100' for key 'vlan_tpid' in "
		     "[session s] (0x8100 or 0x88a8)");
	assert_error("[global]\ninterface = eth1\n[session a]\nuser = u\npassword = p\n"
		     "mac = 02:00:00:00:00:01\nvlan = 7\n[session b]\nuser = u\npassword = p\n"
		     "mac = 02:00:00:00:00:01\nvlan = 7\n",
		     "sessions 'b' and 'a' have the same MAC address (on the same VLAN)");
}

static void test_hook_capabilities(void **state)
{
	static const char base[] = "[global]\ninterface = eth1\n%s[session s]\nuser = u\npassword = p\n";
	char text[512];
	struct conf c;

	(void)state;
	snprintf(text, sizeof(text), base, "");
	assert_int_equal(load(text, 0600, &c), 0);
	assert_false(c.hook_caps_all); /* default: hooks get no more than the daemon */
	conf_free(&c);
	snprintf(text, sizeof(text), base, "hook_capabilities = all\n");
	assert_int_equal(load(text, 0600, &c), 0);
	assert_true(c.hook_caps_all);
	conf_free(&c);
	snprintf(text, sizeof(text), base, "hook_capabilities = net\n");
	assert_int_equal(load(text, 0600, &c), 0);
	assert_false(c.hook_caps_all);
	conf_free(&c);
	snprintf(text, sizeof(text), base, "hook_capabilities = root\n");
	assert_error(text, "t.conf:3: bad value 'root' for key 'hook_capabilities' in [global] (net or all)");
	assert_error("[global]\ninterface = eth1\n[session s]\nuser = u\npassword = p\n"
		     "hook_capabilities = all\n", "t.conf:6: unknown key 'hook_capabilities' in [session s]");
}

/* workers: default 1, auto (0) or 1..16, [global] only, restart on reload */
static void test_workers_key(void **state)
{
	static const char base[] = "[global]\ninterface = eth1\n%s[session s]\nuser = u\npassword = p\n";
	static const char *const bad[] = { "0", "17", "two", "-1", "" };
	char text[512], names[64], want[128];
	struct conf c, d;
	long cpus;
	size_t i;

	(void)state;
	snprintf(text, sizeof(text), base, "");
	assert_int_equal(load(text, 0600, &c), 0);
	assert_int_equal(c.workers, 1);
	assert_int_equal(conf_workers_resolve(&c), 1);
	conf_free(&c);

	snprintf(text, sizeof(text), base, "workers = auto\n");
	assert_int_equal(load(text, 0600, &c), 0);
	assert_int_equal(c.workers, 0);
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	assert_true(conf_workers_resolve(&c) >= 1 && conf_workers_resolve(&c) <= CONF_WORKERS_MAX);
	if (cpus >= 1)
		assert_int_equal(conf_workers_resolve(&c),
				 cpus > CONF_WORKERS_MAX ? CONF_WORKERS_MAX : cpus);
	conf_free(&c);

	snprintf(text, sizeof(text), base, "workers = 4\n");
	assert_int_equal(load(text, 0600, &c), 0);
	assert_int_equal(c.workers, 4);
	assert_int_equal(conf_workers_resolve(&c), 4);
	conf_free(&c);
	snprintf(text, sizeof(text), base, "workers = 16\n");
	assert_int_equal(load(text, 0600, &c), 0);
	assert_int_equal(conf_workers_resolve(&c), CONF_WORKERS_MAX);
	conf_free(&c);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(names, sizeof(names), "workers = %s\n", bad[i]);
		snprintf(text, sizeof(text), base, names);
		snprintf(want, sizeof(want), "t.conf:3: bad value '%s' for key 'workers' in [global] "
			 "(auto or 1..16)", bad[i]);
		assert_error(text, want);
	}
	assert_error("[global]\ninterface = eth1\n[session s]\nuser = u\npassword = p\n"
		     "workers = 2\n", "t.conf:6: unknown key 'workers' in [session s]");

	/* A reload names the change as needing a restart and keeps the running value. */
	snprintf(text, sizeof(text), base, "");
	assert_int_equal(load(text, 0600, &c), 0);
	snprintf(text, sizeof(text), base, "workers = auto\n");
	assert_int_equal(load(text, 0600, &d), 0);
	assert_int_equal(conf_restart_keys(&c, &d, CONF_RELOAD_RESTART, names, sizeof(names)), 1);
	assert_string_equal(names, "workers");
	assert_int_equal(conf_restart_keys(&c, &d, CONF_RELOAD_LIVE, NULL, 0), 0);
	assert_int_equal(conf_restart_keys(&c, &d, CONF_RELOAD_REFUSE, NULL, 0), 0);
	conf_restart_keep(&d, &c);
	assert_int_equal(d.workers, 1);
	conf_free(&d);
	conf_free(&c);
}

/* The key table is sound: one row per name, fields that fit their values,
 * and reload behaviours that match where a key may appear. */
static void test_key_table(void **state)
{
	size_t i, j, n;

	(void)state;
	assert_true(conf_nkeys >= 30);
	for (i = 0; i < conf_nkeys; i++) {
		const struct conf_key *k = &conf_keys[i];
		size_t limit = k->scope == CONF_SCOPE_GLOBAL ? sizeof(struct conf)
							       : sizeof(struct conf_session);

		assert_non_null(k->name);
		assert_ptr_equal(conf_key_find(k->name), k);
		assert_int_equal(strspn(k->name, "abcdefghijklmnopqrstuvwxyz0123456789_"), strlen(k->name));
		for (j = 0; j < i; j++)
			assert_string_not_equal(conf_keys[j].name, k->name);
		/* Every session key is part of the session: a change redials it. */
		if (k->scope == CONF_SCOPE_GLOBAL)
			assert_int_not_equal(k->reload, CONF_RELOAD_REDIAL);
		else
			assert_int_equal(k->reload, CONF_RELOAD_REDIAL);
		if (k->scope == CONF_SCOPE_SESSION) {
			assert_int_equal(k->type, CONF_T_COUNT);
			continue;
		}
		assert_true(k->size > 0 && k->off + k->size <= limit);
		switch (k->type) {
		case CONF_T_UINT:
			assert_true(k->size == 2 || k->size == 4);
			assert_true(k->min <= k->max);
			assert_true(k->max * (k->scale ? k->scale : 1) <=
				    (k->size == 2 ? 0xffffUL : 0xffffffffUL));
			break;
		case CONF_T_BOOL:
			assert_int_equal(k->size, sizeof(bool));
			break;
		case CONF_T_STR:
			assert_true(k->size > 1);
			assert_true(k->flags & CONF_F_TEXT);
			break;
		case CONF_T_ENUM:
			for (n = 0; k->names[n]; n++)
				;
			assert_true(n >= 2);
			assert_true(k->size == 4 || (k->size == sizeof(bool) && n == 2));
			break;
		case CONF_T_FUNC:
			assert_non_null(k->parse);
			break;
		case CONF_T_COUNT:
			fail_msg("count is a [session NAME] key");
		}
	}
	assert_null(conf_key_find("colour"));
	assert_non_null(conf_key_find("count"));
}

/* conf_restart_keys and conf_restart_keep: what a reload must not apply */
static void test_restart_keys(void **state)
{
	static const char sess[] = "[session s]\nuser = u\npassword = p\n";
	char text[1024], names[256], small[16];
	struct conf a, b;

	(void)state;
	snprintf(text, sizeof(text), "[global]\ninterface = eth1\n%s", sess);
	assert_int_equal(load(text, 0600, &a), 0);
	/* Same values: nothing listed. A longer interface name overwritten by a
	 * shorter one leaves bytes behind its NUL, which do not count. */
	snprintf(text, sizeof(text), "[global]\ninterface = eth1234\ninterface = eth1\n"
		 "dial_rate = 50\n%s", sess);
	assert_int_equal(load(text, 0600, &b), 0);
	strcpy(names, "junk");
	assert_int_equal(conf_restart_keys(&a, &b, CONF_RELOAD_RESTART, names, sizeof(names)), 0);
	assert_string_equal(names, "");
	assert_int_equal(conf_restart_keys(&a, &b, CONF_RELOAD_REFUSE, names, sizeof(names)), 0);
	assert_int_equal(conf_restart_keys(&a, &b, CONF_RELOAD_LIVE, NULL, 0), 0);
	conf_free(&b);

	/* Every restart key changed (state_file follows interface), plus a
	 * live one, a refused one and a session key. */
	snprintf(text, sizeof(text), "[global]\ninterface = eth2\nxdp_mode = skb\n"
		 "control_socket = /run/other.sock\nmetrics_listen = 127.0.0.1:9468\n"
		 "hook_capabilities = all\ndial_rate = 10\nroute_table_range = 1000-1999\n"
		 "mru = 1400\n%s", sess);
	assert_int_equal(load(text, 0600, &b), 0);
	assert_int_equal(conf_restart_keys(&a, &b, CONF_RELOAD_RESTART, names, sizeof(names)), 6);
	assert_string_equal(names, "interface, xdp_mode, control_socket, metrics_listen, "
				   "state_file, hook_capabilities");
	assert_int_equal(conf_restart_keys(&a, &b, CONF_RELOAD_REFUSE, names, sizeof(names)), 1);
	assert_string_equal(names, "route_table_range");
	assert_int_equal(conf_restart_keys(&a, &b, CONF_RELOAD_LIVE, names, sizeof(names)), 1);
	assert_string_equal(names, "dial_rate");
	/* Session keys are the session's business (conf_session_equal). */
	assert_int_equal(conf_restart_keys(&a, &b, CONF_RELOAD_REDIAL, names, sizeof(names)), 0);
	/* Too small: whole names only, and still the full count. */
	assert_int_equal(conf_restart_keys(&a, &b, CONF_RELOAD_RESTART, small, sizeof(small)), 6);
	assert_string_equal(small, "interface");
	assert_int_equal(conf_restart_keys(&a, &b, CONF_RELOAD_RESTART, small, 5), 6);
	assert_string_equal(small, "");
	assert_int_equal(conf_restart_keys(&a, &b, CONF_RELOAD_RESTART, NULL, 0), 6);

	/* Keeping the running values: only the live and refused ones still differ. */
	conf_restart_keep(&b, &a);
	assert_int_equal(conf_restart_keys(&a, &b, CONF_RELOAD_RESTART, names, sizeof(names)), 0);
	assert_string_equal(b.interface, "eth1");
	assert_int_equal(b.xdp_mode, CONF_XDP_AUTO);
	assert_string_equal(b.control_socket, "/run/pppoe-xdp/pppoe-xdp.sock");
	assert_string_equal(b.metrics_listen, "");
	assert_string_equal(b.state_file, "/run/pppoe-xdp/eth1.state");
	assert_false(b.hook_caps_all);
	assert_int_equal(b.dial_rate, 10);
	assert_int_equal(b.route_table_min, 1000);
	assert_int_equal(b.route_table_max, 1999);
	assert_int_equal(b.sessions[0].s.ppp.mru, 1400);
	conf_free(&b);
	conf_free(&a);
}

/* count_word - how often @word appears in @text as a whole word */
static int count_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	const char *t;
	int count = 0;

	for (t = strstr(text, word); t; t = strstr(t + 1, word))
		if ((t == text || !(isalnum((unsigned char)t[-1]) || t[-1] == '_')) &&
		    !(isalnum((unsigned char)t[n]) || t[n] == '_'))
			count++;
	return count;
}

/* --help lists every key of the table, once */
static void test_usage_lists_every_key(void **state)
{
	char *text = NULL, *line, *word, *sp, *wp;
	size_t len = 0, i, keys = 0;
	FILE *f;

	(void)state;
	f = open_memstream(&text, &len);
	assert_non_null(f);
	conf_keys_usage(f);
	fclose(f);
	for (i = 0; i < conf_nkeys; i++)
		if (count_word(text, conf_keys[i].name) != 1)
			fail_msg("key '%s' not listed once by conf_keys_usage:\n%s",
				 conf_keys[i].name, text);
	/* The lines that list keys (indented by 4) list nothing else. */
	for (line = strtok_r(text, "\n", &sp); line; line = strtok_r(NULL, "\n", &sp)) {
		if (strncmp(line, "    ", 4))
			continue;
		for (word = strtok_r(line, " ", &wp); word; word = strtok_r(NULL, " ", &wp))
			if (!conf_key_find(word))
				fail_msg("conf_keys_usage lists '%s', not a key", word);
		keys++;
	}
	assert_true(keys >= 3);
	free(text);
}

static const char *const scope_names[] = {
	[CONF_SCOPE_GLOBAL] = "global",
	[CONF_SCOPE_SESSION] = "session only",
	[CONF_SCOPE_BOTH] = "session",
};
static const char *const reload_names[] = {
	[CONF_RELOAD_LIVE] = "live",
	[CONF_RELOAD_REDIAL] = "redial",
	[CONF_RELOAD_RESTART] = "restart",
	[CONF_RELOAD_REFUSE] = "refused",
};

/* trim - @s without its leading and trailing blanks (in place) */
static char *trim(char *s)
{
	char *e;

	while (*s == ' ')
		s++;
	for (e = s + strlen(s); e > s && (e[-1] == ' ' || e[-1] == '\n'); e--)
		;
	*e = '\0';
	return s;
}

/*
 * check_default - setting @k to the default README.md gives it changes
 * nothing: the documented default is the real one
 */
static void check_default(const struct conf_key *k, const char *def)
{
	static const char base[] = "[global]\ninterface = eth1\n%s[session s]\nuser = u\n"
				   "password = p\n%s";
	char text[512], line[256];
	struct conf a, b;
	bool same;

	snprintf(line, sizeof(line), "%s = %s\n", k->name, def);
	snprintf(text, sizeof(text), base, "", "");
	assert_int_equal(load(text, 0600, &a), 0);
	if (k->scope == CONF_SCOPE_GLOBAL)
		snprintf(text, sizeof(text), base, line, "");
	else
		snprintf(text, sizeof(text), base, "", line);
	if (load(text, 0600, &b))
		fail_msg("README.md: default '%s' of key '%s' is refused:\n%s", def, k->name,
			 errbuf);
	if (k->scope == CONF_SCOPE_GLOBAL)
		same = k->flags & CONF_F_TEXT ?
			!strcmp((char *)&a + k->off, (char *)&b + k->off) :
			!memcmp((char *)&a + k->off, (char *)&b + k->off, k->size);
	else
		same = conf_session_equal(&a.sessions[0], &b.sessions[0]);
	/* Discovery's defaults are discovery's (pppoe/discovery.c): the config
	 * leaves them 0 unless set. */
	if (!same && (!strcmp(k->name, "padi_timeout") || !strcmp(k->name, "padi_attempts"))) {
		unsigned int zero = 0;

		same = !memcmp((char *)&a.sessions[0] + k->off, &zero, k->size);
	}
	if (!same)
		fail_msg("README.md: key '%s' = %s is not the default", k->name, def);
	conf_free(&a);
	conf_free(&b);
}

/*
 * README.md's key reference ("## Configuration") has a row for every key of
 * the table and none other, with the table's scope and reload behaviour,
 * and a default that is the real one where it gives a value.
 * (tests/unit/test_config_doc.sh checks the names of --help and
 * conf/example.conf.)
 */
static void test_readme_keys(void **state)
{
	bool seen[64] = { false };
	char buf[1024], *cell[6], *p;
	bool in = false;
	size_t i, n;
	FILE *f;

	(void)state;
	assert_true(conf_nkeys <= sizeof(seen) / sizeof(seen[0]));
	f = fopen("README.md", "r");
	if (!f)
		fail_msg("README.md: %s (run from the top of the tree, as make check does)",
			 strerror(errno));
	while (fgets(buf, sizeof(buf), f)) {
		const struct conf_key *k;

		if (!strncmp(buf, "## ", 3))
			in = !strcmp(trim(buf), "## Configuration");
		if (!in || strncmp(buf, "| `", 3))
			continue;
		for (n = 0, p = buf; n < 6 && (p = strchr(p, '|')); p++)
			cell[n++] = p + 1;
		assert_int_equal(n, 6);
		for (i = 0; i < 5; i++)
			*strchr(cell[i], '|') = '\0';
		for (i = 0; i < 5; i++)
			cell[i] = trim(cell[i]);
		assert_true(strlen(cell[0]) > 2);
		cell[0][strlen(cell[0]) - 1] = '\0';
		k = conf_key_find(cell[0] + 1);
		if (!k)
			fail_msg("README.md names key '%s', which the key table lacks", cell[0] + 1);
		if (seen[k - conf_keys])
			fail_msg("README.md: key '%s' twice", k->name);
		seen[k - conf_keys] = true;
		if (strcmp(cell[1], scope_names[k->scope]))
			fail_msg("README.md: key '%s' is in '%s', not '%s'", k->name, cell[1],
				 scope_names[k->scope]);
		if (strcmp(cell[3], reload_names[k->reload]))
			fail_msg("README.md: key '%s': reload is '%s', not '%s'", k->name, cell[3],
				 reload_names[k->reload]);
		/* A default in one code span is a value: check it. */
		n = strlen(cell[2]);
		if (n > 2 && cell[2][0] == '`' && cell[2][n - 1] == '`' &&
		    !memchr(cell[2] + 1, '`', n - 2)) {
			cell[2][n - 1] = '\0';
			check_default(k, cell[2] + 1);
		}
	}
	fclose(f);
	for (i = 0; i < conf_nkeys; i++)
		if (!seen[i])
			fail_msg("README.md lacks key '%s' in its reference (## Configuration)",
				 conf_keys[i].name);
}

static void test_missing_file(void **state)
{
	struct conf c;

	(void)state;
	assert_int_equal(conf_load("/nonexistent/pppoe.conf", &c, false), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_global_defaults_and_overrides),
		cmocka_unit_test(test_mtu_ac_mac_keys),
		cmocka_unit_test(test_count_expands_sessions),
		cmocka_unit_test(test_setup_and_liveness_keys),
		cmocka_unit_test(test_password_file),
		cmocka_unit_test(test_errors_name_file_line_key),
		cmocka_unit_test(test_long_session_names),
		cmocka_unit_test(test_section_mismatch),
		cmocka_unit_test(test_refuses_readable_password),
		cmocka_unit_test(test_refuses_writable_config),
		cmocka_unit_test(test_password_file_modes),
		cmocka_unit_test(test_auth_key),
		cmocka_unit_test(test_vlan_keys),
		cmocka_unit_test(test_hook_capabilities),
		cmocka_unit_test(test_workers_key),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_key_table),
		cmocka_unit_test(test_restart_keys),
		cmocka_unit_test(test_usage_lists_every_key),
		cmocka_unit_test(test_readme_keys),
	};

	return cmocka_run_group_tests_name("config", tests, setup, teardown);
}
