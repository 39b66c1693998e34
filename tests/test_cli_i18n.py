"""The command line in the terminal's language: `--lang`, else REFLET_LANG, else English."""

from __future__ import annotations

import inspect
import json
import re
from importlib import resources
from pathlib import Path

import click
from click.testing import CliRunner, Result

from reflet import sources as registry
from reflet.cli import cli
from reflet.report.i18n import fields, strings

WIDE = {"COLUMNS": "400", "REFLET_PASSPHRASE": None, "REFLET_DEBUG": None, "REFLET_LANG": None}
# Text left once every ⟦…⟧ (one level of nesting) is taken out: it must hold no letter.
_WRAPPED = re.compile(r"⟦[^⟦⟧]*(?:⟦[^⟦⟧]*⟧[^⟦⟧]*)*⟧")


def run(*args: str, **env: str) -> Result:
    return CliRunner().invoke(cli, list(args), env={**WIDE, **env})


def unwrapped(text: str) -> list[str]:
    """Lines of pseudo-language output with letters outside ⟦…⟧."""
    return [line for line in text.splitlines() if re.search(r"[^\W\d_]", _WRAPPED.sub("", line))]


def test_an_error_in_french_names_both_paths(tmp_path: Path) -> None:
    export = tmp_path / "takeout"
    export.mkdir()
    inside = export / "inside"
    res = run("audit", str(export), "--out", str(inside), "--lang", "fr")
    assert res.exit_code == 2
    text = " ".join(res.output.split())
    assert text.startswith("Erreur :") and f"{inside} se trouve dans l'export {export}" in text
    assert "n'écrit jamais dans vos exports" in text and "is inside" not in text
    assert not inside.exists()
    # REFLET_LANG when the command has no --lang; English without either.
    res = run("audit", str(export), "--out", str(inside), REFLET_LANG="es")
    assert " ".join(res.output.split()).startswith(f"Error: {inside} está dentro de la exportación {export}")
    res = run("audit", str(export), "--out", str(inside))
    assert " ".join(res.output.split()).startswith(f"Error: {inside} is inside the export {export}")
    # The command's --lang wins over the variable, in both spellings.
    assert "Erreur :" in run("audit", str(export), "--out", str(inside), "--lang=fr", REFLET_LANG="es").output


def test_sources_in_spanish() -> None:
    res = run("sources", "--lang", "es")
    assert res.exit_code == 0, res.output
    for header in ("Lo que reflet sabe leer", "Plataforma", "Archivo", "Ruta de ejemplo"):
        assert header in res.output
    assert "Historial de ubicaciones, puntos en bruto (Records.json)" in res.output
    assert "(formato sin confirmar)" in res.output
    assert "What reflet reads" not in res.output and "raw points" not in res.output
    assert "Records.json" in res.output  # example paths are data, kept as they are


def test_pseudo_language_leaves_no_unwrapped_text(tmp_path: Path) -> None:
    res = run("sources", "--lang", "xx")
    assert res.exit_code == 0
    # The platform and example path columns are data: drop them, then every word must be wrapped.
    data = {h.platform for h in registry.handlers()} | {h.example for h in registry.handlers()}
    rows = [re.sub(r"[│┃┏┓┗┛┡┩━─┳╇┻╋└┘┌┐├┤┬┴┼]", " ", line) for line in res.output.splitlines()]
    rows = [" ".join(w for w in re.split(r"\s{2,}", line) if w.strip() not in data) for line in rows]
    assert sum("⟦" in r for r in rows) > len(registry.handlers())  # the check has text to check
    assert unwrapped("\n".join(rows)) == []

    out = tmp_path / "out"
    out.mkdir()
    (out / ".reflet-output").write_text("x")
    res = run("forget", str(out), "--yes", "--lang", "xx")
    assert res.exit_code == 0 and "⟦" in res.output and unwrapped(res.output) == []
    assert not out.exists()

    for args in (("forget", str(tmp_path / "missing"), "--lang", "xx"),
                 ("audit", str(tmp_path), "--out", str(tmp_path / "in"), "--lang=xx")):
        res = run(*args)
        assert res.exit_code == 2 and res.output.startswith("⟦") and unwrapped(res.output) == [], res.output


def test_forget_says_how_many_files_with_a_plural(tmp_path: Path) -> None:
    for n, en, fr in ((1, "(1 file).", "(1 fichier)."), (3, "(3 files).", "(3 fichiers).")):
        for lang, expected in (("en", en), ("fr", fr)):
            out = tmp_path / f"out-{lang}-{n}"
            out.mkdir()
            (out / ".reflet-output").write_text("x")
            for i in range(n - 1):
                (out / f"f{i}").write_text("x")
            res = run("forget", str(out), "--yes", "--lang", lang)
            assert res.exit_code == 0 and expected in " ".join(res.output.split()), res.output


def test_scrub_speaks_french(tmp_path: Path) -> None:
    src = tmp_path / "to-share"
    src.mkdir()
    (src / "notes.txt").write_text("not a photo")
    (src / "raw.dng").write_bytes(b"II*\x00" + b"\x00" * 60)
    res = run("scrub", str(src), "--out", str(tmp_path / "clean"), "--lang", "fr")
    assert res.exit_code == 3, res.output
    text = " ".join(res.output.split())
    assert "Non nettoyés (1), aucune copie écrite :" in text and "raw.dng" in text
    assert "TIFF/DNG/RAW : les métadonnées font partie de la structure même de l'image" in text
    assert "1 autre fichier ignoré (ni photos ni vidéos)." in text
    assert "Not cleaned" not in text and "skipped" not in text


def test_help_in_french_and_every_text_translated() -> None:
    res = run("audit", "--help", "--lang", "fr")
    assert res.exit_code == 0
    text = " ".join(res.output.split())
    assert text.startswith("Utilisation : cli audit [OPTIONS] PATHS...")  # "cli": the test runner's name
    assert "Lire vos exports de données et montrer ce qu'ils révèlent." in text
    assert "Dossier des résultats (créé accessible à vous seul)." in text
    assert "[variable d'environnement : REFLET_LANG; par défaut : en]" in text
    assert "Afficher cette aide et quitter." in text and "Folder for the results" not in text
    top = run("--help", REFLET_LANG="es")
    assert "Comandos:" in top.output and "Lista cada plataforma y cada archivo que reflet sabe leer" in top.output
    assert run("--help").output.startswith("Usage: ")  # English: click's own help, unchanged

    # Every command and option has its text in every language, and no text is left for one that is gone.
    expected = {"help.cmd.cli"} | {f"help.cmd.cli.{p.name}" for p in cli.params if p.help and p.name != "version"}
    for name, cmd in cli.commands.items():
        assert cmd.help
        expected |= {f"help.cmd.{name}"} | {f"help.cmd.{name}.{p.name}" for p in cmd.params
                                             if isinstance(p, click.Option) and p.help}
    titles = {f"source.{h.name}" for h in registry.handlers()}
    folder = resources.files("reflet.report").joinpath("i18n")
    langs = [p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json") and p.name != "en.json"]
    for lang in langs:
        own = strings(lang)
        assert {k for k in own if k.startswith("help.cmd.")} == expected, lang
        assert {k for k in own if k.startswith("source.")} == titles, lang
        # An example block (\b) stays one in the translation: click would otherwise rewrap it.
        for name, cmd in cli.commands.items():
            assert ("\b" in inspect.cleandoc(cmd.help or "")) == ("\b" in own[f"help.cmd.{name}"]), (lang, name)
        assert all(fields(own[k]) == [] for k in expected | titles), lang  # no placeholders to fill


def test_json_output_stays_english_data() -> None:
    """--json is for programs: the language changes nothing in it."""
    assert json.loads(run("sources", "--json", "--lang", "fr").stdout) == json.loads(run("sources", "--json").stdout)
