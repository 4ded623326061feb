"""Footprint snapshots (computed on the device, only the result is sent) and
the export of everything the node holds about a participant (issue #3)."""

import json

import pytest

from conftest import (RFC3339, TODAY, assert_error, challenge_state, checkin_ok, get_json,
                      patch_me)

CATS = ("transport", "alimentation", "logement", "divers", "services_societaux")


def snapshot_body(total=9_000_000, version="4.10.2", cats=None, **over):
    if cats is None:
        share = [0.3, 0.25, 0.2, 0.15, 0.1]
        cats = {c: int(total * s) for c, s in zip(CATS, share)}
        cats["services_societaux"] += total - sum(cats.values())
    body = {"model_version": version, "total_g": total, "categories": cats}
    body.update(over)
    return body


def test_footprint_snapshot_and_history(any_snode):
    n = any_snode
    tok = n.register("Empreinte")["token"]
    assert get_json(n, "/api/v1/me/footprint", token=tok) == {"latest": None, "history": []}
    bodies = [snapshot_body(9_000_000), snapshot_body(8_500_000, version="4.10.3-beta+1"),
              snapshot_body(7_250_000)]
    stored = []
    for b in bodies:
        r = n.post("/api/v1/me/footprint", b, token=tok)
        assert r.status == 201, r
        s = r.json
        assert set(s) == {"id", "at", "model_version", "total_g", "categories"}, s
        assert RFC3339.match(s["at"]) and s["at"].startswith(TODAY)
        assert s["model_version"] == b["model_version"]
        assert s["total_g"] == b["total_g"] and s["categories"] == b["categories"]
        stored.append(s)
    doc = get_json(n, "/api/v1/me/footprint", token=tok)
    assert set(doc) == {"latest", "history"}
    assert doc["history"] == stored  # oldest first
    assert doc["latest"] == stored[-1]
    # A saved footprint earns its badge.
    badges = [b["id"] for b in get_json(n, "/api/v1/me/progress", token=tok)["badges"]]
    assert "empreinte" in badges
    # Snapshots are the participant's own.
    other = n.register("Voisine")["token"]
    assert get_json(n, "/api/v1/me/footprint", token=other) == {"latest": None, "history": []}


def test_footprint_rounding_slack(snode):
    n = snode
    tok = n.register("Arrondi")["token"]
    for delta in (5, -5, 0):
        b = snapshot_body(1_000_000)
        b["categories"]["transport"] += delta
        r = n.post("/api/v1/me/footprint", b, token=tok)
        assert r.status == 201, (delta, r)
    assert len(get_json(n, "/api/v1/me/footprint", token=tok)["history"]) == 3


def _cats(**over):
    c = {"transport": 300_000, "alimentation": 250_000, "logement": 200_000, "divers": 150_000,
         "services_societaux": 100_000}
    c.update(over)
    return c


BAD = [
    ("sum-over", snapshot_body(1_000_000, cats=_cats(transport=300_006)), 422, "invalid_field"),
    ("sum-under", snapshot_body(1_000_000, cats=_cats(logement=199_994)), 422, "invalid_field"),
    ("total-too-small", snapshot_body(99_999, cats=_cats(transport=0, alimentation=0,
                                                         logement=0, divers=0,
                                                         services_societaux=99_999)),
     422, "invalid_field"),
    ("total-too-big", snapshot_body(100_000_001, cats=_cats(
        transport=40_000_000, alimentation=30_000_000, logement=20_000_000,
        divers=10_000_000, services_societaux=1)), 422, "invalid_field"),
    ("total-zero", snapshot_body(0, cats=_cats(transport=0, alimentation=0, logement=0,
                                               divers=0, services_societaux=0)),
     422, "invalid_field"),
    ("total-negative", snapshot_body(-1_000_000), 422, "invalid_field"),
    ("total-float", dict(snapshot_body(1_000_000), total_g=1_000_000.5), 422, "wrong_type"),
    ("total-string", dict(snapshot_body(1_000_000), total_g="1000000"), 422, "wrong_type"),
    ("category-missing", snapshot_body(1_000_000, cats={k: v for k, v in _cats().items()
                                                        if k != "divers"}),
     422, "missing_field"),
    ("category-unknown", snapshot_body(1_000_000, cats=dict(_cats(), numerique=0)),
     422, "unknown_field"),
    ("category-negative", snapshot_body(1_000_000, cats=_cats(transport=-1, divers=150_001)),
     422, "invalid_field"),
    ("category-float", snapshot_body(1_000_000, cats=_cats(transport=300_000.5)),
     422, "wrong_type"),
    ("category-string", snapshot_body(1_000_000, cats=_cats(transport="300000")),
     422, "wrong_type"),
    ("category-over-max", snapshot_body(100_000_000, cats=_cats(
        transport=100_000_001, alimentation=0, logement=0, divers=0, services_societaux=0)),
     422, "invalid_field"),
    ("categories-array", dict(snapshot_body(1_000_000), categories=[1, 2, 3, 4, 5]),
     422, "wrong_type"),
    ("version-space", snapshot_body(1_000_000, version="4.10 beta"), 422, "invalid_field"),
    ("version-slash", snapshot_body(1_000_000, version="4/10"), 422, "invalid_field"),
    ("version-accent", snapshot_body(1_000_000, version="4.10-é"), 422, "invalid_field"),
    ("version-empty", snapshot_body(1_000_000, version=""), 422, "invalid_field"),
    ("version-too-long", snapshot_body(1_000_000, version="1" * 33), 422, "invalid_field"),
    ("version-number", snapshot_body(1_000_000, version=4), 422, "wrong_type"),
    ("unknown-field", dict(snapshot_body(1_000_000), answers={}), 422, "unknown_field"),
    ("missing-total", {k: v for k, v in snapshot_body(1_000_000).items() if k != "total_g"},
     422, "missing_field"),
    ("missing-categories", {k: v for k, v in snapshot_body(1_000_000).items()
                            if k != "categories"}, 422, "missing_field"),
]


@pytest.mark.parametrize("case,body,status,code", BAD, ids=[b[0] for b in BAD])
def test_bad_footprint_changes_nothing(snode, case, body, status, code):
    n = snode
    tok = n.register("Refuse")["token"]
    assert n.post("/api/v1/me/footprint", snapshot_body(), token=tok).status == 201
    before = challenge_state(n, tok)
    assert_error(n.post("/api/v1/me/footprint", body, token=tok), status, code)
    assert challenge_state(n, tok) == before


def test_bad_footprint_json(snode):
    n = snode
    tok = n.register("Brouillon")["token"]
    before = challenge_state(n, tok)
    good = json.dumps(snapshot_body()).encode()
    assert_error(n.post("/api/v1/me/footprint", raw=good[:-1], token=tok), 400,
                 "malformed_json")
    dup = (b'{"model_version":"1","total_g":1000000,"total_g":1000000,"categories":'
           + json.dumps(_cats()).encode() + b'}')
    assert_error(n.post("/api/v1/me/footprint", raw=dup, token=tok), 400, "duplicate_field")
    dup_cat = (b'{"model_version":"1","total_g":1000000,"categories":{"transport":1,'
               b'"transport":300000,"alimentation":250000,"logement":200000,"divers":150000,'
               b'"services_societaux":100000}}')
    assert_error(n.post("/api/v1/me/footprint", raw=dup_cat, token=tok), 400,
                 "duplicate_field")
    assert_error(n.post("/api/v1/me/footprint", snapshot_body()), 401, "missing_token")
    assert challenge_state(n, tok) == before


def test_only_the_last_100_snapshots_are_kept(snode):
    n = snode
    tok = n.register("Collection")["token"]
    first = None
    for i in range(101):
        r = n.post("/api/v1/me/footprint", snapshot_body(1_000_000 + i), token=tok)
        assert r.status == 201, (i, r)
        if i == 0:
            first = r.json
    doc = get_json(n, "/api/v1/me/footprint", token=tok)
    hist = doc["history"]
    assert len(hist) == 100
    assert first not in hist
    assert [s["total_g"] for s in hist] == [1_000_000 + i for i in range(1, 101)]
    assert doc["latest"]["total_g"] == 1_000_100
    ids = [s["id"] for s in hist]
    assert ids == sorted(ids)


# -- export ------------------------------------------------------------------------------

def test_export_holds_all_the_participants_data(snode):
    n = snode
    p = n.register("Exportable", neighbourhood="Les Arches", household_size=2)
    tok = p["token"]
    patch_me(n, tok, weekly_goal=4)
    checkin_ok(n, tok, "velo-domicile-travail")
    checkin_ok(n, tok, "compost", "2026-11-23")
    assert n.post("/api/v1/me/commitments", {"action": "gourde"}, token=tok).status == 201
    assert n.post("/api/v1/me/footprint", snapshot_body(), token=tok).status == 201
    assert n.post("/api/v1/me/waste", {"week": "2026-W47", "residual_g": 4200},
                  token=tok).status == 201
    r = n.post("/api/v1/teams", {"name": "Les Exportateurs", "kind": "household"}, token=tok)
    assert r.status == 201, r

    r = n.get("/api/v1/me/export", token=tok)
    assert r.status == 200, r
    cd = r.header("content-disposition") or ""
    assert "attachment" in cd and "zcnode-export.json" in cd, r.headers
    doc = r.json
    assert doc["format"] == "zcnode-export/1"
    assert RFC3339.match(doc["exported_at"])
    assert doc["city"] == "Issy-les-Moulineaux"
    assert doc["participant"] == get_json(n, "/api/v1/me", token=tok)
    assert doc["participant"]["weekly_goal"] == 4
    assert isinstance(doc["note"], str) and doc["note"]
    # Everything else the node keeps about the participant (issue #3: export
    # of all of the participant's data), as the API shows it.
    for key in ("progress", "checkins", "commitments", "footprint", "waste", "teams"):
        assert key in doc, f"the export lacks {key}"
    assert doc["progress"] == get_json(n, "/api/v1/me/progress", token=tok)
    assert doc["checkins"] == get_json(n, "/api/v1/me/checkins", token=tok)
    assert len(doc["checkins"]["checkins"]) == 2
    assert doc["commitments"] == get_json(n, "/api/v1/me/commitments", token=tok)
    assert doc["footprint"] == get_json(n, "/api/v1/me/footprint", token=tok)
    assert doc["footprint"]["latest"]["total_g"] == 9_000_000
    assert doc["waste"] == get_json(n, "/api/v1/me/waste", token=tok)
    assert doc["waste"]["weeks"][0]["residual_g"] == 4200
    assert doc["teams"] == get_json(n, "/api/v1/me/teams", token=tok)
    assert doc["teams"]["teams"][0]["name"] == "Les Exportateurs"
    # Nothing secret is in it.
    text = r.body.decode()
    assert p["token"] not in text and p["recovery_code"] not in text
