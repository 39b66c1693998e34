"""Findings and the terminal in the reader's language: numbers, dates, lists, plurals, places."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from reflet.cli import cli
from reflet.findings import Finding, msg
from reflet.report.i18n import translator
from reflet.report.render import near

NNBSP, NBSP = "\u202f", "\u00a0"


def test_numbers_dates_and_distances_follow_the_language() -> None:
    en, fr, es = translator("en"), translator("fr"), translator("es")
    assert (en.number(12345.6, 1), fr.number(12345.6, 1), es.number(12345.6, 1)) == (
        "12,345.6", f"12{NNBSP}345,6", "12.345,6")
    assert (en.number(1234), fr.number(1234), es.number(1234)) == ("1,234", f"1{NNBSP}234", "1234")
    assert (en.format("2024-03-01", "date"), fr.format("2024-03-01", "date"), es.format("2024-03-02", "date")) == (
        "1 March 2024", "1er mars 2024", "2 de marzo de 2024")
    assert (en.format("2024-03-01", "month"), es.format("2024-03-01", "month")) == ("March 2024", "marzo de 2024")
    assert (en.distance(350), en.distance(1500), fr.distance(1500)) == ("350 m", "1.5 km", f"1,5{NBSP}km")


def test_lists_plurals_and_country_names_read_naturally() -> None:
    def title(lang: str, **args: Any) -> str:
        return translator(lang).message("find.account.foreign_login.title", {
            "country": "RU", "platforms": ["facebook"], "when": "2024-02-02", **args})

    assert title("en", n=1).startswith("1 login from Russia on Facebook, starting 2 February 2024")
    assert title("en", n=2).startswith("2 logins from Russia")
    assert title("fr", n=1).startswith("1 connexion à Facebook depuis un pays inhabituel (Russie)")
    assert title("fr", n=3).startswith("3 connexions à Facebook")
    assert title("es", n=2).startswith("2 inicios de sesión en Facebook desde Rusia")
    missing = {"platforms": ["tiktok", "snapchat", "linkedin"]}
    assert translator("en").message("find.coverage.platforms_missing.title", missing).endswith(
        "TikTok, Snapchat and LinkedIn")
    assert translator("fr").message("find.coverage.platforms_missing.title", missing).endswith(
        "TikTok, Snapchat et LinkedIn")
    assert translator("es").message("find.coverage.platforms_missing.title", missing).endswith(
        "TikTok, Snapchat y LinkedIn")
    trip = {"countries": ["ES", "IE"], "span": msg("span.days", first="2024-05-21", last="2024-05-27").as_dict()}
    assert translator("en").message("find.travel.trip", trip) == "Spain and Ireland (21 May to 27 May 2024)"
    assert translator("fr").message("find.travel.trip", trip) == "Espagne et Irlande (du 21 mai au 27 mai 2024)"
    # Spanish writes "e" for "and" before the sound /i/.
    assert translator("es").message("find.travel.trip", trip) == "España e Irlanda (del 21 may al 27 may 2024)"


def test_the_nearest_place_is_said_in_the_language() -> None:
    parts = {"near_parts": {"name": "Saint-Denis", "admin1": "Île-de-France", "country": "FR", "km": 1.23,
                            "bearing": "north-east"},
             "near": "1.2 km north-east of Saint-Denis, Île-de-France, France"}
    assert near(translator("en"), parts).striptags() == "(1.2 km north-east of Saint-Denis, Île-de-France, France)"
    assert near(translator("fr"), parts).striptags() == "(à 1,2 km au nord-est de Saint-Denis, Île-de-France, France)"
    assert near(translator("es"), parts).striptags() == "(a 1,2 km al noreste de Saint-Denis, Île-de-France, Francia)"
    inside = {"near_parts": {"name": "Madrid", "admin1": "Madrid", "country": "ES", "km": 0.2, "bearing": "east"}}
    assert near(translator("fr"), inside).striptags() == "(à Madrid, Espagne)"


def test_a_finding_keeps_its_english_text_and_its_message() -> None:
    f = Finding(kind="public.posts", channel="public", severity="low",
                title=msg("find.public.posts.title", n=1, platforms=["x"]))
    assert f.title == "1 public post or profile field on X" and type(f.title) is str
    assert (f.title_key, f.title_args) == ("find.public.posts.title", {"n": 1, "platforms": ["x"]})
    assert translator("fr").message(f.title_key, f.title_args) == "1 publication ou champ de profil public sur X"
    d = f.to_dict()
    assert d["title"] == f.title and d["title_key"] == "find.public.posts.title" and d["detail_key"] is None


def test_every_finding_of_the_report_reads_in_french_and_spanish(report: dict[str, Any]) -> None:
    """The findings an audit really produces: each title, detail and evidence summary has a translation."""
    seen = 0
    for f in report["data"]["findings"]:
        texts = [(f["title_key"], f["title_args"], f["title"]), (f["detail_key"], f["detail_args"], f["detail"])]
        texts += [(e["summary_key"], e["summary_args"], e["summary"]) for e in f["evidence"]]
        for key, args, english in texts:
            if key is None:
                continue
            assert translator("en").message(key, args) == english
            for lang in ("fr", "es"):
                other = translator(lang).message(key, args)
                assert "{" not in other and "|" not in other, (lang, key, other)
                if re.search(r"[a-z]{4}", re.sub(r"\{[^}]*\}", "", translator("en")._get(key) or "")):
                    assert other != english, (lang, key)  # words to translate, translated
            seen += 1
    assert seen > 30


def test_demo_persona_report_and_summary_in_french(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    res = CliRunner().invoke(cli, ["demo", "--out", str(out), "--scale", "0.1", "--lang", "fr"],
                             env={"COLUMNS": "200"})
    assert res.exit_code in (0, 3), res.output
    html = (out / "audit" / "report.html").read_text("utf-8")
    assert '<html lang="fr">' in html
    card = re.search(r'<article class="finding[^"]*" id="f-anchor-home".*?</article>', html, re.S)
    assert card is not None
    title = re.sub(r"<[^>]+>", "", re.search(r'class="ftitle">(.*?)</h3>', card.group(0), re.S).group(1))
    assert title.startswith("Votre domicile peut être situé à") and "positions enregistrées la nuit" in title
    assert "Your home can be placed" not in html and 'lang="en"' not in card.group(0)
    # The terminal summary speaks French too, home first.
    assert "Domicile : à" in res.output and "Constats :" in res.output
    assert "Votre domicile peut être situé" in res.output
