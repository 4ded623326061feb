"""Slide images of workshops (issue #4): the staff upload
POST /api/v1/admin/workshops/{id}/images and the public
GET /api/v1/workshops/{id}/images/{name}.

The images are built here by hand, byte by byte: a real PNG (signature, IHDR,
IDAT, IEND with their CRCs), a real 1x1 lossless WebP, and a JPEG frame (SOI, a
JFIF segment, a comment, EOI) whose magic bytes are what the node checks.
Most tests share one node (workshop_node); restarts and the schema migration
use their own."""

import base64
import contextlib
import hashlib
import http.client
import itertools
import os
import re
import select
import socket
import struct
import subprocess
import zlib

import pytest

from conftest import (FAKETIME_LIB, HTTP_TIMEOUT, WORKSHOP_CONFIG, FakeClock, assert_error,
                      get_json, plan_items, put_plan, run_async, slide, staff_workshop, ws_join)
from conftest import create_workshop as create

MIB = 1 << 20
IMMUTABLE = "public, max-age=31536000, immutable"
EXT = {"image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp"}
NAME = re.compile(r"^[0-9a-f]{64}\.(png|jpg|webp)$")

_serial = itertools.count(1)


# -- images, by hand ---------------------------------------------------------------------

def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(note=None, size=None):
    """A valid 1x1 grey PNG. `note` (text) goes in a tEXt chunk so that each
    note gives other bytes; `size` pads the file to exactly that many bytes
    with a private ancillary chunk of random bytes (NULs included)."""
    note = note if note is not None else f"image {next(_serial)}"
    head = b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    body = _png_chunk(b"tEXt", b"Comment\0" + note.encode("latin-1"))
    body += _png_chunk(b"IDAT", zlib.compress(b"\x00\x80"))
    tail = _png_chunk(b"IEND", b"")
    if size is not None:
        pad = size - len(head) - len(body) - len(tail) - 12
        assert pad >= 1024, size
        filler = b"\x00" * 1024 + os.urandom(pad - 1024)
        body += _png_chunk(b"raNd", filler)
    out = head + body + tail
    assert size is None or len(out) == size
    return out


def jpeg(note=None):
    """SOI, a JFIF APP0 segment, a comment (COM) and EOI."""
    note = (note if note is not None else f"image {next(_serial)}").encode()
    app0 = b"JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return (b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 +
            b"\xff\xfe" + struct.pack(">H", len(note) + 2) + note + b"\xff\xd9")


# A 1x1 transparent lossless WebP: RIFF, size 26 (the 26 bytes after it), WEBP, VP8L.
WEBP = base64.b64decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")


def webp():
    return WEBP


MAKERS = {"image/png": png, "image/jpeg": jpeg, "image/webp": webp}


def name_of(data, mime):
    return hashlib.sha256(data).hexdigest() + EXT[mime]


# -- requests ----------------------------------------------------------------------------

def upload(n, wid, data, ctype, token=None):
    return n.request("POST", f"/api/v1/admin/workshops/{wid}/images", raw=data,
                     content_type=ctype, token=token or n.anim)


def uploaded(n, wid, data, ctype, token=None, status=201):
    r = upload(n, wid, data, ctype, token)
    assert r.status == status, r
    assert r.header("content-type").startswith("application/json"), r.headers
    assert r.json == {"name": name_of(data, ctype)}, r.json
    return r.json["name"]


def image_path(wid, name):
    return f"/api/v1/workshops/{wid}/images/{name}"


def fetch(n, wid, name, method="GET"):
    return n.request(method, image_path(wid, name))


def assert_served(n, wid, name, data, mime):
    """GET gives the same bytes with the type and cache headers; HEAD the same
    headers and no body."""
    r = fetch(n, wid, name)
    assert r.status == 200, r
    assert r.body == data, (len(r.body), len(data))
    assert r.header("content-type") == mime, r.headers
    assert r.header("content-length") == str(len(data)), r.headers
    assert r.header("cache-control") == IMMUTABLE, r.headers
    assert r.header("x-content-type-options") == "nosniff", r.headers
    h = fetch(n, wid, name, "HEAD")
    assert h.status == 200 and h.body == b"", h
    for k in ("content-type", "content-length", "cache-control", "x-content-type-options"):
        assert h.header(k) == r.header(k), (k, h.headers)


def assert_absent(n, wid, name):
    r = fetch(n, wid, name)
    assert_error(r, 404, "not_found")
    assert r.header("cache-control") == "no-store", r.headers


def images_stored(n):
    """Entries of the node's ws_images database (mdb_stat, a second reader)."""
    p = subprocess.run(["mdb_stat", "-s", "ws_images", str(n.data_dir / "db")],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, p.stderr
    m = re.search(r"Entries: (\d+)", p.stdout)
    assert m, p.stdout
    return int(m.group(1))


def audit_targets(n, action="workshop_image"):
    return [(e["actor"], e["target"]) for e in n.audit() if e["action"] == action]


def post_head_first(n, path, headers, body):
    """POST over a raw socket: the headers, then the body in 64 KiB pieces as
    long as the node has not answered (it may answer from Content-Length
    alone, then close); returns (status, headers, body)."""
    s = socket.create_connection(("127.0.0.1", n.port), timeout=HTTP_TIMEOUT)
    try:
        lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            for i in range(0, len(body), 65536):
                if select.select([s], [], [], 0)[0]:
                    break
                s.sendall(body[i:i + 65536])
        r = http.client.HTTPResponse(s)
        r.begin()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        s.close()


# -- upload and serve --------------------------------------------------------------------

@pytest.mark.parametrize("mime", ["image/png", "image/jpeg", "image/webp"])
def test_upload_then_serve_each_type(workshop_node, mime):
    n = workshop_node
    wid = create(n)["id"]
    data = MAKERS[mime]()
    before = images_stored(n)
    name = uploaded(n, wid, data, mime)
    assert NAME.match(name) and name.endswith(EXT[mime]), name
    assert images_stored(n) == before + 1
    assert_served(n, wid, name, data, mime)
    # The same bytes again: the same name, 200, nothing more stored or audited.
    assert audit_targets(n).count(("anim", f"{wid}/{name}")) == 1
    assert uploaded(n, wid, data, mime, status=200) == name
    assert images_stored(n) == before + 1
    assert audit_targets(n).count(("anim", f"{wid}/{name}")) == 1
    # Public: any token or none.
    p = n.register(f"Image{next(_serial)}")
    r = n.request("GET", image_path(wid, name), token=p["token"])
    assert r.status == 200 and r.body == data, r


def test_images_belong_to_their_workshop(workshop_node):
    n = workshop_node
    w1, w2 = create(n)["id"], create(n)["id"]
    data = png()
    name = uploaded(n, w1, data, "image/png")
    assert_absent(n, w2, name)
    # The same bytes in another workshop: stored there too, under the same name.
    assert uploaded(n, w2, data, "image/png", token=n.admin_token()) == name
    assert_served(n, w2, name, data, "image/png")
    assert ("admin", f"{w2}/{name}") in audit_targets(n)


@pytest.mark.parametrize("size", [70 * 1024, MIB])
def test_large_binary_images_go_out_whole(workshop_node, size):
    """Above 64 KiB the answer leaves in 8 KiB chunks; the bytes hold NULs
    and every other value. Exactly 1 MiB is accepted (over max_body_bytes,
    16 KiB: the route has its own cap)."""
    n = workshop_node
    wid = create(n)["id"]
    data = png(size=size)
    assert b"\x00" * 1024 in data
    name = uploaded(n, wid, data, "image/png")
    assert_served(n, wid, name, data, "image/png")


def test_content_type_parameters_and_case(workshop_node):
    n = workshop_node
    wid = create(n)["id"]
    data = jpeg()
    assert uploaded(n, wid, data, "image/jpeg") == name_of(data, "image/jpeg")
    r = upload(n, wid, png(), "Image/PNG; charset=binary")
    assert r.status == 201 and NAME.match(r.json["name"]), r


# -- refusals ----------------------------------------------------------------------------

def _bad_webp_size(delta):
    data = bytearray(WEBP)
    struct.pack_into("<I", data, 4, len(WEBP) - 8 + delta)
    return bytes(data)


NOT_IMAGES = [
    ("gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/png"),
    ("text", "une diapositive".encode(), "image/png"),
    ("png-one-byte-off", b"\x89PNG\r\n\x1a\x0b" + png()[8:], "image/png"),
    ("png-signature-cut", b"\x89PNG\r\n\x1a", "image/png"),
    ("jpeg-two-bytes", b"\xff\xd8", "image/jpeg"),
    ("webp-riff-too-long", _bad_webp_size(+1), "image/webp"),
    ("webp-riff-too-short", _bad_webp_size(-1), "image/webp"),
    ("webp-padded", WEBP + b"\x00\x00", "image/webp"),
    ("riff-not-webp", WEBP[:8] + b"WAVE" + WEBP[12:], "image/webp"),
    ("json", b'{"image":"x"}', "application/json"),
]


@pytest.mark.parametrize("case,data,ctype", NOT_IMAGES, ids=[c[0] for c in NOT_IMAGES])
def test_wrong_magic_is_415_and_stores_nothing(workshop_node, case, data, ctype):
    n = workshop_node
    wid = create(n)["id"]
    before, audited = images_stored(n), audit_targets(n)
    r = upload(n, wid, data, ctype)
    assert_error(r, 415, "unsupported_media_type")
    assert "PNG, JPEG or WebP" in r.json["error"]["message"], r.json
    assert images_stored(n) == before
    assert audit_targets(n) == audited
    for mime in EXT:
        assert_absent(n, wid, name_of(data, mime))


MISMATCHES = [
    ("image/png", "image/jpeg"),
    ("image/jpeg", "image/png"),
    ("image/webp", "image/png"),
    ("image/png", "image/webp"),
    ("image/png", "application/octet-stream"),
    ("image/jpeg", "image/jpg"),
    ("image/png", None),
]


@pytest.mark.parametrize("mime,ctype", MISMATCHES, ids=[f"{m}-as-{c}" for m, c in MISMATCHES])
def test_content_type_must_name_the_bytes(workshop_node, mime, ctype):
    n = workshop_node
    wid = create(n)["id"]
    data = MAKERS[mime]()
    before = images_stored(n)
    r = upload(n, wid, data, ctype)
    assert_error(r, 415, "unsupported_media_type")
    message = r.json["error"]["message"]
    assert mime in message and (ctype or "missing") in message, message
    assert images_stored(n) == before
    assert_absent(n, wid, name_of(data, mime))


def test_empty_body_is_400(workshop_node):
    n = workshop_node
    wid = create(n)["id"]
    before = images_stored(n)
    assert_error(upload(n, wid, b"", "image/png"), 400, "bad_request")
    assert images_stored(n) == before


def test_over_one_mib_is_413(workshop_node):
    n = workshop_node
    wid = create(n)["id"]
    before = images_stored(n)
    data = png(size=MIB + 1)
    status, headers, body = post_head_first(
        n, f"/api/v1/admin/workshops/{wid}/images",
        {"Content-Type": "image/png", "Content-Length": str(len(data)),
         "Authorization": f"Bearer {n.anim}"}, data)
    assert status == 413, (status, body[:200])
    assert headers["content-type"].startswith("application/json"), headers
    assert b'"code":"body_too_large"' in body, body
    assert images_stored(n) == before
    assert_absent(n, wid, name_of(data, "image/png"))
    # The node is fine afterwards.
    assert uploaded(n, wid, png(), "image/png")


def test_who_may_upload(workshop_node):
    n = workshop_node
    wid = create(n)["id"]
    p = n.register(f"Image{next(_serial)}")
    data = png()
    before = images_stored(n)
    path = f"/api/v1/admin/workshops/{wid}/images"
    assert_error(n.request("POST", path, raw=data, content_type="image/png"), 401,
                 "missing_token")
    assert_error(upload(n, wid, data, "image/png", token=p["token"]), 401, "invalid_token")
    assert_error(upload(n, wid, data, "image/png", token=n.modo), 403, "forbidden")
    assert images_stored(n) == before
    assert_absent(n, wid, name_of(data, "image/png"))
    assert uploaded(n, wid, data, "image/png", token=n.admin_token())
    # Reading is for everyone, but only GET and HEAD.
    assert_error(n.request("DELETE", image_path(wid, name_of(data, "image/png")),
                           token=n.admin_token()), 405, "method_not_allowed")


@pytest.mark.parametrize("wid", ["999999", "0", "abc", "4294967296"])
def test_upload_to_a_missing_workshop_is_404(workshop_node, wid):
    n = workshop_node
    before = images_stored(n)
    assert_error(upload(n, wid, png(), "image/png"), 404, "not_found")
    assert images_stored(n) == before


def test_bad_or_unknown_names_are_404(workshop_node):
    n = workshop_node
    wid = create(n)["id"]
    data = png()
    name = uploaded(n, wid, data, "image/png")
    digest = name[:64]
    for bad in (hashlib.sha256(b"other").hexdigest() + ".png",  # never uploaded
                digest.upper() + ".png", digest + ".PNG",
                digest + ".jpg", digest + ".webp",  # right bytes, wrong type
                digest + ".jpeg", digest + ".gif", digest, digest[:63] + ".png",
                digest + "0.png", name + ".png", "x" + name[1:],
                "..%2Fx", "..%2F..%2Fcity"):
        r = fetch(n, wid, bad)
        assert r.status == 404, (bad, r)
        if r.header("content-type").startswith("application/json"):
            assert r.error_code() == "not_found", (bad, r)
    for other in ("999999", "0", "abc"):
        assert_absent(n, other, name)
    assert_served(n, wid, name, data, "image/png")


def test_two_hundred_images_per_workshop(workshop_node):
    n = workshop_node
    wid = create(n)["id"]
    first = png()
    names = {uploaded(n, wid, first, "image/png")}
    for i in range(199):
        data = png()
        names.add(uploaded(n, wid, data, "image/png"))
    assert len(names) == 200
    before = images_stored(n)
    r = upload(n, wid, png(), "image/png")
    assert_error(r, 409, "too_many_images")
    assert images_stored(n) == before
    # An image already there is still found (200), and other workshops are not full.
    assert uploaded(n, wid, first, "image/png", status=200) in names
    assert uploaded(n, create(n)["id"], png(), "image/png")


# -- in plans and live sessions ------------------------------------------------------------

def test_a_slide_shows_an_uploaded_image(workshop_node):
    n = workshop_node
    wid = create(n, start_in=10)["id"]
    data = webp()
    name = uploaded(n, wid, data, "image/webp")
    with_image = dict(slide("Le compost"), image=name)
    put_plan(n, wid, [with_image, slide("Sans image")], token=n.anim)
    assert staff_workshop(n, wid)["plan"][0]["image"] == name
    pub = get_json(n, f"/api/v1/workshops/{wid}")["plan"]
    assert pub[0]["image"] == name and "image" not in pub[1], pub
    s0, s1 = plan_items(n, wid)
    p = n.register(f"Image{next(_serial)}")

    async def live():
        async with contextlib.AsyncExitStack() as stack:
            anim = await ws_join(stack, n, n.anim, wid, "anim")
            await anim.publish("start")
            await anim.publish("step", item=s0)
            ev = await anim.event("step", item=s0)
            assert ev["slide"]["image"] == name, ev
            late = await ws_join(stack, n, p["token"], wid, "late")
            st = late.sub["state"]["step"]
            assert st["item"] == s0 and st["slide"]["image"] == name, st
            await anim.publish("step", item=s1)
            ev = await anim.event("step", item=s1)
            assert "image" not in ev["slide"], ev
    run_async(live())
    assert_served(n, wid, name, data, "image/webp")


# -- restarts and the schema --------------------------------------------------------------

@pytest.fixture
def own_node(make_node):
    """Factory: own_node(tls=False) -> a started node of its own whose clock
    reads SEASON_NOW, with an animator (n.anim); make_node stops and checks it."""
    if FAKETIME_LIB is None:
        pytest.skip("libfaketime (package faketime) is missing")

    def make(tls=False):
        n = make_node(tls=tls, config=WORKSHOP_CONFIG, start=False)
        n.clock = FakeClock()
        n.clock.start(n)
        n.anim = n.staff_token("anim", "animator")
        return n
    return make


def set_schema_version(n, version):
    """Writes meta's schema_version (u32, host order) with mdb_load while the
    node is stopped."""
    dump = ("VERSION=3\nformat=print\ntype=btree\nHEADER=END\n schema_version\n " +
            "".join(f"\\{b:02x}" for b in struct.pack("<I", version)) + "\nDATA=END\n")
    p = subprocess.run(["mdb_load", "-s", "meta", str(n.data_dir / "db")], input=dump,
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, p.stderr


def schema_version(n):
    p = subprocess.run(["mdb_dump", "-p", "-s", "meta", str(n.data_dir / "db")],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, p.stderr
    m = re.search(r"^ schema_version\n ((?:\\[0-9a-f]{2}){4})$", p.stdout, re.M)
    assert m, p.stdout
    return struct.unpack("<I", bytes.fromhex(m.group(1).replace("\\", "")))[0]


def test_images_survive_restarts_and_the_v4_migration(own_node):
    n = own_node()
    assert schema_version(n) == 6
    wid = create(n)["id"]
    images = [(png(size=200 * 1024), "image/png"), (jpeg(), "image/jpeg"), (webp(), "image/webp")]
    names = [uploaded(n, wid, d, m) for d, m in images]
    put_plan(n, wid, [dict(slide("Image"), image=names[0])], token=n.anim)

    n.stop()
    n.clock.start(n)
    for name, (data, mime) in zip(names, images):
        assert_served(n, wid, name, data, mime)
    assert staff_workshop(n, wid)["plan"][0]["image"] == names[0]

    # A data dir of schema 4 (before images) moves to 6 at start, and keeps working.
    n.stop()
    set_schema_version(n, 4)
    assert schema_version(n) == 4
    n.clock.start(n)
    assert re.search(r"event=schema_migrated from=4 to=6", n.log()), n.log_tail()
    assert schema_version(n) == 6
    assert_served(n, wid, names[1], *images[1])
    assert uploaded(n, wid, png(), "image/png")

    # A data dir from a newer zcnode is refused.
    n.stop()
    set_schema_version(n, 7)
    p = subprocess.run(n.command(), capture_output=True, text=True, timeout=30)
    assert p.returncode != 0 and "schema_too_new" in p.stderr, (p.returncode, p.stderr)
    set_schema_version(n, 6)
    n.clock.start(n)
    assert_served(n, wid, names[2], *images[2])


# -- HTTP/2 ------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [12 * 8192 + 6000, 200 * 1024, MIB])
def test_http2_upload_and_download(own_node, tmp_path, size):
    """Over TLS with ALPN h2 (curl). The answer leaves in 8 KiB DATA frames
    and its last one (here over 4 KiB: lws puts at most 4 KiB on the socket
    per write) must arrive whole before the stream ends. Uploads go over h2
    too, past the initial 256 KiB stream window, three times each."""
    n = own_node(tls=True)
    wid = create(n)["id"]
    data = png(size=size)
    src = tmp_path / "slide.png"
    src.write_bytes(data)
    out = tmp_path / "back.png"
    base = f"https://127.0.0.1:{n.port}"
    name = name_of(data, "image/png")

    def curl(*args):
        p = subprocess.run(["curl", "--silent", "--show-error", "--http2", "--cacert",
                            str(n.cert_path), "--max-time", "30", "--write-out",
                            "%{http_version} %{http_code} %{content_type}", *args],
                           capture_output=True, timeout=60)
        assert p.returncode == 0, p.stderr
        return p.stdout

    for i in range(3):
        meta = curl("-o", str(tmp_path / "answer.json"), "-H", "content-type: image/png",
                    "-H", f"authorization: Bearer {n.anim}", "--data-binary", f"@{src}",
                    f"{base}/api/v1/admin/workshops/{wid}/images")
        want = b"2 201 application/json" if i == 0 else b"2 200 application/json"
        assert meta.startswith(want), meta
        assert (tmp_path / "answer.json").read_bytes() == b'{"name":"%s"}' % name.encode()
    for _ in range(3):
        out.unlink(missing_ok=True)
        meta = curl("-o", str(out), f"{base}{image_path(wid, name)}")
        assert meta == b"2 200 image/png", meta
        assert out.read_bytes() == data
