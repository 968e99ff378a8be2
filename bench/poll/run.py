#!/usr/bin/python3
"""Polling benchmark (issue 5): N copies of realistic feeds served by nginx on loopback,
`wirewatchd --once` cold (empty state) and warm (every feed answers 304), and
`newsboat -x reload` on the same first 1,000 feeds, cold and warm, for a ratio.

    /usr/bin/python3 bench/poll/run.py --bin-dir build/bin [--sizes 1000 10000]

Feeds are spread over 32 loopback addresses (127.0.0.1 .. 127.0.0.32), all served by one
nginx, so the daemon runs with its default limits (64 in flight, 2 per host) as it would
against many publishers. nginx and newsboat are Debian packages (`nginx-light`, `newsboat`).
Every process is started here and stopped by its pid. Figures go to stdout as a Markdown
table; copy them into BENCHMARKS.md.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.abspath(os.path.join(HERE, "..", ".."))
CORPUS = os.path.abspath(os.path.join(SOURCE_DIR, "..", "shared", "corpus"))
HOSTS = [f"127.0.0.{i}" for i in range(1, 33)]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def realistic_files():
    listing = os.path.join(CORPUS, "realistic-set.txt")
    if not os.path.exists(listing):
        sys.exit(f"bench/poll: {listing} is missing: the corpus is needed to build the feed set")
    with open(listing) as f:
        paths = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    return [os.path.join(CORPUS, p) for p in paths if os.path.exists(os.path.join(CORPUS, p))]


def build_site(root, count, sources):
    """feeds/<i>.xml for i < count, hard links to the corpus files (no copy of the data)."""
    feeds = os.path.join(root, "www", "feeds")
    os.makedirs(feeds, exist_ok=True)
    for i in range(count):
        target = os.path.join(feeds, f"{i}.xml")
        if os.path.exists(target):
            continue
        src = sources[i % len(sources)]
        try:
            os.link(src, target)
        except OSError:
            shutil.copyfile(src, target)
    return [f"http://{HOSTS[i % len(HOSTS)]}:{{port}}/feeds/{i}.xml" for i in range(count)]


class Nginx:
    def __init__(self, root):
        self.root = root
        self.port = free_port()
        listens = "\n".join(f"    listen {h}:{self.port};" for h in HOSTS)
        conf = f"""
worker_processes 2;
pid {root}/nginx.pid;
error_log {root}/nginx-error.log warn;
daemon off;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  etag on;
  keepalive_requests 1000000;
  default_type application/xml;
  client_body_temp_path {root}/tmp-body;
  proxy_temp_path {root}/tmp-proxy;
  fastcgi_temp_path {root}/tmp-fastcgi;
  uwsgi_temp_path {root}/tmp-uwsgi;
  scgi_temp_path {root}/tmp-scgi;
  server {{
{listens}
    root {root}/www;
  }}
}}
"""
        self.conf = os.path.join(root, "nginx.conf")
        with open(self.conf, "w") as f:
            f.write(conf)
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(["nginx", "-p", self.root, "-c", self.conf, "-e",
                                      os.path.join(self.root, "nginx-error.log")])
        deadline = time.monotonic() + 10
        while True:  # ready when it accepts a connection
            try:
                socket.create_connection((HOSTS[-1], self.port), timeout=1).close()
                return self
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("bench/poll: nginx did not start; see nginx-error.log")
                time.sleep(0.05)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGQUIT)  # graceful stop of master and workers
            self.proc.wait(10)


def measure(argv, env=None, log=None):
    """(wall seconds, CPU seconds, peak RSS MB, exit status) of one child process."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, env=env, stdout=log or subprocess.DEVNULL, stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0, proc.returncode


def write_wirewatch_config(path, state_dir, urls):
    pub, replay, http = free_port(), free_port(), free_port()
    lines = [
        "[daemon]", f'state_dir = "{state_dir}"', 'log_level = "info"', "workers = 2",
        "[publish]", f'endpoint = "tcp://127.0.0.1:{pub}"', f'replay_endpoint = "tcp://127.0.0.1:{replay}"',
        "[http]", f'listen = "127.0.0.1:{http}"',
        "[fetch]", "allow_private_networks = true",
    ]
    for i, url in enumerate(urls):
        lines += ["[[feed]]", f'url = "{url}"', f'name = "feed-{i}"']
    lines += ["[[watchlist]]", 'name = "china-russia-security"', 'query = "China Russia security"',
              "[[watchlist]]", 'name = "tariffs-clean-energy"', 'query = "tariffs clean energy"']
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def sweep_seconds(log_path):
    """From "app: started" to "app: stopping" in the daemon's log: the poll itself, without
    start-up and shutdown (state writes, socket linger)."""
    stamps = {}
    with open(log_path, "rb") as f:
        for line in f:
            for key in (b"app: started", b"app: stopping"):
                if key in line and key not in stamps:
                    t = line.split(b" ", 1)[0].decode()
                    h, m, sec = t.split("T")[1].split(":")
                    stamps[key] = int(h) * 3600 + int(m) * 60 + float(sec)
    if len(stamps) < 2:
        return float("nan")
    return stamps[b"app: stopping"] - stamps[b"app: started"]


def bench_wirewatch(bin_dir, root, urls):
    n = len(urls)
    work = os.path.join(root, f"ww-{n}")
    os.makedirs(work, exist_ok=True)
    config = os.path.join(work, "wirewatch.toml")
    write_wirewatch_config(config, os.path.join(work, "state"), urls)
    rows = []
    for phase in ("cold", "warm"):
        with open(os.path.join(work, f"{phase}.log"), "wb") as log:
            wall, cpu, rss, rc = measure([os.path.join(bin_dir, "wirewatchd"), "--config", config, "--once"], log=log)
        with open(os.path.join(work, f"{phase}.log"), "rb") as f:
            errors = sum(1 for line in f if b"kind=" in line)
        sweep = sweep_seconds(os.path.join(work, f"{phase}.log"))
        rows.append(("wirewatchd --once", n, phase, wall, cpu, rss, rc, errors, sweep))
    return rows


def bench_client(bin_dir, root, urls):
    """The HTTP client alone (bench_fetch_sweep): cold and warm passes in one process."""
    tool = os.path.join(bin_dir, "bench_fetch_sweep")
    if not os.path.exists(tool):
        return []
    n = len(urls)
    listing = os.path.join(root, f"urls-{n}")
    with open(listing, "w") as f:
        f.write("\n".join(urls) + "\n")
    out = os.path.join(root, f"client-{n}.log")
    with open(out, "wb") as log:
        wall, cpu, rss, rc = measure([tool, listing], log=log)
    rows = []
    with open(out) as f:
        for line in f:
            parts = line.split()
            if parts and parts[0] in ("cold", "warm"):
                rows.append(("HttpClient alone (bench_fetch_sweep)", n, parts[0], float(parts[1]),
                             float("nan"), rss, rc, 0, float(parts[1])))
    return rows


def bench_newsboat(root, urls, threads):
    n = len(urls)
    work = os.path.join(root, f"newsboat-{n}")
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, "urls"), "w") as f:
        f.write("\n".join(urls) + "\n")
    with open(os.path.join(work, "config"), "w") as f:
        f.write(f"reload-threads {threads}\n")
    env = dict(os.environ, HOME=work, XDG_CONFIG_HOME=work, XDG_DATA_HOME=work)
    argv = ["newsboat", "-u", os.path.join(work, "urls"), "-c", os.path.join(work, "cache.db"),
            "-C", os.path.join(work, "config"), "-x", "reload"]
    rows = []
    for phase in ("cold", "warm"):
        with open(os.path.join(work, f"{phase}.log"), "wb") as log:
            wall, cpu, rss, rc = measure(argv, env=env, log=log)
        rows.append((f"newsboat -x reload (reload-threads {threads})", n, phase, wall, cpu, rss, rc, 0,
                     float("nan")))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir", default=os.path.join(SOURCE_DIR, "build", "bin"))
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--newsboat-feeds", type=int, default=1000)
    ap.add_argument("--newsboat-threads", type=int, default=16)
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("--client-only", action="store_true", help="only the HTTP client, no daemon, no newsboat")
    args = ap.parse_args()
    for tool in ("nginx", "newsboat"):
        if shutil.which(tool) is None:
            sys.exit(f"bench/poll: {tool} is not installed (apt-get install nginx-light newsboat)")

    root = tempfile.mkdtemp(prefix="ww-bench-poll-")
    os.chmod(root, 0o755)  # nginx workers run as www-data
    sources = realistic_files()
    biggest = max(args.sizes + [args.newsboat_feeds])
    url_templates = build_site(root, biggest, sources)
    nginx = Nginx(root).start()
    rows = []
    try:
        urls = [u.format(port=nginx.port) for u in url_templates]
        for n in args.sizes:
            rows += bench_client(args.bin_dir, root, urls[:n])
            if not args.client_only:
                rows += bench_wirewatch(args.bin_dir, root, urls[:n])
        if args.newsboat_feeds and not args.client_only:
            rows += bench_newsboat(root, urls[: args.newsboat_feeds], args.newsboat_threads)
    finally:
        nginx.stop()
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)

    print(f"feeds: copies of {len(sources)} files of shared/corpus/realistic-set.txt, "
          f"{len(HOSTS)} loopback hosts, nginx with ETag; {os.cpu_count()} CPUs")
    print("| program | feeds | run | wall s | sweep s | CPU s | peak RSS MB | exit | error lines |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for prog, n, phase, wall, cpu, rss, rc, errors, sweep in rows:
        print(f"| {prog} | {n} | {phase} | {wall:.2f} | {sweep:.2f} | {cpu:.2f} | {rss:.0f} | {rc} | {errors} |"
              .replace("nan", "-"))
    print("\nsweep = from the daemon's 'app: started' to 'app: stopping' log lines (every feed polled,"
          " parsed, matched and recorded), without start-up and shutdown.")
    print("HttpClient rows: one process runs both passes (CPU and RSS are for the two together).")
    by = {(p.split()[0], n, ph): wall for p, n, ph, wall, *_ in rows}
    for phase in ("cold", "warm"):
        ww, nb = by.get(("wirewatchd", args.newsboat_feeds, phase)), by.get(("newsboat", args.newsboat_feeds, phase))
        if ww and nb:
            print(f"\nnewsboat / wirewatchd wall time, {args.newsboat_feeds} feeds {phase}: {nb / ww:.1f}x")
    if any(r[6] != 0 for r in rows if r[0].startswith("wirewatchd")):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
