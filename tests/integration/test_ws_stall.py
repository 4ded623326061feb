"""A client that never reads: the node drops it once its data went
unacknowledged for ws_stall_timeout_s, holds a bounded send buffer meanwhile,
and the other subscribers receive every event in time."""
import asyncio
import base64
import json
import os
import re
import socket
import struct
import time

from conftest import run_async, ws_hello, ws_recv


def ws_connections(n):
    m = re.search(r"^zcnode_ws_connections (\d+)$", n.metrics(), re.M)
    assert m, "zcnode_ws_connections missing from /metrics"
    return int(m.group(1))


def masked_text(payload):
    data = payload.encode()
    mask = os.urandom(4)
    head = bytes([0x81])
    if len(data) < 126:
        head += bytes([0x80 | len(data)])
    else:
        head += bytes([0x80 | 126]) + struct.pack("!H", len(data))
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data))


def stalled_subscriber(n, channel):
    """A raw WebSocket with a tiny receive buffer that subscribes, then never
    reads again."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", n.port))
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{n.port}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
               f"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: zcnode.v1\r\n\r\n").encode())
    s.settimeout(5)
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf += s.recv(4096)
    assert buf.startswith(b"HTTP/1.1 101"), buf[:200]
    s.sendall(masked_text(json.dumps({"type": "hello"})))
    s.sendall(masked_text(json.dumps({"type": "subscribe", "channel": channel})))
    while b"subscribed" not in buf:
        buf += s.recv(4096)
    return s


def test_a_client_that_never_reads_is_dropped(make_node):
    n = make_node(config={"test_hooks": True, "ws_stall_timeout_s": 2,
                          "max_body_bytes": 65536})
    stalled = stalled_subscriber(n, "test:events")
    events = 120
    text = "x" * 30000  # 120 events of ~30 KB: far more than both buffers hold

    async def reader_and_publisher():
        async with n.ws_connect() as ws:
            await ws_hello(ws)
            await ws.send(json.dumps({"type": "subscribe", "channel": "test:events"}))
            sub = await ws_recv(ws)
            assert sub["type"] == "subscribed", sub
            assert ws_connections(n) == 2
            got = []
            loop = asyncio.get_running_loop()
            for i in range(events):
                r = await loop.run_in_executor(None, n.publish, "test:events",
                                               {"i": i, "text": text})
                assert r.status == 202, r
                while len(got) <= i:  # the reader keeps up, one event at a time
                    f = await ws_recv(ws)
                    items = f["events"] if f["type"] == "batch" else [f]
                    got += [e["data"]["i"] for e in items]
            assert got == list(range(events))
            # The stalled one goes once the timeout passed; this one stays.
            deadline = time.monotonic() + 20
            while ws_connections(n) > 1 and time.monotonic() < deadline:
                await asyncio.sleep(0.25)
            assert ws_connections(n) == 1, n.log_tail()
            await ws.send(json.dumps({"type": "ping"}))
            assert (await ws_recv(ws))["type"] == "pong"
    run_async(reader_and_publisher())
    stalled.close()
