"""A node's own zcfed/1 statements: checked independently (OpenSSL's Ed25519
through Python's `cryptography`, the PAE, key id, hash chain and canonical form
recomputed here), free of anything that could identify a participant, and
published once per week within the privacy budget."""

import json
import re

import pytest
from cryptography.exceptions import InvalidSignature

from conftest import ID_HEX, NEIGHBOURHOODS, RECOVERY, TOKEN_P, assert_error, checkin_ok, day
from fedutil import (EARLIER_WEEK, LAST_WEEK, METRICS, PER_WEEK_MILLI, SEASON, THIS_WEEK,
                     TestPeer, b64u, b64u_dec, canon, fed_status, federation, heads, now_of,
                     publish, publish_ok, sha256, verify_envelope, wait_until)


def test_statements_verify_independently(make_node, tmp_path):
    tp = TestPeer(tmp_path)
    fed = federation(make_node, ["issy"], extra_peers=[tp.peer_line()])
    n = fed["issy"]
    published = [publish_ok(n, EARLIER_WEEK), publish_ok(n, LAST_WEEK)]
    pub = b64u_dec(n.show["identity_key"])

    r = tp.log_page(n, "issy")
    assert r.status == 200, r
    assert canon(r.json) == r.body, "the page is not canonical JSON"
    page = r.json
    assert (page["origin"], page["head"], len(page["entries"])) == ("issy", 2, 2), page
    prev = None
    for seq, (env, doc) in enumerate(zip(page["entries"], published), start=1):
        assert env == doc["envelope"]
        assert env["signatures"][0]["keyid"] == n.show["keyid"]
        payload = verify_envelope(env, pub)
        stmt = json.loads(payload)
        assert canon(stmt) == payload, "the payload is not canonical JSON"
        assert stmt == doc["statement"]
        assert stmt["seq"] == seq and stmt["origin"] == "issy"
        assert stmt["prev"] == ("" if prev is None else b64u(sha256(prev)))
        assert stmt["keyid"] == n.show["keyid"]
        assert stmt["week"] == (EARLIER_WEEK, LAST_WEEK)[seq - 1]
        assert (stmt["v"], stmt["type"], stmt["season"]) == (1, "zcfed.week", SEASON)
        assert (stmt["city"], stmt["population"]) == ("Issy-les-Moulineaux", 70000)
        assert abs(stmt["issued_at"] - now_of(fed.clock)) < 120, stmt["issued_at"]
        assert stmt["privacy"] == {
            "mechanism": "discrete_laplace", "suppress_below": 10,
            "metrics": {m: {"clip": c, "epsilon_milli": e} for m, c, e in METRICS}}
        if stmt["suppressed"]:
            assert stmt["metrics"] is None
        else:
            assert set(stmt["metrics"]) == {m for m, _, _ in METRICS}
        # The check is not vacuous: one changed byte and OpenSSL refuses it.
        bad = {**env, "payload": b64u(payload.replace(b'"v":1', b'"v":2'))}
        with pytest.raises(InvalidSignature):
            verify_envelope(bad, pub)
        prev = payload

    # Pages: after and limit.
    r = tp.log_page(n, "issy", after=1, limit=1)
    assert r.json == {"entries": [published[1]["envelope"]], "head": 2, "origin": "issy"}
    r = tp.log_page(n, "issy", after=0, limit=1)
    assert r.json["entries"] == [published[0]["envelope"]]
    assert tp.log_page(n, "issy", after=2).json == {"entries": [], "head": 2, "origin": "issy"}
    assert_error(tp.log_page(n, "paris"), 404, "unknown_origin")
    assert_error(tp.log_page(n, "issy", after="-1"), 422, "invalid_after")


def register_with_checkins(n, count):
    """Participants with a neighbourhood and check-ins in LAST_WEEK (and today)."""
    people = []
    actions = ["velo-domicile-travail", "gourde", "repas-vegetarien", "douche-courte"]
    for i in range(count):
        hood = NEIGHBOURHOODS[i % len(NEIGHBOURHOODS)]
        p = n.register(f"Zébulon-Privé-{i:02d}", neighbourhood=hood)
        p["neighbourhood"] = hood
        for k, action in enumerate(actions[: 1 + i % len(actions)]):
            checkin_ok(n, p["token"], action, day(-5 - k % 2))  # 2026-11-20 or -19
        checkin_ok(n, p["token"], "gourde")  # this week: never published here
        people.append(p)
    return people


def secrets_of(people):
    """Every string that would identify a participant, as the bytes it could
    appear as in UTF-8 JSON or in ASCII-escaped JSON."""
    out = set()
    for p in people:
        for s in (p["id"], p["id"].upper(), p["token"], p["token"][4:], p["recovery_code"],
                  p["recovery_code"].replace("-", ""), p["nickname"], p["neighbourhood"]):
            out.add(s.encode("utf-8"))
            out.add(json.dumps(s)[1:-1].encode("ascii"))
    return out


def envelopes_in(blob):
    """Every DSSE payload found in a JSON-ish byte stream, decoded."""
    return [b64u_dec(m.group(1).decode())
            for m in re.finditer(rb'"payload":"([A-Za-z0-9_-]+)"', blob)]


def test_nothing_sent_to_peers_identifies_a_participant(make_node, tmp_path):
    peer = TestPeer(tmp_path, listen=True)  # records every byte the node sends it
    try:
        fed = federation(make_node, ["issy"], extra_peers=[peer.peer_line()])
        n = fed["issy"]
        people = register_with_checkins(n, 24)
        for p in people:
            assert ID_HEX.match(p["id"]) and TOKEN_P.match(p["token"])
            assert RECOVERY.match(p["recovery_code"])
        doc = publish_ok(n, LAST_WEEK)
        wait_until(lambda: doc["envelope"] in peer.pushed(), "the push to the peer")
        wait_until(lambda: any(m == "GET" for m, *_ in peer.requests), "a pull from the peer")
        # What the node answers a peer: its log, and an inbox reply.
        sent = list(peer.connections)
        for r in (peer.log_page(n, "issy"), peer.post_inbox(n, [doc["envelope"]])):
            assert r.status == 200, r
            sent.append("".join(f"{k}: {v}\r\n" for k, v in r.headers.items()).encode()
                        + r.body)
    finally:
        peer.close()

    blob = b"\n".join(sent)
    payloads = envelopes_in(blob)
    assert payloads and all(p == canon(doc["statement"]) for p in payloads), payloads
    assert b"zcfed.week" not in blob  # the statement travels base64url-encoded…
    everything = blob + b"\n" + b"\n".join(payloads)  # …so both forms are scanned
    assert b'"week":"2026-W47"' in everything and b'"origin":"issy"' in everything
    for s in secrets_of(people):
        assert s not in everything, f"{s!r} was sent to a peer"
    text = everything.decode("utf-8", errors="replace")
    assert not re.search(r"(?i)(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])", text), \
        "a 32-hex id was sent to a peer"
    assert "zcp_" not in text and "zca_" not in text
    assert not re.search(r"([ABCDEFGHJKMNPQRSTUVWXYZ23456789]{4}-){4}", text)
    # The statement holds only aggregates: its fields are the protocol's.
    stmt = json.loads(payloads[0])
    assert set(stmt) == {"city", "issued_at", "keyid", "metrics", "origin", "population",
                         "prev", "privacy", "season", "seq", "suppressed", "type", "v", "week"}


def test_a_week_is_published_once(make_node):
    fed = federation(make_node, ["issy"])
    n = fed["issy"]
    ledger = fed_status(n)["privacy_ledger"]
    assert ledger == {"year": 2026, "spent_milli": 0, "budget_milli": 60000,
                      "per_week_milli": PER_WEEK_MILLI}, ledger
    first = publish_ok(n, EARLIER_WEEK)
    assert first["seq"] == 1
    assert fed_status(n)["privacy_ledger"]["spent_milli"] == PER_WEEK_MILLI

    before = fed_status(n)
    assert_error(publish(n, EARLIER_WEEK), 409, "already_published")
    assert_error(publish(n, THIS_WEEK), 422, "week_not_closed")
    assert_error(publish(n, "2026-W52"), 422, "week_not_closed")
    assert_error(publish(n, "2026-W99"), 422, "invalid_week")
    assert fed_status(n) == before  # nothing spent, nothing logged

    second = publish_ok(n, LAST_WEEK)
    assert second["seq"] == 2
    assert second["statement"]["prev"] == b64u(sha256(canon(first["statement"])))
    assert fed_status(n)["privacy_ledger"]["spent_milli"] == 2 * PER_WEEK_MILLI
    assert_error(publish(n, LAST_WEEK), 409, "already_published")
    assert heads(n) == {"issy": 2}
    # A restart changes nothing: the week stays published.
    n.stop()
    fed.start("issy")
    assert_error(publish(n, LAST_WEEK), 409, "already_published")
    assert fed_status(n)["privacy_ledger"]["spent_milli"] == 2 * PER_WEEK_MILLI


def test_privacy_budget_refuses_the_second_week(make_node):
    fed = federation(make_node, ["issy"], config={"fed_budget_milli": PER_WEEK_MILLI})
    n = fed["issy"]
    publish_ok(n, EARLIER_WEEK)
    before = fed_status(n)
    assert before["privacy_ledger"]["spent_milli"] == PER_WEEK_MILLI
    assert before["privacy_ledger"]["budget_milli"] == PER_WEEK_MILLI
    assert_error(publish(n, LAST_WEEK), 409, "privacy_budget_exhausted")
    assert fed_status(n) == before
    assert heads(n) == {"issy": 1}


def test_population_unset_is_422(make_node):
    n = federation(make_node, ["nopop"], demo=False)["nopop"]
    assert_error(publish(n, LAST_WEEK), 422, "population_unset")
    assert fed_status(n)["logs"] == []


def test_auto_publish_releases_the_last_week_once(make_node):
    fed = federation(make_node, ["issy"], config={"fed_auto_publish": True})
    n = fed["issy"]
    wait_until(lambda: heads(n) == {"issy": 1}, "the automatic publish of the last week")
    assert_error(publish(n, LAST_WEEK), 409, "already_published")
    n.stop()
    fed.start("issy")
    assert_error(publish(n, LAST_WEEK), 409, "already_published")
    assert heads(n) == {"issy": 1}
    assert fed_status(n)["privacy_ledger"]["spent_milli"] == PER_WEEK_MILLI


def test_late_checkins_count_in_the_week_they_arrive(make_node):
    """Check-ins count in the week they are recorded: one back-dated into a week
    that is already closed goes into the next statement, not into the past one
    (which is never recomputed). The noise on `active` has scale 5, so 100 people
    against 0 is told apart with certainty (|noise| ≥ 50 has probability e^-10)."""
    import datetime
    fed = federation(make_node, ["issy"])
    n = fed["issy"]
    for i in range(100):
        p = n.register(f"Retardataire-{i:03d}")
        checkin_ok(n, p["token"], "gourde", "2026-11-22")  # Sunday of W47, recorded in W48
    w47 = publish_ok(n, LAST_WEEK)["statement"]
    assert w47["suppressed"] or w47["metrics"]["active"] < 50, w47
    # A week later W48 is closed, and holds the late check-ins.
    n.stop()
    fed.clock.base, fed.clock.t0 = fed.clock.now() + datetime.timedelta(days=7), None
    fed.start("issy")
    n._admin_token = n.login()  # the staff session of a week ago has expired
    w48 = publish_ok(n, THIS_WEEK)["statement"]
    assert not w48["suppressed"], w48
    assert w48["metrics"]["active"] > 50, w48  # (check-ins: clip 20, noise scale 100)
    # The published W47 is the same statement as before.
    r = n.get("/api/v1/admin/federation", token=n.admin_token())
    assert [h["seq"] for h in r.json["logs"] if h["origin"] == "issy"] == [2]


def test_auto_publish_catches_up_the_weeks_a_stopped_node_missed(make_node, tmp_path):
    """A node that last published W45 and restarts in W48 publishes W46 and W47
    by itself, in week order; one that never published starts with the last
    closed week only (test_auto_publish_releases_the_last_week_once)."""
    tp = TestPeer(tmp_path)
    fed = federation(make_node, ["issy"], extra_peers=[tp.peer_line()])
    n = fed["issy"]
    publish_ok(n, "2026-W45")
    n.stop()
    n.config["fed_auto_publish"] = True
    n.write_config()
    fed.start("issy")
    wait_until(lambda: heads(n).get("issy") == 3, "W46 and W47 published by the node")
    entries = tp.log_page(n, "issy").json["entries"]
    weeks = [json.loads(b64u_dec(e["payload"]))["week"] for e in entries]
    assert weeks == ["2026-W45", "2026-W46", "2026-W47"], weeks
    assert publish(n, "2026-W46").status == 409
