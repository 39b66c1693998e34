"""The ``reflet`` command: a thin layer over the library, written for non-programmers.

Exit codes: 0 success, 1 nothing readable (or the run failed), 2 usage error, 3 completed
with per-file problems, 130 stopped by Ctrl-C. Tracebacks only with ``--debug``.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .cli_text import Group, current_lang, lang_option, term, text
from .errors import RefletError, UsageError
from .findings import Finding, Msg, msg

if TYPE_CHECKING:
    from .report.i18n import Translator

EXIT_OK, EXIT_NOTHING, EXIT_USAGE, EXIT_ISSUES = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # the shell's convention for a command stopped by SIGINT
# C0/C1 controls (ANSI escapes start with ESC), bidi marks, embeddings, overrides and isolates,
# and the Unicode line/paragraph separators: a file name must not rewrite the terminal.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def safe(text: object) -> str:
    """A name from an archive, ready for ``console().print``: controls and bidi marks replaced,
    rich markup escaped (a member named "[link=...]" must not become a link)."""
    return escape(_CONTROL.sub("?", str(text)))


def console(err: bool = False) -> Console:
    return Console(stderr=err, highlight=False)


def read_passphrase(passphrase_file: Path | None, *, confirm: bool) -> str:
    """From a file, the REFLET_PASSPHRASE variable, or a prompt; never from the command line."""
    if passphrase_file is not None:
        text = passphrase_file.read_text(encoding="utf-8").rstrip("\r\n")
        if not text:
            raise UsageError(msg("cli.err.passphrase_empty", path=str(passphrase_file)))
        return text
    env = os.environ.get("REFLET_PASSPHRASE")
    if env:
        return env
    if not sys.stdin.isatty():
        raise UsageError(msg("cli.err.passphrase_needed"))
    t = term()
    value: str = click.prompt(t("cli.passphrase"), hide_input=True,
                              confirmation_prompt=t("cli.passphrase_again") if confirm else False)
    return value


class _RichProgress:
    def __init__(self, progress: Progress, t: Translator | None = None) -> None:
        self.p = progress
        self.task: object = None
        self.cached = " " + (t or term("en"))("cli.cached_mark")

    def archive_started(self, name: str, total_bytes: int) -> None:
        self.task = self.p.add_task(safe(str(name)[:40]), total=max(total_bytes, 1), records=0)

    def advance(self, nbytes: int, nrecords: int) -> None:
        if self.task is not None:
            rec = self.p.tasks[self.task].fields.get("records", 0) + nrecords  # type: ignore[index]
            self.p.update(self.task, advance=nbytes, records=rec)  # type: ignore[arg-type]

    def archive_done(self, name: str, cached: bool) -> None:
        if self.task is not None:
            t = self.p.tasks[self.task]  # type: ignore[index]
            self.p.update(self.task, completed=t.total,  # type: ignore[arg-type]
                          description=safe(str(name)[:40]) + (safe(self.cached) if cached else ""))


def error_text(t: Translator, exc: BaseException) -> str:
    """An error's message in ``t``'s language when it was raised with a message (English otherwise)."""
    first = exc.args[0] if len(exc.args) == 1 else None
    if isinstance(first, Msg):
        try:
            return t.message(first.key, first.args)
        except (KeyError, ValueError, TypeError):
            pass
    return str(exc)


class Main(Group):
    """Turn reflet's errors into plain messages, in the terminal's language, and exit codes."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            t = term(current_lang(ctx))
            console(err=True).print(f"[bold red]{escape(t('cli.err'))}[/] {safe(error_text(t, exc))}")
            sys.exit(EXIT_USAGE)
        except RefletError as exc:
            if ctx.params.get("debug") or os.environ.get("REFLET_DEBUG"):
                raise
            t = term(current_lang(ctx))
            console(err=True).print(f"[bold red]{escape(t('cli.err'))}[/] {safe(error_text(t, exc))}")
            sys.exit(EXIT_NOTHING)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            # Ctrl-C: reports are written whole or not at all, and an export cut short is read
            # again next time (its records only count once it was read to the end).
            console(err=True).print("\n" + safe(term(current_lang(ctx))("cli.err.stopped")))
            sys.exit(EXIT_INTERRUPTED)
        except Exception as exc:
            if ctx.params.get("debug") or os.environ.get("REFLET_DEBUG"):
                raise
            # The message of an internal error may quote the data being read (an e-mail, an IP):
            # say only what and where in reflet's code; the details are for --debug.
            t = term(current_lang(ctx))
            console(err=True).print(f"[bold red]{escape(t('cli.err.internal'))}[/] "
                                    f"{safe(type(exc).__name__)}{safe(_where(exc))}\n{safe(t('cli.err.internal_hint'))}")
            sys.exit(EXIT_NOTHING)


def _where(exc: BaseException) -> str:
    """`` in reflet/x.py:12``: the innermost frame in reflet's own code, never a value."""
    tb, where = exc.__traceback__, ""
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename.replace("\\", "/")
        if "/reflet/" in name:
            where = f" in reflet/{name.rsplit('/reflet/', 1)[1]}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


@click.group(cls=Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reflet")
@click.option("--debug", is_flag=True, help="Show full error details (for reporting a bug).")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """reflet shows what your own platform data reveals about you, and helps you reduce it.

    It reads the data exports you downloaded (Google, Facebook, Instagram, X, TikTok...)
    and your photo folders. It works entirely offline: nothing is sent anywhere, and your
    files are never changed.

    \b
    Start here:
      reflet demo                          see a report for a made-up person
      reflet audit ~/Downloads/takeout-*.zip --out ~/reflet-audit
      reflet sources                       which exports and files reflet understands
    """
    ctx.obj = {"debug": debug}


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=Path("reflet-audit"), show_default=True,
              help="Folder for the results (created private to you). Keep it off cloud-synced folders.")
@click.option("--encrypt", is_flag=True,
              help="Encrypt the audit database and the report with a passphrase you choose (the report "
                   "opens in your browser after you type it). Setting REFLET_PASSPHRASE also turns this on.")
@click.option("--passphrase-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the passphrase from this file instead of asking (or set REFLET_PASSPHRASE).")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON instead of a summary.")
@lang_option("Language of the report and of this summary: en, fr or es (a file in report/i18n).")
@click.pass_context
def audit(ctx: click.Context, paths: tuple[Path, ...], out: Path, encrypt: bool,
          passphrase_file: Path | None, as_json: bool, lang: str) -> None:
    """Read your data exports and show what they reveal.

    PATHS are the zip files or folders you downloaded from each platform, and any
    photo folders. Split exports (takeout-...-001.zip, -002.zip) are read together.

    \b
    Example:
      reflet audit takeout-20240101T000000Z-001.zip facebook-me-2024.zip ~/Pictures --out ~/reflet-audit
    """
    from .audit import run_audit

    _check_out_apart(out, paths)
    # A passphrase given any way means "encrypt": never write in clear someone who set one.
    wants = encrypt or passphrase_file is not None or bool(os.environ.get("REFLET_PASSPHRASE"))
    passphrase = read_passphrase(passphrase_file, confirm=True) if wants else None
    err = console(err=True)
    from .outputs import cloud_service

    service = cloud_service(out)
    t = _translator(lang)
    if service:
        # Said before anything is written, not only in the summary (by then it may be uploading).
        err.print(f"[bold yellow]{t('cli.warning')}[/] " + safe(t("cli.cloud", out=str(out), service=service)))
    if passphrase is None and not as_json:
        err.print(f"[yellow]{t('cli.note')}[/] {safe(t('cli.clear'))}")
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                  TextColumn("{task.fields[records]:,} " + escape(t("cli.records_unit"))), TimeElapsedColumn(),
                  console=err, transient=as_json, disable=as_json) as p:
        result = run_audit(list(paths), out, passphrase=passphrase, progress=_RichProgress(p, t), lang=lang)
    if as_json:
        click.echo(json.dumps(_json_summary(result), indent=1, default=str))
    else:
        _print_summary(result, lang)
    ctx.exit(result.exit_code)


def _translator(lang: str) -> Translator:
    """The terminal's strings in ``lang`` (English, with a warning, for a language without a file)."""
    from .report.i18n import languages, translator

    if lang not in languages():
        console(err=True).print(f"[yellow]{safe(translator('en')('warn.lang', lang=lang))}[/]")
    return translator(lang)


def _check_out_apart(out: Path, paths: tuple[Path, ...]) -> None:
    """Results never go inside an export (that would change the original) nor hold one."""
    o = out.expanduser().resolve()
    for p in paths:
        r = p.resolve()
        if r.is_dir() and (o == r or r in o.parents):
            raise UsageError(msg("cli.err.out_inside_export", out=str(out), export=str(p)))
        if o in r.parents:
            raise UsageError(msg("cli.err.export_inside_out", out=str(out), export=str(p)))


def _json_summary(result: object) -> dict[str, object]:
    from .audit import AuditResult

    assert isinstance(result, AuditResult)
    return {
        "report": str(result.report_path) if result.report_path else None,
        "json_report": str(result.json_path) if result.json_path else None,
        "store": str(result.store_path),
        "encrypted": result.encrypted,
        "records": [{"type": t, "platform": p, "count": n} for (t, p), n in sorted(result.records.items())],
        "members": dict(result.members),
        "unrecognised": [{"archive": a, "member": m} for a, m in result.unrecognised],
        "issues": [{"archive": a, "member": m, "count": n} for (a, m), n in sorted(result.issues_by_file.items())],
        "refused": result.refused,
        "cached": result.cached,
        "findings": [f.to_dict() for f in result.findings],
        "warnings": result.warnings,
        "exit_code": result.exit_code,
    }


def title_in(t: Translator, f: Finding | dict[str, object]) -> str:
    """A finding's title in the terminal's language (its stored English text when it has no message)."""
    get = f.get if isinstance(f, dict) else lambda k: getattr(f, k, None)
    key, args = get("title_key"), get("title_args")
    if isinstance(key, str) and isinstance(args, dict) and t.has(key):
        try:
            return t.message(key, args)
        except (KeyError, ValueError, TypeError):
            pass
    return str(get("title") or "")


def _print_summary(result: object, lang: str = "en") -> None:
    from .audit import AuditResult
    from .report.i18n import translator

    assert isinstance(result, AuditResult)
    c, t = console(), translator(lang)
    for w in result.warnings:
        c.print(f"[bold yellow]{t('cli.warning')}[/] {safe(w)}")
    if result.records:
        table = Table(title=t("cli.records_read"), title_justify="left")
        table.add_column(t("read.type"))
        table.add_column(t("identity.platforms"))
        table.add_column(t("read.count"), justify="right")
        for (typ, plat), n in sorted(result.records.items()):
            table.add_row(safe(t(f"rec.{typ}", default=typ)), safe(plat), t.number(n))
        c.print(table)
    else:
        c.print(f"[bold]{safe(t('cli.nothing'))}[/] {safe(t('cli.nothing_hint'))}")
    if result.cached:
        c.print(safe(t("cli.cached", names=[str(n) for n in result.cached])))
    for r in result.refused:
        c.print(f"[red]{t('cli.could_not_read')}[/] {safe(r)}")
    if result.unrecognised:
        c.print(safe(t("cli.unrecognised", n=len(result.unrecognised))))
        for a, m in result.unrecognised[:5]:
            c.print(f"  {safe(m)}  [dim]({safe(a)})[/]")
    if result.issues_by_file:
        c.print(f"[yellow]{safe(t('cli.issues'))}[/]")
        for (a, m), n in sorted(result.issues_by_file.items())[:20]:
            c.print(f"  {safe(m)}: {t.number(n)}  [dim]({safe(a)})[/]")
    _print_anchors(c, result.findings, t)
    if result.findings:
        from collections import Counter

        sev = Counter(f.severity for f in result.findings)
        parts = [t("cli.sev_count", n=sev[s], sev=t("sev." + s)) for s in ("critical", "high", "medium", "low", "info")
                 if sev[s]]
        c.print(f"[bold]{t('cli.findings')}[/] {safe(', '.join(parts))}")
        for f in result.findings[:5]:
            # Escaped: rich would read "[critical]" (or a bracket in a title) as markup and drop it.
            c.print(f"  {escape('[' + t('sev.' + f.severity) + ']')} {safe(title_in(t, f))}")
    for name in result.failed_inferences:
        c.print(f"[red]{t('cli.failed')}[/] {safe(name)}")
    if result.report_path:
        c.print(f"\n[bold green]{t('cli.report')}[/] {safe(result.report_path)}")
    c.print(safe(t("cli.forget", out=str(result.out))))


def _print_anchors(c: Console, findings: list[Finding], t: Translator | None = None) -> None:
    """Home and work first, in plain words: the two facts that matter most to a person at risk."""
    from .report.i18n import translator

    t = t or translator("en")
    by_kind = {f.kind: f for f in reversed(findings)}  # first of each kind
    lines = []
    for kind, name in (("anchor.home", "cli.home"), ("anchor.work", "cli.work")):
        f = by_kind.get(kind)
        if f is None:
            continue
        d = f.data
        where = t("cli.within", radius=t.format(d["radius_m"], "m"), lat=f"{d['lat']:.5f}", lon=f"{d['lon']:.5f}")
        if d.get("near"):
            from .report.render import near

            where += " " + near(t, d).striptags()  # "(1.2 km north-east of …)" or "(in …)"
        meta = t("cli.anchor_meta", n=f.evidence_count, channel=t("chan." + f.channel))
        lines.append(f"[bold]{t(name)}[/] {safe(where)}  [dim]({safe(meta)})[/]")
    if "anchor.home" not in by_kind and "anchor.home.unknown" in by_kind:
        lines.append(f"[bold]{t('cli.home')}[/] {safe(t('cli.home_unknown'))}")
    for kind in ("anchor.label.home", "anchor.label.work"):
        if kind in by_kind:
            lines.append(f"[bold]{safe(title_in(t, by_kind[kind]))}[/]")
    for line in lines:
        c.print(line, soft_wrap=True)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@lang_option("Language of the list: en, fr or es.")
def sources(as_json: bool, lang: str) -> None:
    """List every platform and file reflet understands."""
    from . import sources as registry

    hs = registry.handlers()
    if as_json:
        click.echo(json.dumps([{"platform": h.platform, "name": h.name, "title": h.title, "example": h.example,
                                "unconfirmed": h.unconfirmed} for h in hs], indent=1))
        return
    tr = _translator(lang)
    table = Table(title=tr("cli.sources_h"), title_justify="left")
    table.add_column(tr("cli.sources_platform"))
    table.add_column(tr("cli.sources_file"))
    table.add_column(tr("cli.sources_example"))
    unconfirmed = " " + tr("cli.sources_unconfirmed")
    for h in hs:
        # A title's English is in its source's code; other languages have "source.<name>".
        title = text(tr, f"source.{h.name}", h.title) + (unconfirmed if h.unconfirmed else "")
        table.add_row(safe(h.platform), safe(title), safe(h.example))
    console().print(table)


@cli.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@lang_option("Language of the messages: en, fr or es.")
def forget(out: Path, yes: bool, lang: str) -> None:
    """Delete an audit's results folder: database, cache and reports.

    Your original exports are not touched.
    """
    from .outputs import forget as do_forget

    t = _translator(lang)
    if not yes and sys.stdin.isatty():
        click.confirm(t("cli.forget_confirm", out=str(out)), abort=True)
    n = do_forget(out)
    console().print(safe(t("cli.forgotten", out=str(out), n=n)))


# Commands that live with their feature are added here, one line each.
cli.add_command(__import__("reflet.scrub.cli", fromlist=["scrub"]).scrub)
cli.add_command(__import__("reflet.persona.cli", fromlist=["demo"]).demo)
for _command in __import__("reflet.report.cli", fromlist=["COMMANDS"]).COMMANDS:
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="reflet")


__all__ = ["cli", "main", "safe"]
