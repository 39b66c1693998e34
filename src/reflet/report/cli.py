"""``reflet report`` (render an audit's report again, or a redacted copy) and ``reflet compare``."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from .. import guard
from ..audit import AuditResult
from ..cli import _translator, console, read_passphrase, safe, title_in
from ..cli_text import Command, lang_option, term
from ..errors import UsageError
from ..findings import msg
from ..outputs import private_files
from ..store import Store


def _open(out: Path, passphrase_file: Path | None, label: str = "") -> tuple[Store, AuditResult, str | None]:
    """Open an audit folder, asking for its passphrase only if its database is encrypted."""
    from .reopen import is_encrypted, reopen

    passphrase = None
    if is_encrypted(out):
        if label and passphrase_file is None and not os.environ.get("REFLET_PASSPHRASE") and sys.stdin.isatty():
            console(err=True).print(safe(term()("cli.encrypted", which=term()(label), out=str(out))))
        passphrase = read_passphrase(passphrase_file, confirm=False)
    store, result = reopen(out, passphrase)
    return store, result, passphrase


_PASS = click.option("--passphrase-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="Read the passphrase from this file instead of asking (or set REFLET_PASSPHRASE).")


@click.command(cls=Command)
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--redact", is_flag=True,
              help="Write a copy to share with a trainer or lawyer: places rounded to the town, "
                   "identifiers and IPs masked, post texts removed.")
@click.option("--out", "dest", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the HTML (default: report-redacted.html in the audit folder).")
@_PASS
@lang_option("Language of the report: en, fr or es.")
def report(out: Path, redact: bool, dest: Path | None, passphrase_file: Path | None, lang: str) -> None:
    """Write an audit's report again from its folder, or a redacted copy to share (--redact).

    \b
    Example:
      reflet report ~/reflet-audit --redact --out ~/for-my-trainer.html
    """
    from .redact import write_redacted
    from .render import write_reports

    if not redact and dest is not None:
        raise UsageError(msg("cli.err.out_redact_only"))
    c = console()
    with guard.guarded(), private_files():
        store, result, passphrase = _open(out, passphrase_file)
        try:
            if redact:
                target = dest or (out / "report-redacted.html")
                html_path, json_path = write_redacted(store, result, target, lang=lang)
            else:
                # The full report keeps its protection: encrypted again when the database is.
                html_path, json_path = write_reports(store, result, lang=lang, passphrase=passphrase)
        finally:
            store.close()
    t = _translator(lang)
    if redact:
        c.print(f"[bold green]{t('cli.redacted_report')}[/] {safe(html_path)} "
                f"{safe(t('cli.redacted_data', path=str(json_path)))}")
        c.print(safe(t("cli.redacted_check")))
    else:
        c.print(f"[bold green]{t('cli.report')}[/] {safe(html_path)}")


@click.command(cls=Command)
@click.argument("old", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_PASS
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
@lang_option("Language of the comparison: en, fr or es.")
def compare(old: Path, new: Path, passphrase_file: Path | None, as_json: bool, lang: str) -> None:
    """Show what changed between two audits (OLD and NEW folders): findings resolved, new, record counts.

    \b
    Example:
      reflet compare ~/reflet-audit-march ~/reflet-audit-june
    """
    from .compare import compare as do_compare

    with guard.guarded(), private_files():
        s_old, r_old, _ = _open(old, passphrase_file, "cli.old")
        s_old.close()
        s_new, r_new, _ = _open(new, passphrase_file, "cli.new")
        s_new.close()
    cmp = do_compare(r_old, r_new)
    if as_json:
        click.echo(json.dumps(cmp.to_dict(), indent=1, ensure_ascii=False))
        return
    c, t = console(), _translator(lang)
    c.print(safe(t("cli.compare_h", old=str(old), new=str(new))))
    for key, rows, style in (("cli.compare_resolved", cmp.resolved, "green"), ("cli.compare_new", cmp.new, "red")):
        c.print(f"\n[bold {style}]{safe(t(key, n=len(rows)))}[/]")
        for f in rows:
            c.print(f"  {escape('[' + t('sev.' + f['severity']) + ']')} {safe(title_in(t, f))}", soft_wrap=True)
    if cmp.changed:
        c.print(f"\n[bold]{safe(t('cli.compare_changed', n=len(cmp.changed)))}[/]")
        for f in cmp.changed:
            was = t("cli.compare_was", severity=t("sev." + f["old_severity"]), old=f["old_evidence_count"],
                    new=f["evidence_count"])
            c.print(f"  {escape('[' + t('sev.' + f['severity']) + ']')} {safe(title_in(t, f))} [dim]{safe(was)}[/]",
                    soft_wrap=True)
    c.print("\n" + safe(t("cli.compare_unchanged", n=cmp.unchanged)))
    table = Table(title=t("cli.compare_records"), title_justify="left")
    for col, just in (("read.type", "left"), ("identity.platforms", "left"), ("cli.compare_before", "right"),
                      ("cli.compare_after", "right"), ("cli.compare_change", "right")):
        table.add_column(t(col), justify=just)  # type: ignore[arg-type]
    for r in cmp.records:
        ch = r["change"]
        sign = "+" if ch > 0 else "-" if ch < 0 else ""
        change = f"{sign}{t.number(abs(ch))}"
        table.add_row(safe(t("rec." + r["type"], default=r["type"])), safe(r["platform"]), t.number(r["old"]),
                      t.number(r["new"]), "" if ch == 0 else (f"[green]{change}[/]" if ch < 0 else f"[red]{change}[/]"))
    c.print(table)


COMMANDS = [report, compare]

__all__ = ["COMMANDS", "compare", "report"]
