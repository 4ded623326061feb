"""The actions catalogue (issue #3): the public list, the staff routes that
create, edit and retire actions, their role checks and their bad input; and
the rules of the game (GET /api/v1/game)."""

import re

import pytest

from conftest import (CATEGORIES, RFC3339, action_body, actions_by_id, assert_error,
                      challenge_state, checkin, checkin_ok, create_action, get_json)

ACTION_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$")
ACTION_FIELDS = {"id", "category", "title", "why", "how", "co2e_g", "waste_g", "frequency",
                 "points", "source"}


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def test_actions_list(snode):
    r = snode.get("/api/v1/actions")
    assert r.status == 200, r
    assert r.header("content-type").startswith("application/json")
    doc = r.json
    assert set(doc) == {"actions"}
    actions = doc["actions"]
    assert len(actions) >= 30, len(actions)
    assert len({a["id"] for a in actions}) == len(actions), "duplicate ids"
    assert {a["category"] for a in actions} == set(CATEGORIES)
    assert {a["frequency"] for a in actions} == {"daily", "weekly", "once"}
    for a in actions:
        assert set(a) == ACTION_FIELDS, a
        assert ACTION_ID.match(a["id"]), a["id"]
        for key in ("title", "why", "how"):
            assert set(a[key]) == {"fr", "en"}, (a["id"], key)
            for lang in ("fr", "en"):
                assert isinstance(a[key][lang], str) and a[key][lang].strip(), (a["id"], key)
        for key in ("co2e_g", "waste_g", "points"):
            assert is_int(a[key]), (a["id"], key, a[key])
        assert a["co2e_g"] >= 0 and a["waste_g"] >= 0
        assert 1 <= a["points"] <= 100, a
        assert isinstance(a["source"], str) and len(a["source"]) >= 10, a
    # Every action saves something or is a one-off step (a footprint, an audit).
    assert sum(1 for a in actions if a["co2e_g"] > 0) >= 25


def test_admin_actions_list_has_the_retired_flag(snode):
    r = snode.get("/api/v1/admin/actions", token=snode.admin_token())
    assert r.status == 200, r
    public = get_json(snode, "/api/v1/actions")["actions"]
    staff = r.json["actions"]
    assert len(staff) == len(public)
    for a in staff:
        assert set(a) == ACTION_FIELDS | {"retired"}, a
        assert a["retired"] is False


def test_admin_creates_an_action(snode):
    n = snode
    tok = n.admin_token()
    body = action_body("marche-test", category="alimentation", frequency="weekly",
                       title_fr="Manger une pomme", title_en="Eat an apple",
                       co2e_g=321, waste_g=12, points=7, source="Estimation : test")
    r = n.post("/api/v1/admin/actions", body, token=tok)
    assert r.status == 201, r
    assert r.json == {"id": "marche-test"}
    a = actions_by_id(n)["marche-test"]
    assert a == {"id": "marche-test", "category": "alimentation",
                 "title": {"fr": "Manger une pomme", "en": "Eat an apple"},
                 "why": {"fr": "Parce que.", "en": "Because."},
                 "how": {"fr": "Comme ceci.", "en": "Like this."},
                 "co2e_g": 321, "waste_g": 12, "frequency": "weekly", "points": 7,
                 "source": "Estimation : test"}
    audit = n.audit()
    assert any(e["action"] == "action_create" and e["target"] == "marche-test" for e in audit)
    # It can be checked in at once.
    p = n.register("Pommier")
    c = checkin_ok(n, p["token"], "marche-test")
    assert (c["points"], c["co2e_avoided_g"], c["waste_avoided_g"]) == (7, 321, 12)
    assert c["period"] == "2026-W48"
    # Creating it again is a conflict.
    assert_error(n.post("/api/v1/admin/actions", body, token=tok), 409, "conflict")


def test_admin_edits_an_action_partially(snode):
    n = snode
    tok = n.admin_token()
    create_action(n, "edit-me", points=5, co2e_g=100)
    before = actions_by_id(n)["edit-me"]
    r = n.request("PATCH", "/api/v1/admin/actions/edit-me",
                  body={"points": 9, "title_en": "Edited", "category": "logement"}, token=tok)
    assert r.status == 200, r
    assert r.json == {"id": "edit-me"}
    after = actions_by_id(n)["edit-me"]
    expected = dict(before, points=9, category="logement",
                    title={"fr": before["title"]["fr"], "en": "Edited"})
    assert after == expected
    # A check-in after the edit is credited with the new factors.
    p = n.register("Editeur")
    assert checkin_ok(n, p["token"], "edit-me")["points"] == 9
    assert_error(n.request("PATCH", "/api/v1/admin/actions/no-such-action",
                           body={"points": 3}, token=tok), 404, "not_found")


def test_admin_retires_an_action(snode):
    n = snode
    tok = n.admin_token()
    p = n.register("Retraite")
    create_action(n, "bientot-fini", points=6)
    first = checkin_ok(n, p["token"], "bientot-fini")
    assert n.post("/api/v1/me/commitments", {"action": "bientot-fini"},
                  token=p["token"]).status == 201

    r = n.request("DELETE", "/api/v1/admin/actions/bientot-fini", token=tok)
    assert r.status == 204, r
    assert r.body == b""
    assert "bientot-fini" not in actions_by_id(n)
    staff = {a["id"]: a for a in get_json(n, "/api/v1/admin/actions", token=tok)["actions"]}
    assert staff["bientot-fini"]["retired"] is True
    assert any(e["action"] == "action_retire" and e["target"] == "bientot-fini"
               for e in n.audit())

    before = challenge_state(n, p["token"])
    assert_error(checkin(n, p["token"], "bientot-fini", "2026-11-24"), 422, "unknown_action")
    assert_error(n.post("/api/v1/me/commitments", {"action": "bientot-fini"},
                        token=p["token"]), 422, "unknown_action")
    assert challenge_state(n, p["token"]) == before
    # The history keeps the check-in made while the action was in use.
    listed = get_json(n, "/api/v1/me/checkins", token=p["token"])["checkins"]
    assert [c["action"] for c in listed] == ["bientot-fini"]
    assert listed[0]["points"] == first["points"]

    # Retiring is reversible by an edit.
    r = n.request("PATCH", "/api/v1/admin/actions/bientot-fini", body={"retired": False},
                  token=tok)
    assert r.status == 200, r
    assert "bientot-fini" in actions_by_id(n)
    assert checkin(n, p["token"], "bientot-fini", "2026-11-24").status == 201
    assert_error(n.request("DELETE", "/api/v1/admin/actions/no-such-action", token=tok),
                 404, "not_found")


@pytest.mark.parametrize("role", ["moderator", "animator"])
def test_staff_without_admin_role_cannot_edit_the_catalogue(snode, role):
    n = snode
    tok = n.staff_token(f"{role}.1", role)
    before = get_json(n, "/api/v1/admin/actions", token=n.admin_token())
    assert_error(n.post("/api/v1/admin/actions", action_body("pas-permis"), token=tok),
                 403, "forbidden")
    assert_error(n.request("PATCH", "/api/v1/admin/actions/velo-domicile-travail",
                           body={"points": 99}, token=tok), 403, "forbidden")
    assert_error(n.request("DELETE", "/api/v1/admin/actions/velo-domicile-travail", token=tok),
                 403, "forbidden")
    # Any staff may read the full catalogue.
    assert n.get("/api/v1/admin/actions", token=tok).status == 200
    assert get_json(n, "/api/v1/admin/actions", token=n.admin_token()) == before


def test_participant_token_cannot_reach_the_staff_catalogue(snode):
    n = snode
    p = n.register("Curieux")
    assert_error(n.post("/api/v1/admin/actions", action_body("pas-permis"), token=p["token"]),
                 401, "invalid_token")
    assert_error(n.post("/api/v1/admin/actions", action_body("pas-permis")), 401,
                 "missing_token")
    assert_error(n.get("/api/v1/admin/actions", token=p["token"]), 401, "invalid_token")


BAD_CREATES = [
    ("category", {"category": "energie"}, 422, "invalid_field"),
    ("category-case", {"category": "Transport"}, 422, "invalid_field"),
    ("frequency", {"frequency": "monthly"}, 422, "invalid_field"),
    ("id-uppercase", {"id": "Velo-Test"}, 422, "invalid_field"),
    ("id-underscore", {"id": "velo_test"}, 422, "invalid_field"),
    ("id-leading-dash", {"id": "-velo"}, 422, "invalid_field"),
    ("id-trailing-dash", {"id": "velo-"}, 422, "invalid_field"),
    ("id-too-short", {"id": "ab"}, 422, "invalid_field"),
    ("id-too-long", {"id": "a" * 41}, 422, "invalid_field"),
    ("id-accent", {"id": "vélo"}, 422, "invalid_field"),
    ("title-too-long", {"title_fr": "é" * 81}, 422, "invalid_field"),
    ("title-en-empty", {"title_en": ""}, 422, "invalid_field"),
    ("why-too-long", {"why_en": "x" * 1001}, 422, "invalid_field"),
    ("how-too-long", {"how_fr": "x" * 1001}, 422, "invalid_field"),
    ("source-too-long", {"source": "s" * 301}, 422, "invalid_field"),
    ("points-zero", {"points": 0}, 422, "invalid_field"),
    ("points-101", {"points": 101}, 422, "invalid_field"),
    ("points-string", {"points": "5"}, 422, "wrong_type"),
    ("points-float", {"points": 5.5}, 422, "wrong_type"),
    ("co2e-negative", {"co2e_g": -1}, 422, "invalid_field"),
    ("waste-negative", {"waste_g": -5}, 422, "invalid_field"),
    ("unknown-field", {"colour": "green"}, 422, "unknown_field"),
    ("retired-on-create", {"retired": True}, 422, "unknown_field"),
]


@pytest.mark.parametrize("case,over,status,code", BAD_CREATES, ids=[c[0] for c in BAD_CREATES])
def test_bad_action_create_changes_nothing(snode, case, over, status, code):
    n = snode
    tok = n.admin_token()
    before = get_json(n, "/api/v1/admin/actions", token=tok)
    audit = n.audit()
    r = n.post("/api/v1/admin/actions", action_body("essai-refuse", **over), token=tok)
    assert_error(r, status, code)
    assert get_json(n, "/api/v1/admin/actions", token=tok) == before
    assert n.audit() == audit


@pytest.mark.parametrize("missing", ["id", "category", "frequency", "title_fr", "how_en",
                                     "source", "co2e_g", "waste_g", "points"])
def test_action_create_needs_every_field(snode, missing):
    n = snode
    tok = n.admin_token()
    before = get_json(n, "/api/v1/admin/actions", token=tok)
    body = action_body("essai-incomplet")
    del body[missing]
    assert_error(n.post("/api/v1/admin/actions", body, token=tok), 422, "missing_field")
    assert get_json(n, "/api/v1/admin/actions", token=tok) == before


BAD_EDITS = [
    ("category", {"category": "energie"}, 422, "invalid_field"),
    ("frequency", {"frequency": "yearly"}, 422, "invalid_field"),
    ("points", {"points": 0}, 422, "invalid_field"),
    ("title", {"title_en": "t" * 81}, 422, "invalid_field"),
    ("unknown", {"colour": "green"}, 422, "unknown_field"),
    ("id-not-editable", {"id": "autre-id"}, 422, "unknown_field"),
    ("retired-type", {"retired": "yes"}, 422, "wrong_type"),
]


@pytest.mark.parametrize("case,body,status,code", BAD_EDITS, ids=[c[0] for c in BAD_EDITS])
def test_bad_action_edit_changes_nothing(snode, case, body, status, code):
    n = snode
    tok = n.admin_token()
    before = get_json(n, "/api/v1/admin/actions", token=tok)
    r = n.request("PATCH", "/api/v1/admin/actions/velo-domicile-travail", body=body, token=tok)
    assert_error(r, status, code)
    assert get_json(n, "/api/v1/admin/actions", token=tok) == before


# -- the rules ----------------------------------------------------------------------

BADGES = {"premier-pas", "dix-gestes", "cinquante-gestes", "serie-4", "serie-12",
          "cent-kilos", "une-tonne", "peseur", "empreinte", "equipe", "objectif-4",
          "touche-a-tout", "zero-dechet-10"}


def test_game_rules(snode):
    r = snode.get("/api/v1/game")
    assert r.status == 200, r
    g = r.json
    assert set(g) == {"levels", "badges", "caps", "goal_bonus_points", "streak_rule"}
    assert g["caps"] == {"co2e_g": 10000, "waste_g": 5000, "points": 500}
    assert g["goal_bonus_points"] == 20
    assert set(g["streak_rule"]) == {"fr", "en"}
    assert all(isinstance(v, str) and len(v) > 20 for v in g["streak_rule"].values())

    levels = g["levels"]
    assert len(levels) >= 3
    assert levels[0]["min_points"] == 0
    mins = [lv["min_points"] for lv in levels]
    assert mins == sorted(mins) and len(set(mins)) == len(mins), mins
    for lv in levels:
        assert set(lv) == {"id", "name", "icon", "min_points"}, lv
        assert set(lv["name"]) == {"fr", "en"} and all(lv["name"].values())
        assert isinstance(lv["icon"], str) and lv["icon"]
    assert len({lv["id"] for lv in levels}) == len(levels)

    badges = g["badges"]
    assert len(badges) == 13
    assert {b["id"] for b in badges} == BADGES
    for b in badges:
        assert set(b) == {"id", "name", "description", "icon"}, b
        for key in ("name", "description"):
            assert set(b[key]) == {"fr", "en"}, b
            assert all(isinstance(v, str) and v.strip() for v in b[key].values()), b
        assert isinstance(b["icon"], str) and b["icon"]
    # Public: no token needed, and HEAD works like every GET.
    assert snode.request("HEAD", "/api/v1/game").status == 200


def test_progress_level_matches_the_rules(snode):
    n = snode
    levels = get_json(n, "/api/v1/game")["levels"]
    p = n.register("Niveleur")
    prog = get_json(n, "/api/v1/me/progress", token=p["token"])
    assert prog["level"] == dict(levels[0], next_at=levels[1]["min_points"])
    # 100 points in one check-in (an action made for the test).
    create_action(n, "cent-points", points=100)
    checkin_ok(n, p["token"], "cent-points")
    prog = get_json(n, "/api/v1/me/progress", token=p["token"])
    reached = [lv for lv in levels if lv["min_points"] <= 100][-1]
    nxt = [lv for lv in levels if lv["min_points"] > 100][0]
    assert prog["level"] == dict(reached, next_at=nxt["min_points"])
    assert RFC3339.match(prog["badges"][0]["earned_at"])
