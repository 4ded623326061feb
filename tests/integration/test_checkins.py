"""Commitments, check-ins, caps, the weekly goal, progress (streaks, badges,
levels), the check-in history, durability and concurrency (issue #3).

The node's clock reads Wednesday 2026-11-25 12:00 in Paris (conftest.TODAY),
inside the demo season; ISO week 2026-W48 started on Monday 23."""

import concurrent.futures

import pytest

from conftest import (CATEGORIES, RFC3339, SEASON_ID, THIS_WEEK, TODAY, actions_by_id,
                      assert_error, challenge_state, checkin, checkin_ok, create_action, day,
                      get_json, patch_me, start_in_season)

CHECKIN_FIELDS = {"action", "date", "period", "points", "co2e_avoided_g", "waste_avoided_g",
                  "capped", "week", "totals", "streak", "level", "new_badges"}
LISTED_FIELDS = {"action", "date", "period", "points", "co2e_avoided_g", "waste_avoided_g",
                 "capped", "at"}
WEEK_FIELDS = {"week", "checkins", "points", "co2e_avoided_g", "waste_avoided_g", "goal",
               "goal_met"}

# Seeded actions the tests rely on (checked against GET /actions below).
DAILY_BIG = ["velo-domicile-travail", "transports-en-commun", "covoiturage"]  # 1697+1623+1358 g


def progress(n, tok):
    return get_json(n, "/api/v1/me/progress", token=tok)


def is_409(r):
    return r.status == 409 and r.json["error"]["code"] == "already_checked_in"


def listed(n, tok, week=None):
    path = "/api/v1/me/checkins" + (f"?week={week}" if week else "")
    return get_json(n, path, token=tok)["checkins"]


# -- commitments ----------------------------------------------------------------------

def test_commitments_add_list_delete(snode):
    n = snode
    p = n.register("Engage")
    tok = p["token"]
    assert get_json(n, "/api/v1/me/commitments", token=tok) == {"commitments": []}
    r = n.post("/api/v1/me/commitments", {"action": "velo-domicile-travail"}, token=tok)
    assert r.status == 201, r
    assert set(r.json) == {"action", "since"}
    assert r.json["action"] == "velo-domicile-travail"
    assert RFC3339.match(r.json["since"]) and r.json["since"].startswith(TODAY)
    assert n.post("/api/v1/me/commitments", {"action": "compost"}, token=tok).status == 201
    got = get_json(n, "/api/v1/me/commitments", token=tok)["commitments"]
    assert sorted(c["action"] for c in got) == ["compost", "velo-domicile-travail"]
    assert all(set(c) == {"action", "since"} for c in got)

    before = challenge_state(n, tok)
    assert_error(n.post("/api/v1/me/commitments", {"action": "compost"}, token=tok), 409,
                 "conflict")
    assert_error(n.post("/api/v1/me/commitments", {"action": "no-such-action"}, token=tok),
                 422, "unknown_action")
    assert_error(n.post("/api/v1/me/commitments", {}, token=tok), 422, "missing_field")
    assert_error(n.post("/api/v1/me/commitments", {"action": 3}, token=tok), 422, "wrong_type")
    assert_error(n.post("/api/v1/me/commitments", {"action": "compost", "x": 1}, token=tok),
                 422, "unknown_field")
    assert_error(n.post("/api/v1/me/commitments", {"action": "compost"}), 401, "missing_token")
    assert challenge_state(n, tok) == before

    r = n.request("DELETE", "/api/v1/me/commitments/compost", token=tok)
    assert r.status == 204, r
    got = get_json(n, "/api/v1/me/commitments", token=tok)["commitments"]
    assert [c["action"] for c in got] == ["velo-domicile-travail"]
    assert_error(n.request("DELETE", "/api/v1/me/commitments/compost", token=tok), 404,
                 "not_found")
    assert_error(n.request("DELETE", "/api/v1/me/commitments/no-such-action", token=tok), 404,
                 "not_found")
    # Commitments are the participant's own.
    other = n.register("Autre")
    assert get_json(n, "/api/v1/me/commitments", token=other["token"]) == {"commitments": []}


def test_commitments_capped_at_30(snode):
    n = snode
    tok = n.register("Boulimique")["token"]
    ids = sorted(actions_by_id(n))
    assert len(ids) > 30
    for a in ids[:30]:
        assert n.post("/api/v1/me/commitments", {"action": a}, token=tok).status == 201, a
    before = challenge_state(n, tok)
    assert_error(n.post("/api/v1/me/commitments", {"action": ids[30]}, token=tok), 409,
                 "too_many_commitments")
    assert challenge_state(n, tok) == before
    assert len(before["commitments"]["commitments"]) == 30
    # Dropping one makes room again.
    assert n.request("DELETE", f"/api/v1/me/commitments/{ids[0]}", token=tok).status == 204
    assert n.post("/api/v1/me/commitments", {"action": ids[30]}, token=tok).status == 201


# -- one check-in ---------------------------------------------------------------------

def test_seeded_actions_used_here(snode):
    a = actions_by_id(snode)
    for i in DAILY_BIG + ["gourde", "repas-vegetarien", "douche-courte"]:
        assert a[i]["frequency"] == "daily", i
    for i in ("moins-viande-rouge", "moins-ecrans", "compost", "seconde-main"):
        assert a[i]["frequency"] == "weekly", i
    for i in ("stop-pub", "donner-objets"):
        assert a[i]["frequency"] == "once", i
    assert sum(a[i]["co2e_g"] for i in DAILY_BIG) * 2 < 10000 < \
        sum(a[i]["co2e_g"] for i in DAILY_BIG) * 3
    assert a["donner-objets"]["waste_g"] + a["stop-pub"]["waste_g"] > 5000


def test_checkin_201_with_every_field(any_snode):
    n = any_snode
    p = n.register("Cycliste", neighbourhood="Les Arches")
    act = actions_by_id(n)["velo-domicile-travail"]
    r = checkin(n, p["token"], "velo-domicile-travail")
    assert r.status == 201, r
    c = r.json
    assert set(c) >= CHECKIN_FIELDS, set(c) ^ CHECKIN_FIELDS
    assert c["action"] == "velo-domicile-travail"
    assert c["date"] == TODAY and c["period"] == TODAY
    assert c["points"] == act["points"]
    assert c["co2e_avoided_g"] == act["co2e_g"]
    assert c["waste_avoided_g"] == act["waste_g"]
    assert c["capped"] is False
    assert set(c["week"]) == WEEK_FIELDS
    assert c["week"] == {"week": THIS_WEEK, "checkins": 1, "points": act["points"],
                         "co2e_avoided_g": act["co2e_g"], "waste_avoided_g": act["waste_g"],
                         "goal": 3, "goal_met": False}
    assert c["totals"] == {"points": act["points"], "co2e_avoided_g": act["co2e_g"],
                           "waste_avoided_g": act["waste_g"], "checkins": 1}
    assert c["streak"] == {"current": 1, "best": 1}
    assert set(c["level"]) == {"id", "name", "icon", "min_points", "next_at"}
    assert c["new_badges"] == ["premier-pas"]
    # An explicit date of today is the same thing.
    c2 = checkin_ok(n, p["token"], "transports-en-commun", TODAY)
    assert c2["date"] == TODAY and c2["new_badges"] == []
    assert c2["totals"]["checkins"] == 2


def test_repeat_in_the_same_period_is_409_with_the_existing_checkin(snode):
    n = snode
    tok = n.register("Repetiteur")["token"]
    first = checkin_ok(n, tok, "velo-domicile-travail", day(-1))
    before = challenge_state(n, tok)
    r = checkin(n, tok, "velo-domicile-travail", day(-1))
    assert r.status == 409, r
    doc = r.json
    assert set(doc) == {"error", "checkin"}, doc
    assert doc["error"]["code"] == "already_checked_in"
    assert isinstance(doc["error"]["message"], str) and doc["error"]["message"]
    assert set(doc["checkin"]) == LISTED_FIELDS
    assert {k: doc["checkin"][k] for k in LISTED_FIELDS - {"at"}} == \
        {k: first[k] for k in LISTED_FIELDS - {"at"}}
    assert challenge_state(n, tok) == before


def test_periods_daily_weekly_once(snode):
    n = snode
    tok = n.register("Periodique")["token"]
    # daily: one per day
    assert checkin_ok(n, tok, "gourde", day(-2))["period"] == day(-2)
    assert checkin_ok(n, tok, "gourde", day(-1))["period"] == day(-1)
    assert checkin_ok(n, tok, "gourde")["period"] == TODAY
    assert is_409(checkin(n, tok, "gourde", day(-1)))
    # weekly: one per ISO week (Friday 20 is in 2026-W47, Monday 23 in W48)
    c = checkin_ok(n, tok, "moins-viande-rouge", "2026-11-20")
    assert c["period"] == "2026-W47" and c["week"]["week"] == "2026-W47"
    c = checkin_ok(n, tok, "moins-viande-rouge", "2026-11-23")
    assert c["period"] == "2026-W48"
    r = checkin(n, tok, "moins-viande-rouge", TODAY)
    assert is_409(r), r
    assert r.json["checkin"]["date"] == "2026-11-23" and r.json["checkin"]["period"] == "2026-W48"
    r = checkin(n, tok, "moins-viande-rouge", "2026-11-22")  # Sunday, still W47
    assert is_409(r), r
    assert r.json["checkin"]["date"] == "2026-11-20"
    # once: once per season
    c = checkin_ok(n, tok, "stop-pub", "2026-11-19")
    assert c["period"] == "season"
    r = checkin(n, tok, "stop-pub", TODAY)
    assert is_409(r), r
    assert r.json["checkin"]["date"] == "2026-11-19" and r.json["checkin"]["period"] == "season"
    assert progress(n, tok)["checkins"] == 6


def test_date_rules(snode):
    n = snode
    tok = n.register("Calendrier")["token"]
    before = challenge_state(n, tok)
    cases = [
        (day(1), 422, "date_in_future"),
        ("2027-01-15", 422, "date_in_future"),
        (day(-8), 422, "too_old"),
        ("2026-09-10", 422, "too_old"),
        ("2026-13-01", 422, "invalid_field"),
        ("2026-02-30", 422, "invalid_field"),
        ("2026-11-5", 422, "invalid_field"),
        ("25/11/2026", 422, "invalid_field"),
        ("2026/11/25", 422, "invalid_field"),
        ("2026-11-25T10:00:00Z", 422, "invalid_field"),
        ("", 422, "invalid_field"),
    ]
    for date, status, code in cases:
        r = checkin(n, tok, "velo-domicile-travail", date)
        assert r.status == status and r.json["error"]["code"] == code, (date, r)
        assert_error(r, status, code)
    for body, code in [({"action": "velo-domicile-travail", "date": None}, "wrong_type"),
                       ({"action": "velo-domicile-travail", "date": 20261125}, "wrong_type"),
                       ({"date": TODAY}, "missing_field"),
                       ({"action": "velo-domicile-travail", "when": TODAY}, "unknown_field"),
                       ({"action": ["velo-domicile-travail"]}, "wrong_type"),
                       ({"action": "no-such-action"}, "unknown_action"),
                       ({"action": ""}, "invalid_field")]:
        r = n.post("/api/v1/me/checkins", body, token=tok)
        assert_error(r, 422, code)
    assert_error(n.post("/api/v1/me/checkins", {"action": "gourde"}), 401, "missing_token")
    assert_error(n.post("/api/v1/me/checkins", {"action": "gourde"}, token="zcp_" + "A" * 43),
                 401, "invalid_token")
    assert_error(n.post("/api/v1/me/checkins", raw=b'{"action":"gourde"', token=tok), 400,
                 "malformed_json")
    assert challenge_state(n, tok) == before
    # Seven days back is the limit, inclusive.
    assert checkin_ok(n, tok, "velo-domicile-travail", day(-7))["date"] == "2026-11-18"


def test_outside_season(make_season_node):
    # The day after the season started: the day before it is within 7 days
    # but outside the season.
    n = make_season_node(when="2026-09-02 10:00:00")
    tok = n.register("Precoce")["token"]
    before = challenge_state(n, tok)
    assert_error(checkin(n, tok, "velo-domicile-travail", "2026-08-31"), 422, "outside_season")
    assert_error(checkin(n, tok, "moins-viande-rouge", "2026-08-27"), 422, "outside_season")
    assert challenge_state(n, tok) == before
    assert checkin_ok(n, tok, "velo-domicile-travail", "2026-09-01")["date"] == "2026-09-01"


def test_between_seasons_nothing_is_checked_in(make_season_node):
    n = make_season_node(when="2027-07-02 10:00:00")
    assert get_json(n, "/api/v1/city")["season"] is None
    tok = n.register("Estival")["token"]
    before = challenge_state(n, tok)
    assert_error(checkin(n, tok, "velo-domicile-travail"), 422, "outside_season")
    assert_error(checkin(n, tok, "velo-domicile-travail", "2027-06-30"), 422, "outside_season")
    assert_error(n.post("/api/v1/me/waste", {"week": "2027-W26", "residual_g": 1000},
                        token=tok), 422, "outside_season")
    assert challenge_state(n, tok) == before
    assert before["progress"]["season"] is None and before["progress"]["points"] == 0


def test_once_means_once_per_season(make_season_node):
    """api.md: `once` is once per season. A new season starts every
    participant from zero, and a one-off action may be checked in again."""
    n = make_season_node(when="2027-06-29 10:00:00")  # the demo season's last days
    tok = n.register("Saisonnier")["token"]
    c = checkin_ok(n, tok, "stop-pub")
    assert c["period"] == "season"
    checkin_ok(n, tok, "velo-domicile-travail")
    n.stop()
    start_in_season(n, "2027-09-08 10:00:00")  # a Wednesday, between seasons
    r = n.post("/api/v1/admin/seasons", {"id": "2027-2028", "name": "Défi 2027–2028",
                                         "starts_on": "2027-09-01", "ends_on": "2028-06-30"},
               token=n.admin_token())
    assert r.status == 201, r
    assert get_json(n, "/api/v1/city")["season"]["id"] == "2027-2028"
    prog = progress(n, tok)
    assert prog["season"] == "2027-2028"
    assert (prog["points"], prog["checkins"], prog["badges"]) == (0, 0, [])
    r = checkin(n, tok, "stop-pub")
    assert r.status == 201, f"once per season: a new season allows it again; got {r!r}"
    assert r.json["period"] == "season"
    assert r.json["totals"]["checkins"] == 1
    assert r.json["new_badges"] == ["premier-pas"]


# -- caps ----------------------------------------------------------------------------------

def test_co2e_cap_per_week(snode):
    n = snode
    tok = n.register("Plafond")["token"]
    patch_me(n, tok, weekly_goal=21)  # keep the goal bonus out of the sums
    a = actions_by_id(n)
    credited = []
    for d in ("2026-11-23", "2026-11-24"):
        for i in DAILY_BIG:
            c = checkin_ok(n, tok, i, d)
            assert c["capped"] is False and c["co2e_avoided_g"] == a[i]["co2e_g"]
            credited.append(c["co2e_avoided_g"])
    used = sum(credited)
    assert used == 2 * sum(a[i]["co2e_g"] for i in DAILY_BIG) < 10000
    # The check-in that crosses 10 kg gets what is left, capped.
    c = checkin_ok(n, tok, "velo-domicile-travail", TODAY)
    assert c["capped"] is True
    assert c["co2e_avoided_g"] == 10000 - used
    assert c["points"] == a["velo-domicile-travail"]["points"]  # points are not capped yet
    assert c["week"]["co2e_avoided_g"] == 10000
    # Beyond: recorded, 0 g credited, capped.
    c = checkin_ok(n, tok, "transports-en-commun", TODAY)
    assert c["capped"] is True and c["co2e_avoided_g"] == 0
    assert c["week"]["co2e_avoided_g"] == 10000 and c["week"]["checkins"] == 8
    # Another week is not affected (Friday 20 is in W47).
    c = checkin_ok(n, tok, "velo-domicile-travail", "2026-11-20")
    assert c["capped"] is False and c["co2e_avoided_g"] == a["velo-domicile-travail"]["co2e_g"]
    prog = progress(n, tok)
    assert prog["co2e_avoided_g"] == 10000 + a["velo-domicile-travail"]["co2e_g"]
    assert prog["week"]["co2e_avoided_g"] == 10000
    rows = listed(n, tok, THIS_WEEK)
    assert sum(r["co2e_avoided_g"] for r in rows) == 10000
    assert [r["capped"] for r in rows if r["date"] == TODAY] == [True, True]
    # The board counts what was credited.
    board = get_json(n, "/api/v1/leaderboard?board=co2e&scope=individual", token=tok)
    assert board["me"]["score"] == prog["co2e_avoided_g"]


def test_waste_cap_per_week(snode):
    n = snode
    tok = n.register("Zerodechet")["token"]
    patch_me(n, tok, weekly_goal=21)
    a = actions_by_id(n)
    c = checkin_ok(n, tok, "donner-objets", "2026-11-23")
    assert c["waste_avoided_g"] == a["donner-objets"]["waste_g"] and c["capped"] is False
    c = checkin_ok(n, tok, "stop-pub", "2026-11-24")
    left = 5000 - a["donner-objets"]["waste_g"]
    assert c["capped"] is True
    assert c["waste_avoided_g"] == left
    assert c["co2e_avoided_g"] == a["stop-pub"]["co2e_g"]  # CO2e still credited in full
    assert c["week"]["waste_avoided_g"] == 5000
    c = checkin_ok(n, tok, "compost", TODAY)
    assert c["capped"] is True and c["waste_avoided_g"] == 0
    assert c["co2e_avoided_g"] == a["compost"]["co2e_g"]
    prog = progress(n, tok)
    assert prog["waste_avoided_g"] == 5000
    assert prog["week"]["waste_avoided_g"] == 5000


def _hundred_point_actions(n, count):
    ids = [f"cent-{i}" for i in range(count)]
    for i in ids:
        create_action(n, i, points=100, co2e_g=0, waste_g=0)
    return ids


def test_points_cap_per_week(snode):
    n = snode
    ids = _hundred_point_actions(n, 7)
    tok = n.register("Gourmand")["token"]
    patch_me(n, tok, weekly_goal=21)  # no goal bonus this week
    got = [checkin_ok(n, tok, i, TODAY) for i in ids[:5]]
    assert [c["points"] for c in got] == [100] * 5
    assert [c["capped"] for c in got] == [False] * 5
    assert got[-1]["week"]["points"] == 500
    c = checkin_ok(n, tok, ids[5], TODAY)
    assert c["capped"] is True and c["points"] == 0
    assert c["week"]["points"] == 500
    # Next week's share is untouched: W47.
    c = checkin_ok(n, tok, ids[6], "2026-11-20")
    assert c["points"] == 100 and c["capped"] is False
    prog = progress(n, tok)
    assert prog["points"] == 600
    assert prog["week"]["points"] == 500


def test_goal_bonus_comes_on_top_of_the_points_cap(snode):
    """api.md: 500 points a week are credited; the goal bonus (20) rewards
    regularity and the cap does not eat it (server/game.c says so too), so a
    week with the goal met credits 500 + 20."""
    n = snode
    ids = _hundred_point_actions(n, 7)
    tok = n.register("Regulier")["token"]
    # The default goal (3 check-ins) is met on the 3rd check-in, before the cap.
    got = [checkin_ok(n, tok, i, TODAY) for i in ids]
    assert [c["week"]["goal_met"] for c in got] == [False, False] + [True] * 5
    assert got[2]["points"] == 120  # 100 + the bonus
    week = got[-1]["week"]
    assert week["points"] == 520, [(c["points"], c["capped"]) for c in got]
    assert sum(c["points"] for c in got) == 520
    assert progress(n, tok)["points"] == 520


def test_goal_bonus_after_the_points_cap(snode):
    """The other order: the goal is met once the cap is reached; the bonus is
    still credited (500 + 20). With the test above, the week's total must not
    depend on the order of the check-ins."""
    n = snode
    ids = _hundred_point_actions(n, 6)
    tok = n.register("Tardif")["token"]
    patch_me(n, tok, weekly_goal=6)
    got = [checkin_ok(n, tok, i, TODAY) for i in ids]
    assert [c["points"] for c in got] == [100] * 5 + [20]
    assert got[-1]["capped"] is True and got[-1]["week"]["goal_met"] is True
    assert got[-1]["week"]["points"] == 520
    assert progress(n, tok)["points"] == 520


# -- the weekly goal -------------------------------------------------------------------

def test_weekly_goal_bonus_once(snode):
    n = snode
    tok = n.register("Objectif")["token"]
    me = patch_me(n, tok, weekly_goal=2)
    assert me["weekly_goal"] == 2
    assert get_json(n, "/api/v1/me", token=tok)["weekly_goal"] == 2
    a = actions_by_id(n)
    c1 = checkin_ok(n, tok, "gourde", "2026-11-23")
    assert c1["week"]["goal"] == 2 and c1["week"]["goal_met"] is False
    assert c1["points"] == a["gourde"]["points"]
    c2 = checkin_ok(n, tok, "douche-courte", "2026-11-24")
    assert c2["week"]["goal_met"] is True
    assert c2["points"] == a["douche-courte"]["points"] + 20
    assert c2["week"]["points"] == a["gourde"]["points"] + a["douche-courte"]["points"] + 20
    c3 = checkin_ok(n, tok, "repas-vegetarien", TODAY)
    assert c3["week"]["goal_met"] is True
    assert c3["points"] == a["repas-vegetarien"]["points"]  # the bonus comes once
    total = sum(a[i]["points"] for i in ("gourde", "douche-courte", "repas-vegetarien")) + 20
    prog = progress(n, tok)
    assert prog["points"] == total
    assert prog["week"] == {"week": THIS_WEEK, "checkins": 3, "points": total,
                            "co2e_avoided_g": sum(a[i]["co2e_g"] for i in (
                                "gourde", "douche-courte", "repas-vegetarien")),
                            "waste_avoided_g": a["gourde"]["waste_g"],
                            "goal": 2, "goal_met": True}
    # The previous week has its own goal and bonus.
    c = checkin_ok(n, tok, "gourde", "2026-11-20")
    assert c["week"]["week"] == "2026-W47" and c["week"]["goal_met"] is False
    c = checkin_ok(n, tok, "gourde", "2026-11-21")
    assert c["week"]["goal_met"] is True and c["points"] == a["gourde"]["points"] + 20


@pytest.mark.parametrize("goal", [0, 22, -1, "3", 2.5, None])
def test_weekly_goal_bounds(snode, goal):
    n = snode
    tok = n.register("Borne")["token"]
    before = challenge_state(n, tok)
    r = n.request("PATCH", "/api/v1/me", body={"weekly_goal": goal}, token=tok)
    code = "invalid_field" if isinstance(goal, int) else "wrong_type"
    assert_error(r, 422, code)
    assert challenge_state(n, tok) == before
    assert before["me"]["weekly_goal"] == 3
    for ok in (1, 21):
        assert patch_me(n, tok, weekly_goal=ok)["weekly_goal"] == ok


# -- progress -------------------------------------------------------------------------------

def test_progress_matches_the_checkins(snode):
    n = snode
    tok = n.register("Comptable")["token"]
    a = actions_by_id(n)
    empty = progress(n, tok)
    assert set(empty) == {"season", "points", "co2e_avoided_g", "waste_avoided_g", "checkins",
                          "level", "streak", "badges", "week", "categories"}
    assert empty["season"] == SEASON_ID
    assert (empty["points"], empty["co2e_avoided_g"], empty["waste_avoided_g"],
            empty["checkins"]) == (0, 0, 0, 0)
    assert empty["badges"] == [] and empty["streak"] == {"current": 0, "best": 0}
    assert empty["categories"] == {c: 0 for c in CATEGORIES}
    assert empty["week"]["week"] == THIS_WEEK and empty["week"]["checkins"] == 0

    plan = [("velo-domicile-travail", "2026-11-19"), ("gourde", "2026-11-20"),
            ("repas-vegetarien", "2026-11-23"), ("compost", "2026-11-24"),
            ("moins-ecrans", TODAY), ("douche-courte", TODAY), ("gourde", TODAY)]
    replies = [checkin_ok(n, tok, i, d) for i, d in plan]
    prog = progress(n, tok)
    rows = listed(n, tok)
    assert len(rows) == len(plan) == prog["checkins"]
    assert prog["points"] == sum(r["points"] for r in rows) == sum(c["points"] for c in replies)
    assert prog["co2e_avoided_g"] == sum(r["co2e_avoided_g"] for r in rows)
    assert prog["waste_avoided_g"] == sum(r["waste_avoided_g"] for r in rows)
    cats = {c: 0 for c in CATEGORIES}
    for i, _ in plan:
        cats[a[i]["category"]] += 1
    assert prog["categories"] == cats
    assert replies[-1]["totals"] == {"points": prog["points"],
                                     "co2e_avoided_g": prog["co2e_avoided_g"],
                                     "waste_avoided_g": prog["waste_avoided_g"],
                                     "checkins": prog["checkins"]}
    # This week: the last five.
    this_week = [r for r in rows if r["date"] >= "2026-11-23"]
    assert prog["week"]["checkins"] == 5
    assert prog["week"]["points"] == sum(r["points"] for r in this_week)
    # The export carries the same progress and history.
    exp = get_json(n, "/api/v1/me/export", token=tok)
    assert exp["progress"] == prog
    assert exp["checkins"]["checkins"] == rows


def test_streak_over_consecutive_weeks(snode):
    n = snode
    tok = n.register("Assidu")["token"]
    # Only last week: the streak is not lost while this week has no check-in yet.
    c = checkin_ok(n, tok, "gourde", "2026-11-20")
    assert c["streak"] == {"current": 1, "best": 1}
    assert progress(n, tok)["streak"] == {"current": 1, "best": 1}
    c = checkin_ok(n, tok, "gourde", "2026-11-23")
    assert c["streak"] == {"current": 2, "best": 2}
    assert progress(n, tok)["streak"] == {"current": 2, "best": 2}
    # A second check-in the same week changes nothing.
    checkin_ok(n, tok, "gourde", TODAY)
    assert progress(n, tok)["streak"] == {"current": 2, "best": 2}


def test_streak_restarts_after_a_gap(make_season_node):
    n = make_season_node()
    tok = n.register("Intermittent")["token"]
    checkin_ok(n, tok, "gourde", "2026-11-20")
    # Two weeks later, W48 is empty and W50 starts a new run.
    n.stop()
    start_in_season(n, "2026-12-09 11:00:00")
    assert progress(n, tok)["streak"] == {"current": 0, "best": 1}
    c = checkin_ok(n, tok, "gourde", "2026-12-09")
    assert c["streak"] == {"current": 1, "best": 1}
    c = checkin_ok(n, tok, "gourde", "2026-12-06")  # Sunday of W49 fills the gap to W50
    assert c["streak"] == {"current": 2, "best": 2}


def test_badges_premier_pas_and_touche_a_tout(snode):
    n = snode
    tok = n.register("Badgeur")["token"]
    a = actions_by_id(n)
    one_per_category = ["velo-domicile-travail", "repas-vegetarien", "douche-courte",
                        "moins-ecrans", "gourde"]
    assert [a[i]["category"] for i in one_per_category] == list(CATEGORIES)
    replies = [checkin_ok(n, tok, i) for i in one_per_category]
    assert replies[0]["new_badges"] == ["premier-pas"]
    assert [r["new_badges"] for r in replies[1:4]] == [[], [], []]
    assert replies[4]["new_badges"] == ["touche-a-tout"]
    badges = {b["id"]: b for b in progress(n, tok)["badges"]}
    assert set(badges) == {"premier-pas", "touche-a-tout"}
    for b in badges.values():
        assert set(b) == {"id", "earned_at"}
        assert RFC3339.match(b["earned_at"]) and b["earned_at"].startswith(TODAY), b
    assert badges["premier-pas"]["earned_at"] <= badges["touche-a-tout"]["earned_at"]
    # Badges are not awarded twice.
    assert checkin_ok(n, tok, "transports-en-commun")["new_badges"] == []


def test_four_week_streak_and_goals(make_season_node):
    """Four active weeks in a row (W45..W48) with the goal met each week earn
    serie-4 and objectif-4. The clock is moved between check-ins."""
    n = make_season_node(when="2026-11-11 11:00:00")  # Wednesday of W46
    tok = n.register("Marathon")["token"]
    patch_me(n, tok, weekly_goal=1)
    c = checkin_ok(n, tok, "gourde", "2026-11-04")  # W45
    assert c["week"]["goal_met"] is True and c["streak"] == {"current": 1, "best": 1}
    c = checkin_ok(n, tok, "gourde", "2026-11-11")  # W46
    assert c["streak"] == {"current": 2, "best": 2}
    n.stop()
    start_in_season(n)  # Wednesday 25, W48
    assert progress(n, tok)["streak"] == {"current": 0, "best": 2}
    c = checkin_ok(n, tok, "gourde", "2026-11-18")  # W47
    assert c["streak"] == {"current": 3, "best": 3}
    assert "serie-4" not in c["new_badges"]
    c = checkin_ok(n, tok, "gourde", TODAY)  # W48
    assert c["streak"] == {"current": 4, "best": 4}
    assert set(c["new_badges"]) == {"serie-4", "objectif-4"}
    badges = {b["id"] for b in progress(n, tok)["badges"]}
    assert {"premier-pas", "serie-4", "objectif-4"} <= badges


def test_badges_dix_gestes_and_zero_dechet(snode):
    n = snode
    create_action(n, "cinq-kilos", category="dechets", waste_g=5000, co2e_g=0, points=1)
    tok = n.register("Collectionneur")["token"]
    patch_me(n, tok, weekly_goal=21)
    c = checkin_ok(n, tok, "cinq-kilos", "2026-11-20")  # W47: 5 kg
    assert c["waste_avoided_g"] == 5000 and "zero-dechet-10" not in c["new_badges"]
    c = checkin_ok(n, tok, "cinq-kilos", "2026-11-23")  # W48: 10 kg in all
    assert "zero-dechet-10" in c["new_badges"]
    plan = [(a, TODAY) for a in ("velo-domicile-travail", "transports-en-commun",
                                 "covoiturage", "repas-vegetarien", "douche-courte",
                                 "gourde", "the-plutot-que-cafe", "repas-vegetalien")]
    assert len(plan) == 8
    news = [checkin_ok(n, tok, a, d)["new_badges"] for a, d in plan]
    assert "dix-gestes" not in sum(news[:-1], [])
    assert "dix-gestes" in news[-1]  # the 10th check-in
    assert {b["id"] for b in progress(n, tok)["badges"]} >= {"premier-pas", "dix-gestes",
                                                             "zero-dechet-10"}


# -- the history -----------------------------------------------------------------------------

def test_checkin_history_newest_first_and_by_week(snode):
    n = snode
    tok = n.register("Historien")["token"]
    plan = [("gourde", "2026-11-19"), ("gourde", "2026-11-22"), ("gourde", "2026-11-23"),
            ("douche-courte", "2026-11-20"), ("douche-courte", TODAY),
            ("moins-ecrans", "2026-11-24")]
    for i, d in plan:
        checkin_ok(n, tok, i, d)
    rows = listed(n, tok)
    assert len(rows) == len(plan)
    for r in rows:
        assert set(r) == LISTED_FIELDS, r
        assert RFC3339.match(r["at"])
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates, reverse=True), dates
    assert [(r["action"], r["date"]) for r in rows][0] == ("douche-courte", TODAY)
    w47 = listed(n, tok, "2026-W47")
    assert sorted((r["action"], r["date"]) for r in w47) == [
        ("douche-courte", "2026-11-20"), ("gourde", "2026-11-19"), ("gourde", "2026-11-22")]
    assert [r["date"] for r in w47] == ["2026-11-22", "2026-11-20", "2026-11-19"]
    w48 = listed(n, tok, THIS_WEEK)
    assert [r["date"] for r in w48] == [TODAY, "2026-11-24", "2026-11-23"]
    assert listed(n, tok, "2026-W40") == []
    for bad in ("2026-W54", "2026-48", "W48", "2026-W4", "x"):
        assert_error(n.get(f"/api/v1/me/checkins?week={bad}", token=tok), 422, "invalid_field")
    # Another participant sees only their own.
    assert listed(n, n.register("Voisin")["token"]) == []


def test_history_without_week_is_the_last_100(snode):
    n = snode
    tok = n.register("Prolixe")["token"]
    a = actions_by_id(n)
    daily = sorted(i for i, x in a.items() if x["frequency"] == "daily")
    weekly = sorted(i for i, x in a.items() if x["frequency"] == "weekly")
    plan = [(i, day(-d)) for d in range(8) for i in daily]
    plan += [(i, d) for d in ("2026-11-20", TODAY) for i in weekly]
    plan = plan[:101]
    assert len(plan) == 101
    for i, d in plan:
        checkin_ok(n, tok, i, d)
    rows = listed(n, tok)
    assert len(rows) == 100
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates, reverse=True)
    assert min(dates) == "2026-11-18"
    assert progress(n, tok)["checkins"] == 101
    # The export is not limited.
    exp = get_json(n, "/api/v1/me/export", token=tok)
    assert len(exp["checkins"]["checkins"]) == 101


# -- durability -----------------------------------------------------------------------------

def _board_totals(n):
    b = get_json(n, "/api/v1/leaderboard?board=points&scope=individual&limit=100")
    return {e["name"]: e["score"] for e in b["entries"]}


def test_checkins_survive_a_restart(make_season_node):
    n = make_season_node()
    people = [n.register(f"Durable{i}", neighbourhood="Les Arches") for i in range(3)]
    for i, p in enumerate(people):
        for act in DAILY_BIG[:i + 1]:
            checkin_ok(n, p["token"], act)
    before = [challenge_state(n, p["token"]) for p in people]
    board = _board_totals(n)
    n.stop()
    start_in_season(n)
    after = [challenge_state(n, p["token"]) for p in people]
    for b, a in zip(before, after):
        for key in ("progress", "checkins", "me", "commitments"):
            assert a[key] == b[key], key
    assert _board_totals(n) == board
    hood = get_json(n, "/api/v1/leaderboard?board=points&scope=neighbourhood")
    assert hood["entries"][0]["score"] == sum(board.values()) // 3


def test_acknowledged_checkins_survive_kill_9(make_season_node):
    n = make_season_node()
    people = [n.register(f"Robuste{i}") for i in range(5)]
    acked = {}
    for p in people:
        for act in ("gourde", "douche-courte", "repas-vegetarien", "moins-ecrans"):
            c = checkin_ok(n, p["token"], act)
            acked.setdefault(p["id"], []).append((c["action"], c["date"], c["points"]))
    n.kill9()
    start_in_season(n)
    for p in people:
        rows = listed(n, p["token"])
        got = sorted((r["action"], r["date"], r["points"]) for r in rows)
        assert got == sorted(acked[p["id"]]), p["nickname"]
        prog = progress(n, p["token"])
        assert prog["checkins"] == 4
        assert prog["points"] == sum(x[2] for x in acked[p["id"]])
    board = _board_totals(n)
    for p in people:
        assert board[p["nickname"]] == sum(x[2] for x in acked[p["id"]])


def test_concurrent_checkins_are_all_counted(snode):
    n = snode
    a = actions_by_id(n)
    daily = [i for i, x in a.items() if x["frequency"] == "daily"][:5]
    assert len(daily) == 5
    people = [n.register(f"Foule{i:02d}", neighbourhood="La Ferme") for i in range(40)]
    jobs = [(p, act) for p in people for act in daily]  # 200 check-ins

    def one(job):
        p, act = job
        r = checkin(n, p["token"], act)
        return p["id"], act, r.status, (r.json if r.status == 201 else r.body)

    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as ex:
        results = list(ex.map(one, jobs))
    bad = [r for r in results if r[2] != 201]
    assert not bad, bad[:5]
    per_person = sum(a[i]["points"] for i in daily) + 20  # 5 check-ins meet the goal (3)
    for p in people:
        prog = progress(n, p["token"])
        assert prog["checkins"] == 5, p["nickname"]
        assert prog["points"] == per_person
    board = get_json(n, "/api/v1/leaderboard?board=points&scope=individual&limit=100")
    assert board["count"] == 40
    assert sum(e["score"] for e in board["entries"]) == 40 * per_person
    assert {e["score"] for e in board["entries"]} == {per_person}
    assert {e["rank"] for e in board["entries"]} == {1}
    hood = get_json(n, "/api/v1/leaderboard?board=points&scope=neighbourhood")
    assert hood["entries"] == [{"rank": 1, "name": "La Ferme", "score": per_person,
                                "members": 40}]


def test_concurrent_duplicates_give_one_checkin(snode):
    n = snode
    tok = n.register("Impatient")["token"]

    def one(_):
        return checkin(n, tok, "covoiturage", day(-1))

    with concurrent.futures.ThreadPoolExecutor(max_workers=10) as ex:
        results = list(ex.map(one, range(20)))
    statuses = sorted(r.status for r in results)
    assert statuses == [201] + [409] * 19, statuses
    created = next(r.json for r in results if r.status == 201)
    for r in results:
        if r.status == 409:
            assert r.json["error"]["code"] == "already_checked_in"
            assert r.json["checkin"]["at"] == created["at"]
    prog = progress(n, tok)
    assert prog["checkins"] == 1 and prog["points"] == created["points"]


def test_concurrent_checkins_respect_the_weekly_caps(snode):
    n = snode
    tok = n.register("Simultane")["token"]
    patch_me(n, tok, weekly_goal=21)
    a = actions_by_id(n)
    daily = [i for i, x in a.items() if x["frequency"] == "daily"]
    jobs = [(i, d) for d in ("2026-11-23", "2026-11-24", TODAY) for i in daily]
    full = sum(a[i]["co2e_g"] for i, _ in jobs)
    assert full > 10000

    with concurrent.futures.ThreadPoolExecutor(max_workers=12) as ex:
        results = list(ex.map(lambda j: checkin(n, tok, *j), jobs))
    assert all(r.status == 201 for r in results), [r for r in results if r.status != 201][:3]
    bodies = [r.json for r in results]
    assert sum(b["co2e_avoided_g"] for b in bodies) == 10000
    # 27 check-ins: the goal (21, the most one may set) is met once: + 20.
    assert sum(b["points"] for b in bodies) == sum(a[i]["points"] for i, _ in jobs) + 20
    assert sum(1 for b in bodies if b["points"] > a[b["action"]]["points"]) == 1
    assert any(b["capped"] for b in bodies)
    for b in bodies:
        if not b["capped"]:
            assert b["co2e_avoided_g"] == a[b["action"]]["co2e_g"], b
    prog = progress(n, tok)
    assert prog["week"]["co2e_avoided_g"] == prog["co2e_avoided_g"] == 10000
    assert prog["checkins"] == len(jobs)
    rows = listed(n, tok, THIS_WEEK)
    assert sum(r["co2e_avoided_g"] for r in rows) == 10000
