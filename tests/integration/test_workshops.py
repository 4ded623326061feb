"""Workshops (issue #4): creation and validation by staff, edits and
cancellation, the public and staff views, plans, registration with a room
waitlist, the room's check-in code, attendance and the participation dataset.

The tests share one node (workshop_node) whose clock reads 2026-11-25 11:00 UTC
(Wednesday, ISO week 2026-W48) at its start; each test makes its own workshops
and participants, so they do not depend on one another."""

import asyncio
import contextlib
import csv
import datetime
import io
import itertools
import re

import pytest

from conftest import (assert_error, get_json, parse_rfc3339, plan_items, poll, put_plan,
                      quiz, rfc3339, run_async, slide, staff_workshop, staff_workshops,
                      workshop_body, workshop_session, ws_hello, ws_join, ws_recv, ws_send)
from conftest import create_workshop as create

PUBLIC_FIELDS = {"id", "title", "description", "kind", "starts_at", "ends_at", "capacity",
                 "video_url", "status", "room_registered", "waitlisted", "online_registered",
                 "seats_left"}
NO_ONE = {"registration": None, "waitlist_position": None, "checked_in": False}
CODE = re.compile(r"^[A-Z0-9]{6}$")
ROW_FIELDS = {"participant", "nickname", "registration", "online", "online_minutes",
              "online_seconds", "physical", "mode"}
TIMES = ("online_minutes", "online_seconds")
DATASET_COLUMNS = ["week", "workshop", "title", "kind", "status", "room_registered", "waitlisted",
                   "online_registered", "attended_online", "attended_physical",
                   "attended_both", "participants", "online_minutes_mean"]

_names = itertools.count(1)


def participant(n, base="Atelier"):
    return n.register(f"{base}{next(_names)}")


def public(n, wid, tok=None):
    return get_json(n, f"/api/v1/workshops/{wid}", token=tok)


def listed(n, when=None, tok=None):
    q = "?limit=100" + (f"&when={when}" if when else "")
    return get_json(n, "/api/v1/workshops" + q, token=tok)["workshops"]


def counts(w):
    return (w["room_registered"], w["waitlisted"], w["online_registered"], w["seats_left"])


def register(n, wid, tok, mode):
    return n.post(f"/api/v1/workshops/{wid}/registration", {"mode": mode}, token=tok)


def unregister(n, wid, tok):
    return n.request("DELETE", f"/api/v1/workshops/{wid}/registration", token=tok)


def checkin(n, wid, tok, code):
    return n.post(f"/api/v1/workshops/{wid}/checkin", {"code": code}, token=tok)


def me(n, wid, tok):
    return public(n, wid, tok)["me"]


def wrong_code(code):
    return next(c for c in ("ZZZZZZ", "YYYYYY") if c != code)


def seen(n, wid, toks=()):
    """Everything a refused workshop request could change: the staff list, this
    workshop's public view and each participant's own view of it."""
    return (staff_workshops(n), public(n, wid), [public(n, wid, t) for t in toks])


def strings_and_keys(doc):
    """Every key and every string value anywhere in a JSON document."""
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield k
            yield from strings_and_keys(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from strings_and_keys(v)
    elif isinstance(doc, str):
        yield doc


def shifted(s, **delta):
    return rfc3339(parse_rfc3339(s) + datetime.timedelta(**delta))


# -- creation ---------------------------------------------------------------------------

def test_admin_and_animator_create_workshops(workshop_node):
    n = workshop_node
    body = workshop_body(n, capacity=25)
    r = n.post("/api/v1/admin/workshops", body, token=n.admin_token())
    assert r.status == 201, r
    w = r.json
    assert set(w) == PUBLIC_FIELDS | {"checkin_code", "plan"} or \
        set(w) == PUBLIC_FIELDS | {"checkin_code"}, set(w) ^ PUBLIC_FIELDS
    assert isinstance(w["id"], int) and w["id"] > 0
    for k in ("title", "description", "kind", "starts_at", "ends_at", "capacity",
              "video_url"):
        assert w[k] == body[k], k
    assert w["status"] == "scheduled"
    assert counts(w) == (0, 0, 0, 25)
    assert CODE.match(w["checkin_code"]), w["checkin_code"]

    body2 = workshop_body(n, kind="online", capacity=None, video_url=None,
                          title={"fr": "Le vélo en hiver"}, description={"fr": ""})
    r = n.post("/api/v1/admin/workshops", body2, token=n.anim)
    assert r.status == 201, r
    w2 = r.json
    assert w2["id"] != w["id"]
    assert w2["kind"] == "online" and w2["capacity"] == 0 and w2["video_url"] is None
    assert w2["title"] == {"fr": "Le vélo en hiver"}

    # The public view: the same workshop, no check-in code, no `me` without a token.
    pub = public(n, w["id"])
    assert "checkin_code" not in pub and "me" not in pub
    assert {k: pub[k] for k in PUBLIC_FIELDS} == {k: w[k] for k in PUBLIC_FIELDS}
    assert pub["plan"] == []
    st = staff_workshop(n, w["id"])
    assert st["checkin_code"] == w["checkin_code"] and st["plan"] == []
    both = {x["id"] for x in listed(n)}
    assert {w["id"], w2["id"]} <= both


def test_boundaries_are_accepted(workshop_node):
    n = workshop_node
    start = workshop_body(n)["starts_at"]
    url = "https://v.example.org/" + "a" * (300 - len("https://v.example.org/"))
    w = create(n, title={"fr": "é" * 120, "en": "e" * 120},
               description={"fr": "é" * 2000, "en": "d" * 2000},
               starts_at=start, ends_at=shifted(start, hours=12), capacity=10000,
               video_url=url)
    assert w["title"]["fr"] == "é" * 120 and len(w["description"]["fr"]) == 2000
    assert w["ends_at"] == shifted(start, hours=12) and w["capacity"] == 10000
    assert w["video_url"] == url
    w = create(n, kind="online", capacity=0)
    assert w["capacity"] == 0
    w = create(n, kind="physical", capacity=1, video_url=None)
    assert w["kind"] == "physical" and w["seats_left"] == 1


def test_create_needs_admin_or_animator(workshop_node):
    n = workshop_node
    p = participant(n)
    before = staff_workshops(n)
    path = "/api/v1/admin/workshops"
    assert_error(n.post(path, workshop_body(n), token=n.modo), 403, "forbidden")
    assert_error(n.post(path, workshop_body(n), token=p["token"]), 401, "invalid_token")
    assert_error(n.post(path, workshop_body(n)), 401, "missing_token")
    assert staff_workshops(n) == before


def _set(**kv):
    return lambda b: b.update(kv)


def _drop(key):
    return lambda b: b.pop(key)


def _ends(**delta):
    return lambda b: b.update(ends_at=shifted(b["starts_at"], **delta))


BAD_CREATE = [
    ("no-title", _drop("title"), "missing_field", "title"),
    ("no-fr-title", _set(title={"en": "Cooking"}), ("missing_field", "invalid_field"),
     "title"),
    ("empty-title", _set(title={"fr": ""}), "invalid_field", "title"),
    ("long-title", _set(title={"fr": "é" * 121}), "invalid_field", "title"),
    ("long-en-title", _set(title={"fr": "Cuisine", "en": "e" * 121}), "invalid_field",
     "title"),
    ("title-string", _set(title="Cuisine"), "wrong_type", "title"),
    ("title-other-lang", _set(title={"fr": "Cuisine", "de": "Kochen"}), "unknown_field",
     None),
    ("long-description", _set(description={"fr": "d" * 2001}), "invalid_field",
     "description"),
    ("no-kind", _drop("kind"), "missing_field", "kind"),
    ("bad-kind", _set(kind="webinar"), "invalid_field", "kind"),
    ("no-start", _drop("starts_at"), "missing_field", "starts_at"),
    ("bad-start", _set(starts_at="2026-12-03 18:00"), "invalid_field", "starts_at"),
    ("ends-before-start", _ends(minutes=-1), "invalid_field", "ends_at"),
    ("ends-at-start", _ends(minutes=0), "invalid_field", "ends_at"),
    ("over-12h", _ends(hours=12, seconds=1), "invalid_field", "ends_at"),
    ("capacity-online", _set(kind="online", capacity=10), "invalid_field", "capacity"),
    ("capacity-zero-room", _set(capacity=0), "invalid_field", "capacity"),
    ("capacity-over", _set(capacity=10001), "invalid_field", "capacity"),
    ("capacity-string", _set(capacity="30"), "wrong_type", "capacity"),
    ("video-http", _set(video_url="http://video.example.org/atelier"), "invalid_field",
     "video_url"),
    ("video-javascript", _set(video_url="javascript:alert(1)"), "invalid_field",
     "video_url"),
    ("video-long", _set(video_url="https://v.example.org/" + "a" * 279), "invalid_field",
     "video_url"),
    ("unknown-field", _set(room="Salle 2"), "unknown_field", "room"),
]


@pytest.mark.parametrize("case,change,code,field", BAD_CREATE, ids=[c[0] for c in BAD_CREATE])
def test_bad_workshop_creates_nothing(workshop_node, case, change, code, field):
    n = workshop_node
    body = workshop_body(n)
    change(body)
    before = staff_workshops(n)
    r = n.post("/api/v1/admin/workshops", body, token=n.anim)
    codes = code if isinstance(code, tuple) else (code,)
    assert r.status == 422 and r.json["error"]["code"] in codes, (case, r)
    assert_error(r, 422, r.json["error"]["code"])
    if field:
        assert field in r.json["error"]["message"], r.json
    assert staff_workshops(n) == before


# -- edits and cancellation --------------------------------------------------------------

def test_patch_fields(workshop_node):
    n = workshop_node
    w = create(n, capacity=20)
    wid = w["id"]
    start = shifted(w["starts_at"], days=1)
    change = {"title": {"fr": "Réparer son vélo", "en": "Fixing your bike"},
              "description": {"fr": "Atelier pratique."}, "starts_at": start,
              "ends_at": shifted(start, hours=2), "capacity": 12,
              "video_url": "https://video.example.org/velo"}
    r = n.request("PATCH", f"/api/v1/admin/workshops/{wid}", body=change, token=n.anim)
    assert r.status == 200, r
    for k, v in change.items():
        assert r.json[k] == v, k
    assert r.json["id"] == wid and r.json["status"] == "scheduled"
    st = staff_workshop(n, wid)
    assert st["checkin_code"] == w["checkin_code"]
    for k, v in change.items():
        assert st[k] == v and public(n, wid)[k] == v, k
    # One field at a time leaves the others as they are.
    r = n.request("PATCH", f"/api/v1/admin/workshops/{wid}", body={"capacity": 15},
                  token=n.admin_token())
    assert r.status == 200, r
    after = staff_workshop(n, wid)
    assert after == {**st, "capacity": 15, "seats_left": 15}

    before = seen(n, wid)
    path = f"/api/v1/admin/workshops/{wid}"
    for body, status, code in [
            ({"room": "Salle 2"}, 422, "unknown_field"),
            ({"ends_at": shifted(start, minutes=-5)}, 422, "invalid_field"),
            ({"ends_at": shifted(start, hours=13)}, 422, "invalid_field"),
            ({"starts_at": shifted(start, hours=3)}, 422, "invalid_field"),
            ({"capacity": 0}, 422, "invalid_field"),
            ({"title": {"fr": ""}}, 422, "invalid_field"),
            ({"video_url": "ftp://video.example.org/velo"}, 422, "invalid_field"),
            ({"status": "live"}, 422, "invalid_field"),
            ({"status": "ended"}, 422, "invalid_field"),
            ({"capacity": 20, "kind": "online"}, 422, "invalid_field")]:
        r = n.request("PATCH", path, body=body, token=n.anim)
        assert_error(r, status, code)
    assert_error(n.request("PATCH", path, body={"capacity": 3}, token=n.modo), 403,
                 "forbidden")
    p = participant(n)
    assert_error(n.request("PATCH", path, body={"capacity": 3}, token=p["token"]), 401,
                 "invalid_token")
    assert_error(n.request("PATCH", path, body={"capacity": 3}), 401, "missing_token")
    assert_error(n.request("PATCH", "/api/v1/admin/workshops/999999", body={"capacity": 3},
                           token=n.anim), 404, "not_found")
    assert seen(n, wid) == before


def test_cancel(workshop_node):
    n = workshop_node
    w = create(n, capacity=5)
    wid = w["id"]
    p, q = participant(n), participant(n)
    assert register(n, wid, p["token"], "room").status == 201
    r = n.request("PATCH", f"/api/v1/admin/workshops/{wid}", body={"status": "cancelled"},
                  token=n.anim)
    assert r.status == 200, r
    assert r.json["status"] == "cancelled"
    # Still listed among the upcoming ones, with its status.
    up = [x for x in listed(n) if x["id"] == wid]
    assert len(up) == 1 and up[0]["status"] == "cancelled"
    assert public(n, wid)["status"] == "cancelled"

    before = seen(n, wid, [p["token"], q["token"]])
    assert_error(register(n, wid, q["token"], "room"), 409, "workshop_closed")
    assert_error(register(n, wid, q["token"], "online"), 409, "workshop_closed")
    assert_error(n.request("PATCH", f"/api/v1/admin/workshops/{wid}",
                           body={"status": "scheduled"}, token=n.anim), 422, "invalid_field")
    assert seen(n, wid, [p["token"], q["token"]]) == before

    # No live channel for a cancelled workshop.
    async def go():
        async with n.ws_connect() as ws:
            await ws_hello(ws, q["token"])
            await ws_send(ws, {"type": "subscribe", "channel": f"workshop:{wid}"})
            f = await ws_recv(ws)
            assert f["type"] == "error" and f["error"]["code"] == "unknown_channel", f
    run_async(go())


def test_unknown_workshop(workshop_node):
    n = workshop_node
    p = participant(n)
    for path in ("/api/v1/workshops/999999", "/api/v1/workshops/abc", "/api/v1/workshops/0"):
        assert_error(n.get(path), 404, "not_found")
    assert_error(register(n, 999999, p["token"], "online"), 404, "not_found")
    assert_error(checkin(n, 999999, p["token"], "ABCDEF"), 404, "not_found")


# -- lists -----------------------------------------------------------------------------

def test_lists_upcoming_and_past(workshop_node):
    n = workshop_node
    later = create(n, start_in=24 * 60)["id"]
    soon = create(n, start_in=180)["id"]
    past1 = create(n, start_in=60)["id"]
    past2 = create(n, start_in=120)["id"]
    workshop_session(n, past1, "start", "end")
    workshop_session(n, past2, "start", "end")
    mine = {later, soon, past1, past2}

    def order(ws):
        return [x["id"] for x in ws if x["id"] in mine]

    up = listed(n)
    assert order(up) == [soon, later]
    assert order(listed(n, "upcoming")) == [soon, later]
    past = listed(n, "past")
    assert order(past) == [past2, past1]
    assert all(x["status"] == "ended" for x in past if x["id"] in mine)
    assert sorted(order(listed(n, "all"))) == sorted(mine)
    assert all("me" not in x and "checkin_code" not in x for x in up + past)
    # limit
    assert len(get_json(n, "/api/v1/workshops?when=all&limit=1")["workshops"]) == 1
    for q in ("limit=0", "limit=101", "limit=abc", "limit=", "when=future", "when="):
        assert_error(n.get(f"/api/v1/workshops?{q}"), 422, "invalid_field")
        assert_error(n.get(f"/api/v1/admin/workshops?{q}", token=n.modo), 422,
                     "invalid_field")
    # `me` comes with a participant token only.
    p = participant(n)
    assert register(n, soon, p["token"], "online").status == 201
    for x in listed(n, "all", p["token"]):
        assert set(x["me"]) == set(NO_ONE), x
        if x["id"] == soon:
            assert x["me"] == {**NO_ONE, "registration": "online"}
        else:
            assert x["me"] == NO_ONE, x
    # Staff of every role see the staff list.
    for tok in (n.admin_token(), n.anim, n.modo):
        got = staff_workshops(n, "all", tok)
        assert sorted(x["id"] for x in got if x["id"] in mine) == sorted(mine)
        assert all("checkin_code" in x and "plan" in x for x in got)
    assert_error(n.get("/api/v1/admin/workshops", token=p["token"]), 401, "invalid_token")
    assert_error(n.get("/api/v1/admin/workshops"), 401, "missing_token")


# -- plans -------------------------------------------------------------------------------

def good_plan():
    return [slide("Pourquoi manger de saison ?", "Moins de serres chauffées."),
            poll("Combien de fruits de saison mangez-vous ?", ["Aucun", "Un peu", "Beaucoup"]),
            quiz("Quel mois pour les fraises ?", ["Janvier", "Juin", "Novembre"], [1],
                 seconds=20, points=30)]


def test_plan_public_view_hides_answers_and_code(workshop_node):
    n = workshop_node
    w = create(n)
    wid, code = w["id"], w["checkin_code"]
    put_plan(n, wid, good_plan(), token=n.anim)
    sp = staff_workshop(n, wid)["plan"]
    assert [it["kind"] for it in sp] == ["slide", "poll", "quiz"]
    assert sp[2]["correct"] == [1] and sp[2]["seconds"] == 20 and sp[2]["points"] == 30
    assert sp[1]["multiple"] is False
    p = participant(n)
    for tok in (None, p["token"]):
        r = n.get(f"/api/v1/workshops/{wid}", token=tok)
        assert r.status == 200, r
        everything = list(strings_and_keys(r.json))
        assert "correct" not in everything and "checkin_code" not in everything
        assert code not in everything
        pp = r.json["plan"]
        assert [it["kind"] for it in pp] == ["slide", "poll", "quiz"]
        assert pp[0]["title"] == {"fr": "Pourquoi manger de saison ?"}
        assert pp[0]["body"] == {"fr": "Moins de serres chauffées."}
        assert pp[1]["question"] == {"fr": "Combien de fruits de saison mangez-vous ?"}
        assert pp[1]["options"] == [{"fr": "Aucun"}, {"fr": "Un peu"}, {"fr": "Beaucoup"}]
        assert pp[2]["question"] == {"fr": "Quel mois pour les fraises ?"}
        assert pp[2]["options"] == [{"fr": "Janvier"}, {"fr": "Juin"}, {"fr": "Novembre"}]
    for tok in (None, p["token"]):
        r = n.get("/api/v1/workshops?when=all&limit=100", token=tok)
        everything = list(strings_and_keys(r.json))
        assert "correct" not in everything and "checkin_code" not in everything
        assert code not in everything
    # A new plan replaces the old one.
    put_plan(n, wid, [slide("Seule diapositive")], token=n.admin_token())
    assert [it["kind"] for it in public(n, wid)["plan"]] == ["slide"]


def test_plan_limits_are_accepted(workshop_node):
    n = workshop_node
    wid = create(n)["id"]
    put_plan(n, wid, [slide(f"Diapo {i}") for i in range(100)])
    assert len(staff_workshop(n, wid)["plan"]) == 100
    items = [poll("Huit ?", [str(i) for i in range(8)], multiple=True),
             poll("Deux ?", ["oui", "non"]),
             quiz("Six ?", [str(i) for i in range(6)], [0, 5], seconds=5, points=1),
             quiz("Deux ?", ["a", "b"], [1], seconds=120, points=100)]
    put_plan(n, wid, items)
    sp = staff_workshop(n, wid)["plan"]
    assert [len(it["options"]) for it in sp] == [8, 2, 6, 2]
    assert sp[2]["correct"] == [0, 5] and sp[3]["seconds"] == 120 and sp[3]["points"] == 100
    assert sp[0]["multiple"] is True


def _item(i, **kv):
    def change(items):
        items[i].update(kv)
    return change


def _item_drop(i, key):
    def change(items):
        items[i].pop(key)
    return change


BAD_PLANS = [
    ("poll-1-option", _item(1, options=[{"fr": "Seule"}]), "invalid_field"),
    ("poll-9-options", _item(1, options=[{"fr": str(i)} for i in range(9)]), "invalid_field"),
    ("quiz-7-options", _item(2, options=[{"fr": str(i)} for i in range(7)]), "invalid_field"),
    ("quiz-1-option", _item(2, options=[{"fr": "a"}], correct=[0]), "invalid_field"),
    ("correct-out-of-range", _item(2, correct=[3]), "invalid_field"),
    ("correct-negative", _item(2, correct=[-1]), "invalid_field"),
    ("seconds-4", _item(2, seconds=4), "invalid_field"),
    ("seconds-121", _item(2, seconds=121), "invalid_field"),
    ("points-0", _item(2, points=0), "invalid_field"),
    ("points-101", _item(2, points=101), "invalid_field"),
    ("quiz-no-correct", _item_drop(2, "correct"), "missing_field"),
    ("slide-no-title", _item_drop(0, "title"), "missing_field"),
    ("unknown-kind", _item(0, kind="video"), "invalid_field"),
    ("unknown-item-field", _item(1, colour="vert"), "unknown_field"),
    ("multiple-string", _item(1, multiple="yes"), "wrong_type"),
    ("option-empty", _item(1, options=[{"fr": ""}, {"fr": "b"}]), "invalid_field"),
    ("101-items", lambda items: items.extend(slide(f"S{i}") for i in range(98)),
     "invalid_field"),
]


@pytest.mark.parametrize("case,change,code", BAD_PLANS, ids=[c[0] for c in BAD_PLANS])
def test_bad_plan_changes_nothing(workshop_node, case, change, code):
    n = workshop_node
    wid = create(n)["id"]
    put_plan(n, wid, good_plan())
    before = seen(n, wid)
    items = good_plan()
    change(items)
    r = n.request("PUT", f"/api/v1/admin/workshops/{wid}/plan", body={"items": items},
                  token=n.anim)
    assert_error(r, 422, code)
    assert seen(n, wid) == before


def test_plan_needs_admin_or_animator(workshop_node):
    n = workshop_node
    wid = create(n)["id"]
    before = seen(n, wid)
    path = f"/api/v1/admin/workshops/{wid}/plan"
    p = participant(n)
    body = {"items": good_plan()}
    assert_error(n.request("PUT", path, body=body, token=n.modo), 403, "forbidden")
    assert_error(n.request("PUT", path, body=body, token=p["token"]), 401, "invalid_token")
    assert_error(n.request("PUT", path, body=body), 401, "missing_token")
    for bad, code in (({}, "missing_field"), ({"items": {}}, "wrong_type"),
                      ({"items": [], "x": 1}, "unknown_field")):
        assert_error(n.request("PUT", path, body=bad, token=n.anim), 422, code)
    assert_error(n.request("PUT", "/api/v1/admin/workshops/999999/plan", body=body,
                           token=n.anim), 404, "not_found")
    assert seen(n, wid) == before


def test_items_used_live_are_frozen(workshop_node):
    n = workshop_node
    w = create(n, start_in=10)
    wid = w["id"]
    items = good_plan()
    put_plan(n, wid, items)
    no = plan_items(n, wid)

    def put(new):
        return n.request("PUT", f"/api/v1/admin/workshops/{wid}/plan",
                         body={"items": new}, token=n.anim)

    async def go():
        async with contextlib.AsyncExitStack() as stack:
            anim = await ws_join(stack, n, n.anim, wid, "anim")
            await anim.publish("start")
            await anim.publish("poll_open", item=no[1])
            loop = asyncio.get_running_loop()

            def refusals():
                before = seen(n, wid)
                changed = good_plan()
                changed[1]["options"][0] = {"fr": "Jamais"}
                assert_error(put(changed), 409, "item_in_use")
                assert_error(put([items[0], items[2]]), 409, "item_in_use")
                assert_error(put([]), 409, "item_in_use")
                assert seen(n, wid) == before
                # Unused items may still change around the used one.
                changed = good_plan()
                changed[0]["body"] = {"fr": "Texte revu."}
                changed[2]["points"] = 50
                r = put(changed)
                assert r.status == 200, r
                sp = staff_workshop(n, wid)["plan"]
                assert sp[0]["body"] == {"fr": "Texte revu."} and sp[2]["points"] == 50
            await loop.run_in_executor(None, refusals)
            await anim.publish("poll_close", item=no[1])
            await anim.publish("quiz_open", item=no[2])

            def quiz_frozen():
                before = seen(n, wid)
                changed = good_plan()
                changed[0]["body"] = {"fr": "Texte revu."}
                changed[2]["points"] = 60
                assert_error(put(changed), 409, "item_in_use")
                assert seen(n, wid) == before
            await loop.run_in_executor(None, quiz_frozen)
            await anim.publish("end")
    run_async(go())


# -- registration -------------------------------------------------------------------------

def test_room_waitlist_and_promotions(workshop_node):
    n = workshop_node
    w = create(n, capacity=2)
    wid = w["id"]
    p = [participant(n) for _ in range(7)]
    tok = [x["token"] for x in p]

    def reg(i, mode, status=201):
        r = register(n, wid, tok[i], mode)
        assert r.status == status, (i, mode, r)
        return r.json

    assert reg(0, "room") == {"registration": "room", "waitlist_position": None}
    assert reg(1, "room") == {"registration": "room", "waitlist_position": None}
    assert reg(2, "room") == {"registration": "waitlisted", "waitlist_position": 1}
    assert reg(3, "room") == {"registration": "waitlisted", "waitlist_position": 2}
    assert reg(4, "online") == {"registration": "online", "waitlist_position": None}
    assert counts(public(n, wid)) == (2, 2, 1, 0)
    assert me(n, wid, tok[0]) == {**NO_ONE, "registration": "room"}
    assert me(n, wid, tok[2]) == {**NO_ONE, "registration": "waitlisted",
                                  "waitlist_position": 1}
    assert me(n, wid, tok[3]) == {**NO_ONE, "registration": "waitlisted",
                                  "waitlist_position": 2}
    assert me(n, wid, tok[5]) == NO_ONE

    # Registering twice changes nothing.
    before = seen(n, wid, tok)
    assert reg(0, "room", 200) == {"registration": "room", "waitlist_position": None}
    assert reg(3, "room", 200) == {"registration": "waitlisted", "waitlist_position": 2}
    assert reg(4, "online", 200) == {"registration": "online", "waitlist_position": None}
    # Bad bodies change nothing either.
    path = f"/api/v1/workshops/{wid}/registration"
    for body, code in (({"mode": "vip"}, "invalid_field"), ({}, "missing_field"),
                       ({"mode": "room", "x": 1}, "unknown_field"),
                       ({"mode": 1}, "wrong_type")):
        assert_error(n.post(path, body, token=tok[5]), 422, code)
    assert_error(n.post(path, {"mode": "room"}), 401, "missing_token")
    assert seen(n, wid, tok) == before

    # A waitlisted participant may still follow the session online.
    async def follow():
        async with contextlib.AsyncExitStack() as stack:
            c = await ws_join(stack, n, tok[3], wid, "waiting")
            assert c.welcome["role"] == "participant"
            assert set(c.sub) == {"type", "channel", "seq", "state", "me"}, c.sub
    run_async(follow())

    # A freed seat goes to the first on the waitlist.
    r = unregister(n, wid, tok[1])
    assert r.status == 204 and r.body == b"", r
    assert me(n, wid, tok[1]) == NO_ONE
    assert me(n, wid, tok[2]) == {**NO_ONE, "registration": "room"}
    assert me(n, wid, tok[3]) == {**NO_ONE, "registration": "waitlisted",
                                  "waitlist_position": 1}
    assert counts(public(n, wid)) == (2, 1, 1, 0)
    # Leaving the waitlist moves no one into the room.
    assert reg(5, "room") == {"registration": "waitlisted", "waitlist_position": 2}
    assert unregister(n, wid, tok[3]).status == 204
    assert me(n, wid, tok[5])["waitlist_position"] == 1
    assert counts(public(n, wid)) == (2, 1, 1, 0)
    assert reg(3, "room") == {"registration": "waitlisted", "waitlist_position": 2}

    # A larger room promotes from the waitlist, in order.
    r = n.request("PATCH", f"/api/v1/admin/workshops/{wid}", body={"capacity": 3},
                  token=n.anim)
    assert r.status == 200, r
    assert counts(r.json) == (3, 1, 1, 0)
    assert me(n, wid, tok[5]) == {**NO_ONE, "registration": "room"}
    assert me(n, wid, tok[3])["waitlist_position"] == 1
    # A smaller one keeps everyone seated.
    r = n.request("PATCH", f"/api/v1/admin/workshops/{wid}", body={"capacity": 1},
                  token=n.anim)
    assert r.status == 200, r
    assert counts(public(n, wid)) == (3, 1, 1, 0)
    for i in (0, 2, 5):
        assert me(n, wid, tok[i])["registration"] == "room", i
    assert reg(6, "room") == {"registration": "waitlisted", "waitlist_position": 2}
    # ...and a seat freed while over capacity goes to no one.
    assert unregister(n, wid, tok[0]).status == 204
    assert counts(public(n, wid)) == (2, 2, 1, 0)
    assert me(n, wid, tok[3])["waitlist_position"] == 1
    # Leaving and coming back online.
    assert reg(1, "online") == {"registration": "online", "waitlist_position": None}
    assert counts(public(n, wid)) == (2, 2, 2, 0)


def test_registration_on_online_and_closed_workshops(workshop_node):
    n = workshop_node
    online = create(n, kind="online", capacity=None)["id"]
    p, q = participant(n), participant(n)
    before = seen(n, online, [p["token"]])
    assert_error(register(n, online, p["token"], "room"), 422, "invalid_field")
    assert seen(n, online, [p["token"]]) == before
    r = register(n, online, p["token"], "online")
    assert r.status == 201 and r.json == {"registration": "online", "waitlist_position": None}
    assert counts(public(n, online))[:3] == (0, 0, 1)

    ended = create(n, start_in=5)["id"]
    assert register(n, ended, p["token"], "room").status == 201
    workshop_session(n, ended, "start", "end")
    assert public(n, ended)["status"] == "ended"
    before = seen(n, ended, [p["token"], q["token"]])
    assert_error(register(n, ended, q["token"], "room"), 409, "workshop_closed")
    assert_error(register(n, ended, q["token"], "online"), 409, "workshop_closed")
    assert seen(n, ended, [p["token"], q["token"]]) == before


# -- the room's check-in code -------------------------------------------------------------

def test_checkin_with_the_room_code(workshop_node):
    n = workshop_node
    w = create(n, start_in=30)  # the code is accepted from an hour before the start
    wid, code = w["id"], w["checkin_code"]
    p = participant(n)
    assert register(n, wid, p["token"], "room").status == 201
    before = seen(n, wid, [p["token"]])
    assert_error(checkin(n, wid, p["token"], wrong_code(code)), 422, "invalid_code")
    path = f"/api/v1/workshops/{wid}/checkin"
    assert_error(n.post(path, {}, token=p["token"]), 422, "missing_field")
    assert_error(n.post(path, {"code": code, "x": 1}, token=p["token"]), 422, "unknown_field")
    assert_error(n.post(path, {"code": code}), 401, "missing_token")
    assert seen(n, wid, [p["token"]]) == before
    assert me(n, wid, p["token"])["checked_in"] is False

    r = checkin(n, wid, p["token"], code)
    assert r.status == 201, r
    assert r.json == {"checked_in": True, "mode": "physical"}
    r = checkin(n, wid, p["token"], code)
    assert r.status == 200, r
    assert r.json == {"checked_in": True, "mode": "physical"}
    assert me(n, wid, p["token"]) == {"registration": "room", "waitlist_position": None,
                                      "checked_in": True}


def test_ten_wrong_codes_are_rate_limited(workshop_node):
    n = workshop_node
    w = create(n, start_in=30)
    wid, code = w["id"], w["checkin_code"]
    p, q = participant(n), participant(n)
    for i in range(10):
        assert_error(checkin(n, wid, p["token"], wrong_code(code)), 422, "invalid_code")
    before = seen(n, wid, [p["token"]])
    r = checkin(n, wid, p["token"], code)
    assert_error(r, 429, "rate_limited")
    assert int(r.header("retry-after")) > 0, r.headers
    assert seen(n, wid, [p["token"]]) == before
    assert me(n, wid, p["token"])["checked_in"] is False
    # Another participant in the same room is not held back.
    r = checkin(n, wid, q["token"], code)
    assert r.status == 201, r


def test_checkin_refused_online_and_outside_the_window(workshop_node):
    n = workshop_node
    p = participant(n)
    online = create(n, kind="online", capacity=None, start_in=10)
    before = seen(n, online["id"], [p["token"]])
    assert_error(checkin(n, online["id"], p["token"], online["checkin_code"] or "ABCDEF"), 422,
                 "invalid_field")
    assert seen(n, online["id"], [p["token"]]) == before

    far = create(n, start_in=180)  # the window opens in two hours
    assert register(n, far["id"], p["token"], "room").status == 201
    before = seen(n, far["id"], [p["token"]])
    assert_error(checkin(n, far["id"], p["token"], far["checkin_code"]), 409,
                 "checkin_closed")
    assert seen(n, far["id"], [p["token"]]) == before
    assert me(n, far["id"], p["token"])["checked_in"] is False


# -- attendance --------------------------------------------------------------------------

def test_attendance_and_dataset(workshop_node):
    n = workshop_node
    w = create(n, start_in=10, capacity=10,
               title={"fr": "Compost; en pied d'immeuble", "en": "Compost"})
    wid, code = w["id"], w["checkin_code"]
    room, online, both = participant(n), participant(n), participant(n)
    other = participant(n)  # registered, never came
    assert register(n, wid, room["token"], "room").status == 201
    assert register(n, wid, online["token"], "online").status == 201
    assert register(n, wid, both["token"], "room").status == 201
    assert register(n, wid, other["token"], "online").status == 201
    r = checkin(n, wid, room["token"], code)
    assert r.status == 201 and r.json == {"checked_in": True, "mode": "physical"}, r

    async def go():
        async with contextlib.AsyncExitStack() as stack:
            anim = await ws_join(stack, n, n.anim, wid, "anim")
            on = await ws_join(stack, n, online["token"], wid, "online")
            await ws_join(stack, n, None, wid, "guest")
            await ws_join(stack, n, n.modo, wid, "modo")
            await anim.publish("start")
            await ws_join(stack, n, both["token"], wid, "both")
            await asyncio.sleep(1.0)
            r = await asyncio.get_running_loop().run_in_executor(
                None, checkin, n, wid, both["token"], code)
            assert r.status == 201 and r.json == {"checked_in": True, "mode": "both"}, r
            await anim.publish("end")
            await on.event("status", status="ended")
    run_async(go())

    r = n.get(f"/api/v1/admin/workshops/{wid}/attendance", token=n.modo)
    assert r.status == 200, r
    doc = r.json
    assert set(doc) == {"workshop", "rows", "totals"} and doc["workshop"] == wid
    rows = {x["participant"]: x for x in doc["rows"]}
    assert set(rows) == {room["id"], online["id"], both["id"]}, doc["rows"]
    assert all(set(x) == ROW_FIELDS for x in doc["rows"]), doc["rows"]
    for x in rows.values():
        assert isinstance(x["online_minutes"], int) and 0 <= x["online_minutes"] <= 1, x
        assert isinstance(x["online_seconds"], int) and x["online_seconds"] // 60 == \
            x["online_minutes"], x
    strip = {k: v for k, v in rows[room["id"]].items() if k not in TIMES}
    assert strip == {"participant": room["id"], "nickname": room["nickname"],
                     "registration": "room", "online": False, "physical": True,
                     "mode": "physical"}
    assert rows[room["id"]]["online_minutes"] == rows[room["id"]]["online_seconds"] == 0
    strip = {k: v for k, v in rows[online["id"]].items() if k not in TIMES}
    assert strip == {"participant": online["id"], "nickname": online["nickname"],
                     "registration": "online", "online": True, "physical": False,
                     "mode": "online"}
    strip = {k: v for k, v in rows[both["id"]].items() if k not in TIMES}
    assert strip == {"participant": both["id"], "nickname": both["nickname"],
                     "registration": "room", "online": True, "physical": True,
                     "mode": "both"}
    t = doc["totals"]
    assert set(t) == {"online", "physical", "both", "participants"}, t
    assert t["participants"] == 3
    # Reading: each mode counted once (1, 1, 1); also accepted: attended online
    # and attended physically, both included (2, 2, 1). Never 4 participants.
    assert (t["online"], t["physical"], t["both"]) in ((1, 1, 1), (2, 2, 1)), t
    for tok in (n.admin_token(), n.anim):
        assert get_json(n, f"/api/v1/admin/workshops/{wid}/attendance", token=tok) == doc
    assert_error(n.get(f"/api/v1/admin/workshops/{wid}/attendance", token=room["token"]),
                 401, "invalid_token")
    assert_error(n.get(f"/api/v1/admin/workshops/{wid}/attendance"), 401, "missing_token")
    assert_error(n.get("/api/v1/admin/workshops/999999/attendance", token=n.modo), 404,
                 "not_found")

    # The dataset: one row per workshop and week.
    def rows_of(query):
        r = n.get(f"/api/v1/admin/attendance?{query}", token=n.modo)
        assert r.status == 200, (query, r)
        d = r.json
        got = d["rows"] if isinstance(d, dict) else d
        return [x for x in got if x["workshop"] == wid]

    mine = rows_of("format=json")
    assert len(mine) == 1, mine
    row = mine[0]
    assert set(DATASET_COLUMNS) <= set(row), row
    title = row["title"] if isinstance(row["title"], str) else row["title"]["fr"]
    assert title == "Compost; en pied d'immeuble"
    assert {k: row[k] for k in DATASET_COLUMNS if k not in ("title", "online_minutes_mean")} \
        == {"week": "2026-W48", "workshop": wid, "kind": "hybrid", "status": row["status"],
            "room_registered": 2,
            "waitlisted": 0, "online_registered": 2, "attended_online": t["online"],
            "attended_physical": t["physical"], "attended_both": t["both"],
            "participants": 3}
    assert isinstance(row["online_minutes_mean"], (int, float))
    assert 0 <= row["online_minutes_mean"] <= 1
    assert rows_of("from=2026-W48&to=2026-W48&format=json") == mine
    assert rows_of("from=2026-W47&format=json") == mine
    assert rows_of("from=2026-W49&format=json") == []
    assert rows_of("to=2026-W47&format=json") == []
    for q in ("format=xml", "from=2026-48", "from=2026-W54", "to=W48"):
        assert_error(n.get(f"/api/v1/admin/attendance?{q}", token=n.modo), 422,
                     "invalid_field")
    assert_error(n.get("/api/v1/admin/attendance?format=json", token=room["token"]), 401,
                 "invalid_token")

    r = n.get("/api/v1/admin/attendance?format=csv", token=n.admin_token())
    assert r.status == 200, r
    assert r.header("content-type").startswith("text/csv"), r.headers
    table = list(csv.reader(io.StringIO(r.body.decode("utf-8")), delimiter=";"))
    head = table[0]
    assert all(len(x) == len(head) for x in table[1:] if x), table
    got = [x for x in table[1:] if x and x[head.index("workshop")] == str(wid)]
    assert len(got) == 1, table
    c = dict(zip(head, got[0]))
    assert c["title"] == "Compost; en pied d'immeuble"
    for k in DATASET_COLUMNS:
        if k not in ("title", "online_minutes_mean"):
            assert c[k] == str(row[k]), (k, c, row)
    assert float(c["online_minutes_mean"]) == pytest.approx(row["online_minutes_mean"],
                                                            abs=0.01)
    # Exactly the dataset's columns, in the documented order.
    assert head == DATASET_COLUMNS, head
    assert set(row) == set(DATASET_COLUMNS), row
