"""WebSocket (/ws, subprotocol zcnode.v1): handshake, hello, subscriptions,
snapshots, event logs with resume, limits and errors."""

import asyncio
import json

import pytest
import websockets

from conftest import (ID_HEX, assert_error, run_async, ws_collect_events,
                      ws_expect_close, ws_hello, ws_recv, ws_reply, ws_send)

BOARD = "test:state"
ALL_PUBLIC = [f"leaderboard:{b}:{s}" for b in ("points", "co2e")
              for s in ("individual", "team", "neighbourhood")]


async def expect_refused(node, **kw):
    """The upgrade must not succeed."""
    try:
        async with node.ws_connect(**kw) as ws:
            pytest.fail(f"WebSocket accepted ({kw}), subprotocol={ws.subprotocol!r}")
    except (websockets.exceptions.InvalidHandshake, websockets.exceptions.ConnectionClosed,
            ConnectionError, asyncio.TimeoutError, EOFError):
        pass
    # The node keeps serving.
    assert node.get("/healthz").status == 200


async def expect_error(ws, code, channel=None):
    f = await ws_reply(ws)
    assert f.get("type") == "error", f
    assert f["error"]["code"] == code, f
    assert isinstance(f["error"].get("message"), str)
    if channel is not None:
        assert f.get("channel") == channel, f
    return f


# -- handshake ----------------------------------------------------------------------

def test_ws_without_subprotocol_is_refused(any_hooks_node):
    run_async(expect_refused(any_hooks_node, subprotocols=None))


def test_ws_with_another_subprotocol_is_refused(any_hooks_node):
    run_async(expect_refused(any_hooks_node, subprotocols=["chat", "zcnode.v2"]))


@pytest.mark.parametrize("path", ["/", "/wss", "/ws/", "/ws/x", "/api/v1/ws", "/healthz"])
def test_ws_on_another_path_is_refused(hooks_node, path):
    run_async(expect_refused(hooks_node, path=path))


def test_ws_handshake_selects_the_subprotocol(any_hooks_node):
    async def go():
        async with any_hooks_node.ws_connect(subprotocols=["other", "zcnode.v1"]) as ws:
            assert ws.subprotocol == "zcnode.v1"
    run_async(go())


# -- hello ------------------------------------------------------------------------

def test_first_frame_must_be_hello(any_hooks_node):
    async def go():
        async with any_hooks_node.ws_connect() as ws:
            await ws_send(ws, {"type": "subscribe", "channel": BOARD})
            frames, code = await ws_expect_close(ws)
            assert frames and frames[0]["type"] == "error", frames
            assert frames[0]["error"]["code"] == "hello_required"
            assert not any(f.get("type") == "subscribed" for f in frames)
            assert code == 1008, code
    run_async(go())


@pytest.mark.parametrize("token", ["zcp_" + "A" * 43, "zca_" + "A" * 43, "nonsense", "zcp_"],
                         ids=["zcp-random", "zca-random", "nonsense", "prefix-only"])
def test_hello_with_bad_token(any_hooks_node, token):
    async def go():
        async with any_hooks_node.ws_connect() as ws:
            await ws_send(ws, {"type": "hello", "token": token})
            frames, code = await ws_expect_close(ws)
            assert frames, "no error frame before the close"
            assert frames[0]["type"] == "error" and \
                frames[0]["error"]["code"] == "invalid_token", frames
            assert not any(f.get("type") == "welcome" for f in frames)
            assert code == 1008, code
    run_async(go())


def test_hello_with_revoked_participant_token(any_hooks_node):
    n = any_hooks_node
    reg = n.register("Parti")
    assert n.request("DELETE", "/api/v1/me", token=reg["token"]).status == 204

    async def go():
        async with n.ws_connect() as ws:
            await ws_send(ws, {"type": "hello", "token": reg["token"]})
            frames, code = await ws_expect_close(ws)
            assert frames[0]["error"]["code"] == "invalid_token", frames
    run_async(go())


def test_guest_hello(any_hooks_node):
    async def go():
        async with any_hooks_node.ws_connect() as ws:
            w = await ws_hello(ws)
            assert w == {"type": "welcome", "role": "guest"}
    run_async(go())


def test_participant_hello(any_hooks_node):
    reg = any_hooks_node.register("Sociable")

    async def go():
        async with any_hooks_node.ws_connect() as ws:
            w = await ws_hello(ws, reg["token"])
            assert w["type"] == "welcome"
            assert w["role"] == "participant"
            assert w["id"] == reg["id"] and ID_HEX.match(w["id"])
    run_async(go())


def test_staff_hello(any_hooks_node):
    n = any_hooks_node
    admin = n.admin_token()
    modo = n.staff_token("modo", "moderator")
    anim = n.staff_token("anim", "animator")

    async def go():
        for tok, role in ((admin, "admin"), (modo, "moderator"), (anim, "animator")):
            async with n.ws_connect() as ws:
                w = await ws_hello(ws, tok)
                assert w["type"] == "welcome" and w["role"] == role, w
    run_async(go())


def test_logged_out_staff_token_is_refused(hooks_node):
    n = hooks_node
    tok = n.login()
    assert n.post("/api/v1/admin/logout", token=tok).status == 204

    async def go():
        async with n.ws_connect() as ws:
            await ws_send(ws, {"type": "hello", "token": tok})
            frames, code = await ws_expect_close(ws)
            assert frames[0]["error"]["code"] == "invalid_token", frames
            assert code == 1008
    run_async(go())


# -- state channels (snapshots) ----------------------------------------------------

def test_subscribe_and_snapshot(any_hooks_node):
    n = any_hooks_node

    async def go():
        async with n.ws_connect() as ws:
            await ws_hello(ws)
            await ws_send(ws, {"type": "subscribe", "channel": BOARD})
            sub = await ws_recv(ws)
            assert sub["type"] == "subscribed" and sub["channel"] == BOARD, sub
            v0 = sub["version"]
            assert isinstance(v0, int) and v0 >= 0
            data = {"top": [{"nickname": "Élodie", "points": 120}], "n": 1}
            r = n.publish(BOARD, data)
            assert r.status == 202, r
            assert r.json == {"version": v0 + 1}
            snap = await ws_recv(ws)
            assert snap == {"type": "snapshot", "channel": BOARD, "version": v0 + 1,
                            "data": data}
            r = n.publish(BOARD, {"n": 2})
            assert r.json == {"version": v0 + 2}
            snap = await ws_recv(ws)
            assert snap["type"] == "snapshot" and snap["version"] == v0 + 2
            assert snap["data"] == {"n": 2}
    run_async(go())


def test_late_subscriber_gets_the_latest_snapshot(hooks_node):
    n = hooks_node
    for i in range(3):
        assert n.publish(BOARD, {"n": i}).status == 202

    async def go():
        async with n.ws_connect() as ws:
            await ws_hello(ws)
            await ws_send(ws, {"type": "subscribe", "channel": BOARD})
            sub = await ws_recv(ws)
            assert sub == {"type": "subscribed", "channel": BOARD, "version": 3}
            snap = await ws_recv(ws)
            assert snap == {"type": "snapshot", "channel": BOARD, "version": 3,
                            "data": {"n": 2}}
    run_async(go())


def test_participant_and_staff_may_subscribe(hooks_node):
    n = hooks_node
    reg = n.register("Abonne")

    async def go():
        for tok in (reg["token"], n.admin_token()):
            async with n.ws_connect() as ws:
                await ws_hello(ws, tok)
                await ws_send(ws, {"type": "subscribe", "channel": "leaderboard:co2e:team"})
                sub = await ws_recv(ws)
                assert sub["type"] == "subscribed", sub
    run_async(go())


# -- event-log channels ------------------------------------------------------------

def test_event_channel_order_and_resume(any_hooks_node):
    n = any_hooks_node
    ch = "test:events"

    async def go():
        async with n.ws_connect() as ws:
            await ws_hello(ws)
            await ws_send(ws, {"type": "subscribe", "channel": ch})
            sub = await ws_recv(ws)
            assert sub == {"type": "subscribed", "channel": ch, "seq": 0}, sub
            for i in range(1, 6):
                r = n.publish(ch, {"i": i, "text": f"événement {i}"})
                assert r.status == 202, r
                assert r.json == {"seq": i}
            got = await ws_collect_events(ws, ch, 5)
            assert got == [(i, {"i": i, "text": f"événement {i}"}) for i in range(1, 6)]

        async with n.ws_connect() as ws:
            await ws_hello(ws)
            await ws_send(ws, {"type": "subscribe", "channel": ch, "after": 2})
            sub = await ws_recv(ws)
            assert sub["type"] == "subscribed" and sub["seq"] == 5, sub
            got = await ws_collect_events(ws, ch, 3)
            assert [s for s, _ in got] == [3, 4, 5]
            assert [d["i"] for _, d in got] == [3, 4, 5]
            # Nothing more than asked for: the next frame answers our ping.
            await ws_send(ws, {"type": "ping"})
            assert await ws_recv(ws) == {"type": "pong"}

        async with n.ws_connect() as ws:
            await ws_hello(ws)
            await ws_send(ws, {"type": "subscribe", "channel": ch, "after": 0})
            await ws_recv(ws)
            got = await ws_collect_events(ws, ch, 5)
            assert [s for s, _ in got] == [1, 2, 3, 4, 5]
    run_async(go())


def test_event_channel_burst_is_delivered_in_order(hooks_node):
    n = hooks_node
    ch = "test:events"

    async def go():
        async with n.ws_connect() as ws:
            await ws_hello(ws)
            await ws_send(ws, {"type": "subscribe", "channel": ch})
            await ws_recv(ws)
            for i in range(1, 101):
                assert n.publish(ch, {"i": i}).status == 202
            got = await ws_collect_events(ws, ch, 100)
            assert [s for s, _ in got] == list(range(1, 101))
            assert [d["i"] for _, d in got] == list(range(1, 101))
    run_async(go())


def test_resume_too_far_back_is_lagging(make_node):
    n = make_node(config={"test_hooks": True, "ws_ring_size": 16})
    ch = "test:events"
    for i in range(1, 41):
        r = n.publish(ch, {"i": i})
        assert r.status == 202 and r.json == {"seq": i}, r

    async def go():
        async with n.ws_connect() as ws:
            await ws_hello(ws)
            await ws_send(ws, {"type": "subscribe", "channel": ch, "after": 1})
            f = await expect_error(ws, "lagging", ch)
            assert f["channel"] == ch
            # api.md: a subscribe whose `after` is older than the ring is refused
            # with `lagging`, but the connection stays usable: no events were
            # sent, and the client may subscribe again without `after`.
            await ws_send(ws, {"type": "ping"})
            pong = await ws_recv(ws)
            assert pong == {"type": "pong"}, pong
            await ws_send(ws, {"type": "subscribe", "channel": ch})
            sub = await ws_recv(ws)
            assert sub["type"] == "subscribed" and sub["seq"] == 40, sub
        # A resume within the ring still works.
        async with n.ws_connect() as ws:
            await ws_hello(ws)
            await ws_send(ws, {"type": "subscribe", "channel": ch, "after": 30})
            sub = await ws_recv(ws)
            assert sub["type"] == "subscribed", sub
            got = await ws_collect_events(ws, ch, 10)
            assert [s for s, _ in got] == list(range(31, 41))
    run_async(go())


def test_event_channel_absent_without_test_hooks(make_node):
    n = make_node()

    async def go():
        async with n.ws_connect() as ws:
            await ws_hello(ws)
            await ws_send(ws, {"type": "subscribe", "channel": "test:events"})
            await expect_error(ws, "unknown_channel", "test:events")
    run_async(go())


# -- other client frames -----------------------------------------------------------

@pytest.mark.parametrize("channel", ["nope", "leaderboard:points:galaxy", "leaderboard:points",
                                     "workshop:999", "LEADERBOARD:points:individual"])
def test_unknown_channel(hooks_node, channel):
    async def go():
        async with hooks_node.ws_connect() as ws:
            await ws_hello(ws)
            await ws_send(ws, {"type": "subscribe", "channel": channel})
            await expect_error(ws, "unknown_channel", channel)
            # The connection stays usable.
            await ws_send(ws, {"type": "ping"})
            assert await ws_recv(ws) == {"type": "pong"}
    run_async(go())


def test_unsubscribe(any_hooks_node):
    n = any_hooks_node

    async def go():
        async with n.ws_connect() as ws:
            await ws_hello(ws)
            await ws_send(ws, {"type": "subscribe", "channel": BOARD})
            assert (await ws_recv(ws))["type"] == "subscribed"
            await ws_send(ws, {"type": "unsubscribe", "channel": BOARD})
            assert await ws_recv(ws) == {"type": "unsubscribed", "channel": BOARD}
            assert n.publish(BOARD, {"after": "unsubscribe"}).status == 202
            # No snapshot arrives: the next frame is the answer to our ping.
            await ws_send(ws, {"type": "ping"})
            assert await ws_recv(ws) == {"type": "pong"}
            # Unsubscribing again: not subscribed.
            await ws_send(ws, {"type": "unsubscribe", "channel": BOARD})
            f = await ws_recv(ws)
            assert f["type"] == "error", f
    run_async(go())


def test_ping_pong(any_hooks_node):
    async def go():
        async with any_hooks_node.ws_connect() as ws:
            await ws_hello(ws)
            for _ in range(3):
                await ws_send(ws, {"type": "ping"})
                assert await ws_recv(ws) == {"type": "pong"}
    run_async(go())


@pytest.mark.parametrize("frame,code", [
    ("{not json", "malformed_json"),
    ('{"type":"ping"} trailing', "malformed_json"),
    ('["ping"]', "malformed_json"),
    ('{"type":"dance"}', "unknown_type"),
    ('{"type":"ping","extra":1}', "unknown_field"),
    ('{"type":"subscribe"}', "missing_field"),
    ('{"type":"subscribe","channel":5}', "wrong_type"),
    ('{"type":"subscribe","channel":"leaderboard:points:individual","after":"2"}', "wrong_type"),
    ('{"channel":"leaderboard:points:individual"}', "missing_field"),
], ids=["garbage", "trailing", "array", "unknown-type", "unknown-field", "missing-channel",
        "channel-number", "after-string", "no-type"])
def test_bad_client_frames(hooks_node, frame, code):
    async def go():
        async with hooks_node.ws_connect() as ws:
            await ws_hello(ws)
            await ws.send(frame)
            await expect_error(ws, code)
            await ws_send(ws, {"type": "ping"})
            assert await ws_recv(ws) == {"type": "pong"}
    run_async(go())


def test_message_at_the_cap_is_accepted(hooks_node):
    async def go():
        async with hooks_node.ws_connect() as ws:
            await ws_hello(ws)
            msg = '{"type":"ping"}'
            await ws.send(msg + " " * (4096 - len(msg)))
            assert await ws_recv(ws) == {"type": "pong"}
    run_async(go())


def test_message_over_4k_closes_1009(any_hooks_node):
    async def go():
        async with any_hooks_node.ws_connect() as ws:
            await ws_hello(ws)
            msg = json.dumps({"type": "subscribe", "channel": "x" * 5000})
            await ws.send(msg)
            frames, code = await ws_expect_close(ws)
            assert frames and frames[0]["type"] == "error", frames
            assert frames[0]["error"]["code"] == "message_too_large"
            assert code == 1009, code
    run_async(go())


def test_fragmented_message_over_4k_closes_1009(hooks_node):
    async def go():
        async with hooks_node.ws_connect() as ws:
            await ws_hello(ws)
            hold = asyncio.Event()

            async def fragments():
                # 6 KiB in three fragments, then hold the final one back: the
                # server must refuse on what it has received so far.
                for _ in range(3):
                    yield '{"type":"ping","pad":"' + "p" * 2000
                await hold.wait()
                yield '"}'

            sender = asyncio.ensure_future(ws.send(fragments()))
            try:
                frames, code = await ws_expect_close(ws)
            finally:
                sender.cancel()
                try:
                    await sender
                except (asyncio.CancelledError, websockets.exceptions.ConnectionClosed):
                    pass
            assert frames and frames[0]["error"]["code"] == "message_too_large", frames
            assert code == 1009, code
    run_async(go())


def test_fragmented_message_under_the_cap(hooks_node):
    async def go():
        async with hooks_node.ws_connect() as ws:
            await ws_hello(ws)
            await ws.send(iter(['{"type":', '"ping"', "}"]))
            assert await ws_recv(ws) == {"type": "pong"}
    run_async(go())


def test_binary_frame_closes_1003(any_hooks_node):
    async def go():
        async with any_hooks_node.ws_connect() as ws:
            await ws_hello(ws)
            await ws.send(b'{"type":"ping"}')
            frames, code = await ws_expect_close(ws)
            assert not any(isinstance(f, dict) and f.get("type") == "pong" for f in frames)
            assert code == 1003, code
    run_async(go())


def test_too_many_channels(make_node):
    n = make_node(config={"test_hooks": True, "ws_max_subscriptions": 3})

    async def go():
        async with n.ws_connect() as ws:
            await ws_hello(ws)
            for ch in ALL_PUBLIC[:3]:
                await ws_send(ws, {"type": "subscribe", "channel": ch})
                assert (await ws_reply(ws))["type"] == "subscribed"
            await ws_send(ws, {"type": "subscribe", "channel": ALL_PUBLIC[3]})
            await expect_error(ws, "too_many_channels", ALL_PUBLIC[3])
            # Freeing a slot allows a new subscription.
            await ws_send(ws, {"type": "unsubscribe", "channel": ALL_PUBLIC[0]})
            assert (await ws_reply(ws))["type"] == "unsubscribed"
            await ws_send(ws, {"type": "subscribe", "channel": ALL_PUBLIC[3]})
            assert (await ws_reply(ws))["type"] == "subscribed"
    run_async(go())


def test_default_limit_allows_every_channel(hooks_node):
    """With the default 16 subscriptions, every channel that exists today (7)
    can be held at once (17 distinct channels do not exist yet)."""
    async def go():
        async with hooks_node.ws_connect() as ws:
            await ws_hello(ws)
            for ch in ALL_PUBLIC + ["test:events"]:
                await ws_send(ws, {"type": "subscribe", "channel": ch})
                sub = await ws_reply(ws)
                assert sub["type"] == "subscribed" and sub["channel"] == ch, sub
    run_async(go())


def test_message_flood_is_rate_limited(any_hooks_node):
    async def go():
        async with any_hooks_node.ws_connect() as ws:
            await ws_hello(ws)
            limited = False
            # Pings in small groups, reading every answer: a flood well above any
            # sane rate that still reads its replies.
            for _ in range(50):
                for _ in range(4):
                    await ws_send(ws, {"type": "ping"})
                for _ in range(4):
                    f = await ws_recv(ws)
                    if f.get("type") == "error":
                        assert f["error"]["code"] == "rate_limited", f
                        limited = True
                    else:
                        assert f == {"type": "pong"}, f
                if limited:
                    break
            assert limited, "200 pings without a rate_limited error"
    run_async(go())


# -- the debug publish hook --------------------------------------------------------

def test_debug_publish_is_404_without_test_hooks(make_node):
    n = make_node()
    r = n.publish(BOARD, {"x": 1})
    assert_error(r, 404, "not_found")


def test_debug_publish_is_403_for_moderator_and_animator(hooks_node):
    n = hooks_node
    for role in ("moderator", "animator"):
        tok = n.staff_token(f"user-{role}", role)
        assert_error(n.publish(BOARD, {"x": 1}, token=tok), 403, "forbidden")
    # Nothing was published: the next version is 1.
    assert n.publish(BOARD, {"x": 2}).json == {"version": 1}


def test_debug_publish_needs_staff(hooks_node):
    n = hooks_node
    reg = n.register("Curieux")
    assert_error(n.publish(BOARD, {"x": 1}, token=reg["token"]), 401, "invalid_token")
    r = n.post("/api/v1/admin/debug/publish", {"channel": BOARD, "data": {"x": 1}})
    assert_error(r, 401, "missing_token")


def test_debug_publish_bad_body(hooks_node):
    n = hooks_node
    tok = n.admin_token()
    assert_error(n.post("/api/v1/admin/debug/publish", {"channel": BOARD}, token=tok), 422,
                 "missing_field")
    assert_error(n.post("/api/v1/admin/debug/publish", {"channel": BOARD, "data": [1]},
                        token=tok), 422, "wrong_type")
    assert n.publish(BOARD, {"ok": True}).json == {"version": 1}
