"""The waste log (weigh-ins per stream, household and ISO week), its summary
(baseline, change, yearly projection per person) and the reference figures
(issue #3). Today is Wednesday 2026-11-25, ISO week 2026-W48."""

import pytest

from conftest import (RFC3339, THIS_WEEK, TODAY, assert_error, challenge_state, get_json,
                      patch_me)

WEEK_FIELDS = {"week", "residual_g", "recyclables_g", "glass_g", "biowaste_g", "total_g",
               "household_size", "per_person_g", "edits", "updated_at"}
REF_FIELDS = {"id", "label", "kg_per_person_year", "stream", "year", "source"}


def weigh(n, tok, week, **streams):
    return n.post("/api/v1/me/waste", {"week": week, **streams}, token=tok)


def test_weigh_in_and_edit(any_snode):
    n = any_snode
    tok = n.register("Peseuse", household_size=2)["token"]
    r = weigh(n, tok, THIS_WEEK, residual_g=3000, recyclables_g=1000)
    assert r.status == 201, r
    w = r.json
    assert set(w) == WEEK_FIELDS
    assert w["week"] == THIS_WEEK
    assert (w["residual_g"], w["recyclables_g"], w["glass_g"], w["biowaste_g"]) == \
        (3000, 1000, None, None)
    assert w["total_g"] == 4000 and w["household_size"] == 2 and w["per_person_g"] == 2000
    assert w["edits"] == 0
    assert RFC3339.match(w["updated_at"]) and w["updated_at"].startswith(TODAY)
    # The same stream again: replaced, counted as an edit; the others are kept.
    r = weigh(n, tok, THIS_WEEK, residual_g=2500)
    assert r.status == 200, r
    w = r.json
    assert (w["residual_g"], w["recyclables_g"], w["glass_g"], w["biowaste_g"]) == \
        (2500, 1000, None, None)
    assert w["edits"] == 1 and w["total_g"] == 3500 and w["per_person_g"] == 1750
    # A stream not weighed yet this week is added (200: the week exists).
    r = weigh(n, tok, THIS_WEEK, glass_g=600, biowaste_g=0)
    assert r.status == 200, r
    w = r.json
    assert (w["residual_g"], w["recyclables_g"], w["glass_g"], w["biowaste_g"]) == \
        (2500, 1000, 600, 0)
    assert w["total_g"] == 4100
    doc = get_json(n, "/api/v1/me/waste", token=tok)
    assert set(doc) == {"weeks", "baseline", "change_pct", "per_person_year_kg", "references"}
    assert doc["weeks"] == [w]
    assert doc["baseline"] is None and doc["change_pct"] is None
    # One week projected to a year: 2050 g a person a week × 52 = 106.6 kg.
    assert doc["per_person_year_kg"] == round(2050 * 52 / 1000)
    assert doc["references"] == get_json(n, "/api/v1/waste/references")["references"]
    # Limits are inclusive.
    r = weigh(n, tok, "2026-W47", residual_g=100000, recyclables_g=0)
    assert r.status == 201, r


def test_baseline_change_and_projection_per_person(snode):
    n = snode
    tok = n.register("Foyer", household_size=2)["token"]
    # W45: 4000 g for 2 people = 2000 g each.
    assert weigh(n, tok, "2026-W45", residual_g=3000, recyclables_g=1000).status == 201
    patch_me(n, tok, household_size=4)
    # W46: 4000 g for 4 = 1000 each; W47: 6000 g for 4 = 1500 each.
    assert weigh(n, tok, "2026-W46", residual_g=4000).status == 201
    doc = get_json(n, "/api/v1/me/waste", token=tok)
    assert doc["baseline"] is None  # two weeks only
    assert weigh(n, tok, "2026-W47", residual_g=5000, glass_g=1000).status == 201
    doc = get_json(n, "/api/v1/me/waste", token=tok)
    weeks = {w["week"]: w for w in doc["weeks"]}
    assert [w["week"] for w in doc["weeks"]] == ["2026-W45", "2026-W46", "2026-W47"]
    assert weeks["2026-W45"]["household_size"] == 2
    assert weeks["2026-W45"]["per_person_g"] == 2000  # the past is not rewritten
    assert weeks["2026-W46"]["household_size"] == 4 and weeks["2026-W46"]["per_person_g"] == 1000
    assert weeks["2026-W47"]["per_person_g"] == 1500
    assert doc["baseline"] == {"weeks": ["2026-W45", "2026-W46", "2026-W47"],
                               "per_person_week_g": 1500}
    assert doc["change_pct"] is None  # nothing after the baseline yet
    assert doc["per_person_year_kg"] == round((2000 + 1000 + 1500) / 3 * 52 / 1000)
    badges = [b["id"] for b in get_json(n, "/api/v1/me/progress", token=tok)["badges"]]
    assert "peseur" in badges
    # W48: 4000 g for 4 = 1000 each: 33 % less than the baseline.
    assert weigh(n, tok, THIS_WEEK, residual_g=3000, biowaste_g=1000).status == 201
    doc = get_json(n, "/api/v1/me/waste", token=tok)
    assert doc["change_pct"] == -33
    # The last 4 weeks projected: (2000 + 1000 + 1500 + 1000) / 4 × 52 = 71.5 kg.
    assert doc["per_person_year_kg"] == 72
    assert doc["baseline"]["per_person_week_g"] == 1500


def test_change_uses_the_last_three_weeks_after_the_baseline(snode):
    n = snode
    tok = n.register("Regime", household_size=1)["token"]
    grams = {"2026-W42": 3000, "2026-W43": 3000, "2026-W44": 3000, "2026-W45": 900,
             "2026-W46": 2400, "2026-W47": 2400, "2026-W48": 2400}
    # Weighed out of order: the summary follows the weeks, not the entry order.
    for week in sorted(grams, reverse=True):
        assert weigh(n, tok, week, residual_g=grams[week]).status == 201
    doc = get_json(n, "/api/v1/me/waste", token=tok)
    assert [w["week"] for w in doc["weeks"]] == sorted(grams)
    assert doc["baseline"] == {"weeks": ["2026-W42", "2026-W43", "2026-W44"],
                               "per_person_week_g": 3000}
    assert doc["change_pct"] == -20  # (2400 - 3000) / 3000; W45 is not among the last 3
    assert doc["per_person_year_kg"] == round((900 + 3 * 2400) / 4 * 52 / 1000)


def test_weeks_outside_the_allowed_range(snode):
    n = snode
    tok = n.register("Horsdelai")["token"]
    assert weigh(n, tok, "2026-W40", residual_g=1000).status == 201
    before = challenge_state(n, tok)
    # After the current week (2026-W48 in these tests): date_in_future, as check-ins.
    for week in ("2026-W49", "2026-W53", "2027-W01"):
        assert_error(weigh(n, tok, week, residual_g=1000), 422, "date_in_future")
    # Before the season (it starts on Tuesday 1 September 2026): outside_season.
    for week in ("2026-W35", "2026-W30", "2025-W48"):
        assert_error(weigh(n, tok, week, residual_g=1000), 422, "outside_season")
    assert challenge_state(n, tok) == before
    # The season starts on Tuesday 1 September: W36 shares days with it.
    assert weigh(n, tok, "2026-W36", residual_g=1000).status == 201


BAD = [
    ("negative", {"week": THIS_WEEK, "residual_g": -1}, "invalid_field"),
    ("too-heavy", {"week": THIS_WEEK, "glass_g": 100001}, "invalid_field"),
    ("float", {"week": THIS_WEEK, "residual_g": 10.5}, "wrong_type"),
    ("string", {"week": THIS_WEEK, "residual_g": "10"}, "wrong_type"),
    ("null", {"week": THIS_WEEK, "residual_g": None}, "wrong_type"),
    ("no-stream", {"week": THIS_WEEK}, "invalid_field"),
    ("no-week", {"residual_g": 1000}, "missing_field"),
    ("week-54", {"week": "2026-W54", "residual_g": 1000}, "invalid_field"),
    ("week-00", {"week": "2026-W00", "residual_g": 1000}, "invalid_field"),
    ("week-no-W", {"week": "2026-48", "residual_g": 1000}, "invalid_field"),
    ("week-date", {"week": TODAY, "residual_g": 1000}, "invalid_field"),
    ("week-2025-53", {"week": "2025-W53", "residual_g": 1000}, "invalid_field"),
    ("week-number", {"week": 202648, "residual_g": 1000}, "wrong_type"),
    ("unknown-stream", {"week": THIS_WEEK, "plastic_g": 1000}, "unknown_field"),
]


@pytest.mark.parametrize("case,body,code", BAD, ids=[b[0] for b in BAD])
def test_bad_weigh_in_changes_nothing(snode, case, body, code):
    n = snode
    tok = n.register("Balance")["token"]
    assert weigh(n, tok, THIS_WEEK, residual_g=2000).status == 201
    before = challenge_state(n, tok)
    assert_error(n.post("/api/v1/me/waste", body, token=tok), 422, code)
    assert challenge_state(n, tok) == before


def test_waste_is_the_participants_own(snode):
    n = snode
    a = n.register("Alpha")["token"]
    b = n.register("Beta")["token"]
    assert weigh(n, a, THIS_WEEK, residual_g=2000).status == 201
    assert get_json(n, "/api/v1/me/waste", token=b)["weeks"] == []
    assert_error(n.get("/api/v1/me/waste"), 401, "missing_token")


# -- reference figures ----------------------------------------------------------------------

def test_references_are_seeded_with_sources(snode):
    r = snode.get("/api/v1/waste/references")
    assert r.status == 200, r
    refs = {x["id"]: x for x in r.json["references"]}
    assert set(r.json) == {"references"}
    assert {"france-dma", "idf-dma", "france-omr-2021", "france-omr-2017"} <= set(refs)
    for x in refs.values():
        assert set(x) == REF_FIELDS, x
        assert set(x["label"]) == {"fr", "en"} and all(x["label"].values())
        assert x["stream"] in ("all", "residual")
        assert isinstance(x["kg_per_person_year"], int) and x["kg_per_person_year"] > 0
        assert 1990 <= x["year"] <= 2100
        assert isinstance(x["source"], str) and len(x["source"]) > 20
    assert (refs["france-dma"]["kg_per_person_year"], refs["france-dma"]["stream"],
            refs["france-dma"]["year"]) == (615, "all", 2021)
    assert (refs["idf-dma"]["kg_per_person_year"], refs["idf-dma"]["stream"]) == (452, "all")
    assert (refs["france-omr-2021"]["kg_per_person_year"],
            refs["france-omr-2021"]["stream"]) == (245, "residual")
    assert (refs["france-omr-2017"]["kg_per_person_year"],
            refs["france-omr-2017"]["year"]) == (254, 2017)
    assert "Insee" in refs["france-dma"]["source"]


def ref_body(**over):
    b = {"label_fr": "Issy, ordures résiduelles", "label_en": "Issy, residual waste",
         "kg_per_person_year": 230, "stream": "residual", "year": 2024,
         "source": "GPSO, rapport annuel 2024 sur le service public des déchets"}
    b.update(over)
    return b


def test_admin_puts_and_deletes_a_reference(snode):
    n = snode
    tok = n.admin_token()
    r = n.request("PUT", "/api/v1/admin/waste/references/issy-omr", body=ref_body(), token=tok)
    assert r.status == 200, r
    assert r.json == {"id": "issy-omr"}
    refs = {x["id"]: x for x in get_json(n, "/api/v1/waste/references")["references"]}
    assert refs["issy-omr"] == {"id": "issy-omr",
                                "label": {"fr": "Issy, ordures résiduelles",
                                          "en": "Issy, residual waste"},
                                "kg_per_person_year": 230, "stream": "residual", "year": 2024,
                                "source": ref_body()["source"]}
    # PUT replaces, including a seeded figure.
    r = n.request("PUT", "/api/v1/admin/waste/references/france-dma",
                  body=ref_body(label_fr="France", label_en="France", kg_per_person_year=611,
                                stream="all", year=2021, source="ADEME, collecte 2021"),
                  token=tok)
    assert r.status == 200, r
    refs = {x["id"]: x for x in get_json(n, "/api/v1/waste/references")["references"]}
    assert refs["france-dma"]["kg_per_person_year"] == 611
    # Participants see the references in their summary too.
    p = n.register("Lecteur")["token"]
    mine = get_json(n, "/api/v1/me/waste", token=p)["references"]
    assert {x["id"] for x in mine} == set(refs)
    r = n.request("DELETE", "/api/v1/admin/waste/references/issy-omr", token=tok)
    assert r.status == 204, r
    refs = {x["id"] for x in get_json(n, "/api/v1/waste/references")["references"]}
    assert "issy-omr" not in refs
    assert_error(n.request("DELETE", "/api/v1/admin/waste/references/issy-omr", token=tok),
                 404, "not_found")
    actions = [(e["action"], e["target"]) for e in n.audit()]
    assert ("reference_put", "issy-omr") in actions
    assert ("reference_delete", "issy-omr") in actions


@pytest.mark.parametrize("role", ["moderator", "animator"])
def test_references_need_the_admin_role(snode, role):
    n = snode
    tok = n.staff_token(f"{role}.ref", role)
    before = get_json(n, "/api/v1/waste/references")
    assert_error(n.request("PUT", "/api/v1/admin/waste/references/issy-omr", body=ref_body(),
                           token=tok), 403, "forbidden")
    assert_error(n.request("DELETE", "/api/v1/admin/waste/references/france-dma", token=tok),
                 403, "forbidden")
    assert get_json(n, "/api/v1/waste/references") == before


BAD_REFS = [
    ("stream", "x-ref", {"stream": "plastic"}, "invalid_field"),
    ("kg-zero", "x-ref", {"kg_per_person_year": 0}, "invalid_field"),
    ("kg-too-big", "x-ref", {"kg_per_person_year": 5001}, "invalid_field"),
    ("year-old", "x-ref", {"year": 1989}, "invalid_field"),
    ("label-long", "x-ref", {"label_en": "l" * 41}, "invalid_field"),
    ("source-empty", "x-ref", {"source": ""}, "invalid_field"),
    ("unknown", "x-ref", {"url": "https://example.org"}, "unknown_field"),
    ("id-uppercase", "X-Ref", {}, "invalid_field"),
    ("id-too-long", "r" * 33, {}, "invalid_field"),
]


@pytest.mark.parametrize("case,rid,over,code", BAD_REFS, ids=[b[0] for b in BAD_REFS])
def test_bad_reference_changes_nothing(snode, case, rid, over, code):
    n = snode
    tok = n.admin_token()
    before = get_json(n, "/api/v1/waste/references")
    r = n.request("PUT", f"/api/v1/admin/waste/references/{rid}", body=ref_body(**over),
                  token=tok)
    assert_error(r, 422, code)
    assert get_json(n, "/api/v1/waste/references") == before
