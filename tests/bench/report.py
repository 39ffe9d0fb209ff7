#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""report.py - `make bench`'s table, JSON and plot from the "KEY VALUE" lines
the bench scripts wrote.

    report.py RESULTS JSON_OUT PNG_OUT

Prints one table, `figure | ours | in-run ceiling | ratio` (ratio = ours /
ceiling: for rates higher is better, for times and CPU per packet lower
is; TUN->wire rates as they left the client's veth, wire->TUN as the
application on the TUN received them; "vs" rows: what reached the
application at the far end against the kernel's veth and the test AC
alone, and the rate judged against the mechanism in the daemon's seat),
writes the same rows and every raw figure as JSON, and plots UDP
throughput against payload size (ours and the ceilings) when matplotlib is
there (says so and goes on when it is not).
"""
import json
import sys

DIRS = [("up", "TUN→wire"), ("down", "wire→TUN"), ("both", "both at once")]
SETUP = [
    ("setup.sessions", "setup: sessions", ""),
    ("setup.t50_ms", "setup: time to 50 % up", "ms"),
    ("setup.t90_ms", "setup: time to 90 % up", "ms"),
    ("setup.t100_ms", "setup: time to 100 % up", "ms"),
    ("setup.dial_ms", "setup: first PADS to all up", "ms"),
    ("setup.xsk_drop", "setup: frames dropped before the XSK ring", ""),
    ("setup.idle_cpu_pct", "idle: CPU (% of a core)", "%"),
    ("setup.idle_wakeups", "idle: wakeups (voluntary csw/s)", "/s"),
    ("setup.rss_kb", "memory: RSS", "kB"),
    ("setup.kill_ms", "restart: SIGKILL to process gone", "ms"),
    ("setup.resumed", "restart: sessions resumed and confirmed", ""),
    ("setup.traffic_ms", "restart: start to every TUN answering", "ms"),
    ("setup.resume_dials", "restart: dials after the start", ""),
    ("setup.stop_ms", "SIGTERM to exit", "ms"),
]


def load(path):
    raw = {}
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split(" ", 1)
            if len(parts) == 2 and parts[1] != "":
                v = parts[1]
                try:
                    v = float(v) if "." in v or "e" in v else int(v)
                except ValueError:
                    pass
                raw[parts[0]] = v
    return raw


def num(raw, key):
    v = raw.get(key)
    return v if isinstance(v, (int, float)) else None


def udp(raw, kind, d, size, what="recv_pps"):
    """delivered (or sent) pps of one figure; both = the two directions' sum"""
    if d == "both":
        a = num(raw, f"udp.{kind}.both.{size}.up.{what}")
        b = num(raw, f"udp.{kind}.both.{size}.down.{what}")
        return a + b if a is not None and b is not None else None
    return num(raw, f"udp.{kind}.{d}.{size}.{d}.{what}")


def moved(raw, kind, d, size):
    """the rate a figure is judged by: TUN->wire as it left cl0 (the
    mechanism's is counted there too; what then crossed the test AC is
    shown beside it), wire->TUN as the application on the TUN got it"""
    up = num(raw, f"udp.{kind}.{d}.{size}.up.wire_pps") if d != "down" else None
    if kind in ("veth", "acsim") or up is None:
        return udp(raw, kind, d, size)
    if d == "up":
        return up
    dn = num(raw, f"udp.{kind}.both.{size}.down.recv_pps")
    return up + dn if dn is not None else None


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def fmt(v, digits=0):
    if v is None:
        return "n/a"
    if isinstance(v, str):
        return v
    return f"{v:,.{digits}f}"


def kpps(v):
    return None if v is None else v / 1000


def rows_of(raw):
    rows = []
    n = raw.get("meta.sessions", 100)
    sizes = sorted({int(k.split(".")[3]) for k in raw if k.startswith("udp.ours1.")})

    def add(figure, ours, ceiling, kind, unit, ours_text=None, r=None):
        rows.append({
            "figure": figure, "unit": unit, "ours": ours, "ceiling": ceiling,
            "ceiling_kind": kind,
            "ratio": r if r is not None else ratio(ours, ceiling),
            "ours_text": ours_text if ours_text is not None else fmt(ours),
            "ceiling_text": f"{fmt(ceiling, 2 if unit == 'Gbit/s' else 0)} {kind}",
        })

    for size in sizes:
        for d, dl in DIRS:
            for kind, who in (("ours1", "1 session"), (f"ours{n}", f"{n} sessions")):
                got, sent = kpps(moved(raw, kind, d, size)), kpps(udp(raw, kind, d, size, "sent_pps"))
                app = kpps(udp(raw, kind, d, size))
                loss = max(0.0, 1 - app / sent) if app is not None and sent else None
                text = f"{fmt(got)} (sent {fmt(sent)}"
                if d != "down":
                    text += f", through the AC {fmt(app)}"
                text += f", {fmt(loss * 100 if loss is not None else None)} % lost end to end)"
                add(f"UDP {size} B {dl}, {who} (kpps)", got,
                    kpps(moved(raw, "mech", d, size)), "mechanism", "kpps", text)
            got1 = kpps(udp(raw, "ours1", d, size))
            add(f"  {size} B {dl}, 1 session vs kernel UDP on the veth", got1,
                kpps(udp(raw, "veth", d, size)), "veth", "kpps")
            add(f"  {size} B {dl}, 1 session vs the test AC alone", got1,
                kpps(udp(raw, "acsim", d, size)), "test AC", "kpps")
            # The mechanism with the daemon's far end (ceiling (d) in
            # datapath.sh): the rate each figure is judged by, both sides.
            add(f"  {size} B {dl}, 1 session vs the mechanism into the test AC",
                kpps(moved(raw, "ours1", d, size)), kpps(moved(raw, "mechac", d, size)),
                "mechanism + test AC", "kpps")
            c1, cn = num(raw, f"udp.ours1.{d}.{size}.cpu_ns"), num(raw, f"udp.ours{n}.{d}.{size}.cpu_ns")
            add(f"  {size} B {dl}, daemon CPU per packet, 1 / {n} sessions (ns)", c1,
                num(raw, f"udp.mech.{d}.{size}.cpu_ns"), "xsk-tunfwd", "ns",
                f"{fmt(c1)} / {fmt(cn)}")
    # Every core used: the NS-session figures again with workers = W, held
    # against the same figures with one data path (the target: 1.7x).
    wk = raw.get("meta.workers")
    if isinstance(wk, int) and wk > 1:
        for size in sizes:
            for d, dl in DIRS:
                got, one = kpps(moved(raw, f"ours{n}w", d, size)), kpps(moved(raw, f"ours{n}", d, size))
                add(f"UDP {size} B {dl}, {n} sessions, workers = {wk} (kpps)", got, one,
                    "1 worker", "kpps")
            c1, cw = num(raw, f"udp.ours{n}.both.{size}.cpu_ns"), num(raw, f"udp.ours{n}w.both.{size}.cpu_ns")
            add(f"  {size} B both ways, daemon CPU per packet, workers = {wk} (ns)", cw, c1,
                "1 worker", "ns")
    cores = raw.get("meta.cores")
    for suffix, who in (("", "1 worker"), ("w", f"workers = {wk}")):
        cpu = [v for k, v in raw.items() if k.startswith(f"udp.ours{n}{suffix}.")
               and k.endswith(".daemon_cpu_pct") and isinstance(v, (int, float))]
        if not cpu and suffix:
            continue
        add(f"daemon CPU, busiest {n}-session UDP window, {who} (% of one core)",
            max(cpu) if cpu else None, 100 * cores if isinstance(cores, int) else None,
            f"({cores} cores)", "%")
    drops = num(raw, "meta.xsk_rx_dropped")
    add("frames the kernel dropped before the AF_XDP RX ring, data path part", drops, None, "-", "")
    rows[-1]["ceiling_text"] = "-"
    for d, dl in (("up", "client→AC"), ("down", "AC→client")):
        ours = num(raw, f"tcp.ours.{d}.gbps")
        add(f"TCP one session {dl} (Gbit/s)", ours, num(raw, f"tcp.veth.{d}.gbps"), "veth",
            "Gbit/s", fmt(ours, 2))
        # The peer's ceiling: the test AC alone moving 1400-byte datagrams
        # that way (client->AC is its AF_PACKET->TUN direction).
        ac = udp(raw, "acsim", d, 1400)
        ac = ac * 1400 * 8 / 1e9 if ac is not None else None
        rows[-1]["peer_gbps"] = ac
        add(f"  TCP {dl} vs the test AC alone (1400 B UDP, Gbit/s)", ours, ac, "test AC",
            "Gbit/s", fmt(ours, 2))
        rows[-1]["ceiling_text"] = f"{fmt(ac, 2)} test AC"
    for load, ll in (("idle", "idle"), ("load", "under UDP load")):
        for p in ("p50", "p99"):
            add(f"ping RTT {p} {ll} (µs)", num(raw, f"lat.ours.{load}.{p}_us"),
                num(raw, f"lat.veth.{load}.{p}_us"), "veth", "µs")
    for load, ll in (("idle", "idle"), ("load", "under UDP load (max)")):
        v = num(raw, f"echo.{load}_us")
        add(f"LCP echo RTT {ll} (µs; 1 ms resolution)", v, None, "-", "µs",
            "<1000" if v == 0 else fmt(v))
        rows[-1]["ceiling_text"] = "-"
    for key, label, unit in SETUP:
        if key in raw:
            v = raw[key]
            add(f"{label}" + (f" ({unit})" if unit else ""), v if isinstance(v, (int, float)) else None,
                None, "-", unit, fmt(v, 2 if isinstance(v, float) else 0))
            rows[-1]["ceiling_text"] = "-"
    return rows


def table(rows):
    out = ["| figure | ours | in-run ceiling | ratio |", "|---|---|---|---|"]
    for r in rows:
        rt = f"{r['ratio']:.2f}" if r["ratio"] is not None else "-"
        out.append(f"| {r['figure']} | {r['ours_text']} | {r['ceiling_text']} | {rt} |")
    return "\n".join(out)


def plot(raw, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("bench: matplotlib missing (python3-matplotlib, make deps): no plot", file=sys.stderr)
        return False
    n = raw.get("meta.sessions", 100)
    sizes = sorted({int(k.split(".")[3]) for k in raw if k.startswith("udp.ours1.")})
    series = [("ours1", "pppoe-xdp, 1 session", "C0", "-"),
              (f"ours{n}", f"pppoe-xdp, {n} sessions", "C1", "-"),
              ("mech", "mechanism (xsk-tunfwd)", "C2", "--"),
              ("veth", "kernel UDP, plain veth", "C3", "--"),
              ("acsim", "test AC alone", "C4", ":"),
              ("mechac", "mechanism into the test AC", "C5", ":")]
    fig, axes = plt.subplots(2, 3, figsize=(14, 8), sharex=True)
    for col, (d, dl) in enumerate(DIRS):
        for kind, label, color, ls in series:
            pps = [moved(raw, kind, d, s) for s in sizes]
            xs = [s for s, p in zip(sizes, pps) if p is not None]
            ys = [p for p in pps if p is not None]
            if not xs:
                continue
            axes[0][col].plot(xs, [y / 1000 for y in ys], ls, color=color, marker="o", label=label)
            axes[1][col].plot(xs, [y * s * 8 / 1e9 for y, s in zip(ys, xs)], ls, color=color,
                              marker="o", label=label)
        axes[0][col].set_title(f"UDP {dl}")
        axes[0][col].set_ylabel("kpps")
        axes[1][col].set_ylabel("Gbit/s of UDP payload")
        axes[1][col].set_xlabel("UDP payload (bytes)")
        for r in (0, 1):
            axes[r][col].set_ylim(bottom=0)
            axes[r][col].grid(True, alpha=0.3)
    axes[0][0].legend(fontsize=8)
    fig.suptitle(f"pppoe-xdp data path, {raw.get('meta.date', '')}, "
                 f"{raw.get('meta.cores', '?')} cores, {raw.get('meta.window_s', '?')} s windows")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    return True


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    raw = load(sys.argv[1])
    rows = rows_of(raw)
    print(table(rows))
    meta = {k[5:]: v for k, v in raw.items() if k.startswith("meta.")}
    with open(sys.argv[2], "w") as f:
        json.dump({"meta": meta, "rows": rows, "raw": raw}, f, indent=1, ensure_ascii=False)
    print(f"bench: wrote {sys.argv[2]}")
    if plot(raw, sys.argv[3]):
        print(f"bench: wrote {sys.argv[3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
