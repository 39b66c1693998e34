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

import click

from .. import guard
from ..cli import EXIT_ISSUES, EXIT_OK, console, safe
from ..errors import UsageError
from ..outputs import cloud_service, prepare
from .clean import Options, Plan, is_media_name, plan, write

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
        raise ExiftoolFailed(f"exiftool could not be run ({type(exc).__name__})") from exc
    out: dict[Path, list[str]] = {p: ["(exiftool did not report this copy)"] for p in abs_paths}
    for row in rows if isinstance(rows, list) else []:
        src = Path(str(row.get("SourceFile", "")))
        bad = sorted({k.split(":")[-1] for k in row if k.split(":")[-1] in EXIFTOOL_LEAKS})
        if "ExifTool:Error" in row:
            bad.append(f"(exiftool: {str(row['ExifTool:Error'])[:80]})")
        out[src] = bad
    return out


def run(srcs: tuple[Path, ...], out: Path, opts: Options, dry_run: bool) -> Outcome:
    res = Outcome()
    links: list[Path] = []
    pairs = collect(srcs, out, links)
    res.refused += [(link, "a link: not followed") for link in links]
    plans: list[tuple[Plan, Path]] = []
    for src, rel in pairs:
        if not is_media_name(src.name):
            res.skipped += 1
            continue
        try:
            p = plan(src, opts)
        except OSError as exc:
            res.refused.append((src, f"cannot be read: {exc.strerror or exc}"))
            continue
        if not p.ok:
            res.refused.append((src, p.reason or "not cleanable"))
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
            res.refused.append((p.path, "the copy would overwrite the original; choose another --out"))
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
        res.notes.append(f"{exc}; the copies were checked by reflet's reader only.")
    res.checked_by_exiftool = leaks is not None
    if leaks is None and written and not res.notes:
        res.notes.append("exiftool is not installed; the copies were checked by reflet's reader only.")
    for p, dst in written:
        bad = leaks.get(dst.absolute(), []) if leaks is not None else []
        if bad:
            dst.unlink()
            res.refused.append((p.path, "exiftool still finds " + ", ".join(bad) + " in the copy; not kept"))
        else:
            res.cleaned.append((p.path, dst, p.removed()))
    return res


@click.command()
@click.argument("srcs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="Folder for the clean copies (created private to you; folder structure is kept).")
@click.option("--keep-orientation", is_flag=True, help="Keep only the rotation flag, so pictures stay upright.")
@click.option("--keep-date", is_flag=True, help="Keep the date taken (and the file's modification time).")
@click.option("--dry-run", is_flag=True, help="Show what would be removed; write nothing.")
@click.pass_context
def scrub(ctx: click.Context, srcs: tuple[Path, ...], out: Path, keep_orientation: bool, keep_date: bool,
          dry_run: bool) -> None:
    """Make clean copies of photos and videos, without location, camera or owner details.

    The picture itself is not re-compressed: its bytes stay identical. Your
    originals are never changed.

    \b
    Example:
      reflet scrub ~/Pictures/to-share --out ~/clean-photos
      reflet scrub IMG_1234.jpg --out ~/clean-photos --keep-orientation
    """
    if any(out.expanduser().absolute() == s.expanduser().absolute() for s in srcs):
        raise UsageError("--out must not be one of the sources")
    c = console()
    service = cloud_service(out)
    if service and not dry_run:
        console(err=True).print(f"[yellow]Note:[/] {safe(out)} is synced by {service}; the copies will be uploaded.")
    with guard.guarded():
        res = run(srcs, out, Options(keep_orientation, keep_date), dry_run)
    counts: Counter[str] = Counter()
    for _, _, removed in res.cleaned:
        counts.update(set(removed))
    verb = "Would remove" if dry_run else "Removed"
    if res.cleaned:
        c.print(f"[bold]{verb}[/] from {len(res.cleaned):,} file(s):")
        for label, n in counts.most_common():
            c.print(f"  {safe(label)}: {n:,} file(s)")
        if dry_run:
            for src, dst, removed in res.cleaned[:50]:
                c.print(f"  {safe(src)} -> {safe(dst)}: {safe(', '.join(removed) or 'nothing to remove')}")
    else:
        c.print("No photo or video could be cleaned." if not res.refused else "")
    if res.refused:
        c.print(f"[yellow]Not cleaned ({len(res.refused):,}), no copy written:[/]")
        for src, why in res.refused:
            c.print(f"  {safe(src)}: {safe(why)}")
    if res.skipped:
        c.print(f"{res.skipped:,} other file(s) skipped (not photos or videos).")
    for note in res.notes:
        c.print(f"[yellow]Note:[/] {safe(note)}")
    if res.checked_by_exiftool:
        c.print("Every copy was checked by reflet's reader and by exiftool.")
    if not dry_run and res.cleaned:
        c.print(f"[bold green]Clean copies:[/] {safe(out)}")
    ctx.exit(EXIT_ISSUES if res.refused else EXIT_OK)


__all__ = ["EXIFTOOL_LEAKS", "Outcome", "collect", "exiftool_leaks", "run", "scrub"]
