"""Mutual TLS between city nodes (zcfed/1): the federation port admits only
clients whose certificate a configured peer pins (and that is current), over
TLS 1.2 or later; the node as a client refuses a server whose key is not the
pinned one before it sends a byte; zcfed/1 is never served on the public port.
And `zcnode federation show` prints what the files say."""

import datetime
import socket
import ssl
import subprocess
import warnings

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from conftest import assert_error, run_cli
from fedutil import (LAST_WEEK, UTC, TestPeer, TLSKey, b64u, b64u_dec, client_context,
                     fed_request, fed_status, federation, keyid_of, peer_state, publish_ok,
                     spki_pin_of_pem_file, wait_until)

ENTRIES = "/zcfed/1/log/issy/entries"


def attempt(port, ctx):
    """A handshake, then one request. Returns (stage, error) where stage is
    "handshake" or "request" (where it failed), or ("ok", first response bytes)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        try:
            t = ctx.wrap_socket(s)
        except (ssl.SSLError, OSError) as e:
            return "handshake", e
        try:
            t.sendall(b"GET " + ENTRIES.encode() + b" HTTP/1.1\r\nHost: x\r\n"
                      b"Connection: close\r\n\r\n")
            data = t.recv(4096)
        except (ssl.SSLError, OSError) as e:
            return "request", e
        finally:
            t.close()
        return ("ok", data) if data else ("request", "closed without a response")


def refused(port, tls):
    """Checks that a client presenting tls (or no certificate) gets no response:
    with TLS 1.2 the server's alert ends the handshake itself; with TLS 1.3 (where
    the client's certificate follows the server's Finished) the first read meets
    the alert and no HTTP byte. Returns the two errors."""
    stage12, err12 = attempt(port, client_context(tls, maximum=ssl.TLSVersion.TLSv1_2))
    assert stage12 == "handshake", (stage12, err12)
    assert isinstance(err12, ssl.SSLError) and "ALERT" in str(err12), err12
    stage13, err13 = attempt(port, client_context(tls, minimum=ssl.TLSVersion.TLSv1_3))
    assert stage13 in ("handshake", "request"), (stage13, err13)
    return err12, err13


@pytest.fixture
def tls_fed(make_node, tmp_path):
    """issy pinning testpeer (current key, and a next pin), oldpeer (an expired
    certificate) — and nothing for `stranger`'s key."""
    tp = TestPeer(tmp_path)
    nxt = TLSKey(tmp_path, "next")
    old = TestPeer(tmp_path, origin="oldpeer")
    old.tls = TLSKey(tmp_path, "oldpeer-expired",
                     not_before=datetime.datetime(2020, 1, 1, tzinfo=UTC),
                     not_after=datetime.datetime(2021, 1, 1, tzinfo=UTC))
    stranger = TLSKey(tmp_path, "stranger")
    fed = federation(make_node, ["issy"],
                     extra_peers=[tp.peer_line(pin=f"{tp.tls.pin},{nxt.pin}"),
                                  old.peer_line()])
    return fed["issy"], tp, nxt, old, stranger


def test_pinned_clients_are_served(tls_fed):
    n, tp, nxt, _, _ = tls_fed
    for tls in (tp.tls, nxt):  # the current key and the next one (rotation)
        for version in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
            stage, data = attempt(n.fed_port, client_context(tls, minimum=version,
                                                             maximum=version))
            assert stage == "ok" and data.startswith(b"HTTP/1.1 200 "), (stage, data)
    r = fed_request(n.fed_port, "GET", ENTRIES, tls=tp.tls)
    assert r.status == 200 and r.json == {"entries": [], "head": 0, "origin": "issy"}, r
    # The server presents the key that `federation show` pins.
    assert r.server_pin == n.show["tls_spki_sha256"]


def test_client_without_certificate_is_refused(tls_fed):
    n = tls_fed[0]
    err12, err13 = refused(n.fed_port, None)
    assert "HANDSHAKE_FAILURE" in str(err12) or "CERTIFICATE_REQUIRED" in str(err12), err12
    assert "CERTIFICATE_REQUIRED" in str(err13) or "EOF" in str(err13), err13


def test_unpinned_certificate_is_refused(tls_fed):
    n, _, _, _, stranger = tls_fed
    refused(n.fed_port, stranger)


def test_expired_pinned_certificate_is_refused(tls_fed):
    n, _, _, old, _ = tls_fed
    refused(n.fed_port, old.tls)


def test_tls11_is_refused_by_the_server(tls_fed):
    n, tp = tls_fed[:2]
    # A pinned client offering only TLS 1.1, from Python when its OpenSSL still
    # lets it offer TLS 1.1 (security level 0) and from `openssl s_client`.
    # The refusal must be the server's protocol_version alert: a client that
    # could not offer TLS 1.1 would fail with "no protocols available" instead.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        ctx = client_context(tp.tls, minimum=ssl.TLSVersion.TLSv1_1,
                             maximum=ssl.TLSVersion.TLSv1_1, ciphers="DEFAULT:@SECLEVEL=0")
    stage, err = attempt(n.fed_port, ctx)
    assert stage == "handshake", (stage, err)
    if "NO_PROTOCOLS_AVAILABLE" not in str(err):
        assert "TLSV1_ALERT_PROTOCOL_VERSION" in str(err), err
    p = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{n.fed_port}",
                        "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0",
                        "-cert", str(tp.tls.cert_path), "-key", str(tp.tls.key_path)],
                       input="", capture_output=True, text=True, timeout=30)
    out = p.stdout + p.stderr
    assert p.returncode != 0, out
    assert "no protocols available" not in out, out
    assert "alert protocol version" in out, out
    # The same client with TLS 1.2 is served.
    p = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{n.fed_port}",
                        "-tls1_2", "-ign_eof", "-cert", str(tp.tls.cert_path),
                        "-key", str(tp.tls.key_path)],
                       input=f"GET {ENTRIES} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                       capture_output=True, text=True, timeout=30)
    assert "HTTP/1.1 200 " in p.stdout, p.stdout + p.stderr


def test_zcfed_is_not_served_on_the_public_port(tls_fed):
    n, tp = tls_fed[:2]
    r = n.post("/zcfed/1/inbox", raw=b'{"envelopes":[]}')
    assert_error(r, 404, "not_found")
    assert_error(n.get(ENTRIES), 404, "not_found")
    # Nor the public API on the federation port.
    r = fed_request(n.fed_port, "GET", "/api/v1/intercity", tls=tp.tls)
    assert_error(r, 404, "not_found")
    r = fed_request(n.fed_port, "GET", "/healthz", tls=tp.tls)
    assert r.status == 404, r
    assert fed_status(n)["logs"] == []


def test_node_refuses_a_server_with_the_wrong_pin(make_node, tmp_path):
    good = TestPeer(tmp_path, origin="goodpeer", listen=True)
    bad = TestPeer(tmp_path, origin="badpin", listen=True)
    wrong = TLSKey(tmp_path, "wrong")
    try:
        fed = federation(make_node, ["issy"],
                         extra_peers=[good.peer_line(), bad.peer_line(pin=wrong.pin)])
        n = fed["issy"]
        doc = publish_ok(n, LAST_WEEK)
        wait_until(lambda: doc["envelope"] in good.pushed(), "the push to goodpeer")
        wait_until(lambda: peer_state(n, "badpin")["failures"] >= 2,
                   "two failed attempts on badpin")
        st = peer_state(n, "badpin")
        assert "pinned" in st["last_error"], st
        assert st["last_ok"] == 0 and st["queued"] == 1, st
        assert peer_state(n, "goodpeer")["last_error"] == ""
        # badpin saw TLS handshakes but not one byte of HTTP, pulls included.
        wait_until(lambda: len(bad.connections) >= 2, "badpin to see the two connections")
        assert bad.requests == [] and all(c == b"" for c in bad.connections), bad.connections
        assert any(m == "GET" for m, *_ in good.requests)  # good was pulled from
    finally:
        good.close()
        bad.close()


def test_federation_show_matches_the_files(make_node, tmp_path):
    tp = TestPeer(tmp_path)
    fed = federation(make_node, ["issy"], extra_peers=[tp.peer_line()])
    n = fed["issy"]
    show = n.show
    pub_text = (n.data_dir / "identity.pub").read_text().strip()
    pub = b64u_dec(pub_text)
    # identity.key holds the seed of the key whose public half is identity.pub.
    seed = (n.data_dir / "identity.key").read_bytes()
    assert len(seed) == 32
    derived = ed25519.Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert derived == pub
    pin = spki_pin_of_pem_file(n.data_dir / "tls" / "fed.crt")
    assert show["origin"] == "issy"
    assert show["url"] == f"https://127.0.0.1:{n.fed_port}"
    assert show["identity_key"] == pub_text == b64u(pub)
    assert show["keyid"] == keyid_of(pub)
    assert show["tls_spki_sha256"] == pin
    assert show["peer"] == f"issy https://127.0.0.1:{n.fed_port} {pub_text} {pin}"
    # The running node says the same, and presents that key on its port.
    st = fed_status(n)
    assert (st["origin"], st["identity_key"], st["keyid"], st["tls_spki_sha256"]) == \
        ("issy", pub_text, show["keyid"], pin)
    assert fed_request(n.fed_port, "GET", ENTRIES, tls=tp.tls).server_pin == pin
    # Without fed_origin it says what is missing and fails.
    conf = tmp_path / "nofed.conf"
    conf.write_text("listen = 127.0.0.1\n")
    p = run_cli("federation", "show", "--data-dir", n.data_dir, "--config", conf)
    assert p.returncode == 1 and "unset" in p.stdout, p
    assert "peer =" not in p.stdout
    assert run_cli("federation", "show", "--data-dir", tmp_path / "none").returncode != 0


def test_unreachable_peer_backs_off(make_node, tmp_path):
    # A peer whose address answers nothing: failures are counted, the retry is
    # scheduled within fed_backoff_max_s, and the statement stays queued.
    tp = TestPeer(tmp_path)
    fed = federation(make_node, ["issy"], extra_peers=[tp.peer_line()])
    n = fed["issy"]
    publish_ok(n, LAST_WEEK)
    wait_until(lambda: peer_state(n, "testpeer")["failures"] >= 2, "two failures")
    st = peer_state(n, "testpeer")
    assert st["queued"] == 1 and st["last_ok"] == 0 and st["last_error"], st
    assert 0 <= st["next_attempt_in_s"] <= 2, st
