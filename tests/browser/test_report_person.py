"""The persona's report in Chromium, checked the way a person reads and uses it: the summary tells the
truth the persona planted, the map puts home and work where they are, filters, check-boxes, small
screens, zoom and the keyboard work, and no interface text escapes translation."""

from __future__ import annotations

import io
import math
import re
import struct
from typing import Any

import pytest
from PIL import Image

from reflet.report.i18n import Translator

from .conftest import BrowserPage, PersonaReport

pytestmark = pytest.mark.browser

SECTIONS = ("account", "summary", "map", "timeline", "identity", "adtech", "findings", "plan", "read")
EN = Translator("en")
# What a keyboard user can land on (the same list the focus styles cover).
CONTROLS = "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])"


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine), independent of the report's own arithmetic."""
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def _coords(text: str) -> tuple[float, float]:
    m = re.search(r"(-?\d+\.\d+),\s*(-?\d+\.\d+)", text)
    assert m, f"no coordinates in {text!r}"
    return float(m.group(1)), float(m.group(2))


def _number(text: str) -> float:
    m = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    assert m, f"no number in {text!r}"
    return float(m.group(0).replace(",", ""))


# Drawn on the page: no ancestor hidden, and a box. (Chromium's checkVisibility() says true for an SVG
# element inside a hidden group, so it is not used for the drawings.)
SHOWN_JS = """const shown = (e) => {
  for (let x = e; x; x = x.parentElement) {
    const s = getComputedStyle(x);
    if (s.display === 'none' || s.visibility === 'hidden') return false;
  }
  const r = e.getBoundingClientRect();
  return r.width > 0 && r.height > 0;
};"""


def _visible(bp: BrowserPage, selector: str) -> int:
    """How many elements matching ``selector`` are drawn on the page (not hidden by a filter)."""
    n: int = bp.page.evaluate(f"(s) => {{ {SHOWN_JS} return [...document.querySelectorAll(s)].filter(shown).length; }}",
                              selector)
    return n


def _centre(box: dict[str, float] | None) -> tuple[float, float]:
    assert box is not None and box["width"] > 0 and box["height"] > 0, box
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


# -- the summary -------------------------------------------------------------------------------
def test_summary_names_the_planted_home_work_and_unrecognised_login(browser_page: BrowserPage,
                                                                    persona_report: PersonaReport) -> None:
    page, truth = browser_page.page, persona_report.truth
    browser_page.open(persona_report.path)
    for box, key in (("#sum-home", "home"), ("#sum-work", "work")):
        where = page.locator(f"{box} dd.where")
        assert where.is_visible(), f"{key} is not shown in the summary"
        text = where.inner_text()
        said = _coords(where.locator("code.coord").inner_text())
        radius = _number(where.locator("strong").first.inner_text())
        # The summary says "within R m of (lat, lon)": the planted place must really be there...
        off = _metres(said, (truth[key]["lat"], truth[key]["lon"]))
        assert off <= radius, f"{key}: the summary says within {radius:.0f} m, the truth is {off:.0f} m away"
        # ...and the area is named in words, not only in coordinates.
        assert truth["person"]["city"] in text, text

    intrusion = next(c for c in truth["compromise"] if c["kind"] == "login_unrecognised_device_abroad")
    top = page.locator("#summary ol.top li")
    named = top.filter(has_text=intrusion["country"]).filter(has_text=intrusion["service"])
    assert named.count() == 1, f"the top findings do not name the login from {intrusion['country']}: " \
                               f"{top.all_inner_texts()}"
    # The "someone else in my account?" section comes first, and names it too.
    first = page.locator("main section").first
    assert first.get_attribute("id") == "account" and first.is_visible()
    assert intrusion["country"] in first.inner_text()
    # Following the summary's link lands on the finding itself.
    named.locator("a").click()
    target = page.locator(named.locator("a").get_attribute("href") or "#missing")
    assert target.is_visible() and intrusion["country"] in target.inner_text()
    assert page.evaluate("(h) => { const r = document.querySelector(h).getBoundingClientRect(); "
                         "return r.top >= -1 && r.top < innerHeight; }", named.locator("a").get_attribute("href"))
    browser_page.assert_clean()


# -- the map -----------------------------------------------------------------------------------
_MARKS_JS = """(num) => { """ + SHOWN_JS + """ return [...document.querySelectorAll('#map-svg g.anchor-mark')]
  .filter(g => g.querySelector('text').textContent.trim() === num)
  .map(g => { const box = e => { const r = e.getBoundingClientRect();
                                 return {x: r.x, y: r.y, width: r.width, height: r.height}; };
              return {title: g.querySelector('title').textContent, drawn: shown(g.querySelector('.pin')),
                      pin: box(g.querySelector('.pin')), ring: box(g.querySelector('.radius')),
                      label: box(g.querySelector('text'))}; }); }"""


def _mark(bp: BrowserPage, num: str) -> dict[str, Any]:
    marks: list[dict[str, Any]] = bp.page.evaluate(_MARKS_JS, num)
    assert len(marks) == 1, f"{len(marks)} map marks labelled {num}"
    return marks[0]


_LABELS_JS = """() => [...document.querySelectorAll('#map-svg g.anchor-mark')].map(g => {
  const p = g.querySelector('.pin').getBoundingClientRect(), t = g.querySelector('text').getBoundingClientRect();
  return {n: g.querySelector('text').textContent, pin: [p.x + p.width / 2, p.y + p.height / 2],
          box: [t.left, t.top, t.right, t.bottom]}; })"""


def _labels_readable(bp: BrowserPage) -> None:
    """The marks' numbers do not print over each other (home and the platform's "home" label share a spot)."""
    marks: list[dict[str, Any]] = bp.page.evaluate(_LABELS_JS)
    for i, a in enumerate(marks):
        for b in marks[i + 1:]:
            (l1, t1, r1, b1), (l2, t2, r2, b2) = a["box"], b["box"]
            overlap = min(r1, r2) - max(l1, l2) > 1 and min(b1, b2) - max(t1, t2) > 1
            assert not overlap, f"labels {a['n']} and {b['n']} are drawn over each other"


def _pin_painted(bp: BrowserPage, num: str) -> None:
    """The pixel at the pin's centre has the pin's colour: nothing is painted over it."""
    pin = bp.page.locator("#map-svg g.anchor-mark").filter(has=bp.page.locator("text", has_text=re.compile(
        rf"^{num}$"))).locator(".pin")
    fill = bp.page.evaluate("(e) => getComputedStyle(e).fill", pin.element_handle())
    want = tuple(int(v) for v in re.findall(r"\d+", fill)[:3])
    svg = bp.page.locator("#map-svg")
    png = Image.open(io.BytesIO(svg.screenshot())).convert("RGB")
    box, at = svg.bounding_box(), _centre(pin.bounding_box())
    assert box is not None
    got = png.getpixel((round(at[0] - box["x"]), round(at[1] - box["y"])))
    assert all(abs(g - w) < 40 for g, w in zip(got, want)), f"pin {num} is not seen: {got} where {want} is drawn"


def test_map_draws_home_and_work_where_they_are(browser_page: BrowserPage, persona_report: PersonaReport) -> None:
    page, truth = browser_page.page, persona_report.truth
    browser_page.open(persona_report.path)
    rows = {k: page.locator(f'#map table.places tr.anchor-row[data-kind="anchor.{k}"]').first for k in ("home", "work")}
    nums, radius = {}, {}
    for k, row in rows.items():
        cells = row.locator("td")
        assert cells.nth(1).inner_text().startswith(EN(f"kind.anchor.{k}")), cells.nth(1).inner_text()
        nums[k] = cells.nth(0).inner_text().strip()
        radius[k] = _number(cells.nth(3).inner_text())
        mark = _mark(browser_page, nums[k])
        # A pin the person can see, numbered like its row, named in words for a screen reader or a hover.
        assert mark["drawn"] and mark["pin"]["width"] > 2, mark
        assert mark["title"] == f"{nums[k]}: {EN(f'kind.anchor.{k}')}"
        # The number is printed just above right of its pin, in a row with those of the marks around it.
        (px, py), (_, ly) = _centre(mark["pin"]), _centre(mark["label"])
        around = sum(math.dist(m["pin"], (px, py)) < 30 for m in browser_page.page.evaluate(_LABELS_JS))
        assert 0 <= mark["label"]["x"] - px < 25 * around and abs(ly - py) < 25, "the number is not by its pin"
    assert nums["home"] != nums["work"]
    _labels_readable(browser_page)

    # "Show" zooms the map onto home: its uncertainty circle becomes visible around the pin.
    rows["home"].locator("button.goto").click()
    svg = page.locator("#map-svg").bounding_box()
    home = _mark(browser_page, nums["home"])
    assert home["ring"]["width"] > max(15, 2 * home["pin"]["width"]), f"the uncertainty circle stays a dot: {home}"
    hx, hy = _centre(home["pin"])
    assert svg and abs(hx - (svg["x"] + svg["width"] / 2)) < 5 and abs(hy - (svg["y"] + svg["height"] / 2)) < 5
    assert _centre(home["ring"]) == pytest.approx((hx, hy), abs=1.5)
    _labels_readable(browser_page)
    _pin_painted(browser_page, nums["home"])

    # Zooming out from there until work shows: the two pins are placed as on the ground.
    for _ in range(12):
        work = _mark(browser_page, nums["work"])
        wx, wy = _centre(work["pin"])
        if svg["x"] + 10 < wx < svg["x"] + svg["width"] - 10 and svg["y"] + 10 < wy < svg["y"] + svg["height"] - 10:
            break
        page.click('[data-zoom="out"]')
    else:
        pytest.fail("work never came into view while zooming out from home")
    home = _mark(browser_page, nums["home"])
    hx, hy = _centre(home["pin"])
    _pin_painted(browser_page, nums["home"])
    _pin_painted(browser_page, nums["work"])
    px_per_m = home["ring"]["width"] / 2 / radius["home"]  # the ring is drawn to scale: the map's own ruler
    h, w = truth["home"], truth["work"]
    north = _metres((h["lat"], h["lon"]), (w["lat"], h["lon"])) * (1 if w["lat"] > h["lat"] else -1)
    east = _metres((h["lat"], h["lon"]), (h["lat"], w["lon"])) * (1 if w["lon"] > h["lon"] else -1)
    drawn_east, drawn_north = (wx - hx) / px_per_m, (hy - wy) / px_per_m
    bearing = math.degrees(math.atan2(east, north))
    drawn_bearing = math.degrees(math.atan2(drawn_east, drawn_north))
    assert abs((drawn_bearing - bearing + 180) % 360 - 180) < 5, (bearing, drawn_bearing)
    assert math.hypot(drawn_east, drawn_north) == pytest.approx(math.hypot(east, north), rel=0.15)
    browser_page.screenshot("map-home-and-work")
    browser_page.assert_clean()


# -- filters -----------------------------------------------------------------------------------
def _bars_stack_without_holes(bp: BrowserPage) -> None:
    bars: list[dict[str, Any]] = bp.page.evaluate("""() => { """ + SHOWN_JS + """
        const base = parseFloat(document.querySelector('#timeline-svg').getAttribute('data-base'));
        return [...document.querySelectorAll('#timeline-svg rect.bar')].filter(shown)
          .map(r => ({t: r.getAttribute('data-time'), y: parseFloat(r.getAttribute('y')),
                      h: parseFloat(r.getAttribute('height')), base})); }""")
    by_time: dict[str, list[dict[str, Any]]] = {}
    for b in bars:
        by_time.setdefault(b["t"], []).append(b)
    for t, stack in by_time.items():
        stack.sort(key=lambda b: -b["y"])
        floor = stack[0]["base"]
        for b in stack:
            assert b["y"] + b["h"] == pytest.approx(floor, abs=0.3), f"a hole in the bar of {t}"
            floor = b["y"]


def test_channel_platform_and_time_filters_change_what_is_shown(browser_page: BrowserPage,
                                                                persona_report: PersonaReport) -> None:
    page = browser_page.page
    browser_page.open(persona_report.path)
    mapf = '.filters[data-filter-for="map"]'
    cells, anchors = "#map-svg circle.cell", "#map-svg g.anchor-mark"
    all_cells, all_anchors = _visible(browser_page, cells), _visible(browser_page, anchors)
    records = _visible(browser_page, f'{cells}[data-channel="records"]')
    assert records > 0 and all_anchors > 0

    # Channel, on the map: the records points and the places found from them go, the rest stays.
    page.uncheck(f'{mapf} input[name="channel"][value="records"]')
    assert _visible(browser_page, f'{cells}[data-channel="records"]') == 0
    assert _visible(browser_page, cells) == all_cells - records
    assert _visible(browser_page, f'{anchors}[data-channel="records"]') == 0
    assert _visible(browser_page, "#findings article.finding") > 0  # another section's filter is its own
    page.check(f'{mapf} input[name="channel"][value="records"]')
    assert (_visible(browser_page, cells), _visible(browser_page, anchors)) == (all_cells, all_anchors)

    # Channel, in the findings: unticking "public" hides exactly the public findings.
    findf = '.filters[data-filter-for="findings"]'
    cards = "#findings article.finding"
    total, public = _visible(browser_page, cards), _visible(browser_page, f'{cards}[data-channel="public"]')
    assert 0 < public < total
    page.uncheck(f'{findf} input[name="channel"][value="public"]')
    assert _visible(browser_page, f'{cards}[data-channel="public"]') == 0
    assert _visible(browser_page, cards) == total - public
    page.check(f'{findf} input[name="channel"][value="public"]')
    assert _visible(browser_page, cards) == total

    # Platform, on the map: Google's points go; the photos' (platform "media") stay.
    google = _visible(browser_page, f'{cells}[data-platform="google"]')
    others = all_cells - google
    assert google > 0 and others > 0
    page.uncheck(f'{mapf} input[name="platform"][value="google"]')
    assert _visible(browser_page, f'{cells}[data-platform="google"]') == 0
    assert _visible(browser_page, cells) == others
    page.check(f'{mapf} input[name="platform"][value="google"]')
    assert _visible(browser_page, cells) == all_cells

    # Time, on the map: from the last month on, only that month's points are left.
    months = page.locator(f'{mapf} select[name="from"] option').evaluate_all("os => os.map(o => o.value)")
    assert len(months) > 1
    page.select_option(f'{mapf} select[name="from"]', months[-1])
    shown = page.evaluate(f"() => {{ {SHOWN_JS} return [...document.querySelectorAll('#map-svg circle.cell')]"
                          ".filter(shown).map(e => e.getAttribute('data-time')); }")
    dated = [t for t in shown if t]  # points without a date (a profile's address) are not filtered by time
    assert dated and set(dated) == {months[-1]} and len(shown) < all_cells
    page.select_option(f'{mapf} select[name="from"]', months[0])
    assert _visible(browser_page, cells) == all_cells

    # Platform and kind, on the timeline: bars go, and what is left is stacked again without holes.
    tlf = '.filters[data-filter-for="timeline"]'
    bars = "#timeline-svg rect.bar"
    all_bars, google_bars = _visible(browser_page, bars), _visible(browser_page, f'{bars}[data-platform="google"]')
    assert 0 < google_bars < all_bars
    page.uncheck(f'{tlf} input[name="platform"][value="google"]')
    assert _visible(browser_page, bars) == all_bars - google_bars
    _bars_stack_without_holes(browser_page)
    page.uncheck(f'{tlf} input[name="kind"][value="logins"]')
    assert _visible(browser_page, f'{bars}[data-kind="logins"]') == 0
    _bars_stack_without_holes(browser_page)
    page.check(f'{tlf} input[name="kind"][value="logins"]')
    page.check(f'{tlf} input[name="platform"][value="google"]')
    assert _visible(browser_page, bars) == all_bars
    _bars_stack_without_holes(browser_page)
    browser_page.assert_clean()


# -- the plan's check-boxes ----------------------------------------------------------------------
def test_a_ticked_step_survives_a_reload_and_so_does_unticking_it(browser_page: BrowserPage,
                                                                  persona_report: PersonaReport) -> None:
    page = browser_page.page
    browser_page.open(persona_report.path)
    steps = page.locator("#plan input.step")
    assert steps.count() >= 2
    first, second = steps.nth(0), steps.nth(1)
    assert not first.is_checked() and not second.is_checked()
    first.check()
    page.reload()
    assert steps.nth(0).is_checked() and not steps.nth(1).is_checked()
    steps.nth(0).uncheck()
    page.reload()
    assert not steps.nth(0).is_checked()
    # Opened again from the file, in a new tab: the same state (kept by the browser, not the file).
    steps.nth(1).check()
    other = page.context.new_page()
    other.goto(persona_report.path.as_uri())
    assert other.locator("#plan input.step").nth(1).is_checked()
    assert not other.locator("#plan input.step").nth(0).is_checked()
    other.close()
    browser_page.assert_clean()


# -- screenshots and the pseudo-language --------------------------------------------------------
def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    w, h = struct.unpack(">II", data[16:24])
    return w, h


def test_a_screenshot_of_each_section_is_written(browser_page: BrowserPage, persona_report: PersonaReport) -> None:
    browser_page.open(persona_report.path)
    for sid in SECTIONS:
        section = browser_page.page.locator(f"section#{sid}")
        assert section.count() == 1 and section.is_visible(), sid
        out = browser_page.screenshot_of(f"section#{sid}", f"section-{sid}")
        w, h = _png_size(out.read_bytes())
        assert w > 300 and h > 80, (sid, w, h)
    browser_page.assert_clean()


_UI_TEXT_JS = """() => {
  // Everything a person can see or hear that is not a data value (class "v": names, places, numbers).
  const out = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement;
    if (!n.data.trim() || el.closest('script, style, .v')) continue;
    // SVG <title>/<desc> are not drawn but are read out: they count.
    if (!el.checkVisibility() && !el.closest('svg')) continue;
    out.push(n.data.trim());
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [alt], [placeholder]')) {
    for (const a of ['aria-label', 'title', 'alt', 'placeholder']) {
      const v = el.getAttribute(a);
      if (v && !el.closest('.v')) out.push(v);
    }
  }
  return out;
}"""


def _unwrapped(texts: list[str]) -> list[str]:
    return [t for t in texts if re.search(r"[^\W\d_]", re.sub(r"⟦[^⟦⟧]*(?:⟦[^⟦⟧]*⟧[^⟦⟧]*)*⟧", "", t))]


def test_pseudo_language_shows_no_unwrapped_interface_text_in_the_browser(browser_page: BrowserPage,
                                                                          persona_report: PersonaReport) -> None:
    """Everything but data values (class "v": the person's own names, places, numbers): interface
    text and the findings' titles, details and evidence, which are messages in the translation files."""
    page = browser_page.page
    browser_page.open(persona_report.pseudo)
    # Show everything the page can show: every evidence list, and the links made by script on opt-in.
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.check("#online-optin")
    assert page.locator("span.online a").count() > 0
    texts: list[str] = page.evaluate(_UI_TEXT_JS)
    assert len(texts) > 300 and sum("⟦" in t for t in texts) > 300  # the check has text to check
    titles = page.locator("#findings .ftitle").all_inner_texts()
    assert len(titles) > 5 and all("⟦" in t for t in titles)  # findings are translated, not skipped
    assert _unwrapped(texts) == []
    browser_page.screenshot("report-pseudo-language", full_page=False)
    # The check sees a string that escaped translation, even one added by script.
    page.evaluate("() => { const p = document.createElement('p'); p.textContent = 'Untranslated';"
                  " document.querySelector('#plan').appendChild(p); }")
    assert _unwrapped(page.evaluate(_UI_TEXT_JS)) == ["Untranslated"]
    browser_page.assert_clean()


# -- small screens, zoom, keyboard ---------------------------------------------------------------
@pytest.mark.parametrize(("width", "height", "why"), [
    (375, 812, "a phone"),
    (640, 450, "a 1280 x 900 window at 200% zoom"),  # zoom divides the CSS pixels the page lays out in
])
def test_usable_on_a_phone_and_at_200_percent_zoom(browser_page: BrowserPage, persona_report: PersonaReport,
                                                   width: int, height: int, why: str) -> None:
    page = browser_page.page
    page.set_viewport_size({"width": width, "height": height})
    browser_page.open(persona_report.path)
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    size = page.evaluate("() => ({doc: document.documentElement.scrollWidth, body: document.body.scrollWidth,"
                         " view: document.documentElement.clientWidth})")
    assert size["doc"] <= size["view"] and size["body"] <= size["view"], f"the page scrolls sideways on {why}: {size}"
    # Every control is on screen horizontally when it has the focus (the skip link only shows then; wide
    # tables scroll inside their own box, not the page).
    off: list[str] = page.evaluate("""(sel) => [...document.querySelectorAll(sel)].filter(e => e.checkVisibility())
        .filter(e => !e.closest('.scroll')).filter(e => { e.focus(); const r = e.getBoundingClientRect();
                                                          return r.left < -1 || r.right > innerWidth + 1; })
        .map(e => e.outerHTML.slice(0, 80))""", CONTROLS)
    assert off == [], f"controls cut off on {why}"
    assert page.locator("#map-svg").bounding_box()["width"] <= width  # type: ignore[index]
    page.evaluate("() => window.scrollTo(0, 0)")
    browser_page.screenshot(f"report-{width}px", full_page=False)  # the whole page, every list open, is too tall
    browser_page.assert_clean()


def test_every_control_is_reachable_by_keyboard_with_visible_focus(browser_page: BrowserPage,
                                                                   persona_report: PersonaReport) -> None:
    page = browser_page.page
    browser_page.open(persona_report.path)
    total: int = page.evaluate("""(sel) => { let i = 0;
        document.querySelectorAll(sel).forEach(e => {
          if (e.checkVisibility()) e.setAttribute('data-kb', String(i++)); });
        return i; }""", CONTROLS)
    assert total > 100
    reached: dict[str, dict[str, Any]] = {}
    for _ in range(total + 20):
        page.keyboard.press("Tab")
        got = page.evaluate("""() => { const e = document.activeElement;
            if (!e || e === document.body || !e.hasAttribute('data-kb')) return null;
            const s = getComputedStyle(e), r = e.getBoundingClientRect();
            return {kb: e.getAttribute('data-kb'), html: e.outerHTML.slice(0, 80), ring: s.outlineStyle !== 'none'
                    && parseFloat(s.outlineWidth) >= 2, fv: e.matches(':focus-visible'),
                    seen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight}; }""")
        if got is None:
            continue
        if got["kb"] in reached:
            break  # round the page once
        reached[got["kb"]] = got
    assert len(reached) == total, f"{total - len(reached)} control(s) never reached with Tab"
    assert [int(k) for k in reached] == sorted(int(k) for k in reached), "Tab order jumps around the page"
    unseen = [r["html"] for r in reached.values() if not (r["ring"] and r["fv"] and r["seen"])]
    assert unseen == [], "focus not visible on these"
    # And the keyboard works them: Space ticks the plan step that has the focus.
    step = page.locator("#plan input.step").first
    step.focus()
    page.keyboard.press("Space")
    assert step.is_checked()
    browser_page.assert_clean()


def test_persona_report_has_no_serious_accessibility_violation(browser_page: BrowserPage,
                                                               persona_report: PersonaReport) -> None:
    # Every platform's findings, the account section and a map with thousands of cells, for axe-core.
    browser_page.open(persona_report.path)
    assert browser_page.axe() == []
    browser_page.assert_clean()
