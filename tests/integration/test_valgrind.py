"""Start-up, a little traffic and shutdown under valgrind (`make valgrind-check`
runs just this file): no invalid access, no definite leak, exit status 0."""

import re
import shutil

import pytest

from conftest import ZCNODE_BIN, is_sanitizer_build, run_async, ws_hello, ws_recv, ws_send


@pytest.mark.skipif(is_sanitizer_build(ZCNODE_BIN),
                    reason="ZCNODE_BIN is the ASan/UBSan build: valgrind cannot run a "
                           "sanitizer-instrumented binary (ASan checks leaks there instead)")
@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_node_under_valgrind(make_node, tmp_path):
    vg_log = tmp_path / "valgrind.log"
    n = make_node(start=False, config={"test_hooks": True})
    n.start(prefix=["valgrind", "--error-exitcode=99", "--leak-check=full",
                    "--errors-for-leak-kinds=definite", "--show-leak-kinds=definite",
                    f"--log-file={vg_log}"], ready_timeout=60)

    h = n.get("/healthz")
    assert h.status == 200 and h.json["status"] == "ok", h
    reg = n.register("Valgrind")
    me = n.get("/api/v1/me", token=reg["token"])
    assert me.status == 200 and me.json["id"] == reg["id"], me
    assert n.get("/api/v1/me", token="zcp_" + "A" * 43).status == 401
    assert n.post("/api/v1/participants", {"nickname": "x"}).status == 422

    async def ws():
        async with n.ws_connect() as w:
            welcome = await ws_hello(w, reg["token"])
            assert welcome["role"] == "participant", welcome
            await ws_send(w, {"type": "subscribe", "channel": "test:state"})
            sub = await ws_recv(w, timeout=20)
            assert sub["type"] == "subscribed", sub
            assert n.publish("test:state", {"n": 1}).status == 202
            snap = await ws_recv(w, timeout=20)
            assert snap["type"] == "snapshot" and snap["data"] == {"n": 1}, snap
            # A real board too: rendered from the in-memory boards and the store.
            await ws_send(w, {"type": "subscribe", "channel": "leaderboard:points:individual"})
            frames = [await ws_recv(w, timeout=20) for _ in range(2)]
            assert frames[0]["type"] == "subscribed", frames
            assert frames[1]["type"] == "snapshot", frames
            assert frames[1]["data"]["board"] == "points", frames
            assert [e["name"] for e in frames[1]["data"]["entries"]] == ["Valgrind"], frames

    run_async(ws())
    rc = n.stop(expect=None)
    report = vg_log.read_text(errors="replace")
    assert rc == 0, f"exit status {rc} under valgrind\n{report[-6000:]}"
    m = re.search(r"definitely lost: ([\d,]+) bytes", report)
    assert m is None or m.group(1) == "0", report[-6000:]
    assert re.search(r"ERROR SUMMARY: 0 errors", report), report[-6000:]
    assert "event=stopped" in n.log()
