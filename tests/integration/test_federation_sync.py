"""Federation (zcfed/1) between real nodes: three cities converge, a node that was
down catches up, statements relay through a third city, a partition heals, and
the `intercity` WebSocket channel follows. Every node runs the real binary with
its own data dir; they pin one another's identity keys and TLS keys."""

import asyncio
import json
import re
import time

from conftest import run_async, run_cli, ws_hello, ws_recv, ws_send
from fedutil import (CONVERGE_TIMEOUT, LAST_WEEK, TestPeer, all_verified, b64u_dec, cities,
                     fed_status, federation, federation_show, free_port, heads, keyid_of,
                     peer_state, publish_ok, wait_until)

NAMES = ["issy", "vanves", "malakoff"]


def held(tp, n, origin):
    """The envelopes node n holds for origin, read over mutual TLS as peer tp."""
    r = tp.log_page(n, origin)
    assert r.status == 200, (n.name, origin, r)
    page = r.json
    assert page["origin"] == origin and page["head"] == len(page["entries"]), page
    return page["entries"]


def assert_same_logs(fed, tp, origins, envelopes):
    """Every node holds exactly the envelopes each origin signed (same bytes, as
    the origin's publish returned them), and nothing else."""
    for name, n in fed.nodes.items():
        assert heads(n) == {o: 1 for o in origins}, (name, heads(n))
        for o in origins:
            assert held(tp, n, o) == [envelopes[o]], (name, o)


def test_three_nodes_converge(make_node, tmp_path):
    tp = TestPeer(tmp_path)  # a pinned reader of every node's logs; never answers
    # Pulls only at start (then hourly): what spreads the statements is the push.
    fed = federation(make_node, NAMES, extra_peers=[tp.peer_line()],
                     config={"fed_pull_interval_s": 3600})
    for name in NAMES:
        assert fed_status(fed[name])["logs"] == [], name
        assert cities(fed[name]) == {}, name

    envelopes = {}
    for name in NAMES:
        doc = publish_ok(fed[name], LAST_WEEK)
        assert doc["week"] == LAST_WEEK and doc["seq"] == 1, doc
        envelopes[name] = doc["envelope"]
    fed.wait_all_verified(NAMES)

    for name in NAMES:
        board = cities(fed[name])
        assert set(board) == set(NAMES), (name, board)
        for origin, row in board.items():
            assert row["own"] == (origin == name), (name, row)
            assert row["city"] == "Issy-les-Moulineaux" and row["population"] == 70000, row
            assert (row["last_week"], row["weeks"], row["status"]) == (LAST_WEEK, 1,
                                                                     "verified"), row
        # Each peer was reached, and nothing waits to be pushed to the cities.
        for origin in NAMES:
            if origin != name:
                wait_until(lambda: peer_state(fed[name], origin)["queued"] == 0,
                           f"{name}'s queue for {origin} to empty")
                assert peer_state(fed[name], origin)["last_ok"] > 0
    assert_same_logs(fed, tp, NAMES, envelopes)


def test_a_node_down_during_a_publish_catches_up_when_it_restarts(make_node, tmp_path):
    # Pushes are retried after a failure only after 150-300 s here, and pulls
    # are hourly, so what brings malakoff up to date within the test is its
    # pull at start (and the peers' queues that its requests wake).
    tp = TestPeer(tmp_path)
    fed = federation(make_node, NAMES, extra_peers=[tp.peer_line()],
                     config={"fed_backoff_min_s": 300, "fed_backoff_max_s": 300,
                             "fed_pull_interval_s": 3600})
    fed.stop("malakoff")
    doc = publish_ok(fed["issy"], LAST_WEEK)
    fed.wait_all_verified(["issy"], among=["issy", "vanves"])
    # issy could not deliver to malakoff: it failed and backs off.
    wait_until(lambda: peer_state(fed["issy"], "malakoff")["failures"] >= 1,
               "issy to fail to reach malakoff")
    assert peer_state(fed["issy"], "malakoff")["next_attempt_in_s"] >= 100

    fed.start("malakoff")
    fed.wait_all_verified(["issy"], among=["malakoff"])
    assert heads(fed["malakoff"]) == {"issy": 1}
    assert held(tp, fed["malakoff"], "issy") == [doc["envelope"]]


def test_statements_relay_through_a_third_city(make_node, tmp_path):
    # issy and malakoff never talk: issy does not know malakoff, and malakoff
    # pins issy's identity but reaches it at an address where nothing listens.
    tp = TestPeer(tmp_path)
    nowhere = f"https://127.0.0.1:{free_port()}"
    fed = federation(make_node, NAMES, extra_peers=[tp.peer_line()],
                     peers={"issy": ["vanves"], "vanves": ["issy", "malakoff"],
                            "malakoff": ["vanves", ("issy", {"url": nowhere})]})
    doc = publish_ok(fed["issy"], LAST_WEEK)
    fed.wait_all_verified(["issy"], among=["malakoff"])
    assert held(tp, fed["malakoff"], "issy") == [doc["envelope"]]
    st = peer_state(fed["malakoff"], "issy")
    assert st["last_ok"] == 0 and st["failures"] >= 1 and st["last_error"], st

    # A city that issy does not pin never enters issy's logs, even relayed by vanves.
    mdoc = publish_ok(fed["malakoff"], LAST_WEEK)
    fed.wait_all_verified(["malakoff"], among=["vanves"])
    assert held(tp, fed["vanves"], "malakoff") == [mdoc["envelope"]]
    wait_until(lambda: peer_state(fed["vanves"], "issy")["queued"] == 0,
               "vanves to hand malakoff's statement to issy")
    assert "malakoff" not in heads(fed["issy"])
    assert "malakoff" not in cities(fed["issy"])


def test_partition_then_heal(make_node, tmp_path):
    tp = TestPeer(tmp_path)
    fed = federation(make_node, NAMES, extra_peers=[tp.peer_line()])
    fed.stop("vanves")
    envelopes = {o: publish_ok(fed[o], LAST_WEEK)["envelope"] for o in ("issy", "malakoff")}
    fed.wait_all_verified(["issy", "malakoff"], among=["issy", "malakoff"])
    fed.start("vanves")
    fed.wait_all_verified(["issy", "malakoff"], among=["vanves"])
    envelopes["vanves"] = publish_ok(fed["vanves"], LAST_WEEK)["envelope"]
    fed.wait_all_verified(NAMES)
    assert_same_logs(fed, tp, NAMES, envelopes)
    # The three boards agree, but for `own` and when each node stored the statements.
    def board(name):
        return {o: {k: v for k, v in row.items() if k not in ("own", "updated_at")}
                for o, row in cities(fed[name]).items()}
    assert board("vanves") == board("issy") == board("malakoff")

def test_intercity_channel_sends_snapshots(make_node):
    fed = federation(make_node, ["issy", "vanves"])
    a = fed["issy"]

    async def go():
        async with a.ws_connect() as ws:
            await ws_hello(ws)
            await ws_send(ws, {"type": "subscribe", "channel": "intercity"})
            sub = await ws_recv(ws)
            assert sub["type"] == "subscribed" and sub["channel"] == "intercity", sub
            first = await ws_recv(ws)
            assert first["type"] == "snapshot" and first["data"]["cities"] == [], first
            # The peer's publish reaches this node by push: no request to it.
            await asyncio.get_running_loop().run_in_executor(
                None, publish_ok, fed["vanves"], LAST_WEEK)
            deadline = time.monotonic() + CONVERGE_TIMEOUT
            while True:
                snap = await ws_recv(ws, timeout=max(0.1, deadline - time.monotonic()))
                assert snap["type"] == "snapshot" and snap["channel"] == "intercity", snap
                assert snap["version"] > first["version"], snap
                rows = {c["origin"]: c for c in snap["data"]["cities"]}
                if "vanves" in rows:
                    assert rows["vanves"]["status"] == "verified", rows
                    assert rows["vanves"]["own"] is False
                    return snap["data"]
    data = run_async(go())
    # The snapshot is what GET /api/v1/intercity says.
    assert json.loads(json.dumps(data)) == a.get("/api/v1/intercity").json
    assert all_verified(a, ["vanves"])


def test_identity_key_rotation(make_node):
    """rotate-key: the node signs with both keys and partners that pin only the
    old one still accept; partners then pin both; finish-rotation: statements
    name the new key, and the old ones still verify (the node pulls its own
    log back through them, and a partner pinning NEW,OLD accepts them all)."""
    fed = federation(make_node, ["issy", "vanves"])
    issy, vanves = fed["issy"], fed["vanves"]
    publish_ok(issy, "2026-W45")
    wait_until(lambda: heads(vanves).get("issy") == 1, "W45 at vanves")

    issy.stop()
    out = run_cli("federation", "rotate-key", "--data-dir", issy.data_dir, "--config",
                  issy.conf_path, check=0).stdout
    new_key = re.search(r"next identity key: (\S+)", out).group(1)
    assert run_cli("federation", "rotate-key", "--data-dir", issy.data_dir).returncode == 1
    show = federation_show(issy)
    assert show["next_identity_key"] == new_key
    fed.start("issy")
    doc = publish_ok(issy, "2026-W46")
    sigs = doc["envelope"]["signatures"]
    assert sorted(s["keyid"] for s in sigs) == sorted(
        [show["keyid"], keyid_of(b64u_dec(new_key))])
    wait_until(lambda: heads(vanves).get("issy") == 2, "W46 (two signatures) at vanves")

    # Vanves pins both keys, then issy finishes the rotation.
    old_key = show["identity_key"]
    vanves.stop()
    vanves.config["peer"] = [l.replace(old_key, f"{old_key},{new_key}")
                             for l in vanves.config["peer"]]
    vanves.write_config()
    fed.start("vanves")
    issy.stop()
    run_cli("federation", "finish-rotation", "--data-dir", issy.data_dir, check=0)
    show = federation_show(issy)
    assert show["identity_key"] == new_key and show["previous_identity_key"] == old_key
    assert f"{new_key},{old_key}" in show["peer"]
    fed.start("issy")
    doc = publish_ok(issy, "2026-W47")
    assert [s["keyid"] for s in doc["envelope"]["signatures"]] == [keyid_of(b64u_dec(new_key))]
    assert json.loads(b64u_dec(doc["envelope"]["payload"]))["keyid"] == keyid_of(
        b64u_dec(new_key))
    wait_until(lambda: heads(vanves).get("issy") == 3, "W47 (new key) at vanves")
    assert cities(vanves)["issy"]["status"] == "verified"
