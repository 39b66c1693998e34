"""The report in a real browser (Chromium): offline, error-free, readable, accessible, and the
encrypted report opens only with its passphrase."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import REPORT_PASSPHRASE, BrowserPage

pytestmark = pytest.mark.browser


def test_report_loads_nothing_from_the_network_and_names_the_home_area(browser_page: BrowserPage,
                                                                        report_path: Path) -> None:
    browser_page.open(report_path)
    summary = browser_page.page.locator("#summary")
    assert summary.is_visible()
    text = summary.inner_text()
    home = text[text.index("home"):]  # the summary's home part names the area
    assert re.search(r"Montr[eé]al", home[:600]), text
    for section in ("summary", "findings", "read"):
        assert browser_page.page.locator(f"section#{section}").count() == 1
    browser_page.screenshot("report-clear")
    assert browser_page.requests and all(u.startswith("file:") for u in browser_page.requests)
    browser_page.assert_clean()


def test_a_findings_evidence_expands_to_its_file_and_entry(browser_page: BrowserPage, report_path: Path) -> None:
    browser_page.open(report_path)
    # The home finding's evidence: a closed <details> in the findings, naming the file and the entry.
    details = browser_page.page.locator("#findings details").filter(has_text="Records.json").first
    entry = details.locator("tr, li").filter(has_text=re.compile(r"/locations/\d+")).first
    assert not entry.is_visible()
    details.locator("summary").first.click()
    assert details.get_attribute("open") is not None and entry.is_visible()
    row = entry.inner_text()
    assert "Records.json" in row and re.search(r"/locations/\d+", row), row
    browser_page.screenshot("report-evidence-open")
    browser_page.assert_clean()


def test_the_page_policy_blocks_any_network_request(browser_page: BrowserPage, report_path: Path) -> None:
    browser_page.open(report_path)
    # Even script that tries (an injected tracker, a future bug) cannot reach the network.
    outcome = browser_page.page.evaluate(
        "() => fetch('http://127.0.0.1:9/ping').then(() => 'reached', () => 'blocked')")
    assert outcome == "blocked"
    assert not any(u.startswith("http") for u in browser_page.requests), browser_page.requests


def test_report_has_no_serious_accessibility_violation(browser_page: BrowserPage, report_path: Path) -> None:
    browser_page.open(report_path)
    assert browser_page.axe() == []
    browser_page.assert_clean()


def test_encrypted_report_opens_with_the_passphrase_only(browser_page: BrowserPage,
                                                         encrypted_report_path: Path) -> None:
    page = browser_page.page
    browser_page.open(encrypted_report_path)
    assert page.locator("#summary").count() == 0
    assert "Your home" not in page.content()
    assert browser_page.axe() == []
    page.fill("#pw", "not the passphrase")
    page.click("#open")
    msg = page.locator("#msg")
    msg.filter(has_text="Wrong passphrase").wait_for(timeout=20_000)
    assert page.locator("#summary").count() == 0
    browser_page.screenshot("report-encrypted-wrong")
    page.fill("#pw", REPORT_PASSPHRASE)
    page.click("#open")
    page.locator("#summary").wait_for(timeout=20_000)
    assert re.search(r"Montr[eé]al", page.locator("#summary").inner_text())
    browser_page.screenshot("report-encrypted-open")
    # The decrypted report is still under the locked page's policy: no network.
    outcome = page.evaluate("() => fetch('http://127.0.0.1:9/ping').then(() => 'reached', () => 'blocked')")
    assert outcome == "blocked"
    assert not any(u.startswith("http") for u in browser_page.requests), browser_page.requests


def test_the_fixture_catches_errors_and_network_attempts(browser_page: BrowserPage, report_path: Path) -> None:
    # The safety net itself: if it could not see these, the tests above would prove nothing.
    page = browser_page.page
    browser_page.open(report_path)
    page.evaluate("() => { console.error('boom'); setTimeout(() => { throw new Error('late'); }, 0); }")
    page.wait_for_timeout(100)
    assert any("boom" in e for e in browser_page.errors) and any("late" in e for e in browser_page.errors)
    with pytest.raises(Exception, match=r"net::ERR_"):
        page.goto("http://127.0.0.1:9/tracker")
    assert browser_page.blocked == ["http://127.0.0.1:9/tracker"]
    with pytest.raises(AssertionError):
        browser_page.assert_clean()


def test_redacted_copy_renders_cleanly(browser_page: BrowserPage, report_path: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from reflet.cli import cli

    dest = tmp_path / "for-trainer.html"
    res = CliRunner().invoke(cli, ["report", str(report_path.parent), "--redact", "--out", str(dest)])
    assert res.exit_code == 0, res.output
    browser_page.open(dest)
    page = browser_page.page
    assert page.locator("#redacted-note").is_visible()
    summary = page.locator("#summary").inner_text()
    assert re.search(r"Montr[eé]al", summary) and "45.52" not in summary
    assert browser_page.axe() == []
    browser_page.screenshot("report-redacted")
    browser_page.assert_clean()
