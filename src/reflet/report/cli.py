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
from ..cli import console, read_passphrase, safe
from ..errors import UsageError
from ..outputs import private_files
from ..store import Store


def _open(out: Path, passphrase_file: Path | None, label: str = "") -> tuple[Store, AuditResult, str | None]:
    """Open an audit folder, asking for its passphrase only if its database is encrypted."""
    from .reopen import is_encrypted, reopen

    passphrase = None
    if is_encrypted(out):
        if label and passphrase_file is None and not os.environ.get("REFLET_PASSPHRASE") and sys.stdin.isatty():
            console(err=True).print(f"{escape(safe(label))} ({escape(safe(out))}) is encrypted.")
        passphrase = read_passphrase(passphrase_file, confirm=False)
    store, result = reopen(out, passphrase)
    return store, result, passphrase


_PASS = click.option("--passphrase-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="Read the passphrase from this file instead of asking (or set REFLET_PASSPHRASE).")


@click.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--redact", is_flag=True,
              help="Write a copy to share with a trainer or lawyer: places rounded to the town, "
                   "identifiers and IPs masked, post texts removed.")
@click.option("--out", "dest", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the HTML (default: report-redacted.html in the audit folder).")
@_PASS
@click.option("--lang", default="en", show_default=True, help="Language of the report.")
def report(out: Path, redact: bool, dest: Path | None, passphrase_file: Path | None, lang: str) -> None:
    """Write an audit's report again from its folder, or a redacted copy to share (--redact).

    \b
    Example:
      reflet report ~/reflet-audit --redact --out ~/for-my-trainer.html
    """
    from .redact import write_redacted
    from .render import write_reports

    if not redact and dest is not None:
        raise UsageError("--out is for the redacted copy; the full report is written in the audit folder")
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
    if redact:
        c.print(f"[bold green]Redacted report:[/] {escape(safe(html_path))} (data: {escape(safe(json_path))})")
        c.print("Check it before you share it: it still says which kinds of data exist and roughly where.")
    else:
        c.print(f"[bold green]Report:[/] {escape(safe(html_path))}")


@click.command()
@click.argument("old", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_PASS
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
def compare(old: Path, new: Path, passphrase_file: Path | None, as_json: bool) -> None:
    """Show what changed between two audits (OLD and NEW folders): findings resolved, new, record counts.

    \b
    Example:
      reflet compare ~/reflet-audit-march ~/reflet-audit-june
    """
    from .compare import compare as do_compare

    with guard.guarded(), private_files():
        s_old, r_old, _ = _open(old, passphrase_file, "OLD")
        s_old.close()
        s_new, r_new, _ = _open(new, passphrase_file, "NEW")
        s_new.close()
    cmp = do_compare(r_old, r_new)
    if as_json:
        click.echo(json.dumps(cmp.to_dict(), indent=1, ensure_ascii=False))
        return
    c = console()
    c.print(f"[bold]Comparing[/] {escape(safe(old))} (before) with {escape(safe(new))} (after)")
    for title, rows, style in (("Resolved (gone now)", cmp.resolved, "green"), ("New", cmp.new, "red")):
        c.print(f"\n[bold {style}]{title}: {len(rows)}[/]")
        for f in rows:
            c.print(f"  {escape('[' + f['severity'] + ']')} {escape(safe(f['title']))}", soft_wrap=True)
    if cmp.changed:
        c.print(f"\n[bold]Changed: {len(cmp.changed)}[/]")
        for f in cmp.changed:
            c.print(f"  {escape('[' + f['severity'] + ']')} {escape(safe(f['title']))} "
                    f"[dim](was {f['old_severity']}, {f['old_evidence_count']:,} → {f['evidence_count']:,} records)[/]",
                    soft_wrap=True)
    c.print(f"\nUnchanged findings: {cmp.unchanged}")
    t = Table(title="Records", title_justify="left")
    for col, just in (("Kind", "left"), ("Platform", "left"), ("Before", "right"), ("After", "right"),
                      ("Change", "right")):
        t.add_column(col, justify=just)  # type: ignore[arg-type]
    for r in cmp.records:
        ch = r["change"]
        t.add_row(r["type"], safe(r["platform"]), f"{r['old']:,}", f"{r['new']:,}",
                  "" if ch == 0 else (f"[green]{ch:+,}[/]" if ch < 0 else f"[red]{ch:+,}[/]"))
    c.print(t)


COMMANDS = [report, compare]

__all__ = ["COMMANDS", "compare", "report"]
