"""The staff consoles' subprotocol zcnode.v1.presenter: the same frames, read in
larger pieces; only staff sessions may say hello on it."""
import json

from conftest import run_async, ws_hello, ws_recv

PRESENTER = ("zcnode.v1.presenter",)


def test_staff_console_on_the_presenter_protocol(make_node):
    n = make_node()
    token = n.admin_token()

    async def go():
        async with n.ws_connect(subprotocols=PRESENTER) as ws:
            assert ws.subprotocol == "zcnode.v1.presenter"
            welcome = await ws_hello(ws, token)
            assert welcome["role"] == "admin", welcome
            await ws.send(json.dumps({"type": "ping"}))
            assert (await ws_recv(ws))["type"] == "pong"
    run_async(go())


def test_presenter_protocol_refuses_participants_and_guests(make_node):
    n = make_node()
    p = n.register("Pas Staff")

    async def refused(token):
        async with n.ws_connect(subprotocols=PRESENTER) as ws:
            await ws.send(json.dumps({"type": "hello", **({"token": token} if token else {})}))
            f = await ws_recv(ws)
            assert f["type"] == "error" and f["error"]["code"] == "forbidden", f
            await ws.wait_closed()
            assert ws.close_code == 1008
    run_async(refused(p["token"]))
    run_async(refused(None))
