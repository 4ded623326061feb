"""Fixtures for the zcnode integration suite.

Every test gets its own data dir and config file, starts the real node with
--port 0, waits for `zcnode ready port=N`, talks to it over real sockets and,
at teardown, stops it with SIGTERM and checks that it exited with status 0
(under the sanitizer build that also catches leaks).

Environment:
  ZCNODE_BIN     the node binary (default: build/zcnode of this checkout)
  ZCNODE_STATIC  the built web client (default: client-web/dist)
"""

import asyncio
import http.client
import json
import os
import re
import signal
import ssl
import subprocess
import time
from pathlib import Path

import pytest
import websockets

REPO = Path(__file__).resolve().parents[2]
ZCNODE_BIN = os.environ.get("ZCNODE_BIN", str(REPO / "build" / "zcnode"))
ZCNODE_STATIC = os.environ.get("ZCNODE_STATIC", str(REPO / "client-web" / "dist"))
CONF_EXAMPLE = REPO / "docs" / "zcnode.conf.example"

READY_TIMEOUT = 10.0
STOP_TIMEOUT = 20.0
HTTP_TIMEOUT = 15.0
WS_TIMEOUT = 5.0

NEIGHBOURHOODS = [
    "Centre-Ville", "Les Arches", "Corentin-Celton", "Les Épinettes",
    "Issy Val de Seine", "Île Saint-Germain", "Les Hauts-d'Issy",
    "Fort d'Issy", "La Ferme",
]

# Rate limits high enough that no test trips them by accident.
RELAXED_LIMITS = {
    "registrations_per_hour": 100000,
    "registration_burst": 1000,
    "login_attempts_per_minute": 1000,
}

TOKEN_P = re.compile(r"^zcp_[A-Za-z0-9_-]{43}$")
TOKEN_A = re.compile(r"^zca_[A-Za-z0-9_-]{43}$")
RECOVERY = re.compile(r"^([ABCDEFGHJKMNPQRSTUVWXYZ23456789]{4}-){4}[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{4}$")
ID_HEX = re.compile(r"^[0-9a-f]{32}$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def is_sanitizer_build(binary=ZCNODE_BIN):
    """True when the binary is the ASan/UBSan build (valgrind cannot run it)."""
    if "asan" in str(binary):
        return True
    try:
        with open(binary, "rb") as f:
            return b"__asan_init" in f.read()
    except OSError:
        return False


def run_cli(*args, check=None, env=None, timeout=60):
    """Runs `zcnode ARGS`; returns the CompletedProcess (text mode)."""
    p = subprocess.run([ZCNODE_BIN, *map(str, args)], capture_output=True, text=True,
                       env=env, timeout=timeout)
    if check is not None:
        assert p.returncode == check, (
            f"zcnode {' '.join(map(str, args))}: exit {p.returncode}\n"
            f"stdout: {p.stdout}\nstderr: {p.stderr}")
    return p


CRED_LINE = re.compile(r"admin username: (\S+) password: (\S+)")


def parse_credentials(stdout):
    m = CRED_LINE.search(stdout)
    assert m, f"no credentials line in: {stdout!r}"
    return m.group(1), m.group(2)


def init_data_dir(data_dir, demo=True):
    """`zcnode init` (+ `admin load-demo`); returns the first admin's password."""
    p = run_cli("init", "--data-dir", data_dir, check=0)
    user, password = parse_credentials(p.stdout)
    assert user == "admin"
    if demo:
        d = run_cli("admin", "load-demo", "--data-dir", data_dir, check=0)
        assert "Issy-les-Moulineaux" in d.stdout
    return password


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-cased names -> value (last wins)
        self.body = body

    @property
    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def header(self, name):
        return self.headers.get(name.lower())

    def error_code(self):
        return self.json["error"]["code"]

    def __repr__(self):
        return f"<Response {self.status} {self.body[:300]!r}>"


def assert_error(resp, status, code):
    """Checks the contract's error shape, status and code."""
    assert resp.status == status, f"expected {status} {code}, got {resp!r}"
    assert resp.header("content-type", ) is not None and \
        resp.header("content-type").startswith("application/json"), resp.headers
    doc = resp.json
    assert set(doc) == {"error"}, doc
    assert set(doc["error"]) == {"code", "message"}, doc
    assert isinstance(doc["error"]["message"], str) and doc["error"]["message"], doc
    assert doc["error"]["code"] == code, f"expected code {code}, got {doc}"


class Node:
    """One zcnode process with its own data dir, config file and log."""

    def __init__(self, root, name="node", tls=False, config=None, demo=True,
                 static_dir=None, data_dir=None):
        self.root = Path(root)
        self.name = name
        self.tls = tls
        self.data_dir = Path(data_dir) if data_dir else self.root / f"{name}-data"
        self.conf_path = self.root / f"{name}.conf"
        self.stdout_path = self.root / f"{name}.stdout"
        self.log_path = self.root / f"{name}.log"
        self.proc = None
        self.port = None
        self.admin_password = None
        self.runs = 0
        if not data_dir:
            self.admin_password = init_data_dir(self.data_dir, demo=demo)
        cfg = {"listen": "127.0.0.1",
               "static_dir": static_dir or ZCNODE_STATIC,
               "log_level": "info"}
        cfg.update(RELAXED_LIMITS)
        cfg.update(config or {})
        self.config = cfg
        self.write_config()

    # -- process ---------------------------------------------------------
    def write_config(self):
        lines = ["# written by tests/integration/conftest.py"]
        for k, v in self.config.items():
            # A list is a repeated option (e.g. one `peer = …` line per peer).
            for item in (v if isinstance(v, (list, tuple)) else [v]):
                if isinstance(item, bool):
                    item = "true" if item else "false"
                lines.append(f"{k} = {item}")
        self.conf_path.write_text("\n".join(lines) + "\n")

    @property
    def cert_path(self):
        return self.data_dir / "tls" / "node.crt"

    def command(self):
        cmd = [ZCNODE_BIN, "--data-dir", str(self.data_dir), "--config",
               str(self.conf_path), "--port", "0"]
        if not self.tls:
            cmd.append("--plain-http")
        return cmd

    def start(self, prefix=(), env=None, ready_timeout=READY_TIMEOUT):
        assert self.proc is None, "node already running"
        self.runs += 1
        out = open(self.stdout_path, "wb")
        # Each run appends to the log so a test can scan everything it caused.
        err = open(self.log_path, "ab")
        self.proc = subprocess.Popen([*prefix, *self.command()], stdout=out, stderr=err,
                                     stdin=subprocess.DEVNULL, env=env)
        out.close()
        err.close()
        deadline = time.monotonic() + ready_timeout
        while True:
            text = self.stdout_path.read_text(errors="replace")
            m = re.search(r"^zcnode ready port=(\d+)$", text, re.M)
            if m:
                self.port = int(m.group(1))
                assert 0 < self.port < 65536
                return self
            if self.proc.poll() is not None:
                rc = self.proc.returncode
                self.proc = None
                pytest.fail(f"{self.name} exited with {rc} before ready\n"
                            f"stdout: {text}\nlog:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                self.proc.kill()
                self.proc.wait()
                self.proc = None
                pytest.fail(f"{self.name} not ready after {ready_timeout} s\n"
                            f"stdout: {text}\nlog:\n{self.log_tail()}")
            time.sleep(0.02)

    def stop(self, sig=signal.SIGTERM, expect=0):
        """Sends sig, waits, and checks the exit status; returns it."""
        assert self.proc is not None, "node not running"
        proc, self.proc = self.proc, None
        proc.send_signal(sig)
        try:
            rc = proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            pytest.fail(f"{self.name} did not stop within {STOP_TIMEOUT} s after {sig!r}\n"
                        f"log:\n{self.log_tail()}")
        if expect is not None:
            assert rc == expect, (f"{self.name} exited with {rc} after {sig!r}, expected "
                                  f"{expect}\nlog:\n{self.log_tail()}")
        return rc

    def kill9(self):
        proc, self.proc = self.proc, None
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=STOP_TIMEOUT)

    def restart(self, **kw):
        self.stop()
        return self.start(**kw)

    @property
    def running(self):
        return self.proc is not None

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, n=60):
        return "\n".join(self.log().splitlines()[-n:])

    # -- HTTP ------------------------------------------------------------
    @property
    def scheme(self):
        return "https" if self.tls else "http"

    @property
    def base_url(self):
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def ssl_context(self):
        ctx = ssl.create_default_context(cafile=str(self.cert_path))
        return ctx

    def connection(self):
        if self.tls:
            return http.client.HTTPSConnection("127.0.0.1", self.port, timeout=HTTP_TIMEOUT,
                                               context=self.ssl_context())
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=HTTP_TIMEOUT)

    def request(self, method, path, body=None, token=None, headers=None, raw=None,
                content_type="application/json"):
        """One request on a fresh connection. `body` is JSON-encoded; `raw`
        (bytes) is sent as is."""
        hdrs = {}
        if raw is None and body is not None:
            raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
        if raw is not None and content_type:
            hdrs["Content-Type"] = content_type
        if token:
            hdrs["Authorization"] = f"Bearer {token}"
        hdrs.update(headers or {})
        conn = self.connection()
        try:
            conn.request(method, path, body=raw, headers=hdrs)
            r = conn.getresponse()
            data = r.read()
            resp = Response(r.status, {k.lower(): v for k, v in r.getheaders()}, data)
            return resp
        finally:
            conn.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    # -- domain helpers ----------------------------------------------------
    def register(self, nickname, **fields):
        body = {"nickname": nickname, **fields}
        r = self.post("/api/v1/participants", body)
        assert r.status == 201, r
        return r.json

    def login(self, username="admin", password=None):
        r = self.post("/api/v1/admin/login",
                      {"username": username, "password": password or self.admin_password})
        assert r.status == 200, r
        return r.json["token"]

    def admin_token(self):
        if not hasattr(self, "_admin_token"):
            self._admin_token = self.login()
        return self._admin_token

    def stats(self):
        r = self.get("/api/v1/admin/stats", token=self.admin_token())
        assert r.status == 200, r
        return r.json

    def audit(self):
        r = self.get("/api/v1/admin/audit?limit=1000", token=self.admin_token())
        assert r.status == 200, r
        return r.json["entries"]

    def create_account(self, username, role):
        r = self.post("/api/v1/admin/accounts", {"username": username, "role": role},
                      token=self.admin_token())
        assert r.status == 201, r
        return r.json["password"]

    def staff_token(self, username, role):
        return self.login(username, self.create_account(username, role))

    def publish(self, channel, data, token=None):
        return self.post("/api/v1/admin/debug/publish", {"channel": channel, "data": data},
                         token=token or self.admin_token())

    def metrics(self):
        r = self.get("/metrics")
        assert r.status == 200, r
        return r.body.decode()

    # -- WebSocket ---------------------------------------------------------
    @property
    def ws_url(self):
        return f"{'wss' if self.tls else 'ws'}://127.0.0.1:{self.port}/ws"

    def ws_connect(self, path="/ws", subprotocols=("zcnode.v1",), **kw):
        url = f"{'wss' if self.tls else 'ws'}://127.0.0.1:{self.port}{path}"
        opts = dict(open_timeout=WS_TIMEOUT, close_timeout=WS_TIMEOUT, compression=None,
                    ping_interval=None)
        if subprotocols is not None:
            opts["subprotocols"] = list(subprotocols)
        if self.tls:
            opts["ssl"] = self.ssl_context()
        opts.update(kw)
        return websockets.connect(url, **opts)


def wait_for(predicate, timeout=5.0, interval=0.05, what="condition"):
    """Polls predicate until it is true (a safety-net timeout, not a timing check)."""
    deadline = time.monotonic() + timeout
    while True:
        v = predicate()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(interval)


# -- WebSocket helpers (asyncio) -------------------------------------------

async def ws_recv(ws, timeout=WS_TIMEOUT):
    msg = await asyncio.wait_for(ws.recv(), timeout)
    assert isinstance(msg, str), f"expected a text frame, got {msg!r}"
    return json.loads(msg)


async def ws_reply(ws, timeout=WS_TIMEOUT):
    """The next frame that answers a request: leaderboard snapshots, which a
    board publishes whenever it changed (at most every 250 ms), are skipped."""
    while True:
        f = await ws_recv(ws, timeout)
        if f.get("type") != "snapshot":
            return f


async def ws_send(ws, obj):
    await ws.send(json.dumps(obj))


async def ws_hello(ws, token=None):
    hello = {"type": "hello"}
    if token:
        hello["token"] = token
    await ws_send(ws, hello)
    return await ws_recv(ws)


async def ws_expect_close(ws, timeout=WS_TIMEOUT):
    """Reads until the server closes; returns (frames_seen, close_code)."""
    frames = []
    try:
        while True:
            try:
                msg = await asyncio.wait_for(ws.recv(), timeout)
            except asyncio.TimeoutError:
                raise AssertionError(f"the server did not close the connection within "
                                     f"{timeout} s; frames seen: {frames}") from None
            frames.append(json.loads(msg) if isinstance(msg, str) else msg)
    except websockets.exceptions.ConnectionClosed as e:
        code = e.rcvd.code if e.rcvd is not None else None
        return frames, code


async def ws_collect_events(ws, channel, want, timeout=WS_TIMEOUT):
    """Reads event and batch frames of channel until `want` events arrived;
    returns [(seq, data)] flattened in arrival order."""
    got = []
    while len(got) < want:
        f = await ws_recv(ws, timeout)
        if f.get("type") == "event":
            assert f["channel"] == channel, f
            got.append((f["seq"], f["data"]))
        elif f.get("type") == "batch":
            assert f["channel"] == channel, f
            assert f["events"], f
            for e in f["events"]:
                got.append((e["seq"], e["data"]))
        else:
            raise AssertionError(f"unexpected frame while waiting for events: {f}")
    return got


def run_async(coro):
    return asyncio.run(coro)


# -- fixtures ---------------------------------------------------------------

@pytest.fixture
def make_node(tmp_path):
    """Factory: make_node(tls=False, config={...}, start=True, ...) -> Node.
    Every node still running at teardown is stopped with SIGTERM and must
    exit with status 0."""
    nodes = []
    counter = [0]

    def factory(tls=False, config=None, start=True, name=None, **kw):
        counter[0] += 1
        n = Node(tmp_path, name=name or f"node{counter[0]}", tls=tls, config=config, **kw)
        nodes.append(n)
        if start:
            n.start()
        return n

    yield factory
    failures = []
    for n in nodes:
        if n.running:
            try:
                n.stop()
            except BaseException as e:  # report every node, not only the first
                failures.append(str(e))
    if failures:
        pytest.fail("\n\n".join(failures))


@pytest.fixture(params=["http", "tls"])
def node(request, make_node):
    """A started node with the demo city, over plain HTTP and over TLS."""
    return make_node(tls=request.param == "tls")


@pytest.fixture
def plain_node(make_node):
    return make_node()


@pytest.fixture
def hooks_node(make_node):
    return make_node(config={"test_hooks": True})


@pytest.fixture(params=["http", "tls"])
def any_hooks_node(request, make_node):
    return make_node(tls=request.param == "tls", config={"test_hooks": True})


# -- the challenge: a node whose clock is inside the demo season ---------------------
#
# The demo season runs 2026-09-01 .. 2027-06-30 (Europe/Paris). Tests of the
# challenge never depend on the real date: they start the node under libfaketime
# at a fixed instant and reason from there.

FAKETIME_LIB = next((p for p in ("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
                                  "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
                                  "/usr/lib/faketime/libfaketime.so.1")
                     if os.path.exists(p)), None)

# A Wednesday, 12:00 in Paris: ISO week 2026-W48 runs Monday 23 to Sunday 29
# November; check-ins may go back to Wednesday 18 (7 days).
SEASON_NOW = "2026-11-25 11:00:00"  # UTC
TODAY = "2026-11-25"
THIS_WEEK = "2026-W48"
SEASON_ID = "2026-2027"
CATEGORIES = ("transport", "alimentation", "logement", "consommation", "dechets")
_INVITE_GROUP = "[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{4}"
INVITE_CODE = re.compile(f"^{_INVITE_GROUP}-{_INVITE_GROUP}$")


def faketime_env_at(when):
    """Environment that starts the node's wall clock at `when` (UTC,
    "YYYY-MM-DD HH:MM:SS"), ticking normally from there; the monotonic clock
    stays real. libfaketime is preloaded directly so the node stays our child."""
    env = dict(os.environ, LD_PRELOAD=FAKETIME_LIB, FAKETIME="@" + when, TZ="UTC",
               FAKETIME_DONT_FAKE_MONOTONIC="1", DONT_FAKE_MONOTONIC="1")
    if is_sanitizer_build(ZCNODE_BIN):
        env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") +
                               ":verify_asan_link_order=0").lstrip(":")
    return env


def start_in_season(n, when=SEASON_NOW):
    """(Re)starts node n with its clock at `when`."""
    return n.start(env=faketime_env_at(when), ready_timeout=20)


def day(offset=0):
    """TODAY shifted by `offset` days, as YYYY-MM-DD."""
    import datetime
    d = datetime.date.fromisoformat(TODAY) + datetime.timedelta(days=offset)
    return d.isoformat()


@pytest.fixture
def make_season_node(make_node):
    """Factory: make_season_node(tls=False, config=None, when=SEASON_NOW) -> a
    started node with the demo city whose clock reads `when`."""
    if FAKETIME_LIB is None:
        pytest.skip("libfaketime (package faketime) is missing")

    def factory(tls=False, config=None, when=SEASON_NOW, **kw):
        n = make_node(tls=tls, config=config, start=False, **kw)
        return start_in_season(n, when)
    return factory


@pytest.fixture
def snode(make_season_node):
    """A plain-HTTP node inside the season (today is TODAY)."""
    return make_season_node()


@pytest.fixture(params=["http", "tls"])
def any_snode(request, make_season_node):
    """A node inside the season, over plain HTTP and over TLS."""
    return make_season_node(tls=request.param == "tls")


def checkin(n, token, action, date=None):
    body = {"action": action}
    if date is not None:
        body["date"] = date
    return n.post("/api/v1/me/checkins", body, token=token)


def checkin_ok(n, token, action, date=None):
    r = checkin(n, token, action, date)
    assert r.status == 201, (action, date, r)
    return r.json


def get_json(n, path, token=None):
    r = n.get(path, token=token)
    assert r.status == 200, (path, r)
    return r.json


def patch_me(n, token, **fields):
    r = n.request("PATCH", "/api/v1/me", body=fields, token=token)
    assert r.status == 200, (fields, r)
    return r.json


def actions_by_id(n):
    return {a["id"]: a for a in get_json(n, "/api/v1/actions")["actions"]}


def action_body(action_id, **over):
    """A complete, valid body for POST /api/v1/admin/actions."""
    body = {"id": action_id, "category": "transport", "frequency": "daily",
            "title_fr": "Geste d'essai", "title_en": "Test action",
            "why_fr": "Parce que.", "why_en": "Because.",
            "how_fr": "Comme ceci.", "how_en": "Like this.",
            "source": "Estimation pour les tests", "co2e_g": 100, "waste_g": 0,
            "points": 5}
    body.update(over)
    return body


def create_action(n, action_id, **over):
    r = n.post("/api/v1/admin/actions", action_body(action_id, **over), token=n.admin_token())
    assert r.status == 201, r
    return r.json


def challenge_state(n, token):
    """Everything a refused challenge request could change for this participant
    and the public boards."""
    st = {}
    for key, path in (("me", "/api/v1/me"), ("progress", "/api/v1/me/progress"),
                      ("checkins", "/api/v1/me/checkins"),
                      ("commitments", "/api/v1/me/commitments"),
                      ("footprint", "/api/v1/me/footprint"), ("waste", "/api/v1/me/waste"),
                      ("teams", "/api/v1/me/teams")):
        st[key] = get_json(n, path, token=token)
    for b in ("points", "co2e"):
        for s in ("individual", "team", "neighbourhood"):
            st[f"board:{b}:{s}"] = get_json(
                n, f"/api/v1/leaderboard?board={b}&scope={s}&limit=100", token=token)
    st["actions"] = get_json(n, "/api/v1/actions")
    st["references"] = get_json(n, "/api/v1/waste/references")
    return st


TEAM_ID = re.compile(r"^[0-9a-f]{16}$")


def team_entries(entries):
    """Team board entries without their `id` and `kind`, which are checked here:
    a 16-hex team id and one of the three kinds (names are unique per kind only)."""
    out = []
    for e in entries:
        e = dict(e)
        assert TEAM_ID.match(e.pop("id", "")), e
        assert e.pop("kind", None) in ("household", "association", "neighbourhood"), e
        out.append(e)
    return out


# -- workshops (issue #4) ------------------------------------------------------------

import contextlib  # noqa: E402
import datetime  # noqa: E402

UTC = datetime.timezone.utc


class FakeClock:
    """The wall clock of a node run under libfaketime: `when` at the first start,
    then real time; later starts (after SIGTERM or kill -9) carry on from where
    it stood, so stored times never run backwards."""

    def __init__(self, when=SEASON_NOW):
        self.base = datetime.datetime.strptime(when, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
        self.t0 = None

    def now(self):
        if self.t0 is None:
            return self.base
        return self.base + datetime.timedelta(seconds=time.monotonic() - self.t0)

    def start(self, n):
        when = (self.now() + datetime.timedelta(seconds=1)).replace(microsecond=0)
        self.base, self.t0 = when, time.monotonic()
        return n.start(env=faketime_env_at(when.strftime("%Y-%m-%d %H:%M:%S")),
                       ready_timeout=20)


def rfc3339(dt):
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_rfc3339(s):
    assert RFC3339.match(s), s
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))


# Tests drive live sessions faster than a person would.
WORKSHOP_CONFIG = {"ws_messages_per_second": 1000}


def workshop_season_node(root, name="wk", config=None):
    """A started node with the demo city, its clock at SEASON_NOW (n.clock)."""
    if FAKETIME_LIB is None:
        pytest.skip("libfaketime (package faketime) is missing")
    n = Node(root, name=name, config={**WORKSHOP_CONFIG, **(config or {})})
    n.clock = FakeClock()
    n.clock.start(n)
    n.anim = n.staff_token("anim", "animator")
    n.modo = n.staff_token("modo", "moderator")
    return n


@pytest.fixture(scope="module")
def workshop_node(tmp_path_factory):
    """One node per test module for the workshop tests (each test makes its own
    workshops and participants); stopped with SIGTERM and checked at the end."""
    n = workshop_season_node(tmp_path_factory.mktemp("workshops"))
    yield n
    if n.running:
        n.stop()


def workshop_body(n, start_in=30, minutes=90, **over):
    """A valid body for POST /admin/workshops: a hybrid workshop with 30 seats
    starting `start_in` minutes from the node's now."""
    start = n.clock.now().replace(microsecond=0) + datetime.timedelta(minutes=start_in)
    body = {"title": {"fr": "Cuisiner de saison", "en": "Cooking with the seasons"},
            "description": {"fr": "Des recettes locales.", "en": "Local recipes."},
            "kind": "hybrid", "starts_at": rfc3339(start),
            "ends_at": rfc3339(start + datetime.timedelta(minutes=minutes)),
            "capacity": 30, "video_url": "https://video.example.org/atelier"}
    body.update(over)
    return {k: v for k, v in body.items() if v is not None}


def create_workshop(n, token=None, start_in=30, minutes=90, **over):
    r = n.post("/api/v1/admin/workshops", workshop_body(n, start_in, minutes, **over),
               token=token or n.admin_token())
    assert r.status == 201, r
    return r.json


def put_plan(n, wid, items, token=None):
    r = n.request("PUT", f"/api/v1/admin/workshops/{wid}/plan", body={"items": items},
                  token=token or n.admin_token())
    assert r.status == 200, r
    return r.json


def staff_workshops(n, when="all", token=None):
    return get_json(n, f"/api/v1/admin/workshops?when={when}&limit=100",
                    token=token or n.admin_token())["workshops"]


def staff_workshop(n, wid):
    """The staff view of workshop wid (from GET /admin/workshops)."""
    found = [w for w in staff_workshops(n) if w["id"] == wid]
    assert len(found) == 1, (wid, found)
    return found[0]


def slide(title, body="Texte de la diapositive."):
    return {"kind": "slide", "title": {"fr": title}, "body": {"fr": body}}


def poll(question, options, multiple=False):
    return {"kind": "poll", "question": {"fr": question},
            "options": [{"fr": o} for o in options], "multiple": multiple}


def quiz(question, options, correct, seconds=5, points=10):
    return {"kind": "quiz", "question": {"fr": question},
            "options": [{"fr": o} for o in options], "correct": correct,
            "seconds": seconds, "points": points}


class WorkshopClient:
    """One WebSocket client of workshop:<id>. It keeps every event it receives
    (checking that seqs follow each other) and matches each frame it sends with
    its ack or error by `ref`."""

    def __init__(self, ws, wid, name):
        self.ws, self.wid, self.name = ws, wid, name
        self.channel = f"workshop:{wid}"
        self.events = []  # [(seq, data)] in arrival order
        self.last_seq = None
        self.sub = self.welcome = None
        self._n = 0

    async def _read(self, timeout):
        """One frame: event and batch frames are recorded (None is returned)."""
        f = await ws_recv(self.ws, timeout)
        if f.get("type") == "event":
            evs = [(f["seq"], f["data"])]
        elif f.get("type") == "batch":
            assert f["events"], f
            evs = [(e["seq"], e["data"]) for e in f["events"]]
        else:
            return f
        assert f["channel"] == self.channel, f
        for seq, data in evs:
            assert self.last_seq is not None and seq == self.last_seq + 1, \
                f"{self.name}: event {seq} after {self.last_seq}: {data}"
            self.last_seq = seq
            self.events.append((seq, data))
        return None

    async def subscribe(self, after=None):
        msg = {"type": "subscribe", "channel": self.channel}
        if after is not None:
            msg["after"] = after
        await ws_send(self.ws, msg)
        f = await ws_recv(self.ws)
        assert f.get("type") == "subscribed" and f.get("channel") == self.channel, \
            (self.name, f)
        self.sub = f
        self.last_seq = after if after is not None else f["seq"]
        return f

    async def call(self, type_, timeout=WS_TIMEOUT, **fields):
        """Sends one frame with a fresh ref; returns its ack or error frame."""
        self._n += 1
        ref = f"{self.name}-{self._n}"
        await ws_send(self.ws, {"type": type_, "channel": self.channel, "ref": ref, **fields})
        return await self.reply(ref, timeout)

    async def reply(self, ref, timeout=WS_TIMEOUT):
        deadline = time.monotonic() + timeout
        while True:
            try:
                f = await self._read(max(0.01, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                raise AssertionError(f"{self.name}: no reply to {ref}") from None
            if f is None:
                continue
            assert f.get("type") in ("ack", "error") and f.get("ref") == ref, \
                f"{self.name}: unexpected frame {f} while waiting for the reply to {ref}"
            return f

    async def ok(self, type_, **fields):
        f = await self.call(type_, **fields)
        assert f["type"] == "ack", (self.name, type_, fields, f)
        assert set(f) == {"type", "ref", "channel", "data"}, f
        assert f["channel"] == self.channel and isinstance(f["data"], dict), f
        return f["data"]

    async def refused(self, code, type_, status=None, **fields):
        """Sends a frame that must be refused with `code` (and HTTP-like `status`)."""
        f = await self.call(type_, **fields)
        assert f["type"] == "error" and f["error"]["code"] == code, \
            (self.name, type_, fields, f)
        assert set(f["error"]) == {"code", "message", "status"}, f
        assert isinstance(f["error"]["message"], str) and f["error"]["message"], f
        assert isinstance(f["error"]["status"], int), f
        if status is not None:
            assert f["error"]["status"] == status, f
        return f

    async def publish(self, action, **fields):
        return await self.ok("publish", action=action, **fields)

    def mark(self):
        return len(self.events)

    async def wait(self, pred, since=0, timeout=WS_TIMEOUT, what="events"):
        """Reads frames until pred(event data since `since`) is true; returns it."""
        deadline = time.monotonic() + timeout
        while True:
            v = pred([d for _, d in self.events[since:]])
            if v:
                return v
            try:
                f = await self._read(max(0.01, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                raise AssertionError(f"{self.name}: timed out waiting for {what}; events "
                                     f"since {since}: {self.events[since:]}") from None
            assert f is None, f"{self.name}: unexpected frame {f} while waiting for {what}"

    async def event(self, kind, since=0, timeout=WS_TIMEOUT, **match):
        """The first event of `kind` (with the given fields) since `since`."""
        def pred(evs):
            return next((d for d in evs if d.get("kind") == kind and
                         all(d.get(k) == v for k, v in match.items())), None)
        return await self.wait(pred, since, timeout, what=f"{kind} {match}")

    async def catch_up(self, seq, timeout=WS_TIMEOUT):
        """Reads until every event up to seq has arrived."""
        await self.wait(lambda _: self.last_seq >= seq, timeout=timeout,
                        what=f"events up to {seq}")


async def ws_join(stack, n, token, wid, name, after=None):
    """Connects (closed by the AsyncExitStack), says hello and subscribes."""
    ws = await stack.enter_async_context(n.ws_connect())
    c = WorkshopClient(ws, wid, name)
    c.welcome = await ws_hello(ws, token)
    assert c.welcome.get("type") == "welcome", c.welcome
    await c.subscribe(after)
    return c


def workshop_session(n, wid, *actions, token=None):
    """Runs publish actions (names or (name, fields)) as the animator."""
    async def go():
        async with contextlib.AsyncExitStack() as stack:
            c = await ws_join(stack, n, token or n.anim, wid, "staff")
            for a in actions:
                name, fields = (a, {}) if isinstance(a, str) else a
                await c.publish(name, **fields)
    run_async(go())


def plan_items(n, wid):
    """The numbers that name the plan's items in the live session: the item's
    `item` field in the staff view when it has one, else its index (from 0)."""
    return [it.get("item", i) for i, it in enumerate(staff_workshop(n, wid)["plan"])]
