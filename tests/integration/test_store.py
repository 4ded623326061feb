"""Durability: restarts, kill -9 after acknowledged writes, a full LMDB map."""

import re

from conftest import assert_error


def test_data_survives_a_restart(node):
    a = node.register("Persistant", neighbourhood="Les Arches", household_size=3, lang="en")
    b = node.register("Durable")
    r = node.request("PATCH", "/api/v1/me", body={"hidden": True}, token=b["token"])
    assert r.status == 200, r
    admin = node.admin_token()
    r = node.post("/api/v1/admin/denylist", {"word": "interdit"}, token=admin)
    assert r.status == 201, r
    profile_a = node.get("/api/v1/me", token=a["token"]).json
    profile_b = node.get("/api/v1/me", token=b["token"]).json

    node.restart()

    assert node.get("/api/v1/me", token=a["token"]).json == profile_a
    assert node.get("/api/v1/me", token=b["token"]).json == profile_b
    assert profile_b["hidden"] is True
    # Staff sessions survive too, and so does the deny-list.
    assert node.get("/api/v1/admin/session", token=admin).status == 200
    assert "interdit" in node.get("/api/v1/admin/denylist", token=admin).json["words"]
    assert node.stats()["participants"] == 2
    assert_error(node.post("/api/v1/participants", {"nickname": "Persistant"}), 409,
                 "nickname_taken")


def test_acknowledged_registrations_survive_kill_9(make_node):
    n = make_node()
    acked = []
    for i in range(50):
        r = n.post("/api/v1/participants", {"nickname": f"Kill{i:02d}", "household_size": 2})
        assert r.status == 201, r
        acked.append(r.json)
    # Also an acknowledged erase and an acknowledged edit.
    assert n.request("DELETE", "/api/v1/me", token=acked[0]["token"]).status == 204
    r = n.request("PATCH", "/api/v1/me", body={"household_size": 7}, token=acked[1]["token"])
    assert r.status == 200, r
    n.kill9()

    n.start()
    assert_error(n.get("/api/v1/me", token=acked[0]["token"]), 401, "invalid_token")
    for reg in acked[1:]:
        r = n.get("/api/v1/me", token=reg["token"])
        assert r.status == 200, (reg["nickname"], r)
        assert r.json["id"] == reg["id"]
        assert r.json["nickname"] == reg["nickname"]
    assert n.get("/api/v1/me", token=acked[1]["token"]).json["household_size"] == 7
    assert n.stats()["participants"] == 49


def test_storage_full_gives_507_and_reads_keep_working(make_node):
    # The per-address registration limit tops out at a burst of 1000: spread
    # the registrations over many (proxied) client addresses instead.
    n = make_node(config={"map_size_mb": 1, "trust_proxy": True})
    first = n.register("Premier")
    n.admin_token()  # log in while there is room: a login writes a session
    status = None
    registered = 1
    for i in range(20000):
        fwd = {"X-Forwarded-For": f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}"}
        r = n.post("/api/v1/participants", {"nickname": f"Plein{i}"}, headers=fwd)
        if r.status != 201:
            status = r
            break
        registered += 1
    assert status is not None, "the 1 MiB map never filled up"
    assert_error(status, 507, "storage_full")
    assert registered > 10
    # Reads keep working and the refused write changed nothing.
    r = n.get("/api/v1/me", token=first["token"])
    assert r.status == 200, r
    assert r.json["nickname"] == "Premier"
    # api.md: /healthz says 503 storage_full while the store cannot write.
    h = n.get("/healthz")
    assert h.status == 503, h
    assert h.json["status"] == "storage_full"
    # The refused registration changed nothing.
    assert n.stats()["participants"] == registered
    assert re.search(r"level=error event=storage_full", n.log()), n.log_tail()
    # A restart on the full store still serves.
    n.restart()
    assert n.get("/api/v1/me", token=first["token"]).status == 200
