"""Live workshops over the WebSocket (issue #4): the channel workshop:<id>,
the presenter's and the moderator's commands, polls, quizzes and their points
in the challenge, Q&A, chat, reactions, muting, every refusal with its `ref`,
reconnects with `after`, node restarts and kill -9, and erasure.

Several real clients take part in each session: the animator, a moderator,
participants and a guest. Each client checks that the events it receives have
consecutive seqs (conftest.WorkshopClient)."""

import asyncio
import contextlib
import itertools
import json
import math
import time

import pytest

from conftest import (RFC3339, get_json, parse_rfc3339, plan_items, poll,
                      put_plan, quiz, run_async, slide, wait_for, workshop_season_node,
                      ws_expect_close,
                      ws_join, ws_recv, ws_send)
from conftest import create_workshop as create

STATE_FIELDS = {"status", "step", "poll", "quiz", "quiz_top", "questions", "chat", "presence",
                "reactions"}
REACTIONS = ("clap", "heart", "idea", "wow", "laugh", "thumbs_up")

_names = itertools.count(1)


def participant(n, base="Live"):
    return n.register(f"{base}{next(_names)}")


def progress_points(n, tok):
    return get_json(n, "/api/v1/me/progress", token=tok)["points"]


def tallies(evs, key):
    return [e[key] for e in evs if e.get("kind") == "tally" and key in e]


def summed_reactions(evs):
    total = {}
    for r in tallies(evs, "reactions"):
        for k, v in r.items():
            total[k] = total.get(k, 0) + v
    return total


def last_poll_tally(evs, item):
    got = [p for p in tallies(evs, "poll") if p["item"] == item]
    return got[-1] if got else None


def quiz_points(points, seconds, elapsed):
    """What a correct answer `elapsed` seconds after the opening earns."""
    left = min(max(seconds - elapsed, 0.0), seconds)
    return points + math.floor(points * left / seconds)


def quiz_points_range(points, seconds, earliest, latest):
    """The points a correct answer may earn when it came between `earliest` and
    `latest` seconds after the opening, give or take a second (a node may keep
    times to the second)."""
    return (quiz_points(points, seconds, latest + 1), quiz_points(points, seconds, earliest - 1))


def last_votes(evs, qid):
    got = [v[str(qid)] for v in tallies(evs, "votes") if str(qid) in v]
    return got[-1] if got else None


def me_choices(me, item):
    """The participant's answer to `item` in the subscribe reply's `me`. The draft
    does not name me's fields; read: "answers" keyed by item number (object) or
    a list of {"item","choices"}."""
    a = me["answers"]
    if isinstance(a, dict):
        v = a.get(str(item))
    else:
        v = next((x for x in a if x["item"] == item), None)
    return v["choices"] if isinstance(v, dict) else v


def me_points(me):
    """The participant's quiz points in `me` (the draft says "quiz points"; read:
    "quiz_points")."""
    return me["quiz_points"]


def same(ev, expected, extra=()):
    """ev has exactly the documented fields and values of `expected`, plus at
    most the fields in `extra` that the node adds (listed where used)."""
    assert {k: ev.get(k) for k in expected} == expected, (ev, expected)
    assert set(ev) - set(expected) <= set(extra), (ev, expected)
    return True


def no_kind(d, kind):
    """d without the "kind" the node adds to state.poll and state.quiz (not in the
    documented state)."""
    if d is None:
        return None
    assert d.get("kind", kind) == kind, d
    return {k: v for k, v in d.items() if k != "kind"}


def state_text(sub):
    return json.dumps(sub, ensure_ascii=False)


# -- subscribing ---------------------------------------------------------------------------

def test_subscribe_to_a_scheduled_workshop(workshop_node):
    n = workshop_node
    wid = create(n, start_in=60)["id"]
    p = participant(n)

    async def go():
        async with contextlib.AsyncExitStack() as stack:
            first = None
            for tok, role in ((None, "guest"), (p["token"], "participant"),
                              (n.modo, "moderator"), (n.anim, "animator"),
                              (n.admin_token(), "admin")):
                c = await ws_join(stack, n, tok, wid, role)
                assert c.welcome["role"] == role
                want = {"type", "channel", "seq", "state"} | \
                    ({"me"} if role == "participant" else set()) | \
                    (set() if role in ("guest", "participant") else {"muted"})
                assert set(c.sub) == want, c.sub
                assert c.sub.get("muted", []) == []
                # Nothing happened yet but presence tallies (as people join).
                if first is None:
                    first = c
                    assert c.sub["seq"] == 0
                else:
                    assert c.sub["seq"] >= 0
                    await first.catch_up(c.sub["seq"])
                    assert all(d["kind"] == "tally" and set(d) == {"kind", "presence"}
                               for _, d in first.events), first.events
                st = c.sub["state"]
                assert set(st) == STATE_FIELDS, st
                assert st["status"] == "scheduled"
                assert (st["step"], st["poll"], st["quiz"]) == (None, None, None)
                assert (st["quiz_top"], st["questions"], st["chat"]) == ([], [], [])
                assert st["reactions"] == {r: 0 for r in REACTIONS}
                assert isinstance(st["presence"]["online"], int)
            # Unknown workshops have no channel.
            ws = await stack.enter_async_context(n.ws_connect())
            await ws_send(ws, {"type": "hello"})
            await ws_recv(ws)
            for ch in ("workshop:999999", "workshop:abc", "workshop:", f"workshop:{wid}x"):
                await ws_send(ws, {"type": "subscribe", "channel": ch})
                f = await ws_recv(ws)
                assert f["type"] == "error" and f["error"]["code"] == "unknown_channel", f
    run_async(go())


# -- one whole session -----------------------------------------------------------------------

PLAN = [slide("Bienvenue", "Le programme de ce soir."),
        slide("Les légumes d'hiver", "Poireaux, choux, courges."),
        poll("Qui cuisine de saison ?", ["Jamais", "Parfois", "Souvent"]),
        poll("Quels légumes ?", ["Poireau", "Chou", "Courge", "Carotte"], multiple=True),
        quiz("Quand manger des fraises ?", ["Janvier", "Juin", "Novembre"], [1],
             seconds=5, points=10)]


def test_live_session(workshop_node):
    n = workshop_node
    w = create(n, start_in=10)
    wid = w["id"]
    put_plan(n, wid, PLAN, token=n.anim)
    s0, s1, poll1, poll2, qz = plan_items(n, wid)
    p = [participant(n) for _ in range(5)]  # p[4] only chats (the flood)
    nick = [x["nickname"] for x in p]
    before_points = [progress_points(n, x["token"]) for x in p[:3]]
    out = {}

    async def go():
        async with contextlib.AsyncExitStack() as stack:
            anim = await ws_join(stack, n, n.anim, wid, "anim")
            modo = await ws_join(stack, n, n.modo, wid, "modo")
            c = [await ws_join(stack, n, x["token"], wid, f"p{i}") for i, x in enumerate(p[:3])]
            guest = await ws_join(stack, n, None, wid, "guest")
            everyone = [anim, modo, *c, guest]

            # start, step, announce
            await anim.publish("start")
            for x in everyone:
                assert await x.event("status") == {"kind": "status", "status": "live"}
            await c[0].refused("forbidden", "publish", action="step", item=s0)
            await modo.refused("forbidden", "publish", action="step", item=s0)
            await modo.refused("forbidden", "publish", action="announce", text="Coucou")
            await guest.refused("forbidden", "publish", action="end")
            await anim.publish("step", item=s0)
            st = await guest.event("step")
            assert set(st) == {"kind", "item", "slide"} and st["item"] == s0, st
            assert st["slide"]["title"] == {"fr": "Bienvenue"}
            assert st["slide"]["body"] == {"fr": "Le programme de ce soir."}
            await anim.publish("announce", text="Bienvenue à toutes et à tous !")
            assert await guest.event("announce") == {
                "kind": "announce", "text": "Bienvenue à toutes et à tous !"}
            await anim.publish("step", item=s1)
            await guest.event("step", item=s1)

            # a poll
            await anim.publish("poll_open", item=poll1)
            po = await c[0].event("poll_open", item=poll1)
            # The node adds "counts" and "voters" (zeros) to the documented fields.
            assert {k: po.get(k) for k in ("kind", "item", "question", "options",
                                           "multiple")} == {
                "kind": "poll_open", "item": poll1,
                "question": {"fr": "Qui cuisine de saison ?"},
                "options": [{"fr": "Jamais"}, {"fr": "Parfois"}, {"fr": "Souvent"}],
                "multiple": False}
            assert set(po) <= {"kind", "item", "question", "options", "multiple", "counts",
                               "voters"}, po
            m = guest.mark()
            assert await c[0].ok("answer", item=poll1, choices=[0]) == \
                {"item": poll1, "choices": [0]}
            assert await c[1].ok("answer", item=poll1, choices=[2]) == \
                {"item": poll1, "choices": [2]}
            assert await c[2].ok("answer", item=poll1, choices=[2]) == \
                {"item": poll1, "choices": [2]}
            # A poll answer may change while the poll is open.
            assert await c[0].ok("answer", item=poll1, choices=[2]) == \
                {"item": poll1, "choices": [2]}
            await c[0].refused("invalid_choice", "answer", item=poll1, choices=[3])
            await c[0].refused("invalid_choice", "answer", item=poll1, choices=[0, 1])
            await c[0].refused("invalid_choice", "answer", item=poll1, choices=[])
            await c[0].refused("not_open", "answer", item=poll2, choices=[0])
            await c[0].refused("not_open", "answer", item=s1, choices=[0])
            await guest.refused("forbidden", "answer", item=poll1, choices=[1])
            await anim.refused("forbidden", "answer", item=poll1, choices=[1])
            await guest.wait(lambda evs: (last_poll_tally(evs, poll1) or {}).get("counts")
                             == [0, 0, 3], since=m, what="poll tally [0,0,3]")
            assert last_poll_tally([d for _, d in guest.events[m:]], poll1) == \
                {"item": poll1, "counts": [0, 0, 3], "voters": 3}

            # a late joiner sees the step and the open poll with its counts
            late = await ws_join(stack, n, p[3]["token"], wid, "late")
            ls = late.sub["state"]
            assert ls["status"] == "live"
            assert ls["step"]["item"] == s1 and \
                ls["step"]["slide"]["title"] == {"fr": "Les légumes d'hiver"}
            assert no_kind(ls["poll"], "poll") == {"item": poll1, "question": {"fr": "Qui cuisine de saison ?"},
                                  "options": [{"fr": "Jamais"}, {"fr": "Parfois"},
                                              {"fr": "Souvent"}],
                                  "multiple": False, "open": True, "counts": [0, 0, 3],
                                  "voters": 3}
            assert ls["quiz"] is None
            assert ls["presence"]["online"] >= 4

            await anim.publish("poll_close", item=poll1)
            assert await late.event("poll_close") == {
                "kind": "poll_close", "item": poll1, "counts": [0, 0, 3], "voters": 3}
            await c[1].refused("not_open", "answer", item=poll1, choices=[0])

            # a poll with several choices
            await anim.publish("poll_open", item=poll2)
            assert (await late.event("poll_open", item=poll2))["multiple"] is True
            m = guest.mark()
            await c[0].ok("answer", item=poll2, choices=[0, 2])
            await c[1].ok("answer", item=poll2, choices=[1])
            await c[1].refused("invalid_choice", "answer", item=poll2, choices=[4])
            await guest.wait(lambda evs: (last_poll_tally(evs, poll2) or {}).get("voters")
                             == 2, since=m, what="poll tally, 2 voters")
            assert last_poll_tally([d for _, d in guest.events[m:]], poll2) == \
                {"item": poll2, "counts": [1, 1, 1, 0], "voters": 2}
            await anim.publish("poll_close", item=poll2)
            await guest.event("poll_close", item=poll2)

            # a quiz
            t_open = time.monotonic()
            await anim.publish("quiz_open", item=qz)
            t_opened = time.monotonic()
            qo = await c[0].event("quiz_open")
            # The node adds the item's "points"; never the correct answer.
            assert set(qo) - {"points"} == {"kind", "item", "question", "options", "seconds",
                                            "closes_at"}, qo
            assert qo.get("points", 10) == 10
            assert qo["item"] == qz and qo["seconds"] == 5
            assert qo["options"] == [{"fr": "Janvier"}, {"fr": "Juin"}, {"fr": "Novembre"}]
            closes = parse_rfc3339(qo["closes_at"])
            assert abs((closes - n.clock.now()).total_seconds() - 5) < 1.5, qo
            m = guest.mark()
            t0 = time.monotonic()
            a0 = await c[0].ok("answer", item=qz, choices=[1])
            t0b = time.monotonic()
            assert a0 == {"item": qz, "choices": [1]}  # no points before the reveal
            assert await c[1].ok("answer", item=qz, choices=[0]) == {"item": qz, "choices": [0]}
            await c[0].refused("already_answered", "answer", item=qz, choices=[0])
            await c[0].refused("already_answered", "answer", item=qz, choices=[1])
            await late.refused("invalid_choice", "answer", item=qz, choices=[3])
            await asyncio.sleep(max(0.0, t_open + 2.0 - time.monotonic()))
            t2 = time.monotonic()
            await c[2].ok("answer", item=qz, choices=[1])
            t2b = time.monotonic()
            await guest.wait(lambda evs: any(q == {"item": qz, "answers": 3}
                                             for q in tallies(evs, "quiz")),
                             since=m, what="quiz tally, 3 answers")
            # Before the reveal nobody sees the correct answer.
            peek = await ws_join(stack, n, None, wid, "peek")
            pq = peek.sub["state"]["quiz"]
            assert pq["item"] == qz and pq["open"] is True and pq["answers"] == 3, pq
            assert pq["correct"] is None and pq["closes_at"] == qo["closes_at"]
            # After closes_at no answer is taken.
            await asyncio.sleep(max(0.0, t_opened + 5.3 - time.monotonic()))
            await late.refused("not_open", "answer", item=qz, choices=[1])

            await anim.publish("quiz_reveal", item=qz)
            rv = await guest.event("quiz_reveal")
            # The node adds "answers" to the documented fields.
            assert set(rv) - {"answers"} == {"kind", "item", "correct", "counts", "top"}, rv
            assert rv.get("answers", 3) == 3
            assert rv["item"] == qz and rv["correct"] == [1] and rv["counts"] == [1, 2, 0]
            lo0, hi0 = quiz_points_range(10, 5, t0 - t_opened, t0b - t_open)
            lo2, hi2 = quiz_points_range(10, 5, t2 - t_opened, t2b - t_open)
            top = rv["top"]
            assert [e["nickname"] for e in top[:2]] == [nick[0], nick[2]], top
            assert lo0 <= top[0]["points"] <= hi0, (top, lo0, hi0)
            assert lo2 <= top[1]["points"] <= hi2, (top, lo2, hi2)
            assert top[1]["points"] < top[0]["points"]
            assert all(e["nickname"] in (nick[1],) and e["points"] == 0 for e in top[2:]), top
            out["points"] = (top[0]["points"], 0, top[1]["points"])
            out["top"] = top[:2]

            # Q&A
            m = guest.mark()
            q1 = (await c[0].ok("ask", text="Comment composter en appartement ?"))
            assert set(q1) == {"question"}, q1
            q1 = q1["question"]
            # The node adds "pinned" and "answered" (false) to the new question.
            assert same(await guest.event("question", id=q1), {
                "kind": "question", "id": q1, "text": "Comment composter en appartement ?",
                "nickname": nick[0], "votes": 0}, extra=("pinned", "answered"))
            q2 = (await c[1].ok("ask", text="Question à masquer"))["question"]
            assert q2 != q1
            await c[1].ok("vote", question=q1, up=True)
            await c[2].ok("vote", question=q1, up=True)
            await late.ok("vote", question=q1, up=True)
            await late.ok("vote", question=q1, up=False)
            await c[2].refused("not_found", "vote", question=999999, up=True)
            await guest.refused("forbidden", "vote", question=q1, up=True)
            await guest.wait(lambda evs: last_votes(evs, q1) == 2, since=m, what="2 votes")
            await modo.publish("question_pin", question=q1, value=True)
            assert await guest.event("question_update", id=q1) == \
                {"kind": "question_update", "id": q1, "pinned": True}
            await modo.publish("question_answered", question=q1, value=True)
            assert await guest.event("question_update", id=q1, answered=True) == \
                {"kind": "question_update", "id": q1, "answered": True}
            await anim.publish("question_hide", question=q2, value=True)
            assert await guest.event("question_update", id=q2) == \
                {"kind": "question_update", "id": q2, "hidden": True}
            await modo.refused("not_found", "publish", action="question_pin", question=999999,
                               value=True)
            await c[0].refused("forbidden", "publish", action="question_hide", question=q1,
                               value=True)

            # chat
            await c[0].ok("chat", text="Bonjour à tous")
            ch = await guest.event("chat", text="Bonjour à tous")
            assert set(ch) == {"kind", "id", "text", "nickname", "at"} and \
                ch["nickname"] == nick[0] and RFC3339.match(ch["at"]), ch
            m1 = ch["id"]
            await c[1].ok("chat", text="Message à masquer")
            m2 = (await guest.event("chat", text="Message à masquer"))["id"]
            await modo.publish("chat_hide", message=m2)
            assert await guest.event("chat_hide") == {"kind": "chat_hide", "id": m2}
            await modo.refused("not_found", "publish", action="chat_hide", message=999999)
            await guest.refused("forbidden", "chat", text="Je suis invité")
            await c[0].refused("forbidden", "publish", action="chat_hide", message=m1)

            # mute
            await modo.publish("mute", participant=p[2]["id"])
            await c[2].refused("muted", "chat", 403, text="Texte muet")
            await c[2].refused("muted", "ask", 403, text="Question muette")
            # A console that (re)subscribes learns who is muted; a participant
            # sees only their own flag.
            console = await ws_join(stack, n, n.modo, wid, "console")
            assert console.sub["muted"] == [{"participant": p[2]["id"], "nickname": nick[2]}], \
                console.sub.get("muted")
            again = await ws_join(stack, n, p[2]["token"], wid, "again")
            assert "muted" not in again.sub and again.sub["me"]["muted"] is True, again.sub
            await console.ws.close()
            await again.ws.close()
            await modo.publish("unmute", participant=p[2]["id"])
            console = await ws_join(stack, n, n.anim, wid, "console2")
            assert console.sub["muted"] == [], console.sub.get("muted")
            await console.ws.close()
            await c[2].ok("chat", text="De retour")
            await guest.event("chat", text="De retour")

            # chat flood: 5 in 10 s, then rate_limited
            flood = await ws_join(stack, n, p[4]["token"], wid, "flood")
            for i in range(5):
                await flood.ok("chat", text=f"Message {i}")
            await flood.refused("rate_limited", "chat", text="Un de trop")

            # reactions: coalesced tallies
            m = guest.mark()
            for r in ("clap", "clap", "clap"):
                await c[0].ok("react", reaction=r)
            await c[1].ok("react", reaction="heart")
            await c[2].ok("react", reaction="idea")
            await guest.wait(lambda evs: {k: v for k, v in summed_reactions(evs).items() if v}
                             == {"clap": 3, "heart": 1, "idea": 1}, since=m,
                             what="reactions")
            await guest.refused("forbidden", "react", reaction="clap")
            m = guest.mark()
            t_burst = time.monotonic()
            refs = [f"burst-{i}" for i in range(20)]
            for ref in refs:
                await ws_send(c[1].ws, {"type": "react", "channel": c[1].channel,
                                        "ref": ref, "reaction": "clap"})
            for ref in refs:
                assert (await c[1].reply(ref))["type"] == "ack"
            await guest.wait(lambda evs: summed_reactions(evs).get("clap") == 20, since=m,
                             what="20 claps")
            spent = time.monotonic() - t_burst
            n_tallies = len(tallies([d for _, d in guest.events[m:]], "reactions"))
            assert n_tallies <= 4 * spent + 2, (n_tallies, spent)

            # the late joiner's state
            view = await ws_join(stack, n, None, wid, "view")
            vs = view.sub["state"]
            assert vs["status"] == "live" and vs["step"]["item"] == s1
            assert vs["poll"] is None or vs["poll"]["open"] is False, vs["poll"]
            assert vs["quiz"] is None or (vs["quiz"]["correct"] == [1] and
                                          vs["quiz"]["open"] is False), vs["quiz"]
            assert vs["quiz_top"][:2] == out["top"]
            qs = {q["id"]: q for q in vs["questions"]}
            assert set(qs) == {q1}, vs["questions"]
            assert qs[q1] == {"id": q1, "text": "Comment composter en appartement ?",
                              "nickname": nick[0], "votes": 2, "pinned": True,
                              "answered": True}
            texts = [x["text"] for x in vs["chat"]]
            assert texts == ["Bonjour à tous", "De retour"] + [f"Message {i}"
                                                                for i in range(5)], vs["chat"]
            assert all(set(x) == {"id", "text", "nickname", "at"} for x in vs["chat"])
            assert vs["chat"][0]["id"] == m1 and vs["chat"][0]["nickname"] == nick[0]
            text = state_text(view.sub)
            for gone in ("Question à masquer", "Message à masquer", "Texte muet",
                         "Question muette", "Je suis invité", "Un de trop"):
                assert gone not in text, gone

            # the end
            await anim.publish("end")
            await c[0].refused("workshop_closed", "chat", text="Trop tard")
            await c[0].refused("workshop_closed", "ask", text="Trop tard ?")
            for x in everyone + [late, flood, view]:
                await x.event("status", status="ended")
            # Every client saw the same events, in the same order.
            final = max(x.last_seq for x in everyone)
            for x in everyone + [late]:
                await x.catch_up(final)
            # (a presence tally may come before the last of them subscribed:
            # compare from the first event every one of them received)
            first = max(x.events[0][0] for x in everyone)
            ref = [e for e in anim.events if first <= e[0] <= final]
            assert ref and ref[0][0] == first
            for x in everyone:
                assert [e for e in x.events if first <= e[0] <= final] == ref, x.name
            assert [e for e in late.events if e[0] <= final] == \
                [e for e in ref if e[0] > late.sub["seq"]]
            for _, d in ref:
                assert "Texte muet" not in json.dumps(d, ensure_ascii=False)
            # The late joiner's reactions are the session's totals.
            assert vs["reactions"] == {**{r: 0 for r in REACTIONS}, "clap": 23, "heart": 1,
                                       "idea": 1}, vs["reactions"]
    run_async(go())

    # Quiz points count in the challenge.
    for x, before, pts in zip(p[:3], before_points, out["points"]):
        got = progress_points(n, x["token"])
        assert got == before + pts, (x["nickname"], before, pts, got)


# -- frames the workshop refuses -------------------------------------------------------------

def test_bad_workshop_frames(workshop_node):
    n = workshop_node
    wid = create(n, start_in=10)["id"]
    p = participant(n)
    ch = f"workshop:{wid}"

    async def go():
        async with contextlib.AsyncExitStack() as stack:
            anim = await ws_join(stack, n, n.anim, wid, "anim")
            await anim.publish("start")
            c = await ws_join(stack, n, p["token"], wid, "p")
            wrong = []
            for who, frame, code in [(c, *x) for x in [
                    ({"type": "dance", "channel": ch, "ref": "r1"}, "unknown_type"),
                    ({"type": "chat", "channel": ch, "ref": "r2", "text": "Salut",
                      "colour": "vert"}, "unknown_field"),
                    ({"type": "chat", "channel": ch, "ref": "r3"}, "missing_field"),
                    ({"type": "chat", "channel": ch, "ref": "r4", "text": 5}, "wrong_type"),
                    ({"type": "chat", "channel": ch, "ref": "r5", "text": ""},
                     "invalid_field"),
                    ({"type": "chat", "channel": ch, "ref": "r6", "text": "x" * 501},
                     "invalid_field"),
                    ({"type": "ask", "channel": ch, "ref": "r7", "text": "x" * 281},
                     "invalid_field"),
                    ({"type": "answer", "channel": ch, "ref": "r8", "item": 0,
                      "choices": "0"}, "wrong_type"),
                    ({"type": "react", "channel": ch, "ref": "r9", "reaction": "angry"},
                     "invalid_field"),
                    ({"type": "publish", "channel": ch, "ref": "r10", "action": "dance"},
                     "forbidden")]] + [(anim, *x) for x in [
                    ({"type": "publish", "channel": ch, "ref": "a1", "action": "dance"},
                     "invalid_field"),
                    ({"type": "publish", "channel": ch, "ref": "a2", "action": "announce",
                      "text": ""}, "invalid_field"),
                    ({"type": "publish", "channel": ch, "ref": "a3", "action": "announce",
                      "text": "x" * 281}, "invalid_field"),
                    ({"type": "publish", "channel": ch, "ref": "a4", "action": "step"},
                     "missing_field")]]:
                # Every refusal is an error frame with the frame's ref.
                await ws_send(who.ws, frame)
                while True:
                    f = await who._read(5)
                    if f is not None:
                        break
                if not (f.get("type") == "error" and f["error"]["code"] == code and
                        f.get("ref") == frame["ref"]):
                    wrong.append((frame, code, f))
            # The connection stays usable and nothing was posted.
            assert (await c.ok("chat", text="Enfin")) is not None
            view = await ws_join(stack, n, None, wid, "view")
            assert [x["text"] for x in view.sub["state"]["chat"]] == ["Enfin"]

            # A binary frame closes the connection with 1003.
            await c.ws.send(json.dumps({"type": "chat", "channel": ch, "ref": "b",
                                        "text": "binaire"}).encode())
            frames, code = await ws_expect_close(c.ws)
            assert code == 1003, (frames, code)
            # A frame over 4 KiB closes it with 1009.
            big = await ws_join(stack, n, p["token"], wid, "big")
            await ws_send(big.ws, {"type": "chat", "channel": ch, "ref": "big",
                                   "text": "é" * 2100})
            frames, code = await ws_expect_close(big.ws)
            assert code == 1009, (frames, code)
            assert [f["error"]["code"] for f in frames if isinstance(f, dict)
                    and f.get("type") == "error"] == ["message_too_large"], frames
            view2 = await ws_join(stack, n, None, wid, "view2")
            assert [x["text"] for x in view2.sub["state"]["chat"]] == ["Enfin"]
            await anim.publish("end")
            assert not wrong, "\n".join(f"{fr} -> expected {co} with its ref, got {f}"
                                         for fr, co, f in wrong)
    run_async(go())


# -- reconnects, restarts, kill -9 --------------------------------------------------------

@pytest.fixture
def own_node(tmp_path):
    n = workshop_season_node(tmp_path, name="restarted")
    yield n
    if n.running:
        n.stop()


def test_reconnect_restart_and_kill9(own_node):
    n = own_node
    wid = create(n, start_in=10)["id"]
    put_plan(n, wid, [slide("Accueil"), slide("Suite"),
                      poll("Vélo ou bus ?", ["Vélo", "Bus", "Marche"]),
                      quiz("Combien de kg de déchets par an ?", ["100", "250", "550"], [2],
                           seconds=5, points=20),
                      quiz("Le verre se recycle-t-il à l'infini ?", ["Oui", "Non"], [0],
                           seconds=60, points=5)], token=n.anim)
    s0, s1, pl, q1, q2 = plan_items(n, wid)
    me_, other = participant(n), participant(n)
    saved = {}

    async def first():
        async with contextlib.AsyncExitStack() as stack:
            anim = await ws_join(stack, n, n.anim, wid, "anim")
            c = await ws_join(stack, n, me_["token"], wid, "me")
            o = await ws_join(stack, n, other["token"], wid, "other")
            await anim.publish("start")
            await anim.publish("step", item=s0)
            await anim.publish("poll_open", item=pl)
            await c.ok("answer", item=pl, choices=[1])
            await o.ok("answer", item=pl, choices=[0])
            t_open = time.monotonic()
            await anim.publish("quiz_open", item=q1)
            await c.event("quiz_open")
            await c.ok("answer", item=q1, choices=[2])
            s = c.last_seq
            await c.ws.close()
            # Things happen while the participant is away.
            await anim.publish("step", item=s1)
            await anim.publish("announce", text="Petite pause")
            await o.ok("answer", item=q1, choices=[0])
            qid = (await o.ok("ask", text="Où trouver un composteur ?"))["question"]
            await asyncio.sleep(max(0.0, t_open + 5.3 - time.monotonic()))
            await anim.publish("quiz_reveal", item=q1)
            rv = await anim.event("quiz_reveal")
            top = rv["top"]
            assert top[0]["nickname"] == me_["nickname"] and top[0]["points"] >= 20, top
            final = anim.last_seq
            missed = [e for e in anim.events if e[0] > s]
            assert missed and missed[0][0] == s + 1

            # Back with a new connection and `after`: exactly what was missed.
            back = await ws_join(stack, n, me_["token"], wid, "back", after=s)
            assert back.sub["seq"] >= final
            await back.catch_up(final)
            assert [e for e in back.events if e[0] <= final] == \
                [e for e in missed if e[0] <= final]
            # A late joiner without `after` gets the whole state.
            late = await ws_join(stack, n, me_["token"], wid, "late")
            st = late.sub["state"]
            assert st["status"] == "live" and st["step"]["item"] == s1
            assert st["poll"]["item"] == pl and st["poll"]["open"] is True
            assert st["poll"]["counts"] == [1, 1, 0] and st["poll"]["voters"] == 2
            assert st["quiz_top"][0] == top[0]
            assert [(q["id"], q["text"]) for q in st["questions"]] == \
                [(qid, "Où trouver un composteur ?")]
            me = late.sub["me"]
            assert me_choices(me, pl) == [1] and me_choices(me, q1) == [2]
            assert me_points(me) == top[0]["points"]
            saved.update(s=s, final=final, missed=missed, top=top, state=st, me=me)
    run_async(first())
    points_before = progress_points(n, me_["token"])
    assert points_before == saved["top"][0]["points"]

    def without_presence(state):
        return {k: v for k, v in state.items() if k != "presence"}

    # A clean restart keeps the state, `me` and the log.
    n.stop()
    n.clock.start(n)

    async def second():
        async with contextlib.AsyncExitStack() as stack:
            late = await ws_join(stack, n, me_["token"], wid, "late2")
            assert late.sub["seq"] >= saved["final"]
            assert without_presence(late.sub["state"]) == without_presence(saved["state"])
            assert late.sub["me"] == saved["me"]
            back = await ws_join(stack, n, me_["token"], wid, "back2", after=saved["s"])
            await back.catch_up(saved["final"])
            assert [e for e in back.events if e[0] <= saved["final"]] == \
                [e for e in saved["missed"] if e[0] <= saved["final"]]
            anim = await ws_join(stack, n, n.anim, wid, "anim2")
            await anim.publish("announce", text="On reprend")
            ev = await anim.event("announce", text="On reprend")
            assert ev and anim.last_seq > saved["final"]
            # A quiz answer acknowledged just before a kill -9 is kept.
            await anim.publish("quiz_open", item=q2)
            c = await ws_join(stack, n, me_["token"], wid, "me2")
            assert await c.ok("answer", item=q2, choices=[1]) == {"item": q2, "choices": [1]}
            n.kill9()
    run_async(second())
    n.clock.start(n)

    async def third():
        async with contextlib.AsyncExitStack() as stack:
            c = await ws_join(stack, n, me_["token"], wid, "me3")
            assert me_choices(c.sub["me"], q2) == [1]
            assert me_choices(c.sub["me"], q1) == [2] and me_choices(c.sub["me"], pl) == [1]
            assert me_points(c.sub["me"]) == saved["top"][0]["points"]
            qs = c.sub["state"]["quiz"]
            assert qs["item"] == q2 and qs["open"] is True and qs["answers"] == 1, qs
            await c.refused("already_answered", "answer", item=q2, choices=[0])
            anim = await ws_join(stack, n, n.anim, wid, "anim3")
            await anim.publish("end")
            await c.event("status", status="ended")
    run_async(third())
    assert progress_points(n, me_["token"]) == points_before


# -- erasure ---------------------------------------------------------------------------------

SECRETS = ("Effacable", "secrète", "secret de")


def erased_session(n, nickname):
    """A live session where `nickname` asked, chatted, checked in and then erased
    their account, beside another participant who stays; returns (wid, stay)."""
    w = create(n, start_in=10)
    wid, code = w["id"], w["checkin_code"]
    gone = n.register(nickname)
    stay = participant(n)
    for x in (gone, stay):
        assert n.post(f"/api/v1/workshops/{wid}/registration", {"mode": "room"},
                      token=x["token"]).status == 201
        r = n.post(f"/api/v1/workshops/{wid}/checkin", {"code": code}, token=x["token"])
        assert r.status == 201, r

    async def go():
        async with contextlib.AsyncExitStack() as stack:
            anim = await ws_join(stack, n, n.anim, wid, "anim")
            await anim.publish("start")
            g = await ws_join(stack, n, gone["token"], wid, "gone")
            s = await ws_join(stack, n, stay["token"], wid, "stay")
            await g.ok("ask", text=f"Question secrète de {nickname}")
            await g.ok("chat", text=f"Message secret de {nickname}")
            await s.ok("ask", text="Question qui reste")
            await s.ok("chat", text="Message qui reste")
            await anim.event("chat", text="Message qui reste")
            await g.ws.close()
    run_async(go())
    att = get_json(n, f"/api/v1/admin/workshops/{wid}/attendance", token=n.modo)
    assert {x["participant"] for x in att["rows"]} == {gone["id"], stay["id"]}
    assert n.request("DELETE", "/api/v1/me", token=gone["token"]).status == 204
    return wid, stay


def test_erased_participant_leaves_no_trace(workshop_node):
    n = workshop_node
    wid, stay = erased_session(n, "Effacable")
    r = n.get(f"/api/v1/admin/workshops/{wid}/attendance", token=n.modo)
    assert r.status == 200, r
    assert [x["participant"] for x in r.json["rows"]] == [stay["id"]]
    assert "Effacable" not in r.body.decode()
    assert r.json["totals"]["participants"] == 1
    assert n.get(f"/api/v1/workshops/{wid}").json["room_registered"] == 1

    async def late():
        async with contextlib.AsyncExitStack() as stack:
            v = await ws_join(stack, n, None, wid, "late")
            st = v.sub["state"]
            assert [q["text"] for q in st["questions"]] == ["Question qui reste"]
            assert [m["text"] for m in st["chat"]] == ["Message qui reste"]
            text = state_text(v.sub)
            for secret in SECRETS:
                assert secret not in text, secret
            anim = await ws_join(stack, n, n.anim, wid, "anim")
            await anim.publish("end")
    run_async(late())


def test_erased_participant_is_not_replayed(workshop_node):
    """Nor do the events a client replays with `after` still carry the erased
    participant's texts and nickname."""
    n = workshop_node
    wid, _ = erased_session(n, "Effacee")

    async def replay():
        async with contextlib.AsyncExitStack() as stack:
            r = await ws_join(stack, n, None, wid, "replay", after=0)
            await r.catch_up(r.sub["seq"])
            replayed = json.dumps(r.events, ensure_ascii=False)
            assert "Question qui reste" in replayed and "Message qui reste" in replayed
            for secret in ("Effacee", "secrète", "secret de"):
                assert secret not in replayed, (secret, r.events)
    run_async(replay())


def test_presence_is_checkpointed_so_kill9_loses_little(tmp_path):
    """Open presence goes into attendance every ws_presence_checkpoint_s (1 s
    here), so a kill -9 in the middle of a session loses at most that much of
    each participant's online time; a clean end adds the rest exactly once."""
    n = workshop_season_node(tmp_path, name="checkpoint",
                             config={"ws_presence_checkpoint_s": 1})
    try:
        wid = create(n, start_in=10)["id"]
        p = participant(n)

        def seconds():
            att = get_json(n, f"/api/v1/admin/workshops/{wid}/attendance", token=n.modo)
            rows = [x for x in att["rows"] if x["participant"] == p["id"]]
            return rows[0]["online_seconds"] if rows else None

        async def present_then_killed():
            async with contextlib.AsyncExitStack() as stack:
                anim = await ws_join(stack, n, n.anim, wid, "anim")
                await anim.publish("start")
                await ws_join(stack, n, p["token"], wid, "p")
                await asyncio.sleep(3.6)
                n.kill9()
        run_async(present_then_killed())
        n.clock.start(n)
        kept = seconds()
        # 3.6 s present, written every second: at least 2 s survive (without
        # the checkpoint nothing would: the interval was still open).
        assert kept is not None and 2 <= kept <= 4, kept

        async def present_then_end():
            async with contextlib.AsyncExitStack() as stack:
                anim = await ws_join(stack, n, n.anim, wid, "anim")
                await ws_join(stack, n, p["token"], wid, "p")
                await asyncio.sleep(2.5)
                await anim.publish("end")
        run_async(present_then_end())
        # The second stay (about 2.5 s, part checkpointed, the rest at the end)
        # is added once: not counted twice by the checkpoints and the end.
        wait_for(lambda: seconds() is not None and seconds() >= kept + 2,
                 what="the second stay in attendance")
        assert kept + 2 <= seconds() <= kept + 3, (kept, seconds())
    finally:
        if n.running:
            n.stop()
