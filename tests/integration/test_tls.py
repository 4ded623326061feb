"""TLS: ALPN h2, HTTP/2 with curl, protocol versions, certificate checks."""

import json
import socket
import ssl
import subprocess

import pytest

from conftest import HTTP_TIMEOUT


@pytest.fixture
def tls_node(make_node):
    return make_node(tls=True)


def handshake(node, **ctx_opts):
    ctx = node.ssl_context()
    for k, v in ctx_opts.items():
        if k == "alpn":
            ctx.set_alpn_protocols(v)
        else:
            setattr(ctx, k, v)
    with socket.create_connection(("127.0.0.1", node.port), timeout=HTTP_TIMEOUT) as s:
        with ctx.wrap_socket(s, server_hostname="127.0.0.1") as t:
            return t.version(), t.selected_alpn_protocol()


def test_alpn_selects_h2(tls_node):
    _, alpn = handshake(tls_node, alpn=["h2", "http/1.1"])
    assert alpn == "h2"


def test_alpn_http11_only_client(tls_node):
    _, alpn = handshake(tls_node, alpn=["http/1.1"])
    assert alpn == "http/1.1"
    r = tls_node.get("/healthz")
    assert r.status == 200


def test_certificate_verifies_for_localhost_name(tls_node):
    ctx = tls_node.ssl_context()
    with socket.create_connection(("127.0.0.1", tls_node.port), timeout=HTTP_TIMEOUT) as s:
        with ctx.wrap_socket(s, server_hostname="localhost") as t:
            assert t.version() in ("TLSv1.2", "TLSv1.3")


def test_untrusted_client_refuses_the_self_signed_cert(tls_node):
    ctx = ssl.create_default_context()  # system CAs only
    with socket.create_connection(("127.0.0.1", tls_node.port), timeout=HTTP_TIMEOUT) as s:
        with pytest.raises(ssl.SSLCertVerificationError):
            ctx.wrap_socket(s, server_hostname="127.0.0.1")
    # The failed handshake did not hurt the node.
    assert tls_node.get("/healthz").status == 200


def test_curl_http2_healthz(tls_node):
    p = subprocess.run(
        ["curl", "--silent", "--show-error", "--http2", "--cacert", str(tls_node.cert_path),
         "--max-time", "15", "--write-out", "\n%{http_version} %{http_code}",
         f"https://127.0.0.1:{tls_node.port}/healthz"],
        capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, p.stderr
    body, _, meta = p.stdout.rpartition("\n")
    assert meta == "2 200", p.stdout
    assert json.loads(body)["status"] == "ok"


def test_curl_http2_post_and_get_me(tls_node):
    def curl(*args):
        p = subprocess.run(["curl", "--silent", "--show-error", "--http2", "--cacert",
                            str(tls_node.cert_path), "--max-time", "15", "--write-out",
                            "\n%{http_version} %{http_code}", *args],
                           capture_output=True, text=True, timeout=30)
        assert p.returncode == 0, p.stderr
        body, _, meta = p.stdout.rpartition("\n")
        return meta, body

    meta, body = curl("-H", "content-type: application/json", "--data",
                      '{"nickname":"Deux Flux"}',
                      f"https://127.0.0.1:{tls_node.port}/api/v1/participants")
    assert meta == "2 201", (meta, body)
    reg = json.loads(body)
    meta, body = curl("-H", f"authorization: Bearer {reg['token']}",
                      f"https://127.0.0.1:{tls_node.port}/api/v1/me")
    assert meta == "2 200", (meta, body)
    assert json.loads(body)["nickname"] == "Deux Flux"
    # A bodiless answer over h2 (204): its DATA frame with END_STREAM has no
    # body buffer behind it (the sanitizer build checks where lws writes it).
    meta, body = curl("-X", "DELETE", "-H", f"authorization: Bearer {reg['token']}",
                      f"https://127.0.0.1:{tls_node.port}/api/v1/me")
    assert (meta, body) == ("2 204", ""), (meta, body)
    meta, body = curl("-H", f"authorization: Bearer {reg['token']}",
                      f"https://127.0.0.1:{tls_node.port}/api/v1/me")
    assert meta == "2 401", (meta, body)


def test_curl_http2_json_whose_last_frame_is_over_4_kib(tls_node):
    """A JSON answer whose (last) 8 KiB DATA frame is over 4 KiB: lws 4.1
    writes at most about 4 KiB per call and keeps the rest, so a stream ended
    right after the last write lost its tail and the client waited for ever."""
    n = tls_node
    admin = n.admin_token()

    def curl(path):
        p = subprocess.run(["curl", "--silent", "--show-error", "--http2", "--cacert",
                            str(n.cert_path), "--max-time", "15", "--write-out",
                            "\n%{http_version} %{http_code}",
                            f"https://127.0.0.1:{n.port}{path}"],
                           capture_output=True, text=True, timeout=30)
        assert p.returncode == 0, p.stderr
        body, _, meta = p.stdout.rpartition("\n")
        return meta, body

    def make(extra):
        # Descriptions are at most 2,000 characters in each language ("é":
        # 2 bytes each).
        r = n.post("/api/v1/admin/workshops", {
            "title": {"fr": "Atelier long"},
            "description": {"fr": "é" * 2000, "en": "e" * (500 + extra)},
            "kind": "online", "starts_at": "2030-01-01T10:00:00Z",
            "ends_at": "2030-01-01T12:00:00Z"}, token=admin)
        assert r.status == 201, r
        return r.json["id"]

    probe = len(n.get(f"/api/v1/workshops/{make(0)}").body)
    # One DATA frame of 5,000 bytes: over what lws writes at once.
    assert probe < 5000 <= probe + 1500, probe
    wid = make(5000 - probe)
    h1 = n.get(f"/api/v1/workshops/{wid}")
    assert h1.status == 200 and len(h1.body) == 5000, len(h1.body)
    meta, body = curl(f"/api/v1/workshops/{wid}")
    assert meta == "2 200" and body.encode() == h1.body, (meta, len(body))


@pytest.mark.parametrize("version", ["TLSv1_2", "TLSv1_3"])
def test_tls12_and_tls13_handshakes_succeed(tls_node, version):
    v = getattr(ssl.TLSVersion, version)
    got, _ = handshake(tls_node, minimum_version=v, maximum_version=v)
    assert got == version.replace("_", ".")


def s_client(port, *opts):
    return subprocess.run(
        ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername", "localhost",
         *opts],
        input="", capture_output=True, text=True, timeout=30)


def test_openssl_tls12_succeeds(tls_node):
    p = s_client(tls_node.port, "-tls1_2")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "Protocol  : TLSv1.2" in p.stdout or "TLSv1.2" in p.stdout


def test_openssl_tls11_is_refused(tls_node):
    p = s_client(tls_node.port, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0")
    out = p.stdout + p.stderr
    assert p.returncode != 0, out
    # The client did send a TLS 1.1 hello and the server answered with a
    # protocol_version alert (70): the refusal came from the server.
    assert "no protocols available" not in out, out
    assert "alert protocol version" in out, out
    assert "Cipher is (NONE)" in out, out
    assert tls_node.get("/healthz").status == 200
