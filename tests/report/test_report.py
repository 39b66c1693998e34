"""What a person sees in the report: sections, map, plan, languages, and the JSON's schema."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from importlib import resources
from typing import Any, ClassVar

import jsonschema
import pytest

from reflet.report import basemap
from reflet.report.i18n import Translator, fields, strings
from reflet.report.render import render_html
from tests.report.conftest import HOME, NEAR

SECTIONS = ("account", "summary", "map", "timeline", "identity", "adtech", "findings", "plan", "read")


class Page(HTMLParser):
    """Text and attributes of a page, with data values (class "v") told apart from interface text."""

    VOID: ClassVar[set[str]] = {"meta", "br", "input", "img", "link", "hr", "circle", "rect", "path", "line"}

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.ui_text: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []  # (tag, name, value)
        self.ids: list[str] = []
        self.feed(html)

    def _skipping(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for k, v in a.items():
            self.attrs.append((tag, k, v))
        if "id" in a:
            self.ids.append(a["id"])
        if tag in self.VOID:
            return
        skip = tag in ("script", "style") or "v" in a.get("class", "").split()
        self.stack.append((tag, skip))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for k, v in attrs:
            self.attrs.append((tag, k, v or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._skipping() and data.strip():
            self.ui_text.append(data.strip())


def section(html: str, sid: str) -> str:
    m = re.search(rf'<section id="{sid}"(.*?)</section>', html, re.S)
    assert m, f"section {sid} missing"
    return m.group(1)


def text(fragment: str) -> str:
    fragment = re.sub(r"</?(?:span|strong|code)\b[^>]*>", "", fragment)  # inline: no space where they were
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).replace("&#39;", "'").replace("&amp;", "&")


def test_every_section_is_there_with_its_id_in_order(report: dict[str, Any]) -> None:
    html = report["html"]
    positions = [html.index(f'<section id="{s}"') for s in SECTIONS]
    # The account section comes first when there is a sign of someone else in an account.
    assert positions == sorted(positions)
    assert positions[0] < report["html"].index('id="h-summary"')
    assert "Is someone else in my account?" in section(html, "account")
    assert "3 logins from Russia on Facebook" in text(section(html, "account"))
    assert "change the password" in section(html, "account")


def test_summary_gives_top_findings_channels_and_what_was_not_seen(report: dict[str, Any]) -> None:
    s = text(section(report["html"], "summary"))
    top = s.split("The most serious findings", 1)[1].split("What each channel", 1)[0]
    assert "Your home can be placed within 120 m" in top
    assert top.index("critical") < top.index("high")  # most serious first
    assert "anyone can see this" in s and "advertisers and data brokers hold this" in s
    assert "Data brokers hold your data: Acxiom" in s.split("ad-tech", 1)[1]
    assert "Not in these exports: TikTok and Snapchat" in s.split("What this audit could not see", 1)[1]


def test_map_shows_home_coordinates_near_text_and_aggregated_points(report: dict[str, Any]) -> None:
    m = section(report["html"], "map")
    assert f"{HOME[0]:.5f}, {HOME[1]:.5f}" in m
    assert NEAR in m
    assert "<svg" in m and 'role="img"' in m and "<desc" in m  # a text alternative for the drawing
    # Location points are drawn as counted cells, each filterable.
    cells = re.findall(r'<circle class="cell [^"]+"[^>]*>', m)
    assert cells and all('data-channel="' in c and 'data-platform="' in c and 'data-time="' in c for c in cells)
    n = sum(int(x) for x in re.findall(r'<circle class="cell [^>]*data-n="(\d+)"', m))
    assert n == report["data"]["map"]["points"] > 0
    assert 'class="cell public"' in m  # the public photos inserted in the fixture
    ip = next(i for i in report["data"]["map"]["ips"] if i["city"] == "Laval")
    assert ip["logins"] == 10 and ip["platforms"] == ["facebook", "instagram"] and ip["radius_km"] == 20
    assert re.search(r'<circle class="ip"[^>]*data-platform="facebook instagram"', m)
    assert "Places located from IP addresses (1)" in text(m) and "Laval, Canada" in text(m)


def test_no_network_address_in_any_src_or_href(report: dict[str, Any]) -> None:
    for lang in ("html", "fr", "es", "xx"):
        page = Page(report[lang])
        for _tag, name, value in page.attrs:
            if name in ("src", "href", "action", "xlink:href", "data", "poster"):
                assert not re.match(r"^\s*(https?:)?//", value), (name, value)
        assert "<iframe" not in report[lang] and "<link" not in report[lang]
        assert "default-src 'none'" in report[lang]
        style = report[lang].split("<style>", 1)[1].split("</style>", 1)[0]
        script = report[lang].split("<script>", 1)[1].split("</script>", 1)[0]
        assert "details > summary" in style and "&gt;" not in style  # inlined as written, not escaped
        assert "&amp;" not in script and "&#34;" not in script


def test_online_map_link_exists_only_as_an_opt_in(report: dict[str, Any]) -> None:
    m = section(report["html"], "map")
    box = re.search(r'<input type="checkbox" id="online-optin"[^>]*>', m)
    assert box and "checked" not in box.group(0)
    assert "sends the coordinates to that website" in text(m)
    assert "<a " not in m.split('id="online-optin"')[0].split("Named places")[1]  # no link until ticked


def test_plan_orders_critical_first_and_says_unverified(report: dict[str, Any]) -> None:
    plan = report["data"]["plan"]
    order = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
    ranks = [(order[p["severity"]], -p["evidence_count"]) for p in plan]
    assert ranks == sorted(ranks) and plan[0]["severity"] == "critical"
    p = section(report["html"], "plan")
    items = re.findall(r'<li class="plan-item (\w+)"', p)
    assert items[0] == "critical" and items == [i["severity"] for i in plan]
    assert "unverified" in p
    boxes = re.findall(r'<input type="checkbox" class="step" data-step="([0-9a-f]{12})">', p)
    assert len(boxes) == sum(len(i["steps"]) for i in plan) and len(set(boxes)) == len(boxes)
    assert "localStorage" in report["html"]
    assert "reflet scrub" in p


def test_deletion_list_names_public_located_items_with_file_and_entry(report: dict[str, Any]) -> None:
    p = section(report["html"], "plan")
    dl = p.split('id="delete"', 1)[1]
    assert "your_instagram_activity/media/posts_1.json" in dl and "/1/media/0" in dl
    assert "2024-02-10" in dl and "40.41680, -3.70380" in dl
    assert report["data"]["deletion"]["total"] >= 2


def test_findings_keep_expandable_evidence_down_to_file_and_entry(report: dict[str, Any]) -> None:
    f = section(report["html"], "findings")
    home = f.split('id="f-anchor-home"', 1)[1].split("</article>", 1)[0]
    assert "<details" in home and "Takeout/Location History/Records.json" in home and "/locations/2" in home
    assert "Showing 3 of 900 records" in text(home)


def test_identity_adtech_timeline_and_read_sections(report: dict[str, Any]) -> None:
    html = report["html"]
    ident = text(section(html, "identity"))
    assert "tied together" in ident and "the same e-mail address" in ident
    if report["data"]["devices"]:
        assert report["data"]["devices"][0]["platforms"][0] in ident
    assert "Acxiom" in section(html, "adtech")
    tl = section(html, "timeline")
    assert 'role="img"' in tl and "The numbers behind the chart" in tl
    assert 'class="mark trip"' in tl and 'class="mark foreign_login"' in tl
    assert re.search(r'<rect class="bar k-locations"[^>]*data-platform="google"', tl)
    rd = text(section(html, "read"))
    names = sorted(a["name"] for a in report["data"]["archives"])
    assert names == ["facebook-me.zip", "instagram-me.zip", "takeout.zip", "twitter.zip"]
    assert all(n in rd for n in names)
    for m in report["data"]["members"][:5]:
        assert m["member"] in rd


def test_translations_are_complete_and_placeholders_match() -> None:
    en = strings("en")
    folder = resources.files("reflet.report").joinpath("i18n")
    langs = [p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json") and p.name != "en.json"]
    assert {"fr", "es"} <= set(langs)
    for lang in langs:
        other = strings(lang)
        assert set(en) - set(other) == set(), lang
        # Only language-specific forms may be extra: country-name overrides, "e" for "y" before /i/...,
        # and the texts whose English lives in the code (--help, source titles; checked in tests/test_cli_i18n.py).
        assert all(k.startswith(("country.", "fmt.", "help.cmd.", "source.")) for k in set(other) - set(en)), (
            lang, set(other) - set(en))
        for k, v in other.items():
            if k not in en:
                continue
            assert {n for n, _, _ in fields(v)} == {n for n, _, _ in fields(en[k])}, (lang, k)
            # Two forms (one, other) in every plural choice: the rule of every language shipped.
            assert all(len(forms) == 2 for _, _, forms in fields(v) if forms is not None), (lang, k)
    assert all(len(forms) == 2 for v in en.values() for _, _, forms in fields(v) if forms is not None)


def test_french_and_spanish_reports_are_translated(report: dict[str, Any]) -> None:
    assert '<html lang="fr">' in report["fr"] and "Que faire" in report["fr"]
    assert '<html lang="es">' in report["es"] and "Qué hacer" in report["es"]
    assert "What to do" not in report["fr"] and "What to do" not in report["es"]


def test_pseudo_language_leaves_no_untranslated_interface_text(report: dict[str, Any]) -> None:
    page = Page(report["xx"])
    assert len(page.ui_text) > 150 and sum("⟦" in c for c in page.ui_text) > 150  # the check has text to check
    leaks = []
    for chunk in page.ui_text:
        rest = re.sub(r"⟦[^⟦⟧]*(?:⟦[^⟦⟧]*⟧[^⟦⟧]*)*⟧", "", chunk)
        if re.search(r"[^\W\d_]", rest):
            leaks.append(chunk)
    for tag, name, value in page.attrs:
        if name in ("aria-label", "title", "alt", "placeholder") and value and not value.startswith("⟦"):
            leaks.append(f"{tag} {name}={value}")
    assert leaks == []


def test_pseudo_language_covers_finding_titles_details_and_evidence(report: dict[str, Any]) -> None:
    """Findings are written from the translation files too: in the pseudo-language, no finding shows the
    stored English text (marked lang="en"), and their words are wrapped while names, numbers and places
    are marked as data (class "v") by the template."""
    cards = re.findall(r'<article class="finding.*?</article>', report["xx"], re.S)
    assert len(cards) == len(report["data"]["findings"]) + len(
        [f for f in report["data"]["findings"] if f["kind"].startswith("account.")])  # also in the account section
    for card in cards:
        assert 'lang="en"' not in card, card[:300]
        title = re.search(r'class="ftitle">(.*?)</h3>', card, re.S)
        assert title and "⟦" in title.group(1), card[:300]
    # Evidence summaries written from messages: words wrapped, values (times, coordinates, IPs) as data.
    home = next(c for c in cards if 'data-kind="anchor.home"' in c)
    rows = re.findall(r"<tr><td><code.*?</tr>", home, re.S)
    assert rows and all("⟦" in r.rsplit("<td>", 1)[1] for r in rows)
    page = Page(report["xx"])
    assert sum("⟦" in c and "Your home can be placed within" in c for c in page.ui_text) >= 2  # summary, card


def test_json_report_validates_against_the_schema(report: dict[str, Any]) -> None:
    schema = json.loads(resources.files("reflet.report").joinpath("schema/report.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    on_disk = json.loads(report["json_path"].read_text("utf-8"))
    jsonschema.validate(on_disk, schema)
    on_disk["findings"][0]["severity"] = "apocalyptic"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(on_disk, schema)


def test_a_minimal_report_still_renders_every_section() -> None:
    d = {"encrypted_store": True, "store": "/x/audit.duckdb", "warnings": [], "findings": [], "records": [],
         "refused": [], "members": [], "issues": [], "reflet_version": "0", "generated": "now", "attributions": []}
    html = render_html(d, "en")
    for s in SECTIONS:
        if s != "account":
            assert f'<section id="{s}"' in html
    assert 'id="account"' not in html
    assert "no location history" in html


def test_unknown_language_falls_back_to_english_and_pseudo_wraps() -> None:
    assert Translator("zz")("plan.h") == "What to do"
    assert Translator("xx")("plan.h") == "⟦What to do⟧"
    assert Translator("fr")("plan.h") != "What to do"


def test_topojson_arcs_become_svg_paths_fitted_to_the_data() -> None:
    # Two squares sharing one border (arc 0), quantised and delta-encoded as TopoJSON stores them.
    topo = {"type": "Topology", "transform": {"scale": [0.1, 0.1], "translate": [0, 40]},
            "arcs": [[[10, 0], [0, 10]], [[10, 10], [-10, 0], [0, -10], [10, 0]], [[10, 0], [10, 0], [0, 10],
                                                                                    [-10, 0]]],
            "objects": {"countries": {"type": "GeometryCollection", "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "properties": {"name": "West"}},
                {"type": "MultiPolygon", "arcs": [[[2, -1]]], "properties": {"name": "East"}}]}}}
    countries = basemap.decode(topo)
    assert [n for n, _ in countries] == ["West", "East"]
    west = countries[0][1][0]
    assert (west.west, west.south, west.east, west.north) == pytest.approx((0, 40, 1, 41))
    proj = basemap.fit([(40.5, 0.5), (40.6, 1.5)])
    assert proj.contains(40.5, 0.5) and proj.contains(40.6, 1.5)
    assert 0.5 * proj.width <= proj.height <= 0.75 * proj.width + 1
    paths = basemap.outlines(proj, countries)
    assert len(paths) == 2 and all(p.startswith("M") and p.endswith("Z") for p in paths)
    far = basemap.fit([(-30.0, 150.0), (-30.1, 150.1)])
    assert basemap.outlines(far, countries) == []  # rings far from the view are left out


def test_a_big_location_history_stays_a_small_page(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from reflet.audit import AuditResult
    from reflet.report.render import report_data
    from reflet.store import Store

    with Store(tmp_path / "a.duckdb") as store:
        store.con.execute("""
            INSERT INTO place (key, archive, member, locator, archive_fp, platform, channels, time, lat, lon, kind)
            SELECT md5(i::VARCHAR), 'takeout.zip', 'Records.json', '/locations/' || i, 'fp',
                   CASE WHEN i % 2 = 0 THEN 'google' ELSE 'snapchat' END,
                   CASE WHEN i % 50 = 0 THEN ['public', 'records'] ELSE ['records'] END,
                   TIMESTAMPTZ '2021-01-01' + to_seconds(i * 300), 45.5 + (i * 7919 % 1000) / 3000.0,
                   -73.6 + (i * 104729 % 1000) / 2500.0, 'gps'
            FROM range(200000) t(i)""")
        d = report_data(store, AuditResult(out=tmp_path, store_path=tmp_path / "a.duckdb"))
    assert d["map"]["points"] == 200_000  # every point counted...
    assert len(d["map"]["cells"]) <= 40_000  # ...in a bounded number of cells
    assert d["deletion"]["total"] == 4_000 and len(d["deletion"]["items"]) == 2_000
    html = render_html(d, "en")
    assert len(html.encode()) < 8_000_000
    assert html.count('<circle class="cell') == len(d["map"]["cells"])


def test_thousands_of_files_are_listed_by_folder() -> None:
    members = [{"archive": "takeout.zip", "member": f"Takeout/Drive/file{i}.txt", "status": "unrecognised",
                "platform": None, "records": 0, "issues": 0, "reason": "no source reads this file"}
               for i in range(1_000)]
    d = {"encrypted_store": True, "store": "/x/audit.duckdb", "warnings": [], "findings": [], "records": [],
         "refused": [], "members": members, "issues": [], "reflet_version": "0", "generated": "now",
         "attributions": [], "folders": [{"archive": "takeout.zip", "folder": "Takeout/Drive", "status": "unrecognised",
                                          "files": 1_000, "records": 0, "issues": 0,
                                          "reason": "no source reads this file"}]}
    rd = text(section(render_html(d, "en"), "read"))
    assert "Files (1,000), grouped by folder" in rd
    assert "Takeout/Drive" in rd and "not recognised: no source reads this file" in rd and "file12.txt" not in rd


def test_a_language_without_texts_gives_english_and_says_so(audited) -> None:  # type: ignore[no-untyped-def]
    from reflet.report.render import write_reports
    from reflet.store import Store

    result, tmp = audited
    out, before = tmp / "de", result.out
    out.mkdir()
    result.out = out
    try:
        with Store(result.store_path) as store:
            html_path, _ = write_reports(store, result, lang="de")
    finally:
        result.out = before
    html = html_path.read_text("utf-8")
    assert '<html lang="en">' in html and "What to do" in html
    assert "no report texts in the language &#34;de&#34;" in html or 'no report texts in the language "de"' in html


def test_generic_remediation_steps_are_translated_and_keep_their_ids(report: dict[str, Any]) -> None:
    from reflet.remediation import lookup

    plan = report["data"]["plan"]
    generic = next(i for i in plan if i["source"] and i["source"].startswith("*."))
    fr = section(report["fr"], "plan")
    en = section(report["html"], "plan")
    assert generic["steps"][0]["text"] in en and generic["steps"][0]["text"] not in fr
    for s in generic["steps"]:
        assert f'data-step="{s["id"]}"' in fr  # a tick made in one language shows in the other
    # Every translated entry exists in remediation.json and has the same number of steps.
    folder = resources.files("reflet.report").joinpath("i18n/remediation")
    for f in folder.iterdir():
        for key, entry in json.loads(f.read_text("utf-8")).items():
            if key.startswith("_"):
                continue
            rem = lookup(key)
            assert rem is not None and rem.key == key and len(rem.steps) == len(entry["steps"]), (f.name, key)


def test_audit_command_writes_the_report_in_the_chosen_language(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from reflet.cli import cli
    from tests.builders import make_export
    from tests.samples import instagram

    files = {p: c for items in instagram.SAMPLES.values() for p, c in items}
    export = make_export(tmp_path, "instagram-me", files, container="zip")
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["audit", str(export), "--out", str(out), "--lang", "es"], env={"COLUMNS": "200"})
    assert res.exit_code in (0, 3), res.output
    html = (out / "report.html").read_text("utf-8")
    assert '<html lang="es">' in html and "Lo que se leyó" in html and "Qué hacer" in html
    assert (out / "report.html").stat().st_mode & 0o077 == 0  # readable by the owner only


def test_a_part_that_fails_costs_only_that_part(audited, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from reflet.report import data as agg
    from reflet.report.render import report_data
    from reflet.store import Store

    def broken(*_a: Any) -> Any:
        raise ValueError("simulated")

    monkeypatch.setattr(agg, "timeline_data", broken)
    result, _ = audited
    with Store(result.store_path) as store:
        d = report_data(store, result)
    assert any("timeline could not be built (ValueError: simulated)" in w for w in d["warnings"])
    html = render_html(d, "en")
    assert "These exports hold no dated activity." in section(html, "timeline")
    assert f"{HOME[0]:.5f}, {HOME[1]:.5f}" in section(html, "map")  # the rest is intact


def test_structure_is_accessible_and_printable(report: dict[str, Any]) -> None:
    html = report["html"]
    assert html.count("<h1") == 1 and '<html lang="en">' in html and 'name="viewport"' in html
    for sid in re.findall(r'<section id="(\w+)" aria-labelledby="h-(\w+)"', html):
        assert sid[0] == sid[1] and f'<h2 id="h-{sid[0]}">' in html
    # Every form control has a visible label around it (or an aria-label, for icon buttons).
    for m in re.finditer(r"<(input|select)\b[^>]*>", html):
        before = html[:m.start()]
        assert before.rfind("<label") > before.rfind("</label>"), m.group(0)
    for m in re.finditer(r"<button\b[^>]*>([^<]*)</button>", html):
        assert "aria-label=" in m.group(0) or re.search(r"[^\W\d_]", m.group(1)), m.group(0)
    for svg in re.findall(r"<svg\b[^>]*>.*?</svg>", html, re.S):
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    css = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert ":focus-visible" in css and "@media (max-width" in css
    printing = css.split("@media print", 1)[1]
    assert "details::details-content" in printing and "display: none" in printing  # evidence open, controls gone
    assert "beforeprint" in html  # and opened by script in browsers without ::details-content
