"""Browser fixtures: Debian's Chromium driven by Playwright, on reports made by a real audit.

Playwright never downloads a browser here: it launches ``/usr/bin/chromium``. The
no-network guard stays armed; only starting Playwright's driver (a local program that
talks to this process over pipes) is allowed, with ``guard.allow_subprocess()``.
If Chromium is missing the tests FAIL (CI installs it: ``.ci/run``), they never skip.

Fixtures meant for every browser test:

* ``report_path``: ``report.html`` of a clear audit of ``tests/report_export.py``'s exports;
* ``encrypted_report_path`` and ``REPORT_PASSPHRASE``: the same, encrypted;
* ``persona_report``: the report of the synthetic persona's audit (every platform it writes), with the
  persona's ground truth and the same report in the pseudo-language ``xx``;
* ``browser_page``: a fresh page whose every request is recorded (and aborted unless it is
  ``file:``, ``data:``, ``blob:`` or ``about:``), with its JavaScript errors collected,
  plus ``open()``, ``screenshot()``, ``axe()`` and ``assert_clean()`` helpers.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from reflet import guard
from reflet.audit import run_audit
from reflet.persona import export_inputs, generate
from reflet.report.i18n import PSEUDO
from reflet.report.render import render_html, report_data
from reflet.store import Store

from ..report_export import build_exports
from .setup_axe import AXE_JS

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
REPORT_PASSPHRASE = "correct horse battery staple"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"Chromium is needed for the browser tests and {CHROMIUM} is missing: "
                    "run `apt-get install chromium` (.ci/run installs it)")
    os.environ["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1"
    from playwright.sync_api import sync_playwright

    # The driver is a local program on pipes; the browser is started by the driver, offline flags on.
    with guard.allow_subprocess():
        pw = sync_playwright().start()
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    try:
        yield b
    finally:
        b.close()
        pw.stop()


@pytest.fixture(scope="session")
def report_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("browser-report")
    res = run_audit(build_exports(tmp / "in"), tmp / "out")
    assert res.report_path is not None and res.exit_code == 0
    return res.report_path


@pytest.fixture(scope="session")
def encrypted_report_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("browser-encrypted")
    res = run_audit(build_exports(tmp / "in", with_x=False), tmp / "out", passphrase=REPORT_PASSPHRASE)
    assert res.report_path is not None and res.encrypted
    return res.report_path


@dataclass(frozen=True)
class PersonaReport:
    path: Path  # report.html, in English
    pseudo: Path  # the same report in the pseudo-language that wraps every string in ⟦…⟧
    truth: dict[str, Any]  # ground_truth.json: what the report should tell the person


@pytest.fixture(scope="session")
def persona_report(tmp_path_factory: pytest.TempPathFactory) -> PersonaReport:
    tmp = tmp_path_factory.mktemp("browser-persona")
    # Seed 0 (profile "default": home, day work, trips, a planted login from abroad); scale 0.25 is ~2 months.
    persona = generate(tmp / "persona", seed=0, scale=0.25)
    res = run_audit(export_inputs(persona), tmp / "audit")
    assert res.report_path is not None and res.exit_code == 0
    with Store(res.store_path) as store:
        data = report_data(store, res)
    pseudo = res.report_path.with_name(f"report-{PSEUDO}.html")
    pseudo.write_text(render_html(data, PSEUDO), encoding="utf-8")
    truth = json.loads((persona / "ground_truth.json").read_text(encoding="utf-8"))
    return PersonaReport(res.report_path, pseudo, truth)


@dataclass
class BrowserPage:
    page: Any
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)  # requests to anything but local schemes
    errors: list[str] = field(default_factory=list)  # uncaught exceptions and console errors

    def open(self, path: Path) -> None:
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")

    def screenshot(self, name: str, *, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        out = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(out), full_page=full_page)
        return out

    def screenshot_of(self, selector: str, name: str) -> Path:
        """A picture of one element (a section), as the person sees it."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        out = SCREENSHOTS / f"{name}.png"
        self.page.locator(selector).screenshot(path=str(out))
        return out

    def axe(self) -> list[dict[str, Any]]:
        """Serious and critical accessibility violations found by axe-core in the current page."""
        if not AXE_JS.is_file():
            pytest.fail(f"axe-core is not set up ({AXE_JS} missing): run `make data` "
                        "(or `python tests/browser/setup_axe.py`); tests never fetch it")
        self.page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
        violations: list[dict[str, Any]] = self.page.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
        }""")
        return [v for v in violations if v["impact"] in ("serious", "critical")]

    def assert_clean(self) -> None:
        assert not self.blocked, f"the page tried to reach the network: {self.blocked}"
        assert not self.errors, f"JavaScript errors: {self.errors}"


@pytest.fixture()
def browser_page(browser: Any) -> Iterator[BrowserPage]:
    context = browser.new_context(viewport={"width": 1100, "height": 900}, service_workers="block")
    page = context.new_page()
    bp = BrowserPage(page)

    def seen(url: str) -> bool:
        """Record a request (once, whether the route or the event sees it first); True if local."""
        if url not in bp.requests:
            bp.requests.append(url)
        local = url.startswith(LOCAL_SCHEMES)
        if not local and url not in bp.blocked:
            bp.blocked.append(url)
        return local

    def route(r: Any) -> None:
        if seen(r.request.url):
            r.continue_()
        else:
            r.abort()

    context.route("**/*", route)
    page.on("request", lambda req: seen(req.url))  # also what the route cannot see (data:, blob:)
    page.on("pageerror", lambda exc: bp.errors.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: bp.errors.append(f"console.{msg.type}: {msg.text}")
            if msg.type == "error" else None)
    try:
        yield bp
    finally:
        context.close()
