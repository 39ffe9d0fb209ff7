#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Seed corpus for fuzz_config: valid configs and one input per kind of
mistake the parser must report (regenerate with this script)."""
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "config")
G = "[global]\ninterface = eth1\n"
S = "[session s]\nuser = u\npassword = p\n"
SEEDS = {
    "minimal": G + S,
    "full": G + "xdp_mode = skb\ndial_rate = 0\nroute_table_range = 1000-1999\n"
    "control_socket = /run/x.sock\nmetrics_listen = 127.0.0.1:9468\n"
    "[session line]\ncount = 8\nuser = line%d@isp\npassword = p%%\nifname = ppx%d\n"
    "route_table = auto\ndefaultroute = yes\nmac = auto\nmru = 1400\n",
    "count_big": G + "[session a]\ncount = 65535\nuser = u%d\npassword = p\nifname = a%d\n",
    "count_zero": G + "[session a]\ncount = 0\nuser = u\npassword = p\n",
    "dup_ifname": G + S + "ifname = x\n[session t]\nuser = u\npassword = p\nifname = x\n",
    "dup_section": G + S + S,
    "unknown_key": G + S + "colour = blue\n",
    "bad_number": G + S + "mru = 99999999999999999999\n",
    "bad_mac": G + S + "mac = 01:02:03:04:05\n",
    "bad_range": G + "route_table_range = 9-3\n" + S,
    "no_section_end": G + "[session s\nuser = u\n",
    "key_outside": "user = u\n" + G + S,
    "long_line": G + S + "service = " + "x" * 400 + "\n",
    "long_name": G + "[session " + "n" * 80 + "]\nuser = u\npassword = p\n",
    "percent_tail": G + "[session a]\ncount = 2\nuser = u%\npassword = p\nifname = i%d\n",
    "binary": G + S + "service = \x01\x02\xff\n",
    "empty": "",
    "script_relative": G + S + "up_script = up.sh\n",
    "password_file_missing": G + "[session s]\nuser = u\npassword_file = /nonexistent\n",
    "auth": G + "auth = mschapv2\n" + S + "auth = pap\n[session t]\nuser = u\npassword = p\n",
    "bad_auth": G + S + "auth = eap\n",
    "mtu_ac_mac": G + "mtu = 1500\nac_mac = 00:11:22:33:44:55\n" + S + "ac_mac = any\nmru = 1700\n",
    "bad_mtu": G + S + "mtu = 1701\nac_mac = 01:00:00:00:00:01\n",
}

# One input per hostile case of issue 5 that a config file can have.
BIG = "v" * 5000
SEEDS.update({
    "case_truncated": (G + S)[:-9],
    "case_truncated_section": G + "[sess",
    "case_oversize_user": G + "[session s]\nuser = " + BIG + "\npassword = p\n",
    "case_oversize_password": G + "[session s]\nuser = u\npassword = " + BIG + "\n",
    "case_oversize_service": G + S + "service = " + BIG + "\n",
    "case_oversize_ac_name": G + S + "ac_name = " + BIG + "\n",
    "case_oversize_ifname": G + S + "ifname = " + "i" * 40 + "\n",
    "case_wrong_mac": G + S + "mac = 02:00:5e:00:00:0g\n",
    "case_mac_too_long": G + S + "mac = 02:00:5e:00:00:01:02\n",
    "case_count_len_zero": G + "[session a]\ncount = \nuser = u%d\npassword = p\n",
    "case_nul_bytes": G + "[session s]\nuser = u\0x\npassword = p\n",
})

os.makedirs(OUT, exist_ok=True)
for name, text in SEEDS.items():
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(text.encode("latin-1"))
