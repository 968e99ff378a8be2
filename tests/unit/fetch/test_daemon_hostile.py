"""Hostile servers against the real daemon (issue 5): every hostile feed ends in its own
per-feed error kind in the log, a calm feed on another host keeps its schedule meanwhile, and
the daemon's peak memory stays bounded by the body cap, not by what the servers send.

The client-level cases (including the SSRF guard, which needs allow_private_networks off)
are in test_hostile_servers.cpp; this one checks the same behaviours through wirewatchd."""

import os
import re
import signal
import sys

from hostile_server import EXPECTED_KINDS, HostileServer
import wwtest

# The daemon's tests allow private networks globally (loopback), so the guard is not in play.
DAEMON_KINDS = {path: kind for path, kind in EXPECTED_KINDS.items() if path not in ("/feed", "/private-redirect")}
DAEMON_KINDS["/html"] = None  # the parser's kind, whatever it calls "not a feed"


def feed_name(path):
    return "hostile" + path.replace("/", "-")


def main():
    with HostileServer("127.0.0.1") as hostile, HostileServer("127.0.0.2", bomb_size=1 << 20) as calm:
        feeds = [(feed_name(p), hostile.url(p)) for p in DAEMON_KINDS]
        feeds.append(("calm", calm.url("/feed")))
        daemon = wwtest.Daemon(feeds, [("harbour", "harbour")], interval="1s",
                               extra='connect_timeout = "2s"\ntimeout = "3s"\nper_host = 16')
        daemon.start()
        try:
            # The calm feed is polled every second while the hostile ones misbehave; its 8th
            # request comes at least 7 s in, past every hostile feed's 3 s timeout, so by
            # then each of them has concluded and logged its outcome.
            calm.wait_for_requests("/feed", 8, timeout=60)
        finally:
            os.kill(daemon.proc.pid, signal.SIGTERM)
            _, status, usage = os.wait4(daemon.proc.pid, 0)
            daemon.log.close()

        logs = daemon.logs()
        kinds = {}
        for path in DAEMON_KINDS:
            m = re.search(rf'fetch: error feed="{re.escape(feed_name(path))}" .*?kind=(\S+)', logs)
            if m:
                kinds[path] = m.group(1)
        failures = []
        for path, expected in DAEMON_KINDS.items():
            got = kinds.get(path)
            if got is None:
                failures.append(f"{path}: no error line")
            elif expected is not None and got != expected:
                failures.append(f"{path}: kind={got}, expected {expected}")
        if any('feed="calm"' in line for line in logs.splitlines() if "fetch: error" in line):
            failures.append("the calm feed logged an error")
        peak_mb = usage.ru_maxrss / 1024
        # Bodies are capped at 15 MiB decoded; a 64 MiB bomb, an endless body and a 2 GB
        # Content-Length must not show up in the daemon's memory. AddressSanitizer's shadow
        # memory and quarantine roughly double a process's footprint (make test-sanitize).
        limit_mb = 400 if os.environ.get("WW_SANITIZED") else 150
        if peak_mb > limit_mb:
            failures.append(f"peak RSS {peak_mb:.0f} MB")
        if os.waitstatus_to_exitcode(status) != 0:
            failures.append(f"exit status {os.waitstatus_to_exitcode(status)}")
        if failures:
            print("\n".join(failures))
            print(logs[-4000:])
            return 1
        print(f"every hostile feed has its kind, calm feed polled {calm.request_count('/feed')} times, "
              f"peak RSS {peak_mb:.0f} MB")
        return 0


if __name__ == "__main__":
    sys.exit(main())
