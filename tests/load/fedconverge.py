#!/usr/bin/python3
"""fedconverge: how fast a 3-city federation converges (zcfed/1).

Starts three real nodes on 127.0.0.1, each reaching the others through a TCP
proxy of this script (so links can be cut while the nodes keep running), then:
  1. push: a statement published on one node — time until both others hold it;
  2. partition and heal: every link cut, each node publishes a week, the cut
     lasts long enough for the backoff to grow, links restored — time until every
     node holds every origin's new statement.
The pull interval is scaled down (PULL seconds) so a run takes minutes; the
design's target is convergence within one pull interval after the heal.

usage: tests/load/fedconverge.py [--pull 10] [--rounds 3] [--cut 25]
"""
import argparse
import datetime
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = os.environ.get("ZCNODE_BIN", str(REPO / "build" / "zcnode"))
CITIES = ["issy", "vanves", "malakoff"]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Proxy:
    """Forwards 127.0.0.1:port to target; `cut` refuses and drops connections."""

    def __init__(self, target):
        self.target, self.cut = target, False
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.live = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            c, _ = self.sock.accept()
            if self.cut:
                c.close()
                continue
            try:
                u = socket.create_connection(("127.0.0.1", self.target))
            except OSError:
                c.close()
                continue
            self.live += [c, u]
            for a, b in ((c, u), (u, c)):
                threading.Thread(target=self.pipe, args=(a, b), daemon=True).start()

    def pipe(self, a, b):
        try:
            while not self.cut:
                d = a.recv(65536)
                if not d:
                    break
                b.sendall(d)
        except OSError:
            pass
        for s in (a, b):
            try:
                s.close()
            except OSError:
                pass

    def set_cut(self, cut):
        self.cut = cut
        if cut:
            for s in self.live:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            self.live = []


def run(*args):
    return subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, check=True)


class Node:
    def __init__(self, root, origin, pull):
        self.origin, self.dir = origin, root / origin
        out = run("init", "--data-dir", self.dir).stdout
        self.password = re.search(r"password: (\S+)", out).group(1)
        run("admin", "load-demo", "--data-dir", self.dir)
        self.fed_port, self.conf = free_port(), root / f"{origin}.conf"
        self.base = {"listen": "127.0.0.1", "fed_origin": origin, "fed_port": self.fed_port,
                     "fed_url": f"https://127.0.0.1:{self.fed_port}", "log_level": "warn",
                     "fed_pull_interval_s": pull, "fed_backoff_min_s": 1,
                     "fed_backoff_max_s": 4 * pull, "fed_auto_publish": "false"}
        self.peers, self.proc = [], None

    def show(self):
        self.write()
        out = run("federation", "show", "--data-dir", self.dir, "--config", self.conf).stdout
        return re.search(r"^peer = (.*)$", out, re.M).group(1).split()

    def write(self):
        lines = [f"{k} = {v}" for k, v in self.base.items()]
        lines += [f"peer = {p}" for p in self.peers]
        self.conf.write_text("\n".join(lines) + "\n")

    def start(self):
        self.write()
        self.proc = subprocess.Popen([BIN, "--data-dir", self.dir, "--config", self.conf,
                                      "--port", "0", "--plain-http"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        for line in self.proc.stdout:
            m = re.match(r"zcnode ready port=(\d+)", line)
            if m:
                self.port = int(m.group(1))
                break
        self.token = self.call("POST", "/api/v1/admin/login",
                               {"username": "admin", "password": self.password})[1]["token"]

    def call(self, method, path, body=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        h = {"Content-Type": "application/json"}
        if getattr(self, "token", None):
            h["Authorization"] = "Bearer " + self.token
        c.request(method, path, json.dumps(body) if body is not None else None, h)
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, json.loads(data) if data else None

    def heads(self):
        st = self.call("GET", "/api/v1/admin/federation")[1]
        return {h["origin"]: h["seq"] for h in st["logs"]}

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(20)


def week(offset):
    """The ISO week `offset` weeks before the current one, as YYYY-Www."""
    d = datetime.date.today() - datetime.timedelta(weeks=offset)
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def wait_all(nodes, want, timeout):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if all(all(n.heads().get(o, 0) >= s for o, s in want.items()) for n in nodes):
            return time.monotonic() - t0
        time.sleep(0.05)
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pull", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cut", type=int, default=25, help="seconds each partition lasts")
    a = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="fedconverge."))
    nodes = [Node(root, o, a.pull) for o in CITIES]
    proxies = {}
    try:
        shows = {n.origin: n.show() for n in nodes}
        for n in nodes:
            for m in nodes:
                if m is n:
                    continue
                p = Proxy(m.fed_port)
                proxies[(n.origin, m.origin)] = p
                o, _, key, pin = shows[m.origin]
                n.peers.append(f"{o} https://127.0.0.1:{p.port} {key} {pin}")
        for n in nodes:
            n.start()
        seq = {n.origin: 0 for n in nodes}
        k = 1
        push = []
        for r in range(a.rounds):
            src = nodes[r % 3]
            st, _ = src.call("POST", "/api/v1/admin/federation/publish", {"week": week(k)})
            assert st == 201, st
            k += 1
            seq[src.origin] += 1
            push.append(wait_all(nodes, dict(seq), 60))
        heal = []
        for r in range(a.rounds):
            for p in proxies.values():
                p.set_cut(True)
            for n in nodes:
                st, _ = n.call("POST", "/api/v1/admin/federation/publish", {"week": week(k)})
                assert st == 201, st
                seq[n.origin] += 1
            k += 1
            time.sleep(a.cut)
            for p in proxies.values():
                p.set_cut(False)
            heal.append(wait_all(nodes, dict(seq), 4 * a.pull + 30))
        def fmt(xs):
            ok = [x for x in xs if x is not None]
            if not ok:
                return "none converged"
            return (f"min {min(ok):.2f} s, median {statistics.median(ok):.2f} s, "
                    f"max {max(ok):.2f} s ({len(ok)}/{len(xs)} converged)")
        print(f"pull interval {a.pull} s, backoff 1 s doubling to {4 * a.pull} s, "
              f"partitions of {a.cut} s")
        print(f"push, publish -> held by all three: {fmt(push)}")
        print(f"partition healed -> all three hold all: {fmt(heal)}")
        return 0 if all(x is not None for x in push + heal) else 1
    finally:
        for n in nodes:
            n.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
