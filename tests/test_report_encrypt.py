"""The report of an encrypted audit is written as ciphertext only (reflet.report.encrypt)."""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path

import pytest

from reflet.audit import run_audit
from reflet.report import encrypt

from .report_export import HOME, PLANTED, build_exports

PASS = "correct horse battery staple"


@pytest.fixture(scope="module")
def encrypted_audit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("enc")
    res = run_audit(build_exports(tmp / "in"), tmp / "out", passphrase=PASS)
    assert res.exit_code == 0 and res.encrypted
    return tmp / "out"


def _payload(page: str) -> dict[str, object]:
    m = re.search(r'<script type="application/json" id="reflet-payload">(.*?)</script>', page, re.S)
    assert m, "no payload in the page"
    return json.loads(m.group(1))


def test_encrypted_audit_writes_nothing_personal_in_clear(encrypted_audit: Path) -> None:
    page = (encrypted_audit / "report.html").read_text()
    assert not (encrypted_audit / "report.json").exists()
    readable = html.unescape(page)
    for value in [*PLANTED.values(), f"{HOME[0]:.3f}", "Montreal", "Your home", str(encrypted_audit)]:
        assert value not in readable, value
    assert "Passphrase" in page and "crypto.subtle" in page
    # The page may load nothing: strict policy, no network for the decryptor either.
    assert "connect-src 'none'" in page and "default-src 'none'" in page
    assert "http://" not in page and "https://" not in page
    assert (encrypted_audit / "report.html").stat().st_mode & 0o777 == 0o600


def test_the_passphrase_opens_both_files(encrypted_audit: Path) -> None:
    env = _payload((encrypted_audit / "report.html").read_text())
    assert env["iterations"] >= 600_000 and env["cipher"] == "AES-256-GCM"
    assert len(base64.b64decode(env["salt"])) == 16 and len(base64.b64decode(env["nonce"])) == 12
    inner = encrypt.decrypt(env, PASS).decode()
    assert "Your home can be placed" in inner and "<section id=\"summary\"" in inner
    data = json.loads(encrypt.decrypt(json.loads((encrypted_audit / "report.json.enc").read_text()), PASS))
    home = next(f for f in data["findings"] if f["kind"] == "anchor.home")
    assert abs(home["data"]["lat"] - HOME[0]) < 0.003
    with pytest.raises(encrypt.WrongPassphrase):
        encrypt.decrypt(env, PASS + "!")


def test_envelopes_never_repeat_salt_or_nonce() -> None:
    a = encrypt.encrypt(b"same", "pw", iterations=1000)
    b = encrypt.encrypt(b"same", "pw", iterations=1000)
    assert a["salt"] != b["salt"] and a["nonce"] != b["nonce"] and a["ciphertext"] != b["ciphertext"]
    ct = base64.b64decode(a["ciphertext"])
    # Flip one bit (replacing the byte with a constant would be no change 1 time in 256).
    tampered = dict(a, ciphertext=base64.b64encode(bytes([ct[0] ^ 1]) + ct[1:]).decode())
    with pytest.raises(encrypt.WrongPassphrase):
        encrypt.decrypt(tampered, "pw")


def test_accented_passphrase_opens_however_it_was_typed() -> None:
    env = encrypt.encrypt(b"report", "caf\u00e9 cr\u00e8me", iterations=1000)  # composed é, è
    assert encrypt.decrypt(env, "cafe\u0301 cre\u0300me") == b"report"  # decomposed, as some keyboards send


def test_switching_to_encryption_removes_the_clear_json(tmp_path: Path) -> None:
    encrypt.write_outputs(tmp_path, "<p>secret</p>", '{"a": "secret"}', None)
    assert json.loads((tmp_path / "report.json").read_text()) == {"a": "secret"}
    encrypt.write_outputs(tmp_path, "<p>secret</p>", '{"a": "secret"}', "pw")
    assert not (tmp_path / "report.json").exists()
    assert "secret" not in (tmp_path / "report.html").read_text()
    assert "secret" not in (tmp_path / "report.json.enc").read_text()


def test_clear_report_says_it_is_in_clear_and_where(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_audit(build_exports(tmp_path / "in", with_x=False), out)
    page = (out / "report.html").read_text()
    assert "in clear" in page and str(out) in page
    assert (out / "report.json").exists() and not (out / "report.json.enc").exists()
