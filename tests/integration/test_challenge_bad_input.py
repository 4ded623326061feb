"""Bad input on the challenge routes (issue #3, item 9): tokens, methods and
malformed bodies on every route that takes one. Each refusal has the
documented status and code and changes nothing (progress, history, lists,
boards, catalogue). Field-level rules are tested with each feature
(test_actions, test_checkins, test_footprint, test_waste, test_teams,
test_leaderboard)."""

import pytest

from conftest import assert_error, challenge_state, checkin_ok, get_json

PARTICIPANT_ROUTES = [
    ("GET", "/api/v1/me/commitments", None),
    ("POST", "/api/v1/me/commitments", {"action": "gourde"}),
    ("DELETE", "/api/v1/me/commitments/gourde", None),
    ("POST", "/api/v1/me/checkins", {"action": "gourde"}),
    ("GET", "/api/v1/me/checkins", None),
    ("GET", "/api/v1/me/progress", None),
    ("POST", "/api/v1/me/footprint", {"model_version": "1", "total_g": 100000,
                                      "categories": {"transport": 100000, "alimentation": 0,
                                                     "logement": 0, "divers": 0,
                                                     "services_societaux": 0}}),
    ("GET", "/api/v1/me/footprint", None),
    ("POST", "/api/v1/me/waste", {"week": "2026-W48", "residual_g": 1000}),
    ("GET", "/api/v1/me/waste", None),
    ("GET", "/api/v1/me/teams", None),
    ("POST", "/api/v1/teams", {"name": "Les Intrus", "kind": "household"}),
    ("POST", "/api/v1/teams/join", {"invite_code": "ABCD-EFGH"}),
    ("POST", "/api/v1/teams/{team}/leave", None),
    ("POST", "/api/v1/teams/{team}/invite", None),
    ("PUT", "/api/v1/teams/{team}/captain", {"member": "{pid}"}),
    ("DELETE", "/api/v1/teams/{team}/members/{pid}", None),
]

STAFF_ROUTES = [
    ("GET", "/api/v1/admin/actions", None),
    ("POST", "/api/v1/admin/actions", {"id": "intrus"}),
    ("PATCH", "/api/v1/admin/actions/gourde", {"points": 99}),
    ("DELETE", "/api/v1/admin/actions/gourde", None),
    ("PUT", "/api/v1/admin/waste/references/france-dma", {"kg_per_person_year": 1}),
    ("DELETE", "/api/v1/admin/waste/references/france-dma", None),
]


class World:
    """A participant with some of everything, a captain of a team, and the
    state every refused request must leave as it was."""

    def __init__(self, n):
        self.n = n
        self.p = n.register("Sentinelle", neighbourhood="Les Arches", household_size=2)
        self.tok = self.p["token"]
        self.other = n.register("Coequipier")
        checkin_ok(n, self.tok, "velo-domicile-travail")
        checkin_ok(n, self.tok, "compost", "2026-11-23")
        assert n.post("/api/v1/me/commitments", {"action": "gourde"},
                      token=self.tok).status == 201
        assert n.post("/api/v1/me/waste", {"week": "2026-W47", "residual_g": 3000},
                      token=self.tok).status == 201
        r = n.post("/api/v1/teams", {"name": "Les Gardiens", "kind": "household"},
                   token=self.tok)
        assert r.status == 201, r
        self.team = r.json
        r = n.post("/api/v1/teams/join", {"invite_code": self.team["invite_code"]},
                   token=self.other["token"])
        assert r.status == 200, r
        self.admin = n.admin_token()
        self.before = self.state()

    def state(self):
        st = challenge_state(self.n, self.tok)
        st["staff_actions"] = get_json(self.n, "/api/v1/admin/actions", token=self.admin)
        st["team"] = get_json(self.n, f"/api/v1/teams/{self.team['id']}", token=self.tok)
        return st

    def fill(self, s):
        return s.replace("{team}", self.team["id"]).replace("{pid}", self.other["id"])

    def fill_body(self, body):
        if body is None:
            return None
        return {k: self.fill(v) if isinstance(v, str) else v for k, v in body.items()}

    def assert_unchanged(self):
        assert self.state() == self.before, "a refused request changed something"


@pytest.fixture
def world(snode):
    return World(snode)


def test_participant_routes_need_a_participant_token(world):
    n = world.n
    for method, path, body in PARTICIPANT_ROUTES:
        path, body = world.fill(path), world.fill_body(body)
        assert_error(n.request(method, path, body=body), 401, "missing_token")
        assert_error(n.request(method, path, body=body, token="zcp_" + "Q" * 43), 401,
                     "invalid_token")
        assert_error(n.request(method, path, body=body, token="nonsense"), 401, "invalid_token")
        # A staff session is not a participant.
        assert_error(n.request(method, path, body=body, token=world.admin), 401,
                     "invalid_token")
    world.assert_unchanged()


def test_staff_routes_need_a_staff_token(world):
    n = world.n
    for method, path, body in STAFF_ROUTES:
        assert_error(n.request(method, path, body=body), 401, "missing_token")
        assert_error(n.request(method, path, body=body, token=world.tok), 401, "invalid_token")
    world.assert_unchanged()


def test_erased_participants_token_stops_working(snode):
    n = snode
    p = n.register("Ephemere")
    checkin_ok(n, p["token"], "gourde")
    assert n.request("DELETE", "/api/v1/me", token=p["token"]).status == 204
    for method, path, body in PARTICIPANT_ROUTES[:12]:
        assert_error(n.request(method, path, body=body, token=p["token"]), 401,
                     "invalid_token")


WRONG_METHODS = [
    ("PUT", "/api/v1/me/checkins"),
    ("DELETE", "/api/v1/me/checkins"),
    ("POST", "/api/v1/me/progress"),
    ("PUT", "/api/v1/me/footprint"),
    ("DELETE", "/api/v1/me/waste"),
    ("PATCH", "/api/v1/me/commitments"),
    ("POST", "/api/v1/actions"),
    ("DELETE", "/api/v1/actions"),
    ("POST", "/api/v1/game"),
    ("POST", "/api/v1/leaderboard"),
    ("POST", "/api/v1/waste/references"),
    ("GET", "/api/v1/teams"),
    ("DELETE", "/api/v1/teams/{team}"),
    ("GET", "/api/v1/teams/{team}/leave"),
    ("DELETE", "/api/v1/teams/{team}/captain"),
    ("PUT", "/api/v1/admin/actions"),
    ("GET", "/api/v1/admin/waste/references/france-dma"),
]


def test_wrong_methods(world):
    n = world.n
    for method, path in WRONG_METHODS:
        r = n.request(method, world.fill(path), token=world.tok, body={})
        assert_error(r, 405, "method_not_allowed")
    world.assert_unchanged()


BODY_ROUTES = [
    ("POST", "/api/v1/me/commitments", "participant"),
    ("POST", "/api/v1/me/checkins", "participant"),
    ("POST", "/api/v1/me/footprint", "participant"),
    ("POST", "/api/v1/me/waste", "participant"),
    ("PATCH", "/api/v1/me", "participant"),
    ("POST", "/api/v1/teams", "participant"),
    ("POST", "/api/v1/teams/join", "participant"),
    ("PUT", "/api/v1/teams/{team}/captain", "participant"),
    ("POST", "/api/v1/admin/actions", "admin"),
    ("PATCH", "/api/v1/admin/actions/gourde", "admin"),
    ("PUT", "/api/v1/admin/waste/references/france-dma", "admin"),
]

BODIES = [
    # id, raw body, content type, status, code
    ("truncated", b'{"action":"gourde"', "application/json", 400, "malformed_json"),
    ("trailing", b'{"action":"gourde"} x', "application/json", 400, "malformed_json"),
    ("empty", b"", "application/json", 400, "malformed_json"),
    ("array", b'[{"action":"gourde"}]', "application/json", 400, "not_an_object"),
    ("number", b"42", "application/json", 400, "not_an_object"),
    ("invalid-utf8", b'{"action":"gou\xffrde"}', "application/json", 400, "invalid_utf8"),
    ("duplicate", b'{"week":"2026-W48","week":"2026-W47"}', "application/json", 400,
     "duplicate_field"),
    ("text-plain", b'{"action":"gourde"}', "text/plain", 415, "unsupported_media_type"),
    ("form", b"action=gourde", "application/x-www-form-urlencoded", 415,
     "unsupported_media_type"),
    ("too-large", b'{"action":"' + b"a" * 17000 + b'"}', "application/json", 413,
     "body_too_large"),
]


@pytest.mark.parametrize("case,raw,ctype,status,code", BODIES, ids=[b[0] for b in BODIES])
def test_malformed_bodies_on_every_challenge_route(world, case, raw, ctype, status, code):
    n = world.n
    for method, path, who in BODY_ROUTES:
        tok = world.tok if who == "participant" else world.admin
        r = n.request(method, world.fill(path), raw=raw, token=tok, content_type=ctype)
        assert r.status == status, (method, path, r)
        assert_error(r, status, code)
    world.assert_unchanged()


def test_unknown_challenge_routes(world):
    n = world.n
    for path in ("/api/v1/me/checkin", "/api/v1/me/checkins/today", "/api/v1/action",
                 "/api/v1/me/footprints", "/api/v1/leaderboards", "/api/v1/team"):
        assert_error(n.get(path, token=world.tok), 404, "not_found")
    assert_error(n.get("/api/v1/teams/ZZZZ", token=world.tok), 404, "not_found")
    assert_error(n.post("/api/v1/teams/ffffffffffffffff/leave", token=world.tok), 404,
                 "not_found")
    world.assert_unchanged()
