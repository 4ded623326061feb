"""A node's inbox under attack (zcfed/1): forged, tampered, unknown-key,
replayed, equivocating, non-canonical, oversized, future-dated and gapped
statements from a pinned peer. Each is answered with its code, and the node's
state (log heads, the peer's log, equivocation proofs, the inter-city board) is
exactly what it was, except where storing a proof is the point."""

import json
import socket

import pytest

from conftest import assert_error
from fedutil import (BATCH_MAX, BODY_MAX, EARLIER_WEEK, FUTURE_SKEW_S, LAST_WEEK, Signer,
                     TestPeer, b64u, b64u_dec, canon, cities, client_context, fed_status,
                     federation, now_of, publish_ok)


@pytest.fixture
def target(make_node, tmp_path):
    """issy, which pins the test's peer `testpeer` (seq 1 already accepted)."""
    tp = TestPeer(tmp_path)
    fed = federation(make_node, ["issy"], extra_peers=[tp.peer_line()])
    n = fed["issy"]
    publish_ok(n, LAST_WEEK)  # so the board has a row of the node's own
    t = now_of(fed.clock) - 60
    p1, e1 = tp.sign(tp.statement(1, EARLIER_WEEK, t))
    r = tp.post_inbox(n, [e1])
    assert r.status == 200 and r.json == {
        "results": [{"origin": "testpeer", "result": "accepted", "seq": 1}]}, r
    tp.p1, tp.e1, tp.t = p1, e1, t
    tp.clock = fed.clock
    return n, tp


def state(n, tp):
    """Everything an attack could change."""
    st = fed_status(n)
    page = tp.log_page(n, "testpeer")
    assert page.status == 200, page
    return {"logs": st["logs"], "equivocations": st["equivocations"],
            "ledger": st["privacy_ledger"], "page": page.body,
            "board": n.get("/api/v1/intercity").json}


def offer(n, tp, env, code, result="rejected"):
    """Sends one envelope; checks its one result and that nothing changed."""
    before = state(n, tp)
    r = tp.post_inbox(n, [env])
    assert r.status == 200, r
    assert canon(r.json) == r.body  # the reply is canonical JSON too
    [res] = r.json["results"]
    assert res["result"] == result and res.get("code") == code, (code, res)
    assert state(n, tp) == before, f"{code}: the node's state changed"
    return res


def tampered(env, **fields):
    """env with its payload's fields changed after signing (still canonical JSON)."""
    stmt = json.loads(b64u_dec(env["payload"]))
    stmt.update(fields)
    return {**env, "payload": b64u(canon(stmt))}


def test_forged_signature(target):
    n, tp = target
    _, e2 = tp.sign(tp.statement(2, LAST_WEEK, tp.t, prev_payload=tp.p1))
    sig = bytearray(b64u_dec(e2["signatures"][0]["sig"]))
    sig[10] ^= 0x01
    forged = {**e2, "signatures": [{**e2["signatures"][0], "sig": b64u(bytes(sig))}]}
    res = offer(n, tp, forged, "bad_signature")
    assert (res["origin"], res["seq"]) == ("testpeer", 2)
    # The genuine one is accepted: the refusal was the signature's.
    r = tp.post_inbox(n, [e2])
    assert r.json["results"] == [{"origin": "testpeer", "result": "accepted", "seq": 2}], r


@pytest.mark.parametrize("field,value,code", [
    ("seq", 3, "bad_signature"),
    ("prev", b64u(b"\x07" * 32), "bad_signature"),
    ("week", "2026-W45", "bad_signature"),
    ("metrics", {"active": 999, "attendance_online": 12, "attendance_physical": 7,
                 "checkins": 900, "co2e_avoided_g": 99999999, "waste_avoided_g": 45678},
     "bad_signature"),
    ("population", 5000000, "bad_signature"),
    ("issued_at", 1, "bad_signature"),
    # Claimed for the node's own city: testpeer's key never signs for issy.
    ("origin", "issy", "unknown_key"),
    # Claimed for a city the node does not pin at all.
    ("origin", "paris", "unknown_origin"),
])
def test_tampered_after_signing(target, field, value, code):
    n, tp = target
    _, e2 = tp.sign(tp.statement(2, LAST_WEEK, tp.t, prev_payload=tp.p1))
    offer(n, tp, tampered(e2, **{field: value}), code)
    r = tp.post_inbox(n, [e2])
    assert r.json["results"] == [{"origin": "testpeer", "result": "accepted", "seq": 2}], r


def test_unknown_key(target):
    n, tp = target
    intruder = Signer()
    # Signed by a key the node does not pin, under its own key id…
    stmt = tp.statement(2, LAST_WEEK, tp.t, prev_payload=tp.p1)
    stmt["keyid"] = intruder.keyid
    payload = canon(stmt)
    offer(n, tp, intruder.envelope(payload), "unknown_key")
    # …or under testpeer's key id.
    payload = canon(tp.statement(2, LAST_WEEK, tp.t, prev_payload=tp.p1))
    offer(n, tp, intruder.envelope(payload, keyid=tp.signer.keyid), "bad_signature")


def test_replay_is_a_duplicate_with_no_change(target):
    n, tp = target
    before = state(n, tp)
    for _ in range(2):
        res = offer(n, tp, tp.e1, None, result="duplicate")
        assert (res["origin"], res["seq"]) == ("testpeer", 1)
    # Also within one batch, next to a new statement.
    _, e2 = tp.sign(tp.statement(2, LAST_WEEK, tp.t, prev_payload=tp.p1))
    r = tp.post_inbox(n, [tp.e1, e2, e2])
    assert r.json["results"] == [
        {"origin": "testpeer", "result": "duplicate", "seq": 1},
        {"origin": "testpeer", "result": "accepted", "seq": 2},
        {"origin": "testpeer", "result": "duplicate", "seq": 2}], r
    assert state(n, tp)["page"] != before["page"]


def test_bad_prev_gap_and_future(target):
    n, tp = target
    # A chain that does not hold: seq 2 naming another payload as its previous.
    _, e = tp.sign(tp.statement(2, LAST_WEEK, tp.t, prev_payload=b"another payload"))
    offer(n, tp, e, "bad_prev")
    # A gap: seq 3 while the head is 1.
    _, e = tp.sign(tp.statement(3, LAST_WEEK, tp.t, prev_payload=tp.p1))
    res = offer(n, tp, e, "gap")
    assert (res["origin"], res["seq"]) == ("testpeer", 3)
    # Issued 10 minutes ahead of the node's clock; 4 minutes is within the skew.
    now = now_of(tp.clock)
    _, e = tp.sign(tp.statement(2, LAST_WEEK, now + 600, prev_payload=tp.p1))
    offer(n, tp, e, "issued_in_future")
    _, e = tp.sign(tp.statement(2, LAST_WEEK, now + FUTURE_SKEW_S - 60, prev_payload=tp.p1))
    r = tp.post_inbox(n, [e])
    assert r.json["results"] == [{"origin": "testpeer", "result": "accepted", "seq": 2}], r


def test_non_canonical_payloads(target):
    n, tp = target
    stmt = tp.statement(2, LAST_WEEK, tp.t, prev_payload=tp.p1)
    good = canon(stmt)
    spaced = json.dumps(stmt, sort_keys=True, ensure_ascii=False).encode()  # ", " and ": "
    unsorted = json.dumps(dict(reversed(list(stmt.items()))), separators=(",", ":"),
                          ensure_ascii=False).encode()
    escaped = good.replace(b'"city":"Testville"', b'"city":"Testvill\\u0065"')
    floated = good.replace(b'"population":50000', b'"population":50000.0')
    assert len({good, spaced, unsorted, escaped, floated}) == 5
    details = []
    for payload in (spaced, unsorted, escaped, floated, b" " + good, good + b"\n"):
        # Properly signed: only the form is wrong; the result says which rule.
        res = offer(n, tp, tp.signer.envelope(payload), "payload_not_canonical")
        details.append(res.get("detail"))
    assert details[:4] == ["not_canonical_whitespace", "not_canonical_key_order",
                           "not_canonical_escape", "float_not_allowed"], details
    assert all(details), details
    r = tp.post_inbox(n, [tp.signer.envelope(good)])
    assert r.json["results"][0]["result"] == "accepted", r


def test_bad_envelopes(target):
    n, tp = target
    _, e2 = tp.sign(tp.statement(2, LAST_WEEK, tp.t, prev_payload=tp.p1))
    cases = [
        ({**e2, "extra": 1}, "unknown_field"),
        ({k: v for k, v in e2.items() if k != "signatures"}, "bad_envelope"),
        ({**e2, "signatures": []}, "bad_signature_count"),
        ({**e2, "payload": e2["payload"] + "="}, "bad_base64url"),
        ({**e2, "payloadType": "application/json"}, "bad_payload_type"),
    ]
    for env, code in cases:
        offer(n, tp, env, code)


def test_non_canonical_body_is_400(target):
    n, tp = target
    before = state(n, tp)
    _, e2 = tp.sign(tp.statement(2, LAST_WEEK, tp.t, prev_payload=tp.p1))
    body = json.dumps({"envelopes": [e2]}).encode()  # with spaces
    r = tp.post_inbox(n, body=body)
    assert_error(r, 400, "body_not_canonical")
    r = tp.post_inbox(n, body=canon({"envelopes": [e2], "more": []}))
    assert_error(r, 422, "bad_body")
    assert state(n, tp) == before


def test_too_many_envelopes_is_413(target):
    n, tp = target
    before = state(n, tp)
    _, e2 = tp.sign(tp.statement(2, LAST_WEEK, tp.t, prev_payload=tp.p1))
    r = tp.post_inbox(n, [e2] * (BATCH_MAX + 1))
    assert_error(r, 413, "too_many_envelopes")
    assert state(n, tp) == before
    # 100 is allowed: one accepted, 99 duplicates.
    r = tp.post_inbox(n, [e2] * BATCH_MAX)
    assert r.status == 200, r
    res = [x["result"] for x in r.json["results"]]
    assert res == ["accepted"] + ["duplicate"] * (BATCH_MAX - 1), res


def padded_body(env, total):
    """{"envelopes":[env],"pad":["aaa…",…]}: canonical JSON of exactly `total` bytes."""
    head, tail = b'{"envelopes":[' + canon(env) + b'],"pad":[', b"]}"
    room, sizes = total - len(head) - len(tail), []
    while True:
        used = sum(k + 2 for k in sizes) + len(sizes)  # the strings, quotes and commas
        left = room - used - 2
        if left <= 60000:
            sizes.append(left)
            break
        sizes.append(60000)
    body = head + b",".join(b'"' + b"a" * k + b'"' for k in sizes) + tail
    assert len(body) == total, (len(body), total)
    return body


def test_oversized_body_is_413(target):
    n, tp = target
    before = state(n, tp)
    _, e2 = tp.sign(tp.statement(2, LAST_WEEK, tp.t, prev_payload=tp.p1))
    # At the cap the body is read (and refused for its unknown member).
    r = tp.post_inbox(n, body=padded_body(e2, BODY_MAX))
    assert_error(r, 422, "bad_body")
    # One byte more is refused for its declared length, before the body is sent
    # (so the client reads the 413 instead of uploading a megabyte; a client
    # still uploading when the node answers may see the connection reset).
    ctx = client_context(tp.tls)
    with socket.create_connection(("127.0.0.1", n.fed_port), timeout=10) as s:
        with ctx.wrap_socket(s) as t:
            t.sendall(b"POST /zcfed/1/inbox HTTP/1.1\r\nHost: x\r\n"
                      b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                      % (BODY_MAX + 1))
            head = b""
            while b"body_too_large" not in head:
                chunk = t.recv(4096)
                if not chunk:
                    break
                head += chunk
    assert head.startswith(b"HTTP/1.1 413 "), head
    assert b"body_too_large" in head, head
    assert state(n, tp) == before


def test_equivocation_is_kept_as_proof(target):
    n, tp = target
    before = state(n, tp)
    assert cities(n)["testpeer"]["status"] == "stale"  # W46 only: not flagged
    other = tp.statement(1, EARLIER_WEEK, tp.t)
    other["metrics"]["co2e_avoided_g"] += 1
    _, e1b = tp.sign(other)
    r = tp.post_inbox(n, [e1b])
    assert r.json["results"] == [{"code": "equivocation", "origin": "testpeer",
                                  "result": "conflict", "seq": 1}], r
    after = state(n, tp)
    # The log still holds the first statement; the origin is flagged and the
    # proof holds both envelopes.
    assert after["page"] == before["page"]
    [log] = [h for h in fed_status(n)["logs"] if h["origin"] == "testpeer"]
    assert log["seq"] == 1 and log["equivocated"] is True, log
    assert after["equivocations"] == [{"origin": "testpeer", "seq": 1,
                                       "envelopes": [tp.e1, e1b]}], after["equivocations"]
    assert cities(n)["testpeer"]["status"] == "flagged"
    # The same conflicting statement again changes nothing more.
    r = tp.post_inbox(n, [e1b])
    assert r.json["results"][0]["result"] == "conflict", r
    assert state(n, tp)["equivocations"] == after["equivocations"]


def test_a_week_published_twice_is_flagged_and_counted_once(target):
    n, tp = target
    # seq 2 is a second release of 2026-W46 (seq 1's week): kept in the chain,
    # flagged, never counted.
    _, e2 = tp.sign(tp.statement(2, EARLIER_WEEK, tp.t, prev_payload=tp.p1))
    r = tp.post_inbox(n, [e2])
    assert r.json["results"] == [{"code": "week_republished", "origin": "testpeer",
                                  "result": "conflict", "seq": 2}], r
    st = fed_status(n)
    [log] = [h for h in st["logs"] if h["origin"] == "testpeer"]
    assert log["seq"] == 2 and log["equivocated"] is True, log
    assert st["equivocations"] == [{"origin": "testpeer", "seq": 2,
                                    "envelopes": [tp.e1, e2]}], st["equivocations"]
    row = cities(n)["testpeer"]
    assert row["status"] == "flagged" and row["weeks"] == 1, row


def test_a_peers_next_identity_key_is_accepted(make_node, tmp_path):
    # `peer = ORIGIN URL KEY,NEXT_KEY PIN`: during a rotation either key signs.
    tp = TestPeer(tmp_path)
    nxt = Signer()
    fed = federation(make_node, ["issy"],
                     extra_peers=[tp.peer_line(key=f"{tp.signer.pub_b64},{nxt.pub_b64}")])
    n, t = fed["issy"], now_of(fed.clock) - 60
    p1, e1 = tp.sign(tp.statement(1, EARLIER_WEEK, t))
    stmt2 = tp.statement(2, LAST_WEEK, t, prev_payload=p1)
    stmt2["keyid"] = nxt.keyid
    e2 = nxt.envelope(canon(stmt2))
    r = tp.post_inbox(n, [e1, e2])
    assert r.json["results"] == [{"origin": "testpeer", "result": "accepted", "seq": 1},
                                 {"origin": "testpeer", "result": "accepted", "seq": 2}], r
    assert cities(n)["testpeer"]["weeks"] == 2


def test_bad_statement_names_the_field(target):
    """A canonical, properly signed payload whose content breaks a rule: the
    result names the field, and nothing changes."""
    n, tp = target
    stmt = tp.statement(2, LAST_WEEK, tp.t, prev_payload=tp.p1)
    cases = [({**stmt, "week": "2026-W99"}, "week"),
             ({**stmt, "population": 0}, "population"),
             ({**stmt, "zz_extra": 1}, "unknown_field")]
    for bad, field in cases:
        res = offer(n, tp, tp.signer.envelope(canon(bad)), "bad_statement")
        assert res.get("detail") == field, (field, res)
