"""The command line: help, config checking, init, admin commands, backup."""

import ipaddress
import json
import os
import stat

from cryptography import x509
from cryptography.x509.oid import ExtensionOID

from conftest import (CONF_EXAMPLE, assert_error, init_data_dir, parse_credentials,
                      run_cli)


def test_help_exits_0():
    p = run_cli("--help", check=0)
    assert "usage" in p.stdout
    assert "--data-dir" in p.stdout and "--plain-http" in p.stdout


def test_check_config_accepts_the_example():
    p = run_cli("--check-config", "--config", CONF_EXAMPLE, check=0)
    assert "ok" in p.stdout


def test_check_config_accepts_a_test_config(tmp_path):
    conf = tmp_path / "ok.conf"
    conf.write_text("# comment\n\nlisten = 127.0.0.1\nport = 0\nmap_size_mb = 16\n"
                    "test_hooks = true   # an inline comment after a space\n"
                    "ws_ring_size = 16\n")
    run_cli("--check-config", "--config", conf, check=0)


def _bad_config(tmp_path, lines, bad_line):
    conf = tmp_path / "bad.conf"
    conf.write_text("\n".join(lines) + "\n")
    p = run_cli("--check-config", "--config", conf)
    assert p.returncode == 2, (p.returncode, p.stdout, p.stderr)
    assert f"line {bad_line}" in p.stderr, p.stderr
    assert "config ok" not in p.stdout
    return p.stderr


def test_check_config_refuses_unknown_key(tmp_path):
    err = _bad_config(tmp_path, ["# a comment", "listen = 127.0.0.1", "",
                                 "colour_scheme = dark"], 4)
    assert "colour_scheme" in err


def test_check_config_refuses_out_of_range_number(tmp_path):
    err = _bad_config(tmp_path, ["port = 8443", "map_size_mb = 0"], 2)
    assert "map_size_mb" in err


def test_check_config_refuses_port_too_large(tmp_path):
    err = _bad_config(tmp_path, ["listen = 127.0.0.1", "port = 70000"], 2)
    assert "port" in err


def test_check_config_refuses_non_number_and_bad_bool(tmp_path):
    _bad_config(tmp_path, ["max_body_bytes = lots"], 1)
    _bad_config(tmp_path, ["log_level = info", "plain_http = maybe"], 2)


def test_check_config_refuses_a_frame_source_that_is_not_an_origin(tmp_path):
    for value in ("https://x.org; script-src *", "http://x.org", "*", "'unsafe-inline'"):
        err = _bad_config(tmp_path, ["listen = 127.0.0.1", f"video_frame_src = {value}"], 2)
        assert "video_frame_src" in err


def test_check_config_refuses_line_without_equals(tmp_path):
    _bad_config(tmp_path, ["listen = 127.0.0.1", "test_hooks"], 2)


def test_node_refuses_to_start_with_bad_config(tmp_path):
    d = tmp_path / "data"
    init_data_dir(d)
    conf = tmp_path / "bad.conf"
    conf.write_text("listen = 127.0.0.1\nws_ring_size = 1\n")
    p = run_cli("--data-dir", d, "--config", conf, "--port", "0", "--plain-http", timeout=20)
    assert p.returncode == 2, (p.returncode, p.stdout, p.stderr)
    assert "line 2" in p.stderr
    assert "zcnode ready" not in p.stdout


def test_init_creates_secret_files_with_mode_0600(tmp_path):
    d = tmp_path / "data"
    p = run_cli("init", "--data-dir", d, check=0)
    user, password = parse_credentials(p.stdout)
    assert user == "admin" and len(password) >= 12
    for name in ("node.secret", "identity.key", "tls/node.key"):
        path = d / name
        assert path.is_file(), name
        mode = stat.S_IMODE(os.stat(path).st_mode)
        assert mode == 0o600, f"{name} has mode {oct(mode)}"
    assert (d / "node.secret").stat().st_size == 32
    # The password is shown once on stdout and never logged.
    assert password not in p.stderr


def test_init_certificate_names_localhost_and_loopback(tmp_path):
    d = tmp_path / "data"
    init_data_dir(d, demo=False)
    cert = x509.load_pem_x509_certificate((d / "tls" / "node.crt").read_bytes())
    san = cert.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME).value
    assert "localhost" in san.get_values_for_type(x509.DNSName)
    assert ipaddress.ip_address("127.0.0.1") in san.get_values_for_type(x509.IPAddress)


def test_init_twice_is_refused(tmp_path):
    d = tmp_path / "data"
    init_data_dir(d)
    secret = (d / "node.secret").read_bytes()
    key = (d / "tls" / "node.key").read_bytes()
    p = run_cli("init", "--data-dir", d)
    assert p.returncode != 0
    assert "password" not in p.stdout
    # Nothing was overwritten.
    assert (d / "node.secret").read_bytes() == secret
    assert (d / "tls" / "node.key").read_bytes() == key


def test_init_never_touches_a_store_that_lost_its_secret(tmp_path):
    # A data dir whose node.secret was lost still holds every participant: init
    # must refuse, say why, and leave the database exactly as it was.
    d = tmp_path / "data"
    init_data_dir(d)
    (d / "node.secret").unlink()
    db = (d / "db" / "data.mdb").read_bytes()
    p = run_cli("init", "--data-dir", d)
    assert p.returncode == 1, p
    assert "lost node.secret" in p.stderr, p.stderr
    assert "password" not in p.stdout
    assert (d / "db" / "data.mdb").read_bytes() == db
    assert not (d / "node.secret").exists()


def test_init_detects_an_unfinished_init_and_keeps_its_files(tmp_path):
    # What an init killed before its end leaves: keys and certificate, no
    # store. A rerun names the files and refuses, rather than guess.
    d = tmp_path / "data"
    init_data_dir(d, demo=False)
    for f in ("db/data.mdb", "db/lock.mdb"):
        (d / f).unlink()
    p = run_cli("init", "--data-dir", d)
    assert p.returncode == 1, p
    assert "did not finish" in p.stderr and "identity.key" in p.stderr, p.stderr
    assert (d / "identity.key").exists() and (d / "node.secret").exists()


def test_init_refuses_a_bad_host_name_and_writes_nothing(tmp_path):
    d = tmp_path / "data"
    for host in ("a" * 300, "-bad.example.fr", "Upper.fr", "two..dots"):
        p = run_cli("init", "--data-dir", d, "--host", host)
        assert p.returncode == 2, (host, p)
        assert not (d / "node.secret").exists()


def test_init_refuses_a_directory_holding_node_files(tmp_path):
    d = tmp_path / "data"
    d.mkdir()
    (d / "identity.key").write_bytes(b"someone else's key")
    p = run_cli("init", "--data-dir", d)
    assert p.returncode == 1, p
    assert (d / "identity.key").read_bytes() == b"someone else's key"
    assert not (d / "node.secret").exists()


def test_init_that_fails_removes_what_it_made(tmp_path):
    # A directory where the TLS key should go makes the certificate step fail
    # after the secrets were written.
    d = tmp_path / "data"
    (d / "tls" / "node.key").mkdir(parents=True)
    p = run_cli("init", "--data-dir", d)
    assert p.returncode == 1, p
    assert "certificate" in p.stderr, p.stderr
    left = sorted(str(x.relative_to(d)) for x in d.rglob("*"))
    assert left == [], left
    # The way is clear now: a rerun succeeds.
    init_data_dir(d, demo=False)


def test_admin_set_role_changes_role_and_ends_sessions(make_node):
    n = make_node()
    p = run_cli("admin", "add", "--data-dir", n.data_dir, "--username", "paul",
                "--role", "moderator", check=0)
    _, password = parse_credentials(p.stdout)
    r = n.post("/api/v1/admin/login", {"username": "paul", "password": password})
    token = r.json["token"]
    p = run_cli("admin", "set-role", "--data-dir", n.data_dir, "--username", "paul",
                "--role", "animator", check=0)
    assert "animator" in p.stdout
    assert_error(n.get("/api/v1/admin/session", token=token), 401, "invalid_token")
    r = n.post("/api/v1/admin/login", {"username": "paul", "password": password})
    assert r.json["role"] == "animator"
    assert run_cli("admin", "set-role", "--data-dir", n.data_dir, "--username", "nobody",
                   "--role", "animator").returncode == 1
    assert run_cli("admin", "set-role", "--data-dir", n.data_dir, "--username", "paul",
                   "--role", "king").returncode == 2
    assert any(e["action"] == "account_role" and e["target"] == "paul:animator"
               for e in n.audit())


def test_admin_add_prints_a_password_that_logs_in(make_node):
    n = make_node()
    p = run_cli("admin", "add", "--data-dir", n.data_dir, "--username", "modo",
                "--role", "moderator", check=0)
    user, password = parse_credentials(p.stdout)
    assert user == "modo"
    r = n.post("/api/v1/admin/login", {"username": "modo", "password": password})
    assert r.status == 200, r
    assert r.json["role"] == "moderator"
    assert r.json["username"] == "modo"
    # The same name again is refused and changes nothing.
    p2 = run_cli("admin", "add", "--data-dir", n.data_dir, "--username", "modo",
                 "--role", "admin")
    assert p2.returncode != 0
    assert n.post("/api/v1/admin/login",
                  {"username": "modo", "password": password}).json["role"] == "moderator"


def test_admin_add_refuses_bad_username_and_role(tmp_path):
    d = tmp_path / "data"
    init_data_dir(d)
    p = run_cli("admin", "add", "--data-dir", d, "--username", "Bad Name", "--role", "admin")
    assert p.returncode == 2
    p = run_cli("admin", "add", "--data-dir", d, "--username", "okname", "--role", "king")
    assert p.returncode == 2
    listed = json.loads(run_cli("admin", "list", "--data-dir", d, check=0).stdout)
    assert [a["username"] for a in listed["accounts"]] == ["admin"]


def test_admin_reset_password_invalidates_old_password_and_sessions(make_node):
    n = make_node()
    old_token = n.login()
    assert n.get("/api/v1/admin/session", token=old_token).status == 200
    p = run_cli("admin", "reset-password", "--data-dir", n.data_dir, "--username", "admin",
                check=0)
    user, new_password = parse_credentials(p.stdout)
    assert user == "admin" and new_password != n.admin_password
    r = n.post("/api/v1/admin/login", {"username": "admin", "password": n.admin_password})
    assert_error(r, 401, "invalid_credentials")
    assert_error(n.get("/api/v1/admin/session", token=old_token), 401, "invalid_token")
    r = n.post("/api/v1/admin/login", {"username": "admin", "password": new_password})
    assert r.status == 200, r


def test_admin_reset_password_unknown_account(tmp_path):
    d = tmp_path / "data"
    init_data_dir(d)
    p = run_cli("admin", "reset-password", "--data-dir", d, "--username", "nobody")
    assert p.returncode != 0
    assert "password:" not in p.stdout


def test_admin_list_is_json(tmp_path):
    d = tmp_path / "data"
    init_data_dir(d)
    run_cli("admin", "add", "--data-dir", d, "--username", "anim", "--role", "animator",
            check=0)
    p = run_cli("admin", "list", "--data-dir", d, check=0)
    doc = json.loads(p.stdout)
    roles = {a["username"]: a["role"] for a in doc["accounts"]}
    assert roles == {"admin": "admin", "anim": "animator"}
    for a in doc["accounts"]:
        assert "password" not in json.dumps(a)


def test_admin_stats_is_json(make_node):
    n = make_node()
    n.register("Alice")
    n.register("Bruno", neighbourhood="Les Arches")
    n.login()
    p = run_cli("admin", "stats", "--data-dir", n.data_dir, check=0)
    doc = json.loads(p.stdout)
    assert doc["participants"] == 2
    assert doc["admins"] == 1
    assert doc["sessions"] >= 1
    assert isinstance(doc["lmdb_size_bytes"], int) and doc["lmdb_size_bytes"] > 0


def test_admin_without_data_dir_is_a_usage_error():
    p = run_cli("admin", "list")
    assert p.returncode == 2


def test_backup_while_running_restores_participants(make_node, tmp_path):
    n = make_node()
    people = [n.register(f"Backup{i}", household_size=i + 1) for i in range(5)]
    out = tmp_path / "backup"
    p = run_cli("backup", "--data-dir", n.data_dir, "--output", out, check=0)
    assert out.is_dir()
    for name in ("node.secret", "identity.key", "tls/node.key"):
        assert stat.S_IMODE(os.stat(out / name).st_mode) == 0o600, name
    # The source node keeps serving.
    assert n.get("/healthz").status == 200
    # Registered after the backup: must not be in it.
    late = n.register("AfterBackup")

    restored = make_node(data_dir=out, name="restored")
    restored.admin_password = n.admin_password
    for person in people:
        r = restored.get("/api/v1/me", token=person["token"])
        assert r.status == 200, r
        assert r.json["id"] == person["id"]
        assert r.json["nickname"] == person["nickname"]
    assert_error(restored.get("/api/v1/me", token=late["token"]), 401, "invalid_token")
    assert restored.stats()["participants"] == 5
    assert n.stats()["participants"] == 6
    assert "password" not in p.stdout


def test_backup_refuses_existing_output(tmp_path):
    d = tmp_path / "data"
    init_data_dir(d)
    out = tmp_path / "exists"
    out.mkdir()
    (out / "keep").write_text("x")
    p = run_cli("backup", "--data-dir", d, "--output", out)
    assert p.returncode != 0
    assert sorted(os.listdir(out)) == ["keep"]

