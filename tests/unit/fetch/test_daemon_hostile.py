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
DAEMON_KINDS["/html"] = "not_a_feed"  # the parser's kind for an HTML page (docs/parsing.md)


def feed_name(path):
    return "hostile" + path.replace("/", "-")


def main():
    with HostileServer("127.0.0.1") as hostile, HostileServer("127.0.0.2", bomb_size=1 << 20) as calm:
        feeds = [(feed_name(p), hostile.url(p)) for p in DAEMON_KINDS]
        feeds.append(("calm", calm.url("/feed")))
        daemon = wwtest.Daemon(feeds, [("harbour", "harbour")], interval="1s",
                               extra='connect_timeout = "2s"\ntimeout = "3s"\nper_host = 16')
        daemon.start()
        failures = []
        try:
            # Each hostile feed's own first error line, waited for in turn: the slowest (3 s
            # timeouts) conclude well within the bound, and a missing line fails by name.
            for path, expected in DAEMON_KINDS.items():
                try:
                    m = daemon.wait_for_log(rf'fetch: error feed="{re.escape(feed_name(path))}" .*?kind=(\S+)',
                                            timeout=30)
                except AssertionError as e:
                    failures.append(f"{path}: no error line ({e})")
                    continue
                if m.group(1) != expected:
                    failures.append(f"{path}: kind={m.group(1)}, expected {expected}")
            # Meanwhile the calm feed (1 s interval) kept its schedule: the 3 s timeouts behind
            # us, it was polled at least three times, and it is polled again after them.
            polled = calm.request_count("/feed")
            if polled < 3:
                failures.append(f"the calm feed was polled {polled} times while the hostile feeds concluded")
            try:
                calm.wait_for_requests("/feed", polled + 1, timeout=10)
            except AssertionError as e:
                failures.append(f"the calm feed is no longer polled: {e}")
        finally:
            if daemon.proc.poll() is not None:  # died on its own (reaped by poll): no rusage
                print(f"wirewatchd exited early with {daemon.proc.returncode}\n{daemon.logs()[-4000:]}")
                return 1
            os.kill(daemon.proc.pid, signal.SIGTERM)
            _, status, usage = os.wait4(daemon.proc.pid, 0)
            daemon.log.close()

        logs = daemon.logs()
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
