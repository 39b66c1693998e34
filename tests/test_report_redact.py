"""`reflet report OUT --redact`: a copy to share, with no identifier, exact place or post text."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reflet import infer
from reflet.audit import run_audit
from reflet.cli import cli
from reflet.findings import Evidence, Finding
from reflet.report.redact import Redactor, mask

from .report_export import HOME, PLANTED, build_exports

EXACT = f"{HOME[0] + 0.00012:.5f}, {HOME[1] - 0.00034:.5f}"  # a planted position, to 5 decimals


@pytest.fixture(scope="module")
def audit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("redact")
    assert run_audit(build_exports(tmp / "in"), tmp / "out").exit_code == 0
    return tmp / "out"


def _leaky_finding() -> Finding:
    """What a careless inference could write: every planted value in title, detail, evidence and data."""
    lat, lon = (float(x) for x in EXACT.split(", "))
    return Finding(
        kind="test.leaky", channel="public", severity="high",
        title=f"{PLANTED['email']} and {PLANTED['phone']} logged in from {PLANTED['ip']}",
        detail=f"You posted “{PLANTED['post']}” at {EXACT}; phone written 06 12 34 56 78.",
        evidence=[Evidence("twitter-2024-06-01", "data/tweets.js", "/0/tweet", f"post: {PLANTED['post']}")],
        evidence_count=1, platforms=["x"],
        data={"lat": lat, "lon": lon, "radius_m": 20.0, "emails": [PLANTED["email"]], "ip": PLANTED["ip"],
              "track": [[lat, lon, 1]], "text": PLANTED["post"]})


def _texts(out: Path, stem: str) -> tuple[str, str]:
    return html.unescape((out / f"{stem}.html").read_text()), (out / f"{stem}.json").read_text()


def test_redacted_copy_holds_no_planted_value(audit: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_run_all = infer.run_all
    monkeypatch.setattr(infer, "run_all", lambda store: (lambda r: ([_leaky_finding(), *r[0]], r[1]))(
        real_run_all(store)))
    dest = tmp_path / "share" / "for-trainer.html"
    dest.parent.mkdir()
    res = CliRunner().invoke(cli, ["report", str(audit), "--redact", "--out", str(dest)])
    assert res.exit_code == 0, res.output
    page, data = _texts(dest.parent, "for-trainer")
    clear = json.loads((audit / "report.json").read_text())
    home = next(f for f in clear["findings"] if f["kind"] == "anchor.home")
    home_exact = f"{home['data']['lat']:.5f}"
    assert home_exact in (audit / "report.html").read_text()  # the clear report does show it
    assert PLANTED["post"] in (audit / "report.json").read_text()
    for text in (page, data):
        for value in [*PLANTED.values(), EXACT, EXACT.split(", ")[0], home_exact, f"{home['data']['lat']:.3f}",
                      "06 12 34 56 78", str(audit)]:
            assert value not in text, value
    # What is left is still useful: the town, the masked forms, the file and entry of the evidence.
    red = json.loads(data)
    rhome = next(f for f in red["findings"] if f["kind"] == "anchor.home")
    assert rhome["data"]["lat"] == round(HOME[0], 1) and rhome["data"]["radius_m"] >= 10_000
    assert rhome["data"]["points"] == home["data"]["points"]  # counts are not coordinates
    leaky = next(f for f in red["findings"] if f["kind"] == "test.leaky")
    assert leaky["data"]["track"] == [[45.5, -73.6, 1]]
    assert "Montreal" in (rhome["data"]["near"] or "")
    assert "a…e@e….org" in page and "198.51.x.x" in page and "data/tweets.js" in page
    assert "Redacted copy" in page and red["redacted"] is True
    # The map's caption gives the squares' true size: no finer than the rounded points in them.
    assert clear["map"]["cell_deg"] < 0.1 and red["map"]["cell_deg"] == 0.1
    assert "squares of about 11.1 km" in page
    assert dest.stat().st_mode & 0o777 == 0o600


def test_redacted_titles_do_not_repeat_masked_values() -> None:
    f = Redactor(extra=["alice_example"]).value(
        {"title": "Your username alice_example is public", "n": 3, "confidence": 0.873})
    assert f["title"] == "Your username a…e is public" and f["confidence"] == 0.873


def test_masks_keep_only_the_ends() -> None:
    assert mask("alice@example.org") == "a…e@e….org"
    assert mask("+33612345678") == "+…8"
    assert mask("198.51.100.4") == "198.51.x.x"
    assert mask("2001:db8:1:2::7") == "2001:db8::/32"
    assert mask("38400000-8cf0-11bd-b23e-10b96e40000d") == "3…d"
    r = Redactor()
    assert r.text("inbox/friend_1234567890/message_1.json") == "inbox/friend_1…0/message_1.json"
    assert r.text("ad id 38400000-8cf0-11bd-b23e-10b96e40000d, at 12:30:00 on 2024-05-06") == \
        "ad id …, at 12:30:00 on 2024-05-06"
    assert r.text("from 2001:db8::7 and 10.1.2.3") == "from 2001:db8::/32 and 10.1.x.x"


def test_encrypted_audit_needs_its_passphrase(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_audit(build_exports(tmp_path / "in", with_x=False, days=8), out, passphrase="pw-123")
    res = CliRunner().invoke(cli, ["report", str(out), "--redact"], env={"REFLET_PASSPHRASE": ""})
    assert res.exit_code == 2 and "passphrase is needed" in res.output
    res = CliRunner().invoke(cli, ["report", str(out), "--redact"], env={"REFLET_PASSPHRASE": "wrong"})
    assert res.exit_code == 1 and "wrong passphrase" in res.output
    res = CliRunner().invoke(cli, ["report", str(out), "--redact"], env={"REFLET_PASSPHRASE": "pw-123"})
    assert res.exit_code == 0, res.output
    page, _ = _texts(out, "report-redacted")
    assert "Your home can be placed" in page and f"{HOME[0]:.4f}" not in page
    # The full report written again stays encrypted, as the audit was.
    res = CliRunner().invoke(cli, ["report", str(out)], env={"REFLET_PASSPHRASE": "pw-123"})
    assert res.exit_code == 0, res.output
    assert "Your home" not in (out / "report.html").read_text() and not (out / "report.json").exists()


def test_report_refuses_a_folder_that_is_not_an_audit(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["report", str(tmp_path), "--redact"], env={"COLUMNS": "300"})
    assert res.exit_code == 2 and "not a reflet audit folder" in res.output
