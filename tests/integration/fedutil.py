"""Helpers for the federation (zcfed/1) integration tests: several real nodes
that pin one another, a Python peer with its own Ed25519 identity and TLS key,
statements and DSSE envelopes built and signed in Python (with `cryptography`,
i.e. OpenSSL, not the node's libsodium), and mutual-TLS requests to a node's
federation port.

Every federated node runs under libfaketime at the same instant (one shared
FakeClock, inside the demo season), so the weeks are fixed whatever the date:
today is Wednesday 2026-11-25, 2026-W47 is the last closed week, 2026-W48 the
current one. Nodes make their federation certificate at their first start,
under that clock, so it is valid for them.
"""

import base64
import datetime
import hashlib
import http.client
import json
import re
import socket
import ssl
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.x509.oid import NameOID
import pytest

from conftest import FAKETIME_LIB, FakeClock, Response, run_cli, wait_for

PAYLOAD_TYPE = "application/vnd.zcfed.statement+json"
LAST_WEEK = "2026-W47"  # the last closed ISO week at SEASON_NOW
EARLIER_WEEK = "2026-W46"
THIS_WEEK = "2026-W48"
SEASON = "2026-2027"
BODY_MAX = 1 << 20  # FED_BODY_MAX
BATCH_MAX = 100  # FED_BATCH_MAX
FUTURE_SKEW_S = 300  # FED_FUTURE_SKEW_S

# dp.h: the six metrics with their clip and epsilon (thousandths).
METRICS = (("active", 1, 200), ("co2e_avoided_g", 10000, 200), ("waste_avoided_g", 5000, 200),
           ("checkins", 20, 200), ("attendance_online", 1, 100),
           ("attendance_physical", 1, 100))
PER_WEEK_MILLI = sum(eps for _, _, eps in METRICS)

# Short timers so a federation converges within seconds.
FED_TIMERS = {"fed_pull_interval_s": 2, "fed_backoff_min_s": 1, "fed_backoff_max_s": 2,
              "fed_auto_publish": False}

CONVERGE_TIMEOUT = 20.0  # a safety net: convergence itself takes a pull interval or two


# -- encodings ---------------------------------------------------------------------

def b64u(data):
    """Unpadded base64url."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64u_dec(text):
    """Strict unpadded base64url: the alphabet only, no padding, and the text
    must be the one encoding of the bytes (no stray trailing bits)."""
    assert re.fullmatch(r"[A-Za-z0-9_-]*", text), text
    assert len(text) % 4 != 1, text
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    assert b64u(data) == text, f"not the canonical encoding: {text}"
    return data


def sha256(data):
    return hashlib.sha256(data).digest()


def _check_canonical_value(v, depth=0):
    """The values our payloads use, within zcfed/1's canonical JSON rules
    (federation/canon.h): no floats, integers within +/-(2^53-1)."""
    assert depth <= 16, "too deep"
    if isinstance(v, bool) or v is None:
        return
    if isinstance(v, int):
        assert -(2**53 - 1) <= v <= 2**53 - 1, v
    elif isinstance(v, str):
        assert "\x00" not in v, v
    elif isinstance(v, list):
        for x in v:
            _check_canonical_value(x, depth + 1)
    elif isinstance(v, dict):
        for k, x in v.items():
            assert isinstance(k, str), k
            _check_canonical_value(k, depth + 1)
            _check_canonical_value(x, depth + 1)
    else:
        raise AssertionError(f"not allowed in canonical JSON: {v!r}")


def canon(obj):
    """Canonical JSON bytes. Python's writer with sorted keys, no spaces and raw
    UTF-8 gives exactly canon.h's form for these values: keys sorted by code
    point sort the same as by UTF-8 bytes, integers have one spelling, and it
    escapes only \\" \\\\ and the controls (\\b \\t \\n \\f \\r, else \\u00xx in
    lowercase hex)."""
    _check_canonical_value(obj)
    return json.dumps(obj, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def pae(payload_type, payload):
    """DSSE's pre-authentication encoding (dsse.h): "DSSEv1 <len> <type> <len> <payload>"
    with byte lengths in decimal."""
    t = payload_type.encode("ascii")
    return b"DSSEv1 %d %s %d %s" % (len(t), t, len(payload), payload)


def keyid_of(pub_raw):
    """The key id of an Ed25519 public key: base64url of its SHA-256."""
    return b64u(sha256(pub_raw))


# -- identities --------------------------------------------------------------------

class Signer:
    """An Ed25519 identity key, as a peer city holds one."""

    def __init__(self):
        self.key = ed25519.Ed25519PrivateKey.generate()
        self.pub = self.key.public_key().public_bytes(serialization.Encoding.Raw,
                                                      serialization.PublicFormat.Raw)
        self.pub_b64 = b64u(self.pub)
        self.keyid = keyid_of(self.pub)

    def sig(self, payload, payload_type=PAYLOAD_TYPE):
        return self.key.sign(pae(payload_type, payload))

    def envelope(self, payload, payload_type=PAYLOAD_TYPE, keyid=None):
        """A DSSE envelope over the exact payload bytes (a dict; send it with canon)."""
        return {"payload": b64u(payload), "payloadType": payload_type,
                "signatures": [{"keyid": keyid or self.keyid,
                                "sig": b64u(self.sig(payload, payload_type))}]}


def verify_envelope(env, pub_raw):
    """Checks env's one signature with OpenSSL's Ed25519 over the PAE computed here;
    returns the payload bytes."""
    assert set(env) == {"payload", "payloadType", "signatures"}, env
    assert env["payloadType"] == PAYLOAD_TYPE, env
    assert len(env["signatures"]) == 1, env
    sig = env["signatures"][0]
    assert set(sig) == {"keyid", "sig"}, sig
    assert sig["keyid"] == keyid_of(pub_raw), (sig["keyid"], keyid_of(pub_raw))
    payload = b64u_dec(env["payload"])
    raw_sig = b64u_dec(sig["sig"])
    assert len(raw_sig) == 64
    # Raises InvalidSignature when it does not verify.
    ed25519.Ed25519PublicKey.from_public_bytes(pub_raw).verify(
        raw_sig, pae(env["payloadType"], payload))
    return payload


def statement(origin, seq, week, issued_at, keyid, prev_payload=None, city="Testville",
              population=50000, season=SEASON, metrics=None, suppressed=False):
    """A zcfed/1 weekly statement (statement.c's fields) as a dict."""
    if metrics is None and not suppressed:
        metrics = {"active": 120, "co2e_avoided_g": 345678, "waste_avoided_g": 45678,
                   "checkins": 900, "attendance_online": 12, "attendance_physical": 7}
    return {
        "city": city, "issued_at": int(issued_at), "keyid": keyid,
        "metrics": None if suppressed else metrics, "origin": origin,
        "population": population,
        "prev": "" if prev_payload is None else b64u(sha256(prev_payload)),
        "privacy": {"mechanism": "discrete_laplace",
                    "metrics": {name: {"clip": clip, "epsilon_milli": eps}
                                for name, clip, eps in METRICS},
                    "suppress_below": 10},
        "season": season, "seq": seq, "suppressed": suppressed, "type": "zcfed.week",
        "v": 1, "week": week,
    }


# -- TLS ---------------------------------------------------------------------------

def spki_pin(cert):
    """base64url(SHA-256(DER SubjectPublicKeyInfo)) of a cryptography certificate."""
    der = cert.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)
    return b64u(sha256(der))


def spki_pin_of_pem_file(path):
    return spki_pin(x509.load_pem_x509_certificate(Path(path).read_bytes()))


def spki_pin_of_der(der):
    return spki_pin(x509.load_der_x509_certificate(der))


UTC = datetime.timezone.utc


class TLSKey:
    """An EC P-256 key and a self-signed certificate in PEM files, as `zcnode
    init` makes them; the validity window is chosen by the test."""

    def __init__(self, directory, name, not_before=None, not_after=None):
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self.key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "zcnode tests"),
                             x509.NameAttribute(NameOID.COMMON_NAME, name)])
        not_before = not_before or datetime.datetime(2020, 1, 1, tzinfo=UTC)
        not_after = not_after or datetime.datetime(2090, 1, 1, tzinfo=UTC)
        self.cert = (x509.CertificateBuilder()
                     .subject_name(subject).issuer_name(subject)
                     .public_key(self.key.public_key())
                     .serial_number(x509.random_serial_number())
                     .not_valid_before(not_before).not_valid_after(not_after)
                     .add_extension(x509.BasicConstraints(ca=False, path_length=None),
                                    critical=True)
                     .add_extension(x509.SubjectAlternativeName(
                         [x509.DNSName("localhost")]), critical=False)
                     .sign(self.key, hashes.SHA256()))
        self.cert_path = directory / f"{name}.crt"
        self.key_path = directory / f"{name}.key"
        self.cert_path.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))
        self.key_path.write_bytes(self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
        self.pin = spki_pin(self.cert)


def client_context(tls=None, minimum=None, maximum=None, ciphers=None):
    """A client context that checks no CA (the server's pin is checked by the
    caller) and presents tls's certificate when given."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    if minimum is not None:
        ctx.minimum_version = minimum
    if maximum is not None:
        ctx.maximum_version = maximum
    if ciphers:
        ctx.set_ciphers(ciphers)
    if tls is not None:
        ctx.load_cert_chain(str(tls.cert_path), str(tls.key_path))
    return ctx


def fed_request(port, method, path, body=None, tls=None, ctx=None, headers=None, timeout=15):
    """One request to a federation port over mutual TLS; `body` is bytes (or a
    dict, sent canonical). Returns a conftest.Response with .server_pin and
    .raw (the response body bytes as received)."""
    if isinstance(body, (dict, list)):
        body = canon(body)
    ctx = ctx or client_context(tls)
    conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=timeout, context=ctx)
    try:
        conn.connect()
        server_pin = spki_pin_of_der(conn.sock.getpeercert(binary_form=True))
        hdrs = {"Content-Type": "application/json"} if body is not None else {}
        hdrs.update(headers or {})
        conn.request(method, path, body=body, headers=hdrs)
        r = conn.getresponse()
        data = r.read()
        resp = Response(r.status, {k.lower(): v for k, v in r.getheaders()}, data)
        resp.server_pin = server_pin
        return resp
    finally:
        conn.close()


def free_port():
    """A port nothing listens on (bound, then closed): a peer that never answers."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# -- a peer city played by the test ------------------------------------------------

class TestPeer:
    """A peer city played by Python: an origin, an Ed25519 identity, a TLS key.
    With listen=True it also runs a TLS server that answers the node's pushes
    (POST /zcfed/1/inbox) and pulls (GET /zcfed/1/log/...), keeping every byte
    the node sent it."""

    __test__ = False  # not a pytest test class

    def __init__(self, root, origin="testpeer", listen=False, entries=()):
        self.origin = origin
        self.signer = Signer()
        self.tls = TLSKey(Path(root) / f"{origin}-tls", origin)
        self.entries = list(entries)  # envelopes this peer serves for its origin
        self.handshakes = 0
        self.connections = []  # raw bytes the node sent on each connection
        self.requests = []  # (method, path, headers, body)
        self._lock = threading.Lock()
        self._sock = None
        self.port = None
        if listen:
            self._start()
        else:
            self.port = free_port()

    @property
    def url(self):
        return f"https://127.0.0.1:{self.port}"

    def peer_line(self, url=None, pin=None, key=None):
        """This peer's `peer = …` value for a node's config."""
        return (f"{self.origin} {url or self.url} {key or self.signer.pub_b64} "
                f"{pin or self.tls.pin}")

    # The Python side of the protocol.
    def statement(self, seq, week, issued_at, prev_payload=None, **kw):
        return statement(self.origin, seq, week, issued_at, self.signer.keyid,
                         prev_payload=prev_payload, **kw)

    def sign(self, stmt):
        """(payload bytes, envelope) for a statement dict."""
        payload = canon(stmt)
        return payload, self.signer.envelope(payload)

    def post_inbox(self, node, envelopes=None, body=None, tls=None):
        """POST /zcfed/1/inbox to node as this peer (or with tls)."""
        if body is None:
            body = canon({"envelopes": envelopes})
        return fed_request(node.fed_port, "POST", "/zcfed/1/inbox", body=body,
                           tls=tls or self.tls)

    def log_page(self, node, origin, after=0, limit=None):
        q = f"after={after}" + (f"&limit={limit}" if limit is not None else "")
        return fed_request(node.fed_port, "GET", f"/zcfed/1/log/{origin}/entries?{q}",
                           tls=self.tls)

    # The server.
    def _start(self):
        self._ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._ctx.load_cert_chain(str(self.tls.cert_path), str(self.tls.key_path))
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def close(self):
        if self._sock is not None:
            self._stop = True
            self._thread.join(5)
            self._sock.close()
            self._sock = None

    def _serve(self):
        while not self._stop:
            try:
                conn, _ = self._sock.accept()
            except (socket.timeout, OSError):
                continue
            try:
                self._one(conn)
            except (OSError, ssl.SSLError, ValueError):
                pass
            finally:
                conn.close()

    def _one(self, conn):
        conn.settimeout(5)
        tconn = self._ctx.wrap_socket(conn, server_side=True)
        with self._lock:
            self.handshakes += 1
        data = b""
        head_end = -1
        want = None
        while True:
            try:
                chunk = tconn.recv(65536)
            except (ssl.SSLError, OSError):
                chunk = b""
            if not chunk:
                break
            data += chunk
            if head_end < 0:
                head_end = data.find(b"\r\n\r\n")
                if head_end >= 0:
                    m = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", data[:head_end])
                    want = head_end + 4 + (int(m.group(1)) if m else 0)
            if want is not None and len(data) >= want:
                break
        with self._lock:
            self.connections.append(data)
        if head_end < 0:
            return
        lines = data[:head_end].decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        hdrs = dict(line.split(":", 1) for line in lines[1:] if ":" in line)
        body = data[head_end + 4:want]
        with self._lock:
            self.requests.append((method, path, hdrs, body))
        status, out = self._answer(method, path, body)
        tconn.sendall(b"HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
                      b"Content-Length: %d\r\nConnection: close\r\n\r\n%s"
                      % (status, len(out), out))
        try:
            tconn.unwrap()
        except (ssl.SSLError, OSError):
            pass

    def _answer(self, method, path, body):
        if method == "POST" and path == "/zcfed/1/inbox":
            envs = json.loads(body)["envelopes"]
            results = []
            for e in envs:
                s = json.loads(b64u_dec(e["payload"]))
                results.append({"origin": s["origin"], "result": "accepted", "seq": s["seq"]})
            return 200, canon({"results": results})
        m = re.fullmatch(r"/zcfed/1/log/([a-z0-9-]+)/entries\?after=(\d+)&limit=(\d+)", path)
        if method == "GET" and m and m.group(1) == self.origin:
            after, limit = int(m.group(2)), int(m.group(3))
            page = self.entries[after:after + limit]
            return 200, canon({"entries": page, "head": len(self.entries),
                               "origin": self.origin})
        return 404, canon({"error": {"code": "unknown_origin", "message": "not here"}})

    def pushed(self):
        """Every envelope the node pushed here, in order."""
        with self._lock:
            reqs = list(self.requests)
        out = []
        for method, path, _, body in reqs:
            if method == "POST" and path == "/zcfed/1/inbox":
                out.extend(json.loads(body)["envelopes"])
        return out


# -- nodes -------------------------------------------------------------------------

def read_fed_port(n):
    text = n.stdout_path.read_text(errors="replace")
    m = re.search(r"^zcnode federation port=(\d+)$", text, re.M)
    assert m, f"{n.name}: no federation port line in {text!r}"
    ready = text.index("zcnode ready port=")
    assert m.start() < ready, "the federation port must be printed before the ready line"
    return int(m.group(1))


def federation_show(n):
    """`zcnode federation show` for node n, as a dict (and its exit status)."""
    p = run_cli("federation", "show", "--data-dir", n.data_dir, "--config", n.conf_path)
    out = {"rc": p.returncode, "stdout": p.stdout, "stderr": p.stderr}
    for line in p.stdout.splitlines():
        m = re.fullmatch(r"(\w+) = (.*)", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def fed_status(n):
    r = n.get("/api/v1/admin/federation", token=n.admin_token())
    assert r.status == 200, r
    return r.json


def publish(n, week):
    return n.post("/api/v1/admin/federation/publish", {"week": week}, token=n.admin_token())


def publish_ok(n, week):
    r = publish(n, week)
    assert r.status == 201, r
    return r.json


def intercity(n):
    r = n.get("/api/v1/intercity")
    assert r.status == 200, r
    return r.json


def cities(n):
    """origin -> row of the node's inter-city board."""
    return {c["origin"]: c for c in intercity(n)["cities"]}


def heads(n):
    """origin -> seq of every log the node holds (admin status)."""
    return {h["origin"]: h["seq"] for h in fed_status(n)["logs"]}


def peer_state(n, origin):
    found = [p for p in fed_status(n)["peers"] if p["origin"] == origin]
    assert len(found) == 1, found
    return found[0]


def all_verified(n, origins):
    """True when n's board lists every origin in `origins`, each verified."""
    c = cities(n)
    return all(o in c and c[o]["status"] == "verified" for o in origins)


class Federation:
    """Started nodes that pin one another (by origin name); `clock` is their shared
    FakeClock, `nodes[origin]` each Node with .origin, .fed_port and .show."""

    def __init__(self, nodes, clock):
        self.nodes = nodes
        self.clock = clock

    def __getitem__(self, origin):
        return self.nodes[origin]

    def start(self, origin):
        return self.clock.start(self.nodes[origin])

    def stop(self, origin):
        return self.nodes[origin].stop()

    def wait_all_verified(self, origins, among=None, timeout=CONVERGE_TIMEOUT):
        for name in among or self.nodes:
            n = self.nodes[name]
            wait_for(lambda: all_verified(n, origins), timeout=timeout, interval=0.2,
                     what=f"{name}'s board to list {sorted(origins)} as verified")


def fed_node_config(origin, config=None):
    cfg = {"fed_origin": origin, "fed_port": 0, **FED_TIMERS}
    cfg.update(config or {})
    return cfg


def federation(make_node, names, peers=None, config=None, node_config=None, extra_peers=(),
               clock=None, start=True, demo=True):
    """Makes len(names) federated nodes (the demo city each, origin = name).

    Each node is started once with fed_port = 0 to learn its federation port
    (and make its federation certificate under the shared clock), stopped, then
    configured with fed_port/fed_url fixed and a `peer` line for each origin of
    peers[name] (default: every other node). An entry of peers[name] may be
    (origin, {"url": …, "pin": …, "key": …}) to override that line's fields.
    extra_peers are `peer` values (e.g. TestPeer.peer_line()) added to every node;
    demo=False leaves the cities without `admin load-demo` (no population)."""
    if FAKETIME_LIB is None:
        pytest.skip("libfaketime (package faketime) is missing")
    clock = clock or FakeClock()
    nodes = {}
    for name in names:
        cfg = fed_node_config(name, config)
        cfg.update((node_config or {}).get(name, {}))
        n = make_node(start=False, name=name, config=cfg, demo=demo)
        for f in ("fed.crt", "fed.key"):
            (n.data_dir / "tls" / f).unlink(missing_ok=True)
        n.origin = name
        clock.start(n)
        n.fed_port = read_fed_port(n)
        n.stop()
        nodes[name] = n
    for name, n in nodes.items():
        n.config["fed_port"] = n.fed_port
        n.config["fed_url"] = f"https://127.0.0.1:{n.fed_port}"
        n.write_config()
        n.show = federation_show(n)
        assert n.show["rc"] == 0, n.show
    for name, n in nodes.items():
        lines = []
        for entry in (peers or {}).get(name, [o for o in names if o != name]):
            origin, over = (entry, {}) if isinstance(entry, str) else entry
            p = nodes[origin].show
            lines.append(f"{origin} {over.get('url', p['url'])} "
                         f"{over.get('key', p['identity_key'])} "
                         f"{over.get('pin', p['tls_spki_sha256'])}")
        lines.extend(extra_peers)
        n.config["peer"] = lines
        n.write_config()
    fed = Federation(nodes, clock)
    if start:
        for name in names:
            fed.start(name)
    return fed


def wait_until(predicate, what, timeout=CONVERGE_TIMEOUT):
    return wait_for(predicate, timeout=timeout, interval=0.2, what=what)


def now_of(clock):
    """The nodes' clock as Unix seconds."""
    return int(clock.now().timestamp())

