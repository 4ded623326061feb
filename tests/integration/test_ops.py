"""Operations: /healthz, /metrics, security headers, static files, 404s,
graceful shutdown."""

import re
import signal

import pytest

from conftest import assert_error, checkin, checkin_ok, run_async, wait_for, ws_hello

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def check_security_headers(resp, tls):
    csp = resp.header("content-security-policy")
    assert csp, f"no CSP on {resp!r}: {resp.headers}"
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    for name, value in SECURITY_HEADERS.items():
        assert resp.header(name) == value, (name, resp.headers)
    if tls:
        hsts = resp.header("strict-transport-security")
        assert hsts and re.search(r"max-age=\d{7,}", hsts), resp.headers


# -- healthz ------------------------------------------------------------------

def test_healthz_shape(node):
    r = node.get("/healthz")
    assert r.status == 200, r
    assert r.header("content-type").startswith("application/json")
    assert r.json == {"status": "ok", "version": "0.1.0", "city": "Issy-les-Moulineaux"}


def test_healthz_city_null_before_city_profile(make_node):
    n = make_node(demo=False)
    r = n.get("/healthz")
    assert r.status == 200, r
    assert r.json["status"] == "ok"
    assert r.json["city"] is None


def test_city_public_profile(plain_node):
    r = plain_node.get("/api/v1/city")
    assert r.status == 200, r
    doc = r.json
    assert doc["name"] == "Issy-les-Moulineaux"
    assert doc["population"] > 0
    assert len(doc["neighbourhoods"]) == 9
    assert doc["season"]["id"] == "2026-2027"
    assert set(doc["season"]) == {"id", "name", "starts_on", "ends_on"}


# -- metrics -------------------------------------------------------------------

METRIC_FAMILIES = {
    "zcnode_http_connections": "gauge",
    "zcnode_ws_connections": "gauge",
    "zcnode_http_requests_total": "counter",
    "zcnode_ws_messages_in_total": "counter",
    "zcnode_ws_messages_out_total": "counter",
    "zcnode_lmdb_size_bytes": "gauge",
    "zcnode_lmdb_map_size_bytes": "gauge",
    "zcnode_commit_seconds": "histogram",
    "zcnode_batches_total": "counter",
    "zcnode_batch_jobs_total": "counter",
    "zcnode_participants": "gauge",
    "zcnode_uptime_seconds": "gauge",
}

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{((?:[^"}]|"(?:[^"\\]|\\.)*")*)\})? (\S+)$')


def parse_metrics(text):
    """Parses Prometheus text format 0.0.4 strictly enough to catch mistakes.
    Returns (types, samples) with samples[(name, frozenset(labels))] = float."""
    types, samples = {}, {}
    for line in text.splitlines():
        if not line:
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            assert name not in types, f"duplicate TYPE for {name}"
            types[name] = kind
            continue
        if line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        assert m, f"not a sample line: {line!r}"
        labels = {}
        if m.group(3):
            for part in re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', m.group(3)):
                labels[part[0]] = part[1]
        key = (m.group(1), frozenset(labels.items()))
        assert key not in samples, f"duplicate sample {line!r}"
        samples[key] = float(m.group(4))
    return types, samples


def sample(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())))


def test_metrics_is_prometheus_text_with_the_documented_families(node):
    r = node.get("/metrics")
    assert r.status == 200, r
    assert r.header("content-type").startswith("text/plain"), r.headers
    types, samples = parse_metrics(r.body.decode())
    for name, kind in METRIC_FAMILIES.items():
        assert types.get(name) == kind, f"{name}: TYPE {types.get(name)}, want {kind}"
    # Families without labels expose exactly one sample.
    for name, kind in METRIC_FAMILIES.items():
        if kind == "gauge" or name.startswith("zcnode_ws_messages"):
            assert sample(samples, name) is not None, f"no sample for {name}"
    assert sample(samples, "zcnode_lmdb_map_size_bytes") == 4096 * 1024 * 1024
    assert sample(samples, "zcnode_lmdb_size_bytes") > 0
    assert sample(samples, "zcnode_participants") == 0


def test_metrics_refused_outside_metrics_allow(make_node):
    n = make_node(config={"metrics_allow": "192.0.2.7"})
    assert_error(n.get("/metrics"), 403, "forbidden")
    assert n.get("/healthz").status == 200


def test_metrics_allow_any(make_node):
    n = make_node(config={"metrics_allow": "any"})
    assert n.get("/metrics").status == 200


def test_metrics_request_counters_increase(plain_node):
    n = plain_node
    _, before = parse_metrics(n.metrics())
    for _ in range(3):
        assert n.get("/healthz").status == 200
    assert n.get("/api/v1/me").status == 401
    n.register("Compteur")
    _, after = parse_metrics(n.metrics())
    h0 = sample(before, "zcnode_http_requests_total", route="/healthz", status="200") or 0
    h1 = sample(after, "zcnode_http_requests_total", route="/healthz", status="200")
    assert h1 == h0 + 3
    assert sample(after, "zcnode_http_requests_total", route="/api/v1/me", status="401") == 1
    assert sample(after, "zcnode_http_requests_total", route="/api/v1/participants",
                  status="201") == 1
    assert sample(after, "zcnode_participants") == 1
    # Route labels are templates, never raw paths with ids or tokens.
    for (name, labels), _ in after.items():
        if name == "zcnode_http_requests_total":
            route = dict(labels)["route"]
            assert not re.search(r"[0-9a-f]{32}|zc[pa]_", route), route


def test_metrics_route_label_is_a_template(plain_node):
    n = plain_node
    tok = n.admin_token()
    pid = n.register("Gabarit")["id"]
    assert n.request("DELETE", f"/api/v1/admin/participants/{pid}", token=tok).status == 204
    _, s = parse_metrics(n.metrics())
    deletes = [(dict(lb)["route"], v) for (name, lb), v in s.items()
               if name == "zcnode_http_requests_total" and dict(lb)["status"] == "204"]
    assert len(deletes) == 1, deletes
    route, count = deletes[0]
    assert route.startswith("/api/v1/admin/participants/") and pid not in route, route
    assert count == 1


def test_metrics_ws_connections_counts_an_open_websocket(any_hooks_node):
    n = any_hooks_node

    def ws_gauge():
        return sample(parse_metrics(n.metrics())[1], "zcnode_ws_connections")

    assert ws_gauge() == 0

    async def go():
        async with n.ws_connect() as ws:
            w = await ws_hello(ws)
            assert w["type"] == "welcome"
            assert ws_gauge() == 1
            _, s = parse_metrics(n.metrics())
            assert sample(s, "zcnode_ws_messages_in_total") >= 1
            assert sample(s, "zcnode_ws_messages_out_total") >= 1

    run_async(go())
    wait_for(lambda: ws_gauge() == 0, what="zcnode_ws_connections back to 0")


def test_metrics_commit_histogram(plain_node):
    n = plain_node
    n.register("Histo1")
    n.register("Histo2")
    _, s = parse_metrics(n.metrics())
    count = sample(s, "zcnode_commit_seconds_count")
    assert count is not None and count >= 2
    assert sample(s, "zcnode_commit_seconds_sum") is not None
    assert sample(s, "zcnode_commit_seconds_sum") >= 0
    buckets = sorted(((float(dict(lb)["le"]), v) for (name, lb), v in s.items()
                      if name == "zcnode_commit_seconds_bucket"), key=lambda x: x[0])
    assert len(buckets) >= 2
    assert buckets[-1][0] == float("inf") and buckets[-1][1] == count
    values = [v for _, v in buckets]
    assert values == sorted(values), "histogram buckets must be cumulative"



def test_metrics_count_group_commits_of_check_ins(snode):
    n = snode
    tok = n.register("Lotie")["token"]
    _, s = parse_metrics(n.metrics())
    assert sample(s, "zcnode_batches_total") == 0
    assert sample(s, "zcnode_batch_jobs_total") == 0
    for action in ("velo-domicile-travail", "repas-vegetarien", "stop-pub"):
        checkin_ok(n, tok, action)
    # A duplicate is refused inside the batch (the check must see every earlier
    # write), so it goes through the queue too.
    r = checkin(n, tok, "stop-pub")
    assert r.status == 409 and r.json["error"]["code"] == "already_checked_in", r
    _, s = parse_metrics(n.metrics())
    batches = sample(s, "zcnode_batches_total")
    assert 1 <= batches <= 4
    assert sample(s, "zcnode_batch_jobs_total") == 4

# -- HEAD -------------------------------------------------------------------------

def test_head_on_get_routes(node):
    reg = node.register("Tete")
    for path, token in (("/healthz", None), ("/api/v1/city", None), ("/api/v1/me", reg["token"]),
                        ("/api/v1/me/export", reg["token"]), ("/metrics", None)):
        g = node.get(path, token=token)
        h = node.request("HEAD", path, token=token)
        assert h.status == g.status == 200, (path, g, h)
        assert h.body == b"", (path, h)
        assert h.header("content-type") == g.header("content-type"), path
        if path not in ("/metrics", "/api/v1/me/export"):  # those bodies change per call
            assert h.header("content-length") == str(len(g.body)), (path, h.headers)
    h = node.request("HEAD", "/api/v1/me")
    assert h.status == 401 and h.body == b""


# -- security headers ------------------------------------------------------------

def test_security_headers_on_api_responses(node):
    responses = [node.get("/healthz"), node.get("/metrics"), node.get("/api/v1/city"),
                 node.get("/api/v1/me"), node.get("/api/v1/nope"),
                 node.post("/api/v1/participants", {"nickname": "Entetes"}),
                 node.post("/api/v1/participants", raw=b"{", content_type="application/json")]
    assert [r.status for r in responses] == [200, 200, 200, 401, 404, 201, 400]
    for resp in responses:
        check_security_headers(resp, node.tls)
    assert node.get("/api/v1/me").header("cache-control") == "no-store"


def test_frame_src_is_none_by_default(node):
    csp = node.get("/healthz").header("content-security-policy")
    assert "frame-src 'none';" in csp, csp


def test_frame_src_lists_the_configured_video_players(make_node):
    players = "https://peertube.example.org https://*.vimeo.com:8443"
    n = make_node(config={"video_frame_src": "  " + players + " "})
    for r in (n.get("/healthz"), n.get("/api/v1/workshops"), n.get("/")):
        csp = r.header("content-security-policy")
        assert f"frame-src {players};" in csp, csp
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp, csp


# -- static files ------------------------------------------------------------------

INDEX = b"<!doctype html><html lang=fr><title>Defi</title><script src=/assets/app-abc123.js></script>"
APP_JS = b"console.log('zcnode test client');\n"
MANIFEST = b'{"name":"Defi Zero Carbone","start_url":"/"}'
SW_JS = b"self.addEventListener('fetch', () => {});\n"


@pytest.fixture
def fake_client(tmp_path):
    d = tmp_path / "dist"
    (d / "assets").mkdir(parents=True)
    (d / "index.html").write_bytes(INDEX)
    (d / "assets" / "app-abc123.js").write_bytes(APP_JS)
    (d / "manifest.webmanifest").write_bytes(MANIFEST)
    (d / "sw.js").write_bytes(SW_JS)
    return d


@pytest.fixture(params=["http", "tls"])
def static_node(request, make_node, fake_client):
    return make_node(tls=request.param == "tls", static_dir=str(fake_client))


def max_age(resp):
    cc = resp.header("cache-control") or ""
    m = re.search(r"max-age=(\d+)", cc)
    return int(m.group(1)) if m else None


def test_static_index_at_root(static_node):
    r = static_node.get("/")
    assert r.status == 200, r
    assert r.body == INDEX
    assert r.header("content-type").startswith("text/html")
    check_security_headers(r, static_node.tls)


def test_static_hashed_asset_is_js_with_long_cache(static_node):
    r = static_node.get("/assets/app-abc123.js")
    assert r.status == 200, r
    assert r.body == APP_JS
    ctype = r.header("content-type").split(";")[0].strip()
    assert ctype in ("text/javascript", "application/javascript"), ctype
    age = max_age(r)
    assert age is not None and age >= 30 * 86400, r.header("cache-control")
    check_security_headers(r, static_node.tls)


def test_static_manifest_content_type(static_node):
    r = static_node.get("/manifest.webmanifest")
    assert r.status == 200, r
    assert r.body == MANIFEST
    assert r.header("content-type").split(";")[0].strip() == "application/manifest+json"


def test_static_service_worker(static_node):
    r = static_node.get("/sw.js")
    assert r.status == 200, r
    assert r.body == SW_JS
    ctype = r.header("content-type").split(";")[0].strip()
    assert ctype in ("text/javascript", "application/javascript"), ctype
    # The service worker must never be cached like a hashed asset, or a
    # broken release could not be replaced.
    cc = r.header("cache-control") or ""
    age = max_age(r)
    assert "immutable" not in cc, cc
    assert age is None or age < 86400, cc


def test_static_unknown_file_is_404(static_node):
    r = static_node.get("/no-such-file.js")
    assert r.status == 404, r


def test_static_path_traversal_is_refused(static_node, fake_client):
    secret = fake_client.parent / "outside.txt"
    secret.write_text("must not be served")
    for path in ("/../outside.txt", "/assets/../../outside.txt", "/%2e%2e/outside.txt"):
        r = static_node.get(path)
        assert b"must not be served" not in r.body, path
        assert r.status in (400, 403, 404), (path, r)


def test_unknown_api_path_is_json_404(node):
    for path in ("/api/v1/nope", "/api/v1/me/nope", "/api/v2/participants", "/api/"):
        assert_error(node.get(path), 404, "not_found")
    assert_error(node.post("/api/v1/nothing-here", {"a": 1}), 404, "not_found")


def test_wrong_method_is_405(plain_node):
    assert_error(plain_node.request("PUT", "/api/v1/me", body={}), 405, "method_not_allowed")
    assert_error(plain_node.request("DELETE", "/healthz"), 405, "method_not_allowed")


# -- graceful shutdown -----------------------------------------------------------

@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_graceful_shutdown(make_node, sig):
    n = make_node()
    n.register("Arret")
    n.stop(sig=sig, expect=0)
    assert re.search(r"event=stopped\b", n.log()), n.log_tail()


def test_graceful_shutdown_with_open_websocket(make_node):
    n = make_node(tls=True)

    async def go():
        async with n.ws_connect() as ws:
            assert (await ws_hello(ws))["role"] == "guest"
            n.stop(expect=0)

    run_async(go())
    assert "event=stopped" in n.log()
