"""``reflet scrub``: clean copies of photos and videos, checked before they are kept.

Originals are only ever opened read-only. Each copy is written 0600 inside a
0700 folder that mirrors the source folders, then read back by reflet (and, when
it is installed, by exiftool in ONE batch call); a copy that still shows a
location, a serial number or an owner is deleted and the file is listed as not
cleaned. Files that cannot be cleaned without re-encoding (TIFF, DNG, RAW) are
listed with advice and never copied unclean.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .. import guard
from ..cli import EXIT_ISSUES, EXIT_OK, _translator, console, error_text, safe
from ..cli_text import Command, lang_option
from ..errors import UsageError
from ..findings import Msg, msg
from ..outputs import cloud_service, prepare
from .clean import Options, Plan, is_media_name, plan, write

if TYPE_CHECKING:
    from ..report.i18n import Translator

# exiftool tag names (any group) that mean a location, a device serial or a person is still there.
EXIFTOOL_LEAKS = ("GPSLatitude", "GPSLongitude", "GPSPosition", "GPSCoordinates", "GPSAltitude",
                  "LocationInformation", "SerialNumber", "OwnerName", "City", "Country", "Sub-location",
                  "Province-State", "Location", "RegionName", "PersonInImage")


@dataclass
class Outcome:
    cleaned: list[tuple[Path, Path, list[str]]] = field(default_factory=list)  # src, dst, removed
    refused: list[tuple[Path, str]] = field(default_factory=list)
    skipped: int = 0  # files that are not photos or videos
    checked_by_exiftool: bool = False
    notes: list[str] = field(default_factory=list)


def collect(srcs: tuple[Path, ...], out: Path, links: list[Path] | None = None) -> list[tuple[Path, Path]]:
    """(source file, path relative to --out); folders keep their structure under their own name.

    Links inside folders are not followed (they are listed in ``links``).
    """
    pairs: list[tuple[Path, Path]] = []
    used: set[Path] = set()
    out_abs = out.expanduser().absolute()
    for src in srcs:
        src = src.expanduser()
        if src.is_file():
            items = [(src, Path(src.name))]
        else:
            items = []
            for root, dirs, files in os.walk(src):  # links to folders are not followed
                rootp = Path(root)
                dirs[:] = sorted(d for d in dirs if (rootp / d).absolute() != out_abs)
                for name in sorted(files):
                    f = rootp / name
                    if f.is_symlink():
                        if links is not None:
                            links.append(f)
                    else:
                        items.append((f, Path(src.absolute().name) / f.relative_to(src)))
        for f, rel in items:
            base, n = rel, 1
            while rel in used:  # two sources with the same name: keep both
                n += 1
                rel = base.with_name(f"{base.stem} ({n}){base.suffix}")
            used.add(rel)
            pairs.append((f, rel))
    return pairs


class ExiftoolFailed(Exception):
    pass


def exiftool_leaks(paths: list[Path]) -> dict[Path, list[str]] | None:
    """One exiftool run over all copies: what it still sees per file (None when not installed).

    A copy exiftool cannot read, or does not report, counts as a failure: unverified is not clean.
    """
    exe = shutil.which("exiftool")
    if not exe or not paths:
        return None
    abs_paths = [p.absolute() for p in paths]
    args = "\n".join(["-json", "-n", "-G1", "-a", "-charset", "filename=utf8", *map(str, abs_paths)]) + "\n"
    try:
        with guard.allow_subprocess():
            proc = subprocess.run([exe, "-@", "-"], input=args.encode(), capture_output=True, timeout=1800,
                                  check=False)
        rows = json.loads(proc.stdout or b"[]")
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        raise ExiftoolFailed(msg("scrub.note.exiftool_failed", error=type(exc).__name__)) from exc
    out: dict[Path, list[str]] = {p: [msg("scrub.exiftool_silent")] for p in abs_paths}
    for row in rows if isinstance(rows, list) else []:
        src = Path(str(row.get("SourceFile", "")))
        bad = sorted({k.split(":")[-1] for k in row if k.split(":")[-1] in EXIFTOOL_LEAKS})
        if "ExifTool:Error" in row:
            bad.append(msg("scrub.exiftool_error", error=str(row["ExifTool:Error"])[:80]))
        out[src] = bad
    return out


def run(srcs: tuple[Path, ...], out: Path, opts: Options, dry_run: bool) -> Outcome:
    res = Outcome()
    links: list[Path] = []
    pairs = collect(srcs, out, links)
    res.refused += [(link, msg("scrub.why.link")) for link in links]
    plans: list[tuple[Plan, Path]] = []
    for src, rel in pairs:
        if not is_media_name(src.name):
            res.skipped += 1
            continue
        try:
            p = plan(src, opts)
        except OSError as exc:
            res.refused.append((src, msg("scrub.why.unreadable", error=str(exc.strerror or exc))))
            continue
        if not p.ok:
            res.refused.append((src, p.reason or msg("scrub.why.format")))
            continue
        plans.append((p, rel))
    if dry_run:
        res.cleaned = [(p.path, out / rel, p.removed()) for p, rel in plans]
        return res
    prepare(out)
    written: list[tuple[Plan, Path]] = []
    for p, rel in plans:
        dst = out / rel
        for parent in reversed(dst.relative_to(out).parents[:-1]):
            d = out / parent
            d.mkdir(mode=0o700, exist_ok=True)
            os.chmod(d, 0o700)
        if dst.exists() and dst.resolve() == p.path.resolve():
            res.refused.append((p.path, msg("scrub.why.overwrite")))
            continue
        write(p, dst)
        if opts.keep_date:
            st = p.path.stat()
            os.utime(dst, ns=(st.st_atime_ns, st.st_mtime_ns))
        written.append((p, dst))
    try:
        leaks = exiftool_leaks([dst for _, dst in written])
    except ExiftoolFailed as exc:
        leaks = None
        res.notes.append(exc.args[0])
    res.checked_by_exiftool = leaks is not None
    if leaks is None and written and not res.notes:
        res.notes.append(msg("scrub.note.no_exiftool"))
    for p, dst in written:
        bad = leaks.get(dst.absolute(), []) if leaks is not None else []
        if bad:
            dst.unlink()
            res.refused.append((p.path, msg("scrub.why.exiftool_finds", labels=bad)))
        else:
            res.cleaned.append((p.path, dst, p.removed()))
    return res


def _said(t: Translator, text: str) -> str:
    """A reason, note or metadata label in ``t``'s language (block names such as "EXIF" stay as they are)."""
    if isinstance(text, Msg):
        return error_text(t, Exception(text))
    key = "media." + text.replace(" ", "_")
    return t(key) if t.has(key) else text


@click.command(cls=Command)
@click.argument("srcs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="Folder for the clean copies (created private to you; folder structure is kept).")
@click.option("--keep-orientation", is_flag=True, help="Keep only the rotation flag, so pictures stay upright.")
@click.option("--keep-date", is_flag=True, help="Keep the date taken (and the file's modification time).")
@click.option("--dry-run", is_flag=True, help="Show what would be removed; write nothing.")
@lang_option("Language of the messages: en, fr or es.")
@click.pass_context
def scrub(ctx: click.Context, srcs: tuple[Path, ...], out: Path, keep_orientation: bool, keep_date: bool,
          dry_run: bool, lang: str) -> None:
    """Make clean copies of photos and videos, without location, camera or owner details.

    The picture itself is not re-compressed: its bytes stay identical. Your
    originals are never changed.

    \b
    Example:
      reflet scrub ~/Pictures/to-share --out ~/clean-photos
      reflet scrub IMG_1234.jpg --out ~/clean-photos --keep-orientation
    """
    if any(out.expanduser().absolute() == s.expanduser().absolute() for s in srcs):
        raise UsageError(msg("scrub.err.out_is_source"))
    c, t = console(), _translator(lang)
    service = cloud_service(out)
    if service and not dry_run:
        console(err=True).print(f"[yellow]{t('cli.note')}[/] " + safe(t("scrub.cloud", out=str(out), service=service)))
    with guard.guarded():
        res = run(srcs, out, Options(keep_orientation, keep_date), dry_run)
    counts: Counter[str] = Counter()
    for _, _, removed in res.cleaned:
        counts.update(set(removed))

    if res.cleaned:
        n = len(res.cleaned)
        c.print(f"[bold]{safe(t('scrub.would_remove' if dry_run else 'scrub.removed', n=n))}[/]")
        for label, k in counts.most_common():
            c.print("  " + safe(t("scrub.label_count", label=_said(t, label), n=k)))
        if dry_run:
            for src, dst, removed in res.cleaned[:50]:
                what = ", ".join(_said(t, x) for x in removed) or t("scrub.nothing")
                c.print(f"  {safe(src)} -> {safe(dst)}: {safe(what)}")
    else:
        c.print(safe(t("scrub.none")) if not res.refused else "")
    if res.refused:
        c.print(f"[yellow]{safe(t('scrub.not_cleaned', n=len(res.refused)))}[/]")
        for src, why in res.refused:
            c.print(f"  {safe(src)}: {safe(_said(t, why))}")
    if res.skipped:
        c.print(safe(t("scrub.skipped", n=res.skipped)))
    for note in res.notes:
        c.print(f"[yellow]{t('cli.note')}[/] {safe(_said(t, note))}")
    if res.checked_by_exiftool:
        c.print(safe(t("scrub.checked")))
    if not dry_run and res.cleaned:
        c.print(f"[bold green]{t('scrub.copies')}[/] {safe(out)}")
    ctx.exit(EXIT_ISSUES if res.refused else EXIT_OK)


__all__ = ["EXIFTOOL_LEAKS", "Outcome", "collect", "exiftool_leaks", "run", "scrub"]
