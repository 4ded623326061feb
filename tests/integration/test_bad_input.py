"""Bad input (issue #2, item 9): every refused request gets the documented
status and error code, and changes nothing in the store."""

import json
import re
import socket
import ssl

import pytest

from conftest import Response, assert_error, run_async, run_cli, ws_hello


# -- the "changes nothing" harness ------------------------------------------------

class Victim:
    """A node with one participant, and a snapshot of everything a bad request
    could change. `full` adds the staff views (needs an admin login, which is
    deliberately slow: Argon2id), for tests of admin routes."""

    def __init__(self, node, full=False):
        self.node = node
        self.full = full
        self.reg = node.register("Témoin", neighbourhood="Les Arches", household_size=2)
        self.token = self.reg["token"]
        if full:
            node.admin_token()
        self.before = self.snapshot()

    def snapshot(self):
        n = self.node
        me = n.get("/api/v1/me", token=self.token)
        assert me.status == 200, me
        stats = json.loads(run_cli("admin", "stats", "--data-dir", n.data_dir, check=0).stdout)
        snap = {"me": me.json, "participants": stats["participants"],
                "admins": stats["admins"], "sessions": stats["sessions"],
                "city": n.get("/api/v1/city").json}
        if self.full:
            tok = n.admin_token()
            plist = n.get("/api/v1/admin/participants?limit=100", token=tok)
            assert plist.status == 200, plist
            snap["list"] = plist.json
            snap["audit"] = n.audit()
            snap["denylist"] = n.get("/api/v1/admin/denylist", token=tok).json
            snap["accounts"] = n.get("/api/v1/admin/accounts", token=tok).json
        return snap

    def assert_unchanged(self):
        after = self.snapshot()
        assert after == self.before, "a refused request changed the store"


@pytest.fixture
def victim(plain_node):
    return Victim(plain_node)


@pytest.fixture
def full_victim(plain_node):
    return Victim(plain_node, full=True)


@pytest.fixture(params=["http", "tls"])
def any_victim(request, make_node):
    return Victim(make_node(tls=request.param == "tls"))


def send(victim, target, raw, content_type="application/json"):
    n = victim.node
    if target == "register":
        return n.request("POST", "/api/v1/participants", raw=raw, content_type=content_type)
    if target == "patch":
        return n.request("PATCH", "/api/v1/me", raw=raw, token=victim.token,
                         content_type=content_type)
    raise AssertionError(target)


# -- malformed bodies -------------------------------------------------------------

BOTH = ("register", "patch")
NUL_CODES = ("invalid_utf8", "malformed_json")  # api.md names no single code for a NUL

BODY_CASES = [
    # id, body, status, code(s), targets
    ("truncated", b'{"nickname":"Tronque"', 400, "malformed_json", BOTH),
    ("truncated-in-string", b'{"nickname":"Tron', 400, "malformed_json", BOTH),
    ("truncated-after-colon", b'{"nickname":', 400, "malformed_json", BOTH),
    ("trailing-comma", b'{"nickname":"Virgule",}', 400, "malformed_json", BOTH),
    ("single-quotes", b"{'nickname':'Apostrophe'}", 400, "malformed_json", BOTH),
    ("unquoted-key", b'{nickname:"Nue"}', 400, "malformed_json", BOTH),
    ("trailing-garbage", b'{"nickname":"Ordure"} x', 400, "malformed_json", BOTH),
    ("two-objects", b'{"nickname":"Deux"}{"nickname":"Objets"}', 400, "malformed_json", BOTH),
    ("trailing-comment", b'{"nickname":"Commente"} // hi', 400, "malformed_json", BOTH),
    ("bad-literal", b'{"nickname":"Litteral","lang":tru}', 400, "malformed_json", BOTH),
    ("leading-zero", b'{"nickname":"Zero","household_size":02}', 400, "malformed_json", BOTH),
    ("array", b'[{"nickname":"Tableau"}]', 400, "not_an_object", BOTH),
    ("string", b'"Chaine"', 400, "not_an_object", BOTH),
    ("number", b"42", 400, "not_an_object", BOTH),
    ("null", b"null", 400, "not_an_object", BOTH),
    ("empty", b"", 400, "malformed_json", BOTH),
    ("whitespace-only", b"  \n ", 400, "malformed_json", BOTH),
    ("invalid-utf8", b'{"nickname":"Inv\xffalide"}', 400, "invalid_utf8", BOTH),
    ("overlong-utf8", b'{"nickname":"Sur\xc0\xaflong"}', 400, "invalid_utf8", BOTH),
    ("utf8-surrogate", b'{"nickname":"Moitie\xed\xa0\x80"}', 400, "invalid_utf8", BOTH),
    ("truncated-utf8", b'{"nickname":"Coupe\xc3"}', 400, "invalid_utf8", BOTH),
    ("invalid-utf8-in-key", b'{"nick\xffname":"Cle"}', 400, "invalid_utf8", BOTH),
    ("latin1-body", '{"nickname":"Hélène"}'.encode("latin-1"), 400, "invalid_utf8", BOTH),
    ("nul-raw", b'{"nickname":"Nul\x00Octet"}', 400, NUL_CODES, BOTH),
    ("nul-escaped", b'{"nickname":"Nul\\u0000Echap"}', 400, NUL_CODES, BOTH),
    ("nul-after-object", b'{"nickname":"Apres"}\x00', 400, NUL_CODES, BOTH),
    ("lone-surrogate-escape", b'{"nickname":"Seul\\ud800e"}', 400,
     ("malformed_json", "invalid_utf8"), BOTH),
    ("duplicate-key", b'{"nickname":"Double1","nickname":"Double2"}', 400, "duplicate_field",
     BOTH),
    ("duplicate-key-escaped", b'{"nickname":"Double3","nick\\u006eame":"Double4"}', 400,
     "duplicate_field", BOTH),
    ("duplicate-other-key", b'{"nickname":"Double5","lang":"fr","lang":"en"}', 400,
     "duplicate_field", BOTH),
    ("unknown-field", b'{"nickname":"Inconnu","email":"a@b.c"}', 422, "unknown_field", BOTH),
    ("unknown-field-case", b'{"Nickname":"Majuscule"}', 422, "unknown_field", BOTH),
    ("unknown-field-id", b'{"nickname":"Ident","id":"00000000000000000000000000000000"}', 422,
     "unknown_field", BOTH),
    ("hidden-at-registration", b'{"nickname":"Cache","hidden":true}', 422, "unknown_field",
     ("register",)),
    ("missing-field-empty", b"{}", 422, "missing_field", ("register",)),
    ("missing-field", b'{"lang":"fr","household_size":2}', 422, "missing_field",
     ("register",)),
    ("number-as-string", b'{"nickname":"Texte","household_size":"2"}', 422, "wrong_type", BOTH),
    ("string-as-number", b'{"nickname":123}', 422, "wrong_type", BOTH),
    ("float-for-integer", b'{"nickname":"Flottant","household_size":2.5}', 422, "wrong_type",
     BOTH),
    ("exponent-for-integer", b'{"nickname":"Exposant","household_size":1e1}', 422,
     "wrong_type", BOTH),
    ("float-zero-fraction", b'{"nickname":"Fraction","household_size":2.0}', 422, "wrong_type",
     BOTH),
    ("bool-for-integer", b'{"nickname":"Booleen","household_size":true}', 422, "wrong_type",
     BOTH),
    ("null-for-integer", b'{"nickname":"Nulle","household_size":null}', 422, "wrong_type", BOTH),
    ("null-nickname", b'{"nickname":null}', 422, "wrong_type", BOTH),
    ("array-nickname", b'{"nickname":["Liste"]}', 422, "wrong_type", BOTH),
    ("object-nickname", b'{"nickname":{"v":"Objet"}}', 422, "wrong_type", BOTH),
    ("number-neighbourhood", b'{"nickname":"Quartier","neighbourhood":5}', 422, "wrong_type",
     BOTH),
    ("number-lang", b'{"nickname":"Langue","lang":1}', 422, "wrong_type", BOTH),
    ("bool-as-string", b'{"hidden":"true"}', 422, "wrong_type", ("patch",)),
    ("number-as-bool", b'{"hidden":1}', 422, "wrong_type", ("patch",)),
    ("over-long-nickname", json.dumps({"nickname": "a" * 10000}).encode(), 422,
     "invalid_field", BOTH),
    ("over-long-neighbourhood",
     json.dumps({"nickname": "Long", "neighbourhood": "Q" * 5000}).encode(), 422,
     "invalid_field", BOTH),
    ("over-long-lang", json.dumps({"nickname": "Long", "lang": "f" * 1000}).encode(), 422,
     "invalid_field", BOTH),
    ("integer-out-of-range-high", b'{"nickname":"Grand","household_size":21}', 422,
     "invalid_field", BOTH),
    ("integer-out-of-range-low", b'{"nickname":"Petit","household_size":0}', 422,
     "invalid_field", BOTH),
    ("integer-negative", b'{"nickname":"Negatif","household_size":-3}', 422, "invalid_field",
     BOTH),
    ("integer-beyond-2^53", b'{"nickname":"Enorme","household_size":9007199254740993}', 422,
     "invalid_field", BOTH),
    ("integer-beyond-2^64",
     b'{"nickname":"Gigantesque","household_size":340282366920938463463374607431768211456}',
     422, "invalid_field", BOTH),
]


@pytest.mark.parametrize("body,status,code,targets",
                         [pytest.param(b, s, c, t, id=i) for i, b, s, c, t in BODY_CASES])
def test_bad_body(victim, body, status, code, targets):
    codes = code if isinstance(code, tuple) else (code,)
    for target in targets:
        r = send(victim, target, body)
        assert r.status == status, f"{target}: expected {status} {code}, got {r!r}"
        got = r.json["error"]["code"]
        assert_error(r, status, got if got in codes else codes[0])
    victim.assert_unchanged()


def test_unknown_field_message_names_the_field(victim):
    r = send(victim, "register", b'{"nickname":"Nomme","favourite_colour":"vert"}')
    assert_error(r, 422, "unknown_field")
    assert "favourite_colour" in r.json["error"]["message"]
    r = send(victim, "register", b'{"nickname":"Nomme","household_size":"3"}')
    assert_error(r, 422, "wrong_type")
    assert "household_size" in r.json["error"]["message"]
    r = send(victim, "register", b'{"lang":"en"}')
    assert_error(r, 422, "missing_field")
    assert "nickname" in r.json["error"]["message"]
    victim.assert_unchanged()


def test_deep_nesting_is_refused_without_harm(victim):
    body = b'{"nickname":"Profond","x":' + b"[" * 50000 + b"]" * 50000 + b"}"
    body = body[:16000] if len(body) > 16000 else body
    r = send(victim, "register", body)
    assert r.status in (400, 422), r
    assert r.json["error"]["code"] in ("malformed_json", "unknown_field"), r
    assert victim.node.get("/healthz").status == 200
    victim.assert_unchanged()


def test_valid_body_edge_accepted(victim):
    """Controls: the harness does accept well-formed variants."""
    n = victim.node
    r = n.request("POST", "/api/v1/participants",
                  raw=b' \n{ "nickname" : "Espace\\u00e9" , "household_size" : 20 }\n ',
                  content_type="application/json; charset=utf-8")
    assert r.status == 201, r
    assert r.json["nickname"] == "Espaceé"


# -- content type -------------------------------------------------------------------

@pytest.mark.parametrize("ctype", [None, "text/plain", "application/x-www-form-urlencoded",
                                   "application/jsonx", "multipart/form-data; boundary=x",
                                   "text/json"])
def test_wrong_content_type_is_415(victim, ctype):
    for target in BOTH:
        r = send(victim, target, b'{"nickname":"TypeFaux"}', content_type=ctype)
        assert_error(r, 415, "unsupported_media_type")
    victim.assert_unchanged()


# -- body cap ---------------------------------------------------------------------

def padded_body(size, nickname="Capacite"):
    base = json.dumps({"nickname": nickname}).encode()
    return base + b" " * (size - len(base))


def raw_exchange(node, head, chunks=(), timeout=8.0, stop_early=True):
    """Sends `head` then each chunk over one (TLS) socket, stopping early if
    the server has already answered; returns the parsed Response."""
    s = socket.create_connection(("127.0.0.1", node.port), timeout=timeout)
    if node.tls:
        s = node.ssl_context().wrap_socket(s, server_hostname="127.0.0.1")
    data = b""
    closed = False

    def poll():
        # Reads whatever application data is already there, without waiting
        # (a TLS 1.3 session ticket makes the raw socket readable: not an answer).
        nonlocal data, closed
        s.setblocking(False)
        try:
            part = s.recv(65536)
            if part:
                data += part
            else:
                closed = True
        except (ssl.SSLWantReadError, BlockingIOError):
            pass
        except (ConnectionResetError, ssl.SSLError):
            closed = True
        finally:
            s.settimeout(timeout)
        return bool(data) or closed

    try:
        s.sendall(head)
        for c in chunks:
            if stop_early and poll():
                break
            try:
                s.sendall(c)
            except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                # The server answered and closed early, as it may: read the answer.
                break
        while not closed and parse_response(data) is None:
            try:
                part = s.recv(65536)
            except (ConnectionResetError, ssl.SSLError):
                break
            except socket.timeout:
                raise AssertionError(f"no complete response after {timeout} s; got {data!r}")
            if not part:
                break
            data += part
        resp = parse_response(data)
        assert resp is not None, f"no complete response; got {data!r}"
        return resp
    finally:
        s.close()


def parse_response(data):
    if b"\r\n\r\n" not in data:
        return None
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    if "content-length" in headers:
        need = int(headers["content-length"])
        if len(body) < need:
            return None
        body = body[:need]
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        out, rest = b"", body
        while True:
            if b"\r\n" not in rest:
                return None
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            if size == 0:
                break
            if len(rest) < size + 2:
                return None
            out += rest[:size]
            rest = rest[size + 2:]
        body = out
    return Response(status, headers, body)


def request_head(method, path, headers):
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_body_at_the_cap_is_accepted(any_victim):
    n = any_victim.node
    r = n.request("POST", "/api/v1/participants", raw=padded_body(16384, "Pile"))
    assert r.status == 201, r


def chunks_of(data, size=4096):
    return [data[i:i + size] for i in range(0, len(data), size)]


@pytest.mark.parametrize("size", [16385, 100000])
@pytest.mark.parametrize("target", BOTH)
def test_body_over_the_cap_is_413(any_victim, size, target):
    """A complete body with Content-Length; the client stops sending if the
    server answers early (which it may, having seen Content-Length)."""
    n = any_victim.node
    method, path = ("POST", "/api/v1/participants") if target == "register" else \
        ("PATCH", "/api/v1/me")
    head = request_head(method, path, {"Content-Type": "application/json",
                                       "Content-Length": str(size),
                                       "Authorization": f"Bearer {any_victim.token}"})
    r = raw_exchange(n, head, chunks_of(padded_body(size, "Deborde")))
    assert_error(r, 413, "body_too_large")
    assert n.get("/healthz").status == 200
    any_victim.assert_unchanged()


def test_body_over_the_cap_refused_from_content_length_alone(any_victim):
    """Only the headers are sent: the 413 must come before any body byte."""
    n = any_victim.node
    head = request_head("POST", "/api/v1/participants",
                        {"Content-Type": "application/json", "Content-Length": "1000000"})
    r = raw_exchange(n, head)
    assert_error(r, 413, "body_too_large")
    assert n.get("/healthz").status == 200
    any_victim.assert_unchanged()


def test_chunked_body_over_the_cap_is_refused(any_victim):
    # lws 4.1 decodes request bodies by Content-Length only, so the node refuses
    # a chunked body at once (411), whatever its size (api.md, Conventions).
    n = any_victim.node
    head = request_head("POST", "/api/v1/participants",
                        {"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
    body = padded_body(5 * 4096, "Morceaux")
    chunks = [b"%x\r\n%s\r\n" % (len(c), c) for c in chunks_of(body)]
    r = raw_exchange(n, head, chunks)
    assert_error(r, 411, "length_required")
    assert n.get("/healthz").status == 200
    any_victim.assert_unchanged()


def test_chunked_body_under_the_cap_is_refused_not_left_hanging(any_victim):
    n = any_victim.node
    head = request_head("POST", "/api/v1/participants",
                        {"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
    body = json.dumps({"nickname": "Tranche"}).encode()
    chunks = [b"%x\r\n%s\r\n" % (len(body[:5]), body[:5]),
              b"%x\r\n%s\r\n" % (len(body[5:]), body[5:]), b"0\r\n\r\n"]
    r = raw_exchange(n, head, chunks, stop_early=False)
    assert_error(r, 411, "length_required")
    assert n.get("/healthz").status == 200
    any_victim.assert_unchanged()


def test_configured_body_cap(make_node):
    n = make_node(config={"max_body_bytes": 2048})
    assert n.request("POST", "/api/v1/participants", raw=padded_body(2048, "Deux K")).status \
        == 201
    assert_error(n.request("POST", "/api/v1/participants", raw=padded_body(2049, "Trop")), 413,
                 "body_too_large")
    assert n.stats()["participants"] == 1


def test_invalid_content_length(victim):
    head = request_head("POST", "/api/v1/participants",
                        {"Content-Type": "application/json", "Content-Length": "-5"})
    r = raw_exchange(victim.node, head)
    assert r.status == 400, r
    victim.assert_unchanged()


# -- bad tokens -----------------------------------------------------------------

def _alter(token):
    c = "A" if token[-5] != "A" else "B"
    return token[:-5] + c + token[-4:]


TOKEN_CASES = [
    ("bearer-nonsense", lambda v: "Bearer nonsense", "invalid_token"),
    ("bearer-prefix-only", lambda v: "Bearer zcp_", "invalid_token"),
    ("bearer-prefix-random", lambda v: "Bearer zcp_" + "Q" * 43, "invalid_token"),
    ("bearer-prefix-short", lambda v: "Bearer zcp_abc", "invalid_token"),
    ("bearer-altered", lambda v: "Bearer " + _alter(v.token), "invalid_token"),
    ("bearer-extra-char", lambda v: "Bearer " + v.token + "x", "invalid_token"),
    ("bearer-truncated", lambda v: "Bearer " + v.token[:-1], "invalid_token"),
    ("bearer-not-base64url", lambda v: "Bearer zcp_" + "+/=" * 14 + "a", "invalid_token"),
    ("bearer-long", lambda v: "Bearer zcp_" + "A" * 4000, "invalid_token"),
    ("staff-token", lambda v: "Bearer " + v.node.admin_token(), "invalid_token"),
    ("recovery-code", lambda v: "Bearer " + v.reg["recovery_code"], "invalid_token"),
    ("no-header", lambda v: None, "missing_token"),
    ("empty-header", lambda v: "", "missing_token"),
    ("bearer-empty", lambda v: "Bearer ", "missing_token"),
]


PARTICIPANT_ROUTES = [
    ("GET", "/api/v1/me", None),
    ("PATCH", "/api/v1/me", {"nickname": "Usurpateur"}),
    ("DELETE", "/api/v1/me", None),
    ("GET", "/api/v1/me/export", None),
]


@pytest.mark.parametrize("make_header,code", [pytest.param(f, c, id=i) for i, f, c in TOKEN_CASES])
def test_bad_token_on_participant_routes(victim, make_header, code):
    h = make_header(victim)
    victim.before = victim.snapshot()  # making the header may have logged in
    headers = {} if h is None else {"Authorization": h}
    for method, path, body in PARTICIPANT_ROUTES:
        r = victim.node.request(method, path, body=body, headers=headers)
        assert_error(r, 401, code)
    victim.assert_unchanged()


def test_basic_auth_is_not_a_token(victim):
    r = victim.node.get("/api/v1/me", headers={"Authorization": "Basic YWRtaW46YWRtaW4="})
    assert r.status == 401, r
    assert r.json["error"]["code"] in ("missing_token", "invalid_token")


def test_bearer_scheme_is_case_insensitive(victim):
    r = victim.node.get("/api/v1/me", headers={"Authorization": "bearer " + victim.token})
    assert r.status == 200, r


@pytest.mark.parametrize("make_header,code", [
    pytest.param(lambda v: "Bearer nonsense", "invalid_token", id="nonsense"),
    pytest.param(lambda v: "Bearer zca_" + "Q" * 43, "invalid_token", id="random-zca"),
    pytest.param(lambda v: "Bearer " + v.token, "invalid_token", id="participant-token"),
    pytest.param(lambda v: None, "missing_token", id="none"),
])
def test_bad_token_on_admin_routes(full_victim, make_header, code):
    victim = full_victim
    h = make_header(victim)
    headers = {} if h is None else {"Authorization": h}
    n = victim.node
    for method, path, body in [("GET", "/api/v1/admin/stats", None),
                               ("POST", "/api/v1/admin/accounts",
                                {"username": "intrus", "role": "admin"}),
                               ("POST", "/api/v1/admin/denylist", {"word": "temoin"}),
                               ("DELETE", f"/api/v1/admin/participants/{victim.reg['id']}",
                                None)]:
        assert_error(n.request(method, path, body=body, headers=headers), 401, code)
    victim.assert_unchanged()


def test_wrong_role_is_403(full_victim):
    victim = full_victim
    n = victim.node
    tok = n.staff_token("modo", "moderator")
    victim.before = victim.snapshot()
    for method, path, body in [("POST", "/api/v1/admin/accounts",
                                {"username": "intrus", "role": "admin"}),
                               ("PUT", "/api/v1/admin/city",
                                {"name": "X", "population": 1, "neighbourhoods": ["Y"]}),
                               ("GET", "/api/v1/admin/audit", None)]:
        assert_error(n.request(method, path, body=body, token=tok), 403, "forbidden")
    victim.assert_unchanged()


# -- secrets never reach the log -----------------------------------------------------

def test_log_never_contains_secrets(make_node):
    n = make_node(tls=True, config={"log_level": "debug", "test_hooks": True})
    secrets = [n.admin_password]
    reg = n.register("Discret")
    secrets += [reg["token"], reg["recovery_code"]]
    r = n.post("/api/v1/participants/recover",
               {"recovery_code": reg["recovery_code"].lower()})
    assert r.status == 200
    secrets += [r.json["token"], r.json["recovery_code"]]
    new_token = r.json["token"]
    assert n.get("/api/v1/me", token=new_token).status == 200
    assert_error(n.get("/api/v1/me", token=reg["token"]), 401, "invalid_token")
    tok = n.login()
    secrets.append(tok)
    pw = n.create_account("animatrice", "animator")
    secrets.append(pw)
    anim = n.login("animatrice", pw)
    secrets.append(anim)
    assert_error(n.post("/api/v1/admin/login", {"username": "admin",
                                                "password": "presque-le-bon-mot"}),
                 401, "invalid_credentials")
    secrets.append("presque-le-bon-mot")
    new_pw = "nouvelle phrase de passe secrète"
    assert n.post("/api/v1/admin/password", {"current_password": pw, "new_password": new_pw},
                  token=anim).status == 204
    secrets.append(new_pw)
    p = n.post("/api/v1/admin/accounts", {"username": "modo", "role": "moderator"}, token=tok)
    secrets.append(p.json["password"])
    # A bad body that quotes a token must not echo it into the log either.
    send_token = n.post("/api/v1/participants", {"nickname": "Fuite", "token": new_token})
    assert_error(send_token, 422, "unknown_field")

    async def ws():
        async with n.ws_connect() as w:
            assert (await ws_hello(w, new_token))["role"] == "participant"
        async with n.ws_connect() as w:
            assert (await ws_hello(w, tok))["role"] == "admin"

    run_async(ws())
    n.stop()
    log = n.log()
    assert "event=" in log
    for s in secrets:
        variants = {s}
        if s.startswith(("zcp_", "zca_")):
            variants.add(s[4:])
        if re.match(r"^[A-Z0-9]{4}(-[A-Z0-9]{4}){4}$", s):
            variants |= {s.replace("-", ""), s.lower(), s.replace("-", "").lower()}
        for v in variants:
            assert v not in log, f"secret {v[:6]}… found in the log"
