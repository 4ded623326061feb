"""Federation settings a node refuses before it serves: --check-config finds a
peer line naming the node itself and exposed federation keys, and the node
does not start with a peer line naming its own origin."""

import os
import subprocess

from conftest import ZCNODE_BIN, init_data_dir, run_cli
from fedutil import TLSKey


def test_check_config_and_start_refuse_bad_federation_settings(tmp_path):
    data = tmp_path / "data"
    init_data_dir(data, demo=False)
    show_conf = tmp_path / "show.conf"
    show_conf.write_text("fed_origin = issy\n")
    peer = [l for l in run_cli("federation", "show", "--data-dir", data, "--config",
                               show_conf, check=0).stdout.splitlines()
            if l.startswith("peer = ")][0]
    other = TLSKey(tmp_path, "other")
    good = tmp_path / "good.conf"
    good.write_text("fed_origin = issy\nfed_port = 0\nlisten = 127.0.0.1\n"
                    f"peer = vanves https://127.0.0.1:1 {peer.split()[4]} {other.pin}\n")
    p = run_cli("--data-dir", data, "--check-config", "--config", good)
    assert p.returncode == 0, p.stderr

    selfish = tmp_path / "self.conf"
    selfish.write_text(good.read_text() + peer + "\n")
    p = run_cli("--data-dir", data, "--check-config", "--config", selfish)
    assert p.returncode == 1 and "own fed_origin" in p.stderr, p.stderr
    p = subprocess.run([ZCNODE_BIN, "--data-dir", str(data),
                        "--config", str(selfish), "--port", "0", "--plain-http"],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode != 0 and "own fed_origin" in p.stderr, p.stderr
    assert "zcnode ready" not in p.stdout

    key = data / "tls" / "fed.key"
    os.chmod(key, 0o644)
    p = run_cli("--data-dir", data, "--check-config", "--config", good)
    assert p.returncode == 1 and "federation key" in p.stderr, p.stderr
    os.chmod(key, 0o600)
    os.chmod(data / "identity.key", 0o640)
    p = run_cli("--data-dir", data, "--check-config", "--config", good)
    assert p.returncode == 1 and "identity key" in p.stderr, p.stderr
