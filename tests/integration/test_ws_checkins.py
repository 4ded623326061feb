"""Check-ins over the WebSocket (issue #3): {"type":"checkin","ref","action",
"date"?} is answered by {"type":"checkin_result","ref","status","data"} once
the check-in is committed, with the body HTTP would give."""

import asyncio
import json

import websockets
from websockets.frames import Frame, Opcode

from conftest import (TODAY, assert_error, challenge_state, checkin, checkin_ok, day,
                      get_json, run_async, ws_hello, ws_recv, ws_send)

DAILY = ["velo-domicile-travail", "transports-en-commun", "covoiturage", "repas-vegetarien",
         "repas-vegetalien", "douche-courte", "gourde", "the-plutot-que-cafe",
         "ecole-sans-voiture"]


async def ws_checkin(ws, ref, action, date=None):
    msg = {"type": "checkin", "ref": ref, "action": action}
    if date is not None:
        msg["date"] = date
    await ws_send(ws, msg)
    while True:
        f = await ws_recv(ws)
        if f.get("type") == "checkin_result":
            assert f["ref"] == ref, f
            assert set(f) == {"type", "ref", "status", "data"}, f
            return f


def without_at(doc):
    return {k: v for k, v in doc.items() if k != "at"}


def test_ws_checkin_has_the_http_body(any_snode):
    n = any_snode
    web = n.register("Navigateur")
    app = n.register("Application")
    # The same history for both: one check-in yesterday.
    checkin_ok(n, web["token"], "gourde", day(-1))
    checkin_ok(n, app["token"], "gourde", day(-1))
    http_body = checkin_ok(n, web["token"], "velo-domicile-travail")

    async def go():
        async with n.ws_connect() as ws:
            w = await ws_hello(ws, app["token"])
            assert w["role"] == "participant"
            res = await ws_checkin(ws, "r-1", "velo-domicile-travail")
            assert res["status"] == 201, res
            return res["data"]
    data = run_async(go())
    assert without_at(data) == without_at(http_body)
    assert data["date"] == TODAY and data["totals"]["checkins"] == 2
    # Committed: visible over HTTP at once.
    rows = get_json(n, "/api/v1/me/checkins", token=app["token"])["checkins"]
    assert (rows[0]["action"], rows[0]["date"]) == ("velo-domicile-travail", TODAY)
    assert rows[0]["at"] == data["at"]


def test_ws_checkin_refusals(snode):
    n = snode
    p = n.register("Socket")
    tok = p["token"]

    async def go():
        async with n.ws_connect() as ws:
            await ws_hello(ws, tok)
            ok = await ws_checkin(ws, "a", "gourde", day(-2))
            assert ok["status"] == 201
            before = await asyncio.get_running_loop().run_in_executor(
                None, challenge_state, n, tok)
            dup = await ws_checkin(ws, "b", "gourde", day(-2))
            assert dup["status"] == 409, dup
            assert dup["data"]["error"]["code"] == "already_checked_in"
            assert dup["data"]["error"]["message"]
            assert without_at(dup["data"]["checkin"]) == {
                k: ok["data"][k] for k in ("action", "date", "period", "points",
                                           "co2e_avoided_g", "waste_avoided_g", "capped")}
            for ref, action, date, status, code in [
                    ("c", "no-such-action", None, 422, "unknown_action"),
                    ("d", "gourde", day(1), 422, "date_in_future"),
                    ("e", "gourde", day(-8), 422, "too_old"),
                    ("f", "gourde", "2026-13-40", 422, "invalid_field")]:
                res = await ws_checkin(ws, ref, action, date)
                assert res["status"] == status, res
                assert set(res["data"]) == {"error"}, res
                assert res["data"]["error"]["code"] == code, res
                assert isinstance(res["data"]["error"]["message"], str)
            # A malformed frame is a protocol error, not a check-in result.
            await ws_send(ws, {"type": "checkin", "action": "gourde"})
            f = await ws_recv(ws)
            assert f["type"] == "error" and f["error"]["code"] == "missing_field", f
            await ws_send(ws, {"type": "checkin", "ref": "g", "action": "gourde", "x": 1})
            f = await ws_recv(ws)
            assert f["type"] == "error" and f["error"]["code"] == "unknown_field", f
            # The connection is still usable.
            await ws_send(ws, {"type": "ping"})
            assert (await ws_recv(ws)) == {"type": "pong"}
            after = await asyncio.get_running_loop().run_in_executor(
                None, challenge_state, n, tok)
            assert after == before
    run_async(go())


def test_ws_checkin_needs_a_participant(snode):
    n = snode
    p = n.register("Temoin")
    before = challenge_state(n, p["token"])
    admin = n.admin_token()
    moderator = n.staff_token("mod.ws", "moderator")

    async def go():
        for tok, role in ((None, "guest"), (admin, "admin"), (moderator, "moderator")):
            async with n.ws_connect() as ws:
                w = await ws_hello(ws, tok)
                assert w["role"] == role, w
                res = await ws_checkin(ws, "x", "gourde")
                assert res["status"] == 403, res
                assert res["data"]["error"]["code"] == "forbidden", res
    run_async(go())
    assert challenge_state(n, p["token"]) == before


def test_ws_and_http_are_idempotent_across_transports(snode):
    n = snode
    p = n.register("Bimodal")
    tok = p["token"]
    first_http = checkin_ok(n, tok, "covoiturage", day(-1))

    async def go():
        async with n.ws_connect() as ws:
            await ws_hello(ws, tok)
            dup = await ws_checkin(ws, "1", "covoiturage", day(-1))
            assert dup["status"] == 409, dup
            assert dup["data"]["checkin"]["date"] == first_http["date"]
            assert dup["data"]["checkin"]["points"] == first_http["points"]
            fresh = await ws_checkin(ws, "2", "compost")
            assert fresh["status"] == 201, fresh
            return fresh["data"]
    ws_body = run_async(go())
    r = checkin(n, tok, "compost", day(-1))  # same ISO week as today
    assert r.status == 409, r
    assert r.json["error"]["code"] == "already_checked_in"
    assert r.json["checkin"]["date"] == ws_body["date"] == TODAY
    assert r.json["checkin"]["at"] == ws_body["at"]
    assert get_json(n, "/api/v1/me/progress", token=tok)["checkins"] == 2


def test_ws_in_flight_cap(make_season_node):
    """More check-ins awaiting their commit on one connection than
    ws_max_pending: the surplus is refused with too_many_pending. The node
    reads at most rx_buffer_size (512) bytes of a connection per loop pass,
    so the cap is set to 2 here: the frames go out in one write and the node
    reads at least three of them before its next commit."""
    n = make_season_node(config={"ws_messages_per_second": 1000, "ws_max_pending": 2})
    p = n.register("Presse")
    tok = p["token"]
    pairs = [(a, day(-d)) for d in range(0, 8) for a in DAILY][:40]
    assert len(set(pairs)) == 40

    async def go():
        async with n.ws_connect() as ws:
            await ws_hello(ws, tok)
            blob = b"".join(
                Frame(Opcode.TEXT, json.dumps({"type": "checkin", "ref": str(i), "action": a,
                                               "date": d}).encode()).serialize(mask=True)
                for i, (a, d) in enumerate(pairs))
            ws.transport.write(blob)  # one write, read without waiting
            results = {}
            while len(results) < 40:
                f = await ws_recv(ws, 10)
                assert f.get("type") == "checkin_result", f
                assert f["ref"] not in results, f
                results[f["ref"]] = f
            return results
    results = run_async(go())
    statuses = {int(ref): f["status"] for ref, f in results.items()}
    for i in range(2):
        assert statuses[i] in (201, 409), (i, results[str(i)])
    refused = [i for i, s in statuses.items() if s == 429]
    assert refused, f"no too_many_pending among {sorted(statuses.items())}"
    for i in refused:
        assert results[str(i)]["data"]["error"]["code"] == "too_many_pending"
        assert i >= 2
    assert set(statuses.values()) <= {201, 409, 429}
    accepted = sum(1 for s in statuses.values() if s == 201)
    prog = get_json(n, "/api/v1/me/progress", token=tok)
    assert prog["checkins"] == accepted
    assert len(get_json(n, "/api/v1/me/checkins", token=tok)["checkins"]) == accepted

    # After the results came back, the connection accepts check-ins again.
    async def again():
        async with n.ws_connect() as ws:
            await ws_hello(ws, tok)
            i = refused[0]
            res = await ws_checkin(ws, "again", *pairs[i])
            assert res["status"] == 201, res
    run_async(again())


def test_ws_checkin_result_reaches_only_its_connection(snode):
    n = snode
    p = n.register("Discret")

    async def go():
        async with n.ws_connect() as a, n.ws_connect() as b:
            await ws_hello(a, p["token"])
            await ws_hello(b, p["token"])
            res = await ws_checkin(a, "mine", "gourde")
            assert res["status"] == 201
            await ws_send(b, {"type": "ping"})
            assert (await ws_recv(b)) == {"type": "pong"}
    run_async(go())


def test_ws_checkin_by_an_erased_participant(snode):
    n = snode
    p = n.register("Efface")

    async def go():
        async with n.ws_connect() as ws:
            await ws_hello(ws, p["token"])
            r = await asyncio.get_running_loop().run_in_executor(
                None, lambda: n.request("DELETE", "/api/v1/me", token=p["token"]))
            assert r.status == 204, r
            try:
                res = await ws_checkin(ws, "late", "gourde")
            except websockets.exceptions.ConnectionClosed:
                return  # the node may close the connection instead
            assert res["status"] in (401, 403), res
    run_async(go())
    assert_error(n.get("/api/v1/me/progress", token=p["token"]), 401, "invalid_token")
    board = get_json(n, "/api/v1/leaderboard?limit=100")
    assert "Efface" not in [e["name"] for e in board["entries"]]


def test_connection_closed_with_checkins_in_flight(snode):
    """The client goes away before its results: the node completes the
    check-ins, answers no one, and keeps serving (and exits cleanly at
    teardown)."""
    n = snode
    p = n.register("Presse2")
    tok = p["token"]

    async def go():
        async with n.ws_connect() as ws:
            await ws_hello(ws, tok)
            blob = b"".join(
                Frame(Opcode.TEXT, json.dumps({"type": "checkin", "ref": str(i), "action": a,
                                               "date": TODAY}).encode()).serialize(mask=True)
                for i, a in enumerate(DAILY))
            ws.transport.write(blob)
            ws.transport.abort()  # gone without a close handshake
    try:
        run_async(go())
    except (websockets.exceptions.WebSocketException, OSError):
        pass
    assert n.get("/healthz").status == 200
    prog = get_json(n, "/api/v1/me/progress", token=tok)
    rows = get_json(n, "/api/v1/me/checkins", token=tok)["checkins"]
    assert prog["checkins"] == len(rows) <= len(DAILY)
    board = get_json(n, "/api/v1/leaderboard?limit=100")
    assert {e["name"]: e["score"] for e in board["entries"]}["Presse2"] == prog["points"]
    # Whatever was not recorded can be checked in again.
    done = {r["action"] for r in rows}
    for a in DAILY:
        r = checkin(n, tok, a)
        assert r.status == (409 if a in done else 201), (a, r)


def test_ws_same_checkin_twice_in_one_write(snode):
    n = snode
    tok = n.register("Doublon")["token"]

    async def go():
        async with n.ws_connect() as ws:
            await ws_hello(ws, tok)
            msg = {"type": "checkin", "action": "gourde", "date": TODAY}
            blob = b"".join(Frame(Opcode.TEXT, json.dumps(dict(msg, ref=ref)).encode())
                            .serialize(mask=True) for ref in ("x", "y"))
            ws.transport.write(blob)
            got = {}
            while len(got) < 2:
                f = await ws_recv(ws)
                if f.get("type") == "checkin_result":
                    got[f["ref"]] = f
            return got
    got = run_async(go())
    assert sorted(f["status"] for f in got.values()) == [201, 409], got
    assert get_json(n, "/api/v1/me/progress", token=tok)["checkins"] == 1
