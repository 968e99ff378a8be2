#!/usr/bin/env python3
"""make demo: an offline tour. Serves three world-news feeds from a loopback HTTP server, runs
wirewatchd against them, adds stories over a minute, and shows the alerts arriving in
`wirewatch sub`. The stories are written for this demo."""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "helpers"))
import wwtest  # noqa: E402
from wwtest import Daemon, FeedDoc, FeedItem, FeedServer  # noqa: E402

WATCHLISTS = [
    ("china-russia-security", "China Russia security"),
    ("tariffs-clean-energy", "tariffs clean energy"),
]

ALREADY_THERE = {
    "/world.rss": [
        FeedItem("wd-101", "Ceasefire talks resume in Doha", summary="Mediators shuttled between delegations late into the night."),
        FeedItem("wd-102", "China and Russia mark treaty anniversary", summary="An older piece on security ties; it was there before wirewatch started."),
    ],
    "/asia.atom": [
        FeedItem("aw-201", "Typhoon season arrives early in the Philippines", summary="Coastal towns were evacuated."),
    ],
    "/markets.rss": [
        FeedItem("mk-301", "Oil steadies after a volatile week", summary="Brent traded in a narrow range."),
    ],
}

# (feed path, item): added one by one during the demo.
ARRIVALS = [
    ("/world.rss", FeedItem("wd-103", "Russia, China to explore deeper security co-operation in Eurasia",
                            summary="After talks in Beijing, the two foreign ministers said they would open a dialogue "
                                    "on Eurasian security with like-minded states.",
                            categories=["Diplomacy"], author="World Desk")),
    ("/markets.rss", FeedItem("mk-302", "Washington floats tariffs on Chinese clean energy imports",
                              summary="Officials say solar panels and batteries could face new duties to shield "
                                      "domestic makers; Beijing calls it protectionism.",
                              categories=["Trade"])),
    ("/asia.atom", FeedItem("aw-202", "Football: Seoul clinches the derby late", summary="A stoppage-time header settled it.")),
    ("/asia.atom", FeedItem("aw-203", "Moscow and Beijing criticise Euro-Atlantic security bodies",
                            summary="China and Russia said NATO and the OSCE no longer serve as places for real negotiation.",
                            content="<p>The ministers urged <b>joint</b> opposition to bloc confrontation.</p>")),
    ("/markets.rss", FeedItem("mk-303", "EU parliament debates carbon border levy", summary="A vote is due next month.")),
    ("/world.rss", FeedItem("wd-104", "Clean energy: Brussels studies tariffs on wind turbines",
                            summary="The Commission opened a probe into subsidies for turbine makers.")),
]


def port_free(endpoint):
    host, port = endpoint.removeprefix("tcp://").rsplit(":", 1)
    with socket.socket() as s:
        try:
            s.bind((host, int(port)))
            return True
        except OSError:
            return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir", default=os.path.join(os.path.dirname(__file__), "..", "build", "bin"))
    ap.add_argument("--seconds", type=float, default=60)
    # The README's endpoints, so that its pyzmq snippet and `wirewatch sub` watch the demo as is.
    ap.add_argument("--pub", default="tcp://127.0.0.1:5556")
    ap.add_argument("--replay", default="tcp://127.0.0.1:5557")
    args = ap.parse_args()
    wwtest.BIN_DIR = os.path.abspath(args.bin_dir)
    for endpoint in (args.pub, args.replay):
        if not port_free(endpoint):
            sys.exit(f"demo: {endpoint} is in use (is `make run` or another wirewatchd running?); "
                     "stop it, or pass --pub/--replay with free endpoints")

    server = FeedServer()
    docs = {"/world.rss": FeedDoc("World Desk", "rss"), "/asia.atom": FeedDoc("Asia Wire", "atom"),
            "/markets.rss": FeedDoc("Markets Today", "rss")}
    feeds = []
    for path, doc in docs.items():
        for item in ALREADY_THERE[path]:
            doc.add(item)
        feeds.append((doc.title, server.add_feed(path, doc)))

    daemon = Daemon(feeds, WATCHLISTS, interval="3s", heartbeat="2s", pub=args.pub, replay=args.replay)
    print(f"demo: feeds served on http://127.0.0.1:{server.port}/  config {daemon.config}")
    print(f"demo: daemon log {daemon.log_path} (removed at the end)")
    print(f"demo: watch it from another terminal too: {wwtest.binary('wirewatch')} sub --endpoint {args.pub}")
    print("demo:   or with the README's pyzmq snippet; alerts are printed below as they arrive\n")
    daemon.start()
    sub = subprocess.Popen([wwtest.binary("wirewatch"), "sub", "--endpoint", daemon.pub])
    try:
        for path in docs:  # first fetch: everything already there is marked seen, no alerts
            server.wait_for_requests(path, 1)
        print("demo: caught up with the feeds; the stories already there do not alert\n")
        pause = args.seconds / (len(ARRIVALS) + 1)
        for path, item in ARRIVALS:
            time.sleep(pause)
            print(f"demo: + {docs[path].title}: {item.title}", flush=True)
            server.add_items(path, item)
        time.sleep(max(pause, 8))  # two poll intervals: the last story gets its alert
    finally:
        sub.terminate()
        sub.wait(5)
        daemon.stop()
        server.close()
        shutil.rmtree(daemon.dir, ignore_errors=True)
    print("\ndemo: done. Expected alerts: 2 for china-russia-security, 2 for tariffs-clean-energy.")


if __name__ == "__main__":
    main()
