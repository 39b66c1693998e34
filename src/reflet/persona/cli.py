"""``reflet demo``: audit a made-up person's exports, to see what reflet shows without your own data."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..cli_text import Command, lang_option
from .model import PROFILES

if TYPE_CHECKING:
    from ..report.i18n import Translator


def _truth_line(path: Path, t: Translator) -> str:
    """One plain sentence of what the report should find, to compare with it."""
    import json

    from ..cli import safe

    truth = json.loads(path.read_text(encoding="utf-8"))
    home = truth["home"].get("address") or t("cli.demo_home_unknown")
    work = truth["work"]
    if "address" in work:
        works = t("cli.demo_works_night" if work.get("schedule") == "night" else "cli.demo_works_day",
                  address=work["address"])
    else:
        works = t("cli.demo_no_work" if work.get("status") == "none" else "cli.demo_work_unknown")
    trips = ", ".join(f"{x['city']} ({x['first_day']})" for x in truth["trips"]) or t("cli.demo_no_trips")
    bad = next((x for x in truth["compromise"] if x["kind"] == "login_unrecognised_device_abroad"), None)
    stranger = t("cli.demo_stranger", country=t.country(bad.get("country_code")) if bad.get("country_code")
                 else bad["country"], date=bad["time"][:10]) if bad else ""
    return safe(t("cli.demo_truth", profile=truth["profile"], name=truth["person"]["name"], home=home, work=works,
                  trips=trips, stranger=stranger))


@click.command(cls=Command)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Which made-up person (each seed is a different one).")
@click.option("--scale", type=click.FloatRange(min=0.05), default=1.0, show_default=True,
              help="Multiply the length of the location history (1 = nine months).")
@click.option("--profile", type=click.Choice(PROFILES), default=None,
              help="Kind of person: default, nightshift, traveller, no_work or sparse (too little data). "
                   "Default: chosen by the seed (seed 0 is 'default').")
@click.option("--out", type=click.Path(path_type=Path), default=Path("reflet-demo"), show_default=True,
              help="Folder for the made-up exports, their ground truth and the audit.")
@click.option("--no-audit", is_flag=True, help="Only write the exports and the ground truth.")
@lang_option("Language of the report and summary: en, fr or es.")
@click.pass_context
def demo(ctx: click.Context, seed: int, scale: float, profile: str | None, out: Path, no_audit: bool,
         lang: str) -> None:
    """See a report for a made-up person (nothing of yours is read).

    Writes realistic exports for a fictional person into OUT/exports, with what
    is really true about them in OUT/ground_truth.json, then audits the exports
    into OUT/audit. Running it again into the same folder rewrites the exports
    and audits them again.
    """
    from ..cli import _print_summary, _translator, console, safe
    from ..errors import UsageError
    from .generate import export_inputs, generate

    c, t = console(), _translator(lang)
    started = time.monotonic()
    try:
        generate(out, seed=seed, scale=scale, profile=profile)
    except FileExistsError as exc:
        raise UsageError(exc.args[0] if exc.args else str(exc)) from exc
    inputs = export_inputs(out)
    size = sum(f.stat().st_size for p in inputs for f in ([p] if p.is_file() else p.rglob("*")) if f.is_file())
    c.print(safe(t("cli.demo_written", folder=str(out / "exports"), mb=t.number(size / 1e6, 1),
                   seconds=t.number(time.monotonic() - started, 1), truth=str(out / "ground_truth.json"))))
    c.print(_truth_line(out / "ground_truth.json", t))
    if no_audit:
        for p in inputs:
            c.print(f"  {safe(p)}")
        return
    from ..audit import run_audit

    result = run_audit(inputs, out / "audit", lang=lang)
    _print_summary(result, lang)
    ctx.exit(result.exit_code)
