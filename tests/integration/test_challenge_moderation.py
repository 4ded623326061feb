"""Staff moderation of the challenge and rules that guard its integrity: team
rename/delete/search by moderators, an action's frequency frozen after creation,
the waste summary about the current season, --check-config and the time zone."""

import json

from conftest import (action_body, assert_error, checkin_ok, create_action, get_json,
                      run_cli, start_in_season, team_entries)


def create_team(n, tok, name, kind="household"):
    r = n.post("/api/v1/teams", {"name": name, "kind": kind}, token=tok)
    assert r.status == 201, r
    return r.json


def test_moderator_renames_an_offensive_team(snode):
    n = snode
    cap = n.register("Capitaine")
    t = create_team(n, cap["token"], "Les Mauvais")
    mod = n.staff_token("modo", "moderator")
    r = n.request("PATCH", f"/api/v1/admin/teams/{t['id']}", {"name": "Les Renommés"},
                  token=mod)
    assert r.status == 200, r
    assert r.json["name"] == "Les Renommés" and "invite_code" not in r.json
    assert get_json(n, f"/api/v1/teams/{t['id']}")["name"] == "Les Renommés"
    board = get_json(n, "/api/v1/leaderboard?scope=team&limit=100")
    assert [e["name"] for e in team_entries(board["entries"])] == ["Les Renommés"]
    # The old name is free again, the new one taken (for that kind).
    other = n.register("Autre")
    create_team(n, other["token"], "Les Mauvais")
    assert_error(n.request("PATCH", f"/api/v1/admin/teams/{t['id']}",
                           {"name": "les mauvais"}, token=mod), 409, "name_taken")
    # Deny-listed and malformed names are refused; a participant cannot rename.
    assert_error(n.request("PATCH", f"/api/v1/admin/teams/{t['id']}", {"name": "Les Connards"},
                           token=mod), 422, "invalid_field")
    assert_error(n.request("PATCH", f"/api/v1/admin/teams/{t['id']}", {"name": "x"},
                           token=mod), 422, "invalid_field")
    assert_error(n.request("PATCH", f"/api/v1/admin/teams/{t['id']}", {"name": "Pirate"},
                           token=cap["token"]), 401, "invalid_token")
    assert_error(n.request("PATCH", "/api/v1/admin/teams/0000000000000000", {"name": "Vide"},
                           token=mod), 404, "not_found")
    assert get_json(n, f"/api/v1/teams/{t['id']}")["name"] == "Les Renommés"
    assert any(e["action"] == "team_rename" for e in n.audit())


def test_moderator_deletes_a_team(snode):
    n = snode
    a, b = n.register("Aline"), n.register("Bruno")
    t = create_team(n, a["token"], "À Supprimer", "association")
    r = n.post("/api/v1/teams/join", {"invite_code": t["invite_code"]}, token=b["token"])
    assert r.status == 200, r
    checkin_ok(n, a["token"], "repas-vegetarien")
    mod = n.staff_token("modo", "moderator")
    anim = n.staff_token("anim", "animator")
    assert_error(n.request("DELETE", f"/api/v1/admin/teams/{t['id']}", token=anim), 403,
                 "forbidden")
    assert n.request("DELETE", f"/api/v1/admin/teams/{t['id']}", token=mod).status == 204
    assert_error(n.get(f"/api/v1/teams/{t['id']}"), 404, "not_found")
    assert get_json(n, "/api/v1/me/teams", token=a["token"])["teams"] == []
    assert get_json(n, "/api/v1/me/teams", token=b["token"])["teams"] == []
    assert get_json(n, "/api/v1/leaderboard?scope=team")["entries"] == []
    # The members keep their own scores; the invite code no longer works.
    assert get_json(n, "/api/v1/me/progress", token=a["token"])["points"] > 0
    assert_error(n.post("/api/v1/teams/join", {"invite_code": t["invite_code"]},
                        token=b["token"]), 404, "unknown_invite")
    # Bruno may create an association of that name now.
    create_team(n, b["token"], "À Supprimer", "association")
    assert any(e["action"] == "team_delete" for e in n.audit())


def test_staff_search_teams(snode):
    n = snode
    p, q = n.register("Premier"), n.register("Second")
    create_team(n, p["token"], "Écolos du Fort", "household")
    create_team(n, q["token"], "Ecole Verte", "association")
    create_team(n, q["token"], "Jardiniers", "household")
    mod = n.staff_token("modo", "moderator")
    found = get_json(n, "/api/v1/admin/teams?q=eco", token=mod)["teams"]
    assert sorted(t["name"] for t in found) == ["Ecole Verte", "Écolos du Fort"]
    assert all("invite_code" not in t for t in found)
    assert len(get_json(n, "/api/v1/admin/teams", token=mod)["teams"]) == 3
    assert len(get_json(n, "/api/v1/admin/teams?limit=1", token=mod)["teams"]) == 1
    assert_error(n.get("/api/v1/admin/teams?limit=0", token=mod), 422, "invalid_field")
    assert_error(n.get("/api/v1/admin/teams", token=p["token"]), 401, "invalid_token")


def test_action_frequency_cannot_change(snode):
    n = snode
    create_action(n, "essai-frequence", frequency="daily")
    admin = n.admin_token()
    r = n.request("PATCH", "/api/v1/admin/actions/essai-frequence", {"frequency": "weekly"},
                  token=admin)
    assert_error(r, 422, "invalid_field")
    assert "frequency" in r.json["error"]["message"]
    acts = {a["id"]: a for a in get_json(n, "/api/v1/actions")["actions"]}
    assert acts["essai-frequence"]["frequency"] == "daily"
    # Same frequency, or other fields: fine.
    r = n.request("PATCH", "/api/v1/admin/actions/essai-frequence",
                  {"frequency": "daily", "points": 7}, token=admin)
    assert r.status == 200, r


def test_waste_summary_is_about_the_current_season(make_season_node):
    # Weeks logged during an earlier season stay in the log (and in the export)
    # but neither make the baseline nor count in this season's summary.
    n = make_season_node()
    admin = n.admin_token()
    r = n.post("/api/v1/admin/seasons", {"id": "2025-2026", "name": "Saison passée",
                                         "starts_on": "2025-09-01", "ends_on": "2026-06-30"},
               token=admin)
    assert r.status == 201, r
    tok = n.register("Peseuse")["token"]
    n.stop()
    start_in_season(n, "2026-03-12 11:00:00")
    for week in ("2026-W08", "2026-W09", "2026-W10"):
        r = n.post("/api/v1/me/waste", {"week": week, "residual_g": 3000}, token=tok)
        assert r.status == 201, r
    n.stop()
    start_in_season(n)
    for week, grams in (("2026-W40", 9000), ("2026-W41", 9000), ("2026-W42", 9000),
                        ("2026-W43", 6000)):
        r = n.post("/api/v1/me/waste", {"week": week, "residual_g": grams}, token=tok)
        assert r.status == 201, r
    doc = get_json(n, "/api/v1/me/waste", token=tok)
    assert doc["baseline"]["weeks"] == ["2026-W40", "2026-W41", "2026-W42"]
    assert doc["change_pct"] == -33
    # The earlier weeks are still the participant's data.
    assert "2026-W08" in json.dumps(get_json(n, "/api/v1/me/export", token=tok))


def test_team_search_refuses_what_cannot_match(snode):
    n = snode
    p = n.register("Chercheur")
    create_team(n, p["token"], "Les Pins")
    mod = n.staff_token("modo", "moderator")
    # Punctuation folds to nothing: refused rather than answered with every team.
    assert_error(n.get("/api/v1/admin/teams?q=%21%21%21", token=mod), 422, "invalid_field")
    # Longer than any name, or badly encoded: refused too (not silently ignored).
    assert_error(n.get("/api/v1/admin/teams?q=" + "a" * 300, token=mod), 422,
                 "invalid_field")
    # A query string over the node's 510 bytes is refused as a whole.
    assert_error(n.get("/api/v1/admin/teams?limit=5&q=" + "a" * 600, token=mod), 414,
                 "uri_too_long")
    # lws refuses a broken percent-escape itself (403, before the node sees it).
    assert n.get("/api/v1/admin/teams?q=%ZZ", token=mod).status == 403
    assert_error(n.get("/api/v1/admin/teams?limit=99999999999999999999999999", token=mod),
                 422, "invalid_field")
    assert_error(n.get("/api/v1/admin/participants?q=" + "b" * 300, token=n.admin_token()),
                 422, "invalid_field")
    for q in ("les", "les+pins", "les%20pins", "LES%20P&limit=3"):
        found = get_json(n, "/api/v1/admin/teams?q=" + q, token=mod)["teams"]
        assert [t["name"] for t in found] == ["Les Pins"], q
    assert get_json(n, "/api/v1/admin/teams?q=zzz", token=mod)["teams"] == []


def test_blank_texts_are_refused(snode):
    n = snode
    admin = n.admin_token()
    before = get_json(n, "/api/v1/actions")
    for title in ("   ", "\u00a0\u202f", "Titre\nsur deux lignes"):
        r = n.post("/api/v1/admin/actions", action_body("texte-vide", title_fr=title),
                   token=admin)
        assert_error(r, 422, "invalid_field")
    create_action(n, "texte-ok")
    r = n.request("PATCH", "/api/v1/admin/actions/texte-ok", {"source": " "}, token=admin)
    assert_error(r, 422, "invalid_field")
    # why/how may span lines.
    r = n.request("PATCH", "/api/v1/admin/actions/texte-ok",
                  {"why_fr": "Parce que.\nEt aussi."}, token=admin)
    assert r.status == 200, r
    ref = {"label_fr": " ", "label_en": "Label", "kg_per_person_year": 300,
           "stream": "all", "year": 2021, "source": "Source"}
    assert_error(n.request("PUT", "/api/v1/admin/waste/references/vide", ref, token=admin),
                 422, "invalid_field")
    ids = {a["id"] for a in get_json(n, "/api/v1/actions")["actions"]}
    assert "texte-vide" not in ids and ids == {a["id"] for a in before["actions"]} | {"texte-ok"}


def test_changes_that_change_nothing_are_not_audited(snode):
    n = snode
    admin = n.admin_token()
    create_action(n, "sans-effet")
    p = n.register("Immobile")
    t = create_team(n, p["token"], "Les Mêmes")
    mod = n.staff_token("modo", "moderator")

    def count(action):
        return sum(1 for e in n.audit() if e["action"] == action)

    base = {a: count(a) for a in ("action_edit", "action_retire", "team_rename")}
    assert n.request("PATCH", "/api/v1/admin/actions/sans-effet", {}, token=admin).status == 200
    acts = {a["id"]: a for a in get_json(n, "/api/v1/admin/actions", token=admin)["actions"]}
    r = n.request("PATCH", "/api/v1/admin/actions/sans-effet",
                  {"points": acts["sans-effet"]["points"]}, token=admin)
    assert r.status == 200, r
    assert count("action_edit") == base["action_edit"]
    r = n.request("PATCH", "/api/v1/admin/actions/sans-effet", {"points": 9}, token=admin)
    assert r.status == 200 and count("action_edit") == base["action_edit"] + 1
    assert n.request("DELETE", "/api/v1/admin/actions/sans-effet", token=admin).status == 204
    assert n.request("DELETE", "/api/v1/admin/actions/sans-effet", token=admin).status == 204
    assert count("action_retire") == base["action_retire"] + 1
    r = n.request("PATCH", f"/api/v1/admin/teams/{t['id']}", {"name": "Les Mêmes"}, token=mod)
    assert r.status == 200 and r.json["name"] == "Les Mêmes"
    assert count("team_rename") == base["team_rename"]
    r = n.request("PATCH", f"/api/v1/admin/teams/{t['id']}", {"name": "Les Autres"}, token=mod)
    assert r.status == 200 and count("team_rename") == base["team_rename"] + 1


def test_check_config_refuses_an_unknown_time_zone(tmp_path):
    conf = tmp_path / "tz.conf"
    conf.write_text("timezone = Mars/Olympus_Mons\n")
    p = run_cli("--check-config", "--config", conf)
    assert p.returncode == 1, p
    assert "time zone" in p.stderr and "Mars/Olympus_Mons" in p.stderr
    conf.write_text("timezone = Europe/Paris\n")
    assert run_cli("--check-config", "--config", conf).returncode == 0
    conf.write_text("timezone = ../../etc/passwd\n")
    assert run_cli("--check-config", "--config", conf).returncode == 2
