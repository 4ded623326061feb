"""Participants: registration, profile, erase, export, recovery, nickname rules,
registration rate limit. The core flows run over plain HTTP and over TLS."""


import pytest

from conftest import (ID_HEX, NEIGHBOURHOODS, RECOVERY, RFC3339, TOKEN_P, assert_error)

PROFILE_KEYS = {"id", "nickname", "neighbourhood", "household_size", "lang", "hidden", "weekly_goal",
                "created_at"}


def listed_nicknames(node):
    r = node.get("/api/v1/admin/participants?limit=100", token=node.admin_token())
    assert r.status == 200, r
    return {p["nickname"] for p in r.json["participants"]}


def listed_ids(node):
    r = node.get("/api/v1/admin/participants?limit=100", token=node.admin_token())
    assert r.status == 200, r
    return {p["id"] for p in r.json["participants"]}


# -- register and profile -------------------------------------------------------

def test_register_returns_id_token_recovery_code(node):
    r = node.post("/api/v1/participants", {"nickname": "Élodie"})
    assert r.status == 201, r
    doc = r.json
    assert set(doc) == {"id", "token", "recovery_code", "nickname"}
    assert ID_HEX.match(doc["id"]), doc["id"]
    assert TOKEN_P.match(doc["token"]), doc["token"]
    assert RECOVERY.match(doc["recovery_code"]), doc["recovery_code"]
    assert doc["nickname"] == "Élodie"
    assert r.header("cache-control") == "no-store"


def test_register_gives_distinct_secrets(node):
    a = node.register("Premiere")
    b = node.register("Seconde")
    assert a["id"] != b["id"] and a["token"] != b["token"]
    assert a["recovery_code"] != b["recovery_code"]


def test_get_me_defaults(node):
    reg = node.register("Defaut")
    r = node.get("/api/v1/me", token=reg["token"])
    assert r.status == 200, r
    me = r.json
    assert set(me) == PROFILE_KEYS
    assert me["id"] == reg["id"]
    assert me["nickname"] == "Defaut"
    assert me["neighbourhood"] is None
    assert me["household_size"] == 1
    assert me["lang"] == "fr"
    assert me["hidden"] is False
    assert RFC3339.match(me["created_at"]), me["created_at"]


def test_register_with_every_field(node):
    reg = node.register("Complet", neighbourhood="Les Épinettes", household_size=4, lang="en")
    me = node.get("/api/v1/me", token=reg["token"]).json
    assert me["neighbourhood"] == "Les Épinettes"
    assert me["household_size"] == 4
    assert me["lang"] == "en"


def test_patch_me(node):
    reg = node.register("Avant", neighbourhood="Les Arches")
    tok = reg["token"]
    r = node.request("PATCH", "/api/v1/me", token=tok,
                     body={"nickname": "Après", "household_size": 20, "lang": "en",
                           "hidden": True, "neighbourhood": "Fort d'Issy"})
    assert r.status == 200, r
    me = r.json
    assert set(me) == PROFILE_KEYS
    assert (me["nickname"], me["household_size"], me["lang"], me["hidden"],
            me["neighbourhood"]) == ("Après", 20, "en", True, "Fort d'Issy")
    assert node.get("/api/v1/me", token=tok).json == me
    # null clears the neighbourhood; absent fields stay as they are.
    r = node.request("PATCH", "/api/v1/me", token=tok, body={"neighbourhood": None})
    assert r.status == 200, r
    assert r.json["neighbourhood"] is None
    assert r.json["household_size"] == 20 and r.json["nickname"] == "Après"
    # An empty patch changes nothing.
    r = node.request("PATCH", "/api/v1/me", token=tok, body={})
    assert r.status == 200, r
    assert r.json == node.get("/api/v1/me", token=tok).json
    # The old nickname is free again, the new one is taken.
    node.register("Avant")
    assert_error(node.post("/api/v1/participants", {"nickname": "apres"}), 409,
                 "nickname_taken")


def test_patch_me_keeps_own_nickname_with_other_case(node):
    reg = node.register("Casse")
    r = node.request("PATCH", "/api/v1/me", token=reg["token"], body={"nickname": "CASSE"})
    assert r.status == 200, r
    assert r.json["nickname"] == "CASSE"


def test_patch_me_to_a_taken_nickname(node):
    node.register("Occupe")
    reg = node.register("Libre")
    r = node.request("PATCH", "/api/v1/me", token=reg["token"], body={"nickname": "occupé"})
    assert_error(r, 409, "nickname_taken")
    assert node.get("/api/v1/me", token=reg["token"]).json["nickname"] == "Libre"


def test_delete_me_erases_everything(node):
    keep = node.register("Reste")
    reg = node.register("Efface", neighbourhood="La Ferme")
    before = node.stats()
    assert before["participants"] == 2
    assert reg["id"] in listed_ids(node)
    r = node.request("DELETE", "/api/v1/me", token=reg["token"])
    assert r.status == 204, r
    assert r.body == b""
    assert_error(node.get("/api/v1/me", token=reg["token"]), 401, "invalid_token")
    assert_error(node.request("DELETE", "/api/v1/me", token=reg["token"]), 401,
                 "invalid_token")
    assert_error(node.post("/api/v1/participants/recover",
                           {"recovery_code": reg["recovery_code"]}), 401,
                 "invalid_credentials")
    assert reg["id"] not in listed_ids(node)
    after = node.stats()
    assert after["participants"] == 1
    assert after["neighbourhoods"]["La Ferme"] == 0
    # The nickname is free again.
    again = node.register("efface")
    assert again["id"] != reg["id"]
    assert node.get("/api/v1/me", token=keep["token"]).status == 200


def test_export(node):
    reg = node.register("Exporte", neighbourhood="Centre-Ville", household_size=2)
    r = node.get("/api/v1/me/export", token=reg["token"])
    assert r.status == 200, r
    cd = r.header("content-disposition")
    assert cd and cd.startswith("attachment"), r.headers
    assert 'filename="zcnode-export.json"' in cd
    doc = r.json
    assert doc["format"] == "zcnode-export/1"
    assert RFC3339.match(doc["exported_at"])
    assert doc["participant"] == node.get("/api/v1/me", token=reg["token"]).json
    assert doc["city"] == "Issy-les-Moulineaux"
    assert isinstance(doc["note"], str) and doc["note"]
    text = r.body.decode()
    assert reg["token"] not in text
    assert reg["token"][4:] not in text
    assert reg["recovery_code"] not in text
    assert reg["recovery_code"].replace("-", "") not in text


def test_export_needs_a_token(node):
    assert_error(node.get("/api/v1/me/export"), 401, "missing_token")


# -- recovery -----------------------------------------------------------------

def test_recovery_issues_new_secrets_and_revokes_old(node):
    reg = node.register("Perdu", household_size=3)
    r = node.post("/api/v1/participants/recover", {"recovery_code": reg["recovery_code"]})
    assert r.status == 200, r
    rec = r.json
    assert set(rec) == {"id", "token", "recovery_code", "nickname"}
    assert rec["id"] == reg["id"] and rec["nickname"] == "Perdu"
    assert TOKEN_P.match(rec["token"]) and RECOVERY.match(rec["recovery_code"])
    assert rec["token"] != reg["token"] and rec["recovery_code"] != reg["recovery_code"]
    me = node.get("/api/v1/me", token=rec["token"])
    assert me.status == 200 and me.json["household_size"] == 3
    assert_error(node.get("/api/v1/me", token=reg["token"]), 401, "invalid_token")
    assert_error(node.post("/api/v1/participants/recover",
                           {"recovery_code": reg["recovery_code"]}), 401,
                 "invalid_credentials")
    # The new code works in turn.
    r = node.post("/api/v1/participants/recover", {"recovery_code": rec["recovery_code"]})
    assert r.status == 200, r
    assert node.stats()["participants"] == 1


def test_recovery_code_case_insensitive_and_dashes_optional(node):
    reg = node.register("Souple")
    code = reg["recovery_code"].lower().replace("-", "")
    r = node.post("/api/v1/participants/recover", {"recovery_code": code})
    assert r.status == 200, r
    assert r.json["id"] == reg["id"]


def test_recovery_wrong_code(node):
    reg = node.register("Intact")
    assert_error(node.post("/api/v1/participants/recover",
                           {"recovery_code": "AAAA-BBBB-CCCC-DDDD-EEEE"}), 401,
                 "invalid_credentials")
    assert node.get("/api/v1/me", token=reg["token"]).status == 200


# -- nickname rules --------------------------------------------------------------

@pytest.mark.parametrize("nickname", [
    "Bob", "abcdefghijklmnopqrstuvwx", "Jean-Luc", "O'Neil", "a.b_c d", "Zoé Ñandú",
    "Œdipe", "x99", "Marie Claire", "l\u2019Ami",
], ids=["3chars", "24chars", "dash", "apostrophe", "separators", "accents", "oe",
        "digits", "space", "typographic-apostrophe"])
def test_valid_nicknames(plain_node, nickname):
    reg = plain_node.register(nickname)
    assert reg["nickname"] == nickname
    assert plain_node.get("/api/v1/me", token=reg["token"]).json["nickname"] == nickname


@pytest.mark.parametrize("nickname", [
    "ab", "abcdefghijklmnopqrstuvwxy", "a" * 200, "a<b>c", "emoji😀x", "tab\there",
    "semi;colon", "-abc", ".abc", "abc-", "abc ", " abc", "ab  cd", "'abc", "abc_",
    "Ωmega", "Привет",
], ids=["too-short", "25chars", "200chars", "angle-brackets", "emoji", "tab", "semicolon",
        "leading-dash", "leading-dot", "trailing-dash", "trailing-space", "leading-space",
        "double-space", "leading-apostrophe", "trailing-underscore", "greek", "cyrillic"])
def test_invalid_nicknames(plain_node, nickname):
    n = plain_node
    before = n.stats()["participants"]
    r = n.post("/api/v1/participants", {"nickname": nickname})
    assert_error(r, 422, "invalid_field")
    assert "nickname" in r.json["error"]["message"]
    assert n.stats()["participants"] == before


def test_empty_nickname(plain_node):
    r = plain_node.post("/api/v1/participants", {"nickname": ""})
    assert_error(r, 422, "invalid_field")
    assert plain_node.stats()["participants"] == 0


@pytest.mark.parametrize("first,second", [
    ("Élodie", "elodie"), ("elodie", "ÉLODIE"), ("Chloé", "CHLOE"), ("Noël", "noel"),
    ("Élodie", "E.lodie"), ("Jean-Luc", "jean luc"), ("Jean-Luc", "JeanLuc"),
], ids=["accent-then-plain", "plain-then-upper-accent", "upper", "diaeresis",
        "separator-dot", "separator-space", "separator-none"])
def test_nickname_uniqueness_ignores_case_and_accents(plain_node, first, second):
    n = plain_node
    reg = n.register(first)
    assert_error(n.post("/api/v1/participants", {"nickname": second}), 409, "nickname_taken")
    assert n.stats()["participants"] == 1
    assert listed_nicknames(n) == {first}
    assert n.get("/api/v1/me", token=reg["token"]).json["nickname"] == first


@pytest.mark.parametrize("nickname", ["connard", "Connard", "SuperConnard", "Àdministrateur",
                                      "Le Modérateur"])
def test_default_denylist(plain_node, nickname):
    n = plain_node
    r = n.post("/api/v1/participants", {"nickname": nickname})
    assert_error(r, 422, "invalid_field")
    assert r.json["error"]["message"] == "nickname is not allowed"
    assert n.stats()["participants"] == 0


def test_denylist_word_added_by_admin_is_refused(node):
    n = node
    reg = n.register("Gentil")
    assert n.register("Brocoli Fan")  # allowed before the word is added
    tok = n.admin_token()
    r = n.post("/api/v1/admin/denylist", {"word": "Brocolì"}, token=tok)
    assert r.status == 201, r
    assert r.json == {"word": "brocoli"}
    assert "brocoli" in n.get("/api/v1/admin/denylist", token=tok).json["words"]
    r = n.post("/api/v1/participants", {"nickname": "BROCOLI2000"})
    assert_error(r, 422, "invalid_field")
    assert r.json["error"]["message"] == "nickname is not allowed"
    # Renaming to it is refused too.
    r = n.request("PATCH", "/api/v1/me", token=reg["token"], body={"nickname": "Mr Brocoli"})
    assert_error(r, 422, "invalid_field")
    assert n.get("/api/v1/me", token=reg["token"]).json["nickname"] == "Gentil"
    # Removing the word allows it again.
    assert n.request("DELETE", "/api/v1/admin/denylist/brocoli", token=tok).status == 204
    assert n.register("BROCOLI2000")


def test_whole_nickname_denylist_word(plain_node):
    n = plain_node
    tok = n.admin_token()
    r = n.post("/api/v1/admin/denylist", {"word": "=Àdmin"}, token=tok)
    assert r.status == 201, r
    assert r.json == {"word": "=admin"}
    for nick in ("Admin", "A.d.m.i.n", "ADMIN"):
        r = n.post("/api/v1/participants", {"nickname": nick})
        assert_error(r, 422, "invalid_field")
        assert r.json["error"]["message"] == "nickname is not allowed"
    assert n.register("Badminton")
    assert n.register("Admin2")


# -- other fields ------------------------------------------------------------------

@pytest.mark.parametrize("neighbourhood", NEIGHBOURHOODS)
def test_every_listed_neighbourhood_is_accepted(plain_node, neighbourhood):
    reg = plain_node.register("Quartier", neighbourhood=neighbourhood)
    assert plain_node.get("/api/v1/me", token=reg["token"]).json["neighbourhood"] == \
        neighbourhood


@pytest.mark.parametrize("neighbourhood", ["Paris", "les arches", "Les Epinettes",
                                           "Centre-Ville ", "x" * 33])
def test_unknown_neighbourhood_is_refused(plain_node, neighbourhood):
    n = plain_node
    r = n.post("/api/v1/participants", {"nickname": "Ailleurs", "neighbourhood": neighbourhood})
    assert_error(r, 422, "invalid_field")
    assert "neighbourhood" in r.json["error"]["message"]
    assert n.stats()["participants"] == 0
    # The nickname was not reserved by the refused request.
    n.register("Ailleurs")


@pytest.mark.parametrize("size,ok", [(1, True), (20, True), (0, False), (21, False),
                                     (-1, False), (1000, False)])
def test_household_size_bounds(plain_node, size, ok):
    n = plain_node
    r = n.post("/api/v1/participants", {"nickname": "Foyer", "household_size": size})
    if ok:
        assert r.status == 201, r
        assert n.get("/api/v1/me", token=r.json["token"]).json["household_size"] == size
    else:
        assert_error(r, 422, "invalid_field")
        assert "household_size" in r.json["error"]["message"]
        assert n.stats()["participants"] == 0


@pytest.mark.parametrize("lang,ok", [("fr", True), ("en", True), ("de", False),
                                     ("FR", False), ("fra", False), ("", False)])
def test_lang(plain_node, lang, ok):
    n = plain_node
    r = n.post("/api/v1/participants", {"nickname": "Langue", "lang": lang})
    if ok:
        assert r.status == 201, r
        assert n.get("/api/v1/me", token=r.json["token"]).json["lang"] == lang
    else:
        assert_error(r, 422, "invalid_field")
        assert "lang" in r.json["error"]["message"]
        assert n.stats()["participants"] == 0


def test_patch_invalid_values_change_nothing(plain_node):
    n = plain_node
    reg = n.register("Stable", neighbourhood="Les Arches", household_size=2)
    before = n.get("/api/v1/me", token=reg["token"]).json
    for body in ({"household_size": 0}, {"lang": "es"}, {"neighbourhood": "Lyon"},
                 {"nickname": "x"}, {"nickname": "connard"},
                 {"household_size": 3, "lang": "xx"}, {"nickname": "Neuf", "lang": "xx"}):
        r = n.request("PATCH", "/api/v1/me", token=reg["token"], body=body)
        assert_error(r, 422, "invalid_field")
    assert n.get("/api/v1/me", token=reg["token"]).json == before
    # "Neuf" was not taken by the refused patch.
    n.register("Neuf")


# -- rate limit ----------------------------------------------------------------------

def test_registration_rate_limit_per_address(make_node):
    n = make_node(config={"registrations_per_hour": 1, "registration_burst": 2})
    a = n.post("/api/v1/participants", {"nickname": "Unan"})
    b = n.post("/api/v1/participants", {"nickname": "Deux"})
    assert (a.status, b.status) == (201, 201), (a, b)
    c = n.post("/api/v1/participants", {"nickname": "Trois"})
    assert_error(c, 429, "rate_limited")
    ra = c.header("retry-after")
    assert ra is not None and ra.isdigit() and 1 <= int(ra) <= 3600, c.headers
    assert n.stats()["participants"] == 2
    assert listed_nicknames(n) == {"Unan", "Deux"}
    # Recovery shares the limit.
    r = n.post("/api/v1/participants/recover", {"recovery_code": a.json["recovery_code"]})
    assert_error(r, 429, "rate_limited")
    assert n.get("/api/v1/me", token=a.json["token"]).status == 200
    # Reads are not limited.
    assert n.get("/api/v1/city").status == 200
