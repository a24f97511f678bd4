#!/usr/bin/env python3
"""Server benchmark: Trapezoid against Kamailio, driven by the same SIPp scenarios on loopback.

Run by hand (not in CI), on a quiet machine, from the repository root:

    python3 bench/server/compare.py --trapezoid build/release/apps/trapezoid/trapezoid

For each round it starts each server in turn (the order alternates between rounds), and measures
(a) REGISTER of distinct users and (b) full calls (INVITE/100/180/200/ACK, 200 ms hold, BYE/200)
through the record-routing stateful proxy to a registered SIPp UAS. The server's CPU time is read
from /proc before and after (every thread and child process of the server), so the figure is
CPU microseconds per operation. Memory per registration is the RSS growth over --rss-users
registrations. Medians over the rounds are printed as a Markdown table, with the ratios; only
ratios from one run mean anything on a shared machine.

With --warmup S each server first carries calls at the measured rate for S seconds, so the
measured calls run in a steady state: a finished transaction's memory is reused once its 32 s
are over, where a short run from a fresh start touches a new page for much of every call (on a
virtual machine a page fault can cost more than the rest of a message's work).

With --max-rate it also searches, for each server and each scenario, the highest rate at which
a run of --search-seconds completes every operation with none failed: the rate grows by half
from --search-start until a run fails, falls short of the rate asked (SIPp itself at its limit)
or reaches the cap, then the gap is bisected --search-steps times.

With --floor it also measures both scenarios through udp_relay_floor.c (server "udp-relay
floor"): one recvfrom() and one sendto() per message and no SIP processing, the kernel's share
that no one-wake-up-per-message server can go below. Its 200 to a REGISTER is canned (nothing
is stored), so it has no RSS figure; the summary gives each server's CPU per REGISTER and per
call over the floor's.

With --floor-uring it also measures the same relay over io_uring (server "io_uring relay
floor", udp_relay_floor.c built with liburing, Debian liburing-dev): a multishot receive that
needs no system call and one io_uring_submit_and_wait() per wake-up. Were system calls what a
message costs, this floor would be lower; on loopback the wake-ups and the delivery dominate.
"""

import argparse
import csv
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCENARIOS = os.path.join(ROOT, "tests", "server", "sipp")
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def group_pids(pgid):
    """Every live process in process group `pgid` (the server and its children)."""
    pids = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # field 5 (pgrp) is index 2 after the command
            pids.append(int(name))
    return pids


def cpu_seconds(pgid):
    """User + system CPU of the group: every thread of every process, and reaped children."""
    total = 0
    for pid in group_pids(pgid):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime, stime, cutime, cstime are fields 14-17: indexes 11-14 after the command.
        total += sum(int(x) for x in fields[11:15])
    return total / TICKS


def rss_bytes(pgid):
    total = 0
    for pid in group_pids(pgid):
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * PAGE
        except OSError:
            continue
    return total


class Server:
    def __init__(self, name, argv, port, workdir):
        self.name, self.argv, self.port, self.workdir = name, argv, port, workdir
        self.proc = None

    def start(self):
        log = open(os.path.join(self.workdir, f"{self.name}.log"), "w")
        self.proc = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True, cwd=self.workdir)
        deadline = time.time() + 15
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start; see {log.name}")
            if self.answers_options():
                time.sleep(0.3)  # let every worker/child finish starting
                return
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not answer on port {self.port}")

    def answers_options(self):
        r = subprocess.run(["sipp", f"127.0.0.1:{self.port}", "-sf",
                            os.path.join(SCENARIOS, "options_ping.xml"), "-m", "1", "-i", "127.0.0.1",
                            "-p", "0", "-timeout", "1s", "-timeout_error", "-nostdin"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return r.returncode == 0

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def cpu(self):
        return cpu_seconds(self.proc.pid)

    def rss(self):
        return rss_bytes(self.proc.pid)


def sipp(server, scenario, count, rate, workdir, extra=(), port=0, background=False, with_rate=False):
    """Runs SIPp; returns (successful, failed) calls from its statistics file, and the rate at
    which it started them when `with_rate`."""
    stats = os.path.join(workdir, f"sipp-{os.path.basename(scenario)}-{time.time_ns()}.csv")
    argv = ["sipp", f"127.0.0.1:{server.port}", "-sf", os.path.join(SCENARIOS, scenario),
            "-i", "127.0.0.1", "-p", str(port), "-nostdin", "-timeout", "120s",
            "-trace_stat", "-stf", stats, "-fd", "1", "-max_socket", "4096"]
    if count:
        argv += ["-m", str(count)]
    if rate:
        argv += ["-r", str(rate), "-l", str(max(100, rate * 2))]
    argv += list(extra)
    if background:
        return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True, cwd=workdir)
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=workdir)
    return sipp_stats(stats) if with_rate else sipp_counts(stats)


def sipp_stats(stats):
    """(successful, failed, calls started per second) from SIPp's statistics file."""
    try:
        with open(stats) as f:
            rows = list(csv.reader(f, delimiter=";"))
    except OSError:
        return 0, 0, 0.0
    if len(rows) < 2:
        return 0, 0, 0.0
    head, last = rows[0], rows[-1]
    ok = int(last[head.index("SuccessfulCall(C)")])
    failed = int(last[head.index("FailedCall(C)")])
    rate = float(last[head.index("CallRate(C)")])
    return ok, failed, rate


def sipp_counts(stats):
    ok, failed, _ = sipp_stats(stats)
    return ok, failed


def measure_registers(server, users, rate, workdir):
    before = server.cpu()
    ok, failed = sipp(server, "register_users.xml", users, rate, workdir)
    used = server.cpu() - before
    return {"ok": ok, "failed": failed, "us_per_op": used * 1e6 / max(ok, 1)}


def measure_calls(server, calls, rate, workdir, uas_port, warmup=0.0):
    reg_ok, _ = sipp(server, "register_contact.xml", 1, 0, workdir,
                     ["-set", "user", "bob", "-set", "contact_port", str(uas_port), "-set", "q", "1.0"])
    if reg_ok != 1:
        raise RuntimeError(f"{server.name}: the UAS could not register")
    uas = sipp(server, "uas_answer.xml", 0, 0, workdir, port=uas_port, background=True)
    time.sleep(0.5)
    try:
        if warmup > 0:
            # Steady state: a server's memory for a call's transactions is freed 32 s later
            # (Timers J, L, M = 64*T1), so a run longer than that, at the same rate, leaves the
            # measured calls reusing memory instead of touching new pages.
            sipp(server, "uac_call.xml", max(1, int(rate * warmup)), rate, workdir, ["-set", "callee", "bob"])
        before = server.cpu()
        ok, failed = sipp(server, "uac_call.xml", calls, rate, workdir, ["-set", "callee", "bob"])
        used = server.cpu() - before
    finally:
        os.killpg(uas.pid, signal.SIGKILL)
        uas.wait()
    return {"ok": ok, "failed": failed, "us_per_op": used * 1e6 / max(ok, 1)}


def run_at_rate(server, scenario, rate, seconds, workdir, extra=()):
    """One SIPp run of `seconds` worth of operations at `rate`: (clean, achieved rate), clean when
    every operation completed and none failed."""
    count = max(1, int(rate * seconds))
    ok, failed, started = sipp(server, scenario, count, rate, workdir, extra, with_rate=True)
    print(f"  {server.name} {scenario} at {rate}/s: {ok} ok, {failed} failed, SIPp rate {started:.0f}/s",
          file=sys.stderr)
    # SIPp's rate is over its whole run, the last calls' hold and teardown included: scaled to
    # the time spent starting calls, allowing one second for that tail.
    return ok == count and failed == 0, started * (seconds + 1.0) / seconds


def highest_clean_rate(run, start, cap, steps):
    """The highest rate at which run(rate) -> (clean, achieved) stays clean and keeps up (at least
    90% of the rate asked). Returns (rate, limited_by), limited_by naming what stopped the climb."""
    good, bad, why = 0, None, "cap"
    rate = start
    while rate <= cap:
        clean, achieved = run(rate)
        if not clean:
            bad, why = rate, "failures"
            break
        if achieved < 0.9 * rate:
            bad, why = rate, "rate not reached"
            break
        good = rate
        rate = int(rate * 1.5) + 1
    if bad is None:
        return good, why
    for _ in range(steps):
        mid = (good + bad) // 2
        if mid <= good:
            break
        clean, achieved = run(mid)
        if clean and achieved >= 0.9 * mid:
            good = mid
        else:
            bad = mid
    return good, why


def search_register_rate(server, args, workdir):
    return highest_clean_rate(
        lambda rate: run_at_rate(server, "register_users.xml", rate, args.search_seconds, workdir),
        args.search_start, args.register_rate_cap, args.search_steps)


def search_call_rate(server, args, workdir):
    reg_ok, _ = sipp(server, "register_contact.xml", 1, 0, workdir,
                     ["-set", "user", "bob", "-set", "contact_port", str(args.uas_port), "-set", "q", "1.0"])
    if reg_ok != 1:
        raise RuntimeError(f"{server.name}: the UAS could not register")
    uas = sipp(server, "uas_answer.xml", 0, 0, workdir, port=args.uas_port, background=True)
    time.sleep(0.5)
    try:
        return highest_clean_rate(
            lambda rate: run_at_rate(server, "uac_call.xml", rate, args.search_seconds, workdir,
                                     ["-set", "callee", "bob"]),
            max(10, args.search_start // 5), args.call_rate_cap, args.search_steps)
    finally:
        os.killpg(uas.pid, signal.SIGKILL)
        uas.wait()


def measure_rss(server, users, workdir, settle):
    """RSS growth per registration: right after the load, and `settle` seconds later, when the
    REGISTER transactions have ended (a UDP server transaction absorbs retransmissions for
    Timer J = 64*T1 = 32 s, RFC 3261 §17.2.2) and only the bindings remain."""
    before = server.rss()
    ok, _ = sipp(server, "register_users.xml", users, 4000, workdir)
    loaded = (server.rss() - before) / max(ok, 1)
    time.sleep(settle)
    return loaded, (server.rss() - before) / max(ok, 1)


FLOOR = "udp-relay floor"
FLOOR_URING = "io_uring relay floor"
FLOORS = (FLOOR, FLOOR_URING)


def floor_binary(path, workdir, io_uring=False):
    """The floor relay: `path` if given, else bench/server/udp_relay_floor.c compiled into
    `workdir` (with its io_uring loop and liburing when `io_uring`)."""
    if path:
        return os.path.abspath(path)
    binary = os.path.join(workdir, "udp_relay_floor_uring" if io_uring else "udp_relay_floor")
    extra = (["-DFLOOR_IO_URING"], ["-luring"]) if io_uring else ([], [])
    subprocess.run([os.environ.get("CC", "cc"), "-O2", "-Wall", "-Wextra", *extra[0], "-o", binary,
                    os.path.join(HERE, "udp_relay_floor.c"), *extra[1]], check=True)
    return binary


def make_servers(args, workdir):
    servers = {}
    if args.floor is not None:
        argv = [floor_binary(args.floor, workdir), str(args.floor_port), str(args.uas_port)]
        servers[FLOOR] = Server(FLOOR, argv, args.floor_port, workdir)
    if args.floor_uring:
        argv = [floor_binary(None, workdir, io_uring=True), "--io-uring", str(args.floor_uring_port),
                str(args.uas_port)]
        servers[FLOOR_URING] = Server(FLOOR_URING, argv, args.floor_uring_port, workdir)
    if args.kamailio:
        cfg = os.path.join(workdir, "kamailio.cfg")
        with open(os.path.join(HERE, "kamailio.cfg")) as f:
            text = f.read().replace("CHILDREN", str(args.kamailio_children))
        with open(cfg, "w") as f:
            f.write(text.replace("LISTEN_PORT", str(args.kamailio_port)))
        servers["kamailio"] = Server("kamailio", [args.kamailio, "-f", cfg, "-DD", "-E", "-m",
                                                  str(args.kamailio_shm), "-M", "16", "-x", "tlsf",
                                                  "-Y", workdir, "-P", os.path.join(workdir, "k.pid")],
                                     args.kamailio_port, workdir)
    if args.trapezoid:
        data = os.path.join(workdir, "trapezoid-data")
        argv = [os.path.abspath(args.trapezoid), "serve", "--listen", f"udp:127.0.0.1:{args.trapezoid_port}",
                "--listen", f"tcp:127.0.0.1:{args.trapezoid_port}", "--data-dir", data,
                "--log-level", "warning"]
        if args.trapezoid_workers:
            argv += ["--workers", str(args.trapezoid_workers)]
        servers["trapezoid"] = Server("trapezoid", argv, args.trapezoid_port, workdir)
    return servers


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--trapezoid", help="path of the trapezoid binary (Release build)")
    p.add_argument("--trapezoid-port", type=int, default=5080)
    p.add_argument("--trapezoid-workers", type=int, default=0)
    p.add_argument("--kamailio", default=shutil.which("kamailio") or "/usr/sbin/kamailio")
    p.add_argument("--kamailio-port", type=int, default=5090)
    p.add_argument("--kamailio-children", type=int, default=1)
    p.add_argument("--kamailio-shm", type=int, default=512, help="shared memory, MiB")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--registers", type=int, default=20000)
    p.add_argument("--register-rate", type=int, default=2000)
    p.add_argument("--calls", type=int, default=3000)
    p.add_argument("--call-rate", type=int, default=300)
    p.add_argument("--rss-users", type=int, default=100000)
    p.add_argument("--rss-settle", type=int, default=35, help="seconds to wait before the second RSS reading")
    p.add_argument("--uas-port", type=int, default=5095)
    p.add_argument("--floor", nargs="?", const="", metavar="PATH",
                   help="also measure calls through the UDP relay floor: PATH of a built "
                        "udp_relay_floor, or without PATH bench/server/udp_relay_floor.c is "
                        "compiled with cc -O2 into the temporary directory")
    p.add_argument("--floor-port", type=int, default=5085)
    p.add_argument("--floor-uring", action="store_true",
                   help="also measure the relay floor over io_uring (needs liburing-dev)")
    p.add_argument("--floor-uring-port", type=int, default=5086)
    p.add_argument("--warmup", type=float, default=0.0, metavar="SECONDS",
                   help="before the measured calls, run calls at the same rate for this long (40: "
                        "past the 32 s a finished transaction is kept, so the measured calls find "
                        "memory to reuse, as in a long-running server)")
    p.add_argument("--max-rate", action="store_true",
                   help="also search each server's highest rate with zero failures")
    p.add_argument("--search-seconds", type=float, default=5.0, help="length of each search run")
    p.add_argument("--search-start", type=int, default=500, help="first REGISTER rate tried (calls: a fifth)")
    p.add_argument("--search-steps", type=int, default=3, help="bisection steps after the climb")
    p.add_argument("--register-rate-cap", type=int, default=20000)
    p.add_argument("--call-rate-cap", type=int, default=3000)
    args = p.parse_args()
    if not shutil.which("sipp"):
        sys.exit("sipp not found (Debian package sip-tester)")
    if args.kamailio and not os.path.exists(args.kamailio):
        args.kamailio = None

    results = {}
    with tempfile.TemporaryDirectory(prefix="trapezoid-bench-") as workdir:
        servers = make_servers(args, workdir)
        if not set(servers) - set(FLOORS):
            sys.exit("no server to measure: give --trapezoid and/or install kamailio")
        names = sorted(servers)
        for r in range(args.rounds):
            order = names if r % 2 == 0 else list(reversed(names))
            for name in order:
                s = servers[name]
                if name == "trapezoid":
                    shutil.rmtree(os.path.join(workdir, "trapezoid-data"), ignore_errors=True)
                s.start()
                try:
                    # The floor's 200 to a REGISTER is canned: what receiving and answering costs.
                    reg = measure_registers(s, args.registers, args.register_rate, workdir)
                    call = measure_calls(s, args.calls, args.call_rate, workdir, args.uas_port,
                                         args.warmup)
                finally:
                    s.stop()
                res = results.setdefault(name, {"reg": [], "call": [], "rss": []})
                if reg is not None:
                    res["reg"].append(reg)
                res["call"].append(call)
                print(f"round {r + 1} {name}: REGISTER {reg}, call {call}", file=sys.stderr)
        for name in names:
            if name in FLOORS:
                continue
            s = servers[name]
            if name == "trapezoid":
                shutil.rmtree(os.path.join(workdir, "trapezoid-data"), ignore_errors=True)
            s.start()
            try:
                results[name]["rss"].append(measure_rss(s, args.rss_users, workdir, args.rss_settle))
            finally:
                s.stop()

        if args.max_rate:
            for name in names:
                s = servers[name]
                rates = {}
                for kind, search in (("reg", search_register_rate), ("call", search_call_rate)):
                    if name in FLOORS and kind == "reg":
                        continue
                    if name == "trapezoid":
                        shutil.rmtree(os.path.join(workdir, "trapezoid-data"), ignore_errors=True)
                    s.start()
                    try:
                        rates[kind] = search(s, args, workdir)
                    finally:
                        s.stop()
                    print(f"{name}: highest clean {kind} rate {rates[kind]}", file=sys.stderr)
                results[name]["max_rate"] = rates

    def med(name, kind, key):
        return statistics.median(x[key] for x in results[name][kind])

    print(f"| server | REGISTER ok/failed | CPU µs per REGISTER | calls ok/failed | CPU µs per call |"
          f" RSS bytes per registration (at load / {args.rss_settle} s later) |")
    print("|---|---|---|---|---|---|")
    for name in names:
        call_ok = sum(x["ok"] for x in results[name]["call"])
        call_failed = sum(x["failed"] for x in results[name]["call"])
        if results[name]["reg"]:
            reg_ok = sum(x["ok"] for x in results[name]["reg"])
            reg_failed = sum(x["failed"] for x in results[name]["reg"])
            reg = f"{reg_ok}/{reg_failed} | {med(name, 'reg', 'us_per_op'):.1f}"
        else:
            reg = "- | -"
        rss = results[name]["rss"]
        rss = f"{rss[0][0]:.0f} / {rss[0][1]:.0f}" if rss else "-"
        print(f"| {name} | {reg} | {call_ok}/{call_failed} | {med(name, 'call', 'us_per_op'):.1f} | {rss} |")
    if args.max_rate:
        print(f"\nHighest rate with zero failures ({args.search_seconds:g} s runs; what stopped the climb):\n")
        print("| server | REGISTER/s | calls/s (200 ms hold) |")
        print("|---|---|---|")
        for name in names:
            r = results[name]["max_rate"]
            reg = f"{r['reg'][0]} ({r['reg'][1]})" if "reg" in r else "-"
            print(f"| {name} | {reg} | {r['call'][0]} ({r['call'][1]}) |")
    if "kamailio" in results and "trapezoid" in results:
        reg_ratio = med("trapezoid", "reg", "us_per_op") / med("kamailio", "reg", "us_per_op")
        call_ratio = med("trapezoid", "call", "us_per_op") / med("kamailio", "call", "us_per_op")
        print(f"\nTrapezoid/Kamailio CPU: REGISTER {reg_ratio:.2f}, call {call_ratio:.2f} "
              f"(medians of {args.rounds} rounds, alternating order)")
    gap = "" if "kamailio" in results and "trapezoid" in results else "\n"
    for floor_name in (f for f in FLOORS if f in results):
        # /proc counts CPU in clock ticks: give the floor enough calls that it spends several.
        for kind, label in (("reg", "REGISTER"), ("call", "call")):
            floor = med(floor_name, kind, "us_per_op")
            if floor <= 0:
                print(f"{gap}CPU per {label} over the {floor_name}'s: none counted (too few clock "
                      f"ticks: measure more operations)")
                gap = ""
                continue
            ratios = ", ".join(f"{name} {med(name, kind, 'us_per_op') / floor:.2f}"
                               for name in names if name not in FLOORS)
            print(f"{gap}CPU per {label} over the {floor_name}'s ({floor:.1f} µs): {ratios} "
                  f"(medians of {args.rounds} rounds, alternating order)")
            gap = ""


if __name__ == "__main__":
    main()
