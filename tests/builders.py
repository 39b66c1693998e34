"""Build small exports in code: the same members as a folder, a zip or a tar.gz."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

Files = dict[str, str | bytes]


def _bytes(v: str | bytes) -> bytes:
    return v.encode("utf-8") if isinstance(v, str) else v


def make_export(tmp: Path, name: str, files: Files, container: str = "dir") -> Path:
    """Write ``files`` (relative path -> content) as a folder, ``zip``, ``tar`` or ``tar.gz``."""
    tmp.mkdir(parents=True, exist_ok=True)
    if container == "dir":
        root = tmp / name
        for rel, content in files.items():
            p = root / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(_bytes(content))
        return root
    if container == "zip":
        path = tmp / f"{name}.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for rel, content in files.items():
                z.writestr(rel, _bytes(content))
        return path
    if container in ("tar", "tar.gz"):
        path = tmp / f"{name}.{container}"
        with tarfile.open(path, "w:gz" if container == "tar.gz" else "w") as t:
            for rel, content in files.items():
                data = _bytes(content)
                ti = tarfile.TarInfo(rel)
                ti.size = len(data)
                ti.mtime = 1_700_000_000
                t.addfile(ti, io.BytesIO(data))
        return path
    raise ValueError(container)


CONTAINERS = ("dir", "zip", "tar.gz")
