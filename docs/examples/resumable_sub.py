#!/usr/bin/python3
"""A resumable wirewatch subscriber in Python (pyzmq), equivalent to `wirewatch sub --resume`.

Every alert recorded by the daemon is written to OUTPUT exactly once, in seq order, even when
this script or the daemon is killed and restarted at any moment (docs/protocol.md):

  1. subscribe first (alerts and the `_hb` heartbeat), so nothing published meanwhile is lost;
  2. replay everything after the seq stored in STATE from the daemon's replay socket;
  3. then follow the live stream: drop a seq already covered, write the next one, and replay
     again on a gap or when a heartbeat carries a seq ahead of the cursor;
  4. after each batch, fsync OUTPUT, then store {"seq", "output_bytes"} in STATE durably
     (write a temporary file, fsync, rename, fsync the directory). On restart, OUTPUT is cut
     back to output_bytes: whatever was written after the last saved cursor is written again.

usage: resumable_sub.py --state FILE --output FILE [--endpoint E] [--replay-endpoint E]
                        [--topic PREFIX] [--server-key KEY|FILE] [--client-key-file FILE]
                        [--count N]
Needs Debian's python3-zmq: run it with /usr/bin/python3.
"""
import argparse
import json
import os
import sys

import zmq
import zmq.auth

HEARTBEAT_TOPIC = b"_hb"
REPLAY_TIMEOUT_MS = 3000


def load_cursor(path):
    try:
        with open(path, "r", encoding="utf-8") as f:
            state = json.load(f)
    except FileNotFoundError:
        return 0, None
    return int(state["seq"]), state.get("output_bytes")


def save_cursor(path, seq, output_bytes):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump({"v": 1, "seq": seq, "output_bytes": output_bytes}, f)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.rename(tmp, path)
    dir_fd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def read_public_key(key_or_file):
    if len(key_or_file) == 40 and not os.path.exists(key_or_file):
        return key_or_file.encode()
    public, _ = zmq.auth.load_certificate(key_or_file)
    return public


def apply_curve(socket, args):
    if not args.server_key:
        return
    socket.curve_serverkey = read_public_key(args.server_key)
    if args.client_key_file:
        public, secret = zmq.auth.load_certificate(args.client_key_file)
    else:
        public, secret = zmq.curve_keypair()
    socket.curve_publickey = public
    socket.curve_secretkey = secret


class ReplayError(Exception):
    pass


class Replayer:
    """The DEALER side of the replay protocol; reconnects after a timeout so that a late
    answer is never taken for the answer to the next request."""

    def __init__(self, context, args):
        self.context = context
        self.args = args
        self.socket = None
        self.open()

    def open(self):
        if self.socket is not None:
            self.socket.close(linger=0)
        self.socket = self.context.socket(zmq.DEALER)
        self.socket.linger = 0
        apply_curve(self.socket, self.args)
        self.socket.connect(self.args.replay_endpoint)

    def page(self, after, prefix):
        """One request: returns (alerts as [(seq, topic, envelope)], end_seq, more), or None
        when the server did not answer in time."""
        self.socket.send_multipart([b"REPLAY", str(after).encode(), prefix.encode()])
        alerts = []
        while True:
            if not self.socket.poll(REPLAY_TIMEOUT_MS):
                self.open()
                return None
            frames = self.socket.recv_multipart()
            verb = frames[0]
            if verb == b"ALERT" and len(frames) == 3:
                envelope = frames[2]
                alerts.append((json.loads(envelope)["seq"], frames[1], envelope))
            elif verb == b"END" and len(frames) == 3:
                return alerts, int(frames[1]), frames[2] == b"more"
            elif verb == b"ERROR" and len(frames) == 2:
                raise ReplayError(frames[1].decode("utf-8", "replace"))
            else:
                raise ReplayError("unexpected reply %r" % (frames[:1],))


class Subscriber:
    def __init__(self, args, covered):
        self.args = args
        self.covered = covered
        self.replay_pending = True
        self.context = zmq.Context()
        self.live = self.context.socket(zmq.SUB)
        self.live.linger = 0
        self.live.rcvhwm = 0
        apply_curve(self.live, args)
        self.live.setsockopt(zmq.SUBSCRIBE, args.topic.encode())
        self.live.setsockopt(zmq.SUBSCRIBE, HEARTBEAT_TOPIC)
        self.live.connect(args.endpoint)  # subscribe first, then replay
        self.replayer = Replayer(self.context, args)

    def catch_up(self, target, out):
        """Replays everything after the cursor. `target` is a seq known to be committed
        (a live alert's or a heartbeat's): once the server says done, none up to it is
        missing."""
        while True:
            try:
                page = self.replayer.page(self.covered, self.args.topic)
            except ReplayError as e:
                reason = str(e)
                if reason.startswith("pruned earliest="):
                    earliest = int(reason[len("pruned earliest="):].split(":", 1)[0])
                    print("resumable_sub: alerts %d..%d were pruned before delivery"
                          % (self.covered + 1, earliest - 1), file=sys.stderr)
                    self.covered = max(self.covered, earliest - 1)
                    continue
                raise
            if page is None:
                print("resumable_sub: replay did not answer; will retry", file=sys.stderr)
                self.replay_pending = True
                return
            alerts, _end, more = page
            for seq, topic, envelope in alerts:
                if seq > self.covered:
                    self.covered = seq
                    out.append((seq, topic, envelope))
            if not more:
                break
        self.covered = max(self.covered, target)
        self.replay_pending = False

    def handle(self, topic, body, out):
        seq = json.loads(body)["seq"]
        if topic == HEARTBEAT_TOPIC:
            if self.replay_pending or seq > self.covered:
                self.catch_up(seq, out)
        elif self.replay_pending or seq > self.covered + 1:
            self.catch_up(seq, out)  # a gap (or other topics under a narrower prefix)
        elif seq == self.covered + 1:
            self.covered = seq
            out.append((seq, topic, body))
        # else: a duplicate of something replayed already

    def next_batch(self, timeout_ms=1000):
        out = []
        if self.replay_pending:
            self.catch_up(self.covered, out)
            if out:
                return out
        wait = timeout_ms
        while len(out) < 1000 and self.live.poll(wait):
            topic, body = self.live.recv_multipart()
            self.handle(topic, body, out)
            wait = 0  # drain what is already here, then hand back
        return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--endpoint", default="tcp://127.0.0.1:5556")
    parser.add_argument("--replay-endpoint", default="tcp://127.0.0.1:5557")
    parser.add_argument("--topic", default="alert.")
    parser.add_argument("--state", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--server-key")
    parser.add_argument("--client-key-file")
    parser.add_argument("--count", type=int)
    args = parser.parse_args()

    covered, output_bytes = load_cursor(args.state)
    output = open(args.output, "ab")
    if output_bytes is not None and os.fstat(output.fileno()).st_size > output_bytes:
        output.truncate(output_bytes)  # written after the last saved cursor: write it again
        output.seek(output_bytes)
    if output_bytes is None:
        # Vouch for the output as it is now, before the first alert: a subscriber killed
        # before its first save must still find where its own output began.
        save_cursor(args.state, covered, os.fstat(output.fileno()).st_size)
    subscriber = Subscriber(args, covered)
    saved = covered
    written = 0
    try:
        while args.count is None or written < args.count:
            for _seq, _topic, envelope in subscriber.next_batch():
                output.write(envelope + b"\n")
                written += 1
            if subscriber.covered != saved:
                output.flush()
                os.fsync(output.fileno())  # the output reaches the disk before its cursor
                save_cursor(args.state, subscriber.covered, os.fstat(output.fileno()).st_size)
                saved = subscriber.covered
    except KeyboardInterrupt:
        pass
    except ReplayError as e:
        print("resumable_sub: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
