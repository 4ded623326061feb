"""Teams (households, associations, neighbourhood teams): creation and name
rules, invite codes, joining, leaving, captaincy, removal, the public and the
member views, per-member means, erasure (issue #3)."""

import re

import pytest

from conftest import (ID_HEX, INVITE_CODE, assert_error, challenge_state, checkin_ok,
                      get_json, team_entries)

TEAM_ID = re.compile(r"^[0-9a-f]{16}$")
PUBLIC_FIELDS = {"id", "name", "kind", "members", "points_avg", "co2e_avg_g"}
MEMBER_FIELDS = PUBLIC_FIELDS | {"role", "invite_code", "member_list"}


def create(n, tok, name, kind="household"):
    r = n.post("/api/v1/teams", {"name": name, "kind": kind}, token=tok)
    assert r.status == 201, r
    return r.json


def join(n, tok, code):
    r = n.post("/api/v1/teams/join", {"invite_code": code}, token=tok)
    assert r.status == 200, r
    return r.json


def team(n, tid, tok=None):
    return get_json(n, f"/api/v1/teams/{tid}", token=tok)


def my_teams(n, tok):
    return get_json(n, "/api/v1/me/teams", token=tok)["teams"]


def test_create_a_team(any_snode):
    n = any_snode
    p = n.register("Capitaine")
    r = n.post("/api/v1/teams", {"name": "Les Économes", "kind": "household"},
               token=p["token"])
    assert r.status == 201, r
    t = r.json
    assert set(t) >= MEMBER_FIELDS, t
    assert TEAM_ID.match(t["id"]), t["id"]
    assert t["name"] == "Les Économes" and t["kind"] == "household"
    assert t["members"] == 1 and t["role"] == "captain"
    assert INVITE_CODE.match(t["invite_code"]), t["invite_code"]
    assert t["member_list"] == [{"id": p["id"], "nickname": "Capitaine", "role": "captain"}]
    assert (t["points_avg"], t["co2e_avg_g"]) == (0, 0)
    mine = my_teams(n, p["token"])
    assert len(mine) == 1 and mine[0]["id"] == t["id"]
    assert mine[0]["role"] == "captain" and mine[0]["invite_code"] == t["invite_code"]
    badges = [b["id"] for b in get_json(n, "/api/v1/me/progress", token=p["token"])["badges"]]
    assert "equipe" in badges
    # One of each kind is allowed.
    create(n, p["token"], "Club Vélo Issy", "association")
    create(n, p["token"], "Quartier des Arches", "neighbourhood")
    assert sorted(x["kind"] for x in my_teams(n, p["token"])) == \
        ["association", "household", "neighbourhood"]


BAD_NAMES = [
    ("too-short", "Ab", 422, "invalid_field"),
    ("too-long", "A" * 41, 422, "invalid_field"),
    ("leading-space", " Les Verts", 422, "invalid_field"),
    ("trailing-dash", "Les Verts-", 422, "invalid_field"),
    ("double-space", "Les  Verts", 422, "invalid_field"),
    ("symbol", "Les Verts!", 422, "invalid_field"),
    ("emoji", "Les Verts 🌱", 422, "invalid_field"),
    ("denylisted", "Les Officiels", 422, "invalid_field"),
    ("denylisted-insult", "Team Connard", 422, "invalid_field"),
    ("empty", "", 422, "invalid_field"),
]


@pytest.mark.parametrize("case,name,status,code", BAD_NAMES, ids=[b[0] for b in BAD_NAMES])
def test_bad_team_name_changes_nothing(snode, case, name, status, code):
    n = snode
    tok = n.register("Nommeur")["token"]
    before = challenge_state(n, tok)
    assert_error(n.post("/api/v1/teams", {"name": name, "kind": "household"}, token=tok),
                 status, code)
    assert challenge_state(n, tok) == before


def test_bad_team_bodies(snode):
    n = snode
    tok = n.register("Formulaire")["token"]
    before = challenge_state(n, tok)
    for body, code in [({"name": "Les Verts", "kind": "family"}, "invalid_field"),
                       ({"name": "Les Verts"}, "missing_field"),
                       ({"kind": "household"}, "missing_field"),
                       ({"name": "Les Verts", "kind": "household", "x": 1}, "unknown_field"),
                       ({"name": 12345, "kind": "household"}, "wrong_type")]:
        assert_error(n.post("/api/v1/teams", body, token=tok), 422, code)
    assert_error(n.post("/api/v1/teams", {"name": "Les Verts", "kind": "household"}), 401,
                 "missing_token")
    assert challenge_state(n, tok) == before


def test_name_taken_per_kind(snode):
    n = snode
    a = n.register("Premier")["token"]
    b = n.register("Second")["token"]
    create(n, a, "Les Écolos", "household")
    before = challenge_state(n, b)
    # Same name, case, accents and separators folded, same kind: taken.
    for name in ("Les Écolos", "les ecolos", "Les-Écolos"):
        assert_error(n.post("/api/v1/teams", {"name": name, "kind": "household"}, token=b),
                     409, "name_taken")
    assert challenge_state(n, b) == before
    # Another kind may use it.
    assert create(n, b, "Les Écolos", "association")["kind"] == "association"


def test_one_team_per_kind(snode):
    n = snode
    a = n.register("Fidele")["token"]
    b = n.register("Autrui")["token"]
    create(n, a, "Maison Une", "household")
    other = create(n, b, "Maison Deux", "household")
    before = challenge_state(n, a)
    assert_error(n.post("/api/v1/teams", {"name": "Maison Trois", "kind": "household"},
                        token=a), 409, "already_in_team")
    assert_error(n.post("/api/v1/teams/join", {"invite_code": other["invite_code"]}, token=a),
                 409, "already_in_team")
    assert challenge_state(n, a) == before
    assert team(n, other["id"])["members"] == 1


def test_join_by_code(snode):
    n = snode
    cap = n.register("Chef")
    t = create(n, cap["token"], "Les Voisins", "association")
    code = t["invite_code"]
    people = [n.register(f"Membre{i}") for i in range(3)]
    variants = [code, code.lower(), code.replace("-", "")]
    for p, c in zip(people, variants):
        j = join(n, p["token"], c)
        assert j["id"] == t["id"] and j["role"] == "member"
        assert j["invite_code"] == code
    t2 = team(n, t["id"], cap["token"])
    assert t2["members"] == 4
    assert [m["id"] for m in t2["member_list"] if m["role"] == "captain"] == [cap["id"]]
    assert {m["id"] for m in t2["member_list"]} == {cap["id"]} | {p["id"] for p in people}
    for m in t2["member_list"]:
        assert set(m) == {"id", "nickname", "role"} and ID_HEX.match(m["id"])
    # A member joining again: already in a team of this kind.
    assert_error(n.post("/api/v1/teams/join", {"invite_code": code}, token=people[0]["token"]),
                 409, "already_in_team")


def test_unknown_invite(snode):
    n = snode
    tok = n.register("Perdu")["token"]
    before = challenge_state(n, tok)
    for code in ("ABCD-EFGH", "abcdefgh", "AAAA-AAA", "0000-0000", "ABCD-EFGH-J"):
        assert_error(n.post("/api/v1/teams/join", {"invite_code": code}, token=tok), 404,
                     "unknown_invite")
    assert_error(n.post("/api/v1/teams/join", {"invite_code": 12345678}, token=tok), 422,
                 "wrong_type")
    assert_error(n.post("/api/v1/teams/join", {}, token=tok), 422, "missing_field")
    assert challenge_state(n, tok) == before


def test_household_team_full_at_20(snode):
    n = snode
    cap = n.register("Grandefamille")
    t = create(n, cap["token"], "La Tribu", "household")
    for i in range(19):
        join(n, n.register(f"Parent{i:02d}")["token"], t["invite_code"])
    assert team(n, t["id"])["members"] == 20
    late = n.register("Retardataire")["token"]
    before = challenge_state(n, late)
    assert_error(n.post("/api/v1/teams/join", {"invite_code": t["invite_code"]}, token=late),
                 409, "team_full")
    assert challenge_state(n, late) == before
    assert team(n, t["id"])["members"] == 20


def test_join_rate_limit(snode):
    n = snode
    cap = n.register("Gardien")["token"]
    t = create(n, cap, "Le Coffre", "association")
    tok = n.register("Devineur")["token"]
    for i in range(10):
        assert_error(n.post("/api/v1/teams/join", {"invite_code": f"ABCD-EFG{i + 2}"},
                            token=tok), 404, "unknown_invite")
    before = challenge_state(n, tok)
    r = n.post("/api/v1/teams/join", {"invite_code": "ABCD-EFGH"}, token=tok)
    assert_error(r, 429, "rate_limited")
    ra = r.header("retry-after")
    assert ra and ra.isdigit() and 1 <= int(ra) <= 60, r.headers
    # Even the right code waits.
    assert_error(n.post("/api/v1/teams/join", {"invite_code": t["invite_code"]}, token=tok),
                 429, "rate_limited")
    assert challenge_state(n, tok) == before
    # The limit is per participant.
    assert join(n, n.register("Honnete")["token"], t["invite_code"])["members"] == 2


def test_leave_hands_over_and_the_last_one_deletes(snode):
    n = snode
    a = n.register("Fondateur")
    b = n.register("Ancien")
    c = n.register("Nouveau")
    t = create(n, a["token"], "Les Pionniers", "household")
    join(n, b["token"], t["invite_code"])
    join(n, c["token"], t["invite_code"])
    r = n.post(f"/api/v1/teams/{t['id']}/leave", token=a["token"])
    assert r.status == 204, r
    view = team(n, t["id"], b["token"])
    assert view["members"] == 2
    roles = {m["id"]: m["role"] for m in view["member_list"]}
    assert roles == {b["id"]: "captain", c["id"]: "member"}
    assert my_teams(n, a["token"]) == []
    # Leaving a team one is not in.
    assert_error(n.post(f"/api/v1/teams/{t['id']}/leave", token=a["token"]), 404, "not_found")
    assert n.post(f"/api/v1/teams/{t['id']}/leave", token=b["token"]).status == 204
    assert team(n, t["id"], c["token"])["member_list"] == [
        {"id": c["id"], "nickname": "Nouveau", "role": "captain"}]
    assert n.post(f"/api/v1/teams/{t['id']}/leave", token=c["token"]).status == 204
    # The team is gone, with its invite and its name.
    assert_error(n.get(f"/api/v1/teams/{t['id']}"), 404, "not_found")
    assert_error(n.post("/api/v1/teams/join", {"invite_code": t["invite_code"]},
                        token=a["token"]), 404, "unknown_invite")
    board = get_json(n, "/api/v1/leaderboard?scope=team&limit=100")
    assert all(e["name"] != "Les Pionniers" for e in board["entries"])
    assert create(n, a["token"], "Les Pionniers", "household")["members"] == 1


def test_new_invite_code(snode):
    n = snode
    a = n.register("Serrurier")
    b = n.register("Locataire")
    t = create(n, a["token"], "La Clef", "association")
    join(n, b["token"], t["invite_code"])
    r = n.post(f"/api/v1/teams/{t['id']}/invite", token=a["token"])
    assert r.status == 200, r
    assert set(r.json) == {"invite_code"}
    new = r.json["invite_code"]
    assert INVITE_CODE.match(new) and new != t["invite_code"]
    assert team(n, t["id"], b["token"])["invite_code"] == new
    late = n.register("Visiteur")["token"]
    assert_error(n.post("/api/v1/teams/join", {"invite_code": t["invite_code"]}, token=late),
                 404, "unknown_invite")
    assert join(n, late, new)["members"] == 3
    # Only the captain renews the code; outsiders cannot see the team's.
    assert_error(n.post(f"/api/v1/teams/{t['id']}/invite", token=b["token"]), 403,
                 "not_captain")
    outsider = n.register("Etranger")["token"]
    assert_error(n.post(f"/api/v1/teams/{t['id']}/invite", token=outsider), 404, "not_found")
    assert team(n, t["id"], b["token"])["invite_code"] == new


def test_captain_handover(snode):
    n = snode
    a = n.register("Ancienchef")
    b = n.register("Nouveauchef")
    out = n.register("Dehors")
    t = create(n, a["token"], "Les Relais", "neighbourhood")
    join(n, b["token"], t["invite_code"])
    before = challenge_state(n, a["token"])
    assert_error(n.request("PUT", f"/api/v1/teams/{t['id']}/captain",
                           body={"member": a["id"]}, token=b["token"]), 403, "not_captain")
    assert_error(n.request("PUT", f"/api/v1/teams/{t['id']}/captain",
                           body={"member": out["id"]}, token=a["token"]), 422, "not_a_member")
    assert_error(n.request("PUT", f"/api/v1/teams/{t['id']}/captain",
                           body={"member": "xyz"}, token=a["token"]), 422, "invalid_field")
    assert_error(n.request("PUT", f"/api/v1/teams/{t['id']}/captain", body={},
                           token=a["token"]), 422, "missing_field")
    assert challenge_state(n, a["token"]) == before
    r = n.request("PUT", f"/api/v1/teams/{t['id']}/captain", body={"member": b["id"]},
                  token=a["token"])
    assert r.status == 200, r
    assert r.json["id"] == t["id"] and r.json["role"] == "member"
    roles = {m["id"]: m["role"] for m in r.json["member_list"]}
    assert roles == {a["id"]: "member", b["id"]: "captain"}
    assert my_teams(n, b["token"])[0]["role"] == "captain"
    # The former captain lost the captain's rights.
    assert_error(n.post(f"/api/v1/teams/{t['id']}/invite", token=a["token"]), 403,
                 "not_captain")


def test_remove_member(snode):
    n = snode
    a = n.register("Arbitre")
    b = n.register("Expulse")
    c = n.register("Reste")
    t = create(n, a["token"], "Les Stricts", "association")
    join(n, b["token"], t["invite_code"])
    join(n, c["token"], t["invite_code"])
    stranger = n.register("Inconnu")
    before = challenge_state(n, a["token"])
    assert_error(n.request("DELETE", f"/api/v1/teams/{t['id']}/members/{b['id']}",
                           token=c["token"]), 403, "not_captain")
    assert_error(n.request("DELETE", f"/api/v1/teams/{t['id']}/members/{a['id']}",
                           token=a["token"]), 409, "conflict")
    assert_error(n.request("DELETE", f"/api/v1/teams/{t['id']}/members/{stranger['id']}",
                           token=a["token"]), 404, "not_found")
    assert challenge_state(n, a["token"]) == before
    assert team(n, t["id"])["members"] == 3
    r = n.request("DELETE", f"/api/v1/teams/{t['id']}/members/{b['id']}", token=a["token"])
    assert r.status == 204, r
    assert my_teams(n, b["token"]) == []
    assert team(n, t["id"])["members"] == 2
    assert {m["id"] for m in team(n, t["id"], a["token"])["member_list"]} == {a["id"], c["id"]}
    # The removed member may come back with the code.
    assert join(n, b["token"], t["invite_code"])["members"] == 3


def test_public_and_member_views(snode):
    n = snode
    a = n.register("Hote")
    b = n.register("Invite")
    t = create(n, a["token"], "Les Discrets", "household")
    join(n, b["token"], t["invite_code"])
    pub = team(n, t["id"])
    assert set(pub) >= PUBLIC_FIELDS, pub
    assert "invite_code" not in pub and "member_list" not in pub
    assert pub["members"] == 2 and pub["name"] == "Les Discrets"
    outsider = n.register("Passant")["token"]
    assert team(n, t["id"], outsider) == pub
    for tok in (a["token"], b["token"]):
        mv = team(n, t["id"], tok)
        assert set(mv) >= MEMBER_FIELDS
        assert mv["invite_code"] == t["invite_code"] and len(mv["member_list"]) == 2
    assert team(n, t["id"], a["token"])["role"] == "captain"
    assert team(n, t["id"], b["token"])["role"] == "member"
    assert_error(n.get("/api/v1/teams/0123456789abcdef"), 404, "not_found")
    assert_error(n.get("/api/v1/teams/not-a-team"), 404, "not_found")


def test_team_score_is_the_mean_per_member(snode):
    n = snode
    a = n.register("Dix")
    b = n.register("Trente")
    t = create(n, a["token"], "Les Moyens", "household")
    join(n, b["token"], t["invite_code"])
    # 8 + 2 = 10 points for a, 30 for b.
    ca = [checkin_ok(n, a["token"], x) for x in ("velo-domicile-travail", "gourde")]
    cb = [checkin_ok(n, b["token"], "donner-objets")]
    assert sum(c["points"] for c in ca) == 10 and cb[0]["points"] == 30
    co2e = sum(c["co2e_avoided_g"] for c in ca + cb)
    view = team(n, t["id"])
    assert view["points_avg"] == 20
    assert view["co2e_avg_g"] == co2e // 2
    board = get_json(n, "/api/v1/leaderboard?board=points&scope=team", token=a["token"])
    assert team_entries(board["entries"]) == [{"rank": 1, "name": "Les Moyens", "score": 20, "members": 2}]
    assert [(m["team"], m["rank"], m["score"]) for m in board["me"]] == [(t["id"], 1, 20)]
    # A member who joins with no points lowers the mean; their later points count.
    c = n.register("Zero")
    join(n, c["token"], t["invite_code"])
    assert team(n, t["id"])["points_avg"] == 40 // 3
    checkin_ok(n, c["token"], "velo-domicile-travail")
    assert team(n, t["id"])["points_avg"] == 48 // 3
    # Points brought in before joining come along; leaving takes them away.
    assert n.post(f"/api/v1/teams/{t['id']}/leave", token=b["token"]).status == 204
    assert team(n, t["id"])["points_avg"] == (10 + 8) // 2


def test_erasure_leaves_the_team(snode):
    n = snode
    a = n.register("Partant", neighbourhood="La Ferme")
    b = n.register("Successeur", neighbourhood="La Ferme")
    c = n.register("Suivant")
    t = create(n, a["token"], "Les Survivants", "household")
    join(n, b["token"], t["invite_code"])
    join(n, c["token"], t["invite_code"])
    checkin_ok(n, a["token"], "donner-objets")  # 30 points
    checkin_ok(n, b["token"], "gourde")  # 2
    assert team(n, t["id"])["points_avg"] == 32 // 3
    r = n.request("DELETE", "/api/v1/me", token=a["token"])
    assert r.status == 204, r
    view = team(n, t["id"], b["token"])
    assert view["members"] == 2 and view["points_avg"] == 1
    assert {m["id"]: m["role"] for m in view["member_list"]} == {b["id"]: "captain",
                                                                 c["id"]: "member"}
    ind = get_json(n, "/api/v1/leaderboard?board=points&scope=individual&limit=100")
    assert "Partant" not in [e["name"] for e in ind["entries"]]
    assert ind["count"] == 2
    hood = get_json(n, "/api/v1/leaderboard?board=points&scope=neighbourhood")
    assert hood["entries"] == [{"rank": 1, "name": "La Ferme", "score": 2, "members": 1}]
    teams = get_json(n, "/api/v1/leaderboard?board=points&scope=team")
    assert team_entries(teams["entries"]) == [{"rank": 1, "name": "Les Survivants", "score": 1,
                                 "members": 2}]
    # The last member's erasure deletes the team and frees its name.
    solo = n.register("Solitaire")
    s = create(n, solo["token"], "Les Solitaires", "association")
    assert n.request("DELETE", "/api/v1/me", token=solo["token"]).status == 204
    assert_error(n.get(f"/api/v1/teams/{s['id']}"), 404, "not_found")
    assert create(n, c["token"], "Les Solitaires", "association")["members"] == 1
